//! Word expansion in bash's order: brace expansion, then tilde, parameter, command and
//! arithmetic expansion, field splitting of unquoted results, pathname expansion and quote
//! removal.

use brush_parser::word::{
    BraceExpressionMember, BraceExpressionOrText, Parameter, ParameterExpr, ParameterTestType,
    SpecialParameter, SubstringMatchKind, TildeExpr, WordPiece, WordPieceWithSource,
};
use futures::future::BoxFuture;

use super::io::SharedWriter;
use super::state::{ShellState, Value};
use super::{arith, glob, pattern, run};

/// An expansion failure. `fatal` ones (`${x:?}`, `set -u`) end a non-interactive shell.
#[derive(Debug, Clone)]
pub struct ExpandError {
    pub message: String,
    pub fatal: bool,
    /// The status a fatal error ends the shell with (127 for `${x:?}` and `set -u`, 1 for
    /// arithmetic errors).
    pub status: i32,
    /// The error abandons only the complete command being run (bash's "discard"), not the
    /// shell: the next command of the script still runs.
    pub discards: bool,
}

impl ExpandError {
    pub fn new(message: impl Into<String>) -> Self {
        ExpandError {
            message: message.into(),
            fatal: false,
            status: 1,
            discards: false,
        }
    }

    /// Arithmetic errors abandon the complete command being run (status 1); the script goes
    /// on with the next one.
    pub fn arithmetic(message: impl Into<String>) -> Self {
        ExpandError {
            message: message.into(),
            fatal: true,
            status: 1,
            discards: true,
        }
    }
    fn fatal(message: impl Into<String>) -> Self {
        ExpandError {
            message: message.into(),
            fatal: true,
            status: 127,
            discards: false,
        }
    }
}

pub type ExpandResult<T> = Result<T, ExpandError>;

/// In the replacement of `${v/pat/rep}`, bash takes `\/` as a plain `/` (the backslash only
/// kept the slash from ending the pattern); other backslashes are left for quote removal.
fn unescape_slashes(rep: &str) -> std::borrow::Cow<'_, str> {
    if !rep.contains("\\/") {
        return std::borrow::Cow::Borrowed(rep);
    }
    let mut out = String::with_capacity(rep.len());
    let mut chars = rep.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('/') => out.push('/'),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn parser_options() -> brush_parser::ParserOptions {
    brush_parser::ParserOptions::default()
}

/// How many parsed words each thread keeps: a loop expands the same few words each time
/// round, and parsing one costs more than expanding it.
const CACHED_WORDS: usize = 1024;

type Pieces = std::sync::Arc<Vec<WordPieceWithSource>>;

thread_local! {
    static PARSED: std::cell::RefCell<std::collections::HashMap<String, Pieces>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The pieces of a word's text (`$x`, `"..."`, literal runs), parsed once per text.
fn parse_word(text: &str) -> ExpandResult<Pieces> {
    if let Some(hit) = PARSED.with(|c| c.borrow().get(text).cloned()) {
        return Ok(hit);
    }
    let pieces = brush_parser::word::parse(text, &parser_options())
        .map_err(|_| ExpandError::new(format!("{text}: bad substitution")))?;
    let pieces = std::sync::Arc::new(pieces);
    PARSED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHED_WORDS {
            c.clear();
        }
        c.insert(text.to_string(), pieces.clone());
    });
    Ok(pieces)
}

/// One field being built: its text, the same text as a glob pattern (quoted characters
/// escaped), whether an unquoted glob character is present, and whether it must survive even
/// when empty (it contained quotes).
#[derive(Default, Clone)]
struct Field {
    text: String,
    pat: String,
    glob: bool,
    keep: bool,
}

#[derive(Default)]
struct Fields {
    done: Vec<Field>,
    cur: Field,
    /// The previous split ended on IFS whitespace, which absorbs one following non-space
    /// delimiter.
    after_ws: bool,
    /// The last value pushed was a quoted `"$@"`-like list with no elements: a word made of
    /// just that expands to no field at all.
    empty_list: bool,
}

impl Fields {
    fn literal(&mut self, s: &str, quoted: bool) {
        self.after_ws = false;
        self.cur.text.push_str(s);
        if quoted {
            self.cur.pat.push_str(&pattern::escape(s));
            self.cur.keep = true;
        } else {
            if pattern::has_glob_chars(s) {
                self.cur.glob = true;
            }
            self.cur.pat.push_str(s);
            if !s.is_empty() {
                self.cur.keep = true;
            }
        }
    }

    fn finish(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.done.push(f);
    }

    /// Adds an unquoted expansion result, splitting it on IFS.
    fn split(&mut self, s: &str, ifs: &str) {
        if ifs.is_empty() {
            self.literal(s, false);
            return;
        }
        for c in s.chars() {
            let is_ws = ifs.contains(c) && c.is_whitespace();
            let is_delim = ifs.contains(c) && !c.is_whitespace();
            if is_ws {
                if self.cur.keep || !self.cur.text.is_empty() {
                    self.finish();
                    self.after_ws = true;
                }
            } else if is_delim {
                if self.after_ws {
                    self.after_ws = false;
                } else {
                    self.finish();
                }
            } else {
                let mut b = [0u8; 4];
                self.literal(c.encode_utf8(&mut b), false);
            }
        }
    }

    fn into_fields(mut self) -> Vec<Field> {
        if self.cur.keep || !self.cur.text.is_empty() {
            self.finish();
        }
        self.done
    }
}

