//! Builtins that need the shell's own state (cwd, variables, options, control flow), which is
//! why they live in the interpreter rather than in the command registry.

use super::script::{Origin, run_text};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::io::Io;
use super::run::{Exec, Flow, shell_error};
use super::state::{ShellState, Value};
use super::test_expr;

const BUILTINS: &[&str] = &[
    "cd",
    "pwd",
    "export",
    "unset",
    "local",
    "declare",
    "typeset",
    "set",
    "shift",
    "return",
    "break",
    "continue",
    "exit",
    "true",
    "false",
    ":",
    "test",
    "[",
    "read",
    "eval",
    "source",
    ".",
    "command",
    "type",
    "readonly",
    "exec",
    "getopts",
    "mapfile",
    "readarray",
    "trap",
    "bash",
    "sh",
    "shopt",
    "let",
    "wait",
    "jobs",
    "disown",
    "pushd",
    "popd",
    "dirs",
    "hash",
    "alias",
    "unalias",
    "history",
    "builtin",
    "umask",
    "caller",
    "kill",
];

/// bash builtins that Mirage runs as registered commands (`builtin echo` accepts them).
const COMMAND_BUILTINS: &[&str] = &["echo", "printf", "ulimit", "times", "enable"];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// The usage line bash prints after a declaration builtin's invalid option.
fn declaration_usage(name: &str) -> &'static str {
    match name {
        "typeset" => {
            "typeset: usage: typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]\n"
        }
        "local" => "local: usage: local [option] name[=value] ...\n",
        "export" => "export: usage: export [-fn] [name[=value] ...] or export -p\n",
        "readonly" => "readonly: usage: readonly [-aAf] [name[=value] ...] or readonly -p\n",
        _ => {
            "declare: usage: declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]\n"
        }
    }
}

async fn out(w: &super::io::SharedWriter, text: &str) {
    let mut w = w.clone();
    let _ = w.write_all(text.as_bytes()).await;
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(f) if f == '_' || f.is_ascii_alphabetic())
        && c.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

pub async fn run(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    match name {
        "true" | ":" => Ok(0),
        "false" => Ok(1),
        "test" | "[" => test_expr::builtin_test(st, io, name, args).await,
        "pwd" => {
            out(&io.stdout, &format!("{}\n", st.cwd)).await;
            Ok(0)
        }
        "cd" => cd(st, io, args).await,
        "export" | "declare" | "typeset" | "readonly" | "local" => {
            declare(st, io, name, args).await
        }
        "unset" => {
            let flags: String = args
                .iter()
                .take_while(|a| a.starts_with('-') && a.len() > 1 && *a != "--")
                .flat_map(|a| a[1..].chars())
                .collect();
            if let Some(bad) = flags.chars().find(|c| !"fvn".contains(*c)) {
                shell_error(st, &io.stderr, &format!("unset: -{bad}: invalid option")).await;
                out(
                    &io.stderr,
                    "unset: usage: unset [-f] [-v] [-n] [name ...]\n",
                )
                .await;
                return Ok(2);
            }
            let (only_f, only_v, no_deref) = (
                flags.contains('f'),
                flags.contains('v'),
                flags.contains('n'),
            );
            let mut status = 0;
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                if only_f {
                    st.functions.remove(a);
                    continue;
                }
                let element = a.strip_suffix(']').and_then(|x| x.split_once('['));
                if let Some((var, key)) = element
                    && is_name(var)
                {
                    unset_element(st, var, key);
                    continue;
                }
                if !is_name(a) {
                    // Not a variable name: `unset -v` says so; plain `unset` goes on to look
                    // for a function of that name, silently.
                    if only_v {
                        let msg = format!("unset: `{a}': not a valid identifier");
                        shell_error(st, &io.stderr, &msg).await;
                        status = 1;
                    } else {
                        st.functions.remove(a);
                    }
                    continue;
                }
                if st.readonly.contains(a.as_str()) {
                    let msg = format!("unset: {a}: cannot unset: readonly variable");
                    shell_error(st, &io.stderr, &msg).await;
                    status = 1;
                    continue;
                }
                // A variable goes first; a function only when no variable has the name.
                let target = if no_deref {
                    a.to_string()
                } else {
                    st.resolve_ref(a)
                };
                if st.vars.contains_key(&target) || only_v {
                    st.unset(&target);
                } else {
                    st.functions.remove(a);
                }
            }
            Ok(status)
        }
        "set" => set(st, io, args).await,
        "shift" => {
            if args.len() > 1 {
                // A usage error of this special builtin ends a non-interactive bash.
                shell_error(st, &io.stderr, "shift: too many arguments").await;
                return Err(Flow::Exit(1));
            }
            let n = match args.first() {
                None => 1,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) if n < 0 => {
                        let msg = format!("shift: {a}: shift count out of range");
                        shell_error(st, &io.stderr, &msg).await;
                        return Ok(1);
                    }
                    Ok(n) => usize::try_from(n).unwrap_or(usize::MAX),
                    Err(_) => {
                        shell_error(
                            st,
                            &io.stderr,
                            &format!("shift: {a}: numeric argument required"),
                        )
                        .await;
                        return Ok(1);
                    }
                },
            };
            if n > st.positional.len() {
                return Ok(1);
            }
            st.positional.drain(..n);
            Ok(0)
        }
        "return" => {
            if st.local_frames.is_empty() {
                shell_error(
                    st,
                    &io.stderr,
                    "return: can only `return' from a function or sourced script",
                )
                .await;
                return Ok(2);
            }
            let s = match args.first() {
                None => st.last_status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        shell_error(
                            st,
                            &io.stderr,
                            &format!("return: {a}: numeric argument required"),
                        )
                        .await;
                        2
                    }
                },
            };
            Err(Flow::Return(s))
        }
        "break" | "continue" => {
            let n = match args.first() {
                None => 1,
                Some(a) => match a.parse::<usize>() {
                    Ok(n) if n >= 1 => n,
                    _ => {
                        shell_error(
                            st,
                            &io.stderr,
                            &format!("{name}: {a}: loop count out of range"),
                        )
                        .await;
                        return Ok(1);
                    }
                },
            };
            if st.loop_depth == 0 {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("{name}: only meaningful in a `for', `while', or `until' loop"),
                )
                .await;
                return Ok(0);
            }
            let n = n.min(st.loop_depth);
            Err(if name == "break" {
                Flow::Break(n)
            } else {
                Flow::Continue(n)
            })
        }
        "exit" => {
            let s = match args.first() {
                None => st.last_status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        shell_error(
                            st,
                            &io.stderr,
                            &format!("exit: {a}: numeric argument required"),
                        )
                        .await;
                        2
                    }
                },
            };
            Err(Flow::Exit(s))
        }
        "read" => read(st, io, args).await,
        "eval" => {
            let text = args.join(" ");
            // bash counts eval's lines on from the line the eval command ends on.
            let base = st.lineno_end.saturating_sub(1);
            let offset = std::mem::replace(&mut st.line_offset, base);
            st.trace_level += 1;
            let r = run_text(st, io, &text, Origin::Eval).await;
            st.trace_level -= 1;
            st.line_offset = offset;
            r
        }
        "source" | "." => {
            let Some(file) = args.first() else {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("{name}: filename argument required"),
                )
                .await;
                return Ok(2);
            };
            let path = st.cwd.join(file);
            let data = match st.fs.read(&path, None).await {
                Ok(s) => mirage_core::collect_stream(s).await,
                Err(e) => Err(e),
            };
            let text = match data {
                Ok(d) => String::from_utf8_lossy(&d).into_owned(),
                Err(e) => {
                    shell_error(st, &io.stderr, &format!("{file}: {e}")).await;
                    return Ok(1);
                }
            };
            let saved = if args.len() > 1 {
                Some(std::mem::replace(&mut st.positional, args[1..].to_vec()))
            } else {
                None
            };
            st.push_frame();
            let offset = std::mem::replace(&mut st.line_offset, 0);
            st.sources.push(file.clone());
            let r = run_text(st, io, &text, Origin::File).await;
            st.sources.pop();
            st.line_offset = offset;
            // A sourced file's locals belong to the caller: keep them.
            if let Some(frame) = st.local_frames.pop() {
                drop(frame);
            }
            if let Some(p) = saved {
                st.positional = p;
            }
            match r {
                Err(Flow::Return(s)) => Ok(s),
                other => other,
            }
        }
        "command" | "type" => Box::pin(command_v(st, io, name, args)).await,
        "getopts" => super::getopts::getopts(st, io, args).await,
        "mapfile" | "readarray" => super::mapfile::mapfile(st, io, name, args).await,
        "trap" => super::trap::trap(st, io, args).await,
        "bash" | "sh" => {
            // Programs in bash's world: found through $PATH like any other.
            if let Err(message) = st.commands_on_path(None) {
                shell_error(st, &io.stderr, &format!("{name}: {message}")).await;
                return Ok(127);
            }
            Box::pin(super::bash_cmd::bash(st, io, name, args)).await
        }
        "shopt" => shopt(st, io, args).await,
        "let" => let_builtin(st, io, args).await,
        "wait" => super::jobs::wait(st, io, args).await,
        "jobs" => super::jobs::jobs(st, io, args).await,
        "disown" => super::jobs::disown(st, io, args).await,
        "hash" => Ok(0),
        // A non-interactive shell keeps no history.
        "history" => Ok(0),
        "alias" | "unalias" => alias(st, io, name, args).await,
        "builtin" => {
            // `builtin NAME ARGS`: the builtin, even when a function has the name.
            let Some((cmd, rest)) = args.split_first() else {
                return Ok(0);
            };
            if is_builtin(cmd) {
                return Box::pin(run(st, io, cmd, rest.to_vec())).await;
            }
            if COMMAND_BUILTINS.contains(&cmd.as_str()) && st.commands.contains(cmd) {
                let saved = st.functions.remove(cmd);
                let r = Box::pin(super::simple::dispatch(
                    st,
                    io,
                    cmd.clone(),
                    rest.to_vec(),
                    Vec::new(),
                ))
                .await;
                if let Some(f) = saved {
                    st.functions.insert(cmd.clone(), f);
                }
                return r;
            }
            shell_error(
                st,
                &io.stderr,
                &format!("builtin: {cmd}: not a shell builtin"),
            )
            .await;
            Ok(1)
        }
        "umask" => umask(st, &io.stdout, &io.stderr, args).await,
        "kill" => kill(st, &io.stdout, &io.stderr, args).await,
        "caller" => {
            if st.funcnames.is_empty() {
                return Ok(1);
            }
            shell_error(st, &io.stderr, "caller: not supported by mirage").await;
            Ok(2)
        }
        "pushd" | "popd" | "dirs" => dirstack(st, io, name, args).await,
        _ => Ok(127),
    }
}

