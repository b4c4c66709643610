//! `dos2unix` and `unix2dos` (the Debian `dos2unix` 7.4 package's tools): convert line breaks
//! in place (old-file mode), to a new file (`-n IN OUT`), or stdin to stdout.
//!
//! dos2unix turns CR LF into LF (a lone CR stays) and drops a UTF-8 byte order mark;
//! unix2dos turns a bare LF into CR LF and keeps the mark. A control character other than
//! TAB, LF, CR and FF makes the file binary: it is skipped unless `-f`. Options and files are
//! handled in command-line order, as the real tools do. Converted data streams into a
//! temporary file beside the target, which then replaces it.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use mirage_core::{
    ByteStream, Command, CommandContext, CommandResult, FsError, Reader, VPath, WriteMode,
    async_trait,
};
use tokio::io::AsyncBufReadExt;

use crate::commands::common::{print_version, take_stdin, unsupported};

pub struct Dos2Unix {
    pub to_dos: bool,
}

/// Conversion state carried across chunks.
struct Converter {
    to_dos: bool,
    force: bool,
    remove_bom: bool,
    /// Bytes seen so far (for the byte order mark at the start).
    seen: u64,
    /// dos2unix: a CR waiting to see whether an LF follows.
    pending_cr: bool,
    /// unix2dos: the previous byte was a CR.
    prev_cr: bool,
    line: u64,
    /// The control byte that made the input binary.
    binary: Option<u8>,
}

impl Converter {
    /// Converts `data` (a chunk of input) into `out`; stops at a binary byte unless forced.
    fn convert(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        if self.seen == 0 && self.remove_bom && data.starts_with(b"\xef\xbb\xbf") {
            data = &data[3..];
            self.seen = 3;
        }
        for &b in data {
            self.seen += 1;
            if !self.force && b < 32 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) {
                self.binary = Some(b);
                return;
            }
            if self.to_dos {
                if b == b'\n' {
                    if !self.prev_cr {
                        out.push(b'\r');
                    }
                    self.line += 1;
                }
                out.push(b);
                self.prev_cr = b == b'\r';
                continue;
            }
            match b {
                b'\r' => {
                    if self.pending_cr {
                        out.push(b'\r');
                    }
                    self.pending_cr = true;
                }
                b'\n' => {
                    self.pending_cr = false;
                    self.line += 1;
                    out.push(b'\n');
                }
                _ => {
                    if self.pending_cr {
                        out.push(b'\r');
                        self.pending_cr = false;
                    }
                    out.push(b);
                }
            }
        }
    }

    /// What is left at the end of input.
    fn finish(&mut self, out: &mut Vec<u8>) {
        if self.pending_cr && self.binary.is_none() {
            out.push(b'\r');
            self.pending_cr = false;
        }
    }
}

/// How a conversion ended.
#[derive(Default)]
struct Outcome {
    binary: Option<(u8, u64)>,
    partial: Vec<u8>,
    read_error: Option<FsError>,
}

struct Job {
    reader: Reader,
    conv: Converter,
    /// A first chunk is held back until it has 3 bytes (for the byte order mark).
    head: Vec<u8>,
    done: bool,
    outcome: Arc<Mutex<Outcome>>,
}

impl Job {
    /// The next converted chunk; `None` at the end; `Some(Err)` stops a file write.
    async fn next(&mut self) -> Option<Result<Vec<u8>, FsError>> {
        loop {
            if self.done {
                return None;
            }
            let chunk = match self.reader.fill_buf().await {
                Ok(c) => c.to_vec(),
                Err(e) => {
                    self.done = true;
                    let e = FsError::from(e);
                    if let Ok(mut o) = self.outcome.lock() {
                        o.read_error = Some(e.clone());
                    }
                    return Some(Err(e));
                }
            };
            self.reader.as_mut().consume(chunk.len());
            let at_end = chunk.is_empty();
            let mut input = std::mem::take(&mut self.head);
            input.extend_from_slice(&chunk);
            if self.conv.seen == 0 && input.len() < 3 && !at_end {
                self.head = input;
                continue;
            }
            let mut out = Vec::with_capacity(input.len() + input.len() / 8);
            self.conv.convert(&input, &mut out);
            if let Some(b) = self.conv.binary {
                self.done = true;
                if let Ok(mut o) = self.outcome.lock() {
                    o.binary = Some((b, self.conv.line + 1));
                    // Stdin keeps what was converted before the binary byte.
                    o.partial = out;
                }
                // A file write fails, so the file stays as it was.
                return Some(Err(FsError::new(mirage_core::ErrorKind::InvalidInput)));
            }
            if at_end {
                self.done = true;
                self.conv.finish(&mut out);
            }
            if !out.is_empty() {
                return Some(Ok(out));
            }
        }
    }
}

