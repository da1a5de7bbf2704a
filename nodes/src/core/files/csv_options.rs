//! The CSV reading options that Extract from File and the legacy Spreadsheet File describe alike
//! (n8n's shared `options` of both), each shown under the caller's own condition (`operation` is
//! `csv` for one, `fileFormat` is `csv` for the other).

use crate::description::{Choice, Group, Literal, Parameter, ParameterKind};

/// When a CSV option is shown.
use crate::description::Show;

/// The encodings n8n offers for CSV text.
const CSV_ENCODINGS: &[Choice] = &[
    Choice::new("ASCII", Literal::String("ascii")),
    Choice::new("Latin1", Literal::String("latin1")),
    Choice::new("UCS-2", Literal::String("ucs-2")),
    Choice::new("UCS2", Literal::String("ucs2")),
    Choice::new("UTF-8", Literal::String("utf-8")),
    Choice::new("UTF16LE", Literal::String("utf16le")),
    Choice::new("UTF8", Literal::String("utf8")),
];

/// `skipRecordsWithErrors.value`.
const SKIP_GROUPS: &[Group] = &[Group {
    name: "value",
    display_name: "Value",
    values: &[
        Parameter::new("enabled", "Enabled", ParameterKind::Boolean)
            .describe("Whether to skip records with errors when reading from file"),
        Parameter::new(
            "maxSkippedRecords",
            "Max Skipped Records",
            ParameterKind::Number,
        )
        .default(Literal::Number(-1.0))
        .describe("Fail when more records are skipped; -1 removes the limit"),
    ],
}];

/// `delimiter`.
pub(super) const fn csv_delimiter(csv: Show) -> Parameter {
    Parameter::new("delimiter", "Delimiter", ParameterKind::String)
        .default(Literal::String(","))
        .show(csv)
        .describe("Set the field delimiter, usually a comma")
}

/// `encoding` (of the CSV text).
pub(super) const fn csv_encoding(csv: Show) -> Parameter {
    Parameter::new(
        "encoding",
        "Encoding",
        ParameterKind::Options(CSV_ENCODINGS),
    )
    .default(Literal::String("utf-8"))
    .show(csv)
}

/// `enableBOM`.
pub(super) const fn exclude_bom(csv: Show) -> Parameter {
    Parameter::new(
        "enableBOM",
        "Exclude Byte Order Mark (BOM)",
        ParameterKind::Boolean,
    )
    .show(csv)
    .describe("Whether to detect and exclude the byte-order-mark from the CSV Input if present")
}

/// `relaxQuotes`.
pub(super) const fn preserve_quotes(csv: Show) -> Parameter {
    Parameter::new("relaxQuotes", "Preserve Quotes", ParameterKind::Boolean)
        .show(csv)
        .describe("Whether to keep unclosed quotes as part of a field instead of failing")
}

/// `maxRowCount`.
pub(super) const fn max_row_count(csv: Show) -> Parameter {
    Parameter::new(
        "maxRowCount",
        "Max Number of Rows to Load",
        ParameterKind::Number,
    )
    .default(Literal::Number(-1.0))
    .show(csv)
    .describe("Stop after this many rows; -1 loads all rows")
}

/// `fromLine`.
pub(super) const fn starting_line(csv: Show) -> Parameter {
    Parameter::new("fromLine", "Starting Line", ParameterKind::Number)
        .show(csv)
        .describe("Start handling records from the requested line number")
}

/// `skipRecordsWithErrors`.
pub(super) const fn skip_records_with_errors(csv: Show) -> Parameter {
    Parameter::new(
        "skipRecordsWithErrors",
        "Skip Records With Errors",
        ParameterKind::FixedCollection {
            multiple: false,
            groups: SKIP_GROUPS,
        },
    )
    .show(csv)
}
