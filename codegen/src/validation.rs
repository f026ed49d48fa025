//! Request validation: `raw::validation`, one `Validate` impl per request
//! payload type, written from the spec's own keywords.
//!
//! `adjust` strips `maxLength`, `minimum`, `maxItems`, … before progenitor
//! sees the document (a response must never be refused for them); this
//! module reads them first, from the converted document, for the body
//! schemas of the `POST`/`PUT`/`PATCH` operations and every object nested in
//! them. For each property it emits calls to the runtime helpers of
//! `crate::validate`:
//!
//! * a string property in `required`, and every string of an array: not
//!   blank (`required`); `maxLength` (with `minLength`): `length`, counted in
//!   characters; an optional string with only `minLength`: not blank when set;
//! * an integer with `minimum`/`maximum`: `range`; a number (a `Decimal`)
//!   with them and `multipleOf: 0.0001`: `decimal`;
//! * an array with `minItems`/`maxItems`: `items` (an optional array that is
//!   empty is not sent, so only its maximum applies), then each element;
//! * an enum: `known` (a value this SDK was not generated with is refused);
//! * a nested object: its own impl, its fields reported as `outer.inner`
//!   (`transaction_details[0].description`).
//!
//! The error code of each field comes from the overlay, not from the spec:
//! `x-mfkessai-error-codes: {property: code}` on the object (`~` for a
//! property deliberately left to the server). A property whose keywords give
//! a check but that has no entry, an entry naming no property, and a keyword
//! this module cannot check (`pattern`) fail the generation, naming each.
//! Two more extensions on a property carry what the reference says in
//! prose: `x-mfkessai-zero-ignored: true` (0 means "not given", so it is not
//! checked) and `x-mfkessai-overridden-by: <property>` (when that property
//! is set the server ignores this one, so it is not checked).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::Error;

/// The overlay's table of error codes, on an object schema.
pub const ERROR_CODES: &str = "x-mfkessai-error-codes";
/// `true` on an integer property whose 0 means "not given".
pub const ZERO_IGNORED: &str = "x-mfkessai-zero-ignored";
/// The property whose presence makes the server ignore this one.
pub const OVERRIDDEN_BY: &str = "x-mfkessai-overridden-by";

/// One check of one property, as the spec and the overlay give it.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Not blank (`required`).
    NotBlank,
    /// `length(min, max)`, in characters.
    Length(u64, u64),
    /// `range(min, max)` for an integer.
    Range(i64, i64),
    /// `decimal(min, max)`: bounds and four decimal places.
    Decimal(i64, i64),
    /// `items(min, max)` for an array.
    Items(u64, u64),
    /// One of the enum's values.
    Known,
}

/// What is checked of one property.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRule {
    /// The property (and Rust field) name.
    pub name: String,
    /// The `ErrorCode` variant (`InvalidCustomerName`), `None` when the
    /// overlay leaves the property to the server.
    pub code: Option<String>,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// Checks of the value itself (or of the array's length).
    pub checks: Vec<Check>,
    /// Checks of each element of an array.
    pub element_checks: Vec<Check>,
    /// The generated type of a nested object (or of an array's elements).
    pub nested: Option<String>,
    /// `x-mfkessai-zero-ignored`.
    pub zero_ignored: bool,
    /// `x-mfkessai-overridden-by`.
    pub overridden_by: Option<String>,
}

/// The rules of one payload type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRules {
    /// The generated type (`CustomerPayload`, `CustomerPayloadDestination`).
    pub name: String,
    /// Its properties with something to check, in the spec's order.
    pub fields: Vec<FieldRule>,
}

