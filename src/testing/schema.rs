//! The documented shape of every answer. The generated types skip `None`
//! fields and empty arrays when they serialize, which is right for request
//! bodies but would make the fake's answers thinner than the API's: its
//! examples show every property, empty ones included. Before an answer
//! leaves, each documented property it lacks is written back as `null`
//! (or `[]` for arrays), following the operation's schema in the spec the
//! raw client was generated from.

use std::sync::OnceLock;

use serde_json::{Map, Value};

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        serde_json::from_str(include_str!("../../generated/openapi.json")).unwrap_or(Value::Null)
    })
}

/// Adds the documented properties `body` lacks, for the 200 answer of
/// `method path` (`path` as requested, under `/v2`).
pub(crate) fn complete(method: &str, path: &str, body: &mut Value) {
    let Some(path) = path.strip_prefix("/v2") else {
        return;
    };
    let Some(paths) = spec()["paths"].as_object() else {
        return;
    };
    // A literal segment beats a parameter: `/billings/qualified`.
    let Some(template) = paths
        .keys()
        .filter(|t| matches(t, path))
        .min_by_key(|t| t.matches('{').count())
    else {
        return;
    };
    let schema = &paths[template][method.to_ascii_lowercase()]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    fill(body, schema, 0);
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

/// `$ref` and the `allOf: [$ref]` the spec uses for nullable references.
fn resolve(schema: &Value) -> &Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return &spec()["components"]["schemas"][name];
    }
    match schema["allOf"].as_array().map(Vec::as_slice) {
        Some([only]) => resolve(only),
        _ => schema,
    }
}

fn fill(value: &mut Value, schema: &Value, depth: usize) {
    // The schemas are not recursive, but a bound costs nothing.
    if depth > 16 {
        return;
    }
    let schema = resolve(schema);
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema["properties"].as_object() {
                fill_object(map, properties, depth);
            }
        }
        Value::Array(items) => {
            for item in items {
                fill(item, &schema["items"], depth + 1);
            }
        }
        _ => {}
    }
}

fn fill_object(map: &mut Map<String, Value>, properties: &Map<String, Value>, depth: usize) {
    for (name, property) in properties {
        match map.get_mut(name) {
            Some(present) => fill(present, property, depth + 1),
            None => {
                let empty = if resolve(property)["type"] == "array" {
                    Value::Array(Vec::new())
                } else {
                    Value::Null
                };
                map.insert(name.clone(), empty);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_properties_come_back_empty() {
        let mut body = serde_json::json!({"id": "7679-YW36", "object": "destination"});
        complete("GET", "/v2/destinations/7679-YW36", &mut body);
        assert_eq!(body["cc_emails"], serde_json::json!([]));
        assert!(body.as_object().unwrap().contains_key("address2"));
        assert_eq!(body["id"], "7679-YW36");

        let mut list =
            serde_json::json!({"object": "list", "items": [{"id": "A"}], "pagination": {}});
        complete("GET", "/v2/billings/qualified", &mut list);
        assert_eq!(list["items"][0]["invoice_ids"], serde_json::json!([]));
        assert!(list["pagination"]
            .as_object()
            .unwrap()
            .contains_key("has_next"));
    }

    #[test]
    fn paths_match_their_templates() {
        assert!(matches(
            "/billings/{billing_id}/issues/{issue_id}/download_signed_url",
            "/billings/A/issues/i/B/download_signed_url"
        ));
        assert!(matches("/billings/{billing_id}", "/billings/qualified"));
        assert!(!matches("/customers", "/customers/A"));
    }
}
