//! What `x-pagination` and `x-waiters` emit, on `tests/features/polling.yaml` (generated into the
//! `feature-snapshots` crate's `polling` module, whose behaviour `sdk-tests/tests/paginators.rs`
//! and `waiters.rs` exercise) and on a spec made here.

mod support;

use cloudspec_codegen::{generate, SpecSource};
use support::{snapshot_options, squash};

fn client(spec: &str) -> String {
    let source = SpecSource { file: "polling.yaml".into(), text: spec.into() };
    let generated = generate(&[source], &snapshot_options()).unwrap_or_else(|d| panic!("must generate:\n{d}"));
    generated.files.get("src/polling/client.rs").expect("a client").clone()
}

fn feature_client() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/polling.yaml");
    client(&std::fs::read_to_string(path).unwrap())
}

/// A spec whose `GET /things/{id}` has the one `waiter` (a flow mapping entry) and a success
/// body of `properties` (a flow mapping).
fn thing_spec(waiter: &str, properties: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
x-sdk-module: polling
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      x-waiters:
        {waiter}
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: object, properties: {properties}}}
"#
    )
}

/// Whether `haystack` holds `needle`, however prettyplease wrapped it (whitespace, and the
/// trailing commas it adds to wrapped lists, aside).
fn has(haystack: &str, needle: &str) -> bool {
    let plain = |text: &str| squash(text).replace(",)", ")").replace(",}", "}").replace(",]", "]");
    plain(haystack).contains(&plain(needle))
}

/// The method `name`, from its signature to its closing brace.
fn method<'a>(client: &'a str, name: &str) -> &'a str {
    let begin = client.find(&format!("fn {name}(")).unwrap_or_else(|| panic!("no method {name}"));
    let rest = &client[begin..];
    &rest[..rest.find("\n    }\n").map_or(rest.len(), |i| i + 7)]
}

#[test]
fn a_marker_paginator_passes_each_next_marker_and_streams_pages_and_items() {
    let client = feature_client();
    let pages = method(&client, "list_events_pages");
    assert!(has(pages, "-> cloudspec_runtime::pagination::PageStream<'_, ListEventsStatus200Body>"), "{pages}");
    assert!(has(pages, "Position::Marker(request.marker.clone().unwrap_or_default())"), "{pages}");
    assert!(has(pages, "request.marker = Some(position.marker());"), "{pages}");
    // `events` is required (a plain Vec), `next_marker` optional.
    assert!(has(pages, "items: body.events.len(), total: None, next_marker: body.next_marker.clone()"), "{pages}");
    let items = method(&client, "list_events_items");
    assert!(has(items, "-> cloudspec_runtime::pagination::ItemStream<'_, Event>"), "{items}");
    assert!(has(items, "|body: ListEventsStatus200Body| body.events)"), "{items}");
}

