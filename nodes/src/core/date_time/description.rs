//! The Date & Time node's parameters for typeVersions 1 and 2, declared in n8n's order with
//! n8n's defaults (each operation's own `outputFieldName` default and `options`).

use crate::description::is;
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};

const V1: &[Condition] = &[Condition::Lt(2.0)];
const V2: &[Condition] = &[Condition::Gte(2.0)];

const UNITS: &[Choice] = &[
    Choice::new("Years", Literal::String("years")),
    Choice::new("Quarters", Literal::String("quarters")),
    Choice::new("Months", Literal::String("months")),
    Choice::new("Weeks", Literal::String("weeks")),
    Choice::new("Days", Literal::String("days")),
    Choice::new("Hours", Literal::String("hours")),
    Choice::new("Minutes", Literal::String("minutes")),
    Choice::new("Seconds", Literal::String("seconds")),
    Choice::new("Milliseconds", Literal::String("milliseconds")),
];

const PARTS: &[Choice] = &[
    Choice::new("Year", Literal::String("year")),
    Choice::new("Month", Literal::String("month")),
    Choice::new("Week", Literal::String("week")),
    Choice::new("Day", Literal::String("day")),
    Choice::new("Hour", Literal::String("hour")),
    Choice::new("Minute", Literal::String("minute")),
    Choice::new("Second", Literal::String("second")),
];

const INCLUDE_INPUT_FIELDS: Parameter = Parameter::new(
    "includeInputFields",
    "Include Input Fields",
    ParameterKind::Boolean,
)
.describe("Whether to include all fields of the input item in the output item");

/// A v2 parameter shown for `operations`.
macro_rules! v2 {
    ($parameter:expr, [$($operation:literal),+]) => {
        $parameter.show(&[(VERSION_KEY, V2), ("operation", &[$(is($operation)),+])])
    };
}

/// A v1 parameter shown for `action`.
macro_rules! v1 {
    ($parameter:expr, $action:literal) => {
        $parameter.show(&[(VERSION_KEY, V1), ("action", &[is($action)])])
    };
}

const fn output_field(default: &'static str) -> Parameter {
    Parameter::new(
        "outputFieldName",
        "Output Field Name",
        ParameterKind::String,
    )
    .default(Literal::String(default))
    .describe("Name of the field to put the output in")
}

const fn date(description: &'static str) -> Parameter {
    Parameter::new("date", "Date", ParameterKind::String).describe(description)
}

