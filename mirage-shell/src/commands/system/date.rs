//! `date`: print a time (now, `-d @N`, `-d ISO`, `-r FILE`) in GNU's formats. Mirage runs in
//! UTC: a `TZ` other than UTC is refused rather than silently ignored.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::files::time::date_format::{strftime, tm_of};
use crate::commands::files::time::{DateError, Stamp, parse_date};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Date;

const SPEC: OptSpec = OptSpec {
    short: "d:r:uI::RsRf:",
    long: &[
        LongOpt {
            name: "date",
            has_arg: HasArg::Required,
            key: "d",
        },
        LongOpt {
            name: "reference",
            has_arg: HasArg::Required,
            key: "r",
        },
        LongOpt {
            name: "utc",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "universal",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "iso-8601",
            has_arg: HasArg::Optional,
            key: "I",
        },
        LongOpt {
            name: "rfc-email",
            has_arg: HasArg::No,
            key: "R",
        },
        LongOpt {
            name: "rfc-3339",
            has_arg: HasArg::Required,
            key: "rfc-3339",
        },
        LongOpt {
            name: "set",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "file",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "debug",
            has_arg: HasArg::No,
            key: "debug",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[async_trait]
impl Command for Date {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let p = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        for key in ["help", "version", "s", "f", "debug"] {
            if p.has(key) {
                let shown = if key.len() == 1 {
                    format!("-{key}")
                } else {
                    format!("--{key}")
                };
                return unsupported(ctx, &shown).await;
            }
        }
        let tz = ctx.env.get("TZ").cloned().unwrap_or_default();
        if !matches!(
            tz.as_str(),
            "" | "UTC" | "UTC0" | "GMT" | ":UTC" | "Etc/UTC"
        ) {
            let msg = format!("mirage: date: time zone {tz}: only UTC is supported\n");
            ctx.stderr.write_str(&msg).await?;
            return Ok(2);
        }
        let mut format: Option<String> = None;
        for op in &p.operands {
            match op.strip_prefix('+') {
                Some(f) if format.is_none() => format = Some(f.to_string()),
                _ => {
                    let msg = if op.starts_with('+') {
                        format!("extra operand {}", lquote(op))
                    } else {
                        format!("invalid date {}", lquote(op))
                    };
                    if op.starts_with('+') {
                        return usage_error(ctx, &msg, 1).await;
                    }
                    ctx.error(msg).await?;
                    return Ok(1);
                }
            }
        }
        let now = Stamp::now();
        let stamp = if let Some(d) = p.last("d") {
            match parse_date(d, now) {
                Ok(s) => s,
                Err(DateError::Invalid) => {
                    ctx.error(format!("invalid date {}", lquote(d))).await?;
                    return Ok(1);
                }
                Err(DateError::Unsupported) => {
                    ctx.stderr
                        .write_str(&format!(
                            "mirage: date: unsupported date format {}\n",
                            lquote(d)
                        ))
                        .await?;
                    return Ok(2);
                }
            }
        } else if let Some(file) = p.last("r") {
            match ctx.fs.stat(&ctx.path(file)).await {
                Ok(st) => Stamp::modified(&st),
                Err(e) => {
                    ctx.error(format!("{file}: {e}")).await?;
                    return Ok(1);
                }
            }
        } else {
            now
        };
        let tm = tm_of(stamp);
        let fmt = if let Some(f) = format {
            f
        } else if p.has("R") {
            "%a, %d %b %Y %H:%M:%S %z".to_string()
        } else if let Some(rfc) = p.last("rfc-3339") {
            match rfc {
                "date" => "%Y-%m-%d".to_string(),
                "seconds" => "%Y-%m-%d %H:%M:%S+00:00".to_string(),
                "ns" => "%Y-%m-%d %H:%M:%S.%N+00:00".to_string(),
                other => {
                    let msg = format!(
                        "invalid argument {} for {}",
                        lquote(other),
                        lquote("--rfc-3339")
                    );
                    return usage_error(ctx, &msg, 1).await;
                }
            }
        } else if p.has("I") {
            const CHOICES: [&str; 5] = ["hours", "minutes", "date", "seconds", "ns"];
            let arg = p.last("I").unwrap_or("date");
            // argmatch: an exact name or an unambiguous prefix.
            let exact = CHOICES.iter().find(|c| **c == arg);
            let prefixed: Vec<&&str> = CHOICES.iter().filter(|c| c.starts_with(arg)).collect();
            let chosen = match (exact, prefixed.as_slice()) {
                _ if arg.is_empty() => Some("date"),
                (Some(c), _) => Some(*c),
                (None, [one]) => Some(**one),
                _ => None,
            };
            match chosen {
                Some("date") => "%Y-%m-%d".to_string(),
                Some("hours") => "%Y-%m-%dT%H+00:00".to_string(),
                Some("minutes") => "%Y-%m-%dT%H:%M+00:00".to_string(),
                Some("seconds") => "%Y-%m-%dT%H:%M:%S+00:00".to_string(),
                Some(_) => "%Y-%m-%dT%H:%M:%S,%N+00:00".to_string(),
                None => {
                    let what = if prefixed.len() > 1 {
                        "ambiguous"
                    } else {
                        "invalid"
                    };
                    let mut msg = format!(
                        "{what} argument {} for {}\nValid arguments are:",
                        lquote(arg),
                        lquote("--iso-8601")
                    );
                    for c in CHOICES {
                        msg.push_str(&format!("\n  - {}", lquote(c)));
                    }
                    return usage_error(ctx, &msg, 1).await;
                }
            }
        } else {
            "%a %b %e %H:%M:%S %Z %Y".to_string()
        };
        let line = format!("{}\n", strftime(&fmt, &tm));
        ctx.stdout.write_str(&line).await?;
        Ok(0)
    }
}
