//! `trap`: the EXIT trap (run when the shell or subshell ends), the ERR trap (run after a
//! failing command where `set -e` would act; see `run.rs`) and the RETURN trap (run when the
//! function that set it returns; functions do not inherit it, see `simple.rs`). Signals never
//! arrive in a virtual shell, so traps on them are kept (for `trap -p`) and simply never fire;
//! DEBUG would change what runs, and is refused loudly.

use super::io::Io;
use super::run::{Exec, shell_error};
use super::state::ShellState;

/// A signal a trap can name: its number, from a name (`INT`, `SIGINT`) or a number.
fn signal(spec: &str) -> Option<usize> {
    super::builtins::signal_number(spec).filter(|n| *n >= 1)
}

pub async fn trap(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let args: Vec<String> = args.into_iter().filter(|a| a != "--").collect();
    if args.is_empty() || args[0] == "-p" {
        use tokio::io::AsyncWriteExt;
        let named = args.get(1..).unwrap_or_default();
        let mut text = String::new();
        if named.is_empty() {
            // EXIT, the signals by number, then ERR and RETURN, as bash lists them.
            let signals: Vec<String> = st.signal_traps.keys().map(|n| n.to_string()).collect();
            let order = std::iter::once("EXIT".to_string())
                .chain(signals)
                .chain(["ERR".to_string(), "RETURN".to_string()]);
            for spec in order {
                text.push_str(&shown(st, &spec).unwrap_or_default());
            }
        } else {
            for spec in named {
                text.push_str(&shown(st, spec).unwrap_or_default());
            }
        }
        let mut w = io.stdout.clone();
        let _ = w.write_all(text.as_bytes()).await;
        return Ok(0);
    }
    if args.len() == 1 {
        // `trap SIGNAL` resets it.
        return reset(st, io, &args).await;
    }
    let action = &args[0];
    let mut status = 0;
    for sig in &args[1..] {
        let sig = sig.trim_start_matches("SIG").to_uppercase();
        match sig.as_str() {
            "EXIT" | "0" => {
                st.exit_trap = if action == "-" {
                    None
                } else {
                    Some(action.clone())
                };
            }
            "ERR" => {
                st.err_trap = if action == "-" || action.is_empty() {
                    None
                } else {
                    Some(action.clone())
                };
            }
            "RETURN" => {
                st.return_trap = if action == "-" || action.is_empty() {
                    None
                } else {
                    Some(action.clone())
                };
            }
            "DEBUG" => {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("trap: {sig}: not supported by mirage"),
                )
                .await;
                status = 2;
            }
            s => match signal(s) {
                Some(n) if action == "-" => {
                    st.signal_traps.remove(&n);
                }
                Some(n) => {
                    st.signal_traps.insert(n, action.clone());
                }
                None => {
                    shell_error(
                        st,
                        &io.stderr,
                        &format!("trap: {sig}: invalid signal specification"),
                    )
                    .await;
                    status = 1;
                }
            },
        }
    }
    Ok(status)
}

/// The `trap -p` line for one trap, if it is set.
fn shown(st: &ShellState, spec: &str) -> Option<String> {
    let upper = spec.trim_start_matches("SIG").to_uppercase();
    let (cmd, name) = match upper.as_str() {
        "EXIT" | "0" => (st.exit_trap.clone()?, "EXIT".to_string()),
        "ERR" => (st.err_trap.clone()?, "ERR".to_string()),
        "RETURN" => (st.return_trap.clone()?, "RETURN".to_string()),
        s => {
            let n = signal(s)?;
            let name = super::builtins::signal_name(n)?;
            (st.signal_traps.get(&n)?.clone(), format!("SIG{name}"))
        }
    };
    let quoted = cmd.replace('\'', "'\\''");
    Some(format!("trap -- '{quoted}' {name}\n"))
}

async fn reset(st: &mut ShellState, io: &mut Io, args: &[String]) -> Exec {
    let sig = args[0].trim_start_matches("SIG").to_uppercase();
    if sig == "EXIT" || sig == "0" {
        st.exit_trap = None;
        return Ok(0);
    }
    if sig == "ERR" {
        st.err_trap = None;
        return Ok(0);
    }
    if sig == "RETURN" {
        st.return_trap = None;
        return Ok(0);
    }
    if let Some(n) = signal(&sig) {
        st.signal_traps.remove(&n);
        return Ok(0);
    }
    shell_error(
        st,
        &io.stderr,
        &format!("trap: {}: invalid signal specification", args[0]),
    )
    .await;
    Ok(1)
}

/// Runs and clears the EXIT trap, keeping the status of the shell unless the trap exits.
pub async fn run_exit_trap(st: &mut ShellState, io: &mut Io, status: i32) -> i32 {
    let Some(cmd) = st.exit_trap.take() else {
        return status;
    };
    st.last_status = status;
    st.line_offset = 0;
    st.lineno_frozen = false;
    st.running_trap = true;
    match super::script::run_text(st, io, &cmd, super::script::Origin::Eval).await {
        Err(super::run::Flow::Exit(s)) => s,
        _ => status,
    }
}
