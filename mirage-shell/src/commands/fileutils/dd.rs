//! `dd`: copy a file block by block, optionally skipping, seeking and converting case.
//!
//! Operands `if= of= bs= ibs= obs= count= skip= seek= conv= iflag= oflag= status=` as in GNU
//! coreutils. Input blocks are read whole (as with `iflag=fullblock`), so a pipe counts like a
//! file in the record totals. Data streams through in blocks; an existing output file that is
//! written at an offset (`seek=`) or kept past the copy (`conv=notrunc`) is rebuilt through a
//! temporary file next to it, streaming its old bytes around the new ones.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, Command, CommandContext, CommandResult, FsError, Reader, VPath,
    WriteMode, async_trait,
};
use tokio::io::AsyncReadExt;

use crate::commands::common::{print_version, take_stdin, unsupported, usage_error};
use crate::commands::quoting::{lquote, quote_always, quote_if_needed};

pub struct Dd;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Default,
    Noxfer,
    None,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Keep,
    Upper,
    Lower,
}

struct Opts {
    input: Option<String>,
    output: Option<String>,
    ibs: u64,
    obs: u64,
    /// `bs=` was given: every input block is written as it is.
    direct: bool,
    count: Option<u64>,
    skip: u64,
    seek: u64,
    case: Case,
    sync: bool,
    notrunc: bool,
    excl: bool,
    nocreat: bool,
    append: bool,
    skip_bytes: bool,
    count_bytes: bool,
    seek_bytes: bool,
    status: Status,
}

/// Why the operands were rejected: a message (with or without the `Try` hint), or an
/// unsupported feature.
enum Bad {
    Plain(String),
    Usage(String),
    Unsupported(String),
}

const CONVS: &[&str] = &[
    "ascii",
    "ebcdic",
    "ibm",
    "block",
    "unblock",
    "lcase",
    "ucase",
    "sparse",
    "swab",
    "sync",
    "excl",
    "nocreat",
    "notrunc",
    "noerror",
    "fdatasync",
    "fsync",
];

const FLAGS: &[&str] = &[
    "append",
    "binary",
    "cio",
    "direct",
    "directory",
    "dsync",
    "sync",
    "fullblock",
    "noatime",
    "nocache",
    "noctty",
    "nofollow",
    "nolinks",
    "nonblock",
    "text",
    "count_bytes",
    "skip_bytes",
    "seek_bytes",
];

/// Flags that change nothing for a virtual file system.
const HARMLESS_FLAGS: &[&str] = &[
    "binary", "text", "direct", "dsync", "sync", "noatime", "nocache", "noctty", "nonblock",
];

/// GNU dd's numbers: digits, an optional multiplier suffix (`c w b`, `K M G ...` as powers of
/// 1024, `KB MB ...` as powers of 1000, `KiB MiB ...`), and `x` to multiply further.
fn parse_number(s: &str) -> Result<u64, Bad> {
    let invalid = || Bad::Plain(format!("invalid number: {}", lquote(s)));
    let too_large = || {
        Bad::Plain(format!(
            "invalid number: {}: Value too large for defined data type",
            lquote(s)
        ))
    };
    let mut total: u64 = 1;
    for part in s.split('x') {
        let digits = part.len() - part.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(invalid());
        }
        let n: u64 = part[..digits].parse().map_err(|_| too_large())?;
        let suffix = &part[digits..];
        let mult: u64 = match suffix {
            "" | "c" => 1,
            "w" => 2,
            "b" => 512,
            _ => {
                let mut chars = suffix.chars();
                let power = match chars.next() {
                    Some('k' | 'K') => 1,
                    Some('M') => 2,
                    Some('G') => 3,
                    Some('T') => 4,
                    Some('P') => 5,
                    Some('E') => 6,
                    _ => return Err(invalid()),
                };
                let base: u64 = match chars.as_str() {
                    "" | "iB" => 1024,
                    "B" => 1000,
                    _ => return Err(invalid()),
                };
                base.checked_pow(power).ok_or_else(too_large)?
            }
        };
        let value = n.checked_mul(mult).ok_or_else(too_large)?;
        total = total.checked_mul(value).ok_or_else(too_large)?;
    }
    Ok(total)
}

