//! Built-in commands: search group (`grep`, `jq`, `xargs`).

mod grep;
mod jq;
mod rg;
mod xargs;

#[cfg(test)]
mod pipeline_tests;
#[cfg(test)]
mod test_support;

use std::sync::Arc;

use mirage_core::CommandRegistry;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("grep", Arc::new(grep::Grep));
    reg.register("jq", Arc::new(jq::Jq));
    reg.register("rg", Arc::new(rg::Rg));
    reg.register("xargs", Arc::new(xargs::Xargs));
}
