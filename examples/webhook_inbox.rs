//! A webhook endpoint that stores events in a database (the inbox
//! pattern), so that repeated deliveries are dropped across several
//! instances and restarts, and work survives a crash.
//!
//! ```text
//! cargo run --features testing --example webhook_inbox                      # SQLite file ./webhook_inbox.db
//! DATABASE_URL=postgres://user:pass@127.0.0.1/app cargo run --features testing --example webhook_inbox
//! MFKESSAI_WEBHOOK_SECRET='your secret' cargo run --features testing --example webhook_inbox -- --addr 0.0.0.0:8080
//! cargo run --features testing --example webhook_inbox -- --self-test      # two instances, a restart, repeats
//! ```
//!
//! Each request is verified, then `INSERT ... ON CONFLICT (event_id) DO
//! NOTHING` into `webhook_inbox`: the primary key on the event id is the
//! deduplication, whichever instance got the delivery and however often
//! Kessai sends it. The endpoint answers 200 at once (503 if the database
//! is down, so Kessai retries). Workers, in every instance, claim stored
//! events with a conditional UPDATE and a lease, and mark them done in the
//! same transaction as the work's own writes: each event's effect is
//! committed exactly once, and the events a crashed worker held are taken
//! over when its lease runs out. Everything is in `examples/common/inbox.rs`.
//!
//! `--self-test` runs that on the in-process fake Kessai: two instances
//! sharing one database behind a load balancer that loses some answers
//! (so the fake retries), one instance's worker dying with an event
//! claimed, that instance restarted, and every event delivered a second
//! time; it checks that each event was handled exactly once and prints the
//! counts. The database is `DATABASE_URL`, or a fresh SQLite file.

#[path = "common/mod.rs"]
mod common;
#[path = "common/inbox.rs"]
pub mod inbox;

use std::{collections::BTreeMap, net::SocketAddr, sync::atomic::Ordering, time::Duration};

use inbox::{BoxError, Inbox, Instance, WorkerOptions};
use mfkessai::{
    dates,
    sandbox::{Outcome, WithOutcome},
    testing::FakeKessai,
    webhook::{Delivery, Secret},
};

/// The secret of the reference's signature sample, used when
/// `MFKESSAI_WEBHOOK_SECRET` is not set.
const DEMO_SECRET: &str = "your secret";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let self_test = args.iter().any(|a| a == "--self-test");
    // The self-test's repeats are expected: only warnings.
    let level = if self_test {
        tracing::Level::WARN
    } else {
        tracing::Level::INFO
    };
    tracing_subscriber::fmt()
        .with_target(false)
        .with_max_level(level)
        .init();
    let database_url = std::env::var("DATABASE_URL").ok();
    if self_test {
        let url = match database_url {
            Some(url) => url,
            None => fresh_sqlite("webhook-inbox-self-test")?,
        };
        let report = two_instances_and_a_restart(&url).await?;
        println!("{report}");
        return report.check();
    }
    let addr: SocketAddr = match args.iter().position(|a| a == "--addr") {
        Some(i) => match args.get(i + 1) {
            Some(addr) => addr.parse()?,
            None => return Err("--addr needs a value".into()),
        },
        None => "127.0.0.1:3000".parse()?,
    };
    let secret = std::env::var("MFKESSAI_WEBHOOK_SECRET").unwrap_or_else(|_| {
        tracing::warn!("MFKESSAI_WEBHOOK_SECRET is not set; using the reference's sample secret");
        DEMO_SECRET.to_owned()
    });
    let url = database_url.unwrap_or_else(|| "sqlite://webhook_inbox.db?mode=rwc".to_owned());
    let inbox = Inbox::open(&url).await?;
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let counters = std::sync::Arc::default();
    // Unique per process: the rows a worker holds carry its name.
    let name = format!("{}-{}", addr, std::process::id());
    let worker = WorkerOptions {
        name,
        lease: Duration::from_secs(60),
        poll: Duration::from_secs(1),
        crash_after_claims: None,
    };
    tokio::spawn(inbox::work(
        inbox.clone(),
        worker,
        wake.clone(),
        std::sync::Arc::clone(&counters),
    ));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "listening on http://{}{}, events stored in {} ({})",
        listener.local_addr()?,
        inbox::PATH,
        redact(&url),
        inbox.backend()
    );
    let app = inbox::app(vec![Secret::new(secret)], inbox, wake, counters);
    axum::serve(listener, app).await?;
    Ok(())
}

