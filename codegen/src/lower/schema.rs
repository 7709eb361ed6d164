//! Schemas -> named Rust types (the type space).
//!
//! Component schemas keep their names (in UpperCamelCase); inline objects, enums and unions are
//! named after where they appear (parent type + property, operation + role), and any name taken
//! twice gets a numeric suffix in document order. References resolve through the raw tree, so a
//! `$ref` to any local pointer works; a dangling one is a diagnostic, never a panic.

use super::view::SchemaView;
use super::Ctx;
use crate::ir::*;
use crate::naming::{camel, snake, Namespace};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::BTreeMap;

/// Type names the generated modules use themselves (prelude types and traits, the client).
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "Ord",
    "PartialOrd",
    "From",
    "Into",
    "AsRef",
    "ToOwned",
    "ToString",
    "Iterator",
    "IntoIterator",
    "Send",
    "Sync",
    "Sized",
    "Client",
    "Self_",
];

/// How deep `$ref` chains and nested inline schemas may go before we call the document broken.
const MAX_DEPTH: usize = 64;

/// All named types of one service, in creation order.
#[derive(Debug, Default)]
pub struct TypeSpace {
    pub names: Namespace,
    /// Component schema key -> Rust type name.
    pub components: BTreeMap<String, String>,
    pub defs: Vec<TypeDef>,
    /// Where each named type's schema is, for diagnostics about the type as a whole.
    pub defined_at: BTreeMap<String, Pointer>,
    /// Inline schemas already lowered, by pointer, so a schema reached twice is one type.
    by_pointer: BTreeMap<String, TypeRef>,
}

impl TypeSpace {
    pub fn push(&mut self, def: TypeDef) {
        self.defs.push(def);
    }
}

impl<'a> Ctx<'a> {
    /// Names every component schema up front, in document order, so references resolve before
    /// the referenced type is lowered.
    pub(super) fn name_components(&mut self) {
        // Names generated code relies on: a schema called `Option` must not shadow the prelude.
        for reserved in RESERVED_TYPE_NAMES {
            self.types.names.reserve(reserved);
        }
        let Some(schemas) = self.raw().pointer("/components/schemas").and_then(Value::as_object) else {
            return;
        };
        let keys: Vec<String> = schemas.keys().cloned().collect();
        for key in keys {
            let name = self.types.names.claim(&camel(&key));
            self.types.components.insert(key, name);
        }
    }

    /// Lowers every component schema into a named type.
    pub(super) fn lower_components(&mut self) {
        let Some(schemas) = self.raw().pointer("/components/schemas").and_then(Value::as_object) else {
            return;
        };
        let keys: Vec<String> = schemas.keys().cloned().collect();
        for key in keys {
            let at = Pointer::root().key("components").key("schemas").key(&key);
            let name = self.types.components[&key].clone();
            self.define_named(&at, &name, 0);
        }
    }

    /// Lowers the schema at `at` (which may be a `$ref`) to a type reference; inline types that need
    /// a name are named from `hint`.
    pub(super) fn schema_ref(&mut self, at: &Pointer, hint: &str, depth: usize) -> TypeRef {
        if depth > MAX_DEPTH {
            self.error(at, "schema nesting or $ref chain is too deep (a reference cycle through non-schema objects?)");
            return TypeRef::Json;
        }
        let Some(value) = self.value_at(at) else {
            self.error(at, "expected a schema here, found nothing");
            return TypeRef::Json;
        };
        let Some(view) = SchemaView::new(value) else {
            if value.as_bool() == Some(true) {
                return TypeRef::Json;
            }
            self.error(at, "a schema must be an object");
            return TypeRef::Json;
        };
        if let Some(reference) = view.reference() {
            return self.resolve_schema_ref(at, reference, hint, depth);
        }
        if let Some(done) = self.types.by_pointer.get(at.as_json_pointer()) {
            return done.clone();
        }
        let ty = self.inline_schema(at, view, hint, depth);
        self.types.by_pointer.insert(at.as_json_pointer().to_owned(), ty.clone());
        ty
    }

