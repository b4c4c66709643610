//! gitignore-style rules: the lines of `.gitignore`/`.ignore`/`.rgignore` files, and `-g` globs
//! (which use the same syntax with the meaning of `!` inverted).

/// One rule of an ignore file.
struct Rule {
    glob: globset::GlobMatcher,
    /// `!pattern`: re-include what an earlier rule excluded.
    negated: bool,
    /// `pattern/`: directories only.
    dir_only: bool,
}

/// The rules of one ignore file (or of the `-g` globs), matched against paths relative to the
/// directory the file lives in.
#[derive(Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// The line being added (for error messages).
    current: String,
}

/// What a rule set says about a path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    None,
    Ignore,
    Whitelist,
}

impl RuleSet {
    /// Parses the text of an ignore file; lines that are not valid globs are skipped.
    pub fn parse(text: &str) -> RuleSet {
        let mut set = RuleSet::default();
        for line in text.lines() {
            let _ = set.add(line, false);
        }
        set
    }

    /// Adds one gitignore line. Returns an error message for an invalid glob.
    pub fn add(&mut self, line: &str, case_insensitive: bool) -> Result<(), String> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        self.current = line.to_string();
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let mut pat = line;
        // Trailing unescaped spaces are ignored.
        let trimmed = pat.trim_end_matches(' ');
        if trimmed.len() != pat.len() && !trimmed.ends_with('\\') {
            pat = trimmed;
        }
        let mut negated = false;
        if let Some(rest) = pat.strip_prefix('!') {
            negated = true;
            pat = rest;
        } else if let Some(rest) = pat.strip_prefix("\\!") {
            return self.push(&format!("!{rest}"), negated, case_insensitive);
        } else if let Some(rest) = pat.strip_prefix("\\#") {
            return self.push(&format!("#{rest}"), negated, case_insensitive);
        }
        self.push(pat, negated, case_insensitive)
    }

    fn push(&mut self, pat: &str, negated: bool, case_insensitive: bool) -> Result<(), String> {
        let mut pat = pat.to_string();
        let mut dir_only = false;
        if pat.len() > 1 && pat.ends_with('/') {
            pat.pop();
            dir_only = true;
        }
        if pat.is_empty() {
            return Ok(());
        }
        let anchored = pat.starts_with('/') || pat.contains('/');
        let mut glob = if let Some(rest) = pat.strip_prefix('/') {
            rest.to_string()
        } else if anchored || pat.starts_with("**/") {
            pat.clone()
        } else {
            format!("**/{pat}")
        };
        // `dir/**` should match everything inside, which globset does; a trailing `/**`
        // alone is fine too.
        if glob.is_empty() {
            glob = "**".to_string();
        }
        let built = globset::GlobBuilder::new(&glob)
            .literal_separator(true)
            .backslash_escape(true)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|e| format!("error parsing glob '{}': {}", self.current, e.kind()))?;
        self.rules.push(Rule {
            glob: built.compile_matcher(),
            negated,
            dir_only,
        });
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn has_whitelist(&self) -> bool {
        self.rules.iter().any(|r| !r.negated)
    }

    /// The last matching rule decides, as in git.
    pub fn matched(&self, rel: &str, is_dir: bool) -> Verdict {
        for r in self.rules.iter().rev() {
            if r.dir_only && !is_dir {
                continue;
            }
            if r.glob.is_match(rel) {
                return if r.negated {
                    Verdict::Whitelist
                } else {
                    Verdict::Ignore
                };
            }
        }
        Verdict::None
    }
}

/// `-g` globs: a plain glob selects, `!glob` excludes; when any selecting glob exists, files
/// matching none are excluded (directories are still entered).
pub struct Overrides {
    set: RuleSet,
}

impl Overrides {
    pub fn new(globs: &[(String, bool)]) -> Result<Self, String> {
        let mut set = RuleSet::default();
        for (g, ci) in globs {
            set.add(g, *ci)?;
        }
        Ok(Overrides { set })
    }

    pub fn matched(&self, rel: &str, is_dir: bool) -> Verdict {
        if self.set.is_empty() {
            return Verdict::None;
        }
        // In a rule set a plain line ignores; for overrides it selects.
        match self.set.matched(rel, is_dir) {
            Verdict::Ignore => Verdict::Whitelist,
            Verdict::Whitelist => Verdict::Ignore,
            Verdict::None if !is_dir && self.set.has_whitelist() => Verdict::Ignore,
            Verdict::None => Verdict::None,
        }
    }
}
