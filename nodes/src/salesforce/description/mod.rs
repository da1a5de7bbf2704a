//! The description of the Salesforce node (`n8n-nodes-base.salesforce`, typeVersions 1 and 1.1):
//! `authentication`, `resource`, and per resource (one file each, as n8n's `*Description.ts`)
//! its `operation` and the parameters of each operation, with n8n's names, types, defaults,
//! required flags and displayOptions. typeVersion 1.1 differs from 1 only in how Get Many
//! quotes condition values (n8n-compat §3.1), so no declaration tests `@version`.
//!
//! Where n8n saves a collection key that its own code never reads (n8n-compat §3.4 ⚠ rows), weft
//! declares both spellings; `super::fields` maps each of them.

use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Literal, NodeDescription, Parameter,
    ParameterKind, SlotType,
};

/// displayOptions `show` entries: `on!("lead")` for a resource, `on!("lead", ["get", "delete"])`
/// for some of its operations, optionally followed by more `(name, conditions)` entries.
macro_rules! on {
    ($resource:literal) => {
        &[(
            "resource",
            &[$crate::description::Condition::Is(
                $crate::description::Literal::String($resource),
            )],
        )]
    };
    ($resource:literal, [$($operation:literal),+ $(,)?] $(, $extra:expr)* $(,)?) => {
        &[
            (
                "resource",
                &[$crate::description::Condition::Is(
                    $crate::description::Literal::String($resource),
                )],
            ),
            (
                "operation",
                &[$($crate::description::Condition::Is(
                    $crate::description::Literal::String($operation),
                )),+],
            ),
            $($extra),*
        ]
    };
}

/// The parameter slices given, one after the other, as a `&'static [Parameter]`.
macro_rules! joined {
    ($($part:expr),+ $(,)?) => {{
        const PARTS: &[&[$crate::description::Parameter]] = &[$($part),+];
        const JOINED: [$crate::description::Parameter; $crate::salesforce::description::total(PARTS)] =
            $crate::salesforce::description::concat(PARTS);
        &JOINED
    }};
}

mod shared;

pub(in crate::salesforce) use shared::CONDITIONS;

mod account;
mod attachment;
mod case;
mod contact;
mod custom_object;
mod document;
mod flow;
mod lead;
mod opportunity;
mod search;
mod task;
mod user;

#[cfg(test)]
mod tests;

/// The number of parameters in `parts`.
const fn total(parts: &[&[Parameter]]) -> usize {
    let mut count = 0;
    let mut part = 0;
    while part < parts.len() {
        count += parts[part].len();
        part += 1;
    }
    count
}

/// `parts` concatenated; `N` must be [`total`]`(parts)`.
const fn concat<const N: usize>(parts: &[&[Parameter]]) -> [Parameter; N] {
    let mut joined = [Parameter::new("", "", ParameterKind::String); N];
    let mut next = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut index = 0;
        while index < parts[part].len() {
            joined[next] = parts[part][index];
            next += 1;
            index += 1;
        }
        part += 1;
    }
    assert!(next == N, "N must be the total number of parameters");
    joined
}

/// The credential slot of `credential_type`, used when `authentication` is `authentication`.
macro_rules! slot {
    ($credential_type:literal, $authentication:literal) => {
        CredentialSlot {
            credential_type: SlotType::Fixed($credential_type),
            display: DisplayOptions {
                show: &[(
                    "authentication",
                    &[Condition::Is(Literal::String($authentication))],
                )],
                hide: &[],
            },
        }
    };
}

/// `authentication`, shared with the trigger.
pub(in crate::salesforce) const AUTHENTICATION: Parameter = Parameter::new(
    "authentication",
    "Authentication",
    ParameterKind::Options(&[
        Choice::new("OAuth2", Literal::String("oAuth2")),
        Choice::new("OAuth2 JWT", Literal::String("jwt")),
        Choice::new("Client Credentials", Literal::String("clientCredentials")),
    ]),
)
.default(Literal::String("oAuth2"))
.describe("OAuth authorization flow; Client Credentials is a weft addition");

const RESOURCE: Parameter = Parameter::new(
    "resource",
    "Resource",
    ParameterKind::Options(&[
        Choice::new("Account", Literal::String("account")),
        Choice::new("Attachment", Literal::String("attachment")),
        Choice::new("Case", Literal::String("case")),
        Choice::new("Contact", Literal::String("contact")),
        Choice::new("Custom Object", Literal::String("customObject")),
        Choice::new("Document", Literal::String("document")),
        Choice::new("Flow", Literal::String("flow")),
        Choice::new("Lead", Literal::String("lead")),
        Choice::new("Opportunity", Literal::String("opportunity")),
        Choice::new("Search", Literal::String("search")),
        Choice::new("Task", Literal::String("task")),
        Choice::new("User", Literal::String("user")),
    ]),
)
.default(Literal::String("lead"))
.no_data_expression();

/// The credential slots, one per `authentication` value, shared with the trigger.
pub(in crate::salesforce) const CREDENTIALS: &[CredentialSlot] = &[
    slot!("salesforceOAuth2Api", "oAuth2"),
    slot!("salesforceJwtApi", "jwt"),
    slot!("salesforceClientCredentialsApi", "clientCredentials"),
];

/// The options of the collection `name` (`additionalFields`, `updateFields`, `options`) that
/// `resource` and `operation` show at typeVersion `version`, for tools and tests that walk what
/// the node can send.
pub fn collection_options(
    resource: &str,
    operation: &str,
    name: &str,
    version: f64,
) -> Option<&'static [Parameter]> {
    let values = serde_json::json!({ "resource": resource, "operation": operation });
    DESCRIPTION
        .parameters
        .iter()
        .filter(|parameter| parameter.name == name)
        .find(|parameter| parameter.display.allows(version, |key| values.get(key)))
        .and_then(|parameter| match parameter.kind {
            ParameterKind::Collection(options) => Some(options),
            _ => None,
        })
}

/// The Salesforce node's description.
pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.salesforce",
    display_name: "Salesforce",
    description: "Consume Salesforce API",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: joined!(
        &[AUTHENTICATION, RESOURCE],
        &[account::OPERATION],
        account::FIELDS,
        &[attachment::OPERATION],
        attachment::FIELDS,
        &[case::OPERATION],
        case::FIELDS,
        &[contact::OPERATION],
        contact::FIELDS,
        &[custom_object::OPERATION],
        custom_object::FIELDS,
        &[document::OPERATION],
        document::FIELDS,
        &[flow::OPERATION],
        flow::FIELDS,
        &[lead::OPERATION],
        lead::FIELDS,
        &[opportunity::OPERATION],
        opportunity::FIELDS,
        &[search::OPERATION],
        search::FIELDS,
        &[task::OPERATION],
        task::FIELDS,
        &[user::OPERATION],
        user::FIELDS,
    ),
    credentials: CREDENTIALS,
};
