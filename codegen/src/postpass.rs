//! Fixes on progenitor's output that no change to the spec can express.
//!
//! * **Open enums.** typify's enums are closed: one new status from the server
//!   would fail a whole response. Every string enum becomes an invocation of
//!   the crate's `open_enum!` (the same macro as `ErrorCode`'s): an
//!   `Unknown(String)` variant, `#[non_exhaustive]`, `as_str()`, and serde
//!   impls that go through the wire string.
//! * **Date-times keep their offset.** `DateTime<Utc>` becomes
//!   `DateTime<FixedOffset>`, so `+09:00` survives a round trip.
//! * **Money is never `f64`.** `number` becomes `rust_decimal::Decimal`,
//!   (de)serialised as an exact JSON number by `<support>::decimal`.
//! * **`null` arrays.** Every `Vec` field accepts an explicit `null` as empty.
//! * **No `api-version` header.** progenitor sends `info.version` with every
//!   request. The vendor versions its API in the path (`/v2`) and documents
//!   no such header; sending our transcription's revision string to their
//!   servers would be noise at best and a WAF rejection at worst.
//! * **No struct builders.** progenitor's builder interface switches on
//!   typify's struct builders (`types::builder::Customer`, converted with
//!   `try_into()?` and a `ConversionError` of their own) and has no setting to
//!   turn them off alone. They are removed here: operation builders take the
//!   body type itself, and the facade's constructors make payloads.
//! * **Decoders written out.** `Deserialize` for the structs is generated
//!   by the `decoders` module rather than derived: the same rules, a fraction
//!   of the code every user's build compiles.
//! * **Other names of a property.** The overlay's `x-mfkessai-aliases` become
//!   `#[serde(alias = ..)]`; typify has no setting for them.
//! * **`""` is `None`.** Every `Option` field decodes `""` like `null` or
//!   absence (the reference sends `"start_date": ""`).
//! * **Operation metadata.** `raw::operations` holds each operation's id,
//!   method, path template and whether it is idempotent, taken from the spec;
//!   every operation builder implements `<support>::SendOperation`, which
//!   names its operation, so the facade reads the metadata from the builder's
//!   type. `OperationInfo::operation_id` becomes the spec's `operationId`.
//! * **Status kept on undecodable bodies.** Responses are decoded by
//!   `<support>::decode` instead of `ResponseValue::from_response`, which
//!   drops the status when a body does not decode.
//! * **Documented slashes in path parameters.** Some ids contain `/`
//!   (`issue_id` = `i/79NR-AP96`) and the documented path has those
//!   segments, so the slash is sent unescaped for the listed parameters.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

/// What the post-pass needs to know about the crate it generates for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the module with the serde adapters (`decimal`,
    /// `decimal_opt`, `null_as_empty`).
    pub support_module: String,
    /// Path parameters whose values may contain a documented `/`.
    pub slash_path_params: Vec<String>,
    /// Schema types replaced by a hand-written type of the crate:
    /// (type name typify would generate, path of the replacement).
    pub replacements: Vec<(String, String)>,
    /// progenitor's client `inner` type, and its pre-request hook (a plain
    /// function taking `&inner` first).
    pub inner_type: String,
    /// See [`Options::inner_type`].
    pub pre_hook: String,
    /// Path of the module with the id newtypes the overlay names.
    pub ids_module: String,
    /// `(struct, field, other names)`: the other names a field is decoded from.
    pub aliases: Vec<(String, String, Vec<String>)>,
    /// `(struct, required fields in argument order)`: the request payloads,
    /// which get `new(required…)`, a setter per optional field, and
    /// `#[non_exhaustive]`.
    pub constructors: Vec<(String, Vec<String>)>,
    /// Every operation of the spec, for `raw::operations`.
    pub operations: Vec<crate::adjust::OperationMeta>,
    /// The crate's `open_enum!` macro, which every string enum becomes.
    pub open_enum_macro: String,
}

impl Options {
    /// The settings used for the mfkessai crate.
    pub fn mfkessai() -> Self {
        Options {
            support_module: "crate::wire".into(),
            slash_path_params: vec!["issue_id".into()],
            // `Error.code`: the facade's ErrorCode carries a rustdoc per code.
            replacements: vec![("ErrorCode".into(), "crate::ErrorCode".into())],
            // Authentication and the user agent are added by a hand-written
            // hook so the raw client is usable on its own.
            inner_type: "crate::wire::RequestDefaults".into(),
            pre_hook: "crate::wire::before_send".into(),
            ids_module: "crate::ids".into(),
            aliases: Vec::new(),
            constructors: Vec::new(),
            operations: Vec::new(),
            open_enum_macro: "crate::open_enum::open_enum".into(),
        }
    }
}

