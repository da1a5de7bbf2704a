//! One logged request in comparable form: a line of the fake's log (recorded or fresh) becomes a
//! [`Call`] with the API version, the port, the JWT timestamps, the assertion and the multipart
//! boundary normalized, and the body parsed by its content type.

use std::collections::BTreeMap;

use anyhow::Context;
use serde_json::Value;

/// The port the recording was made on; a fresh fake's port is rewritten to it.
pub const RECORDED_PORT: u16 = 18090;

/// The API version segment every `/services/data/vNN.N` path is given.
pub const ANY_VERSION: &str = "vXX";

/// Placeholder of a multipart boundary (as in the recording).
const BOUNDARY: &str = "<BOUNDARY>";

/// One request.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path segments after the leading `/`.
    pub segments: Vec<Segment>,
    /// Query parameters by name, decoded.
    pub query: BTreeMap<String, Vec<String>>,
    /// `Authorization` header.
    pub authorization: Option<String>,
    /// `Content-Type` header, lower-cased parameters split by `; `.
    pub content_type: Option<String>,
    /// The body, parsed.
    pub body: Body,
    /// The decoded JWT of a token call, `iat` and `exp` normalized.
    pub jwt: Option<Value>,
}

/// One path segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// As sent (percent escapes kept).
    pub raw: String,
    /// Percent-decoded; `None` matches any segment (a composite delete does not name the object).
    pub decoded: Option<String>,
    /// The sent segment must not contain characters that `encodeURIComponent` escapes.
    pub require_encoded: bool,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON document.
    Json(Value),
    /// `application/x-www-form-urlencoded` fields (the JWT assertion as `<JWT>`).
    Form(BTreeMap<String, Vec<String>>),
    /// Multipart parts in order.
    Multipart(Vec<Part>),
    /// Anything else, as text.
    Text(String),
}

/// One multipart part.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Headers by lower-case name (`content-disposition`, `content-type`).
    pub headers: BTreeMap<String, String>,
    /// The part's content.
    pub body: Body,
}

impl Segment {
    /// A segment as sent.
    pub fn raw(raw: &str) -> Self {
        Self {
            raw: raw.to_owned(),
            decoded: Some(decode(raw)),
            require_encoded: false,
        }
    }

    /// A segment built from a value, percent-encoded as `encodeURIComponent` does.
    pub fn value(value: &str) -> Self {
        Self {
            raw: urlencoding::encode(value).into_owned(),
            decoded: Some(value.to_owned()),
            require_encoded: false,
        }
    }

    /// Characters of the raw segment that `encodeURIComponent` would have escapes for.
    pub fn unencoded_characters(&self) -> Vec<char> {
        self.raw
            .chars()
            .filter(|c| !(c.is_ascii_alphanumeric() || "-_.!~*'()%".contains(*c)))
            .collect()
    }
}

impl Call {
    /// Parses one line of the fake's log. `port` is the fake's port (rewritten to the recorded one).
    pub fn from_log_line(line: &str, port: u16) -> anyhow::Result<Self> {
        let line = line.replace(
            &format!("127.0.0.1:{port}"),
            &format!("127.0.0.1:{RECORDED_PORT}"),
        );
        let entry: Value = serde_json::from_str(&line).context("a log line is not JSON")?;
        let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
        let headers = entry.get("headers").and_then(Value::as_object);
        let header = |name: &str| {
            headers.and_then(|headers| {
                headers
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .and_then(|(_, value)| value.as_str())
            })
        };
        let (content_type, body) = parse_body(header("content-type"), text("body"));
        Ok(Self {
            method: text("method").to_owned(),
            segments: path_segments(text("path")),
            query: parse_form(text("rawQuery")),
            authorization: header("authorization").map(str::to_owned),
            content_type,
            body: match body {
                Body::Form(mut fields) => {
                    if let Some(assertion) = fields.get_mut("assertion") {
                        *assertion = vec!["<JWT>".to_owned()];
                    }
                    Body::Form(fields)
                }
                other => other,
            },
            jwt: entry.get("jwt").cloned().map(normalize_jwt),
        })
    }

    /// `METHOD /decoded/path`.
    pub fn describe(&self) -> String {
        let path: Vec<&str> = self
            .segments
            .iter()
            .map(|segment| segment.decoded.as_deref().unwrap_or("*"))
            .collect();
        format!("{} /{}", self.method, path.join("/"))
    }

