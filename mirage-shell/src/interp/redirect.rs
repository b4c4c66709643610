//! Redirections: `<`, `>`, `>>`, `2>&1`, `&>`, here-documents and here-strings.
//!
//! Output redirections stream: the command writes into a bounded pipe whose other end is fed
//! to the resource's `write` by a task, so `cat big > /s3/copy` never holds the file. The target
//! is checked before the command runs (parent exists, not a directory, mount writable), as bash
//! opens it first.

use brush_parser::ast::{
    IoFileRedirectKind, IoFileRedirectTarget, IoRedirect, ProcessSubstitutionKind,
};
use mirage_core::{FsError, VPath, WriteMode, reader_stream};
use tokio::task::JoinHandle;

use super::expand;
use super::io::{Io, SharedWriter, bytes_reader};
use super::state::ShellState;

const PIPE_CAPACITY: usize = 64 * 1024;

/// A file being written by a redirection; finished after the command ends.
pub struct PendingWrite {
    writer: SharedWriter,
    task: JoinHandle<Result<u64, FsError>>,
    shown: String,
}

impl PendingWrite {
    pub fn new(
        writer: SharedWriter,
        task: JoinHandle<Result<u64, FsError>>,
        shown: impl Into<String>,
    ) -> Self {
        PendingWrite {
            writer,
            task,
            shown: shown.into(),
        }
    }

    /// Closes the pipe and waits for the backend write; returns an error line if it failed.
    pub async fn finish(self) -> Option<String> {
        self.writer.close().await;
        match self.task.await {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(format!("{}: {e}", self.shown)),
            Err(e) => Some(format!("{}: write task failed: {e}", self.shown)),
        }
    }
}

/// Finishes all pending writes, returning the messages of failed ones.
pub async fn finish_all(pending: Vec<PendingWrite>) -> Vec<String> {
    let mut errors = Vec::new();
    for p in pending {
        if let Some(e) = p.finish().await {
            errors.push(e);
        }
    }
    errors
}

async fn open_write(
    st: &ShellState,
    target: &str,
    mode: WriteMode,
    io: &Outs,
) -> Result<(SharedWriter, Option<PendingWrite>), String> {
    match target {
        "/dev/null" => return Ok((SharedWriter::sink(), None)),
        "/dev/stdout" => return Ok((io.stdout.clone(), None)),
        "/dev/stderr" => return Ok((io.stderr.clone(), None)),
        "" => return Err(": No such file or directory".to_string()),
        _ => {}
    }
    let path = st.cwd.join(target);
    let fail = |e: FsError| format!("{target}: {e}");
    // Whether the file must be created or emptied before the command runs.
    let prepare = match st.fs.stat(&path).await {
        Ok(s) if s.is_dir() => return Err(fail(FsError::is_dir())),
        Ok(s) => {
            s.kind == mirage_core::FileKind::File
                && matches!(mode, WriteMode::Truncate)
                && s.size != Some(0)
        }
        Err(e) if e.kind == mirage_core::ErrorKind::NotFound => {
            let parent: VPath = path.parent();
            match st.fs.stat(&parent).await {
                Ok(p) if p.is_dir() => {}
                Ok(_) => return Err(fail(FsError::not_dir())),
                Err(e) => return Err(fail(e)),
            }
            true
        }
        Err(e) => return Err(fail(e)),
    };
    st.fs.check_writable(&path).map_err(fail)?;
    if prepare {
        // bash opens the file before the command runs: `ls > out` lists out, and
        // `sort f > f` finds f already empty.
        st.fs
            .write(
                &path,
                mirage_core::stream_from_bytes(bytes::Bytes::new()),
                WriteMode::Truncate,
            )
            .await
            .map_err(fail)?;
    }
    let (reader, writer) = super::io::pipe(PIPE_CAPACITY);
    let fs = st.fs.clone();
    let task = tokio::spawn(async move {
        fs.write(&path, reader_stream(reader, PIPE_CAPACITY), mode)
            .await
    });
    let writer = SharedWriter::new(Box::pin(writer));
    Ok((
        writer.clone(),
        Some(PendingWrite {
            writer,
            task,
            shown: target.to_string(),
        }),
    ))
}

