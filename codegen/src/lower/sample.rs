//! A value a schema accepts, for contract tests that call an operation the spec gives no example
//! for: the schema's own `example` where it has one (at any depth), else one built from what the
//! schema says: the first `enum` value, the `default`, required properties only, one item per
//! array (or `minItems`), the first alternative of `oneOf`/`anyOf` (with the discriminator's tag),
//! every part of `allOf` merged, strings of the `format` or matching the `pattern` within
//! `minLength`/`maxLength`, numbers within `minimum`/`maximum` and a `multipleOf`.
//!
//! Deterministic: the same schema always gives the same value.

use super::constraints::{drop_rejected_pattern, own_constraints};
use super::schema::{discriminator_mapping, discriminator_tags};
use super::tuple::{is_closed_tuple, prefix_items};
use super::view::SchemaView;
use super::Ctx;
use crate::pointer::Pointer;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Map, Value};

/// Past this depth objects are left empty and lists without items (a recursive schema ends).
const MAX_SAMPLE_DEPTH: usize = 10;

impl Ctx<'_> {
    /// A value `schema` accepts (see the module docs).
    pub(super) fn sample(&self, schema: &Value, depth: usize) -> Value {
        let Some(view) = self.resolved(schema) else { return json!("text") };
        // The schema's own example, when it has the schema's shape (some do not).
        let usable = |v: &&Value| !v.is_null() && self.fits(schema, v, depth);
        if let Some(example) = view.get("example").filter(usable) {
            return example.clone();
        }
        if let Some(first) = view.list("examples").and_then(|l| l.iter().find(usable)) {
            return first.clone();
        }
        if let Some(value) = view.enum_values().and_then(|values| values.iter().find(|v| !v.is_null())) {
            return value.clone();
        }
        if let Some(default) = view.get("default").filter(|v| !v.is_null()) {
            return default.clone();
        }
        if let Some(parts) = view.list("allOf").filter(|p| !p.is_empty()) {
            return self.sample_all_of(view, parts, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = view.list(key) {
                let usable = alternatives.iter().find(|a| self.resolved(a).is_some_and(|v| v.ty() != Some("null")));
                if let Some(first) = usable {
                    let mut value = self.sample(first, depth + 1);
                    self.tag(view, first, &mut value);
                    return value;
                }
            }
        }
        match view.ty() {
            Some("object") => self.sample_object(view, depth),
            Some("array") => self.sample_array(view, depth),
            Some("string") => sample_string(view),
            Some("integer") => sample_number(view, true),
            Some("number") => sample_number(view, false),
            Some("boolean") => json!(true),
            _ if view.properties().is_some() || view.get("required").is_some() => self.sample_object(view, depth),
            _ if view.get("items").is_some() => self.sample_array(view, depth),
            _ => json!("text"),
        }
    }

    /// An object of every part's properties and required names (a part may list names another
    /// part defines); a part that is no object (a scalar wrapped in `allOf`) gives its own value.
    fn sample_all_of(&self, view: SchemaView<'_>, parts: &[Value], depth: usize) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        self.gather_object(view, &mut properties, &mut required, 0);
        let objects = self.all_of_parts(view).any(|p| p.is_object_like() || p.get("required").is_some());
        if !objects && properties.is_empty() && required.is_empty() {
            let typed = parts.iter().find(|p| self.resolved(p).is_some_and(|v| v.ty().is_some()));
            let Some(part) = typed.or(parts.first()) else { return json!("text") };
            return match self.constrained(view, part) {
                Some(constrained) => self.sample(&constrained, depth + 1),
                None => self.sample(part, depth + 1),
            };
        }
        self.object_of(&properties, &required, depth)
    }

    /// The scalar `part` of the `allOf` `view` with the constraints `view` and the allOf wrappers
    /// on the way to `part`'s type add (`maxLength: 16` beside `$ref: Slug`), gathered as request
    /// validation gathers them; `None` when they add none.
    fn constrained<'a>(&'a self, view: SchemaView<'a>, part: &'a Value) -> Option<Value> {
        let chain = self.value_resolution_chain(part);
        let typed = *chain.last()?;
        let ty = typed.ty();
        let added = self.wrapper_constraints(std::iter::once(view).chain(chain), ty);
        let textual = added.min_length.is_some() || added.max_length.is_some() || added.pattern.is_some();
        if !textual && added.minimum.is_none() && added.maximum.is_none() {
            return None;
        }
        let mut all = own_constraints(typed, ty);
        all.intersect(added);
        drop_rejected_pattern(&mut all);
        let mut schema = typed.obj.clone();
        let lengths = [("minLength", all.min_length), ("maxLength", all.max_length)];
        for (key, length) in lengths.into_iter().filter_map(|(key, n)| Some((key, n?))) {
            schema.insert(key.to_owned(), json!(length));
        }
        if let Some(pattern) = all.pattern {
            schema.insert("pattern".to_owned(), json!(pattern));
        }
        let bounds = [("minimum", "exclusiveMinimum", all.minimum), ("maximum", "exclusiveMaximum", all.maximum)];
        for (key, flag, bound) in bounds {
            if let Some(bound) = bound {
                schema.insert(key.to_owned(), json!(bound.value));
                schema.insert(flag.to_owned(), json!(bound.exclusive));
            }
        }
        Some(Value::Object(schema))
    }

    /// The properties and required names of `view` and of its `allOf` parts, recursively.
    fn gather_object(
        &self,
        view: SchemaView<'_>,
        properties: &mut Map<String, Value>,
        required: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_SAMPLE_DEPTH {
            return;
        }
        for (name, schema) in view.properties().into_iter().flatten() {
            properties.entry(name.clone()).or_insert_with(|| schema.clone());
        }
        required.extend(view.required().into_iter().map(str::to_owned));
        for part in self.all_of_parts(view) {
            self.gather_object(part, properties, required, depth + 1);
        }
    }

    /// The discriminator's tag for the chosen alternative (the first of those its type decodes),
    /// set on its value.
    fn tag(&self, view: SchemaView<'_>, chosen: &Value, value: &mut Value) {
        let Some(discriminator) = view.get("discriminator") else { return };
        let (Some(property), Some(object)) =
            (discriminator.get("propertyName").and_then(Value::as_str), value.as_object_mut())
        else {
            return;
        };
        let Some(reference) = chosen.get("$ref").and_then(Value::as_str) else { return };
        let tags = discriminator_tags(&discriminator_mapping(view), reference);
        if let Some(tag) = tags.into_iter().next() {
            object.insert(property.to_owned(), Value::String(tag));
        }
    }

    /// The required properties (not `readOnly` ones: a request leaves out what only responses
    /// carry); a map with `minProperties` gets one entry.
    fn sample_object(&self, view: SchemaView<'_>, depth: usize) -> Value {
        let properties = view.properties().cloned().unwrap_or_default();
        let required: Vec<String> = view.required().into_iter().map(str::to_owned).collect();
        let mut value = self.object_of(&properties, &required, depth);
        let extra = view.get("additionalProperties").filter(|a| a.is_object());
        if let (Value::Object(object), Some(extra)) = (&mut value, extra) {
            if object.is_empty() && view.u64("minProperties").unwrap_or(0) > 0 && depth < MAX_SAMPLE_DEPTH {
                object.insert("key".to_owned(), self.sample(extra, depth + 1));
            }
        }
        value
    }

    fn object_of(&self, properties: &Map<String, Value>, required: &[String], depth: usize) -> Value {
        let mut object = Map::new();
        if depth >= MAX_SAMPLE_DEPTH {
            return Value::Object(object);
        }
        for name in required {
            let schema = properties.get(name);
            if schema.and_then(|s| self.resolved(s)).is_some_and(|s| s.bool("readOnly")) {
                continue;
            }
            let value = schema.map_or_else(|| json!("text"), |s| self.sample(s, depth + 1));
            object.insert(name.clone(), value);
        }
        Value::Object(object)
    }

    /// `minItems` items (at least one, at most `maxItems`), each the items schema's value; a
    /// tuple's (`prefixItems`) each of its own schema, then more only where `minItems` asks.
    fn sample_array(&self, view: SchemaView<'_>, depth: usize) -> Value {
        let max = view.u64("maxItems").unwrap_or(u64::MAX);
        let count = view.u64("minItems").unwrap_or(1).clamp(1, 3).min(max);
        if depth >= MAX_SAMPLE_DEPTH {
            return json!([]);
        }
        let prefix_schemas = prefix_items(view);
        let more = count.saturating_sub(prefix_schemas.len() as u64);
        let prefix = prefix_schemas.iter().map(|p| (self.sample(p, depth + 1), Some(p)));
        let item = view.get("items").map_or_else(|| json!("text"), |i| self.sample(i, depth + 1));
        let further = std::iter::repeat_n((item, view.get("items")), usize::try_from(more).unwrap_or(usize::MAX));
        let mut items: Vec<Value> = Vec::new();
        for (item, schema) in prefix.chain(further) {
            // `uniqueItems`: each item told apart from those before it, a tuple's prefix too.
            if view.bool("uniqueItems") {
                items.push(told_apart(item, schema.and_then(|s| self.resolved(s)), &items));
            } else {
                items.push(item);
            }
        }
        Value::Array(items)
    }

    /// The value of the schema at `at`, for a parameter or body.
    pub(super) fn sample_at(&self, at: &Pointer) -> Value {
        match self.value_at(at) {
            Some(schema) => self.sample(schema, 0),
            None => json!("text"),
        }
    }
}

