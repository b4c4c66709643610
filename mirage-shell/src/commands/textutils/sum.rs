//! `sum`: the old 16-bit checksums. `-r` (the default) is the BSD rotating sum with 1 KiB
//! blocks, `-s` the System V byte sum with 512-byte blocks; the later option wins. Input is
//! streamed. A name is printed after the numbers whenever operands were given.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help};
use crate::commands::getopt::{LongOpt, OptSpec};

pub struct Sum;

const SPEC: OptSpec = OptSpec {
    short: "rs",
    long: &[
        LongOpt {
            name: "sysv",
            has_arg: crate::commands::getopt::HasArg::No,
            key: "s",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[async_trait]
impl Command for Sum {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let sysv = parsed
            .opts
            .iter()
            .rev()
            .find(|o| o.key == "s" || o.key == "r")
            .is_some_and(|o| o.key == "s");
        let named = !parsed.operands.is_empty();
        let operands = if named {
            parsed.operands.clone()
        } else {
            vec!["-".to_string()]
        };
        let mut status = 0;
        for op in operands {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    status = 1;
                    continue;
                }
            };
            let mut bsd: u32 = 0;
            let mut total: u64 = 0;
            let mut bytes: u64 = 0;
            let mut failed = None;
            loop {
                let chunk = match reader.fill_buf().await {
                    Ok(c) => c,
                    Err(e) => {
                        failed = Some(mirage_core::FsError::from(e));
                        break;
                    }
                };
                if chunk.is_empty() {
                    break;
                }
                for &b in chunk {
                    bsd = (bsd >> 1) + ((bsd & 1) << 15);
                    bsd = (bsd + u32::from(b)) & 0xffff;
                    total = total.wrapping_add(u64::from(b));
                }
                let n = chunk.len();
                bytes += n as u64;
                reader.consume(n);
            }
            if let Some(e) = failed {
                ctx.error(format!("{op}: {e}")).await?;
                status = 1;
                continue;
            }
            let mut line = if sysv {
                let r = (total & 0xffff) + ((total & 0xffff_ffff) >> 16);
                let check = (r & 0xffff) + (r >> 16);
                format!("{check} {}", bytes.div_ceil(512))
            } else {
                format!("{bsd:05} {:5}", bytes.div_ceil(1024))
            };
            if named {
                line.push(' ');
                line.push_str(&op);
            }
            line.push('\n');
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(status)
    }
}
