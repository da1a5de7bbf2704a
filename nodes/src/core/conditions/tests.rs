//! Tests of the condition engine: a table of operator, type and value cases with n8n's result or
//! exact error text, property tests of the operators, and the legacy conditions.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

/// Options with this validation, version and case sensitivity.
fn options(strict: bool, version: u8, case_sensitive: bool) -> FilterOptions {
    FilterOptions {
        case_sensitive,
        validation: Validation { strict, version },
    }
}

const STRICT_V3: FilterOptions = FilterOptions {
    case_sensitive: true,
    validation: Validation {
        strict: true,
        version: 3,
    },
};

/// Operator, left, right, options, and the result or error text.
type FilterCase = (
    Value,
    Value,
    Value,
    FilterOptions,
    Result<bool, &'static str>,
);
/// Data type, operation, value1, value2, and the result or error text.
type LegacyCase = (
    &'static str,
    &'static str,
    Value,
    Value,
    Result<bool, &'static str>,
);

/// One condition `left <type:operation> right` evaluated for item `item`.
fn check(operator: Value, left: Value, right: Value, with: FilterOptions) -> Result<bool, String> {
    let filter = Filter::read(
        &json!({
            "conditions": [{ "leftValue": left, "rightValue": right, "operator": operator }],
            "combinator": "and",
        }),
        with,
    );
    filter.passes(0).map_err(|error| error.to_string())
}

