//! Global variables. The interpreter touches a few of them on every record (NR, FNR, FS, RS,
//! OFS, ORS, CONVFMT...); hashing and comparing their names each time was a quarter of a simple
//! program's run time. Those live in fixed slots found by a `match` on the name (compiled to a
//! couple of integer compares); every other global stays in a hash map.

use std::collections::HashMap;

use super::interp::Cell;

/// The names with a fixed slot, in slot order.
const SPECIAL: [&str; 10] = [
    "NR", "FNR", "FS", "RS", "OFS", "ORS", "CONVFMT", "OFMT", "SUBSEP", "NF",
];

fn slot(name: &str) -> Option<usize> {
    Some(match name {
        "NR" => 0,
        "FNR" => 1,
        "FS" => 2,
        "RS" => 3,
        "OFS" => 4,
        "ORS" => 5,
        "CONVFMT" => 6,
        "OFMT" => 7,
        "SUBSEP" => 8,
        "NF" => 9,
        _ => return None,
    })
}

#[derive(Default)]
pub struct Globals {
    special: [Option<Cell>; SPECIAL.len()],
    rest: HashMap<String, Cell, foldhash::fast::RandomState>,
}

impl Globals {
    pub fn get(&self, name: &str) -> Option<&Cell> {
        match slot(name) {
            Some(i) => self.special[i].as_ref(),
            None => self.rest.get(name),
        }
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Cell> {
        match slot(name) {
            Some(i) => self.special[i].as_mut(),
            None => self.rest.get_mut(name),
        }
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn insert(&mut self, name: String, cell: Cell) -> Option<Cell> {
        match slot(&name) {
            Some(i) => self.special[i].replace(cell),
            None => self.rest.insert(name, cell),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::awk::interp::Value;

    #[test]
    fn special_and_other_names_round_trip() {
        let mut g = Globals::default();
        for (i, name) in SPECIAL.iter().enumerate() {
            assert_eq!(slot(name), Some(i));
            assert!(!g.contains_key(name));
            g.insert(name.to_string(), Cell::Val(Value::Num(i as f64)));
        }
        g.insert("total".into(), Cell::Val(Value::Num(7.0)));
        assert!(matches!(g.get("FS"), Some(Cell::Val(Value::Num(n))) if *n == 2.0));
        assert!(matches!(g.get("total"), Some(Cell::Val(Value::Num(n))) if *n == 7.0));
        if let Some(Cell::Val(v)) = g.get_mut("NR") {
            *v = Value::Num(41.0);
        }
        assert!(matches!(g.get("NR"), Some(Cell::Val(Value::Num(n))) if *n == 41.0));
        assert!(g.get("nr").is_none());
    }
}