    /// The decoded segments, `*` for a wildcard.
    pub fn decoded_segments(&self) -> Vec<&str> {
        self.segments
            .iter()
            .map(|segment| segment.decoded.as_deref().unwrap_or("*"))
            .collect()
    }

    /// The segments after `/services/data/vXX/`, or `None` for other paths.
    pub fn api_segments(&self) -> Option<&[Segment]> {
        match self.decoded_segments().as_slice() {
            ["services", "data", version, ..] if *version == ANY_VERSION => {
                Some(&self.segments[3..])
            }
            _ => None,
        }
    }

    /// The object name in `/sobjects/<name>[/...]`.
    pub fn sobject(&self) -> Option<&str> {
        match self.api_segments()? {
            [first, object, ..] if first.decoded.as_deref() == Some("sobjects") => {
                object.decoded.as_deref()
            }
            _ => None,
        }
    }
}

/// Splits a path into segments, the API version replaced by [`ANY_VERSION`].
pub fn path_segments(path: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = path
        .trim_start_matches('/')
        .split('/')
        .map(Segment::raw)
        .collect();
    if segments.len() > 2
        && segments[0].raw == "services"
        && segments[1].raw == "data"
        && is_version(&segments[2].raw)
    {
        segments[2] = Segment::raw(ANY_VERSION);
    }
    segments
}

/// `v59.0`, `v66.0`.
fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        rest.split_once('.').is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major
                    .bytes()
                    .chain(minor.bytes())
                    .all(|b| b.is_ascii_digit())
        })
    })
}

