//! The post-pass on progenitor's output, checked on the mini spec.

const OVERLAY: &str = include_str!("fixtures/mini_overlay.yaml");

fn generated() -> String {
    let spec = include_str!("fixtures/mini_swagger.yaml");
    mfkessai_codegen::generate(spec, OVERLAY)
        .expect("mini spec generates")
        .rust
}

#[test]
fn enums_are_open_and_non_exhaustive() {
    let rust = generated();
    // Every string enum is an invocation of the crate's one `open_enum!`,
    // which adds `Unknown(String)`, `#[non_exhaustive]` and the conversions.
    let start = rust.find("pub enum TaxRateType").expect("enum generated");
    let before = &rust[..start];
    let invocation = before
        .rfind("crate::open_enum::open_enum!")
        .expect("an open_enum! invocation");
    assert!(!before[invocation..].contains('}'), "the enum is inside it");
    let body = &rust[start..start + rust[start..].find('}').unwrap()];
    assert!(
        body.contains("=>"),
        "variants carry their wire strings: {body}"
    );
    for left in [
        "Deserialize<'de> for TaxRateType",
        "Display for TaxRateType",
    ] {
        assert!(!rust.contains(left), "the macro implements {left}");
    }
    assert!(!rust.contains("Unknown(::std::string::String)"));
}

#[test]
fn date_times_keep_offsets_and_numbers_are_decimals() {
    let rust = generated();
    assert!(!rust.contains("offset::Utc"), "no DateTime<Utc> left");
    assert!(rust.contains("::chrono::DateTime<::chrono::FixedOffset>"));
    assert!(!rust.contains("f64"), "no f64 left");
    assert!(rust.contains("with = \"crate::wire::decimal_opt\""));
}

#[test]
fn arrays_accept_null_and_no_api_version_header_is_sent() {
    let rust = generated();
    assert!(rust.contains("de::null_as_empty(&mut map"));
    assert!(!rust.contains("api-version"));
}

#[test]
fn listed_path_parameters_keep_slashes_and_others_do_not() {
    // prettyplease spaces macro arguments freely; compare without whitespace.
    let rust: String = generated().split_whitespace().collect();
    assert!(rust.contains("encode_path(&issue_id.to_string()).replace(\"%2F\",\"/\")"));
    assert!(!rust.contains("encode_path(&thing_id.to_string()).replace"));
}

#[test]
fn error_code_is_the_crate_type() {
    let rust = generated();
    assert!(rust.contains("pub use crate::ErrorCode;"));
    assert!(!rust.contains("pub enum ErrorCode"));
}

#[test]
fn progenitor_panics_become_errors() {
    // Two differently typed error bodies used to make progenitor panic; the
    // adjustment keeps one, so this spec now generates.
    let spec = include_str!("fixtures/mini_swagger.yaml").replace(
        "'409': {description: conflict, schema: {$ref: '#/definitions/Errors'}}",
        "'409': {description: conflict, schema: {$ref: '#/definitions/Thing'}}\n        '429': {description: slow}\n        default: {description: other, schema: {type: string}}",
    );
    let rust = mfkessai_codegen::generate(&spec, OVERLAY)
        .expect("adjusted spec generates")
        .rust;
    // The 400 (the lowest status of the tie) keeps its typed error body.
    assert!(rust.contains("Error<types::Errors>"));
}

#[test]
fn no_struct_builders_and_bodies_are_the_payload_type() {
    let rust = generated();
    assert!(
        !rust.contains("mod builder {\n        pub struct Thing"),
        "typify's struct builders are gone"
    );
    assert!(!rust.contains("types::builder::"));
    assert!(!rust.contains("fn body_map"));
    assert!(rust.contains("body: Result<types::ThingPayload, String>"));
    assert!(rust.contains("body: Err(\"body was not initialized\".to_string())"));
}

#[test]
fn the_overlay_types_ids_requires_fields_and_adds_aliases() {
    let rust = generated();
    assert!(
        rust.contains("pub id: crate::ids::ThingId,"),
        "required id, typed"
    );
    assert!(
        rust.contains("V: std::convert::TryInto<crate::ids::ThingId>"),
        "path parameter typed"
    );
    assert!(
        rust.contains("| \"telephone\" =>"),
        "an alias is another arm of its field"
    );
    assert!(rust.contains("pub enum ThingStatus"));
    assert!(rust.contains("pub status: ::std::option::Option<ThingStatus>"));
}

#[test]
fn empty_strings_are_none_for_every_option_field() {
    let rust = generated();
    let start = rust.find("pub struct Thing {").unwrap();
    let thing = &rust[start..start + rust[start..].find("\n    }").unwrap()];
    let options = thing.matches(": ::std::option::Option<").count();
    let start = rust
        .find("impl<'de> ::serde::Deserialize<'de> for Thing {")
        .expect("Thing's decoder");
    let decoder = &rust[start..start + rust[start..].find("\n    }\n").unwrap()];
    let adapted =
        decoder.matches("de::empty_as_none(").count() + decoder.matches("de::decimal_opt(").count();
    assert_eq!(options, adapted, "{decoder}");
}

#[test]
fn decoders_are_written_out_not_derived() {
    let rust = generated();
    // Only newtypes (`#[serde(transparent)]`) keep serde's derive.
    for (at, _) in rust.match_indices("#[derive(::serde::Deserialize") {
        let next = &rust[at..at + rust[at..].find("pub struct").unwrap()];
        assert!(next.contains("#[serde(transparent)]"), "{next}");
    }
    let decoders = rust
        .matches("impl<'de> ::serde::Deserialize<'de> for ")
        .count();
    assert!(decoders > 0);
    // The attributes only decoding read are gone; Serialize's remain.
    assert!(!rust.contains("deserialize_with"));
    assert!(!rust.contains("#[serde(default"));
    assert!(rust.contains("skip_serializing_if"));
}

#[test]
fn every_operation_gets_its_metadata_and_its_builder_names_it() {
    let rust = generated();
    assert!(rust.contains("pub mod operations {"));
    assert!(rust.contains("pub const ALL: &[crate::wire::Operation]"));
    // OperationInfo carries the spec's operationId, not progenitor's snake case.
    assert!(!rust.contains("operation_id: \"get_"), "{rust}");
    let builders = rust
        .matches("impl<'a> crate::wire::SendOperation for ")
        .count();
    assert!(builders > 0);
    assert_eq!(builders, rust.matches("let info = OperationInfo").count());
    // Undecodable bodies keep their status.
    assert!(!rust.contains("ResponseValue::from_response"));
    assert!(rust.contains("crate::wire::decode(response)"));
}
