//! The arguments of each operation's contract test (`Options::contract_tests`): read from the
//! spec's examples where it has them (the parameter's `example` or `examples`, the media type's,
//! the schema's), else built from the schemas (`sample.rs`).
//!
//! Run after lowering, over the same raw tree, only when contract tests are asked for, so
//! generation without them does no more work than before.

use super::operation::param_schema_at;
use super::{contract_faults, Ctx, OperationAt};
use crate::ir::{ContractCall, ContractValue, MediaKind, Operation, Param, RequestBody, Service, TypeRef};
use crate::load::LoadedSpec;
use crate::pointer::Pointer;
use serde_json::Value;

/// Fills in `contract` on every operation of `service`, lowered from `spec`; `operations_at`
/// says where each was lowered from (`Lowered::operations_at`, in the operations' order).
pub fn annotate(spec: &LoadedSpec, service: &mut Service, operations_at: &[OperationAt]) {
    debug_assert_eq!(service.operations.len(), operations_at.len(), "one place per operation");
    let ctx = Ctx::new(spec);
    let same_requests: Vec<Option<String>> =
        service.operations.iter().map(|op| contract_faults::same_request(&service.operations, op)).collect();
    for ((op, same_request), at) in service.operations.iter_mut().zip(same_requests).zip(operations_at) {
        let mut call = ctx.contract_call(op, at);
        call.same_request = same_request;
        op.contract = Some(call);
    }
}

impl Ctx<'_> {
    fn contract_call(&self, op: &Operation, at: &OperationAt) -> ContractCall {
        let op_at = &at.operation;
        let mut params = Vec::new();
        for (param, param_at) in op.params.iter().zip(&at.params) {
            let Some(raw) = self.value_at(param_at) else { continue };
            // Without a schema, a pointer to nothing: the argument is built as text.
            let schema_at = param_schema_at(param_at, raw).unwrap_or_else(|| param_at.key("schema"));
            // A scalar reads as text in a URL whatever its JSON type; a list or object must fit.
            let usable = |e: &Value| !(e.is_array() || e.is_object()) || self.fits_at(&schema_at, e);
            let explicit = self.param_example_value(param_at, raw).filter(usable);
            let needed = param.required || param.from_config.is_some();
            let value = match explicit {
                Some(value) => ContractValue { value, from_spec: true },
                None if needed => self.schema_value(&schema_at),
                None => continue,
            };
            params.push((param.name.clone(), fit_param(param, value)));
        }
        let mut body_caveat = None;
        let body = op.body.as_ref().and_then(|body| {
            let (body_at, _) = self.follow_refs(&op_at.key("requestBody")).ok()?;
            let media_at = body_at.key("content").key(&body.content_type);
            body_caveat = self.body_caveat(&media_at, body.media);
            let example = self.media_example(&media_at).filter(|e| self.fits_at(&media_at.key("schema"), e));
            let value = match example {
                Some(value) => ContractValue { value, from_spec: true },
                None => self.schema_value(&media_at.key("schema")),
            };
            Some(fit_body(body, value))
        });
        let broken_response_example = self.broken_response_example(op_at);
        ContractCall { params, body, body_caveat, broken_response_example, same_request: None }
    }

    /// A parameter's own `example`, or the first of its `examples`, or its schema's.
    fn param_example_value(&self, param_at: &Pointer, raw: &Value) -> Option<Value> {
        if let Some(example) = raw.get("example").filter(|v| !v.is_null()) {
            return Some(example.clone());
        }
        if let Some(first) = self.first_example(&param_at.key("examples")) {
            return Some(first);
        }
        let schema = self.resolved(self.value_at(&param_schema_at(param_at, raw)?)?)?;
        schema.get("example").filter(|v| !v.is_null()).cloned()
    }

    /// A media type's `example`, or the first of its `examples` with a `value`.
    /// An example written as JSON text for a schema that is no string (Jira's are) is read as the
    /// JSON it holds.
    pub(super) fn media_example(&self, media_at: &Pointer) -> Option<Value> {
        let media = self.value_at(media_at)?;
        let example = match media.get("example").filter(|v| !v.is_null()) {
            Some(example) => example.clone(),
            None => self.first_example(&media_at.key("examples"))?,
        };
        let text_schema = || {
            let schema = media.get("schema").and_then(|s| self.resolved(s));
            schema.is_none_or(|s| s.ty() == Some("string"))
        };
        match &example {
            Value::String(text) if !text_schema() => match serde_json::from_str::<Value>(text) {
                Ok(parsed @ (Value::Object(_) | Value::Array(_))) => Some(parsed),
                _ => Some(example),
            },
            _ => Some(example),
        }
    }

    /// The `value` of the first entry of an `examples` map that has one.
    fn first_example(&self, examples_at: &Pointer) -> Option<Value> {
        self.example_entries(examples_at)
            .find_map(|entry| entry.example.ok()?.get("value").filter(|v| !v.is_null()).cloned())
    }

    /// Whether an example has the shape of the schema at `at` (one that does not is the spec's
    /// mistake: a value built from the schema takes its place, so the call still tests the SDK).
    fn fits_at(&self, at: &Pointer, example: &Value) -> bool {
        self.value_at(at).is_none_or(|schema| self.fits(schema, example, 0))
    }

    /// A value built from the schema at `at` (the schema's own example when it has one at the top
    /// counts as the spec's).
    fn schema_value(&self, at: &Pointer) -> ContractValue {
        let top_example = self.value_at(at).and_then(|s| self.resolved(s)).and_then(|s| s.get("example").cloned());
        let value = self.sample_at(at);
        ContractValue { from_spec: top_example.is_some_and(|e| !e.is_null() && e == value), value }
    }
}

