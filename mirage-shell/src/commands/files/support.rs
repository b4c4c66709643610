//! Pieces shared by the file commands: option tables and parsing with the `--help`/`--version`
//! refusal, the unsupported-option message, GNU's two quoting styles for diagnostics, display
//! path joining, and path resolution that walks an operand the way the kernel does (so
//! `file/..` fails with `Not a directory` like on a real disk).

use std::io;

use mirage_core::{
    CommandContext, ErrorKind, FileKind, FileStat, FsError, FsResult, MountTable, VPath,
};

use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};

pub use crate::commands::common::{HELP, UNSUPPORTED_STATUS, VERSION, unsupported, usage_error};

/// One long option of an `OptSpec` table, so the tables read one option a line.
pub const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

/// How most file commands start: parse `args` by `spec` (a bad option exits `usage_status`),
/// then [`refuse`] `--help`, `--version` and the option keys in `refused`. `Err` carries the
/// exit status after the message was printed.
pub async fn parse_refusing(
    ctx: &mut CommandContext,
    spec: &OptSpec,
    args: &[String],
    usage_status: i32,
    refused: &[&str],
) -> io::Result<Result<Parsed, i32>> {
    let parsed = match parse_opts(ctx, spec, args, usage_status).await {
        Ok(p) => p,
        Err(status) => return Ok(Err(status)),
    };
    Ok(match refuse(ctx, &parsed, refused).await? {
        Some(status) => Err(status),
        None => Ok(parsed),
    })
}

/// Prints `message` as the command's diagnostic and returns `false`, the "this operand failed"
/// result the per-operand workers of `cp` and `mv` hand back to set exit status 1.
pub async fn say(ctx: &mut CommandContext, message: String) -> io::Result<bool> {
    ctx.error(message).await?;
    Ok(false)
}

/// The size GNU tools see for a directory on ext4 (`stat -c %s dir`, `ls -S`, `find -size`).
/// Virtual directories have no size, so commands that compare sizes use this to order and match
/// the way the GNU oracle does on a real disk.
pub const DIR_SIZE: u64 = 4096;

/// How an option key is spelled back to the user: one letter is a short option.
pub fn option_name(key: &str) -> String {
    if key.chars().count() == 1 {
        format!("-{key}")
    } else {
        format!("--{key}")
    }
}

/// Refuses the first option whose key is in `keys` (plus `--help`/`--version`); returns the
/// status when something was refused.
pub async fn refuse(
    ctx: &mut CommandContext,
    parsed: &Parsed,
    keys: &[&str],
) -> io::Result<Option<i32>> {
    for opt in &parsed.opts {
        if opt.key == "help" || opt.key == "version" || keys.contains(&opt.key.as_str()) {
            let name = option_name(&opt.key);
            return unsupported(ctx, &name).await.map(Some);
        }
    }
    Ok(None)
}

/// Matches an option argument against GNU's table of valid words (unique abbreviations allowed,
/// as in gnulib's `argmatch`). On failure prints GNU's message with the list of valid arguments,
/// grouping synonyms (consecutive entries with the same value) on one line, and returns the
/// status to exit with.
pub async fn argmatch<T: Copy + PartialEq>(
    ctx: &mut CommandContext,
    option: &str,
    arg: &str,
    table: &[(&str, T)],
) -> io::Result<Result<T, i32>> {
    if let Some((_, v)) = table.iter().find(|(w, _)| *w == arg) {
        return Ok(Ok(*v));
    }
    let hits: Vec<T> = table
        .iter()
        .filter(|(w, _)| w.starts_with(arg))
        .map(|(_, v)| *v)
        .collect();
    let problem = match hits.first() {
        Some(first) if !arg.is_empty() && hits.iter().all(|v| v == first) => return Ok(Ok(*first)),
        Some(_) if !arg.is_empty() => "ambiguous",
        _ => "invalid",
    };
    let mut msg = format!(
        "{problem} argument {} for {}\nValid arguments are:",
        lquote(arg),
        lquote(option)
    );
    let mut prev: Option<T> = None;
    for (word, value) in table {
        if prev == Some(*value) {
            msg.push_str(&format!(", {}", lquote(word)));
        } else {
            msg.push_str(&format!("\n  - {}", lquote(word)));
        }
        prev = Some(*value);
    }
    usage_error(ctx, &msg, 1).await.map(Err)
}

/// The size to compare with: the real size of a file, [`DIR_SIZE`] for a directory, `None` when
/// the backend does not know a file's size.
pub fn gnu_size(st: &FileStat) -> Option<u64> {
    match st.kind {
        FileKind::Dir => Some(DIR_SIZE),
        FileKind::File | FileKind::Symlink | FileKind::CharDevice => st.size,
    }
}

pub use crate::commands::quoting::{lquote, quote_always, quote_if_needed};

// ---------------------------------------------------------------------------------------------
// Operands

/// Fails unless `path` is an existing directory (`Not a directory` for a file).
pub async fn require_dir(fs: &MountTable, path: &VPath) -> FsResult<()> {
    match fs.stat(path).await? {
        st if st.is_dir() => Ok(()),
        _ => Err(FsError::not_dir()),
    }
}

