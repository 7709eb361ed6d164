//! Plain `#[derive(Deserialize)]` twins of generated response types: the fields the examples
//! carry, each with the type its example value has on the wire (so `actions` is a string here,
//! where the generated type tolerantly decodes it into a list). Decoding these is the reference.

use serde::Deserialize;

/// Twin of `cloudspec::cdm::ShowClusterDetailResponseBody`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterDetail {
    pub public_endpoint: Option<String>,
    pub instances: Option<Vec<ClusterInstance>>,
    pub created: Option<String>,
    pub status_detail: Option<String>,
    pub action_progress: Option<ActionProgress>,
    pub name: Option<String>,
    pub id: Option<String>,
    pub is_frozen: Option<String>,
    pub actions: Option<String>,
    pub updated: Option<String>,
    pub status: Option<String>,
}

/// Twin of `cloudspec::cdm::ClusterDetailInstance`.
#[derive(Debug, Deserialize)]
pub struct ClusterInstance {
    pub flavor: Option<Flavor>,
    pub volume: Option<Volume>,
    pub name: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "isFrozen")]
    pub is_frozen: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub actions: Option<String>,
    pub config_status: Option<String>,
    pub status: Option<String>,
}

/// Twin of `cloudspec::cdm::Flavor`.
#[derive(Debug, Deserialize)]
pub struct Flavor {
    pub id: Option<String>,
}

/// Twin of `cloudspec::cdm::Volume`.
#[derive(Debug, Deserialize)]
pub struct Volume {
    pub size: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Twin of `cloudspec::cdm::ActionProgress`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct ActionProgress {
    pub creating: Option<String>,
    pub growing: Option<String>,
    pub restoring: Option<String>,
}

/// Twin of `cloudspec::csms::SecretEventResponseBody`.
#[derive(Debug, Deserialize)]
pub struct SecretEventBody {
    pub event: Option<SecretEvent>,
}

/// Twin of `cloudspec::csms::Event`.
#[derive(Debug, Deserialize)]
pub struct SecretEvent {
    pub name: Option<String>,
    pub event_id: Option<String>,
    pub state: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub create_time: Option<i64>,
    pub update_time: Option<i64>,
    pub notification: Option<Notification>,
}

/// Twin of `cloudspec::csms::EventNotification`.
#[derive(Debug, Deserialize)]
pub struct Notification {
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
}
