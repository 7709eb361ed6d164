//! Spec text is data, never code: hostile strings in every text slot of a small spec (titles,
//! descriptions, summaries, examples, defaults, error-code messages, `x-source`,
//! `x-contradiction`, a media-type key, a request body's description, `x-enum-descriptions`, the
//! spec's file name, `x-waiters` values, the body field a waiter reads and the parameters a
//! paginator sets) must leave the generated crate exactly what the same spec with plain text
//! gives: the same items and attributes (docs and string contents aside), the same code blocks
//! and no raw HTML in any doc comment or the README. A few cases also compile the crate and run
//! `cargo test --doc`, which must find exactly the doctests the generator wrote.
//!
//! Cases come from proptest with a fixed seed, so a failure reproduces.

use cloudspec_codegen::{generate, Generated, Options, SpecSource};
use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How many text slots the spec has.
const SLOTS: usize = 35;

/// The slots that name a body field or parameter (the rest are free text): see [`name`].
const NAME_SLOTS: [usize; 3] = [32, 33, 34];

/// Pieces of hostile text: fences of both kinds and lengths, indented code (by spaces, a tab, a
/// list item), HTML, line endings of every kind, attribute and comment syntax, quotes, escapes.
const FRAGMENTS: &[&str] = &[
    "\n```\nstd::process::exit(3);\n```\n",
    "\n~~~rust\nfn main() { panic!(\"ran\") }\n~~~\n",
    "\r````\rpanic!()\r````\r",
    "\r\n~~~~~~\r\nlet x = 1;\r\n~~~~~~\r\n",
    "\n\n    std::process::abort();\n",
    "\n\n\tpanic!(\"tab\");\n",
    "\n\n-     listed_code();\n",
    "\n   ~~~\nindented_fence();\n   ~~~\n",
    "\n  `````rust,should_panic\npanic!()\n  `````\n",
    "\n1.    numbered_code();\n",
    "\n\n\u{85}    after_next_line();\u{a0}\u{a0}\u{a0}\u{a0}nbsp\n",
    "\n>     quoted_code();\n",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- comment -->",
    "\n<details open>\n\n<summary>x</summary>\n",
    "&lt;script&gt; &#96;&#96;&#96;",
    "\n#![cfg(any())]\n",
    "\n#![doc = include_str!(\"/etc/hostname\")]\n",
    "*/ /* //! ",
    "\"]\n#[cfg(any())]\n#[doc = \"",
    "` `` ``` ",
    "[link](javascript:alert(1)) [`Error`]",
    "\\ \\n \\u{0} \u{0} \u{7} \u{2028}",
    "{}{{}} %s $0 #{x}",
    "https://example.com/a_b?c=<d>",
];

fn plain(slot: usize) -> String {
    format!("text {slot}")
}

/// A slot's text as a name: a name also becomes a Rust identifier, from its letters and digits,
/// so a name keeps only the text's other ASCII characters (fences, HTML, line breaks, quotes):
/// the identifier stays the plain spec's, and the items can be compared.
fn name(text: &str, slot: usize) -> String {
    let kept: String = text.chars().filter(|c| c.is_ascii() && !c.is_ascii_alphanumeric()).collect();
    format!("{kept}name {slot}")
}

/// `name` as a JSON pointer of one segment (RFC 6901), as `x-waiters` may name a body field.
fn pointer(name: &str) -> String {
    format!("/{}", name.replace('~', "~0").replace('/', "~1"))
}

