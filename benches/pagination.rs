//! Pagination throughput, prefetch and memory (issue #4).
//!
//! A bench binary (no criterion: each figure is a whole walk over 100,000
//! items, timed side by side in alternating rounds so that load on the
//! shared machine hits both sides alike). It starts the fake Kessai server
//! in this process on 127.0.0.1, seeds 100,000 customers, and measures:
//!
//! 1. **stream vs raw**: items per second walking all 100,000 customers
//!    with `client.customers().list().stream()` (page size 200, the stream
//!    default) vs a hand-written loop over the generated `raw` client that
//!    sends the same requests (`limit=200`, `after=<pagination.end>`) and
//!    reads the same items: whole walks alternating, and both walks in
//!    lockstep page by page, whose ratio is quoted (on a shared machine,
//!    whole walks seconds apart see different load). Goal: stream/raw >= 0.95.
//! 2. **prefetch(1) vs none**: the same walk with a consumer that sleeps,
//!    once per page, as long as a page request takes (measured first).
//!    Goal: prefetch(1) at least 1.6 times faster.
//! 3. **memory**: peak resident set (VmHWM) of a child process that streams
//!    10,000 items vs one that streams 100,000 from the same server. Goal:
//!    the difference is under 5 MB (memory does not grow with the total).
//!
//! ```text
//! cargo bench --features testing --bench pagination
//! ```
//!
//! `ROUNDS=n` sets the alternating rounds (default 7). Under
//! `cargo test --benches` the sizes shrink so the binary only proves it runs.

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use futures::StreamExt;
use mfkessai::{testing::FakeKessai, Client, Environment};

const CHILD_ENV: &str = "MFKESSAI_PAGINATION_BENCH_CHILD";

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child(&spec);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let quick = !std::env::args().any(|a| a == "--bench");
    let total: usize = if quick { 2_000 } else { 100_000 };
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if quick { 1 } else { 7 });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        // The bench makes thousands of requests; the fake's request log
        // (answers included) is not what is measured.
        let fake = FakeKessai::builder()
            .request_log_capacity(16)
            .start()
            .await
            .expect("fake server");
        let seeding = Instant::now();
        fake.seed_customers(total);
        println!(
            "seeded {total} customers in {:.2} s; server {}",
            seeding.elapsed().as_secs_f64(),
            fake.base_url()
        );
        let client = fake.client().expect("client");

        // Warm-up: connections, allocator, caches.
        walk_stream(&client, 0).await;
        walk_raw(&client).await;

        // 1. stream vs raw. Whole walks, alternating, for the items/s of
        // each; and the same two walks in lockstep, page by page (a stream
        // page, then a raw page), where both sides see the same load within
        // milliseconds: that ratio is the one to quote on a shared machine.
        let mut stream_rates = Vec::new();
        let mut raw_rates = Vec::new();
        let mut lockstep = Vec::new();
        for _ in 0..rounds {
            let (n, t) = walk_stream(&client, 0).await;
            assert_eq!(n, total);
            stream_rates.push(n as f64 / t.as_secs_f64());
            let (n, t) = walk_raw(&client).await;
            assert_eq!(n, total);
            raw_rates.push(n as f64 / t.as_secs_f64());
            let (stream_time, raw_time) = walk_lockstep(&client, total).await;
            lockstep.push(raw_time.as_secs_f64() / stream_time.as_secs_f64());
        }
        let in_order = lockstep.clone();
        let ratio = median(&mut lockstep);
        println!("\n1. items/s over {total} customers, page size 200, {rounds} rounds");
        println!("   whole walks, stream   {}", fmt_rates(&stream_rates));
        println!("   whole walks, raw loop {}", fmt_rates(&raw_rates));
        println!(
            "   medians: stream {:.0} items/s, raw {:.0} items/s",
            median(&mut stream_rates.clone()),
            median(&mut raw_rates.clone())
        );
        println!(
            "   lockstep stream/raw per round {}",
            in_order
                .iter()
                .map(|r| format!("{r:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!("   stream/raw = {ratio:.3} (lockstep, median of the rounds; goal >= 0.95)");

        // 2. prefetch with a consumer as slow as the network.
        let pages = total.div_ceil(200);
        let (_, t) = walk_raw(&client).await;
        let per_page = t / pages as u32;
        let mut plain = Vec::new();
        let mut ahead = Vec::new();
        for _ in 0..rounds.min(3) {
            plain.push(walk_slow_consumer(&client, 0, per_page).await.as_secs_f64());
            ahead.push(walk_slow_consumer(&client, 1, per_page).await.as_secs_f64());
        }
        let plain = median(&mut plain);
        let ahead = median(&mut ahead);
        println!(
            "\n2. consumer spending {:.2} ms per page (one request's time), {pages} pages",
            per_page.as_secs_f64() * 1e3
        );
        println!("   no prefetch  {plain:.3} s");
        println!("   prefetch(1)  {ahead:.3} s");
        println!("   speed-up = {:.2}x (goal >= 1.6)", plain / ahead);

        // 3. memory, in child processes so the server's data is not counted.
        let exe = std::env::current_exe().expect("own path");
        let small = total / 10;
        let mut hwm = Vec::new();
        for n in [small, total, small, total] {
            let output = std::process::Command::new(&exe)
                .env(
                    CHILD_ENV,
                    format!("{} {} {n}", fake.base_url(), fake.api_key()),
                )
                .output()
                .expect("child process");
            let text = String::from_utf8_lossy(&output.stdout);
            let kb: u64 = text.trim().parse().unwrap_or_else(|_| {
                panic!(
                    "child said {text:?} / {}",
                    String::from_utf8_lossy(&output.stderr)
                )
            });
            hwm.push((n, kb));
        }
        let at = |n: usize| {
            let mut v: Vec<f64> = hwm
                .iter()
                .filter(|(m, _)| *m == n)
                .map(|(_, kb)| *kb as f64)
                .collect();
            median(&mut v)
        };
        let (low, high) = (at(small), at(total));
        println!("\n3. peak RSS (VmHWM) of a process streaming the customers, 2 runs each");
        println!(
            "   {small:>7} items: {:.1} MB   runs {:?} kB",
            low / 1024.0,
            hwm.iter()
                .filter(|(m, _)| *m == small)
                .map(|x| x.1)
                .collect::<Vec<_>>()
        );
        println!(
            "   {total:>7} items: {:.1} MB   runs {:?} kB",
            high / 1024.0,
            hwm.iter()
                .filter(|(m, _)| *m == total)
                .map(|x| x.1)
                .collect::<Vec<_>>()
        );
        println!(
            "   difference = {:.2} MB (goal < 5 MB)",
            (high - low) / 1024.0
        );
    });
}

