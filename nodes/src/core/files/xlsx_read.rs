//! Reading an XLSX sheet into rows as Extract from File does with SheetJS's `sheet_to_json`
//! (raw values: numbers, strings, booleans; dates as Excel serial numbers; error cells left
//! out), over `calamine`. The first row of the range names the columns (a blank cell is
//! `__EMPTY`, a repeated name gets `_1`, `_2`…), rows with no value are dropped; without a
//! header row every row is an array, blank rows included.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use serde_json::{Map, Value};

use super::general_number::general;
use super::js_object::ordered_as_in_javascript;

/// `sheet_to_json`'s options as Extract from File sets them.
#[derive(Clone, Debug, Default)]
pub(crate) struct SheetOptions {
    /// The sheet to read (`options.sheetName`); the first one when absent.
    pub sheet_name: Option<String>,
    /// `options.range`: a first row (0-based) or an A1 range.
    pub range: Option<SheetRange>,
    /// Fill absent cells with `""` (`options.includeEmptyCells`).
    pub include_empty_cells: bool,
    /// The first row names the columns (`options.headerRow`).
    pub header_row: bool,
}

/// What `options.range` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SheetRange {
    /// Start at this row (0-based), keep the sheet's columns and last row.
    FirstRow(u32),
    /// These cells (rows and columns 0-based, inclusive).
    Cells { first: (u32, u32), last: (u32, u32) },
}

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SheetError {
    #[error("{0}")]
    Unreadable(String),
    #[error("Spreadsheet does not have any sheets!")]
    NoSheets,
    #[error("Spreadsheet does not contain sheet called \"{0}\"!")]
    NoSuchSheet(String),
}

impl SheetRange {
    /// `options.range` as n8n reads it: a number is a first row, anything else an A1 range
    /// (`A1:C10`, or one cell `B2`); `None` when it is neither.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(row) = text.parse::<f64>() {
            return Some(Self::FirstRow(row.max(0.0) as u32));
        }
        let (first, last) = text.split_once(':').unwrap_or((text, text));
        Some(Self::Cells {
            first: cell_position(first)?,
            last: cell_position(last)?,
        })
    }
}

/// `B3` → (row 2, column 1).
fn cell_position(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let column = letters
        .to_ascii_uppercase()
        .bytes()
        .try_fold(0u32, |acc, letter| {
            acc.checked_mul(26)?
                .checked_add(u32::from(letter - b'A' + 1))
        })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

/// The rows of the chosen sheet of the XLSX file `bytes`.
pub(crate) fn read_rows(bytes: Vec<u8>, options: &SheetOptions) -> Result<Vec<Value>, SheetError> {
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|error| SheetError::Unreadable(error.to_string()))?;
    let names = workbook.sheet_names();
    let name = match &options.sheet_name {
        Some(wanted) if !names.contains(wanted) => {
            return Err(SheetError::NoSuchSheet(wanted.clone()));
        }
        Some(wanted) => wanted.clone(),
        None => names.first().cloned().ok_or(SheetError::NoSheets)?,
    };
    let declared = workbook
        .worksheet_cells_reader(&name)
        .map_err(|error| SheetError::Unreadable(error.to_string()))?
        .dimensions();
    // SheetJS takes a declared `A1:C9` dimension as the sheet's extent; a single cell or none
    // (calamine's (0,0)-(0,0) for both) leaves the cells to decide.
    let declared = (declared.end != (0, 0)).then_some((declared.start, declared.end));
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| SheetError::Unreadable(error.to_string()))?;
    Ok(sheet_rows(&range, declared, options))
}