/// The spec with each slot's text from `text`.
fn spec(text: &dyn Fn(usize) -> String) -> Value {
    let t = |i: usize| Value::String(text(i));
    let [state, offset, limit] = NAME_SLOTS.map(|i| name(&text(i), i));
    json!({
        "openapi": "3.0.3",
        "info": {"title": t(0), "version": t(1), "description": t(2)},
        "x-sdk-module": "pets",
        "x-error-codes": [{"code": "PET.001", "status": 400, "message": t(3), "description": t(4), "remedy": t(5)}],
        "paths": {
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "summary": t(6),
                    "description": t(7),
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "description": t(8),
                         "schema": {"type": "string", "example": t(9)}},
                        {"name": "kind", "in": "query", "description": t(10),
                         "schema": {"type": "string", "default": t(11)}}
                    ],
                    "x-waiters": {"pet_ready": {
                        "field": pointer(&state), "success": [t(30)], "failure": [t(31)], "delay": 1, "max-wait": 60
                    }},
                    "responses": {
                        "200": {"description": t(12),
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                        "404": {"description": t(13),
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                    }
                }
            },
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [
                        {"name": offset, "in": "query", "schema": {"type": "integer"}},
                        {"name": limit, "in": "query", "schema": {"type": "integer"}}
                    ],
                    "x-pagination": {"style": "offset", "offset": offset, "limit": limit, "items": "pets", "total": "total"},
                    "responses": {"200": {"description": "pets", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                            "total": {"type": "integer"}
                        }
                    }}}}}
                }
            },
            "/notes": {
                "put": {
                    "operationId": "putNote",
                    "deprecated": true,
                    "requestBody": {"required": true, "description": t(26), "content": {
                        format!("text/plain; note=\"{}\"", text(14)): {"schema": {"type": "string"}}
                    }},
                    "responses": {"204": {"description": t(15)}}
                }
            }
        },
        "components": {"schemas": {
            "Pet": {
                "type": "object", "title": t(16), "description": t(17), "x-source": t(18), "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": t(19), "example": t(20)},
                    "tag": {"$ref": "#/components/schemas/Tag"},
                    state.clone(): {"type": "string"},
                    "note": {"type": "string", "deprecated": true, "default": t(21), "x-contradiction": {"note": t(22), "package": t(29)}}
                }
            },
            "Tag": {"type": "string", "description": t(23), "enum": ["a", "b"], "x-enum-descriptions": [t(27), t(28)]},
            "Problem": {
                "type": "object",
                "properties": {"message": {"type": "string", "description": t(24)}},
                "example": {"message": t(25)}
            }
        }}
    })
}

fn generate_with(text: &dyn Fn(usize) -> String, file: &str, runtime_path: Option<String>) -> Generated {
    let source = SpecSource { file: file.to_owned(), text: spec(text).to_string() };
    // With contract tests: their arguments are spec values too (JSON in string literals).
    let options =
        Options { crate_name: "hostile-pets".into(), runtime_path, contract_tests: true, ..Options::default() };
    generate(&[source], &options).unwrap_or_else(|d| panic!("the spec must generate:\n{d}"))
}

/// What a Rust file is made of, text from the spec aside: its tokens with doc attributes dropped
/// and string literals emptied, and the Markdown of its doc comments.
#[derive(Debug, Default)]
struct Shape {
    tokens: String,
    docs: Vec<String>,
}

fn shape(path: &str, code: &str) -> Shape {
    let tokens: TokenStream = code.parse().unwrap_or_else(|e| panic!("{path} must parse ({e}):\n{code}"));
    let mut shape = Shape::default();
    let mut docs = Vec::new();
    let stripped = strip(tokens, &mut docs, &mut shape.docs);
    shape.docs.extend((!docs.is_empty()).then(|| docs.join("\n")));
    shape.tokens = stripped.to_string();
    shape
}

