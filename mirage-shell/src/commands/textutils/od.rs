//! `od`: dump bytes in octal, hex, decimal or as characters (`-t` types a, c, d, u, o, x with
//! sizes 1/2/4/8 or C/S/I/L; the legacy `-b -c -d -o -s -x -i -l -a`), with `-A` offset radix,
//! `-j` skip, `-N` limit, `-w` width and `-v`. Output lines of one block each are streamed;
//! repeated blocks collapse into `*` unless `-v`.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};
use tokio::io::AsyncReadExt;

use super::support::{HELP, VERSION, inputs, open_input, parse_opts, refuse_help, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always};

pub struct Od;

const SPEC: OptSpec = OptSpec {
    short: "A:aBbcDdeFfHhIij:LlN:OoS:st:vw::Xx",
    long: &[
        LongOpt {
            name: "address-radix",
            has_arg: HasArg::Required,
            key: "A",
        },
        LongOpt {
            name: "skip-bytes",
            has_arg: HasArg::Required,
            key: "skip-bytes",
        },
        LongOpt {
            name: "read-bytes",
            has_arg: HasArg::Required,
            key: "read-bytes",
        },
        LongOpt {
            name: "format",
            has_arg: HasArg::Required,
            key: "t",
        },
        LongOpt {
            name: "output-duplicates",
            has_arg: HasArg::No,
            key: "v",
        },
        LongOpt {
            name: "width",
            has_arg: HasArg::Optional,
            key: "width",
        },
        LongOpt {
            name: "strings",
            has_arg: HasArg::Optional,
            key: "S",
        },
        LongOpt {
            name: "traditional",
            has_arg: HasArg::No,
            key: "traditional",
        },
        LongOpt {
            name: "endian",
            has_arg: HasArg::Required,
            key: "endian",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
}

#[derive(Clone, Copy, Debug)]
struct Format {
    kind: Kind,
    size: usize,
    /// A `z` suffix: the printable characters of the line follow it between `>` and `<`.
    ascii: bool,
}

impl Format {
    /// Digits of one field (without the separating space).
    fn digits(&self) -> usize {
        let idx = match self.size {
            1 => 0,
            2 => 1,
            4 => 2,
            _ => 3,
        };
        match self.kind {
            Kind::Named | Kind::Char => 3,
            Kind::Signed => [4, 6, 11, 20][idx],
            Kind::Unsigned => [3, 5, 10, 20][idx],
            Kind::Octal => [3, 6, 11, 22][idx],
            Kind::Hex => [2, 4, 8, 16][idx],
        }
    }

    /// One field's text, unpadded.
    fn render(&self, bytes: &[u8]) -> String {
        let mut v: u64 = 0;
        for (i, &b) in bytes.iter().enumerate() {
            v |= (b as u64) << (8 * i);
        }
        let bits = 8 * self.size as u32;
        let d = self.digits();
        match self.kind {
            Kind::Char => char_name(bytes[0]),
            Kind::Named => named(bytes[0]),
            Kind::Signed => {
                let shift = 64 - bits;
                (((v << shift) as i64) >> shift).to_string()
            }
            Kind::Unsigned => v.to_string(),
            Kind::Octal => format!("{v:0d$o}"),
            Kind::Hex => format!("{v:0d$x}"),
        }
    }
}

fn char_name(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        11 => "\\v".into(),
        32..=126 => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

const NAMES: [&str; 33] = [
    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
    "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
    "fs", "gs", "rs", "us", "sp",
];

fn named(b: u8) -> String {
    let b = b & 0x7f;
    match b {
        0..=32 => NAMES[b as usize].to_string(),
        127 => "del".into(),
        _ => (b as char).to_string(),
    }
}

/// Parses one `-t` argument (several formats may be concatenated).
fn parse_type(spec: &str, out: &mut Vec<Format>) -> Result<(), String> {
    let b = spec.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let kind = match b[i] {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'u' => Kind::Unsigned,
            b'o' => Kind::Octal,
            b'x' => Kind::Hex,
            b'f' => return Err(String::new()),
            c => {
                return Err(format!(
                    "invalid character '{}' in type string {}",
                    c as char,
                    lquote(spec)
                ));
            }
        };
        i += 1;
        let mut size = 1;
        if !matches!(kind, Kind::Named | Kind::Char) {
            size = 4;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                size = spec[start..i].parse().unwrap_or(0);
                if ![1, 2, 4, 8].contains(&size) {
                    return Err(format!(
                        "invalid type string {};\nthis system doesn't provide a {size}-byte integral type",
                        lquote(spec)
                    ));
                }
            } else if i < b.len() {
                let s = match b[i] {
                    b'C' => Some(1),
                    b'S' => Some(2),
                    b'I' => Some(4),
                    b'L' => Some(8),
                    _ => None,
                };
                if let Some(s) = s {
                    size = s;
                    i += 1;
                }
            }
        }
        let ascii = b.get(i) == Some(&b'z');
        if ascii {
            i += 1;
        }
        out.push(Format { kind, size, ascii });
    }
    Ok(())
}

/// Why a `-j`/`-N`/`-w` number was refused (GNU's `xstrtoumax` outcomes).
#[derive(Debug, PartialEq)]
enum CountError {
    Invalid,
    Suffix,
    TooLarge,
}

/// Parses `-j`/`-N` numbers as `xstrtoumax` does: decimal, `0x` hex or leading-0 octal, then
/// an optional multiplier (`b` 512, `k`/`K` `m`/`M` `G` `T` `P` `E` `Z` `Y` powers of 1024, or
/// of 1000 with a `B` after them, `iB` for 1024 again). `suffixes` false allows none.
fn parse_number(s: &str, suffixes: bool) -> Result<u64, CountError> {
    let (body, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    let end = body
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(body.len());
    let (digits, rest) = body.split_at(end);
    if digits.is_empty() && radix != 8 {
        return Err(CountError::Invalid);
    }
    let value = if digits.is_empty() {
        Ok(0)
    } else {
        u64::from_str_radix(digits, radix)
    };
    if rest.is_empty() {
        return value.map_err(|_| CountError::TooLarge);
    }
    if !suffixes {
        return Err(CountError::Invalid);
    }
    let mut chars = rest.chars();
    let letter = chars.next().unwrap_or('0');
    let tail = chars.as_str();
    let base: u128 = match tail {
        "" | "iB" => 1024,
        "B" | "D" => 1000,
        _ => return Err(CountError::Suffix),
    };
    let mult: u128 = match letter {
        'b' if tail.is_empty() => 512,
        'k' | 'K' => base,
        'm' | 'M' => base.pow(2),
        'G' => base.pow(3),
        'T' => base.pow(4),
        'P' => base.pow(5),
        'E' => base.pow(6),
        'Z' => base.pow(7),
        'Y' => base.pow(8),
        _ => return Err(CountError::Suffix),
    };
    let value = value.map_err(|_| CountError::TooLarge)?;
    u64::try_from(u128::from(value).saturating_mul(mult)).map_err(|_| CountError::TooLarge)
}

/// The message GNU prints for a refused number of option `option` (as the user wrote it).
fn count_error(e: &CountError, option: &str, v: &str) -> String {
    let v = quote_always(v);
    match e {
        CountError::Invalid => format!("invalid {option} argument {v}"),
        CountError::Suffix => format!("invalid suffix in {option} argument {v}"),
        CountError::TooLarge => format!("{option} argument {v} too large"),
    }
}

struct Layout {
    formats: Vec<Format>,
    pads: Vec<usize>,
    width: usize,
    radix: Option<u32>,
    /// Characters the fields of one full line take.
    block_width: usize,
}

impl Layout {
    fn offset(&self, off: u64) -> String {
        match self.radix {
            Some(8) => format!("{off:07o}"),
            Some(16) => format!("{off:06x}"),
            Some(_) => format!("{off:07}"),
            None => String::new(),
        }
    }

    /// The lines for one block (`data.len() <= width`).
    fn block(&self, off: u64, data: &[u8]) -> String {
        let mut s = String::new();
        for (k, f) in self.formats.iter().enumerate() {
            let line_start = s.len();
            if k == 0 {
                s.push_str(&self.offset(off));
            } else {
                s.push_str(&" ".repeat(self.offset(0).len()));
            }
            let fields = self.width / f.size;
            let present = data.len().div_ceil(f.size);
            let pad = self.pads[k];
            let mut pad_remaining = pad;
            for (n, i) in (1..=fields).rev().enumerate() {
                if n >= present {
                    break;
                }
                let next_pad = pad * (i - 1) / fields;
                let w = pad_remaining - next_pad + f.digits();
                let mut chunk = vec![0u8; f.size];
                let start = n * f.size;
                let end = (start + f.size).min(data.len());
                chunk[..end - start].copy_from_slice(&data[start..end]);
                s.push_str(&format!(" {:>w$}", f.render(&chunk)));
                pad_remaining = next_pad;
            }
            if f.ascii {
                let used = s.len() - line_start;
                let full = self.offset(0).len() + self.block_width;
                s.extend(std::iter::repeat_n(' ', full.saturating_sub(used)));
                s.push_str("  >");
                s.extend(data.iter().map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                }));
                s.push('<');
            }
            s.push('\n');
        }
        s
    }
}

