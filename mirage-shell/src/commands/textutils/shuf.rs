//! `shuf`: output a random permutation of input lines, of `-e` arguments or of the `-i LO-HI`
//! range; `-n` limits the count and `-r` draws with replacement. The generator is seeded from
//! the clock, or from `MIRAGE_SHUF_SEED` for reproducible runs. Input is read completely.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{HELP, VERSION, parse_opts, read_all, refuse_help, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Shuf;

const SPEC: OptSpec = OptSpec {
    short: "ei:n:o:rz",
    long: &[
        LongOpt {
            name: "echo",
            has_arg: HasArg::No,
            key: "e",
        },
        LongOpt {
            name: "input-range",
            has_arg: HasArg::Required,
            key: "i",
        },
        LongOpt {
            name: "head-count",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "output",
            has_arg: HasArg::Required,
            key: "o",
        },
        LongOpt {
            name: "random-source",
            has_arg: HasArg::Required,
            key: "random-source",
        },
        LongOpt {
            name: "repeat",
            has_arg: HasArg::No,
            key: "r",
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

/// xorshift64*: small, deterministic for a seed, good enough for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seed(ctx: &CommandContext) -> u64 {
    if let Some(s) = ctx
        .env
        .get("MIRAGE_SHUF_SEED")
        .and_then(|s| s.parse::<u64>().ok())
    {
        return s | 1;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9);
    now | 1
}

/// Parses `LO-HI`; `Err` is the text GNU quotes (the high part when only it is bad).
fn parse_range(v: &str) -> Result<(u64, u64), String> {
    let whole = || v.to_string();
    let (lo, hi) = v.split_once('-').ok_or_else(whole)?;
    let lo = lo.parse::<u64>().map_err(|_| lo.to_string())?;
    let hi = hi.parse::<u64>().map_err(|_| hi.to_string())?;
    if hi.saturating_add(1) >= lo {
        Ok((lo, hi))
    } else {
        Err(whole())
    }
}

#[async_trait]
impl Command for Shuf {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        for (k, name) in [
            ("o", "-o"),
            ("z", "-z"),
            ("random-source", "--random-source"),
        ] {
            if parsed.has(k) {
                return unsupported(ctx, name).await;
            }
        }
        let count = match parsed.last("n") {
            None => usize::MAX,
            Some(v) => match v.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.error(format!("invalid line count: {}", lquote(v)))
                        .await?;
                    return Ok(1);
                }
            },
        };
        if parsed.has("e") && parsed.has("i") {
            return usage_error(ctx, "cannot combine -e and -i options", 1).await;
        }
        let items: Vec<Vec<u8>> = if let Some(r) = parsed.last("i") {
            if let Some(extra) = parsed.operands.first() {
                return usage_error(ctx, &format!("extra operand {}", lquote(extra)), 1).await;
            }
            let (lo, hi) = match parse_range(r) {
                Ok(range) => range,
                Err(bad) => {
                    ctx.error(format!("invalid input range: {}", lquote(&bad)))
                        .await?;
                    return Ok(1);
                }
            };
            (lo..=hi).map(|n| n.to_string().into_bytes()).collect()
        } else if parsed.has("e") {
            parsed
                .operands
                .iter()
                .map(|s| s.as_bytes().to_vec())
                .collect()
        } else {
            if parsed.operands.len() > 1 {
                let m = format!("extra operand {}", lquote(&parsed.operands[1]));
                return usage_error(ctx, &m, 1).await;
            }
            let op = parsed
                .operands
                .first()
                .cloned()
                .unwrap_or_else(|| "-".into());
            let data = match read_all(ctx, &op).await {
                Ok(d) => d,
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    return Ok(1);
                }
            };
            let body = data.strip_suffix(b"\n").unwrap_or(&data);
            if data.is_empty() {
                Vec::new()
            } else {
                body.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
            }
        };
        let mut rng = Rng(seed(ctx));
        let mut out = Vec::new();
        if parsed.has("r") {
            if items.is_empty() {
                if count == 0 {
                    return Ok(0);
                }
                ctx.error("no lines to repeat").await?;
                return Ok(1);
            }
            let mut n = 0;
            while n < count {
                out.extend_from_slice(&items[rng.below(items.len())]);
                out.push(b'\n');
                n += 1;
                if out.len() > 8192 {
                    ctx.stdout.write_all(&out).await?;
                    out.clear();
                }
            }
        } else {
            let mut items = items;
            let take = count.min(items.len());
            for i in 0..take {
                let j = i + rng.below(items.len() - i);
                items.swap(i, j);
                out.extend_from_slice(&items[i]);
                out.push(b'\n');
            }
        }
        ctx.stdout.write_all(&out).await?;
        Ok(0)
    }
}
