//! Operations: parameter locations, path validation, and success, range, error and default statuses.

use super::*;

#[tokio::test]
async fn parameters_travel_where_the_spec_puts_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/42"))
        .and(query_param("ids", "1,2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42, "name": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let request = GetItemRequest::new(42)
        .with_fields(vec!["a".to_owned(), "b".to_owned()])
        .with_ids(vec![1, 2])
        .with_x_trace("abc")
        .with_session("s1");
    let item = client(&server).await.get_item(&request).await.unwrap();
    assert_eq!(item.name.as_deref(), Some("x"));
    let received = &server.received_requests().await.unwrap()[0];
    let query: Vec<(String, String)> =
        received.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(query.iter().filter(|(k, _)| k == "fields").map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(received.headers.get("X-Trace").unwrap(), "abc");
    assert_eq!(received.headers.get("cookie").unwrap(), "session=s1");
}

#[tokio::test]
async fn path_parameters_are_validated_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server).await.get_item(&GetItemRequest::new(0)).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.violations[0].to_string() == "item_id: 0 is below the minimum 1"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn each_success_status_decodes_into_its_own_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/items/1"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9})))
        .mount(&server)
        .await;
    let response = client(&server).await.put_item(&PutItemRequest::new(1, Item::default())).await.unwrap();
    assert!(matches!(*response, PutItemResponse::Status201(ref c) if c.id == Some(9)), "{response:?}");
}

#[tokio::test]
async fn json_is_chosen_among_several_response_media_types() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1, "name": "r"})))
        .mount(&server)
        .await;
    let report = client(&server).await.get_report(&GetReportRequest::new()).await.unwrap();
    assert_eq!(*report, Item::new().with_id(1).with_name("r"));
}

#[tokio::test]
async fn range_statuses_and_explicit_codes_decode_into_their_own_variants() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": 5})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 6, "name": "done"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let accepted = client.start_job(&StartJobRequest::new()).await.unwrap();
    assert!(matches!(*accepted, StartJobResponse::Status2xx(ref c) if c.id == Some(5)), "{accepted:?}");
    assert_eq!(accepted.status(), 202, "the status a range variant came with");
    let done = client.start_job(&StartJobRequest::new()).await.unwrap();
    assert!(matches!(*done, StartJobResponse::Status200(ref i) if i.id == Some(6)), "{done:?}");
    assert_eq!(done.status(), 200);
}

async fn start_job_error(body: ResponseTemplate) -> Option<StartJobError> {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/jobs")).respond_with(body).mount(&server).await;
    let err = client(&server).await.start_job(&StartJobRequest::new()).await.unwrap_err();
    StartJobError::from_service_error(err.as_service_error().unwrap_or_else(|| panic!("not a service error: {err}")))
}

#[tokio::test]
async fn error_statuses_decode_by_code_then_range_then_undocumented() {
    let problem = json!({"code": "NoQueue", "message": "no such queue"});
    assert_eq!(
        start_job_error(ResponseTemplate::new(404).set_body_json(&problem)).await,
        Some(StartJobError::Status404(Problem::new().with_code("NoQueue").with_message("no such queue")))
    );
    assert_eq!(
        start_job_error(ResponseTemplate::new(409).set_body_raw("busy", "text/plain")).await,
        Some(StartJobError::Status4xx("busy".into()))
    );
    assert_eq!(
        start_job_error(ResponseTemplate::new(500).set_body_json(&problem)).await,
        Some(StartJobError::Undocumented)
    );
}

#[tokio::test]
async fn a_default_response_takes_every_undocumented_error_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/2"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"code": "Conflict"})))
        .mount(&server)
        .await;
    let err = client(&server).await.get_item(&GetItemRequest::new(2)).await.unwrap_err();
    let decoded = GetItemError::from_service_error(err.as_service_error().unwrap());
    assert_eq!(decoded, Some(GetItemError::Default(Problem::new().with_code("Conflict"))));
}
