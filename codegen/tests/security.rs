//! Security schemes and requirements, on `tests/features/security.yaml` (how the generated client
//! behaves with them: `sdk-tests/tests/security.rs`).

mod support;

use cloudspec_codegen::{generate, SpecSource};
use support::snapshot_options;

#[test]
fn each_method_names_its_requirement_and_unsupported_schemes_are_warned_about() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features/security.yaml");
    let source = SpecSource { file: "security.yaml".into(), text: std::fs::read_to_string(path).unwrap() };
    let generated = generate(&[source], &snapshot_options()).unwrap_or_else(|d| panic!("{d}"));
    let client = &generated.files["src/security/client.rs"];
    let call_of = |method: &str| {
        let start = client.find(&format!("pub async fn {method}(")).unwrap();
        let rest = &client[start..];
        let end = rest.find("self.runtime.send").unwrap();
        rest[..end].split_whitespace().collect::<String>()
    };
    for (method, expected) in [
        ("get_me", ".security(&[&[SCHEME_BEARER]])"),
        ("get_health", ".security(&[])"),
        ("get_admin", ".security(&[&[SCHEME_BASIC]])"),
        ("search", ".security(&[&[SCHEME_HEADER_KEY],&[SCHEME_QUERY_KEY]])"),
        ("get_session", ".security(&[&[SCHEME_COOKIE_KEY,SCHEME_BEARER]])"),
        ("get_feed", ".security(&[&[],&[SCHEME_OAUTH]])"),
    ] {
        assert!(call_of(method).contains(expected), "{method}: {}", call_of(method));
    }
    assert!(!call_of("get_digest").contains(".security("), "{}", call_of("get_digest"));
    let compact: String = client.split_whitespace().collect();
    assert!(compact.contains("location:cloudspec_runtime::security::ApiKeyLocation::Cookie,name:\"session\""));
    assert!(!compact.contains("SCHEME_DIGEST"), "an unsupported scheme gets no const");
    let warnings: Vec<_> = generated.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/components/securitySchemes/digest");
    assert!(warnings[0].1.contains("\"digest\" is not supported"), "{warnings:?}");
}
