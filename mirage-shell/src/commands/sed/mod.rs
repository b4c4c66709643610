//! `sed`: the GNU stream editor. The script is parsed once (`parse`, with regexes translated by
//! `regex`), then `exec` runs the classic cycle over the input read line by line (`input`).
//! In-place editing (`-i`) writes each file's result back through the mount table.

mod exec;
mod input;
mod parse;
mod regex;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandRegistry, CommandResult, VPath, WriteMode, stream_from_bytes,
};
use tokio::io::AsyncReadExt;

use crate::commands::common::{HELP, VERSION, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use exec::{Exec, Opts};
use input::Input;
use parse::Origin;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("sed", Arc::new(Sed));
}

pub struct Sed;

/// GNU's usage text, printed to stderr when no script is given.
const USAGE: &str = r#"Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
"#;

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "bnrsuzEe:f:i::l:",
    long: &[
        long("quiet", HasArg::No, "n"),
        long("silent", HasArg::No, "n"),
        long("expression", HasArg::Required, "e"),
        long("file", HasArg::Required, "f"),
        long("in-place", HasArg::Optional, "i"),
        long("line-length", HasArg::Required, "l"),
        long("null-data", HasArg::No, "z"),
        long("zero-terminated", HasArg::No, "z"),
        long("regexp-extended", HasArg::No, "E"),
        long("separate", HasArg::No, "s"),
        long("unbuffered", HasArg::No, "u"),
        long("binary", HasArg::No, "b"),
        long("posix", HasArg::No, "posix"),
        long("debug", HasArg::No, "debug"),
        long("sandbox", HasArg::No, "sandbox"),
        long("follow-symlinks", HasArg::No, "follow-symlinks"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Prints GNU's usage error (message then the whole usage text) and returns status 1.
async fn usage_fail(ctx: &mut CommandContext, msg: Option<&str>) -> CommandResult {
    if let Some(m) = msg {
        ctx.error(m).await?;
    }
    ctx.stderr.write_all(USAGE.as_bytes()).await?;
    Ok(1)
}

#[async_trait]
impl Command for Sed {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match crate::commands::getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(msg) => return usage_fail(ctx, Some(&msg)).await,
        };
        for opt in ["help", "version", "debug", "sandbox", "follow-symlinks"] {
            if parsed.has(opt) {
                return unsupported(ctx, &format!("--{opt}")).await;
            }
        }
        let backup = parsed
            .opts
            .iter()
            .rev()
            .find(|o| o.key == "i")
            .and_then(|o| o.value.clone())
            .filter(|s| !s.is_empty());
        if let Some(suffix) = &backup
            && suffix.contains('/')
        {
            return unsupported(ctx, &format!("-i{suffix}")).await;
        }
        let mut pieces = Vec::new();
        let mut expr_no = 0;
        for opt in &parsed.opts {
            match (opt.key.as_str(), &opt.value) {
                ("e", Some(v)) => {
                    expr_no += 1;
                    pieces.push((Origin::Expr(expr_no), v.as_bytes().to_vec()));
                }
                ("f", Some(name)) => match read_script(ctx, name).await {
                    Ok(body) => pieces.push((Origin::File(name.clone()), body)),
                    Err(e) => {
                        ctx.error(format!("couldn't open file {name}: {e}")).await?;
                        return Ok(4);
                    }
                },
                _ => {}
            }
        }
        let mut operands = parsed.operands.clone();
        if pieces.is_empty() {
            if operands.is_empty() {
                return usage_fail(ctx, None).await;
            }
            let script = operands.remove(0);
            pieces.push((Origin::Expr(1), script.into_bytes()));
        }
        let line_wrap = match parsed.last("l") {
            None => 70,
            Some(v) => match v.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.error(format!("invalid line length: {v}")).await?;
                    return Ok(1);
                }
            },
        };
        let script = match parse::parse(&pieces, parsed.has("E") || parsed.has("r")) {
            Ok(s) => s,
            Err(e) if e.unsupported => {
                let line = format!("mirage: sed: {}\n", e.msg);
                ctx.stderr.write_all(line.as_bytes()).await?;
                return Ok(2);
            }
            Err(e) => {
                ctx.error(e.msg).await?;
                return Ok(if e.panic { 4 } else { 1 });
            }
        };
        // GNU: a script whose first line is exactly `#n` acts like `-n`.
        let hash_n = pieces.first().is_some_and(|(_, body)| {
            body.starts_with(b"#n") && matches!(body.get(2), None | Some(b'\n'))
        });
        let opts = Opts {
            quiet: parsed.has("n") || hash_n,
            posix: parsed.has("posix") || ctx.env.contains_key("POSIXLY_CORRECT"),
            sep: if parsed.has("z") { 0 } else { b'\n' },
            line_wrap,
        };
        let in_place = parsed.has("i");
        let separate = in_place || parsed.has("s");
        if operands.is_empty() {
            if in_place {
                ctx.error("no input files").await?;
                return Ok(4);
            }
            operands.push("-".to_string());
        }
        let mut exec = Exec::new(script, opts);
        let mut input = Input::new(operands, opts.sep, separate, in_place);
        if separate {
            while exec.quit.is_none() && exec.error.is_none() {
                if !input.start_next_file(ctx).await? {
                    break;
                }
                let name = input.current_operand().to_string();
                exec.new_file();
                exec.run(ctx, &mut input, !in_place).await?;
                if in_place {
                    let data = std::mem::take(&mut exec.out.buf);
                    exec.out = Default::default();
                    let path = ctx.path(&name);
                    if let Some(suffix) = &backup {
                        let target = backup_path(&path, suffix);
                        if let Err(e) = ctx.fs.copy_file(&path, &target).await {
                            ctx.error(format!("cannot rename {name}: {e}")).await?;
                            return Ok(4);
                        }
                    }
                    if let Err(e) = ctx
                        .fs
                        .write(&path, stream_from_bytes(data), WriteMode::Truncate)
                        .await
                    {
                        ctx.error(format!("couldn't open file {name}: {e}")).await?;
                        return Ok(4);
                    }
                }
            }
        } else {
            exec.run(ctx, &mut input, true).await?;
        }
        exec.drain(ctx).await?;
        let status = write_files(ctx, &mut exec).await?;
        if let Some(msg) = exec.error.take() {
            ctx.error(msg).await?;
            return Ok(4);
        }
        if status != 0 {
            return Ok(status);
        }
        // An unreadable input's status 2 wins over `q`'s exit code, as in GNU.
        Ok(if input.fatal {
            4
        } else if input.failed {
            2
        } else {
            exec.quit.unwrap_or(0)
        })
    }
}

