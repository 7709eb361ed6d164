//! Operations -> the client: the `Client` struct of a service and one async method per
//! operation, which validates the request, lays out its path, query, headers and body for the
//! runtime, sends it, and decodes the response.

use super::examples::{doc_example, stream_doc_example};
use super::features::{gate_members, ServiceGates};
use super::json_bytes;
use super::param_text::{optional_text, text_ref};
use super::requests::is_optional;
use super::responses::status_pattern;
use super::rust::{deprecated_with_note, doc_lines, docs, find_struct, ident, resolve_alias, ty};
use crate::ir::*;
use crate::text;
use proc_macro2::TokenStream;
use quote::quote;

/// `client.rs`: the client struct and its methods.
pub fn client(service: &Service, crate_name: &str, gates: &ServiceGates) -> TokenStream {
    let methods = service.operations.iter().map(|op| {
        let streamed = stream_method(service, op, crate_name);
        let method = method(service, op, crate_name);
        let pages = super::pagination::methods(service, op, crate_name);
        let waiters = super::waiters::methods(service, op, crate_name);
        gate_members(quote!(#method #streamed #pages #waiters), gates.operation(op))
    });
    let title = format!(" Client for {}.", text::inline(&service.title));
    // A service without operations has no request types to import.
    // With per-tag features, every operation may be left out.
    let operations = (!service.operations.is_empty()).then(|| {
        let allow = gates.on().then(|| quote!(#[allow(unused_imports)]));
        quote!(
            #allow
            use super::operations::*;
        )
    });
    let with_options_example = with_options_example(service, crate_name);
    let schemes = super::security::scheme_consts(service, gates);
    quote! {
        #operations
        #[allow(unused_imports)]
        use super::models::*;

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool and configuration.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: cloudspec_runtime::Client,
        }

        impl Client {
            /// A client for this service with `config`.
            ///
            /// # Errors
            ///
            /// [`Error::Config`](cloudspec_runtime::Error::Config) when the configuration has no endpoint for this service (neither an
            /// explicit endpoint nor a region), or the HTTP client cannot be built.
            pub fn new(config: cloudspec_runtime::Config) -> Result<Self, cloudspec_runtime::Error> {
                Ok(Self { runtime: cloudspec_runtime::Client::new(config, &super::SERVICE)? })
            }

            /// The configuration this client was built with.
            pub fn config(&self) -> &cloudspec_runtime::Config {
                self.runtime.config()
            }

            /// A view of this client whose calls apply `options`: their own timeouts, retry
            /// policy, extra headers, endpoint or validation switch. It shares this client's
            /// connection pool, credentials and configuration; this client is unchanged.
            ///
            #with_options_example
            pub fn with_options(&self, options: cloudspec_runtime::CallOptions) -> Self {
                Self { runtime: self.runtime.with_options(options) }
            }

            /// The per-call options of this view (none on a client from [`Client::new`]).
            pub fn options(&self) -> &cloudspec_runtime::CallOptions {
                self.runtime.options()
            }

            #(#methods)*
        }

        #schemes
    }
}

/// The doc example of `with_options`: a view with its own timeout and retry policy.
fn with_options_example(service: &Service, crate_name: &str) -> TokenStream {
    let krate = crate_name.replace('-', "_");
    let client = format!("{krate}::{}::Client", service.module);
    let lines = [
        "```".to_owned(),
        format!("# fn main() -> Result<(), {krate}::Error> {{"),
        format!("use {krate}::{{CallOptions, Config, RetryPolicy}};"),
        "use std::time::Duration;".to_owned(),
        format!("let client = {client}::new(Config::builder().endpoint(\"https://api.example.com\").build()?)?;"),
        "let patient = client.with_options(".to_owned(),
        "    CallOptions::new().attempt_timeout(Duration::from_secs(120)).retry(RetryPolicy::default().with_max_attempts(5)),"
            .to_owned(),
        ");".to_owned(),
        "assert_eq!(patient.options().retry_policy().map(|r| r.max_attempts), Some(5));".to_owned(),
        "assert!(client.options().retry_policy().is_none());".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ];
    let lines = lines.iter().map(|line| format!(" {line}"));
    quote!(#(#[doc = #lines])*)
}

fn success_type(op: &Operation) -> TokenStream {
    match &op.success {
        Success::Single { ty: t, .. } => ty(t),
        Success::ByStatus { enum_name, .. } => {
            let n = ident(enum_name);
            quote!(#n)
        }
    }
}

/// The expression decoding `response`'s body into `t` (`?` applied where decoding can fail).
fn decode(service: &Service, media: Option<MediaKind>, t: &TypeRef) -> TokenStream {
    match (media, t) {
        // Documented without a body: whatever came is ignored.
        (_, TypeRef::Unit) | (None, _) => quote!(()),
        (Some(MediaKind::Json), _) if json_bytes::adapts(&service.types, t) => {
            let wrapped = json_bytes::body_type(&service.types, t);
            quote!(response.json::<#wrapped>()?.0)
        }
        (_, TypeRef::Bytes) => quote!(response.take_body()),
        (Some(MediaKind::Text), TypeRef::String) => quote!(response.text()?),
        _ => quote!(response.json()?),
    }
}

/// Whether decoding takes the body out of the raw response (binary bodies), so it must be `mut`.
fn takes_body(op: &Operation) -> bool {
    match &op.success {
        // A JSON body of bytes is base64 text, decoded in place.
        Success::Single { ty, media, .. } => media.is_some_and(|m| m != MediaKind::Json) && *ty == TypeRef::Bytes,
        Success::ByStatus { cases, .. } => {
            cases.iter().any(|c| matches!(&c.body, Some((media, TypeRef::Bytes)) if *media != MediaKind::Json))
        }
    }
}

fn method(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let fname = ident(&op.fn_name);
    let req_ty = ident(&op.request_type);
    let out_ty = success_type(op);
    let build_request = request_statements(service, op);
    let decode_response = decode_response(service, op);
    let response_mutability = takes_body(op).then(|| quote!(mut));
    let docs = method_docs(service, op, crate_name);
    let dep = deprecated_with_note(&op.doc, "operation", &op.id);
    quote! {
        #docs
        #dep
        pub async fn #fname(&self, request: &#req_ty) -> Result<cloudspec_runtime::Response<#out_ty>, cloudspec_runtime::Error> {
            #build_request
            let #response_mutability response = self.runtime.send(http).await?;
            #decode_response
        }
    }
}

/// The name of `op`'s streaming method, when its success response is one binary body
/// (`application/octet-stream`): `<method>_stream`, or `<method>_body_stream` when another
/// operation's method already has that name.
fn stream_method_name(service: &Service, op: &Operation) -> Option<String> {
    let Success::Single { ty: TypeRef::Bytes, media: Some(MediaKind::OctetStream), .. } = &op.success else {
        return None;
    };
    let base = &op.fn_name;
    let taken = |name: &str| service.operations.iter().any(|o| o.fn_name == name);
    let name = format!("{base}_stream");
    Some(if taken(&name) { format!("{base}_body_stream") } else { name })
}

/// `<method>_stream` for an operation whose success is a binary download: the same request, the
/// body handed over as a stream of bounded chunks instead of read into memory.
fn stream_method(service: &Service, op: &Operation, crate_name: &str) -> Option<TokenStream> {
    let name = stream_method_name(service, op)?;
    let fname = ident(&name);
    let req_ty = ident(&op.request_type);
    let build_request = request_statements(service, op);
    let summary = format!(
        " As [`{}`](Self::{}), with the body as a [`BodyStream`](cloudspec_runtime::BodyStream) of chunks instead of one buffer: for downloads too large to hold in memory (no `max_response_bytes` limit applies).",
        op.fn_name, op.fn_name
    );
    let errors = " As the buffered method's, before the body; reading the stream yields [`Error::Transport`](cloudspec_runtime::Error::Transport) or [`Error::Timeout`](cloudspec_runtime::Error::Timeout) (each chunk must come within the attempt timeout).";
    let example = stream_doc_example(service, op, crate_name, &name);
    let dep = deprecated_with_note(&op.doc, "operation", &op.id);
    Some(quote! {
        #[doc = #summary]
        #[doc = ""]
        /// # Errors
        ///
        #[doc = #errors]
        #[doc = ""]
        #example
        #dep
        pub async fn #fname(&self, request: &#req_ty) -> Result<cloudspec_runtime::StreamingResponse, cloudspec_runtime::Error> {
            #build_request
            self.runtime.send_streaming(http).await
        }
    })
}

/// The statements that validate `request` and lay it out as `http`, the runtime's request.
fn request_statements(service: &Service, op: &Operation) -> TokenStream {
    let op_id = &op.id;
    let method_ident = ident(op.method.as_str());
    let (prepare, path_expr) = path_expression(service, op);
    // The configuration-supplied values the path was built with go on the request too: the
    // runtime signs for them (a project id is also sent as `X-Project-Id`).
    let mut sets: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .filter_map(|p| {
            let config = p.from_config.as_ref()?;
            let local = path_local(p);
            Some(quote!(http.record_config_param(#config, #local);))
        })
        .collect();
    // What the method can decode: without it a service may answer in another media type.
    sets.extend(op.accept.as_ref().map(|accept| quote!(http.accept(#accept);)));
    sets.extend(op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| param_statement(service, p)));
    sets.extend(op.body.as_ref().map(|b| body_statement(service, b)));
    let mutability = (!sets.is_empty()).then(|| quote!(mut));
    let security = super::security::security_call(service, op);
    let record_input = super::mocks::record_input();
    quote! {
        self.runtime.validate(request)?;
        #(#prepare)*
        let #mutability http = cloudspec_runtime::request::OperationRequest::new(#op_id, cloudspec_runtime::request::Method::#method_ident, #path_expr)#security;
        #(#sets)*
        #record_input
    }
}

/// The statements computing each path parameter's text, and the path built from the template's
/// pieces and those values by the runtime (which percent-encodes each value).
///
/// A `#` in a template (Box's `/files/{file_id}#get_shared_link` tells apart operations on one
/// path) starts a fragment, which HTTP never sends: the path ends before it
/// (`Operation::sent_path_parts`).
fn path_expression(service: &Service, op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let sent = op.sent_path_parts();
    let pieces = sent.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(cloudspec_runtime::request::PathPiece::Text(#text)),
        PathPart::Param(name) => {
            match op.path_param(name) {
                Some(p) => {
                    let local = path_local(p);
                    // A resolved configuration value is held by value, every other text by reference.
                    let text = match p.from_config {
                        Some(_) => quote!(&#local),
                        None => quote!(#local),
                    };
                    quote!(cloudspec_runtime::request::PathPiece::Param(#text))
                }
                // Lowering reports a template name without its parameter; keep the text as written.
                None => {
                    let text = format!("{{{name}}}");
                    quote!(cloudspec_runtime::request::PathPiece::Text(#text))
                }
            }
        }
    });
    let prepare = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .filter(|p| sent.iter().any(|part| matches!(part, PathPart::Param(name) if name == &p.wire_name)))
        .map(|p| {
            let pname = ident(&p.name);
            let local = path_local(p);
            let text = match &p.from_config {
                Some(config) => {
                    let given = optional_text(service, &p.ty, quote!(request.#pname));
                    quote!(self.runtime.resolve_param(#config, #given).await?)
                }
                // An optional one (only an idempotency token can be, in a path) is no text to borrow.
                None if is_optional(p) => quote!(&cloudspec_runtime::request::param_text(&request.#pname)),
                None => text_ref(service, &p.ty, quote!(request.#pname)),
            };
            quote!(let #local = #text;)
        })
        .collect();
    (prepare, quote!(cloudspec_runtime::request::build_path(&[#(#pieces),*])))
}

/// The local variable holding a path parameter's text (prefixed, so no parameter name can
/// shadow the method's own locals).
fn path_local(p: &Param) -> proc_macro2::Ident {
    ident(&format!("path_{}", p.name))
}

/// The statement adding a query, header or cookie parameter to `http`.
fn param_statement(service: &Service, p: &Param) -> TokenStream {
    let pname = ident(&p.name);
    let wire = &p.wire_name;
    let adder = match p.location {
        ParamLocation::Query => quote!(query),
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
        ParamLocation::Path => unreachable!("path parameters go into the path, not here"),
    };
    if p.idempotency_token {
        let location = match p.location {
            ParamLocation::Header => quote!(cloudspec_runtime::request::TokenLocation::Header),
            _ => quote!(cloudspec_runtime::request::TokenLocation::Query),
        };
        return quote!(http.idempotency_token(#location, #wire, request.#pname.as_ref().map(cloudspec_runtime::request::param_text)););
    }
    if let Some(config) = &p.from_config {
        let given = optional_text(service, &p.ty, quote!(request.#pname));
        return quote! {
            let #pname = self.runtime.resolve_param(#config, #given).await?;
            http.#adder(#wire, #pname.as_str().to_owned());
            http.record_config_param(#config, #pname);
        };
    }
    let add_one = |value: TokenStream| -> TokenStream {
        // An alias of a list is still a list: its items go out one by one or joined.
        // An object's properties are laid out by name: `name[key]=value`, or `key=value` exploded.
        let each_property = |key: TokenStream| {
            quote! {
                match serde_json::to_value(#value) {
                    Ok(serde_json::Value::Object(properties)) => {
                        for (key, item) in properties.iter().filter(|(_, item)| !item.is_null()) {
                            http.#adder(#key, cloudspec_runtime::request::param_text(item));
                        }
                    }
                    // Not an object after all (an untyped parameter): sent as one value.
                    _ => http.#adder(#wire, cloudspec_runtime::request::param_text(#value)),
                }
            }
        };
        // A tuple is a list on the wire: its items (as JSON) go out as a list's do.
        let (items, list) = match resolve_alias(service, &p.ty) {
            TypeRef::Vec(_) => (quote!(), Some(value.clone())),
            TypeRef::Tuple { .. } => (
                quote!(let items = &serde_json::to_value(#value).ok().and_then(|v| v.as_array().cloned()).unwrap_or_default();),
                Some(quote!(items)),
            ),
            _ => (quote!(), None),
        };
        let add = match list {
            _ if p.style == ParamStyle::DeepObject => {
                let key_format = format!("{}[{{key}}]", wire.replace('{', "{{").replace('}', "}}"));
                each_property(quote!(&format!(#key_format)))
            }
            _ if p.object && p.explode && p.location == ParamLocation::Query => each_property(quote!(key)),
            Some(list) if p.explode => quote! {
                for item in #list {
                    http.#adder(#wire, cloudspec_runtime::request::param_text(item));
                }
            },
            Some(list) => {
                let delimiter = p.style.delimiter();
                quote! {
                    http.#adder(#wire, #list.iter().map(cloudspec_runtime::request::param_text).collect::<Vec<_>>().join(#delimiter));
                }
            }
            None => quote!(http.#adder(#wire, cloudspec_runtime::request::param_text(#value));),
        };
        quote!(#items #add)
    };
    if is_optional(p) {
        let add = add_one(quote!(value));
        quote! { if let Some(value) = &request.#pname { #add } }
    } else {
        add_one(quote!(&request.#pname))
    }
}

/// The statements setting the request body on `http`.
fn body_statement(service: &Service, b: &RequestBody) -> TokenStream {
    // A wildcard (`*/*`, which lowering sends as JSON) names no media type: the body says what it is.
    let ct = match b.media {
        MediaKind::Json if b.content_type.contains('*') => "application/json",
        _ => b.content_type.as_str(),
    };
    let set_body = match b.media {
        MediaKind::Json if json_bytes::adapts(&service.types, &b.ty) => {
            quote!(http.json_body(#ct, &cloudspec_runtime::wire_json::base64_bytes::Json(body))?;)
        }
        MediaKind::Json => quote!(http.json_body(#ct, body)?;),
        MediaKind::Form => quote!(http.form_body(#ct, body)?;),
        MediaKind::Multipart => {
            let parts = multipart_parts(service, b);
            quote! {
                let mut form = cloudspec_runtime::request::Multipart::new();
                #parts
                http.multipart_body(#ct, &form)?;
            }
        }
        MediaKind::OctetStream => quote!(http.bytes_body(#ct, body.clone());),
        MediaKind::Text => quote!(http.bytes_body(#ct, body.clone().into_bytes());),
    };
    if b.required {
        quote! { let body = &request.body; #set_body }
    } else {
        quote! { if let Some(body) = &request.body { #set_body } }
    }
}

/// The statements decoding `response` into the method's success: the body, with the response's
/// status, headers and request id.
fn decode_response(service: &Service, op: &Operation) -> TokenStream {
    let body = match &op.success {
        // No body to bind (clippy's `let_unit_value`).
        Success::Single { ty: TypeRef::Unit, .. } | Success::Single { media: None, .. } => {
            return quote!(Ok(response.into_response(())));
        }
        Success::Single { ty: t, media, .. } => decode(service, *media, t),
        Success::ByStatus { enum_name, cases } => {
            let enum_ident = ident(enum_name);
            let arms = cases.iter().map(|c| {
                let v = ident(&c.variant);
                let pat = status_pattern(&c.status, cases);
                match &c.body {
                    Some((media, t)) if *t != TypeRef::Unit => {
                        let d = decode(service, Some(*media), t);
                        quote!(#pat => #enum_ident::#v(#d),)
                    }
                    _ => quote!(#pat => #enum_ident::#v,),
                }
            });
            quote! {
                match response.status() {
                    #(#arms)*
                    _ => return Err(response.unexpected_status()),
                }
            }
        }
    };
    quote! {
        let body = #body;
        Ok(response.into_response(body))
    }
}

/// The method's documentation: summary, description, the HTTP line, errors, an example.
fn method_docs(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = &op.summary {
        paragraphs.push(summary.clone());
    }
    let doc_block = docs(&op.doc, &format!("{}.", text::code(&op.id)), &[]);
    let http_line = format!(" {} ({})", text::code(&format!("{} {}", op.method, op.path)), text::code(&op.id));
    let errors_doc = match &op.error_type {
        Some(e) => format!(" [`Error::Validation`](cloudspec_runtime::Error::Validation) before anything is sent when the request breaks a documented constraint (unless validation is turned off, for the client or the call); [`Error::Config`](cloudspec_runtime::Error::Config) or [`Error::Credentials`](cloudspec_runtime::Error::Credentials) when no credentials or project id can be found; [`Error::Service`](cloudspec_runtime::Error::Service) for an error status (decode it with [`{e}::from_service_error`]); transport, timeout and undecodable-response errors otherwise."),
        None => " [`Error::Validation`](cloudspec_runtime::Error::Validation) before anything is sent when the request breaks a documented constraint (unless validation is turned off, for the client or the call); [`Error::Config`](cloudspec_runtime::Error::Config) or [`Error::Credentials`](cloudspec_runtime::Error::Credentials) when no credentials or project id can be found; [`Error::Service`](cloudspec_runtime::Error::Service) for an error status; transport, timeout and undecodable-response errors otherwise.".to_owned(),
    };
    let example = doc_example(service, op, crate_name);
    let summary_doc = paragraphs.first().map(|s| {
        let s = doc_lines(s);
        quote!(#s #[doc = ""])
    });
    quote! {
        #summary_doc
        #doc_block
        #[doc = ""]
        #[doc = #http_line]
        #[doc = ""]
        /// # Errors
        ///
        #[doc = #errors_doc]
        #[doc = ""]
        #example
    }
}

/// The statements adding a multipart body's parts to `form`: one part per property of the body
/// struct (binary ones as files, one per item for arrays of them), or one per key of an untyped
/// object.
fn multipart_parts(service: &Service, body: &RequestBody) -> TokenStream {
    let Some(fields) = body.ty.named().and_then(|name| find_struct(service, name)) else {
        // A form of files with no property to name the part (lowering warns): `file`, as upload
        // services name it.
        return match &body.ty {
            TypeRef::Bytes => quote!(form.file("file", "application/octet-stream", body);),
            TypeRef::Vec(item) if **item == TypeRef::Bytes => quote! {
                for file in body {
                    form.file("file", "application/octet-stream", file);
                }
            },
            _ => quote!(form.fields(body);),
        };
    };
    let mut parts: Vec<TokenStream> = fields
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire_name;
            let encoding = body.part_content_types.iter().find(|(name, _)| name == wire).map(|(_, ct)| ct.as_str());
            let content_type = encoding.unwrap_or("application/octet-stream");
            let add = |value: TokenStream| match (&f.ty, encoding) {
                (TypeRef::Bytes, _) => quote!(form.file(#wire, #content_type, #value);),
                (TypeRef::Vec(item), _) if **item == TypeRef::Bytes => quote! {
                    for file in #value {
                        form.file(#wire, #content_type, file);
                    }
                },
                (_, Some(encoding)) => quote!(form.value_as(#wire, #encoding, #value);),
                (_, None) => quote!(form.value(#wire, #value);),
            };
            if f.is_optional() {
                let add = add(quote!(value));
                quote!(if let Some(value) = &body.#fname { #add })
            } else {
                add(quote!(&body.#fname))
            }
        })
        .collect();
    if fields.additional.is_some() {
        parts.push(quote! {
            for (name, value) in &body.additional_properties {
                form.value(name, value);
            }
        });
    }
    quote!(#(#parts)*)
}
