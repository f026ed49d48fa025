//! Webhooks end to end: the fake Kessai server delivers signed events to
//! the example receiver (examples/webhook_receiver.rs), which verifies,
//! deduplicates and hands them off.
#![cfg(feature = "testing")]

#[allow(dead_code)]
#[path = "../examples/webhook_receiver.rs"]
mod receiver;

use std::time::Duration;

use mfkessai::{
    raw::types,
    sandbox::{Outcome, WithOutcome},
    testing::FakeKessai,
    webhook::{Event, ExaminationResult, Secret},
};
use tokio::sync::mpsc;

const SECRET: &str = "whsec-fake-e2e";

async fn start_receiver() -> (String, mpsc::Receiver<Event>) {
    let (tx, rx) = mpsc::channel(32);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, receiver::app(vec![Secret::new(SECRET)], tx)).await
    });
    (format!("http://{addr}/webhooks/mfkessai"), rx)
}

async fn next_event(rx: &mut mpsc::Receiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("an event within 10 s")
        .expect("the receiver is running")
}

fn customer(number: &str) -> types::CustomerPayload {
    serde_json::from_value(serde_json::json!({
        "name": "株式会社ウェブフック",
        "number": number,
        "destination": {
            "address1": "東京都千代田区1-2-3", "email": "billing@example.com",
            "name": "担当 太郎", "tel": "0312345678", "zip_code": "111-1111"
        }
    }))
    .unwrap()
}

fn examination(
    customer_id: &str,
    end_date: chrono::NaiveDate,
) -> types::CustomerExaminationPayload {
    serde_json::from_value(serde_json::json!({
        "customer_id": customer_id, "amount": 500000, "end_date": end_date,
        "address1": "東京都千代田区1-2-3", "email": "billing@example.com",
        "tel": "0312345678", "zip_code": "111-1111", "business_type": "corporate"
    }))
    .unwrap()
}

fn transaction(
    destination_id: &str,
    number: &str,
    today: chrono::NaiveDate,
) -> types::TransactionPayload {
    let due = today + chrono::Duration::days(40);
    serde_json::from_value(serde_json::json!({
        "destination_id": destination_id, "number": number,
        "date": today, "issue_date": today + chrono::Duration::days(5), "due_date": due,
        "invoice_delivery_methods": ["email"],
        "amount": 1100,
        "amounts_per_tax_rate_type": [{"amount": 1100, "tax_rate_type": "normal_10"}],
        "transaction_details": [{"description": "保守費用", "amount": 1000, "unit_price": 1000,
            "quantity": 1, "tax_included_type": "excluded", "tax_rate_type": "normal_10"}]
    }))
    .unwrap()
}

#[tokio::test]
async fn the_four_events_reach_the_example_receiver_verified() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (url, mut events) = start_receiver().await;
    fake.deliver_webhooks(url, SECRET, Duration::from_millis(20));
    let today = fake.now().date_naive();

    // customer_examination.examined, decided by the magic remark.
    let created = client.customers().create(customer("WH-1")).await?;
    let customer_id = created.customer.id;
    let destination_id = created.destination.id;
    let end = {
        use chrono::Datelike;
        let first = today.with_day(1).unwrap();
        first.checked_add_months(chrono::Months::new(1)).unwrap() - chrono::Duration::days(1)
    };
    let exam = client
        .customer_examinations()
        .create(examination(&customer_id, end).with_outcome(Outcome::Rejected))
        .await?;
    let Event::CustomerExaminationExamined(e) = next_event(&mut events).await else {
        panic!("expected customer_examination.examined")
    };
    assert_eq!(
        Some(e.customer_examination_id.as_str()),
        Some(exam.id.as_str())
    );
    assert_eq!(e.customer_id, customer_id);
    assert_eq!(e.result, ExaminationResult::Rejected);

    // transaction.examined: no facility, so the magic descriptions decide.
    let tx = client
        .transactions()
        .create(transaction(&destination_id, "WH-TX-1", today).with_outcome(Outcome::Passed))
        .await?;
    let Event::TransactionExamined(t) = next_event(&mut events).await else {
        panic!("expected transaction.examined")
    };
    assert_eq!(Some(t.transaction_id.as_str()), Some(tx.id.as_str()));
    assert_eq!(t.transaction_number, "WH-TX-1");
    assert_eq!(t.result, ExaminationResult::Passed);

    // invoice.issued when the clock reaches the issue date.
    fake.advance_clock(chrono::Duration::days(6));
    let Event::InvoiceIssued(i) = next_event(&mut events).await else {
        panic!("expected invoice.issued")
    };
    assert_eq!(Some(i.billing_id.as_str()), tx.billing_id.as_deref());
    let billing = client
        .billings()
        .get(&mfkessai::ids::BillingId::from(&i.billing_id))
        .await?;
    assert!(
        billing
            .invoice_ids
            .contains(&mfkessai::ids::InvoiceId::from(&i.invoice_id)),
        "{billing:?}"
    );

    // customer_name_update.examined, decided by the test.
    let update: types::CustomerNameUpdatePayload = serde_json::from_value(serde_json::json!({
        "customer_id": customer_id, "name": "株式会社ウェブフック新", "reason": "社名変更"
    }))
    .unwrap();
    let update = client.customer_name_updates().create(update).await?;
    fake.decide_customer_name_update(&update.id, true)?;
    let Event::CustomerNameUpdateExamined(n) = next_event(&mut events).await else {
        panic!("expected customer_name_update.examined")
    };
    assert_eq!(
        Some(n.customer_name_update_id.as_str()),
        Some(update.id.as_str())
    );
    assert_eq!(n.result, ExaminationResult::Passed);

    // Every delivery was accepted at once: nothing to retry. (The fake
    // records a delivery once the receiver has answered.)
    let mut deliveries = fake.webhook_deliveries();
    for _ in 0..100 {
        if deliveries.len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        deliveries = fake.webhook_deliveries();
    }
    assert_eq!(deliveries.len(), 4, "{deliveries:?}");
    assert!(deliveries
        .iter()
        .all(|d| d.status == Some(200) && d.retry_number == 0));
    Ok(())
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_event_again_with_the_retry_number() -> mfkessai::Result<()>
{
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    // The receiver knows another secret: it answers 401 every time.
    let (url, mut events) = start_receiver().await;
    fake.deliver_webhooks(url, "not-the-receivers-secret", Duration::from_millis(5));
    let created = client.customers().create(customer("WH-2")).await?;
    let customer_id = created.customer.id;
    let today = fake.now().date_naive();
    let end = {
        use chrono::Datelike;
        today
            .with_day(1)
            .unwrap()
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
            - chrono::Duration::days(1)
    };
    client
        .customer_examinations()
        .create(examination(&customer_id, end).with_outcome(Outcome::Passed))
        .await?;
    // 1 + 5 retries, waiting 5, 10, 20, 40, 80 ms.
    let mut deliveries = Vec::new();
    for _ in 0..100 {
        deliveries = fake.webhook_deliveries();
        if deliveries.len() == 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let deliveries_after = fake.webhook_deliveries();
    assert_eq!(
        deliveries_after.len(),
        6,
        "then the fake gives up: {deliveries_after:?}"
    );
    assert_eq!(
        deliveries
            .iter()
            .map(|d| d.retry_number)
            .collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5]
    );
    assert!(deliveries.iter().all(|d| d.status == Some(401)));
    assert!(deliveries
        .windows(2)
        .all(|w| w[0].body == w[1].body && w[0].event_id == w[1].event_id));
    assert!(
        events.try_recv().is_err(),
        "nothing unverified was handed off"
    );
    Ok(())
}