    fn resolve_schema_ref(&mut self, at: &Pointer, reference: &str, hint: &str, depth: usize) -> TypeRef {
        let Some(target) = Pointer::from_ref(reference) else {
            self.error(
                at,
                format!("`$ref: {reference}` points outside this document; only local references are supported"),
            );
            return TypeRef::Json;
        };
        if self.value_at(&target).is_none() {
            self.error(at, format!("`$ref: {reference}` does not resolve: nothing at {target}"));
            return TypeRef::Json;
        }
        let segments: Vec<String> = target.segments().collect();
        if segments.len() == 3 && segments[0] == "components" && segments[1] == "schemas" {
            if let Some(name) = self.types.components.get(&segments[2]) {
                return TypeRef::Named(name.clone());
            }
        }
        // A reference to some other schema in the document (a property of a component, say).
        self.schema_ref(&target, hint, depth + 1)
    }

    /// Reports what is wrong with a schema's own keywords: an unknown `type`, a malformed
    /// `pattern` (one the SDK merely cannot enforce is a warning).
    fn check_keywords(&mut self, at: &Pointer, view: SchemaView<'_>) {
        if let Some(names) = view.get("x-property-names") {
            let names_at = at.key("x-property-names");
            match SchemaView::new(names) {
                Some(names) => {
                    if let Some(other) = names
                        .obj
                        .keys()
                        .find(|k| !matches!(k.as_str(), "minLength" | "maxLength" | "pattern") && !k.starts_with("x-"))
                    {
                        self.warning(
                            &names_at.key(other),
                            format!(
                                "x-property-names supports minLength, maxLength and pattern; {other:?} is not checked"
                            ),
                        );
                    }
                    if let Some(pattern) = names.str("pattern") {
                        if let Err(problem) = check_pattern(pattern) {
                            self.error(
                                &names_at.key("pattern"),
                                format!("the pattern {pattern:?} is not a valid regular expression: {problem}"),
                            );
                        }
                    }
                }
                None => self.error(&names_at, "x-property-names must be an object ({minLength, maxLength, pattern})"),
            }
        }
        if let Some(ty) = view.get("type") {
            match ty.as_str() {
                Some("string" | "integer" | "number" | "boolean" | "array" | "object") => {}
                Some(other) => self.error(
                    &at.key("type"),
                    format!("unknown type {other:?}: expected one of string, integer, number, boolean, array, object"),
                ),
                None => {
                    self.error(&at.key("type"), "`type` must be a string in OpenAPI 3.0 (type lists are OpenAPI 3.1)")
                }
            }
        }
        if let Some(pattern) = view.str("pattern") {
            if let Err(problem) = check_pattern(pattern) {
                if uses_ecma_only_features(pattern) {
                    self.warning(&at.key("pattern"), format!("pattern {pattern:?} uses look-around or back-references, which the SDK cannot check ({problem}); it is documented but not enforced"));
                } else {
                    self.error(
                        &at.key("pattern"),
                        format!("the pattern {pattern:?} is not a valid regular expression: {problem}"),
                    );
                }
            }
        }
    }

    /// Lowers an inline schema (not a `$ref`).
    fn inline_schema(&mut self, at: &Pointer, view: SchemaView<'_>, hint: &str, depth: usize) -> TypeRef {
        self.check_keywords(at, view);
        match self.shape(view) {
            Shape::Primitive(ty) => ty,
            Shape::Array => {
                let items = at.key("items");
                let item = if view.get("items").is_some() {
                    self.schema_ref(&items, &format!("{hint}Item"), depth + 1)
                } else {
                    TypeRef::Json
                };
                TypeRef::Vec(Box::new(self.nullable_item(&items, item)))
            }
            Shape::Map => TypeRef::Map(Box::new(self.additional_type(at, view, hint, depth))),
            Shape::Part { key, index } => self.schema_ref(&at.key(key).index(index), hint, depth + 1),
            Shape::Unsupported(problem) => {
                self.warning(at, format!("{problem}; the SDK uses serde_json::Value here"));
                TypeRef::Json
            }
            Shape::Named => {
                let name = self.types.names.claim(&camel(hint));
                self.define_named(at, &name, depth + 1);
                TypeRef::Named(name)
            }
        }
    }

