//! Executing the syntax tree: lists, and-or chains, pipelines and compound commands.

use std::sync::Arc;

use brush_parser::ast::{
    self, CaseItemPostAction, CompoundCommand, CompoundList, IoRedirect, Pipeline,
};
use futures::future::BoxFuture;
use tokio::io::AsyncReadExt;

use super::io::{Io, SharedWriter, empty_reader};
use super::state::ShellState;
use super::{arith, expand, pattern, redirect, simple, syntax, test_expr};

/// Control flow that unwinds through enclosing constructs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Break(usize),
    Continue(usize),
    Return(i32),
    Exit(i32),
}

pub type Exec = Result<i32, Flow>;

/// Capacity of the byte channel between two pipeline stages: the bound that gives backpressure.
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// Writes one of the shell's own diagnostics to `w`, worded as bash words it: `bash: line 3:
/// MSG` (the name and line from `st`, see `ShellState::diagnostic_prefix`). Mirage's own
/// refusals (a message saying something is not supported) keep the `mirage: ` prefix instead,
/// so they can never be mistaken for something bash would print.
pub async fn shell_error(st: &ShellState, w: &SharedWriter, msg: &str) {
    let prefix = if is_refusal(msg) {
        "mirage: ".to_string()
    } else {
        st.diagnostic_prefix()
    };
    // A message spanning lines (an arithmetic error quoting `1 +\n`) has one prefix.
    use tokio::io::AsyncWriteExt;
    let mut w = w.clone();
    let _ = w.write_all(format!("{prefix}{msg}\n").as_bytes()).await;
}

/// True for a message in which Mirage refuses something bash would do.
fn is_refusal(msg: &str) -> bool {
    msg.contains("not supported") || msg.contains("unsupported")
}

/// Writes `PREFIX` before every line of `msg` (bash repeats it on the second line of a syntax
/// error), then a newline.
pub async fn write_diagnostic(w: &SharedWriter, prefix: &str, msg: &str) {
    use tokio::io::AsyncWriteExt;
    let mut text = String::with_capacity(prefix.len() + msg.len() + 1);
    for line in msg.split('\n') {
        text.push_str(prefix);
        text.push_str(line);
        text.push('\n');
    }
    let mut w = w.clone();
    let _ = w.write_all(text.as_bytes()).await;
}

pub fn run_program<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    program: &'a ast::Program,
) -> BoxFuture<'a, Exec> {
    Box::pin(async move {
        let mut status = 0;
        for cc in &program.complete_commands {
            status = exec_list(st, io, cc).await?;
        }
        Ok(status)
    })
}

pub fn exec_list<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    list: &'a CompoundList,
) -> BoxFuture<'a, Exec> {
    Box::pin(async move {
        let mut status = 0;
        for item in &list.0 {
            status = if matches!(item.1, ast::SeparatorOperator::Async) {
                super::jobs::run_in_background(st, io, &item.0).await?
            } else {
                exec_and_or(st, io, &item.0).await?
            };
        }
        Ok(status)
    })
}

