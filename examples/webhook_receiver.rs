//! A webhook endpoint for Money Forward Kessai, with axum.
//!
//! It verifies each request, drops repeated deliveries, hands the event to a
//! background worker and answers at once: Kessai counts an answer slower
//! than 10 seconds as a failure and sends the event again.
//!
//! ```text
//! MFKESSAI_WEBHOOK_SECRET='your secret' cargo run --example webhook_receiver
//! # while rotating, also: MFKESSAI_WEBHOOK_PREVIOUS_SECRET='the old one'
//! cargo run --example webhook_receiver -- --addr 0.0.0.0:8080
//! cargo run --example webhook_receiver -- --self-test
//! ```
//!
//! On start it prints a `curl` command that posts a correctly signed
//! sample. `--self-test` starts the endpoint on a free local port, posts
//! the reference's four sample events, a retry and a forged request to it,
//! checks the answers and what reached the worker, and exits.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use mfkessai::webhook::{
    self, Claim, Deduplicator, Delivery, Event, InMemoryDeduplicator, Secret, WebhookError,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// Where Kessai posts (set this URL on the admin screen, 開発者向け > WebHook).
const PATH: &str = "/webhooks/mfkessai";

/// The secret of the reference's signature sample, used when
/// `MFKESSAI_WEBHOOK_SECRET` is not set.
const DEMO_SECRET: &str = "your secret";

/// The reference's `invoice.issued` sample, on one line for `curl`.
const SAMPLE_BODY: &str = r#"{"event_id":"GM6Y-9W6V","type":"invoice.issued","invoice_id":"M9R6-MVNV","billing_id":"MW4N-3ANV","created_at":"2019-10-30T10:35:08+09:00"}"#;

struct Endpoint {
    /// Several secrets so the secret can be rotated without losing events.
    secrets: Vec<Secret>,
    seen: InMemoryDeduplicator,
    work: mpsc::Sender<Event>,
}

/// The endpoint. Verified, first-seen events go to `work`.
pub fn app(secrets: Vec<Secret>, work: mpsc::Sender<Event>) -> Router {
    let endpoint = Endpoint {
        secrets,
        seen: InMemoryDeduplicator::new(),
        work,
    };
    Router::new()
        .route(PATH, post(receive))
        .with_state(Arc::new(endpoint))
}

async fn receive(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let received = match webhook::receive(&endpoint.secrets, &headers, &body) {
        Ok(received) => received,
        Err(err) => return reject(&err),
    };
    let event_id = received.event_id().clone();
    if endpoint.seen.claim(&event_id) == Claim::Duplicate {
        tracing::info!(%event_id, retry = ?received.delivery.retry_number, "duplicate delivery, ignored");
        return StatusCode::OK;
    }
    let status = hand_off(&endpoint, received.event).await;
    if !status.is_success() {
        // Kessai will retry; the retry must not be taken for a duplicate.
        endpoint.seen.release(&event_id);
    }
    status
}

