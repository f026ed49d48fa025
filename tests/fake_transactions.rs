#![cfg(feature = "testing")]
//! FakeKessai: transactions and billings, end to end through the facade,
//! and through plain HTTP for the invalid input the facade would refuse
//! before sending.

mod common;

use common::fake::{
    assert_api_error, assert_error, deliveries, ids, raw, webhook_sink, TestResult,
};
use std::time::Duration;

use mfkessai::{
    raw::types::{
        self, BillingStatus, InvoiceDeliveryMethod, IssueType, TaxRateType, TransactionStatus,
    },
    sandbox::Outcome,
    testing::{FakeKessai, InvoiceMode},
    ErrorCode,
};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The fake starts on 2026-04-01 (10:00 JST).
const TODAY: &str = "2026-04-01";

/// The reference's example transaction (5,440 yen: 2,200 at 10%, 3,240 at
/// reduced 8%, a return line), issued on 04-10 and due 04-30.
fn tx_body(number: &str, destination: &str, description: &str) -> Value {
    json!({
        "amount": 5440,
        "amounts_per_tax_rate_type": [
            {"amount": 2200, "tax_rate_type": "normal_10"},
            {"amount": 3240, "tax_rate_type": "reduced_8"}
        ],
        "date": TODAY,
        "destination_id": destination,
        "due_date": "2026-04-30",
        "invoice_delivery_methods": ["posting", "email"],
        "issue_date": "2026-04-10",
        "number": number,
        "transaction_details": [
            {"amount": 3000, "description": description, "tax_included_type": "excluded",
             "tax_rate_type": "normal_10", "quantity": 3, "unit_price": 1000},
            {"amount": 3000, "description": description, "tax_included_type": "excluded",
             "tax_rate_type": "reduced_8", "quantity": 3, "unit_price": 1000},
            {"amount": -1000, "description": description, "tax_included_type": "excluded",
             "tax_rate_type": "normal_10", "quantity": 1, "unit_price": -1000}
        ]
    })
}

/// One tax-excluded 10% line of `price` yen (a multiple of 10), so the
/// amount is `price × 1.1`.
fn simple_body(number: &str, destination: &str, price: i64, description: &str) -> Value {
    json!({
        "amount": price * 11 / 10,
        "amounts_per_tax_rate_type": [{"amount": price * 11 / 10, "tax_rate_type": "normal_10"}],
        "date": TODAY,
        "destination_id": destination,
        "due_date": "2026-04-30",
        "invoice_delivery_methods": ["email"],
        "issue_date": "2026-04-10",
        "number": number,
        "transaction_details": [
            {"amount": price, "description": description, "tax_included_type": "excluded",
             "tax_rate_type": "normal_10", "quantity": 1, "unit_price": price}
        ]
    })
}

fn payload(body: Value) -> types::TransactionPayload {
    serde_json::from_value(body).expect("valid payload")
}

/// A seeded customer and its destination.
async fn customer(fake: &FakeKessai) -> Result<(String, String), Box<dyn std::error::Error>> {
    let customer = fake.seed_customers(1).remove(0);
    let page = fake
        .client()?
        .destinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    let destination = page.items[0].id.clone();
    Ok((customer.to_string(), destination.to_string()))
}

/// A customer with a credit facility of `amount` yen until `end_date`
/// (a passed manual examination): (customer, destination, facility).
async fn customer_with_facility(
    fake: &FakeKessai,
    amount: i64,
    end_date: &str,
) -> Result<(String, String, String), Box<dyn std::error::Error>> {
    let client = fake.client()?;
    let (customer, destination) = customer(fake).await?;
    let examination: types::CustomerExaminationPayload = serde_json::from_value(json!({
        "address1": "東京都千代田区1-2-3",
        "amount": amount,
        "business_type": "corporate",
        "customer_id": customer,
        "email": "info@example.com",
        "end_date": end_date,
        "remark": "__passed__",
        "tel": "03-1234-5678",
        "zip_code": "111-1111"
    }))?;
    let examination = client.customer_examinations().create(examination).await?;
    let page = client
        .credit_facilities()
        .list()
        .customer_examination_id(examination.id)
        .send()
        .await?;
    let facility = page.items[0].id.clone();
    Ok((customer, destination, facility.to_string()))
}

async fn balance(fake: &FakeKessai, facility: &str) -> Result<Option<i64>, mfkessai::Error> {
    Ok(fake
        .client()?
        .credit_facilities()
        .get(&mfkessai::ids::CreditFacilityId::from(facility))
        .await?
        .balance)
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn dec(n: i64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

// ------------------------------------------------------------ registration

#[tokio::test]
async fn create_returns_the_documented_transaction_and_magic_strings_decide() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, destination) = customer(&fake).await?;

    let passed = client
        .transactions()
        .create(payload(tx_body("TX-P", &destination, "__passed__")))
        .await?;
    let id = passed.id.clone();
    assert_eq!(passed.status, Some(TransactionStatus::Passed));
    assert_eq!(Some(passed.object.as_str()), Some("transaction"));
    assert_eq!(passed.uri, format!("mfk:transaction:{id}"));
    assert_eq!(Some(passed.number.as_str()), Some("TX-P"));
    assert_eq!(passed.customer_id.as_deref(), Some(customer.as_str()));
    assert_eq!(
        Some(passed.destination_id.as_str()),
        Some(destination.as_str())
    );
    assert_eq!(passed.amount, Some(5440));
    assert_eq!(passed.amounts_per_tax_rate_type.len(), 2);
    assert_eq!(passed.date, day(TODAY));
    assert_eq!(passed.issue_date, day("2026-04-10"));
    assert_eq!(passed.due_date, day("2026-04-30"));
    assert_eq!(
        passed.invoice_delivery_method,
        vec![InvoiceDeliveryMethod::Posting, InvoiceDeliveryMethod::Email]
    );
    assert_eq!(
        passed.billing_condition,
        Some(types::BillingCondition::Passed)
    );
    assert_eq!(passed.billing, Some(true));
    assert!(passed.billing_id.is_some());
    assert_eq!(passed.created_at, fake.now() - chrono::Duration::seconds(1));
    assert_eq!(passed.accepted_at, Some(passed.created_at));
    assert_eq!(passed.billing_accepted_at, Some(passed.created_at));
    assert!(passed.canceled_at.is_none() && passed.canceled_transaction_id.is_none());
    // Details as the reference returns them: the return's minus sign moves
    // to the quantity (request L263-L270, response L319-L325).
    let details = &passed.transaction_details;
    assert_eq!(details.len(), 3);
    assert_eq!(details[0].object.as_deref(), Some("transaction_detail"));
    assert_eq!(
        (
            details[0].amount,
            details[0].quantity,
            details[0].unit_price
        ),
        (dec(3000), dec(3), dec(1000))
    );
    assert_eq!(
        (
            details[2].amount,
            details[2].quantity,
            details[2].unit_price
        ),
        (dec(-1000), dec(-1), dec(1000))
    );
    assert_eq!(details[1].tax_rate_type, Some(TaxRateType::Reduced8));
    assert_eq!(client.transactions().get(&id).await?, passed);

    let rejected = client
        .transactions()
        .create(payload(tx_body("TX-R", &destination, "__rejected__")))
        .await?;
    assert_eq!(rejected.status, Some(TransactionStatus::Rejected));
    assert_eq!(rejected.billing, Some(false));
    assert!(rejected.billing_id.is_none() && rejected.accepted_at.is_none());

    let unexamined = client
        .transactions()
        .create(payload(tx_body("TX-U", &destination, "__unexamined__")))
        .await?;
    assert_eq!(unexamined.status, Some(TransactionStatus::Unexamined));
    assert!(unexamined.billing_id.is_none());

    // Every detail must carry the same string; otherwise it waits.
    let mut mixed = tx_body("TX-M", &destination, "__passed__");
    mixed["transaction_details"][1]["description"] = json!("商品B");
    let mixed = client.transactions().create(payload(mixed)).await?;
    assert_eq!(mixed.status, Some(TransactionStatus::Unexamined));
    let mut mixed = tx_body("TX-M2", &destination, "__passed__");
    mixed["transaction_details"][1]["description"] = json!("__rejected__");
    let mixed = client.transactions().create(payload(mixed)).await?;
    assert_eq!(mixed.status, Some(TransactionStatus::Unexamined));

    // billing_condition all bills whatever the result.
    let mut all = tx_body("TX-A", &destination, "__rejected__");
    all["billing_condition"] = json!("all");
    let all = client.transactions().create(payload(all)).await?;
    assert_eq!(all.status, Some(TransactionStatus::Rejected));
    assert_eq!(all.billing, Some(true));
    assert!(all.billing_id.is_some() && all.accepted_at.is_none());

    let missing = client
        .transactions()
        .get(&"NONE-0000".into())
        .await
        .unwrap_err();
    assert_api_error(&missing, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn str_fields_and_computed_detail_amounts() -> TestResult {
    let fake = FakeKessai::start().await?;
    let (_, destination) = customer(&fake).await?;
    let mut body = simple_body("TX-STR", &destination, 1000, "__passed__");
    let detail = &mut body["transaction_details"][0];
    detail.as_object_mut().expect("object").remove("amount");
    detail["unit_price_str"] = json!("250.5");
    detail["unit_price"] = json!(1);
    detail["quantity_str"] = json!("4");
    body["amount"] = json!(1102);
    body["amounts_per_tax_rate_type"][0]["amount"] = json!(1102);
    let created = raw(&fake, "POST", "/transactions", Some(body)).await;
    assert_eq!(created.0, 200, "{}", created.1);
    let detail = &created.1["transaction_details"][0];
    assert_eq!(detail["amount"], json!(1002));
    assert_eq!(detail["unit_price"], json!(250.5));
    assert_eq!(detail["quantity"], json!(4));
    Ok(())
}

#[tokio::test]
async fn a_credit_facility_passes_at_once_and_cancellation_gives_it_back() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination, facility) = customer_with_facility(&fake, 10_000, "2026-04-30").await?;
    assert_eq!(balance(&fake, &facility).await?, Some(10_000));

    // Within the balance: passed without any magic string, balance used.
    let first = client
        .transactions()
        .create(payload(tx_body("TX-1", &destination, "商品")))
        .await?;
    assert_eq!(first.status, Some(TransactionStatus::Passed));
    assert_eq!(balance(&fake, &facility).await?, Some(4560));

    // Above what is left: the usual examination, nothing consumed.
    let second = client
        .transactions()
        .create(payload(tx_body("TX-2", &destination, "商品")))
        .await?;
    assert_eq!(second.status, Some(TransactionStatus::Unexamined));
    assert_eq!(balance(&fake, &facility).await?, Some(4560));

    // The facility wins over a magic string.
    let third = client
        .transactions()
        .create(payload(simple_body(
            "TX-3",
            &destination,
            1000,
            "__rejected__",
        )))
        .await?;
    assert_eq!(third.status, Some(TransactionStatus::Passed));
    assert_eq!(balance(&fake, &facility).await?, Some(3460));

    // Canceling gives the credit back; a transaction that took none gives
    // nothing.
    let canceled = client.transactions().cancel(&first.id).await?;
    assert_eq!(canceled.status, Some(TransactionStatus::Canceled));
    assert_eq!(balance(&fake, &facility).await?, Some(8900));
    client.transactions().cancel(&second.id).await?;
    assert_eq!(balance(&fake, &facility).await?, Some(8900));
    Ok(())
}