/// Values of `$@`-like expansions stay separate fields even in double quotes.
enum ParamValue {
    One(String),
    Many(Vec<String>),
}

/// Expands a word into fields (with splitting and globbing): for command arguments.
pub fn expand_word<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    word: &'a str,
) -> BoxFuture<'a, ExpandResult<Vec<String>>> {
    Box::pin(async move {
        let mut out = Vec::new();
        for w in brace_expand(word) {
            let fields = expand_fields(st, err, &w, false).await?;
            for f in fields {
                // A bracket expression may hold quoted parts (`["$v"]`): only the whole
                // pattern shows whether it globs.
                if (f.glob || (f.pat.contains('[') && pattern::has_glob_chars(&f.pat)))
                    && !st.opts.noglob
                {
                    let o = glob::GlobOpts {
                        dotglob: st.opts.dotglob,
                        nocase: st.opts.nocaseglob,
                        globstar: st.opts.globstar,
                    };
                    let matches = glob::expand_with(&st.fs, &st.cwd, &f.pat, o).await;
                    if !matches.is_empty() {
                        out.extend(matches);
                        continue;
                    }
                    if st.opts.failglob {
                        return Err(ExpandError {
                            message: format!("no match: {}", f.text),
                            fatal: true,
                            status: 1,
                            discards: false,
                        });
                    }
                    if st.opts.nullglob {
                        continue;
                    }
                }
                out.push(f.text);
            }
        }
        Ok(out)
    })
}

/// Expands a word to one string without splitting or globbing: assignments, redirection
/// targets, `case` subjects, `[[ ]]` operands, here-strings.
pub fn expand_string<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    word: &'a str,
) -> BoxFuture<'a, ExpandResult<String>> {
    Box::pin(async move {
        let fields = expand_fields(st, err, word, true).await?;
        Ok(fields
            .into_iter()
            .map(|f| f.text)
            .collect::<Vec<_>>()
            .join(" "))
    })
}

/// Expands a word as a pattern: quoted parts match literally.
pub fn expand_pattern<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    word: &'a str,
) -> BoxFuture<'a, ExpandResult<String>> {
    Box::pin(async move {
        let fields = expand_fields(st, err, word, true).await?;
        Ok(fields
            .into_iter()
            .map(|f| f.pat)
            .collect::<Vec<_>>()
            .join(" "))
    })
}

/// Expands the body of a here-document (`$x`, `$(..)` and `\$` only; quotes are literal).
pub async fn expand_heredoc(
    st: &mut ShellState,
    err: &SharedWriter,
    body: &str,
) -> ExpandResult<String> {
    let pieces = brush_parser::word::parse_heredoc(body, &parser_options())
        .map_err(|e| ExpandError::new(format!("bad substitution: {e}")))?;
    let mut fields = Fields::default();
    expand_pieces(st, err, &pieces, true, false, &mut fields).await?;
    Ok(fields
        .into_fields()
        .into_iter()
        .map(|f| f.text)
        .collect::<Vec<_>>()
        .join(""))
}

fn expand_fields<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    word: &'a str,
    no_split: bool,
) -> BoxFuture<'a, ExpandResult<Vec<Field>>> {
    Box::pin(async move {
        let pieces = parse_word(word)?;
        let mut fields = Fields::default();
        expand_pieces(st, err, &pieces, false, no_split, &mut fields).await?;
        let mut v = fields.into_fields();
        if no_split && v.is_empty() {
            v.push(Field::default());
        }
        Ok(v)
    })
}

fn expand_pieces<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    pieces: &'a [WordPieceWithSource],
    quoted: bool,
    no_split: bool,
    out: &'a mut Fields,
) -> BoxFuture<'a, ExpandResult<()>> {
    Box::pin(async move {
        for p in pieces {
            match &p.piece {
                WordPiece::Text(s) => out.literal(s, quoted),
                WordPiece::SingleQuotedText(s) => out.literal(s, true),
                WordPiece::AnsiCQuotedText(s) => out.literal(&ansi_c_unescape(s), true),
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    let untouched = !out.cur.keep && out.cur.text.is_empty();
                    out.literal("", true);
                    out.empty_list = false;
                    expand_pieces(st, err, inner, true, no_split, out).await?;
                    if untouched && inner.len() == 1 && out.empty_list && !no_split {
                        // `"$@"` with no positional parameters: no field, unless more of
                        // the word follows (`"$@"""` is one empty field).
                        out.cur.keep = false;
                    }
                }
                WordPiece::EscapeSequence(s) => {
                    let lit: String = s.chars().skip(1).collect();
                    if quoted && !matches!(lit.as_str(), "$" | "`" | "\"" | "\\" | "\n") {
                        out.literal(s, true);
                    } else if lit == "\n" {
                        // Line continuation: nothing.
                    } else {
                        out.literal(&lit, true);
                    }
                }
                WordPiece::TildeExpansion(t) => {
                    let v = match t {
                        TildeExpr::Home => st.get_str("HOME").unwrap_or_else(|| "/".to_string()),
                        TildeExpr::WorkingDir => st.cwd.to_string(),
                        // Unset, `~-` stays as written, as in bash.
                        TildeExpr::OldWorkingDir => {
                            st.get_str("OLDPWD").unwrap_or_else(|| "~-".to_string())
                        }
                        TildeExpr::UserHome(u) => format!("~{u}"),
                        _ => "~".to_string(),
                    };
                    out.literal(&v, true);
                }
                WordPiece::ParameterExpansion(expr) => {
                    let v = expand_parameter(st, err, expr, quoted).await?;
                    push_value_mode(st, out, v, quoted, no_split);
                }
                WordPiece::CommandSubstitution(cmd)
                | WordPiece::BackquotedCommandSubstitution(cmd) => {
                    let cmd = if matches!(p.piece, WordPiece::BackquotedCommandSubstitution(_)) {
                        unescape_backquoted(cmd)
                    } else {
                        cmd.clone()
                    };
                    let (mut text, status) = run::capture(st, err, &cmd).await;
                    if text.contains('\0') {
                        run::shell_error(
                            st,
                            err,
                            "warning: command substitution: ignored null byte in input",
                        )
                        .await;
                        text.retain(|c| c != '\0');
                    }
                    st.last_status = status;
                    st.subst_status = Some(status);
                    let trimmed = text.trim_end_matches('\n');
                    push_value_mode(
                        st,
                        out,
                        ParamValue::One(trimmed.to_string()),
                        quoted,
                        no_split,
                    );
                }
                WordPiece::ArithmeticExpression(expr) => {
                    let text = expand_string_quoted(st, err, &expr.value).await?;
                    let v = arith::eval_str(st, &text)
                        .map_err(|e| ExpandError::arithmetic(arith::describe(&text, &e)))?;
                    push_value(st, out, ParamValue::One(v.to_string()), quoted || no_split);
                }
            }
        }
        Ok(())
    })
}

