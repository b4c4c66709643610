//! Commands: the trait every built-in and user command implements, the context it runs in, and
//! the registry that resolves a name (optionally scoped to a resource kind and file type).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::Arc;

use async_trait::async_trait;

use crate::mount::MountTable;
use crate::output::Output;
use crate::path::VPath;
use crate::stream::Reader;

/// What a command returns: its exit status, or an I/O error. A `BrokenPipe` error means the
/// reader of stdout went away (status 141, silently, like SIGPIPE); any other error is printed
/// as `NAME: error` with status 1.
pub type CommandResult = io::Result<i32>;

/// Everything a command sees while it runs.
pub struct CommandContext {
    /// The name the command was invoked as (used in messages: `cat: x: ...`).
    pub name: String,
    pub stdin: Reader,
    /// Size of the regular file stdin was redirected from (`cmd < file`); `None` for pipes and
    /// terminals. Some GNU tools behave differently on a regular-file stdin (`wc` column widths).
    pub stdin_size: Option<u64>,
    pub stdout: Output,
    pub stderr: Output,
    pub cwd: VPath,
    /// Exported variables.
    pub env: Arc<BTreeMap<String, String>>,
    pub fs: Arc<MountTable>,
    pub commands: Arc<CommandRegistry>,
    /// Set when the command runs as one of the shell's builtins (printf): the prefix the
    /// shell puts before its own diagnostics there (`bash: line 3: `). `None` when it runs as
    /// a program (from xargs, find -exec).
    pub shell_prefix: Option<String>,
}

impl CommandContext {
    /// Resolves a path argument against the working directory.
    pub fn path(&self, arg: &str) -> VPath {
        self.cwd.join(arg)
    }

    /// Writes `NAME: message\n` to stderr.
    pub async fn error(&mut self, message: impl AsRef<str>) -> io::Result<()> {
        let line = format!("{}: {}\n", self.name, message.as_ref());
        self.stderr.write_all(line.as_bytes()).await
    }
}

/// A command. `args` excludes the command name (which is in `ctx.name`).
#[async_trait]
pub trait Command: Send + Sync {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult;
}

/// Narrows a command registration to one resource kind and/or one file type (extension).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommandScope {
    pub resource: Option<String>,
    pub filetype: Option<String>,
}

impl CommandScope {
    pub fn resource(kind: impl Into<String>) -> Self {
        CommandScope {
            resource: Some(kind.into()),
            filetype: None,
        }
    }

    pub fn filetype(mut self, ext: impl Into<String>) -> Self {
        self.filetype = Some(ext.into());
        self
    }
}

/// Commands by name and scope. Lookup order: name + resource + filetype, then name + resource,
/// then name + filetype, then name alone.
#[derive(Clone, Default)]
pub struct CommandRegistry {
    commands: HashMap<(String, CommandScope), Arc<dyn Command>>,
}

impl CommandRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(&mut self, name: impl Into<String>, command: Arc<dyn Command>) {
        self.commands
            .insert((name.into(), CommandScope::default()), command);
    }

    pub fn register_scoped(
        &mut self,
        name: impl Into<String>,
        scope: CommandScope,
        command: Arc<dyn Command>,
    ) {
        self.commands.insert((name.into(), scope), command);
    }

    pub fn resolve(
        &self,
        name: &str,
        resource: Option<&str>,
        filetype: Option<&str>,
    ) -> Option<Arc<dyn Command>> {
        let key = |r: Option<&str>, f: Option<&str>| {
            (
                name.to_string(),
                CommandScope {
                    resource: r.map(str::to_string),
                    filetype: f.map(str::to_string),
                },
            )
        };
        let mut candidates = Vec::new();
        if resource.is_some() && filetype.is_some() {
            candidates.push(key(resource, filetype));
        }
        if resource.is_some() {
            candidates.push(key(resource, None));
        }
        if filetype.is_some() {
            candidates.push(key(None, filetype));
        }
        candidates.push(key(None, None));
        candidates
            .into_iter()
            .find_map(|k| self.commands.get(&k).cloned())
    }

    /// True when any registration exists under this name.
    pub fn contains(&self, name: &str) -> bool {
        self.commands.keys().any(|(n, _)| n == name)
    }

    /// Names of all registered commands, sorted and deduplicated.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.commands.keys().map(|(n, _)| n.clone()).collect();
        v.sort();
        v.dedup();
        v
    }
}
