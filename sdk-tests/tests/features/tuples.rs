//! Tuples (`prefixItems`, `codegen/tests/features/tuples.yaml`): decoded from arrays, encoded
//! back unchanged, sent and received by a client, and validated item by item.

use super::*;
use feature_snapshots::tuples::{
    Bounds, Caption, Client as TuplesClient, CreateTrackRequest, GetBoundsRequest, OpenTuple, Position, Route, Track,
    TrackSamplesItem0, TrackTagsItem,
};
use wiremock::matchers::body_json;

fn track_json() -> Value {
    json!({
        "name": "morning run",
        "start": [52.52, 13.405],
        "finish": [52.6, 13.5],
        "segments": [[0, "warm-up"], [600, "tempo"]],
        "splits": {"km1": [301, "steady"]},
        "tags": ["run", 2026, "outdoor"],
        "samples": ["hr", 120, null, 150],
        "extra": ["v2", {"device": "watch"}, 3],
        "labelled": [{"label": "home"}, null],
        "route": {"stop": "gate", "next": [1, {"stop": "bridge"}]}
    })
}

#[test]
fn closed_tuples_decode_from_arrays_and_encode_back_unchanged() {
    let bounds: Bounds = round_trip(json!([[52.5, 13.3], [52.6, 13.5]]));
    let (south_west, north_east) = bounds;
    assert_eq!(south_west, (52.5, 13.3));
    assert_eq!(north_east.1, 13.5);
}

#[test]
fn a_model_of_tuples_round_trips_with_every_item_typed() {
    let track: Track = round_trip(track_json());
    assert_eq!(track.start, (52.52, 13.405));
    assert_eq!(track.finish, Some((52.6, 13.5)));
    assert_eq!(track.segments.as_deref(), Some(&[(0, "warm-up".to_owned()), (600, "tempo".to_owned())][..]));
    assert_eq!(track.splits.as_ref().unwrap()["km1"], (301, "steady".to_owned()));
    let tags = track.tags.as_ref().unwrap();
    assert_eq!(tags.prefix.0, "run");
    assert_eq!(tags.rest, vec![TrackTagsItem::Integer(2026), TrackTagsItem::String("outdoor".to_owned())]);
    let samples = track.samples.as_ref().unwrap();
    assert_eq!(samples.prefix.0, TrackSamplesItem0::Hr);
    assert_eq!(samples.rest, vec![Some(120), None, Some(150)]);
    assert_eq!(track.extra.as_ref().unwrap().rest, vec![json!({"device": "watch"}), json!(3)]);
    let (label, note) = track.labelled.as_ref().unwrap();
    assert_eq!((label.label.as_deref(), note), (Some("home"), &None));
    let (order, next) = track.route.as_ref().unwrap().next.as_ref().unwrap();
    assert_eq!((*order, next.stop.as_deref()), (1, Some("bridge")));
}

#[test]
fn arrays_of_another_length_than_the_tuple_do_not_decode() {
    let short = serde_json::from_value::<Position>(json!([1.0])).unwrap_err().to_string();
    assert!(short.contains("invalid length 1"), "{short}");
    let long = serde_json::from_value::<Position>(json!([1.0, 2.0, 3.0])).unwrap_err().to_string();
    assert!(long.contains("expected fewer elements in array"), "nothing may follow a closed tuple: {long}");
    let mut track = track_json();
    track["tags"] = json!([]);
    let empty = serde_json::from_value::<Track>(track).unwrap_err().to_string();
    assert!(empty.contains("expected an array of at least 1 items"), "{empty}");
}

#[test]
fn built_tuples_encode_as_arrays() {
    let track = Track::new("t", (1.5, -2.0))
        .with_samples(OpenTuple::new((TrackSamplesItem0::Pace,)).with_rest([None, Some(3)]))
        .with_route(Route::new().with_next((7, Box::new(Route::new()))));
    assert_eq!(
        serde_json::to_value(&track).unwrap(),
        json!({"name": "t", "start": [1.5, -2.0], "samples": ["pace", null, 3], "route": {"next": [7, {}]}})
    );
}

#[test]
fn each_item_is_validated_at_its_index() {
    let mut value = track_json();
    value["start"] = json!([91.0, 0.0]);
    value["segments"] = json!([[0, "a"], [-1, ""]]);
    value["splits"] = json!({"km1": [-5, "x"]});
    value["tags"] = json!(["a", 1, 2, 3, 4]);
    value["samples"] = json!(["speed", 300, null, 100]);
    let track: Track = serde_json::from_value(value).unwrap();
    let found = violations(&track);
    for expected in [
        "start[0]: 91 is above the maximum 90",
        "segments[1][0]: -1 is below the minimum 0",
        "segments[1][1]: length 0 is below the minimum 1",
        "splits[\"km1\"][0]: -5 is below the minimum 0",
        "tags: 5 items are more than the maximum 4",
        "samples[1]: 300 is above the maximum 250",
    ] {
        assert!(found.iter().any(|m| m == expected), "missing {expected:?} in {found:#?}");
    }
    assert!(found.iter().any(|m| m.starts_with("samples[0]: \"speed\" is not one of")), "{found:#?}");
    assert_eq!(found.len(), 7, "{found:#?}");
    assert_eq!(violations(&serde_json::from_value::<Track>(track_json()).unwrap()), Vec::<String>::new());
}

