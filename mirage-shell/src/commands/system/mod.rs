//! Built-in commands about the environment the commands run in: variables, time, waiting.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod date;
mod duration;
mod env;
pub(crate) mod hostinfo;
mod nice;
mod shell_cmd;
mod sleep;
mod timeout;
mod ulimit;
pub(crate) mod versions;
mod which;
mod yes;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("env", Arc::new(env::Env { printenv: false }));
    reg.register("printenv", Arc::new(env::Env { printenv: true }));
    reg.register("date", Arc::new(date::Date));
    reg.register("sleep", Arc::new(sleep::Sleep));
    reg.register("timeout", Arc::new(timeout::Timeout));
    reg.register("which", Arc::new(which::Which));
    reg.register("yes", Arc::new(yes::Yes));
    reg.register("nice", Arc::new(nice::Nice));
    reg.register("nohup", Arc::new(nice::Nohup));
    reg.register("sync", Arc::new(nice::Sync));
    reg.register("ulimit", Arc::new(ulimit::Ulimit));
    reg.register("bash", Arc::new(shell_cmd::Shell));
    reg.register("sh", Arc::new(shell_cmd::Shell));
    reg.register("uname", Arc::new(hostinfo::Uname));
    reg.register("arch", Arc::new(hostinfo::Arch));
    reg.register("nproc", Arc::new(hostinfo::Nproc));
    reg.register("getconf", Arc::new(hostinfo::Getconf));
    reg.register("hostname", Arc::new(hostinfo::Hostname));
    reg.register("whoami", Arc::new(hostinfo::Whoami));
    reg.register("id", Arc::new(hostinfo::Id));
    reg.register("groups", Arc::new(hostinfo::Groups));
    reg.register("tty", Arc::new(hostinfo::Tty));
    reg.register("logname", Arc::new(hostinfo::Logname));
}
