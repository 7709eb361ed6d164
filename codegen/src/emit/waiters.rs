//! `x-waiters` -> `wait_until_<name>` beside the operation's method: the operation polled until
//! the state field of its response has a success or failure value, or the service answers with
//! a success error (the runtime's `waiter` module polls, sleeps and times out). What the method
//! returns depends on how the waiter can succeed: see [`outcome`].

use super::body_path::Reach;
use super::examples::example_section;
use super::pagination::method_docs;
use super::rust::{doc_lines, ident, raw_doc_lines};
use crate::ir::{Operation, Service, WaitEnd, Waiter};
use crate::text::code;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The waiter methods of `op`, one per waiter.
pub fn methods(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    op.waiters.iter().map(|waiter| method(service, op, waiter, crate_name)).collect()
}

fn method(service: &Service, op: &Operation, waiter: &Waiter, crate_name: &str) -> TokenStream {
    let name = format!("wait_until_{}", waiter.name);
    let fname = ident(&name);
    let method = ident(&op.fn_name);
    let req_ty = ident(&op.request_type);
    let body_ty = ident(&waiter.body);
    let waiter_name = &waiter.name;
    let (success, failure) = (&waiter.success, &waiter.failure);
    let statuses = |list: &[u16]| list.iter().map(|s| Literal::u16_unsuffixed(*s)).collect::<Vec<_>>();
    let (success_statuses, retry_statuses) = (statuses(&waiter.success_statuses), statuses(&waiter.retry_statuses));
    let (success_codes, retry_codes) = (&waiter.success_codes, &waiter.retry_codes);
    let [delay, max_delay, max_wait] =
        [waiter.delay_ms, waiter.max_delay_ms, waiter.max_wait_ms].map(Literal::u64_unsuffixed);
    let backoff = Literal::f64_unsuffixed(waiter.backoff);
    let state = match &waiter.field {
        Some(field) => {
            let text = Reach::new(field, false).text();
            quote!(|body: &#body_ty| #text)
        }
        None => quote!(|_: &#body_ty| None),
    };
    let (returns, wait) = outcome(waiter, &body_ty);
    let docs = docs(service, op, waiter, crate_name, &name);
    quote! {
        #docs
        pub async fn #fname(
            &self,
            request: &#req_ty,
            options: cloudspec_runtime::waiter::WaitOptions,
        ) -> Result<#returns, cloudspec_runtime::waiter::WaitError<#body_ty>> {
            let waiter = cloudspec_runtime::waiter::Waiter {
                name: #waiter_name,
                success: &[#(#success),*],
                failure: &[#(#failure),*],
                success_statuses: &[#(#success_statuses),*],
                success_codes: &[#(#success_codes),*],
                retry_statuses: &[#(#retry_statuses),*],
                retry_codes: &[#(#retry_codes),*],
                policy: cloudspec_runtime::waiter::WaitPolicy::from_millis(#delay, #backoff, #max_delay, #max_wait),
                state: #state,
            };
            cloudspec_runtime::waiter::#wait(waiter, &options, || self.#method(request)).await
        }
    }
}

/// The method's success type and the runtime function that polls for it. Each says only what
/// can happen: a waiter that succeeds on states returns the response in a success state; one
/// that succeeds on errors only returns the service error that ended it (aws-sdk-rust's waiters
/// hand back the matched error too); one that can succeed either way returns a `WaitOutcome`
/// saying which way it did.
fn outcome(waiter: &Waiter, body_ty: &proc_macro2::Ident) -> (TokenStream, proc_macro2::Ident) {
    match waiter.ends_on() {
        WaitEnd::Either => (quote!(cloudspec_runtime::waiter::WaitOutcome<#body_ty>), ident("wait_for_outcome")),
        WaitEnd::Error => (quote!(cloudspec_runtime::ServiceError), ident("wait_for_service_error")),
        WaitEnd::State => (quote!(cloudspec_runtime::Response<#body_ty>), ident("wait")),
    }
}

/// `1.5 s`, `10 s`, `2 min`: a duration in milliseconds as the docs say it.
fn seconds(millis: u64) -> String {
    match millis {
        m if m % 60_000 == 0 => format!("{} min", m / 60_000),
        m if m % 1_000 == 0 => format!("{} s", m / 1_000),
        m => format!("{} s", m as f64 / 1_000.0),
    }
}

fn docs(service: &Service, op: &Operation, waiter: &Waiter, crate_name: &str, name: &str) -> TokenStream {
    let method = op.fn_name.trim_start_matches("r#");
    let summary = format!(
        "Polls [`{method}`](Self::{method}) until {}{}, and returns {}.{}\n\nThe first poll is at once; the next after {}, each delay {} the one before up to {}, for at most {} in all (`options` overrides any of these).",
        ends(waiter),
        polled_through(waiter),
        match waiter.ends_on() {
            WaitEnd::Either => "a [`WaitOutcome`](cloudspec_runtime::waiter::WaitOutcome) saying which: the response, or the service error",
            WaitEnd::Error => "that service error (its status, code and request id)",
            WaitEnd::State => "that response",
        },
        failure(waiter),
        seconds(waiter.delay_ms),
        if waiter.backoff == 1.0 { "equal to".to_owned() } else { format!("{} times", waiter.backoff) },
        seconds(waiter.max_delay_ms),
        seconds(waiter.max_wait_ms),
    );
    // The spec's description is provider text (escaped); the rest is ours, links included.
    let description = waiter.description.as_deref().map(|d| {
        let d = doc_lines(d);
        quote!(#d #[doc = ""])
    });
    let summary = raw_doc_lines(&summary);
    // `Failed` only where a failure state can end the wait.
    let failed = if waiter.failure.is_empty() {
        ""
    } else {
        " [`WaitError::Failed`](cloudspec_runtime::waiter::WaitError::Failed) with the response in a failure state,"
    };
    let last_seen = if waiter.field.is_some() { "the last state and response seen" } else { "the last response seen" };
    let errors = format!("{failed} [`WaitError::TimedOut`](cloudspec_runtime::waiter::WaitError::TimedOut) with {last_seen} when the maximum wait passes first, [`WaitError::Call`](cloudspec_runtime::waiter::WaitError::Call) when a call fails (the method's [`Error`](cloudspec_runtime::Error)).");
    let call = ident(name);
    let outcome = ident(match waiter.ends_on() {
        WaitEnd::Either => "outcome",
        WaitEnd::Error => "gone",
        WaitEnd::State => "response",
    });
    let print = format!("{{{outcome}:?}}");
    let krate = ident(&crate_name.replace('-', "_"));
    let example = example_section(
        service,
        op,
        crate_name,
        quote! {
            let options = #krate::WaitOptions::new().with_max_wait(std::time::Duration::from_secs(600));
            let #outcome = client.#call(&request, options).await?;
            println!(#print);
        },
    );
    method_docs(quote!(#description #summary), &errors, example)
}

/// What ends the wait successfully, as the docs say it: the field's success values, the success
/// errors, or both.
fn ends(waiter: &Waiter) -> String {
    let mut ends = Vec::new();
    if waiter.succeeds_on_state() {
        let field = waiter.field.as_ref().map_or(String::new(), |field| code(&field.wire_name));
        ends.push(format!("the response's {field} is {}", code_list(&waiter.success)));
    }
    if waiter.succeeds_on_error() {
        let errors = errors(&waiter.success_statuses, &waiter.success_codes);
        ends.push(format!("the service answers with an error of {errors}"));
    }
    ends.join(", or ")
}

/// ` A response whose `state` is `failed` ends it in failure.` when the waiter has failure values.
fn failure(waiter: &Waiter) -> String {
    match &waiter.field {
        Some(field) if !waiter.failure.is_empty() => {
            format!(
                " A response whose {} is {} ends it in failure.",
                code(&field.wire_name),
                code_list(&waiter.failure)
            )
        }
        _ => String::new(),
    }
}

/// `` `a`, `b` ``: spec values as code spans (escaped: a value is spec text, and these docs are
/// Markdown that rustdoc runs code blocks of).
fn code_list(values: &[String]) -> String {
    values.iter().map(|v| code(v)).collect::<Vec<_>>().join(", ")
}

/// `, polling on through service errors of status 404, code `X`` when the waiter lists any.
fn polled_through(waiter: &Waiter) -> String {
    if waiter.retry_statuses.is_empty() && waiter.retry_codes.is_empty() {
        return String::new();
    }
    format!(", polling on through service errors of {}", errors(&waiter.retry_statuses, &waiter.retry_codes))
}

/// `status 404, code `X``: HTTP statuses and service error codes as the docs list them.
fn errors(statuses: &[u16], codes: &[String]) -> String {
    let statuses = statuses.iter().map(|s| format!("status {s}"));
    let codes = codes.iter().map(|c| format!("code {}", code(c)));
    statuses.chain(codes).collect::<Vec<_>>().join(", ")
}