/// Adds an expansion result: quoted ones literally, unquoted ones split (or, where no splitting
/// happens, such as `[[ ]]` and `case`, kept raw so their pattern characters stay active).
fn push_value_mode(st: &ShellState, out: &mut Fields, v: ParamValue, quoted: bool, no_split: bool) {
    if !quoted && no_split {
        let text = match v {
            ParamValue::One(s) => s,
            ParamValue::Many(items) => items.join(" "),
        };
        out.literal(&text, false);
        out.cur.keep = true;
        return;
    }
    push_value(st, out, v, quoted || no_split);
}

fn push_value(st: &ShellState, out: &mut Fields, v: ParamValue, quoted: bool) {
    let ifs = st.ifs();
    match v {
        ParamValue::One(s) => {
            if quoted {
                out.literal(&s, true);
            } else {
                out.split(&s, &ifs);
            }
        }
        ParamValue::Many(items) => {
            let n = items.len();
            out.empty_list = quoted && n == 0;
            for (i, s) in items.into_iter().enumerate() {
                if quoted {
                    out.literal(&s, true);
                    if i + 1 < n {
                        out.finish();
                    }
                } else {
                    out.split(&s, &ifs);
                    if i + 1 < n && (out.cur.keep || !out.cur.text.is_empty()) {
                        out.finish();
                    }
                }
            }
        }
    }
}

/// Expands text as if inside double quotes (used for `$(( ))` bodies and quoted operands).
fn expand_string_quoted<'a>(
    st: &'a mut ShellState,
    err: &'a SharedWriter,
    text: &'a str,
) -> BoxFuture<'a, ExpandResult<String>> {
    Box::pin(async move {
        let pieces = parse_word(text)?;
        let mut fields = Fields::default();
        expand_pieces(st, err, &pieces, true, true, &mut fields).await?;
        Ok(fields
            .into_fields()
            .into_iter()
            .map(|f| f.text)
            .collect::<Vec<_>>()
            .join(""))
    })
}

/// Expands an operand word of `${x:-word}`: split when the expansion itself is unquoted.
async fn expand_operand(
    st: &mut ShellState,
    err: &SharedWriter,
    word: &str,
    quoted: bool,
) -> ExpandResult<ParamValue> {
    if quoted {
        return Ok(ParamValue::One(expand_string_quoted(st, err, word).await?));
    }
    let fields = expand_fields(st, err, word, false).await?;
    Ok(ParamValue::Many(
        fields.into_iter().map(|f| f.text).collect(),
    ))
}

fn positional_or_special(st: &ShellState, p: &Parameter) -> Option<Vec<String>> {
    match p {
        Parameter::Positional(0) => Some(vec![st.shell_name.clone()]),
        Parameter::Positional(n) => st.positional.get(*n as usize - 1).map(|v| vec![v.clone()]),
        Parameter::Special(s) => match s {
            SpecialParameter::AllPositionalParameters { .. } => Some(st.positional.clone()),
            SpecialParameter::PositionalParameterCount => {
                Some(vec![st.positional.len().to_string()])
            }
            SpecialParameter::LastExitStatus => Some(vec![st.last_status.to_string()]),
            SpecialParameter::CurrentOptionFlags => {
                let o = &st.opts;
                let flags = [
                    (o.allexport, 'a'),
                    (o.errexit, 'e'),
                    (o.noglob, 'f'),
                    (true, 'h'),
                    (o.nounset, 'u'),
                    (o.verbose, 'v'),
                    (o.xtrace, 'x'),
                    (true, 'B'),
                    (o.noclobber, 'C'),
                ];
                let mut f: String = flags
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, c)| *c)
                    .collect();
                f.extend(st.invocation_flag);
                Some(vec![f])
            }
            SpecialParameter::ProcessId => Some(vec![std::process::id().to_string()]),
            SpecialParameter::LastBackgroundProcessId => Some(vec![
                st.jobs.last_pid.map(|p| p.to_string()).unwrap_or_default(),
            ]),
            SpecialParameter::ShellName => Some(vec![st.shell_name.clone()]),
        },
        _ => None,
    }
}