#[tokio::test]
async fn decide_transaction_settles_waiting_examinations_and_sends_the_webhook() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let waiting = client
        .transactions()
        .create(payload(tx_body("TX-W", &destination, "商品")))
        .await?;
    let id = waiting.id.clone();
    assert_eq!(waiting.status, Some(TransactionStatus::Unexamined));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(fake.webhook_deliveries().is_empty(), "nothing examined yet");

    let same = fake.decide_transaction(&id, Outcome::Unexamined)?;
    assert_eq!(same, waiting);
    let passed = fake.decide_transaction(&id, Outcome::Passed)?;
    assert_eq!(passed.status, Some(TransactionStatus::Passed));
    assert_eq!(passed.billing, Some(true));
    assert!(passed.accepted_at.is_some() && passed.billing_id.is_some());
    assert_eq!(client.transactions().get(&id).await?, passed);

    let sent = deliveries(&fake, 1).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].event_type, "transaction.examined");
    let event: Value = serde_json::from_str(&sent[0].body)?;
    assert_eq!(event["transaction_id"], id.as_str());
    assert_eq!(event["transaction_number"], "TX-W");
    assert_eq!(event["result"], "passed");
    assert!(event["event_id"].is_string() && event["created_at"].is_string());

    let again = fake.decide_transaction(&id, Outcome::Rejected).unwrap_err();
    assert_api_error(&again, 409, ErrorCode::InvalidTransactionStatus, Some(&id));
    let missing = fake
        .decide_transaction("NONE-0000", Outcome::Passed)
        .unwrap_err();
    assert_api_error(&missing, 404, ErrorCode::NotFound, Some("NONE-0000"));

    // Rejected: not billed unless billing_condition is all.
    let waiting = client
        .transactions()
        .create(payload(simple_body("TX-W2", &destination, 1000, "商品")))
        .await?;
    let rejected = fake.decide_transaction(waiting.id.as_str(), Outcome::Rejected)?;
    assert_eq!(rejected.status, Some(TransactionStatus::Rejected));
    assert_eq!(rejected.billing, Some(false));
    let sent = deliveries(&fake, 2).await;
    let event: Value = serde_json::from_str(&sent[1].body)?;
    assert_eq!(event["result"], "rejected");

    // Created with a magic string, the result is sent at once.
    client
        .transactions()
        .create(payload(simple_body(
            "TX-W3",
            &destination,
            1000,
            "__passed__",
        )))
        .await?;
    let sent = deliveries(&fake, 3).await;
    assert_eq!(sent.len(), 3);
    let event: Value = serde_json::from_str(&sent[2].body)?;
    assert_eq!(event["transaction_number"], "TX-W3");
    Ok(())
}

/// One invalid transaction: how the reference's example is edited, and the
/// status, code and param the fake must answer.
struct Invalid {
    what: &'static str,
    edit: fn(&mut Value),
    status: u16,
    code: &'static str,
    param: Option<String>,
}

fn invalid(
    what: &'static str,
    edit: fn(&mut Value),
    code: &'static str,
    param: Option<&str>,
) -> Invalid {
    Invalid {
        what,
        edit,
        status: 400,
        code,
        param: param.map(str::to_string),
    }
}

fn remove(body: &mut Value, field: &str) {
    body.as_object_mut().expect("object").remove(field);
}

