//! What the benches share: the response examples, plain `#[derive(Deserialize)]` twins of the
//! generated types (the reference for decoding), a loopback HTTP server, and the calls the call
//! benches compare.

pub mod calls;
pub mod loopback;
pub mod twins;

/// The project id in the CDM examples.
pub const PROJECT: &str = "1551c7f6c808414d8e9f3c514a170f2e";
/// The cluster id in the CDM examples.
pub const CLUSTER: &str = "bae65496-643e-47ca-84af-948672de7eeb";

/// The ShowClusterDetail response example exactly as the document prints it (`actions` and
/// `volume.size` as strings, where the spec tolerates them).
pub const SHOW_CLUSTER_DETAIL: &str = r#"{
  "publicEndpoint" : "49.xx.xx.10",
  "instances" : [ {
    "flavor" : { "id" : "fb8fe666-6734-4b11-bc6c-43d11db3c745" },
    "volume" : { "size" : "100", "type" : "LOCAL_DISK" },
    "name" : "cdm-c018",
    "id" : "635dce67-3df8-4756-b4c7-90e45e687367",
    "isFrozen" : "0",
    "type" : "cdm",
    "actions" : "REBOOTING",
    "config_status" : "In-Sync",
    "status" : "200"
  } ],
  "created" : "2018-09-05T08:38:25",
  "statusDetail" : "Normal",
  "actionProgress" : { },
  "name" : "cdm-c018",
  "id" : "bae65496-643e-47ca-84af-948672de7eeb",
  "isFrozen" : "0",
  "actions" : "REBOOTING",
  "updated" : "2018-09-05T08:38:25",
  "status" : "200"
}"#;

/// The CSMS CreateSecretEvent 200 example from the spec.
pub const SECRET_EVENT: &str = r#"{
  "event" : {
    "name" : "event-test",
    "event_id" : "bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e",
    "state" : "ENABLED",
    "event_types" : [ "SECRET_VERSION_CREATED", "SECRET_VERSION_EXPIRED" ],
    "create_time" : 1581507580000,
    "update_time" : 1581507580000,
    "notification" : {
      "target_type" : "SMN",
      "target_id" : "urn:smn:cn-north-4:SecertExpirationTest",
      "target_name" : "SecertExpirationNotificationTest"
    }
  }
}"#;

/// The ROMA ShowResponseProperty 200 example from the spec (the documented forms; its fields
/// `description`, `min`, `max`, `step`, `max_length` and `enum_list` are tolerant ones, so they
/// take the lenient path).
pub const RESPONSE_PROPERTY: &str = r#"{
  "property_id" : 3320,
  "property_name" : "p2",
  "description" : null,
  "data_type" : "datetime",
  "required" : 0,
  "min" : "0",
  "max" : "65536",
  "step" : "1",
  "max_length" : 10,
  "unit" : "yuan",
  "enum_list" : null
}"#;

/// The BatchCompute CreateCluster 201 example from the spec.
pub const CREATED_CLUSTER: &str = r#"{
  "Id" : "usr-cluster-1"
}"#;
