//! The state a shell session carries from one line to the next: variables, functions, the
//! working directory, positional parameters, options and the last status.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use brush_parser::ast;
use mirage_core::{CommandRegistry, MountTable, VPath};

/// What `$BASH_VERSION` says: the bash Mirage follows.
pub const BASH_VERSION: &str = "5.2.15(1)-release";

/// Variables whose values the shell computes when read, listed by `${!prefix*}` as bash
/// lists them (the ones without a value at the moment are left out).
pub const DYNAMIC_VARIABLES: &[&str] = &[
    "BASHOPTS",
    "BASHPID",
    "BASH_COMMAND",
    "BASH_SOURCE",
    "BASH_SUBSHELL",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "FUNCNAME",
    "LINENO",
    "PIPESTATUS",
    "PWD",
    "RANDOM",
    "SECONDS",
    "SHELLOPTS",
    "SRANDOM",
];

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

/// The next number of a process-wide xorshift sequence (`$RANDOM`, `$SRANDOM`).
fn next_random() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        x = (t.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32) | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x >> 16
}

impl ShellState {
    /// Takes the reader of input descriptor `fd` out of the table (to lend it).
    pub fn take_in_fd(&self, fd: i32) -> Option<mirage_core::Reader> {
        self.in_fds.lock().ok()?.remove(&fd)
    }

    /// Puts a reader (back) on input descriptor `fd`.
    pub fn put_in_fd(&self, fd: i32, r: mirage_core::Reader) {
        if let Ok(mut m) = self.in_fds.lock() {
            m.insert(fd, r);
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
    /// `declare -i` / `-l` / `-u`: how assigned values are transformed.
    pub attrs: Attrs,
}

/// Value attributes set by `declare`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub integer: bool,
    pub lower: bool,
    pub upper: bool,
    /// `declare -n`: the value names another variable, which reads and writes go to.
    pub nameref: bool,
}

/// `set -o` options that change execution.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub errexit: bool,
    pub pipefail: bool,
    pub nounset: bool,
    pub xtrace: bool,
    /// `set -v`: input lines are echoed to stderr as they are read.
    pub verbose: bool,
    pub noglob: bool,
    /// `set -a`: every assignment exports the variable.
    pub allexport: bool,
    /// `set -C`: `>` refuses to overwrite an existing file.
    pub noclobber: bool,
    /// `shopt` options.
    pub nullglob: bool,
    pub failglob: bool,
    pub dotglob: bool,
    pub nocaseglob: bool,
    pub globstar: bool,
    pub extglob: bool,
}

