//! `gzip`, `gunzip`, `zcat` (`-c -d -f -k -n -q -r -t -S SUF -1..-9`). Messages follow GNU gzip
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

const REFUSED: &[(&str, &str)] = &[("h", "--help"), ("L", "--license"), ("V", "--version")];

#[derive(Clone)]
struct Options {
    decompress: bool,
    to_stdout: bool,
    force: bool,
    keep: bool,
    no_name: bool,
    quiet: bool,
    test: bool,
    list: bool,
    verbose: bool,
    level: u32,
    suffix: String,
    /// `-r`: directories are walked.
    recursive: bool,
    /// This file was found by walking a directory: gzip then skips names with (or, when
    /// decompressing, without) the suffix without a word unless `-v`.
    recursed: bool,
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

/// Streams `input` through the codec into `sink`; records problems in `status` and the bytes
/// written (and a decompressed header's length) in `counts`.
#[allow(clippy::too_many_arguments)]
async fn pump(
    ctx: &mut CommandContext,
    o: &Options,
    input: mirage_core::Reader,
    compress: Option<Compress>,
    sink: &Sink,
    name: &str,
    status: &mut Status,
    counts: &mut (u64, u64),
) -> io::Result<bool> {
    let mut input = input;
    if compress.is_none() {
        use tokio::io::AsyncBufReadExt;
        if let Ok(head) = input.fill_buf().await {
            counts.1 = gz_header_len(head);
        }
    }
    // `-dcf`: data that is not gzip goes through unchanged, as GNU does.
    if compress.is_none() && o.force && matches!(sink, Sink::Stdout) {
        use tokio::io::AsyncBufReadExt;
        let head = input.fill_buf().await?;
        let gzip_start = head.starts_with(&[0x1f, 0x8b]) || head == [0x1f];
        if !head.is_empty() && !gzip_start {
            loop {
                let buf = input.fill_buf().await?;
                if buf.is_empty() {
                    break;
                }
                let n = buf.len();
                counts.0 += n as u64;
                ctx.stdout.write_all(buf).await?;
                input.consume(n);
            }
            return Ok(true);
        }
    }
    let (mut stream, slot) = transform(input, compress);
    let mut write_err = None;
    match sink {
        Sink::File(path) => match ctx.fs.write(path, stream, WriteMode::Truncate).await {
            Ok(n) => counts.0 = n,
            Err(e) => write_err = Some(e),
        },
        Sink::Stdout | Sink::Discard => {
            use futures::StreamExt;
            while let Some(item) = stream.next().await {
                match item {
                    Ok(b) if matches!(sink, Sink::Stdout) => {
                        counts.0 += b.len() as u64;
                        ctx.stdout.write_all(&b).await?
                    }
                    Ok(b) => counts.0 += b.len() as u64,
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

/// One member's figures for `gzip -l`.
struct Listed {
    compressed: u64,
    uncompressed: u64,
    crc: u32,
    header: u64,
}

/// Reads a whole .gz (streaming) and returns its sizes, or the problem message.
async fn scan_gz(mut r: mirage_core::Reader) -> io::Result<Result<Listed, &'static str>> {
    use tokio::io::AsyncReadExt;
    let mut head: Vec<u8> = Vec::new();
    let mut tail = [0u8; 8];
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = r.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        if head.len() < 4096 {
            let room = (4096 - head.len()).min(n);
            head.extend_from_slice(&chunk[..room]);
        }
        if n >= 8 {
            tail.copy_from_slice(&chunk[n - 8..]);
        } else {
            tail.rotate_left(n);
            tail[8 - n..].copy_from_slice(chunk);
        }
        total += n as u64;
    }
    if total == 0 || head == [0x1f] {
        return Ok(Err("unexpected end of file"));
    }
    if !head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Err("not in gzip format"));
    }
    if head.len() < 10 {
        return Ok(Err("unexpected end of file"));
    }
    let flags = head[3];
    let mut pos = 10usize;
    if flags & 4 != 0 {
        let Some(x) = head.get(pos..pos + 2) else {
            return Ok(Err("unexpected end of file"));
        };
        pos += 2 + u16::from_le_bytes([x[0], x[1]]) as usize;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            match head.get(pos..).and_then(|h| h.iter().position(|&b| b == 0)) {
                Some(z) => pos += z + 1,
                None => return Ok(Err("unexpected end of file")),
            }
        }
    }
    if flags & 2 != 0 {
        pos += 2;
    }
    let header = pos as u64 + 8;
    if total < header {
        return Ok(Err("unexpected end of file"));
    }
    Ok(Ok(Listed {
        compressed: total,
        uncompressed: u32::from_le_bytes([tail[4], tail[5], tail[6], tail[7]]) as u64,
        crc: u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]),
        header,
    }))
}

