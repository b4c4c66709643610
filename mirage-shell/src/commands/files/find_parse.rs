//! The grammar of `find`'s command line: start paths, then an expression of tests, actions and
//! operators. Parsing runs in GNU's two passes so errors come out in GNU's order: first every
//! predicate and its argument is checked left to right, then the operator tree is built.

use super::fnmatch::Pattern;
use super::support::lquote;
use super::time::Stamp;

/// A comparison written `+N`, `-N` or `N`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cmp {
    Less,
    Equal,
    Greater,
}

/// A test or action at a leaf of the expression.
#[derive(Clone, Debug)]
pub enum Leaf {
    True,
    False,
    Name(Pattern),
    Path(Pattern),
    /// Accepted type letters; only `f` and `d` can ever match in a virtual tree.
    Type(Vec<char>),
    Empty,
    Size {
        cmp: Cmp,
        count: u64,
        unit: u64,
    },
    /// The reference file of `-newer`; replaced by [`Leaf::NewerThan`] before the walk.
    Newer(String),
    NewerThan(Stamp),
    /// `-mtime` (`days` true) or `-mmin`, with the count in days or minutes.
    Age {
        cmp: Cmp,
        count: f64,
        days: bool,
    },
    Print,
    Print0,
    Prune,
    Delete,
    Quit,
    Exec(ExecSpec),
    Printf(Vec<super::find::find_printf::Item>),
    /// `-regex`/`-iregex`, anchored on the whole path.
    Regex(regex::Regex),
    Perm(PermTest, u32),
    /// `-samefile`; replaced by [`Leaf::SamePath`] before the walk.
    SameFile(String),
    SamePath(mirage_core::VPath),
    /// `-readable` (`r`), `-writable` (`w`), `-executable` (`x`).
    Access(char),
    Links(Cmp, u64),
}

/// `-perm MODE` (exact), `-perm -MODE` (all bits), `-perm /MODE` (any bit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PermTest {
    Exact,
    All,
    Any,
}

/// `-exec CMD ARGS ;` (one run per file) or `-exec CMD ARGS {} +` (batched).
#[derive(Clone, Debug)]
pub struct ExecSpec {
    /// Index among the batched execs, to keep their pending file lists apart.
    pub id: usize,
    pub argv: Vec<String>,
    pub batch: bool,
}

#[derive(Clone, Debug)]
pub enum Expr {
    Leaf(Leaf),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Comma(Box<Expr>, Box<Expr>),
}

/// Everything the command line says.
#[derive(Debug)]
pub struct FindArgs {
    pub paths: Vec<String>,
    pub expr: Expr,
    pub maxdepth: Option<usize>,
    pub mindepth: usize,
    pub depth_first: bool,
    pub xdev: bool,
    /// How many batched (`+`) execs there are.
    pub batches: usize,
    /// GNU's parse-time warnings (`-printf` escapes), printed before the walk.
    pub warnings: Vec<String>,
}

/// Why the command line was rejected.
#[derive(Debug, PartialEq)]
pub enum ParseError {
    /// GNU's own message (printed as `find: MESSAGE`, status 1).
    Gnu(String),
    /// A non-path argument where a predicate was expected. The caller adds GNU's hint about an
    /// unquoted pattern when the argument names an existing file; `after` is the last predicate.
    NotPath { arg: String, after: Option<String> },
    /// Something GNU supports that Mirage does not.
    Unsupported(String),
}

fn gnu(msg: impl Into<String>) -> ParseError {
    ParseError::Gnu(msg.into())
}

/// Tokens of the second pass.
#[derive(Clone, Debug)]
enum Tok {
    Open,
    Close,
    Not(String),
    And(String),
    Or(String),
    Comma,
    Leaf(Leaf),
}

/// Predicates GNU knows that Mirage does not implement.
const UNSUPPORTED: &[&str] = &[
    "-amin",
    "-anewer",
    "-atime",
    "-cmin",
    "-cnewer",
    "-context",
    "-ctime",
    "-daystart",
    "-execdir",
    "-files0-from",
    "-fls",
    "-fprint",
    "-fprint0",
    "-fprintf",
    "-fstype",
    "-ilname",
    "-inum",
    "-lname",
    "-ls",
    "-ok",
    "-okdir",
    "-used",
    "-xtype",
    "-help",
    "--help",
    "-version",
    "--version",
];

