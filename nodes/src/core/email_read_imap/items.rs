//! One fetched email as the Email Trigger's item, in n8n's three formats, parsed from the whole
//! message with mail-parser:
//!
//! - **simple** (n8n's imapflow path): `textHtml` and `textPlain` (the first text/html and
//!   text/plain parts, decoded; empty when absent), `metadata` (every header but `cc`, `date`,
//!   `from`, `subject`, `to`, which are top-level; names lower-cased, encoded words decoded, the
//!   first value of each), `attributes.uid` from typeVersion 2 on; with Download Attachments, the
//!   parts with `Content-Disposition: attachment` as `<prefix><i>` binaries.
//! - **resolved** (mailparser's `simpleParser`): `headers` (each header's whole line by its
//!   lower-cased name), `html`, `text`, `textAsHtml`, `subject`, `references`, `date` (ISO),
//!   address headers as `{ value: [{ address, name }], html, text }`, `messageId`, `inReplyTo`,
//!   `html: false` when there is none, then `attributes.uid`; every attachment as a binary.
//! - **raw**: `raw`, the message's body after its header (IMAP's `BODY[TEXT]`) as text.

use mail_parser::{Address, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders};
use serde_json::{Map, Value, json};

use crate::core::binary_data;
use crate::item::{BinaryData, Item};
use crate::mail::FetchedMessage;

/// n8n's output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Simple,
    Resolved,
    Raw,
}

/// How items are built: the format and its attachment options.
#[derive(Clone, Debug)]
pub(super) struct ItemShape {
    pub format: Format,
    /// `attributes.uid` is added (typeVersion 2 on).
    pub with_uid: bool,
    /// Attachments become binaries named `<prefix><i>` (`None`: not downloaded).
    pub attachment_prefix: Option<String>,
}

/// Headers a simple item carries at the top level.
const TOP_LEVEL_HEADERS: &[&str] = &["cc", "date", "from", "subject", "to"];

/// The item of `message`.
pub(super) fn item_of(message: &FetchedMessage, shape: &ItemShape) -> Item {
    let parsed = MessageParser::default().parse(&message.source);
    let mut item = match (&parsed, shape.format) {
        (_, Format::Raw) => Item::new(
            Map::from_iter([("raw".to_owned(), json!(body_text(message)))]),
            0,
        ),
        (Some(parsed), Format::Simple) => simple(parsed, shape),
        (Some(parsed), Format::Resolved) => resolved(parsed, shape),
        (None, _) => Item::new(Map::new(), 0),
    };
    if shape.with_uid && shape.format != Format::Raw {
        item.json
            .insert("attributes".to_owned(), json!({ "uid": message.uid }));
    }
    item
}

/// The message after its header block (IMAP's `BODY[TEXT]`).
fn body_text(message: &FetchedMessage) -> String {
    let source = &message.source;
    let start = find(source, b"\r\n\r\n")
        .map(|at| at + 4)
        .or_else(|| find(source, b"\n\n").map(|at| at + 2))
        .unwrap_or(source.len());
    String::from_utf8_lossy(&source[start..]).into_owned()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn simple(message: &Message<'_>, shape: &ItemShape) -> Item {
    let mut json = Map::new();
    json.insert("textHtml".to_owned(), json!(first_text(message, "html")));
    json.insert("textPlain".to_owned(), json!(first_text(message, "plain")));
    let mut metadata = Map::new();
    for (name, value) in decoded_headers(message) {
        if TOP_LEVEL_HEADERS.contains(&name.as_str()) {
            json.entry(name).or_insert(Value::String(value));
        } else {
            metadata.entry(name).or_insert(Value::String(value));
        }
    }
    json.insert("metadata".to_owned(), Value::Object(metadata));
    let mut item = Item::new(json, 0);
    if let Some(prefix) = &shape.attachment_prefix {
        let attachments = message
            .parts
            .iter()
            .filter(|part| !part.is_multipart())
            .filter(|part| {
                part.content_disposition().is_some_and(|disposition| {
                    disposition.ctype().eq_ignore_ascii_case("attachment")
                })
            });
        item.binary = binaries(attachments, prefix);
    }
    item
}

/// The decoded text of the first `text/<subtype>` part; empty when there is none.
fn first_text(message: &Message<'_>, subtype: &str) -> String {
    message
        .parts
        .iter()
        .filter(|part| !part.is_multipart() && !part.is_message())
        .find(|part| mime_type(part) == format!("text/{subtype}"))
        .and_then(MessagePart::text_contents)
        .unwrap_or_default()
        .to_owned()
}

/// A part's MIME type, lower-cased (`text/plain` when it has none).
fn mime_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(content_type) => format!(
            "{}/{}",
            content_type.ctype(),
            content_type.subtype().unwrap_or_default()
        )
        .to_ascii_lowercase(),
        None => "text/plain".to_owned(),
    }
}

