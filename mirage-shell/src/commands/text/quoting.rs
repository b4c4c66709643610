//! gnulib's shell-escape quoting of file names in diagnostics: `quoteaf` (always quoted, as in
//! `head: cannot open 'x' for reading`) and `quotef` (quoted only when needed, `:` included,
//! as in `wc: x: No such file or directory`). Control characters become `$'\n'` segments.

fn is_control(c: char) -> bool {
    (c as u32) < 0x20 || c as u32 == 0x7f
}

/// Quotes `s`; with `always` false the name is returned as is when nothing in it is special.
pub fn shell_quote(s: &str, always: bool) -> String {
    let needs = s.is_empty()
        || s.starts_with(['#', '~'])
        || s.chars()
            .any(|c| is_control(c) || " !\"$&'()*;<=>?[\\^`|:".contains(c));
    if !needs && !always {
        return s.to_string();
    }
    let has_control = s.chars().any(is_control);
    if s.contains('\'') && !has_control && !s.contains(['"', '$', '`', '\\']) {
        return format!("\"{s}\"");
    }
    let mut out = String::from("'");
    let mut quoted = true;
    let mut in_dollar = false;
    for c in s.chars() {
        if is_control(c) {
            if !in_dollar {
                if quoted {
                    out.push('\'');
                }
                out.push_str("$'");
                in_dollar = true;
                quoted = false;
            }
            out.push_str(&c_escape(c));
            continue;
        }
        if in_dollar {
            out.push('\'');
            in_dollar = false;
        }
        if !quoted {
            out.push('\'');
            quoted = true;
        }
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    if in_dollar || quoted {
        out.push('\'');
    }
    out
}

fn c_escape(c: char) -> String {
    match c {
        '\x07' => "\\a".into(),
        '\x08' => "\\b".into(),
        '\x0c' => "\\f".into(),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\x0b' => "\\v".into(),
        c => format!("\\{:03o}", c as u32),
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
