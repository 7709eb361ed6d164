//! Response bodies stay bounded: a body past `max_response_bytes` (announced or endless) ends
//! the call with a typed error after at most the limit, and a streamed download yields bounded
//! chunks without collecting them.

use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::{Client, Config, Credentials, Error, ServiceInfo, SigningScheme, STREAM_CHUNK_LIMIT};
use futures_util::StreamExt;
use server::{Reply, Server};
use std::time::Duration;

#[path = "support/server.rs"]
mod server;

static SERVICE: ServiceInfo = ServiceInfo::new("files", SigningScheme::None, "v1");

const MIB: usize = 1024 * 1024;

fn client(endpoint: &str, max_response_bytes: usize) -> Client {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token("t"))
        .timeout(Duration::from_secs(30))
        .max_response_bytes(max_response_bytes)
        .build()
        .unwrap();
    Client::new(config, &SERVICE).unwrap()
}

fn download() -> OperationRequest {
    OperationRequest::new("Download", Method::GET, "/file".to_owned())
}

fn fixed(status: &str, announced: usize, body: Vec<u8>) -> Reply {
    let head = format!("HTTP/1.1 {status}\r\nContent-Length: {announced}\r\nX-Request-Id: rid-7\r\n\r\n");
    Reply::Fixed { head, body }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_with_a_typed_error() {
    let server = Server::start(Reply::Endless { chunk: 16 * 1024 }).await;
    let err = client(&server.endpoint, MIB).send(download()).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { operation, status, limit, request_id } => {
            assert_eq!((*operation, *status, *limit, request_id.as_deref()), ("Download", 200, MIB, Some("endless-1")));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("1048576 bytes"), "{err}");
    assert!(!err.is_retryable(), "a too-large body is not retried");
    // The client stopped reading: what the server could write is the limit plus socket buffers.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.sent() < 64 * MIB as u64, "the server wrote {} bytes", server.sent());
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_reading() {
    // The server announces 10 MiB and sends nothing: reading would wait for the 30 s timeout.
    let server = Server::start(fixed("200 OK", 10 * MIB, Vec::new())).await;
    let err = client(&server.endpoint, MIB).send(download()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit, .. } if limit == MIB), "{err:?}");
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let server = Server::start(fixed("200 OK", 1000, vec![b'a'; 1000])).await;
    let response = client(&server.endpoint, 1000).send(download()).await.unwrap();
    assert_eq!(response.body(), vec![b'a'; 1000].as_slice());
    assert_eq!(response.request_id(), Some("rid-7"));
    let err = client(&server.endpoint, 999).send(download()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 999, .. }), "{err:?}");
}

#[tokio::test]
async fn an_undecodable_body_keeps_only_an_excerpt() {
    let body = vec![b'<'; 200 * 1024];
    let server = Server::start(fixed("200 OK", body.len(), body)).await;
    let response = client(&server.endpoint, MIB).send(download()).await.unwrap();
    match response.json::<serde_json::Value>().unwrap_err() {
        Error::UndecodableResponse { body, status: 200, .. } => {
            assert_eq!(body.len(), cloudspec_runtime::error::ERROR_BODY_LIMIT)
        }
        other => panic!("expected UndecodableResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_streamed_download_yields_bounded_chunks_of_the_whole_body() {
    let body: Vec<u8> = (0..3 * MIB).map(|i| (i % 251) as u8).collect();
    let server = Server::start(fixed("200 OK", body.len(), body.clone())).await;
    // The whole-body limit does not apply to a stream.
    let response = client(&server.endpoint, 1024).send_streaming(download()).await.unwrap();
    assert_eq!((response.status(), response.request_id()), (200, Some("rid-7")));
    let mut stream = response.into_inner();
    let mut received = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        assert!(!chunk.is_empty() && chunk.len() <= STREAM_CHUNK_LIMIT, "{}", chunk.len());
        received.extend_from_slice(&chunk);
    }
    assert!(received == body, "the streamed bytes are the body's");
}

#[tokio::test]
async fn an_endless_stream_can_be_read_as_far_as_the_caller_wants() {
    let server = Server::start(Reply::Endless { chunk: 256 * 1024 }).await;
    let mut body = client(&server.endpoint, 1024).send_streaming(download()).await.unwrap().into_inner();
    let mut total = 0;
    while total < 8 * MIB {
        let chunk = body.next_chunk().await.expect("endless").unwrap();
        assert!(chunk.len() <= STREAM_CHUNK_LIMIT);
        total += chunk.len();
    }
}

#[tokio::test]
async fn a_streamed_error_status_is_a_service_error() {
    let body = br#"{"error_code":"X.404","error_msg":"no such file"}"#.to_vec();
    let server = Server::start(fixed("404 Not Found", body.len(), body)).await;
    let err = client(&server.endpoint, MIB).send_streaming(download()).await.unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!((service.status, service.code(), service.request_id.as_deref()), (404, "X.404", Some("rid-7")));
}
