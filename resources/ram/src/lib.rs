//! `ram`: a read-write tree held in memory. The reference resource: every operation, instant,
//! and gone when the process ends.
//!
//! ```
//! use mirage_resource_ram::RamResource;
//! let ram = RamResource::new();
//! # let _ = ram;
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, ErrorKind, FileStat, FsError,
    FsResult, Resource, ResourceFactory, VPath, WriteMode, async_trait, stream_from_bytes,
};

#[derive(Clone)]
enum Node {
    File {
        data: Bytes,
        modified: SystemTime,
        version: u64,
    },
    Dir {
        modified: SystemTime,
    },
}

/// The in-memory tree. Paths map to nodes; a directory's children are the keys one level below
/// it, which keeps rename and listing simple with a sorted map.
#[derive(Clone)]
pub struct RamResource {
    nodes: Arc<RwLock<BTreeMap<VPath, Node>>>,
    /// Permission bits set by `chmod`; paths without an entry have no mode (the commands show
    /// a local disk's defaults). Kept beside the tree so the node shapes stay simple.
    modes: Arc<RwLock<BTreeMap<VPath, u32>>>,
}

impl Default for RamResource {
    fn default() -> Self {
        Self::new()
    }
}

impl RamResource {
    pub fn new() -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert(
            VPath::root(),
            Node::Dir {
                modified: SystemTime::now(),
            },
        );
        RamResource {
            nodes: Arc::new(RwLock::new(nodes)),
            modes: Arc::new(RwLock::new(BTreeMap::new())),
        }
    }

    fn read_lock(&self) -> FsResult<std::sync::RwLockReadGuard<'_, BTreeMap<VPath, Node>>> {
        self.nodes
            .read()
            .map_err(|_| FsError::with_detail(ErrorKind::Other, "ram resource lock poisoned"))
    }

    fn mode_of(&self, path: &VPath) -> Option<u32> {
        self.modes
            .read()
            .map(|m| m.get(path).copied())
            .unwrap_or(None)
    }

    /// Applies `f` to the mode table (poisoning cannot leave it inconsistent: one insert or
    /// remove per update).
    fn with_modes(&self, f: impl FnOnce(&mut BTreeMap<VPath, u32>)) {
        let mut guard = self.modes.write().unwrap_or_else(|e| e.into_inner());
        f(&mut guard);
    }

    fn write_lock(&self) -> FsResult<std::sync::RwLockWriteGuard<'_, BTreeMap<VPath, Node>>> {
        self.nodes
            .write()
            .map_err(|_| FsError::with_detail(ErrorKind::Other, "ram resource lock poisoned"))
    }
}

fn stat_of(node: &Node) -> FileStat {
    match node {
        Node::File {
            data,
            modified,
            version,
        } => {
            let mut st = FileStat::file(data.len() as u64).with_modified(*modified);
            st.fingerprint = Some(version.to_string());
            st
        }
        Node::Dir { modified } => FileStat::dir().with_modified(*modified),
    }
}

/// The parent must exist and be a directory; otherwise ENOENT / ENOTDIR like a POSIX fs.
fn check_parent(nodes: &BTreeMap<VPath, Node>, path: &VPath) -> FsResult<()> {
    // Every ancestor must be a directory.
    let mut cur = VPath::root();
    let comps: Vec<&str> = path.components().collect();
    for comp in &comps[..comps.len().saturating_sub(1)] {
        cur = cur.child(comp);
        match nodes.get(&cur) {
            Some(Node::Dir { .. }) => {}
            Some(Node::File { .. }) => return Err(FsError::not_dir()),
            None => return Err(FsError::not_found()),
        }
    }
    Ok(())
}

fn lookup<'a>(nodes: &'a BTreeMap<VPath, Node>, path: &VPath) -> FsResult<&'a Node> {
    check_parent(nodes, path)?;
    nodes.get(path).ok_or_else(FsError::not_found)
}

