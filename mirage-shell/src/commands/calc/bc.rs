//! `bc`: the arbitrary-precision calculator language, for the uses agents have for it:
//! expressions with `scale`, variables, comparisons, `if`/`while`/`for`, `print`, `quit`,
//! `sqrt`, `length`, `scale()`, `ibase` (2..16) and `obase` (bc's multi-digit groups above 16),
//! and `-l` (scale 20, with `s c a l e`; `s`/`c` below scale 10 and `j` are refused). User
//! functions and arrays are refused loudly.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};
use tokio::io::AsyncReadExt;

use super::number::Num;
use crate::commands::common::{open_operand, report, take_stdin};

pub struct Bc;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(String),
    Name(String),
    Str(String),
    Op(&'static str),
    Newline,
}

const OPS: &[&str] = &[
    "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "+", "-",
    "*", "/", "%", "^", "=", "<", ">", "!", "(", ")", "{", "}", ";", ",", "[", "]",
];

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(Tok::Newline);
            i += 1;
        } else if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c.is_ascii_digit() || c == '.' || c.is_ascii_uppercase() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i].is_ascii_uppercase())
            {
                i += 1;
            }
            out.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c.is_ascii_lowercase() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_lowercase() || chars[i].is_ascii_digit() || chars[i] == '_')
            {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else if c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            out.push(Tok::Str(chars[start..i.min(chars.len())].iter().collect()));
            i += 1;
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            match OPS.iter().find(|op| rest.starts_with(**op)) {
                Some(op) => {
                    out.push(Tok::Op(op));
                    i += op.len();
                }
                None => return Err(format!("illegal character: {c}")),
            }
        }
    }
    Ok(out)
}

