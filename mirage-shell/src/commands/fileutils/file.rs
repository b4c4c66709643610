//! `file`: guess a file's type from its first bytes, for the common cases libmagic (file 5.44)
//! reports: directories, empty files, gzip/PDF/tar magic, shell and Python scripts, JSON and
//! newline-delimited JSON, and ASCII / UTF-8 / ISO-8859 text with libmagic's line-terminator
//! notes. Anything else is `data`. libmagic's language heuristics (C, Java, CSV...) are not
//! reproduced, so such files read as plain text here.

use std::io;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, unsupported};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};

pub struct File;

const SPEC: OptSpec = OptSpec {
    short: "bcCdEhikLlNnprsSvzZ0e:f:F:m:P:",
    long: &[
        LongOpt {
            name: "brief",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "mime",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "mime-type",
            has_arg: HasArg::No,
            key: "mime-type",
        },
        LongOpt {
            name: "mime-encoding",
            has_arg: HasArg::No,
            key: "mime-encoding",
        },
        LongOpt {
            name: "no-pad",
            has_arg: HasArg::No,
            key: "N",
        },
        LongOpt {
            name: "dereference",
            has_arg: HasArg::No,
            key: "L",
        },
        LongOpt {
            name: "help",
            has_arg: HasArg::No,
            key: "help",
        },
        LongOpt {
            name: "version",
            has_arg: HasArg::No,
            key: "v",
        },
    ],
    stop_at_operand: false,
};

const USAGE: &str = "Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]
            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]
            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]
            <file> ...
       file -C [-m <magicfiles>]
       file [--help]
";

/// How much of a file is examined (libmagic looks at the start of the file only).
const SAMPLE: usize = 1 << 20;

/// libmagic's "text" bytes: BEL..CR, ESC and printable ASCII.
fn is_text_byte(b: u8) -> bool {
    matches!(b, 0x07..=0x0d | 0x1b | 0x20..=0x7e)
}

/// The `, with ... line terminators` notes.
fn line_notes(data: &[u8]) -> String {
    let (mut crlf, mut cr, mut lf) = (0, 0, 0);
    let mut longest = 0usize;
    let mut cur = 0usize;
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\r' if data.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                i += 1;
                cur = 0;
            }
            b'\r' => {
                cr += 1;
                cur = 0;
            }
            b'\n' => {
                lf += 1;
                cur = 0;
            }
            _ => {
                cur += 1;
                longest = longest.max(cur);
            }
        }
        i += 1;
    }
    let mut out = String::new();
    if longest > 300 {
        out.push_str(&format!(", with very long lines ({longest})"));
    }
    let mut kinds = Vec::new();
    if crlf > 0 {
        kinds.push("CRLF");
    }
    if cr > 0 {
        kinds.push("CR");
    }
    if lf > 0 && (crlf > 0 || cr > 0) {
        kinds.push("LF");
    }
    if !kinds.is_empty() {
        out.push_str(&format!(", with {} line terminators", kinds.join(", ")));
    } else if lf == 0 {
        out.push_str(", with no line terminators");
    }
    out
}

/// `ASCII`, `Unicode text, UTF-8` or `ISO-8859` for text; `None` for binary data.
fn text_kind(data: &[u8]) -> Option<&'static str> {
    if data.iter().all(|&b| is_text_byte(b)) {
        return Some("ASCII text");
    }
    if data.iter().any(|&b| b < 0x80 && !is_text_byte(b)) {
        return None;
    }
    if std::str::from_utf8(data).is_ok() {
        return Some("Unicode text, UTF-8 text");
    }
    if data.iter().all(|&b| b >= 0xa0 || is_text_byte(b)) {
        return Some("ISO-8859 text");
    }
    None
}

fn is_json_container(data: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(data),
        Ok(serde_json::Value::Object(_) | serde_json::Value::Array(_))
    )
}

/// Newline-delimited JSON: two or more lines, each an object or array.
fn is_ndjson(data: &[u8]) -> bool {
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    lines.len() >= 2 && lines.iter().all(|l| is_json_container(l))
}

