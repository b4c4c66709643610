//! Running program text the way bash reads it: one complete command at a time, so a syntax
//! error further down is reported after the commands before it have run, with the prefix bash
//! gives syntax errors in that kind of text.

use super::io::{Io, SharedWriter};
use super::run::{Exec, Flow, exec_list, write_diagnostic};
use super::state::ShellState;
use super::syntax::{self, SyntaxError};

/// Where program text came from; it decides how bash names a syntax error in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A `-c` string (every Mirage line): `bash: -c: line 2: ...`.
    CommandString,
    /// A script file, a sourced file or a script read from stdin: `job.sh: line 2: ...`.
    File,
    /// `eval` text (and trap commands): `bash: eval: line 2: ...`.
    Eval,
}

impl Origin {
    /// Text parsed while a command runs (`$(...)`, `( ( ... ) )`) belongs to what is running:
    /// a file when one is being read, else the `-c` string.
    pub fn current(st: &ShellState) -> Origin {
        if st.sources.is_empty() {
            Origin::CommandString
        } else {
            Origin::File
        }
    }
}

/// Parses and runs `text`. On a syntax error, the complete commands before it run first (an
/// `exit` among them ends things before the error is read), then the error is reported and
/// the status is 2.
pub async fn run_text(st: &mut ShellState, io: &mut Io, text: &str, origin: Origin) -> Exec {
    run(st, io, text, origin, false).await
}

/// `run_text` for the text a shell was started with (a `-c` line, a script): the same, except
/// that a command bash would discard (see `ShellState::discarding`) ends only itself, and the
/// shell goes on with the next complete command.
pub async fn run_main_text(st: &mut ShellState, io: &mut Io, text: &str, origin: Origin) -> Exec {
    run(st, io, text, origin, true).await
}

async fn run(st: &mut ShellState, io: &mut Io, text: &str, origin: Origin, main: bool) -> Exec {
    let (program, error) = match syntax::parse(text) {
        Ok(program) => (Some(program), None),
        Err(e) => (syntax::runnable_prefix(text, e.line), Some(e)),
    };
    let mut status = 0;
    for cc in program.iter().flat_map(|p| &p.complete_commands) {
        status = match exec_list(st, io, cc).await {
            Err(Flow::Exit(s)) if main && st.discarding => {
                st.discarding = false;
                st.last_status = s;
                s
            }
            other => other?,
        };
    }
    match error {
        Some(e) => {
            report_at_line(st, &io.stderr, &e, origin).await;
            Ok(2)
        }
        None => Ok(status),
    }
}

/// Reports `e`, found in text starting `st.line_offset` lines down.
async fn report_at_line(st: &ShellState, w: &SharedWriter, e: &SyntaxError, origin: Origin) {
    report(st, w, e, origin, st.line_offset + e.line).await;
}

/// Writes a syntax error found at `line` of text from `origin`.
pub async fn report(
    st: &ShellState,
    w: &SharedWriter,
    e: &SyntaxError,
    origin: Origin,
    line: usize,
) {
    let prefix = match origin {
        Origin::CommandString => format!("{}: -c: line {line}: ", st.shell_name),
        Origin::File => format!("{}: line {line}: ", st.diagnostic_name()),
        Origin::Eval => format!("{}: eval: line {line}: ", st.diagnostic_name()),
    };
    write_diagnostic(w, &prefix, &e.message).await;
}
