//! `touch`: create empty files and set modification times (`-d`, `-t`, `-r`). Mirage keeps one
//! time per file, so `-a` (access time only) creates missing files and leaves times alone.

use std::time::SystemTime;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, WriteMode, empty_stream};

use super::support::{
    HELP, VERSION, argmatch, long, lquote, parse_refusing, quote_always, resolve_strict,
    stat_operand, unsupported, usage_error,
};
use super::time::{DateError, Stamp, parse_date, parse_touch_stamp};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Touch;

const SPEC: OptSpec = OptSpec {
    short: "acd:fhmr:t:",
    long: &[
        long("no-create", HasArg::No, "c"),
        long("date", HasArg::Required, "d"),
        long("no-dereference", HasArg::No, "h"),
        long("reference", HasArg::Required, "r"),
        long("time", HasArg::Required, "time"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Access,
    Modify,
}

const TIMES: &[(&str, Which)] = &[
    ("atime", Which::Access),
    ("access", Which::Access),
    ("use", Which::Access),
    ("mtime", Which::Modify),
    ("modify", Which::Modify),
];

#[async_trait]
impl Command for Touch {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, &[]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        let (mut access, mut modify) = (false, false);
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "a" => access = true,
                "m" => modify = true,
                "time" => match argmatch(
                    ctx,
                    "--time",
                    opt.value.as_deref().unwrap_or_default(),
                    TIMES,
                )
                .await?
                {
                    Ok(Which::Access) => access = true,
                    Ok(Which::Modify) => modify = true,
                    Err(status) => return Ok(status),
                },
                _ => {}
            }
        }
        // Without -a/-m both times change; with only -a the modification time stays.
        let set_mtime = modify || !access;
        let no_create = parsed.has("c");
        if parsed.has("d") && parsed.has("t") {
            return usage_error(ctx, "cannot specify times from more than one source", 1).await;
        }
        let time = match explicit_time(ctx, &parsed).await? {
            Ok(t) => t,
            Err(status) => return Ok(status),
        };
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing file operand", 1).await;
        }
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        for op in &parsed.operands {
            if op == "-" {
                return unsupported(ctx, "- (standard output as the file)").await;
            }
            let path = match resolve_strict(&fs, &cwd, op).await {
                Ok(p) => p,
                Err(e) if no_create && e.kind == ErrorKind::NotFound => continue,
                Err(e) => {
                    // A trailing slash makes GNU skip creation and fail while setting times.
                    let what = if op.ends_with('/') {
                        "setting times of"
                    } else {
                        "cannot touch"
                    };
                    ctx.error(format!("{what} {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                    continue;
                }
            };
            let existed = match fs.stat(&path).await {
                Ok(_) => true,
                Err(e) if e.kind == ErrorKind::NotFound => false,
                Err(e) => {
                    ctx.error(format!("cannot touch {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                    continue;
                }
            };
            if !existed {
                if no_create {
                    continue;
                }
                if let Err(e) = fs.write(&path, empty_stream(), WriteMode::Truncate).await {
                    ctx.error(format!("cannot touch {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                    continue;
                }
                if time.is_none() {
                    continue;
                }
            }
            if !set_mtime {
                continue;
            }
            let when = time.unwrap_or_else(SystemTime::now);
            let result = match fs.set_modified(&path, when).await {
                // A backend without settable times (S3) still has the file, and "now" is
                // what it will show after the next write; an explicit time must not be
                // dropped silently.
                Err(e) if e.kind == ErrorKind::Unsupported && time.is_none() => Ok(()),
                other => other,
            };
            if let Err(e) = result {
                let what = if e.kind == ErrorKind::ReadOnly {
                    "cannot touch"
                } else {
                    "setting times of"
                };
                ctx.error(format!("{what} {}: {e}", quote_always(op)))
                    .await?;
                status = 1;
            }
        }
        Ok(status)
    }
}

/// The time from `-d`, `-t` or `-r`, if one was given (`Err` carries the exit status).
async fn explicit_time(
    ctx: &mut CommandContext,
    parsed: &crate::commands::getopt::Parsed,
) -> std::io::Result<Result<Option<SystemTime>, i32>> {
    let now = Stamp::now();
    let mut time = None;
    if let Some(reference) = parsed.last("r") {
        match stat_operand(&ctx.fs, &ctx.cwd, reference).await {
            Ok((_, st)) => time = Some(st.modified.unwrap_or_else(SystemTime::now)),
            Err(e) => {
                ctx.error(format!(
                    "failed to get attributes of {}: {e}",
                    quote_always(reference)
                ))
                .await?;
                return Ok(Err(1));
            }
        }
    }
    if let Some(date) = parsed.last("d") {
        match parse_date(date, now) {
            Ok(t) => time = Some(t.to_system()),
            Err(DateError::Invalid) => {
                ctx.error(format!("invalid date format {}", lquote(date)))
                    .await?;
                return Ok(Err(1));
            }
            Err(DateError::Unsupported) => {
                let line = format!("mirage: touch: unsupported date format: {}\n", lquote(date));
                ctx.stderr.write_all(line.as_bytes()).await?;
                return Ok(Err(super::support::UNSUPPORTED_STATUS));
            }
        }
    }
    if let Some(stamp) = parsed.last("t") {
        match parse_touch_stamp(stamp, now) {
            Some(t) => time = Some(t.to_system()),
            None => {
                ctx.error(format!("invalid date format {}", lquote(stamp)))
                    .await?;
                return Ok(Err(1));
            }
        }
    }
    Ok(Ok(time))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, exists, fails, fs_with, run_on, succeeds, tree};
    use super::super::time::{Stamp, format_full};
    use mirage_core::{MountTable, VPath};

    async fn mtime(fs: &MountTable, path: &str) -> String {
        let st = fs
            .stat(&VPath::new(&format!("/data/{path}")))
            .await
            .expect("stat");
        format_full(Stamp::from_system(st.modified.expect("mtime")))
    }

    #[tokio::test]
    async fn creates_and_sets_times() {
        let fs = fs_with(&[("d/", ""), ("keep", "data")]).await;
        succeeds(&run_on(&fs, &["touch", "a"]).await, "");
        succeeds(&run_on(&fs, &["touch", "-c", "b"]).await, "");
        assert!(exists(&fs, "a").await && !exists(&fs, "b").await);
        fails(
            &run_on(&fs, &["touch", "nope/x"]).await,
            "touch: cannot touch 'nope/x': No such file or directory\n",
        );
        succeeds(&run_on(&fs, &["touch", "d"]).await, "");
        let cases = [
            ("2020-01-02", "2020-01-02 00:00:00.000000000 +0000"),
            ("2020-01-02 03:04:05", "2020-01-02 03:04:05.000000000 +0000"),
            ("2020-01-02T03:04:05", "2020-01-02 03:04:05.000000000 +0000"),
            (
                "2020-01-02 03:04:05.5",
                "2020-01-02 03:04:05.500000000 +0000",
            ),
            ("@1600000000.25", "2020-09-13 12:26:40.250000000 +0000"),
            (
                "2020-01-02T03:04:05+02:00",
                "2020-01-02 01:04:05.000000000 +0000",
            ),
        ];
        for (date, want) in cases {
            succeeds(&run_on(&fs, &["touch", "-d", date, "a"]).await, "");
            assert_eq!(mtime(&fs, "a").await, want, "{date}");
        }
        succeeds(&run_on(&fs, &["touch", "--date=@0", "new"]).await, "");
        assert_eq!(
            mtime(&fs, "new").await,
            "1970-01-01 00:00:00.000000000 +0000"
        );
        succeeds(
            &run_on(&fs, &["touch", "-t", "202001020304", "a"]).await,
            "",
        );
        assert_eq!(mtime(&fs, "a").await, "2020-01-02 03:04:00.000000000 +0000");
        succeeds(&run_on(&fs, &["touch", "-r", "new", "keep"]).await, "");
        assert_eq!(
            mtime(&fs, "keep").await,
            "1970-01-01 00:00:00.000000000 +0000"
        );
        succeeds(
            &run_on(&fs, &["touch", "-a", "-d", "2020-01-01", "keep"]).await,
            "",
        );
        assert_eq!(
            mtime(&fs, "keep").await,
            "1970-01-01 00:00:00.000000000 +0000"
        );
        succeeds(
            &run_on(&fs, &["touch", "-d", "2020-01-01", "-r", "a", "g"]).await,
            "",
        );
        assert_eq!(mtime(&fs, "g").await, "2020-01-01 00:00:00.000000000 +0000");
        succeeds(&run_on(&fs, &["touch", "-m", "-h", "-f", "keep"]).await, "");
        assert_eq!(tree(&fs).await, vec!["a", "d/", "g", "keep", "new"]);
    }

    #[tokio::test]
    async fn errors() {
        let fs = fs_with(&[("e/", ""), ("a", "")]).await;
        fails(
            &run_on(&fs, &["touch", "a/"]).await,
            "touch: setting times of 'a/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["touch", "-c", "a/"]).await,
            "touch: setting times of 'a/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["touch", "n/"]).await,
            "touch: setting times of 'n/': No such file or directory\n",
        );
        succeeds(&run_on(&fs, &["touch", "-c", "n/"]).await, "");
        succeeds(&run_on(&fs, &["touch", "e/"]).await, "");
        fails(
            &run_on(&fs, &["touch", ""]).await,
            "touch: cannot touch '': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["touch"]).await,
            "touch: missing file operand\nTry 'touch --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["touch", "-d", "garbage", "a"]).await,
            "touch: invalid date format \u{2018}garbage\u{2019}\n",
        );
        fails(
            &run_on(&fs, &["touch", "-d", "2020-13-01", "a"]).await,
            "touch: invalid date format \u{2018}2020-13-01\u{2019}\n",
        );
        fails(
            &run_on(&fs, &["touch", "-t", "2020", "a"]).await,
            "touch: invalid date format \u{2018}2020\u{2019}\n",
        );
        fails(
            &run_on(&fs, &["touch", "-t", "202013010000", "a"]).await,
            "touch: invalid date format \u{2018}202013010000\u{2019}\n",
        );
        let two = "touch: cannot specify times from more than one source\nTry 'touch --help' for more information.\n";
        check(
            &run_on(
                &fs,
                &["touch", "-d", "2020-01-01", "-t", "202001010000", "a"],
            )
            .await,
            "",
            two,
            1,
        );
        fails(
            &run_on(&fs, &["touch", "-r", "nope", "a"]).await,
            "touch: failed to get attributes of 'nope': No such file or directory\n",
        );
        let bogus = "touch: invalid argument \u{2018}bogus\u{2019} for \u{2018}--time\u{2019}\nValid arguments are:\n  - \u{2018}atime\u{2019}, \u{2018}access\u{2019}, \u{2018}use\u{2019}\n  - \u{2018}mtime\u{2019}, \u{2018}modify\u{2019}\nTry 'touch --help' for more information.\n";
        fails(&run_on(&fs, &["touch", "--time=bogus", "a"]).await, bogus);
        succeeds(&run_on(&fs, &["touch", "--time=mtime", "a"]).await, "");
    }
}
