//! Translates sed's regular expressions (POSIX BRE or ERE plus GNU extensions) into the syntax of
//! the `regex` crate, which then matches bytes so invalid UTF-8 in the data is harmless.
//!
//! In a BRE `\(`, `\)`, `\{`, `\}`, `\|`, `\+` and `\?` are operators and the plain characters are
//! literal; in an ERE it is the other way round. Both accept GNU's `\n`, `\t`, `\w`, `\s`, `\b`,
//! `\<`, `\>`, `` \` `` and `\'`. Error texts are glibc's, which sed prints after the script
//! position.

use std::sync::Arc;

use regex::bytes::{Regex, RegexBuilder};

/// Flags that change how a pattern compiles (`I` and `M` on addresses and `s`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub icase: bool,
    pub multiline: bool,
}

/// A compiled sed regex: the fast `regex` engine, or `fancy_regex` (backtracking) when the
/// pattern uses back-references such as `\(a\)\1`, which the `regex` crate cannot express.
/// Both are shared behind an `Arc`: the executor clones the current regex for every line, and
/// cloning a `regex::Regex` builds a fresh match-cache pool (that was most of sed's time).
#[derive(Clone, Debug)]
pub enum Matcher {
    Fast(Arc<Regex>),
    Back(Arc<fancy_regex::Regex>),
}

/// Group spans of one match (byte offsets; group 0 is the whole match).
pub type Spans = Vec<Option<(usize, usize)>>;

impl Matcher {
    pub fn is_match(&self, hay: &[u8]) -> bool {
        match self {
            Matcher::Fast(r) => r.is_match(hay),
            Matcher::Back(r) => r.is_match(hay).unwrap_or(false),
        }
    }

    /// The leftmost match starting at or after `pos` (anchors still see the whole haystack).
    pub fn captures_at(&self, hay: &[u8], pos: usize) -> Option<Spans> {
        match self {
            Matcher::Fast(r) => {
                let c = r.captures_at(hay, pos)?;
                Some(c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            }
            Matcher::Back(r) => {
                let c = r.captures_from_pos(hay, pos).ok()??;
                Some(
                    (0..c.len())
                        .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                        .collect(),
                )
            }
        }
    }

    /// Number of groups including the whole match.
    pub fn captures_len(&self) -> usize {
        match self {
            Matcher::Fast(r) => r.captures_len(),
            Matcher::Back(r) => r.captures_len(),
        }
    }
}

/// Compiles `pattern` (already cut out of the script, delimiters removed).
pub fn compile(pattern: &[u8], ere: bool, flags: Flags) -> Result<Matcher, String> {
    let (translated, backrefs) = translate_with(pattern, ere, false)?;
    if backrefs {
        let (translated, _) = translate_with(pattern, ere, true)?;
        return fancy_regex::RegexBuilder::new(&translated)
            .case_insensitive(flags.icase)
            .multi_line(flags.multiline)
            .dot_matches_new_line(true)
            .build()
            .map(|r| Matcher::Back(Arc::new(r)))
            .map_err(|e| format!("Invalid regular expression: {e}"));
    }
    RegexBuilder::new(&translated)
        .case_insensitive(flags.icase)
        .multi_line(flags.multiline)
        .dot_matches_new_line(true)
        .size_limit(64 << 20)
        .build()
        .map(|r| Matcher::Fast(Arc::new(r)))
        .map_err(|e| format!("Invalid regular expression: {e}"))
}

/// GNU's numeric escapes `\xHH`, `\dNNN`, `\oNNN` and `\cX`: given the letter and the bytes
/// after it, the byte meant and how many bytes of `rest` it used.
pub fn numeric_escape(kind: u8, rest: &[u8]) -> Option<(u8, usize)> {
    let (radix, max) = match kind {
        b'x' => (16, 2),
        b'd' => (10, 3),
        b'o' => (8, 3),
        b'c' => {
            let c = rest.first()?;
            return Some((c.to_ascii_uppercase() ^ 0x40, 1));
        }
        _ => return None,
    };
    let digits = rest
        .iter()
        .take(max)
        .take_while(|b| char::from(**b).is_digit(radix))
        .count();
    if digits == 0 {
        return None;
    }
    let text = std::str::from_utf8(&rest[..digits]).ok()?;
    let value = u32::from_str_radix(text, radix).ok()?;
    Some((u8::try_from(value).ok()?, digits))
}

/// One unit of the pattern: a character, or a byte that is not valid UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Char(char),
    Byte(u8),
}

