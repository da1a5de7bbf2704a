//! Spreadsheet File (`n8n-nodes-base.spreadsheetFile`, typeVersions 1 and 2): n8n's legacy node
//! for what Extract from File and Convert to File do today. `fromFile` reads each item's file
//! into one item per row (typeVersion 2 reads CSV when `fileFormat` is `csv`, or `autodetect`
//! and the file is typed as CSV; everything else, and every file in typeVersion 1, is read as
//! an XLSX workbook); `toFile` writes all items into one CSV or XLSX file named
//! `spreadsheet.<format>`. HTML, ODS, RTF and XLS are refused at check.

use async_trait::async_trait;
use serde_json::Value;

use super::convert_to_file::{all_paired, one_file, spreadsheet_file};
use super::csv_options::{
    csv_delimiter, csv_encoding, exclude_bom, max_row_count, preserve_quotes,
    skip_records_with_errors, starting_line,
};
use super::extract_from_file::{RowReading, rows_of_files};
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::BinaryData;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The Spreadsheet File node.
pub struct SpreadsheetFile;

/// The formats weft reads (typeVersion 2) and writes.
const READS: &[&str] = &["autodetect", "csv", "xlsx"];
const WRITES: &[&str] = &["csv", "xlsx"];

use crate::description::Show;
const FROM_FILE: Show = &[("operation", &[Condition::Is(Literal::String("fromFile"))])];
const FROM_FILE_V2: Show = &[
    ("operation", &[Condition::Is(Literal::String("fromFile"))]),
    (VERSION_KEY, &[Condition::Gte(2.0)]),
];
const TO_FILE: Show = &[("operation", &[Condition::Is(Literal::String("toFile"))])];
const CSV_ONLY: Show = &[("/fileFormat", &[Condition::Is(Literal::String("csv"))])];
const COMPRESSIBLE: Show = &[(
    "/fileFormat",
    &[
        Condition::Is(Literal::String("xlsx")),
        Condition::Is(Literal::String("ods")),
    ],
)];
const SHEETS: Show = &[(
    "/fileFormat",
    &[
        Condition::Is(Literal::String("ods")),
        Condition::Is(Literal::String("xls")),
        Condition::Is(Literal::String("xlsx")),
    ],
)];

/// The formats `fromFile` names; `toFile` names the same without `autodetect`.
const READ_FORMATS: &[Choice] = &[
    Choice::new("Autodetect", Literal::String("autodetect")),
    Choice::new("CSV", Literal::String("csv")),
    Choice::new("HTML", Literal::String("html")),
    Choice::new("ODS", Literal::String("ods")),
    Choice::new("RTF", Literal::String("rtf")),
    Choice::new("XLS", Literal::String("xls")),
    Choice::new("XLSX", Literal::String("xlsx")),
];
const WRITE_FORMATS: &[Choice] = READ_FORMATS.split_at(1).1;

const HEADER_ROW: Parameter = Parameter::new("headerRow", "Header Row", ParameterKind::Boolean)
    .default(Literal::Bool(true))
    .describe("Whether the first row of the file contains the header names");

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.spreadsheetFile",
    display_name: "Spreadsheet File",
    description: "Reads and writes data from a spreadsheet file like CSV, XLS, ODS, etc",
    versions: &[1.0, 2.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Read From File", Literal::String("fromFile")),
                Choice::new("Write to File", Literal::String("toFile")),
            ]),
        )
        .default(Literal::String("fromFile"))
        .no_data_expression(),
        Parameter::new(
            "binaryPropertyName",
            "Input Binary Field",
            ParameterKind::String,
        )
        .default(Literal::String("data"))
        .required()
        .show(FROM_FILE)
        .describe("The name of the input field containing the file data to be processed"),
        Parameter::new(
            "fileFormat",
            "File Format",
            ParameterKind::Options(READ_FORMATS),
        )
        .default(Literal::String("autodetect"))
        .show(FROM_FILE_V2)
        .describe("The format of the binary data to read from"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                csv_delimiter(CSV_ONLY),
                csv_encoding(CSV_ONLY),
                exclude_bom(CSV_ONLY),
                preserve_quotes(CSV_ONLY),
                HEADER_ROW,
                Parameter::new(
                    "includeEmptyCells",
                    "Include Empty Cells",
                    ParameterKind::Boolean,
                )
                .describe("Whether to include empty cells, filled with an empty string"),
                max_row_count(CSV_ONLY),
                Parameter::new("range", "Range", ParameterKind::String).describe(
                    "A first row (a number, from 0) or an A1-style range such as `A1:C10`",
                ),
                Parameter::new("rawData", "RAW Data", ParameterKind::Boolean).describe(
                    "Whether to return RAW data, instead of parsing it (no effect on CSV and XLSX)",
                ),
                Parameter::new("readAsString", "Read As String", ParameterKind::Boolean)
                    .describe("Whether to read the file as a string (no effect on CSV and XLSX)"),
                Parameter::new("sheetName", "Sheet Name", ParameterKind::String)
                    .default(Literal::String("Sheet"))
                    .describe("Name of the sheet to read from; without it the first sheet is read"),
                starting_line(CSV_ONLY),
                skip_records_with_errors(CSV_ONLY),
            ]),
        )
        .show(FROM_FILE),
        Parameter::new(
            "fileFormat",
            "File Format",
            ParameterKind::Options(WRITE_FORMATS),
        )
        .default(Literal::String("xls"))
        .show(TO_FILE)
        .describe("The format of the file to save the data as"),
        Parameter::new(
            "binaryPropertyName",
            "Put Output File in Field",
            ParameterKind::String,
        )
        .default(Literal::String("data"))
        .required()
        .show(TO_FILE)
        .describe("The name of the output binary field to put the file in"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("compression", "Compression", ParameterKind::Boolean)
                    .show(COMPRESSIBLE)
                    .describe(
                        "Whether to reduce the output file size (weft always compresses XLSX)",
                    ),
                Parameter::new("fileName", "File Name", ParameterKind::String).describe(
                    "File name to set in binary data; by default `spreadsheet.<fileFormat>`",
                ),
                HEADER_ROW,
                Parameter::new("sheetName", "Sheet Name", ParameterKind::String)
                    .default(Literal::String("Sheet"))
                    .show(SHEETS)
                    .describe("Name of the sheet to create in the spreadsheet"),
            ]),
        )
        .show(TO_FILE),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for SpreadsheetFile {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        refused_format(version, parameters).into_iter().collect()
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        let items = if operation == "toFile" {
            let format: String = ctx.parameter_as("fileFormat", 0)?;
            let file = spreadsheet_file(ctx, &format, "spreadsheet");
            vec![one_file(ctx, file, all_paired(ctx.input().len()))?]
        } else {
            let version_2 = ctx.node().type_version >= 2.0;
            let format = |index: usize, binary: &BinaryData| -> Result<String, NodeError> {
                if !version_2 {
                    return Ok("xlsx".to_owned());
                }
                let format: String = ctx.parameter_as("fileFormat", index)?;
                Ok(resolved_format(format, binary))
            };
            rows_of_files(
                ctx,
                &RowReading {
                    format: &format,
                    csv_errors_fail: false,
                },
            )?
        };
        out.emit(0, items).await
    }
}

