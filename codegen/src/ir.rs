//! The intermediate model: what [`crate::lower`] produces and [`crate::emit`] reads.
//!
//! It knows Rust names and shapes but nothing of OpenAPI syntax, and nothing of tokens. Every
//! list is in a deterministic order (document order, or sorted where the document has none), so
//! the same spec always gives the same bytes.

mod contract;
mod path;
mod polling;
mod security;
mod type_ref;
pub use contract::{BodyCaveat, ContractCall, ContractValue};
pub use polling::{FieldStep, PageField, PageParam, PageStyle, Pagination, WaitEnd, Waiter};
pub use security::{SecurityKind, SecurityScheme};

/// One service: one spec file, one Rust module, one cargo feature.
#[derive(Debug, Clone)]
pub struct Service {
    /// The Rust module and cargo feature name (`cdm`).
    pub module: String,
    /// The spec file, for docs.
    pub file: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The endpoint template from `servers[0]` (`https://cdm.{region}.myhuaweicloud.com`).
    pub endpoint: Option<String>,
    /// The default of the template's `region` variable: the region the crate-level example uses.
    pub example_region: Option<String>,
    pub signing: SigningScheme,
    /// The standard security schemes (`components/securitySchemes`) the runtime can send.
    pub security_schemes: Vec<SecurityScheme>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub error_codes: Vec<ErrorCode>,
    /// The regions the service is offered in (`x-regions`), in document order.
    pub regions: Vec<RegionEndpoint>,
    /// Where the region list comes from (`x-regions/x-source`), rendered as one line.
    pub regions_source: Option<String>,
}

/// One region of `x-regions` and the service's endpoint there.
#[derive(Debug, Clone)]
pub struct RegionEndpoint {
    /// `cn-north-4`
    pub id: String,
    /// `https://cdm.cn-north-4.myhuaweicloud.com`
    pub endpoint: String,
}

/// How the runtime signs this service's requests (`x-signing`'s `scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningScheme {
    /// No `x-signing`: requests carry a token, or nothing.
    None,
    /// `huaweicloud-sdk-hmac-sha256`: Huawei Cloud AK/SK (SDK-HMAC-SHA256).
    HuaweiSdkHmacSha256,
    /// `aliyun-acs-hmac-sha1`: Alibaba Cloud ROA `acs` signature.
    AliyunAcsHmacSha1,
}

impl SigningScheme {
    /// Every scheme `x-signing` may name, with its spelling there.
    pub const NAMED: [(&'static str, SigningScheme); 2] = [
        ("huaweicloud-sdk-hmac-sha256", SigningScheme::HuaweiSdkHmacSha256),
        ("aliyun-acs-hmac-sha1", SigningScheme::AliyunAcsHmacSha1),
    ];
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Docs,
    pub kind: TypeKind,
}

/// `t` after following type aliases through `defs` (lowering rejects alias cycles; the walk is
/// bounded anyway).
pub fn resolve_alias<'a>(defs: &'a [TypeDef], t: &'a TypeRef) -> &'a TypeRef {
    let mut current = t;
    for _ in 0..32 {
        let TypeRef::Named(name) = current else { break };
        match defs.iter().find(|d| &d.name == name).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => current = target,
            _ => break,
        }
    }
    current
}

/// Documentation gathered from a schema or operation.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Where it came from (`x-source`), rendered as one line.
    pub source: Option<String>,
    /// The provider's own name for it (`x-source.name`, an identifier), which rustdoc's search
    /// finds as an alias where the spec names it differently (a corrected typo, say).
    pub alias: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// `pub type Name = <ty>;`
    Alias(TypeRef),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Extra keys beyond the named fields (`additionalProperties`), kept in a flattened map.
    pub additional: Option<TypeRef>,
    /// What each extra key must be (`x-property-names` beside `additionalProperties`). Boxed,
    /// as `additional_values` is, so a struct stays small beside the other kinds of type.
    pub additional_keys: Option<Box<Constraints>>,
    /// What each extra value must be (the constraints of the `additionalProperties` schema).
    pub additional_values: Option<Box<Constraints>>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
}

/// An `x-contradiction` record, as the field's docs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// The record's `note`, on one line (may be empty).
    pub note: String,
    /// The record's `package` (`huaweicloudsdkcdm 3.1.219`): the official SDK disagrees with the
    /// document, whose flag and type the spec keeps. `None`: the document contradicts itself.
    pub official_sdk: Option<String>,
}

