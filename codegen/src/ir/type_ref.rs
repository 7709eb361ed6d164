//! What a [`TypeRef`] holds: the named type it is, or every named type inside it.

use super::TypeRef;

impl TypeRef {
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => inner.named(),
            _ => None,
        }
    }

    /// Calls `visit` with every named type this one holds, at any depth: inside lists, maps,
    /// boxes, nullables and each item of a tuple.
    pub fn for_each_named<'a>(&'a self, visit: &mut impl FnMut(&'a str)) {
        match self {
            TypeRef::Named(name) => visit(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                inner.for_each_named(visit)
            }
            TypeRef::Tuple { prefix, rest } => {
                prefix.iter().chain(rest.as_deref()).for_each(|t| t.for_each_named(visit))
            }
            _ => {}
        }
    }
}
