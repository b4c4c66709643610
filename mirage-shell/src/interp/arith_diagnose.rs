//! bash's wording for an arithmetic expression it cannot parse.
//!
//! brush-parser only says that parsing failed. bash names the problem (`syntax error: operand
//! expected`, `` `:' expected for conditional expression``, `attempted assignment to
//! non-variable`, `value too great for base`...) and quotes the rest of the expression from
//! the token where it noticed (`error token is "+ "`). This walks the expression the way bash's
//! evaluator reads it (a recursive descent over bash's precedence levels), only to find that
//! first error; values are never computed here.

/// What went wrong, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// bash's message (`syntax error: operand expected`).
    pub message: String,
    /// Byte offset in the expression where the error token starts.
    pub at: usize,
    /// For a bad number, where it starts and ends: bash names the expression only up to its
    /// end, and the number as the error token.
    pub number: Option<(usize, usize)>,
}

impl Diagnosis {
    /// The full text after the shell's prefix: `EXPR: MESSAGE (error token is "TOKEN")`.
    /// `text` is the expression as written (leading blanks already dropped).
    pub fn render(&self, text: &str) -> String {
        if let Some((start, end)) = self.number {
            let upto = text.get(..end).unwrap_or(text);
            let n = text.get(start..end).unwrap_or(text);
            return format!("{upto}: {} (error token is \"{n}\")", self.message);
        }
        let token = text.get(self.at..).unwrap_or("");
        format!("{text}: {} (error token is \"{token}\")", self.message)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Num,
    Var,
    /// An operator or punctuation, by its text.
    Op(&'static str),
    /// `$` (an unexpanded parameter): never an operand.
    Dollar,
    /// A character that starts nothing bash knows (`'`, `@`): where an operand is due it is
    /// "operand expected", where an operator is due "invalid arithmetic operator".
    Bad,
    End,
}

const OPERATORS: [&str; 37] = [
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
    "%=", "+=", "-=", "&=", "^=", "|=", "=", "<", ">", "!", "~", "+", "-", "*", "/", "%", "&", "^",
    "|", "?", ":", ",",
];

const ASSIGNMENTS: [&str; 11] = [
    "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=",
];

type Found = Result<(), Diagnosis>;

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    tok: Tok,
    /// Start of the current token, or of the last one when the input has ended (bash's
    /// `lasttp`, which is not moved by reading the end).
    last_start: usize,
    tok_end: usize,
    /// The token before the current one was a plain variable (an assignment target).
    prev_was_var: bool,
}

/// Diagnoses `text` (leading blanks dropped); `None` when this walk finds nothing wrong.
pub fn diagnose(text: &str) -> Option<Diagnosis> {
    let mut r = Reader {
        text,
        pos: 0,
        tok: Tok::End,
        last_start: 0,
        tok_end: 0,
        prev_was_var: false,
    };
    let result = (|| {
        r.advance()?;
        r.comma()?;
        if r.tok == Tok::Bad {
            return Err(r.error("syntax error: invalid arithmetic operator"));
        }
        if r.tok != Tok::End {
            return Err(r.error("syntax error in expression"));
        }
        Ok(())
    })();
    result.err()
}

impl Reader<'_> {
    fn error(&self, message: &str) -> Diagnosis {
        Diagnosis {
            message: message.to_string(),
            at: self.last_start,
            number: None,
        }
    }

