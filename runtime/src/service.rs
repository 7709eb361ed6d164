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
pub struct ErrorCode {
    /// The code as the service returns it (`APIC.7211`).
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

/// A service as the generated code describes it.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The module name (`cdm`).
    pub name: &'static str,
    /// The endpoint template from the spec's `servers` (`https://cdm.{region}.myhuaweicloud.com`).
    pub endpoint_template: Option<&'static str>,
    /// The `region` variable's default in the spec.
    pub default_region: Option<&'static str>,
    pub signing: SigningScheme,
    /// The API version (`info.version`); BatchCompute sends it as `x-acs-version`.
    pub api_version: &'static str,
    /// The published error codes.
    pub error_codes: &'static [ErrorCode],
}

impl ServiceInfo {
    /// The documented entry for an error code, if the catalogue has one.
    pub fn error_code(&self, code: &str) -> Option<&'static ErrorCode> {
        self.error_codes.iter().find(|e| e.code == code)
    }
}
