//! Writes: the stream is buffered up to `multipart_threshold`; if it ends before that, one
//! PutObject sends it. Past the threshold a multipart upload starts and each `part_size` bytes go
//! out as a part as soon as they have arrived, so memory stays at about one part whatever the
//! size. Any failure (of the input stream or of a request) aborts the upload: the object either
//! appears whole at CompleteMultipartUpload or not at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_s3::primitives::ByteStream as SdkBody;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use mirage_core::{ByteStream, FsError, FsResult, VPath, WriteMode};

use crate::Inner;
use crate::error::fs_err;

/// S3 allows at most this many parts in one upload.
const MAX_PARTS: i32 = 10_000;

impl Inner {
    pub(crate) async fn write(
        &self,
        path: &VPath,
        data: ByteStream,
        mode: WriteMode,
    ) -> FsResult<u64> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let key = self.key(path);
        let own_prefix = self.dir_prefix(path);
        let (parent, is_dir) =
            tokio::join!(self.require_parent(path), self.prefix_exists(&own_prefix));
        parent?;
        if is_dir? {
            return Err(FsError::is_dir());
        }
        // Count only the caller's bytes, not the old content an append re-sends.
        let counter = Arc::new(AtomicU64::new(0));
        let counted = {
            let counter = Arc::clone(&counter);
            data.inspect(move |c| {
                if let Ok(b) = c {
                    counter.fetch_add(b.len() as u64, Ordering::Relaxed);
                }
            })
        };
        let stream: ByteStream = match mode {
            WriteMode::Append if self.head(&key).await?.is_some() => {
                let old = self.read(path, None).await?;
                Box::pin(old.chain(counted))
            }
            _ => Box::pin(counted),
        };
        self.upload(&key, stream).await?;
        Ok(counter.load(Ordering::Relaxed))
    }

    /// Uploads the whole stream to `key`; returns the bytes uploaded.
    pub(crate) async fn upload(&self, key: &str, mut data: ByteStream) -> FsResult<u64> {
        let threshold = self.multipart_threshold as usize;
        let mut buf = BytesMut::new();
        let mut total = 0u64;
        while buf.len() < threshold.max(1) {
            match data.next().await {
                None => {
                    return self.put(key, buf.freeze()).await.map(|_| total);
                }
                Some(chunk) => {
                    let chunk = chunk?;
                    total += chunk.len() as u64;
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        let upload_id = self.start_multipart(key).await?;
        match self.upload_parts(key, &upload_id, buf, data, total).await {
            Ok((parts, total)) => {
                if let Err(e) = self.complete_multipart(key, &upload_id, parts).await {
                    self.abort_multipart(key, &upload_id).await;
                    return Err(e);
                }
                Ok(total)
            }
            Err(e) => {
                self.abort_multipart(key, &upload_id).await;
                Err(e)
            }
        }
    }

    async fn put(&self, key: &str, body: Bytes) -> FsResult<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_length(body.len() as i64)
            .body(SdkBody::from(body))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| fs_err(&self.label, "PutObject", e))
    }

    async fn start_multipart(&self, key: &str) -> FsResult<String> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| fs_err(&self.label, "CreateMultipartUpload", e))?;
        out.upload_id().map(str::to_string).ok_or_else(|| {
            FsError::with_detail(
                mirage_core::ErrorKind::Other,
                format!(
                    "{}: CreateMultipartUpload returned no upload id",
                    self.label
                ),
            )
        })
    }

    /// Size of part `n` (1-based): `part_size`, doubled every 1000 parts so that even a huge
    /// stream fits in S3's 10,000 parts.
    fn part_len(&self, n: i32) -> usize {
        let doublings = ((n - 1) / 1000).clamp(0, 9) as u32;
        (self.part_size << doublings).min(5 * 1024 * 1024 * 1024) as usize
    }

    async fn upload_parts(
        &self,
        key: &str,
        upload_id: &str,
        mut buf: BytesMut,
        mut data: ByteStream,
        mut total: u64,
    ) -> FsResult<(Vec<CompletedPart>, u64)> {
        let mut parts = Vec::new();
        let mut n: i32 = 1;
        let mut done = false;
        loop {
            while !done && buf.len() < self.part_len(n) {
                match data.next().await {
                    None => done = true,
                    Some(chunk) => {
                        let chunk = chunk?;
                        total += chunk.len() as u64;
                        buf.extend_from_slice(&chunk);
                    }
                }
            }
            if buf.is_empty() && !parts.is_empty() {
                break;
            }
            if n > MAX_PARTS {
                return Err(FsError::with_detail(
                    mirage_core::ErrorKind::Other,
                    format!("{}: file too large for a multipart upload", self.label),
                ));
            }
            let take = buf.len().min(self.part_len(n));
            let part = buf.split_to(take).freeze();
            let out = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .part_number(n)
                .content_length(part.len() as i64)
                .body(SdkBody::from(part))
                .send()
                .await
                .map_err(|e| fs_err(&self.label, "UploadPart", e))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(n)
                    .set_e_tag(out.e_tag().map(str::to_string))
                    .build(),
            );
            n += 1;
            if done && buf.is_empty() {
                break;
            }
        }
        Ok((parts, total))
    }

    async fn complete_multipart(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<CompletedPart>,
    ) -> FsResult<()> {
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
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

    /// Best effort: if the server is gone the upload stays incomplete (invisible) until its
    /// lifecycle rule or a later abort removes it.
    pub(crate) async fn abort_multipart(&self, key: &str, upload_id: &str) {
        let _ = self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .send()
            .await;
    }
}
