//! The retry storm: 50 tasks against a fake that answers 503 to everything
//! for a while. Without a quota every call spends all its attempts; with the
//! client's shared quota, retries stop once it runs dry.
#![cfg(feature = "testing")]

use std::time::Duration;

use mfkessai::{
    testing::{FakeKessai, Fault},
    RetryPolicy, RetryQuota,
};

/// What each task calls in the storm.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// `customers().list().send()`: a GET.
    List,
    /// `customers().create_idempotent(..)`: a POST, then lookups by number.
    CreateIdempotent,
}

fn customer(number: &str) -> mfkessai::raw::types::CustomerPayload {
    serde_json::from_value(serde_json::json!({
        "name": "株式会社テスト",
        "number": number,
        "destination": {
            "address1": "東京都千代田区1-2-3", "email": "billing@example.com",
            "name": "担当 太郎", "tel": "03-1234-5678", "zip_code": "111-1111"
        }
    }))
    .unwrap()
}

/// 50 tasks, each starting a call every 250 ms for `window` (work arrives
/// on schedule, whether or not earlier calls have finished), against a fake
/// that answers 503 to everything. Returns (calls, attempts the fake saw).
async fn storm(quota: RetryQuota, window: Duration, call: Call) -> (usize, usize) {
    const TASKS: usize = 50;
    const EVERY: Duration = Duration::from_millis(250);
    let fake = FakeKessai::start().await.unwrap();
    let client = fake
        .client_builder()
        .retry(
            RetryPolicy::default()
                .max_attempts(5)
                .base_delay(Duration::from_millis(20))
                .max_delay(Duration::from_millis(200))
                // Far more than 5 attempts need (at most 4 waits of 200 ms), so
                // a loaded machine cannot end a call early and change the counts.
                .budget(Duration::from_secs(60)),
        )
        .retry_quota(quota)
        .build()
        .unwrap();
    fake.inject_randomly(100, [Fault::Status(503)], 1);
    let start = tokio::time::Instant::now();
    let per_task = (window.as_millis() / EVERY.as_millis()) as u32;
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..per_task {
        tokio::time::sleep_until(start + EVERY * i).await;
        for t in 0..TASKS {
            let client = client.clone();
            calls.spawn(async move {
                match call {
                    Call::List => client.customers().list().send().await.is_err(),
                    Call::CreateIdempotent => client
                        .customers()
                        .create_idempotent(customer(&format!("STORM-{i}-{t}")))
                        .await
                        .is_err(),
                }
            });
        }
    }
    let mut count = 0;
    while let Some(failed) = calls.join_next().await {
        assert!(failed.unwrap(), "everything answers 503");
        count += 1;
    }
    (count, fake.requests().len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_quota_stops_a_retry_storm() {
    let window = Duration::from_secs(5);
    let (calls, without) = storm(RetryQuota::unlimited(), window, Call::List).await;
    let (same_calls, with) = storm(RetryQuota::default(), window, Call::List).await;
    assert_eq!(calls, same_calls);
    eprintln!(
        "list: 50 tasks, 503 for {window:?}, {calls} calls: {without} attempts without the quota, \
         {with} with it"
    );
    assert_eq!(without, calls * 5, "every call spends its 5 attempts");
    // The default bucket pays for 100 retries; after that each call is one attempt.
    assert!(with <= calls + 100, "{with} attempts for {calls} calls");
}

/// `create_idempotent` runs one retry loop: its creates and its lookups by
/// number share the call's attempts (at most `max_attempts`, plus the one
/// lookup that resolves the last ambiguous failure) and draw from the quota.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotent_creates_do_not_multiply_attempts_in_a_storm() {
    let window = Duration::from_secs(5);
    let (calls, without) = storm(RetryQuota::unlimited(), window, Call::CreateIdempotent).await;
    let (same_calls, with) = storm(RetryQuota::default(), window, Call::CreateIdempotent).await;
    assert_eq!(calls, same_calls);
    eprintln!(
        "create_idempotent: 50 tasks, 503 for {window:?}, {calls} calls: {without} attempts \
         without the quota, {with} with it"
    );
    assert!(without <= calls * 6, "{without} attempts for {calls} calls");
    assert!(with <= calls * 2 + 100, "{with} attempts for {calls} calls");
}

#[tokio::test]
async fn retries_resume_once_answers_come_back() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let quota = RetryQuota::new(10);
    let client = fake
        .client_builder()
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .retry_quota(quota.clone())
        .build()?;
    fake.inject(Fault::Status(503), 4);
    // The first call's two retries drain the 10 tokens; the second call
    // cannot retry at all...
    assert!(client.customers().list().send().await.is_err());
    assert!(client.customers().list().send().await.is_err());
    assert_eq!(quota.available(), 0);
    // ...so the next failure is not retried,
    fake.inject(Fault::Status(503), 1);
    assert!(client.customers().list().send().await.is_err());
    assert_eq!(fake.requests().len(), 5);
    // and successes refill the bucket.
    for _ in 0..5 {
        client.customers().list().send().await?;
    }
    assert_eq!(quota.available(), 5);
    fake.inject(Fault::Status(503), 1);
    client.customers().list().send().await?;
    assert_eq!(
        quota.available(),
        5,
        "the retry that succeeded was refunded"
    );
    Ok(())
}
