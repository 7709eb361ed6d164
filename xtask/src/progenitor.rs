//! `cargo xtask bench`'s comparison with progenitor (Oxide's OpenAPI -> Rust generator): the
//! same specs generated and built by both, where cargo-progenitor can be installed into
//! `.tools/progenitor/` (`cargo install --locked`, the version pinned below). When it cannot
//! (offline, say), the reason is printed and the comparison skipped; a spec progenitor fails on
//! (it panics on some) is reported in its cell, never a failure of the bench.

use crate::build_times::{our_crate, work_dir, BenchCrate, Timing};
use crate::files::write_file;
use crate::paths::{root, shared};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The cargo-progenitor release compared with.
const VERSION: &str = "0.15.1";

/// The specs compared: the smallest public one, two of ours (small and large), and the largest
/// public one.
fn specs() -> [PathBuf; 4] {
    [
        shared().join("specs/oai-petstore.yaml"),
        root().join("spec/huaweicloud-cdm.yaml"),
        root().join("spec/huaweicloud-roma.yaml"),
        shared().join("specs/github-api.json"),
    ]
}

/// The installed `cargo-progenitor`, installing it first when missing.
fn ensure() -> Result<PathBuf, String> {
    let install_root = root().join(".tools/progenitor");
    let binary = install_root.join("bin/cargo-progenitor");
    if binary.exists() {
        return Ok(binary);
    }
    println!("installing cargo-progenitor {VERSION} into .tools/progenitor (cargo install --locked)");
    let output = crate::cargo::command()
        .args(["install", "--quiet", "--locked", "cargo-progenitor", "--version", VERSION, "--root"])
        .arg(&install_root)
        .output()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if output.status.success() && binary.exists() {
        Ok(binary)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!("cargo install cargo-progenitor {VERSION} failed: {}", last_lines(&stderr, 3)))
    }
}

/// What progenitor made of one spec: its generation time and crate (written once, by
/// progenitor, into `target/bench-build/progenitor-<name>`), or why it failed.
fn progenitor_crate(binary: &Path, spec: &Path, name: &str) -> Result<(BenchCrate, Duration), String> {
    let package = format!("progenitor-{name}");
    // progenitor reads JSON: the document as our loader reads it (YAML and JSON alike).
    let loaded = crate::lint::read_spec(spec)?;
    let input = work_dir().join(format!("{package}.json"));
    write_file(&input, &loaded.raw.to_string())?;
    let out = work_dir().join(&package);
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let output = Command::new(binary)
        .args(["progenitor", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .args(["--name", &package, "--version", "0.1.0"])
        .output()
        .map_err(|e| format!("cannot run cargo-progenitor: {e}"))?;
    let took = started.elapsed();
    if !output.status.success() {
        return Err(failure(&String::from_utf8_lossy(&output.stderr)));
    }
    Ok((BenchCrate::standalone(out, &package, false)?, took))
}

/// Why progenitor failed: a panic's message (the line after `panicked at`), else its last line.
fn failure(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    match lines.iter().position(|l| l.contains("panicked at")) {
        Some(at) => format!("panicked: {}", lines.get(at + 1).unwrap_or(&"").replace('|', "\\|")),
        None => format!("failed: {}", last_lines(stderr, 1)),
    }
}

/// The last `n` non-empty lines of `text`, joined on one line (`|` escaped for a table).
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" ").replace('|', "\\|")
}

/// Median build time of `bench`, `runs` times; the cell says why when it does not build.
fn build_cell(bench: &BenchCrate, runs: usize) -> String {
    let mut timings = Vec::new();
    let result = bench.prebuild(None).and_then(|()| {
        for _ in 0..runs {
            timings.push(bench.timed_build(None)?);
        }
        Ok(())
    });
    match result {
        Ok(()) => Timing::median(&timings).describe(),
        Err(why) => format!("does not build: {}", why.replace('|', "\\|")),
    }
}

/// The table of both generators on [`specs`]; skipped, with the reason, when progenitor cannot
/// be installed.
pub fn compare(runs: usize) -> Result<(), String> {
    let binary = match ensure() {
        Ok(binary) => binary,
        Err(why) => {
            println!("\nprogenitor comparison skipped: {why}");
            return Ok(());
        }
    };
    println!(
        "\nbeside progenitor {VERSION}: generation (one run; ours in-process, progenitor's command) and debug `cargo build` of the crate alone (dependencies prebuilt, median of {runs})\n"
    );
    println!("| spec | cloudspec generates | progenitor generates | cloudspec builds | progenitor builds |");
    println!("| --- | ---: | ---: | --- | --- |");
    for spec in specs() {
        let file = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let name = file.split('.').next().unwrap_or("spec").to_owned();
        let (ours, our_generation) = our_crate(&spec, &name, false)?;
        let theirs = progenitor_crate(&binary, &spec, &name);
        let seconds = |d: Duration| format!("{:.2} s", d.as_secs_f64());
        let (their_generation, their_build, our_build) = match &theirs {
            // Nothing to compare a build with.
            Err(why) => (why.clone(), "—".to_owned(), "—".to_owned()),
            Ok((crate_, took)) => (seconds(*took), build_cell(crate_, runs), build_cell(&ours, runs)),
        };
        println!("| {file} | {} | {their_generation} | {our_build} | {their_build} |", seconds(our_generation));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_reported_by_its_message() {
        let stderr = "-- TYPE SPACE --\n\nthread 'main' (16994) panicked at src/method.rs:1220:9:\nassertion failed: response_types.len() <= 1\nstack backtrace:\nnote: Some details are omitted\n";
        assert_eq!(failure(stderr), "panicked: assertion failed: response_types.len() <= 1");
        assert_eq!(failure("error: no such file\n\n"), "failed: error: no such file");
    }
}
