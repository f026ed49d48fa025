//! An in-process fake of the Kessai API for tests, examples and offline
//! development (feature `testing`).
//!
//! [`FakeKessai::start`] serves all 39 operations on `127.0.0.1` with an
//! ephemeral port, in memory, deterministically (seeded ids in the API's
//! `XXXX-XXXX` style, a clock that only moves when you move it). It behaves
//! like the documented sandbox: the `apikey` header is required, every
//! documented constraint is validated with the documented status, code and
//! `param`, lists paginate with cursors exactly as the reference describes,
//! examinations follow the sandbox's magic strings ([`crate::sandbox`]), and
//! payouts stay empty unless a test seeds them.
//!
//! Besides HTTP, a test drives it through Rust methods: seed data
//! ([`FakeKessai::seed_customers`]), move the clock
//! ([`FakeKessai::advance_clock`]), inject faults into the next requests
//! ([`FakeKessai::inject`]), read what was sent ([`FakeKessai::requests`]),
//! and have it deliver signed webhooks ([`FakeKessai::deliver_webhooks`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mfkessai::Result<()> {
//! use mfkessai::testing::FakeKessai;
//!
//! let fake = FakeKessai::start().await?;
//! let client = fake.client()?;
//! fake.seed_customers(3);
//! let page = client.customers().list().send().await?;
//! assert_eq!(page.items.len(), 3);
//! # Ok(()) }
//! ```
//!
//! The same server runs standalone for curl and other languages:
//! `cargo run --features testing --bin mfkessai-fake -- --port 8080`.

mod control;
mod formats;
mod handlers;
mod paginate;
mod params;
mod record;
mod reply;
mod seed;
mod server;
mod store;
mod webhooks;
mod wire;

use std::{
    collections::VecDeque,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, FixedOffset};

use crate::{Client, Environment, Error, RetryPolicy};
use server::Shared;
use store::Store;

pub use handlers::billings::InvoiceMode;
pub use webhooks::WebhookDelivery;

/// How many requests the log keeps unless the builder says otherwise.
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// The api key a fake accepts unless the builder sets another.
pub const DEFAULT_API_KEY: &str = "fake-kessai-api-key";

/// A fault to inject into one request, before the fake processes it (unless
/// the variant says otherwise). See [`FakeKessai::inject`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 Too Many Requests, with `Retry-After` in whole seconds when set.
    /// The request is not processed, as the reference promises.
    RateLimited {
        /// The `Retry-After` header to send, if any.
        retry_after: Option<Duration>,
    },
    /// This status (500, 502, 503, 504, …) without processing the request.
    Status(u16),
    /// Processes the request, then answers this status instead of the
    /// result: the ambiguous failure idempotent creates must survive.
    ProcessThenStatus(u16),
    /// Waits this long, then processes the request normally.
    Delay(Duration),
    /// Waits this long, then answers this status without processing: for
    /// client timeouts.
    DelayThenStatus(Duration, u16),
    /// Closes the connection without a complete response.
    DropConnection,
    /// Processes the request, then closes the connection without a complete
    /// response: the answer to a create that happened is lost.
    ProcessThenDropConnection,
    /// Processes the request, then answers its success status with a body
    /// that is not the documented JSON.
    ProcessThenMalformed,
}

/// One request as the fake received it (the `apikey` header left out).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, starting with `/v2/`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Header names and values, except `apikey`.
    pub headers: Vec<(String, String)>,
    /// The request body as text.
    pub body: String,
    /// The status the fake answered; 0 while it has not answered yet (or
    /// when it dropped the connection).
    pub status: u16,
    /// The body the fake answered, as text; empty until it has answered.
    pub response_body: String,
    /// The fault injected into this request, if any.
    pub fault: Option<Fault>,
}

impl LoggedRequest {
    /// The decoded values of a query parameter (`ids=A&ids=B` gives both).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// fake.client()?.customers().list().ids(["7679-YW36", "9R6M-VMAN"]).send().await?;
    /// assert_eq!(fake.requests()[0].query_values("ids"), ["7679-YW36", "9R6M-VMAN"]);
    /// # Ok(()) }
    /// ```
    pub fn query_values(&self, key: &str) -> Vec<String> {
        params::Params::parse(self.query.as_deref()).all(key)
    }
}

/// Settings for a [`FakeKessai`]; see [`FakeKessai::builder`].
#[derive(Clone)]
pub struct FakeKessaiBuilder {
    seed: u64,
    start: DateTime<FixedOffset>,
    api_key: String,
    addr: SocketAddr,
    log_capacity: usize,
    control: bool,
}

