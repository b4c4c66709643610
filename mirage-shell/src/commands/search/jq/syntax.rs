//! jq 1.6's wording for syntax errors.
//!
//! jaq decides whether a program parses; when it does not, this module finds the token where
//! jq 1.6's bison parser stops and words the error as jq does: the token's grammar name
//! (`INVALID_CHARACTER`, `IDENT`, `LITERAL`, `'$'`, `$end`, ...), the `expecting ...` list bison
//! adds when few tokens would do, and the second error jq reports for an `if` left open.
//! It follows jq's lexer exactly and its grammar roughly: after a complete term only an
//! operator, a suffix or a closing token may come, and elsewhere only the start of a term.

/// One token of jq's lexer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Invalid,
    Literal,
    Field,
    Ident,
    /// `as`, `if`, `end`, ...: printed bare.
    Keyword,
    Format,
    /// `==`, `|=`, `..`, ...: printed bare.
    Op,
    /// A one-character token: printed quoted.
    Char(u8),
    Open(u8),
    Close(u8),
    QqStart,
    QqText,
    QqInterp,
    QqEnd,
    /// The end of the program inside a string.
    EofInString,
    /// Blanks or a comment: no token for the grammar, but jq's place for the end.
    Space,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    start: usize,
    text: &'a str,
}

const KEYWORDS: &[&str] = &[
    "as", "import", "include", "module", "def", "if", "then", "elif", "else", "end", "and", "or",
    "reduce", "foreach", "try", "catch", "label", "__loc__",
];

/// Longest first, as flex matches.
const OPS: &[&str] = &[
    "?//", "//=", "!=", "==", "|=", "+=", "-=", "*=", "/=", "%=", "<=", ">=", "..", "//",
];

/// Splits a program into jq 1.6's tokens (stopping after an unfinished string).
fn lex(code: &str) -> Vec<Token<'_>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    // Open brackets; `Q` marks an interpolation inside a string, `S` the string itself.
    let mut nest: Vec<u8> = Vec::new();
    let mut i = 0;
    let ident_start = |c: u8| c.is_ascii_alphabetic() || c == b'_';
    let ident_char = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let tok = |kind, start: usize, end: usize| Token {
        kind,
        start,
        text: code.get(start..end).unwrap_or(""),
    };
    while i < b.len() {
        let start = i;
        if nest.last() == Some(&b'S') {
            // Inside a string.
            if b[i] == b'"' {
                nest.pop();
                out.push(tok(Kind::QqEnd, i, i + 1));
                i += 1;
            } else if b[i..].starts_with(b"\\(") {
                nest.push(b'Q');
                out.push(tok(Kind::QqInterp, i, i + 2));
                i += 2;
            } else {
                while i < b.len() && b[i] != b'"' && !b[i..].starts_with(b"\\(") {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = i.min(b.len());
                out.push(tok(Kind::QqText, start, i));
            }
            continue;
        }
        let c = b[i];
        match c {
            b' ' | b'\n' | b'\t' => {
                while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\t') {
                    i += 1;
                }
                out.push(tok(Kind::Space, start, i));
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                out.push(tok(Kind::Space, start, i));
                continue;
            }
            _ => {}
        }
        if let Some(op) = OPS.iter().find(|op| b[i..].starts_with(op.as_bytes())) {
            // `.5` is a number, not `.`; `..` wins over `.`.
            i += op.len();
            out.push(tok(Kind::Op, start, i));
            continue;
        }
        let number = |mut j: usize| {
            let digits = |j: &mut usize| {
                while *j < b.len() && b[*j].is_ascii_digit() {
                    *j += 1;
                }
            };
            if b[j] == b'.' {
                j += 1;
                digits(&mut j);
            } else {
                digits(&mut j);
                if j < b.len() && b[j] == b'.' {
                    j += 1;
                    digits(&mut j);
                }
            }
            if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
                let mut k = j + 1;
                if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
                    k += 1;
                }
                if k < b.len() && b[k].is_ascii_digit() {
                    j = k;
                    digits(&mut j);
                }
            }
            j
        };
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i = number(i);
            out.push(tok(Kind::Literal, start, i));
            continue;
        }
        if c == b'.' && b.get(i + 1).is_some_and(|&d| ident_start(d)) {
            i += 2;
            while i < b.len() && ident_char(b[i]) {
                i += 1;
            }
            out.push(tok(Kind::Field, start, i));
            continue;
        }
        if ident_start(c) {
            loop {
                while i < b.len() && ident_char(b[i]) {
                    i += 1;
                }
                if b[i..].starts_with(b"::") && b.get(i + 2).is_some_and(|&d| ident_start(d)) {
                    i += 2;
                    continue;
                }
                break;
            }
            let word = &code[start..i];
            let kind = if KEYWORDS.contains(&word) {
                Kind::Keyword
            } else {
                Kind::Ident
            };
            out.push(tok(kind, start, i));
            continue;
        }
        if c == b'@' && b.get(i + 1).is_some_and(|&d| ident_char(d)) {
            i += 1;
            while i < b.len() && ident_char(b[i]) {
                i += 1;
            }
            out.push(tok(Kind::Format, start, i));
            continue;
        }
        i += 1;
        let kind = match c {
            b'"' => {
                nest.push(b'S');
                Kind::QqStart
            }
            b'[' | b'{' | b'(' => {
                nest.push(c);
                Kind::Open(c)
            }
            b']' | b'}' | b')' => {
                let want = match c {
                    b']' => b'[',
                    b'}' => b'{',
                    _ => b'(',
                };
                match nest.last() {
                    Some(&o) if o == want => {
                        nest.pop();
                        Kind::Close(c)
                    }
                    Some(b'Q') if c == b')' => {
                        nest.pop();
                        Kind::Close(c)
                    }
                    _ => Kind::Invalid,
                }
            }
            b'.' | b'?' | b'=' | b';' | b',' | b':' | b'|' | b'+' | b'-' | b'*' | b'/' | b'%'
            | b'$' | b'<' | b'>' => Kind::Char(c),
            _ => {
                // One whole character, however many bytes.
                while i < b.len() && !code.is_char_boundary(i) {
                    i += 1;
                }
                Kind::Invalid
            }
        };
        out.push(tok(kind, start, i));
    }
    if nest.last() == Some(&b'S') {
        out.push(tok(Kind::EofInString, b.len(), b.len()));
    }
    out
}

