//! Switch's parameters per typeVersion: v1/v2's data type, `value1` and typed rules, v3+'s
//! filter rules and options, and the expression mode of all.

use crate::core::condition_parameters::{
    BOOLEAN_OPERATIONS, DATE_OPERATIONS, FilterNode, NUMBER_OPERATIONS, STRING_OPERATIONS,
    loose_type_validation,
};
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};

/// How Switch v3+ derives its filter options.
pub const FILTER_NODE: FilterNode = FilterNode {
    top_level_loose_since: 3.1,
    filter_versions: &[(3.0, 1), (3.2, 2), (3.4, 3)],
};

use crate::description::Show;

const RULES: Condition = Condition::Is(Literal::String("rules"));
const EXPRESSION: Condition = Condition::Is(Literal::String("expression"));
const EXPRESSION_V1: Show = &[
    ("mode", &[EXPRESSION]),
    (VERSION_KEY, &[Condition::Lt(2.0)]),
];
const EXPRESSION_V2: Show = &[
    ("mode", &[EXPRESSION]),
    (VERSION_KEY, &[Condition::Gte(2.0)]),
    (VERSION_KEY, &[Condition::Lt(3.0)]),
];
const EXPRESSION_V3: Show = &[
    ("mode", &[EXPRESSION]),
    (VERSION_KEY, &[Condition::Gte(3.0)]),
];
const RULES_LEGACY: Show = &[("mode", &[RULES]), (VERSION_KEY, &[Condition::Lt(3.0)])];
const RULES_V3: Show = &[("mode", &[RULES]), (VERSION_KEY, &[Condition::Gte(3.0)])];
const FROM_3_1: Show = &[(VERSION_KEY, &[Condition::Gte(3.1)])];
const BEFORE_3_1: Show = &[(VERSION_KEY, &[Condition::Lt(3.1)])];
const ONLY_V1: Show = &[(VERSION_KEY, &[Condition::Lt(2.0)])];
const FROM_V2: Show = &[(VERSION_KEY, &[Condition::Gte(2.0)])];
const RENAMED: Show = &[("renameOutput", &[Condition::Is(Literal::Bool(true))])];
const EXTRA: Show = &[("fallbackOutput", &[Condition::Is(Literal::String("extra"))])];

const fn of_type(data_type: &'static str) -> Show {
    match data_type.as_bytes()[0] {
        b'b' => &[
            ("dataType", &[Condition::Is(Literal::String("boolean"))]),
            ("mode", &[RULES]),
        ],
        b'd' => &[
            ("dataType", &[Condition::Is(Literal::String("dateTime"))]),
            ("mode", &[RULES]),
        ],
        b'n' => &[
            ("dataType", &[Condition::Is(Literal::String("number"))]),
            ("mode", &[RULES]),
        ],
        _ => &[
            ("dataType", &[Condition::Is(Literal::String("string"))]),
            ("mode", &[RULES]),
        ],
    }
}

const fn operation(choices: &'static [Choice], default: &'static str) -> Parameter {
    Parameter::new("operation", "Operation", ParameterKind::Options(choices))
        .default(Literal::String(default))
}

const OUTPUT: Parameter = Parameter::new("output", "Output", ParameterKind::Number).show(ONLY_V1);
const OUTPUT_KEY: Parameter =
    Parameter::new("outputKey", "Output Key", ParameterKind::String).show(FROM_V2);

const fn rules(data_type: &'static str, group: &'static [Group]) -> Parameter {
    Parameter::new(
        "rules",
        "Routing Rules",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: group,
        },
    )
    .show(of_type(data_type))
}

const fn value1(data_type: &'static str, kind: ParameterKind) -> Parameter {
    Parameter::new("value1", "Value 1", kind).show(of_type(data_type))
}

