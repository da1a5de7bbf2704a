//! A form's fields as the n8n Form Trigger declares them (`formFields.values`), and a
//! submission turned into the item n8n makes of it (`addFormResponseDataToReturnItem`,
//! `prepareFormReturnItem`): one key per field (its label, or from typeVersion 2.4 its custom
//! name), numbers as numbers, checkboxes as arrays, files as binary properties, then
//! `submittedAt` and `formMode`. Unlike n8n, which leaves it to the browser, a submission is
//! checked here: required fields, numbers, e-mail addresses, dates and choices.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::binary_data;
use crate::item::BinaryData;
use crate::webhook::UploadedFile;

/// One form element.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct FormField {
    /// n8n's `fieldType` (`text` when absent).
    pub kind: String,
    /// The label shown above it.
    pub label: String,
    /// The key of its value in the item (n8n's `getFieldIdentifier`).
    pub key: String,
    /// Whether a value must be given.
    pub required: bool,
    /// The placeholder of a text input.
    pub placeholder: String,
    /// The value filled in when the page is shown.
    pub default_value: String,
    /// A hidden field's value.
    pub hidden_value: String,
    /// The choices of a dropdown, checkboxes or radio buttons.
    pub options: Vec<String>,
    /// A dropdown that takes several choices (before typeVersion 2.3).
    pub multiselect: bool,
    /// Checkboxes: the number of choices allowed, as (at least, at most).
    pub selections: (Option<usize>, Option<usize>),
    /// A file input that takes several files.
    pub multiple_files: bool,
    /// A file input's accepted types (`accept`).
    pub accept: String,
    /// A Custom HTML element's HTML.
    pub html: String,
    /// A Custom HTML element's key in the item, when it has one.
    pub element_name: String,
}

impl FormField {
    /// The field of entry `entry` (`formFields.values[i]`) of a typeVersion `version` node.
    pub fn parse(entry: &Value, version: f64) -> Self {
        let text = |key: &str| match entry.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let flag = |key: &str| entry.get(key).and_then(Value::as_bool);
        let count = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_f64)
                .filter(|count| *count >= 0.0)
                .map(|count| count as usize)
        };
        let kind = text("fieldType")
            .filter(|kind| !kind.is_empty())
            .unwrap_or_else(|| "text".to_owned());
        let label = text("fieldLabel");
        let name = text("fieldName").filter(|name| !name.is_empty());
        let key = match (&name, &label) {
            (Some(name), _) if version >= 2.4 => name.clone(),
            (_, Some(label)) => label.clone(),
            (Some(name), None) => name.clone(),
            (None, None) => String::new(),
        };
        let options = entry
            .pointer("/fieldOptions/values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|option| match option.get("option") {
                Some(Value::String(text)) => Some(text.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            })
            .collect();
        let selections = match text("limitSelection").as_deref() {
            Some("exact") => {
                let exact = count("numberOfSelections");
                (exact, exact)
            }
            Some("range") => (count("minSelections"), count("maxSelections")),
            _ => (None, None),
        };
        Self {
            label: label.or_else(|| name.clone()).unwrap_or_default(),
            key,
            required: flag("requiredField") == Some(true),
            placeholder: text("placeholder").unwrap_or_default(),
            default_value: text("defaultValue").unwrap_or_default(),
            hidden_value: text("fieldValue").unwrap_or_default(),
            options,
            multiselect: flag("multiselect") == Some(true),
            selections,
            multiple_files: flag("multipleFiles") != Some(false),
            accept: text("acceptFileTypes").unwrap_or_default(),
            html: text("html").unwrap_or_default(),
            element_name: text("elementName").unwrap_or_default(),
            kind,
        }
    }

    /// Whether it takes a list of choices (checkboxes, a multi-select dropdown).
    pub fn takes_many(&self) -> bool {
        self.kind == "checkbox" || (self.kind == "dropdown" && self.multiselect)
    }
}

/// A field whose submitted value is refused, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Refused {
    /// The field's label.
    pub label: String,
    /// What is wrong.
    pub problem: String,
}

/// An accepted submission: the item's JSON and binary properties.
pub(super) type Submitted = (Map<String, Value>, BTreeMap<String, BinaryData>);

