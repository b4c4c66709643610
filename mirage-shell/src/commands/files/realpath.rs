//! `realpath`: absolute canonical names. Canonicalizing resolves `.`, `..` and workspace
//! symlinks while checking, component by component, which parts must exist (`-e` all, by
//! default all but the last, `-m` none) the way gnulib's canonicalize does. `readlink -f/-e/-m`
//! shares it.

use async_trait::async_trait;
use mirage_core::symlinks::MAX_HOPS;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, FsResult, MountTable, VPath,
};

use super::support::{HELP, VERSION, long, parse_refusing, quote_if_needed, usage_error};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Realpath;

const SPEC: OptSpec = OptSpec {
    short: "eLmPqsz",
    long: &[
        long("canonicalize-existing", HasArg::No, "e"),
        long("canonicalize-missing", HasArg::No, "m"),
        long("relative-to", HasArg::Required, "relative-to"),
        long("relative-base", HasArg::Required, "relative-base"),
        long("logical", HasArg::No, "L"),
        long("physical", HasArg::No, "P"),
        long("quiet", HasArg::No, "q"),
        long("strip", HasArg::No, "s"),
        long("no-symlinks", HasArg::No, "s"),
        long("zero", HasArg::No, "z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Which components must exist.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    All,
    AllButLast,
    Nothing,
}

#[derive(Clone, Copy)]
pub(super) struct Mode {
    pub need: Need,
    /// Resolve `..` lexically, checking only what must exist (`-s`, and `-L`'s first pass).
    pub no_links: bool,
    /// `-L`: a lexical pass, then a physical pass over its result.
    pub logical: bool,
}

/// True when what follows a component makes it have to be a directory: a trailing slash, a
/// final `.`, or a following `..` (gnulib's `suffix_requires_dir_check`).
fn suffix_needs_dir(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'/') {
        while b.get(i) == Some(&b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return true,
            Some(b'.') => i += 1,
            Some(_) => return false,
        }
        match (b.get(i), b.get(i + 1)) {
            (None, _) | (Some(b'.'), None) | (Some(b'.'), Some(b'/')) => return true,
            _ => {}
        }
    }
    false
}

/// Only slashes (or nothing) remain.
fn is_last(rest: &str) -> bool {
    rest.bytes().all(|b| b == b'/')
}

async fn dir_check(fs: &MountTable, path: &VPath) -> FsResult<()> {
    match fs.stat(path).await? {
        st if st.is_dir() => Ok(()),
        _ => Err(FsError::not_dir()),
    }
}

/// One canonicalizing pass over `name`.
async fn canonicalize(
    fs: &MountTable,
    cwd: &VPath,
    name: &str,
    need: Need,
    no_links: bool,
) -> FsResult<VPath> {
    if name.is_empty() {
        return Err(FsError::not_found());
    }
    let mut name = name.to_string();
    let mut hops = 0;
    'restart: loop {
        let mut cur = if name.starts_with('/') {
            VPath::root()
        } else {
            cwd.clone()
        };
        let mut pos = 0;
        while pos < name.len() {
            let rest = &name[pos..];
            let skip = rest.len() - rest.trim_start_matches('/').len();
            let start = pos + skip;
            let end = name[start..].find('/').map_or(name.len(), |i| start + i);
            pos = end;
            let comp = &name[start..end];
            match comp {
                "" | "." => continue,
                ".." => {
                    cur = cur.parent();
                    continue;
                }
                _ => cur = cur.child(comp),
            }
            if !no_links && let Some(target) = fs.link_target(&cur) {
                // A link: continue with its target followed by what was left of the name.
                hops += 1;
                if hops > MAX_HOPS {
                    return Err(FsError::new(ErrorKind::TooManyLinks));
                }
                let rest = &name[end..];
                name = if target.starts_with('/') {
                    format!("{target}{rest}")
                } else {
                    format!("{}/{target}{rest}", cur.parent())
                };
                continue 'restart;
            }
            if need == Need::Nothing {
                continue;
            }
            let after = &name[end..];
            let check = if suffix_needs_dir(after) {
                dir_check(fs, &cur).await
            } else if !no_links || is_last(after) {
                fs.stat(&cur).await.map(|_| ())
            } else {
                Ok(())
            };
            match check {
                Ok(()) => {}
                Err(e)
                    if need == Need::AllButLast
                        && e.kind == ErrorKind::NotFound
                        && is_last(after) => {}
                Err(e) => return Err(e),
            }
        }
        return Ok(cur);
    }
}