static DESCRIPTION_PARAMETERS: &[Parameter] = &[
    Parameter::new(
        "mode",
        "Mode",
        ParameterKind::Options(&[
            Choice::new("Rules", Literal::String("rules")),
            Choice::new("Expression", Literal::String("expression")),
        ]),
    )
    .default(Literal::String("rules"))
    .no_data_expression(),
    Parameter::new("output", "Output", ParameterKind::Number).show(EXPRESSION_V1),
    Parameter::new("output", "Output", ParameterKind::String).show(EXPRESSION_V2),
    Parameter::new("outputsAmount", "Outputs Amount", ParameterKind::Number)
        .default(Literal::Number(4.0))
        .show(EXPRESSION_V2),
    Parameter::new("numberOutputs", "Number of Outputs", ParameterKind::Number)
        .default(Literal::Number(4.0))
        .show(EXPRESSION_V3),
    Parameter::new("output", "Output Index", ParameterKind::Number)
        .default(Literal::String("={{}}"))
        .show(EXPRESSION_V3)
        .describe("The index to route the item to, starts at 0"),
    Parameter::new(
        "dataType",
        "Data Type",
        ParameterKind::Options(&[
            Choice::new("Boolean", Literal::String("boolean")),
            Choice::new("Date & Time", Literal::String("dateTime")),
            Choice::new("Number", Literal::String("number")),
            Choice::new("String", Literal::String("string")),
        ]),
    )
    .default(Literal::String("number"))
    .show(RULES_LEGACY),
    value1("boolean", ParameterKind::Boolean),
    rules(
        "boolean",
        &[Group {
            name: "rules",
            display_name: "Boolean",
            values: &[
                operation(BOOLEAN_OPERATIONS, "equal"),
                Parameter::new("value2", "Value 2", ParameterKind::Boolean),
                OUTPUT,
                OUTPUT_KEY,
            ],
        }],
    ),
    value1("dateTime", ParameterKind::DateTime),
    rules(
        "dateTime",
        &[Group {
            name: "rules",
            display_name: "Dates",
            values: &[
                operation(DATE_OPERATIONS, "after"),
                Parameter::new("value2", "Value 2", ParameterKind::DateTime)
                    .default(Literal::Number(0.0)),
                OUTPUT,
                OUTPUT_KEY,
            ],
        }],
    ),
    value1("number", ParameterKind::Number),
    rules(
        "number",
        &[Group {
            name: "rules",
            display_name: "Numbers",
            values: &[
                operation(NUMBER_OPERATIONS, "smaller"),
                Parameter::new("value2", "Value 2", ParameterKind::Number),
                OUTPUT,
                OUTPUT_KEY,
            ],
        }],
    ),
    value1("string", ParameterKind::String),
    rules(
        "string",
        &[Group {
            name: "rules",
            display_name: "Strings",
            values: &[
                operation(STRING_OPERATIONS, "equal"),
                Parameter::new("value2", "Value 2", ParameterKind::String),
                OUTPUT,
                OUTPUT_KEY,
            ],
        }],
    ),
    Parameter::new("fallbackOutput", "Fallback Output", ParameterKind::Number)
        .default(Literal::Number(-1.0))
        .show(RULES_LEGACY)
        .describe("The output for items no rule matches: an output index, or -1 for none"),
    Parameter::new(
        "rules",
        "Routing Rules",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "values",
                display_name: "Values",
                values: &[
                    Parameter::new("conditions", "Conditions", ParameterKind::Filter),
                    Parameter::new("renameOutput", "Rename Output", ParameterKind::Boolean),
                    Parameter::new("outputKey", "Output Name", ParameterKind::String).show(RENAMED),
                ],
            }],
        },
    )
    .default(Literal::Object(&[(
        "values",
        Literal::Array(&[Literal::Object(&[(
            "conditions",
            Literal::Object(&[
                (
                    "options",
                    Literal::Object(&[
                        ("caseSensitive", Literal::Bool(true)),
                        ("leftValue", Literal::String("")),
                        ("typeValidation", Literal::String("strict")),
                    ]),
                ),
                (
                    "conditions",
                    Literal::Array(&[Literal::Object(&[
                        ("leftValue", Literal::String("")),
                        ("rightValue", Literal::String("")),
                        (
                            "operator",
                            Literal::Object(&[
                                ("type", Literal::String("string")),
                                ("operation", Literal::String("equals")),
                            ]),
                        ),
                    ])]),
                ),
                ("combinator", Literal::String("and")),
            ]),
        )])]),
    )]))
    .show(RULES_V3),
    loose_type_validation().show(FROM_3_1),
    Parameter::new(
        "options",
        "Options",
        ParameterKind::Collection(&[
            Parameter::new(
                "fallbackOutput",
                "Fallback Output",
                ParameterKind::Options(&[
                    Choice::new("None (default)", Literal::String("none")),
                    Choice::new("Extra Output", Literal::String("extra")),
                ]),
            )
            .describe(
                "The output for items no rule matches: none, an extra output, or an output index",
            ),
            Parameter::new("ignoreCase", "Ignore Case", ParameterKind::Boolean)
                .default(Literal::Bool(true)),
            loose_type_validation().show(BEFORE_3_1),
            Parameter::new(
                "renameFallbackOutput",
                "Rename Fallback Output",
                ParameterKind::String,
            )
            .show(EXTRA),
            Parameter::new(
                "allMatchingOutputs",
                "Send data to all matching outputs",
                ParameterKind::Boolean,
            ),
        ]),
    )
    .show(RULES_V3),
];

/// The Switch node's description.
pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.switch",
    display_name: "Switch",
    description: "Route items depending on defined expression or rules",
    versions: &[1.0, 2.0, 3.0, 3.1, 3.2, 3.3, 3.4],
    versioned: true,
    trigger: false,
    outputs: &["0", "1", "2", "3"],
    parameters: DESCRIPTION_PARAMETERS,
    credentials: &[],
};
