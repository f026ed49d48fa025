//! List operations: `raw::lists`, what the facade's `ListRequest` pages with.
//!
//! A list operation is one whose 200 answer has `items` (an array) and
//! `pagination`, and which takes the cursors and page size (`after`,
//! `before`, `limit`); the test is the spec's, not a hand-written list. For
//! each, the generator emits:
//!
//! * `<Operation>Params`: one public `Option` field per query parameter
//!   except the cursors and the page size (`after`, `before`, `limit`), of
//!   the type progenitor's builder takes; owned, `Debug`, `Clone`.
//! * `<Operation>`, an uninhabited marker implementing
//!   `<pagination>::ListOperation`: its item, response, params, and the
//!   request one page makes (params and cursors applied to the builder).
//! * `ListResponse` for the response type and `ListItem` (its `id` is the
//!   cursor) for the item type.
//! * `ALL`: every list operation's `raw::operations` constant.
//!
//! So a list added to the spec pages with no hand-written code.

use quote::{format_ident, quote};
use serde_json::Value;

/// What the spec says about one list operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListMeta {
    /// The spec's `operationId` (`GetCustomersList`).
    pub id: String,
    /// The method and path, for the docs (`GET /customers`).
    pub route: String,
    /// The schema of the 200 answer (`CustomersList`).
    pub response: String,
    /// The schema of one item (`Customer`).
    pub item: String,
    /// The query parameters that are filters, in the spec's order: name and
    /// description.
    pub filters: Vec<(String, String)>,
}

/// The parameters every list takes, which the list request sets itself.
pub const PAGING: [&str; 3] = ["after", "before", "limit"];

/// Every list operation of an OpenAPI 3 document, in the document's order.
pub fn list_operations(doc: &Value) -> Vec<ListMeta> {
    let mut out = Vec::new();
    let paths = doc.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let Some(response) = op
                .pointer("/responses/200/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .map(schema_name)
            else {
                continue;
            };
            let Some(props) = doc
                .pointer(&format!("/components/schemas/{response}/properties"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let item = props
                .get("items")
                .and_then(|items| items.pointer("/items/$ref"))
                .and_then(Value::as_str)
                .map(schema_name);
            let (Some(item), true) = (item, props.contains_key("pagination")) else {
                continue;
            };
            let query: Vec<(String, String)> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| resolve(doc, p))
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
                .filter_map(|p| {
                    let name = p.get("name").and_then(Value::as_str)?;
                    let doc = p.get("description").and_then(Value::as_str);
                    Some((name.to_string(), doc.unwrap_or_default().to_string()))
                })
                .collect();
            // Without both cursors and the page size there is no walking it.
            if !PAGING
                .iter()
                .all(|p| query.iter().any(|(name, _)| name == p))
            {
                continue;
            }
            let filters = query
                .into_iter()
                .filter(|(name, _)| !PAGING.contains(&name.as_str()))
                .collect();
            out.push(ListMeta {
                id: id.to_string(),
                route: format!("{} {path}", method.to_uppercase()),
                response: response.to_string(),
                item: item.to_string(),
                filters,
            });
        }
    }
    out
}

fn schema_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// A parameter, or the one its `$ref` points at.
fn resolve<'a>(doc: &'a Value, param: &'a Value) -> Option<&'a Value> {
    match param.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.strip_prefix('#')?),
        None => Some(param),
    }
}