/// Every documented refusal of `POST /transactions`, one row each.
fn invalid_transactions() -> Vec<Invalid> {
    vec![
        // Required fields, each with its own code.
        invalid(
            "no date",
            |b| remove(b, "date"),
            "invalid_transaction_date",
            None,
        ),
        invalid(
            "no destination_id",
            |b| remove(b, "destination_id"),
            "invalid_destination_id",
            None,
        ),
        invalid(
            "no due_date",
            |b| remove(b, "due_date"),
            "invalid_transaction_due_date",
            None,
        ),
        invalid(
            "no invoice_delivery_methods",
            |b| remove(b, "invoice_delivery_methods"),
            "invalid_transaction_invoice_delivery_methods",
            None,
        ),
        invalid(
            "no issue_date",
            |b| remove(b, "issue_date"),
            "invalid_transaction_issue_date",
            None,
        ),
        invalid(
            "no number",
            |b| remove(b, "number"),
            "invalid_transaction_number",
            None,
        ),
        invalid(
            "no transaction_details",
            |b| remove(b, "transaction_details"),
            "invalid_transaction_details",
            None,
        ),
        invalid(
            "not an object",
            |b| *b = json!("nope"),
            "invalid_json_format",
            None,
        ),
        // Formats.
        invalid(
            "date format",
            |b| b["date"] = json!("2026/04/01"),
            "invalid_transaction_date",
            Some("2026/04/01"),
        ),
        invalid(
            "no such due date",
            |b| b["due_date"] = json!("2026-02-30"),
            "invalid_transaction_due_date",
            Some("2026-02-30"),
        ),
        invalid(
            "fractional amount",
            |b| b["amount"] = json!(54.4),
            "invalid_transaction_amount",
            Some("54.4"),
        ),
        Invalid {
            param: Some("N".repeat(101)),
            ..invalid(
                "number too long",
                |b| b["number"] = json!("N".repeat(101)),
                "invalid_transaction_number",
                None,
            )
        },
        invalid(
            "empty destination_id",
            |b| b["destination_id"] = json!(""),
            "invalid_destination_id",
            Some(""),
        ),
        invalid(
            "billing_condition",
            |b| b["billing_condition"] = json!("never"),
            "invalid_transaction_billing_condition",
            Some("never"),
        ),
        // Delivery methods: 1 or 2 known ones, none twice.
        invalid(
            "no delivery method",
            |b| b["invoice_delivery_methods"] = json!([]),
            "invalid_transaction_invoice_delivery_methods",
            None,
        ),
        invalid(
            "unknown delivery method",
            |b| b["invoice_delivery_methods"] = json!(["fax"]),
            "invalid_transaction_invoice_delivery_methods",
            Some("fax"),
        ),
        invalid(
            "delivery method twice",
            |b| b["invoice_delivery_methods"] = json!(["email", "email"]),
            "invalid_transaction_duplicate_invoice_delivery_method",
            Some("email"),
        ),
        // Amounts.
        invalid(
            "zero amount",
            |b| b["amount"] = json!(0),
            "invalid_transaction_amount",
            Some("0"),
        ),
        invalid(
            "amount off the details",
            |b| b["amount"] = json!(5441),
            "invalid_transaction_amount",
            Some("5441"),
        ),
        invalid(
            "no amount",
            |b| remove(b, "amount"),
            "invalid_transaction_amount",
            None,
        ),
        invalid(
            "no amounts_per_tax_rate_type",
            |b| remove(b, "amounts_per_tax_rate_type"),
            "invalid_transaction_amounts_per_tax_rate_type",
            None,
        ),
        // A per-rate total must be within 1 yen of the details' (L1577-L1585).
        invalid(
            "per-rate total off by 1+",
            |b| b["amounts_per_tax_rate_type"][1]["amount"] = json!(3241),
            "invalid_amount_per_tax_rate_type_amount",
            Some("3241"),
        ),
        invalid(
            "one rate for two",
            |b| {
                b["amounts_per_tax_rate_type"] =
                    json!([{"amount": 5440, "tax_rate_type": "normal_10"}])
            },
            "invalid_amount_per_tax_rate_type_amount",
            Some("5440"),
        ),
        invalid(
            "a rate no detail has",
            |b| {
                b["amounts_per_tax_rate_type"] = json!([
                    {"amount": 2200, "tax_rate_type": "normal_10"},
                    {"amount": 3240, "tax_rate_type": "reduced_8"},
                    {"amount": 0, "tax_rate_type": "normal_8"}
                ])
            },
            "invalid_amount_per_tax_rate_type_tax_rate_type",
            Some("normal_8"),
        ),
        invalid(
            "a rate twice",
            |b| {
                b["amounts_per_tax_rate_type"] = json!([
                    {"amount": 2200, "tax_rate_type": "normal_10"},
                    {"amount": 2200, "tax_rate_type": "normal_10"}
                ])
            },
            "invalid_transaction_amounts_per_tax_rate_type",
            Some("normal_10"),
        ),
        invalid(
            "a detail's rate missing",
            |b| {
                b["amounts_per_tax_rate_type"] =
                    json!([{"amount": 2200, "tax_rate_type": "normal_10"}]);
                b["amount"] = json!(2200);
            },
            "invalid_transaction_amounts_per_tax_rate_type",
            Some("reduced_8"),
        ),
        invalid(
            "unknown rate",
            |b| b["amounts_per_tax_rate_type"][0]["tax_rate_type"] = json!("normal_12"),
            "invalid_amount_per_tax_rate_type_tax_rate_type",
            Some("normal_12"),
        ),
        // Details.
        invalid(
            "no details",
            |b| b["transaction_details"] = json!([]),
            "invalid_transaction_details",
            None,
        ),
        invalid(
            "empty description",
            |b| b["transaction_details"][0]["description"] = json!(""),
            "invalid_transaction_detail_description",
            Some(""),
        ),
        invalid(
            "no description",
            |b| remove(&mut b["transaction_details"][0], "description"),
            "invalid_transaction_detail_description",
            None,
        ),
        invalid(
            "tax_included_type",
            |b| b["transaction_details"][0]["tax_included_type"] = json!("both"),
            "invalid_transaction_detail_tax_included_type",
            Some("both"),
        ),
        invalid(
            "empty tax_rate_type",
            |b| b["transaction_details"][0]["tax_rate_type"] = json!(""),
            "invalid_transaction_detail_tax_rate_type",
            Some(""),
        ),
        invalid(
            "negative quantity",
            |b| b["transaction_details"][0]["quantity"] = json!(-3),
            "invalid_transaction_detail_quantity",
            Some("-3"),
        ),
        invalid(
            "unit price with 5 decimals",
            |b| b["transaction_details"][0]["unit_price"] = json!(1000.12345),
            "invalid_transaction_detail_unit_price",
            Some("1000.12345"),
        ),
        invalid(
            "unit_price_str not a number",
            |b| b["transaction_details"][0]["unit_price_str"] = json!("abc"),
            "invalid_transaction_detail_unit_price",
            Some("abc"),
        ),
        invalid(
            "detail amount off",
            |b| b["transaction_details"][0]["amount"] = json!(2999),
            "invalid_transaction_detail_amount",
            Some("2999"),
        ),
        invalid(
            "details total not positive",
            |b| {
                b["transaction_details"] = json!([{"description": "値引き", "amount": -10,
                    "quantity": 1, "unit_price": -10,
                    "tax_included_type": "included", "tax_rate_type": "normal_10"}]);
                b["amounts_per_tax_rate_type"] =
                    json!([{"amount": -10, "tax_rate_type": "normal_10"}]);
                b["amount"] = json!(1);
            },
            "invalid_transaction_details_amount_total",
            None,
        ),
        invalid(
            "501 details",
            |b| {
                let one = json!({"description": "x", "amount": 1, "quantity": 1, "unit_price": 1,
                    "tax_included_type": "included", "tax_rate_type": "non_taxable"});
                b["transaction_details"] = Value::Array(vec![one; 501]);
            },
            "invalid_transaction_details",
            None,
        ),
        // Dates must be usable: no invoice in the past, no due date before it.
        invalid(
            "issued in the past",
            |b| b["issue_date"] = json!("2026-03-31"),
            "invalid_transaction_issue_date",
            Some("2026-03-31"),
        ),
        invalid(
            "due before issued",
            |b| b["due_date"] = json!("2026-04-09"),
            "invalid_transaction_due_date",
            Some("2026-04-09"),
        ),
        // Inheritance options are exclusive; param is the number (L2879-L2883).
        invalid(
            "two inheritance options",
            |b| {
                b["authorization_id"] = json!("AAAA-0000");
                b["canceled_transaction_id"] = json!("BBBB-0000");
            },
            "invalid_transaction_multiple_inheritable_options",
            Some("TX-V"),
        ),
        invalid(
            "no such authorization",
            |b| b["authorization_id"] = json!("AAAA-0000"),
            "invalid_authorization_not_found",
            Some("AAAA-0000"),
        ),
        // State: the destination must exist.
        Invalid {
            status: 404,
            ..invalid(
                "no such destination",
                |b| b["destination_id"] = json!("NONE-0000"),
                "not_found",
                Some("NONE-0000"),
            )
        },
    ]
}

