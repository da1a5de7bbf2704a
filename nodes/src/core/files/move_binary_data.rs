//! Move Binary Data (`n8n-nodes-base.moveBinaryData`, typeVersions 1 and 1.1): n8n's legacy
//! "Convert to/from binary data" node. `binaryToJson` decodes a binary property into the item's
//! JSON (all of it, parsed, or one field as text, base64 or parsed JSON); `jsonToBinary` writes
//! the JSON (all of it or one field) into a binary property, JSON-stringified unless asked for
//! the raw text or base64. Items without the source are dropped, as in n8n. Typeversion 1.1
//! names an unnamed file `file.<extension>`; typeVersion 1 types an untyped file as JSON.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::super::binary_data::{content, prepare};
use super::super::paths::{get_path, remove_path, set_path};
use super::convert_to_file::{javascript_text, name_unnamed};
use super::encoding::{TextEncoding, node_base64};
use super::encoding_choices::ENCODING_CHOICES;
use super::json_text::stringify;
use super::options;
use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{BinaryData, Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The Move Binary Data node.
pub struct MoveBinaryData;

use crate::description::Show;
const TO_JSON: Show = &[("mode", &[Condition::Is(Literal::String("binaryToJson"))])];
const TO_BINARY: Show = &[("mode", &[Condition::Is(Literal::String("jsonToBinary"))])];
const OPTION_TO_BINARY: Show = &[("/mode", &[Condition::Is(Literal::String("jsonToBinary"))])];
/// The encodings iconv-lite handles a byte-order mark for.
const BOM_AWARE: &[Condition] = &[
    Condition::Is(Literal::String("utf8")),
    Condition::Is(Literal::String("cesu8")),
    Condition::Is(Literal::String("ucs2")),
];

const fn key(
    name: &'static str,
    display: &'static str,
    show: Show,
    what: &'static str,
) -> Parameter {
    Parameter::new(name, display, ParameterKind::String)
        .default(Literal::String("data"))
        .required()
        .show(show)
        .describe(what)
}

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.moveBinaryData",
    display_name: "Convert to/from binary data",
    description: "Move data between binary and JSON properties",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("Binary to JSON", Literal::String("binaryToJson")),
                Choice::new("JSON to Binary", Literal::String("jsonToBinary")),
            ]),
        )
        .default(Literal::String("binaryToJson"))
        .describe("From and to where data should be moved"),
        Parameter::new("setAllData", "Set All Data", ParameterKind::Boolean)
            .default(Literal::Bool(true))
            .show(TO_JSON)
            .describe("Whether the item's JSON is replaced by the parsed file, else the file goes into one field"),
        key("sourceKey", "Source Key", TO_JSON, "The binary property to read the file from"),
        key(
            "destinationKey",
            "Destination Key",
            &[
                ("mode", &[Condition::Is(Literal::String("binaryToJson"))]),
                ("setAllData", &[Condition::Is(Literal::Bool(false))]),
            ],
            "The JSON field to put the data in, with dot-notation for deep fields",
        ),
        Parameter::new("convertAllData", "Convert All Data", ParameterKind::Boolean)
            .default(Literal::Bool(true))
            .show(TO_BINARY)
            .describe("Whether all the item's JSON goes into the file, else one field"),
        key(
            "sourceKey",
            "Source Key",
            &[
                ("convertAllData", &[Condition::Is(Literal::Bool(false))]),
                ("mode", &[Condition::Is(Literal::String("jsonToBinary"))]),
            ],
            "The JSON field to read the data from, with dot-notation for deep fields",
        ),
        key("destinationKey", "Destination Key", TO_BINARY, "The binary property to put the file in"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("addBOM", "Add Byte Order Mark (BOM)", ParameterKind::Boolean)
                    .show(&[
                        ("/mode", &[Condition::Is(Literal::String("jsonToBinary"))]),
                        ("encoding", BOM_AWARE),
                    ])
                    .describe("Whether to start the file with a byte-order mark"),
                Parameter::new("dataIsBase64", "Data Is Base64", ParameterKind::Boolean)
                    .show(&[
                        ("/mode", &[Condition::Is(Literal::String("jsonToBinary"))]),
                        ("/convertAllData", &[Condition::Is(Literal::Bool(false))]),
                    ])
                    .hide(&[("useRawData", &[Condition::Is(Literal::Bool(true))])])
                    .describe("Whether the field already holds the file as base64"),
                Parameter::new("encoding", "Encoding", ParameterKind::Options(ENCODING_CHOICES))
                    .default(Literal::String("utf8"))
                    .describe("The character set to decode or encode the data with"),
                Parameter::new("stripBOM", "Strip BOM", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .show(&[
                        ("/mode", &[Condition::Is(Literal::String("binaryToJson"))]),
                        ("encoding", BOM_AWARE),
                    ])
                    .describe("Whether to strip the byte-order mark from the file"),
                Parameter::new("fileName", "File Name", ParameterKind::String)
                    .show(OPTION_TO_BINARY)
                    .describe("The file name to set"),
                Parameter::new("jsonParse", "JSON Parse", ParameterKind::Boolean)
                    .show(&[
                        ("/mode", &[Condition::Is(Literal::String("binaryToJson"))]),
                        ("/setAllData", &[Condition::Is(Literal::Bool(false))]),
                    ])
                    .hide(&[("keepAsBase64", &[Condition::Is(Literal::Bool(true))])])
                    .describe("Whether to parse the text as JSON"),
                Parameter::new("keepSource", "Keep Source", ParameterKind::Boolean)
                    .describe("Whether the source key should be kept; by default it is deleted"),
                Parameter::new("keepAsBase64", "Keep As Base64", ParameterKind::Boolean)
                    .show(&[
                        ("/mode", &[Condition::Is(Literal::String("binaryToJson"))]),
                        ("/setAllData", &[Condition::Is(Literal::Bool(false))]),
                    ])
                    .hide(&[("jsonParse", &[Condition::Is(Literal::Bool(true))])])
                    .describe("Whether to keep the binary data as base64 string"),
                Parameter::new("mimeType", "MIME Type", ParameterKind::String)
                    .default(Literal::String("application/json"))
                    .show(OPTION_TO_BINARY)
                    .describe("The MIME type to set; by default the one for JSON"),
                Parameter::new("useRawData", "Use Raw Data", ParameterKind::Boolean)
                    .show(OPTION_TO_BINARY)
                    .hide(&[("dataIsBase64", &[Condition::Is(Literal::Bool(true))])])
                    .describe("Whether to write a text field as it is instead of JSON-stringified"),
            ]),
        ),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for MoveBinaryData {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        options::unsupported_encoding("Move Binary Data", parameters)
            .into_iter()
            .collect()
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mode: String = ctx.parameter_as("mode", 0)?;
        let mut items = Vec::with_capacity(ctx.input().len());
        for index in 0..ctx.input().len() {
            let moved = match mode.as_str() {
                "binaryToJson" => binary_to_json(ctx, index),
                "jsonToBinary" => json_to_binary(ctx, index),
                _ => Err(
                    NodeError::operation(format!("The operation \"{mode}\" is not known!"))
                        .with_description("hint: set `mode` to binaryToJson or jsonToBinary"),
                ),
            };
            match moved {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {}
                Err(error) => return Err(error.for_item(index)),
            }
        }
        out.emit(0, items).await
    }
}

