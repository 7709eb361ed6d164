//! What `x-pagination` and `x-waiters` share: finding the success body an extension reads, and
//! the body fields it names, each checked to hold the kind of value the extension needs.

use super::Ctx;
use crate::diagnostics::Severity;
use crate::ir::{MediaKind, PageField, Struct, Success, TypeKind, TypeRef};
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

    /// The field of `fields` whose wire name `map[key]` gives, checked to hold `holds`, with
    /// the list's item type for [`Holds::List`].
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
        let Some(wire_name) = map.get(key).and_then(Value::as_str) else {
            if required || map.contains_key(key) {
                self.error(&key_at, format!("`{key}` must name a property of the success body"));
            }
            return None;
        };
        let Some(field) = fields.fields.iter().find(|f| f.wire_name == wire_name) else {
            self.error(&key_at, format!("the success body has no property {wire_name:?}"));
            return None;
        };
        if !self.holds(&field.ty, holds) {
            self.error(&key_at, format!("the success body's {wire_name:?} must be {}", holds.describe()));
            return None;
        }
        let item = match self.alias_target(&field.ty) {
            TypeRef::Vec(item) => *item,
            other => other,
        };
        let page_field =
            PageField { name: field.name.clone(), wire_name: wire_name.to_owned(), optional: field.is_optional() };
        Some((page_field, item))
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