/// The facade: one stream over every customer.
async fn walk_stream(client: &Client, prefetch: usize) -> (usize, Duration) {
    let started = Instant::now();
    let mut stream = client.customers().list().prefetch(prefetch).stream();
    let mut n = 0;
    while let Some(customer) = stream.next().await {
        black_box(customer.expect("customer"));
        n += 1;
    }
    (n, started.elapsed())
}

/// What a user would write without the facade: the generated client, the
/// same requests, the same items.
async fn walk_raw(client: &Client) -> (usize, Duration) {
    let started = Instant::now();
    let mut n = 0;
    let mut after: Option<String> = None;
    loop {
        let mut request = client.raw().get_customers_list().limit(200);
        if let Some(cursor) = after.take() {
            request = request.after(cursor);
        }
        let list = request.send().await.expect("page").into_inner();
        for customer in list.items {
            black_box(customer);
            n += 1;
        }
        let pagination = list.pagination.unwrap_or_default();
        if !pagination.has_next.unwrap_or(false) {
            break;
        }
        after = pagination.end;
    }
    (n, started.elapsed())
}

/// Both walks at once, one page each in turn: the time spent in the
/// stream's `next()` calls and in the raw loop's requests and decoding.
async fn walk_lockstep(client: &Client, total: usize) -> (Duration, Duration) {
    let mut stream = client.customers().list().stream();
    let mut stream_time = Duration::ZERO;
    let mut raw_time = Duration::ZERO;
    let mut after: Option<String> = None;
    let mut seen = 0;
    loop {
        // One page's worth from the stream (its first `next` fetches it).
        let started = Instant::now();
        let mut got = 0;
        while got < 200 && seen + got < total {
            let customer = stream.next().await.expect("an item").expect("customer");
            black_box(customer);
            got += 1;
        }
        stream_time += started.elapsed();

        // The same page by hand.
        let started = Instant::now();
        let mut request = client.raw().get_customers_list().limit(200);
        if let Some(cursor) = after.take() {
            request = request.after(cursor);
        }
        let list = request.send().await.expect("page").into_inner();
        for customer in list.items {
            black_box(customer);
        }
        let pagination = list.pagination.unwrap_or_default();
        raw_time += started.elapsed();

        seen += got;
        if !pagination.has_next.unwrap_or(false) {
            break;
        }
        after = pagination.end;
    }
    assert_eq!(seen, total);
    assert!(stream.next().await.is_none());
    (stream_time, raw_time)
}

/// A consumer that works `per_page` on every page it receives.
async fn walk_slow_consumer(client: &Client, prefetch: usize, per_page: Duration) -> Duration {
    let started = Instant::now();
    let mut pages = client.customers().list().prefetch(prefetch).pages();
    while let Some(page) = pages.next().await {
        black_box(page.expect("page"));
        tokio::time::sleep(per_page).await;
    }
    started.elapsed()
}

/// Child process: stream `n` customers, then print the peak RSS in kB.
fn child(spec: &str) {
    let mut parts = spec.split(' ');
    let (Some(url), Some(key), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
        panic!("bad child spec {spec:?}");
    };
    let n: usize = n.parse().expect("count");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = Client::builder()
            .api_key(key)
            .environment(Environment::custom(url).expect("url"))
            .build()
            .expect("client");
        let mut stream = client.customers().list().stream().take(n);
        let mut count = 0;
        while let Some(customer) = stream.next().await {
            black_box(customer.expect("customer"));
            count += 1;
        }
        assert_eq!(count, n);
    });
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{kb}");
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

fn fmt_rates(rates: &[f64]) -> String {
    rates
        .iter()
        .map(|r| format!("{r:.0}"))
        .collect::<Vec<_>>()
        .join(" ")
}