/// True for an argument that starts the expression rather than naming a start path.
fn starts_expression(arg: &str) -> bool {
    (arg.starts_with('-') && arg.len() > 1) || arg == "(" || arg == "!"
}

/// Parses everything after `find` (leading `-H`/`-L`/`-P` included).
pub fn parse(args: &[String]) -> Result<FindArgs, ParseError> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            // There are no symbolic links in a Mirage tree, so the link-following modes agree.
            "-H" | "-L" | "-P" => i += 1,
            "--" => {
                i += 1;
                break;
            }
            s if s.starts_with("-D") || s.starts_with("-O") => {
                return Err(ParseError::Unsupported(s.to_string()));
            }
            _ => break,
        }
    }
    let mut paths = Vec::new();
    while let Some(a) = args.get(i) {
        if starts_expression(a) {
            break;
        }
        paths.push(a.clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(".".to_string());
    }
    let mut p = FirstPass {
        args,
        i,
        out: FindArgs::default_with(paths),
        toks: Vec::new(),
        has_action: false,
        explicit_depth: false,
        prune: false,
        delete: false,
        last_pred: None,
        regex_kind: RegexKind::Emacs,
    };
    p.run()?;
    if p.delete && p.prune && !p.explicit_depth {
        return Err(gnu(
            "The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.",
        ));
    }
    let toks = std::mem::take(&mut p.toks);
    let has_action = p.has_action;
    let mut out = p.out;
    let mut tree = Builder { toks, pos: 0 };
    let expr = tree.top()?;
    out.expr = match (expr, has_action) {
        (None, _) => Expr::Leaf(Leaf::Print),
        (Some(e), true) => e,
        (Some(e), false) => Expr::And(Box::new(e), Box::new(Expr::Leaf(Leaf::Print))),
    };
    Ok(out)
}

impl FindArgs {
    fn default_with(paths: Vec<String>) -> Self {
        FindArgs {
            paths,
            expr: Expr::Leaf(Leaf::True),
            maxdepth: None,
            mindepth: 0,
            depth_first: false,
            xdev: false,
            batches: 0,
            warnings: Vec::new(),
        }
    }
}

/// Pass one: predicates and their arguments, in order.
struct FirstPass<'a> {
    args: &'a [String],
    i: usize,
    out: FindArgs,
    toks: Vec<Tok>,
    has_action: bool,
    explicit_depth: bool,
    prune: bool,
    delete: bool,
    last_pred: Option<String>,
    /// `-regextype`: emacs (the default), POSIX basic or POSIX extended.
    regex_kind: RegexKind,
}

