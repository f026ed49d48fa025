//! Which operations are lists, decided from the spec, and what `raw::lists`
//! gets for each.

use serde_json::json;

fn vendor_lists() -> Vec<mfkessai_codegen::lists::ListMeta> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read_to_string(root.join("swagger.yaml")).unwrap();
    let mut swagger = mfkessai_codegen::parse_swagger(&spec).unwrap();
    let overlay = std::fs::read_to_string(root.join("swagger.overlay.yaml")).unwrap();
    mfkessai_codegen::overlay::apply(&mut swagger, &overlay).unwrap();
    let openapi = mfkessai_codegen::convert::swagger2_to_openapi3(&swagger).unwrap();
    mfkessai_codegen::lists::list_operations(&mfkessai_codegen::adjust::for_progenitor(&openapi))
}

#[test]
fn the_vendor_lists_are_the_paginated_answers() {
    let lists = vendor_lists();
    let ids: Vec<&str> = lists.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), 12, "{ids:?}");
    // Issues and download URLs come as `items` without `pagination`.
    assert!(!ids.contains(&"GetBillingIssuesList"));
    assert!(!ids.contains(&"CreateDownloadSignedUrl"));
    let customers = lists.iter().find(|l| l.id == "GetCustomersList").unwrap();
    assert_eq!(
        (
            customers.route.as_str(),
            customers.response.as_str(),
            customers.item.as_str()
        ),
        ("GET /customers", "CustomersList", "Customer")
    );
    let filters: Vec<&str> = customers.filters.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        filters,
        [
            "number",
            "ids",
            "payment_method",
            "has_alert",
            "created_at_from",
            "created_at_to"
        ]
    );
}

#[test]
fn a_list_needs_items_pagination_and_the_cursor_parameters() {
    let page = json!([
        {"$ref": "#/components/parameters/after"},
        {"name": "before", "in": "query"},
        {"name": "limit", "in": "query"},
        {"name": "q", "in": "query", "description": "検索"},
        {"name": "x", "in": "header"}
    ]);
    let answer = |schema: &str| json!({"200": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}});
    let doc = json!({
        "paths": {
            "/a": {"get": {"operationId": "GetAList", "parameters": page, "responses": answer("AList")}},
            "/b": {"get": {"operationId": "GetBList", "parameters": page, "responses": answer("BItems")}},
            "/c": {"get": {"operationId": "GetCList", "parameters": [], "responses": answer("AList")}}
        },
        "components": {
            "parameters": {"after": {"name": "after", "in": "query"}},
            "schemas": {
                "AList": {"properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}, "pagination": {}}},
                "BItems": {"properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}}
            }
        }
    });
    let lists = mfkessai_codegen::lists::list_operations(&doc);
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0].id, "GetAList");
    assert_eq!(lists[0].item, "A");
    assert_eq!(lists[0].filters, [("q".to_string(), "検索".to_string())]);
}

#[test]
fn the_bindings_have_a_list_operation_per_list() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let rust = std::fs::read_to_string(root.join("generated/raw.rs")).unwrap();
    for list in vendor_lists() {
        let marker = format!("impl crate::pagination::ListOperation for {} {{", list.id);
        assert!(rust.contains(&marker), "{marker}");
        assert!(rust.contains(&format!("pub struct {}Params {{", list.id)));
    }
}
