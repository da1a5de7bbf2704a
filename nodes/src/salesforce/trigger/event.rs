//! The 18 events of `triggerOn` (n8n-compat §5.2): which sObject an event watches and whether it
//! fires on creation or on update.

use crate::NodeError;

/// What kind of change fires the trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A record was created.
    Created,
    /// A record was modified.
    Updated,
}

/// A parsed `triggerOn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The sObject, e.g. `Account` or the custom object's API name.
    pub object: String,
    /// Created or updated.
    pub change: Change,
}

impl Event {
    /// n8n's reading of `triggerOn`: the last 7 characters are the change type, the rest with
    /// its first letter upper-cased is the sObject, and `customObject…` events watch
    /// `custom_object`. The object name is validated later by the SOQL builder.
    pub fn parse(trigger_on: &str, custom_object: &str) -> Result<Self, NodeError> {
        let (resource, change) = if let Some(resource) = trigger_on.strip_suffix("Created") {
            (resource, Change::Created)
        } else if let Some(resource) = trigger_on.strip_suffix("Updated") {
            (resource, Change::Updated)
        } else {
            return Err(NodeError::operation(format!(
                "The event \"{trigger_on}\" is not one the Salesforce Trigger knows"
            ))
            .with_description(
                "Choose an event in \"Trigger On\", e.g. accountCreated or leadUpdated",
            ));
        };
        let object = if resource == "customObject" {
            custom_object.to_owned()
        } else {
            let mut chars = resource.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        };
        Ok(Self { object, change })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_name_their_object_and_change() {
        assert_eq!(
            Event::parse("accountCreated", "").unwrap(),
            Event {
                object: "Account".into(),
                change: Change::Created
            }
        );
        assert_eq!(
            Event::parse("opportunityUpdated", "Ignored__c").unwrap(),
            Event {
                object: "Opportunity".into(),
                change: Change::Updated
            }
        );
        assert_eq!(
            Event::parse("customObjectUpdated", "Invoice__c").unwrap(),
            Event {
                object: "Invoice__c".into(),
                change: Change::Updated
            }
        );
    }

    #[test]
    fn an_empty_or_unknown_event_is_an_error() {
        assert!(Event::parse("", "").is_err());
        assert!(Event::parse("accountDeleted", "").is_err());
    }
}
