//! Per-tag cargo features (`Options::features_per_tag`): one feature per OpenAPI tag, so a user
//! of a huge spec compiles the operations of the tags they call and the types those reach.
//!
//! Each operation's items (request struct, response and error enums, client methods with their
//! paginators and waiters, example tests) get `#[cfg(any(feature = ..))]` over its tags'
//! features; each model type gets the union of the features of the operations that reach it
//! (through fields, list items, map values, union variants and aliases), and a type no
//! operation reaches compiles only with `full`. Gates are attributes put on parsed items
//! (`syn`), never text spliced into printed code; feature names are made from tags by
//! [`crate::naming`] (ASCII letters, digits and `-`), never spec text as it is.
//!
//! Off (the default), [`Features::plan`] gates nothing and the output is what it was without it.

use crate::ir::{Operation, Service, Success, TypeKind, TypeRef};
use crate::naming::{snake, Namespace};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The feature that turns on every tag's feature (and the types no operation reaches).
pub const FULL: &str = "full";

/// The feature of the operations without a tag (`<module>-untagged` in a crate of several specs).
const UNTAGGED: &str = "untagged";

/// One per-tag feature of the generated crate.
#[derive(Debug, Clone)]
pub struct TagFeature {
    /// The cargo feature's name (`code-scanning`).
    pub name: String,
    /// The service module whose operations it turns on.
    pub module: String,
    /// The tag as the document writes it; `None` for the feature of untagged operations.
    pub tag: Option<String>,
    /// How many operations it turns on.
    pub operations: usize,
}

/// The features that turn an item on (any one of them); empty: always compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate(BTreeSet<String>);

