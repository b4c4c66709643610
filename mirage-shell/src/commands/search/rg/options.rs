//! ripgrep's command line (clap 2 rules: clustered short flags, `-A2`/`-A 2`, `--opt=v` or
//! `--opt v`, no abbreviations, `--` ends options, options anywhere).

const USAGE: &str = "USAGE:
    
    rg [OPTIONS] PATTERN [PATH ...]
    rg [OPTIONS] -e PATTERN ... [PATH ...]
    rg [OPTIONS] -f PATTERNFILE ... [PATH ...]
    rg [OPTIONS] --files [PATH ...]
    rg [OPTIONS] --type-list
    command | rg [OPTIONS] PATTERN
    rg [OPTIONS] --help
    rg [OPTIONS] --version

For more information try --help
";

pub enum ParseError {
    /// A clap error, printed as is (with usage), status 2.
    Clap(String),
    /// An option Mirage does not implement.
    Unsupported(String),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Case {
    Sensitive,
    Insensitive,
    Smart,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Lines,
    FilesWithMatches,
    FilesWithoutMatch,
    Count,
    CountMatches,
    Files,
    TypeList,
}

#[derive(Clone, Debug)]
pub struct Opts {
    pub patterns: Vec<String>,
    pub pattern_files: Vec<String>,
    pub case: Case,
    pub invert: bool,
    pub word: bool,
    pub line: bool,
    pub fixed: bool,
    pub line_number: Option<bool>,
    pub with_filename: Option<bool>,
    pub mode: Mode,
    pub only_matching: bool,
    pub replace: Option<String>,
    pub after: usize,
    pub before: usize,
    pub max_count: Option<u64>,
    /// `-g`/`--iglob` globs in order: (glob, case-insensitive).
    pub globs: Vec<(String, bool)>,
    pub types: Vec<String>,
    pub types_not: Vec<String>,
    pub hidden: bool,
    pub no_ignore: bool,
    pub no_ignore_vcs: bool,
    pub text: bool,
    pub null: bool,
    pub max_depth: Option<usize>,
    pub quiet: bool,
    pub heading: bool,
    pub vimgrep: bool,
    pub column: bool,
    pub no_messages: bool,
    pub include_zero: bool,
    pub byte_offset: bool,
    pub no_require_git: bool,
    /// `--mmap` (Some(true)) / `--no-mmap` (Some(false)).
    pub mmap: Option<bool>,
    pub paths: Vec<String>,
}

enum Arg {
    Flag(&'static str),
    Value(&'static str),
}

/// Long options: name, and whether it takes a value; the key is the name itself.
const LONG: &[(&str, bool)] = &[
    ("regexp", true),
    ("file", true),
    ("ignore-case", false),
    ("smart-case", false),
    ("case-sensitive", false),
    ("invert-match", false),
    ("word-regexp", false),
    ("line-regexp", false),
    ("fixed-strings", false),
    ("no-fixed-strings", false),
    ("line-number", false),
    ("no-line-number", false),
    ("with-filename", false),
    ("no-filename", false),
    ("files-with-matches", false),
    ("files-without-match", false),
    ("count", false),
    ("count-matches", false),
    ("only-matching", false),
    ("replace", true),
    ("after-context", true),
    ("before-context", true),
    ("context", true),
    ("max-count", true),
    ("glob", true),
    ("iglob", true),
    ("type", true),
    ("type-not", true),
    ("hidden", false),
    ("no-hidden", false),
    ("no-ignore", false),
    ("ignore", false),
    ("no-ignore-vcs", false),
    ("no-ignore-dot", false),
    ("no-ignore-parent", false),
    ("no-ignore-global", false),
    ("no-ignore-exclude", false),
    ("unrestricted", false),
    ("follow", false),
    ("files", false),
    ("type-list", false),
    ("multiline", false),
    ("json", false),
    ("null", false),
    ("sort", true),
    ("sortr", true),
    ("sort-files", false),
    ("max-depth", true),
    ("maxdepth", true),
    ("quiet", false),
    ("heading", false),
    ("no-heading", false),
    ("vimgrep", false),
    ("column", false),
    ("no-column", false),
    ("threads", true),
    ("text", false),
    ("no-messages", false),
    ("color", true),
    ("colour", true),
    ("no-config", false),
    ("pcre2", false),
    ("crlf", false),
    ("context-separator", true),
    ("passthru", false),
    ("trim", false),
    ("stats", false),
    ("help", false),
    ("version", false),
    // Known to ripgrep, refused by Mirage.
    ("type-add", true),
    ("type-clear", true),
    ("ignore-file", true),
    ("pre", true),
    ("pre-glob", true),
    ("max-filesize", true),
    ("max-columns", true),
    ("engine", true),
    ("encoding", true),
    ("path-separator", true),
    ("dfa-size-limit", true),
    ("regex-size-limit", true),
    ("field-context-separator", true),
    ("field-match-separator", true),
    ("colors", true),
    ("byte-offset", false),
    ("include-zero", false),
    ("glob-case-insensitive", false),
    ("no-unicode", false),
    ("null-data", false),
    ("multiline-dotall", false),
    ("search-zip", false),
    ("pretty", false),
    ("debug", false),
    ("trace", false),
    ("binary", false),
    ("no-binary", false),
    ("one-file-system", false),
    ("no-require-git", false),
    ("line-buffered", false),
    ("block-buffered", false),
    ("mmap", false),
    ("no-mmap", false),
    ("pcre2-version", false),
    ("auto-hybrid-regex", false),
];

fn short(c: char) -> Option<Arg> {
    Some(match c {
        'e' => Arg::Value("regexp"),
        'f' => Arg::Value("file"),
        'i' => Arg::Flag("ignore-case"),
        'S' => Arg::Flag("smart-case"),
        's' => Arg::Flag("case-sensitive"),
        'v' => Arg::Flag("invert-match"),
        'w' => Arg::Flag("word-regexp"),
        'x' => Arg::Flag("line-regexp"),
        'F' => Arg::Flag("fixed-strings"),
        'n' => Arg::Flag("line-number"),
        'N' => Arg::Flag("no-line-number"),
        'H' => Arg::Flag("with-filename"),
        'I' => Arg::Flag("no-filename"),
        'l' => Arg::Flag("files-with-matches"),
        'c' => Arg::Flag("count"),
        'o' => Arg::Flag("only-matching"),
        'r' => Arg::Value("replace"),
        'A' => Arg::Value("after-context"),
        'B' => Arg::Value("before-context"),
        'C' => Arg::Value("context"),
        'm' => Arg::Value("max-count"),
        'g' => Arg::Value("glob"),
        't' => Arg::Value("type"),
        'T' => Arg::Value("type-not"),
        'u' => Arg::Flag("unrestricted"),
        'L' => Arg::Flag("follow"),
        'U' => Arg::Flag("multiline"),
        '0' => Arg::Flag("null"),
        'q' => Arg::Flag("quiet"),
        'j' => Arg::Value("threads"),
        'a' => Arg::Flag("text"),
        'p' => Arg::Flag("pretty"),
        'h' => Arg::Flag("help"),
        'V' => Arg::Flag("version"),
        'z' => Arg::Flag("search-zip"),
        'M' => Arg::Value("max-columns"),
        'E' => Arg::Value("encoding"),
        'P' => Arg::Flag("pcre2"),
        'b' => Arg::Flag("byte-offset"),
        _ => return None,
    })
}

fn clap_error(msg: &str) -> ParseError {
    ParseError::Clap(format!("error: {msg}\n\n{USAGE}\n"))
}

fn unexpected(arg: &str) -> ParseError {
    clap_error(&format!(
        "Found argument '{arg}' which wasn't expected, or isn't valid in this context"
    ))
}

fn number(long: &str, value: &str) -> Result<u64, ParseError> {
    let meta = match long {
        "max-depth" => "--max-depth <NUM>".to_string(),
        "threads" => "--threads <NUM>".to_string(),
        "max-count" => "--max-count <NUM>".to_string(),
        other => format!("--{other} <NUM>"),
    };
    value.parse::<u64>().map_err(|e| {
        let why = if value.is_empty() {
            "cannot parse integer from empty string".to_string()
        } else {
            e.to_string()
        };
        ParseError::Clap(format!("error: Invalid value for '{meta}': {why}\n\n"))
    })
}

/// Parses `args` (without the command name).
pub fn parse(args: &[String]) -> Result<Opts, ParseError> {
    let mut found: Vec<(&'static str, Option<String>)> = Vec::new();
    let mut positional: Vec<String> = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_operands || arg == "-" || !arg.starts_with('-') {
            positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(&(lname, takes)) = LONG.iter().find(|(n, _)| *n == name) else {
                return Err(unexpected(&format!("--{name}")));
            };
            if takes {
                let value = match attached {
                    Some(v) => v,
                    None => match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Err(missing_value(lname)),
                    },
                };
                found.push((lname, Some(value)));
            } else {
                if attached.is_some() {
                    return Err(unexpected(arg));
                }
                found.push((lname, None));
            }
            continue;
        }
        let chars: Vec<char> = arg.chars().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            match short(c) {
                None => return Err(unexpected(&format!("-{c}"))),
                Some(Arg::Flag(name)) => found.push((name, None)),
                Some(Arg::Value(name)) => {
                    let rest: String = chars[k..].iter().collect();
                    let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
                    let value = if !rest.is_empty() {
                        rest
                    } else {
                        match args.get(i) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None => return Err(missing_value(name)),
                        }
                    };
                    found.push((name, Some(value)));
                    k = chars.len();
                }
            }
        }
    }
    build(found, positional)
}

