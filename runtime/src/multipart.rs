//! `multipart/form-data` bodies (RFC 7578), encoded to bytes before sending.
//!
//! Hand-written rather than reqwest's `multipart` feature: that one streams its body, but both
//! signing schemes hash the body before the request is sent, and a retry sends the same body
//! again, so the runtime needs the encoded bytes up front (and it would add `mime_guess`).

use serde::Serialize;
use std::fmt;

/// The media type of a text part.
const TEXT: &str = "text/plain; charset=utf-8";
/// The media type of a JSON part.
const JSON: &str = "application/json";

/// The parts of a `multipart/form-data` body, in the order they are added.
///
/// Its `Debug` shows each part's name, content type, file name and size, never its data (a
/// form field may be a password or a key).
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// The first part that could not be encoded; reported when the body is set.
    error: Option<String>,
}

#[derive(Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: String,
    data: Vec<u8>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The encoding error is left out: it is reported, with its context, when the body is set.
        f.debug_struct("Multipart").field("parts", &self.parts).finish_non_exhaustive()
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("filename", &self.filename)
            .field("bytes", &self.data.len())
            .finish_non_exhaustive()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// A file part: `data` as it is, with `content_type` (the spec's `encoding`, or
    /// `application/octet-stream`) and the part name as its file name.
    pub fn file(&mut self, name: &str, content_type: &str, data: &[u8]) {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: Some(name.to_owned()),
            content_type: content_type.to_owned(),
            data: data.to_vec(),
        });
    }

    /// A value part, encoded as OpenAPI's defaults for a form say: a string (or an enum's wire
    /// value), number or boolean as UTF-8 text, an object as JSON; a list as one part per item
    /// (each by the same rules), all under `name`.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.value_parts(name, None, value);
    }

    /// A value part of the media type the spec's `encoding` gives: JSON text for a JSON type
    /// (`application/json`, `*+json`), whatever the value; else as [`value`](Self::value) sends
    /// it, with that type.
    pub fn value_as<T: Serialize + ?Sized>(&mut self, name: &str, content_type: &str, value: &T) {
        self.value_parts(name, Some(content_type), value);
    }

    /// What [`value`](Self::value) and [`value_as`](Self::value_as) send: each part with
    /// `content_type` when the spec gives one, else by default JSON for an object, for a list
    /// that is an item of a list and for a null given alone, and text for anything else.
    fn value_parts<T: Serialize + ?Sized>(&mut self, name: &str, content_type: Option<&str>, value: &T) {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => {
                self.error.get_or_insert_with(|| format!("part {name:?}: {e}"));
                return;
            }
        };
        match (content_type, value) {
            (Some(json), value) if is_json(json) => {
                self.push_value(name, json, serde_json::Value::String(value.to_string()));
            }
            (_, serde_json::Value::Array(items)) => {
                for item in items {
                    let default = if item.is_object() || item.is_array() { JSON } else { TEXT };
                    self.push_value(name, content_type.unwrap_or(default), item);
                }
            }
            (_, value) => {
                let default = if value.is_object() || value.is_null() { JSON } else { TEXT };
                self.push_value(name, content_type.unwrap_or(default), value);
            }
        }
    }

    /// One part: a string's text as it is, any other value's JSON text.
    fn push_value(&mut self, name: &str, content_type: &str, value: serde_json::Value) {
        let text = match value {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: content_type.to_owned(),
            data: text.into_bytes(),
        });
    }

    /// One value part per top-level key, for a body the spec types only as an object.
    pub fn fields<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in &fields {
                    self.value(name, value);
                }
            }
            Ok(_) => {
                self.error.get_or_insert_with(|| "a multipart body must be an object".to_owned());
            }
            Err(e) => {
                self.error.get_or_insert_with(|| e.to_string());
            }
        }
    }

    /// The encoded body and its boundary, or why a part could not be encoded.
    pub(crate) fn encode(&self) -> Result<(String, Vec<u8>), String> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        // 128 random bits; drawn again in the (vanishingly unlikely) case a part contains them.
        let boundary = loop {
            let candidate = format!("cloudspec-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
            if !self.parts.iter().any(|p| contains(&p.data, candidate.as_bytes())) {
                break candidate;
            }
        };
        let mut data = Vec::new();
        for part in &self.parts {
            data.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes(),
            );
            if let Some(filename) = &part.filename {
                data.extend_from_slice(format!("; filename=\"{}\"", quoted(filename)).as_bytes());
            }
            data.extend_from_slice(format!("\r\nContent-Type: {}\r\n\r\n", part.content_type).as_bytes());
            data.extend_from_slice(&part.data);
            data.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((boundary, data))
    }
}

/// Whether a part's media type is JSON (`application/json`, `*+json`; parameters and case aside).
fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    media == JSON || media.ends_with("+json")
}

