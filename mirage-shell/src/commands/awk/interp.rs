//! The tree-walking evaluator: values with awk's string/number duality, variables and arrays,
//! the current record and its fields, statements and control flow.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use mirage_core::CommandContext;
use regex::Regex;

use super::format::num_to_str;
use super::globals::NF;
use super::io::IoState;
use super::parser::{BinOp, Expr, GetSrc, LValue, Pattern, Program, Stmt, Var};

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An awk value. `StrNum` is input data that looks numeric: it compares as a number.
#[derive(Clone, Debug)]
pub enum Value {
    Uninit,
    Num(f64),
    Str(String),
    StrNum(String, f64),
}

/// Parses the leading number of `s` as awk does (`"3abc"` is 3, `"x"` is 0).
pub fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let lower: String = t[i..t.len().min(i + 3)].to_ascii_lowercase();
    if lower == "inf" || lower == "nan" {
        let v = if lower == "inf" {
            f64::INFINITY
        } else {
            f64::NAN
        };
        return if b.first() == Some(&b'-') { -v } else { v };
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == ds || (i == ds + 1 && b[ds] == b'.') {
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether the whole of `s` (surrounding blanks allowed) is a number.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() {
        return false;
    }
    let b = t.as_bytes();
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i = 1;
    }
    let ds = i;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        let rest = t[ds..].to_ascii_lowercase();
        return ds == 1 && (rest == "inf" || rest == "nan");
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == b.len()
}

impl Value {
    /// A value that came from input (fields, getline, ARGV, -v): numeric-looking text is a strnum.
    pub fn from_input(s: String) -> Value {
        if looks_numeric(&s) {
            let n = str_to_num(&s);
            Value::StrNum(s, n)
        } else {
            Value::Str(s)
        }
    }

    pub fn to_num(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(n) | Value::StrNum(_, n) => *n,
            Value::Str(s) => str_to_num(s),
        }
    }

    pub fn to_str(&self, convfmt: &str) -> String {
        match self {
            Value::Uninit => String::new(),
            Value::Num(n) => num_to_str(*n, convfmt),
            Value::Str(s) | Value::StrNum(s, _) => s.clone(),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(n) | Value::StrNum(_, n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Value::Num(_) | Value::StrNum(..) | Value::Uninit)
    }
}

/// An array: values by subscript, iterated in insertion order.
#[derive(Default, Debug)]
pub struct Array {
    pub map: HashMap<String, (u64, Value)>,
    seq: u64,
}

impl Array {
    pub fn get(&self, k: &str) -> Option<&Value> {
        self.map.get(k).map(|(_, v)| v)
    }
    pub fn set(&mut self, k: String, v: Value) {
        if let Some(slot) = self.map.get_mut(&k) {
            slot.1 = v;
        } else {
            self.seq += 1;
            self.map.insert(k, (self.seq, v));
        }
    }
    pub fn keys(&self) -> Vec<String> {
        let mut ks: Vec<(&u64, &String)> = self.map.iter().map(|(k, (s, _))| (s, k)).collect();
        ks.sort();
        ks.into_iter().map(|(_, k)| k.clone()).collect()
    }
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

/// A variable slot: a scalar or a reference to an array in the arena.
#[derive(Clone, Debug)]
pub enum Cell {
    Val(Value),
    Arr(usize),
}

/// Non-local exits and failures while running.
#[derive(Debug)]
pub enum AwkErr {
    Fatal(String),
    Io(io::Error),
    Next,
    NextFile,
    Exit,
}

impl From<io::Error> for AwkErr {
    fn from(e: io::Error) -> Self {
        AwkErr::Io(e)
    }
}

pub type R<T> = Result<T, AwkErr>;

/// Statement completion.
pub enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

pub struct Interp<'c> {
    pub ctx: &'c mut CommandContext,
    pub prog: Arc<Program>,
    /// Globals by name; a fast non-cryptographic hash, as awk programs look them up on every
    /// reference (the keys come from the program text, not from the input).
    pub globals: super::globals::Globals,
    pub frames: Vec<Vec<Cell>>,
    pub arrays: Vec<Array>,
    pub record: String,
    /// The allocation of the record before `record`, reused to read the next one.
    pub spare_record: Vec<u8>,
    pub fields: Vec<String>,
    pub split_done: bool,
    /// FS (and paragraph mode) as they were when `$0` was set: a record is split with the
    /// separator in force when it was read, even if FS changes before a field is used.
    record_fs: (String, bool),
    range_on: Vec<bool>,
    pub regex_cache: HashMap<String, Regex>,
    pub io: IoState,
    pub rand_seed: f64,
    pub rand_state: u64,
    pub exit_code: i32,
}

