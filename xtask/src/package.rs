//! The `cargo xtask test` step that tests what would reach crates.io: the declared
//! `rust-version` against the locked dependencies' (`msrv.rs`), `cargo package` for both
//! published crates, `cargo publish --dry-run` for the runtime, then a new project outside the
//! repository built from the unpacked `.crate` files alone (which verifies both packages), with
//! the README quick start's dependency lines and code, run against a loopback server.

use crate::files::write_file;
use crate::paths::{root, target_dir};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;

/// The version of both published crates (the workspace's).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The published crates, the runtime first.
const CRATES: [&str; 2] = ["cloudspec-runtime", "cloudspec"];

/// The heading of the README section the consumer is built from.
const QUICK_START: &str = "## Quick start for SDK users";

pub fn run() -> Result<(), String> {
    let root = root();
    crate::msrv::check(&CRATES)?;
    // `--allow-dirty`: a developer runs this before committing; CI runs it on a clean clone.
    // `--no-verify`: the consumer below builds both crates from the unpacked `.crate` files as
    // path dependencies, which is the verification. Cargo's own would resolve the runtime from a
    // local registry that it unpacks once per path into `$CARGO_HOME/registry/src/` and never
    // again, so a clone at a path packaged before verified `cloudspec` against an old runtime.
    cargo(&root, &["package", "--allow-dirty", "--no-verify", "-p", CRATES[0], "-p", CRATES[1]])?;
    cargo(&root, &["publish", "--dry-run", "--allow-dirty", "-p", CRATES[0]])?;
    let readme = std::fs::read_to_string(root.join("README.md")).map_err(|e| format!("cannot read README.md: {e}"))?;
    let quick_start = QuickStart::from_readme(&readme)?;
    let consumer = std::env::temp_dir().join(format!("cloudspec-consumer-{}", std::process::id()));
    let result = build_and_run_consumer(&consumer, &quick_start);
    let _ = std::fs::remove_dir_all(&consumer);
    result
}

fn build_and_run_consumer(consumer: &Path, quick_start: &QuickStart) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(consumer);
    let crates = consumer.join("crates");
    for name in CRATES {
        let file = target_dir().join("package").join(format!("{name}-{VERSION}.crate"));
        unpack(&file, &crates)?;
    }
    write_file(&consumer.join("Cargo.toml"), &quick_start.manifest(&crates))?;
    write_file(&consumer.join("src/main.rs"), &quick_start.code)?;
    // The workspace's versions of every dependency: what the workspace build left in the registry
    // cache and the target folder is reused.
    std::fs::copy(root().join("Cargo.lock"), consumer.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    cargo(consumer, &["build", "--quiet"])?;
    let binary = target_dir().join("debug").join(format!("{CONSUMER}{}", std::env::consts::EXE_SUFFIX));
    let found = run_quick_start(&binary, CLUSTER_FOUND)?;
    if !found.contains("cluster Some(\"cdm-c018\")") {
        return Err(format!("the quick start did not print the cluster the server sent:\n{found}"));
    }
    let missing = run_quick_start(&binary, CLUSTER_MISSING)?;
    if !missing.contains("no such cluster") || !missing.contains("CDM.0010") || !missing.contains("req-404") {
        return Err(format!("the quick start did not print the service error with Display:\n{missing}"));
    }
    println!("the README quick start, built from the packaged crates, ran against a local server");
    Ok(())
}

/// The consumer project's package name.
const CONSUMER: &str = "cloudspec-consumer";

/// The README quick start: its dependency lines and its program.
#[derive(Debug)]
struct QuickStart {
    dependencies: Vec<String>,
    code: String,
}

impl QuickStart {
    /// The first ```toml and ```rust blocks after [`QUICK_START`].
    fn from_readme(readme: &str) -> Result<QuickStart, String> {
        let section = readme
            .split_once(QUICK_START)
            .map(|(_, rest)| rest)
            .ok_or_else(|| format!("README.md has no {QUICK_START:?} section"))?;
        let toml = fenced_block(section, "toml").ok_or("the README quick start has no ```toml block")?;
        let code = fenced_block(section, "rust").ok_or("the README quick start has no ```rust block")?;
        let dependencies: Vec<String> = toml
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#') && *line != "[dependencies]")
            .map(str::to_owned)
            .collect();
        if !dependencies.iter().any(|line| line.starts_with("cloudspec ") || line.starts_with("cloudspec=")) {
            return Err("the README quick start's dependencies do not name `cloudspec`".into());
        }
        Ok(QuickStart { dependencies, code })
    }

    /// A manifest with the README's dependency lines as written, and both crates patched to
    /// their unpacked packages (as if crates.io served them).
    fn manifest(&self, crates: &Path) -> String {
        let patches: String = CRATES
            .iter()
            .map(|name| format!("{name} = {{ path = {:?} }}\n", crates.join(format!("{name}-{VERSION}"))))
            .collect();
        format!(
            "[package]\nname = \"{CONSUMER}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n\n[patch.crates-io]\n{patches}\n[workspace]\n",
            self.dependencies.join("\n")
        )
    }
}

/// The text of the first fenced block whose info string starts with `language`.
fn fenced_block(text: &str, language: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.find(|line| line.trim_start().strip_prefix("```").is_some_and(|info| info.starts_with(language)))?;
    let mut block = String::new();
    for line in lines {
        if line.trim_start().starts_with("```") {
            return Some(block);
        }
        block.push_str(line);
        block.push('\n');
    }
    None
}

