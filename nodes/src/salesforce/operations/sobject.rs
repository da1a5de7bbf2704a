//! Which sObject a resource works on: its path segment (lower-case as n8n sends it), its SOQL
//! name, the parameter that holds a record id, and its field map.

use crate::NodeError;
use crate::node::NodeContext;
use crate::salesforce::fields::Resource;

/// The sObject of one resource for one item.
pub struct SObject {
    /// The segment after `/sobjects/`, e.g. `account` or `Invoice__c`.
    pub path: String,
    /// The name in SOQL, e.g. `Account`.
    pub soql: String,
    /// The parameter holding a record id, e.g. `accountId`.
    pub id_parameter: &'static str,
    /// The field map of `additionalFields` / `updateFields`, when the resource has one.
    pub fields: Option<Resource>,
}

impl SObject {
    /// The sObject of `resource` (for `customObject`, the item's `customObject` parameter).
    pub fn of(ctx: &NodeContext<'_>, resource: &str, index: usize) -> Result<Self, NodeError> {
        let standard = |path: &str, soql: &str, id_parameter, fields| SObject {
            path: path.to_owned(),
            soql: soql.to_owned(),
            id_parameter,
            fields,
        };
        Ok(match resource {
            "account" => standard("account", "Account", "accountId", Some(Resource::Account)),
            "lead" => standard("lead", "Lead", "leadId", Some(Resource::Lead)),
            "contact" => standard("contact", "Contact", "contactId", Some(Resource::Contact)),
            "opportunity" => standard(
                "opportunity",
                "Opportunity",
                "opportunityId",
                Some(Resource::Opportunity),
            ),
            "case" => standard("case", "Case", "caseId", Some(Resource::Case)),
            "task" => standard("task", "Task", "taskId", Some(Resource::Task)),
            "attachment" => standard(
                "attachment",
                "Attachment",
                "attachmentId",
                Some(Resource::Attachment),
            ),
            "user" => standard("user", "User", "userId", None),
            "customObject" => {
                let name: String = ctx.parameter_as("customObject", index)?;
                SObject {
                    path: name.clone(),
                    soql: name,
                    id_parameter: "recordId",
                    fields: Some(Resource::CustomObject),
                }
            }
            other => {
                return Err(NodeError::operation(format!(
                    "The resource \"{other}\" is not known"
                )));
            }
        })
    }
}
