//! `test`, `[` and `[[ ]]`: file, string and integer conditions.

use brush_parser::ast::{BinaryPredicate, ExtendedTestExpr, TestExpr, UnaryPredicate};
use mirage_core::MountMode;

use super::expand;
use super::io::Io;
use super::pattern;
use super::run::{Exec, expansion_failed, shell_error};
use super::simple::trace_quote;
use super::state::{ShellState, Value};

/// A condition that could not be evaluated (bad integer, ...): status 2 with a message.
struct TestError(String);

type TestResult = Result<bool, TestError>;

fn parse_int(s: &str) -> Result<i64, TestError> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| TestError(format!("{s}: integer expression expected")))
}

/// `-v NAME` or `-v NAME[SUB]`: whether the variable (or that element) is set.
fn var_is_set(st: &ShellState, operand: &str) -> bool {
    let Some((name, rest)) = operand.split_once('[') else {
        // A bare array name tests its element 0, as `$a` reads it.
        return match st.get(operand) {
            Some(Value::Assoc(m)) => super::state::assoc_get(&m, "0").is_some(),
            Some(Value::Array(a)) => a.contains_key(&0),
            Some(Value::Str(_)) => true,
            None => false,
        };
    };
    let Some(sub) = rest.strip_suffix(']') else {
        return false;
    };
    match st.get(name) {
        Some(Value::Assoc(m)) => {
            sub == "@" || sub == "*" || super::state::assoc_get(&m, sub).is_some()
        }
        Some(Value::Array(a)) => {
            if sub == "@" || sub == "*" {
                return !a.is_empty();
            }
            match sub.trim().parse::<i64>() {
                Ok(i) if i < 0 => a.keys().last().is_some_and(|k| {
                    *k as i64 + 1 + i >= 0 && a.contains_key(&((*k as i64 + 1 + i) as usize))
                }),
                Ok(i) => a.contains_key(&(i as usize)),
                Err(_) => false,
            }
        }
        Some(Value::Str(_)) => matches!(sub.trim(), "0" | "@" | "*"),
        None => false,
    }
}

async fn unary(st: &ShellState, op: &UnaryPredicate, operand: &str) -> TestResult {
    use UnaryPredicate as U;
    let path = || st.cwd.join(operand);
    let stat = || async {
        if operand.is_empty() {
            None
        } else {
            st.fs.stat(&path()).await.ok()
        }
    };
    Ok(match op {
        U::StringHasZeroLength => operand.is_empty(),
        U::StringHasNonZeroLength => !operand.is_empty(),
        U::FileExists | U::FileExistsAndIsReadable => stat().await.is_some(),
        U::FileExistsAndIsRegularFile => stat().await.is_some_and(|s| s.is_file()),
        U::FileExistsAndIsDir => stat().await.is_some_and(|s| s.is_dir()),
        U::FileExistsAndIsNotZeroLength => stat()
            .await
            .is_some_and(|s| s.is_dir() || s.size.unwrap_or(0) > 0),
        U::FileExistsAndIsWritable => {
            stat().await.is_some()
                && st
                    .fs
                    .resolve(&path())
                    .is_some_and(|r| r.mount.mode >= MountMode::Write)
        }
        U::FileExistsAndIsExecutable => stat()
            .await
            .is_some_and(|s| s.is_dir() || s.mode.is_some_and(|m| m & 0o111 != 0)),
        U::ShellVariableIsSetAndAssigned => var_is_set(st, operand),
        U::ShellOptionEnabled => match operand {
            "errexit" => st.opts.errexit,
            "pipefail" => st.opts.pipefail,
            "nounset" => st.opts.nounset,
            "xtrace" => st.opts.xtrace,
            "noglob" => st.opts.noglob,
            "allexport" => st.opts.allexport,
            "noclobber" => st.opts.noclobber,
            "braceexpand" | "hashall" | "interactive-comments" => true,
            _ => false,
        },
        U::FileExistsAndIsSymlink => {
            !operand.is_empty() && st.fs.lstat(&path()).await.is_ok_and(|s| s.is_symlink())
        }
        U::FileExistsAndIsCharSpecialFile => stat().await.is_some_and(|s| s.is_char_device()),
        // No block devices, sockets, owners or terminals in the virtual tree.
        _ => false,
    })
}

