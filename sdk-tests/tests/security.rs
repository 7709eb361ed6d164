//! Standard security schemes (`codegen/tests/features/security.yaml`): each generated operation
//! sends the credentials its own requirement names, configured once by scheme name, and none of
//! them shows in `Debug` output or errors.

use feature_snapshots::security::{
    Client, GetAdminRequest, GetDigestRequest, GetFeedRequest, GetHealthRequest, GetMeRequest, GetSessionRequest,
    SearchRequest,
};
use feature_snapshots::{Config, ConfigBuilder, Error, SchemeCredential};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "tok-SECRET-1";
const KEY: &str = "key-SECRET-2";
const PASSWORD: &str = "pw-SECRET-3";

async fn mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn client(server: &MockServer, configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
    Client::new(configure(Config::builder().endpoint(server.uri())).build().unwrap()).unwrap()
}

fn every_credential(builder: ConfigBuilder) -> ConfigBuilder {
    builder
        .security_credential("bearer", SchemeCredential::bearer(TOKEN))
        .security_credential("basic", SchemeCredential::basic("ada", PASSWORD))
        .security_credential("header_key", SchemeCredential::api_key(KEY))
        .security_credential("query_key", SchemeCredential::api_key(KEY))
        .security_credential("cookie_key", SchemeCredential::api_key(KEY))
        .security_credential("oauth", SchemeCredential::bearer(TOKEN))
}

/// What a request carried: (Authorization, X-API-Key, query, Cookie).
type Sent = (Option<String>, Option<String>, Option<String>, Option<String>);

/// The one request the server received.
async fn sent(server: &MockServer) -> Sent {
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request expected");
    let header = |name: &str| requests[0].headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    (header("authorization"), header("x-api-key"), requests[0].url.query().map(str::to_owned), header("cookie"))
}

#[tokio::test]
async fn each_operation_sends_what_its_own_requirement_names() {
    let bearer = Some(format!("Bearer {TOKEN}"));
    let basic = Some(format!("Basic {}", "YWRhOnB3LVNFQ1JFVC0z")); // base64("ada:pw-SECRET-3")
    let cases: Vec<(&str, Sent)> = vec![
        ("get_me (the document's bearer)", (bearer.clone(), None, None, None)),
        ("get_health (security: [])", (None, None, None, None)),
        ("get_admin (basic)", (basic, None, None, None)),
        ("search (header key first)", (None, Some(KEY.into()), None, None)),
        ("get_session (cookie and bearer)", (bearer.clone(), None, None, Some(format!("session={KEY}")))),
        ("get_feed (oauth2 token, preferred to anonymous)", (bearer, None, None, None)),
    ];
    for (index, (what, expected)) in cases.into_iter().enumerate() {
        let server = mock().await;
        let client = client(&server, every_credential);
        let result = match index {
            0 => client.get_me(&GetMeRequest::new()).await.map(drop),
            1 => client.get_health(&GetHealthRequest::new()).await.map(drop),
            2 => client.get_admin(&GetAdminRequest::new()).await.map(drop),
            3 => client.search(&SearchRequest::new()).await.map(drop),
            4 => client.get_session(&GetSessionRequest::new()).await.map(drop),
            _ => client.get_feed(&GetFeedRequest::new()).await.map(drop),
        };
        result.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(sent(&server).await, expected, "{what}");
    }
}

#[tokio::test]
async fn alternatives_are_tried_in_order_of_what_is_configured() {
    // Only the query key: `search`'s second alternative.
    let server = mock().await;
    let query_only = client(&server, |b| b.security_credential("query_key", SchemeCredential::api_key(KEY)));
    query_only.search(&SearchRequest::new()).await.unwrap();
    assert_eq!(sent(&server).await, (None, None, Some(format!("api_key={KEY}")), None));
    // Nothing configured: `get_feed` allows anonymous calls.
    let server = mock().await;
    client(&server, |b| b).get_feed(&GetFeedRequest::new()).await.unwrap();
    assert_eq!(sent(&server).await, (None, None, None, None));
    // A scheme the client cannot send (digest) leaves the operation without a requirement.
    let server = mock().await;
    client(&server, every_credential).get_digest(&GetDigestRequest::new()).await.unwrap();
    assert_eq!(sent(&server).await, (None, None, None, None));
}

#[tokio::test]
async fn a_requirement_nothing_configured_meets_is_an_error_before_sending() {
    let server = mock().await;
    let with_key = client(&server, |b| b.security_credential("header_key", SchemeCredential::api_key(KEY)));
    let err = with_key.get_session(&GetSessionRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("\"cookie_key\" and \"bearer\"") && text.contains("security_credential"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());
    // The wrong kind of credential for a scheme is a configuration error too.
    let wrong_kind = client(&server, |b| b.security_credential("basic", SchemeCredential::bearer(TOKEN)));
    let err = wrong_kind.get_admin(&GetAdminRequest::new()).await.unwrap_err();
    assert!(err.to_string().contains("user name and password"), "{err}");
}

#[test]
fn credentials_are_redacted_in_debug_output() {
    let config = every_credential(Config::builder().endpoint("http://127.0.0.1:1")).build().unwrap();
    let shown = format!("{config:?} {:?}", SchemeCredential::basic("ada", PASSWORD));
    for secret in [TOKEN, KEY, PASSWORD] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("header_key") && shown.contains("ada") && shown.contains("***"), "{shown}");
}
