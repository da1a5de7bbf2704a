//! Reading the `options` collection of the file nodes per item, and the parts of their
//! descriptions and check that both nodes share (the encoding choice, refusing operations and
//! encodings weft does not have).

use serde_json::Value;

use super::encoding::{NAMES, TextEncoding};
use crate::description::{Condition, Literal, Show};
use crate::error::NodeError;
use crate::node::{NodeContext, Unsupported};

/// `options.<name>` of item `index` as text; `None` when absent.
pub(crate) fn text(
    ctx: &NodeContext<'_>,
    name: &str,
    index: usize,
) -> Result<Option<String>, NodeError> {
    Ok(ctx
        .optional_parameter(&format!("options.{name}"), index)?
        .map(|value| match value {
            Value::String(text) => text,
            Value::Null => String::new(),
            other => other.to_string(),
        }))
}

/// `options.<name>` of item `index` as a JavaScript truth value; `None` when absent.
pub(crate) fn flag(
    ctx: &NodeContext<'_>,
    name: &str,
    index: usize,
) -> Result<Option<bool>, NodeError> {
    Ok(ctx
        .optional_parameter(&format!("options.{name}"), index)?
        .map(|value| match value {
            Value::Bool(flag) => flag,
            Value::Null => false,
            Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
            Value::String(text) => !text.is_empty(),
            _ => true,
        }))
}

/// `options.encoding` of item `index`; `None` when absent or empty.
pub(crate) fn encoding(
    ctx: &NodeContext<'_>,
    index: usize,
) -> Result<Option<TextEncoding>, NodeError> {
    match text(ctx, "encoding", index)?.filter(|name| !name.is_empty()) {
        None => Ok(None),
        Some(name) => TextEncoding::parse(&name)
            .map(Some)
            .ok_or_else(|| unknown_encoding(&name)),
    }
}

/// The error for an encoding weft does not implement.
fn unknown_encoding(name: &str) -> NodeError {
    NodeError::operation(format!("weft does not have the encoding \"{name}\"")).with_description(
        format!("hint: use one of {NAMES}, or convert the file before this node"),
    )
}

/// Why a node with these resolved `parameters` cannot run: an operation outside `supported`,
/// or a literal `options.encoding` weft does not implement.
pub(crate) fn unsupported(node: &str, parameters: &Value, supported: &[&str]) -> Vec<Unsupported> {
    let operation = parameters
        .get("operation")
        .and_then(Value::as_str)
        .unwrap_or("csv");
    if !supported.contains(&operation) {
        return vec![Unsupported::new(
            "operation",
            format!("weft does not have n8n's {node} operation `{operation}`"),
            format!(
                "use one of {}, or run this workflow in n8n",
                supported.join(", ")
            ),
        )];
    }
    unsupported_encoding(node, parameters).into_iter().collect()
}

/// Why a literal `options.encoding` in these resolved `parameters` cannot run: weft does not
/// implement it.
pub(crate) fn unsupported_encoding(node: &str, parameters: &Value) -> Option<Unsupported> {
    let encoding = parameters
        .pointer("/options/encoding")
        .and_then(Value::as_str)
        .unwrap_or("");
    let unknown = !encoding.starts_with('=')
        && !encoding.is_empty()
        && TextEncoding::parse(encoding).is_none();
    unknown.then(|| {
        Unsupported::new(
            "options.encoding",
            format!("weft does not have n8n's encoding `{encoding}` for {node}"),
            format!("use one of {NAMES}, or convert the file before this node"),
        )
    })
}

/// Shown for Convert to File's and Extract from File's CSV operation.
pub(super) const CSV_ONLY: Show = &[("/operation", &[Condition::Is(Literal::String("csv"))])];

/// Shown for their spreadsheet operations.
pub(super) const SHEETS: Show = &[(
    "/operation",
    &[
        Condition::Is(Literal::String("ods")),
        Condition::Is(Literal::String("xls")),
        Condition::Is(Literal::String("xlsx")),
    ],
)];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn other_operations_and_encodings_are_refused() {
        let supported = ["csv", "toJson"];
        assert_eq!(
            unsupported(
                "Convert to File",
                &json!({"operation": "toJson"}),
                &supported
            ),
            []
        );
        assert_eq!(
            unsupported("Convert to File", &json!({}), &supported),
            [],
            "csv is the default"
        );
        let refused = unsupported("Convert to File", &json!({"operation": "ods"}), &supported);
        let [refused] = refused.as_slice() else {
            panic!("{refused:?}");
        };
        assert_eq!(refused.parameter, "operation");
        assert!(
            refused.reason.contains("`ods`") && refused.hint.contains("csv, toJson"),
            "{refused:?}"
        );
        let encoding = json!({"operation": "toJson", "options": {"encoding": "koi8r"}});
        let refused = unsupported("Convert to File", &encoding, &supported);
        assert!(
            refused.len() == 1
                && refused[0].parameter == "options.encoding"
                && refused[0].reason.contains("`koi8r`"),
            "{refused:?}"
        );
        let expression = json!({"operation": "toJson", "options": {"encoding": "={{ $json.e }}"}});
        assert_eq!(unsupported("Convert to File", &expression, &supported), []);
    }
}