/// Length of a gzip header plus the 8-byte trailer (what GNU's ratios leave out).
fn gz_header_len(head: &[u8]) -> u64 {
    if head.len() < 10 {
        return 18;
    }
    let flags = head[3];
    let mut pos = 10usize;
    if flags & 4 != 0 {
        pos += 2 + head
            .get(10..12)
            .map_or(0, |x| u16::from_le_bytes([x[0], x[1]]) as usize);
    }
    for bit in [8u8, 16] {
        if flags & bit != 0
            && let Some(z) = head.get(pos..).and_then(|h| h.iter().position(|&b| b == 0))
        {
            pos += z + 1;
        }
    }
    if flags & 2 != 0 {
        pos += 2;
    }
    pos as u64 + 8
}

/// GNU's `%5.1f%%` ratio.
fn ratio(num: i128, den: i128) -> String {
    let r = if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    };
    format!("{r:5.1}%")
}

/// `gzip -l`: one line per file, then totals when there were several.
async fn list(
    ctx: &mut CommandContext,
    o: &Options,
    operands: &[String],
    status: &mut Status,
) -> io::Result<()> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let stdin_only = vec!["-".to_string()];
    let operands = if operands.is_empty() {
        &stdin_only
    } else {
        operands
    };
    let (mut total_in, mut total_out, mut last_header) = (0u64, 0u64, 0u64);
    let mut first = true;
    let mut count = 0;
    let listing = Options {
        quiet: true,
        ..o.clone()
    };
    for operand in operands {
        let (input, shown, stat) = if operand == "-" {
            ("-".to_string(), "stdout".to_string(), None)
        } else {
            let (input, output) = match decompress_names(ctx, &listing, operand, status).await? {
                Some(names) => names,
                // Without a known suffix -l still reads the file (and finds it is not gzip).
                None => (operand.clone(), operand.clone()),
            };
            match ctx.fs.stat(&ctx.path(&input)).await {
                Ok(st) if st.is_dir() => {
                    if !o.quiet {
                        say(ctx, &format!("gzip: {input} is a directory -- ignored\n")).await?;
                    }
                    status.warning = true;
                    continue;
                }
                Ok(st) => (input, output, Some(st)),
                Err(e) => {
                    say(ctx, &format!("gzip: {input}: {e}\n")).await?;
                    status.error = true;
                    continue;
                }
            }
        };
        let reader = match open_operand(ctx, &input).await {
            Ok(r) => r,
            Err(e) => {
                say(ctx, &format!("gzip: {input}: {e}\n")).await?;
                status.error = true;
                continue;
            }
        };
        let shown_in = if input == "-" {
            "stdin"
        } else {
            input.as_str()
        };
        let l = match scan_gz(reader).await? {
            Ok(l) => l,
            Err(problem) => {
                ctx.stdout.flush().await?;
                say(ctx, &format!("\ngzip: {shown_in}: {problem}\n")).await?;
                status.error = true;
                last_header = 0;
                continue;
            }
        };
        if first && !o.quiet {
            if o.verbose {
                ctx.stdout
                    .write_all(b"method  crc     date  time  ")
                    .await?;
            }
            ctx.stdout
                .write_all(b"         compressed        uncompressed  ratio uncompressed_name\n")
                .await?;
        }
        first = false;
        if o.verbose {
            let secs = stat.as_ref().map(mtime_of).unwrap_or(0) as i64;
            let (_, m, d) = crate::commands::files::time::civil_from_days(secs.div_euclid(86400));
            let day = secs.rem_euclid(86400);
            let line = format!(
                "defla {:08x} {}{d:3} {:02}:{:02} ",
                l.crc,
                MONTHS[(m as usize).saturating_sub(1) % 12],
                day / 3600,
                day % 3600 / 60
            );
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        let line = format!(
            "{:19} {:19} {} {shown}\n",
            l.compressed,
            l.uncompressed,
            ratio(
                l.uncompressed as i128 - (l.compressed as i128 - l.header as i128),
                l.uncompressed as i128
            )
        );
        ctx.stdout.write_all(line.as_bytes()).await?;
        total_in += l.compressed;
        total_out += l.uncompressed;
        last_header = l.header;
        count += 1;
    }
    if operands.len() > 1 && count > 0 && total_in > 0 && total_out > 0 && !o.quiet {
        let pad = if o.verbose {
            " ".repeat(28)
        } else {
            String::new()
        };
        let line = format!(
            "{pad}{total_in:19} {total_out:19} {} (totals)\n",
            ratio(
                total_out as i128 - (total_in as i128 - last_header as i128),
                total_out as i128
            )
        );
        ctx.stdout.write_all(line.as_bytes()).await?;
    }
    Ok(())
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
        _ if o.to_stdout => Ok(Some((operand.to_string(), operand.to_string()))),
        // gzip skips suffixless files found by -r without a word (even for -t) unless -v.
        _ if o.recursed && !o.verbose => Ok(None),
        _ if o.test => Ok(Some((operand.to_string(), operand.to_string()))),
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

/// The files below directory `path` (shown as `shown`), depth first in name order.
fn collect_files<'a>(
    fs: &'a mirage_core::MountTable,
    path: VPath,
    shown: String,
    out: &'a mut Vec<String>,
) -> futures::future::BoxFuture<'a, ()> {
    Box::pin(async move {
        let Ok(entries) = fs.list(&path).await else {
            return;
        };
        for e in entries {
            let name = format!("{}/{}", shown.trim_end_matches('/'), e.name);
            if e.stat.is_dir() {
                collect_files(fs, path.join(&e.name), name, out).await;
            } else if !e.stat.is_symlink() {
                out.push(name);
            }
        }
    })
}

