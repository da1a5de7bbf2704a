//! A webhook request's body, read with a bound and parsed as n8n parses it: JSON, a
//! URL-encoded form (a repeated field as an array), text; anything else (or every body of a
//! typeVersion 1 node set to receive a file) is a file. XML stays text (n8n turns it into an
//! object with xml2js); multipart forms are read for forms only ([`multipart`]: fields as a
//! URL-encoded form gives them, files apart) and refused for webhooks.

use serde_json::{Map, Value};
use weft_nodes::UploadedFile;

/// The largest body weft reads (n8n's default `N8N_PAYLOAD_SIZE_MAX`, 16 MiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A parsed body.
#[derive(Debug, PartialEq)]
pub struct ParsedBody {
    /// The body as the item's `body`.
    pub body: Value,
    /// The bytes and content type of a body that is a file.
    pub file: Option<(Vec<u8>, String)>,
}

/// Why a body is refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BodyError {
    /// It is not what its content type says.
    #[error("Failed to parse request body")]
    Unparsable {
        /// What is wrong, without the body's text.
        reason: String,
    },
    /// A multipart form.
    #[error("weft's webhooks do not read multipart/form-data bodies yet")]
    Multipart,
}

/// The media type of a `Content-Type` value, lower-case, without parameters.
pub fn media_type(content_type: Option<&str>) -> Option<String> {
    content_type
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase())
        .filter(|media| !media.is_empty())
}

/// Parses `bytes` of media type `media` (`None`: no content type) for a webhook whose every body
/// is a file when `always_file` (typeVersion 1's "Binary File").
pub fn parse(
    media: Option<&str>,
    bytes: Vec<u8>,
    always_file: bool,
) -> Result<ParsedBody, BodyError> {
    let empty = || Value::Object(Map::new());
    let file = |bytes: Vec<u8>| ParsedBody {
        body: empty(),
        file: Some((bytes, media.unwrap_or_default().to_owned())),
    };
    if always_file {
        return Ok(file(bytes));
    }
    let Some(media) = media else {
        return Ok(file(bytes));
    };
    if media.starts_with("multipart/") {
        return Err(BodyError::Multipart);
    }
    let text = || {
        String::from_utf8_lossy(&bytes)
            .trim_start_matches('\u{feff}')
            .to_owned()
    };
    let body = match media {
        _ if bytes.is_empty() && is_parsed(media) => empty(),
        "application/json" => {
            serde_json::from_str(&text()).map_err(|error| BodyError::Unparsable {
                reason: format!(
                    "the JSON body is not valid at line {} column {}",
                    error.line(),
                    error.column()
                ),
            })?
        }
        "application/x-www-form-urlencoded" => form(&text()),
        "text/plain" => Value::String(text()),
        _ if media.ends_with("/xml") || media.ends_with("+xml") => Value::String(text()),
        _ => return Ok(file(bytes)),
    };
    Ok(ParsedBody { body, file: None })
}

/// Whether weft parses a body of this media type (else it is a file).
fn is_parsed(media: &str) -> bool {
    matches!(
        media,
        "application/json" | "application/x-www-form-urlencoded" | "text/plain"
    ) || media.ends_with("/xml")
        || media.ends_with("+xml")
}

/// A `multipart/form-data` body of type `content_type`: its text fields as [`form`] gives a
/// URL-encoded form's (a repeated name as an array), and its files in order.
pub async fn multipart(
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<(Value, Vec<UploadedFile>), BodyError> {
    let unparsable = |error: multer::Error| BodyError::Unparsable {
        reason: format!("the multipart body cannot be read: {error}"),
    };
    let boundary = multer::parse_boundary(content_type).map_err(unparsable)?;
    let stream = futures_util::stream::once(async move {
        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes))
    });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    let mut files = Vec::new();
    while let Some(part) = parts.next_field().await.map_err(unparsable)? {
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part.file_name().map(str::to_owned);
        let mime_type = part.content_type().map(ToString::to_string);
        let content = part.bytes().await.map_err(unparsable)?;
        match file_name {
            Some(file_name) => files.push(UploadedFile {
                field: name,
                file_name: Some(file_name),
                mime_type,
                bytes: content.to_vec(),
            }),
            None => {
                let value = Value::String(String::from_utf8_lossy(&content).into_owned());
                add_field(&mut fields, name, value);
            }
        }
    }
    Ok((Value::Object(fields), files))
}

