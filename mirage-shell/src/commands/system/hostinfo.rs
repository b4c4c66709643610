//! Commands that report facts about the machine and the user: `uname`, `arch`, `nproc`,
//! `getconf`, `hostname`, `whoami`, `id`, `groups`, `tty`, `logname`.
//!
//! Mirage cannot know these for a virtual machine, so they come from the host where the value
//! is a harmless fact (kernel name and release, CPU count, page size, user name). `tty` always
//! answers `not a tty` (a command's stdin is never a terminal) and `logname` finds no login.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};
use crate::commands::quoting::lquote;

const fn flag(name: &'static str, key: &'static str) -> LongOpt {
    LongOpt {
        name,
        has_arg: HasArg::No,
        key,
    }
}

/// A line of a file under /proc or /sys with its trailing newline removed.
fn host_file(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.trim_end_matches('\n').to_string())
}

/// `sysconf(name)`, `None` when the value is indeterminate.
fn sysconf(name: libc::c_int) -> Option<i64> {
    // SAFETY: sysconf only reads its integer argument and has no memory effects.
    let v = unsafe { libc::sysconf(name) };
    (v >= 0).then_some(v as i64)
}

/// Prints `NAME: extra operand ‘X’` and the `Try` hint.
async fn extra_operand(ctx: &mut CommandContext, operand: &str, status: i32) -> CommandResult {
    let msg = format!("extra operand {}", lquote(operand));
    usage_error(ctx, &msg, status).await
}

/// Parses options; `Err(status)` when the command must stop (bad option, `--help`).
async fn parse(
    ctx: &mut CommandContext,
    spec: &OptSpec,
    args: &[String],
    status: i32,
) -> Result<Parsed, i32> {
    let parsed = parse_opts(ctx, spec, args, status).await?;
    if parsed.has("help") {
        return Err(unsupported(ctx, "--help").await.unwrap_or(status));
    }
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------------
// uname, arch

pub struct Uname;

const UNAME_SPEC: OptSpec = OptSpec {
    short: "asnrvmpio",
    long: &[
        flag("all", "a"),
        flag("kernel-name", "s"),
        flag("sysname", "s"),
        flag("nodename", "n"),
        flag("kernel-release", "r"),
        flag("release", "r"),
        flag("kernel-version", "v"),
        flag("machine", "m"),
        flag("processor", "p"),
        flag("hardware-platform", "i"),
        flag("operating-system", "o"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

fn machine() -> String {
    host_file("/proc/sys/kernel/arch").unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

/// The kernel's name for a field of `uname`.
fn uname_field(key: char) -> String {
    let file = match key {
        's' => "/proc/sys/kernel/ostype",
        'n' => "/proc/sys/kernel/hostname",
        'r' => "/proc/sys/kernel/osrelease",
        'v' => "/proc/sys/kernel/version",
        'm' => return machine(),
        'o' => return "GNU/Linux".to_string(),
        _ => return "unknown".to_string(),
    };
    host_file(file).unwrap_or_else(|| match key {
        's' => "Linux".to_string(),
        _ => "unknown".to_string(),
    })
}

#[async_trait]
impl Command for Uname {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &UNAME_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 1).await;
        }
        let all = parsed.has("a");
        let mut fields = Vec::new();
        for key in ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] {
            let asked = parsed.has(&key.to_string());
            // -a leaves out the processor and platform when they are unknown.
            let wanted = asked || (all && !matches!(key, 'p' | 'i'));
            if wanted {
                fields.push(uname_field(key));
            }
        }
        if fields.is_empty() {
            fields.push(uname_field('s'));
        }
        let line = format!("{}\n", fields.join(" "));
        ctx.stdout.write_str(&line).await?;
        Ok(0)
    }
}

pub struct Arch;

const BARE_SPEC: OptSpec = OptSpec {
    short: "",
    long: &[HELP, VERSION],
    stop_at_operand: false,
};

#[async_trait]
impl Command for Arch {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &BARE_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 1).await;
        }
        let line = format!("{}\n", machine());
        ctx.stdout.write_str(&line).await?;
        Ok(0)
    }
}

// ---------------------------------------------------------------------------------------------
// nproc

pub struct Nproc;

