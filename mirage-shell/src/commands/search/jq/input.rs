//! jq's input, read as it arrives.
//!
//! The command reads stdin or the input files in chunks (`feed`) and sends them over a bounded
//! channel to the thread running the program, where a `Source` hands out one value (or one raw
//! line) at a time. Nothing is read further ahead than the channel holds plus the rest of the
//! current line, so `jq -c .x huge.jsonl | head -1` stops after the first chunks and memory
//! stays flat. jq reads all files as one stream: a value may start in one file and end in the
//! next, while error locations count lines within the file where a value ended.

use std::cell::Cell;
use std::sync::Arc;

use jaq_json::Val;
use mirage_core::{MountTable, Reader, VPath};
use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::mpsc::{Receiver, Sender};

use super::parse::{BOM, Incremental};
use super::program::SIDE;

/// The most bytes one message carries.
const CHUNK: usize = 64 * 1024;

/// How many messages may wait in the channel.
pub const DEPTH: usize = 4;

/// What the command sends the program's thread, in input order.
pub enum Feed {
    /// The next input starts; its name is used in locations.
    Start(String),
    Data(Vec<u8>),
    /// A message for stderr at this point of the stream (an input that could not be read);
    /// the exit status becomes 2. An empty message only sets the status. With a name, the
    /// input could not be opened (jq still takes it as the current input).
    Failed(String, Option<String>),
    End,
}

/// Where the command's side reads from.
pub struct Inputs {
    pub files: Vec<String>,
    pub stdin: Reader,
    pub fs: Arc<MountTable>,
    pub cwd: VPath,
}

/// Sends every input in order, then `End`. Stops quietly when the program's thread goes away
/// (it finished, or its output was closed).
pub async fn feed(inputs: Inputs, tx: Sender<Feed>) {
    let _ = feed_all(inputs, &tx).await;
}

/// The receiver went away.
struct Gone;

async fn send(tx: &Sender<Feed>, msg: Feed) -> Result<(), Gone> {
    tx.send(msg).await.map_err(|_| Gone)
}

async fn feed_all(inputs: Inputs, tx: &Sender<Feed>) -> Result<(), Gone> {
    let Inputs {
        files,
        stdin,
        fs,
        cwd,
    } = inputs;
    let mut stdin = Some(stdin);
    if files.is_empty() {
        send(tx, Feed::Start("<stdin>".to_string())).await?;
        if let Some(r) = stdin {
            pump(r, "<stdin>", tx).await?;
        }
        return send(tx, Feed::End).await;
    }
    let count = files.len();
    for (i, file) in files.iter().enumerate() {
        let path = cwd.join(file);
        if file == "-" || path.as_str() == "/dev/stdin" {
            let name = if file == "-" {
                "<stdin>"
            } else {
                file.as_str()
            };
            send(tx, Feed::Start(name.to_string())).await?;
            if let Some(r) = stdin.take() {
                pump(r, file, tx).await?;
            }
            continue;
        }
        if path.as_str() == "/dev/null" {
            send(tx, Feed::Start(file.clone())).await?;
            continue;
        }
        if fs.stat(&path).await.is_ok_and(|s| s.is_dir()) {
            // jq 1.6 notices the failed read of a directory only when it moves on to the
            // next input.
            let msg = if i + 1 < count {
                "Input error: Is a directory\n"
            } else {
                ""
            };
            send(tx, Feed::Failed(msg.to_string(), Some(file.clone()))).await?;
            continue;
        }
        match fs.open(&path).await {
            Ok(r) => {
                send(tx, Feed::Start(file.clone())).await?;
                pump(r, file, tx).await?;
            }
            Err(e) => {
                let msg = format!("jq: error: Could not open file {file}: {e}\n");
                send(tx, Feed::Failed(msg, Some(file.clone()))).await?;
            }
        }
    }
    send(tx, Feed::End).await
}

/// Sends one input's bytes in chunks as they become available.
async fn pump(mut r: Reader, name: &str, tx: &Sender<Feed>) -> Result<(), Gone> {
    loop {
        let chunk = match r.fill_buf().await {
            Ok([]) => return Ok(()),
            Ok(buf) => buf[..buf.len().min(CHUNK)].to_vec(),
            Err(e) => {
                let msg = format!("jq: error: Could not read {name}: {e}\n");
                return send(tx, Feed::Failed(msg, None)).await;
            }
        };
        r.as_mut().consume(chunk.len());
        send(tx, Feed::Data(chunk)).await?;
    }
}

