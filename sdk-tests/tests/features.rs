//! Behaviour of generated code for the generator's feature specs (`codegen/tests/features/`),
//! compiled into the `feature-snapshots` crate.

use feature_snapshots::ops::{
    AddNoteRequest, Client as OperationsClient, DeleteItemsItemIdRequest, DownloadContentRequest, GetItemError,
    GetItemRequest, GetReportRequest, Item, Problem, PutItemRequest, PutItemResponse, StartJobError, StartJobRequest,
    StartJobResponse, SubmitFormRequest, SubmitFormRequestBody, UploadAnythingRequest, UploadContentRequest,
    UploadFileRequest, UploadFileRequestBody, UploadFileRequestBodyMeta, UploadFilesRequest, UploadFilesRequestBody,
    UploadRequest, UploadRequestBody,
};
use feature_snapshots::schemas::{
    Account, Animal, Bounds, Circle, Closed, ClusterPhase, Counters, Deployment, Flavor, FooBar, FooBar2, Formats,
    Holder, HolderMeta, Level, Lookup, Nullables, NullablesChoice, Phase, Priority, Shape, Status, Thing, Tree,
};
use feature_snapshots::{Config, Credentials, Error, Validate};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Decodes `value` as `T` and checks it encodes back to the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    decoded
}

fn violations(value: &impl Validate) -> Vec<String> {
    value.validate().map_or_else(|e| e.violations.iter().map(ToString::to_string).collect(), |()| Vec::new())
}

#[test]
fn open_enums_keep_unknown_values_and_re_encode_them_unchanged() {
    let status: Status = serde_json::from_value(json!("ARCHIVED")).unwrap();
    assert_eq!(status, Status::Unknown("ARCHIVED".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("ARCHIVED"));
    assert_eq!(serde_json::from_value::<Status>(json!("ACTIVE")).unwrap(), Status::Active);
    let level: Level = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(level, Level::Unknown(7));
    assert_eq!(serde_json::to_value(&level).unwrap(), json!(7));
    // A whole response with a new value still decodes.
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    assert_eq!(thing.status, Some(Status::Unknown("NEW_STATE".into())));
}

#[test]
fn unknown_enum_values_fail_request_validation_with_their_path() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    let err = thing.validate().unwrap_err();
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path.as_str(), "status");
    assert!(err.violations[0].message.contains("NEW_STATE"), "{}", err.violations[0]);
}

#[test]
fn every_constraint_violation_is_reported_with_its_path() {
    let thing: Thing = serde_json::from_value(json!({
        "name": "TooLongName9",
        "9lives": 10,
        "tags": ["a", "bb", "bb", "cc"],
        "labels": {"k": "12345"},
        "ratio": 0.0
    }))
    .unwrap();
    let err = thing.validate().unwrap_err();
    let messages: Vec<String> = err.violations.iter().map(ToString::to_string).collect();
    for expected in [
        "name: length 12 is above the maximum 8",
        "name: the value does not match the pattern ^[a-z]+$",
        "9lives: 10 is above the maximum 9",
        "tags: 4 items are more than the maximum 3",
        "tags: items 1 and 2 are equal, but the items must be unique",
        "tags[0]: length 1 is below the minimum 2",
        "labels[\"k\"]: length 5 is above the maximum 4",
        "ratio: 0 is below the exclusive minimum 0",
    ] {
        assert!(messages.iter().any(|m| m == expected), "missing {expected:?} in {messages:#?}");
    }
    assert_eq!(messages.len(), 8, "{messages:#?}");
}

#[test]
fn discriminated_unions_dispatch_on_the_tag() {
    let shape: Shape = serde_json::from_value(json!({"kind": "square", "side": 2.0})).unwrap();
    assert!(matches!(shape, Shape::Square(ref s) if s.side == 2.0));
    assert_eq!(serde_json::to_value(&shape).unwrap(), json!({"kind": "square", "side": 2.0}));
    let err = serde_json::from_value::<Shape>(json!({"kind": "hexagon"})).unwrap_err();
    assert!(err.to_string().contains("unknown kind \"hexagon\""), "{err}");
}

#[test]
fn recursive_types_round_trip() {
    let value = json!({"value": "root", "left": {"value": "l"}, "children": [{"value": "c"}]});
    let tree: Tree = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(tree.left.as_ref().and_then(|l| l.value.as_deref()), Some("l"));
    assert_eq!(serde_json::to_value(&tree).unwrap(), value);
}

