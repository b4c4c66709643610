//! Running program text the way bash reads it: one complete command at a time, so a syntax
//! error further down is reported after the commands before it have run, with the prefix bash
//! gives syntax errors in that kind of text.

use brush_parser::ast::SourceLocation;

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
    let mut echo = VerboseEcho::new(text);
    for cc in program.iter().flat_map(|p| &p.complete_commands) {
        echo.read_through(st, &io.stderr, cc.location().map(|l| l.end.line))
            .await;
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
            echo.read_through(st, &io.stderr, Some(e.line)).await;
            report_at_line(st, &io.stderr, &e, origin).await;
            Ok(2)
        }
        None => {
            echo.read_through(st, &io.stderr, None).await;
            Ok(status)
        }
    }
}

/// `set -v`: bash echoes its input to stderr as it reads it, a line at a time, before running
/// the command read. A text is read one complete command at a time, so the lines through the
/// end of each command are echoed before it runs, if the option is on by then.
struct VerboseEcho<'t> {
    lines: std::str::SplitInclusive<'t, char>,
    /// 1-based number of the next line to read.
    next: usize,
}

impl<'t> VerboseEcho<'t> {
    fn new(text: &'t str) -> Self {
        VerboseEcho {
            lines: text.split_inclusive('\n'),
            next: 1,
        }
    }

    /// Reads the lines through `last` (to the end when `None`), and the bodies of the
    /// here-documents they open, echoing them under `set -v`.
    async fn read_through(&mut self, st: &ShellState, stderr: &SharedWriter, last: Option<usize>) {
        let mut shown = String::new();
        let mut heredocs: Vec<String> = Vec::new();
        while last.is_none_or(|l| self.next <= l) || !heredocs.is_empty() {
            let Some(line) = self.lines.next() else { break };
            self.next += 1;
            if heredocs
                .first()
                .is_some_and(|d| line.trim_end_matches('\n').trim_start_matches('\t') == d)
            {
                heredocs.remove(0);
            } else if heredocs.is_empty() {
                heredocs = heredoc_delimiters(line);
            }
            if st.opts.verbose {
                shown.push_str(line);
                if !line.ends_with('\n') {
                    shown.push('\n');
                }
            }
        }
        if !shown.is_empty() {
            use tokio::io::AsyncWriteExt;
            let _ = stderr.clone().write_all(shown.as_bytes()).await;
        }
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

/// The delimiters of the here-documents a line opens (`cat <<EOF`, `<<-'END'`), in order; a
/// here-string (`<<<`) opens none.
fn heredoc_delimiters(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        if let Some(r) = rest.strip_prefix('<') {
            rest = r;
            continue;
        }
        let word = rest.trim_start_matches('-').trim_start();
        let end = word
            .find(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '<' | '>' | ')'))
            .unwrap_or(word.len());
        let delimiter: String = word[..end]
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if !delimiter.is_empty() {
            found.push(delimiter);
        }
        rest = &word[end..];
    }
    found
}
