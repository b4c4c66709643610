//! Simple commands: expansion of words and assignments, then dispatch to a function, a shell
//! builtin or a registered command.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use brush_parser::ast::{self, CommandPrefixOrSuffixItem, IoRedirect};
use mirage_core::{CommandContext, Output};

use super::builtins;
use super::expand;
use super::io::Io;
use super::run::{Exec, Flow, Redirected, expansion_failed, shell_error};
use super::state::{ShellState, Value, assoc_set};

/// Status for a command that is not found, as in bash.
pub const STATUS_NOT_FOUND: i32 = 127;

/// Deepest function call nesting allowed (bash's FUNCNEST, capped).
pub const MAX_FUNCTION_DEPTH: usize = 200;

pub async fn exec_simple(st: &mut ShellState, io: &mut Io, sc: &ast::SimpleCommand) -> Exec {
    // Command substitutions in the words read the command's stdin (`x=$(cat)`): lend it
    // through a slot while expanding; `exec_simple_inner` takes it back before running.
    let has_subst = |w: &str| w.contains("$(") || w.contains('`');
    let substitutes = sc
        .word_or_name
        .as_ref()
        .is_some_and(|w| has_subst(&w.value))
        || sc
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .chain(sc.suffix.iter().flat_map(|p| p.0.iter()))
            .any(|item| match item {
                CommandPrefixOrSuffixItem::Word(w)
                | CommandPrefixOrSuffixItem::AssignmentWord(_, w) => has_subst(&w.value),
                CommandPrefixOrSuffixItem::ProcessSubstitution(..) => true,
                CommandPrefixOrSuffixItem::IoRedirect(_) => false,
            });
    if !substitutes {
        return exec_simple_inner(st, io, sc, None).await;
    }
    let size = io.stdin_size;
    let slot: super::state::StdinSlot = Arc::new(std::sync::Mutex::new(Some(io.take_stdin())));
    let prev = st.stdin_slot.replace(slot.clone());
    let r = exec_simple_inner(st, io, sc, Some((slot.clone(), prev, size))).await;
    if let Some(rest) = slot.lock().ok().and_then(|mut g| g.take()) {
        io.stdin = rest;
        io.stdin_size = size;
    }
    r
}

/// Hands the lent stdin back to `io` and restores the outer slot.
fn reclaim_stdin(
    st: &mut ShellState,
    io: &mut Io,
    lent: &mut Option<(
        super::state::StdinSlot,
        Option<super::state::StdinSlot>,
        Option<u64>,
    )>,
) {
    if let Some((slot, prev, size)) = lent.take() {
        st.stdin_slot = prev;
        if let Some(rest) = slot.lock().ok().and_then(|mut g| g.take()) {
            io.stdin = rest;
            io.stdin_size = size;
        }
    }
}