fn parse_args(args: &[String]) -> Result<Opts, Bad> {
    let mut o = Opts {
        input: None,
        output: None,
        ibs: 512,
        obs: 512,
        direct: false,
        count: None,
        skip: 0,
        seek: 0,
        case: Case::Keep,
        sync: false,
        notrunc: false,
        excl: false,
        nocreat: false,
        append: false,
        skip_bytes: false,
        count_bytes: false,
        seek_bytes: false,
        status: Status::Default,
    };
    let (mut ibs, mut obs, mut bs) = (None, None, None);
    let mut args = args;
    if args.first().map(String::as_str) == Some("--") {
        args = &args[1..];
    }
    for arg in args {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(Bad::Usage(format!("unrecognized operand {}", lquote(arg))));
        };
        let size = |v: &str| -> Result<u64, Bad> {
            let n = parse_number(v)?;
            if n == 0 {
                return Err(Bad::Plain(format!("invalid number: {}", lquote(v))));
            }
            Ok(n)
        };
        match key {
            "if" => o.input = Some(value.to_string()),
            "of" => o.output = Some(value.to_string()),
            "bs" => bs = Some(size(value)?),
            "ibs" => ibs = Some(size(value)?),
            "obs" => obs = Some(size(value)?),
            "cbs" => return Err(Bad::Unsupported("cbs=".to_string())),
            "count" => o.count = Some(parse_number(value)?),
            "skip" | "iseek" => o.skip = parse_number(value)?,
            "seek" | "oseek" => o.seek = parse_number(value)?,
            "conv" => {
                for c in value.split(',').filter(|c| !c.is_empty()) {
                    match c {
                        "ucase" => {
                            if o.case == Case::Lower {
                                return Err(Bad::Plain("cannot combine lcase and ucase".into()));
                            }
                            o.case = Case::Upper;
                        }
                        "lcase" => {
                            if o.case == Case::Upper {
                                return Err(Bad::Plain("cannot combine lcase and ucase".into()));
                            }
                            o.case = Case::Lower;
                        }
                        "sync" => o.sync = true,
                        "notrunc" => o.notrunc = true,
                        "excl" => o.excl = true,
                        "nocreat" => o.nocreat = true,
                        "noerror" | "fsync" | "fdatasync" => {}
                        c if CONVS.contains(&c) => {
                            return Err(Bad::Unsupported(format!("conv={c}")));
                        }
                        c => {
                            return Err(Bad::Usage(format!("invalid conversion: {}", lquote(c))));
                        }
                    }
                }
            }
            "iflag" | "oflag" => {
                let input = key == "iflag";
                for f in value.split(',').filter(|f| !f.is_empty()) {
                    match f {
                        "skip_bytes" if input => o.skip_bytes = true,
                        "count_bytes" if input => o.count_bytes = true,
                        "fullblock" if input => {}
                        "seek_bytes" if !input => o.seek_bytes = true,
                        "append" if !input => o.append = true,
                        f if HARMLESS_FLAGS.contains(&f) => {}
                        f if FLAGS.contains(&f)
                            && !matches!(
                                (input, f),
                                (true, "seek_bytes" | "append") | (false, "fullblock")
                            ) =>
                        {
                            return Err(Bad::Unsupported(format!("{key}={f}")));
                        }
                        f => {
                            let what = if input { "input" } else { "output" };
                            return Err(Bad::Usage(format!("invalid {what} flag: {}", lquote(f))));
                        }
                    }
                }
            }
            "status" => {
                o.status = match value {
                    "none" => Status::None,
                    "noxfer" => Status::Noxfer,
                    "progress" => Status::Default,
                    v => {
                        return Err(Bad::Usage(format!("invalid status level: {}", lquote(v))));
                    }
                }
            }
            _ => return Err(Bad::Usage(format!("unrecognized operand {}", lquote(arg)))),
        }
    }
    if o.excl && o.nocreat {
        return Err(Bad::Plain("cannot combine excl and nocreat".into()));
    }
    if let Some(bs) = bs {
        o.ibs = bs;
        o.obs = bs;
        o.direct = true;
    } else {
        o.ibs = ibs.unwrap_or(512);
        o.obs = obs.unwrap_or(512);
    }
    if o.ibs > 1 << 30 || o.obs > 1 << 30 {
        return Err(Bad::Unsupported("block sizes over 1G".to_string()));
    }
    Ok(o)
}

