//! Extract from File (`n8n-nodes-base.extractFromFile`, typeVersions 1 and 1.1): a file in a
//! binary property into items. `csv` and `xlsx` give one item per row (typeVersion 1 keeps the
//! rows read before a CSV error and drops the error, 1.1 fails, as n8n's
//! `failOnCsvBufferError`); `fromJson`, `text` and `binaryToPropery` put the parsed JSON, the
//! text or the base64 content into one field; `pdf` gives n8n's pdf.js fields (`pdf_read`).
//! HTML, ICS, ODS, RTF, XLS and XML are refused at check.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::super::binary_data::{content, input_binary};
use super::super::paths::copy_path;
use super::csv_options::{
    csv_delimiter, csv_encoding, exclude_bom, max_row_count, preserve_quotes,
    skip_records_with_errors, starting_line,
};
use super::csv_read::{self, CsvOptions};
use super::encoding::{TextEncoding, detect};
use super::encoding_choices::ENCODING_CHOICES;
use super::options;
use super::pdf_read;
use super::xlsx_read::{SheetOptions, SheetRange, read_rows};
use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{BinaryData, Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The Extract from File node.
pub struct ExtractFromFile;

const SUPPORTED: &[&str] = &["csv", "xlsx", "fromJson", "text", "binaryToPropery", "pdf"];

use super::options::{CSV_ONLY, SHEETS};
use crate::description::Show;
const SPREADSHEET: Show = &[(
    "operation",
    &[
        Condition::Is(Literal::String("csv")),
        Condition::Is(Literal::String("html")),
        Condition::Is(Literal::String("rtf")),
        Condition::Is(Literal::String("ods")),
        Condition::Is(Literal::String("xls")),
        Condition::Is(Literal::String("xlsx")),
    ],
)];
const MOVE_TO: Show = &[(
    "operation",
    &[
        Condition::Is(Literal::String("binaryToPropery")),
        Condition::Is(Literal::String("fromJson")),
        Condition::Is(Literal::String("text")),
        Condition::Is(Literal::String("fromIcs")),
        Condition::Is(Literal::String("xml")),
    ],
)];
const PDF: Show = &[("operation", &[Condition::Is(Literal::String("pdf"))])];
const TABLES: Show = &[(
    "/operation",
    &[
        Condition::Is(Literal::String("ods")),
        Condition::Is(Literal::String("xls")),
        Condition::Is(Literal::String("xlsx")),
        Condition::Is(Literal::String("csv")),
        Condition::Is(Literal::String("html")),
    ],
)];

const fn input_field(show: Show) -> Parameter {
    Parameter::new(
        "binaryPropertyName",
        "Input Binary Field",
        ParameterKind::String,
    )
    .default(Literal::String("data"))
    .required()
    .show(show)
    .describe("The name of the input field containing the file data to be processed")
}

/// `options.keepSource` of the `pdf` and moving operations.
const KEEP_SOURCE: Parameter = Parameter::new(
    "keepSource",
    "Keep Source",
    ParameterKind::Options(&[
        Choice::new("JSON", Literal::String("json")),
        Choice::new("Binary", Literal::String("binary")),
        Choice::new("Both", Literal::String("both")),
    ]),
)
.default(Literal::String("json"))
.describe("What of the input item to keep in the output item");

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.extractFromFile",
    display_name: "Extract from File",
    description: "Convert binary data to JSON",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Extract From CSV", Literal::String("csv")),
                Choice::new("Extract From HTML", Literal::String("html")),
                Choice::new("Extract From ICS", Literal::String("fromIcs")),
                Choice::new("Extract From JSON", Literal::String("fromJson")),
                Choice::new("Extract From ODS", Literal::String("ods")),
                Choice::new("Extract From PDF", Literal::String("pdf")),
                Choice::new("Extract From RTF", Literal::String("rtf")),
                Choice::new("Extract From Text File", Literal::String("text")),
                Choice::new("Extract From XML", Literal::String("xml")),
                Choice::new("Extract From XLS", Literal::String("xls")),
                Choice::new("Extract From XLSX", Literal::String("xlsx")),
                Choice::new("Move File to Base64 String", Literal::String("binaryToPropery")),
            ]),
        )
        .default(Literal::String("csv"))
        .no_data_expression(),
        input_field(SPREADSHEET),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                csv_delimiter(CSV_ONLY),
                csv_encoding(CSV_ONLY),
                exclude_bom(CSV_ONLY),
                preserve_quotes(CSV_ONLY),
                Parameter::new("headerRow", "Header Row", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .show(TABLES)
                    .describe("Whether the first row of the file contains the header names"),
                Parameter::new("includeEmptyCells", "Include Empty Cells", ParameterKind::Boolean)
                    .show(TABLES)
                    .describe("Whether to include empty cells, filled with an empty string"),
                max_row_count(CSV_ONLY),
                Parameter::new("range", "Range", ParameterKind::String)
                    .show(SHEETS)
                    .describe("A first row (a number, from 0) or an A1-style range such as `A1:C10`"),
                Parameter::new("rawData", "RAW Data", ParameterKind::Boolean)
                    .describe("Whether to return RAW data, instead of parsing it (no effect on CSV and XLSX)"),
                Parameter::new("readAsString", "Read As String", ParameterKind::Boolean)
                    .describe("Whether to read the file as a string (no effect on CSV and XLSX)"),
                Parameter::new("sheetName", "Sheet Name", ParameterKind::String)
                    .default(Literal::String("Sheet"))
                    .show(SHEETS)
                    .describe("Name of the sheet to read from in the spreadsheet"),
                starting_line(CSV_ONLY),
                skip_records_with_errors(CSV_ONLY),
            ]),
        )
        .show(SPREADSHEET),
        input_field(MOVE_TO),
        Parameter::new("destinationKey", "Destination Output Field", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .show(MOVE_TO)
            .describe("The name of the output field that will contain the extracted data"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("encoding", "File Encoding", ParameterKind::Options(ENCODING_CHOICES))
                    .default(Literal::String("utf8"))
                    .describe("The encoding of the file; without it the content decides (UTF-8, else ISO-8859-1)"),
                Parameter::new("stripBOM", "Strip BOM", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .show(&[(
                        "encoding",
                        &[
                            Condition::Is(Literal::String("utf8")),
                            Condition::Is(Literal::String("cesu8")),
                            Condition::Is(Literal::String("ucs2")),
                        ],
                    )])
                    .describe("Whether to strip the byte-order mark from the file"),
                KEEP_SOURCE,
            ]),
        )
        .show(MOVE_TO),
        input_field(PDF),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("joinPages", "Join Pages", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .describe("Whether to join the text from all pages or return an array of text from each page"),
                KEEP_SOURCE,
                Parameter::new("maxPages", "Max Pages", ParameterKind::Number)
                    .default(Literal::Number(0.0))
                    .describe("Maximum number of pages to include"),
                Parameter::new("password", "Password", ParameterKind::String)
                    .describe("The password of an encrypted PDF"),
            ]),
        )
        .show(PDF),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for ExtractFromFile {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        options::unsupported("Extract from File", parameters, SUPPORTED)
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        let items = match operation.as_str() {
            "csv" | "xlsx" => rows_of_files(
                ctx,
                &RowReading {
                    format: &|_, _| Ok(operation.clone()),
                    csv_errors_fail: ctx.node().type_version >= 1.1,
                },
            )?,
            "pdf" => each_item(ctx, pdf_item)?,
            _ => each_item(ctx, |ctx, index| moved_value(ctx, &operation, index))?,
        };
        out.emit(0, items).await
    }
}

