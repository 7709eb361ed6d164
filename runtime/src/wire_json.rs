//! JSON bodies laid out byte for byte as the official SDKs send them.
//!
//! Huawei's signature covers the SHA-256 of the body, so our `Authorization` equals the official
//! SDK's only when the bytes do: Python's `json.dumps` defaults (`", "` and `": "` separators,
//! non-ASCII escaped as `\uXXXX`, floats as `repr(float)`: `1e+16`, `1e-07`). BatchCompute's SDK sends `json.dumps(indent=4)`. Field order is
//! the struct's (the spec's) declaration order in every style.

#[doc(hidden)]
pub mod base64_bytes;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};
use std::io::{self, Write};

/// A JSON byte layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonStyle {
    /// `serde_json`'s compact output.
    Compact,
    /// Python `json.dumps(obj)`: `{"a": 1, "b": [1, 2]}`, ASCII only.
    PythonDumps,
    /// Python `json.dumps(obj, indent=4)`: one item per line, four-space indent, ASCII only.
    PythonIndent4,
}

/// Serialises `value` in `style`.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, style: JsonStyle) -> Result<Vec<u8>, serde_json::Error> {
    match style {
        JsonStyle::Compact => serde_json::to_vec(value),
        JsonStyle::PythonDumps => write_with(value, PythonFormatter { indent: None, depth: 0, has_value: false }),
        JsonStyle::PythonIndent4 => write_with(value, PythonFormatter { indent: Some(4), depth: 0, has_value: false }),
    }
}

fn write_with<T: Serialize + ?Sized>(value: &T, formatter: PythonFormatter) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer)?;
    Ok(out)
}

/// Python's `json` module layout: `ensure_ascii=True`, `", "`/`": "` separators, or with `indent`
/// a newline and indentation before each item and `","` between items.
struct PythonFormatter {
    indent: Option<usize>,
    depth: usize,
    has_value: bool,
}

impl PythonFormatter {
    fn newline<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        if let Some(width) = self.indent {
            writer.write_all(b"\n")?;
            for _ in 0..self.depth * width {
                writer.write_all(b" ")?;
            }
        }
        Ok(())
    }

    fn item_separator<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(if self.indent.is_some() { b"," } else { b", " })?;
        }
        self.newline(writer)
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        // Python writes empty containers as `[]` and `{}`, with no newline inside.
        if self.has_value {
            self.newline(writer)?;
        }
        self.has_value = true;
        writer.write_all(bracket)
    }
}

impl Formatter for PythonFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.item_separator(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.item_separator(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    /// `ensure_ascii=True`: everything outside ASCII as `\uXXXX`, astral characters as surrogate
    /// pairs, exactly as Python escapes them.
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }

    /// Floats as Python's `repr(float)` writes them (`1e+16`, `1e-07`, `0.0001`, `123.0`).
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(python_float_repr(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        // Python has only doubles: an `f32` goes out as the double it widens to.
        self.write_f64(writer, f64::from(value))
    }

    /// Control characters as Python writes them (`\u001f`, lower-case hex).
    fn write_char_escape<W: ?Sized + Write>(&mut self, writer: &mut W, escape: CharEscape) -> io::Result<()> {
        let text: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"\\/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write!(writer, "\\u{byte:04x}"),
        };
        writer.write_all(text)
    }
}

/// Python's `repr(float)` for a finite value: the shortest digits that round-trip (what Rust's
/// `{:e}` gives too), in fixed notation when the decimal exponent is in `-4..16` (with at least
/// one fractional digit), else `d.ddde+XX` with a signed, at least two-digit exponent.
fn python_float_repr(value: f64) -> String {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exponent_sign}{:02}", exponent.unsigned_abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        return format!("{sign}0.{zeros}{digits}");
    }
    let integer_len = exponent as usize + 1;
    if digits.len() <= integer_len {
        format!("{sign}{digits}{}.0", "0".repeat(integer_len - digits.len()))
    } else {
        let (integer, fraction) = digits.split_at(integer_len);
        format!("{sign}{integer}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: serde_json::Value, style: JsonStyle) -> String {
        String::from_utf8(to_vec(&value, style).unwrap()).unwrap()
    }

    #[test]
    fn python_dumps_layout() {
        let value =
            json!({"a": 1, "b": [1, 2], "c": {}, "d": [], "e": "中é", "f": "😀", "g": 0.0, "h": null, "i": "\u{1f}"});
        assert_eq!(
            text(value, JsonStyle::PythonDumps),
            r#"{"a": 1, "b": [1, 2], "c": {}, "d": [], "e": "\u4e2d\u00e9", "f": "\ud83d\ude00", "g": 0.0, "h": null, "i": "\u001f"}"#
        );
    }

    #[test]
    fn python_indent_layout() {
        let value = json!({"a": {"b": [1, {"c": []}], "d": {}}, "e": true});
        let expected = "{\n    \"a\": {\n        \"b\": [\n            1,\n            {\n                \"c\": []\n            }\n        ],\n        \"d\": {}\n    },\n    \"e\": true\n}";
        assert_eq!(text(value, JsonStyle::PythonIndent4), expected);
    }

    /// Each pair is `repr(value)` as CPython 3.11 prints it.
    #[test]
    fn floats_as_python_repr() {
        let table: &[(f64, &str)] = &[
            (1e16, "1e+16"),
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (1e22, "1e+22"),
            (123.0, "123.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1e15, "1000000000000000.0"),
            (0.1, "0.1"),
            (0.125, "0.125"),
            (1.5e-5, "1.5e-05"),
            (123456789.123, "123456789.123"),
            (1e100, "1e+100"),
            (-2.5e-300, "-2.5e-300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (9999999999999998.0, "9999999999999998.0"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (9007199254740992.0, "9007199254740992.0"),
            (0.00011000000000000002, "0.00011000000000000002"),
        ];
        for &(value, python) in table {
            assert_eq!(python_float_repr(value), python, "{value:?}");
            assert_eq!(text(json!({"v": value}), JsonStyle::PythonDumps), format!("{{\"v\": {python}}}"));
        }
        assert_eq!(text(json!([1e-7]), JsonStyle::PythonIndent4), "[\n    1e-07\n]");
    }

    #[test]
    fn key_order_is_declaration_order() {
        #[derive(Serialize)]
        struct Body {
            zeta: u8,
            alpha: u8,
        }
        assert_eq!(to_vec(&Body { zeta: 1, alpha: 2 }, JsonStyle::PythonDumps).unwrap(), br#"{"zeta": 1, "alpha": 2}"#);
    }
}
