//! Following `$ref`s and the `allOf` wrappers that stand for one part through the raw tree,
//! each walk bounded by [`MAX_DEPTH`].

use super::schema::MAX_DEPTH;
use super::shape::Shape;
use super::view::SchemaView;
use super::Ctx;
use crate::pointer::Pointer;
use serde_json::Value;

impl<'a> Ctx<'a> {
    /// The schema at `at` after following `$ref`s (and `allOf` wrappers that stand for one part).
    pub(super) fn resolve_view(&self, at: &Pointer) -> Option<SchemaView<'a>> {
        self.resolve_pointer(at).and_then(|p| self.value_at(&p)).and_then(SchemaView::new)
    }

    /// The schemas passed on the way from `at` to the one `resolve_view` gives, that one
    /// included: allOf wrappers whose type is one of their parts (`$ref`s themselves are left
    /// out: OpenAPI 3.0 ignores a `$ref`'s siblings).
    pub(super) fn resolution_chain(&self, at: &Pointer) -> Vec<SchemaView<'a>> {
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
    pub(super) fn resolve_pointer(&self, at: &Pointer) -> Option<Pointer> {
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
    pub(super) fn resolved(&self, value: &'a Value) -> Option<SchemaView<'a>> {
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
    pub(super) fn annotated_views(&self, at: &Pointer) -> Vec<SchemaView<'a>> {
        let Some(view) = self.value_at(at).and_then(SchemaView::new) else { return Vec::new() };
        let mut views = vec![view];
        if let Some(parts) = view.list("allOf") {
            views.extend(parts.iter().filter_map(|p| self.resolved(p)));
        }
        views
    }

    pub(super) fn value_at(&self, at: &Pointer) -> Option<&'a Value> {
        self.raw().pointer(at.as_json_pointer())
    }
}
