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
        ParseError::ParsingAtEndOfInput => match misplaced_token(text) {
            Some((token, line)) => {
                let src = text.lines().nth(line).unwrap_or(text);
                format!("syntax error near unexpected token `{token}'\nmirage: `{src}'")
            }
            None => "syntax error: unexpected end of file".to_string(),
        },
        ParseError::Tokenizing { inner, .. } => match inner {
            TokenizerError::UnterminatedSingleQuote(..) => {
                "unexpected EOF while looking for matching `''".to_string()
            }
            TokenizerError::UnterminatedDoubleQuote(..) => {
                "unexpected EOF while looking for matching `\"'".to_string()
            }
            TokenizerError::UnterminatedBackquote(..) => {
                "unexpected EOF while looking for matching ``'".to_string()
            }
            TokenizerError::UnterminatedCommandSubstitution => {
                "unexpected EOF while looking for matching `)'".to_string()
            }
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    IfCond,
    IfBody,
    LoopCond,
    ForHeader,
    LoopBody,
    Brace,
    Paren,
}

/// brush-parser reports many misplaced keywords (`if then`, a stray `fi`) only as "unexpected
/// end of input". bash names the offending token, so walk the tokens with a small model of
/// compound-command nesting and find the first keyword or operator that cannot appear where
/// it stands. Returns the token and its 0-based line, or `None` when the model cannot tell.
fn misplaced_token(text: &str) -> Option<(String, usize)> {
    let tokens = brush_parser::tokenize_str(text).ok()?;
    let mut stack: Vec<(Frame, bool)> = Vec::new();
    let mut at_start = true;
    let mut has_cmd = false;
    let mut prev_word = false;
    for t in &tokens {
        let (s, loc) = match t {
            brush_parser::Token::Operator(s, l) | brush_parser::Token::Word(s, l) => {
                (s.as_str(), l)
            }
        };
        let line = loc.start.line.saturating_sub(1);
        let is_op = matches!(t, brush_parser::Token::Operator(..));
        if is_op {
            match s {
                "\n" | ";" | "&" => {
                    if at_start && s != "\n" {
                        return Some((s.to_string(), line));
                    }
                    at_start = true;
                }
                "|" | "||" | "&&" | ";;" | "|&" => {
                    if at_start {
                        return Some((s.to_string(), line));
                    }
                    at_start = true;
                }
                "(" if at_start => {
                    stack.push((Frame::Paren, false));
                    has_cmd = false;
                }
                "(" if prev_word => return Some(("newline".to_string(), line)),
                ")" => match stack.last() {
                    Some((Frame::Paren, _)) if has_cmd || !at_start => {
                        stack.pop();
                        has_cmd = true;
                        at_start = false;
                    }
                    _ => return Some((")".to_string(), line)),
                },
                r if r.contains('<') || r.contains('>') => {
                    // A redirection: part of the current command (or starting one).
                    if at_start {
                        at_start = false;
                        has_cmd = true;
                    }
                }
                _ => return None,
            }
            prev_word = false;
            continue;
        }
        if at_start {
            let top = stack.last().map(|f| f.0);
            match s {
                "if" => {
                    stack.push((Frame::IfCond, false));
                    has_cmd = false;
                    continue;
                }
                "while" | "until" => {
                    stack.push((Frame::LoopCond, false));
                    has_cmd = false;
                    continue;
                }
                "for" => {
                    stack.push((Frame::ForHeader, false));
                    at_start = false;
                    prev_word = false;
                    continue;
                }
                "{" => {
                    stack.push((Frame::Brace, false));
                    has_cmd = false;
                    continue;
                }
                "case" | "select" | "function" | "[[" | "((" => return None,
                "then" => {
                    if top == Some(Frame::IfCond) && has_cmd {
                        if let Some(f) = stack.last_mut() {
                            f.0 = Frame::IfBody;
                        }
                        has_cmd = false;
                        continue;
                    }
                    return Some((s.to_string(), line));
                }
                "elif" | "else" => {
                    if top == Some(Frame::IfBody) && has_cmd {
                        if let Some(f) = stack.last_mut() {
                            f.0 = if s == "elif" {
                                Frame::IfCond
                            } else {
                                Frame::IfBody
                            };
                        }
                        has_cmd = false;
                        continue;
                    }
                    return Some((s.to_string(), line));
                }
                "fi" | "done" | "}" => {
                    let ok = match s {
                        "fi" => top == Some(Frame::IfBody),
                        "done" => top == Some(Frame::LoopBody),
                        _ => top == Some(Frame::Brace),
                    };
                    if ok && has_cmd {
                        stack.pop();
                        has_cmd = true;
                        at_start = false;
                        prev_word = false;
                        continue;
                    }
                    return Some((s.to_string(), line));
                }
                "do" => {
                    if (top == Some(Frame::LoopCond) && has_cmd) || top == Some(Frame::ForHeader) {
                        if let Some(f) = stack.last_mut() {
                            f.0 = Frame::LoopBody;
                        }
                        has_cmd = false;
                        continue;
                    }
                    return Some((s.to_string(), line));
                }
                "esac" => return Some((s.to_string(), line)),
                "!" => continue,
                _ => {}
            }
            at_start = false;
            has_cmd = true;
        }
        prev_word = true;
    }
    None
}