impl<'c> Interp<'c> {
    pub fn new(ctx: &'c mut CommandContext, prog: Arc<Program>) -> Self {
        let ranges = prog.ranges;
        let globals = super::globals::Globals::for_program(&prog.globals);
        let mut it = Interp {
            ctx,
            prog,
            globals,
            frames: Vec::new(),
            arrays: Vec::new(),
            record: String::new(),
            spare_record: Vec::new(),
            fields: Vec::new(),
            split_done: true,
            record_fs: (" ".into(), false),
            range_on: vec![false; ranges],
            regex_cache: HashMap::new(),
            io: IoState::default(),
            rand_seed: 0.0,
            rand_state: 0,
            exit_code: 0,
        };
        for (k, v) in [
            ("FS", " "),
            ("OFS", " "),
            ("ORS", "\n"),
            ("RS", "\n"),
            ("SUBSEP", "\x1c"),
            ("CONVFMT", "%.6g"),
            ("OFMT", "%.6g"),
            ("FILENAME", ""),
        ] {
            it.set_global(k, Value::Str(v.into()));
        }
        for k in ["NR", "FNR", "RSTART", "RLENGTH"] {
            it.set_global(k, Value::Num(0.0));
        }
        it.srand_seed(0.0);
        let env: Vec<(String, String)> = it
            .ctx
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let id = it.global_array("ENVIRON");
        for (k, v) in env {
            it.arrays[id].set(k, Value::from_input(v));
        }
        it
    }

    pub fn gstr(&self, name: &str) -> String {
        match self.globals.get(name) {
            Some(Cell::Val(Value::Str(s) | Value::StrNum(s, _))) => s.clone(),
            Some(Cell::Val(v)) => v.to_str(&self.convfmt()),
            _ => String::new(),
        }
    }

    /// Whether special global `id` (`globals::FS`...) holds exactly the string `want` (no
    /// allocation: asked per record).
    pub fn special_is(&self, id: usize, want: &str) -> bool {
        cell_is(self.globals.by_id(id), want)
    }