/// A name or file name inside a quoted header parameter, escaped as browsers do (the WHATWG
/// form encoding): CR, LF and `"` become `%0D`, `%0A` and `%22`, so no name can end the
/// parameter or the header.
fn quoted(name: &str) -> String {
    name.replace('\r', "%0D").replace('\n', "%0A").replace('"', "%22")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(form: &Multipart) -> String {
        let (boundary, data) = form.encode().unwrap();
        String::from_utf8(data).unwrap().replace(&boundary, "B")
    }

    #[test]
    fn files_are_raw_strings_text_and_the_rest_json() {
        let mut form = Multipart::new();
        form.file("file", "image/png", &[0, 1, 255]);
        form.value("title", "a b");
        form.value("meta", &serde_json::json!({"size": 3}));
        let (boundary, data) = form.encode().unwrap();
        let mut expected = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
        expected.extend_from_slice(&[0, 1, 255]);
        expected.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\na b\r\n").as_bytes());
        expected.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"size\":3}}\r\n--{boundary}--\r\n").as_bytes());
        assert_eq!(data, expected);
    }

    #[test]
    fn lists_are_one_part_per_item_and_scalars_text() {
        let mut form = Multipart::new();
        form.value("ids", &["a", "b"]);
        form.value("count", &3);
        form.value("flags", &[serde_json::json!({"on": true}), serde_json::json!(false)]);
        let text = encoded(&form);
        let part = |name: &str, content_type: &str, data: &str| {
            format!("name=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n{data}\r\n")
        };
        for expected in [
            part("ids", TEXT, "a"),
            part("ids", TEXT, "b"),
            part("count", TEXT, "3"),
            part("flags", JSON, "{\"on\":true}"),
            part("flags", TEXT, "false"),
        ] {
            assert!(text.contains(&expected), "no {expected:?} in\n{text}");
        }
        assert_eq!(text.matches("Content-Disposition").count(), 5, "{text}");

        // A null alone is JSON, a null in a list text, a list in a list JSON.
        let mut form = Multipart::new();
        form.value("alone", &serde_json::Value::Null);
        form.value("listed", &[serde_json::Value::Null]);
        form.value("nested", &[[1]]);
        let text = encoded(&form);
        for expected in [part("alone", JSON, "null"), part("listed", TEXT, "null"), part("nested", JSON, "[1]")] {
            assert!(text.contains(&expected), "no {expected:?} in\n{text}");
        }
    }

    #[test]
    fn an_encoding_content_type_is_kept_and_json_types_get_json_text() {
        let mut form = Multipart::new();
        form.value_as("meta", "application/json", "plain");
        form.value_as("list", "application/vnd.x+json", &[1, 2]);
        form.value_as("notes", "text/markdown", &["# a", "# b"]);
        let text = encoded(&form);
        assert!(text.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n\"plain\"\r\n"), "{text}");
        assert!(text.contains("name=\"list\"\r\nContent-Type: application/vnd.x+json\r\n\r\n[1,2]\r\n"), "{text}");
        assert_eq!(text.matches("Content-Type: text/markdown\r\n\r\n# ").count(), 2, "{text}");
    }

    #[test]
    fn names_cannot_break_out_of_their_header() {
        let mut form = Multipart::new();
        form.file("a\"b\r\nX-Injected: 1", "application/octet-stream", b"x");
        let text = encoded(&form);
        assert!(text.contains("name=\"a%22b%0D%0AX-Injected: 1\"; filename=\"a%22b%0D%0AX-Injected: 1\""), "{text}");
        assert!(!text.contains("\r\nX-Injected"), "{text}");
    }

    #[test]
    fn boundaries_are_random_per_body() {
        let mut form = Multipart::new();
        form.value("a", "cloudspec-");
        let (first, data) = form.encode().unwrap();
        let (second, _) = form.encode().unwrap();
        assert_ne!(first, second);
        let text = String::from_utf8(data).unwrap();
        assert_eq!(text.matches(&first).count(), 2, "one delimiter and the closing one:\n{text}");
    }

    #[test]
    fn untyped_object_bodies_become_one_part_per_key() {
        let mut form = Multipart::new();
        form.fields(&serde_json::json!({"n": 1, "s": "x"}));
        let text = encoded(&form);
        assert!(text.contains("name=\"n\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1\r\n"), "{text}");
        assert!(text.contains("name=\"s\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nx\r\n"), "{text}");
        let mut form = Multipart::new();
        form.fields(&[1, 2]);
        assert_eq!(form.encode().unwrap_err(), "a multipart body must be an object");
    }

    #[test]
    fn debug_shows_names_types_and_sizes_but_no_data() {
        let mut form = Multipart::new();
        form.value("password", "hunter2-secret");
        form.file("key", "application/x-pem-file", b"-----BEGIN PRIVATE KEY-----");
        let debug = format!("{form:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("PRIVATE") && !debug.contains("104, 117"), "{debug}");
        let expected = concat!(
            r#"Multipart { parts: [Part { name: "password", content_type: "text/plain; charset=utf-8", filename: None, bytes: 14, .. }, "#,
            r#"Part { name: "key", content_type: "application/x-pem-file", filename: Some("key"), bytes: 27, .. }], .. }"#
        );
        assert_eq!(debug, expected);
    }

    #[test]
    fn a_part_that_cannot_be_encoded_is_reported() {
        let mut form = Multipart::new();
        let unencodable: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        form.value("bad", &unencodable);
        form.value("fine", "x");
        assert!(form.encode().unwrap_err().starts_with("part \"bad\": "));
        let mut form = Multipart::new();
        form.value_as("typed", "application/json", &unencodable);
        assert!(form.encode().unwrap_err().starts_with("part \"typed\": "));
    }
}
