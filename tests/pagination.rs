//! Pagination streams against a real local server: the fake Kessai server
//! (cursor rules as the reference describes them) and, for the stuck-cursor
//! guard, a small axum server that misbehaves on purpose.
#![cfg(feature = "testing")]

use mfkessai::ids::CustomerId;
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use futures::{StreamExt, TryStreamExt};
use mfkessai::{
    pagination::Cursor,
    raw::types::Customer,
    testing::{FakeKessai, Fault},
    Client, Environment, Error, ErrorCode, RetryPolicy,
};

/// A complete customer as the server sends it.
fn customer(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "customer", "uri": format!("mfk:customer:{id}"),
        "created_at": "2019-04-01T12:00:00+09:00", "name": "顧客", "number": id
    })
}

fn ids(customers: &[Customer]) -> Vec<CustomerId> {
    customers.iter().map(|c| c.id.clone()).collect()
}

fn list_requests(fake: &FakeKessai) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.path == "/v2/customers")
        .count()
}

#[tokio::test]
async fn forward_and_backward_over_many_sizes() -> mfkessai::Result<()> {
    for total in [0usize, 1, 199, 200, 201, 1000] {
        let fake = FakeKessai::start().await?;
        let client = fake.client()?;
        // The anchor is the oldest customer: backward walks start before it.
        let anchor = fake.seed_customers(1).remove(0);
        let seeded = fake.seed_customers(total);
        let newest_first: Vec<CustomerId> = seeded.iter().rev().cloned().collect();

        for page_size in [1u32, 7, 200] {
            // Forward from the anchor's side of nothing: everything, newest first.
            fake.clear_requests();
            let all: Vec<Customer> = client
                .customers()
                .list()
                .page_size(page_size)
                .stream()
                .try_collect()
                .await?;
            let mut expected = newest_first.clone();
            expected.push(anchor.clone());
            assert_eq!(
                ids(&all),
                expected,
                "forward, {total} items, page size {page_size}"
            );
            // Never a page past the end: exactly ceil((total + 1) / size) requests.
            let pages = (total + 1).div_ceil(page_size as usize);
            assert_eq!(
                list_requests(&fake),
                pages,
                "forward requests, {total}/{page_size}"
            );

            // Backward from the anchor: the newer items, nearest first.
            fake.clear_requests();
            let newer: Vec<Customer> = client
                .customers()
                .list()
                .page_size(page_size)
                .starting_before(anchor.clone())
                .stream_backward()
                .try_collect()
                .await?;
            assert_eq!(
                ids(&newer),
                seeded,
                "backward, {total} items, page size {page_size}"
            );
            let pages = total.div_ceil(page_size as usize).max(1);
            assert_eq!(
                list_requests(&fake),
                pages,
                "backward requests, {total}/{page_size}"
            );
        }
    }
    Ok(())
}

#[tokio::test]
async fn empty_list_streams_nothing_with_one_request() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let all: Vec<Customer> = client.customers().list().stream().try_collect().await?;
    assert!(all.is_empty());
    assert_eq!(list_requests(&fake), 1);
    Ok(())
}

#[tokio::test]
async fn pages_carry_pagination_and_cursors() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let seeded = fake.seed_customers(15);
    let pages: Vec<_> = client
        .customers()
        .list()
        .page_size(7)
        .pages()
        .try_collect()
        .await?;
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [7, 7, 1]
    );
    assert!(pages.iter().all(|p| p.total == Some(15)));
    assert_eq!(pages[0].next_cursor(), Some(seeded[8].as_str()));
    assert!(!pages[0].has_previous && pages[1].has_previous);
    assert!(!pages[2].has_next && pages[2].next_cursor().is_none());

    // Backward pages keep the server's order inside each page.
    let back: Vec<_> = client
        .customers()
        .list()
        .page_size(7)
        .starting_before(seeded[0].clone())
        .pages_backward()
        .try_collect()
        .await?;
    let firsts: Vec<_> = back.iter().map(|p| ids(&p.items)).collect();
    let mut expected_first: Vec<CustomerId> = seeded[1..8].to_vec();
    expected_first.reverse();
    assert_eq!(firsts[0], expected_first);
    assert_eq!(back.len(), 2);
    Ok(())
}

#[tokio::test]
async fn take_sends_no_request_beyond_the_page_holding_the_last_item() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.seed_customers(100);
    for (take, requests) in [(1usize, 1usize), (7, 1), (8, 2), (14, 2), (15, 3)] {
        fake.clear_requests();
        let got: Vec<_> = client
            .customers()
            .list()
            .page_size(7)
            .stream()
            .take(take)
            .collect()
            .await;
        assert_eq!(got.len(), take);
        assert_eq!(list_requests(&fake), requests, "take({take})");
    }
    Ok(())
}

