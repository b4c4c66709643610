//! Built-in commands: awk group. `awk` is our own interpreter of the POSIX awk language as GNU
//! awk 5 runs it by default. Array iteration follows insertion order (gawk's order is
//! unspecified); `rand()` is deterministic per seed but not gawk's sequence. Commands
//! (`print | cmd`, `cmd | getline`, `system()`) run through Mirage's own shell; `print | cmd`
//! collects what is printed and runs the command when it is closed (or at exit).

mod builtins;
mod format;
mod globals;
mod interp;
mod io;
mod lexer;
mod parser;
mod sync_eval;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandRegistry, CommandResult};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, unsupported};
use interp::{AwkErr, Interp, Value};
use parser::Program;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("awk", Arc::new(Awk));
}

pub struct Awk;

const USAGE: &str = r#"Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
Usage: awk [POSIX or GNU style options] [--] 'program' file ...
POSIX options:		GNU long options: (standard)
	-f progfile		--file=progfile
	-F fs			--field-separator=fs
	-v var=val		--assign=var=val
Short options:		GNU long options: (extensions)
	-b			--characters-as-bytes
	-c			--traditional
	-C			--copyright
	-d[file]		--dump-variables[=file]
	-D[file]		--debug[=file]
	-e 'program-text'	--source='program-text'
	-E file			--exec=file
	-g			--gen-pot
	-h			--help
	-i includefile		--include=includefile
	-I			--trace
	-l library		--load=library
	-L[fatal|invalid|no-ext]	--lint[=fatal|invalid|no-ext]
	-M			--bignum
	-N			--use-lc-numeric
	-n			--non-decimal-data
	-o[file]		--pretty-print[=file]
	-O			--optimize
	-p[file]		--profile[=file]
	-P			--posix
	-r			--re-interval
	-s			--no-optimize
	-S			--sandbox
	-t			--lint-old
	-V			--version

To report bugs, use the `gawkbug' program.
For full instructions, see the node `Bugs' in `gawk.info'
which is section `Reporting Problems and Bugs' in the
printed version.  This same information may be found at
https://www.gnu.org/software/gawk/manual/html_node/Bugs.html.
PLEASE do NOT try to report bugs by posting in comp.lang.awk,
or by using a web forum such as Stack Overflow.

gawk is a pattern scanning and processing language.
By default it reads standard input and writes standard output.

Examples:
	awk '{ sum += $1 }; END { print sum }' file
	awk -F: '{ print $1 }' /etc/passwd
"#;

/// Options gathered from the command line.
#[derive(Default)]
struct Opts {
    fs: Option<String>,
    assigns: Vec<(String, String)>,
    progfiles: Vec<String>,
}

/// Decodes backslash escapes in `-v`/operand assignment values and `-F` (as awk does).
fn unescape(s: &str) -> String {
    let quoted = format!("\"{}\"", s.replace('"', "\\\""));
    match lexer::tokenize(&quoted) {
        Ok(toks) => match toks.first().map(|t| &t.tok) {
            Some(lexer::Tok::Str(v)) => v.clone(),
            _ => s.to_string(),
        },
        Err(_) => s.to_string(),
    }
}

/// Splits a `name=value` operand; `None` if the name is not an identifier.
pub fn split_assignment(arg: &str) -> Option<(String, String)> {
    let (name, value) = arg.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name.to_string(), unescape(value)))
}

#[async_trait]
impl Command for Awk {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut opts = Opts::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            if a == "--version" || a == "-V" {
                // The text recorded from gawk, shared with every other command's.
                if let Some(v) = crate::commands::system::versions::lookup("awk") {
                    ctx.stdout.write_all(v.stdout.as_bytes()).await?;
                }
                return Ok(0);
            }
            if a.starts_with("--") {
                return unsupported(ctx, a.split('=').next().unwrap_or(a)).await;
            }
            let mut chars = a.chars();
            chars.next();
            let flag: String = chars.next().map(String::from).unwrap_or_default();
            let rest = chars.as_str();
            let flag = flag.as_str();
            if !matches!(flag, "F" | "v" | "f") {
                return unsupported(ctx, &format!("-{flag}")).await;
            }
            let value = if !rest.is_empty() {
                rest.to_string()
            } else if let Some(v) = args.get(i + 1) {
                i += 1;
                v.clone()
            } else {
                let msg = format!("awk: option requires an argument -- {flag}\n{USAGE}");
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(1);
            };
            match flag {
                "F" => opts.fs = Some(unescape(&value)),
                "v" => match split_assignment(&value) {
                    Some(kv) => opts.assigns.push(kv),
                    None => {
                        let msg = format!(
                            "awk: `{value}' argument to `-v' not in `var=value' form\n\n{USAGE}"
                        );
                        ctx.stderr.write_all(msg.as_bytes()).await?;
                        return Ok(1);
                    }
                },
                _ => opts.progfiles.push(value),
            }
            i += 1;
        }
        let src = if opts.progfiles.is_empty() {
            let Some(p) = args.get(i) else {
                ctx.stderr.write_all(USAGE.as_bytes()).await?;
                return Ok(1);
            };
            i += 1;
            p.clone()
        } else {
            let mut all = String::new();
            for f in &opts.progfiles {
                let mut reader = match open_operand(ctx, f).await {
                    Ok(r) => r,
                    Err(e) => {
                        let msg =
                            format!("awk: fatal: cannot open source file `{f}' for reading: {e}\n");
                        ctx.stderr.write_all(msg.as_bytes()).await?;
                        return Ok(2);
                    }
                };
                let mut buf = Vec::new();
                reader.read_to_end(&mut buf).await?;
                all.push_str(&String::from_utf8_lossy(&buf));
                all.push('\n');
            }
            all
        };
        let prog = match lexer::tokenize(&src).and_then(parser::parse) {
            Ok(p) => p,
            Err((line, col, msg)) => {
                let name = &ctx.name;
                let src_line = src.lines().nth(line.saturating_sub(1)).unwrap_or("");
                let text = format!(
                    "{name}: cmd. line:{line}: {src_line}\n{name}: cmd. line:{line}: {}^ {msg}\n",
                    " ".repeat(col)
                );
                ctx.stderr.write_all(text.as_bytes()).await?;
                return Ok(1);
            }
        };
        run_program(ctx, Arc::new(prog), opts, &args[i..]).await
    }
}

