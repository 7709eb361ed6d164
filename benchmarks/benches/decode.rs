//! Decoding response examples into the generated types beside a plain derive of the same shape
//! (`cloudspec_benchmarks::twins`), one response example per spec. ShowClusterDetail's is the
//! document's verbatim example, so its tolerated fields (`actions`, `volume.size`) take the lenient
//! path in their undocumented forms; ROMA's ShowResponseProperty takes it in the documented ones.

use cloudspec_benchmarks::{twins, CREATED_CLUSTER, RESPONSE_PROPERTY, SECRET_EVENT, SHOW_CLUSTER_DETAIL};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde::de::DeserializeOwned;

fn pair<Generated: DeserializeOwned, Twin: DeserializeOwned>(c: &mut Criterion, name: &str, json: &str) {
    serde_json::from_str::<Generated>(json).expect("the generated type decodes the example");
    serde_json::from_str::<Twin>(json).expect("the twin decodes the example");
    let mut group = c.benchmark_group(format!("decode_{name}"));
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("cloudspec", |b| b.iter(|| serde_json::from_str::<Generated>(black_box(json))));
    group.bench_function("reference", |b| b.iter(|| serde_json::from_str::<Twin>(black_box(json))));
    group.finish();
}

fn decode(c: &mut Criterion) {
    pair::<cloudspec::cdm::ShowClusterDetailResponseBody, twins::ClusterDetail>(
        c,
        "cdm_show_cluster_detail",
        SHOW_CLUSTER_DETAIL,
    );
    pair::<cloudspec::csms::SecretEventResponseBody, twins::SecretEventBody>(c, "csms_secret_event", SECRET_EVENT);
    pair::<cloudspec::roma::ShowResponsePropertyResponseBody, twins::ResponseProperty>(
        c,
        "roma_response_property",
        RESPONSE_PROPERTY,
    );
    pair::<cloudspec::batchcompute::CreateClusterResponseBody, twins::CreatedCluster>(
        c,
        "batchcompute_create_cluster",
        CREATED_CLUSTER,
    );
}

criterion_group! {
    name = benches;
    // Short runs keep `cargo xtask bench` to a few minutes; the ratios, not the digits, matter.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = decode
}
criterion_main!(benches);