#[test]
fn operators_follow_n8n() {
    let loose = |version| options(false, version, true);
    let cases: Vec<FilterCase> = vec![
        // strings
        (
            json!({"type": "string", "operation": "equals"}),
            json!("a"),
            json!("a"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "equals"}),
            json!("A"),
            json!("a"),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "string", "operation": "equals"}),
            json!("A"),
            json!("a"),
            options(true, 3, false),
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "contains"}),
            json!("Acme Corp"),
            json!("Corp"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "startsWith"}),
            json!("SO-1001"),
            json!("SO-10"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "notEndsWith"}),
            json!("x.com"),
            json!(".com"),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "string", "operation": "regex"}),
            json!("a@b.example.com>"),
            json!("/@[a-z]+\\.example\\.com>?$/"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "regex"}),
            json!("ABC"),
            json!("/abc/"),
            options(true, 3, false),
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "notRegex"}),
            json!("ABC"),
            json!("^abc$"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "exists", "singleValue": true}),
            json!(""),
            json!(""),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "notExists", "singleValue": true}),
            Value::Null,
            json!(""),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "empty", "singleValue": true}),
            json!(""),
            json!(""),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "string", "operation": "notEmpty", "singleValue": true}),
            Value::Null,
            json!(""),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "string", "operation": "equals"}),
            json!(5),
            json!("5"),
            loose(2),
            Ok(true),
        ),
        // numbers
        (
            json!({"type": "number", "operation": "gt"}),
            json!(5),
            json!(3),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "number", "operation": "lte"}),
            Value::Null,
            json!(1500000),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "number", "operation": "gt"}),
            Value::Null,
            json!(0),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "number", "operation": "equals"}),
            Value::Null,
            json!(0),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "number", "operation": "gt"}),
            json!("94105"),
            json!(50000),
            loose(1),
            Ok(true),
        ),
        (
            json!({"type": "number", "operation": "gt"}),
            json!("94105"),
            json!(50000),
            STRICT_V3,
            Err("Wrong type: '94105' is a string but was expecting a number [condition 0, item 0]"),
        ),
        (
            json!({"type": "number", "operation": "gt"}),
            json!("EC1A 1BB"),
            json!(50000),
            loose(3),
            Err(
                "Conversion error: the string 'EC1A 1BB' can't be converted to a number [condition 0, item 0]",
            ),
        ),
        (
            json!({"type": "number", "operation": "gt"}),
            json!("a"),
            json!("b"),
            STRICT_V3,
            Err("Comparison type expects a number but both fields are a string"),
        ),
        (
            json!({"type": "number", "operation": "empty", "singleValue": true}),
            json!(""),
            json!(""),
            loose(3),
            Ok(true),
        ),
        (
            json!({"type": "number", "operation": "empty", "singleValue": true}),
            json!(""),
            json!(""),
            loose(2),
            Ok(false),
        ),
        (
            json!({"type": "number", "operation": "equals"}),
            json!("0x10"),
            json!(16),
            loose(3),
            Ok(true),
        ),
        // booleans
        (
            json!({"type": "boolean", "operation": "true", "singleValue": true}),
            json!(true),
            Value::Null,
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "boolean", "operation": "true", "singleValue": true}),
            json!("false"),
            Value::Null,
            loose(3),
            Ok(false),
        ),
        (
            json!({"type": "boolean", "operation": "true", "singleValue": true}),
            json!("false"),
            Value::Null,
            loose(1),
            Ok(true),
        ),
        (
            json!({"type": "boolean", "operation": "false", "singleValue": true}),
            json!(0),
            Value::Null,
            loose(2),
            Ok(true),
        ),
        (
            json!({"type": "boolean", "operation": "true", "singleValue": true}),
            json!("true"),
            Value::Null,
            STRICT_V3,
            Err("Wrong type: 'true' is a string but was expecting a boolean [condition 0, item 0]"),
        ),
        (
            json!({"type": "boolean", "operation": "equals"}),
            json!(true),
            json!(true),
            STRICT_V3,
            Ok(true),
        ),
        // dates
        (
            json!({"type": "dateTime", "operation": "after"}),
            json!("2024-02-01T08:15:00Z"),
            json!("2024-01-31"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "dateTime", "operation": "equals"}),
            json!("2024-01-05T10:30:00+01:00"),
            json!("2024-01-05T09:30:00Z"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "dateTime", "operation": "before"}),
            Value::Null,
            json!("2024-01-31"),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "dateTime", "operation": "after"}),
            json!("soon"),
            json!("2024-01-31"),
            loose(3),
            Err(
                "Conversion error: the string 'soon' can't be converted to a dateTime [condition 0, item 0]",
            ),
        ),
        // arrays
        (
            json!({"type": "array", "operation": "contains", "rightType": "any"}),
            json!(["priority", "web"]),
            json!("priority"),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "contains", "rightType": "any"}),
            json!(["Priority"]),
            json!("priority"),
            options(true, 3, false),
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "notContains", "rightType": "any"}),
            json!([1, 2]),
            json!(2),
            STRICT_V3,
            Ok(false),
        ),
        (
            json!({"type": "array", "operation": "lengthGt", "rightType": "number"}),
            json!([1, 2]),
            json!(1),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "lengthEquals", "rightType": "number"}),
            json!([]),
            json!(0),
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "empty", "singleValue": true}),
            json!([]),
            Value::Null,
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "notEmpty", "singleValue": true}),
            json!("[1]"),
            Value::Null,
            loose(3),
            Ok(true),
        ),
        (
            json!({"type": "array", "operation": "empty", "singleValue": true}),
            json!("x"),
            Value::Null,
            STRICT_V3,
            Err("Wrong type: 'x' is a string but was expecting an array [condition 0, item 0]"),
        ),
        // objects
        (
            json!({"type": "object", "operation": "empty", "singleValue": true}),
            json!({}),
            Value::Null,
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "object", "operation": "notEmpty", "singleValue": true}),
            json!({"a": 1}),
            Value::Null,
            STRICT_V3,
            Ok(true),
        ),
        (
            json!({"type": "object", "operation": "notEmpty", "singleValue": true}),
            json!("{\"a\": 1}"),
            Value::Null,
            loose(3),
            Ok(true),
        ),
        (
            json!({"type": "object", "operation": "empty", "singleValue": true}),
            json!([1]),
            Value::Null,
            loose(3),
            Err(
                "Conversion error: the object '1' can't be converted to an object [condition 0, item 0]",
            ),
        ),
        // unknown operators hold for nothing
        (
            json!({"type": "string", "operation": "sounds like"}),
            json!("a"),
            json!("a"),
            STRICT_V3,
            Ok(false),
        ),
    ];
    for (operator, left, right, with, expected) in cases {
        let got = check(operator.clone(), left.clone(), right.clone(), with);
        assert_eq!(
            got,
            expected.map_err(str::to_owned),
            "{operator} with {left} and {right}"
        );
    }
}

