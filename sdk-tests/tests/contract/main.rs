//! Contract tests: every operation of every spec, called by the SDK against a Prism mock server
//! (`@stoplight/prism-cli`, installed into `.tools/` by `cargo xtask test`) started from that spec.
//!
//! Prism runs with `--errors`, so any request that breaks the spec comes back as an error status
//! (and fails the test with Prism's violations), and with `-d`, so each call gets a fresh random
//! response that is valid against the spec: the SDK must decode 50 of them per operation.
//! Between the SDK and Prism sits a pass-through proxy that records Prism's `sl-violations`
//! response header: any violation Prism reports, on any call, fails the test.
//! Each spec's test checks that it called every `operationId` the spec declares, and
//! [`every_spec_has_a_contract_test`] that every spec in `spec/` has such a test.
//! A tool we did not write checks what the SDK sends, and what the SDK accepts.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CALLS_PER_OPERATION: usize = 50;

/// The specs with a contract test below.
const TESTED_SPECS: &[&str] =
    &["aliyun-batchcompute.yaml", "huaweicloud-cdm.yaml", "huaweicloud-csms.yaml", "huaweicloud-roma.yaml"];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `operationId` in `spec`, read with a YAML parser we did not write for the generator.
fn operation_ids(spec: &str) -> BTreeSet<String> {
    let path = workspace().join("spec").join(spec);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut ids = BTreeSet::new();
    for (_, item) in document.get("paths").and_then(serde_yaml::Value::as_mapping).into_iter().flatten() {
        for (_, operation) in item.as_mapping().into_iter().flatten() {
            if let Some(id) = operation.get("operationId").and_then(serde_yaml::Value::as_str) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// Whether `spec` accepts AK/SK-signed requests: a global security alternative that is an
/// `apiKey` scheme in the `Authorization` header. Prism answers 401 to a signed request the
/// spec does not allow.
fn accepts_aksk(spec: &str) -> bool {
    let path = workspace().join("spec").join(spec);
    let document: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or_default();
    let schemes = &document["components"]["securitySchemes"];
    document["security"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(serde_yaml::Value::as_mapping)
        .flat_map(|alternative| alternative.keys())
        .any(|name| {
            let scheme = &schemes[name];
            scheme["type"].as_str() == Some("apiKey")
                && scheme["in"].as_str() == Some("header")
                && scheme["name"].as_str().is_some_and(|h| h.eq_ignore_ascii_case("authorization"))
        })
}

#[test]
fn every_spec_has_a_contract_test() {
    let mut specs: Vec<String> = std::fs::read_dir(workspace().join("spec"))
        .expect("spec/")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    specs.sort();
    assert_eq!(specs, TESTED_SPECS, "every spec in spec/ needs a contract test here (and TESTED_SPECS updated)");
    for spec in TESTED_SPECS {
        assert!(!operation_ids(spec).is_empty(), "{spec} declares no operationId");
    }
}

/// A Prism mock server for one spec, behind a recording proxy; killed when dropped.
struct Prism {
    child: Child,
    url: String,
    /// Every `sl-violations` header Prism sent since the last check.
    violations: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Prism with random responses, for a spec in `spec/`.
    fn start(spec: &str) -> Self {
        Self::start_path(&Path::new("spec").join(spec))
    }

    /// Prism with random responses, for the spec at `path` (from the workspace root).
    fn start_path(path: &Path) -> Self {
        Self::launch(path, |port, spec_path| {
            vec![
                "mock".into(),
                spec_path,
                "--host".into(),
                "127.0.0.1".into(),
                "--port".into(),
                port,
                "--errors".into(),
                "--dynamic".into(),
            ]
        })
    }

    /// Prism as a validating proxy in front of `upstream`: it checks each request and each of
    /// the upstream's responses against the spec.
    fn proxy(spec: &str, upstream: &str) -> Self {
        Self::launch(&Path::new("spec").join(spec), |port, spec_path| {
            vec![
                "proxy".into(),
                spec_path,
                upstream.into(),
                "--host".into(),
                "127.0.0.1".into(),
                "--port".into(),
                port,
                "--errors".into(),
            ]
        })
    }

    fn launch(spec: &Path, args: impl FnOnce(String, String) -> Vec<String>) -> Self {
        let tools =
            std::env::var_os("CLOUDSPEC_TOOLS").map(PathBuf::from).unwrap_or_else(|| workspace().join(".tools"));
        let prism = tools.join("npm/node_modules/.bin/prism");
        assert!(
            prism.exists(),
            "Prism is not installed at {}: run `cargo xtask test`, which installs it",
            prism.display()
        );
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let spec_path = workspace().join(spec).to_string_lossy().into_owned();
        let child = Command::new(&prism)
            .args(args(port.to_string(), spec_path))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism: {e}"));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "Prism did not start for {}", spec.display());
            std::thread::sleep(Duration::from_millis(100));
        }
        let violations = Arc::new(Mutex::new(Vec::new()));
        let proxy = start_proxy(SocketAddr::from(([127, 0, 0, 1], port)), Arc::clone(&violations));
        Self { child, url: format!("http://{proxy}"), violations }
    }

    /// Fails with Prism's report when it found any violation since the last check.
    fn assert_no_violations(&self, operation: &str, call: usize) {
        let found = std::mem::take(&mut *self.violations.lock().unwrap());
        assert!(found.is_empty(), "{operation}, call {call}: Prism reports violations: {}", found.join("\n"));
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A pass-through proxy to `upstream` on a free local port: one request per connection, passed
/// on with `Connection: close`, the reply passed back as it is (so the client does not reuse the
/// connection either), its `sl-violations` header recorded.
fn start_proxy(upstream: SocketAddr, violations: Arc<Mutex<Vec<String>>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let violations = Arc::clone(&violations);
            std::thread::spawn(move || {
                if let Err(e) = relay(client, upstream, &violations) {
                    violations.lock().unwrap().push(format!("(proxy) {e}"));
                }
            });
        }
    });
    address
}

fn relay(mut client: TcpStream, upstream: SocketAddr, violations: &Mutex<Vec<String>>) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = client.read(&mut buffer)?;
        if n == 0 {
            return Ok(()); // a pooled connection closed unused
        }
        request.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let length: usize = header_value(&head, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while request.len() < head_end + length {
        let n = client.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..n]);
    }
    let mut lines: Vec<&str> =
        head.trim_end().split("\r\n").filter(|line| !line.to_ascii_lowercase().starts_with("connection:")).collect();
    lines.push("Connection: close");
    let mut forwarded = format!("{}\r\n\r\n", lines.join("\r\n")).into_bytes();
    forwarded.extend_from_slice(&request[head_end..]);
    let mut server = TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(Duration::from_secs(60)))?;
    server.write_all(&forwarded)?;
    let mut reply = Vec::new();
    server.read_to_end(&mut reply)?;
    let reply_head_end = reply.windows(4).position(|w| w == b"\r\n\r\n").map_or(reply.len(), |end| end + 4);
    if let Some(report) = header_value(&String::from_utf8_lossy(&reply[..reply_head_end]), "sl-violations") {
        violations.lock().unwrap().push(report);
    }
    client.write_all(&reply)
}