impl Contradiction {
    /// Where the document contradicts itself, its examples may carry other forms than the
    /// schema's, so the field decodes tolerantly; the official SDK's disagreements show no such
    /// forms.
    pub fn decodes_tolerantly(&self) -> bool {
        self.official_sdk.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name (`net_id`, `type`: names are plain here, a keyword is made raw when emitted).
    pub name: String,
    /// The name on the wire (`net-id`).
    pub wire_name: String,
    pub doc: Docs,
    pub ty: TypeRef,
    pub required: bool,
    /// `nullable: true`: `null` is a value of its own.
    pub nullable: bool,
    /// The spec records a contradiction here (`x-contradiction`): the document against itself
    /// (decoded tolerantly where the type allows it) or the official SDK against the document.
    pub contradiction: Option<Contradiction>,
    /// Never print in `Debug` (`format: password` or `x-sensitive`).
    pub sensitive: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
    /// Listed in `required` but declared in no `properties`: any JSON value, which a response may
    /// lack (it decodes as `null`, and `null` is left out when encoding).
    pub undeclared: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`: not required, `null` allowed, or required in one
    /// direction only. One struct serves requests and responses, so a required `readOnly` field
    /// (absent from requests) or `writeOnly` one (absent from responses) cannot be plain.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }

    /// Whether `None` is left out when encoding (rather than sent as `null`): always, except for
    /// a required nullable field, whose `null` the service expects.
    pub fn skips_none(&self) -> bool {
        !self.required || self.read_only || self.write_only
    }
}

/// Constraints that a value of some type must meet, checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// The regular expression as written in the spec; checked to compile at generation time.
    pub pattern: Option<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// Constraints on each array item or map value (a tuple's: each item after its prefix).
    pub items: Option<Box<Constraints>>,
    /// Constraints on each of a tuple's prefix items, by position (`prefixItems`); empty when none has any.
    pub prefix_items: Vec<Constraints>,
    /// Constraints on each map key (`x-property-names`: length and pattern).
    pub keys: Option<Box<Constraints>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Adds `other`'s constraints: a value must meet both (`allOf`), so the stricter bound wins.
    pub fn intersect(&mut self, other: Constraints) {
        fn tighter<T: Copy>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(pick(a, b)),
                (a, b) => a.or(b),
            }
        }
        let stricter = |a: Option<Bound>, b: Option<Bound>, lower: bool| match (a, b) {
            (Some(a), Some(b)) => {
                let a_wins = if lower { a.value > b.value } else { a.value < b.value };
                Some(if a_wins || (a.value == b.value && a.exclusive) { a } else { b })
            }
            (a, b) => a.or(b),
        };
        self.min_length = tighter(self.min_length, other.min_length, u64::max);
        self.max_length = tighter(self.max_length, other.max_length, u64::min);
        // Two patterns cannot be one; the first stated is kept.
        self.pattern = self.pattern.take().or(other.pattern);
        self.minimum = stricter(self.minimum.take(), other.minimum, true);
        self.maximum = stricter(self.maximum.take(), other.maximum, false);
        self.min_items = tighter(self.min_items, other.min_items, u64::max);
        self.max_items = tighter(self.max_items, other.max_items, u64::min);
        self.unique_items |= other.unique_items;
        self.min_properties = tighter(self.min_properties, other.min_properties, u64::max);
        self.max_properties = tighter(self.max_properties, other.max_properties, u64::min);
        self.items = self.items.take().or(other.items);
        if self.prefix_items.is_empty() {
            self.prefix_items = other.prefix_items;
        }
        self.keys = self.keys.take().or(other.keys);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// The name of the catch-all variant holding values this SDK does not know.
    pub unknown_variant: String,
    pub default: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub name: String,
    /// The wire value: a string, or an integer's decimal text.
    pub value: String,
    /// What the value means (`x-enum-descriptions`).
    pub doc: Option<String>,
}

/// `oneOf`/`anyOf`: one Rust enum, one variant per alternative.
#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when the schema names one: then the enum is internally tagged.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant (first one used when serialising).
    pub tags: Vec<String>,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    /// Raw bytes (`format: binary` bodies).
    Bytes,
    /// Any JSON (free-form objects, schemas without a type).
    Json,
    /// `()`: no content.
    Unit,
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Boxed to break a cycle of by-value containment.
    Boxed(Box<TypeRef>),
    /// Present-but-null allowed.
    Nullable(Box<TypeRef>),
    /// A JSON array typed item by item (`prefixItems`): a Rust tuple of `prefix` when nothing may
    /// follow it, else the runtime's `OpenTuple` of the prefix and a `Vec` of `rest`.
    Tuple {
        prefix: Vec<TypeRef>,
        rest: Option<Box<TypeRef>>,
    },
}

/// An operation's HTTP method: the eight a path item may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item is read, with its key there (`get`).
    pub const ALL: [(&'static str, HttpMethod); 8] = [
        ("get", HttpMethod::Get),
        ("put", HttpMethod::Put),
        ("post", HttpMethod::Post),
        ("delete", HttpMethod::Delete),
        ("options", HttpMethod::Options),
        ("head", HttpMethod::Head),
        ("patch", HttpMethod::Patch),
        ("trace", HttpMethod::Trace),
    ];

    /// The method as sent on the wire (`GET`), which is also its `http::Method` constant's name.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operation: one client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId` (or one made from method and path).
    pub id: String,
    /// The Rust method name (`create_cluster`).
    pub fn_name: String,
    /// The request struct's name (`CreateClusterRequest`).
    pub request_type: String,
    pub method: HttpMethod,
    /// The path template as in the spec (`/v1.1/{project_id}/clusters`).
    pub path: String,
    /// The same template split into literal text and `{name}` parameters.
    pub path_parts: Vec<PathPart>,
    pub doc: Docs,
    pub summary: Option<String>,
    /// The operation's `tags`, as the document writes them (in its order, repeats dropped).
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub success: Success,
    pub errors: Vec<ResponseCase>,
    /// The name of the typed error-body enum, when any error status has a body.
    pub error_type: Option<String>,
    /// The `Accept` header it sends: the media types of its success responses' bodies.
    pub accept: Option<String>,
    pub examples: Vec<Example>,
    /// `x-pagination`: how to walk its pages, when it is paginated.
    pub pagination: Option<Pagination>,
    /// `x-waiters`: the states callers can wait for by polling it, in document order.
    pub waiters: Vec<Waiter>,
    /// The operation's `security` (else the document's): alternatives, each the names of the
    /// schemes sent together. `None` when the document states none; `Some(vec![])` is
    /// `security: []`, no credentials.
    pub security: Option<Vec<Vec<String>>>,
    /// What its contract test sends (`Options::contract_tests`; `None` otherwise).
    pub contract: Option<ContractCall>,
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// A `{name}`: the wire name of a path parameter.
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// The location as a parameter's `in` names it (`query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Docs,
    /// `x-config-param`: the client configuration can supply it (`project_id`).
    pub from_config: Option<String>,
    /// `x-idempotency-token`: generated when absent; makes the request retry-safe.
    pub idempotency_token: bool,
    /// Arrays: repeated keys (`explode`) or one value joined by the style's delimiter.
    pub explode: bool,
    pub style: ParamStyle,
    /// The value is an object (a struct or map): its properties are what the style lays out.
    pub object: bool,
    /// A value for the documentation example: the spec's `example`, else the schema's example,
    /// default or first enum value.
    pub example: Option<serde_json::Value>,
    pub constraints: Constraints,
}

/// How a query parameter's value is written (OpenAPI `style`); other locations use `Form`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a=1&a=2` (exploded) or `a=1,2`; an exploded object is one parameter per property.
    Form,
    /// `a=1%202`: items joined by spaces.
    SpaceDelimited,
    /// `a=1|2`: items joined by pipes.
    PipeDelimited,
    /// `a[key]=value` for each property of an object.
    DeepObject,
}

