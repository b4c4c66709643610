//! POSIX basic regular expressions (with the GNU `\| \+ \?` extensions) translated to the
//! `regex` crate's syntax, for `expr :` and `csplit`. Back-references are refused. The
//! `regex` crate matches leftmost-first rather than POSIX leftmost-longest, which only shows
//! with alternations.

use regex::bytes::Regex;

/// Translates a BRE; `Err` carries the GNU message (`Unmatched ( or \(` ...).
pub fn translate(pat: &[u8]) -> Result<String, String> {
    let mut out = String::new();
    let mut i = 0;
    let mut depth = 0usize;
    // Whether the previous item can take a repetition operator (`*` at the start is literal).
    let mut can_repeat = false;
    while i < pat.len() {
        let c = pat[i];
        match c {
            b'\\' => {
                let Some(&n) = pat.get(i + 1) else {
                    return Err("Trailing backslash".into());
                };
                i += 2;
                match n {
                    b'(' => {
                        out.push('(');
                        depth += 1;
                        can_repeat = false;
                        continue;
                    }
                    b')' => {
                        if depth == 0 {
                            return Err("Unmatched ) or \\)".into());
                        }
                        depth -= 1;
                        out.push(')');
                    }
                    b'|' => {
                        out.push('|');
                        can_repeat = false;
                        continue;
                    }
                    b'{' => {
                        let end = pat[i..].windows(2).position(|w| w == b"\\}");
                        let Some(end) = end else {
                            return Err("Unmatched \\{".into());
                        };
                        let body = String::from_utf8_lossy(&pat[i..i + end]).into_owned();
                        if !body.bytes().all(|b| b.is_ascii_digit() || b == b',') || body.is_empty()
                        {
                            return Err("Invalid content of \\{\\}".into());
                        }
                        out.push('{');
                        out.push_str(&body);
                        out.push('}');
                        i += end + 2;
                    }
                    b'+' | b'?' if can_repeat => out.push(n as char),
                    b'1'..=b'9' => return Err("back-references are not supported".into()),
                    b'n' => out.push_str("\\n"),
                    b't' => out.push('t'),
                    b'w' | b'W' | b's' | b'S' | b'b' | b'B' => {
                        out.push('\\');
                        out.push(n as char);
                    }
                    b'<' => out.push_str("\\b"),
                    b'>' => out.push_str("\\b"),
                    b'`' => out.push_str("\\A"),
                    b'\'' => out.push_str("\\z"),
                    _ => push_literal(&mut out, n),
                }
            }
            b'*' if can_repeat => {
                out.push('*');
            }
            b'.' => {
                out.push('.');
                can_repeat = true;
                i += 1;
                continue;
            }
            b'^' if out.is_empty() || out.ends_with('(') || out.ends_with('|') => {
                out.push('^');
                can_repeat = false;
                i += 1;
                continue;
            }
            b'$' if i + 1 == pat.len()
                || pat[i + 1..].starts_with(b"\\)")
                || pat[i + 1..].starts_with(b"\\|") =>
            {
                out.push('$');
            }
            b'[' => {
                let (class, used) = bracket(&pat[i..])?;
                out.push_str(&class);
                i += used;
                can_repeat = true;
                continue;
            }
            _ => {
                // Copy a whole UTF-8 sequence as one literal.
                let len = match c {
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF7 => 4,
                    _ => 1,
                }
                .min(pat.len() - i);
                match std::str::from_utf8(&pat[i..i + len]) {
                    Ok(s) if len > 1 => out.push_str(&regex::escape(s)),
                    _ => push_literal(&mut out, c),
                }
                i += len;
                can_repeat = true;
                continue;
            }
        }
        if c != b'\\' {
            i += 1;
        }
        can_repeat = true;
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(".into());
    }
    Ok(out)
}

fn push_literal(out: &mut String, b: u8) {
    if b.is_ascii() {
        out.push_str(&regex::escape(&(b as char).to_string()));
    } else {
        out.push_str(&format!("\\x{b:02x}"));
    }
}

/// Translates a bracket expression starting at `p[0] == '['`; returns it and bytes used.
fn bracket(p: &[u8]) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    let mut i = 1;
    if p.get(i) == Some(&b'^') {
        out.push('^');
        i += 1;
    }
    if i >= p.len() {
        // glibc: a pattern ending at `[` or `[^` is REG_EEND, not an unmatched bracket.
        return Err("Invalid regular expression".into());
    }
    let mut first = true;
    while i < p.len() {
        let c = p[i];
        if c == b']' && !first {
            out.push(']');
            return Ok((out, i + 1));
        }
        first = false;
        if c == b'[' && matches!(p.get(i + 1), Some(b':') | Some(b'=') | Some(b'.')) {
            let kind = p[i + 1];
            let close = [kind, b']'];
            if let Some(end) = p[i + 2..].windows(2).position(|w| w == close) {
                let name = String::from_utf8_lossy(&p[i + 2..i + 2 + end]).into_owned();
                if kind == b':' {
                    out.push_str(&format!("[:{name}:]"));
                } else {
                    out.push_str(&regex::escape(&name));
                }
                i += end + 4;
                continue;
            }
        }
        match c {
            b'\\' | b'[' | b'&' | b'~' | b'|' => {
                out.push('\\');
                out.push(c as char);
            }
            b'-' => out.push('-'),
            _ if c.is_ascii() => out.push(c as char),
            _ => {
                let len = match c {
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                }
                .min(p.len() - i);
                match std::str::from_utf8(&p[i..i + len]) {
                    Ok(s) => out.push_str(s),
                    Err(_) => out.push_str(&format!("\\x{c:02x}")),
                }
                i += len;
                continue;
            }
        }
        i += 1;
    }
    Err("Unmatched [, [^, [:, [., or [=".into())
}

/// Compiles a BRE anchored at the start (as `expr :` wants) or unanchored.
pub fn compile(pat: &[u8], anchored: bool) -> Result<Regex, String> {
    let t = translate(pat)?;
    let full = if anchored {
        format!("(?s)^(?:{t})")
    } else {
        format!("(?s){t}")
    };
    regex::bytes::RegexBuilder::new(&full)
        .unicode(true)
        .build()
        .map_err(|_| "Invalid regular expression".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates() {
        assert_eq!(translate(b"a\\(.*\\)").as_deref(), Ok("a(.*)"));
        assert_eq!(translate(b"*a+").as_deref(), Ok("\\*a\\+"));
        assert!(translate(b"\\(").is_err());
    }
}
