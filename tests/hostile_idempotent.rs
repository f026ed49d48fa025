//! `create_idempotent` when everything around it fails: the object is
//! returned whenever it exists, the caller is told "unknown" when that
//! cannot be known, and "failed" only when nothing was created.
#![cfg(feature = "testing")]

#[path = "common/trial.rs"]
mod trial;

use std::time::Duration;

use mfkessai::{
    testing::{FakeKessai, Fault},
    Client, Error, RetryPolicy,
};

fn customer(number: &str) -> mfkessai::raw::types::CustomerPayload {
    serde_json::from_value(serde_json::json!({
        "name": "株式会社テスト",
        "number": number,
        "destination": {
            "address1": "東京都千代田区1-2-3",
            "email": "billing@example.com",
            "name": "担当 太郎",
            "tel": "03-1234-5678",
            "zip_code": "111-1111"
        }
    }))
    .unwrap()
}

fn fast(fake: &FakeKessai) -> Client {
    fake.client_builder()
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(20))
                .budget(Duration::from_secs(5)),
        )
        .build()
        .unwrap()
}

/// How many customers with this number exist, asked without faults.
async fn existing(fake: &FakeKessai, number: &str) -> usize {
    let clean = fake.client().unwrap();
    let page = clean
        .customers()
        .list()
        .number(number)
        .send()
        .await
        .unwrap();
    page.items.len()
}

fn posts(fake: &FakeKessai) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v2/customers")
        .count()
}

#[tokio::test]
async fn a_failing_lookup_is_retried_until_it_finds_the_object() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    // The create happens but answers 502; the next lookup gets 503. Creates
    // and lookups share the call's attempts (3 by default): the create, the
    // lookup that fails, and the one that finds it.
    fake.inject(Fault::ProcessThenStatus(502), 1);
    fake.inject(Fault::Status(503), 1);
    let created = fast(&fake)
        .customers()
        .create_idempotent(customer("C-0001"))
        .await?;
    assert_eq!(Some(created.customer.number.as_str()), Some("C-0001"));
    assert_eq!(existing(&fake, "C-0001").await, 1);
    assert_eq!(posts(&fake), 1, "found, not sent again");
    Ok(())
}

#[tokio::test]
async fn creates_and_lookups_share_the_calls_attempts() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    // The create happens but answers 502; every lookup after it gets 503.
    fake.inject(Fault::ProcessThenStatus(502), 1);
    fake.inject(Fault::Status(503), 10_000);
    let client = fake
        .client_builder()
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1)),
        )
        .build()?;
    let err = client
        .customers()
        .create_idempotent(customer("C-0009"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(posts(&fake), 1, "never sent again while it may exist");
    assert_eq!(
        fake.requests().len(),
        4,
        "the create and three lookups: 4 attempts in all, not 4 per lookup"
    );
    Ok(())
}

#[tokio::test]
async fn a_lookup_that_never_answers_means_the_outcome_is_unknown() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    fake.inject(Fault::ProcessThenStatus(502), 1);
    fake.inject(Fault::Status(503), 10_000);
    let client = fake
        .client_builder()
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(50))
                .budget(Duration::from_millis(1_500)),
        )
        .build()?;
    let started = std::time::Instant::now();
    let err = client
        .customers()
        .create_idempotent(customer("C-0002"))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded by the budget"
    );
    assert!(err.is_outcome_unknown(), "{err:?}");
    let Error::OutcomeUnknown(details) = &err else {
        unreachable!()
    };
    assert_eq!(details.number, "C-0002");
    assert_eq!(details.create.status(), Some(502));
    assert_eq!(details.lookup.as_ref().and_then(Error::status), Some(503));
    assert!(err.to_string().contains("outcome unknown"), "{err}");
    fake.clear_faults();
    assert_eq!(
        existing(&fake, "C-0002").await,
        1,
        "it was created: unknown, not failed"
    );
    Ok(())
}

#[tokio::test]
async fn a_number_with_surrounding_whitespace_is_refused_before_sending() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    for number in ["C-0003 ", " C-0003", "C-0003\t", "  "] {
        let err = fake
            .client()?
            .customers()
            .create_idempotent(customer(number))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{number:?}: {err:?}");
    }
    assert!(fake.requests().is_empty(), "nothing sent");
    Ok(())
}

#[tokio::test]
async fn a_created_answer_that_cannot_be_read_is_looked_up() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    fake.inject(Fault::ProcessThenMalformed, 1);
    let created = fast(&fake)
        .customers()
        .create_idempotent(customer("C-0004"))
        .await?;
    assert_eq!(Some(created.customer.number.as_str()), Some("C-0004"));
    assert_eq!(posts(&fake), 1);
    // A plain create reports what happened: the body did not decode.
    fake.inject(Fault::ProcessThenMalformed, 1);
    let err = fast(&fake)
        .customers()
        .create(customer("C-0005"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn the_first_destination_is_found_however_many_were_added() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fast(&fake);
    let created = client.customers().create(customer("C-0006")).await?;
    let first = created.destination.id;
    let customer_id = created.customer.id;
    for n in 0..230 {
        let payload: mfkessai::raw::types::DestinationPayload =
            serde_json::from_value(serde_json::json!({
                "customer_id": customer_id,
                "address1": "東京都千代田区1-2-3",
                "email": format!("billing{n}@example.com"),
                "name": format!("担当 {n}"),
                "tel": "03-1234-5678",
                "zip_code": "111-1111"
            }))
            .unwrap();
        client.destinations().create(payload).await?;
    }
    // A second create of the same number answers 409 and is looked up.
    let again = client
        .customers()
        .create_idempotent(customer("C-0006"))
        .await?;
    assert_eq!(again.destination.id, first);
    Ok(())
}

#[tokio::test]
async fn a_fault_trial_loses_nothing_and_duplicates_nothing() {
    let t = trial::run(150, 11).await;
    eprintln!("{t:?}");
    assert_eq!(t.lost, 0, "{t:?}");
    assert_eq!(t.duplicated, 0, "{t:?}");
    assert_eq!(t.ok + t.unknown + t.failed, 150);
    assert!(t.ok >= 140, "most calls succeed: {t:?}");
}
