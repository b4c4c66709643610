//! jq 1.6's path operations: `getpath`, `setpath`, `delpaths` and the updates behind `=`,
//! `|=`, `+=`, `//=` and friends.
//!
//! jaq updates values in place through its own path machinery, which refuses to descend into
//! `null`; jq creates what is missing instead (`null | .a.b = 1` is `{"a":{"b":1}}`). So the
//! assignment operators are compiled to calls that first collect the paths of the left-hand
//! side (`[path(LHS)]`) and then apply jq's `setpath`/`delpaths` semantics here, one path at a
//! time, as jq 1.6's `_modify` and `_assign` do.

use jaq_core::ValT;
use jaq_json::{Error, Map, Rc, Val};

use super::errors::described;
use super::format::num_f64;
use super::formats::kind;

/// Arrays are not grown beyond this many elements by an assignment.
const MAX_INDEX: f64 = 10_000_000.0;

/// jq's message for a key that cannot index a value.
fn index_error(v: &Val, k: &Val) -> Error {
    match k {
        Val::TStr(s) | Val::BStr(s) => Error::str(format!(
            "Cannot index {} with string \"{}\"",
            kind(v),
            String::from_utf8_lossy(s)
        )),
        other => Error::str(format!("Cannot index {} with {}", kind(v), kind(other))),
    }
}

fn is_str(v: &Val) -> bool {
    matches!(v, Val::TStr(_) | Val::BStr(_))
}

/// The elements of a path, or jq's error for something that is not a path.
fn path_items(p: &Val) -> Result<&[Val], Error> {
    match p {
        Val::Arr(a) => Ok(a),
        _ => Err(Error::str("Path must be specified as an array")),
    }
}

/// An index as jaq should see it: jq 1.6 indexes arrays with any number, truncating an
/// integral one and yielding null for a fraction (or nan, or one out of range), where jaq
/// accepts only integers. Those become an index that is out of range for every array.
pub fn key(k: Val) -> Val {
    match &k {
        Val::Num(n) if !matches!(n, jaq_json::Num::Int(_)) => {
            let f = num_f64(n);
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                Val::from(f as isize)
            } else {
                Val::from(isize::MIN + 1)
            }
        }
        _ => k,
    }
}

/// `.[k]` with jq 1.6's rules (null yields null, objects take only strings).
pub fn get(v: &Val, k: &Val) -> Result<Val, Error> {
    match (v, k) {
        (Val::Null, Val::TStr(_) | Val::BStr(_) | Val::Num(_) | Val::Obj(_)) => Ok(Val::Null),
        (Val::Obj(o), k) if is_str(k) => Ok(o.get(k).cloned().unwrap_or(Val::Null)),
        (Val::Obj(_), k) => Err(index_error(v, k)),
        (Val::Arr(a), Val::Num(n)) => {
            let f = num_f64(n);
            if f.fract() != 0.0 || f.is_nan() {
                return Ok(Val::Null);
            }
            let i = if f < 0.0 { a.len() as f64 + f } else { f };
            if i < 0.0 || i >= a.len() as f64 {
                return Ok(Val::Null);
            }
            Ok(a.get(i as usize).cloned().unwrap_or(Val::Null))
        }
        (Val::Arr(_), Val::Arr(_) | Val::Obj(_)) | (Val::TStr(_) | Val::BStr(_), Val::Obj(_)) => {
            v.clone().index(k)
        }
        _ => Err(index_error(v, k)),
    }
}

/// `getpath(P)`.
pub fn getpath(v: &Val, path: &Val) -> Result<Val, Error> {
    let mut cur = v.clone();
    for k in path_items(path)? {
        if matches!(cur, Val::Null) {
            return Ok(Val::Null);
        }
        cur = get(&cur, k)?;
    }
    Ok(cur)
}

/// `setpath(P; X)`.
pub fn setpath(v: Val, path: &Val, x: Val) -> Result<Val, Error> {
    set(v, path_items(path)?, x)
}

