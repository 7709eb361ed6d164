//! Paths and operations -> client methods.
//!
//! Each operation gets a method name (from `operationId`, or from method and path when it has
//! none), a request struct holding its parameters and body, a success type (one type, or an enum
//! keyed by status when statuses carry different types) and, when error statuses have bodies, an
//! error enum keyed by status.

use super::resolve::BrokenRef;
use super::schema::docs_of;
use super::view::SchemaView;
use super::Ctx;
use crate::ir::*;
use crate::naming::{camel, snake, Namespace};
use crate::pointer::Pointer;
use serde_json::Value;

/// Client method names the runtime or the generated client already use.
const RESERVED_METHODS: &[&str] = &["new", "from_runtime", "runtime", "config", "clone", "fmt"];

/// Where an operation was lowered from: its operation object and each of its parameters (in the
/// order of `Operation::params`, `$ref`s followed). Later passes over the raw tree (the contract
/// arguments) read them there.
#[derive(Debug, Clone)]
pub struct OperationAt {
    pub operation: Pointer,
    pub params: Vec<Pointer>,
}

impl Ctx<'_> {
    /// The document's operations, and where each was lowered from (in the same order).
    pub(super) fn lower_operations(&mut self) -> (Vec<Operation>, Vec<OperationAt>) {
        let Some(paths) = self.raw().get("paths").and_then(Value::as_object) else { return Default::default() };
        let path_keys: Vec<String> = paths.keys().cloned().collect();
        let mut methods = Namespace::new();
        for name in RESERVED_METHODS {
            methods.reserve(name);
        }
        let mut seen_ids: Vec<(String, Pointer)> = Vec::new();
        let mut operations = Vec::new();
        let mut operations_at = Vec::new();
        for path in path_keys {
            let mut item_at = Pointer::root().key("paths").key(&path);
            if let Err(problem) = parse_path_template(&path) {
                self.error(&item_at, problem);
                continue;
            }
            if let Some(reference) = self.value_at(&item_at).and_then(|v| v.get("$ref")).and_then(Value::as_str) {
                match Pointer::from_ref(reference).filter(|p| self.value_at(p).is_some()) {
                    Some(target) => item_at = target,
                    None => {
                        self.error(&item_at, format!("`$ref: {reference}` does not resolve to a path item"));
                        continue;
                    }
                }
            }
            for (key, method) in HttpMethod::ALL {
                let op_at = item_at.key(key);
                if self.value_at(&op_at).is_none() {
                    continue;
                }
                let id = match self.value_at(&op_at).and_then(|v| v.get("operationId")).and_then(Value::as_str) {
                    Some(id) if !id.trim().is_empty() => id.to_owned(),
                    _ => format!("{key} {path}"),
                };
                if let Some((_, first)) = seen_ids.iter().find(|(seen, _)| seen == &id) {
                    let first = first.to_string();
                    self.error(
                        &op_at.key("operationId"),
                        format!("duplicate operationId {id:?}: also used at {first}"),
                    );
                    continue;
                }
                seen_ids.push((id.clone(), op_at.clone()));
                let fn_name = methods.claim(&snake(&id));
                let (operation, at) = self.lower_operation(&path, &item_at, method, &op_at, id, fn_name);
                operations.push(operation);
                operations_at.push(at);
            }
        }
        self.check_helper_names(&operations, &seen_ids);
        (operations, operations_at)
    }

    fn lower_operation(
        &mut self,
        path: &str,
        item_at: &Pointer,
        method: HttpMethod,
        at: &Pointer,
        id: String,
        fn_name: String,
    ) -> (Operation, OperationAt) {
        // The template was checked by the caller.
        let path_parts = parse_path_template(path).unwrap_or_default();
        // `Self_` (a keyword's escape) is right only as a whole name: `SelfRequest`, not `Self_Request`.
        let base = camel(&id).trim_end_matches('_').to_owned();
        let request_type = self.types.names.claim(&format!("{base}Request"));
        let view = self.value_at(at).and_then(SchemaView::new);
        let doc = view.map(docs_of).unwrap_or_default();
        let summary = view.and_then(|v| v.str("summary")).map(str::to_owned);
        let tags = self.operation_tags(at);
        let (params, params_at) = self.lower_params(path, &path_parts, item_at, at, &base);
        let (body, mut examples) = self.lower_body(at, &base);
        let responses = self.lower_responses(at, &base);
        examples.extend(responses.examples);
        let pagination = self.lower_pagination(at, &params, &responses.success);
        let waiters = self.lower_waiters(at, &responses.success);
        let security = self.operation_security(at);
        let operation = Operation {
            id,
            fn_name,
            request_type,
            method,
            path: path.to_owned(),
            path_parts,
            doc,
            summary,
            tags,
            params,
            body,
            success: responses.success,
            errors: responses.errors,
            error_type: responses.error_type,
            accept: responses.accept,
            examples,
            pagination,
            waiters,
            security,
            contract: None,
        };
        (operation, OperationAt { operation: at.clone(), params: params_at })
    }

    /// The operation's `tags` (text only; anything else is a warning and left out).
    fn operation_tags(&mut self, at: &Pointer) -> Vec<String> {
        let Some(list) = self.value_at(&at.key("tags")).cloned() else { return Vec::new() };
        let mut tags: Vec<String> = Vec::new();
        for (index, tag) in list.as_array().into_iter().flatten().enumerate() {
            match tag.as_str() {
                Some(tag) if !tags.iter().any(|t| t == tag) => tags.push(tag.to_owned()),
                Some(_) => {}
                None => self.warning(&at.key("tags").index(index), "a tag must be a string; ignored"),
            }
        }
        if !list.is_array() {
            self.warning(&at.key("tags"), "`tags` must be a list of strings; ignored");
        }
        tags
    }

    /// Path-level and operation-level parameters (the operation's win), checked against the path,
    /// and where each is.
    fn lower_params(
        &mut self,
        path: &str,
        path_parts: &[PathPart],
        item_at: &Pointer,
        at: &Pointer,
        base: &str,
    ) -> (Vec<Param>, Vec<Pointer>) {
        let found = self.merged_params(item_at, at);
        let template_names: Vec<String> = path_template_names(path_parts);
        let mut names = Namespace::new();
        names.reserve("body");
        let mut params = Vec::new();
        let mut params_at = Vec::new();
        for (param_at, param) in found {
            let Some(wire_name) = param.get("name").and_then(Value::as_str).map(str::to_owned) else {
                self.error(&param_at, "a parameter needs a `name`");
                continue;
            };
            let Some(location) = self.param_location(&param_at, &param) else { continue };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&wire_name.to_ascii_lowercase().as_str())
            {
                continue; // OpenAPI says these header parameters SHALL be ignored
            }
            if location == ParamLocation::Path && !template_names.contains(&wire_name) {
                self.error(
                    &param_at,
                    format!("path parameter {wire_name:?} does not appear as {{{wire_name}}} in the path {path:?}"),
                );
                continue;
            }
            let schema_at = param_schema_at(&param_at, &param);
            let hint = format!("{base}{}", camel(&wire_name));
            let ty = match &schema_at {
                Some(s) if self.value_at(s).is_some() => self.schema_ref(s, &hint, 0),
                _ => TypeRef::String,
            };
            let constraints = schema_at.as_ref().map(|s| self.constraints_at(s, 0)).unwrap_or_default();
            let view = SchemaView::new(&param);
            let required = location == ParamLocation::Path || view.is_some_and(|v| v.bool("required"));
            let object = matches!(ty, TypeRef::Map(_) | TypeRef::Named(_) | TypeRef::Json)
                && schema_at.as_ref().and_then(|s| self.resolve_view(s)).is_some_and(|v| v.is_object_like());
            let style = self.param_style(&param_at, &param, location, &ty, object);
            let style_form = param.get("style").and_then(Value::as_str).is_none_or(|s| s == "form");
            let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style_form);
            params.push(Param {
                name: names.claim(&snake(&wire_name)),
                wire_name,
                location,
                ty,
                required,
                doc: view.map(docs_of).unwrap_or_default(),
                from_config: param.get("x-config-param").and_then(Value::as_str).map(str::to_owned),
                idempotency_token: param.get("x-idempotency-token").and_then(Value::as_bool).unwrap_or(false),
                explode,
                style,
                object,
                example: self.param_example(&param, schema_at.as_ref()),
                constraints,
            });
            params_at.push(param_at);
        }
        for name in template_names {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                self.error(
                    at,
                    format!("the path has {{{name}}} but the operation declares no path parameter {name:?}"),
                );
            }
        }
        (params, params_at)
    }

    /// The parameters of a path item and of its operation, the operation's replacing a path
    /// item's of the same name and location.
    fn merged_params(&mut self, item_at: &Pointer, at: &Pointer) -> Vec<(Pointer, Value)> {
        let mut found: Vec<(Pointer, Value)> = Vec::new();
        for list_at in [item_at.key("parameters"), at.key("parameters")] {
            let count = self.value_at(&list_at).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
            for index in 0..count {
                let Some((param_at, param)) = self.resolve_object(&list_at.index(index), "parameter") else { continue };
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                found.retain(|(_, existing)| key(existing) != key(&param));
                found.push((param_at, param));
            }
        }
        found
    }

    /// A parameter's `in`; anything but the four locations is an error.
    fn param_location(&mut self, param_at: &Pointer, param: &Value) -> Option<ParamLocation> {
        match param.get("in").and_then(Value::as_str) {
            Some("path") => Some(ParamLocation::Path),
            Some("query") => Some(ParamLocation::Query),
            Some("header") => Some(ParamLocation::Header),
            Some("cookie") => Some(ParamLocation::Cookie),
            other => {
                let found = match other {
                    Some(location) => format!("{location:?}"),
                    None => "missing".to_owned(),
                };
                let message = format!("parameter location {found} is not one of path, query, header, cookie");
                self.error(&param_at.key("in"), message);
                None
            }
        }
    }

    /// A value to show in the documentation example for a parameter.
    fn param_example(&self, param: &Value, schema_at: Option<&Pointer>) -> Option<Value> {
        let schema = schema_at.and_then(|s| self.resolve_view(s));
        param
            .get("example")
            .or_else(|| schema.and_then(|s| s.get("example").or_else(|| s.get("default"))))
            .or_else(|| schema.and_then(|s| s.enum_values()).and_then(|values| values.iter().find(|v| !v.is_null())))
            .cloned()
    }

    /// The `style` of a parameter, where the SDK implements it; any other is a warning and the
    /// default style is used.
    fn param_style(
        &mut self,
        at: &Pointer,
        param: &Value,
        location: ParamLocation,
        ty: &TypeRef,
        is_object: bool,
    ) -> ParamStyle {
        let Some(style) = param.get("style").and_then(Value::as_str) else { return ParamStyle::Form };
        let is_list = matches!(ty, TypeRef::Vec(_));
        let supported = match (location, style) {
            (ParamLocation::Query | ParamLocation::Cookie, "form")
            | (ParamLocation::Path | ParamLocation::Header, "simple") => Some(ParamStyle::Form),
            (ParamLocation::Query, "spaceDelimited") if is_list => Some(ParamStyle::SpaceDelimited),
            (ParamLocation::Query, "pipeDelimited") if is_list => Some(ParamStyle::PipeDelimited),
            (ParamLocation::Query, "deepObject") if is_object => Some(ParamStyle::DeepObject),
            _ => None,
        };
        supported.unwrap_or_else(|| {
            self.warning(&at.key("style"), format!("style {style:?} is not supported for this parameter (the SDK implements form, simple, spaceDelimited and pipeDelimited for arrays, deepObject for objects); it is sent in the default style"));
            ParamStyle::Form
        })
    }

    fn lower_body(&mut self, at: &Pointer, base: &str) -> (Option<RequestBody>, Vec<Example>) {
        if self.value_at(&at.key("requestBody")).is_none() {
            return (None, Vec::new());
        }
        let Some((body_at, body)) = self.resolve_object(&at.key("requestBody"), "request body") else {
            return (None, Vec::new());
        };
        if body.get("content").is_some_and(|c| !c.is_object()) {
            self.error(
                &body_at.key("content"),
                "the content of a request body must be an object (media type -> media type object)",
            );
            return (None, Vec::new());
        }
        let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
        let Some((content_type, media)) = pick_media(body.get("content")) else {
            self.warning(
                &body_at.key("content"),
                "the request body has no media type the SDK can send; the operation is generated without a body",
            );
            return (None, Vec::new());
        };
        let media_at = body_at.key("content").key(&content_type);
        let ty = self.media_type(&media_at, media, &format!("{base}RequestBody"));
        let examples = self.media_examples(&media_at, ExampleContext::Request, &ty, media);
        let doc = body.get("description").and_then(Value::as_str).map(str::to_owned);
        let part_content_types = match media {
            MediaKind::Multipart => {
                self.check_form_schema(&media_at.key("schema"), &ty);
                self.part_content_types(&media_at)
            }
            _ => Vec::new(),
        };
        let constraints = match media {
            MediaKind::OctetStream => Constraints::default(),
            _ if self.value_at(&media_at.key("schema")).is_some() => self.constraints_at(&media_at.key("schema"), 0),
            _ => Constraints::default(),
        };
        (Some(RequestBody { content_type, media, ty, required, doc, constraints, part_content_types }), examples)
    }

    /// A warning for a multipart body that is no object: a form is named parts, and such a schema
    /// names none (files go as one part named `file`; anything else cannot be sent as a form).
    fn check_form_schema(&mut self, schema_at: &Pointer, ty: &TypeRef) {
        let Some(schema) = self.value_at(schema_at).and_then(|s| self.resolved(s)) else { return };
        if schema.is_object_like() || schema.ty().is_none() {
            return;
        }
        let sent = match ty {
            TypeRef::Bytes => "it is sent as one file part named `file`",
            TypeRef::Vec(item) if **item == TypeRef::Bytes => "each file is sent as a part named `file`",
            _ => "the SDK cannot send it as a form (calls fail with an encoding error)",
        };
        self.warning(schema_at, format!("a multipart body should be an object, one property per part: {sent}"));
    }

    /// The `encoding` of a multipart media type: each part's `contentType` (the first, when the
    /// spec lists several), by property name.
    fn part_content_types(&self, media_at: &Pointer) -> Vec<(String, String)> {
        let Some(encoding) = self.value_at(&media_at.key("encoding")).and_then(Value::as_object) else {
            return Vec::new();
        };
        encoding
            .iter()
            .filter_map(|(name, part)| {
                let listed = part.get("contentType")?.as_str()?;
                let first = listed.split(',').next()?.trim();
                // A control character would end the part's header early: such a type is not used.
                (!first.is_empty() && !first.chars().any(char::is_control)).then(|| (name.clone(), first.to_owned()))
            })
            .collect()
    }

    /// The Rust type of one media type's content.
    pub(super) fn media_type(&mut self, media_at: &Pointer, media: MediaKind, hint: &str) -> TypeRef {
        let schema_at = media_at.key("schema");
        match media {
            MediaKind::OctetStream => TypeRef::Bytes,
            MediaKind::Text => TypeRef::String,
            _ if self.value_at(&schema_at).is_none() => TypeRef::Json,
            _ => self.schema_ref(&schema_at, hint, 0),
        }
    }

    /// Resolves a `$ref` to a parameter, request body or response; returns its pointer and value.
    /// A broken chain or a value that is no object is an error (nothing at `at` is not).
    pub(super) fn resolve_object(&mut self, at: &Pointer, what: &str) -> Option<(Pointer, Value)> {
        match self.follow_refs(at) {
            Ok((end, value)) if value.is_object() => Some((end, value.clone())),
            Ok((end, _)) => {
                self.error(&end, format!("a {what} must be an object"));
                None
            }
            Err(BrokenRef::Missing) => None,
            Err(BrokenRef::Unresolved { at: holder, reference }) => {
                self.error(&holder, format!("`$ref: {reference}` does not resolve to a {what}"));
                None
            }
            Err(BrokenRef::Cycle) => {
                self.error(at, format!("`$ref` cycle while resolving a {what}"));
                None
            }
        }
    }
}