const V2_PARAMETERS: &[Parameter] = &[
    Parameter::new(
        "operation",
        "Operation",
        ParameterKind::Options(&[
            Choice::new("Add to a Date", Literal::String("addToDate")),
            Choice::new("Extract Part of a Date", Literal::String("extractDate")),
            Choice::new("Format a Date", Literal::String("formatDate")),
            Choice::new("Get Current Date", Literal::String("getCurrentDate")),
            Choice::new(
                "Get Time Between Dates",
                Literal::String("getTimeBetweenDates"),
            ),
            Choice::new("Round a Date", Literal::String("roundDate")),
            Choice::new("Subtract From a Date", Literal::String("subtractFromDate")),
        ]),
    )
    .default(Literal::String("getCurrentDate"))
    .no_data_expression()
    .show(&[(VERSION_KEY, V2)]),
    v2!(
        Parameter::new("notice", "Notice", ParameterKind::String)
            .describe("n8n's hint about expressions; weft does not read it"),
        [
            "getCurrentDate",
            "addToDate",
            "subtractFromDate",
            "formatDate",
            "roundDate",
            "extractDate"
        ]
    ),
    v2!(
        Parameter::new(
            "includeTime",
            "Include Current Time",
            ParameterKind::Boolean
        )
        .default(Literal::Bool(true))
        .describe("When deactivated, the time will be set to midnight"),
        ["getCurrentDate"]
    ),
    v2!(output_field("currentDate"), ["getCurrentDate"]),
    v2!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                INCLUDE_INPUT_FIELDS,
                Parameter::new("timezone", "Timezone", ParameterKind::String)
                    .describe("The time zone to use; the workflow's when not set"),
            ])
        ),
        ["getCurrentDate"]
    ),
    v2!(
        Parameter::new("magnitude", "Date to Add To", ParameterKind::String)
            .required()
            .describe("The date that you want to change"),
        ["addToDate", "subtractFromDate"]
    ),
    Parameter::new("timeUnit", "Time Unit", ParameterKind::Options(UNITS))
        .default(Literal::String("days"))
        .required()
        .describe("Time unit for Duration parameter below")
        .show(&[(VERSION_KEY, V2)]),
    v2!(
        Parameter::new("duration", "Duration", ParameterKind::Number)
            .describe("The number of time units to add to or subtract from the date"),
        ["addToDate", "subtractFromDate"]
    ),
    v2!(output_field("newDate"), ["addToDate", "subtractFromDate"]),
    v2!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[INCLUDE_INPUT_FIELDS])
        ),
        ["addToDate", "subtractFromDate", "roundDate", "extractDate"]
    ),
    v2!(
        date("The date that you want to format"),
        ["formatDate", "roundDate", "extractDate"]
    ),
    v2!(
        Parameter::new(
            "format",
            "Format",
            ParameterKind::Options(&[
                Choice::new("Custom Format", Literal::String("custom")),
                Choice::new("MM/DD/YYYY", Literal::String("MM/dd/yyyy")),
                Choice::new("YYYY/MM/DD", Literal::String("yyyy/MM/dd")),
                Choice::new("MMMM DD YYYY", Literal::String("MMMM dd yyyy")),
                Choice::new("MM-DD-YYYY", Literal::String("MM-dd-yyyy")),
                Choice::new("YYYY-MM-DD", Literal::String("yyyy-MM-dd")),
                Choice::new("Unix Timestamp", Literal::String("X")),
                Choice::new("Unix Ms Timestamp", Literal::String("x")),
            ])
        )
        .default(Literal::String("MM/dd/yyyy"))
        .describe("The format to convert the date to"),
        ["formatDate"]
    ),
    Parameter::new("customFormat", "Custom Format", ParameterKind::String)
        .describe("Luxon format tokens, e.g. yyyy-MM-dd")
        .show(&[
            (VERSION_KEY, V2),
            ("format", &[is("custom")]),
            ("operation", &[is("formatDate")]),
        ]),
    v2!(output_field("formattedDate"), ["formatDate"]),
    v2!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                INCLUDE_INPUT_FIELDS,
                Parameter::new("fromFormat", "From Date Format", ParameterKind::String)
                    .default(Literal::String("e.g yyyyMMdd"))
                    .describe("The Luxon format the input date is in"),
                Parameter::new("timezone", "Use Workflow Timezone", ParameterKind::Boolean)
                    .describe("Whether to use the workflow's time zone instead of the input's"),
            ])
        ),
        ["formatDate"]
    ),
    v2!(
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("Round Down", Literal::String("roundDown")),
                Choice::new("Round Up", Literal::String("roundUp")),
            ])
        ),
        ["roundDate"]
    ),
    Parameter::new("toNearest", "To Nearest", ParameterKind::Options(PARTS))
        .default(Literal::String("month"))
        .show(&[
            (VERSION_KEY, V2),
            ("operation", &[is("roundDate")]),
            ("mode", &[is("roundDown")]),
        ]),
    Parameter::new(
        "to",
        "To",
        ParameterKind::Options(&[Choice::new("End of Month", Literal::String("month"))]),
    )
    .show(&[
        (VERSION_KEY, V2),
        ("operation", &[is("roundDate")]),
        ("mode", &[is("roundUp")]),
    ]),
    v2!(output_field("roundedDate"), ["roundDate"]),
    v2!(
        Parameter::new("startDate", "Start Date", ParameterKind::String),
        ["getTimeBetweenDates"]
    ),
    v2!(
        Parameter::new("endDate", "End Date", ParameterKind::String),
        ["getTimeBetweenDates"]
    ),
    v2!(
        Parameter::new(
            "units",
            "Units",
            ParameterKind::MultiOptions(&[
                Choice::new("Year", Literal::String("year")),
                Choice::new("Month", Literal::String("month")),
                Choice::new("Week", Literal::String("week")),
                Choice::new("Day", Literal::String("day")),
                Choice::new("Hour", Literal::String("hour")),
                Choice::new("Minute", Literal::String("minute")),
                Choice::new("Second", Literal::String("second")),
                Choice::new("Millisecond", Literal::String("millisecond")),
            ])
        )
        .default(Literal::Array(&[Literal::String("day")])),
        ["getTimeBetweenDates"]
    ),
    v2!(output_field("timeDifference"), ["getTimeBetweenDates"]),
    v2!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                INCLUDE_INPUT_FIELDS,
                Parameter::new("isoString", "Output as ISO String", ParameterKind::Boolean)
                    .describe("Whether to output the duration as an ISO 8601 string"),
            ])
        ),
        ["getTimeBetweenDates"]
    ),
    v2!(
        Parameter::new("part", "Part", ParameterKind::Options(PARTS))
            .default(Literal::String("month")),
        ["extractDate"]
    ),
    v2!(output_field("datePart"), ["extractDate"]),
];

const TIMEZONE_OPTION_DEFAULT: Literal = Literal::String("UTC");