/// The raw value of a parameter: `None` when unset; a list for `$@`, `${a[@]}`.
async fn param_raw(
    st: &mut ShellState,
    err: &SharedWriter,
    p: &Parameter,
) -> ExpandResult<Option<ParamValue>> {
    if let Some(v) = positional_or_special(st, p) {
        let many = matches!(
            p,
            Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
        );
        return Ok(Some(if many {
            ParamValue::Many(v)
        } else {
            ParamValue::One(v.into_iter().next().unwrap_or_default())
        }));
    }
    Ok(match p {
        Parameter::Named(name) => st.get(name).map(|v| ParamValue::One(v.scalar())),
        Parameter::NamedWithIndex { name, index } => {
            if let Some(Value::Assoc(m)) = st.get(name) {
                // Associative subscripts are strings, not arithmetic.
                let key = expand_string_quoted(st, err, index).await?;
                return Ok(crate::interp::state::assoc_get(&m, &key)
                    .cloned()
                    .map(ParamValue::One));
            }
            let idx_text = expand_string_quoted(st, err, index).await?;
            let i = arith::eval_str(st, &idx_text)
                .map_err(|e| ExpandError::new(format!("{idx_text}: {}", e.0)))?;
            if i < 0 {
                // Counted from the end: before the first element is reported, and the
                // expansion is empty (bash counts nothing from the end of a scalar).
                let len = match st.get(name) {
                    Some(Value::Array(a)) => a.keys().last().map_or(0, |k| *k as i64 + 1),
                    _ => 0,
                };
                if len + i < 0 {
                    super::run::shell_error(st, err, &format!("{name}: bad array subscript")).await;
                    return Ok(None);
                }
            }
            match st.get(name) {
                Some(Value::Array(a)) => {
                    let key = if i < 0 {
                        a.keys().last().map(|k| (*k as i64 + 1 + i).max(0) as usize)
                    } else {
                        Some(i as usize)
                    };
                    key.and_then(|k| a.get(&k).cloned()).map(ParamValue::One)
                }
                Some(Value::Str(s)) if i == 0 => Some(ParamValue::One(s)),
                _ => None,
            }
        }
        Parameter::NamedWithAllIndices { name, .. } => {
            st.get(name).map(|v| ParamValue::Many(v.elements()))
        }
        _ => None,
    })
}

fn is_all_positional(p: &Parameter) -> bool {
    matches!(
        p,
        Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
            | Parameter::NamedWithAllIndices { .. }
    )
}

fn concatenates(p: &Parameter) -> bool {
    matches!(
        p,
        Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate: true })
            | Parameter::NamedWithAllIndices {
                concatenate: true,
                ..
            }
    )
}

fn join_value(st: &ShellState, v: ParamValue) -> String {
    match v {
        ParamValue::One(s) => s,
        ParamValue::Many(items) => {
            let sep = st
                .ifs()
                .chars()
                .next()
                .map(|c| c.to_string())
                .unwrap_or_default();
            items.join(&sep)
        }
    }
}

/// Applies a per-element transformation to a value, keeping `$@`-style lists as lists.
/// The attribute letters of `${x@a}`, in bash's order.
fn attribute_flags(st: &ShellState, name: &str) -> String {
    let mut flags = String::new();
    match st.get(name) {
        Some(Value::Array(_)) => flags.push('a'),
        Some(Value::Assoc(_)) => flags.push('A'),
        _ => {}
    }
    let attrs = st.attrs(name);
    if attrs.integer {
        flags.push('i');
    }
    if attrs.lower {
        flags.push('l');
    }
    if st.readonly.contains(name) {
        flags.push('r');
    }
    if attrs.upper {
        flags.push('u');
    }
    if st.vars.get(name).is_some_and(|v| v.exported) {
        flags.push('x');
    }
    flags
}

/// The keys and values of the array `${name[@]}` names, if it is one (as text keys).
fn key_value_pairs(st: &ShellState, p: &Parameter) -> Option<(bool, Vec<(String, String)>)> {
    let Parameter::NamedWithAllIndices { name, .. } = p else {
        return None;
    };
    match st.get(name)? {
        Value::Array(a) => Some((
            false,
            a.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        )),
        Value::Assoc(m) => Some((true, m)),
        Value::Str(_) => None,
    }
}