impl std::fmt::Debug for FakeKessaiBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeKessaiBuilder")
            .field("seed", &self.seed)
            .field("start", &self.start)
            .field("api_key", &"<redacted>")
            .field("addr", &self.addr)
            .field("log_capacity", &self.log_capacity)
            .field("control", &self.control)
            .finish()
    }
}

impl Default for FakeKessaiBuilder {
    fn default() -> Self {
        FakeKessaiBuilder {
            seed: 1,
            start: DateTime::parse_from_rfc3339("2026-04-01T10:00:00+09:00")
                .expect("constant date-time"),
            api_key: DEFAULT_API_KEY.to_string(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            log_capacity: DEFAULT_LOG_CAPACITY,
            control: false,
        }
    }
}

impl FakeKessaiBuilder {
    /// Seeds the id generator: the same seed gives the same ids.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Where the fake's clock starts (default 2026-04-01T10:00:00+09:00).
    pub fn start_time(mut self, start: DateTime<FixedOffset>) -> Self {
        self.start = start;
        self
    }

    /// The api key the fake accepts.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// How many requests [`FakeKessai::requests`] keeps, the newest (default
    /// 10,000); older ones are forgotten so a long-running fake stays small.
    ///
    /// ```
    /// let builder = mfkessai::testing::FakeKessai::builder().request_log_capacity(100);
    /// # let _ = builder;
    /// ```
    pub fn request_log_capacity(mut self, entries: usize) -> Self {
        self.log_capacity = entries;
        self
    }

    /// Also serve the test-control API over HTTP under `/_fake/` (default
    /// off), for test suites in other languages; see the table in the
    /// README.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::builder().control(true).start().await?;
    /// let now: serde_json::Value = reqwest::Client::new()
    ///     .get(format!("http://{}/_fake/clock", fake.local_addr()))
    ///     .header("apikey", fake.api_key())
    ///     .send().await.unwrap().json().await.unwrap();
    /// assert_eq!(now["now"], fake.now().to_rfc3339());
    /// # Ok(()) }
    /// ```
    pub fn control(mut self, enabled: bool) -> Self {
        self.control = enabled;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Binds and starts serving on the current tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::builder().seed(42).start().await?;
    /// assert!(fake.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(()) }
    /// ```
    pub async fn start(self) -> Result<FakeKessai, Error> {
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .map_err(|e| Error::config(format!("FakeKessai cannot bind {}: {e}", self.addr)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::config(format!("FakeKessai has no local address: {e}")))?;
        let base_url = format!("http://{addr}/v2");
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(self.seed, self.start)),
            api_key: self.api_key,
            base_url: base_url.clone(),
            faults: Mutex::new(VecDeque::new()),
            chaos: Mutex::new(None),
            log: Mutex::new(VecDeque::new()),
            log_capacity: self.log_capacity,
            next_seq: Default::default(),
            cleared: Default::default(),
            webhook: Mutex::new(None),
        });
        let mut app = server::router(shared.clone());
        if self.control {
            // A view of the fake that does not own the server task.
            let view = Arc::new(FakeKessai {
                shared: shared.clone(),
                base_url: base_url.clone(),
                addr,
                task: None,
            });
            app = app.nest("/_fake", control::router(view));
        }
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeKessai {
            shared,
            base_url,
            addr,
            task: Some(task),
        })
    }
}