/// The message's headers as libmime's `decodeHeaders` gives them: lower-cased names, unfolded
/// values with encoded words decoded, in order.
fn decoded_headers(message: &Message<'_>) -> Vec<(String, String)> {
    let source = message.raw_message();
    message
        .root_part()
        .headers()
        .iter()
        .map(|header| {
            let raw = slice(source, header.offset_start, header.offset_end);
            let name = header.name().to_ascii_lowercase();
            (name, decode_words(&unfold(&raw)))
        })
        .collect()
}

fn slice(source: &[u8], start: u32, end: u32) -> String {
    let end = (end as usize).min(source.len());
    let start = (start as usize).min(end);
    String::from_utf8_lossy(&source[start..end]).into_owned()
}

/// A header value on one line, trimmed.
fn unfold(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `value` with its RFC 2047 encoded words decoded (mail-parser reads it as a Subject).
fn decode_words(value: &str) -> String {
    if !value.contains("=?") {
        return value.to_owned();
    }
    let header = format!("Subject: {value}\r\n\r\n");
    MessageParser::default()
        .parse(header.as_bytes())
        .and_then(|parsed| parsed.subject().map(str::to_owned))
        .unwrap_or_else(|| value.to_owned())
}

/// `parts` as n8n's binaries `<prefix>0`, `<prefix>1`, ... (`None` when there are none).
fn binaries<'p>(
    parts: impl Iterator<Item = &'p MessagePart<'p>>,
    prefix: &str,
) -> Option<std::collections::BTreeMap<String, BinaryData>> {
    let binaries: std::collections::BTreeMap<String, BinaryData> = parts
        .enumerate()
        .map(|(index, part)| {
            let mime = mime_type(part);
            let file = binary_data::prepare(part.contents(), part.attachment_name(), Some(&mime));
            (format!("{prefix}{index}"), file)
        })
        .collect();
    (!binaries.is_empty()).then_some(binaries)
}