/// `sheet_to_json` over a calamine range, within the sheet's `declared` extent if it has one.
fn sheet_rows(
    range: &Range<Data>,
    declared: Option<((u32, u32), (u32, u32))>,
    options: &SheetOptions,
) -> Vec<Value> {
    let Some((start, end)) = declared.or(range.start().zip(range.end())) else {
        return Vec::new();
    };
    let (first, last) = match options.range {
        None => (start, end),
        Some(SheetRange::FirstRow(row)) => ((row, start.1), end),
        Some(SheetRange::Cells { first, last }) => (first, last),
    };
    if first.0 > last.0 || first.1 > last.1 {
        return Vec::new();
    }
    let cell = |row: u32, column: u32| range.get_value((row, column));
    let columns = first.1..=last.1;
    let defval = options
        .include_empty_cells
        .then(|| Value::String(String::new()));
    if !options.header_row {
        return (first.0..=last.0)
            .map(|row| {
                let mut values: Vec<Value> = Vec::new();
                for (at, column) in columns.clone().enumerate() {
                    if let Some(value) = cell(row, column)
                        .and_then(raw_value)
                        .or_else(|| defval.clone())
                    {
                        values.resize(at, Value::Null);
                        values.push(value);
                    }
                }
                Value::Array(values)
            })
            .collect();
    }
    let names = header_names(columns.clone().map(|column| cell(first.0, column)));
    let mut rows = Vec::new();
    for row in first.0 + 1..=last.0 {
        let mut object = Map::new();
        let mut empty = true;
        for (name, column) in names.iter().zip(columns.clone()) {
            match cell(row, column).and_then(raw_value) {
                Some(value) => {
                    empty = false;
                    object.insert(name.clone(), value);
                }
                None => {
                    if let Some(value) = &defval {
                        object.insert(name.clone(), value.clone());
                    }
                }
            }
        }
        if !empty {
            rows.push(Value::Object(ordered_as_in_javascript(object)));
        }
    }
    rows
}

/// A cell's raw value; `None` for an empty or error cell.
fn raw_value(cell: &Data) -> Option<Value> {
    Some(match cell {
        Data::Empty | Data::Error(_) => return None,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Value::String(text.clone())
        }
        Data::Bool(flag) => Value::Bool(*flag),
        Data::Int(number) => Value::from(*number),
        Data::Float(number) => number_value(*number),
        Data::DateTime(date) => number_value(date.as_f64()),
    })
}

/// A JavaScript number as JSON: integral values without a fraction.
fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

/// The column names of a header row: each cell's text, `__EMPTY` for a blank one, repeats
/// numbered as SheetJS numbers them.
fn header_names<'c>(cells: impl Iterator<Item = Option<&'c Data>>) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    let mut names = Vec::new();
    for cell in cells {
        let base = match cell {
            None | Some(Data::Empty) => "__EMPTY".to_owned(),
            Some(Data::String(text)) => text.clone(),
            Some(Data::Bool(flag)) => if *flag { "TRUE" } else { "FALSE" }.to_owned(),
            Some(Data::Int(number)) => number.to_string(),
            Some(Data::Float(number)) => general(*number),
            Some(Data::DateTime(date)) => short_date(date.as_f64()),
            Some(other) => other.to_string(),
        };
        let mut name = base.clone();
        match counts.get(&base).copied() {
            None => {
                counts.insert(base, 1);
            }
            Some(mut counter) => {
                loop {
                    name = format!("{base}_{counter}");
                    counter += 1;
                    if !counts.contains_key(&name) {
                        break;
                    }
                }
                counts.insert(base, counter);
                counts.insert(name.clone(), 1);
            }
        }
        names.push(name);
    }
    names
}

