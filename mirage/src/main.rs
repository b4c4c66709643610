//! The `mirage` command line: `mirage run [--mount PREFIX=SPEC]... [--config FILE] [-c LINE]`.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mirage::{Workspace, WorkspaceBuilder};

#[derive(Parser)]
#[command(
    name = "mirage",
    version,
    about = "One virtual filesystem for AI agents, driven with bash"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run one line (-c) or a script read from stdin over the given mounts.
    Run {
        /// PREFIX=SPEC where SPEC is `ram`, `disk:PATH` or `disk:PATH:ro`. Repeatable.
        #[arg(long = "mount", value_name = "PREFIX=SPEC")]
        mounts: Vec<String>,
        /// A YAML config with `mounts:`.
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
        /// The line to run; without it the script is read from stdin.
        #[arg(short = 'c', value_name = "LINE")]
        line: Option<String>,
        /// Working directory inside the workspace.
        #[arg(long, default_value = "/")]
        cwd: String,
        /// After the run, print backend calls, bytes and cache hits per mount to stderr as JSON.
        #[arg(long)]
        stats: bool,
        /// Do not mount an in-memory /tmp when nothing else is mounted there.
        #[arg(long)]
        no_tmp: bool,
    },
    /// List the resource kinds compiled into this binary.
    Resources,
}

/// Writes straight to the process's stdout/stderr. tokio's own handles hand bytes to a
/// background thread, which can lose the last writes at exit and reorder the two streams.
struct HostOut<W>(W);

impl<W: std::io::Write + Unpin> tokio::io::AsyncWrite for HostOut<W> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(self.0.write(buf))
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.0.flush())
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.0.flush())
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("mirage: {msg}");
    ExitCode::from(2)
}

/// Deeply nested shell constructs poll deeply nested futures; give threads room for that.
const WORKER_STACK: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    // The line runs on this thread (block_on), so run it on one with a large stack.
    match std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(real_main)
        .map(|h| h.join())
    {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("mirage: internal error: the main thread could not run");
            ExitCode::from(70)
        }
    }
}

fn real_main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Resources => {
            for r in mirage::config::registered_resources() {
                println!("{r}");
            }
            ExitCode::SUCCESS
        }
        Cmd::Run {
            mounts,
            config,
            line,
            cwd,
            stats,
            no_tmp,
        } => {
            let mut builder = match &config {
                Some(path) => match std::fs::read_to_string(path) {
                    Ok(text) => {
                        match mirage::config::builder_from_yaml(&text, &mirage::config::env_lookup)
                        {
                            Ok(b) => b,
                            Err(e) => return fail(e),
                        }
                    }
                    Err(e) => return fail(format!("{path}: {e}")),
                },
                None => WorkspaceBuilder::default(),
            };
            for m in &mounts {
                builder = match mirage::spec::add_mount_spec(builder, m) {
                    Ok(b) => b,
                    Err(e) => return fail(e),
                };
            }
            // Scripts expect a scratch /tmp (`mktemp`, `sort -T /tmp`, `cp x /tmp/`): give
            // them an in-memory one unless the configuration mounts something there.
            if !no_tmp && !builder.has_mount_at("/tmp") {
                builder = builder.mount("/tmp", mirage::RamResource::new());
            }
            let (script, stdin_is_input) = match line {
                Some(l) => (l, true),
                None => {
                    let mut s = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                        return fail(format!("reading script from stdin: {e}"));
                    }
                    (s, false)
                }
            };
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => return fail(format!("cannot start the runtime: {e}")),
            };
            let status = runtime.block_on(async move {
                let ws: Workspace = match builder.build() {
                    Ok(ws) => ws,
                    Err(e) => {
                        eprintln!("mirage: {e}");
                        return 2;
                    }
                };
                let mut session = ws.session();
                session.set_cwd(mirage::core::VPath::new(&cwd));
                let stdin: Option<mirage::core::Reader> = if stdin_is_input {
                    Some(Box::pin(tokio::io::BufReader::new(tokio::io::stdin())))
                } else {
                    None
                };
                let status = session
                    .execute_to(
                        &script,
                        stdin,
                        Box::pin(HostOut(std::io::stdout())),
                        Box::pin(HostOut(std::io::stderr())),
                    )
                    .await;
                if stats {
                    eprintln!("{}", ws.stats().to_json());
                }
                status
            });
            // A stdin reader blocked in its thread must not keep the process alive.
            runtime.shutdown_background();
            ExitCode::from((status & 0xff) as u8)
        }
    }
}
