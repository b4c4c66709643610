//! `patch`: applies unified diffs (`diff -u`, `git diff`) the way GNU patch 2.7 does: the
//! same search for each hunk (offset, then fuzz), the same messages, `.rej` and `.orig`
//! files, and the answers GNU gives when it cannot ask (no terminal): `Skipping patch.`
//! The patch is read one file section at a time; each patched file is held while it is
//! rewritten (hunks may move backwards within it). Context, normal and ed diffs are refused.

mod apply;
mod parse;

use std::collections::HashSet;

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FileKind, FsError, VPath, WriteMode,
    stream_from_bytes,
};

use self::apply::{Target, split_lines};
use self::parse::{ParseError, PatchInput, Section};
use super::support::{HELP, VERSION, read_all, unsupported};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};
use crate::commands::quoting::shell_quote;

pub struct Patch;

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "bB:cd:D:eEfF:g:i:lnNo:p:r:RstTuvV:x:Y:z:Z",
    long: &[
        long("backup", HasArg::No, "b"),
        long("prefix", HasArg::Required, "B"),
        long("context", HasArg::No, "c"),
        long("directory", HasArg::Required, "d"),
        long("ifdef", HasArg::Required, "D"),
        long("ed", HasArg::No, "e"),
        long("remove-empty-files", HasArg::No, "E"),
        long("force", HasArg::No, "f"),
        long("fuzz", HasArg::Required, "F"),
        long("get", HasArg::Required, "g"),
        long("input", HasArg::Required, "i"),
        long("ignore-whitespace", HasArg::No, "l"),
        long("normal", HasArg::No, "n"),
        long("forward", HasArg::No, "N"),
        long("output", HasArg::Required, "o"),
        long("strip", HasArg::Required, "p"),
        long("reject-file", HasArg::Required, "r"),
        long("reverse", HasArg::No, "R"),
        long("quiet", HasArg::No, "s"),
        long("silent", HasArg::No, "s"),
        long("batch", HasArg::No, "t"),
        long("set-time", HasArg::No, "T"),
        long("unified", HasArg::No, "u"),
        long("version", HasArg::No, "v"),
        long("version-control", HasArg::Required, "V"),
        long("debug", HasArg::Required, "x"),
        long("basename-prefix", HasArg::Required, "Y"),
        long("suffix", HasArg::Required, "z"),
        long("set-utc", HasArg::No, "Z"),
        long("dry-run", HasArg::No, "dry-run"),
        long("verbose", HasArg::No, "verbose"),
        long("binary", HasArg::No, "binary"),
        long("backup-if-mismatch", HasArg::No, "backup-if-mismatch"),
        long("no-backup-if-mismatch", HasArg::No, "no-backup-if-mismatch"),
        long("posix", HasArg::No, "posix"),
        long("quoting-style", HasArg::Required, "quoting-style"),
        long("reject-format", HasArg::Required, "reject-format"),
        long("read-only", HasArg::Required, "read-only"),
        long("follow-symlinks", HasArg::No, "follow-symlinks"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Options GNU patch has and Mirage does not implement, by key.
const REFUSED: &[(&str, &str)] = &[
    ("B", "-B"),
    ("c", "-c"),
    ("D", "-D"),
    ("e", "-e"),
    ("g", "-g"),
    ("n", "-n"),
    ("T", "-T"),
    ("V", "-V"),
    ("x", "-x"),
    ("Y", "-Y"),
    ("Z", "-Z"),
    ("verbose", "--verbose"),
    ("binary", "--binary"),
    ("posix", "--posix"),
    ("quoting-style", "--quoting-style"),
    ("reject-format", "--reject-format"),
    ("read-only", "--read-only"),
    ("follow-symlinks", "--follow-symlinks"),
];

struct Settings {
    strip: Option<usize>,
    reverse: bool,
    dry_run: bool,
    forward: bool,
    silent: bool,
    force: bool,
    batch: bool,
    outfile: Option<String>,
    backup: bool,
    backup_if_mismatch: bool,
    remove_empty: bool,
    fuzz: usize,
    reject_file: Option<String>,
    ignore_ws: bool,
    suffix: String,
}

/// What ended the run early: `patch: **** MESSAGE` (status 2) or an I/O failure.
enum Stop {
    Fatal(String),
    Refuse(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        Stop::Io(e)
    }
}

impl From<ParseError> for Stop {
    fn from(e: ParseError) -> Self {
        match e {
            ParseError::Io(e) => Stop::Io(e),
            ParseError::Fatal(m) => Stop::Fatal(m),
            ParseError::Unsupported(m) => Stop::Refuse(m),
        }
    }
}

fn q(name: &str) -> String {
    shell_quote(name, false)
}

fn errno_text(e: &FsError) -> String {
    e.to_string()
}

async fn usage(ctx: &mut CommandContext, msg: &str) -> std::io::Result<i32> {
    let text = format!("patch: {msg}\npatch: Try 'patch --help' for more information.\n");
    ctx.stderr.write_str(&text).await?;
    Ok(2)
}

/// `-p N` and friends: a non-negative decimal number.
fn number(value: &str, what: &str) -> Result<usize, String> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    if let Some(rest) = digits.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("{what} {} is negative", q(value)));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} {} is not a number", q(value)));
    }
    Ok(digits.parse().unwrap_or(usize::MAX))
}

