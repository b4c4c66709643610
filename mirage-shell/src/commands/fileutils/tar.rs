//! `tar`: create (`c`), append (`r`, plain archives), list (`t`) and extract (`x`) archives,
//! written in whole 10240-byte records, with `-f FILE`, `-z`, `-C DIR`
//! and `-v` (names for `c`/`x`; `tv` prints GNU's long listing, times in UTC). Old-style
//! bundled options (`tar czf a.tgz d`) work as in GNU tar. Archives are GNU format; their bytes need not equal GNU tar's
//! (uid/gid 0, owner `root`), but any GNU-made archive lists and extracts exactly. Data is
//! streamed: the archive is produced into a channel that the destination consumes while the
//! walk goes on, and extraction pipes each member straight into `ctx.fs.write`.

use std::io;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use async_trait::async_trait;
use bytes::Bytes;
use futures::channel::mpsc;
use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt};
use mirage_core::{
    ByteStream, Command, CommandContext, CommandResult, ErrorKind, FsError, MountTable, Reader,
    VPath, WriteMode, stream_from_bytes, stream_reader,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt};

use super::gzip_codec::{Compress, take_problem, transform};
use super::tar_format::{self as fmt, BLOCK, HeaderError, Kind};
use crate::commands::common::unsupported;
use crate::commands::wildcard::Wildcard;

pub struct Tar;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    /// `-r`: add members at the end of an existing (uncompressed) archive.
    Append,
    Extract,
    List,
}

/// A file operand, or a `-C DIR` met among them (create processes them in order).
enum Item {
    File(String),
    Dir(String),
}

#[derive(Default)]
struct Opts {
    mode: Option<Mode>,
    file: Option<String>,
    gzip: bool,
    /// `-a`: pick the compression from the archive name.
    auto: bool,
    verbose: u8,
    /// `-O`: extract members to standard output.
    to_stdout: bool,
    strip: usize,
    excludes: Vec<Wildcard>,
    /// `--wildcards`: member operands are patterns.
    wildcards: bool,
    version: bool,
    items: Vec<Item>,
}

/// Why the command line was refused.
enum Fail {
    Usage(String),
    Unsupported(String),
}

const TRY: &str = "Try 'tar --help' or 'tar --usage' for more information.\n";
const MODE_LETTERS: &str = "'-Acdtrux', '--delete' or '--test-label'";
/// Short options GNU tar has that Mirage does not implement.
const UNSUPPORTED_SHORT: &str = "AdupPkmhSWjJUwBGgiKlMoRsTXNbHLVIF";

fn set_mode(o: &mut Opts, m: Mode) -> Result<(), Fail> {
    if o.mode.is_some_and(|x| x != m) {
        // GNU's message has a double space here.
        return Err(Fail::Usage(
            "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option"
                .to_string(),
        ));
    }
    o.mode = Some(m);
    Ok(())
}

/// Applies one short option letter; `value` yields its argument when it takes one.
fn short(o: &mut Opts, c: char, value: &mut dyn FnMut() -> Option<String>) -> Result<(), Fail> {
    match c {
        'c' => set_mode(o, Mode::Create)?,
        'r' => set_mode(o, Mode::Append)?,
        'x' => set_mode(o, Mode::Extract)?,
        't' => set_mode(o, Mode::List)?,
        'z' => o.gzip = true,
        'v' => o.verbose = o.verbose.saturating_add(1),
        'O' => o.to_stdout = true,
        'a' => o.auto = true,
        'f' | 'C' => {
            let Some(v) = value() else {
                return Err(Fail::Usage(format!("option requires an argument -- '{c}'")));
            };
            if c == 'f' {
                o.file = Some(v);
            } else {
                o.items.push(Item::Dir(v));
            }
        }
        _ if UNSUPPORTED_SHORT.contains(c) => return Err(Fail::Unsupported(format!("-{c}"))),
        _ => return Err(Fail::Usage(format!("invalid option -- '{c}'"))),
    }
    Ok(())
}

