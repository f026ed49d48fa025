//! One test per Swagger 2.0 construct the converter handles, plus a golden
//! test of a small spec that uses all of them together.

use mfkessai_codegen::convert::{swagger2_to_openapi3, synthesize_operation_id};
use serde_json::{json, Value};

fn convert(yaml: &str) -> Value {
    let swagger = mfkessai_codegen::parse_swagger(yaml).expect("test spec parses");
    swagger2_to_openapi3(&swagger).expect("test spec converts")
}

fn spec(body: &str) -> String {
    format!("swagger: '2.0'\ninfo: {{title: T, version: '1'}}\n{body}")
}

#[test]
fn refuses_documents_that_are_not_swagger_2() {
    let doc =
        mfkessai_codegen::parse_swagger("openapi: 3.0.0\ninfo: {title: T, version: '1'}").unwrap();
    let err = swagger2_to_openapi3(&doc).unwrap_err().to_string();
    assert!(err.contains("expected `swagger: '2.0'`"), "{err}");
    // An unquoted `2.0` is a YAML float and still accepted.
    let doc =
        mfkessai_codegen::parse_swagger("swagger: 2.0\ninfo: {title: T, version: '1'}").unwrap();
    assert_eq!(swagger2_to_openapi3(&doc).unwrap()["openapi"], "3.0.3");
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let out = convert(&spec(
        "host: api.example.test\nbasePath: /v2\nschemes: [https, http]\npaths: {}",
    ));
    assert_eq!(
        out["servers"],
        json!([{"url": "https://api.example.test/v2"}, {"url": "http://api.example.test/v2"}])
    );
    let out = convert(&spec("basePath: /v2\npaths: {}"));
    assert_eq!(out["servers"], json!([{"url": "/v2"}]));
    let out = convert(&spec("host: h.test\npaths: {}"));
    assert_eq!(out["servers"], json!([{"url": "https://h.test"}]));
}

#[test]
fn definitions_become_component_schemas_with_refs_rewritten() {
    let out = convert(&spec(
        "paths: {}\ndefinitions:\n  A: {type: object, properties: {b: {$ref: '#/definitions/B'}, list: {type: array, items: {$ref: '#/definitions/B'}}}}\n  B: {type: string}\n  C: {allOf: [{$ref: '#/definitions/A'}], additionalProperties: {$ref: '#/definitions/B'}}",
    ));
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["A"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/B"})
    );
    assert_eq!(
        schemas["A"]["properties"]["list"]["items"]["$ref"],
        "#/components/schemas/B"
    );
    assert_eq!(schemas["C"]["allOf"][0]["$ref"], "#/components/schemas/A");
    assert_eq!(
        schemas["C"]["additionalProperties"]["$ref"],
        "#/components/schemas/B"
    );
    assert!(!out.to_string().contains("#/definitions/"));
}

#[test]
fn x_nullable_on_properties_and_on_refs() {
    let out = convert(&spec(
        "paths: {}\ndefinitions:\n  A:\n    type: object\n    properties:\n      s: {type: string, x-nullable: true}\n      r: {$ref: '#/definitions/B', x-nullable: true}\n      d: {$ref: '#/definitions/B', description: doc}\n      plain: {$ref: '#/definitions/B'}\n  B: {type: object}",
    ));
    let props = &out["components"]["schemas"]["A"]["properties"];
    assert_eq!(props["s"], json!({"type": "string", "nullable": true}));
    assert_eq!(
        props["r"],
        json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
    );
    // OpenAPI 3.0 ignores siblings of $ref, so a described ref is wrapped too.
    assert_eq!(
        props["d"],
        json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "doc"})
    );
    assert_eq!(props["plain"], json!({"$ref": "#/components/schemas/B"}));
    assert!(!out.to_string().contains("x-nullable"));
}

#[test]
fn global_parameters_become_components_and_refs_follow() {
    let out = convert(&spec(
        "parameters:\n  limit: {name: limit, in: query, type: integer, format: int32, minimum: 1, maximum: 200, default: 20, description: page size}\npaths:\n  /a:\n    get:\n      operationId: GetA\n      parameters: [{$ref: '#/parameters/limit'}]\n      responses: {'200': {description: ok}}",
    ));
    assert_eq!(
        out["components"]["parameters"]["limit"],
        json!({"name": "limit", "in": "query", "description": "page size",
               "schema": {"type": "integer", "format": "int32", "default": 20, "maximum": 200, "minimum": 1}})
    );
    assert_eq!(
        out["paths"]["/a"]["get"]["parameters"],
        json!([{"$ref": "#/components/parameters/limit"}])
    );
}