/// Applies every fix to the generated file.
pub fn apply(mut file: syn::File, options: &Options) -> syn::File {
    let open_enum: syn::Path =
        syn::parse_str(&options.open_enum_macro).expect("open_enum_macro is a Rust path");
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item {
            if module.ident == "types" {
                if let Some((_, items)) = &mut module.content {
                    replace_types(items, &options.replacements);
                    remove_struct_builders(items);
                    constructors(items, &options.constructors);
                    open_enums(items, &open_enum);
                }
            }
        }
    }
    BodiesWithoutBuilders.visit_file_mut(&mut file);
    Aliases {
        aliases: &options.aliases,
    }
    .visit_file_mut(&mut file);
    TypeFixes.visit_file_mut(&mut file);
    SerdeAdapters {
        support: options.support_module.clone(),
    }
    .visit_file_mut(&mut file);
    NoApiVersionHeader.visit_file_mut(&mut file);
    NoRedirects.visit_file_mut(&mut file);
    SlashPathParams {
        names: &options.slash_path_params,
    }
    .visit_file_mut(&mut file);
    let support: syn::Path =
        syn::parse_str(&options.support_module).expect("support module is a Rust path");
    KeepStatusOnDecode { support: &support }.visit_file_mut(&mut file);
    operation_metadata(&mut file, &options.operations, &support);
    // Last: it reads the serde attributes the steps above wrote.
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item {
            if module.ident == "types" {
                if let Some((_, items)) = &mut module.content {
                    crate::decoders::write_decoders(items, &support);
                }
            }
        }
    }
    file
}

// ---------------------------------------------------------------- operations

/// `GetCustomersList` and `get_customers_list` name the same operation.
fn same_operation(spec_id: &str, progenitor_id: &str) -> bool {
    spec_id.to_ascii_lowercase() == progenitor_id.replace('_', "")
}

/// `GetCustomersList` → `GET_CUSTOMERS_LIST`.
pub(crate) fn const_name(spec_id: &str) -> syn::Ident {
    let mut out = String::new();
    for (i, c) in spec_id.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    format_ident!("{out}")
}

/// Rewrites `OperationInfo { operation_id: "get_customer" }` to the spec's
/// id and remembers which operation the enclosing builder sends.
struct OperationIds<'a> {
    operations: &'a [crate::adjust::OperationMeta],
    found: Option<&'a crate::adjust::OperationMeta>,
}

impl VisitMut for OperationIds<'_> {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        let is_info = e
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "OperationInfo");
        if is_info {
            for field in &mut e.fields {
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                }) = &mut field.expr
                else {
                    continue;
                };
                let progenitor_id = lit.value();
                if let Some(op) = self
                    .operations
                    .iter()
                    .find(|op| same_operation(&op.id, &progenitor_id))
                {
                    *lit = syn::LitStr::new(&op.id, lit.span());
                    self.found = Some(op);
                }
            }
        }
        syn::visit_mut::visit_expr_struct_mut(self, e);
    }
}