/// The grammar name bison prints for a token.
fn name(t: Option<&Token>) -> String {
    let Some(t) = t else {
        return "$end".to_string();
    };
    match t.kind {
        Kind::Invalid => "INVALID_CHARACTER".to_string(),
        Kind::Literal => "LITERAL".to_string(),
        Kind::Field => "FIELD".to_string(),
        Kind::Ident => "IDENT".to_string(),
        Kind::Format => "FORMAT".to_string(),
        Kind::Keyword | Kind::Op => t.text.to_string(),
        Kind::Char(c) | Kind::Open(c) | Kind::Close(c) => format!("'{}'", c as char),
        Kind::QqStart => "QQSTRING_START".to_string(),
        Kind::QqText => "QQSTRING_TEXT".to_string(),
        Kind::QqInterp => "QQSTRING_INTERP_START".to_string(),
        Kind::QqEnd => "QQSTRING_END".to_string(),
        Kind::EofInString | Kind::Space => "$end".to_string(),
    }
}

/// What is open around the current token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Frame {
    /// `f(`: arguments.
    Call,
    Group,
    Bracket,
    Brace,
    /// `\(` in a string.
    Interp,
    /// A string.
    Str,
    /// `if`, and whether its `then` was seen; the offset of the `if`.
    If(bool, usize),
    /// `def`, until the `;` after its body.
    Def,
    /// `reduce`/`foreach` until the parenthesis after its pattern.
    Reduce,
}

/// Where the parser stopped: the token (`None` at the end), the `expecting` list, and the
/// offset of an `if` left open after its `then`.
struct Failure<'a> {
    token: Option<Token<'a>>,
    expecting: Option<&'static str>,
    open_if: Option<usize>,
    open_try: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The start of a term.
    Term,
    /// After a complete term: an operator, a suffix or a closing token.
    After,
    /// After `as`: a pattern.
    Pattern,
    /// After `$`: a name.
    Name,
    /// After `as $name`: `|` (or `(` for `reduce`/`foreach`).
    Body,
    /// After `def`: skip to the `:` that starts the body.
    DefHead,
    /// After a `.` that follows a term: a string or a format.
    DotSuffix,
}

