//! The fault trial: many `create_idempotent` calls against the fake with
//! random faults of every kind, then a count of what callers were told
//! against what exists. Shared by `tests/hostile_idempotent.rs` (small) and
//! `benches/fault_trial.rs` (full size).

use std::time::Duration;

use mfkessai::{
    testing::{FakeKessai, Fault},
    RetryPolicy,
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

/// Every kind of fault, including ones after processing and delays past
/// the client's timeout.
fn every_fault() -> Vec<Fault> {
    vec![
        Fault::RateLimited { retry_after: None },
        Fault::Status(500),
        Fault::Status(502),
        Fault::Status(503),
        Fault::ProcessThenStatus(500),
        Fault::ProcessThenStatus(502),
        Fault::ProcessThenStatus(504),
        Fault::DropConnection,
        Fault::ProcessThenDropConnection,
        Fault::ProcessThenMalformed,
        Fault::Delay(Duration::from_millis(400)),
        Fault::DelayThenStatus(Duration::from_millis(400), 503),
    ]
}

/// The outcome of a fault trial: what callers were told, against what exists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Trial {
    pub ok: usize,
    pub unknown: usize,
    pub failed: usize,
    /// Numbers that exist afterwards (each at most once).
    pub existing: usize,
    /// Exists, but the caller was told it failed.
    pub lost: usize,
    pub duplicated: usize,
}

/// Runs `calls` creates with 10% of all requests faulted.
pub async fn run(calls: usize, seed: u64) -> Trial {
    let fake = FakeKessai::start().await.unwrap();
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(250))
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(20))
                .budget(Duration::from_secs(3)),
        )
        .build()
        .unwrap();
    fake.inject_randomly(10, every_fault(), seed);
    let mut told = Vec::new();
    for n in 0..calls {
        let number = format!("T-{seed}-{n:05}");
        let result = client
            .customers()
            .create_idempotent(customer(&number))
            .await;
        if let Ok(created) = &result {
            let got = Some(created.customer.number.clone());
            assert_eq!(
                got.as_deref(),
                Some(number.as_str()),
                "the object asked for"
            );
        }
        told.push((number, result));
    }
    fake.clear_faults();
    // Requests cut by the client may still be running in the fake.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut t = Trial::default();
    for (number, result) in told {
        let count = existing(&fake, &number).await;
        t.existing += usize::from(count > 0);
        t.duplicated += count.saturating_sub(1);
        match result {
            Ok(_) => t.ok += 1,
            Err(e) if e.is_outcome_unknown() => t.unknown += 1,
            Err(_) => {
                t.failed += 1;
                t.lost += usize::from(count > 0);
            }
        }
    }
    t
}