#[test]
fn path_level_parameters_are_merged_and_operation_ones_win() {
    let out = convert(&spec(
        "paths:\n  /a/{id}:\n    parameters:\n      - {name: id, in: path, required: true, type: string, description: from path}\n      - {name: q, in: query, type: string}\n    get:\n      operationId: GetA\n      parameters: [{name: q, in: query, type: integer, description: mine}]\n      responses: {'200': {description: ok}}\n    delete:\n      operationId: DeleteA\n      responses: {'200': {description: ok}}",
    ));
    let item = &out["paths"]["/a/{id}"];
    assert!(
        item.get("parameters").is_none(),
        "path-level list is merged away"
    );
    let get = item["get"]["parameters"].as_array().unwrap();
    assert_eq!(get.len(), 2);
    assert_eq!(get[0]["name"], "id");
    assert_eq!(get[0]["required"], true);
    assert_eq!(get[1]["schema"]["type"], "integer");
    assert_eq!(get[1]["description"], "mine");
    let delete = item["delete"]["parameters"].as_array().unwrap();
    assert_eq!(
        delete
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["id", "q"]
    );
}

#[test]
fn body_parameters_become_request_bodies_per_consumes() {
    let out = convert(&spec(
        "consumes: [application/json, application/xml]\npaths:\n  /a:\n    post:\n      operationId: CreateA\n      parameters: [{name: payload, in: body, required: true, description: what, schema: {$ref: '#/definitions/A'}}]\n      responses: {'200': {description: ok}}\n    put:\n      operationId: PutA\n      consumes: [text/plain]\n      parameters: [{name: p, in: body, schema: {type: string}}]\n      responses: {'200': {description: ok}}\ndefinitions:\n  A: {type: object}",
    ));
    let body = &out["paths"]["/a"]["post"]["requestBody"];
    assert_eq!(body["required"], true);
    assert_eq!(body["description"], "what");
    assert_eq!(body["x-body-name"], "payload");
    assert_eq!(
        body["content"],
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/A"}},
               "application/xml": {"schema": {"$ref": "#/components/schemas/A"}}})
    );
    assert!(out["paths"]["/a"]["post"].get("parameters").is_none());
    let put = &out["paths"]["/a"]["put"]["requestBody"];
    assert_eq!(put["required"], false);
    assert_eq!(
        put["content"],
        json!({"text/plain": {"schema": {"type": "string"}}})
    );
}

