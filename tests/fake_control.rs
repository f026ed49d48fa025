//! The fake's test-control API over HTTP (`/_fake/`), driven the way a test
//! suite in another language would: plain HTTP and JSON, no Rust API.
#![cfg(feature = "testing")]

use mfkessai::testing::FakeKessai;
use serde_json::{json, Value};

struct Http {
    root: String,
    key: String,
    http: reqwest::Client,
}

impl Http {
    fn new(fake: &FakeKessai) -> Self {
        Http {
            root: format!("http://{}", fake.local_addr()),
            key: fake.api_key().to_string(),
            http: reqwest::Client::new(),
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.root))
            .header("apikey", &self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

async fn controlled() -> (FakeKessai, Http) {
    let fake = FakeKessai::builder().control(true).start().await.unwrap();
    let http = Http::new(&fake);
    (fake, http)
}

#[tokio::test]
async fn off_unless_asked_for_and_only_with_the_key() {
    let fake = FakeKessai::start().await.unwrap();
    let (status, _) = Http::new(&fake).call("GET", "/_fake/clock", None).await;
    assert_eq!(status, 404, "no control API by default");

    let (fake, http) = controlled().await;
    let anonymous = reqwest::get(format!("http://{}/_fake/clock", fake.local_addr()))
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let (status, body) = http.call("GET", "/_fake/clock", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["now"], "2026-04-01T10:00:00+09:00");
    assert!(
        fake.requests().is_empty(),
        "control calls are not in the API's request log"
    );
}

#[tokio::test]
async fn a_transaction_is_invoiced_after_the_clock_passes_its_issue_date() {
    let (_fake, http) = controlled().await;
    let (status, seeded) = http
        .call("POST", "/_fake/customers/seed", Some(json!({"count": 1})))
        .await;
    assert_eq!(status, 200, "{seeded}");
    let customer_id = seeded["ids"][0].as_str().unwrap().to_string();
    let (_, destinations) = http
        .call(
            "GET",
            &format!("/v2/destinations?customer_id={customer_id}"),
            None,
        )
        .await;
    let destination_id = destinations["items"][0]["id"].as_str().unwrap().to_string();
    let transaction = json!({
        "amount": 1100,
        "amounts_per_tax_rate_type": [{"amount": 1100, "tax_rate_type": "normal_10"}],
        "date": "2026-04-01",
        "destination_id": destination_id,
        "due_date": "2026-04-30",
        "invoice_delivery_methods": ["email"],
        "issue_date": "2026-04-10",
        "number": "CONTROL-0001",
        "transaction_details": [{"amount": 1000, "description": "__passed__",
            "tax_included_type": "excluded", "tax_rate_type": "normal_10",
            "quantity": 1, "unit_price": 1000}]
    });
    let (status, created) = http
        .call("POST", "/v2/transactions", Some(transaction))
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["status"], "passed");
    let (_, before) = http
        .call("GET", "/v2/billings?status=invoice_issued", None)
        .await;
    assert_eq!(before["items"], json!([]), "{before}");

    let (status, now) = http
        .call("POST", "/_fake/clock/advance", Some(json!({"days": 10})))
        .await;
    assert_eq!(status, 200);
    assert!(
        now["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-04-11T10:00:"),
        "{now}"
    );
    let (_, after) = http
        .call("GET", "/v2/billings?status=invoice_issued", None)
        .await;
    let billings = after["items"].as_array().unwrap();
    assert_eq!(billings.len(), 1, "{after}");
    assert_eq!(billings[0]["amount"], 1100);
    assert_eq!(billings[0]["issue_date"], "2026-04-10");

    // A payment recorded through the control API settles it.
    let id = billings[0]["id"].as_str().unwrap();
    let (status, paid) = http
        .call(
            "POST",
            &format!("/_fake/billings/{id}/payments"),
            Some(json!({"amount": 1100})),
        )
        .await;
    assert_eq!(status, 200, "{paid}");
}

#[tokio::test]
async fn faults_and_the_request_log() {
    let (_fake, http) = controlled().await;
    let (status, _) = http
        .call(
            "POST",
            "/_fake/faults",
            Some(json!({"fault": {"type": "status", "status": 503}, "times": 2})),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(http.call("GET", "/v2/customers", None).await.0, 503);
    assert_eq!(http.call("GET", "/v2/customers", None).await.0, 503);
    assert_eq!(http.call("GET", "/v2/customers", None).await.0, 200);
    let (_, log) = http.call("GET", "/_fake/requests", None).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["fault"], json!({"type": "status", "status": 503}));
    assert_eq!(log[2]["status"], 200);
    assert!(
        log[0]["headers"].to_string().find("apikey").is_none(),
        "the key is not logged"
    );

    http.call(
        "POST",
        "/_fake/faults/random",
        Some(json!({"percent": 100, "faults": [{"type": "process_then_status", "status": 502}], "seed": 3})),
    )
    .await;
    assert_eq!(http.call("GET", "/v2/customers", None).await.0, 502);
    assert_eq!(http.call("DELETE", "/_fake/faults", None).await.0, 204);
    assert_eq!(http.call("GET", "/v2/customers", None).await.0, 200);
    assert_eq!(http.call("DELETE", "/_fake/requests", None).await.0, 204);
    let (_, log) = http.call("GET", "/_fake/requests", None).await;
    assert_eq!(log, json!([]));
}

#[tokio::test]
async fn payouts_can_be_seeded_in_bulk_and_one_by_one() {
    let (_fake, http) = controlled().await;
    let (status, seeded) = http
        .call("POST", "/_fake/payouts/seed", Some(json!({"count": 3})))
        .await;
    assert_eq!(status, 200, "{seeded}");
    let (_, payouts) = http.call("GET", "/v2/payouts", None).await;
    let payouts = payouts["items"].as_array().unwrap().clone();
    assert_eq!(payouts.len(), 3);
    assert_eq!(payouts[0]["id"], seeded["ids"][0], "newest first");
    for payout in &payouts {
        let id = payout["id"].as_str().unwrap();
        let (_, items) = http
            .call(
                "GET",
                &format!("/v2/payout_transactions?payout_id={id}"),
                None,
            )
            .await;
        let (_, refunds) = http
            .call("GET", &format!("/v2/payout_refunds?payout_id={id}"), None)
            .await;
        let sum = |list: &Value, field: &str| {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i[field].as_i64().unwrap())
                .sum::<i64>()
        };
        let net =
            sum(&items, "amount") - sum(&items, "commission_amount") - sum(&refunds, "amount");
        assert_eq!(payout["amount"].as_i64(), Some(net), "{payout}");
    }
    let (status, one) = http
        .call(
            "POST",
            "/_fake/payouts",
            Some(json!({"amount": 1000, "status": "in_progress"})),
        )
        .await;
    assert_eq!(status, 200, "{one}");
    let id = one["id"].as_str().unwrap();
    let (status, item) = http
        .call(
            "POST",
            &format!("/_fake/payouts/{id}/transactions"),
            Some(json!({"amount": 1000, "transaction_id": "GY9N-EWNM"})),
        )
        .await;
    assert_eq!(status, 200, "{item}");
}

