//! A PDF's pages, text and document information as n8n's `extractDataFromPDF` gives them with
//! pdf.js (`numpages`, `numrender`, `info`, `text`, `version`), read with `lopdf`.
//!
//! Text follows n8n's `parseText` over pdf.js's text items: the strings shown on a page in
//! content-stream order, a new line wherever the shown text's vertical position changes.
//! weft's items are the strings of `Tj`, `TJ`, `'` and `"` (a `TJ` gap wider than a quarter of
//! an em reads as a space), positioned by the text and graphics matrices; pdf.js also merges
//! and splits items by glyph geometry, so text of complex layouts may differ. XMP metadata is
//! not read (`metadata` is absent, as n8n's is for files without it). Decompression is bounded
//! per page.

use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object};
use serde_json::{Map, Value, json};

/// pdf.js's version, which n8n reports as `version`.
pub(crate) const PDF_JS_VERSION: &str = "5.4.296";

/// The most a page's content may decompress to.
const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

/// A read PDF.
#[derive(Debug, PartialEq)]
pub(crate) struct PdfContent {
    /// The number of pages.
    pub pages: usize,
    /// pdf.js's `documentInfo`.
    pub info: Map<String, Value>,
    /// The text of each page read.
    pub texts: Vec<String>,
}

/// Reads `bytes` as a PDF, opening an encrypted one with `password`, and the text of its
/// first `max_pages` pages (`None`: all; n8n reads none for 0). The error is pdf.js's message.
pub(crate) fn read(
    bytes: &[u8],
    password: Option<&str>,
    max_pages: Option<usize>,
) -> Result<PdfContent, String> {
    if !bytes.windows(5).take(1024).any(|window| window == b"%PDF-") {
        return Err("Invalid PDF structure.".to_owned());
    }
    let options = LoadOptions {
        password: password
            .filter(|password| !password.is_empty())
            .map(str::to_owned),
        max_decompressed_size: Some(MAX_PAGE_CONTENT),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options).map_err(|error| {
        let text = error.to_string().to_ascii_lowercase();
        if text.contains("password") || text.contains("decrypt") {
            password_message(password)
        } else {
            "Invalid PDF structure.".to_owned()
        }
    })?;
    if document.is_encrypted() {
        // Loaded but not decrypted: no password, or not the right one.
        return Err(password_message(password));
    }
    let page_ids = document.get_pages();
    let wanted = max_pages.map_or(page_ids.len(), |max| max.min(page_ids.len()));
    let mut texts = Vec::with_capacity(wanted);
    for (_, page) in page_ids.iter().take(wanted) {
        texts.push(page_text(&document, *page).map_err(|error| error.to_string())?);
    }
    Ok(PdfContent {
        pages: page_ids.len(),
        info: document_info(&document),
        texts,
    })
}

/// pdf.js's `PasswordException` messages.
fn password_message(password: Option<&str>) -> String {
    match password.filter(|password| !password.is_empty()) {
        Some(_) => "Incorrect Password".to_owned(),
        None => "No password given".to_owned(),
    }
}

/// A 2D affine matrix `[a b c d e f]`.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first × second`.
fn multiply(first: &Matrix, second: &Matrix) -> Matrix {
    [
        first[0] * second[0] + first[1] * second[2],
        first[0] * second[1] + first[1] * second[3],
        first[2] * second[0] + first[3] * second[2],
        first[2] * second[1] + first[3] * second[3],
        first[4] * second[0] + first[5] * second[2] + second[4],
        first[4] * second[1] + first[5] * second[3] + second[5],
    ]
}

fn number(object: Option<&Object>) -> f64 {
    match object {
        Some(Object::Integer(value)) => *value as f64,
        Some(Object::Real(value)) => f64::from(*value),
        _ => 0.0,
    }
}