#[test]
fn secrets_never_reach_debug_output() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "secret": "hunter2"})).unwrap();
    let debug = format!("{thing:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("***"));
}

#[test]
fn formats_round_trip_as_the_service_writes_them() {
    let formats: Formats = round_trip(json!({
        "double": 1.0e300,
        "float": 0.25,
        "int32": -2147483648,
        "int64": 9007199254740993_i64,
        "byte": "AQID",
        "binary": [0, 1, 255],
        "dateTime": "2024-02-29T23:59:60.5+08:00",
        "date": "2024-02-29",
        "uuid": "0F8FAD5B-D9CB-469F-A165-70867728950E"
    }));
    assert_eq!(formats.double, Some(1.0e300));
    assert_eq!(formats.float, Some(0.25_f32));
    assert_eq!(formats.int64, Some(9_007_199_254_740_993));
    assert_eq!(formats.binary.as_deref(), Some(&[0, 1, 255][..]));
    // Text formats keep the service's exact spelling (a leap second, upper-case hex).
    assert_eq!(formats.date_time.as_deref(), Some("2024-02-29T23:59:60.5+08:00"));
    assert_eq!(formats.uuid.as_deref(), Some("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    assert!(
        serde_json::from_value::<Formats>(json!({"int32": 2147483648_i64})).is_err(),
        "an int32 out of range is rejected"
    );
}

#[test]
fn nulls_decode_and_required_nullables_are_sent_as_null() {
    let nullables: Nullables = serde_json::from_value(json!({
        "present": null,
        "owner": null,
        "viaAllOf": null,
        "refSibling": null,
        "direct": {"kind": "circle", "radius": 1.0},
        "choice": null,
        "items": ["a", null]
    }))
    .unwrap();
    assert_eq!(nullables.present, None);
    assert_eq!(nullables.via_all_of, None);
    assert_eq!(nullables.ref_sibling, None);
    assert_eq!(nullables.choice, None);
    assert_eq!(nullables.items, Some(vec![Some("a".to_owned()), None]));
    // Required ones go out as `null`; optional ones are left out.
    assert_eq!(
        serde_json::to_value(&nullables).unwrap(),
        json!({"present": null, "owner": null, "direct": {"kind": "circle", "radius": 1.0}, "items": ["a", null]})
    );
    let set = Nullables::new().with_owner(Circle::new("c", 2.0)).with_choice(NullablesChoice::Off);
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"owner": {"kind": "c", "radius": 2.0}, "present": null, "choice": "off"})
    );
}

#[test]
fn odd_enum_values_and_unknown_integers_re_encode_unchanged() {
    for (wire, variant) in [
        ("CREATE_FAILED", Phase::CreateFailed),
        ("9lives", Phase::N9lives),
        ("self", Phase::Self_),
        ("net-id", Phase::NetId),
        ("已删除", Phase::U5df2U5220U9664),
    ] {
        assert_eq!(round_trip::<Phase>(json!(wire)), variant);
    }
    assert_eq!(round_trip::<Phase>(json!("已恢复")), Phase::Unknown("已恢复".into()));
    assert_eq!(round_trip::<Priority>(json!(20)), Priority::V20);
    assert_eq!(round_trip::<Priority>(json!(40)), Priority::Unknown(40));
    assert_eq!(
        violations(&Priority::Unknown(40)),
        ["(request): \"40\" is not one of the documented values 10, 20, 30"]
    );
}

#[test]
fn named_enum_values_decode_into_their_given_names_and_encode_as_the_value() {
    assert_eq!(round_trip::<ClusterPhase>(json!(100)), ClusterPhase::Creating);
    assert_eq!(round_trip::<ClusterPhase>(json!(400)), ClusterPhase::IsFrozen);
    assert_eq!(serde_json::to_value(ClusterPhase::FailedState).unwrap(), json!(300));
    assert_eq!(round_trip::<ClusterPhase>(json!(500)), ClusterPhase::Unknown(500));
    assert_eq!(round_trip::<Flavor>(json!("ffff-0000")), Flavor::Large);
    assert_eq!(Flavor::Small.as_str(), "a1b2-c3");
}