#[tokio::test]
async fn invalid_page_size_is_refused_before_any_request() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.seed_customers(3);
    for size in [0u32, 201, 10_000] {
        let mut stream = client.customers().list().page_size(size).stream();
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err}");
        assert_eq!(err.code(), Some(&ErrorCode::InvalidLimit));
        assert!(
            stream.next().await.is_none(),
            "the stream ends after the error"
        );
        let err = client
            .customers()
            .list()
            .page_size(size)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(&ErrorCode::InvalidLimit));
    }
    let err = client
        .customers()
        .list()
        .stream_backward()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(_)),
        "backward needs a cursor: {err}"
    );
    assert_eq!(fake.requests().len(), 0);
    Ok(())
}

#[tokio::test]
async fn resuming_after_an_error_yields_each_item_exactly_once() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()?;
    let seeded = fake.seed_customers(50);
    let expected: Vec<CustomerId> = seeded.iter().rev().cloned().collect();

    for prefetch in [0usize, 1, 3] {
        let mut seen = Vec::new();
        let mut resume: Option<Cursor> = None;
        let mut errors = 0;
        // An error every third request, until the walk gets through.
        for round in 0.. {
            assert!(round < 50, "the walk never finished");
            let mut list = client.customers().list().page_size(7).prefetch(prefetch);
            if let Some(cursor) = resume.take() {
                list = list.resume_from(cursor);
            }
            let mut stream = list.stream();
            fake.clear_faults();
            fake.inject(Fault::Delay(std::time::Duration::ZERO), 2);
            fake.inject(Fault::Status(503), 1);
            let mut failed = false;
            while let Some(item) = stream.next().await {
                match item {
                    Ok(c) => seen.push(c.id),
                    Err(e) => {
                        assert_eq!(e.status(), Some(503));
                        failed = true;
                        errors += 1;
                    }
                }
            }
            if !failed {
                break;
            }
            resume = stream.resume_cursor();
        }
        fake.clear_faults();
        assert!(errors >= 2, "prefetch {prefetch}: faults were injected");
        assert_eq!(
            seen, expected,
            "prefetch {prefetch}: every item exactly once, in order"
        );
    }
    Ok(())
}

#[tokio::test]
async fn resume_cursor_points_at_the_last_item_consumed() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let seeded = fake.seed_customers(20);
    let mut stream = client.customers().list().page_size(7).stream();
    assert_eq!(stream.resume_cursor(), None, "nothing read: from the top");
    let first: Vec<_> = (&mut stream).take(10).try_collect::<Vec<_>>().await?;
    assert_eq!(first.len(), 10);
    let cursor = stream.resume_cursor().unwrap();
    assert_eq!(cursor, Cursor::After(seeded[10].to_string()));
    drop(stream);
    let rest: Vec<Customer> = client
        .customers()
        .list()
        .resume_from(cursor)
        .stream()
        .try_collect()
        .await?;
    let mut all = ids(&first);
    all.extend(ids(&rest));
    assert_eq!(all, seeded.iter().rev().cloned().collect::<Vec<_>>());

    // Backward: the cursor is Before the newest item read.
    let mut back = client
        .customers()
        .list()
        .page_size(3)
        .starting_before(seeded[0].clone())
        .stream_backward();
    let read: Vec<_> = (&mut back).take(4).try_collect::<Vec<_>>().await?;
    assert_eq!(ids(&read), seeded[1..5].to_vec());
    assert_eq!(
        back.resume_cursor(),
        Some(Cursor::Before(seeded[4].clone().to_string()))
    );
    Ok(())
}

#[tokio::test]
async fn prefetch_yields_the_same_items_and_stops_with_the_consumer() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let seeded = fake.seed_customers(300);
    for prefetch in [1usize, 2, 8] {
        let all: Vec<Customer> = client
            .customers()
            .list()
            .page_size(13)
            .prefetch(prefetch)
            .stream()
            .try_collect()
            .await?;
        assert_eq!(ids(&all), seeded.iter().rev().cloned().collect::<Vec<_>>());
    }
    // Stopping early: at most `prefetch` pages beyond the one being read.
    fake.clear_requests();
    let mut stream = client.customers().list().page_size(10).prefetch(2).stream();
    let first = stream.next().await.unwrap()?;
    assert_eq!(Some(first.id.as_str()), Some(seeded[299].as_str()));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    drop(stream);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let sent = list_requests(&fake);
    assert!(sent <= 3, "one page read, two ahead at most; sent {sent}");
    assert!(sent >= 2, "prefetch fetched ahead; sent {sent}");
    Ok(())
}

#[tokio::test]
async fn out_of_range_and_unknown_cursors_are_the_servers_errors() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let seeded = fake.seed_customers(3);
    let err = client
        .customers()
        .list()
        .starting_after(seeded[0].clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::OutOfRangeByAfter));
    assert_eq!(err.param(), Some(seeded[0].as_str()));
    let err = client
        .customers()
        .list()
        .starting_after("ZZZZ-ZZZZ")
        .stream()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidAfter));
    let err = client
        .customers()
        .list()
        .starting_before("ZZZZ-ZZZZ")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidBefore));

    // A stream starting at the edge is empty, not an error.
    for prefetch in [0, 1] {
        let after_last: Vec<Customer> = client
            .customers()
            .list()
            .prefetch(prefetch)
            .starting_after(seeded[0].clone())
            .stream()
            .try_collect()
            .await?;
        assert!(after_last.is_empty());
        let before_newest: Vec<Customer> = client
            .customers()
            .list()
            .prefetch(prefetch)
            .starting_before(seeded[2].clone())
            .stream_backward()
            .try_collect()
            .await?;
        assert!(before_newest.is_empty());
    }
    Ok(())
}