#[test]
fn a_strict_type_error_carries_n8ns_description_and_names_condition_and_item() {
    let filter = Filter::read(
        &json!({
            "conditions": [
                { "leftValue": "a", "rightValue": "a", "operator": { "type": "string", "operation": "equals" } },
                { "leftValue": "94105", "rightValue": 50000, "operator": { "type": "number", "operation": "gt" } },
            ],
            "combinator": "and",
        }),
        STRICT_V3,
    );
    let error = filter.passes(4).unwrap_err();
    let ConditionError::WrongType {
        message,
        description,
    } = error
    else {
        panic!("expected a type error");
    };
    assert_eq!(
        message,
        "Wrong type: '94105' is a string but was expecting a number [condition 1, item 4]"
    );
    assert_eq!(
        description,
        "\n<p>Try either:</p>\n<ol>\n  <li>Enabling 'Convert types where required'</li>\n  <li>Converting the first field to a number by adding <code>.toNumber()</code></li>\n</ol>\n\t\t\t"
    );
}

#[test]
fn combinators_stop_at_the_first_decisive_condition() {
    let failing = json!({ "leftValue": "x", "rightValue": 1, "operator": { "type": "number", "operation": "gt" } });
    let holds = json!({ "leftValue": "a", "rightValue": "a", "operator": { "type": "string", "operation": "equals" } });
    let fails = json!({ "leftValue": "a", "rightValue": "b", "operator": { "type": "string", "operation": "equals" } });
    let run = |combinator: &str, conditions: Value| {
        Filter::read(
            &json!({ "conditions": conditions, "combinator": combinator }),
            STRICT_V3,
        )
        .passes(0)
    };
    assert_eq!(run("and", json!([fails, failing])), Ok(false));
    assert_eq!(run("or", json!([holds, failing])), Ok(true));
    assert!(run("and", json!([holds, failing])).is_err());
    assert_eq!(run("and", json!([])), Ok(true));
    assert_eq!(run("or", json!([])), Ok(false));
    assert_eq!(run("xor", json!([holds])), Ok(false));
}

#[test]
fn stored_options_win_over_the_nodes_own() {
    let stored = json!({ "caseSensitive": false, "typeValidation": "loose", "version": 2 });
    let read = FilterOptions::read(Some(&stored), STRICT_V3);
    assert_eq!(read, options(false, 2, false));
    assert_eq!(FilterOptions::read(None, STRICT_V3), STRICT_V3);
}

#[test]
fn legacy_conditions_compare_as_javascript() {
    let cases: Vec<LegacyCase> = vec![
        (
            "string",
            "equal",
            json!("Customer - Direct"),
            json!("Customer - Direct"),
            Ok(true),
        ),
        ("string", "contains", json!(1234), json!("23"), Ok(true)),
        (
            "string",
            "startsWith",
            json!(5),
            json!("5"),
            Err("value1.startsWith is not a function"),
        ),
        ("string", "regex", json!("ABC"), json!("/b/i"), Ok(true)),
        ("string", "isEmpty", json!(""), Value::Null, Ok(true)),
        ("number", "larger", json!(120), json!(100), Ok(true)),
        ("number", "largerEqual", json!(80), json!(80), Ok(true)),
        ("number", "smaller", Value::Null, json!(1), Ok(true)),
        ("number", "larger", json!("9"), json!("10"), Ok(true)),
        ("number", "isNotEmpty", json!(0), Value::Null, Ok(true)),
        ("boolean", "notEqual", json!(true), json!(false), Ok(true)),
        (
            "dateTime",
            "after",
            json!("2024-02-01"),
            json!("2024-01-01T00:00:00Z"),
            Ok(true),
        ),
        (
            "dateTime",
            "before",
            json!("later"),
            json!(0),
            Err("The value \"later\" is not a valid DateTime."),
        ),
        (
            "number",
            "between",
            json!(1),
            json!(2),
            Err("The operation \"between\" is not known"),
        ),
    ];
    for (data_type, operation, value1, value2, expected) in cases {
        let got = legacy::compare(data_type, operation, Some(&value1), Some(&value2))
            .map_err(|error| error.to_string());
        assert_eq!(
            got,
            expected.map_err(str::to_owned),
            "{data_type} {operation} {value1} {value2}"
        );
    }
}