/// Where the schema of the parameter `param` (at `param_at`) is: its `schema`, else that of its
/// first `content` entry (a parameter has one or the other).
pub(super) fn param_schema_at(param_at: &Pointer, param: &Value) -> Option<Pointer> {
    if param.get("schema").is_some() {
        return Some(param_at.key("schema"));
    }
    let media = param.get("content").and_then(Value::as_object).and_then(|c| c.keys().next())?;
    Some(param_at.key("content").key(media).key("schema"))
}

/// Splits a path template into literal text and `{name}` parameters; an unbalanced brace or an
/// empty name is an error (the message says which).
pub(super) fn parse_path_template(path: &str) -> Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(brace) = rest.find(['{', '}']) {
        if rest[brace..].starts_with('}') {
            return Err(format!("the path {path:?} has a `}}` without its `{{`"));
        }
        let after = &rest[brace + 1..];
        let Some(close) = after.find(['{', '}']).filter(|&i| after[i..].starts_with('}')) else {
            return Err(format!("the path {path:?} has a `{{` without its `}}`"));
        };
        let name = &after[..close];
        if name.trim().is_empty() {
            return Err(format!("the path {path:?} has an empty parameter `{{}}`"));
        }
        if brace > 0 {
            parts.push(PathPart::Literal(rest[..brace].to_owned()));
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    Ok(parts)
}

/// The `{name}`s of a path template, in order.
fn path_template_names(parts: &[PathPart]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match p {
            PathPart::Param(name) => Some(name.clone()),
            PathPart::Literal(_) => None,
        })
        .collect()
}