#[derive(Clone, Debug)]
enum Expr {
    Num(String),
    Var(String),
    Assign(String, Option<&'static str>, Box<Expr>),
    IncDec {
        name: String,
        delta: i64,
        prefix: bool,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Result<Expr, String>>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    Block(Vec<Stmt>),
    Str(String),
    Break,
    Continue,
    Quit,
    Empty,
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

type PResult<T> = Result<T, String>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, op: &str) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err("syntax error".to_string())
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) || self.is_op(";") {
            self.pos += 1;
        }
    }

    fn program(&mut self) -> PResult<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek().is_none() {
                return Ok(out);
            }
            out.push(self.statement()?);
            match self.peek() {
                None | Some(Tok::Newline) | Some(Tok::Op(";")) => {}
                Some(Tok::Op("}")) => return Err("syntax error".to_string()),
                _ => return Err("syntax error".to_string()),
            }
        }
    }

    fn statement(&mut self) -> PResult<Stmt> {
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(Stmt::Str(s))
            }
            Some(Tok::Op("{")) => {
                self.pos += 1;
                let mut body = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.eat_op("}") {
                        return Ok(Stmt::Block(body));
                    }
                    if self.peek().is_none() {
                        return Err("syntax error".to_string());
                    }
                    body.push(self.statement()?);
                }
            }
            Some(Tok::Name(n)) => match n.as_str() {
                "if" => {
                    self.pos += 1;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.skip_only_newlines();
                    let then = self.statement()?;
                    let save = self.pos;
                    self.skip_newlines();
                    if matches!(self.peek(), Some(Tok::Name(e)) if e == "else") {
                        self.pos += 1;
                        self.skip_only_newlines();
                        let other = self.statement()?;
                        return Ok(Stmt::If(c, Box::new(then), Some(Box::new(other))));
                    }
                    self.pos = save;
                    Ok(Stmt::If(c, Box::new(then), None))
                }
                "while" => {
                    self.pos += 1;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.skip_only_newlines();
                    Ok(Stmt::While(c, Box::new(self.statement()?)))
                }
                "for" => {
                    self.pos += 1;
                    self.expect("(")?;
                    let a = if self.is_op(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(";")?;
                    let b = if self.is_op(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(";")?;
                    let c = if self.is_op(")") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(")")?;
                    self.skip_only_newlines();
                    Ok(Stmt::For(a, b, c, Box::new(self.statement()?)))
                }
                "print" => {
                    self.pos += 1;
                    let mut items = Vec::new();
                    loop {
                        match self.peek().cloned() {
                            Some(Tok::Str(s)) => {
                                self.pos += 1;
                                items.push(Err(s));
                            }
                            _ => items.push(Ok(self.expr()?)),
                        }
                        if !self.eat_op(",") {
                            break;
                        }
                    }
                    Ok(Stmt::Print(items))
                }
                "break" => {
                    self.pos += 1;
                    Ok(Stmt::Break)
                }
                "continue" => {
                    self.pos += 1;
                    Ok(Stmt::Continue)
                }
                "quit" => {
                    self.pos += 1;
                    Ok(Stmt::Quit)
                }
                "halt" | "define" | "auto" | "return" | "limits" | "warranty" | "read" => {
                    Err(format!("unsupported:{n}"))
                }
                _ => Ok(Stmt::Expr(self.expr()?)),
            },
            Some(Tok::Newline) | None => Ok(Stmt::Empty),
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn skip_only_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn expr(&mut self) -> PResult<Expr> {
        // Assignment is right-associative and binds loosest.
        if let (Some(Tok::Name(n)), Some(Tok::Op(op))) = (
            self.toks.get(self.pos).cloned(),
            self.toks.get(self.pos + 1).cloned(),
        ) {
            let compound = match op {
                "=" => Some(None),
                "+=" => Some(Some("+")),
                "-=" => Some(Some("-")),
                "*=" => Some(Some("*")),
                "/=" => Some(Some("/")),
                "%=" => Some(Some("%")),
                "^=" => Some(Some("^")),
                _ => None,
            };
            if let Some(kind) = compound {
                self.pos += 2;
                let rhs = self.expr()?;
                return Ok(Expr::Assign(n, kind, Box::new(rhs)));
            }
        }
        self.or()
    }
    fn or(&mut self) -> PResult<Expr> {
        let mut l = self.and()?;
        while self.eat_op("||") {
            l = Expr::Bin("||", Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> PResult<Expr> {
        let mut l = self.not()?;
        while self.eat_op("&&") {
            l = Expr::Bin("&&", Box::new(l), Box::new(self.not()?));
        }
        Ok(l)
    }
    fn not(&mut self) -> PResult<Expr> {
        if self.eat_op("!") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.rel()
    }
    fn rel(&mut self) -> PResult<Expr> {
        let l = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat_op(op) {
                return Ok(Expr::Bin(op_static(op), Box::new(l), Box::new(self.add()?)));
            }
        }
        Ok(l)
    }
    fn add(&mut self) -> PResult<Expr> {
        let mut l = self.mul()?;
        loop {
            if self.eat_op("+") {
                l = Expr::Bin("+", Box::new(l), Box::new(self.mul()?));
            } else if self.eat_op("-") {
                l = Expr::Bin("-", Box::new(l), Box::new(self.mul()?));
            } else {
                return Ok(l);
            }
        }
    }
    fn mul(&mut self) -> PResult<Expr> {
        let mut l = self.pow()?;
        loop {
            let op = if self.eat_op("*") {
                "*"
            } else if self.eat_op("/") {
                "/"
            } else if self.eat_op("%") {
                "%"
            } else {
                return Ok(l);
            };
            l = Expr::Bin(op, Box::new(l), Box::new(self.pow()?));
        }
    }
    fn pow(&mut self) -> PResult<Expr> {
        let base = self.unary()?;
        if self.eat_op("^") {
            return Ok(Expr::Bin("^", Box::new(base), Box::new(self.pow()?)));
        }
        Ok(base)
    }
    fn unary(&mut self) -> PResult<Expr> {
        if self.eat_op("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.is_op("++") || self.is_op("--") {
            let delta = if self.eat_op("++") {
                1
            } else {
                self.pos += 1;
                -1
            };
            return match self.peek().cloned() {
                Some(Tok::Name(n)) => {
                    self.pos += 1;
                    Ok(Expr::IncDec {
                        name: n,
                        delta,
                        prefix: true,
                    })
                }
                _ => Err("syntax error".to_string()),
            };
        }
        self.postfix()
    }
    fn postfix(&mut self) -> PResult<Expr> {
        let e = self.primary()?;
        if let Expr::Var(n) = &e {
            if self.eat_op("++") {
                return Ok(Expr::IncDec {
                    name: n.clone(),
                    delta: 1,
                    prefix: false,
                });
            }
            if self.eat_op("--") {
                return Ok(Expr::IncDec {
                    name: n.clone(),
                    delta: -1,
                    prefix: false,
                });
            }
        }
        Ok(e)
    }
    fn primary(&mut self) -> PResult<Expr> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                if self.eat_op("(") {
                    let mut args = Vec::new();
                    if !self.eat_op(")") {
                        loop {
                            args.push(self.expr()?);
                            if self.eat_op(")") {
                                break;
                            }
                            self.expect(",")?;
                        }
                    }
                    return Ok(Expr::Call(n, args));
                }
                if self.is_op("[") {
                    return Err("unsupported:arrays".to_string());
                }
                Ok(Expr::Var(n))
            }
            _ => Err("syntax error".to_string()),
        }
    }
}

