//! Request and response bodies: multipart, form, octet-stream, text, several media types, binary downloads.

use super::*;

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
            ("form-data; name=\"count\"".to_owned(), "text/plain; charset=utf-8".to_owned(), b"2".to_vec()),
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
async fn json_bodies_of_bytes_are_base64_strings_both_ways() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/digests"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("3q2+7w==")))
        .expect(1)
        .mount(&server)
        .await;
    let chunks = vec![b"ab".to_vec(), vec![0, 255]];
    let response = client(&server).await.digest_chunks(&DigestChunksRequest::new(chunks)).await.unwrap();
    assert_eq!(response.into_inner(), vec![0xde, 0xad, 0xbe, 0xef], "the JSON string is decoded, not kept as text");
    let request = only_request(&server).await;
    assert_eq!(serde_json::from_slice::<Value>(&request.body).unwrap(), json!(["YWI=", "AP8="]));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/digests"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!("AP8=")))
        .mount(&server)
        .await;
    let err = client(&server).await.digest_chunks(&DigestChunksRequest::new(Vec::new())).await.unwrap_err();
    let documented = DigestChunksError::from_service_error(err.as_service_error().unwrap());
    assert_eq!(documented, Some(DigestChunksError::Status422(vec![0, 255])));
}
