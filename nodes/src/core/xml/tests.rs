//! The XML conversions against xml2js 0.6.2's own output (`cases.json`, recorded by running
//! xml2js with n8n's parser options and the builder's defaults): every case's JSON or XML, or
//! the first line of its error.

use serde_json::{Map, Value};

use super::XmlOptions;
use super::build::json_to_xml;
use super::parse::xml_to_json;

fn cases(kind: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("cases.json")).unwrap();
    all[kind].as_array().unwrap().clone()
}

fn options(case: &Value) -> XmlOptions {
    serde_json::from_value(case["options"].clone()).unwrap()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[test]
fn xml_to_json_matches_xml2js() {
    for case in cases("parse") {
        let name = case["name"].as_str().unwrap();
        let parsed = options(&case).parse_options().unwrap();
        let result = xml_to_json(case["xml"].as_str().unwrap(), &parsed);
        match case.get("error") {
            Some(error) => assert_eq!(
                result.map_err(|e| e.to_string()).unwrap_err(),
                first_line(error.as_str().unwrap()),
                "{name}"
            ),
            None => {
                let json = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                // key order matters: n8n's items keep it
                assert_eq!(
                    serde_json::to_string(&json).unwrap(),
                    serde_json::to_string(&case["expected"]).unwrap(),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn json_to_xml_matches_xml2js_builder() {
    for case in cases("build") {
        let name = case["name"].as_str().unwrap();
        let built = options(&case).build_options().unwrap();
        let json: Map<String, Value> = serde_json::from_value(case["json"].clone()).unwrap();
        let result = json_to_xml(&json, &built).map_err(|e| e.to_string());
        match case.get("error") {
            Some(error) => assert_eq!(result.unwrap_err(), error.as_str().unwrap(), "{name}"),
            None => assert_eq!(
                result.unwrap(),
                case["expected"].as_str().unwrap(),
                "{name}"
            ),
        }
    }
}

#[test]
fn prototype_keys_are_refused_naming_the_option() {
    for (options, message) in [
        (
            r#"{"attrkey":"__proto__"}"#,
            "The \"Attribute Key\" option value \"__proto__\" is not allowed",
        ),
        (
            r#"{"charkey":"constructor"}"#,
            "The \"Character Key\" option value \"constructor\" is not allowed",
        ),
    ] {
        let options: XmlOptions = serde_json::from_str(options).unwrap();
        assert_eq!(options.parse_options().unwrap_err().message, message);
        assert_eq!(options.build_options().unwrap_err().message, message);
    }
}