pub(super) fn exec_and_or<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    ao: &'a ast::AndOrList,
) -> BoxFuture<'a, Exec> {
    Box::pin(async move {
        let has_more = !ao.additional.is_empty();
        // The left sides of && and || are conditions: set -e does not fire on them.
        if has_more {
            st.errexit_suppressed += 1;
        }
        let first = exec_pipeline(st, io, &ao.first).await;
        if has_more {
            st.errexit_suppressed -= 1;
        }
        let mut status = first?;
        let mut last_bang = ao.first.bang;
        let mut last_ran = !has_more;
        let n = ao.additional.len();
        for (i, next) in ao.additional.iter().enumerate() {
            let (run, p) = match next {
                ast::AndOr::And(p) => (status == 0, p),
                ast::AndOr::Or(p) => (status != 0, p),
            };
            if !run {
                continue;
            }
            let is_last = i + 1 == n;
            if !is_last {
                st.errexit_suppressed += 1;
            }
            let r = exec_pipeline(st, io, p).await;
            if !is_last {
                st.errexit_suppressed -= 1;
            }
            status = r?;
            last_bang = p.bang;
            last_ran = is_last;
        }
        st.last_status = status;
        if status != 0
            && st.errexit_suppressed == 0
            && !last_bang
            && last_ran
            && st.local_frames.is_empty()
            && let Some(cmd) = st.err_trap.take()
        {
            // `trap CMD ERR`: runs after a failing command where `set -e` would act (not in
            // conditions, not inside functions without `set -E`), with `$?` still the status.
            let frozen = std::mem::replace(&mut st.lineno_frozen, true);
            let in_trap = std::mem::replace(&mut st.running_trap, true);
            let r = super::script::run_text(st, io, &cmd, super::script::Origin::Eval).await;
            st.lineno_frozen = frozen;
            st.running_trap = in_trap;
            if st.err_trap.is_none() {
                st.err_trap = Some(cmd);
            }
            if let Err(Flow::Exit(s)) = r {
                return Err(Flow::Exit(s));
            }
            st.last_status = status;
        }
        if status != 0 && st.opts.errexit && st.errexit_suppressed == 0 && !last_bang && last_ran {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    })
}

pub(super) fn flow_status(r: Exec) -> i32 {
    match r {
        Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
    }
}

fn exec_pipeline<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    p: &'a Pipeline,
) -> BoxFuture<'a, Exec> {
    Box::pin(async move {
        let stopwatch = p
            .timed
            .as_ref()
            .map(|t| (super::timing::Stopwatch::start(), t));
        if p.bang {
            st.errexit_suppressed += 1;
        }
        let result = if p.seq.len() == 1 {
            let r = exec_command(st, io, &p.seq[0]).await;
            if let Ok(s) = r {
                st.pipestatus = vec![s];
            }
            r
        } else {
            let statuses = match run_stages(st, io, &p.seq).await {
                Ok(v) => v,
                Err(flow) => {
                    // `exit` (or `return`) in a `lastpipe` stage leaves the shell (function).
                    if p.bang {
                        st.errexit_suppressed -= 1;
                    }
                    return Err(flow);
                }
            };
            let last = statuses.last().copied().unwrap_or(0);
            let status = if st.opts.pipefail {
                statuses
                    .iter()
                    .rev()
                    .find(|s| **s != 0)
                    .copied()
                    .unwrap_or(0)
            } else {
                last
            };
            st.pipestatus = statuses;
            Ok(status)
        };
        if p.bang {
            st.errexit_suppressed -= 1;
        }
        if let Some((watch, timed)) = stopwatch {
            super::timing::write_report(st, &io.stderr, &watch, timed.is_posix_output()).await;
        }
        let status = result?;
        let status = if p.bang { (status == 0) as i32 } else { status };
        st.last_status = status;
        Ok(status)
    })
}

