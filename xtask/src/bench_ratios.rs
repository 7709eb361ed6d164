//! The criterion part of `cargo xtask bench`: runs `cargo bench` on the `benchmarks/` crate
//! (signers, decoding, loopback calls; each group times `cloudspec` beside a hand-written
//! `reference`) and prints one table of the median ratios beside the targets of issue 14.

use crate::paths::{root, target_dir};
use std::path::Path;

/// The benches whose groups pair `cloudspec` with `reference`.
const BENCHES: &[&str] = &["signing", "decode", "call"];

/// Each criterion group, what it measures, and the ratio (cloudspec / reference) it should stay within.
const GROUPS: &[(&str, &str, f64)] = &[
    ("sign_huawei", "Huawei signer / SHA-256 ×2 + HMAC + hex", 2.0),
    ("sign_batchcompute", "BatchCompute signer / HMAC-SHA1 + base64", 2.0),
    ("decode_cdm_show_cluster_detail", "decode CDM ShowClusterDetail / plain derive", 1.0 / 0.95),
    ("decode_csms_secret_event", "decode CSMS SecretEvent / plain derive", 1.0 / 0.95),
    ("decode_roma_response_property", "decode ROMA ShowResponseProperty / plain derive", 1.0 / 0.95),
    ("decode_batchcompute_create_cluster", "decode BatchCompute CreateCluster / plain derive", 1.0 / 0.95),
    ("call_aksk", "loopback call, AK/SK / reqwest + serde_json", 1.10),
    ("call_token", "loopback call, token / reqwest + serde_json", 1.05),
];

/// Runs the benches, then prints the table. A missing result is a row saying so, not an error.
pub fn run() -> Result<(), String> {
    let mut command = crate::cargo::command();
    command.args(["bench", "--package", "cloudspec-benchmarks"]);
    for bench in BENCHES {
        command.args(["--bench", bench]);
    }
    println!("running cargo bench -p cloudspec-benchmarks (criterion; results in target/criterion/)");
    let status = command.current_dir(root()).status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }
    print!("{}", table(&target_dir().join("criterion")));
    Ok(())
}

/// The ratio table from criterion's `estimates.json` files under `criterion_dir`.
fn table(criterion_dir: &Path) -> String {
    let mut out = String::from(
        "\nmedians (criterion; a loaded machine moves both sides, compare the ratios)\n\n\
         | what | cloudspec | reference | ratio | target |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    for (group, what, target) in GROUPS {
        let ours = median_ns(&criterion_dir.join(group).join("cloudspec"));
        let reference = median_ns(&criterion_dir.join(group).join("reference"));
        let row = match (ours, reference) {
            (Some(ours), Some(reference)) => {
                let ratio = ours / reference;
                let verdict = if ratio <= *target { "ok" } else { "over" };
                format!("| {what} | {} | {} | {ratio:.2} | ≤ {target:.2} {verdict} |\n", human(ours), human(reference))
            }
            _ => format!("| {what} | | | no result in {} | |\n", criterion_dir.join(group).display()),
        };
        out.push_str(&row);
    }
    out
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
        write_estimate(&dir, "call_token", "cloudspec", 84_000.0);
        write_estimate(&dir, "call_token", "reference", 80_000.0);
        let table = table(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(table.contains("| 3.00 µs | 1.00 µs | 3.00 | ≤ 2.00 over |"), "{table}");
        assert!(table.contains("| 84.00 µs | 80.00 µs | 1.05 | ≤ 1.05 ok |"), "{table}");
        assert!(table.contains("BatchCompute signer / HMAC-SHA1 + base64 | | | no result in"), "{table}");
    }
}