/// The bounds `[start, end)` of a slice `{"start": S, "end": E}` of a sequence of `len`.
fn slice_bounds(key: &Map<Val, Val>, len: usize) -> Result<(usize, usize), Error> {
    let bound = |name: &str, default: f64| -> Result<f64, Error> {
        match key.get(&Val::utf8_str(name.as_bytes().to_vec())) {
            None | Some(Val::Null) => Ok(default),
            Some(Val::Num(n)) => Ok(num_f64(n)),
            Some(_) => Err(Error::str(
                "Start and end indices of an array slice must be numbers",
            )),
        }
    };
    let len_f = len as f64;
    let mut start = bound("start", 0.0)?;
    let mut end = bound("end", len_f)?;
    if start < 0.0 {
        start += len_f;
    }
    if end < 0.0 {
        end += len_f;
    }
    start = start.clamp(0.0, len_f);
    end = end.min(len_f);
    if end < start {
        end = start;
    }
    let s = start as usize;
    let e = if end > end.trunc() {
        end as usize + 1
    } else {
        end as usize
    };
    Ok((s, e.min(len)))
}

/// An array index for assignment: negative counts from the end.
fn array_index(f: f64, len: usize) -> Result<usize, Error> {
    let f = f.trunc();
    let i = if f < 0.0 { len as f64 + f } else { f };
    if i < 0.0 {
        return Err(Error::str("Out of bounds negative array index"));
    }
    if i >= MAX_INDEX || i.is_nan() {
        return Err(Error::str("Array index too large"));
    }
    Ok(i as usize)
}

fn set(v: Val, path: &[Val], x: Val) -> Result<Val, Error> {
    let Some((key, rest)) = path.split_first() else {
        return Ok(x);
    };
    match (v, key) {
        (Val::Null, k) if is_str(k) => set(Val::obj(Map::default()), path, x),
        (Val::Null, Val::Num(_) | Val::Obj(_)) => set(Val::Arr(Rc::new(Vec::new())), path, x),
        (Val::Obj(mut o), k) if is_str(k) => {
            let map = Rc::make_mut(&mut o);
            let slot = map.entry(k.clone()).or_insert(Val::Null);
            let old = std::mem::take(slot);
            *slot = set(old, rest, x)?;
            Ok(Val::Obj(o))
        }
        (Val::Arr(mut a), Val::Num(n)) => {
            let i = array_index(num_f64(n), a.len())?;
            let arr = Rc::make_mut(&mut a);
            if i >= arr.len() {
                arr.resize(i + 1, Val::Null);
            }
            let old = std::mem::take(&mut arr[i]);
            arr[i] = set(old, rest, x)?;
            Ok(Val::Arr(a))
        }
        (Val::Arr(mut a), Val::Obj(k)) => {
            let (s, e) = slice_bounds(k, a.len())?;
            let old = Val::Arr(Rc::new(a[s..e].to_vec()));
            let Val::Arr(new) = set(old, rest, x)? else {
                return Err(Error::str(
                    "A slice of an array can only be assigned another array",
                ));
            };
            let arr = Rc::make_mut(&mut a);
            arr.splice(s..e, new.iter().cloned());
            Ok(Val::Arr(a))
        }
        (v @ (Val::TStr(_) | Val::BStr(_)), Val::Obj(_)) => Err(Error::str(format!(
            "Cannot update field at object index of {}",
            kind(&v)
        ))),
        (v, k) => Err(index_error(&v, k)),
    }
}