/// `${a[@]@K}`: `key "value"` pairs as one word (an associative array's keys are quoted when
/// they need it, and bash ends its list with a space); `${a[@]@k}`: keys and values as
/// separate words.
fn quote_pairs((assoc, pairs): (bool, Vec<(String, String)>), separate_words: bool) -> ParamValue {
    if separate_words {
        return ParamValue::Many(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect());
    }
    let dquote = |s: &str| {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for c in s.chars() {
            if matches!(c, '"' | '\\' | '$' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    };
    let plain = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-/:@%+,".contains(c))
    };
    let mut text = String::new();
    for (k, v) in &pairs {
        if !text.is_empty() {
            text.push(' ');
        }
        if !assoc || plain(k) {
            text.push_str(k);
        } else {
            text.push_str(&dquote(k));
        }
        text.push(' ');
        text.push_str(&dquote(v));
    }
    if assoc && !pairs.is_empty() {
        text.push(' ');
    }
    ParamValue::One(text)
}

/// The value an operation (`${a[@]/x/y}`, `${a[@]^^}`) works on: an unset array gives no
/// words at all, an unset scalar the empty string.
fn value_or_empty(v: Option<ParamValue>, p: &Parameter) -> ParamValue {
    match v {
        Some(v) => v,
        None if matches!(p, Parameter::NamedWithAllIndices { .. }) => ParamValue::Many(Vec::new()),
        None => ParamValue::One(String::new()),
    }
}

fn map_value(v: ParamValue, f: impl Fn(&str) -> String) -> ParamValue {
    match v {
        ParamValue::One(s) => ParamValue::One(f(&s)),
        ParamValue::Many(items) => ParamValue::Many(items.iter().map(|s| f(s)).collect()),
    }
}

/// The name bash uses in messages: `x` for `${x}`, `1` for `$1`.
fn param_name(p: &Parameter) -> String {
    match p {
        Parameter::Named(n) => n.clone(),
        Parameter::Positional(n) => n.to_string(),
        Parameter::NamedWithIndex { name, index } => format!("{name}[{index}]"),
        Parameter::NamedWithAllIndices { name, concatenate } => {
            format!("{name}[{}]", if *concatenate { "*" } else { "@" })
        }
        Parameter::Special(s) => s.to_string(),
    }
}

async fn expand_parameter(
    st: &mut ShellState,
    err: &SharedWriter,
    expr: &ParameterExpr,
    quoted: bool,
) -> ExpandResult<ParamValue> {
    use ParameterExpr as E;
    let null_or_unset = |v: &Option<ParamValue>, tt: &ParameterTestType| match v {
        None => true,
        Some(ParamValue::One(s)) => matches!(tt, ParameterTestType::UnsetOrNull) && s.is_empty(),
        Some(ParamValue::Many(items)) => {
            matches!(tt, ParameterTestType::UnsetOrNull) && items.iter().all(|s| s.is_empty())
        }
    };
    let value = |v: Option<ParamValue>| v.unwrap_or(ParamValue::One(String::new()));
    let finish = |st: &ShellState, v: ParamValue, p: &Parameter| -> ParamValue {
        if concatenates(p) && !matches!(v, ParamValue::One(_)) {
            if quoted {
                ParamValue::One(join_value(st, v))
            } else {
                v
            }
        } else {
            v
        }
    };
    match expr {
        E::Parameter {
            parameter,
            indirect,
        } => {
            let parameter = if *indirect {
                indirect_target(st, err, parameter).await?
            } else {
                parameter.clone()
            };
            let v = param_raw(st, err, &parameter).await?;
            if v.is_none() && st.opts.nounset && !is_all_positional(&parameter) {
                return Err(ExpandError::fatal(format!(
                    "{}: unbound variable",
                    param_name(&parameter)
                )));
            }
            let v = match v {
                // `"${a[@]}"` of an unset array is an empty list, like an empty array's.
                None if matches!(parameter, Parameter::NamedWithAllIndices { .. }) => {
                    ParamValue::Many(Vec::new())
                }
                v => value(v),
            };
            Ok(finish(st, v, &parameter))
        }
        E::UseDefaultValues {
            parameter,
            test_type,
            default_value,
            ..
        } => {
            let v = param_raw(st, err, parameter).await?;
            if null_or_unset(&v, test_type) {
                expand_operand(st, err, default_value.as_deref().unwrap_or(""), quoted).await
            } else {
                Ok(finish(st, value(v), parameter))
            }
        }
        E::AssignDefaultValues {
            parameter,
            test_type,
            default_value,
            ..
        } => {
            let v = param_raw(st, err, parameter).await?;
            if null_or_unset(&v, test_type) {
                let text =
                    expand_string_quoted(st, err, default_value.as_deref().unwrap_or("")).await?;
                match parameter {
                    Parameter::Named(n) => st.set_var(n, &text),
                    other => {
                        return Err(ExpandError::new(format!(
                            "${other}: cannot assign in this way"
                        )));
                    }
                }
                Ok(ParamValue::One(text))
            } else {
                Ok(finish(st, value(v), parameter))
            }
        }
        E::IndicateErrorIfNullOrUnset {
            parameter,
            test_type,
            error_message,
            ..
        } => {
            let v = param_raw(st, err, parameter).await?;
            if null_or_unset(&v, test_type) {
                let msg = match error_message {
                    Some(m) if !m.is_empty() => expand_string_quoted(st, err, m).await?,
                    _ => match test_type {
                        ParameterTestType::UnsetOrNull => "parameter null or not set".to_string(),
                        ParameterTestType::Unset => "parameter not set".to_string(),
                    },
                };
                return Err(ExpandError::fatal(format!(
                    "{}: {msg}",
                    param_name(parameter)
                )));
            }
            Ok(finish(st, value(v), parameter))
        }
        E::UseAlternativeValue {
            parameter,
            test_type,
            alternative_value,
            ..
        } => {
            let v = param_raw(st, err, parameter).await?;
            if null_or_unset(&v, test_type) {
                Ok(ParamValue::One(String::new()))
            } else {
                expand_operand(st, err, alternative_value.as_deref().unwrap_or(""), quoted).await
            }
        }
        E::ParameterLength { parameter, .. } => {
            let v = param_raw(st, err, parameter).await?;
            let n = match (&v, is_all_positional(parameter)) {
                (Some(ParamValue::Many(items)), true) => items.len(),
                (Some(ParamValue::One(s)), _) => s.chars().count(),
                (Some(ParamValue::Many(items)), false) => {
                    items.first().map(|s| s.chars().count()).unwrap_or(0)
                }
                (None, _) => {
                    if st.opts.nounset {
                        return Err(ExpandError::fatal(format!(
                            "{}: unbound variable",
                            param_name(parameter)
                        )));
                    }
                    0
                }
            };
            Ok(ParamValue::One(n.to_string()))
        }
        E::RemoveSmallestSuffixPattern {
            parameter,
            pattern: p,
            ..
        }
        | E::RemoveLargestSuffixPattern {
            parameter,
            pattern: p,
            ..
        }
        | E::RemoveSmallestPrefixPattern {
            parameter,
            pattern: p,
            ..
        }
        | E::RemoveLargestPrefixPattern {
            parameter,
            pattern: p,
            ..
        } => {
            let v = value_or_empty(param_raw(st, err, parameter).await?, parameter);
            let pat = expand_pattern(st, err, p.as_deref().unwrap_or("")).await?;
            let out = match expr {
                E::RemoveSmallestSuffixPattern { .. } => {
                    map_value(v, |s| pattern::remove_suffix(s, &pat, false))
                }
                E::RemoveLargestSuffixPattern { .. } => {
                    map_value(v, |s| pattern::remove_suffix(s, &pat, true))
                }
                E::RemoveSmallestPrefixPattern { .. } => {
                    map_value(v, |s| pattern::remove_prefix(s, &pat, false))
                }
                _ => map_value(v, |s| pattern::remove_prefix(s, &pat, true)),
            };
            Ok(finish(st, out, parameter))
        }
        E::Substring {
            parameter,
            offset,
            length,
            ..
        } => {
            let v = value_or_empty(param_raw(st, err, parameter).await?, parameter);
            let off_text = expand_string_quoted(st, err, &offset.value).await?;
            let off = arith::eval_str(st, &off_text)
                .map_err(|e| ExpandError::new(format!("{off_text}: {}", e.0)))?;
            let len = match length {
                Some(l) => {
                    let t = expand_string_quoted(st, err, &l.value).await?;
                    Some(
                        arith::eval_str(st, &t)
                            .map_err(|e| ExpandError::new(format!("{t}: {}", e.0)))?,
                    )
                }
                None => None,
            };
            match v {
                ParamValue::One(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    let n = chars.len() as i64;
                    let start = if off < 0 {
                        (n + off).max(0)
                    } else {
                        off.min(n)
                    };
                    let end = match len {
                        None => n,
                        Some(l) if l < 0 => {
                            if n + l < start {
                                return Err(ExpandError::new(format!(
                                    "{l}: substring expression < 0"
                                )));
                            }
                            n + l
                        }
                        Some(l) => (start + l).min(n),
                    };
                    Ok(ParamValue::One(
                        chars[start as usize..end.max(start) as usize]
                            .iter()
                            .collect(),
                    ))
                }
                ParamValue::Many(items) => {
                    let n = items.len() as i64;
                    // `${@:1}` counts from $1, so the list is offset by one relative to $0.
                    let base = if matches!(parameter, Parameter::Special(_)) {
                        1
                    } else {
                        0
                    };
                    let start = if off < 0 {
                        (n + off).max(0)
                    } else {
                        (off - base).max(0).min(n)
                    };
                    let end = match len {
                        None => n,
                        Some(l) => (start + l.max(0)).min(n),
                    };
                    Ok(finish(
                        st,
                        ParamValue::Many(items[start as usize..end as usize].to_vec()),
                        parameter,
                    ))
                }
            }
        }
        E::Transform {
            parameter,
            indirect,
            op,
        } => {
            use brush_parser::word::ParameterTransformOp as Op;
            let parameter = if *indirect {
                indirect_target(st, err, parameter).await?
            } else {
                parameter.clone()
            };
            let v = param_raw(st, err, &parameter).await?;
            let Some(v) = v else {
                return Ok(ParamValue::One(String::new()));
            };
            let squote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
            let name = param_name(&parameter);
            // The variable itself: `a` for `${a[0]@a}` and `${a[@]@a}`.
            let base = match &parameter {
                Parameter::NamedWithAllIndices { name, .. }
                | Parameter::NamedWithIndex { name, .. } => name.as_str(),
                _ => name.as_str(),
            };
            if let (Op::PossiblyQuoteWithArraysExpanded { separate_words }, true) = (
                op,
                matches!(parameter, Parameter::NamedWithAllIndices { .. }),
            ) && let Some(pairs) = key_value_pairs(st, &parameter)
            {
                return Ok(quote_pairs(pairs, *separate_words));
            }
            let v = match op {
                Op::ToUpperCase => map_value(v, |s| s.to_uppercase()),
                Op::ToLowerCase => map_value(v, |s| s.to_lowercase()),
                Op::CapitalizeInitial => map_value(v, |s| first_char(s, true)),
                Op::Quoted | Op::PossiblyQuoteWithArraysExpanded { .. } => map_value(v, squote),
                Op::ExpandEscapeSequences => map_value(v, ansi_c_unescape),
                Op::PromptExpand => v,
                Op::ToAttributeFlags if !matches!(v, ParamValue::One(_)) => {
                    // `${a[@]@a}`: the array's flags, once per element.
                    let flags = attribute_flags(st, base);
                    map_value(v, |_| flags.clone())
                }
                Op::ToAttributeFlags | Op::ToAssignmentLogic => {
                    let flags = attribute_flags(st, base);
                    if matches!(op, Op::ToAttributeFlags) {
                        ParamValue::One(flags)
                    } else if !matches!(v, ParamValue::One(_)) || flags.contains(['a', 'A']) {
                        return Err(ExpandError::new(format!(
                            "${{{name}@A}}: not supported by mirage for arrays or attributes"
                        )));
                    } else {
                        let text = join_value(st, v);
                        if flags.is_empty() {
                            ParamValue::One(format!("{name}={}", squote(&text)))
                        } else {
                            ParamValue::One(format!("declare -{flags} {name}={}", squote(&text)))
                        }
                    }
                }
            };
            Ok(finish(st, v, &parameter))
        }
        E::UppercaseFirstChar {
            parameter, pattern, ..
        }
        | E::UppercasePattern {
            parameter, pattern, ..
        }
        | E::LowercaseFirstChar {
            parameter, pattern, ..
        }
        | E::LowercasePattern {
            parameter, pattern, ..
        } => {
            let v = value_or_empty(param_raw(st, err, parameter).await?, parameter);
            // `${x^^[ab]}`: only characters matching the pattern change.
            let pat = match pattern.as_deref() {
                Some(p) if !p.is_empty() => Some(expand_pattern(st, err, p).await?),
                _ => None,
            };
            let (upper, all) = match expr {
                E::UppercaseFirstChar { .. } => (true, false),
                E::UppercasePattern { .. } => (true, true),
                E::LowercaseFirstChar { .. } => (false, false),
                _ => (false, true),
            };
            let out = map_value(v, |s| change_case(s, upper, all, pat.as_deref()));
            Ok(finish(st, out, parameter))
        }
        E::ReplaceSubstring {
            parameter,
            pattern: p,
            replacement,
            match_kind,
            ..
        } => {
            let v = value_or_empty(param_raw(st, err, parameter).await?, parameter);
            let pat = expand_pattern(st, err, p).await?;
            let rep = unescape_slashes(replacement.as_deref().unwrap_or(""));
            let rep = expand_string_quoted(st, err, &rep).await?;
            let out = map_value(v, |s| match match_kind {
                SubstringMatchKind::Prefix => pattern::replace(s, &pat, &rep, false, true, false),
                SubstringMatchKind::Suffix => pattern::replace(s, &pat, &rep, false, false, true),
                SubstringMatchKind::FirstOccurrence => {
                    pattern::replace(s, &pat, &rep, false, false, false)
                }
                SubstringMatchKind::Anywhere => pattern::replace(s, &pat, &rep, true, false, false),
            });
            Ok(finish(st, out, parameter))
        }
        E::VariableNames {
            prefix,
            concatenate,
        } => {
            let mut names: Vec<String> = st
                .vars
                .keys()
                .map(String::as_str)
                .chain(super::state::DYNAMIC_VARIABLES.iter().copied())
                .filter(|k| k.starts_with(prefix.as_str()) && st.get(k).is_some())
                .map(str::to_string)
                .collect();
            names.sort();
            names.dedup();
            // `"${!p*}"` is one word, joined like `"$*"`; `"${!p@}"` one word per name.
            if *concatenate && quoted {
                return Ok(ParamValue::One(join_value(st, ParamValue::Many(names))));
            }
            Ok(ParamValue::Many(names))
        }
        E::MemberKeys { variable_name, .. } => {
            let keys = match st.get(variable_name) {
                Some(Value::Array(a)) => a.keys().map(|k| k.to_string()).collect(),
                Some(Value::Assoc(m)) => m.into_iter().map(|(k, _)| k).collect(),
                Some(Value::Str(_)) => vec!["0".to_string()],
                None => vec![],
            };
            Ok(ParamValue::Many(keys))
        }
    }
}

async fn indirect_target(
    st: &mut ShellState,
    err: &SharedWriter,
    p: &Parameter,
) -> ExpandResult<Parameter> {
    let name = match param_raw(st, err, p).await? {
        Some(v) => join_value(st, v),
        None => String::new(),
    };
    brush_parser::word::parse_parameter(&name, &parser_options())
        .map_err(|_| ExpandError::new(format!("{name}: invalid indirect expansion")))
}

/// `${x^}`, `${x^^}`, `${x,}`, `${x,,}`: changes the case of the first (or every) character
/// that matches `pat` (any character when there is no pattern).
fn change_case(s: &str, upper: bool, all: bool, pat: Option<&str>) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let mut b = [0u8; 4];
        let applies =
            (all || i == 0) && pat.is_none_or(|p| pattern::matches(p, c.encode_utf8(&mut b)));
        if !applies {
            out.push(c);
        } else if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn first_char(s: &str, upper: bool) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            let head: String = if upper {
                f.to_uppercase().collect()
            } else {
                f.to_lowercase().collect()
            };
            head + c.as_str()
        }
        None => String::new(),
    }
}