/// Chooses the media type the SDK uses for a content map: JSON first, then the others in order of
/// how much structure they keep.
pub(super) fn pick_media(content: Option<&Value>) -> Option<(String, MediaKind)> {
    let content = content?.as_object()?;
    let kind = |ct: &str| -> Option<MediaKind> {
        let ct = ct.split(';').next().unwrap_or(ct).trim().to_ascii_lowercase();
        if ct == "application/json" || (ct.starts_with("application/") && ct.ends_with("+json")) || ct == "*/*" {
            Some(MediaKind::Json)
        } else if ct == "application/x-www-form-urlencoded" {
            Some(MediaKind::Form)
        } else if ct == "multipart/form-data" || ct == "multipart/mixed" {
            Some(MediaKind::Multipart)
        } else if ct.starts_with("text/") {
            Some(MediaKind::Text)
        } else if ct.ends_with("json") {
            Some(MediaKind::Json)
        } else {
            Some(MediaKind::OctetStream)
        }
    };
    let order = [MediaKind::Json, MediaKind::Form, MediaKind::Multipart, MediaKind::OctetStream, MediaKind::Text];
    order.iter().find_map(|want| content.keys().find(|ct| kind(ct) == Some(*want)).map(|ct| (ct.clone(), *want)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates() {
        let parts = parse_path_template("/v1.1/{project_id}/clusters/{cluster_id}").unwrap();
        assert_eq!(path_template_names(&parts), vec!["project_id", "cluster_id"]);
        assert_eq!(parts[0], PathPart::Literal("/v1.1/".into()));
        assert_eq!(parse_path_template("/pets").unwrap(), vec![PathPart::Literal("/pets".into())]);
        assert_eq!(
            parse_path_template("/{a}{b}").unwrap(),
            vec![PathPart::Literal("/".into()), PathPart::Param("a".into()), PathPart::Param("b".into())]
        );
        for bad in ["/a/{", "/a/{b", "/a/}", "/a/{}", "/a/{b{c}}", "/a/{b}}", "/é{", "/{é"] {
            assert!(parse_path_template(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn media_preference() {
        let content = serde_json::json!({"text/plain": {}, "application/json; charset=utf-8": {}});
        assert_eq!(pick_media(Some(&content)).unwrap().1, MediaKind::Json);
        let content = serde_json::json!({"application/octet-stream": {}});
        assert_eq!(pick_media(Some(&content)).unwrap().1, MediaKind::OctetStream);
        assert!(pick_media(Some(&serde_json::json!({}))).is_none());
    }
}
