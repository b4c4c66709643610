//! Links the resource crates of the enabled features. A crate nothing names is not linked and
//! its `inventory::submit!` would vanish, so each feature names its crate here.

#[cfg(feature = "disk")]
use mirage_resource_disk as _;
#[cfg(feature = "mongodb")]
use mirage_resource_mongodb as _;
#[cfg(feature = "ram")]
use mirage_resource_ram as _;
#[cfg(feature = "redis")]
use mirage_resource_redis as _;
#[cfg(feature = "s3")]
use mirage_resource_s3 as _;
#[cfg(feature = "ssh")]
use mirage_resource_ssh as _;

/// Names of the resource features this build enabled, sorted.
pub fn enabled_resource_features() -> Vec<&'static str> {
    let mut v = Vec::new();
    if cfg!(feature = "disk") {
        v.push("disk");
    }
    if cfg!(feature = "mongodb") {
        v.push("mongodb");
    }
    if cfg!(feature = "ram") {
        v.push("ram");
    }
    if cfg!(feature = "redis") {
        v.push("redis");
    }
    if cfg!(feature = "ssh") {
        v.push("ssh");
    }
    if cfg!(feature = "s3") {
        // One feature, six registered names: the S3 presets are the same implementation.
        v.extend(["gcs", "minio", "oci", "r2", "s3", "supabase"]);
    }
    v.sort_unstable();
    v
}
