//! The per-attempt span carries the OpenTelemetry HTTP client semantic
//! convention attributes (and our `operation`), so an OpenTelemetry
//! pipeline (`tracing-opentelemetry`) recognises it; no query string, no
//! filter value and no key ends up in it.

#[path = "common/spans.rs"]
mod spans;

use mfkessai::{Client, Environment, RetryPolicy};
use wiremock::{matchers, Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> serde_json::Value {
    let file = format!(
        "{}/tests/fixtures/responses/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn client(base: &str) -> Client {
    Client::builder()
        .api_key("sk_test_secret_value")
        .environment(Environment::custom(base).unwrap())
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// One test, so that the spans of one scenario are not mixed with another's.
#[tokio::test]
async fn attempts_carry_the_http_client_conventions() {
    spans::captured();
    let server = MockServer::start().await;
    let port = server.address().port().to_string();
    Mock::given(matchers::method("GET"))
        .and(matchers::path("/v2/customers/7679-YW36"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(matchers::method("GET"))
        .and(matchers::path("/v2/customers/7679-YW36"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("GetCustomer")))
        .mount(&server)
        .await;
    Mock::given(matchers::method("GET"))
        .and(matchers::path("/v2/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("GetCustomersList")))
        .mount(&server)
        .await;
    Mock::given(matchers::method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!([
            {"code": "not_found", "message": "no such customer"}
        ])))
        .mount(&server)
        .await;
    let client = client(&format!("{}/v2", server.uri()));

    // A GET retried once after a 503.
    client.customers().get(&"7679-YW36".into()).await.unwrap();
    let attempts = spans::take_requests();
    assert_eq!(attempts.len(), 2, "{attempts:#?}");
    for span in &attempts {
        assert_eq!(span.get("otel.name"), Some("GET /customers/{customer_id}"));
        assert_eq!(span.get("otel.kind"), Some("client"));
        assert_eq!(span.get("operation"), Some("GetCustomer"));
        assert_eq!(span.get("http.request.method"), Some("GET"));
        assert_eq!(span.get("url.template"), Some("/customers/{customer_id}"));
        assert_eq!(span.get("server.address"), Some("127.0.0.1"));
        assert_eq!(span.get("server.port"), Some(port.as_str()));
    }
    let (first, second) = (&attempts[0], &attempts[1]);
    assert_eq!(first.get("http.response.status_code"), Some("503"));
    assert_eq!(first.get("error.type"), Some("503"));
    assert_eq!(first.get("otel.status_code"), Some("ERROR"));
    assert_eq!(
        first.get("http.request.resend_count"),
        None,
        "set only on resends"
    );
    assert_eq!(second.get("http.response.status_code"), Some("200"));
    assert_eq!(second.get("http.request.resend_count"), Some("1"));
    assert_eq!(second.get("error.type"), None, "it succeeded");
    assert_eq!(second.get("otel.status_code"), None);

    // A list with filters: the template, never the query string.
    client
        .customers()
        .list()
        .number("CUSTOMER-PRIVATE-42")
        .page_size(5)
        .send()
        .await
        .unwrap();
    let [list] = &spans::take_requests()[..] else {
        panic!("one attempt")
    };
    assert_eq!(list.get("url.template"), Some("/customers"));
    assert_eq!(list.get("operation"), Some("GetCustomersList"));

    // A POST the server refuses: not resent, the status is the error type.
    let err = client
        .customers()
        .assign_bank_transfer(&"NOPE-NOPE".into())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let [refused] = &spans::take_requests()[..] else {
        panic!("one attempt")
    };
    assert_eq!(refused.get("http.request.method"), Some("POST"));
    assert_eq!(
        refused.get("url.template"),
        Some("/customers/{customer_id}/bank_transfer")
    );
    assert_eq!(refused.get("http.response.status_code"), Some("404"));
    assert_eq!(refused.get("error.type"), Some("404"));

    // Nothing listening: no status, a transport error.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let offline = Client::builder()
        .api_key("sk_test_secret_value")
        .environment(Environment::custom(format!("http://127.0.0.1:{closed}/v2")).unwrap())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    offline.payouts().list().send().await.unwrap_err();
    let [failed] = &spans::take_requests()[..] else {
        panic!("one attempt")
    };
    assert_eq!(failed.get("error.type"), Some("transport"));
    assert_eq!(failed.get("http.response.status_code"), None);
    assert_eq!(failed.get("server.port"), Some(closed.to_string().as_str()));

    // Secrets and personal data stay out of every field.
    let all = [
        &attempts[..],
        &[list.clone(), refused.clone(), failed.clone()],
    ]
    .concat();
    for span in &all {
        for (field, value) in &span.fields {
            assert!(!value.contains('?'), "{field} = {value}: a query string");
            assert!(!value.contains("CUSTOMER-PRIVATE-42"), "{field} = {value}");
            assert!(!value.contains("sk_test_secret_value"), "{field} = {value}");
        }
    }
}