/// Everything a session remembers. Cloned for subshells and pipeline stages, which is exactly
/// bash's semantics: their changes never reach the parent.
#[derive(Clone)]
pub struct ShellState {
    pub vars: HashMap<String, Var>,
    /// One frame per active function call: the values `local` shadowed, restored on return.
    pub local_frames: Vec<HashMap<String, Option<Var>>>,
    /// Options saved by `local -`, with the depth of the frame that saved them.
    pub local_options: Vec<(usize, Options)>,
    pub functions: HashMap<String, Arc<ast::FunctionDefinition>>,
    pub positional: Vec<String>,
    /// `$0`: `bash` for a line, as for `bash -c LINE`.
    pub shell_name: String,
    /// The files being read, outermost first, as bash's `BASH_SOURCE` (reversed): a script
    /// run with `bash FILE`, a file being `source`d, or while a function runs, the file the
    /// function was defined in (`environment` for one defined in a `-c` line, as bash 5.2
    /// says). Empty for the top level of a line. It names the shell in its diagnostics.
    pub sources: Vec<String>,
    /// Where each function was defined (see `sources`).
    pub function_sources: HashMap<String, String>,
    pub last_status: i32,
    /// `$BASH_SUBSHELL`: how many subshells deep this state is.
    pub subshell_depth: usize,
    /// `$BASH_COMMAND`: the simple command being run, as written. Trap actions leave it as
    /// it was when the trap fired (`running_trap`).
    pub current_command: String,
    pub running_trap: bool,
    /// How many command substitutions and `eval`s deep the shell is: `set -x` repeats the
    /// first character of PS4 once for each.
    pub trace_level: usize,
    /// Traps on signals, by number: kept for `trap -p`, though no signal ever arrives.
    pub signal_traps: BTreeMap<usize, String>,
    /// Background jobs (`cmd &`) and `$!`.
    pub jobs: super::jobs::Jobs,
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
    /// `trap CMD ERR`.
    pub err_trap: Option<String>,
    /// `trap CMD RETURN`, run when the function that set it returns.
    pub return_trap: Option<String>,
    /// `pushd` stack below the working directory (bash's `DIRSTACK[1..]`).
    pub dir_stack: Vec<String>,
    /// Names of the active function calls, innermost last (`FUNCNAME`).
    pub funcnames: Vec<String>,
    /// `shopt` options accepted without an effect here, when set.
    pub shopt_other: std::collections::BTreeSet<String>,
    /// `alias NAME=VALUE` (remembered for `alias`; a non-interactive bash never expands them).
    pub aliases: BTreeMap<String, String>,
    pub exec_writes: std::sync::Arc<std::sync::Mutex<Vec<(i32, super::redirect::PendingWrite)>>>,
    /// `$LINENO`: the line of the command being run, plus `line_offset` (inside `eval`, the
    /// line of the `eval`).
    pub lineno: usize,
    pub line_offset: usize,
    /// The line the command being run ends on (plus `line_offset`): where bash stands when
    /// it runs it, so the line its diagnostics name (`$LINENO` is the line it starts on).
    pub lineno_end: usize,
    /// Set with a `Flow::Exit` that is really bash's "discard this command": the error (an
    /// assignment to a readonly variable) abandons the complete command being run, and the
    /// shell goes on with the next one (see `script::run_text`).
    pub discarding: bool,
    /// While the ERR trap runs, `$LINENO` keeps naming the failing command.
    pub lineno_frozen: bool,
    /// When the session started (`$SECONDS`).
    pub started: std::time::Instant,
    /// The letter `$-` ends with: `c` for a `-c` command (Mirage's lines), `s` for a script
    /// read from stdin, none for a script file.
    pub invocation_flag: Option<char>,
    /// Input descriptors 3-9 opened with `exec 3< file` (or `done 3< file` for a loop): the
    /// reader is lent to a command reading `<&3` or `read -u 3` and handed back after it.
    pub in_fds: Arc<std::sync::Mutex<BTreeMap<i32, mirage_core::Reader>>>,
    /// The output descriptors 3-9 as `exec` last left them, for command substitutions
    /// (`exec 3>&1; x=$(cmd >&3)`).
    pub exec_fds: BTreeMap<i32, super::io::SharedWriter>,
    /// `umask` (shown and set; not applied to files).
    pub umask: u32,
    /// Functions marked with `export -f`, passed on to `bash` child shells.
    pub exported_functions: std::collections::BTreeSet<String>,
    /// While a simple command's words are expanded, its stdin, lent to command
    /// substitutions (`x=$(cat)` reads what the command would have read).
    pub stdin_slot: Option<StdinSlot>,
}

pub type StdinSlot = Arc<std::sync::Mutex<Option<mirage_core::Reader>>>;

