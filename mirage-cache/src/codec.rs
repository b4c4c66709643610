//! How index entries travel through a shared store: compact JSON, versioned by shape, decoded
//! defensively (a corrupt entry is a store error, never a wrong answer).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mirage_core::{DirEntry, FileKind, FileStat};
use serde_json::{Value, json};

use crate::store::{IndexEntry, IndexValue, StoreError, StoreResult};

fn time_to_json(t: SystemTime) -> Value {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => json!([d.as_secs(), d.subsec_nanos()]),
        Err(e) => json!([
            -(e.duration().as_secs() as i64),
            e.duration().subsec_nanos(),
            1
        ]),
    }
}

fn time_from_json(v: &Value) -> Option<SystemTime> {
    let a = v.as_array()?;
    let nanos = u32::try_from(a.get(1)?.as_u64()?).ok()?;
    if a.len() == 3 {
        let secs = a.first()?.as_i64()?.unsigned_abs();
        return UNIX_EPOCH.checked_sub(Duration::new(secs, nanos));
    }
    UNIX_EPOCH.checked_add(Duration::new(a.first()?.as_u64()?, nanos))
}

fn stat_to_json(st: &FileStat) -> Value {
    json!({
        "k": match st.kind { FileKind::File => "f", FileKind::Dir => "d", FileKind::Symlink => "l", FileKind::CharDevice => "c" },
        "z": st.size,
        "m": st.modified.map(time_to_json),
        "f": st.fingerprint,
        "p": st.mode,
    })
}

fn stat_from_json(v: &Value) -> Option<FileStat> {
    let kind = match v.get("k")?.as_str()? {
        "f" => FileKind::File,
        "d" => FileKind::Dir,
        "l" => FileKind::Symlink,
        "c" => FileKind::CharDevice,
        _ => return None,
    };
    let opt_u64 = |key: &str| -> Option<Option<u64>> {
        match v.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(x) => x.as_u64().map(Some),
        }
    };
    Some(FileStat {
        kind,
        size: opt_u64("z")?,
        modified: match v.get("m") {
            None | Some(Value::Null) => None,
            Some(t) => Some(time_from_json(t)?),
        },
        fingerprint: match v.get("f") {
            None | Some(Value::Null) => None,
            Some(f) => Some(f.as_str()?.to_string()),
        },
        mode: match opt_u64("p")? {
            None => None,
            Some(m) => Some(u32::try_from(m).ok()?),
        },
    })
}

pub fn encode_entry(e: &IndexEntry) -> String {
    let v = match &e.value {
        IndexValue::Stat(st) => json!({ "v": 1, "e": e.expires_ms, "s": stat_to_json(st) }),
        IndexValue::Listing(entries) => json!({
            "v": 1,
            "e": e.expires_ms,
            "l": entries
                .iter()
                .map(|d| json!({ "n": d.name, "s": stat_to_json(&d.stat) }))
                .collect::<Vec<_>>(),
        }),
    };
    v.to_string()
}

pub fn decode_entry(text: &str) -> StoreResult<IndexEntry> {
    let bad = || StoreError("corrupt index entry".to_string());
    let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
    if v.get("v").and_then(Value::as_u64) != Some(1) {
        return Err(bad());
    }
    let expires_ms = v.get("e").and_then(Value::as_u64).ok_or_else(bad)?;
    let value = if let Some(s) = v.get("s") {
        IndexValue::Stat(stat_from_json(s).ok_or_else(bad)?)
    } else {
        let list = v.get("l").and_then(Value::as_array).ok_or_else(bad)?;
        let mut entries = Vec::with_capacity(list.len());
        for item in list {
            let name = item.get("n").and_then(Value::as_str).ok_or_else(bad)?;
            let stat = item.get("s").and_then(stat_from_json).ok_or_else(bad)?;
            entries.push(DirEntry {
                name: name.to_string(),
                stat,
            });
        }
        IndexValue::Listing(entries)
    };
    Ok(IndexEntry { value, expires_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_corruption_is_an_error() {
        let st = FileStat {
            kind: FileKind::File,
            size: Some(5),
            modified: Some(UNIX_EPOCH + Duration::new(1_700_000_000, 123)),
            fingerprint: Some("\"etag\"".into()),
            mode: Some(0o644),
        };
        for value in [
            IndexValue::Stat(st.clone()),
            IndexValue::Stat(FileStat::dir()),
            IndexValue::Listing(vec![
                DirEntry {
                    name: "a b".into(),
                    stat: st,
                },
                DirEntry {
                    name: "d".into(),
                    stat: FileStat::dir(),
                },
            ]),
        ] {
            let e = IndexEntry {
                value,
                expires_ms: 42,
            };
            assert_eq!(decode_entry(&encode_entry(&e)), Ok(e));
        }
        for junk in [
            "",
            "{}",
            "[1]",
            r#"{"v":1,"e":1,"s":{"k":"x"}}"#,
            r#"{"v":2,"e":1}"#,
        ] {
            assert!(decode_entry(junk).is_err(), "{junk}");
        }
    }
}