pub(super) async fn canon(fs: &MountTable, cwd: &VPath, name: &str, mode: Mode) -> FsResult<VPath> {
    let first = canonicalize(fs, cwd, name, mode.need, mode.no_links).await?;
    if mode.logical {
        canonicalize(fs, cwd, first.as_str(), mode.need, false).await
    } else {
        Ok(first)
    }
}

/// `path` relative to the directory `to` (`.` when equal).
pub(super) fn relative(path: &VPath, to: &VPath) -> String {
    let p: Vec<&str> = path.components().collect();
    let t: Vec<&str> = to.components().collect();
    let common = p.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; t.len() - common];
    parts.extend(&p[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[async_trait]
impl Command for Realpath {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, &[]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        let mut mode = Mode {
            need: Need::AllButLast,
            no_links: false,
            logical: false,
        };
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "e" => mode.need = Need::All,
                "m" => mode.need = Need::Nothing,
                "L" => (mode.no_links, mode.logical) = (true, true),
                "s" => (mode.no_links, mode.logical) = (true, false),
                "P" => (mode.no_links, mode.logical) = (false, false),
                _ => {}
            }
        }
        let (quiet, end) = (parsed.has("q"), if parsed.has("z") { '\0' } else { '\n' });
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut anchors = [None, None];
        for (slot, key) in ["relative-to", "relative-base"].iter().enumerate() {
            if let Some(dir) = parsed.last(key) {
                match canon(&fs, &cwd, dir, mode).await {
                    Ok(p) => anchors[slot] = Some(p),
                    Err(e) => {
                        ctx.error(format!("{}: {e}", quote_if_needed(dir))).await?;
                        return Ok(1);
                    }
                }
            }
        }
        let [mut to, mut base] = anchors;
        match (&to, &base) {
            (Some(t), Some(b)) if !t.starts_with(b) => (to, base) = (None, None),
            (None, Some(b)) => to = Some(b.clone()),
            _ => {}
        }
        let mut status = 0;
        for op in &parsed.operands {
            match canon(&fs, &cwd, op, mode).await {
                Ok(path) => {
                    let shown = match (&to, &base) {
                        (_, Some(b)) if !path.starts_with(b) => path.to_string(),
                        (Some(t), _) => relative(&path, t),
                        _ => path.to_string(),
                    };
                    ctx.stdout
                        .write_all(format!("{shown}{end}").as_bytes())
                        .await?;
                }
                Err(e) => {
                    if !quiet {
                        ctx.error(format!("{}: {e}", quote_if_needed(op))).await?;
                    }
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fails, fs_with, run_on};

    const FILES: &[(&str, &str)] = &[("d/sub/", ""), ("f", "")];

    /// Expectations recorded in `/tmp/filesgnu11.PNMU` (here `/data`).
    const CASES: &[(&[&str], &str, &str, i32)] = &[
        (
            &["f", "d", "d/sub/", ".", "..", "/"],
            "/data/f\n/data/d\n/data/d/sub\n/data\n/\n/\n",
            "",
            0,
        ),
        (&["nope"], "/data/nope\n", "", 0),
        (
            &["nope/x"],
            "",
            "realpath: nope/x: No such file or directory\n",
            1,
        ),
        (
            &["-e", "nope"],
            "",
            "realpath: nope: No such file or directory\n",
            1,
        ),
        (
            &["-e", "f", "nope", "d"],
            "/data/f\n/data/d\n",
            "realpath: nope: No such file or directory\n",
            1,
        ),
        (&["-m", "nope/x/../y"], "/data/nope/y\n", "", 0),
        (&["f/x"], "", "realpath: f/x: Not a directory\n", 1),
        (&["-m", "f/x"], "/data/f/x\n", "", 0),
        (&["-e", "f/"], "", "realpath: f/: Not a directory\n", 1),
        (&["f/"], "", "realpath: f/: Not a directory\n", 1),
        (&["f/.."], "", "realpath: f/..: Not a directory\n", 1),
        (&["-m", "f/.."], "/data\n", "", 0),
        (&["-s", "d/../f"], "/data/f\n", "", 0),
        (&[""], "", "realpath: '': No such file or directory\n", 1),
        (
            &["-m", ""],
            "",
            "realpath: '': No such file or directory\n",
            1,
        ),
        (&["--relative-to=d", "f"], "../f\n", "", 0),
        (
            &["--relative-to=d/sub", "f", "d/sub", "d"],
            "../../f\n.\n..\n",
            "",
            0,
        ),
        (
            &["--relative-base=d", "f", "d/sub"],
            "/data/f\nsub\n",
            "",
            0,
        ),
        (&["--relative-to=nope", "f"], "../f\n", "", 0),
        (&["-m", "--relative-to=nope", "f"], "../f\n", "", 0),
        (&["-z", "f", "d"], "/data/f\0/data/d\0", "", 0),
        (&["-q", "nope/x", "f"], "/data/f\n", "", 1),
        (&["-L", "d/../f"], "/data/f\n", "", 0),
        (&["-P", "d/../f"], "/data/f\n", "", 0),
        (&["d//sub//"], "/data/d/sub\n", "", 0),
        (&["//data"], "/data\n", "", 0),
        (&["-m", "//x/y"], "/x/y\n", "", 0),
        (&["-s", "f/.."], "", "realpath: f/..: Not a directory\n", 1),
        (&["-s", "f/x"], "", "realpath: f/x: Not a directory\n", 1),
        (&["-s", "nope/x"], "/data/nope/x\n", "", 0),
        (&["-se", "f/"], "", "realpath: f/: Not a directory\n", 1),
        (
            &["-s", "nope/../f"],
            "",
            "realpath: nope/../f: No such file or directory\n",
            1,
        ),
        (
            &["nope/../f"],
            "",
            "realpath: nope/../f: No such file or directory\n",
            1,
        ),
        (
            &["-e", "nope/../f"],
            "",
            "realpath: nope/../f: No such file or directory\n",
            1,
        ),
        (&["-m", "nope/../f"], "/data/f\n", "", 0),
        (&["-e", "d/sub/.."], "/data/d\n", "", 0),
        (
            &["-e", "--relative-to=nope", "f"],
            "",
            "realpath: nope: No such file or directory\n",
            1,
        ),
        (
            &["--relative-to=d", "--relative-base=d/sub", "f", "d/sub/x"],
            "/data/f\n/data/d/sub/x\n",
            "",
            0,
        ),
        (
            &["--relative-to=f/x", "f"],
            "",
            "realpath: f/x: Not a directory\n",
            1,
        ),
        (&["--relative-base=/", "f"], "data/f\n", "", 0),
        (&["--relative-to=/", "f", "/"], "data/f\n.\n", "", 0),
        (
            &["-L", "nope/../f"],
            "",
            "realpath: nope/../f: No such file or directory\n",
            1,
        ),
        (&["nope/"], "/data/nope\n", "", 0),
        (
            &["-e", "nope/"],
            "",
            "realpath: nope/: No such file or directory\n",
            1,
        ),
        (&["-s", "nope/"], "/data/nope\n", "", 0),
        (&["-Ls", "nope/x"], "/data/nope/x\n", "", 0),
        (
            &["-sP", "nope/x"],
            "",
            "realpath: nope/x: No such file or directory\n",
            1,
        ),
        (&["-me", "f"], "/data/f\n", "", 0),
        (&["-em", "nope/x"], "/data/nope/x\n", "", 0),
        (&["--relative-base=nope", "f"], "/data/f\n", "", 0),
        (&["--relative-to=d", "-z", "f"], "../f\0", "", 0),
        (
            &["-e", "a b"],
            "",
            "realpath: 'a b': No such file or directory\n",
            1,
        ),
    ];

    #[tokio::test]
    async fn like_gnu() {
        let fs = fs_with(FILES).await;
        for (args, out, err, status) in CASES {
            let mut argv = vec!["realpath"];
            argv.extend_from_slice(args);
            let got = run_on(&fs, &argv).await;
            assert_eq!(
                (got.out().as_str(), got.err().as_str(), got.status),
                (*out, *err, *status),
                "{args:?}"
            );
        }
        fails(
            &run_on(&fs, &["realpath"]).await,
            "realpath: missing operand\nTry 'realpath --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["realpath", "-E", "f"]).await,
            "realpath: invalid option -- 'E'\nTry 'realpath --help' for more information.\n",
        );
    }
}
