//! Runs a single command outside any shell line: for command unit tests.

use std::collections::BTreeMap;
use std::sync::Arc;

use mirage_core::{CommandContext, MountTable, Output, VPath};
use tokio::io::AsyncReadExt;

/// What a command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

impl Captured {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs `argv` (name first) against `fs` with the built-in registry, feeding `stdin`.
pub async fn run_argv(fs: Arc<MountTable>, cwd: &str, argv: &[&str], stdin: &[u8]) -> Captured {
    let commands = Arc::new(crate::builtin_registry());
    let name = argv.first().copied().unwrap_or_default().to_string();
    let Some(cmd) = commands.resolve(&name, None, None) else {
        return Captured {
            stdout: vec![],
            stderr: format!("{name}: command not found\n").into_bytes(),
            status: 127,
        };
    };
    let (out_r, out_w) = crate::interp::io::pipe(1 << 16);
    let (err_r, err_w) = crate::interp::io::pipe(1 << 16);
    let stdin_data = stdin.to_vec();
    let mut ctx = CommandContext {
        stdin_size: None,
        name,
        stdin: Box::pin(tokio::io::BufReader::new(std::io::Cursor::new(stdin_data))),
        stdout: Output::new(Box::pin(out_w)),
        stderr: Output::unbuffered(Box::pin(err_w)),
        cwd: VPath::new(cwd),
        env: Arc::new(BTreeMap::new()),
        fs,
        commands: commands.clone(),
        shell_prefix: None,
    };
    let args: Vec<String> = argv.iter().skip(1).map(|s| s.to_string()).collect();
    let collect = |mut r: tokio::io::DuplexStream| async move {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v).await;
        v
    };
    let out_task = tokio::spawn(collect(out_r));
    let err_task = tokio::spawn(collect(err_r));
    let status = crate::exec::run_command(cmd, &mut ctx, args).await;
    let _ = ctx.stdout.shutdown().await;
    let _ = ctx.stderr.shutdown().await;
    drop(ctx);
    Captured {
        stdout: out_task.await.unwrap_or_default(),
        stderr: err_task.await.unwrap_or_default(),
        status,
    }
}
