//! The Huawei Cloud project id, discovered as the official SDKs do when AK/SK come without one:
//! IAM `KeystoneListProjects` (`GET /v3/projects?name={region}`, signed like any call) on the IAM
//! endpoint, once per region and access key, cached for every client built from one `Config`.

use crate::client::Client;
use crate::config::Config;
use crate::endpoint::parse_endpoint;
use crate::error::Error;
use crate::request::{Method, OperationRequest};
use crate::service::{ServiceInfo, SigningScheme};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The global IAM endpoint (`IamHelper.DEFAULT_ENDPOINT`), for regions without their own.
pub const DEFAULT_IAM_ENDPOINT: &str = "https://iam.myhuaweicloud.com";

/// The regions whose IAM the SDKs ask at `https://iam.{region}.myhuaweicloud.com`
/// (`huaweicloudsdkcore/auth/endpoint.py`, `__IAM_ENDPOINT_DICT`, huaweicloudsdkcore 3.1.219).
pub const REGIONAL_IAM: &[&str] = &[
    "cn-north-2",
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-south-2",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "af-south-1",
    "sa-brazil-1",
    "la-south-2",
    "na-mexico-1",
    "la-north-2",
    "cn-north-9",
    "eu-west-0",
    "my-kualalumpur-1",
    "ru-moscow-1",
    "me-east-1",
    "ap-southeast-4",
    "ae-ad-1",
    "cn-east-4",
    "cn-east-5",
    "tr-west-1",
    "cn-north-12",
];

/// IAM's service name and the operation discovery calls (what a mock rule names:
/// `mock::IAM_KEYSTONE_LIST_PROJECTS`).
pub(crate) const IAM_SERVICE: &str = "iam";
pub(crate) const KEYSTONE_LIST_PROJECTS: &str = "KeystoneListProjects";

static IAM: ServiceInfo = ServiceInfo {
    name: IAM_SERVICE,
    endpoint_template: None,
    signing: SigningScheme::HuaweiSdkHmacSha256,
    api_version: "v3",
    error_codes: &[],
    regions: &[],
};

/// Discovered project ids by (region, access key id); one lookup per key even when many calls
/// need it at once.
#[derive(Debug, Default)]
pub(crate) struct ProjectIds {
    cells: Mutex<HashMap<RegionAndKey, Arc<tokio::sync::OnceCell<String>>>>,
}

/// (region id, access key id)
type RegionAndKey = (String, String);

impl ProjectIds {
    /// The project id of `region` for the access key `ak`, from IAM at `iam_endpoint` the first time.
    pub(crate) async fn get_or_discover(
        &self,
        config: &Config,
        region: &str,
        ak: &str,
        iam_endpoint: &str,
    ) -> Result<String, Error> {
        let cell = {
            // A poisoned lock only means another lookup panicked; the map itself is intact.
            let mut cells = self.cells.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cells.entry((region.to_owned(), ak.to_owned())).or_default().clone()
        };
        cell.get_or_try_init(|| discover(config, region, iam_endpoint)).await.cloned()
    }
}

#[derive(Deserialize)]
struct Projects {
    #[serde(default)]
    projects: Vec<Project>,
}

#[derive(Deserialize)]
struct Project {
    id: String,
}

async fn discover(config: &Config, region: &str, iam_endpoint: &str) -> Result<String, Error> {
    tracing::info!(region, iam_endpoint, "no project id configured: asking IAM");
    let mut iam_config = config.clone();
    iam_config.endpoint = Some(parse_endpoint(iam_endpoint)?);
    let client = Client::new(iam_config, &IAM)?;
    let mut request = OperationRequest::new(KEYSTONE_LIST_PROJECTS, Method::GET, "/v3/projects".to_owned());
    request.query("name", region.to_owned());
    let response = client.send(request).await?;
    let found: Projects = response.json()?;
    let ids: Vec<String> = found.projects.into_iter().map(|p| p.id).collect();
    match ids.as_slice() {
        [id] => Ok(id.clone()),
        [] => Err(Error::Config(format!(
            "IAM ({iam_endpoint}) lists no project named {region:?}: check the region, or set \
             Config::builder().project_id(..)"
        ))),
        several => Err(Error::Config(format!(
            "IAM ({iam_endpoint}) lists several projects named {region:?} ({}): choose one with \
             Config::builder().project_id(..)",
            several.join(", ")
        ))),
    }
}

/// The IAM endpoint for discovery in `region`, in the SDKs' order: the configuration's, else the
/// credentials' (a profile's `iam_endpoint`), else `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the
/// region's own IAM ([`REGIONAL_IAM`]), else the global one.
pub(crate) fn iam_endpoint(config: &Config, from_credentials: Option<&str>, region: &str) -> String {
    config
        .iam_endpoint
        .clone()
        .or_else(|| from_credentials.map(str::to_owned))
        .or_else(|| config.environment.non_blank(super::huawei::HUAWEICLOUD_SDK_IAM_ENDPOINT).ok().flatten())
        .or_else(|| REGIONAL_IAM.contains(&region).then(|| format!("https://iam.{region}.myhuaweicloud.com")))
        .unwrap_or_else(|| DEFAULT_IAM_ENDPOINT.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Environment;
    use std::collections::HashMap;

    fn config(iam: Option<&str>, env_iam: Option<&str>) -> Config {
        let vars = env_iam.map(|v| ("HUAWEICLOUD_SDK_IAM_ENDPOINT".to_owned(), v.to_owned()));
        let builder = Config::builder().environment(Environment::from_map(vars.into_iter().collect::<HashMap<_, _>>()));
        match iam {
            Some(iam) => builder.iam_endpoint(iam),
            None => builder,
        }
        .build()
        .unwrap()
    }

    #[test]
    fn the_iam_endpoint_is_the_configs_then_the_profiles_then_the_variables_then_the_regions() {
        let all = config(Some("http://config"), Some("http://variable"));
        assert_eq!(iam_endpoint(&all, Some("http://profile"), "cn-north-4"), "http://config");
        let no_config = config(None, Some("http://variable"));
        assert_eq!(iam_endpoint(&no_config, Some("http://profile"), "cn-north-4"), "http://profile");
        assert_eq!(iam_endpoint(&no_config, None, "cn-north-4"), "http://variable");
        let nothing = config(None, None);
        assert_eq!(iam_endpoint(&nothing, None, "cn-north-4"), "https://iam.cn-north-4.myhuaweicloud.com");
        assert_eq!(iam_endpoint(&nothing, None, "cn-north-7"), DEFAULT_IAM_ENDPOINT, "no IAM of its own");
    }
}
