//! The changes progenitor 0.15 / typify 0.8 need before they see the document.
//!
//! [`crate::convert`] produces a faithful OpenAPI 3 document; this module
//! bends a copy of it so that the generated client is correct *as a client*:
//!
//! * validation keywords are removed, because typify turns them into
//!   validating newtypes that would also reject server data (a `+81-…` phone
//!   number, a name longer than documented). The facade validates requests;
//!   responses decode whatever the server sends.
//! * scalar aliases (`Address1`, `Tel`, …) are inlined, so fields are plain
//!   `String`s instead of single-field newtypes.
//! * operations keep at most one typed success and one typed error body;
//!   progenitor panics on more. Dropped responses still reach the caller as
//!   `UnexpectedResponse`, which the facade parses.
//! * the overlay's markers become references: a string marked
//!   `x-mfkessai-id: CustomerId` refers to a `CustomerId` schema (replaced by
//!   the hand-written `crate::ids::CustomerId`), and every enum marked
//!   `x-mfkessai-enum: TransactionStatus` refers to one `TransactionStatus`
//!   schema holding the union of their values.
//! * CSV query arrays (`style: form, explode: false`) become strings, because
//!   progenitor always repeats the key; the caller joins the values.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::overlay::{ALIASES, ENUM, ID, IDEMPOTENT, NEW};

/// Keywords that make typify emit validating types.
const VALIDATION_KEYWORDS: [&str; 11] = [
    "maxLength",
    "minLength",
    "pattern",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

/// Applies every adjustment; returns the document progenitor should read.
pub fn for_progenitor(openapi: &Value) -> Value {
    let mut doc = openapi.clone();
    named_by_markers(&mut doc);
    let aliases = scalar_aliases(&doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| !aliases.iter().any(|(n, _)| n == name));
    }
    walk_schemas(&mut doc, &mut |schema| {
        inline_aliases(schema, &aliases);
        strip_validation(schema);
        drop_closed_objects(schema);
    });
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    keep_one_body_per_outcome(responses);
                }
                for p in op
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    csv_array_to_string(p);
                }
            }
        }
    }
    if let Some(params) = doc
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        params.values_mut().for_each(csv_array_to_string);
    }
    doc
}

/// Named schemas that are a bare scalar (no enum, no properties): they carry
/// only documentation and constraints, so inlining loses nothing for a client.
fn scalar_aliases(doc: &Value) -> Vec<(String, Value)> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter(|(_, s)| {
            matches!(
                s.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            ) && s.get("enum").is_none()
                && s.get(ID).is_none()
        })
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect()
}

/// Calls `f` on every schema object in the document, depth first (children
/// before parents, so `f` sees already-adjusted children).
fn walk_schemas(doc: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    fn walk_schema(schema: &mut Value, f: &mut dyn FnMut(&mut Value)) {
        if let Some(map) = schema.as_object_mut() {
            if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
                props.values_mut().for_each(|s| walk_schema(s, f));
            }
            for key in ["items", "not", "additionalProperties"] {
                if let Some(s) = map.get_mut(key).filter(|s| s.is_object()) {
                    walk_schema(s, f);
                }
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                if let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(|s| walk_schema(s, f));
                }
            }
        }
        f(schema);
    }
    fn walk_content(holder: &mut Value, f: &mut dyn FnMut(&mut Value)) {
        if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
            for media in content.values_mut() {
                if let Some(s) = media.get_mut("schema") {
                    walk_schema(s, f);
                }
            }
        }
        if let Some(s) = holder.get_mut("schema") {
            walk_schema(s, f);
        }
    }

    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            schemas.values_mut().for_each(|s| walk_schema(s, f));
        }
        for key in ["parameters", "requestBodies", "responses"] {
            if let Some(map) = components.get_mut(key).and_then(Value::as_object_mut) {
                map.values_mut().for_each(|v| walk_content(v, f));
            }
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, op) in item.iter_mut() {
                if key == "parameters" {
                    op.as_array_mut()
                        .into_iter()
                        .flatten()
                        .for_each(|p| walk_content(p, f));
                    continue;
                }
                for p in op
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    walk_content(p, f);
                }
                if let Some(body) = op.get_mut("requestBody") {
                    walk_content(body, f);
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    responses.values_mut().for_each(|r| walk_content(r, f));
                }
            }
        }
    }
}

fn alias_target<'a>(schema: &Value, aliases: &'a [(String, Value)]) -> Option<&'a Value> {
    let name = schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")?;
    aliases.iter().find(|(n, _)| n == name).map(|(_, s)| s)
}