impl Ctx<'_> {
    /// Whether `value` has the shape `schema` describes: its `type`, its `required` properties,
    /// its properties' and items' shapes, `enum` membership, one `oneOf`/`anyOf` alternative,
    /// every `allOf` part. Not a full validator (no formats, patterns or bounds): enough to tell an
    /// example that cannot be what the schema means (an array for an object, JSON written as text).
    pub(super) fn fits(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let Some(view) = self.resolved(schema) else { return true };
        if depth > MAX_SAMPLE_DEPTH || (value.is_null() && view.bool("nullable")) {
            return true;
        }
        if let Some(values) = view.enum_values() {
            if !values.contains(value) {
                return false;
            }
        }
        let type_fits = match (view.ty(), value) {
            (None, _) => true,
            (Some("object"), Value::Object(_)) | (Some("array"), Value::Array(_)) => true,
            // A binary string's example must be base64, which is how the SDK reads bytes in JSON.
            (Some("string"), Value::String(text)) => view.format() != Some("binary") || is_base64(text),
            (Some("boolean"), Value::Bool(_)) => true,
            (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Some("number"), Value::Number(_)) => true,
            _ => false,
        };
        let parts_fit = view.list("allOf").into_iter().flatten().all(|p| self.fits(p, value, depth + 1));
        let alternatives_fit = ["oneOf", "anyOf"].into_iter().all(|key| match view.list(key) {
            Some(alternatives) if !alternatives.is_empty() => {
                alternatives.iter().any(|a| self.fits(a, value, depth + 1))
            }
            _ => true,
        });
        type_fits && parts_fit && alternatives_fit && self.members_fit(view, value, depth)
    }

    /// An object's required and given properties, an array's (or a tuple's) items.
    fn members_fit(&self, view: SchemaView<'_>, value: &Value, depth: usize) -> bool {
        match value {
            Value::Object(object) => {
                let properties = view.properties();
                let required = view.required().into_iter().all(|name| {
                    let read_only = properties.and_then(|p| p.get(name)).and_then(|s| self.resolved(s));
                    object.contains_key(name) || read_only.is_some_and(|s| s.bool("readOnly"))
                });
                let given = object.iter().all(|(name, member)| match properties.and_then(|p| p.get(name)) {
                    Some(schema) => self.fits(schema, member, depth + 1),
                    None => true,
                });
                required && given
            }
            Value::Array(items) => {
                // A tuple's items fit by position, and all of its prefix must be there (its Rust
                // type cannot decode fewer, nor more when nothing may follow).
                let prefix = prefix_items(view);
                let length_fits = items.len() >= prefix.len() && !(is_closed_tuple(view) && items.len() > prefix.len());
                let prefix_fits = prefix.iter().zip(items).all(|(schema, item)| self.fits(schema, item, depth + 1));
                let rest_fits = match view.get("items") {
                    Some(schema) => items.iter().skip(prefix.len()).all(|item| self.fits(schema, item, depth + 1)),
                    None => true,
                };
                length_fits && prefix_fits && rest_fits
            }
            _ => true,
        }
    }
}

