//! `env` and `printenv`: show the exported variables, or run a command with a changed
//! environment (`env FOO=bar cmd`).

use std::collections::BTreeMap;
use std::sync::Arc;

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Env {
    /// `printenv` prints values of named variables; `env` runs commands.
    pub printenv: bool,
}

const ENV_SPEC: OptSpec = OptSpec {
    short: "iu:0C:S:v",
    long: &[
        LongOpt {
            name: "ignore-environment",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "unset",
            has_arg: HasArg::Required,
            key: "u",
        },
        LongOpt {
            name: "null",
            has_arg: HasArg::No,
            key: "0",
        },
        LongOpt {
            name: "chdir",
            has_arg: HasArg::Required,
            key: "C",
        },
        LongOpt {
            name: "split-string",
            has_arg: HasArg::Required,
            key: "S",
        },
        LongOpt {
            name: "debug",
            has_arg: HasArg::No,
            key: "v",
        },
    ],
    stop_at_operand: true,
};

const PRINTENV_SPEC: OptSpec = OptSpec {
    short: "0",
    long: &[LongOpt {
        name: "null",
        has_arg: HasArg::No,
        key: "0",
    }],
    stop_at_operand: false,
};

fn listing(env: &BTreeMap<String, String>, nul: bool) -> String {
    let end = if nul { '\0' } else { '\n' };
    env.iter().map(|(k, v)| format!("{k}={v}{end}")).collect()
}

#[async_trait]
impl Command for Env {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        if self.printenv {
            let p = match parse_opts(ctx, &PRINTENV_SPEC, &args, 2).await {
                Ok(p) => p,
                Err(s) => return Ok(s),
            };
            let end = if p.has("0") { "\0" } else { "\n" };
            if p.operands.is_empty() {
                let text = listing(&ctx.env, p.has("0"));
                ctx.stdout.write_str(&text).await?;
                return Ok(0);
            }
            let mut status = 0;
            for name in &p.operands {
                match ctx.env.get(name) {
                    Some(v) => {
                        let line = format!("{v}{end}");
                        ctx.stdout.write_str(&line).await?;
                    }
                    None => status = 1,
                }
            }
            return Ok(status);
        }
        let p = match parse_opts(ctx, &ENV_SPEC, &args, 125).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        for unsupported in ["C", "S", "v"] {
            if p.has(unsupported) {
                ctx.stderr
                    .write_str(&format!(
                        "mirage: env: unsupported option: -{unsupported}\n"
                    ))
                    .await?;
                return Ok(2);
            }
        }
        let mut env: BTreeMap<String, String> = if p.has("i") {
            BTreeMap::new()
        } else {
            (*ctx.env).clone()
        };
        for name in p.all("u") {
            env.remove(name);
        }
        let mut rest = p.operands.iter();
        let mut command: Option<(String, Vec<String>)> = None;
        for op in rest.by_ref() {
            match op.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    env.insert(k.to_string(), v.to_string());
                }
                _ => {
                    command = Some((op.clone(), Vec::new()));
                    break;
                }
            }
        }
        let Some((name, _)) = command else {
            let text = listing(&env, p.has("0"));
            ctx.stdout.write_str(&text).await?;
            return Ok(0);
        };
        let args: Vec<String> = rest.cloned().collect();
        let Some(cmd) = ctx.commands.resolve(&name, None, None) else {
            ctx.error(format!(
                "{}: No such file or directory",
                crate::commands::quoting::lquote(&name)
            ))
            .await?;
            return Ok(127);
        };
        Ok(crate::exec::run_child(ctx, cmd, name, args, true, Some(Arc::new(env))).await)
    }
}
