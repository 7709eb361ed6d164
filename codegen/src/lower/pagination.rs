//! `x-pagination` on an operation -> [`Pagination`]: how its pages follow each other.
//!
//! ```yaml
//! x-pagination:
//!   style: offset        # offset (with a total) | page (with a total) | marker (next marker)
//!   offset: offset       # the query parameter where a page starts: `offset`, `page` or `marker`
//!   limit: limit         # the page-size parameter (optional; the caller's value is kept)
//!   items: envs          # the success body's list of items
//!   total: total         # offset and page styles: the body's total (optional)
//!   next-marker: marker  # marker style: the body's marker of the next page
//!   first-page: 1        # page style: the first page's number when the request names none
//! ```
//!
//! Every name is checked against the operation's parameters and success body, each problem
//! reported at its pointer; the helpers finding body fields serve `x-waiters` too.

use super::Ctx;
use crate::ir::{
    MediaKind, PageField, PageParam, PageStyle, Pagination, Param, ParamLocation, Struct, Success, TypeKind, TypeRef,
};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

const KEYS: &[&str] = &["style", "offset", "page", "marker", "limit", "items", "total", "next-marker", "first-page"];

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
    fn describe(self) -> &'static str {
        match self {
            Holds::Integer => "an integer",
            Holds::Text => "a string",
            Holds::List => "an array",
            Holds::Scalar => "a string, number, boolean or enum",
        }
    }
}

impl Ctx<'_> {
    pub(super) fn lower_pagination(
        &mut self,
        op_at: &Pointer,
        params: &[Param],
        success: &Success,
    ) -> Option<Pagination> {
        let at = op_at.key("x-pagination");
        let map = self.value_at(&at)?.as_object();
        let Some(map) = map else {
            self.error(
                &at,
                "x-pagination must be a mapping: {style, offset | page | marker, limit, items, total | next-marker}",
            );
            return None;
        };
        self.warn_unknown_keys(&at, map, KEYS, "x-pagination");
        let style = match map.get("style").and_then(Value::as_str) {
            Some("offset") => PageStyle::Offset,
            Some("page") => PageStyle::Page,
            Some("marker") => PageStyle::Marker,
            _ => {
                self.error(&at.key("style"), "x-pagination needs a `style`: offset, page or marker");
                return None;
            }
        };
        let (position_key, position_holds, end_key, end_holds) = match style {
            PageStyle::Offset => ("offset", Holds::Integer, "total", Holds::Integer),
            PageStyle::Page => ("page", Holds::Integer, "total", Holds::Integer),
            PageStyle::Marker => ("marker", Holds::Text, "next-marker", Holds::Text),
        };
        let errors_before = self.errors_so_far();
        let position = self.page_param(&at, map, position_key, position_holds, params);
        let limit =
            if map.contains_key("limit") { self.page_param(&at, map, "limit", Holds::Integer, params) } else { None };
        let first_page = self.first_page(&at, map, style);
        let (body, fields) = self.success_struct(&at, success, "x-pagination")?;
        let items = self.body_field(&at, map, "items", Holds::List, &fields, true);
        let end = self.body_field(&at, map, end_key, end_holds, &fields, style == PageStyle::Marker);
        if self.errors_so_far() > errors_before {
            return None;
        }
        let (position, (items, item_type), first_page) = (position?, items?, first_page?);
        let end = end.map(|(field, _)| field);
        let (total, next_marker) = if style == PageStyle::Marker { (None, end) } else { (end, None) };
        Some(Pagination { style, position, limit, body, items, item_type, total, next_marker, first_page })
    }

    /// The parameter `map[key]` names, checked to be a query parameter holding `holds`.
    fn page_param(
        &mut self,
        at: &Pointer,
        map: &Map<String, Value>,
        key: &str,
        holds: Holds,
        params: &[Param],
    ) -> Option<PageParam> {
        let key_at = at.key(key);
        let Some(wire_name) = map.get(key).and_then(Value::as_str) else {
            self.error(&key_at, format!("x-pagination needs `{key}`: the name of a query parameter"));
            return None;
        };
        let Some(param) = params.iter().find(|p| p.wire_name == wire_name && p.location == ParamLocation::Query) else {
            self.error(&key_at, format!("the operation has no query parameter {wire_name:?}"));
            return None;
        };
        if !self.holds(&param.ty, holds) {
            self.error(&key_at, format!("the query parameter {wire_name:?} must be {}", holds.describe()));
            return None;
        }
        let optional = !param.required || param.from_config.is_some() || param.idempotency_token;
        Some(PageParam { name: param.name.clone(), wire_name: wire_name.to_owned(), optional })
    }

    fn first_page(&mut self, at: &Pointer, map: &Map<String, Value>, style: PageStyle) -> Option<u64> {
        match map.get("first-page") {
            None => Some(1),
            Some(value) if style == PageStyle::Page => value.as_u64().or_else(|| {
                self.error(&at.key("first-page"), "first-page must be a non-negative integer");
                None
            }),
            Some(_) => {
                self.error(&at.key("first-page"), "first-page applies to the page style only");
                None
            }
        }
    }

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

    fn holds(&self, ty: &TypeRef, holds: Holds) -> bool {
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
        let mut current = ty.clone();
        for _ in 0..32 {
            let TypeRef::Named(name) = &current else { break };
            match self.type_kind(name) {
                Some(TypeKind::Alias(target)) => current = target.clone(),
                _ => break,
            }
        }
        current
    }

    /// The errors reported so far, those past the cap included.
    pub(super) fn errors_so_far(&self) -> usize {
        let shown = self.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).count();
        shown + self.suppressed.0
    }

    pub(super) fn type_kind(&self, name: &str) -> Option<&TypeKind> {
        self.types.defs.iter().find(|d| d.name == name).map(|d| &d.kind)
    }
}