async fn exec_simple_inner(
    st: &mut ShellState,
    io: &mut Io,
    sc: &ast::SimpleCommand,
    mut lent: Option<(
        super::state::StdinSlot,
        Option<super::state::StdinSlot>,
        Option<u64>,
    )>,
) -> Exec {
    let err = io.stderr.clone();
    let mut assignments: Vec<&ast::Assignment> = Vec::new();
    let mut redirects: Vec<&IoRedirect> = Vec::new();
    let mut words = CommandWords::default();
    let mut proc_files = super::procsub::ProcFiles::default();
    for item in sc.prefix.iter().flat_map(|p| p.0.iter()) {
        match item {
            CommandPrefixOrSuffixItem::IoRedirect(r) => redirects.push(r),
            CommandPrefixOrSuffixItem::AssignmentWord(a, _) => assignments.push(a),
            CommandPrefixOrSuffixItem::Word(w) => words.push_word(w),
            CommandPrefixOrSuffixItem::ProcessSubstitution(kind, sub) => {
                let path =
                    substitute(st, (&io.stdout, &io.stderr), &mut proc_files, kind, sub).await;
                words.push_path(path, sub);
            }
        }
    }
    if let Some(w) = &sc.word_or_name {
        words.push_word(w);
    }
    // `declare m=(..)`, `local x=$1`, `export A=b`: the builtin declares the names, then the
    // values are assigned with full assignment semantics (arrays, no word splitting).
    let declaring = sc
        .word_or_name
        .as_ref()
        .is_some_and(|w| DECLARATION_BUILTINS.contains(&w.value.as_str()));
    let mut declared: Vec<&ast::Assignment> = Vec::new();
    let mut named_fds: Vec<IoRedirect> = Vec::new();
    let suffix: Vec<&CommandPrefixOrSuffixItem> = match &sc.suffix {
        Some(s) => s.0.iter().collect(),
        None => Vec::new(),
    };
    let mut items = suffix.into_iter().peekable();
    while let Some(item) = items.next() {
        if let CommandPrefixOrSuffixItem::Word(w) = item
            && let Some(CommandPrefixOrSuffixItem::IoRedirect(r)) = items.peek()
            && let Some(name) = super::named_fd::variable(w, r)
        {
            // `{fd}>file`: the shell picks the descriptor and names it in `fd`.
            items.next();
            match super::named_fd::resolve(st, io, name, r, &named_fds) {
                Ok(owned) => named_fds.extend(owned),
                Err(msg) => {
                    shell_error(st, &err, &msg).await;
                    reclaim_stdin(st, io, &mut lent);
                    return Ok(1);
                }
            }
            continue;
        }
        match item {
            CommandPrefixOrSuffixItem::IoRedirect(r) => redirects.push(r),
            CommandPrefixOrSuffixItem::AssignmentWord(a, _) if declaring => {
                declared.push(a);
                words.push_name(match &a.name {
                    ast::AssignmentName::VariableName(n)
                    | ast::AssignmentName::ArrayElementName(n, _) => n,
                });
            }
            CommandPrefixOrSuffixItem::AssignmentWord(_, w)
            | CommandPrefixOrSuffixItem::Word(w) => words.push_word(w),
            CommandPrefixOrSuffixItem::ProcessSubstitution(kind, sub) => {
                let path =
                    substitute(st, (&io.stdout, &io.stderr), &mut proc_files, kind, sub).await;
                words.push_path(path, sub);
            }
        }
    }
    let words = words.words;
    redirects.extend(named_fds.iter());

    // `$BASH_COMMAND`: the command as written, then its redirections, as bash prints it.
    if !st.running_trap {
        use std::fmt::Write;
        let text = &mut st.current_command;
        text.clear();
        // Written in place, part by part: this runs for every simple command.
        let parts = assignments
            .iter()
            .map(|a| a as &dyn std::fmt::Display)
            .chain(words.iter().map(|w| w as &dyn std::fmt::Display))
            .chain(redirects.iter().map(|r| r as &dyn std::fmt::Display));
        for (i, part) in parts.enumerate() {
            let _ = write!(text, "{}{part}", if i > 0 { " " } else { "" });
        }
    }
    // Status of the last command substitution, which a bare assignment returns.
    st.subst_status = None;
    let mut argv = Vec::new();
    for w in &words {
        match expand::expand_word(st, &err, w).await {
            Ok(mut v) => argv.append(&mut v),
            Err(e) => {
                reclaim_stdin(st, io, &mut lent);
                return expansion_failed(st, io, e).await;
            }
        }
    }
    if argv.is_empty() {
        // Assignment-only command: each assignment is expanded and applied in turn, so a
        // later one sees the earlier ones (`IFS=: x=($y)`).
        let status_before = st.subst_status;
        for a in &assignments {
            let v = match assignment_value(st, &err, a).await {
                Ok(v) => v,
                Err(e) => {
                    reclaim_stdin(st, io, &mut lent);
                    return expansion_failed(st, io, e).await;
                }
            };
            let n = match &a.name {
                ast::AssignmentName::VariableName(n)
                | ast::AssignmentName::ArrayElementName(n, _) => n,
            };
            if st.readonly.contains(n) {
                shell_error(st, &io.stderr, &format!("{n}: readonly variable")).await;
                st.last_status = 1;
                // bash abandons the rest of the complete command being run and reads on.
                st.discarding = true;
                return Err(Flow::Exit(1));
            }
            if st.opts.xtrace {
                let shown = match (&a.name, &v) {
                    (ast::AssignmentName::VariableName(n), Value::Str(text)) => {
                        trace_assignment(n, text)
                    }
                    // Arrays and elements are shown as written (`a=("x y" z)`, `c[2]=5`).
                    _ => a.to_string(),
                };
                let stderr = io.stderr.clone();
                xtrace_to(st, &stderr, &shown).await;
            }
            if let Err(e) = assign(st, &err, a, v).await {
                reclaim_stdin(st, io, &mut lent);
                return expansion_failed(st, io, e).await;
            }
        }
        let status = st.subst_status.or(status_before).unwrap_or(0);
        reclaim_stdin(st, io, &mut lent);
        set_last_argument(st, "");
        // Redirections alone still happen (`> file` creates it).
        let r = Redirected::begin(st, io, &redirects).await;
        return r.end(st, io, Ok(status)).await;
    }
    let mut values = Vec::new();
    for a in &assignments {
        match assignment_value(st, &err, a).await {
            Ok(v) => values.push((a, v)),
            Err(e) => {
                reclaim_stdin(st, io, &mut lent);
                return expansion_failed(st, io, e).await;
            }
        }
    }
    reclaim_stdin(st, io, &mut lent);

    // A declaration's trace needs its values, which `declare_with_values` expands.
    if st.opts.xtrace && declared.is_empty() {
        let line = argv
            .iter()
            .map(|a| trace_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        let stderr = io.stderr.clone();
        xtrace_to(st, &stderr, &line).await;
    }

    if argv[0] == "exec" && argv.len() == 1 {
        return match super::redirect::apply_exec(st, io, &redirects).await {
            Ok(()) => Ok(0),
            Err(msg) => {
                shell_error(st, &io.stderr, &msg).await;
                Ok(1)
            }
        };
    }
    let last_argument = argv.last().cloned().unwrap_or_default();
    let name = argv[0].clone();
    let args: Vec<String> = argv[1..].to_vec();
    // Assignments before a command only affect that command's environment.
    let temp_env: Vec<(String, String)> = values
        .into_iter()
        .filter_map(|(a, v)| match (&a.name, v) {
            (ast::AssignmentName::VariableName(n), Value::Str(s)) => Some((n.clone(), s)),
            _ => None,
        })
        .collect();

    // `<(list)` outputs are visible under /dev/fd for this command only.
    let saved_fs = if proc_files.is_empty() {
        None
    } else {
        match proc_files.mount_on(&st.fs) {
            Ok(t) => Some(std::mem::replace(&mut st.fs, Arc::new(t))),
            Err(msg) => {
                shell_error(st, &io.stderr, &msg).await;
                return Ok(1);
            }
        }
    };
    let result = if !declared.is_empty() && redirects.is_empty() {
        declare_with_values(st, io, &declared, name, args, temp_env).await
    } else if !declared.is_empty() {
        let mut r = Redirected::begin(st, io, &redirects).await;
        let result = if r.failed {
            Ok(1)
        } else {
            declare_with_values(st, &mut r.io, &declared, name, args, temp_env).await
        };
        r.end(st, io, result).await
    } else if redirects.is_empty() {
        dispatch(st, io, name, args, temp_env).await
    } else {
        let mut r = Redirected::begin(st, io, &redirects).await;
        let result = if r.failed {
            Ok(1)
        } else {
            dispatch(st, &mut r.io, name, args, temp_env).await
        };
        r.end(st, io, result).await
    };
    if let Some(fs) = saved_fs {
        st.fs = fs;
    }
    proc_files.finish().await;
    set_last_argument(st, &last_argument);
    result
}

/// `$_`: the last argument of the last simple command the shell itself ran.
fn set_last_argument(st: &mut ShellState, value: &str) {
    match st.vars.get_mut("_") {
        Some(super::state::Var {
            value: Value::Str(s),
            ..
        }) => {
            s.clear();
            s.push_str(value);
        }
        _ => st.set_var("_", value),
    }
}

/// Runs one process substitution of a command's words and returns the `/dev/fd` path standing
/// for it.
async fn substitute(
    st: &mut ShellState,
    outs: (&super::io::SharedWriter, &super::io::SharedWriter),
    proc_files: &mut super::procsub::ProcFiles,
    kind: &ast::ProcessSubstitutionKind,
    sub: &ast::SubshellCommand,
) -> String {
    match kind {
        ast::ProcessSubstitutionKind::Read => {
            let program = ast::Program {
                complete_commands: vec![sub.list.clone()],
            };
            let (out, _) = super::run::capture_program(st, outs.1, &program).await;
            proc_files.add(out)
        }
        ast::ProcessSubstitutionKind::Write => proc_files.add_consumer(st, outs, sub),
    }
}

/// The words of a simple command as written, with each process substitution replaced by its
/// `/dev/fd` path. A substitution glued to a word (`--opt=<(list)`, `<(a)<(b)`) stays part of
/// that word, as in bash; the parser gives them as separate items, so adjacency is read from
/// their source positions.
#[derive(Default)]
struct CommandWords<'a> {
    words: Vec<Cow<'a, str>>,
    /// Where the last item ended in the source, and whether it was a substitution.
    last: Option<(usize, bool)>,
}