#[tokio::test]
async fn create_refuses_each_documented_invalid_field() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let mut wrong = Vec::new();
    for row in invalid_transactions() {
        let mut body = tx_body("TX-V", &destination, "__passed__");
        (row.edit)(&mut body);
        let (status, answer) = raw(&fake, "POST", "/transactions", Some(body)).await;
        let code = answer[0]["code"].as_str().unwrap_or_default();
        let param = answer[0]["param"].as_str().map(str::to_string);
        let param_ok = row.param.is_none() || param == row.param;
        if (status, code) != (row.status, row.code) || !param_ok {
            wrong.push(format!(
                "{}: wanted {} {} {:?}, got {status} {answer}",
                row.what, row.status, row.code, row.param
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing was stored by the refused requests.
    assert!(client.transactions().list().send().await?.items.is_empty());
    Ok(())
}

#[tokio::test]
async fn create_accepts_tax_included_subtotals_and_invoices_due_today() -> TestResult {
    let fake = FakeKessai::start().await?;
    let (_, destination) = customer(&fake).await?;
    let post = |edit: fn(&mut Value)| {
        let mut body = tx_body("TX-V", &destination, "__passed__");
        edit(&mut body);
        let fake = &fake;
        async move { raw(fake, "POST", "/transactions", Some(body)).await }
    };
    // The tax-included subtotal is accepted too.
    let got = post(|b| {
        b["transaction_details"][0]["amount"] = json!(3300);
        b["transaction_details"][0]["tax_included_type"] = json!("included");
        b["number"] = json!("TX-INCLUDED");
    })
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let ok_today = post(|b| {
        b["issue_date"] = json!(TODAY);
        b["due_date"] = json!(TODAY);
        b["number"] = json!("TX-TODAY");
    })
    .await;
    assert_eq!(ok_today.0, 200, "{}", ok_today.1);
    Ok(())
}

#[tokio::test]
async fn create_refuses_a_number_in_use_and_create_idempotent_finds_it() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let (_, other_destination) = customer(&fake).await?;
    client
        .transactions()
        .create(payload(tx_body("TX-DUP", &destination, "__rejected__")))
        .await?;
    let taken = client
        .transactions()
        .create(payload(tx_body("TX-DUP", &other_destination, "__passed__")))
        .await
        .unwrap_err();
    assert_api_error(
        &taken,
        409,
        ErrorCode::InvalidTransactionNumber,
        Some("TX-DUP"),
    );
    // create_idempotent returns the transaction the number names.
    let found = client
        .transactions()
        .create_idempotent(payload(tx_body("TX-DUP", &destination, "__rejected__")))
        .await?;
    assert_eq!(Some(found.number.as_str()), Some("TX-DUP"));
    assert_eq!(client.transactions().list().send().await?.items.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_billing_cannot_grow_past_the_32_bit_limit() -> TestResult {
    let fake = FakeKessai::start().await?;
    let (_, destination) = customer(&fake).await?;
    let big = |number: &str| {
        json!({
            "amount": 2_000_000_000i64,
            "amounts_per_tax_rate_type": [{"amount": 2_000_000_000i64, "tax_rate_type": "non_taxable"}],
            "date": TODAY, "destination_id": destination, "due_date": "2026-04-30",
            "invoice_delivery_methods": ["email"], "issue_date": "2026-04-10", "number": number,
            "transaction_details": [{"description": "__passed__", "amount": 2_000_000_000i64,
                "quantity": 1, "unit_price": 2_000_000_000i64,
                "tax_included_type": "included", "tax_rate_type": "non_taxable"}]
        })
    };
    let first = raw(&fake, "POST", "/transactions", Some(big("BIG-1"))).await;
    assert_eq!(first.0, 200, "{}", first.1);
    let second = raw(&fake, "POST", "/transactions", Some(big("BIG-2"))).await;
    assert_error(
        &second,
        400,
        "invalid_transaction_amount",
        Some("2000000000"),
    );
    Ok(())
}

// -------------------------------------------------------------------- list

#[tokio::test]
async fn list_filters_with_their_bounds() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer_a, dest_a) = customer(&fake).await?;
    let (_, dest_b) = customer(&fake).await?;
    let create = |body: Value| {
        let client = client.clone();
        async move { client.transactions().create(payload(body)).await }
    };
    // Amounts 1100, 2200, 3300 (passed, customer A); 5500 rejected and
    // 4400 waiting (customer B).
    let t1 = create(simple_body("L-1", &dest_a, 1000, "__passed__")).await?;
    let t2 = create(simple_body("L-2", &dest_a, 2000, "__passed__")).await?;
    fake.advance_clock(chrono::Duration::days(1));
    let mut later = simple_body("L-3", &dest_a, 3000, "__passed__");
    later["date"] = json!("2026-04-02");
    let t3 = create(later).await?;
    let t4 = create(simple_body("L-4", &dest_b, 5000, "__rejected__")).await?;
    let t5 = create(simple_body("L-5", &dest_b, 4000, "商品")).await?;
    let id = |t: &types::Transaction| t.id.clone();
    let list = |query: &str| {
        let fake = &fake;
        let path = format!("/transactions?{query}");
        async move { raw(fake, "GET", &path, None).await }
    };
    let got = |query: &str| {
        let list = &list;
        let query = query.to_string();
        async move {
            let (status, body) = list(&query).await;
            assert_eq!(status, 200, "{query}: {body}");
            ids(&body)
        }
    };

    assert_eq!(
        got("").await,
        vec![id(&t5), id(&t4), id(&t3), id(&t2), id(&t1)]
    );
    assert_eq!(got("number=L-2").await, vec![id(&t2)]);
    assert_eq!(
        got(&format!("customer_id={customer_a}")).await,
        vec![id(&t3), id(&t2), id(&t1)]
    );
    assert_eq!(
        got("customer_number=CUSTOMER-2").await,
        vec![id(&t5), id(&t4)]
    );
    assert_eq!(got("status=rejected").await, vec![id(&t4)]);
    assert_eq!(got("status=unexamined").await, vec![id(&t5)]);
    assert_eq!(got("billing=false").await, vec![id(&t5), id(&t4)]);
    assert_eq!(got("billing=true").await, vec![id(&t3), id(&t2), id(&t1)]);
    let billing = t1.billing_id.clone().expect("billing");
    // t3 joins the same billing: same destination, due date and issue date.
    assert_eq!(t3.billing_id.as_deref(), Some(billing.as_str()));
    assert_eq!(
        got(&format!("billing_id={billing}")).await,
        vec![id(&t3), id(&t2), id(&t1)]
    );
    assert_eq!(got("date_from=2026-04-02").await, vec![id(&t3)]);
    assert_eq!(
        got("date_to=2026-04-01").await,
        vec![id(&t5), id(&t4), id(&t2), id(&t1)]
    );
    // amount_from is inclusive, amount_to exclusive (未満).
    assert_eq!(
        got("amount_from=2200&amount_to=4400").await,
        vec![id(&t3), id(&t2)]
    );
    assert_eq!(got("amount_to=1100").await, Vec::<String>::new());
    assert_eq!(got("amount_from=5500").await, vec![id(&t4)]);

    // Date-time bounds are inclusive, on the second.
    let at = |t: &types::Transaction| t.created_at.to_rfc3339().replace('+', "%2B");
    assert_eq!(
        got(&format!(
            "created_at_from={}&created_at_to={}",
            at(&t2),
            at(&t4)
        ))
        .await,
        vec![id(&t4), id(&t3), id(&t2)]
    );
    let accepted = t3
        .accepted_at
        .expect("accepted")
        .to_rfc3339()
        .replace('+', "%2B");
    assert_eq!(
        got(&format!("accepted_at_from={accepted}")).await,
        vec![id(&t3)]
    );
    assert_eq!(
        got(&format!("billing_accepted_at_to={accepted}")).await,
        vec![id(&t3), id(&t2), id(&t1)]
    );
    fake.advance_clock(chrono::Duration::hours(1));
    let canceled = client.transactions().cancel(&id(&t2)).await?;
    let canceled_at = canceled
        .canceled_at
        .expect("canceled_at")
        .to_rfc3339()
        .replace('+', "%2B");
    assert_eq!(
        got(&format!("canceled_at_from={canceled_at}")).await,
        vec![id(&t2)]
    );
    assert_eq!(
        got(&format!("canceled_at_to={canceled_at}")).await,
        vec![id(&t2)]
    );
    assert_eq!(got("status=canceled").await, vec![id(&t2)]);

    // The facade's builder sends the same filters.
    let page = client
        .transactions()
        .list()
        .status(TransactionStatus::Passed)
        .amount_from(1100)
        .amount_to(3300)
        .send()
        .await?;
    assert_eq!(page.items.iter().map(id).collect::<Vec<_>>(), vec![id(&t1)]);

    // Malformed filters, each with its code and the value as param.
    for (query, code, param) in [
        ("status=paid", "invalid_transaction_status", "paid"),
        ("billing=yes", "invalid_transaction_billing", "yes"),
        (
            "date_from=2026-4-1x",
            "invalid_transaction_date_from",
            "2026-4-1x",
        ),
        (
            "date_to=tomorrow",
            "invalid_transaction_date_to",
            "tomorrow",
        ),
        (
            "created_at_from=2026-04-01",
            "invalid_created_at_from",
            "2026-04-01",
        ),
        ("created_at_to=x", "invalid_created_at_to", "x"),
        ("canceled_at_from=x", "invalid_canceled_at_from", "x"),
        ("canceled_at_to=x", "invalid_canceled_at_to", "x"),
        ("accepted_at_from=x", "invalid_accepted_at_from", "x"),
        ("accepted_at_to=x", "invalid_accepted_at_to", "x"),
        (
            "billing_accepted_at_from=x",
            "invalid_billing_accepted_at_from",
            "x",
        ),
        (
            "billing_accepted_at_to=x",
            "invalid_billing_accepted_at_to",
            "x",
        ),
        ("amount_from=-1", "invalid_transaction_amount", "-1"),
        ("amount_to=ten", "invalid_transaction_amount", "ten"),
        ("customer_id=nope", "invalid_customer_id", "nope"),
        ("billing_id=nope", "invalid_billing_id", "nope"),
        ("limit=0", "invalid_limit", "0"),
        ("after=NONE-0000", "invalid_after", "NONE-0000"),
    ] {
        assert_error(&list(query).await, 400, code, Some(param));
    }

    // Cursor pagination over a filter.
    let first = client
        .transactions()
        .list()
        .billing(true)
        .page_size(1)
        .send()
        .await?;
    assert_eq!(
        first.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&t3)]
    );
    let cursor = first.next_cursor().expect("more").to_string();
    let next = client
        .transactions()
        .list()
        .billing(true)
        .starting_after(cursor)
        .send()
        .await?;
    assert_eq!(next.items.iter().map(id).collect::<Vec<_>>(), vec![id(&t1)]);
    Ok(())
}

// ------------------------------------------------------------ cancellation

