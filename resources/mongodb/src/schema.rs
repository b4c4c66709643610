//! schema.json: the field paths of the first `sample_size` documents (by `_id`) with the BSON
//! types seen at each and how often, plus the collection's indexes (listIndexes).
//!
//! ```json
//! {
//!   "database": "shop",
//!   "collection": "items",
//!   "sample_size": 100,
//!   "sampled_documents": 2,
//!   "fields": {
//!     "_id": { "count": 2, "types": { "objectId": 2 } },
//!     "tags": { "count": 1, "types": { "array": 1 } },
//!     "tags[]": { "count": 3, "types": { "string": 3 } }
//!   },
//!   "indexes": [ { "v": 2, "key": { "_id": 1 }, "name": "_id_" } ]
//! }
//! ```
//!
//! Paths join nested fields with `.` and mark array elements with `[]`; `count` is the number
//! of sampled documents holding the path (of array elements, for `[]` paths). Type names are
//! MongoDB's `$type` aliases. Fields appear in the order first seen.

use futures::{StreamExt, TryStreamExt};
use mirage_core::{ByteStream, ErrorKind, FsError, FsResult, stream_from_bytes};
use mongodb::bson::{Bson, Document, doc};

use crate::MongoResource;
use crate::extjson::{self, Json};

/// Per path: how many times it was seen and by which type, in first-seen order.
#[derive(Default)]
struct Fields {
    order: Vec<String>,
    stats: std::collections::HashMap<String, FieldStats>,
}

#[derive(Default)]
struct FieldStats {
    count: u64,
    /// (type name, count) in first-seen order.
    types: Vec<(&'static str, u64)>,
}

impl Fields {
    fn see(&mut self, path: &str, v: &Bson) {
        let st = match self.stats.get_mut(path) {
            Some(st) => st,
            None => {
                self.order.push(path.to_string());
                self.stats.entry(path.to_string()).or_default()
            }
        };
        st.count += 1;
        let t = type_name(v);
        match st.types.iter_mut().find(|(n, _)| *n == t) {
            Some((_, c)) => *c += 1,
            None => st.types.push((t, 1)),
        }
        match v {
            Bson::Document(d) => self.document(path, d),
            Bson::Array(items) => {
                let elem = format!("{path}[]");
                for item in items {
                    self.see(&elem, item);
                }
            }
            _ => {}
        }
    }

    fn document(&mut self, prefix: &str, d: &Document) {
        for (k, v) in d {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            self.see(&path, v);
        }
    }

    fn into_json(self) -> Json {
        let mut stats = self.stats;
        Json::Object(
            self.order
                .into_iter()
                .filter_map(|path| {
                    let st = stats.remove(&path)?;
                    let mut types = st.types;
                    // Most frequent first; ties keep first-seen order (the sort is stable).
                    types.sort_by_key(|t| std::cmp::Reverse(t.1));
                    let types = types
                        .into_iter()
                        .map(|(t, c)| (t.to_string(), Json::uint(c)))
                        .collect();
                    Some((
                        path,
                        Json::Object(vec![
                            ("count".to_string(), Json::uint(st.count)),
                            ("types".to_string(), Json::Object(types)),
                        ]),
                    ))
                })
                .collect(),
        )
    }
}

/// MongoDB's `$type` alias of a value.
fn type_name(v: &Bson) -> &'static str {
    match v {
        Bson::Double(_) => "double",
        Bson::String(_) => "string",
        Bson::Document(_) => "object",
        Bson::Array(_) => "array",
        Bson::Binary(_) => "binData",
        Bson::Undefined => "undefined",
        Bson::ObjectId(_) => "objectId",
        Bson::Boolean(_) => "bool",
        Bson::DateTime(_) => "date",
        Bson::Null => "null",
        Bson::RegularExpression(_) => "regex",
        Bson::DbPointer(_) => "dbPointer",
        Bson::JavaScriptCode(_) => "javascript",
        Bson::Symbol(_) => "symbol",
        Bson::JavaScriptCodeWithScope(_) => "javascriptWithScope",
        Bson::Int32(_) => "int",
        Bson::Timestamp(_) => "timestamp",
        Bson::Int64(_) => "long",
        Bson::Decimal128(_) => "decimal",
        Bson::MinKey => "minKey",
        Bson::MaxKey => "maxKey",
    }
}

/// Builds schema.json (small: its size is bounded by the sample's field paths).
pub async fn render(r: &MongoResource, db: &str, coll: &str) -> FsResult<ByteStream> {
    let conn = r.conn();
    let client = conn.client().await?;
    let collection = client.database(db).collection::<Document>(coll);
    let sample_size = r.config().sample_size;
    let mut cursor = collection
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .limit(i64::try_from(sample_size).unwrap_or(i64::MAX))
        .batch_size(u32::try_from(sample_size.min(256)).unwrap_or(256))
        .await
        .map_err(|e| conn.error(e))?;
    let mut fields = Fields::default();
    let mut sampled = 0u64;
    while let Some(d) = cursor.try_next().await.map_err(|e| conn.error(e))? {
        fields.document("", &d);
        sampled += 1;
    }
    drop(cursor);

    let mut indexes = Vec::new();
    let mut batches = collection
        .list_indexes()
        .batch()
        .await
        .map_err(|e| conn.error(e))?;
    while let Some(batch) = batches.next().await {
        let batch = batch.map_err(|e| conn.error(e))?;
        let docs = batch.doc_slices().map_err(|e| conn.error(e))?;
        for item in docs {
            let raw = item
                .ok()
                .and_then(|v| v.as_document())
                .and_then(|d| Document::try_from(d).ok())
                .ok_or_else(|| {
                    FsError::with_detail(
                        ErrorKind::Other,
                        format!("mongodb {}: malformed listIndexes reply", conn.server()),
                    )
                })?;
            indexes.push(extjson::document(&raw));
        }
    }

    let schema = Json::Object(vec![
        ("database".to_string(), Json::str(db)),
        ("collection".to_string(), Json::str(coll)),
        ("sample_size".to_string(), Json::uint(sample_size)),
        ("sampled_documents".to_string(), Json::uint(sampled)),
        ("fields".to_string(), fields.into_json()),
        ("indexes".to_string(), Json::Array(indexes)),
    ]);
    let mut out = String::new();
    schema.write_pretty(&mut out, 0);
    out.push('\n');
    Ok(stream_from_bytes(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_types_and_counts() {
        let mut f = Fields::default();
        f.document("", &doc! {"_id": 1, "tags": ["a", "b"], "n": {"x": 1.5}});
        f.document("", &doc! {"_id": 2_i64, "tags": [{"k": null}], "n": null});
        let mut s = String::new();
        f.into_json().write_compact(&mut s);
        assert_eq!(
            s,
            concat!(
                r#"{"_id":{"count":2,"types":{"int":1,"long":1}},"#,
                r#""tags":{"count":2,"types":{"array":2}},"#,
                r#""tags[]":{"count":3,"types":{"string":2,"object":1}},"#,
                r#""n":{"count":2,"types":{"object":1,"null":1}},"#,
                r#""n.x":{"count":1,"types":{"double":1}},"#,
                r#""tags[].k":{"count":1,"types":{"null":1}}}"#
            )
        );
    }
}
