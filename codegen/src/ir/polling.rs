//! What `x-pagination` and `x-waiters` lower to: how an operation's pages follow each other,
//! and the states a caller can wait for by polling it.

use super::TypeRef;

/// How a paginated operation's pages follow each other (`x-pagination`).
#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// The request parameter that says where a page starts (`offset`, `page`, `marker`).
    pub position: PageParam,
    /// The request parameter that sets the page size (`limit`), when the spec names one.
    pub limit: Option<PageParam>,
    /// The success body's struct (`ListEnvironmentsV2ResponseBody`).
    pub body: String,
    /// The body's list of items.
    pub items: PageField,
    /// The item type of that list.
    pub item_type: TypeRef,
    /// The body's total number of items (offset and page styles).
    pub total: Option<PageField>,
    /// The body's marker of the next page (marker style).
    pub next_marker: Option<PageField>,
    /// The number of the first page, when the request names none (page style).
    pub first_page: u64,
}

/// The ways pages follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `offset` counts items from 0; the body gives a total.
    Offset,
    /// `page` counts pages from `first_page`; the body gives a total.
    Page,
    /// `marker` is what the previous page's next marker said.
    Marker,
}

/// A request parameter a paginator sets or documents.
#[derive(Debug, Clone)]
pub struct PageParam {
    /// The request struct's field name.
    pub name: String,
    pub wire_name: String,
    /// The field is an `Option`.
    pub optional: bool,
}

/// A field of a response body a paginator or waiter reads: a top-level property, or one nested
/// in objects (`/page/items`).
#[derive(Debug, Clone)]
pub struct PageField {
    /// The struct fields from the body to the value, outermost first (one for a top-level
    /// property).
    pub path: Vec<FieldStep>,
    /// The path as the spec writes it (`envs`, `/page/items`), for the docs.
    pub wire_name: String,
}

/// One struct field on the way to a [`PageField`].
#[derive(Debug, Clone)]
pub struct FieldStep {
    /// The struct's field name.
    pub name: String,
    /// The field is an `Option`.
    pub optional: bool,
}

/// A state an operation's response can be polled for (`x-waiters`).
#[derive(Debug, Clone)]
pub struct Waiter {
    /// The waiter's name in snake case (`cluster_running`: `wait_until_cluster_running`).
    pub name: String,
    pub description: Option<String>,
    /// The success body's struct, and the field whose value is the state (none for a waiter
    /// that succeeds on service errors only and has no failure states).
    pub body: String,
    pub field: Option<PageField>,
    /// The field's wire values (as text) that end the wait successfully, and in failure.
    pub success: Vec<String>,
    pub failure: Vec<String>,
    /// The HTTP statuses and codes of service errors that end the wait successfully (the
    /// resource is gone).
    pub success_statuses: Vec<u16>,
    pub success_codes: Vec<String>,
    /// The first delay between two polls, in milliseconds.
    pub delay_ms: u64,
    /// What each delay is multiplied by for the next one (1 for a fixed delay).
    pub backoff: f64,
    /// The longest delay between two polls, in milliseconds.
    pub max_delay_ms: u64,
    /// How long to wait in all, in milliseconds.
    pub max_wait_ms: u64,
    /// The HTTP statuses and codes of service errors that keep the wait polling.
    pub retry_statuses: Vec<u16>,
    pub retry_codes: Vec<String>,
}

impl Waiter {
    /// Whether a response state can end the wait successfully.
    pub fn succeeds_on_state(&self) -> bool {
        !self.success.is_empty()
    }

    /// Whether a service error can end the wait successfully.
    pub fn succeeds_on_error(&self) -> bool {
        !self.success_statuses.is_empty() || !self.success_codes.is_empty()
    }

    /// What can end the wait successfully, which decides what the waiter method returns.
    pub fn ends_on(&self) -> WaitEnd {
        match (self.succeeds_on_state(), self.succeeds_on_error()) {
            (true, true) => WaitEnd::Either,
            (true, false) => WaitEnd::State,
            // Lowering refuses a waiter with neither, so no success state means success errors.
            (false, _) => WaitEnd::Error,
        }
    }
}

/// What ends a [`Waiter`]'s wait successfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitEnd {
    /// A response whose field has a success value.
    State,
    /// A success error (the resource is gone).
    Error,
    /// Either of them.
    Either,
}