/// A parameter value as its Rust type decodes it: a scalar given for a list becomes a list of one,
/// a number written as text a number (and the reverse), as they read the same in a URL.
fn fit_param(param: &Param, mut value: ContractValue) -> ContractValue {
    value.value = fit(&param.ty, std::mem::take(&mut value.value));
    value
}

/// A body value as its Rust type decodes it: a binary body is bytes (JSON's list of numbers, as
/// serde reads the body's `Vec<u8>`), a text body text. A form or multipart body that is one
/// binary string (Jira's `addAttachment`) is the sample text's bytes too: only inside JSON are
/// bytes base64 text.
fn fit_body(body: &RequestBody, mut value: ContractValue) -> ContractValue {
    value.value = match (body.media, std::mem::take(&mut value.value)) {
        (MediaKind::OctetStream, Value::String(text)) => Value::from(text.into_bytes()),
        (MediaKind::OctetStream, Value::Array(bytes)) if bytes.iter().all(|b| b.as_u64().is_some_and(|b| b < 256)) => {
            Value::Array(bytes)
        }
        (MediaKind::OctetStream, _) => Value::from(b"contract".to_vec()),
        (MediaKind::Text, Value::String(text)) => Value::String(text),
        (MediaKind::Text, other) => Value::String(other.to_string()),
        (MediaKind::Form | MediaKind::Multipart, other) => fit(&body.ty, other),
        (MediaKind::Json, other) => other,
    };
    value
}

fn fit(ty: &TypeRef, value: Value) -> Value {
    match (ty, value) {
        (TypeRef::Nullable(inner) | TypeRef::Boxed(inner), value) => fit(inner, value),
        (TypeRef::Vec(item), Value::Array(items)) => Value::Array(items.into_iter().map(|v| fit(item, v)).collect()),
        (TypeRef::Vec(item), scalar) => Value::Array(vec![fit(item, scalar)]),
        (TypeRef::Tuple { prefix, rest }, Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, v)| match prefix.get(index).or(rest.as_deref()) {
                    Some(item) => fit(item, v),
                    None => v,
                })
                .collect(),
        ),
        (TypeRef::I32 | TypeRef::I64, Value::String(text)) => match text.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(text),
        },
        (TypeRef::F32 | TypeRef::F64, Value::String(text)) => match text.trim().parse::<f64>() {
            Ok(n) => serde_json::Number::from_f64(n).map_or(Value::String(text), Value::Number),
            Err(_) => Value::String(text),
        },
        (TypeRef::Bool, Value::String(text)) if text == "true" || text == "false" => Value::Bool(text == "true"),
        // A binary parameter (no JSON around it) is the text's bytes.
        (TypeRef::Bytes, Value::String(text)) => Value::from(text.into_bytes()),
        (TypeRef::String, scalar @ (Value::Number(_) | Value::Bool(_))) => Value::String(scalar.to_string()),
        (_, value) => value,
    }
}
