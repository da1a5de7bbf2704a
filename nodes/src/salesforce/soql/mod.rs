//! The SOQL builder: the query text n8n's Salesforce node and trigger send, byte for byte —
//! default field lists, name and operator validation, literal formatting per typeVersion, and
//! the exact spacing of `SELECT … FROM … WHERE … LIMIT …`.

mod literal;
mod names;

pub use crate::js_number::format_js_number;
pub use literal::{LiteralRules, literal};
pub use names::{validate_field, validate_object, validate_operator};

use serde_json::Value;

use crate::NodeError;

/// One `WHERE` condition as the node's `conditionsUi` holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The field (a relationship path is allowed: `Account.Name`).
    pub field: String,
    /// The operation as written (`equal`, `<`, `like`, ...).
    pub operation: String,
    /// The value (an expression may have made it a number, boolean, array or null).
    pub value: Value,
}

/// A query to build.
#[derive(Clone, Debug, PartialEq)]
pub struct Query<'a> {
    /// The sObject, e.g. `Account` or `Invoice__c`.
    pub object: &'a str,
    /// `options.fields`: absent, a comma-separated string, or an array.
    pub fields: Option<&'a Value>,
    /// The conditions, joined with `AND`.
    pub conditions: &'a [Condition],
    /// `None` for returnAll, else the `LIMIT`.
    pub limit: Option<u64>,
    /// How values become literals (typeVersion 1 turns numeric strings into numbers).
    pub rules: LiteralRules,
}

/// n8n's default field list of an sObject, used when `options.fields` is absent or empty.
pub fn default_fields(object: &str) -> &'static str {
    match object {
        "Account" => "id,name,type,LastModifiedDate",
        "Lead" => {
            "id,company,firstname,lastname,street,postalCode,city,email,status,LastModifiedDate"
        }
        "Contact" => "id,firstname,lastname,email,LastModifiedDate",
        "Opportunity" => "id,accountId,amount,probability,type,LastModifiedDate",
        "Case" => "id,accountId,contactId,priority,status,subject,type,LastModifiedDate",
        "Task" => "id,subject,status,priority,LastModifiedDate",
        "Attachment" => "id,name,LastModifiedDate",
        "User" => "id,name,email,LastModifiedDate",
        _ => "id,LastModifiedDate",
    }
}

/// The field list: the default when `fields` is absent, `""` or `[]` (n8n sends `SELECT  FROM`
/// for `[]`; weft treats it as absent), else the validated names joined with `,`.
pub fn field_list(object: &str, fields: Option<&Value>) -> Result<String, NodeError> {
    let names: Vec<String> = match fields {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) if text.is_empty() => Vec::new(),
        Some(Value::String(text)) => text.split(',').map(|part| part.trim().to_owned()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(other) => vec![other.to_string()],
    };
    if names.is_empty() {
        return Ok(default_fields(object).to_owned());
    }
    for name in &names {
        validate_field(name)?;
    }
    Ok(names.join(","))
}

/// The `WHERE …` clause (empty without conditions).
pub fn where_clause(conditions: &[Condition], rules: LiteralRules) -> Result<String, NodeError> {
    if conditions.is_empty() {
        return Ok(String::new());
    }
    let parts = conditions
        .iter()
        .map(|condition| {
            validate_field(&condition.field)?;
            let operator = validate_operator(&condition.operation)?;
            let value = literal(&condition.value, rules)?;
            Ok(format!("{} {operator} {value}", condition.field))
        })
        .collect::<Result<Vec<_>, NodeError>>()?;
    Ok(format!("WHERE {}", parts.join(" AND ")))
}

/// The query text: `SELECT <fields> FROM <object> <where>` and, unless all records are wanted,
/// ` LIMIT <n>` (so n8n's trailing and double spaces are reproduced exactly).
pub fn build(query: &Query<'_>) -> Result<String, NodeError> {
    validate_object(query.object)?;
    let fields = field_list(query.object, query.fields)?;
    let where_clause = where_clause(query.conditions, query.rules)?;
    let mut text = format!("SELECT {fields} FROM {} {where_clause}", query.object);
    if let Some(limit) = query.limit {
        text.push_str(&format!(" LIMIT {limit}"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn query<'a>(object: &'a str, conditions: &'a [Condition], limit: Option<u64>) -> Query<'a> {
        Query {
            object,
            fields: None,
            conditions,
            limit,
            rules: LiteralRules::V1,
        }
    }

    fn equal(field: &str, value: Value) -> Condition {
        Condition {
            field: field.into(),
            operation: "equal".into(),
            value,
        }
    }

    #[test]
    fn reproduces_the_query_texts_n8n_tests_pin() {
        assert_eq!(
            build(&query("Account", &[], None)).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account "
        );
        assert_eq!(
            build(&query("Account", &[], Some(5))).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account  LIMIT 5"
        );
        assert_eq!(
            build(&query("User", &[], None)).unwrap(),
            "SELECT id,name,email,LastModifiedDate FROM User "
        );
        let fields = json!("Id, Email");
        let conditions = [equal("Email", json!("a'b@x.com"))];
        let contact = Query {
            fields: Some(&fields),
            ..query("Contact", &conditions, Some(10))
        };
        assert_eq!(
            build(&contact).unwrap(),
            "SELECT Id,Email FROM Contact WHERE Email = 'a\\'b@x.com' LIMIT 10"
        );
        let conditions = [equal("IdNumber__c", json!("307795203"))];
        assert_eq!(
            build(&query("Account", &conditions, None)).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account WHERE IdNumber__c = 307795203"
        );
        let v11 = Query {
            rules: LiteralRules::V1_1,
            ..query("Account", &conditions, None)
        };
        assert_eq!(
            build(&v11).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account WHERE IdNumber__c = '307795203'"
        );
    }

    #[test]
    fn empty_field_lists_mean_the_defaults() {
        for fields in [json!(""), json!([]), Value::Null] {
            assert_eq!(
                field_list("Invoice__c", Some(&fields)).unwrap(),
                "id,LastModifiedDate"
            );
        }
        assert_eq!(
            field_list("Invoice__c", Some(&json!(["Name", "Account__r.Name"]))).unwrap(),
            "Name,Account__r.Name"
        );
    }

    #[test]
    fn bad_names_fail_before_any_request() {
        let fields = json!("Name,");
        let error = build(&Query {
            fields: Some(&fields),
            ..query("Account", &[], None)
        })
        .unwrap_err();
        assert_eq!(error.message, "Invalid SOQL field name: ");
        assert_eq!(
            build(&query("Account; DELETE", &[], None))
                .unwrap_err()
                .message,
            "Invalid SOQL object name: Account; DELETE"
        );
        let conditions = [Condition {
            field: "Name".into(),
            operation: "contains".into(),
            value: json!("x"),
        }];
        assert_eq!(
            build(&query("Account", &conditions, None))
                .unwrap_err()
                .message,
            "Invalid SOQL operator: contains"
        );
    }

    #[test]
    fn conditions_join_with_and() {
        let conditions = [
            Condition {
                field: "Amount".into(),
                operation: ">=".into(),
                value: json!(100),
            },
            Condition {
                field: "StageName".into(),
                operation: "  not   in ".into(),
                value: json!(["Closed Won", "Closed Lost"]),
            },
        ];
        assert_eq!(
            where_clause(&conditions, LiteralRules::V1_1).unwrap(),
            "WHERE Amount >= 100 AND StageName NOT IN ('Closed Won','Closed Lost')"
        );
    }
}
