//! A full ShowClusterDetail call against a loopback server: the generated client with AK/SK and
//! with a token, beside a hand-written reqwest + serde_json call of the same request (decoded
//! into the plain twin). Calls are sequential on one connection, as a simple client makes them.
//! On a loaded machine, `cargo run --release -p cloudspec-benchmarks --example interleaved`
//! alternates short batches of the three calls instead, so that load moves them alike.

use cloudspec_benchmarks::calls::Calls;
use cloudspec_benchmarks::{loopback, SHOW_CLUSTER_DETAIL};
use criterion::{criterion_group, criterion_main, Criterion};

fn calls(c: &mut Criterion) {
    let calls = Calls::new(&loopback::serve(SHOW_CLUSTER_DETAIL));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let mut group = c.benchmark_group("call_aksk");
    group.bench_function("cloudspec", |b| b.iter(|| runtime.block_on(calls.aksk())));
    group.bench_function("reference", |b| b.iter(|| runtime.block_on(calls.reference())));
    group.finish();
    let mut group = c.benchmark_group("call_token");
    group.bench_function("cloudspec", |b| b.iter(|| runtime.block_on(calls.token())));
    group.bench_function("reference", |b| b.iter(|| runtime.block_on(calls.reference())));
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs keep `cargo xtask bench` to a few minutes; the ratios, not the digits, matter.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = calls
}
criterion_main!(benches);
