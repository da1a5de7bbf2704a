//! The Merge node's parameters for typeVersions 1, 2, 2.1, 3, 3.1 and 3.2, with n8n's names,
//! choices and defaults; each family's parameters show only for its versions (`@version`).

use crate::description::is;
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};

type Shows = &'static [(&'static str, &'static [Condition])];

const V1: Condition = Condition::Lt(2.0);
const FROM_V2: Condition = Condition::Gte(2.0);
const BEFORE_V3: Condition = Condition::Lt(3.0);
const FROM_V3: Condition = Condition::Gte(3.0);

const fn choice(name: &'static str, value: &'static str) -> Choice {
    Choice::new(name, Literal::String(value))
}

const fn text(value: &'static str) -> Literal {
    Literal::String(value)
}

const FIELD_PAIR: &[Parameter] = &[
    Parameter::new("field1", "Input 1 Field", ParameterKind::String),
    Parameter::new("field2", "Input 2 Field", ParameterKind::String),
];

const ONE_EMPTY_PAIR: Literal = Literal::Object(&[(
    "values",
    Literal::Array(&[Literal::Object(&[
        ("field1", Literal::String("")),
        ("field2", Literal::String("")),
    ])]),
)]);

/// `mergeByFields`: a list of field pairs, one empty pair by default.
const fn field_pairs(show: Shows) -> Parameter {
    Parameter::new(
        "mergeByFields",
        "Fields to Match",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "values",
                display_name: "Values",
                values: FIELD_PAIR,
            }],
        },
    )
    .default(ONE_EMPTY_PAIR)
    .show(show)
}

const JOIN_MODES: &[Choice] = &[
    choice("Keep Matches", "keepMatches"),
    choice("Keep Non-Matches", "keepNonMatches"),
    choice("Keep Everything", "keepEverything"),
    choice("Enrich Input 1", "enrichInput1"),
    choice("Enrich Input 2", "enrichInput2"),
];

const OUTPUT_FROM: &[Choice] = &[
    choice("Both Inputs", "both"),
    choice("Input 1", "input1"),
    choice("Input 2", "input2"),
];

const CLASH_VALUES: &[Parameter] = &[
    Parameter::new(
        "resolveClash",
        "When Field Values Clash",
        ParameterKind::Options(&[
            choice("Always Add Input Number to Field Names", "addSuffix"),
            choice("Prefer Input 1 Version", "preferInput1"),
            choice("Prefer Input 2 Version (v2)", "preferInput2"),
            choice("Prefer Last Input Version (v3)", "preferLast"),
        ]),
    ),
    Parameter::new(
        "mergeMode",
        "Merging Nested Fields",
        ParameterKind::Options(&[
            choice("Deep Merge", "deepMerge"),
            choice("Shallow Merge", "shallowMerge"),
        ]),
    ),
    Parameter::new(
        "overrideEmpty",
        "Minimize Empty Fields",
        ParameterKind::Boolean,
    ),
];

const MULTIPLE_MATCHES: &[Choice] = &[
    choice("Include All Matches", "all"),
    choice("Include First Match Only", "first"),
];

/// Every option of the combine modes (n8n reads the collection as written).
const OPTIONS: &[Parameter] = &[
    Parameter::new(
        "clashHandling",
        "Clash Handling",
        ParameterKind::FixedCollection {
            multiple: false,
            groups: &[Group {
                name: "values",
                display_name: "Values",
                values: CLASH_VALUES,
            }],
        },
    ),
    Parameter::new(
        "disableDotNotation",
        "Disable Dot Notation",
        ParameterKind::Boolean,
    ),
    Parameter::new("fuzzyCompare", "Fuzzy Compare", ParameterKind::Boolean),
    Parameter::new(
        "includeUnpaired",
        "Include Any Unpaired Items",
        ParameterKind::Boolean,
    ),
    Parameter::new(
        "multipleMatches",
        "Multiple Matches",
        ParameterKind::Options(MULTIPLE_MATCHES),
    ),
];

const NUMBER_INPUTS: ParameterKind = ParameterKind::Options(&[
    Choice::new("2", Literal::Number(2.0)),
    Choice::new("3", Literal::Number(3.0)),
    Choice::new("4", Literal::Number(4.0)),
    Choice::new("5", Literal::Number(5.0)),
    Choice::new("6", Literal::Number(6.0)),
    Choice::new("7", Literal::Number(7.0)),
    Choice::new("8", Literal::Number(8.0)),
    Choice::new("9", Literal::Number(9.0)),
    Choice::new("10", Literal::Number(10.0)),
]);

const V2_BY_FIELDS: Shows = &[
    (VERSION_KEY, &[FROM_V2]),
    (VERSION_KEY, &[BEFORE_V3]),
    ("mode", &[is("combine")]),
    ("combinationMode", &[is("mergeByFields")]),
];

