//! Errors as values with an errno-like kind, printed the way GNU tools print them.

use std::fmt;

/// The errno-like classification of a filesystem failure. `Display` gives the text that GNU
/// tools print after the path (`strerror`), so commands can format `cat: x: No such file or
/// directory` without knowing the backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NotFound,
    IsADirectory,
    NotADirectory,
    ReadOnly,
    PermissionDenied,
    AlreadyExists,
    NotEmpty,
    Unsupported,
    Network,
    InvalidInput,
    /// Moving a directory into itself, a symlink loop and other invalid requests.
    InvalidArgument,
    TooManyLinks,
    /// A mount point cannot be removed or replaced.
    Busy,
    Other,
}

impl ErrorKind {
    /// The strerror text GNU prints for this kind.
    pub fn strerror(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "No such file or directory",
            ErrorKind::IsADirectory => "Is a directory",
            ErrorKind::NotADirectory => "Not a directory",
            ErrorKind::ReadOnly => "Read-only file system",
            ErrorKind::PermissionDenied => "Permission denied",
            ErrorKind::AlreadyExists => "File exists",
            ErrorKind::NotEmpty => "Directory not empty",
            ErrorKind::Unsupported => "Operation not supported",
            ErrorKind::Network => "Network is unreachable",
            ErrorKind::InvalidInput => "Invalid argument",
            ErrorKind::InvalidArgument => "Invalid argument",
            ErrorKind::TooManyLinks => "Too many levels of symbolic links",
            ErrorKind::Busy => "Device or resource busy",
            ErrorKind::Other => "Input/output error",
        }
    }
}

/// A filesystem error: a kind plus optional detail (the cause from a backend, the mount).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FsError {
    pub kind: ErrorKind,
    /// Extra context for messages that are not plain strerror text, e.g. a network cause.
    pub detail: Option<String>,
}

pub type FsResult<T> = Result<T, FsError>;

impl FsError {
    pub fn new(kind: ErrorKind) -> Self {
        FsError { kind, detail: None }
    }

    pub fn with_detail(kind: ErrorKind, detail: impl Into<String>) -> Self {
        FsError {
            kind,
            detail: Some(detail.into()),
        }
    }

    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound)
    }
    pub fn is_dir() -> Self {
        Self::new(ErrorKind::IsADirectory)
    }
    pub fn not_dir() -> Self {
        Self::new(ErrorKind::NotADirectory)
    }
    pub fn read_only() -> Self {
        Self::new(ErrorKind::ReadOnly)
    }
    pub fn unsupported() -> Self {
        Self::new(ErrorKind::Unsupported)
    }
    pub fn exists() -> Self {
        Self::new(ErrorKind::AlreadyExists)
    }
    pub fn not_empty() -> Self {
        Self::new(ErrorKind::NotEmpty)
    }
    pub fn permission_denied() -> Self {
        Self::new(ErrorKind::PermissionDenied)
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.detail {
            Some(d) if matches!(self.kind, ErrorKind::Network | ErrorKind::Other) => {
                write!(f, "{}: {d}", self.kind.strerror())
            }
            _ => f.write_str(self.kind.strerror()),
        }
    }
}

impl std::error::Error for FsError {}

impl From<std::io::Error> for FsError {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let kind = match e.kind() {
            K::NotFound => ErrorKind::NotFound,
            K::PermissionDenied => ErrorKind::PermissionDenied,
            K::AlreadyExists => ErrorKind::AlreadyExists,
            K::IsADirectory => ErrorKind::IsADirectory,
            K::NotADirectory => ErrorKind::NotADirectory,
            K::DirectoryNotEmpty => ErrorKind::NotEmpty,
            K::ReadOnlyFilesystem => ErrorKind::ReadOnly,
            K::InvalidInput => ErrorKind::InvalidInput,
            K::Unsupported => ErrorKind::Unsupported,
            K::ConnectionRefused
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::NotConnected
            | K::TimedOut
            | K::HostUnreachable
            | K::NetworkUnreachable => ErrorKind::Network,
            _ => match e.raw_os_error() {
                Some(20) => ErrorKind::NotADirectory,
                Some(21) => ErrorKind::IsADirectory,
                Some(39) => ErrorKind::NotEmpty,
                Some(30) => ErrorKind::ReadOnly,
                Some(40) => ErrorKind::TooManyLinks,
                _ => return FsError::with_detail(ErrorKind::Other, e.to_string()),
            },
        };
        FsError::new(kind)
    }
}

impl From<FsError> for std::io::Error {
    fn from(e: FsError) -> Self {
        use std::io::ErrorKind as K;
        let kind = match e.kind {
            ErrorKind::NotFound => K::NotFound,
            ErrorKind::PermissionDenied => K::PermissionDenied,
            ErrorKind::AlreadyExists => K::AlreadyExists,
            ErrorKind::IsADirectory => K::IsADirectory,
            ErrorKind::NotADirectory => K::NotADirectory,
            ErrorKind::NotEmpty => K::DirectoryNotEmpty,
            ErrorKind::ReadOnly => K::ReadOnlyFilesystem,
            ErrorKind::Unsupported => K::Unsupported,
            ErrorKind::InvalidInput | ErrorKind::InvalidArgument => K::InvalidInput,
            _ => K::Other,
        };
        std::io::Error::new(kind, e)
    }
}