/// Runs the stages of a multi-command pipeline concurrently, each in its own copy of the shell
/// state (bash runs them in subshells), joined by bounded pipes.
async fn run_stages(
    st: &mut ShellState,
    io: &mut Io,
    seq: &[ast::Command],
) -> Result<Vec<i32>, Flow> {
    let n = seq.len();
    let mut futs = Vec::with_capacity(n);
    let mut next_stdin = Some(io.take_stdin());
    // `shopt -s lastpipe` (job control is off in a `-c` shell): the last stage runs in the
    // current shell, so `echo v | read x` sets x.
    let lastpipe = st.shopt_other.contains("lastpipe");
    let staged = if lastpipe { n - 1 } else { n };
    for (i, cmd) in seq.iter().enumerate().take(staged) {
        let stdin = next_stdin.take().unwrap_or_else(empty_reader);
        let (stdout, owns_stdout) = if i + 1 == n {
            (io.stdout.clone(), false)
        } else {
            let (r, w) = super::io::pipe(PIPE_CAPACITY);
            next_stdin = Some(Box::pin(tokio::io::BufReader::with_capacity(
                PIPE_CAPACITY,
                r,
            )));
            (SharedWriter::new(Box::pin(w)), true)
        };
        let mut sub_io = Io {
            stdin,
            stdin_size: None,
            fds: io.fds.clone(),
            stdout,
            stderr: io.stderr.clone(),
        };
        // bash does not count pipeline stages in BASH_SUBSHELL.
        let mut sub_st = st.clone();
        // Subshells do not inherit the ERR trap (no `set -E` here).
        sub_st.err_trap = None;
        futs.push(async move {
            let status = flow_status(exec_command(&mut sub_st, &mut sub_io, cmd).await);
            if owns_stdout {
                sub_io.stdout.close().await;
            }
            // The first stage shares the pipeline's stdin, as a forked bash shares the
            // descriptor: what it did not read stays for the next command (`while read l; do
            // echo "$l" | cmd; done`). Later stages drop theirs, which tells the writer
            // upstream that nobody reads any more.
            let rest = (i == 0).then(|| sub_io.take_stdin());
            drop(sub_io);
            (status, rest)
        });
    }
    let results = if lastpipe {
        let mut last_io = Io {
            stdin: next_stdin.take().unwrap_or_else(empty_reader),
            stdin_size: None,
            fds: io.fds.clone(),
            stdout: io.stdout.clone(),
            stderr: io.stderr.clone(),
        };
        let last = async {
            let r = exec_command(st, &mut last_io, &seq[n - 1]).await;
            drop(last_io);
            r
        };
        let (mut results, last) = futures::join!(futures::future::join_all(futs), last);
        let status = match last {
            Err(f @ (Flow::Exit(_) | Flow::Return(_))) => return Err(f),
            other => flow_status(other),
        };
        results.push((status, None));
        results
    } else {
        futures::future::join_all(futs).await
    };
    let mut statuses = Vec::with_capacity(n);
    for (status, rest) in results {
        if let Some(r) = rest {
            io.stdin = r;
        }
        statuses.push(status);
    }
    Ok(statuses)
}

pub fn exec_command<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    cmd: &'a ast::Command,
) -> BoxFuture<'a, Exec> {
    crate::stack::grow(Box::pin(async move {
        if !st.lineno_frozen
            && let Some((start, end)) = command_lines(cmd)
        {
            st.lineno = st.line_offset + start;
            st.lineno_end = st.line_offset + end;
        }
        match cmd {
            ast::Command::Simple(sc) => simple::exec_simple(st, io, sc).await,
            ast::Command::Compound(cc, redirects) => {
                let list: Vec<&IoRedirect> = redirects.iter().flat_map(|r| r.0.iter()).collect();
                if list.is_empty() {
                    return exec_compound(st, io, cc).await;
                }
                let mut r = Redirected::begin(st, io, &list).await;
                let result = if r.failed {
                    Ok(1)
                } else {
                    exec_compound(st, &mut r.io, cc).await
                };
                r.end(st, io, result).await
            }
            ast::Command::Function(def) => {
                let name = def.fname.value.clone();
                // bash 5.2 says a function defined in a `-c` string comes from "environment".
                let source = st.sources.last().cloned();
                let source = source.unwrap_or_else(|| "environment".to_string());
                st.function_sources.insert(name.clone(), source);
                st.functions.insert(name, Arc::new(def.clone()));
                Ok(0)
            }
            ast::Command::ExtendedTest(t, redirects) => {
                let list: Vec<&IoRedirect> = redirects.iter().flat_map(|r| r.0.iter()).collect();
                let mut r = Redirected::begin(st, io, &list).await;
                let result = if r.failed {
                    Ok(1)
                } else {
                    test_expr::eval_extended(st, &mut r.io, &t.expr).await
                };
                r.end(st, io, result).await
            }
        }
    }))
}

