//! GNU's free-form date strings (`date -d`, `touch -d`): a tokenizer and the rules of GNU's
//! `parse_datetime` for what agents write: ISO dates and times with zones, `Jan 5 2024`,
//! `5 Jan`, `1/5/24`, day names (`next monday`), relative items (`+1 day`, `3 weeks ago`,
//! `tomorrow`), `@EPOCH`. Local time is UTC.

use crate::commands::files::time::{Stamp, civil_from_days, days_from_civil};

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An unsigned number and its digit count.
    Num(i64, usize),
    /// A number written with a sign (`+1`, `-05`) and its digit count.
    SNum(i64, usize),
    Word(String),
    Char(char),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            // Comments in parentheses, nested.
            let mut depth = 0;
            while i < chars.len() {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
        } else if c == '+' || c == '-' {
            let sign = if c == '-' { -1 } else { 1 };
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j].is_ascii_digit() {
                let (v, n, end) = number(&chars, j)?;
                out.push(Tok::SNum(sign * v, n));
                i = end;
            } else {
                // A sign not followed by digits is skipped, as GNU does (`5-Jan-2024`).
                i = j;
            }
        } else if c.is_ascii_digit() {
            let (v, n, end) = number(&chars, i)?;
            out.push(Tok::Num(v, n));
            i = end;
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '.') {
                if chars[i] != '.' {
                    w.extend(chars[i].to_lowercase());
                }
                i += 1;
            }
            out.push(Tok::Word(w));
        } else {
            out.push(Tok::Char(c));
            i += 1;
        }
    }
    Some(out)
}

fn number(chars: &[char], mut i: usize) -> Option<(i64, usize, usize)> {
    let mut v: i64 = 0;
    let mut n = 0;
    while i < chars.len() && chars[i].is_ascii_digit() {
        v = v
            .checked_mul(10)?
            .checked_add(i64::from(chars[i].to_digit(10)?))?;
        n += 1;
        i += 1;
    }
    Some((v, n, i))
}

fn month_of(w: &str) -> Option<i64> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() == 3 && n.starts_with(w)))
        .map(|p| p as i64 + 1)
}

fn day_of(w: &str) -> Option<i64> {
    const NAMES: [&str; 7] = [
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ];
    let alias = match w {
        "tues" => Some(2),
        "wednes" | "wednesday" => Some(3),
        "thur" | "thurs" => Some(4),
        _ => None,
    };
    alias.or_else(|| {
        NAMES
            .iter()
            .position(|n| *n == w || (w.len() == 3 && n.starts_with(w)))
            .map(|p| p as i64)
    })
}

/// Relative units: (years, months, days, seconds) per unit.
fn unit_of(w: &str) -> Option<(i64, i64, i64, i64)> {
    Some(match w {
        "year" | "years" => (1, 0, 0, 0),
        "month" | "months" => (0, 1, 0, 0),
        "fortnight" | "fortnights" => (0, 0, 14, 0),
        "week" | "weeks" => (0, 0, 7, 0),
        "day" | "days" => (0, 0, 1, 0),
        "hour" | "hours" => (0, 0, 0, 3600),
        "minute" | "minutes" | "min" | "mins" => (0, 0, 0, 60),
        "second" | "seconds" | "sec" | "secs" => (0, 0, 0, 1),
        _ => return None,
    })
}

fn ordinal_of(w: &str) -> Option<i64> {
    Some(match w {
        "last" => -1,
        "this" => 0,
        "next" | "first" => 1,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        _ => return None,
    })
}

