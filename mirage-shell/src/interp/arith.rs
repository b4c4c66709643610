//! `$(( ))`, `(( ))` and `for (( ))` arithmetic: 64-bit wrapping integers as in bash.

use brush_parser::ast::{
    ArithmeticExpr, ArithmeticTarget, BinaryOperator, UnaryAssignmentOperator, UnaryOperator,
};

use super::state::{ShellState, Value};

/// An arithmetic failure, printed by the caller as `mirage: EXPR: MESSAGE`.
#[derive(Debug, Clone)]
pub struct ArithError(pub String, pub Option<String>);

impl ArithError {
    pub fn new(message: impl Into<String>) -> Self {
        ArithError(message.into(), None)
    }
}

const MAX_DEPTH: usize = 64;

/// Parses and evaluates `text` (already expanded for `$x` and `$(..)`).
pub fn eval_str(state: &mut ShellState, text: &str) -> Result<i64, ArithError> {
    eval_str_depth(state, text, 0)
}

fn eval_str_depth(state: &mut ShellState, text: &str, depth: usize) -> Result<i64, ArithError> {
    if text.trim().is_empty() {
        return Ok(0);
    }
    if depth > MAX_DEPTH {
        return Err(ArithError::new(
            "expression recursion level exceeded".to_string(),
        ));
    }
    let expr = brush_parser::arithmetic::parse(text.trim()).map_err(|_| {
        // bash's own wording when the walk finds the error, else a generic one.
        let shown = text.trim_start();
        match super::arith_diagnose::diagnose(shown) {
            Some(d) => ArithError(String::new(), Some(d.render(shown))),
            None => ArithError::new(format!(
                "syntax error in expression (error token is \"{}\")",
                error_token(text)
            )),
        }
    })?;
    eval(state, &expr, depth)
}

/// bash names the rest of the expression from the first offending character; we approximate
/// with the first character that is neither a name, a number nor whitespace.
fn error_token(text: &str) -> String {
    let t = text.trim();
    match t
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || c.is_whitespace()))
    {
        Some((i, _)) => t[i..].to_string(),
        None => t.to_string(),
    }
}

fn read_var(
    state: &mut ShellState,
    target: &ArithmeticTarget,
    depth: usize,
) -> Result<i64, ArithError> {
    let raw = match target {
        ArithmeticTarget::Variable(name) => state.get_str(name).unwrap_or_default(),
        ArithmeticTarget::ArrayElement(name, index) => {
            let i = eval(state, index, depth)?;
            match state.get(name) {
                Some(Value::Array(a)) => a.get(&(i.max(0) as usize)).cloned().unwrap_or_default(),
                Some(Value::Str(s)) if i == 0 => s,
                _ => String::new(),
            }
        }
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(0);
    }
    // A plain decimal value is the common case; a leading zero means octal (`08` is an
    // error), so those go through the evaluator like any other expression.
    let digits = trimmed.trim_start_matches(['-', '+']);
    if !(digits.starts_with('0') && digits.len() > 1)
        && let Ok(n) = trimmed.parse::<i64>()
    {
        return Ok(n);
    }
    eval_str_depth(state, trimmed, depth + 1)
}

fn write_var(
    state: &mut ShellState,
    target: &ArithmeticTarget,
    value: i64,
    depth: usize,
) -> Result<(), ArithError> {
    match target {
        ArithmeticTarget::Variable(name) => state.set_var(name, &value.to_string()),
        ArithmeticTarget::ArrayElement(name, index) => {
            let i = eval(state, index, depth)?.max(0) as usize;
            let mut arr = match state.get(name) {
                Some(Value::Array(a)) => a,
                Some(Value::Str(s)) => [(0usize, s)].into_iter().collect(),
                Some(Value::Assoc(_)) => {
                    return Err(ArithError::new(
                        "associative array subscripts are not supported in arithmetic".to_string(),
                    ));
                }
                None => Default::default(),
            };
            arr.insert(i, value.to_string());
            state.set_value(name, Value::Array(arr));
        }
    }
    Ok(())
}

