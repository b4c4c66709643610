//! The workloads issue 6 names, and two shell loops (the interpreter's own speed), each a bash
//! line run from the data directory.

pub struct Workload {
    pub line: &'static str,
    /// Whether memory must stay flat whatever the input size (sorting and slurping hold data).
    pub streaming: bool,
}

pub const WORKLOADS: &[Workload] = &[
    Workload {
        line: "grep -c alert big.log",
        streaming: true,
    },
    Workload {
        line: "wc -l big.log",
        streaming: true,
    },
    Workload {
        line: "cat big.log | wc -l",
        streaming: true,
    },
    Workload {
        line: "cut -d' ' -f3 big.log | sort | uniq -c | sort -rn | head -3",
        streaming: false,
    },
    Workload {
        line: "find tree -name '*.rs' | wc -l",
        streaming: true,
    },
    Workload {
        line: "grep -rl TODO tree | wc -l",
        streaming: true,
    },
    Workload {
        line: "jq -s 'map(.amount) | add' events.jsonl",
        streaming: false,
    },
    Workload {
        line: "awk '{n+=length($0)} END {print n}' big.log",
        streaming: true,
    },
    Workload {
        line: "cat big.log | head -1",
        streaming: true,
    },
    Workload {
        line: "true",
        streaming: true,
    },
    Workload {
        line: "for i in $(seq 100000); do case $i in *7) n=$((n+1));; esac; done; echo $n",
        streaming: false,
    },
    Workload {
        line: "n=0; while read -r l; do n=$((n+1)); done < events.jsonl; echo $n",
        streaming: true,
    },
];