impl<'a> CommandWords<'a> {
    fn push_word(&mut self, w: &'a ast::Word) {
        let span = w.loc.as_ref().map(|l| (l.start.index, l.end.index));
        self.push(Cow::Borrowed(&w.value), span, false);
    }

    /// A declared name (`local x`), never glued.
    fn push_name(&mut self, name: &'a str) {
        self.words.push(Cow::Borrowed(name));
        self.last = None;
    }

    fn push_path(&mut self, path: String, sub: &ast::SubshellCommand) {
        // The span covers `(list)`; the `<` or `>` is the character before it.
        let start = sub.loc.start.index.saturating_sub(1);
        self.push(Cow::Owned(path), Some((start, sub.loc.end.index)), true);
    }

    /// Two words the parser gave apart are always apart; only a substitution joins the word
    /// before or after it when nothing separates them in the source.
    fn push(&mut self, text: Cow<'a, str>, span: Option<(usize, usize)>, substitution: bool) {
        let glued = match (self.last, span) {
            (Some((end, last_was_sub)), Some((start, _))) => {
                (substitution || last_was_sub) && end == start
            }
            _ => false,
        };
        match self.words.last_mut() {
            Some(last) if glued => last.to_mut().push_str(&text),
            _ => self.words.push(text),
        }
        self.last = span.map(|(_, end)| (end, substitution));
    }
}