fn decode(bytes: &[u8]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.extend(chunk.valid().chars().map(Unit::Char));
        out.extend(chunk.invalid().iter().map(|b| Unit::Byte(*b)));
    }
    out
}

fn push_literal(out: &mut String, u: Unit) {
    match u {
        Unit::Char(c) => {
            let mut buf = [0u8; 4];
            out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        }
        Unit::Byte(b) => out.push_str(&format!("(?-u:\\x{b:02X})")),
    }
}

/// Walks the pattern once, emitting the `regex` crate equivalent.
struct Translator {
    units: Vec<Unit>,
    pos: usize,
    ere: bool,
    out: String,
    /// Open groups, to report an unmatched one.
    depth: usize,
    /// True where `*` would be literal (start of the expression or of a group or branch).
    at_start: bool,
    /// Emit syntax for `fancy_regex` (back-references allowed, no `\\b{start}`).
    fancy: bool,
    /// Closed groups so far: a back-reference may only name one of them.
    closed: usize,
    backrefs: bool,
}

/// Translates a sed pattern into `regex` crate syntax.
#[cfg(test)]
pub fn translate(pattern: &[u8], ere: bool) -> Result<String, String> {
    translate_with(pattern, ere, false).map(|t| t.0)
}

/// Translates for the fast engine or (`fancy`) for the backtracking one; also tells whether the
/// pattern has back-references.
fn translate_with(pattern: &[u8], ere: bool, fancy: bool) -> Result<(String, bool), String> {
    let mut t = Translator {
        units: decode(pattern),
        pos: 0,
        ere,
        out: String::new(),
        depth: 0,
        at_start: true,
        fancy,
        closed: 0,
        backrefs: false,
    };
    t.run()?;
    Ok((t.out, t.backrefs))
}