#[test]
fn colliding_type_names_are_distinct_types() {
    assert_eq!(round_trip::<FooBar>(json!({"a": "x"})).a.as_deref(), Some("x"));
    assert_eq!(round_trip::<FooBar2>(json!({"b": "y"})).b.as_deref(), Some("y"));
    let holder: Holder = round_trip(json!({"meta": {"inline": true}}));
    assert_eq!(holder.meta.and_then(|m| m.inline), Some(true));
    assert_eq!(round_trip::<HolderMeta>(json!({"component": false})).component, Some(false));
}

#[test]
fn read_only_fields_stay_out_of_requests_and_write_only_ones_out_of_responses() {
    // A response carries the read-only id but never the write-only password: it still decodes.
    let returned: Account = serde_json::from_value(json!({"id": "acc-1", "name": "n"})).unwrap();
    assert_eq!((returned.id.as_deref(), returned.password.as_deref()), (Some("acc-1"), None));
    // A request leaves the id unset and carries the password.
    let sent = Account::new("n").with_password("hunter2");
    assert_eq!(serde_json::to_value(&sent).unwrap(), json!({"password": "hunter2", "name": "n"}));
    assert!(sent.validate().is_ok());
    assert!(!format!("{sent:?}").contains("hunter2"));
    // A request without the required write-only password is stopped before it is sent.
    assert_eq!(violations(&returned), ["password: is required, but not set"]);
}

#[test]
fn bounds_and_property_counts_report_every_violation() {
    let bounds: Bounds =
        serde_json::from_value(json!({"below": 10, "above": 0.5, "ceiling": 1.6, "counts": {}})).unwrap();
    let messages = violations(&bounds);
    for expected in [
        "(request): 4 properties are more than the maximum 2",
        "below: 10 is above the exclusive maximum 10",
        "above: 0.5 is below the exclusive minimum 0.5",
        "ceiling: 1.6 is above the maximum 1.5",
        "counts: 0 properties are fewer than the minimum 1",
    ] {
        assert!(messages.iter().any(|m| m == expected), "missing {expected:?} in {messages:#?}");
    }
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert_eq!(violations(&Bounds::default()), ["(request): 0 properties are fewer than the minimum 1"]);
    let fine: Bounds = serde_json::from_value(json!({"below": 9, "ceiling": 1.5})).unwrap();
    assert!(violations(&fine).is_empty());
}

#[test]
fn nested_violations_carry_their_full_path() {
    let deployment: Deployment = serde_json::from_value(json!({
        "cluster": {"instances": [
            {"nics": [{"securityGroupId": "sg-1"}, {"securityGroupId": ""}]},
            {"nics": [{"securityGroupId": "x".repeat(37)}]}
        ]}
    }))
    .unwrap();
    assert_eq!(
        violations(&deployment),
        [
            "cluster.instances[0].nics[1].securityGroupId: length 0 is below the minimum 1",
            "cluster.instances[1].nics[0].securityGroupId: length 37 is above the maximum 36"
        ]
    );
}

