//! Parameters the configuration can supply (`x-config-param`: a Huawei Cloud `project_id`, or any
//! set with [`ConfigBuilder::param`](crate::ConfigBuilder::param)), resolved for one call.

use super::Client;
use crate::credentials::{project, Credentials};
use crate::error::Error;
use std::ops::Deref;

/// A configuration-supplied parameter's value for one call, as [`Client::resolve_param`] found
/// it. Reads as its text; [`OperationRequest::record_config_param`](crate::request::OperationRequest::record_config_param)
/// takes it by value, so the request keeps a value it needs without copying it again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigValue<'a> {
    /// The configuration's own value, borrowed: a call that uses it copies nothing.
    Configured(&'a str),
    /// The request's own value, or one found for it (a project id that came with the
    /// credentials, or that IAM lists for the region).
    Other(String),
}

impl ConfigValue<'_> {
    /// The text of the value.
    pub fn as_str(&self) -> &str {
        match self {
            ConfigValue::Configured(value) => value,
            ConfigValue::Other(value) => value,
        }
    }
}

impl Deref for ConfigValue<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Client {
    /// The configuration's value of `name`, or the error saying how to set it.
    pub(super) fn configured(&self, name: &str) -> Result<&str, Error> {
        self.inner.config.param(name).ok_or_else(|| {
            Error::Config(format!(
                "`{name}` is not set: give it in the request or configure it (Config::builder().{})",
                if name == "project_id" { "project_id(..)".to_owned() } else { format!("param(\"{name}\", ..)") }
            ))
        })
    }

    /// The value of a parameter the configuration can supply: `given` when the caller set one,
    /// else the configuration's (borrowed, not copied), and for a Huawei Cloud `project_id`
    /// neither gives: the one that came with the credentials (environment, profile), else the one
    /// IAM lists for the region (discovered once per region and access key; see [`project`]).
    /// Generated code hands the result to the request too
    /// ([`OperationRequest::record_config_param`](crate::request::OperationRequest::record_config_param)),
    /// so that a project id given per request is also the one `X-Project-Id` names.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the parameter, or saying why the project id was not found;
    /// the credentials' or IAM's error when discovery could not ask.
    pub async fn resolve_param(&self, name: &str, given: Option<&str>) -> Result<ConfigValue<'_>, Error> {
        if let Some(value) = given {
            return Ok(ConfigValue::Other(value.to_owned()));
        }
        let missing = match self.configured(name) {
            Ok(value) => return Ok(ConfigValue::Configured(value)),
            Err(missing) => missing,
        };
        if name != "project_id" {
            return Err(missing);
        }
        let provided = self.inner.credentials.resolve().await?;
        if let Some(project_id) = &provided.project_id {
            return Ok(ConfigValue::Other(project_id.clone()));
        }
        let (Credentials::HuaweiAkSk(key), Some(region)) = (&provided.credentials, self.inner.config.region()) else {
            return Err(missing);
        };
        let iam = project::iam_endpoint(&self.inner.config, provided.iam_endpoint.as_deref(), region);
        let config = &self.inner.config;
        config.project_ids.get_or_discover(config, region, &key.ak, &iam).await.map(ConfigValue::Other)
    }
}