async fn cd(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let args: Vec<String> = args
        .into_iter()
        .filter(|a| a != "--" && a != "-L" && a != "-P")
        .collect();
    if args.len() > 1 {
        shell_error(st, &io.stderr, "cd: too many arguments").await;
        return Ok(1);
    }
    let (target, print) = match args.first().map(String::as_str) {
        None => (st.get_str("HOME").unwrap_or_else(|| "/".to_string()), false),
        Some("-") => match st.get_str("OLDPWD") {
            Some(o) => (o, true),
            None => {
                shell_error(st, &io.stderr, "cd: OLDPWD not set").await;
                return Ok(1);
            }
        },
        Some(t) => (t.to_string(), false),
    };
    let path = st.cwd.join(&target);
    match st.fs.stat(&path).await {
        Ok(s) if s.is_dir() => {
            let old = st.cwd.to_string();
            st.set_var("OLDPWD", &old);
            st.cwd = path;
            if print {
                out(&io.stdout, &format!("{}\n", st.cwd)).await;
            }
            Ok(0)
        }
        Ok(_) => {
            shell_error(st, &io.stderr, &format!("cd: {target}: Not a directory")).await;
            Ok(1)
        }
        Err(e) => {
            shell_error(st, &io.stderr, &format!("cd: {target}: {e}")).await;
            Ok(1)
        }
    }
}

