//! Calculators: `bc`.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod bc;
mod mathlib;
mod number;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("bc", Arc::new(bc::Bc));
}
