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

/// `--stream`: what the streaming parser saw last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seen {
    Nothing,
    OpenArray,
    OpenObject,
    Colon,
    Comma,
    Value,
}

/// `--stream` state: jq's streaming parser keeps the path to the current position (an index
/// in arrays; in objects the key, `null` before the first key and `true` after a comma) and
/// hands out `[path, leaf]` and `[path]` events as they complete.
struct Streaming {
    path: Vec<Val>,
    seen: Seen,
    events: std::collections::VecDeque<Val>,
}

fn array(items: Vec<Val>) -> Val {
    Val::Arr(Rc::new(items))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    Str,
    StrEscape,
}

/// Where a value ended: the byte offset just after the character that completed it.
pub type End = usize;

/// Parses a sequence of JSON texts from a byte buffer held whole.
pub struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    inner: Incremental,
}

impl<'a> Parser<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let pos = if data.starts_with(BOM) { 3 } else { 0 };
        Parser {
            data,
            pos,
            inner: Incremental::default(),
        }
    }

    /// The next value and where it ended, `None` at the end, or jq's error message (without
    /// the `parse error: ` prefix). After an error the parser is finished.
    pub fn next_value(&mut self) -> Option<Result<(Val, End), String>> {
        let (used, r) = self.inner.scan_piece(&self.data[self.pos..]);
        self.pos += used;
        let r = match r {
            Some(r) => r,
            None => self.inner.finish()?,
        };
        Some(r.map(|v| (v, self.pos)))
    }
}

/// The byte order mark jq skips at the start of its input.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// jq's parser state, fed with input a piece at a time (`scan_piece`), so values can be handed
/// out while the rest of the input is still unread.
pub struct Incremental {
    line: u64,
    column: u64,
    state: State,
    token: Vec<u8>,
    stack: Vec<Frame>,
    next: Option<Val>,
    done: bool,
    stream: Option<Streaming>,
}

impl Default for Incremental {
    fn default() -> Self {
        Incremental {
            line: 1,
            column: 0,
            state: State::Normal,
            token: Vec::new(),
            stack: Vec::new(),
            next: None,
            done: false,
            stream: None,
        }
    }
}

impl Incremental {
    /// A parser for `--stream`: it hands out jq's `[path, leaf]` and `[path]` events as the
    /// input arrives instead of whole values.
    pub fn streaming() -> Self {
        Incremental {
            stream: Some(Streaming {
                path: Vec::new(),
                seen: Seen::Nothing,
                events: Default::default(),
            }),
            ..Incremental::default()
        }
    }

    /// `--stream` events are waiting to be handed out.
    pub fn has_events(&self) -> bool {
        self.stream.as_ref().is_some_and(|st| !st.events.is_empty())
    }

    fn pop_event(&mut self) -> Option<Val> {
        self.stream.as_mut()?.events.pop_front()
    }

    /// How deep in containers the parser is.
    fn depth(&self) -> usize {
        match &self.stream {
            Some(st) => st.path.len(),
            None => self.stack.len(),
        }
    }

    /// Scans `data` until a value completes or the data runs out. Returns how many bytes were
    /// used and the value (or jq's error message without the `parse error: ` prefix) if one
    /// completed. After an error the parser is finished.
    pub fn scan_piece(&mut self, data: &[u8]) -> (usize, Option<Result<Val, String>>) {
        if let Some(ev) = self.pop_event() {
            return (0, Some(Ok(ev)));
        }
        if self.done {
            return (0, None);
        }
        let mut i = 0;
        while i < data.len() {
            let ch = data[i];
            i += 1;
            // Inside a string nothing but a quote or backslash matters: copy the run at once.
            if self.state == State::Str && ch != b'"' && ch != b'\\' {
                let rest = &data[i..];
                let run = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                let piece = &data[i - 1..i + run];
                self.count_columns(piece);
                self.token.extend_from_slice(piece);
                i += run;
                continue;
            }
            match self.scan(ch) {
                Ok(Some(v)) => return (i, Some(Ok(v))),
                Ok(None) => {
                    if let Some(ev) = self.pop_event() {
                        return (i, Some(Ok(ev)));
                    }
                }
                Err(msg) => {
                    self.done = true;
                    let text = format!("{msg} at line {}, column {}", self.line, self.column);
                    return (i, Some(Err(text)));
                }
            }
        }
        (i, None)
    }