/// Emits `pub mod operations` (one constant per operation and `ALL`) and an
/// `impl SendOperation` for every operation builder.
fn operation_metadata(
    file: &mut syn::File,
    operations: &[crate::adjust::OperationMeta],
    support: &syn::Path,
) {
    let mut sent = Vec::new();
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let mut impls: Vec<syn::Item> = Vec::new();
        for item in items.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            let Some(builder) = impl_self_ident(imp) else {
                continue;
            };
            for member in &mut imp.items {
                let syn::ImplItem::Fn(send) = member else {
                    continue;
                };
                if send.sig.ident != "send" {
                    continue;
                }
                let mut ids = OperationIds {
                    operations,
                    found: None,
                };
                ids.visit_impl_item_fn_mut(send);
                let Some(op) = ids.found else { continue };
                let syn::ReturnType::Type(_, returned) = &send.sig.output else {
                    continue;
                };
                let Some(value) = generic_arg(returned, "Result<")
                    .and_then(|ok| generic_arg(&ok, "ResponseValue<"))
                else {
                    continue;
                };
                let konst = const_name(&op.id);
                impls.push(syn::parse_quote! {
                    impl<'a> #support::SendOperation for #builder<'a> {
                        type Response = #value;
                        const OPERATION: &'static #support::Operation = &super::operations::#konst;
                        fn dispatch(
                            self,
                        ) -> impl ::std::future::Future<Output = #returned> + ::std::marker::Send {
                            self.send()
                        }
                    }
                });
                sent.push(op.id.clone());
            }
        }
        items.extend(impls);
    }
    let consts = operations.iter().map(|op| {
        let konst = const_name(&op.id);
        let (id, method, path, idempotent) = (&op.id, &op.method, &op.path, op.idempotent);
        let doc = format!("`{method} {path}` ({id}).");
        let span_name = format!("{method} {path}");
        quote! {
            #[doc = #doc]
            pub const #konst: #support::Operation = #support::Operation {
                id: #id,
                method: #method,
                path: #path,
                span_name: #span_name,
                idempotent: #idempotent,
            };
        }
    });
    let all = operations.iter().map(|op| const_name(&op.id));
    let missing: Vec<&str> = operations
        .iter()
        .map(|op| op.id.as_str())
        .filter(|id| !sent.iter().any(|s| s == id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a generated builder: {missing:?}"
    );
    file.items.push(syn::parse_quote! {
        /// What the spec says about each operation: its id, method, path
        /// template and whether it may be sent twice. The builder of each
        /// operation names its constant through `SendOperation::OPERATION`.
        pub mod operations {
            #(#consts)*
            /// Every operation, in the spec's order.
            pub const ALL: &[#support::Operation] = &[#(#all),*];
        }
    });
}

/// `ResponseValue::from_response(response)` → `<support>::decode(response)`.
struct KeepStatusOnDecode<'a> {
    support: &'a syn::Path,
}

impl VisitMut for KeepStatusOnDecode<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        let names: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if names.ends_with(&["ResponseValue".to_string(), "from_response".to_string()]) {
            let support = self.support;
            *call.func = syn::parse_quote!(#support::decode);
        }
    }
}

// ---------------------------------------------------------------- replacements

