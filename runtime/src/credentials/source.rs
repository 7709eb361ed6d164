//! Where a [`Config`](crate::Config)'s calls get their credentials: what was given in code, or
//! the provider's default chain, built once per configuration when a client first needs it.

use super::{aliyun, huawei, CredentialsCache, Environment};
use crate::service::SigningScheme;
use std::sync::{Arc, OnceLock};

/// Where calls get their credentials.
#[derive(Debug, Clone)]
pub(crate) enum CredentialsSource {
    /// Credentials or a provider given in code.
    Given(CredentialsCache),
    /// The provider's default chain, built when a client first needs it.
    Default { chains: Arc<DefaultChains>, metadata_endpoint: MetadataEndpoint },
}

/// The default chains of one configuration, each built (and its cache shared) on first use.
#[derive(Debug, Default)]
pub(crate) struct DefaultChains {
    huawei: OnceLock<CredentialsCache>,
    aliyun: OnceLock<CredentialsCache>,
}

/// Whether, and where, the default chains ask the instance metadata service.
#[derive(Debug, Clone, Default)]
pub(crate) enum MetadataEndpoint {
    #[default]
    Default,
    Disabled,
    At(String),
}

impl MetadataEndpoint {
    /// The endpoint to ask, `default` being the provider's own; `None` when turned off.
    fn or(&self, default: &str) -> Option<String> {
        match self {
            Self::Disabled => None,
            Self::Default => Some(default.to_owned()),
            Self::At(url) => Some(url.clone()),
        }
    }
}

impl CredentialsSource {
    /// The cache calls to a service signed with `scheme` use; default chains read `env`.
    pub(crate) fn cache_for(&self, scheme: SigningScheme, env: &Environment) -> CredentialsCache {
        let (chains, metadata_endpoint) = match self {
            Self::Given(cache) => return cache.clone(),
            Self::Default { chains, metadata_endpoint } => (chains, metadata_endpoint),
        };
        let env = env.clone();
        match scheme {
            SigningScheme::AliyunAcsHmacSha1 => chains.aliyun.get_or_init(|| {
                let endpoint = metadata_endpoint.or(aliyun::DEFAULT_METADATA_ENDPOINT);
                CredentialsCache::new(aliyun::default_chain(env, endpoint.as_deref()))
            }),
            _ => chains.huawei.get_or_init(|| {
                let endpoint = metadata_endpoint.or(huawei::DEFAULT_METADATA_ENDPOINT);
                CredentialsCache::new(huawei::default_chain(env, endpoint.as_deref()))
            }),
        }
        .clone()
    }
}
