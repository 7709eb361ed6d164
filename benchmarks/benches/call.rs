//! A full ShowClusterDetail call against a loopback server: the generated client with AK/SK and
//! with a token, beside a hand-written reqwest + serde_json call of the same request (decoded
//! into the plain twin). Calls are sequential on one connection, as a simple client makes them.

use cloudspec::cdm::{Client, ShowClusterDetailRequest};
use cloudspec::{Config, Credentials};
use cloudspec_benchmarks::{loopback, twins, CLUSTER, PROJECT, SHOW_CLUSTER_DETAIL};
use criterion::{criterion_group, criterion_main, Criterion};

fn client(endpoint: &str, credentials: Credentials) -> Client {
    let config = Config::builder().endpoint(endpoint).credentials(credentials).project_id(PROJECT).build();
    Client::new(config.expect("a valid config")).expect("a client")
}

fn calls(c: &mut Criterion) {
    let endpoint = loopback::serve(SHOW_CLUSTER_DETAIL);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let request = ShowClusterDetailRequest::new(CLUSTER);
    let aksk = client(&endpoint, Credentials::huawei_aksk("AK", "SK"));
    let token = client(&endpoint, Credentials::token("iam-token"));
    // The runtime's reqwest configuration: a connect timeout, redirects not followed.
    let plain = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client");
    let url = format!("{endpoint}/v1.1/{PROJECT}/clusters/{CLUSTER}");
    let reference = || async {
        let response = plain.get(&url).header("X-Auth-Token", "iam-token").send().await.expect("the reference call");
        let bytes = response.error_for_status().expect("a success").bytes().await.expect("a body");
        serde_json::from_slice::<twins::ClusterDetail>(&bytes).expect("the twin decodes")
    };

    let mut group = c.benchmark_group("call_aksk");
    group.bench_function("cloudspec", |b| {
        b.iter(|| runtime.block_on(aksk.show_cluster_detail(&request)).expect("the call succeeds"))
    });
    group.bench_function("reference", |b| b.iter(|| runtime.block_on(reference())));
    group.finish();
    let mut group = c.benchmark_group("call_token");
    group.bench_function("cloudspec", |b| {
        b.iter(|| runtime.block_on(token.show_cluster_detail(&request)).expect("the call succeeds"))
    });
    group.bench_function("reference", |b| b.iter(|| runtime.block_on(reference())));
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