/// A server that claims there is always a next page, with the same cursor.
async fn stuck_server(hits: Arc<AtomicUsize>) -> String {
    use axum::{routing::get, Json, Router};
    let app = Router::new().route(
        "/v2/customers",
        get(move || {
            let hits = hits.clone();
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                Json(serde_json::json!({
                    "object": "list",
                    "items": [customer("AAAA-0001"), customer("AAAA-0002")],
                    "pagination": {"start": "AAAA-0001", "end": "AAAA-0002", "has_next": true,
                                   "has_previous": true, "limit": 2, "total": 99}
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v2")
}

#[tokio::test]
async fn a_cursor_that_does_not_move_ends_the_stream_with_an_error() -> mfkessai::Result<()> {
    let hits = Arc::new(AtomicUsize::new(0));
    let url = stuck_server(hits.clone()).await;
    let client = Client::builder()
        .api_key("k")
        .environment(Environment::custom(&url)?)
        .build()?;
    for prefetch in [0usize, 2] {
        hits.store(0, Ordering::SeqCst);
        let results: Vec<_> = client
            .customers()
            .list()
            .prefetch(prefetch)
            .stream()
            .collect()
            .await;
        // First page's items, then the guard's error, then the end.
        assert_eq!(results.len(), 3, "prefetch {prefetch}: {results:?}");
        assert!(results[0].is_ok() && results[1].is_ok());
        let err = results[2].as_ref().unwrap_err();
        assert!(
            matches!(err, Error::Pagination { cursor: Some(c), .. } if c == "AAAA-0002"),
            "{err}"
        );
        assert_eq!(
            hits.load(Ordering::SeqCst),
            2,
            "one request for the page, one that did not move"
        );
    }
    Ok(())
}

#[tokio::test]
async fn every_paginated_list_streams() -> mfkessai::Result<()> {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.seed_customers(3);
    assert_eq!(client.customers().list().stream().count().await, 3);
    assert_eq!(client.destinations().list().stream().count().await, 3);
    macro_rules! empty {
        ($($list:expr),* $(,)?) => {$(
            let items: Vec<_> = $list.stream().try_collect().await?;
            assert!(items.is_empty(), stringify!($list));
            let pages: Vec<_> = $list.page_size(5).pages().try_collect().await?;
            assert_eq!(pages.len(), 1, stringify!($list));
        )*};
    }
    empty!(
        client.customer_examinations().list(),
        client.credit_facilities().list(),
        client.transactions().list(),
        client.billings().list(),
        client.billings().list_qualified(),
        client.payouts().list(),
        client.payout_transactions().list(),
        client.payout_refunds().list(),
        client.customer_name_updates().list(),
        client.authorizations().list(),
    );
    Ok(())
}

/// A list request's `Debug` shows its filters and options, and no key.
#[test]
fn debug_of_a_list_request_shows_its_filters() {
    let client = Client::builder()
        .api_key("secret-api-key")
        .environment(Environment::custom("http://127.0.0.1:9/v2").unwrap())
        .build()
        .unwrap();
    let since = chrono::DateTime::parse_from_rfc3339("2024-04-01T00:00:00+09:00").unwrap();
    let list = client
        .customers()
        .list()
        .number("CUST-0001")
        .has_alert(true)
        .created_at_from(since)
        .ids(["7679-YW36"])
        .page_size(50)
        .prefetch(1)
        .starting_after("WNAV-37R6");
    let shown = format!("{list:?}");
    for part in [
        "GetCustomersList",
        r#"number: Some("CUST-0001")"#,
        "has_alert: Some(true)",
        "2024-04-01T00:00:00+09:00",
        "7679-YW36",
        "page_size: Some(50)",
        "prefetch: 1",
        r#"after: Some("WNAV-37R6")"#,
        "error: None",
    ] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
    assert!(!shown.contains("secret-api-key"), "{shown}");
    // A refused filter is shown too, and the clone is the same request.
    let refused = client
        .customers()
        .list()
        .ids((0..201).map(|i| format!("ID-{i}")));
    let shown = format!("{:?}", refused.clone());
    assert!(
        shown.contains("InvalidCustomerIds") || shown.contains("invalid_customer_ids"),
        "{shown}"
    );
    let transactions = format!(
        "{:?}",
        client
            .transactions()
            .list()
            .amount_to(50_000)
            .billing(false)
    );
    assert!(
        transactions.contains("amount_to: Some(50000)"),
        "{transactions}"
    );
    assert!(
        transactions.contains("billing: Some(false)"),
        "{transactions}"
    );
}