/// libmagic's CSV test: consistent comma counts over the first lines (quotes skip commas).
fn is_csv(data: &[u8]) -> bool {
    let (mut nf, mut tf, mut nl) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        i += 1;
        match c {
            b'"' => {
                let mut quote = false;
                while i < data.len() {
                    let c = data[i];
                    i += 1;
                    if c != b'"' {
                        if quote {
                            i -= 1;
                            break;
                        }
                        continue;
                    }
                    quote = !quote;
                }
            }
            b',' => nf += 1,
            b'\n' => {
                nl += 1;
                if nl == 10 {
                    return tf != 0 && tf == nf;
                }
                if tf == 0 {
                    if nf == 0 {
                        return false;
                    }
                    tf = nf;
                } else if tf != nf {
                    return false;
                }
                nf = 0;
            }
            _ => {}
        }
    }
    tf != 0 && nl > 2
}

/// libmagic's Python heuristics (`from X import`, `def f(a):`, `class A:`, `__main__`).
fn looks_python(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&data[..data.len().min(8192)]);
    let re = |p: &str| regex::Regex::new(p).is_ok_and(|r| r.is_match(&text));
    if re(r"(?m)^from[ \t\x0c\r\n]+[A-Za-z0-9_.]+[ \t\x0c\r\n]+import")
        || re(r"(?m)^import [_A-Za-z]+ as [A-Za-z][ \t\r]*$")
    {
        return true;
    }
    let head = &text[..text.len().min(4096)];
    if let Some(i) = head.find("def ")
        && regex::Regex::new(r"^[_a-zA-Z0-9]+\([_a-zA-Z0-9, ]*\):")
            .is_ok_and(|r| r.is_match(&text[i + 4..]))
    {
        return true;
    }
    if let Some(i) = text.find("class ")
        && regex::Regex::new(r"^[_a-zA-Z0-9]+(\(.*\))? *:")
            .is_ok_and(|r| r.is_match(&text[i + 6..]))
    {
        return true;
    }
    if let Some(i) = head.find("if __name__") {
        let after = &text[i..text.len().min(i + 11 + 64)];
        if after.contains("'__main__'") || after.contains("\"__main__\"") {
            return true;
        }
    }
    false
}

/// The gzip header's details, as libmagic prints them.
fn gzip_details(data: &[u8], tail: Option<[u8; 4]>) -> String {
    let mut out = String::from("gzip compressed data");
    if data.len() < 10 {
        return out;
    }
    let flags = data[3];
    let mtime = u32::from_le_bytes([data[4], data[5], data[6], data[7]]);
    let mut pos = 10usize;
    if flags & 4 != 0 {
        let xlen = data
            .get(10..12)
            .map_or(0, |x| u16::from_le_bytes([x[0], x[1]]) as usize);
        pos += 2 + xlen;
    }
    if flags & 8 != 0
        && let Some(rest) = data.get(pos..)
    {
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        out.push_str(&format!(
            ", was \"{}\"",
            String::from_utf8_lossy(&rest[..end])
        ));
    }
    if mtime != 0 {
        out.push_str(&format!(", last modified: {}", ctime(i64::from(mtime))));
    }
    match data[8] {
        2 => out.push_str(", max compression"),
        4 => out.push_str(", max speed"),
        _ => {}
    }
    let os = match data[9] {
        0 => "FAT filesystem (MS-DOS, OS/2, NT)",
        3 => "Unix",
        7 => "Macintosh",
        11 => "NTFS filesystem (NT)",
        _ => "",
    };
    if !os.is_empty() {
        out.push_str(&format!(", from {os}"));
    }
    if let Some(t) = tail {
        out.push_str(&format!(
            ", original size modulo 2^32 {}",
            u32::from_le_bytes(t)
        ));
    }
    out
}