/// Removes `n` leading components (`-p n`); without `-p`, keeps the last component only.
fn strip_name(name: &str, strip: Option<usize>) -> Option<String> {
    let Some(n) = strip else {
        return name.rsplit('/').find(|c| !c.is_empty()).map(str::to_string);
    };
    let mut rest = name;
    for _ in 0..n {
        let pos = rest.find('/')?;
        rest = rest[pos..].trim_start_matches('/');
    }
    (!rest.is_empty()).then(|| rest.to_string())
}

#[async_trait]
impl Command for Patch {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => return usage(ctx, &msg).await,
        };
        if parsed.has("v") || parsed.has("version") {
            return unsupported(ctx, "--version").await;
        }
        for (key, shown) in REFUSED {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        if parsed.all("o").contains(&"-") {
            return unsupported(ctx, "-o -").await;
        }
        let mut fatal = None;
        let strip = match parsed.last("p") {
            Some(v) => match number(v, "strip count") {
                Ok(n) => Some(n),
                Err(m) => {
                    fatal = Some(m);
                    None
                }
            },
            None => None,
        };
        let fuzz = match parsed.last("F") {
            Some(v) => number(v, "fuzz factor").unwrap_or_else(|m| {
                fatal.get_or_insert(m);
                0
            }),
            None => 2,
        };
        if let Some(m) = fatal {
            return die(ctx, &m).await;
        }
        if parsed.operands.len() > 2 {
            let extra = q(&parsed.operands[2]);
            return usage(ctx, &format!("{extra}: extra operand")).await;
        }
        let settings = Settings {
            strip,
            reverse: parsed.has("R"),
            dry_run: parsed.has("dry-run"),
            forward: parsed.has("N"),
            silent: parsed.has("s"),
            force: parsed.has("f"),
            batch: parsed.has("t"),
            outfile: parsed.last("o").map(str::to_string),
            backup: parsed.has("b"),
            backup_if_mismatch: parsed
                .opts
                .iter()
                .rev()
                .find(|o| o.key == "backup-if-mismatch" || o.key == "no-backup-if-mismatch")
                .is_none_or(|o| o.key == "backup-if-mismatch"),
            remove_empty: parsed.has("E"),
            fuzz,
            reject_file: parsed.last("r").map(str::to_string),
            ignore_ws: parsed.has("l"),
            suffix: parsed.last("z").unwrap_or(".orig").to_string(),
        };
        let mut base = ctx.cwd.clone();
        for dir in parsed.all("d") {
            let path = base.join(dir);
            match ctx.fs.stat(&path).await {
                Ok(st) if st.kind == FileKind::Dir => base = path,
                Ok(_) => {
                    let m = format!("Can't change to directory {} : Not a directory", q(dir));
                    return die(ctx, &m).await;
                }
                Err(e) => {
                    let m = format!("Can't change to directory {} : {}", q(dir), errno_text(&e));
                    return die(ctx, &m).await;
                }
            }
        }
        let inname = parsed.operands.first().cloned();
        let patchname = parsed
            .last("i")
            .map(str::to_string)
            .or_else(|| parsed.operands.get(1).cloned());
        let reader = match &patchname {
            Some(name) if name != "-" => {
                let path = base.join(name);
                match ctx.fs.stat(&path).await {
                    Ok(st) if st.kind == FileKind::Dir => {
                        return die(ctx, "read error : Is a directory").await;
                    }
                    _ => {}
                }
                match ctx.fs.open(&path).await {
                    Ok(r) => r,
                    Err(e) => {
                        let m = format!("Can't open patch file {} : {}", q(name), errno_text(&e));
                        return die(ctx, &m).await;
                    }
                }
            }
            _ => crate::commands::common::take_stdin(ctx),
        };
        let mut run = Run {
            s: settings,
            base,
            inname,
            input: PatchInput::new(reader),
            somefailed: false,
            backed_up: HashSet::new(),
            rejects_made: HashSet::new(),
            out_buf: Vec::new(),
            partial_reported: false,
        };
        let result = run.all(ctx).await;
        ctx.stdout.flush().await?;
        match result {
            Ok(()) => Ok(i32::from(run.somefailed)),
            Err(Stop::Fatal(m)) => die(ctx, &m).await,
            Err(Stop::Refuse(m)) => {
                let line = format!("mirage: patch: {m}\n");
                ctx.stderr.write_str(&line).await?;
                Ok(2)
            }
            Err(Stop::Io(e)) => Err(e),
        }
    }
}

