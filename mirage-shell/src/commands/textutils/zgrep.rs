//! `zgrep`: grep through files that may be gzip-compressed, like GNU gzip's zgrep script: each
//! file is decompressed as a stream (plain files pass through, as with `gzip -cdfq`) and fed to
//! Mirage's own grep as stdin, labelled with the file name (`--label`, `-H` when there are
//! several files). `-l`/`-L` are answered by zgrep itself from grep's status, as the script does.
//! grep options that the script refuses (`-r -R -d -z -Z`, ...) are refused here too.

use std::io::Write;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::Bytes;
use flate2::write::GzDecoder;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, Output, Reader, stream_reader,
};
use tokio::io::AsyncBufReadExt;

use super::support::unsupported;

pub struct Zgrep;

const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// What gzip would complain about (it exits 1, which zgrep turns into 2).
#[derive(Clone, Copy)]
enum Problem {
    Eof,
    Format,
    Crc,
}

enum Mode {
    /// The first bytes, until the magic number decides.
    Start(Vec<u8>),
    Pass,
    Gzip(Box<GzDecoder<Vec<u8>>>),
    Between(Vec<u8>),
    /// After the end of the input.
    Ignore,
}

struct Decoder {
    mode: Mode,
}

impl Decoder {
    fn start_member(pending: &[u8]) -> Result<Mode, Problem> {
        let mut d = GzDecoder::new(Vec::new());
        d.write_all(pending).map_err(|_| Problem::Format)?;
        Ok(Mode::Gzip(Box::new(d)))
    }

    fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), Problem> {
        let mut buf = data;
        while !buf.is_empty() {
            match &mut self.mode {
                Mode::Start(p) | Mode::Between(p) => {
                    let take = (2 - p.len()).min(buf.len());
                    p.extend_from_slice(&buf[..take]);
                    buf = &buf[take..];
                    if p.len() < 2 {
                        continue;
                    }
                    let p = match &self.mode {
                        Mode::Start(p) | Mode::Between(p) => p.clone(),
                        _ => Vec::new(),
                    };
                    // Like `gzip -cdf`, data that is not gzip (at the start or after a
                    // member) is copied through unchanged.
                    self.mode = if p[..] == MAGIC {
                        Self::start_member(&p)?
                    } else {
                        out.extend_from_slice(&p);
                        Mode::Pass
                    };
                }
                Mode::Pass => {
                    out.extend_from_slice(buf);
                    buf = &[];
                }
                Mode::Ignore => buf = &[],
                Mode::Gzip(d) => {
                    let n = d.write(buf).map_err(|_| Problem::Format)?;
                    out.append(d.get_mut());
                    if n == 0 {
                        d.try_finish().map_err(|_| Problem::Crc)?;
                        out.append(d.get_mut());
                        self.mode = Mode::Between(Vec::new());
                    }
                    buf = &buf[n..];
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), Problem> {
        match std::mem::replace(&mut self.mode, Mode::Ignore) {
            Mode::Start(p) | Mode::Between(p) => out.extend_from_slice(&p),
            Mode::Gzip(mut d) => {
                d.try_finish().map_err(|_| Problem::Eof)?;
                out.append(d.get_mut());
            }
            _ => {}
        }
        Ok(())
    }
}

type Slot = Arc<Mutex<Option<Problem>>>;

/// The decompressed content of `reader` as a reader; a problem ends it early and is left in
/// the slot.
fn decompressed(reader: Reader, slot: Slot) -> Reader {
    struct State {
        reader: Reader,
        dec: Decoder,
        slot: Slot,
        done: bool,
    }
    let state = State {
        reader,
        dec: Decoder {
            mode: Mode::Start(Vec::new()),
        },
        slot,
        done: false,
    };
    let stream = futures::stream::unfold(state, |mut st| async move {
        while !st.done {
            let mut out = Vec::new();
            let step = match st.reader.fill_buf().await {
                Err(_) => {
                    st.done = true;
                    Ok(())
                }
                Ok([]) => {
                    st.done = true;
                    st.dec.finish(&mut out)
                }
                Ok(chunk) => {
                    let n = chunk.len();
                    let r = st.dec.feed(chunk, &mut out);
                    st.reader.consume(n);
                    r
                }
            };
            if let Err(p) = step {
                st.done = true;
                if let Ok(mut g) = st.slot.lock() {
                    *g = Some(p);
                }
            }
            if !out.is_empty() {
                return Some((Ok::<Bytes, FsError>(Bytes::from(out)), st));
            }
        }
        None
    });
    stream_reader(Box::pin(stream))
}

/// Short options of grep that take a value (the zgrep script's list).
fn takes_value(c: char) -> bool {
    "ABCDXdefm".contains(c)
}

struct Plan {
    grep_args: Vec<String>,
    files: Vec<String>,
    with_filename: bool,
    list: Option<bool>,
}

/// Splits the command line as the zgrep script does; `Err` names an option to refuse.
fn plan(args: &[String]) -> Result<Plan, String> {
    let mut grep_args = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    let mut have_pat = false;
    let mut with_filename = false;
    let mut no_filename = false;
    let mut list = None;
    let mut queue: std::collections::VecDeque<String> = args.iter().cloned().collect();
    while let Some(opt) = queue.pop_front() {
        if opt == "--" {
            break;
        }
        if opt.len() < 2 || !opt.starts_with('-') {
            operands.push(opt);
            continue;
        }
        let mut value = None;
        if let Some(long) = opt.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or("");
            for bad in [
                "di", "exc", "inc", "rec", "nu", "der", "help", "usage", "ver",
            ] {
                if name.starts_with(bad) || name == "file" {
                    return Err(opt.clone());
                }
            }
            let needs = [
                "regexp",
                "max-count",
                "after-context",
                "before-context",
                "context",
            ]
            .iter()
            .any(|n| n.starts_with(name) && name.len() >= 3)
                && !long.contains('=');
            if needs {
                let Some(v) = queue.pop_front() else {
                    return Err(opt.clone());
                };
                value = Some(v);
            }
            if "regexp".starts_with(name) && name.len() >= 3 {
                have_pat = true;
            }
            if "with-filename".starts_with(name) && name.len() >= 2 && name.starts_with("wi") {
                with_filename = true;
                continue;
            }
            if name.starts_with("files-with-m") || name == "files-with" {
                list = Some(true);
            }
            if name.starts_with("files-witho") {
                list = Some(false);
            }
            if name.starts_with("no-f") {
                no_filename = true;
            }
            if name.starts_with("label") || name.starts_with("color") || name.starts_with("colour")
            {
                return Err(opt.clone());
            }
            grep_args.push(opt);
            grep_args.extend(value);
            continue;
        }
        let chars: Vec<char> = opt.chars().skip(1).collect();
        let c = chars[0];
        if !takes_value(c) && chars.len() > 1 && !chars[1..].iter().all(|d| d.is_ascii_digit()) {
            // `-in` is `-i -n` (digits stay attached, as in `-C2`).
            let digits: String = chars[1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .collect();
            let rest: String = chars[1 + digits.len()..].iter().collect();
            queue.push_front(format!("-{rest}"));
            queue.push_front(format!("-{c}{digits}"));
            continue;
        }
        match c {
            'r' | 'R' | 'd' | 'z' | 'Z' | 'f' | 'V' | 'D' | 'U' | 'T' => return Err(opt.clone()),
            _ => {}
        }
        if takes_value(c) && chars.len() == 1 {
            let Some(v) = queue.pop_front() else {
                return Err(opt.clone());
            };
            value = Some(v);
        }
        match c {
            'e' => have_pat = true,
            'H' => {
                with_filename = true;
                continue;
            }
            'l' => list = Some(true),
            'L' => list = Some(false),
            'h' => no_filename = true,
            _ => {}
        }
        grep_args.push(opt);
        grep_args.extend(value);
    }
    operands.extend(queue);
    let mut files = operands;
    if !have_pat {
        if files.is_empty() {
            return Err("missing pattern".into());
        }
        let pat = files.remove(0);
        grep_args.push("--".into());
        grep_args.push(pat);
    }
    if files.is_empty() {
        files.push("-".into());
    } else if files.len() > 1 && !no_filename {
        with_filename = true;
    }
    Ok(Plan {
        grep_args,
        files,
        with_filename,
        list,
    })
}

#[async_trait]
impl Command for Zgrep {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let plan = match plan(&args) {
            Ok(p) => p,
            Err(opt) if opt == "missing pattern" => {
                ctx.error("missing pattern; try `zgrep --help' for help")
                    .await?;
                return Ok(2);
            }
            Err(opt) => return unsupported(ctx, &opt).await,
        };
        let Some(grep) = ctx.commands.resolve("grep", None, None) else {
            ctx.error("grep: command not found").await?;
            return Ok(2);
        };
        let mut res = 1;
        for file in &plan.files {
            let slot: Slot = Arc::new(Mutex::new(None));
            let mut gzip_status = 0;
            let input: Reader = if file == "-" {
                let stdin = std::mem::replace(&mut ctx.stdin, Box::pin(tokio::io::empty()));
                decompressed(stdin, slot.clone())
            } else {
                let path = ctx.path(file);
                match ctx.fs.open(&path).await {
                    Ok(r) => decompressed(r, slot.clone()),
                    Err(e) if e.kind == ErrorKind::IsADirectory => Box::pin(tokio::io::empty()),
                    Err(e) => {
                        let shown = if file.ends_with(".gz") {
                            file.clone()
                        } else {
                            format!("{file}.gz")
                        };
                        let shown = if e.kind == ErrorKind::NotFound {
                            shown
                        } else {
                            file.clone()
                        };
                        ctx.stderr
                            .write_all(format!("gzip: {shown}: {e}\n").as_bytes())
                            .await?;
                        gzip_status = 2;
                        Box::pin(tokio::io::empty())
                    }
                }
            };
            let mut args = Vec::new();
            if plan.with_filename {
                args.push("-H".to_string());
            }
            if file != "-" {
                args.push("--label".to_string());
                args.push(file.clone());
            }
            args.extend(plan.grep_args.iter().cloned());
            let saved_stdin = std::mem::replace(&mut ctx.stdin, input);
            let mut r = if plan.list.is_some() {
                let real = std::mem::replace(&mut ctx.stdout, Output::sink());
                let s = crate::exec::run_child(ctx, grep.clone(), "grep".into(), args, true, None)
                    .await;
                ctx.stdout = real;
                s
            } else {
                crate::exec::run_child(ctx, grep.clone(), "grep".into(), args, true, None).await
            };
            ctx.stdin = saved_stdin;
            if let Some(p) = slot.lock().ok().and_then(|mut g| g.take()) {
                let what = match p {
                    Problem::Eof => "unexpected end of file",
                    Problem::Format => "invalid compressed data--format violated",
                    Problem::Crc => "invalid compressed data--crc error",
                };
                let name = if file == "-" { "stdin" } else { file.as_str() };
                ctx.stderr
                    .write_all(format!("\ngzip: {name}: {what}\n").as_bytes())
                    .await?;
                gzip_status = 2;
            }
            match plan.list {
                Some(true) if r == 0 => {
                    ctx.stdout.write_all(format!("{file}\n").as_bytes()).await?;
                }
                Some(false) if r == 1 => {
                    ctx.stdout.write_all(format!("{file}\n").as_bytes()).await?;
                }
                _ => {}
            }
            if r < gzip_status {
                r = gzip_status;
            }
            if r <= 1 && res <= 1 {
                if r < res {
                    res = r;
                }
            } else if res < r {
                res = r;
            }
            if res >= 126 {
                break;
            }
        }
        Ok(res)
    }
}
