//! Tokenizer for awk programs. Whether `/` starts a regex or divides depends on the previous
//! token (an operand before it means division), which is how awk grammars resolve it.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    /// A name immediately followed by `(` (a user function call).
    FuncName(String),
    Name(String),
    Builtin(String),
    Kw(&'static str),
    /// Punctuation and operators.
    P(&'static str),
    Newline,
    Eof,
}

/// A token with the line it starts on (for error messages).
#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    /// Column just past the token (gawk puts its error caret there).
    pub end_col: usize,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];

const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2",
    "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close",
    "fflush", "gensub", "strftime", "systime", "asort", "asorti",
];

/// Operators, longest first so that greedy matching works.
const PUNCT: &[&str] = &[
    "**=", "&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=",
    "**", ">>", "!~", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!",
    ">", "<", "|", "?", ":", "~", "$", "=",
];

/// Tokenizes `src`; errors carry the line number.
pub fn tokenize(src: &str) -> Result<Vec<Token>, (usize, usize, String)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            line += 1;
            line_start = i;
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'\r') && chars.get(i + 2) == Some(&'\n') {
            i += 3;
            line += 1;
            line_start = i;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let start_line = line;
        let tok = if c == '\n' {
            line += 1;
            i += 1;
            line_start = i;
            Tok::Newline
        } else if c == '"' {
            let (s, ni) = lex_string(&chars, i + 1).ok_or((
                line,
                i - line_start,
                "unterminated string".into(),
            ))?;
            i = ni;
            Tok::Str(s)
        } else if c == '/' && regex_allowed(out.last().map(|t| &t.tok)) {
            let (s, ni) = lex_regex(&chars, i + 1).ok_or((
                line,
                i - line_start,
                "unterminated regexp".into(),
            ))?;
            i = ni;
            Tok::Regex(s)
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let (n, ni) = lex_number(&chars, i);
            i = ni;
            Tok::Num(n)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let s = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[s..i].iter().collect();
            if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                Tok::Kw(if *k == "func" { "function" } else { k })
            } else if BUILTINS.contains(&word.as_str()) {
                Tok::Builtin(word)
            } else if chars.get(i) == Some(&'(') {
                Tok::FuncName(word)
            } else {
                Tok::Name(word)
            }
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) else {
                return Err((
                    line,
                    i - line_start + 1,
                    format!("invalid char '{c}' in expression"),
                ));
            };
            i += p.chars().count();
            Tok::P(p)
        };
        let end_col = if start_line == line {
            i - line_start
        } else {
            0
        };
        out.push(Token {
            tok,
            line: start_line,
            end_col,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        line,
        end_col: i - line_start,
    });
    Ok(out)
}

/// A `/` is a regex opener unless the previous token ends an operand.
fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_)) => false,
        Some(Tok::Builtin(_)) => false,
        Some(Tok::P(p)) => !matches!(*p, ")" | "]" | "$" | "++" | "--"),
        _ => true,
    }
}

fn lex_number(chars: &[char], mut i: usize) -> (f64, usize) {
    let s = i;
    if chars[i] == '0' && matches!(chars.get(i + 1), Some('x' | 'X')) {
        // gawk (non-POSIX mode) accepts hex constants in program text.
        let mut j = i + 2;
        while j < chars.len() && chars[j].is_ascii_hexdigit() {
            j += 1;
        }
        if j > i + 2 {
            let t: String = chars[i + 2..j].iter().collect();
            return (
                u64::from_str_radix(&t, 16).map(|v| v as f64).unwrap_or(0.0),
                j,
            );
        }
    }
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
        let mut j = i + 1;
        if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
            j += 1;
        }
        if j < chars.len() && chars[j].is_ascii_digit() {
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let t: String = chars[s..i].iter().collect();
    (t.parse().unwrap_or(0.0), i)
}

/// Reads a string literal body after the opening quote, decoding escapes.
fn lex_string(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    let mut s = String::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => return Some((s, i + 1)),
            '\n' => return None,
            '\\' => {
                i += 1;
                let e = *chars.get(i)?;
                match e {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    'a' => s.push('\x07'),
                    'b' => s.push('\x08'),
                    'f' => s.push('\x0c'),
                    'v' => s.push('\x0b'),
                    '\\' => s.push('\\'),
                    '"' => s.push('"'),
                    '/' => s.push('/'),
                    '\n' => {}
                    '0'..='7' => {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3 && i < chars.len() && ('0'..='7').contains(&chars[i]) {
                            v = v * 8 + chars[i].to_digit(8).unwrap_or(0);
                            i += 1;
                            n += 1;
                        }
                        s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                        continue;
                    }
                    other => {
                        s.push('\\');
                        s.push(other);
                    }
                }
                i += 1;
            }
            _ => {
                s.push(c);
                i += 1;
            }
        }
    }
    None
}

/// Reads a regex literal body after the opening slash; `\/` becomes `/`, a `/` inside a
/// bracket expression does not end the regex.
fn lex_regex(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut in_bracket = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => return None,
            '\\' if chars.get(i + 1) == Some(&'/') => {
                s.push('/');
                i += 2;
                continue;
            }
            '\\' => {
                s.push('\\');
                if let Some(n) = chars.get(i + 1) {
                    s.push(*n);
                }
                i += 2;
                continue;
            }
            '[' if !in_bracket => {
                in_bracket = true;
                s.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    s.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    s.push(']');
                    i += 1;
                }
                continue;
            }
            '[' if in_bracket && chars.get(i + 1) == Some(&':') => {
                // A character class such as [:alpha:] inside a bracket expression.
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == ':' && chars[j + 1] == ']')?;
                s.extend(&chars[i..end + 2]);
                i = end + 2;
                continue;
            }
            ']' if in_bracket => in_bracket = false,
            '/' if !in_bracket => return Some((s, i + 1)),
            _ => {}
        }
        s.push(c);
        i += 1;
    }
    None
}
