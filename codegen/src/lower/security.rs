//! Security schemes (`components/securitySchemes`) and each operation's `security` requirement.
//!
//! HTTP `bearer` and `basic`, `apiKey` in a header, the query or a cookie, and `oauth2` and
//! `openIdConnect` (whose access token is sent as a bearer token) are supported. Any other scheme
//! (HTTP `digest`, `mutualTLS`) is a warning, and the alternatives that need it are left out: the
//! client cannot meet them (mutual TLS is set up on the `reqwest::Client` given to the config).
//!
//! A document with `x-signing` is authenticated by its signing scheme (the runtime's
//! `Credentials`): its `securitySchemes` describe that to other tools and are not lowered.

use super::Ctx;
use crate::ir::{ParamLocation, SecurityKind, SecurityScheme};
use crate::pointer::Pointer;
use serde_json::Value;

impl Ctx<'_> {
    /// Every scheme the runtime can send, in document order; the others are warned about.
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(schemes) = self.raw().pointer("/components/securitySchemes").and_then(Value::as_object) else {
            return Vec::new();
        };
        if self.raw().get("x-signing").is_some() {
            return Vec::new();
        }
        let at = Pointer::root().key("components").key("securitySchemes");
        let mut lowered = Vec::new();
        for (name, scheme) in schemes {
            let scheme_at = at.key(name);
            let scheme = match scheme.get("$ref").and_then(Value::as_str).and_then(Pointer::from_ref) {
                Some(target) => self.value_at(&target).unwrap_or(scheme),
                None => scheme,
            };
            match scheme_kind(scheme) {
                Ok(kind) => lowered.push(SecurityScheme { name: name.clone(), kind }),
                Err(why) => self.warning(&scheme_at, format!("security scheme {name:?} is not supported ({why}); operations that can only use it are sent without it")),
            }
        }
        lowered
    }

    /// The requirement of the operation at `at`: its own `security`, else the document's.
    /// Alternatives that name a scheme the client cannot send are left out (an unknown name is
    /// warned about); if every alternative was left out, the operation is sent without credentials.
    pub(super) fn operation_security(&mut self, at: &Pointer) -> Option<Vec<Vec<String>>> {
        if self.raw().get("x-signing").is_some() {
            return None;
        }
        let (list_at, list) = match self.value_at(&at.key("security")) {
            Some(list) => (at.key("security"), list),
            None => (Pointer::root().key("security"), self.raw().get("security")?),
        };
        let Some(list) = list.as_array() else {
            self.warning(&list_at, "`security` must be a list of requirements; ignored");
            return None;
        };
        let mut alternatives = Vec::new();
        for (index, requirement) in list.iter().enumerate() {
            let Some(requirement) = requirement.as_object() else {
                self.warning(&list_at.index(index), "a security requirement must be a map of scheme names; ignored");
                continue;
            };
            let names: Vec<String> = requirement.keys().cloned().collect();
            let unknown = names.iter().find(|n| !self.security_schemes.iter().any(|s| &s.name == *n));
            match unknown {
                None => alternatives.push(names),
                Some(name) if self.raw().pointer("/components/securitySchemes").and_then(|s| s.get(name)).is_none() => {
                    self.warning(&list_at.index(index), format!("security scheme {name:?} is not defined in components/securitySchemes; this alternative is left out"));
                }
                Some(_) => {} // an unsupported scheme, warned about where it is defined
            }
        }
        if alternatives.is_empty() && !list.is_empty() {
            return None;
        }
        Some(alternatives)
    }
}

/// How the scheme sends its credential, or why the runtime cannot send it.
fn scheme_kind(scheme: &Value) -> Result<SecurityKind, String> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str);
    match text("type") {
        Some("http") => match text("scheme").map(str::to_ascii_lowercase).as_deref() {
            Some("bearer") => Ok(SecurityKind::Bearer),
            Some("basic") => Ok(SecurityKind::Basic),
            Some(other) => Err(format!("HTTP scheme {other:?}: only bearer and basic are")),
            None => Err("an http scheme without `scheme`".to_owned()),
        },
        Some("apiKey") => {
            let name = text("name").filter(|n| !n.is_empty()).ok_or("an apiKey scheme without `name`")?;
            let location = match text("in") {
                Some("header") => ParamLocation::Header,
                Some("query") => ParamLocation::Query,
                Some("cookie") => ParamLocation::Cookie,
                other => return Err(format!("apiKey `in: {}`: header, query or cookie", other.unwrap_or("(none)"))),
            };
            Ok(SecurityKind::ApiKey { location, name: name.to_owned() })
        }
        Some("oauth2" | "openIdConnect") => Ok(SecurityKind::Bearer),
        Some(other) => Err(format!("type {other:?}")),
        None => Err("no `type`".to_owned()),
    }
}
