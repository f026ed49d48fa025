//! The HTTP side of the fake: routing, the `apikey` check, the request log
//! and fault injection. What each operation does lives in `handlers/`.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};

use super::{
    handlers,
    reply::{json, Failure, Reply},
    store::Store,
    webhooks::WebhookTarget,
    Fault, LoggedRequest,
};

/// State shared by every request and the test-control API.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) api_key: String,
    pub(crate) base_url: String,
    pub(crate) faults: Mutex<VecDeque<Fault>>,
    /// Random faults for requests no queued fault hits.
    pub(crate) chaos: Mutex<Option<Chaos>>,
    /// The newest requests, at most `log_capacity` of them.
    pub(crate) log: Mutex<VecDeque<LoggedRequest>>,
    pub(crate) log_capacity: usize,
    /// How many requests were ever logged; entry `seq - cleared` is `seq`.
    pub(crate) next_seq: std::sync::atomic::AtomicU64,
    /// How many entries left the log (cleared or pushed out by newer ones):
    /// the seq of the log's first entry.
    pub(crate) cleared: std::sync::atomic::AtomicU64,
    pub(crate) webhook: Mutex<Option<WebhookTarget>>,
}

/// See [`super::FakeKessai::inject_randomly`].
pub(crate) struct Chaos {
    pub(crate) percent: u8,
    pub(crate) faults: Vec<Fault>,
    pub(crate) rng: fastrand::Rng,
}

impl Chaos {
    fn roll(&mut self) -> Option<Fault> {
        if self.rng.u8(0..100) >= self.percent {
            return None;
        }
        let pick = self.rng.usize(0..self.faults.len());
        self.faults.get(pick).cloned()
    }
}

/// The largest body the fake reads; the API's payloads are far smaller.
const BODY_LIMIT: usize = 4 * 1024 * 1024;

impl Shared {
    /// Locks the store, recovering from a poisoned lock: a panicking test
    /// thread must not take every later request down with it.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs one operation against the store; the whole request is atomic.
    pub(crate) fn with(&self, op: impl FnOnce(&mut Store) -> Reply) -> Response {
        match self.run(op) {
            Ok(response) => response,
            Err(failure) => failure.into_response(),
        }
    }

    /// A test-control operation (`FakeKessai::decide_transaction`, …): run
    /// like a request, atomically and delivering the webhooks it emits, with
    /// the result as the SDK's error type.
    pub(crate) fn control<T>(
        &self,
        op: impl FnOnce(&mut Store) -> Result<T, Failure>,
    ) -> Result<T, crate::Error> {
        self.run(op).map_err(Failure::into_error)
    }

