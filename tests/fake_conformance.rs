//! The fake's answers against the spec, strictly (see `common/conformance.rs`):
//! a walk over all 39 operations, success and documented error paths, and
//! (ignored unless `make conformance` runs it) every answer the whole test
//! suite got, as recorded under `MFKESSAI_FAKE_ANSWERS`.
#![cfg(feature = "testing")]

#[path = "common/conformance.rs"]
mod conformance;

use conformance::{Conformance, Tally};

/// Every answer recorded in `$MFKESSAI_FAKE_ANSWERS/*.jsonl` fits the spec.
#[test]
#[ignore = "make conformance runs it, after the suite has recorded its answers"]
fn recorded_answers_conform() {
    let dir = std::env::var_os("MFKESSAI_FAKE_ANSWERS")
        .expect("MFKESSAI_FAKE_ANSWERS names the directory the suite recorded into");
    let conformance = Conformance::load();
    let mut tally = Tally::default();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("the answers directory is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("an answers file is readable");
        for line in text.lines() {
            let answer: serde_json::Value = serde_json::from_str(line).expect("a recorded answer");
            tally.add(
                &conformance,
                answer["method"].as_str().unwrap_or_default(),
                answer["path"].as_str().unwrap_or_default(),
                answer["status"].as_u64().unwrap_or_default() as u16,
                answer["body"].as_str().unwrap_or_default(),
            );
        }
    }
    println!(
        "recorded answers: {} files, {} valid, {} invalid ({} violations), {} not API answers; {} operations seen",
        files,
        tally.valid,
        tally.invalid,
        tally.violations.len(),
        tally.skipped,
        tally.seen.len()
    );
    assert!(tally.valid > 0, "no answer was recorded in {dir:?}");
    assert!(
        tally.violations.is_empty(),
        "answers that do not fit the spec:\n{}",
        tally.report()
    );
}

use chrono::{Duration, NaiveDate};
use mfkessai::{raw::types, testing::FakeKessai};
use serde_json::{json, Value};

/// Raw HTTP against a fake: the walk sends what the facade would refuse.
struct Http {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl Http {
    async fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("apikey", &self.key);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("the fake answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None).await
    }

    async fn send(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        self.call(method, path, Some(&body.to_string())).await
    }

    /// A 2xx expected: its body.
    async fn ok(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let text = body.map(Value::to_string);
        let (status, value) = self.call(method, path, text.as_deref()).await;
        assert_eq!(status, 200, "{method} {path}: {value}");
        value
    }
}

fn month_end(date: NaiveDate, months: u32) -> NaiveDate {
    mfkessai::dates::month_end(date, months)
}

/// Every operation, on its success path and on the documented error paths
/// the fake can be brought to (400 for a malformed or invalid request, 404
/// for an unknown id, 409 for a conflict, 403, 412), each answer validated
/// against the spec. Fails naming the operation, the JSON path and the value.
#[tokio::test]
async fn every_operation_and_error_conforms() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let http = Http {
        client: reqwest::Client::new(),
        base: fake.base_url().to_string(),
        key: fake.api_key().to_string(),
    };
    let today = fake.now().date_naive();
    let missing = "ZZZZ-ZZZZ";