register_node!(MoveBinaryData);

/// The encoding of item `index` (`utf8` unless set).
fn encoding(ctx: &NodeContext<'_>, index: usize) -> Result<TextEncoding, NodeError> {
    Ok(options::encoding(ctx, index)?.unwrap_or(TextEncoding::Utf8))
}

/// `binaryToJson` for item `index`; `None` when the item has no such binary property.
fn binary_to_json(ctx: &NodeContext<'_>, index: usize) -> Result<Option<Item>, NodeError> {
    let input = &ctx.input()[index];
    let source: String = ctx.parameter_as("sourceKey", index)?;
    let Some(file) = input.binary.as_ref().and_then(|binary| binary.get(&source)) else {
        return Ok(None);
    };
    let bytes = content(file, &source, index)?;
    let strip_bom = options::flag(ctx, "stripBOM", index)? != Some(false);
    let text =
        || -> Result<String, NodeError> { Ok(encoding(ctx, index)?.decode(&bytes, strip_bom)) };
    let json = if ctx.parameter_as::<bool>("setAllData", index)? {
        match parse_json(&text()?)? {
            Value::Object(object) => object,
            other => {
                return Err(NodeError::operation(format!(
                    "The file in binary property \"{source}\" holds JSON that is not an object ({})",
                    json_kind(&other)
                ))
                .with_description("hint: turn off Set All Data to put the value into one field"));
            }
        }
    } else {
        let value = if options::flag(ctx, "keepAsBase64", index)? == Some(true) {
            Value::String(STANDARD.encode(&bytes))
        } else {
            Value::String(text()?)
        };
        let value = match value {
            Value::String(text) if options::flag(ctx, "jsonParse", index)? == Some(true) => {
                parse_json(&text)?
            }
            other => other,
        };
        let destination: String = ctx.parameter_as("destinationKey", index)?;
        let mut json = input.json.clone();
        set_path(&mut json, &destination, value)
            .map_err(|error| NodeError::operation(error.to_string()))?;
        json
    };
    let mut binary = input.binary.clone().unwrap_or_default();
    if options::flag(ctx, "keepSource", index)? != Some(true) {
        binary.remove(&source);
    }
    Ok(Some(Item {
        json,
        binary: Some(binary),
        paired_item: Some(PairedItems::One(PairedItem::new(index))),
        ..Item::default()
    }))
}

