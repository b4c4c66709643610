//! Natives whose jq 1.6 behaviour jaq's versions do not have: `keys_unsorted` (jq's "has no
//! keys" error) and `setpath` (creating containers along the path from `null`).

use jaq_json::{Error, Map, Rc, Val};

use super::errors::described;
use super::format::num_f64;
use super::formats::kind;

/// Keys of an object (in order) or indices of an array.
pub fn keys_unsorted(v: &Val) -> Result<Val, Error> {
    match v {
        Val::Obj(o) => Ok(Val::Arr(Rc::new(o.keys().cloned().collect()))),
        Val::Arr(a) => Ok(Val::Arr(Rc::new(
            (0..a.len()).map(|i| Val::from(i as isize)).collect(),
        ))),
        other => Err(Error::str(format!("{} has no keys", described(other)))),
    }
}

/// `setpath(PATH; X)`: replaces the value at PATH, creating objects and arrays on the way.
pub fn setpath(v: Val, path: &Val, x: Val) -> Result<Val, Error> {
    let Val::Arr(p) = path else {
        return Err(Error::str("Path must be specified as an array"));
    };
    set(v, p, x)
}

fn set(v: Val, path: &[Val], x: Val) -> Result<Val, Error> {
    let Some((key, rest)) = path.split_first() else {
        return Ok(x);
    };
    match (v, key) {
        (Val::Null, Val::TStr(_) | Val::BStr(_)) => set(Val::obj(Map::default()), path, x),
        (Val::Null, Val::Num(_)) => set(Val::Arr(Rc::new(Vec::new())), path, x),
        (Val::Obj(o), k @ (Val::TStr(_) | Val::BStr(_))) => {
            let mut map = Rc::unwrap_or_clone(o);
            let old = map.get(k).cloned().unwrap_or(Val::Null);
            map.insert(k.clone(), set(old, rest, x)?);
            Ok(Val::obj(map))
        }
        (Val::Arr(a), Val::Num(n)) => {
            let mut arr = Rc::unwrap_or_clone(a);
            let f = num_f64(n);
            let i = if f < 0.0 {
                let back = (-f) as usize;
                arr.len()
                    .checked_sub(back)
                    .ok_or_else(|| Error::str("Out of bounds negative array index"))?
            } else {
                f as usize
            };
            if i >= arr.len() {
                arr.resize(i + 1, Val::Null);
            }
            let old = std::mem::take(&mut arr[i]);
            arr[i] = set(old, rest, x)?;
            Ok(Val::Arr(Rc::new(arr)))
        }
        (v, Val::TStr(s) | Val::BStr(s)) => Err(Error::str(format!(
            "Cannot index {} with \"{}\"",
            kind(&v),
            String::from_utf8_lossy(s)
        ))),
        (v, k) => Err(Error::str(format!(
            "Cannot index {} with {}",
            kind(&v),
            kind(k)
        ))),
    }
}