#[test]
fn additional_properties_are_kept_typed_or_dropped_when_closed() {
    let counters: Counters = round_trip(json!({"total": 3, "a": 1, "b": 2}));
    assert_eq!(counters.total, 3);
    assert_eq!(counters.additional_properties.get("b"), Some(&2));
    assert!(serde_json::from_value::<Counters>(json!({"total": 3, "a": "one"})).is_err(), "extra values are typed");
    assert!(violations(&counters).is_empty());
    let negative: Counters = serde_json::from_value(json!({"total": -5, "a": 1, "b": -2})).unwrap();
    assert_eq!(
        violations(&negative),
        [r#"["b"]: -2 is below the minimum 0"#],
        "extra values meet their schema's constraints; the named field has none"
    );
    let closed: Closed = serde_json::from_value(json!({"only": "x", "stray": 1})).unwrap();
    assert_eq!(serde_json::to_value(&closed).unwrap(), json!({"only": "x"}));
}

#[test]
fn discriminators_without_mapping_and_titled_variants() {
    let animal: Animal = round_trip(json!({"petType": "Dog", "barks": true}));
    assert!(matches!(animal, Animal::Dog(ref d) if d.barks == Some(true)), "{animal:?}");
    assert!(
        serde_json::from_value::<Animal>(json!({"petType": "dog"})).is_err(),
        "the schema name is the tag, exactly"
    );
    assert!(matches!(round_trip::<Lookup>(json!({"id": 7})), Lookup::ById(ref l) if l.id == 7));
    assert!(matches!(round_trip::<Lookup>(json!({"name": "n"})), Lookup::ByName(_)));
}

async fn client(server: &MockServer) -> OperationsClient {
    let config = Config::builder().endpoint(server.uri()).credentials(Credentials::token("t0k3n")).build().unwrap();
    OperationsClient::new(config).unwrap()
}

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

/// One part of a multipart body: its headers (names lower-cased) and its bytes.
type Part = (Vec<(String, String)>, Vec<u8>);

/// The parts of a `multipart/form-data` body.
fn multipart_parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let closing = format!("\r\n{delimiter}");
    let mut parts = Vec::new();
    let mut rest = request.body.strip_prefix(delimiter.as_bytes()).expect("the body starts with the first delimiter");
    loop {
        if rest == b"--\r\n" {
            return parts;
        }
        rest = rest.strip_prefix(b"\r\n").expect("a delimiter ends its line");
        let next = rest
            .windows(closing.len())
            .position(|w| w == closing.as_bytes())
            .expect("every part is closed by a delimiter");
        let part = &rest[..next];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end with an empty line");
        let headers = std::str::from_utf8(&part[..split])
            .unwrap()
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap_or_else(|| panic!("bad header line {line:?}"));
                (name.to_ascii_lowercase(), value.to_owned())
            })
            .collect();
        parts.push((headers, part[split + 4..].to_vec()));
        rest = &rest[next + closing.len()..];
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    received.remove(0)
}

#[tokio::test]
async fn multipart_bodies_send_files_raw_and_values_as_text_or_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 255];
    let body = UploadFileRequestBody::new(png.clone(), "holiday \"2024\"")
        .with_attachment(b"--not-a-boundary".to_vec())
        .with_meta(UploadFileRequestBodyMeta::new().with_size(10));
    client(&server).await.upload_file(&UploadFileRequest::new(body)).await.unwrap();
    let request = only_request(&server).await;
    let parts = multipart_parts(&request);
    assert_eq!(parts.len(), 4, "{parts:?}");
    let (headers, data) = &parts[0];
    assert_eq!(header(headers, "content-disposition"), "form-data; name=\"file\"; filename=\"file\"");
    assert_eq!(header(headers, "content-type"), "image/png", "the spec's encoding names the type");
    assert_eq!(data, &png, "binary goes out byte for byte");
    let (headers, data) = &parts[1];
    assert_eq!(header(headers, "content-disposition"), "form-data; name=\"title\"");
    assert_eq!(header(headers, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(data, b"holiday \"2024\"", "a string is text, not a JSON string");
    let (headers, data) = &parts[2];
    assert_eq!(header(headers, "content-disposition"), "form-data; name=\"attachment\"; filename=\"attachment\"");
    assert_eq!(header(headers, "content-type"), "application/octet-stream");
    assert_eq!(data, b"--not-a-boundary");
    let (headers, data) = &parts[3];
    assert_eq!(header(headers, "content-type"), "application/json");
    assert_eq!(serde_json::from_slice::<Value>(data).unwrap(), json!({"size": 10}));

    // Optional parts that are not set are not sent, and each body has its own boundary.
    let body = UploadFileRequestBody::new(vec![1], "t");
    client(&server).await.upload_file(&UploadFileRequest::new(body)).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let second = received.last().unwrap();
    assert_eq!(multipart_parts(second).len(), 2);
    assert_ne!(second.headers.get("content-type"), request.headers.get("content-type"));
}

#[tokio::test]
async fn multipart_arrays_of_files_extra_fields_and_untyped_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/batch"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/files/any"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let body =
        UploadFilesRequestBody::new(vec![b"one".to_vec(), b"two".to_vec()]).insert_additional_property("note", "n");
    client.upload_files(&UploadFilesRequest::new(body)).await.unwrap();
    client.upload_anything(&UploadAnythingRequest::new().with_body(json!({"count": 2, "label": "x"}))).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let summary = |request: &Request| -> Vec<(String, String, Vec<u8>)> {
        multipart_parts(request)
            .into_iter()
            .map(|(headers, data)| {
                (header(&headers, "content-disposition").to_owned(), header(&headers, "content-type").to_owned(), data)
            })
            .collect()
    };
    assert_eq!(
        summary(&received[0]),
        [
            (
                "form-data; name=\"files\"; filename=\"files\"".to_owned(),
                "application/octet-stream".to_owned(),
                b"one".to_vec()
            ),
            (
                "form-data; name=\"files\"; filename=\"files\"".to_owned(),
                "application/octet-stream".to_owned(),
                b"two".to_vec()
            ),
            ("form-data; name=\"note\"".to_owned(), "text/plain; charset=utf-8".to_owned(), b"n".to_vec()),
        ]
    );
    assert_eq!(
        summary(&received[1]),
        [
            ("form-data; name=\"count\"".to_owned(), "application/json".to_owned(), b"2".to_vec()),
            ("form-data; name=\"label\"".to_owned(), "text/plain; charset=utf-8".to_owned(), b"x".to_vec()),
        ]
    );
}