/// The program's side: the input as values or lines, with jq's locations.
pub struct Source {
    rx: Receiver<Feed>,
    flush: Box<dyn Fn(bool)>,
    /// Bytes of the current input not yet thrown away; `pos` is where reading got to.
    buf: Vec<u8>,
    pos: usize,
    /// Offset of `buf[0]` within the current input.
    base: usize,
    /// The input the buffered bytes belong to (the last one that had any data).
    name: Option<std::rc::Rc<str>>,
    /// An input that started but has sent no data yet.
    pending: Option<String>,
    /// The input jq would be reading last: (name, whether it is the one holding `buf`).
    last: Option<(std::rc::Rc<str>, bool)>,
    /// The last byte read was a newline.
    ends_newline: bool,
    /// Keep the location at the end of the input (`-s`): jq reads no further there.
    pub keep_end: bool,
    /// Newlines of the current input before offset `counted`, and where the line after the
    /// last of them starts.
    lines: usize,
    counted: usize,
    line_start: usize,
    /// Offset up to which NUL bytes have been dealt with.
    nul_checked: usize,
    /// A message read while looking ahead within an input, kept for later.
    held: Option<Feed>,
    /// No more input (`End`, or the command went away).
    finished: bool,
    bom_checked: bool,
    parser: Incremental,
    /// The parser met an error; nothing more is read.
    parse_failed: bool,
    /// An input could not be read (exit status 2).
    pub failed: std::rc::Rc<Cell<bool>>,
}

impl Source {
    /// `flush` sends pending output: with `true` before the source waits for the command to
    /// read more input, with `false` (only if it has waited too long) before each value.
    pub fn new(rx: Receiver<Feed>, flush: Box<dyn Fn(bool)>) -> Self {
        Source {
            rx,
            flush,
            buf: Vec::new(),
            pos: 0,
            base: 0,
            name: None,
            pending: None,
            last: None,
            ends_newline: false,
            keep_end: false,
            lines: 0,
            counted: 0,
            line_start: 0,
            nul_checked: 0,
            held: None,
            finished: false,
            bom_checked: false,
            parser: Incremental::default(),
            parse_failed: false,
            failed: Default::default(),
        }
    }

    fn message(&mut self) -> Option<Feed> {
        if let Some(m) = self.held.take() {
            return Some(m);
        }
        if self.finished {
            return None;
        }
        match self.rx.try_recv() {
            Ok(m) => Some(m),
            Err(TryRecvError::Empty) => {
                (self.flush)(true);
                self.rx.blocking_recv()
            }
            Err(TryRecvError::Disconnected) => None,
        }
    }

    /// Reads more bytes into the buffer. With `within`, only bytes of the current input
    /// (false at its end); otherwise moving on to the next inputs as needed (false at the end
    /// of all input).
    fn pull(&mut self, within: bool) -> bool {
        loop {
            let Some(msg) = self.message() else {
                self.finished = true;
                return false;
            };
            match msg {
                Feed::Data(d) if d.is_empty() => {}
                Feed::Data(d) => {
                    self.ends_newline = d.last() == Some(&b'\n');
                    if let Some(name) = self.pending.take() {
                        // A new input: everything of the previous one has been read.
                        let name: std::rc::Rc<str> = name.into();
                        self.last = Some((name.clone(), true));
                        self.name = Some(name);
                        self.buf = d;
                        self.pos = 0;
                        self.base = 0;
                        self.lines = 0;
                        self.counted = 0;
                        self.line_start = 0;
                        self.nul_checked = 0;
                    } else {
                        self.compact();
                        self.buf.extend_from_slice(&d);
                    }
                    return true;
                }
                other if within => {
                    self.held = Some(other);
                    return false;
                }
                Feed::Start(name) => {
                    self.last = Some((name.as_str().into(), false));
                    self.pending = Some(name);
                }
                Feed::Failed(msg, name) => {
                    if let Some(name) = name {
                        self.last = Some((name.as_str().into(), false));
                    }
                    self.failed.set(true);
                    SIDE.with(|s| s.borrow_mut().stderr.extend_from_slice(msg.as_bytes()));
                }
                Feed::End => {
                    self.finished = true;
                    return false;
                }
            }
        }
    }

    /// Drops the bytes already read, counting their newlines first.
    fn compact(&mut self) {
        self.count_to(self.pos);
        self.nul_checked = self.nul_checked.max(self.base + self.pos);
        self.buf.drain(..self.pos);
        self.base += self.pos;
        self.pos = 0;
    }

    /// Counts newlines up to buffer index `idx`.
    fn count_to(&mut self, idx: usize) {
        let from = self.counted - self.base;
        if idx > from {
            let part = &self.buf[from..idx];
            if let Some(last) = memchr::memrchr(b'\n', part) {
                self.lines += memchr::memchr_iter(b'\n', part).count();
                self.line_start = self.base + from + last + 1;
            }
            self.counted = self.base + idx;
        }
    }

