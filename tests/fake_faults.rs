//! The facade's retry rules against the fake server's fault injection: what
//! is retried, and that money is never sent twice.
#![cfg(feature = "testing")]

use std::time::{Duration, Instant};

use mfkessai::{
    raw::types,
    testing::{FakeKessai, Fault},
    Error, RetryPolicy,
};

fn customer(number: &str) -> types::CustomerPayload {
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

fn attempts(fake: &FakeKessai, path: &str, method: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.path == path && r.method == method)
        .count()
}

#[tokio::test]
async fn a_get_is_retried_after_5xx_429_and_a_dropped_connection() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.seed_customers(2);
    for fault in [
        Fault::Status(500),
        Fault::Status(502),
        Fault::Status(503),
        Fault::Status(504),
        Fault::RateLimited { retry_after: None },
        Fault::DropConnection,
    ] {
        fake.clear_requests();
        fake.inject(fault.clone(), 2);
        let page = client.customers().list().send().await?;
        assert_eq!(page.items.len(), 2, "{fault:?}");
        let log = fake.requests();
        assert_eq!(log.len(), 3, "{fault:?}: two failures, then success");
        assert_eq!(log[0].fault.as_ref(), Some(&fault));
        assert_eq!(log[2].status, 200);
    }
    Ok(())
}

#[tokio::test]
async fn retry_after_is_honoured() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.inject(
        Fault::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        },
        1,
    );
    let started = Instant::now();
    client.customers().list().send().await?;
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.requests().len(), 2);
    Ok(())
}

#[tokio::test]
async fn a_post_is_retried_after_429_but_not_after_a_5xx() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;

    // 429: not processed, so sending again is safe.
    fake.inject(Fault::RateLimited { retry_after: None }, 1);
    let created = client.customers().create(customer("C-429")).await?;
    assert_eq!(created.customer.object, "customer");
    assert_eq!(attempts(&fake, "/v2/customers", "POST"), 2);

    // 503 on a POST: the request may have been processed; not resent.
    fake.clear_requests();
    fake.inject(Fault::ProcessThenStatus(503), 1);
    let err = client
        .customers()
        .create(customer("C-503"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(attempts(&fake, "/v2/customers", "POST"), 1);
    // ... and it was in fact processed: the customer exists once.
    let found = client.customers().list().number("C-503").send().await?;
    assert_eq!(found.items.len(), 1);

    // A dropped connection on a POST is not resent either.
    fake.clear_requests();
    fake.inject(Fault::DropConnection, 1);
    let err = client
        .customers()
        .create(customer("C-drop"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(attempts(&fake, "/v2/customers", "POST"), 1);
    Ok(())
}

#[tokio::test]
async fn create_idempotent_survives_an_ambiguous_failure_without_duplicating(
) -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    // Processed, but the answer is lost: the SDK looks the number up.
    fake.inject(Fault::ProcessThenStatus(502), 1);
    let created = client
        .customers()
        .create_idempotent(customer("C-ONCE"))
        .await?;
    let id = created.customer.id;
    let found = client.customers().list().number("C-ONCE").send().await?;
    assert_eq!(found.items.len(), 1);
    assert_eq!(Some(found.items[0].id.as_str()), Some(id.as_str()));
    assert!(
        created.destination.object == "destination",
        "the first destination comes back too"
    );
    // Not processed (503 before the handler): created exactly once.
    fake.inject(Fault::Status(503), 1);
    client
        .customers()
        .create_idempotent(customer("C-TWICE"))
        .await?;
    let found = client.customers().list().number("C-TWICE").send().await?;
    assert_eq!(found.items.len(), 1);
    Ok(())
}

#[tokio::test]
async fn timeouts_are_retried_for_gets_only() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(200))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()?;
    fake.inject(Fault::Delay(Duration::from_millis(600)), 1);
    client.customers().list().send().await?;
    let log = fake.requests();
    assert_eq!(log.len(), 2);
    // The slow attempt has no answer yet: the client gave up on it.
    assert_eq!(log[0].status, 0);
    assert_eq!(log[1].status, 200);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        fake.requests()[0].status,
        200,
        "the server finished it anyway"
    );

    fake.clear_requests();
    fake.inject(Fault::DelayThenStatus(Duration::from_millis(600), 500), 1);
    let err = client
        .customers()
        .create(customer("C-SLOW"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true }), "{err:?}");
    // Give the slow request time to be logged.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(attempts(&fake, "/v2/customers", "POST"), 1);
    Ok(())
}

#[tokio::test]
async fn retries_stop_at_the_policy_limit() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake
        .client_builder()
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()?;
    fake.inject(Fault::Status(503), 10);
    let err = client.customers().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.requests().len(), 3);
    Ok(())
}

#[tokio::test]
async fn requests_without_the_api_key_get_401_and_unknown_routes_404() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let http = reqwest::Client::new();
    let url = format!("{}/customers", fake.base_url());
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response = http
        .get(&url)
        .header("apikey", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = http
        .get(format!("{}/nowhere", fake.base_url()))
        .header("apikey", fake.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let response = http
        .delete(&url)
        .header("apikey", fake.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    // The key is not in Debug output either.
    assert!(!format!("{fake:?}").contains(fake.api_key()));
    let builder = FakeKessai::builder().api_key("builder-secret");
    assert!(!format!("{builder:?}").contains("builder-secret"));
    // The key never lands in the request log.
    assert!(fake.requests().iter().all(|r| r
        .headers
        .iter()
        .all(|(n, v)| n != "apikey" && v != fake.api_key())));
    Ok(())
}

#[tokio::test]
async fn the_request_log_keeps_the_newest_entries_and_their_answers() -> mfkessai::Result<()> {
    let fake = FakeKessai::builder()
        .request_log_capacity(3)
        .start()
        .await?;
    let client = fake.client()?;
    fake.seed_customers(1);
    for size in 1..=5u32 {
        client.customers().list().page_size(size).send().await?;
    }
    let log = fake.requests();
    assert_eq!(log.len(), 3);
    let queries: Vec<_> = log.iter().map(|r| r.query.clone().unwrap()).collect();
    assert_eq!(queries, ["limit=3", "limit=4", "limit=5"]);
    assert!(log.iter().all(|r| r.status == 200));
    let body: serde_json::Value = serde_json::from_str(&log[2].response_body).unwrap();
    assert_eq!(body["pagination"]["limit"], 5);
    Ok(())
}