/// The database URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}://{user}:***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// `sqlite://<temp dir>/<name>-<pid>.db?mode=rwc`, removed first if there.
pub fn fresh_sqlite(name: &str) -> Result<String, BoxError> {
    let path = std::env::temp_dir().join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        if std::path::Path::new(&file).exists() {
            std::fs::remove_file(&file)?;
        }
    }
    Ok(format!("sqlite://{}?mode=rwc", path.display()))
}

/// What the self-test saw.
#[derive(Debug, Default)]
pub struct Report {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Events the fake emitted.
    pub events: usize,
    /// Requests the fake sent for them, retries included.
    pub fake_deliveries: usize,
    /// Of which retries (`x-mfkessai-retry-number` > 0).
    pub fake_retries: usize,
    /// Every event delivered once more, after the restart.
    pub redeliveries: usize,
    /// Requests that reached an instance, per instance.
    pub requests: BTreeMap<String, usize>,
    /// Events stored for the first time.
    pub recorded: usize,
    /// Deliveries acknowledged as repeats.
    pub duplicates: usize,
    /// Effects committed, per worker.
    pub handled_by: BTreeMap<String, usize>,
    /// Effects committed in all (rows of `webhook_handled`).
    pub handled: usize,
    /// Events handled more than once (must be 0).
    pub handled_twice: usize,
    /// Workers that died holding an event.
    pub crashed: usize,
    /// Events claimed more than once: the crashed worker's, taken over.
    pub retaken: i64,
    /// The inbox's states at the end.
    pub states: Vec<(String, i64)>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "webhook inbox on {}:", self.backend)?;
        writeln!(
            f,
            "  {} events; the fake sent {} requests ({} retries), then each event once more ({})",
            self.events, self.fake_deliveries, self.fake_retries, self.redeliveries
        )?;
        writeln!(f, "  requests per instance: {:?}", self.requests)?;
        writeln!(
            f,
            "  stored {} (first deliveries), acknowledged {} repeats",
            self.recorded, self.duplicates
        )?;
        writeln!(
            f,
            "  handled {} in all, per worker {:?}; {} handled twice; \
             {} worker(s) died holding an event, {} event(s) taken over",
            self.handled, self.handled_by, self.handled_twice, self.crashed, self.retaken
        )?;
        write!(f, "  inbox states: {:?}", self.states)
    }
}

impl Report {
    /// `Err` unless every event was stored once and handled exactly once.
    pub fn check(&self) -> Result<(), BoxError> {
        let done = self.states == [("done".to_string(), self.events as i64)];
        if self.events > 0
            && self.recorded == self.events
            && self.handled == self.events
            && self.handled_twice == 0
            && self.duplicates >= self.redeliveries
            && self.retaken >= self.crashed as i64
            && done
        {
            Ok(())
        } else {
            Err(format!("the inbox did not handle each event exactly once:\n{self}").into())
        }
    }
}

const SELF_TEST_SECRET: &str = "whsec-inbox-self-test";

