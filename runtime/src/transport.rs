//! Where an attempt goes: the network, through reqwest; or, with the `test-util` feature, a
//! [`MockTransport`](crate::mock::MockTransport) that answers in memory. Everything before and
//! after the exchange (signing, retries, timeouts, body limits, decoding) is the same for both.

use crate::config::{http_client_builder, Config};
use crate::error::Error;
use crate::request::OperationRequest;
use crate::service::ServiceInfo;

/// How a client exchanges requests for responses.
pub(crate) enum Transport {
    Http(reqwest::Client),
    #[cfg(feature = "test-util")]
    Mock(crate::mock::MockTransport),
}

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// reqwest's error: connection, TLS, broken body, its own timeout.
    Http(reqwest::Error),
    /// A transport error a mock was told to give, with its message.
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    Simulated(String),
}

impl From<reqwest::Error> for ExchangeError {
    fn from(error: reqwest::Error) -> Self {
        Self::Http(error)
    }
}

impl Transport {
    /// The configuration's mock, else its own `reqwest::Client`, else one built from it.
    pub(crate) fn for_config(config: &Config) -> Result<Self, Error> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = &config.mock {
            return Ok(Self::Mock(mock.clone()));
        }
        let http = match &config.http_client {
            Some(client) => client.clone(),
            None => http_client_builder(config)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Self::Http(http))
    }

    /// Sends `http`, one attempt of `request` (which the client `validated`, or not, first: a
    /// mock records both).
    #[cfg_attr(not(feature = "test-util"), allow(unused_variables))]
    pub(crate) async fn send(
        &self,
        service: &ServiceInfo,
        request: &OperationRequest,
        validated: bool,
        http: reqwest::Request,
    ) -> Result<reqwest::Response, ExchangeError> {
        match self {
            Self::Http(client) => Ok(client.execute(http).await?),
            #[cfg(feature = "test-util")]
            Self::Mock(mock) => mock.send(service, request, validated, http).await.map_err(ExchangeError::Simulated),
        }
    }
}