#[derive(Default, Clone, Copy)]
struct Stats {
    full_in: u64,
    part_in: u64,
    full_out: u64,
    part_out: u64,
    bytes: u64,
}

/// The shared state of a copy: totals, and the read error that ended it (if any).
#[derive(Default)]
struct Shared {
    stats: Stats,
    read_error: Option<FsError>,
}

/// Produces the output blocks from the input, one chunk at a time.
struct Engine {
    input: Reader,
    ibs: usize,
    obs: usize,
    direct: bool,
    /// Input blocks (or bytes with `count_bytes`) still to read.
    left: Option<u64>,
    count_bytes: bool,
    case: Case,
    sync: bool,
    pending: Vec<u8>,
    done: bool,
    shared: Arc<Mutex<Shared>>,
}

impl Engine {
    fn update(&self, f: impl FnOnce(&mut Shared)) {
        if let Ok(mut s) = self.shared.lock() {
            f(&mut s);
        }
    }

    /// Reads up to `want` bytes, stopping early only at the end of input. The buffer grows
    /// with the data, so a huge `bs=` over a small input allocates little.
    async fn read_block(&mut self, want: usize) -> Result<Vec<u8>, FsError> {
        let mut buf = Vec::with_capacity(want.min(1 << 20));
        (&mut self.input)
            .take(want as u64)
            .read_to_end(&mut buf)
            .await
            .map_err(FsError::from)?;
        Ok(buf)
    }

    /// The next chunk to write; `None` when everything is written.
    async fn next_chunk(&mut self) -> Option<Vec<u8>> {
        loop {
            if self.done {
                if self.pending.is_empty() {
                    return None;
                }
                self.update(|s| {
                    s.stats.part_out += 1;
                });
                return Some(std::mem::take(&mut self.pending));
            }
            let want = match self.left {
                Some(0) => {
                    self.done = true;
                    continue;
                }
                Some(n) if self.count_bytes => (n.min(self.ibs as u64)) as usize,
                _ => self.ibs,
            };
            let mut block = match self.read_block(want).await {
                Ok(b) => b,
                Err(e) => {
                    self.update(|s| s.read_error = Some(e));
                    self.done = true;
                    continue;
                }
            };
            if block.is_empty() {
                self.done = true;
                continue;
            }
            if let Some(n) = self.left.as_mut() {
                *n -= if self.count_bytes {
                    block.len() as u64
                } else {
                    1
                };
            }
            let full = block.len() == self.ibs;
            self.update(|s| {
                if full {
                    s.stats.full_in += 1;
                } else {
                    s.stats.part_in += 1;
                }
            });
            match self.case {
                Case::Upper => block.make_ascii_uppercase(),
                Case::Lower => block.make_ascii_lowercase(),
                Case::Keep => {}
            }
            if self.sync && block.len() < self.ibs {
                block.resize(self.ibs, 0);
            }
            if self.direct {
                let (len, obs) = (block.len(), self.obs);
                self.update(|s| {
                    if len == obs {
                        s.stats.full_out += 1;
                    } else {
                        s.stats.part_out += 1;
                    }
                    s.stats.bytes += len as u64;
                });
                return Some(block);
            }
            self.pending.extend_from_slice(&block);
            if self.pending.len() >= self.obs {
                let blocks = self.pending.len() / self.obs;
                let rest = self.pending.split_off(blocks * self.obs);
                let out = std::mem::replace(&mut self.pending, rest);
                self.update(|s| s.stats.full_out += blocks as u64);
                return Some(out);
            }
        }
    }
}

/// Counts the bytes of the final partial block, which `next_chunk` hands out without a total.
fn count_output(shared: &Arc<Mutex<Shared>>, direct: bool, len: usize) {
    if !direct && let Ok(mut s) = shared.lock() {
        s.stats.bytes += len as u64;
    }
}

fn engine_stream(engine: Engine) -> ByteStream {
    Box::pin(futures::stream::unfold(engine, |mut e| async move {
        let chunk = e.next_chunk().await?;
        count_output(&e.shared, e.direct, chunk.len());
        Some((Ok::<Bytes, FsError>(Bytes::from(chunk)), e))
    }))
}

