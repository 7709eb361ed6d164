//! What the runtime knows about a service: the generated crate describes each of its services
//! with one [`ServiceInfo`].

/// How requests to a service are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningScheme {
    /// No signing scheme is declared: only token credentials apply.
    None,
    /// Huawei Cloud AK/SK signing (`SDK-HMAC-SHA256`); an IAM token (`X-Auth-Token`) works too.
    HuaweiSdkHmacSha256,
    /// Alibaba Cloud BatchCompute `acs` HMAC-SHA1 signing.
    AliyunAcsHmacSha1,
}

/// A published error code (from the spec's `x-error-codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorCode {
    /// The code as the service returns it (`APIC.7211`), or a template of it as the catalogue
    /// prints it (`InvalidGroups.{key}`, `Invalid{Parameter}`): each `{…}` stands for any
    /// non-empty text (see [`ErrorCode::matches`]).
    pub code: &'static str,
    /// The HTTP status it comes with.
    pub status: Option<u16>,
    /// The message the service sends.
    pub message: Option<&'static str>,
    /// What it means.
    pub description: Option<&'static str>,
    /// What to do about it.
    pub remedy: Option<&'static str>,
}

/// A region a service is offered in, and its endpoint there (the spec's `x-regions`, taken
/// from the official SDKs' region tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Region {
    /// The region id (`cn-north-4`).
    pub id: &'static str,
    /// The service's endpoint in it (`https://cdm.cn-north-4.myhuaweicloud.com`).
    pub endpoint: &'static str,
}

impl ErrorCode {
    /// A catalogue entry with only its code; the `with_` methods add the rest (all `const`, for
    /// generated catalogues).
    pub const fn new(code: &'static str) -> Self {
        Self { code, status: None, message: None, description: None, remedy: None }
    }

    /// The HTTP status the code comes with.
    pub const fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The message the service sends.
    pub const fn with_message(mut self, message: &'static str) -> Self {
        self.message = Some(message);
        self
    }

    /// What the code means.
    pub const fn with_description(mut self, description: &'static str) -> Self {
        self.description = Some(description);
        self
    }

    /// What to do about it.
    pub const fn with_remedy(mut self, remedy: &'static str) -> Self {
        self.remedy = Some(remedy);
        self
    }
}

impl Region {
    /// A catalogue entry.
    pub const fn new(id: &'static str, endpoint: &'static str) -> Self {
        Self { id, endpoint }
    }
}

/// A region constant where a region id is wanted: `Config::builder().region(cdm::regions::CN_NORTH_4)`.
impl From<Region> for String {
    fn from(region: Region) -> Self {
        region.id.to_owned()
    }
}

/// A service as the generated code describes it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ServiceInfo {
    /// The module name (`cdm`).
    pub name: &'static str,
    /// The endpoint template from the spec's `servers` (`https://cdm.{region}.myhuaweicloud.com`).
    pub endpoint_template: Option<&'static str>,
    /// How its requests are authenticated (the spec's `x-signing`).
    pub signing: SigningScheme,
    /// The API version (`info.version`); BatchCompute sends it as `x-acs-version`.
    pub api_version: &'static str,
    /// The published error codes.
    pub error_codes: &'static [ErrorCode],
    /// The regions the service is offered in; empty when the spec lists none (any region is
    /// then accepted).
    pub regions: &'static [Region],
}

impl ErrorCode {
    /// Whether a code the service returned is this entry's: equal, or matching its template
    /// (`InvalidGroups.group1` is an `InvalidGroups.{key}`).
    pub fn matches(&self, code: &str) -> bool {
        self.specificity(code).is_some()
    }

    /// How closely `code` matches: `None` when it does not; an exact match ranks above any
    /// template, and a template with more literal text above one with less.
    fn specificity(&self, code: &str) -> Option<(bool, usize)> {
        if self.code == code {
            return Some((true, code.len()));
        }
        let pieces = template_pieces(self.code)?;
        matches_template(&pieces, code).then(|| (false, pieces.iter().map(|p| p.len()).sum()))
    }
}

/// The literal pieces of a template around its `{…}` placeholders (`Invalid{Parameter}` ->
/// `["Invalid", ""]`); `None` when the code has no well-formed placeholder.
fn template_pieces(template: &str) -> Option<Vec<&str>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        pieces.push(&rest[..open]);
        rest = &rest[close + 1..];
    }
    if pieces.is_empty() {
        return None;
    }
    pieces.push(rest);
    Some(pieces)
}

/// Whether `code` is the pieces with non-empty text between each two.
fn matches_template(pieces: &[&str], code: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else { return code.is_empty() };
    let Some(after_first) = code.strip_prefix(first) else { return false };
    if rest.is_empty() {
        return after_first.is_empty();
    }
    // A placeholder takes at least one character; try every split (codes are short).
    (1..=after_first.len())
        .filter(|&i| after_first.is_char_boundary(i))
        .any(|i| matches_template(rest, &after_first[i..]))
}

