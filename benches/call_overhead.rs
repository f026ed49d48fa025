//! Per-call overhead of the facade on loopback (issue #3).
//!
//! What is measured: the latency of one `GET /v2/customers/{id}` against a
//! local axum server started inside this process on 127.0.0.1 (it answers
//! with `tests/fixtures/responses/GetCustomer.json`, read once at startup,
//! and rejects requests without the right `apikey` header), made two ways
//! with the *same* `reqwest::Client` (one connection pool, identical
//! settings) and decoded into the same `mfkessai::raw::types::Customer`:
//!
//! * `facade`: `client.customers().get("7679-YW36")`, i.e. id validation,
//!   the retry loop, the tracing span, the status task-local and the
//!   generated progenitor request builder and hooks;
//! * `raw_reqwest`: a hand-written GET with the `apikey` and
//!   `Accept: application/json` headers, `resp.bytes()` and
//!   `serde_json::from_slice`.
//!
//! So the difference between the two is the SDK's own overhead. The goal
//! is a median ratio facade/raw of at most 1.05.
//!
//! The run has two parts, in one binary:
//!
//! 1. a criterion group `customers_get` with the functions `facade` and
//!    `raw_reqwest` (5 s measurement, 50 samples each, on a tokio
//!    runtime), followed by the medians criterion wrote to
//!    `target/criterion/customers_get/*/new/estimates.json`;
//! 2. a direct side-by-side measurement: after a warm-up, N = 2000
//!    alternating calls (facade, raw, facade, raw, ...), each timed on its
//!    own, printing both medians and the ratio facade/raw. This is the
//!    figure to quote: both sides see the same machine state at the same
//!    time, so drift (other load on the 2 cores, frequency changes)
//!    cancels out.
//!
//! How to run (about 20 s of measuring after the build):
//!
//! ```text
//! cargo bench --bench call_overhead
//! ```
//!
//! Criterion's usual arguments work after `--`, e.g.
//! `cargo bench --bench call_overhead -- --noplot`. Under
//! `cargo test --benches` (criterion's test mode) each function runs once
//! and the alternating part shrinks to a few calls.

use std::{
    net::SocketAddr,
    path::PathBuf,
    time::{Duration, Instant},
};

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use criterion::Criterion;
use mfkessai::raw::types::Customer;
use tokio::runtime::Runtime;

const API_KEY: &str = "k";
const CUSTOMER_ID: &str = "7679-YW36";
/// Alternating calls per side in the direct measurement.
const ALTERNATING_CALLS: usize = 2000;
/// Untimed calls per side before the direct measurement.
const WARM_UP_CALLS: usize = 200;

/// The server's only route: the fixture for the right key, 401 otherwise.
async fn get_customer(
    State(body): State<Bytes>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers.get("apikey").map(|v| v.as_bytes()) != Some(API_KEY.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, "missing or wrong apikey").into_response();
    }
    if id != CUSTOMER_ID {
        return (StatusCode::NOT_FOUND, "[]").into_response();
    }
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Starts the server on 127.0.0.1:0 on `rt` and returns its address.
fn start_server(rt: &Runtime) -> SocketAddr {
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/responses/GetCustomer.json");
    let body = Bytes::from(std::fs::read(&fixture).expect("read GetCustomer.json"));
    let app = Router::new()
        .route("/v2/customers/{id}", get(get_customer))
        .with_state(body);
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        addr
    })
}

/// Both sides of the comparison, each with a `reqwest::Client` built the same
/// way (the facade's from the same builder settings).
struct Sides {
    facade: mfkessai::Client,
    http: reqwest::Client,
    base: String,
}