async fn say(ctx: &mut CommandContext, text: &str) -> Result<(), Stop> {
    ctx.stdout.write_str(text).await?;
    Ok(())
}

async fn die(ctx: &mut CommandContext, msg: &str) -> std::io::Result<i32> {
    ctx.stdout.flush().await?;
    ctx.stderr
        .write_str(&format!("patch: **** {msg}\n"))
        .await?;
    Ok(2)
}

struct Run {
    s: Settings,
    base: VPath,
    inname: Option<String>,
    input: PatchInput,
    somefailed: bool,
    backed_up: HashSet<String>,
    rejects_made: HashSet<String>,
    /// `-o FILE`: every patched file goes here, in order.
    out_buf: Vec<u8>,
    partial_reported: bool,
}

/// The state of one file section while its hunks are applied.
struct FileState {
    reverse: bool,
    skip: bool,
    outname: Option<String>,
}

impl Run {
    async fn all(&mut self, ctx: &mut CommandContext) -> Result<(), Stop> {
        if let Some(out) = &self.s.outfile {
            let path = self.base.join(out);
            write_file(ctx, &path, Vec::new()).await?;
        }
        let mut any = false;
        loop {
            let section = self.input.section().await?;
            let Some(section) = section else {
                break;
            };
            any = true;
            self.one(ctx, section).await?;
        }
        self.report_partial(ctx).await?;
        if !any && self.input_had_text() {
            return Err(Stop::Fatal(
                "Only garbage was found in the patch input.".into(),
            ));
        }
        if let Some(out) = &self.s.outfile
            && !self.s.dry_run
        {
            let path = self.base.join(out);
            let data = std::mem::take(&mut self.out_buf);
            write_file(ctx, &path, data).await?;
        }
        Ok(())
    }

    async fn report_partial(&mut self, ctx: &mut CommandContext) -> Result<(), Stop> {
        if self.input.partial && !self.partial_reported {
            self.partial_reported = true;
            say(ctx, "patch unexpectedly ends in middle of line\n").await?;
        }
        Ok(())
    }

    /// A hunk that could not be read stops the run once the file has been named.
    async fn deferred(&mut self, ctx: &mut CommandContext, s: &mut Section) -> Result<(), Stop> {
        if let Some(e) = s.error.take() {
            self.report_partial(ctx).await?;
            return Err(e.into());
        }
        Ok(())
    }

    fn input_had_text(&self) -> bool {
        self.input.lines_read() > 0 || self.input.partial
    }

