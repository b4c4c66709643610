//! The ZIP container as `zip` and `unzip` use it: local headers, the central directory and the
//! end record, with stored (method 0) and deflated (method 8) members. Zip64, encryption,
//! multi-disk archives and other methods are recognised and reported, never guessed at.
//! Archives are handled in memory (a ZIP needs random access to its end record).

use std::io::Read;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use flate2::read::DeflateDecoder;
use miniz_oxide::deflate::core::deflate_flags::TDEFL_FORCE_ALL_STATIC_BLOCKS;
use miniz_oxide::deflate::core::{
    CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output, create_comp_flags_from_zip_params,
};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const END_SIG: u32 = 0x0605_4b50;

pub const STORED: u16 = 0;
pub const DEFLATED: u16 = 8;

/// One member of an archive, with its data as stored (compressed or not).
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub flags: u16,
    pub crc: u32,
    pub size: u64,
    pub data: Vec<u8>,
    pub dos_time: u16,
    pub dos_date: u16,
    /// Unix mode bits (0 when the archive does not carry them).
    pub mode: u32,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    pub fn encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    /// Builds an entry from content, deflating at `level` (0 stores) and storing instead when
    /// deflating does not make it smaller, as Info-ZIP zip does.
    pub fn build(name: String, content: &[u8], level: u32, mtime: SystemTime, mode: u32) -> Self {
        let mut crc = flate2::Crc::new();
        crc.update(content);
        let (dos_time, dos_date) = dos_datetime(mtime);
        let mut entry = Entry {
            name,
            method: STORED,
            flags: 0,
            crc: crc.sum(),
            size: content.len() as u64,
            data: content.to_vec(),
            dos_time,
            dos_date,
            mode,
        };
        if level > 0 && !content.is_empty() && !entry.is_dir() {
            let packed = match (
                deflate(content, level, false),
                deflate(content, level, true),
            ) {
                (Some(a), Some(b)) => Some(if b.len() < a.len() { b } else { a }),
                (a, b) => a.or(b),
            };
            if let Some(packed) = packed
                && packed.len() < content.len()
            {
                entry.method = DEFLATED;
                entry.data = packed;
            }
        }
        entry
    }

    /// The member's content, checked against its CRC.
    pub fn content(&self) -> Result<Vec<u8>, Problem> {
        if self.encrypted() {
            return Err(Problem::Encrypted);
        }
        let out = match self.method {
            STORED => self.data.clone(),
            DEFLATED => {
                let mut out = Vec::new();
                let limit = self.size.saturating_add(1);
                let mut dec = DeflateDecoder::new(&self.data[..]).take(limit);
                if dec.read_to_end(&mut out).is_err() {
                    return Err(Problem::Corrupt);
                }
                out
            }
            m => return Err(Problem::Method(m)),
        };
        let mut crc = flate2::Crc::new();
        crc.update(&out);
        if out.len() as u64 != self.size || crc.sum() != self.crc {
            return Err(Problem::Corrupt);
        }
        Ok(out)
    }

    /// "deflated 34%" / "stored 0%", with Info-ZIP's rounding.
    pub fn ratio_note(&self) -> String {
        if self.method == DEFLATED {
            format!("deflated {}%", percent(self.size, self.data.len() as u64))
        } else {
            "stored 0%".to_string()
        }
    }

    /// `YYYY-MM-DD HH:MM` from the DOS fields.
    pub fn date_time(&self) -> String {
        let d = self.dos_date;
        let t = self.dos_time;
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            1980 + (d >> 9),
            (d >> 5) & 0xf,
            d & 0x1f,
            t >> 11,
            (t >> 5) & 0x3f
        )
    }

    /// The modification time the DOS fields stand for (UTC).
    pub fn modified(&self) -> Option<SystemTime> {
        let d = self.dos_date;
        let t = self.dos_time;
        let (y, m, day) = (
            1980 + i64::from(d >> 9),
            i64::from((d >> 5) & 0xf),
            i64::from(d & 0x1f),
        );
        if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
            return None;
        }
        let days = days_from_civil(y, m, day);
        let secs = days * 86400
            + i64::from(t >> 11) * 3600
            + i64::from((t >> 5) & 0x3f) * 60
            + i64::from(t & 0x1f) * 2;
        u64::try_from(secs)
            .ok()
            .map(|s| UNIX_EPOCH + Duration::from_secs(s))
    }
}

/// Raw deflate of `data`. zlib (and so Info-ZIP) tries fixed and dynamic Huffman blocks and
/// keeps the smaller; miniz picks one by a rule of thumb. Compressing both ways and keeping the
/// smaller gives zlib's size on most inputs, which is what the printed percentages depend on.
fn deflate(data: &[u8], level: u32, fixed: bool) -> Option<Vec<u8>> {
    let mut flags = create_comp_flags_from_zip_params(level.min(9) as i32, -15, 0);
    if fixed {
        flags |= TDEFL_FORCE_ALL_STATIC_BLOCKS;
    }
    let mut c = CompressorOxide::new(flags);
    let mut out = Vec::new();
    let (status, _) = compress_to_output(&mut c, data, TDEFLFlush::Finish, |b| {
        out.extend_from_slice(b);
        true
    });
    (status == TDEFLStatus::Done).then_some(out)
}

/// Info-ZIP's percentage of space saved: rounded, never negative.
pub fn percent(size: u64, packed: u64) -> u64 {
    if size == 0 || packed >= size {
        return 0;
    }
    (200 * (size - packed) / size).div_ceil(2)
}