/// The catalogue entry that documents `code` returned with `status`: an exact entry before a
/// template, the most specific template first, and among equals the one listed with `status`
/// (some codes are listed once per status), else the first listed.
pub fn find_error_code(catalogue: &'static [ErrorCode], code: &str, status: Option<u16>) -> Option<&'static ErrorCode> {
    let mut best: Option<(&'static ErrorCode, (bool, usize, bool))> = None;
    for entry in catalogue {
        let Some((exact, literal)) = entry.specificity(code) else { continue };
        let rank = (exact, literal, status.is_some() && entry.status == status);
        if best.is_none_or(|(_, best_rank)| rank > best_rank) {
            best = Some((entry, rank));
        }
    }
    best.map(|(entry, _)| entry)
}

impl ServiceInfo {
    /// A service with no endpoint template, error codes or regions; the `with_` methods add them
    /// (all `const`, for the generated `SERVICE` statics).
    pub const fn new(name: &'static str, signing: SigningScheme, api_version: &'static str) -> Self {
        Self { name, endpoint_template: None, signing, api_version, error_codes: &[], regions: &[] }
    }

    /// The endpoint template (`https://cdm.{region}.myhuaweicloud.com`).
    pub const fn with_endpoint_template(mut self, template: &'static str) -> Self {
        self.endpoint_template = Some(template);
        self
    }

    /// The published error codes.
    pub const fn with_error_codes(mut self, error_codes: &'static [ErrorCode]) -> Self {
        self.error_codes = error_codes;
        self
    }

    /// The regions the service is offered in.
    pub const fn with_regions(mut self, regions: &'static [Region]) -> Self {
        self.regions = regions;
        self
    }

    /// The catalogue entry for a region id.
    pub fn region(&self, id: &str) -> Option<&'static Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The documented entry for an error code, if the catalogue has one (see [`find_error_code`]).
    pub fn error_code(&self, code: &str) -> Option<&'static ErrorCode> {
        find_error_code(self.error_codes, code, None)
    }

    /// The documented entry for an error code returned with `status`.
    pub fn error_code_with_status(&self, code: &str, status: u16) -> Option<&'static ErrorCode> {
        find_error_code(self.error_codes, code, Some(status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn entry(code: &'static str, status: u16, message: &'static str) -> ErrorCode {
        ErrorCode { code, status: Some(status), message: Some(message), description: None, remedy: None }
    }

    static CATALOGUE: &[ErrorCode] = &[
        entry("InvalidName", 400, "first"),
        entry("InvalidName", 403, "forbidden"),
        entry("InvalidName", 400, "third"),
        entry("InvalidUserData.{key}", 400, "user data key"),
        entry("InvalidUserData.{key}.value", 400, "user data value"),
        entry("InvalidGroups.{key}", 400, "group 400"),
        entry("InvalidGroups.{key}", 403, "group 403"),
        entry("Invalid{Parameter}", 400, "any parameter"),
        entry("Broken{Template", 400, "unclosed"),
    ];

    fn message(code: &str, status: Option<u16>) -> Option<&'static str> {
        find_error_code(CATALOGUE, code, status).and_then(|e| e.message)
    }

    #[test]
    fn templates_match_real_codes_most_specific_first() {
        assert_eq!(message("InvalidGroups.group1", Some(400)), Some("group 400"));
        assert_eq!(message("InvalidUserData.k1", Some(400)), Some("user data key"));
        assert_eq!(message("InvalidUserData.k1.value", Some(400)), Some("user data value"));
        assert_eq!(message("InvalidCidrBlock", Some(400)), Some("any parameter"));
        assert_eq!(message("InvalidName", Some(400)), Some("first"), "an exact entry beats a template");
        assert_eq!(message("Invalid", Some(400)), None, "a placeholder stands for at least one character");
        assert_eq!(message("InvalidGroups.", Some(400)), Some("any parameter"));
        assert_eq!(message("Broken{Template", None), Some("unclosed"), "a malformed template is a plain code");
        assert_eq!(message("BrokenX", None), None);
        assert_eq!(message("Other", None), None);
        assert!(entry("A.{x}.B", 400, "").matches("A.中文.B"));
    }

    #[test]
    fn the_entry_listed_with_the_response_status_is_preferred() {
        assert_eq!(message("InvalidName", Some(403)), Some("forbidden"));
        assert_eq!(message("InvalidGroups.g", Some(403)), Some("group 403"));
        assert_eq!(message("InvalidName", Some(500)), Some("first"), "no entry with the status: the first listed");
        assert_eq!(message("InvalidName", None), Some("first"));
    }
}