fn missing_value(name: &str) -> ParseError {
    let meta = match name {
        "regexp" => "--regexp <PATTERN>...".to_string(),
        "file" => "--file <PATTERNFILE>...".to_string(),
        "glob" => "--glob <GLOB>...".to_string(),
        "type" => "--type <TYPE>...".to_string(),
        "type-not" => "--type-not <TYPE>...".to_string(),
        "replace" => "--replace <REPLACEMENT>".to_string(),
        other => format!("--{other} <NUM>"),
    };
    clap_error(&format!(
        "The argument '{meta}' requires a value but none was supplied"
    ))
}

fn build(
    found: Vec<(&'static str, Option<String>)>,
    mut positional: Vec<String>,
) -> Result<Opts, ParseError> {
    let mut o = Opts {
        patterns: Vec::new(),
        pattern_files: Vec::new(),
        case: Case::Sensitive,
        invert: false,
        word: false,
        line: false,
        fixed: false,
        line_number: None,
        with_filename: None,
        mode: Mode::Lines,
        only_matching: false,
        replace: None,
        after: 0,
        before: 0,
        max_count: None,
        globs: Vec::new(),
        types: Vec::new(),
        types_not: Vec::new(),
        hidden: false,
        no_ignore: false,
        no_ignore_vcs: false,
        text: false,
        null: false,
        max_depth: None,
        quiet: false,
        heading: false,
        vimgrep: false,
        column: false,
        no_messages: false,
        include_zero: false,
        byte_offset: false,
        no_require_git: false,
        mmap: None,
        paths: Vec::new(),
    };
    let mut glob_ci = false;
    let mut count = false;
    let mut count_matches = false;
    let mut list: Option<Mode> = None;
    let (mut ctx_after, mut ctx_before, mut ctx_both) = (None, None, None);
    let mut unrestricted = 0;
    for (name, value) in found {
        let v = value.unwrap_or_default();
        match name {
            "regexp" => o.patterns.push(v),
            "file" => o.pattern_files.push(v),
            "ignore-case" => o.case = Case::Insensitive,
            "smart-case" => o.case = Case::Smart,
            "case-sensitive" => o.case = Case::Sensitive,
            "invert-match" => o.invert = true,
            "word-regexp" => {
                o.word = true;
                o.line = false;
            }
            "line-regexp" => {
                o.line = true;
                o.word = false;
            }
            "fixed-strings" => o.fixed = true,
            "no-fixed-strings" => o.fixed = false,
            "line-number" => o.line_number = Some(true),
            "no-line-number" => o.line_number = Some(false),
            "with-filename" => o.with_filename = Some(true),
            "no-filename" => o.with_filename = Some(false),
            "files-with-matches" => list = Some(Mode::FilesWithMatches),
            "files-without-match" => list = Some(Mode::FilesWithoutMatch),
            "count" => {
                count = true;
                count_matches = false;
            }
            "count-matches" => {
                count_matches = true;
                count = false;
            }
            "only-matching" => o.only_matching = true,
            "replace" => o.replace = Some(v),
            // -A/-B and -C override each other (clap), -A and -B combine.
            "after-context" => {
                ctx_after = Some(number(name, &v)? as usize);
                ctx_both = None;
            }
            "before-context" => {
                ctx_before = Some(number(name, &v)? as usize);
                ctx_both = None;
            }
            "context" => {
                ctx_both = Some(number(name, &v)? as usize);
                ctx_after = None;
                ctx_before = None;
            }
            "max-count" => o.max_count = Some(number(name, &v)?),
            "glob" => o.globs.push((v, false)),
            "iglob" => o.globs.push((v, true)),
            "type" => o.types.push(v),
            "type-not" => o.types_not.push(v),
            "hidden" => o.hidden = true,
            "no-hidden" => o.hidden = false,
            "no-ignore" => o.no_ignore = true,
            "ignore" => o.no_ignore = false,
            "no-ignore-vcs" => o.no_ignore_vcs = true,
            "unrestricted" => {
                unrestricted += 1;
                match unrestricted {
                    1 => o.no_ignore = true,
                    2 => o.hidden = true,
                    _ => o.text = true,
                }
            }
            "files" => o.mode = Mode::Files,
            "type-list" => o.mode = Mode::TypeList,
            "null" => o.null = true,
            "sort" | "sortr" => {
                if name == "sortr" || (v != "path" && v != "none") {
                    return Err(ParseError::Unsupported(format!("--{name} {v}")));
                }
            }
            "max-depth" | "maxdepth" => o.max_depth = Some(number("max-depth", &v)? as usize),
            "quiet" => o.quiet = true,
            "heading" => o.heading = true,
            "no-heading" => o.heading = false,
            "vimgrep" => o.vimgrep = true,
            "column" => o.column = true,
            "no-column" => o.column = false,
            "threads" => {
                number(name, &v)?;
            }
            "text" => o.text = true,
            "include-zero" => o.include_zero = true,
            "byte-offset" => o.byte_offset = true,
            "no-require-git" => o.no_require_git = true,
            "glob-case-insensitive" => glob_ci = true,
            "mmap" => o.mmap = Some(true),
            "no-mmap" => o.mmap = Some(false),
            "line-buffered" | "block-buffered" | "one-file-system" => {}
            "no-messages" => o.no_messages = true,
            "color" | "colour" => {
                if v != "never" && v != "auto" {
                    return Err(ParseError::Unsupported(format!("--{name} {v}")));
                }
            }
            "follow" | "sort-files" | "no-config" | "no-ignore-dot" | "no-ignore-parent"
            | "no-ignore-global" | "no-ignore-exclude" => {
                if name == "no-ignore-dot" || name == "no-ignore-parent" {
                    // Rarely used; refused rather than approximated.
                    return Err(ParseError::Unsupported(format!("--{name}")));
                }
            }
            other => return Err(ParseError::Unsupported(format!("--{other}"))),
        }
    }
    match ctx_both {
        Some(n) => {
            o.after = n;
            o.before = n;
        }
        None => {
            o.after = ctx_after.unwrap_or(0);
            o.before = ctx_before.unwrap_or(0);
        }
    }
    if glob_ci {
        for g in &mut o.globs {
            g.1 = true;
        }
    }
    // A count beats a file list, which beats printing lines.
    if o.mode == Mode::Lines {
        if count_matches || (count && o.only_matching) {
            o.mode = Mode::CountMatches;
        } else if count {
            o.mode = Mode::Count;
        } else if let Some(l) = list {
            o.mode = l;
        }
    }
    if o.vimgrep {
        o.column = true;
    }
    let needs_pattern = !matches!(o.mode, Mode::Files | Mode::TypeList);
    if needs_pattern && o.patterns.is_empty() && o.pattern_files.is_empty() {
        if positional.is_empty() {
            return Err(clap_error(
                "The following required arguments were not provided:\n    <PATTERN>",
            ));
        }
        o.patterns.push(positional.remove(0));
    }
    o.paths = positional;
    Ok(o)
}