/// Zone abbreviations GNU knows, in seconds east of UTC.
fn zone_of(w: &str) -> Option<i64> {
    let h = |x: i64| x * 3600;
    Some(match w {
        "utc" | "gmt" | "ut" | "z" | "wet" => 0,
        "west" | "bst" => h(1),
        "art" | "brt" => h(-3),
        "brst" => h(-2),
        "nst" => -(3 * 3600 + 1800),
        "ndt" => -(2 * 3600 + 1800),
        "ast" => h(-4),
        "adt" => h(-3),
        "est" => h(-5),
        "edt" => h(-4),
        "cst" => h(-6),
        "cdt" => h(-5),
        "mst" => h(-7),
        "mdt" => h(-6),
        "pst" => h(-8),
        "pdt" => h(-7),
        "akst" => h(-9),
        "akdt" => h(-8),
        "hst" => h(-10),
        "wat" | "cet" | "met" | "mez" => h(1),
        "cest" | "mest" | "mesz" | "eet" | "cat" | "sast" => h(2),
        "eest" | "eat" | "msk" => h(3),
        "msd" => h(4),
        "ist" => 5 * 3600 + 1800,
        "sgt" => h(8),
        "kst" | "jst" => h(9),
        "gst" | "nzst" => h(12),
        "nzdt" => h(13),
        _ => return None,
    })
}

#[derive(Default)]
struct Parsed {
    year: Option<(i64, usize)>,
    month: i64,
    day: i64,
    dates: u32,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: u32,
    times: u32,
    zone: i64,
    zones: u32,
    weekday: i64,
    day_ordinal: i64,
    days: u32,
    rel: (i64, i64, i64, i64),
    rels: bool,
}

impl Parsed {
    fn set_date(&mut self, y: Option<(i64, usize)>, m: i64, d: i64) {
        self.year = y;
        self.month = m;
        self.day = d;
        self.dates += 1;
    }

    fn set_time(&mut self, h: i64, m: i64, s: i64, nanos: u32) {
        self.hour = h;
        self.minute = m;
        self.second = s;
        self.nanos = nanos;
        self.times += 1;
    }

    fn add_rel(&mut self, n: i64, (y, mo, d, s): (i64, i64, i64, i64)) -> Option<()> {
        self.rel.0 = self.rel.0.checked_add(n.checked_mul(y)?)?;
        self.rel.1 = self.rel.1.checked_add(n.checked_mul(mo)?)?;
        self.rel.2 = self.rel.2.checked_add(n.checked_mul(d)?)?;
        self.rel.3 = self.rel.3.checked_add(n.checked_mul(s)?)?;
        self.rels = true;
        Some(())
    }
}

fn is_word(t: Option<&Tok>, f: impl Fn(&str) -> bool) -> bool {
    matches!(t, Some(Tok::Word(w)) if f(w))
}

/// `am`/`pm` applied to an hour; `None` when the hour is out of range.
fn meridian(h: i64, w: &str) -> Option<i64> {
    if !(1..=12).contains(&h) {
        return None;
    }
    Some(match w {
        "am" | "a" => h % 12,
        _ => h % 12 + 12,
    })
}

fn is_meridian(w: &str) -> bool {
    matches!(w, "am" | "pm")
}