/// Unpacks a `.crate` (a gzipped tar of `<name>-<version>/...`) into `into`.
fn unpack(file: &Path, into: &Path) -> Result<(), String> {
    let archive = std::fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    tar::Archive::new(flate2::read::GzDecoder::new(archive))
        .unpack(into)
        .map_err(|e| format!("cannot unpack {}: {e}", file.display()))
}

/// Cargo in `dir`, building into this workspace's target folder (the consumer reuses what the
/// workspace built).
fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    crate::cargo::run(dir, args, &[("CARGO_TARGET_DIR", target_dir().as_os_str())])
}

/// What the loopback server answers: a status line and a JSON body.
struct Canned {
    status: &'static str,
    body: &'static str,
}

const CLUSTER_FOUND: Canned = Canned {
    status: "200 OK",
    body: r#"{"id":"bae65496-643e-47ca-84af-948672de7eeb","name":"cdm-c018","status":"200"}"#,
};
const CLUSTER_MISSING: Canned =
    Canned { status: "404 Not Found", body: r#"{"error_code":"CDM.0010","error_msg":"The cluster does not exist."}"# };

/// The project id the quick start is given: the request path must carry it.
const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// Runs the quick start binary against a loopback server that answers one request with `canned`;
/// returns what the program printed, after checking the request was signed and addressed to the
/// project and cluster.
fn run_quick_start(binary: &Path, canned: Canned) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on loopback: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(serve_one(&listener, &canned));
    });
    let output = Command::new(binary)
        .env("HUAWEICLOUD_SDK_AK", "QUICKSTARTACCESSKEY")
        .env("HUAWEICLOUD_SDK_SK", "quick-start-secret-key")
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT_ID)
        .env_remove("HUAWEICLOUD_SDK_SECURITY_TOKEN")
        .env("CLOUDSPEC_ENDPOINT", format!("http://{address}"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        return Err(format!("the quick start failed ({}):\n{printed}", output.status));
    }
    let head = received
        .recv_timeout(std::time::Duration::from_secs(5))
        .map_err(|_| format!("the quick start sent no request:\n{printed}"))??;
    let request_line = head.lines().next().unwrap_or_default();
    if !request_line.starts_with(&format!("GET /v1.1/{PROJECT_ID}/clusters/bae65496-643e-47ca-84af-948672de7eeb ")) {
        return Err(format!("unexpected request {request_line:?}"));
    }
    let signed = head
        .lines()
        .any(|line| line.to_ascii_lowercase().starts_with("authorization: sdk-hmac-sha256 access=quickstartaccesskey"));
    if !signed {
        return Err(format!("the request was not signed with the environment's keys:\n{head}"));
    }
    Ok(printed)
}

/// Accepts one connection, reads the request head, answers with `canned`, and returns the head.
fn serve_one(listener: &TcpListener, canned: &Canned) -> Result<String, String> {
    let (stream, _) = listener.accept().map_err(|e| format!("accept: {e}"))?;
    let mut reader = BufReader::new(&stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).map_err(|e| format!("read: {e}"))?;
        if read == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let response = format!(
        "HTTP/1.1 {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: req-{}\r\nConnection: close\r\n\r\n{}",
        canned.status,
        canned.body.len(),
        &canned.status[..3],
        canned.body
    );
    (&stream).write_all(response.as_bytes()).map_err(|e| format!("write: {e}"))?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_quick_start_is_found_and_names_cloudspec() {
        let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
        let quick_start = QuickStart::from_readme(&readme).unwrap();
        assert!(quick_start.code.contains("fn main"), "{}", quick_start.code);
        assert!(quick_start.dependencies.iter().any(|d| d.starts_with("tokio")), "{:?}", quick_start.dependencies);
        let manifest = quick_start.manifest(Path::new("/tmp/crates"));
        assert!(
            manifest.contains(&format!("cloudspec-runtime = {{ path = \"/tmp/crates/cloudspec-runtime-{VERSION}\" }}"))
        );
        assert!(manifest.contains("[patch.crates-io]") && manifest.contains("[workspace]"), "{manifest}");
    }

    #[test]
    fn fenced_blocks_are_read_by_language() {
        let text = "intro\n```toml\na = 1\n```\n```rust,no_run\nfn main() {}\n```\n```sh\nx\n";
        assert_eq!(fenced_block(text, "toml").as_deref(), Some("a = 1\n"));
        assert_eq!(fenced_block(text, "rust").as_deref(), Some("fn main() {}\n"));
        assert_eq!(fenced_block(text, "sh"), None, "an unclosed block is no block");
        assert!(QuickStart::from_readme("# x\n").unwrap_err().contains("Quick start"));
    }

    #[test]
    fn the_loopback_server_answers_one_request_and_returns_its_head() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || serve_one(&listener, &CLUSTER_MISSING));
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 404 Not Found\r\n") && answer.ends_with(CLUSTER_MISSING.body), "{answer}");
        assert!(answer.contains("X-Request-Id: req-404"), "{answer}");
        assert_eq!(server.join().unwrap().unwrap(), "GET /x HTTP/1.1\r\nHost: a\r\n");
    }
}