fn long(o: &mut Opts, arg: &str, rest: &mut std::slice::Iter<'_, String>) -> Result<(), Fail> {
    let (name, inline) = match arg.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (arg, None),
    };
    let mut value = || inline.clone().or_else(|| rest.next().cloned());
    match name {
        "create" => set_mode(o, Mode::Create),
        "append" => set_mode(o, Mode::Append),
        "extract" | "get" => set_mode(o, Mode::Extract),
        "list" => set_mode(o, Mode::List),
        "gzip" | "gunzip" | "ungzip" => {
            o.gzip = true;
            Ok(())
        }
        "verbose" => {
            o.verbose = o.verbose.saturating_add(1);
            Ok(())
        }
        "to-stdout" => {
            o.to_stdout = true;
            Ok(())
        }
        "auto-compress" => {
            o.auto = true;
            Ok(())
        }
        "wildcards" => {
            o.wildcards = true;
            Ok(())
        }
        "strip-components" | "strip-path" | "exclude" => {
            let Some(v) = value() else {
                return Err(Fail::Usage(format!(
                    "option '--{name}' requires an argument"
                )));
            };
            if name == "exclude" {
                o.excludes.push(Wildcard::new(&v));
            } else {
                match v.parse::<usize>() {
                    Ok(n) => o.strip = n,
                    Err(_) => {
                        return Err(Fail::Usage(format!("{v}: Invalid number of elements")));
                    }
                }
            }
            Ok(())
        }
        "file" | "directory" => {
            let Some(v) = value() else {
                return Err(Fail::Usage(format!(
                    "option '--{name}' requires an argument"
                )));
            };
            if name == "file" {
                o.file = Some(v);
            } else {
                o.items.push(Item::Dir(v));
            }
            Ok(())
        }
        "version" => {
            o.version = true;
            Ok(())
        }
        _ => Err(Fail::Unsupported(format!("--{name}"))),
    }
}

fn parse_args(args: &[String]) -> Result<Opts, Fail> {
    let mut o = Opts::default();
    let mut it = args.iter();
    // Old style: a first word without a dash is a bundle whose arguments follow it.
    if let Some(first) = args.first()
        && !first.starts_with('-')
    {
        it.next();
        for c in first.chars() {
            short(&mut o, c, &mut || it.next().cloned())?;
        }
    }
    let mut only_files = false;
    while let Some(arg) = it.next() {
        if only_files || !arg.starts_with('-') || arg == "-" {
            o.items.push(Item::File(arg.clone()));
        } else if arg == "--" {
            only_files = true;
        } else if let Some(l) = arg.strip_prefix("--") {
            long(&mut o, l, &mut it)?;
        } else {
            let letters: Vec<char> = arg.chars().skip(1).collect();
            let mut i = 0;
            while i < letters.len() {
                let c = letters[i];
                i += 1;
                let attached: String = letters[i..].iter().collect();
                let mut took = false;
                let mut value = || {
                    took = true;
                    if attached.is_empty() {
                        it.next().cloned()
                    } else {
                        Some(attached.clone())
                    }
                };
                short(&mut o, c, &mut value)?;
                if took {
                    break;
                }
            }
        }
    }
    Ok(o)
}

/// Messages gathered while a producer runs, printed once it is done.
#[derive(Default)]
struct Log {
    out: Vec<String>,
    err: Vec<String>,
    failed: bool,
    stripped_slash: bool,
}

type Tx = mpsc::Sender<Result<Bytes, FsError>>;

/// GNU tar's default record size (blocking factor 20).
const RECORD: u64 = 10240;

/// Sends bytes to the archive consumer; false when it has gone away.
async fn send(tx: &mut Tx, data: Vec<u8>) -> bool {
    tx.send(Ok(Bytes::from(data))).await.is_ok()
}

/// Adds `path` (named `name` in the archive) and, for a directory, everything below it.
fn add<'a>(
    fs: &'a MountTable,
    tx: &'a mut Tx,
    log: &'a mut Log,
    path: VPath,
    name: String,
    excludes: &'a [Wildcard],
) -> BoxFuture<'a, ()> {
    Box::pin(async move {
        if excludes.iter().any(|x| x.matches_components(&name)) {
            return;
        }
        let stat = match fs.stat(&path).await {
            Ok(s) => s,
            Err(e) => {
                log.err.push(format!("tar: {name}: Cannot stat: {e}\n"));
                log.failed = true;
                return;
            }
        };
        let mtime = stat
            .modified
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
            .unwrap_or(0);
        if stat.is_dir() {
            let dir_name = if name.ends_with('/') {
                name.clone()
            } else {
                format!("{name}/")
            };
            let mut block = fmt::long_name(dir_name.as_bytes());
            let mode = stat.mode.unwrap_or(0o755);
            block.extend_from_slice(&fmt::header(dir_name.as_bytes(), Kind::Dir, 0, mode, mtime));
            log.out.push(format!("{dir_name}\n"));
            if !send(tx, block).await {
                return;
            }
            match fs.list(&path).await {
                Ok(entries) => {
                    for e in entries {
                        let child = format!("{dir_name}{}", e.name);
                        add(fs, tx, log, path.join(&e.name), child, excludes).await;
                    }
                }
                Err(e) => {
                    log.err.push(format!("tar: {name}: Cannot open: {e}\n"));
                    log.failed = true;
                }
            }
            return;
        }
        add_file(
            fs,
            tx,
            log,
            &path,
            &name,
            stat.size,
            stat.mode.unwrap_or(0o644),
            mtime,
        )
        .await;
    })
}

