//! Streaming gzip compression and decompression for `gzip`, `gunzip`, `zcat` and `tar -z`.
//! flate2's codecs are synchronous `Write`rs; these wrappers feed them chunk by chunk and turn
//! a `Reader` into a `ByteStream` of the transformed bytes, so nothing holds a whole file.
//! Decompression handles concatenated members and notices trailing garbage as GNU gzip does.

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use flate2::write::{GzDecoder, GzEncoder};
use flate2::{Compression, GzBuilder};
use mirage_core::{ByteStream, ErrorKind, FsError, Reader};
use tokio::io::AsyncBufReadExt;

/// What went wrong (or is worth a warning) while transforming a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    NotGzip,
    UnexpectedEof,
    Crc,
    Format,
    /// Not fatal: the data before it was fine.
    TrailingGarbage,
    Read(FsError),
}

impl Problem {
    /// GNU gzip's text after `gzip: NAME: ` (with its leading newline where gzip prints one).
    pub fn message(&self, name: &str) -> String {
        match self {
            Problem::NotGzip => format!("\ngzip: {name}: not in gzip format\n"),
            Problem::UnexpectedEof => format!("\ngzip: {name}: unexpected end of file\n"),
            Problem::Crc => format!("\ngzip: {name}: invalid compressed data--crc error\n"),
            Problem::Format => {
                format!("\ngzip: {name}: invalid compressed data--format violated\n")
            }
            Problem::TrailingGarbage => {
                format!("\ngzip: {name}: decompression OK, trailing garbage ignored\n")
            }
            Problem::Read(e) => format!("gzip: {name}: {e}\n"),
        }
    }
}

/// A chunk-at-a-time byte transformation.
pub trait Codec: Send {
    fn feed(&mut self, data: &[u8]) -> Result<Vec<u8>, Problem>;
    fn finish(&mut self) -> Result<Vec<u8>, Problem>;
}

/// gzip compression. `name`/`mtime` go into the header as GNU gzip stores them.
pub struct Compress {
    enc: Option<GzEncoder<Vec<u8>>>,
}

impl Compress {
    pub fn new(level: u32, name: Option<&str>, mtime: u32) -> Self {
        let mut b = GzBuilder::new().mtime(mtime).operating_system(3);
        if let Some(n) = name {
            b = b.filename(n.as_bytes());
        }
        Compress {
            enc: Some(b.write(Vec::new(), Compression::new(level))),
        }
    }
}

impl Codec for Compress {
    fn feed(&mut self, data: &[u8]) -> Result<Vec<u8>, Problem> {
        let Some(enc) = self.enc.as_mut() else {
            return Ok(Vec::new());
        };
        enc.write_all(data).map_err(|_| Problem::Format)?;
        Ok(std::mem::take(enc.get_mut()))
    }

    fn finish(&mut self) -> Result<Vec<u8>, Problem> {
        match self.enc.take() {
            Some(enc) => enc.finish().map_err(|_| Problem::Format),
            None => Ok(Vec::new()),
        }
    }
}

/// gzip decompression of one or more concatenated members.
#[derive(Default)]
pub struct Decompress {
    dec: Option<GzDecoder<Vec<u8>>>,
    /// Bytes of a possible next member's magic, when a chunk ended inside it.
    pending: Vec<u8>,
    members: u64,
    /// Trailing garbage was seen: the rest of the input is ignored.
    ignoring: bool,
    pub warning: Option<Problem>,
}

const MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Decompress {
    /// Starts a member once two magic bytes are known; false when more input is needed.
    fn start_member(&mut self, buf: &mut &[u8]) -> Result<bool, Problem> {
        let need = 2 - self.pending.len();
        let take = need.min(buf.len());
        self.pending.extend_from_slice(&buf[..take]);
        *buf = &buf[take..];
        if self.pending.len() < 2 {
            return Ok(false);
        }
        if self.pending[..] != MAGIC {
            if self.members == 0 {
                return Err(Problem::NotGzip);
            }
            self.ignoring = true;
            self.warning = Some(Problem::TrailingGarbage);
            return Ok(false);
        }
        let mut d = GzDecoder::new(Vec::new());
        d.write_all(&self.pending).map_err(|_| Problem::NotGzip)?;
        self.pending.clear();
        self.dec = Some(d);
        Ok(true)
    }
}

