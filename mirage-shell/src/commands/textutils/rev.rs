//! `rev` (util-linux): reverse the characters of every line. Lines are streamed; valid UTF-8
//! sequences stay intact while invalid bytes are reversed one by one.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help};
use crate::commands::getopt::{LongOpt, OptSpec};

pub struct Rev;

const SPEC: OptSpec = OptSpec {
    short: "",
    long: &[HELP, VERSION] as &[LongOpt],
    stop_at_operand: false,
};

/// Reverses one line (without its newline) by characters.
fn reverse_chars(line: &[u8]) -> Vec<u8> {
    let mut chunks: Vec<&[u8]> = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                for (i, c) in s.char_indices() {
                    chunks.push(&rest[i..i + c.len_utf8()]);
                }
                rest = &[];
            }
            Err(e) => {
                let good = e.valid_up_to();
                // Valid prefix is known to be UTF-8; the fallback keeps bytes if not.
                let s = std::str::from_utf8(&rest[..good]).unwrap_or_default();
                for (i, c) in s.char_indices() {
                    chunks.push(&rest[i..i + c.len_utf8()]);
                }
                let bad = e.error_len().unwrap_or(rest.len() - good).max(1);
                for k in good..good + bad {
                    chunks.push(&rest[k..k + 1]);
                }
                rest = &rest[good + bad..];
            }
        }
    }
    chunks
        .iter()
        .rev()
        .flat_map(|c| c.iter().copied())
        .collect()
}

#[async_trait]
impl Command for Rev {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut status = 0;
        let mut line = Vec::new();
        for op in inputs(&parsed.operands) {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!("cannot open {op}: {e}")).await?;
                    status = 1;
                    continue;
                }
            };
            while read_line(&mut reader, &mut line).await? {
                let nl = line.last() == Some(&b'\n');
                let body = if nl {
                    &line[..line.len() - 1]
                } else {
                    &line[..]
                };
                let mut out = reverse_chars(body);
                if nl {
                    out.push(b'\n');
                }
                ctx.stdout.write_all(&out).await?;
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_utf8() {
        assert_eq!(reverse_chars("héllo".as_bytes()), "olléh".as_bytes());
        assert_eq!(reverse_chars(b"a\xffb"), b"b\xffa");
    }
}