    /// CONVFMT; borrowed for the default, which nearly every program keeps, so the many
    /// conversions per record allocate nothing for it.
    pub fn convfmt(&self) -> Cow<'static, str> {
        match self.globals.get("CONVFMT") {
            Some(Cell::Val(v)) => match v {
                Value::Str(s) | Value::StrNum(s, _) if s == "%.6g" => Cow::Borrowed("%.6g"),
                v => Cow::Owned(v.to_str("%.6g")),
            },
            _ => Cow::Borrowed("%.6g"),
        }
    }

    /// OFMT, borrowed for the default as [`Interp::convfmt`] is.
    pub fn ofmt(&self) -> Cow<'static, str> {
        match self.globals.get("OFMT") {
            Some(Cell::Val(v)) => match v {
                Value::Str(s) | Value::StrNum(s, _) if s == "%.6g" => Cow::Borrowed("%.6g"),
                v => Cow::Owned(v.to_str("%.6g")),
            },
            _ => Cow::Borrowed("%.6g"),
        }
    }

    /// Appends global `name` as a string (OFS, ORS) without copying it out first.
    pub fn push_global(&self, name: &str, out: &mut String) {
        match self.globals.get(name) {
            Some(Cell::Val(Value::Str(s) | Value::StrNum(s, _))) => out.push_str(s),
            Some(Cell::Val(v)) => out.push_str(&v.to_str(&self.convfmt())),
            _ => {}
        }
    }

    pub fn set_global(&mut self, name: &str, v: Value) {
        match self.globals.get_mut(name) {
            Some(cell) => *cell = Cell::Val(v),
            None => {
                self.globals.insert(name.to_string(), Cell::Val(v));
            }
        }
    }

    /// The keys of an array in `for (k in a)` order: insertion order, or gawk's
    /// `PROCINFO["sorted_in"]` order when that names a predefined ordering.
    fn sorted_keys(&mut self, id: usize) -> R<Vec<String>> {
        let mut keys = self.arrays[id].keys();
        let mode = match self.globals.get("PROCINFO") {
            Some(Cell::Arr(p)) => self.arrays[*p]
                .get("sorted_in")
                .map(|v| v.to_str("%.6g"))
                .unwrap_or_default(),
            _ => String::new(),
        };
        if mode.is_empty() || mode == "@unsorted" {
            return Ok(keys);
        }
        let conv = self.convfmt();
        let (what, desc) = match mode.strip_suffix("_asc") {
            Some(w) => (w.to_string(), false),
            None => match mode.strip_suffix("_desc") {
                Some(w) => (w.to_string(), true),
                None => (String::new(), false),
            },
        };
        let arr = &self.arrays[id];
        let val = |k: &String| arr.get(k).cloned().unwrap_or(Value::Uninit);
        let num = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal);
        match what.as_str() {
            "@ind_str" => keys.sort(),
            "@ind_num" => keys.sort_by(|a, b| num(str_to_num(a), str_to_num(b)).then(a.cmp(b))),
            "@val_str" => keys.sort_by(|a, b| {
                val(a)
                    .to_str(&conv)
                    .cmp(&val(b).to_str(&conv))
                    .then(a.cmp(b))
            }),
            "@val_num" => keys.sort_by(|a, b| num(val(a).to_num(), val(b).to_num()).then(a.cmp(b))),
            "@val_type" => keys.sort_by(|a, b| {
                let (x, y) = (val(a), val(b));
                match (x.is_numeric(), y.is_numeric()) {
                    (true, true) => num(x.to_num(), y.to_num()),
                    (true, false) => std::cmp::Ordering::Less,
                    (false, true) => std::cmp::Ordering::Greater,
                    (false, false) => x.to_str(&conv).cmp(&y.to_str(&conv)),
                }
                .then(a.cmp(b))
            }),
            _ => {
                return Err(AwkErr::Fatal(format!(
                    "mirage: awk: PROCINFO[\"sorted_in\"] = \"{mode}\" is not supported"
                )));
            }
        }
        if desc {
            keys.reverse();
        }
        Ok(keys)
    }

    /// The array behind global `name`, created if the name is unset.
    pub fn global_array(&mut self, name: &str) -> usize {
        if let Some(Cell::Arr(id)) = self.globals.get(name) {
            return *id;
        }
        let id = self.new_array();
        self.globals.insert(name.to_string(), Cell::Arr(id));
        id
    }

    pub fn new_array(&mut self) -> usize {
        self.arrays.push(Array::default());
        self.arrays.len() - 1
    }

    fn cell(&self, v: &Var) -> Option<&Cell> {
        match v {
            Var::Global { id, .. } => self.globals.by_id(*id),
            Var::Local(i) => self.frames.last().and_then(|f| f.get(*i)),
        }
    }

    fn cell_mut(&mut self, v: &Var) -> Option<&mut Cell> {
        match v {
            Var::Global { id, .. } => Some(
                self.globals
                    .by_id_mut_or_init(*id, || Cell::Val(Value::Uninit)),
            ),
            Var::Local(i) => self.frames.last_mut().and_then(|f| f.get_mut(*i)),
        }
    }

    /// The array a variable refers to, turning an unset variable into a new array.
    pub fn array_of(&mut self, v: &Var) -> R<usize> {
        match self.cell(v) {
            Some(Cell::Arr(id)) => Ok(*id),
            Some(Cell::Val(Value::Uninit)) | None => {
                let id = self.new_array();
                if let Some(c) = self.cell_mut(v) {
                    *c = Cell::Arr(id);
                }
                Ok(id)
            }
            Some(Cell::Val(_)) => Err(AwkErr::Fatal(format!(
                "attempt to use scalar `{}' as an array",
                var_name(v)
            ))),
        }
    }

    pub fn is_array(&self, v: &Var) -> bool {
        matches!(self.cell(v), Some(Cell::Arr(_)))
    }

    pub(super) fn get_var(&mut self, v: &Var) -> R<Value> {
        if let Var::Global { id: NF, .. } = v {
            self.split_record();
            return Ok(Value::Num(self.fields.len() as f64));
        }
        match self.cell(v) {
            Some(Cell::Val(x)) => Ok(x.clone()),
            None => Ok(Value::Uninit),
            Some(Cell::Arr(_)) => Err(AwkErr::Fatal(format!(
                "attempt to use array `{}' in a scalar context",
                var_name(v)
            ))),
        }
    }

    pub(super) fn set_var(&mut self, v: &Var, val: Value) -> R<()> {
        if let Var::Global { id: NF, .. } = v {
            self.split_record();
            let nf = val.to_num().max(0.0) as usize;
            self.fields.resize(nf, String::new());
            self.rebuild_record();
            return Ok(());
        }
        match self.cell_mut(v) {
            Some(Cell::Arr(_)) => Err(AwkErr::Fatal(format!(
                "attempt to use array `{}' in a scalar context",
                var_name(v)
            ))),
            Some(c) => {
                *c = Cell::Val(val);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Sets `$0` and invalidates the fields.
    pub fn set_record(&mut self, s: String) {
        self.spare_record = std::mem::replace(&mut self.record, s).into_bytes();
        self.split_done = false;
        if !self.special_is(super::globals::FS, &self.record_fs.0) {
            self.record_fs.0 = self.gstr("FS");
        }
        self.record_fs.1 = self.special_is(super::globals::RS, "");
    }

    pub fn split_record(&mut self) {
        if self.split_done {
            return;
        }
        self.split_done = true;
        // The default FS and a single-character FS (the common `-F,` / `-F'\t'`) split into
        // the field strings of the previous record, reusing their allocations.
        let fs = self.record_fs.0.as_str();
        if fs == " " {
            fill_fields(&mut self.fields, split_blanks(&self.record));
            return;
        }
        let mut chars = fs.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && c != '\\'
            && !self.record_fs.1
        {
            if self.record.is_empty() {
                self.fields.clear();
            } else {
                fill_fields(&mut self.fields, self.record.split(c));
            }
            return;
        }
        let (fs, paragraph) = self.record_fs.clone();
        let rec = std::mem::take(&mut self.record);
        self.fields = self.split_with(&rec, &fs, paragraph);
        self.record = rec;
    }

    pub fn rebuild_record(&mut self) {
        let ofs = self.gstr("OFS");
        self.record = self.fields.join(&ofs);
    }

    /// Field `i` (1-based) without a copy; `None` past NF.
    pub(super) fn field_text(&mut self, i: usize) -> Option<&str> {
        self.split_record();
        self.fields.get(i.checked_sub(1)?).map(String::as_str)
    }

    pub(super) fn get_field(&mut self, i: usize) -> Value {
        if i == 0 {
            return Value::from_input(self.record.clone());
        }
        self.split_record();
        match self.fields.get(i - 1) {
            Some(s) => Value::from_input(s.clone()),
            None => Value::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        self.split_record();
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = v;
        self.rebuild_record();
    }

    pub(super) fn field_index(&self, v: &Value) -> R<usize> {
        let n = v.to_num();
        if n < 0.0 {
            return Err(AwkErr::Fatal(format!(
                "attempt to access field {}",
                n as i64
            )));
        }
        Ok(n as usize)
    }

    pub fn subscript<'s>(&'s mut self, subs: &'s [Expr]) -> BoxFut<'s, R<String>> {
        Box::pin(async move {
            let conv = self.convfmt();
            let sep = self.gstr("SUBSEP");
            let mut parts = Vec::with_capacity(subs.len());
            for s in subs {
                let v = self.eval(s).await?;
                parts.push(v.to_str(&conv));
            }
            Ok(parts.join(&sep))
        })
    }

    pub fn get_lv<'s>(&'s mut self, lv: &'s LValue) -> BoxFut<'s, R<Value>> {
        Box::pin(async move {
            match lv {
                LValue::Var(v) => self.get_var(v),
                LValue::Field(e) => {
                    let v = self.eval(e).await?;
                    let i = self.field_index(&v)?;
                    Ok(self.get_field(i))
                }
                LValue::Index(v, subs) => {
                    let k = self.subscript(subs).await?;
                    let id = self.array_of(v)?;
                    let arr = &mut self.arrays[id];
                    if let Some(x) = arr.get(&k) {
                        return Ok(x.clone());
                    }
                    // Referencing an element creates it, as in awk.
                    arr.set(k, Value::Uninit);
                    Ok(Value::Uninit)
                }
            }
        })
    }

    pub fn set_lv<'s>(&'s mut self, lv: &'s LValue, val: Value) -> BoxFut<'s, R<()>> {
        Box::pin(async move {
            match lv {
                LValue::Var(v) => self.set_var(v, val),
                LValue::Field(e) => {
                    let iv = self.eval(e).await?;
                    let i = self.field_index(&iv)?;
                    let s = val.to_str(&self.convfmt());
                    self.set_field(i, s);
                    Ok(())
                }
                LValue::Index(v, subs) => {
                    let k = self.subscript(subs).await?;
                    let id = self.array_of(v)?;
                    self.arrays[id].set(k, val);
                    Ok(())
                }
            }
        })
    }

    /// Resolves the index of an lvalue once so that `x op= y` and `x++` evaluate it once.
    async fn fix_lv(&mut self, lv: &LValue) -> R<LValue> {
        Ok(match lv {
            LValue::Var(v) => LValue::Var(v.clone()),
            LValue::Field(e) => {
                let v = self.eval(e).await?;
                LValue::Field(Box::new(Expr::Num(v.to_num())))
            }
            LValue::Index(v, subs) => {
                let k = self.subscript(subs).await?;
                LValue::Index(v.clone(), vec![Expr::Str(k)])
            }
        })
    }

    /// Evaluates an expression. Leaves (constants, plain variables, `$N`) are answered on the
    /// spot; only compound expressions pay for a boxed future (the recursion needs one, and
    /// the allocation showed up as a third of awk's time on a per-line program).
    pub fn eval<'s>(
        &'s mut self,
        e: &'s Expr,
    ) -> futures::future::Either<std::future::Ready<R<Value>>, BoxFut<'s, R<Value>>> {
        use futures::future::Either;
        match e {
            Expr::Num(n) => Either::Left(std::future::ready(Ok(Value::Num(*n)))),
            Expr::Str(s) => Either::Left(std::future::ready(Ok(Value::Str(s.clone())))),
            Expr::LV(LValue::Var(v)) => Either::Left(std::future::ready(self.get_var(v))),
            Expr::LV(LValue::Field(i)) if matches!(**i, Expr::Num(_)) => {
                let value = match **i {
                    Expr::Num(n) => self
                        .field_index(&Value::Num(n))
                        .map(|index| self.get_field(index)),
                    _ => Ok(Value::Uninit),
                };
                Either::Left(std::future::ready(value))
            }
            _ if super::sync_eval::is_sync(e) => Either::Left(std::future::ready(self.eval_now(e))),
            _ => Either::Right(self.eval_compound(e)),
        }
    }

    fn eval_compound<'s>(&'s mut self, e: &'s Expr) -> BoxFut<'s, R<Value>> {
        Box::pin(async move {
            match e {
                // Always evaluated synchronously (`eval` sends them there first).
                Expr::Num(_) | Expr::Str(_) | Expr::Regex(_) => self.eval_now(e),
                Expr::Grouping(list) => {
                    // `(a, b)` outside print/in: gawk rejects it; evaluate as concatenation with SUBSEP.
                    let k = self.subscript(list).await?;
                    Ok(Value::Str(k))
                }
                Expr::LV(lv) => self.get_lv(lv).await,
                Expr::Assign(op, lv, rhs) => {
                    let r = self.eval(rhs).await?;
                    let val = match op {
                        None => match r {
                            Value::Uninit => Value::Uninit,
                            other => other,
                        },
                        Some(op) => {
                            // A plain variable needs no index resolution: update it in place.
                            if let LValue::Var(v) = &**lv {
                                let l = self.get_var(v)?;
                                let n = arith(*op, l.to_num(), r.to_num())?;
                                self.set_var(v, Value::Num(n))?;
                                return Ok(Value::Num(n));
                            }
                            let lv2 = self.fix_lv(lv).await?;
                            let l = self.get_lv(&lv2).await?;
                            let v = arith(*op, l.to_num(), r.to_num())?;
                            self.set_lv(&lv2, Value::Num(v)).await?;
                            return Ok(Value::Num(v));
                        }
                    };
                    match &**lv {
                        LValue::Var(v) => self.set_var(v, val.clone())?,
                        _ => self.set_lv(lv, val.clone()).await?,
                    }
                    Ok(val)
                }
                Expr::Cond(c, a, b) => {
                    if self.eval(c).await?.truthy() {
                        self.eval(a).await
                    } else {
                        self.eval(b).await
                    }
                }
                Expr::And(a, b) => {
                    let r = self.eval(a).await?.truthy() && self.eval(b).await?.truthy();
                    Ok(Value::Num(bool_num(r)))
                }
                Expr::Or(a, b) => {
                    let r = self.eval(a).await?.truthy() || self.eval(b).await?.truthy();
                    Ok(Value::Num(bool_num(r)))
                }
                Expr::Not(a) => Ok(Value::Num(bool_num(!self.eval(a).await?.truthy()))),
                Expr::Neg(a) => Ok(Value::Num(-self.eval(a).await?.to_num())),
                Expr::Plus(a) => Ok(Value::Num(self.eval(a).await?.to_num())),
                Expr::Bin(op, a, b) => {
                    let l = self.eval(a).await?;
                    let r = self.eval(b).await?;
                    self.binary(*op, l, r)
                }
                Expr::Match(neg, a, b) => {
                    let s = self.eval(a).await?.to_str(&self.convfmt());
                    let re = self.regex_operand(b).await?;
                    Ok(Value::Num(bool_num(re.is_match(&s) != *neg)))
                }
                Expr::In(subs, v) => {
                    let k = self.subscript(subs).await?;
                    let id = self.array_of(v)?;
                    Ok(Value::Num(bool_num(self.arrays[id].get(&k).is_some())))
                }
                Expr::Incr(pre, delta, lv) => {
                    if let LValue::Var(v) = &**lv {
                        let old = self.get_var(v)?.to_num();
                        self.set_var(v, Value::Num(old + delta))?;
                        return Ok(Value::Num(if *pre { old + delta } else { old }));
                    }
                    let lv2 = self.fix_lv(lv).await?;
                    let old = self.get_lv(&lv2).await?.to_num();
                    self.set_lv(&lv2, Value::Num(old + delta)).await?;
                    Ok(Value::Num(if *pre { old + delta } else { old }))
                }
                Expr::Call(name, args) => self.call(name, args).await,
                Expr::Builtin(name, args) => self.builtin(name, args).await,
                Expr::Getline(lv, src) => self.getline(lv.as_deref(), src).await,
            }
        })
    }

    /// The regex for the right side of `~`, `sub`, `split`...: a literal or a dynamic string.
    pub async fn regex_operand(&mut self, e: &Expr) -> R<Regex> {
        if let Expr::Regex(r) = e {
            return self.regex(r);
        }
        let s = self.eval(e).await?.to_str(&self.convfmt());
        self.regex(&s)
    }

    pub(super) fn binary(&mut self, op: BinOp, l: Value, r: Value) -> R<Value> {
        let cmp = |o: std::cmp::Ordering| -> bool {
            use std::cmp::Ordering::*;
            match op {
                BinOp::Lt => o == Less,
                BinOp::Le => o != Greater,
                BinOp::Gt => o == Greater,
                BinOp::Ge => o != Less,
                BinOp::Eq => o == Equal,
                _ => o != Equal,
            }
        };
        match op {
            BinOp::Concat => {
                let c = self.convfmt();
                let mut s = l.to_str(&c);
                s.push_str(&r.to_str(&c));
                Ok(Value::Str(s))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => {
                let res = if l.is_numeric() && r.is_numeric() {
                    let (a, b) = (l.to_num(), r.to_num());
                    match a.partial_cmp(&b) {
                        Some(o) => cmp(o),
                        None => op == BinOp::Ne,
                    }
                } else {
                    let c = self.convfmt();
                    cmp(l.to_str(&c).cmp(&r.to_str(&c)))
                };
                Ok(Value::Num(bool_num(res)))
            }
            _ => Ok(Value::Num(arith(op, l.to_num(), r.to_num())?)),
        }
    }

    async fn call(&mut self, name: &str, args: &[Expr]) -> R<Value> {
        let prog = self.prog.clone();
        let Some(f) = prog.funcs.get(name) else {
            return Err(AwkErr::Fatal(format!("function `{name}' not defined")));
        };
        if args.len() > f.params.len() {
            return Err(AwkErr::Fatal(format!(
                "function `{name}' called with more arguments than declared"
            )));
        }
        let mut frame = Vec::with_capacity(f.params.len());
        for (i, a) in args.iter().enumerate() {
            // A bare variable naming an array (or an unset one the callee uses as an array)
            // is passed by reference.
            if let Expr::LV(LValue::Var(v)) = a {
                let wants_array = f.array_params.get(i).copied().unwrap_or(false);
                if self.is_array(v)
                    || (wants_array
                        && matches!(self.cell(v), None | Some(Cell::Val(Value::Uninit))))
                {
                    frame.push(Cell::Arr(self.array_of(v)?));
                    continue;
                }
            }
            let v = self.eval(a).await?;
            frame.push(Cell::Val(v));
        }
        while frame.len() < f.params.len() {
            frame.push(Cell::Val(Value::Uninit));
        }
        if self.frames.len() > 50_000 {
            return Err(AwkErr::Fatal("function call nesting too deep".into()));
        }
        self.frames.push(frame);
        // Deep (legal) recursion polls on a grown stack instead of overflowing the thread's.
        let r = crate::stack::grow(self.exec_block(&f.body)).await;
        self.frames.pop();
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Uninit),
        }
    }

    pub fn exec_block<'s>(&'s mut self, body: &'s [Stmt]) -> BoxFut<'s, R<Flow>> {
        Box::pin(async move {
            for s in body {
                // An expression statement (the bulk of most actions) is evaluated here rather
                // than through `exec`, which would box one more future per statement.
                if let Stmt::Expr(e) = s {
                    self.eval(e).await?;
                    continue;
                }
                match self.exec(s).await? {
                    Flow::Normal => {}
                    other => return Ok(other),
                }
            }
            Ok(Flow::Normal)
        })
    }

    pub fn exec<'s>(&'s mut self, s: &'s Stmt) -> BoxFut<'s, R<Flow>> {
        Box::pin(async move {
            match s {
                Stmt::Expr(e) => {
                    self.eval(e).await?;
                }
                Stmt::Print(args, redir) => self.print(args, redir.as_ref()).await?,
                Stmt::Printf(args, redir) => self.printf(args, redir.as_ref()).await?,
                Stmt::If(c, t, e) => {
                    if self.eval(c).await?.truthy() {
                        return self.exec(t).await;
                    } else if let Some(e) = e {
                        return self.exec(e).await;
                    }
                }
                Stmt::While(c, body) => {
                    while self.eval(c).await?.truthy() {
                        match self.exec(body).await? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                    }
                }
                Stmt::Do(body, c) => loop {
                    match self.exec(body).await? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if !self.eval(c).await?.truthy() {
                        break;
                    }
                },
                Stmt::For(init, cond, step, body) => {
                    if let Some(i) = init {
                        self.exec(i).await?;
                    }
                    loop {
                        if let Some(c) = cond
                            && !self.eval(c).await?.truthy()
                        {
                            break;
                        }
                        match self.exec(body).await? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                        if let Some(st) = step {
                            self.exec(st).await?;
                        }
                    }
                }
                Stmt::ForIn(k, a, body) => {
                    let id = self.array_of(a)?;
                    let keys = self.sorted_keys(id)?;
                    for key in keys {
                        if self.arrays[id].get(&key).is_none() {
                            continue;
                        }
                        self.set_var(k, Value::from_input(key))?;
                        match self.exec(body).await? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                    }
                }
                Stmt::Block(b) => return self.exec_block(b).await,
                Stmt::Next => return Err(AwkErr::Next),
                Stmt::NextFile => return Err(AwkErr::NextFile),
                Stmt::Exit(e) => {
                    if let Some(e) = e {
                        self.exit_code = self.eval(e).await?.to_num() as i32;
                    }
                    return Err(AwkErr::Exit);
                }
                Stmt::Return(e) => {
                    let v = match e {
                        Some(e) => self.eval(e).await?,
                        None => Value::Uninit,
                    };
                    return Ok(Flow::Return(v));
                }
                Stmt::Break => return Ok(Flow::Break),
                Stmt::Continue => return Ok(Flow::Continue),
                Stmt::Delete(v, subs) => {
                    let id = self.array_of(v)?;
                    match subs {
                        None => self.arrays[id].clear(),
                        Some(subs) => {
                            let k = self.subscript(subs).await?;
                            self.arrays[id].map.remove(&k);
                        }
                    }
                }
            }
            Ok(Flow::Normal)
        })
    }

    /// Runs the pattern-action rules on the current record.
    pub async fn run_rules(&mut self) -> R<()> {
        let prog = self.prog.clone();
        for rule in &prog.rules {
            let matched = match &rule.pattern {
                Pattern::All => true,
                Pattern::Expr(e) => self.eval(e).await?.truthy(),
                Pattern::Range(a, b, idx) => {
                    if self.range_on[*idx] {
                        if self.eval(b).await?.truthy() {
                            self.range_on[*idx] = false;
                        }
                        true
                    } else if self.eval(a).await?.truthy() {
                        if !self.eval(b).await?.truthy() {
                            self.range_on[*idx] = true;
                        }
                        true
                    } else {
                        false
                    }
                }
            };
            if !matched {
                continue;
            }
            match &rule.action {
                None => {
                    let mut line = self.record.clone();
                    line.push_str(&self.gstr("ORS"));
                    self.write_stdout(line.as_bytes()).await?;
                }
                Some(body) => {
                    self.exec_block(body).await?;
                }
            }
        }
        Ok(())
    }

    async fn getline(&mut self, lv: Option<&LValue>, src: &GetSrc) -> R<Value> {
        match src {
            GetSrc::Cmd(c) => {
                let name = self.eval(c).await?.to_str(&self.convfmt());
                let Some(rec) = self.read_from_cmd(&name).await? else {
                    return Ok(Value::Num(self.io.last_getline_status));
                };
                match lv {
                    None => self.set_record(rec),
                    Some(lv) => self.set_lv(lv, Value::from_input(rec)).await?,
                }
                Ok(Value::Num(1.0))
            }
            GetSrc::Main => {
                let Some(rec) = self.next_main_record().await? else {
                    return Ok(Value::Num(0.0));
                };
                self.bump_nr();
                match lv {
                    None => self.set_record(rec),
                    Some(lv) => self.set_lv(lv, Value::from_input(rec)).await?,
                }
                Ok(Value::Num(1.0))
            }
            GetSrc::File(f) => {
                let name = self.eval(f).await?.to_str(&self.convfmt());
                let Some(rec) = self.read_from_file(&name).await? else {
                    return Ok(Value::Num(self.io.last_getline_status));
                };
                match lv {
                    None => {
                        self.set_record(rec);
                        let nr = self.gnum("NR") + 1.0;
                        self.set_global("NR", Value::Num(nr));
                    }
                    Some(lv) => self.set_lv(lv, Value::from_input(rec)).await?,
                }
                Ok(Value::Num(1.0))
            }
        }
    }

    pub fn gnum(&self, name: &str) -> f64 {
        match self.globals.get(name) {
            Some(Cell::Val(v)) => v.to_num(),
            _ => 0.0,
        }
    }

    pub fn bump_nr(&mut self) {
        for id in [super::globals::NR, super::globals::FNR] {
            let cell = self
                .globals
                .by_id_mut_or_init(id, || Cell::Val(Value::Uninit));
            let n = match cell {
                Cell::Val(v) => v.to_num(),
                Cell::Arr(_) => 0.0,
            };
            *cell = Cell::Val(Value::Num(n + 1.0));
        }
    }

    /// Compiles (and caches) an awk ERE.
    pub fn regex(&mut self, src: &str) -> R<Regex> {
        if let Some(r) = self.regex_cache.get(src) {
            return Ok(r.clone());
        }
        let translated = super::builtins::translate_ere(src);
        let re = Regex::new(&translated)
            .map_err(|_| AwkErr::Fatal(format!("invalid regexp: /{src}/")))?;
        if self.regex_cache.len() > 500 {
            self.regex_cache.clear();
        }
        self.regex_cache.insert(src.to_string(), re.clone());
        Ok(re)
    }
}

