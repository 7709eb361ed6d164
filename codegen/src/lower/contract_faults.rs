//! What makes an operation's contract test fail whatever the SDK sends or decodes, known from the
//! spec itself (`ir::ContractCall`'s caveats), so the test can tell the spec's fault (or the
//! mock's limit) from the SDK's:
//! - a body no request can satisfy: an object on a required path that lists a `required` name its
//!   `properties` do not declare and `additionalProperties: false` forbids; a `multipart/form-data`
//!   schema that is no object (a form is named parts);
//! - a multipart property Prism cannot check: it reads every part as text, so an object or list
//!   part never matches its schema;
//! - a success response whose example (the media type's, or a schema's at any depth, which Prism
//!   answers with) breaks its own schema;
//! - two operations that are one request on the wire (a `#` fragment, never sent, the only
//!   difference): the mock answers both with the first one's response.

use super::operation::pick_media;
use super::responses::parse_status;
use super::view::SchemaView;
use super::Ctx;
use crate::ir::{BodyCaveat, MediaKind, Operation, PathPart, StatusKey};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::HashSet;

/// How deep the walks go below a body or response schema (recursive schemas end sooner: each
/// schema object is visited once).
const MAX_WALK_DEPTH: usize = 16;

/// A check at one schema of a walk: what it found wrong, if anything. Takes the schema as written
/// (maybe a `$ref`), the schema it resolves to, and the property path to it (`screens`, `a.b[]`).
type Visit<'v, 'a> = dyn FnMut(&'a Value, SchemaView<'a>, &str) -> Option<String> + 'v;

impl<'a> Ctx<'a> {
    /// Why Prism flags a body the SDK sends at `media_at` (its media type object), when the spec
    /// or the mock is the cause, and the body members it concerns.
    pub(super) fn body_caveat(&self, media_at: &Pointer, media: MediaKind) -> Option<BodyCaveat> {
        let schema = self.value_at(&media_at.key("schema"))?;
        let view = self.resolved(schema)?;
        if matches!(media, MediaKind::Form | MediaKind::Multipart) {
            if let Some(caveat) = self.undeclared_form_fields(view) {
                return Some(caveat);
            }
        }
        if media == MediaKind::Multipart {
            if !view.is_object_like() && view.ty().is_some() {
                let why =
                    "the spec's multipart/form-data schema is no object (a form is named parts), so no form matches it";
                return Some(BodyCaveat { why: why.to_owned(), members: Vec::new() });
            }
            if let Some(caveat) = self.unreadable_parts(media_at, view) {
                return Some(caveat);
            }
        }
        let mut unsatisfiable = |_: &'a Value, view: SchemaView<'a>, path: &str| {
            self.unsatisfiable(view, path).or_else(|| self.alternatives_alike(view, path))
        };
        let found = self.walk(schema, "", 0, true, &mut HashSet::new(), &mut unsatisfiable)?;
        let member = found.0.split(['.', '[']).next().unwrap_or_default().to_owned();
        Some(BodyCaveat { why: found.1, members: if member.is_empty() { Vec::new() } else { vec![member] } })
    }

    /// The required names a form body's schema does not declare: Prism keeps only the declared
    /// properties of a form, so it never sees them, and reports them missing.
    fn undeclared_form_fields(&self, view: SchemaView<'a>) -> Option<BodyCaveat> {
        let parts: Vec<SchemaView<'a>> = self.with_all_of_parts(view).collect();
        let declared = |name: &str| parts.iter().any(|p| p.properties().is_some_and(|p| p.contains_key(name)));
        let mut members: Vec<String> = Vec::new();
        for name in parts.iter().flat_map(|p| p.required()) {
            if !declared(name) && !members.iter().any(|m| m == name) {
                members.push(name.to_owned());
            }
        }
        members_caveat(members, |named| {
            format!("Prism reads only the declared properties of a form body, so {named}, required but not declared by the spec, never reaches its check (the SDK sends it)")
        })
    }

