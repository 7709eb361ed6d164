//! Operations -> the rustdoc example of each client method: a compiled (not run) program that
//! builds the request from the spec's own examples (typed values from [`super::values`]) and
//! sends it.
//!
//! The example is built as tokens, laid out by prettyplease, and turned into doc lines, the
//! function around it hidden.

use super::layout::{items_text, split_block, unparse_item};
use super::requests::is_optional;
use super::rust::{ident, raw_doc_lines};
use super::values::{Place, ValueBuilder};
use crate::ir::{ExampleContext, HttpMethod, Operation, Param, Service, SigningScheme};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::collections::BTreeSet;

/// The doc attributes of `op`'s `# Example` section.
pub fn doc_example(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let method = ident(&op.fn_name);
    example_section(
        service,
        op,
        crate_name,
        quote! {
            let response = client.#method(&request).await?;
            println!("{response:?}");
        },
    )
}

/// The `# Example` section of `op`'s streaming method `stream_fn`: the download read chunk by
/// chunk.
pub fn stream_doc_example(service: &Service, op: &Operation, crate_name: &str, stream_fn: &str) -> TokenStream {
    let method = ident(stream_fn);
    example_section(
        service,
        op,
        crate_name,
        quote! {
            let mut body = client.#method(&request).await?.into_inner();
            let mut size = 0;
            while let Some(chunk) = body.next_chunk().await {
                size += chunk?.len();
            }
            println!("{size} bytes");
        },
    )
}

/// An `# Example` section: `op`'s request built from the spec's examples, then `usage`.
pub(super) fn example_section(service: &Service, op: &Operation, crate_name: &str, usage: TokenStream) -> TokenStream {
    let mut values = ValueBuilder::new(service);
    let (setup, request) = request_value(&mut values, op);
    let program = quote! {
        async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
            #setup
            let request = #request;
            #usage
            Ok(())
        }
    };
    values.names.insert("Client".to_owned());
    let imports = imports(crate_name, service, &values.names);
    raw_doc_lines(&format!("# Example\n\n```no_run\n{}```", program_text(imports, program)))
}

/// The statements preparing `op`'s request (its body, when it has one), and the expression
/// building it: required parameters from the spec's examples, the body from a request example.
pub(super) fn request_value(values: &mut ValueBuilder<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    values.names.insert(op.request_type.clone());
    let mut args: Vec<TokenStream> =
        op.params.iter().filter_map(|p| Some(values.value(&p.ty, Some(&argument_example(p)?), Place::Into))).collect();
    let mut setup = TokenStream::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        // A request example from the spec, preferring one that agrees with its schema (never a
        // document's verbatim one kept beside a valid one); else one built from the type.
        let requests = || op.examples.iter().filter(|e| e.context == ExampleContext::Request && !e.document);
        let example = requests().find(|e| e.contradictions.is_empty()).or_else(|| requests().next());
        let value = values.value(&body.ty, example.map(|e| &e.value), Place::Exact);
        setup.extend(quote!(let body = #value;));
        args.push(quote!(body));
    }
    let request = ident(&op.request_type);
    (setup, quote!(#request::new(#(#args),*)))
}

/// The value a doc example passes for parameter `p`: the spec's example, or its wire name (a
/// text parameter with no example reads best as its own name); `None` for an optional
/// parameter, which the examples leave out.
pub(super) fn argument_example(p: &Param) -> Option<Value> {
    if is_optional(p) {
        return None;
    }
    Some(p.example.clone().unwrap_or_else(|| Value::String(p.wire_name.clone())))
}

/// The crate-level example: a program that configures a client and calls one operation, the
/// request built as in the methods' examples. The operation is the first `GET` (it reads, and
/// needs no body), else the first one that needs no body, else the first one.
pub fn crate_example(services: &[Service], crate_name: &str) -> Option<String> {
    let (service, op) = example_operation(services)?;
    let mut values = ValueBuilder::new(service);
    let (setup, request) = request_value(&mut values, op);
    values.names.insert("Client".to_owned());
    let mut config = quote!(Config::builder());
    if let Some(region) = &service.example_region {
        config.extend(quote!(.region(#region)));
    }
    // The environment variables the official SDKs read.
    match service.signing {
        SigningScheme::HuaweiSdkHmacSha256 => config.extend(quote!(.credentials(Credentials::huawei_from_env()?))),
        SigningScheme::AliyunAcsHmacSha1 => config.extend(quote!(.credentials(Credentials::aliyun_from_env()?))),
        SigningScheme::None => {}
    }
    let krate = ident(&crate_name.replace('-', "_"));
    let runtime_names = match service.signing {
        SigningScheme::None => quote!(Config),
        _ => quote!(Config, Credentials),
    };
    let method = ident(&op.fn_name);
    let program = quote! {
        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let config = #config.build()?;
            let client = Client::new(config)?;
            #setup
            let request = #request;
            let response = client.#method(&request).await?;
            println!("{response:?}");
            Ok(())
        }
    };
    let service_imports = imports(crate_name, service, &values.names);
    let text = items_text(quote!(#service_imports use #krate::{#runtime_names}; #program))?;
    Some(format!("```no_run\n{text}```"))
}

/// The operation crate-level examples call: the first `GET` (it reads, and needs no body), else
/// the first one that needs no body, else the first one.
pub(super) fn example_operation(services: &[Service]) -> Option<(&Service, &Operation)> {
    let all = || services.iter().flat_map(|s| s.operations.iter().map(move |op| (s, op)));
    let no_body = |op: &Operation| op.body.as_ref().is_none_or(|b| !b.required);
    all()
        .find(|(_, op)| op.method == HttpMethod::Get && no_body(op))
        .or_else(|| all().find(|(_, op)| no_body(op)))
        .or_else(|| all().next())
}

/// `use <crate>::<module>::{...};` for the named types an example uses.
pub(super) fn imports(crate_name: &str, service: &Service, names: &BTreeSet<String>) -> TokenStream {
    let krate = ident(&crate_name.replace('-', "_"));
    let module = ident(&service.module);
    let imported = names.iter().map(|n| ident(n));
    quote!(use #krate::#module::{#(#imported),*};)
}

/// The example's text: its imports, then the body of `program` with the function around it
/// (and its final `Ok(())`) hidden from the rendered docs.
fn program_text(imports: TokenStream, program: TokenStream) -> String {
    let (Ok(imports), Ok(program)) = (syn::parse2::<syn::Item>(imports), syn::parse2::<syn::Item>(program)) else {
        return String::new();
    };
    let (header, body) = split_block(&unparse_item(program));
    let mut text = unparse_item(imports);
    text.push('\n');
    for line in header.lines() {
        text.push_str(&format!("# {line}\n"));
    }
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        let hidden = i + 1 == lines.len() && line == "Ok(())";
        text.push_str(&format!("{}{line}\n", if hidden { "# " } else { "" }));
    }
    text.push_str("# }\n");
    text
}