/// A scope with redirections applied: commands run against `io`, then [`Redirected::end`]
/// finishes the redirected writes and hands the outer stdin back.
pub struct Redirected {
    pub io: Io,
    pending: Vec<redirect::PendingWrite>,
    saved_stdin: Option<mirage_core::Reader>,
    /// `<&N`: the input descriptor whose reader is lent as stdin, with the table to return
    /// it to.
    lent_fd: Option<i32>,
    in_fds: Arc<std::sync::Mutex<std::collections::BTreeMap<i32, mirage_core::Reader>>>,
    /// Input descriptors opened by these redirections (`done 3< f`), closed at the end.
    opened_fds: Vec<i32>,
    /// Setting up a redirection failed; the command must not run (status 1).
    pub failed: bool,
    /// The line the command stood on, for errors finishing its writes (the prefix itself is
    /// only built when there is one: this runs for every redirected command).
    error_line: usize,
}

impl Redirected {
    pub async fn begin(st: &mut ShellState, io: &mut Io, redirects: &[&IoRedirect]) -> Redirected {
        let stdin_size = io.stdin_size;
        let mut sub = Io {
            stdin_size,
            fds: io.fds.clone(),
            stdin: io.take_stdin(),
            stdout: io.stdout.clone(),
            stderr: io.stderr.clone(),
        };
        let had_input_redirect = redirects.iter().any(|r| is_input_redirect(r));
        let mut saved_stdin = if had_input_redirect {
            Some(std::mem::replace(&mut sub.stdin, empty_reader()))
        } else {
            None
        };
        let mut pending = Vec::new();
        let applied =
            redirect::apply_keeping(st, &mut sub, redirects, &mut pending, &mut saved_stdin).await;
        let failed = match applied {
            Err(msg) => {
                shell_error(st, &io.stderr, &msg).await;
                true
            }
            Ok(()) => false,
        };
        let lent_fd = redirects.iter().rev().find_map(|r| match r {
            IoRedirect::File(None | Some(0), ast::IoFileRedirectKind::DuplicateInput, t) => {
                let src = match t {
                    ast::IoFileRedirectTarget::Fd(n) => n.to_string(),
                    ast::IoFileRedirectTarget::Duplicate(w) => w.value.clone(),
                    _ => return None,
                };
                src.parse::<i32>().ok().filter(|n| *n >= 3)
            }
            _ => None,
        });
        let opened_fds = redirects
            .iter()
            .filter_map(|r| match r {
                IoRedirect::File(Some(n), ast::IoFileRedirectKind::Read, _) if *n >= 3 => Some(*n),
                _ => None,
            })
            .collect();
        Redirected {
            error_line: st.lineno_end,
            io: sub,
            pending,
            saved_stdin,
            lent_fd,
            in_fds: st.in_fds.clone(),
            opened_fds,
            failed,
        }
    }

    pub async fn end(mut self, st: &ShellState, outer: &mut Io, result: Exec) -> Exec {
        // Hand stdin back (or drop a redirected one) first: a process substitution still
        // writing into it must see the reader gone before we wait for it.
        outer.stdin = match self.saved_stdin.take() {
            Some(orig) => orig,
            None => self.io.take_stdin(),
        };
        let rest = self.io.take_stdin();
        if let Ok(mut m) = self.in_fds.lock() {
            // Hand a lent descriptor back where it continues (unless it was reopened), and
            // close the ones these redirections opened.
            if let Some(n) = self.lent_fd {
                m.entry(n).or_insert(rest);
            }
            for fd in &self.opened_fds {
                m.remove(fd);
            }
        }
        let errors = redirect::finish_all(std::mem::take(&mut self.pending)).await;
        let mut result = if self.failed { Ok(1) } else { result };
        if !errors.is_empty() {
            for e in &errors {
                let prefix = st.diagnostic_prefix_at(self.error_line);
                write_diagnostic(&outer.stderr, &prefix, e).await;
            }
            if matches!(result, Ok(0)) {
                result = Ok(1);
            }
        }
        result
    }
}

