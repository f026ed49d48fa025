//! Helpers shared by the integration tests.
#![allow(dead_code)]

use serde_json::Value;

#[cfg(feature = "testing")]
pub mod fake;

/// swagger.yaml, parsed.
pub fn swagger() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/swagger.yaml"))
        .expect("swagger.yaml is readable");
    serde_yaml_ng::from_str(&text).expect("swagger.yaml parses")
}

/// (operationId, METHOD, path, name of the 200 schema) for every operation.
pub fn operations() -> Vec<(String, String, String, String)> {
    let spec = swagger();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if method == "parameters" {
                continue;
            }
            let schema = op["responses"]["200"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            out.push((
                op["operationId"].as_str().expect("operationId").to_string(),
                method.to_uppercase(),
                path.clone(),
                schema,
            ));
        }
    }
    out
}

/// The operationId of every list operation of swagger.yaml: those whose 200
/// schema has `items` and `pagination` (the generator's test, made here
/// from the Swagger 2.0 file itself).
pub fn list_operations() -> Vec<String> {
    let spec = swagger();
    operations()
        .into_iter()
        .filter(|(_, _, _, schema)| {
            let props = &spec["definitions"][schema.as_str()]["properties"];
            props.get("items").is_some() && props.get("pagination").is_some()
        })
        .map(|(id, ..)| id)
        .collect()
}

/// `GetCustomersList` → `get_customers_list`, as progenitor names methods.
pub fn snake_case(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