register_node!(ExtractFromFile);

/// How a spreadsheet-reading node reads its files (Extract from File, Spreadsheet File).
pub(crate) struct RowReading<'f> {
    /// The format of item `index`'s file (`csv`, else read as a workbook), named in the
    /// wrong-format error.
    pub format: &'f dyn Fn(usize, &BinaryData) -> Result<String, NodeError>,
    /// Whether a CSV parse error fails the item (n8n's `failOnCsvBufferError`) rather than
    /// keeping the rows read before it.
    pub csv_errors_fail: bool,
}

/// The rows of every input item's file (n8n's spreadsheet `fromFile`).
pub(crate) fn rows_of_files(
    ctx: &NodeContext<'_>,
    reading: &RowReading<'_>,
) -> Result<Vec<Item>, NodeError> {
    let mut items = Vec::new();
    // n8n keeps the last file extension and format it saw across items for its error message.
    let mut seen = SeenFile::default();
    for index in 0..ctx.input().len() {
        match file_rows(ctx, reading, index, &mut seen) {
            Ok(rows) => items.extend(rows.into_iter().map(|row| Item {
                json: row,
                paired_item: Some(PairedItems::One(PairedItem::new(index))),
                ..Item::default()
            })),
            Err(error) => {
                let error = match (&seen.extension, &seen.format) {
                    (Some(extension), Some(format)) if extension != format => {
                        NodeError::operation(format!(
                            "The file selected in 'Input Binary Field' is not in {format} format"
                        ))
                        .with_description(format!(
                            "Try to change the operation or select a {format} file in 'Input Binary Field'"
                        ))
                        .with_cause(error.message)
                    }
                    _ => error,
                };
                if ctx.continue_on_fail() {
                    items.push(Item::failed(error, index));
                } else {
                    return Err(error.for_item(index));
                }
            }
        }
    }
    Ok(items)
}

