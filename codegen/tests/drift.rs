//! generated/ must be exactly what the pipeline makes of swagger.yaml today.
//! On failure: `make generate`, review the diff, commit.

use std::path::Path;

#[test]
fn generated_directory_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("swagger.yaml")).unwrap();
    let overlay = std::fs::read_to_string(root.join("swagger.overlay.yaml")).unwrap();
    let fresh = mfkessai_codegen::generate(&spec, &overlay).expect("swagger.yaml generates");
    let read =
        |name: &str| std::fs::read_to_string(root.join("generated").join(name)).unwrap_or_default();
    let stale: Vec<&str> = [
        ("openapi.json", fresh.openapi_json.clone()),
        ("raw.rs", fresh.rust.clone()),
        ("swagger.sha256", fresh.spec_sha256.clone()),
    ]
    .iter()
    .filter(|(name, content)| read(name) != *content)
    .map(|(name, _)| *name)
    .collect();
    assert!(
        stale.is_empty(),
        "generated/{stale:?} is stale: run `make generate` and commit the result"
    );
}

#[test]
fn the_vendor_spec_converts_faithfully() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("swagger.yaml")).unwrap();
    let swagger = mfkessai_codegen::parse_swagger(&spec).unwrap();
    let openapi = mfkessai_codegen::convert::swagger2_to_openapi3(&swagger).unwrap();
    // Every operation survives with its id, and the cursor parameters stay shared.
    let ops: usize = openapi["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(ops, 39);
    assert_eq!(
        openapi["servers"][0]["url"],
        "https://sandbox-api.mfkessai.co.jp/v2"
    );
    assert_eq!(
        openapi["components"]["parameters"]["limit"]["schema"]["maximum"],
        200
    );
    let apikey = &openapi["components"]["securitySchemes"]["apikey"];
    assert_eq!(
        (&apikey["type"], &apikey["in"], &apikey["name"]),
        (&"apiKey".into(), &"header".into(), &"apikey".into())
    );
    let code_enum = openapi["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(
        code_enum.len(),
        138,
        "135 listed codes + already_exists, invalid_parameter, out_of_range"
    );
    assert!(!openapi.to_string().contains("#/definitions/"));
}
