//! `zipinfo`: list a zip archive's members in Info-ZIP zipinfo 3.0's formats: the default
//! short listing (`-s`), `-m` (with the compression percentage), `-l` (with the compressed
//! size), `-1` (names only), `-h` and `-t` (header and totals lines). Members may be chosen
//! with names or wildcards, and excluded with `-x`.
//!
//! Only the archive's tail and central directory are read. Like the real tool, it prints its
//! errors on standard output (exit status 9 for an unreadable archive, 11 when no member
//! matched). Archives made on other systems than Unix, ZIP64 archives, `-2`, `-v`, `-T`, `-z`,
//! `-C` and `-M` are refused.

use mirage_core::{ByteRange, Command, CommandContext, CommandResult, VPath, async_trait};

use crate::commands::common::unsupported;

pub struct Zipinfo;

const USAGE: &str = r#"ZipInfo 3.00 of 20 April 2009, by Greg Roelofs and the Info-ZIP group.

List name, date/time, attribute, size, compression method, etc., about files
in list (excluding those in xlist) contained in the specified .zip archive(s).
"file[.zip]" may be a wildcard name containing *, ?, [] (e.g., "[a-j]*.zip").

   usage:  zipinfo [-12smlvChMtTz] file[.zip] [list...] [-x xlist...]
      or:  unzip -Z [-12smlvChMtTz] file[.zip] [list...] [-x xlist...]

main listing-format options:             -s  short Unix "ls -l" format (def.)
  -1  filenames ONLY, one per line       -m  medium Unix "ls -l" format
  -2  just filenames but allow -h/-t/-z  -l  long Unix "ls -l" format
                                         -v  verbose, multi-page format
miscellaneous options:
  -h  print header line       -t  print totals for listed files or for all
  -z  print zipfile comment   -T  print file times in sortable decimal format
  -C  be case-insensitive     -M  page output through built-in "more"
  -x  exclude filenames that follow from listing
"#;

/// One central directory record.
struct Member {
    name: String,
    made_by: u16,
    flags: u16,
    method: u16,
    dos_time: u16,
    dos_date: u16,
    csize: u64,
    usize: u64,
    extra_len: u16,
    internal: u16,
    external: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Names,
    Short,
    Medium,
    Long,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Reads `len` bytes at `start` of a file (only what is asked for).
async fn read_range(
    ctx: &mut CommandContext,
    path: &VPath,
    start: u64,
    len: u64,
) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    let range = ByteRange {
        start,
        end: Some(start + len),
    };
    let stream = ctx.fs.read(path, Some(range)).await.ok()?;
    mirage_core::collect_stream(stream).await.ok()
}

/// Why the central directory could not be read.
enum Bad {
    NoDirectory,
    Unsupported(&'static str),
}

/// Finds and parses the central directory of the archive at `path` of `size` bytes.
async fn read_members(
    ctx: &mut CommandContext,
    path: &VPath,
    size: u64,
) -> Result<Vec<Member>, Bad> {
    let tail_len = size.min(22 + 65535);
    let tail = read_range(ctx, path, size - tail_len, tail_len)
        .await
        .ok_or(Bad::NoDirectory)?;
    let eocd = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))
        .ok_or(Bad::NoDirectory)?;
    let count = u16_at(&tail, eocd + 10).ok_or(Bad::NoDirectory)?;
    let cd_size = u32_at(&tail, eocd + 12).ok_or(Bad::NoDirectory)?;
    let cd_offset = u32_at(&tail, eocd + 16).ok_or(Bad::NoDirectory)?;
    if count == 0xffff || cd_size == u32::MAX || cd_offset == u32::MAX {
        return Err(Bad::Unsupported("ZIP64 archives"));
    }
    if u64::from(cd_offset) + u64::from(cd_size) > size {
        return Err(Bad::NoDirectory);
    }
    let cd = read_range(ctx, path, u64::from(cd_offset), u64::from(cd_size))
        .await
        .ok_or(Bad::NoDirectory)?;
    let mut members = Vec::with_capacity(usize::from(count));
    let mut i = 0;
    for _ in 0..count {
        if !cd.get(i..).is_some_and(|r| r.starts_with(b"PK\x01\x02")) {
            return Err(Bad::NoDirectory);
        }
        let field = |off: usize| u16_at(&cd, i + off).ok_or(Bad::NoDirectory);
        let field32 = |off: usize| u32_at(&cd, i + off).ok_or(Bad::NoDirectory);
        let (name_len, extra_len, comment_len) = (field(28)?, field(30)?, field(32)?);
        let name_start = i + 46;
        let name_bytes = cd
            .get(name_start..name_start + usize::from(name_len))
            .ok_or(Bad::NoDirectory)?;
        members.push(Member {
            name: String::from_utf8_lossy(name_bytes).into_owned(),
            made_by: field(4)?,
            flags: field(8)?,
            method: field(10)?,
            dos_time: field(12)?,
            dos_date: field(14)?,
            csize: u64::from(field32(20)?),
            usize: u64::from(field32(24)?),
            extra_len,
            internal: field(36)?,
            external: field32(38)?,
        });
        i = name_start + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
    }
    Ok(members)
}

