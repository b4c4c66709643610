//! `unzip [-l|-p|-t] [-o|-n] [-q] [-j] [-d DIR] ARCHIVE [MEMBER]...`, after Info-ZIP unzip
//! 6.0: lists, tests or extracts members (all, or those matching the MEMBER wildcards).
//! Mirage has no terminal, so an existing file without -o/-n is answered as unzip answers
//! when its question meets end of input: "[N]one", leaving every existing file alone.
//! Extracted files get the member's time back. The archive is read whole (a ZIP is read from
//! its end); each member is inflated in memory.

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, VPath, WriteMode, collect_stream,
    stream_from_bytes,
};

use super::format::{self, Entry, Problem};
use super::wildcard;
use crate::commands::common::unsupported;

pub struct Unzip;

#[derive(Default)]
struct Options {
    list: bool,
    pipe: bool,
    /// `-c`: like `-p`, with the member lines and a blank line after each member.
    console: bool,
    test: bool,
    overwrite: bool,
    never: bool,
    quiet: u32,
    junk: bool,
    exdir: Option<String>,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if !a.starts_with('-') || a == "-" || a.starts_with("--") {
            if a.starts_with("--") {
                return Err(a.clone());
            }
            o.operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            match chars[k] {
                'l' => o.list = true,
                'p' => o.pipe = true,
                'c' => o.console = true,
                't' => o.test = true,
                'o' => o.overwrite = true,
                'n' => o.never = true,
                'q' => o.quiet += 1,
                'j' => o.junk = true,
                'd' => {
                    let rest: String = chars[k + 1..].iter().collect();
                    if !rest.is_empty() {
                        o.exdir = Some(rest);
                    } else {
                        let Some(v) = args.get(i) else {
                            return Err("-d without a directory".into());
                        };
                        i += 1;
                        o.exdir = Some(v.clone());
                    }
                    break;
                }
                c => return Err(format!("-{c}")),
            }
            k += 1;
        }
    }
    Ok(o)
}

async fn out(ctx: &mut CommandContext, text: &str) -> std::io::Result<()> {
    ctx.stdout.write_all(text.as_bytes()).await
}

async fn err(ctx: &mut CommandContext, text: &str) -> std::io::Result<()> {
    ctx.stderr.write_all(text.as_bytes()).await
}

/// Finds and reads the archive: NAME, NAME.zip, NAME.ZIP as unzip tries them.
async fn load(ctx: &mut CommandContext, name: &str) -> Result<(String, Vec<u8>), i32> {
    for cand in [
        name.to_string(),
        format!("{name}.zip"),
        format!("{name}.ZIP"),
    ] {
        let path = ctx.path(&cand);
        match ctx.fs.stat(&path).await {
            Ok(s) if !s.is_dir() => {}
            _ => continue,
        }
        match ctx.fs.read(&path, None).await {
            Ok(stream) => match collect_stream(stream).await {
                Ok(bytes) => return Ok((cand, bytes)),
                Err(e) => {
                    let _ = ctx.error(format!("{cand}: {e}")).await;
                    return Err(9);
                }
            },
            Err(e) if e.kind == ErrorKind::NotFound => continue,
            Err(e) => {
                let _ = ctx.error(format!("{cand}: {e}")).await;
                return Err(9);
            }
        }
    }
    let text = format!("unzip:  cannot find or open {name}, {name}.zip or {name}.ZIP.\n");
    let _ = err(ctx, &text).await;
    Err(9)
}

/// unzip's layout for a member line: the verb right-aligned, the name padded to 22 columns.
fn action(verb: &str, name: &str) -> String {
    format!("{verb:>11}: {name:<22}  \n")
}

/// Whether a member name would land outside the extraction directory.
fn unsafe_name(name: &str) -> bool {
    name.starts_with('/') || name.split('/').any(|c| c == "..")
}

