//! `rm`: remove files, and with `-r` whole trees (children in byte order of their names, each
//! directory after its contents). `-i` asks before each removal and `-I` once before removing
//! more than three operands or recursively, reading the answers from standard input (at its
//! end the answer is no); `-i` with `-r` is refused.

use std::future::Future;
use std::io;
use std::pin::Pin;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, FsError, VPath};

use super::support::{
    HELP, VERSION, argmatch, base_name, is_absent, join_display, long, quote_always,
    quote_if_needed, refuse, resolve_strict, say, stat_operand, unsupported, usage_error,
};
use crate::commands::getopt::{self, HasArg, OptSpec};

pub struct Rm;

const SPEC: OptSpec = OptSpec {
    short: "dfirvIR",
    long: &[
        long("dir", HasArg::No, "d"),
        long("force", HasArg::No, "f"),
        long("interactive", HasArg::Optional, "interactive"),
        long("one-file-system", HasArg::No, "one-file-system"),
        long("no-preserve-root", HasArg::No, "no-preserve-root"),
        long("preserve-root", HasArg::Optional, "preserve-root"),
        long("recursive", HasArg::No, "r"),
        long("verbose", HasArg::No, "v"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Never,
    Once,
    Always,
}

const INTERACTIVE: &[(&str, Prompt)] = &[
    ("never", Prompt::Never),
    ("no", Prompt::Never),
    ("none", Prompt::Never),
    ("once", Prompt::Once),
    ("always", Prompt::Always),
    ("yes", Prompt::Always),
];

struct Opts {
    /// `-i`/`-I`/`--interactive`.
    prompt: Prompt,
    force: bool,
    recursive: bool,
    dir: bool,
    verbose: bool,
    preserve_root: bool,
}

#[async_trait]
impl Command for Rm {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => return usage_with_hyphen_hint(ctx, &msg, &args).await,
        };
        if let Some(status) = refuse(ctx, &parsed, &["one-file-system"]).await? {
            return Ok(status);
        }
        let mut o = Opts {
            prompt: Prompt::Never,
            force: false,
            recursive: false,
            dir: false,
            verbose: false,
            preserve_root: true,
        };
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "f" => (o.force, o.prompt) = (true, Prompt::Never),
                "i" => (o.force, o.prompt) = (false, Prompt::Always),
                "I" => (o.force, o.prompt) = (false, Prompt::Once),
                "r" | "R" => o.recursive = true,
                "d" => o.dir = true,
                "v" => o.verbose = true,
                "no-preserve-root" => o.preserve_root = false,
                "preserve-root" => match opt.value.as_deref() {
                    None | Some("all") => o.preserve_root = true,
                    Some(v) => {
                        ctx.error(format!(
                            "unrecognized --preserve-root argument: {}",
                            quote_always(v)
                        ))
                        .await?;
                        return Ok(1);
                    }
                },
                "interactive" => {
                    let when = match opt.value.as_deref() {
                        None => Prompt::Always,
                        Some(v) => match argmatch(ctx, "--interactive", v, INTERACTIVE).await? {
                            Ok(w) => w,
                            Err(status) => return Ok(status),
                        },
                    };
                    o.prompt = when;
                    o.force = false;
                }
                _ => {}
            }
        }
        if parsed.operands.is_empty() {
            if o.force {
                return Ok(0);
            }
            return usage_error(ctx, "missing operand", 1).await;
        }
        if o.prompt == Prompt::Always && o.recursive {
            return unsupported(ctx, "-i with -r").await;
        }
        let n = parsed.operands.len();
        if o.prompt == Prompt::Once && (n > 3 || o.recursive) {
            let plural = if n == 1 { "argument" } else { "arguments" };
            let how = if o.recursive { " recursively" } else { "" };
            let question = format!("{}: remove {n} {plural}{how}? ", ctx.name);
            if !confirm(ctx, &question).await? {
                return Ok(0);
            }
        }
        let mut status = 0;
        for op in &parsed.operands {
            if !remove_operand(ctx, op, &o).await? {
                status = 1;
            }
        }
        Ok(status)
    }
}

/// GNU's usage error, plus its hint when an argument that looked like an option names an
/// existing file (`Try 'rm ./-dash' to remove the file '-dash'.`).
async fn usage_with_hyphen_hint(
    ctx: &mut CommandContext,
    msg: &str,
    args: &[String],
) -> io::Result<i32> {
    ctx.error(msg).await?;
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    for arg in args.iter().filter(|a| a.len() > 1 && a.starts_with('-')) {
        if stat_operand(&fs, &cwd, arg).await.is_ok() {
            let hint = format!(
                "Try '{} ./{}' to remove the file {}.\n",
                ctx.name,
                quote_if_needed(arg),
                quote_always(arg)
            );
            ctx.stderr.write_all(hint.as_bytes()).await?;
            break;
        }
    }
    let hint = format!("Try '{} --help' for more information.\n", ctx.name);
    ctx.stderr.write_all(hint.as_bytes()).await?;
    Ok(1)
}