/// Takes the value at `path` out of `v` (leaving null) when every container on the way
/// exists, so that an update can change it without copying; otherwise reads it.
fn take(v: &mut Val, path: &[Val]) -> Result<Val, Error> {
    let Some((key, rest)) = path.split_first() else {
        return Ok(std::mem::take(v));
    };
    match (&mut *v, key) {
        (Val::Obj(o), k) if is_str(k) && o.contains_key(k) => {
            let map = Rc::make_mut(o);
            match map.get_mut(k) {
                Some(slot) => take(slot, rest),
                None => Ok(Val::Null),
            }
        }
        (Val::Arr(a), Val::Num(n)) => {
            let f = num_f64(n);
            let i = if f < 0.0 { a.len() as f64 + f } else { f };
            if f.fract() == 0.0 && i >= 0.0 && i < a.len() as f64 {
                let arr = Rc::make_mut(a);
                match arr.get_mut(i as usize) {
                    Some(slot) => take(slot, rest),
                    None => Ok(Val::Null),
                }
            } else {
                getpath(v, &Val::Arr(Rc::new(path.to_vec())))
            }
        }
        _ => getpath(v, &Val::Arr(Rc::new(path.to_vec()))),
    }
}

/// `delpaths(PATHS)`.
pub fn delpaths(v: Val, paths: &Val) -> Result<Val, Error> {
    let Val::Arr(ps) = paths else {
        return Err(Error::str("Paths must be specified as an array"));
    };
    let mut list: Vec<&[Val]> = Vec::with_capacity(ps.len());
    for p in ps.iter() {
        match p {
            Val::Arr(a) => list.push(a),
            other => {
                return Err(Error::str(format!(
                    "Path must be specified as array, not {}",
                    kind(other)
                )));
            }
        }
    }
    list.sort();
    match list.first() {
        None => Ok(v),
        Some([]) => Ok(Val::Null),
        Some(_) => del_sorted(v, &list, 0),
    }
}

/// Deletes the sorted `paths` (all longer than `depth`) below `v`, as jq's `delpaths_sorted`.
fn del_sorted(mut v: Val, paths: &[&[Val]], depth: usize) -> Result<Val, Error> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < paths.len() {
        let key = &paths[i][depth];
        let mut j = i;
        while j < paths.len() && paths[j].get(depth) == Some(key) {
            j += 1;
        }
        if paths[i].len() == depth + 1 {
            keys.push(key.clone());
        } else {
            let sub = get(&v, key)?;
            if !matches!(sub, Val::Null) {
                let new = del_sorted(sub, &paths[i..j], depth + 1)?;
                v = set(v, std::slice::from_ref(key), new)?;
            }
        }
        i = j;
    }
    delete_keys(v, &keys)
}

/// Deletes the (sorted) `keys` of one container.
fn delete_keys(v: Val, keys: &[Val]) -> Result<Val, Error> {
    if keys.is_empty() {
        return Ok(v);
    }
    match v {
        Val::Null => Ok(Val::Null),
        Val::Obj(mut o) => {
            if let Some(k) = keys.iter().find(|k| !is_str(k)) {
                return Err(Error::str(format!(
                    "Cannot delete {} field of object",
                    kind(k)
                )));
            }
            let map = Rc::make_mut(&mut o);
            for k in keys {
                map.shift_remove(k);
            }
            Ok(Val::Obj(o))
        }
        Val::Arr(mut a) => {
            let len = a.len();
            let mut drop = vec![false; len];
            for k in keys {
                match k {
                    Val::Num(n) => {
                        let f = num_f64(n).trunc();
                        let i = if f < 0.0 { len as f64 + f } else { f };
                        if i >= 0.0 && i < len as f64 {
                            drop[i as usize] = true;
                        }
                    }
                    Val::Obj(s) => {
                        let (s, e) = slice_bounds(s, len)?;
                        drop[s..e].iter_mut().for_each(|d| *d = true);
                    }
                    other => {
                        return Err(Error::str(format!(
                            "Cannot delete {} element of array",
                            kind(other)
                        )));
                    }
                }
            }
            let arr = Rc::make_mut(&mut a);
            let mut idx = 0;
            arr.retain(|_| {
                let keep = !drop[idx];
                idx += 1;
                keep
            });
            Ok(Val::Arr(a))
        }
        other => Err(Error::str(format!(
            "Cannot delete fields from {}",
            kind(&other)
        ))),
    }
}

