//! n8n's filter-type parameter (IF v2+, Filter v2+, Switch v3+): `{conditions, combinator,
//! options}` evaluated for one item, with n8n's type validation and its exact error texts.

use serde_json::Value;

use super::error::ConditionError;
use super::js;
use super::operand::{Operand, OperandType, Validation};
use super::operators;

/// The options a filter is evaluated with (`conditions.options`, as the editor stores them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterOptions {
    /// `caseSensitive`.
    pub case_sensitive: bool,
    /// `typeValidation` is `strict`, and `version`.
    pub validation: Validation,
}

impl FilterOptions {
    /// The stored `options` of a filter value, each missing key taken from `fallback` (the
    /// node's own `typeOptions.filter`).
    pub fn read(stored: Option<&Value>, fallback: FilterOptions) -> FilterOptions {
        let get = |key: &str| stored.and_then(|options| options.get(key));
        FilterOptions {
            case_sensitive: get("caseSensitive")
                .map_or(fallback.case_sensitive, |value| js::truthy(Some(value))),
            validation: Validation {
                strict: get("typeValidation")
                    .and_then(Value::as_str)
                    .map_or(fallback.validation.strict, |mode| mode == "strict"),
                version: get("version")
                    .and_then(Value::as_f64)
                    .map_or(fallback.validation.version, |version| version as u8),
            },
        }
    }
}

/// A condition's operator: `{type, operation, rightType?, singleValue?}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    /// `type`, as written (it appears in error messages).
    pub type_name: String,
    /// `operation`.
    pub operation: String,
    /// `rightType`, when the right side has another type (`array contains` → `any`).
    pub right_type: Option<String>,
    /// `singleValue`: the right side is not used.
    pub single_value: bool,
}

/// One condition: two sides and an operator.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `leftValue` (`None`: absent, JavaScript's `undefined`).
    pub left: Option<Value>,
    /// `rightValue`.
    pub right: Option<Value>,
    /// `operator`.
    pub operator: Operator,
}

/// How the conditions combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combinator {
    /// Every condition holds (`and`).
    And,
    /// At least one holds (`or`).
    Or,
    /// Anything else: n8n logs a warning and the filter fails.
    Unknown,
}

/// A filter parameter's value, read from its resolved JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
    /// `combinator` (`and` when absent).
    pub combinator: Combinator,
    /// The options the conditions are evaluated with.
    pub options: FilterOptions,
}

impl Filter {
    /// The filter in `value` (a resolved filter parameter), its options completed by `fallback`.
    pub fn read(value: &Value, fallback: FilterOptions) -> Filter {
        let conditions = value
            .get("conditions")
            .and_then(Value::as_array)
            .map(|conditions| conditions.iter().map(read_condition).collect())
            .unwrap_or_default();
        let combinator = match value.get("combinator").and_then(Value::as_str) {
            None | Some("and") => Combinator::And,
            Some("or") => Combinator::Or,
            Some(_) => Combinator::Unknown,
        };
        Filter {
            conditions,
            combinator,
            options: FilterOptions::read(value.get("options"), fallback),
        }
    }

