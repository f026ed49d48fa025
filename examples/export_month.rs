//! Exports every transaction (取引) of one month to CSV, streaming the list
//! page by page: memory stays at one page however many transactions there
//! are.
//!
//! ```sh
//! cargo run --features testing --example export_month                  # last month, on the fake
//! cargo run --features testing --example export_month -- 2026-03        # a given month
//! MFKESSAI_API_KEY=... cargo run --features testing --example export_month -- 2026-03
//! ```
//!
//! On the fake server it first registers a customer with a credit line and
//! a transaction a day for the thirty days up to today, so the export has
//! something to find, and checks that it found exactly the ones dated in
//! the month.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;

use common::{ensure, BoxError, Session};
use futures::TryStreamExt;
use mfkessai::{
    chrono::{Duration, Months, NaiveDate},
    dates,
    sandbox::{Outcome, WithOutcome},
};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let today = session.today();
    let first = match std::env::args().nth(1) {
        Some(month) => NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map_err(|_| format!("expected a month like 2026-03, got {month:?}"))?,
        // Last month: the usual monthly export.
        None => dates::month_start(today, 0) - Months::new(1),
    };
    let last = dates::month_end(first, 0);

    let expected = if session.is_fake() {
        Some(seed_a_month_of_transactions(&session).await?)
    } else {
        None
    };

    let path = std::env::temp_dir().join(format!("transactions-{}.csv", first.format("%Y-%m")));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, "id,number,customer_id,date,amount,status,billing_id")?;

    // `date_from`/`date_to` are inclusive. 200 per request (the stream
    // default); prefetch(1) overlaps the next request with writing this page.
    let mut transactions = session
        .client
        .transactions()
        .list()
        .date_from(first)
        .date_to(last)
        .prefetch(1)
        .stream();
    let mut count = 0usize;
    let mut total = 0i64;
    let mut days = Vec::new();
    while let Some(t) = transactions.try_next().await? {
        count += 1;
        total += t.amount.unwrap_or(0);
        days.push(t.date);
        // An empty cell for what the server has not filled in yet.
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            t.id,
            t.number,
            cell(&t.customer_id),
            t.date,
            cell(&t.amount),
            cell(&t.status),
            cell(&t.billing_id),
        )?;
    }
    out.flush()?;
    println!(
        "exported {count} transactions of {} .. {last} ({total} yen) to {}",
        first,
        path.display()
    );

    ensure(
        days.iter().all(|d| (first..=last).contains(d)),
        "every exported transaction is dated in the month",
    )?;
    if let Some(expected) = expected {
        let in_month = expected
            .iter()
            .filter(|d| (first..=last).contains(*d))
            .count();
        ensure(
            count == in_month,
            format!("{in_month} transactions are dated in the month; exported {count}"),
        )?;
    }
    println!("Done.");
    Ok(())
}

/// One customer with a credit line and a transaction a day for the 30 days
/// up to today; returns their dates.
async fn seed_a_month_of_transactions(session: &Session) -> Result<Vec<NaiveDate>, BoxError> {
    let client = &session.client;
    let today = session.today();
    let created = client
        .customers()
        .create(common::sample_customer(session.number("EXPORT")))
        .await?;
    let customer_id = created.customer.id;
    let destination_id = created.destination.id;
    let examination =
        common::sample_examination(&customer_id, 1_000_000, dates::month_end(today, 1))
            .with_outcome(Outcome::Passed);
    client.customer_examinations().create(examination).await?;

    let mut days = Vec::new();
    for days_ago in 0..30 {
        let date = today - Duration::days(days_ago);
        let mut payload = common::transaction(
            &destination_id,
            format!("{}-{days_ago:02}", session.number("EXPORT-TX")),
            today,
            dates::month_end(today, 1),
            common::sample_lines(None)?,
        );
        payload.date = date;
        client.transactions().create_idempotent(payload).await?;
        days.push(date);
    }
    println!(
        "seeded 30 transactions dated {} .. {today}",
        today - Duration::days(29)
    );
    Ok(days)
}

/// A CSV cell for a value the server may not have filled in yet.
fn cell<T: std::fmt::Display>(value: &Option<T>) -> String {
    value.as_ref().map_or_else(String::new, ToString::to_string)
}
