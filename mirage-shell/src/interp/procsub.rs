//! Process substitution: `<(list)` and `>(list)` as arguments and redirections.
//!
//! `cmd <(list)`: the list runs first and its output is served as a read-only file under
//! `/dev/fd/` for the duration of the command, through an extra mount on a copy of the mount
//! table. Unlike bash's pipe, the output is held in memory, so this form suits the usual small
//! inputs (`diff <(sort a) <(sort b)`); `cmd < <(list)` streams.
//!
//! `cmd < <(list)` and `cmd > >(list)` stream through a pipe to or from a list running
//! alongside the command.
//!
//! `cmd >(list)`: the list starts at once, reading a pipe; whatever the command writes to the
//! `/dev/fd/` file streams into it. The pipe is closed and the list awaited when the command
//! ends, so the list's output follows the command's (bash leaves that order to chance).

use std::collections::BTreeMap;
use std::sync::Arc;

use brush_parser::ast::SubshellCommand;
use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, Capabilities, DirEntry, FileStat, FsError, FsResult, MountMode,
    MountTable, Resource, VPath, WriteMode, async_trait, stream_from_bytes,
};
use tokio::io::AsyncWriteExt;

use super::io::{Io, SharedWriter};
use super::redirect::{PendingWrite, finish_all};
use super::run::PIPE_CAPACITY;
use super::state::ShellState;

/// Where substituted outputs appear.
pub const DEV_FD: &str = "/dev/fd";

/// One `/dev/fd/N` file of a command.
enum ProcFile {
    /// `<(list)`: the list's whole output.
    Output(bytes::Bytes),
    /// `>(list)`: the writing end of the list's input pipe.
    Input(SharedWriter),
}

/// The process substitutions of one command, by file name (`63`, `62`, ...), and the `>(list)`
/// lists still running.
#[derive(Default)]
pub struct ProcFiles {
    files: BTreeMap<String, ProcFile>,
    count: usize,
    consumers: Vec<PendingWrite>,
}

impl ProcFiles {
    /// Adds the output of a `<(list)` and returns the path the command sees.
    pub fn add(&mut self, data: Vec<u8>) -> String {
        self.insert(ProcFile::Output(data.into()))
    }

    /// Starts a `>(list)` and returns the path the command writes to.
    pub fn add_consumer(
        &mut self,
        st: &ShellState,
        outs: (&SharedWriter, &SharedWriter),
        sub: &SubshellCommand,
    ) -> String {
        let (writer, pending) = spawn_consumer(st, outs, sub);
        self.consumers.push(pending);
        self.insert(ProcFile::Input(writer))
    }

