//! `x-pagination` on an operation -> [`Pagination`]: how its pages follow each other.
//!
//! ```yaml
//! x-pagination:
//!   style: offset        # offset (with a total) | page (with a total) | marker (next marker)
//!   offset: offset       # the query parameter where a page starts: `offset`, `page` or `marker`
//!   limit: limit         # the page-size parameter (optional; the caller's value is kept)
//!   items: envs          # the success body's list of items (or a JSON pointer: /page/items)
//!   total: total         # offset and page styles: the body's total (optional)
//!   next-marker: marker  # marker style: the body's marker of the next page
//!   first-page: 1        # page style: the first page's number when the request names none
//! ```
//!
//! Every name is checked against the operation's parameters and success body, each problem
//! reported at its pointer, with the body-field helpers of [`super::extension`].

use super::extension::Holds;
use super::Ctx;
use crate::ir::{PageParam, PageStyle, Pagination, Param, ParamLocation, Success};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

const KEYS: &[&str] = &["style", "offset", "page", "marker", "limit", "items", "total", "next-marker", "first-page"];

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
}
