//! Answers checked against `generated/openapi.json` as JSON Schema, strictly:
//! types, formats, enums, nullability, required properties, and no property
//! the spec does not list (`additionalProperties: false` is added to every
//! object schema of this copy; the spec itself leaves it open).
//!
//! The OpenAPI 3.0 dialect is converted first: `nullable: true` becomes
//! "or null" (and, for a date, "or the empty string", as the reference
//! writes empty dates), and the keywords JSON Schema does not know are dropped.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// One answer that does not fit the spec.
#[derive(Debug, Clone)]
pub struct Violation {
    /// `operationId` (or `METHOD path` when no operation fits).
    pub operation: String,
    /// The answer's status.
    pub status: u16,
    /// The JSON path of the offending value (`""` for the whole body).
    pub path: String,
    /// The offending value.
    pub value: String,
    /// What the validator said.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} at {:?}: {} (value {})",
            self.operation, self.status, self.path, self.message, self.value
        )
    }
}

/// What checking one answer gave.
pub enum Checked {
    /// It fits its operation's schema for its status.
    Valid,
    /// Not an API answer: the control API, a signed file URL, a route the
    /// spec does not have.
    NotAnOperation,
    /// It does not fit.
    Invalid(Vec<Violation>),
}

struct Operation {
    id: String,
    method: String,
    template: String,
    /// status -> the validator of its JSON body (`None`: documented without a body).
    responses: BTreeMap<u16, Option<jsonschema::Validator>>,
}

/// Every operation's response validators.
pub struct Conformance {
    operations: Vec<Operation>,
    /// The schema of the 401 the reference describes in prose (not in the spec):
    /// an `Errors` array like the other 4xx.
    unauthorized: jsonschema::Validator,
}

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/generated/openapi.json"
    ))
    .expect("generated/openapi.json is readable");
    serde_json::from_str(&text).expect("generated/openapi.json parses")
}

/// The OpenAPI 3.0 schema object as a JSON Schema (draft 2020-12).
fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        if key.starts_with("x-")
            || matches!(
                key.as_str(),
                "nullable" | "example" | "description" | "readOnly" | "writeOnly" | "deprecated"
            )
        {
            continue;
        }
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), convert(property)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => convert(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(convert)
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    let formatted = out.contains_key("format");
    let out = Value::Object(out);
    match map.get("nullable") {
        // What the reference calls empty (空で返却されます, 空になります) it
        // writes as "" (curl-only file line 635: `"start_date": ""`), dates
        // included: a nullable date may be "" as well as null.
        Some(Value::Bool(true)) if formatted => {
            json!({"anyOf": [out, {"type": "null"}, {"const": ""}]})
        }
        Some(Value::Bool(true)) => json!({"anyOf": [out, {"type": "null"}]}),
        _ => out,
    }
}