/// The file extension and format of the last file read.
#[derive(Default)]
struct SeenFile {
    extension: Option<String>,
    format: Option<String>,
}

/// The rows of item `index`'s file, each as an item's JSON.
fn file_rows(
    ctx: &NodeContext<'_>,
    reading: &RowReading<'_>,
    index: usize,
    seen: &mut SeenFile,
) -> Result<Vec<Map<String, Value>>, NodeError> {
    let property: String = ctx.parameter_as("binaryPropertyName", index)?;
    let binary = input_binary(&ctx.input()[index], &property, index)?;
    seen.extension = binary.file_extension.clone();
    let format = (reading.format)(index, binary)?;
    seen.format = Some(format.clone());
    let bytes = content(binary, &property, index)?;
    let header_row = options::flag(ctx, "headerRow", index)? != Some(false);
    let rows = if format == "csv" {
        csv_rows(ctx, index, &bytes, header_row, reading.csv_errors_fail)?
    } else {
        let range = options::text(ctx, "range", index)?.filter(|text| !text.is_empty());
        let range = match range {
            None => None,
            Some(text) => Some(SheetRange::parse(&text).ok_or_else(|| {
                NodeError::operation(format!(
                    "The range \"{text}\" is not a row number or an A1-style range"
                ))
                .with_description("hint: write a first row such as `2`, or cells such as `A1:C10`")
            })?),
        };
        let options = SheetOptions {
            sheet_name: options::text(ctx, "sheetName", index)?.filter(|name| !name.is_empty()),
            range,
            include_empty_cells: options::flag(ctx, "includeEmptyCells", index)?.unwrap_or(false),
            header_row,
        };
        read_rows(bytes, &options).map_err(|error| NodeError::operation(error.to_string()))?
    };
    Ok(rows
        .into_iter()
        .map(|row| match row {
            Value::Object(object) if header_row => object,
            other => Map::from_iter([("row".to_owned(), other)]),
        })
        .collect())
}

/// The CSV rows of `bytes` with item `index`'s options.
fn csv_rows(
    ctx: &NodeContext<'_>,
    index: usize,
    bytes: &[u8],
    header_row: bool,
    csv_errors_fail: bool,
) -> Result<Vec<Value>, NodeError> {
    let number = |name: &str| -> Result<Option<f64>, NodeError> {
        Ok(ctx
            .optional_parameter(&format!("options.{name}"), index)?
            .and_then(|value| value.as_f64()))
    };
    let max_records = match number("maxRowCount")? {
        Some(0.0) => {
            return Err(NodeError::operation(
                "Invalid Option: to must be a positive integer greater than 0, got 0",
            ));
        }
        Some(max) if max > 0.0 => Some(max as usize),
        _ => None,
    };
    let from_line = match number("fromLine")? {
        None => 1,
        Some(line) if line >= 1.0 => line as usize,
        Some(_) => {
            return Err(NodeError::operation(
                "Invalid Option: from_line must be a positive integer greater than 0, got undefined",
            ));
        }
    };
    let delimiter = options::text(ctx, "delimiter", index)?.unwrap_or_else(|| ",".to_owned());
    if delimiter.is_empty() {
        return Err(NodeError::operation(
            "Invalid option delimiter: delimiter must be a non empty string or buffer or array of \
             string|buffer, got \"\"",
        ));
    }
    let skip = ctx
        .optional_parameter("options.skipRecordsWithErrors", index)?
        .unwrap_or(Value::Null);
    let skip_records_with_error = skip
        .pointer("/value/enabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let max_skipped = skip
        .pointer("/value/maxSkippedRecords")
        .and_then(Value::as_f64)
        .unwrap_or(-1.0);
    let text = decode_csv(bytes, options::text(ctx, "encoding", index)?.as_deref());
    let text = match options::flag(ctx, "enableBOM", index)? {
        Some(true) => text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text),
        _ => text,
    };
    let outcome = csv_read::parse(
        &text,
        &CsvOptions {
            delimiter,
            from_line,
            max_records,
            skip_records_with_error,
            header_row,
            relax_quotes: options::flag(ctx, "relaxQuotes", index)?.unwrap_or(false),
            include_empty_cells: options::flag(ctx, "includeEmptyCells", index)?.unwrap_or(false),
        },
    );
    if let Some(error) = outcome.error {
        if csv_errors_fail {
            return Err(NodeError::operation(error.0));
        }
        tracing::warn!(node = %ctx.node().name, "CSV parsing stopped early (n8n ignores this here): {error}");
    }
    if skip_records_with_error && max_skipped > 0.0 && outcome.skipped as f64 > max_skipped {
        return Err(NodeError::operation(
            "Max number of skipped records exceeded",
        ));
    }
    Ok(outcome.rows)
}