/// The item's JSON and binary properties made from a submission: `fields` (the form's text
/// fields by input name, a repeated one as an array) and `files`; every refused field when
/// the submission is not acceptable.
pub(super) fn submission(
    form: &[FormField],
    fields: &Map<String, Value>,
    files: &[UploadedFile],
) -> Result<Submitted, Vec<Refused>> {
    let mut json = Map::new();
    let mut binary = BTreeMap::new();
    let mut refused = Vec::new();
    for (index, field) in form.iter().enumerate() {
        let input = format!("field-{index}");
        let sent: Vec<&UploadedFile> = files
            .iter()
            .filter(|file| {
                file.field == input
                    && !(file.bytes.is_empty()
                        && file.file_name.as_deref().unwrap_or_default().is_empty())
            })
            .collect();
        let value = if field.kind == "file" {
            file_value(field, &sent, &mut binary)
        } else {
            fields.get(&input).cloned()
        };
        match converted(field, value) {
            Ok(Converted::Value(value)) => {
                json.insert(field.key.clone(), value);
            }
            Ok(Converted::Skipped) => {}
            Err(problem) => refused.push(Refused {
                label: field.label.clone(),
                problem,
            }),
        }
    }
    match refused.is_empty() {
        true => Ok((json, binary)),
        false => Err(refused),
    }
}

/// What a field puts into the item.
#[derive(Debug, PartialEq)]
enum Converted {
    /// This value at the field's key.
    Value(Value),
    /// Nothing (a Custom HTML element without an element name).
    Skipped,
}

/// The value of one field as n8n converts it, or why it is refused.
fn converted(field: &FormField, value: Option<Value>) -> Result<Converted, String> {
    let missing = match &value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.trim().is_empty(),
        Some(Value::Array(values)) => values.is_empty(),
        Some(_) => false,
    };
    if missing && field.required && field.kind != "html" && field.kind != "hiddenField" {
        return Err("This field is required".to_owned());
    }
    let Some(value) = value else {
        return Ok(Converted::Value(Value::Null));
    };
    let text = || match &value {
        Value::String(text) => text.clone(),
        Value::Array(values) => values.last().map(text_of).unwrap_or_default(),
        other => text_of(other),
    };
    let converted = match field.kind.as_str() {
        "html" if field.element_name.is_empty() => return Ok(Converted::Skipped),
        "html" => value,
        "number" => {
            let text = text();
            let trimmed = text.trim();
            if trimmed.is_empty() {
                // JavaScript's Number("") is 0.
                Value::from(0)
            } else {
                let number: f64 = trimmed
                    .parse()
                    .ok()
                    .filter(|number: &f64| number.is_finite())
                    .ok_or_else(|| "Enter a number".to_owned())?;
                number_value(number)
            }
        }
        "text" => Value::String(text().trim().to_owned()),
        "email" => {
            let text = text().trim().to_owned();
            if !text.is_empty() && !looks_like_email(&text) {
                return Err("Enter a valid e-mail address".to_owned());
            }
            Value::String(text)
        }
        "date" => {
            let text = text();
            if !text.is_empty() && chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_err() {
                return Err("Enter a date as YYYY-MM-DD".to_owned());
            }
            Value::String(text)
        }
        "radio" => {
            let choice = match &value {
                Value::String(text) => json_list(text)
                    .and_then(|list| list.first().cloned())
                    .unwrap_or(value.clone()),
                Value::Array(values) => values.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            check_choices(field, std::slice::from_ref(&choice))?;
            choice
        }
        "dropdown" if !field.multiselect => {
            let choice = Value::String(text());
            check_choices(field, std::slice::from_ref(&choice))?;
            choice
        }
        _ if field.takes_many() => {
            let choices = match value {
                Value::Array(values) => values,
                Value::String(text) => {
                    json_list(&text).unwrap_or_else(|| vec![Value::String(text)])
                }
                other => vec![other],
            };
            check_choices(field, &choices)?;
            let (least, most) = field.selections;
            let count = choices.len();
            if least.is_some_and(|least| count < least) || most.is_some_and(|most| count > most) {
                return Err(match (least, most) {
                    (Some(least), Some(most)) if least == most => format!("Select {least} options"),
                    (least, most) => format!(
                        "Select between {} and {} options",
                        least.unwrap_or(0),
                        most.map_or_else(|| "any number of".to_owned(), |most| most.to_string())
                    ),
                });
            }
            Value::Array(choices)
        }
        "file" if field.multiple_files && !value.is_array() => Value::Array(vec![value]),
        _ => value,
    };
    Ok(Converted::Value(converted))
}

