//! Parsing a line with brush-parser and turning its errors into bash's messages.

use brush_parser::ast;
use brush_parser::{ParseError, TokenizerError};

/// Parses a whole program. The error is the text after `mirage: `, possibly two lines like
/// bash's (`syntax error near unexpected token `then'` then the offending line).
pub fn parse(text: &str) -> Result<ast::Program, String> {
    let options = brush_parser::ParserOptions::default();
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options);
    match parser.parse_program() {
        Ok(p) => Ok(p),
        Err(e) => Err(describe(text, &e)),
    }
}

fn describe(text: &str, e: &ParseError) -> String {
    match e {
        ParseError::ParsingNear(pos) => {
            let token = token_at(text, pos.index).unwrap_or_else(|| "newline".to_string());
            let line = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or(text);
            format!("syntax error near unexpected token `{token}'\nmirage: `{line}'")
        }
        ParseError::ParsingAtEndOfInput => "syntax error: unexpected end of file".to_string(),
        ParseError::Tokenizing { inner, .. } => match inner {
            TokenizerError::UnterminatedSingleQuote(..) => "unexpected EOF while looking for matching `''".to_string(),
            TokenizerError::UnterminatedDoubleQuote(..) => "unexpected EOF while looking for matching `\"'".to_string(),
            TokenizerError::UnterminatedBackquote(..) => "unexpected EOF while looking for matching ``'".to_string(),
            TokenizerError::UnterminatedCommandSubstitution => "unexpected EOF while looking for matching `)'".to_string(),
            _ => "syntax error: unexpected end of file".to_string(),
        },
    }
}

/// The token starting at character index `index`, as bash names it in messages.
fn token_at(text: &str, index: usize) -> Option<String> {
    let tokens = brush_parser::tokenize_str(text).ok()?;
    for t in tokens {
        let (s, loc) = match &t {
            brush_parser::Token::Operator(s, l) | brush_parser::Token::Word(s, l) => (s, l),
        };
        if loc.start.index >= index {
            if s == "\n" {
                return Some("newline".to_string());
            }
            return Some(s.clone());
        }
    }
    None
}
