//! Hostile servers, measured.
//!
//! 1. **Peak memory against a 500 MB body.** A loopback server streams a
//!    500 MB answer (chunked, no `content-length`) to `GET /customers/{id}`:
//!    a 200 that looks like a customer whose `name` never ends, and a 500 of
//!    invalid UTF-8. A child process makes one call and reports its peak
//!    resident set (VmHWM), with the default limit (128 MiB), with an 8 MiB
//!    limit, and without a limit (`usize::MAX`, what the client did before
//!    it had one).
//! 2. **A server that stalls after the headers**, with the default settings
//!    (15 s per attempt, 45 s budget): how long a GET and a POST take to fail.
//! 3. **The fault trial at full size.** 10,000 `customers().create_idempotent`
//!    calls against the fake with 10% of all requests (creates and lookups)
//!    hit by a random fault of every kind, delays past the timeout included:
//!    what callers were told (Ok, unknown outcome, failed) against what
//!    exists afterwards.
//!
//! ```text
//! cargo bench --features testing --bench hostile
//! ```
//!
//! `CALLS=n` sets the trial's size, `BODY_MB=n` the hostile body. Under
//! `cargo test --benches` both shrink so the binary only proves it runs.

#[path = "../tests/common/trial.rs"]
mod trial;

use std::{net::SocketAddr, process::Command, time::Instant};

use axum::{body::Body, http::header, response::Response, routing::get, Router};
use futures::StreamExt;
use mfkessai::{Client, Environment};

const CHILD_ENV: &str = "MFKESSAI_HOSTILE_BENCH_CHILD";
const KEY: &str = "bench-key";

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child(&spec);
        return;
    }
    let benching = std::env::args().any(|a| a == "--bench");
    let env_or = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let body_mb = env_or("BODY_MB", if benching { 500 } else { 16 });
    let calls = env_or("CALLS", if benching { 10_000 } else { 50 });
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let addr = runtime.block_on(server(body_mb << 20));

    println!("1. peak RSS (VmHWM) of one call against a {body_mb} MB body");
    println!("   {:<28} {:>12} {:>12}", "limit", "200 (MiB)", "500 (MiB)");
    let limits = [
        (
            "default (128 MiB)",
            mfkessai::ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES,
        ),
        ("8 MiB", 8 << 20),
        ("none (usize::MAX, before)", usize::MAX),
    ];
    for (name, limit) in limits {
        let ok = measure(addr, "/v2/customers/BIG", limit);
        let err = measure(addr, "/v2/customers/BAD", limit);
        println!("   {name:<28} {:>12.1} {:>12.1}", ok.0, err.0);
        println!("   {:<28} {:>25}", "", format!("{} | {}", ok.1, err.1));
    }

    if benching {
        println!("\n2. a server that stalls after the headers, default timeout and budget");
        for (name, post) in [
            ("GET /customers/{id}", false),
            ("POST /customers/{id}/bank_transfer", true),
        ] {
            let started = Instant::now();
            let outcome = runtime.block_on(stall(addr, post));
            println!(
                "   {name:<36} {:>6.1} s  {outcome}",
                started.elapsed().as_secs_f64()
            );
        }
    }

    println!("\n3. fault trial: {calls} create_idempotent calls, 10% of requests faulted");
    let started = Instant::now();
    let t = runtime.block_on(trial::run(calls, 20261201));
    println!(
        "   ok {} | unknown outcome {} | failed {} | objects existing {} | lost to the caller {} | duplicated {}   ({:.1} s)",
        t.ok,
        t.unknown,
        t.failed,
        t.existing,
        t.lost,
        t.duplicated,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        t.lost, 0,
        "an object exists although its caller was told it failed"
    );
    assert_eq!(t.duplicated, 0, "an object was created twice");
}

/// `/v2/customers/BIG`: 200, `{"name":"aaaa…` for `size` bytes.
/// `/v2/customers/BAD`: 500, `size` bytes of 0xff.
async fn server(size: usize) -> SocketAddr {
    fn streamed(status: u16, size: usize, first: &'static [u8], fill: u8) -> Response {
        const CHUNK: usize = 256 * 1024;
        let body = futures::stream::iter(0..size.div_ceil(CHUNK)).map(move |i| {
            let mut chunk = vec![fill; CHUNK.min(size - i * CHUNK)];
            if i == 0 {
                chunk[..first.len()].copy_from_slice(first);
            }
            Ok::<_, std::io::Error>(axum::body::Bytes::from(chunk))
        });
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from_stream(body))
            .expect("response")
    }
    let app = Router::new()
        .route(
            "/v2/customers/BIG",
            get(move || async move { streamed(200, size, br#"{"name":""#, b'a') }),
        )
        .route(
            "/v2/customers/BAD",
            get(move || async move { streamed(500, size, b"", 0xff) }),
        )
        .fallback(|| async {
            // Headers, then nothing: the body never comes.
            let body = futures::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
            Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(body))
                .expect("response")
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

/// One call with default settings against `/v2/customers/STALL`.
async fn stall(addr: SocketAddr, post: bool) -> String {
    let client = Client::builder()
        .api_key(KEY)
        .environment(Environment::custom(format!("http://{addr}/v2")).expect("url"))
        .build()
        .expect("client");
    let result = if post {
        client
            .customers()
            .assign_bank_transfer(&mfkessai::ids::CustomerId::from("STALL"))
            .await
            .map(|_| ())
    } else {
        client
            .customers()
            .get(&mfkessai::ids::CustomerId::from("STALL"))
            .await
            .map(|_| ())
    };
    match result {
        Ok(()) => "Ok".into(),
        Err(e) => format!("Err({e})"),
    }
}

/// (peak RSS in MiB, what the call returned) of a child making one call.
fn measure(addr: SocketAddr, path: &str, limit: usize) -> (f64, String) {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .env(CHILD_ENV, format!("http://{addr}/v2 {path} {limit}"))
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let kb: f64 = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0.0);
    (kb / 1024.0, lines.next().unwrap_or("?").to_string())
}

fn child(spec: &str) {
    let mut parts = spec.split(' ');
    let (Some(base), Some(path), Some(limit)) = (parts.next(), parts.next(), parts.next()) else {
        panic!("bad child spec {spec:?}");
    };
    let limit: usize = limit.parse().expect("limit");
    let id = path.rsplit('/').next().expect("id").to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let outcome = runtime.block_on(async {
        let client = Client::builder()
            .api_key(KEY)
            .environment(Environment::custom(base).expect("url"))
            .max_response_bytes(limit)
            .timeout(std::time::Duration::from_secs(120))
            .retry(mfkessai::RetryPolicy::disabled())
            .build()
            .expect("client");
        match client
            .customers()
            .get(&mfkessai::ids::CustomerId::from(&id))
            .await
        {
            Ok(_) => "Ok".to_string(),
            Err(e) => {
                let text = e.to_string();
                let cut: String = text.chars().take(60).collect();
                format!("Err({} chars: {cut})", text.len())
            }
        }
    });
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{kb}\n{outcome}");
}