/// Builtins whose `NAME=VALUE` operands are assignments rather than words.
const DECLARATION_BUILTINS: &[&str] = &["declare", "typeset", "local", "export", "readonly"];

/// Runs a declaration builtin on the bare names, then assigns the values. Scalar values are
/// expanded first (`local x=$x` sees the outer `x`); array values after the declaration, so
/// `declare -A m=([k]=v)` knows `m` is associative.
async fn declare_with_values(
    st: &mut ShellState,
    io: &mut Io,
    declared: &[&ast::Assignment],
    name: String,
    args: Vec<String>,
    temp_env: Vec<(String, String)>,
) -> Exec {
    let err = io.stderr.clone();
    let mut scalars = Vec::new();
    for a in declared {
        if let ast::AssignmentValue::Scalar(_) = a.value {
            match assignment_value(st, &err, a).await {
                Ok(v) => scalars.push(Some(v)),
                Err(e) => return expansion_failed(st, io, e).await,
            }
        } else {
            scalars.push(None);
        }
    }
    if st.opts.xtrace {
        trace_declaration(st, &err, &name, &args, declared, &scalars).await;
    }
    let status = dispatch(st, io, name.clone(), args, temp_env).await?;
    if status == 2 || (status != 0 && name == "local") {
        // `local` outside a function, or a bad option, assigns nothing.
        return Ok(status);
    }
    for (a, value) in declared.iter().zip(scalars) {
        let value = match value {
            Some(v) => v,
            None => match assignment_value(st, &err, a).await {
                Ok(v) => v,
                Err(e) => return expansion_failed(st, io, e).await,
            },
        };
        if let Err(e) = assign(st, &err, a, value).await {
            return expansion_failed(st, io, e).await;
        }
    }
    Ok(status)
}

/// `set -x` for `local x=1 y`, `export Y=2`: the command with its assignments' values, and
/// for `export` and `readonly` each scalar assignment again on its own line, as bash shows it.
async fn trace_declaration(
    st: &mut ShellState,
    err: &super::io::SharedWriter,
    name: &str,
    args: &[String],
    declared: &[&ast::Assignment],
    scalars: &[Option<Value>],
) {
    let shown = |i: usize| match (&declared[i].name, scalars.get(i)) {
        (ast::AssignmentName::VariableName(n), Some(Some(Value::Str(v)))) => {
            Some(trace_assignment(n, v))
        }
        _ => None,
    };
    let mut next = 0;
    let mut words = vec![trace_quote(name)];
    for a in args {
        let is_next = declared.get(next).is_some_and(|d| match &d.name {
            ast::AssignmentName::VariableName(n) | ast::AssignmentName::ArrayElementName(n, _) => {
                n == a
            }
        });
        if is_next {
            words.push(shown(next).unwrap_or_else(|| declared[next].to_string()));
            next += 1;
        } else {
            words.push(trace_quote(a));
        }
    }
    xtrace_to(st, err, &words.join(" ")).await;
    if matches!(name, "export" | "readonly") {
        for i in 0..declared.len() {
            if let Some(line) = shown(i) {
                xtrace_to(st, err, &line).await;
            }
        }
    }
}