fn op_static(op: &str) -> &'static str {
    OPS.iter().find(|o| **o == op).copied().unwrap_or("+")
}

/// Why evaluation stopped.
enum Stop {
    Break,
    Continue,
    Quit,
    /// bc prints runtime errors and goes on with the next statement.
    Runtime(String),
    Unsupported(String),
}

struct Machine {
    vars: std::collections::HashMap<String, Num>,
    scale: u32,
    ibase: u32,
    obase: u32,
    /// `-l`: the library functions are defined.
    mathlib: bool,
    out: String,
}

impl Machine {
    fn var(&self, n: &str) -> Num {
        if n == "scale" {
            return Num::from_i64(i64::from(self.scale));
        }
        if n == "ibase" {
            return Num::from_i64(i64::from(self.ibase));
        }
        if n == "obase" {
            return Num::from_i64(i64::from(self.obase));
        }
        self.vars.get(n).cloned().unwrap_or_else(Num::zero)
    }

    fn set(&mut self, n: &str, v: Num) -> Result<(), Stop> {
        match n {
            "scale" => {
                use num_traits::ToPrimitive;
                self.scale = v
                    .rescale(0)
                    .digits
                    .to_u32()
                    .filter(|s| *s <= 1000)
                    .ok_or_else(|| Stop::Runtime("Scale too big".into()))?;
            }
            "ibase" | "obase" => {
                use num_traits::ToPrimitive;
                // bc warns and clamps bases out of range (to 2, and ibase to 16).
                use num_traits::Signed;
                let max = if n == "ibase" { 16 } else { 1_000_000 };
                let b = if v.digits.is_negative() {
                    2
                } else {
                    v.rescale(0)
                        .digits
                        .to_u32()
                        .unwrap_or(u32::MAX)
                        .clamp(2, max)
                };
                if n == "obase" && v.rescale(0).digits > num_bigint::BigInt::from(max) {
                    return Err(Stop::Unsupported(format!("obase above {max}")));
                }
                if n == "ibase" {
                    self.ibase = b;
                } else {
                    self.obase = b;
                }
            }
            _ => {
                self.vars.insert(n.to_string(), v);
            }
        }
        Ok(())
    }

    fn eval(&mut self, e: &Expr) -> Result<Num, Stop> {
        Ok(match e {
            Expr::Num(t) => {
                Num::parse_base(t, self.ibase).ok_or_else(|| Stop::Runtime("bad number".into()))?
            }
            Expr::Var(n) => self.var(n),
            Expr::Assign(n, op, rhs) => {
                let r = self.eval(rhs)?;
                let v = match op {
                    None => r,
                    Some(op) => self.binary(op, &self.var(n), &r)?,
                };
                self.set(n, v.clone())?;
                v
            }
            Expr::IncDec {
                name,
                delta,
                prefix,
            } => {
                let old = self.var(name);
                let new = old.add(&Num::from_i64(*delta));
                self.set(name, new.clone())?;
                if *prefix { new } else { old }
            }
            Expr::Neg(x) => self.eval(x)?.neg(),
            Expr::Not(x) => Num::from_i64(self.eval(x)?.is_zero() as i64),
            Expr::Bin("&&", l, r) => {
                Num::from_i64((!self.eval(l)?.is_zero() && !self.eval(r)?.is_zero()) as i64)
            }
            Expr::Bin("||", l, r) => {
                Num::from_i64((!self.eval(l)?.is_zero() || !self.eval(r)?.is_zero()) as i64)
            }
            Expr::Bin(op, l, r) => {
                let a = self.eval(l)?;
                let b = self.eval(r)?;
                self.binary(op, &a, &b)?
            }
            Expr::Call(f, args) => {
                let vals: Vec<Num> = args
                    .iter()
                    .map(|a| self.eval(a))
                    .collect::<Result<_, _>>()?;
                match (f.as_str(), vals.as_slice()) {
                    ("sqrt", [x]) => x
                        .sqrt(self.scale)
                        .ok_or_else(|| Stop::Runtime("Square root of a negative number".into()))?,
                    ("length", [x]) => {
                        let digits = x.digits.magnitude().to_string();
                        let n = if x.is_zero() {
                            x.scale.max(1) as usize
                        } else {
                            digits.len().max(x.scale as usize)
                        };
                        Num::from_i64(n as i64)
                    }
                    ("scale", [x]) => Num::from_i64(i64::from(x.scale)),
                    ("s" | "c" | "a" | "l" | "e", [x]) if self.mathlib => {
                        super::mathlib::call(f, x, self.scale).ok_or_else(|| {
                            Stop::Unsupported(format!("{f}() at this scale or size"))
                        })?
                    }
                    _ => return Err(Stop::Unsupported(format!("function {f}()"))),
                }
            }
        })
    }