    // Customers.
    let destination_body = json!({"address1": "東京都千代田区1-2-3", "email": "billing@example.com",
        "name": "担当 太郎", "tel": "0312345678", "zip_code": "111-1111"});
    let created = http
        .ok(
            "POST",
            "/customers",
            Some(&json!({"name": "株式会社ぜんぶ", "number": "ALL-1",
            "destination": destination_body})),
        )
        .await;
    let customer = created["customer"]["id"].as_str().unwrap().to_string();
    let first_destination = created["destination"]["id"].as_str().unwrap().to_string();
    http.ok(
        "POST",
        "/customers",
        Some(&json!({"name": "株式会社ふたつめ", "number": "ALL-2",
        "destination": destination_body})),
    )
    .await;
    http.send(
        "POST",
        "/customers",
        &json!({"name": "株式会社ぜんぶ", "number": "ALL-1",
        "destination": destination_body}),
    )
    .await; // 409: the number is taken
    http.call("POST", "/customers", Some("{")).await; // 400
    http.send("POST", "/customers", &json!({})).await; // 400
    http.get("/customers").await;
    http.get(&format!("/customers?number={}", "N".repeat(101)))
        .await; // 400
    http.get("/customers?created_at_from=").await; // 400
    http.get("/customers?limit=0").await; // 400
    http.ok("GET", &format!("/customers/{customer}"), None)
        .await;
    http.get(&format!("/customers/{missing}")).await; // 404
    http.ok(
        "PATCH",
        &format!("/customers/{customer}"),
        Some(&json!({"number": "ALL-1B"})),
    )
    .await;
    http.call("PATCH", &format!("/customers/{customer}"), Some("{"))
        .await; // 400
    http.send(
        "PATCH",
        &format!("/customers/{missing}"),
        &json!({"number": "X"}),
    )
    .await; // 404
    http.send(
        "PATCH",
        &format!("/customers/{customer}"),
        &json!({"number": "ALL-2"}),
    )
    .await; // 409
            // Before the account is assigned: the bank-transfer fields come back empty.
    let before = http
        .ok("GET", &format!("/customers/{customer}"), None)
        .await;
    assert_eq!(
        before["payment_method"]["bank_transfer"]["account_number"],
        ""
    );
    http.ok(
        "POST",
        &format!("/customers/{customer}/bank_transfer"),
        None,
    )
    .await;
    http.call(
        "POST",
        &format!("/customers/{customer}/bank_transfer"),
        None,
    )
    .await; // 409
    http.call("POST", &format!("/customers/{missing}/bank_transfer"), None)
        .await; // 404
    let transfer = json!({"zip_code": "111-1111", "address1": "東京都千代田区1-2-3",
        "name": "担当 太郎", "tel": "0312345678", "email": "billing@example.com"});
    http.ok(
        "POST",
        &format!("/customers/{customer}/account_transfer_request"),
        Some(&transfer),
    )
    .await;
    http.send(
        "POST",
        &format!("/customers/{customer}/account_transfer_request"),
        &transfer,
    )
    .await; // 409
    http.send(
        "POST",
        &format!("/customers/{missing}/account_transfer_request"),
        &transfer,
    )
    .await; // 404
    http.send(
        "POST",
        &format!("/customers/{customer}/account_transfer_request"),
        &json!({}),
    )
    .await; // 400

    // Destinations.
    let destination = http
        .ok(
            "POST",
            "/destinations",
            Some(
                &json!({"customer_id": customer, "address1": "大阪府大阪市1-2-3",
            "email": "osaka@example.com", "tel": "0612345678", "zip_code": "530-0001"}),
            ),
        )
        .await;
    let destination = destination["id"].as_str().unwrap().to_string();
    http.send(
        "POST",
        "/destinations",
        &json!({"customer_id": missing, "address1": "大阪府大阪市1-2-3",
        "email": "osaka@example.com", "tel": "0612345678", "zip_code": "530-0001"}),
    )
    .await; // 404
    http.send("POST", "/destinations", &json!({"customer_id": customer}))
        .await; // 400
    http.get("/destinations").await;
    http.get(&format!("/destinations?customer_id={customer}"))
        .await;
    http.get(&format!(
        "/destinations?customer_number={}",
        "N".repeat(101)
    ))
    .await; // 400
    http.get("/destinations?created_at_to=").await; // 400
    http.ok("GET", &format!("/destinations/{destination}"), None)
        .await;
    http.get(&format!("/destinations/{missing}")).await; // 404
    let update = json!({"address1": "大阪府大阪市9-9-9", "email": "osaka@example.com",
        "name": "担当 三郎", "tel": "0612345678", "zip_code": "530-0001"});
    http.ok(
        "PUT",
        &format!("/destinations/{destination}"),
        Some(&update),
    )
    .await;
    http.send("PUT", &format!("/destinations/{missing}"), &update)
        .await; // 404
    http.send(
        "PUT",
        &format!("/destinations/{destination}"),
        &json!({"email": "x"}),
    )
    .await; // 400

