//! `cksum` with no options: the POSIX CRC (polynomial 0x04C11DB7 over the data and its length)
//! and the byte count of each file. `-a`, `--base64` and the other GNU 9 options are refused.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, unsupported};

pub struct Cksum;

fn table() -> [u32; 256] {
    let mut t = [0u32; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        let mut c = (i as u32) << 24;
        for _ in 0..8 {
            c = if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04c1_1db7
            } else {
                c << 1
            };
        }
        *slot = c;
    }
    t
}

fn update(t: &[u32; 256], crc: u32, data: &[u8]) -> u32 {
    data.iter()
        .fold(crc, |c, &b| (c << 8) ^ t[((c >> 24) as u8 ^ b) as usize])
}

fn finish(t: &[u32; 256], mut crc: u32, len: u64) -> u32 {
    let mut n = len;
    while n > 0 {
        crc = update(t, crc, &[(n & 0xff) as u8]);
        n >>= 8;
    }
    !crc
}

#[async_trait]
impl Command for Cksum {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut operands = Vec::new();
        let mut only = false;
        for a in &args {
            if !only && a == "--" {
                only = true;
            } else if !only && a.starts_with('-') && a != "-" {
                return unsupported(ctx, a).await;
            } else {
                operands.push(a.clone());
            }
        }
        let named = !operands.is_empty();
        if !named {
            operands.push("-".to_string());
        }
        let t = table();
        let mut status = 0;
        for op in &operands {
            let is_dir = op != "-" && ctx.fs.stat(&ctx.path(op)).await.is_ok_and(|s| s.is_dir());
            let (mut crc, mut len) = (0u32, 0u64);
            // GNU reads a directory as empty data.
            if !is_dir {
                let mut reader = match open_operand(ctx, op).await {
                    Ok(r) => r,
                    Err(e) => {
                        ctx.error(format!("{op}: {e}")).await?;
                        status = 1;
                        continue;
                    }
                };
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = match reader.read(&mut buf).await {
                        Ok(n) => n,
                        Err(e) => {
                            ctx.error(format!("{op}: {e}")).await?;
                            status = 1;
                            break;
                        }
                    };
                    if n == 0 {
                        break;
                    }
                    crc = update(&t, crc, &buf[..n]);
                    len += n as u64;
                }
            }
            let sum = finish(&t, crc, len);
            let line = if named {
                format!("{sum} {len} {op}\n")
            } else {
                format!("{sum} {len}\n")
            };
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_crc() {
        let t = table();
        assert_eq!(finish(&t, 0, 0), 4_294_967_295);
        assert_eq!(finish(&t, update(&t, 0, b"hi\n"), 3), 1_479_881_546);
    }
}
