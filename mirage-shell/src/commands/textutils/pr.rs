//! `pr`: paginates and columnates files as coreutils 9.1 does: the 5-line header (date, name,
//! page number) and 5-line trailer, `-COLUMN` columns down (balanced) or across (`-a`), `-m`
//! files side by side, numbering (`-n`, `-N`), spacing and widths (`-d`, `-l`, `-w`, `-W`,
//! `-o`), separators (`-s`, `-S`, `-J`), tabs (`-e`, `-i`), control characters (`-c`, `-v`),
//! form feeds (`-f`, `-F`, `-t`, `-T`) and page ranges (`+FIRST[:LAST]`, `--pages`).
//!
//! Input is read a byte at a time and written a page at a time; only the columns of the page
//! being printed (`-COLUMN` without `-a`) are held in memory.

mod format;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, FileKind};

use self::format::{Layout, State};
use super::support::{HELP, VERSION, unsupported};
use crate::commands::files::time::Stamp;
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};
use crate::commands::quoting::quote_if_needed;

pub struct Pr;

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "0123456789D:FJN:S::TW:abcde::fh:i::l:mn::o:rs::tvw:",
    long: &[
        long("pages", HasArg::Required, "pages"),
        long("columns", HasArg::Required, "columns"),
        long("across", HasArg::No, "a"),
        long("show-control-chars", HasArg::No, "c"),
        long("double-space", HasArg::No, "d"),
        long("date-format", HasArg::Required, "D"),
        long("expand-tabs", HasArg::Optional, "e"),
        long("form-feed", HasArg::No, "f"),
        long("header", HasArg::Required, "h"),
        long("output-tabs", HasArg::Optional, "i"),
        long("join-lines", HasArg::No, "J"),
        long("length", HasArg::Required, "l"),
        long("merge", HasArg::No, "m"),
        long("number-lines", HasArg::Optional, "n"),
        long("first-line-number", HasArg::Required, "N"),
        long("indent", HasArg::Required, "o"),
        long("no-file-warnings", HasArg::No, "r"),
        long("separator", HasArg::Optional, "s"),
        long("sep-string", HasArg::Optional, "S"),
        long("omit-header", HasArg::No, "t"),
        long("omit-pagination", HasArg::No, "T"),
        long("show-nonprinting", HasArg::No, "v"),
        long("width", HasArg::Required, "w"),
        long("page-width", HasArg::Required, "W"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// A fatal message (`pr: MESSAGE`, status 1), with or without the `Try` hint.
struct Fatal {
    message: String,
    hint: bool,
}

fn fatal(message: String) -> Fatal {
    Fatal {
        message,
        hint: false,
    }
}

/// GNU's `quote()` in a UTF-8 locale: ‘x’.
fn quote(s: &str) -> String {
    crate::commands::quoting::lquote(s)
}

/// `getoptnum`: a decimal in `[min, i32::MAX]`.
fn number(value: &str, min: i64, what: &str) -> Result<i64, Fatal> {
    let t = value.trim_start();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fatal(format!("{what}: {}", quote(value))));
    }
    let parsed: Option<i64> = t.parse().ok();
    match parsed {
        Some(n) if n >= min && n <= i64::from(i32::MAX) => Ok(n),
        _ => Err(fatal(format!(
            "{what}: {}: Numerical result out of range",
            quote(value)
        ))),
    }
}

