//! Test support shared by the facade's and the resource crates' integration tests: real
//! servers started by the project itself (and stopped by PID), the resource behaviour suite
//! every backend must pass, and the replay of the GNU-recorded bash fixtures on any mount.

pub mod behaviour;
pub mod fixtures;
pub mod services;
