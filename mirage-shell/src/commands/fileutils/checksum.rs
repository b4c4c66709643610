//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum`, `b2sum`: print or
//! check message digests. The GNU programs share one implementation (as in coreutils'
//! `digest.c`) and differ only in the algorithm, so one command struct is registered under
//! every name. `b2sum` alone takes `-l BITS`; when checking, its digest length comes from
//! each line (`BLAKE2b-256 (f) = …`, or the number of hex digits).

use std::io;

use async_trait::async_trait;
use md5::Md5;
use mirage_core::{Command, CommandContext, CommandResult, FsError, Reader};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use tokio::io::AsyncBufReadExt;

use super::blake2b::Blake2b;
use super::flag;
use crate::commands::common::{HELP, VERSION, open_operand, parse_opts, read_line, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};
use crate::commands::quoting::shell_quote;

/// Which digest a registration computes.
#[derive(Clone, Copy)]
pub enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// BLAKE2b with a digest of this many bytes (64 by default).
    Blake2b(usize),
}

impl Algo {
    /// The name used by `--tag` lines and in `-w` warnings.
    fn tag(self) -> String {
        match self {
            Algo::Md5 => "MD5".into(),
            Algo::Sha1 => "SHA1".into(),
            Algo::Sha224 => "SHA224".into(),
            Algo::Sha256 => "SHA256".into(),
            Algo::Sha384 => "SHA384".into(),
            Algo::Sha512 => "SHA512".into(),
            Algo::Blake2b(64) => "BLAKE2b".into(),
            Algo::Blake2b(n) => format!("BLAKE2b-{}", n * 8),
        }
    }

    /// Length of the digest in hex digits.
    fn hex_len(self) -> usize {
        match self {
            Algo::Md5 => 32,
            Algo::Sha1 => 40,
            Algo::Sha224 => 56,
            Algo::Sha256 => 64,
            Algo::Sha384 => 96,
            Algo::Sha512 => 128,
            Algo::Blake2b(n) => 2 * n,
        }
    }

    fn hasher(self) -> Hasher {
        match self {
            Algo::Md5 => Hasher::Md5(Md5::new()),
            Algo::Sha1 => Hasher::Sha1(Sha1::new()),
            Algo::Sha224 => Hasher::Sha224(Sha224::new()),
            Algo::Sha256 => Hasher::Sha256(Sha256::new()),
            Algo::Sha384 => Hasher::Sha384(Sha384::new()),
            Algo::Sha512 => Hasher::Sha512(Sha512::new()),
            Algo::Blake2b(n) => Hasher::Blake2b(Blake2b::new(n)),
        }
    }
}

/// A running digest of one of the supported algorithms.
enum Hasher {
    Md5(Md5),
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
    Blake2b(Blake2b),
}

