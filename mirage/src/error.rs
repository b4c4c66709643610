//! Errors of the facade: building a workspace and loading a config.

/// A workspace could not be built. The message names what was wrong and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("config: {0}")]
    Config(String),
    #[error("mount {prefix}: {message}")]
    Mount { prefix: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
