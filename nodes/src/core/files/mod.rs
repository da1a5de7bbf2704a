//! Convert to File and Extract from File: items to files and files to items, with the pieces
//! they share (text encodings, CSV reading and writing, spreadsheets, JSON text).

mod convert_to_file;
mod csv_read;
mod encoding;
mod encoding_choices;
mod extract_from_file;
mod general_number;
mod js_object;
mod json_text;
mod options;
mod sheet_write;
mod xlsx_read;

pub use convert_to_file::ConvertToFile;
pub use extract_from_file::ExtractFromFile;
