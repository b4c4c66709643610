//! `{name}>file`, `{name}<file`, `{name}<<<text`, `{name}>&-`: redirections where the shell
//! picks the descriptor (the lowest free one from 10, as bash does) and stores its number in
//! the variable, or closes the descriptor the variable names.
//!
//! The parser gives `{name}` as a word followed by an ordinary redirection; a redirection
//! glued to such a word (no blank between) is this form.

use brush_parser::ast::{
    self, IoFileRedirectKind, IoFileRedirectTarget, IoRedirect, SourceLocation,
};

use super::io::Io;
use super::state::ShellState;

/// The first descriptor bash hands out for `{name}` redirections.
const FIRST_NAMED_FD: i32 = 10;

/// The variable of a `{name}` word glued to the redirection `r` that follows it.
pub fn variable<'a>(word: &'a ast::Word, r: &IoRedirect) -> Option<&'a str> {
    let name = word.value.strip_prefix('{')?.strip_suffix('}')?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
    let explicit_fd = match r {
        IoRedirect::File(fd, ..)
        | IoRedirect::HereString(fd, _)
        | IoRedirect::HereDocument(fd, _) => fd.is_some(),
        IoRedirect::OutputAndError(..) => true,
    };
    let glued = match (word.location(), target_start(r)) {
        (Some(w), Some((start, operator_len))) => w.end.index + operator_len == start,
        _ => false,
    };
    (valid && glued && !explicit_fd).then_some(name)
}

/// Where the redirection's target word starts and the length of its operator. The parser
/// keeps no position for the operator itself, so `{fd}>file` is recognised by the target
/// starting right after the operator that follows the word (`{fd}> file` is not).
fn target_start(r: &IoRedirect) -> Option<(usize, usize)> {
    let (word, operator_len) = match r {
        IoRedirect::File(
            _,
            kind,
            IoFileRedirectTarget::Filename(w) | IoFileRedirectTarget::Duplicate(w),
        ) => {
            let len = match kind {
                IoFileRedirectKind::Read | IoFileRedirectKind::Write => 1,
                _ => 2,
            };
            (w, len)
        }
        IoRedirect::HereString(_, w) => (w, 3),
        IoRedirect::HereDocument(_, doc) => (&doc.here_end, if doc.remove_tabs { 3 } else { 2 }),
        _ => return None,
    };
    Some((word.location()?.start.index, operator_len))
}

/// The redirection with its descriptor filled in (`None`: nothing to do). Opening picks a free descriptor and assigns
/// it to `name`; closing (`>&-`, `<&-`) uses the descriptor `name` holds.
pub fn resolve(
    st: &mut ShellState,
    io: &Io,
    name: &str,
    r: &IoRedirect,
    earlier: &[IoRedirect],
) -> Result<Option<IoRedirect>, String> {
    let closing = matches!(
        r,
        IoRedirect::File(
            _,
            IoFileRedirectKind::DuplicateOutput | IoFileRedirectKind::DuplicateInput,
            IoFileRedirectTarget::Duplicate(w)
        ) if w.value == "-"
    );
    let fd = if closing {
        // An unset variable is an error; one that holds no number closes nothing.
        let value = st
            .get_str(name)
            .ok_or_else(|| format!("{name}: ambiguous redirect"))?;
        match value.trim().parse::<i32>() {
            Ok(n) if n >= 0 => n,
            _ => return Ok(None),
        }
    } else {
        let taken = |n: i32| {
            io.fds.contains_key(&n)
                || st.in_fds.lock().is_ok_and(|m| m.contains_key(&n))
                || earlier.iter().any(|e| fd_of(e) == Some(n))
        };
        let fd = (FIRST_NAMED_FD..)
            .find(|n| !taken(*n))
            .ok_or_else(|| format!("{name}: no free file descriptor"))?;
        st.set_var(name, &fd.to_string());
        fd
    };
    Ok(Some(with_fd(r, fd)))
}

fn fd_of(r: &IoRedirect) -> Option<i32> {
    match r {
        IoRedirect::File(fd, ..)
        | IoRedirect::HereString(fd, _)
        | IoRedirect::HereDocument(fd, _) => *fd,
        IoRedirect::OutputAndError(..) => None,
    }
}

fn with_fd(r: &IoRedirect, fd: i32) -> IoRedirect {
    match r.clone() {
        IoRedirect::File(_, kind, target) => IoRedirect::File(Some(fd), kind, target),
        IoRedirect::HereString(_, w) => IoRedirect::HereString(Some(fd), w),
        IoRedirect::HereDocument(_, d) => IoRedirect::HereDocument(Some(fd), d),
        other => other,
    }
}