/// The file entries of a file field (`{filename, mimetype, size}`, one or a list), its
/// files added to `binary` under the field's key with non-word characters as `_` (and `_<n>`
/// when several were sent). `None` when no file was sent.
fn file_value(
    field: &FormField,
    sent: &[&UploadedFile],
    binary: &mut BTreeMap<String, BinaryData>,
) -> Option<Value> {
    if sent.is_empty() {
        return None;
    }
    let property: String = field
        .key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut entries = Vec::new();
    for (count, file) in sent.iter().enumerate() {
        let prepared: BinaryData = binary_data::prepare(
            &file.bytes,
            file.file_name.as_deref(),
            file.mime_type.as_deref(),
        );
        let name = match sent.len() {
            1 => property.clone(),
            _ => format!("{property}_{count}"),
        };
        entries.push(serde_json::json!({
            "filename": file.file_name,
            "mimetype": file.mime_type,
            "size": file.bytes.len(),
        }));
        binary.insert(name, prepared);
    }
    Some(match entries.len() {
        1 => entries.remove(0),
        _ => Value::Array(entries),
    })
}

/// Refuses choices that are not among the field's options.
fn check_choices(field: &FormField, choices: &[Value]) -> Result<(), String> {
    if field.options.is_empty() {
        return Ok(());
    }
    match choices.iter().find(|choice| {
        !field
            .options
            .iter()
            .any(|option| Some(option.as_str()) == choice.as_str())
    }) {
        Some(Value::String(text)) if text.is_empty() && choices.len() == 1 => Ok(()),
        Some(_) => Err("Choose one of the listed options".to_owned()),
        None => Ok(()),
    }
}

/// A JSON array in `text` (n8n's form page sends checkboxes so).
fn json_list(text: &str) -> Option<Vec<Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Array(values)) => Some(values),
        _ => None,
    }
}

/// `something@host` with no spaces: what a browser's e-mail input accepts, roughly.
fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && !host.is_empty()
                && !host.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A number as JavaScript's `Number` gives it: whole numbers as integers.
fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        Value::from(number as i64)
    } else {
        Value::from(number)
    }
}

