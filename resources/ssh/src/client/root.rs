//! A mount's root resolved to an absolute remote directory, once per mount: `realpath` of the
//! configured root (relative roots start at the login directory), which must be a directory.

use std::sync::Arc;

use mirage_core::{ErrorKind, FsError, FsResult};

use super::Session;
use crate::error::{status_code, status_error};

pub(super) async fn resolve(session: &Session, root: Option<&str>) -> FsResult<Arc<str>> {
    let asked = root.unwrap_or(".");
    let label = &session.label;
    let unusable = |why: &str| {
        FsError::with_detail(
            ErrorKind::Other,
            format!("{label}: remote root `{asked}`: {why}"),
        )
    };
    let name = match session.sftp.realpath(asked).await {
        Ok(n) => n,
        Err(e) if status_code(&e).is_some() => {
            return Err(unusable(&status_error(label, &e).to_string()));
        }
        Err(e) => return Err(session.fail(e)),
    };
    let absolute = name
        .files
        .into_iter()
        .next()
        .map(|f| f.filename)
        .ok_or_else(|| unusable("the server did not resolve it"))?;
    match session.sftp.stat(absolute.as_str()).await {
        Ok(attrs) if attrs.attrs.file_type().is_dir() => {}
        Ok(_) => return Err(unusable("Not a directory")),
        Err(e) if status_code(&e).is_some() => {
            return Err(unusable(&status_error(label, &e).to_string()));
        }
        Err(e) => return Err(session.fail(e)),
    }
    let trimmed = absolute.trim_end_matches('/');
    Ok(if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.into()
    })
}