/// `Wed Jan  3 10:00:00 2024` in UTC.
fn ctime(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::commands::files::time::civil_from_days(days);
    format!(
        "{} {} {d:2} {:02}:{:02}:{:02} {y}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m as usize).saturating_sub(1) % 12],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `Zip archive data, at least vX.Y to extract, compression method=...`.
fn zip_details(data: &[u8]) -> String {
    let mut out = String::from("Zip archive data");
    if let Some(v) = data.get(4..6) {
        let v = u16::from_le_bytes([v[0], v[1]]);
        out.push_str(&format!(", at least v{}.{} to extract", v / 10, v % 10));
    }
    if let Some(m) = data.get(8..10) {
        match u16::from_le_bytes([m[0], m[1]]) {
            0 => out.push_str(", compression method=store"),
            8 => out.push_str(", compression method=deflate"),
            _ => {}
        }
    }
    out
}

/// The MIME type and charset `file -i` prints for a description.
fn mime(desc: &str, data: &[u8]) -> (&'static str, &'static str) {
    let charset = match text_kind(data) {
        Some("ASCII text") => "us-ascii",
        Some("ISO-8859 text") => "iso-8859-1",
        Some(_) => "utf-8",
        None => "binary",
    };
    let binary = |t| (t, "binary");
    match desc {
        "empty" => binary("inode/x-empty"),
        "directory" => binary("inode/directory"),
        "data" | "very short file (no magic)" => binary("application/octet-stream"),
        d if d.starts_with("gzip") => binary("application/gzip"),
        d if d.starts_with("Zip archive") => binary("application/zip"),
        d if d.starts_with("POSIX tar") => binary("application/x-tar"),
        d if d.starts_with("PDF") => binary("application/pdf"),
        "JSON text data" => ("application/json", charset),
        "New Line Delimited JSON text data" => ("application/x-ndjson", charset),
        "CSV text" => ("text/csv", charset),
        d if d.starts_with("Python script") => ("text/x-script.python", charset),
        d if d.contains("shell script") => ("text/x-shellscript", charset),
        _ => ("text/plain", charset),
    }
}

fn script_kind(data: &[u8]) -> Option<&'static str> {
    let first = data.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(first.strip_prefix(b"#!")?).ok()?.trim();
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.next()?;
    }
    match prog {
        "sh" => Some("POSIX shell script"),
        "bash" => Some("Bourne-Again shell script"),
        p if p.starts_with("python") => Some("Python script"),
        _ => None,
    }
}

/// Describes a regular file's leading bytes.
#[cfg(test)]
fn describe(data: &[u8]) -> String {
    describe_full(data, None)
}

/// Describes a file from its leading bytes (and the gzip trailer's size field when known).
fn describe_full(data: &[u8], gz_tail: Option<[u8; 4]>) -> String {
    if data.is_empty() {
        return "empty".into();
    }
    if data.len() == 1 {
        return "very short file (no magic)".into();
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        return gzip_details(data, gz_tail);
    }
    if data.starts_with(b"PK\x03\x04") {
        return zip_details(data);
    }
    if let Some(rest) = data.strip_prefix(b"%PDF-") {
        let version: String = rest
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .map(|&b| b as char)
            .collect();
        return format!("PDF document, version {version}");
    }
    if data.len() >= 265 {
        match &data[257..265] {
            b"ustar  \0" => return "POSIX tar archive (GNU)".into(),
            m if &m[..6] == b"ustar\0" => return "POSIX tar archive".into(),
            _ => {}
        }
    }
    let Some(kind) = text_kind(data) else {
        return "data".into();
    };
    if let Some(script) = script_kind(data) {
        return format!("{script}, {kind} executable{}", line_notes(data));
    }
    if looks_python(data) {
        return format!("Python script, {kind} executable{}", line_notes(data));
    }
    if is_json_container(data) {
        return "JSON text data".into();
    }
    if is_ndjson(data) {
        return "New Line Delimited JSON text data".into();
    }
    if is_csv(data) {
        return "CSV text".into();
    }
    format!("{kind}{}", line_notes(data))
}

