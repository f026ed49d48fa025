//! `create_idempotent` and `create_or_get` against wiremock: an ambiguous
//! failure never creates twice and never loses the object.

use std::time::Duration;

use mfkessai::{Client, Environment, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(kind: &str, name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/{kind}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k")
        .environment(Environment::custom(format!("{}/v2", server.uri())).unwrap())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn transaction_payload() -> mfkessai::raw::types::TransactionPayload {
    let mut body = fixture("requests", "CreateTransaction");
    // The reference's sample sets two options it documents as exclusive.
    body.as_object_mut()
        .unwrap()
        .remove("canceled_transaction_id");
    serde_json::from_value(body).unwrap()
}

/// A one-item transactions list whose item has `number`.
fn list_with(number: &str) -> Value {
    let mut list = fixture("responses", "GetTransactionsList");
    list["items"][0]["number"] = number.into();
    list
}

fn empty_list() -> Value {
    serde_json::json!({"object": "list", "items": [], "pagination": {"has_next": false, "has_previous": false, "total": 0, "limit": 1}})
}

#[tokio::test]
async fn a_processed_post_that_failed_is_found_not_resent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/transactions"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/transactions"))
        .and(query_param("number", "Transaction-0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_with("Transaction-0001")))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .transactions()
        .create_idempotent(transaction_payload())
        .await
        .unwrap();
    assert_eq!(Some(t.number.as_str()), Some("Transaction-0001"));
}

#[tokio::test]
async fn an_unprocessed_post_is_sent_again_after_the_lookup_finds_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "CreateTransaction")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("number", "Transaction-0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_list()))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .transactions()
        .create_idempotent(transaction_payload())
        .await
        .unwrap();
    assert!(!t.id.is_empty());
}

#[tokio::test]
async fn a_conflict_on_the_number_returns_the_existing_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!([
            {"code": "invalid_transaction_number", "message": "already used", "param": "Transaction-0001"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_with("Transaction-0001")))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .transactions()
        .create_idempotent(transaction_payload())
        .await
        .unwrap();
    assert_eq!(Some(t.number.as_str()), Some("Transaction-0001"));
}

#[tokio::test]
async fn a_rejected_request_is_reported_without_a_lookup() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!([
            {"code": "invalid_transaction_due_date", "message": "bad", "param": "2019-04-30"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .transactions()
        .create_idempotent(transaction_payload())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn customers_and_authorizations_resolve_by_number_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(2)
        .mount(&server)
        .await;
    let mut customers = fixture("responses", "GetCustomersList");
    customers["items"][0]["number"] = "CUSTOMER0001".into();
    Mock::given(method("GET"))
        .and(path("/v2/customers"))
        .and(query_param("number", "CUSTOMER0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customers))
        .expect(1)
        .mount(&server)
        .await;
    // The reference's example says there is a next page; this customer has
    // only the one destination.
    let mut destinations = fixture("responses", "GetDestinationsList");
    destinations["pagination"]["has_next"] = false.into();
    Mock::given(method("GET"))
        .and(path("/v2/destinations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(destinations))
        .expect(1)
        .mount(&server)
        .await;
    let mut auths = fixture("responses", "GetAuthorizationsList");
    let number = auths["items"][0]["number"].as_str().unwrap().to_string();
    auths["items"][0]["number"] = number.clone().into();
    Mock::given(method("GET"))
        .and(path("/v2/authorizations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(auths))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let payload = serde_json::from_value(fixture("requests", "CreateCustomer")).unwrap();
    let created = c.customers().create_idempotent(payload).await.unwrap();
    assert_eq!(Some(created.customer.number.as_str()), Some("CUSTOMER0001"));
    assert_eq!(created.destination.object, "destination");
    let mut body = fixture("requests", "CreateAuthorization");
    body["number"] = number.clone().into();
    let a = c
        .authorizations()
        .create_idempotent(serde_json::from_value(body).unwrap())
        .await
        .unwrap();
    assert_eq!(Some(a.number.as_str()), Some(number.as_str()));
}

#[tokio::test]
async fn an_existing_destination_resolves_to_itself() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/destinations"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!([
            {"code": "already_exists", "message": "destination already exists", "param": "WNAV-37R6"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/destinations/WNAV-37R6"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("responses", "GetDestination")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let payload = serde_json::from_value(fixture("requests", "CreateDestination")).unwrap();
    let d = client(&server)
        .destinations()
        .create_or_get(payload)
        .await
        .unwrap();
    assert!(!d.id.is_empty());
}
