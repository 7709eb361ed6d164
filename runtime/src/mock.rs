//! In-memory transport for consumers' tests (cargo feature `test-util`): any generated service
//! client runs over it, with no sockets and no server.
//!
//! A [`MockTransport`] holds [`Rule`]s, each for one operation, optionally narrowed by a
//! predicate on the typed request the client method was given ([`Rule::when_input`]) or on
//! the HTTP request ([`Rule::when`]). The operation is an [`OperationId`], a constant of the generated
//! crate (`cloudspec::cdm::operation_ids::SHOW_CLUSTER_DETAIL`; the runtime's own IAM call is
//! [`IAM_KEYSTONE_LIST_PROJECTS`]), so the compiler checks the name; [`Rule::on_operation_id`]
//! takes a bare `operationId` where there is no constant. A rule answers with
//! its [`Reply`]s in order, the last one repeating: a typed response ([`Reply::json`]), a
//! status with a body ([`Reply::status`]), a service error in the service's error shape
//! ([`Reply::service_error`]), or a transport error ([`Reply::transport_error`]), each
//! optionally after a delay. A sequence tests retries and paginators. Everything else the
//! client does is the real thing: validation, signing, retries, timeouts, decoding.
//!
//! [`Rule`]s are registered with [`MockTransport::rule`], which returns a [`RuleHandle`]: how
//! many calls the rule served and the [`MockRequest`]s it saw (operation, typed request, method,
//! path, query, headers, body, whether the request was validated), to assert on. A request no rule matches
//! panics with what it was, so a test never passes by accident.
//!
//! A configuration over a mock needs no credentials: without any, requests are signed with
//! placeholder keys ([`ACCESS_KEY_ID`], [`SECRET_ACCESS_KEY`]; Huawei Cloud calls get
//! [`PROJECT_ID`] when nothing else gives a project id), never with the environment's or a
//! profile's, so a test neither needs nor reads real keys; an operation whose security scheme
//! has no credential configured sends a placeholder ([`TOKEN`]) where it would fail. Credentials
//! given to the configuration are used as given. Without a mock, missing credentials are an
//! error as ever.
//!
//! ```
//! use cloudspec_runtime::mock::{MockTransport, OperationId, Reply, Rule};
//! use cloudspec_runtime::Config;
//!
//! // A generated crate has this constant: `cloudspec::cdm::operation_ids::SHOW_CLUSTER_DETAIL`.
//! const SHOW_CLUSTER_DETAIL: OperationId = OperationId::new("cdm", "ShowClusterDetail");
//!
//! let mock = MockTransport::new();
//! let show = mock.rule(
//!     Rule::on(SHOW_CLUSTER_DETAIL)
//!         .reply(Reply::status(503))
//!         .reply(Reply::json(200, &serde_json::json!({"id": "c-1", "status": "200"}))),
//! );
//! let config = Config::builder().region("cn-north-4").mock(&mock).build()?;
//! // `cloudspec::cdm::Client::new(config)?` now calls the mock: the first attempt gets the 503,
//! // the retry the cluster. Then: `assert_eq!(show.calls(), 2)`, `show.last_request()`...
//! assert_eq!(show.calls(), 0);
//! # Ok::<(), cloudspec_runtime::Error>(())
//! ```

mod credentials;
mod operation;
mod reply;
mod request;

pub use credentials::{ACCESS_KEY_ID, PROJECT_ID, SECRET_ACCESS_KEY, TOKEN};
pub use operation::{OperationId, IAM_KEYSTONE_LIST_PROJECTS};
pub use reply::Reply;
pub(crate) use request::Input;
pub use request::MockRequest;
use request::Sent;

pub(crate) use credentials::{placeholder as placeholder_credentials, placeholder_scheme_credential};
use operation::Target;

use crate::request::OperationRequest;
use crate::service::ServiceInfo;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The in-memory transport: set it with [`ConfigBuilder::mock`](crate::ConfigBuilder::mock), and
/// every client built from that configuration sends its requests here. Clones share the rules.
#[derive(Clone, Default)]
pub struct MockTransport {
    rules: Arc<Mutex<Vec<Arc<RuleState>>>>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = lock(&self.rules);
        f.debug_struct("MockTransport").field("rules", &rules.iter().map(|r| &r.rule).collect::<Vec<_>>()).finish()
    }
}

/// What requests one rule answers, and with what (see the [module docs](self)).
pub struct Rule {
    target: Target,
    predicate: Option<Predicate>,
    replies: Vec<Reply>,
}

type Predicate = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.target)
            .field("narrowed", &self.predicate.is_some())
            .field("replies", &self.replies)
            .finish()
    }
}

impl Rule {
    /// A rule for `operation`: a constant of the generated crate's `operation_ids` module
    /// (`Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL)`).
    pub fn on(operation: OperationId) -> Self {
        Self::for_target(Target::Operation(operation))
    }