/// A stream of `n` zero bytes, in blocks.
fn zeros(n: u64) -> ByteStream {
    const BLOCK: u64 = 64 * 1024;
    Box::pin(futures::stream::unfold(n, |left| async move {
        if left == 0 {
            return None;
        }
        let k = left.min(BLOCK);
        Some((Ok(Bytes::from(vec![0u8; k as usize])), left - k))
    }))
}

/// C's `%g`: six significant digits, trailing zeros removed, exponent form outside 1e-4..1e6.
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let exp = v.abs().log10().floor() as i32;
    let strip = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let sci = format!("{v:.5e}");
    // Rounding may carry into the next power of ten; read the exponent from the text.
    let (mant, e) = sci.split_once('e').unwrap_or((&sci, "0"));
    let e: i32 = e.parse().unwrap_or(exp);
    if !(-4..6).contains(&e) {
        let sign = if e < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip(mant.to_string()), e.abs())
    } else {
        let decimals = (5 - e).max(0) as usize;
        strip(format!("{v:.decimals$}"))
    }
}

const SI: [&str; 7] = ["", "k", "M", "G", "T", "P", "E"];
const IEC: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/// gnulib `human_readable` with autoscale and rounding to nearest for an exact count: `21 B`,
/// `3.0 kB`, `2.9 KiB`, `52 MB`.
fn human_exact(n: u64, base: u64) -> String {
    let units = if base == 1000 { SI } else { IEC };
    if n < base {
        return format!("{n} B");
    }
    let mut e = 0;
    let mut scale = 1u128;
    while (n as u128) >= scale * base as u128 && e + 1 < units.len() {
        scale *= base as u128;
        e += 1;
    }
    let v = n as f64 / scale as f64;
    let mut text = if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    };
    if text == "10.0" {
        text = "10".to_string();
    }
    if text.parse::<f64>().unwrap_or(0.0) >= base as f64 && e + 1 < units.len() {
        e += 1;
        text = "1.0".to_string();
    }
    format!("{text} {}B", units[e])
}

/// The transfer rate as dd prints it: always scaled to at least kilo (gnulib's inexact path).
fn human_rate(v: f64) -> String {
    let mut e = 1;
    let mut scale = 1000.0;
    while scale * 1000.0 <= v && e + 1 < SI.len() {
        scale *= 1000.0;
        e += 1;
    }
    let x = v / scale;
    let one = format!("{x:.1}");
    let text = if one.len() > 3 {
        format!("{x:.0}")
    } else {
        one
    };
    format!("{text} {}B/s", SI[e])
}

fn summary(stats: &Stats, secs: f64, status: Status) -> String {
    let mut s = format!(
        "{}+{} records in\n{}+{} records out\n",
        stats.full_in, stats.part_in, stats.full_out, stats.part_out
    );
    if status == Status::Default {
        let n = stats.bytes;
        let si = human_exact(n, 1000);
        let iec = human_exact(n, 1024);
        let rate = if secs > 0.0 {
            human_rate(n as f64 / secs)
        } else {
            "Infinity B/s".to_string()
        };
        let time = fmt_g(secs);
        if n < 1000 {
            let unit = if n == 1 { "byte" } else { "bytes" };
            s.push_str(&format!("{n} {unit} copied, {time} s, {rate}\n"));
        } else if n < 1024 {
            s.push_str(&format!("{n} bytes ({si}) copied, {time} s, {rate}\n"));
        } else {
            s.push_str(&format!(
                "{n} bytes ({si}, {iec}) copied, {time} s, {rate}\n"
            ));
        }
    }
    s
}

/// The character devices `dd` is used with, which the virtual tree has no files for:
/// `/dev/zero`, `/dev/null` and `/dev/urandom` (`/dev/random`).
fn device_reader(name: &str) -> Option<Reader> {
    match name {
        "/dev/zero" => Some(Box::pin(tokio::io::BufReader::new(tokio::io::repeat(0)))),
        "/dev/null" => Some(mirage_core::stream_reader(mirage_core::empty_stream())),
        "/dev/urandom" | "/dev/random" => {
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64)
                | 1;
            let stream = futures::stream::unfold(seed, |mut x| async move {
                let mut chunk = Vec::with_capacity(64 * 1024);
                while chunk.len() < 64 * 1024 {
                    // xorshift64*: not for secrets, only bytes that look random.
                    x ^= x >> 12;
                    x ^= x << 25;
                    x ^= x >> 27;
                    chunk.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
                }
                Some((Ok::<Bytes, FsError>(Bytes::from(chunk)), x))
            });
            Some(mirage_core::stream_reader(Box::pin(stream)))
        }
        _ => None,
    }
}

