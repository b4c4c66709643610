//! Background jobs (`cmd &`) and the builtins that look at them: `wait`, `jobs`, `disown`.
//!
//! A background job runs concurrently, as a task, in a subshell with stdin from /dev/null
//! (bash's rule without job control): `$?` is 0 after `&`, `$!` names the job, and `wait`
//! waits for it and returns its status. A job nobody waited for is still finished before the
//! line's output ends (bash would leave it running after the shell exits). `jobs` lists
//! nothing: there is no job control to report on.

use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;

use super::io::{Io, SharedWriter, empty_reader};
use super::run::{Exec, shell_error};
use super::state::ShellState;

/// Where a job is: running (its task), or finished with a status.
enum Progress {
    Running(JoinHandle<i32>),
    Finished(i32),
}

/// One job's progress, shared between the job table and the line's list of jobs to finish.
type Shared = Arc<tokio::sync::Mutex<Progress>>;

/// Waits for a job if it still runs, and returns its status.
async fn status_of(job: &Shared) -> i32 {
    let mut p = job.lock().await;
    if let Progress::Running(handle) = &mut *p {
        // A job whose task failed (it cannot panic by design) counts as killed.
        let status = handle.await.unwrap_or(128 + 9);
        *p = Progress::Finished(status);
    }
    match &*p {
        Progress::Finished(s) => *s,
        Progress::Running(_) => 0,
    }
}

/// A background job.
#[derive(Clone)]
pub struct Job {
    pub pid: u32,
    progress: Shared,
    /// Reported by `wait`, `wait -n` or forgotten by `disown`: no longer in the job table,
    /// though `wait PID` still finds its status, as bash remembers it.
    done: bool,
}

/// The jobs a shell started, and `$!`.
#[derive(Clone, Default)]
pub struct Jobs {
    all: Vec<Job>,
    /// `$!`.
    pub last_pid: Option<u32>,
    /// Every job started during the line, in this shell or its subshells: the line waits for
    /// them before its output ends.
    started: Arc<Mutex<Vec<Shared>>>,
}

/// bash remembers the statuses of this many finished processes (`CHILD_MAX` on Linux is
/// larger; what matters is that the list is bounded).
const REMEMBERED: usize = 1024;

impl Jobs {
    /// Records a job. Its id follows the shell's own (`$$`), as a new process's would.
    fn add(&mut self, handle: JoinHandle<i32>) {
        let pid = self
            .last_pid
            .unwrap_or_else(std::process::id)
            .wrapping_add(1);
        if self.all.len() == REMEMBERED {
            self.all.remove(0);
        }
        let progress = Arc::new(tokio::sync::Mutex::new(Progress::Running(handle)));
        if let Ok(mut started) = self.started.lock() {
            started.push(progress.clone());
        }
        self.all.push(Job {
            pid,
            progress,
            done: false,
        });
        self.last_pid = Some(pid);
    }

    /// The jobs of a subshell: none of its parent's (it cannot wait for them), the same `$!`,
    /// and the same list of jobs the line finishes.
    pub fn for_subshell(&self) -> Jobs {
        Jobs {
            all: Vec::new(),
            last_pid: self.last_pid,
            started: self.started.clone(),
        }
    }

    /// The jobs of a new shell (`bash -c`): none, no `$!`, and the same list of jobs the
    /// line finishes.
    pub fn for_child(&self) -> Jobs {
        Jobs {
            all: Vec::new(),
            last_pid: None,
            started: self.started.clone(),
        }
    }

    fn by_pid(&self, pid: u32) -> Option<Shared> {
        self.all
            .iter()
            .find(|j| j.pid == pid)
            .map(|j| j.progress.clone())
    }

    /// The job table: jobs not yet reported.
    fn table(&mut self) -> impl Iterator<Item = &mut Job> {
        self.all.iter_mut().filter(|j| !j.done)
    }

    /// `%N`, `%%`, `%+`, `%-`: a job of the table by its number, marked reported.
    fn take_spec(&mut self, spec: &str) -> Option<Shared> {
        let len = self.table().count();
        let i = match spec {
            "%" | "%%" | "%+" => len.checked_sub(1)?,
            "%-" => len.checked_sub(2)?,
            n => n.strip_prefix('%')?.parse::<usize>().ok()?.checked_sub(1)?,
        };
        let job = self.table().nth(i)?;
        job.done = true;
        Some(job.progress.clone())
    }
}

/// Finishes every job the line started (run when the line ends, before its output closes).
pub async fn finish_all(jobs: &Jobs) {
    loop {
        let pending: Vec<Shared> = match jobs.started.lock() {
            Ok(mut started) => std::mem::take(&mut *started),
            Err(_) => return,
        };
        if pending.is_empty() {
            return;
        }
        for job in &pending {
            status_of(job).await;
        }
    }
}

/// Starts one `list &` item as a task: a subshell reading nothing. Returns 0, the status bash
/// gives a command it has put in the background.
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
    let item = item.clone();
    let handle = tokio::spawn(async move {
        let status =
            super::run::flow_status(super::run::exec_and_or(&mut sub, &mut sub_io, &item).await);
        super::trap::run_exit_trap(&mut sub, &mut sub_io, status).await
    });
    st.jobs.add(handle);
    st.last_status = 0;
    // The shell reads on at once; the job runs when the shell next waits, as a process that
    // takes a moment to start would.
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
        return Ok(match st.jobs.take_spec("%1") {
            Some(job) => status_of(&job).await,
            None => 127,
        });
    }
    if ids.is_empty() {
        let table: Vec<Shared> = st
            .jobs
            .table()
            .map(|j| {
                j.done = true;
                j.progress.clone()
            })
            .collect();
        for job in &table {
            status_of(job).await;
        }
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
                    .ok_or((format!("wait: pid {id} is not a child of this shell"), 127)),
                Err(_) => Err((format!("wait: `{id}': not a pid or valid job spec"), 1)),
            }
        };
        status = match found {
            Ok(job) => status_of(&job).await,
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