/// `item`, or when an earlier item (`taken`) is the same JSON (numbers by value, as the SDK's
/// validation compares them) a variant of it: another value of an `enum`, a number counted up, a
/// text varied within its schema's pattern and length, a boolean flipped. Any other value is
/// left as it is.
fn told_apart(item: Value, schema: Option<SchemaView<'_>>, taken: &[Value]) -> Value {
    let is_taken = |v: &Value| taken.iter().any(|t| t == v || (t.is_number() && t.as_f64() == v.as_f64()));
    if !is_taken(&item) {
        return item;
    }
    // An enum's other value: a variation of the text would be outside it, which the SDK refuses.
    if let Some(values) = schema.and_then(|s| s.enum_values()) {
        return values.iter().find(|v| !v.is_null() && !is_taken(v)).cloned().unwrap_or(item);
    }
    let variant = match &item {
        Value::Number(number) => (1..=taken.len())
            .map(|step| match number.as_i64() {
                Some(integer) => json!(integer.saturating_add(step as i64)),
                None => json!(number.as_f64().unwrap_or_default() + step as f64),
            })
            .find(|v| !is_taken(v)),
        Value::String(text) => distinct_text(text, schema, taken).map(Value::String),
        Value::Bool(b) => Some(Value::Bool(!b)).filter(|v| !is_taken(v)),
        _ => None,
    };
    variant.unwrap_or(item)
}

