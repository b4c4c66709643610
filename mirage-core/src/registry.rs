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

/// Commands a resource crate brings along, registered with `inventory::submit!` next to its
/// [`ResourceFactory`]: usually overrides scoped to the resource's kind (`wc -l` answered by a
/// count query on a database mount instead of reading every row).
pub struct CommandPack {
    /// The resource kind the pack belongs to (for ordering and messages).
    pub resource: &'static str,
    pub register: fn(&mut crate::command::CommandRegistry),
}

inventory::collect!(CommandPack);

/// Adds every linked command pack to `registry`, in resource-name order so the result never
/// depends on link order.
pub fn register_command_packs(registry: &mut crate::command::CommandRegistry) {
    let mut packs: Vec<&CommandPack> = inventory::iter::<CommandPack>.into_iter().collect();
    packs.sort_by_key(|p| p.resource);
    for p in packs {
        (p.register)(registry);
    }
}