const NPROC_SPEC: OptSpec = OptSpec {
    short: "",
    long: &[
        flag("all", "all"),
        LongOpt {
            name: "ignore",
            has_arg: HasArg::Required,
            key: "ignore",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// How many CPUs `cpus` (a kernel list such as `0-3,6`) names.
fn count_cpu_list(cpus: &str) -> Option<u64> {
    let mut n = 0u64;
    for part in cpus.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
                n += b.checked_sub(a)? + 1;
            }
            None => {
                part.parse::<u64>().ok()?;
                n += 1;
            }
        }
    }
    (n > 0).then_some(n)
}

/// The CPUs this process may run on (its affinity), as GNU's `nproc` counts them.
fn current_cpus() -> u64 {
    let allowed = host_file("/proc/self/status").and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
            .and_then(count_cpu_list)
    });
    allowed
        .or_else(|| sysconf(libc::_SC_NPROCESSORS_ONLN).map(|n| n as u64))
        .unwrap_or(1)
}

/// gnulib's reading of `OMP_NUM_THREADS`/`OMP_THREAD_LIMIT`: a positive decimal number,
/// optionally surrounded by blanks and followed by a comma.
fn omp_value(value: Option<&String>) -> Option<u64> {
    let s = value?.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let n: u64 = s[..digits].parse().ok()?;
    let rest = s[digits..].trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    (n > 0 && (rest.is_empty() || rest.starts_with(','))).then_some(n)
}

#[async_trait]
impl Command for Nproc {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &NPROC_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 1).await;
        }
        let mut ignore = 0u64;
        for value in parsed.all("ignore") {
            match value.trim_start().parse::<u64>() {
                Ok(n) => ignore = n,
                Err(_) => {
                    ctx.error(format!("invalid number: {}", lquote(value)))
                        .await?;
                    return Ok(1);
                }
            }
        }
        let n = if parsed.has("all") {
            sysconf(libc::_SC_NPROCESSORS_CONF).map_or(1, |n| n as u64)
        } else {
            let limit = omp_value(ctx.env.get("OMP_THREAD_LIMIT")).unwrap_or(u64::MAX);
            let threads = omp_value(ctx.env.get("OMP_NUM_THREADS")).unwrap_or_else(current_cpus);
            threads.min(limit)
        };
        let n = n.saturating_sub(ignore).max(1);
        ctx.stdout.write_str(&format!("{n}\n")).await?;
        Ok(0)
    }
}

// ---------------------------------------------------------------------------------------------
// getconf

pub struct Getconf;

const GETCONF_USAGE: &str = "Usage: getconf [-v specification] variable_name [pathname]\n       \
                             getconf -a [pathname]\n";

/// Variables that need a pathname operand (pathconf); only these take one.
const PATH_VARS: &[&str] = &[
    "LINK_MAX",
    "_POSIX_LINK_MAX",
    "MAX_CANON",
    "_POSIX_MAX_CANON",
    "MAX_INPUT",
    "_POSIX_MAX_INPUT",
    "NAME_MAX",
    "_POSIX_NAME_MAX",
    "PATH_MAX",
    "_POSIX_PATH_MAX",
    "PIPE_BUF",
    "_POSIX_PIPE_BUF",
    "SOCK_MAXBUF",
    "_POSIX_ASYNC_IO",
    "_POSIX_CHOWN_RESTRICTED",
    "_POSIX_NO_TRUNC",
    "_POSIX_PRIO_IO",
    "_POSIX_SYNC_IO",
    "_POSIX_VDISABLE",
    "FILESIZEBITS",
    "POSIX_ALLOC_SIZE_MIN",
    "POSIX_REC_INCR_XFER_SIZE",
    "POSIX_REC_MAX_XFER_SIZE",
    "POSIX_REC_MIN_XFER_SIZE",
    "POSIX_REC_XFER_ALIGN",
    "SYMLINK_MAX",
    "POSIX2_SYMLINKS",
];

