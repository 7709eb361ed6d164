//! A downstream crate written against release 1 of the widgets SDK (`v1.yaml`): it builds models
//! with constructors and setters, matches enums, and reads a call's metadata. It must still
//! compile against release 2 (`v2.yaml`), whose changes are all additive.

use compat_sdk::widgets::{
    Client, Color, GetWidgetError, GetWidgetRequest, GetWidgetResponse, Pending, Phase, Problem, Widget,
};
use compat_sdk::{Error, Response};

pub fn widget() -> Widget {
    let labels = std::collections::BTreeMap::from([("team".to_owned(), "blue".to_owned())]);
    Widget::new("w-1").with_size(3).with_color(Color::Red).with_labels(labels)
}

pub fn pending() -> Pending {
    Pending::new().with_phase(Phase::Building)
}

pub fn problem() -> Problem {
    Problem::new().with_code("NoSuchWidget")
}

pub fn color_name(color: &Color) -> String {
    match color {
        Color::Red => "red".to_owned(),
        Color::Green => "green".to_owned(),
        Color::Unknown(other) => format!("unknown {other}"),
        other => format!("newer {other}"),
    }
}

pub fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Building => "building",
        Phase::Ready => "ready",
        _ => "other",
    }
}

pub fn outcome(response: &Response<GetWidgetResponse>) -> String {
    let what = match &**response {
        GetWidgetResponse::Status200(widget) => format!("widget {} of size {:?}", widget.name, widget.size),
        GetWidgetResponse::Status202(pending) => format!("pending {:?}", pending.phase.as_ref().map(phase_name)),
        _ => "something newer".to_owned(),
    };
    format!("{what} (HTTP {}, request {:?})", response.status(), response.request_id())
}

pub fn failure(error: &Error) -> String {
    let Some(service) = error.as_service_error() else { return error.to_string() };
    match GetWidgetError::from_service_error(service) {
        Some(GetWidgetError::Status404(problem)) => format!("not found: {:?}", problem.code),
        Some(GetWidgetError::Undocumented) => "undocumented".to_owned(),
        Some(_) | None => service.to_string(),
    }
}

pub async fn fetch(client: &Client, id: &str) -> String {
    let request = GetWidgetRequest::new(id).with_verbose(true);
    match client.get_widget(&request).await {
        Ok(response) => outcome(&response),
        Err(error) => failure(&error),
    }
}
