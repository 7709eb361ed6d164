//! Paginators (`x-pagination`) end to end: ROMA's `ListEnvironmentsV2` walked by offset against a
//! local server, page by page and item by item.

use cloudspec::roma::{Client, ListEnvironmentsV2Request};
use cloudspec::{Config, Credentials, Error};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "1551c7f6c808414d8e9f3c514a170f2e";
const INSTANCE: &str = "eddc4d25480b4cd6b512f270a1b8b341";

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

/// A page of environments named `names`, with the service's total when it gives one.
fn page(names: &[&str], total: Option<i64>) -> ResponseTemplate {
    let envs: Vec<Value> = names.iter().map(|name| json!({"id": format!("id-{name}"), "name": name})).collect();
    let mut body = json!({"size": names.len(), "envs": envs});
    if let Some(total) = total {
        body["total"] = json!(total);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Mounts the page answering `offset` (with `limit=2`), expected exactly `times` times. The
/// first page is the caller's request as it is: without an offset.
async fn mount_page(server: &MockServer, offset: &str, response: ResponseTemplate, times: u64) {
    let mock = Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/apic/instances/{INSTANCE}/envs")))
        .and(query_param("limit", "2"));
    let mock = if offset == "0" {
        mock.and(query_param_is_missing("offset"))
    } else {
        mock.and(query_param("offset", offset))
    };
    mock.respond_with(response).expect(times).mount(server).await;
}

fn request() -> ListEnvironmentsV2Request {
    ListEnvironmentsV2Request::new(INSTANCE).with_limit(2)
}

fn names(items: &[cloudspec::roma::EnvInfo]) -> Vec<&str> {
    items.iter().map(|env| env.name.as_deref().unwrap_or("?")).collect()
}

#[tokio::test]
async fn three_pages_by_offset_stop_at_the_total_with_the_callers_limit_on_each() {
    let server = MockServer::start().await;
    mount_page(&server, "0", page(&["a", "b"], Some(5)), 2).await;
    mount_page(&server, "2", page(&["c", "d"], Some(5)), 2).await;
    mount_page(&server, "4", page(&["e"], Some(5)), 2).await;
    let client = client(&server);

    let pages: Vec<_> = client.list_environments_v2_pages(&request()).try_collect().await.unwrap();
    let sizes: Vec<Option<i32>> = pages.iter().map(|page| page.size).collect();
    assert_eq!(sizes, [Some(2), Some(2), Some(1)], "three pages, then the total (5) is reached");
    assert!(pages.iter().all(|page| page.status() == 200));

    let items: Vec<_> = client.list_environments_v2_items(&request()).try_collect().await.unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d", "e"]);
    // Each page was asked for once per walk (`expect(2)`), nothing past the total.
    server.verify().await;
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount_page(&server, "0", page(&["a", "b"], Some(6)), 2).await;
    let failure =
        ResponseTemplate::new(500).set_body_json(json!({"error_code": "APIG.9999", "error_msg": "System error"}));
    mount_page(&server, "2", failure, 2).await;
    // Never reached: the stream ends at the error.
    mount_page(&server, "4", page(&["e", "f"], Some(6)), 0).await;
    let client = client(&server);

    let mut pages = client.list_environments_v2_pages(&request());
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.envs.as_ref().map(Vec::len), Some(2));
    match pages.next().await.unwrap() {
        Err(Error::Service(e)) => assert_eq!((e.status, e.code.as_deref()), (500, Some("APIG.9999"))),
        other => panic!("expected the service error of page 2, got {other:?}"),
    }
    assert!(pages.next().await.is_none(), "nothing after the error");

    let items: Vec<Result<_, Error>> = client.list_environments_v2_items(&request()).collect().await;
    assert_eq!(items.len(), 3, "two items, then the error: {items:?}");
    assert_eq!(items[1].as_ref().unwrap().name.as_deref(), Some("b"));
    assert!(matches!(&items[2], Err(Error::Service(e)) if e.status == 500));
    server.verify().await;
}

#[tokio::test]
async fn without_a_total_an_empty_page_ends_the_walk_from_the_callers_offset() {
    let server = MockServer::start().await;
    mount_page(&server, "2", page(&["c", "d"], None), 1).await;
    mount_page(&server, "4", page(&["e", "f"], None), 1).await;
    mount_page(&server, "6", page(&[], None), 1).await;
    let client = client(&server);

    let items: Vec<_> = client.list_environments_v2_items(&request().with_offset(2)).try_collect().await.unwrap();
    assert_eq!(names(&items), ["c", "d", "e", "f"]);
    server.verify().await;
}

/// The feature snapshots' `polling` module: the marker and page styles, and fields nested in
/// objects (`/data/entries`, `/meta/paging/next`, `/result/summary/total`).
mod styles {
    use super::*;
    use feature_snapshots::polling::{
        Client as PollingClient, ListAlertsRequest, ListAuditsRequest, ListEventsRequest, ListReportsRequest,
    };

    fn client(server: &MockServer) -> PollingClient {
        let config = feature_snapshots::Config::builder()
            .endpoint(server.uri())
            .credentials(feature_snapshots::Credentials::token("t0k3n"))
            .retry(feature_snapshots::RetryPolicy::disabled())
            .build()
            .unwrap();
        PollingClient::new(config).unwrap()
    }

    async fn mount(server: &MockServer, route: &str, query: (&str, &str), body: Value) {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param(query.0, query.1))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(server)
            .await;
    }

    #[tokio::test]
    async fn markers_follow_each_next_marker_until_a_page_has_none() {
        let server = MockServer::start().await;
        let first = json!({"events": [{"id": "1"}, {"id": "2"}], "next_marker": "m2"});
        Mock::given(query_param_is_missing("marker"))
            .respond_with(ResponseTemplate::new(200).set_body_json(first))
            .expect(1)
            .mount(&server)
            .await;
        mount(&server, "/events", ("marker", "m2"), json!({"events": [{"id": "3"}, {"id": "4"}], "next_marker": "m4"}))
            .await;
        mount(&server, "/events", ("marker", "m4"), json!({"events": [{"id": "5"}]})).await;
        let request = ListEventsRequest::new().with_limit(2);
        let events: Vec<_> = client(&server).list_events_items(&request).try_collect().await.unwrap();
        let ids: Vec<_> = events.iter().map(|e| e.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5"]);
        let requests = server.received_requests().await.unwrap();
        assert!(
            requests.iter().all(|r| r.url.query().unwrap().contains("limit=2")),
            "the caller's limit on every page"
        );
        server.verify().await;
    }

    #[tokio::test]
    async fn pages_count_up_from_the_first_until_the_total() {
        let server = MockServer::start().await;
        mount(&server, "/reports", ("page", "1"), json!({"reports": ["a", "b"], "total_count": 5})).await;
        mount(&server, "/reports", ("page", "2"), json!({"reports": ["c", "d"], "total_count": 5})).await;
        mount(&server, "/reports", ("page", "3"), json!({"reports": ["e"], "total_count": 5})).await;
        let request = ListReportsRequest::new().with_page(1).with_page_size(2);
        let reports: Vec<String> = client(&server).list_reports_items(&request).try_collect().await.unwrap();
        assert_eq!(reports, ["a", "b", "c", "d", "e"]);
        assert_eq!(server.received_requests().await.unwrap().len(), 3, "nothing asked past the total");
    }

    #[tokio::test]
    async fn nested_markers_and_items_are_followed_until_a_page_has_no_paging() {
        let server = MockServer::start().await;
        let first = json!({"data": {"entries": [{"id": "1"}, {"id": "2"}]}, "meta": {"paging": {"next": "c2"}}});
        Mock::given(path("/audits"))
            .and(query_param_is_missing("cursor"))
            .respond_with(ResponseTemplate::new(200).set_body_json(first))
            .expect(1)
            .mount(&server)
            .await;
        let second = json!({"data": {"entries": [{"id": "3"}]}, "meta": {"paging": {"next": "c3"}}});
        mount(&server, "/audits", ("cursor", "c2"), second).await;
        // No `data` and no `paging`: no items, and no next marker.
        mount(&server, "/audits", ("cursor", "c3"), json!({"meta": {}})).await;
        let entries: Vec<_> = client(&server).list_audits_items(&ListAuditsRequest::new()).try_collect().await.unwrap();
        let ids: Vec<_> = entries.iter().map(|e| e.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        server.verify().await;
    }

    #[tokio::test]
    async fn a_nested_total_ends_the_offset_walk() {
        let server = MockServer::start().await;
        let page = |alerts: &[&str]| json!({"result": {"alerts": alerts, "summary": {"total": 3}}});
        Mock::given(path("/alerts"))
            .and(query_param_is_missing("offset"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a", "b"])))
            .expect(1)
            .mount(&server)
            .await;
        mount(&server, "/alerts", ("offset", "2"), page(&["c"])).await;
        let alerts: Vec<String> =
            client(&server).list_alerts_items(&ListAlertsRequest::new()).try_collect().await.unwrap();
        assert_eq!(alerts, ["a", "b", "c"]);
        assert_eq!(server.received_requests().await.unwrap().len(), 2, "nothing asked past the nested total");
        server.verify().await;
    }
}
