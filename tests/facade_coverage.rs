//! Every operation of swagger.yaml has exactly one facade method, and that
//! method sends that operation: checked by types and on the wire, not by
//! reading the sources.
//!
//! Each row below calls one facade method against a server that answers
//! any documented request with the reference's example response. The
//! operation the facade says it sends comes from the generated builder's
//! type (`SendOperation::OPERATION`, traced as the span's `operation`); the
//! server matches the request it got against swagger.yaml's method and path
//! templates. They must agree, and the rows together must send every
//! operation of the spec exactly once.

mod common;
#[path = "common/spans.rs"]
mod spans;

use std::{collections::BTreeMap, future::Future, pin::Pin};

use mfkessai::{
    pagination::{ListOperation, ListRequest},
    raw::types,
    wire::SendOperation,
    Client, Environment,
};
use serde_json::Value;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

fn fixture(kind: &str, name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/{kind}/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn payload<T: serde::de::DeserializeOwned>(operation: &str) -> T {
    payload_without(operation, &[])
}

/// The reference's example request without some properties (its
/// transaction example combines options the API refuses together).
fn payload_without<T: serde::de::DeserializeOwned>(operation: &str, drop: &[&str]) -> T {
    let mut value = fixture("requests", operation);
    for key in drop {
        value.as_object_mut().unwrap().remove(*key);
    }
    serde_json::from_value(value).expect("request fixture decodes")
}

/// The operationId of a request by swagger.yaml's templates (a literal
/// segment beats a parameter: `/billings/qualified`).
fn operation_of(method: &str, path: &str) -> Option<String> {
    let path = path.strip_prefix("/v2")?;
    let mut best: Option<(usize, String)> = None;
    for (id, op_method, template, _) in common::operations() {
        let params = template.matches('{').count();
        if op_method == method
            && matches(&template, path)
            && best.as_ref().is_none_or(|(n, _)| params < *n)
        {
            best = Some((params, id));
        }
    }
    best.map(|(_, id)| id)
}

fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    // `{issue_id}` holds a slash (`i/79NR-AP96`): it spans two segments.
    let (mut i, mut j) = (0, 0);
    while i < t.len() {
        let Some(seg) = p.get(j) else { return false };
        if t[i] == "{issue_id}" {
            j += 2;
        } else if t[i].starts_with('{') || t[i] == *seg {
            j += 1;
        } else {
            return false;
        }
        i += 1;
    }
    j == p.len()
}

/// Answers a documented request with the reference's example, and 404 to
/// anything else.
struct Reference;

impl Respond for Reference {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match operation_of(request.method.as_str(), request.url.path()) {
            Some(op) => ResponseTemplate::new(200).set_body_json(fixture("responses", &op)),
            None => ResponseTemplate::new(404),
        }
    }
}

type Call<'a> = Pin<Box<dyn Future<Output = mfkessai::Result<()>> + 'a>>;

