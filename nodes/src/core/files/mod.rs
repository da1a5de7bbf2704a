//! Convert to File and Extract from File (and the legacy Spreadsheet File and Move Binary Data): items to files and files to items, with the pieces
//! they share (text encodings, CSV reading and writing, spreadsheets, JSON text, PDF).

mod convert_to_file;
mod csv_options;
mod csv_read;
mod encoding;
mod encoding_choices;
mod extract_from_file;
mod general_number;
mod js_object;
mod json_text;
mod move_binary_data;
mod options;
mod pdf_read;
mod sheet_write;
mod spreadsheet_file;
mod xlsx_read;

pub use convert_to_file::ConvertToFile;
pub use extract_from_file::ExtractFromFile;
pub use move_binary_data::MoveBinaryData;
pub use spreadsheet_file::SpreadsheetFile;

#[cfg(test)]
mod round_trip {
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::csv_read::{CsvOptions, parse};
    use super::sheet_write::{Table, csv};

    fn cell() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zé ,;\"\n\r\t'=]{0,8}").unwrap()
    }

    proptest! {
        /// What Convert to File writes as CSV, Extract from File reads back cell for cell,
        /// whatever quotes, delimiters and line breaks the cells hold.
        #[test]
        fn csv_written_by_convert_is_read_back_by_extract(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 2), 1..6),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { ";" } else { "," };
            let objects: Vec<Map<String, Value>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .map(|(column, text)| (format!("c{column}"), Value::String(text.clone())))
                        .collect()
                })
                .collect();
            let bytes = csv(&Table::from_objects(&objects), true, delimiter);
            let text = String::from_utf8(bytes).unwrap();
            let outcome = parse(
                text.strip_prefix('\u{feff}').unwrap(),
                &CsvOptions {
                    delimiter: delimiter.to_owned(),
                    from_line: 1,
                    max_records: None,
                    skip_records_with_error: false,
                    header_row: true,
                    relax_quotes: false,
                    include_empty_cells: true,
                },
            );
            prop_assert_eq!(outcome.error, None);
            let expected: Vec<Value> = objects.into_iter().map(Value::Object).collect();
            prop_assert_eq!(outcome.rows, expected);
        }
    }
}
