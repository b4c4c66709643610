//! `gzip`, `gunzip`, `zcat` (`-c -d -f -k -n -q -t -S SUF -1..-9`). Messages follow GNU gzip
//! 1.12, which always names itself `gzip` (gunzip and zcat are scripts around it). Compressed
//! bytes differ from GNU's (another deflate implementation) but round-trip exactly, and any
//! GNU-made .gz decompresses byte for byte. Data is streamed through `gzip_codec`.

use std::io;
use std::time::UNIX_EPOCH;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, VPath, WriteMode};

use super::flag;
use super::gzip_codec::{Compress, Problem, take_problem, transform};
use crate::commands::common::{open_operand, unsupported};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};

pub struct Gzip;

const SPEC: OptSpec = OptSpec {
    short: "123456789acdfhklLnNqrS:tvV",
    long: &[
        flag("ascii", "a"),
        flag("stdout", "c"),
        flag("to-stdout", "c"),
        flag("decompress", "d"),
        flag("uncompress", "d"),
        flag("force", "f"),
        flag("help", "h"),
        flag("keep", "k"),
        flag("list", "l"),
        flag("license", "L"),
        flag("no-name", "n"),
        flag("name", "N"),
        flag("quiet", "q"),
        flag("silent", "q"),
        flag("recursive", "r"),
        flag("rsyncable", "rsyncable"),
        LongOpt {
            name: "suffix",
            has_arg: HasArg::Required,
            key: "S",
        },
        flag("synchronous", "synchronous"),
        flag("test", "t"),
        flag("verbose", "v"),
        flag("version", "V"),
        flag("fast", "1"),
        flag("best", "9"),
    ],
    stop_at_operand: false,
};

const REFUSED: &[(&str, &str)] = &[
    ("h", "--help"),
    ("l", "--list"),
    ("L", "--license"),
    ("N", "--name"),
    ("r", "--recursive"),
    ("v", "--verbose"),
    ("V", "--version"),
];

struct Options {
    decompress: bool,
    to_stdout: bool,
    force: bool,
    keep: bool,
    no_name: bool,
    quiet: bool,
    test: bool,
    level: u32,
    suffix: String,
}

/// gzip's exit status: an error (1) outranks a warning (2).
#[derive(Default)]
struct Status {
    error: bool,
    warning: bool,
}

impl Status {
    fn code(&self) -> i32 {
        if self.error {
            1
        } else if self.warning {
            2
        } else {
            0
        }
    }
}

/// Prints raw text to stderr (gzip's messages carry their own `gzip: ` prefix).
async fn say(ctx: &mut CommandContext, text: &str) -> io::Result<()> {
    ctx.stderr.write_all(text.as_bytes()).await
}

/// Where one operand's data goes.
enum Sink {
    Stdout,
    File(VPath),
    Discard,
}

