//! The node registry: every node registered with [`register_node!`](crate::register_node),
//! collected by `inventory`, sorted by type name, duplicates refused.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::node::Node;

/// What `inventory` collects: a registered node.
pub struct Registration(pub &'static dyn Node);

inventory::collect!(Registration);

/// Registers a node (a `static` or a unit struct value implementing [`Node`]).
///
/// ```ignore
/// pub struct NoOp;
/// impl Node for NoOp { … }
/// weft_nodes::register_node!(NoOp);
/// ```
#[macro_export]
macro_rules! register_node {
    ($node:expr) => {
        $crate::inventory::submit! {
            $crate::Registration(&$node)
        }
    };
}

/// Why the registry could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Two nodes share one type name.
    #[error(
        "node type `{0}` is registered more than once (hint: each node needs a unique type name; remove or rename one registration)"
    )]
    Duplicate(&'static str),
}

/// Nodes by type name, in name order.
pub struct NodeRegistry {
    nodes: BTreeMap<&'static str, &'static dyn Node>,
}

impl NodeRegistry {
    /// A registry of `nodes`, refusing duplicate type names.
    pub fn build(
        nodes: impl IntoIterator<Item = &'static dyn Node>,
    ) -> Result<Self, RegistryError> {
        let mut by_name = BTreeMap::new();
        for node in nodes {
            let name = node.description().name;
            if by_name.insert(name, node).is_some() {
                return Err(RegistryError::Duplicate(name));
            }
        }
        Ok(Self { nodes: by_name })
    }

    /// Every node linked into this program, built on first use.
    pub fn global() -> Result<&'static NodeRegistry, RegistryError> {
        static GLOBAL: OnceLock<Result<NodeRegistry, RegistryError>> = OnceLock::new();
        GLOBAL
            .get_or_init(|| {
                NodeRegistry::build(inventory::iter::<Registration>.into_iter().map(|r| r.0))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every node, sorted by type name.
    pub fn nodes(&self) -> impl Iterator<Item = &'static dyn Node> + '_ {
        self.nodes.values().copied()
    }

    /// The node with this type name.
    pub fn get(&self, type_name: &str) -> Option<&'static dyn Node> {
        self.nodes.get(type_name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{ManualTrigger, NoOp};

    #[test]
    fn the_global_registry_holds_the_core_nodes_in_order() {
        let registry = NodeRegistry::global().unwrap();
        let names: Vec<&str> = registry
            .nodes()
            .map(|node| node.description().name)
            .collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(registry.get("n8n-nodes-base.noOp").is_some());
        assert!(registry.get("n8n-nodes-base.manualTrigger").is_some());
    }

    #[test]
    fn duplicates_are_refused() {
        let error = NodeRegistry::build([&NoOp as &dyn Node, &ManualTrigger, &NoOp]).err();
        assert_eq!(error, Some(RegistryError::Duplicate("n8n-nodes-base.noOp")));
    }
}
