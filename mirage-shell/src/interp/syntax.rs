//! Parsing a line with brush-parser and turning its errors into bash's messages.

use brush_parser::ast;
use brush_parser::{ParseError, TokenizerError};

/// A syntax error as bash reports it: the line it is on (1-based) and the message, possibly
/// two lines (`syntax error near unexpected token `then'` then the offending source line
/// quoted); the caller puts the shell's prefix before each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// Parses a whole program.
pub fn parse(text: &str) -> Result<ast::Program, SyntaxError> {
    let options = brush_parser::ParserOptions::default();
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options);
    match parser.parse_program() {
        Ok(p) => Ok(p),
        Err(e) => Err(describe(text, &e)),
    }
}

/// How many prefixes `runnable_prefix` tries before giving up (each is a full parse).
const PREFIX_ATTEMPTS: usize = 200;

/// bash reads a script (or a `-c` line, or `eval` text) one complete command at a time and
/// runs each before reading on, so the commands before a syntax error have run when it is
/// reported. This finds that part: the longest run of whole lines before the error's line that
/// parses on its own (a command still open at the error is not complete, so it is left out).
pub fn runnable_prefix(text: &str, error_line: usize) -> Option<ast::Program> {
    let line_ends: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .take(error_line.saturating_sub(1))
        .collect();
    for &end in line_ends.iter().rev().take(PREFIX_ATTEMPTS) {
        if let Ok(program) = parse(&text[..end]) {
            return Some(program);
        }
    }
    None
}

fn describe(text: &str, e: &ParseError) -> SyntaxError {
    // Where bash stands when the input runs out: the line after the last one.
    let eof_line = text.lines().count() + 1;
    let quoted = |line: usize| text.lines().nth(line.saturating_sub(1)).unwrap_or(text);
    match e {
        ParseError::ParsingNear(pos) => {
            // brush-parser sometimes stops after a misplaced keyword (`if then` stops at the
            // newline after `then`); the nesting model names the keyword, as bash does.
            if let Some((token, line)) = misplaced_token(text).filter(|(_, l)| *l < pos.line) {
                return SyntaxError {
                    line: line + 1,
                    message: format!(
                        "syntax error near unexpected token `{token}'\n`{}'",
                        quoted(line + 1)
                    ),
                };
            }
            let token = token_at(text, pos.index).unwrap_or_else(|| "newline".to_string());
            SyntaxError {
                line: pos.line,
                message: format!(
                    "syntax error near unexpected token `{token}'\n`{}'",
                    quoted(pos.line)
                ),
            }
        }
        ParseError::ParsingAtEndOfInput => match misplaced_token(text) {
            Some((token, line)) => SyntaxError {
                line: line + 1,
                message: format!(
                    "syntax error near unexpected token `{token}'\n`{}'",
                    quoted(line + 1)
                ),
            },
            None => SyntaxError {
                line: eof_line,
                message: "syntax error: unexpected end of file".to_string(),
            },
        },
        ParseError::Tokenizing { inner, .. } => {
            let unterminated = |what: &str, pos: &brush_parser::SourcePosition| SyntaxError {
                line: pos.line,
                message: format!("unexpected EOF while looking for matching `{what}'"),
            };
            match inner {
                TokenizerError::UnterminatedSingleQuote(pos) => unterminated("'", pos),
                TokenizerError::UnterminatedDoubleQuote(pos) => unterminated("\"", pos),
                TokenizerError::UnterminatedBackquote(pos) => unterminated("`", pos),
                TokenizerError::UnterminatedCommandSubstitution => SyntaxError {
                    line: eof_line,
                    message: "unexpected EOF while looking for matching `)'".to_string(),
                },
                _ => SyntaxError {
                    line: eof_line,
                    message: "syntax error: unexpected end of file".to_string(),
                },
            }
        }
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