    // Examinations and credit facilities.
    let examination_body = |customer: &str, remark: &str| {
        json!({"customer_id": customer, "amount": 1000000, "end_date": month_end(today, 2),
            "address1": "東京都千代田区1-2-3", "email": "billing@example.com",
            "tel": "0312345678", "zip_code": "111-1111", "business_type": "corporate",
            "remark": remark})
    };
    let examination = http
        .ok(
            "POST",
            "/customer_examinations",
            Some(&examination_body(&customer, "__passed__")),
        )
        .await;
    let examination = examination["id"].as_str().unwrap().to_string();
    let second = created_customer(&http, "ALL-3").await;
    http.ok(
        "POST",
        "/customer_examinations",
        Some(&examination_body(&second, "__unexamined__")),
    )
    .await;
    http.send(
        "POST",
        "/customer_examinations",
        &examination_body(&second, ""),
    )
    .await; // 409
    http.send(
        "POST",
        "/customer_examinations",
        &examination_body(missing, ""),
    )
    .await; // 404
    let mut empty_type = examination_body(&customer, "");
    empty_type["business_type"] = json!("");
    http.send("POST", "/customer_examinations", &empty_type)
        .await; // 400
    http.get("/customer_examinations").await;
    http.get("/customer_examinations?status=bogus").await; // 400
    http.ok(
        "GET",
        &format!("/customer_examinations/{examination}"),
        None,
    )
    .await;
    http.get(&format!("/customer_examinations/{missing}")).await; // 404
    let facilities = http
        .ok(
            "GET",
            &format!("/credit_facilities?customer_id={customer}"),
            None,
        )
        .await;
    let facility = facilities["items"][0]["id"].as_str().unwrap().to_string();
    http.get("/credit_facilities?start_date_from=2026-13-01")
        .await; // 400
    http.ok("GET", &format!("/credit_facilities/{facility}"), None)
        .await;
    http.get(&format!("/credit_facilities/{missing}")).await; // 404

    // Transactions.
    let transaction = |number: &str, destination: &str| {
        json!({"destination_id": destination, "number": number,
            "date": today, "issue_date": today + Duration::days(3), "due_date": month_end(today, 1),
            "invoice_delivery_methods": ["email"], "amount": 3300,
            "amounts_per_tax_rate_type": [{"amount": 3300, "tax_rate_type": "normal_10"}],
            "transaction_details": [{"description": "利用料", "amount": 3000, "unit_price": 1000,
                "quantity": 3, "tax_included_type": "excluded", "tax_rate_type": "normal_10"}]})
    };
    let kept = http
        .ok(
            "POST",
            "/transactions",
            Some(&transaction("ALL-TX-1", &first_destination)),
        )
        .await;
    let doomed = http
        .ok(
            "POST",
            "/transactions",
            Some(&transaction("ALL-TX-2", &first_destination)),
        )
        .await;
    http.send(
        "POST",
        "/transactions",
        &transaction("ALL-TX-1", &first_destination),
    )
    .await; // 409
    http.send("POST", "/transactions", &transaction("ALL-TX-3", missing))
        .await; // 404
    http.send("POST", "/transactions", &json!({"number": "X"}))
        .await; // 400
    http.get("/transactions").await;
    http.get("/transactions?amount_from=abc").await; // 400
    let kept_id = kept["id"].as_str().unwrap().to_string();
    http.ok("GET", &format!("/transactions/{kept_id}"), None)
        .await;
    http.get(&format!("/transactions/{missing}")).await; // 404
    let doomed_id = doomed["id"].as_str().unwrap();
    http.ok("DELETE", &format!("/transactions/{doomed_id}"), None)
        .await;
    http.call("DELETE", &format!("/transactions/{doomed_id}"), None)
        .await; // 409
    http.call("DELETE", &format!("/transactions/{missing}"), None)
        .await; // 404