/// `jsonToBinary` for item `index`; `None` when the source field is not set.
fn json_to_binary(ctx: &NodeContext<'_>, index: usize) -> Result<Option<Item>, NodeError> {
    let input = &ctx.input()[index];
    let convert_all = ctx.parameter_as::<bool>("convertAllData", index)?;
    let source = if convert_all {
        None
    } else {
        Some(ctx.parameter_as::<String>("sourceKey", index)?)
    };
    let value = match &source {
        None => Value::Object(input.json.clone()),
        Some(path) => match get_path(&input.json, path) {
            Some(value) => value.clone(),
            None => return Ok(None),
        },
    };
    let file = file_of(
        &value,
        &FileOptions {
            data_is_base64: options::flag(ctx, "dataIsBase64", index)? == Some(true),
            use_raw_data: options::flag(ctx, "useRawData", index)? == Some(true),
            encoding: encoding(ctx, index)?,
            add_bom: options::flag(ctx, "addBOM", index)? == Some(true),
            file_name: options::text(ctx, "fileName", index)?,
            mime_type: options::text(ctx, "mimeType", index)?.filter(|mime| !mime.is_empty()),
            version: ctx.node().type_version,
        },
    );
    let destination: String = ctx.parameter_as("destinationKey", index)?;
    let mut binary = input.binary.clone().unwrap_or_default();
    binary.insert(destination, file);
    let json = match (
        &source,
        options::flag(ctx, "keepSource", index)? == Some(true),
    ) {
        (_, true) => input.json.clone(),
        (None, false) => Map::new(),
        (Some(path), false) => {
            let mut json = input.json.clone();
            remove_path(&mut json, path);
            json
        }
    };
    Ok(Some(Item {
        json,
        binary: Some(binary),
        paired_item: Some(PairedItems::One(PairedItem::new(index))),
        ..Item::default()
    }))
}

/// How `jsonToBinary` makes its file.
struct FileOptions {
    data_is_base64: bool,
    use_raw_data: bool,
    encoding: TextEncoding,
    add_bom: bool,
    file_name: Option<String>,
    mime_type: Option<String>,
    version: f64,
}

