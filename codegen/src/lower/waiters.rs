//! `x-waiters` on an operation -> [`Waiter`]s: states a caller can wait for by polling it.
//!
//! ```yaml
//! x-waiters:
//!   cluster_running:             # wait_until_cluster_running
//!     description: The cluster is running.
//!     field: status              # a property of the success body: text, number, boolean or enum
//!                                # (a JSON pointer, /cluster/status, reaches a nested one)
//!     success: ['200']           # wire values that end the wait successfully
//!     failure: ['300', '303']    # wire values that end it in failure (optional)
//!     delay: 10                  # seconds before the second poll
//!     backoff: 1.5               # each delay is the one before times this (optional, 1)
//!     max-delay: 60              # the longest delay (optional, max-wait)
//!     max-wait: 1800             # seconds to wait in all
//!     retry-statuses: [404]      # service errors polled through: by HTTP status (optional)
//!     retry-codes: ['CDM.0010']  # and by error code (optional)
//!   cluster_deleted:             # a waiter that succeeds on a service error: the resource is gone
//!     success-statuses: [404]    # service errors that end the wait successfully: by HTTP status
//!     success-codes: ['CDM.0012'] # and by error code (either or both; then `field` is optional)
//!     delay: 10
//!     max-wait: 1800
//! ```
//!
//! Names, values and durations are checked here, each problem at its pointer: a success value
//! that is also a failure value, a value the field's enum does not have, a delay that is not
//! positive or longer than a day, a waiter with neither `field` and `success` nor a success
//! status or code, state values without a `field` (or a `field` without values), and a status or
//! code listed both to poll through and to succeed on.

use super::extension::Holds;
use super::Ctx;
use crate::ir::{Operation, PageField, Struct, Success, TypeKind, Waiter};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "description",
    "field",
    "success",
    "failure",
    "delay",
    "backoff",
    "max-delay",
    "max-wait",
    "retry-statuses",
    "retry-codes",
    "success-statuses",
    "success-codes",
];

/// The longest delay or wait, in seconds: one day, the runtime's longest duration.
const MAX_SECONDS: f64 = 86_400.0;

/// The largest factor between two delays: larger ones reach `max-delay` after one poll anyway.
const MAX_BACKOFF: f64 = 10.0;

