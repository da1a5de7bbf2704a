//! Reading CSV as Extract from File does with the csv-parse package (`skip_empty_lines`, `"`
//! quotes doubled inside quoted fields, the record delimiter taken from the first line break,
//! records of another length refused): weft's own parser with csv-parse's options and error texts.
//! Every value stays a string. Rows come out as JSON the way n8n shows them: objects keyed by
//! the header row (integer-like keys first, as in a JavaScript object), or arrays without one.

use serde_json::{Map, Value};

use super::js_object::ordered_as_in_javascript;

/// csv-parse's options as Extract from File passes them.
#[derive(Clone, Debug)]
pub(crate) struct CsvOptions {
    /// The field delimiter (`delimiter`; several characters allowed).
    pub delimiter: String,
    /// The first line to read, from 1 (`from_line`).
    pub from_line: usize,
    /// Stop after this many records (`to`).
    pub max_records: Option<usize>,
    /// Skip records that fail instead of stopping (`skip_records_with_error`).
    pub skip_records_with_error: bool,
    /// The first record names the columns (`columns: true`).
    pub header_row: bool,
    /// Quotes inside unquoted fields, and text after a closing quote, are kept (`relax_quotes`).
    pub relax_quotes: bool,
    /// Keep cells that are empty strings.
    pub include_empty_cells: bool,
}

/// A record csv-parse refused, with its message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct CsvError(pub String);

/// What a parse produced: the rows read before it stopped, the error that stopped it (if any)
/// and how many records were skipped for errors.
#[derive(Debug, Default)]
pub(crate) struct CsvOutcome {
    pub rows: Vec<Value>,
    pub error: Option<CsvError>,
    pub skipped: usize,
}

/// Parses `text` with `options`.
pub(crate) fn parse(text: &str, options: &CsvOptions) -> CsvOutcome {
    let mut parser = Parser::new(text, options);
    let mut outcome = CsvOutcome::default();
    let mut columns: Option<Vec<String>> = None;
    let mut expected_fields: Option<usize> = None;
    loop {
        if options
            .max_records
            .is_some_and(|max| outcome.rows.len() >= max)
        {
            break;
        }
        let record = match parser.next_record(columns.as_deref()) {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(_) if options.skip_records_with_error => {
                outcome.skipped += 1;
                continue;
            }
            Err(error) => {
                outcome.error = Some(error);
                break;
            }
        };
        if record.line < options.from_line || record.is_empty_line() {
            continue;
        }
        let checked = match (&columns, options.header_row) {
            (None, true) => {
                columns = Some(record.fields);
                continue;
            }
            (Some(names), _) if names.len() != record.fields.len() => Err(CsvError(format!(
                "Invalid Record Length: columns length is {}, got {} on line {}",
                names.len(),
                record.fields.len(),
                record.line
            ))),
            (_, false) => match expected_fields {
                Some(count) if count != record.fields.len() => Err(CsvError(format!(
                    "Invalid Record Length: expect {count}, got {} on line {}",
                    record.fields.len(),
                    record.line
                ))),
                _ => {
                    expected_fields = Some(record.fields.len());
                    Ok(record.fields)
                }
            },
            (Some(_), true) => Ok(record.fields),
        };
        match checked {
            Ok(fields) => {
                outcome
                    .rows
                    .push(row(fields, columns.as_deref(), options.include_empty_cells))
            }
            Err(_) if options.skip_records_with_error => outcome.skipped += 1,
            Err(error) => {
                outcome.error = Some(error);
                break;
            }
        }
    }
    outcome
}

/// A record's JSON: keyed by `columns` (a later duplicate name wins), else an array; empty
/// cells dropped unless kept (an array then becomes an object of its indexes, as n8n's filter
/// of `Object.entries` makes it).
fn row(fields: Vec<String>, columns: Option<&[String]>, include_empty_cells: bool) -> Value {
    let keep = |value: &String| include_empty_cells || !value.is_empty();
    match columns {
        Some(names) => {
            let mut object = Map::new();
            for (name, value) in names.iter().zip(fields) {
                if keep(&value) {
                    object.insert(name.clone(), Value::String(value));
                } else {
                    object.remove(name);
                }
            }
            Value::Object(ordered_as_in_javascript(object))
        }
        None if include_empty_cells => {
            Value::Array(fields.into_iter().map(Value::String).collect())
        }
        None => Value::Object(
            fields
                .into_iter()
                .enumerate()
                .filter(|(_, value)| keep(value))
                .map(|(index, value)| (index.to_string(), Value::String(value)))
                .collect(),
        ),
    }
}

