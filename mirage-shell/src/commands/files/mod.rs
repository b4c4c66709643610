//! Built-in commands: files group. Listing, finding, creating, copying, moving and removing
//! files through the mount table, each byte-compatible with GNU coreutils/findutils.

pub(crate) mod chmod;
mod clobber;
mod cp;
mod find;
mod find_parse;
mod fnmatch;
mod ln;
mod ls;
mod ls_long;
mod mkdir;
mod mv;
mod readlink;
mod realpath;
mod rm;
mod rmdir;
mod stat;
mod support;
mod target;
pub(crate) mod time;
mod touch;

#[cfg(test)]
mod test_support;

use std::sync::Arc;

use mirage_core::CommandRegistry;

pub fn register(reg: &mut CommandRegistry) {
    reg.register("chmod", Arc::new(chmod::Chmod));
    reg.register("cp", Arc::new(cp::Cp));
    reg.register("find", Arc::new(find::Find));
    reg.register("ln", Arc::new(ln::Ln));
    reg.register("ls", Arc::new(ls::Ls));
    reg.register("mkdir", Arc::new(mkdir::Mkdir));
    reg.register("mv", Arc::new(mv::Mv));
    reg.register("readlink", Arc::new(readlink::Readlink));
    reg.register("realpath", Arc::new(realpath::Realpath));
    reg.register("rm", Arc::new(rm::Rm));
    reg.register("rmdir", Arc::new(rmdir::Rmdir));
    reg.register("stat", Arc::new(stat::Stat));
    reg.register("touch", Arc::new(touch::Touch));
}

#[cfg(test)]
mod tests {
    use mirage_core::MountMode;

    use super::test_support::{check, fails, mounts, run_on};

    /// Every writing command on a read-only mount, as GNU reported them on a read-only tmpfs.
    #[tokio::test]
    async fn read_only_mount_messages() {
        let files: &[(&str, &str)] = &[("d/f1", "x\n"), ("d/sub/g", "y\n"), ("b", "")];
        let fs = mounts(&[("/data", files, MountMode::Read)]).await;
        fails(
            &run_on(&fs, &["mkdir", "x"]).await,
            "mkdir: cannot create directory \u{2018}x\u{2019}: Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["touch", "b"]).await,
            "touch: cannot touch 'b': Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["touch", "n"]).await,
            "touch: cannot touch 'n': Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["cp", "b", "c"]).await,
            "cp: cannot create regular file 'c': Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["mv", "b", "c"]).await,
            "mv: cannot move 'b' to 'c': Read-only file system\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "d/sub"]).await,
            "rmdir: failed to remove 'd/sub': Read-only file system\n",
        );
        let del = "find: cannot delete \u{2018}d/f1\u{2019}: Read-only file system\nfind: cannot delete \u{2018}d/sub/g\u{2019}: Read-only file system\nfind: cannot delete \u{2018}d/sub\u{2019}: Read-only file system\nfind: cannot delete \u{2018}d\u{2019}: Read-only file system\n";
        check(&run_on(&fs, &["find", "d", "-delete"]).await, "", del, 1);
        let rm = "rm: cannot remove 'd/f1': Read-only file system\nrm: cannot remove 'd/sub/g': Read-only file system\n";
        check(&run_on(&fs, &["rm", "-rv", "d"]).await, "", rm, 1);
    }
}
