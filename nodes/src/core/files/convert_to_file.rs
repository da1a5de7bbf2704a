//! Convert to File (`n8n-nodes-base.convertToFile`, typeVersions 1 and 1.1): items into a file
//! in a binary property. `csv` and `xlsx` turn all items into one spreadsheet (paired to every
//! input item); `toJson` writes all items as one JSON array (`mode: once`) or each item's JSON as
//! its own file (`each`); `toText` writes one text field per item; `toBinary` decodes a base64
//! field per item. HTML, ICS, ODS, RTF and XLS are refused at check.

use async_trait::async_trait;
use serde_json::Value;

use super::super::binary_data::prepare;
use super::super::paths::get_path;
use super::encoding::{TextEncoding, node_base64};
use super::encoding_choices::ENCODING_CHOICES;
use super::json_text::stringify;
use super::options;
use super::sheet_write::{Table, csv, xlsx};
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::{BinaryData, Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The Convert to File node.
pub struct ConvertToFile;

const SUPPORTED: &[&str] = &["csv", "xlsx", "toJson", "toText", "toBinary"];

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
const TO_BINARY: Show = &[("operation", &[Condition::Is(Literal::String("toBinary"))])];
const TO_TEXT: Show = &[("operation", &[Condition::Is(Literal::String("toText"))])];
const TO_JSON: Show = &[("operation", &[Condition::Is(Literal::String("toJson"))])];
const COMPRESSIBLE: Show = &[(
    "/operation",
    &[
        Condition::Is(Literal::String("xlsx")),
        Condition::Is(Literal::String("ods")),
    ],
)];
const UNICODE: Show = &[(
    "encoding",
    &[
        Condition::Is(Literal::String("utf8")),
        Condition::Is(Literal::String("cesu8")),
        Condition::Is(Literal::String("ucs2")),
    ],
)];

const fn output_field(show: Show) -> Parameter {
    Parameter::new(
        "binaryPropertyName",
        "Put Output File in Field",
        ParameterKind::String,
    )
    .default(Literal::String("data"))
    .required()
    .show(show)
    .describe("The name of the output binary field to put the file in")
}

const fn source_field(show: Show, what: &'static str) -> Parameter {
    Parameter::new("sourceProperty", what, ParameterKind::String)
        .required()
        .show(show)
        .describe("The input field holding the value, with dot-notation for deep fields (e.g. `level1.level2`)")
}

const ADD_BOM: Parameter = Parameter::new(
    "addBOM",
    "Add Byte Order Mark (BOM)",
    ParameterKind::Boolean,
)
.show(UNICODE)
.describe("Whether to start the file with a byte-order mark");
const ENCODING: Parameter = Parameter::new(
    "encoding",
    "Encoding",
    ParameterKind::Options(ENCODING_CHOICES),
)
.default(Literal::String("utf8"))
.describe("The character set to encode the text with");
const FILE_NAME: Parameter = Parameter::new("fileName", "File Name", ParameterKind::String)
    .describe("Name of the output file");

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.convertToFile",
    display_name: "Convert to File",
    description: "Convert JSON data to binary data",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Convert to CSV", Literal::String("csv")),
                Choice::new("Convert to HTML", Literal::String("html")),
                Choice::new("Convert to ICS", Literal::String("iCal")),
                Choice::new("Convert to JSON", Literal::String("toJson")),
                Choice::new("Convert to ODS", Literal::String("ods")),
                Choice::new("Convert to RTF", Literal::String("rtf")),
                Choice::new("Convert to Text File", Literal::String("toText")),
                Choice::new("Convert to XLS", Literal::String("xls")),
                Choice::new("Convert to XLSX", Literal::String("xlsx")),
                Choice::new("Move Base64 String to File", Literal::String("toBinary")),
            ]),
        )
        .default(Literal::String("csv"))
        .no_data_expression(),
        output_field(SPREADSHEET),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("compression", "Compression", ParameterKind::Boolean)
                    .show(COMPRESSIBLE)
                    .describe(
                        "Whether to reduce the output file size (weft always compresses XLSX)",
                    ),
                Parameter::new("delimiter", "Delimiter", ParameterKind::String)
                    .default(Literal::String(","))
                    .show(CSV_ONLY)
                    .describe("The character to use to separate fields"),
                FILE_NAME,
                Parameter::new("headerRow", "Header Row", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .describe("Whether the first row of the file contains the header names"),
                Parameter::new("sheetName", "Sheet Name", ParameterKind::String)
                    .default(Literal::String("Sheet"))
                    .show(SHEETS)
                    .describe("Name of the sheet to create in the spreadsheet"),
            ]),
        )
        .show(SPREADSHEET),
        source_field(TO_BINARY, "Base64 Input Field"),
        output_field(TO_BINARY),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                ADD_BOM,
                Parameter::new("dataIsBase64", "Data Is Base64", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .show(&[(VERSION_KEY, &[Condition::Lt(1.1)])])
                    .describe("Whether the data is already base64 encoded"),
                ENCODING.hide(&[
                    ("dataIsBase64", &[Condition::Is(Literal::Bool(true))]),
                    (VERSION_KEY, &[Condition::Gte(1.1)]),
                ]),
                FILE_NAME,
                Parameter::new("mimeType", "MIME Type", ParameterKind::String)
                    .describe("The MIME type of the output file, e.g. `text/plain`"),
            ]),
        )
        .show(TO_BINARY),
        source_field(TO_TEXT, "Text Input Field"),
        output_field(TO_TEXT),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[ADD_BOM, ENCODING, FILE_NAME]),
        )
        .show(TO_TEXT),
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("All Items to One File", Literal::String("once")),
                Choice::new("Each Item to Separate File", Literal::String("each")),
            ]),
        )
        .default(Literal::String("once"))
        .no_data_expression()
        .show(TO_JSON),
        output_field(TO_JSON),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                ADD_BOM,
                Parameter::new("format", "Format", ParameterKind::Boolean)
                    .describe("Whether to format the JSON data for easier reading"),
                ENCODING,
                FILE_NAME,
            ]),
        )
        .show(TO_JSON),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for ConvertToFile {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        options::unsupported("Convert to File", parameters, SUPPORTED)
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        let all_items = all_paired(ctx.input().len());
        let items = match operation.as_str() {
            "csv" | "xlsx" => vec![one_file(
                ctx,
                spreadsheet_file(ctx, &operation, "File"),
                all_items,
            )?],
            "toJson" if ctx.parameter_as::<String>("mode", 0)? == "once" => {
                // n8n throws here even under continue-on-fail.
                let file = json_file(ctx, None).map_err(|error| error.for_item(0))?;
                vec![file_item(ctx, 0, file, all_items)?]
            }
            _ => per_item(ctx, &operation)?,
        };
        out.emit(0, items).await
    }
}

