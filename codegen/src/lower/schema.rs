//! Schemas -> named Rust types (the type space).
//!
//! Component schemas keep their names (in UpperCamelCase); inline objects, enums and unions are
//! named after where they appear (parent type + property, operation + role), and any name taken
//! twice gets a numeric suffix in document order. References resolve through the raw tree, so a
//! `$ref` to any local pointer works; a dangling one is a diagnostic, never a panic.

use super::constraints::{check_pattern, key_constraints, uses_ecma_only_features};
use super::shape::Shape;
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
    // The runtime's tuple with further items, re-exported beside the models that use it.
    "OpenTuple",
];

/// How deep `$ref` chains and nested inline schemas may go before we call the document broken.
pub(super) const MAX_DEPTH: usize = 64;

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
            Shape::Tuple => self.tuple(at, view, hint, depth),
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

    pub(super) fn nullable_item(&self, at: &Pointer, ty: TypeRef) -> TypeRef {
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
        let mapping = discriminator_mapping(view);
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
            let tags = alt_ref.as_deref().map(|r| discriminator_tags(&mapping, r)).unwrap_or_default();
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
                    .filter(|k| !k.is_empty())
                    .map(Box::new);
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
        self.undeclared_required(at, &parts, &required, &mut field_names, &mut fields);
        Struct { fields, additional, additional_keys, additional_values, min_properties, max_properties }
    }

    /// A field for each name in `required` that no `properties` declares: the spec says it must be
    /// sent, so it is not dropped. It is any JSON value (`serde_json::Value`: the spec gives it no
    /// schema), which a response may lack; a warning names it, and says no value fits when
    /// `additionalProperties: false` forbids it.
    fn undeclared_required(
        &mut self,
        at: &Pointer,
        parts: &[Pointer],
        required: &[String],
        names: &mut Namespace,
        fields: &mut Vec<Field>,
    ) {
        let closed = parts
            .iter()
            .any(|part| self.value_at(part).and_then(|v| v.get("additionalProperties")) == Some(&Value::Bool(false)));
        let why =
            if closed { "; `additionalProperties: false` forbids it, so no value satisfies this schema" } else { "" };
        for key in required {
            if fields.iter().any(|f| &f.wire_name == key) {
                continue;
            }
            self.warning(
                &at.key("required"),
                format!("required property {key:?} is not declared in `properties`: a field of any JSON value is made for it{why}"),
            );
            let description = format!(
                "Required by the spec, which declares no property of this name: any JSON value (a response without it decodes as `null`, and `null` is not sent).{}",
                if closed { " The spec also forbids other properties: no value of this schema is valid." } else { "" }
            );
            fields.push(Field {
                name: names.claim(&snake(key)),
                wire_name: key.clone(),
                doc: Docs { description: Some(description), ..Docs::default() },
                ty: TypeRef::Json,
                required: true,
                nullable: false,
                contradiction: None,
                sensitive: false,
                read_only: false,
                write_only: false,
                default: None,
                constraints: Constraints::default(),
                undeclared: true,
            });
        }
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
            let one_line = |key: &str| {
                record
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            };
            Contradiction { note: one_line("note").unwrap_or_default(), official_sdk: one_line("package") }
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
            undeclared: false,
        }
    }
}

/// The documentation carried by a schema object.
pub fn docs_of(view: SchemaView<'_>) -> Docs {
    Docs {
        title: view.title(),
        description: view.description(),
        source: view.source_note(),
        alias: view.source_name(),
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
        TypeRef::Tuple { .. } => "Tuple".into(),
    }
}

/// A union's `discriminator.mapping`: (tag, schema) pairs, the schema a `$ref` or a bare name.
pub(super) fn discriminator_mapping(view: SchemaView<'_>) -> Vec<(String, String)> {
    let mapping = view.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object);
    mapping.into_iter().flatten().filter_map(|(tag, target)| Some((tag.clone(), target.as_str()?.to_owned()))).collect()
}

/// The discriminator values that pick the alternative written as `$ref: reference`: the mapping's
/// tags naming it (by its `$ref`, or by its schema's name, as OpenAPI allows), else its schema's
/// name. Never empty.
pub(super) fn discriminator_tags(mapping: &[(String, String)], reference: &str) -> Vec<String> {
    let name = reference.rsplit('/').next().unwrap_or(reference);
    let mapped = mapping.iter().filter(|(_, target)| target == reference || target == name);
    let tags: Vec<String> = mapped.map(|(tag, _)| tag.clone()).collect();
    if tags.is_empty() {
        vec![name.to_owned()]
    } else {
        tags
    }
}