/// Where `-iSUFFIX` keeps the original: `*` in the suffix stands for the file's name, otherwise
/// the suffix is appended.
fn backup_path(path: &VPath, suffix: &str) -> VPath {
    let base = path.file_name().unwrap_or_default();
    let name = if suffix.contains('*') {
        suffix.replace('*', base)
    } else {
        format!("{base}{suffix}")
    };
    path.parent().join(&name)
}

/// Writes what `w`, `W` and `s///w` collected; `/dev/stdout` and `/dev/stderr` are GNU's
/// special names.
async fn write_files(ctx: &mut CommandContext, exec: &mut Exec) -> std::io::Result<i32> {
    let names = exec.wfile_names().to_vec();
    for (i, name) in names.iter().enumerate() {
        let data = std::mem::take(&mut exec.wfiles[i].buf);
        match name.as_str() {
            "/dev/stdout" => ctx.stdout.write_all(&data).await?,
            "/dev/stderr" => ctx.stderr.write_all(&data).await?,
            _ => {
                let path = ctx.path(name);
                if let Err(e) = ctx
                    .fs
                    .write(&path, stream_from_bytes(data), WriteMode::Truncate)
                    .await
                {
                    ctx.error(format!("couldn't open file {name}: {e}")).await?;
                    return Ok(4);
                }
            }
        }
    }
    Ok(0)
}

/// Reads a `-f` script (`-` is stdin); a final newline is dropped.
async fn read_script(
    ctx: &mut CommandContext,
    name: &str,
) -> Result<Vec<u8>, mirage_core::FsError> {
    let mut reader = crate::commands::common::open_operand(ctx, name).await?;
    let mut body = Vec::new();
    reader
        .read_to_end(&mut body)
        .await
        .map_err(mirage_core::FsError::from)?;
    if body.last() == Some(&b'\n') {
        body.pop();
    }
    Ok(body)
}