async fn run_program(
    ctx: &mut CommandContext,
    prog: Arc<Program>,
    opts: Opts,
    operands: &[String],
) -> CommandResult {
    let mut it = Interp::new(ctx, prog.clone());
    if let Some(fs) = opts.fs {
        it.set_global("FS", Value::Str(fs));
    }
    let argv = it.global_array("ARGV");
    it.arrays[argv].set("0".into(), Value::Str("awk".into()));
    for (n, a) in operands.iter().enumerate() {
        it.arrays[argv].set((n + 1).to_string(), Value::from_input(a.clone()));
    }
    it.set_global("ARGC", Value::Num((operands.len() + 1) as f64));
    for (k, v) in opts.assigns {
        it.set_global(&k, Value::from_input(v));
    }
    let result = run_phases(&mut it, &prog).await;
    let flushed = it.close_all().await;
    let status = match result.and(flushed) {
        Ok(()) | Err(AwkErr::Exit) | Err(AwkErr::Next) | Err(AwkErr::NextFile) => it.exit_code,
        Err(AwkErr::Io(e)) => return Err(e),
        Err(AwkErr::Fatal(msg)) => {
            it.ctx.stdout.flush().await?;
            let name = it.ctx.name.clone();
            let text = if msg.starts_with("mirage:") {
                format!("{msg}\n")
            } else if msg.starts_with("cannot open file") {
                format!("{name}: fatal: {msg}\n")
            } else if it.gnum("NR") > 0.0 {
                let file = it.gstr("FILENAME");
                let file = if file.is_empty() {
                    "-".to_string()
                } else {
                    file
                };
                let fnr = it.gnum("FNR");
                format!("{name}: cmd. line:1: (FILENAME={file} FNR={fnr}) fatal: {msg}\n")
            } else {
                format!("{name}: cmd. line:1: fatal: {msg}\n")
            };
            it.ctx.stderr.write_all(text.as_bytes()).await?;
            2
        }
    };
    Ok(status)
}

/// BEGIN, the main record loop, then END; `exit` skips to END (and ends END).
async fn run_phases(it: &mut Interp<'_>, prog: &Program) -> Result<(), AwkErr> {
    let mut exiting = false;
    for b in &prog.begin {
        match it.exec_block(b).await {
            Ok(_) | Err(AwkErr::Next) | Err(AwkErr::NextFile) => {}
            Err(AwkErr::Exit) => {
                exiting = true;
                break;
            }
            Err(e) => return Err(e),
        }
    }
    if !exiting && (!prog.rules.is_empty() || !prog.end.is_empty()) {
        while let Some(rec) = it.next_main_record().await? {
            it.bump_nr();
            it.set_record(rec);
            match it.run_rules().await {
                Ok(()) | Err(AwkErr::Next) => {}
                Err(AwkErr::NextFile) => it.skip_file(),
                Err(AwkErr::Exit) => break,
                Err(e) => return Err(e),
            }
        }
    }
    for b in &prog.end {
        match it.exec_block(b).await {
            Ok(_) | Err(AwkErr::Next) | Err(AwkErr::NextFile) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
