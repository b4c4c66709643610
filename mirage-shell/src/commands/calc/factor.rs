//! `factor`: prime factors of each operand (or of each word of stdin), by trial division of
//! small primes then Pollard's rho with a deterministic Miller-Rabin test. Numbers up to
//! 2^64-1 are supported; larger ones are refused loudly rather than factored slowly.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use crate::commands::common::{HELP, VERSION, parse_opts, read_line, take_stdin, unsupported};
use crate::commands::getopt::{LongOpt, OptSpec};

pub struct Factor;

const SPEC: OptSpec = OptSpec {
    short: "",
    long: &[HELP, VERSION] as &[LongOpt],
    stop_at_operand: false,
};

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    (u128::from(a) * u128::from(b) % u128::from(m)) as u64
}

fn pow_mod(mut b: u64, mut e: u64, m: u64) -> u64 {
    let mut r = 1 % m;
    b %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, b, m);
        }
        b = mul_mod(b, b, m);
        e >>= 1;
    }
    r
}

fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'witness: for a in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'witness;
            }
        }
        return false;
    }
    true
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A non-trivial divisor of the odd composite `n`.
fn rho(n: u64) -> u64 {
    let mut c = 1u64;
    loop {
        let f = |x: u64| (mul_mod(x, x, n) + c) % n;
        let (mut x, mut y, mut d) = (2u64, 2u64, 1u64);
        while d == 1 {
            x = f(x);
            y = f(f(y));
            d = gcd(x.abs_diff(y), n);
        }
        if d != n {
            return d;
        }
        c += 1;
    }
}

fn factors(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
    }
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        if m == 1 {
            continue;
        }
        if is_prime(m) {
            out.push(m);
            continue;
        }
        let d = rho(m);
        stack.push(d);
        stack.push(m / d);
    }
    out.sort_unstable();
    out
}

/// Factors one word; `Err` carries the message for an invalid one.
async fn one(ctx: &mut CommandContext, word: &str) -> std::io::Result<Result<(), i32>> {
    // Leading spaces are skipped as GNU factor does; trailing ones and tabs are not.
    let trimmed = word.trim_start_matches(' ');
    let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        ctx.error(format!(
            "\u{2018}{word}\u{2019} is not a valid positive integer"
        ))
        .await?;
        return Ok(Err(1));
    }
    let Ok(n) = digits.parse::<u64>() else {
        let msg = format!("mirage: factor: {word}: numbers above 2^64-1 are not supported\n");
        ctx.stderr.write_all(msg.as_bytes()).await?;
        return Ok(Err(2));
    };
    let mut line = format!("{n}:");
    if n > 1 {
        for f in factors(n) {
            line.push_str(&format!(" {f}"));
        }
    }
    line.push('\n');
    ctx.stdout.write_all(line.as_bytes()).await?;
    Ok(Ok(()))
}

#[async_trait]
impl Command for Factor {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if parsed.has(HELP.key) {
            return unsupported(ctx, "--help").await;
        }
        let mut status = 0;
        if !parsed.operands.is_empty() {
            for w in &parsed.operands {
                if let Err(s) = one(ctx, w).await? {
                    if s == 2 {
                        return Ok(2);
                    }
                    status = s;
                }
            }
            return Ok(status);
        }
        let mut input = take_stdin(ctx);
        let mut line = Vec::new();
        while read_line(&mut input, &mut line).await? {
            let text = String::from_utf8_lossy(&line).into_owned();
            for w in text.split_ascii_whitespace() {
                if let Err(s) = one(ctx, w).await? {
                    if s == 2 {
                        return Ok(2);
                    }
                    status = s;
                }
            }
        }
        Ok(status)
    }
}