/// Resolves an operand the way the kernel walks it rather than lexically: a `.` or `..`
/// component or a trailing slash needs the path before it to be an existing directory, so
/// `file/..` and `missing/../x` fail as on a real disk. The final component itself is not
/// checked (the caller stats it and reports the error in its own words).
pub async fn resolve_strict(fs: &MountTable, cwd: &VPath, operand: &str) -> FsResult<VPath> {
    if operand.is_empty() {
        return Err(FsError::not_found());
    }
    let mut cur = if operand.starts_with('/') {
        VPath::root()
    } else {
        cwd.clone()
    };
    // `verified` is true while `cur` is known to be a directory (the root and the working
    // directory are), so runs of `..` cost one stat.
    let mut verified = true;
    for comp in operand.split('/') {
        match comp {
            "" => {}
            "." | ".." => {
                if !verified {
                    require_dir(fs, &cur).await?;
                    verified = true;
                }
                if comp == ".." {
                    cur = cur.parent();
                }
            }
            name => {
                cur = cur.child(name);
                verified = false;
            }
        }
    }
    if operand.ends_with('/') && !verified {
        require_dir(fs, &cur).await?;
    }
    Ok(cur)
}

/// Stats an operand resolved with [`resolve_strict`].
pub async fn stat_operand(
    fs: &MountTable,
    cwd: &VPath,
    operand: &str,
) -> FsResult<(VPath, FileStat)> {
    let path = resolve_strict(fs, cwd, operand).await?;
    let st = fs.stat(&path).await?;
    Ok((path, st))
}

/// Like [`stat_operand`], but a symlink named by the operand is described, not followed (what
/// `rm`, `mv`, `stat` and `ls -l` look at).
pub async fn lstat_operand(
    fs: &MountTable,
    cwd: &VPath,
    operand: &str,
) -> FsResult<(VPath, FileStat)> {
    let path = resolve_strict(fs, cwd, operand).await?;
    let st = fs.lstat(&path).await?;
    Ok((path, st))
}

/// The last component of an operand as coreutils' `last_component` sees it (trailing slashes
/// ignored; `/` for a name made of slashes).
pub fn base_name(operand: &str) -> &str {
    let trimmed = operand.trim_end_matches('/');
    if trimmed.is_empty() {
        return if operand.is_empty() { "" } else { "/" };
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Joins a display name and a child name with one slash, as fts and cp print nested paths.
pub fn join_display(parent: &str, name: &str) -> String {
    let trimmed = parent.trim_end_matches('/');
    if trimmed.is_empty() && parent.starts_with('/') {
        format!("/{name}")
    } else {
        format!("{trimmed}/{name}")
    }
}

/// `d` + `f` -> `d/f` as `find` and `ls -R` print it: unlike [`join_display`], a parent that
/// already ends in `/` keeps all its slashes and gets no second one (`d///f1` like GNU).
pub fn child_display(parent: &str, name: &str) -> String {
    if parent.ends_with('/') {
        format!("{parent}{name}")
    } else {
        format!("{parent}/{name}")
    }
}

/// True when `err` means the named thing is absent (what `rm -f` ignores).
pub fn is_absent(err: &FsError) -> bool {
    matches!(err.kind, ErrorKind::NotFound | ErrorKind::NotADirectory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_escape_quoting_like_coreutils() {
        // Expected values recorded from `ls -- NAME` / `realpath -e -- NAME` with coreutils 9.1.
        assert_eq!(quote_always("a b"), "'a b'");
        assert_eq!(quote_always("it's"), "\"it's\"");
        assert_eq!(quote_always("it's!"), "'it'\\''s!'");
        assert_eq!(quote_always("it's \"x\""), "'it'\\''s \"x\"'");
        assert_eq!(quote_always("a\nb"), "'a'$'\\n''b'");
        assert_eq!(quote_always("a\n"), "'a'$'\\n'");
        assert_eq!(quote_always("\x01"), "''$'\\001'");
        assert_eq!(quote_always("\x07\x08\x0c\r\x0b"), "''$'\\a\\b\\f\\r\\v'");
        assert_eq!(quote_always("a b\nc d"), "'a b'$'\\n''c d'");
        assert_eq!(quote_if_needed("a~"), "a~");
        assert_eq!(quote_if_needed("~a"), "'~a'");
        assert_eq!(quote_if_needed("a#"), "a#");
        assert_eq!(quote_if_needed("#a"), "'#a'");
        assert_eq!(quote_if_needed("a=b"), "'a=b'");
        assert_eq!(quote_if_needed("a:b"), "'a:b'");
        assert_eq!(quote_if_needed("a,b@c%d+e]f{g}"), "a,b@c%d+e]f{g}");
        assert_eq!(quote_if_needed("a^b"), "'a^b'");
        assert_eq!(quote_if_needed("é"), "é");
        assert_eq!(quote_if_needed(""), "''");
        assert_eq!(quote_if_needed("'"), "\"'\"");
    }

    #[test]
    fn locale_quoting() {
        assert_eq!(lquote("a\nb"), "\u{2018}a\\nb\u{2019}");
        assert_eq!(lquote(""), "\u{2018}\u{2019}");
    }

    #[test]
    fn names() {
        assert_eq!(base_name("d//"), "d");
        assert_eq!(base_name("/"), "/");
        assert_eq!(base_name("a/b"), "b");
        assert_eq!(join_display("d/", "f"), "d/f");
        assert_eq!(join_display("d//", "f"), "d/f");
        assert_eq!(join_display("/", "f"), "/f");
        assert_eq!(join_display(".", "f"), "./f");
    }
}