impl ShellState {
    pub fn new(fs: Arc<MountTable>, commands: Arc<CommandRegistry>, cwd: VPath) -> Self {
        let mut s = ShellState {
            vars: HashMap::new(),
            local_frames: Vec::new(),
            local_options: Vec::new(),
            functions: HashMap::new(),
            positional: Vec::new(),
            shell_name: "bash".to_string(),
            sources: Vec::new(),
            function_sources: HashMap::new(),
            last_status: 0,
            subshell_depth: 0,
            current_command: String::new(),
            running_trap: false,
            trace_level: 0,
            signal_traps: BTreeMap::new(),
            jobs: Default::default(),
            subst_status: None,
            pipestatus: Vec::new(),
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
            err_trap: None,
            return_trap: None,
            dir_stack: Vec::new(),
            funcnames: Vec::new(),
            shopt_other: Default::default(),
            aliases: BTreeMap::new(),
            lineno: 0,
            line_offset: 0,
            lineno_end: 0,
            discarding: false,
            lineno_frozen: false,
            started: std::time::Instant::now(),
            invocation_flag: Some('c'),
            in_fds: Default::default(),
            exec_fds: BTreeMap::new(),
            umask: 0o022,
            exported_functions: Default::default(),
            stdin_slot: None,
        };
        s.set_var("BASH_VERSION", BASH_VERSION);
        s.set_value(
            "BASH_VERSINFO",
            Value::Array(
                ["5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"]
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i, v.to_string()))
                    .collect(),
            ),
        );
        s.set_exported("PWD", cwd.as_str());
        s.set_exported("HOME", "/");
        s.set_exported("PATH", "/usr/bin:/bin");
        // The locale every command implements (GNU's behaviour under C.UTF-8), stated where
        // scripts look for it.
        s.set_exported("LC_ALL", "C.UTF-8");
        s.set_var("IFS", " \t\n");
        for (k, v) in [
            ("OSTYPE", "linux-gnu"),
            ("HOSTTYPE", "x86_64"),
            ("MACHTYPE", "x86_64-pc-linux-gnu"),
            ("OPTERR", "1"),
            ("OPTIND", "1"),
            ("PS4", "+ "),
            ("UID", "0"),
            ("EUID", "0"),
            ("BASH", "/usr/bin/bash"),
            ("BASH_ARGV0", "bash"),
            (
                "BASH_LOADABLES_PATH",
                "/usr/local/lib/bash:/usr/lib/bash:/opt/local/lib/bash:/usr/pkg/lib/bash:/opt/pkg/lib/bash:.",
            ),
            ("COMP_WORDBREAKS", " \t\n\"'@><=;|&(:"),
            ("HISTCMD", "0"),
            // What bash sets when the environment has none.
            ("SHELL", "/bin/bash"),
            ("TERM", "dumb"),
            // `$_` at start: the shell's name.
            ("_", "bash"),
        ] {
            s.set_var(k, v);
        }
        s.set_var("HOSTNAME", &crate::commands::system::hostinfo::host_name());
        s.set_var("PPID", &std::os::unix::process::parent_id().to_string());
        for name in ["BASH_ALIASES", "BASH_CMDS"] {
            s.set_value(name, Value::Assoc(Default::default()));
        }
        for (name, items) in [
            ("BASH_ARGC", &["0"][..]),
            ("BASH_ARGV", &[][..]),
            ("BASH_LINENO", &[][..]),
            ("GROUPS", &["0"][..]),
        ] {
            let items = items.iter().enumerate().map(|(i, v)| (i, v.to_string()));
            s.set_value(name, Value::Array(items.collect()));
        }
        s.set_exported("SHLVL", "1");
        s
    }

    /// A copy of this state for a subshell (`( )`, `$( )`, a pipeline stage, a background
    /// job, a process substitution): one level deeper in `$BASH_SUBSHELL`.
    pub fn subshell(&self) -> ShellState {
        let mut sub = self.clone();
        sub.subshell_depth += 1;
        sub.jobs = self.jobs.for_subshell();
        sub
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
            "LINENO" => Some(Value::Str(self.lineno.to_string())),
            "RANDOM" => Some(Value::Str((next_random() % 32768).to_string())),
            "SRANDOM" => Some(Value::Str((next_random() as u32).to_string())),
            "SECONDS" => Some(Value::Str(self.started.elapsed().as_secs().to_string())),
            "EPOCHSECONDS" | "EPOCHREALTIME" => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                Some(Value::Str(if name == "EPOCHSECONDS" {
                    now.as_secs().to_string()
                } else {
                    format!("{}.{:06}", now.as_secs(), now.subsec_micros())
                }))
            }
            "BASHPID" => Some(Value::Str(std::process::id().to_string())),
            "BASH_SUBSHELL" => Some(Value::Str(self.subshell_depth.to_string())),
            "BASHOPTS" => Some(Value::Str(super::builtins::bashopts(self))),
            "SHELLOPTS" => Some(Value::Str(super::builtins::shellopts(self))),
            "BASH_COMMAND" => Some(Value::Str(self.current_command.clone())),
            "BASH_SOURCE" => Some(Value::Array(
                self.sources
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, s)| (i, s.clone()))
                    .collect(),
            )),
            "FUNCNAME" if !self.funcnames.is_empty() => Some(Value::Array(
                self.funcnames
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, s)| (i, s.clone()))
                    .collect(),
            )),
            "DIRSTACK" => Some(Value::Array(
                std::iter::once(self.cwd.to_string())
                    .chain(self.dir_stack.iter().cloned())
                    .enumerate()
                    .collect(),
            )),
            _ => match self.vars.get(name) {
                Some(v) if v.attrs.nameref => {
                    let target = self.resolve_ref(name);
                    if target == name {
                        Some(v.value.clone())
                    } else {
                        self.get(&target)
                    }
                }
                Some(v) => Some(v.value.clone()),
                None => None,
            },
        }
    }

    /// The variable a name reference points to, following up to 8 links (`name` itself when
    /// it is not a reference or its target is empty or not a valid name).
    pub fn resolve_ref(&self, name: &str) -> String {
        let mut cur = name.to_string();
        for _ in 0..8 {
            match self.vars.get(&cur) {
                Some(Var {
                    value: Value::Str(t),
                    attrs,
                    ..
                }) if attrs.nameref
                    && !t.is_empty()
                    && *t != cur
                    && t.chars()
                        .next()
                        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
                    && t.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) =>
                {
                    cur = t.clone();
                }
                _ => break,
            }
        }
        cur
    }

    pub fn get_str(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| v.scalar())
    }

    /// Sets a variable, keeping its export flag and applying its attributes.
    pub fn set_value(&mut self, name: &str, value: Value) {
        if self.vars.get(name).is_some_and(|v| v.attrs.nameref) {
            let target = self.resolve_ref(name);
            if target != name {
                return self.set_value(&target, value);
            }
        }
        let attrs = self.vars.get(name).map(|v| v.attrs).unwrap_or_default();
        let value = if !attrs.integer && !attrs.lower && !attrs.upper {
            value
        } else {
            let f = |st: &mut ShellState, s: String| -> String {
                if attrs.integer {
                    super::arith::eval_str(st, &s).unwrap_or(0).to_string()
                } else if attrs.lower {
                    s.to_lowercase()
                } else if attrs.upper {
                    s.to_uppercase()
                } else {
                    s
                }
            };
            match value {
                Value::Str(s) => Value::Str(f(self, s)),
                Value::Array(a) => {
                    Value::Array(a.into_iter().map(|(k, v)| (k, f(self, v))).collect())
                }
                Value::Assoc(m) => {
                    Value::Assoc(m.into_iter().map(|(k, v)| (k, f(self, v))).collect())
                }
            }
        };
        let export = self.opts.allexport;
        match self.vars.get_mut(name) {
            Some(v) => {
                v.value = value;
                v.exported |= export;
            }
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value,
                        exported: export,
                        attrs: Attrs::default(),
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
                attrs: self.vars.get(name).map(|v| v.attrs).unwrap_or_default(),
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
                        attrs: Attrs::default(),
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

    /// `shopt -s nocasematch`: `case` and `[[ == ]]` ignore case.
    pub fn nocasematch(&self) -> bool {
        self.shopt_other.contains("nocasematch")
    }

    /// Whether `$PATH` (or `temp_path`, a `PATH=... cmd` prefix) reaches the directories the
    /// commands live in (`/usr/bin`, `/bin`...). `PATH=/nowhere ls` finds nothing in bash, so
    /// it finds nothing here; the error is what bash says then (an unset or empty PATH
    /// searches the working directory, where the name is missing).
    pub fn commands_on_path(&self, temp_path: Option<&str>) -> Result<(), &'static str> {
        const COMMAND_DIRS: [&str; 6] = [
            "/usr/bin",
            "/bin",
            "/usr/local/bin",
            "/usr/sbin",
            "/sbin",
            "/usr/local/sbin",
        ];
        let path = match (temp_path, self.vars.get("PATH")) {
            (Some(p), _) => p,
            (
                None,
                Some(Var {
                    value: Value::Str(p),
                    ..
                }),
            ) => p.as_str(),
            _ => "",
        };
        if path.is_empty() {
            return Err("No such file or directory");
        }
        let reaches = path
            .split(':')
            .map(|d| d.trim_end_matches('/'))
            .any(|d| COMMAND_DIRS.contains(&d));
        if reaches {
            Ok(())
        } else {
            Err("command not found")
        }
    }

    /// The name the shell gives itself in its diagnostics, as bash's `get_name_for_error`:
    /// the innermost source file (a script, a sourced file, a function's file), else `$0`.
    pub fn diagnostic_name(&self) -> &str {
        match self.sources.last() {
            Some(s) if !s.is_empty() => s,
            _ => &self.shell_name,
        }
    }

    /// What starts each of the shell's own error lines: `bash: line 3: ` (no line before the
    /// first command has started).
    pub fn diagnostic_prefix(&self) -> String {
        self.diagnostic_prefix_at(self.lineno_end)
    }

    /// [`ShellState::diagnostic_prefix`] for a command that stood on `line`.
    pub fn diagnostic_prefix_at(&self, line: usize) -> String {
        let name = self.diagnostic_name();
        if line > 0 {
            format!("{name}: line {line}: ")
        } else {
            format!("{name}: ")
        }
    }

    pub fn push_frame(&mut self) {
        self.local_frames.push(HashMap::new());
    }

    /// `local -`: the `set` options are restored when the innermost function returns.
    pub fn save_options_locally(&mut self) {
        let depth = self.local_frames.len();
        if depth > 0 && self.local_options.last().is_none_or(|(d, _)| *d != depth) {
            self.local_options.push((depth, self.opts));
        }
    }

    /// Restores every variable the innermost frame shadowed, and the options `local -` saved.
    pub fn pop_frame(&mut self) {
        let depth = self.local_frames.len();
        if let Some((_, saved)) = self.local_options.pop_if(|(d, _)| *d == depth) {
            // The `shopt` options are not part of what `local -` keeps.
            self.opts = Options {
                nullglob: self.opts.nullglob,
                failglob: self.opts.failglob,
                dotglob: self.opts.dotglob,
                nocaseglob: self.opts.nocaseglob,
                globstar: self.opts.globstar,
                extglob: self.opts.extglob,
                ..saved
            };
        }
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

    /// The attributes of `name` (defaults when unset).
    pub fn attrs(&self, name: &str) -> Attrs {
        self.vars.get(name).map(|v| v.attrs).unwrap_or_default()
    }

    /// Changes the attributes of `name`, creating it (unset-looking, empty) when needed.
    pub fn set_attrs(&mut self, name: &str, f: impl FnOnce(&mut Attrs)) {
        match self.vars.get_mut(name) {
            Some(v) => f(&mut v.attrs),
            None => {
                let mut attrs = Attrs::default();
                f(&mut attrs);
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: Value::Str(String::new()),
                        exported: false,
                        attrs,
                    },
                );
            }
        }
    }

    pub fn ifs(&self) -> String {
        self.get_str("IFS").unwrap_or_else(|| " \t\n".to_string())
    }
}
