//! Built-in commands: the text group (echo, printf, cat, head, tail, wc, sort, uniq, cut, tr,
//! tee, seq, basename, dirname). Each command lives in its own file; `support`, `escapes` and
//! the number helpers are shared between them.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod basename;
mod bignum;
mod cat;
mod cut;
mod dirname;
mod echo;
mod escapes;
pub(crate) mod file_sink;
mod head;
mod longdouble;
mod printf;
mod printf_quote;
use super::quoting;
mod parallel_sort;
mod seq;
mod size;
mod sort;
mod sort_key;
pub(crate) mod sort_numeric;
mod support;
pub(crate) mod tail;
mod tee;
mod tr;
mod uniq;
mod wc;
pub(crate) mod wcwidth;

#[cfg(test)]
pub(crate) mod test_support;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("basename", Arc::new(basename::Basename));
    reg.register("cat", Arc::new(cat::Cat));
    reg.register("cut", Arc::new(cut::Cut));
    reg.register("dirname", Arc::new(dirname::Dirname));
    reg.register("echo", Arc::new(echo::Echo));
    reg.register("head", Arc::new(head::Head));
    reg.register("printf", Arc::new(printf::Printf));
    reg.register("seq", Arc::new(seq::Seq));
    reg.register("sort", Arc::new(sort::Sort));
    reg.register("tail", Arc::new(tail::Tail));
    reg.register("tee", Arc::new(tee::Tee));
    reg.register("tr", Arc::new(tr::Tr));
    reg.register("uniq", Arc::new(uniq::Uniq));
    reg.register("wc", Arc::new(wc::Wc));
}