impl Ctx<'_> {
    pub(super) fn lower_waiters(&mut self, op_at: &Pointer, success: &Success) -> Vec<Waiter> {
        let at = op_at.key("x-waiters");
        let Some(raw) = self.value_at(&at) else { return Vec::new() };
        let Some(map) = raw.as_object() else {
            self.error(
                &at,
                "x-waiters must be a mapping of waiter names to {field, success, failure, delay, backoff, max-wait}",
            );
            return Vec::new();
        };
        let mut waiters = Vec::new();
        for (name, spec) in map {
            let waiter_at = at.key(name);
            let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid_name {
                self.error(
                    &waiter_at,
                    format!(
                        "waiter name {name:?} must be snake case (`cluster_running`): it becomes `wait_until_{name}`"
                    ),
                );
                continue;
            }
            let Some(spec) = spec.as_object() else {
                self.error(
                    &waiter_at,
                    "a waiter must be a mapping: {field, success, failure, delay, backoff, max-wait}",
                );
                continue;
            };
            if let Some(waiter) = self.lower_waiter(&waiter_at, name, spec, success) {
                waiters.push(waiter);
            }
        }
        waiters
    }

    fn lower_waiter(
        &mut self,
        at: &Pointer,
        name: &str,
        spec: &Map<String, Value>,
        success: &Success,
    ) -> Option<Waiter> {
        self.warn_unknown_keys(at, spec, KEYS, "a waiter");
        let errors_before = self.errors_so_far();
        let (body, fields) = self.success_struct(at, success, "x-waiters")?;
        let success_statuses = self.listed_statuses(at, spec, "success-statuses", &[]);
        let success_codes = self.listed_codes(at, spec, "success-codes", &[]);
        // Whether the waiter means to succeed on errors, however well it lists them (a bad list
        // is reported at its own pointer, not again as a waiter without success).
        let on_error = ["success-statuses", "success-codes"].iter().any(|key| spec.contains_key(*key));
        if on_error && success_statuses.is_empty() && success_codes.is_empty() && self.errors_so_far() == errors_before
        {
            self.error(
                at,
                "`success-statuses` and `success-codes` list no status or code: the wait could never succeed",
            );
        }
        let states = self.states(at, spec, &fields, on_error);
        let delay = self.seconds(at, spec, "delay");
        let max_wait = self.seconds(at, spec, "max-wait");
        let max_delay = if spec.contains_key("max-delay") { self.seconds(at, spec, "max-delay") } else { max_wait };
        let backoff = self.backoff(at, spec);
        let retry_statuses = self.listed_statuses(at, spec, "retry-statuses", &success_statuses);
        let retry_codes = self.listed_codes(at, spec, "retry-codes", &success_codes);
        if let (Some(delay), Some(max_delay), Some(max_wait)) = (delay, max_delay, max_wait) {
            if max_delay < delay || max_wait < delay {
                self.error(at, "a waiter's delay must not be longer than its max-delay and max-wait");
            }
        }
        if self.errors_so_far() > errors_before {
            return None;
        }
        let (field, success_values, failure_values) = states?;
        let millis = |seconds: f64| (seconds * 1000.0).round() as u64;
        Some(Waiter {
            name: name.to_owned(),
            description: spec.get("description").and_then(Value::as_str).map(str::to_owned),
            body,
            field,
            success: success_values,
            failure: failure_values,
            success_statuses,
            success_codes,
            delay_ms: millis(delay?),
            backoff: backoff?,
            max_delay_ms: millis(max_delay?),
            max_wait_ms: millis(max_wait?),
            retry_statuses,
            retry_codes,
        })
    }

    /// The state field and its success and failure values. A waiter that succeeds on a service
    /// error (`on_error`) may leave out the field, or give it failure values only; any other
    /// needs the field and success values.
    fn states(
        &mut self,
        at: &Pointer,
        spec: &Map<String, Value>,
        fields: &Struct,
        on_error: bool,
    ) -> Option<(Option<PageField>, Vec<String>, Vec<String>)> {
        if !spec.contains_key("field") && on_error {
            for key in ["success", "failure"].into_iter().filter(|key| spec.contains_key(*key)) {
                self.error(&at.key(key), format!("`{key}` lists values of a `field`, and this waiter names none"));
            }
            return Some((None, Vec::new(), Vec::new()));
        }
        if !spec.contains_key("field") {
            self.error(
                at,
                "a waiter needs `field` and `success` values, or `success-statuses`/`success-codes` (service errors that end it successfully, such as a 404 once the resource is gone)",
            );
            return None;
        }
        let (field, ty) = self.body_field(at, spec, "field", Holds::Scalar, fields, true)?;
        let enum_values = match ty.named().and_then(|n| self.type_kind(n)) {
            Some(TypeKind::Enum(e)) => Some(e.variants.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
            _ => None,
        };
        let success = self.state_values(at, spec, "success", !on_error, enum_values.as_deref(), &[]);
        let failure = self.state_values(at, spec, "failure", false, enum_values.as_deref(), &success);
        if on_error && !spec.contains_key("success") && !spec.contains_key("failure") {
            self.error(
                &at.key("field"),
                "`field` is read for `success` or `failure` values, and this waiter lists none",
            );
        }
        Some((Some(field), success, failure))
    }

    /// `spec[key]` (`retry-statuses`, `success-statuses`): HTTP error statuses (400 to 599), none
    /// when absent; none of them in `taken` (the success statuses, for the retry ones).
    fn listed_statuses(&mut self, at: &Pointer, spec: &Map<String, Value>, key: &str, taken: &[u16]) -> Vec<u16> {
        let kind = key.trim_end_matches("-statuses");
        let mut statuses = Vec::new();
        for (index, value) in self.list(at, spec, key).into_iter().enumerate() {
            let item_at = at.key(key).index(index);
            match value.as_u64().and_then(|n| u16::try_from(n).ok()).filter(|n| (400..=599).contains(n)) {
                Some(status) if taken.contains(&status) => self.error(
                    &item_at,
                    format!("{status} is a success status too: a status either ends the wait or is polled through"),
                ),
                Some(status) if !statuses.contains(&status) => statuses.push(status),
                Some(_) => {}
                None => self.error(
                    &item_at,
                    format!("a {kind} status must be an HTTP error status, an integer from 400 to 599"),
                ),
            }
        }
        statuses
    }

    /// `spec[key]` (`retry-codes`, `success-codes`): service error codes, none when absent; none
    /// of them in `taken` (the success codes, for the retry ones).
    fn listed_codes(&mut self, at: &Pointer, spec: &Map<String, Value>, key: &str, taken: &[String]) -> Vec<String> {
        let kind = key.trim_end_matches("-codes");
        let mut codes = Vec::new();
        for (index, value) in self.list(at, spec, key).into_iter().enumerate() {
            let item_at = at.key(key).index(index);
            match value.as_str().filter(|code| !code.trim().is_empty()) {
                Some(code) if taken.iter().any(|c| c == code) => self.error(
                    &item_at,
                    format!("{code:?} is a success code too: a code either ends the wait or is polled through"),
                ),
                Some(code) if !codes.iter().any(|c| c == code) => codes.push(code.to_owned()),
                Some(_) => {}
                None => self.error(&item_at, format!("a {kind} code must be a non-empty string")),
            }
        }
        codes
    }

    /// The items of the optional list `spec[key]`; an error when it is not a list.
    fn list(&mut self, at: &Pointer, spec: &Map<String, Value>, key: &str) -> Vec<Value> {
        match spec.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => {
                self.error(&at.key(key), format!("`{key}` must be a list"));
                Vec::new()
            }
        }
    }

    /// The wire texts `spec[key]` lists: a success list given must be non-empty, an absent list
    /// is an error when `required`, and no value may be in `taken` (the success values, for the
    /// failure list) or outside the field's enum.
    fn state_values(
        &mut self,
        at: &Pointer,
        spec: &Map<String, Value>,
        key: &str,
        required: bool,
        enum_values: Option<&[String]>,
        taken: &[String],
    ) -> Vec<String> {
        let key_at = at.key(key);
        let list = match spec.get(key) {
            None if !required => return Vec::new(),
            Some(Value::Array(list)) if !list.is_empty() || key == "failure" => list,
            _ => {
                self.error(&key_at, format!("`{key}` must be a non-empty list of the field's values"));
                return Vec::new();
            }
        };
        let mut values = Vec::new();
        for (index, value) in list.iter().enumerate() {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(_) | Value::Bool(_) => value.to_string(),
                _ => {
                    self.error(&key_at.index(index), "a state value must be a string, number or boolean");
                    continue;
                }
            };
            if taken.contains(&text) {
                self.error(&key_at.index(index), format!("{text:?} is a success value too"));
            } else if let Some(allowed) = enum_values.filter(|allowed| !allowed.contains(&text)) {
                self.error(
                    &key_at.index(index),
                    format!("{text:?} is not a value of the field's enum ({})", allowed.join(", ")),
                );
            } else {
                values.push(text);
            }
        }
        values
    }

    /// `spec[key]` in seconds: positive and at most a day.
    fn seconds(&mut self, at: &Pointer, spec: &Map<String, Value>, key: &str) -> Option<f64> {
        match spec.get(key).and_then(Value::as_f64) {
            Some(seconds) if seconds > 0.0 && seconds <= MAX_SECONDS => Some(seconds),
            _ => {
                self.error(
                    &at.key(key),
                    format!("`{key}` must be a number of seconds above 0 and at most {MAX_SECONDS} (a day)"),
                );
                None
            }
        }
    }

    fn backoff(&mut self, at: &Pointer, spec: &Map<String, Value>) -> Option<f64> {
        let Some(value) = spec.get("backoff") else { return Some(1.0) };
        match value.as_f64() {
            Some(factor) if (1.0..=MAX_BACKOFF).contains(&factor) => Some(factor),
            _ => {
                self.error(
                    &at.key("backoff"),
                    format!("`backoff` must be a number from 1 (a fixed delay) to {MAX_BACKOFF}"),
                );
                None
            }
        }
    }

    /// Reports a paginator or waiter method whose name another method of the client has.
    pub(super) fn check_helper_names(&mut self, operations: &[Operation], pointers: &[(String, Pointer)]) {
        let mut taken: Vec<String> =
            operations.iter().map(|op| op.fn_name.trim_start_matches("r#").to_owned()).collect();
        for op in operations {
            let mut helpers: Vec<(String, &str)> = Vec::new();
            if op.pagination.is_some() {
                let base = op.fn_name.trim_start_matches("r#");
                helpers.push((format!("{base}_pages"), "x-pagination"));
                helpers.push((format!("{base}_items"), "x-pagination"));
            }
            helpers.extend(op.waiters.iter().map(|w| (format!("wait_until_{}", w.name), "x-waiters")));
            for (name, extension) in helpers {
                if taken.contains(&name) {
                    let op_at =
                        pointers.iter().find(|(id, _)| *id == op.id).map_or_else(Pointer::root, |(_, at)| at.clone());
                    self.error(&op_at.key(extension), format!("the client already has a method `{name}`"));
                } else {
                    taken.push(name);
                }
            }
        }
    }
}
