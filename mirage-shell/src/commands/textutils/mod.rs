//! Built-in commands: textutils group (tac, rev, nl, paste, comm, join, fold, expand, unexpand,
//! column, base64, cmp, diff, expr, od, ...). One file per command; `support` is shared.

use std::sync::Arc;

use mirage_core::CommandRegistry;

mod base32;
mod base64;
mod block_encode;
mod bre;
mod builtin_cmd;
mod cmp;
mod column;
mod comm;
mod csplit;
mod diff;
mod egrep;
mod expand;
mod expr;
mod fmt;
mod fold;
mod iconv;
mod join;
mod nl;
mod numfmt;
mod od;
mod pager;
mod paste;
mod patch;
mod pr;
mod rev;
mod shuf;
mod split;
mod strings;
mod sum;
mod support;
mod tabstops;
mod tac;
mod tsort;
mod unexpand;
mod xxd;
mod zgrep;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("tac", Arc::new(tac::Tac));
    reg.register("rev", Arc::new(rev::Rev));
    reg.register("nl", Arc::new(nl::Nl));
    reg.register("paste", Arc::new(paste::Paste));
    reg.register("patch", Arc::new(patch::Patch));
    reg.register("pr", Arc::new(pr::Pr));
    reg.register("comm", Arc::new(comm::Comm));
    reg.register("base64", Arc::new(base64::Base64));
    reg.register("cmp", Arc::new(cmp::Cmp));
    reg.register("od", Arc::new(od::Od));
    reg.register("join", Arc::new(join::Join));
    reg.register("column", Arc::new(column::Column));
    reg.register("expr", Arc::new(expr::Expr));
    reg.register("diff", Arc::new(diff::Diff));
    reg.register("tsort", Arc::new(tsort::Tsort));
    reg.register("strings", Arc::new(strings::Strings));
    reg.register("unexpand", Arc::new(unexpand::Unexpand));
    reg.register("shuf", Arc::new(shuf::Shuf));
    reg.register("split", Arc::new(split::Split));
    reg.register("xxd", Arc::new(xxd::Xxd));
    reg.register("numfmt", Arc::new(numfmt::Numfmt));
    reg.register("fold", Arc::new(fold::Fold));
    reg.register("expand", Arc::new(expand::Expand));
    reg.register("csplit", Arc::new(csplit::Csplit));
    reg.register("fmt", Arc::new(fmt::Fmt));
    reg.register("iconv", Arc::new(iconv::Iconv));
    reg.register("zgrep", Arc::new(zgrep::Zgrep));
    reg.register("egrep", Arc::new(egrep::GrepAlias { flag: "-E" }));
    reg.register("fgrep", Arc::new(egrep::GrepAlias { flag: "-F" }));
    reg.register("sum", Arc::new(sum::Sum));
    reg.register("base32", Arc::new(base32::Base32));
    for name in ["true", "false", "test", "["] {
        reg.register(name, Arc::new(builtin_cmd::BuiltinCmd));
    }
    reg.register("less", Arc::new(pager::Pager { more: false }));
    reg.register("more", Arc::new(pager::Pager { more: true }));
}
