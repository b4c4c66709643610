//! Recursive-descent parser producing the program AST. Precedence follows the POSIX awk grammar
//! (lowest first): assignment, `?:`, `||`, `&&`, `in`, `~ !~`, relational, concatenation,
//! additive, multiplicative, unary, `^`, increment, `$`, grouping. Inside an unparenthesized
//! `print` list `>` is a redirection, not a comparison.

use std::collections::HashMap;

use super::globals::GlobalNames;
use super::lexer::{Tok, Token};

#[derive(Debug, Clone)]
pub enum Var {
    /// A global, with the number the parser gave its name (see `globals`).
    Global {
        name: String,
        id: usize,
    },
    Local(usize),
}

#[derive(Debug, Clone)]
pub enum LValue {
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone)]
pub enum GetSrc {
    Main,
    File(Box<Expr>),
    /// `cmd | getline`: a line of the command's output (run through Mirage's shell).
    Cmd(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// A bare `/re/`: matches against `$0`.
    Regex(String),
    LV(LValue),
    Assign(Option<BinOp>, Box<LValue>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Var),
    /// `++x` / `x--` etc: (is_prefix, delta, target).
    Incr(bool, f64, Box<LValue>),
    Call(String, Vec<Expr>),
    Builtin(String, Vec<Expr>),
    Getline(Option<Box<LValue>>, GetSrc),
    /// `(a, b)`: only meaningful as a `print` list or before `in`.
    Grouping(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Redir {
    Truncate,
    Append,
    Pipe,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(Var, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Var, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    All,
    Expr(Expr),
    /// A range pattern; the index selects its on/off flag.
    Range(Expr, Expr, usize),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    /// `None` means the default action `{ print }`.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug, Clone)]
pub struct Func {
    pub params: Vec<String>,
    /// Parameters the body uses as arrays (callers pass those by reference even if unset).
    pub array_params: Vec<bool>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Vec<Stmt>>,
    pub end: Vec<Vec<Stmt>>,
    pub rules: Vec<Rule>,
    pub funcs: HashMap<String, Func>,
    pub ranges: usize,
    /// The numbers given to the global names the program mentions.
    pub globals: GlobalNames,
}

/// A syntax error: line number, caret column and message.
pub type PErr = (usize, usize, String);

pub struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// Parameter names of the function being parsed.
    locals: Vec<String>,
    array_locals: Vec<bool>,
    no_gt: bool,
    no_in: bool,
    globals: GlobalNames,
}

pub fn parse(toks: Vec<Token>) -> Result<Program, PErr> {
    let mut p = Parser {
        toks,
        pos: 0,
        locals: Vec::new(),
        array_locals: Vec::new(),
        no_gt: false,
        no_in: false,
        globals: GlobalNames::default(),
    };
    let mut prog = p.program()?;
    prog.globals = p.globals;
    Ok(prog)
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].tok
    }
    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }
    fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn is_p(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::P(x) if *x == p)
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Tok::Kw(x) if *x == k)
    }
    fn eat_p(&mut self, p: &str) -> bool {
        if self.is_p(p) {
            self.advance();
            true
        } else {
            false
        }
    }
    /// A syntax error at the current token, placed and worded as gawk does: an unexpected
    /// end of line/program points just past the previous token, anything else at the last
    /// character of the offending token.
    fn err<T>(&self, _msg: &str) -> Result<T, PErr> {
        let cur = &self.toks[self.pos.min(self.toks.len() - 1)];
        if matches!(cur.tok, Tok::Eof | Tok::Newline) {
            let prev = self.pos.checked_sub(1).and_then(|p| self.toks.get(p));
            let (line, col) = match prev {
                Some(t) => (t.line, t.end_col),
                None => (cur.line, 0),
            };
            return Err((line, col, "unexpected newline or end of string".into()));
        }
        Err((
            cur.line,
            cur.end_col.saturating_sub(1),
            "syntax error".into(),
        ))
    }
    fn expect_p(&mut self, p: &str) -> Result<(), PErr> {
        if self.eat_p(p) {
            Ok(())
        } else {
            self.err(&format!(", expecting `{p}'"))
        }
    }
    fn opt_nl(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.advance();
        }
    }
    fn skip_terms(&mut self) {
        while matches!(self.peek(), Tok::Newline) || self.is_p(";") {
            self.advance();
        }
    }

    fn program(&mut self) -> Result<Program, PErr> {
        let mut prog = Program::default();
        loop {
            self.skip_terms();
            match self.peek().clone() {
                Tok::Eof => break,
                Tok::Kw("BEGIN") => {
                    self.advance();
                    self.opt_nl();
                    let b = self.block()?;
                    prog.begin.push(b);
                }
                Tok::Kw("END") => {
                    self.advance();
                    self.opt_nl();
                    let b = self.block()?;
                    prog.end.push(b);
                }
                Tok::Kw("function") => {
                    self.advance();
                    let name = match self.advance() {
                        Tok::Name(n) | Tok::FuncName(n) => n,
                        _ => return self.err(", expecting function name"),
                    };
                    self.expect_p("(")?;
                    let mut params = Vec::new();
                    while let Tok::Name(n) = self.peek().clone() {
                        self.advance();
                        params.push(n);
                        if !self.eat_p(",") {
                            break;
                        }
                        self.opt_nl();
                    }
                    self.expect_p(")")?;
                    self.opt_nl();
                    self.array_locals = vec![false; params.len()];
                    self.locals = params;
                    let body = self.block()?;
                    let params = std::mem::take(&mut self.locals);
                    let array_params = std::mem::take(&mut self.array_locals);
                    prog.funcs.insert(
                        name,
                        Func {
                            params,
                            array_params,
                            body,
                        },
                    );
                }
                Tok::P("{") => {
                    let b = self.block()?;
                    prog.rules.push(Rule {
                        pattern: Pattern::All,
                        action: Some(b),
                    });
                }
                _ => {
                    let e = self.expr()?;
                    let pattern = if self.eat_p(",") {
                        self.opt_nl();
                        let e2 = self.expr()?;
                        prog.ranges += 1;
                        Pattern::Range(e, e2, prog.ranges - 1)
                    } else {
                        Pattern::Expr(e)
                    };
                    let action = if self.is_p("{") {
                        Some(self.block()?)
                    } else {
                        None
                    };
                    prog.rules.push(Rule { pattern, action });
                }
            }
        }
        Ok(prog)
    }

    fn block(&mut self) -> Result<Vec<Stmt>, PErr> {
        self.expect_p("{")?;
        let mut out = Vec::new();
        loop {
            self.skip_terms();
            if self.eat_p("}") {
                return Ok(out);
            }
            if matches!(self.peek(), Tok::Eof) {
                return self.err("");
            }
            out.push(self.stmt()?);
        }
    }

    /// Ends a simple statement: `;`, newline, or before `}`.
    fn end_simple(&mut self) -> Result<(), PErr> {
        if self.is_p(";") || matches!(self.peek(), Tok::Newline) {
            self.advance();
            Ok(())
        } else if self.is_p("}") || matches!(self.peek(), Tok::Eof) {
            Ok(())
        } else {
            self.err("")
        }
    }

    fn stmt(&mut self) -> Result<Stmt, PErr> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.stmt_inner())
    }

    fn stmt_inner(&mut self) -> Result<Stmt, PErr> {
        match self.peek().clone() {
            Tok::P("{") => Ok(Stmt::Block(self.block()?)),
            Tok::P(";") => {
                self.advance();
                Ok(Stmt::Block(Vec::new()))
            }
            Tok::Kw("if") => {
                self.advance();
                self.expect_p("(")?;
                let c = self.expr()?;
                self.expect_p(")")?;
                self.opt_nl();
                let then = self.stmt()?;
                let save = self.pos;
                self.skip_terms();
                if self.is_kw("else") {
                    self.advance();
                    self.opt_nl();
                    let e = self.stmt()?;
                    Ok(Stmt::If(c, Box::new(then), Some(Box::new(e))))
                } else {
                    self.pos = save;
                    Ok(Stmt::If(c, Box::new(then), None))
                }
            }
            Tok::Kw("while") => {
                self.advance();
                self.expect_p("(")?;
                let c = self.expr()?;
                self.expect_p(")")?;
                if self.is_p(";") {
                    self.advance();
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                self.opt_nl();
                let body = self.stmt()?;
                Ok(Stmt::While(c, Box::new(body)))
            }
            Tok::Kw("do") => {
                self.advance();
                self.opt_nl();
                let body = self.stmt()?;
                self.skip_terms();
                if !self.is_kw("while") {
                    return self.err(", expecting `while'");
                }
                self.advance();
                self.expect_p("(")?;
                let c = self.expr()?;
                self.expect_p(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(body), c))
            }
            Tok::Kw("for") => self.for_stmt(),
            _ => {
                let s = self.simple_stmt()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    fn for_stmt(&mut self) -> Result<Stmt, PErr> {
        self.advance();
        self.expect_p("(")?;
        if let (Tok::Name(k), Tok::Kw("in"), Tok::Name(a), Tok::P(")")) = (
            self.peek().clone(),
            self.peek_at(1).clone(),
            self.peek_at(2).clone(),
            self.peek_at(3).clone(),
        ) {
            self.pos += 4;
            let kv = self.var(&k);
            let av = self.array_var(&a);
            self.opt_nl();
            let body = self.stmt()?;
            return Ok(Stmt::ForIn(kv, av, Box::new(body)));
        }
        let init = if self.is_p(";") {
            None
        } else {
            Some(Box::new(self.simple_stmt()?))
        };
        self.expect_p(";")?;
        self.opt_nl();
        let cond = if self.is_p(";") {
            None
        } else {
            Some(self.expr()?)
        };
        self.expect_p(";")?;
        self.opt_nl();
        let step = if self.is_p(")") {
            None
        } else {
            Some(Box::new(self.simple_stmt()?))
        };
        self.expect_p(")")?;
        if self.is_p(";") {
            self.advance();
            return Ok(Stmt::For(
                init,
                cond,
                step,
                Box::new(Stmt::Block(Vec::new())),
            ));
        }
        self.opt_nl();
        let body = self.stmt()?;
        Ok(Stmt::For(init, cond, step, Box::new(body)))
    }

    fn simple_stmt(&mut self) -> Result<Stmt, PErr> {
        match self.peek().clone() {
            Tok::Kw("print") | Tok::Kw("printf") => {
                let is_printf = self.is_kw("printf");
                self.advance();
                let mut args = Vec::new();
                let old = self.no_gt;
                self.no_gt = true;
                if !self.at_stmt_end() && !self.is_p(">") && !self.is_p(">>") && !self.is_p("|") {
                    args.push(self.expr()?);
                    while self.eat_p(",") {
                        self.opt_nl();
                        args.push(self.expr()?);
                    }
                }
                self.no_gt = old;
                if args.len() == 1
                    && let Some(Expr::Grouping(list)) = args.first()
                {
                    args = list.clone();
                }
                let redir = if self.eat_p(">") {
                    Some((Redir::Truncate, self.redir_target()?))
                } else if self.eat_p(">>") {
                    Some((Redir::Append, self.redir_target()?))
                } else if self.eat_p("|") {
                    Some((Redir::Pipe, self.redir_target()?))
                } else {
                    None
                };
                if is_printf {
                    if args.is_empty() {
                        return self.err("");
                    }
                    Ok(Stmt::Printf(args, redir))
                } else {
                    Ok(Stmt::Print(args, redir))
                }
            }
            Tok::Kw("next") => {
                self.advance();
                Ok(Stmt::Next)
            }
            Tok::Kw("nextfile") => {
                self.advance();
                Ok(Stmt::NextFile)
            }
            Tok::Kw("break") => {
                self.advance();
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.advance();
                Ok(Stmt::Continue)
            }
            Tok::Kw("exit") => {
                self.advance();
                let e = if self.at_stmt_end() {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(Stmt::Exit(e))
            }
            Tok::Kw("return") => {
                self.advance();
                let e = if self.at_stmt_end() {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(Stmt::Return(e))
            }
            Tok::Kw("delete") => {
                self.advance();
                let Tok::Name(n) = self.advance() else {
                    return self.err(", expecting array name");
                };
                let v = self.array_var(&n);
                if self.eat_p("[") {
                    let subs = self.expr_list("]")?;
                    Ok(Stmt::Delete(v, Some(subs)))
                } else {
                    Ok(Stmt::Delete(v, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn at_stmt_end(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::Eof) || self.is_p(";") || self.is_p("}")
    }

    fn redir_target(&mut self) -> Result<Expr, PErr> {
        let old = self.no_gt;
        self.no_gt = true;
        let e = self.concat();
        self.no_gt = old;
        e
    }

    fn var(&mut self, name: &str) -> Var {
        match self.locals.iter().position(|l| l == name) {
            Some(i) => Var::Local(i),
            None => Var::Global {
                name: name.to_string(),
                id: self.globals.intern(name),
            },
        }
    }

    /// A variable used as an array (records it for by-reference parameter passing).
    fn array_var(&mut self, name: &str) -> Var {
        let v = self.var(name);
        if let Var::Local(i) = v
            && let Some(slot) = self.array_locals.get_mut(i)
        {
            *slot = true;
        }
        v
    }

    fn expr_list(&mut self, close: &str) -> Result<Vec<Expr>, PErr> {
        let (og, oi) = (self.no_gt, self.no_in);
        self.no_gt = false;
        self.no_in = false;
        let mut out = Vec::new();
        self.opt_nl();
        if !self.is_p(close) {
            loop {
                out.push(self.expr()?);
                self.opt_nl();
                if !self.eat_p(",") {
                    break;
                }
                self.opt_nl();
            }
        }
        self.no_gt = og;
        self.no_in = oi;
        self.expect_p(close)?;
        Ok(out)
    }

    /// Deeply nested programs recurse deeply here; grow the stack rather than overflow it.
    pub fn expr(&mut self) -> Result<Expr, PErr> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner())
    }

    fn expr_inner(&mut self) -> Result<Expr, PErr> {
        let lhs = self.ternary()?;
        let op = match self.peek() {
            Tok::P("=") => None,
            Tok::P("+=") => Some(BinOp::Add),
            Tok::P("-=") => Some(BinOp::Sub),
            Tok::P("*=") => Some(BinOp::Mul),
            Tok::P("/=") => Some(BinOp::Div),
            Tok::P("%=") => Some(BinOp::Mod),
            Tok::P("^=") | Tok::P("**=") => Some(BinOp::Pow),
            _ => return Ok(lhs),
        };
        let Expr::LV(lv) = lhs else {
            return Ok(lhs);
        };
        self.advance();
        self.opt_nl();
        let rhs = self.expr()?;
        Ok(Expr::Assign(op, Box::new(lv), Box::new(rhs)))
    }

    fn ternary(&mut self) -> Result<Expr, PErr> {
        let c = self.or()?;
        if !self.is_p("?") {
            return Ok(c);
        }
        self.advance();
        self.opt_nl();
        let a = self.expr()?;
        self.opt_nl();
        self.expect_p(":")?;
        self.opt_nl();
        let b = self.expr()?;
        Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)))
    }

    fn or(&mut self) -> Result<Expr, PErr> {
        let mut l = self.and()?;
        while self.eat_p("||") {
            self.opt_nl();
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, PErr> {
        let mut l = self.in_expr()?;
        while self.eat_p("&&") {
            self.opt_nl();
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> Result<Expr, PErr> {
        let mut l = self.match_expr()?;
        while !self.no_in && self.is_kw("in") {
            self.advance();
            let Tok::Name(n) = self.advance() else {
                return self.err(", expecting array name");
            };
            let v = self.array_var(&n);
            let subs = match l {
                Expr::Grouping(list) => list,
                other => vec![other],
            };
            l = Expr::In(subs, v);
        }
        Ok(l)
    }

    fn match_expr(&mut self) -> Result<Expr, PErr> {
        let mut l = self.comparison()?;
        loop {
            let neg = if self.is_p("~") {
                false
            } else if self.is_p("!~") {
                true
            } else {
                return Ok(l);
            };
            self.advance();
            let r = self.comparison()?;
            l = Expr::Match(neg, Box::new(l), Box::new(r));
        }
    }

    fn comparison(&mut self) -> Result<Expr, PErr> {
        let l = self.concat()?;
        let op = match self.peek() {
            Tok::P("<") => BinOp::Lt,
            Tok::P("<=") => BinOp::Le,
            Tok::P("==") => BinOp::Eq,
            Tok::P("!=") => BinOp::Ne,
            Tok::P(">=") => BinOp::Ge,
            Tok::P(">") if !self.no_gt => BinOp::Gt,
            _ => return Ok(l),
        };
        self.advance();
        let r = self.concat()?;
        Ok(Expr::Bin(op, Box::new(l), Box::new(r)))
    }

    fn starts_concat(&self) -> bool {
        match self.peek() {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Regex(_)
            | Tok::Name(_)
            | Tok::FuncName(_)
            | Tok::Builtin(_) => true,
            Tok::P(p) => matches!(*p, "$" | "(" | "!" | "++" | "--" | "-" | "+"),
            _ => false,
        }
    }

    fn concat(&mut self) -> Result<Expr, PErr> {
        let mut l = self.additive()?;
        loop {
            if self.is_p("|") && matches!(self.peek_at(1), Tok::Kw("getline")) {
                self.advance();
                self.advance();
                let lv = self.opt_lvalue()?;
                l = Expr::Getline(lv, GetSrc::Cmd(Box::new(l)));
                continue;
            }
            // `-`/`+` after an operand are binary and were consumed by additive(); `!` only
            // starts a concatenated operand when not part of `!=`/`!~` (the lexer split those).
            if !self.starts_concat() || self.is_p("-") || self.is_p("+") || self.is_p("!") {
                return Ok(l);
            }
            if self.is_kw("in") {
                return Ok(l);
            }
            let r = self.additive()?;
            l = Expr::Bin(BinOp::Concat, Box::new(l), Box::new(r));
        }
    }

    fn additive(&mut self) -> Result<Expr, PErr> {
        let mut l = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::P("+") => BinOp::Add,
                Tok::P("-") => BinOp::Sub,
                _ => return Ok(l),
            };
            self.advance();
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> Result<Expr, PErr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::P("*") => BinOp::Mul,
                Tok::P("/") => BinOp::Div,
                Tok::P("%") => BinOp::Mod,
                _ => return Ok(l),
            };
            self.advance();
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> Result<Expr, PErr> {
        if self.eat_p("!") {
            let e = self.unary()?;
            return Ok(Expr::Not(Box::new(e)));
        }
        if self.eat_p("-") {
            let e = self.unary()?;
            return Ok(Expr::Neg(Box::new(e)));
        }
        if self.eat_p("+") {
            let e = self.unary()?;
            return Ok(Expr::Plus(Box::new(e)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, PErr> {
        let base = self.postfix()?;
        if self.is_p("^") || self.is_p("**") {
            self.advance();
            // Right associative; the exponent may carry a unary sign (`2^-1`).
            let exp = if self.is_p("-") || self.is_p("+") || self.is_p("!") {
                self.unary()?
            } else {
                self.power()?
            };
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, PErr> {
        let e = self.primary()?;
        if let Expr::LV(lv) = &e {
            if self.is_p("++") {
                self.advance();
                return Ok(Expr::Incr(false, 1.0, Box::new(lv.clone())));
            }
            if self.is_p("--") {
                self.advance();
                return Ok(Expr::Incr(false, -1.0, Box::new(lv.clone())));
            }
        }
        Ok(e)
    }

    fn opt_lvalue(&mut self) -> Result<Option<Box<LValue>>, PErr> {
        match self.peek() {
            Tok::Name(_) | Tok::P("$") => match self.primary()? {
                Expr::LV(lv) => Ok(Some(Box::new(lv))),
                _ => self.err(""),
            },
            _ => Ok(None),
        }
    }

    fn primary(&mut self) -> Result<Expr, PErr> {
        let t = self.advance();
        match t {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(r) => Ok(Expr::Regex(r)),
            Tok::P("(") => {
                let list = self.expr_list(")")?;
                match list.len() {
                    0 => self.err(""),
                    1 => Ok(list.into_iter().next().unwrap_or(Expr::Num(0.0))),
                    _ => Ok(Expr::Grouping(list)),
                }
            }
            Tok::P("$") => {
                let e = if self.is_p("++") || self.is_p("--") || self.is_p("-") {
                    self.unary_incr()?
                } else {
                    self.primary()?
                };
                Ok(Expr::LV(LValue::Field(Box::new(e))))
            }
            Tok::P("++") | Tok::P("--") => {
                let delta = if t == Tok::P("++") { 1.0 } else { -1.0 };
                match self.primary()? {
                    Expr::LV(lv) => Ok(Expr::Incr(true, delta, Box::new(lv))),
                    _ => self.err(""),
                }
            }
            Tok::P("-") => {
                let e = self.primary()?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Name(n) => {
                if self.is_p("[") {
                    self.advance();
                    let subs = self.expr_list("]")?;
                    let v = self.array_var(&n);
                    Ok(Expr::LV(LValue::Index(v, subs)))
                } else {
                    Ok(Expr::LV(LValue::Var(self.var(&n))))
                }
            }
            Tok::FuncName(n) => {
                self.expect_p("(")?;
                let args = self.expr_list(")")?;
                Ok(Expr::Call(n, args))
            }
            Tok::Builtin(n) => {
                if self.is_p("(") {
                    self.advance();
                    let args = self.expr_list(")")?;
                    Ok(Expr::Builtin(n, args))
                } else if n == "length" {
                    Ok(Expr::Builtin(n, Vec::new()))
                } else {
                    self.pos -= 1;
                    self.err("")
                }
            }
            Tok::Kw("getline") => {
                let lv = self.opt_lvalue()?;
                if self.is_p("<") {
                    self.advance();
                    let src = self.primary_no_concat()?;
                    Ok(Expr::Getline(lv, GetSrc::File(Box::new(src))))
                } else {
                    Ok(Expr::Getline(lv, GetSrc::Main))
                }
            }
            _ => {
                self.pos -= 1;
                self.err("")
            }
        }
    }

    fn unary_incr(&mut self) -> Result<Expr, PErr> {
        if self.eat_p("-") {
            let e = self.primary()?;
            return Ok(Expr::Neg(Box::new(e)));
        }
        self.primary()
    }

    /// The file operand of `getline < file`: a primary (so `getline < "a" "b"` concatenates
    /// after the getline, as in awk).
    fn primary_no_concat(&mut self) -> Result<Expr, PErr> {
        self.primary()
    }
}