/// Opens the input after skipping; `Err(status)` when it cannot be opened.
async fn open_input(ctx: &mut CommandContext, o: &Opts) -> io::Result<Result<Reader, i32>> {
    let skip = if o.skip_bytes {
        o.skip
    } else {
        o.skip.saturating_mul(o.ibs)
    };
    let warn = |name: &str| format!("{}: cannot skip to specified offset", quote_if_needed(name));
    let Some(name) = &o.input else {
        let mut reader = take_stdin(ctx);
        if skip > 0 {
            let mut taken = (&mut reader).take(skip);
            let got = tokio::io::copy(&mut taken, &mut tokio::io::sink()).await?;
            if got < skip && o.status != Status::None {
                ctx.error(warn("standard input")).await?;
            }
        }
        return Ok(Ok(reader));
    };
    let path = ctx.path(name);
    let st = match ctx.fs.stat(&path).await {
        Ok(st) => st,
        Err(_) if device_reader(name).is_some() => {
            // Skipping zeros or random bytes changes nothing worth reading them for.
            return Ok(device_reader(name).ok_or(1));
        }
        Err(e) => {
            ctx.error(format!("failed to open {}: {e}", quote_always(name)))
                .await?;
            return Ok(Err(1));
        }
    };
    if st.is_char_device() {
        // `/dev/zero`, `/dev/null`...: skipping reads past the bytes, without a warning when
        // there are fewer, as seeking a device does.
        let mut reader = match ctx.fs.read(&path, None).await {
            Ok(s) => mirage_core::stream_reader(s),
            Err(e) => {
                ctx.error(format!("failed to open {}: {e}", quote_always(name)))
                    .await?;
                return Ok(Err(1));
            }
        };
        if skip > 0 {
            let mut taken = (&mut reader).take(skip);
            tokio::io::copy(&mut taken, &mut tokio::io::sink()).await?;
        }
        return Ok(Ok(reader));
    }
    if st.is_dir() {
        // GNU opens a directory and fails on the first read.
        let e = FsError::new(mirage_core::ErrorKind::IsADirectory);
        let failing: ByteStream = Box::pin(futures::stream::once(async move { Err(e) }));
        return Ok(Ok(mirage_core::stream_reader(failing)));
    }
    let size = st.size.unwrap_or(0);
    if skip > 0 && skip >= size {
        if skip > size && o.status != Status::None {
            ctx.error(warn(name)).await?;
        }
        return Ok(Ok(mirage_core::stream_reader(mirage_core::empty_stream())));
    }
    let range = (skip > 0).then_some(ByteRange {
        start: skip,
        end: None,
    });
    match ctx.fs.read(&path, range).await {
        Ok(stream) => Ok(Ok(mirage_core::stream_reader(stream))),
        Err(e) => {
            ctx.error(format!("failed to open {}: {e}", quote_always(name)))
                .await?;
            Ok(Err(1))
        }
    }
}

/// A range of an existing file as a stream (empty when the range is empty).
async fn old_bytes(fs: &mirage_core::MountTable, path: &VPath, start: u64, end: u64) -> ByteStream {
    if start >= end {
        return mirage_core::empty_stream();
    }
    let range = ByteRange {
        start,
        end: Some(end),
    };
    match fs.read(path, Some(range)).await {
        Ok(s) => s,
        Err(e) => Box::pin(futures::stream::once(async move { Err(e) })),
    }
}

