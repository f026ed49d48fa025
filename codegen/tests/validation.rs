//! `raw::validation`: the request checks come from the spec's keywords, with
//! the overlay's error codes, and move when the spec moves.

const SPEC: &str = include_str!("fixtures/mini_swagger.yaml");
const OVERLAY: &str = include_str!("fixtures/mini_overlay.yaml");

fn generated(spec: &str, overlay: &str) -> Result<String, String> {
    mfkessai_codegen::generate(spec, overlay)
        .map(|g| g.rust)
        .map_err(|e| e.to_string())
}

/// The body of the generated `Validate` impl of `ThingPayload`.
fn thing_payload_impl(rust: &str) -> String {
    let start = rust
        .find("impl crate::validate::Validate for super::types::ThingPayload")
        .expect("ThingPayload gets a Validate impl");
    let end = rust[start..].find("\n    }\n").expect("impl ends") + start;
    rust[start..end].to_string()
}

#[test]
fn a_max_length_in_the_spec_is_the_limit_checked() {
    let rust = generated(SPEC, OVERLAY).unwrap();
    let body = thing_payload_impl(&rust);
    // `name` is required (not blank) and at most 10 characters, answering
    // with the overlay's code.
    assert!(body.contains("crate::validate::required("), "{body}");
    assert!(
        body.contains("crate::ErrorCode::InvalidThingName"),
        "{body}"
    );
    assert!(body.contains("0usize,\n                10usize,"), "{body}");
    // `tel` is left to the server (`~`): its pattern is not checked.
    assert!(!body.contains("\"tel\""), "{body}");

    // Move the limit in the spec: the generated check moves with it.
    let moved = SPEC.replace(
        "name: {type: string, maxLength: 10}",
        "name: {type: string, minLength: 2, maxLength: 42}",
    );
    assert_ne!(
        moved, SPEC,
        "the fixture still has the limit this test moves"
    );
    let body = thing_payload_impl(&generated(&moved, OVERLAY).unwrap());
    assert!(body.contains("2usize,\n                42usize,"), "{body}");
    assert!(!body.contains("10usize"), "{body}");
}

#[test]
fn integer_bounds_become_a_range_check() {
    let spec = SPEC.replace(
        "unit_price: {type: number}\n  ThingsList",
        "unit_price: {type: number}\n      count: {type: integer, format: int64, minimum: 1, maximum: 99}\n  ThingsList",
    );
    assert_ne!(spec, SPEC);
    let overlay = OVERLAY.replace("tel: ~}", "tel: ~, count: invalid_thing_count}");
    let body = thing_payload_impl(&generated(&spec, &overlay).unwrap());
    assert!(body.contains("crate::validate::range("), "{body}");
    assert!(body.contains("InvalidThingCount"), "{body}");
    assert!(body.contains("1i64,\n                    99i64,"), "{body}");
}

#[test]
fn a_limit_without_an_error_code_fails_the_generation() {
    let overlay = OVERLAY.replace("name: invalid_thing_name, ", "");
    let err = generated(SPEC, &overlay).unwrap_err();
    assert!(err.contains("ThingPayload.name"), "{err}");
    assert!(err.contains("no error code"), "{err}");
}

#[test]
fn an_error_code_for_no_property_fails_the_generation() {
    let overlay = OVERLAY.replace(
        "name: invalid_thing_name",
        "name: invalid_thing_name, nmae: x",
    );
    let err = generated(SPEC, &overlay).unwrap_err();
    assert!(
        err.contains("`nmae` is not a property of ThingPayload"),
        "{err}"
    );
}

#[test]
fn a_pattern_cannot_be_checked_and_must_be_left_to_the_server_explicitly() {
    let overlay = OVERLAY.replace("tel: ~", "tel: invalid_thing_tel");
    let err = generated(SPEC, &overlay).unwrap_err();
    assert!(
        err.contains("ThingPayload.tel: `pattern` cannot be checked"),
        "{err}"
    );
}

#[test]
fn responses_get_no_validation() {
    let rust = generated(SPEC, OVERLAY).unwrap();
    assert!(!rust.contains("Validate for super::types::Thing {"));
    assert!(!rust.contains("Validate for super::types::ThingsList"));
}

/// The vendor spec: every request payload is covered, and each code the
/// overlay names is one the reference documents.
#[test]
fn the_vendor_payloads_have_rules_with_documented_codes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("swagger.yaml")).unwrap();
    let overlay = std::fs::read_to_string(root.join("swagger.overlay.yaml")).unwrap();
    let mut swagger = mfkessai_codegen::parse_swagger(&spec).unwrap();
    mfkessai_codegen::overlay::apply(&mut swagger, &overlay).unwrap();
    let openapi = mfkessai_codegen::convert::swagger2_to_openapi3(&swagger).unwrap();
    let rules = mfkessai_codegen::validation::request_rules(&openapi).unwrap();
    let names: Vec<&str> = rules.iter().map(|t| t.name.as_str()).collect();
    for payload in [
        "CustomerPayload",
        "CustomerPayloadDestination",
        "CustomerPayloadCustomerExamination",
        "CustomerPayloadCustomerExaminationExaminee",
        "CustomerUpdatePayload",
        "AccountTransferRequestPayload",
        "DestinationPayload",
        "DestinationUpdatePayload",
        "CustomerExaminationPayload",
        "TransactionPayload",
        "TransactionDetailPayload",
        "AmountPerTaxRateType",
        "ReissuingPayload",
        "CustomerNameUpdatePayload",
        "AuthorizationPayload",
    ] {
        assert!(names.contains(&payload), "{payload} missing from {names:?}");
    }
    let name = rules
        .iter()
        .find(|t| t.name == "CustomerPayload")
        .and_then(|t| t.fields.iter().find(|f| f.name == "name"))
        .unwrap();
    assert_eq!(name.code.as_deref(), Some("InvalidCustomerName"));
    assert!(name
        .checks
        .contains(&mfkessai_codegen::validation::Check::Length(1, 50)));

    // The reference's code table, as the crate keeps it.
    let index = std::fs::read_to_string(root.join("tests/fixtures/error_codes.json")).unwrap();
    for t in &rules {
        for f in &t.fields {
            if let Some(code) = &f.code {
                let snake = snake(code);
                assert!(
                    index.contains(&format!("\"{snake}\"")),
                    "{}.{}: {snake} is not a documented error code",
                    t.name,
                    f.name
                );
            }
        }
    }
}

fn snake(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
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