#[test]
fn a_page_paginator_counts_from_the_first_page_and_reads_the_total() {
    let client = feature_client();
    let pages = method(&client, "list_reports_pages");
    assert!(
        has(pages, "Position::Page(request.page.and_then(|number| u64::try_from(number).ok()).unwrap_or(1))"),
        "{pages}"
    );
    assert!(has(pages, r#"request.page = Some(position.number("listReports")?);"#), "{pages}");
    assert!(has(pages, "total: body.total_count.and_then(|total| u64::try_from(total).ok())"), "{pages}");
    assert!(client.contains("The request's `page_size` is every page's size."), "the page size is documented");
    assert!(has(method(&client, "list_reports_items"), "body.reports.unwrap_or_default()"));
}

#[test]
fn paginator_fields_nested_in_objects_follow_each_option_on_the_way() {
    let client = feature_client();
    // `/data/entries`: `data` optional, `entries` required; `/meta/paging/next`: `meta`
    // required, `paging` and `next` optional.
    let pages = method(&client, "list_audits_pages");
    assert!(has(pages, "items: body.data.as_ref().map_or(0, |parent| parent.entries.len())"), "{pages}");
    assert!(has(pages, "next_marker: body.meta.paging.as_ref().and_then(|parent| parent.next.clone())"), "{pages}");
    let items = method(&client, "list_audits_items");
    assert!(has(items, "body.data.map(|parent| parent.entries).unwrap_or_default()"), "{items}");
    // `/result/alerts` and `/result/summary/total`: required objects are plain places.
    let pages = method(&client, "list_alerts_pages");
    assert!(has(pages, "items: body.result.alerts.as_ref().map_or(0, Vec::len)"), "{pages}");
    assert!(
        has(pages, "total: Some(body.result.summary.total).and_then(|total| u64::try_from(total).ok())"),
        "{pages}"
    );
    assert!(has(method(&client, "list_alerts_items"), "body.result.alerts.unwrap_or_default()"));
}

#[test]
fn a_pointer_reaches_names_with_a_slash_and_a_nested_waiter_field() {
    let spec = thing_spec(
        "thing_ready: {field: /a~1b/status, success: [ready], delay: 1, max-wait: 10}",
        "{a/b: {type: object, required: [status], properties: {status: {type: string}}}}",
    );
    let ready = method(&client(&spec), "wait_until_thing_ready").to_owned();
    assert!(
        has(&ready, "body.a_b.as_ref().map(|parent| cloudspec_runtime::request::param_text(&parent.status))"),
        "{ready}"
    );
}

#[test]
fn waiters_poll_with_the_specs_timing_and_compare_wire_values() {
    let client = feature_client();
    let done = method(&client, "wait_until_job_done");
    assert!(has(done, r#"success: &["done"], failure: &["failed", "cancelled"]"#), "{done}");
    assert!(has(done, "WaitPolicy::from_millis(500, 2.0, 8000, 120000)"), "{done}");
    assert!(has(done, "body.state.as_ref().map(cloudspec_runtime::request::param_text)"), "{done}");
    assert!(has(done, "cloudspec_runtime::waiter::wait(waiter, &options, || self.get_job(request)).await"), "{done}");
    // An integer field, required: its decimal text; no failure values; max-delay is max-wait.
    let staged = method(&client, "wait_until_job_staged");
    assert!(has(staged, r#"success: &["3"], failure: &[]"#), "{staged}");
    assert!(has(staged, "WaitPolicy::from_millis(1000, 1.0, 30000, 30000)"), "{staged}");
    assert!(has(staged, "Some(cloudspec_runtime::request::param_text(&body.stage))"), "{staged}");
    // Documented, with a compiled example.
    assert!(client.contains("/// The job has finished."), "the waiter's description");
    assert!(
        client.contains("the next after 0.5 s, each delay 2 times the one before up to 8 s, for at most 2 min in all")
    );
    assert!(client.contains("client.wait_until_job_done(&request, options).await?"));
}

#[test]
fn operations_without_the_extensions_get_no_helpers_and_unknown_keys_are_warned() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
x-sdk-module: polling
paths:
  /things:
    get:
      operationId: listThings
      x-pagination: {style: offset, offset: offset, items: things, colour: blue}
      parameters:
        - {name: offset, in: query, required: true, schema: {type: integer, format: int32}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {things: {type: array, items: {type: string}}}}
  /other:
    get:
      operationId: getOther
      responses: {'200': {description: ok}}
"#;
    let source = SpecSource { file: "polling.yaml".into(), text: spec.into() };
    let generated = generate(&[source], &snapshot_options()).unwrap();
    let warning = generated.warnings.iter().find(|d| d.pointer.ends_with("x-pagination/colour")).expect("a warning");
    assert!(warning.message.contains("no key \"colour\""), "{warning}");
    let client = &generated.files["src/polling/client.rs"];
    assert!(!client.contains("get_other_pages") && !client.contains("wait_until"));
    // A required offset parameter is set without `Some`, and read without `Option`.
    let pages = method(client, "list_things_pages");
    assert!(
        has(pages, "Position::Offset(Some(request.offset).and_then(|number| u64::try_from(number).ok()).unwrap_or(0))"),
        "{pages}"
    );
    assert!(has(pages, r#"request.offset = position.number("listThings")?;"#), "{pages}");
}

#[test]
fn waiters_that_succeed_on_a_service_error_return_what_can_end_them() {
    let client = feature_client();
    // A state or a 404: the outcome says which.
    let deleted = method(&client, "wait_until_job_deleted");
    assert!(has(deleted, "-> Result<cloudspec_runtime::waiter::WaitOutcome<GetJobStatus200Body>,"), "{deleted}");
    assert!(has(deleted, r#"success: &["deleted"], failure: &[], success_statuses: &[404], success_codes: &[]"#));
    assert!(has(deleted, "cloudspec_runtime::waiter::wait_for_outcome(waiter, &options, || self.get_job(request))"));
    // Errors only, a failure state still read: the service error that ended it.
    let removed = method(&client, "wait_until_job_removed");
    assert!(
        has(
            removed,
            "-> Result<cloudspec_runtime::ServiceError, cloudspec_runtime::waiter::WaitError<GetJobStatus200Body>,>"
        ),
        "{removed}"
    );
    assert!(
        has(
            removed,
            r#"success: &[], failure: &["failed"], success_statuses: &[404], success_codes: &["JOB.GONE"], retry_statuses: &[409]"#
        ),
        "{removed}"
    );
    assert!(has(removed, "body.state.as_ref().map(cloudspec_runtime::request::param_text)"), "{removed}");
    assert!(has(
        removed,
        "cloudspec_runtime::waiter::wait_for_service_error(waiter, &options, || self.get_job(request))"
    ));
    assert!(client.contains("until the service answers with an error of status 404, code `JOB.GONE`, polling on through service errors of status 409, and returns that service error"));
    assert!(client.contains("A response whose `state` is `failed` ends it in failure."));
    assert!(client.contains("let gone = client.wait_until_job_removed(&request, options).await?;"));
    // The waiters on states alone keep returning the response.
    assert!(has(method(&client, "wait_until_job_done"), "-> Result<cloudspec_runtime::Response<GetJobStatus200Body>,"));
}

#[test]
fn a_waiter_without_a_field_reads_no_state() {
    let spec =
        thing_spec("thing_gone: {success-codes: [Thing.NotFound], delay: 2, max-wait: 60}", "{name: {type: string}}");
    let client = client(&spec);
    // No failure state, no state field: the docs promise neither.
    assert!(!client.contains("WaitError::Failed"), "{client}");
    assert!(client.contains("with the last response seen when the maximum wait passes first"), "{client}");
    let gone = method(&client, "wait_until_thing_gone").to_owned();
    assert!(
        has(&gone, r#"success: &[], failure: &[], success_statuses: &[], success_codes: &["Thing.NotFound"]"#),
        "{gone}"
    );
    assert!(has(&gone, "state: |_: &GetThingStatus200Body| None"), "{gone}");
    assert!(has(&gone, "wait_for_service_error"), "{gone}");
}
