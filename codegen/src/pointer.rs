//! JSON pointers (RFC 6901) in their URI-fragment form, as diagnostics print them:
//! `#/paths/~1v1.1~1{project_id}~1clusters/post`.

use std::fmt;

/// A JSON pointer built one segment at a time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses a local `$ref` (`#/components/schemas/Foo`) into a pointer.
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference.strip_prefix('#').map(|rest| Self(rest.to_owned()))
    }

    /// Reads a JSON pointer as RFC 6901 writes it (`/page/items`; `~1` for a `/` and `~0` for a
    /// `~` in a key).
    pub fn from_json_pointer(pointer: &str) -> Self {
        Self(pointer.to_owned())
    }

    /// The pointer one object key deeper.
    pub fn key(&self, key: &str) -> Self {
        Self(format!("{}/{}", self.0, key.replace('~', "~0").replace('/', "~1")))
    }

    /// The pointer one array index deeper.
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}/{}", self.0, index))
    }

    /// The unescaped segments, for walking a `serde_json::Value`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer as RFC 6901 says it (without the leading `#`).
    pub fn as_json_pointer(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        let p = Pointer::root().key("paths").key("/v1.1/{project_id}/clusters").key("post");
        assert_eq!(p.to_string(), "#/paths/~1v1.1~1{project_id}~1clusters/post");
        let t = Pointer::root().key("a~b");
        assert_eq!(t.to_string(), "#/a~0b");
        assert_eq!(p.segments().nth(1).unwrap(), "/v1.1/{project_id}/clusters");
    }

    #[test]
    fn parses_local_refs() {
        let p = Pointer::from_ref("#/components/schemas/Foo").unwrap();
        assert_eq!(p, Pointer::root().key("components").key("schemas").key("Foo"));
        assert!(Pointer::from_ref("other.yaml#/x").is_none());
    }
}
