//! `find -printf FORMAT`: the directives of GNU findutils 4.9 that a virtual tree can answer
//! truthfully. Access and change times, inodes, devices and file systems are refused.

use super::super::time::{Stamp, civil_from_days};

/// Printf-style flags of one directive.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    left: bool,
    zero: bool,
    alt: bool,
    width: usize,
    precision: Option<usize>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Text(Vec<u8>),
    /// `\c`: stop printing here.
    Stop,
    Dir(Flags, char),
    /// `%Tk` / `%t` (k = '\0' for `%t`).
    Time(Flags, char),
}

/// Directives Mirage cannot answer (no atime/ctime/inode/device data).
const REFUSED: &str = "aAcCiDFS";

/// Parses a format; returns the items, GNU's warnings, or the refused directive.
pub fn parse(fmt: &str) -> Result<(Vec<Item>, Vec<String>), String> {
    let b = fmt.as_bytes();
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let mut text: Vec<u8> = Vec::new();
    let mut i = 0;
    let flush = |text: &mut Vec<u8>, items: &mut Vec<Item>| {
        if !text.is_empty() {
            items.push(Item::Text(std::mem::take(text)));
        }
    };
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            let Some(&n) = b.get(i + 1) else {
                text.push(b'\\');
                i += 1;
                continue;
            };
            i += 2;
            match n {
                b'a' => text.push(7),
                b'b' => text.push(8),
                b'f' => text.push(12),
                b'n' => text.push(b'\n'),
                b'r' => text.push(b'\r'),
                b't' => text.push(b'\t'),
                b'v' => text.push(11),
                b'0'..=b'7' => {
                    let mut v: u32 = u32::from(n - b'0');
                    let mut k = 0;
                    while k < 2 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + u32::from(b[i] - b'0');
                        i += 1;
                        k += 1;
                    }
                    text.push((v & 0xff) as u8);
                }
                b'\\' => text.push(b'\\'),
                b'c' => {
                    flush(&mut text, &mut items);
                    items.push(Item::Stop);
                    return Ok((items, warnings));
                }
                _ => {
                    warnings.push(format!(
                        "warning: unrecognized escape `\\{}'",
                        char::from(n)
                    ));
                    text.push(b'\\');
                    text.push(n);
                }
            }
            continue;
        }
        if c != b'%' {
            text.push(c);
            i += 1;
            continue;
        }
        // A directive: flags, width, precision, letter.
        let start = i;
        i += 1;
        let mut f = Flags::default();
        while let Some(&x) = b.get(i) {
            match x {
                b'-' => f.left = true,
                b'0' => f.zero = true,
                b'#' => f.alt = true,
                b'+' | b' ' => {}
                _ => break,
            }
            i += 1;
        }
        while let Some(&x) = b.get(i).filter(|x| x.is_ascii_digit()) {
            f.width = f
                .width
                .saturating_mul(10)
                .saturating_add(usize::from(x - b'0'));
            i += 1;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(&x) = b.get(i).filter(|x| x.is_ascii_digit()) {
                p = p.saturating_mul(10).saturating_add(usize::from(x - b'0'));
                i += 1;
            }
            f.precision = Some(p);
        }
        let Some(&letter) = b.get(i) else {
            // A lone `%` at the end is printed as is.
            text.extend_from_slice(&b[start..]);
            break;
        };
        i += 1;
        let letter = char::from(letter);
        match letter {
            '%' => text.push(b'%'),
            'p' | 'f' | 'h' | 'P' | 'H' | 's' | 'd' | 'm' | 'M' | 'k' | 'b' | 'y' | 'Y' | 'n'
            | 'u' | 'g' | 'U' | 'G' | 'l' => {
                flush(&mut text, &mut items);
                items.push(Item::Dir(f, letter));
            }
            't' => {
                flush(&mut text, &mut items);
                items.push(Item::Time(f, '\0'));
            }
            'T' => match b.get(i) {
                Some(&k) if is_time_letter(k) => {
                    i += 1;
                    flush(&mut text, &mut items);
                    items.push(Item::Time(f, char::from(k)));
                }
                Some(&k) => {
                    i += 1;
                    // GNU prints `%` and the unknown letter, silently.
                    text.push(b'%');
                    text.push(k);
                }
                None => {
                    warnings.push("error: %T: missing time field".to_string());
                }
            },
            c if REFUSED.contains(c) => return Err(format!("-printf %{c}")),
            _ => {
                warnings.push(format!(
                    "warning: unrecognized format directive `%{letter}'"
                ));
                text.push(b'%');
                let mut buf = [0u8; 4];
                text.extend_from_slice(letter.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    flush(&mut text, &mut items);
    Ok((items, warnings))
}

fn is_time_letter(k: u8) -> bool {
    b"@HMSYmdaAbBhcDFTrpIlkjUWwuxXyZz+sGgVeCR".contains(&k)
}

/// What a directive needs to know about one entry.
pub struct Info<'a> {
    pub display: &'a str,
    pub depth: usize,
    /// Length of the start path's display prefix.
    pub start_len: usize,
    pub size: Option<u64>,
    pub mode: u32,
    pub kind: char,
    pub kblocks: u64,
    pub links: u64,
    pub user: &'a str,
    pub group: &'a str,
    pub uid: &'a str,
    pub gid: &'a str,
    pub link_target: &'a str,
    pub mtime: Stamp,
}

/// GNU converts every number to a string first, so `0` pads only `%m` (printed with `%o`).
fn pad(f: &Flags, s: &str, numeric: bool) -> String {
    let s: String = match f.precision {
        Some(p) if !numeric => s.chars().take(p).collect(),
        _ => s.to_string(),
    };
    let len = s.chars().count();
    if len >= f.width {
        return s;
    }
    let fill = f.width - len;
    if f.left {
        format!("{s}{}", " ".repeat(fill))
    } else if f.zero && numeric {
        format!("{}{s}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn symbolic(kind: char, mode: u32) -> String {
    let mut out = String::new();
    out.push(match kind {
        'd' => 'd',
        'l' => 'l',
        _ => '-',
    });
    for (shift, special, on, off) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let m = mode >> shift;
        out.push(if m & 4 != 0 { 'r' } else { '-' });
        out.push(if m & 2 != 0 { 'w' } else { '-' });
        out.push(match (mode & special != 0, m & 1 != 0) {
            (true, true) => on,
            (true, false) => off,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}

/// `%h`: the leading directories of the path.
fn dir_part(display: &str) -> String {
    let trimmed = display.trim_end_matches('/');
    if trimmed.is_empty() {
        return String::new();
    }
    match trimmed.rfind('/') {
        None => ".".to_string(),
        Some(i) => trimmed[..i].to_string(),
    }
}

/// `%f`: the last component (a start path keeps its trailing slashes).
fn file_part(display: &str) -> String {
    let trimmed = display.trim_end_matches('/');
    if trimmed.is_empty() {
        return if display.is_empty() {
            String::new()
        } else {
            "/".to_string()
        };
    }
    match trimmed.rfind('/') {
        None => display.to_string(),
        Some(i) => display[i + 1..].to_string(),
    }
}

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

/// One `%Tk` field in UTC, with GNU find's 10-digit fractions on seconds.
fn time_field(t: Stamp, k: char) -> String {
    let days = t.secs.div_euclid(86_400);
    let rem = t.secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let wday = (days + 4).rem_euclid(7) as usize;
    let yday = days - super::super::time::days_from_civil(y, 1, 1);
    let frac = format!("{:09}0", t.nanos);
    let mon = MONTHS[(mo as usize).saturating_sub(1) % 12];
    let day = DAYS[wday];
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let ampm = if h < 12 { "AM" } else { "PM" };
    // ISO 8601 week-based year and week.
    let iso = || {
        let wd = if wday == 0 { 7 } else { wday as i64 };
        let thursday = days - (wd - 1) + 3;
        let (iy, _, _) = civil_from_days(thursday);
        let week = (thursday - super::super::time::days_from_civil(iy, 1, 1)) / 7 + 1;
        (iy, week)
    };
    match k {
        '@' => format!("{}.{frac}", t.secs),
        'H' => format!("{h:02}"),
        'M' => format!("{mi:02}"),
        'S' => format!("{s:02}.{frac}"),
        'Y' => format!("{y}"),
        'm' => format!("{mo:02}"),
        'd' => format!("{d:02}"),
        'e' => format!("{d:2}"),
        'a' => day[..3].to_string(),
        'A' => day.to_string(),
        'b' | 'h' => mon[..3].to_string(),
        'B' => mon.to_string(),
        'c' => format!(
            "{} {} {d:2} {h:02}:{mi:02}:{s:02} {y}",
            &day[..3],
            &mon[..3]
        ),
        'D' | 'x' => format!("{mo:02}/{d:02}/{:02}", y.rem_euclid(100)),
        'F' => format!("{y:04}-{mo:02}-{d:02}"),
        'T' | 'X' => format!("{h:02}:{mi:02}:{s:02}.{frac}"),
        'R' => format!("{h:02}:{mi:02}"),
        'r' => format!("{h12:02}:{mi:02}:{s:02} {ampm}"),
        'p' => ampm.to_string(),
        'I' => format!("{h12:02}"),
        'l' => format!("{h12:2}"),
        'k' => format!("{h:2}"),
        'j' => format!("{:03}", yday + 1),
        'U' => format!("{:02}", (yday + 7 - wday as i64) / 7),
        'W' => format!("{:02}", (yday + 7 - (wday as i64 + 6) % 7) / 7),
        'w' => format!("{wday}"),
        'u' => format!("{}", if wday == 0 { 7 } else { wday }),
        'y' => format!("{:02}", y.rem_euclid(100)),
        'C' => format!("{:02}", y.div_euclid(100)),
        'Z' => "UTC".to_string(),
        'z' => "+0000".to_string(),
        '+' => format!("{y:04}-{mo:02}-{d:02}+{h:02}:{mi:02}:{s:02}.{frac}"),
        's' => format!("{}", t.secs),
        'G' => format!("{}", iso().0),
        'g' => format!("{:02}", iso().0.rem_euclid(100)),
        'V' => format!("{:02}", iso().1),
        // `%t`: ctime's layout with the fraction.
        _ => format!(
            "{} {} {d:2} {h:02}:{mi:02}:{s:02}.{frac} {y}",
            &day[..3],
            &mon[..3]
        ),
    }
}

/// Renders the items for one entry; `true` in the second value when `\c` stopped the run.
pub fn render(items: &[Item], e: &Info<'_>) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    for item in items {
        let s = match item {
            Item::Text(t) => {
                out.extend_from_slice(t);
                continue;
            }
            Item::Stop => return (out, true),
            Item::Time(f, k) => pad(f, &time_field(e.mtime, *k), false),
            Item::Dir(f, c) => match c {
                'p' => pad(f, e.display, false),
                'f' => pad(f, &file_part(e.display), false),
                'h' => pad(f, &dir_part(e.display), false),
                'H' => pad(f, e.display.get(..e.start_len).unwrap_or(e.display), false),
                'P' => {
                    let rest = e.display.get(e.start_len..).unwrap_or("");
                    pad(f, rest.trim_start_matches('/'), false)
                }
                's' => pad(f, &e.size.unwrap_or(0).to_string(), false),
                'd' => pad(f, &e.depth.to_string(), false),
                'm' => {
                    let m = e.mode & 0o7777;
                    let s = if f.alt {
                        format!("{m:#o}").replace("0o", "0")
                    } else {
                        format!("{m:o}")
                    };
                    pad(f, &s, true)
                }
                'M' => pad(f, &symbolic(e.kind, e.mode), false),
                'k' => pad(f, &e.kblocks.to_string(), false),
                'b' => pad(f, &(e.kblocks * 2).to_string(), false),
                'y' | 'Y' => pad(f, &e.kind.to_string(), false),
                'n' => pad(f, &e.links.to_string(), false),
                'u' => pad(f, e.user, false),
                'g' => pad(f, e.group, false),
                'U' => pad(f, e.uid, false),
                'G' => pad(f, e.gid, false),
                'l' => pad(f, e.link_target, false),
                _ => String::new(),
            },
        };
        out.extend_from_slice(s.as_bytes());
    }
    (out, false)
}

/// Whether the format needs the link count (which costs a directory listing).
pub fn needs_links(items: &[Item]) -> bool {
    items.iter().any(|i| matches!(i, Item::Dir(_, 'n')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(dir_part("data/"), ".");
        assert_eq!(dir_part("/tmp/x/data"), "/tmp/x");
        assert_eq!(dir_part("/"), "");
        assert_eq!(file_part("data/"), "data/");
        assert_eq!(file_part("./a/b"), "b");
        assert_eq!(file_part("/"), "/");
        let t = Stamp {
            secs: 1_704_240_000,
            nanos: 0,
        };
        assert_eq!(time_field(t, 'c'), "Wed Jan  3 00:00:00 2024");
        assert_eq!(time_field(t, 'W'), "01");
        assert_eq!(time_field(t, 'U'), "00");
        assert_eq!(time_field(t, 'V'), "01");
        assert_eq!(time_field(t, 'j'), "003");
        assert_eq!(time_field(t, '\0'), "Wed Jan  3 00:00:00.0000000000 2024");
    }
}
