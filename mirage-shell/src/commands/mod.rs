//! The built-in commands, grouped by what they work on. Each group registers its commands.

pub mod common;
pub mod getopt;

mod files;
mod search;
mod text;

use mirage_core::CommandRegistry;

/// Adds every built-in command to `reg`.
pub fn register_builtins(reg: &mut CommandRegistry) {
    text::register(reg);
    files::register(reg);
    search::register(reg);
}
