//! `zip [-r] [-q] [-j] [-d] [-0..-9] ARCHIVE FILE...`, after Info-ZIP zip 3.0: adds files to
//! an archive (made if missing; names already in it are replaced in place, "updating:"), or
//! deletes members with `-d`. Its messages, warnings included, go to standard output as
//! Info-ZIP's do. Directories are walked in the backend's own order, like zip's readdir walk.
//! Deflated bytes come from flate2, not Info-ZIP's deflate: the sizes, and so the printed
//! percentages, agree on most inputs but can differ by a byte on some small files.

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use futures::future::BoxFuture;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, MountTable, VPath, WriteMode,
    collect_stream, stream_from_bytes,
};

use super::format::{self, Entry, Problem};
use super::wildcard;
use crate::commands::common::unsupported;

pub struct Zip;

#[derive(Default)]
struct Options {
    recurse: bool,
    quiet: bool,
    junk: bool,
    delete: bool,
    level: u32,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        level: 6,
        ..Options::default()
    };
    let mut only_operands = false;
    for a in args {
        if only_operands || !a.starts_with('-') || a == "-" {
            o.operands.push(a.clone());
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        if a.starts_with("--") {
            return Err(a.clone());
        }
        for c in a.chars().skip(1) {
            match c {
                'r' => o.recurse = true,
                'q' => o.quiet = true,
                'j' => o.junk = true,
                'd' => o.delete = true,
                '0'..='9' => o.level = c as u32 - '0' as u32,
                _ => return Err(format!("-{c}")),
            }
        }
    }
    Ok(o)
}

/// A file to put in the archive.
struct Item {
    path: VPath,
    name: String,
}

/// zip's name for an operand: no leading `/` or `./`.
fn archive_name(operand: &str) -> String {
    let mut s = operand.trim_start_matches('/');
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.trim_start_matches('/');
    }
    s.to_string()
}

fn base_name(name: &str) -> &str {
    name.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name)
}

/// Collects `path` (and below it with -r) as archive items.
fn collect<'a>(
    fs: &'a MountTable,
    o: &'a Options,
    path: VPath,
    name: String,
    skip: &'a VPath,
    items: &'a mut Vec<Item>,
) -> BoxFuture<'a, ()> {
    Box::pin(async move {
        if &path == skip {
            return;
        }
        let Ok(stat) = fs.stat(&path).await else {
            return;
        };
        if !stat.is_dir() {
            let name = if o.junk {
                base_name(&name).to_string()
            } else {
                name
            };
            items.push(Item { path, name });
            return;
        }
        let dir = if name.is_empty() || name.ends_with('/') {
            name
        } else {
            format!("{name}/")
        };
        if !o.junk && !dir.is_empty() {
            items.push(Item {
                path: path.clone(),
                name: dir.clone(),
            });
        }
        if !o.recurse {
            return;
        }
        if let Ok(entries) = fs.list_in_directory_order(&path).await {
            for e in entries {
                let child = format!("{dir}{}", e.name);
                collect(fs, o, path.join(&e.name), child, skip, items).await;
            }
        }
    })
}

async fn say(ctx: &mut CommandContext, text: &str) -> std::io::Result<()> {
    ctx.stdout.write_all(text.as_bytes()).await
}

