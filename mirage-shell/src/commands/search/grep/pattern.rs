//! Translates GNU grep patterns (BRE, ERE, fixed strings) into the syntax of the `regex` crate.
//!
//! GNU's dialects differ from the `regex` crate in many small ways: in a BRE `\(`, `\{`, `\|`,
//! `\+` and `\?` are operators while the plain characters are literal; `*` at the start of an
//! expression is literal in a BRE and ignored (with a warning) in an ERE; `{` that does not start
//! a valid interval is literal in an ERE; a backslash inside a bracket expression is literal;
//! character classes follow the locale (Unicode here). The parser below walks the pattern once
//! and emits an equivalent `regex` pattern, reporting errors with GNU's exact texts.

/// Which pattern dialect to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
    Fixed,
    /// `-P`: handed to the backtracking engine as written.
    Perl,
}

/// A translated pattern plus the warnings GNU grep prints for it.
#[derive(Debug, Default)]
pub struct Translated {
    pub regex: String,
    pub warnings: Vec<String>,
    /// The pattern uses back-references (`\(a\)\1`), which need a backtracking engine.
    pub backrefs: bool,
}

/// One unit of the pattern: a decoded character, or a byte that is not valid UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Char(char),
    Byte(u8),
}

/// GNU's limit on interval counts (RE_DUP_MAX).
const DUP_MAX: u32 = 0x7fff;

