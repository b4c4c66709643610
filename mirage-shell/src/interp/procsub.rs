//! `cmd <(list)`: process substitution as an argument. The list runs first and its output is
//! served as a read-only file under `/dev/fd/` for the duration of the command, through an
//! extra mount on a copy of the mount table. Unlike bash's pipe, the output is held in memory,
//! so this form suits the usual small inputs (`diff <(sort a) <(sort b)`); `cmd < <(list)`
//! streams.

use std::collections::BTreeMap;
use std::sync::Arc;

use mirage_core::{
    ByteRange, ByteStream, Capabilities, DirEntry, FileStat, FsError, FsResult, MountMode,
    MountTable, Resource, VPath, async_trait, stream_from_bytes,
};

/// Where substituted outputs appear.
pub const DEV_FD: &str = "/dev/fd";

/// The outputs of one command's process substitutions, by file name (`63`, `62`, ...).
#[derive(Default)]
pub struct ProcFiles {
    files: BTreeMap<String, bytes::Bytes>,
}

impl ProcFiles {
    /// Adds an output and returns the path the command sees.
    pub fn add(&mut self, data: Vec<u8>) -> String {
        // bash counts down from 63.
        let name = (63 - self.files.len()).to_string();
        self.files.insert(name.clone(), data.into());
        format!("{DEV_FD}/{name}")
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A copy of `table` with these files mounted at `/dev/fd`.
    pub fn mount_on(self, table: &MountTable) -> Result<MountTable, String> {
        let mut t = table.clone();
        t.add(
            VPath::new(DEV_FD),
            Arc::new(ProcFilesResource(self.files)),
            MountMode::Read,
        )?;
        Ok(t)
    }
}

struct ProcFilesResource(BTreeMap<String, bytes::Bytes>);

impl ProcFilesResource {
    fn file(&self, path: &VPath) -> FsResult<&bytes::Bytes> {
        path.file_name()
            .and_then(|n| self.0.get(n))
            .filter(|_| path.parent().is_root())
            .ok_or_else(FsError::not_found)
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
            ..Capabilities::read_only()
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        if path.is_root() {
            return Ok(FileStat::dir());
        }
        Ok(FileStat::file(self.file(path)?.len() as u64))
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
                stat: FileStat::file(d.len() as u64),
            })
            .collect())
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let data = self.file(path)?;
        let len = data.len() as u64;
        let (start, end) = match range {
            Some(r) => (r.start.min(len), r.end.unwrap_or(len).min(len)),
            None => (0, len),
        };
        Ok(stream_from_bytes(
            data.slice(start as usize..end.max(start) as usize),
        ))
    }
}