/// Drops `#[doc = ".."]` / `#![doc = ".."]`, collecting their text into blocks (one per run of
/// doc attributes), and empties string literals.
fn strip(tokens: TokenStream, run: &mut Vec<String>, blocks: &mut Vec<String>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        let bang = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let attr = if bang { trees.get(i + 2) } else { trees.get(i + 1) };
        if let (TokenTree::Punct(p), Some(TokenTree::Group(g))) = (&trees[i], attr) {
            if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket {
                if let Some(text) = doc_text(g) {
                    run.push(text);
                    i += if bang { 3 } else { 2 };
                    continue;
                }
            }
        }
        if !run.is_empty() {
            blocks.push(std::mem::take(run).join("\n"));
        }
        out.push(match &trees[i] {
            TokenTree::Group(g) => {
                let inner = strip(g.stream(), run, blocks);
                if !run.is_empty() {
                    blocks.push(std::mem::take(run).join("\n"));
                }
                // A trailing comma is the layout's choice (a long literal breaks the line).
                let mut inner: Vec<TokenTree> = inner.into_iter().collect();
                if matches!(inner.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
                    inner.pop();
                }
                TokenTree::Group(Group::new(g.delimiter(), inner.into_iter().collect()))
            }
            TokenTree::Literal(l) if l.to_string().contains('"') => TokenTree::Literal(Literal::string("")),
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// The text of a `doc = ".."` attribute body.
fn doc_text(group: &Group) -> Option<String> {
    let trees: Vec<TokenTree> = group.stream().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(lit)]
            if name == "doc" && eq.as_char() == '=' =>
        {
            let lit: syn::LitStr = syn::parse2(TokenTree::Literal(lit.clone()).into()).ok()?;
            Some(lit.value())
        }
        _ => None,
    }
}

/// What rustdoc would make of Markdown: its code blocks (the doctests, by their info string) and
/// how much raw HTML it holds.
#[derive(Debug, Default, PartialEq, Eq)]
struct Rendered {
    code_blocks: Vec<String>,
    html: usize,
}

fn render(markdown: &str) -> Rendered {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    // rustdoc first removes the indentation all lines share (the space after `///`).
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let common = markdown.lines().filter(|l| !l.trim().is_empty()).map(indent).min().unwrap_or(0);
    let markdown: String = markdown.lines().map(|l| format!("{}\n", l.get(common..).unwrap_or(""))).collect();
    let mut out = Rendered::default();
    for event in Parser::new(&markdown) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => out.code_blocks.push(info.to_string()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => out.code_blocks.push("(indented)".into()),
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => out.html += 1,
            _ => {}
        }
    }
    out
}

/// Every file's shape: Rust files by tokens and doc Markdown, the rest (README, Cargo.toml) by
/// what renders.
fn crate_shape(generated: &Generated) -> BTreeMap<String, (String, Vec<Rendered>)> {
    generated
        .files
        .iter()
        .map(|(path, text)| {
            let shape = if path.ends_with(".rs") {
                let s = shape(path, text);
                (s.tokens, s.docs.iter().map(|d| render(d)).collect())
            } else if path.ends_with(".md") {
                (String::new(), vec![render(text)])
            } else {
                (String::new(), Vec::new())
            };
            (path.clone(), shape)
        })
        .collect()
}

fn hostile_texts() -> impl Strategy<Value = Vec<String>> {
    let fragment = proptest::sample::select(FRAGMENTS);
    let text = proptest::collection::vec(fragment, 1..4).prop_map(|parts| parts.concat());
    proptest::collection::vec(text, SLOTS)
}

