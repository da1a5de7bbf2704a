//! Binary properties as n8n's binary helpers make and read them: `prepareBinaryData`'s metadata
//! (MIME type from the name, else from the content's magic bytes, else `text/plain`; `fileType`,
//! `fileExtension`, `fileName`, `directory`, `fileSize` as pretty-bytes writes it, `bytes`), and
//! `assertBinaryData`'s errors for a missing property. Content read from an item is bounded by
//! [`MAX_FILE_BYTES`].

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, json};

use super::mime_types;
use crate::error::NodeError;
use crate::item::{BinaryData, Item};

/// The largest file a node decodes from an item (64 MiB): beyond it weft refuses rather than
/// holding several copies of it in memory.
pub(crate) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// n8n's `prepareBinaryData(content, filePath, mimeType)` in its default (in-memory) mode.
/// An empty `file_path` or `mime_type` counts as absent, as in n8n.
pub(crate) fn prepare(
    content: &[u8],
    file_path: Option<&str>,
    mime_type: Option<&str>,
) -> BinaryData {
    prepare_from(content, file_path, mime_type, Origin::Buffer)
}

/// Where `prepareBinaryData`'s content came from: a buffer (its magic bytes are read when
/// nothing else gives the type) or an HTTP response stream (never read for a type; the
/// `directory` is the response's URL when n8n's HTTP client followed redirects).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'u> {
    /// Content in memory.
    Buffer,
    /// An HTTP response; `Some(url)` when its URL names the directory.
    Response(Option<&'u str>),
}

/// n8n's `prepareBinaryData(content, filePath, mimeType)` for content from `origin`.
pub(crate) fn prepare_from(
    content: &[u8],
    file_path: Option<&str>,
    mime_type: Option<&str>,
    origin: Origin<'_>,
) -> BinaryData {
    let file_path = file_path.filter(|path| !path.is_empty()).map(Path::new);
    let mut extension = None;
    let mime_type = match mime_type.filter(|mime| !mime.is_empty()) {
        Some(given) => Some(given.to_owned()),
        None => file_path
            .and_then(mime_types::for_path)
            .map(str::to_owned)
            .or_else(|| match origin {
                Origin::Buffer => sniff(content).map(|(mime, ext)| {
                    extension = Some(ext.to_owned());
                    mime.to_owned()
                }),
                Origin::Response(_) => None,
            }),
    };
    if extension.is_none() {
        extension = mime_type
            .as_deref()
            .and_then(mime_types::extension_for)
            .map(str::to_owned);
    }
    let mime_type = mime_type.unwrap_or_else(|| "text/plain".to_owned());
    let mut other = Map::new();
    if let Some(file_type) = file_type(&mime_type) {
        other.insert("fileType".to_owned(), json!(file_type));
    }
    let mut file_name = None;
    if let Some(path) = file_path {
        let directory = match origin {
            Origin::Response(Some(url)) => Some(url.into()),
            _ => path
                .parent()
                .map(|dir| dir.to_string_lossy())
                .filter(|dir| !dir.is_empty()),
        };
        if let Some(directory) = directory {
            other.insert("directory".to_owned(), json!(directory));
        }
        file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        if let Some(own) = path
            .extension()
            .map(|ext| ext.to_string_lossy().into_owned())
            .filter(|ext| !ext.is_empty())
        {
            extension = Some(own);
        }
    }
    other.insert("fileSize".to_owned(), json!(pretty_bytes(content.len())));
    other.insert("bytes".to_owned(), json!(content.len()));
    BinaryData {
        data: STANDARD.encode(content),
        mime_type,
        file_name,
        file_extension: extension,
        other,
    }
}

/// The MIME type and extension the `file-type` package reads from a few well-known magic
/// numbers (images, PDF, archives); `None` for anything else, text included.
fn sniff(content: &[u8]) -> Option<(&'static str, &'static str)> {
    const MAGIC: [(&[u8], &str, &str); 7] = [
        (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
        (b"\xff\xd8\xff", "image/jpeg", "jpg"),
        (b"GIF8", "image/gif", "gif"),
        (b"%PDF", "application/pdf", "pdf"),
        (b"PK\x03\x04", "application/zip", "zip"),
        (b"\x1f\x8b\x08", "application/gzip", "gz"),
        (b"BM", "image/bmp", "bmp"),
    ];
    if content.len() >= 12 && &content[..4] == b"RIFF" && &content[8..12] == b"WEBP" {
        return Some(("image/webp", "webp"));
    }
    MAGIC
        .iter()
        .find(|(magic, _, _)| content.starts_with(magic))
        .map(|(_, mime, ext)| (*mime, *ext))
}

/// n8n's `fileType` for a MIME type.
pub(crate) fn file_type(mime_type: &str) -> Option<&'static str> {
    let kinds = [
        ("application/json", "json"),
        ("text/html", "html"),
        ("image/", "image"),
        ("audio/", "audio"),
        ("video/", "video"),
        ("text/", "text"),
        ("application/javascript", "text"),
        ("application/pdf", "pdf"),
    ];
    kinds
        .iter()
        .find(|(prefix, _)| mime_type.starts_with(prefix))
        .map(|(_, kind)| *kind)
}