/// The value of a variable Mirage answers; `None` for one it does not.
fn getconf_value(name: &str) -> Option<String> {
    let fixed = match name {
        "PATH_MAX" => "4096",
        "NAME_MAX" => "255",
        "PIPE_BUF" => "4096",
        "LONG_BIT" => "64",
        "WORD_BIT" => "32",
        "CHAR_BIT" => "8",
        "CHAR_MAX" | "SCHAR_MAX" => "127",
        "CHAR_MIN" | "SCHAR_MIN" => "-128",
        "UCHAR_MAX" => "255",
        "SHRT_MAX" => "32767",
        "SHRT_MIN" => "-32768",
        "USHRT_MAX" => "65535",
        "INT_MAX" => "2147483647",
        "INT_MIN" => "-2147483648",
        "UINT_MAX" => "4294967295",
        "ULONG_MAX" => "18446744073709551615",
        "SSIZE_MAX" => "32767",
        "MB_LEN_MAX" => "16",
        "NZERO" => "20",
        "LINE_MAX" => "2048",
        "HOST_NAME_MAX" => "64",
        "LOGIN_NAME_MAX" => "256",
        "_POSIX_VERSION" | "POSIX2_VERSION" => "200809",
        _ => {
            let key = match name {
                "PAGESIZE" | "PAGE_SIZE" => libc::_SC_PAGESIZE,
                "ARG_MAX" => libc::_SC_ARG_MAX,
                "CLK_TCK" => libc::_SC_CLK_TCK,
                "_NPROCESSORS_ONLN" => libc::_SC_NPROCESSORS_ONLN,
                "_NPROCESSORS_CONF" => libc::_SC_NPROCESSORS_CONF,
                "OPEN_MAX" => libc::_SC_OPEN_MAX,
                "CHILD_MAX" => libc::_SC_CHILD_MAX,
                "NGROUPS_MAX" => libc::_SC_NGROUPS_MAX,
                _ => return None,
            };
            return Some(sysconf(key).map_or("undefined".to_string(), |v| v.to_string()));
        }
    };
    Some(fixed.to_string())
}

#[async_trait]
impl Command for Getconf {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut words: &[String] = &args;
        match words.first().map(String::as_str) {
            Some("--version") => {
                if let Some(status) = crate::commands::common::print_version(ctx).await? {
                    return Ok(status);
                }
            }
            Some("--help") => return unsupported(ctx, "--help").await,
            Some("--") => words = &words[1..],
            Some(opt @ ("-a" | "-v")) => return unsupported(ctx, opt).await,
            Some(opt) if opt.starts_with('-') && opt.len() > 1 => {
                return unsupported(ctx, opt).await;
            }
            _ => {}
        }
        let (name, path) = match words {
            [name] => (name.as_str(), None),
            [name, path] => (name.as_str(), Some(path.as_str())),
            _ => {
                ctx.stderr.write_str(GETCONF_USAGE).await?;
                return Ok(2);
            }
        };
        if PATH_VARS.contains(&name) != path.is_some() {
            ctx.stderr.write_str(GETCONF_USAGE).await?;
            return Ok(2);
        }
        match getconf_value(name) {
            Some(v) => {
                ctx.stdout.write_str(&format!("{v}\n")).await?;
                Ok(0)
            }
            None if KNOWN_VARS.contains(&name) => unsupported(ctx, name).await,
            None => {
                ctx.error(format!("Unrecognized variable `{name}'")).await?;
                Ok(2)
            }
        }
    }
}

