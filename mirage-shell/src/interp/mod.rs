//! The interpreter: runs bash lines parsed by brush-parser against the mount table.
//!
//! A [`Session`] keeps the shell state between lines (cwd, variables, functions, options).
//! Pipelines run their stages concurrently over bounded pipes; everything else runs in order.

mod arith;
mod arith_diagnose;
mod bash_cmd;
mod builtins;
pub mod expand;
mod getopts;
mod glob;
pub mod io;
mod jobs;
mod mapfile;
mod named_fd;
mod pattern;
mod procsub;
mod redirect;
pub mod run;
mod script;
mod simple;
pub mod state;
mod syntax;
mod test_expr;
mod timing;
mod trap;

pub use bash_cmd::{run_as_command, run_builtin_as_command};

use std::pin::Pin;
use std::sync::Arc;

use mirage_core::{CommandRegistry, MountTable, Reader, VPath};
use tokio::io::{AsyncReadExt, AsyncWrite};

use io::{Io, SharedWriter, empty_reader};
use run::{Flow, shell_error};
use state::ShellState;

/// What a line produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecOutput {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

/// Status bash uses for syntax errors.
pub const STATUS_SYNTAX: i32 = 2;

/// One shell session. Clone-free and independent: two sessions never see each other's state.
pub struct Session {
    state: ShellState,
}

impl Session {
    pub fn new(fs: Arc<MountTable>, commands: Arc<CommandRegistry>, cwd: VPath) -> Self {
        Session {
            state: ShellState::new(fs, commands, cwd),
        }
    }

    pub fn cwd(&self) -> &VPath {
        &self.state.cwd
    }

    pub fn set_cwd(&mut self, cwd: VPath) {
        self.state.cwd = cwd;
    }

    /// Replaces the command registry (after a command was added to the workspace).
    pub fn set_commands(&mut self, commands: Arc<CommandRegistry>) {
        self.state.commands = commands;
    }

    /// Sets an exported variable (as `export NAME=VALUE` would).
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.state.set_exported(name, value);
    }

    /// Reads a shell variable.
    pub fn var(&self, name: &str) -> Option<String> {
        self.state.get_str(name)
    }

    /// Sets `$0` (`bash` by default, as for `bash -c LINE`).
    pub fn set_shell_name(&mut self, name: &str) {
        self.state.shell_name = name.to_string();
    }

    /// Sets the positional parameters `$1..`.
    pub fn set_positional(&mut self, args: Vec<String>) {
        self.state.positional = args;
    }

    /// Runs `line`, streaming its output to the given writers as it is produced.
    pub async fn execute_to(
        &mut self,
        line: &str,
        stdin: Option<Reader>,
        stdout: Pin<Box<dyn AsyncWrite + Send>>,
        stderr: Pin<Box<dyn AsyncWrite + Send>>,
    ) -> i32 {
        let mut io = Io {
            stdin: stdin.unwrap_or_else(empty_reader),
            stdin_size: None,
            fds: Default::default(),
            stdout: SharedWriter::new(stdout),
            stderr: SharedWriter::new(stderr),
        };
        self.state.set_var("BASH_EXECUTION_STRING", line);
        let origin = script::Origin::CommandString;
        let status = match script::run_main_text(&mut self.state, &mut io, line, origin).await {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
        };
        let status = trap::run_exit_trap(&mut self.state, &mut io, status).await;
        jobs::finish_all(&self.state.jobs).await;
        self.state.last_status = status;
        for e in redirect::finish_all(redirect::take_exec_writes(&self.state, None)).await {
            shell_error(&self.state, &io.stderr, &e).await;
        }
        io.stdout.close().await;
        io.stderr.close().await;
        status
    }

    /// Runs `line` and collects everything it printed.
    pub async fn execute(&mut self, line: &str) -> ExecOutput {
        self.execute_with_stdin(line, Vec::new()).await
    }

    /// Runs `line` with `stdin` as its standard input.
    pub async fn execute_with_stdin(&mut self, line: &str, stdin: Vec<u8>) -> ExecOutput {
        let (mut out_r, out_w) = io::pipe(run::PIPE_CAPACITY);
        let (mut err_r, err_w) = io::pipe(run::PIPE_CAPACITY);
        let stdin = if stdin.is_empty() {
            None
        } else {
            Some(io::bytes_reader(stdin))
        };
        let run = self.execute_to(line, stdin, Box::pin(out_w), Box::pin(err_w));
        let read_out = async {
            let mut v = Vec::new();
            let _ = out_r.read_to_end(&mut v).await;
            v
        };
        let read_err = async {
            let mut v = Vec::new();
            let _ = err_r.read_to_end(&mut v).await;
            v
        };
        let (status, stdout, stderr) = futures::join!(run, read_out, read_err);
        ExecOutput {
            stdout,
            stderr,
            status,
        }
    }
}