    fn binary(&self, op: &str, a: &Num, b: &Num) -> Result<Num, Stop> {
        use std::cmp::Ordering::*;
        let bool_num = |x: bool| Num::from_i64(x as i64);
        Ok(match op {
            "+" => a.add(b),
            "-" => a.sub(b),
            "*" => a.mul(b, self.scale),
            "/" => a
                .div(b, self.scale)
                .ok_or_else(|| Stop::Runtime("Divide by zero".into()))?,
            "%" => a
                .rem(b, self.scale)
                .ok_or_else(|| Stop::Runtime("Modulo by zero".into()))?,
            "^" => {
                if !b.is_integer_exponent() {
                    return Err(Stop::Unsupported("non-integer exponent".into()));
                }
                a.pow(b, self.scale)
                    .ok_or_else(|| Stop::Runtime("exponent too large".into()))?
            }
            "==" => bool_num(a.cmp(b) == Equal),
            "!=" => bool_num(a.cmp(b) != Equal),
            "<" => bool_num(a.cmp(b) == Less),
            "<=" => bool_num(a.cmp(b) != Greater),
            ">" => bool_num(a.cmp(b) == Greater),
            ">=" => bool_num(a.cmp(b) != Less),
            _ => return Err(Stop::Runtime(format!("unknown operator {op}"))),
        })
    }

    fn run(&mut self, s: &Stmt) -> Result<(), Stop> {
        match s {
            Stmt::Expr(e) => {
                let v = self.eval(e)?;
                // Assignments are not printed; everything else is.
                if !matches!(e, Expr::Assign(..)) {
                    self.out.push_str(&v.render_base(self.obase));
                    self.out.push('\n');
                }
            }
            // A bare string is printed as written; only `print` decodes escapes.
            Stmt::Str(t) => self.out.push_str(t),
            Stmt::Print(items) => {
                for it in items {
                    match it {
                        Ok(e) => {
                            let v = self.eval(e)?;
                            self.out.push_str(&v.render_base(self.obase));
                        }
                        Err(t) => self.out.push_str(&unescape(t)),
                    }
                }
            }
            Stmt::If(c, t, o) => {
                if !self.eval(c)?.is_zero() {
                    self.run(t)?;
                } else if let Some(o) = o {
                    self.run(o)?;
                }
            }
            Stmt::While(c, body) => {
                while !self.eval(c)?.is_zero() {
                    match self.run(body) {
                        Err(Stop::Break) => break,
                        Err(Stop::Continue) | Ok(()) => {}
                        Err(other) => return Err(other),
                    }
                }
            }
            Stmt::For(a, c, step, body) => {
                if let Some(a) = a {
                    self.eval(a)?;
                }
                loop {
                    if let Some(c) = c
                        && self.eval(c)?.is_zero()
                    {
                        break;
                    }
                    match self.run(body) {
                        Err(Stop::Break) => break,
                        Err(Stop::Continue) | Ok(()) => {}
                        Err(other) => return Err(other),
                    }
                    if let Some(s) = step {
                        self.eval(s)?;
                    }
                }
            }
            Stmt::Block(b) => {
                for s in b {
                    self.run(s)?;
                }
            }
            Stmt::Break => return Err(Stop::Break),
            Stmt::Continue => return Err(Stop::Continue),
            Stmt::Quit => return Err(Stop::Quit),
            Stmt::Empty => {}
        }
        Ok(())
    }
}