/// Adds one regular file: header, data, padding.
#[allow(clippy::too_many_arguments)]
async fn add_file(
    fs: &MountTable,
    tx: &mut Tx,
    log: &mut Log,
    path: &VPath,
    name: &str,
    size: Option<u64>,
    mode: u32,
    mtime: u64,
) {
    let mut stream = match fs.read(path, None).await {
        Ok(s) => s,
        Err(e) => {
            log.err.push(format!("tar: {name}: Cannot open: {e}\n"));
            log.failed = true;
            return;
        }
    };
    // A resource that cannot tell the size up front: buffer the content to learn it.
    let (size, mut buffered) = match size {
        Some(s) => (s, None),
        None => match mirage_core::collect_stream(stream).await {
            Ok(data) => {
                let len = data.len() as u64;
                stream = Box::pin(futures::stream::empty());
                (len, Some(data))
            }
            Err(e) => {
                log.err.push(format!("tar: {name}: Read error: {e}\n"));
                log.failed = true;
                return;
            }
        },
    };
    let mut block = fmt::long_name(name.as_bytes());
    block.extend_from_slice(&fmt::header(name.as_bytes(), Kind::File, size, mode, mtime));
    log.out.push(format!("{name}\n"));
    if !send(tx, block).await {
        return;
    }
    let mut sent: u64 = 0;
    if let Some(data) = buffered.take() {
        sent = data.len() as u64;
        if !send(tx, data).await {
            return;
        }
    }
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                log.err.push(format!("tar: {name}: Read error: {e}\n"));
                log.failed = true;
                break;
            }
        };
        let room = (size - sent).min(chunk.len() as u64) as usize;
        sent += room as u64;
        if room > 0 && !send(tx, chunk[..room].to_vec()).await {
            return;
        }
    }
    // Keep the archive well formed if the file shrank while being read.
    let missing = (size - sent) as usize + fmt::padding(size);
    send(tx, vec![0u8; missing]).await;
}

/// Produces the whole archive into `tx`.
async fn produce(
    fs: Arc<MountTable>,
    cwd: VPath,
    items: Vec<Item>,
    excludes: Vec<Wildcard>,
    mut tx: Tx,
    log: &mut Log,
) {
    let mut base = cwd;
    for item in items {
        match item {
            Item::Dir(d) => base = base.join(&d),
            Item::File(f) => {
                let mut name = f.trim_start_matches('/').to_string();
                if name.len() != f.len() && !log.stripped_slash {
                    log.stripped_slash = true;
                    log.err
                        .push("tar: Removing leading `/' from member names\n".to_string());
                }
                if name.is_empty() {
                    name = "/".to_string();
                }
                add(&fs, &mut tx, log, base.join(&f), name, &excludes).await;
            }
        }
    }
    send(&mut tx, vec![0u8; BLOCK * 2]).await;
}

