//! The workspace: a mount table, a command registry and sessions that run bash lines.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use mirage_cache::{
    CacheSetup, CachedResource, Clock, FileCacheConfig, IndexConfig, MountCache, ReadPolicy,
};
use mirage_core::{
    Command, CommandRegistry, CommandScope, CountingResource, MountMode, MountTable, Reader,
    Resource, VPath,
};
use mirage_shell::{ExecOutput, Session};
use tokio::io::AsyncWrite;
use tokio::sync::Mutex;

use crate::error::Error;
use crate::named_errors::NamedErrors;
use crate::stats::{MountCounters, Stats};
use crate::stream::OutputEvent;

/// Per-mount cache settings; `None` keeps the workspace's or the resource's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// How long listings and stats are trusted (zero: not cached).
    pub ttl: Option<Duration>,
    /// When cached bytes may be served.
    pub read_policy: Option<ReadPolicy>,
    /// Whether file bytes are cached at all.
    pub file_cache: Option<bool>,
}

/// Builds a [`Workspace`] from mounts.
#[derive(Default)]
pub struct WorkspaceBuilder {
    mounts: Vec<(String, Arc<dyn Resource>, MountMode, MountOptions)>,
    commands: Vec<(String, CommandScope, Arc<dyn Command>)>,
    file_cache: FileCacheConfig,
    index: IndexConfig,
    clock: Option<Arc<dyn Clock>>,
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

    pub fn mount_arc(self, prefix: &str, resource: Arc<dyn Resource>, mode: MountMode) -> Self {
        self.mount_with(prefix, resource, mode, MountOptions::default())
    }

    /// Mounts `resource` with its own cache settings.
    pub fn mount_with(
        mut self,
        prefix: &str,
        resource: Arc<dyn Resource>,
        mode: MountMode,
        options: MountOptions,
    ) -> Self {
        self.mounts
            .push((prefix.to_string(), resource, mode, options));
        self
    }

    /// True when a mount was added at exactly `prefix`.
    pub fn has_mount_at(&self, prefix: &str) -> bool {
        let want = VPath::new(prefix);
        self.mounts.iter().any(|(p, ..)| VPath::new(p) == want)
    }

    /// Where file bytes are cached and how many (default: in process, 512 MB).
    pub fn file_cache(mut self, config: FileCacheConfig) -> Self {
        self.file_cache = config;
        self
    }

    /// Where listings and stats are cached, and a workspace-wide TTL for remote mounts.
    pub fn index(mut self, config: IndexConfig) -> Self {
        self.index = config;
        self
    }

    /// The clock TTLs are measured with (tests move time by hand).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
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
        let mut setup = CacheSetup::open(&self.index, &self.file_cache).map_err(Error::Config)?;
        if let Some(clock) = self.clock {
            setup = setup.with_clock(clock);
        }
        let mut counters = BTreeMap::new();
        for (prefix, resource, mode, options) in self.mounts {
            if !prefix.starts_with('/') {
                return Err(Error::Mount {
                    prefix,
                    message: "mount prefix must be absolute".to_string(),
                });
            }
            let p = VPath::new(&prefix);
            let (resource, mount_counters) = layered(&p, resource, options, &setup);
            counters.insert(p.to_string(), mount_counters);
            table
                .add(p, resource, mode)
                .map_err(|message| Error::Mount {
                    prefix: prefix.clone(),
                    message,
                })?;
        }
        // The devices scripts expect (`/dev/null`, `/dev/zero`...), unless the user mounted
        // something at /dev. Uncached and uncounted: they are not a backend.
        let dev = VPath::new("/dev");
        if !table.mounts().any(|m| m.prefix == dev) {
            let devices = Arc::new(mirage_core::DeviceResource::new());
            table
                .add(dev, devices, mirage_core::MountMode::Write)
                .map_err(|message| Error::Mount {
                    prefix: "/dev".to_string(),
                    message,
                })?;
        }
        let mut registry = mirage_shell::builtin_registry();
        mirage_core::register_command_packs(&mut registry);
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
            counters,
        })
    }
}

/// Stacks the layers every mount gets: call counting next to the backend, mount-named
/// errors, and the cache on top (unless it would cache nothing).
fn layered(
    prefix: &VPath,
    resource: Arc<dyn Resource>,
    options: MountOptions,
    setup: &CacheSetup,
) -> (Arc<dyn Resource>, MountCounters) {
    let mut settings = MountCache::from_hints(resource.cache_hints());
    if let Some(ttl) = setup.default_ttl
        && !settings.index_ttl.is_zero()
    {
        settings.index_ttl = ttl;
    }
    if let Some(ttl) = options.ttl {
        settings.index_ttl = ttl;
    }
    if let Some(policy) = options.read_policy {
        settings.read_policy = policy;
    }
    if let Some(files) = options.file_cache {
        settings.file_cache = files;
    }
    let counting = CountingResource::new(resource);
    let calls = counting.counters();
    let named: Arc<dyn Resource> = Arc::new(NamedErrors::new(Arc::new(counting), prefix.as_str()));
    if settings.is_off() {
        return (named, MountCounters { calls, cache: None });
    }
    let cached = CachedResource::new(
        named,
        prefix.as_str(),
        settings,
        setup.index.clone(),
        setup.files.clone(),
        setup.clock.clone(),
    );
    let cache = Some(cached.counters());
    (Arc::new(cached), MountCounters { calls, cache })
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
    counters: BTreeMap<String, MountCounters>,
}

impl Workspace {
    pub fn builder() -> WorkspaceBuilder {
        WorkspaceBuilder::default()
    }

    /// Backend calls, bytes moved and cache hits so far, per mount.
    pub fn stats(&self) -> Stats {
        Stats::collect(&self.counters)
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