/// Removes one operand; false when anything could not be removed.
async fn remove_operand(ctx: &mut CommandContext, op: &str, o: &Opts) -> io::Result<bool> {
    let base = base_name(op);
    if o.recursive && (base == "." || base == "..") {
        ctx.error(format!(
            "refusing to remove '.' or '..' directory: skipping {}",
            quote_always(op)
        ))
        .await?;
        return Ok(false);
    }
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    let found = match resolve_strict(&fs, &cwd, op).await {
        Ok(p) => fs.lstat(&p).await.map(|st| (p, st)),
        Err(e) => Err(e),
    };
    let (path, stat) = match found {
        Ok(v) => v,
        Err(e) if o.force && is_absent(&e) => return Ok(true),
        Err(e) => return fail(ctx, op, &e).await,
    };
    if o.recursive && o.preserve_root && path.is_root() {
        let same = if op == "/" {
            String::new()
        } else {
            " (same as '/')".to_string()
        };
        ctx.error(format!(
            "it is dangerous to operate recursively on {}{same}",
            quote_always(op)
        ))
        .await?;
        ctx.error("use --no-preserve-root to override this failsafe")
            .await?;
        return Ok(false);
    }
    if !stat.is_dir() {
        if o.prompt == Prompt::Always {
            let kind = if stat.is_symlink() {
                "symbolic link"
            } else if stat.size == Some(0) {
                "regular empty file"
            } else {
                "regular file"
            };
            let question = format!("{}: remove {kind} {}? ", ctx.name, quote_always(op));
            if !confirm(ctx, &question).await? {
                return Ok(true);
            }
        }
        return remove_file(ctx, op, &path, o).await;
    }
    if o.recursive {
        // Without -v nothing is printed per entry, so a backend that deletes a whole tree in
        // bulk (an object store by prefix) may do it in a few calls instead of one per file.
        if !o.verbose {
            // A failed bulk delete falls back to the walk, which reports each entry that
            // could not go, as GNU rm does.
            if let Ok(true) = fs.remove_tree_bulk(&path).await {
                return Ok(true);
            }
        }
        return remove_tree(ctx, root_display(op), path, o).await;
    }
    if !o.dir {
        return fail(ctx, op, &FsError::is_dir()).await;
    }
    // GNU checks emptiness itself before removing, so `rm -d .` says "not empty".
    if fs.list(&path).await.is_ok_and(|v| !v.is_empty()) {
        return fail(ctx, op, &FsError::not_empty()).await;
    }
    if base == "." || base == ".." {
        return fail(ctx, op, &FsError::new(ErrorKind::InvalidArgument)).await;
    }
    if o.prompt == Prompt::Always {
        let question = format!("{}: remove directory {}? ", ctx.name, quote_always(op));
        if !confirm(ctx, &question).await? {
            return Ok(true);
        }
    }
    remove_dir(ctx, op, &path, o).await
}

/// Asks `question` on standard error and reads one answer line from standard input: yes when
/// it starts with `y` or `Y`, no otherwise and at end of input.
async fn confirm(ctx: &mut CommandContext, question: &str) -> io::Result<bool> {
    use tokio::io::AsyncBufReadExt;
    ctx.stderr.write_all(question.as_bytes()).await?;
    let mut line = Vec::new();
    ctx.stdin.read_until(b'\n', &mut line).await?;
    Ok(matches!(line.first(), Some(b'y' | b'Y')))
}

/// How fts names the top of a tree: repeated trailing slashes become one (`d//` -> `d/`).
fn root_display(op: &str) -> String {
    let trimmed = op.trim_end_matches('/');
    if trimmed.len() + 1 < op.len() && !trimmed.is_empty() {
        format!("{trimmed}/")
    } else {
        op.to_string()
    }
}

async fn fail(ctx: &mut CommandContext, name: &str, err: &FsError) -> io::Result<bool> {
    say(ctx, format!("cannot remove {}: {err}", quote_always(name))).await
}

async fn remove_file(
    ctx: &mut CommandContext,
    name: &str,
    path: &VPath,
    o: &Opts,
) -> io::Result<bool> {
    remove_entry(ctx, name, path, o, false).await
}

async fn remove_dir(
    ctx: &mut CommandContext,
    name: &str,
    path: &VPath,
    o: &Opts,
) -> io::Result<bool> {
    remove_entry(ctx, name, path, o, true).await
}