    fn nullable_item(&self, at: &Pointer, ty: TypeRef) -> TypeRef {
        if self.annotated_views(at).iter().any(SchemaView::nullable) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Defines the type `name` from the schema at `at`: a struct, enum or union, or an alias for
    /// anything else.
    fn define_named(&mut self, at: &Pointer, name: &str, depth: usize) {
        let Some(view) = self.value_at(at).and_then(SchemaView::new) else {
            self.error(at, "a schema must be an object");
            self.types.push(TypeDef {
                name: name.to_owned(),
                doc: Docs::default(),
                kind: TypeKind::Alias(TypeRef::Json),
            });
            return;
        };
        let doc = docs_of(view);
        if view.reference().is_none() && matches!(self.shape(view), Shape::Named) {
            self.check_keywords(at, view);
        }
        let kind = if let Some(reference) = view.reference() {
            TypeKind::Alias(self.resolve_schema_ref(at, reference, name, depth))
        } else {
            match self.shape(view) {
                Shape::Named => self.named_kind(at, view, name, depth),
                _ => {
                    // Lower as inline, but never claim a second name for it.
                    let ty = self.inline_schema(at, view, name, depth);
                    self.types.by_pointer.insert(at.as_json_pointer().to_owned(), TypeRef::Named(name.to_owned()));
                    TypeKind::Alias(ty)
                }
            }
        };
        self.types.by_pointer.insert(at.as_json_pointer().to_owned(), TypeRef::Named(name.to_owned()));
        self.types.defined_at.insert(name.to_owned(), at.clone());
        self.types.push(TypeDef { name: name.to_owned(), doc, kind });
    }

    fn named_kind(&mut self, at: &Pointer, view: SchemaView<'_>, name: &str, depth: usize) -> TypeKind {
        // Register first so that a schema reaching itself resolves to this name.
        self.types.by_pointer.insert(at.as_json_pointer().to_owned(), TypeRef::Named(name.to_owned()));
        if let Some(values) = view.enum_values() {
            return TypeKind::Enum(self.lower_enum(at, view, values));
        }
        for key in ["oneOf", "anyOf"] {
            if view.list(key).is_some() && view.properties().is_none() {
                return TypeKind::Union(self.lower_union(at, view, key, name, depth));
            }
        }
        TypeKind::Struct(self.lower_struct(at, view, name, depth))
    }

    /// Classifies a schema: does it need a named type of its own?
    fn shape(&self, view: SchemaView<'_>) -> Shape {
        if view.enum_values().is_some() && matches!(view.ty(), Some("string") | Some("integer") | None) {
            let all_strings = view.enum_values().is_some_and(|v| v.iter().all(|x| x.is_string() || x.is_null()));
            let all_ints = view.enum_values().is_some_and(|v| v.iter().all(|x| x.is_i64() || x.is_null()));
            if all_strings || all_ints {
                return Shape::Named;
            }
        }
        if let Some(parts) = view.list("allOf") {
            if view.properties().is_some() {
                return Shape::Named;
            }
            // A part that does not resolve (a dangling or external `$ref`, a part that is not a
            // schema) is lowered as the type, so that its diagnostic is reported where it is.
            if let Some(index) = parts.iter().position(|p| self.resolved(p).is_none() && p.as_bool() != Some(true)) {
                return Shape::Part { key: "allOf", index };
            }
            // Parts that only annotate (a description, `nullable`) or constrain (`maxLength`) add
            // nothing to the type: the type is the typed part's, when there is one.
            let typed: Vec<(usize, SchemaView<'_>)> = parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i, self.resolved(p)?)))
                .filter(|(_, p)| part_kind(*p) == PartKind::Typed)
                .collect();
            return match typed.as_slice() {
                [] => Shape::Primitive(TypeRef::Json),
                [(index, _)] => Shape::Part { key: "allOf", index: *index },
                _ if typed.iter().all(|(_, p)| merges_as_object(*p)) => Shape::Named,
                _ => match same_primitive(parts, &typed) {
                    Some(index) => Shape::Part { key: "allOf", index },
                    None => Shape::Unsupported("the allOf parts cannot merge into one type (more than one states a type, and they are not all objects or all the same primitive type)".to_owned()),
                },
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = view.list(key) {
                if view.properties().is_some() {
                    return Shape::Named;
                }
                return match alts.len() {
                    0 => Shape::Unsupported(format!("an empty {key} allows no value")),
                    1 => Shape::Part { key, index: 0 },
                    _ => Shape::Named,
                };
            }
        }
        match view.ty() {
            Some("string") => Shape::Primitive(match view.format() {
                Some("binary") => TypeRef::Bytes,
                _ => TypeRef::String,
            }),
            Some("integer") => Shape::Primitive(match view.format() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            Some("number") => Shape::Primitive(match view.format() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            Some("boolean") => Shape::Primitive(TypeRef::Bool),
            Some("array") => Shape::Array,
            Some("null") => Shape::Primitive(TypeRef::Json),
            Some("object") | None => {
                if view.properties().is_some_and(|p| !p.is_empty()) {
                    Shape::Named
                } else if view.ty().is_none() && view.get("items").is_some() {
                    Shape::Array
                } else if matches!(view.get("additionalProperties"), Some(Value::Object(o)) if !o.is_empty()) {
                    Shape::Map
                } else {
                    Shape::Primitive(TypeRef::Json)
                }
            }
            Some(_) => Shape::Primitive(TypeRef::Json),
        }
    }

    fn additional_type(&mut self, at: &Pointer, view: SchemaView<'_>, hint: &str, depth: usize) -> TypeRef {
        match view.get("additionalProperties") {
            Some(Value::Object(o)) if !o.is_empty() => {
                let value_at = at.key("additionalProperties");
                let ty = self.schema_ref(&value_at, &format!("{hint}Value"), depth + 1);
                self.nullable_item(&value_at, ty)
            }
            _ => TypeRef::Json,
        }
    }

    fn lower_union(&mut self, at: &Pointer, view: SchemaView<'_>, key: &str, name: &str, depth: usize) -> Union {
        let alternatives = view.list(key).map(Vec::len).unwrap_or(0);
        let discriminator =
            view.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str).map(str::to_owned);
        let mapping: Vec<(String, String)> = view
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|r| (k.clone(), r.to_owned()))).collect())
            .unwrap_or_default();
        let mut names = Namespace::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        for index in 0..alternatives {
            let alt_at = at.key(key).index(index);
            let alt_ref = self.value_at(&alt_at).and_then(|v| v.get("$ref")).and_then(Value::as_str).map(str::to_owned);
            let alt_title = self.value_at(&alt_at).and_then(SchemaView::new).and_then(|v| v.title());
            let hint = match &alt_title {
                Some(title) => format!("{name}{}", camel(title)),
                None => format!("{name}Variant{index}"),
            };
            let ty = self.schema_ref(&alt_at, &hint, depth + 1);
            if variants.iter().any(|v| v.ty == ty) {
                continue; // the same type twice adds nothing an untagged enum could tell apart
            }
            let wanted = match (&alt_title, &ty) {
                (Some(title), _) => camel(title),
                (None, t) => variant_name(t),
            };
            let mut tags: Vec<String> = mapping
                .iter()
                .filter(|(_, target)| {
                    alt_ref.as_deref() == Some(target.as_str())
                        || alt_ref.as_deref().and_then(|r| r.rsplit('/').next()) == Some(target.as_str())
                })
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                if let Some(r) = &alt_ref {
                    tags.push(r.rsplit('/').next().unwrap_or(r).to_owned());
                }
            }
            variants.push(UnionVariant { name: names.claim(&wanted), ty, tags });
        }
        let tagged = discriminator.filter(|_| variants.iter().all(|v| v.ty.named().is_some() && !v.tags.is_empty()));
        Union { variants, discriminator: tagged }
    }