/// Runs one expanded command line: function, builtin, or registered command.
pub async fn dispatch(
    st: &mut ShellState,
    io: &mut Io,
    name: String,
    args: Vec<String>,
    temp_env: Vec<(String, String)>,
) -> Exec {
    if name == "printf"
        && args.first().is_some_and(|a| a.starts_with("-v"))
        && !st.functions.contains_key(&name)
    {
        // `-v NAME` or `-vNAME`.
        let mut args = args;
        if let Some(var) = args[0].strip_prefix("-v").filter(|v| !v.is_empty()) {
            let var = var.to_string();
            args[0] = "-v".to_string();
            args.insert(1, var);
        }
        return printf_to_var(st, io, args).await;
    }
    if name == "exec" {
        // `exec cmd`: the command replaces the shell, so nothing after it runs.
        let Some((cmd, rest)) = args.split_first() else {
            return Ok(0);
        };
        let known = cmd.contains('/')
            || st.functions.contains_key(cmd)
            || builtins::is_builtin(cmd)
            || (st.commands_on_path(None).is_ok()
                && st.commands.resolve(cmd, None, None).is_some());
        if !known {
            shell_error(st, &io.stderr, &format!("exec: {cmd}: not found")).await;
            return Err(Flow::Exit(STATUS_NOT_FOUND));
        }
        let status = Box::pin(dispatch(st, io, cmd.clone(), rest.to_vec(), temp_env)).await?;
        return Err(Flow::Exit(status));
    }
    let is_function = st.functions.contains_key(&name);
    if name == "time" && !is_function {
        // The parser leaves `time` as a word where bash still treats it as the keyword (after
        // `!`): time the rest of the line as one command.
        let (posix, words) = match args.split_first() {
            Some((p, rest)) if p == "-p" => (true, rest),
            _ => (false, &args[..]),
        };
        let watch = super::timing::Stopwatch::start();
        let status = match words.split_first() {
            Some((cmd, rest)) => {
                Box::pin(dispatch(st, io, cmd.clone(), rest.to_vec(), temp_env)).await?
            }
            None => 0,
        };
        super::timing::write_report(st, &io.stderr, &watch, posix).await;
        return Ok(status);
    }
    if is_function || builtins::is_builtin(&name) {
        // Prefix assignments (`IFS=: read a b`) hold only for this builtin or function.
        let saved: Vec<(String, Option<super::state::Var>)> = temp_env
            .iter()
            .map(|(k, _)| (k.clone(), st.vars.get(k).cloned()))
            .collect();
        // They are in the environment of what runs (`VAR=1 bash -c 'echo $VAR'`).
        for (k, v) in &temp_env {
            st.set_exported(k, v);
        }
        let r = match st.functions.get(&name).cloned() {
            Some(def) => call_function(st, io, &def, args).await,
            None => builtins::run(st, io, &name, args).await,
        };
        for (k, old) in saved {
            match old {
                Some(v) => {
                    st.vars.insert(k, v);
                }
                None => {
                    st.vars.remove(&k);
                }
            }
        }
        return r;
    }
    if name.contains('/') && !st.commands.contains(&name) {
        return Box::pin(run_path(st, io, name, args, temp_env)).await;
    }
    // The file a command works on is usually its last operand (`head -n 2 FILE`, `grep PAT
    // FILE`): the first non-option word can be an option's value or a pattern.
    let scope_path = args
        .iter()
        .rev()
        .find(|a| !a.starts_with('-'))
        .map(|a| st.cwd.join(a));
    let kind = scope_path
        .as_ref()
        .and_then(|p| st.fs.kind_of(p))
        .or_else(|| st.fs.kind_of(&st.cwd))
        .map(str::to_string);
    let ext = scope_path
        .as_ref()
        .and_then(|p| p.extension().map(str::to_string));
    let temp_path = temp_env.iter().rev().find(|(k, _)| k == "PATH");
    let on_path = if super::builtins::is_bash_builtin_command(&name) {
        Ok(())
    } else {
        st.commands_on_path(temp_path.map(|(_, v)| v.as_str()))
    };
    if let Err(message) = on_path {
        shell_error(st, &io.stderr, &format!("{name}: {message}")).await;
        return Ok(STATUS_NOT_FOUND);
    }
    let Some(cmd) = st.commands.resolve(&name, kind.as_deref(), ext.as_deref()) else {
        shell_error(st, &io.stderr, &format!("{name}: command not found")).await;
        return Ok(STATUS_NOT_FOUND);
    };
    if let Some(version) = self_parsing_version(&name, &args) {
        // Commands that parse their own arguments (`env`, `timeout`, `find`...) would take
        // `--version` as an operand; GNU answers it first, so the shell does it for them.
        use tokio::io::AsyncWriteExt;
        let (mut out, mut err) = (io.stdout.clone(), io.stderr.clone());
        let _ = out.write_all(version.stdout.as_bytes()).await;
        let _ = err.write_all(version.stderr.as_bytes()).await;
        return Ok(version.status);
    }
    if let Some(text) = crate::commands::help::answer(&name, &args) {
        // `CMD --help` is answered from the help table, so every built-in command has one.
        let mut out = Output::new(Box::pin(io.stdout.clone()));
        let written = async {
            out.write_str(text).await?;
            out.flush().await
        }
        .await;
        return Ok(if written.is_ok() { 0 } else { 1 });
    }
    let mut env: BTreeMap<String, String> = st.env();
    env.extend(temp_env);
    let mut ctx = CommandContext {
        name: name.clone(),
        stdin_size: io.stdin_size,
        stdin: io.take_stdin(),
        stdout: Output::new(Box::pin(io.stdout.clone())),
        stderr: Output::unbuffered(Box::pin(io.stderr.clone())),
        cwd: st.cwd.clone(),
        env: Arc::new(env),
        fs: st.fs.clone(),
        commands: st.commands.clone(),
        shell_prefix: matches!(name.as_str(), "printf" | "ulimit").then(|| st.diagnostic_prefix()),
    };
    let status = crate::exec::run_command(cmd, &mut ctx, args).await;
    io.stdin = std::mem::replace(&mut ctx.stdin, super::io::empty_reader());
    if status == crate::exec::STATUS_BROKEN_PIPE {
        // SIGPIPE ends the whole (sub)shell that wrote into the closed pipe, as in bash:
        // `while true; do echo y; done | head -1` must terminate.
        return Err(Flow::Exit(status));
    }
    Ok(status)
}

