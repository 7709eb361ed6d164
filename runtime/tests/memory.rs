//! Peak memory of calls whose 200 body is huge or endless: each stays under 100 MB resident and
//! ends in a typed error (or, streamed, is read to the end without being collected).
//!
//! Each scenario runs in a child process (this test binary again, with [`SCENARIO`] set) so the
//! peak resident set it reports (Linux `VmHWM`) is that scenario's alone. A control scenario
//! reads a 160 MiB body whole and must pass the limit, which shows the measurement sees growth.
#![cfg(target_os = "linux")]

use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::{Client, Config, Credentials, Error, ServiceInfo, SigningScheme};
use server::{Reply, Server};
use std::process::Command;

#[path = "support/server.rs"]
mod server;

/// The environment variable that makes this binary run one scenario and report its peak.
const SCENARIO: &str = "CLOUDSPEC_MEMORY_SCENARIO";

/// 100 MB, in the KiB `/proc/self/status` counts in.
const PEAK_LIMIT_KIB: u64 = 100_000_000 / 1024;

const MIB: u64 = 1024 * 1024;

static SERVICE: ServiceInfo = ServiceInfo::new("files", SigningScheme::None, "v1");

#[test]
fn huge_and_endless_bodies_stay_under_100_mb() {
    if let Ok(name) = std::env::var(SCENARIO) {
        return run_scenario(&name);
    }
    for scenario in ["endless chunked 200", "2 GiB 200", "2 GiB streamed"] {
        let (peak, outcome) = measure("huge_and_endless_bodies_stay_under_100_mb", scenario);
        println!("{scenario}: peak {peak} KiB, {outcome}");
        assert!(peak < PEAK_LIMIT_KIB, "{scenario}: peak {peak} KiB ({outcome})");
    }
}

#[test]
fn the_measurement_sees_a_body_read_whole() {
    if let Ok(name) = std::env::var(SCENARIO) {
        return run_scenario(&name);
    }
    let (peak, outcome) = measure("the_measurement_sees_a_body_read_whole", "160 MiB read whole");
    assert!(peak > PEAK_LIMIT_KIB, "a 160 MiB body read whole peaked at only {peak} KiB ({outcome})");
}

/// Runs `scenario` in a child process (test `test` of this binary) and returns its peak resident
/// set in KiB and what it said about the call.
fn measure(test: &str, scenario: &str) -> (u64, String) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(SCENARIO, scenario)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The harness prints the test's name on the same line first.
    let report = stdout.lines().find_map(|line| line.split_once("scenario: ").map(|(_, report)| report));
    let Some((peak, outcome)) = report.and_then(|r| r.split_once(' ')) else {
        panic!("{scenario}: the child reported nothing\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    };
    assert!(output.status.success(), "{scenario}: {outcome}\n{}", String::from_utf8_lossy(&output.stderr));
    (peak.parse().unwrap(), outcome.to_owned())
}

/// In the child: runs the scenario, checks its outcome, prints `scenario: <peak KiB> <outcome>`.
fn run_scenario(name: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let outcome = runtime.block_on(call(name));
    println!("scenario: {} {outcome}", peak_resident_kib());
}

async fn call(name: &str) -> String {
    let download = || OperationRequest::new("Download", Method::GET, "/file".to_owned());
    match name {
        "endless chunked 200" => {
            let server = Server::start(Reply::Endless { chunk: 64 * 1024 }).await;
            expect_too_large(client(&server, None).send(download()).await.map(|_| ()))
        }
        "2 GiB 200" => {
            let server = Server::start(Reply::Sized { length: 2 << 30 }).await;
            expect_too_large(client(&server, None).send(download()).await.map(|_| ()))
        }
        "2 GiB streamed" => {
            let server = Server::start(Reply::Sized { length: 2 << 30 }).await;
            let mut body = client(&server, None).send_streaming(download()).await.unwrap().into_inner();
            let mut total = 0u64;
            while let Some(chunk) = body.next_chunk().await {
                total += chunk.unwrap().len() as u64;
            }
            assert_eq!(total, 2 << 30, "the whole body streamed");
            format!("streamed {total} bytes")
        }
        "160 MiB read whole" => {
            let server = Server::start(Reply::Sized { length: 160 * MIB }).await;
            let response = client(&server, Some(256 * MIB as usize)).send(download()).await.unwrap();
            assert_eq!(response.body().len() as u64, 160 * MIB);
            "read whole".to_owned()
        }
        other => panic!("no scenario {other:?}"),
    }
}

/// The runtime's own defaults (32 MiB `max_response_bytes`) unless `max_response_bytes` is given.
fn client(server: &Server, max_response_bytes: Option<usize>) -> Client {
    let mut config = Config::builder().endpoint(&server.endpoint).credentials(Credentials::token("t"));
    if let Some(limit) = max_response_bytes {
        config = config.max_response_bytes(limit);
    }
    Client::new(config.build().unwrap(), &SERVICE).unwrap()
}

fn expect_too_large(result: Result<(), Error>) -> String {
    match result {
        Err(Error::ResponseTooLarge { status: 200, limit, .. }) => format!("ResponseTooLarge (limit {limit} bytes)"),
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

/// The process's peak resident set size (`VmHWM`), in KiB.
fn peak_resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).expect("VmHWM in /proc/self/status");
    line.trim().trim_end_matches("kB").trim().parse().unwrap()
}