/// Opens `< target`, returning the reader and the file's size when known.
async fn open_read(
    st: &ShellState,
    target: &str,
) -> Result<(mirage_core::Reader, Option<u64>), String> {
    if target == "/dev/null" {
        return Ok((bytes_reader(Vec::new()), None));
    }
    let path = st.cwd.join(target);
    let size = match st.fs.stat(&path).await {
        Ok(s) if s.is_dir() => return Err(format!("{target}: Is a directory")),
        Err(e) => return Err(format!("{target}: {e}")),
        Ok(s) => s.size,
    };
    let reader = st
        .fs
        .open(&path)
        .await
        .map_err(|e| format!("{target}: {e}"))?;
    Ok((reader, size))
}

/// Highest descriptor a script can open, as in bash's `exec N>` without `{var}` forms.
/// The highest descriptor a redirection may name (bash's limit is the open-files limit).
const MAX_FD: i32 = 1023;

fn set_fd(io: &mut Io, fd: i32, w: SharedWriter) -> Result<(), String> {
    match fd {
        1 => io.stdout = w,
        2 => io.stderr = w,
        3..=MAX_FD => {
            io.fds.insert(fd, w);
        }
        other => return Err(format!("{other}: Bad file descriptor")),
    }
    Ok(())
}

/// Makes `reader` the input on `fd`: stdin, or a descriptor for `read -u` and `<&N`.
fn set_input(
    st: &ShellState,
    io: &mut Io,
    fd: i32,
    reader: mirage_core::Reader,
) -> Result<(), String> {
    match fd {
        0 => {
            io.stdin = reader;
            io.stdin_size = None;
        }
        3..=MAX_FD => st.put_in_fd(fd, reader),
        other => {
            return Err(format!(
                "{other}: input on this descriptor is not supported"
            ));
        }
    }
    Ok(())
}

fn dup_source(io: &Io, fd: &str) -> Result<SharedWriter, String> {
    match fd {
        "1" => Ok(io.stdout.clone()),
        "2" => Ok(io.stderr.clone()),
        other => other
            .parse::<i32>()
            .ok()
            .and_then(|n| io.fds.get(&n).cloned())
            .ok_or_else(|| format!("{other}: Bad file descriptor")),
    }
}

/// `N>&-`: closes an output descriptor.
fn close_fd(io: &mut Io, fd: i32) {
    match fd {
        1 => io.stdout = SharedWriter::sink(),
        2 => io.stderr = SharedWriter::sink(),
        n => {
            io.fds.remove(&n);
        }
    }
}

/// Applies `redirects` to a copy of `io`. On failure returns the message (`mirage: MSG`) and the
/// command must not run; pending writes already opened are finished by the caller anyway.
pub async fn apply(
    st: &mut ShellState,
    io: &mut Io,
    redirects: &[&IoRedirect],
    pending: &mut Vec<PendingWrite>,
) -> Result<(), String> {
    apply_keeping(st, io, redirects, pending, &mut None).await
}

/// [`apply`], given the scope's original stdin (set aside while an input redirection is
/// set up): `< /dev/stdin` takes it back instead of opening a file.
pub async fn apply_keeping(
    st: &mut ShellState,
    io: &mut Io,
    redirects: &[&IoRedirect],
    pending: &mut Vec<PendingWrite>,
    orig_stdin: &mut Option<mirage_core::Reader>,
) -> Result<(), String> {
    for r in redirects {
        if let Err(msg) = apply_one(st, io, r, pending, orig_stdin).await {
            // bash names a bad descriptor as the redirection spelled it (`$fd`).
            return Err(match r {
                IoRedirect::File(_, _, IoFileRedirectTarget::Duplicate(w))
                    if msg.ends_with(": Bad file descriptor") =>
                {
                    format!("{}: Bad file descriptor", w.value)
                }
                _ => msg,
            });
        }
    }
    Ok(())
}