/// A zone offset written as a signed number: `+5`, `+0530`, `-08:00` (with the `:MM` given).
fn offset_of(v: i64, digits: usize, minutes: Option<i64>) -> Option<i64> {
    let sign = if v < 0 { -1 } else { 1 };
    let a = v.abs();
    let (h, m) = match minutes {
        Some(m) => (a, m),
        None if digits <= 2 => (a, 0),
        None if digits <= 4 => (a / 100, a % 100),
        None => return None,
    };
    if h > 24 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// Parses `s` relative to `now`; `None` when GNU would say `invalid date`.
pub fn parse_free(s: &str, now: Stamp) -> Option<Stamp> {
    let t = tokenize(s)?;
    let mut p = Parsed::default();
    let mut i = 0;
    let get = |k: usize| t.get(k);
    while i < t.len() {
        match &t[i] {
            Tok::Num(a, an) => {
                let a = *a;
                // Time: H:M[:S[.frac]] [am|pm | zone offset].
                if get(i + 1) == Some(&Tok::Char(':')) {
                    let Some(Tok::Num(m, _)) = get(i + 2) else {
                        return None;
                    };
                    let mut sec = 0;
                    let mut nanos = 0;
                    let mut k = i + 3;
                    if get(k) == Some(&Tok::Char(':')) {
                        let Some(Tok::Num(s, _)) = get(k + 1) else {
                            return None;
                        };
                        sec = *s;
                        k += 2;
                        if matches!(get(k), Some(Tok::Char('.' | ','))) {
                            let Some(Tok::Num(_, _)) = get(k + 1) else {
                                return None;
                            };
                            nanos = fraction(s_digits(&t[k + 1]))?;
                            k += 2;
                        }
                    }
                    let mut hour = a;
                    if let Some(Tok::Word(w)) = get(k)
                        && is_meridian(w)
                    {
                        hour = meridian(a, w)?;
                        k += 1;
                    } else if let Some(Tok::SNum(z, zn)) = get(k) {
                        let (z, zn) = (*z, *zn);
                        let mins = if get(k + 1) == Some(&Tok::Char(':')) {
                            let Some(Tok::Num(zm, _)) = get(k + 2) else {
                                return None;
                            };
                            k += 2;
                            Some(*zm)
                        } else {
                            None
                        };
                        p.zone += offset_of(z, zn, mins)?;
                        p.zones += 1;
                        k += 1;
                    }
                    if hour > 23 || *m > 59 || sec > 59 {
                        return None;
                    }
                    p.set_time(hour, *m, sec, nanos);
                    i = k;
                    continue;
                }
                // ISO date: Y-M-D (the signs became SNums).
                if let (Some(Tok::SNum(m, _)), Some(Tok::SNum(d, _))) = (get(i + 1), get(i + 2))
                    && *m <= 0
                    && *d <= 0
                {
                    p.set_date(Some((a, *an)), -m, -d);
                    i += 3;
                    // `T` between the date and a time.
                    if is_word(get(i), |w| w == "t") && matches!(get(i + 1), Some(Tok::Num(..))) {
                        i += 1;
                    }
                    continue;
                }
                // Slashed date: M/D[/Y] or Y/M/D.
                if get(i + 1) == Some(&Tok::Char('/')) {
                    let Some(Tok::Num(b, _)) = get(i + 2) else {
                        return None;
                    };
                    let mut k = i + 3;
                    let c = if get(k) == Some(&Tok::Char('/')) {
                        let Some(Tok::Num(c, cn)) = get(k + 1) else {
                            return None;
                        };
                        k += 2;
                        Some((*c, *cn))
                    } else {
                        None
                    };
                    if *an >= 4 {
                        let (d, _) = c?;
                        p.set_date(Some((a, *an)), *b, d);
                    } else {
                        p.set_date(c, a, *b);
                    }
                    i = k;
                    continue;
                }
                // Day month [year]: `5 Jan`, `5-Jan-2024`, `5 Jan 2024`.
                if let Some(Tok::Word(w)) = get(i + 1)
                    && let Some(m) = month_of(w)
                {
                    let mut k = i + 2;
                    let year = match get(k) {
                        Some(Tok::SNum(y, yn)) => {
                            k += 1;
                            Some((y.abs(), *yn))
                        }
                        Some(Tok::Num(y, yn)) if get(k + 1) != Some(&Tok::Char(':')) => {
                            k += 1;
                            Some((*y, *yn))
                        }
                        _ => None,
                    };
                    p.set_date(year, m, a);
                    i = k;
                    continue;
                }
                // Number with a meridian: `10am`, `10 pm`.
                if let Some(Tok::Word(w)) = get(i + 1)
                    && is_meridian(w)
                {
                    p.set_time(meridian(a, w)?, 0, 0, 0);
                    i += 2;
                    continue;
                }
                // Number with a unit: `3 days [ago]`.
                if let Some(Tok::Word(w)) = get(i + 1)
                    && let Some(u) = unit_of(w)
                {
                    i = relative(&t, i + 2, a, u, &mut p)?;
                    continue;
                }
                // Number with a day name: `2 monday`.
                if let Some(Tok::Word(w)) = get(i + 1)
                    && let Some(d) = day_of(w)
                {
                    p.weekday = d;
                    p.day_ordinal = a;
                    p.days += 1;
                    i += 2;
                    if get(i) == Some(&Tok::Char(',')) {
                        i += 1;
                    }
                    continue;
                }
                // A lone number: a year, a YYYYMMDD date or an HHMM time.
                if p.dates > 0 && p.year.is_none() && !p.rels && (p.times > 0 || *an > 2) {
                    p.year = Some((a, *an));
                } else if *an > 4 {
                    p.set_date(Some((a / 10_000, an - 4)), a / 100 % 100, a % 100);
                } else {
                    let (h, m) = if *an <= 2 { (a, 0) } else { (a / 100, a % 100) };
                    if h > 23 || m > 59 {
                        return None;
                    }
                    p.set_time(h, m, 0, 0);
                }
                i += 1;
            }
            Tok::SNum(v, vn) => {
                let (v, vn) = (*v, *vn);
                if let Some(Tok::Word(w)) = get(i + 1)
                    && let Some(u) = unit_of(w)
                {
                    i = relative(&t, i + 2, v, u, &mut p)?;
                    continue;
                }
                // A signed number right after a time is its zone (handled there); after a zone
                // word it corrects the zone; anything else is not a date.
                let _ = vn;
                return None;
            }
            Tok::Word(w) => {
                let w = w.as_str();
                if let Some(m) = month_of(w) {
                    // Month day [[,] year]: `Jan 5`, `Jan 5, 2024`, `jan-05-2024`.
                    let (d, mut k) = match get(i + 1) {
                        Some(Tok::Num(d, _)) => (*d, i + 2),
                        Some(Tok::SNum(d, _)) if *d < 0 => (-d, i + 2),
                        _ => return None,
                    };
                    if get(k) == Some(&Tok::Char(':')) {
                        return None;
                    }
                    let mut year = None;
                    if get(k) == Some(&Tok::Char(',')) {
                        let Some(Tok::Num(y, yn)) = get(k + 1) else {
                            return None;
                        };
                        year = Some((*y, *yn));
                        k += 2;
                    } else if let Some(Tok::SNum(y, yn)) = get(k)
                        && *y < 0
                    {
                        year = Some((-y, *yn));
                        k += 1;
                    }
                    p.set_date(year, m, d);
                    i = k;
                } else if let Some(d) = day_of(w) {
                    p.weekday = d;
                    p.day_ordinal = 0;
                    p.days += 1;
                    i += 1;
                    if get(i) == Some(&Tok::Char(',')) {
                        i += 1;
                    }
                } else if let Some(o) = ordinal_of(w) {
                    match get(i + 1) {
                        Some(Tok::Word(n)) if unit_of(n).is_some() => {
                            let u = unit_of(n)?;
                            i = relative(&t, i + 2, o, u, &mut p)?;
                        }
                        Some(Tok::Word(n)) if day_of(n).is_some() => {
                            p.weekday = day_of(n)?;
                            p.day_ordinal = o;
                            p.days += 1;
                            i += 2;
                            if get(i) == Some(&Tok::Char(',')) {
                                i += 1;
                            }
                        }
                        _ => return None,
                    }
                } else if let Some(u) = unit_of(w) {
                    i = relative(&t, i + 1, 1, u, &mut p)?;
                } else if matches!(w, "tomorrow" | "yesterday" | "today" | "now") {
                    let n = match w {
                        "tomorrow" => 1,
                        "yesterday" => -1,
                        _ => 0,
                    };
                    p.add_rel(n, (0, 0, 1, 0))?;
                    i += 1;
                } else if let Some(z) = zone_of(w) {
                    p.zone += z;
                    p.zones += 1;
                    i += 1;
                    // `UTC+5`, `GMT-08:00`; but `UTC +1 hour` is a relative item (GNU's
                    // `tZONE relunit_snumber`).
                    let unit_next =
                        matches!(get(i + 1), Some(Tok::Word(u)) if unit_of(u).is_some());
                    if let Some(Tok::SNum(v, vn)) = get(i).filter(|_| !unit_next) {
                        let (v, vn) = (*v, *vn);
                        let mins = if get(i + 1) == Some(&Tok::Char(':')) {
                            let Some(Tok::Num(zm, _)) = get(i + 2) else {
                                return None;
                            };
                            i += 2;
                            Some(*zm)
                        } else {
                            None
                        };
                        p.zone += offset_of(v, vn, mins)?;
                        i += 1;
                    }
                } else {
                    return None;
                }
            }
            Tok::Char(_) => return None,
        }
    }
    if p.dates > 1 || p.times > 1 || p.zones > 1 || p.days > 1 {
        return None;
    }
    build(&p, now)
}

/// The digit string of a number token, for fractions (leading zeros matter).
fn s_digits(t: &Tok) -> (i64, usize) {
    match t {
        Tok::Num(v, n) | Tok::SNum(v, n) => (*v, *n),
        _ => (0, 0),
    }
}

/// `.5` -> 500000000 ns; digits past nanoseconds are dropped.
fn fraction((v, n): (i64, usize)) -> Option<u32> {
    let mut v = v;
    let mut n = n;
    while n > 9 {
        v /= 10;
        n -= 1;
    }
    let scaled = v.checked_mul(10i64.pow(9 - n as u32))?;
    u32::try_from(scaled).ok()
}

/// A relative item of `n` units at `k` (after the unit), with an optional `ago`.
fn relative(t: &[Tok], k: usize, n: i64, u: (i64, i64, i64, i64), p: &mut Parsed) -> Option<usize> {
    if is_word(t.get(k), |w| w == "ago") {
        p.add_rel(n.checked_neg()?, u)?;
        Some(k + 1)
    } else {
        p.add_rel(n, u)?;
        Some(k)
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn build(p: &Parsed, now: Stamp) -> Option<Stamp> {
    let now_days = now.secs.div_euclid(86_400);
    let now_rem = now.secs.rem_euclid(86_400);
    let (ny, nm, nd) = civil_from_days(now_days);
    let (mut y, mut m, mut d) = (ny, i64::from(nm), i64::from(nd));
    if p.dates > 0 {
        y = match p.year {
            Some((v, n)) if n <= 2 => {
                if v < 69 {
                    v + 2000
                } else {
                    v + 1900
                }
            }
            Some((v, _)) => v,
            None => ny,
        };
        m = p.month;
        d = p.day;
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
    }
    let keep_time = p.dates == 0 && p.days == 0 && p.times == 0 && p.rels;
    let (clock, nanos) = if keep_time {
        (now_rem, now.nanos)
    } else {
        (p.hour * 3600 + p.minute * 60 + p.second, p.nanos)
    };
    if p.days > 0 && p.dates == 0 {
        let wday = (days_from_civil(y, m as u32, d as u32) + 4).rem_euclid(7);
        let ord = p.day_ordinal;
        d += (p.weekday - wday + 7) % 7 + 7 * (ord - i64::from(0 < ord && wday != p.weekday));
    }
    // Relative years and months first, then days, normalised like mktime.
    let months = y.checked_mul(12)?.checked_add(m - 1)?;
    let months = months
        .checked_add(p.rel.0.checked_mul(12)?)?
        .checked_add(p.rel.1)?;
    let (yy, mm) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    if yy.abs() > 100_000_000 {
        return None;
    }
    let days = days_from_civil(yy, mm as u32, 1)
        .checked_add(d - 1)?
        .checked_add(p.rel.2)?;
    let secs = days
        .checked_mul(86_400)?
        .checked_add(clock)?
        .checked_sub(p.zone)?
        .checked_add(p.rel.3)?;
    Some(Stamp { secs, nanos })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::files::time::format_full;

    /// 2026-11-24 16:30:00 UTC, a Tuesday.
    const NOW: Stamp = Stamp {
        secs: 1_795_537_800,
        nanos: 0,
    };

    fn p(s: &str) -> String {
        parse_free(s, NOW).map_or("invalid".to_string(), |t| format_full(t)[..19].to_string())
    }

    #[test]
    fn gnu_forms() {
        // Each expectation is what GNU date 9.1 printed with the same `now`.
        assert_eq!(p("monday"), "2026-11-30 00:00:00");
        assert_eq!(p("next monday"), "2026-11-30 00:00:00");
        assert_eq!(p("last friday"), "2026-11-20 00:00:00");
        assert_eq!(p("this week"), "2026-11-24 16:30:00");
        assert_eq!(p("last day"), "2026-11-23 16:30:00");
        assert_eq!(p("2024-01-15 10:30 +1 hour"), "2024-01-15 10:30:00");
        assert_eq!(p("Jan 5"), "2026-01-05 00:00:00");
        assert_eq!(p("5 Jan"), "2026-01-05 00:00:00");
        assert_eq!(p("jan 5, 2024"), "2024-01-05 00:00:00");
        assert_eq!(p("5-Jan-2024"), "2024-01-05 00:00:00");
        assert_eq!(p("1/5/24"), "2024-01-05 00:00:00");
        assert_eq!(p("20240115"), "2024-01-15 00:00:00");
        assert_eq!(p("2024-01-15 1030"), "2024-01-15 10:30:00");
        assert_eq!(p("2024-01-15 10am"), "2024-01-15 10:00:00");
        assert_eq!(p("tomorrow 10:00"), "2026-11-25 10:00:00");
        assert_eq!(p("2024-01-31 +1 month"), "2024-03-02 00:00:00");
        assert_eq!(p("2024-01-15 EST"), "2024-01-15 05:00:00");
        assert_eq!(p("2024-01-15 10:30 PST"), "2024-01-15 18:30:00");
        assert_eq!(p("Monday 2024-01-03"), "2024-01-03 00:00:00");
        assert_eq!(p("2024-01-15T10:30:00.5+05:30"), "2024-01-15 05:00:00");
        assert_eq!(p("2024-01-15 10:30:00 -0800"), "2024-01-15 18:30:00");
        assert_eq!(p("fortnight ago"), "2026-11-10 16:30:00");
        assert_eq!(p("2 weeks ago 3 days"), "2026-11-13 16:30:00");
        assert_eq!(p("2024-01-15 + 1 day"), "2024-01-16 00:00:00");
        assert_eq!(p("sunday 12:00"), "2026-11-29 12:00:00");
        assert_eq!(p("2024-13-01"), "invalid");
        assert_eq!(p("24:00"), "invalid");
        assert_eq!(p("2024"), "2026-11-24 20:24:00");
        assert_eq!(p("2024-01-15 2024"), "2024-01-15 20:24:00");
        assert_eq!(p("10:30 2024-01-15"), "2024-01-15 10:30:00");
        assert_eq!(p("now + 2 hours"), "2026-11-24 18:30:00");
        assert_eq!(p("Jan 2024"), "invalid");
        assert_eq!(p("tuesday next week"), "2026-12-01 00:00:00");
        assert_eq!(p("12am"), "2026-11-24 00:00:00");
        assert_eq!(p("12:30am"), "2026-11-24 00:30:00");
        assert_eq!(p("UTC+5"), "2026-11-23 19:00:00");
        assert_eq!(p("tomorrow EST"), "2026-11-25 21:30:00");
        assert_eq!(p("UTC"), "2026-11-24 00:00:00");
        assert_eq!(p("1 day ago ago"), "invalid");
        assert_eq!(p("2024-02-29 +1 year"), "2025-03-01 00:00:00");
        assert_eq!(p("jan-05-2024"), "2024-01-05 00:00:00");
        assert_eq!(p("2024/01/15"), "2024-01-15 00:00:00");
        assert_eq!(p("invalid date"), "invalid");
    }
}
