//! The spec's examples -> test cases.
//!
//! Each JSON example on a request body or response becomes an [`Example`]. Where the example
//! crosses a property that records a contradiction (`x-contradiction`), its location in the example
//! is noted, so the emitted test can check the tolerant decoding there and exact equality
//! everywhere else.
//!
//! A document's verbatim example that contradicts its table sits in `x-document-example` beside
//! the standard one (beside `example` on the media type, beside `value` in an Example Object). The
//! standard example is then the valid one and is checked strictly (no tolerance, request
//! validation); the document's example is checked with the tolerance of its contradictions.

use super::resolve::BrokenRef;
use super::Ctx;
use crate::ir::{Example, ExampleContext, MediaKind, TypeRef};
use crate::pointer::Pointer;
use serde_json::Value;

/// Bounds the walk over an example, whatever the schema's recursion.
const MAX_DEPTH: usize = 48;

/// The extension holding a document's verbatim example beside the valid standard one.
const DOCUMENT_EXAMPLE: &str = "x-document-example";

/// One example found on a media type: its name, value, and the document's verbatim version.
struct Found {
    name: String,
    value: Value,
    document: Option<Value>,
}

impl Found {
    fn new(name: &str, value: &Value, document: Option<&Value>) -> Self {
        Self { name: name.to_owned(), value: value.clone(), document: document.cloned() }
    }
}

/// One entry of an `examples` map, its `$ref`s followed.
pub(super) struct ExampleEntry<'a> {
    pub name: &'a str,
    /// Where the entry is written (the `$ref`, when it is one).
    pub at: Pointer,
    /// The Example Object the entry stands for, or why there is none.
    pub example: Result<&'a Value, BrokenRef>,
}

impl<'a> Ctx<'a> {
    /// The entries of the `examples` map at `examples_at`, in the spec's order. Silent about
    /// broken `$ref`s: lowering reports them, the contract tests' arguments pass over them.
    pub(super) fn example_entries(&self, examples_at: &Pointer) -> impl Iterator<Item = ExampleEntry<'a>> + '_ {
        let map = self.value_at(examples_at).and_then(Value::as_object);
        let examples_at = examples_at.clone();
        map.into_iter().flat_map(|map| map.keys()).map(move |name| {
            let at = examples_at.key(name);
            let example = self.follow_refs(&at).map(|(_, example)| example);
            ExampleEntry { name, at, example }
        })
    }

    /// The examples of one media type object (`example`, or each entry of `examples`).
    pub(super) fn media_examples(
        &mut self,
        media_at: &Pointer,
        context: ExampleContext,
        ty: &TypeRef,
        media: MediaKind,
    ) -> Vec<Example> {
        if media != MediaKind::Json {
            return Vec::new();
        }
        let Some(media) = self.value_at(media_at).cloned() else { return Vec::new() };
        let mut found: Vec<Found> = Vec::new();
        if let Some(value) = media.get("example") {
            found.push(Found::new("example", value, media.get(DOCUMENT_EXAMPLE)));
        }
        let entries: Vec<ExampleEntry> = self.example_entries(&media_at.key("examples")).collect();
        for entry in entries {
            match entry.example {
                Ok(example) => {
                    if let Some(value) = example.get("value") {
                        found.push(Found::new(entry.name, value, example.get(DOCUMENT_EXAMPLE)));
                    }
                }
                Err(BrokenRef::Unresolved { at, reference }) => {
                    self.error(&at, format!("`$ref: {reference}` does not resolve to an example"));
                }
                Err(BrokenRef::Cycle) => self.error(&entry.at, "`$ref` cycle while resolving an example"),
                Err(BrokenRef::Missing) => {}
            }
        }
        let schema_at = media_at.key("schema");
        let mut examples = Vec::new();
        for Found { name, value, document } in found {
            let mut contradictions = Vec::new();
            // A standard example with the document's one beside it claims to be valid: no tolerance.
            if document.is_none() {
                self.find_contradictions(&schema_at, &value, &Pointer::root(), &mut contradictions, 0);
            }
            let example = |name: String, value: Value, contradictions: Vec<String>, document: bool| Example {
                context: context.clone(),
                name,
                ty: ty.clone(),
                value,
                contradictions,
                document,
            };
            examples.push(example(name.clone(), value, contradictions, false));
            if let Some(document) = document {
                let mut contradictions = Vec::new();
                self.find_contradictions(&schema_at, &document, &Pointer::root(), &mut contradictions, 0);
                examples.push(example(name, document, contradictions, true));
            }
        }
        examples
    }

    /// Walks `value` alongside the schema at `schema_at`, recording the pointer (into `value`) of
    /// every property whose schema carries `x-contradiction`.
    fn find_contradictions(
        &self,
        schema_at: &Pointer,
        value: &Value,
        here: &Pointer,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ok((schema_at, schema)) = self.follow_refs(schema_at) else { return };
        // allOf parts contribute properties too.
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for index in 0..parts.len() {
                self.find_contradictions(&schema_at.key("allOf").index(index), value, here, out, depth + 1);
            }
        }
        match value {
            Value::Object(map) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                for (key, child) in map {
                    let child_here = here.key(key);
                    if let Some(prop) = properties.and_then(|p| p.get(key)) {
                        let prop_at = schema_at.key("properties").key(key);
                        if prop.get("x-contradiction").is_some() {
                            out.push(child_here.as_json_pointer().to_owned());
                            continue;
                        }
                        self.find_contradictions(&prop_at, child, &child_here, out, depth + 1);
                    } else if schema.get("additionalProperties").is_some_and(Value::is_object) {
                        self.find_contradictions(
                            &schema_at.key("additionalProperties"),
                            child,
                            &child_here,
                            out,
                            depth + 1,
                        );
                    }
                }
            }
            Value::Array(items) if schema.get("items").is_some() => {
                for (index, item) in items.iter().enumerate() {
                    self.find_contradictions(&schema_at.key("items"), item, &here.index(index), out, depth + 1);
                }
            }
            _ => {}
        }
    }
}
