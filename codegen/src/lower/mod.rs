//! Stage 2, lower: a loaded OpenAPI document -> one [`Service`] of the intermediate model.
//!
//! - `schema`: the type space (component and inline schemas -> named Rust types), with
//!   `shape` (what a schema is: primitive, list, map, one of its parts, a named type),
//!   `resolve` (following `$ref`s and wrappers) and `constraints` (what values must meet).
//! - `tuple`: `prefixItems` -> Rust tuples (or the runtime's `OpenTuple` when more items may follow).
//! - `enums`: `enum`s -> open Rust enums, named by `x-enum-varnames` where given.
//! - `operation`: paths and operations -> client methods, parameters, bodies and responses.
//! - `pagination` and `waiters`: `x-pagination` and `x-waiters` on operations, checked against
//!   the operation's parameters and success body.
//! - `examples`: the spec's examples -> test cases, with recorded contradictions located.
//! - `contract` (only with `Options::contract_tests`): each operation's contract-test
//!   arguments, from the spec's examples or built from the schemas (`sample`).
//! - `recursion`: which by-value references must be boxed to break cycles.
//! - `depth`: alias renames resolved, and type chains deeper than rustc handles refused.
//!
//! Lowering reads the raw JSON tree (through [`view::SchemaView`]) with a JSON pointer in hand at
//! every step, so each diagnostic says exactly where the problem is. It collects diagnostics
//! instead of stopping at the first, and never panics on input.

mod constraints;
pub mod contract;
mod contract_faults;
mod depth;
mod enums;
mod examples;
mod extension;
mod operation;
mod pagination;
mod recursion;
mod regions;
mod resolve;
mod responses;
mod sample;
mod schema;
mod security;
mod shape;
mod tuple;
pub mod view;
mod waiters;

pub(crate) use enums::is_identifier;
pub use operation::OperationAt;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{ErrorCode, Service, SigningScheme};
use crate::load::LoadedSpec;
use crate::naming;
use crate::pointer::Pointer;
use schema::TypeSpace;
use serde_json::Value;

/// At most this many diagnostics are reported per document; past that the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 50;

/// The lowering context of one document.
pub(crate) struct Ctx<'a> {
    spec: &'a LoadedSpec,
    types: TypeSpace,
    /// The security schemes operations may name (read before the operations).
    security_schemes: Vec<crate::ir::SecurityScheme>,
    diagnostics: Vec<Diagnostic>,
    /// Diagnostics past the cap, counted by severity: (errors, warnings).
    suppressed: (usize, usize),
}

impl<'a> Ctx<'a> {
    /// A fresh context over `spec`: no types, no diagnostics yet.
    fn new(spec: &'a LoadedSpec) -> Self {
        Self {
            spec,
            types: TypeSpace::default(),
            security_schemes: Vec::new(),
            diagnostics: Vec::new(),
            suppressed: (0, 0),
        }
    }

    fn raw(&self) -> &'a Value {
        &self.spec.raw
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        let same_kind = self.diagnostics.iter().filter(|d| d.severity == diagnostic.severity).count();
        if same_kind < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else if diagnostic.severity == Severity::Error {
            self.suppressed.0 += 1;
        } else {
            self.suppressed.1 += 1;
        }
    }

    /// One closing diagnostic per severity that was capped: suppressed warnings stay warnings, so
    /// a document with many warnings still generates.
    fn report_suppressed(&mut self) {
        let file = &self.spec.file;
        let (errors, warnings) = self.suppressed;
        if errors > 0 {
            let message = format!("{errors} more errors not shown (at most {MAX_DIAGNOSTICS} of each kind are)");
            self.diagnostics.push(Diagnostic::error(file, "#", message));
        }
        if warnings > 0 {
            let message = format!("{warnings} more warnings not shown (at most {MAX_DIAGNOSTICS} of each kind are)");
            self.diagnostics.push(Diagnostic::warning(file, "#", message));
        }
    }

    pub(crate) fn error(&mut self, at: &Pointer, message: impl Into<String>) {
        let file = self.spec.file.clone();
        self.push(Diagnostic::error(file, at.to_string(), message));
    }

    pub(crate) fn warning(&mut self, at: &Pointer, message: impl Into<String>) {
        let file = self.spec.file.clone();
        self.push(Diagnostic::warning(file, at.to_string(), message));
    }
}