fn check<'a>(all: &[Token<'a>]) -> Option<Failure<'a>> {
    let tokens: Vec<Token<'a>> = all
        .iter()
        .filter(|t| t.kind != Kind::Space)
        .copied()
        .collect();
    let tokens = tokens.as_slice();
    // A `catch` with nothing after it: jq adds an error about the `try` it belongs to.
    let open_try = |i: usize| {
        let before = tokens.get(..i)?;
        let last = before.last()?;
        if last.kind != Kind::Keyword || last.text != "catch" {
            return None;
        }
        before
            .iter()
            .rev()
            .find(|t| t.kind == Kind::Keyword && t.text == "try")
            .map(|t| t.start)
    };
    let mut frames: Vec<Frame> = Vec::new();
    let mut want = Want::Term;
    let mut prev: Option<Kind> = None;
    let mut after_name = Want::After;
    let open_if = |frames: &[Frame]| {
        frames.iter().rev().find_map(|f| match f {
            Frame::If(true, at) => Some(*at),
            _ => None,
        })
    };
    let after_term = |frames: &[Frame]| match frames.last() {
        None => Some("$end"),
        Some(Frame::Call) => Some("';' or ')'"),
        Some(Frame::Brace) => Some("'}'"),
        _ => None,
    };
    for (i, t) in tokens.iter().enumerate() {
        let fail = |expecting: Option<&'static str>, frames: &[Frame]| {
            Some(Failure {
                token: Some(*t),
                expecting,
                open_if: open_if(frames),
                open_try: open_try(i),
            })
        };
        if t.kind == Kind::EofInString {
            return Some(Failure {
                token: None,
                expecting: Some("QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END"),
                open_if: open_if(&frames),
                open_try: None,
            });
        }
        if matches!(frames.last(), Some(Frame::Str)) {
            match t.kind {
                Kind::QqText => {}
                Kind::QqInterp => {
                    frames.push(Frame::Interp);
                    want = Want::Term;
                }
                _ => {
                    // The closing quote.
                    frames.pop();
                    want = Want::After;
                }
            }
            prev = Some(t.kind);
            continue;
        }
        let text = t.text;
        match want {
            Want::DefHead => {
                if t.kind == Kind::Char(b':') {
                    want = Want::Term;
                }
                prev = Some(t.kind);
                continue;
            }
            Want::Name => {
                if !matches!(t.kind, Kind::Ident | Kind::Keyword) {
                    return fail(None, &frames);
                }
                want = after_name;
                after_name = Want::After;
                prev = Some(t.kind);
                continue;
            }
            Want::Pattern => {
                match t.kind {
                    Kind::Char(b'$') => {
                        want = Want::Name;
                        after_name = Want::Body;
                    }
                    Kind::Open(b'[') | Kind::Open(b'{') => {
                        // Destructuring: checked loosely, as terms.
                        frames.push(if text == "[" {
                            Frame::Bracket
                        } else {
                            Frame::Brace
                        });
                        want = Want::Term;
                    }
                    _ => return fail(Some("'$' or '[' or '{'"), &frames),
                }
                prev = Some(t.kind);
                continue;
            }
            Want::Body => {
                let reduce = frames.last() == Some(&Frame::Reduce);
                match t.kind {
                    Kind::Char(b'|') if !reduce => want = Want::Term,
                    Kind::Op if text == "?//" && !reduce => want = Want::Pattern,
                    Kind::Open(b'(') if reduce => {
                        frames.pop();
                        frames.push(Frame::Group);
                        want = Want::Term;
                    }
                    _ => return fail((!reduce).then_some("'|'"), &frames),
                }
                prev = Some(t.kind);
                continue;
            }
            Want::DotSuffix => {
                match t.kind {
                    Kind::QqStart => frames.push(Frame::Str),
                    Kind::Format => want = Want::After,
                    _ => return fail(Some("FORMAT or QQSTRING_START"), &frames),
                }
                prev = Some(t.kind);
                continue;
            }
            Want::Term => {
                let ok = match t.kind {
                    Kind::Literal | Kind::Field | Kind::Ident | Kind::Format => {
                        want = Want::After;
                        true
                    }
                    Kind::Op if text == ".." => {
                        want = Want::After;
                        true
                    }
                    Kind::Char(b'.') => {
                        want = Want::After;
                        true
                    }
                    Kind::Char(b'$') => {
                        want = Want::Name;
                        true
                    }
                    Kind::Char(b'-') => true,
                    Kind::QqStart => {
                        frames.push(Frame::Str);
                        true
                    }
                    Kind::Open(c) => {
                        frames.push(match c {
                            b'[' => Frame::Bracket,
                            b'{' => Frame::Brace,
                            _ => Frame::Group,
                        });
                        true
                    }
                    // `[]` and `{}`.
                    Kind::Close(c)
                        if matches!(
                            (c, frames.last(), prev),
                            (b']', Some(Frame::Bracket), Some(Kind::Open(_)))
                                | (b'}', Some(Frame::Brace), Some(Kind::Open(_)))
                        ) =>
                    {
                        frames.pop();
                        want = Want::After;
                        true
                    }
                    Kind::Keyword => match text {
                        "if" => {
                            frames.push(Frame::If(false, t.start));
                            true
                        }
                        "try" => true,
                        "reduce" | "foreach" => {
                            frames.push(Frame::Reduce);
                            true
                        }
                        "def" => {
                            frames.push(Frame::Def);
                            want = Want::DefHead;
                            true
                        }
                        "label" => {
                            want = Want::Pattern;
                            true
                        }
                        "__loc__" => {
                            want = Want::After;
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !ok {
                    let at_start = prev.is_none();
                    return fail(at_start.then_some("$end"), &frames);
                }
            }
            Want::After => {
                let ok = match t.kind {
                    Kind::Field => true,
                    Kind::QqStart if prev == Some(Kind::Format) => {
                        frames.push(Frame::Str);
                        true
                    }
                    Kind::Char(b'?') => true,
                    Kind::Char(b'.') => {
                        want = Want::DotSuffix;
                        true
                    }
                    Kind::Open(b'[') => {
                        frames.push(Frame::Bracket);
                        want = Want::Term;
                        true
                    }
                    // A call: `name(`, not `$name(`.
                    Kind::Open(b'(')
                        if prev == Some(Kind::Ident)
                            && !(i >= 2 && tokens[i - 2].kind == Kind::Char(b'$')) =>
                    {
                        frames.push(Frame::Call);
                        want = Want::Term;
                        true
                    }
                    Kind::Op | Kind::Char(_) => {
                        let ok = match t.kind {
                            Kind::Char(b':') => {
                                matches!(frames.last(), Some(Frame::Brace | Frame::Bracket))
                            }
                            Kind::Char(b';') => match frames.last() {
                                Some(Frame::Call | Frame::Group) => true,
                                Some(Frame::Def) => {
                                    frames.pop();
                                    true
                                }
                                _ => false,
                            },
                            Kind::Char(b'$') => false,
                            _ => text != "..",
                        };
                        want = Want::Term;
                        ok
                    }
                    Kind::Close(_) => {
                        let ok = matches!(
                            frames.last(),
                            Some(
                                Frame::Call
                                    | Frame::Group
                                    | Frame::Bracket
                                    | Frame::Brace
                                    | Frame::Interp
                            )
                        );
                        if ok {
                            frames.pop();
                        }
                        ok
                    }
                    Kind::Keyword => match text {
                        "and" | "or" | "catch" => {
                            want = Want::Term;
                            true
                        }
                        "as" => {
                            want = Want::Pattern;
                            true
                        }
                        "then" | "elif" | "else" => match frames.last_mut() {
                            Some(Frame::If(seen, _)) => {
                                *seen = true;
                                want = Want::Term;
                                true
                            }
                            _ => false,
                        },
                        "end" => {
                            let ok = matches!(frames.last(), Some(Frame::If(..)));
                            if ok {
                                frames.pop();
                            }
                            ok
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !ok {
                    return fail(after_term(&frames), &frames);
                }
            }
        }
        prev = Some(t.kind);
    }
    // The end of the program.
    let expecting = match want {
        Want::After if !frames.is_empty() => after_term(&frames),
        Want::After => return None,
        Want::Body if frames.last() != Some(&Frame::Reduce) => Some("'|'"),
        Want::DotSuffix => Some("FORMAT or QQSTRING_START"),
        Want::Term if prev.is_none() => return None,
        _ => None,
    };
    Some(Failure {
        token: None,
        expecting,
        open_if: open_if(&frames),
        open_try: open_try(tokens.len()),
    })
}

/// Whether the program is only blanks and comments (jq runs it as `.`).
pub fn is_blank(code: &str) -> bool {
    lex(code).iter().all(|t| t.kind == Kind::Space)
}

/// jq 1.6's messages for a program jaq could not parse, or `None` when the program looks
/// well formed to jq's grammar as followed here (the caller then words the error itself).
pub fn messages(code: &str, located: impl Fn(&str, usize) -> String) -> Option<Vec<String>> {
    let tokens = lex(code);
    let failure = check(&tokens)?;
    let offset = match &failure.token {
        Some(t) => t.start,
        // At the end jq points at the last token.
        None => tokens
            .iter()
            .rev()
            .find(|t| t.kind != Kind::EofInString)
            .map_or(0, |t| t.start),
    };
    let expecting = failure
        .expecting
        .map(|e| format!(", expecting {e}"))
        .unwrap_or_default();
    let mut out = vec![located(
        &format!(
            "syntax error, unexpected {}{expecting} (Unix shell quoting issues?)",
            name(failure.token.as_ref())
        ),
        offset,
    )];
    if let Some(at) = failure.open_if {
        out.push(located("Possibly unterminated 'if' statement", at));
    }
    if let Some(at) = failure.open_try {
        out.push(located("Possibly unterminated 'try' statement", at));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::messages;

    fn first(code: &str) -> String {
        let out = messages(code, |m, at| format!("{m} @{at}")).unwrap_or_default();
        out.join(" | ")
    }

    #[test]
    fn words_like_jq_1_6() {
        let u = " (Unix shell quoting issues?)";
        assert_eq!(
            first("'a'"),
            format!("syntax error, unexpected INVALID_CHARACTER, expecting $end{u} @0")
        );
        assert_eq!(
            first(".a $"),
            format!("syntax error, unexpected '$', expecting $end{u} @3")
        );
        assert_eq!(
            first(".a |"),
            format!("syntax error, unexpected $end{u} @3")
        );
        assert_eq!(
            first("map(.a"),
            format!("syntax error, unexpected $end, expecting ';' or ')'{u} @4")
        );
        assert_eq!(
            first("{a:1"),
            format!("syntax error, unexpected $end, expecting '}}'{u} @3")
        );
        assert_eq!(
            first(".a as x | 1"),
            format!("syntax error, unexpected IDENT, expecting '$' or '[' or '{{'{u} @6")
        );
        assert_eq!(
            first("if . then 1"),
            format!(
                "syntax error, unexpected $end{u} @10 | Possibly unterminated 'if' statement @0"
            )
        );
        assert_eq!(
            first("\"\\(1\""),
            format!("syntax error, unexpected QQSTRING_START{u} @4")
        );
        assert_eq!(
            first("\"abc"),
            format!(
                "syntax error, unexpected $end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END{u} @1"
            )
        );
        assert_eq!(
            first(".a as $x"),
            format!("syntax error, unexpected $end, expecting '|'{u} @7")
        );
        assert_eq!(
            first("(.a]"),
            format!("syntax error, unexpected INVALID_CHARACTER{u} @3")
        );
        assert_eq!(
            first("map(.a))"),
            format!("syntax error, unexpected INVALID_CHARACTER, expecting $end{u} @7")
        );
        assert_eq!(
            first("[.a x"),
            format!("syntax error, unexpected IDENT{u} @4")
        );
        assert_eq!(first(".[] | {a: .b, c: [.d[] | \"\\(.)\"]}"), "");
    }
}
