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
fn describe(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty".into();
    }
    if data.len() == 1 {
        return "very short file (no magic)".into();
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        return "gzip compressed data".into();
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
    if is_json_container(data) {
        return "JSON text data".into();
    }
    if is_ndjson(data) {
        return "New Line Delimited JSON text data".into();
    }
    format!("{kind}{}", line_notes(data))
}

/// The description of one operand (`-` is standard input).
async fn describe_operand(ctx: &mut CommandContext, operand: &str) -> io::Result<String> {
    if operand != "-" {
        match ctx.fs.stat(&ctx.path(operand)).await {
            Ok(st) if st.is_dir() => return Ok("directory".into()),
            Ok(_) => {}
            Err(e) => return Ok(format!("cannot open `{operand}' ({e})")),
        }
    }
    let mut reader = match open_operand(ctx, operand).await {
        Ok(r) => r,
        Err(e) => return Ok(format!("cannot open `{operand}' ({e})")),
    };
    let mut data = Vec::new();
    (&mut reader)
        .take(SAMPLE as u64)
        .read_to_end(&mut data)
        .await?;
    Ok(describe(&data))
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
        if let Some(opt) = parsed.opts.iter().find(|o| o.key != "b") {
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
        let width = parsed
            .operands
            .iter()
            .map(|o| shown(o).len() + 1)
            .max()
            .unwrap_or(0);
        for operand in &parsed.operands {
            let desc = describe_operand(ctx, operand).await?;
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
