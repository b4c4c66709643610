//! The workspace: a mount table, a command registry and sessions that run bash lines.

use std::pin::Pin;
use std::sync::Arc;

use mirage_core::{
    Command, CommandRegistry, CommandScope, MountMode, MountTable, Reader, Resource, VPath,
};
use mirage_shell::{ExecOutput, Session};
use tokio::io::AsyncWrite;
use tokio::sync::Mutex;

use crate::error::Error;
use crate::stream::OutputEvent;

/// Builds a [`Workspace`] from mounts.
#[derive(Default)]
pub struct WorkspaceBuilder {
    mounts: Vec<(String, Arc<dyn Resource>, MountMode)>,
    commands: Vec<(String, CommandScope, Arc<dyn Command>)>,
}

impl WorkspaceBuilder {
    /// Mounts `resource` read-write at `prefix`.
    pub fn mount(self, prefix: &str, resource: impl Resource) -> Self {
        self.mount_arc(prefix, Arc::new(resource), MountMode::Write)
    }

    /// Mounts `resource` read-only at `prefix`: writes fail with `Read-only file system`.
    pub fn mount_read_only(self, prefix: &str, resource: impl Resource) -> Self {
        self.mount_arc(prefix, Arc::new(resource), MountMode::Read)
    }

    pub fn mount_arc(mut self, prefix: &str, resource: Arc<dyn Resource>, mode: MountMode) -> Self {
        self.mounts.push((prefix.to_string(), resource, mode));
        self
    }

    /// Adds a command visible in every mount.
    pub fn command(mut self, name: &str, command: impl Command + 'static) -> Self {
        self.commands
            .push((name.to_string(), CommandScope::default(), Arc::new(command)));
        self
    }

    pub fn build(self) -> Result<Workspace, Error> {
        let mut table = MountTable::new();
        for (prefix, resource, mode) in self.mounts {
            if !prefix.starts_with('/') {
                return Err(Error::Mount {
                    prefix,
                    message: "mount prefix must be absolute".to_string(),
                });
            }
            let p = VPath::new(&prefix);
            table
                .add(p, resource, mode)
                .map_err(|message| Error::Mount {
                    prefix: prefix.clone(),
                    message,
                })?;
        }
        let mut registry = mirage_shell::builtin_registry();
        for (name, scope, cmd) in self.commands {
            registry.register_scoped(name, scope, cmd);
        }
        let fs = Arc::new(table);
        let commands = Arc::new(registry);
        let default_session = Mutex::new(Session::new(fs.clone(), commands.clone(), VPath::root()));
        Ok(Workspace {
            fs,
            commands,
            default_session,
        })
    }
}

/// Mounted resources plus the shell that drives them.
///
/// `execute` runs lines in one default session whose state (cwd, variables, functions)
/// persists between calls; [`Workspace::session`] makes independent sessions that can run
/// concurrently.
pub struct Workspace {
    fs: Arc<MountTable>,
    commands: Arc<CommandRegistry>,
    default_session: Mutex<Session>,
}

impl Workspace {
    pub fn builder() -> WorkspaceBuilder {
        WorkspaceBuilder::default()
    }

    /// The mount table (for direct file access from Rust).
    pub fn fs(&self) -> &Arc<MountTable> {
        &self.fs
    }

    /// Adds a command visible in every mount. Sessions created afterwards (and the default
    /// session) see it.
    pub fn command(&mut self, name: &str, command: impl Command + 'static) {
        self.register(name, CommandScope::default(), Arc::new(command));
    }

    /// Overrides `name` for one resource kind and/or file type. Resolution order: name +
    /// resource + filetype, then name + resource, then name + filetype, then name.
    pub fn command_for(
        &mut self,
        name: &str,
        scope: CommandScope,
        command: impl Command + 'static,
    ) {
        self.register(name, scope, Arc::new(command));
    }

    fn register(&mut self, name: &str, scope: CommandScope, command: Arc<dyn Command>) {
        Arc::make_mut(&mut self.commands).register_scoped(name, scope, command);
        self.default_session
            .get_mut()
            .set_commands(self.commands.clone());
    }

    /// A new independent session with cwd `/`.
    pub fn session(&self) -> Session {
        Session::new(self.fs.clone(), self.commands.clone(), VPath::root())
    }

    /// Runs one line in the default session and collects its output.
    pub async fn execute(&self, line: &str) -> ExecOutput {
        self.default_session.lock().await.execute(line).await
    }

    /// Runs one line in the default session and yields its output as it is produced, ending
    /// with [`OutputEvent::Exit`].
    pub fn execute_stream<'a>(
        &'a self,
        line: &'a str,
    ) -> impl futures::Stream<Item = OutputEvent> + 'a {
        let (out_r, out_w) = tokio::io::duplex(64 * 1024);
        let (err_r, err_w) = tokio::io::duplex(64 * 1024);
        let run = Box::pin(async move {
            let mut session = self.default_session.lock().await;
            session
                .execute_to(line, None, Box::pin(out_w), Box::pin(err_w))
                .await
        });
        crate::stream::pump(run, out_r, err_r)
    }

    /// Runs one line in the default session, streaming output to the writers as it comes.
    pub async fn execute_to(
        &self,
        line: &str,
        stdin: Option<Reader>,
        stdout: Pin<Box<dyn AsyncWrite + Send>>,
        stderr: Pin<Box<dyn AsyncWrite + Send>>,
    ) -> i32 {
        self.default_session
            .lock()
            .await
            .execute_to(line, stdin, stdout, stderr)
            .await
    }
}