/// Every name glibc's `getconf -a` lists (those Mirage does not answer are refused loudly
/// rather than called unrecognized).
const KNOWN_VARS: &[&str] = &[
    "ATEXIT_MAX",
    "IOV_MAX",
    "LOGNAME_MAX",
    "NL_ARGMAX",
    "NL_LANGMAX",
    "NL_MSGMAX",
    "NL_NMAX",
    "NL_SETMAX",
    "NL_TEXTMAX",
    "NSS_BUFLEN_GROUP",
    "NSS_BUFLEN_PASSWD",
    "PASS_MAX",
    "PTHREAD_DESTRUCTOR_ITERATIONS",
    "PTHREAD_KEYS_MAX",
    "PTHREAD_STACK_MIN",
    "PTHREAD_THREADS_MAX",
    "TTY_NAME_MAX",
    "TZNAME_MAX",
    "UIO_MAXIOV",
    "_AVPHYS_PAGES",
    "_PHYS_PAGES",
    "_POSIX_ARG_MAX",
    "_POSIX_CHILD_MAX",
    "_POSIX_JOB_CONTROL",
    "_POSIX_SAVED_IDS",
    "_POSIX_THREADS",
    "_POSIX_TZNAME_MAX",
    "_POSIX_SSIZE_MAX",
    "_POSIX_STREAM_MAX",
    "_POSIX_OPEN_MAX",
    "_POSIX_NGROUPS_MAX",
    "_XOPEN_VERSION",
    "_XOPEN_XCU_VERSION",
    "_XOPEN_UNIX",
    "BC_BASE_MAX",
    "BC_DIM_MAX",
    "BC_SCALE_MAX",
    "BC_STRING_MAX",
    "CHARCLASS_NAME_MAX",
    "COLL_WEIGHTS_MAX",
    "EQUIV_CLASS_MAX",
    "EXPR_NEST_MAX",
    "POSIX2_C_VERSION",
    "POSIX2_LINE_MAX",
    "_POSIX2_LINE_MAX",
    "POSIX2_RE_DUP_MAX",
    "RE_DUP_MAX",
    "PATH",
    "CS_PATH",
    "LFS_CFLAGS",
    "LFS_LDFLAGS",
    "LFS_LIBS",
    "LFS64_CFLAGS",
    "SYMLOOP_MAX",
    "STREAM_MAX",
    "AIO_LISTIO_MAX",
    "AIO_MAX",
    "DELAYTIMER_MAX",
    "MQ_OPEN_MAX",
    "MQ_PRIO_MAX",
    "RTSIG_MAX",
    "SEM_NSEMS_MAX",
    "SEM_VALUE_MAX",
    "SIGQUEUE_MAX",
    "TIMER_MAX",
    "GNU_LIBC_VERSION",
    "GNU_LIBPTHREAD_VERSION",
    "LEVEL1_ICACHE_SIZE",
    "LEVEL1_ICACHE_ASSOC",
    "LEVEL1_ICACHE_LINESIZE",
    "LEVEL1_DCACHE_SIZE",
    "LEVEL1_DCACHE_ASSOC",
    "LEVEL1_DCACHE_LINESIZE",
    "LEVEL2_CACHE_SIZE",
    "LEVEL2_CACHE_ASSOC",
    "LEVEL2_CACHE_LINESIZE",
    "LEVEL3_CACHE_SIZE",
    "LEVEL3_CACHE_ASSOC",
    "LEVEL3_CACHE_LINESIZE",
    "LEVEL4_CACHE_SIZE",
    "LEVEL4_CACHE_ASSOC",
    "LEVEL4_CACHE_LINESIZE",
    "IPV6",
    "RAW_SOCKETS",
    "_POSIX_IPV6",
    "_POSIX_RAW_SOCKETS",
];

// ---------------------------------------------------------------------------------------------
// hostname

pub struct Hostname;

pub(crate) fn host_name() -> String {
    host_file("/proc/sys/kernel/hostname").unwrap_or_else(|| "localhost".to_string())
}

#[async_trait]
impl Command for Hostname {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut short = false;
        for arg in &args {
            match arg.as_str() {
                "-s" | "--short" => short = true,
                "--version" | "-V" => {
                    if let Some(status) = crate::commands::common::print_version(ctx).await? {
                        return Ok(status);
                    }
                }
                other if other.starts_with('-') => return unsupported(ctx, other).await,
                // Setting the host name is not something a virtual machine does.
                other => return unsupported(ctx, other).await,
            }
        }
        let mut name = host_name();
        if short && let Some(i) = name.find('.') {
            name.truncate(i);
        }
        ctx.stdout.write_str(&format!("{name}\n")).await?;
        Ok(0)
    }
}

// ---------------------------------------------------------------------------------------------
// whoami, id, groups

/// One line of /etc/passwd or /etc/group, split on `:`.
fn db_lines(path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(':').map(str::to_string).collect())
        .collect()
}

struct User {
    name: String,
    uid: u32,
    gid: u32,
}

fn user_by_uid(uid: u32) -> Option<String> {
    db_lines("/etc/passwd")
        .into_iter()
        .find(|f| f.len() > 3 && f[2].parse() == Ok(uid))
        .map(|f| f[0].clone())
}

