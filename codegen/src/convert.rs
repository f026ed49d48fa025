//! Swagger 2.0 → OpenAPI 3.0.3, as a pure function on JSON values.
//!
//! The conversion is faithful: it changes the document's shape, never its
//! meaning. Everything that exists only to please progenitor lives in
//! [`crate::adjust`], so the converted document in `generated/openapi.json`
//! is a correct OpenAPI 3 rendering of the vendor's file that any other tool
//! can read.

use serde_json::{json, Map, Value};

use crate::Error;

/// Converts a Swagger 2.0 document into an OpenAPI 3.0.3 document.
///
/// Handles `definitions`, global `parameters` and `responses`, path-level
/// parameters (merged into every operation, operation-level ones winning),
/// `in: body` and `in: formData` (→ `requestBody`), `collectionFormat`
/// (→ `style`/`explode`), responses (→ `content` per `produces`),
/// `x-nullable` (→ `nullable`, wrapping `$ref`s in `allOf`),
/// `securityDefinitions`, `host`/`basePath`/`schemes` (→ `servers`) and
/// operations without an `operationId`.
pub fn swagger2_to_openapi3(swagger: &Value) -> Result<Value, Error> {
    let root = swagger
        .as_object()
        .ok_or_else(|| Error::Spec("the document is not a mapping".into()))?;
    match root.get("swagger").and_then(version_string).as_deref() {
        Some("2.0") => {}
        other => {
            return Err(Error::Spec(format!(
                "expected `swagger: '2.0'`, found {}",
                other.unwrap_or("nothing")
            )))
        }
    }

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        root.get("info")
            .cloned()
            .unwrap_or_else(|| json!({"title": "API", "version": "0"})),
    );
    out.insert("servers".into(), Value::Array(servers(root)));
    for key in ["tags", "externalDocs", "security"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    copy_extensions(root, &mut out);

    let ctx = Context {
        consumes: string_list(root.get("consumes"))
            .unwrap_or_else(|| vec!["application/json".into()]),
        produces: string_list(root.get("produces"))
            .unwrap_or_else(|| vec!["application/json".into()]),
        global_parameters: root
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };

    let mut paths = Map::new();
    if let Some(src) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in src {
            if path.starts_with("x-") {
                paths.insert(path.clone(), item.clone());
                continue;
            }
            paths.insert(path.clone(), convert_path_item(&ctx, path, item)?);
        }
    }
    out.insert("paths".into(), Value::Object(paths));

    let mut components = Map::new();
    if let Some(defs) = root.get("definitions").and_then(Value::as_object) {
        let schemas: Map<String, Value> = defs
            .iter()
            .map(|(k, v)| (k.clone(), convert_schema(v)))
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    let mut parameters = Map::new();
    let mut request_bodies = Map::new();
    for (name, param) in &ctx.global_parameters {
        match param.get("in").and_then(Value::as_str) {
            Some("body") => {
                request_bodies.insert(name.clone(), body_to_request_body(param, &ctx.consumes));
            }
            Some("formData") => {
                return Err(Error::Spec(format!(
                    "global formData parameter `{name}` cannot be expressed in OpenAPI 3; declare it on the operation"
                )))
            }
            _ => {
                parameters.insert(name.clone(), convert_parameter(param)?);
            }
        }
    }
    if !parameters.is_empty() {
        components.insert("parameters".into(), Value::Object(parameters));
    }
    if !request_bodies.is_empty() {
        components.insert("requestBodies".into(), Value::Object(request_bodies));
    }
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        let converted: Map<String, Value> = responses
            .iter()
            .map(|(k, v)| (k.clone(), convert_response(v, &ctx.produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(defs) = root.get("securityDefinitions").and_then(Value::as_object) {
        let schemes = defs
            .iter()
            .map(|(k, v)| Ok((k.clone(), convert_security_scheme(k, v)?)))
            .collect::<Result<Map<_, _>, Error>>()?;
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    out.insert("components".into(), Value::Object(components));
    Ok(Value::Object(out))
}

struct Context {
    consumes: Vec<String>,
    produces: Vec<String>,
    global_parameters: Map<String, Value>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// YAML reads `swagger: 2.0` (unquoted) as a float; accept both spellings.
fn version_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => n.as_f64().map(|f| format!("{f:.1}")),
        _ => None,
    }
}

fn string_list(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array().map(|a| {
        a.iter()
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    })
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (k, v) in from {
        if k.starts_with("x-") {
            to.insert(k.clone(), v.clone());
        }
    }
}

fn servers(root: &Map<String, Value>) -> Vec<Value> {
    let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        // Without a host, OpenAPI 3 resolves the URL against the document's location.
        let url = if base_path.is_empty() { "/" } else { base_path };
        return vec![json!({ "url": url })];
    };
    let schemes = string_list(root.get("schemes")).unwrap_or_else(|| vec!["https".into()]);
    schemes
        .iter()
        .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
        .collect()
}

/// Rewrites a Swagger 2.0 reference into its OpenAPI 3 location.
fn rewrite_ref(r: &str) -> String {
    for (from, to) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = r.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    r.to_string()
}

/// Identity of a parameter for merging: (`in`, `name`), resolving global `$ref`s.
fn parameter_key(ctx: &Context, p: &Value) -> Result<(String, String), Error> {
    let resolved = resolve_parameter(ctx, p)?;
    let get = |k: &str| {
        resolved
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Ok((get("in"), get("name")))
}

fn resolve_parameter<'a>(ctx: &'a Context, p: &'a Value) -> Result<&'a Value, Error> {
    match p.get("$ref").and_then(Value::as_str) {
        None => Ok(p),
        Some(r) => {
            let name = r.strip_prefix("#/parameters/").ok_or_else(|| {
                Error::Spec(format!(
                    "parameter reference `{r}` does not point into #/parameters/"
                ))
            })?;
            ctx.global_parameters
                .get(name)
                .ok_or_else(|| Error::Spec(format!("parameter reference `{r}` is not defined")))
        }
    }
}

fn convert_path_item(ctx: &Context, path: &str, item: &Value) -> Result<Value, Error> {
    let item = item
        .as_object()
        .ok_or_else(|| Error::Spec(format!("path `{path}` is not a mapping")))?;
    let path_params: Vec<Value> = item
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Map::new();
    for (key, value) in item {
        if METHODS.contains(&key.as_str()) {
            out.insert(
                key.clone(),
                convert_operation(ctx, path, key, value, &path_params)?,
            );
        } else if key.starts_with("x-") || key == "summary" || key == "description" {
            out.insert(key.clone(), value.clone());
        } else if key == "$ref" {
            return Err(Error::Spec(format!(
                "path `{path}` is an external $ref; resolve it before conversion"
            )));
        }
    }
    Ok(Value::Object(out))
}

fn convert_operation(
    ctx: &Context,
    path: &str,
    method: &str,
    op: &Value,
    path_params: &[Value],
) -> Result<Value, Error> {
    let op_map = op
        .as_object()
        .ok_or_else(|| Error::Spec(format!("{method} {path} is not a mapping")))?;
    let consumes = string_list(op_map.get("consumes")).unwrap_or_else(|| ctx.consumes.clone());
    let produces = string_list(op_map.get("produces")).unwrap_or_else(|| ctx.produces.clone());

    // Operation-level parameters override path-level ones with the same (in, name).
    let own: Vec<Value> = op_map
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let own_keys = own
        .iter()
        .map(|p| parameter_key(ctx, p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut merged = Vec::new();
    for p in path_params {
        if !own_keys.contains(&parameter_key(ctx, p)?) {
            merged.push(p.clone());
        }
    }
    merged.extend(own);

    let mut out = Map::new();
    for key in [
        "tags",
        "summary",
        "description",
        "externalDocs",
        "deprecated",
        "security",
    ] {
        if let Some(v) = op_map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let operation_id = op_map
        .get("operationId")
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| synthesize_operation_id(method, path));
    out.insert("operationId".into(), json!(operation_id));

    let mut parameters = Vec::new();
    let mut form_fields = Vec::new();
    for p in &merged {
        let resolved = resolve_parameter(ctx, p)?;
        match resolved.get("in").and_then(Value::as_str) {
            Some("body") => {
                let body = if let Some(r) = p.get("$ref").and_then(Value::as_str) {
                    json!({ "$ref": r.replace("#/parameters/", "#/components/requestBodies/") })
                } else {
                    body_to_request_body(resolved, &consumes)
                };
                out.insert("requestBody".into(), body);
            }
            Some("formData") => form_fields.push(resolved.clone()),
            Some(_) => parameters.push(match p.get("$ref").and_then(Value::as_str) {
                Some(r) => json!({ "$ref": rewrite_ref(r) }),
                None => convert_parameter(p)?,
            }),
            None => {
                return Err(Error::Spec(format!(
                    "{method} {path}: a parameter has no `in`"
                )))
            }
        }
    }
    if !form_fields.is_empty() {
        out.insert(
            "requestBody".into(),
            form_data_to_request_body(&form_fields, &consumes),
        );
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }

    let mut responses = Map::new();
    if let Some(src) = op_map.get("responses").and_then(Value::as_object) {
        for (status, response) in src {
            if status.starts_with("x-") {
                responses.insert(status.clone(), response.clone());
            } else {
                responses.insert(status.clone(), convert_response(response, &produces));
            }
        }
    }
    out.insert("responses".into(), Value::Object(responses));
    copy_extensions(op_map, &mut out);
    Ok(Value::Object(out))
}

/// `GET /billings/{billing_id}/issues` → `GetBillingsBillingIdIssues`, in the
/// vendor's UpperCamelCase, verb-first style.
pub fn synthesize_operation_id(method: &str, path: &str) -> String {
    let mut id = upper_camel(method);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push_str(&upper_camel(
            segment.trim_start_matches('{').trim_end_matches('}'),
        ));
    }
    id
}

pub(crate) fn upper_camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect()
}

/// Keys of a Swagger 2.0 non-body parameter that belong in OpenAPI 3's `schema`.
const SCHEMA_KEYS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

fn convert_parameter(p: &Value) -> Result<Value, Error> {
    let src = p
        .as_object()
        .ok_or_else(|| Error::Spec("a parameter is not a mapping".into()))?;
    let location = src.get("in").and_then(Value::as_str).unwrap_or_default();
    let name = src.get("name").and_then(Value::as_str).unwrap_or_default();
    let mut out = Map::new();
    for key in ["name", "in", "description", "required", "allowEmptyValue"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if location == "path" {
        out.insert("required".into(), json!(true));
    }
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(v) = src.get(key) {
            schema.insert(key.into(), v.clone());
        }
    }
    if src.get("type").and_then(Value::as_str) == Some("array") {
        // Swagger 2.0 defaults to CSV; OpenAPI 3 defaults to repeated keys, so
        // the style must always be written out to keep the wire format.
        let format = src
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let (style, explode) = match (location, format) {
            ("query", "multi") => ("form", true),
            ("query", "csv") => ("form", false),
            ("query", "ssv") => ("spaceDelimited", false),
            ("query", "pipes") => ("pipeDelimited", false),
            ("path" | "header", "csv") => ("simple", false),
            (_, "multi") => {
                return Err(Error::Spec(format!(
                    "parameter `{name}`: collectionFormat multi is only valid in query or formData"
                )))
            }
            (_, other) => {
                return Err(Error::Spec(format!(
                    "parameter `{name}` ({location}): collectionFormat `{other}` has no OpenAPI 3 equivalent"
                )))
            }
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    out.insert("schema".into(), convert_schema(&Value::Object(schema)));
    copy_extensions(src, &mut out);
    Ok(Value::Object(out))
}

fn body_to_request_body(p: &Value, consumes: &[String]) -> Value {
    let schema = convert_schema(p.get("schema").unwrap_or(&json!({})));
    let content: Map<String, Value> = consumes
        .iter()
        .map(|mime| (mime.clone(), json!({ "schema": schema.clone() })))
        .collect();
    let mut out = Map::new();
    if let Some(d) = p.get("description") {
        out.insert("description".into(), d.clone());
    }
    out.insert("content".into(), Value::Object(content));
    out.insert(
        "required".into(),
        json!(p.get("required").and_then(Value::as_bool).unwrap_or(false)),
    );
    if let Some(name) = p.get("name") {
        out.insert("x-body-name".into(), name.clone());
    }
    Value::Object(out)
}

fn form_data_to_request_body(fields: &[Value], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for f in fields {
        let name = f
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut schema = Map::new();
        for key in SCHEMA_KEYS {
            if let Some(v) = f.get(key) {
                schema.insert(key.into(), v.clone());
            }
        }
        if let Some(d) = f.get("description") {
            schema.insert("description".into(), d.clone());
        }
        has_file |= f.get("type").and_then(Value::as_str) == Some("file");
        if f.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        properties.insert(name, convert_schema(&Value::Object(schema)));
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mimes: Vec<String> = consumes
        .iter()
        .filter(|m| {
            m.as_str() == "multipart/form-data" || m.as_str() == "application/x-www-form-urlencoded"
        })
        .cloned()
        .collect();
    let mimes = if mimes.is_empty() {
        vec![if has_file {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        }
        .to_string()]
    } else {
        mimes
    };
    let content: Map<String, Value> = mimes
        .into_iter()
        .map(|m| (m, json!({ "schema": schema.clone() })))
        .collect();
    json!({ "content": content })
}

fn convert_response(r: &Value, produces: &[String]) -> Value {
    if let Some(reference) = r.get("$ref").and_then(Value::as_str) {
        return json!({ "$ref": rewrite_ref(reference) });
    }
    let mut out = Map::new();
    out.insert(
        "description".into(),
        r.get("description").cloned().unwrap_or_else(|| json!("")),
    );
    if let Some(schema) = r.get("schema") {
        let schema = convert_schema(schema);
        let examples = r.get("examples").and_then(Value::as_object);
        let content: Map<String, Value> = produces
            .iter()
            .map(|mime| {
                let mut media = json!({ "schema": schema.clone() });
                if let Some(example) = examples.and_then(|e| e.get(mime)) {
                    media["example"] = example.clone();
                }
                (mime.clone(), media)
            })
            .collect();
        out.insert("content".into(), Value::Object(content));
    }
    if let Some(headers) = r.get("headers").and_then(Value::as_object) {
        let converted: Map<String, Value> = headers
            .iter()
            .map(|(name, h)| {
                let mut header = Map::new();
                if let Some(d) = h.get("description") {
                    header.insert("description".into(), d.clone());
                }
                let mut schema = Map::new();
                for key in SCHEMA_KEYS {
                    if let Some(v) = h.get(key) {
                        schema.insert(key.into(), v.clone());
                    }
                }
                header.insert("schema".into(), convert_schema(&Value::Object(schema)));
                (name.clone(), Value::Object(header))
            })
            .collect();
        out.insert("headers".into(), Value::Object(converted));
    }
    if let Some(m) = r.as_object() {
        copy_extensions(m, &mut out);
    }
    Value::Object(out)
}

/// Converts a Swagger 2.0 schema object (recursively).
pub fn convert_schema(schema: &Value) -> Value {
    let Some(src) = schema.as_object() else {
        return schema.clone();
    };
    let nullable = src.get("x-nullable").and_then(Value::as_bool) == Some(true);

    if let Some(reference) = src.get("$ref").and_then(Value::as_str) {
        let target = json!({ "$ref": rewrite_ref(reference) });
        // OpenAPI 3.0 ignores siblings of `$ref`, so a nullable (or described)
        // reference must be wrapped to keep its meaning.
        let siblings: Vec<(&String, &Value)> = src
            .iter()
            .filter(|(k, _)| k.as_str() != "$ref" && k.as_str() != "x-nullable")
            .collect();
        if !nullable && siblings.is_empty() {
            return target;
        }
        let mut out = Map::new();
        out.insert("allOf".into(), json!([target]));
        for (k, v) in siblings {
            out.insert(k.clone(), v.clone());
        }
        if nullable {
            out.insert("nullable".into(), json!(true));
        }
        return Value::Object(out);
    }

    let mut out = Map::new();
    for (key, value) in src {
        match key.as_str() {
            "x-nullable" => {}
            "properties" => {
                let props = value
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), convert_schema(v)))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "not" => {
                out.insert(key.clone(), convert_schema(value));
            }
            "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), convert_schema(value));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let list = value
                    .as_array()
                    .map(|a| a.iter().map(convert_schema).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(list));
            }
            "type" if value.as_str() == Some("file") => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            "discriminator" if value.is_string() => {
                out.insert(key.clone(), json!({ "propertyName": value }));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if nullable {
        out.insert("nullable".into(), json!(true));
    }
    Value::Object(out)
}

fn convert_security_scheme(name: &str, s: &Value) -> Result<Value, Error> {
    let kind = s.get("type").and_then(Value::as_str).unwrap_or_default();
    let mut out = match kind {
        "apiKey" => json!({ "type": "apiKey", "in": s.get("in"), "name": s.get("name") }),
        "basic" => json!({ "type": "http", "scheme": "basic" }),
        "oauth2" => {
            let flow = s.get("flow").and_then(Value::as_str).unwrap_or_default();
            let flow_name = match flow {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                other => {
                    return Err(Error::Spec(format!(
                        "security scheme `{name}`: unknown oauth2 flow `{other}`"
                    )))
                }
            };
            let mut f = Map::new();
            for (from, to) in [
                ("authorizationUrl", "authorizationUrl"),
                ("tokenUrl", "tokenUrl"),
            ] {
                if let Some(v) = s.get(from) {
                    f.insert(to.into(), v.clone());
                }
            }
            f.insert(
                "scopes".into(),
                s.get("scopes").cloned().unwrap_or_else(|| json!({})),
            );
            json!({ "type": "oauth2", "flows": { flow_name: f } })
        }
        other => {
            return Err(Error::Spec(format!(
                "security scheme `{name}` has unknown type `{other}`"
            )))
        }
    };
    if let Some(d) = s.get("description") {
        out["description"] = d.clone();
    }
    Ok(out)
}