impl ParamStyle {
    /// What joins an unexploded array's items.
    pub fn delimiter(self) -> &'static str {
        match self {
            ParamStyle::SpaceDelimited => " ",
            ParamStyle::PipeDelimited => "|",
            ParamStyle::Form | ParamStyle::DeepObject => ",",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    OctetStream,
    Text,
    Form,
    Multipart,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content_type: String,
    pub media: MediaKind,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// Constraints on the body as a whole (a list's `maxItems`, a text's `maxLength`).
    pub constraints: Constraints,
    /// Multipart only: the content type the spec's `encoding` gives a part, by wire name.
    pub part_content_types: Vec<(String, String)>,
}

/// How the success responses decode.
#[derive(Debug, Clone)]
pub enum Success {
    /// Every success status carries the same type (or none): the method returns it directly.
    Single { ty: TypeRef, media: Option<MediaKind>, statuses: Vec<StatusKey> },
    /// Success statuses carry different types: the method returns an enum keyed by status.
    ByStatus { enum_name: String, cases: Vec<ResponseCase> },
}

#[derive(Debug, Clone)]
pub struct ResponseCase {
    pub status: StatusKey,
    pub variant: String,
    pub description: String,
    /// `None` for an empty body.
    pub body: Option<(MediaKind, TypeRef)>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    Code(u16),
    /// `2XX`: the first digit.
    Range(u16),
    Default,
}

impl StatusKey {
    pub fn is_success(&self) -> bool {
        match self {
            StatusKey::Code(c) => (200..300).contains(c),
            StatusKey::Range(r) => *r == 2,
            StatusKey::Default => false,
        }
    }
}

impl std::fmt::Display for StatusKey {
    /// As the spec writes it: `202`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusKey::Code(c) => write!(f, "{c}"),
            StatusKey::Range(r) => write!(f, "{r}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

/// Where an example sits: on the request body, or on the response of one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleContext {
    Request,
    Response(StatusKey),
}

impl std::fmt::Display for ExampleContext {
    /// `request`, or the status (`202`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExampleContext::Request => f.write_str("request"),
            ExampleContext::Response(status) => status.fmt(f),
        }
    }
}

/// An example from the spec, turned into a test.
#[derive(Debug, Clone)]
pub struct Example {
    pub context: ExampleContext,
    pub name: String,
    pub ty: TypeRef,
    pub value: serde_json::Value,
    /// Where the example contradicts the schema (`x-contradiction`): RFC 6901 pointers into `value`.
    pub contradictions: Vec<String>,
    /// The document's verbatim example (`x-document-example`), kept beside a valid one.
    pub document: bool,
}

/// One published error code (`x-error-codes`).
#[derive(Debug, Clone)]
pub struct ErrorCode {
    pub code: String,
    pub status: Option<u16>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub remedy: Option<String>,
}
