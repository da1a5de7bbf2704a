//! Item Lists' parameters for typeVersions 1 to 3.1, as n8n 2.41.1 declares them: versions 1 and
//! 2.x name the aggregate operation `aggregateItems` and take field lists as fixedCollections
//! (`fields.fieldName`); versions 3 and 3.1 name it `concatenateItems`, take comma-separated
//! text, and add binary options. Where a name is declared twice, `@version` or the operation
//! decides which declaration applies.

use crate::description::is;
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};

use super::super::aggregate::FIELD_TO_AGGREGATE;
use super::super::sort::SORT_FIELD;
use super::super::summarize::AGGREGATIONS;

use crate::description::Show;

const BEFORE_3: &[Condition] = &[Condition::Lt(3.0)];
const FROM_3: &[Condition] = &[Condition::Gte(3.0)];
const AGGREGATE_OPERATIONS: &[Condition] = &[is("aggregateItems"), is("concatenateItems")];

const SPLIT: Show = &[("operation", &[is("splitOutItems")])];
const AGGREGATE: Show = &[("operation", AGGREGATE_OPERATIONS)];
const DEDUPE: Show = &[("operation", &[is("removeDuplicates")])];
const SORT: Show = &[("operation", &[is("sort")])];
const LIMIT: Show = &[("operation", &[is("limit")])];
const SUMMARIZE: Show = &[("operation", &[is("summarize")])];

/// A list of field names as versions before 3 write it: `{ "fields": [{ "fieldName": … }] }`.
const FIELD_NAMES: ParameterKind = ParameterKind::FixedCollection {
    multiple: true,
    groups: &[Group {
        name: "fields",
        display_name: "",
        values: &[
            Parameter::new("fieldName", "Field Name", ParameterKind::String)
                .default(Literal::String("")),
        ],
    }],
};

/// One field-name list: a fixedCollection before typeVersion 3, comma-separated text from 3.
macro_rules! field_names {
    ($name:literal, $label:literal, $old:expr, $new:expr) => {
        [
            Parameter::new($name, $label, FIELD_NAMES)
                .default(Literal::Object(&[]))
                .show($old),
            Parameter::new($name, $label, ParameterKind::String)
                .default(Literal::String(""))
                .show($new),
        ]
    };
}

const OPERATIONS_BEFORE_3: &[Choice] = &[
    Choice::new("Concatenate Items", Literal::String("aggregateItems")),
    Choice::new("Limit", Literal::String("limit")),
    Choice::new("Remove Duplicates", Literal::String("removeDuplicates")),
    Choice::new("Sort", Literal::String("sort")),
    Choice::new("Split Out Items", Literal::String("splitOutItems")),
    Choice::new("Summarize", Literal::String("summarize")),
];
const OPERATIONS_FROM_3: &[Choice] = &[
    Choice::new("Concatenate Items", Literal::String("concatenateItems")),
    Choice::new("Limit", Literal::String("limit")),
    Choice::new("Remove Duplicates", Literal::String("removeDuplicates")),
    Choice::new("Sort", Literal::String("sort")),
    Choice::new("Split Out Items", Literal::String("splitOutItems")),
    Choice::new("Summarize", Literal::String("summarize")),
];

const DISABLE_DOT_NOTATION: Parameter = Parameter::new(
    "disableDotNotation",
    "Disable Dot Notation",
    ParameterKind::Boolean,
)
.default(Literal::Bool(false))
.describe("Whether to disallow referencing child fields using `parent.child` in the field name");

const DESTINATION_FIELD_NAME: Parameter = Parameter::new(
    "destinationFieldName",
    "Destination Field Name",
    ParameterKind::String,
)
.default(Literal::String(""))
.describe("The field in the output under which to put the split field contents");

const MERGE_LISTS: Parameter = Parameter::new("mergeLists", "Merge Lists", ParameterKind::Boolean)
    .default(Literal::Bool(false))
    .describe(
        "Whether to merge the output into a single flat list, if the field to aggregate is a list",
    );

