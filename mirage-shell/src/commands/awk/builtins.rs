//! Built-in functions (string, math, rand), field splitting and the ERE translation to the
//! `regex` crate's syntax.

use regex::Regex;

use super::format::sprintf;
use super::interp::{AwkErr, Interp, R, Value};
use super::parser::{Expr, LValue};

/// Translates a POSIX/gawk ERE into `regex` crate syntax: literal `{` that does not start an
/// interval, nested `[` and set-operator characters inside brackets, gawk's `\y \< \>` word
/// boundaries and awk-only escapes.
pub fn translate_ere(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' => {
                let Some(&n) = c.get(i + 1) else {
                    out.push_str("\\\\");
                    break;
                };
                i += 2;
                match n {
                    'y' | '<' | '>' => out.push_str("\\b"),
                    'B' | 's' | 'S' | 'w' | 'W' | 'n' | 't' | 'r' | 'f' | 'v' => {
                        out.push('\\');
                        out.push(n);
                    }
                    '`' => out.push_str("\\A"),
                    '\'' => out.push_str("\\z"),
                    'a' => out.push_str("\\x07"),
                    'b' => out.push_str("\\x08"),
                    '/' | '"' => out.push(n),
                    _ => out.push_str(&regex::escape(&n.to_string())),
                }
                continue;
            }
            '{' => {
                let mut j = i + 1;
                while j < c.len() && (c[j].is_ascii_digit() || c[j] == ',') {
                    j += 1;
                }
                if j > i + 1
                    && c.get(j) == Some(&'}')
                    && c[i + 1].is_ascii_digit()
                    && !out.is_empty()
                {
                    out.extend(&c[i..=j]);
                    i = j + 1;
                } else {
                    out.push_str("\\{");
                    i += 1;
                }
                continue;
            }
            '}' => out.push_str("\\}"),
            '[' => {
                i = bracket(&c, i, &mut out);
                continue;
            }
            ch => out.push(ch),
        }
        i += 1;
    }
    out
}