impl Gate {
    /// The `cfg` predicate: `feature = "a"`, or `any(feature = "a", feature = "b")`.
    pub fn predicate(&self) -> Option<TokenStream> {
        let features = self.0.iter().map(|f| quote!(feature = #f));
        match self.0.len() {
            0 => None,
            1 => Some(quote!(#(#features)*)),
            _ => Some(quote!(any(#(#features),*))),
        }
    }

    /// `#[cfg(..)]` over [`Gate::predicate`].
    fn attribute(&self) -> Option<syn::Attribute> {
        let predicate = self.predicate()?;
        Some(syn::parse_quote!(#[cfg(#predicate)]))
    }
}

/// The gates of one service's operations (by `operationId`) and types (by name).
#[derive(Debug, Default)]
pub struct ServiceGates {
    on: bool,
    operations: BTreeMap<String, Gate>,
    types: BTreeMap<String, Gate>,
}

impl ServiceGates {
    /// Whether items are gated at all (per-tag features on).
    pub fn on(&self) -> bool {
        self.on
    }

    pub fn operation(&self, op: &Operation) -> Option<&Gate> {
        self.operations.get(&op.id)
    }

    pub fn type_gate(&self, name: &str) -> Option<&Gate> {
        self.types.get(name)
    }

    /// The gate of an item the operations `ops` all use: on with any of them.
    pub fn any_of<'a>(&self, ops: impl IntoIterator<Item = &'a Operation>) -> Option<Gate> {
        let mut union = BTreeSet::new();
        for op in ops {
            union.extend(self.operation(op)?.0.iter().cloned());
        }
        self.on.then_some(Gate(union))
    }
}

/// The crate's per-tag features and the gate of every item; nothing when off.
#[derive(Debug, Default)]
pub struct Features {
    on: bool,
    /// In name order.
    pub tags: Vec<TagFeature>,
    services: BTreeMap<String, ServiceGates>,
    none: ServiceGates,
}

impl Features {
    /// The features of `services`' tags (when `on`) and what each item needs.
    pub fn plan(services: &[Service], on: bool) -> Self {
        if !on {
            return Self::default();
        }
        let mut names = Namespace::new();
        for reserved in ["default", FULL, super::mocks::FEATURE, "cloudspec-runtime", "serde", "serde_json"] {
            names.reserve(reserved);
        }
        for service in services {
            names.reserve(&service.module);
        }
        let several = services.len() > 1;
        let mut tags = Vec::new();
        let mut gates = BTreeMap::new();
        for service in services {
            let (service_tags, service_gates) = plan_service(service, several, &mut names);
            tags.extend(service_tags);
            gates.insert(service.module.clone(), service_gates);
        }
        tags.sort_by(|a: &TagFeature, b| a.name.cmp(&b.name));
        Self { on, tags, services: gates, none: ServiceGates::default() }
    }

    pub fn on(&self) -> bool {
        self.on
    }

    /// The gates of `service`'s items (none when off).
    pub fn service(&self, service: &Service) -> &ServiceGates {
        self.services.get(&service.module).unwrap_or(&self.none)
    }
}

/// The features of one service's tags, and the gates of its operations and types.
fn plan_service(service: &Service, several: bool, names: &mut Namespace) -> (Vec<TagFeature>, ServiceGates) {
    let mut by_tag: Vec<(Option<&str>, String, usize)> = Vec::new();
    let mut operations = BTreeMap::new();
    let untagged = service.operations.iter().any(|op| op.tags.is_empty());
    let wanted_tags = service.operations.iter().flat_map(|op| op.tags.iter().map(|t| Some(t.as_str())));
    for tag in wanted_tags.chain(untagged.then_some(None)) {
        if by_tag.iter().any(|(t, _, _)| *t == tag) {
            continue;
        }
        let base = tag.unwrap_or(UNTAGGED);
        let wanted = if several { format!("{} {base}", service.module) } else { base.to_owned() };
        by_tag.push((tag, feature_name(&wanted, names), 0));
    }
    for op in &service.operations {
        let wanted: Vec<Option<&str>> =
            if op.tags.is_empty() { vec![None] } else { op.tags.iter().map(|t| Some(t.as_str())).collect() };
        let mut gate = BTreeSet::new();
        for (_, name, count) in by_tag.iter_mut().filter(|(t, _, _)| wanted.contains(t)) {
            gate.insert(name.clone());
            *count += 1;
        }
        operations.insert(op.id.clone(), Gate(gate));
    }
    let types = type_gates(service, &operations);
    let features = by_tag
        .into_iter()
        .map(|(tag, name, operations)| TagFeature {
            name,
            module: service.module.clone(),
            tag: tag.map(str::to_owned),
            operations,
        })
        .collect();
    (features, ServiceGates { on: true, operations, types })
}

/// A cargo feature name for `wanted` (a tag): its words in ASCII lower case joined by `-`
/// (`Store & Orders` -> `store-orders`), `-2`, `-3`, ... after a name already taken.
/// (Never empty: `snake` names nothing `value`, and a blank tag is `tag`.)
fn feature_name(wanted: &str, names: &mut Namespace) -> String {
    let base = match snake(wanted).replace('_', "-").trim_matches('-') {
        // `snake` makes a name of nothing `value`: a tag of nothing reads better as `tag`.
        "" | "value" if wanted.trim().is_empty() => "tag".to_owned(),
        base => base.to_owned(),
    };
    let mut name = base.clone();
    let mut next = 2;
    while names.contains(&name) {
        name = format!("{base}-{next}");
        next += 1;
    }
    names.reserve(&name);
    name
}

/// Each type's gate: the features of the operations that reach it, or `full` when none does.
fn type_gates(service: &Service, operations: &BTreeMap<String, Gate>) -> BTreeMap<String, Gate> {
    let kinds: BTreeMap<&str, &TypeKind> = service.types.iter().map(|d| (d.name.as_str(), &d.kind)).collect();
    let mut reached: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let features: BTreeSet<&String> = operations.values().flat_map(|g| g.0.iter()).collect();
    for feature in features {
        // Every type the operations of `feature` reach, each visited once.
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = Vec::new();
        for op in service.operations.iter().filter(|op| operations.get(&op.id).is_some_and(|g| g.0.contains(feature))) {
            operation_refs(op, &mut |t| named_in(t, &mut stack));
        }
        while let Some(name) = stack.pop() {
            let Some(kind) = kinds.get(name).filter(|_| seen.insert(name)) else { continue };
            reached.entry(name).or_default().insert(feature.clone());
            kind_refs(kind, &mut |t| named_in(t, &mut stack));
        }
    }
    let full = || BTreeSet::from([FULL.to_owned()]);
    kinds.keys().map(|name| (name.to_string(), Gate(reached.remove(name).unwrap_or_else(full)))).collect()
}

/// Pushes the named types inside `t` (a tuple may hold several) onto `stack`.
fn named_in<'a>(t: &'a TypeRef, stack: &mut Vec<&'a str>) {
    t.for_each_named(&mut |name| stack.push(name));
}

/// Every type an operation names: parameters, body, success and error bodies, examples.
pub(super) fn operation_refs<'a>(op: &'a Operation, visit: &mut impl FnMut(&'a TypeRef)) {
    op.params.iter().for_each(|p| visit(&p.ty));
    op.body.iter().for_each(|b| visit(&b.ty));
    match &op.success {
        Success::Single { ty, .. } => visit(ty),
        Success::ByStatus { cases, .. } => cases.iter().filter_map(|c| c.body.as_ref()).for_each(|(_, t)| visit(t)),
    }
    op.errors.iter().filter_map(|c| c.body.as_ref()).for_each(|(_, t)| visit(t));
    op.examples.iter().for_each(|e| visit(&e.ty));
}

/// Every type a type names directly.
pub(super) fn kind_refs<'a>(kind: &'a TypeKind, visit: &mut impl FnMut(&'a TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| visit(&f.ty));
            s.additional.iter().for_each(visit);
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| visit(&v.ty)),
        TypeKind::Alias(t) => visit(t),
        TypeKind::Enum(_) => {}
    }
}

/// `tokens` (items) with `gate`'s `#[cfg]` on each item, after its docs.
pub fn gate_items(tokens: TokenStream, gate: Option<&Gate>) -> TokenStream {
    let Some(attribute) = gate.and_then(Gate::attribute) else { return tokens };
    // Tokens that do not parse are left as they are, for `layout` to report.
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else { return tokens };
    for item in &mut file.items {
        if let Some(attrs) = item_attrs(item) {
            insert_after_docs(attrs, attribute.clone());
        }
    }
    let items = file.items;
    quote!(#(#items)*)
}

/// `tokens` (members of an `impl`: methods) with `gate`'s `#[cfg]` on each member.
pub fn gate_members(tokens: TokenStream, gate: Option<&Gate>) -> TokenStream {
    let Some(attribute) = gate.and_then(Gate::attribute) else { return tokens };
    let Ok(mut block) = syn::parse2::<syn::ItemImpl>(quote!(impl Members { #tokens })) else { return tokens };
    for member in &mut block.items {
        let attrs = match member {
            syn::ImplItem::Fn(f) => &mut f.attrs,
            syn::ImplItem::Const(c) => &mut c.attrs,
            syn::ImplItem::Type(t) => &mut t.attrs,
            syn::ImplItem::Macro(m) => &mut m.attrs,
            _ => continue,
        };
        insert_after_docs(attrs, attribute.clone());
    }
    let members = block.items;
    quote!(#(#members)*)
}

/// Inner doc attributes for `text`, each line shown only when `gate` is on (`cfg_attr`): the
/// documentation of an example that uses gated items, so its doctest runs only when they exist.
pub fn gated_inner_doc_lines(text: &str, gate: Option<&Gate>) -> TokenStream {
    let Some(predicate) = gate.and_then(Gate::predicate) else { return super::rust::raw_inner_doc_lines(text) };
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote!(#(#![cfg_attr(#predicate, doc = #lines)])*)
}

fn insert_after_docs(attrs: &mut Vec<syn::Attribute>, attribute: syn::Attribute) {
    let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
    attrs.insert(docs, attribute);
}

/// The attributes of an item of a kind the generator writes.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

impl Features {
    /// The `[features]` lines of the per-tag features: `full`, then each tag's, which turns on
    /// its service's module.
    pub fn cargo_lines(&self) -> Vec<String> {
        if !self.on {
            return Vec::new();
        }
        let quoted = |name: &str| format!("\"{name}\"");
        let all: Vec<String> = self.tags.iter().map(|t| quoted(&t.name)).collect();
        let mut lines = vec![format!("{FULL} = [{}]", all.join(", "))];
        lines.extend(self.tags.iter().map(|t| format!("{} = [{}]", t.name, quoted(&t.module))));
        lines
    }
}

impl Features {
    /// The crate documentation's paragraph on the per-tag features, with their list.
    pub fn crate_doc(&self) -> Option<String> {
        if !self.on {
            return None;
        }
        let several = self.tags.iter().any(|t| t.module != self.tags[0].module);
        let list: Vec<String> = self
            .tags
            .iter()
            .map(|t| {
                let tag = match &t.tag {
                    Some(tag) => format!("tag {}", crate::text::code(tag)),
                    None => "operations without a tag".to_owned(),
                };
                let module = if several { format!(" of [`{}`]", t.module) } else { String::new() };
                let s = if t.operations == 1 { "" } else { "s" };
                format!("- `{}`: {tag}{module} ({} operation{s})", t.name, t.operations)
            })
            .collect();
        Some(format!(
            "One cargo feature per tag: an operation compiles with the feature of any of its tags, and a\ntype with the feature of any operation that uses it, so enabling the tags you call builds only\nthose. None is on by default; `{FULL}` turns on every one (and the types no operation uses).\n\n{}",
            list.join("\n")
        ))
    }
}
