//! Built-in commands: zip archives (zip, unzip).

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod format;
mod unzip;
mod wildcard;
mod zip;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("zip", Arc::new(zip::Zip));
    reg.register("unzip", Arc::new(unzip::Unzip));
}