#[test]
fn unique_items_compares_a_tuples_items_as_json_whatever_their_types() {
    let mut value = track_json();
    // The prefix's `String` and a further item's `TrackTagsItem::String`: equal on the wire.
    value["tags"] = json!(["run", 2026, "run"]);
    let track: Track = serde_json::from_value(value).unwrap();
    assert_eq!(violations(&track), ["tags: items 0 and 2 are equal, but the items must be unique"]);
    let mut value = track_json();
    value["tags"] = json!(["2026", 2026]);
    let track: Track = serde_json::from_value(value).unwrap();
    assert_eq!(violations(&track), Vec::<String>::new(), "text and a number are different items");
}

#[test]
fn binary_items_are_bytes_beside_models_checked_at_their_index() {
    // Bytes in JSON are base64 text, as for a binary property of any JSON model.
    let mut value = json!({"name": "t", "start": [0.0, 0.0]});
    value["cover"] = json!(["iVBORw==", {"text": ""}]);
    value["frames"] = json!(["AP8=", {"text": "first"}, {"text": ""}]);
    let track: Track = round_trip(value);
    let (image, caption) = track.cover.as_ref().unwrap();
    assert_eq!((&image[..], caption.text.as_deref()), (&[137, 80, 78, 71][..], Some("")));
    let frames = track.frames.as_ref().unwrap();
    assert_eq!((&frames.prefix.0[..], frames.rest.len()), (&[0, 255][..], 2));
    assert_eq!(
        violations(&track),
        ["cover[1].text: length 0 is below the minimum 1", "frames[2].text: length 0 is below the minimum 1"]
    );
    let fine = Track::new("t", (0.0, 0.0)).with_cover((b"GIF89a".to_vec(), Caption::new().with_text("a")));
    assert_eq!(violations(&fine), Vec::<String>::new());
    assert_eq!(serde_json::to_value(&fine).unwrap()["cover"], json!(["R0lGODlh", {"text": "a"}]));
    let mut numbers = json!({"name": "t", "start": [0.0, 0.0]});
    numbers["frames"] = json!([[0, 255]]);
    assert!(serde_json::from_value::<Track>(numbers).is_err(), "a list of numbers is no binary item");
}

#[test]
fn unique_items_compares_bytes_as_the_base64_the_wire_carries() {
    let colliding = Track::new("t", (0.0, 0.0)).with_signature((b"hi".to_vec(), "aGk=".to_owned()));
    assert_eq!(serde_json::to_value(&colliding).unwrap()["signature"], json!(["aGk=", "aGk="]));
    assert_eq!(violations(&colliding), ["signature: items 0 and 1 are equal, but the items must be unique"]);
    let distinct = Track::new("t", (0.0, 0.0)).with_signature((b"hi".to_vec(), "hi".to_owned()));
    assert_eq!(violations(&distinct), Vec::<String>::new());
}

#[tokio::test]
async fn a_client_sends_and_receives_tuples() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tracks/t-1/bounds"))
        .and(query_param("near", "52.5,13.4"))
        .and(query_param("zoom", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([[52.5, 13.3], [52.6, 13.5]])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/tracks"))
        .and(body_json(json!({"name": "t", "start": [1.0, 2.0]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(track_json()))
        .expect(1)
        .mount(&server)
        .await;
    let config = Config::builder().endpoint(server.uri()).credentials(Credentials::token("t0k3n")).build().unwrap();
    let client = TuplesClient::new(config).unwrap();
    let request = GetBoundsRequest::new("t-1").with_near((52.5, 13.4)).with_zoom((3, 4));
    let bounds = client.get_bounds(&request).await.unwrap();
    assert_eq!(*bounds, ((52.5, 13.3), (52.6, 13.5)));
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.url.query(), Some("near=52.5%2C13.4&zoom=3&zoom=4"), "exploded by default, else joined");
    let stored = client.create_track(&CreateTrackRequest::new(Track::new("t", (1.0, 2.0)))).await.unwrap();
    assert_eq!(stored.start, (52.52, 13.405));
    // A tuple breaking its constraints is refused before anything is sent (each mock expects
    // one request).
    let err = client.get_bounds(&GetBoundsRequest::new("t-1").with_zoom((3, 3))).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.violations[0].to_string() == "zoom: items 0 and 1 are equal, but the items must be unique"),
        "{err}"
    );
    let err = client.create_track(&CreateTrackRequest::new(Track::new("t", (0.0, 181.0)))).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.violations[0].to_string() == "start[1]: 181 is above the maximum 180"),
        "{err}"
    );
}
