//! Every signing vector the official SDKs produced (`../shared/fixtures/`) reproduces exactly.
//!
//! The fixtures folder comes from `CLOUDSPEC_FIXTURES` when set, else `../shared/fixtures` beside
//! the repository. Every entry of every file is checked; a new vector in the same format is
//! picked up without a code change.

use cloudspec_runtime::credentials::{AliyunAccessKey, HuaweiAkSk};
use cloudspec_runtime::signing::{aliyun, huawei, QueryValue, RequestToSign};
use cloudspec_runtime::wire_json::{self, JsonStyle};
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::pycall::{parse_call, PyArg, PyCall};

mod support;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    match std::env::var_os("CLOUDSPEC_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"),
    }
}

fn read(relative: &str) -> Value {
    let path = fixtures().join(relative);
    let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&contents).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A vector's query value with the Python type it had: text, integer, boolean or list.
fn query_value(value: &Value, id: &str) -> QueryValue {
    match value {
        Value::String(s) => QueryValue::Text(s.clone()),
        Value::Bool(b) => QueryValue::Bool(*b),
        Value::Number(n) => {
            QueryValue::Int(n.as_i64().unwrap_or_else(|| panic!("{id}: query value {n} is not a 64-bit integer")))
        }
        Value::Array(items) => QueryValue::List(items.iter().map(|item| query_value(item, id)).collect()),
        other => panic!("{id}: query value {other} has no Python counterpart the SDK accepts"),
    }
}

fn huawei_query(query: &Value, id: &str) -> Vec<(String, QueryValue)> {
    let pairs = query.as_array().unwrap_or_else(|| panic!("{id}: query is not a list of pairs"));
    pairs
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([key, value]) => (text(key), query_value(value, id)),
            _ => panic!("{id}: query pair {pair} is not [key, value]"),
        })
        .collect()
}

fn headers(value: &Value) -> Vec<(String, String)> {
    value.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), text(v))).collect()
}

