//! HTTP Request's file responses (`responseFormat: file`, and from typeVersion 3 on an
//! autodetected binary `Content-Type`): the body becomes a binary property named and typed as
//! n8n's `prepareBinaryData` does for a response stream (the `Content-Disposition` file name,
//! else the URL's path; the type from `Content-Type`, else from that name), then, from
//! typeVersion 3 on, as its `setFilename` names a file the response left unnamed.

use serde_json::{Map, Value};
use url::Url;

use super::response::Options;
use crate::core::binary_data::{Origin, prepare_from};
use crate::item::BinaryData;

/// Content types an autodetecting HTTP Request reads as files (n8n's `binaryContentTypes`).
const BINARY_CONTENT_TYPES: &[&str] = &[
    "image/",
    "audio/",
    "video/",
    "application/octet-stream",
    "application/gzip",
    "application/zip",
    "application/vnd.rar",
    "application/epub+zip",
    "application/x-bzip",
    "application/x-bzip2",
    "application/x-cdf",
    "application/vnd.amazon.ebook",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-fontobject",
    "application/vnd.oasis.opendocument.presentation",
    "application/pdf",
    "application/x-tar",
    "application/vnd.visio",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/x-7z-compressed",
];

/// Whether an autodetecting HTTP Request reads a response of `content_type` as a file.
pub fn is_binary_content_type(content_type: &str) -> bool {
    BINARY_CONTENT_TYPES
        .iter()
        .any(|binary| content_type.contains(binary))
}

/// How a file response is named: facts of the request it answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Naming {
    /// The client followed redirects. n8n's client then knows the response's URL: the file's
    /// path is that URL's path and its `directory` the URL; otherwise the path is the request's
    /// path and query, and there is no `directory`.
    pub redirects_followed: bool,
    /// From typeVersion 3 on, the request's URI (without the query the node adds): a file the
    /// response leaves unnamed is named after its last segment when it ends with the file's
    /// extension, else `<output field>.<extension>` (n8n's `setFilename`).
    pub unnamed_after_uri: Option<String>,
}

/// The binary property of a file response: `content` as `url` answered it with `headers`.
pub fn binary(
    content: &[u8],
    headers: &Map<String, Value>,
    url: &Url,
    options: &Options,
) -> BinaryData {
    let header = |name: &str| headers.get(name).and_then(Value::as_str);
    let naming = &options.file_naming;
    let path = header("content-disposition")
        .and_then(disposition_file_name)
        .unwrap_or_else(|| url_path(url, naming.redirects_followed));
    let directory = naming.redirects_followed.then(|| without_user(url));
    let mut binary = prepare_from(
        content,
        Some(&path),
        header("content-type").map(mime_type),
        Origin::Response(directory.as_deref()),
    );
    if let (None, Some(extension), Some(uri)) = (
        &binary.file_name,
        &binary.file_extension,
        &naming.unnamed_after_uri,
    ) {
        binary.file_name = Some(match uri.rsplit('/').next() {
            Some(last) if uri.ends_with(extension.as_str()) => last.to_owned(),
            _ => format!("{}.{extension}", options.output_property),
        });
    }
    binary
}

/// The MIME type of a `Content-Type` (n8n's `mimeTypeFromResponse`: up to the first space, then
/// up to the first `;`).
fn mime_type(content_type: &str) -> &str {
    let first_word = content_type.split(' ').next().unwrap_or_default();
    first_word.split(';').next().unwrap_or_default()
}

