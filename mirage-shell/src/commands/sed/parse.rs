//! Parses a sed script (all `-e` and `-f` pieces joined by newlines) into a flat list of
//! commands. Blocks become jumps (`{` knows the index after its `}`) and labels are resolved to
//! indexes, so the executor is a simple program counter loop. Errors carry the position GNU
//! reports (`-e expression #1, char 3: ...`).

use std::collections::HashMap;

use super::regex::{Flags, Matcher, compile, numeric_escape};

/// A first address.
#[derive(Clone, Debug)]
pub enum Addr {
    Line(usize),
    Last,
    /// `None` is the empty regex: the last regex used.
    Re(Option<Matcher>),
    Step(usize, usize),
    Zero,
}

/// A second address (end of a range).
#[derive(Clone, Debug)]
pub enum Addr2 {
    Line(usize),
    Last,
    Re(Option<Matcher>),
    Plus(usize),
    Tilde(usize),
}

/// One piece of an `s` replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repl {
    Lit(Vec<u8>),
    Group(usize),
    Case(CaseOp),
}

/// GNU case conversions in replacements: `\L`, `\U`, `\l`, `\u`, `\E`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseOp {
    Lower,
    Upper,
    LowerOne,
    UpperOne,
    End,
}

#[derive(Clone, Debug)]
pub struct Subst {
    pub re: Option<Matcher>,
    pub repl: Vec<Repl>,
    pub global: bool,
    pub nth: usize,
    pub print: bool,
    pub wfile: Option<usize>,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// `{`: where to go when the address does not match.
    Block(usize),
    BlockEnd,
    Subst(Box<Subst>),
    Translit(HashMap<char, char>),
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    /// `b`, `t` or `T` and the resolved target (`None`: end of script).
    Branch(u8, Option<usize>),
    Label,
    Quit(bool, i32),
    List(Option<usize>),
    ReadFile(String),
    ReadLine(String),
    Write(usize),
    WriteFirst(usize),
    /// Commands without arguments: `= d D p P n N h H g G x z F`.
    Simple(u8),
    /// `e [COMMAND]`: run COMMAND (its output goes out at once), or without one run the
    /// pattern space and put its output there.
    Exec(Option<String>),
}

#[derive(Clone, Debug)]
pub struct Cmd {
    pub a1: Option<Addr>,
    pub a2: Option<Addr2>,
    pub neg: bool,
    pub kind: Kind,
}

#[derive(Debug, Default)]
pub struct Script {
    pub cmds: Vec<Cmd>,
    /// Output files named by `w`, `W` and `s///w`, opened (truncated) before the run.
    pub wfiles: Vec<String>,
}

/// Where a piece of the script came from, for error positions.
#[derive(Clone, Debug)]
pub enum Origin {
    Expr(usize),
    File(String),
}

/// A parse failure: GNU's message, and whether it is something Mirage does not support.
#[derive(Debug)]
pub struct ParseError {
    pub msg: String,
    pub unsupported: bool,
    /// GNU reports some late checks (labels) through `panic`, with exit status 4.
    pub panic: bool,
}

struct Piece {
    start: usize,
    len: usize,
    origin: Origin,
}

/// Parses the script pieces in order.
pub fn parse(pieces: &[(Origin, Vec<u8>)], ere: bool) -> Result<Script, ParseError> {
    let mut text = Vec::new();
    let mut map = Vec::new();
    for (origin, body) in pieces {
        if !text.is_empty() {
            text.push(b'\n');
        }
        map.push(Piece {
            start: text.len(),
            len: body.len(),
            origin: origin.clone(),
        });
        text.extend_from_slice(body);
    }
    let mut p = Parser {
        s: text,
        pos: 0,
        ere,
        map,
        script: Script::default(),
        blocks: Vec::new(),
        labels: HashMap::new(),
        jumps: Vec::new(),
        seen_re: false,
    };
    p.run()?;
    Ok(p.script)
}

