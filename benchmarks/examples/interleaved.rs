//! The call benches' three calls, alternated in short batches so that a loaded machine (other
//! builds, other benches) slows all three alike; criterion times one after the other, which on a
//! busy two-core machine moves the ratios by tens of percent. Prints the median time per call of
//! each and the ratios to the reference.
//!
//! `cargo run --release -p cloudspec-benchmarks --example interleaved [rounds]` (default 1000
//! rounds of 10 calls each). With `CLOUDSPEC_INTERLEAVED_JSON=<file>` set, the medians are also
//! written there as JSON (nanoseconds per call): `cargo xtask bench` takes its call rows from it.

use cloudspec_benchmarks::calls::Calls;
use cloudspec_benchmarks::{loopback, SHOW_CLUSTER_DETAIL};
use std::hint::black_box;
use std::time::Instant;

/// Calls per batch: short enough that load changes little within one.
const BATCH: u32 = 10;
/// Rounds run first and not counted (connections, caches).
const WARM_UP: usize = 20;

fn main() {
    let rounds: usize = std::env::args().nth(1).map_or(1000, |n| n.parse().expect("rounds: a number"));
    let calls = Calls::new(&loopback::serve(SHOW_CLUSTER_DETAIL));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let mut micros: [Vec<f64>; 3] = Default::default();
    runtime.block_on(async {
        for round in 0..WARM_UP + rounds {
            for (kind, times) in micros.iter_mut().enumerate() {
                let started = Instant::now();
                for _ in 0..BATCH {
                    match kind {
                        0 => drop(black_box(calls.reference().await)),
                        1 => drop(black_box(calls.token().await)),
                        _ => drop(black_box(calls.aksk().await)),
                    }
                }
                if round >= WARM_UP {
                    times.push(started.elapsed().as_secs_f64() * 1e6 / f64::from(BATCH));
                }
            }
        }
    });
    let [reference, token, aksk] = micros.map(median);
    println!("median of {rounds} interleaved batches of {BATCH} calls (µs per call)\n");
    println!("| call | µs | ratio | target |\n| --- | ---: | ---: | ---: |");
    println!("| reqwest + serde_json | {reference:.1} | | |");
    println!("| token | {token:.1} | {:.3} | ≤ 1.05 |", token / reference);
    println!("| AK/SK | {aksk:.1} | {:.3} | ≤ 1.10 |", aksk / reference);
    if let Some(file) = std::env::var_os(JSON_OUT) {
        let json = serde_json::json!({
            "rounds": rounds,
            "batch": BATCH,
            "reference_ns": reference * 1e3,
            "token_ns": token * 1e3,
            "aksk_ns": aksk * 1e3,
        });
        std::fs::write(&file, json.to_string()).expect("the JSON output file is writable");
    }
}

/// Where to write the medians as JSON, when set.
const JSON_OUT: &str = "CLOUDSPEC_INTERLEAVED_JSON";

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
