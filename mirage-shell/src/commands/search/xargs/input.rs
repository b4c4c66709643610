//! Reading xargs items from a stream, in GNU xargs' three input modes.
//!
//! By default items are separated by blanks and newlines, and single quotes, double quotes and
//! backslashes protect them; a newline inside quotes is an error. With `-0` or `-d` items end
//! at one delimiter byte and nothing is special. With `-I` (or `-L`) lines matter: `-I` makes
//! each line one item (leading blanks dropped, quotes still processed) and `-L` counts lines,
//! where a line ending in a blank continues on the next.

use std::io;

use mirage_core::Reader;
use tokio::io::AsyncBufReadExt;

/// How the input is split into items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Blanks and newlines, with quoting.
    Blanks,
    /// One whole line per item (`-I`), with quoting.
    Lines,
    /// A single delimiter byte (`-0`, `-d`), no quoting.
    Delimiter(u8),
}

/// One item and whether it ended an input line (for `-L`).
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pub text: Vec<u8>,
    pub ends_line: bool,
}

/// Why reading stopped abnormally.
#[derive(Debug)]
pub enum InputError {
    Io(io::Error),
    /// An unmatched quote: `single` or `double`.
    UnmatchedQuote(&'static str),
}

impl From<io::Error> for InputError {
    fn from(e: io::Error) -> Self {
        InputError::Io(e)
    }
}

/// Pulls items from a reader one at a time.
pub struct Items {
    reader: Reader,
    split: Split,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl Items {
    pub fn new(reader: Reader, split: Split) -> Self {
        Items {
            reader,
            split,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    /// The next byte of input, or None at end.
    async fn byte(&mut self) -> io::Result<Option<u8>> {
        if self.pos >= self.buf.len() {
            if self.eof {
                return Ok(None);
            }
            self.buf.clear();
            self.pos = 0;
            let chunk = self.reader.fill_buf().await?;
            if chunk.is_empty() {
                self.eof = true;
                return Ok(None);
            }
            self.buf.extend_from_slice(chunk);
            let n = chunk.len();
            self.reader.consume(n);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    /// The next item, or None at end of input.
    pub async fn next(&mut self) -> Result<Option<Item>, InputError> {
        match self.split {
            Split::Delimiter(d) => self.next_delimited(d).await,
            Split::Blanks => self.next_quoted(false).await,
            Split::Lines => self.next_quoted(true).await,
        }
    }

    async fn next_delimited(&mut self, delim: u8) -> Result<Option<Item>, InputError> {
        let mut text = Vec::new();
        loop {
            match self.byte().await? {
                None if text.is_empty() => return Ok(None),
                None => {
                    return Ok(Some(Item {
                        text,
                        ends_line: true,
                    }));
                }
                Some(b) if b == delim => {
                    return Ok(Some(Item {
                        text,
                        ends_line: true,
                    }));
                }
                Some(b) => text.push(b),
            }
        }
    }

    /// Blank-separated (or, with `whole_lines`, line-separated) items with quotes and
    /// backslashes. Empty lines produce nothing. An item ended by a blank never ends a line:
    /// either more items follow on the line, or the line ends in a blank and so continues.
    async fn next_quoted(&mut self, whole_lines: bool) -> Result<Option<Item>, InputError> {
        let mut text = Vec::new();
        // Something (possibly an empty quoted string) was read for this item.
        let mut started = false;
        loop {
            let Some(b) = self.byte().await? else {
                return Ok(started.then_some(Item {
                    text,
                    ends_line: true,
                }));
            };
            match b {
                b'\n' if started => {
                    return Ok(Some(Item {
                        text,
                        ends_line: true,
                    }));
                }
                b'\n' => {}
                b' ' | b'\t' if !started => {}
                b' ' | b'\t' if !whole_lines => {
                    return Ok(Some(Item {
                        text,
                        ends_line: false,
                    }));
                }
                b'\'' | b'"' => {
                    started = true;
                    self.quoted(b, &mut text).await?;
                }
                b'\\' => {
                    started = true;
                    if let Some(next) = self.byte().await? {
                        text.push(next);
                    }
                }
                other => {
                    started = true;
                    text.push(other);
                }
            }
        }
    }

    async fn quoted(&mut self, quote: u8, text: &mut Vec<u8>) -> Result<(), InputError> {
        let which = if quote == b'\'' { "single" } else { "double" };
        loop {
            match self.byte().await? {
                None | Some(b'\n') => return Err(InputError::UnmatchedQuote(which)),
                Some(b) if b == quote => return Ok(()),
                Some(b) => text.push(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn items(input: &[u8], split: Split) -> Vec<(String, bool)> {
        let reader: Reader = Box::pin(tokio::io::BufReader::new(std::io::Cursor::new(
            input.to_vec(),
        )));
        let mut it = Items::new(reader, split);
        let mut out = Vec::new();
        while let Ok(Some(item)) = it.next().await {
            out.push((
                String::from_utf8_lossy(&item.text).into_owned(),
                item.ends_line,
            ));
        }
        out
    }

    #[tokio::test]
    async fn blanks_quotes_and_backslashes() {
        let got = items(b"'a b' \"c d\" e\\ f\n", Split::Blanks).await;
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a b", "c d", "e f"]);
    }

    #[tokio::test]
    async fn lines_keep_inner_blanks() {
        let got = items(b"  a  b  \n c\n", Split::Lines).await;
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a  b  ", "c"]);
    }
}
