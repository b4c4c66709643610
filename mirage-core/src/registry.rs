//! Resource factories collected with `inventory`, so a YAML config can name a resource by kind.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::resource::Resource;

/// Builds a resource from its YAML/JSON `config:` block.
pub type BuildResource = fn(&serde_json::Value) -> Result<Arc<dyn Resource>, String>;

/// One registered backend. Resource crates submit one with `inventory::submit!`.
pub struct ResourceFactory {
    /// The name used in configs (`resource: disk`).
    pub name: &'static str,
    /// Config keys the factory understands; anything else is refused by the config loader.
    pub config_keys: &'static [&'static str],
    pub build: BuildResource,
}

inventory::collect!(ResourceFactory);

/// All linked factories by name. Duplicated names are a programming error that must not pass
/// silently, so they are reported instead of one shadowing the other.
pub fn resource_factories() -> Result<BTreeMap<&'static str, &'static ResourceFactory>, String> {
    let mut map = BTreeMap::new();
    for f in inventory::iter::<ResourceFactory> {
        if map.insert(f.name, f).is_some() {
            return Err(format!("resource `{}` is registered twice", f.name));
        }
    }
    Ok(map)
}
