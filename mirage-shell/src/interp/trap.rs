//! `trap`: the EXIT trap (run when the shell or subshell ends), the ERR trap (run after a
//! failing command where `set -e` would act; see `run.rs`) and the RETURN trap (run when the
//! function that set it returns; functions do not inherit it, see `simple.rs`). Signals never
//! arrive in a virtual shell, so traps on them are accepted and simply never fire; DEBUG would
//! change what runs, and is refused loudly.

use super::io::Io;
use super::run::{Exec, shell_error};
use super::state::ShellState;

const SIGNALS: &[&str] = &[
    "HUP", "INT", "QUIT", "TERM", "USR1", "USR2", "PIPE", "ALRM", "CHLD", "1", "2", "3", "15",
];

pub async fn trap(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    let args: Vec<String> = args.into_iter().filter(|a| a != "--").collect();
    if args.is_empty() || args[0] == "-p" {
        use tokio::io::AsyncWriteExt;
        let set = [
            (&st.exit_trap, "EXIT"),
            (&st.err_trap, "ERR"),
            (&st.return_trap, "RETURN"),
        ];
        let mut text = String::new();
        for (cmd, name) in set {
            if let Some(cmd) = cmd {
                let quoted = cmd.replace('\'', "'\\''");
                text.push_str(&format!("trap -- '{quoted}' {name}\n"));
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
            s if SIGNALS.contains(&s) => {}
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
            _ => {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("trap: {sig}: invalid signal specification"),
                )
                .await;
                status = 1;
            }
        }
    }
    Ok(status)
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
    if SIGNALS.contains(&sig.as_str()) {
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