/// A header's value in an HTTP head (first match, any case).
fn header_value(head: &str, name: &str) -> Option<String> {
    head.split("\r\n").skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

/// Runs `call` [`CALLS_PER_OPERATION`] times; any error (a Prism violation comes back as an
/// error status) or violation Prism reports in `sl-violations` fails with what it said.
async fn run_checked<T, F, Fut>(prism: &Prism, operation: &str, mut call: F)
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
        prism.assert_no_violations(operation, attempt);
    }
}

/// One spec's contract run: calls each operation, checks Prism's verdicts, and at the end that
/// every operation of the spec was called.
struct Contract {
    spec: &'static str,
    prism: Prism,
    called: BTreeSet<String>,
}

impl Contract {
    fn start(spec: &'static str) -> Self {
        Self { spec, prism: Prism::start(spec), called: BTreeSet::new() }
    }

    /// Runs `call` [`CALLS_PER_OPERATION`] times against this spec's Prism; see [`run_checked`].
    async fn check<T, F, Fut>(&mut self, operation: &str, call: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, cloudspec::Error>>,
    {
        run_checked(&self.prism, operation, call).await;
        self.called.insert(operation.to_owned());
    }

    /// [`Contract::check`] against another Prism for the same spec.
    async fn check_on<T, F, Fut>(&mut self, prism: &Prism, operation: &str, call: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, cloudspec::Error>>,
    {
        run_checked(prism, operation, call).await;
        self.called.insert(operation.to_owned());
    }

    fn finish(self) {
        let declared = operation_ids(self.spec);
        let missing: Vec<&String> = declared.difference(&self.called).collect();
        assert!(missing.is_empty(), "{}: operations with no contract call: {missing:?}", self.spec);
        let unknown: Vec<&String> = self.called.difference(&declared).collect();
        assert!(unknown.is_empty(), "{}: called operations the spec does not declare: {unknown:?}", self.spec);
    }
}

/// Signed with AK/SK instead of a token: Prism sees what a signed request carries.
fn huawei_aksk_config(prism: &Prism) -> cloudspec::Config {
    cloudspec::Config::builder()
        .endpoint(&prism.url)
        .credentials(cloudspec::Credentials::huawei_aksk("HPUACONTRACTTEST0000", "contract-secret-key"))
        .project_id("0123456789abcdef0123456789abcdef")
        .retry(cloudspec::RetryPolicy::disabled())
        .build()
        .unwrap()
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

fn example<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the example decodes")
}

mod operations;
mod security;

#[tokio::test]
async fn the_proxy_passes_replies_through_and_records_violations() {
    let upstream = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("sl-violations", r#"[{"severity":"Warning"}]"#)
                .set_body_string("hello"),
        )
        .mount(&upstream)
        .await;
    let violations = Arc::new(Mutex::new(Vec::new()));
    let proxy = start_proxy(*upstream.address(), Arc::clone(&violations));
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let reply = http.post(format!("http://{proxy}/x?q=1")).body("payload").send().await.unwrap();
        assert_eq!(reply.status(), 200);
        assert_eq!(reply.text().await.unwrap(), "hello");
    }
    assert_eq!(*violations.lock().unwrap(), vec![r#"[{"severity":"Warning"}]"#; 3]);
    let received = upstream.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert_eq!(
        (received[0].url.path(), received[0].url.query(), received[0].body.as_slice()),
        ("/x", Some("q=1"), &b"payload"[..])
    );
}