register_node!(ConvertToFile);

/// `[{item: 0}, …, {item: count - 1}]`: an item made of all input items.
pub(crate) fn all_paired(count: usize) -> PairedItems {
    PairedItems::Many((0..count).map(PairedItem::new).collect())
}

/// The one item of an all-items operation, or its error item under continue-on-fail.
pub(crate) fn one_file(
    ctx: &NodeContext<'_>,
    file: Result<BinaryData, NodeError>,
    paired: PairedItems,
) -> Result<Item, NodeError> {
    match file {
        Ok(file) => file_item(ctx, 0, file, paired),
        Err(error) if ctx.continue_on_fail() => Ok(Item {
            json: serde_json::Map::from_iter([(
                "error".to_owned(),
                Value::String(error.message.clone()),
            )]),
            paired_item: Some(paired),
            ..Item::default()
        }),
        Err(error) => Err(error),
    }
}

/// `{json: {}, binary: {<binaryPropertyName>: file}}`.
fn file_item(
    ctx: &NodeContext<'_>,
    index: usize,
    file: BinaryData,
    paired: PairedItems,
) -> Result<Item, NodeError> {
    let property: String = ctx.parameter_as("binaryPropertyName", index)?;
    Ok(Item {
        binary: Some([(property, file)].into()),
        paired_item: Some(paired),
        ..Item::default()
    })
}

/// The items of the per-item operations (`toText`, `toBinary`, `toJson` in mode `each`).
fn per_item(ctx: &NodeContext<'_>, operation: &str) -> Result<Vec<Item>, NodeError> {
    let mut items = Vec::with_capacity(ctx.input().len());
    for index in 0..ctx.input().len() {
        let file = match operation {
            "toText" => text_file(ctx, index),
            "toBinary" => base64_file(ctx, index),
            _ => json_file(ctx, Some(index)),
        };
        match file
            .and_then(|file| file_item(ctx, index, file, PairedItems::One(PairedItem::new(index))))
        {
            Ok(item) => items.push(item),
            Err(error) if ctx.continue_on_fail() => items.push(Item::failed(error, index)),
            Err(error) => return Err(error.for_item(index)),
        }
    }
    Ok(items)
}