fn is_input_redirect(r: &IoRedirect) -> bool {
    if let IoRedirect::File(None | Some(0), ast::IoFileRedirectKind::DuplicateInput, t) = r {
        // `<&0` keeps stdin; `<&3` replaces it.
        return match t {
            ast::IoFileRedirectTarget::Fd(n) => *n != 0,
            ast::IoFileRedirectTarget::Duplicate(w) => w.value != "0",
            _ => false,
        };
    }
    matches!(
        r,
        IoRedirect::File(None | Some(0), ast::IoFileRedirectKind::Read, _)
            | IoRedirect::HereDocument(..)
            | IoRedirect::HereString(..)
    )
}

async fn run_condition(st: &mut ShellState, io: &mut Io, list: &CompoundList) -> Exec {
    st.errexit_suppressed += 1;
    let r = exec_list(st, io, list).await;
    st.errexit_suppressed -= 1;
    r
}

/// Handles break/continue arriving at a loop: returns Some(flow-to-propagate) or None to
/// continue the loop normally; `stop` tells the loop to end.
fn loop_control(r: Exec, status: &mut i32) -> Result<bool, Flow> {
    match r {
        Ok(s) => {
            *status = s;
            Ok(false)
        }
        Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
        Err(Flow::Break(_)) => Ok(true),
        Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
        Err(Flow::Continue(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

fn exec_compound<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    cc: &'a CompoundCommand,
) -> BoxFuture<'a, Exec> {
    Box::pin(async move {
        match cc {
            CompoundCommand::BraceGroup(g) => exec_list(st, io, &g.list).await,
            CompoundCommand::Subshell(s) => {
                let mut sub = st.subshell();
                sub.err_trap = None;
                // A subshell starts without the parent's EXIT trap and runs its own at its end.
                sub.exit_trap = None;
                let status = flow_status(exec_list(&mut sub, io, &s.list).await);
                Ok(super::trap::run_exit_trap(&mut sub, io, status).await)
            }
            CompoundCommand::IfClause(c) => {
                if run_condition(st, io, &c.condition).await? == 0 {
                    return exec_list(st, io, &c.then).await;
                }
                for e in c.elses.iter().flatten() {
                    match &e.condition {
                        Some(cond) => {
                            if run_condition(st, io, cond).await? == 0 {
                                return exec_list(st, io, &e.body).await;
                            }
                        }
                        None => return exec_list(st, io, &e.body).await,
                    }
                }
                Ok(0)
            }
            CompoundCommand::WhileClause(w) | CompoundCommand::UntilClause(w) => {
                let until = matches!(cc, CompoundCommand::UntilClause(_));
                let mut status = 0;
                st.loop_depth += 1;
                let r = async {
                    loop {
                        let c = run_condition(st, io, &w.0).await?;
                        if (c == 0) == until {
                            break;
                        }
                        if loop_control(exec_list(st, io, &w.1.list).await, &mut status)? {
                            break;
                        }
                    }
                    Ok(status)
                }
                .await;
                st.loop_depth -= 1;
                r
            }
            CompoundCommand::ForClause(f) => {
                let err = io.stderr.clone();
                let values = match &f.values {
                    None => st.positional.clone(),
                    Some(words) => {
                        let mut v = Vec::new();
                        for w in words {
                            match expand::expand_word(st, &err, &w.value).await {
                                Ok(mut x) => v.append(&mut x),
                                Err(e) => return expansion_failed(st, io, e).await,
                            }
                        }
                        v
                    }
                };
                let mut status = 0;
                st.loop_depth += 1;
                let r = async {
                    for v in values.iter() {
                        if st.opts.xtrace {
                            // bash traces the loop header as written, once per iteration.
                            let words: Vec<&str> = f
                                .values
                                .iter()
                                .flatten()
                                .map(|w| w.value.as_str())
                                .collect();
                            let stderr = io.stderr.clone();
                            super::simple::xtrace_to(
                                st,
                                &stderr,
                                &format!("for {} in {}", f.variable_name, words.join(" ")),
                            )
                            .await;
                        }
                        st.set_var(&f.variable_name, v);
                        if loop_control(exec_list(st, io, &f.body.list).await, &mut status)? {
                            break;
                        }
                    }
                    Ok(status)
                }
                .await;
                st.loop_depth -= 1;
                r
            }
            CompoundCommand::ArithmeticForClause(f) => {
                let err = io.stderr.clone();
                let mut status = 0;
                if let Some(init) = &f.initializer
                    && let Err(s) = eval_arith(st, &err, &init.value).await
                {
                    return Ok(s);
                }
                st.loop_depth += 1;
                let r = async {
                    loop {
                        if let Some(cond) = &f.condition {
                            match eval_arith(st, &err, &cond.value).await {
                                Ok(0) => break,
                                Ok(_) => {}
                                Err(s) => return Ok(s),
                            }
                        }
                        if loop_control(exec_list(st, io, &f.body.list).await, &mut status)? {
                            break;
                        }
                        if let Some(upd) = &f.updater
                            && let Err(s) = eval_arith(st, &err, &upd.value).await
                        {
                            return Ok(s);
                        }
                    }
                    Ok(status)
                }
                .await;
                st.loop_depth -= 1;
                r
            }
            CompoundCommand::CaseClause(c) => {
                let err = io.stderr.clone();
                let subject = match expand::expand_string(st, &err, &c.value.value).await {
                    Ok(s) => s,
                    Err(e) => return expansion_failed(st, io, e).await,
                };
                let mut status = 0;
                let mut fall_through = false;
                for item in &c.cases {
                    let mut matched = fall_through;
                    if !matched {
                        for p in &item.patterns {
                            let pat = match expand::expand_pattern(st, &err, &p.value).await {
                                Ok(p) => p,
                                Err(e) => return expansion_failed(st, io, e).await,
                            };
                            if pattern::matches_case(&pat, &subject, !st.nocasematch()) {
                                matched = true;
                                break;
                            }
                        }
                    }
                    if !matched {
                        continue;
                    }
                    status = match &item.cmd {
                        Some(list) => exec_list(st, io, list).await?,
                        None => 0,
                    };
                    match item.post_action {
                        CaseItemPostAction::ExitCase => return Ok(status),
                        CaseItemPostAction::UnconditionallyExecuteNextCaseItem => {
                            fall_through = true
                        }
                        CaseItemPostAction::ContinueEvaluatingCases => fall_through = false,
                    }
                }
                Ok(status)
            }
            CompoundCommand::Arithmetic(a)
                if brush_parser::arithmetic::parse(a.expr.value.replace('"', "").trim())
                    .is_err()
                    && looks_like_commands(st, &a.expr.value) =>
            {
                // `( ( cmd ) )` is two nested subshells, not arithmetic: bash re-parses it so.
                let text = format!("(\n({})\n)", a.expr.value);
                let mut sub = st.subshell();
                sub.err_trap = None;
                let program = match syntax::parse(&text) {
                    Ok(p) => p,
                    Err(e) => {
                        let origin = super::script::Origin::current(st);
                        super::script::report(st, &io.stderr, &e, origin, st.lineno_end).await;
                        return Ok(2);
                    }
                };
                Ok(flow_status(run_program(&mut sub, io, &program).await))
            }
            CompoundCommand::Arithmetic(a) => {
                let err = io.stderr.clone();
                // The parser keeps the expression without its surrounding blanks, but bash
                // quotes the blanks before `))` in its error token and shows them in its
                // trace; the span tells how many blanks there were, and the usual `(( x ))`
                // has them on both sides.
                let inside = a.loc.end.index.saturating_sub(a.loc.start.index + 4);
                let blanks = inside.saturating_sub(a.expr.value.trim().len()) / 2;
                let pad = " ".repeat(blanks);
                let text = format!("{}{pad}", a.expr.value.trim());
                if st.opts.xtrace {
                    let shown = format!("(( {pad}{text} ))");
                    super::simple::xtrace_to(st, &err, &shown).await;
                }
                match eval_arith(st, &err, &text).await {
                    Ok(v) => Ok((v == 0) as i32),
                    Err(s) => Ok(s),
                }
            }
            CompoundCommand::Coprocess(_) => {
                shell_error(st, &io.stderr, "coproc: not supported").await;
                Ok(2)
            }
        }
    })
}

/// The lines a command starts and ends on. brush-parser gives redirections no location, so a
/// simple command is measured over the parts that have one (its words, assignments and
/// redirection targets): `r=2 2>&1` is still on its own line, and `eval '...' 2>&1` ends where
/// its quoted text does.
fn command_lines(cmd: &ast::Command) -> Option<(usize, usize)> {
    use brush_parser::ast::SourceLocation;
    use brush_parser::ast::{CommandPrefixOrSuffixItem as Item, IoFileRedirectTarget, IoRedirect};
    let ast::Command::Simple(sc) = cmd else {
        return cmd.location().map(|l| (l.start.line, l.end.line));
    };
    let item_span = |item: &Item| match item {
        Item::IoRedirect(IoRedirect::File(
            _,
            _,
            IoFileRedirectTarget::Filename(w) | IoFileRedirectTarget::Duplicate(w),
        )) => w.location(),
        other => other.location(),
    };
    let spans = sc
        .prefix
        .iter()
        .flat_map(|p| p.0.iter())
        .chain(sc.suffix.iter().flat_map(|s| s.0.iter()))
        .filter_map(item_span)
        .chain(sc.word_or_name.as_ref().and_then(|w| w.location()));
    spans.fold(None, |acc, s| match acc {
        None => Some((s.start.line, s.end.line)),
        Some((a, b)) => Some((a.min(s.start.line), b.max(s.end.line))),
    })
}

/// True when the text of a would-be `(( ))` starts like a command list (`( cmd ) `).
fn looks_like_commands(st: &ShellState, text: &str) -> bool {
    let t = text.trim();
    if t.starts_with('(') {
        return true;
    }
    // `(( x = ))` and `(( a b ))` are arithmetic errors; `((cmd args) )` names a command.
    let first = t
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | ')'))
        .next()
        .unwrap_or("");
    t.contains(char::is_whitespace)
        && (super::builtins::is_builtin(first)
            || st.functions.contains_key(first)
            || st.commands.resolve(first, None, None).is_some())
}