/// The text of one page, as n8n's `parseText` joins pdf.js's items.
fn page_text(document: &Document, page: lopdf::ObjectId) -> lopdf::Result<String> {
    let fonts = document.get_page_fonts(page).unwrap_or_default();
    let encodings: Vec<(Vec<u8>, Encoding)> = fonts
        .into_iter()
        .filter_map(|(name, font)| {
            let encoding = font
                .get_font_encoding_with_limit(document, MAX_PAGE_CONTENT)
                .ok()?;
            Some((name, encoding))
        })
        .collect();
    let content = document.get_page_content_with_limit(page, MAX_PAGE_CONTENT)?;
    let content = lopdf::content::Content::decode(&content)?;
    let mut text = String::new();
    let mut last_y: Option<f64> = None;
    let mut ctm = IDENTITY;
    let mut saved = Vec::new();
    let (mut line, mut matrix) = (IDENTITY, IDENTITY);
    let mut leading = 0.0;
    let mut encoding: Option<&Encoding> = None;
    let mut show = |shown: String, matrix: &Matrix, ctm: &Matrix| {
        let y = multiply(matrix, ctm)[5];
        // n8n: `if (lastY == item.transform[5] || !lastY)` joins, else a new line.
        if last_y.is_some_and(|last| last != y && last != 0.0) {
            text.push('\n');
        }
        text.push_str(&shown);
        last_y = Some(y);
    };
    let decode = |encoding: Option<&Encoding>, object: &Object| -> String {
        match (encoding, object) {
            (Some(encoding), Object::String(bytes, _)) => {
                Document::decode_text(encoding, bytes).unwrap_or_default()
            }
            (None, Object::String(bytes, _)) => String::from_utf8_lossy(bytes).into_owned(),
            _ => String::new(),
        }
    };
    for operation in &content.operations {
        let operands = &operation.operands;
        let at = |index: usize| number(operands.get(index));
        match operation.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
            "cm" => ctm = multiply(&[at(0), at(1), at(2), at(3), at(4), at(5)], &ctm),
            "BT" => (line, matrix) = (IDENTITY, IDENTITY),
            "Tm" => {
                line = [at(0), at(1), at(2), at(3), at(4), at(5)];
                matrix = line;
            }
            "Td" | "TD" => {
                if operation.operator == "TD" {
                    leading = -at(1);
                }
                line = multiply(&[1.0, 0.0, 0.0, 1.0, at(0), at(1)], &line);
                matrix = line;
            }
            "TL" => leading = at(0),
            "T*" => {
                line = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &line);
                matrix = line;
            }
            "Tf" => {
                let name = operands.first().and_then(|name| name.as_name().ok());
                encoding = name.and_then(|name| {
                    encodings
                        .iter()
                        .find(|(font, _)| font.as_slice() == name)
                        .map(|(_, encoding)| encoding)
                });
            }
            "Tj" => {
                let shown = operands
                    .first()
                    .map(|o| decode(encoding, o))
                    .unwrap_or_default();
                show(shown, &matrix, &ctm);
            }
            "'" | "\"" => {
                line = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &line);
                matrix = line;
                let shown = operands
                    .last()
                    .map(|o| decode(encoding, o))
                    .unwrap_or_default();
                show(shown, &matrix, &ctm);
            }
            "TJ" => {
                let mut shown = String::new();
                for part in operands
                    .first()
                    .and_then(|o| o.as_array().ok())
                    .into_iter()
                    .flatten()
                {
                    match part {
                        Object::String(..) => shown.push_str(&decode(encoding, part)),
                        gap if number(Some(gap)) <= -250.0 && !shown.ends_with(' ') => {
                            shown.push(' ')
                        }
                        _ => {}
                    }
                }
                show(shown, &matrix, &ctm);
            }
            _ => {}
        }
    }
    Ok(text)
}

