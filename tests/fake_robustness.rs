//! Bad input never takes the fake server down: every operation answers
//! malformed bodies, wrong types and odd ids with a 4xx, never a 5xx or a
//! dropped connection (a panicking handler would be one).
#![cfg(feature = "testing")]

mod common;

use mfkessai::testing::FakeKessai;
use serde_json::{json, Value};

/// The request fixture of an operation with one field replaced, for every
/// field and every replacement.
fn mutations(fixture: &Value) -> Vec<Value> {
    let replacements = [
        Value::Null,
        json!(""),
        json!("x"),
        json!(-1),
        json!(0),
        json!(2_147_483_648_i64),
        json!(1.5),
        json!(true),
        json!([]),
        json!({}),
        json!(["a", 1, null]),
        json!("９９９"),
        json!("__passed__"),
        json!("2026-02-30"),
        json!("𠮷".repeat(300)),
    ];
    let mut out = Vec::new();
    let mut paths = Vec::new();
    collect_paths(fixture, &mut Vec::new(), &mut paths);
    for path in paths {
        for r in &replacements {
            let mut v = fixture.clone();
            if let Some(slot) = pointer_mut(&mut v, &path) {
                *slot = r.clone();
            }
            out.push(v);
        }
    }
    out
}

fn collect_paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(k.clone());
                out.push(prefix.clone());
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(i.to_string());
                out.push(prefix.clone());
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn pointer_mut<'v>(v: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
    v.pointer_mut(&pointer)
}

fn fixture(operation: &str) -> Option<Value> {
    let file = format!(
        "{}/tests/fixtures/requests/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(file).ok()?;
    serde_json::from_str(&text).ok()
}

#[tokio::test]
async fn no_input_makes_the_fake_fail_or_hang_up() {
    let fake = FakeKessai::start().await.unwrap();
    let ids = fake.seed_customers(2);
    let http = reqwest::Client::new();
    let mut checked = 0;
    for (operation, method, template, _) in common::operations() {
        // Ids: a real customer's, a well-formed unknown one, and junk.
        for id in [ids[0].as_str(), "ZZZZ-ZZZZ", "..", "%00", "ー"] {
            let path = template
                .split('/')
                .map(|seg| {
                    if seg == "{issue_id}" {
                        "i/ZZZZ-ZZZZ".to_string()
                    } else if seg.starts_with('{') {
                        id.to_string()
                    } else {
                        seg.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let url = format!("{}{path}", fake.base_url());
            let mut bodies: Vec<Vec<u8>> = vec![
                Vec::new(),
                b"null".to_vec(),
                b"[]".to_vec(),
                b"{}".to_vec(),
                b"{".to_vec(),
                vec![0xff, 0xfe],
            ];
            if id == ids[0] {
                if let Some(f) = fixture(&operation) {
                    bodies.extend(mutations(&f).iter().map(|v| v.to_string().into_bytes()));
                }
            }
            if method == "GET" || method == "DELETE" {
                bodies.truncate(1);
            }
            let queries: Vec<Vec<(&str, &str)>> = vec![
                vec![],
                vec![("limit", "0")],
                vec![("limit", "201"), ("after", "ZZZZ-ZZZZ")],
                vec![
                    ("created_at_from", "yesterday"),
                    ("ids", "x"),
                    ("status", "nope"),
                ],
                vec![
                    ("amount_from", "-1"),
                    ("amount_to", "1e9"),
                    ("unpaid", "maybe"),
                ],
                vec![
                    ("due_date_from", "2026-13-01"),
                    ("date_to", "2026-02-30"),
                    ("before", "ZZZZ-ZZZZ"),
                ],
                vec![
                    ("customer_id", "%%%"),
                    ("payout_id", ""),
                    ("billing", "1"),
                    ("has_alert", "yes"),
                ],
            ];
            // Lists read the query, writes the body: vary what is read.
            let queries = if method == "GET" {
                queries
            } else {
                vec![vec![]]
            };
            for (body, query) in bodies
                .iter()
                .flat_map(|b| queries.iter().map(move |q| (b.clone(), q)))
            {
                let request = http
                    .request(method.parse().unwrap(), &url)
                    .header("apikey", fake.api_key())
                    .header("content-type", "application/json")
                    .query(query)
                    .body(body.clone());
                let response = request.send().await.unwrap_or_else(|e| {
                    panic!(
                        "{operation} {url} {}: no answer: {e}",
                        String::from_utf8_lossy(&body)
                    )
                });
                let status = response.status().as_u16();
                assert!(
                    status < 500,
                    "{operation} {url} {}: {status}",
                    String::from_utf8_lossy(&body)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 700, "checked {checked} requests");
    // And the fake still works.
    let page = fake
        .client()
        .unwrap()
        .customers()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
}