#[tokio::test]
async fn cancellation_rules() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let passed = client
        .transactions()
        .create(payload(tx_body("C-1", &destination, "__passed__")))
        .await?;
    let id = passed.id.clone();
    let billing_id = passed.billing_id.clone().expect("billing");
    fake.advance_clock(chrono::Duration::minutes(5));
    let canceled = client.transactions().cancel(&id).await?;
    assert_eq!(canceled.status, Some(TransactionStatus::Canceled));
    assert_eq!(canceled.canceled_at, Some(fake.now()));
    assert_eq!(canceled.billing, Some(false));
    assert_eq!(canceled.billing_id.as_deref(), Some(billing_id.as_str()));
    assert_eq!(client.transactions().get(&id).await?, canceled);

    let again = client.transactions().cancel(&id).await.unwrap_err();
    assert_api_error(
        &again,
        409,
        ErrorCode::NotCancelableTransactionStatus,
        Some(&id),
    );

    let rejected = client
        .transactions()
        .create(payload(tx_body("C-2", &destination, "__rejected__")))
        .await?;
    let rejected_id = rejected.id.clone();
    let refused = client
        .transactions()
        .cancel(&rejected_id)
        .await
        .unwrap_err();
    assert_api_error(
        &refused,
        400,
        ErrorCode::NotCancelableTransactionStatus,
        Some(&rejected_id),
    );

    // Billed whatever the result: a rejected one can be canceled then.
    let mut all = tx_body("C-3", &destination, "__rejected__");
    all["billing_condition"] = json!("all");
    let billed = client.transactions().create(payload(all)).await?;
    let billed = client.transactions().cancel(&billed.id).await?;
    assert_eq!(billed.status, Some(TransactionStatus::Canceled));

    let missing = raw(&fake, "DELETE", "/transactions/NONE-0000", None).await;
    assert_error(&missing, 404, "not_found", Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn canceled_transactions_lend_their_credit_only_when_allowed() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, destination, facility) =
        customer_with_facility(&fake, 100_000, "2026-04-30").await?;
    let (_, other_destination) = self::customer(&fake).await?;
    let post = |body: Value| {
        let fake = &fake;
        async move { raw(fake, "POST", "/transactions", Some(body)).await }
    };
    let inheriting = |number: &str, dest: &str, price: i64, canceled: &str| {
        let mut body = simple_body(number, dest, price, "商品");
        body["canceled_transaction_id"] = json!(canceled);
        body["issue_date"] = json!("2026-05-10");
        body["due_date"] = json!("2026-05-31");
        body
    };

    // Canceled while its facility is in effect: the credit went back.
    let early = client
        .transactions()
        .create(payload(simple_body("I-1", &destination, 10_000, "商品")))
        .await?;
    let early_id = early.id.clone();
    assert_eq!(balance(&fake, &facility).await?, Some(89_000));
    client.transactions().cancel(&early_id).await?;
    assert_eq!(balance(&fake, &facility).await?, Some(100_000));
    let got = post(inheriting("I-X", &destination, 1000, &early_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_canceled_in_effective_period",
        Some(&early_id),
    );

    // Canceled after the facility ended: the credit can be reused once.
    let late = client
        .transactions()
        .create(payload(simple_body("I-2", &destination, 10_000, "商品")))
        .await?;
    let late_id = late.id.clone();
    let waiting = client
        .transactions()
        .create(payload(simple_body("I-3", &destination, 200_000, "商品")))
        .await?;
    let waiting_id = waiting.id.clone();
    fake.advance_clock(chrono::Duration::days(31)); // 2026-05-02
    client.transactions().cancel(&late_id).await?;
    client.transactions().cancel(&waiting_id).await?;

    let got = post(inheriting("I-X", &destination, 20_000, &late_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_over_amount",
        Some(&late_id),
    );
    let got = post(inheriting("I-X", &other_destination, 1000, &late_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_customer_not_matched",
        Some(&late_id),
    );
    let got = post(inheriting("I-X", &destination, 1000, "NONE-0000")).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_not_found",
        Some("NONE-0000"),
    );
    let got = post(inheriting("I-X", &destination, 1000, &waiting_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_not_accepted",
        Some(&waiting_id),
    );

    let reused = post(inheriting("I-4", &destination, 10_000, &late_id)).await;
    assert_eq!(reused.0, 200, "{}", reused.1);
    assert_eq!(reused.1["status"], "passed");
    assert_eq!(reused.1["canceled_transaction_id"], late_id.as_str());
    assert_eq!(reused.1["customer_id"], customer.as_str());
    let reused_id = reused.1["id"].as_str().expect("id").to_string();

    let got = post(inheriting("I-X", &destination, 1000, &late_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_already_used",
        Some(&late_id),
    );
    let got = post(inheriting("I-X", &destination, 1000, &reused_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_not_canceled",
        Some(&reused_id),
    );
    client
        .transactions()
        .cancel(&mfkessai::ids::TransactionId::from(&reused_id))
        .await?;
    let got = post(inheriting("I-X", &destination, 1000, &reused_id)).await;
    assert_error(
        &got,
        400,
        "invalid_canceled_transaction_inherited",
        Some(&reused_id),
    );
    let mut body = inheriting("I-X", &destination, 1000, "x");
    body["canceled_transaction_id"] = json!(7);
    let got = post(body).await;
    assert_error(&got, 400, "invalid_canceled_transaction_id", Some("7"));
    Ok(())
}

#[tokio::test]
async fn an_authorization_is_captured_by_the_transaction() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, destination, facility) =
        customer_with_facility(&fake, 100_000, "2026-04-30").await?;
    let authorization = client
        .authorizations()
        .create(types::AuthorizationPayload::new(
            &customer, "AUTH-1", 30_000,
        ))
        .await?;
    let authorization_id = authorization.id.clone();
    assert_eq!(balance(&fake, &facility).await?, Some(70_000));

    // Above the authorization: refused, nothing captured.
    let mut body = simple_body("A-1", &destination, 30_000, "__rejected__");
    body["authorization_id"] = json!(authorization_id);
    let got = raw(&fake, "POST", "/transactions", Some(body)).await;
    assert_error(
        &got,
        400,
        "invalid_authorization_over_amount",
        Some(&authorization_id),
    );

    let mut body = tx_body("A-1", &destination, "__rejected__");
    body["authorization_id"] = json!(authorization_id);
    let captured = client.transactions().create(payload(body)).await?;
    assert_eq!(captured.status, Some(TransactionStatus::Passed));
    let authorization = client.authorizations().get(&authorization_id).await?;
    assert_eq!(
        authorization.status,
        Some(types::AuthorizationStatus::Captured)
    );
    assert_eq!(authorization.transaction_id.as_ref(), Some(&captured.id));
    // The transaction keeps 5,440 yen of the facility; the rest is back.
    assert_eq!(balance(&fake, &facility).await?, Some(94_560));
    client.transactions().cancel(&captured.id).await?;
    assert_eq!(balance(&fake, &facility).await?, Some(100_000));
    Ok(())
}

// ---------------------------------------------------------------- billings

#[tokio::test]
async fn billings_group_transactions_and_are_issued_on_their_issue_date() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let (customer, destination) = customer(&fake).await?;

    let first = client
        .transactions()
        .create(payload(tx_body("B-1", &destination, "__passed__")))
        .await?;
    let mut posting = simple_body("B-2", &destination, 1000, "__passed__");
    posting["invoice_delivery_methods"] = json!(["posting"]);
    let second = client.transactions().create(payload(posting)).await?;
    let billing_id = first.billing_id.clone().expect("billing");
    assert_eq!(second.billing_id.as_deref(), Some(billing_id.as_str()));
    // Another due date is another billing.
    let mut later = simple_body("B-3", &destination, 1000, "__passed__");
    later["due_date"] = json!("2026-05-31");
    let third = client.transactions().create(payload(later)).await?;
    assert_ne!(third.billing_id.as_deref(), Some(billing_id.as_str()));
    // Not billed: no billing.
    let waiting = client
        .transactions()
        .create(payload(tx_body("B-4", &destination, "__unexamined__")))
        .await?;
    assert!(waiting.billing_id.is_none());

    let billing = client.billings().get(&billing_id).await?;
    assert_eq!(Some(billing.id.as_str()), Some(billing_id.as_str()));
    assert_eq!(Some(billing.object.as_str()), Some("billing"));
    assert_eq!(billing.uri, format!("mfk:billing:{billing_id}"));
    assert_eq!(billing.customer_id.as_deref(), Some(customer.as_str()));
    assert_eq!(
        billing.destination_id.as_deref(),
        Some(destination.as_str())
    );
    assert_eq!(billing.status, Some(BillingStatus::Scheduled));
    assert_eq!(billing.amount, Some(5440 + 1100));
    let per_rate: Vec<(TaxRateType, i64)> = billing
        .amounts_per_tax_rate_type
        .iter()
        .map(|a| (a.tax_rate_type.clone(), a.amount))
        .collect();
    assert_eq!(
        per_rate,
        vec![(TaxRateType::Normal10, 3300), (TaxRateType::Reduced8, 3240)]
    );
    assert_eq!(
        billing.invoice_delivery_method,
        vec![InvoiceDeliveryMethod::Posting, InvoiceDeliveryMethod::Email]
    );
    assert_eq!(billing.issue_date, Some(day("2026-04-10")));
    assert_eq!(billing.due_date, Some(day("2026-04-30")));
    assert!(billing.invoice_ids.is_empty() && billing.unpaid.is_none());
    assert!(client.billings().issues(&billing_id).await?.is_empty());

    // Decided later, a transaction joins the scheduled billing.
    fake.decide_transaction(waiting.id.as_str(), Outcome::Passed)?;
    assert_eq!(
        client.billings().get(&billing_id).await?.amount,
        Some(5440 * 2 + 1100)
    );
    // Canceling takes it out again.
    client.transactions().cancel(&waiting.id).await?;
    assert_eq!(
        client.billings().get(&billing_id).await?.amount,
        Some(5440 + 1100)
    );

    // The day before the issue date nothing happens; on it, the invoice.
    fake.advance_clock(chrono::Duration::days(8)); // 04-09
    assert_eq!(
        client.billings().get(&billing_id).await?.status,
        Some(BillingStatus::Scheduled)
    );
    fake.advance_clock(chrono::Duration::days(1)); // 04-10
    let issued = client.billings().get(&billing_id).await?;
    assert_eq!(issued.status, Some(BillingStatus::InvoiceIssued));
    assert_eq!(issued.invoice_ids.len(), 1);
    let invoice_id = issued.invoice_ids[0].clone();
    let issues = client.billings().issues(&billing_id).await?;
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].id, format!("i/{invoice_id}"));
    assert_eq!(issues[0].type_, Some(IssueType::Invoice));
    assert_eq!(issues[0].created_at, fake.now());
    let raw_issues = raw(
        &fake,
        "GET",
        &format!("/billings/{billing_id}/issues"),
        None,
    )
    .await;
    assert_eq!(raw_issues.0, 200);
    assert_eq!(raw_issues.1["object"], "list");
    assert!(raw_issues.1.get("pagination").is_none(), "no pagination");

    let sent = deliveries(&fake, 6).await;
    let issued_events: Vec<Value> = sent
        .iter()
        .filter(|d| d.event_type == "invoice.issued")
        .map(|d| serde_json::from_str(&d.body).expect("json"))
        .collect();
    // B-1/B-2's billing; B-3's billing is issued the same day.
    assert_eq!(issued_events.len(), 2, "{sent:?}");
    assert!(issued_events
        .iter()
        .any(|e| e["invoice_id"] == invoice_id.as_str() && e["billing_id"] == billing_id.as_str()));

    // An issued billing takes no new transaction: same key, new billing.
    let mut same_key = simple_body("B-5", &destination, 1000, "__passed__");
    same_key["issue_date"] = json!("2026-04-10");
    let fifth = client.transactions().create(payload(same_key)).await?;
    assert_ne!(fifth.billing_id.as_deref(), Some(billing_id.as_str()));

    let missing = client
        .billings()
        .get(&"NONE-0000".into())
        .await
        .unwrap_err();
    assert_api_error(&missing, 404, ErrorCode::NotFound, Some("NONE-0000"));
    let missing = raw(&fake, "GET", "/billings/NONE-0000/issues", None).await;
    assert_error(&missing, 404, "not_found", Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn account_transfer_customers_get_notices_without_invoice_issued() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let (customer, destination) = customer(&fake).await?;
    fake.set_account_transfer(&customer)?;
    let t = client
        .transactions()
        .create(payload(tx_body("AT-1", &destination, "__passed__")))
        .await?;
    let billing_id = t.billing_id.expect("billing");
    fake.advance_clock(chrono::Duration::days(9));
    let billing = client.billings().get(&billing_id).await?;
    assert_eq!(billing.status, Some(BillingStatus::AccountTransferNotified));
    assert!(billing.invoice_ids.is_empty());
    assert_eq!(billing.account_transfer_notification_ids.len(), 1);
    let notice = billing.account_transfer_notification_ids[0].clone();
    let issues = client.billings().issues(&billing_id).await?;
    assert_eq!(issues[0].id, format!("a/{notice}"));
    assert_eq!(
        issues[0].type_,
        Some(IssueType::AccountTransferNotification)
    );
    let page = client
        .billings()
        .list()
        .account_transfer_notification_id(&notice)
        .status([BillingStatus::AccountTransferNotified])
        .send()
        .await?;
    assert_eq!(page.items.len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent: Vec<String> = fake
        .webhook_deliveries()
        .into_iter()
        .map(|d| d.event_type)
        .collect();
    assert_eq!(sent, vec!["transaction.examined".to_string()]);

    // A reissue has the same kind as the last document.
    let reissued = client
        .billings()
        .reissue(
            &billing_id,
            types::ReissuingPayload::new(destination.clone(), [InvoiceDeliveryMethod::Posting]),
        )
        .await?;
    assert_eq!(
        reissued.type_,
        Some(types::ReissuingResponseType::AccountTransferNotification)
    );
    let notice = reissued.account_transfer_notification.expect("notice");
    assert_eq!(notice.billing_id.as_deref(), Some(billing_id.as_str()));
    assert_eq!(notice.amount, Some(5440));
    assert_eq!(notice.account_transfer_date, Some(day("2026-04-30")));
    assert_eq!(
        Some(notice.object.as_str()),
        Some("account_transfer_notification")
    );
    assert!(reissued.invoice.is_none());
    Ok(())
}

#[tokio::test]
async fn billing_list_filters_with_their_bounds() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer_a, dest_a) = customer(&fake).await?;
    let (_, dest_b) = customer(&fake).await?;
    let billing_of = |body: Value| {
        let client = client.clone();
        async move {
            let t = client.transactions().create(payload(body)).await?;
            Ok::<String, mfkessai::Error>((t.billing_id.expect("billing")).to_string())
        }
    };
    // A: issued 04-10 due 04-30, and issued 04-20 due 05-31; B: issued 04-10 due 05-31.
    let b1 = billing_of(simple_body("F-1", &dest_a, 1000, "__passed__")).await?;
    let mut body = simple_body("F-2", &dest_a, 2000, "__passed__");
    body["issue_date"] = json!("2026-04-20");
    body["due_date"] = json!("2026-05-31");
    let b2 = billing_of(body).await?;
    let mut body = simple_body("F-3", &dest_b, 3000, "__passed__");
    body["due_date"] = json!("2026-05-31");
    let b3 = billing_of(body).await?;
    fake.advance_clock(chrono::Duration::days(9)); // 04-10: b1 and b3 issued
    let list = |query: &str| {
        let fake = &fake;
        let path = format!("/billings?{query}");
        async move { raw(fake, "GET", &path, None).await }
    };
    let got = |query: &str| {
        let list = &list;
        let query = query.to_string();
        async move {
            let (status, body) = list(&query).await;
            assert_eq!(status, 200, "{query}: {body}");
            ids(&body)
        }
    };
    assert_eq!(got("").await, vec![b3.clone(), b2.clone(), b1.clone()]);
    assert_eq!(
        got(&format!("customer_id={customer_a}")).await,
        vec![b2.clone(), b1.clone()]
    );
    assert_eq!(got("customer_number=CUSTOMER-2").await, vec![b3.clone()]);
    assert_eq!(got("status=scheduled").await, vec![b2.clone()]);
    assert_eq!(
        got("status=scheduled&status=invoice_issued").await,
        vec![b3.clone(), b2.clone(), b1.clone()]
    );
    assert_eq!(
        got("status=invoice_issued,account_transfer_notified").await,
        vec![b3.clone(), b1.clone()]
    );
    assert_eq!(
        got("due_date_from=2026-05-31").await,
        vec![b3.clone(), b2.clone()]
    );
    assert_eq!(got("due_date_to=2026-04-30").await, vec![b1.clone()]);
    assert_eq!(
        got("issue_date_from=2026-04-10&issue_date_to=2026-04-10").await,
        vec![b3.clone(), b1.clone()]
    );
    assert_eq!(got("issue_date_from=2026-04-11").await, vec![b2.clone()]);
    let invoice = client
        .billings()
        .get(&mfkessai::ids::BillingId::from(&b1))
        .await?
        .invoice_ids[0]
        .clone();
    assert_eq!(
        got(&format!("invoice_id={invoice}")).await,
        vec![b1.clone()]
    );
    assert_eq!(
        got(&format!("invoice_id=i/{invoice}")).await,
        vec![b1.clone()]
    );
    assert_eq!(got("unpaid=true").await, Vec::<String>::new());
    assert_eq!(
        got("unpaid=").await,
        vec![b3.clone(), b2.clone(), b1.clone()]
    );

    let page = client
        .billings()
        .list()
        .customer_id(&customer_a)
        .status([BillingStatus::InvoiceIssued])
        .send()
        .await?;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, b1);
    // Classified-mode billings are not in the invoice-mode list.
    let qualified = client.billings().list_qualified().send().await?;
    assert!(qualified.items.is_empty());

    for (query, code, param) in [
        ("status=stopped", "invalid_billing_status", "stopped"),
        (
            "status=scheduled&status=paid",
            "invalid_billing_status",
            "paid",
        ),
        ("due_date_from=x", "invalid_billing_due_date_from", "x"),
        ("due_date_to=x", "invalid_billing_due_date_to", "x"),
        ("issue_date_from=x", "invalid_billing_issue_date_from", "x"),
        ("issue_date_to=x", "invalid_billing_issue_date_to", "x"),
        ("unpaid=maybe", "invalid_billing_unpaid", "maybe"),
        ("invoice_id=nope", "invalid_invoice_id", "nope"),
        (
            "account_transfer_notification_id=nope",
            "invalid_account_transfer_notification_id",
            "nope",
        ),
        ("customer_id=nope", "invalid_customer_id", "nope"),
        ("limit=201", "invalid_limit", "201"),
    ] {
        assert_error(&list(query).await, 400, code, Some(param));
        let qualified = raw(&fake, "GET", &format!("/billings/qualified?{query}"), None).await;
        assert_error(&qualified, 400, code, Some(param));
    }
    Ok(())
}