    fn lower_struct(&mut self, at: &Pointer, view: SchemaView<'_>, name: &str, depth: usize) -> Struct {
        // Gather properties from this schema and every allOf part, parts first (document order).
        let mut props: Vec<(Pointer, String)> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        let mut additional_keys = None;
        let mut additional_values = None;
        let (mut min_properties, mut max_properties) = (view.u64("minProperties"), view.u64("maxProperties"));
        let mut parts = vec![at.clone()];
        self.collect_all_of(at, &mut parts, 0);
        for part_at in &parts {
            let Some(part) = self.value_at(part_at).and_then(SchemaView::new) else { continue };
            required.extend(part.required().into_iter().map(str::to_owned));
            if let Some(properties) = part.properties() {
                for key in properties.keys() {
                    if let Some(existing) = props.iter_mut().find(|(_, k)| k == key) {
                        existing.0 = part_at.key("properties").key(key); // a later part refines it
                    } else {
                        props.push((part_at.key("properties").key(key), key.clone()));
                    }
                }
            }
            if additional.is_none()
                && matches!(part.get("additionalProperties"), Some(Value::Bool(true)) | Some(Value::Object(_)))
            {
                additional = Some(self.additional_type(part_at, part, name, depth));
                additional_keys = part
                    .get("x-property-names")
                    .and_then(SchemaView::new)
                    .map(key_constraints)
                    .filter(|k| !k.is_empty());
                if matches!(part.get("additionalProperties"), Some(Value::Object(_))) {
                    additional_values = Some(self.constraints_at(&part_at.key("additionalProperties"), depth + 1))
                        .filter(|c| !c.is_empty())
                        .map(Box::new);
                }
            }
            min_properties = min_properties.or(part.u64("minProperties"));
            max_properties = max_properties.or(part.u64("maxProperties"));
        }
        // Non-object allOf parts (a oneOf, a primitive) cannot merge into a struct.
        for part_at in parts.iter().skip(1) {
            if let Some(part) = self.value_at(part_at).and_then(SchemaView::new) {
                if part.list("oneOf").is_some() || part.list("anyOf").is_some() {
                    self.warning(
                        part_at,
                        "a oneOf/anyOf inside allOf is not merged; its properties are not in the struct",
                    );
                }
            }
        }
        let mut field_names = Namespace::new();
        if additional.is_some() {
            field_names.reserve("additional_properties");
        }
        let mut fields = Vec::with_capacity(props.len());
        for (prop_at, key) in props {
            let field_name = field_names.claim(&snake(&key));
            let is_required = required.iter().any(|r| r == &key);
            fields.push(self.lower_field(&prop_at, &key, field_name, is_required, name, depth));
        }
        Struct { fields, additional, additional_keys, additional_values, min_properties, max_properties }
    }

