//! Faults against local servers: throttling, server errors, silence, truncated and malformed
//! bodies. None of them may panic, and none may print a secret.

use cloudspec::batchcompute::{ClusterDescription, CreateClusterRequest as BatchCreateCluster};
use cloudspec::csms::{CreateSecretEventRequest, CreateSecretEventRequestBody};
use cloudspec::{Config, Credentials, Error, RetryPolicy};
use feature_snapshots::ops::{Client as OpsClient, GetItemRequest};
use serde_json::json;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_KEY: &str = "SK-very-secret-0123456789";
const TOKEN: &str = "tok-very-secret-abcdef";

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_secs(2))
}

fn ops_client(endpoint: &str, retry: RetryPolicy, timeout: Duration) -> OpsClient {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token(TOKEN))
        .retry(retry)
        .timeout(timeout)
        .build()
        .unwrap();
    OpsClient::new(config).unwrap()
}

/// Asserts that no secret appears in `text` (an error's Debug and Display, logs).
fn assert_no_secret(text: &str) {
    for secret in [SECRET_KEY, TOKEN] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

thread_local! {
    static THREAD_LOGS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A `tracing` writer into the current thread's log buffer.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        THREAD_LOGS.with(|logs| logs.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `tracing` logged on this thread since [`Logs::start`]. One global subscriber writes each
/// thread's events to that thread's buffer (a `#[tokio::test]` runs the client on its own
/// thread); per-test scoped subscribers would race on `tracing`'s global callsite cache.
struct Logs;

impl Logs {
    fn start() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(|| ThreadWriter)
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
        });
        THREAD_LOGS.with(|logs| logs.borrow_mut().clear());
        Self
    }

    fn text(&self) -> String {
        THREAD_LOGS.with(|logs| String::from_utf8_lossy(&logs.borrow()).into_owned())
    }
}

/// No secret in the error's Debug and Display, nor in what was logged during the call (which
/// must have logged its attempt).
fn check_error_is_clean(err: &Error, logs: &Logs) {
    assert_no_secret(&format!("{err:?}"));
    assert_no_secret(&err.to_string());
    let logs = logs.text();
    assert!(logs.contains("cloudspec.attempt{"), "the call was logged: {logs}");
    assert_no_secret(&logs);
}

/// A server that accepts connections and then says nothing, or says `reply` and hangs up.
async fn raw_server(reply: Option<&'static [u8]>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                match reply {
                    Some(bytes) => {
                        let _ = socket.write_all(bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    format!("http://{address}")
}

fn csms_request() -> CreateSecretEventRequest {
    let body: CreateSecretEventRequestBody = serde_json::from_value(json!({
        "name": "demo-event",
        "event_types": ["SECRET_VERSION_CREATED"],
        "state": "ENABLED",
        "notification": {"target_type": "SMN", "target_id": "urn:smn:x", "target_name": "n"}
    }))
    .unwrap();
    CreateSecretEventRequest::new(body)
}

mod bodies;
mod connections;
mod idempotency;
mod logging;
mod retries;
