//! Changes to the tree other than writing content: directory markers, deletes (one key, or
//! many in DeleteObjects batches), and server-side copies for `copy` and `rename`.

use aws_sdk_s3::primitives::ByteStream as SdkBody;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use futures::StreamExt;
use mirage_core::{ErrorKind, FsError, FsResult, VPath};

use crate::error::{classify, fs_err};
use crate::keys::copy_source;
use crate::{Inner, refuse_root};

/// DeleteObjects takes at most this many keys.
const DELETE_BATCH: usize = 1000;
/// CopyObject copies at most 5 GiB; larger objects are copied in parts.
const MAX_SINGLE_COPY: u64 = 5 * 1024 * 1024 * 1024;
const COPY_PART: u64 = 512 * 1024 * 1024;
/// Server-side copies in flight at once when moving a directory.
const COPY_CONCURRENCY: usize = 16;

impl Inner {
    pub(crate) async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::exists());
        }
        self.require_parent(path).await?;
        if self.lookup(path).await?.is_some() {
            return Err(FsError::exists());
        }
        self.put_marker(&self.dir_prefix(path)).await
    }

    async fn put_marker(&self, marker: &str) -> FsResult<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(marker)
            .content_length(0)
            .body(SdkBody::from(Vec::new()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| fs_err(&self.label, "PutObject", e))
    }

    pub(crate) async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        refuse_root(path).map_err(|_| FsError::is_dir())?;
        let key = self.key(path);
        if self.head(&key).await?.is_none() {
            return Err(if self.prefix_exists(&self.dir_prefix(path)).await? {
                FsError::is_dir()
            } else {
                self.missing(path).await
            });
        }
        self.delete_key(&key).await?;
        self.keep_parent(path).await
    }

    pub(crate) async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        refuse_root(path)?;
        let marker = self.dir_prefix(path);
        if !self.prefix_exists(&marker).await? {
            return Err(match self.head(&self.key(path)).await? {
                Some(_) => FsError::not_dir(),
                None => self.missing(path).await,
            });
        }
        if self.head(&self.key(path)).await?.is_some() {
            // An object and a prefix of the same name: the path is the file (as `stat` says).
            return Err(FsError::not_dir());
        }
        if self.has_children(&marker).await? {
            return Err(FsError::not_empty());
        }
        self.delete_key(&marker).await?;
        self.keep_parent(path).await
    }

    /// `rm -r`: every key under the directory's prefix (its marker included), listed without a
    /// delimiter and deleted in DeleteObjects batches, instead of a HEAD and a DELETE per file.
    pub(crate) async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        refuse_root(path)?;
        let marker = self.dir_prefix(path);
        let keys: Vec<String> = self
            .list_keys(&marker)
            .await?
            .into_iter()
            .map(|k| k.key)
            .collect();
        if keys.is_empty() {
            return Err(match self.head(&self.key(path)).await? {
                Some(_) => FsError::not_dir(),
                None => self.missing(path).await,
            });
        }
        self.delete_keys(&keys).await?;
        self.keep_parent(path).await
    }

    /// After `path` went away, gives its parent a marker if nothing else keeps it alive, so the
    /// directory stays as it would on a disk.
    async fn keep_parent(&self, path: &VPath) -> FsResult<()> {
        let parent = path.parent();
        if parent.is_root() {
            return Ok(());
        }
        let marker = self.dir_prefix(&parent);
        if !self.prefix_exists(&marker).await? {
            self.put_marker(&marker).await?;
        }
        Ok(())
    }

    async fn delete_key(&self, key: &str) -> FsResult<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| fs_err(&self.label, "DeleteObject", e))
    }

    /// Deletes `keys` in DeleteObjects batches; falls back to one DeleteObject per key on
    /// services without the batch call (GCS's XML API).
    pub(crate) async fn delete_keys(&self, keys: &[String]) -> FsResult<()> {
        for batch in keys.chunks(DELETE_BATCH) {
            let ids: Vec<ObjectIdentifier> = batch
                .iter()
                .filter_map(|k| ObjectIdentifier::builder().key(k).build().ok())
                .collect();
            let delete = Delete::builder()
                .set_objects(Some(ids))
                .quiet(true)
                .build()
                .map_err(|e| {
                    FsError::with_detail(ErrorKind::Other, format!("{}: {e}", self.label))
                })?;
            let res = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await;
            match res {
                Ok(out) => {
                    if let Some(err) = out.errors().first() {
                        return Err(FsError::with_detail(
                            if err.code() == Some("AccessDenied") {
                                ErrorKind::PermissionDenied
                            } else {
                                ErrorKind::Other
                            },
                            format!(
                                "{}: DeleteObjects: {}: {} {}",
                                self.label,
                                err.key().unwrap_or("?"),
                                err.code().unwrap_or("?"),
                                err.message().unwrap_or("")
                            ),
                        ));
                    }
                }
                Err(e) => {
                    let f = classify(&self.label, "DeleteObjects", e);
                    if matches!(f.status, Some(501) | Some(405))
                        || f.code.as_deref() == Some("NotImplemented")
                    {
                        for k in batch {
                            self.delete_key(k).await?;
                        }
                    } else {
                        return Err(f.error);
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        if from.is_root() {
            return Err(FsError::is_dir());
        }
        if to.is_root() {
            return Err(FsError::is_dir());
        }
        let src_key = self.key(from);
        let Some(src) = self.head(&src_key).await? else {
            return Err(if self.prefix_exists(&self.dir_prefix(from)).await? {
                FsError::is_dir()
            } else {
                self.missing(from).await
            });
        };
        let to_prefix = self.dir_prefix(to);
        let (parent, is_dir) =
            tokio::join!(self.require_parent(to), self.prefix_exists(&to_prefix));
        parent?;
        if is_dir? {
            return Err(FsError::is_dir());
        }
        if from == to {
            return Ok(());
        }
        self.copy_object(&src_key, &self.key(to), src.size.unwrap_or(0))
            .await
    }

    /// Server-side copy of one object.
    async fn copy_object(&self, src: &str, dst: &str, size: u64) -> FsResult<()> {
        if size > MAX_SINGLE_COPY {
            return self.copy_in_parts(src, dst, size).await;
        }
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .key(dst)
            .copy_source(copy_source(&self.bucket, src))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| fs_err(&self.label, "CopyObject", e))
    }

    async fn copy_in_parts(&self, src: &str, dst: &str, size: u64) -> FsResult<()> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(dst)
            .send()
            .await
            .map_err(|e| fs_err(&self.label, "CreateMultipartUpload", e))?;
        let Some(upload_id) = out.upload_id().map(str::to_string) else {
            return Err(FsError::with_detail(
                ErrorKind::Other,
                format!(
                    "{}: CreateMultipartUpload returned no upload id",
                    self.label
                ),
            ));
        };
        let result = async {
            let mut parts = Vec::new();
            let mut start = 0u64;
            let mut n = 1;
            while start < size {
                let end = (start + COPY_PART).min(size) - 1;
                let out = self
                    .client
                    .upload_part_copy()
                    .bucket(&self.bucket)
                    .key(dst)
                    .upload_id(&upload_id)
                    .part_number(n)
                    .copy_source(copy_source(&self.bucket, src))
                    .copy_source_range(format!("bytes={start}-{end}"))
                    .send()
                    .await
                    .map_err(|e| fs_err(&self.label, "UploadPartCopy", e))?;
                let etag = out
                    .copy_part_result()
                    .and_then(|r| r.e_tag())
                    .map(str::to_string);
                parts.push(
                    CompletedPart::builder()
                        .part_number(n)
                        .set_e_tag(etag)
                        .build(),
                );
                start = end + 1;
                n += 1;
            }
            self.client
                .complete_multipart_upload()
                .bucket(&self.bucket)
                .key(dst)
                .upload_id(&upload_id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(parts))
                        .build(),
                )
                .send()
                .await
                .map(|_| ())
                .map_err(|e| fs_err(&self.label, "CompleteMultipartUpload", e))
        }
        .await;
        if result.is_err() {
            self.abort_multipart(dst, &upload_id).await;
        }
        result
    }

    pub(crate) async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        refuse_root(from)?;
        if to.is_root() {
            return Err(FsError::new(ErrorKind::Busy));
        }
        let Some(src) = self.lookup(from).await? else {
            return Err(self.missing(from).await);
        };
        self.require_parent(to).await?;
        if from == to {
            return Ok(());
        }
        if src.is_dir() && to.starts_with(from) {
            return Err(FsError::new(ErrorKind::InvalidArgument));
        }
        let dst = self.lookup(to).await?;
        match &dst {
            Some(d) if d.is_dir() && !src.is_dir() => return Err(FsError::is_dir()),
            Some(d) if !d.is_dir() && src.is_dir() => return Err(FsError::not_dir()),
            Some(d) if d.is_dir() && self.has_children(&self.dir_prefix(to)).await? => {
                return Err(FsError::not_empty());
            }
            _ => {}
        }
        if !src.is_dir() {
            self.copy_object(&self.key(from), &self.key(to), src.size.unwrap_or(0))
                .await?;
            self.delete_key(&self.key(from)).await?;
            return self.keep_parent(from).await;
        }
        // A directory: copy every key below it, then delete the originals. The source is only
        // touched once every copy has succeeded, so a failure midway loses nothing.
        let src_prefix = self.dir_prefix(from);
        let dst_prefix = self.dir_prefix(to);
        let keys = self.list_keys(&src_prefix).await?;
        let jobs: Vec<(String, String, u64)> = keys
            .iter()
            .map(|k| {
                let rest = k.key.strip_prefix(src_prefix.as_str()).unwrap_or(&k.key);
                (k.key.clone(), format!("{dst_prefix}{rest}"), k.size)
            })
            .collect();
        let copies = futures::stream::iter(
            jobs.into_iter()
                .map(|(src, dst, size)| async move { self.copy_object(&src, &dst, size).await }),
        )
        .buffer_unordered(COPY_CONCURRENCY)
        .collect::<Vec<FsResult<()>>>()
        .await;
        if let Some(Err(e)) = copies.into_iter().find(|r| r.is_err()) {
            return Err(e);
        }
        let old: Vec<String> = keys.into_iter().map(|k| k.key).collect();
        self.delete_keys(&old).await?;
        self.keep_parent(from).await
    }
}