/// One facade method each, with the reference's example ids and payloads.
fn rows(c: &Client) -> Vec<(&'static str, Call<'_>)> {
    macro_rules! row {
        ($label:expr, $call:expr) => {
            (
                $label,
                Box::pin(async move { $call.await.map(drop) }) as Call<'_>,
            )
        };
    }
    vec![
        row!("customers().list()", c.customers().list().send()),
        row!(
            "customers().create()",
            c.customers().create(payload("CreateCustomer"))
        ),
        row!("customers().get()", c.customers().get(&"7679-YW36".into())),
        row!(
            "customers().update()",
            c.customers()
                .update(&"7679-YW36".into(), payload("UpdateCustomer"))
        ),
        row!(
            "customers().assign_bank_transfer()",
            c.customers().assign_bank_transfer(&"7679-YW36".into())
        ),
        row!(
            "customers().request_account_transfer()",
            c.customers()
                .request_account_transfer(&"7679-YW36".into(), payload("RequestAccountTransfer"))
        ),
        row!("destinations().list()", c.destinations().list().send()),
        row!(
            "destinations().create()",
            c.destinations().create(payload("CreateDestination"))
        ),
        row!(
            "destinations().get()",
            c.destinations().get(&"WNAV-37R6".into())
        ),
        row!(
            "destinations().update()",
            c.destinations()
                .update(&"WNAV-37R6".into(), payload("UpdateDestination"))
        ),
        row!(
            "customer_examinations().list()",
            c.customer_examinations().list().send()
        ),
        row!(
            "customer_examinations().create()",
            c.customer_examinations()
                .create(payload::<types::CustomerExaminationPayload>(
                    "CreateCustomerExamination"
                ))
        ),
        row!(
            "customer_examinations().get()",
            c.customer_examinations().get(&"9R6M-VMAN".into())
        ),
        row!(
            "credit_facilities().list()",
            c.credit_facilities().list().send()
        ),
        row!(
            "credit_facilities().get()",
            c.credit_facilities().get(&"7679-YW36".into())
        ),
        row!("transactions().list()", c.transactions().list().send()),
        row!(
            "transactions().create()",
            c.transactions().create(payload_without(
                "CreateTransaction",
                &["canceled_transaction_id"]
            ))
        ),
        row!(
            "transactions().get()",
            c.transactions().get(&"GY9N-EWNM".into())
        ),
        row!(
            "transactions().cancel()",
            c.transactions().cancel(&"GY9N-EWNM".into())
        ),
        row!("billings().list()", c.billings().list().send()),
        row!(
            "billings().list_qualified()",
            c.billings().list_qualified().send()
        ),
        row!("billings().get()", c.billings().get(&"EN9A-YNQ9".into())),
        row!(
            "billings().issues()",
            c.billings().issues(&"EN9A-YNQ9".into())
        ),
        row!(
            "billings().download_url()",
            c.billings()
                .download_url(&"EN9A-YNQ9".into(), &"i/79NR-AP96".into())
        ),
        row!(
            "billings().reissue()",
            c.billings()
                .reissue(&"EN9A-YNQ9".into(), payload("ReissueBilling"))
        ),
        row!(
            "billings().upload_url()",
            c.billings()
                .upload_url(&"EN9A-YNQ9".into(), payload("CreateUploadSignedUrl"))
        ),
        row!("payouts().list()", c.payouts().list().send()),
        row!("payouts().get()", c.payouts().get(&"Y9AW-MMN6".into())),
        row!(
            "payout_transactions().list()",
            c.payout_transactions().list().send()
        ),
        row!(
            "payout_transactions().get()",
            c.payout_transactions().get(&"GY9N-EWNM".into())
        ),
        row!("payout_refunds().list()", c.payout_refunds().list().send()),
        row!(
            "customer_name_updates().list()",
            c.customer_name_updates().list().send()
        ),
        row!(
            "customer_name_updates().create()",
            c.customer_name_updates()
                .create(payload("CreateCustomerNameUpdate"))
        ),
        row!(
            "customer_name_updates().get()",
            c.customer_name_updates().get(&"WNAV-37R6".into())
        ),
        row!(
            "customer_name_updates().cancel()",
            c.customer_name_updates().cancel(&"WNAV-37R6".into())
        ),
        row!("authorizations().list()", c.authorizations().list().send()),
        row!(
            "authorizations().create()",
            c.authorizations().create(payload("CreateAuthorization"))
        ),
        row!(
            "authorizations().get()",
            c.authorizations().get(&"WNAV-37R6".into())
        ),
        row!(
            "authorizations().cancel()",
            c.authorizations().cancel(&"WNAV-37R6".into())
        ),
    ]
}

