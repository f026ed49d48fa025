//! The SDK's spans exported with OpenTelemetry: a `tracing` subscriber with
//! `tracing_opentelemetry`'s layer over an `opentelemetry_sdk` tracer
//! provider, whose exporter is the SDK's in-memory one. A few calls run
//! against the in-process fake (one created, one retried after a 503, one
//! answered 404); the exported spans are printed, one line each, and
//! checked: the process exits non-zero unless they carry the OpenTelemetry
//! HTTP client conventions (README, "Tracing and OpenTelemetry").
//!
//! ```sh
//! cargo run --features testing --example otel_export
//! ```
//!
//! In an application, swap the in-memory exporter for a real one, e.g.
//! `opentelemetry_otlp::SpanExporter::builder().with_http().build()?` given
//! to `.with_batch_exporter(..)`, and call `provider.shutdown()` before
//! exiting; the rest stays as it is here.

use std::{collections::BTreeMap, error::Error as StdError, process::ExitCode};

use mfkessai::{
    prelude::*,
    testing::{FakeKessai, Fault},
    types::{CustomerPayload, CustomerPayloadDestination},
};
use opentelemetry::trace::{SpanKind, Status, TracerProvider as _};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::{
    filter::{LevelFilter, Targets},
    prelude::*,
};

type BoxError = Box<dyn StdError + Send + Sync>;

/// The fake accepts this key; no exported attribute may contain it.
const API_KEY: &str = "sk_test_otel_example_3f9a1c";
/// A customer id the fake does not know: the GET of it is answered 404.
const MISSING_ID: &str = "XXXX-0000";

