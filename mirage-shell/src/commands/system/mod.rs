//! Built-in commands about the environment the commands run in.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod env;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("env", Arc::new(env::Env { printenv: false }));
    reg.register("printenv", Arc::new(env::Env { printenv: true }));
}
