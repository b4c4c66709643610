//! ripgrep's file types (`-t`/`-T`, `--type-list`): the common ones, with ripgrep 13's globs.

pub const TYPES: &[(&str, &[&str])] = &[
    ("c", &["*.[chH]", "*.[chH].in", "*.cats"]),
    (
        "cpp",
        &[
            "*.[ChH]",
            "*.[ChH].in",
            "*.[ch]pp",
            "*.[ch]pp.in",
            "*.[ch]xx",
            "*.[ch]xx.in",
            "*.cc",
            "*.cc.in",
            "*.hh",
            "*.hh.in",
            "*.inl",
        ],
    ),
    ("css", &["*.css", "*.scss"]),
    ("csv", &["*.csv"]),
    ("go", &["*.go"]),
    ("html", &["*.ejs", "*.htm", "*.html"]),
    ("java", &["*.java", "*.jsp", "*.jspx", "*.properties"]),
    ("js", &["*.js", "*.jsx", "*.vue"]),
    ("json", &["*.json", "composer.lock"]),
    ("jsonl", &["*.jsonl"]),
    ("log", &["*.log"]),
    ("markdown", &["*.markdown", "*.md", "*.mdown", "*.mkdn"]),
    ("md", &["*.markdown", "*.md", "*.mdown", "*.mkdn"]),
    ("py", &["*.py"]),
    ("rust", &["*.rs"]),
    (
        "sh",
        &[
            "*.bash",
            "*.bashrc",
            "*.csh",
            "*.cshrc",
            "*.ksh",
            "*.kshrc",
            "*.sh",
            "*.tcsh",
            "*.zsh",
            ".bash_login",
            ".bash_logout",
            ".bash_profile",
            ".bashrc",
            ".cshrc",
            ".kshrc",
            ".login",
            ".logout",
            ".profile",
            ".tcshrc",
            ".zlogin",
            ".zlogout",
            ".zprofile",
            ".zshenv",
            ".zshrc",
            "bash_login",
            "bash_logout",
            "bash_profile",
            "bashrc",
            "profile",
            "zlogin",
            "zlogout",
            "zprofile",
            "zshenv",
            "zshrc",
        ],
    ),
    ("toml", &["*.toml", "Cargo.lock"]),
    ("ts", &["*.ts", "*.tsx"]),
    ("txt", &["*.txt"]),
    ("yaml", &["*.yaml", "*.yml"]),
];

/// The globs of a type, or `None` for a type Mirage does not know.
pub fn globs(name: &str) -> Option<&'static [&'static str]> {
    TYPES.iter().find(|(n, _)| *n == name).map(|(_, g)| *g)
}

/// Compiled `-t`/`-T` selections.
pub struct TypeMatcher {
    select: Option<globset::GlobSet>,
    negate: Option<globset::GlobSet>,
}

fn build(names: &[String]) -> Result<Option<globset::GlobSet>, String> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for n in names {
        if n == "all" {
            for (_, gs) in TYPES {
                for g in *gs {
                    add(&mut b, g)?;
                }
            }
            continue;
        }
        let Some(gs) = globs(n) else {
            return Err(format!("unrecognized file type: {n}"));
        };
        for g in gs {
            add(&mut b, g)?;
        }
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

fn add(b: &mut globset::GlobSetBuilder, g: &str) -> Result<(), String> {
    let glob = globset::GlobBuilder::new(g)
        .literal_separator(true)
        .build()
        .map_err(|e| e.to_string())?;
    b.add(glob);
    Ok(())
}

/// What the type filter says about a file.
#[derive(PartialEq, Eq)]
pub enum TypeMatch {
    None,
    Whitelist,
    Ignore,
}

impl TypeMatcher {
    pub fn new(select: &[String], negate: &[String]) -> Result<Self, String> {
        Ok(TypeMatcher {
            select: build(select)?,
            negate: build(negate)?,
        })
    }

    pub fn matched(&self, file_name: &str) -> TypeMatch {
        if let Some(n) = &self.negate
            && n.is_match(file_name)
        {
            return TypeMatch::Ignore;
        }
        match &self.select {
            Some(s) if s.is_match(file_name) => TypeMatch::Whitelist,
            Some(_) => TypeMatch::Ignore,
            None => TypeMatch::None,
        }
    }
}
