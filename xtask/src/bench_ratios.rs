//! The ratio part of `cargo xtask bench`: runs `cargo bench` on the `benchmarks/` crate's signers
//! and decoding (criterion; each group times `cloudspec` beside a hand-written `reference`), then
//! the loopback calls with the `interleaved` example, and prints one table of the median ratios
//! beside the targets of issue 14.
//!
//! The call rows come from the interleaved runner, not criterion's `call` bench: criterion times
//! one side after the other, and on a busy two-core machine that moves a ratio of 1.05 by tens of
//! percent; alternating short batches of the three calls slows all of them alike.

use crate::paths::{root, target_dir};
use std::path::Path;

/// The criterion benches whose groups pair `cloudspec` with `reference`.
const BENCHES: &[&str] = &["signing", "decode"];

/// Each group, what it measures, and the ratio (cloudspec / reference) it should stay within.
/// `call_*` groups are read from the interleaved runner's output, the others from criterion.
const GROUPS: &[(&str, &str, f64)] = &[
    ("sign_huawei", "Huawei signer / SHA-256 ×2 + HMAC + hex", 2.0),
    ("sign_batchcompute", "BatchCompute signer / HMAC-SHA1 + base64", 2.0),
    ("decode_cdm_show_cluster_detail", "decode CDM ShowClusterDetail / plain derive", 1.0 / 0.95),
    ("decode_csms_secret_event", "decode CSMS SecretEvent / plain derive", 1.0 / 0.95),
    ("decode_roma_response_property", "decode ROMA ShowResponseProperty / plain derive", 1.0 / 0.95),
    ("decode_batchcompute_create_cluster", "decode BatchCompute CreateCluster / plain derive", 1.0 / 0.95),
    ("call_aksk", "loopback call, AK/SK / reqwest + serde_json (interleaved)", 1.10),
    ("call_token", "loopback call, token / reqwest + serde_json (interleaved)", 1.05),
];

/// The interleaved runner's output file, under the target folder.
const INTERLEAVED_JSON: &str = "bench-interleaved.json";

/// Runs the benches, then prints the table. A missing result is a row saying so, not an error.
pub fn run() -> Result<(), String> {
    let mut bench = vec!["bench", "--package", "cloudspec-benchmarks"];
    for name in BENCHES {
        bench.extend(["--bench", name]);
    }
    println!("running cargo bench -p cloudspec-benchmarks (criterion; results in target/criterion/)");
    crate::cargo::run(&root(), &bench, &[])?;
    let interleaved = target_dir().join(INTERLEAVED_JSON);
    let _ = std::fs::remove_file(&interleaved);
    println!(
        "running the interleaved loopback calls (cargo run --release -p cloudspec-benchmarks --example interleaved)"
    );
    let run = ["run", "--release", "--quiet", "--package", "cloudspec-benchmarks", "--example", "interleaved"];
    crate::cargo::run(&root(), &run, &[("CLOUDSPEC_INTERLEAVED_JSON", interleaved.as_os_str())])?;
    print!("{}", table(&target_dir().join("criterion"), &interleaved));
    Ok(())
}

/// The ratio table from criterion's `estimates.json` files under `criterion_dir` and the
/// interleaved runner's `interleaved` file.
fn table(criterion_dir: &Path, interleaved: &Path) -> String {
    let calls = read_interleaved(interleaved);
    let mut out = String::from(
        "\nmedians (a loaded machine moves both sides, compare the ratios)\n\n\
         | what | cloudspec | reference | ratio | target |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    for (group, what, target) in GROUPS {
        let (ours, reference, source) = match group.strip_prefix("call_") {
            Some(auth) => {
                let side = |key: &str| calls.as_ref().and_then(|c| c.get(key)?.as_f64());
                (side(&format!("{auth}_ns")), side("reference_ns"), interleaved.to_path_buf())
            }
            None => {
                let dir = criterion_dir.join(group);
                (median_ns(&dir.join("cloudspec")), median_ns(&dir.join("reference")), dir)
            }
        };
        let row = match (ours, reference) {
            (Some(ours), Some(reference)) => {
                let ratio = ours / reference;
                let verdict = if ratio <= *target { "ok" } else { "over" };
                format!("| {what} | {} | {} | {ratio:.3} | ≤ {target:.2} {verdict} |\n", human(ours), human(reference))
            }
            _ => format!("| {what} | | | no result in {} | |\n", source.display()),
        };
        out.push_str(&row);
    }
    out
}

/// The interleaved runner's medians (`reference_ns`, `token_ns`, `aksk_ns`), if it wrote them.
fn read_interleaved(file: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(file).ok()?).ok()
}

/// The median point estimate (nanoseconds) of one criterion benchmark's latest run.
fn median_ns(bench_dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(bench_dir.join("new").join("estimates.json")).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates.get("median")?.get("point_estimate")?.as_f64()
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_estimate(dir: &Path, group: &str, side: &str, ns: f64) {
        let path = dir.join(group).join(side).join("new");
        std::fs::create_dir_all(&path).unwrap();
        let json = format!(r#"{{"median":{{"point_estimate":{ns},"standard_error":1.0}}}}"#);
        std::fs::write(path.join("estimates.json"), json).unwrap();
    }

    #[test]
    fn the_table_divides_medians_and_marks_missing_groups() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-ratios-{}", std::process::id()));
        write_estimate(&dir, "sign_huawei", "cloudspec", 3000.0);
        write_estimate(&dir, "sign_huawei", "reference", 1000.0);
        // Criterion's call groups are not read: the interleaved file is.
        write_estimate(&dir, "call_aksk", "cloudspec", 1.0);
        write_estimate(&dir, "call_aksk", "reference", 1.0);
        let interleaved = dir.join("interleaved.json");
        std::fs::write(&interleaved, r#"{"reference_ns":80000.0,"token_ns":84000.0}"#).unwrap();
        let table = table(&dir, &interleaved);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(table.contains("| 3.00 µs | 1.00 µs | 3.000 | ≤ 2.00 over |"), "{table}");
        assert!(
            table.contains("token / reqwest + serde_json (interleaved) | 84.00 µs | 80.00 µs | 1.050 | ≤ 1.05 ok |"),
            "{table}"
        );
        assert!(table.contains("BatchCompute signer / HMAC-SHA1 + base64 | | | no result in"), "{table}");
        assert!(table.contains("AK/SK / reqwest + serde_json (interleaved) | | | no result in"), "{table}");
    }
}