fn children<'a>(
    nodes: &'a BTreeMap<VPath, Node>,
    dir: &'a VPath,
) -> impl Iterator<Item = (&'a VPath, &'a Node)> {
    subtree(nodes, dir)
        .skip(1)
        .filter(move |(p, _)| p.parent() == *dir)
}

/// `dir` and everything below it. In path order, `/a-b` and `/a.rej` sort between `/a` and
/// `/a/f` (`-` and `.` come before `/`), so the scan goes on while the text starts with `dir`
/// and keeps only the paths inside it.
fn subtree<'a>(
    nodes: &'a BTreeMap<VPath, Node>,
    dir: &'a VPath,
) -> impl Iterator<Item = (&'a VPath, &'a Node)> {
    nodes
        .range(dir.clone()..)
        .take_while(move |(p, _)| p.as_str().starts_with(dir.as_str()))
        .filter(move |(p, _)| p.starts_with(dir))
}

static VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_version() -> u64 {
    VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[async_trait]
impl Resource for RamResource {
    fn kind(&self) -> &str {
        "ram"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    /// Already in memory: a cache would only copy it.
    fn cache_hints(&self) -> CacheHints {
        CacheHints::NONE
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        let nodes = self.read_lock()?;
        let mut st = lookup(&nodes, path).map(stat_of)?;
        st.mode = self.mode_of(path);
        Ok(st)
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let nodes = self.read_lock()?;
        match lookup(&nodes, path)? {
            Node::File { .. } => Err(FsError::not_dir()),
            Node::Dir { .. } => Ok(children(&nodes, path)
                .map(|(p, n)| DirEntry {
                    name: p.file_name().unwrap_or_default().to_string(),
                    stat: FileStat {
                        mode: self.mode_of(p),
                        ..stat_of(n)
                    },
                })
                .collect()),
        }
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let nodes = self.read_lock()?;
        match lookup(&nodes, path)? {
            Node::Dir { .. } => Err(FsError::is_dir()),
            Node::File { data, .. } => {
                let data = match range {
                    None => data.clone(),
                    Some(r) => {
                        let len = data.len() as u64;
                        let start = r.start.min(len) as usize;
                        let end = r.end.unwrap_or(len).min(len).max(start as u64) as usize;
                        data.slice(start..end)
                    }
                };
                // Hand out bounded chunks so consumers see the same shape as from a real backend.
                const CHUNK: usize = 256 * 1024;
                let chunks: Vec<Result<Bytes, FsError>> = (0..data.len())
                    .step_by(CHUNK)
                    .map(|i| Ok(data.slice(i..(i + CHUNK).min(data.len()))))
                    .collect();
                if chunks.len() <= 1 {
                    return Ok(stream_from_bytes(data));
                }
                Ok(Box::pin(futures::stream::iter(chunks)))
            }
        }
    }

    async fn write(&self, path: &VPath, mut data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        {
            let nodes = self.read_lock()?;
            check_parent(&nodes, path)?;
            if let Some(Node::Dir { .. }) = nodes.get(path) {
                return Err(FsError::is_dir());
            }
        }
        // Collect first, publish after: a failed stream leaves the old content untouched.
        let mut buf = BytesMut::new();
        while let Some(chunk) = data.next().await {
            buf.extend_from_slice(&chunk?);
        }
        let written = buf.len() as u64;
        let mut nodes = self.write_lock()?;
        check_parent(&nodes, path)?;
        let new_data = match (mode, nodes.get(path)) {
            (_, Some(Node::Dir { .. })) => return Err(FsError::is_dir()),
            (WriteMode::Append, Some(Node::File { data, .. })) => {
                let mut joined = BytesMut::with_capacity(data.len() + buf.len());
                joined.extend_from_slice(data);
                joined.extend_from_slice(&buf);
                joined.freeze()
            }
            _ => buf.freeze(),
        };
        nodes.insert(
            path.clone(),
            Node::File {
                data: new_data,
                modified: SystemTime::now(),
                version: next_version(),
            },
        );
        Ok(written)
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        let mut nodes = self.write_lock()?;
        check_parent(&nodes, path)?;
        if nodes.contains_key(path) {
            return Err(FsError::exists());
        }
        nodes.insert(
            path.clone(),
            Node::Dir {
                modified: SystemTime::now(),
            },
        );
        Ok(())
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        let mut nodes = self.write_lock()?;
        match lookup(&nodes, path)? {
            Node::Dir { .. } => Err(FsError::is_dir()),
            Node::File { .. } => {
                nodes.remove(path);
                self.with_modes(|m| {
                    m.remove(path);
                });
                Ok(())
            }
        }
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::new(ErrorKind::Busy));
        }
        let mut nodes = self.write_lock()?;
        match lookup(&nodes, path)? {
            Node::File { .. } => Err(FsError::not_dir()),
            Node::Dir { .. } => {
                if children(&nodes, path).next().is_some() {
                    return Err(FsError::not_empty());
                }
                nodes.remove(path);
                self.with_modes(|m| {
                    m.remove(path);
                });
                Ok(())
            }
        }
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let mut nodes = self.write_lock()?;
        let src_is_dir = matches!(lookup(&nodes, from)?, Node::Dir { .. });
        check_parent(&nodes, to)?;
        if from == to {
            return Ok(());
        }
        if to.starts_with(from) {
            return Err(FsError::new(ErrorKind::InvalidArgument));
        }
        match nodes.get(to) {
            Some(Node::Dir { .. }) if !src_is_dir => return Err(FsError::is_dir()),
            Some(Node::File { .. }) if src_is_dir => return Err(FsError::not_dir()),
            Some(Node::Dir { .. }) if children(&nodes, to).next().is_some() => {
                return Err(FsError::not_empty());
            }
            _ => {}
        }
        let moved: Vec<VPath> = subtree(&nodes, from).map(|(p, _)| p.clone()).collect();
        for old in moved {
            if let Some(node) = nodes.remove(&old) {
                let rest = old.strip_prefix(from).unwrap_or_else(VPath::root);
                let new = if rest.is_root() {
                    to.clone()
                } else {
                    VPath::new(&format!("{}{}", to, rest))
                };
                self.with_modes(|m| {
                    if let Some(mode) = m.remove(&old) {
                        m.insert(new.clone(), mode);
                    }
                });
                nodes.insert(new, node);
            }
        }
        Ok(())
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let mut nodes = self.write_lock()?;
        let data = match lookup(&nodes, from)? {
            Node::Dir { .. } => return Err(FsError::is_dir()),
            Node::File { data, .. } => data.clone(),
        };
        check_parent(&nodes, to)?;
        if let Some(Node::Dir { .. }) = nodes.get(to) {
            return Err(FsError::is_dir());
        }
        nodes.insert(
            to.clone(),
            Node::File {
                data,
                modified: SystemTime::now(),
                version: next_version(),
            },
        );
        Ok(())
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        let nodes = self.read_lock()?;
        lookup(&nodes, path)?;
        self.with_modes(|m| {
            m.insert(path.clone(), mode & 0o7777);
        });
        Ok(())
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let mut nodes = self.write_lock()?;
        lookup(&nodes, path)?;
        match nodes.get_mut(path) {
            Some(Node::File { modified, .. }) | Some(Node::Dir { modified }) => {
                *modified = time;
                Ok(())
            }
            None => Err(FsError::not_found()),
        }
    }
}

fn build_from_config(config: &serde_json::Value) -> Result<Arc<dyn Resource>, String> {
    match config {
        serde_json::Value::Null => {}
        serde_json::Value::Object(m) if m.is_empty() => {}
        serde_json::Value::Object(m) => {
            let keys: Vec<&String> = m.keys().collect();
            return Err(format!(
                "resource `ram` takes no config keys, got: {keys:?}"
            ));
        }
        _ => return Err("resource `ram`: config must be a mapping".to_string()),
    }
    Ok(Arc::new(RamResource::new()))
}

inventory::submit! {
    ResourceFactory { name: "ram", config_keys: &[], build: build_from_config }
}
