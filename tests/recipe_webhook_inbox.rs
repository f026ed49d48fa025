//! The webhook inbox (examples/webhook_inbox.rs) end to end, on SQLite
//! always and on PostgreSQL when `MFKESSAI_TEST_POSTGRES_URL` points at a
//! server (`.ci/run` starts one): the fake delivers nine events, with
//! retries, to two instances sharing one database; one instance's worker
//! dies holding an event and the instance restarts; every event is then
//! delivered again. Each event must be stored once and handled exactly once.
//!
//! The counts are written to stderr directly (not captured), so that the
//! test log shows them per backend, and the Postgres test's reason when it
//! skips.
#![cfg(feature = "testing")]

#[allow(dead_code)]
#[path = "../examples/webhook_inbox.rs"]
mod example;

use std::io::Write;

use mfkessai::webhook::{Claim, Deduplicator};

/// Past libtest's capture: the numbers belong in the log.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn postgres_url() -> Option<String> {
    std::env::var("MFKESSAI_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_inbox_handles_each_event_once_across_instances_and_a_restart() {
    let url = example::fresh_sqlite("recipe-inbox-test").unwrap();
    let report = example::two_instances_and_a_restart(&url).await.unwrap();
    say(&report.to_string());
    report.check().unwrap();
    assert_eq!(report.backend, "sqlite");
    assert_eq!(report.events, 9);
    assert!(
        report.fake_retries > 0,
        "lost answers make the fake retry: {report}"
    );
    assert_eq!(report.duplicates, report.fake_retries + report.redeliveries);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_inbox_handles_each_event_once_across_instances_and_a_restart() {
    let Some(url) = postgres_url() else {
        say(
            "SKIPPED postgres_inbox_handles_each_event_once_across_instances_and_a_restart: \
             MFKESSAI_TEST_POSTGRES_URL is not set (.ci/run sets it once it has started a local \
             PostgreSQL; it could not here, or this is not .ci/run)",
        );
        return;
    };
    let report = example::two_instances_and_a_restart(&url).await.unwrap();
    say(&report.to_string());
    report.check().unwrap();
    assert_eq!(report.backend, "postgres");
    assert!(
        report.fake_retries > 0,
        "lost answers make the fake retry: {report}"
    );
    assert_eq!(report.duplicates, report.fake_retries + report.redeliveries);
}

/// The `Deduplicator` on a table: two "instances" (two pools on one SQLite
/// file) see each other's claims, and a release lets the retry through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sql_deduplicator_is_shared_between_instances() {
    let url = example::fresh_sqlite("recipe-dedup-test").unwrap();
    let one = example::inbox::SqlDeduplicator::open(&url).await.unwrap();
    let two = example::inbox::SqlDeduplicator::open(&url).await.unwrap();
    assert_eq!(one.claim("GM6Y-9W6V"), Claim::First);
    assert_eq!(two.claim("GM6Y-9W6V"), Claim::Duplicate);
    two.release("GM6Y-9W6V");
    assert_eq!(one.claim("GM6Y-9W6V"), Claim::First);
    assert_eq!(two.claim("OTHER-ID"), Claim::First);
}

/// On a current-thread runtime it cannot block: it fails open.
#[tokio::test(flavor = "current_thread")]
async fn the_sql_deduplicator_fails_open_where_it_cannot_block() {
    let url = example::fresh_sqlite("recipe-dedup-open").unwrap();
    let seen = example::inbox::SqlDeduplicator::open(&url).await.unwrap();
    assert_eq!(seen.claim("E1"), Claim::First);
    assert_eq!(seen.claim("E1"), Claim::First);
}
