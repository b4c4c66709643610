//! Timestamps as the file commands print and parse them: `stat`'s `2020-01-02 03:04:05.123456789
//! +0000`, `touch -d` dates and `touch -t` stamps. Mirage has no time zone database, so local
//! time is UTC (the zone of the GNU oracle machine).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// GNU's free-form date grammar; it lives with `date`, whose main input it is.
#[path = "../system/date_parse.rs"]
mod date_parse;

/// strftime for `date` and awk.
#[path = "../system/date_format.rs"]
pub mod date_format;

/// Seconds and nanoseconds since the epoch; seconds may be negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Stamp {
    /// The epoch itself: what a file without a modification time compares as.
    pub const EPOCH: Stamp = Stamp { secs: 0, nanos: 0 };

    /// The modification time of `st`, or the epoch when the resource keeps none, so sorting
    /// (`ls -t`) and comparing (`find -newer`) still have a total order to work with.
    pub fn modified(st: &mirage_core::FileStat) -> Stamp {
        st.modified.map(Stamp::from_system).unwrap_or(Stamp::EPOCH)
    }

    pub fn from_system(t: SystemTime) -> Stamp {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Stamp {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
                if n == 0 {
                    Stamp { secs: -s, nanos: 0 }
                } else {
                    Stamp {
                        secs: -s - 1,
                        nanos: 1_000_000_000 - n,
                    }
                }
            }
        }
    }

    pub fn to_system(self) -> SystemTime {
        if self.secs >= 0 {
            UNIX_EPOCH + Duration::new(self.secs as u64, self.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(self.secs.unsigned_abs())
                + Duration::from_nanos(u64::from(self.nanos))
        }
    }

    pub fn now() -> Stamp {
        Stamp::from_system(SystemTime::now())
    }

    /// Seconds as a float (for age comparisons in `find -mtime`).
    pub fn as_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// `2020-01-02 03:04:05.123456789 +0000`, the form of `stat %y` and `ls --full-time`.
pub fn format_full(t: Stamp) -> String {
    let days = t.secs.div_euclid(86_400);
    let rem = t.secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}.{:09} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        t.nanos
    )
}

/// Why a date string was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    /// GNU would reject it too (`touch: invalid date format ‘X’`).
    Invalid,
    /// GNU's parser understands more; ours does not (kept for callers that report it).
    #[allow(dead_code)]
    Unsupported,
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A calendar date and a wall-clock time (hours, minutes, seconds, nanoseconds).
type Date = (i64, u32, u32);
type Clock = (u32, u32, u32, u32);

fn stamp_of((y, mo, d): Date, (h, mi, s, nanos): Clock, offset: i64) -> Result<Stamp, DateError> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 24 || mi > 59 || s > 60
    {
        return Err(DateError::Invalid);
    }
    let secs = days_from_civil(y, mo, d) * 86_400
        + i64::from(h) * 3600
        + i64::from(mi) * 60
        + i64::from(s)
        - offset;
    Ok(Stamp { secs, nanos })
}

/// Fractional seconds (`.5` -> 500000000 ns), truncated to nanoseconds.
fn parse_fraction(frac: &str) -> Result<u32, DateError> {
    if !digits(frac) {
        return Err(DateError::Invalid);
    }
    let mut nanos = 0u32;
    for (i, b) in frac.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    Ok(nanos)
}

/// Parses a GNU date string: `@EPOCH[.frac]`, the empty string (midnight today), and GNU's
/// free-form dates (see `date_parse`).
pub fn parse_date(input: &str, now: Stamp) -> Result<Stamp, DateError> {
    let s = input.trim();
    if let Some(epoch) = s.strip_prefix('@') {
        return parse_epoch(epoch);
    }
    let midnight = Stamp {
        secs: now.secs - now.secs.rem_euclid(86_400),
        nanos: 0,
    };
    if s.is_empty() {
        return Ok(midnight);
    }
    date_parse::parse_free(s, now).ok_or(DateError::Invalid)
}

