//! `chmod`: permission bits, numeric (`755`) or symbolic (`u+x,go-w`, `+x`, `a=r`), with
//! GNU's rules: a symbolic clause without `ugoa` leaves the umask's bits alone (umask 022 here,
//! the oracle machine's), `X` adds execute only for directories or already-executable files,
//! and a directory keeps its set-user-ID and set-group-ID bits unless the mode names them.
//! Backends without permissions answer `Operation not supported`.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FileStat, MountTable, VPath};

use super::support::{
    HELP, VERSION, child_display, long, lquote, parse_refusing, quote_always, stat_operand,
    usage_error,
};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Chmod;

/// The umask symbolic modes without a `who` respect.
const UMASK: u32 = 0o022;

const SPEC: OptSpec = OptSpec {
    short: "cfvR",
    long: &[
        long("changes", HasArg::No, "c"),
        long("silent", HasArg::No, "f"),
        long("quiet", HasArg::No, "f"),
        long("verbose", HasArg::No, "v"),
        long("recursive", HasArg::No, "R"),
        long("reference", HasArg::Required, "reference"),
        long("preserve-root", HasArg::No, "preserve-root"),
        long("no-preserve-root", HasArg::No, "no-preserve-root"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// What a file's mode is taken to be when the backend keeps none: a local disk's defaults.
pub(super) fn current_mode(st: &FileStat) -> u32 {
    st.mode_or_default() & 0o7777
}

/// `rwxr-xr-x` with GNU's s/S/t/T for the special bits.
pub(super) fn symbolic(mode: u32) -> String {
    let mut out = String::with_capacity(9);
    for (shift, special, lower, upper) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        out.push(match (mode & special != 0, x) {
            (true, true) => lower,
            (true, false) => upper,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}

/// A parsed mode, applied per file (symbolic modes depend on the file's current mode).
pub(crate) enum Mode {
    Numeric { bits: u32, digits: usize },
    Symbolic(Vec<Clause>),
}

pub(crate) struct Clause {
    who: u32,
    ops: Vec<(char, Vec<char>)>,
}

pub(crate) fn parse_mode(text: &str) -> Option<Mode> {
    if !text.is_empty() && text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let bits = u32::from_str_radix(text, 8).ok()?;
        return (bits <= 0o7777).then_some(Mode::Numeric {
            bits,
            digits: text.len(),
        });
    }
    let mut clauses = Vec::new();
    for part in text.split(',') {
        let mut chars = part.chars().peekable();
        let mut who = 0;
        while let Some(&c) = chars.peek() {
            who |= match c {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                'a' => 0o7777,
                _ => break,
            };
            chars.next();
        }
        let mut ops = Vec::new();
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            let mut perms = Vec::new();
            while let Some(&c) = chars.peek() {
                if matches!(c, '+' | '-' | '=') {
                    break;
                }
                if !"rwxXstugo".contains(c) {
                    return None;
                }
                perms.push(c);
                chars.next();
            }
            // A copy from u/g/o stands alone.
            if perms.len() > 1 && perms.iter().any(|c| "ugo".contains(*c)) {
                return None;
            }
            ops.push((op, perms));
        }
        if ops.is_empty() {
            return None;
        }
        clauses.push(Clause { who, ops });
    }
    Some(Mode::Symbolic(clauses))
}

/// `mkdir -m`'s mode: MODE applied to `a=rwx` (who-less clauses limited by the umask). GNU
/// then fixes the mode with chmod when MODE names any permission bit; a mode naming only
/// special bits (`+t`) keeps what mkdir(2) made, the umask applied.
pub(crate) fn mkdir_mode(mode: &Mode) -> u32 {
    let adjusted = apply_with_umask(mode, 0o777, true, UMASK);
    let names_permissions = match mode {
        Mode::Numeric { .. } => true,
        Mode::Symbolic(clauses) => clauses.iter().any(|c| {
            c.ops
                .iter()
                .any(|(op, perms)| *op == '=' || perms.iter().any(|p| "rwxXugo".contains(*p)))
        }),
    };
    if names_permissions {
        adjusted
    } else {
        adjusted & !UMASK
    }
}

fn apply(mode: &Mode, old: u32, is_dir: bool) -> u32 {
    apply_with_umask(mode, old, is_dir, UMASK)
}

/// Applies `mode` to `old`; clauses without a `who` (`+x`) are limited by `umask`, which is
/// chmod's 022 and zero for `install -m`.
pub(crate) fn apply_with_umask(mode: &Mode, old: u32, is_dir: bool, umask: u32) -> u32 {
    match mode {
        Mode::Numeric { bits, digits } => {
            // Directories keep set-user-ID/set-group-ID unless five digits say otherwise.
            if is_dir && *digits < 5 {
                bits | (old & 0o6000)
            } else {
                *bits
            }
        }
        Mode::Symbolic(clauses) => {
            let mut cur = old;
            for clause in clauses {
                let mask = if clause.who == 0 {
                    0o7777 & !umask
                } else {
                    clause.who
                };
                for (op, perms) in &clause.ops {
                    let mut bits = 0;
                    for c in perms {
                        bits |= match c {
                            'r' => 0o444,
                            'w' => 0o222,
                            'x' => 0o111,
                            'X' if is_dir || cur & 0o111 != 0 => 0o111,
                            'X' => 0,
                            's' => 0o6000,
                            't' => 0o1000,
                            'u' => ((cur >> 6) & 7) * 0o111,
                            'g' => ((cur >> 3) & 7) * 0o111,
                            _ => (cur & 7) * 0o111,
                        };
                    }
                    let bits = bits & mask;
                    cur = match op {
                        '+' => cur | bits,
                        '-' => cur & !bits,
                        _ => {
                            // A who-less `=` clears every bit (gnulib's mode_adjust), though
                            // the umask still limits what it sets.
                            let mut clear = if clause.who == 0 { 0o7777 } else { mask };
                            if is_dir && !perms.contains(&'s') {
                                clear &= !0o6000;
                            }
                            (cur & !clear) | bits
                        }
                    };
                }
            }
            cur
        }
    }
}

/// A leading `-w`, `-x`, `-rwx`... is a mode, not an option (GNU recognises these).
fn is_dash_mode(arg: &str) -> bool {
    let Some(rest) = arg.strip_prefix('-') else {
        return false;
    };
    rest.starts_with(|c: char| "rwxXst".contains(c))
        && rest.chars().all(|c| "rwxXstugoa+-=,".contains(c))
}

struct Run {
    changes: bool,
    verbose: bool,
    silent: bool,
    recursive: bool,
}

#[async_trait]
impl Command for Chmod {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        // Pull out a dash-mode before option parsing sees it as unknown options.
        let mut dash_mode = None;
        let mut rest = Vec::with_capacity(args.len());
        for a in args {
            if dash_mode.is_none() && is_dash_mode(&a) {
                dash_mode = Some(a);
            } else {
                rest.push(a);
            }
        }
        let parsed = match parse_refusing(ctx, &SPEC, &rest, 1, &[]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        let run = Run {
            changes: parsed.has("c"),
            verbose: parsed.has("v"),
            silent: parsed.has("f"),
            recursive: parsed.has("R"),
        };
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut operands = parsed.operands.clone();
        let mode = if let Some(reference) = parsed.last("reference") {
            match stat_operand(&fs, &cwd, reference).await {
                Ok((_, st)) => Mode::Numeric {
                    bits: current_mode(&st),
                    digits: 5,
                },
                Err(e) => {
                    ctx.error(format!(
                        "failed to get attributes of {}: {e}",
                        quote_always(reference)
                    ))
                    .await?;
                    return Ok(1);
                }
            }
        } else {
            let text = match dash_mode {
                Some(m) => m,
                None if operands.is_empty() => {
                    return usage_error(ctx, "missing operand", 1).await;
                }
                None => operands.remove(0),
            };
            match parse_mode(&text) {
                Some(m) if !operands.is_empty() => m,
                Some(_) => {
                    return usage_error(
                        ctx,
                        &format!("missing operand after {}", lquote(&text)),
                        1,
                    )
                    .await;
                }
                None => {
                    return usage_error(ctx, &format!("invalid mode: {}", lquote(&text)), 1).await;
                }
            }
        };
        if operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let mut status = 0;
        for op in &operands {
            match stat_operand(&fs, &cwd, op).await {
                Ok((path, st)) => {
                    if !change(ctx, &fs, &run, &mode, op, &path, &st).await? {
                        status = 1;
                    }
                }
                Err(e) => {
                    if !run.silent {
                        ctx.error(format!("cannot access {}: {e}", quote_always(op)))
                            .await?;
                    }
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

/// Changes one file (and, with -R, what is below it); false when something failed.
async fn change(
    ctx: &mut CommandContext,
    fs: &MountTable,
    run: &Run,
    mode: &Mode,
    shown: &str,
    path: &VPath,
    st: &FileStat,
) -> std::io::Result<bool> {
    let mut ok = true;
    let mut stack = vec![(shown.to_string(), path.clone(), st.clone())];
    while let Some((shown, path, st)) = stack.pop() {
        if st.is_symlink() {
            continue;
        }
        let old = current_mode(&st);
        let new = apply(mode, old, st.is_dir());
        let result = if new == old && st.mode.is_some() {
            Ok(())
        } else {
            fs.set_mode(&path, new).await
        };
        match result {
            Ok(()) => {
                let line = if new != old {
                    (run.changes || run.verbose).then(|| {
                        format!(
                            "mode of {} changed from {old:04o} ({}) to {new:04o} ({})\n",
                            quote_always(&shown),
                            symbolic(old),
                            symbolic(new)
                        )
                    })
                } else {
                    run.verbose.then(|| {
                        format!(
                            "mode of {} retained as {old:04o} ({})\n",
                            quote_always(&shown),
                            symbolic(old)
                        )
                    })
                };
                if let Some(line) = line {
                    ctx.stdout.write_str(&line).await?;
                }
            }
            Err(e) => {
                if !run.silent {
                    ctx.error(format!(
                        "changing permissions of {}: {e}",
                        quote_always(&shown)
                    ))
                    .await?;
                }
                ok = false;
            }
        }
        if run.recursive && st.is_dir() {
            match fs.list(&path).await {
                Ok(entries) => {
                    for e in entries.into_iter().rev() {
                        stack.push((child_display(&shown, &e.name), path.child(&e.name), e.stat));
                    }
                }
                Err(e) => {
                    if !run.silent {
                        ctx.error(format!(
                            "cannot read directory {}: {e}",
                            quote_always(&shown)
                        ))
                        .await?;
                    }
                    ok = false;
                }
            }
        }
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_apply_like_gnu() {
        let m = |t: &str| parse_mode(t).unwrap_or(Mode::Symbolic(Vec::new()));
        // Expectations from GNU chmod on this machine (umask 022).
        assert_eq!(apply(&m("755"), 0o644, false), 0o755);
        assert_eq!(apply(&m("+x"), 0o644, false), 0o755);
        assert_eq!(apply(&m("+w"), 0o600, false), 0o600);
        assert_eq!(apply(&m("u=rw,go="), 0o644, false), 0o600);
        assert_eq!(apply(&m("a+r,o-w"), 0o600, false), 0o644);
        assert_eq!(apply(&m("g+s"), 0o700, true), 0o2700);
        assert_eq!(apply(&m("=r"), 0o755, false), 0o444);
        assert_eq!(apply(&m("u+X"), 0o444, false), 0o444);
        assert_eq!(apply(&m("1777"), 0o2700, true), 0o3777);
        assert_eq!(apply(&m("-w"), 0, false), 0);
        assert_eq!(apply(&m("go=u"), 0o600, false), 0o666);
        assert_eq!(apply(&m("4755"), 0o644, false), 0o4755);
        assert!(parse_mode("9").is_none());
        assert!(parse_mode("xyz").is_none());
        assert_eq!(symbolic(0o4755), "rwsr-xr-x");
        assert_eq!(symbolic(0o1777), "rwxrwxrwt");
        assert_eq!(symbolic(0o2600), "rw---S---");
    }
}
