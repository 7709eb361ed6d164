//! A fake Alibaba Cloud STS on loopback, for the tests of the providers that assume a RAM role:
//! it checks `AssumeRole` signatures as STS does and `AssumeRoleWithOIDC` parameters, and
//! answers with numbered temporary credentials; and a fake Alibaba Cloud service the calls signed
//! with them go to.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use cloudspec_runtime::credentials::Environment;
use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::signing::aliyun_rpc;
use cloudspec_runtime::{ServiceInfo, SigningScheme};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const SOURCE_ID: &str = "LTAI-SOURCE";
pub const SOURCE_SECRET: &str = "source-SECRET";
pub const ROLE: &str = "acs:ram::1234567890123456:role/batch-runner";
pub const OIDC_PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";

/// STS as far as `AssumeRole` and `AssumeRoleWithOIDC` go. `AssumeRole` must be signed with the
/// secret of its `AccessKeyId`: `SOURCE_SECRET` for `SOURCE_ID`, or `tmp-secret-<n>` (with
/// `SecurityToken` `tmp-token-<n>`) for the credentials `STS.tmp-<n>` it gave. `AssumeRoleWithOIDC`
/// must be unsigned, for `OIDC_PROVIDER`, with a token starting `eyJ` (a JWT); a refused token is
/// quoted in the message, as STS may do. The n-th valid request gets `STS.tmp-<n>`, expiring
/// `lifetimes[n]` seconds later (to the second, as STS writes it; the last one for any after).
pub struct FakeSts {
    pub calls: Arc<AtomicUsize>,
    pub lifetimes: Vec<i64>,
}

fn refusal(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(serde_json::json!({"RequestId": "REQ-1", "Code": code, "Message": message}))
}

/// Why STS refuses an `AssumeRole`, if it does.
fn assume_role_refusal(query: &[(String, String)]) -> Option<ResponseTemplate> {
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let id = get("AccessKeyId").unwrap_or_default();
    let secret = match id.strip_prefix("STS.tmp-") {
        _ if id == SOURCE_ID => SOURCE_SECRET.to_owned(),
        Some(n) if get("SecurityToken") == Some(format!("tmp-token-{n}").as_str()) => format!("tmp-secret-{n}"),
        _ => return Some(refusal("InvalidAccessKeyId.NotFound", "Specified access key is not found.")),
    };
    let signed: Vec<(&str, &str)> =
        query.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if get("Signature") != Some(aliyun_rpc::signature("GET", &signed, &secret).as_str()) {
        let message = "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&...";
        return Some(refusal("SignatureDoesNotMatch", message));
    }
    None
}

/// Why STS refuses an `AssumeRoleWithOIDC`, if it does.
fn oidc_refusal(query: &[(String, String)]) -> Option<ResponseTemplate> {
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if get("Signature").is_some() || get("AccessKeyId").is_some() {
        return Some(refusal("InvalidParameter", "AssumeRoleWithOIDC is not signed"));
    }
    if get("OIDCProviderArn") != Some(OIDC_PROVIDER) {
        return Some(refusal("EntityNotExist.OIDCProvider", "The OIDC provider does not exist."));
    }
    match get("OIDCToken") {
        Some(token) if token.starts_with("eyJ") => None,
        token => Some(refusal("InvalidParameter.OIDCToken", &format!("Illegal OIDC token: {}", token.unwrap_or("")))),
    }
}

impl Respond for FakeSts {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let action = query.iter().find(|(k, _)| k == "Action").map(|(_, v)| v.as_str());
        let refused = match action {
            Some("AssumeRole") => assume_role_refusal(&query),
            Some("AssumeRoleWithOIDC") => oidc_refusal(&query),
            _ => Some(refusal("InvalidAction.NotFound", "Specified api is not found")),
        };
        if let Some(refused) = refused {
            return refused;
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = self.lifetimes[(n - 1).min(self.lifetimes.len() - 1)];
        let expiration = (time::OffsetDateTime::now_utc() + time::Duration::seconds(lifetime))
            .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
            .unwrap();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"RequestId": "REQ", "Credentials": {
            "AccessKeyId": format!("STS.tmp-{n}"), "AccessKeySecret": format!("tmp-secret-{n}"),
            "SecurityToken": format!("tmp-token-{n}"), "Expiration": expiration}}))
    }
}

/// The fake STS and its count of credentials given.
pub async fn fake_sts(lifetimes: Vec<i64>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET")).respond_with(FakeSts { calls: calls.clone(), lifetimes }).mount(&server).await;
    (server, calls)
}

/// The query of each request STS received, in order.
pub async fn queries(sts: &MockServer) -> Vec<HashMap<String, String>> {
    let received = sts.received_requests().await.unwrap();
    received.iter().map(|r| r.url.query_pairs().into_owned().collect()).collect()
}

pub async fn query_of_last_request(sts: &MockServer) -> HashMap<String, String> {
    queries(sts).await.pop().unwrap()
}

pub fn environment(vars: &[(&str, &str)]) -> Environment {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Environment::from_map(vars)
}

/// A fresh home directory holding `text` at `file`.
pub fn temp_home(file: &str, text: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("cloudspec-sts-{}", uuid::Uuid::new_v4()));
    let path = home.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    home
}

/// A service signed as Alibaba Cloud's ROA services are, called through a client.
pub static BATCH: ServiceInfo = ServiceInfo::new("batchcompute", SigningScheme::AliyunAcsHmacSha1, "2015-11-11");

/// A call to [`BATCH`].
pub fn get() -> OperationRequest {
    OperationRequest::new("ListJobs", Method::GET, "/jobs".to_owned())
}

/// [`BATCH`] on loopback, answering every `GET` with `{}`.
pub async fn batch_service() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    server
}
