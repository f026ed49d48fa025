//! The api key is sent as the `apikey` header and never appears in what
//! the SDK traces.
//!
//! Alone in its own test binary: it installs a thread-local tracing
//! subscriber, and tracing caches each callsite's interest process-wide, so
//! another test hitting the same callsite at the same moment on a thread
//! without a subscriber could leave it disabled and this test would see
//! nothing.

use std::sync::Arc;

use mfkessai::{Client, Environment};
use serde_json::Value;
use wiremock::{matchers::method, Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/responses/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[tokio::test]
async fn the_key_is_sent_as_a_header_and_never_traced() {
    use std::io::Write;
    #[derive(Clone, Default)]
    struct Buf(Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("apikey", "sk_test_secret_value"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("GetCustomer")))
        .expect(1)
        .mount(&server)
        .await;
    Client::builder()
        .api_key("sk_test_secret_value")
        .environment(Environment::custom(format!("{}/v2", server.uri())).unwrap())
        .build()
        .unwrap()
        .customers()
        .get(&"7679-YW36".into())
        .await
        .unwrap();
    let logged = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("GetCustomer"),
        "the span names the operation: {logged}"
    );
    assert!(!logged.contains("sk_test_secret_value"), "{logged}");
}