/// Appends `pub mod lists` to the generated file. `pagination` is the path of
/// the module with `ListOperation`, `ListResponse`, `ListItem`, `PageRequest`
/// and `Page`; `support` the one with `Operation`.
///
/// Panics when a list operation has no builder, or a filter no builder
/// field: the bindings would not be what the spec says.
pub fn apply(
    file: &mut syn::File,
    lists: &[ListMeta],
    pagination: &syn::Path,
    support: &syn::Path,
) {
    let builders = module_items(file, "builder");
    let types = module_items(file, "types");
    let mut items: Vec<syn::Item> = Vec::new();
    let mut responses: Vec<&str> = Vec::new();
    let mut listed: Vec<&str> = Vec::new();
    for list in lists {
        let builder = builders
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == list.id => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("list operation {} has no generated builder", list.id));
        let fields: Vec<(syn::Ident, syn::Type)> = list
            .filters
            .iter()
            .map(|(name, _)| {
                builder
                    .fields
                    .iter()
                    .find_map(|f| {
                        let ident = f.ident.as_ref()?;
                        (ident.to_string().trim_end_matches('_') == name)
                            .then(|| Some((ident.clone(), inner_type(&f.ty)?)))
                            .flatten()
                    })
                    .unwrap_or_else(|| panic!("{}: no builder field for filter {name}", list.id))
            })
            .collect();
        let marker = format_ident!("{}", list.id);
        let params = format_ident!("{}Params", list.id);
        let response = format_ident!("{}", list.response);
        let item = format_ident!("{}", list.item);
        let names: Vec<&syn::Ident> = fields.iter().map(|(n, _)| n).collect();
        let tys: Vec<&syn::Type> = fields.iter().map(|(_, t)| t).collect();
        let field_docs = list.filters.iter().map(|(name, doc)| match doc.as_str() {
            "" => format!("The `{name}` query parameter."),
            doc => format!("`{name}`: {doc}"),
        });
        let params_doc = format!(
            "The filters of `{}` ({}): one field per query parameter except the cursors \
             and the page size, which the list request sets.",
            list.route, list.id
        );
        let marker_doc = format!(
            "`{}` ({}) as a paginated list: [`{params}`] are its filters.",
            list.route, list.id
        );
        items.push(syn::parse_quote! {
            #[doc = #params_doc]
            #[derive(Debug, Clone, Default, PartialEq)]
            #[non_exhaustive]
            pub struct #params {
                #(#[doc = #field_docs] pub #names: ::std::option::Option<#tys>,)*
            }
        });
        items.push(syn::parse_quote! {
            #[doc = #marker_doc]
            #[derive(Debug, Clone, Copy)]
            pub enum #marker {}
        });
        items.push(syn::parse_quote! {
            impl #pagination::ListOperation for #marker {
                type Item = super::types::#item;
                type Response = super::types::#response;
                type Params = #params;
                type Builder<'c> = super::builder::#marker<'c>;
                fn request<'c>(
                    client: &'c super::Client,
                    params: &#params,
                    page: &#pagination::PageRequest,
                ) -> super::builder::#marker<'c> {
                    let mut request = super::builder::#marker::new(client);
                    #(if let Some(value) = &params.#names {
                        request = request.#names(value.clone());
                    })*
                    if let Some(after) = &page.after {
                        request = request.after(after.clone());
                    }
                    if let Some(before) = &page.before {
                        request = request.before(before.clone());
                    }
                    if let Some(limit) = page.limit {
                        request = request.limit(limit);
                    }
                    request
                }
            }
        });
        if !responses.contains(&list.response.as_str()) {
            responses.push(&list.response);
            items.push(syn::parse_quote! {
                impl #pagination::ListResponse for super::types::#response {
                    type Item = super::types::#item;
                    fn into_page(self) -> #pagination::Page<super::types::#item> {
                        #pagination::Page::from_parts(self.items, self.pagination)
                    }
                }
            });
        }
        if !listed.contains(&list.item.as_str()) {
            listed.push(&list.item);
            let cursor = match id_field(&types, &list.item) {
                Some(IdField::Required) => quote!(Some(self.id.as_str())),
                Some(IdField::Optional) => quote!(self.id.as_ref().map(|id| id.as_str())),
                None => quote!(None),
            };
            items.push(syn::parse_quote! {
                impl #pagination::ListItem for super::types::#item {
                    fn cursor_id(&self) -> Option<&str> {
                        #cursor
                    }
                }
            });
        }
    }
    let consts = lists.iter().map(|l| crate::postpass::const_name(&l.id));
    file.items.push(syn::parse_quote! {
        /// The list operations of the spec (a 200 answer with `items` and
        /// `pagination`): for each, its filters (`…Params`) and a marker type
        /// implementing `ListOperation`, which the facade's `ListRequest`
        /// pages with. Generated, like everything in `raw`.
        pub mod lists {
            use super::types;
            #(#items)*
            /// Every list operation, in the spec's order.
            pub const ALL: &[&#support::Operation] = &[#(&super::operations::#consts),*];
        }
    });
}

fn module_items(file: &syn::File, name: &str) -> Vec<syn::Item> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| i.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// `Result<Option<T>, String>` (a builder field) → `T`.
fn inner_type(ty: &syn::Type) -> Option<syn::Type> {
    let option = first_generic(ty, "Result")?;
    first_generic(&option, "Option")
}

fn first_generic(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

enum IdField {
    Required,
    Optional,
}

/// Whether the item type has an `id` field, and whether it is optional.
fn id_field(types: &[syn::Item], item: &str) -> Option<IdField> {
    types.iter().find_map(|i| match i {
        syn::Item::Struct(s) if s.ident == item => s.fields.iter().find_map(|f| {
            (f.ident.as_ref()? == "id").then(|| {
                if first_generic(&f.ty, "Option").is_some() {
                    IdField::Optional
                } else {
                    IdField::Required
                }
            })
        }),
        _ => None,
    })
}