    /// Follows `allOf` (and `$ref`s inside it) to every schema whose properties merge into this one.
    fn collect_all_of(&mut self, at: &Pointer, parts: &mut Vec<Pointer>, depth: usize) {
        if depth > MAX_DEPTH {
            self.error(at, "allOf nesting is too deep (a cycle of allOf references?)");
            return;
        }
        let Some(list) = self.value_at(at).and_then(|v| v.get("allOf")).and_then(Value::as_array) else { return };
        for index in 0..list.len() {
            let mut part = at.key("allOf").index(index);
            let mut hops = 0;
            while let Some(reference) = self.value_at(&part).and_then(|v| v.get("$ref")).and_then(Value::as_str) {
                let Some(target) = Pointer::from_ref(reference).filter(|t| self.value_at(t).is_some()) else {
                    self.error(&part, format!("`$ref: {reference}` does not resolve"));
                    break;
                };
                part = target;
                hops += 1;
                if hops > MAX_DEPTH {
                    self.error(&part, "$ref cycle");
                    break;
                }
            }
            if parts.contains(&part) {
                continue;
            }
            parts.push(part.clone());
            self.collect_all_of(&part, parts, depth + 1);
        }
    }

    fn lower_field(
        &mut self,
        at: &Pointer,
        key: &str,
        name: String,
        required: bool,
        parent: &str,
        depth: usize,
    ) -> Field {
        let raw = self.value_at(at).and_then(SchemaView::new);
        let ty = self.schema_ref(at, &format!("{parent}{}", camel(key)), depth + 1);
        // Where annotations may be: the property itself, its annotating allOf parts, the schema it stands for.
        let annotated = self.annotated_views(at);
        let views: Vec<SchemaView<'_>> = annotated.iter().copied().chain(self.resolve_view(at)).collect();
        let pick = |f: &dyn Fn(SchemaView<'_>) -> bool| views.iter().any(|v| f(*v));
        let mut doc = raw.map(docs_of).unwrap_or_default();
        if doc.description.is_none() {
            doc.description = views.iter().find_map(|v| v.description());
        }
        // Not from the referenced schema: a deprecated type is marked where it is defined.
        doc.deprecated = annotated.iter().any(|v| v.bool("deprecated"));
        let nullable = pick(&|v| v.nullable());
        let contradiction = raw.and_then(|v| v.get("x-contradiction")).map(|record| {
            record
                .get("note")
                .and_then(serde_json::Value::as_str)
                .map(|note| note.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        });
        let sensitive = pick(&|v| v.format() == Some("password") || v.bool("x-sensitive"));
        Field {
            name,
            wire_name: key.to_owned(),
            doc,
            ty,
            required,
            nullable,
            contradiction,
            sensitive,
            read_only: pick(&|v| v.bool("readOnly")),
            write_only: pick(&|v| v.bool("writeOnly")),
            default: views.iter().find_map(|v| v.get("default")).cloned(),
            constraints: self.constraints_at(at, 0),
        }
    }

    /// The schema at `at` after following `$ref`s (and `allOf` wrappers that stand for one part).
    pub(super) fn resolve_view(&self, at: &Pointer) -> Option<SchemaView<'a>> {
        self.resolve_pointer(at).and_then(|p| self.value_at(&p)).and_then(SchemaView::new)
    }

    /// The schemas passed on the way from `at` to the one `resolve_view` gives, that one
    /// included: allOf wrappers whose type is one of their parts (`$ref`s themselves are left
    /// out: OpenAPI 3.0 ignores a `$ref`'s siblings).
    fn resolution_chain(&self, at: &Pointer) -> Vec<SchemaView<'a>> {
        let mut chain = Vec::new();
        let mut current = at.clone();
        for _ in 0..MAX_DEPTH {
            let Some(view) = self.value_at(&current).and_then(SchemaView::new) else { break };
            if let Some(reference) = view.reference() {
                match Pointer::from_ref(reference) {
                    Some(target) => current = target,
                    None => break,
                }
                continue;
            }
            chain.push(view);
            match self.shape(view) {
                Shape::Part { key: "allOf", index } => current = current.key("allOf").index(index),
                _ => break,
            }
        }
        chain
    }