/// Runs a command named by a path (`./run.sh`, `/data/job.sh`): an executable shell script
/// runs in a child shell; anything else fails as bash does.
async fn run_path(
    st: &mut ShellState,
    io: &mut Io,
    name: String,
    args: Vec<String>,
    temp_env: Vec<(String, String)>,
) -> Exec {
    let path = st.cwd.join(&name);
    let stat = match st.fs.stat(&path).await {
        Ok(s) => s,
        Err(_) => {
            // `/bin/ls`, `/usr/bin/env`: the registry is the PATH.
            if let Some(base) = name
                .strip_prefix("/usr/bin/")
                .or_else(|| name.strip_prefix("/bin/"))
                && !base.contains('/')
                && !base.is_empty()
                && st.commands.contains(base)
            {
                return dispatch(st, io, base.to_string(), args, temp_env).await;
            }
            shell_error(
                st,
                &io.stderr,
                &format!("{name}: No such file or directory"),
            )
            .await;
            return Ok(STATUS_NOT_FOUND);
        }
    };
    if stat.is_dir() {
        shell_error(st, &io.stderr, &format!("{name}: Is a directory")).await;
        return Ok(STATUS_NOT_EXECUTABLE);
    }
    if stat.mode.is_none_or(|m| m & 0o111 == 0) {
        shell_error(st, &io.stderr, &format!("{name}: Permission denied")).await;
        return Ok(STATUS_NOT_EXECUTABLE);
    }
    let head = match st.fs.read(&path, None).await {
        Ok(s) => mirage_core::collect_stream(s).await,
        Err(e) => Err(e),
    };
    let head = match head {
        Ok(d) => d,
        Err(e) => {
            shell_error(st, &io.stderr, &format!("{name}: {e}")).await;
            return Ok(STATUS_NOT_EXECUTABLE);
        }
    };
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    if let Some(line) = first.strip_prefix(b"#!") {
        let line = String::from_utf8_lossy(line);
        let mut words = line.split_whitespace();
        let mut interp = words.next().unwrap_or("").rsplit('/').next().unwrap_or("");
        if interp == "env" {
            interp = words.find(|w| !w.starts_with('-')).unwrap_or("");
        }
        if !matches!(interp, "bash" | "sh" | "dash") {
            let lang = interp.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
            let lang = if lang.is_empty() { interp } else { lang };
            shell_error(
                st,
                &io.stderr,
                &format!("{name}: cannot run {lang} scripts"),
            )
            .await;
            return Ok(STATUS_NOT_EXECUTABLE);
        }
    }
    let mut argv = vec![name];
    argv.extend(args);
    if temp_env.is_empty() {
        return super::bash_cmd::bash(st, io, "bash", argv).await;
    }
    let mut parent = st.clone();
    for (k, v) in &temp_env {
        parent.set_exported(k, v);
    }
    super::bash_cmd::bash(&mut parent, io, "bash", argv).await
}

/// Status for a file that exists but cannot be run, as in bash.
pub const STATUS_NOT_EXECUTABLE: i32 = 126;