    /// Line and column after a run of string bytes (what `scan` would count byte by byte).
    fn count_columns(&mut self, piece: &[u8]) {
        match memchr::memrchr(b'\n', piece) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', piece).count() as u64;
                self.column = (piece.len() - last - 1) as u64;
            }
            None => self.column += piece.len() as u64,
        }
    }

    /// End of input: a pending literal or an unfinished value.
    pub fn finish(&mut self) -> Option<Result<Val, String>> {
        if self.done {
            return None;
        }
        self.done = true;
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
        if self.depth() != 0 {
            return at_eof(self, "Unfinished JSON term");
        }
        self.check_done().or_else(|| self.pop_event()).map(Ok)
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
                // A literal ending at the top level is complete before this character acts.
                self.check_literal()?;
                let done = self.check_done();
                match ch {
                    b'"' => self.state = State::Str,
                    b' ' | b'\t' | b'\r' | b'\n' => {}
                    _ if self.stream.is_some() => self.stream_token(ch)?,
                    _ => self.structure(ch)?,
                }
                Ok(done.or_else(|| self.check_done()))
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
        if self.depth() != 0 {
            return None;
        }
        let v = self.next.take()?;
        match &mut self.stream {
            None => Some(v),
            Some(st) => {
                st.events.push_back(array(vec![array(Vec::new()), v]));
                None
            }
        }
    }

    fn value(&mut self, v: Val) -> Result<(), &'static str> {
        if let Some(st) = &mut self.stream {
            if self.next.is_some() || st.seen == Seen::Value {
                return Err("Expected separator between values");
            }
            st.seen = if st.path.is_empty() {
                Seen::Nothing
            } else {
                Seen::Value
            };
        } else if self.next.is_some() {
            return Err("Expected separator between values");
        }
        self.next = Some(v);
        Ok(())
    }

    /// A structural character in `--stream` mode, as jq 1.6's streaming parser takes it (its
    /// checks and messages differ a little from the other parser's).
    fn stream_token(&mut self, ch: u8) -> Result<(), &'static str> {
        let Some(st) = &mut self.stream else {
            return Ok(());
        };
        let path = |st: &Streaming| array(st.path.clone());
        match ch {
            b'[' => {
                if self.next.is_some() {
                    return Err("Expected a separator between values");
                }
                st.path.push(Val::from(0isize));
                st.seen = Seen::OpenArray;
            }
            b'{' => {
                if st.seen == Seen::Value {
                    return Err("Expected a separator between values");
                }
                st.path.push(Val::Null);
                st.seen = Seen::OpenObject;
            }
            b':' => {
                if matches!(st.path.last(), None | Some(Val::Num(_))) {
                    return Err("':' not as part of an object");
                }
                if self.next.is_none() || st.seen == Seen::Nothing {
                    return Err("Expected string key before ':'");
                }
                if !matches!(self.next, Some(Val::TStr(_))) {
                    return Err("Object keys must be strings");
                }
                if st.seen != Seen::Value {
                    return Err("':' should follow a key");
                }
                st.seen = Seen::Colon;
                if let (Some(top), Some(key)) = (st.path.last_mut(), self.next.take()) {
                    *top = key;
                }
            }
            b',' => {
                if st.seen != Seen::Value {
                    return Err("Expected value before ','");
                }
                let next_key = match st.path.last() {
                    None => return Err("',' not as part of an object or array"),
                    Some(Val::Num(n)) => Val::from(n.as_isize().unwrap_or(0) + 1),
                    Some(Val::TStr(_)) => Val::Bool(true),
                    Some(_) => return Err("Objects must consist of key:value pairs"),
                };
                if let Some(v) = self.next.take() {
                    let ev = array(vec![path(st), v]);
                    st.events.push_back(ev);
                }
                if let Some(top) = st.path.last_mut() {
                    *top = next_key;
                }
                st.seen = Seen::Comma;
            }
            b']' => {
                if st.path.is_empty() {
                    return Err("Unmatched ']' at the top-level");
                }
                if st.seen == Seen::Comma {
                    return Err("Expected another array element");
                }
                if !matches!(st.path.last(), Some(Val::Num(_))) {
                    return Err("Unmatched ']' in the middle of an object");
                }
                self.stream_close(Seen::OpenArray, array(Vec::new()));
            }
            _ => {
                // '}'
                if st.path.is_empty() {
                    return Err("Unmatched '}' at the top-level");
                }
                if st.seen == Seen::Comma {
                    return Err("Expected another key:value pair");
                }
                if matches!(st.path.last(), Some(Val::Num(_))) {
                    return Err("Unmatched '}' in the middle of an array");
                }
                if self.next.is_some() {
                    if !matches!(st.path.last(), Some(Val::TStr(_))) {
                        return Err("Objects must consist of key:value pairs");
                    }
                } else {
                    match st.seen {
                        Seen::Colon => return Err("Missing value in key:value pair"),
                        Seen::Value | Seen::OpenObject => {}
                        _ => return Err("Unmatched '}'"),
                    }
                }
                self.stream_close(Seen::OpenObject, Val::obj(Map::default()));
            }
        }
        Ok(())
    }

    /// Ends the container on top of the path: its last leaf and its closing event, or for an
    /// empty one (`opened`) the empty container as a leaf at the path of the container.
    fn stream_close(&mut self, opened: Seen, empty: Val) {
        let next = self.next.take();
        let Some(st) = &mut self.stream else {
            return;
        };
        let here = array(st.path.clone());
        if let Some(v) = next {
            st.events.push_back(array(vec![here.clone(), v]));
            st.events.push_back(array(vec![here]));
        } else if st.seen != opened {
            st.events.push_back(array(vec![here]));
        }
        st.path.pop();
        if st.seen == opened {
            st.events
                .push_back(array(vec![array(st.path.clone()), empty]));
        }
        st.seen = if st.path.is_empty() {
            Seen::Nothing
        } else {
            Seen::Value
        };
    }

    /// Ends a literal token (`true`, `false`, `null` or a number).
    fn check_literal(&mut self) -> Result<(), &'static str> {
        if self.token.is_empty() {
            return Ok(());
        }
        let v = literal(&self.token);
        self.token.clear();
        self.value(v?)
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
        let mut token = std::mem::take(&mut self.token);
        let v = decode_string(&token);
        token.clear();
        self.token = token;
        v
    }
}