#[test]
fn form_data_becomes_a_form_request_body() {
    let out = convert(&spec(
        "paths:\n  /up:\n    post:\n      operationId: Upload\n      consumes: [multipart/form-data]\n      parameters:\n        - {name: file, in: formData, type: file, required: true}\n        - {name: note, in: formData, type: string}\n      responses: {'200': {description: ok}}",
    ));
    let schema =
        &out["paths"]["/up"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(
        schema["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(schema["properties"]["note"], json!({"type": "string"}));
    assert_eq!(schema["required"], json!(["file"]));
}

#[test]
fn query_arrays_keep_their_wire_format() {
    let out = convert(&spec(
        "paths:\n  /a:\n    get:\n      operationId: GetA\n      parameters:\n        - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi, maxItems: 200}\n        - {name: dflt, in: query, type: array, items: {type: string}}\n        - {name: csv, in: query, type: array, items: {type: string}, collectionFormat: csv}\n        - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}\n        - {name: pipes, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n      responses: {'200': {description: ok}}",
    ));
    let params = out["paths"]["/a"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let style = |i: usize| (params[i]["style"].clone(), params[i]["explode"].clone());
    assert_eq!(style(0), (json!("form"), json!(true)));
    // Swagger's default is CSV, which OpenAPI 3 must spell out.
    assert_eq!(style(1), (json!("form"), json!(false)));
    assert_eq!(style(2), (json!("form"), json!(false)));
    assert_eq!(style(3), (json!("spaceDelimited"), json!(false)));
    assert_eq!(style(4), (json!("pipeDelimited"), json!(false)));
    assert_eq!(
        params[0]["schema"],
        json!({"type": "array", "items": {"type": "string"}, "maxItems": 200})
    );
}

#[test]
fn collection_formats_without_an_equivalent_are_errors() {
    let doc = mfkessai_codegen::parse_swagger(&spec(
        "paths:\n  /a:\n    get:\n      operationId: GetA\n      parameters: [{name: t, in: query, type: array, items: {type: string}, collectionFormat: tsv}]\n      responses: {'200': {description: ok}}",
    ))
    .unwrap();
    let err = swagger2_to_openapi3(&doc).unwrap_err().to_string();
    assert!(err.contains("collectionFormat `tsv`"), "{err}");
}

#[test]
fn responses_get_content_per_produces_and_headers_get_schemas() {
    let out = convert(&spec(
        "produces: [application/json]\npaths:\n  /a:\n    get:\n      operationId: GetA\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/A'}\n          examples: {application/json: {id: x}}\n          headers: {X-Rate: {type: integer, description: left}}\n        '204': {description: empty}\n        '404': {$ref: '#/responses/NotFound'}\nresponses:\n  NotFound: {description: nf, schema: {$ref: '#/definitions/A'}}\ndefinitions:\n  A: {type: object}",
    ));
    let r = &out["paths"]["/a"]["get"]["responses"];
    assert_eq!(
        r["200"]["content"],
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/A"}, "example": {"id": "x"}}})
    );
    assert_eq!(
        r["200"]["headers"]["X-Rate"],
        json!({"description": "left", "schema": {"type": "integer"}})
    );
    assert_eq!(r["204"], json!({"description": "empty"}));
    assert_eq!(r["404"], json!({"$ref": "#/components/responses/NotFound"}));
    assert_eq!(
        out["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/A"
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let out = convert(&spec(
        "securityDefinitions:\n  apikey: {type: apiKey, in: header, name: apikey}\n  basic: {type: basic}\n  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {read: r}}\nsecurity: [{apikey: []}]\npaths: {}",
    ));
    let schemes = &out["components"]["securitySchemes"];
    assert_eq!(
        schemes["apikey"],
        json!({"type": "apiKey", "in": "header", "name": "apikey"})
    );
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        schemes["oauth"],
        json!({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}}}})
    );
    assert_eq!(out["security"], json!([{"apikey": []}]));
}

#[test]
fn missing_operation_ids_are_synthesized_in_the_vendor_style() {
    let out = convert(&spec(
        "paths:\n  /billings/{billing_id}/issues:\n    get:\n      responses: {'200': {description: ok}}",
    ));
    assert_eq!(
        out["paths"]["/billings/{billing_id}/issues"]["get"]["operationId"],
        "GetBillingsBillingIdIssues"
    );
    assert_eq!(
        synthesize_operation_id("delete", "/customer_name_updates/{id}"),
        "DeleteCustomerNameUpdatesId"
    );
}

#[test]
fn file_types_and_vendor_extensions_survive() {
    let out = convert(&spec(
        "x-top: 1\npaths:\n  /a:\n    get:\n      operationId: GetA\n      x-op: 2\n      responses: {'200': {description: ok, schema: {type: file}}}\ndefinitions:\n  A: {type: object, x-go-name: A, discriminator: kind, properties: {kind: {type: string}}}",
    ));
    assert_eq!(out["x-top"], 1);
    assert_eq!(out["paths"]["/a"]["get"]["x-op"], 2);
    assert_eq!(
        out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(out["components"]["schemas"]["A"]["x-go-name"], "A");
    assert_eq!(
        out["components"]["schemas"]["A"]["discriminator"],
        json!({"propertyName": "kind"})
    );
}

#[test]
fn undefined_parameter_references_are_errors() {
    let doc = mfkessai_codegen::parse_swagger(&spec(
        "paths:\n  /a:\n    get:\n      operationId: GetA\n      parameters: [{$ref: '#/parameters/nope'}]\n      responses: {'200': {description: ok}}",
    ))
    .unwrap();
    let err = swagger2_to_openapi3(&doc).unwrap_err().to_string();
    assert!(err.contains("`#/parameters/nope` is not defined"), "{err}");
}

/// The whole mini spec against its committed conversion. Set
/// `UPDATE_GOLDEN=1` to rewrite the golden file after an intended change.
#[test]
fn golden_mini_spec() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let yaml = std::fs::read_to_string(format!("{dir}/mini_swagger.yaml")).unwrap();
    let actual = serde_json::to_string_pretty(&convert(&yaml)).unwrap() + "\n";
    let golden_path = format!("{dir}/mini_openapi.golden.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden_path, &actual).unwrap();
    }
    let golden = std::fs::read_to_string(&golden_path)
        .expect("golden file exists (UPDATE_GOLDEN=1 to create)");
    assert_eq!(actual, golden, "conversion of mini_swagger.yaml changed");
}