#[tokio::test]
async fn every_operation_has_one_facade_method_that_sends_it() {
    spans::captured();
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(Reference)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("k")
        .environment(Environment::custom(format!("{}/v2", server.uri())).unwrap())
        .build()
        .unwrap();

    let mut sent_by: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (label, call) in rows(&client) {
        let before = server.received_requests().await.unwrap_or_default().len();
        if let Err(e) = call.await {
            problems.push(format!("{label}: failed: {e}"));
        }
        let wire: Vec<String> = server.received_requests().await.unwrap_or_default()[before..]
            .iter()
            .map(|r| {
                operation_of(r.method.as_str(), r.url.path())
                    .unwrap_or_else(|| format!("undocumented {} {}", r.method, r.url.path()))
            })
            .collect();
        let claimed: Vec<String> = spans::take_requests()
            .iter()
            .map(|s| s.get("operation").unwrap_or("?").to_string())
            .collect();
        match (claimed.as_slice(), wire.as_slice()) {
            ([op], [sent]) if op == sent => sent_by.entry(op.clone()).or_default().push(label),
            _ => problems.push(format!(
                "{label}: the facade says it sends {claimed:?}, the server got {wire:?}"
            )),
        }
    }

    let spec: Vec<String> = common::operations().into_iter().map(|o| o.0).collect();
    for id in &spec {
        match sent_by.get(id).map(Vec::len) {
            Some(1) => {}
            None => problems.push(format!("{id}: no facade method sends it")),
            Some(_) => problems.push(format!("{id}: sent by {:?}", sent_by[id])),
        }
    }
    for id in sent_by.keys().filter(|id| !spec.contains(id)) {
        problems.push(format!("{id}: not in swagger.yaml"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(sent_by.len(), spec.len());
}

/// The generated metadata is the spec's: same operations, methods and path
/// templates; idempotent exactly for the GETs (the spec marks no other
/// operation `x-mfkessai-idempotent`).
#[test]
fn the_generated_operations_are_the_specs() {
    let generated: Vec<(String, String, String, bool)> = mfkessai::raw::operations::ALL
        .iter()
        .map(|op| {
            (
                op.id.to_string(),
                op.method.to_string(),
                op.path.to_string(),
                op.idempotent,
            )
        })
        .collect();
    let spec: Vec<(String, String, String, bool)> = common::operations()
        .into_iter()
        .map(|(id, method, path, _)| {
            let idempotent = method == "GET";
            (id, method, path, idempotent)
        })
        .collect();
    let sorted = |mut v: Vec<(String, String, String, bool)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(generated), sorted(spec));
}

/// The operation a list request pages over: only a `ListRequest` of a
/// generated `ListOperation` gets through.
fn list_operation<Op: ListOperation>(_: ListRequest<'_, Op>) -> &'static str {
    <Op::Builder<'static> as SendOperation>::OPERATION.id
}

/// Every list operation of swagger.yaml (a 200 answer with `items` and
/// `pagination`) has a generated `ListOperation` and a facade method that
/// returns a `ListRequest` of it; none is listed twice.
#[test]
fn every_list_operation_has_a_list_operation_and_a_facade_list_method() {
    let c = Client::builder()
        .api_key("k")
        .environment(Environment::custom("http://127.0.0.1:9/v2").unwrap())
        .build()
        .unwrap();
    let mut facade = vec![
        list_operation(c.customers().list()),
        list_operation(c.destinations().list()),
        list_operation(c.customer_examinations().list()),
        list_operation(c.credit_facilities().list()),
        list_operation(c.transactions().list()),
        list_operation(c.billings().list()),
        list_operation(c.billings().list_qualified()),
        list_operation(c.payouts().list()),
        list_operation(c.payout_transactions().list()),
        list_operation(c.payout_refunds().list()),
        list_operation(c.customer_name_updates().list()),
        list_operation(c.authorizations().list()),
    ];
    let mut generated: Vec<&str> = mfkessai::raw::lists::ALL.iter().map(|op| op.id).collect();
    let mut spec = common::list_operations();
    assert!(spec.len() >= 12, "the spec's lists are found: {spec:?}");
    spec.sort();
    generated.sort();
    facade.sort();
    assert_eq!(
        generated, spec,
        "raw::lists has every list operation of the spec"
    );
    assert_eq!(facade, spec, "one facade list method per list operation");
}