/// What lowering one document gives: the service, or the errors; warnings either way.
pub struct Lowered {
    pub service: Option<Service>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each of the service's operations was lowered from, in its order (for
    /// [`contract::annotate`], which reads the raw tree there).
    pub operations_at: Vec<OperationAt>,
}

/// Lowers one document into a service named `module`.
pub fn lower(spec: &LoadedSpec, module: &str) -> Lowered {
    let mut ctx = Ctx::new(spec);
    ctx.security_schemes = ctx.lower_security_schemes();
    ctx.name_components();
    ctx.lower_components();
    let (operations, operations_at) = ctx.lower_operations();
    ctx.types.defs.sort_by(|a, b| a.name.cmp(&b.name));
    for name in recursion::alias_cycles(&ctx.types.defs) {
        let at = ctx.types.defined_at.get(&name).cloned().unwrap_or_else(Pointer::root);
        ctx.error(&at, format!("a cycle of references with nothing in it to hold a value ({name} reaches itself through references, allOf/oneOf/anyOf of one schema, or arrays only): no Rust type can represent it"));
    }
    recursion::box_cycles(&mut ctx.types.defs);
    depth::resolve_alias_renames(&mut ctx.types.defs);
    if let Some(deep) = depth::too_deep(&ctx.types.defs) {
        let at = ctx.types.defined_at.get(&deep.chain[0]).cloned().unwrap_or_else(Pointer::root);
        ctx.error(&at, format!("types nested {} levels deep ({}), more than the {} rustc compiles reliably: the generated crate would not compile; flatten part of the chain (a free-form `type: object` ends it)", deep.depth, depth::describe(&deep.chain), depth::MAX_TYPE_DEPTH));
    }
    let error_codes = ctx.error_codes();
    let (regions, regions_source) = ctx.regions();
    let service = Service {
        module: module.to_owned(),
        file: spec.file.clone(),
        title: text_at(&spec.raw, "/info/title").unwrap_or_else(|| spec.stem.clone()),
        version: text_at(&spec.raw, "/info/version").unwrap_or_default(),
        // 3.1's one-line `summary` when there is no description.
        description: text_at(&spec.raw, "/info/description").or_else(|| text_at(&spec.raw, "/info/summary")),
        endpoint: text_at(&spec.raw, "/servers/0/url"),
        example_region: text_at(&spec.raw, "/servers/0/variables/region/default"),
        signing: ctx.signing(),
        security_schemes: std::mem::take(&mut ctx.security_schemes),
        types: std::mem::take(&mut ctx.types.defs),
        operations,
        error_codes,
        regions,
        regions_source,
    };
    ctx.report_suppressed();
    let failed = ctx.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Lowered { service: (!failed).then_some(service), diagnostics: ctx.diagnostics, operations_at }
}

/// The module (and cargo feature) name for a document: `x-sdk-module` if it sets one, else the
/// file stem in snake case.
pub fn module_name(spec: &LoadedSpec) -> String {
    match spec.raw.get("x-sdk-module").and_then(Value::as_str) {
        Some(name) => naming::module(name),
        None => naming::module(&spec.stem),
    }
}

fn text_at(raw: &Value, pointer: &str) -> Option<String> {
    raw.pointer(pointer).and_then(Value::as_str).map(str::to_owned)
}