const KEEP_MISSING: Parameter = Parameter::new(
    "keepMissing",
    "Keep Missing And Null Values",
    ParameterKind::Boolean,
)
.default(Literal::Bool(false))
.describe(
    "Whether to add a null entry to the aggregated list when there is a missing or null value",
);

const REMOVE_OTHER_FIELDS: Parameter = Parameter::new(
    "removeOtherFields",
    "Remove Other Fields",
    ParameterKind::Boolean,
)
.default(Literal::Bool(false))
.describe("Whether to remove any fields that are not being compared");

/// The options' `hide` on the top-level `aggregate` (n8n's `/aggregate`).
const NOT_ALL_ITEM_DATA: Show = &[("/aggregate", &[is("aggregateAllItemData")])];

const SORT_CODE_BEFORE_3: &str = "// The two items to compare are in the variables a and b\n// Access the fields in a.json and b.json\n// Return -1 if a should go before b\n// Return 1 if b should go before a\n// Return 0 if there's no difference\n\nfieldName = 'myField';\n\nif (a.json[fieldName] < b.json[fieldName]) {\n\t\treturn -1;\n}\nif (a.json[fieldName] > b.json[fieldName]) {\n\t\treturn 1;\n}\nreturn 0;";
const SORT_CODE_FROM_3: &str = "// The two items to compare are in the variables a and b\n// Access the fields in a.json and b.json\n// Return -1 if a should go before b\n// Return 1 if b should go before a\n// Return 0 if there's no difference\n\nfieldName = 'myField';\n\nif (a.json[fieldName] < b.json[fieldName]) {\nreturn -1;\n}\nif (a.json[fieldName] > b.json[fieldName]) {\nreturn 1;\n}\nreturn 0;";

const CONCATENATE: Condition = Condition::Is(Literal::String("concatenate"));

/// One `fieldsToSummarize.values` entry: Item Lists shows `includeEmpty` for append and
/// concatenate only.
const FIELD_TO_SUMMARIZE: &[Parameter] = &[
    Parameter::new(
        "aggregation",
        "Aggregation",
        ParameterKind::Options(AGGREGATIONS),
    )
    .default(Literal::String("count")),
    Parameter::new("field", "Field", ParameterKind::String).default(Literal::String("")),
    Parameter::new(
        "includeEmpty",
        "Include Empty Values",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(false))
    .show(&[("aggregation", &[is("append"), CONCATENATE])]),
    Parameter::new(
        "separateBy",
        "Separator",
        ParameterKind::Options(&[
            Choice::new("Comma", Literal::String(",")),
            Choice::new("Comma and Space", Literal::String(", ")),
            Choice::new("New Line", Literal::String("\n")),
            Choice::new("None", Literal::String("")),
            Choice::new("Space", Literal::String(" ")),
            Choice::new("Other", Literal::String("other")),
        ]),
    )
    .default(Literal::String(","))
    .show(&[("aggregation", &[CONCATENATE])]),
    Parameter::new("customSeparator", "Custom Separator", ParameterKind::String)
        .default(Literal::String(""))
        .show(&[
            ("aggregation", &[CONCATENATE]),
            ("separateBy", &[is("other")]),
        ]),
];

