//! The Mirage shell: a bash interpreter over brush-parser's syntax tree, and the built-in
//! commands, all working through mirage-core's traits so they run the same on every mount.

pub mod commands;
pub mod exec;
pub mod interp;
pub(crate) mod stack;
pub mod testing;

use mirage_core::CommandRegistry;

pub use interp::{ExecOutput, Session};

/// A registry holding every built-in command.
pub fn builtin_registry() -> CommandRegistry {
    let mut reg = CommandRegistry::new();
    commands::register_builtins(&mut reg);
    reg
}
