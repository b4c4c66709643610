//! The tar on-disk format: 512-byte headers (ustar, GNU long names, pax `path`/`size`), as
//! GNU tar writes and reads them. Only the pieces `tar c/t/x` need.

/// Size of a tar block.
pub const BLOCK: usize = 512;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// GNU `././@LongLink`: the data is the next entry's name.
    LongName,
    /// pax extended header for the next entry.
    Pax,
    /// pax global header (ignored).
    PaxGlobal,
    /// Links, devices, fifos: listed but not extracted.
    Other(u8),
}

/// A parsed header.
#[derive(Clone, Debug)]
pub struct Header {
    pub name: String,
    pub size: u64,
    pub kind: Kind,
    /// Fields shown by `tar tv`.
    pub mode: u32,
    pub owner: String,
    pub group: String,
    pub mtime: u64,
}

/// Why a header block was rejected.
#[derive(Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// The all-zero end-of-archive block.
    End,
    BadChecksum,
}

fn field(block: &[u8], start: usize, len: usize) -> &[u8] {
    let f = &block[start..start + len];
    let end = f.iter().position(|&b| b == 0).unwrap_or(len);
    &f[..end]
}

/// Parses an octal (or GNU base-256) number field.
fn number(f: &[u8]) -> u64 {
    if let Some((&first, rest)) = f.split_first()
        && first & 0x80 != 0
    {
        return rest
            .iter()
            .fold(0u64, |n, &b| n.wrapping_shl(8) | u64::from(b));
    }
    let mut n: u64 = 0;
    for &b in f {
        match b {
            b'0'..=b'7' => n = n.wrapping_mul(8).wrapping_add(u64::from(b - b'0')),
            b' ' | 0 if n == 0 => continue,
            _ => break,
        }
    }
    n
}

/// Parses one header block.
pub fn parse(block: &[u8; BLOCK]) -> Result<Header, HeaderError> {
    if block.iter().all(|&b| b == 0) {
        return Err(HeaderError::End);
    }
    let stored = number(&block[148..156]);
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    if stored != sum {
        return Err(HeaderError::BadChecksum);
    }
    let mut name = String::from_utf8_lossy(field(block, 0, 100)).into_owned();
    let posix = &block[257..263] == b"ustar\0";
    let prefix = field(block, 345, 155);
    if posix && !prefix.is_empty() {
        name = format!("{}/{name}", String::from_utf8_lossy(prefix));
    }
    let kind = match block[156] {
        b'0' | 0 | b'7' => Kind::File,
        b'5' => Kind::Dir,
        b'L' => Kind::LongName,
        b'x' => Kind::Pax,
        b'g' => Kind::PaxGlobal,
        other => Kind::Other(other),
    };
    let name_or_id = |start: usize, id: &[u8]| {
        let n = field(block, start, 32);
        if n.is_empty() {
            number(id).to_string()
        } else {
            String::from_utf8_lossy(n).into_owned()
        }
    };
    Ok(Header {
        name,
        size: number(&block[124..136]),
        kind,
        mode: number(&block[100..108]) as u32,
        owner: name_or_id(265, &block[108..116]),
        group: name_or_id(297, &block[116..124]),
        mtime: number(&block[136..148]),
    })
}

/// Applies a pax extended header's `path` and `size` records to what follows.
pub fn pax_records(data: &[u8]) -> (Option<String>, Option<u64>) {
    let (mut path, mut size) = (None, None);
    let mut rest = data;
    while let Some(sp) = rest.iter().position(|&b| b == b' ') {
        let Ok(len) = std::str::from_utf8(&rest[..sp])
            .unwrap_or("")
            .parse::<usize>()
        else {
            break;
        };
        if len <= sp || len > rest.len() {
            break;
        }
        let record = &rest[sp + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = record.iter().position(|&b| b == b'=') {
            let (k, v) = (&record[..eq], &record[eq + 1..]);
            match k {
                b"path" => path = Some(String::from_utf8_lossy(v).into_owned()),
                b"size" => size = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok()),
                _ => {}
            }
        }
        rest = &rest[len..];
    }
    (path, size)
}

fn put_octal(block: &mut [u8], start: usize, len: usize, value: u64) {
    let s = format!("{value:0width$o}", width = len - 1);
    let bytes = s.as_bytes();
    if bytes.len() < len {
        block[start..start + bytes.len()].copy_from_slice(bytes);
        block[start + bytes.len()] = 0;
    } else {
        // Too big for octal: GNU base-256.
        block[start] = 0x80;
        for i in 1..len {
            block[start + i] = (value >> (8 * (len - 1 - i))) as u8;
        }
    }
}

/// One GNU-format header block for `name` (at most 100 bytes; longer names need `long_name`).
pub fn header(name: &[u8], kind: Kind, size: u64, mode: u32, mtime: u64) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    let n = name.len().min(100);
    b[..n].copy_from_slice(&name[..n]);
    put_octal(&mut b, 100, 8, u64::from(mode & 0o7777));
    put_octal(&mut b, 108, 8, 0);
    put_octal(&mut b, 116, 8, 0);
    put_octal(&mut b, 124, 12, size);
    put_octal(&mut b, 136, 12, mtime);
    b[156] = match kind {
        Kind::Dir => b'5',
        Kind::LongName => b'L',
        _ => b'0',
    };
    b[257..265].copy_from_slice(b"ustar  \0");
    b[265..269].copy_from_slice(b"root");
    b[297..301].copy_from_slice(b"root");
    b[148..156].copy_from_slice(b"        ");
    let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
    let s = format!("{sum:06o}\0 ");
    b[148..156].copy_from_slice(s.as_bytes());
    b
}

/// Blocks that announce a name longer than 100 bytes (GNU `././@LongLink`), or nothing.
pub fn long_name(name: &[u8]) -> Vec<u8> {
    if name.len() <= 100 {
        return Vec::new();
    }
    let mut out = header(
        b"././@LongLink",
        Kind::LongName,
        name.len() as u64 + 1,
        0o644,
        0,
    )
    .to_vec();
    out.extend_from_slice(name);
    out.push(0);
    out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    out
}

/// Zero bytes that pad `size` bytes of data to a whole block.
pub fn padding(size: u64) -> usize {
    let rem = (size % BLOCK as u64) as usize;
    if rem == 0 { 0 } else { BLOCK - rem }
}

#[cfg(test)]
mod tests {
    use super::{Kind, header, parse};

    #[test]
    fn header_round_trip() {
        let h = header(b"dir/file.txt", Kind::File, 1234, 0o644, 99);
        let p = parse(&h);
        assert!(
            matches!(p, Ok(ref x) if x.name == "dir/file.txt" && x.size == 1234 && x.kind == Kind::File)
        );
    }
}
