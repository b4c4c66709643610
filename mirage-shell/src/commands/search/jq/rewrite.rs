//! Small source rewrites that make jaq evaluate a jq program the way jq 1.6 does.
//!
//! jaq turns `"\(x)"` into text with its own number format (`2.0`, `1e100`) where jq 1.6 writes
//! `2` and `1e+100`; routing every interpolation in a plain string through `tostring` (which is
//! jq's here) fixes that. Strings with a format (`@json "\(x)"`) are left alone, since the format
//! is applied to the value. `$__loc__`, which jaq lacks, becomes its literal object; a number
//! written `.5` becomes `0.5`, and a `\uD83D\uDE00` surrogate pair its character.

#[derive(Debug)]
enum Frame {
    /// Program text; `parens` counts open parentheses, `close` is what ends an interpolation.
    Code {
        parens: usize,
        close: Option<&'static str>,
    },
    /// Inside a string literal; `format` when it follows `@name`.
    Str { format: bool },
}

/// Rewrites `code` (see the module documentation).
pub fn rewrite(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 16);
    let mut stack = vec![Frame::Code {
        parens: 0,
        close: None,
    }];
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        let Some(top) = stack.last_mut() else { break };
        match top {
            Frame::Code { parens, close } => match c {
                '#' => {
                    while i < chars.len() && chars[i] != '\n' {
                        out.push(chars[i]);
                        i += 1;
                    }
                    continue;
                }
                '"' => {
                    let format = follows_format(&out);
                    stack.push(Frame::Str { format });
                    out.push(c);
                }
                '(' => {
                    *parens += 1;
                    out.push(c);
                }
                ')' if *parens == 0 && close.is_some() => {
                    out.push_str(close.unwrap_or(")"));
                    stack.pop();
                }
                ')' => {
                    *parens = parens.saturating_sub(1);
                    out.push(c);
                }
                // jq reads `.5` as a number; jaq wants `0.5`.
                '.' if chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && !i
                        .checked_sub(1)
                        .and_then(|p| chars.get(p))
                        .is_some_and(|p| {
                            p.is_alphanumeric()
                                || matches!(p, '_' | '.' | '$' | ']' | ')' | '}' | '"')
                        }) =>
                {
                    out.push_str("0.");
                }
                '$' if is_loc(&chars, i) => {
                    out.push_str(&format!("{{\"file\":\"<top-level>\",\"line\":{line}}}"));
                    i += "$__loc__".len();
                    continue;
                }
                _ => out.push(c),
            },
            Frame::Str { format } => match c {
                '\\' if chars.get(i + 1) == Some(&'(') => {
                    let format = *format;
                    out.push_str(if format { "\\(" } else { "\\((" });
                    stack.push(Frame::Code {
                        parens: 0,
                        close: Some(if format { ")" } else { ") | tostring)" }),
                    });
                    i += 2;
                    continue;
                }
                '\\' if chars.get(i + 1) == Some(&'u') => {
                    // jaq's lexer takes no surrogate escapes: a pair becomes its character.
                    match surrogate_pair(&chars, i) {
                        Some(ch) => {
                            out.push(ch);
                            i += 12;
                        }
                        None => {
                            out.push_str("\\u");
                            i += 2;
                        }
                    }
                    continue;
                }
                '\\' => {
                    out.push(c);
                    if let Some(n) = chars.get(i + 1) {
                        out.push(*n);
                    }
                    i += 2;
                    continue;
                }
                '"' => {
                    stack.pop();
                    out.push(c);
                }
                _ => out.push(c),
            },
        }
        i += 1;
    }
    out
}

/// The character written as `\uD8xx\uDCxx` at `i`, if a surrogate pair is there.
fn surrogate_pair(chars: &[char], i: usize) -> Option<char> {
    let hex = |at: usize| -> Option<u32> {
        if chars.get(at) != Some(&'\\') || chars.get(at + 1) != Some(&'u') {
            return None;
        }
        let digits: String = chars.get(at + 2..at + 6)?.iter().collect();
        u32::from_str_radix(&digits, 16).ok()
    };
    let hi = hex(i)?;
    let lo = hex(i + 6)?;
    if !(0xD800..0xDC00).contains(&hi) || !(0xDC00..0xE000).contains(&lo) {
        return None;
    }
    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
}

/// True when the text before a string literal ends with a format name such as `@json`.
fn follows_format(out: &str) -> bool {
    let t = out.trim_end();
    let ident = t.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    ident.len() < t.len() && ident.ends_with('@')
}

fn is_loc(chars: &[char], i: usize) -> bool {
    let word: Vec<char> = "$__loc__".chars().collect();
    chars.get(i..i + word.len()) == Some(&word[..])
        && !chars
            .get(i + word.len())
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn interpolations_go_through_tostring() {
        assert_eq!(rewrite(r#""a\(.x)b""#), r#""a\((.x) | tostring)b""#);
        assert_eq!(rewrite(r#"@json "a\(.x)""#), r#"@json "a\(.x)""#);
        assert_eq!(
            rewrite(r#""\("\(1)")""#),
            r#""\(("\((1) | tostring)") | tostring)""#
        );
        assert_eq!(rewrite("# \"\\(x)\"\n.a"), "# \"\\(x)\"\n.a");
        assert_eq!(rewrite("$__loc__"), "{\"file\":\"<top-level>\",\"line\":1}");
    }
}
