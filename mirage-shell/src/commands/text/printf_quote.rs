//! `printf %q`: bash's shell quoting. Strings with non-printable characters get ANSI-C quoting
//! (`$'a\tb'`), others a backslash before each shell-special character.

/// True for characters bash's `ansic_shouldquote` flags: controls, DEL, C1 and invalid bytes.
fn needs_ansic(s: &[u8]) -> bool {
    match std::str::from_utf8(s) {
        Err(_) => true,
        Ok(t) => t
            .chars()
            .any(|c| (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32))),
    }
}

/// `$'...'` quoting (bash's `ansic_quote`).
fn ansic_quote(s: &[u8]) -> Vec<u8> {
    let mut out = b"$'".to_vec();
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let simple: Option<&[u8]> = match b {
            0x07 => Some(b"\\a"),
            0x08 => Some(b"\\b"),
            0x1b => Some(b"\\E"),
            0x0c => Some(b"\\f"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x0b => Some(b"\\v"),
            b'\\' => Some(b"\\\\"),
            b'\'' => Some(b"\\'"),
            _ => None,
        };
        if let Some(esc) = simple {
            out.extend_from_slice(esc);
            i += 1;
            continue;
        }
        if b >= 0x80 {
            // A valid printable multibyte character is kept; anything else is octal.
            let len = match b {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => 0,
            };
            if let Some(ch) = s
                .get(i..i + len)
                .filter(|_| len > 0)
                .and_then(|c| std::str::from_utf8(c).ok())
                && ch.chars().all(|c| c as u32 >= 0xa0)
            {
                out.extend_from_slice(ch.as_bytes());
                i += len;
                continue;
            }
        }
        if !(0x20..0x7f).contains(&b) {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
        } else {
            out.push(b);
        }
        i += 1;
    }
    out.push(b'\'');
    out
}

/// Backslash quoting (bash's `sh_backslash_quote` with tilde and comment rules).
fn backslash_quote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2);
    for (i, &b) in s.iter().enumerate() {
        let special = b" \t\n'\"\\|&;()<>!{}*[?]^$`,".contains(&b);
        let tilde = b == b'~' && (i == 0 || matches!(s[i - 1], b':' | b'='));
        let comment = b == b'#' && i == 0;
        if special || tilde || comment {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

/// `%q` of `s`.
pub fn shell_quote(s: &[u8]) -> Vec<u8> {
    if s.is_empty() {
        return b"''".to_vec();
    }
    if needs_ansic(s) {
        ansic_quote(s)
    } else {
        backslash_quote(s)
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    /// Expected texts recorded from bash 5.2 `printf '%q\n'`.
    #[test]
    fn quotes_like_bash() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"a b", b"a\\ b"),
            (b"it's", b"it\\'s"),
            (b"$x", b"\\$x"),
            (b"", b"''"),
            (b"a\\nb", b"a\\\\nb"),
            (b"a\nb", b"$'a\\nb'"),
            (b"~x", b"\\~x"),
            (b"x~", b"x~"),
            (b"#a", b"\\#a"),
            (b"a#", b"a#"),
            ("\u{e9}".as_bytes(), "\u{e9}".as_bytes()),
            (b"\x01", b"$'\\001'"),
            (b"!", b"\\!"),
            (b"a=b", b"a=b"),
            (b"a=~", b"a=\\~"),
            (b":~", b":\\~"),
            (b"\t", b"$'\\t'"),
            (
                b"\x1b\x07\x08\x0c\r\x0b\\'",
                b"$'\\E\\a\\b\\f\\r\\v\\\\\\''",
            ),
            (b"\x7f", b"$'\\177'"),
            (b"\xff", b"$'\\377'"),
            (b"\xc3", b"$'\\303'"),
            ("\u{e9}\x01".as_bytes(), "$'\u{e9}\\001'".as_bytes()),
        ];
        for (input, want) in cases {
            assert_eq!(
                shell_quote(input),
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }
}