impl FirstPass<'_> {
    fn run(&mut self) -> Result<(), ParseError> {
        while let Some(arg) = self.args.get(self.i).cloned() {
            self.i += 1;
            let tok = match arg.as_str() {
                "(" => Tok::Open,
                ")" => Tok::Close,
                "!" | "-not" => Tok::Not(arg.clone()),
                "-a" | "-and" => Tok::And(arg.clone()),
                "-o" | "-or" => Tok::Or(arg.clone()),
                "," => Tok::Comma,
                s if s.starts_with('-') && s.len() > 1 => {
                    let leaf = self.predicate(s)?;
                    self.last_pred = Some(arg.clone());
                    Tok::Leaf(leaf)
                }
                _ => {
                    return Err(ParseError::NotPath {
                        arg: arg.clone(),
                        after: self.last_pred.clone(),
                    });
                }
            };
            self.toks.push(tok);
        }
        Ok(())
    }

    /// The argument of predicate `name`, or GNU's complaint that it is missing.
    fn value(&mut self, name: &str) -> Result<String, ParseError> {
        match self.args.get(self.i) {
            Some(v) => {
                self.i += 1;
                Ok(v.clone())
            }
            None => Err(gnu(format!("missing argument to `{name}'"))),
        }
    }

    fn predicate(&mut self, name: &str) -> Result<Leaf, ParseError> {
        let leaf = match name {
            "-name" | "-iname" => Leaf::Name(Pattern::new(&self.value(name)?, name == "-iname")),
            "-path" | "-wholename" | "-ipath" | "-iwholename" => {
                Leaf::Path(Pattern::new(&self.value(name)?, name.starts_with("-i")))
            }
            "-type" => Leaf::Type(parse_type(&self.value(name)?)?),
            "-empty" => Leaf::Empty,
            "-size" => parse_size(&self.value(name)?)?,
            "-newer" => Leaf::Newer(self.value(name)?),
            "-mtime" | "-mmin" => {
                let v = self.value(name)?;
                let (cmp, count) = parse_age(&v)
                    .ok_or_else(|| gnu(format!("invalid argument `{v}' to `{name}'")))?;
                Leaf::Age {
                    cmp,
                    count,
                    days: name == "-mtime",
                }
            }
            "-true" => Leaf::True,
            "-false" => Leaf::False,
            "-maxdepth" | "-mindepth" => {
                let v = self.value(name)?;
                let n = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    v.parse::<usize>().ok()
                } else {
                    None
                };
                let n = n.ok_or_else(|| {
                    gnu(format!(
                        "Expected a positive decimal integer argument to {name}, but got {}",
                        lquote(&v)
                    ))
                })?;
                if name == "-maxdepth" {
                    self.out.maxdepth = Some(n);
                } else {
                    self.out.mindepth = n;
                }
                Leaf::True
            }
            "-depth" | "-d" => {
                self.out.depth_first = true;
                self.explicit_depth = true;
                Leaf::True
            }
            "-xdev" | "-mount" => {
                self.out.xdev = true;
                Leaf::True
            }
            // No symbolic links, no races with other processes, no warnings to tune.
            "-follow"
            | "-noleaf"
            | "-ignore_readdir_race"
            | "-noignore_readdir_race"
            | "-warn"
            | "-nowarn" => Leaf::True,
            "-print" | "-print0" | "-delete" => {
                self.has_action = true;
                match name {
                    "-print" => Leaf::Print,
                    "-print0" => Leaf::Print0,
                    _ => {
                        self.delete = true;
                        self.out.depth_first = true;
                        Leaf::Delete
                    }
                }
            }
            "-prune" => {
                self.prune = true;
                Leaf::Prune
            }
            "-quit" => Leaf::Quit,
            "-printf" => {
                self.has_action = true;
                let v = self.value(name)?;
                let (items, warnings) =
                    super::find::find_printf::parse(&v).map_err(ParseError::Unsupported)?;
                self.out.warnings.extend(warnings);
                Leaf::Printf(items)
            }
            "-regextype" => {
                let v = self.value(name)?;
                self.regex_kind = match v.as_str() {
                    "emacs" | "findutils-default" => RegexKind::Emacs,
                    "ed" | "grep" | "posix-basic" | "posix-minimal-basic" | "sed" => {
                        RegexKind::Basic
                    }
                    "posix-extended" | "egrep" | "posix-egrep" | "gnu-awk" | "posix-awk"
                    | "awk" => RegexKind::Extended,
                    _ => {
                        let names = [
                            "findutils-default",
                            "ed",
                            "emacs",
                            "gnu-awk",
                            "grep",
                            "posix-awk",
                            "awk",
                            "posix-basic",
                            "posix-egrep",
                            "egrep",
                            "posix-extended",
                            "posix-minimal-basic",
                            "sed",
                        ]
                        .iter()
                        .map(|n| lquote(n))
                        .collect::<Vec<_>>()
                        .join(", ");
                        return Err(gnu(format!(
                            "Unknown regular expression type {}; valid types are {names}.",
                            lquote(&v)
                        )));
                    }
                };
                Leaf::True
            }
            "-regex" | "-iregex" => {
                let v = self.value(name)?;
                let translated = translate_regex(&v, self.regex_kind);
                let ci = if name == "-iregex" { "(?i)" } else { "" };
                let re = regex::Regex::new(&format!("{ci}(?s)^(?:{translated})$"))
                    .map_err(|_| ParseError::Unsupported(format!("{name} {v}")))?;
                Leaf::Regex(re)
            }
            "-perm" => {
                let v = self.value(name)?;
                let (test, body) = match v.as_bytes().first() {
                    Some(b'-') => (PermTest::All, &v[1..]),
                    Some(b'/') => (PermTest::Any, &v[1..]),
                    _ => (PermTest::Exact, v.as_str()),
                };
                let mode =
                    parse_mode(body).ok_or_else(|| gnu(format!("invalid mode {}", lquote(&v))))?;
                Leaf::Perm(test, mode)
            }
            "-newermt" => {
                let v = self.value(name)?;
                match super::time::parse_date(&v, Stamp::now()) {
                    Ok(t) => Leaf::NewerThan(t),
                    Err(_) => {
                        return Err(gnu(format!(
                            "I cannot figure out how to interpret {} as a date or time",
                            lquote(&v)
                        )));
                    }
                }
            }
            "-newermm" => Leaf::Newer(self.value(name)?),
            "-samefile" => Leaf::SameFile(self.value(name)?),
            "-readable" => Leaf::Access('r'),
            "-writable" => Leaf::Access('w'),
            "-executable" => Leaf::Access('x'),
            "-nouser" | "-nogroup" => Leaf::False,
            "-user" | "-group" => {
                let v = self.value(name)?;
                let (user, group, uid, gid) = super::ls_long::owner_names();
                let (me, my_id, file) = if name == "-user" {
                    (user, uid, "/etc/passwd")
                } else {
                    (group, gid, "/etc/group")
                };
                if v == me || v == my_id {
                    Leaf::True
                } else if v.bytes().all(|b| b.is_ascii_digit()) || known_name(file, &v) {
                    Leaf::False
                } else if name == "-user" {
                    return Err(gnu(format!(
                        "{} is not the name of a known user",
                        lquote(&v)
                    )));
                } else {
                    return Err(gnu(format!(
                        "{} is not the name of an existing group",
                        lquote(&v)
                    )));
                }
            }
            "-uid" | "-gid" | "-links" => {
                let v = self.value(name)?;
                let (cmp, digits) = split_cmp(&v);
                let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    digits.parse::<u64>().ok()
                } else {
                    None
                };
                let n = n.ok_or_else(|| {
                    gnu(format!(
                        "invalid argument {} to {}",
                        lquote(&v),
                        lquote(name)
                    ))
                })?;
                if name == "-links" {
                    Leaf::Links(cmp, n)
                } else {
                    let (_, _, uid, gid) = super::ls_long::owner_names();
                    let mine: u64 = if name == "-uid" { uid } else { gid }.parse().unwrap_or(0);
                    if compare_u64(cmp, mine, n) {
                        Leaf::True
                    } else {
                        Leaf::False
                    }
                }
            }
            "-exec" => {
                self.has_action = true;
                self.exec()?
            }
            s if UNSUPPORTED.contains(&s) || is_newer_xy(s) => {
                return Err(ParseError::Unsupported(s.to_string()));
            }
            s => return Err(gnu(format!("unknown predicate `{s}'"))),
        };
        Ok(leaf)
    }

    /// `-exec` up to its `;`, or up to `{} +`.
    fn exec(&mut self) -> Result<Leaf, ParseError> {
        let start = self.i;
        let mut j = start;
        loop {
            let Some(arg) = self.args.get(j) else {
                return Err(gnu("missing argument to `-exec'"));
            };
            if arg == ";" {
                break;
            }
            if arg == "+" && j > start {
                let prev = &self.args[j - 1];
                if prev == "{}" {
                    break;
                }
                if prev.contains("{}") {
                    return Err(gnu(format!(
                        "In {} the {} must appear by itself, but you specified {}",
                        lquote("-exec ... {} +"),
                        lquote("{}"),
                        lquote(prev)
                    )));
                }
            }
            j += 1;
        }
        let batch = self.args[j] == "+";
        let argv: Vec<String> = self.args[start..j].to_vec();
        self.i = j + 1;
        if argv.is_empty() {
            return Err(gnu("missing argument to `-exec'"));
        }
        if batch && argv[..argv.len() - 1].iter().any(|a| a.contains("{}")) {
            return Err(gnu("Only one instance of {} is supported with -exec ... +"));
        }
        let id = self.out.batches;
        if batch {
            self.out.batches += 1;
        }
        Ok(Leaf::Exec(ExecSpec { id, argv, batch }))
    }
}