/// Streams `input` through the codec into `sink`; records problems in `status`.
async fn pump(
    ctx: &mut CommandContext,
    o: &Options,
    input: mirage_core::Reader,
    compress: Option<Compress>,
    sink: &Sink,
    name: &str,
    status: &mut Status,
) -> io::Result<bool> {
    let (mut stream, slot) = transform(input, compress);
    let mut write_err = None;
    match sink {
        Sink::File(path) => {
            if let Err(e) = ctx.fs.write(path, stream, WriteMode::Truncate).await {
                write_err = Some(e);
            }
        }
        Sink::Stdout | Sink::Discard => {
            use futures::StreamExt;
            while let Some(item) = stream.next().await {
                match item {
                    Ok(b) if matches!(sink, Sink::Stdout) => ctx.stdout.write_all(&b).await?,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    }
    let problem = take_problem(&slot);
    match problem {
        Some(Problem::TrailingGarbage) => {
            ctx.stdout.flush().await?;
            if !o.quiet {
                say(ctx, &Problem::TrailingGarbage.message(name)).await?;
            }
            status.warning = true;
            Ok(true)
        }
        Some(p) => {
            ctx.stdout.flush().await?;
            say(ctx, &p.message(name)).await?;
            status.error = true;
            if let Sink::File(path) = sink {
                let _ = ctx.fs.remove_file(path).await;
            }
            Ok(false)
        }
        None => match write_err {
            Some(e) => {
                say(ctx, &format!("gzip: {name}: {e}\n")).await?;
                status.error = true;
                Ok(false)
            }
            None => Ok(true),
        },
    }
}

/// Seconds since the epoch of a file's mtime, for the gzip header.
fn mtime_of(stat: &mirage_core::FileStat) -> u32 {
    stat.modified
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs().min(u32::MAX as u64) as u32)
        .unwrap_or(0)
}

fn base_name(operand: &str) -> &str {
    operand
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(operand)
}

/// The input and output names for decompressing `operand`; `None` after a message.
async fn decompress_names(
    ctx: &mut CommandContext,
    o: &Options,
    operand: &str,
    status: &mut Status,
) -> io::Result<Option<(String, String)>> {
    for (suf, repl) in [(o.suffix.as_str(), ""), (".tgz", ".tar"), (".taz", ".tar")] {
        if let Some(stem) = operand.strip_suffix(suf)
            && !stem.is_empty()
            && !stem.ends_with('/')
        {
            return Ok(Some((operand.to_string(), format!("{stem}{repl}"))));
        }
    }
    match ctx.fs.stat(&ctx.path(operand)).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            let with = format!("{operand}{}", o.suffix);
            Ok(Some((with, operand.to_string())))
        }
        _ if o.to_stdout || o.test => Ok(Some((operand.to_string(), operand.to_string()))),
        _ => {
            if !o.quiet {
                let msg = format!("gzip: {operand}: unknown suffix -- ignored\n");
                say(ctx, &msg).await?;
                status.warning = true;
            }
            Ok(None)
        }
    }
}

/// Compresses, decompresses or tests one named file.
async fn one_file(
    ctx: &mut CommandContext,
    o: &Options,
    operand: &str,
    status: &mut Status,
) -> io::Result<()> {
    let (input, output) = if o.decompress {
        match decompress_names(ctx, o, operand, status).await? {
            Some(names) => names,
            None => return Ok(()),
        }
    } else {
        (operand.to_string(), format!("{operand}{}", o.suffix))
    };
    let in_path = ctx.path(&input);
    let stat = match ctx.fs.stat(&in_path).await {
        Ok(s) => s,
        Err(e) => {
            say(ctx, &format!("gzip: {input}: {e}\n")).await?;
            status.error = true;
            return Ok(());
        }
    };
    if stat.is_dir() {
        if !o.quiet {
            say(ctx, &format!("gzip: {input} is a directory -- ignored\n")).await?;
        }
        status.warning = true;
        return Ok(());
    }
    if !o.decompress && !o.to_stdout && !o.test && input.ends_with(&o.suffix) {
        if !o.quiet {
            let msg = format!(
                "gzip: {input} already has {} suffix -- unchanged\n",
                o.suffix
            );
            say(ctx, &msg).await?;
        }
        return Ok(());
    }
    let sink = if o.test {
        Sink::Discard
    } else if o.to_stdout {
        Sink::Stdout
    } else {
        let out_path = ctx.path(&output);
        if !o.force && ctx.fs.stat(&out_path).await.is_ok() {
            let msg = format!("gzip: {output} already exists;\tnot overwritten\n");
            say(ctx, &msg).await?;
            status.warning = true;
            return Ok(());
        }
        Sink::File(out_path)
    };
    let reader = match open_operand(ctx, &input).await {
        Ok(r) => r,
        Err(e) => {
            say(ctx, &format!("gzip: {input}: {e}\n")).await?;
            status.error = true;
            return Ok(());
        }
    };
    let compress = (!o.decompress).then(|| {
        if o.no_name {
            Compress::new(o.level, None, 0)
        } else {
            Compress::new(o.level, Some(base_name(&input)), mtime_of(&stat))
        }
    });
    let ok = pump(ctx, o, reader, compress, &sink, &input, status).await?;
    if ok
        && matches!(sink, Sink::File(_))
        && !o.keep
        && let Err(e) = ctx.fs.remove_file(&in_path).await
    {
        say(ctx, &format!("gzip: {input}: {e}\n")).await?;
        status.error = true;
    }
    Ok(())
}

