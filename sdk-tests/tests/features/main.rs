//! Behaviour of generated code for the generator's feature specs (`codegen/tests/features/`),
//! compiled into the `feature-snapshots` crate.

use feature_snapshots::ops::{
    AddNoteRequest, Client as OperationsClient, DeleteItemsItemIdRequest, DigestChunksError, DigestChunksRequest,
    DownloadContentRequest, GetItemError, GetItemRequest, GetReportRequest, Item, Problem, PutItemRequest,
    PutItemResponse, StartJobError, StartJobRequest, StartJobResponse, SubmitFormRequest, SubmitFormRequestBody,
    UploadAnythingRequest, UploadContentRequest, UploadFileRequest, UploadFileRequestBody, UploadFileRequestBodyMeta,
    UploadFilesRequest, UploadFilesRequestBody, UploadRequest, UploadRequestBody,
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

async fn client(server: &MockServer) -> OperationsClient {
    let config = Config::builder().endpoint(server.uri()).credentials(Credentials::token("t0k3n")).build().unwrap();
    OperationsClient::new(config).unwrap()
}

mod bodies;
mod operations;
mod params;
mod schemas;
mod tuples;