    /// The object and list properties of a multipart body, which Prism reads as text (it parses a
    /// part only for an `encoding` `style`).
    fn unreadable_parts(&self, media_at: &Pointer, view: SchemaView<'a>) -> Option<BodyCaveat> {
        let styled = |name: &str| self.value_at(&media_at.key("encoding").key(name).key("style")).is_some();
        let mut members: Vec<String> = Vec::new();
        for (name, schema) in self.with_all_of_parts(view).filter_map(|part| part.properties()).flatten() {
            let structured = self.resolved(schema).is_some_and(|p| p.is_object_like() || p.ty() == Some("array"));
            if structured && !styled(name) && !members.contains(name) {
                members.push(name.clone());
            }
        }
        members_caveat(members, |named| {
            format!("Prism reads every part of a multipart/form-data body as text, so the object or list part {named} cannot match its schema (a limit of the mock: the part is sent as OpenAPI's encoding says)")
        })
    }

    /// An object that requires a name it forbids: listed in `required` (its own or an `allOf`
    /// part's), not in its `properties`, and `additionalProperties: false`.
    fn unsatisfiable(&self, view: SchemaView<'a>, path: &str) -> Option<String> {
        if view.get("additionalProperties") != Some(&Value::Bool(false)) {
            return None;
        }
        let required: Vec<&str> = self.with_all_of_parts(view).flat_map(|v| v.required()).collect();
        let declared = |name: &str| view.properties().is_some_and(|p| p.contains_key(name));
        let missing = required.into_iter().find(|name| !declared(name))?;
        let at = member_text(path);
        Some(format!(
            "{at} requires `{missing}`, which its schema does not declare while `additionalProperties: false` forbids it: no body satisfies the spec"
        ))
    }

    /// A `oneOf` two of whose alternatives take the same values: one is the other (a `$ref`) in an
    /// `allOf` with parts that only add optional properties (no `required`, `enum`, `const` or
    /// `additionalProperties: false`), so a value matches both, and never exactly one.
    fn alternatives_alike(&self, view: SchemaView<'a>, path: &str) -> Option<String> {
        let alternatives = view.list("oneOf")?;
        let name = |reference: &str| reference.rsplit('/').next().unwrap_or(reference).to_owned();
        let open = |v: SchemaView<'_>| v.get("additionalProperties") != Some(&Value::Bool(false));
        for base in alternatives.iter().filter_map(|a| a.get("$ref").and_then(Value::as_str)) {
            let base_view = Pointer::from_ref(base).and_then(|at| self.value_at(&at)).and_then(SchemaView::new);
            if !base_view.is_some_and(open) {
                continue;
            }
            let widened = alternatives.iter().find(|other| {
                let Some(parts) = self.resolved(other).and_then(|o| o.list("allOf")) else { return false };
                let extends = parts.iter().any(|p| p.get("$ref").and_then(Value::as_str) == Some(base));
                let adds_only_options = parts.iter().filter(|p| p.get("$ref").is_none()).all(|p| {
                    SchemaView::new(p).is_some_and(|p| {
                        open(p) && p.required().is_empty() && p.get("enum").is_none() && p.get("const").is_none()
                    })
                });
                extends && adds_only_options
            });
            if let Some(other) = widened {
                let other = other.get("$ref").and_then(Value::as_str).map_or_else(|| "another".to_owned(), name);
                let at = member_text(path);
                return Some(format!(
                    "{at} is a oneOf whose alternatives `{}` and `{other}` take the same values (one is the other with optional properties), so no value matches exactly one",
                    name(base)
                ));
            }
        }
        None
    }

    /// Where a success response's example, which Prism answers with, breaks its schema: the
    /// media type's example, else an `example` inside the schema (checked against the schema it
    /// annotates, the `allOf` around it for an annotating part's).
    pub(super) fn broken_response_example(&self, op_at: &Pointer) -> Option<String> {
        let responses_at = op_at.key("responses");
        let keys = self.value_at(&responses_at)?.as_object()?.keys();
        let statuses: Vec<(&String, StatusKey)> = keys.filter_map(|key| Some((key, parse_status(key)?))).collect();
        let written = |wanted: fn(&StatusKey) -> bool| -> Vec<&String> {
            statuses.iter().filter(|(_, status)| wanted(status)).map(|(key, _)| *key).collect()
        };
        // `default` stands for success when no 2xx status is listed, as lowering reads it.
        let success = written(StatusKey::is_success);
        let chosen = if success.is_empty() { written(|status| *status == StatusKey::Default) } else { success };
        chosen.into_iter().find_map(|status| {
            let (response_at, response) = self.follow_refs(&responses_at.key(status)).ok()?;
            let (content_type, MediaKind::Json) = pick_media(response.get("content"))? else { return None };
            let media_at = response_at.key("content").key(&content_type);
            let schema = self.value_at(&media_at.key("schema"))?;
            if let Some(example) = self.media_example(&media_at) {
                let fits = self.fits(schema, &example, 0);
                return (!fits).then(|| format!("the {status} response's example breaks its schema"));
            }
            let mut breaks =
                |schema: &'a Value, view: SchemaView<'a>, path: &str| self.example_breaks(schema, view, path);
            let (_, why) = self.walk(schema, "", 0, false, &mut HashSet::new(), &mut breaks)?;
            Some(format!("the {status} response's schema has an example that breaks it: {why}"))
        })
    }

