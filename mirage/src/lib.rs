//! Mirage: one virtual filesystem for AI agents. Services are mounted side by side under one
//! root and driven with the bash an agent already knows.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mirage::{RamResource, Workspace};
//! let ws = Workspace::builder().mount("/data", RamResource::new()).build().unwrap();
//! let out = ws.execute("echo hello > /data/a.txt; cat /data/a.txt | wc -c").await;
//! assert_eq!(out.stdout, b"6\n");
//! assert_eq!(out.status, 0);
//! # }
//! ```

pub mod config;
mod error;
mod linked;
mod named_errors;
pub mod spec;
mod stats;
mod stream;
mod workspace;

pub use error::Error;
pub use linked::enabled_resource_features;
pub use stats::{MountStats, Stats};
pub use stream::OutputEvent;
pub use workspace::{MountOptions, Workspace, WorkspaceBuilder};

pub use mirage_cache as cache;

pub use mirage_core as core;
pub use mirage_core::{
    Command, CommandContext, CommandResult, CommandScope, MountMode, Resource, async_trait,
};
pub use mirage_shell::{ExecOutput, Session};

#[cfg(feature = "disk")]
pub use mirage_resource_disk::DiskResource;
#[cfg(feature = "ram")]
pub use mirage_resource_ram::RamResource;
#[cfg(feature = "redis")]
pub use mirage_resource_redis::RedisResource;