/// The description of one operand (`-` is standard input), with its MIME type and charset.
async fn describe_operand(
    ctx: &mut CommandContext,
    operand: &str,
) -> io::Result<(String, &'static str, &'static str)> {
    if operand != "-" {
        match ctx.fs.stat(&ctx.path(operand)).await {
            Ok(st) if st.is_dir() => return Ok(("directory".into(), "inode/directory", "binary")),
            Ok(st) if st.is_char_device() => {
                let what = match device_numbers(operand) {
                    Some((major, minor)) => format!("character special ({major}/{minor})"),
                    None => "character special".to_string(),
                };
                return Ok((what, "inode/chardevice", "binary"));
            }
            Ok(_) => {}
            Err(e) => return Ok((format!("cannot open `{operand}' ({e})"), "", "")),
        }
    }
    let mut reader = match open_operand(ctx, operand).await {
        Ok(r) => r,
        Err(e) => return Ok((format!("cannot open `{operand}' ({e})"), "", "")),
    };
    let mut data = Vec::new();
    (&mut reader)
        .take(SAMPLE as u64)
        .read_to_end(&mut data)
        .await?;
    let mut tail = None;
    if data.starts_with(&[0x1f, 0x8b]) {
        // The size field is the last four bytes of the whole file.
        let mut last: Vec<u8> = data[data.len().saturating_sub(4)..].to_vec();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            last.extend_from_slice(&buf[..n]);
            let cut = last.len().saturating_sub(4);
            last.drain(..cut);
        }
        if data.len() >= 18 && last.len() == 4 {
            tail = Some([last[0], last[1], last[2], last[3]]);
        }
    }
    let desc = describe_full(&data, tail);
    let (m, c) = mime(&desc, &data);
    Ok((desc, m, c))
}

#[async_trait]
impl Command for File {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => {
                ctx.error(msg).await?;
                ctx.stderr.write_all(USAGE.as_bytes()).await?;
                return Ok(1);
            }
        };
        if let Some(opt) = parsed
            .opts
            .iter()
            // `-L` (follow links) is what this file does anyway; `-N` drops the padding.
            .find(|o| !["b", "i", "mime-type", "mime-encoding", "L", "N"].contains(&o.key.as_str()))
        {
            let shown = if opt.key.len() == 1 {
                format!("-{}", opt.key)
            } else {
                format!("--{}", opt.key)
            };
            return unsupported(ctx, &shown).await;
        }
        if parsed.operands.is_empty() {
            ctx.stderr.write_all(USAGE.as_bytes()).await?;
            return Ok(1);
        }
        let brief = parsed.has("b");
        let shown = |op: &str| {
            if op == "-" {
                "/dev/stdin".to_string()
            } else {
                op.to_string()
            }
        };
        let width = if parsed.has("N") {
            0
        } else {
            parsed
                .operands
                .iter()
                .map(|o| shown(o).len() + 1)
                .max()
                .unwrap_or(0)
        };
        for operand in &parsed.operands {
            let (mut desc, m, c) = describe_operand(ctx, operand).await?;
            if !m.is_empty() {
                let (mime_type, encoding) = (
                    parsed.has("i") || parsed.has("mime-type"),
                    parsed.has("i") || parsed.has("mime-encoding"),
                );
                desc = match (mime_type, encoding) {
                    (true, true) => format!("{m}; charset={c}"),
                    (true, false) => m.to_string(),
                    (false, true) => c.to_string(),
                    _ => desc,
                };
            }
            let line = if brief {
                format!("{desc}\n")
            } else {
                format!("{:<width$} {desc}\n", format!("{}:", shown(operand)))
            };
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(0)
    }
}

/// The kernel's numbers of the devices Mirage provides under /dev, which `file` shows.
fn device_numbers(operand: &str) -> Option<(u32, u32)> {
    let name = operand.rsplit('/').next()?;
    Some(match name {
        "null" => (1, 3),
        "zero" => (1, 5),
        "full" => (1, 7),
        "random" => (1, 8),
        "urandom" => (1, 9),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn kinds() {
        assert_eq!(
            describe(b"a\nb\r\n"),
            "ASCII text, with CRLF, LF line terminators"
        );
        assert_eq!(describe(b"abc"), "ASCII text, with no line terminators");
        assert_eq!(
            describe(b"#!/bin/bash\n"),
            "Bourne-Again shell script, ASCII text executable"
        );
        assert_eq!(
            describe(b"{\"a\":1}\n{\"b\":2}\n"),
            "New Line Delimited JSON text data"
        );
        assert_eq!(describe(b"caf\xe9\n"), "ISO-8859 text");
        assert_eq!(describe(b"\x00\x01\x02"), "data");
    }
}