/// A date serial number as SheetJS shows a date cell of Excel's default format 14 (`m/d/yy`),
/// e.g. `11/28/20`; the time of day is not shown.
fn short_date(serial: f64) -> String {
    // Excel counts 1900 as a leap year: serials from 61 on are days since 1899-12-30.
    let epoch = if serial >= 61.0 {
        (1899, 12, 30)
    } else {
        (1899, 12, 31)
    };
    chrono::NaiveDate::from_ymd_opt(epoch.0, epoch.1, epoch.2)
        .and_then(|day| day.checked_add_days(chrono::Days::new(serial.floor().max(0.0) as u64)))
        .map_or_else(
            || general(serial),
            |day| day.format("%-m/%-d/%y").to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;
    use serde_json::json;

    /// A workbook like the one n8n's behaviour was recorded on: header `d,n,s,b,e`, a date, a
    /// number, a string, a boolean; a blank row; a short row.
    fn workbook() -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("S").unwrap();
        for (column, name) in ["d", "n", "s", "b", "e"].iter().enumerate() {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        let date_format = rust_xlsxwriter::Format::new().set_num_format("m/d/yy");
        sheet
            .write_number_with_format(1, 0, 45293.12783564815, &date_format)
            .unwrap();
        sheet.write_number(1, 1, 1.5).unwrap();
        sheet.write_string(1, 2, "x").unwrap();
        sheet.write_boolean(1, 3, true).unwrap();
        sheet.write_number(3, 0, 1).unwrap();
        sheet.write_number(3, 1, 2).unwrap();
        workbook.add_worksheet().set_name("Other").unwrap();
        workbook.save_to_buffer().unwrap()
    }

    fn read(options: SheetOptions) -> Value {
        Value::Array(read_rows(workbook(), &options).unwrap())
    }

    /// Expected rows recorded from SheetJS 0.20.3's `sheet_to_json` on the same cells.
    #[test]
    fn rows_match_sheet_to_json() {
        let header = SheetOptions {
            header_row: true,
            ..SheetOptions::default()
        };
        assert_eq!(
            read(header.clone()),
            json!([{"d": 45293.12783564815, "n": 1.5, "s": "x", "b": true}, {"d": 1, "n": 2}])
        );
        assert_eq!(
            read(SheetOptions {
                header_row: false,
                ..header.clone()
            }),
            json!([
                ["d", "n", "s", "b", "e"],
                [45293.12783564815, 1.5, "x", true],
                [],
                [1, 2]
            ])
        );
        assert_eq!(
            read(SheetOptions {
                header_row: false,
                include_empty_cells: true,
                ..header.clone()
            }),
            json!([
                ["d", "n", "s", "b", "e"],
                [45293.12783564815, 1.5, "x", true, ""],
                ["", "", "", "", ""],
                [1, 2, "", "", ""]
            ])
        );
        assert_eq!(
            read(SheetOptions {
                range: Some(SheetRange::FirstRow(2)),
                ..header.clone()
            }),
            json!([{"__EMPTY": 1, "__EMPTY_1": 2}])
        );
        assert_eq!(
            read(SheetOptions {
                range: SheetRange::parse("B1:C4"),
                include_empty_cells: true,
                ..header.clone()
            }),
            json!([{"n": 1.5, "s": "x"}, {"n": 2, "s": ""}])
        );
        assert_eq!(
            read(SheetOptions {
                sheet_name: Some("Other".into()),
                ..header.clone()
            }),
            json!([])
        );
        let missing = read_rows(
            workbook(),
            &SheetOptions {
                sheet_name: Some("Nope".into()),
                ..header
            },
        )
        .unwrap_err();
        assert_eq!(
            missing.to_string(),
            "Spreadsheet does not contain sheet called \"Nope\"!"
        );
    }

    #[test]
    fn ranges_and_header_names_follow_sheetjs() {
        assert_eq!(SheetRange::parse("3"), Some(SheetRange::FirstRow(3)));
        assert_eq!(
            SheetRange::parse("$B$2:AA10"),
            Some(SheetRange::Cells {
                first: (1, 1),
                last: (9, 26)
            })
        );
        assert_eq!(SheetRange::parse("nonsense"), None);
        let cells = [
            Data::String("a".into()),
            Data::Empty,
            Data::String("a".into()),
            Data::String("a_1".into()),
            Data::Float(2.5),
        ];
        assert_eq!(
            header_names(cells.iter().map(Some)),
            ["a", "__EMPTY", "a_1", "a_1_1", "2.5"]
        );
    }

    #[test]
    fn a_file_that_is_not_xlsx_is_refused() {
        let error = read_rows(b"a,b\n1,2\n".to_vec(), &SheetOptions::default()).unwrap_err();
        assert!(matches!(error, SheetError::Unreadable(_)), "{error}");
    }
}