/// `ls -l`-style permissions from a Unix mode.
fn permissions(mode: u32) -> String {
    let kind = match mode & 0o170000 {
        0o040000 => 'd',
        0o120000 => 'l',
        0o010000 => 'p',
        0o020000 => 'c',
        0o060000 => 'b',
        0o140000 => 's',
        _ => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    for (shift, special, set, unset) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (mode & special != 0, bits & 1 != 0) {
            (true, true) => set,
            (true, false) => unset,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

fn method_name(m: &Member) -> String {
    match m.method {
        0 => "stor".to_string(),
        8 => {
            let level = ['N', 'X', 'F', 'S'][usize::from((m.flags >> 1) & 3)];
            format!("def{level}")
        }
        9 => {
            let level = ['N', 'X', 'F', 'S'][usize::from((m.flags >> 1) & 3)];
            format!("d64{level}")
        }
        12 => "bzp2".to_string(),
        14 => "lzma".to_string(),
        n => format!("u{n:03}"),
    }
}

/// Info-ZIP's compression ratio in permille (negative when the data grew).
fn ratio(uc: u64, c: u64) -> i64 {
    if uc == 0 {
        return 0;
    }
    let (uc, c) = (uc as i128, c as i128);
    let v = if uc > 2_000_000 {
        let denom = uc / 1000;
        if uc >= c {
            (uc - c + denom / 2) / denom
        } else {
            -((c - uc + denom / 2) / denom)
        }
    } else if uc >= c {
        (1000 * (uc - c) + uc / 2) / uc
    } else {
        -((1000 * (c - uc) + uc / 2) / uc)
    };
    v as i64
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn date_time(m: &Member) -> String {
    let year = 1980 + u32::from(m.dos_date >> 9);
    let month = usize::from((m.dos_date >> 5) & 15);
    let day = m.dos_date & 31;
    let (hour, min) = (m.dos_time >> 11, (m.dos_time >> 5) & 63);
    let mon = MONTHS.get(month.wrapping_sub(1)).copied().unwrap_or("???");
    format!("{:02}-{mon}-{day:02} {hour:02}:{min:02}", year % 100)
}

fn line(m: &Member, format: Format) -> String {
    let perms = permissions(m.external >> 16);
    let version = m.made_by & 0xff;
    let text = if m.internal & 1 != 0 { 't' } else { 'b' };
    let text = if m.flags & 1 != 0 {
        text.to_ascii_uppercase()
    } else {
        text
    };
    let extra = match (m.flags & 8 != 0, m.extra_len > 0) {
        (false, false) => '-',
        (true, false) => 'l',
        (false, true) => 'x',
        (true, true) => 'X',
    };
    let middle = match format {
        Format::Medium => {
            let r = ratio(m.usize, m.csize);
            let pct = (r.abs() + 5) / 10;
            let sign = if r < 0 { "-" } else { "" };
            format!(" {sign}{pct:>2}%")
        }
        Format::Long => format!(" {:>8}", m.csize),
        _ => String::new(),
    };
    format!(
        "{perms}  {}.{} unx {:>8} {text}{extra}{middle} {} {} {}\n",
        version / 10,
        version % 10,
        m.usize,
        method_name(m),
        date_time(m),
        m.name
    )
}

/// Info-ZIP's wildcards: `*` and `?` match any characters (slashes too), `[...]` a set.
fn wild_match(pattern: &[char], name: &[char]) -> bool {
    match pattern.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|k| wild_match(&pattern[1..], &name[k..])),
        Some('?') => !name.is_empty() && wild_match(&pattern[1..], &name[1..]),
        Some('[') => {
            let Some(&c) = name.first() else {
                return false;
            };
            let Some(close) = pattern
                .iter()
                .skip(2)
                .position(|&p| p == ']')
                .map(|p| p + 2)
            else {
                return c == '[' && wild_match(&pattern[1..], &name[1..]);
            };
            let set = &pattern[1..close];
            let (negate, set) = match set.first() {
                Some('!' | '^') => (true, &set[1..]),
                _ => (false, set),
            };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != negate && wild_match(&pattern[close + 1..], &name[1..])
        }
        Some(&p) => name.first() == Some(&p) && wild_match(&pattern[1..], &name[1..]),
    }
}

fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    wild_match(&p, &n)
}

/// The size with a thousands-free count and Info-ZIP's `file`/`files`.
fn totals(members: &[&Member]) -> String {
    let uc: u64 = members.iter().map(|m| m.usize).sum();
    let c: u64 = members.iter().map(|m| m.csize).sum();
    let r = ratio(uc, c);
    let sign = if r < 0 { "-" } else { "" };
    let n = members.len();
    let files = if n == 1 { "file" } else { "files" };
    format!(
        "{n} {files}, {uc} bytes uncompressed, {c} bytes compressed:  {sign}{}.{}%\n",
        r.abs() / 10,
        r.abs() % 10
    )
}

#[async_trait]
impl Command for Zipinfo {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut format = Format::Short;
        let mut format_given = false;
        let (mut header, mut total) = (false, false);
        let mut words: Vec<&String> = Vec::new();
        let mut excludes: Vec<&String> = Vec::new();
        let mut in_exclude = false;
        for arg in &args {
            if in_exclude {
                excludes.push(arg);
                continue;
            }
            if let Some(flags) = arg.strip_prefix('-')
                && !flags.is_empty()
            {
                for c in flags.chars() {
                    match c {
                        '1' => (format, format_given) = (Format::Names, true),
                        's' => (format, format_given) = (Format::Short, true),
                        'm' => (format, format_given) = (Format::Medium, true),
                        'l' => (format, format_given) = (Format::Long, true),
                        'h' => header = true,
                        't' => total = true,
                        'x' => in_exclude = true,
                        other => return unsupported(ctx, &format!("-{other}")).await,
                    }
                }
                continue;
            }
            words.push(arg);
        }
        let Some((archive, wanted)) = words.split_first() else {
            // After -x every word is an exclusion, so no archive is left: an error.
            if in_exclude {
                ctx.stderr.write_str(USAGE).await?;
                return Ok(10);
            }
            ctx.stdout.write_str(USAGE).await?;
            return Ok(0);
        };
        // Like Info-ZIP, try NAME, NAME.zip and NAME.ZIP.
        let mut found = None;
        for candidate in [
            archive.to_string(),
            format!("{archive}.zip"),
            format!("{archive}.ZIP"),
        ] {
            let path = ctx.path(&candidate);
            if let Ok(st) = ctx.fs.stat(&path).await
                && st.is_file()
            {
                found = Some((candidate, path, st.size.unwrap_or(0)));
                break;
            }
        }
        let Some((shown, path, size)) = found else {
            let msg = format!(
                "zipinfo:  cannot find or open {archive}, {archive}.zip or {archive}.ZIP.\n"
            );
            // Info-ZIP sends it to stderr for names-only listings and for a lone -h.
            if format == Format::Names || header && !total && !format_given {
                ctx.stderr.write_str(&msg).await?;
            } else {
                ctx.stdout.write_str(&msg).await?;
            }
            return Ok(9);
        };
        let members = match read_members(ctx, &path, size).await {
            Ok(m) => m,
            Err(Bad::Unsupported(what)) => return unsupported(ctx, what).await,
            Err(Bad::NoDirectory) => {
                let msg = format!(
                    "Archive:  {shown}\n[{shown}]\n  End-of-central-directory signature not \
                     found.  Either this file is not\n  a zipfile, or it constitutes one disk \
                     of a multi-part archive.  In the\n  latter case the central directory \
                     and zipfile comment will be found on\n  the last disk(s) of this \
                     archive.\nzipinfo:  cannot find zipfile directory in one of {shown} \
                     or\n          {shown}.zip, and cannot find {shown}.ZIP, period.\n"
                );
                ctx.stdout.write_str(&msg).await?;
                return Ok(9);
            }
        };
        if members.iter().any(|m| m.made_by >> 8 != 3) {
            return unsupported(ctx, "archives not made on Unix").await;
        }
        let chosen: Vec<&Member> = members
            .iter()
            .filter(|m| wanted.is_empty() || wanted.iter().any(|w| matches(w, &m.name)))
            .filter(|m| !excludes.iter().any(|x| matches(x, &m.name)))
            .collect();
        // zipinfo's defaults: without a member list, a format option (or none at all) shows
        // the header and totals too, while -h or -t alone show only themselves; with a member
        // list the lines are listed and -h/-t add their parts. -1 prints names only.
        let explicit = format_given;
        let (header, total, listing) = match format {
            Format::Names => (false, false, true),
            _ if !wanted.is_empty() => (header, total, true),
            _ if !explicit && (header || total) => (header, total, false),
            _ => (true, true, true),
        };
        let mut out = String::new();
        if header {
            out.push_str(&format!(
                "Archive:  {shown}\nZip file size: {size} bytes, number of entries: {}\n",
                members.len()
            ));
        }
        for m in chosen.iter().filter(|_| listing) {
            if format == Format::Names {
                out.push_str(&m.name);
                out.push('\n');
            } else {
                out.push_str(&line(m, format));
            }
        }
        if total {
            out.push_str(&totals(&chosen));
        }
        ctx.stdout.write_str(&out).await?;
        let missing: Vec<&&String> = wanted
            .iter()
            .filter(|w| !members.iter().any(|m| matches(w, &m.name)))
            .collect();
        for w in &missing {
            let msg = format!("caution: filename not matched:  {w}\n");
            // zipinfo prints these after the totals, on stdout, when it shows totals.
            if total {
                ctx.stdout.write_str(&msg).await?;
            } else {
                ctx.stdout.flush().await?;
                ctx.stderr.write_str(&msg).await?;
            }
        }
        ctx.stdout.flush().await?;
        if !wanted.is_empty() && chosen.is_empty() {
            return Ok(11);
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::{matches, ratio};

    #[test]
    fn ratios_and_wildcards() {
        assert_eq!(ratio(9010, 4219), 532);
        assert_eq!(ratio(87, 7), 920);
        assert_eq!(ratio(0, 0), 0);
        assert!(matches("zd/a*", "zd/aa.txt"));
        assert!(matches("*.txt", "zd/a.txt"));
        assert!(!matches("zd/[!a]*", "zd/a.txt"));
        assert!(matches("zd/[a-c]?txt", "zd/b.txt"));
    }
}
