//! Line matching with GNU grep's semantics on top of the `regex` crate.
//!
//! The `regex` crate reports leftmost-first matches while GNU reports leftmost-longest ones
//! (POSIX). Selecting a line only needs "is there a match", but `-o` prints the match and `-w`
//! has to shrink a match until it is bounded by non-word characters, so both need the longest
//! match at a given start. The start of the leftmost match is the same under both semantics, so
//! the fast regex finds it and an anchored PikeVM in "all matches" mode extends it to the
//! longest end.

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::nfa::thompson::{self, pikevm};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

use super::pattern::{self, Syntax};

/// How patterns are compiled.
#[derive(Clone, Copy, Debug)]
pub struct MatchOptions {
    pub syntax: Syntax,
    pub ignore_case: bool,
    pub word: bool,
    pub line: bool,
    /// `-z`: lines may contain newlines, and `.` matches them.
    pub null_data: bool,
}

/// A compiled pattern list.
pub struct Matcher {
    /// None when the pattern list is empty (nothing matches).
    fast: Option<Regex>,
    longest: Option<pikevm::PikeVM>,
    cache: Option<pikevm::Cache>,
    /// A backtracking matcher, used instead of the others when the pattern has
    /// back-references (which finite automata cannot express).
    backref: Option<Vec<fancy_regex::Regex>>,
    word: bool,
}

/// Why compiling failed: a GNU error text (printed as `grep: TEXT`, status 2), or something the
/// `regex` crate cannot express.
#[derive(Debug)]
pub enum CompileError {
    Gnu(String),
    Unsupported(String),
}

/// The result of compiling: the matcher and the warnings GNU prints for the patterns.
pub struct Compiled {
    pub matcher: Matcher,
    pub warnings: Vec<String>,
}

