//! Shell pattern matching (`case`, `[[ == ]]`, `${x#pat}`, globs) via brush-parser's translation
//! of patterns to regular expressions.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;

/// How many compiled patterns each thread keeps. A loop (`case $x in 1*)`) asks for the same
/// few again and again, and compiling one costs far more than matching it.
const CACHED_PATTERNS: usize = 256;

thread_local! {
    // Shared, not cloned: cloning a `Regex` gives it a new, empty matching cache. One table
    // per case mode, so a lookup needs no key built.
    static COMPILED: RefCell<[HashMap<String, Option<Arc<Regex>>>; 2]> =
        RefCell::new([HashMap::new(), HashMap::new()]);
}

/// Compiles a shell pattern into an anchored regex; `None` when the pattern is malformed (bash
/// then compares literally).
pub fn compile(pattern: &str) -> Option<Arc<Regex>> {
    cached(pattern, false)
}

/// [`compile`], ignoring case (`shopt -s nocaseglob`).
pub fn compile_nocase(pattern: &str) -> Option<Arc<Regex>> {
    cached(pattern, true)
}

fn cached(pattern: &str, nocase: bool) -> Option<Arc<Regex>> {
    let table = usize::from(nocase);
    if let Some(hit) = COMPILED.with(|c| c.borrow()[table].get(pattern).cloned()) {
        return hit;
    }
    let re = translate(pattern, nocase).map(Arc::new);
    COMPILED.with(|c| {
        let c = &mut c.borrow_mut()[table];
        if c.len() >= CACHED_PATTERNS {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    });
    re
}

fn translate(pattern: &str, nocase: bool) -> Option<Regex> {
    let body = brush_parser::pattern::pattern_to_regex_str(pattern, true).ok()?;
    let flags = if nocase { "si" } else { "s" };
    Regex::new(&format!("(?{flags})^(?:{body})$")).ok()
}

/// True when `text` matches the whole `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    // A pattern without special characters matches only itself (`case $x in start)`).
    if !pattern.contains(['*', '?', '[', '(', '\\']) {
        return pattern == text;
    }
    match compile(pattern) {
        Some(re) => re.is_match(text),
        None => pattern == text,
    }
}

/// [`matches`], or ignoring case when `case_sensitive` is false (`shopt -s nocasematch`).
pub fn matches_case(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        return matches(pattern, text);
    }
    match compile_nocase(pattern) {
        Some(re) => re.is_match(text),
        None => pattern.to_lowercase() == text.to_lowercase(),
    }
}

/// True when the pattern has unescaped glob characters.
pub fn has_glob_chars(pattern: &str) -> bool {
    // Every glob needs `*`, `?` or `[`, or `(` for the extended forms; most words have none,
    // and the full check runs a parser.
    pattern.contains(['*', '?', '[', '('])
        && brush_parser::pattern::pattern_has_glob_metacharacters(pattern, false)
}

/// Escapes every pattern metacharacter so `text` matches only itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '?' | '[' | ']' | '\\' | '(' | ')' | '|' | '!' | '+' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn boundaries(s: &str) -> Vec<usize> {
    let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    v.push(s.len());
    v
}

/// `${x#p}` (shortest) / `${x##p}` (longest).
pub fn remove_prefix(value: &str, pattern: &str, longest: bool) -> String {
    let Some(re) = compile(pattern) else {
        return value.to_string();
    };
    let b = boundaries(value);
    let order: Vec<usize> = if longest {
        b.into_iter().rev().collect()
    } else {
        b
    };
    for i in order {
        if re.is_match(&value[..i]) {
            return value[i..].to_string();
        }
    }
    value.to_string()
}

/// `${x%p}` (shortest) / `${x%%p}` (longest).
pub fn remove_suffix(value: &str, pattern: &str, longest: bool) -> String {
    let Some(re) = compile(pattern) else {
        return value.to_string();
    };
    let b = boundaries(value);
    let order: Vec<usize> = if longest {
        b
    } else {
        b.into_iter().rev().collect()
    };
    for i in order {
        if re.is_match(&value[i..]) {
            return value[..i].to_string();
        }
    }
    value.to_string()
}

/// `${x/p/r}`, `${x//p/r}`, `${x/#p/r}`, `${x/%p/r}`: longest match at each position.
pub fn replace(
    value: &str,
    pattern: &str,
    replacement: &str,
    all: bool,
    anchor_start: bool,
    anchor_end: bool,
) -> String {
    let Some(re) = compile(pattern) else {
        return value.to_string();
    };
    let b = boundaries(value);
    if anchor_start {
        for &j in b.iter().rev() {
            if re.is_match(&value[..j]) {
                return format!("{replacement}{}", &value[j..]);
            }
        }
        return value.to_string();
    }
    if anchor_end {
        for &i in &b {
            if re.is_match(&value[i..]) {
                return format!("{}{replacement}", &value[..i]);
            }
        }
        return value.to_string();
    }
    let mut out = String::new();
    let mut idx = 0; // index into b
    let mut replaced = false;
    while idx < b.len() {
        let start = b[idx];
        if replaced && !all {
            out.push_str(&value[start..]);
            return out;
        }
        let found = b[idx..]
            .iter()
            .rev()
            .find(|&&end| end > start && re.is_match(&value[start..end]));
        match found {
            Some(&end) => {
                out.push_str(replacement);
                replaced = true;
                idx = b.iter().position(|&x| x == end).unwrap_or(b.len());
            }
            None => {
                if idx + 1 < b.len() {
                    out.push_str(&value[start..b[idx + 1]]);
                }
                idx += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_suffix_and_replace() {
        assert_eq!(remove_prefix("a/b/c", "*/", false), "b/c");
        assert_eq!(remove_prefix("a/b/c", "*/", true), "c");
        assert_eq!(remove_suffix("f.tar.gz", ".*", false), "f.tar");
        assert_eq!(remove_suffix("f.tar.gz", ".*", true), "f");
        assert_eq!(replace("hello", "l", "L", false, false, false), "heLlo");
        assert_eq!(replace("hello", "l", "L", true, false, false), "heLLo");
        assert!(matches("*.txt", "a.txt"));
        assert!(!matches("*.txt", "a.txtx"));
    }
}
