//! `ls -l`: the long listing.
//!
//! Services rarely know owners, link counts or allocated blocks, so the columns a backend cannot
//! supply are filled the way a fresh file on a local disk would show them: the user running
//! Mirage owns everything, files have one link, a directory has two plus one per subdirectory,
//! files occupy whole 4 KiB blocks and links none, and permissions default to 644 / 755 / 777.
//! Backends that do know the mode (disk) report it.

use mirage_core::{FileStat, MountTable, VPath};

use super::ls::columns::Units;
use super::stat::permissions;
use super::support::DIR_SIZE;
use super::time::{Stamp, civil_from_days, format_full};

/// How the long format is shaped (`-g -o -G -n -h --full-time --time-style`).
#[derive(Clone, Debug)]
pub(super) struct LongFormat {
    pub owner: bool,
    pub group: bool,
    pub numeric: bool,
    /// Units of the size column (`-h`, `--si`, `--block-size`).
    pub size_units: Units,
    /// Units of `-s` blocks and the `total` line.
    pub block_units: Units,
    /// `-s`: a blocks column first.
    pub show_blocks: bool,
    /// `-Z`: a security context column (`?`: there are none).
    pub context: bool,
    pub time_style: TimeStyle,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TimeStyle {
    Locale,
    FullIso,
    LongIso,
    Iso,
    /// `+FORMAT` (only the `%s`-free subset `date` knows is not needed: we print epoch `%s` and
    /// the common directives).
    Custom(String),
}

impl LongFormat {
    pub fn new() -> Self {
        LongFormat {
            owner: true,
            group: true,
            numeric: false,
            size_units: Units::bytes(),
            block_units: Units::kib(),
            show_blocks: false,
            context: false,
            time_style: TimeStyle::Locale,
        }
    }
}

/// One row before column widths are known.
pub(super) struct Row {
    pub mode: String,
    pub links: String,
    pub size: String,
    pub time: String,
    /// The name as printed, with indicator and `-> target` already attached.
    pub name: Vec<u8>,
    /// 1 KiB blocks, for the `total` line.
    pub blocks: u64,
    /// The blocks column of `-s`.
    pub blocks_text: String,
}

/// Six months of 365.2425 days, GNU's horizon between "recent" and "old" dates.
const SIX_MONTHS: i64 = 31_556_952 / 2;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The name (and id) of the user Mirage runs as: who owns every file in a long listing.
pub(super) fn owner_names() -> (String, String, String, String) {
    use std::os::unix::fs::MetadataExt;
    let (uid, gid) = std::fs::metadata("/proc/self")
        .map(|m| (m.uid(), m.gid()))
        .unwrap_or((0, 0));
    let lookup = |file: &str, id: u32| -> String {
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| {
                text.lines().find_map(|line| {
                    let mut f = line.split(':');
                    let name = f.next()?;
                    let _password = f.next()?;
                    (f.next()? == id.to_string()).then(|| name.to_string())
                })
            })
            .unwrap_or_else(|| id.to_string())
    };
    (
        lookup("/etc/passwd", uid),
        lookup("/etc/group", gid),
        uid.to_string(),
        gid.to_string(),
    )
}

/// Link count as a local filesystem reports it: 2 + subdirectories for a directory.
pub(super) async fn link_count(fs: &MountTable, path: &VPath, st: &FileStat) -> u64 {
    if !st.is_dir() {
        return 1;
    }
    match fs.list(path).await {
        Ok(entries) => 2 + entries.iter().filter(|e| e.stat.is_dir()).count() as u64,
        Err(_) => 2,
    }
}

pub(super) fn blocks(st: &FileStat) -> u64 {
    if st.is_symlink() {
        0
    } else if st.is_dir() {
        DIR_SIZE / 1024
    } else {
        st.size.unwrap_or(0).div_ceil(4096) * 4
    }
}

/// The date column for a modification time, relative to `now`.
fn date(style: &TimeStyle, t: Stamp, now: Stamp) -> String {
    let days = t.secs.div_euclid(86_400);
    let secs = t.secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm) = (secs / 3600, secs % 3600 / 60);
    let recent = t > Stamp {
        secs: now.secs - SIX_MONTHS,
        nanos: now.nanos,
    } && t <= now;
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    match style {
        TimeStyle::Locale if recent => format!("{month} {d:>2} {hh:02}:{mm:02}"),
        TimeStyle::Locale => format!("{month} {d:>2}  {y}"),
        TimeStyle::FullIso => format_full(t),
        TimeStyle::LongIso => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"),
        TimeStyle::Iso if recent => format!("{m:02}-{d:02} {hh:02}:{mm:02}"),
        TimeStyle::Iso => format!("{y:04}-{m:02}-{d:02} "),
        TimeStyle::Custom(f) => custom(f, t, y, m, d, hh, mm, secs % 60),
    }
}

/// `--time-style=+FORMAT` with the directives agents use; others are kept literally.
#[allow(clippy::too_many_arguments)]
fn custom(f: &str, t: Stamp, y: i64, m: u32, d: u32, hh: i64, mm: i64, ss: i64) -> String {
    let mut out = String::new();
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{y:04}")),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('s') => out.push_str(&t.secs.to_string()),
            Some('b') => out.push_str(MONTHS[(m as usize).saturating_sub(1) % 12]),
            Some('F') => out.push_str(&format!("{y:04}-{m:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Builds the row of one entry; `name` already carries its indicator and link target.
pub(super) fn row(fmt: &LongFormat, st: &FileStat, links: u64, name: Vec<u8>, now: Stamp) -> Row {
    let mode = permissions(st, st.mode_or_default());
    let size = if st.is_dir() {
        DIR_SIZE
    } else {
        st.size.unwrap_or(0)
    };
    Row {
        mode,
        links: links.to_string(),
        size: fmt.size_units.show(size),
        time: date(&fmt.time_style, Stamp::modified(st), now),
        name,
        blocks: blocks(st),
        blocks_text: fmt.block_units.show(blocks(st).saturating_mul(1024)),
    }
}

/// The `total` line of a directory listing.
pub(super) fn total_line(fmt: &LongFormat, rows: &[Row]) -> String {
    let kib: u64 = rows.iter().map(|r| r.blocks).sum();
    format!("total {}\n", fmt.block_units.show(kib.saturating_mul(1024)))
}

/// Prints rows with GNU's column widths (widest value of each column in this group).
pub(super) fn render(fmt: &LongFormat, rows: &[Row], end: u8) -> Vec<u8> {
    let (user, group, uid, gid) = owner_names();
    let (user, group) = if fmt.numeric {
        (uid, gid)
    } else {
        (user, group)
    };
    let width = |f: &dyn Fn(&Row) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let links_w = width(&|r| r.links.len());
    let size_w = width(&|r| r.size.len());
    let blocks_w = width(&|r| r.blocks_text.len());
    let mut out = Vec::new();
    for r in rows {
        let mut line = String::new();
        if fmt.show_blocks {
            line.push_str(&format!("{:>blocks_w$} ", r.blocks_text));
        }
        line.push_str(&format!("{} {:>links_w$} ", r.mode, r.links));
        if fmt.owner {
            line.push_str(&user);
            line.push(' ');
        }
        if fmt.group {
            line.push_str(&group);
            line.push(' ');
        }
        if fmt.context {
            line.push_str("? ");
        }
        line.push_str(&format!("{:>size_w$} {} ", r.size, r.time));
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(&r.name);
        out.push(end);
    }
    out
}
