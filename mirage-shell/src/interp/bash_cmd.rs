//! `bash` and `sh` inside Mirage: `bash -c LINE [NAME [ARGS]]`, `bash FILE [ARGS]` (a script
//! stored on a mount) and `bash` reading its script from stdin. The child is a new shell: it
//! sees exported variables but not the caller's functions or plain variables, like a real
//! child process.

use tokio::io::AsyncReadExt;

use super::io::Io;
use super::run::{Exec, Flow, write_diagnostic};
use super::script::{self, Origin};
use super::state::ShellState;
use super::{syntax, trap};

pub async fn bash(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    let mut child = ShellState::new(st.fs.clone(), st.commands.clone(), st.cwd.clone());
    // Jobs the child leaves running outlive it, as processes would: the line finishes them.
    child.jobs = st.jobs.for_child();
    // The environment is exactly the parent's exported variables (`env -i bash` has no HOME).
    child.vars.retain(|_, v| !v.exported);
    for (k, v) in st.vars.iter().filter(|(_, v)| v.exported) {
        child.vars.insert(k.clone(), v.clone());
    }
    // `export -f NAME` functions come along, as bash passes them in the environment.
    for f in &st.exported_functions {
        if let Some(def) = st.functions.get(f) {
            child.functions.insert(f.clone(), def.clone());
            child.exported_functions.insert(f.clone());
        }
    }
    let mut command: Option<String> = None;
    // `-s`: the script comes from stdin, all operands are positional parameters; `-n`: parse
    // only.
    let mut from_stdin = false;
    let mut no_exec = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-c" => {
                let Some(text) = args.get(i + 1) else {
                    child_error(
                        &io.stderr,
                        &format!("{name}: -c: option requires an argument"),
                    )
                    .await;
                    return Ok(2);
                };
                command = Some(text.clone());
                i += 2;
                break;
            }
            "--" => {
                i += 1;
                break;
            }
            "-o" | "+o" => {
                let on = a == "-o";
                match args.get(i + 1).map(String::as_str) {
                    Some("pipefail") => child.opts.pipefail = on,
                    Some("errexit") => child.opts.errexit = on,
                    Some("nounset") => child.opts.nounset = on,
                    Some("xtrace") => child.opts.xtrace = on,
                    other => {
                        child_error(
                            &io.stderr,
                            &format!("{name}: {}: invalid option name", other.unwrap_or("")),
                        )
                        .await;
                        return Ok(2);
                    }
                }
                i += 2;
            }
            s if s.starts_with('-') && s.len() > 1 => {
                for f in s[1..].chars() {
                    match f {
                        'e' => child.opts.errexit = true,
                        'u' => child.opts.nounset = true,
                        'x' => child.opts.xtrace = true,
                        'f' => child.opts.noglob = true,
                        's' => from_stdin = true,
                        'n' => no_exec = true,
                        'c' => {
                            let Some(text) = args.get(i + 1) else {
                                child_error(
                                    &io.stderr,
                                    &format!("{name}: -c: option requires an argument"),
                                )
                                .await;
                                return Ok(2);
                            };
                            command = Some(text.clone());
                            i += 1;
                        }
                        other => {
                            child_error(&io.stderr, &format!("{name}: -{other}: invalid option"))
                                .await;
                            return Ok(2);
                        }
                    }
                }
                i += 1;
                if command.is_some() {
                    break;
                }
            }
            _ => break,
        }
    }
    let rest: Vec<String> = args[i.min(args.len())..].to_vec();
    let command = if from_stdin && command.is_none() {
        let mut text = Vec::new();
        let _ = io.stdin.read_to_end(&mut text).await;
        child.shell_name = name.to_string();
        child.positional = rest.clone();
        child.invocation_flag = Some('s');
        Some(Err(String::from_utf8_lossy(&text).into_owned()))
    } else {
        command.map(Ok)
    };
    let script = match command {
        Some(Err(stdin_script)) => stdin_script,
        Some(Ok(text)) => {
            child.shell_name = rest.first().cloned().unwrap_or_else(|| name.to_string());
            child.positional = rest.iter().skip(1).cloned().collect();
            text
        }
        None => match rest.first() {
            Some(file) => {
                let path = st.cwd.join(file);
                let data = match st.fs.read(&path, None).await {
                    Ok(s) => mirage_core::collect_stream(s).await,
                    Err(e) => Err(e),
                };
                match data {
                    Ok(d) => {
                        child.shell_name = file.clone();
                        child.positional = rest[1..].to_vec();
                        child.invocation_flag = None;
                        child.sources = vec![file.clone()];
                        String::from_utf8_lossy(&d).into_owned()
                    }
                    Err(e) => {
                        if name == "sh" {
                            // Debian's sh is dash, which words it this way.
                            use tokio::io::AsyncWriteExt;
                            let mut w = io.stderr.clone();
                            let msg = format!("sh: 0: cannot open {file}: No such file\n");
                            let _ = w.write_all(msg.as_bytes()).await;
                            return Ok(2);
                        }
                        child_error(&io.stderr, &format!("{name}: {file}: {e}")).await;
                        return Ok(127);
                    }
                }
            }
            None => {
                let mut text = Vec::new();
                let _ = io.stdin.read_to_end(&mut text).await;
                child.shell_name = name.to_string();
                child.invocation_flag = Some('s');
                String::from_utf8_lossy(&text).into_owned()
            }
        },
    };
    let origin = match child.invocation_flag {
        Some('c') => Origin::CommandString,
        _ => Origin::File,
    };
    if no_exec {
        // `bash -n`: only the syntax is checked.
        return Ok(match syntax::parse(&script) {
            Ok(_) => 0,
            Err(e) => {
                script::report(&child, &io.stderr, &e, origin, e.line).await;
                2
            }
        });
    }
    let run = script::run_main_text(&mut child, io, &script, origin);
    let status = match Box::pin(run).await {
        Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
    };
    Ok(trap::run_exit_trap(&mut child, io, status).await)
}