    // Billings: issued once the clock passes the issue date.
    let billing = kept["billing_id"]
        .as_str()
        .expect("a passed transaction is billed")
        .to_string();
    http.get("/billings").await;
    http.get("/billings?issue_date_to=").await; // 400
    http.get("/billings/qualified").await;
    http.get("/billings/qualified?due_date_from=x").await; // 400
    http.ok("GET", &format!("/billings/{billing}"), None).await;
    http.get(&format!("/billings/{missing}")).await; // 404
    http.get(&format!("/billings/{billing}/issues")).await; // before issue
    fake.advance_clock(Duration::days(4));
    http.ok("GET", &format!("/billings/{billing}"), None).await;
    let issues = http
        .ok("GET", &format!("/billings/{billing}/issues"), None)
        .await;
    http.get(&format!("/billings/{missing}/issues")).await; // 404
    let issue = issues["items"][0]["id"].as_str().unwrap().to_string();
    http.ok(
        "POST",
        &format!("/billings/{billing}/issues/{issue}/download_signed_url"),
        None,
    )
    .await;
    http.call(
        "POST",
        &format!("/billings/{billing}/issues/i/{missing}/download_signed_url"),
        None,
    )
    .await; // 404
    let reissue =
        json!({"destination_id": first_destination, "invoice_delivery_methods": ["email"]});
    http.ok(
        "POST",
        &format!("/billings/{billing}/reissue"),
        Some(&reissue),
    )
    .await;
    http.send("POST", &format!("/billings/{missing}/reissue"), &reissue)
        .await; // 404
    http.send(
        "POST",
        &format!("/billings/{billing}/reissue"),
        &json!({"invoice_delivery_methods": ["fax"]}),
    )
    .await; // 400
    let upload = json!({"content_type": "application/pdf"});
    http.send(
        "POST",
        &format!("/billings/{billing}/upload_signed_url"),
        &upload,
    )
    .await; // 403
    fake.allow_billing_uploads(true);
    http.ok(
        "POST",
        &format!("/billings/{billing}/upload_signed_url"),
        Some(&upload),
    )
    .await;
    http.send(
        "POST",
        &format!("/billings/{missing}/upload_signed_url"),
        &upload,
    )
    .await; // 404
    http.send(
        "POST",
        &format!("/billings/{billing}/upload_signed_url"),
        &json!({}),
    )
    .await; // 400

    // Payouts: seeded, as the sandbox has none.
    let payout = fake.seed_payout(types::Payout {
        amount: Some(3200),
        payout_date: Some(today + Duration::days(30)),
        status: Some(types::PayoutStatus::InProgress),
        type_: Some(types::PayoutType::Normal),
        ..Default::default()
    });
    fake.seed_payout_transaction(
        &payout,
        types::PayoutTransaction {
            amount: Some(3300),
            ..Default::default()
        },
    );
    fake.seed_payout_refund(
        &payout,
        types::PayoutRefund {
            amount: Some(100),
            ..Default::default()
        },
    );
    fake.seed_payouts(3);
    http.get("/payouts").await;
    http.get("/payouts?payout_date_to=").await; // 400
    http.ok("GET", &format!("/payouts/{payout}"), None).await;
    http.get(&format!("/payouts/{missing}")).await; // 404
    let items = http
        .ok(
            "GET",
            &format!("/payout_transactions?payout_id={payout}"),
            None,
        )
        .await;
    http.get("/payout_transactions").await;
    http.get("/payout_transactions?limit=201").await; // 400
    let item = items["items"][0]["id"].as_str().unwrap().to_string();
    http.ok("GET", &format!("/payout_transactions/{item}"), None)
        .await;
    http.get(&format!("/payout_transactions/{missing}")).await; // 404
    http.ok("GET", &format!("/payout_refunds?payout_id={payout}"), None)
        .await;
    http.get("/payout_refunds?limit=x").await; // 400

