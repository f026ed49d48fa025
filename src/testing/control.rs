//! The test-control API over HTTP, under `/_fake/`: what the Rust methods of
//! [`FakeKessai`] do, for test suites in other languages that drive the
//! `mfkessai-fake` binary. Off unless asked for
//! ([`FakeKessaiBuilder::control`](super::FakeKessaiBuilder::control), the
//! binary's `--control`): a fake that anyone on the machine can reshape is
//! only for tests.
//!
//! Every route needs the same `apikey` header as the API, takes and returns
//! JSON, and bypasses the request log and fault injection. `/_fake/` cannot
//! clash with the API, whose paths all start with `/v2/`.
//!
//! | route | body | does |
//! |---|---|---|
//! | `GET /_fake/clock` | | `{"now"}` |
//! | `POST /_fake/clock/advance` | `{"days","hours","minutes","seconds"}` (each optional) | [`FakeKessai::advance_clock`] |
//! | `POST /_fake/customers/seed` | `{"count"}` | [`FakeKessai::seed_customers`]: `{"ids"}` |
//! | `POST /_fake/payouts/seed` | `{"count"}` | [`FakeKessai::seed_payouts`]: `{"ids"}` |
//! | `POST /_fake/payouts` | a `Payout` | [`FakeKessai::seed_payout`]: `{"id"}` |
//! | `POST /_fake/payouts/{id}/transactions` | a `PayoutTransaction` | [`FakeKessai::seed_payout_transaction`] |
//! | `POST /_fake/payouts/{id}/refunds` | a `PayoutRefund` | [`FakeKessai::seed_payout_refund`] |
//! | `POST /_fake/customer_examinations/{id}/decide` | `{"outcome": "passed"\|"rejected"\|"unexamined"}` | [`FakeKessai::decide_customer_examination`] |
//! | `POST /_fake/transactions/{id}/decide` | same | [`FakeKessai::decide_transaction`] |
//! | `POST /_fake/customer_name_updates/{id}/decide` | `{"passed": bool}` | [`FakeKessai::decide_customer_name_update`] |
//! | `POST /_fake/billings/{id}/payments` | `{"amount"}` (yen) | [`FakeKessai::record_payment`] |
//! | `POST /_fake/customers/{id}/alert` | `{"has_alert": bool}` | [`FakeKessai::set_customer_alert`] |
//! | `POST /_fake/faults` | `{"fault", "times"}` | [`FakeKessai::inject`] |
//! | `POST /_fake/faults/random` | `{"percent", "faults": [..], "seed"}` | [`FakeKessai::inject_randomly`] |
//! | `DELETE /_fake/faults` | | [`FakeKessai::clear_faults`] |
//! | `GET /_fake/requests` | | [`FakeKessai::requests`] |
//! | `DELETE /_fake/requests` | | [`FakeKessai::clear_requests`] |
//! | `POST /_fake/webhooks` | `{"url", "secret", "first_retry_delay_ms"}` | [`FakeKessai::deliver_webhooks`] |
//! | `GET /_fake/webhooks` | | [`FakeKessai::webhook_deliveries`] |
//!
//! A fault is `{"type": "status", "status": 503}`, `{"type": "rate_limited",
//! "retry_after_seconds": 2}`, `{"type": "process_then_status", "status":
//! 502}`, `{"type": "delay", "ms": 500}`, `{"type": "delay_then_status",
//! "ms": 500, "status": 504}`, `{"type": "drop_connection"}`,
//! `{"type": "process_then_drop_connection"}` or
//! `{"type": "process_then_malformed"}`.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{FakeKessai, Fault, LoggedRequest};
use crate::sandbox::Outcome;

type Fake = State<Arc<FakeKessai>>;

/// The routes, nested under `/_fake`, for a view of the running fake.
pub(crate) fn router(fake: Arc<FakeKessai>) -> Router {
    let key = fake.api_key().to_string();
    Router::new()
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/customers/seed", post(seed_customers))
        .route("/customers/{id}/alert", post(alert))
        .route("/payouts/seed", post(seed_payouts))
        .route("/payouts", post(seed_payout))
        .route("/payouts/{id}/transactions", post(seed_payout_transaction))
        .route("/payouts/{id}/refunds", post(seed_payout_refund))
        .route(
            "/customer_examinations/{id}/decide",
            post(decide_examination),
        )
        .route("/transactions/{id}/decide", post(decide_transaction))
        .route(
            "/customer_name_updates/{id}/decide",
            post(decide_name_update),
        )
        .route("/billings/{id}/payments", post(record_payment))
        .route("/faults", post(inject).delete(clear_faults))
        .route("/faults/random", post(inject_randomly))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/webhooks", post(deliver_webhooks).get(webhook_deliveries))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "no such control route") })
        .layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let key = key.clone();
                async move {
                    let given = request.headers().get("apikey").map(|v| v.as_bytes());
                    if given != Some(key.as_bytes()) {
                        return problem(StatusCode::UNAUTHORIZED, "apikey is missing or invalid");
                    }
                    next.run(request).await
                }
            },
        ))
        .with_state(fake)
}

