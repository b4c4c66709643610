//! `shuf`: output a random permutation of input lines, of `-e` arguments or of the `-i LO-HI`
//! range; `-n` limits the count and `-r` draws with replacement. The generator is seeded from
//! the clock, or from `MIRAGE_SHUF_SEED` for reproducible runs; `--random-source=FILE` draws
//! from the file's bytes exactly as GNU does (same permutation), except for `-n` on standard
//! input, where GNU samples with a reservoir (refused). Input is read completely. `-z` splits
//! and ends items with NUL; `-o FILE` writes the result to FILE once the input is read (so
//! the input file may be the output), refused with an endless `-r`.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, WriteMode, stream_from_bytes};

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

/// GNU's `randint` over the bytes of a `--random-source` file: the same rejection sampling, so
/// the same file gives the same permutation as GNU shuf.
struct Source {
    data: Vec<u8>,
    pos: usize,
    num: u128,
    max: u128,
}

impl Source {
    /// A number in `0..=genmax`; `None` when the file runs out.
    fn genmax(&mut self, genmax: u64) -> Option<u64> {
        let g = u128::from(genmax);
        let choices = g + 1;
        loop {
            if self.max < g {
                while self.max < g {
                    let b = *self.data.get(self.pos)?;
                    self.pos += 1;
                    self.num = (self.num << 8) + u128::from(b);
                    self.max = (self.max << 8) + 255;
                }
            }
            if self.max == g {
                let r = self.num;
                self.num = 0;
                self.max = 0;
                return u64::try_from(r).ok();
            }
            let excess = self.max - g;
            let unusable = excess % choices;
            let last_usable = self.max - unusable;
            let reduced = self.num % choices;
            if self.num <= last_usable {
                self.num /= choices;
                self.max = excess / choices;
                return u64::try_from(reduced).ok();
            }
            self.num = reduced;
            self.max = unusable - 1;
        }
    }
}

enum Random {
    Seeded(Rng),
    File(Source),
}

impl Random {
    /// A number in `0..n`; `None` when a random-source file runs out.
    fn below(&mut self, n: usize) -> Option<usize> {
        match self {
            Random::Seeded(r) => Some(r.below(n)),
            Random::File(s) => s
                .genmax(n.max(1) as u64 - 1)
                .and_then(|v| usize::try_from(v).ok()),
        }
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
        let delim = if parsed.has("z") { b'\0' } else { b'\n' };
        let output = parsed.last("o").map(str::to_string);
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
            let body = data.strip_suffix(&[delim]).unwrap_or(&data);
            if data.is_empty() {
                Vec::new()
            } else {
                body.split(|&b| b == delim).map(<[u8]>::to_vec).collect()
            }
        };
        let mut rng = match parsed.last("random-source") {
            None => Random::Seeded(Rng(seed(ctx))),
            Some(src) => {
                let stdin_sample = !parsed.has("i")
                    && !parsed.has("e")
                    && !parsed.has("r")
                    && count != usize::MAX
                    && parsed.operands.first().is_none_or(|o| o == "-");
                if stdin_sample {
                    // GNU samples a pipe with a reservoir, drawing differently.
                    return unsupported(ctx, "--random-source with -n on standard input").await;
                }
                match read_all(ctx, src).await {
                    Ok(data) => Random::File(Source {
                        data,
                        pos: 0,
                        num: 0,
                        max: 0,
                    }),
                    Err(e) => {
                        ctx.error(format!("{src}: {e}")).await?;
                        return Ok(1);
                    }
                }
            }
        };
        let src_name = parsed.last("random-source").unwrap_or("").to_string();
        let eof = format!("{}: end of file", lquote(&src_name));
        if output.is_some() && parsed.has("r") && count == usize::MAX {
            return unsupported(ctx, "-o with endless -r").await;
        }
        let mut out = Vec::new();
        let mut collected = Vec::new();
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
                let Some(k) = rng.below(items.len()) else {
                    if output.is_none() {
                        ctx.stdout.write_all(&out).await?;
                    }
                    ctx.error(&eof).await?;
                    return Ok(1);
                };
                out.extend_from_slice(&items[k]);
                out.push(delim);
                n += 1;
                if out.len() > 8192 {
                    if output.is_some() {
                        collected.append(&mut out);
                    } else {
                        ctx.stdout.write_all(&out).await?;
                        out.clear();
                    }
                }
            }
        } else {
            let mut items = items;
            let take = count.min(items.len());
            for i in 0..take {
                let Some(k) = rng.below(items.len() - i) else {
                    ctx.error(&eof).await?;
                    return Ok(1);
                };
                items.swap(i, i + k);
            }
            for item in items.iter().take(take) {
                out.extend_from_slice(item);
                out.push(delim);
            }
        }
        if let Some(name) = output {
            collected.append(&mut out);
            let path = ctx.path(&name);
            let written = ctx
                .fs
                .write(&path, stream_from_bytes(collected), WriteMode::Truncate)
                .await;
            if let Err(e) = written {
                ctx.error(format!("{name}: {e}")).await?;
                return Ok(1);
            }
            return Ok(0);
        }
        ctx.stdout.write_all(&out).await?;
        Ok(0)
    }
}