    fn example_breaks(&self, schema: &'a Value, view: SchemaView<'a>, path: &str) -> Option<String> {
        let mut examples = self.with_all_of_parts(view).filter_map(|v| v.get("example").filter(|e| !e.is_null()));
        let broken = examples.find(|example| !self.fits(schema, example, 0))?;
        let at = member_text(path);
        let text: String = broken.to_string().chars().take(80).collect();
        Some(format!("{at} is given as {text}"))
    }

    /// `visit` at `schema` and every schema below it (each `allOf` part at the same path, each
    /// property at `path.name`, and, unless `required_only`, the optional properties too and the
    /// items at `path[]`), each schema object once; the first path and finding.
    fn walk(
        &self,
        schema: &'a Value,
        path: &str,
        depth: usize,
        required_only: bool,
        seen: &mut HashSet<usize>,
        visit: &mut Visit<'_, 'a>,
    ) -> Option<(String, String)> {
        let view = self.resolved(schema)?;
        if depth > MAX_WALK_DEPTH || !seen.insert(std::ptr::from_ref(view.obj) as usize) {
            return None;
        }
        if let Some(found) = visit(schema, view, path) {
            return Some((path.to_owned(), found));
        }
        for part in view.list("allOf").into_iter().flatten() {
            if let Some(found) = self.walk(part, path, depth + 1, required_only, seen, visit) {
                return Some(found);
            }
        }
        let required = view.required();
        for (name, property) in view.properties().into_iter().flatten() {
            if required_only && !required.contains(&name.as_str()) {
                continue;
            }
            let below = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            if let Some(found) = self.walk(property, &below, depth + 1, required_only, seen, visit) {
                return Some(found);
            }
        }
        let items = view.get("items").filter(|_| !required_only)?;
        self.walk(items, &format!("{path}[]"), depth + 1, required_only, seen, visit)
    }
}

/// A caveat about `members` (`None` when there are none), its reason `why` given their names
/// written as code (`` `a`, `b` ``).
fn members_caveat(members: Vec<String>, why: impl FnOnce(&str) -> String) -> Option<BodyCaveat> {
    if members.is_empty() {
        return None;
    }
    let named: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
    Some(BodyCaveat { why: why(&named.join(", ")), members })
}

/// How a reason names the body member at `path` (`a.b[]`; empty for the body itself).
fn member_text(path: &str) -> String {
    if path.is_empty() {
        "the body".to_owned()
    } else {
        format!("`{path}`")
    }
}

/// The operation sent as the same request as `op` (same method and path once the `#` fragment,
/// never sent, is cut), named, when `op`'s own template has a fragment or the other's does.
pub(super) fn same_request(operations: &[Operation], op: &Operation) -> Option<String> {
    let sent = |o: &Operation| -> String {
        let parts = o.sent_path_parts();
        parts.iter().map(|part| if let PathPart::Literal(text) = part { text.as_str() } else { "{}" }).collect()
    };
    let mine = sent(op);
    let other = operations.iter().find(|o| {
        o.id != op.id && o.method == op.method && (o.path.contains('#') || op.path.contains('#')) && sent(o) == mine
    })?;
    Some(format!(
        "`{}` and `{}` are one request on the wire (`{} {mine}`: a `#` fragment is never sent), so the mock answers both as one of them",
        op.path,
        other.id,
        op.method.as_str()
    ))
}
