//! What a contract test sends (`Options::contract_tests`), chosen by `lower::contract`.

/// The arguments a contract test calls an operation with: the spec's examples, or values built
/// from the schemas where it has none.
#[derive(Debug, Clone, Default)]
pub struct ContractCall {
    /// The parameters set (required ones, those the configuration would supply, and optional ones
    /// with an example), by the request field's name, in the operation's order.
    pub params: Vec<(String, ContractValue)>,
    /// The body, when the operation has one.
    pub body: Option<ContractValue>,
    /// Why Prism flags the body whatever the SDK sends, when the spec (or the mock) is the cause.
    pub body_caveat: Option<BodyCaveat>,
    /// Where the spec's success response example, which Prism answers with, breaks its schema: a
    /// response that does not decode is asked for again, generated from the schema.
    pub broken_response_example: Option<String>,
    /// Another operation that is the same request on the wire: a response that does not decode
    /// may be the other one's.
    pub same_request: Option<String>,
}

/// Why Prism flags a body the SDK sends, and which of its top-level members (none: all of it).
#[derive(Debug, Clone, PartialEq)]
pub struct BodyCaveat {
    pub why: String,
    pub members: Vec<String>,
}

/// One argument's value, as JSON for its Rust type to decode.
#[derive(Debug, Clone)]
pub struct ContractValue {
    pub value: serde_json::Value,
    /// The spec's own example (of the parameter, the media type or the schema), not synthesised.
    pub from_spec: bool,
}
