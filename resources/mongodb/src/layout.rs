//! Paths of the tree and what they name: `/<db>/collections/<coll>/{documents.jsonl,schema.json}`
//! plus the unlisted query files next to them.

use mirage_core::{FsError, FsResult, VPath};

pub const COLLECTIONS: &str = "collections";
pub const DOCUMENTS: &str = "documents.jsonl";
pub const SCHEMA: &str = "schema.json";
pub const COUNT_FILE: &str = ".count";
const HEAD_PREFIX: &str = ".head-";
const TAIL_PREFIX: &str = ".tail-";

/// Which lines of documents.jsonl a read wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// Every document.
    All,
    /// Not lines at all: the countDocuments answer as `N\n`.
    Count,
    /// The first N documents.
    Head(u64),
    /// The last N documents.
    Tail(u64),
}

impl Query {
    /// The file name answering this query (`documents.jsonl` for [`Query::All`]).
    pub fn file_name(self) -> String {
        match self {
            Query::All => DOCUMENTS.to_string(),
            Query::Count => COUNT_FILE.to_string(),
            Query::Head(n) => format!("{HEAD_PREFIX}{n}"),
            Query::Tail(n) => format!("{TAIL_PREFIX}{n}"),
        }
    }

    fn from_file_name(name: &str) -> Option<Query> {
        if name == COUNT_FILE {
            return Some(Query::Count);
        }
        let number = |digits: &str| {
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u64>().ok()
        };
        if let Some(n) = name.strip_prefix(HEAD_PREFIX) {
            return number(n).map(Query::Head);
        }
        if let Some(n) = name.strip_prefix(TAIL_PREFIX) {
            return number(n).map(Query::Tail);
        }
        None
    }
}

/// What a path inside the mount names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Root,
    Database(String),
    /// `/<db>/collections`
    Collections(String),
    Collection(String, String),
    Documents(String, String),
    Schema(String, String),
    /// An unlisted query file next to documents.jsonl.
    Query(String, String, Query),
}

impl Node {
    /// Classifies `path`; anything outside the layout is NotFound.
    pub fn parse(path: &VPath) -> FsResult<Node> {
        let parts: Vec<&str> = path.components().collect();
        let owned = |s: &str| s.to_string();
        Ok(match parts.as_slice() {
            [] => Node::Root,
            [db] => Node::Database(owned(db)),
            [db, c] if *c == COLLECTIONS => Node::Collections(owned(db)),
            [db, c, coll] if *c == COLLECTIONS => Node::Collection(owned(db), owned(coll)),
            [db, c, coll, f] if *c == COLLECTIONS => {
                let (db, coll) = (owned(db), owned(coll));
                match *f {
                    DOCUMENTS => Node::Documents(db, coll),
                    SCHEMA => Node::Schema(db, coll),
                    other => match Query::from_file_name(other) {
                        Some(q) => Node::Query(db, coll, q),
                        None => return Err(FsError::not_found()),
                    },
                }
            }
            _ => return Err(FsError::not_found()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FsResult<Node> {
        Node::parse(&VPath::new(s))
    }

    #[test]
    fn paths_map_to_nodes() {
        assert_eq!(p("/"), Ok(Node::Root));
        assert_eq!(p("/shop"), Ok(Node::Database("shop".into())));
        assert_eq!(p("/shop/collections"), Ok(Node::Collections("shop".into())));
        assert_eq!(
            p("/shop/collections/items/documents.jsonl"),
            Ok(Node::Documents("shop".into(), "items".into()))
        );
        assert_eq!(
            p("/shop/collections/items/.tail-12"),
            Ok(Node::Query("shop".into(), "items".into(), Query::Tail(12)))
        );
        assert!(p("/shop/other").is_err());
        assert!(p("/shop/collections/items/.head-").is_err());
        assert!(p("/shop/collections/items/.head-+1").is_err());
        assert!(p("/shop/collections/items/documents.jsonl/x").is_err());
    }

    #[test]
    fn query_names_round_trip() {
        for q in [Query::Count, Query::Head(0), Query::Tail(99)] {
            assert_eq!(Query::from_file_name(&q.file_name()), Some(q));
        }
    }
}