async fn declare(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    if name == "local" && st.local_frames.is_empty() {
        shell_error(st, &io.stderr, "local: can only be used in a function").await;
        return Ok(1);
    }
    let mut export = name == "export";
    let mut unexport = false;
    let mut print = false;
    let mut kind: Option<char> = None;
    let mut readonly = name == "readonly";
    let (mut integer, mut lower, mut upper) = (false, false, false);
    let mut status = 0;
    let mut names = Vec::new();
    // `-f` (definitions) / `-F` (names only).
    let mut functions: Option<bool> = None;
    let mut nameref = false;
    for a in args {
        if let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !a.contains('='))
        {
            for f in flags.chars() {
                match f {
                    'x' => export = true,
                    'n' if name == "export" => unexport = true,
                    'n' => nameref = true,
                    'p' => print = true,
                    'A' => kind = Some('A'),
                    'a' => kind = Some('a'),
                    'r' => readonly = true,
                    'i' => integer = true,
                    'l' => lower = true,
                    'u' => upper = true,
                    'f' => functions = Some(false),
                    'F' => functions = Some(true),
                    // `-g` (global: declarations here always are), `-t` (trace) and `-I`
                    // (inherit attributes) change nothing Mirage shows.
                    'g' | 't' | 'I' => {}
                    other if !"aAfFgiIlnrtuxp".contains(other) || name == "export" => {
                        shell_error(st, &io.stderr, &format!("{name}: -{other}: invalid option"))
                            .await;
                        out(&io.stderr, declaration_usage(name)).await;
                        return Ok(2);
                    }
                    other => {
                        shell_error(
                            st,
                            &io.stderr,
                            &format!("{name}: -{other}: not supported by mirage"),
                        )
                        .await;
                        return Ok(2);
                    }
                }
            }
            continue;
        }
        names.push(a);
    }
    if functions.is_some() && export {
        // `export -f NAME`: child shells get the function; `export -fn` takes it back.
        let mut status = 0;
        for n in &names {
            if !st.functions.contains_key(n.as_str()) {
                shell_error(st, &io.stderr, &format!("export: {n}: not a function")).await;
                status = 1;
            } else if unexport {
                st.exported_functions.remove(n.as_str());
            } else {
                st.exported_functions.insert(n.clone());
            }
        }
        return Ok(status);
    }
    if let Some(names_only) = functions
        && !export
        && !readonly
    {
        return print_functions(st, &io.stdout, &io.stderr, &names, names_only).await;
    }
    if print && !names.is_empty() {
        for n in &names {
            // Variables the shell computes (`BASH_SOURCE`, `PIPESTATUS`) are shown too.
            let computed = st.get(n).map(|value| super::state::Var {
                value,
                exported: false,
                attrs: Default::default(),
            });
            let Some(v) = st.vars.get(n.as_str()).or(computed.as_ref()) else {
                shell_error(st, &io.stderr, &format!("{name}: {n}: not found")).await;
                status = 1;
                continue;
            };
            let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
            let mut flags = String::new();
            match &v.value {
                Value::Array(_) => flags.push('a'),
                Value::Assoc(_) => flags.push('A'),
                Value::Str(_) => {}
            }
            if v.attrs.integer {
                flags.push('i');
            }
            if v.attrs.lower {
                flags.push('l');
            }
            if st.readonly.contains(n.as_str()) {
                flags.push('r');
            }
            if v.attrs.upper {
                flags.push('u');
            }
            if v.exported {
                flags.push('x');
            }
            let flags = if flags.is_empty() {
                "--".to_string()
            } else {
                format!("-{flags}")
            };
            let value = match &v.value {
                Value::Str(s) => format!("\"{}\"", q(s)),
                Value::Array(a) => format!(
                    "({})",
                    a.iter()
                        .map(|(k, x)| format!("[{k}]=\"{}\"", q(x)))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Value::Assoc(m) if m.is_empty() => "()".to_string(),
                Value::Assoc(m) => format!(
                    "({} )",
                    m.iter()
                        .map(|(k, x)| format!("[{k}]=\"{}\"", q(x)))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            };
            out(&io.stdout, &format!("declare {flags} {n}={value}\n")).await;
        }
        return Ok(status);
    }
    if names.is_empty() && (print || name == "export") {
        let mut vars: Vec<(&String, &super::state::Var)> = st
            .vars
            .iter()
            .filter(|(_, v)| name != "export" || v.exported)
            .collect();
        vars.sort_by(|a, b| a.0.cmp(b.0));
        let mut text = String::new();
        for (k, v) in vars {
            let flag = if v.exported { "-x" } else { "--" };
            text.push_str(&format!(
                "declare {flag} {k}=\"{}\"\n",
                v.value.scalar().replace('\\', "\\\\").replace('"', "\\\"")
            ));
        }
        out(&io.stdout, &text).await;
        return Ok(0);
    }
    for a in names {
        if name == "local" && a == "-" {
            st.save_options_locally();
            continue;
        }
        let (var, value) = match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        let (var, append) = match var.strip_suffix('+') {
            Some(v) => (v.to_string(), true),
            None => (var, false),
        };
        if !is_name(&var) {
            shell_error(
                st,
                &io.stderr,
                &format!("{name}: `{a}': not a valid identifier"),
            )
            .await;
            status = 1;
            continue;
        }
        if name == "local" {
            st.make_local(&var);
            if value.is_none() {
                st.set_value(&var, Value::Str(String::new()));
                st.vars.remove(&var);
                st.set_var(&var, "");
            }
        }
        if value.is_some() && st.readonly.contains(&var) {
            shell_error(st, &io.stderr, &format!("{var}: readonly variable")).await;
            status = 1;
            continue;
        }
        if readonly {
            st.readonly.insert(var.clone());
        }
        if nameref {
            st.set_attrs(&var, |at| at.nameref = true);
        }
        if integer || lower || upper {
            st.set_attrs(&var, |at| {
                if integer {
                    at.integer = true;
                }
                if lower {
                    at.lower = true;
                    at.upper = false;
                }
                if upper {
                    at.upper = true;
                    at.lower = false;
                }
            });
        }
        match (kind, st.get(&var)) {
            (Some('A'), Some(Value::Assoc(_))) | (Some('a'), Some(Value::Array(_))) => {}
            (Some('A'), _) => st.set_value(&var, Value::Assoc(Vec::new())),
            (Some('a'), None) => st.set_value(&var, Value::Array(Default::default())),
            (Some('a'), Some(Value::Str(s))) => {
                st.set_value(&var, Value::Array([(0usize, s)].into_iter().collect()))
            }
            _ => {}
        }
        if let Some(v) = value {
            let v = if append && st.attrs(&var).integer {
                let old = st.get_str(&var).unwrap_or_default();
                let old = if old.is_empty() { "0".to_string() } else { old };
                format!("({old})+({v})")
            } else if append {
                st.get_str(&var).unwrap_or_default() + &v
            } else {
                v
            };
            st.set_var(&var, &v);
        }
        if unexport {
            if let Some(v) = st.vars.get_mut(&var) {
                v.exported = false;
            }
        } else if export {
            st.export(&var);
        }
    }
    Ok(status)
}

/// Signal names by number (1-31), as `kill -l` names them.
const SIGNAL_NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// The name of signal `n` without `SIG` (`INT`, `RTMIN+1`), if there is one.
pub(super) fn signal_name(n: usize) -> Option<String> {
    match n {
        1..=31 => SIGNAL_NAMES.get(n - 1).map(|s| s.to_string()),
        34 => Some("RTMIN".to_string()),
        64 => Some("RTMAX".to_string()),
        35..=49 => Some(format!("RTMIN+{}", n - 34)),
        50..=63 => Some(format!("RTMAX-{}", 64 - n)),
        _ => None,
    }
}

/// `kill -l` without arguments: every signal by number, five to a line, as bash lays them out
/// (Linux numbers its real-time signals 34 to 64).
fn signal_table() -> String {
    let all: Vec<(usize, String)> = (1..=64)
        .filter_map(|n| signal_name(n).map(|name| (n, name)))
        .collect();
    let mut text = String::new();
    for (k, (n, name)) in all.iter().enumerate() {
        text.push_str(&format!("{n:2}) SIG{name}"));
        text.push(if (k + 1) % 5 == 0 { '\n' } else { '\t' });
    }
    if !all.len().is_multiple_of(5) {
        text.push('\n');
    }
    text
}

pub(super) fn signal_number(spec: &str) -> Option<usize> {
    if let Ok(n) = spec.parse::<usize>() {
        return (n <= 64).then_some(n);
    }
    let name = spec.to_ascii_uppercase();
    let name = name.strip_prefix("SIG").unwrap_or(&name);
    SIGNAL_NAMES.iter().position(|s| *s == name).map(|i| i + 1)
}

/// `kill`: a virtual shell has no other processes and no jobs, so only `kill -0 $$`, `kill -l
/// SIG` and the error cases behave as in bash; signalling the shell itself is refused.
async fn kill(
    st: &ShellState,
    stdout: &super::io::SharedWriter,
    stderr: &super::io::SharedWriter,
    args: Vec<String>,
) -> Exec {
    const USAGE: &str = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";
    if args.is_empty() {
        out(stderr, USAGE).await;
        return Ok(2);
    }
    if args[0] == "-l" || args[0] == "-L" {
        if args.len() == 1 {
            out(stdout, &signal_table()).await;
            return Ok(0);
        }
        let mut status = 0;
        for a in &args[1..] {
            match a.parse::<usize>() {
                Ok(n) => match SIGNAL_NAMES.get(n.wrapping_sub(1) & 0xff) {
                    Some(name) if n >= 1 => out(stdout, &format!("{name}\n")).await,
                    _ => {
                        shell_error(
                            st,
                            stderr,
                            &format!("kill: {a}: invalid signal specification"),
                        )
                        .await;
                        status = 1;
                    }
                },
                Err(_) => match signal_number(a) {
                    Some(n) => out(stdout, &format!("{n}\n")).await,
                    None => {
                        shell_error(
                            st,
                            stderr,
                            &format!("kill: {a}: invalid signal specification"),
                        )
                        .await;
                        status = 1;
                    }
                },
            }
        }
        return Ok(status);
    }
    let mut i = 0;
    let mut signal = 15;
    // `-s SIG` / `-n SIG` take the signal from the next word, `-SIG` from the same one.
    let spec = if args[0] == "-s" || args[0] == "-n" {
        let Some(spec) = args.get(1) else {
            shell_error(
                st,
                stderr,
                &format!("kill: {}: option requires an argument", args[0]),
            )
            .await;
            return Ok(1);
        };
        i = 2;
        Some(spec.as_str())
    } else if let Some(spec) = args[0].strip_prefix('-')
        && !spec.is_empty()
        && spec != "-"
    {
        i = 1;
        Some(spec)
    } else {
        None
    };
    if let Some(spec) = spec {
        match signal_number(spec) {
            Some(n) => signal = n,
            None => {
                shell_error(
                    st,
                    stderr,
                    &format!("kill: {spec}: invalid signal specification"),
                )
                .await;
                return Ok(1);
            }
        }
    } else if args[0] == "--" {
        i = 1;
    }
    if i >= args.len() {
        out(stderr, USAGE).await;
        return Ok(2);
    }
    let me = std::process::id().to_string();
    let mut status = 0;
    for a in &args[i..] {
        if a.starts_with('%') {
            shell_error(st, stderr, &format!("kill: {a}: no such job")).await;
            status = 1;
        } else if !a.chars().all(|c| c.is_ascii_digit()) || a.is_empty() {
            shell_error(
                st,
                stderr,
                &format!("kill: {a}: arguments must be process or job IDs"),
            )
            .await;
            status = 1;
        } else if *a == me {
            if signal != 0 {
                shell_error(
                    st,
                    stderr,
                    "kill: signalling the shell is not supported by mirage",
                )
                .await;
                return Ok(2);
            }
        } else {
            shell_error(st, stderr, &format!("kill: ({a}) - No such process")).await;
            status = 1;
        }
    }
    Ok(status)
}

/// `umask [-p] [-S] [MODE]`: shows or sets the file creation mask (kept for display only:
/// files Mirage creates get the modes their resource gives them).
async fn umask(
    st: &mut ShellState,
    stdout: &super::io::SharedWriter,
    stderr: &super::io::SharedWriter,
    args: Vec<String>,
) -> Exec {
    let mut symbolic = false;
    let mut reusable = false;
    let mut mode = None;
    for a in &args {
        match a.as_str() {
            "-S" => symbolic = true,
            "-p" => reusable = true,
            "-pS" | "-Sp" => {
                symbolic = true;
                reusable = true;
            }
            m => mode = Some(m.to_string()),
        }
    }
    let Some(m) = mode else {
        let mask = st.umask;
        let text = if symbolic {
            let part = |shift: u32| {
                let allowed = !(mask >> shift) & 7;
                let mut s = String::new();
                for (bit, c) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                    if allowed & bit != 0 {
                        s.push(c);
                    }
                }
                s
            };
            format!("u={},g={},o={}", part(6), part(3), part(0))
        } else {
            format!("{mask:04o}")
        };
        let prefix = if reusable {
            if symbolic { "umask -S " } else { "umask " }
        } else {
            ""
        };
        out(stdout, &format!("{prefix}{text}\n")).await;
        return Ok(0);
    };
    if m.chars().all(|c| c.is_ascii_digit()) {
        match u32::from_str_radix(&m, 8) {
            Ok(v) if v <= 0o777 => {
                st.umask = v;
                Ok(0)
            }
            _ => {
                shell_error(
                    st,
                    stderr,
                    &format!("umask: {m}: octal number out of range"),
                )
                .await;
                Ok(1)
            }
        }
    } else {
        // The full symbolic form `u=rwx,g=rx,o=`: checked first, then applied.
        for part in m.split(',') {
            let Some((who, perms)) = part.split_once('=') else {
                shell_error(st, stderr, &format!("umask: {m}: not supported by mirage")).await;
                return Ok(2);
            };
            let shift = match who {
                "u" => 6,
                "g" => 3,
                "o" => 0,
                _ => {
                    shell_error(st, stderr, &format!("umask: {m}: not supported by mirage")).await;
                    return Ok(2);
                }
            };
            let _ = shift;
            for c in perms.chars() {
                match c {
                    'r' | 'w' | 'x' => {}
                    _ => {
                        shell_error(
                            st,
                            stderr,
                            &format!("umask: `{c}': invalid symbolic mode character"),
                        )
                        .await;
                        return Ok(1);
                    }
                }
            }
        }
        // Permissions not named keep their current mask.
        let mut result = st.umask;
        for part in m.split(',') {
            if let Some((who, perms)) = part.split_once('=') {
                let shift = match who {
                    "u" => 6,
                    "g" => 3,
                    _ => 0,
                };
                let mut allowed = 0;
                for c in perms.chars() {
                    allowed |= match c {
                        'r' => 4,
                        'w' => 2,
                        _ => 1,
                    };
                }
                result = (result & !(7 << shift)) | ((!allowed & 7) << shift);
            }
        }
        st.umask = result;
        Ok(0)
    }
}

