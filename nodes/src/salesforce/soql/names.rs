//! Validation of sObject names, field names (with relationship paths) and operators, with n8n's
//! error messages.

use crate::NodeError;

/// `^[A-Za-z][A-Za-z0-9_]*$` per dot-free segment.
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An sObject name such as `Account` or `Invoice__c`.
pub fn validate_object(name: &str) -> Result<(), NodeError> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(NodeError::operation(format!(
            "Invalid SOQL object name: {name}"
        )))
    }
}

/// A field name, possibly a relationship path (`Account.Owner.Name`).
pub fn validate_field(name: &str) -> Result<(), NodeError> {
    if name.split('.').all(is_identifier) {
        Ok(())
    } else {
        Err(NodeError::operation(format!(
            "Invalid SOQL field name: {name}"
        )))
    }
}

const OPERATORS: &[&str] = &[
    "=", "!=", "<>", "<", "<=", ">", ">=", "LIKE", "NOT LIKE", "IN", "NOT IN", "INCLUDES",
    "EXCLUDES",
];

/// The SOQL operator for a condition's `operation`: trimmed, inner whitespace collapsed,
/// upper-cased; `equal` (the UI's `=`) becomes `=`.
pub fn validate_operator(operation: &str) -> Result<&'static str, NodeError> {
    let normalised = operation
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let normalised = if normalised == "EQUAL" {
        "="
    } else {
        &normalised
    };
    OPERATORS
        .iter()
        .find(|operator| **operator == normalised || **operator == operation)
        .copied()
        .ok_or_else(|| NodeError::operation(format!("Invalid SOQL operator: {operation}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_n8n_patterns() {
        for good in [
            "Id",
            "Account__c",
            "Account__r.Name",
            "Owner.Manager.Email",
            "a1_b",
        ] {
            assert!(validate_field(good).is_ok(), "{good}");
        }
        for bad in ["", "Na me", "1Name", "Account.", ".Name", "Name)", "a..b"] {
            assert!(validate_field(bad).is_err(), "{bad}");
        }
        assert!(validate_object("Invoice__c").is_ok());
        assert!(validate_object("_x").is_err());
    }

    #[test]
    fn operators_are_normalised() {
        assert_eq!(validate_operator("equal").unwrap(), "=");
        assert_eq!(validate_operator(" not   like ").unwrap(), "NOT LIKE");
        assert_eq!(validate_operator("<=").unwrap(), "<=");
        assert_eq!(validate_operator("includes").unwrap(), "INCLUDES");
        assert!(validate_operator("==").is_err());
    }
}