impl Ctx<'_> {
    /// The signing scheme `x-signing` names. A scheme this generator does not know is an error:
    /// taken as no signing, it would send unsigned requests.
    fn signing(&mut self) -> SigningScheme {
        let Some(signing) = self.raw().get("x-signing") else { return SigningScheme::None };
        let at = Pointer::root().key("x-signing");
        let known = || SigningScheme::NAMED.map(|(name, _)| name).join(", ");
        let Some(scheme) = signing.get("scheme") else {
            self.error(&at, format!("x-signing must be an object with a `scheme`: one of {}", known()));
            return SigningScheme::None;
        };
        match SigningScheme::NAMED.iter().find(|(name, _)| Some(*name) == scheme.as_str()) {
            Some((_, named)) => *named,
            None => {
                self.error(&at.key("scheme"), format!("unknown signing scheme {scheme}: expected one of {}", known()));
                SigningScheme::None
            }
        }
    }

    /// The published error-code catalogue (`x-error-codes`).
    fn error_codes(&mut self) -> Vec<ErrorCode> {
        let Some(list) = self.raw().get("x-error-codes") else { return Vec::new() };
        let at = Pointer::root().key("x-error-codes");
        let Some(list) = list.as_array() else {
            self.error(&at, "x-error-codes must be a list of {code, status, message, description, remedy}");
            return Vec::new();
        };
        let text = |entry: &Value, key: &str| {
            entry.get(key).and_then(Value::as_str).map(str::to_owned).filter(|s| !s.is_empty())
        };
        let mut codes: Vec<ErrorCode> = Vec::new();
        for (index, entry) in list.iter().enumerate() {
            let Some(code) = text(entry, "code") else {
                self.error(&at.index(index), "an error code entry needs a string `code`");
                continue;
            };
            let status = match entry.get("status") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_u64().filter(|s| (100..600).contains(s)) {
                    Some(s) => Some(s as u16),
                    None => {
                        self.error(&at.index(index).key("status"), format!("status {v} is not an HTTP status code"));
                        None
                    }
                },
            };
            codes.push(ErrorCode {
                code,
                status,
                message: text(entry, "message"),
                description: text(entry, "description"),
                remedy: text(entry, "remedy"),
            });
        }
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeKind;
    use crate::SpecSource;

    fn lowered(text: &str) -> Lowered {
        let spec = crate::load::load(&SpecSource { file: "t.yaml".into(), text: text.into() }).expect("loads");
        lower(&spec, "t")
    }

    #[test]
    fn keyword_names_are_plain_in_the_ir() {
        let lowered = lowered(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n\
             paths:\n  /x:\n    get:\n      operationId: type\n      parameters:\n        \
             - {name: match, in: query, schema: {type: string}}\n      responses:\n        \
             '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n\
             components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        type: {type: string}\n",
        );
        let service = lowered.service.expect("lowers");
        let op = &service.operations[0];
        assert_eq!((op.fn_name.as_str(), op.params[0].name.as_str()), ("type", "match"));
        let TypeKind::Struct(thing) = &service.types.iter().find(|d| d.name == "Thing").expect("Thing").kind else {
            panic!("Thing is a struct")
        };
        assert_eq!(thing.fields[0].name, "type");
    }

    #[test]
    fn the_signing_scheme_is_typed_and_a_misspelling_is_an_error_at_x_signing() {
        let spec = |scheme: &str| {
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nx-signing: {{scheme: {scheme}}}\npaths: {{}}\n")
        };
        let known = lowered(&spec("huaweicloud-sdk-hmac-sha256"));
        assert_eq!(known.service.expect("lowers").signing, SigningScheme::HuaweiSdkHmacSha256);
        let typo = lowered(&spec("huaweicloud-sdk-hmac-sha265"));
        assert!(typo.service.is_none(), "a misspelled scheme must not lower to an unsigned service");
        let error = typo.diagnostics.iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert_eq!(error.pointer, "#/x-signing/scheme");
        assert!(error.message.contains("huaweicloud-sdk-hmac-sha265"), "{}", error.message);
    }
}
