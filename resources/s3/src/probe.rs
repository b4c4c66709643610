//! Finding out what a path is: HeadObject for a file, a one-key listing for a directory, and
//! the POSIX answers for missing paths (`Not a directory` when an ancestor is a file).

use std::time::SystemTime;

use mirage_core::{ErrorKind, FileStat, FsError, FsResult, VPath};

use crate::Inner;
use crate::error::{classify, fs_err};

impl Inner {
    /// The stat of the object `key`, or `None` when there is none.
    pub(crate) async fn head(&self, key: &str) -> FsResult<Option<FileStat>> {
        let res = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await;
        match res {
            Ok(out) => {
                let mut st = FileStat::file(out.content_length().unwrap_or(0).max(0) as u64);
                st.modified = out.last_modified().and_then(to_system_time);
                st.fingerprint = out.e_tag().map(str::to_string);
                Ok(Some(st))
            }
            Err(e) => {
                let f = classify(&self.label, "HeadObject", e);
                if f.is_not_found() {
                    Ok(None)
                } else {
                    Err(f.error)
                }
            }
        }
    }

    /// Whether any key starts with `prefix` (a directory, with or without a marker).
    pub(crate) async fn prefix_exists(&self, prefix: &str) -> FsResult<bool> {
        let out = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            // The response echoes the prefix; URL-encoded, it survives control characters.
            .encoding_type(aws_sdk_s3::types::EncodingType::Url)
            .max_keys(1)
            .send()
            .await
            .map_err(|e| fs_err(&self.label, "ListObjectsV2", e))?;
        Ok(out.key_count().unwrap_or(0) > 0 || !out.contents().is_empty())
    }

    /// A cheap request that fails the way every other would when the bucket is missing or the
    /// credentials are wrong, so `stat /mount` reports it.
    pub(crate) async fn check_bucket(&self) -> FsResult<()> {
        let mut req = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .encoding_type(aws_sdk_s3::types::EncodingType::Url)
            .max_keys(1);
        if !self.prefix.is_empty() {
            req = req.prefix(&self.prefix);
        }
        req.send()
            .await
            .map(|_| ())
            .map_err(|e| fs_err(&self.label, "ListObjectsV2", e))
    }

    /// What `path` (not the root) is: a file (an object wins over a same-named prefix), a
    /// directory, or nothing.
    pub(crate) async fn lookup(&self, path: &VPath) -> FsResult<Option<FileStat>> {
        let key = self.key(path);
        let dir = self.dir_prefix(path);
        let (file, is_dir) = tokio::join!(self.head(&key), self.prefix_exists(&dir));
        if let Some(st) = file? {
            return Ok(Some(st));
        }
        Ok(if is_dir? { Some(FileStat::dir()) } else { None })
    }

    /// The error for a path found to be missing: `Not a directory` if some ancestor is a file,
    /// `No such file or directory` otherwise (or whatever the probes ran into).
    pub(crate) async fn missing(&self, path: &VPath) -> FsError {
        let mut ancestors = Vec::new();
        let mut cur = path.parent();
        while !cur.is_root() {
            ancestors.push(cur.clone());
            cur = cur.parent();
        }
        let probes = ancestors.iter().map(|a| {
            let key = self.key(a);
            async move { self.head(&key).await }
        });
        for r in futures::future::join_all(probes).await {
            match r {
                Ok(Some(_)) => return FsError::not_dir(),
                Ok(None) => {}
                Err(e) => return e,
            }
        }
        FsError::not_found()
    }

    /// The parent of `path` must be an existing directory (ENOENT / ENOTDIR otherwise).
    pub(crate) async fn require_parent(&self, path: &VPath) -> FsResult<()> {
        let parent = path.parent();
        if parent.is_root() {
            return Ok(());
        }
        // A directory is the common case: one listing answers it.
        if self.prefix_exists(&self.dir_prefix(&parent)).await? {
            return Ok(());
        }
        match self.head(&self.key(&parent)).await? {
            Some(_) => Err(FsError::not_dir()),
            None => Err(match self.missing(&parent).await {
                e if e.kind == ErrorKind::NotADirectory => e,
                e if e.kind == ErrorKind::NotFound => FsError::not_found(),
                e => e,
            }),
        }
    }
}

pub(crate) fn to_system_time(t: &aws_sdk_s3::primitives::DateTime) -> Option<SystemTime> {
    SystemTime::try_from(*t).ok()
}
