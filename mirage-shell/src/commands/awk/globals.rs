//! Global variables, in slots numbered at parse time. The interpreter touches a few globals on
//! every record (NR, FNR, FS, RS...) and a program's own variables (`n += ...`) on every
//! statement; hashing their names each time was a quarter of a simple program's run time. The
//! parser gives every global name a number (`Var::Global`), the special ones fixed numbers, so
//! a program's accesses index a vector. Names met only at run time (`-v` assignments, ARGV
//! operands, ENVIRON...) get the next free number.

use std::collections::HashMap;

use super::interp::Cell;

/// The names with fixed numbers, in order: every program's table starts with them.
pub const SPECIAL: [&str; 10] = [
    "NR", "FNR", "FS", "RS", "OFS", "ORS", "CONVFMT", "OFMT", "SUBSEP", "NF",
];
pub const NR: usize = 0;
pub const FNR: usize = 1;
pub const FS: usize = 2;
pub const RS: usize = 3;
pub const NF: usize = 9;

fn special(name: &str) -> Option<usize> {
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

/// Names to numbers, shared by the parser (which numbers a program's names) and the
/// interpreter (which adds names met at run time).
#[derive(Clone, Debug)]
pub struct GlobalNames {
    ids: HashMap<String, usize, foldhash::fast::RandomState>,
    names: Vec<String>,
}

impl Default for GlobalNames {
    fn default() -> Self {
        let mut t = GlobalNames {
            ids: HashMap::default(),
            names: Vec::new(),
        };
        for name in SPECIAL {
            t.intern(name);
        }
        t
    }
}

impl GlobalNames {
    /// The number of `name`, given a new one if it has none.
    pub fn intern(&mut self, name: &str) -> usize {
        if let Some(i) = special(name)
            && i < self.names.len()
        {
            return i;
        }
        if let Some(&i) = self.ids.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), i);
        i
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        special(name).or_else(|| self.ids.get(name).copied())
    }
}

/// The values of the globals, by number.
#[derive(Default)]
pub struct Globals {
    names: GlobalNames,
    cells: Vec<Option<Cell>>,
}

impl Globals {
    /// Storage for a program whose names were numbered in `names`.
    pub fn for_program(names: &GlobalNames) -> Globals {
        Globals {
            names: names.clone(),
            cells: vec![None; names.names.len()],
        }
    }

    pub fn by_id(&self, id: usize) -> Option<&Cell> {
        self.cells.get(id)?.as_ref()
    }

    /// The cell of global `id`, created (uninitialised) when unset.
    pub fn by_id_mut_or_init(&mut self, id: usize, init: impl FnOnce() -> Cell) -> &mut Cell {
        if id >= self.cells.len() {
            self.cells.resize(id + 1, None);
        }
        self.cells[id].get_or_insert_with(init)
    }

    pub fn by_id_mut(&mut self, id: usize) -> Option<&mut Cell> {
        self.cells.get_mut(id)?.as_mut()
    }

    pub fn get(&self, name: &str) -> Option<&Cell> {
        self.by_id(self.names.get(name)?)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Cell> {
        let id = self.names.get(name)?;
        self.by_id_mut(id)
    }

    pub fn insert(&mut self, name: String, cell: Cell) -> Option<Cell> {
        let id = self.names.intern(&name);
        if id >= self.cells.len() {
            self.cells.resize(id + 1, None);
        }
        self.cells[id].replace(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::awk::interp::Value;

    #[test]
    fn special_program_and_runtime_names_round_trip() {
        let mut names = GlobalNames::default();
        for (i, name) in SPECIAL.iter().enumerate() {
            assert_eq!(names.intern(name), i);
        }
        let total = names.intern("total");
        assert_eq!(total, SPECIAL.len());
        assert_eq!(names.intern("total"), total);
        let mut g = Globals::for_program(&names);
        assert!(g.get("FS").is_none());
        g.insert("FS".into(), Cell::Val(Value::Num(2.0)));
        assert!(matches!(g.by_id(FS), Some(Cell::Val(Value::Num(n))) if *n == 2.0));
        *g.by_id_mut_or_init(total, || Cell::Val(Value::Uninit)) = Cell::Val(Value::Num(7.0));
        assert!(matches!(g.get("total"), Some(Cell::Val(Value::Num(n))) if *n == 7.0));
        // A name the program never mentioned gets the next number.
        g.insert("late".into(), Cell::Val(Value::Num(1.0)));
        assert!(matches!(g.get("late"), Some(Cell::Val(Value::Num(n))) if *n == 1.0));
        assert!(g.get("nr").is_none());
    }
}
