//! Keeping the type graph within what rustc compiles.
//!
//! rustc proves trait bounds (`Vec<Vec<..>>: Deserialize`), auto traits and struct layouts by
//! recursing through nested types, and stops at its recursion limit (E0275, E0320) or overflows
//! its stack. Two things keep generated types shallow: an alias that only renames another alias
//! is resolved to what that one means (`A = B`, `B = C`, `C = Leaf` -> each is `Leaf`), so a long
//! chain of `$ref` aliases costs nothing; and a chain of types nested deeper than
//! [`MAX_TYPE_DEPTH`] (arrays of arrays, objects holding objects, ...) is refused with a
//! diagnostic naming the chain, rather than emitted for rustc to reject.

use super::recursion::strongly_connected;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

/// How many levels of nested types (a struct, a `Vec`, an `Option`, ... each one level) a type
/// may have. rustc's default recursion limit is 128 and some of its checks spend more than one
/// step per level; real APIs stay far below this.
pub const MAX_TYPE_DEPTH: usize = 64;

/// Resolves every alias that renames another alias to that alias's meaning, in linear time.
pub fn resolve_alias_renames(defs: &mut [TypeDef]) {
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let renamed = |defs: &[TypeDef], i: usize| match &defs[i].kind {
        TypeKind::Alias(TypeRef::Named(target)) => {
            index.get(target).copied().filter(|&j| matches!(defs[j].kind, TypeKind::Alias(_)))
        }
        _ => None,
    };
    let mut done = vec![false; defs.len()];
    for start in 0..defs.len() {
        // Walk the chain of renames to its first alias that is not a rename (or one resolved already).
        let mut chain = Vec::new();
        let mut at = start;
        while !done[at] {
            done[at] = true;
            match renamed(defs, at) {
                Some(next) => {
                    chain.push(at);
                    at = next;
                }
                None => break,
            }
        }
        // `at` now means what it will keep meaning; every rename on the way means that too. (A
        // cycle of renames stops where it closes; lowering reports it as an alias cycle.)
        if let TypeKind::Alias(meaning) = &defs[at].kind {
            let meaning = meaning.clone();
            for &i in &chain {
                defs[i].kind = TypeKind::Alias(meaning.clone());
            }
        }
    }
}

/// A chain of types nested deeper than [`MAX_TYPE_DEPTH`]: the names from the outermost type
/// inwards, and how many levels deep it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    pub chain: Vec<String>,
    pub depth: usize,
}

/// The deepest chain of nested types, when it is deeper than [`MAX_TYPE_DEPTH`]. Types inside a
/// cycle (recursive types, boxed or behind a `Vec`) count once: rustc handles those.
pub fn too_deep(defs: &[TypeDef]) -> Option<TooDeep> {
    let index: HashMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
    // Each type's own levels, and its edges: (the type it holds, the wrapper levels on the way).
    let mut own = vec![0; defs.len()];
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); defs.len()];
    for (i, def) in defs.iter().enumerate() {
        let level = usize::from(!matches!(def.kind, TypeKind::Alias(_)));
        for ty in held_types(&def.kind) {
            for (wrappers, leaf) in unwrap(ty) {
                match leaf.and_then(|name| index.get(name)) {
                    Some(&target) => edges[i].push((target, level + wrappers)),
                    None => own[i] = own[i].max(level + wrappers),
                }
            }
        }
        own[i] = own[i].max(level);
    }
    let plain: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().map(|(t, _)| *t).collect()).collect();
    let component = strongly_connected(&plain);
    // Tarjan numbers components sinks first, so a type's targets outside its component are done
    // before it: one pass in component order gives each type its depth.
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| component[i]);
    let mut depth = own.clone();
    let mut next: Vec<Option<usize>> = vec![None; defs.len()];
    for &i in &order {
        for &(target, levels) in &edges[i] {
            if component[target] == component[i] {
                continue;
            }
            let through = depth[target].saturating_add(levels);
            if through > depth[i] {
                depth[i] = through;
                next[i] = Some(target);
            }
        }
    }
    let deepest = (0..defs.len()).max_by_key(|&i| (depth[i], std::cmp::Reverse(i)))?;
    if depth[deepest] <= MAX_TYPE_DEPTH {
        return None;
    }
    let mut chain = vec![defs[deepest].name.clone()];
    let mut at = deepest;
    while let Some(following) = next[at] {
        chain.push(defs[following].name.clone());
        at = following;
    }
    Some(TooDeep { chain, depth: depth[deepest] })
}