/// Compresses, decompresses or tests one named file.
async fn one_file(
    ctx: &mut CommandContext,
    o: &Options,
    operand: &str,
    status: &mut Status,
) -> io::Result<()> {
    if o.recursive {
        let dir = ctx.path(operand);
        if ctx.fs.stat(&dir).await.is_ok_and(|st| st.is_dir()) {
            let walked = Options {
                recursed: true,
                ..o.clone()
            };
            let mut files = Vec::new();
            collect_files(&ctx.fs.clone(), dir, operand.to_string(), &mut files).await;
            for file in files {
                Box::pin(one_file(ctx, &walked, &file, status)).await?;
            }
            return Ok(());
        }
    }
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
        if o.verbose || (!o.recursed && !o.quiet) {
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
    let mut counts = (0u64, 0u64);
    let header =
        10 + if o.no_name {
            0
        } else {
            base_name(&input).len() as u64 + 1
        } + 8;
    let ok = pump(ctx, o, reader, compress, &sink, &input, status, &mut counts).await?;
    if ok && o.verbose {
        let size = stat.size.unwrap_or(0) as i128;
        let out = counts.0 as i128;
        let text = if o.test {
            format!("{input}:\t OK\n")
        } else {
            let r = if o.decompress {
                ratio(out - (size - i128::from(counts.1)), out)
            } else {
                ratio(size - (out - i128::from(header)), size)
            };
            let what = match &sink {
                Sink::File(_) if o.keep => format!("created {output}"),
                Sink::File(_) => format!("replaced with {output}"),
                _ => "replaced with stdout".to_string(),
            };
            format!("{input}:\t{r} -- {what}\n")
        };
        say(ctx, &text).await?;
    }
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
    let mut counts = (0u64, 0u64);
    pump(
        ctx,
        o,
        reader,
        compress,
        &sink,
        "stdin",
        status,
        &mut counts,
    )
    .await?;
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
        // The last of `-n`/`-N` decides.
        no_name: parsed
            .opts
            .iter()
            .rev()
            .find(|x| x.key == "N" || x.key == "n")
            .is_some_and(|x| x.key == "n"),
        quiet: parsed.has("q"),
        test,
        list: parsed.has("l"),
        verbose: parsed.has("v"),
        level,
        suffix: parsed.last("S").unwrap_or(".gz").to_string(),
        recursive: parsed.has("r"),
        recursed: false,
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
        // `-N` only matters when a decompressed file takes the stored name and time; when
        // compressing (the default already stores them), testing, listing or writing to
        // standard output it changes nothing.
        let last_name_flag = parsed
            .opts
            .iter()
            .rev()
            .find(|x| x.key == "N" || x.key == "n")
            .map(|x| x.key.as_str());
        if last_name_flag == Some("N") && o.decompress && !o.to_stdout && !o.test && !o.list {
            return unsupported(ctx, "--name when decompressing to a file").await;
        }
        if o.suffix.is_empty() || o.suffix.contains('/') {
            say(ctx, &format!("gzip: invalid suffix '{}'\n", o.suffix)).await?;
            return Ok(1);
        }
        let mut status = Status::default();
        if o.list {
            if o.recursive {
                return unsupported(ctx, "-l with -r").await;
            }
            list(ctx, &o, &parsed.operands, &mut status).await?;
            return Ok(status.code());
        }
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