#[tokio::test]
async fn unpaid_after_the_due_date_until_paid_in_full() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let t = client
        .transactions()
        .create(payload(tx_body("P-1", &destination, "__passed__")))
        .await?;
    let billing_id = t.billing_id.expect("billing");
    fake.advance_clock(chrono::Duration::days(29)); // 04-30: due today
    let billing = client.billings().get(&billing_id).await?;
    assert_eq!(billing.status, Some(BillingStatus::InvoiceIssued));
    assert!(billing.unpaid.is_none(), "not late on the due date");
    fake.advance_clock(chrono::Duration::days(1)); // 05-01
    let billing = client.billings().get(&billing_id).await?;
    let unpaid = billing.unpaid.expect("unpaid");
    assert_eq!(unpaid.shortage_amount, Some(5440));
    assert_eq!(unpaid.updated_date, Some(day("2026-05-01")));
    let page = client.billings().list().unpaid(true).send().await?;
    assert_eq!(page.items.len(), 1);
    assert!(client
        .billings()
        .list()
        .unpaid(false)
        .send()
        .await?
        .items
        .is_empty());

    let partly = fake.record_payment(&billing_id, 5000)?;
    assert_eq!(partly.unpaid.and_then(|u| u.shortage_amount), Some(440));
    let paid = fake.record_payment(&billing_id, 440)?;
    assert!(paid.unpaid.is_none());
    assert!(client
        .billings()
        .list()
        .unpaid(true)
        .send()
        .await?
        .items
        .is_empty());
    assert_eq!(client.billings().get(&billing_id).await?, paid);

    let missing = fake.record_payment("NONE-0000", 1).unwrap_err();
    assert_api_error(&missing, 404, ErrorCode::NotFound, Some("NONE-0000"));
    assert!(fake.record_payment(&billing_id, 0).is_err());

    // Paid before the due date: never unpaid.
    let mut body = simple_body("P-2", &destination, 1000, "__passed__");
    body["issue_date"] = json!("2026-05-01");
    body["due_date"] = json!("2026-05-10");
    let t = client.transactions().create(payload(body)).await?;
    let early = t.billing_id.expect("billing");
    fake.advance_clock(chrono::Duration::seconds(1));
    fake.record_payment(&early, 1100)?;
    fake.advance_clock(chrono::Duration::days(30));
    let billing = client.billings().get(&early).await?;
    assert_eq!(billing.status, Some(BillingStatus::InvoiceIssued));
    assert!(billing.unpaid.is_none());
    Ok(())
}

