//! Evaluating expressions that never wait, without a boxed future.
//!
//! `Interp::eval` is async because `getline`, user functions and most builtins can read input
//! or run commands, so a compound expression costs one boxed future per level. The bulk of
//! per-record code (`n += length($0)`, `sum += $3`, `count[$1]++`, `$3 > 100 && NR % 2`) never
//! waits, and those boxes were a fifth of awk's time on a 1.5M-line file. [`is_sync`] checks
//! the shape (no side effect happens while checking); [`Interp::eval_now`] then evaluates it
//! with the same semantics as the async path, in the same order.

use super::interp::{AwkErr, Interp, Value, arith, bool_num};
use super::parser::{Expr, LValue};

type R<T> = Result<T, AwkErr>;

/// Nesting beyond this goes the async way (it keeps the check cheap and the recursion short).
const MAX_DEPTH: u8 = 12;

/// Whether `e` can be evaluated by [`Interp::eval_now`].
pub fn is_sync(e: &Expr) -> bool {
    shape_ok(e, 0)
}

fn shape_ok(e: &Expr, depth: u8) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let ok = |x: &Expr| shape_ok(x, depth + 1);
    match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Regex(_) => true,
        Expr::LV(lv) => lvalue_ok(lv, depth),
        Expr::Assign(_, lv, rhs) => {
            !matches!(**lv, LValue::Field(_)) && lvalue_ok(lv, depth) && ok(rhs)
        }
        Expr::Incr(_, _, lv) => !matches!(**lv, LValue::Field(_)) && lvalue_ok(lv, depth),
        Expr::Not(a) | Expr::Neg(a) | Expr::Plus(a) => ok(a),
        Expr::Bin(_, a, b) | Expr::And(a, b) | Expr::Or(a, b) | Expr::Match(_, a, b) => {
            ok(a) && ok(b)
        }
        Expr::Cond(c, a, b) => ok(c) && ok(a) && ok(b),
        // `length()` and `length($N)`: `length(name)` may name an array, left to the builtin.
        Expr::Builtin(name, args) if name == "length" => match args.as_slice() {
            [] => true,
            [Expr::LV(LValue::Field(i))] => ok(i),
            _ => false,
        },
        _ => false,
    }
}

fn lvalue_ok(lv: &LValue, depth: u8) -> bool {
    match lv {
        LValue::Var(_) => true,
        LValue::Field(i) => shape_ok(i, depth + 1),
        LValue::Index(_, subs) => subs.iter().all(|s| shape_ok(s, depth + 1)),
    }
}