#[tokio::main]
async fn main() -> Result<ExitCode, BoxError> {
    // 1. The pipeline: spans -> tracing-opentelemetry -> SDK provider ->
    //    in-memory exporter. The SDK's spans are DEBUG, target `mfkessai`.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let otel = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("otel_export"))
        // Only the SDK's own attributes in the output: no source location,
        // thread or busy/idle time attributes added by the layer.
        .with_location(false)
        .with_threads(false)
        .with_tracked_inactivity(false)
        .with_filter(Targets::new().with_target("mfkessai", LevelFilter::DEBUG));
    tracing_subscriber::registry().with(otel).init();

    // 2. A few calls against the fake.
    let fake = FakeKessai::builder().api_key(API_KEY).start().await?;
    let port = fake.local_addr().port().to_string();
    let client = fake.client()?;
    println!("fake Kessai at {}", fake.base_url());

    let customer = CustomerPayload::new(
        "サンプル顧客",
        "CUSTOMER-OTEL-1",
        CustomerPayloadDestination::new(
            "billing@example.com",
            "03-1234-5678",
            "111-1111",
            "東京都千代田区1-2-3",
        ),
    );
    let created = client.customers().create(customer).await?;
    println!("created customer {}", created.customer.id);

    // One 503 first: the list is retried once (GETs may be resent).
    fake.inject(Fault::Status(503), 1);
    let page = client.customers().list().send().await?;
    println!("listed {} customer(s) after one 503", page.items.len());

    match client.customers().get(&MISSING_ID.into()).await {
        Err(Error::Api(e)) => println!("get {MISSING_ID}: {} (expected)", e.status),
        other => return Err(format!("get {MISSING_ID}: expected a 404, got {other:?}").into()),
    }

    // 3. Flush, read back what was exported, print and check it.
    provider.force_flush()?;
    let spans = exporter.get_finished_spans()?;
    println!("\n{} span(s) exported:", spans.len());
    let spans: Vec<Exported> = spans.iter().map(Exported::from).collect();
    for span in &spans {
        println!("{span}");
    }
    let failures = check(&spans, &port);
    provider.shutdown()?;
    if failures.is_empty() {
        println!("\nall checks passed");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("\n{} check(s) failed:", failures.len());
        for failure in &failures {
            eprintln!("  - {failure}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// What the checks look at in one exported span.
struct Exported {
    name: String,
    kind: SpanKind,
    status: Status,
    attributes: BTreeMap<String, String>,
}

impl From<&SpanData> for Exported {
    fn from(span: &SpanData) -> Self {
        Exported {
            name: span.name.to_string(),
            kind: span.span_kind.clone(),
            status: span.status.clone(),
            attributes: span
                .attributes
                .iter()
                .map(|kv| (kv.key.as_str().to_string(), kv.value.to_string()))
                .collect(),
        }
    }
}

impl Exported {
    fn get(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }
}

impl std::fmt::Display for Exported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = match &self.status {
            Status::Unset => "unset",
            Status::Ok => "ok",
            Status::Error { .. } => "error",
        };
        write!(f, "{:<30} kind={:?} status={status}", self.name, self.kind)?;
        for (key, value) in &self.attributes {
            write!(f, " {key}={value}")?;
        }
        Ok(())
    }
}

/// Every way the exported spans differ from what the README promises.
fn check(spans: &[Exported], port: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };

    // Common to every attempt.
    for span in spans {
        let n = &span.name;
        expect(
            span.kind == SpanKind::Client,
            format!("{n}: kind {:?}, not Client", span.kind),
        );
        let (method, template) = (span.get("http.request.method"), span.get("url.template"));
        expect(
            method
                .zip(template)
                .is_some_and(|(m, t)| format!("{m} {t}") == *n),
            format!("{n}: name is not `{method:?} {template:?}`"),
        );
        for key in ["operation", "duration_ms", "http.response.status_code"] {
            expect(span.get(key).is_some(), format!("{n}: no {key}"));
        }
        expect(
            span.get("server.address") == Some("127.0.0.1"),
            format!("{n}: server.address {:?}", span.get("server.address")),
        );
        expect(
            span.get("server.port") == Some(port),
            format!("{n}: server.port {:?}, not {port}", span.get("server.port")),
        );
        expect(
            !template.unwrap_or_default().contains('?'),
            format!("{n}: url.template has a query"),
        );
        for (key, value) in &span.attributes {
            expect(
                !value.contains(API_KEY),
                format!("{n}: {key} contains the API key"),
            );
            expect(
                !value.contains(MISSING_ID),
                format!("{n}: {key} contains a customer id"),
            );
        }
        // A span that failed says why, and only a failed one does.
        let failed = matches!(span.status, Status::Error { .. });
        expect(
            failed == span.get("error.type").is_some(),
            format!(
                "{n}: status {:?} with error.type {:?}",
                span.status,
                span.get("error.type")
            ),
        );
    }

    let by_op = |op: &str| -> Vec<&Exported> {
        spans
            .iter()
            .filter(|s| s.get("operation") == Some(op))
            .collect()
    };

    // The create: one attempt, a success.
    let creates = by_op("CreateCustomer");
    expect(
        creates.len() == 1,
        format!("{} CreateCustomer span(s), not 1", creates.len()),
    );
    if let [create] = creates[..] {
        expect(
            create.name == "POST /customers",
            format!("create named {}", create.name),
        );
        expect(
            create.status == Status::Unset && create.get("http.request.resend_count").is_none(),
            "create: not a clean first attempt".to_string(),
        );
    }

    // The list: a 503, then a resend that succeeds.
    let lists = by_op("GetCustomersList");
    expect(
        lists.len() == 2,
        format!("{} GetCustomersList span(s), not 2", lists.len()),
    );
    if let [first, second] = lists[..] {
        expect(
            first.get("http.response.status_code") == Some("503")
                && first.get("error.type") == Some("503")
                && first.get("http.request.resend_count").is_none(),
            "list, first attempt: not a 503 with error.type 503 and no resend count".to_string(),
        );
        expect(
            second.get("http.response.status_code") == Some("200")
                && second.get("http.request.resend_count") == Some("1")
                && second.status == Status::Unset,
            "list, second attempt: not a 200 with http.request.resend_count 1".to_string(),
        );
    }

    // The get of a customer that does not exist: 404, not retried.
    let gets = by_op("GetCustomer");
    expect(
        gets.len() == 1,
        format!("{} GetCustomer span(s), not 1", gets.len()),
    );
    if let [get] = gets[..] {
        expect(
            get.name == "GET /customers/{customer_id}",
            format!("get named {}", get.name),
        );
        expect(
            get.get("http.response.status_code") == Some("404")
                && get.get("error.type") == Some("404")
                && matches!(get.status, Status::Error { .. }),
            "get: not a 404 with error.type 404 and status Error".to_string(),
        );
    }

    expect(
        spans.len() == 4,
        format!("{} span(s) exported, not 4", spans.len()),
    );
    failures
}
