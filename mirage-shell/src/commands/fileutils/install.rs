//! `install`: copy files and set their mode (`-m`, default 0755), or make directories (`-d`),
//! with `-D` (make the destination's parents), `-t DIR`, `-T` and `-v`. Built on the mount
//! table's copy, mkdir and set_mode. `-o`/`-g` naming the user and group Mirage runs as
//! (which own every file) are no-ops; other owners, stripping, backups and timestamp
//! preservation are refused.

use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, FsError, VPath, async_trait};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always};

pub struct Install;

const fn opt(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "bcCdDg:m:o:psS:t:TvZ",
    long: &[
        opt("backup", HasArg::Optional, "b"),
        opt("compare", HasArg::No, "C"),
        opt("directory", HasArg::No, "d"),
        opt("group", HasArg::Required, "g"),
        opt("mode", HasArg::Required, "m"),
        opt("owner", HasArg::Required, "o"),
        opt("preserve-timestamps", HasArg::No, "p"),
        opt("strip", HasArg::No, "s"),
        opt("strip-program", HasArg::Required, "strip-program"),
        opt("suffix", HasArg::Required, "S"),
        opt("target-directory", HasArg::Required, "t"),
        opt("no-target-directory", HasArg::No, "T"),
        opt("verbose", HasArg::No, "v"),
        opt("preserve-context", HasArg::No, "preserve-context"),
        opt("context", HasArg::Optional, "Z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Applies a mode as `install -m` reads it: chmod's syntax (octal or symbolic clauses),
/// applied to 0 with a zero umask (`+x` gives 0111). `None` when the text is not a mode.
fn parse_mode(text: &str, is_dir: bool) -> Option<u32> {
    let mode = crate::commands::files::chmod::parse_mode(text)?;
    Some(crate::commands::files::chmod::apply_with_umask(
        &mode, 0, is_dir, 0,
    ))
}

/// The display of `name` inside directory `dir` (`d/a`, no doubled slash).
fn join_display(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The last component of an operand (`dir/a` gives `a`).
fn base_name(operand: &str) -> &str {
    let trimmed = operand.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((_, b)) => b,
        None => trimmed,
    }
}

struct Run {
    verbose: bool,
    mode: Option<String>,
    status: i32,
}

impl Run {
    /// `mkdir -p` for `operand`, printing `creating directory` lines with -v. The message for
    /// a component that cannot be made uses `quote` (GNU differs between -d and -D).
    async fn make_dirs(
        &mut self,
        ctx: &mut CommandContext,
        operand: &str,
        curly: bool,
    ) -> std::io::Result<bool> {
        let mut shown = String::new();
        if operand.starts_with('/') {
            shown.push('/');
        }
        let parts: Vec<&str> = operand.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            if !shown.is_empty() && !shown.ends_with('/') {
                shown.push('/');
            }
            shown.push_str(part);
            if *part == "." || *part == ".." {
                continue;
            }
            let path = ctx.path(&shown);
            let last = i + 1 == parts.len();
            let err = match ctx.fs.stat(&path).await {
                Ok(st) if st.is_dir() => continue,
                Ok(_) => FsError::new(if last && curly {
                    ErrorKind::AlreadyExists
                } else {
                    ErrorKind::NotADirectory
                }),
                Err(_) => match ctx.fs.mkdir(&path).await {
                    Ok(()) => {
                        if self.verbose {
                            // GNU prints these on stdout, with the program name.
                            let line = format!(
                                "{}: creating directory {}\n",
                                ctx.name,
                                quote_always(&shown)
                            );
                            ctx.stdout.write_str(&line).await?;
                        }
                        continue;
                    }
                    Err(e) => e,
                },
            };
            let q = if curly {
                lquote(&shown)
            } else {
                quote_always(&shown)
            };
            ctx.stdout.flush().await?;
            ctx.error(format!("cannot create directory {q}: {err}"))
                .await?;
            self.status = 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// Sets the mode of an installed file or directory (default 0755).
    async fn set_mode(&mut self, ctx: &mut CommandContext, path: &VPath, is_dir: bool) {
        let mode = match &self.mode {
            Some(m) => parse_mode(m, is_dir).unwrap_or(0o755),
            None => 0o755,
        };
        // Backends without permission bits keep their defaults.
        let _ = ctx.fs.set_mode(path, mode).await;
    }

    /// Installs one file `src` as `dest`.
    async fn install_file(
        &mut self,
        ctx: &mut CommandContext,
        src: &str,
        dest: &str,
    ) -> std::io::Result<()> {
        let src_path = ctx.path(src);
        match ctx.fs.stat(&src_path).await {
            Ok(st) if st.is_dir() => {
                ctx.stdout.flush().await?;
                ctx.error(format!("omitting directory {}", quote_always(src)))
                    .await?;
                self.status = 1;
                return Ok(());
            }
            Ok(_) => {}
            Err(e) => {
                ctx.error(format!("cannot stat {}: {e}", quote_always(src)))
                    .await?;
                self.status = 1;
                return Ok(());
            }
        }
        let dest_path = ctx.path(dest);
        if dest_path == src_path && !dest.is_empty() {
            let msg = format!(
                "{} and {} are the same file",
                quote_always(src),
                quote_always(dest)
            );
            ctx.error(msg).await?;
            self.status = 1;
            return Ok(());
        }
        let cannot_create =
            |e: &FsError| format!("cannot create regular file {}: {e}", quote_always(dest));
        let existing = if dest.is_empty() {
            Err(FsError::new(ErrorKind::NotFound))
        } else {
            ctx.fs.stat(&dest_path).await
        };
        match existing {
            Ok(st) if st.is_dir() => {
                let msg = format!(
                    "cannot overwrite directory {} with non-directory",
                    quote_always(dest)
                );
                ctx.error(msg).await?;
                self.status = 1;
                return Ok(());
            }
            Ok(_) => {
                if let Err(e) = ctx.fs.remove_file(&dest_path).await {
                    ctx.error(cannot_create(&e)).await?;
                    self.status = 1;
                    return Ok(());
                }
                if self.verbose {
                    let line = format!("removed {}\n", quote_always(dest));
                    ctx.stdout.write_str(&line).await?;
                }
            }
            Err(_) => {}
        }
        if self.verbose {
            let line = format!("{} -> {}\n", quote_always(src), quote_always(dest));
            ctx.stdout.write_str(&line).await?;
        }
        if dest.is_empty() || dest.ends_with('/') {
            ctx.stdout.flush().await?;
            let e = FsError::new(if dest.is_empty() {
                ErrorKind::NotFound
            } else {
                ErrorKind::NotADirectory
            });
            ctx.error(cannot_create(&e)).await?;
            self.status = 1;
            return Ok(());
        }
        if let Err(e) = ctx.fs.copy_file(&src_path, &dest_path).await {
            ctx.stdout.flush().await?;
            ctx.error(cannot_create(&e)).await?;
            self.status = 1;
            return Ok(());
        }
        self.set_mode(ctx, &dest_path, false).await;
        Ok(())
    }
}

#[async_trait]
impl Command for Install {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        // Every file belongs to the user and group Mirage runs as: naming those is a no-op.
        use crate::commands::system::hostinfo::{is_current_group, is_current_user};
        if let Some(owner) = parsed.last("o")
            && !is_current_user(owner)
        {
            return unsupported(ctx, &format!("--owner={owner}")).await;
        }
        if let Some(group) = parsed.last("g")
            && !is_current_group(group)
        {
            return unsupported(ctx, &format!("--group={group}")).await;
        }
        for (key, shown) in [
            ("help", "--help"),
            ("b", "--backup"),
            ("C", "--compare"),
            ("p", "--preserve-timestamps"),
            ("s", "--strip"),
            ("strip-program", "--strip-program"),
            ("S", "--suffix"),
            ("preserve-context", "--preserve-context"),
            ("Z", "--context"),
        ] {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        let mut run = Run {
            verbose: parsed.has("v"),
            mode: parsed.last("m").map(str::to_string),
            status: 0,
        };
        if let Some(m) = &run.mode
            && parse_mode(m, false).is_none()
        {
            ctx.error(format!("invalid mode {}", lquote(m))).await?;
            return Ok(1);
        }
        let target = parsed.last("t").map(str::to_string);
        let no_target = parsed.has("T");
        if target.is_some() && no_target {
            ctx.error("cannot combine --target-directory (-t) and --no-target-directory (-T)")
                .await?;
            return Ok(1);
        }
        let ops = &parsed.operands;
        if parsed.has("d") {
            if ops.is_empty() {
                return usage_error(ctx, "missing file operand", 1).await;
            }
            for op in ops {
                if run.make_dirs(ctx, op, true).await? {
                    let path = ctx.path(op);
                    run.set_mode(ctx, &path, true).await;
                }
            }
            ctx.stdout.flush().await?;
            return Ok(run.status);
        }
        let parents = parsed.has("D");
        if ops.is_empty() {
            return usage_error(ctx, "missing file operand", 1).await;
        }
        if let Some(dir) = target {
            if parents && !run.make_dirs(ctx, &dir, false).await? {
                return Ok(run.status);
            }
            let dir_path = ctx.path(&dir);
            match ctx.fs.stat(&dir_path).await {
                Ok(st) if st.is_dir() => {}
                Ok(_) => {
                    let e = FsError::new(ErrorKind::NotADirectory);
                    let msg = format!("failed to access {}: {e}", quote_always(&dir));
                    ctx.error(msg).await?;
                    return Ok(1);
                }
                Err(e) => {
                    let msg = format!("failed to access {}: {e}", quote_always(&dir));
                    ctx.error(msg).await?;
                    return Ok(1);
                }
            }
            for src in ops {
                let dest = join_display(&dir, base_name(src));
                run.install_file(ctx, src, &dest).await?;
            }
            ctx.stdout.flush().await?;
            return Ok(run.status);
        }
        if ops.len() == 1 {
            let msg = format!(
                "missing destination file operand after {}",
                quote_always(&ops[0])
            );
            return usage_error(ctx, &msg, 1).await;
        }
        let last = &ops[ops.len() - 1];
        if no_target && ops.len() > 2 {
            let msg = format!("extra operand {}", quote_always(&ops[2]));
            return usage_error(ctx, &msg, 1).await;
        }
        let last_is_dir = !no_target
            && !parents
            && !last.is_empty()
            && ctx
                .fs
                .stat(&ctx.path(last))
                .await
                .is_ok_and(|st| st.is_dir());
        if ops.len() == 2 && !last_is_dir {
            if parents {
                let parent = match last.trim_end_matches('/').rsplit_once('/') {
                    Some((p, _)) => p.to_string(),
                    None => String::new(),
                };
                if !parent.is_empty() && !run.make_dirs(ctx, &parent, false).await? {
                    return Ok(run.status);
                }
            }
            run.install_file(ctx, &ops[0], last).await?;
            ctx.stdout.flush().await?;
            return Ok(run.status);
        }
        if !last_is_dir {
            let e = match ctx.fs.stat(&ctx.path(last)).await {
                Ok(_) => FsError::new(ErrorKind::NotADirectory),
                Err(e) => e,
            };
            ctx.error(format!("target {}: {e}", quote_always(last)))
                .await?;
            return Ok(1);
        }
        for src in &ops[..ops.len() - 1] {
            let dest = join_display(last, base_name(src));
            run.install_file(ctx, src, &dest).await?;
        }
        ctx.stdout.flush().await?;
        Ok(run.status)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_mode;

    #[test]
    fn modes() {
        assert_eq!(parse_mode("644", false), Some(0o644));
        assert_eq!(parse_mode("999", false), None);
        assert_eq!(parse_mode("+x", false), Some(0o111));
        assert_eq!(parse_mode("u+x", false), Some(0o100));
        assert_eq!(parse_mode("a=rw,u+x", false), Some(0o766));
        assert_eq!(parse_mode("g=u", false), Some(0));
        assert_eq!(parse_mode("u", false), None);
    }
}