/// Copies a bracket expression starting at `c[i] == '['`; returns the index after it.
fn bracket(c: &[char], mut i: usize, out: &mut String) -> usize {
    let start = i;
    let mut tmp = String::from("[");
    i += 1;
    if c.get(i) == Some(&'^') {
        tmp.push('^');
        i += 1;
    }
    if c.get(i) == Some(&']') {
        tmp.push_str("\\]");
        i += 1;
    }
    while i < c.len() {
        match c[i] {
            ']' => {
                tmp.push(']');
                out.push_str(&tmp);
                return i + 1;
            }
            '[' if c.get(i + 1) == Some(&':') => {
                let end =
                    (i + 2..c.len().saturating_sub(1)).find(|&j| c[j] == ':' && c[j + 1] == ']');
                match end {
                    Some(e) => {
                        tmp.extend(&c[i..e + 2]);
                        i = e + 2;
                    }
                    None => {
                        tmp.push_str("\\[");
                        i += 1;
                    }
                }
            }
            '\\' => {
                match c.get(i + 1) {
                    Some(&n) if matches!(n, 'n' | 't' | 'r' | 'f' | 'v') => {
                        tmp.push('\\');
                        tmp.push(n);
                    }
                    Some(&n) => tmp.push_str(&regex::escape(&n.to_string()).replace('-', "\\-")),
                    None => tmp.push_str("\\\\"),
                }
                i += 2;
            }
            '[' | '&' | '~' => {
                tmp.push('\\');
                tmp.push(c[i]);
                i += 1;
            }
            '-' if c.get(i + 1) == Some(&'-') => {
                tmp.push_str("\\-");
                i += 1;
            }
            ch => {
                tmp.push(ch);
                i += 1;
            }
        }
    }
    // No closing bracket: treat `[` literally.
    out.push_str("\\[");
    start + 1
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

impl Interp<'_> {
    /// Splits `s` the way awk splits records with field separator `fs`.
    pub fn split_with(&mut self, s: &str, fs: &str, paragraph: bool) -> Vec<String> {
        if s.is_empty() {
            return Vec::new();
        }
        if fs == " " {
            let ws: &[char] = &[' ', '\t', '\n'];
            return s
                .split(ws)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
        }
        if fs.is_empty() {
            return s.chars().map(String::from).collect();
        }
        let single = fs.chars().count() == 1 && fs != "\\";
        if single && !paragraph {
            return s.split(fs).map(str::to_string).collect();
        }
        let pat = if single {
            regex::escape(fs)
        } else {
            translate_ere(fs)
        };
        let pat = if paragraph {
            format!("(?:{pat})|\n")
        } else {
            pat
        };
        match Regex::new(&pat) {
            Ok(re) => split_regex(s, &re),
            Err(_) => vec![s.to_string()],
        }
    }

    pub async fn builtin(&mut self, name: &str, args: &[Expr]) -> R<Value> {
        let conv = self.convfmt();
        let argc = args.len();
        let bad = |n: &str| AwkErr::Fatal(format!("{n}: called with wrong number of arguments"));
        match name {
            "length" => {
                if argc == 0 {
                    return Ok(Value::Num(char_len(&self.record) as f64));
                }
                if let Some(Expr::LV(LValue::Var(v))) = args.first()
                    && self.is_array(v)
                {
                    let id = self.array_of(v)?;
                    return Ok(Value::Num(self.arrays[id].map.len() as f64));
                }
                // `length($0)`: counted in place rather than on a copy of the record.
                if let Expr::LV(LValue::Field(i)) = &args[0]
                    && matches!(**i, Expr::Num(n) if n == 0.0)
                {
                    return Ok(Value::Num(char_len(&self.record) as f64));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                Ok(Value::Num(char_len(&s) as f64))
            }
            "substr" => {
                if !(2..=3).contains(&argc) {
                    return Err(bad(name));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                let m = self.eval(&args[1]).await?.to_num();
                let len = char_len(&s) as f64;
                // gawk truncates both numbers and treats a start below 1 as 1.
                let start = if m.is_nan() { 1.0 } else { m.trunc().max(1.0) };
                let count = if argc == 3 {
                    let n = self.eval(&args[2]).await?.to_num();
                    if n.is_nan() { 0.0 } else { n.trunc() }
                } else {
                    f64::INFINITY
                };
                let end = (start + count).min(len + 1.0);
                if end <= start {
                    return Ok(Value::Str(String::new()));
                }
                let (a, b) = (start as usize - 1, end as usize - 1);
                Ok(Value::Str(s.chars().skip(a).take(b - a).collect()))
            }
            "index" => {
                if argc != 2 {
                    return Err(bad(name));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                let t = self.eval(&args[1]).await?.to_str(&conv);
                let r = s.find(&t).map(|b| char_len(&s[..b]) + 1).unwrap_or(0);
                Ok(Value::Num(r as f64))
            }
            "split" => {
                if !(2..=3).contains(&argc) {
                    return Err(bad(name));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                let Expr::LV(LValue::Var(v)) = &args[1] else {
                    return Err(AwkErr::Fatal(
                        "split: second argument is not an array".into(),
                    ));
                };
                let parts = if argc == 3 {
                    if let Expr::Regex(r) = &args[2] {
                        let re = self.regex(r)?;
                        if s.is_empty() {
                            Vec::new()
                        } else {
                            split_regex(&s, &re)
                        }
                    } else {
                        let fs = self.eval(&args[2]).await?.to_str(&conv);
                        self.split_with(&s, &fs, false)
                    }
                } else {
                    let fs = self.gstr("FS");
                    self.split_with(&s, &fs, false)
                };
                let id = self.array_of(v)?;
                self.arrays[id].clear();
                let n = parts.len();
                for (i, p) in parts.into_iter().enumerate() {
                    self.arrays[id].set((i + 1).to_string(), Value::from_input(p));
                }
                Ok(Value::Num(n as f64))
            }
            "sub" | "gsub" => self.sub(name == "gsub", args).await,
            "match" => {
                if argc != 2 {
                    return Err(bad(name));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                let re = self.regex_operand(&args[1]).await?;
                let (start, len) = match re.find(&s) {
                    Some(m) => (
                        char_len(&s[..m.start()]) as f64 + 1.0,
                        char_len(m.as_str()) as f64,
                    ),
                    None => (0.0, -1.0),
                };
                self.set_global("RSTART", Value::Num(start));
                self.set_global("RLENGTH", Value::Num(len));
                Ok(Value::Num(start))
            }
            "sprintf" => {
                if argc == 0 {
                    return Err(bad(name));
                }
                let mut vals = Vec::with_capacity(argc);
                for a in args {
                    vals.push(self.eval(a).await?);
                }
                let fmt = vals[0].to_str(&conv);
                let s = sprintf(&fmt, &vals[1..], &conv).map_err(AwkErr::Fatal)?;
                Ok(Value::Str(s))
            }
            "tolower" | "toupper" => {
                if argc != 1 {
                    return Err(bad(name));
                }
                let s = self.eval(&args[0]).await?.to_str(&conv);
                Ok(Value::Str(if name == "tolower" {
                    s.to_lowercase()
                } else {
                    s.to_uppercase()
                }))
            }
            "int" | "sqrt" | "exp" | "log" | "sin" | "cos" => {
                if argc != 1 {
                    return Err(bad(name));
                }
                let x = self.eval(&args[0]).await?.to_num();
                Ok(Value::Num(match name {
                    "int" => x.trunc(),
                    "sqrt" => x.sqrt(),
                    "exp" => x.exp(),
                    "log" => x.ln(),
                    "sin" => x.sin(),
                    _ => x.cos(),
                }))
            }
            "atan2" => {
                if argc != 2 {
                    return Err(bad(name));
                }
                let y = self.eval(&args[0]).await?.to_num();
                let x = self.eval(&args[1]).await?.to_num();
                Ok(Value::Num(y.atan2(x)))
            }
            "rand" => Ok(Value::Num(self.next_rand())),
            "srand" => {
                let prev = self.rand_seed;
                let seed = match args.first() {
                    Some(a) => self.eval(a).await?.to_num(),
                    None => std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as f64)
                        .unwrap_or(0.0),
                };
                self.srand_seed(seed);
                Ok(Value::Num(prev))
            }
            "close" => {
                if argc == 0 {
                    return Err(bad(name));
                }
                let f = self.eval(&args[0]).await?.to_str(&conv);
                let r = self.close_stream(&f).await?;
                Ok(Value::Num(r))
            }
            "fflush" => {
                self.release_held().await?;
                Ok(Value::Num(0.0))
            }
            "gensub" => {
                if !(3..=4).contains(&argc) {
                    return Err(bad(name));
                }
                let re = self.regex_operand(&args[0]).await?;
                let repl = self.eval(&args[1]).await?.to_str(&conv);
                let how = self.eval(&args[2]).await?;
                let target = match args.get(3) {
                    Some(e) => self.eval(e).await?.to_str(&conv),
                    None => self.record.clone(),
                };
                let hs = how.to_str(&conv);
                let which = if hs.starts_with(['g', 'G']) {
                    0
                } else {
                    let n = how.to_num();
                    if n < 1.0 { 1 } else { n as usize }
                };
                Ok(Value::Str(gensub(&target, &re, &repl, which)))
            }
            "systime" => Ok(Value::Num(
                crate::commands::files::time::Stamp::now().secs as f64,
            )),
            "strftime" => {
                let fmt = match args.first() {
                    Some(e) => self.eval(e).await?.to_str(&conv),
                    None => "%a %b %e %H:%M:%S %Z %Y".to_string(),
                };
                let secs = match args.get(1) {
                    Some(e) => self.eval(e).await?.to_num(),
                    None => crate::commands::files::time::Stamp::now().secs as f64,
                };
                if let Some(e) = args.get(2) {
                    self.eval(e).await?;
                }
                if secs < 0.0 {
                    return Err(AwkErr::Fatal(
                        "strftime: second argument less than 0 or too big for time_t".into(),
                    ));
                }
                let stamp = crate::commands::files::time::Stamp {
                    secs: secs as i64,
                    nanos: 0,
                };
                let tm = crate::commands::files::time::date_format::tm_of(stamp);
                Ok(Value::Str(
                    crate::commands::files::time::date_format::strftime(&fmt, &tm),
                ))
            }
            "asort" | "asorti" => {
                if !(1..=2).contains(&argc) {
                    return Err(bad(name));
                }
                let arr = |e: &Expr| match e {
                    Expr::LV(LValue::Var(v)) => Ok(v.clone()),
                    _ => Err(AwkErr::Fatal(format!(
                        "{name}: first argument not an array"
                    ))),
                };
                let src_v = arr(&args[0])?;
                if !self.is_array(&src_v) {
                    return Err(AwkErr::Fatal(format!(
                        "{name}: first argument not an array"
                    )));
                }
                let src = self.array_of(&src_v)?;
                let mut items: Vec<Value> = if name == "asorti" {
                    self.arrays[src]
                        .keys()
                        .into_iter()
                        .map(Value::Str)
                        .collect()
                } else {
                    let keys = self.arrays[src].keys();
                    keys.iter()
                        .filter_map(|k| self.arrays[src].get(k).cloned())
                        .collect()
                };
                items.sort_by(|a, b| sort_cmp(a, b, &conv));
                let dest = match args.get(1) {
                    Some(e) => {
                        let v = arr(e).map_err(|_| {
                            AwkErr::Fatal(format!("{name}: second argument not an array"))
                        })?;
                        self.array_of(&v)?
                    }
                    None => src,
                };
                self.arrays[dest].clear();
                let n = items.len();
                for (i, v) in items.into_iter().enumerate() {
                    self.arrays[dest].set((i + 1).to_string(), v);
                }
                Ok(Value::Num(n as f64))
            }
            "system" => {
                if argc != 1 {
                    return Err(bad(name));
                }
                let cmd = self.eval(&args[0]).await?.to_str(&conv);
                self.flush_outputs().await?;
                let st = self.system(&cmd).await?;
                Ok(Value::Num(f64::from(st)))
            }
            _ => Err(AwkErr::Fatal(format!("function `{name}' not defined"))),
        }
    }

    async fn sub(&mut self, global: bool, args: &[Expr]) -> R<Value> {
        let conv = self.convfmt();
        if !(2..=3).contains(&args.len()) {
            return Err(AwkErr::Fatal(format!(
                "{}: called with wrong number of arguments",
                if global { "gsub" } else { "sub" }
            )));
        }
        let re = self.regex_operand(&args[0]).await?;
        let repl = self.eval(&args[1]).await?.to_str(&conv);
        let field0 = LValue::Field(Box::new(Expr::Num(0.0)));
        let target = match args.get(2) {
            Some(Expr::LV(lv)) => lv.clone(),
            Some(_) => {
                return Err(AwkErr::Fatal(
                    "sub third parameter is not a changeable object".into(),
                ));
            }
            None => field0,
        };
        let s = self.get_lv(&target).await?.to_str(&conv);
        let (out, n) = substitute(&s, &re, &repl, global);
        if n > 0 {
            self.set_lv(&target, Value::Str(out)).await?;
        }
        Ok(Value::Num(n as f64))
    }

    pub fn srand_seed(&mut self, seed: f64) {
        self.rand_seed = seed;
        self.rand_state = (seed as i64 as u64) ^ 0x9E37_79B9_7F4A_7C15;
    }

    /// A deterministic xorshift generator: same seed, same sequence (not gawk's sequence).
    fn next_rand(&mut self) -> f64 {
        let mut x = self.rand_state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.rand_state = x;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn split_regex(s: &str, re: &Regex) -> Vec<String> {
    let mut out = Vec::new();
    let mut last = 0;
    for m in re.find_iter(s) {
        if m.start() == m.end() {
            continue;
        }
        out.push(s[last..m.start()].to_string());
        last = m.end();
    }
    out.push(s[last..].to_string());
    out
}

/// Expands a sub/gsub replacement by gawk's rules: `&` is the match, `\&` a literal `&`,
/// `\\&` a backslash then the match; any other backslash is kept as is.
fn expand(repl: &str, m: &str, out: &mut String) {
    let mut it = repl.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' if it.peek() == Some(&'&') => {
                out.push('&');
                it.next();
            }
            '\\' if it.peek() == Some(&'\\') => {
                it.next();
                if it.peek() == Some(&'&') {
                    it.next();
                    out.push('\\');
                    out.push_str(m);
                } else {
                    out.push_str("\\\\");
                }
            }
            '&' => out.push_str(m),
            c => out.push(c),
        }
    }
}

/// sub/gsub core: returns the new string and the number of replacements. An empty match right
/// after a previous match is not replaced (so `gsub(/x*/, "-", "abc")` gives `-a-b-c-`).
pub fn substitute(s: &str, re: &Regex, repl: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut pos = 0;
    let mut n = 0;
    let mut last_end: Option<usize> = None;
    while pos <= s.len() {
        let Some(m) = re.find_at(s, pos) else { break };
        if m.start() == m.end() && last_end == Some(m.start()) {
            let Some(ch) = s[m.start()..].chars().next() else {
                break;
            };
            out.push_str(&s[pos..m.start() + ch.len_utf8()]);
            pos = m.start() + ch.len_utf8();
            continue;
        }
        out.push_str(&s[pos..m.start()]);
        expand(repl, m.as_str(), &mut out);
        n += 1;
        last_end = Some(m.end());
        pos = m.end();
        if !global {
            break;
        }
        if m.start() == m.end() {
            let Some(ch) = s[pos..].chars().next() else {
                pos = s.len() + 1;
                break;
            };
            out.push(ch);
            pos += ch.len_utf8();
        }
    }
    if pos <= s.len() {
        out.push_str(&s[pos..]);
    }
    (out, n)
}

/// asort's order: numbers (numerically) before strings (by bytes).
fn sort_cmp(a: &Value, b: &Value, conv: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_numeric(), b.is_numeric()) {
        (true, true) => a
            .to_num()
            .partial_cmp(&b.to_num())
            .unwrap_or(Ordering::Equal),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.to_str(conv).cmp(&b.to_str(conv)),
    }
}

/// gensub: replaces the `which`th match (0 = all); `\\0`/`&` is the match, `\\N` group N.
fn gensub(s: &str, re: &Regex, repl: &str, which: usize) -> String {
    let mut out = String::new();
    let mut pos = 0;
    let mut count = 0;
    let mut last_end: Option<usize> = None;
    while pos <= s.len() {
        let Some(c) = re.captures_at(s, pos) else {
            break;
        };
        let Some(m) = c.get(0) else { break };
        if m.start() == m.end() && last_end == Some(m.start()) {
            let Some(ch) = s[m.start()..].chars().next() else {
                break;
            };
            out.push_str(&s[pos..m.start() + ch.len_utf8()]);
            pos = m.start() + ch.len_utf8();
            continue;
        }
        count += 1;
        out.push_str(&s[pos..m.start()]);
        if which == 0 || count == which {
            expand_gensub(repl, &c, &mut out);
        } else {
            out.push_str(m.as_str());
        }
        last_end = Some(m.end());
        pos = m.end();
        if which != 0 && count >= which {
            break;
        }
        if m.start() == m.end() {
            let Some(ch) = s[pos..].chars().next() else {
                pos = s.len() + 1;
                break;
            };
            out.push(ch);
            pos += ch.len_utf8();
        }
    }
    if pos <= s.len() {
        out.push_str(&s[pos..]);
    }
    out
}

fn expand_gensub(repl: &str, c: &regex::Captures, out: &mut String) {
    let mut it = repl.chars().peekable();
    while let Some(ch) = it.next() {
        match ch {
            '\\' => match it.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    it.next();
                    let n = d as usize - '0' as usize;
                    if let Some(g) = c.get(n) {
                        out.push_str(g.as_str());
                    }
                }
                Some('&') => {
                    it.next();
                    out.push('&');
                }
                Some('\\') => {
                    it.next();
                    out.push('\\');
                }
                _ => out.push('\\'),
            },
            '&' => {
                if let Some(g) = c.get(0) {
                    out.push_str(g.as_str());
                }
            }
            ch => out.push(ch),
        }
    }
}
