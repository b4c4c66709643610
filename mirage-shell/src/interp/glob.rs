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

/// Expands `pat` relative to `cwd`. Returns matches in bash's order (sorted), empty when nothing
/// matched (the caller keeps the word as typed, like bash without nullglob).
pub async fn expand(fs: &MountTable, cwd: &VPath, pat: &str) -> Vec<String> {
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
                let re = pattern::compile(comp);
                let dot_ok = comp.starts_with('.') || comp.starts_with("\\.");
                for e in entries {
                    if e.name.starts_with('.') && !dot_ok {
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
