//! Security schemes -> one `const` per scheme an operation uses (in `client.rs`), and each
//! method's `.security(..)` call: the alternatives of its requirement, for the runtime to pick
//! from by the credentials configured (`cloudspec_runtime::security`).

use super::features::{gate_items, ServiceGates};
use crate::ir::{Operation, ParamLocation, SecurityKind, Service};
use crate::naming::{snake, Namespace};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The schemes some operation names, with the name of each one's `const`.
fn used_schemes(service: &Service) -> Vec<(&crate::ir::SecurityScheme, Ident)> {
    let used = |name: &str| service.operations.iter().any(|op| uses(op, name));
    let mut names = Namespace::new();
    service
        .security_schemes
        .iter()
        .filter(|s| used(&s.name))
        .map(|s| (s, format_ident!("{}", names.claim(&format!("SCHEME_{}", snake(&s.name).to_uppercase())))))
        .collect()
}

/// Whether `op`'s requirement names the scheme `name`.
fn uses(op: &Operation, name: &str) -> bool {
    op.security.iter().flatten().flatten().any(|n| n == name)
}

/// The `const` items describing each used scheme to the runtime.
pub fn scheme_consts(service: &Service, gates: &ServiceGates) -> TokenStream {
    let items = used_schemes(service).into_iter().map(|(scheme, ident)| {
        // With per-tag features, a scheme is there when an operation that uses it is.
        let users = service.operations.iter().filter(|op| uses(op, &scheme.name));
        let gate = gates.any_of(users);
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SecurityKind::Bearer => quote!(cloudspec_runtime::security::SchemeKind::Bearer),
            SecurityKind::Basic => quote!(cloudspec_runtime::security::SchemeKind::Basic),
            SecurityKind::ApiKey { location, name } => {
                let location = match location {
                    ParamLocation::Query => quote!(Query),
                    ParamLocation::Cookie => quote!(Cookie),
                    ParamLocation::Header | ParamLocation::Path => quote!(Header),
                };
                quote!(cloudspec_runtime::security::SchemeKind::ApiKey {
                    location: cloudspec_runtime::security::ApiKeyLocation::#location,
                    name: #name,
                })
            }
        };
        let doc = format!(" Security scheme `{name}`: configure its credential by this name.");
        let item = quote! {
            #[doc = #doc]
            const #ident: cloudspec_runtime::SecurityScheme = cloudspec_runtime::SecurityScheme::new(#name, #kind);
        };
        gate_items(item, gate.as_ref())
    });
    quote!(#(#items)*)
}

/// `.security(&[..])` for an operation with a requirement, nothing for one without.
pub fn security_call(service: &Service, op: &Operation) -> Option<TokenStream> {
    let alternatives = op.security.as_ref()?;
    let schemes = used_schemes(service);
    let alternatives = alternatives.iter().map(|names| {
        let idents = names.iter().filter_map(|n| schemes.iter().find(|(s, _)| &s.name == n).map(|(_, i)| i));
        quote!(&[#(#idents),*])
    });
    Some(quote!(.security(&[#(#alternatives),*])))
}
