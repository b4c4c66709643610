//! Built-in commands: zip archives (zip, unzip).

use mirage_core::CommandRegistry;

pub fn register(_reg: &mut CommandRegistry) {}