/// One record and the line csv-parse reports for it (where its record delimiter is).
struct Record {
    fields: Vec<String>,
    line: usize,
    /// The last field was quoted (csv-parse's `wasQuoting`): `""` alone is no empty line.
    last_quoted: bool,
}

impl Record {
    /// A line with nothing on it (one empty, unquoted field).
    fn is_empty_line(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].is_empty() && !self.last_quoted
    }
}

/// A field as read: its text, whether it was quoted, whether it ended the record.
struct Field {
    text: String,
    quoted: bool,
    ended_record: bool,
}

/// Where a field ends: the delimiter or record delimiter at `at`, `length` bytes long (0 at
/// the end of the text).
struct FieldEnd {
    at: usize,
    length: usize,
    ended_record: bool,
}

/// The parser, over the text's bytes (delimiters and quotes are matched as whole UTF-8
/// sequences, so fields split only at character boundaries).
struct Parser<'t> {
    bytes: &'t [u8],
    at: usize,
    delimiter: Vec<u8>,
    record_delimiter: Option<&'static [u8]>,
    relax_quotes: bool,
    /// A position and its line, so line numbers cost one pass over the text.
    line_cursor: (usize, usize),
    /// Positions csv-parse steps over without looking at them (the `\n` of a `\r\n` record
    /// delimiter), which its line count leaves out; ascending, those behind the cursor dropped.
    unvisited: std::collections::VecDeque<usize>,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str, options: &CsvOptions) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            delimiter: options.delimiter.as_bytes().to_vec(),
            record_delimiter: None,
            relax_quotes: options.relax_quotes,
            line_cursor: (0, 1),
            unvisited: Default::default(),
        }
    }

    fn at_end(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// csv-parse's line at position `at`: 1 + the `\r` and `\n` it looked at before (a
    /// `\r\n` inside a field counts twice, one that ends a record once).
    fn line_at(&mut self, at: usize) -> usize {
        let at = at.min(self.bytes.len());
        let (mut index, mut line) = if at >= self.line_cursor.0 {
            self.line_cursor
        } else {
            (0, 1)
        };
        while index < at {
            let skipped = self.unvisited.front() == Some(&index);
            if skipped {
                self.unvisited.pop_front();
            } else if matches!(self.bytes[index], b'\r' | b'\n') {
                line += 1;
            }
            index += 1;
        }
        if at >= self.line_cursor.0 {
            self.line_cursor = (at, line);
        }
        line
    }

    /// The line csv-parse reports at the end of the text: a line break it looked at last is
    /// not counted yet.
    fn end_line(&mut self) -> usize {
        let length = self.bytes.len();
        let last_seen = if self.unvisited.back() == Some(&length.saturating_sub(1)) {
            length.checked_sub(2)
        } else {
            length.checked_sub(1)
        };
        let line = self.line_at(length);
        match last_seen.map(|at| self.bytes[at]) {
            Some(b'\r' | b'\n') => line - 1,
            _ => line,
        }
    }

    /// Moves past a field's end of `length` bytes at `at`; the `\n` of a `\r\n` record
    /// delimiter is one csv-parse never looks at.
    fn consume_end(&mut self, at: usize, length: usize, ended_record: bool) {
        if ended_record && length == 2 {
            self.unvisited.push_back(at + 1);
        }
        self.at = at + length;
    }

    fn delimiter_at(&self, at: usize) -> bool {
        !self.delimiter.is_empty() && self.bytes[at..].starts_with(&self.delimiter)
    }

    /// The length of the record delimiter at `at`, discovering it (`\r\n`, `\n` or `\r`) at
    /// the first line break.
    fn record_delimiter_at(&mut self, at: usize) -> Option<usize> {
        let rest = &self.bytes[at..];
        let delimiter = match self.record_delimiter {
            Some(delimiter) => delimiter,
            None => {
                let found: &'static [u8] = match rest {
                    [b'\r', b'\n', ..] => b"\r\n",
                    [b'\r', ..] => b"\r",
                    [b'\n', ..] => b"\n",
                    _ => return None,
                };
                *self.record_delimiter.insert(found)
            }
        };
        rest.starts_with(delimiter).then_some(delimiter.len())
    }

    /// What ends a field at `at`: the end of the text, a delimiter or a record delimiter (with
    /// its length and whether it ends the record).
    fn field_end_at(&mut self, at: usize) -> Option<(usize, bool)> {
        if at >= self.bytes.len() {
            Some((0, true))
        } else if self.delimiter_at(at) {
            Some((self.delimiter.len(), false))
        } else {
            self.record_delimiter_at(at).map(|length| (length, true))
        }
    }

    /// The next record, `None` at the end of the text. After a failed record the parser stands
    /// after it, so a caller that skips errors can go on.
    fn next_record(&mut self, columns: Option<&[String]>) -> Result<Option<Record>, CsvError> {
        if self.at_end() {
            return Ok(None);
        }
        let mut fields = Vec::new();
        loop {
            match self.field(fields.len(), columns) {
                Ok(field) => {
                    fields.push(field.text);
                    if field.ended_record {
                        let line = match self.record_delimiter {
                            Some(delimiter) if self.bytes[..self.at].ends_with(delimiter) => {
                                self.line_at(self.at - delimiter.len())
                            }
                            _ => self.end_line(),
                        };
                        return Ok(Some(Record {
                            fields,
                            line,
                            last_quoted: field.quoted,
                        }));
                    }
                }
                Err(error) => {
                    self.skip_record();
                    return Err(error);
                }
            }
        }
    }

    /// Moves past the rest of a failed record (to its next record delimiter).
    fn skip_record(&mut self) {
        while !self.at_end() {
            if let Some(length) = self.record_delimiter_at(self.at) {
                self.consume_end(self.at, length, true);
                return;
            }
            self.at += 1;
        }
    }

    /// Reads field number `index` of a record.
    fn field(&mut self, index: usize, columns: Option<&[String]>) -> Result<Field, CsvError> {
        let mut value = Vec::new();
        let mut quoted = false;
        if self.bytes.get(self.at) == Some(&b'"') {
            quoted = true;
            match self.quoted_content()? {
                (content, Some(end)) => {
                    self.consume_end(end.at, end.length, end.ended_record);
                    return Ok(Field {
                        text: text(&content),
                        quoted,
                        ended_record: end.ended_record,
                    });
                }
                // Relaxed: the quotes become text and the field goes on unquoted.
                (content, None) => {
                    value.push(b'"');
                    value.extend(content);
                }
            }
        }
        loop {
            if let Some((length, ended_record)) = self.field_end_at(self.at) {
                self.consume_end(self.at, length, ended_record);
                return Ok(Field {
                    text: text(&value),
                    quoted,
                    ended_record,
                });
            }
            let byte = self.bytes[self.at];
            if byte == b'"' && !self.relax_quotes && !value.is_empty() {
                let field = match columns {
                    Some(names) => names
                        .get(index)
                        .map_or_else(|| "null".to_owned(), |name| json_text(name)),
                    None => index.to_string(),
                };
                return Err(CsvError(format!(
                    "Invalid Opening Quote: a quote is found on field {field} at line {}, value is {}",
                    self.line_at(self.at),
                    json_text(&text(&value))
                )));
            }
            value.push(byte);
            self.at += 1;
        }
    }

    /// Reads a quoted field from its opening quote: the content, where the field's end is, its
    /// length and whether it ended the record; or, with relaxed quotes and text after
    /// the closing quote, the content and `None`, the parser standing at that closing quote.
    fn quoted_content(&mut self) -> Result<(Vec<u8>, Option<FieldEnd>), CsvError> {
        let mut content = Vec::new();
        let mut at = self.at + 1;
        loop {
            let Some(&byte) = self.bytes.get(at) else {
                self.at = at;
                return Err(CsvError(format!(
                    "Quote Not Closed: the parsing is finished with an opening quote at line {}",
                    self.end_line()
                )));
            };
            if byte != b'"' {
                content.push(byte);
                at += 1;
                continue;
            }
            if self.bytes.get(at + 1) == Some(&b'"') {
                content.push(b'"');
                at += 2;
                continue;
            }
            if let Some((length, ended_record)) = self.field_end_at(at + 1) {
                let end = FieldEnd {
                    at: at + 1,
                    length,
                    ended_record,
                };
                return Ok((content, Some(end)));
            }
            if self.relax_quotes {
                self.at = at;
                return Ok((content, None));
            }
            let got = char::from(self.bytes[at + 1]);
            self.at = at + 1;
            return Err(CsvError(format!(
                "Invalid Closing Quote: got \"{got}\" at line {} instead of delimiter, record \
                 delimiter, trimable character (if activated) or comment",
                self.line_at(at)
            )));
        }
    }
}