    fn advance(&mut self) -> Found {
        self.prev_was_var = self.tok == Tok::Var;
        let bytes = self.text.as_bytes();
        let mut i = self.tok_end.max(self.pos);
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if i >= bytes.len() {
            self.tok = Tok::End;
            self.pos = i;
            self.tok_end = i;
            return Ok(());
        }
        self.last_start = i;
        let c = bytes[i];
        if c.is_ascii_digit() {
            let end = i + bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'#' | b'@' | b'_'))
                .count();
            check_number(&self.text[i..end]).map_err(|message| Diagnosis {
                message: message.to_string(),
                at: i,
                number: Some((i, end)),
            })?;
            self.tok = Tok::Num;
            self.tok_end = end;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let mut end = i + bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            // `a[expr]`: the subscript belongs to the variable.
            if bytes.get(end) == Some(&b'[') {
                let mut depth = 0usize;
                for (k, b) in bytes[end..].iter().enumerate() {
                    match b {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                end += k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            self.tok = Tok::Var;
            self.tok_end = end;
        } else if c == b'(' || c == b')' {
            self.tok = Tok::Op(if c == b'(' { "(" } else { ")" });
            self.tok_end = i + 1;
        } else if c == b'$' {
            self.tok = Tok::Dollar;
            self.tok_end = i + 1;
        } else {
            let rest = &self.text[i..];
            let Some(mut op) = OPERATORS.iter().copied().find(|op| rest.starts_with(*op)) else {
                self.tok = Tok::Bad;
                self.tok_end = i + rest.chars().next().map_or(1, char::len_utf8);
                return Ok(());
            };
            if matches!(op, "++" | "--") {
                // An increment only right after a variable or right before one; otherwise
                // bash reads the first sign alone.
                let before_name = rest[2..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
                if !self.prev_was_var && !before_name {
                    op = if op == "++" { "+" } else { "-" };
                }
            }
            self.tok = Tok::Op(op);
            self.tok_end = i + op.len();
        }
        self.pos = self.tok_end;
        Ok(())
    }

    fn is(&self, op: &str) -> bool {
        matches!(self.tok, Tok::Op(o) if o == op)
    }

    fn comma(&mut self) -> Found {
        self.assign()?;
        while self.is(",") {
            self.advance()?;
            self.assign()?;
        }
        Ok(())
    }

    fn assign(&mut self) -> Found {
        self.cond()?;
        if let Tok::Op(op) = self.tok
            && ASSIGNMENTS.contains(&op)
        {
            if !self.prev_was_var {
                return Err(self.error("attempted assignment to non-variable"));
            }
            self.advance()?;
            self.assign()?;
        }
        Ok(())
    }

    fn cond(&mut self) -> Found {
        self.binary(0)?;
        if self.is("?") {
            self.advance()?;
            if self.tok == Tok::End || self.is(":") {
                return Err(self.error("expression expected"));
            }
            self.comma()?;
            if !self.is(":") {
                return Err(self.error("`:' expected for conditional expression"));
            }
            self.advance()?;
            if self.tok == Tok::End {
                return Err(self.error("expression expected"));
            }
            self.cond()?;
        }
        Ok(())
    }

    /// The binary levels, loosest first: `||`, `&&`, `|`, `^`, `&`, equality, comparison,
    /// shifts, `+ -`, `* / %`.
    fn binary(&mut self, level: usize) -> Found {
        const LEVELS: [&[&str]; 10] = [
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.power();
        };
        self.binary(level + 1)?;
        while let Tok::Op(op) = self.tok
            && ops.contains(&op)
        {
            self.advance()?;
            self.binary(level + 1)?;
        }
        Ok(())
    }

    fn power(&mut self) -> Found {
        self.unary()?;
        if self.is("**") {
            self.advance()?;
            self.power()?;
        }
        Ok(())
    }

    fn unary(&mut self) -> Found {
        match self.tok {
            Tok::Op("!" | "~" | "-" | "+") => {
                self.advance()?;
                self.unary()
            }
            Tok::Op("++" | "--") => {
                // `++x`: the reader made it an increment only before a name.
                self.advance()?;
                self.operand()
            }
            _ => self.operand(),
        }
    }

    fn operand(&mut self) -> Found {
        match self.tok {
            Tok::Num => self.advance(),
            Tok::Var => {
                self.advance()?;
                if self.is("++") || self.is("--") {
                    // `x++`: a postfix increment only straight after the variable.
                    self.advance()?;
                }
                Ok(())
            }
            Tok::Op("(") => {
                self.advance()?;
                self.comma()?;
                if !self.is(")") {
                    return Err(self.error("missing `)'"));
                }
                self.advance()
            }
            _ => Err(self.error("syntax error: operand expected")),
        }
    }
}

/// bash's checks on a numeric constant: `0x1F`, `017`, `64#zZ`, `10`.
fn check_number(n: &str) -> Result<(), &'static str> {
    let (base, digits) = if let Some((b, d)) = n.split_once('#') {
        let base: u32 = b.parse().map_err(|_| "invalid arithmetic base")?;
        if !(2..=64).contains(&base) {
            return Err("invalid arithmetic base");
        }
        if d.is_empty() {
            return Err("invalid integer constant");
        }
        (base, d)
    } else if let Some(h) = n.strip_prefix("0x").or_else(|| n.strip_prefix("0X")) {
        (16, h)
    } else if n.len() > 1 && n.starts_with('0') {
        (8, &n[1..])
    } else {
        (10, n)
    };
    for c in digits.chars() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            '@' => 62,
            '_' => 63,
            _ => return Err("invalid integer constant"),
        };
        if v >= base {
            return Err("value too great for base");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> String {
        diagnose(text).map_or_else(|| "(none)".to_string(), |d| d.render(text))
    }

    /// Expectations recorded from bash 5.2 (`echo $(( EXPR ))`).
    #[test]
    fn words_errors_like_bash() {
        let cases = [
            (
                "2 + ",
                "2 + : syntax error: operand expected (error token is \"+ \")",
            ),
            (
                "1 2 ",
                "1 2 : syntax error in expression (error token is \"2 \")",
            ),
            (
                "1 +* 2 ",
                "1 +* 2 : syntax error: operand expected (error token is \"* 2 \")",
            ),
            (
                "* 3 ",
                "* 3 : syntax error: operand expected (error token is \"* 3 \")",
            ),
            (
                "1 ? 2 ",
                "1 ? 2 : `:' expected for conditional expression (error token is \"2 \")",
            ),
            (
                "5 = 3 ",
                "5 = 3 : attempted assignment to non-variable (error token is \"= 3 \")",
            ),
            (
                "1..2 ",
                "1..2 : syntax error: invalid arithmetic operator (error token is \"..2 \")",
            ),
            (
                "08 ",
                "08: value too great for base (error token is \"08\")",
            ),
            (
                "1 + 08 + 2",
                "1 + 08: value too great for base (error token is \"08\")",
            ),
            (
                "(08)",
                "(08: value too great for base (error token is \"08\")",
            ),
            (
                "3 + + ",
                "3 + + : syntax error: operand expected (error token is \"+ \")",
            ),
            (
                "5++ ",
                "5++ : syntax error: operand expected (error token is \"+ \")",
            ),
            (
                "1 ? 2 :  ",
                "1 ? 2 :  : expression expected (error token is \":  \")",
            ),
            (
                "a =  ",
                "a =  : syntax error: operand expected (error token is \"=  \")",
            ),
            (
                "1 < < 2 ",
                "1 < < 2 : syntax error: operand expected (error token is \"< 2 \")",
            ),
            (
                "$ ",
                "$ : syntax error: operand expected (error token is \"$ \")",
            ),
            (
                "1 @ 2 ",
                "1 @ 2 : syntax error: invalid arithmetic operator (error token is \"@ 2 \")",
            ),
            (
                "10#",
                "10#: invalid integer constant (error token is \"10#\")",
            ),
            (
                "0xg",
                "0xg: value too great for base (error token is \"0xg\")",
            ),
            (
                "2 + 3 4 ",
                "2 + 3 4 : syntax error in expression (error token is \"4 \")",
            ),
            (
                "'3' > 2 ",
                "'3' > 2 : syntax error: operand expected (error token is \"'3' > 2 \")",
            ),
            (
                "1 @ 2 ",
                "1 @ 2 : syntax error: invalid arithmetic operator (error token is \"@ 2 \")",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(said(text), want, "{text:?}");
        }
        assert_eq!(said("x = (1 + 2) * y[3] ? a++ : --b"), "(none)");
        assert_eq!(said("++5"), "(none)");
    }
}
