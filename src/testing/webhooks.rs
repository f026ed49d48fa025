//! Webhook delivery from the fake: the four documented events, signed with
//! the seller's secret as the reference describes, retried on failure with
//! `x-mfkessai-retry-number` counting up (on a compressed schedule, since a
//! test cannot wait the real one to thirty-one hours).

use std::{sync::Arc, time::Duration};

use super::{server::Shared, FakeKessai};
use crate::webhook::{Delivery, Secret};

/// Retries after the first attempt, as documented (6 requests in all).
const MAX_RETRIES: u32 = 5;

/// Where the fake posts events.
#[derive(Debug, Clone)]
pub(crate) struct WebhookTarget {
    url: String,
    secret: Secret,
    first_retry_delay: Duration,
    http: reqwest::Client,
    sent: Arc<std::sync::Mutex<Vec<WebhookDelivery>>>,
}

/// One webhook request the fake sent, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The event id (`event_id` and `x-mfkessai-event-id`).
    pub event_id: String,
    /// The event type, like `transaction.examined`.
    pub event_type: String,
    /// 0 for the first attempt, then 1..=5.
    pub retry_number: u32,
    /// The signed body.
    pub body: String,
    /// The receiver's status, or `None` when it could not be reached.
    pub status: Option<u16>,
}

impl FakeKessai {
    /// From now on, posts every event to `url`, signed with `secret`. A
    /// failed delivery (non-2xx, no answer within 10 s) is retried up to
    /// five times, waiting `first_retry_delay`, then twice as long each time
    /// (the real service waits 1 h, 2 h, 4 h, …).
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// fake.deliver_webhooks(
    ///     "http://127.0.0.1:3000/webhooks",
    ///     "whsec-test",
    ///     std::time::Duration::from_millis(50),
    /// );
    /// # Ok(()) }
    /// ```
    pub fn deliver_webhooks(
        &self,
        url: impl Into<String>,
        secret: impl Into<Secret>,
        first_retry_delay: Duration,
    ) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        *self
            .shared
            .webhook
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(WebhookTarget {
            url: url.into(),
            secret: secret.into(),
            first_retry_delay,
            http,
            sent: Arc::default(),
        });
    }

    /// Every webhook request sent so far, in the order they completed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// // Nothing delivered before `deliver_webhooks` and an event.
    /// assert!(fake.webhook_deliveries().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared
            .webhook
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|t| t.sent.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .unwrap_or_default()
    }
}

/// Sends the events a request produced, each in its own task.
pub(crate) fn dispatch(shared: &Shared, events: Vec<(String, serde_json::Value)>) {
    let Some(target) = shared
        .webhook
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    else {
        return;
    };
    let mut store = shared.store();
    for (event_type, fields) in events {
        let event_id = store.ids.next();
        let mut body = serde_json::Map::new();
        body.insert("event_id".into(), event_id.clone().into());
        body.insert("type".into(), event_type.clone().into());
        if let serde_json::Value::Object(fields) = fields {
            body.extend(fields);
        }
        body.insert("created_at".into(), store.clock.now().to_rfc3339().into());
        let body = serde_json::Value::Object(body).to_string();
        let target = target.clone();
        tokio::spawn(async move { deliver(target, event_id, event_type, body).await });
    }
}

async fn deliver(target: WebhookTarget, event_id: String, event_type: String, body: String) {
    let mut wait = target.first_retry_delay;
    for retry_number in 0..=MAX_RETRIES {
        let mut request = target
            .http
            .post(&target.url)
            .header("content-type", "application/json");
        for (name, value) in Delivery::new(event_id.clone(), retry_number)
            .headers(target.secret.clone(), body.as_bytes())
        {
            request = request.header(name, value);
        }
        let status = request
            .body(body.clone())
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16());
        target
            .sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(WebhookDelivery {
                event_id: event_id.clone(),
                event_type: event_type.clone(),
                retry_number,
                body: body.clone(),
                status,
            });
        if status.is_some_and(|s| (200..300).contains(&s)) {
            return;
        }
        tokio::time::sleep(wait).await;
        wait *= 2;
    }
}
