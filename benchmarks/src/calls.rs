//! The three ShowClusterDetail calls the call benches compare: the generated client with AK/SK
//! and with a token, and the hand-written reqwest + serde_json reference.

use crate::{twins, CLUSTER, PROJECT};
use cloudspec::cdm::{Client, ShowClusterDetailRequest, ShowClusterDetailResponseBody};
use cloudspec::{Config, Credentials, Response};

/// The clients of one loopback endpoint, and the request they all make.
pub struct Calls {
    aksk: Client,
    token: Client,
    plain: reqwest::Client,
    url: String,
    request: ShowClusterDetailRequest,
}

impl Calls {
    /// Clients of `endpoint` (`http://127.0.0.1:port`).
    ///
    /// # Panics
    ///
    /// When a client cannot be built (a bench cannot run without it).
    pub fn new(endpoint: &str) -> Self {
        // The runtime's reqwest configuration: a connect timeout, redirects not followed.
        let plain = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        Self {
            aksk: client(endpoint, Credentials::huawei_aksk("AK", "SK")),
            token: client(endpoint, Credentials::token("iam-token")),
            plain,
            url: format!("{endpoint}/v1.1/{PROJECT}/clusters/{CLUSTER}"),
            request: ShowClusterDetailRequest::new(CLUSTER),
        }
    }

    /// The generated client's call, signed with AK/SK.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub async fn aksk(&self) -> Response<ShowClusterDetailResponseBody> {
        self.aksk.show_cluster_detail(&self.request).await.expect("the AK/SK call succeeds")
    }

    /// The generated client's call with an IAM token.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub async fn token(&self) -> Response<ShowClusterDetailResponseBody> {
        self.token.show_cluster_detail(&self.request).await.expect("the token call succeeds")
    }

    /// The same request by hand: reqwest, the token header, serde_json into the plain twin.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub async fn reference(&self) -> twins::ClusterDetail {
        let call = self.plain.get(&self.url).header("X-Auth-Token", "iam-token");
        let response = call.send().await.expect("the reference call");
        let bytes = response.error_for_status().expect("a success").bytes().await.expect("a body");
        serde_json::from_slice(&bytes).expect("the twin decodes")
    }
}

fn client(endpoint: &str, credentials: Credentials) -> Client {
    let config = Config::builder().endpoint(endpoint).credentials(credentials).project_id(PROJECT).build();
    Client::new(config.expect("a valid config")).expect("a client")
}