/// `{"message": ...}` with a status: control errors are for the test author.
fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "message": message.into() }))).into_response()
}

/// A refused control call: a 400 saying what is wrong with the body.
struct Refusal(String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        problem(StatusCode::BAD_REQUEST, self.0)
    }
}

/// The body as `T`, or why it is not one.
fn body<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Refusal> {
    serde_json::from_value(value).map_err(|e| Refusal(e.to_string()))
}

/// A seeded object: what the caller sent over the type's default, so `id`
/// and `uri` may be left out (an empty one is assigned by the seed call).
fn seed_body<T: serde::de::DeserializeOwned + serde::Serialize + Default>(
    value: Value,
) -> Result<T, Refusal> {
    let mut full = serde_json::to_value(T::default()).map_err(|e| Refusal(e.to_string()))?;
    if let (Some(full), Value::Object(given)) = (full.as_object_mut(), value) {
        full.extend(given);
    }
    body(full)
}

/// A control call that may fail with an SDK error (an unknown id, a wrong
/// state): 404 or 409 with its message.
fn answer<T: serde::Serialize>(result: Result<T, crate::Error>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status().unwrap_or(409)).unwrap_or(StatusCode::CONFLICT);
            problem(status, e.to_string())
        }
    }
}

async fn clock(State(fake): Fake) -> Response {
    Json(json!({ "now": fake.now().to_rfc3339() })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    days: i64,
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    minutes: i64,
    #[serde(default)]
    seconds: i64,
}

async fn advance(State(fake): Fake, Json(value): Json<Value>) -> Response {
    let a: Advance = match body(value) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let by = chrono::Duration::try_days(a.days)
        .zip(chrono::Duration::try_hours(a.hours))
        .zip(chrono::Duration::try_minutes(a.minutes))
        .zip(chrono::Duration::try_seconds(a.seconds))
        .and_then(|(((d, h), m), s)| d.checked_add(&h)?.checked_add(&m)?.checked_add(&s));
    match by {
        Some(by) if by >= chrono::Duration::zero() => {
            fake.advance_clock(by);
            clock(State(fake)).await
        }
        _ => problem(
            StatusCode::BAD_REQUEST,
            "the clock only moves forward, by a sane amount",
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Count {
    count: usize,
}

/// More than this in one call is refused: the fake keeps everything in memory.
const MAX_SEED: usize = 1_000_000;

fn count(value: Value) -> Result<usize, Refusal> {
    let Count { count } = body(value)?;
    if count > MAX_SEED {
        return Err(Refusal(format!("count is at most {MAX_SEED}")));
    }
    Ok(count)
}

async fn seed_customers(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match count(value) {
        Ok(n) => Json(json!({ "ids": fake.seed_customers(n) })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn seed_payouts(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match count(value) {
        Ok(n) => Json(json!({ "ids": fake.seed_payouts(n) })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn seed_payout(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match seed_body(value) {
        Ok(payout) => Json(json!({ "id": fake.seed_payout(payout) })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn seed_payout_transaction(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match seed_body(value) {
        Ok(item) => Json(json!({ "id": fake.seed_payout_transaction(&id, item) })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn seed_payout_refund(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match seed_body(value) {
        Ok(item) => Json(json!({ "id": fake.seed_payout_refund(&id, item) })).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    outcome: String,
}

fn outcome(value: Value) -> Result<Outcome, Refusal> {
    let Decision { outcome } = body(value)?;
    Outcome::ALL
        .into_iter()
        .find(|o| o.status() == outcome)
        .ok_or_else(|| {
            Refusal(format!(
                "outcome `{outcome}` is not passed, rejected or unexamined"
            ))
        })
}

async fn decide_examination(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match outcome(value) {
        Ok(o) => answer(fake.decide_customer_examination(&id, o)),
        Err(e) => e.into_response(),
    }
}

async fn decide_transaction(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match outcome(value) {
        Ok(o) => answer(fake.decide_transaction(&id, o)),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Passed {
    passed: bool,
}

async fn decide_name_update(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match body::<Passed>(value) {
        Ok(p) => answer(fake.decide_customer_name_update(&id, p.passed)),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payment {
    amount: i64,
}

async fn record_payment(
    State(fake): Fake,
    Path(id): Path<String>,
    Json(value): Json<Value>,
) -> Response {
    match body::<Payment>(value) {
        Ok(p) => answer(fake.record_payment(&id, p.amount)),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Alert {
    has_alert: bool,
}

async fn alert(State(fake): Fake, Path(id): Path<String>, Json(value): Json<Value>) -> Response {
    match body::<Alert>(value) {
        Ok(a) => answer(fake.set_customer_alert(&id, a.has_alert)),
        Err(e) => e.into_response(),
    }
}

/// A [`Fault`] as JSON, tagged by `type`.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum FaultJson {
    RateLimited { retry_after_seconds: Option<u64> },
    Status { status: u16 },
    ProcessThenStatus { status: u16 },
    Delay { ms: u64 },
    DelayThenStatus { ms: u64, status: u16 },
    DropConnection,
    ProcessThenDropConnection,
    ProcessThenMalformed,
}

impl From<FaultJson> for Fault {
    fn from(f: FaultJson) -> Self {
        match f {
            FaultJson::RateLimited {
                retry_after_seconds,
            } => Fault::RateLimited {
                retry_after: retry_after_seconds.map(Duration::from_secs),
            },
            FaultJson::Status { status } => Fault::Status(status),
            FaultJson::ProcessThenStatus { status } => Fault::ProcessThenStatus(status),
            FaultJson::Delay { ms } => Fault::Delay(Duration::from_millis(ms)),
            FaultJson::DelayThenStatus { ms, status } => {
                Fault::DelayThenStatus(Duration::from_millis(ms), status)
            }
            FaultJson::DropConnection => Fault::DropConnection,
            FaultJson::ProcessThenDropConnection => Fault::ProcessThenDropConnection,
            FaultJson::ProcessThenMalformed => Fault::ProcessThenMalformed,
        }
    }
}

/// The inverse of [`FaultJson`], for the request log.
fn fault_json(fault: &Fault) -> Value {
    match fault {
        Fault::RateLimited { retry_after } => json!({
            "type": "rate_limited",
            "retry_after_seconds": retry_after.map(|d| d.as_secs()),
        }),
        Fault::Status(s) => json!({ "type": "status", "status": s }),
        Fault::ProcessThenStatus(s) => json!({ "type": "process_then_status", "status": s }),
        Fault::Delay(d) => json!({ "type": "delay", "ms": d.as_millis() as u64 }),
        Fault::DelayThenStatus(d, s) => {
            json!({ "type": "delay_then_status", "ms": d.as_millis() as u64, "status": s })
        }
        Fault::DropConnection => json!({ "type": "drop_connection" }),
        Fault::ProcessThenDropConnection => json!({ "type": "process_then_drop_connection" }),
        Fault::ProcessThenMalformed => json!({ "type": "process_then_malformed" }),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Inject {
    fault: FaultJson,
    #[serde(default = "one")]
    times: usize,
}

fn one() -> usize {
    1
}

async fn inject(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match body::<Inject>(value) {
        Ok(i) if i.times <= MAX_SEED => {
            fake.inject(i.fault.into(), i.times);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => problem(
            StatusCode::BAD_REQUEST,
            format!("times is at most {MAX_SEED}"),
        ),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Random {
    percent: u8,
    faults: Vec<FaultJson>,
    #[serde(default)]
    seed: u64,
}

async fn inject_randomly(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match body::<Random>(value) {
        Ok(r) if r.percent <= 100 => {
            fake.inject_randomly(r.percent, r.faults.into_iter().map(Fault::from), r.seed);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => problem(StatusCode::BAD_REQUEST, "percent is 0..=100"),
        Err(e) => e.into_response(),
    }
}

async fn clear_faults(State(fake): Fake) -> Response {
    fake.clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

fn logged(r: &LoggedRequest) -> Value {
    json!({
        "method": r.method,
        "path": r.path,
        "query": r.query,
        "headers": r.headers,
        "body": r.body,
        "status": r.status,
        "response_body": r.response_body,
        "fault": r.fault.as_ref().map(fault_json),
    })
}

async fn requests(State(fake): Fake) -> Response {
    let log: Vec<Value> = fake.requests().iter().map(logged).collect();
    Json(log).into_response()
}

async fn clear_requests(State(fake): Fake) -> Response {
    fake.clear_requests();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Webhooks {
    url: String,
    secret: String,
    #[serde(default = "an_hour")]
    first_retry_delay_ms: u64,
}

fn an_hour() -> u64 {
    3_600_000
}

async fn deliver_webhooks(State(fake): Fake, Json(value): Json<Value>) -> Response {
    match body::<Webhooks>(value) {
        Ok(w) if reqwest::Url::parse(&w.url).is_ok() && !w.secret.is_empty() => {
            fake.deliver_webhooks(
                w.url,
                w.secret,
                Duration::from_millis(w.first_retry_delay_ms),
            );
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => problem(
            StatusCode::BAD_REQUEST,
            "url must be a URL and secret not empty",
        ),
        Err(e) => e.into_response(),
    }
}

async fn webhook_deliveries(State(fake): Fake) -> Response {
    let deliveries: Vec<Value> = fake
        .webhook_deliveries()
        .into_iter()
        .map(|d| {
            json!({
                "event_id": d.event_id,
                "event_type": d.event_type,
                "retry_number": d.retry_number,
                "body": d.body,
                "status": d.status,
            })
        })
        .collect();
    Json(deliveries).into_response()
}