fn binary_strings(op: &BinaryPredicate, l: &str, r: &str) -> TestResult {
    use BinaryPredicate as B;
    Ok(match op {
        B::StringExactlyMatchesString | B::StringExactlyMatchesPattern => l == r,
        B::StringDoesNotExactlyMatchString | B::StringDoesNotExactlyMatchPattern => l != r,
        B::LeftSortsBeforeRight => l < r,
        B::LeftSortsAfterRight => l > r,
        B::ArithmeticEqualTo => parse_int(l)? == parse_int(r)?,
        B::ArithmeticNotEqualTo => parse_int(l)? != parse_int(r)?,
        B::ArithmeticLessThan => parse_int(l)? < parse_int(r)?,
        B::ArithmeticLessThanOrEqualTo => parse_int(l)? <= parse_int(r)?,
        B::ArithmeticGreaterThan => parse_int(l)? > parse_int(r)?,
        B::ArithmeticGreaterThanOrEqualTo => parse_int(l)? >= parse_int(r)?,
        B::StringContainsSubstring => l.contains(r),
        _ => return Err(TestError("unsupported binary operator".to_string())),
    })
}

async fn binary_files(st: &ShellState, op: &BinaryPredicate, l: &str, r: &str) -> TestResult {
    let m = |s: &str| {
        let p = st.cwd.join(s);
        async move { st.fs.stat(&p).await.ok().and_then(|x| x.modified) }
    };
    let (a, b) = (m(l).await, m(r).await);
    Ok(match op {
        BinaryPredicate::LeftFileIsNewerOrExistsWhenRightDoesNot => match (a, b) {
            (Some(a), Some(b)) => a > b,
            (Some(_), None) => true,
            _ => false,
        },
        BinaryPredicate::LeftFileIsOlderOrDoesNotExistWhenRightDoes => match (a, b) {
            (Some(a), Some(b)) => a < b,
            (None, Some(_)) => true,
            _ => false,
        },
        _ => st.cwd.join(l) == st.cwd.join(r) && a.is_some(),
    })
}

fn eval_test<'a>(
    st: &'a ShellState,
    e: &'a TestExpr,
) -> futures::future::BoxFuture<'a, TestResult> {
    Box::pin(async move {
        Ok(match e {
            TestExpr::False => false,
            TestExpr::Literal(s) => !s.is_empty(),
            TestExpr::And(a, b) => eval_test(st, a).await? && eval_test(st, b).await?,
            TestExpr::Or(a, b) => eval_test(st, a).await? || eval_test(st, b).await?,
            TestExpr::Not(a) => !eval_test(st, a).await?,
            TestExpr::Parenthesized(a) => eval_test(st, a).await?,
            TestExpr::UnaryTest(op, s) => unary(st, op, s).await?,
            TestExpr::BinaryTest(op, l, r) => match op {
                BinaryPredicate::LeftFileIsNewerOrExistsWhenRightDoesNot
                | BinaryPredicate::LeftFileIsOlderOrDoesNotExistWhenRightDoes
                | BinaryPredicate::FilesReferToSameDeviceAndInodeNumbers => {
                    binary_files(st, op, l, r).await?
                }
                _ => binary_strings(op, l, r)?,
            },
        })
    })
}

/// The `test` / `[` builtin.
pub async fn builtin_test(
    st: &mut ShellState,
    io: &mut Io,
    name: &str,
    mut args: Vec<String>,
) -> Exec {
    if name == "[" {
        if args.last().map(String::as_str) != Some("]") {
            shell_error(st, &io.stderr, "[: missing `]'").await;
            return Ok(2);
        }
        args.pop();
    }
    let expr = match brush_parser::test_command::parse(&args) {
        Ok(e) => e,
        Err(_) => {
            let msg = match args.len() {
                3 => format!("{}: binary operator expected", args[1]),
                n if n > 3 => "too many arguments".to_string(),
                _ => format!(
                    "{}: unary operator expected",
                    args.first().cloned().unwrap_or_default()
                ),
            };
            shell_error(st, &io.stderr, &format!("{name}: {msg}")).await;
            return Ok(2);
        }
    };
    match eval_test(st, &expr).await {
        Ok(b) => Ok(if b { 0 } else { 1 }),
        Err(TestError(m)) => {
            shell_error(st, &io.stderr, &format!("{name}: {m}")).await;
            Ok(2)
        }
    }
}

