//! The help texts, one entry per command, sorted by name.

pub const TEXTS: &[(&str, &str)] = &[];
