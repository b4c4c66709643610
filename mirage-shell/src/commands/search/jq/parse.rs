//! A JSON text reader that behaves like jq 1.6's parser: the same accepted input (leading
//! zeros, `NaN`, `Infinity`, raw UTF-8 replaced when invalid), the same error texts with the
//! same line and column, and values handed out one at a time as soon as they are complete.
//!
//! jq's parser is a character state machine: structural characters act at once, anything else
//! accumulates into a literal token that is checked when the next non-literal character (or the
//! end of input) arrives. Errors in strings are found when the closing quote arrives.

use jaq_json::{Map, Num, Rc, Val};

/// jq's limit on nesting while parsing.
const MAX_DEPTH: usize = 256;

/// One partly built container on the parser's stack.
enum Frame {
    Arr(Vec<Val>),
    Obj(Map),
    /// A key waiting for its value (above its object).
    Key(Val),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    Str,
    StrEscape,
}

/// Where a value ended: the byte offset just after the character that completed it.
pub type End = usize;

/// Parses a sequence of JSON texts from a byte buffer.
pub struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    line: u64,
    column: u64,
    state: State,
    token: Vec<u8>,
    stack: Vec<Frame>,
    next: Option<Val>,
    done: bool,
}

impl<'a> Parser<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let pos = if data.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Parser {
            data,
            pos,
            line: 1,
            column: 0,
            state: State::Normal,
            token: Vec::new(),
            stack: Vec::new(),
            next: None,
            done: false,
        }
    }

    /// The next value and where it ended, `None` at the end, or jq's error message (without
    /// the `parse error: ` prefix). After an error the parser is finished.
    pub fn next_value(&mut self) -> Option<Result<(Val, End), String>> {
        if self.done {
            return None;
        }
        while self.pos < self.data.len() {
            let ch = self.data[self.pos];
            self.pos += 1;
            match self.scan(ch) {
                Ok(Some(v)) => return Some(Ok((v, self.pos))),
                Ok(None) => {}
                Err(msg) => {
                    self.done = true;
                    return Some(Err(format!(
                        "{msg} at line {}, column {}",
                        self.line, self.column
                    )));
                }
            }
        }
        self.done = true;
        self.finish()
    }

    /// End of input: a pending literal or an unfinished value.
    fn finish(&mut self) -> Option<Result<(Val, End), String>> {
        let at_eof = |p: &Self, msg: &str| {
            Some(Err(format!(
                "{msg} at EOF at line {}, column {}",
                p.line, p.column
            )))
        };
        if self.state != State::Normal {
            return at_eof(self, "Unfinished string");
        }
        if let Err(msg) = self.check_literal() {
            return at_eof(self, msg);
        }
        if !self.stack.is_empty() {
            return at_eof(self, "Unfinished JSON term");
        }
        self.next.take().map(|v| Ok((v, self.pos)))
    }

    fn scan(&mut self, ch: u8) -> Result<Option<Val>, &'static str> {
        self.column += 1;
        if ch == b'\n' {
            self.line += 1;
            self.column = 0;
        }
        match self.state {
            State::Normal => {
                let literal = !matches!(
                    ch,
                    b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'[' | b',' | b']' | b'{' | b':' | b'}'
                );
                if literal {
                    self.token.push(ch);
                    return Ok(None);
                }
                self.check_literal()?;
                match ch {
                    b'"' => self.state = State::Str,
                    b' ' | b'\t' | b'\r' | b'\n' => {}
                    _ => self.structure(ch)?,
                }
                Ok(self.check_done())
            }
            State::Str if ch == b'"' => {
                let s = self.found_string()?;
                self.state = State::Normal;
                self.value(s)?;
                Ok(self.check_done())
            }
            State::Str | State::StrEscape => {
                self.token.push(ch);
                self.state = if ch == b'\\' && self.state == State::Str {
                    State::StrEscape
                } else {
                    State::Str
                };
                Ok(None)
            }
        }
    }

    fn check_done(&mut self) -> Option<Val> {
        if self.stack.is_empty() {
            self.next.take()
        } else {
            None
        }
    }

    fn value(&mut self, v: Val) -> Result<(), &'static str> {
        if self.next.is_some() {
            return Err("Expected separator between values");
        }
        self.next = Some(v);
        Ok(())
    }

    /// Ends a literal token (`true`, `false`, `null` or a number).
    fn check_literal(&mut self) -> Result<(), &'static str> {
        if self.token.is_empty() {
            return Ok(());
        }
        let token = std::mem::take(&mut self.token);
        let pattern: Option<(&[u8], Val)> = match token[0] {
            b't' => Some((b"true", Val::Bool(true))),
            b'f' => Some((b"false", Val::Bool(false))),
            b'n' => Some((b"null", Val::Null)),
            _ => None,
        };
        let v = match pattern {
            Some((p, v)) if token == p => v,
            Some(_) => return Err("Invalid literal"),
            None => {
                let text = std::str::from_utf8(&token).map_err(|_| "Invalid numeric literal")?;
                let d: f64 = text.parse().map_err(|_| "Invalid numeric literal")?;
                number(d)
            }
        };
        self.value(v)
    }

    fn structure(&mut self, ch: u8) -> Result<(), &'static str> {
        match ch {
            b'[' | b'{' => {
                if self.next.is_some() {
                    return Err("Expected separator between values");
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err("Exceeds depth limit for parsing");
                }
                self.stack.push(if ch == b'[' {
                    Frame::Arr(Vec::new())
                } else {
                    Frame::Obj(Map::default())
                });
            }
            b':' => {
                if !matches!(self.stack.last(), Some(Frame::Obj(_))) {
                    return Err("Expected string key before ':'");
                }
                let key = self.next.take().ok_or("Expected string key before ':'")?;
                if !matches!(key, Val::TStr(_)) {
                    return Err("Object keys must be strings");
                }
                self.stack.push(Frame::Key(key));
            }
            b',' => {
                let v = self.next.take().ok_or("Expected value before ','")?;
                match self.stack.last_mut() {
                    None => return Err("',' not as part of an object or array"),
                    Some(Frame::Arr(a)) => a.push(v),
                    Some(Frame::Key(_)) => self.set_pair(v)?,
                    Some(Frame::Obj(_)) => return Err("Objects must consist of key:value pairs"),
                }
            }
            b']' => {
                let Some(Frame::Arr(a)) = self.stack.last_mut() else {
                    return Err("Unmatched ']'");
                };
                match self.next.take() {
                    Some(v) => a.push(v),
                    None if !a.is_empty() => return Err("Expected another array element"),
                    None => {}
                }
                if let Some(Frame::Arr(a)) = self.stack.pop() {
                    self.next = Some(Val::Arr(Rc::new(a)));
                }
            }
            _ => {
                // '}'
                if self.stack.is_empty() {
                    return Err("Unmatched '}'");
                }
                match self.next.take() {
                    Some(v) => {
                        if !matches!(self.stack.last(), Some(Frame::Key(_))) {
                            return Err("Objects must consist of key:value pairs");
                        }
                        self.set_pair(v)?;
                    }
                    None => match self.stack.last() {
                        Some(Frame::Obj(m)) if !m.is_empty() => {
                            return Err("Expected another key-value pair");
                        }
                        Some(Frame::Obj(_)) => {}
                        _ => return Err("Unmatched '}'"),
                    },
                }
                if let Some(Frame::Obj(m)) = self.stack.pop() {
                    self.next = Some(Val::obj(m));
                }
            }
        }
        Ok(())
    }

    /// Pops a key and stores `v` under it in the object below.
    fn set_pair(&mut self, v: Val) -> Result<(), &'static str> {
        let Some(Frame::Key(k)) = self.stack.pop() else {
            return Err("Objects must consist of key:value pairs");
        };
        match self.stack.last_mut() {
            Some(Frame::Obj(m)) => {
                m.insert(k, v);
                Ok(())
            }
            _ => Err("Objects must consist of key:value pairs"),
        }
    }

    /// Decodes the string token (escapes, surrogates, invalid UTF-8).
    fn found_string(&mut self) -> Result<Val, &'static str> {
        let token = std::mem::take(&mut self.token);
        let mut out: Vec<u8> = Vec::with_capacity(token.len());
        let mut i = 0;
        while i < token.len() {
            let c = token[i];
            i += 1;
            if c < 0x20 {
                return Err(
                    "Invalid string: control characters from U+0000 through U+001F must be escaped",
                );
            }
            if c != b'\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = token.get(i) else {
                return Err("Expected escape character at end of string");
            };
            i += 1;
            let simple = match e {
                b'\\' | b'"' | b'/' => Some(e),
                b'b' => Some(8),
                b'f' => Some(12),
                b't' => Some(b'\t'),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b'u' => None,
                _ => return Err("Invalid escape"),
            };
            if let Some(b) = simple {
                out.push(b);
                continue;
            }
            let hi = hex4(&token, i)?;
            i += 4;
            let code = if (0xD800..0xDC00).contains(&hi) {
                if token.get(i) != Some(&b'\\') || token.get(i + 1) != Some(&b'u') {
                    return Err("Invalid \\uXXXX\\uXXXX surrogate pair escape");
                }
                let lo = hex4(&token, i + 2)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return Err("Invalid \\uXXXX\\uXXXX surrogate pair escape");
                }
                i += 6;
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            } else if (0xDC00..0xE000).contains(&hi) {
                0xFFFD
            } else {
                hi
            };
            let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
        Ok(string_val(&out))
    }
}

