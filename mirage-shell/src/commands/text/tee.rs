//! `tee`: copy stdin to stdout and to files (`-a` appends, `-i` is accepted). Each file is
//! written through the mount table while data arrives (a channel-fed stream per file), and
//! stdout is flushed after every chunk so a pipeline downstream sees data at once.

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, MountMode, MountTable, VPath,
    WriteMode,
};
use tokio::io::AsyncBufReadExt;

use super::file_sink::FileSink;
use super::quoting::shell_quote;
use super::support::{HELP, VERSION, lquote, refuse_help, unsupported, usage_error};
use crate::commands::common::{parse_opts, take_stdin};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Tee;

const SPEC: OptSpec = OptSpec {
    short: "aip",
    long: &[
        LongOpt {
            name: "append",
            has_arg: HasArg::No,
            key: "a",
        },
        LongOpt {
            name: "ignore-interrupts",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "output-error",
            has_arg: HasArg::Optional,
            key: "output-error",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Checks what opening `path` for writing would answer, before any data moves, so errors come
/// out first as with GNU's `open`.
async fn check_writable(fs: &MountTable, path: &VPath) -> Result<(), FsError> {
    match fs.stat(path).await {
        Ok(st) if st.is_dir() => return Err(FsError::is_dir()),
        Ok(_) => {}
        Err(e) if e.kind == ErrorKind::NotFound => match fs.stat(&path.parent()).await {
            Ok(st) if !st.is_dir() => return Err(FsError::not_dir()),
            Ok(_) => {}
            Err(e) => return Err(e),
        },
        Err(e) => return Err(e),
    }
    match fs.resolve(path) {
        Some(r) if r.mount.mode >= MountMode::Write => Ok(()),
        _ => Err(FsError::read_only()),
    }
}

struct Target {
    name: String,
    sink: Option<FileSink>,
}

/// `/dev/stdout` and `/dev/stderr` operands: copies to the command's own streams (the `/dev`
/// mount has no per-command devices).
#[derive(Clone, Copy, PartialEq)]
enum StdStream {
    Out,
    Err,
}

#[async_trait]
impl Command for Tee {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        if parsed.has("output-error") {
            let valid = ["warn", "warn-nopipe", "exit", "exit-nopipe"];
            if let Some(v) = parsed.last("output-error") {
                let matches: Vec<&&str> = valid.iter().filter(|x| x.starts_with(v)).collect();
                if !valid.contains(&v) && (v.is_empty() || matches.len() != 1) {
                    let mut msg = format!(
                        "invalid argument {} for {}\nValid arguments are:",
                        lquote(v),
                        lquote("--output-error")
                    );
                    for x in valid {
                        msg.push_str(&format!("\n  - {}", lquote(x)));
                    }
                    return usage_error(ctx, &msg, 1).await;
                }
            }
            return unsupported(ctx, "--output-error").await;
        }
        if parsed.has("p") {
            return unsupported(ctx, "-p").await;
        }
        let mode = if parsed.has("a") {
            WriteMode::Append
        } else {
            WriteMode::Truncate
        };
        let mut status = 0;
        let mut targets = Vec::new();
        let mut streams = Vec::new();
        for name in &parsed.operands {
            let path = ctx.path(name);
            match path.as_str() {
                "/dev/stdout" => {
                    streams.push(StdStream::Out);
                    continue;
                }
                "/dev/stderr" => {
                    streams.push(StdStream::Err);
                    continue;
                }
                _ => {}
            }
            let checked = if name.is_empty() {
                Err(FsError::not_found())
            } else {
                check_writable(&ctx.fs, &path).await
            };
            match checked {
                Ok(()) => targets.push(Target {
                    name: name.clone(),
                    sink: Some(FileSink::open(ctx.fs.clone(), path, mode)),
                }),
                Err(e) => {
                    ctx.error(format!("{}: {e}", shell_quote(name, false)))
                        .await?;
                    status = 1;
                }
            }
        }
        let mut input = take_stdin(ctx);
        let mut read_error = None;
        loop {
            let chunk = match input.fill_buf().await {
                Ok(c) => c,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            if chunk.is_empty() {
                break;
            }
            let data = chunk.to_vec();
            input.consume(data.len());
            ctx.stdout.write_all(&data).await?;
            for s in &streams {
                match s {
                    StdStream::Out => ctx.stdout.write_all(&data).await?,
                    StdStream::Err => {
                        ctx.stdout.flush().await?;
                        ctx.stderr.write_all(&data).await?;
                    }
                }
            }
            ctx.stdout.flush().await?;
            for t in &mut targets {
                let Some(sink) = &mut t.sink else { continue };
                if !sink.write(&data).await {
                    // The writer stopped: report its error now and stop feeding it.
                    if let Some(sink) = t.sink.take()
                        && let Err(e) = sink.finish().await
                    {
                        ctx.error(format!("{}: {e}", shell_quote(&t.name, false)))
                            .await?;
                    }
                    status = 1;
                }
            }
        }
        if let Some(e) = read_error {
            ctx.error(format!("read error: {}", FsError::from(e)))
                .await?;
            status = 1;
        }
        for t in targets {
            if let Some(sink) = t.sink
                && let Err(e) = sink.finish().await
            {
                ctx.error(format!("{}: {e}", shell_quote(&t.name, false)))
                    .await?;
                status = 1;
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fs_with};
    use crate::testing::run_argv;

    #[tokio::test]
    async fn copies_to_stdout_and_files() {
        let fs = fs_with(&[("d/", b"")]).await;
        let c = run_argv(
            fs.clone(),
            "/data",
            &["tee", "t1", "/data/nonexist/x", "d", "t2", "-"],
            b"hi\n",
        )
        .await;
        check(
            &c,
            "hi\n",
            "tee: /data/nonexist/x: No such file or directory\ntee: d: Is a directory\n",
            1,
        );
        check(
            &run_argv(fs.clone(), "/data", &["cat", "t1", "t2", "./-"], b"").await,
            "hi\nhi\nhi\n",
            "",
            0,
        );
        check(
            &run_argv(fs.clone(), "/data", &["tee", "-a", "t1"], b"more\n").await,
            "more\n",
            "",
            0,
        );
        check(
            &run_argv(fs.clone(), "/data", &["cat", "t1"], b"").await,
            "hi\nmore\n",
            "",
            0,
        );
        check(
            &run_argv(fs.clone(), "/data", &["tee", "t1"], b"new\n").await,
            "new\n",
            "",
            0,
        );
        check(
            &run_argv(fs, "/data", &["cat", "t1"], b"").await,
            "new\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn large_input_streams_through() {
        let fs = fs_with(&[]).await;
        let big = vec![b'x'; 3 << 20];
        let c = run_argv(fs.clone(), "/data", &["tee", "big"], &big).await;
        assert_eq!((c.stdout.len(), c.status), (big.len(), 0));
        let c = run_argv(fs, "/data", &["wc", "-c", "big"], b"").await;
        check(&c, "3145728 big\n", "", 0);
    }

    #[tokio::test]
    async fn options() {
        let fs = fs_with(&[]).await;
        let c = run_argv(fs.clone(), "/data", &["tee", "--output-error=bogus"], b"x").await;
        let want = "tee: invalid argument \u{2018}bogus\u{2019} for \u{2018}--output-error\u{2019}\nValid arguments are:\n  - \u{2018}warn\u{2019}\n  - \u{2018}warn-nopipe\u{2019}\n  - \u{2018}exit\u{2019}\n  - \u{2018}exit-nopipe\u{2019}\nTry 'tee --help' for more information.\n";
        check(&c, "", want, 1);
        check(
            &run_argv(fs.clone(), "/data", &["tee", "-p"], b"x").await,
            "",
            "mirage: tee: unsupported option: -p\n",
            2,
        );
        check(
            &run_argv(fs, "/data", &["tee", "-i"], b"x").await,
            "x",
            "",
            0,
        );
    }
}