/// `getoptarg`: `[CHAR][WIDTH]` of `-e`, `-i`, `-n`.
fn char_and_width(arg: &str, switch: char, ch: &mut u8, width: &mut i64) -> Result<(), Fatal> {
    let bytes = arg.as_bytes();
    let mut rest = arg;
    if let Some(&first) = bytes.first()
        && !first.is_ascii_digit()
    {
        *ch = first;
        rest = &arg[arg.char_indices().nth(1).map_or(arg.len(), |(i, _)| i)..];
        if !first.is_ascii() {
            // A multibyte first character: GNU takes its first byte only.
            rest = std::str::from_utf8(&bytes[1..]).unwrap_or("");
            if rest.is_empty() && bytes.len() > 1 {
                return Err(Fatal {
                    message: format!(
                        "'-{switch}' extra characters or invalid number in the argument: {}",
                        quote(&String::from_utf8_lossy(&bytes[1..]))
                    ),
                    hint: true,
                });
            }
        }
    }
    if rest.is_empty() {
        return Ok(());
    }
    let bad = || Fatal {
        message: format!(
            "'-{switch}' extra characters or invalid number in the argument: {}",
            quote(rest)
        ),
        hint: true,
    };
    let t = rest.trim_start();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match t.parse::<i64>() {
        Ok(n) if n > 0 && n <= i64::from(i32::MAX) => {
            *width = n;
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// `+FIRST[:LAST]`.
fn page_range(text: &str) -> Option<(u64, u64)> {
    let (first, last) = match text.split_once(':') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let num = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(s.parse().unwrap_or(u64::MAX))
    };
    let first = num(first).filter(|&f| f > 0)?;
    let last = match last {
        Some(l) => num(l).filter(|&l| l >= first)?,
        None => u64::MAX,
    };
    Some((first, last))
}

/// Reads the options into a layout and the list of files.
fn parse(parsed: &getopt::Parsed) -> Result<(Layout, Vec<String>), Fatal> {
    let mut l = Layout::default();
    let mut old_w = false;
    let mut old_s = false;
    let mut old_options = false;
    let mut explicit_columns = false;
    let mut column_digits = String::new();
    let mut digits_open = false;
    let mut pages_given = false;
    for o in &parsed.opts {
        let v = o.value.as_deref();
        if o.key.len() == 1 && o.key.as_bytes()[0].is_ascii_digit() {
            if !digits_open {
                column_digits.clear();
                digits_open = true;
            }
            column_digits.push_str(&o.key);
            continue;
        }
        digits_open = false;
        match o.key.as_str() {
            "pages" => {
                let text = v.unwrap_or_default();
                match page_range(text) {
                    Some((f, la)) => {
                        l.first_page = f;
                        l.last_page = la;
                        pages_given = true;
                    }
                    None => return Err(fatal(format!("invalid page range {}", quote(text)))),
                }
            }
            "columns" => {
                l.columns = number(v.unwrap_or_default(), 1, "invalid number of columns")?;
                explicit_columns = true;
                column_digits.clear();
            }
            "a" => {
                l.across = true;
                l.storing_columns = false;
            }
            "c" => l.cntrl_prefix = true,
            "d" => l.double_space = true,
            "D" => l.date_format = v.unwrap_or_default().to_string(),
            "e" => {
                if let Some(arg) = v {
                    char_and_width(arg, 'e', &mut l.input_tab_char, &mut l.input_tab_width)?;
                }
                l.untabify_input = true;
            }
            "f" | "F" => l.form_feed = true,
            "h" => l.custom_header = Some(v.unwrap_or_default().to_string()),
            "i" => {
                if let Some(arg) = v {
                    char_and_width(arg, 'i', &mut l.output_tab_char, &mut l.output_tab_width)?;
                }
                l.tabify_output = true;
            }
            "J" => l.join_lines = true,
            "l" => {
                l.lines_per_page = number(
                    v.unwrap_or_default(),
                    1,
                    "'-l PAGE_LENGTH' invalid number of lines",
                )?
            }
            "m" => {
                l.parallel = true;
                l.storing_columns = false;
            }
            "n" => {
                l.numbered = true;
                if let Some(arg) = v {
                    char_and_width(arg, 'n', &mut l.number_separator, &mut l.number_digits)?;
                }
            }
            "N" => {
                l.skip_count = false;
                l.start_line_num = number(
                    v.unwrap_or_default(),
                    i64::from(i32::MIN),
                    "'-N NUMBER' invalid starting line number",
                )?;
            }
            "o" => l.margin = number(v.unwrap_or_default(), 0, "'-o MARGIN' invalid line offset")?,
            "r" => l.ignore_failed_opens = true,
            "s" => {
                old_options = true;
                old_s = true;
                if !l.use_col_separator
                    && let Some(sep) = v
                {
                    l.col_sep = sep.as_bytes().to_vec();
                }
            }
            "S" => {
                old_s = false;
                l.col_sep.clear();
                l.use_col_separator = true;
                if let Some(sep) = v {
                    l.col_sep = sep.as_bytes().to_vec();
                }
            }
            "t" => {
                l.extremities = false;
                l.keep_ff = true;
            }
            "T" => {
                l.extremities = false;
                l.keep_ff = false;
            }
            "v" => l.esc_sequence = true,
            "w" => {
                old_options = true;
                old_w = true;
                let n = number(
                    v.unwrap_or_default(),
                    1,
                    "'-w PAGE_WIDTH' invalid number of characters",
                )?;
                if !l.truncate_lines {
                    l.chars_per_line = n;
                }
            }
            "W" => {
                old_w = false;
                l.truncate_lines = true;
                l.chars_per_line = number(
                    v.unwrap_or_default(),
                    1,
                    "'-W PAGE_WIDTH' invalid number of characters",
                )?;
            }
            _ => {}
        }
    }
    if !column_digits.is_empty() {
        l.columns = number(&column_digits, 1, "invalid number of columns")?;
        explicit_columns = true;
    }
    if l.date_format.is_empty() && !parsed.has("D") {
        l.date_format = "%Y-%m-%d %H:%M".to_string();
    }
    let mut files = Vec::new();
    for op in &parsed.operands {
        if !pages_given
            && l.first_page == 0
            && let Some(rest) = op.strip_prefix('+')
            && let Some((f, la)) = page_range(rest)
        {
            l.first_page = f;
            l.last_page = la;
            continue;
        }
        files.push(op.clone());
    }
    if l.first_page == 0 {
        l.first_page = 1;
    }
    if l.parallel && explicit_columns {
        return Err(fatal(
            "cannot specify number of columns when printing in parallel".into(),
        ));
    }
    if l.parallel && l.across {
        return Err(fatal(
            "cannot specify both printing across and printing in parallel".into(),
        ));
    }
    if old_options {
        if old_w {
            if l.parallel || explicit_columns {
                l.truncate_lines = true;
                if old_s {
                    l.use_col_separator = true;
                }
            } else {
                l.join_lines = true;
            }
        } else if !l.use_col_separator && old_s && (l.parallel || explicit_columns) {
            if !l.truncate_lines {
                l.join_lines = true;
                if !l.col_sep.is_empty() {
                    l.use_col_separator = true;
                }
            } else {
                l.use_col_separator = true;
            }
        }
    }
    Ok((l, files))
}

#[async_trait]
impl Command for Pr {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => {
                ctx.error(&msg).await?;
                ctx.stderr
                    .write_str("Try 'pr --help' for more information.\n")
                    .await?;
                return Ok(1);
            }
        };
        if parsed.has("version") {
            return unsupported(ctx, "--version").await;
        }
        let (layout, files) = match parse(&parsed) {
            Ok(x) => x,
            Err(f) => {
                ctx.error(&f.message).await?;
                if f.hint {
                    ctx.stderr
                        .write_str("Try 'pr --help' for more information.\n")
                        .await?;
                }
                return Ok(1);
            }
        };
        // GNU allocates what these ask for; past this size they are refused, not obeyed.
        const CAP: i64 = 100_000;
        let limits = [
            ("-o", layout.margin),
            ("-w", layout.chars_per_line),
            ("-n", layout.number_digits),
            ("-e", layout.input_tab_width),
            ("-i", layout.output_tab_width),
        ];
        for (opt, value) in limits {
            if value > CAP {
                return unsupported(ctx, &format!("{opt} {value} (more than {CAP})")).await;
            }
        }
        let mut state = State::new(layout);
        let result = if files.is_empty() {
            state.print_files(ctx, &[]).await
        } else if state.layout.parallel {
            state.print_files(ctx, &files).await
        } else {
            let mut r = Ok(());
            for f in &files {
                r = state.print_files(ctx, std::slice::from_ref(f)).await;
                if r.is_err() {
                    break;
                }
            }
            r
        };
        match result {
            Ok(()) => Ok(i32::from(state.failed_opens)),
            Err(format::Stop::Io(e)) => Err(e),
            Err(format::Stop::Fatal(m)) => {
                ctx.stdout.flush().await?;
                ctx.error(&m).await?;
                Ok(1)
            }
        }
    }
}