/// `L / R`, with jq's error for a zero divisor.
pub fn divide(l: Val, r: Val) -> Result<Val, Error> {
    if let (Val::Num(_), Val::Num(n)) = (&l, &r)
        && num_f64(n) == 0.0
    {
        return Err(Error::str(format!(
            "{} and {} cannot be divided because the divisor is zero",
            described(&l),
            described(&r)
        )));
    }
    l / r
}

/// jq 1.6 converts the operands of `%` to integers the way C casts a double: truncating,
/// with anything out of range (or nan) becoming the smallest integer.
fn c_int(f: f64) -> i64 {
    // 2^63: the casts below saturate, C's gives the smallest integer.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `L % R` on integers, as jq 1.6.
pub fn remainder(l: Val, r: Val) -> Result<Val, Error> {
    let (Val::Num(a), Val::Num(b)) = (&l, &r) else {
        return l % r;
    };
    let (a, b) = (c_int(num_f64(a)), c_int(num_f64(b)));
    if b == 0 {
        return Err(Error::str(format!(
            "{} and {} cannot be divided (remainder) because the divisor is zero",
            described(&l),
            described(&r)
        )));
    }
    let m = a.wrapping_rem(b);
    Ok(match isize::try_from(m) {
        Ok(i) => Val::from(i),
        Err(_) => Val::Num(jaq_json::Num::Float(m as f64)),
    })
}

/// `LHS = $x`: sets every path in `paths` to `x`.
pub fn assign(mut v: Val, paths: &Val, x: &Val) -> Result<Val, Error> {
    let Val::Arr(ps) = paths else {
        return Ok(v);
    };
    for p in ps.iter() {
        v = set(v, path_items(p)?, x.clone())?;
    }
    Ok(v)
}

/// `LHS |= f`: replaces the value at each path by the first output of `f` on it, deleting the
/// path when `f` yields nothing (jq 1.6's `_modify`).
pub fn modify<E>(
    mut v: Val,
    paths: &Val,
    mut f: impl FnMut(Val) -> Option<Result<Val, E>>,
) -> Result<Val, E>
where
    E: From<Error>,
{
    let Val::Arr(ps) = paths else {
        return Ok(v);
    };
    for p in ps.iter() {
        let items = path_items(p)?;
        let old = take(&mut v, items)?;
        v = match f(old) {
            Some(Ok(y)) => set(v, items, y)?,
            Some(Err(e)) => return Err(e),
            None => delpaths(v, &Val::Arr(Rc::new(vec![p.clone()])))?,
        };
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Val {
        super::super::parse::parse_one(s.as_bytes()).unwrap_or(Val::Null)
    }

    fn c(v: &Val) -> String {
        super::super::format::to_compact(v)
    }

    #[test]
    fn set_creates_containers() {
        let v = setpath(Val::Null, &j(r#"["a",1,"b"]"#), j("1")).map(|v| c(&v));
        assert_eq!(v.ok().as_deref(), Some(r#"{"a":[null,{"b":1}]}"#));
        let v = setpath(
            j("[1,2,3]"),
            &j(r#"[{"start":1,"end":2}]"#),
            j(r#"["x","y"]"#),
        );
        assert_eq!(v.map(|v| c(&v)).ok().as_deref(), Some(r#"[1,"x","y",3]"#));
    }

    #[test]
    fn delete_many() {
        let v = delpaths(j("[1,2,3,4]"), &j("[[0],[2]]")).map(|v| c(&v));
        assert_eq!(v.ok().as_deref(), Some("[2,4]"));
        let v = delpaths(j("{}"), &j(r#"[["x","y"]]"#)).map(|v| c(&v));
        assert_eq!(v.ok().as_deref(), Some("{}"));
    }
}