/// The CSV text of `bytes` in csv-parse's `encoding` (Node's buffer decoding: `ascii` drops the
/// high bit; a byte-order mark stays).
fn decode_csv(bytes: &[u8], encoding: Option<&str>) -> String {
    match encoding.map(str::to_ascii_lowercase).as_deref() {
        Some("ascii") => bytes.iter().map(|byte| char::from(byte & 0x7f)).collect(),
        Some(name) => TextEncoding::parse(name)
            .unwrap_or(TextEncoding::Utf8)
            .decode(bytes, false),
        None => TextEncoding::Utf8.decode(bytes, false),
    }
}

/// One item per input item (`fromJson`, `text`, `binaryToPropery`, `pdf`), a failed one as an
/// error item under continue-on-fail.
fn each_item(
    ctx: &NodeContext<'_>,
    item_of: impl Fn(&NodeContext<'_>, usize) -> Result<Item, NodeError>,
) -> Result<Vec<Item>, NodeError> {
    let mut items = Vec::with_capacity(ctx.input().len());
    for index in 0..ctx.input().len() {
        match item_of(ctx, index) {
            Ok(item) => items.push(item),
            Err(error) if ctx.continue_on_fail() => items.push(Item::failed(error, index)),
            Err(error) => return Err(error.for_item(index)),
        }
    }
    Ok(items)
}

/// The `pdf` item of input item `index`: n8n's fields after the input's JSON when it is kept,
/// the file dropped from the binary properties unless it is kept.
fn pdf_item(ctx: &NodeContext<'_>, index: usize) -> Result<Item, NodeError> {
    let input = &ctx.input()[index];
    let property: String = ctx.parameter_as("binaryPropertyName", index)?;
    let binary = input_binary(input, &property, index)?;
    let bytes = content(binary, &property, index)?;
    let keep_source = options::text(ctx, "keepSource", index)?.filter(|keep| !keep.is_empty());
    let password = options::text(ctx, "password", index)?;
    let max_pages = ctx
        .optional_parameter("options.maxPages", index)?
        .and_then(|value| value.as_f64())
        .map(|max| max.max(0.0).floor() as usize);
    let read =
        pdf_read::read(&bytes, password.as_deref(), max_pages).map_err(NodeError::operation)?;
    let mut json = match keep_source.as_deref() {
        Some(keep) if keep != "binary" => input.json.clone(),
        _ => Map::new(),
    };
    let text = match options::flag(ctx, "joinPages", index)? {
        Some(false) => Value::from(read.texts),
        _ => Value::String(read.texts.join("\n\n")),
    };
    json.insert("numpages".to_owned(), Value::from(read.pages));
    json.insert("numrender".to_owned(), Value::from(read.pages));
    json.insert("info".to_owned(), Value::Object(read.info));
    json.insert("text".to_owned(), text);
    json.insert("version".to_owned(), Value::from(pdf_read::PDF_JS_VERSION));
    let mut binary = input.binary.clone().unwrap_or_default();
    if !matches!(keep_source.as_deref(), Some("binary" | "both")) {
        binary.remove(&property);
    }
    Ok(Item {
        json,
        binary: Some(binary),
        paired_item: Some(PairedItems::One(PairedItem::new(index))),
        ..Item::default()
    })
}

/// The item of `operation` for input item `index`.
fn moved_value(ctx: &NodeContext<'_>, operation: &str, index: usize) -> Result<Item, NodeError> {
    let input = &ctx.input()[index];
    let property: String = ctx.parameter_as("binaryPropertyName", index)?;
    let binary = input_binary(input, &property, index)?;
    let bytes = content(binary, &property, index)?;
    let keep_source = options::text(ctx, "keepSource", index)?.filter(|keep| !keep.is_empty());
    let mut json = match keep_source.as_deref() {
        Some(keep) if keep != "binary" => input.json.clone(),
        _ => Map::new(),
    };
    let value = if operation == "binaryToPropery" {
        Value::String(STANDARD.encode(&bytes))
    } else {
        let encoding = options::encoding(ctx, index)?.unwrap_or_else(|| detect(&bytes));
        let strip_bom = options::flag(ctx, "stripBOM", index)? != Some(false);
        let text = encoding.decode(&bytes, strip_bom);
        if operation == "fromJson" {
            parse_json(&text)?
        } else {
            Value::String(text)
        }
    };
    let destination: String = ctx.parameter_as("destinationKey", index)?;
    copy_path(&mut json, &destination, value);
    let mut binary = input.binary.clone().unwrap_or_default();
    if !matches!(keep_source.as_deref(), Some("binary" | "both")) {
        binary.remove(&property);
    }
    Ok(Item {
        json,
        binary: Some(binary),
        paired_item: Some(PairedItems::One(PairedItem::new(index))),
        ..Item::default()
    })
}

/// The JSON of a file: `{}` when it is empty. Text that is not JSON fails with what
/// `JSON.parse` says; n8n replaces its "Unexpected token" errors by its own message.
fn parse_json(text: &str) -> Result<Value, NodeError> {
    if text.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_str(text).map_err(|error| {
        let detail = error.to_string();
        let position = || utf16_position(text, error.line(), error.column());
        let message = if detail.starts_with("EOF while parsing a string") {
            format!(
                "Unterminated string in JSON at position {}",
                text.encode_utf16().count()
            )
        } else if error.is_eof() {
            "Unexpected end of JSON input".to_owned()
        } else if detail.starts_with("trailing characters") {
            format!(
                "Unexpected non-whitespace character after JSON at position {}",
                position()
            )
        } else if detail.starts_with("key must be a string") {
            format!(
                "Expected property name or '}}' in JSON at position {}",
                position()
            )
        } else {
            return NodeError::operation(
                "The file selected in 'Input Binary Field' is not in JSON format",
            )
            .with_description(
                "Try to change the operation or select a JSON file in 'Input Binary Field'",
            )
            .with_cause(detail);
        };
        NodeError::operation(message)
    })
}

/// The JavaScript string index of the character at `line` and `column` (both from 1).
fn utf16_position(text: &str, line: usize, column: usize) -> usize {
    let before: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(|line| line.encode_utf16().count())
        .sum();
    let within = text
        .split_inclusive('\n')
        .nth(line.saturating_sub(1))
        .map_or(0, |line| {
            line.chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum()
        });
    before + within
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_files_parse_or_fail_as_in_n8n() {
        assert_eq!(parse_json("").unwrap(), json!({}));
        assert_eq!(
            parse_json("[1, {\"a\": null}]").unwrap(),
            json!([1, {"a": null}])
        );
        assert_eq!(
            parse_json("{\"a\":").unwrap_err().message,
            "Unexpected end of JSON input"
        );
        let error = parse_json("a,b\n1,2").unwrap_err();
        assert_eq!(
            error.message,
            "The file selected in 'Input Binary Field' is not in JSON format"
        );
        assert!(
            error
                .description
                .unwrap()
                .starts_with("Try to change the operation")
        );
    }

    #[test]
    fn csv_text_is_decoded_as_node_buffers_decode_it() {
        assert_eq!(decode_csv(&[0xef, 0xbb, 0xbf, b'a'], None), "\u{feff}a");
        assert_eq!(decode_csv(&[b'a', 0xe9], Some("latin1")), "aé");
        assert_eq!(decode_csv(&[b'a', 0xe9], Some("ascii")), "ai");
        assert_eq!(decode_csv(&[b'a', 0, 0xe9, 0], Some("ucs-2")), "aé");
    }
}