/// Inside backquotes, `\$`, `` \` `` and `\\` stand for the plain character.
fn unescape_backquoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && matches!(n, '$' | '`' | '\\')
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Decodes `$'...'` escapes. `\xHH` and octal escapes are bytes: a run of them forming valid
/// UTF-8 becomes that character (`$'caf\xc3\xa9'` is `café`); a byte that is not part of a
/// valid sequence becomes the character with that code (Latin-1), as before.
pub fn ansi_c_unescape(s: &str) -> String {
    let mut bytes: Vec<u8> = Vec::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let take_digits = |i: &mut usize, radix: u32, max: usize| -> Option<u32> {
        let mut v = 0u32;
        let mut n = 0;
        while n < max && *i < chars.len() && chars[*i].is_digit(radix) {
            v = v * radix + chars[*i].to_digit(radix).unwrap_or(0);
            *i += 1;
            n += 1;
        }
        if n == 0 { None } else { Some(v) }
    };
    let push = |bytes: &mut Vec<u8>, c: char| {
        let mut b = [0u8; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            push(&mut bytes, c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            'n' => bytes.push(b'\n'),
            't' => bytes.push(b'\t'),
            'r' => bytes.push(b'\r'),
            'a' => bytes.push(0x07),
            'b' => bytes.push(0x08),
            'e' | 'E' => bytes.push(0x1b),
            'f' => bytes.push(0x0c),
            'v' => bytes.push(0x0b),
            '\\' => bytes.push(b'\\'),
            '\'' => bytes.push(b'\''),
            '"' => bytes.push(b'"'),
            '?' => bytes.push(b'?'),
            '0'..='7' => {
                i -= 1;
                let v = take_digits(&mut i, 8, 3).unwrap_or(0);
                bytes.push((v & 0xff) as u8);
            }
            'x' => match take_digits(&mut i, 16, 2) {
                Some(v) => bytes.push(v as u8),
                None => bytes.extend_from_slice(b"\\x"),
            },
            'u' | 'U' => {
                let max = if e == 'u' { 4 } else { 8 };
                match take_digits(&mut i, 16, max) {
                    Some(v) => push(&mut bytes, char::from_u32(v).unwrap_or('\u{fffd}')),
                    None => {
                        bytes.push(b'\\');
                        push(&mut bytes, e);
                    }
                }
            }
            'c' if i < chars.len() => {
                let ctl = (chars[i] as u32) & 0x1f;
                i += 1;
                bytes.push(ctl as u8);
            }
            other => {
                bytes.push(b'\\');
                push(&mut bytes, other);
            }
        }
    }
    bytes_to_string(&bytes)
}

/// Decodes bytes as UTF-8, mapping each byte of an invalid sequence to the character with
/// that code.
pub fn bytes_to_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let n = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                for b in &bad[..n] {
                    out.push(char::from(*b));
                }
                rest = &bad[n..];
            }
        }
    }
}