fn eval_ext<'a>(
    st: &'a mut ShellState,
    io: &'a mut Io,
    e: &'a ExtendedTestExpr,
) -> futures::future::BoxFuture<'a, Result<TestResult, expand::ExpandError>> {
    Box::pin(async move {
        let err = io.stderr.clone();
        Ok(match e {
            ExtendedTestExpr::And(a, b) => match eval_ext(st, io, a).await? {
                Ok(true) => eval_ext(st, io, b).await?,
                other => other,
            },
            ExtendedTestExpr::Or(a, b) => match eval_ext(st, io, a).await? {
                Ok(false) => eval_ext(st, io, b).await?,
                other => other,
            },
            ExtendedTestExpr::Not(a) => eval_ext(st, io, a).await?.map(|b| !b),
            ExtendedTestExpr::Parenthesized(a) => eval_ext(st, io, a).await?,
            ExtendedTestExpr::UnaryTest(op, w) => {
                let s = expand::expand_string(st, &err, &w.value).await?;
                if st.opts.xtrace {
                    let shown = format!("[[ {op} {} ]]", trace_quote(&s));
                    super::simple::xtrace_to(st, &err, &shown).await;
                }
                unary(st, op, &s).await
            }
            ExtendedTestExpr::BinaryTest(op, l, r) => {
                let left = expand::expand_string(st, &err, &l.value).await?;
                if st.opts.xtrace {
                    // bash shows each test as it runs it, with both operands expanded.
                    let right = match op {
                        BinaryPredicate::StringExactlyMatchesPattern
                        | BinaryPredicate::StringDoesNotExactlyMatchPattern => {
                            expand::expand_pattern(st, &err, &r.value).await?
                        }
                        _ => trace_quote(&expand::expand_string(st, &err, &r.value).await?),
                    };
                    let shown = format!("[[ {} {op} {right} ]]", trace_quote(&left));
                    super::simple::xtrace_to(st, &err, &shown).await;
                }
                match op {
                    BinaryPredicate::StringExactlyMatchesPattern
                    | BinaryPredicate::StringDoesNotExactlyMatchPattern => {
                        let pat = expand::expand_pattern(st, &err, &r.value).await?;
                        let m = pattern::matches_case(&pat, &left, !st.nocasematch());
                        Ok(
                            if matches!(op, BinaryPredicate::StringExactlyMatchesPattern) {
                                m
                            } else {
                                !m
                            },
                        )
                    }
                    BinaryPredicate::StringMatchesRegex => {
                        let re_text = expand::expand_string(st, &err, &r.value).await?;
                        match regex::Regex::new(&re_text) {
                            Ok(re) => match re.captures(&left) {
                                Some(c) => {
                                    let arr = c
                                        .iter()
                                        .enumerate()
                                        .map(|(i, m)| {
                                            (
                                                i,
                                                m.map(|m| m.as_str().to_string())
                                                    .unwrap_or_default(),
                                            )
                                        })
                                        .collect();
                                    st.set_value("BASH_REMATCH", Value::Array(arr));
                                    Ok(true)
                                }
                                None => {
                                    st.set_value("BASH_REMATCH", Value::Array(Default::default()));
                                    Ok(false)
                                }
                            },
                            Err(_) => {
                                Err(TestError(format!("{re_text}: invalid regular expression")))
                            }
                        }
                    }
                    BinaryPredicate::ArithmeticEqualTo
                    | BinaryPredicate::ArithmeticNotEqualTo
                    | BinaryPredicate::ArithmeticLessThan
                    | BinaryPredicate::ArithmeticLessThanOrEqualTo
                    | BinaryPredicate::ArithmeticGreaterThan
                    | BinaryPredicate::ArithmeticGreaterThanOrEqualTo => {
                        let right = expand::expand_string(st, &err, &r.value).await?;
                        // Inside [[ ]] the operands are arithmetic expressions.
                        let a =
                            super::arith::eval_str(st, &left).map_err(|e| expand::ExpandError {
                                message: format!("[[: {}", super::arith::describe(&left, &e)),
                                fatal: false,
                                status: 1,
                                discards: false,
                            })?;
                        let b = super::arith::eval_str(st, &right).map_err(|e| {
                            expand::ExpandError {
                                message: format!("[[: {}", super::arith::describe(&right, &e)),
                                fatal: false,
                                status: 1,
                                discards: false,
                            }
                        })?;
                        binary_strings(op, &a.to_string(), &b.to_string())
                    }
                    _ => {
                        let right = expand::expand_string(st, &err, &r.value).await?;
                        match op {
                            BinaryPredicate::LeftFileIsNewerOrExistsWhenRightDoesNot
                            | BinaryPredicate::LeftFileIsOlderOrDoesNotExistWhenRightDoes
                            | BinaryPredicate::FilesReferToSameDeviceAndInodeNumbers => {
                                binary_files(st, op, &left, &right).await
                            }
                            _ => binary_strings(op, &left, &right),
                        }
                    }
                }
            }
        })
    })
}

/// `[[ expr ]]`.
pub async fn eval_extended(st: &mut ShellState, io: &mut Io, e: &ExtendedTestExpr) -> Exec {
    match eval_ext(st, io, e).await {
        Ok(Ok(b)) => Ok(if b { 0 } else { 1 }),
        Ok(Err(TestError(m))) => {
            shell_error(st, &io.stderr, &m).await;
            Ok(2)
        }
        Err(e) => expansion_failed(st, io, e).await,
    }
}