/// A string of the schema's `format`, else matching its `pattern`, else `text`, padded to
/// `minLength` and cut to `maxLength` (when that keeps a pattern's match).
fn sample_string(view: SchemaView<'_>) -> Value {
    let by_format = match view.format().unwrap_or_default() {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "email" | "idn-email" => Some("user@example.com"),
        "uuid" => Some("4f6c9b4e-8a0e-4c5e-9f57-2d1a6f0b3c11"),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => Some("https://example.com/"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("Y29udHJhY3Q="),
        // Bytes inside JSON are base64 text (`contract`); a binary body or parameter takes the
        // text's bytes (`fit_body`, `fit`).
        "binary" => return json!("Y29udHJhY3Q="),
        _ => None,
    };
    let pattern = view.str("pattern");
    let mut text = match (by_format, pattern) {
        (Some(text), _) => text.to_owned(),
        (None, Some(pattern)) => matching(pattern).unwrap_or_else(|| "text".to_owned()),
        (None, None) => "text".to_owned(),
    };
    let min = view.u64("minLength").unwrap_or(0) as usize;
    let max = view.u64("maxLength").map_or(usize::MAX, |m| m as usize);
    let filler = text.chars().last().filter(char::is_ascii_alphanumeric).unwrap_or('x');
    while text.chars().count() < min.min(4096) {
        text.push(filler);
    }
    if text.chars().count() > max {
        text = text.chars().take(max).collect();
    }
    Value::String(text)
}

/// A text like `text` that none of `taken` is, still matching the item schema's `pattern` and
/// within its `maxLength`: `text` with a number after it (when it has no `format`), else with one
/// character changed for another of its kind (a digit for a digit, from the end: a uuid, a date or
/// an address stays one).
fn distinct_text(text: &str, schema: Option<SchemaView<'_>>, taken: &[Value]) -> Option<String> {
    let pattern = schema.and_then(|s| s.str("pattern")).and_then(|p| regex::Regex::new(p).ok());
    let max = schema.and_then(|s| s.u64("maxLength")).map_or(usize::MAX, |m| m as usize);
    let fits = |candidate: &str| {
        candidate.chars().count() <= max
            && pattern.as_ref().is_none_or(|p| p.is_match(candidate))
            && !taken.iter().any(|t| t.as_str() == Some(candidate))
    };
    if schema.is_some_and(|s| s.format() == Some("binary")) {
        // Changing a base64 character can leave non-zero padding bits, which strict decoding
        // refuses: encode distinct texts instead.
        use base64::Engine as _;
        let encode = |n: usize| base64::engine::general_purpose::STANDARD.encode(format!("contract{n}"));
        return (1..=taken.len() + 1).map(encode).find(|c| fits(c));
    }
    let formatted = schema.is_some_and(|s| s.format().is_some());
    let suffixed = (!formatted).then(|| (1..=taken.len() + 1).map(|n| format!("{text}{n}")).find(|c| fits(c)));
    if let Some(found) = suffixed.flatten() {
        return Some(found);
    }
    let chars: Vec<char> = text.chars().collect();
    for position in (0..chars.len()).rev() {
        let kind: &str = match chars[position] {
            c if c.is_ascii_digit() => "0123456789",
            c if c.is_ascii_lowercase() => "abcdefghijklmnopqrstuvwxyz",
            c if c.is_ascii_uppercase() => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            _ => continue,
        };
        for replacement in kind.chars().filter(|c| *c != chars[position]) {
            let mut candidate = chars.clone();
            candidate[position] = replacement;
            let candidate: String = candidate.into_iter().collect();
            if fits(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// A number within `minimum`/`maximum` (exclusive ones stepped over), a multiple of `multipleOf`.
fn sample_number(view: SchemaView<'_>, integer: bool) -> Value {
    let step = if integer { 1.0 } else { 0.5 };
    let exclusive = |key: &str| view.bool(key);
    // 3.1's numeric exclusive bounds were rewritten into `minimum` + `exclusiveMinimum: true`.
    let low = view.f64("minimum").map(|m| if exclusive("exclusiveMinimum") { m + step } else { m });
    let high = view.f64("maximum").map(|m| if exclusive("exclusiveMaximum") { m - step } else { m });
    let within = |n: f64| low.is_none_or(|l| n >= l) && high.is_none_or(|h| n <= h);
    let mut n = if within(1.0) { 1.0 } else { low.or(high).unwrap_or(1.0) };
    if let Some(multiple) = view.f64("multipleOf").filter(|m| *m > 0.0) {
        n = (n / multiple).ceil() * multiple;
    }
    if integer {
        json!(n.ceil() as i64)
    } else {
        json!(n)
    }
}

/// The shortest readable string `pattern` matches (each repetition once, or its minimum; the
/// first alternative; a class's letter or digit first), checked against the pattern.
fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut out = String::new();
    write_match(&hir, &mut out, 0)?;
    let regex = regex::Regex::new(pattern).ok()?;
    regex.is_match(&out).then_some(out)
}

fn write_match(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
    if depth > 64 {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(class) => out.push(class_char(class)?),
        HirKind::Repetition(repetition) => {
            let count = repetition.min.max(1).min(repetition.max.unwrap_or(u32::MAX));
            for _ in 0..count.min(256) {
                write_match(&repetition.sub, out, depth + 1)?;
            }
        }
        HirKind::Capture(capture) => write_match(&capture.sub, out, depth + 1)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write_match(part, out, depth + 1)?;
            }
        }
        HirKind::Alternation(alternatives) => write_match(alternatives.first()?, out, depth + 1)?,
    }
    Some(())
}

/// A readable member of a class: `a`, `A`, `0` or `x` when it has one, else its first.
fn class_char(class: &Class) -> Option<char> {
    let preferred = ['a', 'A', '0', 'x', '1'];
    match class {
        Class::Unicode(unicode) => {
            let ranges = unicode.ranges();
            let has = |c: char| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            preferred.into_iter().find(|c| has(*c)).or_else(|| {
                let printable = ranges.iter().find_map(|r| (r.start()..=r.end()).find(|c| c.is_ascii_graphic()));
                printable.or_else(|| ranges.first().map(|r| r.start()))
            })
        }
        Class::Bytes(bytes) => {
            let ranges = bytes.ranges();
            let has = |c: char| ranges.iter().any(|r| r.start() <= c as u8 && c as u8 <= r.end());
            preferred.into_iter().find(|c| has(*c)).or_else(|| {
                ranges.iter().find_map(|r| (r.start()..=r.end()).find(u8::is_ascii_graphic)).map(char::from)
            })
        }
    }
}

/// Whether `text` is standard, padded base64 (what `format: binary` inside JSON carries).
fn is_base64(text: &str) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{distinct_text, is_base64, matching, sample_string};
    use crate::lower::view::SchemaView;
    use serde_json::json;

    #[test]
    fn patterns_get_a_readable_match() {
        assert_eq!(matching("^[a-z][a-z0-9-]{2,8}$").as_deref(), Some("aaa"));
        assert_eq!(matching("^(foo|bar)-\\d+$").as_deref(), Some("foo-0"));
        assert_eq!(matching("^[A-Z]{3}$").as_deref(), Some("AAA"));
        assert_eq!(matching(".*").as_deref(), Some("a"));
        assert_eq!(matching("(?<!x)y"), None, "look-around is not in the regex crate");
    }

    #[test]
    fn unique_texts_keep_to_the_pattern_format_and_length() {
        let snowflake = json!({"type": "string", "pattern": "^(0|[1-9][0-9]*)$"});
        let view = SchemaView::new(&snowflake);
        assert_eq!(distinct_text("0", view, &[json!("0")]).as_deref(), Some("1"), "`01` breaks the pattern");
        assert_eq!(distinct_text("0", view, &[json!("0"), json!("1")]).as_deref(), Some("2"));
        let plain = json!({"type": "string"});
        assert_eq!(distinct_text("text", SchemaView::new(&plain), &[json!("text")]).as_deref(), Some("text1"));
        let uuid = json!({"type": "string", "format": "uuid"});
        let id = "4f6c9b4e-8a0e-4c5e-9f57-2d1a6f0b3c11";
        assert_eq!(
            distinct_text(id, SchemaView::new(&uuid), &[json!(id)]).as_deref(),
            Some("4f6c9b4e-8a0e-4c5e-9f57-2d1a6f0b3c10"),
            "a uuid stays a uuid"
        );
        let short = json!({"type": "string", "maxLength": 4});
        assert_eq!(distinct_text("text", SchemaView::new(&short), &[json!("text")]).as_deref(), Some("texa"));
    }

    #[test]
    fn binary_samples_are_base64_text_as_json_carries_bytes() {
        let binary = json!({"type": "string", "format": "binary", "minLength": 20});
        let sample = sample_string(SchemaView::new(&binary).unwrap());
        assert_eq!(sample, json!("Y29udHJhY3Q="), "no padding past the base64");
        assert!(is_base64("Y29udHJhY3Q=") && is_base64(""));
        assert!(!is_base64("contract file") && !is_base64("Y29udHJhY3Q"), "an example that is no base64 is not used");
    }

    #[test]
    fn unique_binary_samples_all_decode() {
        let binary = json!({"type": "string", "format": "binary"});
        let mut taken = vec![json!("Y29udHJhY3Q=")];
        for _ in 0..4 {
            let next = distinct_text("Y29udHJhY3Q=", SchemaView::new(&binary), &taken).expect("a distinct sample");
            assert!(is_base64(&next), "{next} is not strict base64");
            assert!(!taken.contains(&json!(next)), "{next} repeats");
            taken.push(json!(next));
        }
    }
}