impl Matcher {
    /// Compiles the patterns (each one line of the pattern list).
    pub fn compile(patterns: &[Vec<u8>], opts: MatchOptions) -> Result<Compiled, CompileError> {
        if opts.syntax == Syntax::Perl && patterns.len() > 1 {
            return Err(CompileError::Gnu(
                "the -P option only supports a single pattern".to_string(),
            ));
        }
        let mut parts = Vec::with_capacity(patterns.len());
        let mut warnings = Vec::new();
        let mut backrefs = false;
        for p in patterns {
            match pattern::translate(p, opts.syntax, opts.null_data) {
                Ok(t) => {
                    warnings.extend(t.warnings);
                    backrefs |= t.backrefs;
                    parts.push(t.regex);
                }
                Err(e) => return Err(CompileError::Gnu(e)),
            }
        }
        if backrefs {
            return Self::compile_backref(parts, opts, warnings);
        }
        if parts.is_empty() {
            return Ok(Compiled {
                matcher: Matcher {
                    fast: None,
                    longest: None,
                    cache: None,
                    backref: None,
                    word: opts.word,
                },
                warnings,
            });
        }
        let joined = if parts.len() == 1 {
            parts.pop().unwrap_or_default()
        } else {
            parts
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|")
        };
        let body = if opts.line {
            format!("^(?:{joined})$")
        } else {
            joined
        };
        let fast = RegexBuilder::new(&body)
            .case_insensitive(opts.ignore_case)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(regex_error)?;
        let longest = pikevm::PikeVM::builder()
            .syntax(
                syntax::Config::new()
                    .utf8(false)
                    .case_insensitive(opts.ignore_case),
            )
            .thompson(
                thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .configure(pikevm::PikeVM::config().match_kind(MatchKind::All))
            .build(&body)
            .map_err(|_| CompileError::Gnu("Regular expression too big".to_string()))?;
        let cache = longest.create_cache();
        Ok(Compiled {
            matcher: Matcher {
                fast: Some(fast),
                longest: Some(longest),
                cache: Some(cache),
                backref: None,
                word: opts.word,
            },
            warnings,
        })
    }

    /// Patterns with back-references go to a backtracking engine. It matches text, so a line
    /// that is not UTF-8 is matched in its lossy form, and its matches are leftmost-first rather
    /// than POSIX leftmost-longest (only `-o` can tell).
    fn compile_backref(
        parts: Vec<String>,
        opts: MatchOptions,
        warnings: Vec<String>,
    ) -> Result<Compiled, CompileError> {
        // Each pattern keeps its own group numbers, so they are compiled separately.
        let flags = if opts.ignore_case { "(?i)" } else { "" };
        let mut res = Vec::with_capacity(parts.len());
        for p in parts {
            let body = if opts.line {
                format!("{flags}^(?:{p})$")
            } else {
                format!("{flags}{p}")
            };
            let re = fancy_regex::Regex::new(&body).map_err(|e| {
                let text = e.to_string();
                if opts.syntax == super::pattern::Syntax::Perl
                    && text.contains("Opening parenthesis without closing")
                {
                    // PCRE2's wording, as grep -P prints it.
                    CompileError::Gnu("missing closing parenthesis".to_string())
                } else {
                    CompileError::Unsupported(format!("unsupported back-reference pattern: {e}"))
                }
            })?;
            res.push(re);
        }
        Ok(Compiled {
            matcher: Matcher {
                fast: None,
                longest: None,
                cache: None,
                backref: Some(res),
                word: opts.word,
            },
            warnings,
        })
    }

    /// The leftmost (then longest) match of any backtracking pattern.
    fn find_backrefs(
        res: &[fancy_regex::Regex],
        line: &[u8],
        from: usize,
        word: bool,
    ) -> Option<(usize, usize)> {
        res.iter()
            .filter_map(|re| Self::find_backref(re, line, from, word))
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
    }

    /// Leftmost match at or after `from` with the backtracking engine, honouring `-w`.
    fn find_backref(
        re: &fancy_regex::Regex,
        line: &[u8],
        from: usize,
        word: bool,
    ) -> Option<(usize, usize)> {
        let text = String::from_utf8_lossy(line);
        let mut pos = from.min(text.len());
        while pos <= text.len() {
            let m = re.find_from_pos(text.as_ref(), pos).ok().flatten()?;
            let (start, end) = (m.start(), m.end());
            if !word || (!word_before(line, start) && !word_after(line, end)) {
                return Some((start, end));
            }
            pos = text[start..]
                .chars()
                .next()
                .map_or(text.len() + 1, |c| start + c.len_utf8());
        }
        None
    }

    /// True when `line` contains a match.
    pub fn is_match(&mut self, line: &[u8]) -> bool {
        if let Some(res) = &self.backref {
            return Self::find_backrefs(res, line, 0, self.word).is_some();
        }
        match &self.fast {
            None => false,
            Some(re) if !self.word => re.is_match(line),
            Some(_) => self.find(line, 0).is_some(),
        }
    }

    /// The first match starting at or after `from`, as GNU grep reports it: leftmost, longest,
    /// and for `-w` the longest one bounded by non-word characters.
    pub fn find(&mut self, line: &[u8], from: usize) -> Option<(usize, usize)> {
        if let Some(res) = &self.backref {
            return Self::find_backrefs(res, line, from, self.word);
        }
        let re = self.fast.as_ref()?;
        let (vm, cache) = (self.longest.as_ref()?, self.cache.as_mut()?);
        let mut longest_end = |start: usize, limit: usize| {
            let input = Input::new(line).range(start..limit).anchored(Anchored::Yes);
            vm.find(cache, input).map(|m| m.end())
        };
        let mut pos = from;
        while pos <= line.len() {
            let start = re.find_at(line, pos)?.start();
            let mut end = longest_end(start, line.len()).unwrap_or(start);
            if !self.word {
                return Some((start, end));
            }
            if !word_before(line, start) {
                loop {
                    if !word_after(line, end) {
                        return Some((start, end));
                    }
                    if end == start {
                        break;
                    }
                    // Try a shorter match at the same start, as GNU does.
                    match longest_end(start, end - 1) {
                        Some(e) if e > start => end = e,
                        _ => break,
                    }
                }
            }
            pos = start + 1;
        }
        None
    }
}

fn regex_error(e: regex::Error) -> CompileError {
    match e {
        regex::Error::CompiledTooBig(_) => {
            CompileError::Gnu("Regular expression too big".to_string())
        }
        other => CompileError::Unsupported(format!(
            "unsupported pattern: {}",
            first_line(&other.to_string())
        )),
    }
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

/// True when the character ending just before `at` is a word constituent (`[_[:alnum:]]`).
fn word_before(line: &[u8], at: usize) -> bool {
    let head = &line[..at];
    let start = head.len().saturating_sub(4);
    let tail = &head[start..];
    // Find the last complete character in the tail.
    for i in 0..tail.len() {
        if let Ok(s) = std::str::from_utf8(&tail[i..]) {
            return s.chars().last().is_some_and(is_word_char);
        }
    }
    false
}

/// True when the character starting at `at` is a word constituent.
fn word_after(line: &[u8], at: usize) -> bool {
    let rest = &line[at..];
    let end = rest.len().min(4);
    for len in 1..=end {
        if let Ok(s) = std::str::from_utf8(&rest[..len]) {
            return s.chars().next().is_some_and(is_word_char);
        }
    }
    false
}

fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pats: &[&str], syntax: Syntax, word: bool) -> Matcher {
        let pats: Vec<Vec<u8>> = pats.iter().map(|p| p.as_bytes().to_vec()).collect();
        let opts = MatchOptions {
            syntax,
            ignore_case: false,
            word,
            line: false,
            null_data: false,
        };
        match Matcher::compile(&pats, opts) {
            Ok(c) => c.matcher,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn leftmost_longest() {
        let mut x = m(&["ab\\|abcd"], Syntax::Basic, false);
        assert_eq!(x.find(b"xabcd", 0), Some((1, 5)));
    }

    #[test]
    fn word_shrinks_then_moves_on() {
        let mut x = m(&["foo.*"], Syntax::Basic, true);
        assert_eq!(x.find(b"foo foobar", 0), Some((0, 10)));
        let mut y = m(&["@foo"], Syntax::Basic, true);
        assert_eq!(y.find(b"a@foo", 0), None);
        assert_eq!(y.find(b"@foo", 0), Some((0, 4)));
        let mut z = m(&["ab*"], Syntax::Basic, true);
        assert_eq!(z.find(b"abbc ab", 0), Some((5, 7)));
    }
}