/// Writes the copy to the file `name`; returns the status (after printing any error).
async fn write_file(
    ctx: &mut CommandContext,
    o: &Opts,
    name: &str,
    data: ByteStream,
    shared: &Arc<Mutex<Shared>>,
) -> io::Result<Result<i32, i32>> {
    let path = ctx.path(name);
    let existing = ctx.fs.stat(&path).await.ok();
    let fail = |e: &FsError| format!("failed to open {}: {e}", quote_always(name));
    if let Some(st) = &existing {
        if st.is_dir() {
            let e = FsError::new(mirage_core::ErrorKind::IsADirectory);
            ctx.error(fail(&e)).await?;
            return Ok(Err(1));
        }
        if o.excl {
            let e = FsError::new(mirage_core::ErrorKind::AlreadyExists);
            ctx.error(fail(&e)).await?;
            return Ok(Err(1));
        }
    } else if o.nocreat {
        let e = FsError::new(mirage_core::ErrorKind::NotFound);
        ctx.error(fail(&e)).await?;
        return Ok(Err(1));
    } else {
        // Creating the file needs its directory: report a missing one as open(2) would.
        let parent = ctx.fs.stat(&path.parent()).await;
        let e = match parent {
            Ok(st) if st.is_dir() => None,
            Ok(_) => Some(FsError::new(mirage_core::ErrorKind::NotADirectory)),
            Err(e) => Some(e),
        };
        if let Some(e) = e {
            ctx.error(fail(&e)).await?;
            return Ok(Err(1));
        }
    }
    let seek = if o.seek_bytes {
        o.seek
    } else {
        o.seek.saturating_mul(o.obs)
    };
    let old_size = existing.as_ref().and_then(|st| st.size).unwrap_or(0);
    // GNU leaves a hole there; Mirage would have to write the zeros.
    if seek.saturating_sub(old_size) > 1 << 30 {
        let status = unsupported(ctx, "seek= more than 1G past the end of the output").await?;
        return Ok(Err(status));
    }
    // Without notrunc GNU opens the output truncated, even with oflag=append.
    let result = if o.append && o.notrunc && seek == 0 {
        ctx.fs.write(&path, data, WriteMode::Append).await
    } else if existing.is_none() || (seek == 0 && !o.notrunc) || old_size == 0 {
        let stream = zeros(seek).chain(data);
        ctx.fs
            .write(&path, Box::pin(stream), WriteMode::Truncate)
            .await
    } else {
        // Rebuild: old bytes before the offset (zero-filled past the old end), the copy, and
        // with notrunc the old bytes after it; written beside the file, then moved over it.
        let fs = ctx.fs.clone();
        let kept = seek.min(old_size);
        let prefix = old_bytes(&fs, &path, 0, kept).await;
        let gap = zeros(seek - kept);
        let notrunc = o.notrunc;
        let (fs2, path2, shared2) = (fs.clone(), path.clone(), shared.clone());
        let suffix = futures::stream::once(async move {
            if !notrunc {
                return mirage_core::empty_stream();
            }
            let written = shared2.lock().map(|s| s.stats.bytes).unwrap_or(0);
            old_bytes(&fs2, &path2, seek.saturating_add(written), old_size).await
        })
        .flatten();
        let stream = prefix.chain(gap).chain(data).chain(suffix);
        let base = path.as_str().rsplit('/').next().unwrap_or("dd");
        let temp = path.parent().join(&format!(".{base}.mirage-dd"));
        let written = fs.write(&temp, Box::pin(stream), WriteMode::Truncate).await;
        match written {
            Ok(n) => match fs.rename(&temp, &path).await {
                Ok(()) => {
                    if let Some(mode) = existing.as_ref().and_then(|st| st.mode) {
                        let _ = fs.set_mode(&path, mode).await;
                    }
                    Ok(n)
                }
                Err(e) => {
                    let _ = fs.remove_file(&temp).await;
                    Err(e)
                }
            },
            Err(e) => {
                let _ = fs.remove_file(&temp).await;
                Err(e)
            }
        }
    };
    match result {
        Ok(_) => Ok(Ok(0)),
        Err(e) => {
            let read_failed = shared
                .lock()
                .map(|s| s.read_error.is_some())
                .unwrap_or(false);
            if !read_failed {
                ctx.error(format!("error writing {}: {e}", quote_always(name)))
                    .await?;
            }
            Ok(Ok(1))
        }
    }
}