const SPLIT_FIELDS_TO_INCLUDE: [Parameter; 2] = field_names!(
    "fieldsToInclude",
    "Fields To Include",
    &[
        ("operation", &[is("splitOutItems")]),
        ("include", &[is("selectedOtherFields")]),
        (VERSION_KEY, BEFORE_3)
    ],
    &[
        ("operation", &[is("splitOutItems")]),
        ("include", &[is("selectedOtherFields")]),
        (VERSION_KEY, FROM_3)
    ]
);
const AGGREGATE_FIELDS_TO_EXCLUDE: [Parameter; 2] = field_names!(
    "fieldsToExclude",
    "Fields To Exclude",
    &[
        ("operation", AGGREGATE_OPERATIONS),
        ("aggregate", &[is("aggregateAllItemData")]),
        ("include", &[is("allFieldsExcept")]),
        (VERSION_KEY, BEFORE_3)
    ],
    &[
        ("operation", AGGREGATE_OPERATIONS),
        ("aggregate", &[is("aggregateAllItemData")]),
        ("include", &[is("allFieldsExcept")]),
        (VERSION_KEY, FROM_3)
    ]
);
const AGGREGATE_FIELDS_TO_INCLUDE: [Parameter; 2] = field_names!(
    "fieldsToInclude",
    "Fields To Include",
    &[
        ("operation", AGGREGATE_OPERATIONS),
        ("aggregate", &[is("aggregateAllItemData")]),
        ("include", &[is("specifiedFields")]),
        (VERSION_KEY, BEFORE_3)
    ],
    &[
        ("operation", AGGREGATE_OPERATIONS),
        ("aggregate", &[is("aggregateAllItemData")]),
        ("include", &[is("specifiedFields")]),
        (VERSION_KEY, FROM_3)
    ]
);
const DEDUPE_FIELDS_TO_EXCLUDE: [Parameter; 2] = field_names!(
    "fieldsToExclude",
    "Fields To Exclude",
    &[
        ("operation", &[is("removeDuplicates")]),
        ("compare", &[is("allFieldsExcept")]),
        (VERSION_KEY, BEFORE_3)
    ],
    &[
        ("operation", &[is("removeDuplicates")]),
        ("compare", &[is("allFieldsExcept")]),
        (VERSION_KEY, FROM_3)
    ]
);
const DEDUPE_FIELDS_TO_COMPARE: [Parameter; 2] = field_names!(
    "fieldsToCompare",
    "Fields To Compare",
    &[
        ("operation", &[is("removeDuplicates")]),
        ("compare", &[is("selectedFields")]),
        (VERSION_KEY, BEFORE_3)
    ],
    &[
        ("operation", &[is("removeDuplicates")]),
        ("compare", &[is("selectedFields")]),
        (VERSION_KEY, FROM_3)
    ]
);

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.itemLists",
    display_name: "Item Lists",
    description: "Helper for working with lists of items and transforming arrays",
    versions: &[1.0, 2.0, 2.1, 2.2, 3.0, 3.1],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "resource",
            "Resource",
            ParameterKind::Options(&[Choice::new("Item List", Literal::String("itemList"))]),
        )
        .default(Literal::String("itemList")),
        Parameter::new("operation", "Operation", ParameterKind::Options(OPERATIONS_BEFORE_3))
            .default(Literal::String("splitOutItems"))
            .no_data_expression()
            .show(&[(VERSION_KEY, BEFORE_3)]),
        Parameter::new("operation", "Operation", ParameterKind::Options(OPERATIONS_FROM_3))
            .default(Literal::String("splitOutItems"))
            .no_data_expression()
            .show(&[(VERSION_KEY, FROM_3)]),
        // Split Out Items
        Parameter::new("fieldToSplitOut", "Fields To Split Out", ParameterKind::String)
            .default(Literal::String(""))
            .required()
            .show(SPLIT)
            .describe("The input field to break out into separate items (from typeVersion 2, several separated by commas)"),
        Parameter::new(
            "include",
            "Include",
            ParameterKind::Options(&[
                Choice::new("No Other Fields", Literal::String("noOtherFields")),
                Choice::new("All Other Fields", Literal::String("allOtherFields")),
                Choice::new("Selected Other Fields", Literal::String("selectedOtherFields")),
            ]),
        )
        .default(Literal::String("noOtherFields"))
        .show(SPLIT)
        .describe("Whether to copy any other fields into the new items"),
        SPLIT_FIELDS_TO_INCLUDE[0],
        SPLIT_FIELDS_TO_INCLUDE[1],
        // Concatenate Items
        Parameter::new(
            "aggregate",
            "Aggregate",
            ParameterKind::Options(&[
                Choice::new("Individual Fields", Literal::String("aggregateIndividualFields")),
                Choice::new(
                    "All Item Data (Into a Single List)",
                    Literal::String("aggregateAllItemData"),
                ),
            ]),
        )
        .default(Literal::String("aggregateIndividualFields"))
        .show(AGGREGATE),
        Parameter::new(
            "fieldsToAggregate",
            "Fields To Aggregate",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "fieldToAggregate",
                    display_name: "",
                    values: FIELD_TO_AGGREGATE,
                }],
            },
        )
        .default(Literal::Object(&[(
            "fieldToAggregate",
            Literal::Array(&[Literal::Object(&[
                ("fieldToAggregate", Literal::String("")),
                ("renameField", Literal::Bool(false)),
            ])]),
        )]))
        .show(&[
            ("operation", AGGREGATE_OPERATIONS),
            ("aggregate", &[is("aggregateIndividualFields")]),
        ]),
        Parameter::new("destinationFieldName", "Put Output in Field", ParameterKind::String)
            .default(Literal::String("data"))
            .show(&[
                ("operation", AGGREGATE_OPERATIONS),
                ("aggregate", &[is("aggregateAllItemData")]),
            ])
            .describe("The name of the output field to put the data in"),
        Parameter::new(
            "include",
            "Include",
            ParameterKind::Options(&[
                Choice::new("All Fields", Literal::String("allFields")),
                Choice::new("Specified Fields", Literal::String("specifiedFields")),
                Choice::new("All Fields Except", Literal::String("allFieldsExcept")),
            ]),
        )
        .default(Literal::String("allFields"))
        .show(&[
            ("operation", AGGREGATE_OPERATIONS),
            ("aggregate", &[is("aggregateAllItemData")]),
        ]),
        AGGREGATE_FIELDS_TO_EXCLUDE[0],
        AGGREGATE_FIELDS_TO_EXCLUDE[1],
        AGGREGATE_FIELDS_TO_INCLUDE[0],
        AGGREGATE_FIELDS_TO_INCLUDE[1],
        // Remove Duplicates
        Parameter::new(
            "compare",
            "Compare",
            ParameterKind::Options(&[
                Choice::new("All Fields", Literal::String("allFields")),
                Choice::new("All Fields Except", Literal::String("allFieldsExcept")),
                Choice::new("Selected Fields", Literal::String("selectedFields")),
            ]),
        )
        .default(Literal::String("allFields"))
        .show(DEDUPE)
        .describe("The fields of the input items to compare to see if they are the same"),
        DEDUPE_FIELDS_TO_EXCLUDE[0],
        DEDUPE_FIELDS_TO_EXCLUDE[1],
        DEDUPE_FIELDS_TO_COMPARE[0],
        DEDUPE_FIELDS_TO_COMPARE[1],
        // Sort
        Parameter::new(
            "type",
            "Type",
            ParameterKind::Options(&[
                Choice::new("Simple", Literal::String("simple")),
                Choice::new("Random", Literal::String("random")),
                Choice::new("Code", Literal::String("code")),
            ]),
        )
        .default(Literal::String("simple"))
        .show(SORT),
        Parameter::new(
            "sortFieldsUi",
            "Fields To Sort By",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "sortField",
                    display_name: "",
                    values: SORT_FIELD,
                }],
            },
        )
        .default(Literal::Object(&[]))
        .show(&[("operation", &[is("sort")]), ("type", &[is("simple")])]),
        Parameter::new("code", "Code", ParameterKind::String)
            .default(Literal::String(SORT_CODE_BEFORE_3))
            .show(&[
                ("operation", &[is("sort")]),
                ("type", &[is("code")]),
                (VERSION_KEY, BEFORE_3),
            ])
            .describe("Javascript code to determine the order of any two items"),
        Parameter::new("code", "Code", ParameterKind::String)
            .default(Literal::String(SORT_CODE_FROM_3))
            .show(&[
                ("operation", &[is("sort")]),
                ("type", &[is("code")]),
                (VERSION_KEY, FROM_3),
            ])
            .describe("Javascript code to determine the order of any two items"),
        // Limit
        Parameter::new("maxItems", "Max Items", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .show(LIMIT)
            .describe("If there are more items than this number, some are removed"),
        Parameter::new(
            "keep",
            "Keep",
            ParameterKind::Options(&[
                Choice::new("First Items", Literal::String("firstItems")),
                Choice::new("Last Items", Literal::String("lastItems")),
            ]),
        )
        .default(Literal::String("firstItems"))
        .show(LIMIT),
        // Summarize
        Parameter::new(
            "fieldsToSummarize",
            "Fields to Summarize",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "",
                    values: FIELD_TO_SUMMARIZE,
                }],
            },
        )
        .default(Literal::Object(&[(
            "values",
            Literal::Array(&[Literal::Object(&[
                ("aggregation", Literal::String("count")),
                ("field", Literal::String("")),
            ])]),
        )]))
        .show(SUMMARIZE),
        Parameter::new("fieldsToSplitBy", "Fields to Split By", ParameterKind::String)
            .default(Literal::String(""))
            .show(SUMMARIZE)
            .describe("Comma-separated names of the fields to split the summary by"),
        // Options, one collection per operation and era
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                DISABLE_DOT_NOTATION,
                DESTINATION_FIELD_NAME.show(&[("/operation", &[is("splitOutItems")])]),
                MERGE_LISTS.show(&[("/operation", &[is("aggregateItems")])]),
                KEEP_MISSING.show(&[("/operation", &[is("aggregateItems")])]),
            ]),
        )
        .default(Literal::Object(&[]))
        .show(&[
            ("operation", &[is("splitOutItems"), is("aggregateItems")]),
            (VERSION_KEY, BEFORE_3),
        ])
        .hide(&[("aggregate", &[is("aggregateAllItemData")])]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                DISABLE_DOT_NOTATION,
                DESTINATION_FIELD_NAME,
                Parameter::new("includeBinary", "Include Binary", ParameterKind::Boolean)
                    .default(Literal::Bool(false))
                    .describe("Whether to include the binary data in the new items"),
            ]),
        )
        .default(Literal::Object(&[]))
        .show(&[("operation", &[is("splitOutItems")]), (VERSION_KEY, FROM_3)]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                DISABLE_DOT_NOTATION.hide(NOT_ALL_ITEM_DATA),
                MERGE_LISTS.hide(NOT_ALL_ITEM_DATA),
                Parameter::new("includeBinaries", "Include Binaries", ParameterKind::Boolean)
                    .default(Literal::Bool(false))
                    .describe("Whether to include the binary data in the new item"),
                Parameter::new(
                    "keepOnlyUnique",
                    "Keep Only Unique Binaries",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(false))
                .show(&[("includeBinaries", &[Condition::Is(Literal::Bool(true))])]),
                KEEP_MISSING.hide(NOT_ALL_ITEM_DATA),
            ]),
        )
        .default(Literal::Object(&[]))
        .show(&[("operation", &[is("concatenateItems")]), (VERSION_KEY, FROM_3)]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[REMOVE_OTHER_FIELDS, DISABLE_DOT_NOTATION]),
        )
        .default(Literal::Object(&[]))
        .show(&[
            ("operation", &[is("removeDuplicates")]),
            ("compare", &[is("allFieldsExcept"), is("selectedFields")]),
        ]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[DISABLE_DOT_NOTATION]),
        )
        .default(Literal::Object(&[]))
        .show(&[("operation", &[is("sort")]), ("type", &[is("simple")])]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                DISABLE_DOT_NOTATION,
                Parameter::new(
                    "outputFormat",
                    "Output Format",
                    ParameterKind::Options(&[
                        Choice::new(
                            "Each Split in a Separate Item",
                            Literal::String("separateItems"),
                        ),
                        Choice::new("All Splits in a Single Item", Literal::String("singleItem")),
                    ]),
                )
                .default(Literal::String("separateItems")),
                Parameter::new(
                    "skipEmptySplitFields",
                    "Ignore items without valid fields to group by",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(false)),
            ]),
        )
        .default(Literal::Object(&[]))
        .show(SUMMARIZE),
    ],
    credentials: &[],
};
