//! The region catalogue (`x-regions`): region id -> the service's endpoint there, with an
//! `x-source` naming the official SDK table it was taken from.

use super::view::source_note;
use super::Ctx;
use crate::ir::RegionEndpoint;
use crate::pointer::Pointer;
use heck::ToShoutySnakeCase;
use std::collections::BTreeMap;

impl Ctx<'_> {
    /// The regions and the rendered source note; nothing when the document has no `x-regions`.
    pub(super) fn regions(&mut self) -> (Vec<RegionEndpoint>, Option<String>) {
        let Some(value) = self.raw().get("x-regions") else { return (Vec::new(), None) };
        let at = Pointer::root().key("x-regions");
        let Some(map) = value.as_object() else {
            self.error(&at, "x-regions must map region ids to endpoint URLs (with an optional x-source)");
            return (Vec::new(), None);
        };
        let mut regions = Vec::new();
        // Constant names must stay distinct (`a-b` and `a_b` would both be `A_B`).
        let mut constants: BTreeMap<String, String> = BTreeMap::new();
        for (id, endpoint) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let here = at.key(id);
            // Starting with a letter: the id becomes a constant's name (`4x` would panic `format_ident!`).
            let starts_with_letter = id.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
            if !starts_with_letter || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                self.error(
                    &here,
                    format!("region id {id:?} must be lower-case letters, digits and '-', starting with a letter"),
                );
                continue;
            }
            let Some(endpoint) = endpoint.as_str().filter(|e| is_http_url(e)) else {
                self.error(&here, format!("the endpoint of region {id} must be an http:// or https:// URL"));
                continue;
            };
            if let Some(other) = constants.insert(id.to_shouty_snake_case(), id.clone()) {
                self.error(&here, format!("regions {other} and {id} would get the same constant name"));
                continue;
            }
            regions.push(RegionEndpoint { id: id.clone(), endpoint: endpoint.to_owned() });
        }
        if regions.is_empty() && map.keys().all(|k| k.starts_with("x-")) {
            self.error(&at, "x-regions lists no region");
        }
        (regions, map.get("x-source").and_then(source_note))
    }
}

/// `http://host...` or `https://host...`, without spaces (the runtime parses it fully).
fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}