/// Adds `value` under `key`, turning a repeated key into an array of its values.
fn add_field(fields: &mut Map<String, Value>, key: String, value: Value) {
    match fields.get_mut(&key) {
        Some(Value::Array(values)) => values.push(value),
        Some(first) => *first = Value::Array(vec![first.take(), value]),
        None => {
            fields.insert(key, value);
        }
    }
}

/// A URL-encoded form or query string as Node's `querystring.parse` gives it: a repeated key
/// as an array of its values.
pub fn form(text: &str) -> Value {
    let mut fields = Map::new();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        add_field(
            &mut fields,
            key.into_owned(),
            Value::String(value.into_owned()),
        );
    }
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_parsed_by_their_media_type() {
        let cases: &[(Option<&str>, &[u8], Value, bool)] = &[
            (
                Some("application/json"),
                br#"{"a":[1,2]}"#,
                json!({"a": [1, 2]}),
                false,
            ),
            (Some("application/json"), b"", json!({}), false),
            (
                Some("application/x-www-form-urlencoded"),
                b"a=1&b=x+y&a=2",
                json!({"a": ["1", "2"], "b": "x y"}),
                false,
            ),
            (Some("text/plain"), b"hello", json!("hello"), false),
            (Some("application/soap+xml"), b"<a/>", json!("<a/>"), false),
            (
                Some("application/octet-stream"),
                b"\x00\x01",
                json!({}),
                true,
            ),
            (None, b"raw", json!({}), true),
        ];
        for (media, bytes, body, is_file) in cases {
            let parsed = parse(*media, bytes.to_vec(), false).unwrap();
            assert_eq!(&parsed.body, body, "{media:?}");
            assert_eq!(parsed.file.is_some(), *is_file, "{media:?}");
        }
    }

    #[test]
    fn bad_json_names_where_it_breaks_not_what_it_holds() {
        let error = parse(
            Some("application/json"),
            b"{\"secret\": nope}".to_vec(),
            false,
        )
        .unwrap_err();
        let BodyError::Unparsable { reason } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(reason, "the JSON body is not valid at line 1 column 13");
        assert!(!reason.contains("secret"));
    }

    #[test]
    fn multipart_is_refused_and_a_binary_file_option_takes_any_body() {
        assert_eq!(
            parse(Some("multipart/form-data"), Vec::new(), false),
            Err(BodyError::Multipart)
        );
        let parsed = parse(Some("application/json"), b"{}".to_vec(), true).unwrap();
        assert_eq!(
            parsed.file,
            Some((b"{}".to_vec(), "application/json".to_owned()))
        );
    }

    #[tokio::test]
    async fn multipart_bodies_give_fields_and_files() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"field-0\"\r\n\r\nAda\r\n\
--b\r\nContent-Disposition: form-data; name=\"field-1\"\r\n\r\nx\r\n\
--b\r\nContent-Disposition: form-data; name=\"field-1\"\r\n\r\ny\r\n\
--b\r\nContent-Disposition: form-data; name=\"field-2\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
        let (fields, files) =
            multipart("multipart/form-data; boundary=b", body.as_bytes().to_vec())
                .await
                .unwrap();
        assert_eq!(fields, json!({"field-0": "Ada", "field-1": ["x", "y"]}));
        assert_eq!(
            files,
            [UploadedFile {
                field: "field-2".to_owned(),
                file_name: Some("a.txt".to_owned()),
                mime_type: Some("text/plain".to_owned()),
                bytes: b"hello".to_vec(),
            }]
        );
        assert!(matches!(
            multipart("multipart/form-data", Vec::new()).await,
            Err(BodyError::Unparsable { .. })
        ));
    }

    #[test]
    fn media_types_drop_parameters_and_case() {
        assert_eq!(
            media_type(Some("Application/JSON; charset=utf-8")).as_deref(),
            Some("application/json")
        );
        assert_eq!(media_type(Some("")), None);
    }
}