    fn insert(&mut self, file: ProcFile) -> String {
        // bash counts down from 63.
        let name = (63 - self.count).to_string();
        self.count += 1;
        self.files.insert(name.clone(), file);
        format!("{DEV_FD}/{name}")
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A copy of `table` with these files mounted at `/dev/fd`.
    pub fn mount_on(&mut self, table: &MountTable) -> Result<MountTable, String> {
        let mut t = table.clone();
        t.add(
            VPath::new(DEV_FD),
            Arc::new(ProcFilesResource(std::mem::take(&mut self.files))),
            MountMode::Write,
        )?;
        Ok(t)
    }

    /// Closes the `>(list)` pipes and waits for their lists, once the command has ended.
    pub async fn finish(self) {
        finish_all(self.consumers).await;
    }
}

/// `cmd < <(list)`: starts `list` in a subshell writing into a new pipe, and returns its
/// reading end. The list is awaited with the command's other pending work when it ends.
pub fn spawn_producer(
    st: &ShellState,
    stderr: &SharedWriter,
    sub: &SubshellCommand,
    pending: &mut Vec<PendingWrite>,
) -> mirage_core::Reader {
    let (reader, writer) = super::io::pipe(PIPE_CAPACITY);
    let writer = SharedWriter::new(Box::pin(writer));
    let mut sub_state = st.subshell();
    let mut sub_io = Io {
        stdin_size: None,
        fds: Default::default(),
        stdin: super::io::empty_reader(),
        stdout: writer.clone(),
        stderr: stderr.clone(),
    };
    let list = sub.list.clone();
    let producer_out = writer.clone();
    let task = tokio::spawn(async move {
        let _ = super::run::exec_list(&mut sub_state, &mut sub_io, &list).await;
        producer_out.close().await;
        Ok(0)
    });
    pending.push(PendingWrite::new(writer, task, "<(...)"));
    Box::pin(tokio::io::BufReader::with_capacity(PIPE_CAPACITY, reader))
}

/// Starts `list` in a subshell reading from a new pipe, with the scope's current outputs `(stdout,
/// stderr)` (a
/// `>(list)` is set up before the command's own redirections). Returns the pipe's writing end
/// and the work that closes it and waits for the list.
pub fn spawn_consumer(
    st: &ShellState,
    (stdout, stderr): (&SharedWriter, &SharedWriter),
    sub: &SubshellCommand,
) -> (SharedWriter, PendingWrite) {
    let (reader, writer) = super::io::pipe(PIPE_CAPACITY);
    let writer = SharedWriter::new(Box::pin(writer));
    let mut sub_state = st.subshell();
    sub_state.stdin_slot = None;
    let mut sub_io = Io {
        stdin_size: None,
        fds: Default::default(),
        stdin: Box::pin(tokio::io::BufReader::with_capacity(PIPE_CAPACITY, reader)),
        stdout: stdout.clone(),
        stderr: stderr.clone(),
    };
    let list = sub.list.clone();
    let task = tokio::spawn(async move {
        let _ = super::run::exec_list(&mut sub_state, &mut sub_io, &list).await;
        Ok(0)
    });
    let pending = PendingWrite::new(writer.clone(), task, ">(...)");
    (writer, pending)
}

struct ProcFilesResource(BTreeMap<String, ProcFile>);

impl ProcFilesResource {
    fn file(&self, path: &VPath) -> FsResult<&ProcFile> {
        let mut parts = path.components();
        let first = parts.next().and_then(|n| self.0.get(n));
        match (first, parts.next()) {
            (Some(file), None) => Ok(file),
            // `/dev/fd/63/x`: the substitution is not a directory.
            (Some(_), Some(_)) => Err(FsError::not_dir()),
            (None, _) => Err(FsError::not_found()),
        }
    }
}

#[async_trait]
impl Resource for ProcFilesResource {
    fn kind(&self) -> &str {
        "procsub"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            ranged_read: true,
            write: true,
            append: true,
            ..Capabilities::read_only()
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        if path.is_root() {
            return Ok(FileStat::dir());
        }
        Ok(FileStat::file(self.file(path)?.len()))
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        if !path.is_root() {
            return Err(FsError::not_dir());
        }
        Ok(self
            .0
            .iter()
            .map(|(n, d)| DirEntry {
                name: n.clone(),
                stat: FileStat::file(d.len()),
            })
            .collect())
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let ProcFile::Output(data) = self.file(path)? else {
            return Err(FsError::permission_denied());
        };
        let len = data.len() as u64;
        let (start, end) = match range {
            Some(r) => (r.start.min(len), r.end.unwrap_or(len).min(len)),
            None => (0, len),
        };
        Ok(stream_from_bytes(
            data.slice(start as usize..end.max(start) as usize),
        ))
    }

    /// Writing to a `>(list)` file streams into the list's input.
    async fn write(&self, path: &VPath, mut data: ByteStream, _mode: WriteMode) -> FsResult<u64> {
        let ProcFile::Input(pipe) = self.file(path)? else {
            return Err(FsError::permission_denied());
        };
        let mut pipe = pipe.clone();
        let mut written = 0u64;
        while let Some(chunk) = data.next().await {
            let chunk = chunk?;
            pipe.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        pipe.flush().await?;
        Ok(written)
    }
}

impl ProcFile {
    fn len(&self) -> u64 {
        match self {
            ProcFile::Output(data) => data.len() as u64,
            ProcFile::Input(_) => 0,
        }
    }
}
