//! Reads: GetObject with a `Range` header when a range is asked for, the body handed on chunk
//! by chunk as it arrives.

use bytes::Bytes;
use mirage_core::{ByteRange, ByteStream, ErrorKind, FsError, FsResult, VPath, empty_stream};

use crate::Inner;
use crate::error::classify;

impl Inner {
    pub(crate) async fn read(
        &self,
        path: &VPath,
        range: Option<ByteRange>,
    ) -> FsResult<ByteStream> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let key = self.key(path);
        let header = match range {
            None
            | Some(ByteRange {
                start: 0,
                end: None,
            }) => None,
            Some(ByteRange {
                start,
                end: Some(end),
            }) if end <= start => {
                // Nothing to fetch, but the file must still exist.
                return match self.head(&key).await? {
                    Some(_) => Ok(empty_stream()),
                    None => Err(self.read_missing(path).await),
                };
            }
            Some(ByteRange { start, end: None }) => Some(format!("bytes={start}-")),
            Some(ByteRange {
                start,
                end: Some(end),
            }) => Some(format!("bytes={start}-{}", end - 1)),
        };
        let res = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&key)
            .set_range(header)
            .send()
            .await;
        let out = match res {
            Ok(out) => out,
            Err(e) => {
                let f = classify(&self.label, "GetObject", e);
                if f.is_not_found() {
                    return Err(self.read_missing(path).await);
                }
                // A range starting at or past the end: the file exists, the range is empty.
                if f.status == Some(416) || f.code.as_deref() == Some("InvalidRange") {
                    return Ok(empty_stream());
                }
                return Err(f.error);
            }
        };
        let label = self.label.clone();
        let body = out.body;
        Ok(Box::pin(futures::stream::unfold(
            Some(body),
            move |state| {
                let label = label.clone();
                async move {
                    let mut body = state?;
                    match body.next().await {
                        None => None,
                        Some(Ok(chunk)) => Some((Ok::<Bytes, FsError>(chunk), Some(body))),
                        Some(Err(e)) => Some((
                            Err(FsError::with_detail(
                                ErrorKind::Network,
                                format!("{label}: reading object body: {e}"),
                            )),
                            None,
                        )),
                    }
                }
            },
        )))
    }

    /// Why a read found no object: a directory, a file in the way, or nothing.
    async fn read_missing(&self, path: &VPath) -> FsError {
        match self.prefix_exists(&self.dir_prefix(path)).await {
            Ok(true) => FsError::is_dir(),
            Ok(false) => self.missing(path).await,
            Err(e) => e,
        }
    }
}
