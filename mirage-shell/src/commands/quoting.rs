//! gnulib's quoting of names in diagnostics, shared by every command: shell-escape quoting
//! (`quoteaf`: always quoted, as in `rm: cannot remove 'x'`; `quotef`: quoted only when needed,
//! as in `wc: x: No such file or directory`) and the locale `quote()` with curly quotes
//! (`mkdir: cannot create directory ‘x’`). Control characters become `$'\n'` segments or C
//! escapes.

/// Characters that make coreutils' shell-escape style quote a name.
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    s.chars().enumerate().any(|(i, c)| match c {
        ' ' | '!' | '"' | '$' | '&' | '\'' | '(' | ')' | '*' | ':' | ';' | '<' | '=' | '>'
        | '?' | '[' | '\\' | '^' | '`' | '|' => true,
        '#' | '~' => i == 0,
        c => c.is_control(),
    })
}

/// Appends the C escape of a control character (`\n`, `\t`, `\001`).
pub fn control_escape(c: char, out: &mut String) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c => out.push_str(&format!("\\{:03o}", c as u32)),
    }
}

/// Shell-escape quoting with quotes forced: how coreutils names files in most diagnostics
/// (`rm: cannot remove 'x'`). A single quote alone switches to double quotes; control characters
/// become `$'\n'` pieces between single-quoted runs.
pub fn quote_always(s: &str) -> String {
    let has_control = s.chars().any(char::is_control);
    if s.contains('\'')
        && !has_control
        && !s.chars().any(|c| matches!(c, '"' | '$' | '`' | '\\' | '!'))
    {
        return format!("\"{s}\"");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let (mut in_quote, mut in_dollar) = (true, false);
    for c in s.chars() {
        if c.is_control() {
            if in_quote {
                out.push('\'');
                in_quote = false;
            }
            if !in_dollar {
                out.push_str("$'");
                in_dollar = true;
            }
            control_escape(c, &mut out);
            continue;
        }
        if in_dollar {
            out.push('\'');
            in_dollar = false;
        }
        if !in_quote {
            out.push('\'');
            in_quote = true;
        }
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    if in_quote || in_dollar {
        out.push('\'');
    }
    out
}

/// Shell-escape quoting only when needed (`realpath: nope/x: ...` but `realpath: 'a b': ...`).
pub fn quote_if_needed(s: &str) -> String {
    if needs_quotes(s) {
        quote_always(s)
    } else {
        s.to_string()
    }
}

/// coreutils' `quote()` under a UTF-8 locale: curly quotes with C escapes for control characters
/// (`mkdir: cannot create directory ‘a’`, and every file name in find's messages).
pub fn lquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    out.push('\u{2018}');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => control_escape(c, &mut out),
            c => out.push(c),
        }
    }
    out.push('\u{2019}');
    out
}

/// `quoteaf` (`always`) or `quotef` (only when something in the name is special).
pub fn shell_quote(s: &str, always: bool) -> String {
    if always {
        quote_always(s)
    } else {
        quote_if_needed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected texts recorded from `head -n1 NAME` and `wc NAME` (coreutils 9.1).
    #[test]
    fn shell_quotes_like_gnulib() {
        let always = [
            ("\nb", r"''$'\n''b'"),
            ("a\n", r"'a'$'\n'"),
            ("\n", r"''$'\n'"),
            ("a\n\tb", r"'a'$'\n\t''b'"),
            ("'", r#""'""#),
            ("'\n", r"''\'''$'\n'"),
            ("a'b'c", r#""a'b'c""#),
            ("a b", "'a b'"),
            ("x", "'x'"),
            ("", "''"),
        ];
        for (name, want) in always {
            assert_eq!(shell_quote(name, true), want, "{name:?}");
        }
        let when_needed = [
            ("a c", "'a c'"),
            ("x~", "x~"),
            ("~x", "'~x'"),
            ("a#", "a#"),
            ("#a", "'#a'"),
            ("a=b", "'a=b'"),
            ("a:b", "'a:b'"),
            ("a,b", "a,b"),
            ("a{b", "a{b"),
            ("a'b", r#""a'b""#),
            ("a'b$", r"'a'\''b$'"),
            ("a\x01b", r"'a'$'\001''b'"),
            ("a\tb'c", r"'a'$'\t''b'\''c'"),
        ];
        for (name, want) in when_needed {
            assert_eq!(shell_quote(name, false), want, "{name:?}");
        }
    }
}