async fn call_function(
    st: &mut ShellState,
    io: &mut Io,
    def: &ast::FunctionDefinition,
    args: Vec<String>,
) -> Exec {
    // bash recurses until it crashes; we stop at a fixed depth (or $FUNCNEST) with bash's
    // FUNCNEST message instead, so no input can overflow the stack.
    let limit = st
        .get_str("FUNCNEST")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(MAX_FUNCTION_DEPTH)
        .min(MAX_FUNCTION_DEPTH);
    if st.local_frames.len() >= limit {
        shell_error(
            st,
            &io.stderr,
            &format!(
                "{}: maximum function nesting level exceeded ({limit})",
                def.fname.value
            ),
        )
        .await;
        return Err(Flow::Exit(1));
    }
    let saved = std::mem::replace(&mut st.positional, args);
    st.push_frame();
    st.funcnames.push(def.fname.value.clone());
    // Functions do not inherit the RETURN trap (without `set -T`).
    let outer_return_trap = st.return_trap.take();
    let source = st.function_sources.get(&def.fname.value).cloned();
    st.sources
        .push(source.unwrap_or_else(|| "environment".to_string()));
    let body = &def.body;
    let redirects: Vec<&IoRedirect> = body.1.iter().flat_map(|r| r.0.iter()).collect();
    let compound = ast::Command::Compound(body.0.clone(), None);
    let r = if redirects.is_empty() {
        super::run::exec_command(st, io, &compound).await
    } else {
        let mut rd = Redirected::begin(st, io, &redirects).await;
        let result = if rd.failed {
            Ok(1)
        } else {
            super::run::exec_command(st, &mut rd.io, &compound).await
        };
        rd.end(st, io, result).await
    };
    // A `trap CMD RETURN` set while the function ran fires now, still inside it; one it set
    // stays set afterwards, as in bash.
    let r = match st.return_trap.clone() {
        Some(cmd) => {
            let trap = super::script::run_text(st, io, &cmd, super::script::Origin::Eval).await;
            match trap {
                Err(Flow::Exit(s)) => Err(Flow::Exit(s)),
                _ => r,
            }
        }
        None => r,
    };
    if st.return_trap.is_none() {
        st.return_trap = outer_return_trap;
    }
    st.funcnames.pop();
    st.sources.pop();
    st.pop_frame();
    st.positional = saved;
    match r {
        Err(Flow::Return(s)) => Ok(s),
        other => other,
    }
}

async fn assignment_value(
    st: &mut ShellState,
    err: &super::io::SharedWriter,
    a: &ast::Assignment,
) -> Result<Value, expand::ExpandError> {
    let err = err.clone();
    match &a.value {
        ast::AssignmentValue::Scalar(w) => {
            Ok(Value::Str(expand::expand_string(st, &err, &w.value).await?))
        }
        ast::AssignmentValue::Array(items) => {
            let target = match &a.name {
                ast::AssignmentName::VariableName(n)
                | ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
            };
            if matches!(st.get(&target), Some(Value::Assoc(_))) {
                // `m=([k]=v ...)` on an associative array: keys are strings.
                let mut map = Vec::new();
                for (key, w) in items {
                    let v = expand::expand_string(st, &err, &w.value).await?;
                    let k = match key {
                        Some(k) => expand::expand_string(st, &err, &k.value).await?,
                        None => {
                            // bash reports the element and assigns the others.
                            let msg = format!(
                                "{target}: {v}: must use subscript when assigning associative array"
                            );
                            shell_error(st, &err, &msg).await;
                            continue;
                        }
                    };
                    assoc_set(&mut map, &k, v);
                }
                return Ok(Value::Assoc(map));
            }
            let mut arr = BTreeMap::new();
            let mut next = 0usize;
            for (key, w) in items {
                if let Some(k) = key {
                    let t = expand::expand_string(st, &err, &k.value).await?;
                    next = super::arith::eval_str(st, &t)
                        .ok()
                        .and_then(|n| usize::try_from(n).ok())
                        .unwrap_or(next);
                    let v = expand::expand_string(st, &err, &w.value).await?;
                    arr.insert(next, v);
                    next += 1;
                } else {
                    for v in expand::expand_word(st, &err, &w.value).await? {
                        arr.insert(next, v);
                        next += 1;
                    }
                }
            }
            Ok(Value::Array(arr))
        }
    }
}

/// Applies an assignment whose value is already expanded. Subscripts of associative arrays are
/// expanded as strings, so this is async.
async fn assign(
    st: &mut ShellState,
    err: &super::io::SharedWriter,
    a: &ast::Assignment,
    v: Value,
) -> Result<(), expand::ExpandError> {
    match &a.name {
        ast::AssignmentName::VariableName(n) => {
            let v = if a.append {
                match (st.get(n), v) {
                    (Some(Value::Str(old)), Value::Str(new)) if st.attrs(n).integer => {
                        let old = if old.is_empty() { "0".to_string() } else { old };
                        Value::Str(format!("({old})+({new})"))
                    }
                    (Some(Value::Str(old)), Value::Str(new)) => Value::Str(old + &new),
                    (Some(Value::Array(mut old)), Value::Array(new)) => {
                        let next = old.keys().last().map(|k| k + 1).unwrap_or(0);
                        for (i, (_, x)) in new.into_iter().enumerate() {
                            old.insert(next + i, x);
                        }
                        Value::Array(old)
                    }
                    (Some(Value::Array(mut old)), Value::Str(new)) => {
                        let e = old.entry(0).or_default();
                        e.push_str(&new);
                        Value::Array(old)
                    }
                    (Some(Value::Assoc(mut old)), Value::Assoc(new)) => {
                        for (k, x) in new {
                            assoc_set(&mut old, &k, x);
                        }
                        Value::Assoc(old)
                    }
                    (_, v) => v,
                }
            } else {
                v
            };
            st.set_value(n, v);
        }
        ast::AssignmentName::ArrayElementName(n, idx) => {
            if let Some(Value::Assoc(mut m)) = st.get(n) {
                let key = expand::expand_string(st, err, idx).await?;
                let s = v.scalar();
                let s = if a.append {
                    crate::interp::state::assoc_get(&m, &key)
                        .cloned()
                        .unwrap_or_default()
                        + &s
                } else {
                    s
                };
                assoc_set(&mut m, &key, s);
                st.set_value(n, Value::Assoc(m));
                return Ok(());
            }
            let idx = expand::expand_string(st, err, idx).await?;
            let i = super::arith::eval_str(st, &idx).unwrap_or(0).max(0) as usize;
            let mut arr = match st.get(n) {
                Some(Value::Array(a)) => a,
                Some(Value::Str(s)) => [(0usize, s)].into_iter().collect(),
                _ => BTreeMap::new(),
            };
            let s = v.scalar();
            if a.append {
                arr.entry(i).or_default().push_str(&s);
            } else {
                arr.insert(i, s);
            }
            st.set_value(n, Value::Array(arr));
        }
    }
    Ok(())
}

