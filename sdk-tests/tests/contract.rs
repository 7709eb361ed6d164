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
    fn start(spec: &str) -> Self {
        let tools = std::env::var_os("CLOUDSPEC_TOOLS").map(PathBuf::from).unwrap_or_else(|| workspace().join(".tools"));
        let prism = tools.join("npm/node_modules/.bin/prism");
        assert!(prism.exists(), "Prism is not installed at {}: run `cargo xtask test`, which installs it", prism.display());
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors", "--dynamic"])
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