/// `declare -f [NAME...]` and `declare -F [NAME...]`: the named (or all) functions; status 1
/// when one is not defined.
async fn print_functions(
    st: &ShellState,
    stdout: &super::io::SharedWriter,
    stderr: &super::io::SharedWriter,
    names: &[String],
    names_only: bool,
) -> Exec {
    let mut refused = false;
    let mut list: Vec<&String> = if names.is_empty() {
        let mut all: Vec<&String> = st.functions.keys().collect();
        all.sort();
        all
    } else {
        names.iter().collect()
    };
    list.dedup();
    let mut status = 0;
    let mut text = String::new();
    for n in list {
        let Some(def) = st.functions.get(n.as_str()) else {
            status = 1;
            continue;
        };
        if names_only {
            if names.is_empty() {
                text.push_str(&format!("declare -f {n}\n"));
            } else {
                text.push_str(&format!("{n}\n"));
            }
        } else {
            // bash reprints the body in its own canonical layout, which Mirage does not
            // reproduce: refuse rather than print something that differs.
            let _ = def;
            refused = true;
        }
    }
    out(stdout, &text).await;
    if refused {
        shell_error(
            st,
            stderr,
            "declare: -f: printing function definitions is not supported by mirage",
        )
        .await;
        return Ok(2);
    }
    Ok(status)
}

/// `set -o` (a table) and `set +o` (commands restoring the options), as bash prints them.
/// `$SHELLOPTS`: the `set -o` options that are on, colon-separated.
pub fn shellopts(st: &ShellState) -> String {
    let on: Vec<&str> = set_options(st)
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n)
        .collect();
    on.join(":")
}

async fn list_options(st: &ShellState, stdout: &super::io::SharedWriter, table: bool) {
    let opts = set_options(st);
    let text: String = opts
        .iter()
        .map(|(name, on)| {
            let state = if *on { "on" } else { "off" };
            if table {
                format!("{name:<15}\t{state}\n")
            } else {
                format!("set {}o {name}\n", if *on { '-' } else { '+' })
            }
        })
        .collect();
    out(stdout, &text).await;
}

