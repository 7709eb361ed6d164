//! Plain `#[derive(Deserialize)]` twins of generated response types: the reference for decoding.
//!
//! Each twin has every field of its generated type, in the same order and under the same wire
//! names, so both sides match the same keys against the same number of names and build a value of
//! about the same size. The field types are the generated ones, with three differences a plain
//! derive forces: an open enum (which keeps unknown values) is a `String`; a field the spec
//! tolerates (`x-contradiction`) has the type its example value has on the wire (`actions` is a
//! string here where the generated type reads it into a list, `volume.size` a string where it
//! reads an integer); and a nested type the example never carries is the generated type itself
//! (never decoded in the benches, it only gives the twin the same size).

use serde::Deserialize;

/// Twin of `cloudspec::cdm::ShowClusterDetailResponseBody`.
#[derive(Debug, Deserialize)]
pub struct ClusterDetail {
    #[serde(rename = "publicEndpoint")]
    pub public_endpoint: Option<String>,
    pub instances: Option<Vec<ClusterInstance>>,
    pub security_group_id: Option<String>,
    pub subnet_id: Option<String>,
    pub vpc_id: Option<String>,
    #[serde(rename = "customerConfig")]
    pub customer_config: Option<cloudspec::cdm::CustomerConfig>,
    pub datastore: Option<cloudspec::cdm::ClusterDetailDatastore>,
    #[serde(rename = "isAutoOff")]
    pub is_auto_off: Option<bool>,
    #[serde(rename = "publicEndpointDomainName")]
    pub public_endpoint_domain_name: Option<String>,
    #[serde(rename = "bakExpectedStartTime")]
    pub bak_expected_start_time: Option<String>,
    #[serde(rename = "bakKeepDay")]
    pub bak_keep_day: Option<i32>,
    #[serde(rename = "maintainWindow")]
    pub maintain_window: Option<cloudspec::cdm::MaintainWindow>,
    #[serde(rename = "recentEvent")]
    pub recent_event: Option<i32>,
    #[serde(rename = "flavorName")]
    pub flavor_name: Option<String>,
    #[serde(rename = "azName")]
    pub az_name: Option<String>,
    #[serde(rename = "endpointDomainName")]
    pub endpoint_domain_name: Option<String>,
    #[serde(rename = "publicEndpointStatus")]
    pub public_endpoint_status: Option<cloudspec::cdm::PublicEndpointStatus>,
    #[serde(rename = "isScheduleBootOff")]
    pub is_schedule_boot_off: Option<bool>,
    pub namespace: Option<String>,
    #[serde(rename = "eipId")]
    pub eip_id: Option<String>,
    #[serde(rename = "failedReasons")]
    pub failed_reasons: Option<cloudspec::cdm::FailedReasons>,
    pub dbuser: Option<String>,
    pub links: Option<Vec<cloudspec::cdm::ClusterLinks>>,
    #[serde(rename = "clusterMode")]
    pub cluster_mode: Option<String>,
    pub task: Option<cloudspec::cdm::ClusterTask>,
    pub created: Option<String>,
    #[serde(rename = "statusDetail")]
    pub status_detail: Option<String>,
    pub config_status: Option<String>,
    #[serde(rename = "actionProgress")]
    pub action_progress: Option<ActionProgress>,
    pub name: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "isFrozen")]
    pub is_frozen: Option<String>,
    pub actions: Option<String>,
    pub updated: Option<String>,
    pub status: Option<String>,
    pub eps_id: Option<String>,
    pub tags: Option<Vec<cloudspec::cdm::ClusterTag>>,
}

/// Twin of `cloudspec::cdm::ClusterDetailInstance`.
#[derive(Debug, Deserialize)]
pub struct ClusterInstance {
    pub flavor: Option<Flavor>,
    pub volume: Option<Volume>,
    pub status: Option<String>,
    pub actions: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "isFrozen")]
    pub is_frozen: Option<String>,
    pub components: Option<String>,
    pub config_status: Option<String>,
    pub role: Option<String>,
    pub group: Option<String>,
    pub links: Option<Vec<cloudspec::cdm::ClusterLinks>>,
    #[serde(rename = "paramsGroupId")]
    pub params_group_id: Option<String>,
    #[serde(rename = "publicIp")]
    pub public_ip: Option<String>,
    #[serde(rename = "manageIp")]
    pub manage_ip: Option<String>,
    #[serde(rename = "trafficIp")]
    pub traffic_ip: Option<String>,
    pub shard_id: Option<String>,
    pub manage_fix_ip: Option<String>,
    pub private_ip: Option<String>,
    pub internal_ip: Option<String>,
    pub resource: Option<Vec<cloudspec::cdm::Resource>>,
}

/// Twin of `cloudspec::cdm::Flavor`.
#[derive(Debug, Deserialize)]
pub struct Flavor {
    pub id: Option<String>,
    pub links: Option<Vec<cloudspec::cdm::ClusterLinks>>,
}

/// Twin of `cloudspec::cdm::Volume`.
#[derive(Debug, Deserialize)]
pub struct Volume {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub size: Option<String>,
}

/// Twin of `cloudspec::cdm::ActionProgress`.
#[derive(Debug, Deserialize)]
pub struct ActionProgress {
    #[serde(rename = "CREATING")]
    pub creating: Option<String>,
    #[serde(rename = "GROWING")]
    pub growing: Option<String>,
    #[serde(rename = "RESTORING")]
    pub restoring: Option<String>,
    #[serde(rename = "SNAPSHOTTING")]
    pub snapshotting: Option<String>,
    #[serde(rename = "REPAIRING")]
    pub repairing: Option<String>,
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
    pub event_types: Option<Vec<String>>,
    pub state: Option<String>,
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

/// Twin of `cloudspec::roma::ShowResponsePropertyResponseBody`.
#[derive(Debug, Deserialize)]
pub struct ResponseProperty {
    pub property_id: Option<i64>,
    pub property_name: Option<String>,
    pub description: Option<String>,
    pub data_type: Option<String>,
    pub required: Option<i64>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub step: Option<String>,
    pub max_length: Option<i32>,
    pub unit: Option<String>,
    pub enum_list: Option<String>,
    pub enum_dict: Option<serde_json::Value>,
}

/// Twin of `cloudspec::batchcompute::CreateClusterResponseBody`.
#[derive(Debug, Deserialize)]
pub struct CreatedCluster {
    #[serde(rename = "Id")]
    pub id: Option<String>,
    #[serde(rename = "Name")]
    pub name: Option<String>,
}
