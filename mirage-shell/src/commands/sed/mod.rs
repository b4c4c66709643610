//! Built-in commands: sed group.

use mirage_core::CommandRegistry;

pub fn register(_reg: &mut CommandRegistry) {}
