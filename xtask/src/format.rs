//! rustfmt over generated files, so generated and hand-written code share one style and
//! `cargo fmt --check` covers both.

use crate::paths::root;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// Formats every `.rs` file of a generated crate with the repository's `rustfmt.toml`.
pub fn format_files(files: &mut BTreeMap<String, String>) -> Result<(), String> {
    for (path, text) in files.iter_mut().filter(|(path, _)| path.ends_with(".rs")) {
        *text = rustfmt(text).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// `text` as rustfmt prints it (stdin to stdout, so nothing is written on failure).
fn rustfmt(text: &str) -> Result<String, String> {
    let config = root().join("rustfmt.toml");
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet", "--config-path"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt (install it with `rustup component add rustfmt`): {e}"))?;
    // Written from a thread: rustfmt may fill its stdout pipe before it has read all of stdin.
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| format!("rustfmt failed: {e}"))?;
    writer.join().map_err(|_| "rustfmt input thread panicked".to_owned())?.map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!("rustfmt failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim()));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt printed non-UTF-8: {e}"))
}
