//! xargs' command line, with GNU's checks, warnings and messages.

use std::io;

use mirage_core::CommandContext;

use super::input::Split;
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "0a:d:E:e::I:i::L:l::n:oP:prs:tx",
    long: &[
        long("null", HasArg::No, "0"),
        long("arg-file", HasArg::Required, "a"),
        long("delimiter", HasArg::Required, "d"),
        long("eof", HasArg::Optional, "e"),
        long("replace", HasArg::Optional, "i"),
        long("max-lines", HasArg::Optional, "l"),
        long("max-args", HasArg::Required, "n"),
        long("open-tty", HasArg::No, "o"),
        long("interactive", HasArg::No, "p"),
        long("max-procs", HasArg::Required, "P"),
        long("no-run-if-empty", HasArg::No, "r"),
        long("max-chars", HasArg::Required, "s"),
        long("verbose", HasArg::No, "t"),
        long("show-limits", HasArg::No, "show-limits"),
        long("exit", HasArg::No, "x"),
        long("help", HasArg::No, "help"),
        long("version", HasArg::No, "version"),
        long("process-slot-var", HasArg::Required, "process-slot-var"),
    ],
    stop_at_operand: true,
};

/// GNU's default command buffer size.
const DEFAULT_MAX_CHARS: usize = 128 * 1024;

/// The parsed command line.
pub struct Config {
    /// The command and its initial arguments (`echo` by default).
    pub command: Vec<String>,
    pub split: Split,
    pub arg_file: Option<String>,
    pub eof_str: Option<String>,
    pub replace: Option<String>,
    pub max_args: Option<usize>,
    pub max_lines: Option<usize>,
    pub max_chars: usize,
    pub no_run_if_empty: bool,
    pub verbose: bool,
    pub exit_on_size: bool,
}

/// Parses the command line; the inner error is the status to exit with (already reported).
pub async fn parse(ctx: &mut CommandContext, args: &[String]) -> io::Result<Result<Config, i32>> {
    let parsed = match getopt::parse(&SPEC, args) {
        Ok(p) => p,
        Err(msg) => {
            ctx.error(msg).await?;
            try_help(ctx).await?;
            return Ok(Err(1));
        }
    };
    let mut c = Config {
        command: Vec::new(),
        split: Split::Blanks,
        arg_file: None,
        eof_str: None,
        replace: None,
        max_args: None,
        max_lines: None,
        max_chars: DEFAULT_MAX_CHARS,
        no_run_if_empty: false,
        verbose: false,
        exit_on_size: false,
    };
    let mut delimiter: Option<u8> = None;
    for opt in &parsed.opts {
        let value = opt.value.clone();
        match opt.key.as_str() {
            "0" => delimiter = Some(0),
            "a" => c.arg_file = value,
            "d" => match parse_delimiter(value.as_deref().unwrap_or("")) {
                Ok(d) => delimiter = Some(d),
                Err(msg) => {
                    ctx.error(msg).await?;
                    return Ok(Err(1));
                }
            },
            "E" => c.eof_str = value,
            "e" => c.eof_str = value.filter(|v| !v.is_empty()),
            "I" | "i" => {
                if c.max_args.take().is_some() {
                    warn_exclusive(ctx, "--max-args", "--replace/-I/-i").await?;
                }
                if c.max_lines.take().is_some() {
                    warn_exclusive(ctx, "--max-lines", "--replace/-I/-i").await?;
                }
                c.replace = Some(
                    value
                        .filter(|v| !v.is_empty() || opt.key == "I")
                        .unwrap_or_else(|| "{}".to_string()),
                );
            }
            "L" | "l" => {
                let n = match value {
                    Some(v) => match number(ctx, &v, "-L", 1).await? {
                        Ok(n) => n,
                        Err(status) => return Ok(Err(status)),
                    },
                    None => 1,
                };
                if c.max_args.take().is_some() {
                    warn_exclusive(ctx, "--max-args", "-L").await?;
                }
                if c.replace.take().is_some() {
                    warn_exclusive(ctx, "--replace", "-L").await?;
                }
                c.max_lines = Some(n);
            }
            "n" => {
                let n = match number(ctx, value.as_deref().unwrap_or(""), "-n", 1).await? {
                    Ok(n) => n,
                    Err(status) => return Ok(Err(status)),
                };
                if c.max_lines.take().is_some() {
                    warn_exclusive(ctx, "--max-lines", "--max-args/-n").await?;
                }
                if n != 1 && c.replace.take().is_some() {
                    warn_exclusive(ctx, "--replace", "--max-args/-n").await?;
                }
                c.max_args = Some(n);
            }
            "P" => {
                // Commands run one at a time, which is one of the orders -P allows.
                if let Err(status) = number(ctx, value.as_deref().unwrap_or(""), "-P", 0).await? {
                    return Ok(Err(status));
                }
            }
            "s" => {
                let v = value.as_deref().unwrap_or("");
                match v.trim().parse::<i64>() {
                    // GNU warns about a size below 1 and carries on with it.
                    Ok(n) if n < 1 => {
                        ctx.error(format!("value {n} for -s option should be >= 1"))
                            .await?;
                        c.max_chars = 0;
                    }
                    _ => match number(ctx, v, "-s", 1).await? {
                        Ok(n) => c.max_chars = n,
                        Err(status) => return Ok(Err(status)),
                    },
                }
            }
            "r" => c.no_run_if_empty = true,
            "t" => c.verbose = true,
            "x" => c.exit_on_size = true,
            "o" => return unsupported(ctx, "-o").await,
            "p" => return unsupported(ctx, "-p").await,
            other => return unsupported(ctx, &format!("--{other}")).await,
        }
    }
    c.split = match delimiter {
        Some(d) => Split::Delimiter(d),
        None if c.replace.is_some() => Split::Lines,
        None => Split::Blanks,
    };
    if c.replace.is_some() {
        c.exit_on_size = true;
    }
    c.command = if parsed.operands.is_empty() {
        vec!["echo".to_string()]
    } else {
        parsed.operands
    };
    Ok(Ok(c))
}