impl Interp<'_> {
    /// Evaluates an expression [`is_sync`] accepted.
    pub fn eval_now(&mut self, e: &Expr) -> R<Value> {
        match e {
            Expr::Num(n) => Ok(Value::Num(*n)),
            Expr::Str(s) => Ok(Value::Str(s.clone())),
            Expr::Regex(r) => {
                let re = self.regex(r)?;
                Ok(Value::Num(bool_num(re.is_match(&self.record))))
            }
            Expr::LV(lv) => self.get_lv_now(lv),
            Expr::Assign(op, lv, rhs) => {
                // The right side first, then the target's field number or key, as the async
                // path does.
                let r = self.eval_now(rhs)?;
                let target = self.resolve_now(lv)?;
                let val = match op {
                    None => r,
                    Some(op) => {
                        let l = self.get_resolved(&target)?;
                        Value::Num(arith(*op, l.to_num(), r.to_num())?)
                    }
                };
                self.set_resolved(&target, val.clone())?;
                Ok(val)
            }
            Expr::Incr(pre, delta, lv) => {
                let target = self.resolve_now(lv)?;
                let old = self.get_resolved(&target)?.to_num();
                self.set_resolved(&target, Value::Num(old + delta))?;
                Ok(Value::Num(if *pre { old + delta } else { old }))
            }
            Expr::Cond(c, a, b) => {
                if self.eval_now(c)?.truthy() {
                    self.eval_now(a)
                } else {
                    self.eval_now(b)
                }
            }
            Expr::And(a, b) => {
                let r = self.eval_now(a)?.truthy() && self.eval_now(b)?.truthy();
                Ok(Value::Num(bool_num(r)))
            }
            Expr::Or(a, b) => {
                let r = self.eval_now(a)?.truthy() || self.eval_now(b)?.truthy();
                Ok(Value::Num(bool_num(r)))
            }
            Expr::Not(a) => Ok(Value::Num(bool_num(!self.eval_now(a)?.truthy()))),
            Expr::Neg(a) => Ok(Value::Num(-self.eval_now(a)?.to_num())),
            Expr::Plus(a) => Ok(Value::Num(self.eval_now(a)?.to_num())),
            Expr::Bin(op, a, b) => {
                let l = self.eval_now(a)?;
                let r = self.eval_now(b)?;
                self.binary(*op, l, r)
            }
            Expr::Match(neg, a, b) => {
                let s = self.eval_now(a)?.to_str(&self.convfmt());
                let re = match &**b {
                    Expr::Regex(r) => self.regex(r)?,
                    other => {
                        let src = self.eval_now(other)?.to_str(&self.convfmt());
                        self.regex(&src)?
                    }
                };
                Ok(Value::Num(bool_num(re.is_match(&s) != *neg)))
            }
            Expr::Builtin(_, args) => {
                // `length()` / `length($N)`, counted in place.
                let n = match args.first() {
                    Some(Expr::LV(LValue::Field(i))) => {
                        let iv = self.eval_now(i)?;
                        match self.field_index(&iv)? {
                            0 => self.record.chars().count(),
                            i => self.field_text(i).map_or(0, |f| f.chars().count()),
                        }
                    }
                    _ => self.record.chars().count(),
                };
                Ok(Value::Num(n as f64))
            }
            _ => Err(AwkErr::Fatal(
                "internal error: expression evaluated synchronously out of shape".into(),
            )),
        }
    }

    fn get_lv_now(&mut self, lv: &LValue) -> R<Value> {
        let target = self.resolve_now(lv)?;
        self.get_resolved(&target)
    }

    /// An lvalue with its field number or array key computed (once, as `fix_lv` does).
    fn resolve_now<'e>(&mut self, lv: &'e LValue) -> R<Resolved<'e>> {
        Ok(match lv {
            LValue::Var(v) => Resolved::Var(v),
            LValue::Field(e) => {
                let v = self.eval_now(e)?;
                Resolved::Field(self.field_index(&v)?)
            }
            LValue::Index(v, subs) => {
                let conv = self.convfmt();
                let key = if let [one] = subs.as_slice() {
                    self.eval_now(one)?.to_str(&conv)
                } else {
                    let sep = self.gstr("SUBSEP");
                    let mut parts = Vec::with_capacity(subs.len());
                    for s in subs {
                        parts.push(self.eval_now(s)?.to_str(&conv));
                    }
                    parts.join(&sep)
                };
                Resolved::Index(self.array_of(v)?, key)
            }
        })
    }

    fn get_resolved(&mut self, target: &Resolved) -> R<Value> {
        match target {
            Resolved::Var(v) => self.get_var(v),
            Resolved::Field(i) => Ok(self.get_field(*i)),
            Resolved::Index(id, key) => {
                let arr = &mut self.arrays[*id];
                if let Some(x) = arr.get(key) {
                    return Ok(x.clone());
                }
                // Referencing an element creates it, as in awk.
                arr.set(key.clone(), Value::Uninit);
                Ok(Value::Uninit)
            }
        }
    }

    fn set_resolved(&mut self, target: &Resolved, val: Value) -> R<()> {
        match target {
            Resolved::Var(v) => self.set_var(v, val),
            Resolved::Field(_) => Err(AwkErr::Fatal(
                "internal error: field assignment evaluated synchronously".into(),
            )),
            Resolved::Index(id, key) => {
                self.arrays[*id].set(key.clone(), val);
                Ok(())
            }
        }
    }
}

/// See [`Interp::resolve_now`].
enum Resolved<'e> {
    Var(&'e super::parser::Var),
    Field(usize),
    Index(usize, String),
}