#[async_trait]
impl Command for Unzip {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        // `unzip -Z` is ZipInfo mode: the rest is zipinfo's command line (`-Z1` = `-Z -1`).
        if let Some(first) = args.first().and_then(|a| a.strip_prefix("-Z")) {
            let mut rest = Vec::with_capacity(args.len());
            if !first.is_empty() {
                rest.push(format!("-{first}"));
            }
            rest.extend(args[1..].iter().cloned());
            return crate::commands::fileutils::zipinfo::Zipinfo
                .run(ctx, rest)
                .await;
        }
        let o = match parse(&args) {
            Ok(o) => o,
            Err(opt) => return unsupported(ctx, &opt).await,
        };
        let Some(archive) = o.operands.first().cloned() else {
            return unsupported(ctx, "no archive operand (usage text)").await;
        };
        let members = &o.operands[1..];
        let (shown, bytes) = match load(ctx, &archive).await {
            Ok(v) => v,
            Err(status) => return Ok(status),
        };
        let quiet_header = o.pipe || o.quiet > 0;
        if !quiet_header {
            out(ctx, &format!("Archive:  {shown}\n")).await?;
        }
        let entries = match format::parse(&bytes) {
            Ok(e) => e,
            Err(Problem::NotZip) => {
                let text = format!(
                    "  End-of-central-directory signature not found.  Either this file is not\n  \
                     a zipfile, or it constitutes one disk of a multi-part archive.  In the\n  \
                     latter case the central directory and zipfile comment will be found on\n  \
                     the last disk(s) of this archive.\n\
                     unzip:  cannot find zipfile directory in one of {archive} or\n        \
                     {archive}.zip, and cannot find {archive}.ZIP, period.\n"
                );
                err(ctx, &text).await?;
                return Ok(9);
            }
            Err(Problem::Unsupported(what)) => return unsupported(ctx, what).await,
            Err(_) => {
                err(
                    ctx,
                    &format!("mirage: unzip: {shown}: damaged zip archive\n"),
                )
                .await?;
                return Ok(3);
            }
        };
        let mut matched = vec![false; members.len()];
        let chosen: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                if members.is_empty() {
                    return true;
                }
                let mut any = false;
                for (i, m) in members.iter().enumerate() {
                    let hit = if wildcard::has_wildcards(m) {
                        wildcard::matches(m, &e.name)
                    } else {
                        *m == e.name
                    };
                    if hit {
                        matched[i] = true;
                        any = true;
                    }
                }
                any
            })
            .collect();
        let unmatched: Vec<&String> = members
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(n, _)| n)
            .collect();
        let mut status = 0;
        if o.list {
            if o.quiet < 2 {
                out(
                    ctx,
                    "  Length      Date    Time    Name\n---------  ---------- -----   ----\n",
                )
                .await?;
            }
            let mut total = 0u64;
            for e in &chosen {
                total += e.size;
                out(
                    ctx,
                    &format!("{:>9}  {}   {}\n", e.size, e.date_time(), e.name),
                )
                .await?;
            }
            if o.quiet < 2 {
                let files = if chosen.len() == 1 { "file" } else { "files" };
                let text = format!(
                    "---------                     -------\n{total:>9}                     {} {files}\n",
                    chosen.len()
                );
                out(ctx, &text).await?;
            }
        } else if o.test {
            let mut bad = 0;
            for e in &chosen {
                let verdict = match e.content() {
                    Ok(_) => "OK".to_string(),
                    Err(Problem::Encrypted) => "unsupported: encrypted".to_string(),
                    Err(Problem::Method(m)) => format!("unsupported compression method {m}"),
                    Err(_) => "bad data".to_string(),
                };
                if verdict != "OK" {
                    bad += 1;
                }
                if o.quiet == 0 || verdict != "OK" {
                    out(ctx, &format!("    testing: {:<22}   {verdict}\n", e.name)).await?;
                }
            }
            if bad == 0 {
                if o.quiet < 2 {
                    let text = format!("No errors detected in compressed data of {shown}.\n");
                    out(ctx, &text).await?;
                }
            } else {
                out(
                    ctx,
                    &format!("At least one error was detected in {shown}.\n"),
                )
                .await?;
                status = 2;
            }
        } else if o.pipe || o.console {
            let announce = !o.pipe && o.quiet == 0;
            for e in &chosen {
                // `-c` announces a directory (with its blank line); `-p` skips it.
                if e.is_dir() && !announce {
                    continue;
                }
                if announce {
                    let verb = if e.method == format::STORED {
                        "extracting"
                    } else {
                        "inflating"
                    };
                    out(ctx, &action(verb, &e.name)).await?;
                }
                match e.content() {
                    Ok(data) => {
                        ctx.stdout.write_all(&data).await?;
                        if announce {
                            ctx.stdout.write_all(b"\n").await?;
                        }
                    }
                    Err(_) => {
                        err(
                            ctx,
                            &format!("mirage: unzip: {}: cannot read member\n", e.name),
                        )
                        .await?;
                        status = 2;
                    }
                }
            }
        } else {
            status = extract(ctx, &o, &chosen).await?;
        }
        if !unmatched.is_empty() && !o.list {
            ctx.stdout.flush().await?;
            for n in unmatched {
                err(ctx, &format!("caution: filename not matched:  {n}\n")).await?;
            }
            status = 11;
        }
        Ok(status)
    }
}