    /// A rule for every operation whose `operationId` is `operation_id` (as the spec spells it:
    /// `ShowClusterDetail`), in any service. For an operation without a constant (a client
    /// of your own over the runtime); a misspelt name is only found at run time, when no rule
    /// matches: prefer [`Rule::on`].
    pub fn on_operation_id(operation_id: impl Into<String>) -> Self {
        Self::for_target(Target::AnyNamed(operation_id.into()))
    }

    fn for_target(target: Target) -> Self {
        Self { target, predicate: None, replies: Vec::new() }
    }

    /// Answers only the requests `predicate` accepts (another rule may take the others). With
    /// an earlier `when` or [`when_input`](Self::when_input), a request must pass both: a
    /// narrowing is never dropped, so a rule cannot match more than its test meant.
    pub fn when(mut self, predicate: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.predicate = Some(match self.predicate.take() {
            Some(earlier) => Box::new(move |request| earlier(request) && predicate(request)),
            None => Box::new(predicate),
        });
        self
    }

    /// Answers only the calls whose typed request (`cdm::ShowClusterDetailRequest`, as the
    /// client method was given it) `predicate` accepts:
    /// `.when_input(|r: &ShowClusterDetailRequest| r.cluster_id == "c-1")`. A call with another
    /// request type does not match. Combines with an earlier [`when`](Self::when) as it does.
    pub fn when_input<T: std::any::Any>(self, predicate: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.when(move |request| request.input::<T>().is_some_and(&predicate))
    }

    /// Adds `reply` to the sequence: the n-th request the rule serves gets the n-th reply, and
    /// every request after the last gets the last.
    pub fn reply(mut self, reply: Reply) -> Self {
        self.replies.push(reply);
        self
    }

    /// Adds each of `replies` to the sequence, in order.
    pub fn replies(mut self, replies: impl IntoIterator<Item = Reply>) -> Self {
        self.replies.extend(replies);
        self
    }

    fn matches(&self, request: &MockRequest) -> bool {
        self.target.matches(request) && self.predicate.as_ref().is_none_or(|accepts| accepts(request))
    }
}

/// A registered rule: the calls it served, and the requests it saw.
struct RuleState {
    rule: Rule,
    seen: Mutex<Vec<MockRequest>>,
}

/// What a test reads back from a registered [`Rule`]. Clones share the record.
#[derive(Clone)]
pub struct RuleHandle {
    state: Arc<RuleState>,
}

impl fmt::Debug for RuleHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleHandle").field("rule", &self.state.rule).field("calls", &self.calls()).finish()
    }
}

impl RuleHandle {
    /// How many requests (attempts, retries included) the rule has served.
    pub fn calls(&self) -> usize {
        lock(&self.state.seen).len()
    }

    /// The requests the rule has served, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        lock(&self.state.seen).clone()
    }

    /// The last request the rule served.
    pub fn last_request(&self) -> Option<MockRequest> {
        lock(&self.state.seen).last().cloned()
    }
}

impl MockTransport {
    /// A transport with no rules yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `rule` after the ones before it (the first matching rule answers a request).
    ///
    /// # Panics
    ///
    /// When `rule` has no reply.
    pub fn rule(&self, rule: Rule) -> RuleHandle {
        assert!(!rule.replies.is_empty(), "the mock rule for {:?} has no reply: add one with .reply(..)", rule.target);
        let state = Arc::new(RuleState { rule, seen: Mutex::new(Vec::new()) });
        lock(&self.rules).push(Arc::clone(&state));
        RuleHandle { state }
    }

    /// Every request any rule has served, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        let mut all: Vec<MockRequest> = lock(&self.rules).iter().flat_map(|r| lock(&r.seen).clone()).collect();
        all.sort_by_key(MockRequest::sequence);
        all
    }

    /// Answers one attempt: records it with the first matching rule and returns that rule's next
    /// reply, rendered for `service`. A transport error comes back as its message.
    pub(crate) async fn send(
        &self,
        service: &ServiceInfo,
        request: &OperationRequest,
        validated: bool,
        http: reqwest::Request,
    ) -> Result<reqwest::Response, String> {
        let operation = OperationId::new(service.name, request.operation);
        let sent = Sent { operation, input: request.input.clone(), validated, sequence: self.next_sequence() };
        let request = MockRequest::from_http(sent, http);
        let reply = self.take_reply(request);
        reply.render(service).await
    }

    fn next_sequence(&self) -> u64 {
        static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    fn take_reply(&self, request: MockRequest) -> Reply {
        let rules = lock(&self.rules);
        let Some(state) = rules.iter().find(|r| r.rule.matches(&request)) else {
            let known: Vec<&Target> = rules.iter().map(|r| &r.rule.target).collect();
            panic!("no mock rule matches {request:?} (rules for: {known:?})");
        };
        let mut seen = lock(&state.seen);
        let replies = &state.rule.replies;
        let reply = replies[seen.len().min(replies.len() - 1)].clone();
        seen.push(request);
        reply
    }
}

/// A lock that a panicking test elsewhere does not poison: the record stays readable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