impl Hasher {
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
            Hasher::Blake2b(h) => h.update(data),
        }
    }

    fn hex(self) -> String {
        let bytes: Vec<u8> = match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::Blake2b(h) => h.finalize(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

pub struct Checksum(pub Algo);

const SPEC: OptSpec = OptSpec {
    short: "bctwz",
    long: &[
        flag("binary", "b"),
        flag("check", "c"),
        flag("ignore-missing", "ignore-missing"),
        flag("quiet", "quiet"),
        flag("status", "status"),
        flag("strict", "strict"),
        flag("tag", "tag"),
        flag("text", "t"),
        flag("warn", "w"),
        flag("zero", "z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// `b2sum` takes `-l, --length=BITS` besides the common options.
const B2_SPEC: OptSpec = OptSpec {
    short: "bcl:twz",
    long: &[
        flag("binary", "b"),
        flag("check", "c"),
        flag("ignore-missing", "ignore-missing"),
        LongOpt {
            name: "length",
            has_arg: HasArg::Required,
            key: "l",
        },
        flag("quiet", "quiet"),
        flag("status", "status"),
        flag("strict", "strict"),
        flag("tag", "tag"),
        flag("text", "t"),
        flag("warn", "w"),
        flag("zero", "z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Options of check mode (`-c`).
#[derive(Default)]
struct CheckOpts {
    ignore_missing: bool,
    quiet: bool,
    status: bool,
    strict: bool,
    warn: bool,
}

/// Hashes everything `reader` yields, chunk by chunk.
async fn digest(algo: Algo, reader: &mut Reader) -> io::Result<String> {
    let mut h = algo.hasher();
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        h.update(chunk);
        reader.consume(n);
    }
    Ok(h.hex())
}

/// Opens and hashes one operand; errors are returned for the caller to report.
async fn digest_operand(
    ctx: &mut CommandContext,
    algo: Algo,
    operand: &str,
) -> Result<String, FsError> {
    if operand.is_empty() {
        return Err(FsError::not_found());
    }
    let mut reader = open_operand(ctx, operand).await?;
    digest(algo, &mut reader).await.map_err(FsError::from)
}

/// GNU escapes `\` and newline in printed names and flags the line with a leading `\`.
fn escape_name(name: &str) -> (bool, String) {
    if !name.contains(['\\', '\n']) {
        return (false, name.to_string());
    }
    (true, name.replace('\\', "\\\\").replace('\n', "\\n"))
}

/// Undoes `escape_name`; `None` for an invalid escape.
fn unescape_name(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut it = name.iter();
    while let Some(&b) = it.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match it.next() {
            Some(b'\\') => out.push(b'\\'),
            Some(b'n') => out.push(b'\n'),
            _ => return None,
        }
    }
    Some(out)
}

/// Prints one digest line in the default or `--tag` format.
async fn print_sum(
    ctx: &mut CommandContext,
    algo: Algo,
    tag: bool,
    binary: bool,
    operand: &str,
    hex: &str,
) -> io::Result<()> {
    let (escaped, name) = escape_name(operand);
    let prefix = if escaped { "\\" } else { "" };
    let line = if tag {
        format!("{prefix}{} ({name}) = {hex}\n", algo.tag())
    } else {
        let mark = if binary { '*' } else { ' ' };
        format!("{prefix}{hex} {mark}{name}\n")
    };
    ctx.stdout.write_all(line.as_bytes()).await
}

/// Parses one check-file line into (algorithm, expected hex, file name); the algorithm differs
/// from `algo` only in the digest length of a BLAKE2b line.
fn parse_check_line(algo: Algo, line: &[u8]) -> Option<(Algo, String, Vec<u8>)> {
    let mut line = line;
    while let Some((&b, rest)) = line.split_first() {
        if b == b' ' || b == b'\t' {
            line = rest;
        } else {
            break;
        }
    }
    let escaped = line.first() == Some(&b'\\');
    if escaped {
        line = &line[1..];
    }
    let (algo, hex, name) = parse_tagged(algo, line).or_else(|| parse_untagged(algo, line))?;
    let name = if escaped {
        unescape_name(name)?
    } else {
        name.to_vec()
    };
    if name.is_empty() {
        return None;
    }
    Some((algo, hex.to_ascii_lowercase(), name))
}

/// `ALGO (name) = hex` (`BLAKE2b-BITS (name) = hex` for a shorter BLAKE2b digest).
fn parse_tagged(algo: Algo, line: &[u8]) -> Option<(Algo, String, &[u8])> {
    let (algo, rest) = if let Algo::Blake2b(_) = algo {
        let rest = line.strip_prefix(b"BLAKE2b")?;
        match rest.strip_prefix(b"-") {
            None => (Algo::Blake2b(64), rest),
            Some(r) => {
                let digits = r.iter().take_while(|b| b.is_ascii_digit()).count();
                let bits: usize = std::str::from_utf8(&r[..digits]).ok()?.parse().ok()?;
                if bits == 0 || !bits.is_multiple_of(8) || bits > 512 {
                    return None;
                }
                (Algo::Blake2b(bits / 8), &r[digits..])
            }
        }
    } else {
        (algo, line.strip_prefix(algo.tag().as_bytes())?)
    };
    let rest = rest.strip_prefix(b" (")?;
    let close = rest.windows(4).rposition(|w| w == b") = ")?;
    let name = &rest[..close];
    let hex = &rest[close + 4..];
    valid_hex(algo, hex).then(|| (algo, String::from_utf8_lossy(hex).into_owned(), name))
}

/// `hex  name` or `hex *name`; a BLAKE2b digest is as long as its hex digits say.
fn parse_untagged(algo: Algo, line: &[u8]) -> Option<(Algo, String, &[u8])> {
    let algo = match algo {
        Algo::Blake2b(_) => {
            let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
            if digits == 0 || digits % 2 != 0 || digits > 128 {
                return None;
            }
            Algo::Blake2b(digits / 2)
        }
        other => other,
    };
    let n = algo.hex_len();
    if line.len() < n + 2 {
        return None;
    }
    let (hex, rest) = line.split_at(n);
    if !valid_hex(algo, hex) || rest[0] != b' ' || !matches!(rest[1], b' ' | b'*') {
        return None;
    }
    Some((algo, String::from_utf8_lossy(hex).into_owned(), &rest[2..]))
}

fn valid_hex(algo: Algo, hex: &[u8]) -> bool {
    hex.len() == algo.hex_len() && hex.iter().all(u8::is_ascii_hexdigit)
}

/// Counters reported as warnings at the end of checking one file.
#[derive(Default)]
struct Tally {
    ok_lines: u64,
    bad_format: u64,
    mismatched: u64,
    unreadable: u64,
    matched_any: bool,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("WARNING: {n} {one}")
    } else {
        format!("WARNING: {n} {many}")
    }
}

/// Checks every line of one checksum list; returns true when it all verified.
async fn check_file(
    ctx: &mut CommandContext,
    algo: Algo,
    opts: &CheckOpts,
    list: &str,
) -> io::Result<bool> {
    let shown = if list == "-" {
        "standard input".to_string()
    } else {
        list.to_string()
    };
    let mut reader = match if list.is_empty() {
        Err(FsError::not_found())
    } else {
        open_operand(ctx, list).await
    } {
        Ok(r) => r,
        Err(e) => {
            ctx.error(format!("{}: {e}", shell_quote(&shown, false)))
                .await?;
            return Ok(false);
        }
    };
    let mut tally = Tally::default();
    let mut buf = Vec::new();
    let mut lineno = 0u64;
    while read_line(&mut reader, &mut buf).await? {
        lineno += 1;
        let mut line: &[u8] = &buf;
        line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.first() == Some(&b'#') {
            continue;
        }
        let Some((line_algo, hex, name)) = parse_check_line(algo, line) else {
            tally.bad_format += 1;
            if opts.warn {
                let msg = format!(
                    "{}: {lineno}: improperly formatted {} checksum line",
                    shell_quote(&shown, false),
                    algo.tag()
                );
                ctx.error(msg).await?;
            }
            continue;
        };
        tally.ok_lines += 1;
        check_one(ctx, line_algo, opts, &hex, &name, &mut tally).await?;
    }
    finish_check(ctx, opts, &shown, &tally).await
}

/// Verifies one listed file and prints its result line.
async fn check_one(
    ctx: &mut CommandContext,
    algo: Algo,
    opts: &CheckOpts,
    hex: &str,
    name: &[u8],
    tally: &mut Tally,
) -> io::Result<()> {
    let name = String::from_utf8_lossy(name).into_owned();
    // Result lines escape a name only when it holds a newline (coreutils 9.1).
    let (escaped, shown) = if name.contains('\n') {
        escape_name(&name)
    } else {
        (false, name.clone())
    };
    let prefix = if escaped { "\\" } else { "" };
    match digest_operand(ctx, algo, &name).await {
        Err(e) => {
            if opts.ignore_missing && e.kind == mirage_core::ErrorKind::NotFound {
                return Ok(());
            }
            if !opts.status {
                ctx.stdout.flush().await?;
                ctx.error(format!("{}: {e}", shell_quote(&name, false)))
                    .await?;
                let line = format!("{prefix}{shown}: FAILED open or read\n");
                ctx.stdout.write_all(line.as_bytes()).await?;
            }
            tally.unreadable += 1;
        }
        Ok(actual) => {
            tally.matched_any = true;
            let ok = actual == hex;
            if !ok {
                tally.mismatched += 1;
            }
            if !(opts.status || ok && opts.quiet) {
                let word = if ok { "OK" } else { "FAILED" };
                let line = format!("{prefix}{shown}: {word}\n");
                ctx.stdout.write_all(line.as_bytes()).await?;
            }
        }
    }
    Ok(())
}

/// Prints the end-of-list warnings and decides the list's verdict.
async fn finish_check(
    ctx: &mut CommandContext,
    opts: &CheckOpts,
    shown: &str,
    tally: &Tally,
) -> io::Result<bool> {
    if tally.ok_lines == 0 {
        ctx.stdout.flush().await?;
        let msg = format!(
            "{}: no properly formatted checksum lines found",
            shell_quote(shown, false)
        );
        ctx.error(msg).await?;
        return Ok(false);
    }
    if !opts.status {
        ctx.stdout.flush().await?;
        if tally.bad_format > 0 {
            let msg = plural(
                tally.bad_format,
                "line is improperly formatted",
                "lines are improperly formatted",
            );
            ctx.error(msg).await?;
        }
        if tally.unreadable > 0 {
            let msg = plural(
                tally.unreadable,
                "listed file could not be read",
                "listed files could not be read",
            );
            ctx.error(msg).await?;
        }
        if tally.mismatched > 0 {
            let msg = plural(
                tally.mismatched,
                "computed checksum did NOT match",
                "computed checksums did NOT match",
            );
            ctx.error(msg).await?;
        }
        if opts.ignore_missing && !tally.matched_any {
            ctx.error(format!("{shown}: no file was verified")).await?;
        }
    }
    Ok(tally.mismatched == 0
        && tally.unreadable == 0
        && !(opts.strict && tally.bad_format > 0)
        && (!opts.ignore_missing || tally.matched_any))
}

/// Refuses options Mirage does not implement; returns the status when refused.
async fn refuse(ctx: &mut CommandContext, parsed: &Parsed) -> io::Result<Option<i32>> {
    for (key, shown) in [("help", "--help"), ("version", "--version"), ("z", "-z")] {
        if parsed.has(key) {
            return unsupported(ctx, shown).await.map(Some);
        }
    }
    Ok(None)
}

/// Prints GNU's complaint about an option that only makes sense in one mode.
async fn misuse(ctx: &mut CommandContext, msg: &str) -> io::Result<i32> {
    crate::commands::common::usage_error(ctx, msg, 1).await
}

#[async_trait]
impl Command for Checksum {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut algo = self.0;
        let spec = if let Algo::Blake2b(_) = algo {
            &B2_SPEC
        } else {
            &SPEC
        };
        let parsed = match parse_opts(ctx, spec, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(v) = parsed.last("l") {
            match blake2b_length(v) {
                Ok(0) => {}
                Ok(bytes) => algo = Algo::Blake2b(bytes),
                Err(second) => {
                    ctx.error(format!("invalid length: \u{2018}{v}\u{2019}"))
                        .await?;
                    if let Some(msg) = second {
                        ctx.error(msg).await?;
                    }
                    return Ok(1);
                }
            }
        }
        if let Some(status) = refuse(ctx, &parsed).await? {
            return Ok(status);
        }
        let check = parsed.has("c");
        let opts = CheckOpts {
            ignore_missing: parsed.has("ignore-missing"),
            quiet: parsed.has("quiet"),
            status: parsed.has("status"),
            strict: parsed.has("strict"),
            warn: parsed.has("w"),
        };
        if check && parsed.has("tag") {
            return misuse(
                ctx,
                "the --tag option is meaningless when verifying checksums",
            )
            .await;
        }
        if !check {
            for (key, name) in [
                ("ignore-missing", "--ignore-missing"),
                ("quiet", "--quiet"),
                ("status", "--status"),
                ("strict", "--strict"),
                ("w", "--warn"),
            ] {
                if parsed.has(key) {
                    let msg =
                        format!("the {name} option is meaningful only when verifying checksums");
                    return misuse(ctx, &msg).await;
                }
            }
        }
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands.clone()
        };
        let mut ok = true;
        for operand in &operands {
            if check {
                ok &= check_file(ctx, algo, &opts, operand).await?;
                continue;
            }
            match digest_operand(ctx, algo, operand).await {
                Ok(hex) => {
                    let binary = last_mode_is_binary(&parsed);
                    print_sum(ctx, algo, parsed.has("tag"), binary, operand, &hex).await?;
                }
                Err(e) => {
                    ctx.stdout.flush().await?;
                    ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                        .await?;
                    ok = false;
                }
            }
        }
        Ok(if ok { 0 } else { 1 })
    }
}

/// Parses `b2sum -l BITS` into bytes (0 = the default 512 bits). On error, the message GNU
/// prints after `invalid length: 'BITS'`, if any.
fn blake2b_length(v: &str) -> Result<usize, Option<&'static str>> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(None);
    }
    let bits: u128 = v.parse().map_err(|_| None)?;
    if !bits.is_multiple_of(8) {
        return Err(Some("length is not a multiple of 8"));
    }
    if bits > 512 {
        return Err(Some(
            "maximum digest length for \u{2018}BLAKE2b\u{2019} is 512 bits",
        ));
    }
    Ok((bits / 8) as usize)
}

/// `-b` and `-t` override each other; the last one wins.
fn last_mode_is_binary(parsed: &Parsed) -> bool {
    parsed
        .opts
        .iter()
        .rev()
        .find(|o| o.key == "b" || o.key == "t")
        .is_some_and(|o| o.key == "b")
}

#[cfg(test)]
mod tests {
    use crate::commands::fileutils::test_support::run;

    #[tokio::test]
    async fn sums_files_and_stdin() {
        let files: &[(&str, &[u8])] = &[("a", b"hello\n"), ("d/", b"")];
        let c = run(files, &["md5sum", "a", "-", "d", "nope"], b"hello\n").await;
        assert_eq!(
            c.out(),
            "b1946ac92492d2347c6235b4d2611184  a\nb1946ac92492d2347c6235b4d2611184  -\n"
        );
        assert_eq!(
            c.err(),
            "md5sum: d: Is a directory\nmd5sum: nope: No such file or directory\n"
        );
        assert_eq!(c.status, 1);
        let c = run(files, &["sha256sum", "-b", "a"], b"").await;
        assert_eq!(
            c.out(),
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 *a\n"
        );
        let c = run(files, &["md5sum", "--tag", "a"], b"").await;
        assert_eq!(c.out(), "MD5 (a) = b1946ac92492d2347c6235b4d2611184\n");
    }

    #[tokio::test]
    async fn check_mode() {
        let sums =
            b"b1946ac92492d2347c6235b4d2611184  a\n9dd4e461268c8034f5c8564e155c67a6  b\nbad\n";
        let files: &[(&str, &[u8])] = &[("a", b"hello\n"), ("b", b"x\n"), ("sums", sums)];
        let c = run(files, &["md5sum", "-c", "sums"], b"").await;
        assert_eq!(c.out(), "a: OK\nb: FAILED\n");
        assert_eq!(
            c.err(),
            "md5sum: WARNING: 1 line is improperly formatted\nmd5sum: WARNING: 1 computed checksum did NOT match\n"
        );
        assert_eq!(c.status, 1);
        let c = run(files, &["md5sum", "-c"], b"junk\n").await;
        assert_eq!(
            c.err(),
            "md5sum: 'standard input': no properly formatted checksum lines found\n"
        );
        assert_eq!(c.status, 1);
    }
}