#[tokio::test]
async fn several_request_media_types_send_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/uploads")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let request = UploadRequest::new(UploadRequestBody::new().with_name("n"));
    client(&server).await.upload(&request).await.unwrap();
    let received = only_request(&server).await;
    assert!(received.headers.get("content-type").unwrap().to_str().unwrap().starts_with("application/json"));
    assert_eq!(serde_json::from_slice::<Value>(&received.body).unwrap(), json!({"name": "n"}));
}

#[tokio::test]
async fn form_octet_stream_and_text_bodies_go_out_as_declared() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/forms")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("PUT"))
        .and(path("/items/3/content"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("echo: hi", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.submit_form(&SubmitFormRequest::new(SubmitFormRequestBody::new().with_a("x y&z").with_b(2))).await.unwrap();
    client.upload_content(&UploadContentRequest::new(3, vec![0, 159, 146, 150])).await.unwrap();
    let note = client.add_note(&AddNoteRequest::new().with_body("hi 你好".to_owned())).await.unwrap();
    assert_eq!(*note, "echo: hi");
    let received = server.received_requests().await.unwrap();
    let sent: Vec<(String, Vec<u8>)> = received
        .iter()
        .map(|r| (r.headers.get("content-type").unwrap().to_str().unwrap().to_owned(), r.body.clone()))
        .collect();
    assert_eq!(
        sent,
        [
            ("application/x-www-form-urlencoded".to_owned(), b"a=x+y%26z&b=2".to_vec()),
            ("application/octet-stream".to_owned(), vec![0, 159, 146, 150]),
            ("text/plain".to_owned(), "hi 你好".as_bytes().to_vec()),
        ]
    );
}

#[tokio::test]
async fn binary_downloads_empty_responses_and_unnamed_operations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/8/content"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0, 1, 2, 255], "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/items/8"))
        .respond_with(ResponseTemplate::new(204).insert_header("x-request-id", "req-del"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    assert_eq!(client.download_content(&DownloadContentRequest::new(8)).await.unwrap().into_inner(), [0, 1, 2, 255]);
    // An empty success still says which status and request it was.
    let deleted = client.delete_items_item_id(&DeleteItemsItemIdRequest::new(8)).await.unwrap();
    assert_eq!((deleted.status(), deleted.request_id()), (204, Some("req-del")));
}

#[tokio::test]
async fn a_binary_download_also_streams_in_bounded_chunks_past_the_buffered_limit() {
    let body: Vec<u8> = (0..300 * 1024).map(|i| (i % 253) as u8).collect();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/8/content"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token("t0k3n"))
        .max_response_bytes(100 * 1024)
        .build()
        .unwrap();
    let client = OperationsClient::new(config).unwrap();
    let request = DownloadContentRequest::new(8);
    let err = client.download_content(&request).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 102400, status: 200, .. }), "{err:?}");
    let response = client.download_content_stream(&request).await.unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.into_inner();
    let mut received = Vec::new();
    while let Some(chunk) = stream.next_chunk().await {
        let chunk = chunk.unwrap();
        assert!(chunk.len() <= cloudspec_runtime::STREAM_CHUNK_LIMIT, "{}", chunk.len());
        received.extend_from_slice(&chunk);
    }
    assert!(received == body, "the streamed bytes are the body's");
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