/// The path n8n takes a downloaded file's name from: the URL's path without its leading `/`
/// when its client followed redirects, else the request's path and query (Node's `req.path`).
fn url_path(url: &Url, redirects_followed: bool) -> String {
    let path = url.path().strip_prefix('/').unwrap_or(url.path());
    match url.query() {
        Some(query) if !redirects_followed => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// `url` without user name and password, as n8n shows a download's `directory`.
fn without_user(url: &Url) -> String {
    let mut url = url.clone();
    // Only URLs that cannot have credentials refuse these, and those have none to remove.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// The `filename` of a `Content-Disposition` header as n8n's `parseContentDisposition` reads
/// it: parameters split at `;`, quoted values unquoted then percent-decoded, unquoted values
/// percent-decoded then unquoted; `filename*` (`charset'language'name`) wins over `filename`.
fn disposition_file_name(header: &str) -> Option<String> {
    let header = if header.starts_with("attachment") || header.starts_with("inline") {
        header.to_owned()
    } else {
        format!("attachment; {header}")
    };
    let mut file_name = None;
    let mut extended = None;
    for parameter in header.split(';').skip(1) {
        let Some((key, value)) = parameter.split_once('=') else {
            continue;
        };
        let value = header_parameter_value(value.trim());
        match key.trim().to_lowercase().as_str() {
            "filename" => file_name = Some(value),
            "filename*" => extended = Some(value),
            _ => {}
        }
    }
    match extended {
        Some(extended) => extended.split('\'').nth(2).map(str::to_owned),
        None => file_name,
    }
}

/// A header parameter's value as n8n's `parseHeaderParameters` reads it.
fn header_parameter_value(value: &str) -> String {
    let unquote = |value: &str| {
        value
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_owned)
    };
    match unquote(value) {
        Some(inner) => decode_uri_component(&inner).unwrap_or(inner),
        None => {
            let decoded = decode_uri_component(value).unwrap_or_else(|| value.to_owned());
            unquote(&decoded).unwrap_or(decoded)
        }
    }
}

/// JavaScript's `decodeURIComponent`: `None` where it throws (a `%` without two hex digits, or
/// bytes that are not UTF-8).
fn decode_uri_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(at, byte)| {
        *byte == b'%'
            && !bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    urlencoding::decode(text)
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http_request::response::Format;
    use serde_json::json;

    fn options(redirects_followed: bool, uri: Option<&str>, output_property: &str) -> Options {
        Options {
            full_response: false,
            never_error: false,
            format: Format::File,
            output_property: output_property.to_owned(),
            split_arrays: false,
            text_format_label: "Text",
            text_body_in_output_property: false,
            file_naming: Naming {
                redirects_followed,
                unnamed_after_uri: uri.map(str::to_owned),
            },
        }
    }

    /// The metadata n8n 2.41.1 recorded for downloads from a local server (`data` and
    /// `bytes` left out).
    fn metadata(binary: BinaryData) -> Value {
        let mut value = serde_json::to_value(binary).unwrap();
        let object = value.as_object_mut().unwrap();
        object.remove("data");
        object.remove("bytes");
        value
    }

    #[test]
    fn downloads_are_named_and_typed_as_n8n_names_them() {
        let png = b"\x89PNG\r\n\x1a\n....";
        let base = "http://127.0.0.1:18777";
        // (url, content type, content disposition, redirects followed, setFilename's URI,
        //  output field, expected metadata)
        let cases = [
            (
                "/pic.png",
                Some("image/png"),
                None,
                true,
                Some("/pic.png"),
                "data",
                json!({"mimeType": "image/png", "fileType": "image", "fileExtension": "png",
                       "directory": "http://127.0.0.1:18777/pic.png", "fileName": "pic.png",
                       "fileSize": "12 B"}),
            ),
            (
                // typeVersion 3 follows no redirect: the request's path names the file.
                "/pic.png",
                Some("image/png"),
                None,
                false,
                Some("/pic.png"),
                "data",
                json!({"mimeType": "image/png", "fileType": "image", "fileExtension": "png",
                       "fileName": "pic.png", "fileSize": "12 B"}),
            ),
            (
                "/download?id=1",
                Some("text/csv; charset=utf-8"),
                Some("attachment; filename=\"report.csv\""),
                true,
                Some("/download?id=1"),
                "data",
                json!({"mimeType": "text/csv", "fileType": "text", "fileExtension": "csv",
                       "directory": "http://127.0.0.1:18777/download?id=1",
                       "fileName": "report.csv", "fileSize": "12 B"}),
            ),
            (
                // No name at all: setFilename names it after the output field.
                "/",
                Some("image/png"),
                None,
                true,
                Some("/"),
                "img",
                json!({"mimeType": "image/png", "fileType": "image", "fileExtension": "png",
                       "fileName": "img.png", "fileSize": "12 B"}),
            ),
            (
                // typeVersions 1 and 2 leave it unnamed.
                "/",
                Some("image/png"),
                None,
                true,
                None,
                "data",
                json!({"mimeType": "image/png", "fileType": "image", "fileExtension": "png",
                       "fileSize": "12 B"}),
            ),
            (
                "/blob",
                Some("application/octet-stream"),
                None,
                true,
                Some("/blob"),
                "data",
                json!({"mimeType": "application/octet-stream", "fileExtension": "bin",
                       "directory": "http://127.0.0.1:18777/blob", "fileName": "blob",
                       "fileSize": "12 B"}),
            ),
            (
                // Without a Content-Type the name gives the type; the content is never sniffed.
                "/files/notes.txt",
                None,
                None,
                true,
                Some("/files/notes.txt"),
                "data",
                json!({"mimeType": "text/plain", "fileType": "text", "fileExtension": "txt",
                       "directory": "http://127.0.0.1:18777/files/notes.txt",
                       "fileName": "notes.txt", "fileSize": "12 B"}),
            ),
        ];
        for (path, content_type, disposition, followed, uri, field, expected) in cases {
            let url = Url::parse(&format!("{base}{path}")).unwrap();
            let mut headers = Map::new();
            if let Some(content_type) = content_type {
                headers.insert("content-type".into(), json!(content_type));
            }
            if let Some(disposition) = disposition {
                headers.insert("content-disposition".into(), json!(disposition));
            }
            let uri = uri.map(|uri| format!("{base}{uri}"));
            let binary = binary(
                png,
                &headers,
                &url,
                &options(followed, uri.as_deref(), field),
            );
            assert_eq!(metadata(binary), expected, "{path} {content_type:?}");
        }
    }

    #[test]
    fn a_query_names_the_file_only_without_redirects() {
        let url = Url::parse("http://user:secret@host/a/report.csv?id=1").unwrap();
        assert_eq!(url_path(&url, true), "a/report.csv");
        assert_eq!(url_path(&url, false), "a/report.csv?id=1");
        assert_eq!(without_user(&url), "http://host/a/report.csv?id=1");
    }

    #[test]
    fn content_disposition_file_names_as_n8n_parses_them() {
        let cases = [
            ("attachment; filename=\"report.csv\"", Some("report.csv")),
            ("inline; filename=plain.txt", Some("plain.txt")),
            ("filename=\"no type.txt\"", Some("no type.txt")),
            ("attachment; FILENAME=\"a%20b.txt\"", Some("a b.txt")),
            ("attachment; filename=\"100%.txt\"", Some("100%.txt")),
            (
                "attachment; filename=\"x.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
                Some("résumé.pdf"),
            ),
            ("attachment; filename*=broken", None),
            ("attachment", None),
        ];
        for (header, expected) in cases {
            assert_eq!(
                disposition_file_name(header).as_deref(),
                expected,
                "{header}"
            );
        }
    }

    #[test]
    fn autodetect_reads_n8ns_binary_types_as_files() {
        for (content_type, binary) in [
            ("image/png", true),
            ("application/pdf", true),
            ("application/octet-stream", true),
            ("application/json; charset=utf-8", false),
            ("text/html", false),
            ("", false),
        ] {
            assert_eq!(
                is_binary_content_type(content_type),
                binary,
                "{content_type}"
            );
        }
    }
}