fn hex4(token: &[u8], at: usize) -> Result<u32, &'static str> {
    let digits = token.get(at..at + 4).ok_or("Invalid \\uXXXX escape")?;
    let mut v = 0u32;
    for d in digits {
        let x = (*d as char)
            .to_digit(16)
            .ok_or("Invalid characters in \\uXXXX escape")?;
        v = v * 16 + x;
    }
    Ok(v)
}

/// A string value from raw bytes; invalid UTF-8 becomes U+FFFD as in jq.
pub fn string_val(bytes: &[u8]) -> Val {
    match std::str::from_utf8(bytes) {
        Ok(_) => Val::utf8_str(bytes.to_vec()),
        Err(_) => Val::utf8_str(String::from_utf8_lossy(bytes).into_owned().into_bytes()),
    }
}

/// jq numbers are doubles; integral ones become jaq integers so that jaq's integer paths
/// (indexing, `range`, string interpolation) behave like jq.
pub fn number(d: f64) -> Val {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if d.fract() == 0.0 && d.abs() <= EXACT && !(d == 0.0 && d.is_sign_negative()) {
        Val::Num(Num::Int(d as isize))
    } else {
        Val::Num(Num::Float(d))
    }
}

/// Parses exactly one JSON text (for `--argjson`, `fromjson`): None when invalid or not one.
pub fn parse_one(data: &[u8]) -> Result<Val, String> {
    let mut p = Parser::new(data);
    let first = match p.next_value() {
        Some(Ok((v, _))) => v,
        Some(Err(e)) => return Err(e),
        None => return Err("Expected JSON value".to_string()),
    };
    match p.next_value() {
        None => Ok(first),
        Some(Err(e)) => Err(e),
        Some(Ok(_)) => Err("Unexpected extra JSON values".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &str) -> Vec<Result<String, String>> {
        let mut p = Parser::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(r) = p.next_value() {
            out.push(r.map(|(v, _)| v.to_string()));
        }
        out
    }

    #[test]
    fn values_and_errors_like_jq() {
        assert_eq!(
            all("1 [2,{\"a\":null}] true"),
            vec![
                Ok("1".into()),
                Ok("[2,{\"a\":null}]".into()),
                Ok("true".into())
            ]
        );
        assert_eq!(
            all("{\"a\":1,}"),
            vec![Err(
                "Expected another key-value pair at line 1, column 8".into()
            )]
        );
        assert_eq!(
            all("[1,2"),
            vec![Err("Unfinished JSON term at EOF at line 1, column 4".into())]
        );
        assert_eq!(
            all("1 x"),
            vec![
                Ok("1".into()),
                Err("Invalid numeric literal at EOF at line 1, column 3".into())
            ]
        );
        assert_eq!(
            all("{1:2}"),
            vec![Err("Object keys must be strings at line 1, column 3".into())]
        );
        assert_eq!(
            all("\"\\u12zz\""),
            vec![Err(
                "Invalid characters in \\uXXXX escape at line 1, column 8".into()
            )]
        );
    }
}
