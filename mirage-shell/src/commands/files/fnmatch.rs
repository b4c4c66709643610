//! Shell wildcard matching with the semantics of glibc `fnmatch(pattern, name, 0)` (optionally
//! `FNM_CASEFOLD`): what `find -name`/`-path` and `ls -I`/`--hide` use. No flags means `*` and
//! `?` match `/` and a leading `.` too, which is why `find -name '*'` lists `.`; `ls` matches
//! with `FNM_PERIOD`, where only a literal `.` matches a leading one.

/// One element of a compiled pattern.
#[derive(Debug, Clone)]
enum Tok {
    Lit(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Debug, Clone)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    toks: Vec<Tok>,
    casefold: bool,
    period: bool,
}

impl Pattern {
    pub fn new(pattern: &str, casefold: bool) -> Self {
        let chars: Vec<char> = pattern.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' => {
                    if !matches!(toks.last(), Some(Tok::Star)) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::Any);
                    i += 1;
                }
                '[' => match parse_class(&chars, i + 1) {
                    Some((tok, next)) => {
                        toks.push(tok);
                        i = next;
                    }
                    None => {
                        toks.push(Tok::Lit('['));
                        i += 1;
                    }
                },
                '\\' if i + 1 < chars.len() => {
                    toks.push(Tok::Lit(chars[i + 1]));
                    i += 2;
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Pattern {
            toks,
            casefold,
            period: false,
        }
    }

    /// `FNM_PERIOD`: a leading `.` in the name must be matched by a literal `.`.
    pub fn with_period(mut self) -> Self {
        self.period = true;
        self
    }

    pub fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        if self.period
            && name.first() == Some(&'.')
            && !matches!(self.toks.first(), Some(Tok::Lit('.')))
        {
            return false;
        }
        // Classic glob matching with one backtrack point: the most recent `*`.
        let (mut p, mut n) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while n < name.len() {
            match self.toks.get(p) {
                Some(Tok::Star) => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                Some(tok) if self.single(tok, name[n]) => {
                    p += 1;
                    n += 1;
                    continue;
                }
                _ => {}
            }
            match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            }
        }
        self.toks[p..].iter().all(|t| matches!(t, Tok::Star))
    }

    fn single(&self, tok: &Tok, c: char) -> bool {
        match tok {
            Tok::Lit(l) => self.eq(*l, c),
            Tok::Any => true,
            Tok::Star => false,
            Tok::Class { negated, items } => {
                let hit = items.iter().any(|item| self.class_item(item, c));
                hit != *negated
            }
        }
    }

    fn eq(&self, a: char, b: char) -> bool {
        if self.casefold {
            fold(a) == fold(b)
        } else {
            a == b
        }
    }

    fn class_item(&self, item: &ClassItem, c: char) -> bool {
        match item {
            ClassItem::Char(x) => self.eq(*x, c),
            ClassItem::Range(lo, hi) => {
                (*lo <= c && c <= *hi)
                    || (self.casefold && fold(*lo) <= fold(c) && fold(c) <= fold(*hi))
            }
            ClassItem::Named(name) => named_class(name, c),
        }
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && !c.is_whitespace(),
        "cntrl" => c.is_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Parses a bracket expression whose body starts at `start` (just after `[`). Returns `None`
/// when there is no closing `]`, in which case `[` is an ordinary character.
fn parse_class(chars: &[char], start: usize) -> Option<(Tok, usize)> {
    let mut i = start;
    let negated = matches!(chars.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class { negated, items }, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = rest[..end].to_string();
                i += 2 + name.chars().count() + 2;
                items.push(ClassItem::Named(name));
                continue;
            }
        }
        let (lo, next) = if c == '\\' {
            (*chars.get(i + 1)?, i + 2)
        } else {
            (c, i + 1)
        };
        if chars.get(next) == Some(&'-') && chars.get(next + 1).is_some_and(|&h| h != ']') {
            let (hi, after) = match chars[next + 1] {
                '\\' => (*chars.get(next + 2)?, next + 3),
                h => (h, next + 2),
            };
            items.push(ClassItem::Range(lo, hi));
            i = after;
        } else {
            items.push(ClassItem::Char(lo));
            i = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, n: &str) -> bool {
        Pattern::new(p, false).matches(n)
    }

    #[test]
    fn wildcards() {
        assert!(m("*", ".hid"));
        assert!(m(".*", "."));
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "a.txt.bak"));
        assert!(m("*sub*", "./d/sub/g"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*c", "xxaybzzc"));
        assert!(m("", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn brackets() {
        assert!(m("[a-c]*", "a.txt"));
        assert!(!m("[a-c]*", "d"));
        assert!(m("[!a-c]", "d"));
        assert!(m("[^a-c]", "d"));
        assert!(m("[]]", "]"));
        assert!(m("[[:digit:]]x", "7x"));
        assert!(m("a[", "a["));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
    }

    #[test]
    fn leading_period() {
        assert!(!Pattern::new("*", false).with_period().matches(".hid"));
        assert!(!Pattern::new("?hid", false).with_period().matches(".hid"));
        assert!(Pattern::new(".*", false).with_period().matches(".hid"));
        assert!(Pattern::new("*", false).with_period().matches("a.b"));
    }

    #[test]
    fn casefold() {
        assert!(Pattern::new("b", true).matches("B"));
        assert!(Pattern::new("*SUB*", true).matches("./d/sub"));
        assert!(Pattern::new("[A-C]", true).matches("b"));
    }
}
