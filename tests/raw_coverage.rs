//! Every operation of swagger.yaml has a method on the generated client.

mod common;

#[test]
fn generated_client_has_every_operation() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/raw.rs"))
        .expect("generated/raw.rs is readable");
    let ops = common::operations();
    assert_eq!(
        ops.len(),
        mfkessai::raw::operations::ALL.len(),
        "one generated operation per operation of swagger.yaml"
    );
    let missing: Vec<String> = ops
        .iter()
        .map(|(id, ..)| id.clone())
        .filter(|id| !source.contains(&format!("pub fn {}(", common::snake_case(id))))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a generated method: {missing:?}"
    );
}