/// Expands and evaluates arithmetic text; on failure prints the message and returns Err(1).
/// The text is expanded as if double-quoted; double quotes inside it are removed, as bash
/// removes them (`(( "$x" > 2 ))`).
async fn eval_arith(st: &mut ShellState, err: &SharedWriter, text: &str) -> Result<i64, i32> {
    let fields = match expand::expand_string(st, err, &format!("\"{text}\"")).await {
        Ok(s) => s,
        Err(e) => {
            shell_error(st, err, &e.message).await;
            return Err(1);
        }
    };
    match arith::eval_str(st, &fields) {
        Ok(v) => Ok(v),
        Err(e) => {
            shell_error(st, err, &format!("((: {}", arith::describe(&fields, &e))).await;
            Err(1)
        }
    }
}

/// Reports an expansion error; fatal ones end the shell as bash does.
pub async fn expansion_failed(st: &mut ShellState, io: &mut Io, e: expand::ExpandError) -> Exec {
    shell_error(st, &io.stderr, &e.message).await;
    st.last_status = 1;
    if e.discards {
        st.discarding = true;
    }
    if e.fatal {
        // `${x:?}` and `set -u` end a `-c` shell with 127, a script (or a shell under
        // `set -e`) with 1.
        let status = if e.status == 127 && (st.invocation_flag != Some('c') || st.opts.errexit) {
            1
        } else {
            e.status
        };
        Err(Flow::Exit(status))
    } else {
        Ok(1)
    }
}