    // Customer name updates.
    let rename = json!({"customer_id": customer, "name": "株式会社ぜんぶ改", "reason": "社名変更"});
    let update = http
        .ok("POST", "/customer_name_updates", Some(&rename))
        .await;
    http.send("POST", "/customer_name_updates", &rename).await; // 409
    http.send(
        "POST",
        "/customer_name_updates",
        &json!({"customer_id": missing, "name": "x", "reason": "y"}),
    )
    .await; // 404
    http.send(
        "POST",
        "/customer_name_updates",
        &json!({"customer_id": customer}),
    )
    .await; // 400
    http.get("/customer_name_updates").await;
    http.get("/customer_name_updates?created_at_from=").await; // 400
    let update = update["id"].as_str().unwrap().to_string();
    http.ok("GET", &format!("/customer_name_updates/{update}"), None)
        .await;
    http.get(&format!("/customer_name_updates/{missing}")).await; // 404
    http.ok("DELETE", &format!("/customer_name_updates/{update}"), None)
        .await;
    http.call("DELETE", &format!("/customer_name_updates/{update}"), None)
        .await; // 409
    http.call("DELETE", &format!("/customer_name_updates/{missing}"), None)
        .await; // 404

    // Authorizations.
    let authorize = json!({"amount": 10000, "customer_id": customer, "number": "ALL-AUTH-1"});
    let authorization = http.ok("POST", "/authorizations", Some(&authorize)).await;
    http.send("POST", "/authorizations", &authorize).await; // 409
    http.send(
        "POST",
        "/authorizations",
        &json!({"amount": 1, "customer_id": missing, "number": "A2"}),
    )
    .await; // 404
    http.send("POST", "/authorizations", &json!({"amount": -1}))
        .await; // 400
    http.get("/authorizations").await;
    http.get(&format!("/authorizations?number={}", "N".repeat(101)))
        .await; // 400
    let authorization = authorization["id"].as_str().unwrap().to_string();
    http.ok("GET", &format!("/authorizations/{authorization}"), None)
        .await;
    http.get(&format!("/authorizations/{missing}")).await; // 404
    http.ok("DELETE", &format!("/authorizations/{authorization}"), None)
        .await;
    http.call("DELETE", &format!("/authorizations/{authorization}"), None)
        .await; // 409
    http.call("DELETE", &format!("/authorizations/{missing}"), None)
        .await; // 404

    // Without the key: the 401 the reference describes in prose.
    let (status, _) = {
        let response = http
            .client
            .get(format!("{}/customers", http.base))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_eq!(status, 401);

    // Every answer against the spec.
    let conformance = Conformance::load();
    let mut tally = Tally::default();
    for request in fake.requests() {
        tally.add(
            &conformance,
            &request.method,
            &request.path,
            request.status,
            &request.response_body,
        );
    }
    let mut unreached = Vec::new();
    for (id, documented) in conformance.documented_statuses() {
        let seen = tally.seen.get(&id).cloned().unwrap_or_default();
        for status in documented {
            if !seen.contains(&status) {
                unreached.push(format!("{id} {status}"));
            }
        }
    }
    println!(
        "walk: {} answers validated ({} valid, {} invalid), {} operations; documented statuses not reached: {unreached:?}",
        tally.valid + tally.invalid,
        tally.valid,
        tally.invalid,
        tally.seen.len()
    );
    assert_eq!(
        tally.seen.len(),
        conformance.operation_count(),
        "every operation was called"
    );
    let without_200: Vec<&String> = tally
        .seen
        .iter()
        .filter(|(_, s)| !s.contains(&200))
        .map(|(id, _)| id)
        .collect();
    assert!(
        without_200.is_empty(),
        "operations never answered 200: {without_200:?}"
    );
    assert!(
        tally.violations.is_empty(),
        "answers that do not fit the spec:\n{}",
        tally.report()
    );
    Ok(())
}

async fn created_customer(http: &Http, number: &str) -> String {
    let created = http
        .ok(
            "POST",
            "/customers",
            Some(
                &json!({"name": format!("株式会社 {number}"), "number": number,
            "destination": {"address1": "東京都千代田区1-2-3", "email": "billing@example.com",
                "name": "担当 太郎", "tel": "0312345678", "zip_code": "111-1111"}}),
            ),
        )
        .await;
    created["customer"]["id"].as_str().unwrap().to_string()
}