fn compare_u64(cmp: Cmp, value: u64, target: u64) -> bool {
    match cmp {
        Cmp::Less => value < target,
        Cmp::Equal => value == target,
        Cmp::Greater => value > target,
    }
}

/// Whether `name` is listed in /etc/passwd or /etc/group.
fn known_name(file: &str, name: &str) -> bool {
    std::fs::read_to_string(file)
        .is_ok_and(|text| text.lines().any(|l| l.split(':').next() == Some(name)))
}

/// An octal mode or a symbolic one (`u+r`, `a=rwx,g-w`), applied to zero as GNU does.
fn parse_mode(v: &str) -> Option<u32> {
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(v, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode: u32 = 0;
    for clause in v.split(',') {
        let b = clause.as_bytes();
        let mut i = 0;
        let mut who = 0u32;
        while let Some(&c) = b.get(i) {
            match c {
                b'u' => who |= 0o4700,
                b'g' => who |= 0o2070,
                b'o' => who |= 0o1007,
                b'a' => who |= 0o7777,
                _ => break,
            }
            i += 1;
        }
        if who == 0 {
            who = 0o7777;
        }
        if i >= b.len() {
            return None;
        }
        while i < b.len() {
            let op = b[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            while let Some(&c) = b.get(i) {
                match c {
                    b'r' => bits |= 0o444,
                    b'w' => bits |= 0o222,
                    b'x' | b'X' => bits |= 0o111,
                    b's' => bits |= 0o6000,
                    b't' => bits |= 0o1000,
                    b'+' | b'-' | b'=' => break,
                    _ => return None,
                }
                i += 1;
            }
            let bits = bits & who;
            match op {
                b'+' => mode |= bits,
                b'-' => mode &= !bits,
                _ => mode = (mode & !who) | bits,
            }
        }
    }
    Some(mode)
}

/// The dialects of `-regextype`.
#[derive(Clone, Copy, PartialEq)]
enum RegexKind {
    Emacs,
    Basic,
    Extended,
}

/// Rewrites an emacs, POSIX basic or POSIX extended regular expression for the `regex` crate.
fn translate_regex(p: &str, kind: RegexKind) -> String {
    let emacs = kind != RegexKind::Extended;
    let basic = kind == RegexKind::Basic;
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&n) = chars.get(i) else {
                    out.push_str("\\\\");
                    break;
                };
                i += 1;
                match n {
                    '(' | ')' | '|' if emacs => out.push(n),
                    '{' | '}' | '+' | '?' if basic => out.push(n),
                    '{' | '}' if emacs => {
                        out.push('\\');
                        out.push(n);
                    }
                    'w' | 'W' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    '<' | '>' => out.push_str("\\b"),
                    '`' => out.push_str("\\A"),
                    '\'' => out.push_str("\\z"),
                    _ => out.push_str(&regex::escape(&n.to_string())),
                }
            }
            '(' | ')' | '|' | '{' | '}' if emacs => {
                out.push('\\');
                out.push(c);
            }
            '+' | '?' if basic => {
                out.push('\\');
                out.push(c);
            }
            '[' => {
                out.push('[');
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    let k = chars[i];
                    if k == '[' && matches!(chars.get(i + 1), Some(':') | Some('=') | Some('.')) {
                        // A named class: copy through its closing `:]`.
                        let close = chars.get(i + 1).copied().unwrap_or(':');
                        let mut j = i + 2;
                        while j + 1 < chars.len() && !(chars[j] == close && chars[j + 1] == ']') {
                            j += 1;
                        }
                        let end = (j + 2).min(chars.len());
                        out.extend(&chars[i..end]);
                        i = end;
                        continue;
                    }
                    match k {
                        '\\' | '[' | '&' | '~' => {
                            out.push('\\');
                            out.push(k);
                        }
                        _ => out.push(k),
                    }
                    i += 1;
                }
                if i < chars.len() {
                    out.push(']');
                    i += 1;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `-newerXY` for any two time letters.
fn is_newer_xy(s: &str) -> bool {
    s.len() == 8 && s.starts_with("-newer") && s[6..].bytes().all(|b| b"aBcmt".contains(&b))
}

fn parse_type(v: &str) -> Result<Vec<char>, ParseError> {
    if v.is_empty() {
        return Err(gnu("Arguments to -type should contain at least one letter"));
    }
    let mut out: Vec<char> = Vec::new();
    let chars: Vec<char> = v.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !"bcdpflsD".contains(c) {
            return Err(gnu(format!("Unknown argument to -type: {c}")));
        }
        if c == 'D' {
            return Err(gnu(
                "-type D is not supported because Solaris doors are not supported on the platform find was compiled on.",
            ));
        }
        if out.contains(&c) {
            return Err(gnu(format!(
                "Duplicate file type '{c}' in the argument list to -type."
            )));
        }
        out.push(c);
        match chars.get(i + 1) {
            None => break,
            Some(',') if i + 2 == chars.len() => {
                return Err(gnu(
                    "Last file type in list argument to -type is missing, i.e., list is ending on: ','",
                ));
            }
            Some(',') => i += 2,
            Some(_) => return Err(gnu("Must separate multiple arguments to -type using: ','")),
        }
    }
    Ok(out)
}

/// `[+-]N[bcwkMG]`, counted in units rounded up as GNU does.
fn parse_size(v: &str) -> Result<Leaf, ParseError> {
    let Some(last) = v.chars().last() else {
        return Err(gnu("invalid null argument to -size"));
    };
    let (body, unit) = match last {
        'b' => (&v[..v.len() - 1], 512),
        'c' => (&v[..v.len() - 1], 1),
        'w' => (&v[..v.len() - 1], 2),
        'k' => (&v[..v.len() - 1], 1024),
        'M' => (&v[..v.len() - 1], 1024 * 1024),
        'G' => (&v[..v.len() - 1], 1024 * 1024 * 1024),
        c if c.is_ascii_digit() => (v, 512),
        c => return Err(gnu(format!("invalid -size type `{c}'"))),
    };
    let (cmp, digits) = split_cmp(body);
    let count = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<u64>().ok()
    } else {
        None
    };
    let count = count.ok_or_else(|| gnu(format!("Invalid argument `{v}' to -size")))?;
    Ok(Leaf::Size { cmp, count, unit })
}

