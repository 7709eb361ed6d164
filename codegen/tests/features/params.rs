//! Parameter text (`params.yaml`): a string or string enum is borrowed from the request, other
//! scalars are formatted by the runtime's `param_text`, configuration values resolved by it.

use super::*;

fn get_thing() -> &'static str {
    item(file("src/params/client.rs"), "    pub async fn get_thing(")
}

#[test]
fn text_parameters_are_borrowed_and_others_formatted() {
    let get = get_thing();
    for borrowed in ["let path_name = request.name.as_str();", "let path_phase = request.phase.as_str();"] {
        assert!(has(get, borrowed), "{borrowed} in {get}");
    }
    for field in ["count", "ratio", "flag"] {
        let formatted = format!("let path_{field} = &cloudspec_runtime::request::param_text(&request.{field});");
        assert!(has(get, &formatted), "{formatted} in {get}");
        assert!(has(get, &format!("PathPiece::Param(path_{field})")), "{get}");
    }
    assert!(has(get, "PathPiece::Param(path_name)"), "{get}");
}

#[test]
fn a_configuration_value_is_resolved_from_the_given_text() {
    let get = get_thing();
    for resolved in [
        r#"resolve_param("project_id", request.project_id.as_deref())"#,
        r#"resolve_param("tier", request.tier.as_ref().map(Phase::as_str))"#,
        // Wrapped by prettyplease: the arguments end with a comma.
        r#"resolve_param("level", request.x_level.as_ref().map(cloudspec_runtime::request::param_text).as_deref(),"#,
    ] {
        assert!(has(get, resolved), "{resolved} in {get}");
    }
    assert!(has(get, "PathPiece::Param(&path_project_id)"), "{get}");
    // Handed to the request by value: a value it keeps is moved in, the configuration's is not kept.
    assert!(has(get, r#"http.record_config_param("project_id", path_project_id);"#), "{get}");
    assert!(
        has(get, r#"http.query("tier", tier.as_str().to_owned()); http.record_config_param("tier", tier);"#),
        "{get}"
    );
}

#[test]
fn an_optional_path_parameter_is_formatted_not_borrowed() {
    let used = item(file("src/params/client.rs"), "    pub async fn use_token(");
    assert!(has(used, "let path_token = &cloudspec_runtime::request::param_text(&request.token);"), "{used}");
}
