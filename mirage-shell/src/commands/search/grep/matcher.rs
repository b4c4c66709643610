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
        let mut parts = Vec::with_capacity(patterns.len());
        let mut warnings = Vec::new();
        for p in patterns {
            match pattern::translate(p, opts.syntax, opts.null_data) {
                Ok(t) => {
                    warnings.extend(t.warnings);
                    parts.push(t.regex);
                }
                Err(e) if e == pattern::BACKREF_UNSUPPORTED => {
                    return Err(CompileError::Unsupported(
                        "back-references are not supported".to_string(),
                    ));
                }
                Err(e) => return Err(CompileError::Gnu(e)),
            }
        }
        if parts.is_empty() {
            return Ok(Compiled {
                matcher: Matcher {
                    fast: None,
                    longest: None,
                    cache: None,
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
                word: opts.word,
            },
            warnings,
        })
    }

    /// True when `line` contains a match.
    pub fn is_match(&mut self, line: &[u8]) -> bool {
        match &self.fast {
            None => false,
            Some(re) if !self.word => re.is_match(line),
            Some(_) => self.find(line, 0).is_some(),
        }
    }

    /// The first match starting at or after `from`, as GNU grep reports it: leftmost, longest,
    /// and for `-w` the longest one bounded by non-word characters.
    pub fn find(&mut self, line: &[u8], from: usize) -> Option<(usize, usize)> {
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