    /// Records the location of a value that ended at buffer index `end`. jq reads its input
    /// with `fgets` into a buffer of 4096 bytes, so in pieces that end after a newline or
    /// after 4095 bytes, and counts a line when a piece ends with a newline: the location is
    /// the number of lines in the pieces read up to the one where the value ended.
    fn locate(&mut self, end: usize) {
        const PIECE: usize = 4095;
        let at = (self.base + end).saturating_sub(1);
        if at >= self.counted {
            self.count_to(at - self.base);
            let piece_end = self.line_start + PIECE * ((at - self.line_start) / PIECE + 1);
            loop {
                let from = at.max(self.counted) - self.base;
                let limit = (piece_end - self.base).min(self.buf.len());
                if let Some(i) = memchr::memchr(b'\n', &self.buf[from..limit]) {
                    self.count_to(from + i + 1);
                    break;
                }
                if self.base + self.buf.len() >= piece_end || !self.pull(true) {
                    break;
                }
            }
        }
        self.publish();
    }

    /// Records the location past the last input. jq has moved on to the last input it
    /// opened (even one it could not open or that was empty); when that one did not end with
    /// a newline, jq closed it looking for more and no longer knows where it is.
    fn locate_end(&mut self) {
        match self.last.clone() {
            None => {}
            Some((_, true)) => {
                if self.ends_newline || self.keep_end {
                    self.count_to(self.buf.len());
                    self.publish();
                } else {
                    SIDE.with(|s| s.borrow_mut().location = None);
                }
            }
            Some((name, false)) => {
                SIDE.with(|s| s.borrow_mut().location = Some((name, 0)));
            }
        }
    }

    /// Records the location of what the end of the input completes: jq is still at the last
    /// input it opened.
    fn locate_final(&mut self) {
        match self.last.clone() {
            None => {}
            Some((_, true)) => {
                self.count_to(self.buf.len());
                self.publish();
            }
            Some((name, false)) => {
                SIDE.with(|s| s.borrow_mut().location = Some((name, 0)));
            }
        }
    }

    fn publish(&self) {
        let Some(name) = &self.name else {
            return;
        };
        let loc = (name.clone(), self.lines);
        SIDE.with(|s| s.borrow_mut().location = Some(loc));
    }

    /// jq 1.6 reads its input with `fgets` and takes a piece without a newline (the last
    /// line of an input) as a C string: from a NUL on, that line is dropped. Moves
    /// `nul_checked` past the read position.
    fn nul_rule(&mut self) {
        let start = self.nul_checked.max(self.base + self.pos);
        let Some(i) = memchr::memchr(0, &self.buf[start - self.base..]) else {
            self.nul_checked = self.base + self.buf.len();
            return;
        };
        let nul = start + i;
        let mut search = nul;
        loop {
            if let Some(j) = memchr::memchr(b'\n', &self.buf[search - self.base..]) {
                // A newline follows: the line is read as it is, NULs and all.
                self.nul_checked = search + j + 1;
                return;
            }
            search = self.base + self.buf.len();
            if !self.pull(true) {
                self.buf.truncate(nul - self.base);
                self.nul_checked = self.base + self.buf.len();
                return;
            }
        }
    }

    /// Skips a byte order mark at the very start of the input.
    fn skip_bom(&mut self) {
        while self.buf.len() - self.pos < BOM.len() && self.pull(true) {}
        if self.buf[self.pos..].starts_with(BOM) {
            self.pos += BOM.len();
        }
        self.bom_checked = true;
    }

    /// jq 1.6 stops slurping once its input is used up, even when the last character
    /// completed two `--stream` events: the second one is left over.
    pub fn slurp_stops(&mut self) -> bool {
        self.parser.has_events() && self.pos == self.buf.len() && !self.pull(true)
    }

    /// Makes `next_value` hand out `--stream` events.
    pub fn set_stream(&mut self) {
        self.parser = super::parse::Incremental::streaming();
    }

