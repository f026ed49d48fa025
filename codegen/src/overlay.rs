//! Applies `swagger.overlay.yaml` (OpenAPI Overlay 1.0) to the vendor's
//! Swagger 2.0 document, with the `roas-overlay` crate.
//!
//! The overlay holds what the SDK knows beyond the vendor's file: which
//! response properties are always sent, which strings are ids of which kind,
//! which enums are one concept, and the other names the reference uses for a
//! property. Applying it to the Swagger input (not to our OpenAPI 3
//! conversion) keeps it readable against the vendor's file, and lets a new
//! vendor file go through `make generate SPEC=…` unchanged.
//!
//! Every action must select something: a target that matches nothing means
//! the spec changed under the overlay, and every such target is reported by
//! name in one error.

use roas_overlay::apply::Apply;
use serde_json::Value;

use crate::Error;

/// The extension marking a string as an id of a kind (`CustomerId`, …).
pub const ID: &str = "x-mfkessai-id";
/// The extension naming the one enum a property or parameter belongs to.
pub const ENUM: &str = "x-mfkessai-enum";
/// The extension listing other names of a property, accepted when decoding.
pub const ALIASES: &str = "x-mfkessai-aliases";
/// The extension giving the order of a payload constructor's arguments (the
/// payload's `required` properties).
pub const NEW: &str = "x-mfkessai-new";
/// The extension marking an operation other than a `GET` as safe to send
/// twice (`x-mfkessai-idempotent: true` on the operation).
pub const IDEMPOTENT: &str = "x-mfkessai-idempotent";

/// Parses an overlay document (YAML or JSON).
pub fn parse(text: &str) -> Result<roas_overlay::v1_0::Overlay, Error> {
    serde_yaml_ng::from_str(text).map_err(|e| Error::Overlay(format!("cannot parse: {e}")))
}

/// Applies the overlay to `swagger` in place. Fails, naming every target,
/// when some actions select nothing.
pub fn apply(swagger: &mut Value, overlay_text: &str) -> Result<(), Error> {
    let overlay = parse(overlay_text)?;
    let report = overlay
        .apply(swagger, enumset::EnumSet::empty())
        .map_err(|e| Error::Overlay(e.to_string()))?;
    let dead: Vec<String> = report
        .actions
        .iter()
        .filter(|a| a.matched == 0)
        .map(|a| format!("actions[{}] {}", a.index, a.target))
        .collect();
    if !dead.is_empty() {
        return Err(Error::Overlay(format!(
            "{} target(s) no longer exist in the spec; update swagger.overlay.yaml:\n  {}",
            dead.len(),
            dead.join("\n  ")
        )));
    }
    check_required(swagger)
}

/// A `required` entry that names no property would make typify invent a
/// field; report it like a dead target.
fn check_required(swagger: &Value) -> Result<(), Error> {
    let mut wrong = Vec::new();
    let defs = swagger.get("definitions").and_then(Value::as_object);
    for (name, schema) in defs.into_iter().flatten() {
        let props = schema.get("properties").and_then(Value::as_object);
        let required = schema.get("required").and_then(Value::as_array);
        for r in required.into_iter().flatten().filter_map(Value::as_str) {
            if !props.is_some_and(|p| p.contains_key(r)) {
                wrong.push(format!(
                    "{name}.required: `{r}` is not a property of {name}"
                ));
            }
        }
        if let Some(order) = schema.get(NEW).and_then(Value::as_array) {
            let mut a: Vec<&Value> = order.iter().collect();
            let mut b: Vec<&Value> = required.into_iter().flatten().collect();
            a.sort_by_key(|v| v.to_string());
            b.sort_by_key(|v| v.to_string());
            if a != b {
                wrong.push(format!(
                    "{name}.{NEW} must list exactly its required properties"
                ));
            }
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(Error::Overlay(wrong.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_target_that_no_longer_exists_is_named() {
        let mut spec =
            json!({"definitions": {"Customer": {"properties": {"id": {"type": "string"}}}}});
        let overlay = r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - {target: $.definitions.Customer.properties.id, update: {x-mfkessai-id: CustomerId}}
  - {target: $.definitions.Gone.properties.id, update: {x-mfkessai-id: GoneId}}
"#;
        let err = apply(&mut spec, overlay).unwrap_err().to_string();
        assert!(err.contains("$.definitions.Gone.properties.id"), "{err}");
        assert!(!err.contains("Customer.properties"), "{err}");
    }

    #[test]
    fn a_required_name_that_is_no_property_is_named() {
        let mut spec =
            json!({"definitions": {"Customer": {"properties": {"id": {"type": "string"}}}}});
        let overlay = r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - {target: $.definitions.Customer, update: {required: [id, nmae]}}
"#;
        let err = apply(&mut spec, overlay).unwrap_err().to_string();
        assert!(
            err.contains("`nmae` is not a property of Customer"),
            "{err}"
        );
    }
}
