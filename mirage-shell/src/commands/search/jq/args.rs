//! jq 1.6's command line. jq does not use getopt: options may appear anywhere, short flags
//! combine (`-nr`), `--arg`-style options take the next arguments, the first non-option is the
//! program and the rest are input files (or `$ARGS` strings after `--args`).

/// Parsed options.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub program: Option<String>,
    pub files: Vec<String>,
    pub from_file: bool,
    pub null_input: bool,
    pub raw_input: bool,
    pub slurp: bool,
    pub raw_output: bool,
    pub join_output: bool,
    pub ascii: bool,
    pub compact: bool,
    pub tab: bool,
    pub indent: usize,
    pub sort_keys: bool,
    /// `--stream`: each input becomes its `[path, leaf]` / `[path]` events.
    pub stream: bool,
    pub exit_status: bool,
    /// `--arg` / `--argjson` / `--slurpfile` / `--rawfile` in order: (name, value source).
    pub named: Vec<(String, NamedValue)>,
    pub positional: Vec<Positional>,
}

/// Where a named variable's value comes from.
#[derive(Clone, Debug)]
pub enum NamedValue {
    Text(String),
    Json(String),
    SlurpFile(String),
    RawFile(String),
}

/// A positional `$ARGS` value.
#[derive(Clone, Debug)]
pub enum Positional {
    Text(String),
    Json(String),
}

/// What parsing decided besides the options.
pub enum Outcome {
    Run(Args),
    /// Print this to stderr and exit with the status.
    Fail(String, i32),
    /// Print this to stdout and exit 0.
    Print(String),
    /// An option jq has but Mirage does not implement.
    Unsupported(String),
}

pub const HINT: &str = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n";

/// The usage text jq prints when it has no program.
pub const USAGE: &str = "jq - commandline JSON processor [version 1.6]\n\nUsage:\tjq [options] <jq filter> [file...]\n\tjq [options] --args <jq filter> [strings...]\n\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq's input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\nFor more advanced filters see the jq(1) manpage (\"man jq\")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo '{\"foo\": 0}' | jq .\n\t{\n\t\t\"foo\": 0\n\t}\n\nFor a listing of options, use jq --help.\n";

fn fail(msg: &str) -> Outcome {
    Outcome::Fail(format!("jq: {msg}\n{HINT}"), 2)
}

