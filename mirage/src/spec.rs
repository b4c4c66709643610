//! `--mount PREFIX=SPEC` for the command line: `ram`, `disk:PATH`, `disk:PATH:ro`, or any
//! registered resource with no config (`NAME`, `NAME:ro`).

use mirage_core::MountMode;
use serde_json::json;

use crate::error::Error;
use crate::workspace::WorkspaceBuilder;

/// Parses one `PREFIX=SPEC` and adds the mount to `builder`.
pub fn add_mount_spec(builder: WorkspaceBuilder, arg: &str) -> Result<WorkspaceBuilder, Error> {
    let Some((prefix, spec)) = arg.split_once('=') else {
        return Err(Error::Config(format!(
            "--mount {arg}: expected PREFIX=SPEC (e.g. /data=disk:./dir)"
        )));
    };
    let (spec, mode) = match spec.strip_suffix(":ro") {
        Some(s) => (s, MountMode::Read),
        None => (spec.strip_suffix(":rw").unwrap_or(spec), MountMode::Write),
    };
    let (kind, config) = match spec.split_once(':') {
        Some(("disk", path)) => ("disk", json!({ "root": path })),
        Some((other, _)) => {
            return Err(Error::Config(format!(
                "--mount {arg}: `{other}` takes no inline argument; use --config"
            )));
        }
        None if spec == "disk" => {
            return Err(Error::Config(format!(
                "--mount {arg}: disk needs a path (disk:PATH)"
            )));
        }
        None => (spec, serde_json::Value::Null),
    };
    let resource = crate::config::build_resource(kind, &config).map_err(|e| Error::Mount {
        prefix: prefix.to_string(),
        message: e.to_string(),
    })?;
    Ok(builder.mount_arc(prefix, resource, mode))
}
