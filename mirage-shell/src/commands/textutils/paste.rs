//! `paste`: merge lines of files side by side (or one file per line with `-s`), separated by
//! the cycling `-d` delimiter list. Inputs are streamed line by line.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};

use super::support::{
    HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help, unsupported,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Paste;

const SPEC: OptSpec = OptSpec {
    short: "d:sz",
    long: &[
        LongOpt {
            name: "delimiters",
            has_arg: HasArg::Required,
            key: "d",
        },
        LongOpt {
            name: "serial",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "zero-terminated",
            has_arg: HasArg::No,
            key: "z",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Decodes the `-d` list: each entry is one byte or empty (`\0`). `None` when the list ends
/// with a lone backslash.
pub fn delimiters(spec: &str) -> Option<Vec<Vec<u8>>> {
    let b = spec.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let c = *b.get(i + 1)?;
            out.push(match c {
                b'0' => Vec::new(),
                b'n' => vec![b'\n'],
                b't' => vec![b'\t'],
                b'b' => vec![8],
                b'f' => vec![12],
                b'r' => vec![b'\r'],
                b'v' => vec![11],
                other => vec![other],
            });
            i += 2;
        } else {
            // Keep multibyte UTF-8 characters whole.
            let len = utf8_len(b[i]).min(b.len() - i);
            out.push(b[i..i + len].to_vec());
            i += len;
        }
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    Some(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

fn strip_nl(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

/// `-s`: each file becomes one line.
async fn serial(
    ctx: &mut CommandContext,
    files: &[String],
    delims: &[Vec<u8>],
) -> std::io::Result<i32> {
    let mut status = 0;
    let mut line = Vec::new();
    for op in files {
        let mut reader = match open_input(ctx, op).await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("{op}: {e}")).await?;
                status = 1;
                continue;
            }
        };
        let mut k = 0;
        let mut first = true;
        while read_line(&mut reader, &mut line).await? {
            if !first {
                ctx.stdout.write_all(&delims[k % delims.len()]).await?;
                k += 1;
            }
            first = false;
            ctx.stdout.write_all(strip_nl(&line)).await?;
        }
        ctx.stdout.write_all(b"\n").await?;
    }
    Ok(status)
}

/// Default mode: one output line per input line number.
async fn parallel(
    ctx: &mut CommandContext,
    files: &[String],
    delims: &[Vec<u8>],
) -> std::io::Result<i32> {
    // Every `-` shares the single stdin reader (slot `None` in `readers` points to `stdin`).
    let mut readers: Vec<Option<Reader>> = Vec::new();
    let mut stdin: Option<Reader> = None;
    for op in files {
        if op == "-" {
            if stdin.is_none() {
                stdin = open_input(ctx, "-").await.ok();
            }
            readers.push(None);
            continue;
        }
        match open_input(ctx, op).await {
            Ok(r) => readers.push(Some(r)),
            Err(e) => {
                ctx.error(format!("{op}: {e}")).await?;
                return Ok(1);
            }
        }
    }
    let mut done = vec![false; files.len()];
    let mut line = Vec::new();
    loop {
        let mut out = Vec::new();
        let mut any = false;
        for i in 0..files.len() {
            let mut got = false;
            if !done[i] {
                let reader = match readers[i].as_mut() {
                    Some(r) => Some(r),
                    None => stdin.as_mut(),
                };
                got = match reader {
                    Some(r) => read_line(r, &mut line).await?,
                    None => false,
                };
                if !got {
                    done[i] = true;
                }
            }
            if got {
                any = true;
                out.extend_from_slice(strip_nl(&line));
            }
            if i + 1 < files.len() {
                out.extend_from_slice(&delims[i % delims.len()]);
            }
        }
        if !any {
            return Ok(0);
        }
        out.push(b'\n');
        ctx.stdout.write_all(&out).await?;
    }
}

#[async_trait]
impl Command for Paste {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        if parsed.has("z") {
            return unsupported(ctx, "-z").await;
        }
        let spec = parsed.last("d").unwrap_or("\t").to_string();
        let Some(delims) = delimiters(&spec) else {
            let m = format!("delimiter list ends with an unescaped backslash: {spec}");
            ctx.error(m).await?;
            return Ok(1);
        };
        let files = inputs(&parsed.operands);
        if parsed.has("s") {
            Ok(serial(ctx, &files, &delims).await?)
        } else {
            Ok(parallel(ctx, &files, &delims).await?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_delimiters() {
        assert_eq!(
            delimiters("\\n\\t"),
            Some(vec![b"\n".to_vec(), b"\t".to_vec()])
        );
        assert_eq!(delimiters("a\\"), None);
        assert_eq!(delimiters(""), Some(vec![Vec::new()]));
    }
}
