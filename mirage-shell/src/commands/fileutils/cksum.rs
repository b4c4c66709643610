//! `cksum`: the POSIX CRC (polynomial 0x04C11DB7 over the data and its length) and the byte
//! count of each file; `-a md5|sha1|sha224|sha256|sha384|sha512|blake2b` hands the rest of the
//! line to the matching `*sum` with GNU's tagged output (`--untagged` for the plain one).
//! `-a bsd|sysv|sm3`, `--base64` and the other GNU 9 options are refused.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncReadExt;

use super::checksum::{Algo, Checksum};
use crate::commands::common::{open_operand, unsupported, usage_error};
use crate::commands::quoting::lquote;

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

/// GNU's `--algorithm` choices, in its order.
const ALGORITHMS: &[&str] = &[
    "bsd", "sysv", "crc", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "sm3",
];

/// Takes `-a ALGO`/`--algorithm=ALGO` and `--untagged` out of `args` (before any `--`);
/// returns the last algorithm named and whether `--untagged` was there.
fn take_algorithm(args: &mut Vec<String>) -> (Option<String>, bool) {
    let mut algo = None;
    let mut untagged = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        if a == "--" {
            break;
        }
        let long = a
            .strip_prefix("--")
            .map(|l| l.split_once('=').unwrap_or((l, "")));
        if a == "-a"
            || long.is_some_and(|(n, v)| is_algorithm_opt(n) && v.is_empty() && !a.contains('='))
        {
            if i + 1 < args.len() {
                algo = Some(args.remove(i + 1));
                args.remove(i);
                continue;
            }
        } else if let Some(v) = a.strip_prefix("-a").filter(|_| !a.starts_with("--")) {
            algo = Some(v.to_string());
            args.remove(i);
            continue;
        } else if let Some((_, v)) = long.filter(|(n, _)| is_algorithm_opt(n)) {
            algo = Some(v.to_string());
            args.remove(i);
            continue;
        } else if long.is_some_and(|(n, _)| n.len() >= 2 && "untagged".starts_with(n)) {
            untagged = true;
            args.remove(i);
            continue;
        }
        i += 1;
    }
    (algo, untagged)
}

fn is_algorithm_opt(name: &str) -> bool {
    name.len() >= 2 && "algorithm".starts_with(name)
}

#[async_trait]
impl Command for Cksum {
    async fn run(&self, ctx: &mut CommandContext, mut args: Vec<String>) -> CommandResult {
        let (algo, untagged) = take_algorithm(&mut args);
        if let Some(name) = algo {
            let digest = match name.as_str() {
                "md5" => Some(Algo::Md5),
                "sha1" => Some(Algo::Sha1),
                "sha224" => Some(Algo::Sha224),
                "sha256" => Some(Algo::Sha256),
                "sha384" => Some(Algo::Sha384),
                "sha512" => Some(Algo::Sha512),
                "blake2b" => Some(Algo::Blake2b(64)),
                "crc" => None,
                "bsd" | "sysv" | "sm3" => {
                    return unsupported(ctx, &format!("-a {name}")).await;
                }
                _ => {
                    let mut msg = format!(
                        "invalid argument {} for {}\nValid arguments are:",
                        lquote(&name),
                        lquote("--algorithm")
                    );
                    for a in ALGORITHMS {
                        msg.push_str(&format!("\n  - {}", lquote(a)));
                    }
                    return usage_error(ctx, &msg, 1).await;
                }
            };
            if let Some(digest) = digest {
                let checking = args.iter().take_while(|a| *a != "--").any(|a| {
                    a == "--check"
                        || (a.starts_with('-') && !a.starts_with("--") && a.contains('c'))
                });
                if !untagged && !checking {
                    args.insert(0, "--tag".to_string());
                }
                return Checksum(digest).run(ctx, args).await;
            }
        }
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