/// The running fake; the server stops when this is dropped.
pub struct FakeKessai {
    shared: Arc<Shared>,
    base_url: String,
    addr: SocketAddr,
    /// The server; `None` in the view the control API holds.
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for FakeKessai {
    // Neither the api key nor the whole in-memory store belongs in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeKessai")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for FakeKessai {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl FakeKessai {
    /// Starts a fake with the default settings on an ephemeral port.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// println!("serving {} with key {}", fake.base_url(), fake.api_key());
    /// # Ok(()) }
    /// ```
    pub async fn start() -> Result<FakeKessai, Error> {
        FakeKessaiBuilder::default().start().await
    }

    /// Settings: seed, start time, api key, address.
    ///
    /// ```
    /// let builder = mfkessai::testing::FakeKessai::builder().seed(7).api_key("k");
    /// # let _ = builder;
    /// ```
    pub fn builder() -> FakeKessaiBuilder {
        FakeKessaiBuilder::default()
    }

    /// The base URL to give [`Environment::custom`], like
    /// `http://127.0.0.1:41234/v2`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let env = mfkessai::Environment::custom(fake.base_url())?;
    /// # let _ = env; Ok(()) }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the fake listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// assert!(fake.local_addr().ip().is_loopback());
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The api key the fake accepts.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// A [`Client`] pointed at this fake, with retries that wait at most a
    /// few milliseconds so fault-injection tests run fast.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let client = fake.client()?;
    /// assert!(client.customers().list().send().await?.items.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// A [`crate::ClientBuilder`] pointed at this fake, to adjust before
    /// building (timeouts, retry policy, …).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let client = fake
    ///     .client_builder()
    ///     .retry(mfkessai::RetryPolicy::disabled())
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn client_builder(&self) -> crate::ClientBuilder {
        let environment =
            Environment::custom(&self.base_url).expect("a loopback http URL is always accepted");
        Client::builder()
            .api_key(self.shared.api_key.clone())
            .environment(environment)
            .retry(
                RetryPolicy::default()
                    .base_delay(Duration::from_millis(1))
                    .max_delay(Duration::from_millis(20)),
            )
    }

    /// The fake's current time.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let before = fake.now();
    /// fake.advance_clock(chrono::Duration::days(1));
    /// assert_eq!(fake.now() - before, chrono::Duration::days(1));
    /// # Ok(()) }
    /// ```
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.shared.store().clock.now()
    }

    /// Moves the clock forward and applies what time does: credit facilities
    /// start and end, authorizations expire, billings are issued (and
    /// `invoice.issued` is delivered when webhooks are on).
    pub fn advance_clock(&self, by: chrono::Duration) {
        let _ = self.shared.control(|store| {
            store.clock.advance(by);
            handlers::on_clock(store);
            Ok(())
        });
    }

    /// Makes the next `times` requests fail with `fault`, in order after any
    /// faults already queued.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::testing::{FakeKessai, Fault};
    /// let fake = FakeKessai::start().await?;
    /// fake.inject(Fault::Status(503), 1);
    /// // GETs are retried after a 503: the second attempt succeeds.
    /// fake.client()?.customers().list().send().await?;
    /// assert_eq!(fake.requests().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn inject(&self, fault: Fault, times: usize) {
        let mut faults = self.shared.faults.lock().unwrap_or_else(|p| p.into_inner());
        faults.extend(std::iter::repeat_n(fault, times));
    }

    /// From now on, each request that no queued fault hits gets one of
    /// `faults`, picked at random, with a chance of `percent` in 100: a
    /// flaky network for soak tests. The same `seed` gives the same run
    /// for the same requests. [`FakeKessai::clear_faults`] stops it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::testing::{FakeKessai, Fault};
    /// let fake = FakeKessai::start().await?;
    /// fake.inject_randomly(100, [Fault::Status(503)], 7);
    /// assert!(fake.client()?.with_retry(mfkessai::RetryPolicy::disabled())
    ///     .customers().list().send().await.is_err());
    /// fake.clear_faults();
    /// # Ok(()) }
    /// ```
    pub fn inject_randomly(&self, percent: u8, faults: impl IntoIterator<Item = Fault>, seed: u64) {
        let faults: Vec<Fault> = faults.into_iter().collect();
        let mut chaos = self.shared.chaos.lock().unwrap_or_else(|p| p.into_inner());
        *chaos = (!faults.is_empty() && percent > 0).then(|| server::Chaos {
            percent: percent.min(100),
            faults,
            rng: fastrand::Rng::with_seed(seed),
        });
    }

    /// Drops the faults not used yet, and stops random ones.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::testing::{FakeKessai, Fault};
    /// let fake = FakeKessai::start().await?;
    /// fake.inject(Fault::Status(500), 3);
    /// fake.clear_faults();
    /// fake.client()?.customers().list().send().await?;
    /// assert_eq!(fake.requests().len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn clear_faults(&self) {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        *self.shared.chaos.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The requests received so far (the newest
    /// [`FakeKessaiBuilder::request_log_capacity`] of them), oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// fake.client()?.customers().list().page_size(5).send().await?;
    /// let log = fake.requests();
    /// assert_eq!(log[0].path, "/v2/customers");
    /// assert_eq!(log[0].query.as_deref(), Some("limit=5"));
    /// # Ok(()) }
    /// ```
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Forgets the request log.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// fake.client()?.customers().list().send().await?;
    /// fake.clear_requests();
    /// assert!(fake.requests().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn clear_requests(&self) {
        self.shared.clear_log();
    }
}
