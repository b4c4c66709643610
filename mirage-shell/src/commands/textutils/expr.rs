//! `expr`: evaluate an expression given as separate arguments: `| & < <= = == != >= > + - * /
//! % :`, `match substr index length`, `+ TOKEN` and parentheses. Integers are 128-bit (GNU
//! uses arbitrary precision). Exit 0 when the result is neither empty nor 0, 1 when it is,
//! 2 for syntax or type errors, 3 otherwise.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::bre;
use super::support::{unsupported, usage_error};
use crate::commands::quoting::lquote;

pub struct Expr;

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(i128),
    Str(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Str(s) => s.clone(),
        }
    }

    /// GNU's `null`: empty string or a number equal to zero.
    fn is_null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => {
                let t = s.strip_prefix('-').unwrap_or(s);
                s.is_empty() || (!t.is_empty() && t.bytes().all(|b| b == b'0'))
            }
        }
    }

    fn to_int(&self) -> Option<i128> {
        match self {
            Val::Int(n) => Some(*n),
            Val::Str(s) => {
                let t = s.strip_prefix('-').unwrap_or(s);
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                s.parse().ok()
            }
        }
    }
}

/// An evaluation failure: message and exit status.
struct Fail(String, i32);

fn syntax(msg: String) -> Fail {
    Fail(format!("syntax error: {msg}"), 2)
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn accept(&mut self, tok: &str) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn missing_after(&self) -> Fail {
        let prev = self
            .args
            .get(self.pos.wrapping_sub(1))
            .map_or("", String::as_str);
        syntax(format!("missing argument after {}", lquote(prev)))
    }

    fn eval1(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval2(ev)?;
        while self.accept("|") {
            let r = self.eval2(ev && l.is_null())?;
            if l.is_null() {
                l = if r.is_null() { Val::Int(0) } else { r };
            }
        }
        Ok(l)
    }

    fn eval2(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval3(ev)?;
        while self.accept("&") {
            let r = self.eval3(ev && !l.is_null())?;
            if l.is_null() || r.is_null() {
                l = Val::Int(0);
            }
        }
        Ok(l)
    }

    fn eval3(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval4(ev)?;
        loop {
            let op = match self.peek() {
                Some(o @ ("<" | "<=" | "=" | "==" | "!=" | ">=" | ">")) => o.to_string(),
                _ => return Ok(l),
            };
            self.pos += 1;
            let r = self.eval4(ev)?;
            let ord = match (l.to_int(), r.to_int()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.text().as_bytes().cmp(r.text().as_bytes()),
            };
            let res = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = Val::Int(i128::from(res));
        }
    }

    fn arith(&self, l: &Val, r: &Val, op: &str, ev: bool) -> Result<Val, Fail> {
        if !ev {
            return Ok(Val::Int(0));
        }
        let (Some(a), Some(b)) = (l.to_int(), r.to_int()) else {
            return Err(Fail("non-integer argument".into(), 2));
        };
        if (op == "/" || op == "%") && b == 0 {
            return Err(Fail("division by zero".into(), 2));
        }
        let v = match op {
            "+" => a.checked_add(b),
            "-" => a.checked_sub(b),
            "*" => a.checked_mul(b),
            "/" => a.checked_div(b),
            _ => a.checked_rem(b),
        };
        v.map(Val::Int)
            .ok_or_else(|| Fail("result out of range".into(), 3))
    }

    fn eval4(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval5(ev)?;
        loop {
            let op = match self.peek() {
                Some(o @ ("+" | "-")) => o.to_string(),
                _ => return Ok(l),
            };
            self.pos += 1;
            let r = self.eval5(ev)?;
            l = self.arith(&l, &r, &op, ev)?;
        }
    }

    fn eval5(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval6(ev)?;
        loop {
            let op = match self.peek() {
                Some(o @ ("*" | "/" | "%")) => o.to_string(),
                _ => return Ok(l),
            };
            self.pos += 1;
            let r = self.eval6(ev)?;
            l = self.arith(&l, &r, &op, ev)?;
        }
    }

    fn eval6(&mut self, ev: bool) -> Result<Val, Fail> {
        let mut l = self.eval7(ev)?;
        while self.accept(":") {
            let r = self.eval7(ev)?;
            if ev {
                l = do_match(&l.text(), &r.text())?;
            }
        }
        Ok(l)
    }

    /// The next argument as a plain string (for keyword operands).
    fn operand(&mut self, ev: bool) -> Result<Val, Fail> {
        self.eval7(ev)
    }

    fn eval7(&mut self, ev: bool) -> Result<Val, Fail> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err(self.missing_after());
        };
        self.pos += 1;
        let more = self.pos < self.args.len();
        match tok.as_str() {
            "(" => {
                if !more {
                    return Err(self.missing_after());
                }
                let v = self.eval1(ev)?;
                if !self.accept(")") {
                    let prev = self
                        .args
                        .get(self.pos.wrapping_sub(1))
                        .map_or("", String::as_str);
                    let msg = match self.peek() {
                        None => format!("expecting ')' after {}", lquote(prev)),
                        Some(t) => format!("expecting ')' instead of {}", lquote(t)),
                    };
                    return Err(syntax(msg));
                }
                Ok(v)
            }
            ")" => Err(syntax("unexpected ')'".to_string())),
            "+" => {
                let Some(t) = self.args.get(self.pos).cloned() else {
                    return Err(self.missing_after());
                };
                self.pos += 1;
                Ok(Val::Str(t))
            }
            "length" => {
                let s = self.operand(ev)?.text();
                Ok(Val::Int(s.chars().count() as i128))
            }
            "match" => {
                let s = self.operand(ev)?;
                let r = self.operand(ev)?;
                if ev {
                    do_match(&s.text(), &r.text())
                } else {
                    Ok(Val::Int(0))
                }
            }
            "index" => {
                let s = self.operand(ev)?.text();
                let set = self.operand(ev)?.text();
                let pos = s.chars().position(|c| set.contains(c)).map_or(0, |p| p + 1);
                Ok(Val::Int(pos as i128))
            }
            "substr" => {
                let s = self.operand(ev)?.text();
                let p = self.operand(ev)?;
                let n = self.operand(ev)?;
                Ok(Val::Str(substr(&s, &p, &n)))
            }
            _ => Ok(Val::Str(tok)),
        }
    }
}