fn job_stream(job: Job) -> ByteStream {
    Box::pin(futures::stream::unfold(job, |mut job| async move {
        let item = job.next().await?;
        Some((item.map(Bytes::from), job))
    }))
}

struct Settings {
    to_dos: bool,
    quiet: bool,
    force: bool,
    remove_bom: bool,
}

impl Settings {
    fn converter(&self) -> Converter {
        Converter {
            to_dos: self.to_dos,
            force: self.force,
            remove_bom: self.remove_bom,
            seen: 0,
            pending_cr: false,
            prev_cr: false,
            line: 0,
            binary: None,
        }
    }

    fn format(&self) -> &'static str {
        if self.to_dos { "DOS" } else { "Unix" }
    }
}

/// Prints `NAME: message` unless quiet.
async fn say(ctx: &mut CommandContext, s: &Settings, msg: String) -> std::io::Result<()> {
    if s.quiet {
        return Ok(());
    }
    ctx.error(msg).await
}

/// Converts stdin to stdout; returns the status.
async fn convert_stdin(ctx: &mut CommandContext, s: &Settings) -> std::io::Result<i32> {
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let mut job = Job {
        reader: take_stdin(ctx),
        conv: s.converter(),
        head: Vec::new(),
        done: false,
        outcome: outcome.clone(),
    };
    while let Some(item) = job.next().await {
        if let Ok(out) = item {
            ctx.stdout.write_all(&out).await?;
        }
    }
    let o = outcome
        .lock()
        .map(|mut o| std::mem::take(&mut *o))
        .unwrap_or_default();
    ctx.stdout.write_all(&o.partial).await?;
    ctx.stdout.flush().await?;
    if let Some((b, line)) = o.binary {
        say(
            ctx,
            s,
            format!("Binary symbol 0x{b:02X} found at line {line}"),
        )
        .await?;
        say(ctx, s, "Skipping binary file stdin".to_string()).await?;
        return Ok(1);
    }
    if let Some(e) = o.read_error {
        ctx.error(format!("stdin: {e}")).await?;
        return Ok(1);
    }
    Ok(0)
}

/// Converts `input` into `output` (the same file in old-file mode); returns the status.
async fn convert_file(
    ctx: &mut CommandContext,
    s: &Settings,
    input: &str,
    output: Option<&str>,
) -> std::io::Result<i32> {
    let in_path = ctx.path(input);
    let skipping = format!("Skipping {input}, not a regular file.");
    match ctx.fs.stat(&in_path).await {
        Ok(st) if st.is_file() => {}
        Ok(_) => {
            say(ctx, s, skipping).await?;
            return Ok(0);
        }
        Err(e) => {
            say(ctx, s, format!("{input}: {e}")).await?;
            say(ctx, s, skipping).await?;
            return Ok(if s.quiet { 0 } else { 2 });
        }
    }
    let reader = match ctx.fs.open(&in_path).await {
        Ok(r) => r,
        Err(e) => {
            say(ctx, s, format!("{input}: {e}")).await?;
            return Ok(if s.quiet { 0 } else { 2 });
        }
    };
    let out_name = output.unwrap_or(input);
    let out_path = ctx.path(out_name);
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let job = Job {
        reader,
        conv: s.converter(),
        head: Vec::new(),
        done: false,
        outcome: outcome.clone(),
    };
    let temp = temp_path(&out_path);
    let written = ctx
        .fs
        .write(&temp, job_stream(job), WriteMode::Truncate)
        .await;
    let o = outcome
        .lock()
        .map(|mut o| std::mem::take(&mut *o))
        .unwrap_or_default();
    if let Some((b, line)) = o.binary {
        let _ = ctx.fs.remove_file(&temp).await;
        say(
            ctx,
            s,
            format!("Binary symbol 0x{b:02X} found at line {line}"),
        )
        .await?;
        say(ctx, s, format!("Skipping binary file {input}")).await?;
        return Ok(0);
    }
    let moved = match written {
        Ok(_) => ctx.fs.rename(&temp, &out_path).await,
        Err(e) => Err(e),
    };
    if let Err(e) = moved {
        let _ = ctx.fs.remove_file(&temp).await;
        let what = match output {
            Some(o) => format!("file {input} to file {o}"),
            None => format!("file {input}"),
        };
        ctx.error(format!("problems converting {what}: {e}"))
            .await?;
        return Ok(1);
    }
    let msg = match output {
        Some(o) => format!(
            "converting file {input} to file {o} in {} format...",
            s.format()
        ),
        None => format!("converting file {input} to {} format...", s.format()),
    };
    say(ctx, s, msg).await?;
    Ok(0)
}

