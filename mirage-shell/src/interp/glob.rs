//! Pathname expansion (`*.txt`, `/data/*/x?.log`) against the mount table, so globs see every
//! mount and the virtual directories above them.

use mirage_core::{MountTable, VPath};

use super::pattern;

/// Removes pattern escapes: `\*` -> `*`.
pub fn unescape(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `shopt` options that change pathname expansion.
#[derive(Clone, Copy, Debug, Default)]
pub struct GlobOpts {
    pub dotglob: bool,
    pub nocase: bool,
    pub globstar: bool,
}

/// Every directory under `dir` (itself first), depth first in name order, skipping hidden
/// ones unless `dotglob`: what `**` matches.
async fn subdirs(
    fs: &MountTable,
    dir: &VPath,
    shown: &str,
    dotglob: bool,
    out: &mut Vec<(VPath, String)>,
) {
    let mut stack = vec![(dir.clone(), shown.to_string())];
    while let Some((d, s)) = stack.pop() {
        out.push((d.clone(), s.clone()));
        if out.len() > 100_000 {
            return;
        }
        let Ok(entries) = fs.list(&d).await else {
            continue;
        };
        let mut dirs: Vec<(VPath, String)> = entries
            .into_iter()
            .filter(|e| e.stat.is_dir() && (dotglob || !e.name.starts_with('.')))
            .map(|e| {
                let text = if s.is_empty() || s.ends_with('/') {
                    format!("{s}{}", e.name)
                } else {
                    format!("{s}/{}", e.name)
                };
                (d.join(&e.name), text)
            })
            .collect();
        dirs.sort_by(|a, b| b.1.cmp(&a.1));
        stack.extend(dirs);
    }
}

/// Expands `pat` relative to `cwd`. Returns matches in bash's order (sorted), empty when nothing
/// matched (the caller keeps the word as typed, or applies nullglob/failglob).
pub async fn expand_with(fs: &MountTable, cwd: &VPath, pat: &str, o: GlobOpts) -> Vec<String> {
    let absolute = pat.starts_with('/');
    let trailing_slash = pat.ends_with('/') && pat.len() > 1;
    let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
    // (actual location, text shown to the user)
    let mut current: Vec<(VPath, String)> = vec![if absolute {
        (VPath::root(), "/".to_string())
    } else {
        (cwd.clone(), String::new())
    }];
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let mut next = Vec::new();
        if o.globstar && *comp == "**" {
            let mut next = Vec::new();
            for (dir, shown) in &current {
                let mut found = Vec::new();
                subdirs(fs, dir, shown, o.dotglob, &mut found).await;
                if last {
                    // A final `**` matches files too: every entry below, and the start.
                    for (k, (d, s)) in found.into_iter().enumerate() {
                        if k == 0 {
                            // The start itself is shown with a slash (`proj/`).
                            if !s.is_empty() {
                                let t = if s.ends_with('/') {
                                    s.clone()
                                } else {
                                    format!("{s}/")
                                };
                                next.push((d.clone(), t));
                            }
                        } else {
                            next.push((d.clone(), s.clone()));
                        }
                        if let Ok(entries) = fs.list(&d).await {
                            for e in entries {
                                if e.stat.is_dir() || (!o.dotglob && e.name.starts_with('.')) {
                                    continue;
                                }
                                let text = if s.is_empty() || s.ends_with('/') {
                                    format!("{s}{}", e.name)
                                } else {
                                    format!("{s}/{}", e.name)
                                };
                                next.push((d.join(&e.name), text));
                            }
                        }
                    }
                } else {
                    next.extend(found);
                }
            }
            current = next;
            if current.is_empty() {
                return Vec::new();
            }
            continue;
        }
        for (dir, shown) in &current {
            let join = |name: &str| {
                let text = if shown.is_empty() || shown.ends_with('/') {
                    format!("{shown}{name}")
                } else {
                    format!("{shown}/{name}")
                };
                (dir.join(name), text)
            };
            if pattern::has_glob_chars(comp) {
                let Ok(entries) = fs.list(dir).await else {
                    continue;
                };
                let re = if o.nocase {
                    pattern::compile_nocase(comp)
                } else {
                    pattern::compile(comp)
                };
                let dot_ok = comp.starts_with('.') || comp.starts_with("\\.") || o.dotglob;
                for e in entries {
                    if e.name.starts_with('.') && !dot_ok {
                        continue;
                    }
                    if o.dotglob && (e.name == "." || e.name == "..") {
                        continue;
                    }
                    let ok = match &re {
                        Some(re) => re.is_match(&e.name),
                        None => false,
                    };
                    if ok && (last && !trailing_slash || e.stat.is_dir()) {
                        next.push(join(&e.name));
                    }
                }
            } else {
                let name = unescape(comp);
                let (p, text) = join(&name);
                if name == "." || name == ".." {
                    next.push((p, text));
                    continue;
                }
                match fs.stat(&p).await {
                    Ok(st) if !last || trailing_slash => {
                        if st.is_dir() {
                            next.push((p, text));
                        }
                    }
                    Ok(_) => next.push((p, text)),
                    Err(_) => {}
                }
            }
        }
        current = next;
        if current.is_empty() {
            return Vec::new();
        }
    }
    let mut out: Vec<String> = current
        .into_iter()
        .map(|(_, s)| if trailing_slash { format!("{s}/") } else { s })
        .collect();
    out.sort();
    out
}