/// Replaces every `/services/data/vNN.N/` in `text` with the [`ANY_VERSION`] form.
pub fn normalize_versions(text: &str) -> String {
    const MARK: &str = "/services/data/v";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len() - 1]);
        rest = &rest[at + MARK.len() - 1..];
        let end = rest.find('/').unwrap_or(rest.len());
        if is_version(&rest[..end]) {
            out.push_str(ANY_VERSION);
            rest = &rest[end..];
        } else {
            out.push('v');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Percent-decodes (`+` stays `+`: paths are not forms).
fn decode(raw: &str) -> String {
    String::from_utf8_lossy(&urlencoding::decode_binary(raw.as_bytes())).into_owned()
}

/// Form or query fields, decoded.
pub fn parse_form(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        fields
            .entry(key.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    fields
}

/// The normalized content type and the parsed body.
fn parse_body(content_type: Option<&str>, text: &str) -> (Option<String>, Body) {
    let boundary = content_type.and_then(|value| {
        value.split(';').find_map(|param| {
            param
                .trim()
                .strip_prefix("boundary=")
                .map(|b| b.trim_matches('"').to_owned())
        })
    });
    let content_type = content_type.map(|value| {
        value
            .split(';')
            .map(|param| {
                let param = param.trim();
                if param.starts_with("boundary=") {
                    format!("boundary={BOUNDARY}")
                } else {
                    param.to_ascii_lowercase()
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let media = content_type
        .as_deref()
        .and_then(|value| value.split(';').next())
        .unwrap_or_default();
    let body = if text.is_empty() {
        Body::Empty
    } else if media == "multipart/form-data" {
        let text = match boundary.as_deref() {
            Some(boundary) if boundary != BOUNDARY => {
                text.replace(&format!("--{boundary}"), BOUNDARY)
            }
            _ => text.to_owned(),
        };
        Body::Multipart(parse_parts(&text))
    } else if media == "application/x-www-form-urlencoded" {
        Body::Form(parse_form(text))
    } else {
        json_or_text(text)
    };
    (content_type, body)
}

/// JSON when it parses, else text.
fn json_or_text(text: &str) -> Body {
    serde_json::from_str(text).map_or_else(|_| Body::Text(text.to_owned()), Body::Json)
}

/// The parts of a multipart body whose delimiters are [`BOUNDARY`].
fn parse_parts(text: &str) -> Vec<Part> {
    text.split(BOUNDARY)
        .skip(1)
        .filter(|chunk| !chunk.starts_with("--"))
        .map(|chunk| {
            let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
            let chunk = chunk.strip_suffix("\r\n").unwrap_or(chunk);
            let (head, content) = chunk.split_once("\r\n\r\n").unwrap_or((chunk, ""));
            let headers: BTreeMap<String, String> = head
                .split("\r\n")
                .filter_map(|line| line.split_once(':'))
                .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
                .filter(|(name, _)| name != "content-length")
                .collect();
            let is_json = headers
                .get("content-type")
                .is_some_and(|value| value.starts_with("application/json"));
            Part {
                headers,
                body: if is_json {
                    json_or_text(content)
                } else {
                    Body::Text(content.to_owned())
                },
            }
        })
        .collect()
}

/// `iat` → `"<iat>"`, `exp` → `"<iat+N>"` (N = exp − iat) when they are numbers.
fn normalize_jwt(mut jwt: Value) -> Value {
    if let Some(claims) = jwt.get_mut("claims").and_then(Value::as_object_mut) {
        let iat = claims.get("iat").and_then(Value::as_i64);
        let exp = claims.get("exp").and_then(Value::as_i64);
        if let Some(iat) = iat {
            claims.insert("iat".into(), "<iat>".into());
            if let Some(exp) = exp {
                claims.insert("exp".into(), format!("<iat+{}>", exp - iat).into());
            }
        }
    }
    jwt
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(value: Value) -> String {
        value.to_string()
    }

    #[test]
    fn api_version_port_and_path_decoding() {
        let call = Call::from_log_line(
            &line(json!({
                "method": "PATCH",
                "path": "/services/data/v66.0/sobjects/account/External_Id__c/A%26B%201",
                "rawQuery": "",
                "headers": {"Authorization": "Bearer t.1", "Content-Type": "application/json", "Host": "127.0.0.1:40111"},
                "body": "{\"Name\":\"x\"}"
            })),
            40111,
        )
        .unwrap();
        assert_eq!(
            call.describe(),
            "PATCH /services/data/vXX/sobjects/account/External_Id__c/A&B 1"
        );
        assert_eq!(call.sobject(), Some("account"));
        assert_eq!(call.body, Body::Json(json!({"Name": "x"})));
        assert_eq!(call.authorization.as_deref(), Some("Bearer t.1"));
    }

    #[test]
    fn query_is_decoded() {
        let call = Call::from_log_line(
            &line(
                json!({"method": "GET", "path": "/services/data/v59.0/query",
                "rawQuery": "q=SELECT%20Id%2CName%20FROM%20Account%20", "headers": {}, "body": ""}),
            ),
            1,
        )
        .unwrap();
        assert_eq!(
            call.query["q"],
            vec!["SELECT Id,Name FROM Account ".to_owned()]
        );
        assert_eq!(call.body, Body::Empty);
    }

    #[test]
    fn token_call_normalization() {
        let call = Call::from_log_line(
            &line(json!({"method": "POST", "path": "/services/oauth2/token", "rawQuery": "",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                "body": "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.x.y",
                "jwt": {"header": {"alg": "RS256"}, "claims": {"aud": "http://127.0.0.1:5555", "iat": 100, "exp": 280}}})),
            5555,
        )
        .unwrap();
        let Body::Form(fields) = &call.body else {
            panic!("{:?}", call.body)
        };
        assert_eq!(fields["assertion"], vec!["<JWT>".to_owned()]);
        assert_eq!(
            call.jwt.unwrap()["claims"],
            json!({"aud": "http://127.0.0.1:18090", "iat": "<iat>", "exp": "<iat+180>"})
        );
    }

    #[test]
    fn multipart_with_any_boundary() {
        let recorded = "<BOUNDARY>\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: application/json\r\n\r\n{\"x\":1}\r\n<BOUNDARY>\r\nContent-Disposition: form-data; name=\"f\"; filename=\"h.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\n\r\n<BOUNDARY>--\r\n";
        let sent = "--abc123\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: application/json\r\n\r\n{ \"x\": 1 }\r\n--abc123\r\nContent-Disposition: form-data; name=\"f\"; filename=\"h.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\n\r\n--abc123--\r\n";
        let want = parse_body(Some("multipart/form-data; boundary=<BOUNDARY>"), recorded);
        let got = parse_body(Some("multipart/form-data; boundary=abc123"), sent);
        assert_eq!(want, got);
        let (_, Body::Multipart(parts)) = want else {
            panic!()
        };
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].body, Body::Text("hi\n".into()));
    }

    #[test]
    fn versions_in_text() {
        assert_eq!(
            normalize_versions("/services/data/v59.0/sobjects/Account/1 and /services/data/vX"),
            "/services/data/vXX/sobjects/Account/1 and /services/data/vX"
        );
    }

    #[test]
    fn unencoded_characters() {
        assert_eq!(Segment::raw("A&B%201").unencoded_characters(), vec!['&']);
        assert!(Segment::value("A&B 1").unencoded_characters().is_empty());
        assert_eq!(Segment::value("A&B 1").raw, "A%26B%201");
    }
}