impl Codec for Decompress {
    fn feed(&mut self, data: &[u8]) -> Result<Vec<u8>, Problem> {
        let mut out = Vec::new();
        let mut buf = data;
        while !self.ignoring && !buf.is_empty() {
            if self.dec.is_none() && !self.start_member(&mut buf)? {
                continue;
            }
            let Some(d) = self.dec.as_mut() else {
                continue;
            };
            if buf.is_empty() {
                break;
            }
            let n = d.write(buf).map_err(|e| {
                if self.members == 0 && e.kind() == std::io::ErrorKind::InvalidInput {
                    Problem::NotGzip
                } else {
                    Problem::Format
                }
            })?;
            out.append(d.get_mut());
            if n == 0 {
                d.try_finish().map_err(|_| Problem::Crc)?;
                out.append(d.get_mut());
                self.dec = None;
                self.members += 1;
            }
            buf = &buf[n..];
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<Vec<u8>, Problem> {
        if self.ignoring {
            return Ok(Vec::new());
        }
        if let Some(mut d) = self.dec.take() {
            d.try_finish().map_err(|_| Problem::UnexpectedEof)?;
            self.members += 1;
            return Ok(std::mem::take(d.get_mut()));
        }
        if self.members == 0 {
            return Err(Problem::UnexpectedEof);
        }
        if !self.pending.is_empty() {
            self.warning = Some(Problem::TrailingGarbage);
        }
        Ok(Vec::new())
    }
}

/// Where a transform records its failure or warning for the caller to report.
pub type ProblemSlot = Arc<Mutex<Option<Problem>>>;

fn record(slot: &ProblemSlot, p: Problem) {
    if let Ok(mut g) = slot.lock() {
        *g = Some(p);
    }
}

/// Takes what a transform recorded.
pub fn take_problem(slot: &ProblemSlot) -> Option<Problem> {
    slot.lock().ok().and_then(|mut g| g.take())
}

/// State of a running transform.
struct Run {
    reader: Reader,
    codec: Box<dyn Codec>,
    slot: ProblemSlot,
    done: bool,
}

impl Run {
    /// The next non-empty output chunk, `None` at the end.
    async fn next(&mut self) -> Option<Result<Bytes, FsError>> {
        while !self.done {
            let step = match self.reader.fill_buf().await {
                Err(e) => Err(Problem::Read(FsError::from(e))),
                Ok([]) => {
                    self.done = true;
                    self.codec.finish()
                }
                Ok(chunk) => {
                    let n = chunk.len();
                    let r = self.codec.feed(chunk);
                    self.reader.consume(n);
                    r
                }
            };
            match step {
                Ok(out) if out.is_empty() => continue,
                Ok(out) => return Some(Ok(Bytes::from(out))),
                Err(p) => {
                    self.done = true;
                    let err = match &p {
                        Problem::Read(e) => e.clone(),
                        _ => FsError::with_detail(ErrorKind::InvalidInput, "gzip"),
                    };
                    record(&self.slot, p);
                    return Some(Err(err));
                }
            }
        }
        None
    }
}

/// Decompression that also reports a trailing-garbage warning through the slot.
struct Watched(Decompress, ProblemSlot);

impl Codec for Watched {
    fn feed(&mut self, data: &[u8]) -> Result<Vec<u8>, Problem> {
        self.0.feed(data)
    }

    fn finish(&mut self) -> Result<Vec<u8>, Problem> {
        let out = self.0.finish()?;
        if let Some(w) = self.0.warning.take() {
            record(&self.1, w);
        }
        Ok(out)
    }
}

/// The stream of `reader`'s bytes compressed (with `Some` compressor) or decompressed (`None`);
/// failures end the stream with an error and leave the `Problem` in the returned slot (as does
/// a trailing-garbage warning).
pub fn transform(reader: Reader, compress: Option<Compress>) -> (ByteStream, ProblemSlot) {
    let slot: ProblemSlot = Arc::new(Mutex::new(None));
    let codec: Box<dyn Codec> = match compress {
        None => Box::new(Watched(Decompress::default(), slot.clone())),
        Some(c) => Box::new(c),
    };
    let run = Run {
        reader,
        codec,
        slot: slot.clone(),
        done: false,
    };
    let stream = futures::stream::unfold(run, |mut run| async move {
        let item = run.next().await?;
        Some((item, run))
    });
    (Box::pin(stream), slot)
}

#[cfg(test)]
mod tests {
    use super::{Codec, Compress, Decompress, Problem};

    fn roundtrip(data: &[u8], chunk: usize) -> Result<Vec<u8>, Problem> {
        let mut c = Compress::new(6, Some("x"), 0);
        let mut gz = c.feed(data)?;
        gz.extend(c.finish()?);
        let mut d = Decompress::default();
        let mut out = Vec::new();
        for piece in gz.chunks(chunk) {
            out.extend(d.feed(piece)?);
        }
        out.extend(d.finish()?);
        Ok(out)
    }

    #[test]
    fn round_trips_in_any_chunking() {
        let data: Vec<u8> = (0..5000u32).flat_map(|i| i.to_le_bytes()).collect();
        for chunk in [1, 2, 7, 4096] {
            assert_eq!(roundtrip(&data, chunk), Ok(data.clone()));
        }
    }

    #[test]
    fn rejects_garbage() {
        let mut d = Decompress::default();
        assert_eq!(d.feed(b"zz"), Err(Problem::NotGzip));
        let mut d = Decompress::default();
        assert_eq!(d.finish(), Err(Problem::UnexpectedEof));
    }
}