#[async_trait]
impl Command for Zip {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let o = match parse(&args) {
            Ok(o) => o,
            Err(opt) => return unsupported(ctx, &opt).await,
        };
        let Some(first) = o.operands.first() else {
            return unsupported(ctx, "writing an archive to standard output").await;
        };
        if o.operands.iter().any(|a| a == "-") {
            return unsupported(ctx, "- (standard input or output)").await;
        }
        let mut zipname = first.clone();
        if !base_name(&zipname).contains('.') {
            zipname.push_str(".zip");
        }
        let fs = ctx.fs.clone();
        let zippath = ctx.path(&zipname);
        let mut entries = match fs.read(&zippath, None).await {
            Ok(stream) => match collect_stream(stream).await {
                Ok(bytes) if bytes.is_empty() => Vec::new(),
                Ok(bytes) => match format::parse(&bytes) {
                    Ok(e) => e,
                    Err(Problem::NotZip) => {
                        let text = format!(
                            "\tzip warning: missing end signature--probably not a zip file (did you\n\
                             \tzip warning: remember to use binary mode when you transferred it?)\n\
                             \tzip warning: (if you are trying to read a damaged archive try -F)\n\
                             \nzip error: Zip file structure invalid ({zipname})\n"
                        );
                        say(ctx, &text).await?;
                        return Ok(3);
                    }
                    Err(Problem::Unsupported(what)) => {
                        return unsupported(ctx, what).await;
                    }
                    Err(_) => {
                        let text = format!("\nzip error: Zip file structure invalid ({zipname})\n");
                        say(ctx, &text).await?;
                        return Ok(3);
                    }
                },
                Err(e) => {
                    ctx.error(format!("{zipname}: {e}")).await?;
                    return Ok(15);
                }
            },
            Err(e) if e.kind == ErrorKind::NotFound => {
                if o.delete {
                    say(
                        ctx,
                        &format!("\tzip warning: {zipname} not found or empty\n"),
                    )
                    .await?;
                }
                Vec::new()
            }
            Err(e) => {
                ctx.error(format!("{zipname}: {e}")).await?;
                return Ok(15);
            }
        };
        let names = &o.operands[1..];
        let mut changed = false;
        if o.delete {
            let mut matched = vec![false; names.len()];
            let mut kept = Vec::with_capacity(entries.len());
            for e in entries {
                let hit: Vec<usize> = names
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| wildcard::matches(p, &e.name))
                    .map(|(i, _)| i)
                    .collect();
                if hit.is_empty() {
                    kept.push(e);
                } else {
                    for i in hit {
                        matched[i] = true;
                    }
                    if !o.quiet {
                        say(ctx, &format!("deleting: {}\n", e.name)).await?;
                    }
                    changed = true;
                }
            }
            for (i, n) in names.iter().enumerate() {
                if !matched[i] && !o.quiet {
                    say(ctx, &format!("\tzip warning: name not matched: {n}\n")).await?;
                }
            }
            entries = kept;
        } else {
            let mut items = Vec::new();
            for n in names {
                let path = ctx.path(n);
                if fs.stat(&path).await.is_err() {
                    if !o.quiet {
                        say(ctx, &format!("\tzip warning: name not matched: {n}\n")).await?;
                    }
                    continue;
                }
                collect(&fs, &o, path, archive_name(n), &zippath, &mut items).await;
            }
            let mut seen = std::collections::HashSet::new();
            items.retain(|i| seen.insert(i.name.clone()));
            let mut built = Vec::with_capacity(items.len());
            for item in items {
                let Ok(stat) = fs.stat(&item.path).await else {
                    continue;
                };
                let mtime = stat.modified.unwrap_or(UNIX_EPOCH);
                let content = if stat.is_dir() {
                    Vec::new()
                } else {
                    match fs.read(&item.path, None).await {
                        Ok(s) => match collect_stream(s).await {
                            Ok(b) => b,
                            Err(_) => {
                                let text = format!(
                                    "\tzip warning: could not open for reading: {}\n",
                                    item.name
                                );
                                say(ctx, &text).await?;
                                continue;
                            }
                        },
                        Err(_) => {
                            let text = format!(
                                "\tzip warning: could not open for reading: {}\n",
                                item.name
                            );
                            say(ctx, &text).await?;
                            continue;
                        }
                    }
                };
                let mode = stat
                    .mode
                    .unwrap_or(if stat.is_dir() { 0o755 } else { 0o644 })
                    | if stat.is_dir() { 0o040000 } else { 0o100000 };
                built.push(Entry::build(
                    item.name,
                    &content,
                    o.level,
                    mtime.max(SystemTime::UNIX_EPOCH),
                    mode,
                ));
            }
            let mut fresh = Vec::new();
            let mut updated = vec![false; entries.len()];
            for b in built {
                match entries.iter().position(|e| e.name == b.name) {
                    Some(i) => {
                        entries[i] = b;
                        updated[i] = true;
                    }
                    None => fresh.push(b),
                }
            }
            changed = updated.contains(&true) || !fresh.is_empty();
            // zip reports the members it replaces in archive order, then the new ones.
            if !o.quiet {
                for (e, _) in entries.iter().zip(&updated).filter(|(_, u)| **u) {
                    say(ctx, &format!("updating: {} ({})\n", e.name, e.ratio_note())).await?;
                }
                for e in &fresh {
                    say(ctx, &format!("  adding: {} ({})\n", e.name, e.ratio_note())).await?;
                }
            }
            entries.extend(fresh);
        }
        if !changed {
            let hint = if o.recurse && !o.delete {
                format!("try: zip -r {zipname} . -i {}", names.join(" "))
            } else {
                zipname.clone()
            };
            say(ctx, &format!("\nzip error: Nothing to do! ({hint})\n")).await?;
            return Ok(12);
        }
        let bytes = format::write(&entries);
        if let Err(e) = fs
            .write(&zippath, stream_from_bytes(bytes), WriteMode::Truncate)
            .await
        {
            let text = format!(
                "zip I/O error: {e}\nzip error: Could not create output file ({zipname})\n"
            );
            say(ctx, &text).await?;
            return Ok(15);
        }
        Ok(0)
    }
}
