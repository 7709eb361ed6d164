//! The security feature spec (`codegen/tests/features/security.yaml`) against Prism: Prism refuses
//! each operation without the credentials its requirement names (so it really checks them), and
//! the generated client, with credentials configured by scheme name, meets every requirement:
//! bearer, basic, API keys in a header, the query and a cookie, OAuth 2 as a bearer token.

use super::*;
use feature_snapshots::security::{
    Client, GetAdminRequest, GetDigestRequest, GetFeedRequest, GetHealthRequest, GetMeRequest, GetSessionRequest,
    SearchRequest,
};
use feature_snapshots::{Config, SchemeCredential};

const SPEC: &str = "codegen/tests/features/security.yaml";

fn client(
    prism: &Prism,
    configure: impl FnOnce(feature_snapshots::ConfigBuilder) -> feature_snapshots::ConfigBuilder,
) -> Client {
    let builder = Config::builder().endpoint(&prism.url).retry(feature_snapshots::RetryPolicy::disabled());
    Client::new(configure(builder).build().unwrap()).unwrap()
}

/// What Prism says when a request does not meet the operation's security requirement: in its
/// `sl-violations` header (when the spec has a 401 response) or its own problem body (otherwise).
const SECURITY_CHECK: &str = "Invalid security scheme used";

#[tokio::test(flavor = "multi_thread")]
async fn prism_refuses_calls_without_the_required_credentials() {
    let prism = Prism::start_path(Path::new(SPEC));
    let http = reqwest::Client::new();
    // The status, and whether Prism's security check is what answered.
    let call = |path: &'static str, headers: &'static [(&'static str, &'static str)]| {
        let mut request = http.get(format!("{}{path}", prism.url));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let header = response.headers().get("sl-violations").map(|v| v.to_str().unwrap_or_default().to_owned());
            let body = response.text().await.unwrap();
            (status, header.unwrap_or_default().contains(SECURITY_CHECK) || body.contains(SECURITY_CHECK))
        }
    };
    // Nothing sent, the wrong scheme, a basic credential that is not base64, half of an AND requirement.
    let refused: [(&str, &[(&str, &str)]); 8] = [
        ("/me", &[]),
        ("/admin", &[]),
        ("/search", &[]),
        ("/session", &[]),
        ("/digest", &[]),
        ("/me", &[("Authorization", "Basic YWRhOnB3")]),
        ("/admin", &[("Authorization", "Basic not-base64")]),
        ("/session", &[("Authorization", "Bearer t")]),
    ];
    for (path, headers) in refused {
        assert_eq!(call(path, headers).await, (401, true), "{path} with {headers:?}");
    }
    // What the requirement names, or no requirement: accepted.
    let accepted: [(&str, &[(&str, &str)]); 6] = [
        ("/health", &[]),
        ("/feed", &[]),
        ("/me", &[("Authorization", "Bearer t")]),
        ("/admin", &[("Authorization", "Basic YWRhOnB3")]),
        ("/search", &[("X-API-Key", "k")]),
        ("/session", &[("Authorization", "Bearer t"), ("Cookie", "session=k")]),
    ];
    for (path, headers) in accepted {
        assert_eq!(call(path, headers).await, (204, false), "{path} with {headers:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_generated_client_meets_every_requirement_prism_checks() {
    let prism = Prism::start_path(Path::new(SPEC));
    let every = client(&prism, |builder| {
        builder
            .security_credential("bearer", SchemeCredential::bearer("contract-token"))
            .security_credential("basic", SchemeCredential::basic("ada", "contract-password"))
            .security_credential("header_key", SchemeCredential::api_key("contract-key"))
            .security_credential("query_key", SchemeCredential::api_key("contract-key"))
            .security_credential("cookie_key", SchemeCredential::api_key("contract-key"))
            .security_credential("oauth", SchemeCredential::bearer("contract-token"))
    });
    let (me, health, admin) = (GetMeRequest::new(), GetHealthRequest::new(), GetAdminRequest::new());
    let (search, session, feed) = (SearchRequest::new(), GetSessionRequest::new(), GetFeedRequest::new());
    run_checked(&prism, "get_me (bearer)", || every.get_me(&me)).await;
    run_checked(&prism, "get_health (none)", || every.get_health(&health)).await;
    run_checked(&prism, "get_admin (basic)", || every.get_admin(&admin)).await;
    run_checked(&prism, "search (header key)", || every.search(&search)).await;
    run_checked(&prism, "get_session (cookie key and bearer)", || every.get_session(&session)).await;
    run_checked(&prism, "get_feed (oauth2 token)", || every.get_feed(&feed)).await;
    // `search`'s second alternative, an API key in the query.
    let query_key = client(&prism, |b| b.security_credential("query_key", SchemeCredential::api_key("contract-key")));
    run_checked(&prism, "search (query key)", || query_key.search(&search)).await;
    // HTTP digest is a scheme the client cannot send: the request goes without, and Prism refuses it.
    match every.get_digest(&GetDigestRequest::new()).await {
        Err(feature_snapshots::Error::Service(e)) => assert_eq!(e.status, 401, "{e}"),
        other => panic!("get_digest: Prism should refuse a request without digest credentials: {other:?}"),
    }
}
