//! Items to a spreadsheet file, as Convert to File's CSV and XLSX operations make one: each
//! item's JSON flattened (`{a: {b: 1}}` → `a.b`, as n8n's `flattenObject`), a column per key in
//! the order keys first appear (SheetJS's `json_to_sheet`), an optional header row. CSV is
//! written as SheetJS writes it (a UTF-8 byte-order mark, `\n` between rows, General number
//! format, `TRUE`/`FALSE`, quotes only around cells holding the delimiter's first character, a
//! line feed or a quote); XLSX through `rust_xlsxwriter`.

use rust_xlsxwriter::Workbook;
use serde_json::{Map, Value};

use super::general_number::general;
use super::js_object::ordered_as_in_javascript;

/// Rows of cells under a list of column names.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Table {
    /// The column names, in order of first appearance.
    pub columns: Vec<String>,
    /// One row per item; `None` where the item had no such key.
    pub rows: Vec<Vec<Option<Value>>>,
}

impl Table {
    /// The table of `objects` (each flattened first).
    pub(crate) fn from_objects<'o>(
        objects: impl IntoIterator<Item = &'o Map<String, Value>>,
    ) -> Self {
        let mut table = Table::default();
        let mut positions: std::collections::HashMap<String, usize> = Default::default();
        for object in objects {
            let mut row = vec![None; table.columns.len()];
            for (key, value) in flatten(object) {
                let column = *positions.entry(key.clone()).or_insert_with(|| {
                    table.columns.push(key);
                    table.columns.len() - 1
                });
                if row.len() <= column {
                    row.resize(column + 1, None);
                }
                row[column] = Some(value);
            }
            table.rows.push(row);
        }
        table
    }
}

/// n8n's `flattenObject`: nested objects and arrays become dotted keys (`a.b`, `list.0`), empty
/// ones vanish, `null` stays.
pub(crate) fn flatten(object: &Map<String, Value>) -> Map<String, Value> {
    let mut flat = Map::new();
    for (key, value) in ordered_as_in_javascript(object.clone()) {
        match value {
            Value::Object(inner) => {
                for (inner_key, inner_value) in flatten(&inner) {
                    flat.insert(format!("{key}.{inner_key}"), inner_value);
                }
            }
            Value::Array(list) => {
                let inner: Map<String, Value> = list
                    .into_iter()
                    .enumerate()
                    .map(|(index, value)| (index.to_string(), value))
                    .collect();
                for (inner_key, inner_value) in flatten(&inner) {
                    flat.insert(format!("{key}.{inner_key}"), inner_value);
                }
            }
            other => {
                flat.insert(key, other);
            }
        }
    }
    ordered_as_in_javascript(flat)
}

/// The CSV file of `table` (SheetJS's `sheet_to_csv` with a byte-order mark).
pub(crate) fn csv(table: &Table, header_row: bool, delimiter: &str) -> Vec<u8> {
    let quote_trigger = delimiter.chars().next().unwrap_or(',');
    let width = table.columns.len().max(1);
    let header = header_row.then(|| {
        table
            .columns
            .iter()
            .map(|name| Some(Value::String(name.clone())))
            .collect::<Vec<_>>()
    });
    let mut lines = Vec::with_capacity(table.rows.len() + 1);
    for (line_index, row) in header.iter().chain(&table.rows).enumerate() {
        let cells: Vec<String> = (0..width)
            .map(|column| {
                let cell = row.get(column).and_then(Option::as_ref);
                let text = cell_text(cell);
                let quoted = if text.contains([quote_trigger, '\n', '"']) {
                    format!("\"{}\"", text.replace('"', "\"\""))
                } else {
                    text
                };
                if quoted == "ID" && line_index == 0 && column == 0 {
                    "\"ID\"".to_owned()
                } else {
                    quoted
                }
            })
            .collect();
        lines.push(cells.join(delimiter));
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(lines.join("\n").as_bytes());
    bytes
}

/// A cell's text in CSV.
fn cell_text(cell: Option<&Value>) -> String {
    match cell {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(true)) => "TRUE".to_owned(),
        Some(Value::Bool(false)) => "FALSE".to_owned(),
        Some(Value::Number(number)) => general(number.as_f64().unwrap_or(f64::NAN)),
        Some(other) => other.to_string(),
    }
}

/// Why an XLSX file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct XlsxWriteError(#[from] rust_xlsxwriter::XlsxError);

