//! Built-in commands: awk group.

use mirage_core::CommandRegistry;

pub fn register(_reg: &mut CommandRegistry) {}