/// Expands PCRE's `\Q...\E` literal spans, which the backtracking engine lacks.
fn perl_quotes(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.chars().next() {
            Some('Q') => {
                let body = &after[1..];
                let (lit, tail) = match body.find("\\E") {
                    Some(e) => (&body[..e], &body[e + 2..]),
                    None => (body, ""),
                };
                out.push_str(&regex::escape(lit));
                rest = tail;
            }
            Some('E') => rest = &after[1..],
            Some(c) => {
                out.push('\\');
                out.push(c);
                rest = &after[c.len_utf8()..];
            }
            None => {
                out.push('\\');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Translates one pattern (a single line of the pattern list).
pub fn translate(pattern: &[u8], syntax: Syntax, dot_all: bool) -> Result<Translated, String> {
    if syntax == Syntax::Perl {
        return Ok(Translated {
            regex: perl_quotes(&String::from_utf8_lossy(pattern)),
            warnings: Vec::new(),
            backrefs: true,
        });
    }
    let units = decode(pattern);
    if syntax == Syntax::Fixed {
        let mut regex = String::new();
        for u in units {
            push_literal(&mut regex, u);
        }
        return Ok(Translated {
            regex,
            warnings: Vec::new(),
            backrefs: false,
        });
    }
    let mut p = Parser {
        units,
        pos: 0,
        ere: syntax == Syntax::Extended,
        depth: 0,
        closed_groups: 0,
        dot_all,
        warnings: Vec::new(),
        backrefs: false,
    };
    let regex = p.alternation()?;
    if p.pos < p.units.len() {
        // Only an unmatched closing group can stop the top-level parse early.
        return Err("Unmatched ) or \\)".to_string());
    }
    Ok(Translated {
        regex,
        warnings: p.warnings,
        backrefs: p.backrefs,
    })
}

fn decode(bytes: &[u8]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.extend(chunk.valid().chars().map(Unit::Char));
        out.extend(chunk.invalid().iter().map(|b| Unit::Byte(*b)));
    }
    out
}

/// Appends `u` as a literal to a `regex` pattern outside a class.
fn push_literal(out: &mut String, u: Unit) {
    match u {
        Unit::Char(c) => {
            let mut buf = [0u8; 4];
            out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        }
        Unit::Byte(b) => out.push_str(&format!("(?-u:\\x{b:02X})")),
    }
}

/// Appends `u` as a member of a `regex` class.
fn push_class_char(out: &mut String, u: Unit) {
    match u {
        Unit::Char(c) if c.is_alphanumeric() => out.push(c),
        Unit::Char(c) => out.push_str(&format!("\\x{{{:X}}}", c as u32)),
        // A class cannot hold a raw byte in Unicode mode; an invalid byte never matches a class
        // member in GNU either, so it contributes nothing.
        Unit::Byte(_) => {}
    }
}

/// One piece of the output: its text, and whether a repetition can be applied to it directly.
struct Piece {
    text: String,
    /// False when the text is already a repetition or several atoms (so must be grouped first).
    simple: bool,
}

struct Parser {
    units: Vec<Unit>,
    pos: usize,
    ere: bool,
    depth: usize,
    closed_groups: usize,
    /// Set when a back-reference was translated.
    backrefs: bool,
    dot_all: bool,
    warnings: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<Unit> {
        self.units.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<Unit> {
        self.units.get(self.pos + off).copied()
    }

    fn is_char(&self, off: usize, c: char) -> bool {
        self.peek_at(off) == Some(Unit::Char(c))
    }

    /// True when the next token is the alternation operator.
    fn at_alternation(&self) -> bool {
        if self.ere {
            self.is_char(0, '|')
        } else {
            self.is_char(0, '\\') && self.is_char(1, '|')
        }
    }

    /// True when the next token closes a group (an ERE `)` closes only inside a group).
    fn at_close(&self) -> bool {
        if self.ere {
            self.depth > 0 && self.is_char(0, ')')
        } else {
            self.is_char(0, '\\') && self.is_char(1, ')')
        }
    }

    fn alternation(&mut self) -> Result<String, String> {
        let mut branches = vec![self.branch()?];
        while self.at_alternation() {
            self.pos += if self.ere { 1 } else { 2 };
            branches.push(self.branch()?);
        }
        Ok(branches.join("|"))
    }

    fn branch(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let mut last: Option<Piece> = None;
        // At the start of an expression (also right after a leading `^`) repetition operators
        // are literal (BRE) or ignored with a warning (ERE).
        let mut at_start = true;
        loop {
            if self.pos >= self.units.len() || self.at_alternation() || self.at_close() {
                break;
            }
            if let Some(op) = self.repetition(at_start)? {
                // In an ERE a repetition right after a leading `^` repeats the anchor (making it
                // optional); at the very start it repeats nothing.
                if let Some(piece) = last.as_mut() {
                    if !piece.simple {
                        piece.text = format!("(?:{})", piece.text);
                    }
                    piece.text.push_str(&op);
                    piece.simple = false;
                }
                continue;
            }
            let starting = at_start;
            at_start = false;
            let piece = self.atom(starting, &mut at_start)?;
            if let Some(prev) = last.replace(piece) {
                out.push_str(&prev.text);
            }
        }
        if let Some(prev) = last {
            out.push_str(&prev.text);
        }
        Ok(out)
    }

    /// Reads a repetition operator if one is next. At the start of an expression a BRE treats
    /// it as a literal (returns None so `atom` reads it) and an ERE warns about it.
    fn repetition(&mut self, at_start: bool) -> Result<Option<String>, String> {
        let (op, len, name) = match self.peek() {
            Some(Unit::Char('*')) => ("*".to_string(), 1, "*"),
            Some(Unit::Char('+')) if self.ere => ("+".to_string(), 1, "+"),
            Some(Unit::Char('?')) if self.ere => ("?".to_string(), 1, "?"),
            Some(Unit::Char('\\')) if !self.ere && self.is_char(1, '+') => {
                ("+".to_string(), 2, "+")
            }
            Some(Unit::Char('\\')) if !self.ere && self.is_char(1, '?') => {
                ("?".to_string(), 2, "?")
            }
            Some(Unit::Char('\\')) if !self.ere && self.is_char(1, '{') => {
                if at_start {
                    return Ok(None);
                }
                self.pos += 2;
                let op = self.interval_bre()?;
                return Ok(Some(op));
            }
            Some(Unit::Char('{')) if self.ere => {
                let save = self.pos;
                self.pos += 1;
                match self.interval_ere()? {
                    Some(op) => {
                        if at_start {
                            self.warnings
                                .push("{...} at start of expression".to_string());
                        }
                        return Ok(Some(op));
                    }
                    None => {
                        self.pos = save;
                        return Ok(None);
                    }
                }
            }
            _ => return Ok(None),
        };
        if at_start {
            if !self.ere {
                return Ok(None);
            }
            self.warnings.push(format!("{name} at start of expression"));
        }
        self.pos += len;
        Ok(Some(op))
    }

    /// Reads decimal digits; None when there are none.
    fn number(&mut self) -> Option<u64> {
        let mut n: Option<u64> = None;
        while let Some(Unit::Char(c)) = self.peek() {
            let Some(d) = c.to_digit(10) else { break };
            n = Some(
                n.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u64::from(d)),
            );
            self.pos += 1;
        }
        n
    }

    /// The bounds `{min,max}` as a `regex` operator, checking GNU's limits.
    fn bounds(min: Option<u64>, comma: bool, max: Option<u64>) -> Result<String, String> {
        let lo = min.unwrap_or(0);
        let hi = if comma { max } else { Some(lo) };
        if let Some(h) = hi
            && h < lo
        {
            return Err("Invalid content of \\{\\}".to_string());
        }
        if lo > u64::from(DUP_MAX) || hi.is_some_and(|h| h > u64::from(DUP_MAX)) {
            return Err("Regular expression too big".to_string());
        }
        Ok(match (comma, hi) {
            (false, _) => format!("{{{lo}}}"),
            (true, None) => format!("{{{lo},}}"),
            (true, Some(h)) => format!("{{{lo},{h}}}"),
        })
    }

    /// After `\{` in a BRE: `min[,max]\}`; malformed content is an error.
    fn interval_bre(&mut self) -> Result<String, String> {
        let min = self.number();
        let comma = self.is_char(0, ',');
        if comma {
            self.pos += 1;
        }
        let max = if comma { self.number() } else { None };
        if self.is_char(0, '\\') && self.is_char(1, '}') {
            self.pos += 2;
            return Self::bounds(min, comma, max);
        }
        if self.pos >= self.units.len() || (self.is_char(0, '\\') && self.peek_at(1).is_none()) {
            return Err("Unmatched \\{".to_string());
        }
        // Anything else before `\}` is bad content, unless `\}` never comes.
        let rest = &self.units[self.pos..];
        let closes = rest
            .windows(2)
            .any(|w| w == [Unit::Char('\\'), Unit::Char('}')]);
        if closes {
            Err("Invalid content of \\{\\}".to_string())
        } else {
            Err("Unmatched \\{".to_string())
        }
    }

    /// After `{` in an ERE: a valid interval, or None (then the `{` is a literal).
    fn interval_ere(&mut self) -> Result<Option<String>, String> {
        let min = self.number();
        let comma = self.is_char(0, ',');
        if comma {
            self.pos += 1;
        }
        let max = if comma { self.number() } else { None };
        if !self.is_char(0, '}') || (min.is_none() && !comma) {
            return Ok(None);
        }
        self.pos += 1;
        Self::bounds(min, comma, max).map(Some)
    }

    /// Reads one atom. `at_start` says whether it begins an expression; `next_at_start` is set
    /// when the atom is a leading `^` (after which repetition is again "at start").
    fn atom(&mut self, at_start: bool, next_at_start: &mut bool) -> Result<Piece, String> {
        let Some(u) = self.peek() else {
            return Ok(Piece {
                text: String::new(),
                simple: true,
            });
        };
        self.pos += 1;
        let simple = |text: String| Ok(Piece { text, simple: true });
        let c = match u {
            Unit::Byte(_) => {
                let mut s = String::new();
                push_literal(&mut s, u);
                return simple(s);
            }
            Unit::Char(c) => c,
        };
        match c {
            '.' => simple(if self.dot_all {
                "(?s:.)".to_string()
            } else {
                ".".to_string()
            }),
            '[' => self.bracket().map(|t| Piece {
                text: t,
                simple: true,
            }),
            '^' if self.ere || at_start => {
                *next_at_start = true;
                assertion("^")
            }
            '$' if self.ere
                || self.pos >= self.units.len()
                || self.at_alternation()
                || self.at_close() =>
            {
                assertion("$")
            }
            '(' if self.ere => self.group(),
            '\\' => self.escape(),
            other => {
                let mut s = String::new();
                push_literal(&mut s, Unit::Char(other));
                simple(s)
            }
        }
    }

    /// A group after its opening token.
    fn group(&mut self) -> Result<Piece, String> {
        self.depth += 1;
        let inner = self.alternation()?;
        self.depth -= 1;
        let close_len = if self.ere { 1 } else { 2 };
        let closed = if self.ere {
            self.is_char(0, ')')
        } else {
            self.is_char(0, '\\') && self.is_char(1, ')')
        };
        if !closed {
            return Err("Unmatched ( or \\(".to_string());
        }
        self.pos += close_len;
        self.closed_groups += 1;
        Ok(Piece {
            text: format!("({inner})"),
            simple: true,
        })
    }

    /// A backslash escape (the backslash already consumed).
    fn escape(&mut self) -> Result<Piece, String> {
        let Some(u) = self.peek() else {
            return Err("Trailing backslash".to_string());
        };
        self.pos += 1;
        let simple = |text: &str| {
            Ok(Piece {
                text: text.to_string(),
                simple: true,
            })
        };
        let Unit::Char(c) = u else {
            let mut s = String::new();
            push_literal(&mut s, u);
            return Ok(Piece {
                text: s,
                simple: true,
            });
        };
        match c {
            '(' if !self.ere => self.group(),
            ')' if !self.ere => Err("Unmatched ) or \\)".to_string()),
            '{' if !self.ere => simple("\\{"),
            'w' => simple("[_\\p{Alphabetic}0-9]"),
            'W' => simple("[^_\\p{Alphabetic}0-9]"),
            's' => simple("\\s"),
            'S' => simple("\\S"),
            'b' => assertion("\\b"),
            'B' => assertion("\\B"),
            '<' => assertion("\\b{start}"),
            '>' => assertion("\\b{end}"),
            '`' => assertion("\\A"),
            '\'' => assertion("\\z"),
            '1'..='9' => {
                let n = c.to_digit(10).unwrap_or(0) as usize;
                if n > self.closed_groups {
                    Err("Invalid back reference".to_string())
                } else {
                    self.backrefs = true;
                    simple(&format!("\\{n}"))
                }
            }
            other => {
                let mut s = String::new();
                push_literal(&mut s, Unit::Char(other));
                Ok(Piece {
                    text: s,
                    simple: true,
                })
            }
        }
    }

    /// A bracket expression after its `[`.
    fn bracket(&mut self) -> Result<String, String> {
        const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
        let start = self.pos;
        let mut negate = false;
        if self.is_char(0, '^') {
            negate = true;
            self.pos += 1;
        }
        let mut items = String::new();
        let mut first = true;
        // The previous single character, available as the start of a range.
        let mut prev: Option<Unit> = None;
        loop {
            let Some(u) = self.peek() else {
                // GNU names a bracket that ends the pattern before any member differently.
                if first {
                    return Err("Invalid regular expression".to_string());
                }
                return Err(UNMATCHED.to_string());
            };
            if u == Unit::Char(']') && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if u == Unit::Char('[') && matches!(self.peek_at(1), Some(Unit::Char(':' | '.' | '=')))
            {
                let Some(Unit::Char(kind)) = self.peek_at(1) else {
                    return Err(UNMATCHED.to_string());
                };
                self.pos += 2;
                let name = self.bracket_name(kind)?;
                match kind {
                    ':' => {
                        if self.is_char(0, '-') && !self.is_char(1, ']') {
                            return Err("Invalid range end".to_string());
                        }
                        items.push_str(class_members(&name).ok_or("Invalid character class name")?);
                        prev = None;
                    }
                    _ => {
                        let mut chars = name.chars();
                        let (Some(ch), None) = (chars.next(), chars.next()) else {
                            return Err("Invalid collation character".to_string());
                        };
                        if self.range_follows() {
                            prev = Some(Unit::Char(ch));
                            continue;
                        }
                        push_class_char(&mut items, Unit::Char(ch));
                        prev = Some(Unit::Char(ch));
                    }
                }
                continue;
            }
            self.pos += 1;
            if u == Unit::Char('-') && prev.is_some() && !self.is_char(0, ']') {
                // A range: prev-end.
                let lo = prev.take().ok_or(UNMATCHED)?;
                let hi = self.range_end()?;
                let (Unit::Char(a), Unit::Char(b)) = (lo, hi) else {
                    return Err("Invalid range end".to_string());
                };
                if b < a {
                    return Err("Invalid range end".to_string());
                }
                push_class_char(&mut items, lo);
                items.push('-');
                push_class_char(&mut items, hi);
                continue;
            }
            if let Some(p) = prev.take() {
                push_class_char(&mut items, p);
            }
            if self.range_follows() {
                prev = Some(u);
            } else {
                push_class_char(&mut items, u);
            }
        }
        if let Some(p) = prev.take() {
            push_class_char(&mut items, p);
        }
        let body: Vec<Unit> = self.units[start..self.pos - 1].to_vec();
        if body.len() >= 2
            && body.first() == Some(&Unit::Char(':'))
            && body.last() == Some(&Unit::Char(':'))
        {
            let name: String = body[1..body.len() - 1]
                .iter()
                .filter_map(|u| {
                    if let Unit::Char(c) = u {
                        Some(*c)
                    } else {
                        None
                    }
                })
                .collect();
            return Err(format!(
                "character class syntax is [[:{name}:]], not [:{name}:]"
            ));
        }
        if items.is_empty() {
            // Only invalid bytes: a class that matches nothing (or anything, negated).
            return Ok(if negate {
                "[^\\x{0}&&\\x{0}]".to_string()
            } else {
                "[\\x{0}&&[^\\x{0}]]".to_string()
            });
        }
        Ok(if negate {
            format!("[^{items}\\n]")
        } else {
            format!("[{items}]")
        })
    }

    /// True when a `-` follows that starts a range (not the final `-]`).
    fn range_follows(&self) -> bool {
        self.is_char(0, '-') && !self.is_char(1, ']') && self.peek_at(1).is_some()
    }

    /// The end of a range: a single character or a collating element `[.c.]`.
    fn range_end(&mut self) -> Result<Unit, String> {
        let Some(u) = self.peek() else {
            return Err("Unmatched [, [^, [:, [., or [=".to_string());
        };
        if u == Unit::Char('[') {
            match self.peek_at(1) {
                Some(Unit::Char('.')) | Some(Unit::Char('=')) => {
                    let Some(Unit::Char(kind)) = self.peek_at(1) else {
                        return Err("Invalid range end".to_string());
                    };
                    self.pos += 2;
                    let name = self.bracket_name(kind)?;
                    let mut chars = name.chars();
                    return match (chars.next(), chars.next()) {
                        (Some(c), None) => Ok(Unit::Char(c)),
                        _ => Err("Invalid collation character".to_string()),
                    };
                }
                Some(Unit::Char(':')) => return Err("Invalid range end".to_string()),
                _ => {}
            }
        }
        self.pos += 1;
        Ok(u)
    }

    /// The name inside `[:name:]`, `[.c.]` or `[=c=]` (after the opening two characters).
    fn bracket_name(&mut self, kind: char) -> Result<String, String> {
        let mut name = String::new();
        loop {
            match self.peek() {
                None => return Err("Unmatched [, [^, [:, [., or [=".to_string()),
                Some(Unit::Char(c)) if c == kind && self.is_char(1, ']') => {
                    self.pos += 2;
                    return Ok(name);
                }
                Some(Unit::Char(c)) => name.push(c),
                Some(Unit::Byte(_)) => name.push('\u{FFFD}'),
            }
            self.pos += 1;
        }
    }
}

/// A zero-width assertion: repeating it needs a group around it.
fn assertion(text: &str) -> Result<Piece, String> {
    Ok(Piece {
        text: text.to_string(),
        simple: false,
    })
}

/// Members of a POSIX class, in `regex` class syntax, following the Unicode (C.UTF-8) locale.
fn class_members(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "\\p{Alphabetic}",
        "upper" => "\\p{Uppercase}",
        "lower" => "\\p{Lowercase}",
        "digit" => "0-9",
        "xdigit" => "0-9A-Fa-f",
        "alnum" => "\\p{Alphabetic}0-9",
        "space" => "\\s",
        "blank" => "\\t\\p{Zs}",
        "punct" => "!-/:-@\\[-`{-~\\p{P}\\p{S}",
        "print" => "\\P{C}",
        "graph" => "[\\P{C}&&\\S]",
        "cntrl" => "\\p{Cc}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bre(p: &str) -> Result<String, String> {
        translate(p.as_bytes(), Syntax::Basic, false).map(|t| t.regex)
    }

    fn ere(p: &str) -> Result<String, String> {
        translate(p.as_bytes(), Syntax::Extended, false).map(|t| t.regex)
    }

    #[test]
    fn bre_operators_and_literals() {
        assert_eq!(bre("a\\(b\\)c").unwrap(), "a(b)c");
        assert_eq!(bre("a(b)c").unwrap(), "a\\(b\\)c");
        assert_eq!(bre("a\\|b").unwrap(), "a|b");
        assert_eq!(bre("a|b+c?").unwrap(), "a\\|b\\+c\\?");
        assert_eq!(bre("a\\{2,3\\}").unwrap(), "a{2,3}");
        assert_eq!(bre("*a").unwrap(), "\\*a");
        assert_eq!(bre("^*a").unwrap(), "^\\*a");
        assert_eq!(bre("a^b$c$").unwrap(), "a\\^b\\$c$");
        assert_eq!(bre("\\{1\\}a").unwrap(), "\\{1\\}a");
    }

    #[test]
    fn ere_operators_and_literals() {
        assert_eq!(ere("a(b)c").unwrap(), "a(b)c");
        assert_eq!(ere("a{1,2").unwrap(), "a\\{1,2");
        assert_eq!(ere("a**").unwrap(), "(?:a*)*");
        assert_eq!(ere("a)").unwrap(), "a\\)");
        let t = translate(b"*a", Syntax::Extended, false).unwrap();
        assert_eq!(t.warnings, vec!["* at start of expression".to_string()]);
    }

    #[test]
    fn gnu_error_texts() {
        assert_eq!(bre("a\\)").unwrap_err(), "Unmatched ) or \\)");
        assert_eq!(ere("(a").unwrap_err(), "Unmatched ( or \\(");
        assert_eq!(bre("[a").unwrap_err(), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(bre("a\\{2").unwrap_err(), "Unmatched \\{");
        assert_eq!(bre("a\\{x\\}").unwrap_err(), "Invalid content of \\{\\}");
        assert_eq!(bre("ab\\").unwrap_err(), "Trailing backslash");
        assert_eq!(
            bre("[:space:]").unwrap_err(),
            "character class syntax is [[:space:]], not [:space:]"
        );
        assert_eq!(
            bre("[[:foo:]]").unwrap_err(),
            "Invalid character class name"
        );
        assert_eq!(bre("[b-a]").unwrap_err(), "Invalid range end");
        assert_eq!(ere("a{32768}").unwrap_err(), "Regular expression too big");
        assert_eq!(ere("\\1").unwrap_err(), "Invalid back reference");
    }

    #[test]
    fn brackets() {
        assert_eq!(bre("[]a]").unwrap(), "[\\x{5D}a]");
        assert_eq!(bre("[^]a]").unwrap(), "[^\\x{5D}a\\n]");
        assert_eq!(bre("[\\]").unwrap(), "[\\x{5C}]");
        assert_eq!(bre("[a-c-]").unwrap(), "[a-c\\x{2D}]");
    }
}
