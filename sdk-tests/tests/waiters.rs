//! Waiters (`x-waiters`) end to end: CDM's `wait_until_cluster_running` polling `ShowClusterDetail`
//! against a local server until the cluster's status is 200 (normal), 300/303 (failed), or the
//! maximum wait passes, and `wait_until_cluster_deleted` until it answers 404; the feature specs'
//! `job_done`, which polls through listed errors, and `job_deleted`/`job_removed`, which succeed
//! on a service error.

use cloudspec::cdm::{Client, ShowClusterDetailRequest, ShowClusterDetailResponseBodyStatus};
use cloudspec::{Config, Credentials, Error, WaitError, WaitOptions};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "1551c7f6c808414d8e9f3c514a170f2e";
const CLUSTER: &str = "bae65496-643e-47ca-84af-948672de7eeb";

fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token("iam-token"))
        .project_id(PROJECT)
        .retry(cloudspec::RetryPolicy::disabled())
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn cluster(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": CLUSTER, "name": "cdm-c018", "status": status}))
}

/// Answers `times` polls (every poll when `None`) with `response`; earlier mounts answer first.
async fn answer(server: &MockServer, response: ResponseTemplate, times: Option<u64>) {
    let mock =
        Mock::given(method("GET")).and(path(format!("/v1.1/{PROJECT}/clusters/{CLUSTER}"))).respond_with(response);
    let mock = match times {
        Some(times) => mock.up_to_n_times(times),
        None => mock,
    };
    mock.mount(server).await;
}

