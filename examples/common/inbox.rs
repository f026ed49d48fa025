//! The webhook inbox: received events go into a database table whose
//! primary key is the event id, and workers take their work from that
//! table. The unique constraint is what drops repeated deliveries, across
//! any number of instances and restarts; the table is what survives a
//! crash between "answered Kessai" and "did the work".
//!
//! One code path for SQLite (a file, the default) and PostgreSQL
//! (`DATABASE_URL=postgres://...`), through sqlx's `Any` driver: the SQL
//! below is what both understand (`ON CONFLICT DO NOTHING`, `$1`
//! placeholders, `BIGINT` milliseconds for times).
//!
//! Included by `examples/webhook_inbox.rs` and its test with
//! `#[path = "common/inbox.rs"] mod inbox;`, beside `common/mod.rs`.

// The example and its test each use part of this module.
#![allow(dead_code)]

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
    Router,
};
use mfkessai::webhook::{self, Claim, Deduplicator, Event, Secret, WebhookError};
use sqlx::{any::AnyPoolOptions, AnyPool};
use tokio::{sync::Notify, task::JoinHandle};

/// Any error the inbox can end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where Kessai posts (set this URL on the admin screen, 開発者向け > WebHook).
pub const PATH: &str = "/webhooks/mfkessai";

/// The tables. `webhook_inbox.event_id` is the primary key: a second
/// delivery of an event inserts nothing. `webhook_handled` stands for your
/// own tables: the work's effects, written in the same transaction that
/// marks the event done, so they happen exactly once.
const SCHEMA: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS webhook_inbox (
        event_id    TEXT PRIMARY KEY,
        event_type  TEXT NOT NULL,
        body        TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        state       TEXT NOT NULL,
        claimed_by  TEXT,
        lease_until BIGINT,
        attempts    BIGINT NOT NULL,
        handled_at  BIGINT
    )",
    "CREATE INDEX IF NOT EXISTS webhook_inbox_state ON webhook_inbox (state, received_at)",
    "CREATE TABLE IF NOT EXISTS webhook_handled (
        event_id   TEXT NOT NULL,
        handled_by TEXT NOT NULL,
        summary    TEXT NOT NULL,
        handled_at BIGINT NOT NULL
    )",
];

/// After this many failed attempts an event is left `failed` for a person
/// to look at, instead of being retried forever.
const MAX_ATTEMPTS: i64 = 5;

/// The inbox table, through a connection pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Inbox {
    pool: AnyPool,
    backend: &'static str,
}

/// An event a worker claimed: its id and the verified body.
#[derive(Debug, Clone)]
pub struct Job {
    /// The event id (the body's `event_id`).
    pub event_id: String,
    /// The body as Kessai sent it, already verified.
    pub body: String,
}

