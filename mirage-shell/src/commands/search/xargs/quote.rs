//! Shell quoting for `xargs -t`, the way GNU's quotearg "shell-escape" style prints arguments:
//! bare when safe, double quotes for a lone `'`, single quotes otherwise, `$'\n'` for controls.

/// Quotes one argument for display.
pub fn shell_quote(arg: &str) -> String {
    if arg.is_empty() {
        return "''".to_string();
    }
    let needs = arg
        .chars()
        .enumerate()
        .any(|(i, c)| needs_quoting(c, i == 0));
    if !needs {
        return arg.to_string();
    }
    let double_ok = arg.contains('\'')
        && !arg
            .chars()
            .any(|c| matches!(c, '"' | '$' | '`' | '\\' | '!') || c.is_control());
    if double_ok {
        return format!("\"{arg}\"");
    }
    let mut out = String::from("'");
    for c in arg.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            c if c.is_control() => {
                out.push('\'');
                out.push_str(&control_escape(c));
                out.push('\'');
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn needs_quoting(c: char, first: bool) -> bool {
    c.is_control()
        || matches!(
            c,
            ' ' | '"'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ';'
                | '<'
                | '>'
                | '?'
                | '['
                | '\\'
                | '^'
                | '`'
                | '|'
                | '!'
                | '='
        )
        || (first && matches!(c, '~' | '#'))
}

/// `$'\t'`, `$'\n'`, or an octal escape like `$'\001'`.
fn control_escape(c: char) -> String {
    let body = match c {
        '\u{7}' => "\\a".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        '\t' => "\\t".to_string(),
        '\u{b}' => "\\v".to_string(),
        c => format!("\\{:03o}", c as u32),
    };
    format!("$'{body}'")
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn matches_gnu_xargs_t() {
        // Recorded from `printf 'x\n' | xargs -t echo ARG`.
        let cases = [
            ("a~b", "a~b"),
            ("~a", "'~a'"),
            ("a#b", "a#b"),
            ("#a", "'#a'"),
            ("a=b", "'a=b'"),
            ("a%b", "a%b"),
            ("a^b", "'a^b'"),
            ("a!b", "'a!b'"),
            ("a{b", "a{b"),
            ("a]b", "a]b"),
            ("a'b", "\"a'b\""),
            ("a\"b", "'a\"b'"),
            ("a*b", "'a*b'"),
            ("a$b", "'a$b'"),
            ("a\\b", "'a\\b'"),
            ("é", "é"),
            ("", "''"),
            ("a\tb", "'a'$'\\t''b'"),
            ("a\nb", "'a'$'\\n''b'"),
            ("a\u{1}b", "'a'$'\\001''b'"),
            ("-a", "-a"),
            ("it's", "\"it's\""),
            ("it's \"x\"", "'it'\\''s \"x\"'"),
        ];
        for (arg, want) in cases {
            assert_eq!(shell_quote(arg), want, "{arg:?}");
        }
    }
}