/// The fields of a record under the default FS: runs of blanks (space, tab, newline) separate
/// them and leading or trailing blanks make no empty field. The blanks are ASCII, so slicing at
/// them always lands on character boundaries.
fn split_blanks(record: &str) -> impl Iterator<Item = &str> {
    let bytes = record.as_bytes();
    let is_blank = |b: u8| b == b' ' || b == b'\t' || b == b'\n';
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && is_blank(bytes[pos]) {
            pos += 1;
        }
        if pos == bytes.len() {
            return None;
        }
        let start = pos;
        while pos < bytes.len() && !is_blank(bytes[pos]) {
            pos += 1;
        }
        record.get(start..pos)
    })
}

/// Replaces the contents of `fields` with `parts`, reusing the strings already there.
fn fill_fields<'a>(fields: &mut Vec<String>, parts: impl Iterator<Item = &'a str>) {
    let mut n = 0;
    for part in parts {
        match fields.get_mut(n) {
            Some(field) => {
                field.clear();
                field.push_str(part);
            }
            None => fields.push(part.to_string()),
        }
        n += 1;
    }
    fields.truncate(n);
}

pub fn bool_num(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

pub(super) fn arith(op: BinOp, a: f64, b: f64) -> R<f64> {
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(AwkErr::Fatal("division by zero attempted".into()));
            }
            a / b
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(AwkErr::Fatal("division by zero attempted in `%'".into()));
            }
            a % b
        }
        BinOp::Pow => a.powf(b),
        _ => 0.0,
    })
}

/// Whether a global's cell holds exactly the string `want` (unset counts as empty).
fn cell_is(cell: Option<&Cell>, want: &str) -> bool {
    match cell {
        Some(Cell::Val(Value::Str(s) | Value::StrNum(s, _))) => s == want,
        Some(Cell::Val(Value::Uninit)) | None => want.is_empty(),
        _ => false,
    }
}

pub fn var_name(v: &Var) -> String {
    match v {
        Var::Global { name, .. } => name.clone(),
        Var::Local(i) => format!("parameter #{}", i + 1),
    }
}