register_node!(SpreadsheetFile);

/// `autodetect` becomes `csv` for a file typed `text/csv`, or `text/plain` named `.csv`.
fn resolved_format(format: String, binary: &BinaryData) -> String {
    let csv_typed = binary.mime_type == "text/csv"
        || (binary.mime_type == "text/plain" && binary.file_extension.as_deref() == Some("csv"));
    if format == "autodetect" && csv_typed {
        "csv".to_owned()
    } else {
        format
    }
}

/// The literal `fileFormat` weft cannot read or write with these resolved parameters.
fn refused_format(version: f64, parameters: &Value) -> Option<Unsupported> {
    let operation = parameters.get("operation").and_then(Value::as_str)?;
    let supported = match operation {
        "toFile" => WRITES,
        "fromFile" if version >= 2.0 => READS,
        _ => return None,
    };
    let format = parameters.get("fileFormat").and_then(Value::as_str)?;
    (!format.starts_with('=') && !supported.contains(&format)).then(|| {
        Unsupported::new(
            "fileFormat",
            format!(
                "weft does not have n8n's Spreadsheet File format `{format}` for `{operation}`"
            ),
            format!(
                "use one of {}, or run this workflow in n8n",
                supported.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_weft_lacks_are_refused_per_operation_and_version() {
        let cases = [
            (
                2.0,
                json!({"operation": "toFile", "fileFormat": "xls"}),
                Some("`xls` for `toFile`"),
            ),
            (
                1.0,
                json!({"operation": "toFile", "fileFormat": "ods"}),
                Some("`ods` for `toFile`"),
            ),
            (
                2.0,
                json!({"operation": "toFile", "fileFormat": "xlsx"}),
                None,
            ),
            (
                1.0,
                json!({"operation": "toFile", "fileFormat": "csv"}),
                None,
            ),
            (
                2.0,
                json!({"operation": "toFile", "fileFormat": "autodetect"}),
                Some("`autodetect`"),
            ),
            (
                2.0,
                json!({"operation": "fromFile", "fileFormat": "html"}),
                Some("`html` for `fromFile`"),
            ),
            (
                2.0,
                json!({"operation": "fromFile", "fileFormat": "autodetect"}),
                None,
            ),
            (1.0, json!({"operation": "fromFile"}), None),
            (
                2.0,
                json!({"operation": "toFile", "fileFormat": "={{ $json.f }}"}),
                None,
            ),
        ];
        for (version, parameters, refused) in cases {
            let found = refused_format(version, &parameters);
            match (refused, found) {
                (None, None) => {}
                (Some(reason), Some(found)) => {
                    assert_eq!(found.parameter, "fileFormat");
                    assert!(found.reason.contains(reason), "{parameters}: {found:?}");
                }
                (expected, found) => panic!("{parameters}: expected {expected:?}, got {found:?}"),
            }
        }
    }

    #[test]
    fn autodetect_reads_csv_typed_files_as_csv() {
        let file = |mime: &str, extension: Option<&str>| BinaryData {
            data: String::new(),
            mime_type: mime.to_owned(),
            file_name: None,
            file_extension: extension.map(str::to_owned),
            other: serde_json::Map::new(),
        };
        let cases = [
            ("autodetect", file("text/csv", None), "csv"),
            ("autodetect", file("text/plain", Some("csv")), "csv"),
            ("autodetect", file("text/plain", Some("txt")), "autodetect"),
            (
                "autodetect",
                file(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    Some("xlsx"),
                ),
                "autodetect",
            ),
            ("xlsx", file("text/csv", Some("csv")), "xlsx"),
        ];
        for (format, binary, expected) in cases {
            assert_eq!(
                resolved_format(format.to_owned(), &binary),
                expected,
                "{binary:?}"
            );
        }
    }
}