/// `bash`/`sh` run as a registered command (from `xargs`, `find -exec`, `env`, `timeout`): a
/// fresh shell whose environment is exactly the command's, wired to the command's streams.
pub async fn run_as_command(
    ctx: &mut mirage_core::CommandContext,
    args: Vec<String>,
) -> std::io::Result<i32> {
    run_child(ctx, args, false).await
}

/// `true`, `false`, `test` and `[` run as registered commands (from `find -exec test -s {}`,
/// `xargs false`, `timeout 1 true`), as /usr/bin has them: the interpreter's builtin in a
/// fresh shell wired to the command's streams.
pub async fn run_builtin_as_command(
    ctx: &mut mirage_core::CommandContext,
    args: Vec<String>,
) -> std::io::Result<i32> {
    run_child(ctx, args, true).await
}

async fn run_child(
    ctx: &mut mirage_core::CommandContext,
    args: Vec<String>,
    builtin: bool,
) -> std::io::Result<i32> {
    use super::io::{SharedWriter, empty_reader, pipe};
    let mut parent = ShellState::new(ctx.fs.clone(), ctx.commands.clone(), ctx.cwd.clone());
    parent.vars.retain(|_, v| !v.exported);
    for (k, v) in ctx.env.iter() {
        if k != "PWD" {
            parent.set_exported(k, v);
        }
    }
    let (mut out_r, out_w) = pipe(super::run::PIPE_CAPACITY);
    let (mut err_r, err_w) = pipe(super::run::PIPE_CAPACITY);
    let stdout = SharedWriter::new(Box::pin(out_w));
    let stderr = SharedWriter::new(Box::pin(err_w));
    let mut io = Io {
        stdin: std::mem::replace(&mut ctx.stdin, empty_reader()),
        stdin_size: ctx.stdin_size,
        fds: Default::default(),
        stdout: stdout.clone(),
        stderr: stderr.clone(),
    };
    let name = ctx.name.clone();
    let run = async {
        let r = if builtin {
            super::builtins::run(&mut parent, &mut io, &name, args).await
        } else {
            bash(&mut parent, &mut io, &name, args).await
        };
        let status = match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
        };
        // Jobs the script left running still write to the command's output.
        super::jobs::finish_all(&parent.jobs).await;
        stdout.close().await;
        stderr.close().await;
        let stdin = std::mem::replace(&mut io.stdin, empty_reader());
        drop(io);
        (status, stdin)
    };
    let out = &mut ctx.stdout;
    let copy_out = async {
        let mut buf = vec![0u8; 16 * 1024];
        let mut broken = false;
        loop {
            match out_r.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if !broken && out.write_all(&buf[..n]).await.is_err() {
                        // Keep draining so the shell never blocks; report the broken pipe.
                        broken = true;
                    }
                }
            }
        }
        if !broken {
            broken = out.flush().await.is_err();
        }
        drop(out_r);
        broken
    };
    let errw = &mut ctx.stderr;
    let copy_err = async {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match err_r.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let _ = errw.write_all(&buf[..n]).await;
                }
            }
        }
    };
    let ((status, stdin), broken, ()) = futures::join!(run, copy_out, copy_err);
    ctx.stdin = stdin;
    if broken {
        return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
    }
    Ok(status)
}

/// An error of the child shell before it runs anything (`bash: -z: invalid option`): the
/// message names the shell itself and has no line.
async fn child_error(w: &super::io::SharedWriter, msg: &str) {
    write_diagnostic(w, "", msg).await;
}
