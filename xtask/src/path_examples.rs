//! Every path parameter of the specs has an `example` (spec/README.md, "Transcription rules"):
//! client generators, mock servers and the API reference fill request paths from it, and without
//! one they invent ids. Checked by `cargo xtask lint-spec` and by this module's test.

use serde_json::Value;

/// `<operation or parameter>: <name>` for every path parameter without an `example` (or an
/// `examples` map), whether declared on an operation, on its path item, or in
/// `components/parameters` (a `$ref` is checked where it points).
pub fn missing(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |owner: &str, parameter: &Value| {
        let parameter = resolve(doc, parameter);
        let is_path = parameter.get("in").and_then(Value::as_str) == Some("path");
        let has_example = parameter.get("example").is_some()
            || parameter.get("examples").and_then(Value::as_object).is_some_and(|e| !e.is_empty())
            || parameter.pointer("/schema/example").is_some();
        if is_path && !has_example {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            found.push(format!("{owner}: path parameter {name} has no example"));
        }
    };
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return found };
    for (path, item) in paths {
        for parameter in list(item.get("parameters")) {
            check(path, parameter);
        }
        for operation in item.as_object().into_iter().flat_map(|m| m.values()) {
            let owner = operation.get("operationId").and_then(Value::as_str).unwrap_or(path);
            for parameter in list(operation.get("parameters")) {
                check(owner, parameter);
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn list(node: Option<&Value>) -> &[Value] {
    node.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A local `$ref` (`#/components/parameters/x`) resolved once; anything else as it is.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).unwrap_or(node),
        None => node,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::read_spec;
    use crate::paths::{root, spec_files};
    use serde_json::json;

    #[test]
    fn every_path_parameter_of_the_specs_has_an_example() {
        for spec in spec_files(&root().join("spec")).unwrap() {
            let found = missing(&read_spec(&spec).unwrap().raw);
            assert!(found.is_empty(), "{}:\n{}", spec.display(), found.join("\n"));
        }
    }

    #[test]
    fn path_parameters_without_examples_are_found_through_refs_and_path_items() {
        let doc = json!({
            "paths": {"/a/{id}/{b}/{c}": {
                "parameters": [{"name": "c", "in": "path"}],
                "get": {"operationId": "GetA", "parameters": [
                    {"$ref": "#/components/parameters/id"},
                    {"name": "b", "in": "path", "example": "x"},
                    {"name": "q", "in": "query"}
                ]}
            }},
            "components": {"parameters": {"id": {"name": "id", "in": "path", "schema": {"type": "string"}}}}
        });
        assert_eq!(
            missing(&doc),
            ["/a/{id}/{b}/{c}: path parameter c has no example", "GetA: path parameter id has no example"]
        );
    }
}
