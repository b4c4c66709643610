//! Listings: one directory level (`delimiter=/`) or every key below a prefix, both following
//! continuation tokens to the end.
//!
//! Listings ask for URL-encoded keys (`encoding-type=url`): the response is XML, which cannot
//! carry control characters, so a single key holding one (`$'a\x01b'`, a newline) would
//! otherwise make the whole directory unreadable.

use std::collections::BTreeMap;

use aws_sdk_s3::types::EncodingType;
use mirage_core::{DirEntry, FileStat, FsError, FsResult, VPath};

use crate::Inner;
use crate::error::fs_err;
use crate::keys::usable_name;
use crate::probe::to_system_time;

/// One object found below a prefix.
pub(crate) struct KeyInfo {
    pub key: String,
    pub size: u64,
}

impl Inner {
    /// The entries of the directory `path`. A directory is there when any key starts with its
    /// prefix (its own marker included); the root always is.
    pub(crate) async fn list_dir(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        // For the root an empty listing is an empty bucket; a missing bucket or bad credentials
        // fail the listing request itself.
        let prefix = self.dir_prefix(path);
        // Keyed by name: a file and a same-named prefix give one entry, the file (as `stat`).
        let mut entries: BTreeMap<String, FileStat> = BTreeMap::new();
        let mut seen_any = false;
        let mut token: Option<String> = None;
        loop {
            let mut req = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .delimiter("/")
                .encoding_type(EncodingType::Url)
                .max_keys(self.page_size)
                .set_continuation_token(token.take());
            if !prefix.is_empty() {
                req = req.prefix(&prefix);
            }
            let out = req
                .send()
                .await
                .map_err(|e| fs_err(&self.label, "ListObjectsV2", e))?;
            for cp in out.common_prefixes() {
                seen_any = true;
                let Some(p) = cp.prefix().map(decode_key) else {
                    continue;
                };
                let name = p
                    .strip_prefix(prefix.as_str())
                    .unwrap_or(&p)
                    .trim_end_matches('/');
                if usable_name(name) && !name.contains('/') {
                    entries
                        .entry(name.to_string())
                        .or_insert_with(FileStat::dir);
                }
            }
            for obj in out.contents() {
                seen_any = true;
                let Some(key) = obj.key().map(decode_key) else {
                    continue;
                };
                let name = key.strip_prefix(prefix.as_str()).unwrap_or(&key);
                // The directory's own marker is not an entry.
                if !usable_name(name) || name.contains('/') {
                    continue;
                }
                let mut st = FileStat::file(obj.size().unwrap_or(0).max(0) as u64);
                st.modified = obj.last_modified().and_then(to_system_time);
                st.fingerprint = obj.e_tag().map(str::to_string);
                entries.insert(name.to_string(), st);
            }
            match out.next_continuation_token() {
                Some(t) if out.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => break,
            }
        }
        if !seen_any && !path.is_root() {
            return Err(match self.head(&self.key(path)).await? {
                Some(_) => FsError::not_dir(),
                None => self.missing(path).await,
            });
        }
        Ok(entries
            .into_iter()
            .map(|(name, stat)| DirEntry { name, stat })
            .collect())
    }

    /// Every object whose key starts with `prefix`, in key order.
    pub(crate) async fn list_keys(&self, prefix: &str) -> FsResult<Vec<KeyInfo>> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .encoding_type(EncodingType::Url)
                .max_keys(self.page_size)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| fs_err(&self.label, "ListObjectsV2", e))?;
            for obj in out.contents() {
                if let Some(key) = obj.key().map(decode_key) {
                    keys.push(KeyInfo {
                        key,
                        size: obj.size().unwrap_or(0).max(0) as u64,
                    });
                }
            }
            match out.next_continuation_token() {
                Some(t) if out.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(keys)
    }

    /// Whether the directory prefix holds anything besides its own marker.
    pub(crate) async fn has_children(&self, dir_prefix: &str) -> FsResult<bool> {
        let out = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(dir_prefix)
            .encoding_type(EncodingType::Url)
            .max_keys(2)
            .send()
            .await
            .map_err(|e| fs_err(&self.label, "ListObjectsV2", e))?;
        Ok(out
            .contents()
            .iter()
            .any(|o| o.key().map(decode_key).as_deref() != Some(dir_prefix)))
    }
}

/// A key as S3 returns it with `encoding-type=url`: percent-encoded, spaces as `+` (a literal
/// `+` arrives as `%2B`). Bytes that are not UTF-8 after decoding become U+FFFD.
fn decode_key(encoded: &str) -> String {
    let spaced = encoded.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode_key;

    #[test]
    fn keys_decode_from_url_encoding() {
        assert_eq!(decode_key("a+b%2Bc"), "a b+c");
        assert_eq!(decode_key("dir/c%01b"), "dir/c\u{1}b");
        assert_eq!(decode_key("n%0Al"), "n\nl");
        assert_eq!(decode_key("caf%C3%A9"), "café");
    }
}