#[tokio::test]
async fn classified_billings_left_empty_disappear_and_cannot_be_reissued() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    // Canceled before the issue date: the billing is gone.
    let t = client
        .transactions()
        .create(payload(simple_body(
            "E-1",
            &destination,
            1000,
            "__passed__",
        )))
        .await?;
    let gone = t.billing_id.clone().expect("billing");
    client.transactions().cancel(&t.id).await?;
    let e = client.billings().get(&gone).await.unwrap_err();
    assert_api_error(&e, 404, ErrorCode::NotFound, Some(&gone));
    assert!(client.billings().list().send().await?.items.is_empty());
    fake.advance_clock(chrono::Duration::days(9));
    assert!(client.billings().get(&gone).await.is_err(), "never issued");

    // Canceled after it: still listed, at 0 yen, but not reissued.
    let mut body = simple_body("E-2", &destination, 1000, "__passed__");
    body["issue_date"] = json!("2026-04-10");
    let t = client.transactions().create(payload(body)).await?;
    let issued = t.billing_id.clone().expect("billing");
    fake.advance_clock(chrono::Duration::seconds(1));
    client.transactions().cancel(&t.id).await?;
    let billing = client.billings().get(&issued).await?;
    assert_eq!(billing.status, Some(BillingStatus::InvoiceIssued));
    assert_eq!(billing.amount, Some(0));
    let e = client
        .billings()
        .reissue(
            &issued,
            types::ReissuingPayload::new(destination.clone(), [InvoiceDeliveryMethod::Email]),
        )
        .await
        .unwrap_err();
    assert_api_error(
        &e,
        400,
        ErrorCode::InvalidReissuingBillingCanceled,
        Some(&issued),
    );
    Ok(())
}

#[tokio::test]
async fn invoice_modes_change_amounts_and_lists() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let classified = client
        .transactions()
        .create(payload(simple_body(
            "M-0",
            &destination,
            1000,
            "__passed__",
        )))
        .await?;

    // 請求単位: amounts optional, computed; per-rate totals empty.
    fake.set_invoice_mode(InvoiceMode::QualifiedPerBilling);
    assert_eq!(fake.invoice_mode(), InvoiceMode::QualifiedPerBilling);
    let mut body = tx_body("M-1", &destination, "__passed__");
    let object = body.as_object_mut().expect("object");
    object.remove("amount");
    object.remove("amounts_per_tax_rate_type");
    let per_billing = client.transactions().create(payload(body)).await?;
    assert_eq!(per_billing.amount, Some(5440));
    assert!(per_billing.amounts_per_tax_rate_type.is_empty());
    let billing_id = per_billing.billing_id.clone().expect("billing");
    assert_ne!(
        classified.billing_id.as_deref(),
        Some(billing_id.as_str()),
        "modes never mix"
    );

    // Invoice-mode billings count transactions under examination.
    let waiting = client
        .transactions()
        .create(payload(simple_body("M-2", &destination, 1001 - 1, "商品")))
        .await?;
    assert_eq!(waiting.status, Some(TransactionStatus::Unexamined));
    assert_eq!(waiting.billing, Some(false));
    assert_eq!(waiting.billing_id.as_deref(), Some(billing_id.as_str()));
    let billing = client.billings().get(&billing_id).await?;
    assert_eq!(billing.amount, Some(5440 + 1100));

    let qualified = client.billings().list_qualified().send().await?;
    assert_eq!(
        qualified
            .items
            .iter()
            .map(|b| b.id.clone())
            .collect::<Vec<_>>(),
        vec![billing_id.clone()]
    );
    let listed = client.billings().list().send().await?;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(Some(&listed.items[0].id), classified.billing_id.as_ref());

    // Rejected, it leaves the billing's amount.
    fake.decide_transaction(waiting.id.as_str(), Outcome::Rejected)?;
    assert_eq!(client.billings().get(&billing_id).await?.amount, Some(5440));

    // An invoice-mode billing left with nothing stays visible at 0 yen and
    // is stopped (請求停止) on its issue date.
    client.transactions().cancel(&per_billing.id).await?;
    let empty = client.billings().get(&billing_id).await?;
    assert_eq!(empty.amount, Some(0));
    assert_eq!(empty.status, Some(BillingStatus::Scheduled));
    fake.advance_clock(chrono::Duration::days(9));
    let stopped = client.billings().get(&billing_id).await?;
    assert_eq!(stopped.status, Some(BillingStatus::Stopped));
    let page = client
        .billings()
        .list_qualified()
        .status([BillingStatus::Scheduled])
        .send()
        .await?;
    assert!(page.items.is_empty());

    // 取引単位: amounts required again; billing amounts from the details
    // with one rounding per rate: 3 × 333 excluded at 10% is 1098.9 → 1098.
    fake.set_invoice_mode(InvoiceMode::QualifiedPerTransaction);
    let mut body = simple_body("M-3", &destination, 1000, "__passed__");
    body["issue_date"] = json!("2026-04-20");
    body.as_object_mut().expect("object").remove("amount");
    let e = raw(&fake, "POST", "/transactions", Some(body)).await;
    assert_error(&e, 400, "invalid_transaction_amount", None);
    let line = |number: &str| {
        json!({
            "amount": 366, "amounts_per_tax_rate_type": [{"amount": 366, "tax_rate_type": "normal_10"}],
            "date": "2026-04-10", "destination_id": destination, "due_date": "2026-04-30",
            "invoice_delivery_methods": ["email"], "issue_date": "2026-04-20", "number": number,
            "transaction_details": [{"description": "__passed__", "amount": 333, "quantity": 1,
                "unit_price": 333, "tax_included_type": "excluded", "tax_rate_type": "normal_10"}]
        })
    };
    let mut billing = None;
    for n in 0..3 {
        let t = client
            .transactions()
            .create(payload(line(&format!("M-L{n}"))))
            .await?;
        assert_eq!(t.amount, Some(366));
        billing = t.billing_id;
    }
    let billing = client.billings().get(&billing.expect("billing")).await?;
    assert_eq!(billing.amount, Some(1098), "not 3 × 366");
    assert_eq!(billing.amounts_per_tax_rate_type[0].amount, 1098);
    Ok(())
}