/// The end-to-end run: two instances on `database_url` behind a balancer
/// that loses every third answer; the fake delivers (and retries) nine
/// events; instance `a`'s worker dies with its first event claimed; `a`
/// is restarted; every event is delivered again; then it waits until the
/// inbox is drained and counts.
pub async fn two_instances_and_a_restart(database_url: &str) -> Result<Report, BoxError> {
    let secret = Secret::new(SELF_TEST_SECRET);
    let inbox = Inbox::open(database_url).await?;
    inbox.clear().await?;
    let worker = |name: &str, crash_after_claims| WorkerOptions {
        name: name.to_owned(),
        lease: Duration::from_millis(400),
        poll: Duration::from_millis(25),
        crash_after_claims,
    };
    let a = Instance::start("a", database_url, &secret, worker("a-1", Some(1))).await?;
    let b = Instance::start("b", database_url, &secret, worker("b-1", None)).await?;
    let (balancer, url) = inbox::Balancer::start(vec![a.url.clone(), b.url.clone()]).await?;
    balancer.lose_every(3);

    // 1. Kessai (the fake) delivers: a credit examination and eight
    //    transactions, each examined at once by its magic string.
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(url.clone(), secret.clone(), Duration::from_millis(20));
    let events = emit_events(&fake).await?;
    wait_until(Duration::from_secs(30), || {
        let deliveries = fake.webhook_deliveries();
        let acknowledged: std::collections::HashSet<_> = deliveries
            .iter()
            .filter(|d| d.status.is_some_and(|s| (200..300).contains(&s)))
            .map(|d| d.event_id.clone())
            .collect();
        acknowledged.len() == events
    })
    .await
    .map_err(|_| "the fake's deliveries were not all acknowledged within 30 s")?;
    balancer.lose_every(0);

    // 2. Instance a goes down and comes back; its worker had died holding
    //    an event, which the lease gives to whoever claims next.
    let a_counters = a.counters.clone();
    a.stop().await;
    let a2 = Instance::start("a'", database_url, &secret, worker("a-2", None)).await?;
    balancer.set_backends(vec![a2.url.clone(), b.url.clone()]);

    // 3. Every event once more, signed, as Kessai sends a retry.
    let deliveries = fake.webhook_deliveries();
    let mut bodies = BTreeMap::new();
    for d in &deliveries {
        bodies
            .entry(d.event_id.clone())
            .or_insert_with(|| d.body.clone());
    }
    let http = reqwest::Client::new();
    for (event_id, body) in &bodies {
        let mut request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone());
        for (name, value) in Delivery::new(event_id.clone(), 1).headers(&secret, body.as_bytes()) {
            request = request.header(name, value);
        }
        let status = request.send().await?.status();
        if !status.is_success() {
            return Err(format!("redelivery of {event_id} answered {status}").into());
        }
    }

    // 4. Drained: every event done.
    let all_done = vec![("done".to_string(), events as i64)];
    let drained = wait_until_async(Duration::from_secs(30), || async {
        inbox.states().await.is_ok_and(|states| states == all_done)
    })
    .await;

    let handled = inbox.handled().await?;
    let mut handled_by = BTreeMap::new();
    let mut per_event: BTreeMap<&str, usize> = BTreeMap::new();
    for (event_id, worker) in &handled {
        *handled_by.entry(worker.clone()).or_insert(0) += 1;
        *per_event.entry(event_id.as_str()).or_insert(0) += 1;
    }
    let counters = [("a", &a_counters), ("a'", &a2.counters), ("b", &b.counters)];
    let report = Report {
        backend: inbox.backend(),
        events,
        fake_deliveries: deliveries.len(),
        fake_retries: deliveries.iter().filter(|d| d.retry_number > 0).count(),
        redeliveries: bodies.len(),
        requests: counters
            .iter()
            .map(|(name, c)| (name.to_string(), c.requests.load(Ordering::Relaxed)))
            .collect(),
        recorded: counters
            .iter()
            .map(|(_, c)| c.recorded.load(Ordering::Relaxed))
            .sum(),
        duplicates: counters
            .iter()
            .map(|(_, c)| c.duplicates.load(Ordering::Relaxed))
            .sum(),
        handled: handled.len(),
        crashed: counters
            .iter()
            .map(|(_, c)| c.crashed.load(Ordering::Relaxed))
            .sum(),
        handled_twice: per_event.values().filter(|n| **n > 1).count(),
        handled_by,
        retaken: inbox.retaken().await?,
        states: inbox.states().await?,
    };
    a2.stop().await;
    b.stop().await;
    inbox.close().await;
    if drained.is_err() {
        return Err(format!("the inbox was not drained within 30 s:\n{report}").into());
    }
    Ok(report)
}

/// Nine events: one credit examination (rejected) and eight transactions
/// (passed), all examined at once by the sandbox magic strings.
async fn emit_events(fake: &FakeKessai) -> Result<usize, BoxError> {
    let client = fake.client()?;
    let today = fake.now().date_naive();
    let created = client
        .customers()
        .create(common::sample_customer("INBOX-1".into()))
        .await?;
    let examination =
        common::sample_examination(&created.customer.id, 500_000, dates::month_end(today, 0))
            .with_outcome(Outcome::Rejected);
    client.customer_examinations().create(examination).await?;
    for i in 0..8 {
        let payload = common::transaction(
            &created.destination.id,
            format!("INBOX-TX-{i}"),
            today,
            dates::month_end(today, 1),
            common::sample_lines(None)?,
        )
        .with_outcome(Outcome::Passed);
        client.transactions().create(payload).await?;
    }
    Ok(9)
}

async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> Result<(), ()> {
    let deadline = tokio::time::Instant::now() + limit;
    while !done() {
        if tokio::time::Instant::now() > deadline {
            return Err(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn wait_until_async<F: std::future::Future<Output = bool>>(
    limit: Duration,
    mut done: impl FnMut() -> F,
) -> Result<(), ()> {
    let deadline = tokio::time::Instant::now() + limit;
    while !done().await {
        if tokio::time::Instant::now() > deadline {
            return Err(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}
