//! Operations: parameters, statuses, body and response media types, multipart, error enums.

use super::*;

#[test]
fn parameters_in_every_location_and_refs_to_components() {
    let request = item(operations(), "pub struct GetItemRequest {");
    assert!(request.contains("pub item_id: i64,"), "path parameter from a $ref'd component:\n{request}");
    assert!(request.contains("pub fields: Option<Vec<String>>"));
    assert!(request.contains("pub x_trace: Option<String>"));
    assert!(request.contains("pub session: Option<String>"));
    assert!(!request.contains("accept"), "Accept header parameters are ignored:\n{request}");
    let get = method("get_item");
    assert!(get.contains("http.query(\"fields\""), "exploded array: one query pair per item");
    assert!(get.contains(".join(\",\")"), "non-exploded array: comma-joined");
    assert!(get.contains("http.header(\"X-Trace\""));
    assert!(get.contains("http.cookie(\"session\""));
}

#[test]
fn statuses_keep_their_own_types() {
    let ops = operations();
    let put = item(ops, "pub enum PutItemResponse {");
    assert!(
        put.contains("Status200(Item)") && put.contains("Status201(Created)") && put.contains("Status204,"),
        "{put}"
    );
    let errors = item(ops, "pub enum GetItemError {");
    assert!(errors.contains("Status404(Problem)") && errors.contains("Default(Problem)"), "{errors}");
    assert!(has(client(), "pub async fn download_content(&self, request: &DownloadContentRequest,) -> Result<cloudspec_runtime::Response<Vec<u8>>, cloudspec_runtime::Error>"));
}

#[test]
fn operations_without_an_id_are_named_from_method_and_path() {
    assert!(client().contains("pub async fn delete_items_item_id("), "{}", client());
}

#[test]
fn every_body_media_type_is_sent() {
    assert!(method("upload_content").contains("http.bytes_body(\"application/octet-stream\""));
    assert!(method("add_note").contains("http.bytes_body(\"text/plain\""));
    assert!(method("submit_form").contains("http.form_body(\"application/x-www-form-urlencoded\""));
    // Several media types: JSON is preferred.
    let upload = method("upload");
    assert!(upload.contains("http.json_body(\"application/json\"") && !upload.contains("multipart"), "{upload}");
}

#[test]
fn multipart_parts_follow_the_body_properties() {
    let upload = method("upload_file");
    for statement in [
        "let mut form = cloudspec_runtime::request::Multipart::new();",
        // Binary: a file part, typed from the spec's `encoding` or as an octet stream.
        "form.file(\"file\", \"image/png\", &body.file);",
        "if let Some(value) = &body.attachment { form.file(\"attachment\", \"application/octet-stream\", value); }",
        // Anything else: a value part (text or JSON, decided by the runtime).
        "form.value(\"title\", &body.title);",
        "if let Some(value) = &body.meta { form.value(\"meta\", value); }",
        // A part the spec's `encoding` types: that media type (JSON text for a JSON one).
        "if let Some(value) = &body.labels { form.value_as(\"labels\", \"application/json\", value); }",
        "http.multipart_body(\"multipart/form-data\", &form)?;",
    ] {
        assert!(has(upload, statement), "missing `{statement}` in\n{upload}");
    }
}

#[test]
fn multipart_arrays_of_files_and_untyped_bodies() {
    let files = method("upload_files");
    assert!(
        has(files, "for file in &body.files { form.file(\"files\", \"application/octet-stream\", file); }"),
        "{files}"
    );
    assert!(has(files, "for (name, value) in &body.additional_properties { form.value(name, value); }"), "{files}");
    assert!(has(method("upload_anything"), "form.fields(body);"));
    // One file and no property to name its part: `file`, and a warning.
    assert!(has(method("attach"), "form.file(\"file\", \"application/octet-stream\", body);"), "{}", method("attach"));
    let warned = generated()
        .warnings
        .iter()
        .find(|d| d.pointer.ends_with("~1attachments/post/requestBody/content/multipart~1form-data/schema"));
    assert!(warned.is_some_and(|d| d.message.contains("one file part named `file`")), "{:?}", generated().warnings);
}

#[test]
fn range_statuses_leave_out_the_codes_listed_on_their_own() {
    let start = method("start_job");
    assert!(has(start, "200 => StartJobResponse::Status200(response.json()?),"), "{start}");
    assert!(has(start, "201..=299 => StartJobResponse::Status2xx(response.json()?),"), "{start}");
    assert!(has(start, "_ => return Err(response.unexpected_status()),"), "{start}");
    // The variant goes out with the status, headers and request id it came with.
    assert!(has(start, "Ok(response.into_response(body))"), "{start}");
    let errors = item(operations(), "impl StartJobError {");
    assert!(has(errors, "404 => error.decode_body().map(Self::Status404),"), "{errors}");
    assert!(has(errors, "400..=403 | 405..=499 => Some(Self::Status4xx(error.body.clone())),"), "{errors}");
}

#[test]
fn error_enums_without_default_have_an_undocumented_variant() {
    let ops = operations();
    let errors = item(ops, "pub enum StartJobError {");
    assert!(
        errors.contains("Status404(Problem)")
            && errors.contains("Status4xx(String)")
            && errors.contains("Undocumented,"),
        "{errors}"
    );
    assert!(has(item(ops, "impl StartJobError {"), "_ => Some(Self::Undocumented),"));
    assert!(!item(ops, "pub enum GetItemError {").contains("Undocumented"), "a `default` response takes the rest");
}

#[test]
fn several_response_media_types_prefer_json() {
    assert!(has(
        client(),
        "pub async fn get_report(&self, request: &GetReportRequest,) -> Result<cloudspec_runtime::Response<Item>, cloudspec_runtime::Error>"
    ));
    assert!(has(method("get_report"), "response.json()"));
}

#[test]
fn each_operation_accepts_the_media_types_of_its_success_bodies() {
    assert!(method("get_item").contains(r#"http.accept("application/json");"#));
    assert!(method("download_content").contains(r#"http.accept("application/octet-stream");"#));
    // Two success statuses of one media type: named once; the error bodies' types are not asked for.
    assert!(method("start_job").contains(r#"http.accept("application/json");"#));
    // The media type the SDK decodes, not every one the response offers.
    assert!(method("get_report").contains(r#"http.accept("application/json");"#));
    // No success body, nothing to accept.
    assert!(!method("upload_file").contains("http.accept("), "{}", method("upload_file"));
}

#[test]
fn a_wildcard_body_media_type_is_sent_as_json() {
    let set = method("set_columns");
    assert!(set.contains(r#"http.json_body("application/json", body)?;"#), "{set}");
}
