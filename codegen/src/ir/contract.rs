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
}

/// One argument's value, as JSON for its Rust type to decode.
#[derive(Debug, Clone)]
pub struct ContractValue {
    pub value: serde_json::Value,
    /// The spec's own example (of the parameter, the media type or the schema), not synthesised.
    pub from_spec: bool,
}