#[test]
fn legacy_combinations_check_types_in_order() {
    let conditions = json!({
        "string": [{ "value1": "a", "value2": "a" }],
        "number": [{ "value1": 1, "operation": "larger", "value2": 5 }],
    });
    assert_eq!(legacy::conditions_pass(&conditions, false), Ok(false));
    assert_eq!(legacy::conditions_pass(&conditions, true), Ok(true));
    assert_eq!(legacy::conditions_pass(&json!({}), false), Ok(true));
    assert_eq!(legacy::conditions_pass(&json!({}), true), Ok(false));
}

/// Operators and their negations, with the type of both sides.
const NEGATIONS: &[(&str, &str, &str)] = &[
    ("string", "equals", "notEquals"),
    ("string", "contains", "notContains"),
    ("string", "startsWith", "notStartsWith"),
    ("string", "endsWith", "notEndsWith"),
    ("string", "empty", "notEmpty"),
    ("string", "exists", "notExists"),
    ("number", "equals", "notEquals"),
    ("number", "empty", "notEmpty"),
    ("boolean", "true", "false"),
    ("boolean", "equals", "notEquals"),
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        "[a-cA-C0-9 ]{0,6}".prop_map(Value::String),
        prop_oneof![
            Just("true"),
            Just("false"),
            Just("1"),
            Just(" 42 "),
            Just("")
        ]
        .prop_map(Value::from),
    ]
}

proptest! {
    #[test]
    fn a_negated_operator_is_the_complement_on_valid_input(
        pair in 0..NEGATIONS.len(),
        left in json_leaf(),
        right in json_leaf(),
        strict in any::<bool>(),
        version in 1u8..=3,
        case_sensitive in any::<bool>(),
    ) {
        let (kind, positive, negative) = NEGATIONS[pair];
        let with = options(strict, version, case_sensitive);
        let yes = check(json!({"type": kind, "operation": positive}), left.clone(), right.clone(), with);
        let no = check(json!({"type": kind, "operation": negative}), left, right, with);
        match (yes, no) {
            (Ok(yes), Ok(no)) => prop_assert_ne!(yes, no),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (yes, no) => prop_assert!(false, "one failed, one did not: {:?} {:?}", yes, no),
        }
    }

    #[test]
    fn loose_validation_accepts_what_strict_accepts_with_the_same_result(
        pair in 0..NEGATIONS.len(),
        left in json_leaf(),
        right in json_leaf(),
        version in 1u8..=3,
    ) {
        let (kind, operation, _) = NEGATIONS[pair];
        let operator = json!({"type": kind, "operation": operation});
        let strict = check(operator.clone(), left.clone(), right.clone(), options(true, version, true));
        if let Ok(result) = strict {
            let loose = check(operator, left, right, options(false, version, true));
            prop_assert_eq!(loose, Ok(result));
        }
    }

    #[test]
    fn type_errors_name_the_condition_and_the_item(
        text in "[a-z]{1,8}",
        padding in 0usize..4,
        item in 0usize..1000,
        strict in any::<bool>(),
    ) {
        let holds = json!({ "leftValue": "a", "rightValue": "a", "operator": { "type": "string", "operation": "equals" } });
        let mut conditions = vec![holds; padding];
        conditions.push(json!({ "leftValue": text, "rightValue": 1, "operator": { "type": "number", "operation": "gt" } }));
        let filter = Filter::read(&json!({ "conditions": conditions, "combinator": "and" }), options(strict, 3, true));
        let message = filter.passes(item).unwrap_err().to_string();
        let suffix = format!("[condition {padding}, item {item}]");
        prop_assert!(message.ends_with(&suffix), "{}", message);
    }
}
