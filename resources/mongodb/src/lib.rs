//! A read-only Mirage resource over a MongoDB server.
//!
//! ```yaml
//! mounts:
//!   /mongo:
//!     resource: mongodb
//!     mode: read
//!     config:
//!       uri: mongodb://127.0.0.1:27017
//!       databases: [shop]      # optional; default: every database but admin, local, config
//!       sample_size: 100       # documents read to infer schema.json (default 100)
//!       max_documents: 100000  # documents.jsonl refuses to go beyond this (default 100000)
//! ```
//!
//! # The tree
//!
//! ```text
//! /                                     the databases
//! /<db>/                                `collections`
//! /<db>/collections/                    the collection names (`system.*` and names with `/`
//!                                       are not shown)
//! /<db>/collections/<coll>/documents.jsonl
//!     every document as Relaxed Extended JSON, one a line, sorted by `_id`, streamed from a
//!     cursor one server batch at a time (a reader that stops early, such as `head`, drops the
//!     stream and with it the cursor, which the driver then kills on the server)
//! /<db>/collections/<coll>/schema.json
//!     field paths with their BSON types and counts over the first `sample_size` documents
//!     (by `_id`), plus the collection's indexes
//! ```
//!
//! Sizes are unknown (`None`): knowing them would mean rendering the whole collection. Field
//! order inside documents is the server's; the JSON is written by this crate (see
//! [`extjson`]) because `serde_json`'s map would sort the keys.
//!
//! # Query files
//!
//! Three names that are not listed answer cheap questions, for the `wc -l`, `head -n` and
//! `tail -n` overrides in [`commands`] (and for anyone who knows them):
//! `<coll>/.count` (countDocuments, one number and a newline), `<coll>/.head-N` (the first N
//! lines of documents.jsonl, by `limit`) and `<coll>/.tail-N` (the last N, by `skip`).
//!
//! # Errors
//!
//! An unreachable server is a `Network` error naming the server after about two seconds
//! (`serverSelectionTimeoutMS` and `connectTimeoutMS` default to 2000 unless the URI says
//! otherwise); failed authentication is `Permission denied`; a missing database or collection
//! is `No such file or directory`; every write is `Operation not supported` (mount it with
//! `mode: read` to get `Read-only file system` instead). Going past `max_documents` ends the
//! stream with an `Input/output error` saying so, after the first `max_documents` lines.
//!
//! `mongodb+srv://` URIs are refused: the driver is built without its DNS resolver to keep the
//! dependency tree small.

mod client;
pub mod commands;
mod config;
pub mod extjson;
mod layout;
mod lister;
mod reader;
mod schema;

use std::sync::Arc;
use std::time::Duration;

use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, FileStat, FsError, FsResult,
    Resource, VPath, async_trait,
};

pub use client::Connection;
pub use config::MongoConfig;
pub use layout::{Node, Query};

/// The resource kind, also the scope of the command overrides.
pub const KIND: &str = "mongodb";

/// Read-only view of a MongoDB deployment. Cheap to clone (shares one driver client).
#[derive(Clone)]
pub struct MongoResource {
    inner: Arc<Inner>,
}

struct Inner {
    config: MongoConfig,
    conn: Connection,
}

impl MongoResource {
    /// Checks the configuration; the connection is made on first use (building is
    /// synchronous, the driver needs a runtime).
    pub fn new(config: MongoConfig) -> Result<Self, String> {
        let conn = Connection::new(&config.uri)?;
        Ok(MongoResource {
            inner: Arc::new(Inner { config, conn }),
        })
    }

    pub fn config(&self) -> &MongoConfig {
        &self.inner.config
    }

    /// countDocuments on one collection (NotFound when it does not exist).
    pub async fn count_documents(&self, db: &str, coll: &str) -> FsResult<u64> {
        self.ensure_collection(db, coll).await?;
        reader::count(&self.inner.conn, db, coll).await
    }

    fn conn(&self) -> &Connection {
        &self.inner.conn
    }

    /// Fails with NotFound unless `db` is exposed and holds `coll`.
    async fn ensure_collection(&self, db: &str, coll: &str) -> FsResult<()> {
        if !lister::collection_exists(self, db, coll).await? {
            return Err(FsError::not_found());
        }
        Ok(())
    }
}

#[async_trait]
impl Resource for MongoResource {
    fn kind(&self) -> &str {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::read_only()
    }

    /// Listings for a minute: collections come and go more often than S3 prefixes, and a
    /// stale `ls` of a database is more surprising than a second listCollections call. File
    /// bytes are cached like any remote file (the cache skips what exceeds its limit).
    fn cache_hints(&self) -> CacheHints {
        CacheHints {
            index_ttl: Duration::from_secs(60),
            file_cache: true,
            synthetic_dirs: false,
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        match Node::parse(path)? {
            Node::Root => Ok(FileStat::dir()),
            Node::Database(db) => {
                if lister::database_exists(self, &db).await? {
                    Ok(FileStat::dir())
                } else {
                    Err(FsError::not_found())
                }
            }
            Node::Collections(db) => {
                if lister::database_exists(self, &db).await? {
                    Ok(FileStat::dir())
                } else {
                    Err(FsError::not_found())
                }
            }
            Node::Collection(db, coll) => {
                self.ensure_collection(&db, &coll).await?;
                Ok(FileStat::dir())
            }
            Node::Documents(db, coll) | Node::Schema(db, coll) | Node::Query(db, coll, _) => {
                self.ensure_collection(&db, &coll).await?;
                Ok(unknown_size_file())
            }
        }
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        match Node::parse(path)? {
            Node::Root => lister::databases(self).await,
            Node::Database(db) => {
                if !lister::database_exists(self, &db).await? {
                    return Err(FsError::not_found());
                }
                Ok(vec![dir_entry(layout::COLLECTIONS)])
            }
            Node::Collections(db) => {
                if !lister::database_exists(self, &db).await? {
                    return Err(FsError::not_found());
                }
                lister::collections(self, &db).await
            }
            Node::Collection(db, coll) => {
                self.ensure_collection(&db, &coll).await?;
                Ok(vec![
                    file_entry(layout::DOCUMENTS),
                    file_entry(layout::SCHEMA),
                ])
            }
            Node::Documents(..) | Node::Schema(..) | Node::Query(..) => Err(FsError::not_dir()),
        }
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let stream = match Node::parse(path)? {
            Node::Root | Node::Database(_) | Node::Collections(_) | Node::Collection(..) => {
                // Directories that exist read as EISDIR, missing ones as ENOENT.
                self.stat(path).await?;
                return Err(FsError::is_dir());
            }
            Node::Documents(db, coll) => {
                self.ensure_collection(&db, &coll).await?;
                reader::documents(self, &db, &coll, Query::All).await?
            }
            Node::Query(db, coll, q) => {
                self.ensure_collection(&db, &coll).await?;
                reader::documents(self, &db, &coll, q).await?
            }
            Node::Schema(db, coll) => {
                self.ensure_collection(&db, &coll).await?;
                schema::render(self, &db, &coll).await?
            }
        };
        Ok(match range {
            None => stream,
            Some(r) => reader::slice(stream, r),
        })
    }
}

fn unknown_size_file() -> FileStat {
    FileStat {
        size: None,
        ..FileStat::file(0)
    }
}

fn dir_entry(name: &str) -> DirEntry {
    DirEntry {
        name: name.to_string(),
        stat: FileStat::dir(),
    }
}

fn file_entry(name: &str) -> DirEntry {
    DirEntry {
        name: name.to_string(),
        stat: unknown_size_file(),
    }
}