/// Headers as a `RequestToSign` takes them.
fn borrowed(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The SDK's `headers_out` shows non-ASCII values as the latin-1 reading of their UTF-8 bytes.
fn as_latin1_text(value: &str) -> String {
    value.as_bytes().iter().map(|&b| char::from(b)).collect()
}

#[test]
fn huawei_sdk_hmac_sha256_vectors() {
    let file = read("huaweicloud/signing-vectors.json");
    let vectors = file["vectors"].as_array().expect("vectors[]");
    assert!(!vectors.is_empty());
    for v in vectors {
        let id = v["id"].as_str().unwrap_or("?");
        let body = text(&v["body"]).into_bytes();
        assert_eq!(
            hex::encode(Sha256::digest(&body)),
            text(&v["body_sha256_hex"]),
            "{id}: body_sha256_hex is the SHA-256 of body"
        );
        let (method, host, path) = (text(&v["method"]), text(&v["host"]), text(&v["path"]));
        let (query, headers_in) = (huawei_query(&v["query"], id), headers(&v["headers_in"]));
        let request = RequestToSign {
            method: &method,
            host: &host,
            path: &path,
            query: &query,
            headers: borrowed(&headers_in),
            body: &body,
        };
        // Every vector pins X-Sdk-Date in its headers; the time given here is never used.
        let unused_time = time::OffsetDateTime::UNIX_EPOCH;
        // The signed request borrows the key's token (`X-Security-Token`), so it outlives the match.
        let mut key = HuaweiAkSk::new(text(&v["ak"]), text(&v["sk"]));
        if let Some(token) = v["security_token"].as_str() {
            key = key.with_security_token(token);
        }
        let signed = match v["mode"].as_str() {
            Some("basic_credentials") => {
                huawei::sign_with_credentials(request, &key, v["project_id"].as_str(), unused_time)
            }
            Some("signer") => huawei::sign(request, &key.ak, &key.sk, unused_time),
            other => panic!("{id}: unknown mode {other:?} (expected \"signer\" or \"basic_credentials\")"),
        };
        let signed = signed.unwrap_or_else(|e| panic!("{id}: {e}"));
        let result = &v["result"];
        assert_eq!(signed.canonical_request, text(&result["canonical_request"]), "{id}: canonical request");
        assert_eq!(signed.string_to_sign, text(&result["string_to_sign"]), "{id}: string to sign");
        assert_eq!(signed.signature, text(&result["signature"]), "{id}: signature");
        assert_eq!(
            signed.header("Authorization"),
            Some(text(&result["authorization"]).as_str()),
            "{id}: Authorization"
        );
        assert_eq!(signed.header("X-Sdk-Date"), Some(text(&result["x_sdk_date"]).as_str()), "{id}: X-Sdk-Date");
        let signed_headers = signed.canonical_request.lines().rev().nth(1).unwrap_or_default();
        assert_eq!(signed_headers, text(&result["signed_headers"]), "{id}: signed headers");
        assert_eq!(signed.path_and_query, text(&result["wire_uri"]), "{id}: wire URI");
        let ours: Vec<(String, String)> =
            signed.headers.iter().map(|(k, v)| (k.to_string(), as_latin1_text(v))).collect();
        assert_eq!(ours, headers(&result["headers_out"]), "{id}: headers out, in order");
        // The payload hash is the body's unless the SDK declared an unsigned payload.
        let payload_hash = signed.canonical_request.lines().last().unwrap_or_default();
        if signed.header("X-Sdk-Content-Sha256").is_none() {
            assert_eq!(payload_hash, text(&v["body_sha256_hex"]), "{id}: payload hash");
        }
    }
}

/// What the official SDK's `ClusterDescription` model does to a description before dumping it
/// (signing.md §6, wire-capture.json): a notification topic gets `UserData` and `UserTemplate`
/// (`""`), an empty group `InstanceType` and the OSS `AccessSecurityToken` (not a model
/// attribute) are dropped, and `DependencyIsvService` (`""`) comes last.
fn sdk_cluster_description(mut desc: Value) -> Value {
    if let Some(topic) = desc.pointer_mut("/Notification/Topic").and_then(Value::as_object_mut) {
        for field in ["UserData", "UserTemplate"] {
            topic.entry(field).or_insert_with(|| Value::String(String::new()));
        }
    }
    if let Some(groups) = desc.get_mut("Groups").and_then(Value::as_object_mut) {
        for group in groups.values_mut().filter_map(Value::as_object_mut) {
            if group.get("InstanceType") == Some(&Value::String(String::new())) {
                group.shift_remove("InstanceType");
            }
        }
    }
    if let Some(oss) = desc.pointer_mut("/Configs/Mounts/OSS").and_then(Value::as_object_mut) {
        oss.shift_remove("AccessSecurityToken");
    }
    if let Some(object) = desc.as_object_mut() {
        object.entry("DependencyIsvService").or_insert_with(|| Value::String(String::new()));
    }
    desc
}

fn query_value_of(arg: &PyArg) -> QueryValue {
    match arg {
        PyArg::Text(t) => QueryValue::Text(t.clone()),
        PyArg::Int(n) => QueryValue::Int(*n),
        PyArg::Placeholder(p) => panic!("{p} cannot be a query value"),
    }
}

/// The request one official SDK method builds (signing.md §2 and §6): method, path, raw query
/// pairs and body. An SDK method this table does not know fails the test by name.
fn batchcompute_request(
    call: &PyCall,
    call_args: &Value,
    name: &str,
) -> (String, String, Vec<(String, QueryValue)>, Vec<u8>) {
    let arg = |i: usize| call.args.get(i).unwrap_or_else(|| panic!("{name}: {} needs argument {i}", call.method));
    let get = |path: String, query: Vec<(String, QueryValue)>| ("GET".to_owned(), path, query, Vec::new());
    let page = |marker: usize, count: usize| {
        vec![
            ("Marker".to_owned(), query_value_of(arg(marker))),
            ("MaxItemCount".to_owned(), query_value_of(arg(count))),
        ]
    };
    match call.method.as_str() {
        "create_cluster" => {
            let desc = match arg(0) {
                PyArg::Placeholder(_) => call_args["cluster_desc"].clone(),
                other => panic!("{name}: create_cluster body {other:?} is not a description"),
            };
            let body = wire_json::to_vec(&sdk_cluster_description(desc), JsonStyle::PythonIndent4).unwrap();
            let token = call.arg("token", 1).map(PyArg::text).unwrap_or_default();
            let query = if token.is_empty() { Vec::new() } else { vec![("IdempotentToken".to_owned(), QueryValue::Text(token))] };
            ("POST".to_owned(), "/clusters".to_owned(), query, body)
        }
        "get_cluster" => get(format!("/clusters/{}", arg(0).text()), Vec::new()),
        "delete_cluster" => ("DELETE".to_owned(), format!("/clusters/{}", arg(0).text()), Vec::new(), Vec::new()),
        "list_clusters" => get("/clusters".to_owned(), page(0, 1)),
        "list_cluster_instances" => get(format!("/clusters/{}/groups/{}/instances", arg(0).text(), arg(1).text()), page(2, 3)),
        "change_cluster_desired_vm_count" => {
            let groups: serde_json::Map<String, Value> = call
                .kwargs
                .iter()
                .map(|(group, count)| match count {
                    PyArg::Int(n) => (group.clone(), serde_json::json!({ "DesiredVMCount": n })),
                    other => panic!("{name}: desired count {other:?} is not an integer"),
                })
                .collect();
            let body = wire_json::to_vec(&serde_json::json!({ "Groups": groups }), JsonStyle::PythonDumps).unwrap();
            ("PUT".to_owned(), format!("/clusters/{}", arg(0).text()), Vec::new(), body)
        }
        "stop_job" => ("POST".to_owned(), format!("/jobs/{}/stop", arg(0).text()), Vec::new(), Vec::new()),
        other => panic!("{name}: the official SDK's `{other}` is not mapped to a request in this test: add it to batchcompute_request"),
    }
}

#[test]
fn aliyun_acs_hmac_sha1_vectors() {
    let file = read("aliyun-batchcompute/signing-vectors.json");
    let api_version = file["sdk"]["api_version_header"].as_str().expect("sdk.api_version_header");
    let cases = file["cases"].as_array().expect("cases[]");
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let (input, output) = (&case["input"], &case["output"]);
        let call = parse_call(input["sdk_call"].as_str().unwrap_or_else(|| panic!("{name}: no sdk_call")));
        let (method, path, query, body) = batchcompute_request(&call, &input["sdk_call_args"], name);
        let host = text(&input["endpoint_host"]);
        let headers_in = headers(&input["user_defined_headers"]);
        let request = RequestToSign {
            method: &method,
            host: &host,
            path: &path,
            query: &query,
            headers: borrowed(&headers_in),
            body: &body,
        };
        let body_sent = request.body.to_vec();
        let date = time::OffsetDateTime::parse(&text(&input["date"]), &time::format_description::well_known::Rfc2822)
            .unwrap_or_else(|e| panic!("{name}: date: {e}"));
        // The region the runtime finds for the host, as the SDK's reverse lookup does.
        let region = aliyun::region_id(None, &host).unwrap_or_else(|e| panic!("{name}: {e}"));
        let token = text(&input["security_token"]);
        let mut key = AliyunAccessKey::new(text(&input["access_key_id"]), text(&input["access_key_secret"]));
        if !token.is_empty() {
            key = key.with_security_token(token);
        }
        let nonce = text(&input["signature_nonce"]);
        let signed = aliyun::sign_with_credentials(request, &key, &region, api_version, date, &nonce);

        assert_eq!(signed.path_and_query, text(&output["request_target"]), "{name}: request target");
        let (path, query) = signed.path_and_query.split_once('?').unwrap_or((signed.path_and_query.as_str(), ""));
        assert_eq!(path, text(&output["path"]), "{name}: path");
        assert_eq!(query, text(&output["query"]), "{name}: query");
        assert_eq!(host, text(&output["connect"]["host"]), "{name}: host");
        assert_eq!(signed.string_to_sign, text(&output["string_to_sign"]), "{name}: string to sign");
        assert_eq!(signed.signature, text(&output["signature"]), "{name}: signature");
        assert_eq!(
            signed.header("Authorization"),
            Some(text(&output["authorization"]).as_str()),
            "{name}: Authorization"
        );
        let sdk_headers: Vec<(String, String)> = output["headers"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: output.headers"))
            .iter()
            .map(|h| (text(&h[0]), text(&h[1])))
            .collect();
        assert_eq!(String::from_utf8(body_sent.clone()).unwrap(), text(&output["body"]), "{name}: body");
        let ours: Vec<(String, String)> = signed.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(ours, sdk_headers, "{name}: every header, in the SDK's order");
        assert_eq!(body_sent.len() as u64, output["body_utf8_len"].as_u64().unwrap_or(u64::MAX), "{name}: body length");
    }
}

#[test]
fn signed_requests_never_print_secrets() {
    let request = RequestToSign { method: "GET", host: "h", path: "/", query: &[], headers: Vec::new(), body: &[] };
    let key = HuaweiAkSk::new("AK", "sk-SECRET").with_security_token("tok-SECRET");
    let signed = huawei::sign_with_credentials(request, &key, Some("p"), time::OffsetDateTime::UNIX_EPOCH).unwrap();
    let debug = format!("{signed:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
    assert!(!debug.contains(&signed.signature), "the signature must not be printed: {debug}");
}