/// A temporary name beside `path`.
fn temp_path(path: &VPath) -> VPath {
    let base = path.as_str().rsplit('/').next().unwrap_or("file");
    path.parent().join(&format!(".{base}.mirage-d2u"))
}

#[async_trait]
impl Command for Dos2Unix {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut s = Settings {
            to_dos: self.to_dos,
            quiet: false,
            force: false,
            remove_bom: !self.to_dos,
        };
        // First pass: options that change the whole run, and refusals.
        let mut any_file = false;
        let mut options_done = false;
        for arg in &args {
            if options_done || !arg.starts_with('-') || arg == "-" {
                any_file = true;
                continue;
            }
            match arg.as_str() {
                "--" => options_done = true,
                "-V" | "--version" => {
                    if let Some(status) = print_version(ctx).await? {
                        return Ok(status);
                    }
                }
                "-q" | "--quiet" => s.quiet = true,
                // For standard input the last of these wins; files take them in order below.
                "-f" | "--force" if !any_file => s.force = true,
                "-s" | "--safe" if !any_file => s.force = false,
                "-r" | "--remove-bom" if !any_file => s.remove_bom = true,
                "-b" | "--keep-bom" if !any_file => s.remove_bom = false,
                "-n" | "--newfile" | "-o" | "--oldfile" | "-f" | "--force" | "-s" | "--safe"
                | "-r" | "--remove-bom" | "-b" | "--keep-bom" | "-ascii" | "-S"
                | "--skip-symlink" | "--allow-chown" | "--no-allow-chown" => {}
                other => return unsupported(ctx, other).await,
            }
        }
        if !any_file {
            return convert_stdin(ctx, &s).await;
        }
        s.force = false;
        s.remove_bom = !self.to_dos;
        let mut status = 0;
        let mut newfile = false;
        let mut options_done = false;
        let mut pending_in: Option<String> = None;
        for arg in &args {
            if !options_done && arg.starts_with('-') && arg != "-" {
                match arg.as_str() {
                    "--" => options_done = true,
                    "-n" | "--newfile" => newfile = true,
                    "-o" | "--oldfile" => newfile = false,
                    "-f" | "--force" => s.force = true,
                    "-s" | "--safe" => s.force = false,
                    "-r" | "--remove-bom" => s.remove_bom = true,
                    "-b" | "--keep-bom" => s.remove_bom = false,
                    _ => {}
                }
                continue;
            }
            if arg == "-" {
                return unsupported(ctx, "- (as a file name)").await;
            }
            if newfile {
                match pending_in.take() {
                    None => pending_in = Some(arg.clone()),
                    Some(input) => {
                        let st = convert_file(ctx, &s, &input, Some(arg)).await?;
                        status = status.max(st);
                    }
                }
            } else {
                let st = convert_file(ctx, &s, arg, None).await?;
                status = status.max(st);
            }
        }
        if let Some(input) = pending_in {
            ctx.error(format!(
                "target of file {input} not specified in new-file mode"
            ))
            .await?;
            status = status.max(1);
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(to_dos: bool, chunks: &[&[u8]]) -> Vec<u8> {
        let s = Settings {
            to_dos,
            quiet: true,
            force: false,
            remove_bom: !to_dos,
        };
        let mut c = s.converter();
        let mut out = Vec::new();
        for ch in chunks {
            c.convert(ch, &mut out);
        }
        c.finish(&mut out);
        out
    }

    #[test]
    fn converts_across_chunks() {
        assert_eq!(run(false, &[b"a\r", b"\nb\r\r\n", b"c\r"]), b"a\nb\r\nc\r");
        assert_eq!(run(true, &[b"a\r", b"\nb\n"]), b"a\r\nb\r\n");
        assert_eq!(run(false, &[b"\xef\xbb\xbfx\r\n"]), b"x\n");
        assert_eq!(run(true, &[b"\xef\xbb\xbfx\n"]), b"\xef\xbb\xbfx\r\n");
    }
}
