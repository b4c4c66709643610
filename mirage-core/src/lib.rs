//! The vocabulary of Mirage: virtual paths, file metadata, errors, the [`Resource`] trait every
//! backend implements, the [`MountTable`] that joins resources into one tree, and the
//! [`Command`] trait every shell command implements.
//!
//! mirage-core knows no backend, no shell syntax and no cache store; everything else depends on
//! it and never the other way round.

pub mod command;
pub mod counting;
pub mod devices;
pub mod error;
pub mod mount;
pub mod output;
pub mod path;
pub mod registry;
pub mod resource;
pub mod stat;
pub mod stream;
pub mod symlinks;

pub use command::{Command, CommandContext, CommandRegistry, CommandResult, CommandScope};
pub use counting::{CallCounts, CountingResource};
pub use devices::DeviceResource;
pub use error::{ErrorKind, FsError, FsResult};
pub use mount::{Mount, MountMode, MountTable};
pub use output::Output;
pub use path::VPath;
pub use registry::{CommandPack, ResourceFactory, register_command_packs, resource_factories};
pub use resource::{CacheHints, Capabilities, Resource, WriteMode};
pub use stat::{DirEntry, FileKind, FileStat};
pub use stream::{
    ByteRange, ByteStream, Reader, collect_stream, empty_stream, reader_stream, stream_from_bytes,
    stream_reader,
};

pub use async_trait::async_trait;
pub use bytes::Bytes;
pub use inventory;