/// The file of `value`: base64-decoded, or its text (JSON-stringified unless raw) encoded.
fn file_of(value: &Value, options: &FileOptions) -> BinaryData {
    let mut mime_type = options.mime_type.clone();
    let content = if options.data_is_base64 {
        node_base64(&javascript_text(value))
    } else {
        let raw = options.use_raw_data
            && !matches!(value, Value::Object(_) | Value::Array(_) | Value::Null);
        let text = if raw {
            javascript_text(value)
        } else {
            mime_type.get_or_insert_with(|| "application/json".to_owned());
            stringify(value, false)
        };
        options.encoding.encode(&text, options.add_bom)
    };
    if options.version < 1.1 {
        mime_type.get_or_insert_with(|| "application/json".to_owned());
    }
    let mut file = prepare(&content, options.file_name.as_deref(), mime_type.as_deref());
    if options.version >= 1.1 {
        name_unnamed(&mut file);
    }
    file
}

/// n8n's `jsonParse`: `JSON.parse`, failing on text that is not JSON.
fn parse_json(text: &str) -> Result<Value, NodeError> {
    serde_json::from_str(text).map_err(|error| {
        NodeError::operation(format!("The data is not valid JSON: {error}")).with_description(
            "hint: turn off JSON Parse (or Set All Data) to keep the text as it is",
        )
    })
}

/// JavaScript's name for the kind of a JSON value.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options(version: f64) -> FileOptions {
        FileOptions {
            data_is_base64: false,
            use_raw_data: false,
            encoding: TextEncoding::Utf8,
            add_bom: false,
            file_name: None,
            mime_type: None,
            version,
        }
    }

    fn text(file: &BinaryData) -> String {
        String::from_utf8(STANDARD.decode(&file.data).unwrap()).unwrap()
    }

    #[test]
    fn files_are_made_as_n8n_makes_them_per_option_and_version() {
        // (value, options, content, mime type, file name)
        let cases: Vec<(Value, FileOptions, &str, &str, Option<&str>)> = vec![
            (
                json!({"a": 1}),
                options(1.1),
                r#"{"a":1}"#,
                "application/json",
                Some("file.json"),
            ),
            (
                json!({"a": 1}),
                options(1.0),
                r#"{"a":1}"#,
                "application/json",
                None,
            ),
            (
                json!("hi"),
                options(1.1),
                r#""hi""#,
                "application/json",
                Some("file.json"),
            ),
            (
                json!("hi"),
                FileOptions {
                    use_raw_data: true,
                    ..options(1.1)
                },
                "hi",
                "text/plain",
                Some("file"),
            ),
            (
                json!("hi"),
                FileOptions {
                    use_raw_data: true,
                    ..options(1.0)
                },
                "hi",
                "application/json",
                None,
            ),
            (
                json!({"a": 1}),
                FileOptions {
                    use_raw_data: true,
                    ..options(1.1)
                },
                r#"{"a":1}"#,
                "application/json",
                Some("file.json"),
            ),
            (
                json!("aGk="),
                FileOptions {
                    data_is_base64: true,
                    ..options(1.1)
                },
                "hi",
                "text/plain",
                Some("file"),
            ),
            (
                json!("a,b"),
                FileOptions {
                    use_raw_data: true,
                    file_name: Some("x.csv".into()),
                    mime_type: Some("text/csv".into()),
                    ..options(1.1)
                },
                "a,b",
                "text/csv",
                Some("x.csv"),
            ),
            (
                json!("é"),
                FileOptions {
                    use_raw_data: true,
                    add_bom: true,
                    ..options(1.1)
                },
                "\u{feff}é",
                "text/plain",
                Some("file"),
            ),
        ];
        for (value, options, content, mime, name) in cases {
            let file = file_of(&value, &options);
            assert_eq!(text(&file), content, "{value}");
            assert_eq!(file.mime_type, mime, "{value}");
            assert_eq!(file.file_name.as_deref(), name, "{value}");
        }
    }

    #[test]
    fn text_that_is_not_json_fails_with_a_hint() {
        assert_eq!(
            parse_json(r#"[1,{"a":null}]"#).unwrap(),
            json!([1, {"a": null}])
        );
        let error = parse_json("a,b").unwrap_err();
        assert!(
            error.message.starts_with("The data is not valid JSON"),
            "{error:?}"
        );
        assert!(error.description.unwrap().starts_with("hint:"));
    }
}