/// What `print_files` needs to open an operand: its reader, header name and date.
pub(crate) struct Opened {
    pub reader: mirage_core::Reader,
    pub stamp: Option<Stamp>,
}

pub(crate) enum OpenError {
    /// Reported (`pr: NAME: strerror`) and skipped.
    Soft(String),
    /// Ends the run (a directory: GNU fails reading it).
    Hard(String),
}

/// Opens `name` (`-` is standard input, dated now).
pub(crate) async fn open(ctx: &mut CommandContext, name: &str) -> Result<Opened, OpenError> {
    if name == "-" {
        return Ok(Opened {
            reader: crate::commands::common::take_stdin(ctx),
            stamp: None,
        });
    }
    let path = ctx.path(name);
    let shown = quote_if_needed(name);
    match ctx.fs.stat(&path).await {
        Ok(st) if st.kind == FileKind::Dir => {
            Err(OpenError::Hard(format!("{shown}: Is a directory")))
        }
        Ok(st) => {
            let stamp = Stamp::modified(&st);
            match crate::commands::common::open_operand(ctx, name).await {
                Ok(reader) => Ok(Opened {
                    reader,
                    stamp: Some(stamp),
                }),
                Err(e) if e.kind == ErrorKind::IsADirectory => {
                    Err(OpenError::Hard(format!("{shown}: {e}")))
                }
                Err(e) => Err(OpenError::Soft(format!("{shown}: {e}"))),
            }
        }
        Err(e) => Err(OpenError::Soft(format!("{shown}: {e}"))),
    }
}