/// The `set -o` options in bash's order, and whether each is on.
fn set_options(st: &ShellState) -> [(&'static str, bool); 27] {
    let o = &st.opts;
    [
        ("allexport", o.allexport),
        ("braceexpand", true),
        ("emacs", false),
        ("errexit", o.errexit),
        ("errtrace", false),
        ("functrace", false),
        ("hashall", true),
        ("histexpand", false),
        ("history", false),
        ("ignoreeof", false),
        ("interactive-comments", true),
        ("keyword", false),
        ("monitor", false),
        ("noclobber", o.noclobber),
        ("noexec", false),
        ("noglob", o.noglob),
        ("nolog", false),
        ("notify", false),
        ("nounset", o.nounset),
        ("onecmd", false),
        ("physical", false),
        ("pipefail", o.pipefail),
        ("posix", false),
        ("privileged", false),
        ("verbose", o.verbose),
        ("vi", false),
        ("xtrace", o.xtrace),
    ]
}

async fn set(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    if args.is_empty() {
        let mut vars: Vec<(&String, &super::state::Var)> = st.vars.iter().collect();
        vars.sort_by(|a, b| a.0.cmp(b.0));
        let text: String = vars
            .iter()
            .map(|(k, v)| format!("{k}={}\n", v.value.scalar()))
            .collect();
        out(&io.stdout, &text).await;
        return Ok(0);
    }
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            st.positional = args[i + 1..].to_vec();
            return Ok(0);
        }
        let (on, flags) = if let Some(f) = a.strip_prefix('-') {
            (true, f)
        } else if let Some(f) = a.strip_prefix('+') {
            (false, f)
        } else {
            st.positional = args[i..].to_vec();
            return Ok(0);
        };
        for f in flags.chars() {
            match f {
                'e' => st.opts.errexit = on,
                'u' => st.opts.nounset = on,
                'x' => st.opts.xtrace = on,
                'v' => st.opts.verbose = on,
                'f' => st.opts.noglob = on,
                'a' => st.opts.allexport = on,
                'C' => st.opts.noclobber = on,
                'o' => {
                    i += 1;
                    let Some(opt) = args.get(i) else {
                        list_options(st, &io.stdout, on).await;
                        return Ok(0);
                    };
                    match opt.as_str() {
                        "pipefail" => st.opts.pipefail = on,
                        "errexit" => st.opts.errexit = on,
                        "nounset" => st.opts.nounset = on,
                        "xtrace" => st.opts.xtrace = on,
                        "verbose" => st.opts.verbose = on,
                        "noglob" => st.opts.noglob = on,
                        "allexport" => st.opts.allexport = on,
                        "noclobber" => st.opts.noclobber = on,
                        // Options without an effect on a non-interactive line.
                        "braceexpand"
                        | "hashall"
                        | "interactive-comments"
                        | "errtrace"
                        | "functrace"
                        | "physical"
                        | "posix"
                        | "emacs"
                        | "vi"
                        | "history"
                        | "histexpand"
                        | "ignoreeof"
                        | "keyword"
                        | "monitor"
                        | "noexec"
                        | "nolog"
                        | "notify"
                        | "onecmd"
                        | "privileged" => {}
                        other => {
                            shell_error(
                                st,
                                &io.stderr,
                                &format!("set: {other}: invalid option name"),
                            )
                            .await;
                            return Ok(2);
                        }
                    }
                }
                'h' | 'B' | 'H' | 'm' | 'b' | 'P' | 'T' | 'E' => {}
                other => {
                    shell_error(st, &io.stderr, &format!("set: -{other}: invalid option")).await;
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    Ok(0)
}

/// The descriptor of `read -u N` (the last one given), by a light pass over the options.
fn read_fd_option(args: &[String]) -> Option<String> {
    let mut fd = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" || !a.starts_with('-') || a.len() < 2 {
            break;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        for (k, c) in chars.iter().enumerate() {
            if "adinNptu".contains(*c) {
                let v = if k + 1 < chars.len() {
                    chars[k + 1..].iter().collect()
                } else {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                };
                if *c == 'u' {
                    fd = Some(v);
                }
                break;
            }
        }
        i += 1;
    }
    fd
}

/// `read`, lending it the reader of `-u N` when that descriptor was opened for input.
async fn read(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let fd = read_fd_option(&args).and_then(|v| v.trim().parse::<i32>().ok());
    let Some(fd) = fd.filter(|n| *n > 0) else {
        return read_inner(st, io, args, false).await;
    };
    let Some(reader) = st.take_in_fd(fd) else {
        return read_inner(st, io, args, false).await;
    };
    let saved = std::mem::replace(&mut io.stdin, reader);
    let saved_size = io.stdin_size.take();
    let r = read_inner(st, io, args, true).await;
    let reader = std::mem::replace(&mut io.stdin, saved);
    io.stdin_size = saved_size;
    st.put_in_fd(fd, reader);
    r
}

async fn read_inner(st: &mut ShellState, io: &mut Io, args: Vec<String>, lent: bool) -> Exec {
    const USAGE: &str = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]";
    let mut raw = false;
    let mut delim = b'\n';
    let mut array: Option<String> = None;
    let mut nchars: Option<usize> = None;
    let mut exact = false;
    let mut names = Vec::new();
    let mut i = 0;
    // Options are parsed like getopt: clusters (`-rp`), arguments attached (`-d,`) or in the
    // next word (`-d ,`), `--` ends them.
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            match c {
                'r' => raw = true,
                'e' | 's' => {}
                'a' | 'd' | 'i' | 'n' | 'N' | 'p' | 't' | 'u' => {
                    let arg: String = if k < chars.len() {
                        let v: String = chars[k..].iter().collect();
                        k = chars.len();
                        v
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                shell_error(
                                    st,
                                    &io.stderr,
                                    &format!("read: -{c}: option requires an argument"),
                                )
                                .await;
                                out(&io.stderr, &format!("{USAGE}\n")).await;
                                return Ok(2);
                            }
                        }
                    };
                    match c {
                        'a' => array = Some(arg),
                        'd' => delim = arg.bytes().next().unwrap_or(0),
                        'n' | 'N' => match arg.parse::<usize>() {
                            Ok(n) => {
                                nchars = Some(n);
                                exact = c == 'N';
                            }
                            Err(_) => {
                                shell_error(
                                    st,
                                    &io.stderr,
                                    &format!("read: {arg}: invalid number"),
                                )
                                .await;
                                return Ok(1);
                            }
                        },
                        't' if arg.parse::<f64>().map(|t| t < 0.0).unwrap_or(true) => {
                            shell_error(
                                st,
                                &io.stderr,
                                &format!("read: {arg}: invalid timeout specification"),
                            )
                            .await;
                            return Ok(1);
                        }
                        'u' => match arg.parse::<i32>() {
                            Ok(0) => {}
                            Ok(_) if lent => {}
                            Ok(_) => {
                                shell_error(
                                    st,
                                    &io.stderr,
                                    &format!(
                                        "read: {arg}: invalid file descriptor: Bad file descriptor"
                                    ),
                                )
                                .await;
                                return Ok(1);
                            }
                            Err(_) => {
                                shell_error(
                                    st,
                                    &io.stderr,
                                    &format!("read: {arg}: invalid file descriptor specification"),
                                )
                                .await;
                                return Ok(1);
                            }
                        },
                        // -p prompts only on a terminal; -i only with readline (-e).
                        _ => {}
                    }
                }
                other => {
                    shell_error(st, &io.stderr, &format!("read: -{other}: invalid option")).await;
                    out(&io.stderr, &format!("{USAGE}\n")).await;
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    names.extend(args[i.min(args.len())..].iter().cloned());
    for n in names.iter().chain(array.iter()) {
        if !is_name(n) {
            shell_error(
                st,
                &io.stderr,
                &format!("read: `{n}': not a valid identifier"),
            )
            .await;
            return Ok(1);
        }
    }
    if let Some(n) = nchars {
        return read_chars(st, io, raw, delim, n, exact, array, names).await;
    }
    let mut buf = Vec::new();
    let mut got_delim = false;
    loop {
        // A read error ends the input like end of file does for bash's `read`.
        let n = io
            .stdin
            .read_until(delim, &mut buf)
            .await
            .unwrap_or_default();
        if n == 0 {
            break;
        }
        if buf.last() == Some(&delim) {
            buf.pop();
            got_delim = true;
            // A backslash before the newline continues the line unless -r.
            if !raw && delim == b'\n' && buf.last() == Some(&b'\\') {
                buf.pop();
                got_delim = false;
                continue;
            }
        }
        break;
    }
    let eof_without_data = buf.is_empty() && !got_delim;
    let line = String::from_utf8_lossy(&buf).into_owned();
    let line = if raw { line } else { unbackslash(&line) };
    assign_read(st, &line, array, &names, false);
    Ok(if eof_without_data || !got_delim { 1 } else { 0 })
}

/// Removes the backslashes quoting the next character (`read` without -r).
fn unbackslash(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                s.push(n);
            }
        } else {
            s.push(c);
        }
    }
    s
}

