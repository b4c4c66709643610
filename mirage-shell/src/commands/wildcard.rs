//! Shell wildcards as glibc `fnmatch(pattern, name, 0)` reads them: `*` and `?` match `/`,
//! and braces are literal (no `{a,b}` alternation). Shared by grep's --include/--exclude and
//! tar's --exclude/--wildcards.

use globset::{GlobBuilder, GlobMatcher};

/// Escapes `{`, `}` and `,` outside bracket expressions so globset treats them literally.
fn literal_braces(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => {
                // Copy a whole bracket expression unchanged when it is closed.
                let mut j = i + 1;
                if matches!(chars.get(j), Some('!') | Some('^')) {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                if j < chars.len() {
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                    continue;
                }
                out.push_str("\\[");
            }
            '{' | '}' | ',' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The globset matcher for `pattern` read as fnmatch without `FNM_PATHNAME`; `None` when it
/// does not compile (callers treat it as a literal or report it).
pub fn fnmatch_glob(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(&literal_braces(pattern))
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// A compiled wildcard.
#[derive(Clone)]
pub struct Wildcard(Option<GlobMatcher>, String);

impl Wildcard {
    pub fn new(pattern: &str) -> Self {
        Wildcard(fnmatch_glob(pattern), pattern.to_string())
    }

    pub fn matches(&self, name: &str) -> bool {
        match &self.0 {
            Some(g) => g.is_match(name),
            None => self.1 == name,
        }
    }

    /// GNU tar's default for `--exclude` (`FNM_LEADING_DIR`, not anchored): the pattern
    /// matches some run of whole components of `name`.
    pub fn matches_components(&self, name: &str) -> bool {
        let name = name.trim_end_matches('/');
        let starts = std::iter::once(0).chain(name.match_indices('/').map(|(i, _)| i + 1));
        for s in starts {
            let rest = &name[s..];
            let ends = rest
                .match_indices('/')
                .map(|(i, _)| i)
                .chain(std::iter::once(rest.len()));
            for e in ends {
                if self.matches(&rest[..e]) {
                    return true;
                }
            }
        }
        false
    }

    /// Member selection with `--wildcards` (anchored, `FNM_LEADING_DIR`).
    pub fn matches_leading(&self, name: &str) -> bool {
        let name = name.trim_end_matches('/');
        name.match_indices('/')
            .map(|(i, _)| i)
            .chain(std::iter::once(name.len()))
            .any(|e| self.matches(&name[..e]))
    }
}

#[cfg(test)]
mod tests {
    use super::Wildcard;

    #[test]
    fn braces_are_literal() {
        assert!(!Wildcard::new("*.{py,md}").matches("a.py"));
        assert!(Wildcard::new("*.{py,md}").matches("a.{py,md}"));
        assert!(Wildcard::new("*.py").matches("src/a.py"));
        assert!(Wildcard::new("[{]x").matches("{x"));
        assert!(Wildcard::new("src").matches_components("a/src/b.py"));
        assert!(!Wildcard::new("sr").matches_components("a/src/b.py"));
    }
}