    /// Where the schema `resolve_view` gives is.
    fn resolve_pointer(&self, at: &Pointer) -> Option<Pointer> {
        let mut current = at.clone();
        for _ in 0..MAX_DEPTH {
            let view = SchemaView::new(self.value_at(&current)?)?;
            if let Some(reference) = view.reference() {
                current = Pointer::from_ref(reference)?;
                continue;
            }
            if let Shape::Part { key: "allOf", index } = self.shape(view) {
                current = current.key("allOf").index(index);
                continue;
            }
            return Some(current);
        }
        None
    }

    /// A schema value after following `$ref`s (no wrappers).
    fn resolved(&self, value: &'a Value) -> Option<SchemaView<'a>> {
        let mut current = value;
        for _ in 0..MAX_DEPTH {
            let view = SchemaView::new(current)?;
            match view.reference() {
                Some(reference) => current = self.value_at(&Pointer::from_ref(reference)?)?,
                None => return Some(view),
            }
        }
        None
    }

    /// The schema at `at` and its allOf parts, where its annotations (`nullable`, `readOnly`, a
    /// description) may be written instead of on the schema itself.
    fn annotated_views(&self, at: &Pointer) -> Vec<SchemaView<'a>> {
        let Some(view) = self.value_at(at).and_then(SchemaView::new) else { return Vec::new() };
        let mut views = vec![view];
        if let Some(parts) = view.list("allOf") {
            views.extend(parts.iter().filter_map(|p| self.resolved(p)));
        }
        views
    }

