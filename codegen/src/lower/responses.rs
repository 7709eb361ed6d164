//! An operation's `responses` -> the success type and the error cases, keyed by status.

use super::operation::pick_media;
use super::Ctx;
use crate::ir::*;
use crate::pointer::Pointer;
use serde_json::Value;

/// What an operation's responses lower to.
pub(super) struct Responses {
    pub success: Success,
    pub errors: Vec<ResponseCase>,
    /// The error-body enum's name, when any error status has a body.
    pub error_type: Option<String>,
    pub examples: Vec<Example>,
    /// The media types of the success responses' bodies, for the `Accept` header.
    pub accept: Option<String>,
}

impl Ctx<'_> {
    pub(super) fn lower_responses(&mut self, at: &Pointer, base: &str) -> Responses {
        let responses_at = at.key("responses");
        let keys: Vec<String> = self
            .value_at(&responses_at)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        if keys.is_empty() {
            self.error(&responses_at, "an operation needs at least one response");
        }
        let mut cases: Vec<ResponseCase> = Vec::new();
        let mut examples = Vec::new();
        let mut media_types: Vec<(StatusKey, String)> = Vec::new();
        for key in keys {
            let status = match parse_status(&key) {
                Some(s) => s,
                None if key.starts_with("x-") => continue,
                None => {
                    self.error(
                        &responses_at.key(&key),
                        format!("{key:?} is not a status code, a range like 4XX, or default"),
                    );
                    continue;
                }
            };
            if cases.iter().any(|c| c.status == status) {
                self.warning(
                    &responses_at.key(&key),
                    format!("the status {key:?} is listed twice (range keys ignore case); the first is used"),
                );
                continue;
            }
            let Some((response_at, response)) = self.resolve_object(&responses_at.key(&key), "response") else {
                continue;
            };
            let description = response.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
            let variant = match &status {
                StatusKey::Code(c) => format!("Status{c}"),
                StatusKey::Range(r) => format!("Status{r}xx"),
                StatusKey::Default => "Default".to_owned(),
            };
            if response.get("content").is_some_and(|c| !c.is_object()) {
                self.error(
                    &response_at.key("content"),
                    "the content of a response must be an object (media type -> media type object)",
                );
                continue;
            }
            let body = self
                .response_body(&response_at, response.get("content"), &status, &format!("{base}{variant}Body"))
                .map(|(content_type, media, ty, found)| {
                    examples.extend(found);
                    media_types.push((status.clone(), content_type));
                    (media, ty)
                });
            cases.push(ResponseCase { status, variant, description, body });
        }
        let (mut success_cases, error_cases): (Vec<_>, Vec<_>) = cases.into_iter().partition(|c| c.status.is_success());
        // `default` covers every status the spec does not list: with no 2xx listed, a successful
        // response is one of those, and has the `default` body.
        if success_cases.is_empty() {
            success_cases.extend(error_cases.iter().find(|c| c.status == StatusKey::Default).cloned());
        }
        let accept = accept_header(&success_cases, &media_types);
        let success = self.success_of(base, success_cases);
        let error_type =
            error_cases.iter().any(|c| c.body.is_some()).then(|| self.types.names.claim(&format!("{base}Error")));
        Responses { success, errors: error_cases, error_type, examples, accept }
    }

    /// A response's body type, named `name` where the schema is inline, with its examples.
    fn response_body(
        &mut self,
        response_at: &Pointer,
        content: Option<&Value>,
        status: &StatusKey,
        name: &str,
    ) -> Option<(String, MediaKind, TypeRef, Vec<Example>)> {
        let (content_type, media) = pick_media(content)?;
        let media_at = response_at.key("content").key(&content_type);
        let ty = self.media_type(&media_at, media, name);
        // A body that may be `null` (3.1's `type: [array, "null"]`) decodes into an `Option`.
        let ty = match media {
            MediaKind::Json if self.value_at(&media_at.key("schema")).is_some() => {
                self.nullable_item(&media_at.key("schema"), ty)
            }
            _ => ty,
        };
        let examples = self.media_examples(&media_at, ExampleContext::Response(status.clone()), &ty, media);
        Some((content_type, media, ty, examples))
    }

    fn success_of(&mut self, base: &str, cases: Vec<ResponseCase>) -> Success {
        let first = cases.first().map(|c| c.body.clone());
        let uniform = cases.iter().all(|c| Some(c.body.clone()) == first);
        if uniform {
            let (media, ty) = match first.flatten() {
                Some((media, ty)) => (Some(media), ty),
                None => (None, TypeRef::Unit),
            };
            return Success::Single { ty, media, statuses: cases.into_iter().map(|c| c.status).collect() };
        }
        Success::ByStatus { enum_name: self.types.names.claim(&format!("{base}Response")), cases }
    }
}

/// The `Accept` header of an operation: the media type the SDK decodes of each success response
/// (the one `pick_media` chose), each once, in document order. `None` when no success response has
/// a body: nothing is asked for.
fn accept_header(success_cases: &[ResponseCase], media_types: &[(StatusKey, String)]) -> Option<String> {
    let mut accepted: Vec<&str> = Vec::new();
    for (status, content_type) in media_types {
        // Only what a header value can hold as it is (no control characters, no other script).
        let printable = content_type.chars().all(|c| c.is_ascii_graphic() || c == ' ');
        let usable = printable && !accepted.contains(&content_type.as_str());
        if usable && success_cases.iter().any(|c| &c.status == status) {
            accepted.push(content_type);
        }
    }
    (!accepted.is_empty()).then(|| accepted.join(", "))
}

/// A `responses` key as a status: a code, a range (`4XX`, any case) or `default`.
pub(super) fn parse_status(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    if let Ok(code) = key.parse::<u16>() {
        return (100..600).contains(&code).then_some(StatusKey::Code(code));
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) && key[1..].eq_ignore_ascii_case("xx") {
        return Some(StatusKey::Range(u16::from(bytes[0] - b'0')));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_status("202"), Some(StatusKey::Code(202)));
        assert_eq!(parse_status("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(parse_status("default"), Some(StatusKey::Default));
        assert_eq!(parse_status("2000"), None);
        assert_eq!(parse_status("abc"), None);
    }
}