/// Writes one `set -x` line (`+ WORDS`) to stderr.
/// Writes one `set -x` line: `PS4` (expanded; its first character repeated once for each
/// command substitution or `eval` the command runs in, as bash does), then `line`.
pub async fn xtrace_to(st: &mut ShellState, stderr: &super::io::SharedWriter, line: &str) {
    use tokio::io::AsyncWriteExt;
    let ps4 = st.get_str("PS4").unwrap_or_default();
    let ps4 = if ps4.contains(['$', '`']) {
        let frozen = std::mem::replace(&mut st.running_trap, true);
        let expanded = expand::expand_string(st, stderr, &ps4).await.unwrap_or(ps4);
        st.running_trap = frozen;
        expanded
    } else {
        ps4
    };
    let mut text = String::with_capacity(ps4.len() + line.len() + 4);
    if let Some(first) = ps4.chars().next() {
        for _ in 0..st.trace_level {
            text.push(first);
        }
    }
    text.push_str(&ps4);
    text.push_str(line);
    text.push('\n');
    let mut e = stderr.clone();
    let _ = e.write_all(text.as_bytes()).await;
}

/// An assignment as `set -x` shows it: the value quoted when it needs it, nothing when empty.
pub fn trace_assignment(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{name}=")
    } else {
        format!("{name}={}", trace_quote(value))
    }
}

/// Quotes a word for `set -x` output the way bash does (single quotes when needed).
pub fn trace_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./=:,+@%^".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `printf -v VAR FORMAT ARGS`: runs printf with its output captured into VAR, as bash's
/// builtin does (the printf command itself only writes to stdout).
async fn printf_to_var(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let Some(var) = args.get(1).cloned() else {
        shell_error(st, &io.stderr, "printf: -v: option requires an argument").await;
        return Ok(2);
    };
    let valid = var
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && var.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if !valid {
        shell_error(
            st,
            &io.stderr,
            &format!("printf: `{var}': not a valid identifier"),
        )
        .await;
        return Ok(2);
    }
    let (mut reader, writer) = super::io::pipe(super::run::PIPE_CAPACITY);
    let writer = super::io::SharedWriter::new(Box::pin(writer));
    let mut sub = Io {
        stdin_size: None,
        fds: Default::default(),
        stdin: io.take_stdin(),
        stdout: writer.clone(),
        stderr: io.stderr.clone(),
    };
    let rest = args[2..].to_vec();
    let run = async {
        let r = Box::pin(dispatch(
            st,
            &mut sub,
            "printf".to_string(),
            rest,
            Vec::new(),
        ))
        .await;
        writer.close().await;
        r
    };
    let read = async {
        use tokio::io::AsyncReadExt;
        let mut buf = Vec::new();
        let _ = reader.read_to_end(&mut buf).await;
        buf
    };
    let (r, out) = futures::join!(run, read);
    io.stdin = sub.take_stdin();
    st.set_var(&var, &String::from_utf8_lossy(&out));
    r
}

/// The recorded `--version` answer for the commands whose own option parsing cannot see it.
fn self_parsing_version(
    name: &str,
    args: &[String],
) -> Option<&'static crate::commands::system::versions::Version> {
    const SELF_PARSING: &[&str] = &[
        "env", "printenv", "timeout", "sleep", "yes", "find", "hexdump", "man", "bash",
    ];
    if !SELF_PARSING.contains(&name) {
        return None;
    }
    crate::commands::system::versions::answer(name, args)
}