    fn run<T>(&self, op: impl FnOnce(&mut Store) -> Result<T, Failure>) -> Result<T, Failure> {
        let (result, events) = {
            let mut store = self.store();
            let result = op(&mut store);
            let events = std::mem::take(&mut store.outbox);
            (result, events)
        };
        if !events.is_empty() {
            super::webhooks::dispatch(self, events);
        }
        result
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = handlers::routes()
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/v2", api)
        .merge(handlers::billings::signed_routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

async fn not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!([{ "code": "not_found", "message": "no such route" }]),
    )
}

async fn method_not_allowed() -> Response {
    json(
        StatusCode::METHOD_NOT_ALLOWED,
        &serde_json::json!([{ "message": "method not allowed" }]),
    )
}

/// Every request passes here: it is logged, may be hit by an injected
/// fault, and needs the api key.
///
/// The work runs on its own task, like a real server that finishes what it
/// started even when the client has hung up: a client timeout then leaves a
/// request that may have been processed, which is what retry logic must
/// cope with. The log entry is written on arrival; its status stays 0 until
/// there is an answer.
async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    let queued = shared
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop_front();
    let fault = queued.or_else(|| {
        let mut chaos = shared.chaos.lock().unwrap_or_else(|p| p.into_inner());
        chaos.as_mut().and_then(Chaos::roll)
    });
    let entry = LoggedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts
            .headers
            .iter()
            .filter(|(name, _)| *name != "apikey")
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        status: 0,
        response_body: String::new(),
        fault: fault.clone(),
    };
    let seq = {
        let mut log = shared.log.lock().unwrap_or_else(|p| p.into_inner());
        log.push_back(entry);
        // A long-running fake must not grow without end: the oldest go.
        while log.len() > shared.log_capacity {
            log.pop_front();
            shared
                .cleared
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        shared
            .next_seq
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    };

    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let task_shared = shared.clone();
    let work = tokio::spawn(async move {
        let shared = task_shared;
        let faulted = fault.is_some();
        let response = match fault {
            Some(Fault::Delay(delay)) => {
                tokio::time::sleep(delay).await;
                forward(&shared, parts, body, next).await
            }
            Some(Fault::DelayThenStatus(delay, status)) => {
                tokio::time::sleep(delay).await;
                server_error(status)
            }
            Some(Fault::RateLimited { retry_after }) => rate_limited(retry_after),
            Some(Fault::Status(status)) => server_error(status),
            Some(Fault::ProcessThenStatus(status)) => {
                let _ = forward(&shared, parts, body, next).await;
                server_error(status)
            }
            Some(Fault::DropConnection) => {
                shared.record_answer(seq, 0, String::new());
                return dropped();
            }
            Some(Fault::ProcessThenDropConnection) => {
                let _ = forward(&shared, parts, body, next).await;
                shared.record_answer(seq, 0, String::new());
                return dropped();
            }
            Some(Fault::ProcessThenMalformed) => {
                let answer = forward(&shared, parts, body, next).await;
                let status = answer.status();
                let garbage = "{\"object\": \"truncated";
                shared.record_answer(seq, status.as_u16(), garbage.to_string());
                let mut response = (status, garbage).into_response();
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static("application/json"),
                );
                return response;
            }
            None => forward(&shared, parts, body, next).await,
        };
        // Keep a copy of what was answered for the log; the fake's bodies
        // are small and already in memory. Each handler wrote its answer
        // whole (wire.rs): nothing is filled in here.
        let (head, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_default();
        if !faulted {
            super::record::answer(&method, &path, head.status.as_u16(), &bytes);
        }
        shared.record_answer(
            seq,
            head.status.as_u16(),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
        Response::from_parts(head, Body::from(bytes))
    });
    match work.await {
        Ok(response) => response,
        Err(_) => server_error(500),
    }
}

impl Shared {
    /// Records the answer to the `seq`-th request ever received, if the
    /// log still holds it (a test may have cleared it meanwhile).
    fn record_answer(&self, seq: u64, status: u16, body: String) {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        let cleared = self.cleared.load(std::sync::atomic::Ordering::Relaxed);
        if seq < cleared {
            return;
        }
        if let Some(entry) = log.get_mut((seq - cleared) as usize) {
            entry.status = status;
            entry.response_body = body;
        }
    }

    /// Empties the log, remembering how many entries it dropped so late
    /// statuses still find their entry.
    pub(crate) fn clear_log(&self) {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        self.cleared.store(
            self.next_seq.load(std::sync::atomic::Ordering::Relaxed),
            std::sync::atomic::Ordering::Relaxed,
        );
        log.clear();
    }
}

async fn forward(
    shared: &Shared,
    parts: axum::http::request::Parts,
    body: Bytes,
    next: Next,
) -> Response {
    let authorised = parts
        .headers
        .get("apikey")
        .is_some_and(|v| v.as_bytes() == shared.api_key.as_bytes());
    // Signed URLs stand for the reference's file hosts, which take no key.
    let signed = parts
        .uri
        .path()
        .starts_with(handlers::billings::SIGNED_PREFIX);
    if !authorised && !signed {
        return json(
            StatusCode::UNAUTHORIZED,
            &serde_json::json!([{ "message": "apikey is missing or invalid" }]),
        );
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

fn rate_limited(retry_after: Option<Duration>) -> Response {
    let mut response = json(
        StatusCode::TOO_MANY_REQUESTS,
        &serde_json::json!([{ "message": "too many requests" }]),
    );
    if let Some(after) = retry_after {
        if let Ok(value) = HeaderValue::from_str(&after.as_secs().to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, "upstream failure injected by FakeKessai").into_response()
}

/// A response whose body fails at once: hyper closes the connection without
/// finishing the response, which the client sees as a reset after sending.
fn dropped() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection dropped by FakeKessai",
        ))
    });
    Response::new(Body::from_stream(stream))
}