/// Parses a numeric option value with GNU's messages; `min` is the smallest allowed value.
async fn number(
    ctx: &mut CommandContext,
    value: &str,
    option: &str,
    min: i64,
) -> io::Result<Result<usize, i32>> {
    let Ok(n) = value.trim().parse::<i64>() else {
        ctx.error(format!("invalid number \"{value}\" for {option} option"))
            .await?;
        try_help(ctx).await?;
        return Ok(Err(1));
    };
    if n < min {
        ctx.error(format!("value {n} for {option} option should be >= {min}"))
            .await?;
        try_help(ctx).await?;
        return Ok(Err(1));
    }
    Ok(Ok(usize::try_from(n).unwrap_or(usize::MAX)))
}

async fn warn_exclusive(ctx: &mut CommandContext, previous: &str, new: &str) -> io::Result<()> {
    ctx.error(format!("warning: options {previous} and {new} are mutually exclusive, ignoring previous {previous} value")).await
}

async fn try_help(ctx: &mut CommandContext) -> io::Result<()> {
    let name = ctx.name.clone();
    ctx.stderr
        .write_str(&format!("Try '{name} --help' for more information.\n"))
        .await
}

async fn unsupported<T>(ctx: &mut CommandContext, what: &str) -> io::Result<Result<T, i32>> {
    crate::commands::common::unsupported(ctx, what)
        .await
        .map(Err)
}

/// The `-d` argument: one character, or a backslash escape (`\n`, `\x41`, `\101`, ...).
fn parse_delimiter(spec: &str) -> Result<u8, String> {
    let bytes = spec.as_bytes();
    let invalid = || {
        format!(
            "Invalid input delimiter specification {spec}: the delimiter must be either a single character or an escape sequence starting with \\."
        )
    };
    match bytes {
        [b] => Ok(*b),
        [b'\\', rest @ ..] => {
            let simple = match rest {
                [b'a'] => Some(7),
                [b'b'] => Some(8),
                [b'f'] => Some(12),
                [b'n'] => Some(b'\n'),
                [b'r'] => Some(b'\r'),
                [b't'] => Some(b'\t'),
                [b'v'] => Some(11),
                [b'\\'] => Some(b'\\'),
                _ => None,
            };
            if let Some(b) = simple {
                return Ok(b);
            }
            match rest.first() {
                Some(b'x') => {
                    let hex = std::str::from_utf8(&rest[1..]).unwrap_or("");
                    if hex.is_empty() {
                        return Ok(b'x');
                    }
                    u8::from_str_radix(hex, 16).map_err(|_| {
                        format!("Invalid escape sequence {spec} in input delimiter specification.")
                    })
                }
                Some(b'0'..=b'7') => {
                    let oct = std::str::from_utf8(rest).unwrap_or("");
                    match u32::from_str_radix(oct, 8) {
                        Ok(v) if v <= 255 => Ok(v as u8),
                        Ok(_) => Err(format!(
                            "Invalid escape sequence {spec} in input delimiter specification; character values must not exceed 377."
                        )),
                        Err(_) => Err(format!(
                            "Invalid escape sequence {spec} in input delimiter specification."
                        )),
                    }
                }
                _ => Err(format!(
                    "Invalid escape sequence {spec} in input delimiter specification."
                )),
            }
        }
        _ => Err(invalid()),
    }
}