/// Compresses or decompresses standard input to standard output.
async fn stdin(ctx: &mut CommandContext, o: &Options, status: &mut Status) -> io::Result<()> {
    let reader = match open_operand(ctx, "-").await {
        Ok(r) => r,
        Err(e) => {
            say(ctx, &format!("gzip: stdin: {e}\n")).await?;
            status.error = true;
            return Ok(());
        }
    };
    let compress = (!o.decompress).then(|| Compress::new(o.level, None, 0));
    let sink = if o.test { Sink::Discard } else { Sink::Stdout };
    pump(ctx, o, reader, compress, &sink, "stdin", status).await?;
    Ok(())
}

fn options(parsed: &getopt::Parsed, name: &str) -> Options {
    let level = parsed
        .opts
        .iter()
        .rev()
        .find_map(|o| o.key.parse::<u32>().ok())
        .unwrap_or(6);
    let test = parsed.has("t");
    Options {
        decompress: parsed.has("d") || test || name == "gunzip" || name == "zcat",
        to_stdout: parsed.has("c") || name == "zcat",
        force: parsed.has("f"),
        keep: parsed.has("k"),
        no_name: parsed.has("n"),
        quiet: parsed.has("q"),
        test,
        level,
        suffix: parsed.last("S").unwrap_or(".gz").to_string(),
    }
}

#[async_trait]
impl Command for Gzip {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => {
                let text = format!("gzip: {msg}\nTry `gzip --help' for more information.\n");
                say(ctx, &text).await?;
                return Ok(1);
            }
        };
        for (key, shown) in REFUSED {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        let o = options(&parsed, &ctx.name.clone());
        if o.suffix.is_empty() || o.suffix.contains('/') {
            say(ctx, &format!("gzip: invalid suffix '{}'\n", o.suffix)).await?;
            return Ok(1);
        }
        let mut status = Status::default();
        if parsed.operands.is_empty() {
            stdin(ctx, &o, &mut status).await?;
        }
        for operand in &parsed.operands {
            if operand == "-" {
                stdin(ctx, &o, &mut status).await?;
            } else if operand.is_empty() {
                say(ctx, "gzip: : No such file or directory\n").await?;
                status.error = true;
            } else {
                one_file(ctx, &o, operand, &mut status).await?;
            }
        }
        Ok(status.code())
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::fileutils::test_support::run_fs;
    use mirage_core::VPath;

    #[tokio::test]
    async fn compress_then_decompress() {
        let files: &[(&str, &[u8])] = &[("f", b"hello\n"), ("d/", b"")];
        let (c, fs) = run_fs(files, &["gzip", "f", "d"], b"").await;
        assert_eq!(c.err(), "gzip: d is a directory -- ignored\n");
        assert_eq!(c.status, 2);
        assert!(fs.stat(&VPath::new("/data/f")).await.is_err());
        assert!(fs.stat(&VPath::new("/data/f.gz")).await.is_ok());
        let c = crate::testing::run_argv(fs.clone(), "/data", &["zcat", "f"], b"").await;
        assert_eq!(c.out(), "hello\n");
        let c = crate::testing::run_argv(fs.clone(), "/data", &["gunzip", "f.gz"], b"").await;
        assert_eq!(c.status, 0);
        assert!(fs.stat(&VPath::new("/data/f")).await.is_ok());
    }

    #[tokio::test]
    async fn not_gzip() {
        let (c, _) = run_fs(&[], &["gzip", "-d"], b"zz").await;
        assert_eq!(c.err(), "\ngzip: stdin: not in gzip format\n");
        assert_eq!(c.status, 1);
    }
}
