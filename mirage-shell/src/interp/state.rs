//! The state a shell session carries from one line to the next: variables, functions, the
//! working directory, positional parameters, options and the last status.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use brush_parser::ast;
use mirage_core::{CommandRegistry, MountTable, VPath};

/// A variable's value: a string or an indexed array (`a=(x y)`, `PIPESTATUS`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Array(BTreeMap<usize, String>),
    /// `declare -A`: keys in insertion order (bash's own order is a hash order no script can
    /// rely on).
    Assoc(Vec<(String, String)>),
}

impl Value {
    /// The scalar view: element 0 for arrays, as bash does for `$a`.
    pub fn scalar(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Array(a) => a.get(&0).cloned().unwrap_or_default(),
            Value::Assoc(m) => assoc_get(m, "0").cloned().unwrap_or_default(),
        }
    }

    pub fn elements(&self) -> Vec<String> {
        match self {
            Value::Str(s) => vec![s.clone()],
            Value::Array(a) => a.values().cloned().collect(),
            Value::Assoc(m) => m.iter().map(|(_, v)| v.clone()).collect(),
        }
    }
}

pub fn assoc_get<'a>(m: &'a [(String, String)], key: &str) -> Option<&'a String> {
    m.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Sets `key` in place, or appends it (keeping insertion order).
pub fn assoc_set(m: &mut Vec<(String, String)>, key: &str, value: String) {
    match m.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => m.push((key.to_string(), value)),
    }
}

#[derive(Clone, Debug)]
pub struct Var {
    pub value: Value,
    pub exported: bool,
}

/// `set -o` options that change execution.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub errexit: bool,
    pub pipefail: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub noglob: bool,
}

/// Everything a session remembers. Cloned for subshells and pipeline stages, which is exactly
/// bash's semantics: their changes never reach the parent.
#[derive(Clone)]
pub struct ShellState {
    pub vars: HashMap<String, Var>,
    /// One frame per active function call: the values `local` shadowed, restored on return.
    pub local_frames: Vec<HashMap<String, Option<Var>>>,
    pub functions: HashMap<String, Arc<ast::FunctionDefinition>>,
    pub positional: Vec<String>,
    /// `$0`.
    pub shell_name: String,
    pub last_status: i32,
    /// Status of the last command substitution in the command being expanded: what a bare
    /// assignment like `x=$(false)` returns.
    pub subst_status: Option<i32>,
    pub pipestatus: Vec<i32>,
    pub cwd: VPath,
    pub opts: Options,
    pub fs: Arc<MountTable>,
    pub commands: Arc<CommandRegistry>,
    /// How many enclosing loops there are (for `break`/`continue` validation).
    pub loop_depth: usize,
    /// >0 while evaluating a condition (`if`, `while`, `&&` left side, `!`), where `set -e`
    /// > does not apply.
    pub errexit_suppressed: usize,
    /// Names declared `readonly`: assigning to them is an error that ends the shell.
    pub readonly: std::collections::HashSet<String>,
    /// Files opened by `exec N> file`, by descriptor: finished when the descriptor is closed
    /// or reopened, and at the end of the line.
    /// Command run when this shell (or subshell) ends (`trap CMD EXIT`).
    pub exit_trap: Option<String>,
    /// `getopts` progress: the OPTIND it last set and the position inside that word.
    pub getopts_state: (usize, usize),
    pub exec_writes: std::sync::Arc<std::sync::Mutex<Vec<(i32, super::redirect::PendingWrite)>>>,
}

impl ShellState {
    pub fn new(fs: Arc<MountTable>, commands: Arc<CommandRegistry>, cwd: VPath) -> Self {
        let mut s = ShellState {
            vars: HashMap::new(),
            local_frames: Vec::new(),
            functions: HashMap::new(),
            positional: Vec::new(),
            shell_name: "mirage".to_string(),
            last_status: 0,
            subst_status: None,
            pipestatus: vec![0],
            cwd: cwd.clone(),
            opts: Options::default(),
            fs,
            commands,
            loop_depth: 0,
            errexit_suppressed: 0,
            readonly: Default::default(),
            exec_writes: Default::default(),
            exit_trap: None,
            getopts_state: (0, 1),
        };
        s.set_exported("PWD", cwd.as_str());
        s.set_exported("HOME", "/");
        s.set_exported("PATH", "/usr/bin:/bin");
        s.set_var("IFS", " \t\n");
        s
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        match name {
            "PIPESTATUS" => Some(Value::Array(
                self.pipestatus
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i, s.to_string()))
                    .collect(),
            )),
            "PWD" => Some(Value::Str(self.cwd.to_string())),
            _ => self.vars.get(name).map(|v| v.value.clone()),
        }
    }

    pub fn get_str(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| v.scalar())
    }

    /// Sets a variable, keeping its export flag.
    pub fn set_value(&mut self, name: &str, value: Value) {
        match self.vars.get_mut(name) {
            Some(v) => v.value = value,
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value,
                        exported: false,
                    },
                );
            }
        }
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        self.set_value(name, Value::Str(value.to_string()));
    }

    pub fn set_exported(&mut self, name: &str, value: &str) {
        self.vars.insert(
            name.to_string(),
            Var {
                value: Value::Str(value.to_string()),
                exported: true,
            },
        );
    }

    pub fn export(&mut self, name: &str) {
        match self.vars.get_mut(name) {
            Some(v) => v.exported = true,
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: Value::Str(String::new()),
                        exported: true,
                    },
                );
            }
        }
    }

    pub fn unset(&mut self, name: &str) {
        self.vars.remove(name);
    }

    /// Declares `name` local to the innermost function call, remembering the outer value.
    pub fn make_local(&mut self, name: &str) {
        let prev = self.vars.get(name).cloned();
        if let Some(frame) = self.local_frames.last_mut() {
            frame.entry(name.to_string()).or_insert(prev);
        }
    }

    pub fn push_frame(&mut self) {
        self.local_frames.push(HashMap::new());
    }

    /// Restores every variable the innermost frame shadowed.
    pub fn pop_frame(&mut self) {
        if let Some(frame) = self.local_frames.pop() {
            for (name, prev) in frame {
                match prev {
                    Some(v) => {
                        self.vars.insert(name, v);
                    }
                    None => {
                        self.vars.remove(&name);
                    }
                }
            }
        }
    }

    /// The exported variables, as commands see them.
    pub fn env(&self) -> BTreeMap<String, String> {
        let mut env: BTreeMap<String, String> = self
            .vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(k, v)| (k.clone(), v.value.scalar()))
            .collect();
        env.insert("PWD".to_string(), self.cwd.to_string());
        env
    }

    pub fn ifs(&self) -> String {
        self.get_str("IFS").unwrap_or_else(|| " \t\n".to_string())
    }
}