const V1_PARAMETERS: &[Parameter] = &[
    Parameter::new("noticeDateTime", "Notice", ParameterKind::String)
        .describe("n8n's hint about expressions; weft does not read it")
        .show(&[(VERSION_KEY, V1)]),
    Parameter::new(
        "action",
        "Action",
        ParameterKind::Options(&[
            Choice::new("Calculate a Date", Literal::String("calculate")),
            Choice::new("Format a Date", Literal::String("format")),
        ]),
    )
    .default(Literal::String("format"))
    .show(&[(VERSION_KEY, V1)]),
    v1!(
        Parameter::new("value", "Value", ParameterKind::String)
            .required()
            .describe("The value that should be converted"),
        "format"
    ),
    v1!(
        Parameter::new("dataPropertyName", "Property Name", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .describe("Name of the property to which to write the converted date"),
        "format"
    ),
    v1!(
        Parameter::new("custom", "Custom Format", ParameterKind::Boolean)
            .describe("Whether a predefined format should be selected or custom format entered"),
        "format"
    ),
    Parameter::new("toFormat", "To Format", ParameterKind::String)
        .describe("The moment.js format to convert the date to")
        .show(&[
            (VERSION_KEY, V1),
            ("action", &[is("format")]),
            ("custom", &[Condition::Is(Literal::Bool(true))]),
        ]),
    Parameter::new(
        "toFormat",
        "To Format",
        ParameterKind::Options(&[
            Choice::new("MM/DD/YYYY", Literal::String("MM/DD/YYYY")),
            Choice::new("YYYY/MM/DD", Literal::String("YYYY/MM/DD")),
            Choice::new("MMMM DD YYYY", Literal::String("MMMM DD YYYY")),
            Choice::new("MM-DD-YYYY", Literal::String("MM-DD-YYYY")),
            Choice::new("YYYY-MM-DD", Literal::String("YYYY-MM-DD")),
            Choice::new("Unix Timestamp", Literal::String("X")),
            Choice::new("Unix Ms Timestamp", Literal::String("x")),
        ]),
    )
    .default(Literal::String("MM/DD/YYYY"))
    .describe("The format to convert the date to")
    .show(&[
        (VERSION_KEY, V1),
        ("action", &[is("format")]),
        ("custom", &[Condition::Is(Literal::Bool(false))]),
    ]),
    v1!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("fromFormat", "From Format", ParameterKind::String)
                    .describe("The moment.js format of the input, when it is not recognized"),
                Parameter::new(
                    "fromTimezone",
                    "From Timezone Name or ID",
                    ParameterKind::String
                )
                .default(TIMEZONE_OPTION_DEFAULT)
                .describe("The time zone to convert from"),
                Parameter::new(
                    "toTimezone",
                    "To Timezone Name or ID",
                    ParameterKind::String
                )
                .default(TIMEZONE_OPTION_DEFAULT)
                .describe("The time zone to convert to"),
            ])
        ),
        "format"
    ),
    v1!(
        Parameter::new("value", "Date Value", ParameterKind::String)
            .required()
            .describe("The date string or timestamp from which you want to add/subtract time"),
        "calculate"
    ),
    v1!(
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Add", Literal::String("add")),
                Choice::new("Subtract", Literal::String("subtract")),
            ])
        )
        .required()
        .no_data_expression(),
        "calculate"
    ),
    v1!(
        Parameter::new("duration", "Duration", ParameterKind::Number)
            .required()
            .describe("How many time units to add or subtract"),
        "calculate"
    ),
    v1!(
        Parameter::new(
            "timeUnit",
            "Time Unit",
            ParameterKind::Options(&[
                Choice::new("Quarters", Literal::String("quarters")),
                Choice::new("Years", Literal::String("years")),
                Choice::new("Months", Literal::String("months")),
                Choice::new("Weeks", Literal::String("weeks")),
                Choice::new("Days", Literal::String("days")),
                Choice::new("Hours", Literal::String("hours")),
                Choice::new("Minutes", Literal::String("minutes")),
                Choice::new("Seconds", Literal::String("seconds")),
                Choice::new("Milliseconds", Literal::String("milliseconds")),
            ])
        )
        .default(Literal::String("days"))
        .required(),
        "calculate"
    ),
    v1!(
        Parameter::new("dataPropertyName", "Property Name", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .describe("Name of the output property to which to write the converted date"),
        "calculate"
    ),
    v1!(
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "fromFormat",
                "From Format",
                ParameterKind::String
            )
            .describe("The moment.js format for parsing the value as a date")])
        ),
        "calculate"
    ),
];

/// Both typeVersions' parameters, each shown only for its version.
const PARAMETERS: [Parameter; V2_PARAMETERS.len() + V1_PARAMETERS.len()] = concat_parameters();

const fn concat_parameters<const N: usize>() -> [Parameter; N] {
    let mut all = [V2_PARAMETERS[0]; N];
    let mut index = 0;
    while index < V2_PARAMETERS.len() {
        all[index] = V2_PARAMETERS[index];
        index += 1;
    }
    while index < N {
        all[index] = V1_PARAMETERS[index - V2_PARAMETERS.len()];
        index += 1;
    }
    all
}

/// The node's description.
pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.dateTime",
    display_name: "Date & Time",
    description: "Manipulate date and time values",
    versions: &[1.0, 2.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &PARAMETERS,
    credentials: &[],
};