/// `read -n N` / `-N N`: at most (exactly, for -N) N characters, stopping at the delimiter
/// unless -N.
#[allow(clippy::too_many_arguments)]
async fn read_chars(
    st: &mut ShellState,
    io: &mut Io,
    raw: bool,
    delim: u8,
    n: usize,
    exact: bool,
    array: Option<String>,
    names: Vec<String>,
) -> Exec {
    use tokio::io::AsyncReadExt;
    let mut buf: Vec<u8> = Vec::new();
    let mut count = 0;
    let mut eof = false;
    while count < n {
        let mut b = [0u8; 1];
        match io.stdin.read(&mut b).await {
            Ok(1) => {}
            _ => {
                eof = true;
                break;
            }
        }
        if !exact && b[0] == delim {
            break;
        }
        if !raw && !exact && b[0] == b'\\' {
            let mut c = [0u8; 1];
            match io.stdin.read(&mut c).await {
                Ok(1) => {
                    if c[0] != b'\n' {
                        buf.push(c[0]);
                        count += 1;
                    }
                    continue;
                }
                _ => {
                    eof = true;
                    break;
                }
            }
        }
        buf.push(b[0]);
        // Continuation bytes of a multi-byte character do not count.
        let extra = match b[0] {
            0xc0..=0xdf => 1,
            0xe0..=0xef => 2,
            0xf0..=0xf7 => 3,
            _ => 0,
        };
        for _ in 0..extra {
            let mut c = [0u8; 1];
            if let Ok(1) = io.stdin.read(&mut c).await {
                buf.push(c[0]);
            }
        }
        count += 1;
    }
    let line = String::from_utf8_lossy(&buf).into_owned();
    assign_read(st, &line, array, &names, exact);
    Ok(if eof { 1 } else { 0 })
}

/// Splits what `read` got on IFS into the named variables (the last takes the rest of the
/// line), the array of -a, or REPLY.
fn assign_read(
    st: &mut ShellState,
    line: &str,
    array: Option<String>,
    names: &[String],
    exact: bool,
) {
    let ifs = st.ifs();
    let is_ifs_ws = |c: char| ifs.contains(c) && c.is_whitespace();
    if let Some(arr) = array {
        let items: std::collections::BTreeMap<usize, String> =
            ifs_split(line, &ifs).into_iter().enumerate().collect();
        st.set_value(&arr, Value::Array(items));
    } else if names.is_empty() {
        st.set_var("REPLY", line);
    } else if exact && names.len() == 1 {
        st.set_var(&names[0], line);
    } else {
        let mut rest: &str = line.trim_matches(is_ifs_ws);
        for (k, name) in names.iter().enumerate() {
            if k + 1 == names.len() {
                let mut v = rest.trim_end_matches(is_ifs_ws);
                // One trailing non-whitespace delimiter is dropped (`a,b,` -> `b`).
                if let Some(c) = v.chars().last()
                    && ifs.contains(c)
                    && !c.is_whitespace()
                {
                    let before = &v[..v.len() - c.len_utf8()];
                    if !before.contains(|x: char| ifs.contains(x)) {
                        v = before.trim_end_matches(is_ifs_ws);
                    }
                }
                st.set_var(name, v);
                break;
            }
            let end = rest.find(|c: char| ifs.contains(c)).unwrap_or(rest.len());
            st.set_var(name, &rest[..end]);
            rest = &rest[end..];
            // Skip the delimiter: surrounding IFS whitespace plus at most one other IFS char.
            rest = rest.trim_start_matches(is_ifs_ws);
            if let Some(c) = rest.chars().next()
                && ifs.contains(c)
                && !c.is_whitespace()
            {
                rest = &rest[c.len_utf8()..];
                rest = rest.trim_start_matches(is_ifs_ws);
            }
        }
    }
}

/// Field splitting as `read -a` does it: IFS whitespace runs separate and are trimmed at the
/// ends; each other IFS character ends one field (so `a,,b` has an empty middle field).
fn ifs_split(line: &str, ifs: &str) -> Vec<String> {
    if ifs.is_empty() {
        return if line.is_empty() {
            Vec::new()
        } else {
            vec![line.to_string()]
        };
    }
    let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
    let mut out = Vec::new();
    let mut rest = line.trim_matches(is_ws);
    while !rest.is_empty() {
        let end = rest.find(|c: char| ifs.contains(c)).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = rest[end..].trim_start_matches(is_ws);
        if let Some(c) = rest.chars().next()
            && ifs.contains(c)
            && !c.is_whitespace()
        {
            rest = rest[c.len_utf8()..].trim_start_matches(is_ws);
        }
    }
    out
}

/// Every `shopt` option, in the order bash lists them. The globbing ones are implemented
/// (see [`shopt_flag`]); the others are accepted and remembered, as they only matter interactively or
/// change nothing visible here (`inherit_errexit`, `nocasematch` and `lastpipe` are read).
const SHOPT_ALL: &[&str] = &[
    "autocd",
    "assoc_expand_once",
    "cdable_vars",
    "cdspell",
    "checkhash",
    "checkjobs",
    "checkwinsize",
    "cmdhist",
    "compat31",
    "compat32",
    "compat40",
    "compat41",
    "compat42",
    "compat43",
    "compat44",
    "complete_fullquote",
    "direxpand",
    "dirspell",
    "dotglob",
    "execfail",
    "expand_aliases",
    "extdebug",
    "extglob",
    "extquote",
    "failglob",
    "force_fignore",
    "globasciiranges",
    "globskipdots",
    "globstar",
    "gnu_errfmt",
    "histappend",
    "histreedit",
    "histverify",
    "hostcomplete",
    "huponexit",
    "inherit_errexit",
    "interactive_comments",
    "lastpipe",
    "lithist",
    "localvar_inherit",
    "localvar_unset",
    "login_shell",
    "mailwarn",
    "no_empty_cmd_completion",
    "nocaseglob",
    "nocasematch",
    "noexpand_translation",
    "nullglob",
    "patsub_replacement",
    "progcomp",
    "progcomp_alias",
    "promptvars",
    "restricted_shell",
    "shift_verbose",
    "sourcepath",
    "varredir_close",
    "xpg_echo",
];