const V3_BY_FIELDS: Shows = &[
    (VERSION_KEY, &[FROM_V3]),
    ("mode", &[is("combine")]),
    ("combineBy", &[is("combineByFields")]),
];

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.merge",
    display_name: "Merge",
    description: "Merges data of multiple streams once data from both is available",
    versions: &[1.0, 2.0, 2.1, 3.0, 3.1, 3.2],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        // typeVersion 1 ----------------------------------------------------------------------
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                choice("Append", "append"),
                choice("Keep Key Matches", "keepKeyMatches"),
                choice("Merge By Index", "mergeByIndex"),
                choice("Merge By Key", "mergeByKey"),
                choice("Multiplex", "multiplex"),
                choice("Pass-Through", "passThrough"),
                choice("Remove Key Matches", "removeKeyMatches"),
                choice("Wait", "wait"),
            ]),
        )
        .default(text("append"))
        .show(&[(VERSION_KEY, &[V1])]),
        Parameter::new(
            "join",
            "Join",
            ParameterKind::Options(&[
                choice("Inner Join", "inner"),
                choice("Left Join", "left"),
                choice("Outer Join", "outer"),
            ]),
        )
        .default(text("left"))
        .show(&[(VERSION_KEY, &[V1]), ("mode", &[is("mergeByIndex")])]),
        Parameter::new("propertyName1", "Property Input 1", ParameterKind::String)
            .required()
            .show(&[
                (VERSION_KEY, &[V1]),
                (
                    "mode",
                    &[
                        is("keepKeyMatches"),
                        is("mergeByKey"),
                        is("removeKeyMatches"),
                    ],
                ),
            ])
            .describe("The field of input 1 items whose value is the key"),
        Parameter::new("propertyName2", "Property Input 2", ParameterKind::String)
            .required()
            .show(&[
                (VERSION_KEY, &[V1]),
                (
                    "mode",
                    &[
                        is("keepKeyMatches"),
                        is("mergeByKey"),
                        is("removeKeyMatches"),
                    ],
                ),
            ])
            .describe("The field of input 2 items whose value is the key"),
        Parameter::new(
            "output",
            "Output Data",
            ParameterKind::Options(&[choice("Input 1", "input1"), choice("Input 2", "input2")]),
        )
        .default(text("input1"))
        .show(&[(VERSION_KEY, &[V1]), ("mode", &[is("passThrough")])]),
        Parameter::new(
            "overwrite",
            "Overwrite",
            ParameterKind::Options(&[
                choice("Always", "always"),
                choice("If Blank", "blank"),
                choice("If Missing", "undefined"),
            ]),
        )
        .default(text("always"))
        .show(&[(VERSION_KEY, &[V1]), ("mode", &[is("mergeByKey")])]),
        // typeVersion 2 and 2.1 --------------------------------------------------------------
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                choice("Append", "append"),
                choice("Combine", "combine"),
                choice("Choose Branch", "chooseBranch"),
            ]),
        )
        .default(text("append"))
        .show(&[(VERSION_KEY, &[FROM_V2]), (VERSION_KEY, &[BEFORE_V3])]),
        Parameter::new(
            "combinationMode",
            "Combination Mode",
            ParameterKind::Options(&[
                choice("Merge By Fields", "mergeByFields"),
                choice("Merge By Position", "mergeByPosition"),
                choice("Multiplex", "multiplex"),
            ]),
        )
        .default(text("mergeByFields"))
        .show(&[
            (VERSION_KEY, &[FROM_V2]),
            (VERSION_KEY, &[BEFORE_V3]),
            ("mode", &[is("combine")]),
        ]),
        field_pairs(V2_BY_FIELDS),
        Parameter::new(
            "joinMode",
            "Output Type",
            ParameterKind::Options(JOIN_MODES),
        )
        .default(text("keepMatches"))
        .show(V2_BY_FIELDS),
        Parameter::new(
            "outputDataFrom",
            "Output Data From",
            ParameterKind::Options(OUTPUT_FROM),
        )
        .default(text("both"))
        .show(&[
            (VERSION_KEY, &[FROM_V2]),
            (VERSION_KEY, &[BEFORE_V3]),
            ("mode", &[is("combine")]),
            ("combinationMode", &[is("mergeByFields")]),
            ("joinMode", &[is("keepMatches"), is("keepNonMatches")]),
        ]),
        Parameter::new(
            "chooseBranchMode",
            "Output Type",
            ParameterKind::Options(&[choice("Wait for Both Inputs to Arrive", "waitForBoth")]),
        )
        .default(text("waitForBoth"))
        .show(&[
            (VERSION_KEY, &[FROM_V2]),
            (VERSION_KEY, &[BEFORE_V3]),
            ("mode", &[is("chooseBranch")]),
        ]),
        Parameter::new(
            "output",
            "Output",
            ParameterKind::Options(&[
                choice("Input 1 Data", "input1"),
                choice("Input 2 Data", "input2"),
                choice("A Single, Empty Item", "empty"),
            ]),
        )
        .default(text("input1"))
        .show(&[
            (VERSION_KEY, &[FROM_V2]),
            (VERSION_KEY, &[BEFORE_V3]),
            ("mode", &[is("chooseBranch")]),
            ("chooseBranchMode", &[is("waitForBoth")]),
        ]),
        // typeVersion 3, 3.1 and 3.2 ---------------------------------------------------------
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                choice("Append", "append"),
                choice("Combine", "combine"),
                choice("SQL Query (not supported by weft)", "combineBySql"),
                choice("Choose Branch", "chooseBranch"),
            ]),
        )
        .default(text("append"))
        .no_data_expression()
        .show(&[(VERSION_KEY, &[FROM_V3])]),
        Parameter::new(
            "combineBy",
            "Combine By",
            ParameterKind::Options(&[
                choice("Matching Fields", "combineByFields"),
                choice("Position", "combineByPosition"),
                choice("All Possible Combinations", "combineAll"),
            ]),
        )
        .default(text("combineByFields"))
        .no_data_expression()
        .show(&[(VERSION_KEY, &[FROM_V3]), ("mode", &[is("combine")])]),
        Parameter::new("numberInputs", "Number of Inputs", NUMBER_INPUTS)
            .default(Literal::Number(2.0))
            .no_data_expression()
            .show(&[
                (VERSION_KEY, &[FROM_V3]),
                (
                    "mode",
                    &[is("append"), is("chooseBranch"), is("combineBySql")],
                ),
            ]),
        Parameter::new("numberInputs", "Number of Inputs", NUMBER_INPUTS)
            .default(Literal::Number(2.0))
            .no_data_expression()
            .show(&[
                (VERSION_KEY, &[FROM_V3]),
                ("mode", &[is("combine")]),
                ("combineBy", &[is("combineByPosition")]),
            ]),
        Parameter::new(
            "joinMode",
            "Output Type",
            ParameterKind::Options(JOIN_MODES),
        )
        .default(text("keepMatches"))
        .show(V3_BY_FIELDS),
        Parameter::new(
            "advanced",
            "Match Fields with Different Names",
            ParameterKind::Boolean,
        )
        .show(V3_BY_FIELDS),
        Parameter::new(
            "fieldsToMatchString",
            "Fields to Match",
            ParameterKind::String,
        )
        .show(&[
            (VERSION_KEY, &[FROM_V3]),
            ("mode", &[is("combine")]),
            ("combineBy", &[is("combineByFields")]),
            ("advanced", &[Condition::Is(Literal::Bool(false))]),
        ])
        .describe("The fields to match on, separated by commas"),
        field_pairs(&[
            (VERSION_KEY, &[FROM_V3]),
            ("mode", &[is("combine")]),
            ("combineBy", &[is("combineByFields")]),
            ("advanced", &[Condition::Is(Literal::Bool(true))]),
        ]),
        Parameter::new(
            "outputDataFrom",
            "Output Data From",
            ParameterKind::Options(OUTPUT_FROM),
        )
        .default(text("both"))
        .show(&[
            (VERSION_KEY, &[FROM_V3]),
            ("mode", &[is("combine")]),
            ("combineBy", &[is("combineByFields")]),
            ("joinMode", &[is("keepMatches"), is("keepNonMatches")]),
        ]),
        Parameter::new(
            "chooseBranchMode",
            "Output Type",
            ParameterKind::Options(&[choice("Wait for All Inputs to Arrive", "waitForAll")]),
        )
        .default(text("waitForAll"))
        .show(&[(VERSION_KEY, &[FROM_V3]), ("mode", &[is("chooseBranch")])]),
        Parameter::new(
            "output",
            "Output",
            ParameterKind::Options(&[
                choice("Data of Specified Input", "specifiedInput"),
                choice("A Single, Empty Item", "empty"),
            ]),
        )
        .default(text("specifiedInput"))
        .show(&[
            (VERSION_KEY, &[FROM_V3]),
            ("mode", &[is("chooseBranch")]),
            ("chooseBranchMode", &[is("waitForAll")]),
        ]),
        Parameter::new("useDataOfInput", "Use Data of Input", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .show(&[
                (VERSION_KEY, &[FROM_V3]),
                ("mode", &[is("chooseBranch")]),
                ("output", &[is("specifiedInput")]),
            ])
            .describe("The number of the input whose items are output"),
        Parameter::new("query", "Query", ParameterKind::String)
            .show(&[(VERSION_KEY, &[FROM_V3]), ("mode", &[is("combineBySql")])])
            .describe("n8n's SQL query over input1, input2, …; weft refuses this mode"),
        // Options of every combine mode (v2 and v3) ------------------------------------------
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS))
            .show(&[(VERSION_KEY, &[FROM_V2])])
            .hide(&[("mode", &[is("append"), is("chooseBranch")])]),
    ],
    credentials: &[],
};
