//! What a client over a mock signs with when its configuration gives no credentials: fixed
//! placeholder keys, never the default chains (which would read the test machine's environment
//! and profile files). Requests are still signed, so the signing code runs in every test. The
//! same goes for the security schemes of a spec without `x-signing`: one with no credential
//! configured sends a placeholder.

use crate::credentials::{Credentials, CredentialsCache, ProvideCredentials, ProvidedCredentials, ProviderFuture};
use crate::security::{SchemeCredential, SchemeKind};
use crate::service::SigningScheme;

/// The access key id (Huawei Cloud AK, Alibaba Cloud AccessKey id) a client over a mock signs
/// with when the configuration gives no credentials.
pub const ACCESS_KEY_ID: &str = "mock-access-key-id";

/// The secret (Huawei Cloud SK, Alibaba Cloud AccessKey secret) that goes with [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "mock-secret-access-key";

/// The token (bearer, OAuth 2, OpenID Connect) or API key a security scheme sends over a mock
/// when the configuration gives it none (a `basic` scheme sends [`ACCESS_KEY_ID`] and
/// [`SECRET_ACCESS_KEY`] as user name and password).
pub const TOKEN: &str = "mock-token";

/// The Huawei Cloud project id that comes with the placeholder credentials: the one calls use
/// when neither the request nor the configuration gives one (instead of asking IAM).
pub const PROJECT_ID: &str = "mock-project-id";

/// The placeholder credentials of `scheme`'s provider, with [`PROJECT_ID`].
#[derive(Debug)]
struct Placeholder(ProvidedCredentials);

impl ProvideCredentials for Placeholder {
    fn name(&self) -> &str {
        "mock placeholder"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// The credentials calls to a service signed with `scheme` use over a mock configured without any.
pub(crate) fn placeholder(scheme: SigningScheme) -> CredentialsCache {
    let credentials = match scheme {
        SigningScheme::AliyunAcsHmacSha1 => Credentials::aliyun(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
        // A service without a signing scheme asks for none (see `Client::needs_credentials`).
        _ => Credentials::huawei_aksk(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
    };
    let provided = ProvidedCredentials::new(credentials).with_project_id(Some(PROJECT_ID.to_owned()));
    CredentialsCache::new(Placeholder(provided))
}

/// The credential a security scheme of `kind` sends over a mock configured without one.
pub(crate) fn placeholder_scheme_credential(kind: SchemeKind) -> SchemeCredential {
    match kind {
        SchemeKind::Basic => SchemeCredential::basic(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
        _ => SchemeCredential::bearer(TOKEN),
    }
}