fn lcm(a: usize, b: usize) -> usize {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    a / x * b
}

/// Reads up to `buf.len()` bytes across the inputs, opening the next file as needed.
struct Inputs {
    names: Vec<String>,
    next: usize,
    current: Option<Reader>,
    failed: bool,
    /// Whether any input could be opened (without one GNU prints no final offset).
    opened: bool,
}

impl Inputs {
    async fn fill(&mut self, ctx: &mut CommandContext, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut got = 0;
        while got < buf.len() {
            if self.current.is_none() {
                if self.next >= self.names.len() {
                    break;
                }
                let name = self.names[self.next].clone();
                self.next += 1;
                match open_input(ctx, &name).await {
                    Ok(r) => {
                        self.current = Some(r);
                        self.opened = true;
                    }
                    Err(e) => {
                        ctx.error(format!("{name}: {e}")).await?;
                        self.failed = true;
                    }
                }
                continue;
            }
            let n = match self.current.as_mut() {
                Some(r) => r.read(&mut buf[got..]).await?,
                None => 0,
            };
            if n == 0 {
                self.current = None;
            }
            got += n;
        }
        Ok(got)
    }
}

#[async_trait]
impl Command for Od {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut formats = Vec::new();
        let mut radix = Some(8);
        let mut skip = 0u64;
        let mut limit = u64::MAX;
        let mut width = None;
        for o in &parsed.opts {
            let v = o.value.as_deref().unwrap_or("");
            let legacy = match o.key.as_str() {
                "a" => Some("a"),
                "b" => Some("o1"),
                "c" => Some("c"),
                "d" => Some("u2"),
                "o" => Some("o2"),
                "s" => Some("d2"),
                "x" => Some("x2"),
                "i" => Some("dI"),
                "l" => Some("dL"),
                "t" => Some(v),
                _ => None,
            };
            if let Some(t) = legacy {
                if let Err(m) = parse_type(t, &mut formats) {
                    if m.is_empty() {
                        // Floating-point types are not implemented.
                        return unsupported(ctx, &format!("-t {t}")).await;
                    }
                    ctx.error(m).await?;
                    return Ok(1);
                }
                continue;
            }
            match o.key.as_str() {
                "A" => {
                    radix = match v {
                        "o" => Some(8),
                        "x" => Some(16),
                        "d" => Some(10),
                        "n" => None,
                        _ => {
                            let m = format!(
                                "invalid output address radix '{v}'; it must be one character from [doxn]"
                            );
                            ctx.error(m).await?;
                            return Ok(1);
                        }
                    }
                }
                "j" | "N" | "skip-bytes" | "read-bytes" => match parse_number(v, true) {
                    Ok(n) if matches!(o.key.as_str(), "j" | "skip-bytes") => skip = n,
                    Ok(n) => limit = n,
                    Err(e) => {
                        let option = if o.key.len() == 1 {
                            format!("-{}", o.key)
                        } else {
                            format!("--{}", o.key)
                        };
                        ctx.error(count_error(&e, &option, v)).await?;
                        return Ok(1);
                    }
                },
                "w" | "width" => {
                    width = Some(if o.value.is_none() {
                        32
                    } else {
                        match parse_number(v, false) {
                            Ok(n) => usize::try_from(n).unwrap_or(usize::MAX),
                            Err(e) => {
                                let option = if o.key == "w" { "-w" } else { "--width" };
                                ctx.error(count_error(&e, option, v)).await?;
                                return Ok(1);
                            }
                        }
                    })
                }
                "v" => {}
                k => {
                    let name = if k.len() == 1 {
                        format!("-{k}")
                    } else {
                        format!("--{k}")
                    };
                    return unsupported(ctx, &name).await;
                }
            }
        }
        if formats.is_empty() {
            formats.push(Format {
                kind: Kind::Octal,
                size: 2,
                ascii: false,
            });
        }
        let unit = formats.iter().fold(1, |acc, f| lcm(acc, f.size));
        let mut width = width.unwrap_or(16);
        if width == 0 || width % unit != 0 {
            ctx.error(format!(
                "warning: invalid width {width}; using {unit} instead"
            ))
            .await?;
            width = unit;
        }
        let block_width = formats
            .iter()
            .map(|f| (f.digits() + 1) * (width / f.size))
            .max()
            .unwrap_or(0);
        let pads = formats
            .iter()
            .map(|f| block_width - f.digits() * (width / f.size) - width / f.size)
            .collect();
        let layout = Layout {
            formats,
            pads,
            width,
            radix,
            block_width,
        };
        let mut input = Inputs {
            names: inputs(&parsed.operands),
            next: 0,
            current: None,
            failed: false,
            opened: false,
        };
        let skip_total = skip;
        // Skip `-j` bytes across files.
        let mut scratch = vec![0u8; 8192];
        while skip > 0 {
            let want = skip.min(scratch.len() as u64) as usize;
            let n = input.fill(ctx, &mut scratch[..want]).await?;
            if n == 0 {
                ctx.error("cannot skip past end of combined input").await?;
                return Ok(1);
            }
            skip -= n as u64;
        }
        let mut offset = skip_total;
        let mut prev: Option<Vec<u8>> = None;
        let mut starred = false;
        let verbose = parsed.has("v");
        let mut buf = vec![0u8; width];
        let mut remaining = limit;
        loop {
            let want = (width as u64).min(remaining) as usize;
            let n = if want == 0 {
                0
            } else {
                input.fill(ctx, &mut buf[..want]).await?
            };
            if n == 0 {
                break;
            }
            remaining -= n as u64;
            let data = &buf[..n];
            if !verbose && n == width && prev.as_deref() == Some(data) {
                if !starred {
                    ctx.stdout.write_all(b"*\n").await?;
                    starred = true;
                }
            } else {
                starred = false;
                ctx.stdout
                    .write_all(layout.block(offset, data).as_bytes())
                    .await?;
                prev = Some(data.to_vec());
            }
            offset += n as u64;
        }
        if layout.radix.is_some() && input.opened {
            let end = format!("{}\n", layout.offset(offset));
            ctx.stdout.write_all(end.as_bytes()).await?;
        }
        Ok(i32::from(input.failed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders() {
        let f = Format {
            kind: Kind::Signed,
            size: 1,
            ascii: false,
        };
        assert_eq!(f.render(&[0x80]), "-128");
        let f = Format {
            kind: Kind::Hex,
            size: 2,
            ascii: false,
        };
        assert_eq!(f.render(&[0x61, 0x62]), "6261");
    }
}
