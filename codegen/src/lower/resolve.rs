//! Following `$ref`s and the `allOf` wrappers that stand for one part through the raw tree,
//! each walk bounded by [`MAX_DEPTH`].

use super::schema::MAX_DEPTH;
use super::shape::Shape;
use super::view::SchemaView;
use super::Ctx;
use crate::pointer::Pointer;
use serde_json::Value;

/// How many `$ref`s in a row a chain may take before it counts as a cycle.
const REF_HOPS: usize = 32;

/// Why a `$ref` chain ends at no value.
#[derive(Debug, PartialEq)]
pub(super) enum BrokenRef {
    /// There is nothing at the start of the chain.
    Missing,
    /// The `$ref` `reference`, written at `at`, names nothing in the document.
    Unresolved { at: Pointer, reference: String },
    /// More than [`REF_HOPS`] `$ref`s in a row: a cycle.
    Cycle,
}

impl<'a> Ctx<'a> {
    /// Follows the `$ref`s from `at` to the value that has none, and where it is. Silent: callers
    /// that report a broken chain read why from the [`BrokenRef`], callers that only look do not.
    pub(super) fn follow_refs(&self, at: &Pointer) -> Result<(Pointer, &'a Value), BrokenRef> {
        let mut current = at.clone();
        let mut value = self.value_at(&current).ok_or(BrokenRef::Missing)?;
        for _ in 0..REF_HOPS {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else { return Ok((current, value)) };
            let target = Pointer::from_ref(reference).and_then(|p| self.value_at(&p).map(|v| (p, v)));
            let Some((target_at, target)) = target else {
                return Err(BrokenRef::Unresolved { at: current, reference: reference.to_owned() });
            };
            (current, value) = (target_at, target);
        }
        Err(BrokenRef::Cycle)
    }

