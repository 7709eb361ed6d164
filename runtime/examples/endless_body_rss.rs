//! Memory check for bounded bodies (issue: a 2 GiB or endless 200 must stay under 100 MB RSS).
//!
//! Serves an endless chunked 200 and a 2 GiB `Content-Length` 200 that streams its bytes on
//! loopback, calls each with the default `max_response_bytes` (32 MiB), and prints the peak
//! resident set size (Linux `VmHWM`). Exits with an error when a call does not end in
//! `Error::ResponseTooLarge` or the peak passes 100 MB.
//!
//! `cargo run -p cloudspec-runtime --example endless_body_rss`

use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::{Client, Config, Credentials, Error, ServiceInfo, SigningScheme};
use server::{Reply, Server};

#[path = "../tests/support/server.rs"]
mod server;

static SERVICE: ServiceInfo = ServiceInfo {
    name: "files",
    endpoint_template: None,
    signing: SigningScheme::None,
    api_version: "v1",
    error_codes: &[],
    regions: &[],
};

const PEAK_LIMIT_KIB: u64 = 100 * 1000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let servers = [
        ("endless chunked 200", Server::start(Reply::Endless { chunk: 64 * 1024 }).await),
        ("2 GiB 200", Server::start(Reply::Sized { length: 2 << 30 }).await),
    ];
    for (name, server) in &servers {
        let config = Config::builder().endpoint(&server.endpoint).credentials(Credentials::token("t")).build()?;
        let client = Client::new(config, &SERVICE)?;
        let result = client.send(OperationRequest::new("Download", Method::GET, "/".to_owned())).await;
        match result {
            Err(Error::ResponseTooLarge { limit, .. }) => println!("{name}: ResponseTooLarge (limit {limit} bytes)"),
            other => {
                return Err(format!("{name}: expected ResponseTooLarge, got {:?}", other.map(|r| r.status())).into())
            }
        }
    }
    let peak = peak_rss_kib().ok_or("cannot read VmHWM from /proc/self/status")?;
    println!("peak RSS: {} MB (limit {} MB)", peak / 1000, PEAK_LIMIT_KIB / 1000);
    if peak > PEAK_LIMIT_KIB {
        return Err("peak RSS over 100 MB".into());
    }
    Ok(())
}

/// The process's peak resident set size in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