/// Why an archive or a member cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No end-of-central-directory record: not a zip file.
    NotZip,
    /// The directory or a header is damaged or points outside the file.
    Corrupt,
    Encrypted,
    Method(u16),
    Unsupported(&'static str),
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads every member of an archive.
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, Problem> {
    let end = find_end(bytes).ok_or(Problem::NotZip)?;
    let disk = u16_at(bytes, end + 4).ok_or(Problem::Corrupt)?;
    let count = u16_at(bytes, end + 10).ok_or(Problem::Corrupt)?;
    let cd_offset = u32_at(bytes, end + 16).ok_or(Problem::Corrupt)?;
    if disk != 0 {
        return Err(Problem::Unsupported("multi-disk archives"));
    }
    if count == 0xffff || cd_offset == 0xffff_ffff {
        return Err(Problem::Unsupported("zip64 archives"));
    }
    let mut at = cd_offset as usize;
    let mut entries = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL_SIG) {
            return Err(Problem::Corrupt);
        }
        let field16 = |o: usize| u16_at(bytes, at + o).ok_or(Problem::Corrupt);
        let field32 = |o: usize| u32_at(bytes, at + o).ok_or(Problem::Corrupt);
        let made_by = field16(4)?;
        let flags = field16(8)?;
        let method = field16(10)?;
        let dos_time = field16(12)?;
        let dos_date = field16(14)?;
        let crc = field32(16)?;
        let csize = field32(20)?;
        let usize_ = field32(24)?;
        let name_len = usize::from(field16(28)?);
        let extra_len = usize::from(field16(30)?);
        let comment_len = usize::from(field16(32)?);
        let external = field32(38)?;
        let local = field32(42)? as usize;
        if csize == 0xffff_ffff || usize_ == 0xffff_ffff || local == 0xffff_ffff {
            return Err(Problem::Unsupported("zip64 archives"));
        }
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or(Problem::Corrupt)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if u32_at(bytes, local) != Some(LOCAL_SIG) {
            return Err(Problem::Corrupt);
        }
        let lname = usize::from(u16_at(bytes, local + 26).ok_or(Problem::Corrupt)?);
        let lextra = usize::from(u16_at(bytes, local + 28).ok_or(Problem::Corrupt)?);
        let start = local + 30 + lname + lextra;
        let data = bytes
            .get(start..start + csize as usize)
            .ok_or(Problem::Corrupt)?
            .to_vec();
        let mode = if made_by >> 8 == 3 { external >> 16 } else { 0 };
        entries.push(Entry {
            name,
            method,
            flags,
            crc,
            size: u64::from(usize_),
            data,
            dos_time,
            dos_date,
            mode,
        });
    }
    Ok(entries)
}

/// The offset of the end-of-central-directory record (searched from the end, past a comment).
fn find_end(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 22 {
        return None;
    }
    let last = bytes.len() - 22;
    let first = last.saturating_sub(0xffff);
    (first..=last)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(END_SIG))
}

/// Writes a complete archive holding `entries`, in order.
pub fn write(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let needed: u16 = if e.method == DEFLATED { 20 } else { 10 };
        let name = e.name.as_bytes();
        let put16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
        let put32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
        put32(&mut out, LOCAL_SIG);
        put16(&mut out, needed);
        put16(&mut out, e.flags & !8);
        put16(&mut out, e.method);
        put16(&mut out, e.dos_time);
        put16(&mut out, e.dos_date);
        put32(&mut out, e.crc);
        put32(&mut out, e.data.len() as u32);
        put32(&mut out, e.size as u32);
        put16(&mut out, name.len() as u16);
        put16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        put32(&mut central, CENTRAL_SIG);
        put16(&mut central, 0x031e);
        put16(&mut central, needed);
        put16(&mut central, e.flags & !8);
        put16(&mut central, e.method);
        put16(&mut central, e.dos_time);
        put16(&mut central, e.dos_date);
        put32(&mut central, e.crc);
        put32(&mut central, e.data.len() as u32);
        put32(&mut central, e.size as u32);
        put16(&mut central, name.len() as u16);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, 0);
        let dos_dir = if e.is_dir() { 0x10 } else { 0 };
        put32(&mut central, (e.mode << 16) | dos_dir);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&END_SIG.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    let n = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&n);
    out.extend_from_slice(&n);
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// DOS time and date fields (UTC, two-second resolution, clamped to 1980..2107).
pub fn dos_datetime(t: SystemTime) -> (u16, u16) {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if y < 1980 {
        return (0, (1 << 5) | 1);
    }
    if y > 2107 {
        return ((23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31);
    }
    let time = ((rem / 3600) << 11) | (((rem % 3600) / 60) << 5) | ((rem % 60) / 2);
    let date = ((y - 1980) << 9) | (m << 5) | d;
    (time as u16, date as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = UNIX_EPOCH + Duration::from_secs(1_704_164_645); // 2024-01-02T03:04:05Z
        let a = Entry::build("a.txt".into(), b"hello hello hello hello\n", 6, t, 0o644);
        let b = Entry::build("d/".into(), b"", 6, t, 0o755);
        let bytes = write(&[a, b]);
        let back = parse(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].content().unwrap(), b"hello hello hello hello\n");
        assert_eq!(back[0].date_time(), "2024-01-02 03:04");
        assert_eq!(back[0].modified(), Some(t - Duration::from_secs(1)));
        assert!(back[1].is_dir());
        assert!(matches!(parse(b"garbage"), Err(Problem::NotZip)));
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(79, 52), 34);
        assert_eq!(percent(386, 218), 44);
        assert_eq!(percent(20, 19), 5);
        assert_eq!(percent(10, 12), 0);
    }
}