impl Sides {
    fn new(addr: SocketAddr) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build reqwest client");
        let base = format!("http://{addr}/v2");
        let facade = mfkessai::Client::builder()
            .api_key(API_KEY)
            .environment(mfkessai::Environment::custom(&base).expect("loopback URL"))
            .http_client_builder(reqwest::Client::builder())
            .build()
            .expect("build facade client");
        Sides { facade, http, base }
    }

    async fn facade(&self) -> Customer {
        self.facade
            .customers()
            .get(&mfkessai::ids::CustomerId::from(CUSTOMER_ID))
            .await
            .expect("facade call")
    }

    async fn raw(&self) -> Customer {
        let url = format!("{}/customers/{CUSTOMER_ID}", self.base);
        let response = self
            .http
            .get(url)
            .header("apikey", API_KEY)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .expect("raw send")
            .error_for_status()
            .expect("raw status");
        let bytes = response.bytes().await.expect("raw body");
        serde_json::from_slice::<Customer>(&bytes).expect("raw decode")
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Where criterion writes its estimates, found the way criterion does:
/// `CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else this
/// workspace's `target/criterion`.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// The median criterion recorded for `function`, in nanoseconds.
fn criterion_median_ns(function: &str) -> Option<f64> {
    let path = criterion_home()
        .join("customers_get")
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn run_criterion(c: &mut Criterion, rt: &Runtime, sides: &Sides) {
    let mut group = c.benchmark_group("customers_get");
    group.bench_function("facade", |b| b.to_async(rt).iter(|| sides.facade()));
    group.bench_function("raw_reqwest", |b| b.to_async(rt).iter(|| sides.raw()));
    group.finish();
}

fn report_criterion_medians() {
    match (
        criterion_median_ns("facade"),
        criterion_median_ns("raw_reqwest"),
    ) {
        (Some(facade), Some(raw)) => println!(
            "criterion medians: facade {:.1} µs, raw_reqwest {:.1} µs, ratio facade/raw {:.3}",
            facade / 1e3,
            raw / 1e3,
            facade / raw
        ),
        _ => println!(
            "criterion medians: estimates.json not found under {}",
            criterion_home().display()
        ),
    }
}

/// Alternating calls, each timed on its own; prints medians and the ratio.
fn run_alternating(rt: &Runtime, sides: &Sides, calls: usize, warm_up: usize) {
    let (mut facade, mut raw) = rt.block_on(async {
        for _ in 0..warm_up {
            std::hint::black_box(sides.facade().await);
            std::hint::black_box(sides.raw().await);
        }
        let mut facade = Vec::with_capacity(calls);
        let mut raw = Vec::with_capacity(calls);
        for _ in 0..calls {
            let started = Instant::now();
            std::hint::black_box(sides.facade().await);
            facade.push(started.elapsed());
            let started = Instant::now();
            std::hint::black_box(sides.raw().await);
            raw.push(started.elapsed());
        }
        (facade, raw)
    });
    let facade_median = median(&mut facade);
    let raw_median = median(&mut raw);
    println!("alternating run: {calls} calls per side (facade, raw, facade, raw, ...), {warm_up} warm-up calls each");
    for (name, sorted, med) in [
        ("facade", &facade, facade_median),
        ("raw_reqwest", &raw, raw_median),
    ] {
        println!(
            "  {name:<12} median {:>8.1} µs   p10 {:>8.1} µs   p90 {:>8.1} µs",
            micros(med),
            micros(percentile(sorted, 0.10)),
            micros(percentile(sorted, 0.90)),
        );
    }
    let ratio = facade_median.as_secs_f64() / raw_median.as_secs_f64();
    println!(
        "  median ratio facade/raw = {ratio:.3} (goal <= 1.05: {})",
        if ratio <= 1.05 { "met" } else { "NOT met" }
    );
}

fn main() {
    // `cargo bench` passes `--bench`; without it criterion runs in test mode.
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let rt = Runtime::new().expect("tokio runtime");
    let addr = start_server(&rt);
    let sides = Sides::new(addr);

    // Both sides must get the same answer, and the server must check the key.
    rt.block_on(async {
        assert_eq!(sides.facade().await, sides.raw().await);
        let unauthenticated = sides
            .http
            .get(format!("{}/customers/{CUSTOMER_ID}", sides.base))
            .send()
            .await
            .expect("send without key");
        assert_eq!(unauthenticated.status(), reqwest::StatusCode::UNAUTHORIZED);
    });

    let mut c = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    run_criterion(&mut c, &rt, &sides);
    c.final_summary();

    if bench_mode {
        report_criterion_medians();
        run_alternating(&rt, &sides, ALTERNATING_CALLS, WARM_UP_CALLS);
    } else {
        run_alternating(&rt, &sides, 20, 5);
    }
}
