//! The README's "Practical answers", each checked: several instances
//! (idempotent creates, one retry quota per client and its clones), testing
//! your own code on `FakeKessai` in `#[tokio::test]`, and what changes
//! from the sandbox to production. The webhook inbox has its own test
//! (tests/recipe_webhook_inbox.rs).
#![cfg(feature = "testing")]

use mfkessai::{
    chrono::{Duration, NaiveDate},
    dec,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    testing::{FakeKessai, Fault},
    types::TransactionPayload,
    Decimal, Environment, RetryQuota,
};

// The README's "your code": registers an order as a transaction (取引),
// safe to run again after a crash or from another instance.
async fn place_order(
    client: &Client,
    destination: &DestinationId,
    order: &str,
    unit_price: Decimal,
    today: NaiveDate,
) -> mfkessai::Result<TransactionId> {
    let lines = TransactionLines::new()
        .line(Line::excluded(
            "保守費用",
            unit_price,
            dec!(1),
            TaxRateType::Normal10,
        ))
        .compute()?;
    let payload = TransactionPayload::with_lines(
        order,
        destination,
        today,
        today,
        today + Duration::days(30),
        [InvoiceDeliveryMethod::Email],
        lines,
    );
    let transaction = client.transactions().create_idempotent(payload).await?;
    Ok(transaction.id)
}

/// The README's test, as written there.
#[tokio::test]
async fn place_order_survives_a_lost_answer_and_a_second_run() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let today = fake.now().date_naive();
    let customer = &fake.seed_customers(1)[0];
    let destinations = client
        .destinations()
        .list()
        .customer_id(customer)
        .send()
        .await?;
    let destination = &destinations.items[0].id;

    // Kessai creates it, but the answer is lost: the SDK looks the number
    // up instead of sending it again.
    fake.inject(Fault::ProcessThenStatus(502), 1);
    let first = place_order(&client, destination, "ORDER-1", dec!(1000), today).await?;
    let posts = |fake: &FakeKessai| {
        let requests = fake.requests();
        requests
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/v2/transactions")
            .count()
    };
    assert_eq!(posts(&fake), 1, "not resent after the lost answer");
    // The job runs again (a retry, another instance): its POST answers 409
    // and resolves to the same transaction.
    let again = place_order(&client, destination, "ORDER-1", dec!(1000), today).await?;
    assert_eq!(first, again);
    let found = client
        .transactions()
        .list()
        .number("ORDER-1")
        .send()
        .await?;
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].amount, Some(1100));
    Ok(())
}

#[tokio::test]
async fn two_instances_creating_the_same_number_get_one_transaction() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    // Two processes: two clients, each with its own connection pool and quota.
    let (one, two) = (fake.client()?, fake.client()?);
    let today = fake.now().date_naive();
    let customer = &fake.seed_customers(1)[0];
    let destinations = one
        .destinations()
        .list()
        .customer_id(customer)
        .send()
        .await?;
    let destination = &destinations.items[0].id;
    let (a, b) = tokio::join!(
        place_order(&one, destination, "ORDER-2", dec!(5000), today),
        place_order(&two, destination, "ORDER-2", dec!(5000), today),
    );
    assert_eq!(a?, b?);
    let found = one.transactions().list().number("ORDER-2").send().await?;
    assert_eq!(found.items.len(), 1);
    Ok(())
}

#[tokio::test]
async fn clones_share_one_retry_quota_other_clients_have_their_own() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let clone = client.clone();
    // Every attempt fails: the retries are paid from the quota.
    fake.inject(Fault::Status(503), 3);
    assert!(client.customers().list().send().await.is_err());
    let left = client.retry_quota().available();
    assert!(left < RetryQuota::DEFAULT_CAPACITY, "{left}");
    assert_eq!(clone.retry_quota().available(), left);
    // Another process (another client) starts full: N instances may retry
    // N times as much in all; size the quota for that.
    let other = fake.client()?;
    assert_eq!(
        other.retry_quota().available(),
        RetryQuota::DEFAULT_CAPACITY
    );
    Ok(())
}

#[tokio::test]
async fn production_is_chosen_by_configuration_and_refuses_magic_strings() -> mfkessai::Result<()> {
    assert!(Environment::parse("production")?.is_production());
    assert!(!Environment::parse("sandbox")?.is_production());
    assert!(!Environment::parse("")?.is_production()); // MFKESSAI_ENV unset: sandbox
    let production = Client::builder()
        .api_key("a-production-key")
        .environment(Environment::Production)
        .build()?;
    let examination = mfkessai::types::CustomerExaminationPayload::new(
        CustomerId::from("7679-YW36"),
        100_000,
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        "billing@example.com",
        "03-1234-5678",
        "111-1111",
        "東京都千代田区1-2-3",
    )
    .with_outcome(Outcome::Passed);
    // Refused before anything is sent: no network needed for this test.
    let error = production
        .customer_examinations()
        .create(examination)
        .await
        .unwrap_err();
    assert!(error.is_validation(), "{error}");
    Ok(())
}