/// Brace expansion of one raw word into several raw words.
pub fn brace_expand(word: &str) -> Vec<String> {
    if !word.contains('{') {
        return vec![word.to_string()];
    }
    match brush_parser::word::parse_brace_expansions(word, &parser_options()) {
        Ok(Some(parts)) => expand_brace_parts(&parts, &padded_sequences(word)),
        _ => vec![word.to_string()],
    }
}

/// Widths of zero-padded numeric sequences in the raw word (`{01..10}` -> 2), keyed by their
/// start and end values; brush-parser hands us the numbers without their padding.
fn padded_sequences(word: &str) -> Vec<(i64, i64, usize)> {
    let mut out = Vec::new();
    let bytes = word.as_bytes();
    let mut i = 0;
    while let Some(off) = word[i..].find('{') {
        let start = i + off + 1;
        let rest = &word[start..];
        let end = rest.find('}').map(|e| start + e);
        if let Some(end) = end {
            let inner = &word[start..end];
            let parts: Vec<&str> = inner.split("..").collect();
            if parts.len() >= 2 {
                let (a, b) = (parts[0], parts[1]);
                let padded = |s: &str| {
                    let d = s.trim_start_matches('-');
                    d.len() > 1 && d.starts_with('0')
                };
                if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>())
                    && (padded(a) || padded(b))
                {
                    out.push((x, y, a.len().max(b.len())));
                }
            }
        }
        i = start;
        if i >= bytes.len() {
            break;
        }
    }
    out
}

