//! The `Accept` header a request carries (`OperationRequest::accept`): added after signing.

use super::*;
use crate::credentials::Credentials;
use crate::service::SigningScheme;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "cdm",
    endpoint_template: None,
    signing: SigningScheme::HuaweiSdkHmacSha256,
    api_version: "v1.1",
    error_codes: &[],
    regions: &[],
};

#[test]
fn accept_is_sent_unsigned_unless_a_header_sets_it() {
    let client =
        Client::new(Config::builder().endpoint("http://127.0.0.1:1").project_id("p").build().unwrap(), &SERVICE)
            .unwrap();
    let credentials = ProvidedCredentials::new(Credentials::huawei_aksk("ak", "sk"));
    let sent = |request: &OperationRequest| {
        let body = auth::encode_body(&SERVICE, request).unwrap();
        client.http_request(request, &body, Some(&credentials)).unwrap()
    };
    let mut request = OperationRequest::new("Op", reqwest::Method::GET, "/x".to_owned());
    request.accept("application/json, text/csv");
    let http = sent(&request);
    assert_eq!(http.headers()["accept"], "application/json, text/csv");
    // As the official SDK's transport adds its own: not among the signed headers.
    let authorization = http.headers()["authorization"].to_str().unwrap();
    assert!(authorization.contains("SignedHeaders=") && !authorization.contains("accept"), "{authorization}");
    request.header("Accept", "text/csv".to_owned());
    assert_eq!(sent(&request).headers()["accept"], "text/csv", "the caller's header wins");
}
