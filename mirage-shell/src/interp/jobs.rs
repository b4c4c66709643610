//! Background jobs (`cmd &`) and the builtins that look at them: `wait`, `jobs`, `disown`.
//!
//! Mirage has no processes, so a background job runs to completion where it is started, in a
//! subshell with stdin from /dev/null (bash's rule without job control). What bash shows of a
//! job is kept: `$?` is 0 after `&`, `$!` names the job, and `wait` returns its status. Output
//! order is therefore the order a fast job has in bash, and `jobs` finds nothing running.

use super::io::{Io, SharedWriter, empty_reader};
use super::run::{Exec, shell_error};
use super::state::ShellState;

/// A finished background job.
#[derive(Clone, Debug)]
pub struct Job {
    pub pid: u32,
    pub status: i32,
    /// Reported by `wait`, `wait -n` or forgotten by `disown`: no longer in the job table,
    /// though `wait PID` still finds its status, as bash remembers it.
    done: bool,
}

/// The jobs a shell started, and `$!`.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    all: Vec<Job>,
    /// `$!`.
    pub last_pid: Option<u32>,
}

/// bash remembers the statuses of this many finished processes (`CHILD_MAX` on Linux is
/// larger; what matters is that the list is bounded).
const REMEMBERED: usize = 1024;

impl Jobs {
    /// Records a job that ended with `status`. Its id follows the shell's own (`$$`), as a
    /// new process's would.
    fn add(&mut self, status: i32) {
        let pid = self
            .last_pid
            .unwrap_or_else(std::process::id)
            .wrapping_add(1);
        if self.all.len() == REMEMBERED {
            self.all.remove(0);
        }
        self.all.push(Job {
            pid,
            status,
            done: false,
        });
        self.last_pid = Some(pid);
    }

    fn by_pid(&self, pid: u32) -> Option<&Job> {
        self.all.iter().find(|j| j.pid == pid)
    }

    /// The job table: jobs not yet reported.
    fn table(&mut self) -> impl Iterator<Item = &mut Job> {
        self.all.iter_mut().filter(|j| !j.done)
    }

    /// `%N`, `%%`, `%+`, `%-`: a job of the table by its number, marked reported.
    fn take_spec(&mut self, spec: &str) -> Option<i32> {
        let len = self.table().count();
        let i = match spec {
            "%" | "%%" | "%+" => len.checked_sub(1)?,
            "%-" => len.checked_sub(2)?,
            n => n.strip_prefix('%')?.parse::<usize>().ok()?.checked_sub(1)?,
        };
        let job = self.table().nth(i)?;
        job.done = true;
        Some(job.status)
    }
}

/// Runs one `list &` item: in a subshell, to completion, reading nothing. Returns 0, the
/// status bash gives a command it has put in the background.
pub async fn run_in_background(
    st: &mut ShellState,
    io: &mut Io,
    item: &brush_parser::ast::AndOrList,
) -> Exec {
    let mut sub = st.subshell();
    sub.err_trap = None;
    sub.exit_trap = None;
    sub.stdin_slot = None;
    let mut sub_io = io.with_stdin(empty_reader());
    let status =
        super::run::flow_status(super::run::exec_and_or(&mut sub, &mut sub_io, item).await);
    let status = super::trap::run_exit_trap(&mut sub, &mut sub_io, status).await;
    st.jobs.add(status);
    st.last_status = 0;
    Ok(0)
}

/// `wait [-n] [ID...]`.
pub async fn wait(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let mut next = false;
    let mut ids = Vec::new();
    for a in &args {
        match a.as_str() {
            "-n" => next = true,
            "-f" => {}
            "--" => {}
            s if s.starts_with('-') && s.len() > 1 => {
                usage(st, &io.stderr, &format!("wait: {s}: invalid option")).await;
                return Ok(2);
            }
            s => ids.push(s.to_string()),
        }
    }
    if next && ids.is_empty() {
        return Ok(st.jobs.take_spec("%1").unwrap_or(127));
    }
    if ids.is_empty() {
        st.jobs.table().for_each(|j| j.done = true);
        return Ok(0);
    }
    let mut status = 0;
    for id in ids {
        let found = if id.starts_with('%') {
            st.jobs
                .take_spec(&id)
                .ok_or((format!("wait: {id}: no such job"), 127))
        } else {
            match id.parse::<u32>() {
                Ok(pid) => st
                    .jobs
                    .by_pid(pid)
                    .map(|j| j.status)
                    .ok_or((format!("wait: pid {id} is not a child of this shell"), 127)),
                Err(_) => Err((format!("wait: `{id}': not a pid or valid job spec"), 1)),
            }
        };
        status = match found {
            Ok(s) => s,
            Err((msg, s)) => {
                shell_error(st, &io.stderr, &msg).await;
                s
            }
        };
        if next {
            break;
        }
    }
    Ok(status)
}

/// `jobs`: every job has finished by the time it runs, and bash does not list finished jobs
/// in a shell without job control.
pub async fn jobs(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    for a in &args {
        if a.starts_with('-') && !matches!(a.as_str(), "-l" | "-p" | "-n" | "-r" | "-s" | "--") {
            usage(st, &io.stderr, &format!("jobs: {a}: invalid option")).await;
            return Ok(2);
        }
        if a.starts_with('%') {
            shell_error(st, &io.stderr, &format!("jobs: {a}: no such job")).await;
            return Ok(1);
        }
    }
    Ok(0)
}

/// `disown [-a] [-h] [-r] [ID...]`: forgets jobs.
pub async fn disown(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let mut ids = Vec::new();
    for a in &args {
        match a.as_str() {
            "-a" | "-r" => {
                st.jobs.table().for_each(|j| j.done = true);
                return Ok(0);
            }
            "-h" => {}
            s => ids.push(s.to_string()),
        }
    }
    if ids.is_empty() {
        if st.jobs.take_spec("%%").is_none() {
            shell_error(st, &io.stderr, "disown: current: no such job").await;
            return Ok(1);
        }
        return Ok(0);
    }
    let mut status = 0;
    for id in ids {
        let found = match id.parse::<u32>() {
            Ok(pid) => match st.jobs.table().find(|j| j.pid == pid) {
                Some(j) => {
                    j.done = true;
                    true
                }
                None => false,
            },
            Err(_) => st.jobs.take_spec(&id).is_some(),
        };
        if !found {
            shell_error(st, &io.stderr, &format!("disown: {id}: no such job")).await;
            status = 1;
        }
    }
    Ok(status)
}

async fn usage(st: &ShellState, w: &SharedWriter, msg: &str) {
    shell_error(st, w, msg).await;
    let usage = match msg.split(':').next() {
        Some("wait") => "wait: usage: wait [-fn] [-p var] [id ...]\n",
        _ => "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n",
    };
    use tokio::io::AsyncWriteExt;
    let _ = w.clone().write_all(usage.as_bytes()).await;
}