/// The CSV or XLSX file of all input items (n8n's `convertJsonToSpreadsheetBinary`), named
/// `<default_name>.<format>` unless `options.fileName` is set.
pub(crate) fn spreadsheet_file(
    ctx: &NodeContext<'_>,
    format: &str,
    default_name: &str,
) -> Result<BinaryData, NodeError> {
    let header_row = options::flag(ctx, "headerRow", 0)? != Some(false);
    let table = Table::from_objects(ctx.input().iter().map(|item| &item.json));
    let content = if format == "csv" {
        let delimiter = options::text(ctx, "delimiter", 0)?.filter(|text| !text.is_empty());
        csv(&table, header_row, delimiter.as_deref().unwrap_or(","))
    } else {
        let sheet_name = options::text(ctx, "sheetName", 0)?.filter(|name| !name.is_empty());
        xlsx(&table, header_row, sheet_name.as_deref().unwrap_or("Sheet")).map_err(|error| {
            NodeError::operation(error.to_string()).with_description(
                "hint: Excel sheet names have at most 31 characters and none of []:*?/\\",
            )
        })?
    };
    let file_name =
        options::text(ctx, "fileName", 0)?.unwrap_or_else(|| format!("{default_name}.{format}"));
    Ok(prepare(&content, Some(&file_name), None))
}

/// What `createBinaryFromJson` is asked to do.
struct JsonToBinary {
    value: Value,
    file_name: Option<String>,
    mime_type: Option<String>,
    data_is_base64: bool,
    encoding: TextEncoding,
    add_bom: bool,
    format: bool,
}

/// n8n's `createBinaryFromJson`: the value (text, or JSON for anything else) encoded, or base64
/// decoded; a file without a name gets `file.<extension>`.
fn binary_from_json(request: JsonToBinary) -> BinaryData {
    let mut mime_type = request.mime_type;
    let content = if request.data_is_base64 {
        node_base64(&javascript_text(&request.value))
    } else {
        let text = match &request.value {
            Value::Object(_) | Value::Array(_) | Value::Null => {
                mime_type = Some("application/json".to_owned());
                stringify(&request.value, request.format)
            }
            other => javascript_text(other),
        };
        request.encoding.encode(&text, request.add_bom)
    };
    let mut file = prepare(&content, request.file_name.as_deref(), mime_type.as_deref());
    name_unnamed(&mut file);
    file
}

/// A file without a name gets `file.<extension>` (or `file`), as n8n names such files.
pub(crate) fn name_unnamed(file: &mut BinaryData) {
    if file.file_name.is_none() {
        file.file_name = Some(match &file.file_extension {
            Some(extension) => format!("file.{extension}"),
            None => "file".to_owned(),
        });
    }
}

/// What iconv-lite and `Buffer.from` make of a non-object value: `"" + (value || "")`.
pub(crate) fn javascript_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "true".to_owned(),
        Value::Number(number) if number.as_f64().is_some_and(|n| n != 0.0) => {
            crate::js_number::format_js_number(number.as_f64().unwrap_or_default())
        }
        _ => String::new(),
    }
}

/// The value at `sourceProperty` of item `index`, or n8n's error when it is not set.
fn source_value(ctx: &NodeContext<'_>, index: usize) -> Result<Value, NodeError> {
    let source: String = ctx.parameter_as("sourceProperty", index)?;
    let json = &ctx.input()[index].json;
    let value = if source.is_empty() {
        Some(Value::Object(json.clone()))
    } else {
        get_path(json, &source).cloned()
    };
    value.ok_or_else(|| NodeError::operation(format!("The value in \"{source}\" is not set")))
}

/// `toText` for item `index`.
fn text_file(ctx: &NodeContext<'_>, index: usize) -> Result<BinaryData, NodeError> {
    Ok(binary_from_json(JsonToBinary {
        value: source_value(ctx, index)?,
        file_name: Some(
            options::text(ctx, "fileName", index)?
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "file.txt".to_owned()),
        ),
        mime_type: Some("text/plain".to_owned()),
        data_is_base64: false,
        encoding: options::encoding(ctx, index)?.unwrap_or(TextEncoding::Utf8),
        add_bom: options::flag(ctx, "addBOM", index)?.unwrap_or(false),
        format: false,
    }))
}

