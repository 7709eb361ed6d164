//! Breaking cycles of by-value containment.
//!
//! A struct that contains itself (directly, or through other structs, unions or `Option`s) has
//! no finite size. References through `Vec` and maps are already on the heap; only the direct
//! ones inside a strongly connected component of the "contains by value" graph are boxed.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Boxes every by-value reference that closes a cycle.
pub fn box_cycles(defs: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| {
            let mut out = BTreeSet::new();
            for ty in by_value_refs(def) {
                if let Some(target) = direct_name(ty).and_then(|n| index.get(n)) {
                    out.insert(*target);
                }
            }
            out.into_iter().collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in defs.iter_mut().enumerate() {
        let cyclic = |name: &str| {
            index.get(name).is_some_and(|&j| component[j] == component[i] && (i != j || edges[i].contains(&i)))
        };
        for ty in by_value_refs_mut(def) {
            let should_box = direct_name(ty).is_some_and(&cyclic);
            if should_box {
                box_in_place(ty);
            }
        }
    }
}

/// Aliases that reach themselves through aliases only (`A = B`, `B = A`, or `A = Vec<A>`):
/// Rust type aliases cannot be recursive, and there is no struct or enum in the cycle to box.
pub fn alias_cycles(defs: &[TypeDef]) -> Vec<String> {
    let index: BTreeMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut names = Vec::new();
                all_names(ty, &mut names);
                names
                    .iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .filter(|&j| matches!(defs[j].kind, TypeKind::Alias(_)))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in &component {
        *sizes.entry(*c).or_default() += 1;
    }
    defs.iter()
        .enumerate()
        .filter(|(i, _)| sizes[&component[*i]] > 1 || edges[*i].contains(i))
        .map(|(_, d)| d.name.clone())
        .collect()
}

fn all_names(ty: &TypeRef, out: &mut Vec<String>) {
    ty.for_each_named(&mut |name| out.push(name.to_owned()));
}

/// The named type a reference holds by value, if any (through `Nullable`, not through `Vec`/map).
fn direct_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::Nullable(inner) => direct_name(inner),
        _ => None,
    }
}

fn box_in_place(ty: &mut TypeRef) {
    match ty {
        TypeRef::Nullable(inner) => box_in_place(inner),
        TypeRef::Named(_) => {
            let named = std::mem::replace(ty, TypeRef::Unit);
            *ty = TypeRef::Boxed(Box::new(named));
        }
        _ => {}
    }
}

fn by_value_refs(def: &TypeDef) -> Vec<&TypeRef> {
    let held: Vec<&TypeRef> = match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    };
    let mut out = Vec::new();
    for ty in held {
        tuple_items(ty, &mut out);
    }
    out
}

/// `ty`, or the items a tuple (or an optional one) holds by value, each in turn.
fn tuple_items<'t>(ty: &'t TypeRef, out: &mut Vec<&'t TypeRef>) {
    match ty {
        TypeRef::Tuple { prefix, .. } => prefix.iter().for_each(|item| tuple_items(item, out)),
        TypeRef::Nullable(inner) if matches!(**inner, TypeRef::Tuple { .. }) => tuple_items(inner, out),
        _ => out.push(ty),
    }
}

fn by_value_refs_mut(def: &mut TypeDef) -> Vec<&mut TypeRef> {
    let held: Vec<&mut TypeRef> = match &mut def.kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    };
    let mut out = Vec::new();
    for ty in held {
        tuple_items_mut(ty, &mut out);
    }
    out
}

fn tuple_items_mut<'t>(ty: &'t mut TypeRef, out: &mut Vec<&'t mut TypeRef>) {
    let optional_tuple = matches!(ty, TypeRef::Nullable(inner) if matches!(**inner, TypeRef::Tuple { .. }));
    if !optional_tuple && !matches!(ty, TypeRef::Tuple { .. }) {
        out.push(ty);
        return;
    }
    match ty {
        TypeRef::Tuple { prefix, .. } => prefix.iter_mut().for_each(|item| tuple_items_mut(item, out)),
        TypeRef::Nullable(inner) => tuple_items_mut(inner, out),
        _ => {}
    }
}

/// Tarjan's algorithm, iterative (deep specs must not overflow the stack). Returns each node's
/// component id.
pub(super) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == usize::MAX {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ir::{Constraints, Docs, Field, Struct};

    pub(in crate::lower) fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            doc: Docs::default(),
            ty,
            required: false,
            nullable: false,
            contradiction: None,
            sensitive: false,
            read_only: false,
            write_only: false,
            default: None,
            constraints: Constraints::default(),
            undeclared: false,
        }
    }

    pub(in crate::lower) fn def(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: Docs::default(),
            kind: TypeKind::Struct(Struct {
                fields,
                additional: None,
                additional_keys: None,
                additional_values: None,
                min_properties: None,
                max_properties: None,
            }),
        }
    }

    fn field_ty<'a>(defs: &'a [TypeDef], name: &str, field: &str) -> &'a TypeRef {
        let d = defs.iter().find(|d| d.name == name).unwrap();
        let TypeKind::Struct(s) = &d.kind else { unreachable!() };
        &s.fields.iter().find(|f| f.name == field).unwrap().ty
    }

    #[test]
    fn alias_only_cycles_are_found() {
        let alias =
            |name: &str, ty: TypeRef| TypeDef { name: name.into(), doc: Docs::default(), kind: TypeKind::Alias(ty) };
        let named = |n: &str| TypeRef::Named(n.into());
        let defs = vec![
            alias("A", named("B")),
            alias("B", named("A")),
            alias("Nested", TypeRef::Vec(Box::new(named("Nested")))),
            alias("Fine", named("Leaf")),
            def("Leaf", vec![field("x", named("Fine"))]),
        ];
        assert_eq!(alias_cycles(&defs), ["A", "B", "Nested"]);
    }

    #[test]
    fn boxes_only_edges_inside_a_cycle() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut defs = vec![
            def(
                "Node",
                vec![
                    field("next", named("Node")),
                    field("leaf", named("Leaf")),
                    field("kids", TypeRef::Vec(Box::new(named("Node")))),
                ],
            ),
            def("Leaf", vec![field("v", TypeRef::I32)]),
            def("A", vec![field("b", named("B"))]),
            def("B", vec![field("a", TypeRef::Nullable(Box::new(named("A"))))]),
        ];
        box_cycles(&mut defs);
        assert_eq!(field_ty(&defs, "Node", "next"), &TypeRef::Boxed(Box::new(named("Node"))));
        assert_eq!(field_ty(&defs, "Node", "leaf"), &named("Leaf"));
        assert_eq!(field_ty(&defs, "Node", "kids"), &TypeRef::Vec(Box::new(named("Node"))));
        assert_eq!(field_ty(&defs, "A", "b"), &TypeRef::Boxed(Box::new(named("B"))));
        assert_eq!(field_ty(&defs, "B", "a"), &TypeRef::Nullable(Box::new(TypeRef::Boxed(Box::new(named("A"))))));
    }
}