    /// The constraints stated on the schema at `at` (following references), items included.
    pub(super) fn constraints_at(&mut self, at: &Pointer, depth: usize) -> Constraints {
        let (mut c, child) = match self.resolve_view(at) {
            Some(view) => (own_constraints(view, view.ty()), child_schema(self, at, view)),
            None => return Constraints::default(),
        };
        // Every allOf wrapper on the way to the type adds its own keywords
        // (`{allOf: [{$ref: Slug}], maxLength: 16}`) and those of its parts that only constrain
        // (`allOf: [{$ref: Slug}, {maxLength: 16}]`).
        let ty = self.resolve_view(at).and_then(|v| v.ty());
        for wrapper in self.resolution_chain(at).into_iter().filter(|v| v.list("allOf").is_some()) {
            c.intersect(own_constraints(wrapper, ty));
            let parts = wrapper.list("allOf").into_iter().flatten().filter_map(|p| self.resolved(p));
            for part in parts.filter(|p| part_kind(*p) == PartKind::Constraints) {
                c.intersect(own_constraints(part, ty));
            }
        }
        // A pattern the regex engine rejects was reported where it is written; it is not enforced.
        if c.pattern.as_deref().is_some_and(|p| check_pattern(p).is_err()) {
            c.pattern = None;
        }
        if let (Some(child_at), true) = (child, depth < 8) {
            let items = self.constraints_at(&child_at, depth + 1);
            if !items.is_empty() {
                c.items = Some(Box::new(items));
            }
        }
        c
    }

    pub(super) fn value_at(&self, at: &Pointer) -> Option<&'a Value> {
        self.raw().pointer(at.as_json_pointer())
    }
}

/// The constraints a schema states about its own value (not its items), for a value of type `ty`.
fn own_constraints(view: SchemaView<'_>, ty: Option<&str>) -> Constraints {
    let numeric = matches!(ty, Some("integer") | Some("number"));
    let textual = ty == Some("string") || ty.is_none();
    let bound = |key: &str, flag: &str| {
        view.f64(key)
            .map(|value| Bound { value, exclusive: view.bool(flag) })
            .filter(|b| ty != Some("integer") || b.value.fract() == 0.0)
    };
    let is_map = matches!(view.get("additionalProperties"), Some(Value::Object(_))) && view.properties().is_none();
    Constraints {
        min_length: view.u64("minLength").filter(|_| textual),
        max_length: view.u64("maxLength").filter(|_| textual),
        pattern: view.str("pattern").filter(|_| textual).map(str::to_owned),
        minimum: bound("minimum", "exclusiveMinimum").filter(|_| numeric),
        maximum: bound("maximum", "exclusiveMaximum").filter(|_| numeric),
        min_items: view.u64("minItems"),
        max_items: view.u64("maxItems"),
        unique_items: view.bool("uniqueItems"),
        min_properties: view.u64("minProperties").filter(|_| is_map),
        max_properties: view.u64("maxProperties").filter(|_| is_map),
        items: None,
        keys: view
            .get("x-property-names")
            .and_then(SchemaView::new)
            .filter(|_| is_map)
            .map(key_constraints)
            .filter(|k| !k.is_empty())
            .map(Box::new),
    }
}

/// `x-property-names` on a map: what each key must be (the `propertyNames` of later JSON Schema,
/// limited to what a key can be checked for).
fn key_constraints(names: SchemaView<'_>) -> Constraints {
    Constraints {
        min_length: names.u64("minLength"),
        max_length: names.u64("maxLength"),
        pattern: names.str("pattern").filter(|p| check_pattern(p).is_ok()).map(str::to_owned),
        ..Constraints::default()
    }
}

/// Where the item (array) or value (map) schema of the schema at `at` lives.
fn child_schema(ctx: &Ctx<'_>, at: &Pointer, view: SchemaView<'_>) -> Option<Pointer> {
    let key = if view.ty() == Some("array") || view.get("items").is_some() {
        "items"
    } else if matches!(view.get("additionalProperties"), Some(Value::Object(_))) && view.properties().is_none() {
        "additionalProperties"
    } else {
        return None;
    };
    let resolved = ctx.resolve_pointer(at)?;
    ctx.value_at(&resolved)?.get(key).map(|_| resolved.key(key))
}