fn parse_epoch(epoch: &str) -> Result<Stamp, DateError> {
    let (neg, body) = match epoch.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, epoch.strip_prefix('+').unwrap_or(epoch)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, parse_fraction(f)?),
        None => (body, 0),
    };
    if !digits(int) {
        return Err(DateError::Invalid);
    }
    let secs: i64 = int.parse().map_err(|_| DateError::Invalid)?;
    Ok(if !neg {
        Stamp { secs, nanos: frac }
    } else if frac == 0 {
        Stamp {
            secs: -secs,
            nanos: 0,
        }
    } else {
        Stamp {
            secs: -secs - 1,
            nanos: 1_000_000_000 - frac,
        }
    })
}

/// `touch -t [[CC]YY]MMDDhhmm[.ss]`.
pub fn parse_touch_stamp(input: &str, now: Stamp) -> Option<Stamp> {
    let (main, secs) = match input.split_once('.') {
        Some((m, s)) if s.len() == 2 && digits(s) => (m, s.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (input, 0),
    };
    if !digits(main) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| main[r].parse::<u32>().ok();
    let (year, rest) = match main.len() {
        8 => (civil_from_days(now.secs.div_euclid(86_400)).0, main),
        10 => {
            let yy = i64::from(n(0..2)?);
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &main[2..])
        }
        12 => (i64::from(n(0..4)?), &main[4..]),
        _ => return None,
    };
    let f = |r: std::ops::Range<usize>| rest[r].parse::<u32>().ok();
    stamp_of((year, f(0..2)?, f(2..4)?), (f(4..6)?, f(6..8)?, secs, 0), 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Stamp = Stamp {
        secs: 1_795_527_586,
        nanos: 0,
    };

    fn iso(s: &str) -> String {
        format_full(parse_date(s, NOW).unwrap())
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 18_262, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_like_gnu_touch() {
        // Each expectation is what `touch -d X f; stat -c %y f` printed with GNU coreutils 9.1.
        assert_eq!(iso("2020-01-02"), "2020-01-02 00:00:00.000000000 +0000");
        assert_eq!(
            iso("2020-01-02 03:04:05"),
            "2020-01-02 03:04:05.000000000 +0000"
        );
        assert_eq!(
            iso("2020-01-02T03:04:05"),
            "2020-01-02 03:04:05.000000000 +0000"
        );
        assert_eq!(
            iso("2020-01-02 03:04:05.5"),
            "2020-01-02 03:04:05.500000000 +0000"
        );
        assert_eq!(
            iso("2020-01-02 03:04"),
            "2020-01-02 03:04:00.000000000 +0000"
        );
        assert_eq!(iso("@1600000000"), "2020-09-13 12:26:40.000000000 +0000");
        assert_eq!(iso("@1600000000.25"), "2020-09-13 12:26:40.250000000 +0000");
        assert_eq!(
            iso("2020-01-02 03:04:05Z"),
            "2020-01-02 03:04:05.000000000 +0000"
        );
        assert_eq!(
            iso("2020-01-02 03:04:05 +0200"),
            "2020-01-02 01:04:05.000000000 +0000"
        );
        assert_eq!(
            iso("2020-01-02T03:04:05+02:00"),
            "2020-01-02 01:04:05.000000000 +0000"
        );
        assert_eq!(iso("@0"), "1970-01-01 00:00:00.000000000 +0000");
        assert_eq!(iso(""), "2026-11-24 00:00:00.000000000 +0000");
        assert_eq!(parse_date("2020-13-01", NOW), Err(DateError::Invalid));
        assert_eq!(
            parse_date("1 day ago", NOW).map(|t| t.secs),
            Ok(NOW.secs - 86_400)
        );
        let t = parse_touch_stamp("202001020304", NOW).unwrap();
        assert_eq!(format_full(t), "2020-01-02 03:04:00.000000000 +0000");
    }

    #[test]
    fn negative_stamps_round_trip() {
        let t = Stamp {
            secs: -5,
            nanos: 250,
        };
        assert_eq!(Stamp::from_system(t.to_system()), t);
    }
}
