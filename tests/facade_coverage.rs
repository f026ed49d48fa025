//! Every operation of swagger.yaml is reachable from the facade: it appears
//! in src/resources/ as `Operation::read("<id>")` when it is a GET (retried
//! like any read) or `Operation::write("<id>")` otherwise (never resent once
//! it may have reached the server), and exactly once, so no operation is
//! wrapped twice with different retry behaviour.

mod common;

/// The sources of src/resources/, concatenated, without whitespace: rustfmt
/// may break a call over lines.
fn resources_source() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/resources");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("src/resources is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    let mut source = String::new();
    for file in files {
        source.push_str(&std::fs::read_to_string(&file).expect("resource file is readable"));
    }
    source.split_whitespace().collect()
}

#[test]
fn every_operation_has_a_facade_method_with_the_right_retry_kind() {
    let source = resources_source();
    let ops = common::operations();
    assert_eq!(ops.len(), 39, "the reference documents 39 operations");
    let mut problems = Vec::new();
    for (id, method, path, _) in &ops {
        let (expected, other) = if method == "GET" {
            ("read", "write")
        } else {
            ("write", "read")
        };
        let wanted = source
            .matches(&format!("Operation::{expected}(\"{id}\")"))
            .count();
        let wrong = source
            .matches(&format!("Operation::{other}(\"{id}\")"))
            .count();
        match (wanted, wrong) {
            (1, 0) => {}
            (0, 0) => problems.push(format!("{id} ({method} {path}): no facade method")),
            (_, 0) => problems.push(format!("{id} ({method} {path}): wrapped {wanted} times")),
            _ => problems.push(format!(
                "{id} ({method} {path}): wrapped as Operation::{other}, must be Operation::{expected}"
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "operations of swagger.yaml not covered by src/resources/:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_facade_wraps_no_operation_the_spec_does_not_have() {
    let source = resources_source();
    let known: Vec<String> = common::operations()
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    let mut unknown = Vec::new();
    for kind in ["read", "write"] {
        let prefix = format!("Operation::{kind}(\"");
        for (start, _) in source.match_indices(&prefix) {
            let rest = &source[start + prefix.len()..];
            let id = &rest[..rest.find('"').expect("closing quote")];
            if !known.iter().any(|k| k == id) {
                unknown.push(id.to_string());
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "operationIds in src/resources/ that swagger.yaml does not define: {unknown:?}"
    );
}
