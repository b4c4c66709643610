//! Relaxed Extended JSON text with the documents' own field order.
//!
//! bson's `Bson::into_relaxed_extjson` builds a `serde_json::Value`, whose map sorts keys
//! (this workspace does not enable serde_json's `preserve_order`, and turning it on would
//! change every other crate's JSON). So documents and arrays are walked here, in order, and
//! only the leaves go through `into_relaxed_extjson`; the few leaves whose wrapper has several
//! keys (`$regularExpression`, `$timestamp`, `$dbPointer`, `$code` with `$scope`) get the key
//! order of the Extended JSON specification back.

use mongodb::bson::{Bson, Document};

/// A JSON value whose objects keep their key order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// Already formatted number text.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    pub fn uint(n: u64) -> Json {
        Json::Number(n.to_string())
    }

    /// One line, no spaces (what `documents.jsonl` holds).
    pub fn write_compact(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_compact(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write_compact(out);
                }
                out.push('}');
            }
        }
    }

    /// Two-space indentation, `"key": value`, like `jq .` and serde_json's pretty printer.
    pub fn write_pretty(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n * 2));
        match self {
            Json::Array(items) if !items.is_empty() => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n");
                    }
                    pad(out, indent + 1);
                    item.write_pretty(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push(']');
            }
            Json::Object(fields) if !fields.is_empty() => {
                out.push_str("{\n");
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n");
                    }
                    pad(out, indent + 1);
                    write_string(k, out);
                    out.push_str(": ");
                    v.write_pretty(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push('}');
            }
            other => other.write_compact(out),
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json's escaping of a plain string cannot fail.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// A document as Relaxed Extended JSON, fields in stored order.
pub fn document(doc: &Document) -> Json {
    Json::Object(doc.iter().map(|(k, v)| (k.clone(), value(v))).collect())
}

/// Any BSON value as Relaxed Extended JSON.
pub fn value(v: &Bson) -> Json {
    match v {
        Bson::Document(d) => document(d),
        Bson::Array(items) => Json::Array(items.iter().map(value).collect()),
        Bson::JavaScriptCodeWithScope(c) => Json::Object(vec![
            ("$code".to_string(), Json::str(c.code.clone())),
            ("$scope".to_string(), document(&c.scope)),
        ]),
        leaf => from_serde(leaf.clone().into_relaxed_extjson()),
    }
}

/// Key order for the multi-key wrappers, as the Extended JSON specification writes them.
const SPEC_ORDER: &[&str] = &[
    "$ref", "$id", "pattern", "options", "t", "i", "base64", "subType",
];

/// A leaf's serde_json rendering, its wrapper keys put back in specification order (the map
/// has them sorted).
fn from_serde(v: serde_json::Value) -> Json {
    match v {
        serde_json::Value::Null => Json::Null,
        serde_json::Value::Bool(b) => Json::Bool(b),
        serde_json::Value::Number(n) => Json::Number(n.to_string()),
        serde_json::Value::String(s) => Json::String(s),
        serde_json::Value::Array(items) => Json::Array(items.into_iter().map(from_serde).collect()),
        serde_json::Value::Object(map) => {
            let mut fields: Vec<(String, Json)> =
                map.into_iter().map(|(k, v)| (k, from_serde(v))).collect();
            let rank = |k: &str| {
                SPEC_ORDER
                    .iter()
                    .position(|s| *s == k)
                    .unwrap_or(usize::MAX)
            };
            fields.sort_by_key(|(k, _)| rank(k));
            Json::Object(fields)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Regex, Timestamp, doc};

    fn line(d: &Document) -> String {
        let mut s = String::new();
        document(d).write_compact(&mut s);
        s
    }

    #[test]
    fn keeps_field_order_and_renders_relaxed_types() {
        let oid = ObjectId::parse_str("65a000000000000000000001").unwrap();
        let d = doc! {
            "_id": oid, "z": 1_i32, "a": 2_i64, "f": 1.5, "whole": 2.0,
            "when": DateTime::from_millis(0), "nested": {"y": [1, "two", null]},
            "re": Regex { pattern: "^a".try_into().unwrap(), options: "i".try_into().unwrap() },
            "ts": Timestamp { time: 5, increment: 6 },
            "quote": "a\"b\n",
        };
        assert_eq!(
            line(&d),
            concat!(
                r#"{"_id":{"$oid":"65a000000000000000000001"},"z":1,"a":2,"f":1.5,"whole":2.0,"#,
                r#""when":{"$date":"1970-01-01T00:00:00Z"},"nested":{"y":[1,"two",null]},"#,
                r#""re":{"$regularExpression":{"pattern":"^a","options":"i"}},"#,
                r#""ts":{"$timestamp":{"t":5,"i":6}},"quote":"a\"b\n"}"#
            )
        );
    }

    #[test]
    fn pretty_matches_jq_layout() {
        let j = Json::Object(vec![
            (
                "a".into(),
                Json::Array(vec![Json::uint(1), Json::Object(vec![])]),
            ),
            ("b".into(), Json::Array(vec![])),
        ]);
        let mut s = String::new();
        j.write_pretty(&mut s, 0);
        assert_eq!(s, "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
    }
}