fn substr(s: &str, p: &Val, n: &Val) -> String {
    let len = s.chars().count() as i128;
    match (p.to_int(), n.to_int()) {
        (Some(p), Some(n)) if p >= 1 && n >= 1 && p <= len => s
            .chars()
            .skip((p - 1) as usize)
            .take(n.min(len) as usize)
            .collect(),
        _ => String::new(),
    }
}

fn do_match(s: &str, pat: &str) -> Result<Val, Fail> {
    let re = bre::compile(pat.as_bytes(), true).map_err(|m| Fail(m, 2))?;
    let groups = re.captures_len() > 1;
    match re.captures(s.as_bytes()) {
        Some(c) => {
            if groups {
                let g = c.get(1).map_or(&b""[..], |m| m.as_bytes());
                Ok(Val::Str(String::from_utf8_lossy(g).into_owned()))
            } else {
                let m = c.get(0).map_or(&b""[..], |m| m.as_bytes());
                Ok(Val::Int(String::from_utf8_lossy(m).chars().count() as i128))
            }
        }
        None => Ok(if groups {
            Val::Str(String::new())
        } else {
            Val::Int(0)
        }),
    }
}

#[async_trait]
impl Command for Expr {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        if args.len() == 1 && (args[0] == "--help" || args[0] == "--version") {
            return unsupported(ctx, &args[0]).await;
        }
        let args = if args.first().map(String::as_str) == Some("--") {
            &args[1..]
        } else {
            &args[..]
        };
        if args.is_empty() {
            return usage_error(ctx, "missing operand", 2).await;
        }
        let mut p = Parser { args, pos: 0 };
        let result = p.eval1(true).and_then(|v| match p.peek() {
            Some(t) => Err(syntax(format!("unexpected argument {}", lquote(t)))),
            None => Ok(v),
        });
        match result {
            Ok(v) => {
                ctx.stdout
                    .write_all(format!("{}\n", v.text()).as_bytes())
                    .await?;
                Ok(i32::from(v.is_null()))
            }
            Err(Fail(msg, status)) => {
                ctx.error(msg).await?;
                Ok(status)
            }
        }
    }
}
