//! BatchCompute captures matched on the wire, and the region taken from the endpoint host.

use super::*;

/// The JSON members (by pointer) whose values differ between `a` and `b`.
fn differing_members(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                differing_members(
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                    format!("{at}/{key}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differing_members(p, q, format!("{at}/{i}"), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

#[tokio::test]
async fn batchcompute_requests_match_the_official_sdk_on_the_wire() {
    let file = read("aliyun-batchcompute/wire-capture.json");
    // The inputs: the SDK call, the body given to it, the region registered for the endpoint.
    let call = pycall::parse_call(file["sdk_call"].as_str().expect("sdk_call"));
    assert_eq!(call.method, "create_cluster", "only CreateCluster is captured; a new call needs mapping here");
    let given = file
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.ends_with("_request_body_as_given"))
        .map(|(_, v)| v.clone())
        .expect("the body as given");
    let body: cloudspec::batchcompute::ClusterDescription = serde_json::from_value(given.clone()).unwrap();
    let token = call.arg("token", 1).map(pycall::PyArg::text).unwrap_or_default();
    let setup = pycall::parse_call(
        file["client_setup"].as_str().unwrap().split(';').next().unwrap().replace("Client.", "client.").as_str(),
    );
    let region = setup.arg("name", 0).map(pycall::PyArg::text).expect("register_region(name, ..)");
    let exchanges = file["exchanges"].as_array().expect("exchanges[]");
    assert!(!exchanges.is_empty());
    for exchange in exchanges {
        let name = exchange["exchange"].as_str().unwrap();
        let wire = &exchange["request"];
        let theirs = pairs(&wire["headers"]);
        let result = &exchange["sdk_result"];
        let server = MockServer::start().await;
        let status = result.get("StatusCode").or(result.get("status")).and_then(Value::as_u64).unwrap() as u16;
        let reply_body = match result.get("server_body").and_then(Value::as_str) {
            Some(text) => text.to_owned(),
            None => result["content"].to_string(),
        };
        let mut template = ResponseTemplate::new(status).set_body_raw(reply_body.clone(), "application/json");
        let request_id = result.get("RequestId").or(result.get("request_id")).and_then(Value::as_str);
        if let Some(id) = request_id {
            template = template.insert_header("x-acs-request-id", id);
        }
        if let Some(date) = result.get("Date").and_then(Value::as_str) {
            template = template.insert_header("Date", date);
        }
        Mock::given(any()).respond_with(template).mount(&server).await;
        // The SDK's time and nonce were its own; pinned to the capture's.
        let date = time::OffsetDateTime::parse(
            header(&theirs, "Date").unwrap(),
            &time::format_description::well_known::Rfc2822,
        )
        .unwrap();
        let config = Config::builder()
            .endpoint(server.uri())
            .region(&region)
            .credentials(Credentials::aliyun("LTAI4FexampleAccessKeyId", "ExampleAccessKeySecret0123456789"))
            .user_agent(cloudspec_runtime::signing::aliyun::SDK_USER_AGENT)
            .pinned_signing_time(date)
            .pinned_signing_nonce(header(&theirs, "x-acs-signature-nonce").unwrap())
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap();
        let mut request = cloudspec::batchcompute::CreateClusterRequest::new(body.clone());
        if !token.is_empty() {
            request = request.with_idempotent_token(token.clone());
        }
        let got = cloudspec::batchcompute::Client::new(config).unwrap().create_cluster(&request).await;

        let received = server.received_requests().await.unwrap();
        let sent = received.first().unwrap_or_else(|| panic!("{name}: nothing was sent"));
        let ours = received_headers(sent);
        assert_eq!(sent.method.as_str(), wire["method"].as_str().unwrap(), "{name}: method");
        assert_eq!(target(sent), wire["target"].as_str().unwrap(), "{name}: path and query");
        assert_eq!(sent.url.query().unwrap_or_default(), wire["query"].as_str().unwrap_or_default(), "{name}: query");
        // Every header the SDK sets (all but http.client's Host, Accept-Encoding and the
        // body-dependent contentMd5/Content-Length, checked below), same values; signed ones
        // included, so the Authorization is the SDK's.
        for (h, value) in &theirs {
            if ["host", "accept-encoding", "contentmd5", "content-length"].contains(&h.to_ascii_lowercase().as_str()) {
                continue;
            }
            assert_eq!(header(&ours, h), Some(value.as_str()), "{name}: header {h}");
        }
        let ours_body: Value = serde_json::from_slice(&sent.body).unwrap();
        assert_eq!(ours_body, given, "{name}: we send the description as given");
        let theirs_body: Value = serde_json::from_str(wire["body"].as_str().unwrap()).unwrap();
        let mut differing = Vec::new();
        differing_members(&ours_body, &theirs_body, String::new(), &mut differing);
        differing.sort();
        assert_eq!(
            differing,
            [
                "/Configs/Mounts/OSS/AccessSecurityToken",
                "/DependencyIsvService",
                "/Groups/group1/InstanceType",
                "/Notification/Topic/UserData",
                "/Notification/Topic/UserTemplate"
            ],
            "{name}: the body differs from the official SDK's only where its model completes the description"
        );
        // Same layout as the SDK's (`json.dumps(indent=4)`), and the MD5 header of what we sent.
        assert_eq!(
            sent.body,
            cloudspec_runtime::wire_json::to_vec(&ours_body, cloudspec_runtime::wire_json::JsonStyle::PythonIndent4)
                .unwrap(),
            "{name}: indent=4 layout"
        );
        assert!(header(&ours, "contentMd5").is_some_and(|md5| md5.len() == 32), "{name}: contentMd5");
        match got {
            Ok(created) => {
                assert_eq!(u64::from(status), result["StatusCode"].as_u64().unwrap(), "{name}: status");
                assert_eq!(created.id.as_deref(), result["Id"].as_str(), "{name}: Id");
                assert_eq!(serde_json::to_value(&*created).unwrap(), result["content"], "{name}: decoded body");
            }
            Err(Error::Service(e)) => {
                assert_eq!(u64::from(e.status), result["status"].as_u64().unwrap(), "{name}: status");
                assert_eq!(
                    e.request_id.as_deref(),
                    result["request_id"].as_str(),
                    "{name}: request id from x-acs-request-id"
                );
                if result["code"].as_str().is_some_and(|c| c.starts_with("Json Error")) {
                    // The official SDK invents a code for a non-JSON page; we keep none, and the page.
                    assert_eq!(e.code, None, "{name}");
                    assert_eq!(e.body, reply_body, "{name}");
                } else {
                    assert_eq!(e.code.as_deref(), result["code"].as_str(), "{name}: code");
                    assert_eq!(e.message.as_deref(), result["msg"].as_str(), "{name}: message");
                    // The code is in the spec's published catalogue, with its status.
                    let documented =
                        e.documented.unwrap_or_else(|| panic!("{name}: {:?} is not in the catalogue", e.code));
                    assert_eq!((documented.code, documented.status), (e.code(), Some(e.status)), "{name}");
                    assert_eq!(cloudspec::batchcompute::error_codes::lookup(e.code()), Some(documented));
                }
            }
            Err(other) => panic!("{name}: {other:?}"),
        }
    }
}

/// The `x-acs-region-id` one CreateCluster sends with `endpoint` and `region` configured (the
/// endpoint's host is resolved to a local server, so the real host name reaches the signer).
async fn batchcompute_region_sent(host: &str, region: Option<&str>) -> Result<String, Error> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"Id": "cls-1"})))
        .mount(&server)
        .await;
    let local = *server.address();
    let http = reqwest::Client::builder().resolve(host, local).build().unwrap();
    let mut config = Config::builder()
        .endpoint(format!("http://{host}:{}", local.port()))
        .credentials(Credentials::aliyun("id", "secret"))
        .http_client(http)
        .retry(RetryPolicy::disabled());
    if let Some(region) = region {
        config = config.region(region);
    }
    let body: cloudspec::batchcompute::ClusterDescription = serde_json::from_value(serde_json::json!({
        "Name": "n", "ImageId": "m-1", "InstanceType": "t", "Groups": {"g": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}
    }))
    .unwrap();
    let request = cloudspec::batchcompute::CreateClusterRequest::new(body);
    cloudspec::batchcompute::Client::new(config.build().unwrap()).unwrap().create_cluster(&request).await?;
    let received = server.received_requests().await.unwrap();
    Ok(header(&received_headers(&received[0]), "x-acs-region-id").unwrap_or_default().to_owned())
}

#[tokio::test]
async fn batchcompute_region_comes_from_the_endpoint_host_unless_configured() {
    // The SDK's reverse lookup of its endpoint table.
    assert_eq!(batchcompute_region_sent("batchcompute.cn-beijing.aliyuncs.com", None).await.unwrap(), "cn-beijing");
    assert_eq!(batchcompute_region_sent("batchcompute.us-west-1.aliyuncs.com", None).await.unwrap(), "us-west-1");
    // An explicit region wins.
    assert_eq!(
        batchcompute_region_sent("batchcompute.cn-beijing.aliyuncs.com", Some("cn-hangzhou")).await.unwrap(),
        "cn-hangzhou"
    );
    assert_eq!(batchcompute_region_sent("localhost", Some("local-test")).await.unwrap(), "local-test");
    // An unknown host (a local or proxy endpoint included) needs one: a configuration error.
    for host in ["localhost", "batchcompute.mars-1.aliyuncs.com"] {
        match batchcompute_region_sent(host, None).await {
            Err(Error::Config(message)) => {
                assert!(message.contains(host) && message.contains("region(..)"), "{message}")
            }
            other => panic!("{host} without a region: expected a config error, got {other:?}"),
        }
    }
}