fn user_by_name(name: &str) -> Option<User> {
    let users = db_lines("/etc/passwd");
    let found = users
        .iter()
        .find(|f| f.len() > 3 && f[0] == name)
        .or_else(|| {
            // A number names a user by id.
            let uid: u32 = name.parse().ok()?;
            users
                .iter()
                .find(|f| f.len() > 3 && f[2].parse() == Ok(uid))
        })?;
    Some(User {
        name: found[0].clone(),
        uid: found[2].parse().ok()?,
        gid: found[3].parse().ok()?,
    })
}

fn group_name(gid: u32) -> Option<String> {
    db_lines("/etc/group")
        .into_iter()
        .find(|f| f.len() > 2 && f[2].parse() == Ok(gid))
        .map(|f| f[0].clone())
}

/// The process's real and effective ids and supplementary groups, from /proc/self/status.
struct Ids {
    ruid: u32,
    euid: u32,
    rgid: u32,
    egid: u32,
    groups: Vec<u32>,
}

fn process_ids() -> Ids {
    let status = host_file("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> Vec<u32> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| {
                v.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let uids = field("Uid:");
    let gids = field("Gid:");
    Ids {
        ruid: uids.first().copied().unwrap_or(0),
        euid: uids.get(1).copied().unwrap_or(0),
        rgid: gids.first().copied().unwrap_or(0),
        egid: gids.get(1).copied().unwrap_or(0),
        groups: field("Groups:"),
    }
}

/// Whether `spec` (a name or a number) names the user Mirage runs as, who owns every file.
pub(crate) fn is_current_user(spec: &str) -> bool {
    let uid = process_ids().euid;
    spec.parse::<u32>().ok() == Some(uid) || user_by_uid(uid).as_deref() == Some(spec)
}

/// Whether `spec` (a name or a number) names the group every file belongs to.
pub(crate) fn is_current_group(spec: &str) -> bool {
    let gid = process_ids().egid;
    spec.parse::<u32>().ok() == Some(gid) || group_name(gid).as_deref() == Some(spec)
}

/// The group list `id -G` prints: the real group, the effective one if different, then the
/// supplementary groups without repeats of those two (coreutils' `print_group_list`).
fn group_list(rgid: u32, egid: u32, supplementary: &[u32]) -> Vec<u32> {
    let mut list = vec![rgid];
    if egid != rgid {
        list.push(egid);
    }
    for &g in supplementary {
        if !list.contains(&g) {
            list.push(g);
        }
    }
    list
}

/// The groups a named user belongs to: its primary group, then the groups listing it.
fn user_groups(user: &User) -> Vec<u32> {
    let mut list = vec![user.gid];
    for f in db_lines("/etc/group") {
        if f.len() > 3
            && f[3].split(',').any(|m| m == user.name)
            && let Ok(g) = f[2].parse::<u32>()
            && !list.contains(&g)
        {
            list.push(g);
        }
    }
    list
}

pub struct Whoami;

#[async_trait]
impl Command for Whoami {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &BARE_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 1).await;
        }
        let uid = process_ids().euid;
        match user_by_uid(uid) {
            Some(name) => {
                ctx.stdout.write_str(&format!("{name}\n")).await?;
                Ok(0)
            }
            None => {
                ctx.error(format!("cannot find name for user ID {uid}"))
                    .await?;
                Ok(1)
            }
        }
    }
}

pub struct Id;

