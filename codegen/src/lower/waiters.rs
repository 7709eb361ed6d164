//! `x-waiters` on an operation -> [`Waiter`]s: states a caller can wait for by polling it.
//!
//! ```yaml
//! x-waiters:
//!   cluster_running:             # wait_until_cluster_running
//!     description: The cluster is running.
//!     field: status              # a property of the success body: text, number, boolean or enum
//!     success: ['200']           # wire values that end the wait successfully
//!     failure: ['300', '303']    # wire values that end it in failure (optional)
//!     delay: 10                  # seconds before the second poll
//!     backoff: 1.5               # each delay is the one before times this (optional, 1)
//!     max-delay: 60              # the longest delay (optional, max-wait)
//!     max-wait: 1800             # seconds to wait in all
//!     retry-statuses: [404]      # service errors polled through: by HTTP status (optional)
//!     retry-codes: ['CDM.0010']  # and by error code (optional)
//! ```
//!
//! Names, values and durations are checked here, each problem at its pointer: a success value
//! that is also a failure value, a value the field's enum does not have, a delay that is not
//! positive or longer than a day.

use super::extension::Holds;
use super::Ctx;
use crate::ir::{Operation, Success, TypeKind, Waiter};
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
        let field = self.body_field(at, spec, "field", Holds::Scalar, &fields, true);
        let enum_values = field.as_ref().and_then(|(_, ty)| match ty.named().and_then(|n| self.type_kind(n)) {
            Some(TypeKind::Enum(e)) => Some(e.variants.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
            _ => None,
        });
        let success_values = self.state_values(at, spec, "success", enum_values.as_deref(), &[]);
        let failure_values = self.state_values(at, spec, "failure", enum_values.as_deref(), &success_values);
        let delay = self.seconds(at, spec, "delay");
        let max_wait = self.seconds(at, spec, "max-wait");
        let max_delay = if spec.contains_key("max-delay") { self.seconds(at, spec, "max-delay") } else { max_wait };
        let backoff = self.backoff(at, spec);
        let retry_statuses = self.retry_statuses(at, spec);
        let retry_codes = self.retry_codes(at, spec);
        if let (Some(delay), Some(max_delay), Some(max_wait)) = (delay, max_delay, max_wait) {
            if max_delay < delay || max_wait < delay {
                self.error(at, "a waiter's delay must not be longer than its max-delay and max-wait");
            }
        }
        if self.errors_so_far() > errors_before {
            return None;
        }
        let millis = |seconds: f64| (seconds * 1000.0).round() as u64;
        Some(Waiter {
            name: name.to_owned(),
            description: spec.get("description").and_then(Value::as_str).map(str::to_owned),
            body,
            field: field?.0,
            success: success_values,
            failure: failure_values,
            delay_ms: millis(delay?),
            backoff: backoff?,
            max_delay_ms: millis(max_delay?),
            max_wait_ms: millis(max_wait?),
            retry_statuses,
            retry_codes,
        })
    }

    /// `retry-statuses`: HTTP error statuses (400 to 599), none when absent.
    fn retry_statuses(&mut self, at: &Pointer, spec: &Map<String, Value>) -> Vec<u16> {
        let mut statuses = Vec::new();
        for (index, value) in self.list(at, spec, "retry-statuses").into_iter().enumerate() {
            match value.as_u64().and_then(|n| u16::try_from(n).ok()).filter(|n| (400..=599).contains(n)) {
                Some(status) if !statuses.contains(&status) => statuses.push(status),
                Some(_) => {}
                None => self.error(
                    &at.key("retry-statuses").index(index),
                    "a retry status must be an HTTP error status, an integer from 400 to 599",
                ),
            }
        }
        statuses
    }

    /// `retry-codes`: service error codes, none when absent.
    fn retry_codes(&mut self, at: &Pointer, spec: &Map<String, Value>) -> Vec<String> {
        let mut codes = Vec::new();
        for (index, value) in self.list(at, spec, "retry-codes").into_iter().enumerate() {
            match value.as_str().filter(|code| !code.trim().is_empty()) {
                Some(code) if !codes.iter().any(|c| c == code) => codes.push(code.to_owned()),
                Some(_) => {}
                None => self.error(&at.key("retry-codes").index(index), "a retry code must be a non-empty string"),
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

    /// The wire texts `spec[key]` lists: the success list must be non-empty, and no value may be
    /// in `taken` (the success values, for the failure list) or outside the field's enum.
    fn state_values(
        &mut self,
        at: &Pointer,
        spec: &Map<String, Value>,
        key: &str,
        enum_values: Option<&[String]>,
        taken: &[String],
    ) -> Vec<String> {
        let key_at = at.key(key);
        let list = match spec.get(key) {
            None if key == "failure" => return Vec::new(),
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
