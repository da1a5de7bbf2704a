//! Extraction against cheerio 1.1 and n8n's own `getValue` (`cases.json`, recorded with node):
//! every return value, option set and typeVersion over one document, then the errors, the
//! table and the header capitalisation.

use serde_json::{Value, json};

use super::extract::{ExtractOptions, ExtractionValues, Flavor, extract};
use super::table::capitalize_header;
use super::text::html_to_text;

#[test]
fn extraction_matches_cheerio_and_n8n() {
    let recorded: Value = serde_json::from_str(include_str!("cases.json")).unwrap();
    let document = recorded["document"].as_str().unwrap();
    let cases = recorded["cases"].as_array().unwrap();
    assert!(cases.len() > 100);
    for case in cases {
        let flavor = match &case["flavor"] {
            Value::String(_) => Flavor::Legacy,
            version => Flavor::Html(version.as_f64().unwrap()),
        };
        let values: ExtractionValues =
            serde_json::from_value(json!({ "values": [case["value"]] })).unwrap();
        let options: ExtractOptions = serde_json::from_value(case["options"].clone()).unwrap();
        let got = extract(document, &values, &options, flavor).unwrap();
        assert_eq!(
            Value::Object(got),
            case["expected"],
            "{} ({:?}, options {})",
            case["name"],
            flavor,
            case["options"]
        );
    }
}

#[test]
fn an_invalid_selector_is_an_error_naming_it() {
    let values: ExtractionValues =
        serde_json::from_value(json!({ "values": [{ "key": "k", "cssSelector": "p[" }] })).unwrap();
    let error = extract(
        "<p>x</p>",
        &values,
        &ExtractOptions::default(),
        Flavor::Legacy,
    )
    .unwrap_err();
    assert_eq!(error.message, "The CSS selector \"p[\" is not valid");
}

#[test]
fn html_1_2_text_refuses_block_content_it_cannot_format() {
    let error = html_to_text("<p>a</p><p>b</p>", "").unwrap_err();
    assert!(error.message.contains("<p>"), "{}", error.message);
    // skipped block elements are fine
    assert_eq!(html_to_text("a <div>x</div> b", "div").unwrap(), "a b");
}

#[test]
fn headers_capitalise_on_underscores() {
    for (header, capitalize, expected) in [
        ("first_name", true, "First Name"),
        ("first_name", false, "first_name"),
        ("__id__x", true, "Id X"),
        ("éclair", true, "Éclair"),
    ] {
        assert_eq!(capitalize_header(header, capitalize), expected);
    }
}
