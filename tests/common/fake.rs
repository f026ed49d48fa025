//! Helpers for the tests that run against the fake server.

use std::time::Duration;

use mfkessai::{testing::FakeKessai, ErrorCode};
use serde_json::Value;

/// What the fake-server tests return.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// One request without the facade: (status, JSON body).
pub async fn raw(fake: &FakeKessai, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    raw_text(fake, method, path, body.map(|b| b.to_string())).await
}

/// One request without the facade, the body sent as given.
pub async fn raw_text(
    fake: &FakeKessai,
    method: &str,
    path: &str,
    body: Option<String>,
) -> (u16, Value) {
    // One client per test binary, since building one per request is slow;
    // without idle connections, as each test has its own runtime.
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let http = HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("a client")
    });
    let url = format!("{}{}", fake.base_url(), path);
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = http.request(method, url).header("apikey", fake.api_key());
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// Asserts a `[{code, message, param}]` body's first error.
#[track_caller]
pub fn assert_error(got: &(u16, Value), status: u16, code: &str, param: Option<&str>) {
    assert_eq!(got.0, status, "status of {}", got.1);
    assert_eq!(got.1[0]["code"], code, "code of {}", got.1);
    if let Some(param) = param {
        assert_eq!(got.1[0]["param"], param, "param of {}", got.1);
    }
}

/// Asserts an SDK error's status, code and param.
#[track_caller]
pub fn assert_api_error(e: &mfkessai::Error, status: u16, code: ErrorCode, param: Option<&str>) {
    assert_eq!(e.status(), Some(status), "{e}");
    assert_eq!(e.code(), Some(&code), "{e}");
    if param.is_some() {
        assert_eq!(e.param(), param, "{e}");
    }
}

/// The ids of a list body's items, in order.
pub fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A receiver that accepts every webhook: its URL.
pub async fn webhook_sink() -> Result<String, Box<dyn std::error::Error>> {
    let app = axum::Router::new().route("/hook", axum::routing::post(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{addr}/hook"))
}

/// Waits until the fake has delivered `n` webhooks (or a second passed).
pub async fn deliveries(fake: &FakeKessai, n: usize) -> Vec<mfkessai::testing::WebhookDelivery> {
    for _ in 0..100 {
        let sent = fake.webhook_deliveries();
        if sent.len() >= n {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    fake.webhook_deliveries()
}
