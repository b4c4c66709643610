//! `iconv`: convert text between character encodings, like glibc's iconv program. Supported:
//! UTF-8, ASCII, ISO-8859-1 (LATIN1), WINDOWS-1252 (CP1252), UTF-16/UTF-16LE/UTF-16BE, UCS-2,
//! UTF-32/UTF-32LE/UTF-32BE, UCS-4, with the `//TRANSLIT` and `//IGNORE` suffixes and `-c`.
//! Input is streamed; error positions are byte offsets in the file, output up to a failure is
//! written, and a failure stops the run, as in glibc. `-l` is refused.

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, WriteMode, stream_from_bytes,
};
use tokio::io::AsyncBufReadExt;

use super::support::{open_input, unsupported};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};

pub struct Iconv;

const SPEC: OptSpec = OptSpec {
    short: "f:t:clso:?V",
    long: &[
        LongOpt {
            name: "from-code",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "to-code",
            has_arg: HasArg::Required,
            key: "t",
        },
        LongOpt {
            name: "list",
            has_arg: HasArg::No,
            key: "l",
        },
        LongOpt {
            name: "output",
            has_arg: HasArg::Required,
            key: "o",
        },
        LongOpt {
            name: "silent",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "verbose",
        },
        LongOpt {
            name: "help",
            has_arg: HasArg::No,
            key: "?",
        },
        LongOpt {
            name: "usage",
            has_arg: HasArg::No,
            key: "usage",
        },
        LongOpt {
            name: "version",
            has_arg: HasArg::No,
            key: "V",
        },
    ],
    stop_at_operand: false,
};

const USAGE_STATUS: i32 = 64;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Enc {
    Utf8,
    Ascii,
    Latin1,
    Cp1252,
    /// UTF-16 with a byte-order mark (read: detected, little-endian without; written: LE + BOM).
    Utf16,
    Utf16Le,
    Utf16Be,
    /// UCS-2 in little-endian order (glibc's `UCS-2` on this machine).
    Ucs2,
    Ucs2Be,
    Utf32,
    Utf32Le,
    Utf32Be,
    /// UCS-4 in big-endian order (glibc's `UCS-4`).
    Ucs4,
    Ucs4Le,
}

/// glibc's names for the supported charsets (after upper-casing and dropping blanks), as
/// accepted by its iconv on this machine.
fn lookup(name: &str) -> Option<Enc> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    Some(match n.as_str() {
        "UTF-8" | "UTF8" | "ISO-10646/UTF8" | "ISO-10646/UTF-8" => Enc::Utf8,
        "ASCII" | "US-ASCII" | "ANSI_X3.4-1968" | "ANSI_X3.4-1986" | "ISO646-US"
        | "ISO_646.IRV:1991" | "US" | "CP367" | "IBM367" | "ISO-IR-6" | "CSASCII" => Enc::Ascii,
        "ISO-8859-1" | "ISO8859-1" | "ISO88591" | "ISO_8859-1" | "ISO_8859-1:1987"
        | "ISO-IR-100" | "LATIN1" | "L1" | "CP819" | "IBM819" | "CSISOLATIN1" | "8859_1" => {
            Enc::Latin1
        }
        "WINDOWS-1252" | "CP1252" | "MS-ANSI" => Enc::Cp1252,
        "UTF-16" | "UTF16" => Enc::Utf16,
        "UTF-16LE" | "UTF16LE" => Enc::Utf16Le,
        "UTF-16BE" | "UTF16BE" => Enc::Utf16Be,
        "UCS-2" | "UCS2" | "UCS-2LE" | "UNICODELITTLE" => Enc::Ucs2,
        "UCS-2BE" | "UNICODEBIG" => Enc::Ucs2Be,
        "UTF-32" | "UTF32" => Enc::Utf32,
        "UTF-32LE" | "UTF32LE" | "WCHAR_T" => Enc::Utf32Le,
        "UTF-32BE" | "UTF32BE" => Enc::Utf32Be,
        "UCS-4" | "UCS4" | "UCS-4BE" | "ISO-10646/UCS4" => Enc::Ucs4,
        "UCS-4LE" => Enc::Ucs4Le,
        _ => return None,
    })
}

/// A charset argument: the name plus its `//` suffixes.
struct Spec {
    enc: Option<Enc>,
    translit: bool,
    ignore: bool,
}

fn parse_spec(arg: &str) -> Spec {
    let mut parts = arg.split("//");
    let name = parts.next().unwrap_or("");
    let mut translit = false;
    let mut ignore = false;
    for p in parts {
        for s in p.split(',') {
            match s.to_ascii_uppercase().as_str() {
                "TRANSLIT" => translit = true,
                "IGNORE" => ignore = true,
                _ => {}
            }
        }
    }
    let name = name.trim_end_matches('/');
    let enc = if name.is_empty() {
        Some(Enc::Utf8)
    } else {
        lookup(name)
    };
    Spec {
        enc,
        translit,
        ignore,
    }
}

const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

enum Dec {
    Char(char, usize),
    Illegal,
    Incomplete,
}

