//! Retries against a real local server: what is retried, how often, how long
//! it waits, and that a POST that may have been processed is never resent.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use mfkessai::{Client, Environment, Error, ErrorCode, RetryPolicy};
use serde_json::Value;
use wiremock::{matchers::method, Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/responses/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key("sk_test_secret_value")
        .environment(Environment::custom(format!("{base}/v2")).unwrap())
        .timeout(Duration::from_millis(400))
        .retry(policy)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(20))
}

fn customer_payload() -> mfkessai::raw::types::CustomerPayload {
    let file = format!(
        "{}/tests/fixtures/requests/CreateCustomer.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[tokio::test]
async fn rate_limits_are_retried_for_every_method_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("CreateCustomer")))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let created = client(&server.uri(), fast())
        .customers()
        .create(customer_payload())
        .await
        .unwrap();
    assert_eq!(created.customer.object, "customer");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was waited"
    );
}

#[tokio::test]
async fn rate_limit_without_retry_after_uses_backoff_and_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_json(serde_json::json!([
            {"code": "too_many_requests", "message": "slow down"}
        ])))
        .expect(3)
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server.uri(), fast())
        .customers()
        .get(&"7679-YW36".into())
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.retry_after(), None);
    assert_eq!(
        err.code(),
        Some(&ErrorCode::Unknown("too_many_requests".into()))
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "two waits of at most 20 ms (the bound leaves room for a loaded CI machine)"
    );
}

#[tokio::test]
async fn server_errors_are_retried_for_get_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("GetCustomer")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast());
    c.customers().get(&"7679-YW36".into()).await.unwrap();
    let err = c.customers().create(customer_payload()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        err.retry_kind(),
        Some(mfkessai::RetryKind::Transient),
        "transient: retried for a GET, not for a POST"
    );
    assert!(!err.is_safe_to_retry(), "the POST may have been processed");
}

#[tokio::test]
async fn a_slow_post_times_out_once_and_is_not_resent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(800)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(800)))
        .expect(3)
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast());
    let err = c.customers().create(customer_payload()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true }), "{err:?}");
    let err = c.customers().get(&"X".into()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true }), "{err:?}");
}

/// A server that accepts connections and drops them without answering.
async fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            // Read the request, then close: the request was sent.
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buf).await;
            drop(stream);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn resets_after_sending_are_retried_for_get_but_not_for_post() {
    let (url, accepted) = resetting_server().await;
    let c = client(&url, fast());
    let err = c.customers().create(customer_payload()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(ref t) if t.sent), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "the POST was sent once");
    accepted.store(0, Ordering::SeqCst);
    let _ = c.customers().get(&"X".into()).await.unwrap_err();
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "the GET was tried 3 times"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_post() {
    // Bind and close to find a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), fast());
    let started = Instant::now();
    let err = c.customers().create(customer_payload()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(ref t) if !t.sent), "{err:?}");
    assert_eq!(err.retry_kind(), Some(mfkessai::RetryKind::NotSent));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn undocumented_statuses_parse_the_error_array_or_keep_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!([
            {"code": "unauthorized", "message": "apikey is invalid"}
        ])))
        .mount(&server)
        .await;
    let err = client(&server.uri(), RetryPolicy::disabled())
        .customers()
        .get(&"X".into())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.to_string(), "401 unauthorized: apikey is invalid");
    assert!(!err.to_string().contains("sk_test_secret_value"));
    assert!(!format!("{err:?}").contains("sk_test_secret_value"));
}

#[tokio::test]
async fn a_body_that_does_not_match_is_a_decode_error_with_path_and_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 5})))
        .mount(&server)
        .await;
    let err = client(&server.uri(), fast())
        .customers()
        .get(&"X".into())
        .await
        .unwrap_err();
    match err {
        Error::Decode(d) => {
            assert_eq!(d.status, Some(200));
            assert_eq!(d.path, "id");
            assert_eq!(d.snippet, r#"{"id":5}"#);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
