//! Read/Write Files from Disk (`n8n-nodes-base.readWriteFile`, typeVersions 1 and 1.1).
//!
//! `read` turns every file a path or glob pattern matches into one item per file: the content as
//! a binary property (`data` unless `options.dataPropertyName` says otherwise) with n8n's
//! metadata (`mimeType`, `fileType`, `fileExtension`, `fileName`, `directory`, `fileSize` as
//! `"47 B"`, `bytes`) and the same metadata, without the directory and byte count, as `json`. A
//! pattern that matches nothing gives no item, as in n8n. `write` writes (or, with
//! `options.append`, appends) an item's binary property to a file and passes the item on with
//! `json.fileName` set to the path. Files in weft's own folder are refused ([`crate::FileAccess`]).

use std::io::ErrorKind as IoErrorKind;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::binary_data::{self, file_type, input_binary, pretty_bytes};
use super::mime_types;
use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{BinaryData, Item};
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The Read/Write Files from Disk node.
pub struct ReadWriteFile;

const READ: &[(&str, &[Condition])] = &[("operation", &[Condition::Is(Literal::String("read"))])];
const WRITE: &[(&str, &[Condition])] = &[("operation", &[Condition::Is(Literal::String("write"))])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.readWriteFile",
    display_name: "Read/Write Files from Disk",
    description: "Reads files from or writes a file to the disk of the machine that runs weft",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Read File(s) From Disk", Literal::String("read")),
                Choice::new("Write File to Disk", Literal::String("write")),
            ]),
        )
        .no_data_expression(),
        Parameter::new("fileSelector", "File(s) Selector", ParameterKind::String)
            .required()
            .show(READ)
            .describe(
                "A file's path, or a glob pattern (`*`, `**`, `?`, `[…]`) matching several files; \
                 forward slashes",
            ),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("fileExtension", "File Extension", ParameterKind::String)
                    .describe("Extension of the file in the output binary, e.g. `zip`"),
                Parameter::new("fileName", "File Name", ParameterKind::String)
                    .describe("Name of the file in the output binary, e.g. `data.zip`"),
                Parameter::new("mimeType", "Mime Type", ParameterKind::String)
                    .describe("MIME type of the file in the output binary, e.g. `application/zip`"),
                Parameter::new(
                    "dataPropertyName",
                    "Put Output File in Field",
                    ParameterKind::String,
                )
                .default(Literal::String("data"))
                .describe("The binary property the file goes into"),
            ]),
        )
        .show(READ),
        Parameter::new("fileName", "File Path and Name", ParameterKind::String)
            .required()
            .show(WRITE)
            .describe("Path and name of the file to write, with its extension"),
        Parameter::new(
            "dataPropertyName",
            "Input Binary Field",
            ParameterKind::String,
        )
        .default(Literal::String("data"))
        .required()
        .show(WRITE)
        .describe("The input binary property holding the file to write"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "append",
                "Append",
                ParameterKind::Boolean,
            )
            .describe("Whether to append to an existing file instead of replacing it")]),
        )
        .show(WRITE),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for ReadWriteFile {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        for index in 0..ctx.input().len() {
            let result = match operation.as_str() {
                "write" => write_item(ctx, index).await.map(|item| vec![item]),
                _ => read_item(ctx, index).await,
            };
            match result {
                Ok(items) => out.emit(0, items).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

register_node!(ReadWriteFile);

/// What `read` was asked to put into the binary property besides the detected metadata.
#[derive(Debug, Default)]
struct Overrides {
    file_extension: Option<String>,
    file_name: Option<String>,
    mime_type: Option<String>,
}

/// The items of `read` for input item `index`.
async fn read_item(ctx: &NodeContext<'_>, index: usize) -> Result<Vec<Item>, NodeError> {
    let selector = match ctx.parameter("fileSelector", index)? {
        Value::String(text) => text,
        other => other.to_string(),
    };
    let option = |name: &str| -> Result<Option<String>, NodeError> {
        Ok(ctx
            .optional_parameter(&format!("options.{name}"), index)?
            .map(|value| match value {
                Value::String(text) => text,
                other => other.to_string(),
            }))
    };
    let property = option("dataPropertyName")?
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "data".to_owned());
    let overrides = Overrides {
        file_extension: option("fileExtension")?,
        file_name: option("fileName")?,
        mime_type: option("mimeType")?,
    };
    let mut items = Vec::new();
    for path in matching_files(&selector).await? {
        ctx.files().check(&path)?;
        let content = tokio::fs::read(&path)
            .await
            .map_err(|error| read_error(&path, &error))?;
        let binary = file_binary(&path, &content, &overrides);
        let json = binary_summary(&binary);
        items.push(Item {
            binary: Some([(property.clone(), binary)].into()),
            ..Item::new(json, index)
        });
    }
    Ok(items)
}

/// The files (not folders) that `selector` names, sorted; a selector without glob characters
/// names at most itself. Dot files match only a pattern that spells the dot, as in n8n.
async fn matching_files(selector: &str) -> Result<Vec<PathBuf>, NodeError> {
    let pattern = selector.to_owned();
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    tokio::task::spawn_blocking(move || -> Result<Vec<PathBuf>, NodeError> {
        let paths = glob::glob_with(&pattern, options).map_err(|error| {
            NodeError::operation(format!(
                "The file selector \"{pattern}\" is not a valid pattern"
            ))
            .with_description(format!(
                "{error} (hint: use `*`, `**` and `?` wildcards and close every `[`)"
            ))
        })?;
        let mut files = Vec::new();
        for path in paths {
            let path = path.map_err(|error| read_error(error.path(), error.error()))?;
            if path.is_file() {
                files.push(path);
            }
        }
        Ok(files)
    })
    .await
    .map_err(|error| NodeError::operation(format!("Listing files failed: {error}")))?
}

/// The binary property for the file at `path` with `content`, metadata as n8n's
/// `prepareBinaryData` computes it: the MIME type from the extension (`text/plain` when unknown;
/// a file without extension gets `text/plain`'s, `txt`), then the overrides.
fn file_binary(path: &Path, content: &[u8], overrides: &Overrides) -> BinaryData {
    let detected = mime_types::for_path(path).unwrap_or("text/plain");
    let mut other = Map::new();
    if let Some(file_type) = file_type(detected) {
        other.insert("fileType".to_owned(), json!(file_type));
    }
    if let Some(directory) = path
        .parent()
        .map(|dir| dir.to_string_lossy())
        .filter(|dir| !dir.is_empty())
    {
        other.insert("directory".to_owned(), json!(directory));
    }
    other.insert("fileSize".to_owned(), json!(pretty_bytes(content.len())));
    other.insert("bytes".to_owned(), json!(content.len()));
    let extension = path
        .extension()
        .map(|ext| ext.to_string_lossy().into_owned())
        .filter(|ext| !ext.is_empty())
        .unwrap_or_else(|| "txt".to_owned());
    BinaryData {
        data: STANDARD.encode(content),
        mime_type: overrides
            .mime_type
            .clone()
            .unwrap_or_else(|| detected.to_owned()),
        file_name: overrides.file_name.clone().or_else(|| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        }),
        file_extension: overrides.file_extension.clone().or(Some(extension)),
        other,
    }
}

/// The `json` of a read item: the binary metadata without content, directory and byte count.
fn binary_summary(binary: &BinaryData) -> Map<String, Value> {
    let mut json = Map::new();
    json.insert("mimeType".to_owned(), json!(binary.mime_type));
    if let Some(file_type) = binary.other.get("fileType") {
        json.insert("fileType".to_owned(), file_type.clone());
    }
    if let Some(name) = &binary.file_name {
        json.insert("fileName".to_owned(), json!(name));
    }
    if let Some(extension) = &binary.file_extension {
        json.insert("fileExtension".to_owned(), json!(extension));
    }
    if let Some(size) = binary.other.get("fileSize") {
        json.insert("fileSize".to_owned(), size.clone());
    }
    json
}

/// The item of `write` for input item `index`: the input, `json.fileName` set to the path.
async fn write_item(ctx: &NodeContext<'_>, index: usize) -> Result<Item, NodeError> {
    let file_name: String = ctx.parameter_as("fileName", index)?;
    let property: String = ctx.parameter_as("dataPropertyName", index)?;
    let append = ctx
        .optional_parameter("options.append", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(false);
    let input = &ctx.input()[index];
    let binary = input_binary(input, &property, index)?;
    let content = binary_data::decode(binary, &property, index)?;
    let path = Path::new(&file_name);
    ctx.files().check(path)?;
    write_file(path, &content, append).await?;
    let mut item = input.clone().paired_to(index);
    item.error = None;
    item.json.insert("fileName".to_owned(), json!(file_name));
    Ok(item)
}

/// Writes (or appends) `content` to `path`.
async fn write_file(path: &Path, content: &[u8], append: bool) -> Result<(), NodeError> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    let written = async {
        let mut file = options.open(path).await?;
        file.write_all(content).await?;
        file.flush().await
    };
    written.await.map_err(|error| {
        let shown = path.display();
        match error.kind() {
            IoErrorKind::PermissionDenied => NodeError::operation(format!(
                "You don't have the permissions to write the file {shown}"
            ))
            .with_description(
                "Specify another destination folder in 'File Path and Name', or change the \
                 permissions of the parent folder",
            ),
            IoErrorKind::NotFound => {
                NodeError::operation(format!("The folder of {shown} does not exist"))
                    .with_description("hint: create the folder first, or fix 'File Path and Name'")
            }
            _ => NodeError::operation(format!("Could not write the file {shown}: {error}"))
                .with_description("hint: check that the path names a file, not a folder"),
        }
        .with_cause(error.to_string())
    })
}

/// The error for a file that matched but could not be read.
fn read_error(path: &Path, error: &std::io::Error) -> NodeError {
    let shown = path.display();
    let failure = match error.kind() {
        IoErrorKind::PermissionDenied => NodeError::operation(format!(
            "You don't have the permissions to access {shown}"
        ))
        .with_description(
            "Verify that the path specified in 'File(s) Selector' is correct, or change the \
             file(s) permissions if needed",
        ),
        _ => NodeError::operation(format!("Could not read the file {shown}: {error}"))
            .with_description("hint: check that the file still exists and is readable"),
    };
    failure.with_cause(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(selector: &str) -> Vec<(PathBuf, BinaryData)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let files = runtime.block_on(matching_files(selector)).unwrap();
        files
            .into_iter()
            .map(|path| {
                let content = std::fs::read(&path).unwrap();
                let binary = file_binary(&path, &content, &Overrides::default());
                (path, binary)
            })
            .collect()
    }

    #[test]
    fn metadata_follows_n8n() {
        let binary = file_binary(
            Path::new("/tmp/files/hello.txt"),
            b"Hello",
            &Overrides::default(),
        );
        assert_eq!(
            serde_json::to_value(&binary).unwrap(),
            json!({
                "data": "SGVsbG8=", "mimeType": "text/plain", "fileType": "text",
                "fileExtension": "txt", "fileName": "hello.txt", "directory": "/tmp/files",
                "fileSize": "5 B", "bytes": 5,
            })
        );
        assert_eq!(
            Value::Object(binary_summary(&binary)),
            json!({ "mimeType": "text/plain", "fileType": "text", "fileName": "hello.txt",
                    "fileExtension": "txt", "fileSize": "5 B" })
        );
        let unknown = file_binary(Path::new("README"), b"", &Overrides::default());
        assert_eq!(
            (
                unknown.mime_type.as_str(),
                unknown.file_extension.as_deref()
            ),
            ("text/plain", Some("txt")),
            "no extension: text/plain and its extension"
        );
        assert_eq!(unknown.other.get("directory"), None);
        let image = file_binary(
            Path::new("a/b.png"),
            b"",
            &Overrides {
                file_name: Some("c.bin".to_owned()),
                mime_type: Some("application/octet-stream".to_owned()),
                file_extension: None,
            },
        );
        assert_eq!(
            (
                image.mime_type.as_str(),
                image.file_name.as_deref(),
                image.other.get("fileType")
            ),
            (
                "application/octet-stream",
                Some("c.bin"),
                Some(&json!("image"))
            ),
            "overrides replace the detected values, fileType stays"
        );
    }

    #[test]
    fn globs_match_files_only_sorted_and_skip_dot_files() {
        let dir = std::env::temp_dir().join(format!("weft-rwf-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub.txt")).unwrap();
        for name in ["b.txt", "a.txt", ".hidden.txt", "c.csv"] {
            std::fs::write(dir.join(name), name).unwrap();
        }
        let names = |selector: &str| -> Vec<String> {
            read_back(selector)
                .into_iter()
                .map(|(_, binary)| binary.file_name.unwrap())
                .collect()
        };
        let base = dir.display();
        assert_eq!(names(&format!("{base}/*.txt")), ["a.txt", "b.txt"]);
        assert_eq!(names(&format!("{base}/c.csv")), ["c.csv"]);
        assert!(names(&format!("{base}/missing.txt")).is_empty());
        let csv = &read_back(&format!("{base}/c.csv"))[0].1;
        assert_eq!(
            (csv.mime_type.as_str(), csv.other.get("fileType")),
            ("text/csv", Some(&json!("text")))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writing_creates_replaces_and_appends() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let dir = std::env::temp_dir().join(format!("weft-rwf-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("out.txt");
        runtime.block_on(async {
            write_file(&file, b"one", false).await.unwrap();
            write_file(&file, b"two", false).await.unwrap();
            write_file(&file, b"+three", true).await.unwrap();
        });
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two+three");
        let error = runtime
            .block_on(write_file(&dir.join("none/out.txt"), b"", false))
            .unwrap_err();
        assert!(error.message.contains("none/out.txt"), "{}", error.message);
        assert!(
            error
                .description
                .unwrap()
                .starts_with("hint: create the folder")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