    /// GNU's `ok_to_reverse`: without a terminal the questions get their default answers.
    async fn ok_to_reverse(
        s: &Settings,
        ctx: &mut CommandContext,
        message: &str,
        st: &mut FileState,
    ) -> Result<bool, Stop> {
        say(ctx, message).await?;
        if s.forward {
            say(ctx, "  Skipping patch.\n").await?;
            st.skip = true;
            Ok(false)
        } else if s.force {
            if !s.silent {
                say(ctx, "  Applying it anyway.\n").await?;
            }
            Ok(false)
        } else if s.batch {
            let text = if s.reverse {
                "  Ignoring -R.\n"
            } else {
                "  Assuming -R.\n"
            };
            say(ctx, text).await?;
            Ok(true)
        } else {
            let ask = if s.reverse { "Ignore" } else { "Assume" };
            say(ctx, &format!("  {ask} -R? [n] \nApply anyway? [n] \n")).await?;
            if !s.silent {
                say(ctx, "Skipping patch.\n").await?;
            }
            st.skip = true;
            Ok(false)
        }
    }

    /// Picks the file a section patches (GNU: the existing candidate with the fewest
    /// components, then the shortest base name, then the shortest name).
    async fn choose_name(
        set: &Settings,
        base: &VPath,
        fs: std::sync::Arc<mirage_core::MountTable>,
        s: &Section,
    ) -> Option<String> {
        let raw: Vec<Option<&String>> = if s.git {
            vec![
                s.git_old.as_ref().filter(|_| !s.new_file),
                s.git_new.as_ref().filter(|_| !s.deleted_file),
                None,
            ]
        } else {
            vec![s.old.name.as_ref(), s.new.name.as_ref(), s.index.as_ref()]
        };
        let names: Vec<Option<String>> = raw
            .into_iter()
            .map(|n| n.and_then(|n| strip_name(n, set.strip)))
            .collect();
        let mut existing = Vec::new();
        for n in names.iter().flatten() {
            if fs.stat(&base.join(n)).await.is_ok() {
                existing.push(n.clone());
            }
        }
        let best = |list: &[String]| -> Option<String> {
            list.iter()
                .min_by_key(|n| {
                    let parts = n.split('/').filter(|c| !c.is_empty()).count();
                    let basename = n.rsplit('/').next().unwrap_or(n).len();
                    (parts, basename, n.len())
                })
                .cloned()
        };
        if !existing.is_empty() {
            return best(&existing);
        }
        let creating = s.nonexistent(set.reverse);
        if creating {
            let target = if set.reverse { &names[0] } else { &names[1] };
            if let Some(t) = target {
                return Some(t.clone());
            }
        }
        if s.nonexistent(!set.reverse) {
            let target = if set.reverse { &names[1] } else { &names[0] };
            return target.clone();
        }
        None
    }

