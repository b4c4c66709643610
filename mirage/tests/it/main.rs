//! Integration tests of the facade: one binary for the crate (build cost is real on 2 cores).

mod behaviour;
mod cache;
mod cli;
mod fixtures;
mod redis;
mod workspace;