/// The XLSX file of `table` with one sheet named `sheet_name`.
pub(crate) fn xlsx(
    table: &Table,
    header_row: bool,
    sheet_name: &str,
) -> Result<Vec<u8>, XlsxWriteError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let mut row_number = 0u32;
    if header_row {
        for (column, name) in table.columns.iter().enumerate() {
            sheet.write_string(0, column as u16, name)?;
        }
        row_number = 1;
    }
    for row in &table.rows {
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            match cell {
                None | Some(Value::Null) => {}
                Some(Value::String(text)) => {
                    sheet.write_string(row_number, column, text)?;
                }
                Some(Value::Bool(flag)) => {
                    sheet.write_boolean(row_number, column, *flag)?;
                }
                Some(Value::Number(number)) => {
                    sheet.write_number(row_number, column, number.as_f64().unwrap_or_default())?;
                }
                Some(other) => {
                    sheet.write_string(row_number, column, other.to_string())?;
                }
            }
        }
        row_number += 1;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn objects(value: Value) -> Vec<Map<String, Value>> {
        serde_json::from_value(value).unwrap()
    }

    fn csv_text(value: Value, header_row: bool, delimiter: &str) -> String {
        let table = Table::from_objects(&objects(value));
        String::from_utf8(csv(&table, header_row, delimiter)).unwrap()
    }

    #[test]
    fn objects_flatten_as_n8n_flattens_them() {
        let object =
            objects(json!([{"a": {"b": [1, {"c": 2}]}, "d": null, "e": {}, "f": []}])).remove(0);
        assert_eq!(
            Value::Object(flatten(&object)),
            json!({"a.b.0": 1, "a.b.1.c": 2, "d": null})
        );
    }

    /// Expected texts recorded from n8n 2.41.1's `convertJsonToSpreadsheetBinary` (SheetJS).
    #[test]
    fn csv_is_written_as_sheetjs_writes_it() {
        let cases = [
            (
                json!([{"a": "x,y", "b": "he said \"hi\"", "c": "line\nbreak"}, {"a": " lead", "b": "", "c": null, "d": 5}]),
                true,
                ",",
                "\u{feff}a,b,c,d\n\"x,y\",\"he said \"\"hi\"\"\",\"line\nbreak\",\n lead,,,5",
            ),
            (
                json!([{"n": 0.30000000000000004, "big": 12345678901234567890.0_f64, "t": true, "f": false}]),
                true,
                ",",
                "\u{feff}n,big,t,f\n0.3,1.23457E+19,TRUE,FALSE",
            ),
            (
                json!([{"o": {"p": {"q": 1}, "arr": [1, 2]}}]),
                true,
                ",",
                "\u{feff}o.p.q,o.arr.0,o.arr.1\n1,1,2",
            ),
            (
                json!([{"a": 1}, {"b": 2}, {"a": 3, "c": 4}]),
                false,
                ",",
                "\u{feff}1,,\n,2,\n3,,4",
            ),
            (
                json!([{"a": "x;y", "b": "q"}]),
                true,
                ";",
                "\u{feff}a;b\n\"x;y\";q",
            ),
            (
                json!([{"a": "=1+2", "b": "\ttab", "c": "x\r", "d": "a b"}]),
                true,
                ",",
                "\u{feff}a,b,c,d\n=1+2,\ttab,x\r,a b",
            ),
            (json!([]), true, ",", "\u{feff}"),
            (json!([{}, {"a": 1}]), true, ",", "\u{feff}a\n\n1"),
            (json!([{"ID": "x"}]), true, "ab", "\u{feff}\"ID\"\nx"),
            (
                json!([{"a": "é€😀", "ID": "x"}, {"a": "ID"}]),
                false,
                ",",
                "\u{feff}é€😀,x\nID,",
            ),
            (json!([{"b": 1, "1": 2}]), true, ",", "\u{feff}1,b\n2,1"),
        ];
        for (items, header_row, delimiter, expected) in cases {
            assert_eq!(
                csv_text(items.clone(), header_row, delimiter),
                expected,
                "{items}"
            );
        }
    }

    #[test]
    fn xlsx_files_hold_the_table() {
        use calamine::{Data, Reader, Xlsx};
        let table = Table::from_objects(&objects(
            json!([{"name": "Ada", "age": 36, "ok": true}, {"name": "Grace", "x": null}]),
        ));
        let bytes = xlsx(&table, true, "People").unwrap();
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names(), ["People"]);
        let range = workbook.worksheet_range("People").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            rows,
            [
                vec![
                    Data::String("name".into()),
                    Data::String("age".into()),
                    Data::String("ok".into()),
                    Data::String("x".into())
                ],
                vec![
                    Data::String("Ada".into()),
                    Data::Float(36.0),
                    Data::Bool(true),
                    Data::Empty
                ],
                vec![
                    Data::String("Grace".into()),
                    Data::Empty,
                    Data::Empty,
                    Data::Empty
                ],
            ]
        );
        let error = xlsx(&table, true, "bad/name").unwrap_err();
        assert!(error.to_string().contains('/'), "{error}");
    }
}