fn runner(cases: u32, max_shrink_iters: u32) -> TestRunner {
    let config = Config { cases, max_shrink_iters, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

fn hostile(texts: &[String]) -> impl Fn(usize) -> String + '_ {
    move |i| format!("{}{}", texts[i], plain(i))
}

const PLAIN_FILE: &str = "spec/pets.yaml";

fn hostile_file(texts: &[String]) -> String {
    format!("spec/{}pets.yaml", texts[0])
}

#[test]
fn hostile_text_changes_no_item_code_block_or_html() {
    let expected = crate_shape(&generate_with(&plain, PLAIN_FILE, None));
    // The plain spec's docs do have code blocks (the generated examples); all must survive.
    assert!(expected.values().any(|(_, docs)| docs.iter().any(|d| !d.code_blocks.is_empty())));
    runner(64, 256)
        .run(&hostile_texts(), |texts| {
            let got = crate_shape(&generate_with(&hostile(&texts), &hostile_file(&texts), None));
            prop_assert_eq!(got.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
            for (path, (tokens, docs)) in &got {
                let (want_tokens, want_docs) = &expected[path];
                let at = tokens.bytes().zip(want_tokens.bytes()).position(|(a, b)| a != b).unwrap_or(0);
                prop_assert!(
                    tokens == want_tokens,
                    "{path}: items or attributes differ from the plain spec's: {:?} instead of {:?}",
                    &tokens[at.saturating_sub(80)..(at + 80).min(tokens.len())],
                    &want_tokens[at.saturating_sub(80)..(at + 80).min(want_tokens.len())]
                );
                let blocks = |d: &[Rendered]| d.iter().flat_map(|r| r.code_blocks.clone()).collect::<Vec<_>>();
                prop_assert_eq!(blocks(docs), blocks(want_docs), "{}: code blocks differ", path);
                let html = |d: &[Rendered]| d.iter().map(|r| r.html).sum::<usize>();
                prop_assert_eq!(html(docs), html(want_docs), "{}: raw HTML in the docs", path);
            }
            Ok(())
        })
        .unwrap();
}

/// The workspace's target folder: the compiled cases reuse its dependencies (cargo no longer
/// holds it once tests run).
fn target_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace.join("target"))
}

/// The runtime crate, for the compiled crates' `Cargo.toml`.
fn runtime_path() -> String {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    runtime.canonicalize().unwrap().display().to_string()
}

/// Writes the crate and runs `cargo test --doc` on it, which must succeed; returns how many
/// doctests rustdoc found (passed or ignored: an ignored one was found, so it was written).
fn doctests_found(generated: &Generated, dir: &Path) -> usize {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let _ = std::fs::remove_dir_all(dir);
    for (path, text) in &generated.files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        // A workspace of its own: the folder is inside this one's.
        let workspace_table = if path == "Cargo.toml" { "\n[workspace]\n" } else { "" };
        std::fs::write(file, format!("{text}{workspace_table}")).unwrap();
    }
    // The workspace's versions of every dependency: its artifacts are reused, and no network.
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        // `test-util` too: the `mock` module's doctest is one the generator wrote.
        .args(["test", "--doc", "--offline", "--quiet", "--features", "test-util"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "cargo test --doc failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; ..."
    let count = |line: &str, what: &str| -> usize {
        let words: Vec<&str> = line.split([' ', ';']).filter(|w| !w.is_empty()).collect();
        words.windows(2).find(|w| w[1] == what).and_then(|w| w[0].parse().ok()).unwrap_or(0)
    };
    let results = stdout.lines().filter_map(|l| l.strip_prefix("test result: ok. "));
    results.map(|l| count(l, "passed") + count(l, "ignored")).sum()
}

#[test]
fn hostile_crates_compile_and_run_only_the_generated_doctests() {
    // The doctests the generator writes: the code blocks in the plain crate's library docs.
    let meant: usize = crate_shape(&generate_with(&plain, PLAIN_FILE, None))
        .iter()
        .filter(|(path, _)| path.starts_with("src/"))
        .flat_map(|(_, (_, docs))| docs.iter().map(|d| d.code_blocks.len()))
        .sum();
    assert!(meant > 0);
    let case = std::cell::Cell::new(0);
    // Two cases: each compiles a crate and its doctests.
    runner(2, 0)
        .run(&hostile_texts(), |texts| {
            case.set(case.get() + 1);
            let generated = generate_with(&hostile(&texts), &hostile_file(&texts), Some(runtime_path()));
            let found =
                doctests_found(&generated, &target_dir().join("hostile-text").join(format!("case-{}", case.get())));
            prop_assert_eq!(found, meant, "cargo test --doc found other doctests than the generator wrote");
            Ok(())
        })
        .unwrap();
}