async fn polls(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Quick polls, so the tests take milliseconds; the spec's own delays are seconds.
fn quick(max_wait: Duration) -> WaitOptions {
    WaitOptions::new()
        .with_delay(Duration::from_millis(5))
        .with_backoff(2.0)
        .with_max_delay(Duration::from_millis(20))
        .with_max_wait(max_wait)
}

#[tokio::test]
async fn waits_through_creating_until_the_cluster_is_normal() {
    let server = MockServer::start().await;
    answer(&server, cluster("100"), Some(2)).await;
    answer(&server, cluster("200"), None).await;

    let request = ShowClusterDetailRequest::new(CLUSTER);
    let response = client(&server).wait_until_cluster_running(&request, quick(Duration::from_secs(30))).await.unwrap();
    assert_eq!(response.status, Some(ShowClusterDetailResponseBodyStatus::Normal));
    assert_eq!(response.status(), 200);
    assert_eq!(polls(&server).await, 3, "two polls while creating, one that saw it normal");
}

#[tokio::test]
async fn a_failure_status_ends_the_wait_with_that_state_and_response() {
    let server = MockServer::start().await;
    answer(&server, cluster("100"), Some(1)).await;
    answer(&server, cluster("303"), None).await;

    let request = ShowClusterDetailRequest::new(CLUSTER);
    let error = client(&server).wait_until_cluster_running(&request, quick(Duration::from_secs(30))).await.unwrap_err();
    assert_eq!(error.last_state(), Some("303"));
    match &error {
        WaitError::Failed { waiter, state, response } => {
            assert_eq!((*waiter, state.as_str()), ("cluster_running", "303"));
            assert_eq!(response.status, Some(ShowClusterDetailResponseBodyStatus::CreationFailed));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(error.to_string().contains("failure state \"303\""), "{error}");
    assert_eq!(polls(&server).await, 2);
}

#[tokio::test]
async fn the_maximum_wait_ends_it_with_the_last_state_seen() {
    let server = MockServer::start().await;
    answer(&server, cluster("100"), Some(1)).await;
    answer(&server, cluster("920"), None).await;

    let request = ShowClusterDetailRequest::new(CLUSTER);
    let max_wait = Duration::from_millis(150);
    let error = client(&server).wait_until_cluster_running(&request, quick(max_wait)).await.unwrap_err();
    match &error {
        WaitError::TimedOut { waiter, last_state, last_response, waited } => {
            assert_eq!(*waiter, "cluster_running");
            assert_eq!(last_state.as_deref(), Some("920"), "starting, the state of the last poll");
            let last = last_response.as_ref().expect("responses came");
            assert_eq!(last.status, Some(ShowClusterDetailResponseBodyStatus::Starting));
            assert!(*waited >= max_wait, "gave up after {waited:?}, before the maximum wait");
        }
        other => panic!("expected TimedOut, got {other:?}"),
    }
    assert!(polls(&server).await >= 2, "it polled again before giving up");
}

#[tokio::test]
async fn a_failed_call_ends_the_wait_with_its_error_and_the_state_before() {
    let server = MockServer::start().await;
    answer(&server, cluster("100"), Some(1)).await;
    let gone = ResponseTemplate::new(404)
        .set_body_json(json!({"error_code": "Cdm.0012", "error_msg": "The cluster does not exist."}));
    answer(&server, gone, None).await;

    let request = ShowClusterDetailRequest::new(CLUSTER);
    let error = client(&server).wait_until_cluster_running(&request, quick(Duration::from_secs(30))).await.unwrap_err();
    match &error {
        WaitError::Call { last_state, source: Error::Service(e), .. } => {
            assert_eq!(last_state.as_deref(), Some("100"));
            assert_eq!(e.status, 404);
        }
        other => panic!("expected Call with the service error, got {other:?}"),
    }
}

#[tokio::test]
async fn durations_past_any_deadline_neither_panic_nor_delay_a_success() {
    let server = MockServer::start().await;
    answer(&server, cluster("200"), None).await;
    let huge = WaitOptions::new()
        .with_delay(Duration::MAX)
        .with_backoff(f64::MAX)
        .with_max_delay(Duration::MAX)
        .with_max_wait(Duration::MAX);
    let request = ShowClusterDetailRequest::new(CLUSTER);
    let response = client(&server).wait_until_cluster_running(&request, huge).await.unwrap();
    assert_eq!(response.status, Some(ShowClusterDetailResponseBodyStatus::Normal));
}

/// CDM's `cluster_deleted`: success on a 404 (the document's "The requested resource was not
/// found"), no state field.
mod cluster_deleted {
    use super::*;

    fn not_found() -> ResponseTemplate {
        ResponseTemplate::new(404)
            .insert_header("X-Request-Id", "req-404")
            .set_body_json(json!({"error_code": "Cdm.0012", "error_msg": "The cluster does not exist."}))
    }

    #[tokio::test]
    async fn polls_while_the_cluster_is_shown_and_returns_the_404_that_says_it_is_gone() {
        let server = MockServer::start().await;
        answer(&server, cluster("200"), Some(2)).await;
        answer(&server, not_found(), None).await;
        let request = ShowClusterDetailRequest::new(CLUSTER);
        let gone = client(&server).wait_until_cluster_deleted(&request, quick(Duration::from_secs(30))).await.unwrap();
        assert_eq!((gone.status, gone.code.as_deref()), (404, Some("Cdm.0012")));
        assert_eq!(gone.request_id.as_deref(), Some("req-404"), "the service error that ended the wait");
        assert_eq!(polls(&server).await, 3, "two polls that saw the cluster, one 404");
    }

    #[tokio::test]
    async fn a_cluster_still_shown_at_the_maximum_wait_times_out_with_its_last_response() {
        let server = MockServer::start().await;
        answer(&server, cluster("910"), None).await;
        let request = ShowClusterDetailRequest::new(CLUSTER);
        let error =
            client(&server).wait_until_cluster_deleted(&request, quick(Duration::from_millis(100))).await.unwrap_err();
        match &error {
            WaitError::TimedOut { waiter, last_state, last_response: Some(last), .. } => {
                assert_eq!(*waiter, "cluster_deleted");
                assert_eq!(*last_state, None, "the waiter reads no state field");
                assert_eq!(last.status, Some(ShowClusterDetailResponseBodyStatus::Stopping));
            }
            other => panic!("expected TimedOut with the last response, got {other:?}"),
        }
        assert!(polls(&server).await >= 2);
    }

    #[tokio::test]
    async fn an_error_other_than_404_still_ends_the_wait_as_a_failed_call() {
        let server = MockServer::start().await;
        let forbidden = ResponseTemplate::new(403).set_body_json(json!({"error_code": "Cdm.0001", "error_msg": "no"}));
        answer(&server, forbidden, None).await;
        let request = ShowClusterDetailRequest::new(CLUSTER);
        let error =
            client(&server).wait_until_cluster_deleted(&request, quick(Duration::from_secs(30))).await.unwrap_err();
        assert!(matches!(&error, WaitError::Call { source: Error::Service(e), .. } if e.status == 403), "{error:?}");
        assert_eq!(polls(&server).await, 1);
    }
}

/// The feature snapshots' `polling` module: `job_done` polls through 404s and the code `JOB.404`
/// (a job not visible yet), and only through those; `job_removed` (errors only, a failure state
/// read) and `job_deleted` (a state or a 404) succeed on a service error.
mod listed_errors {
    use super::*;
    use feature_snapshots::polling::{Client as PollingClient, GetJobRequest, GetJobStatus200BodyState};
    use feature_snapshots::WaitOutcome;

    fn client(server: &MockServer) -> PollingClient {
        let config = feature_snapshots::Config::builder()
            .endpoint(server.uri())
            .credentials(feature_snapshots::Credentials::token("t0k3n"))
            .retry(feature_snapshots::RetryPolicy::disabled())
            .build()
            .unwrap();
        PollingClient::new(config).unwrap()
    }

    async fn answer_job(server: &MockServer, response: ResponseTemplate, times: Option<u64>) {
        let mock = Mock::given(method("GET")).and(path("/jobs/j-1")).respond_with(response);
        match times {
            Some(times) => mock.up_to_n_times(times).mount(server).await,
            None => mock.mount(server).await,
        }
    }

    fn job(state: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"id": "j-1", "stage": 1, "state": state}))
    }

    fn error(status: u16, code: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(json!({"code": code, "message": "no such job yet"}))
    }

    #[tokio::test]
    async fn a_listed_status_or_code_is_polled_through_until_the_state_comes() {
        let server = MockServer::start().await;
        answer_job(&server, error(404, "NotFound"), Some(2)).await;
        answer_job(&server, error(400, "JOB.404"), Some(1)).await;
        answer_job(&server, job("running"), Some(1)).await;
        answer_job(&server, job("done"), None).await;
        let request = GetJobRequest::new("j-1");
        let response = client(&server).wait_until_job_done(&request, quick(Duration::from_secs(30))).await.unwrap();
        assert_eq!(response.id, "j-1");
        assert_eq!(polls(&server).await, 5, "two 404s, one listed code, one running, one done");
    }

    #[tokio::test]
    async fn an_error_not_listed_still_ends_the_wait_with_the_state_before() {
        let server = MockServer::start().await;
        answer_job(&server, job("running"), Some(1)).await;
        answer_job(&server, error(404, "NotFound"), Some(1)).await;
        answer_job(&server, error(403, "Forbidden"), None).await;
        let request = GetJobRequest::new("j-1");
        let error = client(&server).wait_until_job_done(&request, quick(Duration::from_secs(30))).await.unwrap_err();
        match &error {
            WaitError::Call { last_state, source: Error::Service(e), .. } => {
                assert_eq!(last_state.as_deref(), Some("running"), "the listed 404 kept the state seen before it");
                assert_eq!(e.status, 403);
            }
            other => panic!("expected Call with the 403, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn listed_errors_until_the_maximum_wait_time_out_without_a_state() {
        let server = MockServer::start().await;
        answer_job(&server, error(404, "NotFound"), None).await;
        let request = GetJobRequest::new("j-1");
        let error = client(&server).wait_until_job_done(&request, quick(Duration::from_millis(100))).await.unwrap_err();
        match &error {
            WaitError::TimedOut { last_state: None, last_response: None, .. } => {}
            other => panic!("expected TimedOut with nothing seen, got {other:?}"),
        }
        assert!(polls(&server).await >= 2, "it polled again after the first 404");
    }

    #[tokio::test]
    async fn a_failure_state_still_fails_a_waiter_that_succeeds_on_a_404() {
        let server = MockServer::start().await;
        answer_job(&server, job("running"), Some(1)).await;
        answer_job(&server, job("failed"), Some(1)).await;
        answer_job(&server, error(404, "NotFound"), None).await;
        let request = GetJobRequest::new("j-1");
        let error = client(&server).wait_until_job_removed(&request, quick(Duration::from_secs(30))).await.unwrap_err();
        match &error {
            WaitError::Failed { waiter, state, response } => {
                assert_eq!((*waiter, state.as_str()), ("job_removed", "failed"));
                assert_eq!(response.state, Some(GetJobStatus200BodyState::Failed));
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert_eq!(polls(&server).await, 2, "the 404 after the failure was never asked for");
    }

    #[tokio::test]
    async fn a_success_code_ends_the_wait_after_polling_through_a_listed_status() {
        let server = MockServer::start().await;
        answer_job(&server, job("running"), Some(1)).await;
        answer_job(&server, error(409, "Busy"), Some(1)).await;
        answer_job(&server, error(400, "JOB.GONE"), None).await;
        let request = GetJobRequest::new("j-1");
        let gone = client(&server).wait_until_job_removed(&request, quick(Duration::from_secs(30))).await.unwrap();
        assert_eq!((gone.status, gone.code.as_deref()), (400, Some("JOB.GONE")), "matched by its code");
        assert_eq!(polls(&server).await, 3);
    }

    #[tokio::test]
    async fn a_waiter_that_succeeds_either_way_says_which_way_it_did() {
        let server = MockServer::start().await;
        answer_job(&server, job("running"), Some(1)).await;
        answer_job(&server, job("deleted"), Some(1)).await;
        answer_job(&server, error(404, "NotFound"), None).await;
        let client = client(&server);
        let request = GetJobRequest::new("j-1");
        let by_state = client.wait_until_job_deleted(&request, quick(Duration::from_secs(30))).await.unwrap();
        match &by_state {
            WaitOutcome::Response(response) => assert_eq!(response.state, Some(GetJobStatus200BodyState::Deleted)),
            other => panic!("expected the response in its deleted state, got {other:?}"),
        }
        assert!(by_state.service_error().is_none());
        assert!(by_state.into_service_error().is_none());
        // The state answers are used up: the next wait sees the 404 at once.
        let by_error = client.wait_until_job_deleted(&request, quick(Duration::from_secs(30))).await.unwrap();
        assert_eq!(by_error.service_error().map(|e| e.status), Some(404), "{by_error:?}");
        assert_eq!(by_error.into_service_error().and_then(|e| e.code), Some("NotFound".to_owned()));
        assert_eq!(polls(&server).await, 3);
    }
}
