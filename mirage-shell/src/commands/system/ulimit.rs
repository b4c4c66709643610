//! `ulimit`: the bash builtin that reports resource limits.
//!
//! Mirage runs every command inside its own process, so the limits that apply are that
//! process's: they are read with `getrlimit` and printed in bash's units and layout. Changing a
//! limit would change it for the whole embedding program, so setting one is refused loudly.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

pub struct Ulimit;

/// One resource as bash lists it under `ulimit -a`.
struct Resource {
    option: char,
    /// bash's description, unit included (`open files`, `stack size (kbytes`).
    label: &'static str,
    unit: Option<&'static str>,
    source: Source,
}

enum Source {
    /// `getrlimit` of this resource, divided by the factor bash shows it in.
    Limit(libc::__rlimit_resource_t, u64),
    /// A constant of the system (`-p`, the pipe buffer in 512-byte blocks).
    Fixed(u64),
}

const fn limit(
    option: char,
    label: &'static str,
    unit: Option<&'static str>,
    resource: libc::__rlimit_resource_t,
    factor: u64,
) -> Resource {
    Resource {
        option,
        label,
        unit,
        source: Source::Limit(resource, factor),
    }
}

/// In `ulimit -a` order.
const RESOURCES: &[Resource] = &[
    limit(
        'R',
        "real-time non-blocking time",
        Some("microseconds"),
        libc::RLIMIT_RTTIME,
        1,
    ),
    limit(
        'c',
        "core file size",
        Some("blocks"),
        libc::RLIMIT_CORE,
        1024,
    ),
    limit(
        'd',
        "data seg size",
        Some("kbytes"),
        libc::RLIMIT_DATA,
        1024,
    ),
    limit('e', "scheduling priority", None, libc::RLIMIT_NICE, 1),
    limit('f', "file size", Some("blocks"), libc::RLIMIT_FSIZE, 1024),
    limit('i', "pending signals", None, libc::RLIMIT_SIGPENDING, 1),
    limit(
        'l',
        "max locked memory",
        Some("kbytes"),
        libc::RLIMIT_MEMLOCK,
        1024,
    ),
    limit(
        'm',
        "max memory size",
        Some("kbytes"),
        libc::RLIMIT_RSS,
        1024,
    ),
    limit('n', "open files", None, libc::RLIMIT_NOFILE, 1),
    Resource {
        option: 'p',
        label: "pipe size",
        unit: Some("512 bytes"),
        source: Source::Fixed(8),
    },
    limit(
        'q',
        "POSIX message queues",
        Some("bytes"),
        libc::RLIMIT_MSGQUEUE,
        1,
    ),
    limit('r', "real-time priority", None, libc::RLIMIT_RTPRIO, 1),
    limit('s', "stack size", Some("kbytes"), libc::RLIMIT_STACK, 1024),
    limit('t', "cpu time", Some("seconds"), libc::RLIMIT_CPU, 1),
    limit('u', "max user processes", None, libc::RLIMIT_NPROC, 1),
    limit('v', "virtual memory", Some("kbytes"), libc::RLIMIT_AS, 1024),
    limit('x', "file locks", None, libc::RLIMIT_LOCKS, 1),
];

const USAGE: &str = "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n";

impl Resource {
    /// The value as bash prints it: a number in the resource's unit, or `unlimited`.
    fn value(&self, hard: bool) -> String {
        let (resource, factor) = match self.source {
            Source::Fixed(v) => return v.to_string(),
            Source::Limit(r, f) => (r, f),
        };
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes only into the rlimit it is given.
        if unsafe { libc::getrlimit(resource, &mut lim) } != 0 {
            return "unlimited".to_string();
        }
        let v = if hard { lim.rlim_max } else { lim.rlim_cur };
        if v == libc::RLIM_INFINITY {
            "unlimited".to_string()
        } else {
            (v / factor).to_string()
        }
    }

    /// The line `ulimit -a` prints: the description padded to 20 columns, then the unit and
    /// option right-aligned in 20, then the value.
    fn line(&self, hard: bool) -> String {
        let unit = match self.unit {
            Some(unit) => format!("({unit}, -{}) ", self.option),
            None => format!("(-{}) ", self.option),
        };
        format!("{:<20} {unit:>20}{}\n", self.label, self.value(hard))
    }
}

#[async_trait]
impl Command for Ulimit {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let prefix = ctx
            .shell_prefix
            .clone()
            .unwrap_or_else(|| "bash: ".to_string());
        let mut hard = false;
        let mut all = false;
        let mut chosen: Vec<&Resource> = Vec::new();
        let mut operands: Vec<&str> = Vec::new();
        let mut options_done = false;
        for a in &args {
            let flags = match a.strip_prefix('-') {
                Some(f) if !options_done && !f.is_empty() => f,
                _ => {
                    operands.push(a);
                    continue;
                }
            };
            if flags == "-" {
                options_done = true;
                continue;
            }
            for c in flags.chars() {
                match c {
                    'H' => hard = true,
                    'S' => hard = false,
                    'a' => all = true,
                    _ => match RESOURCES.iter().find(|r| r.option == c) {
                        Some(r) => chosen.push(r),
                        None => {
                            let msg = format!("{prefix}ulimit: -{c}: invalid option\n{USAGE}");
                            ctx.stderr.write_str(&msg).await?;
                            return Ok(2);
                        }
                    },
                }
            }
        }
        if let Some(op) = operands.first() {
            if *op != "unlimited" && *op != "hard" && *op != "soft" && op.parse::<u64>().is_err() {
                let msg = format!("{prefix}ulimit: {op}: invalid number\n");
                ctx.stderr.write_str(&msg).await?;
                return Ok(1);
            }
            ctx.stderr
                .write_str("mirage: ulimit: setting a limit is not supported\n")
                .await?;
            return Ok(2);
        }
        let text: String = if all {
            RESOURCES.iter().map(|r| r.line(hard)).collect()
        } else {
            match chosen.as_slice() {
                [] => format!("{}\n", RESOURCES[4].value(hard)),
                [one] => format!("{}\n", one.value(hard)),
                many => many.iter().map(|r| r.line(hard)).collect(),
            }
        };
        ctx.stdout.write_str(&text).await?;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use mirage_core::VPath;

    use crate::commands::text::test_support::fs_with;
    use crate::interp::Session;

    async fn run(line: &str) -> (String, String, i32) {
        let fs = fs_with(&[]).await;
        let mut s = Session::new(fs, Arc::new(crate::builtin_registry()), VPath::new("/data"));
        let out = s.execute(line).await;
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status,
        )
    }

    #[tokio::test]
    async fn setting_a_limit_is_refused_and_changes_nothing() {
        let (before, _, _) = run("ulimit -n").await;
        let (out, err, status) = run("ulimit -n 64; echo rc=$?; ulimit -n").await;
        assert_eq!(err, "mirage: ulimit: setting a limit is not supported\n");
        assert_eq!(out, format!("rc=2\n{before}"));
        assert_eq!(status, 0);
    }

    #[tokio::test]
    async fn values_are_the_process_limits_in_bash_units() {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes only into the rlimit it is given.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut lim) }, 0);
        let expected = if lim.rlim_cur == libc::RLIM_INFINITY {
            "unlimited".to_string()
        } else {
            (lim.rlim_cur / 1024).to_string()
        };
        let (out, _, _) = run("ulimit -s").await;
        assert_eq!(out, format!("{expected}\n"));
    }
}