async fn hand_off(endpoint: &Endpoint, event: Event) -> StatusCode {
    // try_send rather than send: waiting for room in the queue could take
    // longer than Kessai's 10 seconds. A 503 makes Kessai retry an hour later.
    match endpoint.work.try_send(event) {
        Ok(()) => StatusCode::OK,
        Err(err) => {
            tracing::error!("work queue unavailable ({err}); asking Kessai to retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn reject(err: &WebhookError) -> StatusCode {
    match err {
        WebhookError::MissingHeader(_)
        | WebhookError::MalformedSignature(_)
        | WebhookError::SignatureMismatch { .. } => {
            tracing::warn!("rejected unauthenticated webhook: {err}");
            StatusCode::UNAUTHORIZED
        }
        // Authentic but undecodable: 500 so that Kessai keeps retrying for
        // 31 hours, time enough to deploy a fix, instead of losing the event.
        _ => {
            tracing::error!("cannot handle webhook: {err}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The background side: where the real work (database updates, e-mails)
/// goes. It may be slow; the endpoint has already answered.
async fn worker(mut work: mpsc::Receiver<Event>) {
    while let Some(event) = work.recv().await {
        tracing::info!("{}", describe(&event));
    }
}

fn describe(event: &Event) -> String {
    match event {
        Event::CustomerExaminationExamined(e) => format!(
            "credit examination {} of customer {}: {} at {}",
            e.customer_examination_id, e.customer_id, e.result, e.created_at
        ),
        Event::TransactionExamined(e) => format!(
            "transaction {} ({}) examined: {} at {}",
            e.transaction_id, e.transaction_number, e.result, e.created_at
        ),
        Event::InvoiceIssued(e) => format!(
            "invoice {} issued for billing {} at {}",
            e.invoice_id, e.billing_id, e.created_at
        ),
        Event::CustomerNameUpdateExamined(e) => format!(
            "name change {} of customer {}: {} at {}",
            e.customer_name_update_id, e.customer_id, e.result, e.created_at
        ),
        // Event types added after this SDK version.
        other => format!("unhandled event type {}", other.event_type()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(false).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--self-test") {
        return self_test().await;
    }
    let addr: SocketAddr = match args.iter().position(|a| a == "--addr") {
        Some(i) => args.get(i + 1).ok_or("--addr needs a value")?.parse()?,
        None => "127.0.0.1:3000".parse()?,
    };
    let secret = std::env::var("MFKESSAI_WEBHOOK_SECRET").unwrap_or_else(|_| {
        tracing::warn!("MFKESSAI_WEBHOOK_SECRET is not set; using the reference's sample secret");
        DEMO_SECRET.to_owned()
    });
    let secret = Secret::new(secret);
    // During a rotation, the old secret goes here until Kessai uses the new one.
    let mut secrets = vec![secret.clone()];
    if let Ok(previous) = std::env::var("MFKESSAI_WEBHOOK_PREVIOUS_SECRET") {
        secrets.push(Secret::new(previous));
    }

    let (tx, rx) = mpsc::channel(1024);
    tokio::spawn(worker(rx));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    println!("listening on http://{addr}{PATH}\n\nTry it:\n");
    let mut curl = format!("curl -i http://{addr}{PATH} -H 'content-type: application/json'");
    for (name, value) in Delivery::new("GM6Y-9W6V", 0).headers(&secret, SAMPLE_BODY.as_bytes()) {
        curl.push_str(&format!(" -H '{name}: {value}'"));
    }
    println!("{curl} --data-binary '{SAMPLE_BODY}'\n");
    println!("Run it twice: the second delivery is acknowledged but not handled again.");
    axum::serve(listener, app(secrets, tx)).await?;
    Ok(())
}

/// Posts signed requests to a freshly started endpoint and checks it.
async fn self_test() -> Result<(), Box<dyn std::error::Error>> {
    let secret = Secret::new(DEMO_SECRET);
    let (tx, mut rx) = mpsc::channel(16);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(
        async move { axum::serve(listener, app(vec![Secret::new(DEMO_SECRET)], tx)).await },
    );

    let samples = [
        include_str!("../tests/fixtures/webhooks/customer_examination.examined.json"),
        include_str!("../tests/fixtures/webhooks/transaction.examined.json"),
        include_str!("../tests/fixtures/webhooks/invoice.issued.json"),
        include_str!("../tests/fixtures/webhooks/customer_name_update.examined.json"),
    ];
    let mut failures = 0;
    let mut expect = |what: &str, got: u16, want: u16| {
        let ok = got == want;
        failures += usize::from(!ok);
        println!(
            "{} {what}: {got} (want {want})",
            if ok { "ok  " } else { "FAIL" }
        );
    };
    for (i, body) in samples.iter().enumerate() {
        // Two samples share an event ID in the reference; distinct IDs here
        // so that each counts as a new event.
        let body = body.replace("\"event_id\": \"", &format!("\"event_id\": \"{i}-"));
        let event: Event = serde_json::from_str(&body)?;
        let id = event.event_id();
        let headers = Delivery::new(id, 0).headers(&secret, body.as_bytes());
        let status = post_webhook(addr, &headers, body.as_bytes()).await?;
        expect(&format!("sample {i}"), status, 200);
    }
    let retry = samples[2];
    let status = post_webhook(
        addr,
        &Delivery::new("GM6Y-9W6V", 0).headers(&secret, retry.as_bytes()),
        retry.as_bytes(),
    )
    .await?;
    expect("first delivery of GM6Y-9W6V", status, 200);
    let status = post_webhook(
        addr,
        &Delivery::new("GM6Y-9W6V", 1).headers(&secret, retry.as_bytes()),
        retry.as_bytes(),
    )
    .await?;
    expect("retry of GM6Y-9W6V", status, 200);
    let forged = Delivery::new("X", 0).headers("not the secret", retry.as_bytes());
    expect(
        "wrong secret",
        post_webhook(addr, &forged, retry.as_bytes()).await?,
        401,
    );
    expect(
        "no signature",
        post_webhook(addr, &[], retry.as_bytes()).await?,
        401,
    );

    let mut handled = Vec::new();
    while let Ok(event) = rx.try_recv() {
        handled.push(describe(&event));
    }
    for line in &handled {
        println!("     handed off: {line}");
    }
    expect("events handed off", u16::try_from(handled.len())?, 5);
    if failures > 0 {
        return Err(format!("{failures} check(s) failed").into());
    }
    println!("self-test passed");
    Ok(())
}

/// One HTTP/1.1 POST, returning the status code. A few lines of plain
/// HTTP keep the example free of an HTTP client; curl does the same job.
pub async fn post_webhook(
    addr: SocketAddr,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut request = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    // "HTTP/1.1 200 OK": the status is the second word.
    std::str::from_utf8(&response)
        .ok()
        .and_then(|r| r.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("not an HTTP response"))
}