fn inline_aliases(schema: &mut Value, aliases: &[(String, Value)]) {
    if let Some(target) = alias_target(schema, aliases) {
        *schema = target.clone();
        strip_validation(schema);
        return;
    }
    // `{allOf: [$ref alias], nullable, description}` — the converter's shape
    // for a nullable or described reference.
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    let single = map
        .get("allOf")
        .and_then(Value::as_array)
        .filter(|a| a.len() == 1)
        .and_then(|a| alias_target(&a[0], aliases))
        .cloned();
    if let Some(mut target) = single {
        map.remove("allOf");
        if let Some(t) = target.as_object_mut() {
            for (k, v) in std::mem::take(map) {
                t.insert(k, v);
            }
        }
        *schema = target;
    }
}

fn strip_validation(schema: &mut Value) {
    if let Some(map) = schema.as_object_mut() {
        for key in VALIDATION_KEYWORDS {
            map.remove(key);
        }
    }
}

/// The vendor promises new properties; a closed object would refuse them.
fn drop_closed_objects(schema: &mut Value) {
    if let Some(map) = schema.as_object_mut() {
        if map.get("additionalProperties") == Some(&json!(false)) {
            map.remove("additionalProperties");
        }
    }
}

fn body_schema(response: &Value) -> Option<Value> {
    let content = response.get("content")?.as_object()?;
    content
        .get("application/json")
        .or_else(|| content.values().next())
        .and_then(|m| m.get("schema"))
        .cloned()
}

/// progenitor 0.15 accepts one success type and one error type per
/// operation. Keep the typed responses that share the most common schema and
/// drop the rest (bodyless or differently typed ones, and `default`).
fn keep_one_body_per_outcome(responses: &mut Map<String, Value>) {
    // progenitor counts `default` as both a success and an error, so a typed
    // `default` next to any explicit status is a second body type.
    if responses.len() > 1 && responses.contains_key("default") {
        responses.remove("default");
    }
    let is_success = |status: &str| status.starts_with('2');
    for success in [true, false] {
        let mut group: Vec<(String, Option<Value>)> = responses
            .iter()
            .filter(|(s, _)| !s.starts_with("x-") && is_success(s) == success)
            .map(|(s, r)| (s.clone(), body_schema(r)))
            .collect();
        group.sort_by(|a, b| a.0.cmp(&b.0));
        let typed: Vec<&Value> = group.iter().filter_map(|(_, b)| b.as_ref()).collect();
        // The most common schema wins; on a tie, the one of the lowest status.
        let mut winner: Option<(&Value, usize)> = None;
        for candidate in &typed {
            let count = typed.iter().filter(|o| *o == candidate).count();
            if winner.is_none_or(|(_, best)| count > best) {
                winner = Some((candidate, count));
            }
        }
        let Some(winner) = winner.map(|(w, _)| w.clone()) else {
            // Only bodyless responses: progenitor copes with any number of those.
            continue;
        };
        let drop: BTreeSet<String> = group
            .into_iter()
            .filter(|(_, b)| b.as_ref() != Some(&winner))
            .map(|(s, _)| s)
            .collect();
        responses.retain(|s, _| !drop.contains(s));
    }
}

fn csv_array_to_string(p: &mut Value) {
    let is_csv_query_array = p.get("in").and_then(Value::as_str) == Some("query")
        && p.get("explode").and_then(Value::as_bool) == Some(false)
        && p.pointer("/schema/type").and_then(Value::as_str) == Some("array");
    if is_csv_query_array {
        let description = p
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        p["description"] = json!(format!(
            "{description}\n\nComma-separated values (the spec's `collectionFormat: csv`)."
        ));
        p["schema"] = json!({ "type": "string" });
        if let Some(map) = p.as_object_mut() {
            map.remove("style");
            map.remove("explode");
        }
    }
}

// ---------------------------------------------------------------- markers

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The marked schema becomes a reference to the named one; its description
/// and nullability stay on the property.
fn refer(schema: &mut Value, name: &str) {
    let mut out = Map::new();
    out.insert("allOf".into(), json!([schema_ref(name)]));
    for key in ["description", "nullable"] {
        if let Some(v) = schema.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    *schema = Value::Object(out);
}

/// The marker on a schema or a parameter, and the schema it applies to (the
/// items of an array parameter).
fn marker(holder: &Value, key: &str) -> Option<String> {
    holder.get(key).and_then(Value::as_str).map(String::from)
}

fn parameter_schema(param: &mut Value) -> Option<&mut Value> {
    let schema = param.get_mut("schema")?;
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return schema.get_mut("items");
    }
    Some(schema)
}

