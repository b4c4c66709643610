//! The Redis resource (in progress).