    async fn one(&mut self, ctx: &mut CommandContext, mut s: Section) -> Result<(), Stop> {
        let mut st = FileState {
            reverse: self.s.reverse,
            skip: false,
            outname: None,
        };
        if self.input.announce_strip {
            self.input.announce_strip = false;
            if !self.s.silent {
                say(
                    ctx,
                    "(Stripping trailing CRs from patch; use --binary to disable.)\n",
                )
                .await?;
            }
        }
        let explicit = self.inname.is_some();
        let inname = match &self.inname {
            Some(n) => Some(n.clone()),
            None => Self::choose_name(&self.s, &self.base, ctx.fs.clone(), &s).await,
        };
        let Some(inname) = inname else {
            Self::cannot_find(&self.s, ctx, &s).await?;
            self.deferred(ctx, &mut s).await?;
            return self.ignore_all(ctx, &s, &mut st).await;
        };
        let inpath = self.base.join(&inname);
        let stat = ctx.fs.stat(&inpath).await;
        let exists = stat.is_ok();
        let size = stat.as_ref().ok().and_then(|s| s.size).unwrap_or(0);
        // A patch that creates (or deletes) a file which is there (or missing).
        if !explicit {
            if s.nonexistent(st.reverse) && exists && size > 0 {
                let m = format!(
                    "The next patch would create the file {},\nwhich already exists!",
                    q(&inname)
                );
                if Self::ok_to_reverse(&self.s, ctx, &m, &mut st).await? {
                    st.reverse = !st.reverse;
                }
            } else if s.nonexistent(!st.reverse) && !exists {
                let m = format!(
                    "The next patch would delete the file {},\nwhich does not exist!",
                    q(&inname)
                );
                if Self::ok_to_reverse(&self.s, ctx, &m, &mut st).await? {
                    st.reverse = !st.reverse;
                }
            }
            if st.skip {
                return self.ignore_all(ctx, &s, &mut st).await;
            }
        }
        let outname = self.s.outfile.clone().unwrap_or_else(|| inname.clone());
        st.outname = Some(outname.clone());
        let mut data = Vec::new();
        match &stat {
            Ok(meta) if meta.kind != FileKind::File => {
                let m = format!(
                    "File {} is not a regular file -- refusing to patch\n",
                    q(&inname)
                );
                say(ctx, &m).await?;
                st.skip = true;
                self.somefailed = true;
            }
            Ok(_) => match read_all(ctx, inpath.as_str()).await {
                Ok(d) => data = d,
                Err(e) => {
                    return Err(Stop::Fatal(format!(
                        "Can't open file {} : {}",
                        q(&inname),
                        errno_text(&e)
                    )));
                }
            },
            Err(_) => {}
        }
        let mut target = Target::new(split_lines(&data), self.s.ignore_ws);
        if !st.skip && !self.s.silent {
            let verb = if self.s.dry_run {
                "checking"
            } else {
                "patching"
            };
            let mut m = format!("{verb} file {}", q(&outname));
            if outname != inname {
                m.push_str(&format!(" (read from {inname})"));
            }
            m.push('\n');
            say(ctx, &m).await?;
        }
        self.deferred(ctx, &mut s).await?;
        let reverse_specified = self.s.reverse;
        let mut failed = 0usize;
        let mut mismatch = false;
        let mut rej: Vec<u8> = Vec::new();
        let mut apply_anyway = false;
        for (i, orig) in s.hunks.iter().enumerate() {
            let number = i + 1;
            let mut h = orig.clone();
            if st.reverse {
                h.swap();
            }
            let context = h.prefix_context.max(h.suffix_context);
            let maxfuzz = self.s.fuzz.min(context);
            let mut fuzz = 0;
            let mut at = 0;
            if !st.skip {
                loop {
                    let mut incr = 1;
                    at = target.locate(&h, fuzz);
                    if at == 0 || fuzz > 0 || target.in_offset != 0 {
                        mismatch = true;
                    }
                    if number == 1
                        && at == 0
                        && !(self.s.force || apply_anyway)
                        && st.reverse == reverse_specified
                    {
                        h.swap();
                        at = target.locate(&h, fuzz);
                        let text = if st.reverse {
                            "Unreversed patch detected!"
                        } else {
                            "Reversed (or previously applied) patch detected!"
                        };
                        if at != 0 && Self::ok_to_reverse(&self.s, ctx, text, &mut st).await? {
                            st.reverse = !st.reverse;
                        } else {
                            h.swap();
                            if at != 0 {
                                apply_anyway = true;
                                incr = 0;
                                at = 0;
                            }
                        }
                    }
                    if st.skip || at != 0 {
                        break;
                    }
                    fuzz += incr;
                    if fuzz > maxfuzz {
                        break;
                    }
                }
            }
            let newwhere = (if at != 0 { at } else { h.first }) as isize + target.out_offset;
            let creating_over = at == 1 && s.nonexistent(st.reverse) && !data.is_empty();
            let ok = !st.skip && !creating_over && at != 0 && target.apply(&h, at);
            if !target.messages.is_empty() {
                let m = std::mem::take(&mut target.messages);
                say(ctx, &m).await?;
            }
            if !ok {
                let header = (failed == 0).then(|| reject_header(&s, st.reverse));
                apply::reject(&mut rej, &h, header.as_deref(), target.out_offset);
                failed += 1;
                if !st.skip && !self.s.silent {
                    let endings = if target.different_line_endings(&h, newwhere) {
                        " (different line endings)"
                    } else {
                        ""
                    };
                    let m = format!("Hunk #{number} FAILED at {newwhere}{endings}.\n");
                    say(ctx, &m).await?;
                }
            } else if !self.s.silent && (fuzz > 0 || target.in_offset != 0) {
                let mut m = format!("Hunk #{number} succeeded at {newwhere}");
                if fuzz > 0 {
                    m.push_str(&format!(" with fuzz {fuzz}"));
                }
                let off = target.in_offset;
                if off != 0 {
                    let s = if off == 1 { "" } else { "s" };
                    m.push_str(&format!(" (offset {off} line{s})"));
                }
                m.push_str(".\n");
                say(ctx, &m).await?;
            }
        }
        if !st.skip {
            target.finish();
            let m = std::mem::take(&mut target.messages);
            if !m.is_empty() {
                say(ctx, &m).await?;
            }
        }
        if !st.skip {
            if self.s.outfile.is_some() {
                self.out_buf.append(&mut target.out);
            } else {
                let backup =
                    self.s.backup || (self.s.backup_if_mismatch && (mismatch || failed > 0));
                let outpath = self.base.join(&outname);
                let target_gone = s.nonexistent(!st.reverse);
                if target.zero_output && (self.s.remove_empty || target_gone) {
                    if !self.s.dry_run {
                        if backup {
                            self.make_backup(ctx, &outname, exists, &data, &s, st.reverse)
                                .await?;
                        }
                        if exists {
                            remove(ctx, &outpath).await?;
                            remove_empty_parents(ctx, &self.base, &outpath).await;
                        }
                    }
                } else {
                    if !target.zero_output && target_gone {
                        self.somefailed = true;
                        if !self.s.silent {
                            let m = format!(
                                "Not deleting file {} as content differs from patch\n",
                                q(&outname)
                            );
                            say(ctx, &m).await?;
                        }
                    }
                    if !self.s.dry_run {
                        if failed < s.hunks.len() || (s.git && s.new_file) {
                            if backup {
                                self.make_backup(ctx, &outname, exists, &data, &s, st.reverse)
                                    .await?;
                            }
                            write_file(ctx, &outpath, std::mem::take(&mut target.out)).await?;
                        } else if backup {
                            self.make_backup(ctx, &outname, exists, &data, &s, st.reverse)
                                .await?;
                        }
                    }
                }
            }
        }
        self.finish_rejects(ctx, &st, failed, s.hunks.len(), rej)
            .await
    }

