//! The declarative node description: type name, versions, parameters, credential slots and
//! outputs. The runtime reads it to check workflows, fill omitted parameters and generate each
//! node's parameter JSON Schema; nodes read their parameters through their context.

mod display;
mod literal;
mod parameter;

use serde_json::Value;

pub use display::{Condition, DisplayOptions, Show, VERSION_KEY, is};
pub use literal::{Literal, number};
pub use parameter::{Choice, Group, Parameter, ParameterKind};

/// What a node is: everything about it that is data.
#[derive(Debug)]
pub struct NodeDescription {
    /// The type name in workflow JSON, e.g. `n8n-nodes-base.noOp`.
    pub name: &'static str,
    /// The label, e.g. `No Operation, do nothing`.
    pub display_name: &'static str,
    /// One line about what it does.
    pub description: &'static str,
    /// The typeVersions it implements, ascending.
    pub versions: &'static [f64],
    /// n8n's class for the type is a `VersionedNodeType`, which has only the typeVersions it
    /// lists. n8n runs the one class of an unversioned type (`false`) at any typeVersion, so weft
    /// runs such a node at a typeVersion it does not list too (see [`Self::running_version`]).
    pub versioned: bool,
    /// True for a trigger: it has no input and starts a run.
    pub trigger: bool,
    /// The labels of its main outputs (one entry per output).
    pub outputs: &'static [&'static str],
    /// Its parameters, in dependency order (a parameter's displayOptions read earlier ones).
    pub parameters: &'static [Parameter],
    /// The credentials it can use.
    pub credentials: &'static [CredentialSlot],
}

impl NodeDescription {
    /// True when it implements `version`.
    pub fn supports(&self, version: f64) -> bool {
        self.versions.contains(&version)
    }

    /// The typeVersion weft runs for a node written with `version`: `version` itself when
    /// listed; for an unversioned type the highest listed version below it, else the lowest
    /// (n8n's code compares the typeVersion with thresholds, which such a version passes and
    /// fails alike); `None` for a versioned type that does not list it.
    pub fn running_version(&self, version: f64) -> Option<f64> {
        if self.supports(version) {
            return Some(version);
        }
        if self.versioned {
            return None;
        }
        let below = self.versions.iter().rev().find(|listed| **listed < version);
        below.or(self.versions.first()).copied()
    }

    /// The credential types the node accepts with these resolved `parameters`: fixed slots whose
    /// displayOptions hold, and for a slot named by a parameter, that parameter's value.
    pub fn accepted_credentials(&self, version: f64, parameters: &Value) -> Vec<String> {
        self.credentials
            .iter()
            .filter(|slot| slot.display.allows(version, |key| parameters.get(key)))
            .filter_map(|slot| match slot.credential_type {
                SlotType::Fixed(name) => Some(name.to_owned()),
                SlotType::FromParameter(parameter) => parameters
                    .get(parameter)
                    .and_then(Value::as_str)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned),
            })
            .collect()
    }
}

/// A credential a node can use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CredentialSlot {
    /// Which credential type.
    pub credential_type: SlotType,
    /// When the slot applies, e.g. `authentication = jwt`.
    pub display: DisplayOptions,
}

/// How a slot names its credential type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotType {
    /// This type, e.g. `salesforceJwtApi`.
    Fixed(&'static str),
    /// The type named by this parameter's value (HTTP Request's `nodeCredentialType`).
    FromParameter(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static NODE: NodeDescription = NodeDescription {
        name: "test.node",
        display_name: "Test",
        description: "",
        versions: &[1.0, 1.1],
        versioned: true,
        trigger: false,
        outputs: &["main"],
        parameters: &[],
        credentials: &[
            CredentialSlot {
                credential_type: SlotType::Fixed("salesforceJwtApi"),
                display: DisplayOptions {
                    show: &[("authentication", &[Condition::Is(Literal::String("jwt"))])],
                    hide: &[],
                },
            },
            CredentialSlot {
                credential_type: SlotType::FromParameter("nodeCredentialType"),
                display: DisplayOptions {
                    show: &[(
                        "authentication",
                        &[Condition::Is(Literal::String("predefinedCredentialType"))],
                    )],
                    hide: &[],
                },
            },
        ],
    };

    #[test]
    fn slots_follow_the_authentication_parameter() {
        assert_eq!(
            NODE.accepted_credentials(1.0, &json!({ "authentication": "jwt" })),
            ["salesforceJwtApi"]
        );
        assert_eq!(
            NODE.accepted_credentials(
                1.0,
                &json!({ "authentication": "predefinedCredentialType", "nodeCredentialType": "salesforceOAuth2Api" })
            ),
            ["salesforceOAuth2Api"]
        );
        assert!(
            NODE.accepted_credentials(1.0, &json!({ "authentication": "none" }))
                .is_empty()
        );
        assert!(NODE.supports(1.1) && !NODE.supports(2.0));
    }

    #[test]
    fn only_unversioned_types_run_at_versions_they_do_not_list() {
        let unversioned = NodeDescription {
            versioned: false,
            ..NODE
        };
        for (version, versioned, running) in [
            (1.1, Some(1.1), Some(1.1)),
            (2.0, None, Some(1.1)),
            (1.05, None, Some(1.0)),
            (0.5, None, Some(1.0)),
        ] {
            assert_eq!(NODE.running_version(version), versioned, "{version}");
            assert_eq!(unversioned.running_version(version), running, "{version}");
        }
    }
}