#[async_trait]
impl Command for Dd {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        if let Some(first) = args.first() {
            if first == "--version"
                && let Some(status) = print_version(ctx).await?
            {
                return Ok(status);
            }
            if first == "--help" {
                return unsupported(ctx, "--help").await;
            }
        }
        for arg in &args {
            if let Some(long) = arg.strip_prefix("--")
                && !long.is_empty()
            {
                let msg = format!("unrecognized option '{arg}'");
                return usage_error(ctx, &msg, 1).await;
            }
            if arg.starts_with('-') && arg.len() > 1 && !arg.starts_with("--") {
                let c = arg.chars().nth(1).unwrap_or('-');
                let msg = format!("invalid option -- '{c}'");
                return usage_error(ctx, &msg, 1).await;
            }
        }
        let o = match parse_args(&args) {
            Ok(o) => o,
            Err(Bad::Plain(msg)) => {
                ctx.error(msg).await?;
                return Ok(1);
            }
            Err(Bad::Usage(msg)) => return usage_error(ctx, &msg, 1).await,
            Err(Bad::Unsupported(what)) => return unsupported(ctx, &what).await,
        };
        if o.output.is_none() && o.seek > 0 {
            return unsupported(ctx, "seek= without of=").await;
        }
        if o.append && !o.notrunc {
            ctx.error("you probably want conv=notrunc with oflag=append")
                .await?;
        }
        let start = Instant::now();
        let input = match open_input(ctx, &o).await? {
            Ok(r) => r,
            Err(status) => return Ok(status),
        };
        let shared = Arc::new(Mutex::new(Shared::default()));
        let engine = Engine {
            input,
            ibs: o.ibs as usize,
            obs: o.obs as usize,
            direct: o.direct,
            left: o.count,
            count_bytes: o.count_bytes,
            case: o.case,
            sync: o.sync,
            pending: Vec::new(),
            done: false,
            shared: shared.clone(),
        };
        let to_null = match &o.output {
            Some(name) if name == "/dev/null" => ctx.fs.stat(&ctx.path(name)).await.is_err(),
            _ => false,
        };
        let mut status = match &o.output {
            Some(_) if to_null => {
                let mut engine = engine;
                while let Some(chunk) = engine.next_chunk().await {
                    count_output(&shared, engine.direct, chunk.len());
                }
                0
            }
            Some(name) => {
                let name = name.clone();
                match write_file(ctx, &o, &name, engine_stream(engine), &shared).await? {
                    Ok(status) => status,
                    Err(status) => return Ok(status),
                }
            }
            None => {
                let mut engine = engine;
                while let Some(chunk) = engine.next_chunk().await {
                    count_output(&shared, engine.direct, chunk.len());
                    ctx.stdout.write_all(&chunk).await?;
                }
                ctx.stdout.flush().await?;
                0
            }
        };
        let (stats, read_error) = match shared.lock() {
            Ok(mut s) => (s.stats, s.read_error.take()),
            Err(_) => (Stats::default(), None),
        };
        if let Some(e) = read_error {
            let name = o.input.as_deref().unwrap_or("standard input");
            ctx.error(format!("error reading {}: {e}", quote_always(name)))
                .await?;
            status = 1;
        }
        if o.status != Status::None {
            let text = summary(&stats, start.elapsed().as_secs_f64(), o.status);
            ctx.stderr.write_all(text.as_bytes()).await?;
        }
        let _ = ctx.stderr.flush().await;
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = |s: &str| parse_number(s).ok();
        assert_eq!(n("12"), Some(12));
        assert_eq!(n("2b"), Some(1024));
        assert_eq!(n("1K"), Some(1024));
        assert_eq!(n("1kB"), Some(1000));
        assert_eq!(n("1MiB"), Some(1 << 20));
        assert_eq!(n("2x3w"), Some(12));
        assert_eq!(n("x"), None);
        assert_eq!(n("-1"), None);
        assert_eq!(n("1Q"), None);
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_g(1.5804e-05), "1.5804e-05");
        assert_eq!(fmt_g(0.000869647), "0.000869647");
        assert_eq!(fmt_g(0.00355222), "0.00355222");
        assert_eq!(human_exact(3000, 1000), "3.0 kB");
        assert_eq!(human_exact(3000, 1024), "2.9 KiB");
        assert_eq!(human_exact(1048576, 1024), "1.0 MiB");
        assert_eq!(human_exact(21, 1000), "21 B");
        assert_eq!(human_rate(0.0), "0.0 kB/s");
        assert_eq!(human_rate(529_622.0), "530 kB/s");
        assert_eq!(human_rate(3_400_000.0), "3.4 MB/s");
    }
}