fn resolved(message: &Message<'_>, shape: &ItemShape) -> Item {
    let mut json = Map::new();
    let source = message.raw_message();
    let mut headers = Map::new();
    for header in message.root_part().headers() {
        let line = slice(source, header.offset_field, header.offset_end);
        headers.insert(
            header.name().to_ascii_lowercase(),
            json!(line.trim_end_matches(['\r', '\n'])),
        );
    }
    json.insert("headers".to_owned(), Value::Object(headers));
    let (texts, htmls) = bodies(message);
    if !htmls.is_empty() {
        json.insert("html".to_owned(), json!(htmls.join("<br/>\n")));
    }
    if !texts.is_empty() {
        json.insert("text".to_owned(), json!(texts.join("\n")));
        let as_html: Vec<String> = texts.iter().map(|text| text_to_html(text)).collect();
        json.insert("textAsHtml".to_owned(), json!(as_html.join("<br/>\n")));
    }
    if let Some(subject) = message.subject() {
        json.insert("subject".to_owned(), json!(subject));
    }
    if let Some(references) = message_ids(message.references()) {
        json.insert("references".to_owned(), references);
    }
    if let Some(date) = message.date() {
        let moment = chrono::DateTime::from_timestamp(date.to_timestamp(), 0).unwrap_or_default();
        json.insert(
            "date".to_owned(),
            json!(moment.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        );
    }
    for (key, address) in [
        ("to", message.to()),
        ("from", message.from()),
        ("cc", message.cc()),
        ("bcc", message.bcc()),
    ] {
        if let Some(address) = address {
            json.insert(key.to_owned(), addresses(address));
        }
    }
    if let Some(id) = message.message_id() {
        json.insert("messageId".to_owned(), json!(format!("<{id}>")));
    }
    if let Some(Value::Array(ids)) = message_ids(message.in_reply_to()).map(|ids| match ids {
        Value::String(id) => Value::Array(vec![Value::String(id)]),
        other => other,
    }) && let Some(last) = ids.last()
    {
        json.insert("inReplyTo".to_owned(), last.clone());
    }
    if let Some(reply_to) = message.reply_to() {
        json.insert("replyTo".to_owned(), addresses(reply_to));
    }
    json.entry("html").or_insert(Value::Bool(false));
    let mut item = Item::new(json, 0);
    let prefix = shape.attachment_prefix.as_deref().unwrap_or("attachment_");
    let attachments = message
        .attachments
        .iter()
        .filter_map(|id| message.parts.get(*id as usize));
    item.binary = binaries(attachments, prefix);
    item
}

/// The text and HTML bodies (mailparser's `text` and `html` parts): inline text parts that are
/// not attachments, in order.
fn bodies(message: &Message<'_>) -> (Vec<String>, Vec<String>) {
    let mut texts = Vec::new();
    let mut htmls = Vec::new();
    for (index, part) in message.parts.iter().enumerate() {
        if message.attachments.contains(&(index as u32)) {
            continue;
        }
        match mime_type(part).as_str() {
            "text/plain" => texts.push(part.text_contents().unwrap_or_default().to_owned()),
            "text/html" => htmls.push(part.text_contents().unwrap_or_default().to_owned()),
            _ => {}
        }
    }
    if texts.is_empty() && !htmls.is_empty() {
        // mailparser converts an HTML-only message to text.
        if let Some(text) = message.body_text(0) {
            texts.push(text.into_owned());
        }
    }
    (texts, htmls)
}

/// Message ids as mailparser gives them: `<id>`, one as a string, several as a list.
fn message_ids(value: &HeaderValue<'_>) -> Option<Value> {
    let bracketed = |id: &str| format!("<{}>", id.trim_matches(['<', '>']));
    match value {
        HeaderValue::Text(id) => Some(json!(bracketed(id))),
        HeaderValue::TextList(ids) if ids.len() == 1 => Some(json!(bracketed(&ids[0]))),
        HeaderValue::TextList(ids) => Some(json!(
            ids.iter().map(|id| bracketed(id)).collect::<Vec<_>>()
        )),
        _ => None,
    }
}

/// mailparser's address object: `{ value: [{ address, name }], html, text }`.
fn addresses(address: &Address<'_>) -> Value {
    let list: Vec<(String, String)> = address
        .iter()
        .map(|addr| {
            (
                addr.address().unwrap_or_default().to_owned(),
                addr.name().unwrap_or_default().trim().to_owned(),
            )
        })
        .collect();
    let value: Vec<Value> = list
        .iter()
        .map(|(address, name)| json!({ "address": address, "name": name }))
        .collect();
    let html: Vec<String> = list
        .iter()
        .map(|(address, name)| {
            let link = format!(
                "<a href=\"mailto:{0}\" class=\"mp_address_email\">{0}</a>",
                encode_html(address)
            );
            if name.is_empty() {
                format!("<span class=\"mp_address_group\">{link}</span>")
            } else {
                format!(
                    "<span class=\"mp_address_group\"><span class=\"mp_address_name\">{}</span> &lt;{link}&gt;</span>",
                    encode_html(name)
                )
            }
        })
        .collect();
    let text: Vec<String> = list
        .iter()
        .map(|(address, name)| {
            if name.is_empty() {
                address.clone()
            } else {
                format!("\"{name}\" <{address}>")
            }
        })
        .collect();
    json!({ "value": value, "html": html.join(", "), "text": text.join(", ") })
}

/// he's `encode` for the characters HTML gives meaning to; others beyond ASCII as numeric
/// references.
fn encode_html(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => encoded.push_str("&amp;"),
            '<' => encoded.push_str("&lt;"),
            '>' => encoded.push_str("&gt;"),
            '"' => encoded.push_str("&quot;"),
            '\'' => encoded.push_str("&apos;"),
            '`' => encoded.push_str("&grave;"),
            c if c.is_ascii() => encoded.push(c),
            c => encoded.push_str(&format!("&#x{:X};", u32::from(c))),
        }
    }
    encoded
}