#[tokio::test]
async fn reissue_rules() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let (customer, destination) = customer(&fake).await?;
    let (_, foreign) = self::customer(&fake).await?;
    let second: types::DestinationPayload = serde_json::from_value(json!({
        "customer_id": customer, "address1": "大阪府大阪市北区1-1", "email": "osaka@example.com",
        "tel": "06-1234-5678", "zip_code": "530-0001"
    }))?;
    let second = client.destinations().create(second).await?.id;
    let t = client
        .transactions()
        .create(payload(tx_body("R-1", &destination, "__passed__")))
        .await?;
    let billing_id = t.billing_id.expect("billing");
    let path = format!("/billings/{billing_id}/reissue");
    let body = |dest: &str, methods: Value| json!({"destination_id": dest, "invoice_delivery_methods": methods});

    let got = raw(&fake, "POST", &path, Some(body(&second, json!(["email"])))).await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_billing_not_issued",
        Some(&billing_id),
    );
    fake.advance_clock(chrono::Duration::days(9));

    let got = raw(
        &fake,
        "POST",
        &path,
        Some(json!({"invoice_delivery_methods": ["email"]})),
    )
    .await;
    assert_error(&got, 400, "invalid_destination_id", None);
    let got = raw(
        &fake,
        "POST",
        &path,
        Some(json!({"destination_id": second})),
    )
    .await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_invoice_delivery_methods",
        None,
    );
    let got = raw(&fake, "POST", &path, Some(body(&second, json!([])))).await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_invoice_delivery_methods",
        None,
    );
    let got = raw(&fake, "POST", &path, Some(body(&second, json!(["fax"])))).await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_invoice_delivery_methods",
        Some("fax"),
    );
    let got = raw(
        &fake,
        "POST",
        &path,
        Some(body(&second, json!(["email", "email"]))),
    )
    .await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_duplicated_invoice_delivery_methods",
        Some("email"),
    );
    let got = raw(
        &fake,
        "POST",
        &path,
        Some(body("NONE-0000", json!(["email"]))),
    )
    .await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_destination_not_found",
        Some("NONE-0000"),
    );
    let got = raw(&fake, "POST", &path, Some(body(&foreign, json!(["email"])))).await;
    assert_error(
        &got,
        400,
        "invalid_reissuing_payload_customer_not_matched",
        Some(&foreign),
    );
    let got = raw(
        &fake,
        "POST",
        "/billings/NONE-0000/reissue",
        Some(body(&second, json!(["email"]))),
    )
    .await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));

    let reissued = client
        .billings()
        .reissue(
            &billing_id,
            types::ReissuingPayload::new(
                second.clone(),
                [InvoiceDeliveryMethod::Posting, InvoiceDeliveryMethod::Email],
            ),
        )
        .await?;
    assert_eq!(reissued.type_, Some(types::ReissuingResponseType::Invoice));
    assert!(reissued.account_transfer_notification.is_none());
    let invoice = reissued.invoice.expect("invoice");
    let invoice_id = invoice.id.clone();
    assert_eq!(Some(invoice.object.as_str()), Some("invoice"));
    assert_eq!(invoice.uri, format!("mfk:invoice:{invoice_id}"));
    assert_eq!(invoice.billing_id.as_deref(), Some(billing_id.as_str()));
    assert_eq!(invoice.destination_id.as_deref(), Some(second.as_str()));
    assert_eq!(invoice.amount, Some(5440));
    assert_eq!(invoice.billing_date, Some(day("2026-04-10")));
    assert_eq!(invoice.created_at, fake.now());
    assert_eq!(
        invoice.invoice_delivery_methods,
        vec![InvoiceDeliveryMethod::Posting, InvoiceDeliveryMethod::Email]
    );
    let billing = client.billings().get(&billing_id).await?;
    assert_eq!(billing.invoice_ids.len(), 2);
    assert_eq!(billing.invoice_ids[1], invoice_id);
    assert_eq!(
        billing.destination_id.as_deref(),
        Some(destination.as_str())
    );
    let issues = client.billings().issues(&billing_id).await?;
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[1].id, format!("i/{invoice_id}"));
    let sent = deliveries(&fake, 3).await;
    let reissue_event = sent
        .iter()
        .filter(|d| d.event_type == "invoice.issued")
        .filter_map(|d| serde_json::from_str::<Value>(&d.body).ok())
        .any(|e| e["invoice_id"] == invoice_id.as_str());
    assert!(
        reissue_event,
        "a reissued invoice is an invoice.issued too: {sent:?}"
    );
    Ok(())
}

#[tokio::test]
async fn signed_urls_point_back_at_the_fake() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (_, destination) = customer(&fake).await?;
    let t = client
        .transactions()
        .create(payload(tx_body("S-1", &destination, "__passed__")))
        .await?;
    let billing_id = t.billing_id.expect("billing");
    let pdf = || -> types::UploadSignedUrlPayload {
        serde_json::from_value(json!({"content_type": "application/pdf"})).expect("payload")
    };
    let http = reqwest::Client::new();

    // Upload: POST (or PUT) the file to the URL, without the apikey.
    let target = client.billings().upload_url(&billing_id, pdf()).await?;
    let url = target.url.expect("url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(
        target.expires_at,
        Some(fake.now() + chrono::Duration::minutes(15))
    );
    let sent = http.post(&url).body("attached file").send().await?;
    assert_eq!(sent.status().as_u16(), 204);
    let second = client.billings().upload_url(&billing_id, pdf()).await?;
    let sent = http
        .put(second.url.expect("url"))
        .body("second")
        .send()
        .await?;
    assert_eq!(sent.status().as_u16(), 204);
    assert_eq!(
        fake.uploaded_files(&billing_id),
        vec![b"attached file".to_vec(), b"second".to_vec()]
    );
    let forged = http.post(format!("{url}x")).body("x").send().await?;
    assert_eq!(forged.status().as_u16(), 403);
    fake.advance_clock(chrono::Duration::minutes(16));
    let late = http.post(&url).body("late").send().await?;
    assert_eq!(late.status().as_u16(), 403);

    let path = format!("/billings/{billing_id}/upload_signed_url");
    let got = raw(
        &fake,
        "POST",
        &path,
        Some(json!({"content_type": "image/png"})),
    )
    .await;
    assert_error(&got, 400, "invalid_parameter", Some("image/png"));
    let got = raw(&fake, "POST", &path, Some(json!({}))).await;
    assert_error(&got, 400, "invalid_parameter", None);
    let got = raw(
        &fake,
        "POST",
        "/billings/NONE-0000/upload_signed_url",
        Some(json!({"content_type": "text/csv"})),
    )
    .await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    fake.allow_billing_uploads(false);
    let e = client
        .billings()
        .upload_url(&billing_id, pdf())
        .await
        .unwrap_err();
    assert_api_error(&e, 403, ErrorCode::SellerSettingRequired, None);
    fake.allow_billing_uploads(true);
    client.billings().upload_url(&billing_id, pdf()).await?;

    // Download: one signed URL per issued document, GET without the apikey.
    fake.advance_clock(chrono::Duration::days(9));
    let issue_id = client.billings().issues(&billing_id).await?[0].id.clone();
    let urls = client
        .billings()
        .download_url(&billing_id, &issue_id)
        .await?;
    assert_eq!(urls.len(), 1);
    assert_eq!(urls[0].type_.as_deref(), Some("pdf"));
    assert_eq!(
        urls[0].expired_at,
        Some(fake.now() + chrono::Duration::minutes(15))
    );
    let file = http
        .get(urls[0].signed_url.clone().expect("url"))
        .send()
        .await?;
    assert_eq!(file.status().as_u16(), 200);
    assert_eq!(
        file.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = file.bytes().await?;
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes).contains(issue_id.as_str()));

    // The issue id's slash may come encoded as one segment too.
    let encoded = issue_id.replace('/', "%2F");
    let got = raw(
        &fake,
        "POST",
        &format!("/billings/{billing_id}/issues/{encoded}/download_signed_url"),
        None,
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["object"], "list");
    assert!(got.1.get("pagination").is_none());
    let got = raw(
        &fake,
        "POST",
        &format!("/billings/{billing_id}/issues/i/NONE-0000/download_signed_url"),
        None,
    )
    .await;
    assert_error(&got, 404, "not_found", Some("i/NONE-0000"));
    let got = raw(
        &fake,
        "POST",
        &format!("/billings/NONE-0000/issues/{issue_id}/download_signed_url"),
        None,
    )
    .await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    // The API itself still wants the key.
    let no_key = http
        .get(format!("{}/billings/{billing_id}", fake.base_url()))
        .send()
        .await?;
    assert_eq!(no_key.status().as_u16(), 401);
    Ok(())
}