/// The rules of every request payload type of an OpenAPI 3 document (the
/// converted one, keywords intact), in the order first reached.
pub fn request_rules(doc: &Value) -> Result<Vec<TypeRules>, Error> {
    let mut queue: Vec<(String, Value)> = Vec::new();
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, v)| v)
    {
        for method in ["post", "put", "patch"] {
            let schema = item.get(method).and_then(|op| {
                op.pointer("/requestBody/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
            });
            if let Some(name) = schema.map(schema_name) {
                if let Some(s) = component(doc, name) {
                    push_unique(&mut queue, name, s.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut i = 0;
    while i < queue.len() {
        let (name, schema) = queue[i].clone();
        i += 1;
        out.push(type_rules(doc, &name, &schema, &mut queue, &mut problems));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Overlay(format!(
            "request validation: {} problem(s); update swagger.overlay.yaml ({ERROR_CODES}):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )))
    }
}

fn push_unique(queue: &mut Vec<(String, Value)>, name: &str, schema: Value) {
    if !queue.iter().any(|(n, _)| n == name) {
        queue.push((name.to_string(), schema));
    }
}

fn type_rules(
    doc: &Value,
    name: &str,
    schema: &Value,
    queue: &mut Vec<(String, Value)>,
    problems: &mut Vec<String>,
) -> TypeRules {
    let empty = Map::new();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let codes = schema.get(ERROR_CODES).and_then(Value::as_object);
    for key in codes.into_iter().flatten().map(|(k, _)| k) {
        if !props.contains_key(key) {
            problems.push(format!(
                "{name}.{ERROR_CODES}: `{key}` is not a property of {name}"
            ));
        }
    }
    let mut fields = Vec::new();
    for (prop, raw) in props {
        let s = merged(doc, raw);
        let is_required = required.contains(&prop.as_str());
        let code_entry = codes.and_then(|c| c.get(prop));
        let code = code_entry.and_then(Value::as_str).map(pascal);
        let unchecked = code_entry.is_some_and(Value::is_null);
        let mut rule = FieldRule {
            name: prop.clone(),
            code,
            optional: !is_required,
            checks: Vec::new(),
            element_checks: Vec::new(),
            nested: None,
            zero_ignored: raw.get(ZERO_IGNORED).and_then(Value::as_bool) == Some(true),
            overridden_by: raw
                .get(OVERRIDDEN_BY)
                .and_then(Value::as_str)
                .map(str::to_string),
        };
        if let Some(other) = &rule.overridden_by {
            if !props.contains_key(other) {
                problems.push(format!(
                    "{name}.{prop}.{OVERRIDDEN_BY}: `{other}` is not a property of {name}"
                ));
            }
        }
        let mut unsupported = Vec::new();
        match s.get("type").and_then(Value::as_str) {
            Some("array") => {
                let (min, max) = (uint(&s, "minItems"), uint(&s, "maxItems"));
                let min = if is_required { min } else { None };
                if min.is_some_and(|m| m > 0) || max.is_some() {
                    rule.checks
                        .push(Check::Items(min.unwrap_or(0), max.unwrap_or(u64::MAX)));
                }
                let items = s.get("items").cloned().unwrap_or(Value::Null);
                let element = merged(doc, &items);
                match element_object(doc, &items, name, prop) {
                    Some((type_name, schema)) => {
                        rule.nested = Some(type_name.clone());
                        push_unique(queue, &type_name, schema);
                    }
                    None => {
                        rule.element_checks = scalar_checks(&element, true, &mut unsupported);
                    }
                }
            }
            Some("object") | None if s.get("properties").is_some() => {
                let (type_name, schema) = match object_ref(raw) {
                    Some(r) => (r.to_string(), s.clone()),
                    None => (format!("{name}{}", pascal(prop)), s.clone()),
                };
                rule.nested = Some(type_name.clone());
                push_unique(queue, &type_name, schema);
            }
            _ => rule.checks = scalar_checks(&s, is_required, &mut unsupported),
        }
        if unchecked {
            continue;
        }
        for keyword in unsupported {
            problems.push(format!(
                "{name}.{prop}: `{keyword}` cannot be checked; mark the property `~` in {ERROR_CODES}"
            ));
        }
        let has_checks = !rule.checks.is_empty() || !rule.element_checks.is_empty();
        if has_checks && rule.code.is_none() {
            problems.push(format!(
                "{name}.{prop}: {:?} documented but no error code",
                [&rule.checks[..], &rule.element_checks[..]].concat()
            ));
        }
        if (has_checks && rule.code.is_some()) || rule.nested.is_some() {
            fields.push(rule);
        }
    }
    TypeRules {
        name: name.to_string(),
        fields,
    }
}

/// The checks a scalar schema's keywords give. `present`: the value is
/// always there (a required property, an array element).
fn scalar_checks(s: &Value, present: bool, unsupported: &mut Vec<&'static str>) -> Vec<Check> {
    let mut checks = Vec::new();
    if s.get("pattern").is_some() {
        unsupported.push("pattern");
    }
    if s.get("enum").is_some() {
        checks.push(Check::Known);
        return checks;
    }
    match s.get("type").and_then(Value::as_str) {
        // Dates and times are typed values, never blank.
        Some("string") if s.get("format").is_none() => {
            let (min, max) = (uint(s, "minLength"), uint(s, "maxLength"));
            if present || (max.is_none() && min.is_some_and(|m| m > 0)) {
                checks.push(Check::NotBlank);
            }
            if max.is_some() || min.is_some_and(|m| m > 1) {
                checks.push(Check::Length(min.unwrap_or(0), max.unwrap_or(u64::MAX)));
            }
        }
        Some("integer") => {
            let (min, max) = (int(s, "minimum"), int(s, "maximum"));
            if min.is_some() || max.is_some() {
                checks.push(Check::Range(
                    min.unwrap_or(i64::MIN),
                    max.unwrap_or(i64::MAX),
                ));
            }
        }
        Some("number") => {
            let (min, max) = (int(s, "minimum"), int(s, "maximum"));
            if min.is_some() || max.is_some() {
                if s.get("multipleOf").and_then(Value::as_f64) != Some(0.0001) {
                    unsupported.push("minimum/maximum without multipleOf: 0.0001");
                }
                checks.push(Check::Decimal(
                    min.unwrap_or(i64::MIN),
                    max.unwrap_or(i64::MAX),
                ));
            }
        }
        _ => {}
    }
    for keyword in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
        if s.get(keyword).is_some() {
            unsupported.push(keyword);
        }
    }
    checks
}

fn uint(s: &Value, key: &str) -> Option<u64> {
    s.get(key).and_then(Value::as_u64)
}

fn int(s: &Value, key: &str) -> Option<i64> {
    s.get(key).and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
    })
}

/// A property's schema with the one it refers to (`$ref` or a one-element
/// `allOf`) merged in; the property's own keywords win.
fn merged(doc: &Value, raw: &Value) -> Value {
    let target = object_ref(raw).and_then(|name| component(doc, name));
    let mut out = target.cloned().unwrap_or(Value::Object(Map::new()));
    if let (Some(out), Some(own)) = (out.as_object_mut(), raw.as_object()) {
        for (k, v) in own {
            if k != "$ref" && k != "allOf" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// The component a property refers to, directly or through a one-element
/// `allOf`.
fn object_ref(raw: &Value) -> Option<&str> {
    raw.get("$ref")
        .or_else(|| match raw.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 => all[0].get("$ref"),
            _ => None,
        })
        .and_then(Value::as_str)
        .map(schema_name)
}

/// The element type of an array when it is an object.
fn element_object(doc: &Value, items: &Value, owner: &str, prop: &str) -> Option<(String, Value)> {
    let s = merged(doc, items);
    s.get("properties")?;
    let name = match object_ref(items) {
        Some(r) => r.to_string(),
        None => format!("{owner}{}Item", pascal(prop)),
    };
    Some((name, s))
}

fn component<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.pointer(&format!("/components/schemas/{name}"))
}

fn schema_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// `invalid_customer_name` → `InvalidCustomerName`, `destination` →
/// `Destination`.
pub fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Appends `pub mod validation` to the generated file: an impl of
/// `<validate>::Validate` per payload type. `validate` is the path of the
/// runtime helpers, `error_code` of `ErrorCode`.
///
/// Panics when a payload type or field has no generated counterpart: the
/// bindings would not be what the spec says.
pub fn apply(
    file: &mut syn::File,
    rules: &[TypeRules],
    validate: &syn::Path,
    error_code: &syn::Path,
) {
    let types = types_module(file);
    let mut impls: Vec<syn::Item> = Vec::new();
    for t in rules {
        let strukt = types
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == t.name => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("request payload {} has no generated type", t.name));
        let ty = format_ident!("{}", t.name);
        let mut body: Vec<TokenStream> = Vec::new();
        for f in &t.fields {
            let field = strukt
                .fields
                .iter()
                .find(|sf| {
                    sf.ident
                        .as_ref()
                        .is_some_and(|i| i.to_string().trim_start_matches("r#") == f.name)
                })
                .unwrap_or_else(|| panic!("{}.{}: no generated field", t.name, f.name));
            let ident = field.ident.clone().expect("named field");
            let is_option = is_outer(&field.ty, "Option");
            let is_vec = is_outer(&field.ty, "Vec");
            body.push(field_tokens(
                f, &ident, is_option, is_vec, validate, error_code,
            ));
        }
        let doc = format!(
            "The documented limits of `{}`, from the spec's keywords.",
            t.name
        );
        let unused = body.is_empty().then(|| quote!(let _ = prefix;));
        impls.push(syn::parse_quote! {
            #[doc = #doc]
            impl #validate::Validate for super::types::#ty {
                fn validate_at(&self, prefix: &str) -> ::std::result::Result<(), crate::Error> {
                    #unused
                    #(#body)*
                    ::std::result::Result::Ok(())
                }
            }
        });
    }
    file.items.push(syn::parse_quote! {
        /// Request validation generated from the spec's `maxLength`,
        /// `minimum`, `maxItems`, enums and `required` (with the error codes
        /// of `swagger.overlay.yaml`): one `Validate` impl per request
        /// payload type. Responses are never validated. Generated, like
        /// everything in `raw`.
        pub mod validation {}
    });
    let module = file.items.last_mut().expect("just pushed");
    if let syn::Item::Mod(m) = module {
        if let Some((_, items)) = &mut m.content {
            items.extend(impls);
        }
    }
}

fn field_tokens(
    f: &FieldRule,
    ident: &syn::Ident,
    is_option: bool,
    is_vec: bool,
    validate: &syn::Path,
    error_code: &syn::Path,
) -> TokenStream {
    let name = &f.name;
    let code = f.code.as_ref().map(|c| {
        let c = format_ident!("{c}");
        quote!(#error_code::#c)
    });
    let label = quote!(#validate::Field(prefix, #name));
    // `value` is what methods are called on (`self.name`, a `&String`),
    // `copy` the value itself (`self.amount`, `*value`).
    let value_checks = |checks: &[Check], value: TokenStream, label: TokenStream| -> TokenStream {
        let copy = if value.to_string().starts_with("self") {
            value.clone()
        } else {
            quote!(*#value)
        };
        let calls = checks
            .iter()
            .map(|c| check_call(c, &value, &copy, &label, code.as_ref(), validate));
        quote!(#(#calls)*)
    };
    let mut out = TokenStream::new();
    if is_vec {
        if !f.checks.is_empty() {
            let checks = value_checks(&f.checks, quote!(self.#ident.len()), label.clone());
            out.extend(if f.optional {
                quote!(if !self.#ident.is_empty() { #checks })
            } else {
                checks
            });
        }
        let element_label = quote!(&::std::format!("{prefix}{}[{i}]", #name));
        if let Some(_nested) = &f.nested {
            out.extend(quote! {
                for (i, item) in self.#ident.iter().enumerate() {
                    #validate::Validate::validate_at(item, &::std::format!("{prefix}{}[{i}].", #name))?;
                }
            });
        } else if !f.element_checks.is_empty() {
            let checks = value_checks(&f.element_checks, quote!(item), element_label);
            out.extend(quote! {
                for (i, item) in self.#ident.iter().enumerate() {
                    #checks
                }
            });
        }
        return out;
    }
    if f.nested.is_some() {
        let nested_prefix = quote!(&::std::format!("{prefix}{}.", #name));
        return if is_option {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#ident {
                    #validate::Validate::validate_at(value, #nested_prefix)?;
                }
            }
        } else {
            quote!(#validate::Validate::validate_at(&self.#ident, #nested_prefix)?;)
        };
    }
    let mut guard = TokenStream::new();
    if let Some(other) = &f.overridden_by {
        let other = format_ident!("{other}");
        guard = quote!(if self.#other.is_none());
    }
    if is_option {
        let checks = value_checks(&f.checks, quote!(value), label);
        let zero = f.zero_ignored.then(|| quote!(if *value != 0));
        let inner = match zero {
            Some(z) => quote!(#z { #checks }),
            None => checks,
        };
        let stmt = quote! {
            if let ::std::option::Option::Some(value) = &self.#ident {
                #inner
            }
        };
        if guard.is_empty() {
            stmt
        } else {
            quote!(#guard { #stmt })
        }
    } else {
        let checks = value_checks(&f.checks, quote!(self.#ident), label);
        let checks = if f.zero_ignored {
            quote!(if self.#ident != 0 { #checks })
        } else {
            checks
        };
        if guard.is_empty() {
            checks
        } else {
            quote!(#guard { #checks })
        }
    }
}

/// One helper call on `value` (methods) or `copy` (the value itself).
fn check_call(
    check: &Check,
    value: &TokenStream,
    copy: &TokenStream,
    label: &TokenStream,
    code: Option<&TokenStream>,
    validate: &syn::Path,
) -> TokenStream {
    let code = code
        .cloned()
        .unwrap_or_else(|| quote!(compile_error!("no error code")));
    match check {
        Check::NotBlank => quote!(#validate::required(#code, #label, #value.as_str())?;),
        Check::Length(min, max) => {
            let (min, max) = (usize_lit(*min), usize_lit(*max));
            quote!(#validate::length(#code, #label, #value.as_str(), #min, #max)?;)
        }
        Check::Range(min, max) => {
            quote!(#validate::range(#code, #label, #copy, #min, #max)?;)
        }
        Check::Decimal(min, max) => {
            quote!(#validate::decimal(#code, #label, #copy, #min, #max)?;)
        }
        Check::Items(min, max) => {
            let (min, max) = (usize_lit(*min), usize_lit(*max));
            quote!(#validate::items(#code, #label, #value, #min, #max)?;)
        }
        Check::Known => quote! {
            if !#value.is_known() {
                return ::std::result::Result::Err(#validate::unknown(#code, #label, #value.as_str()));
            }
        },
    }
}

fn usize_lit(n: u64) -> TokenStream {
    if n == u64::MAX {
        quote!(usize::MAX)
    } else {
        let n = n as usize;
        quote!(#n)
    }
}

fn is_outer(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

fn types_module(file: &syn::File) -> Vec<syn::Item> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, i)| i.clone()),
            _ => None,
        })
        .unwrap_or_default()
}
