//! `stat -c FORMAT` / `--printf FORMAT`: print what a virtual tree knows about a file (name,
//! size, type, modification time, and the mode when the backend has one). GNU's default format
//! shows inodes, owners and block counts, which Mirage would have to invent, so plain `stat FILE`
//! is refused, as is any directive for such data.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FileStat};

use super::support::{
    HELP, UNSUPPORTED_STATUS, VERSION, argmatch, gnu_size, long, lstat_operand, parse_refusing,
    quote_always, stat_operand, unsupported, usage_error,
};
use super::time::{Stamp, format_full};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Stat;

const SPEC: OptSpec = OptSpec {
    short: "c:fLt",
    long: &[
        long("cached", HasArg::Required, "cached"),
        long("dereference", HasArg::No, "L"),
        long("file-system", HasArg::No, "f"),
        long("format", HasArg::Required, "c"),
        long("printf", HasArg::Required, "printf"),
        long("terse", HasArg::No, "t"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

const CACHED: &[(&str, u8)] = &[("default", 0), ("never", 1), ("always", 2)];

/// Directives GNU knows for files whose data a virtual tree does not have.
const REFUSED_DIRECTIVES: &str = "bBCdDhimorRtTxXzZ";

/// One `%` directive with its printf-style flags.
#[derive(Clone, Debug, Default)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    width: usize,
    /// `None` without a `.`; `Some(None)` for a bare `.`.
    precision: Option<Option<usize>>,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(Vec<u8>),
    Directive(Spec, char),
    /// GNU prints `?` for a conversion it does not know.
    Unknown,
    /// A directive for data Mirage does not have (`%i`, `%U`, `%Hd`...).
    Refused(String),
}

#[async_trait]
impl Command for Stat {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, &["f", "t"]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(v) = parsed.last("cached")
            && let Err(status) = argmatch(ctx, "--cached", v, CACHED).await?
        {
            return Ok(status);
        }
        // The last of -c/--printf wins, as in GNU.
        let format = parsed
            .opts
            .iter()
            .rev()
            .find(|o| o.key == "c" || o.key == "printf");
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let Some(format) = format else {
            // Errors come first, as GNU reports them; a file that exists is refused.
            let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
            let mut status = 0;
            for op in &parsed.operands {
                let found = if parsed.has("L") {
                    stat_operand(&fs, &cwd, op).await
                } else {
                    lstat_operand(&fs, &cwd, op).await
                };
                if let Err(e) = found {
                    ctx.error(format!("cannot statx {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                    continue;
                }
                let line = "mirage: stat: unsupported: the default format (it shows inodes, owners and blocks); use -c/--format or --printf\n";
                ctx.stderr.write_all(line.as_bytes()).await?;
                return Ok(UNSUPPORTED_STATUS);
            }
            return Ok(status);
        };
        let printf = format.key == "printf";
        let text = format.value.clone().unwrap_or_default();
        let (pieces, warnings) = compile(&text, printf);
        if let Some(d) = pieces.iter().find_map(|p| match p {
            Piece::Refused(d) => Some(d.clone()),
            _ => None,
        }) {
            let line = format!("mirage: stat: unsupported format directive: %{d}\n");
            ctx.stderr.write_all(line.as_bytes()).await?;
            return Ok(UNSUPPORTED_STATUS);
        }
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        for op in &parsed.operands {
            if op == "-" {
                return unsupported(ctx, "- (standard input as the file)").await;
            }
            let found = if parsed.has("L") {
                stat_operand(&fs, &cwd, op).await
            } else {
                lstat_operand(&fs, &cwd, op).await
            };
            match found {
                Ok((path, st)) => {
                    let link = if st.is_symlink() {
                        fs.link_target(&path)
                    } else {
                        None
                    };
                    for w in &warnings {
                        ctx.error(format!("warning: {w}")).await?;
                    }
                    let mut out = render(&pieces, op, &st, link.as_deref());
                    if !printf {
                        out.push(b'\n');
                    }
                    ctx.stdout.write_all(&out).await?;
                }
                Err(e) => {
                    ctx.error(format!("cannot statx {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

/// Splits a format into text and directives; with `--printf` backslash escapes are decoded too
/// (warnings for unknown ones are returned to be printed with each file, as GNU does).
fn compile(format: &str, printf: bool) -> (Vec<Piece>, Vec<String>) {
    let bytes = format.as_bytes();
    let mut pieces = Vec::new();
    let mut warnings = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let (piece, next) = directive(bytes, i + 1);
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                match piece {
                    Some(p) => pieces.push(p),
                    None => text.push(b'%'),
                }
                i = next;
            }
            b'\\' if printf => {
                i = escape(bytes, i + 1, &mut text, &mut warnings);
            }
            b => {
                text.push(b);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    (pieces, warnings)
}

/// Parses a directive after `%`; `None` means a literal `%` (`%%` or a trailing `%`).
fn directive(bytes: &[u8], mut i: usize) -> (Option<Piece>, usize) {
    let mut spec = Spec::default();
    while let Some(&b) = bytes.get(i) {
        match b {
            b'-' => spec.left = true,
            b'0' => spec.zero = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' | b'\'' | b'I' => {}
            _ => break,
        }
        i += 1;
    }
    while let Some(b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        spec.width = spec
            .width
            .saturating_mul(10)
            .saturating_add(usize::from(b - b'0'));
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut p = 0usize;
        while let Some(b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            p = p.saturating_mul(10).saturating_add(usize::from(b - b'0'));
            i += 1;
        }
        spec.precision = Some(if i > start { Some(p) } else { None });
    }
    let Some(&conv) = bytes.get(i) else {
        return (None, i);
    };
    let conv = conv as char;
    match conv {
        '%' => (None, i + 1),
        'n' | 'N' | 's' | 'F' | 'y' | 'Y' | 'w' | 'W' | 'a' | 'A' | 'f' | 'U' | 'G' | 'u' | 'g' => {
            (Some(Piece::Directive(spec, conv)), i + 1)
        }
        'H' | 'L' => match bytes.get(i + 1) {
            Some(b'd') | Some(b'r') => (
                Some(Piece::Refused(format!("{conv}{}", bytes[i + 1] as char))),
                i + 2,
            ),
            _ => (Some(Piece::Unknown), i + 1),
        },
        c if REFUSED_DIRECTIVES.contains(c) => (Some(Piece::Refused(c.to_string())), i + 1),
        _ => (Some(Piece::Unknown), i + c_len(bytes, i)),
    }
}

/// Length of the (possibly multi-byte) character at `i`.
fn c_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        Some(b) if *b >= 0xC0 => 2,
        _ => 1,
    }
}

/// Decodes one backslash escape starting after the `\`; returns where to continue.
fn escape(bytes: &[u8], i: usize, out: &mut Vec<u8>, warnings: &mut Vec<String>) -> usize {
    let Some(&c) = bytes.get(i) else {
        warnings.push("backslash at end of format".to_string());
        out.push(b'\\');
        return i;
    };
    let simple = match c {
        b'a' => Some(7),
        b'b' => Some(8),
        b'e' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return i + 1;
    }
    if (b'0'..=b'7').contains(&c) {
        let mut v: u32 = 0;
        let mut j = i;
        while j < i + 3 && bytes.get(j).is_some_and(|b| (b'0'..=b'7').contains(b)) {
            v = v * 8 + u32::from(bytes[j] - b'0');
            j += 1;
        }
        out.push((v & 0xff) as u8);
        return j;
    }
    if c == b'x' && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) {
        let mut v: u32 = 0;
        let mut j = i + 1;
        while j < i + 3 && bytes.get(j).is_some_and(u8::is_ascii_hexdigit) {
            v = v * 16 + (bytes[j] as char).to_digit(16).unwrap_or(0);
            j += 1;
        }
        out.push(v as u8);
        return j;
    }
    let len = c_len(bytes, i);
    let ch = String::from_utf8_lossy(&bytes[i..(i + len).min(bytes.len())]).into_owned();
    warnings.push(format!("unrecognized escape '\\{ch}'"));
    out.extend_from_slice(ch.as_bytes());
    i + len
}

fn render(pieces: &[Piece], name: &str, st: &FileStat, link: Option<&str>) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.extend_from_slice(t),
            Piece::Unknown | Piece::Refused(_) => out.push(b'?'),
            Piece::Directive(spec, conv) => {
                out.extend_from_slice(field(spec, *conv, name, st, link).as_bytes())
            }
        }
    }
    out
}

fn field(spec: &Spec, conv: char, name: &str, st: &FileStat, link: Option<&str>) -> String {
    let mtime = st.modified.map(Stamp::from_system);
    match conv {
        'n' => string(spec, name),
        'N' => match link {
            Some(target) => string(
                spec,
                &format!("{} -> {}", quote_always(name), quote_always(target)),
            ),
            None => string(spec, &quote_always(name)),
        },
        'F' => string(spec, file_type(st)),
        's' => match gnu_size(st) {
            Some(size) => integer(spec, i128::from(size)),
            None => string(spec, "?"),
        },
        'y' => string(spec, &mtime.map_or_else(|| "?".to_string(), format_full)),
        'Y' => match mtime {
            Some(t) => epoch(spec, t),
            None => string(spec, "?"),
        },
        // Every file belongs to the user Mirage runs as, as in `ls -l`.
        'U' | 'G' | 'u' | 'g' => {
            let (user, group, uid, gid) = super::ls_long::owner_names();
            match conv {
                'U' => string(spec, &user),
                'G' => string(spec, &group),
                'u' => integer(spec, uid.parse::<i128>().unwrap_or(0)),
                _ => integer(spec, gid.parse::<i128>().unwrap_or(0)),
            }
        }
        // Birth time is unknown here, which GNU prints as `-` and 0.
        'w' => string(spec, "-"),
        'W' => epoch(spec, Stamp { secs: 0, nanos: 0 }),
        'a' => octal(spec, st.mode_or_default() & 0o7777),
        'A' => string(spec, &permissions(st, st.mode_or_default())),
        'f' => string(
            spec,
            &format!("{:x}", type_bits(st) | (st.mode_or_default() & 0o7777)),
        ),
        _ => "?".to_string(),
    }
}

fn file_type(st: &FileStat) -> &'static str {
    if st.is_dir() {
        "directory"
    } else if st.is_symlink() {
        "symbolic link"
    } else if st.is_char_device() {
        "character special file"
    } else if st.size == Some(0) {
        "regular empty file"
    } else {
        "regular file"
    }
}

fn type_bits(st: &FileStat) -> u32 {
    if st.is_dir() {
        0o040000
    } else if st.is_symlink() {
        0o120000
    } else if st.is_char_device() {
        0o020000
    } else {
        0o100000
    }
}

pub(super) fn permissions(st: &FileStat, mode: u32) -> String {
    let kind = if st.is_dir() {
        'd'
    } else if st.is_char_device() {
        'c'
    } else if st.is_symlink() {
        'l'
    } else {
        '-'
    };
    format!("{kind}{}", super::chmod::symbolic(mode))
}

/// Pads `body` (already carrying any sign) to the width, with zeros after the sign when asked.
fn pad(spec: &Spec, body: String, zero_ok: bool) -> String {
    let len = body.chars().count();
    if len >= spec.width {
        return body;
    }
    let fill = spec.width - len;
    if spec.left {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero && zero_ok {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('+' | '-' | ' ')) => (c.to_string(), body[1..].to_string()),
            _ => (String::new(), body),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

/// `%s`-style text: precision truncates, the `0` flag does nothing.
fn string(spec: &Spec, s: &str) -> String {
    let s: String = match spec.precision {
        Some(p) => s.chars().take(p.unwrap_or(0)).collect(),
        None => s.to_string(),
    };
    pad(spec, s, false)
}

fn sign(spec: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

/// `%d`-style numbers: precision is a minimum digit count (and turns off zero padding).
fn integer(spec: &Spec, v: i128) -> String {
    let mut digits = v.unsigned_abs().to_string();
    if let Some(p) = spec.precision {
        let p = p.unwrap_or(0);
        if p == 0 && v == 0 {
            digits.clear();
        }
        if digits.len() < p {
            digits = format!("{}{digits}", "0".repeat(p - digits.len()));
        }
    }
    pad(
        spec,
        format!("{}{digits}", sign(spec, v < 0)),
        spec.precision.is_none(),
    )
}

fn octal(spec: &Spec, v: u32) -> String {
    pad(spec, format!("{v:o}"), spec.precision.is_none())
}

/// Seconds since the epoch with an optional fraction: `%Y`, `%.3Y`, `%.Y` (nine digits).
fn epoch(spec: &Spec, t: Stamp) -> String {
    let digits = match spec.precision {
        None => return integer(spec, i128::from(t.secs)),
        Some(p) => p.unwrap_or(9),
    };
    let (secs, nanos, negative) = if t.secs < 0 && t.nanos > 0 {
        ((t.secs + 1).unsigned_abs(), 1_000_000_000 - t.nanos, true)
    } else {
        (t.secs.unsigned_abs(), t.nanos, t.secs < 0)
    };
    let mut body = format!("{}{secs}", sign(spec, negative));
    if digits > 0 {
        let mut frac = format!("{nanos:09}");
        if digits < 9 {
            frac.truncate(digits);
        } else {
            frac.push_str(&"0".repeat(digits - 9));
        }
        body = format!("{body}.{frac}");
    }
    pad(spec, body, true)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fails, fs_with, run_on, set_time, succeeds};
    use mirage_core::{MountTable, VPath};
    use std::sync::Arc;

    /// `a` holds "hello" with mtime 2020-01-02 03:04:05.123456789 like the GNU recording;
    /// `e` is empty and `d` a directory.
    async fn fixture() -> Arc<MountTable> {
        let fs = fs_with(&[("a", "hello"), ("e", ""), ("d/", "")]).await;
        set_time(&fs, "d", 1_795_527_672).await;
        let t = super::Stamp {
            secs: 1_577_934_245,
            nanos: 123_456_789,
        }
        .to_system();
        fs.set_modified(&VPath::new("/data/a"), t)
            .await
            .expect("set time");
        fs
    }

    #[tokio::test]
    async fn fields() {
        let fs = fixture().await;
        let out = "a 5 regular file 1577934245 2020-01-02 03:04:05.123456789 +0000\nd 4096 directory 1795527672 2026-11-24 13:41:12.000000000 +0000\n";
        succeeds(
            &run_on(&fs, &["stat", "-c", "%n %s %F %Y %y", "a", "d"]).await,
            out,
        );
        succeeds(
            &run_on(&fs, &["stat", "-c", "%F|%N|%w|%W", "e", "a"]).await,
            "regular empty file|'e'|-|0\nregular file|'a'|-|0\n",
        );
        succeeds(
            &run_on(&fs, &["stat", "--printf", "%n|%s\\n", "a", "d"]).await,
            "a|5\nd|4096\n",
        );
        succeeds(
            &run_on(&fs, &["stat", "--printf", "%n\\t%s", "a"]).await,
            "a\t5",
        );
        succeeds(
            &run_on(&fs, &["stat", "-c", "%n\\t%s", "a"]).await,
            "a\\t5\n",
        );
        succeeds(&run_on(&fs, &["stat", "-c", "", "a"]).await, "\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%%", "a"]).await, "%\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%", "a"]).await, "%\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%q", "a"]).await, "?\n");
        succeeds(&run_on(&fs, &["stat", "-c", "x%", "a"]).await, "x%\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%.*Y", "a"]).await, "?Y\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%s %S", "a"]).await, "5 ?\n");
        succeeds(&run_on(&fs, &["stat", "-c", "%H|%Hx", "a"]).await, "?|?x\n");
        succeeds(&run_on(&fs, &["stat", "--format=%s", "a"]).await, "5\n");
        succeeds(
            &run_on(
                &fs,
                &["stat", "-L", "--cached=never", "-c", "%n", "./a", "d/", "/"],
            )
            .await,
            "./a\nd/\n/\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["stat", "--printf", "%n\\n", "a", "--printf", "%s\\n"],
            )
            .await,
            "5\n",
        );
        succeeds(
            &run_on(&fs, &["stat", "-c", "%n", "-c", "%s", "a"]).await,
            "5\n",
        );
    }

    #[tokio::test]
    async fn widths_and_precisions() {
        let fs = fixture().await;
        let out = "         5|a    |00005|1577934245.123|1577934245.123456789|1577934245.123456789|   +5\n";
        succeeds(
            &run_on(
                &fs,
                &["stat", "-c", "%10s|%-5n|%05s|%.3Y|%.9Y|%.Y|%+5s", "a"],
            )
            .await,
            out,
        );
        succeeds(&run_on(&fs, &["stat", "-c", "%.3y", "a"]).await, "202\n");
        let out = "1577934245|1577934245.1|1577934245.1234567890|5|+5| 5\n";
        succeeds(
            &run_on(&fs, &["stat", "-c", "%.0Y|%.1Y|%.10Y|%#s|%+s|% s", "a"]).await,
            out,
        );
        succeeds(
            &run_on(&fs, &["stat", "-c", "%'s|%-08s|%08.3Y|%-+8s|", "a"]).await,
            "5|5       |1577934245.123|+5      |\n",
        );
        succeeds(
            &run_on(&fs, &["stat", "-c", "%.s|%5.2n|%-.0Y|%010.3Y", "a"]).await,
            "5|    a|1577934245|1577934245.123\n",
        );
        let out = "0000001577934245.123|      1577934245.123|1577934245.123      |00000000000000000005|+0000000000000000005|     2020-01-02 03:04:05.123456789 +0000|a    |    a|5|005|  005| 0005|+005|00000000001577934245|reg|                  regular file|regular file|1577934245.123456789|1577934245.123456789000\n";
        let fmt = "%020.3Y|%20.3Y|%-20.3Y|%020s|%+020s|%40y|%-5n|%05n|%.0s|%.3s|%5.3s|% 05s|%+.3s|%020Y|%.3F|%30F|%010F|%.Y|%.12Y";
        succeeds(&run_on(&fs, &["stat", "-c", fmt, "a"]).await, out);
        succeeds(
            &run_on(&fs, &["stat", "-c", "%-.3Y|%+Y|%+.3Y", "a"]).await,
            "1577934245.123|+1577934245|+1577934245.123\n",
        );
    }

    #[tokio::test]
    async fn escapes_in_printf() {
        let fs = fixture().await;
        let c = run_on(&fs, &["stat", "--printf", "\\t\\v\\\\\\\"\\q\\0z", "a"]).await;
        assert_eq!(c.stdout, b"\t\x0b\\\"q\0z");
        assert_eq!(c.err(), "stat: warning: unrecognized escape '\\q'\n");
        let c = run_on(&fs, &["stat", "--printf", "\\1234\\x4g\\x", "a"]).await;
        assert_eq!(c.stdout, b"S4\x04gx");
        assert_eq!(c.err(), "stat: warning: unrecognized escape '\\x'\n");
        let c = run_on(
            &fs,
            &["stat", "--printf", "\\e|\\'|\\?|\\0101|\\x41\\x4|\\18", "a"],
        )
        .await;
        assert_eq!(c.stdout, b"\x1b|'|?|\x081|A\x04|\x018");
        succeeds(
            &run_on(&fs, &["stat", "--printf", "\\x41\\101\\n", "a"]).await,
            "AA\n",
        );
        check(
            &run_on(&fs, &["stat", "--printf=%s\\", "a"]).await,
            "5\\",
            "stat: warning: backslash at end of format\n",
            0,
        );
    }

    #[tokio::test]
    async fn errors_and_refusals() {
        let fs = fixture().await;
        check(
            &run_on(&fs, &["stat", "-c", "%n", "nope", "a"]).await,
            "a\n",
            "stat: cannot statx 'nope': No such file or directory\n",
            1,
        );
        check(
            &run_on(&fs, &["stat", "--printf=%n", "a", "b"]).await,
            "a",
            "stat: cannot statx 'b': No such file or directory\n",
            1,
        );
        check(
            &run_on(&fs, &["stat", "-c", "%s", "nope", "d", "a"]).await,
            "4096\n5\n",
            "stat: cannot statx 'nope': No such file or directory\n",
            1,
        );
        fails(
            &run_on(&fs, &["stat"]).await,
            "stat: missing operand\nTry 'stat --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["stat", "-c"]).await,
            "stat: option requires an argument -- 'c'\nTry 'stat --help' for more information.\n",
        );
        let plain = "mirage: stat: unsupported: the default format (it shows inodes, owners and blocks); use -c/--format or --printf\n";
        check(&run_on(&fs, &["stat", "a"]).await, "", plain, 2);
        check(
            &run_on(&fs, &["stat", "-c", "%i", "a"]).await,
            "",
            "mirage: stat: unsupported format directive: %i\n",
            2,
        );
        check(
            &run_on(&fs, &["stat", "-c", "%Lr", "a"]).await,
            "",
            "mirage: stat: unsupported format directive: %Lr\n",
            2,
        );
        check(
            &run_on(&fs, &["stat", "-t", "a"]).await,
            "",
            "mirage: stat: unsupported option: -t\n",
            2,
        );
        check(
            &run_on(&fs, &["stat", "-f", "a"]).await,
            "",
            "mirage: stat: unsupported option: -f\n",
            2,
        );
        // A backend that keeps no mode shows the defaults `ls -l` shows.
        succeeds(
            &run_on(&fs, &["stat", "-c", "%a|%A|%f", "a"]).await,
            "644|-rw-r--r--|81a4\n",
        );
        let bogus = "stat: invalid argument \u{2018}bogus\u{2019} for \u{2018}--cached\u{2019}\nValid arguments are:\n  - \u{2018}default\u{2019}\n  - \u{2018}never\u{2019}\n  - \u{2018}always\u{2019}\nTry 'stat --help' for more information.\n";
        fails(
            &run_on(&fs, &["stat", "--cached=bogus", "-c", "%n", "a"]).await,
            bogus,
        );
    }
}
