//! Operations -> the client: one request struct and one async method per operation, plus the
//! response enum (success statuses with different types) and error enum (error statuses with
//! bodies) where an operation needs them.

use super::rust::{contains_named, deprecated_with_note, docs, ident, raw_doc_lines, ty};
use super::validate::Checks;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The items of `operations.rs`: request structs and per-operation response/error enums.
pub fn operation_types(service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    let checks = Checks::new(service);
    for op in &service.operations {
        out.extend(request_struct(op, &checks));
        if let Success::ByStatus { enum_name, cases } = &op.success {
            out.extend(status_enum(op, enum_name, cases, true));
        }
        if let Some(error_type) = &op.error_type {
            out.extend(status_enum(op, error_type, &op.errors, false));
        }
    }
    out
}

/// The Rust type a parameter has in its request struct.
fn param_type(p: &Param) -> TokenStream {
    let inner = ty(&p.ty);
    if is_optional(p) {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// Optional in the request struct: not required, or supplied by the client when absent.
fn is_optional(p: &Param) -> bool {
    !p.required || p.from_config.is_some() || p.idempotency_token
}

fn param_docs(p: &Param) -> TokenStream {
    let location = match p.location {
        ParamLocation::Path => "Path",
        ParamLocation::Query => "Query",
        ParamLocation::Header => "Header",
        ParamLocation::Cookie => "Cookie",
    };
    let mut extra = vec![format!("{location} parameter `{}`.", p.wire_name)];
    if let Some(constraints) = super::rust::describe_constraints(&p.constraints) {
        extra.push(constraints);
    }
    if let Some(config) = &p.from_config {
        extra.push(format!("When `None`, the client's configured `{config}` is used."));
    }
    if p.idempotency_token {
        extra.push("An idempotency token: when `None`, the client generates one per call and reuses it on every retry, which makes the call safe to retry.".to_owned());
    }
    docs(&p.doc, &format!("`{}`.", p.wire_name), &extra)
}

fn request_struct(op: &Operation, checks: &Checks) -> TokenStream {
    let name = ident(&op.request_type);
    let doc = format!(
        " Input of [`Client::{}`](super::Client::{}): `{} {}`.",
        op.fn_name.trim_start_matches("r#"),
        op.fn_name.trim_start_matches("r#"),
        op.method,
        op.path
    );
    let fields = op.params.iter().map(|p| {
        let fname = ident(&p.name);
        let fdoc = param_docs(p);
        let fty = param_type(p);
        let dep = deprecated_with_note(&p.doc, &format!("the parameter `{}`", p.wire_name));
        quote! { #fdoc #dep pub #fname: #fty, }
    });
    let body_field = op.body.as_ref().map(|b| {
        let bty = ty(&b.ty);
        let bty = if b.required { bty } else { quote!(Option<#bty>) };
        let bdoc = match &b.doc {
            Some(provider_text) => super::rust::doc_lines(provider_text),
            None => raw_doc_lines(&format!("The request body (`{}`).", b.content_type)),
        };
        quote! { #bdoc pub body: #bty, }
    });

    // `new` takes what is required; everything optional has a `with_` setter.
    let required: Vec<&Param> = op.params.iter().filter(|p| !is_optional(p)).collect();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    for p in &required {
        let fname = ident(&p.name);
        let fty = ty(&p.ty);
        new_args.push(quote!(#fname: impl Into<#fty>));
        new_inits.push(quote!(#fname: #fname.into()));
    }
    for p in op.params.iter().filter(|p| is_optional(p)) {
        let fname = ident(&p.name);
        new_inits.push(quote!(#fname: None));
    }
    if let Some(b) = &op.body {
        let bty = ty(&b.ty);
        if b.required {
            new_args.push(quote!(body: #bty));
            new_inits.push(quote!(body));
        } else {
            new_inits.push(quote!(body: None));
        }
    }
    let setters = op.params.iter().filter(|p| is_optional(p)).map(|p| {
        let fname = ident(&p.name);
        let setter = ident(&format!("with_{}", p.name.trim_start_matches("r#")));
        let fty = ty(&p.ty);
        let sdoc = format!(" Sets [`{}`](Self::{}).", p.name.trim_start_matches("r#"), p.name.trim_start_matches("r#"));
        let dep = deprecated_with_note(&p.doc, &format!("the parameter `{}`", p.wire_name));
        quote! {
            #[doc = #sdoc]
            #dep
            pub fn #setter(mut self, value: impl Into<#fty>) -> Self {
                self.#fname = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let bty = ty(&b.ty);
        quote! {
            /// Sets the request body.
            pub fn with_body(mut self, body: #bty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let new_doc = if new_args.is_empty() {
        " A request with every optional part unset."
    } else {
        " A request with the required parts; optional parts are unset."
    };
    let validate = request_validate(op, checks);
    let dep = deprecated_with_note(&op.doc, &format!("the operation `{}`", op.id));
    // One argument per required parameter is the spec's shape, however many it has (clippy's
    // limit is seven).
    let many_arguments = (new_args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #[doc = #doc]
        #dep
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #body_field
        }

        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #many_arguments
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits),* }
            }
            #(#setters)*
            #body_setter
        }

        #validate
    }
}

fn request_validate(op: &Operation, checks: &Checks) -> TokenStream {
    let name = ident(&op.request_type);
    let mut body = Vec::new();
    for p in &op.params {
        let fname = ident(&p.name);
        let wire = &p.wire_name;
        let checks = checks.value_checks(&p.ty, &p.constraints, &quote!(value), &quote!(path));
        let nested =
            contains_named(&p.ty).then(|| quote!(cloudspec_runtime::Validate::validate_into(value, &path, report);));
        if checks.is_empty() && nested.is_none() {
            continue;
        }
        let inner = quote! { let path = root.field(#wire); #checks #nested };
        if is_optional(p) {
            body.push(quote! { if let Some(value) = &self.#fname { #inner } });
        } else {
            body.push(quote! { { let value = &self.#fname; #inner } });
        }
    }
    if let Some(b) = &op.body {
        // The body's own constraints (a list's length, a text's) at the root; its contents below.
        let own = checks.value_checks(&b.ty, &b.constraints, &quote!(value), &quote!(path));
        if !own.is_empty() {
            let own = quote! { let path = root.clone(); #own };
            body.push(if b.required {
                quote! { { let value = &self.body; #own } }
            } else {
                quote! { if let Some(value) = &self.body { #own } }
            });
        }
        if contains_named(&b.ty) {
            body.push(quote!(cloudspec_runtime::Validate::validate_into(&self.body, root, report);));
        }
    }
    let (root_arg, report_arg) =
        if body.is_empty() { (quote!(_root), quote!(_report)) } else { (quote!(root), quote!(report)) };
    quote! {
        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, #root_arg: &cloudspec_runtime::validation::FieldPath, #report_arg: &mut cloudspec_runtime::validation::Report) {
                #(#body)*
            }
        }
    }
}

fn status_label(status: &StatusKey) -> String {
    match status {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}XX"),
        StatusKey::Default => "default".to_owned(),
    }
}

/// An enum keyed by status: the success enum (`success`) or the error-body enum.
fn status_enum(op: &Operation, name: &str, cases: &[ResponseCase], success: bool) -> TokenStream {
    let name_ident = ident(name);
    let doc = if success {
        format!(
            " The responses of [`Client::{0}`](super::Client::{0}), by status.",
            op.fn_name.trim_start_matches("r#")
        )
    } else {
        format!(" The documented error responses of [`Client::{0}`](super::Client::{0}), by status. Get one from a service error with [`{1}::from_service_error`].", op.fn_name.trim_start_matches("r#"), name)
    };
    let variants = cases.iter().map(|c| {
        let v = ident(&c.variant);
        let vdoc = format!(
            " `{}`: {}",
            status_label(&c.status),
            super::rust::escape_markdown(c.description.lines().next().unwrap_or_default())
        );
        match &c.body {
            Some((_, t)) if *t != TypeRef::Unit => {
                let t = ty(t);
                quote!(#[doc = #vdoc] #v(#t),)
            }
            _ => quote!(#[doc = #vdoc] #v,),
        }
    });
    let has_default = cases.iter().any(|c| c.status == StatusKey::Default);
    let unknown_variant = (!success && !has_default).then(|| {
        quote! {
            /// A status the spec does not document.
            Undocumented,
        }
    });
    let from = (!success).then(|| {
        let arms = cases.iter().filter(|c| c.status != StatusKey::Default).map(|c| {
            let v = ident(&c.variant);
            let pat = status_pattern(&c.status, cases);
            match &c.body {
                Some((MediaKind::Json, t)) if *t != TypeRef::Unit => quote!(#pat => error.decode_body().map(Self::#v),),
                Some((MediaKind::Text, TypeRef::String)) => quote!(#pat => Some(Self::#v(error.body.clone())),),
                Some((_, TypeRef::Bytes)) => quote!(#pat => Some(Self::#v(error.body.clone().into_bytes())),),
                Some((_, t)) if *t != TypeRef::Unit => quote!(#pat => error.decode_body().map(Self::#v),),
                _ => quote!(#pat => Some(Self::#v),),
            }
        });
        let default_expr = match cases.iter().find(|c| c.status == StatusKey::Default) {
            Some(c) => {
                let v = ident(&c.variant);
                match &c.body {
                    Some((_, t)) if *t != TypeRef::Unit => quote!(error.decode_body().map(Self::#v)),
                    _ => quote!(Some(Self::#v)),
                }
            }
            None => quote!(Some(Self::Undocumented)),
        };
        let arms: Vec<TokenStream> = arms.collect();
        let body = if arms.is_empty() {
            // Only a `default` response: there is no status to tell apart.
            default_expr
        } else {
            quote! {
                match error.status {
                    #(#arms)*
                    _ => #default_expr,
                }
            }
        };
        quote! {
            impl #name_ident {
                /// The documented error this service error is, decoded from its body; `None` when
                /// the body does not have the documented shape.
                pub fn from_service_error(error: &cloudspec_runtime::ServiceError) -> Option<Self> {
                    #body
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name_ident {
            #(#variants)*
            #unknown_variant
        }
        #from
    }
}

/// The match pattern of a status. A range leaves out the codes `cases` list on their own, so the
/// explicit code wins wherever it is written and no two arms overlap.
fn status_pattern(status: &StatusKey, cases: &[ResponseCase]) -> TokenStream {
    match status {
        StatusKey::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusKey::Range(r) => {
            let (lo, hi) = (r * 100, r * 100 + 99);
            let mut explicit: Vec<u16> = cases
                .iter()
                .filter_map(|c| match c.status {
                    StatusKey::Code(code) if (lo..=hi).contains(&code) => Some(code),
                    _ => None,
                })
                .collect();
            explicit.sort_unstable();
            let mut pieces = Vec::new();
            let mut start = lo;
            for code in explicit.into_iter().chain(std::iter::once(hi + 1)) {
                if code > start {
                    pieces.push(match code - 1 - start {
                        0 => {
                            let only = proc_macro2::Literal::u16_unsuffixed(start);
                            quote!(#only)
                        }
                        _ => {
                            let (from, to) = (
                                proc_macro2::Literal::u16_unsuffixed(start),
                                proc_macro2::Literal::u16_unsuffixed(code - 1),
                            );
                            quote!(#from..=#to)
                        }
                    });
                }
                start = start.max(code + 1);
            }
            if pieces.is_empty() {
                // Every code of the range has an arm of its own: this one is never reached.
                let (lo, hi) = (proc_macro2::Literal::u16_unsuffixed(lo), proc_macro2::Literal::u16_unsuffixed(hi));
                return quote!(#lo..=#hi);
            }
            quote!(#(#pieces)|*)
        }
        StatusKey::Default => quote!(_),
    }
}

/// `client.rs`: the client struct and its methods.
pub fn client(service: &Service, crate_name: &str) -> TokenStream {
    let methods = service.operations.iter().map(|op| method(service, op, crate_name));
    let title = format!(" Client for {}.", service.title);
    // A service without operations has no request types to import.
    let operations = (!service.operations.is_empty()).then(|| {
        quote!(
            use super::operations::*;
        )
    });
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

            #(#methods)*
        }
    }
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

fn decode(media: Option<MediaKind>, t: &TypeRef) -> TokenStream {
    match (media, t) {
        (_, TypeRef::Unit) | (None, _) => quote!(response.empty()),
        (_, TypeRef::Bytes) => quote!(Ok(response.into_bytes())),
        (Some(MediaKind::Text), TypeRef::String) => quote!(response.text()),
        _ => quote!(response.json()),
    }
}

fn method(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let fname = ident(&op.fn_name);
    let req_ty = ident(&op.request_type);
    let out_ty = success_type(op);
    let op_id = &op.id;
    let method_ident = ident(&op.method);
    let (prepare, path_expr) = path_expression(op);
    // The configuration-supplied values the path was built with go on the request too: the
    // runtime signs for them (a project id is also sent as `X-Project-Id`).
    let mut sets: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .filter_map(|p| {
            let config = p.from_config.as_ref()?;
            let local = path_local(p);
            Some(quote!(http.record_config_param(#config, &#local);))
        })
        .collect();
    sets.extend(op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| param_statement(service, p)));
    sets.extend(op.body.as_ref().map(|b| body_statement(service, b)));
    let decode_response = decode_response(op);
    let docs = method_docs(service, op, crate_name);
    let dep = deprecated_with_note(&op.doc, &format!("the operation `{}`", op.id));
    let mutability = (!sets.is_empty()).then(|| quote!(mut));
    quote! {
        #docs
        #dep
        pub async fn #fname(&self, request: &#req_ty) -> Result<#out_ty, cloudspec_runtime::Error> {
            cloudspec_runtime::Validate::validate(request)?;
            #(#prepare)*
            let #mutability http = cloudspec_runtime::request::OperationRequest::new(#op_id, cloudspec_runtime::request::Method::#method_ident, #path_expr);
            #(#sets)*
            let response = self.runtime.send(http).await?;
            #decode_response
        }
    }
}

/// The statements computing each path parameter's text, and the path expression using them.
fn path_expression(op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    // Each `{name}` replaced by its percent-encoded value.
    let mut path_fmt = String::new();
    let mut path_args = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => path_fmt.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(name) => {
                match op.params.iter().find(|p| p.location == ParamLocation::Path && &p.wire_name == name) {
                    Some(p) => {
                        let local = path_local(p);
                        path_fmt.push_str("{}");
                        path_args.push(quote!(cloudspec_runtime::request::encode_path_segment(&#local)));
                    }
                    // Lowering reports a template name without its parameter; keep the text as written.
                    None => path_fmt.push_str(&format!("{{{{{name}}}}}")),
                }
            }
        }
    }

    let mut prepare = Vec::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        let pname = ident(&p.name);
        let local = path_local(p);
        let text = if let Some(config) = &p.from_config {
            let getter = quote!(self.runtime.config_param(#config, request.#pname.as_ref().map(cloudspec_runtime::request::param_text).as_deref()));
            quote!(#getter?)
        } else {
            quote!(cloudspec_runtime::request::param_text(&request.#pname))
        };
        prepare.push(quote!(let #local = #text;));
    }
    let path_expr =
        if path_args.is_empty() { quote!(#path_fmt.to_owned()) } else { quote!(format!(#path_fmt, #(#path_args),*)) };
    (prepare, path_expr)
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
        return quote! {
            let #pname = self.runtime.config_param(#config, request.#pname.as_ref().map(cloudspec_runtime::request::param_text).as_deref())?;
            http.record_config_param(#config, &#pname);
            http.#adder(#wire, #pname);
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
        match resolve_alias(service, &p.ty) {
            _ if p.style == ParamStyle::DeepObject => {
                let key_format = format!("{}[{{key}}]", wire.replace('{', "{{").replace('}', "}}"));
                each_property(quote!(&format!(#key_format)))
            }
            _ if p.object && p.explode && p.location == ParamLocation::Query => each_property(quote!(key)),
            TypeRef::Vec(_) if p.explode => quote! {
                for item in #value {
                    http.#adder(#wire, cloudspec_runtime::request::param_text(item));
                }
            },
            TypeRef::Vec(_) => {
                let delimiter = p.style.delimiter();
                quote! {
                    http.#adder(#wire, #value.iter().map(cloudspec_runtime::request::param_text).collect::<Vec<_>>().join(#delimiter));
                }
            }
            _ => quote!(http.#adder(#wire, cloudspec_runtime::request::param_text(#value));),
        }
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
    let ct = &b.content_type;
    let set_body = match b.media {
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

/// The expression turning `response` into the method's result.
fn decode_response(op: &Operation) -> TokenStream {
    match &op.success {
        Success::Single { ty: t, media, .. } => decode(*media, t),
        Success::ByStatus { enum_name, cases } => {
            let enum_ident = ident(enum_name);
            let arms = cases.iter().map(|c| {
                let v = ident(&c.variant);
                let pat = status_pattern(&c.status, cases);
                match &c.body {
                    Some((_, TypeRef::Bytes)) => quote!(#pat => Ok(#enum_ident::#v(response.into_bytes())),),
                    Some((media, t)) if *t != TypeRef::Unit => {
                        let d = decode(Some(*media), t);
                        quote!(#pat => Ok(#enum_ident::#v(#d?)),)
                    }
                    _ => quote!(#pat => Ok(#enum_ident::#v),),
                }
            });
            quote! {
                match response.status() {
                    #(#arms)*
                    _ => Err(response.unexpected_status()),
                }
            }
        }
    }
}

/// The method's documentation: summary, description, the HTTP line, errors, an example.
fn method_docs(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = &op.summary {
        paragraphs.push(summary.clone());
    }
    let doc_block = docs(&op.doc, &format!("`{}`.", op.id), &[]);
    let http_line = format!(" `{} {}` (`{}`)", op.method, op.path, op.id);
    let errors_doc = match &op.error_type {
        Some(e) => format!(" [`Error::Validation`](cloudspec_runtime::Error::Validation) before anything is sent when the request breaks a documented constraint; [`Error::Service`](cloudspec_runtime::Error::Service) for an error status (decode it with [`{e}::from_service_error`]); transport, timeout and undecodable-response errors otherwise."),
        None => " [`Error::Validation`](cloudspec_runtime::Error::Validation) before anything is sent when the request breaks a documented constraint; [`Error::Service`](cloudspec_runtime::Error::Service) for an error status; transport, timeout and undecodable-response errors otherwise.".to_owned(),
    };
    let example = raw_doc_lines(&doc_example(service, op, crate_name));
    let summary_doc = paragraphs.first().map(|s| {
        let s = super::rust::doc_lines(s);
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
    let fields =
        body.ty.named().and_then(|name| service.types.iter().find(|t| t.name == name)).and_then(|t| match &t.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        });
    let Some(fields) = fields else { return quote!(form.fields(body);) };
    let mut parts: Vec<TokenStream> = fields
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire_name;
            let content_type = body
                .part_content_types
                .iter()
                .find(|(name, _)| name == wire)
                .map_or("application/octet-stream", |(_, ct)| ct.as_str());
            let add = |value: TokenStream| match &f.ty {
                TypeRef::Bytes => quote!(form.file(#wire, #content_type, #value);),
                TypeRef::Vec(item) if **item == TypeRef::Bytes => quote! {
                    for file in #value {
                        form.file(#wire, #content_type, file);
                    }
                },
                _ => quote!(form.value(#wire, #value);),
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

/// The local variable holding a path parameter's text (prefixed, so no parameter name can
/// shadow the method's own locals).
fn path_local(p: &Param) -> proc_macro2::Ident {
    ident(&format!("path_{}", p.name.trim_start_matches("r#")))
}

/// A compiled (not run) rustdoc example for an operation.
fn doc_example(service: &Service, op: &Operation, crate_name: &str) -> String {
    let crate_name = crate_name.replace('-', "_");
    let module = &service.module;
    let types = format!("{crate_name}::{module}");
    let mut args: Vec<String> = Vec::new();
    for p in op.params.iter().filter(|p| !is_optional(p)) {
        args.push(example_value(service, &types, &p.ty, p.example.as_ref(), &p.wire_name));
    }
    let mut setup = String::new();
    if let Some(b) = &op.body {
        if b.required {
            // A request example from the spec, preferring one that agrees with its schema.
            let requests = || op.examples.iter().filter(|e| e.context == "request");
            let body_example = requests().find(|e| e.contradictions.is_empty()).or_else(|| requests().next());
            match (body_example, &b.ty) {
                (Some(e), _) => {
                    let json = serde_json::to_string_pretty(&e.value).unwrap_or_default();
                    setup.push_str(&format!("// The request example from the spec.\nlet body = serde_json::from_value(serde_json::json!({json}))?;\n"));
                }
                (None, TypeRef::Bytes) => setup.push_str("let body = b\"...\".to_vec();\n"),
                (None, TypeRef::String) => setup.push_str("let body = String::from(\"...\");\n"),
                (None, _) => setup
                    .push_str("let body = serde_json::from_value(serde_json::json!({ /* the request body */ }))?;\n"),
            }
            args.push("body".to_owned());
        }
    }
    format!(
        "# Example\n\n```no_run\n# async fn example(client: &{types}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{setup}let request = {types}::{req}::new({args});\nlet response = client.{fname}(&request).await?;\n# let _ = response;\n# Ok(())\n# }}\n```",
        req = op.request_type,
        fname = op.fn_name,
        args = args.join(", "),
    )
}

/// A value of a parameter's type for the rustdoc example, passed where `impl Into<T>` is taken:
/// the spec's example when it has one, else a placeholder of the right type.
fn example_value(
    service: &Service,
    types: &str,
    t: &TypeRef,
    example: Option<&serde_json::Value>,
    wire: &str,
) -> String {
    let text = || match example {
        Some(serde_json::Value::String(s)) => format!("{s:?}"),
        _ => format!("{wire:?}"),
    };
    match resolve_alias(service, t) {
        TypeRef::String => text(),
        // An example that does not fit the Rust type would not compile: the placeholder instead.
        TypeRef::I32 => {
            example.and_then(serde_json::Value::as_i64).filter(|v| i32::try_from(*v).is_ok()).unwrap_or(1).to_string()
        }
        TypeRef::I64 => example.and_then(serde_json::Value::as_i64).unwrap_or(1).to_string(),
        TypeRef::F32 => format!(
            "{:?}",
            example.and_then(serde_json::Value::as_f64).filter(|v| v.abs() <= f64::from(f32::MAX)).unwrap_or(1.0)
        ),
        TypeRef::F64 => format!("{:?}", example.and_then(serde_json::Value::as_f64).unwrap_or(1.0)),
        TypeRef::Bool => example.and_then(serde_json::Value::as_bool).unwrap_or(true).to_string(),
        TypeRef::Named(name) => match service.types.iter().find(|d| &d.name == name).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => text(),
            Some(TypeKind::Enum(_)) => format!("{}_i64", example.and_then(serde_json::Value::as_i64).unwrap_or(1)),
            // A struct or union: decoded from its example (compiled, not run).
            _ => format!(
                "serde_json::from_value::<{types}::{name}>(serde_json::json!({}))?",
                example.map_or("{}".to_owned(), |e| e.to_string())
            ),
        },
        TypeRef::Vec(_) | TypeRef::Map(_) if example.is_some() => {
            format!(
                "serde_json::from_value::<{}>(serde_json::json!({}))?",
                type_path(t, types),
                example.map(|e| e.to_string()).unwrap_or_default()
            )
        }
        TypeRef::Vec(_) => "Vec::new()".to_owned(),
        TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
        TypeRef::Json => format!("serde_json::json!({})", example.map_or("null".to_owned(), |e| e.to_string())),
        _ => "Default::default()".to_owned(),
    }
}

/// `t` after following type aliases (lowering rejects alias cycles; the walk is bounded anyway).
fn resolve_alias<'a>(service: &'a Service, t: &'a TypeRef) -> &'a TypeRef {
    let mut current = t;
    for _ in 0..32 {
        let TypeRef::Named(name) = current else { break };
        match service.types.iter().find(|d| &d.name == name).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => current = target,
            _ => break,
        }
    }
    current
}

/// The Rust type `t` as text, named types qualified with `types` (the service module's path).
fn type_path(t: &TypeRef, types: &str) -> String {
    match t {
        TypeRef::Named(name) => format!("{types}::{name}"),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_path(inner, types)),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", type_path(inner, types)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_path(inner, types)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_path(inner, types)),
        other => ty(other).to_string().replace(' ', ""),
    }
}