async fn apply_one(
    st: &mut ShellState,
    io: &mut Io,
    r: &IoRedirect,
    pending: &mut Vec<PendingWrite>,
    orig_stdin: &mut Option<mirage_core::Reader>,
) -> Result<(), String> {
    let err = io.stderr.clone();
    match r {
        IoRedirect::File(fd, kind, target) => {
            let word = match target {
                IoFileRedirectTarget::Filename(w) => {
                    let t = expand::expand_string(st, &err, &w.value)
                        .await
                        .map_err(|e| e.message)?;
                    RedirTarget::Path(t)
                }
                IoFileRedirectTarget::Fd(n) => RedirTarget::Fd(n.to_string()),
                IoFileRedirectTarget::Duplicate(w) => {
                    let t = expand::expand_string(st, &err, &w.value)
                        .await
                        .map_err(|e| e.message)?;
                    RedirTarget::Fd(t)
                }
                IoFileRedirectTarget::ProcessSubstitution(ProcessSubstitutionKind::Read, sub)
                    if matches!(kind, IoFileRedirectKind::Read) && fd.unwrap_or(0) == 0 =>
                {
                    io.stdin = super::procsub::spawn_producer(st, &io.stderr, sub, pending);
                    return Ok(());
                }
                IoFileRedirectTarget::ProcessSubstitution(ProcessSubstitutionKind::Write, sub)
                    if matches!(
                        kind,
                        IoFileRedirectKind::Write
                            | IoFileRedirectKind::Append
                            | IoFileRedirectKind::Clobber
                    ) =>
                {
                    // `cmd > >(list)`: the command's output streams into the list.
                    let (w, pw) = super::procsub::spawn_consumer(st, (&io.stdout, &io.stderr), sub);
                    pending.push(pw);
                    set_fd(io, fd.unwrap_or(1), w)?;
                    return Ok(());
                }
                IoFileRedirectTarget::ProcessSubstitution(..) => {
                    return Err(
                        "process substitution is only supported as `< <(list)` and `> >(list)` in mirage"
                            .to_string(),
                    );
                }
            };
            if let (IoFileRedirectKind::Write, RedirTarget::Path(p)) = (kind, &word)
                && st.opts.noclobber
                && !p.starts_with("/dev/")
            {
                let path = st.cwd.join(p);
                if matches!(st.fs.stat(&path).await, Ok(s) if !s.is_dir()) {
                    return Err(format!("{p}: cannot overwrite existing file"));
                }
            }
            match (kind, word) {
                (IoFileRedirectKind::Read, RedirTarget::Path(p))
                    if (3..=MAX_FD).contains(&fd.unwrap_or(0)) =>
                {
                    // `exec 3< file`, `done 3< file`: an input descriptor for `<&3` and
                    // `read -u 3`.
                    let (reader, _) = open_read(st, &p).await?;
                    st.put_in_fd(fd.unwrap_or(0), reader);
                }
                (IoFileRedirectKind::Read, RedirTarget::Path(p))
                    if p == "/dev/stdin" && fd.unwrap_or(0) == 0 && orig_stdin.is_some() =>
                {
                    if let Some(r) = orig_stdin.take() {
                        io.stdin = r;
                    }
                }
                (IoFileRedirectKind::Read, RedirTarget::Path(p)) => {
                    if fd.unwrap_or(0) != 0 {
                        return Err(format!("{}: unsupported file descriptor", fd.unwrap_or(0)));
                    }
                    let (reader, size) = open_read(st, &p).await?;
                    io.stdin = reader;
                    io.stdin_size = size;
                }
                (IoFileRedirectKind::Write | IoFileRedirectKind::Clobber, RedirTarget::Path(p)) => {
                    let (w, pw) = open_write(st, &p, WriteMode::Truncate, &outs(io)).await?;
                    pending.extend(pw);
                    set_fd(io, fd.unwrap_or(1), w)?;
                }
                (IoFileRedirectKind::Append, RedirTarget::Path(p)) => {
                    let (w, pw) = open_write(st, &p, WriteMode::Append, &outs(io)).await?;
                    pending.extend(pw);
                    set_fd(io, fd.unwrap_or(1), w)?;
                }
                (IoFileRedirectKind::DuplicateOutput, RedirTarget::Fd(src))
                | (IoFileRedirectKind::DuplicateOutput, RedirTarget::Path(src)) => {
                    if src == "-" {
                        close_fd(io, fd.unwrap_or(1));
                    } else if src.chars().all(|c| c.is_ascii_digit()) {
                        let w = dup_source(io, &src)?;
                        set_fd(io, fd.unwrap_or(1), w)?;
                    } else {
                        // `>& file` means both outputs to the file.
                        let (w, pw) = open_write(st, &src, WriteMode::Truncate, &outs(io)).await?;
                        pending.extend(pw);
                        io.stdout = w.clone();
                        io.stderr = w;
                    }
                }
                (IoFileRedirectKind::DuplicateInput, RedirTarget::Fd(src))
                | (IoFileRedirectKind::DuplicateInput, RedirTarget::Path(src)) => {
                    let target = fd.unwrap_or(0);
                    if src == "-" {
                        // `exec 3<&-` closes an input descriptor.
                        if target == 0 {
                            io.stdin = super::io::empty_reader();
                        } else if st.take_in_fd(target).is_none() && target > 2 {
                            io.fds.remove(&target);
                        }
                    } else if src == "0" && target == 0 {
                    } else if let Ok(n) = src.parse::<i32>()
                        && target == 0
                        && (3..=MAX_FD).contains(&n)
                    {
                        // `cmd <&3`: the descriptor's reader is lent as stdin and handed
                        // back when the command ends (see `Redirected::end`).
                        let Some(reader) = st.take_in_fd(n) else {
                            return Err(format!("{n}: Bad file descriptor"));
                        };
                        io.stdin = reader;
                        io.stdin_size = None;
                    } else {
                        return Err(format!("{src}: Bad file descriptor"));
                    }
                }
                (IoFileRedirectKind::ReadAndWrite, _) => {
                    return Err("<>: read-write redirection is not supported by mirage".to_string());
                }
                (_, RedirTarget::Fd(n)) => return Err(format!("{n}: Bad file descriptor")),
            }
        }
        IoRedirect::OutputAndError(w, append) => {
            let t = expand::expand_string(st, &err, &w.value)
                .await
                .map_err(|e| e.message)?;
            let mode = if *append {
                WriteMode::Append
            } else {
                WriteMode::Truncate
            };
            let (w, pw) = open_write(st, &t, mode, &outs(io)).await?;
            pending.extend(pw);
            io.stdout = w.clone();
            io.stderr = w;
        }
        IoRedirect::HereString(fd, w) => {
            let mut t = expand::expand_string(st, &err, &w.value)
                .await
                .map_err(|e| e.message)?;
            t.push('\n');
            set_input(st, io, fd.unwrap_or(0), bytes_reader(t.into_bytes()))?;
        }
        IoRedirect::HereDocument(fd, doc) => {
            let mut body = doc.doc.value.clone();
            if doc.remove_tabs {
                body = body
                    .split_inclusive('\n')
                    .map(|l| l.trim_start_matches('\t'))
                    .collect();
            }
            if doc.requires_expansion {
                body = expand::expand_heredoc(st, &err, &body)
                    .await
                    .map_err(|e| e.message)?;
            }
            set_input(st, io, fd.unwrap_or(0), bytes_reader(body.into_bytes()))?;
        }
    }
    Ok(())
}