struct Parser {
    s: Vec<u8>,
    pos: usize,
    ere: bool,
    map: Vec<Piece>,
    script: Script,
    blocks: Vec<(usize, usize)>,
    labels: HashMap<String, usize>,
    jumps: Vec<(usize, String)>,
    /// Whether a regex came before (an empty one then means "the last regex").
    seen_re: bool,
}

/// The byte a one-letter escape stands for in replacements and `a`/`i`/`c` text.
fn simple_escape(e: u8) -> u8 {
    match e {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'a' => 0x07,
        b'f' => 0x0c,
        b'v' => 0x0b,
        other => other,
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Parser {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        if b.is_some() {
            self.pos += 1;
        }
        b
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// Formats `msg` with GNU's location prefix for the current position.
    fn err(&self, msg: impl AsRef<str>) -> ParseError {
        self.err_at(self.pos, msg)
    }

    fn err_at(&self, pos: usize, msg: impl AsRef<str>) -> ParseError {
        let piece = self
            .map
            .iter()
            .rev()
            .find(|p| p.start <= pos)
            .or(self.map.first());
        let prefix = match piece {
            Some(Piece {
                start,
                len,
                origin: Origin::Expr(n),
            }) => {
                let ch = pos.saturating_sub(*start).min(*len);
                format!("-e expression #{n}, char {ch}")
            }
            Some(Piece {
                start,
                origin: Origin::File(name),
                ..
            }) => {
                let upto = &self.s[*start..pos.min(self.s.len())];
                let line = 1 + upto.iter().filter(|b| **b == b'\n').count();
                format!("file {name} line {line}")
            }
            None => "-e expression #1, char 0".to_string(),
        };
        ParseError {
            msg: format!("{prefix}: {}", msg.as_ref()),
            unsupported: false,
            panic: false,
        }
    }

    fn unsupported(&self, what: &str) -> ParseError {
        ParseError {
            msg: format!("unsupported command: {what}"),
            unsupported: true,
            panic: false,
        }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            while self
                .peek()
                .is_some_and(|b| is_blank(b) || b == b'\n' || b == b';')
            {
                self.pos += 1;
            }
            if self.peek().is_none() {
                break;
            }
            self.command()?;
        }
        if let Some((_, _)) = self.blocks.last() {
            let msg = "unmatched `{'";
            let prefix = match self.map.first().map(|p| &p.origin) {
                Some(Origin::File(name)) => format!("file {name} line 0"),
                _ => "-e expression #1, char 0".to_string(),
            };
            return Err(ParseError {
                msg: format!("{prefix}: {msg}"),
                unsupported: false,
                panic: false,
            });
        }
        for (idx, label) in std::mem::take(&mut self.jumps) {
            let Some(target) = self.labels.get(&label) else {
                return Err(ParseError {
                    msg: format!("can't find label for jump to `{label}'"),
                    unsupported: false,
                    panic: true,
                });
            };
            if let Kind::Branch(_, t) = &mut self.script.cmds[idx].kind {
                *t = Some(*target);
            }
        }
        Ok(())
    }

    fn number(&mut self) -> usize {
        let mut n: usize = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            n = n.saturating_mul(10).saturating_add(usize::from(b - b'0'));
            self.pos += 1;
        }
        n
    }

    /// Reads up to the unescaped delimiter; `\DELIM` becomes DELIM, `\n` a newline when the
    /// delimiter is not `n`, other escapes stay for the regex translator.
    fn delimited(&mut self, delim: u8, what: &str) -> Result<Vec<u8>, ParseError> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.err(what)),
                Some(b'\\') => match self.next() {
                    None => return Err(self.err(what)),
                    Some(b) if b == delim => out.push(b),
                    Some(b'\n') => out.extend_from_slice(b"\\n"),
                    Some(b) => {
                        out.push(b'\\');
                        out.push(b);
                    }
                },
                Some(b'\n') if what.contains("address") => return Err(self.err(what)),
                Some(b) if b == delim => return Ok(out),
                Some(b'[') => {
                    out.push(b'[');
                    self.bracket(&mut out, what)?;
                }
                Some(b) => out.push(b),
            }
        }
    }

    /// Copies a bracket expression whole: the delimiter is an ordinary character inside it.
    fn bracket(&mut self, out: &mut Vec<u8>, what: &str) -> Result<(), ParseError> {
        let mut first = true;
        if self.peek() == Some(b'^') {
            out.push(b'^');
            self.pos += 1;
        }
        loop {
            let Some(b) = self.next() else {
                return Err(self.err(what));
            };
            out.push(b);
            match b {
                b']' if !first => return Ok(()),
                b'[' if matches!(self.peek(), Some(b':' | b'.' | b'=')) => {
                    let Some(kind) = self.next() else {
                        return Err(self.err(what));
                    };
                    out.push(kind);
                    loop {
                        let Some(c) = self.next() else {
                            return Err(self.err(what));
                        };
                        out.push(c);
                        if c == kind && self.peek() == Some(b']') {
                            self.pos += 1;
                            out.push(b']');
                            break;
                        }
                    }
                }
                _ => {}
            }
            first = false;
        }
    }

    fn regex_flags(&mut self) -> Flags {
        let mut f = Flags::default();
        loop {
            match self.peek() {
                Some(b'I') => f.icase = true,
                Some(b'M') => f.multiline = true,
                _ => return f,
            }
            self.pos += 1;
        }
    }

    fn compile(&mut self, pat: &[u8], flags: Flags) -> Result<Option<Matcher>, ParseError> {
        if pat.is_empty() {
            if !self.seen_re {
                return Err(self.err_at(0, "no previous regular expression"));
            }
            return Ok(None);
        }
        match compile(pat, self.ere, flags) {
            Ok(r) => {
                self.seen_re = true;
                Ok(Some(r))
            }
            Err(e) => Err(self.err(e)),
        }
    }

    fn regex_addr(&mut self, delim: u8) -> Result<Option<Matcher>, ParseError> {
        let pat = self.delimited(delim, "unterminated address regex")?;
        let flags = self.regex_flags();
        self.compile(&pat, flags)
    }

    fn addr1(&mut self) -> Result<Option<Addr>, ParseError> {
        match self.peek() {
            Some(b) if b.is_ascii_digit() => {
                let n = self.number();
                if self.peek() == Some(b'~') {
                    self.pos += 1;
                    let step = self.number();
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some(b'$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some(b'/') => {
                self.pos += 1;
                Ok(Some(Addr::Re(self.regex_addr(b'/')?)))
            }
            Some(b'\\') => {
                self.pos += 1;
                match self.next() {
                    Some(d) if d != b'\n' && d != b'\\' => Ok(Some(Addr::Re(self.regex_addr(d)?))),
                    _ => Err(self.err("unexpected `,'")),
                }
            }
            _ => Ok(None),
        }
    }

    fn addr2(&mut self) -> Result<Addr2, ParseError> {
        self.skip_blanks();
        match self.peek() {
            Some(b) if b.is_ascii_digit() => Ok(Addr2::Line(self.number())),
            Some(b'+') => {
                self.pos += 1;
                Ok(Addr2::Plus(self.number()))
            }
            Some(b'~') => {
                self.pos += 1;
                Ok(Addr2::Tilde(self.number()))
            }
            Some(b'$') => {
                self.pos += 1;
                Ok(Addr2::Last)
            }
            Some(b'/') => {
                self.pos += 1;
                Ok(Addr2::Re(self.regex_addr(b'/')?))
            }
            Some(b'\\') => {
                self.pos += 1;
                match self.next() {
                    Some(d) if d != b'\n' && d != b'\\' => Ok(Addr2::Re(self.regex_addr(d)?)),
                    _ => Err(self.err("unexpected `,'")),
                }
            }
            _ => {
                if self.peek().is_some() {
                    self.pos += 1;
                }
                Err(self.err("unexpected `,'"))
            }
        }
    }

    fn command(&mut self) -> Result<(), ParseError> {
        let a1 = self.addr1()?;
        let mut a2 = None;
        if a1.is_some() {
            self.skip_blanks();
            if self.peek() == Some(b',') {
                self.pos += 1;
                a2 = Some(self.addr2()?);
            }
        }
        self.skip_blanks();
        let mut neg = false;
        if self.peek() == Some(b'!') {
            self.pos += 1;
            neg = true;
            self.skip_blanks();
            if self.peek() == Some(b'!') {
                self.pos += 1;
                return Err(self.err("multiple `!'s"));
            }
        }
        let has_addr = a1.is_some();
        let Some(c) = self.next() else {
            return Err(self.err("missing command"));
        };
        if matches!(a1, Some(Addr::Zero)) && !matches!(a2, Some(Addr2::Re(_))) {
            return Err(self.err("invalid usage of line address 0"));
        }
        let kind = match c {
            b'{' => {
                self.blocks.push((self.script.cmds.len(), self.pos));
                Kind::Block(0)
            }
            b'}' => {
                if has_addr {
                    return Err(self.err("unexpected `}'"));
                }
                let Some((open, _)) = self.blocks.pop() else {
                    return Err(self.err("unexpected `}'"));
                };
                let end = self.script.cmds.len() + 1;
                if let Kind::Block(t) = &mut self.script.cmds[open].kind {
                    *t = end;
                }
                self.end_of_cmd()?;
                Kind::BlockEnd
            }
            b'#' => {
                if has_addr {
                    return Err(self.err("comments don't accept any addresses"));
                }
                while self.next().is_some_and(|b| b != b'\n') {}
                return Ok(());
            }
            b':' => {
                if has_addr {
                    return Err(self.err(": doesn't want any addresses"));
                }
                self.skip_blanks();
                let label = self.label();
                if label.is_empty() {
                    return Err(self.err("\":\" lacks a label"));
                }
                self.labels.insert(label, self.script.cmds.len());
                Kind::Label
            }
            b'a' | b'i' | b'c' => {
                let text = self.text()?;
                match c {
                    b'a' => Kind::Append(text),
                    b'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            b'b' | b't' | b'T' => {
                self.skip_blanks();
                let label = self.label();
                if !label.is_empty() {
                    self.jumps.push((self.script.cmds.len(), label));
                }
                Kind::Branch(c, None)
            }
            b'r' | b'R' | b'w' | b'W' => {
                let name = self.filename()?;
                match c {
                    b'r' => Kind::ReadFile(name),
                    b'R' => Kind::ReadLine(name),
                    b'w' => Kind::Write(self.wfile(name)),
                    _ => Kind::WriteFirst(self.wfile(name)),
                }
            }
            b'q' | b'Q' => {
                if a2.is_some() {
                    return Err(self.err("command only uses one address"));
                }
                self.skip_blanks();
                let code = self.number();
                self.end_of_cmd()?;
                Kind::Quit(c == b'q', i32::from((code % 256) as u8))
            }
            b'l' | b'L' => {
                if c == b'L' {
                    return Err(self.unsupported("L"));
                }
                self.skip_blanks();
                let n = self
                    .peek()
                    .filter(u8::is_ascii_digit)
                    .map(|_| self.number());
                self.end_of_cmd()?;
                Kind::List(n)
            }
            b'=' | b'd' | b'D' | b'p' | b'P' | b'n' | b'N' | b'h' | b'H' | b'g' | b'G' | b'x'
            | b'z' | b'F' => {
                self.end_of_cmd()?;
                Kind::Simple(c)
            }
            b's' => Kind::Subst(Box::new(self.subst()?)),
            b'y' => self.translit()?,
            b'e' => {
                // The command runs to the end of the line, `;` and `}` included (GNU).
                self.skip_blanks();
                let start = self.pos;
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.pos += 1;
                }
                let cmd = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
                Kind::Exec((!cmd.is_empty()).then_some(cmd))
            }
            b'v' => {
                if has_addr {
                    return Err(self.err(": doesn't want any addresses"));
                }
                self.version()?;
                return Ok(());
            }
            other => {
                let shown = char::from(other);
                return Err(self.err(format!("unknown command: `{shown}'")));
            }
        };
        self.script.cmds.push(Cmd { a1, a2, neg, kind });
        Ok(())
    }

    /// `v [VERSION]`: a no-op that fails when the script wants a newer sed than 4.9.
    fn version(&mut self) -> Result<(), ParseError> {
        self.skip_blanks();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b'\n' | b';' | b' ' | b'\t' | b'}' | b'#'))
        {
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
        let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let wanted = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        if wanted > (4, 9, 0) {
            return Err(self.err("expected newer version of sed"));
        }
        self.end_of_cmd()
    }

    fn wfile(&mut self, name: String) -> usize {
        if let Some(i) = self.script.wfiles.iter().position(|n| *n == name) {
            return i;
        }
        self.script.wfiles.push(name);
        self.script.wfiles.len() - 1
    }

    /// A label runs to whitespace, `;` or `}` (GNU 4.9's `read_label`); what follows is the
    /// next command, so `bend p` branches to `end` and then has a `p`, and `$!{h;b}` closes.
    fn label(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !b.is_ascii_whitespace() && b != b';' && b != b'}')
        {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.pos]).into_owned()
    }

    fn filename(&mut self) -> Result<String, ParseError> {
        self.skip_blanks();
        let start = self.pos;
        while self.peek().is_some_and(|b| b != b'\n') {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.err("missing filename in r/R/w/W commands"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn end_of_cmd(&mut self) -> Result<(), ParseError> {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n') | Some(b';') => {
                if self.peek().is_some() {
                    self.pos += 1;
                }
                Ok(())
            }
            Some(b'}') | Some(b'#') => Ok(()),
            Some(_) => {
                self.pos += 1;
                Err(self.err("extra characters after command"))
            }
        }
    }

    /// Text of `a`, `i`, `c`: the GNU one-liner (`a text`) or the classic `a\` newline form.
    /// Backslash-newline continues the text; other backslashes are removed.
    fn text(&mut self) -> Result<Vec<u8>, ParseError> {
        self.skip_blanks();
        if self.peek().is_none() {
            return Err(self.err("expected \\ after `a', `c' or `i'"));
        }
        if self.peek() == Some(b'\\') {
            self.pos += 1;
            if self.peek() == Some(b'\n') {
                self.pos += 1;
            }
            if self.peek().is_none() {
                // `a\` ending the script: GNU adds nothing.
                return Ok(Vec::new());
            }
        }
        let mut out = Vec::new();
        loop {
            match self.next() {
                None | Some(b'\n') => break,
                Some(b'\\') => match self.next() {
                    None => break,
                    Some(b) => {
                        if let Some((v, used)) =
                            numeric_escape(b, self.s.get(self.pos..).unwrap_or(&[]))
                        {
                            self.pos += used;
                            out.push(v);
                        } else {
                            out.push(simple_escape(b));
                        }
                    }
                },
                Some(b) => out.push(b),
            }
        }
        out.push(b'\n');
        Ok(out)
    }

    fn subst(&mut self) -> Result<Subst, ParseError> {
        const UNTERMINATED: &str = "unterminated `s' command";
        let delim = match self.next() {
            Some(b'\n') | Some(b'\\') | None => return Err(self.err(UNTERMINATED)),
            Some(d) => d,
        };
        let pat = self.delimited(delim, UNTERMINATED)?;
        let repl = self.replacement(delim)?;
        let mut sub = Subst {
            re: None,
            repl,
            global: false,
            nth: 0,
            print: false,
            wfile: None,
        };
        let mut flags = Flags::default();
        loop {
            match self.peek() {
                Some(b'g') => {
                    self.pos += 1;
                    if sub.global {
                        return Err(self.err("multiple `g' options to `s' command"));
                    }
                    sub.global = true;
                }
                Some(b'p') => {
                    self.pos += 1;
                    if sub.print {
                        return Err(self.err("multiple `p' options to `s' command"));
                    }
                    sub.print = true;
                }
                Some(b'i') | Some(b'I') => {
                    self.pos += 1;
                    flags.icase = true;
                }
                Some(b'm') | Some(b'M') => {
                    self.pos += 1;
                    flags.multiline = true;
                }
                Some(b'e') => return Err(self.unsupported("s///e")),
                Some(b) if b.is_ascii_digit() => {
                    if sub.nth != 0 {
                        self.pos += 1;
                        return Err(self.err("multiple number options to `s' command"));
                    }
                    let n = self.number();
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    sub.nth = n;
                }
                Some(b'w') => {
                    self.pos += 1;
                    let name = self.filename()?;
                    sub.wfile = Some(self.wfile(name));
                    break;
                }
                Some(b' ' | b'\t' | b'\n' | b';' | b'}' | b'#') | None => {
                    self.end_of_cmd()?;
                    break;
                }
                Some(_) => {
                    self.pos += 1;
                    return Err(self.err("unknown option to `s'"));
                }
            }
        }
        sub.re = self.compile(&pat, flags)?;
        let max_ref = sub
            .repl
            .iter()
            .filter_map(|r| match r {
                Repl::Group(n) => Some(*n),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        if let Some(re) = &sub.re
            && max_ref >= re.captures_len()
        {
            return Err(self.err(format!(
                "invalid reference \\{max_ref} on `s' command's RHS"
            )));
        }
        Ok(sub)
    }

    fn replacement(&mut self, delim: u8) -> Result<Vec<Repl>, ParseError> {
        let mut parts = Vec::new();
        let mut lit = Vec::new();
        let flush = |lit: &mut Vec<u8>, parts: &mut Vec<Repl>| {
            if !lit.is_empty() {
                parts.push(Repl::Lit(std::mem::take(lit)));
            }
        };
        loop {
            match self.next() {
                None => return Err(self.err("unterminated `s' command")),
                Some(b) if b == delim => break,
                Some(b'&') => {
                    flush(&mut lit, &mut parts);
                    parts.push(Repl::Group(0));
                }
                Some(b'\\') => {
                    let Some(e) = self.next() else {
                        return Err(self.err("unterminated `s' command"));
                    };
                    let case = match e {
                        b'L' => Some(CaseOp::Lower),
                        b'U' => Some(CaseOp::Upper),
                        b'l' => Some(CaseOp::LowerOne),
                        b'u' => Some(CaseOp::UpperOne),
                        b'E' => Some(CaseOp::End),
                        _ => None,
                    };
                    if let Some(op) = case {
                        flush(&mut lit, &mut parts);
                        parts.push(Repl::Case(op));
                    } else if e.is_ascii_digit() {
                        flush(&mut lit, &mut parts);
                        parts.push(Repl::Group(usize::from(e - b'0')));
                    } else if e == delim {
                        lit.push(e);
                    } else if let Some((b, used)) =
                        numeric_escape(e, self.s.get(self.pos..).unwrap_or(&[]))
                    {
                        self.pos += used;
                        lit.push(b);
                    } else {
                        lit.push(simple_escape(e));
                    }
                }
                Some(b) => lit.push(b),
            }
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    fn translit(&mut self) -> Result<Kind, ParseError> {
        const UNTERMINATED: &str = "unterminated `y' command";
        let delim = match self.next() {
            Some(b'\n') | Some(b'\\') | None => return Err(self.err(UNTERMINATED)),
            Some(d) => d,
        };
        let src = self.y_part(delim)?;
        let dst = self.y_part(delim)?;
        let src: Vec<char> = String::from_utf8_lossy(&src).chars().collect();
        let dst: Vec<char> = String::from_utf8_lossy(&dst).chars().collect();
        if src.len() != dst.len() {
            return Err(self.err("strings for `y' command are different lengths"));
        }
        self.end_of_cmd()?;
        let mut map = HashMap::new();
        for (s, d) in src.into_iter().zip(dst) {
            map.entry(s).or_insert(d);
        }
        Ok(Kind::Translit(map))
    }

    fn y_part(&mut self, delim: u8) -> Result<Vec<u8>, ParseError> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.err("unterminated `y' command")),
                Some(b) if b == delim => return Ok(out),
                Some(b'\\') => match self.next() {
                    Some(b'n') => out.push(b'\n'),
                    Some(b't') => out.push(b'\t'),
                    Some(b'\\') => out.push(b'\\'),
                    Some(b) => out.push(b),
                    None => return Err(self.err("unterminated `y' command")),
                },
                Some(b) => out.push(b),
            }
        }
    }
}