/// The options bash turns on by default.
const SHOPT_DEFAULT_ON: &[&str] = &[
    "checkwinsize",
    "cmdhist",
    "complete_fullquote",
    "extquote",
    "force_fignore",
    "globasciiranges",
    "globskipdots",
    "hostcomplete",
    "interactive_comments",
    "patsub_replacement",
    "progcomp",
    "promptvars",
    "sourcepath",
];

/// `$BASHOPTS`: the `shopt` options that are on, colon-separated.
pub fn bashopts(st: &ShellState) -> String {
    let on: Vec<&str> = SHOPT_ALL
        .iter()
        .copied()
        .filter(|n| shopt_value(st, n) == Some(true))
        .collect();
    on.join(":")
}

/// Whether the `shopt` option `name` is on; `None` for an unknown name.
fn shopt_value(st: &ShellState, name: &str) -> Option<bool> {
    let o = &st.opts;
    Some(match name {
        "dotglob" => o.dotglob,
        "extglob" => o.extglob,
        "failglob" => o.failglob,
        "globstar" => o.globstar,
        "nocaseglob" => o.nocaseglob,
        "nullglob" => o.nullglob,
        _ if SHOPT_ALL.contains(&name) => {
            st.shopt_other.contains(name) != SHOPT_DEFAULT_ON.contains(&name)
        }
        _ => return None,
    })
}

fn shopt_flag<'a>(st: &'a mut ShellState, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "dotglob" => &mut st.opts.dotglob,
        "extglob" => &mut st.opts.extglob,
        "failglob" => &mut st.opts.failglob,
        "globstar" => &mut st.opts.globstar,
        "nocaseglob" => &mut st.opts.nocaseglob,
        "nullglob" => &mut st.opts.nullglob,
        _ => return None,
    })
}

async fn shopt(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let mut set: Option<bool> = None;
    let mut quiet = false;
    let mut print = false;
    let mut names = Vec::new();
    let mut opts_done = false;
    for a in args {
        if !opts_done && a.starts_with('-') && a.len() > 1 {
            if a == "--" {
                opts_done = true;
                continue;
            }
            for c in a[1..].chars() {
                match c {
                    's' | 'u' if set.is_some_and(|on| on != (c == 's')) => {
                        let msg = "shopt: cannot set and unset shell options simultaneously";
                        shell_error(st, &io.stderr, msg).await;
                        return Ok(1);
                    }
                    's' => set = Some(true),
                    'u' => set = Some(false),
                    'q' => quiet = true,
                    'p' => print = true,
                    'o' => {
                        shell_error(st, &io.stderr, "shopt: -o: not supported by mirage").await;
                        return Ok(2);
                    }
                    other => {
                        shell_error(st, &io.stderr, &format!("shopt: -{other}: invalid option"))
                            .await;
                        out(
                            &io.stderr,
                            "shopt: usage: shopt [-pqsu] [-o] [optname ...]\n",
                        )
                        .await;
                        return Ok(2);
                    }
                }
            }
            continue;
        }
        opts_done = true;
        names.push(a);
    }
    if names.is_empty() {
        let mut text = String::new();
        for &n in SHOPT_ALL {
            let on = shopt_value(st, n).unwrap_or(false);
            if set.is_some_and(|s| s != on) {
                continue;
            }
            if print {
                text.push_str(&format!("shopt {} {n}\n", if on { "-s" } else { "-u" }));
            } else {
                text.push_str(&format!("{n:<15}\t{}\n", if on { "on" } else { "off" }));
            }
        }
        if !quiet {
            out(&io.stdout, &text).await;
        }
        return Ok(0);
    }
    let mut status = 0;
    for n in &names {
        let Some(on) = shopt_value(st, n) else {
            shell_error(
                st,
                &io.stderr,
                &format!("shopt: {n}: invalid shell option name"),
            )
            .await;
            status = 1;
            continue;
        };
        match set {
            Some(v) => {
                if let Some(f) = shopt_flag(st, n) {
                    *f = v;
                } else {
                    let want_mark = v != SHOPT_DEFAULT_ON.contains(&n.as_str());
                    if want_mark {
                        st.shopt_other.insert(n.clone());
                    } else {
                        st.shopt_other.remove(n.as_str());
                    }
                }
            }
            None => {
                if !on {
                    status = 1;
                }
                if quiet {
                    continue;
                }
                if print {
                    out(
                        &io.stdout,
                        &format!("shopt {} {n}\n", if on { "-s" } else { "-u" }),
                    )
                    .await;
                } else {
                    out(
                        &io.stdout,
                        &format!("{n:<15}\t{}\n", if on { "on" } else { "off" }),
                    )
                    .await;
                }
            }
        }
    }
    Ok(status)
}

/// `let EXPR...`: evaluates each; status 1 when the last is 0.
async fn let_builtin(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    if args.is_empty() {
        shell_error(st, &io.stderr, "let: expression expected").await;
        return Ok(1);
    }
    let mut last = 0;
    for a in &args {
        match super::arith::eval_str(st, a) {
            Ok(v) => last = v,
            Err(e) => {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("let: {}", super::arith::describe(a, &e)),
                )
                .await;
                return Ok(1);
            }
        }
    }
    Ok(if last == 0 { 1 } else { 0 })
}

/// A directory as `dirs` shows it: `~` for $HOME (when HOME is more than `/`).
fn tilde_dir(st: &ShellState, d: &str) -> String {
    if let Some(home) = st.get_str("HOME")
        && home.len() > 1
        && let Some(rest) = d.strip_prefix(home.as_str())
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return format!("~{rest}");
    }
    d.to_string()
}

/// `pushd`, `popd`, `dirs`: the directory stack (top is the working directory).
async fn dirstack(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    let mut quiet = false;
    let mut operands = Vec::new();
    let (mut verbose, mut per_line, mut long, mut clear) = (false, false, false, false);
    for a in &args {
        match a.as_str() {
            "-n" if name != "dirs" => quiet = true,
            "-v" if name == "dirs" => verbose = true,
            "-p" if name == "dirs" => per_line = true,
            "-l" if name == "dirs" => long = true,
            "-c" if name == "dirs" => clear = true,
            "--" => {}
            s if s.starts_with('-')
                && s.len() > 1
                && !s[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                shell_error(st, &io.stderr, &format!("{name}: {s}: invalid option")).await;
                return Ok(2);
            }
            s if s.starts_with(['+', '-']) && s.len() > 1 => {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("{name}: {s}: not supported by mirage"),
                )
                .await;
                return Ok(2);
            }
            _ => operands.push(a.clone()),
        }
    }
    match name {
        "pushd" => {
            let old = st.cwd.to_string();
            let target = match operands.first() {
                Some(t) => t.clone(),
                None => {
                    let Some(top) = st.dir_stack.first().cloned() else {
                        shell_error(st, &io.stderr, "pushd: no other directory").await;
                        return Ok(1);
                    };
                    top
                }
            };
            let path = st.cwd.join(&target);
            match st.fs.stat(&path).await {
                Ok(s) if s.is_dir() => {}
                Ok(_) => {
                    shell_error(st, &io.stderr, &format!("pushd: {target}: Not a directory")).await;
                    return Ok(1);
                }
                Err(e) => {
                    shell_error(st, &io.stderr, &format!("pushd: {target}: {e}")).await;
                    return Ok(1);
                }
            }
            if operands.is_empty() {
                st.dir_stack.remove(0);
            }
            st.dir_stack.insert(0, old.clone());
            st.set_var("OLDPWD", &old);
            st.cwd = path;
        }
        "popd" => {
            if st.dir_stack.is_empty() {
                shell_error(st, &io.stderr, "popd: directory stack empty").await;
                return Ok(1);
            }
            let top = st.dir_stack.remove(0);
            let old = st.cwd.to_string();
            st.set_var("OLDPWD", &old);
            st.cwd = st.cwd.join(&top);
        }
        _ => {
            if clear {
                st.dir_stack.clear();
                return Ok(0);
            }
        }
    }
    if quiet {
        return Ok(0);
    }
    let all: Vec<String> = std::iter::once(st.cwd.to_string())
        .chain(st.dir_stack.iter().cloned())
        .map(|d| if long { d } else { tilde_dir(st, &d) })
        .collect();
    let text = if verbose {
        all.iter()
            .enumerate()
            .map(|(i, d)| format!("{i:>2}  {d}\n"))
            .collect::<String>()
    } else if per_line {
        all.iter().map(|d| format!("{d}\n")).collect::<String>()
    } else {
        format!("{}\n", all.join(" "))
    };
    out(&io.stdout, &text).await;
    Ok(0)
}