impl Translator {
    fn peek(&self) -> Option<Unit> {
        self.units.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<Unit> {
        self.units.get(self.pos + off).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(u) = self.peek() {
            self.pos += 1;
            let start = self.at_start;
            self.at_start = false;
            match u {
                Unit::Char('\\') => self.escape(start)?,
                Unit::Char('[') => self.bracket()?,
                Unit::Char('.') => self.out.push('.'),
                Unit::Char('*') if start => {
                    if self.ere {
                        self.at_start = true;
                    } else {
                        self.out.push_str("\\*");
                    }
                }
                Unit::Char('*') => self.out.push('*'),
                Unit::Char('^') if self.ere || start => {
                    self.out.push('^');
                    self.at_start = true;
                }
                Unit::Char('$') if self.ere || self.at_end() => self.out.push('$'),
                Unit::Char(c @ ('+' | '?')) if self.ere => {
                    if start {
                        push_literal(&mut self.out, u);
                    } else {
                        self.out.push(c);
                    }
                }
                Unit::Char('{') if self.ere => {
                    if start {
                        return Err("Invalid preceding regular expression".into());
                    }
                    self.interval()?;
                }
                Unit::Char('|') if self.ere => {
                    self.out.push('|');
                    self.at_start = true;
                }
                Unit::Char('(') if self.ere => self.open(),
                Unit::Char(')') if self.ere => self.close()?,
                other => push_literal(&mut self.out, other),
            }
        }
        if self.depth > 0 {
            return Err("Unmatched ( or \\(".into());
        }
        Ok(())
    }

    /// A BRE `$` is an anchor only at the end of the pattern, a group or a branch.
    fn at_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(Unit::Char('\\')) => {
                matches!(self.peek_at(1), Some(Unit::Char(')' | '|')))
            }
            _ => false,
        }
    }

    fn open(&mut self) {
        self.depth += 1;
        self.out.push('(');
        self.at_start = true;
    }

    fn close(&mut self) -> Result<(), String> {
        if self.depth == 0 {
            return Err("Unmatched ) or \\)".into());
        }
        self.depth -= 1;
        self.closed += 1;
        self.out.push(')');
        Ok(())
    }

    fn escape(&mut self, start: bool) -> Result<(), String> {
        let Some(u) = self.peek() else {
            return Err("Trailing backslash".into());
        };
        self.pos += 1;
        let Unit::Char(c) = u else {
            push_literal(&mut self.out, u);
            return Ok(());
        };
        match c {
            '(' if !self.ere => self.open(),
            ')' if !self.ere => self.close()?,
            '|' if !self.ere => {
                self.out.push('|');
                self.at_start = true;
            }
            '{' if !self.ere => {
                if start {
                    return Err("Invalid preceding regular expression".into());
                }
                self.interval()?;
            }
            '+' | '?' if !self.ere => {
                if start {
                    push_literal(&mut self.out, u);
                } else {
                    self.out.push(c);
                }
            }
            '1'..='9' => {
                let n = c as usize - '0' as usize;
                if n > self.closed {
                    return Err("Invalid back reference".into());
                }
                self.backrefs = true;
                self.out.push('\\');
                self.out.push(c);
            }
            'x' | 'd' | 'o' | 'c' => {
                let rest: Vec<u8> = self.units[self.pos..]
                    .iter()
                    .take(3)
                    .map_while(|u| match u {
                        Unit::Char(ch) if ch.is_ascii() => Some(*ch as u8),
                        _ => None,
                    })
                    .collect();
                match numeric_escape(c as u8, &rest) {
                    Some((b, used)) => {
                        self.pos += used;
                        let unit = if b.is_ascii() {
                            Unit::Char(char::from(b))
                        } else {
                            Unit::Byte(b)
                        };
                        push_literal(&mut self.out, unit);
                    }
                    None => push_literal(&mut self.out, u),
                }
            }
            'n' => self.out.push_str("\\n"),
            't' => self.out.push_str("\\t"),
            'f' => self.out.push_str("\\x0C"),
            'v' => self.out.push_str("\\x0B"),
            'a' => self.out.push_str("\\x07"),
            'r' => self.out.push_str("\\r"),
            'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                self.out.push('\\');
                self.out.push(c);
            }
            '<' if self.fancy => self.out.push_str("\\b(?=\\w)"),
            '>' if self.fancy => self.out.push_str("\\b(?<=\\w)"),
            '<' => self.out.push_str("\\b{start}"),
            '>' => self.out.push_str("\\b{end}"),
            '`' => self.out.push_str("\\A"),
            '\'' => self.out.push_str("\\z"),
            _ => push_literal(&mut self.out, u),
        }
        Ok(())
    }

    /// Reads `m`, `m,`, `m,n` or `,n` then the closing `\}` (BRE) or `}` (ERE).
    fn interval(&mut self) -> Result<(), String> {
        let mut body = String::new();
        loop {
            match self.peek() {
                Some(Unit::Char(c)) if c.is_ascii_digit() || c == ',' => {
                    body.push(c);
                    self.pos += 1;
                }
                Some(Unit::Char('\\')) if !self.ere => {
                    if self.peek_at(1) == Some(Unit::Char('}')) {
                        self.pos += 2;
                        break;
                    }
                    return Err("Invalid content of \\{\\}".into());
                }
                Some(Unit::Char('}')) if self.ere => {
                    self.pos += 1;
                    break;
                }
                None => return Err("Unmatched \\{".into()),
                _ => return Err("Invalid content of \\{\\}".into()),
            }
        }
        let (lo, hi) = match body.split_once(',') {
            Some((lo, hi)) => (lo, Some(hi)),
            None => (body.as_str(), None),
        };
        if hi.is_some_and(|h| h.contains(',')) || (lo.is_empty() && hi.is_none()) {
            return Err("Invalid content of \\{\\}".into());
        }
        let lo_n: u32 = if lo.is_empty() {
            0
        } else {
            lo.parse().map_err(|_| "Regular expression too big")?
        };
        match hi {
            None => self.out.push_str(&format!("{{{lo_n}}}")),
            Some("") => self.out.push_str(&format!("{{{lo_n},}}")),
            Some(h) => {
                let hi_n: u32 = h.parse().map_err(|_| "Regular expression too big")?;
                if hi_n < lo_n {
                    return Err("Invalid range end".into());
                }
                self.out.push_str(&format!("{{{lo_n},{hi_n}}}"));
            }
        }
        Ok(())
    }

    /// Copies a bracket expression, escaping what the `regex` crate would read as operators.
    fn bracket(&mut self) -> Result<(), String> {
        let unmatched = || "Unmatched [, [^, [:, [., or [=".to_string();
        self.out.push('[');
        if self.peek() == Some(Unit::Char('^')) {
            self.out.push('^');
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(u) = self.peek() else {
                return Err(unmatched());
            };
            self.pos += 1;
            match u {
                Unit::Char(']') if !first => break,
                Unit::Char('[') => match self.peek() {
                    Some(Unit::Char(kind @ (':' | '.' | '='))) => {
                        let mut name = String::new();
                        self.pos += 1;
                        loop {
                            match self.peek() {
                                Some(Unit::Char(c))
                                    if c == kind && self.peek_at(1) == Some(Unit::Char(']')) =>
                                {
                                    self.pos += 2;
                                    break;
                                }
                                Some(Unit::Char(c)) => {
                                    name.push(c);
                                    self.pos += 1;
                                }
                                _ => return Err(unmatched()),
                            }
                        }
                        if kind == ':' {
                            // The locale is UTF-8: letters are Unicode letters, as in glibc.
                            match name.as_str() {
                                "alpha" => self.out.push_str("\\p{Alphabetic}"),
                                "upper" => self.out.push_str("\\p{Uppercase}"),
                                "lower" => self.out.push_str("\\p{Lowercase}"),
                                "alnum" => self.out.push_str("\\p{Alphabetic}\\p{Nd}"),
                                "digit" | "xdigit" | "space" | "blank" | "punct" | "print"
                                | "graph" | "cntrl" => self.out.push_str(&format!("[:{name}:]")),
                                _ => return Err("Invalid character class name".into()),
                            }
                        } else {
                            for c in name.chars() {
                                push_literal(&mut self.out, Unit::Char(c));
                            }
                        }
                    }
                    _ => self.out.push_str("\\["),
                },
                Unit::Char('\\') => match self.peek() {
                    Some(Unit::Char('n')) => {
                        self.pos += 1;
                        self.out.push_str("\\n");
                    }
                    Some(Unit::Char('t')) => {
                        self.pos += 1;
                        self.out.push_str("\\t");
                    }
                    Some(Unit::Char('\\')) => {
                        self.pos += 1;
                        self.out.push_str("\\\\");
                    }
                    Some(Unit::Char(']')) => {
                        self.pos += 1;
                        self.out.push_str("\\]");
                    }
                    _ => self.out.push_str("\\\\"),
                },
                Unit::Char('-') => self.out.push('-'),
                Unit::Char(c @ ('&' | '~' | '^' | ']' | '|')) => {
                    self.out.push('\\');
                    self.out.push(c);
                }
                other => push_literal(&mut self.out, other),
            }
            first = false;
        }
        self.out.push(']');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bre_and_ere() {
        assert_eq!(translate(b"a\\(b\\)*c", false).unwrap(), "a(b)*c");
        assert_eq!(translate(b"*a+", false).unwrap(), "\\*a\\+");
        assert_eq!(translate(b"a\\{2,\\}", false).unwrap(), "a{2,}");
        assert_eq!(translate(b"(a|b)+", true).unwrap(), "(a|b)+");
        assert!(translate(b"\\(a", false).is_err());
        assert_eq!(translate(b"[]a-z.]", false).unwrap(), "[\\]a-z\\.]");
    }
}