impl Conformance {
    /// Loads and compiles the spec's response schemas.
    pub fn load() -> Conformance {
        let spec = spec();
        let components: Map<String, Value> = spec["components"]["schemas"]
            .as_object()
            .expect("components.schemas")
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema)))
            .collect();
        let components = json!({ "schemas": components });
        let compile = |schema: &Value| {
            let mut root = convert(schema);
            if let Value::Object(map) = &mut root {
                map.insert("components".into(), components.clone());
            }
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&root)
                .expect("the converted schema compiles")
        };
        let mut operations = Vec::new();
        for (template, item) in spec["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                let Some(responses) = op["responses"].as_object() else {
                    continue;
                };
                let responses = responses
                    .iter()
                    .filter_map(|(status, response)| {
                        let status: u16 = status.parse().ok()?;
                        let schema = &response["content"]["application/json"]["schema"];
                        Some((status, (!schema.is_null()).then(|| compile(schema))))
                    })
                    .collect();
                operations.push(Operation {
                    id: op["operationId"].as_str().unwrap_or(method).to_string(),
                    method: method.to_ascii_uppercase(),
                    template: template.clone(),
                    responses,
                });
            }
        }
        let unauthorized = compile(&json!({"$ref": "#/components/schemas/Errors"}));
        Conformance {
            operations,
            unauthorized,
        }
    }

    /// operationId -> the statuses the spec documents for it.
    pub fn documented_statuses(&self) -> Vec<(String, Vec<u16>)> {
        self.operations
            .iter()
            .map(|op| (op.id.clone(), op.responses.keys().copied().collect()))
            .collect()
    }

    /// How many operations the spec has.
    pub fn operation_count(&self) -> usize {
        self.operations.len()
    }

    /// The operationId of `method path` (`path` as requested, under `/v2`):
    /// a literal segment beats a parameter (`/billings/qualified`).
    pub fn operation_id(&self, method: &str, path: &str) -> Option<&str> {
        self.operation(method, path).map(|op| op.id.as_str())
    }

    fn operation(&self, method: &str, path: &str) -> Option<&Operation> {
        let path = path.strip_prefix("/v2")?;
        self.operations
            .iter()
            .filter(|op| op.method == method && matches(&op.template, path))
            .min_by_key(|op| op.template.matches('{').count())
    }

    /// Checks one answer: `body` must fit the schema documented for
    /// `status`; a status the operation does not document is a violation
    /// (except 401, which the reference documents in prose for every call).
    pub fn check(&self, method: &str, path: &str, status: u16, body: &str) -> Checked {
        let Some(op) = self.operation(method, path) else {
            return Checked::NotAnOperation;
        };
        let violation = |path: String, value: String, message: String| Violation {
            operation: op.id.clone(),
            status,
            path,
            value,
            message,
        };
        let validator = match op.responses.get(&status) {
            Some(Some(validator)) => validator,
            Some(None) => {
                return if body.trim().is_empty() {
                    Checked::Valid
                } else {
                    Checked::Invalid(vec![violation(
                        String::new(),
                        short(body),
                        "a body where the spec documents none".into(),
                    )])
                };
            }
            None if status == 401 => &self.unauthorized,
            None => {
                return Checked::Invalid(vec![violation(
                    String::new(),
                    short(body),
                    "a status the operation does not document".into(),
                )])
            }
        };
        let value: Value = match serde_json::from_str(body) {
            Ok(value) => value,
            Err(e) => {
                return Checked::Invalid(vec![violation(
                    String::new(),
                    short(body),
                    format!("not JSON: {e}"),
                )])
            }
        };
        let errors: Vec<Violation> = validator
            .iter_errors(&value)
            .map(|e| {
                let at = e.instance_path().to_string();
                let found = value
                    .pointer(&at)
                    .map(|v| short(&v.to_string()))
                    .unwrap_or_default();
                violation(at, found, e.to_string())
            })
            .collect();
        if errors.is_empty() {
            Checked::Valid
        } else {
            Checked::Invalid(errors)
        }
    }
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(160).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// Whether a request path fits a path template; `{issue_id}` holds a slash
/// (`i/79NR-AP96`), so it spans two segments.
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut j = 0;
    for seg in &t {
        let Some(actual) = p.get(j) else {
            return false;
        };
        if *seg == "{issue_id}" {
            j += 2;
        } else if seg.starts_with('{') || seg == actual {
            j += 1;
        } else {
            return false;
        }
    }
    j == p.len()
}

/// The tally of many checks.
#[derive(Default)]
pub struct Tally {
    /// Answers that fit.
    pub valid: usize,
    /// Answers that did not.
    pub invalid: usize,
    /// Answers that were not API answers (skipped).
    pub skipped: usize,
    /// Every violation found.
    pub violations: Vec<Violation>,
    /// operationId -> statuses validated.
    pub seen: BTreeMap<String, std::collections::BTreeSet<u16>>,
}

impl Tally {
    /// Adds one answer.
    pub fn add(
        &mut self,
        conformance: &Conformance,
        method: &str,
        path: &str,
        status: u16,
        body: &str,
    ) {
        if let Some(id) = conformance.operation_id(method, path) {
            self.seen.entry(id.to_string()).or_default().insert(status);
        }
        match conformance.check(method, path, status, body) {
            Checked::Valid => self.valid += 1,
            Checked::NotAnOperation => self.skipped += 1,
            Checked::Invalid(v) => {
                self.invalid += 1;
                self.violations.extend(v);
            }
        }
    }

    /// A report of the violations, one line each, the same ones once.
    pub fn report(&self) -> String {
        let mut lines: Vec<String> = self.violations.iter().map(|v| v.to_string()).collect();
        lines.sort();
        let mut counted: Vec<(String, usize)> = Vec::new();
        for line in lines {
            match counted.last_mut() {
                Some((last, n)) if *last == line => *n += 1,
                _ => counted.push((line, 1)),
            }
        }
        counted
            .into_iter()
            .map(|(line, n)| format!("  {n:>4} x {line}\n"))
            .collect()
    }
}