fn decode(enc: Enc, le: bool, b: &[u8]) -> Dec {
    let Some(&first) = b.first() else {
        return Dec::Incomplete;
    };
    match enc {
        Enc::Ascii => {
            if first < 0x80 {
                Dec::Char(first as char, 1)
            } else {
                Dec::Illegal
            }
        }
        Enc::Latin1 => Dec::Char(first as char, 1),
        Enc::Cp1252 => {
            if (0x80..0xA0).contains(&first) {
                match CP1252_HIGH[(first - 0x80) as usize] {
                    0 => Dec::Illegal,
                    u => char::from_u32(u as u32).map_or(Dec::Illegal, |c| Dec::Char(c, 1)),
                }
            } else {
                Dec::Char(first as char, 1)
            }
        }
        Enc::Utf8 => decode_utf8(b),
        Enc::Utf16 | Enc::Utf16Le | Enc::Utf16Be | Enc::Ucs2 | Enc::Ucs2Be => {
            if b.len() < 2 {
                return Dec::Incomplete;
            }
            let unit = |i: usize| {
                if le {
                    u16::from_le_bytes([b[i], b[i + 1]])
                } else {
                    u16::from_be_bytes([b[i], b[i + 1]])
                }
            };
            let u = unit(0);
            match u {
                0xD800..=0xDBFF if !matches!(enc, Enc::Ucs2 | Enc::Ucs2Be) => {
                    if b.len() < 4 {
                        return Dec::Incomplete;
                    }
                    let lo = unit(2);
                    if !(0xDC00..=0xDFFF).contains(&lo) {
                        return Dec::Illegal;
                    }
                    let cp = 0x10000 + (((u as u32) - 0xD800) << 10) + (lo as u32 - 0xDC00);
                    char::from_u32(cp).map_or(Dec::Illegal, |c| Dec::Char(c, 4))
                }
                0xD800..=0xDFFF => Dec::Illegal,
                _ => char::from_u32(u as u32).map_or(Dec::Illegal, |c| Dec::Char(c, 2)),
            }
        }
        Enc::Utf32 | Enc::Utf32Le | Enc::Utf32Be | Enc::Ucs4 | Enc::Ucs4Le => {
            if b.len() < 4 {
                return Dec::Incomplete;
            }
            let raw = [b[0], b[1], b[2], b[3]];
            let u = if le {
                u32::from_le_bytes(raw)
            } else {
                u32::from_be_bytes(raw)
            };
            char::from_u32(u).map_or(Dec::Illegal, |c| Dec::Char(c, 4))
        }
    }
}

fn decode_utf8(b: &[u8]) -> Dec {
    let first = b[0];
    let (len, min) = match first {
        0x00..=0x7F => return Dec::Char(first as char, 1),
        0xC2..=0xDF => (2, 0x80),
        0xE0..=0xEF => (3, 0x800),
        0xF0..=0xF4 => (4, 0x10000),
        _ => return Dec::Illegal,
    };
    let mut cp = (first as u32) & (0x7F >> len);
    for i in 1..len {
        let Some(&c) = b.get(i) else {
            return Dec::Incomplete;
        };
        if c & 0xC0 != 0x80 {
            return Dec::Illegal;
        }
        cp = (cp << 6) | (c as u32 & 0x3F);
    }
    if cp < min {
        return Dec::Illegal;
    }
    char::from_u32(cp).map_or(Dec::Illegal, |c| Dec::Char(c, len))
}

/// Appends `c` in `enc`; false when `enc` cannot represent it.
fn encode(enc: Enc, c: char, out: &mut Vec<u8>) -> bool {
    let u = c as u32;
    match enc {
        Enc::Utf8 => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        Enc::Ascii if u < 0x80 => out.push(u as u8),
        Enc::Latin1 if u < 0x100 => out.push(u as u8),
        Enc::Cp1252 => {
            if u < 0x80 || (0xA0..0x100).contains(&u) {
                out.push(u as u8);
            } else if let Some(i) = CP1252_HIGH.iter().position(|&h| h != 0 && h as u32 == u) {
                out.push(0x80 + i as u8);
            } else {
                return false;
            }
        }
        Enc::Utf16 | Enc::Utf16Le | Enc::Utf16Be => {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                if enc == Enc::Utf16Be {
                    out.extend_from_slice(&unit.to_be_bytes());
                } else {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
            }
        }
        Enc::Ucs2 if u < 0x10000 => out.extend_from_slice(&(u as u16).to_le_bytes()),
        Enc::Ucs2Be if u < 0x10000 => out.extend_from_slice(&(u as u16).to_be_bytes()),
        Enc::Utf32 | Enc::Utf32Le | Enc::Ucs4Le => out.extend_from_slice(&u.to_le_bytes()),
        Enc::Utf32Be | Enc::Ucs4 => out.extend_from_slice(&u.to_be_bytes()),
        _ => return false,
    }
    true
}

fn translit_for(enc: Enc, c: char) -> Option<&'static str> {
    let u = c as u32;
    let extra: &[(u32, &str)] = match enc {
        Enc::Latin1 => TRANSLIT_LATIN1,
        Enc::Cp1252 => TRANSLIT_CP1252,
        _ => &[],
    };
    if let Ok(i) = extra.binary_search_by_key(&u, |e| e.0) {
        return Some(extra[i].1);
    }
    TRANSLIT
        .binary_search_by_key(&u, |e| e.0)
        .ok()
        .map(|i| TRANSLIT[i].1)
}

/// The state of one conversion across all the files.
struct Converter {
    from: Enc,
    to: Enc,
    translit: bool,
    /// `//IGNORE` on the target.
    ignore: bool,
    /// `-c`.
    omit: bool,
    bom_written: bool,
}

/// Where one input file stands: byte order found, bytes consumed before the current buffer.
#[derive(Default)]
struct FileState {
    le: bool,
    bom_checked: bool,
    base: usize,
    /// glibc converts in blocks of this many characters; with `//IGNORE` it reports an
    /// unconvertible character at the end of its block, and skipped invalid input only when
    /// the skip happened in the last block (measured against glibc 2.36).
    block_chars: usize,
    block_enc_skip: bool,
    block_dec_skip: bool,
}

const BLOCK_CHARS: usize = 8160;

