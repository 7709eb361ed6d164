//! Each signer beside its bare cryptography: what signing costs beyond the hashes it must compute.
//!
//! Huawei (`SDK-HMAC-SHA256`): SHA-256 of the body and of the canonical request, HMAC-SHA256 of
//! the string to sign, each hex-encoded. BatchCompute (`acs`): HMAC-SHA1 of the string to sign,
//! base64-encoded. The baselines hash inputs of the same lengths as the signers do.

use base64::Engine;
use cloudspec_runtime::credentials::Secret;
use cloudspec_runtime::signing::{aliyun, huawei, QueryValue, RequestToSign};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const BODY: &str = r#"{"cluster":{"name":"cdm-ab82","vpcId":"67c06084-2212-4242-bcd4-d2144c2385a9","datastore":{"type":"cdm","version":"1.8.10"}},"auto_remind":false}"#;

/// A CDM CreateCluster as the client hands it to the signer (borrowing the query, as it
/// borrows everything from the operation's request).
fn huawei_request(query: &[(String, QueryValue)]) -> RequestToSign<'_> {
    RequestToSign {
        method: "POST",
        host: "cdm.cn-north-4.myhuaweicloud.com",
        path: "/v1.1/1551c7f6c808414d8e9f3c514a170f2e/clusters",
        query,
        headers: vec![("Content-Type", "application/json"), ("X-Language", "en-us"), ("User-Agent", "cloudspec/0.1.0")],
        body: BODY.as_bytes(),
    }
}

/// A BatchCompute ListClusters as the client hands it to the signer.
fn aliyun_request(query: &[(String, QueryValue)]) -> RequestToSign<'_> {
    RequestToSign {
        method: "GET",
        host: "batchcompute.cn-shenzhen.aliyuncs.com",
        path: "/clusters",
        query,
        headers: vec![("User-Agent", "cloudspec/0.1.0")],
        body: &[],
    }
}

fn date() -> time::OffsetDateTime {
    time::macros::datetime!(2024-06-01 12:00:00 UTC)
}

fn huawei(c: &mut Criterion) {
    let sk = Secret::new("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
    let query = [("limit".to_owned(), QueryValue::from("10"))];
    let reference = huawei::sign(huawei_request(&query), "AK", &sk, date()).expect("the request signs");
    let (canonical, to_sign) = (reference.canonical_request.clone(), reference.string_to_sign.clone());
    let mut group = c.benchmark_group("sign_huawei");
    group.bench_function("cloudspec", |b| {
        b.iter_batched(
            || huawei_request(&query),
            |request| huawei::sign(request, "AK", &sk, date()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("reference", |b| {
        b.iter(|| {
            let body = hex::encode(Sha256::digest(black_box(BODY.as_bytes())));
            let request = hex::encode(Sha256::digest(black_box(canonical.as_bytes())));
            let mut mac = Hmac::<Sha256>::new_from_slice(sk.expose().as_bytes()).expect("any key length");
            mac.update(black_box(to_sign.as_bytes()));
            (body, request, hex::encode(mac.finalize().into_bytes()))
        })
    });
    group.finish();
}

fn aliyun(c: &mut Criterion) {
    let secret = Secret::new("kRA2cYKPvYfwjzE1Rv9rwTKrhz1DsR");
    let params = aliyun::SigningParams {
        access_key_id: "LTAI5tAKExample",
        secret: &secret,
        security_token: None,
        region_id: "cn-shenzhen",
        api_version: "2015-11-11",
        date: date(),
        nonce: "5c8f4a4e-2f31-11ef-9a4b-0242ac120002",
    };
    let query = [("MaxItemCount".to_owned(), QueryValue::from("50")), ("Marker".to_owned(), QueryValue::from(""))];
    let to_sign = aliyun::sign(aliyun_request(&query), &params).string_to_sign;
    let mut group = c.benchmark_group("sign_batchcompute");
    group.bench_function("cloudspec", |b| {
        b.iter_batched(|| aliyun_request(&query), |request| aliyun::sign(request, &params), BatchSize::SmallInput)
    });
    group.bench_function("reference", |b| {
        b.iter(|| {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.expose().as_bytes()).expect("any key length");
            mac.update(black_box(to_sign.as_bytes()));
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs keep `cargo xtask bench` to a few minutes; the ratios, not the digits, matter.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = huawei, aliyun
}
criterion_main!(benches);