/// A value as text: a string as it is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(entry: Value) -> FormField {
        FormField::parse(&entry, 2.2)
    }

    #[test]
    fn entries_are_read_with_n8ns_defaults_and_keys() {
        let empty = field(json!({}));
        assert_eq!((empty.kind.as_str(), empty.key.as_str()), ("text", ""));
        assert!(!empty.required);
        let hidden =
            field(json!({"fieldType": "hiddenField", "fieldName": "source", "fieldValue": "ad"}));
        assert_eq!(
            (hidden.key.as_str(), hidden.hidden_value.as_str()),
            ("source", "ad")
        );
        let named = json!({"fieldLabel": "Your name", "fieldName": "name"});
        assert_eq!(FormField::parse(&named, 2.3).key, "Your name");
        assert_eq!(FormField::parse(&named, 2.4).key, "name");
        let checks = field(
            json!({"fieldType": "checkbox", "limitSelection": "range", "minSelections": 1, "maxSelections": 2,
            "fieldOptions": {"values": [{"option": "a"}, {"option": "b"}, {"option": "c"}]}}),
        );
        assert_eq!(checks.options, ["a", "b", "c"]);
        assert_eq!(checks.selections, (Some(1), Some(2)));
        assert!(checks.takes_many());
    }

    #[test]
    fn submitted_values_convert_as_n8n_converts_them() {
        let options = json!({"values": [{"option": "Email"}, {"option": "Phone"}]});
        let cases: Vec<(Value, Option<Value>, Value)> = vec![
            (
                json!({"fieldLabel": "Name"}),
                Some(json!("  Ada ")),
                json!("Ada"),
            ),
            (
                json!({"fieldLabel": "Bio", "fieldType": "textarea"}),
                Some(json!(" hi\n")),
                json!(" hi\n"),
            ),
            (
                json!({"fieldLabel": "Age", "fieldType": "number"}),
                Some(json!("42")),
                json!(42),
            ),
            (
                json!({"fieldLabel": "Age", "fieldType": "number"}),
                Some(json!("1.5")),
                json!(1.5),
            ),
            (
                json!({"fieldLabel": "Age", "fieldType": "number"}),
                Some(json!("")),
                json!(0),
            ),
            (
                json!({"fieldLabel": "Mail", "fieldType": "email"}),
                Some(json!(" a@b.c ")),
                json!("a@b.c"),
            ),
            (
                json!({"fieldLabel": "Day", "fieldType": "date"}),
                Some(json!("2024-02-29")),
                json!("2024-02-29"),
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "dropdown", "fieldOptions": options}),
                Some(json!("Phone")),
                json!("Phone"),
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "dropdown", "multiselect": true, "fieldOptions": options}),
                Some(json!(["Email", "Phone"])),
                json!(["Email", "Phone"]),
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "checkbox", "fieldOptions": options}),
                Some(json!("Email")),
                json!(["Email"]),
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "checkbox", "fieldOptions": options}),
                Some(json!("[\"Phone\"]")),
                json!(["Phone"]),
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "radio", "fieldOptions": options}),
                Some(json!("Email")),
                json!("Email"),
            ),
            (
                json!({"fieldLabel": "Secret", "fieldType": "password"}),
                Some(json!(" p ")),
                json!(" p "),
            ),
            (json!({"fieldLabel": "Optional"}), None, json!(null)),
            (
                json!({"fieldType": "hiddenField", "fieldName": "src"}),
                Some(json!("ad")),
                json!("ad"),
            ),
            (
                json!({"fieldType": "html", "elementName": "intro"}),
                Some(json!("<b>x</b>")),
                json!("<b>x</b>"),
            ),
        ];
        for (entry, sent, expected) in cases {
            let form = [field(entry.clone())];
            let fields: Map<String, Value> = sent
                .into_iter()
                .map(|value| ("field-0".to_owned(), value))
                .collect();
            let (json, _) = submission(&form, &fields, &[])
                .unwrap_or_else(|refused| panic!("{entry}: {refused:?}"));
            assert_eq!(json.get(&form[0].key), Some(&expected), "{entry}");
        }
    }

    #[test]
    fn unacceptable_submissions_name_every_field() {
        let options = json!({"values": [{"option": "Email"}, {"option": "Phone"}]});
        let cases: Vec<(Value, Option<Value>, &str)> = vec![
            (
                json!({"fieldLabel": "Name", "requiredField": true}),
                None,
                "This field is required",
            ),
            (
                json!({"fieldLabel": "Name", "requiredField": true}),
                Some(json!("  ")),
                "This field is required",
            ),
            (
                json!({"fieldLabel": "Age", "fieldType": "number"}),
                Some(json!("ten")),
                "Enter a number",
            ),
            (
                json!({"fieldLabel": "Mail", "fieldType": "email"}),
                Some(json!("nope")),
                "Enter a valid e-mail address",
            ),
            (
                json!({"fieldLabel": "Day", "fieldType": "date"}),
                Some(json!("29/02/2024")),
                "Enter a date as YYYY-MM-DD",
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "dropdown", "fieldOptions": options}),
                Some(json!("Fax")),
                "Choose one of the listed options",
            ),
            (
                json!({"fieldLabel": "Via", "fieldType": "checkbox", "limitSelection": "exact", "numberOfSelections": 2, "fieldOptions": options}),
                Some(json!("Email")),
                "Select 2 options",
            ),
            (
                json!({"fieldLabel": "Doc", "fieldType": "file", "requiredField": true}),
                None,
                "This field is required",
            ),
        ];
        for (entry, sent, problem) in cases {
            let form = [field(entry.clone())];
            let fields: Map<String, Value> = sent
                .into_iter()
                .map(|value| ("field-0".to_owned(), value))
                .collect();
            let refused = submission(&form, &fields, &[]).unwrap_err();
            assert_eq!(
                refused,
                [Refused {
                    label: form[0].label.clone(),
                    problem: problem.to_owned()
                }],
                "{entry}"
            );
        }
    }

    #[test]
    fn files_become_binary_properties_named_after_the_field() {
        let form = [
            field(json!({"fieldLabel": "Your CV", "fieldType": "file", "multipleFiles": false})),
            field(json!({"fieldLabel": "Photos", "fieldType": "file"})),
        ];
        let file = |field: &str, name: &str| UploadedFile {
            field: field.to_owned(),
            file_name: Some(name.to_owned()),
            mime_type: Some("text/plain".to_owned()),
            bytes: b"hello".to_vec(),
        };
        let files = [
            file("field-0", "cv.txt"),
            file("field-1", "a.txt"),
            file("field-1", "b.txt"),
        ];
        let (json, binary) = submission(&form, &Map::new(), &files).unwrap();
        assert_eq!(
            json["Your CV"],
            json!({"filename": "cv.txt", "mimetype": "text/plain", "size": 5})
        );
        assert_eq!(json["Photos"].as_array().map(Vec::len), Some(2));
        let names: Vec<&String> = binary.keys().collect();
        assert_eq!(names, ["Photos_0", "Photos_1", "Your_CV"]);
        assert_eq!(binary["Your_CV"].file_name.as_deref(), Some("cv.txt"));
        // One file in a multiple-files field: a list of one entry, the property unnumbered.
        let (json, binary) = submission(&form, &Map::new(), &[file("field-1", "a.txt")]).unwrap();
        assert_eq!(json["Photos"].as_array().map(Vec::len), Some(1));
        assert!(binary.contains_key("Photos"));
    }
}