    async fn make_backup(
        &mut self,
        ctx: &mut CommandContext,
        name: &str,
        exists: bool,
        data: &[u8],
        s: &Section,
        reverse: bool,
    ) -> Result<(), Stop> {
        if !self.backed_up.insert(name.to_string()) {
            return Ok(());
        }
        if !exists && !s.nonexistent(reverse) {
            return Err(Stop::Fatal(format!(
                "Can't reopen file {} : No such file or directory",
                q(name)
            )));
        }
        let path = self.base.join(&format!("{name}{}", self.s.suffix));
        write_file(ctx, &path, data.to_vec()).await
    }

    async fn finish_rejects(
        &mut self,
        ctx: &mut CommandContext,
        st: &FileState,
        failed: usize,
        hunks: usize,
        rej: Vec<u8>,
    ) -> Result<(), Stop> {
        if failed == 0 {
            return Ok(());
        }
        self.somefailed = true;
        let plural = if hunks == 1 { "" } else { "s" };
        let word = if st.skip { "ignored" } else { "FAILED" };
        let mut m = format!("{failed} out of {hunks} hunk{plural} {word}");
        let discard = self.s.reject_file.as_deref() == Some("-");
        match &st.outname {
            Some(out) if !self.s.dry_run && !discard => {
                let rejname = self
                    .s
                    .reject_file
                    .clone()
                    .unwrap_or_else(|| format!("{out}.rej"));
                m.push_str(&format!(" -- saving rejects to file {}\n", q(&rejname)));
                say(ctx, &m).await?;
                let path = self.base.join(&rejname);
                let append = !self.rejects_made.insert(rejname);
                let mode = if append {
                    WriteMode::Append
                } else {
                    WriteMode::Truncate
                };
                ctx.fs
                    .write(&path, stream_from_bytes(rej), mode)
                    .await
                    .map_err(|e| Stop::Fatal(format!("Can't create file {} : {e}", q(out))))?;
            }
            _ => {
                m.push('\n');
                say(ctx, &m).await?;
            }
        }
        Ok(())
    }