impl Inbox {
    /// Connects (`sqlite://path?mode=rwc` or `postgres://...`) and creates
    /// the tables if they are not there.
    pub async fn open(url: &str) -> Result<Inbox, BoxError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            "sqlite"
        } else {
            "postgres"
        };
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| format!("cannot open the inbox database ({backend}): {e}"))?;
        if backend == "sqlite" {
            // Readers do not wait for the writer; sqlx already waits up to
            // 5 s when another connection (or process) is writing.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        for statement in SCHEMA {
            sqlx::query(statement).execute(&pool).await?;
        }
        Ok(Inbox { pool, backend })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Empties both tables (for the self-test; never in production).
    pub async fn clear(&self) -> Result<(), BoxError> {
        sqlx::query("DELETE FROM webhook_inbox")
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM webhook_handled")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores a verified event. [`Claim::First`] when it is new,
    /// [`Claim::Duplicate`] when the table already has its id — whichever
    /// instance stored it, before or after a restart.
    pub async fn record(
        &self,
        event_id: &str,
        event_type: &str,
        body: &str,
    ) -> Result<Claim, BoxError> {
        let inserted = sqlx::query(
            "INSERT INTO webhook_inbox (event_id, event_type, body, received_at, state, attempts)
             VALUES ($1, $2, $3, $4, 'pending', 0)
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(event_type)
        .bind(body)
        .bind(now_ms())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(if inserted == 1 {
            Claim::First
        } else {
            Claim::Duplicate
        })
    }

    /// Takes the oldest event nobody is working on (or whose worker's lease
    /// ran out: it crashed or was stopped) for `lease`. The conditional
    /// UPDATE is the lock: of several workers trying the same row, one
    /// changes it and the others see 0 rows changed and try the next.
    pub async fn claim(&self, worker: &str, lease: Duration) -> Result<Option<Job>, BoxError> {
        let now = now_ms();
        let candidates: Vec<String> = sqlx::query_scalar(
            "SELECT event_id FROM webhook_inbox
             WHERE state = 'pending' OR (state = 'claimed' AND lease_until < $1)
             ORDER BY received_at, event_id LIMIT 8",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        for event_id in candidates {
            let taken = sqlx::query(
                "UPDATE webhook_inbox
                 SET state = 'claimed', claimed_by = $1, lease_until = $2, attempts = attempts + 1
                 WHERE event_id = $3
                   AND (state = 'pending' OR (state = 'claimed' AND lease_until < $4))",
            )
            .bind(worker)
            .bind(now.saturating_add(lease_ms))
            .bind(&event_id)
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if taken == 1 {
                let body: String =
                    sqlx::query_scalar("SELECT body FROM webhook_inbox WHERE event_id = $1")
                        .bind(&event_id)
                        .fetch_one(&self.pool)
                        .await?;
                return Ok(Some(Job { event_id, body }));
            }
        }
        Ok(None)
    }

    /// Marks `job` done and writes its effect, in one transaction, if
    /// `worker` still holds it. `false`: its lease ran out and another
    /// worker took it, so nothing was written (that one will do it).
    pub async fn finish(&self, job: &Job, worker: &str, summary: &str) -> Result<bool, BoxError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let marked = sqlx::query(
            "UPDATE webhook_inbox SET state = 'done', handled_at = $1, lease_until = NULL
             WHERE event_id = $2 AND state = 'claimed' AND claimed_by = $3",
        )
        .bind(now)
        .bind(&job.event_id)
        .bind(worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        // Your own writes go here, on `tx`.
        sqlx::query(
            "INSERT INTO webhook_handled (event_id, handled_by, summary, handled_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&job.event_id)
        .bind(worker)
        .bind(summary)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives `job` back after a failed attempt: another try later, or
    /// `failed` after [`MAX_ATTEMPTS`].
    pub async fn give_back(&self, job: &Job, worker: &str) -> Result<(), BoxError> {
        sqlx::query(
            "UPDATE webhook_inbox
             SET state = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'pending' END,
                 claimed_by = NULL, lease_until = NULL
             WHERE event_id = $2 AND state = 'claimed' AND claimed_by = $3",
        )
        .bind(MAX_ATTEMPTS)
        .bind(&job.event_id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many events are in each state, for monitoring: `(state, count)`.
    pub async fn states(&self) -> Result<Vec<(String, i64)>, BoxError> {
        Ok(sqlx::query_as(
            "SELECT state, COUNT(*) FROM webhook_inbox GROUP BY state ORDER BY state",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// What was handled: `(event_id, handled_by)` for every effect written.
    pub async fn handled(&self) -> Result<Vec<(String, String)>, BoxError> {
        Ok(sqlx::query_as(
            "SELECT event_id, handled_by FROM webhook_handled ORDER BY event_id, handled_by",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many events were claimed more than once (a worker crashed or
    /// gave one back, and another took it).
    pub async fn retaken(&self) -> Result<i64, BoxError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_inbox WHERE attempts > 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Closes the pool (what a stopping process does).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Milliseconds since 1970: portable across both databases, unlike their
/// timestamp types.
fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The key of an event: the body's `event_id`, which the signature covers
/// and every event has.
pub fn event_key(event: &Event) -> String {
    event.event_id().to_string()
}

/// Counters of one receiving instance.
#[derive(Debug, Default)]
pub struct Counters {
    /// Requests that reached the endpoint.
    pub requests: AtomicUsize,
    /// Events stored for the first time.
    pub recorded: AtomicUsize,
    /// Deliveries of events the table already had.
    pub duplicates: AtomicUsize,
    /// Requests refused (bad signature: 401; undecodable: 500).
    pub rejected: AtomicUsize,
    /// Events whose work was done (effect committed) by this instance.
    pub handled: AtomicUsize,
    /// Workers that stopped dead holding an event (`crash_after_claims`).
    pub crashed: AtomicUsize,
}

struct Endpoint {
    secrets: Vec<Secret>,
    inbox: Inbox,
    wake: Arc<Notify>,
    counters: Arc<Counters>,
}

/// The endpoint: verify, store, answer. 200 for a new event and for a
/// repeat alike; 503 when the database cannot take it, so that Kessai
/// retries later instead of the event being lost.
pub fn app(
    secrets: Vec<Secret>,
    inbox: Inbox,
    wake: Arc<Notify>,
    counters: Arc<Counters>,
) -> Router {
    let endpoint = Endpoint {
        secrets,
        inbox,
        wake,
        counters,
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
    let counters = &endpoint.counters;
    counters.requests.fetch_add(1, Ordering::Relaxed);
    let received = match webhook::receive(&endpoint.secrets, &headers, &body) {
        Ok(received) => received,
        Err(err) => {
            counters.rejected.fetch_add(1, Ordering::Relaxed);
            return reject(&err);
        }
    };
    let key = event_key(&received.event);
    let text = String::from_utf8_lossy(&body);
    match endpoint
        .inbox
        .record(&key, received.event.event_type(), &text)
        .await
    {
        Ok(Claim::First) => {
            counters.recorded.fetch_add(1, Ordering::Relaxed);
            endpoint.wake.notify_one();
            StatusCode::OK
        }
        Ok(Claim::Duplicate) => {
            counters.duplicates.fetch_add(1, Ordering::Relaxed);
            tracing::info!(event_id = %key, retry = ?received.delivery.retry_number, "duplicate delivery, acknowledged");
            StatusCode::OK
        }
        Err(err) => {
            tracing::error!("inbox unavailable ({err}); asking Kessai to retry");
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
        // Authentic but undecodable: 500, so Kessai keeps it for 31 hours.
        _ => {
            tracing::error!("cannot handle webhook: {err}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Unique among all instances: it marks the rows this worker holds.
    pub name: String,
    /// How long a claim holds before another worker may take the event.
    /// Longer than the work takes; it is what recovers a crashed worker's
    /// events.
    pub lease: Duration,
    /// How often to look for work when not woken by the endpoint (events
    /// other instances stored, leases that ran out).
    pub poll: Duration,
    /// For the self-test: stop dead after claiming this many events,
    /// leaving the last one claimed, as a process killed mid-work would.
    pub crash_after_claims: Option<usize>,
}

/// The background side: claims events from the table and does the work.
/// Runs until aborted (or, with `crash_after_claims`, until it "crashes").
pub async fn work(
    inbox: Inbox,
    options: WorkerOptions,
    wake: Arc<Notify>,
    counters: Arc<Counters>,
) {
    let mut claims = 0;
    loop {
        let job = match inbox.claim(&options.name, options.lease).await {
            Ok(Some(job)) => job,
            Ok(None) => {
                let _ = tokio::time::timeout(options.poll, wake.notified()).await;
                continue;
            }
            Err(err) => {
                tracing::error!("cannot claim from the inbox: {err}");
                tokio::time::sleep(options.poll).await;
                continue;
            }
        };
        claims += 1;
        if options.crash_after_claims == Some(claims) {
            counters.crashed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(worker = %options.name, event_id = %job.event_id, "worker stops with an event claimed");
            return;
        }
        let outcome = match serde_json::from_str::<Event>(&job.body) {
            Ok(event) => Ok(describe(&event)),
            Err(err) => Err(err.to_string()),
        };
        let result = match outcome {
            Ok(summary) => inbox.finish(&job, &options.name, &summary).await,
            Err(err) => {
                tracing::error!(event_id = %job.event_id, "work failed: {err}");
                inbox.give_back(&job, &options.name).await.map(|()| false)
            }
        };
        match result {
            Ok(true) => {
                counters.handled.fetch_add(1, Ordering::Relaxed);
            }
            Ok(false) => {}
            Err(err) => tracing::error!(event_id = %job.event_id, "cannot finish: {err}"),
        }
    }
}

/// The stand-in for real work: one line about the event.
pub fn describe(event: &Event) -> String {
    match event {
        Event::CustomerExaminationExamined(e) => format!(
            "credit examination {} of customer {}: {}",
            e.customer_examination_id, e.customer_id, e.result
        ),
        Event::TransactionExamined(e) => format!(
            "transaction {} ({}) examined: {}",
            e.transaction_id, e.transaction_number, e.result
        ),
        Event::InvoiceIssued(e) => {
            format!(
                "invoice {} issued for billing {}",
                e.invoice_id, e.billing_id
            )
        }
        Event::CustomerNameUpdateExamined(e) => format!(
            "name change {} of customer {}: {}",
            e.customer_name_update_id, e.customer_id, e.result
        ),
        other => format!("unhandled event type {}", other.event_type()),
    }
}

/// A [`Deduplicator`] on a SQL table, for code written against the trait
/// (like `examples/webhook_receiver.rs`). The trait is synchronous, so each
/// call blocks its thread on the database with
/// [`tokio::task::block_in_place`]: this needs tokio's multi-threaded
/// runtime. On any other runtime, or when the database fails, `claim` says
/// [`Claim::First`]: a filter that fails open lets a repeat through rather
/// than dropping an event, so the work must still be idempotent. The inbox
/// above ([`Inbox::record`], async) needs none of this and is the better
/// fit.
#[derive(Clone, Debug)]
pub struct SqlDeduplicator {
    pool: AnyPool,
}

impl SqlDeduplicator {
    /// Creates the `webhook_seen` table if needed.
    pub async fn open(url: &str) -> Result<SqlDeduplicator, BoxError> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(2)
            .connect(url)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS webhook_seen (
                event_id TEXT PRIMARY KEY, claimed_at BIGINT NOT NULL)",
        )
        .execute(&pool)
        .await?;
        Ok(SqlDeduplicator { pool })
    }

    fn block_on<T>(&self, query: impl std::future::Future<Output = T>) -> Option<T> {
        let handle = tokio::runtime::Handle::try_current().ok()?;
        if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return None;
        }
        Some(tokio::task::block_in_place(|| handle.block_on(query)))
    }
}

impl Deduplicator for SqlDeduplicator {
    fn claim(&self, event_id: &str) -> Claim {
        let insert = sqlx::query(
            "INSERT INTO webhook_seen (event_id, claimed_at) VALUES ($1, $2)
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(now_ms())
        .execute(&self.pool);
        match self.block_on(insert) {
            Some(Ok(done)) if done.rows_affected() == 0 => Claim::Duplicate,
            Some(Err(err)) => {
                tracing::error!("deduplication table unavailable ({err}); handling the event");
                Claim::First
            }
            _ => Claim::First,
        }
    }

    fn release(&self, event_id: &str) {
        let delete = sqlx::query("DELETE FROM webhook_seen WHERE event_id = $1")
            .bind(event_id)
            .execute(&self.pool);
        if let Some(Err(err)) = self.block_on(delete) {
            tracing::error!("cannot release {event_id}: {err}");
        }
    }
}

/// One receiving instance: its endpoint and its worker, as one process of
/// a deployment would run them.
pub struct Instance {
    /// Its name, in log lines and in `webhook_handled.handled_by`.
    pub name: String,
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// What it counted.
    pub counters: Arc<Counters>,
    inbox: Inbox,
    server: JoinHandle<()>,
    worker: JoinHandle<()>,
}

impl Instance {
    /// Opens its own pool on `database_url`, listens on a free loopback
    /// port, starts a worker.
    pub async fn start(
        name: &str,
        database_url: &str,
        secret: &Secret,
        worker: WorkerOptions,
    ) -> Result<Instance, BoxError> {
        let inbox = Inbox::open(database_url).await?;
        let wake = Arc::new(Notify::new());
        let counters = Arc::new(Counters::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let router = app(
            vec![secret.clone()],
            inbox.clone(),
            wake.clone(),
            counters.clone(),
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let worker = tokio::spawn(work(inbox.clone(), worker, wake, counters.clone()));
        Ok(Instance {
            name: name.to_owned(),
            url,
            counters,
            inbox,
            server,
            worker,
        })
    }

    /// Stops it at once, whatever its worker holds: a crash or a kill.
    pub async fn stop(self) {
        self.server.abort();
        self.worker.abort();
        let _ = self.server.await;
        let _ = self.worker.await;
        self.inbox.close().await;
    }
}

/// A round-robin load balancer in front of the instances. While
/// `lose_every` is `n > 0`, every n-th answer is replaced by a 502 after
/// the instance has answered: the event is stored, but Kessai sees a
/// failure (a timeout, a proxy hiccup) and delivers it again.
#[derive(Clone)]
pub struct Balancer {
    backends: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicUsize>,
    lose_every: Arc<AtomicUsize>,
    /// Requests forwarded.
    pub forwarded: Arc<AtomicUsize>,
    http: reqwest::Client,
}

impl Balancer {
    /// Listens on a free loopback port; returns it and the URL Kessai should post to.
    pub async fn start(backends: Vec<String>) -> Result<(Balancer, String), BoxError> {
        let balancer = Balancer {
            backends: Arc::new(Mutex::new(backends)),
            next: Arc::default(),
            lose_every: Arc::default(),
            forwarded: Arc::default(),
            http: reqwest::Client::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}{PATH}", listener.local_addr()?);
        let router = Router::new()
            .route(PATH, post(forward))
            .with_state(balancer.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok((balancer, url))
    }

    /// Replaces the instances behind it (after a restart).
    pub fn set_backends(&self, backends: Vec<String>) {
        *self.backends.lock().unwrap_or_else(|p| p.into_inner()) = backends;
    }

    /// Loses every `n`-th answer from now on; 0: none.
    pub fn lose_every(&self, n: usize) {
        self.lose_every.store(n, Ordering::Relaxed);
    }
}

async fn forward(State(lb): State<Balancer>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let n = lb.next.fetch_add(1, Ordering::Relaxed);
    let backend = {
        let backends = lb.backends.lock().unwrap_or_else(|p| p.into_inner());
        if backends.is_empty() {
            return StatusCode::BAD_GATEWAY;
        }
        backends[n % backends.len()].clone()
    };
    let mut request = lb.http.post(format!("{backend}{PATH}")).body(body);
    for (name, value) in &headers {
        if name.as_str().starts_with("x-mfkessai-") || name == "content-type" {
            request = request.header(name, value);
        }
    }
    lb.forwarded.fetch_add(1, Ordering::Relaxed);
    let status = match request.send().await {
        Ok(answer) => {
            StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY)
        }
        Err(_) => StatusCode::BAD_GATEWAY,
    };
    let lose = lb.lose_every.load(Ordering::Relaxed);
    if lose > 0 && n % lose == lose - 1 {
        return StatusCode::BAD_GATEWAY;
    }
    status
}