    /// The next JSON value, `None` at the end, or jq's parse error.
    pub fn next_value(&mut self) -> Option<Result<Val, String>> {
        if self.parse_failed {
            return None;
        }
        (self.flush)(false);
        loop {
            if self.pos < self.buf.len() {
                if !self.bom_checked {
                    self.skip_bom();
                }
                if self.nul_checked < self.base + self.buf.len() {
                    self.nul_rule();
                }
                let limit = (self.nul_checked - self.base).min(self.buf.len());
                let (used, r) = self.parser.scan_piece(&self.buf[self.pos..limit]);
                self.pos += used;
                if let Some(r) = r {
                    match r {
                        Ok(_) => self.locate(self.pos),
                        Err(_) => {
                            self.parse_failed = true;
                            self.locate(self.pos);
                        }
                    }
                    return Some(r);
                }
                if self.pos < self.buf.len() {
                    continue;
                }
            }
            if !self.pull(false) {
                // `--stream` events the last character completed come first.
                if let (_, Some(r)) = self.parser.scan_piece(&[]) {
                    self.locate_final();
                    return Some(r);
                }
                let r = self.parser.finish();
                match &r {
                    Some(Ok(_)) => self.locate_final(),
                    None => self.locate_end(),
                    Some(Err(_)) => {
                        self.parse_failed = true;
                        self.locate_final();
                    }
                }
                return r;
            }
        }
    }

    /// The next raw line (without its newline), `None` at the end. A last line without a
    /// newline continues into the next input, as jq reads files as one stream.
    pub fn next_line(&mut self) -> Option<Vec<u8>> {
        (self.flush)(false);
        let mut line = Vec::new();
        let mut have = false;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.pos..]) {
                line.extend_from_slice(&self.buf[self.pos..self.pos + i]);
                self.pos += i + 1;
                self.locate(self.pos);
                return Some(line);
            }
            if self.pos < self.buf.len() {
                line.extend_from_slice(&self.buf[self.pos..]);
                self.pos = self.buf.len();
                have = true;
            }
            if !self.pull(false) {
                if have {
                    self.locate_final();
                    return Some(line);
                }
                self.locate_end();
                return None;
            }
        }
    }

    /// All remaining bytes (`-R -s`).
    pub fn rest(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        loop {
            all.extend_from_slice(&self.buf[self.pos..]);
            self.pos = self.buf.len();
            if !self.pull(false) {
                self.locate_end();
                return all;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Feed, Source};

    /// Sends `inputs` (name, bytes) in chunks of `size` bytes and reads them back.
    fn read(inputs: &[(&str, &[u8])], size: usize, raw: bool) -> Vec<String> {
        read_as(inputs, size, raw, false)
    }

    fn read_as(inputs: &[(&str, &[u8])], size: usize, raw: bool, stream: bool) -> Vec<String> {
        let (tx, rx) = tokio::sync::mpsc::channel(1 << 16);
        for (name, data) in inputs {
            tx.try_send(Feed::Start(name.to_string())).ok();
            for piece in data.chunks(size) {
                tx.try_send(Feed::Data(piece.to_vec())).ok();
            }
        }
        tx.try_send(Feed::End).ok();
        let mut source = Source::new(rx, Box::new(|_| {}));
        if stream {
            source.set_stream();
        }
        let mut out = Vec::new();
        loop {
            let item = if raw {
                source
                    .next_line()
                    .map(|l| Ok(String::from_utf8_lossy(&l).into_owned()))
            } else {
                source.next_value().map(|r| r.map(|v| v.to_string()))
            };
            let Some(item) = item else {
                break;
            };
            let loc = super::SIDE.with(|s| {
                s.borrow()
                    .location
                    .as_ref()
                    .map_or("?".to_string(), |(n, l)| format!("{n}:{l}"))
            });
            out.push(format!("{item:?} @{loc}"));
        }
        out
    }

    #[test]
    fn chunk_boundaries_change_nothing() {
        let json: &[(&str, &[u8])] = &[
            (
                "a",
                b"\xEF\xBB\xBF{\"k\": [1, 2.5e3, \"x\\u00e9\\\"y\"]}\n  12345 true\n\n",
            ),
            ("b", b"[null,\n{\"z\":\"\xff\"}] 7"),
            ("c", b"\n\"s\\n\" 1\x002\n"),
        ];
        let whole = read(json, usize::MAX, false);
        assert_eq!(whole.len(), 7, "{whole:?}");
        for size in [1, 2, 3, 5, 7] {
            assert_eq!(read(json, size, false), whole, "chunks of {size}");
        }
        let whole = read_as(json, usize::MAX, false, true);
        assert_eq!(whole.len(), 14, "{whole:?}");
        for size in [1, 2, 3] {
            assert_eq!(
                read_as(json, size, false, true),
                whole,
                "stream chunks of {size}"
            );
        }
        let raw: &[(&str, &[u8])] = &[("a", b"one\ntw"), ("b", b"o\n\nthree")];
        let whole = read(raw, usize::MAX, true);
        assert_eq!(whole.len(), 4, "{whole:?}");
        for size in [1, 2, 3] {
            assert_eq!(read(raw, size, true), whole, "raw chunks of {size}");
        }
    }
}
