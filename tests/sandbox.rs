//! The sandbox's magic strings: the helpers that set them, the guard that
//! keeps them away from production, and (with the fake server) the
//! outcomes they choose.

use mfkessai::{
    raw::types,
    sandbox::{self, Outcome, WithOutcome},
    Client, Environment, Error,
};
use serde_json::json;

fn transaction() -> types::TransactionPayload {
    serde_json::from_value(json!({
        "destination_id": "WNAV-37R6", "number": "TX-1",
        "date": "2026-04-01", "issue_date": "2026-04-01", "due_date": "2026-04-30",
        "invoice_delivery_methods": ["email"], "amount": 2200,
        "amounts_per_tax_rate_type": [{"amount": 2200, "tax_rate_type": "normal_10"}],
        "transaction_details": [
            {"description": "A", "amount": 1000, "unit_price": 1000, "quantity": 1,
             "tax_included_type": "excluded", "tax_rate_type": "normal_10"},
            {"description": "B", "amount": 1000, "unit_price": 1000, "quantity": 1,
             "tax_included_type": "excluded", "tax_rate_type": "normal_10"}
        ]
    }))
    .unwrap()
}

fn examination() -> types::CustomerExaminationPayload {
    serde_json::from_value(json!({
        "customer_id": "7679-YW36", "amount": 100000, "end_date": "2026-04-30",
        "address1": "東京都千代田区1-2-3", "email": "a@example.com",
        "tel": "0312345678", "zip_code": "111-1111"
    }))
    .unwrap()
}

fn customer() -> types::CustomerPayload {
    serde_json::from_value(json!({
        "name": "顧客", "number": "C-1",
        "destination": {"address1": "東京都千代田区1-2-3", "email": "a@example.com",
                        "tel": "0312345678", "zip_code": "111-1111"}
    }))
    .unwrap()
}

#[test]
fn outcomes_spell_the_documented_strings() {
    assert_eq!(Outcome::Passed.as_str(), "__passed__");
    assert_eq!(Outcome::Rejected.as_str(), "__rejected__");
    assert_eq!(Outcome::Unexamined.as_str(), "__unexamined__");
    for o in Outcome::ALL {
        assert_eq!(Outcome::from_magic(o.as_str()), Some(o));
        assert_eq!(o.to_string(), o.as_str());
    }
    assert_eq!(Outcome::from_magic("__PASSED__"), None);
    assert_eq!(Outcome::from_magic(" __passed__"), None);
}

#[test]
fn helpers_set_every_place_the_sandbox_reads() {
    let t = transaction().with_outcome(Outcome::Rejected);
    assert!(t
        .transaction_details
        .iter()
        .all(|d| d.description == "__rejected__"));
    assert_eq!(t.magic_strings().len(), 2);

    let e = examination().with_outcome(Outcome::Unexamined);
    assert_eq!(e.remark.as_deref(), Some("__unexamined__"));

    let c = customer().with_outcome(Outcome::Passed);
    assert_eq!(
        c.customer_examination
            .as_ref()
            .and_then(|e| e.remark.as_deref()),
        Some("__passed__")
    );
    assert_eq!(
        c.magic_strings(),
        vec![("customer_examination.remark".to_string(), Outcome::Passed)]
    );
    assert!(customer().magic_strings().is_empty());
}

fn production() -> Client {
    Client::builder()
        .api_key("live-key-not-used")
        .environment(Environment::Production)
        .build()
        .unwrap()
}

fn assert_refused(err: Error, field: &str) {
    let Error::Validation(v) = &err else {
        panic!("expected a validation error before sending, got {err:?}")
    };
    assert_eq!(v.param.as_deref(), Some(field));
    assert!(err.to_string().contains("Production"), "{err}");
}