const ID_SPEC: OptSpec = OptSpec {
    short: "agnruGzZ",
    long: &[
        flag("group", "g"),
        flag("groups", "G"),
        flag("name", "n"),
        flag("real", "r"),
        flag("user", "u"),
        flag("zero", "z"),
        flag("context", "Z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

fn with_name(id: u32, name: Option<String>) -> String {
    match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

#[async_trait]
impl Command for Id {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &ID_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if parsed.has("Z") {
            return unsupported(ctx, "-Z").await;
        }
        let (u, g, gg) = (parsed.has("u"), parsed.has("g"), parsed.has("G"));
        let (names, real, zero) = (parsed.has("n"), parsed.has("r"), parsed.has("z"));
        if [u, g, gg].iter().filter(|&&b| b).count() > 1 {
            ctx.error("cannot print \"only\" of more than one choice")
                .await?;
            return Ok(1);
        }
        let default_format = !(u || g || gg);
        if default_format && (names || real) {
            ctx.error("cannot print only names or real IDs in default format")
                .await?;
            return Ok(1);
        }
        if default_format && zero {
            ctx.error("option --zero not permitted in default format")
                .await?;
            return Ok(1);
        }
        // The ids to show: each named user's (coreutils 9 takes several), or this process's.
        let mut who: Vec<Option<&String>> = parsed.operands.iter().map(Some).collect();
        if who.is_empty() {
            who.push(None);
        }
        let mut status = 0;
        for name in who {
            let (uid, gid, groups) = match name {
                Some(name) => match user_by_name(name) {
                    Some(user) => {
                        let groups = user_groups(&user);
                        (user.uid, user.gid, groups)
                    }
                    None => {
                        ctx.stdout.flush().await?;
                        ctx.error(format!("{}: no such user", lquote(name))).await?;
                        status = 1;
                        continue;
                    }
                },
                None => {
                    let ids = process_ids();
                    let (uid, gid) = if real {
                        (ids.ruid, ids.rgid)
                    } else {
                        (ids.euid, ids.egid)
                    };
                    (uid, gid, group_list(ids.rgid, ids.egid, &ids.groups))
                }
            };
            let out = id_line(&parsed, uid, gid, &groups);
            ctx.stdout.write_str(&out).await?;
        }
        Ok(status)
    }
}

/// One user's line of `id` output in the format the options ask for.
fn id_line(parsed: &Parsed, uid: u32, gid: u32, groups: &[u32]) -> String {
    let (names, zero) = (parsed.has("n"), parsed.has("z"));
    let end = if zero { "\0" } else { "\n" };
    let show = |id: u32, name: Option<String>| -> String {
        if names {
            name.unwrap_or_else(|| id.to_string())
        } else {
            id.to_string()
        }
    };
    if parsed.has("u") {
        format!("{}{end}", show(uid, user_by_uid(uid)))
    } else if parsed.has("g") {
        format!("{}{end}", show(gid, group_name(gid)))
    } else if parsed.has("G") {
        let sep = if zero { "\0" } else { " " };
        let items: Vec<String> = groups.iter().map(|&x| show(x, group_name(x))).collect();
        format!("{}{end}", items.join(sep))
    } else {
        let items: Vec<String> = groups
            .iter()
            .map(|&x| with_name(x, group_name(x)))
            .collect();
        format!(
            "uid={} gid={} groups={}\n",
            with_name(uid, user_by_uid(uid)),
            with_name(gid, group_name(gid)),
            items.join(",")
        )
    }
}

pub struct Groups;

#[async_trait]
impl Command for Groups {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &BARE_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        let name_of = |g: u32| group_name(g).unwrap_or_else(|| g.to_string());
        if parsed.operands.is_empty() {
            let ids = process_ids();
            let list = group_list(ids.rgid, ids.egid, &ids.groups);
            let names: Vec<String> = list.into_iter().map(name_of).collect();
            ctx.stdout
                .write_str(&format!("{}\n", names.join(" ")))
                .await?;
            return Ok(0);
        }
        let mut status = 0;
        for name in &parsed.operands {
            match user_by_name(name) {
                Some(user) => {
                    let names: Vec<String> = user_groups(&user).into_iter().map(name_of).collect();
                    let line = format!("{name} : {}\n", names.join(" "));
                    ctx.stdout.write_str(&line).await?;
                }
                None => {
                    ctx.error(format!("{}: no such user", lquote(name))).await?;
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

// ---------------------------------------------------------------------------------------------
// tty, logname

pub struct Tty;

const TTY_SPEC: OptSpec = OptSpec {
    short: "s",
    long: &[flag("silent", "s"), flag("quiet", "s"), HELP, VERSION],
    stop_at_operand: false,
};

#[async_trait]
impl Command for Tty {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &TTY_SPEC, &args, 2).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 2).await;
        }
        // A command's stdin in Mirage is a pipe, a file or nothing: never a terminal.
        if !parsed.has("s") {
            ctx.stdout.write_str("not a tty\n").await?;
        }
        Ok(1)
    }
}

pub struct Logname;

#[async_trait]
impl Command for Logname {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(ctx, &BARE_SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(op) = parsed.operands.first() {
            return extra_operand(ctx, op, 1).await;
        }
        ctx.error("no login name").await?;
        Ok(1)
    }
}
