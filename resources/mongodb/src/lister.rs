//! Listings: databases (listDatabases, or the configured list) and collections
//! (listCollections), and the existence checks behind stat.

use mirage_core::{DirEntry, FileStat, FsResult};
use mongodb::bson::doc;

use crate::MongoResource;
use crate::config::{SYSTEM_DATABASES, valid_database_name};

/// The exposed database names, sorted.
async fn database_names(r: &MongoResource) -> FsResult<Vec<String>> {
    if let Some(names) = &r.config().databases {
        return Ok(names.clone());
    }
    let conn = r.conn();
    let client = conn.client().await?;
    let mut names = client
        .list_database_names()
        .await
        .map_err(|e| conn.error(e))?;
    names.retain(|n| !SYSTEM_DATABASES.contains(&n.as_str()) && !n.contains('/'));
    names.sort();
    Ok(names)
}

pub async fn databases(r: &MongoResource) -> FsResult<Vec<DirEntry>> {
    Ok(database_names(r)
        .await?
        .into_iter()
        .map(|name| DirEntry {
            name,
            stat: FileStat::dir(),
        })
        .collect())
}

/// A configured database always exists (MongoDB creates databases on first write, so an
/// empty one is just a directory without collections); otherwise the server must list it.
pub async fn database_exists(r: &MongoResource, db: &str) -> FsResult<bool> {
    Ok(database_names(r).await?.iter().any(|n| n == db))
}

/// Whether a collection name is shown: the server's own `system.*` collections are not, and
/// a name with `/` cannot be one path component.
fn shown(name: &str) -> bool {
    !name.starts_with("system.") && !name.contains('/') && !name.is_empty()
}

pub async fn collections(r: &MongoResource, db: &str) -> FsResult<Vec<DirEntry>> {
    let conn = r.conn();
    let client = conn.client().await?;
    let mut names = client
        .database(db)
        .list_collection_names()
        .await
        .map_err(|e| conn.error(e))?;
    names.retain(|n| shown(n));
    names.sort();
    Ok(names
        .into_iter()
        .map(|name| DirEntry {
            name,
            stat: FileStat::dir(),
        })
        .collect())
}

pub async fn collection_exists(r: &MongoResource, db: &str, coll: &str) -> FsResult<bool> {
    if !shown(coll) || !valid_database_name(db) {
        return Ok(false);
    }
    if let Some(names) = &r.config().databases
        && !names.iter().any(|n| n == db)
    {
        return Ok(false);
    }
    if r.config().databases.is_none() && SYSTEM_DATABASES.contains(&db) {
        return Ok(false);
    }
    let conn = r.conn();
    let client = conn.client().await?;
    let names = client
        .database(db)
        .list_collection_names()
        .filter(doc! { "name": coll })
        .await
        .map_err(|e| conn.error(e))?;
    Ok(names.iter().any(|n| n == coll))
}
