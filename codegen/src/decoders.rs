//! `Deserialize` for the generated structs, written out instead of derived.
//!
//! serde's derive is generic in a way these types never use: a field
//! identifier enum with its own visitor, a `visit_seq` for structs sent as
//! arrays, and, for every field with a `deserialize_with` (all the `Option`
//! and list fields here), two wrapper types with impls of their own. That
//! code is type-checked and borrow-checked in every clean build of every
//! crate that depends on the SDK: measured, the derives on `raw::types` were
//! about a third of the library's compile time.
//!
//! What is written instead is one `visit_map` per struct, with one match arm
//! per property name (and per alias) calling the field's adapter in the
//! support module's `de` (`de::empty_as_none(&mut map, &mut slot, "name")`).
//! The adapter is read from the field's serde attributes, so the step that
//! chose it ([`super::postpass`]'s `SerdeAdapters`) stays the only place that
//! decides how a field decodes. The attributes that only decoding reads
//! (`default`, `deserialize_with`, `alias`) are then dropped; the ones
//! `Serialize` still needs (`rename`, `with`, `skip_serializing_if`) stay.
//!
//! A struct with any serde attribute this step does not know keeps the
//! derive, so nothing is ever decoded differently by accident.

use quote::{format_ident, quote};

/// How one field decodes, read off its serde attributes.
struct Field {
    ident: syn::Ident,
    /// The property name on the wire, then its other names.
    names: Vec<String>,
    /// The adapter's name in `<support>::de` (`plain` without one).
    adapter: syn::Ident,
    /// Absent means `Default::default()` (lists, `#[serde(default)]`).
    default: bool,
    /// Absent means `None`.
    optional: bool,
}

/// Replaces `derive(Deserialize)` on the structs of `items` with written-out
/// impls calling `<support>::de`.
pub(crate) fn write_decoders(items: &mut Vec<syn::Item>, support: &syn::Path) {
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        if !derives_deserialize(s) || !matches!(s.fields, syn::Fields::Named(_)) {
            continue;
        }
        if s.attrs.iter().any(|a| a.path().is_ident("serde")) {
            continue; // container attributes (`transparent`): the derive knows them
        }
        let Some(fields) = s.fields.iter().map(read_field).collect::<Option<Vec<_>>>() else {
            continue;
        };
        drop_derive(s);
        for field in s.fields.iter_mut() {
            keep_serialize_attrs(field);
        }
        impls.push(decoder(&s.ident, &fields, support));
    }
    items.extend(impls);
}

fn derives_deserialize(s: &syn::ItemStruct) -> bool {
    s.attrs
        .iter()
        .any(|a| a.path().is_ident("derive") && quote!(#a).to_string().contains("Deserialize"))
}

/// `derive(::serde::Deserialize, ::serde::Serialize, ..)` without the first.
fn drop_derive(s: &mut syn::ItemStruct) {
    for attr in &mut s.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept = paths
            .into_iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

/// The arguments of a field's `#[serde(..)]` attributes, in order: `default`
/// has no value, every other argument these types use is `key = "string"`.
/// `None` when an attribute has any other form.
fn serde_args(field: &syn::Field) -> Option<Vec<(String, Option<syn::LitStr>)>> {
    let mut args = Vec::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let value = if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
                None
            } else {
                Some(meta.value()?.parse::<syn::LitStr>()?)
            };
            args.push((key, value));
            Ok(())
        })
        .ok()?;
    }
    Some(args)
}

/// The field's decoding, or `None` for an attribute this step does not know.
fn read_field(field: &syn::Field) -> Option<Field> {
    let ident = field.ident.clone()?;
    let mut rename = None;
    let mut aliases = Vec::new();
    let mut adapter = None;
    let mut default = false;
    for (key, value) in serde_args(field)? {
        let value = value.map(|v| v.value());
        match (key.as_str(), value) {
            ("default", None) => default = true,
            ("rename", Some(name)) => rename = Some(name),
            ("alias", Some(name)) => aliases.push(name),
            ("deserialize_with" | "with", Some(path)) => {
                adapter = path.rsplit("::").next().map(str::to_string)
            }
            ("skip_serializing_if", Some(_)) => {}
            _ => return None,
        }
    }
    let optional = matches!(&field.ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    let wire = rename.unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string());
    let is_list = adapter.as_deref() == Some("null_as_empty");
    Some(Field {
        names: std::iter::once(wire).chain(aliases).collect(),
        adapter: format_ident!("{}", adapter.as_deref().unwrap_or("plain")),
        default: default && !optional || is_list,
        optional,
        ident,
    })
}

/// Drops the serde attributes only decoding reads (`default`,
/// `deserialize_with`, `alias`), in one attribute with what `Serialize` reads.
fn keep_serialize_attrs(field: &mut syn::Field) {
    let kept: Vec<_> = serde_args(field)
        .unwrap_or_default()
        .into_iter()
        .filter(|(key, _)| matches!(key.as_str(), "rename" | "with" | "skip_serializing_if"))
        .filter_map(|(key, value)| {
            let key = format_ident!("{key}");
            value.map(|value| quote!(#key = #value))
        })
        .collect();
    field.attrs.retain(|attr| !attr.path().is_ident("serde"));
    if !kept.is_empty() {
        field.attrs.push(syn::parse_quote!(#[serde(#(#kept),*)]));
    }
}

fn decoder(name: &syn::Ident, fields: &[Field], support: &syn::Path) -> syn::Item {
    let expecting = format!("struct {name}");
    let slots = fields.iter().map(|f| &f.ident);
    let arms = fields.iter().map(|f| {
        let (ident, adapter, names) = (&f.ident, &f.adapter, &f.names);
        let wire = &f.names[0];
        quote!(#(#names)|* => de::#adapter(&mut map, &mut #ident, #wire)?,)
    });
    let values = fields.iter().map(|f| {
        let (ident, wire) = (&f.ident, &f.names[0]);
        if f.optional {
            quote!(#ident: #ident.flatten())
        } else if f.default {
            quote!(#ident: #ident.unwrap_or_default())
        } else {
            quote!(#ident: de::required(#ident, #wire)?)
        }
    });
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        use #support::de;
                        #(let mut #slots = ::std::option::Option::None;)*
                        while let ::std::option::Option::Some(key) = map.next_key::<de::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => de::skip(&mut map)?,
                            }
                        }
                        ::std::result::Result::Ok(#name { #(#values),* })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    }
}
