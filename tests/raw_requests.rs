//! One request per HTTP method through the generated client, against a local
//! wiremock server that checks exactly what went over the wire.

use mfkessai::{raw, wire::RequestDefaults, ApiKey};
use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn fixture(kind: &str, name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/{kind}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

async fn client(server: &MockServer) -> raw::Client {
    let defaults = RequestDefaults::new(&ApiKey::new("test-key-123"), "mfkessai-test").unwrap();
    raw::Client::new_with_client(
        &format!("{}/v2", server.uri()),
        reqwest::Client::new(),
        defaults,
    )
}

fn no_api_version(req: &Request) -> bool {
    !req.headers.contains_key("api-version")
}

#[tokio::test]
async fn get_encodes_plus_as_2b_and_arrays_as_repeated_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/customers"))
        .and(header("apikey", "test-key-123"))
        .and(header("user-agent", "mfkessai-test"))
        .and(no_api_version)
        .and(|req: &Request| {
            req.url.query()
                == Some(
                    "created_at_from=2019-04-01T00%3A00%3A00%2B09%3A00&ids=WNAV-37R6&ids=7679-YW36\
                     &limit=5&number=A%2BB",
                )
        })
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "GetCustomersList")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let from = chrono::DateTime::parse_from_rfc3339("2019-04-01T00:00:00+09:00").unwrap();
    let page = client(&server)
        .await
        .get_customers_list()
        .created_at_from(from)
        .ids(vec!["WNAV-37R6".into(), "7679-YW36".into()])
        .limit(5)
        .number("A+B")
        .send()
        .await
        .unwrap();
    assert!(!page.items.is_empty());
}

#[tokio::test]
async fn post_sends_the_json_body() {
    let server = MockServer::start().await;
    let body = fixture("requests", "CreateCustomer");
    Mock::given(method("POST"))
        .and(path("/v2/customers"))
        .and(header("apikey", "test-key-123"))
        .and(header("content-type", "application/json"))
        .and(body_json(&body))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "CreateCustomer")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let payload: raw::types::CustomerPayload = serde_json::from_value(body).unwrap();
    let created = client(&server)
        .await
        .create_customer()
        .body(payload)
        .send()
        .await
        .unwrap();
    assert_eq!(created.customer.object, "customer");
}

#[tokio::test]
async fn patch_put_and_delete_reach_their_paths() {
    let server = MockServer::start().await;
    let update = fixture("requests", "UpdateCustomer");
    Mock::given(method("PATCH"))
        .and(path("/v2/customers/7679-YW36"))
        .and(header("apikey", "test-key-123"))
        .and(body_json(&update))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "UpdateCustomer")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dest = fixture("requests", "UpdateDestination");
    Mock::given(method("PUT"))
        .and(path("/v2/destinations/WNAV-37R6"))
        .and(body_json(&dest))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "UpdateDestination")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v2/transactions/GNWN-4R7E"))
        .and(header("apikey", "test-key-123"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "CancelTransaction")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let c = client(&server).await;
    let payload: raw::types::CustomerUpdatePayload = serde_json::from_value(update).unwrap();
    c.update_customer()
        .customer_id("7679-YW36")
        .body(payload)
        .send()
        .await
        .unwrap();
    let payload: raw::types::DestinationUpdatePayload = serde_json::from_value(dest).unwrap();
    c.update_destination()
        .destination_id("WNAV-37R6")
        .body(payload)
        .send()
        .await
        .unwrap();
    let t = c
        .cancel_transaction()
        .transaction_id("GNWN-4R7E")
        .send()
        .await
        .unwrap();
    assert!(!t.id.is_empty());
}

#[tokio::test]
async fn issue_ids_keep_their_documented_slash() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v2/billings/9R6M-VMAN/issues/i/79NR-AP96/download_signed_url",
        ))
        .and(|req: &Request| {
            req.url.path() == "/v2/billings/9R6M-VMAN/issues/i/79NR-AP96/download_signed_url"
        })
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("responses", "CreateDownloadSignedUrl")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let urls = client(&server)
        .await
        .create_download_signed_url()
        .billing_id("9R6M-VMAN")
        .issue_id("i/79NR-AP96")
        .send()
        .await
        .unwrap();
    assert!(!urls.items.is_empty());
}

#[tokio::test]
async fn documented_errors_decode_into_the_error_array() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/customers"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!([
            {"code": "invalid_limit", "message": "limit must be 1..=200", "param": "500"}
        ])))
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .get_customers_list()
        .limit(500)
        .send()
        .await
        .unwrap_err();
    match err {
        raw::Error::ErrorResponse(resp) => {
            assert_eq!(resp.status(), 400);
            assert_eq!(resp.0[0].code, Some(mfkessai::ErrorCode::InvalidLimit));
            assert_eq!(resp.0[0].param.as_deref(), Some("500"));
        }
        other => panic!("expected the documented error array, got {other:?}"),
    }
}