impl Converter {
    /// Converts what it can of `data` (the unconsumed input); returns the bytes consumed and a
    /// failure message, if any. A character cut at the end of `data` waits for more input
    /// unless `eof`.
    fn step(
        &mut self,
        st: &mut FileState,
        data: &[u8],
        eof: bool,
        out: &mut Vec<u8>,
    ) -> (usize, Option<String>) {
        let mut i = 0;
        if !st.bom_checked {
            let need = match self.from {
                Enc::Utf16 => 2,
                Enc::Utf32 => 4,
                _ => 0,
            };
            if data.len() < need && !eof {
                return (0, None);
            }
            st.bom_checked = true;
            st.le = !matches!(
                self.from,
                Enc::Utf16Be | Enc::Utf32Be | Enc::Ucs4 | Enc::Ucs2Be
            );
            match self.from {
                Enc::Utf16 if data.len() >= 2 => match (data[0], data[1]) {
                    (0xFF, 0xFE) => i = 2,
                    (0xFE, 0xFF) => {
                        st.le = false;
                        i = 2;
                    }
                    _ => {}
                },
                Enc::Utf32 if data.len() >= 4 => match data[..4] {
                    [0xFF, 0xFE, 0, 0] => i = 4,
                    [0, 0, 0xFE, 0xFF] => {
                        st.le = false;
                        i = 4;
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        let illegal = |at: usize| Some(format!("illegal input sequence at position {at}"));
        while i < data.len() {
            let (c, len) = match decode(self.from, st.le, &data[i..]) {
                Dec::Char(c, len) => (c, len),
                Dec::Illegal => {
                    if self.omit || self.ignore {
                        st.block_dec_skip = true;
                        i += 1;
                        continue;
                    }
                    return (i, illegal(st.base + i));
                }
                Dec::Incomplete if !eof => return (i, None),
                Dec::Incomplete => {
                    return (
                        i,
                        Some("incomplete character or shift sequence at end of buffer".into()),
                    );
                }
            };
            self.bom(out);
            if !encode(self.to, c, out) {
                let mut done = false;
                if self.translit {
                    let rep = translit_for(self.to, c).unwrap_or("?");
                    let mark = out.len();
                    if rep.chars().all(|r| encode(self.to, r, out)) {
                        done = true;
                    } else {
                        out.truncate(mark);
                        done = encode(self.to, '?', out);
                    }
                }
                if !done {
                    if self.omit || self.ignore {
                        st.block_enc_skip = true;
                    } else {
                        return (i, illegal(st.base + i));
                    }
                }
            }
            i += len;
            st.block_chars += 1;
            if st.block_chars == BLOCK_CHARS {
                if st.block_enc_skip && !self.omit {
                    return (i, illegal(st.base + i));
                }
                st.block_chars = 0;
                st.block_enc_skip = false;
                st.block_dec_skip = false;
            }
        }
        if eof && (st.block_enc_skip || st.block_dec_skip) && !self.omit {
            return (i, illegal(st.base + i));
        }
        (i, None)
    }

    fn bom(&mut self, out: &mut Vec<u8>) {
        if self.bom_written {
            return;
        }
        self.bom_written = true;
        match self.to {
            Enc::Utf16 => out.extend_from_slice(&[0xFF, 0xFE]),
            Enc::Utf32 => out.extend_from_slice(&[0xFF, 0xFE, 0, 0]),
            _ => {}
        }
    }
}

async fn usage_hint(ctx: &mut CommandContext, msg: &str) -> CommandResult {
    ctx.error(msg).await?;
    ctx.stderr
        .write_all(b"Try `iconv --help' or `iconv --usage' for more information.\n")
        .await?;
    Ok(USAGE_STATUS)
}

#[async_trait]
impl Command for Iconv {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(m) => return usage_hint(ctx, &m).await,
        };
        for (key, shown) in [
            ("?", "--help"),
            ("usage", "--usage"),
            ("V", "--version"),
            ("l", "-l"),
            ("verbose", "--verbose"),
        ] {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        let from = parse_spec(parsed.last("f").unwrap_or(""));
        let to = parse_spec(parsed.last("t").unwrap_or(""));
        let (Some(from_enc), Some(to_enc)) = (from.enc, to.enc) else {
            ctx.error("failed to start conversion processing: No such file or directory")
                .await?;
            return Ok(1);
        };
        let mut conv = Converter {
            from: from_enc,
            to: to_enc,
            translit: to.translit,
            ignore: to.ignore,
            omit: parsed.has("c"),
            bom_written: false,
        };
        let output = parsed.last("o").map(str::to_string);
        let mut collected: Vec<u8> = Vec::new();
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands.clone()
        };
        let mut status = 0;
        for op in operands {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) if e.kind == ErrorKind::IsADirectory => {
                    ctx.error(format!("error while reading the input: {e}"))
                        .await?;
                    status = 1;
                    break;
                }
                Err(e) => {
                    ctx.error(format!("cannot open input file `{op}': {e}"))
                        .await?;
                    status = 1;
                    continue;
                }
            };
            let mut st = FileState::default();
            let mut carry: Vec<u8> = Vec::new();
            let mut out = Vec::new();
            let mut failed = false;
            loop {
                let (eof, n) = match reader.fill_buf().await {
                    Ok(chunk) => {
                        carry.extend_from_slice(chunk);
                        (chunk.is_empty(), chunk.len())
                    }
                    Err(e) => {
                        ctx.error(format!("unable to read input: {e}")).await?;
                        status = 1;
                        failed = true;
                        break;
                    }
                };
                reader.consume(n);
                let (used, failure) = conv.step(&mut st, &carry, eof, &mut out);
                carry.drain(..used);
                st.base += used;
                if output.is_some() {
                    collected.extend_from_slice(&out);
                } else {
                    ctx.stdout.write_all(&out).await?;
                }
                out.clear();
                if let Some(m) = failure {
                    // glibc's error() flushes stdout first: the converted part comes first.
                    ctx.stdout.flush().await?;
                    ctx.error(m).await?;
                    status = 1;
                    failed = true;
                    break;
                }
                if eof {
                    break;
                }
            }
            if failed {
                break;
            }
        }
        if let Some(name) = output {
            let path = ctx.path(&name);
            if let Err(e) = ctx
                .fs
                .write(&path, stream_from_bytes(collected), WriteMode::Truncate)
                .await
            {
                ctx.error(format!("cannot open output file: {e}")).await?;
                return Ok(1);
            }
        }
        Ok(status)
    }
}