fn split_cmp(v: &str) -> (Cmp, &str) {
    match v.as_bytes().first() {
        Some(b'+') => (Cmp::Greater, &v[1..]),
        Some(b'-') => (Cmp::Less, &v[1..]),
        _ => (Cmp::Equal, v),
    }
}

/// `[+-]N` where N may have a fraction (`-mtime 1.5`).
fn parse_age(v: &str) -> Option<(Cmp, f64)> {
    let (cmp, num) = split_cmp(v);
    let ok = !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && num.bytes().filter(|&b| b == b'.').count() <= 1
        && num.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    num.parse::<f64>().ok().map(|n| (cmp, n))
}

/// Pass two: the operator tree, by precedence `,` < `-o` < `-a` (or juxtaposition) < `!`.
struct Builder {
    toks: Vec<Tok>,
    pos: usize,
}

impl Builder {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn top(&mut self) -> Result<Option<Expr>, ParseError> {
        if self.toks.is_empty() {
            return Ok(None);
        }
        let e = self.list()?;
        if self.peek().is_some() {
            return Err(gnu("you have too many ')'"));
        }
        Ok(Some(e))
    }

    /// An operator must be followed by an expression, and not by `)`.
    fn follow(&self, op: &str) -> Result<(), ParseError> {
        match self.peek() {
            None => Err(gnu(format!("expected an expression after '{op}'"))),
            Some(Tok::Close) => Err(gnu(format!(
                "expected an expression between '{op}' and ')'"
            ))),
            _ => Ok(()),
        }
    }