/// Parses the arguments (without the command name).
pub fn parse(argv: &[String]) -> Outcome {
    let mut a = Args {
        indent: 2,
        ..Args::default()
    };
    let mut further: Option<bool> = None; // Some(false): --args strings, Some(true): --jsonargs
    let mut args_done = false;
    let mut i = 0;
    while i < argv.len() {
        let text = argv[i].as_str();
        i += 1;
        // jq 1.6 reads `-5|length` or `-.x` as a program: only a letter or `-` after the dash
        // makes an option.
        let is_option = !args_done
            && text.starts_with('-')
            && text[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '-');
        if !is_option {
            if a.program.is_none() {
                a.program = Some(text.to_string());
            } else {
                match further {
                    Some(false) => a.positional.push(Positional::Text(text.to_string())),
                    Some(true) => a.positional.push(Positional::Json(text.to_string())),
                    None => a.files.push(text.to_string()),
                }
            }
            continue;
        }
        if text == "--" {
            if a.program.is_none() {
                return Outcome::Fail(USAGE.to_string(), 2);
            }
            args_done = true;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            match long {
                "slurp" => a.slurp = true,
                "stream" => a.stream = true,
                "raw-output" => a.raw_output = true,
                "join-output" => {
                    a.raw_output = true;
                    a.join_output = true;
                }
                "compact-output" => a.compact = true,
                "monochrome-output" | "unbuffered" => {}
                "ascii-output" => a.ascii = true,
                "sort-keys" => a.sort_keys = true,
                "raw-input" => a.raw_input = true,
                "null-input" => a.null_input = true,
                "from-file" => a.from_file = true,
                "exit-status" => a.exit_status = true,
                "tab" => a.tab = true,
                "indent" => {
                    let Some(v) = argv.get(i) else {
                        return fail("--indent takes one parameter");
                    };
                    i += 1;
                    let n = atoi(v);
                    if !(-1..=7).contains(&n) {
                        return fail("--indent takes a number between -1 and 7");
                    }
                    a.indent = usize::try_from(n).unwrap_or(0);
                }
                "args" => further = Some(false),
                "jsonargs" => further = Some(true),
                "arg" | "argjson" | "slurpfile" | "argfile" | "rawfile" => {
                    let (Some(name), Some(value)) = (argv.get(i), argv.get(i + 1)) else {
                        let what = match long {
                            "arg" => "--arg takes two parameters (e.g. --arg varname value)",
                            "argjson" => {
                                "--argjson takes two parameters (e.g. --argjson varname text)"
                            }
                            "rawfile" => {
                                "--rawfile takes two parameters (e.g. --rawfile varname filename)"
                            }
                            _ => {
                                "--slurpfile takes two parameters (e.g. --slurpfile varname filename)"
                            }
                        };
                        return fail(what);
                    };
                    i += 2;
                    let value = match long {
                        "arg" => NamedValue::Text(value.clone()),
                        "argjson" => NamedValue::Json(value.clone()),
                        "rawfile" => NamedValue::RawFile(value.clone()),
                        _ => NamedValue::SlurpFile(value.clone()),
                    };
                    a.named.push((name.clone(), value));
                }
                "version" => return Outcome::Print("jq-1.6\n".to_string()),
                "help" => return Outcome::Print(help()),
                "color-output" | "seq" | "stream-errors" | "run-tests" | "debug-dump-disasm"
                | "debug-trace" | "debug-trace=all" => {
                    return Outcome::Unsupported(text.to_string());
                }
                _ => return Outcome::Fail(format!("jq: Unknown option {text}\n{HINT}"), 2),
            }
            continue;
        }
        if text.starts_with("-L") {
            return Outcome::Unsupported("-L".to_string());
        }
        // Combined short flags: every letter must be known.
        for c in text[1..].chars() {
            match c {
                's' => a.slurp = true,
                'r' => a.raw_output = true,
                'j' => {
                    a.raw_output = true;
                    a.join_output = true;
                }
                'c' => a.compact = true,
                'M' => {}
                'a' => a.ascii = true,
                'S' => a.sort_keys = true,
                'R' => a.raw_input = true,
                'n' => a.null_input = true,
                'f' => a.from_file = true,
                'e' => a.exit_status = true,
                'V' => return Outcome::Print("jq-1.6\n".to_string()),
                'h' => return Outcome::Print(help()),
                'C' => return Outcome::Unsupported(format!("-{c}")),
                _ => return Outcome::Fail(format!("jq: Unknown option {text}\n{HINT}"), 2),
            }
        }
    }
    Outcome::Run(a)
}

/// The option list `jq --help` prints after the usage text, line by line.
const HELP_OPTIONS: &[&str] = &[
    "Some of the options include:",
    "  -c               compact instead of pretty-printed output;",
    "  -n               use `null` as the single input value;",
    "  -e               set the exit status code based on the output;",
    "  -s               read (slurp) all inputs into an array; apply filter to it;",
    "  -r               output raw strings, not JSON texts;",
    "  -R               read raw strings, not JSON texts;",
    "  -C               colorize JSON;",
    "  -M               monochrome (don't colorize JSON);",
    "  -S               sort keys of objects on output;",
    "  --tab            use tabs for indentation;",
    "  --arg a v        set variable $a to value <v>;",
    "  --argjson a v    set variable $a to JSON value <v>;",
    "  --slurpfile a f  set variable $a to an array of JSON texts read from <f>;",
    "  --rawfile a f    set variable $a to a string consisting of the contents of <f>;",
    "  --args           remaining arguments are string arguments, not files;",
    "  --jsonargs       remaining arguments are JSON arguments, not files;",
    "  --               terminates argument processing;",
    "",
    "Named arguments are also available as $ARGS.named[], while",
    "positional arguments are available as $ARGS.positional[].",
    "",
    "See the manpage for more options.",
];

/// `jq --help`: the usage text, with the option list in place of its last line.
fn help() -> String {
    let intro = USAGE
        .strip_suffix("For a listing of options, use jq --help.\n")
        .unwrap_or(USAGE);
    let mut text = intro.to_string();
    for line in HELP_OPTIONS {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// C's `atoi`: leading blanks, optional sign, digits; anything else ends the number.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg { -n } else { n }
}