/// Runs `cmd` in a subshell and returns what it printed (for `$(...)`) and its status.
pub async fn capture(st: &mut ShellState, err: &SharedWriter, cmd: &str) -> (String, i32) {
    let program = match syntax::parse(cmd) {
        Ok(p) => p,
        Err(e) => {
            let origin = super::script::Origin::current(st);
            super::script::report(st, err, &e, origin, st.lineno_end).await;
            return (String::new(), 2);
        }
    };
    let program = slurp_rewrite(program);
    // The substitution's lines are counted from the line of the command it is in.
    let offset = std::mem::replace(&mut st.line_offset, st.lineno.saturating_sub(1));
    let (out, status) = capture_program(st, err, &program).await;
    st.line_offset = offset;
    (String::from_utf8_lossy(&out).into_owned(), status)
}

/// `$(< file)` is bash's shorthand for `$(cat file)`: a substitution whose only command is an
/// input redirection. It is run as `cat` with that redirection (a failed redirection reports
/// the shell's own error, as bash does).
fn slurp_rewrite(mut program: ast::Program) -> ast::Program {
    let is_slurp = |p: &ast::Program| -> bool {
        let [cc] = p.complete_commands.as_slice() else {
            return false;
        };
        let [item] = cc.0.as_slice() else {
            return false;
        };
        if !item.0.additional.is_empty() || item.0.first.bang || item.0.first.seq.len() != 1 {
            return false;
        }
        let ast::Command::Simple(sc) = &item.0.first.seq[0] else {
            return false;
        };
        if sc.word_or_name.is_some() || sc.suffix.is_some() {
            return false;
        }
        let Some(prefix) = &sc.prefix else {
            return false;
        };
        matches!(
            prefix.0.as_slice(),
            [ast::CommandPrefixOrSuffixItem::IoRedirect(
                ast::IoRedirect::File(None | Some(0), ast::IoFileRedirectKind::Read, _)
            )]
        )
    };
    if !is_slurp(&program) {
        return program;
    }
    if let Some(ast::Command::Simple(sc)) = program
        .complete_commands
        .get_mut(0)
        .and_then(|cc| cc.0.get_mut(0))
        .and_then(|item| item.0.first.seq.get_mut(0))
    {
        sc.word_or_name = Some(ast::Word {
            value: "\\cat".to_string(),
            loc: None,
        });
    }
    program
}

