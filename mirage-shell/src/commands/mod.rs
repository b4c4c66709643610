//! The built-in commands, grouped by what they work on. Each group registers its commands.

pub mod capture;
pub mod common;
pub mod getopt;
pub mod help;
pub mod quoting;
pub mod wildcard;

mod archive;
mod awk;
mod calc;
pub(crate) mod files;
mod fileutils;
mod search;
mod sed;
pub(crate) mod system;
pub(crate) mod text;
mod textutils;

use mirage_core::CommandRegistry;

/// Adds every built-in command to `reg`.
pub fn register_builtins(reg: &mut CommandRegistry) {
    text::register(reg);
    files::register(reg);
    search::register(reg);
    system::register(reg);
    awk::register(reg);
    calc::register(reg);
    sed::register(reg);
    textutils::register(reg);
    fileutils::register(reg);
    archive::register(reg);
    help::register(reg);
}