/// A size as the `pretty-bytes` package writes it (n8n's `fileSize`): decimal units, three
/// significant digits, e.g. `47 B`, `1.23 kB`, `12 MB`.
pub(crate) fn pretty_bytes(bytes: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    if bytes == 0 {
        return "0 B".to_owned();
    }
    let size = bytes as f64;
    let exponent = ((size.log10() / 3.0).floor() as usize).min(UNITS.len() - 1);
    let scaled = size / 1000f64.powi(exponent as i32);
    let digits = 2 - (scaled.log10().floor() as i32).clamp(0, 2);
    let factor = 10f64.powi(digits);
    let rounded = (scaled * factor).round() / factor;
    format!("{rounded} {}", UNITS[exponent])
}

/// The binary property `property` of `item`, or n8n's `assertBinaryData` errors.
pub(crate) fn input_binary<'i>(
    item: &'i Item,
    property: &str,
    index: usize,
) -> Result<&'i BinaryData, NodeError> {
    let binary = item
        .binary
        .as_ref()
        .ok_or_else(|| NodeError::operation("No binary data exists on item!"))?;
    binary.get(property).ok_or_else(|| {
        NodeError::operation(format!(
            "The item has no binary field '{property}' [item {index}]"
        ))
        .with_description(
            "Check that the parameter where you specified the input binary field name is \
             correct, and that it matches a field in the binary input",
        )
    })
}

/// The decoded content of `binary` (property `property` of item `index`), refused beyond
/// [`MAX_FILE_BYTES`] before it is decoded.
pub(crate) fn content(
    binary: &BinaryData,
    property: &str,
    index: usize,
) -> Result<Vec<u8>, NodeError> {
    let estimated = binary.data.len() / 4 * 3;
    if estimated > MAX_FILE_BYTES {
        return Err(NodeError::operation(format!(
            "The file in binary field '{property}' is about {} large, more than weft's limit of {} [item {index}]",
            pretty_bytes(estimated),
            pretty_bytes(MAX_FILE_BYTES)
        ))
        .with_description(
            "hint: split the file before this node (e.g. a Code node or a smaller export), \
             or process it outside the workflow",
        ));
    }
    decode(binary, property, index)
}

/// The decoded content of `binary` (property `property` of item `index`).
pub(crate) fn decode(
    binary: &BinaryData,
    property: &str,
    index: usize,
) -> Result<Vec<u8>, NodeError> {
    STANDARD.decode(binary.data.as_bytes()).map_err(|_| {
        NodeError::operation(format!(
            "The binary field '{property}' does not hold base64 data [item {index}]"
        ))
        .with_description("hint: produce the field with a node that reads or downloads a file")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_as_pretty_bytes_does() {
        let cases = [
            (0, "0 B"),
            (47, "47 B"),
            (999, "999 B"),
            (1000, "1 kB"),
            (1234, "1.23 kB"),
            (12_345, "12.3 kB"),
            (123_456, "123 kB"),
            (1_500_000, "1.5 MB"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(pretty_bytes(bytes), expected, "{bytes}");
        }
    }

    #[test]
    fn metadata_comes_from_the_name_the_type_or_the_content() {
        let named = prepare(b"a,b\n", Some("out/File.csv"), None);
        assert_eq!(
            serde_json::to_value(&named).unwrap(),
            json!({ "data": "YSxiCg==", "mimeType": "text/csv", "fileType": "text",
                    "directory": "out", "fileName": "File.csv", "fileExtension": "csv",
                    "fileSize": "4 B", "bytes": 4 })
        );
        let typed = prepare(b"{}", None, Some("application/json"));
        assert_eq!(
            (
                typed.file_name.as_deref(),
                typed.file_extension.as_deref(),
                typed.other.get("fileType")
            ),
            (None, Some("json"), Some(&json!("json")))
        );
        let png = prepare(b"\x89PNG\r\n\x1a\nrest", None, Some(""));
        assert_eq!(
            (png.mime_type.as_str(), png.file_extension.as_deref()),
            ("image/png", Some("png"))
        );
        let text = prepare(b"hello", Some(""), None);
        assert_eq!(
            (
                text.mime_type.as_str(),
                text.file_extension.as_deref(),
                text.file_name
            ),
            ("text/plain", None, None),
            "text/plain is only the fallback: it gives no extension"
        );
        let unknown_extension = prepare(b"x", Some("notes.weird"), None);
        assert_eq!(
            (
                unknown_extension.mime_type.as_str(),
                unknown_extension.file_extension.as_deref()
            ),
            ("text/plain", Some("weird")),
            "the name's own extension wins over the type's"
        );
    }

    #[test]
    fn content_is_bounded_and_must_be_base64() {
        let mut binary = prepare(b"hi", None, None);
        assert_eq!(content(&binary, "data", 0).unwrap(), b"hi");
        binary.data = "!!".to_owned();
        assert!(
            content(&binary, "data", 0)
                .unwrap_err()
                .message
                .contains("base64")
        );
        binary.data = "A".repeat(MAX_FILE_BYTES / 3 * 4 + 8);
        let error = content(&binary, "data", 3).unwrap_err();
        assert!(
            error.message.contains("weft's limit of 67.1 MB [item 3]"),
            "{}",
            error.message
        );
        assert!(error.description.unwrap().starts_with("hint:"));
    }

    #[test]
    fn missing_binary_fields_are_n8n_errors() {
        let item = Item::default();
        assert_eq!(
            input_binary(&item, "data", 0).unwrap_err().message,
            "No binary data exists on item!"
        );
        let item = Item {
            binary: Some(Default::default()),
            ..Item::default()
        };
        assert_eq!(
            input_binary(&item, "file", 2).unwrap_err().message,
            "The item has no binary field 'file' [item 2]"
        );
    }
}