/// Runs a parsed program in a subshell, collecting its stdout as bytes.
pub async fn capture_program(
    st: &ShellState,
    err: &SharedWriter,
    program: &ast::Program,
) -> (Vec<u8>, i32) {
    let (mut r, w) = super::io::pipe(PIPE_CAPACITY);
    let writer = SharedWriter::new(Box::pin(w));
    let slot = st.stdin_slot.clone();
    let lent = slot.as_ref().and_then(|s| s.lock().ok()?.take());
    let mut io = Io {
        stdin: lent.unwrap_or_else(empty_reader),
        stdin_size: None,
        fds: st.exec_fds.clone(),
        stdout: writer.clone(),
        stderr: err.clone(),
    };
    let mut sub = st.subshell();
    sub.err_trap = None;
    sub.stdin_slot = None;
    sub.trace_level += 1;
    // The subshell starts without the EXIT trap and runs one it sets itself when it ends.
    sub.exit_trap = None;
    // A command substitution does not inherit `set -e` (unless `shopt -s inherit_errexit`).
    if !st.shopt_other.contains("inherit_errexit") {
        sub.opts.errexit = false;
    }
    let run = async {
        let status = flow_status(run_program(&mut sub, &mut io, program).await);
        let status = super::trap::run_exit_trap(&mut sub, &mut io, status).await;
        writer.close().await;
        // What the substitution did not read stays for the command.
        if let Some(s) = &slot
            && let Ok(mut g) = s.lock()
        {
            *g = Some(io.take_stdin());
        }
        drop(io);
        status
    };
    let read = async {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf).await;
        buf
    };
    let (status, out) = futures::join!(run, read);
    (out, status)
}