    async fn cannot_find(
        set: &Settings,
        ctx: &mut CommandContext,
        s: &Section,
    ) -> Result<(), Stop> {
        let hint = if set.strip.is_some() {
            "Perhaps you used the wrong -p or --strip option?"
        } else {
            "Perhaps you should have used the -p or --strip option?"
        };
        let mut m = if set.silent {
            String::new()
        } else {
            format!(
                "can't find file to patch at input line {}\n{hint}\n",
                s.hunk_line
            )
        };
        m.push_str("The text leading up to this was:\n--------------------------\n");
        let mut bytes = m.into_bytes();
        for l in &s.leading {
            bytes.push(b'|');
            bytes.extend_from_slice(l);
            if !l.ends_with(b"\n") {
                bytes.push(b'\n');
            }
        }
        bytes.extend_from_slice(b"--------------------------\n");
        ctx.stdout.write_all(&bytes).await?;
        m = if set.force || set.batch {
            "No file to patch.  Skipping patch.\n".to_string()
        } else {
            let mut t = "File to patch: \nSkip this patch? [y] \n".to_string();
            if !set.silent {
                t.push_str("Skipping patch.\n");
            }
            t
        };
        say(ctx, &m).await
    }

    /// Every hunk of a skipped section is ignored.
    async fn ignore_all(
        &mut self,
        ctx: &mut CommandContext,
        s: &Section,
        st: &mut FileState,
    ) -> Result<(), Stop> {
        st.skip = true;
        self.somefailed = true;
        let n = s.hunks.len();
        self.finish_rejects(ctx, st, n, n, Vec::new()).await
    }
}

/// The `Index:`, `---` and `+++` lines that open a file's rejects.
fn reject_header(s: &Section, reverse: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let side = |new: bool| {
        let n = if new { &s.new } else { &s.old };
        if n.header.is_empty() {
            "/dev/null".to_string()
        } else {
            n.header.clone()
        }
    };
    lines.push(format!("--- {}", side(reverse)));
    lines.push(format!("+++ {}", side(!reverse)));
    lines
}

async fn write_file(ctx: &mut CommandContext, path: &VPath, data: Vec<u8>) -> Result<(), Stop> {
    let parent = path.parent();
    if ctx.fs.stat(&parent).await.is_err() {
        ctx.fs.mkdir_all(&parent).await.map_err(|e| {
            Stop::Fatal(format!("Can't create directory {} : {e}", parent.as_str()))
        })?;
    }
    ctx.fs
        .write(path, stream_from_bytes(data), WriteMode::Truncate)
        .await
        .map_err(|e| Stop::Fatal(format!("Can't create file {} : {e}", path.as_str())))?;
    Ok(())
}

async fn remove(ctx: &mut CommandContext, path: &VPath) -> Result<(), Stop> {
    match ctx.fs.remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Stop::Fatal(format!(
            "Can't remove file {} : {e}",
            path.as_str()
        ))),
    }
}

/// GNU removes the directories a deletion leaves empty, up to the working directory.
async fn remove_empty_parents(ctx: &mut CommandContext, base: &VPath, path: &VPath) {
    let mut dir = path.parent();
    while dir != *base && dir.starts_with(base) && !dir.is_root() {
        match ctx.fs.list(&dir).await {
            Ok(entries) if entries.is_empty() => {
                if ctx.fs.remove_dir(&dir).await.is_err() {
                    return;
                }
            }
            _ => return,
        }
        dir = dir.parent();
    }
}