/// Removes one file or (`is_dir`) one empty directory, saying so under `-v` in GNU's words.
/// `-f` forgives a file that vanished; a directory that fails is always reported.
async fn remove_entry(
    ctx: &mut CommandContext,
    name: &str,
    path: &VPath,
    o: &Opts,
    is_dir: bool,
) -> io::Result<bool> {
    let fs = ctx.fs.clone();
    let (result, what) = if is_dir {
        (fs.remove_dir(path).await, "removed directory")
    } else {
        (fs.remove_file(path).await, "removed")
    };
    match result {
        Ok(()) => {
            if o.verbose {
                ctx.stdout
                    .write_all(format!("{what} {}\n", quote_always(name)).as_bytes())
                    .await?;
            }
            Ok(true)
        }
        Err(e) if !is_dir && o.force && e.kind == ErrorKind::NotFound => Ok(true),
        Err(e) => fail(ctx, name, &e).await,
    }
}

/// Removes a directory's contents and then the directory. A directory whose contents could not
/// all be removed is left alone without a second message, as GNU rm does.
fn remove_tree<'a>(
    ctx: &'a mut CommandContext,
    display: String,
    path: VPath,
    o: &'a Opts,
) -> Pin<Box<dyn Future<Output = io::Result<bool>> + Send + 'a>> {
    Box::pin(async move {
        let entries = match ctx.fs.clone().list(&path).await {
            Ok(e) => e,
            Err(e) => return fail(ctx, &display, &e).await,
        };
        let mut ok = true;
        for entry in entries {
            let child_display = join_display(&display, &entry.name);
            let child = path.child(&entry.name);
            let removed = if entry.stat.is_dir() {
                remove_tree(ctx, child_display, child, o).await?
            } else {
                remove_file(ctx, &child_display, &child, o).await?
            };
            ok &= removed;
        }
        if !ok {
            return Ok(false);
        }
        remove_dir(ctx, &display, &path, o).await
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fails, fs_with, mounts, run_on, succeeds, tree};
    use mirage_core::MountMode;

    const FILES: &[(&str, &str)] = &[
        ("d/f1", "x\n"),
        ("d/sub/g", "abcdef"),
        ("e/", ""),
        ("a", ""),
        ("b", ""),
    ];

    #[tokio::test]
    async fn files_and_errors() {
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["rm", "nope"]).await,
            "rm: cannot remove 'nope': No such file or directory\n",
        );
        succeeds(&run_on(&fs, &["rm", "-f", "nope"]).await, "");
        fails(
            &run_on(&fs, &["rm", "d"]).await,
            "rm: cannot remove 'd': Is a directory\n",
        );
        fails(
            &run_on(&fs, &["rm", "e"]).await,
            "rm: cannot remove 'e': Is a directory\n",
        );
        fails(
            &run_on(&fs, &["rm", "-d", "d"]).await,
            "rm: cannot remove 'd': Directory not empty\n",
        );
        succeeds(&run_on(&fs, &["rm", "-d", "e"]).await, "");
        succeeds(
            &run_on(&fs, &["rm", "-v", "a", "b"]).await,
            "removed 'a'\nremoved 'b'\n",
        );
        fails(
            &run_on(&fs, &["rm"]).await,
            "rm: missing operand\nTry 'rm --help' for more information.\n",
        );
        succeeds(&run_on(&fs, &["rm", "-f"]).await, "");
        fails(
            &run_on(&fs, &["rm", "."]).await,
            "rm: cannot remove '.': Is a directory\n",
        );
        fails(
            &run_on(&fs, &["rm", "-d", "."]).await,
            "rm: cannot remove '.': Directory not empty\n",
        );
        fails(
            &run_on(&fs, &["rm", "-f", "."]).await,
            "rm: cannot remove '.': Is a directory\n",
        );
        fails(
            &run_on(&fs, &["rm", "d/f1/"]).await,
            "rm: cannot remove 'd/f1/': Not a directory\n",
        );
        succeeds(&run_on(&fs, &["rm", "-f", "d/f1/"]).await, "");
        fails(
            &run_on(&fs, &["rm", ""]).await,
            "rm: cannot remove '': No such file or directory\n",
        );
        succeeds(&run_on(&fs, &["rm", "-f", ""]).await, "");
        let both = "rm: cannot remove 'nope': No such file or directory\nrm: cannot remove 'd/f1/x': Not a directory\n";
        fails(&run_on(&fs, &["rm", "-r", "nope", "d/f1/x"]).await, both);
        assert_eq!(tree(&fs).await, vec!["d/", "d/f1", "d/sub/", "d/sub/g"]);
    }

    #[tokio::test]
    async fn recursive() {
        let fs = fs_with(FILES).await;
        let refuse =
            |n: &str| format!("rm: refusing to remove '.' or '..' directory: skipping '{n}'\n");
        check(&run_on(&fs, &["rm", "-r", "."]).await, "", &refuse("."), 1);
        check(
            &run_on(&fs, &["rm", "-r", ".."]).await,
            "",
            &refuse(".."),
            1,
        );
        check(
            &run_on(&fs, &["rm", "-r", "d/."]).await,
            "",
            &refuse("d/."),
            1,
        );
        check(
            &run_on(&fs, &["rm", "-rf", "d/.."]).await,
            "",
            &refuse("d/.."),
            1,
        );
        let root = "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n";
        check(&run_on(&fs, &["rm", "-rf", "/"]).await, "", root, 1);
        fails(
            &run_on(&fs, &["rm", "-r", "--preserve-root", "/"]).await,
            root,
        );
        let same = "rm: it is dangerous to operate recursively on '//' (same as '/')\nrm: use --no-preserve-root to override this failsafe\n";
        check(&run_on(&fs, &["rm", "-r", "//"]).await, "", same, 1);
        succeeds(&run_on(&fs, &["rm", "-r", "./d/sub/"]).await, "");
        assert_eq!(tree(&fs).await, vec!["a", "b", "d/", "d/f1", "e/"]);
        succeeds(&run_on(&fs, &["rm", "-R", "e"]).await, "");
        let fs = fs_with(FILES).await;
        let v =
            "removed 'd/f1'\nremoved 'd/sub/g'\nremoved directory 'd/sub'\nremoved directory 'd'\n";
        succeeds(&run_on(&fs, &["rm", "-rv", "d"]).await, v);
        let fs = fs_with(FILES).await;
        let v = "removed 'd/f1'\nremoved 'd/sub/g'\nremoved directory 'd/sub'\nremoved directory 'd/'\n";
        succeeds(&run_on(&fs, &["rm", "-rv", "d//"]).await, v);
        let fs = fs_with(FILES).await;
        let v = "removed 'd/sub/g'\nremoved directory 'd/sub'\nremoved directory 'e'\n";
        succeeds(
            &run_on(&fs, &["rm", "-dv", "d/sub/g", "d/sub", "e"]).await,
            v,
        );
    }

    #[tokio::test]
    async fn options() {
        let fs = fs_with(FILES).await;
        check(
            &run_on(&fs, &["rm", "-ri", "a"]).await,
            "",
            "mirage: rm: unsupported option: -i with -r\n",
            2,
        );
        succeeds(&run_on(&fs, &["rm", "--interactive=never", "a"]).await, "");
        fails(
            &run_on(&fs, &["rm", "--no-preserve-root"]).await,
            "rm: missing operand\nTry 'rm --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["rm", "-r", "--preserve-root=x", "/"]).await,
            "rm: unrecognized --preserve-root argument: 'x'\n",
        );
        let bogus = "rm: invalid argument \u{2018}bogus\u{2019} for \u{2018}--interactive\u{2019}\nValid arguments are:\n  - \u{2018}never\u{2019}, \u{2018}no\u{2019}, \u{2018}none\u{2019}\n  - \u{2018}once\u{2019}\n  - \u{2018}always\u{2019}, \u{2018}yes\u{2019}\nTry 'rm --help' for more information.\n";
        fails(
            &run_on(&fs, &["rm", "--interactive=bogus", "b"]).await,
            bogus,
        );
        let fs = fs_with(&[("-dash", ""), ("-x y", "")]).await;
        let hint = "rm: invalid option -- 'a'\nTry 'rm ./-dash' to remove the file '-dash'.\nTry 'rm --help' for more information.\n";
        check(&run_on(&fs, &["rm", "-v", "-dash"]).await, "", hint, 1);
        let hint = "rm: invalid option -- 'x'\nTry 'rm ./'-x y'' to remove the file '-x y'.\nTry 'rm --help' for more information.\n";
        check(&run_on(&fs, &["rm", "-x y"]).await, "", hint, 1);
        fails(
            &run_on(&fs, &["rm", "-z"]).await,
            "rm: invalid option -- 'z'\nTry 'rm --help' for more information.\n",
        );
    }

    #[tokio::test]
    async fn read_only_mount() {
        let fs = mounts(&[("/data", FILES, MountMode::Read)]).await;
        fails(
            &run_on(&fs, &["rm", "b"]).await,
            "rm: cannot remove 'b': Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["rm", "-rf", "d"]).await,
            "rm: cannot remove 'd/f1': Read-only file system\nrm: cannot remove 'd/sub/g': Read-only file system\n",
        );
    }
}