fn expand_brace_parts(
    parts: &[BraceExpressionOrText],
    padded: &[(i64, i64, usize)],
) -> Vec<String> {
    let mut acc = vec![String::new()];
    for part in parts {
        let alts: Vec<String> = match part {
            BraceExpressionOrText::Text(t) => vec![t.clone()],
            BraceExpressionOrText::Expr(members) => {
                let mut v = Vec::new();
                for m in members {
                    match m {
                        BraceExpressionMember::NumberSequence {
                            start,
                            end,
                            increment,
                        } => {
                            let step = increment.unsigned_abs().max(1) as i64;
                            let width = padded
                                .iter()
                                .find(|(a, b, _)| a == start && b == end)
                                .map(|(_, _, w)| *w);
                            let fmt = |n: i64| match width {
                                Some(w) => format!("{n:0w$}"),
                                None => n.to_string(),
                            };
                            if start <= end {
                                let mut n = *start;
                                while n <= *end {
                                    v.push(fmt(n));
                                    n += step;
                                }
                            } else {
                                let mut n = *start;
                                while n >= *end {
                                    v.push(fmt(n));
                                    n -= step;
                                }
                            }
                        }
                        BraceExpressionMember::CharSequence {
                            start,
                            end,
                            increment,
                        } => {
                            let step = increment.unsigned_abs().max(1) as u32;
                            let (s, e) = (*start as u32, *end as u32);
                            let mut seq = Vec::new();
                            if s <= e {
                                let mut c = s;
                                while c <= e {
                                    seq.push(c);
                                    c += step;
                                }
                            } else {
                                let mut c = s;
                                while c >= e {
                                    seq.push(c);
                                    if c < step {
                                        break;
                                    }
                                    c -= step;
                                }
                            }
                            v.extend(
                                seq.into_iter()
                                    .filter_map(char::from_u32)
                                    .map(|c| c.to_string()),
                            );
                        }
                        BraceExpressionMember::Child(children) => {
                            v.extend(expand_brace_parts(children, padded))
                        }
                    }
                }
                v
            }
        };
        let mut next = Vec::with_capacity(acc.len() * alts.len());
        for a in &acc {
            for b in &alts {
                next.push(format!("{a}{b}"));
            }
        }
        acc = next;
    }
    acc
}