async fn extract(ctx: &mut CommandContext, o: &Options, chosen: &[&Entry]) -> std::io::Result<i32> {
    let fs = ctx.fs.clone();
    let base_arg = o.exdir.clone();
    let base: VPath = match &base_arg {
        Some(d) => ctx.path(d),
        None => ctx.cwd.clone(),
    };
    if let Some(d) = &base_arg {
        match fs.stat(&base).await {
            Ok(s) if s.is_dir() => {}
            found => {
                // unzip makes the last component only.
                let why = match found {
                    Ok(_) => Some("File exists".to_string()),
                    Err(_) => fs.mkdir(&base).await.err().map(|e| e.to_string()),
                };
                if let Some(why) = why {
                    let text = format!(
                        "checkdir:  cannot create extraction directory: {d}\n           {why}\n"
                    );
                    err(ctx, &text).await?;
                    return Ok(2);
                }
            }
        }
    }
    // How a name is shown: with the -d directory in front, as unzip does.
    let shown = |rel: &str| match &base_arg {
        Some(d) => format!("{}/{rel}", d.trim_end_matches('/')),
        None => rel.to_string(),
    };
    let mut status = 0;
    let mut answered_none = false;
    for e in chosen {
        if unsafe_name(&e.name) {
            err(
                ctx,
                &format!("mirage: unzip: {}: unsupported member name\n", e.name),
            )
            .await?;
            status = status.max(2);
            continue;
        }
        let rel = if o.junk {
            match e.name.trim_end_matches('/').rsplit('/').next() {
                Some(b) if !e.is_dir() => b.to_string(),
                _ => continue,
            }
        } else {
            e.name.clone()
        };
        let target = base.join(rel.trim_end_matches('/'));
        if e.is_dir() {
            if o.quiet == 0 {
                out(ctx, &format!("   creating: {}\n", shown(&rel))).await?;
            }
            if let Err(x) = fs.mkdir_all(&target).await {
                err(
                    ctx,
                    &format!(
                        "checkdir error:  cannot create {}\n                 {x}\n",
                        shown(&rel)
                    ),
                )
                .await?;
                status = status.max(1);
            }
            continue;
        }
        if fs.stat(&target).await.is_ok() && !o.overwrite {
            if o.never {
                continue;
            }
            if !answered_none {
                let text = format!(
                    "replace {}? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL\n\
                     (EOF or read error, treating as \"[N]one\" ...)\n",
                    shown(&rel)
                );
                err(ctx, &text).await?;
                answered_none = true;
            }
            status = status.max(1);
            continue;
        }
        let data = match e.content() {
            Ok(d) => d,
            Err(p) => {
                let why = match p {
                    Problem::Encrypted => "encrypted members are not supported".to_string(),
                    Problem::Method(m) => format!("unsupported compression method {m}"),
                    _ => "bad data (CRC or size mismatch)".to_string(),
                };
                err(ctx, &format!("mirage: unzip: {}: {why}\n", e.name)).await?;
                status = status.max(2);
                continue;
            }
        };
        if o.quiet == 0 {
            let verb = if e.method == format::STORED {
                "extracting"
            } else {
                "inflating"
            };
            out(ctx, &action(verb, &shown(&rel))).await?;
        }
        let _ = fs.mkdir_all(&target.parent()).await;
        if let Err(x) = fs
            .write(&target, stream_from_bytes(data), WriteMode::Truncate)
            .await
        {
            err(
                ctx,
                &format!("error:  cannot create {}\n        {x}\n", shown(&rel)),
            )
            .await?;
            status = status.max(1);
            continue;
        }
        if let Some(t) = e.modified() {
            let _ = fs.set_modified(&target, t).await;
        }
    }
    Ok(status)
}