/// pdf.js's `documentInfo`: the format version and form flags, then the Info dictionary's
/// standard keys (text strings decoded; `Trapped` a name) and its other keys under `Custom`.
fn document_info(document: &Document) -> Map<String, Value> {
    let catalog = document.catalog().ok();
    let get = |dictionary: Option<&Dictionary>, key: &[u8]| -> Option<Object> {
        let object = dictionary?.get(key).ok()?;
        Some(document.dereference(object).ok()?.1.clone())
    };
    let version = get(catalog, b"Version")
        .and_then(|version| version.as_name().ok().map(<[u8]>::to_vec))
        .map(|name| String::from_utf8_lossy(&name).into_owned())
        .filter(|name| {
            let mut parts = name.split('.');
            matches!((parts.next(), parts.next(), parts.next()), (Some(major), Some(minor), None)
                if major.len() == 1 && major.chars().all(|c| c.is_ascii_digit()) && minor.len() == 1 && minor.chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| document.version.clone());
    let language = get(catalog, b"Lang").and_then(|lang| text_string(&lang));
    let encrypt_filter = document
        .trailer
        .get(b"Encrypt")
        .ok()
        .and_then(|encrypt| document.dereference(encrypt).ok())
        .and_then(|(_, encrypt)| encrypt.as_dict().ok())
        .and_then(|encrypt| encrypt.get(b"Filter").ok())
        .and_then(|filter| filter.as_name().ok())
        .map(|name| Value::String(String::from_utf8_lossy(name).into_owned()));
    let linearized = document
        .objects
        .values()
        .next()
        .and_then(|first| first.as_dict().ok())
        .is_some_and(|first| first.has(b"Linearized"));
    let acro_form = get(catalog, b"AcroForm");
    let acro_form = acro_form.as_ref().and_then(|form| form.as_dict().ok());
    let fields = get(acro_form, b"Fields");
    let has_fields = fields
        .as_ref()
        .and_then(|fields| fields.as_array().ok())
        .is_some_and(|fields| !fields.is_empty());
    let has_xfa = match get(acro_form, b"XFA") {
        Some(Object::Array(parts)) => !parts.is_empty(),
        Some(Object::Stream(stream)) => !stream.content.is_empty(),
        _ => false,
    };
    let has_signatures = (number(get(acro_form, b"SigFlags").as_ref()) as i64) & 1 == 1;
    let mut info = Map::new();
    info.insert("PDFFormatVersion".to_owned(), json!(version));
    info.insert(
        "Language".to_owned(),
        language.map_or(Value::Null, Value::String),
    );
    info.insert(
        "EncryptFilterName".to_owned(),
        encrypt_filter.unwrap_or(Value::Null),
    );
    info.insert("IsLinearized".to_owned(), json!(linearized));
    info.insert(
        "IsAcroFormPresent".to_owned(),
        json!(has_fields && !has_signatures),
    );
    info.insert("IsXFAPresent".to_owned(), json!(has_xfa));
    info.insert(
        "IsCollectionPresent".to_owned(),
        json!(get(catalog, b"Collection").is_some()),
    );
    info.insert("IsSignaturesPresent".to_owned(), json!(has_signatures));
    let dictionary = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|object| document.dereference(object).ok())
        .and_then(|(_, object)| object.as_dict().ok().cloned());
    let mut custom = Map::new();
    for (key, value) in dictionary.iter().flat_map(Dictionary::iter) {
        let key = String::from_utf8_lossy(key).into_owned();
        let value = document
            .dereference(value)
            .map_or(value, |(_, value)| value);
        let standard = matches!(
            key.as_str(),
            "Title"
                | "Author"
                | "Subject"
                | "Keywords"
                | "Creator"
                | "Producer"
                | "CreationDate"
                | "ModDate"
        );
        match (key.as_str(), value) {
            (_, Object::String(..)) if standard => {
                if let Some(text) = text_string(value) {
                    info.insert(key, Value::String(text));
                }
            }
            ("Trapped", Object::Name(name)) => {
                info.insert(key, json!({"name": String::from_utf8_lossy(name)}));
            }
            _ if standard || key == "Trapped" => {}
            (_, Object::String(..)) => {
                if let Some(text) = text_string(value) {
                    custom.insert(key, Value::String(text));
                }
            }
            (_, Object::Integer(number)) => {
                custom.insert(key, json!(number));
            }
            (_, Object::Real(number)) => {
                custom.insert(key, json!(number));
            }
            (_, Object::Boolean(flag)) => {
                custom.insert(key, json!(flag));
            }
            (_, Object::Name(name)) => {
                custom.insert(key, json!({"name": String::from_utf8_lossy(name)}));
            }
            _ => {}
        }
    }
    if !custom.is_empty() {
        info.insert("Custom".to_owned(), Value::Object(custom));
    }
    info
}

/// A PDF text string (PDFDocEncoding, or UTF-16BE/UTF-8 with a byte-order mark), as pdf.js's
/// `stringToPDFString` decodes it.
fn text_string(object: &Object) -> Option<String> {
    lopdf::decode_text_string(object).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{Stream, dictionary};

    /// A PDF of `pages`, each a list of content operations, built with lopdf.
    fn pdf(pages: &[Vec<Operation>]) -> Vec<u8> {
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        let font = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let kids: Vec<Object> = pages
            .iter()
            .map(|operations| {
                let content = Content {
                    operations: operations.clone(),
                };
                let stream =
                    document.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
                document
                    .add_object(dictionary! {
                        "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
                        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
                    })
                    .into()
            })
            .collect();
        let count = kids.len() as i64;
        document.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id, "Lang" => Object::string_literal("en-GB") });
        let info = document.add_object(dictionary! {
            "Title" => Object::string_literal("Built"), "Trapped" => "False", "Pages" => 2,
        });
        document.trailer.set("Root", catalog);
        document.trailer.set("Info", info);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }

    fn op(operator: &str, operands: Vec<Object>) -> Operation {
        Operation::new(operator, operands)
    }

    #[test]
    fn text_breaks_where_the_line_moves_and_info_is_pdfjs_shaped() {
        let first = vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 12.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![Object::string_literal("Hello, ")]),
            op("Tj", vec![Object::string_literal("same line")]),
            op("TL", vec![14.into()]),
            op("'", vec![Object::string_literal("next line")]),
            op(
                "TJ",
                vec![Object::Array(vec![
                    Object::string_literal("spa"),
                    (-20).into(),
                    Object::string_literal("ced"),
                    (-400).into(),
                    Object::string_literal("word"),
                ])],
            ),
            op("ET", vec![]),
        ];
        let second = vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 12.into()]),
            op(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    72.into(),
                    500.into(),
                ],
            ),
            op("Tj", vec![Object::string_literal("Second page")]),
            op("ET", vec![]),
        ];
        let bytes = pdf(&[first, second]);
        let read = read(&bytes, None, None).unwrap();
        assert_eq!(read.pages, 2);
        assert_eq!(
            read.texts,
            ["Hello, same line\nnext linespaced word", "Second page"]
        );
        assert_eq!(read.info["PDFFormatVersion"], "1.5");
        assert_eq!(read.info["Language"], "en-GB");
        assert_eq!(read.info["Title"], "Built");
        assert_eq!(read.info["Trapped"], json!({"name": "False"}));
        assert_eq!(read.info["Custom"], json!({"Pages": 2}));
        let limited = super::read(&bytes, None, Some(1)).unwrap();
        assert_eq!((limited.pages, limited.texts.len()), (2, 1));
        assert_eq!(super::read(&bytes, None, Some(0)).unwrap().texts.len(), 0);
    }

    #[test]
    fn files_that_are_not_pdfs_fail_as_pdfjs() {
        for bytes in [&b"just text"[..], b"%PDF-1.7\n garbage without objects"] {
            assert_eq!(
                read(bytes, None, None).unwrap_err(),
                "Invalid PDF structure."
            );
        }
    }
}
