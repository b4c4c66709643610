//! `df`: one line per mount, in GNU df's column layout. Mirage resources report no capacity, so
//! the size columns show `-` (as GNU does for pseudo filesystems) and the "Filesystem" column
//! is the resource kind. Not comparable with GNU df byte for byte (different mounts).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::shell_quote;

pub struct Df;

const SPEC: OptSpec = OptSpec {
    short: "ahHiklPTt:x:B:",
    long: &[
        LongOpt {
            name: "human-readable",
            has_arg: HasArg::No,
            key: "h",
        },
        LongOpt {
            name: "print-type",
            has_arg: HasArg::No,
            key: "T",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Formats rows: first column left-aligned, then right-aligned numbers, last column as is.
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let w = widths[c];
            if c == 0 {
                line.push_str(&format!("{cell:<w$}"));
            } else if c + 1 == cols {
                line.push(' ');
                line.push_str(cell);
            } else {
                line.push_str(&format!(" {cell:>w$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[async_trait]
impl Command for Df {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(opt) = parsed
            .opts
            .iter()
            .find(|o| !matches!(o.key.as_str(), "h" | "k" | "T"))
        {
            let shown = if opt.key.len() == 1 {
                format!("-{}", opt.key)
            } else {
                format!("--{}", opt.key)
            };
            return unsupported(ctx, &shown).await;
        }
        let human = parsed.has("h");
        let typed = parsed.has("T");
        let size_head = if human { "Size" } else { "1K-blocks" };
        let avail_head = if human { "Avail" } else { "Available" };
        let mut header = vec!["Filesystem".to_string()];
        if typed {
            header.push("Type".into());
        }
        header.extend([size_head, "Used", avail_head, "Use%", "Mounted on"].map(String::from));
        let mut rows = vec![header];
        let mut status = 0;
        let mut chosen: Vec<usize> = Vec::new();
        let mounts: Vec<(String, String)> = ctx
            .fs
            .mounts()
            .map(|m| (m.resource.kind().to_string(), m.prefix.as_str().to_string()))
            .collect();
        if parsed.operands.is_empty() {
            chosen.extend(0..mounts.len());
        }
        for operand in &parsed.operands {
            let path = ctx.path(operand);
            if let Err(e) = ctx.fs.stat(&path).await {
                ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                    .await?;
                status = 1;
                continue;
            }
            // The mount with the longest prefix holds the path.
            let best = mounts
                .iter()
                .enumerate()
                .filter(|(_, (_, p))| path.starts_with(&mirage_core::VPath::new(p)))
                .max_by_key(|(_, (_, p))| p.len())
                .map(|(i, _)| i);
            match best {
                Some(i) => chosen.push(i),
                None => {
                    let e = FsError::not_found();
                    ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                        .await?;
                    status = 1;
                }
            }
        }
        for i in chosen {
            let (kind, prefix) = &mounts[i];
            let mut row = vec![kind.clone()];
            if typed {
                row.push(kind.clone());
            }
            row.extend(["-", "-", "-", "-"].map(String::from));
            row.push(prefix.clone());
            rows.push(row);
        }
        if rows.len() > 1 {
            ctx.stdout.write_all(table(&rows).as_bytes()).await?;
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::fileutils::test_support::run;

    #[tokio::test]
    async fn lists_mounts() {
        let c = run(&[], &["df"], b"").await;
        assert_eq!(
            c.out(),
            "Filesystem 1K-blocks Used Available Use% Mounted on\nram                -    -         -    - /data\n"
        );
        let c = run(&[], &["df", "nope"], b"").await;
        assert_eq!(c.err(), "df: nope: No such file or directory\n");
        assert_eq!(c.status, 1);
    }
}