fn binary(op: &BinaryOperator, l: i64, r: i64) -> Result<i64, ArithError> {
    use BinaryOperator as B;
    Ok(match op {
        B::Power => {
            if r < 0 {
                return Err(ArithError::new("exponent less than 0".to_string()));
            }
            l.wrapping_pow(r.min(u32::MAX as i64) as u32)
        }
        B::Multiply => l.wrapping_mul(r),
        B::Divide | B::Modulo if r == 0 => {
            return Err(ArithError::new("division by 0".to_string()));
        }
        B::Divide => l.wrapping_div(r),
        B::Modulo => l.wrapping_rem(r),
        B::Comma => r,
        B::Add => l.wrapping_add(r),
        B::Subtract => l.wrapping_sub(r),
        B::ShiftLeft => l.wrapping_shl(r as u32),
        B::ShiftRight => l.wrapping_shr(r as u32),
        B::LessThan => (l < r) as i64,
        B::LessThanOrEqualTo => (l <= r) as i64,
        B::GreaterThan => (l > r) as i64,
        B::GreaterThanOrEqualTo => (l >= r) as i64,
        B::Equals => (l == r) as i64,
        B::NotEquals => (l != r) as i64,
        B::BitwiseAnd => l & r,
        B::BitwiseXor => l ^ r,
        B::BitwiseOr => l | r,
        B::LogicalAnd => (l != 0 && r != 0) as i64,
        B::LogicalOr => (l != 0 || r != 0) as i64,
    })
}

pub fn eval(
    state: &mut ShellState,
    expr: &ArithmeticExpr,
    depth: usize,
) -> Result<i64, ArithError> {
    Ok(match expr {
        ArithmeticExpr::Literal(n) => *n,
        ArithmeticExpr::Reference(t) => read_var(state, t, depth)?,
        ArithmeticExpr::UnaryOp(op, e) => {
            let v = eval(state, e, depth)?;
            match op {
                UnaryOperator::UnaryPlus => v,
                UnaryOperator::UnaryMinus => v.wrapping_neg(),
                UnaryOperator::BitwiseNot => !v,
                UnaryOperator::LogicalNot => (v == 0) as i64,
            }
        }
        ArithmeticExpr::BinaryOp(BinaryOperator::LogicalAnd, l, r) => {
            (eval(state, l, depth)? != 0 && eval(state, r, depth)? != 0) as i64
        }
        ArithmeticExpr::BinaryOp(BinaryOperator::LogicalOr, l, r) => {
            (eval(state, l, depth)? != 0 || eval(state, r, depth)? != 0) as i64
        }
        ArithmeticExpr::BinaryOp(op, l, r) => {
            let a = eval(state, l, depth)?;
            let b = eval(state, r, depth)?;
            binary(op, a, b)?
        }
        ArithmeticExpr::Conditional(c, t, f) => {
            if eval(state, c, depth)? != 0 {
                eval(state, t, depth)?
            } else {
                eval(state, f, depth)?
            }
        }
        ArithmeticExpr::Assignment(t, e) => {
            let v = eval(state, e, depth)?;
            write_var(state, t, v, depth)?;
            v
        }
        ArithmeticExpr::BinaryAssignment(op, t, e) => {
            let cur = read_var(state, t, depth)?;
            let r = eval(state, e, depth)?;
            let v = binary(op, cur, r)?;
            write_var(state, t, v, depth)?;
            v
        }
        ArithmeticExpr::UnaryAssignment(op, t) => {
            let cur = read_var(state, t, depth)?;
            let (new, result) = match op {
                UnaryAssignmentOperator::PrefixIncrement => {
                    (cur.wrapping_add(1), cur.wrapping_add(1))
                }
                UnaryAssignmentOperator::PrefixDecrement => {
                    (cur.wrapping_sub(1), cur.wrapping_sub(1))
                }
                UnaryAssignmentOperator::PostfixIncrement => (cur.wrapping_add(1), cur),
                UnaryAssignmentOperator::PostfixDecrement => (cur.wrapping_sub(1), cur),
            };
            write_var(state, t, new, depth)?;
            result
        }
    })
}

/// bash's message for a failed expression: `EXPR: MESSAGE`, with the error token for division
/// by zero (the divisor's text).
pub fn describe(text: &str, e: &ArithError) -> String {
    // bash drops the leading blanks of the expression but keeps the trailing ones.
    if let Some(complete) = &e.1 {
        return complete.clone();
    }
    let t = text.trim_start();
    if e.0 == "division by 0" {
        let token = t.rsplit(['/', '%']).next().unwrap_or("").trim_start();
        return format!("{t}: division by 0 (error token is \"{token}\")");
    }
    format!("{t}: {}", e.0)
}