/// The value of a literal token.
fn literal(token: &[u8]) -> Result<Val, &'static str> {
    let pattern: Option<(&[u8], Val)> = match token[0] {
        b't' => Some((b"true", Val::Bool(true))),
        b'f' => Some((b"false", Val::Bool(false))),
        b'n' => Some((b"null", Val::Null)),
        _ => None,
    };
    if let Some((p, v)) = pattern {
        return if token == p {
            Ok(v)
        } else {
            Err("Invalid literal")
        };
    }
    // Plain digits are exact integers (no sign, so no `-0`).
    if token.len() <= 15 && token.iter().all(u8::is_ascii_digit) {
        let n = token
            .iter()
            .fold(0isize, |n, d| n * 10 + isize::from(d - b'0'));
        return Ok(Val::Num(Num::Int(n)));
    }
    // jq reads the token as a C string: a NUL ends it, and nothing is zero.
    let digits = memchr::memchr(0, token).map_or(token, |i| &token[..i]);
    let text = std::str::from_utf8(digits).map_err(|_| "Invalid numeric literal")?;
    let d: f64 = if text.is_empty() {
        0.0
    } else {
        text.parse().map_err(|_| "Invalid numeric literal")?
    };
    Ok(number(d))
}

/// Decodes the text between a string's quotes (escapes, surrogates, invalid UTF-8).
fn decode_string(token: &[u8]) -> Result<Val, &'static str> {
    if !token.iter().any(|&c| c < 0x1f || c == b'\\') {
        return Ok(string_val(token));
    }
    let mut out: Vec<u8> = Vec::with_capacity(token.len());
    let mut i = 0;
    while i < token.len() {
        let c = token[i];
        i += 1;
        // jq 1.6 lets NUL and U+001F through.
        if c > 0 && c < 0x1f {
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
        let hi = hex4(token, i)?;
        i += 4;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if token.get(i) != Some(&b'\\') || token.get(i + 1) != Some(&b'u') {
                return Err("Invalid \\uXXXX\\uXXXX surrogate pair escape");
            }
            let lo = hex4(token, i + 2)?;
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
