//! Pretty JSON as n8n prints it: serde_json's pretty layout, with numbers written as JavaScript
//! writes them (`300000`, not `300000.0`; `1e+21`), since n8n's output is `JSON.stringify` of
//! JavaScript values. Whole numbers that a node computed as `f64` would otherwise print with a
//! trailing `.0` that n8n never shows.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use weft_nodes::format_js_number;

/// Writes `value` as pretty JSON with JavaScript's numbers.
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(writer, JsFormatter(PrettyFormatter::new()));
    value.serialize(&mut serializer)
}

/// serde_json's pretty formatter, but for floating-point numbers.
struct JsFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for JsFormatter<'_> {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(format_js_number(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn printed(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        super::to_writer_pretty(&mut bytes, value).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn numbers_print_as_javascript_prints_them_in_serde_jsons_pretty_layout() {
        let cases = [
            (json!(300000.0), "300000"),
            (json!(1.5), "1.5"),
            (json!(-0.0), "0"),
            (json!(1e21), "1e+21"),
            (json!(1e-7), "1e-7"),
            (json!(12_u64), "12"),
            (json!(-3_i64), "-3"),
        ];
        for (value, expected) in cases {
            assert_eq!(printed(&value), expected, "{value:?}");
        }
        let nested = json!({"a": [2.0, {"b": 0.5}], "c": "x"});
        assert_eq!(
            printed(&nested),
            serde_json::to_string_pretty(&json!({"a": [2, {"b": 0.5}], "c": "x"})).unwrap()
        );
    }
}
