//! Calculators: `bc`, `factor`.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod bc;
mod factor;
mod mathlib;
mod number;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("bc", Arc::new(bc::Bc));
    reg.register("factor", Arc::new(factor::Factor));
}