/// Whether the SDK can enforce a pattern: it must compile with the `regex` crate (which has no
/// look-around or back-references, unlike ECMA-262).
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    regex::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string().lines().last().unwrap_or("invalid").trim().to_owned())
}

/// Whether a pattern uses ECMA-262 features the `regex` crate deliberately lacks (look-around,
/// back-references): valid in the spec, just not checkable by the SDK.
fn uses_ecma_only_features(pattern: &str) -> bool {
    ["(?=", "(?!", "(?<=", "(?<!", "\\k<"].iter().any(|f| pattern.contains(f))
        || pattern.as_bytes().windows(2).any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
}

/// The documentation carried by a schema object.
pub fn docs_of(view: SchemaView<'_>) -> Docs {
    Docs {
        title: view.title(),
        description: view.description(),
        source: view.source_note(),
        deprecated: view.bool("deprecated"),
    }
}

/// A variant name for an untitled union alternative.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::Unit => "Empty".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => variant_name(inner),
    }
}

enum Shape {
    Primitive(TypeRef),
    Array,
    Map,
    /// An allOf/oneOf/anyOf that stands for one of its parts: a one-element list, or an allOf
    /// whose other parts only annotate. The type is that part's.
    Part {
        key: &'static str,
        index: usize,
    },
    /// A schema no Rust type represents (the reason): a warning, and `serde_json::Value`.
    Unsupported(String),
    Named,
}

/// Keywords that document a schema without changing what values it allows or how they decode.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "xml",
];

/// Keywords that make a schema say what type its values have. `required` is one: a part that
/// makes properties required changes the merged struct's fields (plain, not `Option`).
const TYPE_KEYWORDS: &[&str] =
    &["type", "properties", "additionalProperties", "items", "enum", "allOf", "oneOf", "anyOf", "$ref", "required"];

/// What an allOf part contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// Documentation only (`{}` too).
    Annotation,
    /// Constraints (and documentation) on whatever type the other parts give.
    Constraints,
    /// A type of its own.
    Typed,
}

fn part_kind(part: SchemaView<'_>) -> PartKind {
    if part.obj.keys().any(|k| TYPE_KEYWORDS.contains(&k.as_str())) {
        PartKind::Typed
    } else if part.obj.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) {
        PartKind::Annotation
    } else {
        PartKind::Constraints
    }
}

/// When every typed allOf part is the same primitive type (`$ref: slug` and `type: string`), the
/// part that stands for it: a `$ref` (the more specific type) if there is one, else the first.
fn same_primitive<'v>(parts: &[Value], typed: &[(usize, SchemaView<'v>)]) -> Option<usize> {
    let primitive = |p: &SchemaView<'v>| p.ty().filter(|t| matches!(*t, "string" | "integer" | "number" | "boolean"));
    let first = primitive(&typed.first()?.1)?;
    let enums = typed.iter().filter(|(_, p)| p.enum_values().is_some()).count();
    // Two value lists would have to intersect: not merged.
    if enums > 1 || !typed.iter().all(|(_, p)| primitive(p) == Some(first)) {
        return None;
    }
    let is_ref = |i: usize| parts.get(i).and_then(|p| p.get("$ref")).is_some();
    let with_enum = typed.iter().find(|(_, p)| p.enum_values().is_some()).map(|(i, _)| *i);
    with_enum.or_else(|| typed.iter().map(|(i, _)| *i).find(|&i| is_ref(i))).or(typed.first().map(|(i, _)| *i))
}

/// An allOf part whose properties can merge into a struct: an object, or a composition
/// (whose unmergeable parts `lower_struct` reports).
fn merges_as_object(part: SchemaView<'_>) -> bool {
    let typed_otherwise =
        matches!(part.ty(), Some(t) if t != "object") || part.enum_values().is_some() || part.get("items").is_some();
    !typed_otherwise
}
