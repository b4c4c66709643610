//! Builtins that need the shell's own state (cwd, variables, options, control flow), which is
//! why they live in the interpreter rather than in the command registry.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::io::Io;
use super::run::{Exec, Flow, run_program, shell_error};
use super::state::{ShellState, Value};
use super::{syntax, test_expr};

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
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
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
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                if let Some((var, key)) = a.strip_suffix(']').and_then(|x| x.split_once('[')) {
                    unset_element(st, var, key);
                    continue;
                }
                st.unset(a);
                st.functions.remove(a);
            }
            Ok(0)
        }
        "set" => set(st, io, args).await,
        "shift" => {
            let n = match args.first() {
                None => 1,
                Some(a) => match a.parse::<usize>() {
                    Ok(n) => n,
                    Err(_) => {
                        shell_error(
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
                        shell_error(&io.stderr, &format!("{name}: {a}: loop count out of range"))
                            .await;
                        return Ok(1);
                    }
                },
            };
            if st.loop_depth == 0 {
                shell_error(
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
                        shell_error(&io.stderr, &format!("exit: {a}: numeric argument required"))
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
            run_text(st, io, &text).await
        }
        "source" | "." => {
            let Some(file) = args.first() else {
                shell_error(&io.stderr, &format!("{name}: filename argument required")).await;
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
                    shell_error(&io.stderr, &format!("{file}: {e}")).await;
                    return Ok(1);
                }
            };
            let saved = if args.len() > 1 {
                Some(std::mem::replace(&mut st.positional, args[1..].to_vec()))
            } else {
                None
            };
            st.push_frame();
            let r = run_text(st, io, &text).await;
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
        "bash" | "sh" => Box::pin(super::bash_cmd::bash(st, io, name, args)).await,
        _ => Ok(127),
    }
}

/// Parses and runs `text` in the current shell (eval, source).
pub async fn run_text(st: &mut ShellState, io: &mut Io, text: &str) -> Exec {
    match syntax::parse(text) {
        Ok(p) => run_program(st, io, &p).await,
        Err(msg) => {
            shell_error(&io.stderr, &msg).await;
            Ok(2)
        }
    }
}

async fn cd(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let args: Vec<String> = args
        .into_iter()
        .filter(|a| a != "--" && a != "-L" && a != "-P")
        .collect();
    if args.len() > 1 {
        shell_error(&io.stderr, "cd: too many arguments").await;
        return Ok(1);
    }
    let (target, print) = match args.first().map(String::as_str) {
        None => (st.get_str("HOME").unwrap_or_else(|| "/".to_string()), false),
        Some("-") => match st.get_str("OLDPWD") {
            Some(o) => (o, true),
            None => {
                shell_error(&io.stderr, "cd: OLDPWD not set").await;
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
            shell_error(&io.stderr, &format!("cd: {target}: Not a directory")).await;
            Ok(1)
        }
        Err(e) => {
            shell_error(&io.stderr, &format!("cd: {target}: {e}")).await;
            Ok(1)
        }
    }
}

async fn declare(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    if name == "local" && st.local_frames.is_empty() {
        shell_error(&io.stderr, "local: can only be used in a function").await;
        return Ok(1);
    }
    let mut export = name == "export";
    let mut unexport = false;
    let mut print = false;
    let mut kind: Option<char> = None;
    let mut readonly = name == "readonly";
    let mut status = 0;
    let mut names = Vec::new();
    for a in args {
        if let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !a.contains('='))
        {
            for f in flags.chars() {
                match f {
                    'x' => export = true,
                    'n' if name == "export" => unexport = true,
                    'p' => print = true,
                    'A' => kind = Some('A'),
                    'a' => kind = Some('a'),
                    'r' => readonly = true,
                    'i' | 'g' | 'f' => {}
                    other => {
                        shell_error(
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
            shell_error(&io.stderr, &format!("{var}: readonly variable")).await;
            status = 1;
            continue;
        }
        if readonly {
            st.readonly.insert(var.clone());
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
            let v = if append {
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
                'f' => st.opts.noglob = on,
                'o' => {
                    i += 1;
                    let Some(opt) = args.get(i) else {
                        return Ok(0);
                    };
                    match opt.as_str() {
                        "pipefail" => st.opts.pipefail = on,
                        "errexit" => st.opts.errexit = on,
                        "nounset" => st.opts.nounset = on,
                        "xtrace" => st.opts.xtrace = on,
                        "noglob" => st.opts.noglob = on,
                        other => {
                            shell_error(&io.stderr, &format!("set: {other}: invalid option name"))
                                .await;
                            return Ok(2);
                        }
                    }
                }
                'h' | 'B' | 'H' | 'm' | 'b' | 'C' | 'P' | 'T' | 'E' => {}
                other => {
                    shell_error(&io.stderr, &format!("set: -{other}: invalid option")).await;
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    Ok(0)
}

async fn read(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let mut raw = false;
    let mut delim = b'\n';
    let mut array: Option<String> = None;
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-r" => raw = true,
            "-s" => {}
            "-p" | "-t" => i += 1,
            "-d" => {
                i += 1;
                delim = args.get(i).and_then(|d| d.bytes().next()).unwrap_or(0);
            }
            "-a" => {
                i += 1;
                array = args.get(i).cloned();
            }
            s if s.starts_with('-') && s.len() > 1 && names.is_empty() => {
                if s.chars().skip(1).all(|c| c == 'r' || c == 's') {
                    raw = true;
                } else {
                    shell_error(&io.stderr, &format!("read: {s}: not supported by mirage")).await;
                    return Ok(2);
                }
            }
            _ => names.push(a.clone()),
        }
        i += 1;
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
    let mut line = String::from_utf8_lossy(&buf).into_owned();
    if !raw {
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
        line = s;
    }
    let ifs = st.ifs();
    let is_ifs_ws = |c: char| ifs.contains(c) && c.is_whitespace();
    if let Some(arr) = array {
        let items: std::collections::BTreeMap<usize, String> = line
            .split(|c: char| ifs.contains(c))
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| (i, s.to_string()))
            .collect();
        st.set_value(&arr, Value::Array(items));
    } else if names.is_empty() {
        st.set_var("REPLY", &line);
    } else {
        let mut rest: &str = line.trim_matches(is_ifs_ws);
        for (k, name) in names.iter().enumerate() {
            if k + 1 == names.len() {
                st.set_var(name, rest.trim_end_matches(is_ifs_ws));
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
    Ok(if eof_without_data || !got_delim { 1 } else { 0 })
}

async fn command_v(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    let (verbose_flag, names): (bool, Vec<String>) = match args.first().map(String::as_str) {
        Some("-v") | Some("-V") => (true, args[1..].to_vec()),
        _ if name == "type" => (true, args.clone()),
        _ => (false, args.clone()),
    };
    if !verbose_flag {
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
    }
    let mut status = 0;
    for n in &names {
        let line = if st.functions.contains_key(n) {
            if name == "type" {
                format!("{n} is a function\n")
            } else {
                format!("{n}\n")
            }
        } else if is_builtin(n) || matches!(n.as_str(), "echo" | "printf") {
            if name == "type" {
                format!("{n} is a shell builtin\n")
            } else {
                format!("{n}\n")
            }
        } else if st.commands.contains(n) {
            if name == "type" {
                format!("{n} is /usr/bin/{n}\n")
            } else {
                format!("/usr/bin/{n}\n")
            }
        } else {
            status = 1;
            if name == "type" {
                shell_error(&io.stderr, &format!("type: {n}: not found")).await;
            }
            continue;
        };
        out(&io.stdout, &line).await;
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