/// Transliterations recorded from glibc's `//TRANSLIT` (C.UTF-8 locale); others become `?`.
static TRANSLIT: &[(u32, &str)] = &[
    (0x00A0, " "),
    (0x00A1, "!"),
    (0x00A2, "c"),
    (0x00A3, "GBP"),
    (0x00A5, "JPY"),
    (0x00A6, "|"),
    (0x00A9, "(C)"),
    (0x00AA, "a"),
    (0x00AB, "<<"),
    (0x00AC, "!"),
    (0x00AD, "-"),
    (0x00AE, "(R)"),
    (0x00B1, "+-"),
    (0x00B2, "2"),
    (0x00B3, "3"),
    (0x00B4, "'"),
    (0x00B5, "u"),
    (0x00B7, "."),
    (0x00B8, ","),
    (0x00B9, "1"),
    (0x00BA, "o"),
    (0x00BB, ">>"),
    (0x00BC, " 1/4 "),
    (0x00BD, " 1/2 "),
    (0x00BE, " 3/4 "),
    (0x00C0, "A"),
    (0x00C1, "A"),
    (0x00C2, "A"),
    (0x00C3, "A"),
    (0x00C4, "A"),
    (0x00C5, "A"),
    (0x00C6, "AE"),
    (0x00C7, "C"),
    (0x00C8, "E"),
    (0x00C9, "E"),
    (0x00CA, "E"),
    (0x00CB, "E"),
    (0x00CC, "I"),
    (0x00CD, "I"),
    (0x00CE, "I"),
    (0x00CF, "I"),
    (0x00D0, "D"),
    (0x00D1, "N"),
    (0x00D2, "O"),
    (0x00D3, "O"),
    (0x00D4, "O"),
    (0x00D5, "O"),
    (0x00D6, "O"),
    (0x00D7, "x"),
    (0x00D8, "O"),
    (0x00D9, "U"),
    (0x00DA, "U"),
    (0x00DB, "U"),
    (0x00DC, "U"),
    (0x00DD, "Y"),
    (0x00DE, "TH"),
    (0x00DF, "ss"),
    (0x00E0, "a"),
    (0x00E1, "a"),
    (0x00E2, "a"),
    (0x00E3, "a"),
    (0x00E4, "a"),
    (0x00E5, "a"),
    (0x00E6, "ae"),
    (0x00E7, "c"),
    (0x00E8, "e"),
    (0x00E9, "e"),
    (0x00EA, "e"),
    (0x00EB, "e"),
    (0x00EC, "i"),
    (0x00ED, "i"),
    (0x00EE, "i"),
    (0x00EF, "i"),
    (0x00F0, "d"),
    (0x00F1, "n"),
    (0x00F2, "o"),
    (0x00F3, "o"),
    (0x00F4, "o"),
    (0x00F5, "o"),
    (0x00F6, "o"),
    (0x00F7, "/"),
    (0x00F8, "o"),
    (0x00F9, "u"),
    (0x00FA, "u"),
    (0x00FB, "u"),
    (0x00FC, "u"),
    (0x00FD, "y"),
    (0x00FE, "th"),
    (0x00FF, "y"),
    (0x0100, "A"),
    (0x0101, "a"),
    (0x0102, "A"),
    (0x0103, "a"),
    (0x0104, "A"),
    (0x0105, "a"),
    (0x0106, "C"),
    (0x0107, "c"),
    (0x0108, "C"),
    (0x0109, "c"),
    (0x010A, "C"),
    (0x010B, "c"),
    (0x010C, "C"),
    (0x010D, "c"),
    (0x010E, "D"),
    (0x010F, "d"),
    (0x0110, "D"),
    (0x0111, "d"),
    (0x0112, "E"),
    (0x0113, "e"),
    (0x0114, "E"),
    (0x0115, "e"),
    (0x0116, "E"),
    (0x0117, "e"),
    (0x0118, "E"),
    (0x0119, "e"),
    (0x011A, "E"),
    (0x011B, "e"),
    (0x011C, "G"),
    (0x011D, "g"),
    (0x011E, "G"),
    (0x011F, "g"),
    (0x0120, "G"),
    (0x0121, "g"),
    (0x0122, "G"),
    (0x0123, "g"),
    (0x0124, "H"),
    (0x0125, "h"),
    (0x0126, "H"),
    (0x0127, "h"),
    (0x0128, "I"),
    (0x0129, "i"),
    (0x012A, "I"),
    (0x012B, "i"),
    (0x012C, "I"),
    (0x012D, "i"),
    (0x012E, "I"),
    (0x012F, "i"),
    (0x0130, "I"),
    (0x0131, "i"),
    (0x0132, "IJ"),
    (0x0133, "ij"),
    (0x0134, "J"),
    (0x0135, "j"),
    (0x0136, "K"),
    (0x0137, "k"),
    (0x0138, "q"),
    (0x0139, "L"),
    (0x013A, "l"),
    (0x013B, "L"),
    (0x013C, "l"),
    (0x013D, "L"),
    (0x013E, "l"),
    (0x013F, "L"),
    (0x0140, "l"),
    (0x0141, "L"),
    (0x0142, "l"),
    (0x0143, "N"),
    (0x0144, "n"),
    (0x0145, "N"),
    (0x0146, "n"),
    (0x0147, "N"),
    (0x0148, "n"),
    (0x0149, "'n"),
    (0x014A, "N"),
    (0x014B, "n"),
    (0x014C, "O"),
    (0x014D, "o"),
    (0x014E, "O"),
    (0x014F, "o"),
    (0x0150, "O"),
    (0x0151, "o"),
    (0x0152, "OE"),
    (0x0153, "oe"),
    (0x0154, "R"),
    (0x0155, "r"),
    (0x0156, "R"),
    (0x0157, "r"),
    (0x0158, "R"),
    (0x0159, "r"),
    (0x015A, "S"),
    (0x015B, "s"),
    (0x015C, "S"),
    (0x015D, "s"),
    (0x015E, "S"),
    (0x015F, "s"),
    (0x0160, "S"),
    (0x0161, "s"),
    (0x0162, "T"),
    (0x0163, "t"),
    (0x0164, "T"),
    (0x0165, "t"),
    (0x0166, "T"),
    (0x0167, "t"),
    (0x0168, "U"),
    (0x0169, "u"),
    (0x016A, "U"),
    (0x016B, "u"),
    (0x016C, "U"),
    (0x016D, "u"),
    (0x016E, "U"),
    (0x016F, "u"),
    (0x0170, "U"),
    (0x0171, "u"),
    (0x0172, "U"),
    (0x0173, "u"),
    (0x0174, "W"),
    (0x0175, "w"),
    (0x0176, "Y"),
    (0x0177, "y"),
    (0x0178, "Y"),
    (0x0179, "Z"),
    (0x017A, "z"),
    (0x017B, "Z"),
    (0x017C, "z"),
    (0x017D, "Z"),
    (0x017E, "z"),
    (0x017F, "s"),
    (0x0180, "b"),
    (0x0181, "B"),
    (0x0182, "B"),
    (0x0183, "b"),
    (0x0187, "C"),
    (0x0188, "c"),
    (0x0189, "D"),
    (0x018A, "D"),
    (0x018B, "D"),
    (0x018C, "d"),
    (0x0190, "E"),
    (0x0191, "F"),
    (0x0192, "f"),
    (0x0193, "G"),
    (0x0195, "hv"),
    (0x0196, "I"),
    (0x0197, "I"),
    (0x0198, "K"),
    (0x0199, "k"),
    (0x019A, "l"),
    (0x019D, "N"),
    (0x019E, "n"),
    (0x01A0, "O"),
    (0x01A1, "o"),
    (0x01A2, "OI"),
    (0x01A3, "oi"),
    (0x01A4, "P"),
    (0x01A5, "p"),
    (0x01AB, "t"),
    (0x01AC, "T"),
    (0x01AD, "t"),
    (0x01AE, "T"),
    (0x01AF, "U"),
    (0x01B0, "u"),
    (0x01B2, "V"),
    (0x01B3, "Y"),
    (0x01B4, "y"),
    (0x01B5, "Z"),
    (0x01B6, "z"),
    (0x01C7, "LJ"),
    (0x01C8, "Lj"),
    (0x01C9, "lj"),
    (0x01CA, "NJ"),
    (0x01CB, "Nj"),
    (0x01CC, "nj"),
    (0x01CD, "A"),
    (0x01CE, "a"),
    (0x01CF, "I"),
    (0x01D0, "i"),
    (0x01D1, "O"),
    (0x01D2, "o"),
    (0x01D3, "U"),
    (0x01D4, "u"),
    (0x01D5, "U"),
    (0x01D6, "u"),
    (0x01D7, "U"),
    (0x01D8, "u"),
    (0x01D9, "U"),
    (0x01DA, "u"),
    (0x01DB, "U"),
    (0x01DC, "u"),
    (0x01DE, "A"),
    (0x01DF, "a"),
    (0x01E0, "A"),
    (0x01E1, "a"),
    (0x01E2, "AE"),
    (0x01E3, "ae"),
    (0x01E4, "G"),
    (0x01E5, "g"),
    (0x01E6, "G"),
    (0x01E7, "g"),
    (0x01E8, "K"),
    (0x01E9, "k"),
    (0x01EA, "O"),
    (0x01EB, "o"),
    (0x01EC, "O"),
    (0x01ED, "o"),
    (0x01F0, "j"),
    (0x01F1, "DZ"),
    (0x01F2, "Dz"),
    (0x01F3, "dz"),
    (0x01F4, "G"),
    (0x01F5, "g"),
    (0x01F8, "N"),
    (0x01F9, "n"),
    (0x01FA, "A"),
    (0x01FB, "a"),
    (0x01FC, "AE"),
    (0x01FD, "ae"),
    (0x01FE, "O"),
    (0x01FF, "o"),
    (0x0200, "A"),
    (0x0201, "a"),
    (0x0202, "A"),
    (0x0203, "a"),
    (0x0204, "E"),
    (0x0205, "e"),
    (0x0206, "E"),
    (0x0207, "e"),
    (0x0208, "I"),
    (0x0209, "i"),
    (0x020A, "I"),
    (0x020B, "i"),
    (0x020C, "O"),
    (0x020D, "o"),
    (0x020E, "O"),
    (0x020F, "o"),
    (0x0210, "R"),
    (0x0211, "r"),
    (0x0212, "R"),
    (0x0213, "r"),
    (0x0214, "U"),
    (0x0215, "u"),
    (0x0216, "U"),
    (0x0217, "u"),
    (0x0218, "S"),
    (0x0219, "s"),
    (0x021A, "T"),
    (0x021B, "t"),
    (0x021E, "H"),
    (0x021F, "h"),
    (0x0221, "d"),
    (0x0224, "Z"),
    (0x0225, "z"),
    (0x0226, "A"),
    (0x0227, "a"),
    (0x0228, "E"),
    (0x0229, "e"),
    (0x022A, "O"),
    (0x022B, "o"),
    (0x022C, "O"),
    (0x022D, "o"),
    (0x022E, "O"),
    (0x022F, "o"),
    (0x0230, "O"),
    (0x0231, "o"),
    (0x0232, "Y"),
    (0x0233, "y"),
    (0x0234, "l"),
    (0x0235, "n"),
    (0x0236, "t"),
    (0x0237, "j"),
    (0x0238, "db"),
    (0x0239, "qp"),
    (0x023A, "A"),
    (0x023B, "C"),
    (0x023C, "c"),
    (0x023D, "L"),
    (0x023E, "T"),
    (0x023F, "s"),
    (0x0240, "z"),
    (0x0243, "B"),
    (0x0244, "U"),
    (0x0246, "E"),
    (0x0247, "e"),
    (0x0248, "J"),
    (0x0249, "j"),
    (0x024C, "R"),
    (0x024D, "r"),
    (0x024E, "Y"),
    (0x024F, "y"),
    (0x0253, "b"),
    (0x0255, "c"),
    (0x0256, "d"),
    (0x0257, "d"),
    (0x025B, "e"),
    (0x025F, "j"),
    (0x0260, "g"),
    (0x0261, "g"),
    (0x0262, "G"),
    (0x0266, "h"),
    (0x0267, "h"),
    (0x0268, "i"),
    (0x026A, "I"),
    (0x026B, "l"),
    (0x026C, "l"),
    (0x026D, "l"),
    (0x0271, "m"),
    (0x0272, "n"),
    (0x0273, "n"),
    (0x0274, "N"),
    (0x0276, "OE"),
    (0x027C, "r"),
    (0x027D, "r"),
    (0x027E, "r"),
    (0x0280, "R"),
    (0x0282, "s"),
    (0x0288, "t"),
    (0x0289, "u"),
    (0x028B, "v"),
    (0x028F, "Y"),
    (0x0290, "z"),
    (0x0291, "z"),
    (0x0299, "B"),
    (0x029B, "G"),
    (0x029C, "H"),
    (0x029D, "j"),
    (0x029F, "L"),
    (0x02A0, "q"),
    (0x02A3, "dz"),
    (0x02A5, "dz"),
    (0x02A6, "ts"),
    (0x02AA, "ls"),
    (0x02AB, "lz"),
    (0x02B0, "h"),
    (0x02B2, "j"),
    (0x02B3, "r"),
    (0x02B7, "w"),
    (0x02B8, "y"),
    (0x02BC, "'"),
    (0x02C6, "^"),
    (0x02C8, "'"),
    (0x02CB, "`"),
    (0x02CD, "_"),
    (0x02D0, ":"),
    (0x02DC, "~"),
    (0x02DD, "''"),
    (0x02E1, "l"),
    (0x02E2, "s"),
    (0x02E3, "x"),
    (0x1E00, "A"),
    (0x1E01, "a"),
    (0x1E02, "B"),
    (0x1E03, "b"),
    (0x1E04, "B"),
    (0x1E05, "b"),
    (0x1E06, "B"),
    (0x1E07, "b"),
    (0x1E08, "C"),
    (0x1E09, "c"),
    (0x1E0A, "D"),
    (0x1E0B, "d"),
    (0x1E0C, "D"),
    (0x1E0D, "d"),
    (0x1E0E, "D"),
    (0x1E0F, "d"),
    (0x1E10, "D"),
    (0x1E11, "d"),
    (0x1E12, "D"),
    (0x1E13, "d"),
    (0x1E14, "E"),
    (0x1E15, "e"),
    (0x1E16, "E"),
    (0x1E17, "e"),
    (0x1E18, "E"),
    (0x1E19, "e"),
    (0x1E1A, "E"),
    (0x1E1B, "e"),
    (0x1E1C, "E"),
    (0x1E1D, "e"),
    (0x1E1E, "F"),
    (0x1E1F, "f"),
    (0x1E20, "G"),
    (0x1E21, "g"),
    (0x1E22, "H"),
    (0x1E23, "h"),
    (0x1E24, "H"),
    (0x1E25, "h"),
    (0x1E26, "H"),
    (0x1E27, "h"),
    (0x1E28, "H"),
    (0x1E29, "h"),
    (0x1E2A, "H"),
    (0x1E2B, "h"),
    (0x1E2C, "I"),
    (0x1E2D, "i"),
    (0x1E2E, "I"),
    (0x1E2F, "i"),
    (0x1E30, "K"),
    (0x1E31, "k"),
    (0x1E32, "K"),
    (0x1E33, "k"),
    (0x1E34, "K"),
    (0x1E35, "k"),
    (0x1E36, "L"),
    (0x1E37, "l"),
    (0x1E38, "L"),
    (0x1E39, "l"),
    (0x1E3A, "L"),
    (0x1E3B, "l"),
    (0x1E3C, "L"),
    (0x1E3D, "l"),
    (0x1E3E, "M"),
    (0x1E3F, "m"),
    (0x1E40, "M"),
    (0x1E41, "m"),
    (0x1E42, "M"),
    (0x1E43, "m"),
    (0x1E44, "N"),
    (0x1E45, "n"),
    (0x1E46, "N"),
    (0x1E47, "n"),
    (0x1E48, "N"),
    (0x1E49, "n"),
    (0x1E4A, "N"),
    (0x1E4B, "n"),
    (0x1E4C, "O"),
    (0x1E4D, "o"),
    (0x1E4E, "O"),
    (0x1E4F, "o"),
    (0x1E50, "O"),
    (0x1E51, "o"),
    (0x1E52, "O"),
    (0x1E53, "o"),
    (0x1E54, "P"),
    (0x1E55, "p"),
    (0x1E56, "P"),
    (0x1E57, "p"),
    (0x1E58, "R"),
    (0x1E59, "r"),
    (0x1E5A, "R"),
    (0x1E5B, "r"),
    (0x1E5C, "R"),
    (0x1E5D, "r"),
    (0x1E5E, "R"),
    (0x1E5F, "r"),
    (0x1E60, "S"),
    (0x1E61, "s"),
    (0x1E62, "S"),
    (0x1E63, "s"),
    (0x1E64, "S"),
    (0x1E65, "s"),
    (0x1E66, "S"),
    (0x1E67, "s"),
    (0x1E68, "S"),
    (0x1E69, "s"),
    (0x1E6A, "T"),
    (0x1E6B, "t"),
    (0x1E6C, "T"),
    (0x1E6D, "t"),
    (0x1E6E, "T"),
    (0x1E6F, "t"),
    (0x1E70, "T"),
    (0x1E71, "t"),
    (0x1E72, "U"),
    (0x1E73, "u"),
    (0x1E74, "U"),
    (0x1E75, "u"),
    (0x1E76, "U"),
    (0x1E77, "u"),
    (0x1E78, "U"),
    (0x1E79, "u"),
    (0x1E7A, "U"),
    (0x1E7B, "u"),
    (0x1E7C, "V"),
    (0x1E7D, "v"),
    (0x1E7E, "V"),
    (0x1E7F, "v"),
    (0x1E80, "W"),
    (0x1E81, "w"),
    (0x1E82, "W"),
    (0x1E83, "w"),
    (0x1E84, "W"),
    (0x1E85, "w"),
    (0x1E86, "W"),
    (0x1E87, "w"),
    (0x1E88, "W"),
    (0x1E89, "w"),
    (0x1E8A, "X"),
    (0x1E8B, "x"),
    (0x1E8C, "X"),
    (0x1E8D, "x"),
    (0x1E8E, "Y"),
    (0x1E8F, "y"),
    (0x1E90, "Z"),
    (0x1E91, "z"),
    (0x1E92, "Z"),
    (0x1E93, "z"),
    (0x1E94, "Z"),
    (0x1E95, "z"),
    (0x1E96, "h"),
    (0x1E97, "t"),
    (0x1E98, "w"),
    (0x1E99, "y"),
    (0x1E9A, "a"),
    (0x1E9C, "s"),
    (0x1E9D, "s"),
    (0x1E9E, "SS"),
    (0x1EA0, "A"),
    (0x1EA1, "a"),
    (0x1EA2, "A"),
    (0x1EA3, "a"),
    (0x1EA4, "A"),
    (0x1EA5, "a"),
    (0x1EA6, "A"),
    (0x1EA7, "a"),
    (0x1EA8, "A"),
    (0x1EA9, "a"),
    (0x1EAA, "A"),
    (0x1EAB, "a"),
    (0x1EAC, "A"),
    (0x1EAD, "a"),
    (0x1EAE, "A"),
    (0x1EAF, "a"),
    (0x1EB0, "A"),
    (0x1EB1, "a"),
    (0x1EB2, "A"),
    (0x1EB3, "a"),
    (0x1EB4, "A"),
    (0x1EB5, "a"),
    (0x1EB6, "A"),
    (0x1EB7, "a"),
    (0x1EB8, "E"),
    (0x1EB9, "e"),
    (0x1EBA, "E"),
    (0x1EBB, "e"),
    (0x1EBC, "E"),
    (0x1EBD, "e"),
    (0x1EBE, "E"),
    (0x1EBF, "e"),
    (0x1EC0, "E"),
    (0x1EC1, "e"),
    (0x1EC2, "E"),
    (0x1EC3, "e"),
    (0x1EC4, "E"),
    (0x1EC5, "e"),
    (0x1EC6, "E"),
    (0x1EC7, "e"),
    (0x1EC8, "I"),
    (0x1EC9, "i"),
    (0x1ECA, "I"),
    (0x1ECB, "i"),
    (0x1ECC, "O"),
    (0x1ECD, "o"),
    (0x1ECE, "O"),
    (0x1ECF, "o"),
    (0x1ED0, "O"),
    (0x1ED1, "o"),
    (0x1ED2, "O"),
    (0x1ED3, "o"),
    (0x1ED4, "O"),
    (0x1ED5, "o"),
    (0x1ED6, "O"),
    (0x1ED7, "o"),
    (0x1ED8, "O"),
    (0x1ED9, "o"),
    (0x1EDA, "O"),
    (0x1EDB, "o"),
    (0x1EDC, "O"),
    (0x1EDD, "o"),
    (0x1EDE, "O"),
    (0x1EDF, "o"),
    (0x1EE0, "O"),
    (0x1EE1, "o"),
    (0x1EE2, "O"),
    (0x1EE3, "o"),
    (0x1EE4, "U"),
    (0x1EE5, "u"),
    (0x1EE6, "U"),
    (0x1EE7, "u"),
    (0x1EE8, "U"),
    (0x1EE9, "u"),
    (0x1EEA, "U"),
    (0x1EEB, "u"),
    (0x1EEC, "U"),
    (0x1EED, "u"),
    (0x1EEE, "U"),
    (0x1EEF, "u"),
    (0x1EF0, "U"),
    (0x1EF1, "u"),
    (0x1EF2, "Y"),
    (0x1EF3, "y"),
    (0x1EF4, "Y"),
    (0x1EF5, "y"),
    (0x1EF6, "Y"),
    (0x1EF7, "y"),
    (0x1EF8, "Y"),
    (0x1EF9, "y"),
    (0x1EFA, "LL"),
    (0x1EFB, "ll"),
    (0x1EFC, "V"),
    (0x1EFD, "v"),
    (0x1EFE, "Y"),
    (0x1EFF, "y"),
    (0x2000, " "),
    (0x2001, " "),
    (0x2002, " "),
    (0x2003, " "),
    (0x2004, " "),
    (0x2005, " "),
    (0x2006, " "),
    (0x2008, " "),
    (0x2009, " "),
    (0x200A, " "),
    (0x200B, ""),
    (0x2010, "-"),
    (0x2011, "-"),
    (0x2012, "-"),
    (0x2013, "-"),
    (0x2014, "--"),
    (0x2015, "-"),
    (0x2018, "'"),
    (0x2019, "'"),
    (0x201A, ","),
    (0x201B, "'"),
    (0x201C, "\""),
    (0x201D, "\""),
    (0x201E, ",,"),
    (0x201F, "\""),
    (0x2020, "+"),
    (0x2022, "o"),
    (0x2024, "."),
    (0x2025, ".."),
    (0x2026, "..."),
    (0x202F, " "),
    (0x2035, "`"),
    (0x2036, "``"),
    (0x2037, "```"),
    (0x2039, "<"),
    (0x203A, ">"),
    (0x203C, "!!"),
    (0x2044, "/"),
    (0x2047, "??"),
    (0x2048, "?!"),
    (0x2049, "!?"),
    (0x204A, "&"),
    (0x205F, " "),
    (0x2060, ""),
    (0x2061, ""),
    (0x2062, ""),
    (0x2063, ""),
    (0x2070, "0"),
    (0x2071, "i"),
    (0x2074, "4"),
    (0x2075, "5"),
    (0x2076, "6"),
    (0x2077, "7"),
    (0x2078, "8"),
    (0x2079, "9"),
    (0x207A, "+"),
    (0x207C, "="),
    (0x207D, "("),
    (0x207E, ")"),
    (0x207F, "n"),
    (0x2080, "0"),
    (0x2081, "1"),
    (0x2082, "2"),
    (0x2083, "3"),
    (0x2084, "4"),
    (0x2085, "5"),
    (0x2086, "6"),
    (0x2087, "7"),
    (0x2088, "8"),
    (0x2089, "9"),
    (0x208A, "+"),
    (0x208C, "="),
    (0x208D, "("),
    (0x208E, ")"),
    (0x2090, "a"),
    (0x2091, "e"),
    (0x2092, "o"),
    (0x2093, "x"),
    (0x2095, "h"),
    (0x2096, "k"),
    (0x2097, "l"),
    (0x2098, "m"),
    (0x2099, "n"),
    (0x209A, "p"),
    (0x209B, "s"),
    (0x209C, "t"),
    (0x20A0, "CE"),
    (0x20A1, "C="),
    (0x20A2, "Cr"),
    (0x20A3, "Fr."),
    (0x20A4, "L."),
    (0x20A7, "Pts"),
    (0x20A8, "Rs"),
    (0x20A9, "KRW"),
    (0x20AA, "ILS"),
    (0x20AB, "Dong"),
    (0x20AC, "EUR"),
    (0x20AF, "GRD"),
    (0x20B1, "PHP"),
    (0x20B4, "UAH"),
    (0x20B8, "KZT"),
    (0x20B9, "INR"),
    (0x20BA, "TL"),
    (0x20BD, "RUB"),
    (0x20BE, "GEL"),
    (0x20D0, ""),
    (0x20D1, ""),
    (0x20D2, ""),
    (0x20D3, ""),
    (0x20D4, ""),
    (0x20D5, ""),
    (0x20D6, ""),
    (0x20D7, ""),
    (0x20D8, ""),
    (0x20D9, ""),
    (0x20DA, ""),
    (0x20DB, ""),
    (0x20DC, ""),
    (0x20DD, ""),
    (0x20DE, ""),
    (0x20DF, ""),
    (0x20E0, ""),
    (0x20E1, ""),
    (0x20E2, ""),
    (0x20E3, ""),
    (0x20E4, ""),
    (0x20E5, ""),
    (0x20E6, ""),
    (0x20E7, ""),
    (0x20E8, ""),
    (0x20E9, ""),
    (0x20EA, ""),
    (0x20EB, ""),
    (0x20EC, ""),
    (0x20ED, ""),
    (0x20EE, ""),
    (0x20EF, ""),
    (0x20F0, ""),
    (0x2100, "a/c"),
    (0x2101, "a/s"),
    (0x2102, "C"),
    (0x2105, "c/o"),
    (0x2106, "c/u"),
    (0x210A, "g"),
    (0x210B, "H"),
    (0x210C, "H"),
    (0x210D, "H"),
    (0x210E, "h"),
    (0x2110, "I"),
    (0x2111, "I"),
    (0x2112, "L"),
    (0x2113, "l"),
    (0x2115, "N"),
    (0x2116, "No"),
    (0x2119, "P"),
    (0x211A, "Q"),
    (0x211B, "R"),
    (0x211C, "R"),
    (0x211D, "R"),
    (0x211E, "Rx"),
    (0x2120, "SM"),
    (0x2121, "TEL"),
    (0x2122, "(TM)"),
    (0x2124, "Z"),
    (0x2128, "Z"),
    (0x212A, "K"),
    (0x212B, "A"),
    (0x212C, "B"),
    (0x212D, "C"),
    (0x212E, "e"),
    (0x212F, "e"),
    (0x2130, "E"),
    (0x2131, "F"),
    (0x2133, "M"),
    (0x2134, "o"),
    (0x2139, "i"),
    (0x213B, "FAX"),
    (0x2145, "D"),
    (0x2146, "d"),
    (0x2147, "e"),
    (0x2148, "i"),
    (0x2149, "j"),
    (0x2150, " 1/7 "),
    (0x2151, " 1/9 "),
    (0x2152, " 1/10 "),
    (0x2153, " 1/3 "),
    (0x2154, " 2/3 "),
    (0x2155, " 1/5 "),
    (0x2156, " 2/5 "),
    (0x2157, " 3/5 "),
    (0x2158, " 4/5 "),
    (0x2159, " 1/6 "),
    (0x215A, " 5/6 "),
    (0x215B, " 1/8 "),
    (0x215C, " 3/8 "),
    (0x215D, " 5/8 "),
    (0x215E, " 7/8 "),
    (0x215F, " 1/ "),
    (0x2190, "<-"),
    (0x2192, "->"),
    (0x2194, "<->"),
    (0x2212, "-"),
    (0x2215, "/"),
    (0xFB00, "ff"),
    (0xFB01, "fi"),
    (0xFB02, "fl"),
    (0xFB03, "ffi"),
    (0xFB04, "ffl"),
    (0xFB05, "st"),
    (0xFB06, "st"),
];
/// Where glibc picks a different transliteration for LATIN1 (a character it can encode).
static TRANSLIT_LATIN1: &[(u32, &str)] = &[
    (0x01E2, "\u{c6}"),
    (0x01E3, "\u{e6}"),
    (0x01FC, "\u{c6}"),
    (0x01FD, "\u{e6}"),
    (0x01FE, "\u{d8}"),
    (0x01FF, "\u{f8}"),
    (0x02B9, "\u{b4}"),
    (0x02BA, "\u{b4}\u{b4}"),
    (0x02C9, "\u{af}"),
    (0x02CA, "\u{b4}"),
    (0x202F, "\u{a0}"),
    (0x2032, "\u{b4}"),
    (0x2033, "\u{b4}\u{b4}"),
    (0x2034, "\u{b4}\u{b4}\u{b4}"),
    (0x2103, "\u{b0}C"),
    (0x2109, "\u{b0}F"),
];
/// Where glibc picks a different transliteration for CP1252 (a character it can encode).
static TRANSLIT_CP1252: &[(u32, &str)] = &[
    (0x01C4, "D\u{17d}"),
    (0x01C5, "D\u{17e}"),
    (0x01C6, "d\u{17e}"),
    (0x01E2, "\u{c6}"),
    (0x01E3, "\u{e6}"),
    (0x01FC, "\u{c6}"),
    (0x01FD, "\u{e6}"),
    (0x01FE, "\u{d8}"),
    (0x01FF, "\u{f8}"),
    (0x02B9, "\u{b4}"),
    (0x02BA, "\u{b4}\u{b4}"),
    (0x02BB, "\u{2018}"),
    (0x02BC, "\u{2019}"),
    (0x02C9, "\u{af}"),
    (0x02CA, "\u{b4}"),
    (0x202F, "\u{a0}"),
    (0x2032, "\u{b4}"),
    (0x2033, "\u{b4}\u{b4}"),
    (0x2034, "\u{b4}\u{b4}\u{b4}"),
    (0x2103, "\u{b0}C"),
    (0x2109, "\u{b0}F"),
    (0x2212, "\u{2013}"),
];