    fn list(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.or()?;
        while let Some(Tok::Comma) = self.peek() {
            self.pos += 1;
            self.follow(",")?;
            let right = self.or()?;
            left = Expr::Comma(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while let Some(Tok::Or(op)) = self.peek() {
            let op = op.clone();
            self.pos += 1;
            self.follow(&op)?;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                Some(Tok::And(op)) => {
                    let op = op.clone();
                    self.pos += 1;
                    self.follow(&op)?;
                }
                Some(Tok::Open) | Some(Tok::Not(_)) | Some(Tok::Leaf(_)) => {}
                _ => break,
            }
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if let Some(Tok::Not(op)) = self.peek() {
            let op = op.clone();
            self.pos += 1;
            self.follow(&op)?;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        match self.next() {
            Some(Tok::Leaf(l)) => Ok(Expr::Leaf(l)),
            Some(Tok::Open) => {
                match self.peek() {
                    None => {
                        return Err(gnu(
                            "invalid expression; expected to find a ')' but didn't see one. Perhaps you need an extra predicate after '('",
                        ));
                    }
                    Some(Tok::Close) => {
                        return Err(gnu(
                            "invalid expression; empty parentheses are not allowed.",
                        ));
                    }
                    _ => {}
                }
                let e = self.list()?;
                match self.next() {
                    Some(Tok::Close) => Ok(e),
                    _ => Err(gnu(
                        "invalid expression; I was expecting to find a ')' somewhere but did not see one.",
                    )),
                }
            }
            Some(Tok::And(op)) | Some(Tok::Or(op)) => Err(gnu(format!(
                "invalid expression; you have used a binary operator '{op}' with nothing before it."
            ))),
            Some(Tok::Comma) => Err(gnu(
                "invalid expression; you have used a binary operator ',' with nothing before it.",
            )),
            Some(Tok::Close) => Err(gnu("you have too many ')'")),
            // `follow` rules these out before we get here.
            Some(Tok::Not(op)) => Err(gnu(format!("expected an expression after '{op}'"))),
            None => Err(gnu("invalid expression")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(args: &[&str]) -> String {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&v) {
            Err(ParseError::Gnu(m)) => m,
            other => panic!("expected a GNU error, got {other:?}"),
        }
    }

    #[test]
    fn structural_errors_match_gnu() {
        // Recorded with GNU findutils 4.9.0 (`find . ARGS`).
        assert_eq!(
            err(&[".", "("]),
            "invalid expression; expected to find a ')' but didn't see one. Perhaps you need an extra predicate after '('"
        );
        assert_eq!(
            err(&[".", "(", "-name", "a"]),
            "invalid expression; I was expecting to find a ')' somewhere but did not see one."
        );
        assert_eq!(
            err(&[".", "-name", "a", "-o"]),
            "expected an expression after '-o'"
        );
        assert_eq!(err(&[".", "!"]), "expected an expression after '!'");
        assert_eq!(err(&[".", "-not"]), "expected an expression after '-not'");
        assert_eq!(
            err(&[".", "-a"]),
            "invalid expression; you have used a binary operator '-a' with nothing before it."
        );
        assert_eq!(
            err(&[".", "-and"]),
            "invalid expression; you have used a binary operator '-and' with nothing before it."
        );
        assert_eq!(
            err(&[".", "-name", "a", "-o", "-o"]),
            "invalid expression; you have used a binary operator '-o' with nothing before it."
        );
        assert_eq!(
            err(&[".", "!", "-o"]),
            "invalid expression; you have used a binary operator '-o' with nothing before it."
        );
        assert_eq!(
            err(&[".", "(", ")"]),
            "invalid expression; empty parentheses are not allowed."
        );
        assert_eq!(
            err(&[".", "!", ")"]),
            "expected an expression between '!' and ')'"
        );
        assert_eq!(
            err(&[".", "-name", "a", "-o", ")"]),
            "expected an expression between '-o' and ')'"
        );
        assert_eq!(err(&[".", "-print", ")"]), "you have too many ')'");
        assert_eq!(
            err(&[".", "-name", "a", ","]),
            "expected an expression after ','"
        );
        assert_eq!(err(&[".", "!", "!"]), "expected an expression after '!'");
    }

    #[test]
    fn predicate_errors_match_gnu() {
        assert_eq!(err(&[".", "-bogus"]), "unknown predicate `-bogus'");
        assert_eq!(err(&[".", "-name"]), "missing argument to `-name'");
        assert_eq!(err(&[".", "-o", "-name"]), "missing argument to `-name'");
        assert_eq!(err(&[".", "-type", "x"]), "Unknown argument to -type: x");
        assert_eq!(
            err(&[".", "-type", "f,"]),
            "Last file type in list argument to -type is missing, i.e., list is ending on: ','"
        );
        assert_eq!(
            err(&[".", "-type", "fd"]),
            "Must separate multiple arguments to -type using: ','"
        );
        assert_eq!(
            err(&[".", "-type", "f,f"]),
            "Duplicate file type 'f' in the argument list to -type."
        );
        assert_eq!(
            err(&[".", "-type", ""]),
            "Arguments to -type should contain at least one letter"
        );
        assert_eq!(
            err(&[".", "-maxdepth", "x"]),
            "Expected a positive decimal integer argument to -maxdepth, but got \u{2018}x\u{2019}"
        );
        assert_eq!(
            err(&[".", "-mindepth", "-1"]),
            "Expected a positive decimal integer argument to -mindepth, but got \u{2018}-1\u{2019}"
        );
        assert_eq!(err(&[".", "-size", "x"]), "invalid -size type `x'");
        assert_eq!(err(&[".", "-size", "+"]), "invalid -size type `+'");
        assert_eq!(err(&[".", "-size", "-k"]), "Invalid argument `-k' to -size");
        assert_eq!(
            err(&[".", "-size", "1.5k"]),
            "Invalid argument `1.5k' to -size"
        );
        assert_eq!(err(&[".", "-size", ""]), "invalid null argument to -size");
        assert_eq!(
            err(&[".", "-mtime", "x"]),
            "invalid argument `x' to `-mtime'"
        );
        assert_eq!(err(&[".", "-mtime", ""]), "invalid argument `' to `-mtime'");
        assert_eq!(err(&[".", "-exec"]), "missing argument to `-exec'");
        assert_eq!(err(&[".", "-exec", "echo"]), "missing argument to `-exec'");
        assert_eq!(err(&[".", "-exec", ";"]), "missing argument to `-exec'");
        assert_eq!(
            err(&[".", "-exec", "echo", "{}", "x", "+"]),
            "missing argument to `-exec'"
        );
        assert_eq!(
            err(&[".", "-exec", "echo", "{}", "{}", "+"]),
            "Only one instance of {} is supported with -exec ... +"
        );
        assert_eq!(
            err(&[".", "-exec", "echo", "a{}b", "+"]),
            "In \u{2018}-exec ... {} +\u{2019} the \u{2018}{}\u{2019} must appear by itself, but you specified \u{2018}a{}b\u{2019}"
        );
        assert_eq!(
            err(&[".", "-name", "sub", "-prune", "-delete"]),
            "The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option."
        );
    }

    #[test]
    fn paths_then_expression() {
        let v: Vec<String> = ["a", ")", ",", "-name", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = parse(&v).unwrap();
        assert_eq!(parsed.paths, vec!["a", ")", ","]);
        let v: Vec<String> = [".", "-name", "a", "bogus"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse(&v).unwrap_err(),
            ParseError::NotPath {
                arg: "bogus".into(),
                after: Some("-name".into())
            }
        );
        let v: Vec<String> = [".", "-inum", "644"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse(&v).unwrap_err(),
            ParseError::Unsupported("-inum".into())
        );
    }
}
