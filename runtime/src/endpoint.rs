//! Endpoint URLs: what a configured endpoint may be, and how its text is shown in errors
//! (never with user info, a query or a fragment, which may carry passwords and tokens).

use crate::error::Error;

/// Parses an endpoint: scheme, host and optional port; a path prefix is kept. Messages never
/// repeat user info (`user:password@`), a query or a fragment from the text (see [`redacted`]).
pub(crate) fn parse_endpoint(text: &str) -> Result<url::Url, Error> {
    let shown = redacted(text);
    let url = url::Url::parse(text).map_err(|e| Error::Config(format!("endpoint {shown:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::Config(format!("endpoint {shown:?} must be an http:// or https:// URL with a host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "endpoint {shown:?} must not carry user info: credentials go in Config::builder().credentials(..)"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("endpoint {shown:?} must not have a query or fragment")));
    }
    Ok(url)
}

/// Endpoint text fit for an error message: user info, query and fragment (which may carry
/// passwords and tokens) replaced by `***`, textually, as the text may not parse.
fn redacted(text: &str) -> String {
    let mut shown = without_userinfo(text);
    if let Some(start) = shown.find(['?', '#']) {
        shown.truncate(start + 1);
        shown.push_str("***");
    }
    shown
}

/// `text` with anything between `scheme://` and an `@` in the authority replaced by `***`.
fn without_userinfo(text: &str) -> String {
    // Without a scheme (`user:pw@host`), the authority starts the text.
    let start = text.find("://").map_or(0, |i| i + 3);
    let rest = &text[start..];
    // Up to the first `/` (not `?` or `#`): text that does not parse may have them in a password.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &text[..start], &rest[at..]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn endpoints_are_checked() {
        assert!(Config::builder().endpoint("http://127.0.0.1:8080").build().is_ok());
        assert!(matches!(Config::builder().endpoint("ftp://x").build(), Err(Error::Config(_))));
        assert!(matches!(Config::builder().endpoint("not a url").build(), Err(Error::Config(_))));
    }

    #[test]
    fn endpoint_user_info_is_rejected_and_never_printed() {
        for text in
            ["https://user:pa55word@example.com/gw", "https://user:pa55word@exa mple.com", "ftp://user:pa55word@x"]
        {
            let err = Config::builder().endpoint(text).build().unwrap_err();
            let message = err.to_string();
            assert!(matches!(err, Error::Config(_)), "{message}");
            assert!(!message.contains("pa55word") && !message.contains("user:"), "{message}");
            assert!(message.contains("***@"), "{message}");
        }
        assert_eq!(without_userinfo("http://h/a@b"), "http://h/a@b", "an @ in the path is not user info");
    }

    #[test]
    fn endpoint_query_and_fragment_are_never_printed() {
        for text in ["http://h/?token=s3cret", "https://h/gw#s3cret", "http://h?a=1&token=s3cret", "user:s3cret@h"] {
            let message = Config::builder().endpoint(text).build().unwrap_err().to_string();
            assert!(!message.contains("s3cret"), "{message}");
            assert!(message.contains("***"), "{message}");
        }
        assert_eq!(redacted("http://h/p?token=x#f"), "http://h/p?***");
        assert_eq!(redacted("http://u:p?w@h/p"), "http://***@h/p", "a `?` in a password that does not parse");
    }
}