/// The two outputs of a scope, cloned so no borrow of the (non-Sync) stdin crosses an await.
struct Outs {
    stdout: SharedWriter,
    stderr: SharedWriter,
}

fn outs(io: &Io) -> Outs {
    Outs {
        stdout: io.stdout.clone(),
        stderr: io.stderr.clone(),
    }
}

enum RedirTarget {
    Path(String),
    Fd(String),
}

/// The descriptor a redirection assigns.
pub fn target_fd(r: &IoRedirect) -> i32 {
    match r {
        IoRedirect::File(fd, IoFileRedirectKind::Read | IoFileRedirectKind::DuplicateInput, _) => {
            fd.unwrap_or(0)
        }
        IoRedirect::File(fd, _, _) => fd.unwrap_or(1),
        IoRedirect::HereString(fd, _) | IoRedirect::HereDocument(fd, _) => fd.unwrap_or(0),
        IoRedirect::OutputAndError(..) => 1,
    }
}

/// Takes the pending `exec` writes on `fd` (all of them when `fd` is None).
pub fn take_exec_writes(st: &ShellState, fd: Option<i32>) -> Vec<PendingWrite> {
    let Ok(mut list) = st.exec_writes.lock() else {
        return Vec::new();
    };
    let (taken, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut *list)
        .into_iter()
        .partition(|(n, _)| fd.is_none_or(|f| f == *n));
    *list = kept;
    taken.into_iter().map(|(_, p)| p).collect()
}

/// `exec` without a command: its redirections change the current streams for the rest of
/// the line.
pub async fn apply_exec(
    st: &mut ShellState,
    io: &mut Io,
    redirects: &[&IoRedirect],
) -> Result<(), String> {
    for r in redirects {
        let fd = target_fd(r);
        // Reopening or closing a descriptor completes what was written to it before.
        let mut errors = finish_all(take_exec_writes(st, Some(fd))).await;
        if let Some(e) = errors.pop() {
            return Err(e);
        }
        let mut pending = Vec::new();
        let r = apply(st, io, &[*r], &mut pending).await;
        st.exec_fds = io.fds.clone();
        r?;
        if let Ok(mut list) = st.exec_writes.lock() {
            list.extend(pending.into_iter().map(|p| (fd, p)));
        }
    }
    Ok(())
}