/// mailparser's `textToHtml` without its link detection: encoded, paragraphs at blank lines,
/// `<br/>` at line breaks.
fn text_to_html(text: &str) -> String {
    let encoded = encode_html(text).replace("\r\n", "\n");
    let trimmed_lines: Vec<&str> = encoded.trim().split('\n').map(str::trim_end).collect();
    let joined = trimmed_lines.join("\n");
    let mut paragraphs = Vec::new();
    for paragraph in joined.trim().split("\n\n") {
        let paragraph = paragraph.trim_matches('\n');
        if !paragraph.is_empty() {
            paragraphs.push(paragraph.replace('\n', "<br/>"));
        }
    }
    format!("<p>{}</p>", paragraphs.join("</p><p>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "From: Ann Example <ann@example.test>\r\nTo: bob@example.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Tue, 19 Aug 2025 10:00:00 +0000\r\nMessage-ID: <m1@example.test>\r\nX-Tag: one\r\n\r\nHello Bob,\r\n\r\nsee you.\r\n";

    const MIXED: &str = "From: ann@example.test\r\nTo: bob@example.test\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe report.\r\n--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>report</b>.</p>\r\n--b2--\r\n--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n";

    fn message(source: &str) -> FetchedMessage {
        FetchedMessage {
            uid: 7,
            source: source.as_bytes().to_vec(),
        }
    }

    fn shape(format: Format, attachment_prefix: Option<&str>) -> ItemShape {
        ItemShape {
            format,
            with_uid: true,
            attachment_prefix: attachment_prefix.map(str::to_owned),
        }
    }

    #[test]
    fn simple_items_have_the_bodies_top_level_headers_and_metadata() {
        let item = item_of(&message(PLAIN), &shape(Format::Simple, None));
        assert_eq!(
            Value::Object(item.json),
            json!({
                "textHtml": "",
                "textPlain": "Hello Bob,\r\n\r\nsee you.\r\n",
                "from": "Ann Example <ann@example.test>",
                "to": "bob@example.test",
                "subject": "Grüße",
                "date": "Tue, 19 Aug 2025 10:00:00 +0000",
                "metadata": { "message-id": "<m1@example.test>", "x-tag": "one" },
                "attributes": { "uid": 7 }
            })
        );
        assert!(item.binary.is_none());
    }

    #[test]
    fn simple_items_download_attachments_only_when_asked() {
        let without = item_of(&message(MIXED), &shape(Format::Simple, None));
        assert_eq!(without.json["textPlain"], "The report.");
        assert_eq!(without.json["textHtml"], "<p>The <b>report</b>.</p>");
        assert!(without.binary.is_none());
        let with = item_of(&message(MIXED), &shape(Format::Simple, Some("file_")));
        let binary = &with.binary.unwrap()["file_0"];
        assert_eq!(binary.mime_type, "application/pdf");
        assert_eq!(binary.file_name.as_deref(), Some("report.pdf"));
        assert_eq!(binary.data, "JVBERi0xLjQK");
    }

    #[test]
    fn resolved_items_are_mailparser_s_shape() {
        let item = item_of(
            &message(PLAIN),
            &shape(Format::Resolved, Some("attachment_")),
        );
        let keys: Vec<&str> = item.json.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "headers",
                "text",
                "textAsHtml",
                "subject",
                "date",
                "to",
                "from",
                "messageId",
                "html",
                "attributes"
            ]
        );
        assert_eq!(
            item.json["headers"]["subject"],
            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?="
        );
        assert_eq!(item.json["text"], "Hello Bob,\r\n\r\nsee you.\r\n");
        assert_eq!(item.json["textAsHtml"], "<p>Hello Bob,</p><p>see you.</p>");
        assert_eq!(item.json["date"], "2025-08-19T10:00:00.000Z");
        assert_eq!(
            item.json["from"],
            json!({
                "value": [{ "address": "ann@example.test", "name": "Ann Example" }],
                "html": "<span class=\"mp_address_group\"><span class=\"mp_address_name\">Ann Example</span> &lt;<a href=\"mailto:ann@example.test\" class=\"mp_address_email\">ann@example.test</a>&gt;</span>",
                "text": "\"Ann Example\" <ann@example.test>"
            })
        );
        assert_eq!(item.json["messageId"], "<m1@example.test>");
        assert_eq!(item.json["html"], false);

        let mixed = item_of(&message(MIXED), &shape(Format::Resolved, Some("att_")));
        assert_eq!(mixed.json["html"], "<p>The <b>report</b>.</p>");
        assert_eq!(mixed.json["text"], "The report.");
        assert_eq!(
            mixed.binary.unwrap()["att_0"].file_name.as_deref(),
            Some("report.pdf")
        );
    }

    #[test]
    fn raw_items_hold_the_body_after_the_header() {
        let item = item_of(&message(PLAIN), &shape(Format::Raw, None));
        assert_eq!(
            Value::Object(item.json),
            json!({ "raw": "Hello Bob,\r\n\r\nsee you.\r\n" })
        );
    }
}