    /// Whether item `item_index` passes: `and` stops at the first failing condition, `or` at the
    /// first holding one, so a later condition's type error is not raised.
    pub fn passes(&self, item_index: usize) -> Result<bool, ConditionError> {
        let results = self
            .conditions
            .iter()
            .enumerate()
            .map(|(index, condition)| self.condition_holds(condition, index, item_index));
        match self.combinator {
            Combinator::And => {
                for result in results {
                    if !result? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Combinator::Or => {
                for result in results {
                    if result? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Combinator::Unknown => Ok(false),
        }
    }

    /// Whether condition `index` holds for item `item_index`.
    pub fn condition_holds(
        &self,
        condition: &Condition,
        index: usize,
        item_index: usize,
    ) -> Result<bool, ConditionError> {
        let (left, right) = validate(condition, self.options.validation, index, item_index)?;
        operators::evaluate(
            &condition.operator,
            left,
            right,
            !self.options.case_sensitive,
        )
    }
}

fn read_condition(value: &Value) -> Condition {
    let operator = value.get("operator");
    let text = |key: &str| {
        operator
            .and_then(|operator| operator.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Condition {
        left: value.get("leftValue").cloned(),
        right: value.get("rightValue").cloned(),
        operator: Operator {
            type_name: text("type").unwrap_or_else(|| "string".to_owned()),
            operation: text("operation").unwrap_or_else(|| "equals".to_owned()),
            right_type: text("rightType"),
            single_value: operator
                .and_then(|operator| operator.get("singleValue"))
                .is_some_and(|single| js::truthy(Some(single))),
        },
    }
}

/// Both sides converted to the operator's types, or n8n's error naming the condition and item.
fn validate(
    condition: &Condition,
    rules: Validation,
    index: usize,
    item_index: usize,
) -> Result<(Operand, Operand), ConditionError> {
    let operator = &condition.operator;
    let left_type = operator.type_name.as_str();
    let right_type = operator.right_type.as_deref().unwrap_or(left_type);
    let left = Operand::parse(
        condition.left.as_ref(),
        OperandType::from_name(left_type),
        rules,
    );
    let right = Operand::parse(
        condition.right.as_ref(),
        OperandType::from_name(right_type),
        rules,
    );
    let right_valid = right.is_some() || operator.single_value;
    let left_kind = js::type_of(condition.left.as_ref());
    let right_kind = js::type_of(condition.right.as_ref());
    let suffix = format!("[condition {index}, item {item_index}]");
    let wrong = |expected: &str, kind: &str, value: Option<&Value>, position: &str| {
        ConditionError::WrongType {
            message: invalid_type_message(
                rules.strict,
                expected,
                kind,
                &js::to_js_string(value),
                &suffix,
            ),
            description: invalid_type_description(rules.strict, expected, position),
        }
    };
    match (left, right) {
        (None, _) if !right_valid && left_kind == right_kind => Err(ConditionError::WrongType {
            message: format!(
                "Comparison type expects {} but both fields are {}",
                with_article(left_type),
                with_article(left_kind)
            ),
            description: type_hint(rules.strict).to_owned(),
        }),
        (None, _) => Err(wrong(
            left_type,
            left_kind,
            condition.left.as_ref(),
            "first",
        )),
        (Some(_), None) if !right_valid => Err(wrong(
            right_type,
            right_kind,
            condition.right.as_ref(),
            "second",
        )),
        (Some(left), right) => Ok((left, right.unwrap_or(Operand::Undefined))),
    }
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

fn invalid_type_message(
    strict: bool,
    expected: &str,
    kind: &str,
    value: &str,
    suffix: &str,
) -> String {
    let kind = kind.to_lowercase();
    if strict {
        format!(
            "Wrong type: '{value}' is {} but was expecting {} {suffix}",
            with_article(&kind),
            with_article(expected)
        )
    } else {
        format!(
            "Conversion error: the {kind} '{value}' can't be converted to {} {suffix}",
            with_article(expected)
        )
    }
}

fn type_hint(strict: bool) -> &'static str {
    if strict {
        "Try changing the type of comparison. Alternatively you can enable 'Convert types where required'."
    } else {
        "Try changing the type of the comparison."
    }
}

fn invalid_type_description(strict: bool, expected: &str, position: &str) -> String {
    let conversion = match expected {
        "string" => ".toString()",
        "number" => ".toNumber()",
        "boolean" => ".toBoolean()",
        _ => "",
    };
    if strict && !conversion.is_empty() {
        format!(
            "\n<p>Try either:</p>\n<ol>\n  <li>Enabling 'Convert types where required'</li>\n  <li>Converting the {position} field to {} by adding <code>{conversion}</code></li>\n</ol>\n\t\t\t",
            with_article(expected)
        )
    } else {
        type_hint(strict).to_owned()
    }
}