/// Replaces every marked schema by a reference to one named schema, and
/// creates the named schemas: a plain string for an id, the union of the
/// documented values for an enum.
fn named_by_markers(doc: &mut Value) {
    let mut enums: Vec<(String, Value)> = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut note = |name: &str, kind: &str, schema: &Value| {
        if kind == ID {
            ids.insert(name.to_string());
            return;
        }
        let values = schema
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        match enums.iter_mut().find(|(n, _)| n == name) {
            Some((_, named)) => {
                let list = named["enum"].as_array_mut().expect("enum list");
                for v in values {
                    if !list.contains(&v) {
                        list.push(v);
                    }
                }
            }
            None => {
                let mut named = json!({ "type": "string", "enum": values });
                if let Some(d) = schema.get("description") {
                    named["description"] = d.clone();
                }
                enums.push((name.to_string(), named));
            }
        }
    };
    walk_schemas(doc, &mut |schema| {
        for kind in [ID, ENUM] {
            if let Some(name) = marker(schema, kind) {
                note(&name, kind, schema);
                refer(schema, &name);
            }
        }
    });
    let mut params: Vec<&mut Value> = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, op) in item.iter_mut() {
                let list = if key == "parameters" {
                    op.as_array_mut()
                } else {
                    op.get_mut("parameters").and_then(Value::as_array_mut)
                };
                params.extend(list.into_iter().flatten());
            }
        }
    }
    for param in params {
        for kind in [ID, ENUM] {
            let Some(name) = marker(param, kind) else {
                continue;
            };
            if let Some(schema) = parameter_schema(param) {
                note(&name, kind, schema);
                *schema = schema_ref(&name);
            }
        }
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for name in ids {
        schemas.insert(name.clone(), json!({ "type": "string", ID: name }));
    }
    for (name, schema) in enums {
        // An enum the spec already names keeps its own definition.
        schemas.entry(name).or_insert(schema);
    }
}

/// The id schemas: each is replaced by the hand-written type of that name.
pub fn id_types(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get(ID).is_some())
        .map(|(name, _)| name.clone())
        .collect()
}

/// Calls `f(type name, object schema)` for every named object and every
/// object nested inline in one, named the way typify names types (an inline
/// object is `Parent` + `PropertyName`).
fn each_object(doc: &Value, f: &mut dyn FnMut(&str, &Value)) {
    fn visit(type_name: &str, schema: &Value, f: &mut dyn FnMut(&str, &Value)) {
        f(type_name, schema);
        let props = schema.get("properties").and_then(Value::as_object);
        for (prop, s) in props.into_iter().flatten() {
            if s.get("properties").is_some() {
                visit(
                    &format!("{type_name}{}", crate::convert::upper_camel(prop)),
                    s,
                    f,
                );
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        visit(name, schema, f);
    }
}

/// `(struct, field, other names)` for every property with aliases.
pub fn aliases(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    each_object(doc, &mut |type_name, schema| {
        let props = schema.get("properties").and_then(Value::as_object);
        for (prop, s) in props.into_iter().flatten() {
            if let Some(list) = s.get(ALIASES).and_then(Value::as_array) {
                let names = list.iter().filter_map(Value::as_str).map(String::from);
                out.push((type_name.to_string(), prop.clone(), names.collect()));
            }
        }
    });
    out
}

/// `(struct, required properties)` for every request payload (an object
/// named `…Payload…`): the arguments of its constructor, in the order of
/// the overlay's `x-mfkessai-new` or else of the spec's `required`.
pub fn constructors(doc: &Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    each_object(doc, &mut |type_name, schema| {
        if !type_name.contains("Payload") {
            return;
        }
        let order = schema.get(NEW).or_else(|| schema.get("required"));
        let names = order
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from);
        out.push((type_name.to_string(), names.collect()));
    });
    out
}

/// The named objects that are not request payloads and have `required`
/// properties (typify derives `Default` only for objects without), unless a
/// required property is an enum, which has no default value.
pub fn response_structs_with_required(doc: &Value) -> Vec<String> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let is_enum = |prop: &Value| {
        let target = prop
            .get("$ref")
            .or_else(|| prop.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|n| schemas.get(n));
        prop.get("enum").is_some() || target.is_some_and(|t| t.get("enum").is_some())
    };
    schemas
        .iter()
        .filter(|(name, s)| {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            !name.contains("Payload")
                && !required.is_empty()
                && !required
                    .iter()
                    .any(|r| s.pointer(&format!("/properties/{r}")).is_some_and(is_enum))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// What the generator emits about one operation (`raw::operations`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationMeta {
    /// The spec's `operationId`.
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template, as the spec writes it (`/customers/{customer_id}`).
    pub path: String,
    /// Whether sending it twice is harmless: a `GET`, or an operation the
    /// spec (or the overlay) marks `x-mfkessai-idempotent: true`.
    pub idempotent: bool,
}

/// Every operation of the document, in the document's order.
pub fn operations(doc: &Value) -> Vec<OperationMeta> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = Vec::new();
    let paths = doc.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let marked = op.get(IDEMPOTENT).and_then(Value::as_bool) == Some(true);
            out.push(OperationMeta {
                id: id.to_string(),
                method: method.to_uppercase(),
                path: path.clone(),
                idempotent: method == "get" || marked,
            });
        }
    }
    out
}
