//! Which operation a rule answers: a typed [`OperationId`] (what generated crates name in their
//! `operation_ids` modules), or, explicitly, any operation with a given `operationId`.

use super::MockRequest;
use crate::credentials::project;
use std::fmt;

/// The runtime's own call to IAM `KeystoneListProjects`, which finds the Huawei Cloud project id
/// when credentials are given without one (see [`credentials::project`](crate::credentials::project)):
/// over a mock, it goes to the mock's rules like any call.
pub const IAM_KEYSTONE_LIST_PROJECTS: OperationId =
    OperationId::new(project::IAM_SERVICE, project::KEYSTONE_LIST_PROJECTS);

/// One operation of one service: what a [`Rule`](super::Rule) is for, and what a
/// [`MockRequest`] was sent by.
///
/// Every generated crate has a constant for each of its operations, in each service module's
/// `operation_ids` (with the `test-util` feature): `cloudspec::cdm::operation_ids::SHOW_CLUSTER_DETAIL`.
/// A misspelt constant does not compile, where a misspelt string would only show as a rule
/// that never matches.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationId {
    service: &'static str,
    name: &'static str,
}

impl OperationId {
    /// The operation whose `operationId` is `name` in the service whose module is `service`
    /// (`ServiceInfo::name`). Generated `operation_ids` constants are built with it: name those
    /// instead, so that the compiler checks the name.
    pub const fn new(service: &'static str, name: &'static str) -> Self {
        Self { service, name }
    }

    /// The service's module name (`cdm`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The spec's `operationId` (`ShowClusterDetail`).
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl fmt::Debug for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// `cdm::ShowClusterDetail`: the service module, then the `operationId`.
impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.service, self.name)
    }
}

/// What a rule is for.
pub(super) enum Target {
    /// One operation of one service ([`Rule::on`](super::Rule::on)).
    Operation(OperationId),
    /// Any operation with this `operationId`, in any service
    /// ([`Rule::on_operation_id`](super::Rule::on_operation_id)).
    AnyNamed(String),
}

impl Target {
    pub(super) fn matches(&self, request: &MockRequest) -> bool {
        match self {
            Self::Operation(id) => *id == request.operation(),
            Self::AnyNamed(name) => name == request.operation().name(),
        }
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Operation(id) => write!(f, "{id}"),
            Self::AnyNamed(name) => write!(f, "*::{name}"),
        }
    }
}
