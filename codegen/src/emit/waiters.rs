//! `x-waiters` -> `wait_until_<name>` beside the operation's method: the operation polled until
//! the state field of its response has a success or failure value (the runtime's `waiter`
//! module polls, sleeps and times out).

use super::examples::example_section;
use super::pagination::method_docs;
use super::rust::{doc_lines, ident, raw_doc_lines};
use crate::ir::{Operation, Service, Waiter};
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
    let retry_statuses = waiter.retry_statuses.iter().map(|s| Literal::u16_unsuffixed(*s));
    let retry_codes = &waiter.retry_codes;
    let [delay, max_delay, max_wait] =
        [waiter.delay_ms, waiter.max_delay_ms, waiter.max_wait_ms].map(Literal::u64_unsuffixed);
    let backoff = Literal::f64_unsuffixed(waiter.backoff);
    let field = ident(&waiter.field.name);
    let state = if waiter.field.optional {
        quote!(body.#field.as_ref().map(cloudspec_runtime::request::param_text))
    } else {
        quote!(Some(cloudspec_runtime::request::param_text(&body.#field)))
    };
    let docs = docs(service, op, waiter, crate_name, &name);
    quote! {
        #docs
        pub async fn #fname(
            &self,
            request: &#req_ty,
            options: cloudspec_runtime::waiter::WaitOptions,
        ) -> Result<cloudspec_runtime::Response<#body_ty>, cloudspec_runtime::waiter::WaitError<#body_ty>> {
            let waiter = cloudspec_runtime::waiter::Waiter {
                name: #waiter_name,
                success: &[#(#success),*],
                failure: &[#(#failure),*],
                retry_statuses: &[#(#retry_statuses),*],
                retry_codes: &[#(#retry_codes),*],
                policy: cloudspec_runtime::waiter::WaitPolicy::from_millis(#delay, #backoff, #max_delay, #max_wait),
                state: |body: &#body_ty| #state,
            };
            cloudspec_runtime::waiter::wait(waiter, &options, || self.#method(request)).await
        }
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
    let quoted = |values: &[String]| values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    let mut summary = format!(
        "Polls [`{method}`](Self::{method}) until the response's `{}` is {}{}",
        waiter.field.wire_name,
        quoted(&waiter.success),
        if waiter.failure.is_empty() { String::new() } else { format!(" (failure: {})", quoted(&waiter.failure)) },
    );
    let retried: Vec<String> = waiter
        .retry_statuses
        .iter()
        .map(|s| format!("status {s}"))
        .chain(waiter.retry_codes.iter().map(|c| format!("code {}", crate::text::code(c))))
        .collect();
    if !retried.is_empty() {
        summary.push_str(&format!(", polling on through service errors of {}", retried.join(", ")));
    }
    summary.push_str(&format!(
        ", and returns that response.\n\nThe first poll is at once; the next after {}, each delay {} the one before up to {}, for at most {} in all (`options` overrides any of these).",
        seconds(waiter.delay_ms),
        if waiter.backoff == 1.0 { "equal to".to_owned() } else { format!("{} times", waiter.backoff) },
        seconds(waiter.max_delay_ms),
        seconds(waiter.max_wait_ms),
    ));
    // The spec's description is provider text (escaped); the rest is ours, links included.
    let description = waiter.description.as_deref().map(|d| {
        let d = doc_lines(d);
        quote!(#d #[doc = ""])
    });
    let summary = raw_doc_lines(&summary);
    let errors = " [`WaitError::Failed`](cloudspec_runtime::waiter::WaitError::Failed) with the response in a failure state, [`WaitError::TimedOut`](cloudspec_runtime::waiter::WaitError::TimedOut) with the last state seen when the maximum wait passes first, [`WaitError::Call`](cloudspec_runtime::waiter::WaitError::Call) when a call fails (the method's [`Error`](cloudspec_runtime::Error)).";
    let call = ident(name);
    let krate = ident(&crate_name.replace('-', "_"));
    let example = example_section(
        service,
        op,
        crate_name,
        quote! {
            let options = #krate::WaitOptions::new().with_max_wait(std::time::Duration::from_secs(600));
            let response = client.#call(&request, options).await?;
            println!("{response:?}");
        },
    );
    method_docs(quote!(#description #summary), errors, example)
}
