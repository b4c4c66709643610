//! `date`: print a time (now, `-d @N`, `-d ISO`, `-r FILE`) in GNU's formats. Mirage runs in
//! UTC: a `TZ` other than UTC is refused rather than silently ignored.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::files::time::{DateError, Stamp, civil_from_days, parse_date};
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

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The broken-down UTC time of a stamp.
struct Tm {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    min: i64,
    sec: i64,
    nanos: u32,
    /// 0 = Sunday.
    wday: usize,
    /// 0-based day of the year.
    yday: i64,
    secs: i64,
}

fn tm_of(t: Stamp) -> Tm {
    let days = t.secs.div_euclid(86_400);
    let rem = t.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let jan1 = crate::commands::files::time::days_from_civil(year, 1, 1);
    Tm {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        nanos: t.nanos,
        wday: (days + 4).rem_euclid(7) as usize,
        yday: days - jan1,
        secs: t.secs,
    }
}

/// ISO 8601 week number and week-based year (`%V`, `%G`).
fn iso_week(tm: &Tm) -> (i64, i64) {
    let wday_mon = (tm.wday + 6) % 7; // Monday = 0
    let week = (tm.yday - wday_mon as i64 + 10) / 7;
    if week < 1 {
        let prev = tm.year - 1;
        let prev_days = if is_leap(prev) { 366 } else { 365 };
        let yday = tm.yday + prev_days;
        return (prev, (yday - wday_mon as i64 + 10) / 7);
    }
    let days_in_year = if is_leap(tm.year) { 366 } else { 365 };
    if week == 53 && (tm.yday - wday_mon as i64) >= days_in_year - 3 {
        return (tm.year + 1, 1);
    }
    (tm.year, week)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Expands a strftime format the way GNU date does, with the `-`, `_`, `0`, `^` and `#` flags
/// and field widths.
fn strftime(fmt: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut pad: Option<char> = None;
        let mut upper = false;
        let mut swap_case = false;
        while i < chars.len() && matches!(chars[i], '-' | '_' | '0' | '^' | '#') {
            match chars[i] {
                '-' => pad = Some('\0'),
                '_' => pad = Some(' '),
                '0' => pad = Some('0'),
                '^' => upper = true,
                _ => swap_case = true,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        while i < chars.len() && chars[i].is_ascii_digit() {
            width = Some(width.unwrap_or(0) * 10 + chars[i].to_digit(10).unwrap_or(0) as usize);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            break;
        };
        i += 1;
        let num = |v: i64, w: usize, default_pad: char| -> String {
            let w = width.unwrap_or(w);
            match pad.unwrap_or(default_pad) {
                '\0' => v.to_string(),
                ' ' => format!("{v:>w$}"),
                _ => {
                    if v < 0 {
                        format!("-{:0>w$}", -v, w = w.saturating_sub(1))
                    } else {
                        format!("{v:0>w$}")
                    }
                }
            }
        };
        let text = |s: &str| -> String {
            let s = if upper || swap_case {
                s.to_uppercase()
            } else {
                s.to_string()
            };
            match width {
                Some(w) => {
                    let p = if pad == Some('0') { '0' } else { ' ' };
                    let n = s.chars().count();
                    if n < w {
                        format!("{}{s}", p.to_string().repeat(w - n))
                    } else {
                        s
                    }
                }
                None => s,
            }
        };
        let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
        let piece = match conv {
            'Y' => num(tm.year, 4, '0'),
            'C' => num(tm.year.div_euclid(100), 2, '0'),
            'y' => num(tm.year.rem_euclid(100), 2, '0'),
            'm' => num(i64::from(tm.month), 2, '0'),
            'q' => num(i64::from((tm.month - 1) / 3 + 1), 1, '0'),
            'd' => num(i64::from(tm.day), 2, '0'),
            'e' => num(i64::from(tm.day), 2, ' '),
            'H' => num(tm.hour, 2, '0'),
            'k' => num(tm.hour, 2, ' '),
            'I' => num(hour12, 2, '0'),
            'l' => num(hour12, 2, ' '),
            'M' => num(tm.min, 2, '0'),
            'S' => num(tm.sec, 2, '0'),
            'j' => num(tm.yday + 1, 3, '0'),
            'u' => num(if tm.wday == 0 { 7 } else { tm.wday as i64 }, 1, '0'),
            'w' => num(tm.wday as i64, 1, '0'),
            's' => num(tm.secs, 1, '0'),
            'N' => {
                let digits = format!("{:09}", tm.nanos);
                match width {
                    Some(w) if w < 9 => digits[..w].to_string(),
                    _ => digits,
                }
            }
            'U' => num((tm.yday + 7 - tm.wday as i64) / 7, 2, '0'),
            'W' => num((tm.yday + 7 - ((tm.wday + 6) % 7) as i64) / 7, 2, '0'),
            'V' => num(iso_week(tm).1, 2, '0'),
            'G' => num(iso_week(tm).0, 4, '0'),
            'g' => num(iso_week(tm).0.rem_euclid(100), 2, '0'),
            'a' => text(&DAYS[tm.wday][..3]),
            'A' => text(DAYS[tm.wday]),
            'b' | 'h' => text(&MONTHS[tm.month as usize - 1][..3]),
            'B' => text(MONTHS[tm.month as usize - 1]),
            'p' => text(if tm.hour < 12 { "AM" } else { "PM" }),
            'P' => text(if tm.hour < 12 { "am" } else { "pm" }),
            'Z' => text("UTC"),
            'z' => text("+0000"),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            'F' => format!(
                "{}-{}-{}",
                num(tm.year, 4, '0'),
                num(i64::from(tm.month), 2, '0'),
                num(i64::from(tm.day), 2, '0')
            ),
            'T' => strftime("%H:%M:%S", tm),
            'R' => strftime("%H:%M", tm),
            'D' | 'x' => strftime("%m/%d/%y", tm),
            'X' => strftime("%H:%M:%S", tm),
            'r' => strftime("%I:%M:%S %p", tm),
            'c' => strftime("%a %b %e %H:%M:%S %Y", tm),
            other => {
                // GNU prints unknown conversions as they are.
                format!("%{other}")
            }
        };
        out.push_str(&piece);
    }
    out
}

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
            match p.last("I").unwrap_or("date") {
                "date" | "" => "%Y-%m-%d".to_string(),
                "hours" => "%Y-%m-%dT%H+00:00".to_string(),
                "minutes" => "%Y-%m-%dT%H:%M+00:00".to_string(),
                "seconds" => "%Y-%m-%dT%H:%M:%S+00:00".to_string(),
                "ns" => "%Y-%m-%dT%H:%M:%S,%N+00:00".to_string(),
                other => {
                    let msg = format!(
                        "invalid argument {} for {}",
                        lquote(other),
                        lquote("--iso-8601")
                    );
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