/// Drops a generated type (and its impls) in favour of a `pub use` of the
/// hand-written one, so the crate has one type per concept.
fn replace_types(items: &mut Vec<syn::Item>, replacements: &[(String, String)]) {
    for (name, path) in replacements {
        let before = items.len();
        items.retain(|item| match item {
            syn::Item::Enum(e) => e.ident != name,
            syn::Item::Struct(s) => s.ident != name,
            syn::Item::Impl(i) => impl_self_ident(i).is_none_or(|id| id != name),
            _ => true,
        });
        if items.len() != before {
            let path: syn::Path = syn::parse_str(path).expect("replacement path is a Rust path");
            items.push(syn::parse_quote!(pub use #path;));
        }
    }
}

// ---------------------------------------------------------------- struct builders

/// Drops `types::builder` and every `impl X { fn builder() }`.
fn remove_struct_builders(items: &mut Vec<syn::Item>) {
    items.retain(|item| !matches!(item, syn::Item::Mod(m) if m.ident == "builder"));
    items.retain(|item| match item {
        syn::Item::Impl(i) if i.trait_.is_none() => !i
            .items
            .iter()
            .any(|f| matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "builder")),
        _ => true,
    });
}

fn is_struct_builder_path(path: &syn::Path) -> bool {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    names.len() == 3 && names[0] == "types" && names[1] == "builder"
}

/// Operation builders hold the body type itself: `Result<types::X, String>`,
/// unset until `body()` is called, with no `body_map` and no conversion
/// from a struct builder in `send()`.
struct BodiesWithoutBuilders;

impl VisitMut for BodiesWithoutBuilders {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if is_struct_builder_path(path) {
            path.segments = path
                .segments
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, s)| s.clone())
                .collect();
            return;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        i.items
            .retain(|f| !matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "body_map"));
        syn::visit_mut::visit_item_impl_mut(self, i);
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        let is_body = matches!(&fv.member, syn::Member::Named(n) if n == "body");
        let is_default = quote!(#fv).to_string().contains("Default :: default");
        if is_body && is_default {
            fv.expr = syn::parse_quote!(Err("body was not initialized".to_string()));
        }
        syn::visit_mut::visit_field_value_mut(self, fv);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        // `x.map(From::from)` (builder from body) and
        // `x.and_then(|v| T::try_from(v).map_err(..))` (body from builder)
        // become `x`.
        if let syn::Expr::MethodCall(call) = expr {
            let arg = call.args.first().map(|a| quote!(#a).to_string());
            let drop = match (call.method.to_string().as_str(), arg.as_deref()) {
                ("map", Some("From :: from")) => true,
                ("and_then", Some(a)) => a.contains("try_from"),
                _ => false,
            };
            if drop {
                *expr = (*call.receiver).clone();
                self.visit_expr_mut(expr);
                return;
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

// ---------------------------------------------------------------- constructors

/// `Vec<T>` → `Some(T)`.
fn vec_item(ty: &syn::Type) -> Option<syn::Type> {
    generic_arg(ty, "::std::vec::Vec<")
}

/// `Option<T>` → `Some(T)`.
fn option_item(ty: &syn::Type) -> Option<syn::Type> {
    generic_arg(ty, "::std::option::Option<")
}

fn generic_arg(ty: &syn::Type, prefix: &str) -> Option<syn::Type> {
    if !type_string(ty).starts_with(prefix) {
        return None;
    }
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// Payloads are built the async-stripe way: the required fields are the
/// arguments of `new` (a missing one does not compile), every optional field
/// has a setter taking `impl Into<…>`, and the struct is `#[non_exhaustive]`
/// so a property added to the spec is not a breaking change.
fn constructors(items: &mut Vec<syn::Item>, wanted: &[(String, Vec<String>)]) {
    let mut extra: Vec<syn::Item> = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let Some((_, required)) = wanted.iter().find(|(n, _)| s.ident == n) else {
            continue;
        };
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let field = |name: &str| {
            fields.named.iter().find(|f| {
                f.ident
                    .as_ref()
                    .is_some_and(|i| i == name || *i == format!("{name}_"))
            })
        };
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut arg_docs = Vec::new();
        for name in required {
            let Some(f) = field(name) else { continue };
            let ident = f.ident.clone().expect("named field");
            let ty = &f.ty;
            match vec_item(ty) {
                Some(item) => {
                    params.push(quote!(#ident: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>));
                    inits.push(quote!(#ident: #ident.into_iter().map(::std::convert::Into::into).collect()));
                }
                None => {
                    params.push(quote!(#ident: impl ::std::convert::Into<#ty>));
                    inits.push(quote!(#ident: #ident.into()));
                }
            }
            arg_docs.push(format!("`{ident}`"));
        }
        let mut setters = Vec::new();
        for f in &fields.named {
            let ident = f.ident.clone().expect("named field");
            let wire = ident.to_string().trim_end_matches('_').to_string();
            if required.contains(&wire) {
                continue;
            }
            let docs: Vec<&syn::Attribute> = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .collect();
            if let Some(item) = option_item(&f.ty) {
                inits.push(quote!(#ident: ::std::option::Option::None));
                setters.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, value: impl ::std::convert::Into<#item>) -> Self {
                        self.#ident = ::std::option::Option::Some(value.into());
                        self
                    }
                });
            } else if let Some(item) = vec_item(&f.ty) {
                inits.push(quote!(#ident: ::std::vec::Vec::new()));
                setters.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, values: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>) -> Self {
                        self.#ident = values.into_iter().map(::std::convert::Into::into).collect();
                        self
                    }
                });
            } else {
                // A required field missing from the list: keep the struct
                // constructible by literal only (no constructor).
                setters.clear();
                inits.clear();
                break;
            }
        }
        if inits.is_empty() && !fields.named.is_empty() {
            continue;
        }
        let ident = s.ident.clone();
        let doc = if arg_docs.is_empty() {
            "A payload with every optional field unset.".to_string()
        } else {
            format!(
                "A payload with its required fields ({}); the optional ones are unset.",
                arg_docs.join(", ")
            )
        };
        s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        let file: syn::File = syn::parse_quote! {
            impl #ident {
                #[doc = #doc]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
                #(#setters)*
            }
        };
        extra.extend(file.items);
    }
    items.extend(extra);
}

// ---------------------------------------------------------------- aliases

struct Aliases<'a> {
    aliases: &'a [(String, String, Vec<String>)],
}

impl VisitMut for Aliases<'_> {
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        for (ty, field, names) in self.aliases {
            if s.ident != ty {
                continue;
            }
            for f in s.fields.iter_mut() {
                if f.ident.as_ref().is_some_and(|i| i == field) {
                    for name in names {
                        f.attrs.push(syn::parse_quote!(#[serde(alias = #name)]));
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- open enums

struct StringEnum {
    ident: syn::Ident,
    /// (variant, wire string)
    variants: Vec<(syn::Ident, String, Vec<syn::Attribute>)>,
}

/// A string enum as typify writes it: unit variants, each with
/// `#[serde(rename = "...")]` unless the Rust name is the wire string.
fn as_string_enum(e: &syn::ItemEnum) -> Option<StringEnum> {
    let derives_deserialize = e.attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.meta.to_token_stream_string().contains("Deserialize")
    });
    if !derives_deserialize || e.variants.is_empty() {
        return None;
    }
    let mut variants = Vec::new();
    for v in &e.variants {
        if !matches!(v.fields, syn::Fields::Unit) {
            return None;
        }
        let mut wire = v.ident.to_string();
        let mut docs = Vec::new();
        for attr in &v.attrs {
            if attr.path().is_ident("serde") {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        let s: syn::LitStr = meta.value()?.parse()?;
                        wire = s.value();
                    }
                    Ok(())
                });
            } else if attr.path().is_ident("doc") {
                docs.push(attr.clone());
            }
        }
        // typify names the `""` value `X`; say what it is instead.
        let ident = if wire.is_empty() {
            format_ident!("Empty")
        } else {
            v.ident.clone()
        };
        variants.push((ident, wire, docs));
    }
    Some(StringEnum {
        ident: e.ident.clone(),
        variants,
    })
}

trait MetaString {
    fn to_token_stream_string(&self) -> String;
}
impl MetaString for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote!(#self).to_string()
    }
}

fn impl_self_ident(i: &syn::ItemImpl) -> Option<syn::Ident> {
    match &*i.self_ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.clone())
        }
        _ => None,
    }
}

/// Traits whose typify impls assume a closed enum; they are regenerated.
fn is_replaced_trait_impl(i: &syn::ItemImpl) -> bool {
    let Some((_, path, _)) = &i.trait_ else {
        return false;
    };
    let last = path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    matches!(last.as_str(), "Display" | "FromStr" | "TryFrom")
}

fn open_enums(items: &mut Vec<syn::Item>, macro_path: &syn::Path) {
    let enums: Vec<StringEnum> = items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Enum(e) => as_string_enum(e),
            _ => None,
        })
        .collect();
    let names: Vec<String> = enums.iter().map(|e| e.ident.to_string()).collect();

    items.retain(|item| match item {
        syn::Item::Impl(i) => {
            !(is_replaced_trait_impl(i)
                && impl_self_ident(i).is_some_and(|id| names.contains(&id.to_string())))
        }
        _ => true,
    });

    // One definition of an open enum for the whole crate: `open_enum!`.
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some(info) = enums.iter().find(|x| x.ident == e.ident) else {
            continue;
        };
        let docs: Vec<&syn::Attribute> = e
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        let (vis, ident) = (&e.vis, &e.ident);
        let variants = info.variants.iter().map(|(v, wire, vdocs)| {
            let empty = wire.is_empty().then(|| {
                quote!(#[doc = "The empty string `\"\"`: the server sends it for records registered before the field existed."])
            });
            quote!(#(#vdocs)* #empty #v => #wire,)
        });
        let unknown_doc = format!(
            "A value this version of the SDK does not know. `{}` is open because the \
             vendor adds values over time; the string is kept as received.",
            info.ident
        );
        *item = syn::parse_quote! {
            #macro_path! {
                #(#docs)*
                #vis enum #ident {
                    #(#variants)*
                }
                unknown = #unknown_doc;
            }
        };
    }
}

// ---------------------------------------------------------------- types

/// `DateTime<Utc>` → `DateTime<FixedOffset>`, `f64` → `Decimal`.
struct TypeFixes;

impl VisitMut for TypeFixes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names == ["chrono", "offset", "Utc"] {
            *path = syn::parse_quote!(::chrono::FixedOffset);
            return;
        }
        if path.leading_colon.is_none() && names == ["f64"] {
            *path = syn::parse_quote!(::rust_decimal::Decimal);
            return;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // Error messages in builders name the type; keep them truthful.
        mac.tokens = map_literals(mac.tokens.clone(), &|s| {
            s.replace(":: chrono :: offset :: Utc", ":: chrono :: FixedOffset")
                .replace("f64", "Decimal")
        });
    }
}

fn map_literals(tokens: TokenStream, f: &dyn Fn(&str) -> String) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), map_literals(g.stream(), f));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if text.starts_with('"') {
                    let replaced = f(&text);
                    if replaced != text {
                        if let Ok(lit) = replaced.parse::<proc_macro2::Literal>() {
                            return TokenTree::Literal(lit);
                        }
                    }
                }
                TokenTree::Literal(l)
            }
            other => other,
        })
        .collect()
}

