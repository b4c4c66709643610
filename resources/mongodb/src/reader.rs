//! documents.jsonl and its query files: a find sorted by `_id`, read one server batch at a
//! time and rendered as one chunk of lines per batch.
//!
//! The stream owns the driver's cursor. A reader that stops early drops the stream, the
//! cursor goes with it and the driver sends killCursors, so `head -n 5` costs one batch. Only
//! the batch being rendered is in memory.

use bytes::Bytes;
use futures::StreamExt;
use mirage_core::{ByteRange, ByteStream, ErrorKind, FsError, FsResult, stream_from_bytes};
use mongodb::bson::{Document, doc};
use mongodb::raw_batch_cursor::{RawBatch, RawBatchCursor};

use crate::client::Connection;
use crate::layout::Query;
use crate::{MongoResource, extjson};

/// Documents asked for per round trip. Small enough that `head` does not pull megabytes,
/// large enough that a full `cat` is not dominated by round trips.
const BATCH: u32 = 256;

pub async fn count(conn: &Connection, db: &str, coll: &str) -> FsResult<u64> {
    let client = conn.client().await?;
    client
        .database(db)
        .collection::<Document>(coll)
        .count_documents(doc! {})
        .await
        .map_err(|e| conn.error(e))
}

/// The bytes of documents.jsonl (or the part of it `query` names).
pub async fn documents(
    r: &MongoResource,
    db: &str,
    coll: &str,
    query: Query,
) -> FsResult<ByteStream> {
    let conn = r.conn();
    let (limit, skip) = match query {
        Query::Count => {
            let n = count(conn, db, coll).await?;
            return Ok(stream_from_bytes(format!("{n}\n")));
        }
        Query::Head(0) | Query::Tail(0) => return Ok(mirage_core::empty_stream()),
        Query::All => (None, None),
        Query::Head(n) => (Some(n), None),
        Query::Tail(n) => {
            let total = count(conn, db, coll).await?;
            (Some(n), Some(total.saturating_sub(n)))
        }
    };
    let client = conn.client().await?;
    let collection = client.database(db).collection::<Document>(coll);
    let mut find = collection
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .batch_size(BATCH);
    if let Some(n) = limit {
        find = find.limit(i64::try_from(n).unwrap_or(i64::MAX));
    }
    if let Some(s) = skip.filter(|s| *s > 0) {
        find = find.skip(s);
    }
    let cursor = find.batch().await.map_err(|e| conn.error(e))?;
    Ok(lines(
        cursor,
        r.clone(),
        format!("{db}.{coll}"),
        r.config().max_documents,
    ))
}

struct State {
    cursor: Option<RawBatchCursor>,
    resource: MongoResource,
    namespace: String,
    cap: u64,
    emitted: u64,
    /// An error to report on the next poll, after the lines that preceded it.
    pending: Option<FsError>,
}

fn lines(
    cursor: RawBatchCursor,
    resource: MongoResource,
    namespace: String,
    cap: u64,
) -> ByteStream {
    let state = State {
        cursor: Some(cursor),
        resource,
        namespace,
        cap,
        emitted: 0,
        pending: None,
    };
    Box::pin(futures::stream::unfold(state, |mut st| async move {
        if let Some(e) = st.pending.take() {
            st.cursor = None;
            return Some((Err(e), st));
        }
        loop {
            let cursor = st.cursor.as_mut()?;
            let batch = match cursor.next().await {
                None => return None,
                Some(Err(e)) => {
                    st.cursor = None;
                    let err = st.resource.conn().error(e);
                    return Some((Err(err), st));
                }
                Some(Ok(batch)) => batch,
            };
            let mut text = String::new();
            if let Err(e) = render_batch(&batch, &mut st, &mut text) {
                st.cursor = None;
                if text.is_empty() {
                    return Some((Err(e), st));
                }
                st.pending = Some(e);
            }
            if !text.is_empty() {
                return Some((Ok(Bytes::from(text)), st));
            }
        }
    }))
}

/// Appends one line per document of `batch`; stops with an error at the document cap or at a
/// malformed reply.
fn render_batch(batch: &RawBatch, st: &mut State, out: &mut String) -> FsResult<()> {
    let malformed = |what: String| {
        FsError::with_detail(
            ErrorKind::Other,
            format!(
                "mongodb {}: {}: {what}",
                st.resource.conn().server(),
                st.namespace
            ),
        )
    };
    let docs = batch.doc_slices().map_err(|e| malformed(e.to_string()))?;
    for item in docs {
        let raw = item.map_err(|e| malformed(e.to_string()))?;
        let raw = raw
            .as_document()
            .ok_or_else(|| malformed("a batch entry is not a document".to_string()))?;
        if st.emitted >= st.cap {
            return Err(FsError::with_detail(
                ErrorKind::Other,
                format!(
                    "mongodb {}: more than max_documents={} documents; output stopped there \
                     (raise max_documents in the mount config)",
                    st.namespace, st.cap
                ),
            ));
        }
        let doc = Document::try_from(raw).map_err(|e| malformed(e.to_string()))?;
        extjson::document(&doc).write_compact(out);
        out.push('\n');
        st.emitted += 1;
    }
    Ok(())
}

/// Serves a byte range of a stream that cannot seek: skips to `start`, stops at `end`.
pub fn slice(stream: ByteStream, range: ByteRange) -> ByteStream {
    let state = (stream, 0u64);
    Box::pin(futures::stream::unfold(
        state,
        move |(mut s, mut pos)| async move {
            loop {
                if range.end.is_some_and(|end| pos >= end) {
                    return None;
                }
                let chunk = match s.next().await? {
                    Ok(c) => c,
                    Err(e) => return Some((Err(e), (s, pos))),
                };
                let len = chunk.len() as u64;
                let (from, to) = (pos, pos + len);
                pos = to;
                let lo = range.start.max(from);
                let hi = range.end.map_or(to, |e| e.min(to));
                if lo < hi {
                    let part = chunk.slice((lo - from) as usize..(hi - from) as usize);
                    return Some((Ok(part), (s, pos)));
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mirage_core::collect_stream;

    fn chunks(parts: &[&'static str]) -> ByteStream {
        Box::pin(futures::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p.as_bytes())))
                .collect::<Vec<_>>(),
        ))
    }

    #[tokio::test]
    async fn slices_across_chunks() {
        let r = |start, end| ByteRange { start, end };
        let got = collect_stream(slice(chunks(&["abc", "def", "gh"]), r(2, Some(7)))).await;
        assert_eq!(got.unwrap(), b"cdefg");
        let got = collect_stream(slice(chunks(&["abc", "def"]), r(4, None))).await;
        assert_eq!(got.unwrap(), b"ef");
        let got = collect_stream(slice(chunks(&["abc"]), r(9, None))).await;
        assert_eq!(got.unwrap(), b"");
    }
}
