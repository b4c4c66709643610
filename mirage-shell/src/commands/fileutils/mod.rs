//! Built-in commands: fileutils group (checksums, truncate, tree, ...).

use std::sync::Arc;

use mirage_core::CommandRegistry;

use crate::commands::getopt::{HasArg, LongOpt};

mod blake2b;
mod checksum;
mod cksum;
mod dd;
mod df;
mod dos2unix;
mod du;
mod file;
mod gzip;
mod gzip_codec;
mod hexdump;
mod install;
mod mktemp;
mod tar;
mod tar_format;
#[cfg(test)]
mod test_support;
mod tree;
mod truncate;
mod zdiff;
pub(crate) mod zipinfo;

use checksum::{Algo, Checksum};

pub fn register(reg: &mut CommandRegistry) {
    reg.register("md5sum", Arc::new(Checksum(Algo::Md5)));
    reg.register("sha1sum", Arc::new(Checksum(Algo::Sha1)));
    reg.register("sha224sum", Arc::new(Checksum(Algo::Sha224)));
    reg.register("sha256sum", Arc::new(Checksum(Algo::Sha256)));
    reg.register("sha384sum", Arc::new(Checksum(Algo::Sha384)));
    reg.register("sha512sum", Arc::new(Checksum(Algo::Sha512)));
    reg.register("b2sum", Arc::new(Checksum(Algo::Blake2b(64))));
    reg.register("truncate", Arc::new(truncate::Truncate));
    reg.register("tree", Arc::new(tree::Tree));
    reg.register("du", Arc::new(du::Du));
    reg.register("tar", Arc::new(tar::Tar));
    reg.register("mktemp", Arc::new(mktemp::Mktemp));
    reg.register("file", Arc::new(file::File));
    reg.register("df", Arc::new(df::Df));
    reg.register("cksum", Arc::new(cksum::Cksum));
    reg.register("hexdump", Arc::new(hexdump::Hexdump));
    reg.register("dd", Arc::new(dd::Dd));
    reg.register("install", Arc::new(install::Install));
    reg.register("dos2unix", Arc::new(dos2unix::Dos2Unix { to_dos: false }));
    reg.register("unix2dos", Arc::new(dos2unix::Dos2Unix { to_dos: true }));
    reg.register("zipinfo", Arc::new(zipinfo::Zipinfo));
    reg.register("zdiff", Arc::new(zdiff::Zdiff { program: "diff" }));
    reg.register("zcmp", Arc::new(zdiff::Zdiff { program: "cmp" }));
    for name in ["gzip", "gunzip", "zcat"] {
        reg.register(name, Arc::new(gzip::Gzip));
    }
}

/// A long option without a value (the common case in these commands' tables).
const fn flag(name: &'static str, key: &'static str) -> LongOpt {
    LongOpt {
        name,
        has_arg: HasArg::No,
        key,
    }
}