/// `toBinary` for item `index`: version 1 may take the text as it is (`dataIsBase64: false`).
fn base64_file(ctx: &NodeContext<'_>, index: usize) -> Result<BinaryData, NodeError> {
    let data_is_base64 =
        ctx.node().type_version >= 1.1 || options::flag(ctx, "dataIsBase64", index)? != Some(false);
    Ok(binary_from_json(JsonToBinary {
        value: source_value(ctx, index)?,
        file_name: options::text(ctx, "fileName", index)?,
        mime_type: options::text(ctx, "mimeType", index)?,
        data_is_base64,
        encoding: options::encoding(ctx, index)?.unwrap_or(TextEncoding::Utf8),
        add_bom: options::flag(ctx, "addBOM", index)?.unwrap_or(false),
        format: false,
    }))
}

/// `toJson`: all items' JSON as one array (`index` `None`), or item `index`'s JSON.
fn json_file(ctx: &NodeContext<'_>, index: Option<usize>) -> Result<BinaryData, NodeError> {
    let at = index.unwrap_or(0);
    let value = match index {
        Some(index) => Value::Object(ctx.input()[index].json.clone()),
        None => Value::Array(
            ctx.input()
                .iter()
                .map(|item| Value::Object(item.json.clone()))
                .collect(),
        ),
    };
    Ok(binary_from_json(JsonToBinary {
        value,
        file_name: options::text(ctx, "fileName", at)?,
        mime_type: Some("application/json".to_owned()),
        data_is_base64: false,
        encoding: options::encoding(ctx, at)?.unwrap_or(TextEncoding::Utf8),
        add_bom: options::flag(ctx, "addBOM", at)?.unwrap_or(false),
        format: options::flag(ctx, "format", at)?.unwrap_or(false),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(value: Value) -> JsonToBinary {
        JsonToBinary {
            value,
            file_name: None,
            mime_type: None,
            data_is_base64: false,
            encoding: TextEncoding::Utf8,
            add_bom: false,
            format: false,
        }
    }

    #[test]
    fn json_values_become_json_files_and_text_stays_text() {
        let file = binary_from_json(JsonToBinary {
            format: true,
            ..request(json!([{"a": 1}]))
        });
        assert_eq!(
            file.data,
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                "[\n  {\n    \"a\": 1\n  }\n]"
            )
        );
        assert_eq!(
            (
                file.mime_type.as_str(),
                file.file_name.as_deref(),
                file.file_extension.as_deref()
            ),
            ("application/json", Some("file.json"), Some("json"))
        );
        let text = binary_from_json(JsonToBinary {
            mime_type: Some("text/plain".into()),
            file_name: Some("notes.md".into()),
            ..request(json!("# hi"))
        });
        assert_eq!(
            (
                text.mime_type.as_str(),
                text.file_name.as_deref(),
                text.file_extension.as_deref()
            ),
            ("text/plain", Some("notes.md"), Some("md"))
        );
        assert_eq!(javascript_text(&json!(0)), "");
        assert_eq!(javascript_text(&json!(12.5)), "12.5");
        assert_eq!(javascript_text(&json!(false)), "");
    }

    #[test]
    fn base64_is_decoded_and_typed_from_content_or_name() {
        let png = binary_from_json(JsonToBinary {
            data_is_base64: true,
            ..request(json!("iVBORw0KGgpmb28="))
        });
        assert_eq!(
            (
                png.mime_type.as_str(),
                png.file_name.as_deref(),
                png.other.get("fileSize")
            ),
            ("image/png", Some("file.png"), Some(&json!("11 B")))
        );
        let named = binary_from_json(JsonToBinary {
            data_is_base64: true,
            file_name: Some("a.csv".into()),
            ..request(json!("YSxi"))
        });
        assert_eq!(
            (named.mime_type.as_str(), named.data.as_str()),
            ("text/csv", "YSxi")
        );
        let plain = binary_from_json(JsonToBinary {
            data_is_base64: true,
            ..request(json!("aGk="))
        });
        assert_eq!(
            (plain.mime_type.as_str(), plain.file_name.as_deref()),
            ("text/plain", Some("file"))
        );
    }
}