    /// The schema at `at` after following `$ref`s (and `allOf` wrappers that stand for one part).
    pub(super) fn resolve_view(&self, at: &Pointer) -> Option<SchemaView<'a>> {
        self.resolve_pointer(at).and_then(|p| self.value_at(&p)).and_then(SchemaView::new)
    }

    /// The schemas passed on the way from `at` to the one `resolve_view` gives, that one
    /// included: allOf wrappers whose type is one of their parts (`$ref`s themselves are left
    /// out: OpenAPI 3.0 ignores a `$ref`'s siblings).
    pub(super) fn resolution_chain(&self, at: &Pointer) -> Vec<SchemaView<'a>> {
        self.value_at(at).map_or_else(Vec::new, |schema| self.value_resolution_chain(schema))
    }

    /// [`Self::resolution_chain`] from a schema value rather than its place.
    pub(super) fn value_resolution_chain(&self, schema: &'a Value) -> Vec<SchemaView<'a>> {
        let mut chain = Vec::new();
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            let Some(view) = SchemaView::new(current) else { break };
            if let Some(reference) = view.reference() {
                match Pointer::from_ref(reference).and_then(|target| self.value_at(&target)) {
                    Some(target) => current = target,
                    None => break,
                }
                continue;
            }
            chain.push(view);
            let part = match self.shape(view) {
                Shape::Part { key: "allOf", index } => view.list("allOf").and_then(|parts| parts.get(index)),
                _ => None,
            };
            match part {
                Some(part) => current = part,
                None => break,
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
        let view = self.value_at(at).and_then(SchemaView::new);
        view.map(|view| self.with_all_of_parts(view).collect()).unwrap_or_default()
    }

    /// The `allOf` parts of `view`, `$ref`s followed (a part that resolves to no schema left out).
    pub(super) fn all_of_parts(&self, view: SchemaView<'a>) -> impl Iterator<Item = SchemaView<'a>> + '_ {
        view.list("allOf").into_iter().flatten().filter_map(|part| self.resolved(part))
    }

    /// `view` and then its `allOf` parts: every schema whose keywords (`required`, `properties`,
    /// an `example`, annotations) count for it.
    pub(super) fn with_all_of_parts(&self, view: SchemaView<'a>) -> impl Iterator<Item = SchemaView<'a>> + '_ {
        std::iter::once(view).chain(self.all_of_parts(view))
    }

    pub(super) fn value_at(&self, at: &Pointer) -> Option<&'a Value> {
        self.raw().pointer(at.as_json_pointer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::load::{load, LoadedSpec};
    use crate::SpecSource;

    /// A document whose `components/x` holds `entries` (YAML lines under it).
    fn spec(entries: &str) -> LoadedSpec {
        let text =
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  x:\n{entries}");
        load(&SpecSource { file: "t.yaml".into(), text }).expect("loads")
    }

    fn x(name: &str) -> Pointer {
        Pointer::root().key("components").key("x").key(name)
    }

    #[test]
    fn a_chain_of_refs_ends_at_the_value_without_one() {
        let spec = spec("    a: {$ref: '#/components/x/b'}\n    b: {$ref: '#/components/x/c'}\n    c: {n: 1}\n");
        let ctx = Ctx::new(&spec);
        let (end, value) = ctx.follow_refs(&x("a")).expect("resolves");
        assert_eq!((end, value), (x("c"), &serde_json::json!({"n": 1})));
        assert_eq!(ctx.follow_refs(&x("c")).map(|(end, _)| end), Ok(x("c")));
    }

    #[test]
    fn a_broken_chain_says_why() {
        let spec = spec(
            "    a: {$ref: '#/components/x/b'}\n    b: {$ref: '#/components/x/gone'}\n    \
             c: {$ref: 'other.yaml#/c'}\n    loop: {$ref: '#/components/x/loop'}\n",
        );
        let ctx = Ctx::new(&spec);
        assert_eq!(ctx.follow_refs(&x("none")).err(), Some(BrokenRef::Missing));
        let unresolved = |at: &str, reference: &str| BrokenRef::Unresolved { at: x(at), reference: reference.into() };
        // The `$ref` that names nothing is reported where it is written, not where the chain began.
        assert_eq!(ctx.follow_refs(&x("a")).err(), Some(unresolved("b", "#/components/x/gone")));
        assert_eq!(ctx.follow_refs(&x("c")).err(), Some(unresolved("c", "other.yaml#/c")));
        assert_eq!(ctx.follow_refs(&x("loop")).err(), Some(BrokenRef::Cycle));
    }

    #[test]
    fn a_chain_longer_than_the_bound_counts_as_a_cycle() {
        let hops = |count: usize| -> String {
            (0..count).map(|i| format!("    r{i}: {{$ref: '#/components/x/r{}'}}\n", i + 1)).collect::<String>()
                + &format!("    r{count}: {{}}\n")
        };
        let longest = spec(&hops(REF_HOPS - 1));
        assert!(Ctx::new(&longest).follow_refs(&x("r0")).is_ok());
        let too_long = spec(&hops(REF_HOPS));
        assert_eq!(Ctx::new(&too_long).follow_refs(&x("r0")).err(), Some(BrokenRef::Cycle));
    }

    #[test]
    fn resolve_object_reports_what_the_walk_found() {
        let spec = spec(
            "    a: {$ref: '#/components/x/b'}\n    b: {$ref: '#/components/x/gone'}\n    \
             loop: {$ref: '#/components/x/loop'}\n    text: {$ref: '#/components/x/plain'}\n    plain: hello\n    \
             ok: {$ref: '#/components/x/body'}\n    body: {content: {}}\n",
        );
        let mut ctx = Ctx::new(&spec);
        let found = |ctx: &mut Ctx, name: &str| ctx.resolve_object(&x(name), "request body").map(|(at, _)| at);
        assert_eq!(found(&mut ctx, "ok"), Some(x("body")));
        assert_eq!(found(&mut ctx, "none"), None);
        assert!(ctx.diagnostics.is_empty(), "nothing at all is not an error: {:?}", ctx.diagnostics);
        for name in ["a", "loop", "text"] {
            assert_eq!(found(&mut ctx, name), None);
        }
        let reported: Vec<(String, String)> =
            ctx.diagnostics.iter().map(|d: &Diagnostic| (d.pointer.clone(), d.message.clone())).collect();
        let expected = [
            ("#/components/x/b", "`$ref: #/components/x/gone` does not resolve to a request body"),
            ("#/components/x/loop", "`$ref` cycle while resolving a request body"),
            ("#/components/x/plain", "a request body must be an object"),
        ];
        assert_eq!(reported, expected.map(|(at, message)| (at.to_owned(), message.to_owned())));
    }
}
