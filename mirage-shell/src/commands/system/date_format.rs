//! strftime as GNU date prints it (UTC only), shared by `date` and awk's `strftime()`.

use crate::commands::files::time::{Stamp, civil_from_days, days_from_civil};

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
pub struct Tm {
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

pub fn tm_of(t: Stamp) -> Tm {
    let days = t.secs.div_euclid(86_400);
    let rem = t.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let jan1 = days_from_civil(year, 1, 1);
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
pub fn strftime(fmt: &str, tm: &Tm) -> String {
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
        // `%:z`, `%::z`, `%:::z`: the zone with colons (always UTC here).
        let colons = chars[i..].iter().take_while(|&&c| c == ':').count();
        if colons > 0 {
            if colons <= 3 && chars.get(i + colons) == Some(&'z') {
                out.push_str(["+00:00", "+00:00:00", "+00"][colons - 1]);
                i += colons + 1;
            } else {
                out.push('%');
            }
            continue;
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