/// `text` as `JSON.stringify` writes it (csv-parse's messages quote fields so).
fn json_text(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// A field's text (whole characters, so always valid UTF-8).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options() -> CsvOptions {
        CsvOptions {
            delimiter: ",".to_owned(),
            from_line: 1,
            max_records: None,
            skip_records_with_error: false,
            header_row: true,
            relax_quotes: false,
            include_empty_cells: false,
        }
    }

    /// Expected rows and errors recorded from csv-parse 5 as n8n 2.41.1 calls it.
    #[test]
    fn parsing_matches_csv_parse() {
        let with = |change: fn(&mut CsvOptions)| {
            let mut options = options();
            change(&mut options);
            options
        };
        let cases: Vec<(&str, CsvOptions, Value, Option<&str>)> = vec![
            (
                "a,b,c\n1,\"x,y\",\"he said \"\"hi\"\"\"\n2,\"multi\nline\",\n",
                options(),
                json!([{"a": "1", "b": "x,y", "c": "he said \"hi\""}, {"a": "2", "b": "multi\nline"}]),
                None,
            ),
            (
                "a,b\r\n1,2\r\n\r\n3,4\r\n",
                options(),
                json!([{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]),
                None,
            ),
            (
                "a,b\n1,2,3\n4,5\n",
                options(),
                json!([]),
                Some("Invalid Record Length: columns length is 2, got 3 on line 2"),
            ),
            (
                "a,b\n1,2,3\n4,5\n",
                with(|o| o.skip_records_with_error = true),
                json!([{"a": "4", "b": "5"}]),
                None,
            ),
            (
                "a,a,b\n1,2,3\n",
                options(),
                json!([{"a": "2", "b": "3"}]),
                None,
            ),
            (
                "\u{feff}a,b\n1,2\n",
                options(),
                json!([{"\u{feff}a": "1", "b": "2"}]),
                None,
            ),
            (
                "a;b\n1;2\n",
                with(|o| o.delimiter = ";".to_owned()),
                json!([{"a": "1", "b": "2"}]),
                None,
            ),
            (
                "a::b\n1::2\n",
                with(|o| o.delimiter = "::".to_owned()),
                json!([{"a": "1", "b": "2"}]),
                None,
            ),
            (
                "a,b\n1,2\n3,4\n5,6\n",
                with(|o| o.from_line = 2),
                json!([{"1": "3", "2": "4"}, {"1": "5", "2": "6"}]),
                None,
            ),
            (
                "a,b\n1,2\n3,4\n5,6\n",
                with(|o| o.max_records = Some(2)),
                json!([{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]),
                None,
            ),
            (
                "a,b\n1,2\n",
                with(|o| o.header_row = false),
                json!([{"0": "a", "1": "b"}, {"0": "1", "1": "2"}]),
                None,
            ),
            (
                "x,y\n,2\n",
                with(|o| o.header_row = false),
                json!([{"0": "x", "1": "y"}, {"1": "2"}]),
                None,
            ),
            (
                "x,y\n1,2\n",
                with(|o| {
                    o.header_row = false;
                    o.include_empty_cells = true;
                }),
                json!([["x", "y"], ["1", "2"]]),
                None,
            ),
            (
                "a,b\n1,\n",
                with(|o| o.include_empty_cells = true),
                json!([{"a": "1", "b": ""}]),
                None,
            ),
            (
                "a,b\nx\"y,2\n",
                options(),
                json!([]),
                Some(
                    "Invalid Opening Quote: a quote is found on field \"a\" at line 2, value is \"x\"",
                ),
            ),
            (
                "a,b\nx\"y,2\n",
                with(|o| o.relax_quotes = true),
                json!([{"a": "x\"y", "b": "2"}]),
                None,
            ),
            (
                "a,b\nx\"y,2\n3,4\n",
                with(|o| o.skip_records_with_error = true),
                json!([{"a": "3", "b": "4"}]),
                None,
            ),
            (
                "a,b\n\"x\"y,2\n",
                options(),
                json!([]),
                Some(
                    "Invalid Closing Quote: got \"y\" at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment",
                ),
            ),
            (
                "a,b\n\"x\"y,2\n",
                with(|o| o.relax_quotes = true),
                json!([{"a": "\"x\"y", "b": "2"}]),
                None,
            ),
            (
                "a,b\n\"unclosed,2\n",
                options(),
                json!([]),
                Some("Quote Not Closed: the parsing is finished with an opening quote at line 2"),
            ),
            (
                "a,b\n\"m\nl\",2\n\"x\n",
                options(),
                json!([{"a": "m\nl", "b": "2"}]),
                Some("Quote Not Closed: the parsing is finished with an opening quote at line 4"),
            ),
            ("", options(), json!([]), None),
            ("a,b", options(), json!([]), None),
            ("a,b\n1,2", options(), json!([{"a": "1", "b": "2"}]), None),
            (
                "a,b\n 1 , 2 \n",
                options(),
                json!([{"a": " 1 ", "b": " 2 "}]),
                None,
            ),
            (
                "a,b\n1,2\r3,4\n",
                options(),
                json!([]),
                Some("Invalid Record Length: columns length is 2, got 3 on line 3"),
            ),
            (
                "a,b\n,\n1,2\n",
                options(),
                json!([{}, {"a": "1", "b": "2"}]),
                None,
            ),
            (
                "a,,b\n1,2,3\n",
                options(),
                json!([{"a": "1", "": "2", "b": "3"}]),
                None,
            ),
            (
                "b,1,0\nx,y,z\n",
                options(),
                json!([{"0": "z", "1": "y", "b": "x"}]),
                None,
            ),
            (
                "a,b\n1,2\n\n  \n3,4\n",
                options(),
                json!([{"a": "1", "b": "2"}]),
                Some("Invalid Record Length: columns length is 2, got 1 on line 4"),
            ),
            (
                "a,b\n1,2,3\n",
                with(|o| o.header_row = false),
                json!([{"0": "a", "1": "b"}]),
                Some("Invalid Record Length: expect 2, got 3 on line 2"),
            ),
            (
                "x,\"a\"b\"c\",d\n",
                with(|o| {
                    o.header_row = false;
                    o.relax_quotes = true;
                }),
                json!([{"0": "x", "1": "\"a\"b\"c\"", "2": "d"}]),
                None,
            ),
            // Found by comparing with csv-parse on random texts:
            ("\"\"", with(|o| o.header_row = false), json!([{}]), None),
            (
                ",a\r,,,\n",
                options(),
                json!([]),
                Some("Invalid Record Length: columns length is 2, got 4 on line 2"),
            ),
            (
                "\r\n\",a",
                options(),
                json!([]),
                Some("Quote Not Closed: the parsing is finished with an opening quote at line 2"),
            ),
            (
                "\"\r\n\"a,1\r\n2,3\n",
                options(),
                json!([]),
                Some(
                    "Invalid Closing Quote: got \"a\" at line 3 instead of delimiter, record delimiter, trimable character (if activated) or comment",
                ),
            ),
            (
                "a,b\n\"é\"é,2\n",
                options(),
                json!([]),
                Some(
                    "Invalid Closing Quote: got \"Ã\" at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment",
                ),
            ),
            (
                "x\na, \"b\n",
                options(),
                json!([]),
                Some(
                    "Invalid Opening Quote: a quote is found on field null at line 2, value is \" \"",
                ),
            ),
            (
                " ,\nb\r,\",\"é",
                with(|o| {
                    o.header_row = false;
                    o.relax_quotes = true;
                }),
                json!([{"0": " "}, {"0": "b\r", "1": "\",\"é"}]),
                None,
            ),
        ];
        for (text, options, rows, error) in cases {
            let outcome = parse(text, &options);
            assert_eq!(Value::Array(outcome.rows), rows, "{text:?}");
            assert_eq!(
                outcome.error.map(|error| error.0).as_deref(),
                error,
                "{text:?}"
            );
        }
    }

    #[test]
    fn skipped_records_are_counted() {
        let mut options = options();
        options.skip_records_with_error = true;
        let outcome = parse("a,b\n1\n2\n3,4\n", &options);
        assert_eq!(outcome.skipped, 2);
        assert_eq!(Value::Array(outcome.rows), json!([{"a": "3", "b": "4"}]));
    }
}