/// `alias` and `unalias`. Aliases are remembered and listed but, as in a non-interactive
/// bash, never expanded.
async fn alias(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    let quote = |v: &str| format!("'{}'", v.replace('\'', "'\\''"));
    let mut status = 0;
    if name == "unalias" {
        if args.is_empty() {
            out(&io.stderr, "unalias: usage: unalias [-a] name [name ...]\n").await;
            return Ok(2);
        }
        for a in &args {
            if a == "-a" {
                st.aliases.clear();
            } else if st.aliases.remove(a).is_none() {
                shell_error(st, &io.stderr, &format!("unalias: {a}: not found")).await;
                status = 1;
            }
        }
        return Ok(status);
    }
    let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "-p").collect();
    if args.is_empty() {
        let text: String = st
            .aliases
            .iter()
            .map(|(k, v)| format!("alias {k}={}\n", quote(v)))
            .collect();
        out(&io.stdout, &text).await;
        return Ok(0);
    }
    for a in args {
        match a.split_once('=') {
            Some((k, v)) => {
                st.aliases.insert(k.to_string(), v.to_string());
            }
            None => match st.aliases.get(a.as_str()) {
                Some(v) => out(&io.stdout, &format!("alias {a}={}\n", quote(v))).await,
                None => {
                    shell_error(st, &io.stderr, &format!("alias: {a}: not found")).await;
                    status = 1;
                }
            },
        }
    }
    Ok(status)
}

/// Words bash parses as reserved words.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

/// Registered commands that are builtins in bash.
const BASH_BUILTIN_COMMANDS: &[&str] = &["echo", "printf", "kill", "umask", "ulimit", "alias"];

/// Commands Mirage registers as programs that are builtins in bash (echo, printf): found
/// whatever `$PATH` says.
pub fn is_bash_builtin_command(name: &str) -> bool {
    BASH_BUILTIN_COMMANDS.contains(&name)
}

async fn command_v(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    // Options: `command [-pVv]`, `type [-afptP]`.
    let mut mode: Option<char> = if name == "type" { Some('V') } else { None };
    let mut all = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        for c in a[1..].chars() {
            match (name, c) {
                ("command", 'v') => mode = Some('v'),
                ("command", 'V') => mode = Some('V'),
                ("command", 'p') => {}
                ("type", 't') => mode = Some('t'),
                ("type", 'p') => mode = Some('p'),
                ("type", 'P') => mode = Some('P'),
                ("type", 'a') => all = true,
                ("type", 'f') => {}
                (_, other) => {
                    shell_error(st, &io.stderr, &format!("{name}: -{other}: invalid option")).await;
                    let usage = if name == "type" {
                        "type: usage: type [-afptP] name [name ...]\n"
                    } else {
                        "command: usage: command [-pVv] command [arg ...]\n"
                    };
                    out(&io.stderr, usage).await;
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let names: Vec<String> = args[i.min(args.len())..].to_vec();
    let Some(mode) = mode else {
        // `command NAME ARGS`: run NAME skipping functions.
        let Some((cmd, rest)) = names.split_first() else {
            return Ok(0);
        };
        if is_builtin(cmd) {
            return run(st, io, cmd, rest.to_vec()).await;
        }
        let saved = st.functions.remove(cmd);
        let r = super::simple::dispatch(st, io, cmd.clone(), rest.to_vec(), Vec::new()).await;
        if let Some(f) = saved {
            st.functions.insert(cmd.clone(), f);
        }
        return r;
    };
    let mut status = 0;
    let mut found_any = false;
    for n in &names {
        // Every kind `n` has, in bash's lookup order.
        let mut kinds: Vec<&str> = Vec::new();
        // Without expand_aliases (a non-interactive shell), bash's `type` ignores aliases.
        if KEYWORDS.contains(&n.as_str()) {
            kinds.push("keyword");
        }
        if st.functions.contains_key(n) {
            kinds.push("function");
        }
        if is_builtin(n) && !matches!(n.as_str(), "bash" | "sh")
            || BASH_BUILTIN_COMMANDS.contains(&n.as_str())
        {
            kinds.push("builtin");
        }
        if st.commands.contains(n) && !n.contains('/') && st.commands_on_path(None).is_ok() {
            kinds.push("file");
        }
        if !kinds.is_empty() {
            found_any = true;
        }
        if matches!(mode, 'p' | 'P') {
            let any = !kinds.is_empty();
            kinds.retain(|k| *k == "file");
            if any && kinds.is_empty() && mode == 'p' {
                continue;
            }
        }
        if kinds.is_empty() {
            status = 1;
            if mode == 'V' {
                shell_error(st, &io.stderr, &format!("{name}: {n}: not found")).await;
            }
            continue;
        }
        if !all {
            kinds.truncate(1);
        }
        let mut text = String::new();
        for k in kinds {
            text.push_str(&match (mode, k) {
                ('t', k) => format!("{k}\n"),
                ('v', "file") | ('p', _) | ('P', _) => format!("/usr/bin/{n}\n"),
                ('v', _) => format!("{n}\n"),
                (_, "keyword") => format!("{n} is a shell keyword\n"),
                (_, "function") => format!("{n} is a function\n"),
                (_, "builtin") => format!("{n} is a shell builtin\n"),
                _ => format!("{n} is /usr/bin/{n}\n"),
            });
        }
        out(&io.stdout, &text).await;
    }
    if mode == 'v' && found_any {
        status = 0;
    }
    Ok(status)
}

/// `unset 'a[1]'` / `unset 'm[key]'`: removes one element.
fn unset_element(st: &mut ShellState, var: &str, key: &str) {
    match st.get(var) {
        Some(Value::Assoc(mut m)) => {
            m.retain(|(k, _)| k != key);
            st.set_value(var, Value::Assoc(m));
        }
        Some(Value::Array(mut a)) => {
            if let Ok(i) = super::arith::eval_str(st, key) {
                let idx = if i < 0 {
                    a.keys().last().map(|k| *k as i64 + 1 + i)
                } else {
                    Some(i)
                };
                if let Some(idx) = idx.and_then(|i| usize::try_from(i).ok()) {
                    a.remove(&idx);
                }
            }
            st.set_value(var, Value::Array(a));
        }
        _ => {}
    }
}