#[tokio::test]
async fn examinations_are_decided_and_bad_bodies_refused() {
    let (fake, http) = controlled().await;
    let client = fake.client().unwrap();
    let ids = fake.seed_customers(1);
    let (status, exam) = http
        .call(
            "POST",
            "/v2/customer_examinations",
            Some(json!({
                "address1": "東京都千代田区1-2-3", "amount": 100000, "business_description": "卸売",
                "business_type": "corporate", "customer_id": ids[0], "email": "a@example.com",
                "end_date": "2026-04-30", "name": "担当", "remark": "__unexamined__",
                "tel": "03-1234-5678", "zip_code": "111-1111"
            })),
        )
        .await;
    assert_eq!(status, 200, "{exam}");
    assert_eq!(exam["status"], "unexamined");
    let id = exam["id"].as_str().unwrap();
    let path = format!("/_fake/customer_examinations/{id}/decide");
    let (status, decided) = http
        .call("POST", &path, Some(json!({"outcome": "passed"})))
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "passed");
    let _ = client;

    for (path, body) in [
        (path.as_str(), json!({"outcome": "maybe"})),
        ("/_fake/customers/seed", json!({"count": -1})),
        ("/_fake/customers/seed", json!({"count": 1, "extra": true})),
        ("/_fake/clock/advance", json!({"days": -1})),
        ("/_fake/faults", json!({"fault": {"type": "teleport"}})),
        (
            "/_fake/webhooks",
            json!({"url": "not a url", "secret": "s"}),
        ),
    ] {
        let (status, answer) = http.call("POST", path, Some(body.clone())).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
        assert!(answer["message"].is_string(), "{answer}");
    }
    let (status, _) = http
        .call(
            "POST",
            "/_fake/transactions/NOPE-NOPE/decide",
            Some(json!({"outcome": "passed"})),
        )
        .await;
    assert_eq!(status, 404);
}
