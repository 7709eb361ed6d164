//! What `x-pagination` and `x-waiters` share: finding the success body an extension reads, and
//! the body fields it names, each checked to hold the kind of value the extension needs.

use super::Ctx;
use crate::diagnostics::Severity;
use crate::ir::{FieldStep, MediaKind, PageField, Struct, Success, TypeKind, TypeRef};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// What a named parameter or field must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holds {
    Integer,
    Text,
    List,
    /// A value with a wire text: text, a number, a boolean, or an enum of them.
    Scalar,
}

impl Holds {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Holds::Integer => "an integer",
            Holds::Text => "a string",
            Holds::List => "an array",
            Holds::Scalar => "a string, number, boolean or enum",
        }
    }
}

impl Ctx<'_> {
    /// The struct the operation's success decodes into, with its fields.
    pub(super) fn success_struct(
        &mut self,
        at: &Pointer,
        success: &Success,
        extension: &str,
    ) -> Option<(String, Struct)> {
        let named = match success {
            Success::Single { ty, media: Some(MediaKind::Json), .. } => {
                self.alias_target(ty).named().map(str::to_owned)
            }
            _ => None,
        };
        let found = named.and_then(|name| match self.type_kind(&name) {
            Some(TypeKind::Struct(fields)) => Some((name, fields.clone())),
            _ => None,
        });
        if found.is_none() {
            self.error(at, format!("{extension} needs an operation whose success responses are one JSON object"));
        }
        found
    }

    /// The field `map[key]` names, checked to hold `holds`, with the list's item type for
    /// [`Holds::List`]. The name is a top-level property's wire name (`envs`), or a JSON pointer
    /// (RFC 6901: `/page/items`, `~1` for a `/` and `~0` for a `~` in a name) to a property
    /// nested in objects; each step must be a property of the object before it.
    pub(super) fn body_field(
        &mut self,
        at: &Pointer,
        map: &Map<String, Value>,
        key: &str,
        holds: Holds,
        fields: &Struct,
        required: bool,
    ) -> Option<(PageField, TypeRef)> {
        let key_at = at.key(key);
        let Some(written) = map.get(key).and_then(Value::as_str) else {
            if required || map.contains_key(key) {
                self.error(&key_at, format!("`{key}` must name a property of the success body"));
            }
            return None;
        };
        let pointer =
            if written.starts_with('/') { Pointer::from_json_pointer(written) } else { Pointer::root().key(written) };
        let segments: Vec<String> = pointer.segments().collect();
        let mut object = fields.clone();
        let (mut path, mut ty, mut place) = (Vec::new(), TypeRef::Unit, "the success body".to_owned());
        let mut reached = Pointer::root();
        for (index, segment) in segments.iter().enumerate() {
            if index > 0 {
                let Some(nested) = self.object_fields(&ty) else {
                    self.error(&key_at, format!("{place} must be an object to hold {segment:?}"));
                    return None;
                };
                object = nested;
            }
            let Some(field) = object.fields.iter().find(|f| &f.wire_name == segment) else {
                self.error(&key_at, format!("{place} has no property {segment:?}"));
                return None;
            };
            path.push(FieldStep { name: field.name.clone(), optional: field.is_optional() });
            ty = field.ty.clone();
            reached = reached.key(segment);
            place = if segments.len() == 1 {
                format!("the success body's {segment:?}")
            } else {
                format!("the success body's {:?}", reached.as_json_pointer())
            };
        }
        if !self.holds(&ty, holds) {
            self.error(&key_at, format!("{place} must be {}", holds.describe()));
            return None;
        }
        let item = match self.alias_target(&ty) {
            TypeRef::Vec(item) => *item,
            other => other,
        };
        Some((PageField { path, wire_name: written.to_owned() }, item))
    }

    /// The fields of the struct `ty` names (aliases and boxes followed), when it is one.
    fn object_fields(&self, ty: &TypeRef) -> Option<Struct> {
        let ty = match self.alias_target(ty) {
            TypeRef::Boxed(inner) => self.alias_target(&inner),
            other => other,
        };
        match self.type_kind(ty.named()?) {
            Some(TypeKind::Struct(fields)) => Some(fields.clone()),
            _ => None,
        }
    }

    pub(super) fn warn_unknown_keys(
        &mut self,
        at: &Pointer,
        map: &Map<String, Value>,
        known: &[&str],
        extension: &str,
    ) {
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            self.warning(
                &at.key(key),
                format!("{extension} has no key {key:?} (ignored): it reads {}", known.join(", ")),
            );
        }
    }

    pub(super) fn holds(&self, ty: &TypeRef, holds: Holds) -> bool {
        let ty = self.alias_target(ty);
        match holds {
            Holds::Integer => matches!(ty, TypeRef::I32 | TypeRef::I64),
            Holds::Text => ty == TypeRef::String,
            Holds::List => matches!(ty, TypeRef::Vec(_)),
            Holds::Scalar => match &ty {
                TypeRef::Named(name) => matches!(self.type_kind(name), Some(TypeKind::Enum(_))),
                other => matches!(
                    other,
                    TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool
                ),
            },
        }
    }

    /// `ty` with aliases followed.
    fn alias_target(&self, ty: &TypeRef) -> TypeRef {
        crate::ir::resolve_alias(&self.types.defs, ty).clone()
    }

    /// The errors reported so far, those past the cap included.
    pub(super) fn errors_so_far(&self) -> usize {
        let shown = self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        shown + self.suppressed.0
    }

    pub(super) fn type_kind(&self, name: &str) -> Option<&TypeKind> {
        self.types.defs.iter().find(|d| d.name == name).map(|d| &d.kind)
    }
}