#[tokio::test]
async fn production_refuses_magic_strings_before_sending() {
    // The real API is unreachable from here: a request that went out would
    // come back as a transport error, not a validation error.
    let client = production();
    let err = client
        .transactions()
        .create(transaction().with_outcome(Outcome::Passed))
        .await
        .unwrap_err();
    assert_refused(err, "transaction_details[0].description");

    let err = client
        .transactions()
        .create_idempotent(transaction().with_outcome(Outcome::Passed))
        .await
        .unwrap_err();
    assert_refused(err, "transaction_details[0].description");

    let err = client
        .customer_examinations()
        .create(examination().with_outcome(Outcome::Rejected))
        .await
        .unwrap_err();
    assert_refused(err, "remark");

    let err = client
        .customers()
        .create(customer().with_outcome(Outcome::Unexamined))
        .await
        .unwrap_err();
    assert_refused(err, "customer_examination.remark");

    // Only one detail carrying it is enough to refuse.
    let mut mixed = transaction();
    mixed.transaction_details[1].description = "__passed__".into();
    let err = client.transactions().create(mixed).await.unwrap_err();
    assert_refused(err, "transaction_details[1].description");
}

#[test]
fn the_guard_lets_other_environments_through() {
    let t = transaction().with_outcome(Outcome::Passed);
    assert!(sandbox::refuse_in_production(&Environment::Sandbox, &t).is_ok());
    let custom = Environment::custom("http://127.0.0.1:9/v2").unwrap();
    assert!(sandbox::refuse_in_production(&custom, &t).is_ok());
    assert!(sandbox::refuse_in_production(&Environment::Production, &transaction()).is_ok());
}

#[cfg(feature = "testing")]
#[tokio::test]
async fn the_fake_server_decides_by_the_magic_strings() -> mfkessai::Result<()> {
    use mfkessai::testing::FakeKessai;
    use types::{CustomerExaminationStatus, TransactionStatus};

    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let today = fake.now().date_naive();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 4, 30).unwrap();
    assert!(today <= end);

    for (outcome, status) in [
        (Some(Outcome::Passed), CustomerExaminationStatus::Passed),
        (Some(Outcome::Rejected), CustomerExaminationStatus::Rejected),
        (
            Some(Outcome::Unexamined),
            CustomerExaminationStatus::Unexamined,
        ),
        (None, CustomerExaminationStatus::Unexamined),
    ] {
        let mut c = customer();
        c.number = format!("C-{outcome:?}");
        let created = client.customers().create(c).await?;
        let mut e = examination();
        e.customer_id = created.customer.id;
        if let Some(o) = outcome {
            e.set_outcome(o);
        }
        let exam = client.customer_examinations().create(e).await?;
        assert_eq!(exam.status, Some(status), "{outcome:?}");
    }

    // Transactions of a customer without a credit line: the descriptions decide.
    let created = client
        .customers()
        .create({
            let mut c = customer();
            c.number = "C-TX".into();
            c
        })
        .await?;
    let destination_id = created.destination.id;
    for (i, (outcome, status)) in [
        (Some(Outcome::Passed), TransactionStatus::Passed),
        (Some(Outcome::Rejected), TransactionStatus::Rejected),
        (Some(Outcome::Unexamined), TransactionStatus::Unexamined),
        (None, TransactionStatus::Unexamined),
    ]
    .into_iter()
    .enumerate()
    {
        let mut t = transaction();
        t.destination_id = destination_id.clone();
        t.number = format!("TX-{i}");
        t.date = today;
        t.issue_date = today;
        if let Some(o) = outcome {
            t.set_outcome(o);
        }
        let created = client.transactions().create(t).await?;
        assert_eq!(created.status, Some(status), "{outcome:?}");
    }
    // Not every detail carries the string: no decision.
    let mut t = transaction();
    t.destination_id = destination_id;
    t.number = "TX-half".into();
    t.date = today;
    t.issue_date = today;
    t.transaction_details[0].description = "__passed__".into();
    let created = client.transactions().create(t).await?;
    assert_eq!(created.status, Some(TransactionStatus::Unexamined));
    Ok(())
}