/// Adds serde adapters to struct fields of the wire types.
struct SerdeAdapters {
    support: String,
}

fn type_string(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}

impl VisitMut for SerdeAdapters {
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        let is_serde = s.attrs.iter().any(|a| {
            a.path().is_ident("derive") && a.meta.to_token_stream_string().contains("Deserialize")
        });
        // Newtypes are `#[serde(transparent)]`; their inner field needs no adapter.
        if !is_serde || !matches!(s.fields, syn::Fields::Named(_)) {
            return;
        }
        for field in s.fields.iter_mut() {
            let ty = type_string(&field.ty);
            let adapter = match ty.as_str() {
                "::rust_decimal::Decimal" => Some(("decimal", false)),
                "::std::option::Option<::rust_decimal::Decimal>" => Some(("decimal_opt", true)),
                t if t.starts_with("::std::vec::Vec<") => Some(("null_as_empty", true)),
                // The reference sends `""` for values that are not set
                // (`"start_date": ""`), as well as `null` or nothing.
                t if t.starts_with("::std::option::Option<") => Some(("empty_as_none", true)),
                _ => None,
            };
            let Some((adapter, default)) = adapter else {
                continue;
            };
            let has_default = field.attrs.iter().any(|a| {
                a.path().is_ident("serde") && a.meta.to_token_stream_string().contains("default")
            });
            let path = format!("{}::{}", self.support, adapter);
            let attr: syn::Attribute = if matches!(adapter, "null_as_empty" | "empty_as_none") {
                syn::parse_quote!(#[serde(deserialize_with = #path)])
            } else {
                syn::parse_quote!(#[serde(with = #path)])
            };
            field.attrs.push(attr);
            if default && !has_default {
                field.attrs.push(syn::parse_quote!(#[serde(default)]));
            }
        }
    }
}

// ---------------------------------------------------------------- requests

struct NoApiVersionHeader;

impl VisitMut for NoApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block
            .stmts
            .retain(|stmt| !quote!(#stmt).to_string().contains("\"api-version\""));
        let still_appends = block
            .stmts
            .iter()
            .any(|stmt| quote!(#stmt).to_string().contains("header_map . append"));
        if block.stmts.len() != before && !still_appends {
            // The map is now only handed to `.headers()`; it need not be mutable.
            for stmt in &mut block.stmts {
                if let syn::Stmt::Local(local) = stmt {
                    if let syn::Pat::Ident(pat) = &mut local.pat {
                        if pat.ident == "header_map" {
                            pat.mutability = None;
                        }
                    }
                }
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// `raw::Client::new` builds its own `reqwest::Client`, whose default policy
/// follows redirects, cross-origin included, carrying the `apikey` header
/// (reqwest strips only `Authorization` and cookies). The API documents no
/// redirects, so the generated client follows none.
struct NoRedirects;

impl VisitMut for NoRedirects {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let builds_client = matches!(expr, syn::Expr::MethodCall(call)
            if call.method == "timeout"
                && quote!(#call).to_string().starts_with("reqwest :: ClientBuilder :: new ()"));
        if builds_client {
            let inner = expr.clone();
            *expr = syn::parse_quote!(#inner.redirect(reqwest::redirect::Policy::none()));
        }
    }
}

struct SlashPathParams<'a> {
    names: &'a [String],
}

impl VisitMut for SlashPathParams<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = keep_slashes(mac.tokens.clone(), self.names);
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }
}

/// `encode_path(&issue_id.to_string())` → `encode_path(&issue_id.to_string()).replace("%2F", "/")`.
/// `encode_path` escapes `%` too, so only slashes it encoded itself are restored.
fn keep_slashes(tokens: TokenStream, names: &[String]) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        let is_encode = matches!(&tt, TokenTree::Ident(i) if i == "encode_path");
        out.push(tt);
        if !is_encode {
            continue;
        }
        let Some(TokenTree::Group(g)) = iter.peek().cloned() else {
            continue;
        };
        if g.delimiter() != Delimiter::Parenthesis {
            continue;
        }
        let arg_names: Vec<String> = g
            .stream()
            .into_iter()
            .filter_map(|t| match t {
                TokenTree::Ident(i) => Some(i.to_string()),
                _ => None,
            })
            .collect();
        iter.next();
        out.push(TokenTree::Group(g));
        if arg_names.first().is_some_and(|n| names.contains(n)) {
            let replace = format_ident!("replace");
            out.extend(quote!(.#replace("%2F", "/")));
        }
    }
    out.into_iter().collect()
}
