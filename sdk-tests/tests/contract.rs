//! Contract tests: every operation of every spec, called by the SDK against a Prism mock server
//! (`@stoplight/prism-cli`, installed into `.tools/` by `cargo xtask test`) started from that spec.
//!
//! Prism runs with `--errors`, so any request that breaks the spec comes back as an error status
//! (and fails the test with Prism's violations), and with `-d`, so each call gets a fresh random
//! response that is valid against the spec: the SDK must decode 50 of them per operation.
//! A tool we did not write checks what the SDK sends, and what the SDK accepts.

use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CALLS_PER_OPERATION: usize = 50;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A Prism mock server for one spec; killed when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    /// Prism with random responses.
    fn start(spec: &str) -> Self {
        Self::start_with(spec, true)
    }

    /// Prism answering with the spec's examples (`dynamic = false`) or random valid responses.
    fn start_with(spec: &str, dynamic: bool) -> Self {
        let tools = std::env::var_os("CLOUDSPEC_TOOLS").map(PathBuf::from).unwrap_or_else(|| workspace().join(".tools"));
        let prism = tools.join("npm/node_modules/.bin/prism");
        assert!(prism.exists(), "Prism is not installed at {}: run `cargo xtask test`, which installs it", prism.display());
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            // Random responses are valid by construction, so any violation is the request's.
            // The spec's examples are verbatim and may carry a recorded contradiction, so
            // with them only the request is checked (an invalid request still gets an error status).
            .args(if dynamic { &["--errors", "--dynamic"][..] } else { &[][..] })
            .arg(workspace().join("spec").join(spec))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism: {e}"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "Prism did not start for {spec}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn huawei_config(prism: &Prism) -> cloudspec::Config {
    cloudspec::Config::builder()
        .endpoint(&prism.url)
        .credentials(cloudspec::Credentials::token("contract-test-token"))
        .project_id("0123456789abcdef0123456789abcdef")
        .retry(cloudspec::RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Runs `call` the configured number of times; any error (a Prism violation comes back as an
/// error status) fails with what the server said.
async fn repeatedly<T, F, Fut>(operation: &str, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, cloudspec::Error>>,
{
    for attempt in 1..=CALLS_PER_OPERATION {
        if let Err(e) = call().await {
            let detail = match &e {
                cloudspec::Error::Service(s) => format!("HTTP {}: {}", s.status, s.body),
                cloudspec::Error::UndecodableResponse { body, reason, .. } => format!("{reason}\nbody: {body}"),
                other => other.to_string(),
            };
            panic!("{operation}, call {attempt}: {detail}");
        }
    }
}

fn example<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the example decodes")
}

#[tokio::test(flavor = "multi_thread")]
async fn cdm_operations_satisfy_prism() {
    let prism = Prism::start("huaweicloud-cdm.yaml");
    let client = cloudspec::cdm::Client::new(huawei_config(&prism)).unwrap();
    let create = cloudspec::cdm::CreateClusterRequest::new(
        "en-us",
        example(json!({
            "cluster": {
                "scheduleBootTime": "", "isScheduleBootOff": false,
                "instances": [{"availability_zone": "cn-north-1b", "nics": [{"securityGroupId": "c37852d2-2d12-41cb-af47-65c80e995c80", "net-id": "2d120298-6130-44d4-a438-454912fff901"}], "flavorRef": "fb8fe666-6734-4b11-bc6c-43d11db3c745", "type": "cdm"}],
                "datastore": {"type": "cdm", "version": "1.8.10"},
                "scheduleOffTime": "", "vpcId": "67c06084-2212-4242-bcd4-d2144c2385a9", "name": "cdm-ab82",
                "sys_tags": [{"value": "1ce45885-4033-40d2-bdde-d4dbaceb387d", "key": "_sys_enterprise_project_id"}],
                "isAutoOff": false
            },
            "auto_remind": false, "phone_num": "", "email": ""
        })),
    );
    repeatedly("CreateCluster", || client.create_cluster(&create)).await;
    let show = cloudspec::cdm::ShowClusterDetailRequest::new("bae65496-643e-47ca-84af-948672de7eeb");
    repeatedly("ShowClusterDetail", || client.show_cluster_detail(&show)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn csms_operations_satisfy_prism() {
    let prism = Prism::start("huaweicloud-csms.yaml");
    let client = cloudspec::csms::Client::new(huawei_config(&prism)).unwrap();
    let request = cloudspec::csms::CreateSecretEventRequest::new(example(json!({
        "name": "demo-event",
        "event_types": ["SECRET_VERSION_CREATED", "SECRET_VERSION_EXPIRED"],
        "state": "ENABLED",
        "notification": {"target_type": "SMN", "target_id": "urn:smn:cn-north-4:dc3b7c85759141a991da17423c0f2068:test-poc", "target_name": "demo-smn-name"}
    })));
    repeatedly("CreateSecretEvent", || client.create_secret_event(&request)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn batchcompute_operations_satisfy_prism() {
    let prism = Prism::start("aliyun-batchcompute.yaml");
    let config = cloudspec::Config::builder()
        .endpoint(&prism.url)
        .region("cn-shenzhen")
        .credentials(cloudspec::Credentials::aliyun("LTAIcontract", "contract-secret"))
        .retry(cloudspec::RetryPolicy::disabled())
        .build()
        .unwrap();
    let client = cloudspec::batchcompute::Client::new(config).unwrap();
    let request = cloudspec::batchcompute::CreateClusterRequest::new(example(json!({
        "Name": "test-ubuntu",
        "Description": "demo",
        "ImageId": "m-2309yqb5n",
        "InstanceType": "bcs.a2.large",
        "UserData": {"key1": "value1"},
        "Groups": {"group1": {"DesiredVMCount": 3, "ResourceType": "OnDemand", "SpotStrategy": "SpotAsPriceGo", "SpotPriceLimit": 0.0}}
    })));
    repeatedly("CreateCluster", || client.create_cluster(&request)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn roma_operations_satisfy_prism() {
    use cloudspec::roma::*;
    let prism = Prism::start("huaweicloud-roma.yaml");
    let client = Client::new(huawei_config(&prism)).unwrap();
    let instance = "eddc4d25480b4cd6b512f270a1b8b341";

    let certs = BatchAssociateCertsV2Request::new(instance, "c77f5e81d9cb4424bf704ef2b0ac7600", "d7b5c8e3", example(json!({"certificate_ids": ["cert-1"], "verified_client_certificate_enabled": false})));
    repeatedly("BatchAssociateCertsV2", || client.batch_associate_certs_v2(&certs)).await;

    let task = UpdateTaskRequest::new(instance, "15366328208d4d77b76532fe9f4006a6", example(json!({
        "task": {"task_name": "fdi_task_v2mysql-tomysql", "task_type": "TIMING", "source_datasource_id": "30969b205e8f4392a25fb321112d1753", "target_datasource_id": "30969b205e8f4392a25fb321112d1753", "description": "mysql", "task_tag": "fdi_autotest"},
        "task_detail": "{\"needAPI\":false}"
    })));
    repeatedly("UpdateTask", || client.update_task(&task)).await;

    let property = ShowResponsePropertyRequest::new(instance, "service-1", "command-1", 3320);
    repeatedly("ShowResponseProperty", || client.show_response_property(&property)).await;

    let api = UpdateApiV2Request::new(instance, "5f918d104dc84480a75166ba99efff21", example(json!({
        "group_id": "c77f5e81d9cb4424bf704ef2b0ac7600", "match_mode": "NORMAL", "name": "Api_http", "auth_type": "APP", "backend_type": "HTTP",
        "backend_api": {"vpc_channel_status": 1, "vpc_channel_info": {"vpc_channel_id": "56a7d7358e1b42459c9d730d65b14e59", "vpc_channel_proxy_host": "www.example.com"}, "req_protocol": "HTTPS", "req_method": "GET", "req_uri": "/test/benchmark", "timeout": 5000},
        "cors": false, "req_protocol": "HTTPS", "req_uri": "/test/http", "remark": "Web backend API", "type": 1, "req_method": "GET",
        "backend_params": [{"name": "X-CONSTANT-HEADER", "value": "demo", "location": "HEADER", "origin": "CONSTANT", "remark": "constant_demo"}],
        "tags": ["webApi"]
    })));
    repeatedly("UpdateApiV2", || client.update_api_v2(&api)).await;

    let variable = UpdateEnvironmentVariableV2Request::new(instance, "25054838a624400bbf2267cf5b3a3f70", example(json!({"variable_value": "192.168.1.5"})));
    repeatedly("UpdateEnvironmentVariableV2", || client.update_environment_variable_v2(&variable)).await;

    // Prism cannot generate random values of a recursive schema (GroupTreeResponse contains itself
    // and never returns); this operation is checked against the spec's own example response,
    // which carries the document's recorded contradiction (`parent_id` 0 below its minimum 1).
    let static_prism = Prism::start_with("huaweicloud-roma.yaml", false);
    let static_client = Client::new(huawei_config(&static_prism)).unwrap();
    let groups = ShowDeviceGroupTreeRequest::new(instance, "app-1");
    repeatedly("ShowDeviceGroupTree", || static_client.show_device_group_tree(&groups)).await;

    let dispatch = UpdateDispatchesRequest::new(instance, "15366328208d4d77b76532fe9f4006a6", "a0f7fa9897da423dadbe8391d7ea7a43")
        .with_body(example(json!({"start_datetime": 1605339505609i64, "period": "DAY", "dispatch_interval": 1, "remark": "daily plan", "use_quartz_cron": false})));
    repeatedly("UpdateDispatches", || client.update_dispatches(&dispatch)).await;

    let health = UpdateHealthCheckRequest::new(instance, "d38c55c926ca44c2bfb37886d93b9a0d", example(json!({
        "http_code": "200", "path": "/vpc/demo", "port": 22, "protocol": "HTTP", "threshold_abnormal": 5, "threshold_normal": 2, "time_interval": 10, "timeout": 5, "enable_client_ssl": false
    })));
    repeatedly("UpdateHealthCheck", || client.update_health_check(&health)).await;

    let certificate = DownloadSsLcertsRequest::new(instance);
    repeatedly("DownloadSSLcerts", || client.download_ss_lcerts(&certificate)).await;

    let members = BatchEnableMembersRequest::new(instance, "d38c55c926ca44c2bfb37886d93b9a0d", example(json!({"member_ids": ["m-1", "m-2"]})));
    repeatedly("BatchEnableMembers", || client.batch_enable_members(&members)).await;

    let quota = DeleteAppQuotaRequest::new(instance, "c900c5612dbe451bb43cbcc49cfaf2f3");
    repeatedly("DeleteAppQuota", || client.delete_app_quota(&quota)).await;

    let envs = ListEnvironmentsV2Request::new(instance).with_offset(0).with_limit(10).with_name("DEV env+1/中");
    repeatedly("ListEnvironmentsV2", || client.list_environments_v2(&envs)).await;

    let domain = AssociateDomainV2Request::new(instance, "c77f5e81d9cb4424bf704ef2b0ac7600", example(json!({"url_domain": "www.company.com", "min_ssl_version": "TLSv1.1"})));
    repeatedly("AssociateDomainV2", || client.associate_domain_v2(&domain)).await;
}