/// The types a definition holds (fields, variants, the extra-properties map, an alias's target).
fn held_types(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// How many wrappers (`Vec`, map, `Box`, `Option`, a tuple) a type reference has, and the named
/// type inside: one pair per item of a tuple (the wrappers below it counted from it).
fn unwrap(ty: &TypeRef) -> Vec<(usize, Option<&str>)> {
    let mut levels = 0;
    let mut at = ty;
    loop {
        match at {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                levels += 1;
                at = inner;
            }
            TypeRef::Named(name) => return vec![(levels, Some(name))],
            TypeRef::Tuple { prefix, rest } => {
                // An open tuple's rest is a `Vec` inside it: one level more.
                let rest = rest.as_deref().into_iter().flat_map(|r| unwrap(r).into_iter().map(|(l, n)| (l + 1, n)));
                let items: Vec<(usize, Option<&str>)> = prefix.iter().flat_map(unwrap).chain(rest).collect();
                return items.into_iter().map(|(l, n)| (levels + 1 + l, n)).collect();
            }
            _ => return vec![(levels, None)],
        }
    }
}

/// The chain as a diagnostic shows it: all of a short one, the ends of a long one.
pub fn describe(chain: &[String]) -> String {
    const SHOWN: usize = 6;
    if chain.len() <= SHOWN * 2 {
        return chain.join(" -> ");
    }
    format!(
        "{} -> ... ({} more) -> {}",
        chain[..SHOWN].join(" -> "),
        chain.len() - SHOWN * 2,
        chain[chain.len() - SHOWN..].join(" -> ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Docs;
    use crate::lower::recursion::tests::{def, field};

    fn alias(name: &str, ty: TypeRef) -> TypeDef {
        TypeDef { name: name.into(), doc: Docs::default(), kind: TypeKind::Alias(ty) }
    }

    fn holder(name: &str, ty: TypeRef) -> TypeDef {
        def(name, vec![field("a", ty)])
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(n.into())
    }

    #[test]
    fn alias_renames_resolve_to_the_end_of_the_chain() {
        let mut defs: Vec<TypeDef> =
            (0..10_000).map(|i| alias(&format!("S{i}"), named(&format!("S{}", i + 1)))).collect();
        defs.push(alias("S10000", TypeRef::Vec(Box::new(named("Leaf")))));
        defs.push(holder("Leaf", TypeRef::String));
        resolve_alias_renames(&mut defs);
        for def in &defs[..10_001] {
            assert!(
                matches!(&def.kind, TypeKind::Alias(TypeRef::Vec(inner)) if **inner == named("Leaf")),
                "{}",
                def.name
            );
        }
        assert_eq!(too_deep(&defs), None);
    }

    #[test]
    fn a_chain_deeper_than_rustc_handles_is_found_with_its_names() {
        let mut defs: Vec<TypeDef> =
            (0..200).map(|i| holder(&format!("S{i}"), TypeRef::Vec(Box::new(named(&format!("S{}", i + 1)))))).collect();
        defs.push(holder("S200", TypeRef::String));
        let found = too_deep(&defs).expect("too deep");
        assert_eq!(found.depth, 401);
        assert_eq!(found.chain.len(), 201);
        assert_eq!((found.chain[0].as_str(), found.chain[200].as_str()), ("S0", "S200"));
        assert_eq!(describe(&found.chain[..3]), "S0 -> S1 -> S2");
        assert!(describe(&found.chain).contains("S5 -> ... (189 more) -> S195"), "{}", describe(&found.chain));
    }

    #[test]
    fn cycles_count_once_and_shallow_graphs_pass() {
        let mut defs = vec![holder("A", TypeRef::Nullable(Box::new(TypeRef::Boxed(Box::new(named("B"))))))];
        defs.push(holder("B", TypeRef::Vec(Box::new(named("A")))));
        assert_eq!(too_deep(&defs), None);
        let chain: Vec<TypeDef> = (0..MAX_TYPE_DEPTH)
            .map(|i| holder(&format!("S{i}"), named(&format!("S{}", i + 1))))
            .chain([holder(&format!("S{MAX_TYPE_DEPTH}"), TypeRef::String)])
            .collect();
        assert_eq!(too_deep(&chain).map(|t| t.depth), Some(MAX_TYPE_DEPTH + 1));
        assert_eq!(too_deep(&chain[1..]), None);
    }
}
