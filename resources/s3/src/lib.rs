//! `s3`: a bucket (or a key prefix in it) of Amazon S3 or any S3-compatible store, mounted as a
//! read-write tree. The presets `r2`, `gcs`, `oci`, `supabase` and `minio` are the same
//! implementation with the endpoint and addressing style filled in (see [`config`]).
//!
//! ```no_run
//! use mirage_resource_s3::{S3Config, S3Resource};
//! let mut cfg = S3Config::new("my-bucket");
//! cfg.prefix = "team/".to_string();
//! let s3 = S3Resource::new(cfg);
//! # let _ = s3;
//! ```
//!
//! How a tree maps onto keys:
//! - a file `/a/b.txt` is the object `prefix + a/b.txt`;
//! - a directory is a key prefix: `/a` exists while any key starts with `prefix + a/`.
//!   Listings use `delimiter=/` and follow continuation tokens, so directories of any size list
//!   completely;
//! - `mkdir` writes an empty marker object `prefix + a/`, which keeps an empty directory alive;
//!   removing the last file of a directory writes one too, so `rm dir/*` leaves `dir` in place as
//!   it would on a disk;
//! - `rename` is server-side CopyObject + DeleteObject (for a directory: every key below it,
//!   deleted in DeleteObjects batches of 1000); `copy` is CopyObject (multipart UploadPartCopy
//!   above 5 GiB);
//! - reads stream the response body and send a `Range` header for ranged reads, so `head -c`
//!   and `tail -c` fetch only what they print;
//! - writes stream: below `multipart_threshold` one PutObject, above it a multipart upload whose
//!   parts go out as the data arrives and which is aborted on any failure, so a failed write never
//!   leaves a complete-looking object and a large copy never sits in memory. Appends re-upload
//!   the old content followed by the new (S3 has no append);
//! - the ETag is the fingerprint and LastModified the modification time; times cannot be set.
//!
//! Failed requests are retried (standard mode, 3 attempts, backoff) on 5xx, throttling and
//! connection errors. Authentication failures become `Permission denied`; the error detail
//! names the mount's bucket and endpoint.

mod client;
pub mod config;
mod error;
mod keys;
mod lister;
mod mutate;
mod probe;
mod reader;
mod writer;

use std::sync::Arc;

use mirage_core::{
    ByteRange, ByteStream, Capabilities, DirEntry, FileStat, FsError, FsResult, Resource, VPath,
    WriteMode, async_trait,
};

pub use config::S3Config;

/// A mounted bucket. Cheap to clone; clones share one client and connection pool.
#[derive(Clone)]
pub struct S3Resource {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    client: aws_sdk_s3::Client,
    bucket: String,
    /// Empty or ending in `/`.
    prefix: String,
    kind: &'static str,
    /// Names the mount in error details.
    label: String,
    multipart_threshold: u64,
    part_size: u64,
    /// Keys per listing request (S3's maximum is 1000); lowered by tests to force pagination.
    page_size: i32,
}

impl S3Resource {
    /// Builds the client; no request is sent until the first operation.
    pub fn new(cfg: S3Config) -> Self {
        S3Resource {
            inner: Arc::new(Inner {
                client: client::build_client(&cfg),
                label: cfg.label(),
                bucket: cfg.bucket,
                prefix: cfg.prefix,
                kind: cfg.kind,
                multipart_threshold: cfg.multipart_threshold,
                part_size: cfg.part_size,
                page_size: 1000,
            }),
        }
    }

    /// The SDK client, for what the Resource trait does not cover (bucket administration,
    /// bulk loads).
    pub fn client(&self) -> &aws_sdk_s3::Client {
        &self.inner.client
    }

    pub fn bucket(&self) -> &str {
        &self.inner.bucket
    }

    /// The key prefix the mount's root maps to (empty or ending in `/`).
    pub fn prefix(&self) -> &str {
        &self.inner.prefix
    }

    /// Asks for at most `n` keys per listing request (1..=1000). Only useful to exercise
    /// pagination against a small bucket; call it on a freshly built resource (a clone already
    /// shared keeps the page size it had).
    pub fn with_list_page_size(self, n: i32) -> Self {
        let n = n.clamp(1, 1000);
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.page_size = n;
                S3Resource {
                    inner: Arc::new(inner),
                }
            }
            Err(shared) => S3Resource { inner: shared },
        }
    }
}

#[async_trait]
impl Resource for S3Resource {
    fn kind(&self) -> &str {
        self.inner.kind
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            write: true,
            append: true,
            mkdir: true,
            remove: true,
            rename: true,
            copy: true,
            set_modified: false,
            ranged_read: true,
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        let s = &self.inner;
        if path.is_root() {
            s.check_bucket().await?;
            return Ok(FileStat::dir());
        }
        match s.lookup(path).await? {
            Some(st) => Ok(st),
            None => Err(s.missing(path).await),
        }
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.inner.list_dir(path).await
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        self.inner.read(path, range).await
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        self.inner.write(path, data, mode).await
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.inner.mkdir(path).await
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.inner.remove_file(path).await
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.inner.remove_dir(path).await
    }

    async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        self.inner.remove_tree(path).await
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.inner.rename(from, to).await
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.inner.copy(from, to).await
    }
}

impl Inner {
    fn key(&self, path: &VPath) -> String {
        keys::file_key(&self.prefix, path)
    }

    fn dir_prefix(&self, path: &VPath) -> String {
        keys::dir_prefix(&self.prefix, path)
    }
}

/// `Busy` for operations that would remove or replace the mount's root.
fn refuse_root(path: &VPath) -> FsResult<()> {
    if path.is_root() {
        Err(FsError::new(mirage_core::ErrorKind::Busy))
    } else {
        Ok(())
    }
}
