//! Security schemes -> one `const` per scheme an operation uses (in `client.rs`), and each
//! method's `.security(..)` call: the alternatives of its requirement, for the runtime to pick
//! from by the credentials configured (`cloudspec_runtime::security`).

use crate::ir::{Operation, ParamLocation, SecurityKind, Service};
use crate::naming::{snake, Namespace};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The schemes some operation names, with the name of each one's `const`.
fn used_schemes(service: &Service) -> Vec<(&crate::ir::SecurityScheme, Ident)> {
    let used =
        |name: &str| service.operations.iter().any(|op| op.security.iter().flatten().flatten().any(|n| n == name));
    let mut names = Namespace::new();
    service
        .security_schemes
        .iter()
        .filter(|s| used(&s.name))
        .map(|s| (s, format_ident!("{}", names.claim(&format!("SCHEME_{}", snake(&s.name).to_uppercase())))))
        .collect()
}

/// The `const` items describing each used scheme to the runtime.
pub fn scheme_consts(service: &Service) -> TokenStream {
    let items = used_schemes(service).into_iter().map(|(scheme, ident)| {
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
        quote! {
            #[doc = #doc]
            const #ident: cloudspec_runtime::SecurityScheme = cloudspec_runtime::SecurityScheme { name: #name, kind: #kind };
        }
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