async fn print_log(ctx: &mut CommandContext, log: &Log, verbose_to_stderr: bool) -> io::Result<()> {
    for line in &log.out {
        if verbose_to_stderr {
            ctx.stderr.write_all(line.as_bytes()).await?;
        } else {
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
    }
    Ok(())
}

async fn create(ctx: &mut CommandContext, o: Opts) -> io::Result<i32> {
    if !o.items.iter().any(|i| matches!(i, Item::File(_))) {
        ctx.stderr
            .write_all(
                format!("tar: Cowardly refusing to create an empty archive\n{TRY}").as_bytes(),
            )
            .await?;
        return Ok(2);
    }
    let mut gzip = o.gzip;
    if o.auto
        && let Some(f) = o.file.as_deref()
    {
        let lower = f.to_ascii_lowercase();
        if [".gz", ".tgz", ".taz"].iter().any(|x| lower.ends_with(x)) {
            gzip = true;
        } else if [
            ".bz2", ".tbz", ".tbz2", ".tz2", ".xz", ".txz", ".zst", ".tzst", ".lz", ".lzma",
            ".tlz", ".lzo", ".z", ".taz",
        ]
        .iter()
        .any(|x| lower.ends_with(x))
        {
            return unsupported(ctx, "-a").await;
        }
    }
    let (tx, rx) = mpsc::channel::<Result<Bytes, FsError>>(8);
    // GNU writes whole records of 20 blocks (10240 bytes), zero-filled at the end.
    let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = written.clone();
    let counted = rx.inspect(move |chunk| {
        if let Ok(b) = chunk {
            counter.fetch_add(b.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let record_fill = futures::stream::once(async move {
        let n = written.load(std::sync::atomic::Ordering::Relaxed);
        let fill = n.next_multiple_of(RECORD) - n;
        Ok::<Bytes, FsError>(Bytes::from(vec![0u8; fill as usize]))
    });
    let mut archive: ByteStream = Box::pin(counted.chain(record_fill));
    if gzip {
        archive = transform(stream_reader(archive), Some(Compress::new(6, None, 0))).0;
    }
    let fs = ctx.fs.clone();
    let mut log = Log::default();
    let to_stdout = o.file.as_deref().is_none_or(|f| f == "-");
    let producer = produce(
        fs.clone(),
        ctx.cwd.clone(),
        o.items,
        o.excludes,
        tx,
        &mut log,
    );
    let write_result = if to_stdout {
        let out = &mut ctx.stdout;
        let consumer = async move {
            while let Some(chunk) = archive.next().await {
                match chunk {
                    Ok(b) => out.write_all(&b).await?,
                    Err(e) => return Err(io::Error::other(e.to_string())),
                }
            }
            Ok::<(), io::Error>(())
        };
        let ((), r) = futures::join!(producer, consumer);
        r?;
        Ok(())
    } else {
        let name = o.file.clone().unwrap_or_default();
        let path = ctx.path(&name);
        let ((), r) = futures::join!(producer, fs.write(&path, archive, WriteMode::Truncate));
        r.map(|_| ()).map_err(|e| (name, e))
    };
    if o.verbose > 0 {
        print_log(ctx, &log, to_stdout).await?;
    }
    for line in &log.err {
        ctx.stderr.write_all(line.as_bytes()).await?;
    }
    if let Err((name, e)) = write_result {
        let msg =
            format!("tar: {name}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n");
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(2);
    }
    finish(ctx, log.failed).await
}

/// Where the end-of-archive blocks of a plain tar archive start (its length when it has
/// none); `None` when the data does not walk as 512-byte headers and their contents.
fn archive_end(data: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < data.len() {
        let header = data.get(at..at + BLOCK)?;
        if header.iter().all(|&b| b == 0) {
            return Some(at);
        }
        let field = &header[124..136];
        let size = if field[0] & 0x80 != 0 {
            // GNU's base-256 form for sizes of 8 GiB and more.
            field[1..]
                .iter()
                .try_fold(0u64, |n, &b| n.checked_mul(256)?.checked_add(u64::from(b)))?
        } else {
            let text = std::str::from_utf8(field).ok()?;
            let digits = text.trim_matches(|c: char| c == '\0' || c == ' ');
            if digits.is_empty() {
                0
            } else {
                u64::from_str_radix(digits, 8).ok()?
            }
        };
        let blocks = usize::try_from(size.div_ceil(BLOCK as u64)).ok()?;
        at = at
            .checked_add(BLOCK)?
            .checked_add(blocks.checked_mul(BLOCK)?)?;
    }
    (at == data.len()).then_some(at)
}

/// `tar -rf ARCHIVE FILE...`: the archive up to its end blocks, then the new members, new end
/// blocks and the record padding. A missing archive is created.
async fn append(ctx: &mut CommandContext, o: Opts) -> io::Result<i32> {
    if o.gzip {
        let msg = format!("tar: Cannot update compressed archives\n{TRY}");
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(2);
    }
    let Some(name) = o.file.clone().filter(|f| f != "-") else {
        return unsupported(ctx, "-r without an archive file").await;
    };
    let path = ctx.path(&name);
    let old = match ctx.fs.read(&path, None).await {
        Ok(stream) => mirage_core::collect_stream(stream)
            .await
            .map_err(|e| io::Error::other(e.to_string()))?,
        Err(e) if e.kind == ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            let msg = format!(
                "tar: {name}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n"
            );
            ctx.stderr.write_all(msg.as_bytes()).await?;
            return Ok(2);
        }
    };
    let Some(end) = archive_end(&old) else {
        return unsupported(ctx, "-r on a file that is not a plain tar archive").await;
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, FsError>>(8);
    let mut log = Log::default();
    let producer = produce(
        ctx.fs.clone(),
        ctx.cwd.clone(),
        o.items,
        o.excludes,
        tx,
        &mut log,
    );
    let ((), chunks) = futures::join!(producer, rx.collect::<Vec<_>>());
    let mut added = Vec::new();
    for chunk in chunks {
        added.extend_from_slice(&chunk.map_err(|e| io::Error::other(e.to_string()))?);
    }
    // `produce` ends with its own end-of-archive blocks.
    added.truncate(added.len().saturating_sub(BLOCK * 2));
    let mut out = old;
    out.truncate(end);
    out.extend_from_slice(&added);
    out.extend_from_slice(&[0u8; BLOCK * 2]);
    let fill = (out.len() as u64).next_multiple_of(RECORD) as usize - out.len();
    out.resize(out.len() + fill, 0);
    let written = ctx
        .fs
        .write(&path, stream_from_bytes(out), WriteMode::Truncate)
        .await;
    if o.verbose > 0 {
        print_log(ctx, &log, false).await?;
    }
    for line in &log.err {
        ctx.stderr.write_all(line.as_bytes()).await?;
    }
    if let Err(e) = written {
        let msg =
            format!("tar: {name}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n");
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(2);
    }
    finish(ctx, log.failed).await
}

async fn finish(ctx: &mut CommandContext, failed: bool) -> io::Result<i32> {
    if failed {
        ctx.stderr
            .write_all(b"tar: Exiting with failure status due to previous errors\n")
            .await?;
        return Ok(2);
    }
    Ok(0)
}

/// Reads up to one block; returns how many bytes were read (less than a block only at EOF).
async fn read_block(reader: &mut Reader, block: &mut [u8; BLOCK]) -> io::Result<usize> {
    let mut got = 0;
    while got < BLOCK {
        let n = reader.read(&mut block[got..]).await?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// Skips `n` bytes of the archive; false at a premature end.
async fn skip(reader: &mut Reader, mut n: u64) -> io::Result<bool> {
    while n > 0 {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(false);
        }
        let take = (buf.len() as u64).min(n) as usize;
        reader.consume(take);
        n -= take as u64;
    }
    Ok(true)
}

/// Reads `n` bytes of member data into memory (long names and pax headers are small).
async fn read_data(reader: &mut Reader, n: u64) -> io::Result<Option<Vec<u8>>> {
    let mut data = vec![0u8; n as usize];
    if reader.read_exact(&mut data).await.is_err() {
        return Ok(None);
    }
    if !skip(reader, fmt::padding(n) as u64).await? {
        return Ok(None);
    }
    Ok(Some(data))
}

/// Streams `size` bytes of member data into `path`; false at a premature end of the archive.
async fn extract_file(
    fs: &MountTable,
    reader: &mut Reader,
    path: &VPath,
    size: u64,
) -> io::Result<(bool, Option<FsError>)> {
    let (mut tx, rx) = mpsc::channel::<Result<Bytes, FsError>>(4);
    let pump = async move {
        let mut left = size;
        let mut open = true;
        while left > 0 {
            let buf = reader.fill_buf().await?;
            if buf.is_empty() {
                return Ok::<bool, io::Error>(false);
            }
            let take = (buf.len() as u64).min(left) as usize;
            if open
                && tx
                    .send(Ok(Bytes::copy_from_slice(&buf[..take])))
                    .await
                    .is_err()
            {
                open = false;
            }
            reader.consume(take);
            left -= take as u64;
        }
        drop(tx);
        skip(reader, fmt::padding(size) as u64).await
    };
    let (complete, written) =
        futures::join!(pump, fs.write(path, Box::pin(rx), WriteMode::Truncate));
    Ok((complete?, written.err()))
}

/// Copies `size` bytes of member data (and skips its padding) to stdout; false at a premature end.
async fn copy_out(ctx: &mut CommandContext, reader: &mut Reader, size: u64) -> io::Result<bool> {
    let mut left = size;
    while left > 0 {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(false);
        }
        let take = (buf.len() as u64).min(left) as usize;
        ctx.stdout.write_all(&buf[..take]).await?;
        reader.consume(take);
        left -= take as u64;
    }
    skip(reader, fmt::padding(size) as u64).await
}

/// `tar tv`'s line: mode, owner/group, size (padded to GNU's growing width), date, name.
/// Times are shown in UTC (Mirage has no time zone database).
fn long_listing(h: &fmt::Header, name: &str, size: u64, ugs_width: &mut usize) -> String {
    let type_char = match h.kind {
        Kind::Dir => 'd',
        Kind::Other(b'2') => 'l',
        Kind::Other(b'1') => 'h',
        Kind::Other(b'3') => 'c',
        Kind::Other(b'4') => 'b',
        Kind::Other(b'6') => 'p',
        _ => '-',
    };
    let mut mode = String::from(type_char);
    let bits = h.mode;
    for (shift, special, on, off) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let m = bits >> shift;
        mode.push(if m & 4 != 0 { 'r' } else { '-' });
        mode.push(if m & 2 != 0 { 'w' } else { '-' });
        let x = m & 1 != 0;
        mode.push(match (bits & special != 0, x) {
            (true, true) => on,
            (true, false) => off,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    let size = size.to_string();
    let pad = h.owner.len() + 1 + h.group.len() + 1 + size.len();
    *ugs_width = (*ugs_width).max(pad);
    let width = *ugs_width - pad + size.len();
    let secs = h.mtime as i64;
    let (y, mo, d) = crate::commands::files::time::civil_from_days(secs.div_euclid(86400));
    let day_secs = secs.rem_euclid(86400);
    let date = format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}",
        day_secs / 3600,
        day_secs % 3600 / 60
    );
    format!(
        "{mode} {}/{} {size:>width$} {date} {name}\n",
        h.owner, h.group
    )
}

/// Whether `name` is selected by the member operands (all when there are none).
fn selected(name: &str, members: &[String], wild: &[Wildcard], found: &mut [bool]) -> bool {
    if members.is_empty() {
        return true;
    }
    let bare = name.trim_end_matches('/');
    let mut hit = false;
    for (i, m) in members.iter().enumerate() {
        let hit_this = match wild.get(i) {
            Some(w) => w.matches_leading(bare),
            None => {
                let m = m.trim_end_matches('/');
                bare == m || bare.starts_with(&format!("{m}/"))
            }
        };
        if hit_this {
            found[i] = true;
            hit = true;
        }
    }
    hit
}

/// Lists or extracts an archive.
async fn read_archive(ctx: &mut CommandContext, o: Opts) -> io::Result<i32> {
    let mut members = Vec::new();
    let mut dir = None;
    for item in o.items {
        match item {
            Item::File(f) => members.push(f),
            Item::Dir(d) => dir = Some(d),
        }
    }
    let extract = o.mode == Some(Mode::Extract);
    let base = ctx.path(dir.as_deref().unwrap_or("."));
    if let Some(d) = &dir
        && extract
        && !ctx.fs.stat(&base).await.is_ok_and(|s| s.is_dir())
    {
        let msg = format!(
            "tar: {d}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n"
        );
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(2);
    }
    let name = o.file.clone().unwrap_or_else(|| "-".to_string());
    let mut raw = if name == "-" {
        crate::commands::common::take_stdin(ctx)
    } else {
        match ctx.fs.open(&ctx.path(&name)).await {
            Ok(r) => r,
            Err(e) => {
                // With -z GNU tar opens the archive in its gzip child process.
                let msg = if o.gzip {
                    format!(
                        "tar (child): {name}: Cannot open: {e}\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\n"
                    )
                } else {
                    format!(
                        "tar: {name}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n"
                    )
                };
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(2);
            }
        }
    };
    // GNU tar recognises a compressed archive by its magic bytes when reading.
    let gzip = o.gzip
        || raw
            .fill_buf()
            .await
            .is_ok_and(|b| b.len() >= 2 && b[0] == 0x1f && b[1] == 0x8b);
    let wild: Vec<Wildcard> = if o.wildcards {
        members.iter().map(|m| Wildcard::new(m)).collect()
    } else {
        Vec::new()
    };
    let (mut reader, slot) = if gzip {
        let (s, slot) = transform(raw, None);
        (stream_reader(s), Some(slot))
    } else {
        (raw, None)
    };
    let fs = ctx.fs.clone();
    let mut found = vec![false; members.len()];
    let mut failed = false;
    let mut first = true;
    let mut long_name: Option<String> = None;
    let mut pax: (Option<String>, Option<u64>) = (None, None);
    let mut stripped = false;
    let mut block = [0u8; BLOCK];
    let mut fatal: Option<&str> = None;
    let mut ugs_width = 19;
    loop {
        let n = read_block(&mut reader, &mut block).await.unwrap_or(0);
        if n < BLOCK {
            // GNU tar quietly accepts compressed data shorter than one block.
            if first {
                if !gzip {
                    fatal = Some("not-tar");
                }
            } else if n > 0 {
                fatal = Some("eof");
            }
            break;
        }
        let h = match fmt::parse(&block) {
            Ok(h) => h,
            Err(HeaderError::End) => break,
            Err(HeaderError::BadChecksum) => {
                fatal = Some("not-tar");
                break;
            }
        };
        first = false;
        match h.kind {
            Kind::LongName | Kind::Pax | Kind::PaxGlobal => {
                let Some(data) = read_data(&mut reader, h.size).await? else {
                    fatal = Some("eof");
                    break;
                };
                if h.kind == Kind::LongName {
                    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                    long_name = Some(String::from_utf8_lossy(&data[..end]).into_owned());
                } else if h.kind == Kind::Pax {
                    pax = fmt::pax_records(&data);
                }
                continue;
            }
            _ => {}
        }
        let member = long_name
            .take()
            .or(pax.0.take())
            .unwrap_or_else(|| h.name.clone());
        let size = pax.1.take().unwrap_or(h.size);
        let size = if h.kind == Kind::File {
            size
        } else {
            size.min(if h.kind == Kind::Dir { 0 } else { size })
        };
        let want = selected(&member, &members, &wild, &mut found)
            && !o.excludes.iter().any(|x| x.matches_components(&member));
        if !extract || !want {
            if want {
                let line = if o.verbose > 0 {
                    long_listing(&h, &member, size, &mut ugs_width)
                } else {
                    format!("{member}\n")
                };
                ctx.stdout.write_all(line.as_bytes()).await?;
            }
            if !skip(&mut reader, size + fmt::padding(size) as u64).await? {
                fatal = Some("eof");
                break;
            }
            continue;
        }
        let rel = member.trim_start_matches('/');
        // --strip-components: members with too few components are skipped silently.
        let stripped_rel: String = if o.strip > 0 {
            rel.split('/').skip(o.strip).collect::<Vec<_>>().join("/")
        } else {
            rel.to_string()
        };
        if stripped_rel.trim_end_matches('/').is_empty() {
            if !skip(&mut reader, size + fmt::padding(size) as u64).await? {
                fatal = Some("eof");
                break;
            }
            continue;
        }
        if o.verbose > 0 {
            let line = if o.verbose > 1 {
                long_listing(&h, &member, size, &mut ugs_width)
            } else {
                format!("{member}\n")
            };
            // With -O the members' data owns standard output.
            if o.to_stdout {
                ctx.stdout.flush().await?;
                ctx.stderr.write_all(line.as_bytes()).await?;
            } else {
                ctx.stdout.write_all(line.as_bytes()).await?;
            }
        }
        if o.to_stdout {
            let ok = if h.kind == Kind::File {
                copy_out(ctx, &mut reader, size).await?
            } else {
                skip(&mut reader, size + fmt::padding(size) as u64).await?
            };
            if !ok {
                fatal = Some("eof");
                break;
            }
            continue;
        }
        let had_slash = rel.len() != member.len();
        let rel = stripped_rel.as_str();
        if had_slash && !stripped {
            stripped = true;
            ctx.stderr
                .write_all(b"tar: Removing leading `/' from member names\n")
                .await?;
        }
        if rel.split('/').any(|c| c == "..") {
            let msg = format!("tar: {member}: Member name contains '..'\n");
            ctx.stderr.write_all(msg.as_bytes()).await?;
            failed = true;
            if !skip(&mut reader, size + fmt::padding(size) as u64).await? {
                fatal = Some("eof");
                break;
            }
            continue;
        }
        let target = base.join(rel.trim_end_matches('/'));
        match h.kind {
            Kind::Dir => {
                if let Err(e) = fs.mkdir_all(&target).await {
                    let msg = format!("tar: {member}: Cannot mkdir: {e}\n");
                    ctx.stderr.write_all(msg.as_bytes()).await?;
                    failed = true;
                }
                if !skip(&mut reader, size + fmt::padding(size) as u64).await? {
                    fatal = Some("eof");
                    break;
                }
            }
            Kind::File => {
                let _ = fs.mkdir_all(&target.parent()).await;
                let (complete, err) = extract_file(&fs, &mut reader, &target, size).await?;
                if let Some(e) = err {
                    let msg = format!("tar: {member}: Cannot open: {e}\n");
                    ctx.stderr.write_all(msg.as_bytes()).await?;
                    failed = true;
                }
                if !complete {
                    fatal = Some("eof");
                    break;
                }
            }
            _ => {
                let msg = format!("mirage: tar: {member}: unsupported member type\n");
                ctx.stderr.write_all(msg.as_bytes()).await?;
                failed = true;
                if !skip(&mut reader, size + fmt::padding(size) as u64).await? {
                    fatal = Some("eof");
                    break;
                }
            }
        }
    }
    ctx.stdout.flush().await?;
    if let Some(problem) = slot.as_ref().and_then(take_problem)
        && problem != super::gzip_codec::Problem::TrailingGarbage
    {
        let msg = format!(
            "{}tar: Child returned status 1\ntar: Error is not recoverable: exiting now\n",
            problem.message("stdin")
        );
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(2);
    }
    match fatal {
        Some("not-tar") => {
            ctx.stderr
                .write_all(b"tar: This does not look like a tar archive\n")
                .await?;
            failed = true;
        }
        Some(_) => {
            ctx.stderr
                .write_all(
                    b"tar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\n",
                )
                .await?;
            return Ok(2);
        }
        None => {}
    }
    for (m, f) in members.iter().zip(&found) {
        if !f {
            let msg = format!("tar: {m}: Not found in archive\n");
            ctx.stderr.write_all(msg.as_bytes()).await?;
            failed = true;
        }
    }
    finish(ctx, failed).await
}

#[async_trait]
impl Command for Tar {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let o = match parse_args(&args) {
            Ok(o) => o,
            Err(Fail::Unsupported(opt)) => return unsupported(ctx, &opt).await,
            Err(Fail::Usage(msg)) => {
                ctx.stderr
                    .write_all(format!("tar: {msg}\n{TRY}").as_bytes())
                    .await?;
                // argp's own complaints (bad or incomplete options) exit 64 (EX_USAGE).
                let argp = ["invalid option", "unrecognized option", "option requires"]
                    .iter()
                    .any(|p| msg.starts_with(p))
                    || msg.ends_with("requires an argument")
                    || msg.contains("doesn't allow an argument")
                    || msg.contains("is ambiguous");
                return Ok(if argp { 64 } else { 2 });
            }
        };
        if o.version {
            if let Some(v) = crate::commands::system::versions::lookup("tar") {
                ctx.stdout.write_all(v.stdout.as_bytes()).await?;
            }
            return Ok(0);
        }
        match o.mode {
            None => {
                let msg = format!("tar: You must specify one of the {MODE_LETTERS} options\n{TRY}");
                ctx.stderr.write_all(msg.as_bytes()).await?;
                Ok(2)
            }
            Some(Mode::Create) => create(ctx, o).await,
            Some(Mode::Append) => append(ctx, o).await,
            Some(_) => read_archive(ctx, o).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::fileutils::test_support::run_fs;
    use crate::testing::run_argv;

    #[tokio::test]
    async fn create_list_extract() {
        let files: &[(&str, &[u8])] = &[
            ("d/", b""),
            ("d/f", b"x\n"),
            ("d/e/", b""),
            ("d/e/g", b"y\n"),
        ];
        for flags in ["cf", "czf"] {
            let (c, fs) = run_fs(files, &["tar", flags, "a.tar", "d"], b"").await;
            assert_eq!((c.err(), c.status), (String::new(), 0));
            let list = if flags == "cf" { "tf" } else { "tzf" };
            let c = run_argv(fs.clone(), "/data", &["tar", list, "a.tar"], b"").await;
            assert_eq!(c.out(), "d/\nd/e/\nd/e/g\nd/f\n");
            let c = run_argv(fs.clone(), "/data", &["mkdir", "o"], b"").await;
            assert_eq!(c.status, 0);
            let x = if flags == "cf" { "-xf" } else { "-xzf" };
            let c = run_argv(
                fs.clone(),
                "/data",
                &["tar", x, "a.tar", "-C", "o", "d/e"],
                b"",
            )
            .await;
            assert_eq!((c.err(), c.status), (String::new(), 0));
            let c = run_argv(fs.clone(), "/data", &["cat", "o/d/e/g"], b"").await;
            assert_eq!(c.out(), "y\n");
        }
    }
}
