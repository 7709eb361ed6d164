//! Arrays typed item by item (JSON Schema 2020-12's `prefixItems`) -> Rust tuples.
//!
//! A schema that allows nothing past its prefix (`items: false`, which loading rewrote into
//! `maxItems` of the prefix's length, or a `maxItems` that says so itself: pydantic writes
//! tuples that way) is a plain tuple, `(String, i32)`. One that allows more (`items` a schema, or
//! no `items`: JSON Schema then allows anything) is the runtime's `OpenTuple`: the prefix as a
//! tuple and the further items as a `Vec` of the `items` type (`serde_json::Value` without one),
//! so a response with more items than the prefix still decodes and re-encodes unchanged, instead
//! of the whole array falling back to untyped JSON.
//!
//! Both need every prefix item. JSON Schema lets an array stop early unless `minItems` says
//! otherwise, which a warning points out: such a shorter array does not decode. Rust implements
//! its traits (`Debug`, `PartialEq`, `Default`) for tuples of up to 12 items; a longer prefix is
//! a warning and a list of `serde_json::Value`.

use super::view::SchemaView;
use super::Ctx;
use crate::ir::{Constraints, TypeRef};
use crate::pointer::Pointer;
use serde_json::Value;

/// The longest tuple Rust's standard traits (and the runtime's `OpenTuple`) are implemented for.
pub(super) const MAX_TUPLE_ITEMS: usize = 12;

/// A schema's `prefixItems`, the items typed one by one (empty when it has none).
pub(super) fn prefix_items<'a>(view: SchemaView<'a>) -> &'a [Value] {
    view.list("prefixItems").map(Vec::as_slice).unwrap_or_default()
}

/// Whether a tuple allows nothing past its prefix: `items: false` (which loading rewrote into
/// `maxItems` of the prefix's length) or a `maxItems` no longer than the prefix. Its Rust type is
/// a plain tuple, which decodes only arrays exactly that long.
pub(super) fn is_closed_tuple(view: SchemaView<'_>) -> bool {
    let count = prefix_items(view).len();
    count > 0 && view.u64("maxItems").is_some_and(|max| max <= count as u64)
}

impl Ctx<'_> {
    /// The type of the array schema at `at` whose `prefixItems` is not empty.
    pub(super) fn tuple(&mut self, at: &Pointer, view: SchemaView<'_>, hint: &str, depth: usize) -> TypeRef {
        let count = prefix_items(view).len();
        if count > MAX_TUPLE_ITEMS {
            self.warning(
                &at.key("prefixItems"),
                format!(
                    "a tuple of {count} items (prefixItems) is longer than the {MAX_TUPLE_ITEMS} Rust implements its traits for; the SDK uses a list of serde_json::Value here"
                ),
            );
            return TypeRef::Vec(Box::new(TypeRef::Json));
        }
        let fewer_allowed = view.u64("minItems").unwrap_or(0);
        if fewer_allowed < count as u64 {
            self.warning(
                at,
                format!(
                    "the schema allows arrays with fewer than its {count} prefixItems (minItems {fewer_allowed}), which the SDK's tuple needs: a shorter array does not decode (state minItems: {count} to say it cannot happen)"
                ),
            );
        }
        let prefix = (0..count)
            .map(|index| {
                let item_at = at.key("prefixItems").index(index);
                let ty = self.schema_ref(&item_at, &format!("{hint}Item{index}"), depth + 1);
                self.nullable_item(&item_at, ty)
            })
            .collect();
        let rest = match view.get("items") {
            _ if is_closed_tuple(view) => None,
            Some(_) => {
                let items_at = at.key("items");
                let ty = self.schema_ref(&items_at, &format!("{hint}Item"), depth + 1);
                Some(Box::new(self.nullable_item(&items_at, ty)))
            }
            None => Some(Box::new(TypeRef::Json)),
        };
        TypeRef::Tuple { prefix, rest }
    }

    /// A tuple schema's constraints (`view`, the schema at `resolved`, references followed): each
    /// prefix item's, by position (none when no item has any); a closed tuple's length is its
    /// type's, so its `minItems` and `maxItems` are dropped.
    pub(super) fn tuple_constraints(
        &mut self,
        resolved: &Pointer,
        view: SchemaView<'_>,
        depth: usize,
        c: &mut Constraints,
    ) {
        let count = prefix_items(view).len();
        if count == 0 || count > MAX_TUPLE_ITEMS {
            return;
        }
        if is_closed_tuple(view) {
            (c.min_items, c.max_items) = (None, None);
        }
        let each: Vec<Constraints> =
            (0..count).map(|index| self.constraints_at(&resolved.key("prefixItems").index(index), depth + 1)).collect();
        if !each.iter().all(Constraints::is_empty) {
            c.prefix_items = each;
        }
    }
}