fn unescape(t: &str) -> String {
    let mut out = String::new();
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('"') => out.push('"'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[async_trait]
impl Command for Bc {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut scale = 0;
        let mut mathlib = false;
        let mut files = Vec::new();
        for a in &args {
            match a.as_str() {
                "-l" | "--mathlib" => {
                    scale = 20;
                    mathlib = true;
                }
                "-q" | "--quiet" | "-s" | "--standard" | "-w" | "--warn" => {}
                s if s.starts_with('-') && s.len() > 1 => {
                    return crate::commands::common::unsupported(ctx, s).await;
                }
                _ => files.push(a.clone()),
            }
        }
        let mut source = String::new();
        for f in &files {
            match open_operand(ctx, f).await {
                Ok(mut r) => {
                    let mut buf = Vec::new();
                    r.read_to_end(&mut buf).await?;
                    source.push_str(&String::from_utf8_lossy(&buf));
                    source.push('\n');
                }
                Err(e) => {
                    report(ctx, f, &e).await?;
                    return Ok(1);
                }
            }
        }
        let mut stdin = take_stdin(ctx);
        let mut buf = Vec::new();
        stdin.read_to_end(&mut buf).await?;
        source.push_str(&String::from_utf8_lossy(&buf));
        let mut machine = Machine {
            vars: Default::default(),
            mathlib,
            ibase: 10,
            obase: 10,
            scale,
            out: String::new(),
        };
        // bc reads statement by statement and reports an error for the line it is on; we parse
        // line groups so one bad line does not hide the others' results.
        let toks = match lex(&source) {
            Ok(t) => t,
            Err(e) => {
                ctx.stderr
                    .write_str(&format!("(standard_in) 1: {e}\n"))
                    .await?;
                return Ok(1);
            }
        };
        // bc acts on `quit` when it reads it: nothing from that line on runs, even statements
        // before it on the same line.
        let toks = match toks
            .iter()
            .position(|t| *t == Tok::Name("quit".to_string()))
        {
            Some(q) => {
                let line_start = toks[..q]
                    .iter()
                    .rposition(|t| *t == Tok::Newline)
                    .map_or(0, |i| i + 1);
                toks[..line_start].to_vec()
            }
            None => toks,
        };
        let mut parser = Parser { toks, pos: 0 };
        let program = match parser.program() {
            Ok(p) => p,
            Err(e) => {
                // bc names the line it was reading when the error surfaced, counting the newline
                // that ended the bad statement.
                let upto = (parser.pos + 1).min(parser.toks.len());
                let line = parser.toks[..upto]
                    .iter()
                    .filter(|t| **t == Tok::Newline)
                    .count()
                    + 1;
                if let Some(what) = e.strip_prefix("unsupported:") {
                    ctx.stderr
                        .write_str(&format!("mirage: bc: {what} is not supported\n"))
                        .await?;
                    return Ok(2);
                }
                ctx.stderr
                    .write_str(&format!("(standard_in) {line}: syntax error\n"))
                    .await?;
                // bc reports syntax errors but still exits 0.
                return Ok(0);
            }
        };
        for s in &program {
            match machine.run(s) {
                Ok(()) => {}
                Err(Stop::Quit) => break,
                Err(Stop::Break) | Err(Stop::Continue) => {}
                Err(Stop::Runtime(msg)) => {
                    ctx.stdout
                        .write_str(&std::mem::take(&mut machine.out))
                        .await?;
                    ctx.stdout.flush().await?;
                    ctx.stderr
                        .write_str(&format!("Runtime error (func=(main), adr=0): {msg}\n"))
                        .await?;
                }
                Err(Stop::Unsupported(what)) => {
                    ctx.stdout
                        .write_str(&std::mem::take(&mut machine.out))
                        .await?;
                    ctx.stderr
                        .write_str(&format!("mirage: bc: {what} is not supported\n"))
                        .await?;
                    return Ok(2);
                }
            }
            ctx.stdout
                .write_str(&std::mem::take(&mut machine.out))
                .await?;
        }
        Ok(0)
    }
}
