//! The client against servers that misbehave on purpose: redirects to other
//! origins (and from https to plain http), huge bodies, echoed keys, wrong
//! content types, stalls, and cursors that never end. Every server here is a
//! real HTTP server on 127.0.0.1.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use futures::StreamExt;
use mfkessai::{Client, Environment, Error, RetryPolicy};

const KEY: &str = "sk_hostile_test_key_0123456789";
const CUSTOMER: &str = r#"{"object":"customer","id":"7679-YW36","uri":"mfk:customer:7679-YW36","created_at":"2019-04-01T12:00:00+09:00","name":"株式会社ケッサイ","number":"C-1","has_alert":false}"#;

/// Serves `app` on an ephemeral loopback port.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A server that records every request it gets and the `apikey` it carried.
#[derive(Clone, Default)]
struct Witness {
    hits: Arc<AtomicUsize>,
    keys: Arc<Mutex<Vec<String>>>,
}

impl Witness {
    async fn start(&self) -> SocketAddr {
        let me = self.clone();
        serve(Router::new().fallback(move |headers: HeaderMap| {
            let me = me.clone();
            async move {
                me.hits.fetch_add(1, Ordering::SeqCst);
                if let Some(k) = headers.get("apikey") {
                    me.keys
                        .lock()
                        .unwrap()
                        .push(k.to_str().unwrap_or_default().into());
                }
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    CUSTOMER,
                )
            }
        }))
        .await
    }
}

/// A server answering every request with `status` and `Location: location`.
async fn redirector(status: u16, location: String) -> SocketAddr {
    serve(Router::new().fallback(move || {
        let location = location.clone();
        async move {
            Response::builder()
                .status(status)
                .header(header::LOCATION, location)
                .body(Body::empty())
                .unwrap()
        }
    }))
    .await
}

fn client_for(base: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .environment(Environment::custom(base).unwrap())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// GET and POST (`assign_bank_transfer` is a POST without a body to build).
async fn get_and_post(client: &Client) -> [Result<(), Error>; 2] {
    let get = client
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .map(|_| ());
    let post = client
        .customers()
        .assign_bank_transfer(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .map(|_| ());
    [get, post]
}

#[tokio::test]
async fn redirects_are_never_followed_so_the_key_stays_home() {
    for status in [301u16, 302, 303, 307, 308] {
        let elsewhere = Witness::default();
        let b = elsewhere.start().await;
        let a = redirector(status, format!("http://{b}/v2/customers/7679-YW36")).await;
        let client = client_for(&format!("http://{a}/v2"));
        for (method, result) in ["GET", "POST"].into_iter().zip(get_and_post(&client).await) {
            let err = result.expect_err("a redirect is not a success");
            match &err {
                Error::Redirected {
                    status: s,
                    location,
                } => {
                    assert_eq!(*s, status, "{method}");
                    assert_eq!(
                        location.as_deref(),
                        Some(format!("http://{b}/v2/customers/7679-YW36").as_str())
                    );
                }
                other => panic!("{status} {method}: {other:?}"),
            }
            assert!(
                err.to_string()
                    .contains(&format!("{status} redirect not followed")),
                "{err}"
            );
            assert_eq!(err.retry_kind(), None, "a redirect is not retried");
        }
        assert_eq!(
            elsewhere.hits.load(Ordering::SeqCst),
            0,
            "{status}: the other origin saw nothing"
        );
        assert!(elsewhere.keys.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn same_origin_redirects_are_not_followed_either() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let a = serve(Router::new().fallback(move || {
        let hits = counted.clone();
        async move {
            hits.fetch_add(1, Ordering::SeqCst);
            Response::builder()
                .status(307)
                .header(header::LOCATION, "/v2/customers/OTHER-ID")
                .body(Body::empty())
                .unwrap()
        }
    }))
    .await;
    let client = client_for(&format!("http://{a}/v2"));
    for result in get_and_post(&client).await {
        assert!(matches!(result, Err(Error::Redirected { status: 307, .. })));
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "one request each, nothing replayed"
    );
}

#[tokio::test]
async fn a_location_that_echoes_the_key_is_redacted() {
    let a = redirector(302, format!("https://evil.example/?k={KEY}")).await;
    let err = client_for(&format!("http://{a}/v2"))
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

mod tls {
    //! A TLS server with a CA made for the test, trusted through
    //! `ClientBuilder::add_root_certificate`.

    use std::{net::SocketAddr, sync::Arc};

    use tokio::net::{TcpListener, TcpStream};
    use tokio_rustls::{rustls, server::TlsStream, TlsAcceptor};

    pub struct Tls {
        pub ca_pem: String,
        pub acceptor: TlsAcceptor,
    }

    pub fn make() -> Tls {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        // Distinct names: a leaf whose issuer equals its subject looks self-signed.
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "mfkessai test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let mut leaf_params =
            rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        Tls {
            ca_pem: ca.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        }
    }

    /// axum's listener over TLS: handshakes that fail are skipped.
    pub struct Listener {
        pub tcp: TcpListener,
        pub acceptor: TlsAcceptor,
    }

    impl axum::serve::Listener for Listener {
        type Io = TlsStream<TcpStream>;
        type Addr = SocketAddr;

        async fn accept(&mut self) -> (Self::Io, Self::Addr) {
            loop {
                let Ok((stream, addr)) = self.tcp.accept().await else {
                    continue;
                };
                if let Ok(tls) = self.acceptor.accept(stream).await {
                    return (tls, addr);
                }
            }
        }

        fn local_addr(&self) -> std::io::Result<Self::Addr> {
            self.tcp.local_addr()
        }
    }
}

#[tokio::test]
async fn https_never_downgrades_to_http() {
    let plain = Witness::default();
    let b = plain.start().await;
    let tls = tls::make();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a = tcp.local_addr().unwrap();
    let location = format!("http://{b}/v2/customers/7679-YW36");
    let app = Router::new()
        .route(
            "/v2/customers/7679-YW36",
            axum::routing::get(|| async {
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    CUSTOMER,
                )
            }),
        )
        .fallback(move || {
            let location = location.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, location)]).into_response() }
        });
    let listener = tls::Listener {
        tcp,
        acceptor: tls.acceptor,
    };
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let ca = reqwest::Certificate::from_pem(tls.ca_pem.as_bytes()).unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .environment(Environment::custom(format!("https://localhost:{}/v2", a.port())).unwrap())
        .add_root_certificate(ca)
        .build()
        .unwrap();
    // The TLS server works: a plain GET succeeds over https.
    let customer = client
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap();
    assert_eq!(Some(customer.name.as_str()), Some("株式会社ケッサイ"));
    // Everything else answers 302 to plain http: not followed.
    let err = client
        .customers()
        .get(&mfkessai::ids::CustomerId::from("OTHER-ID"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirected { status: 302, .. }),
        "{err:?}"
    );
    let err = client
        .customers()
        .assign_bank_transfer(&mfkessai::ids::CustomerId::from("OTHER-ID"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirected { status: 302, .. }),
        "{err:?}"
    );
    assert_eq!(
        plain.hits.load(Ordering::SeqCst),
        0,
        "nothing reached the http server"
    );
}

/// A server that streams `size` bytes of `fill` (chunked, no
/// content-length) with `status`, and counts what it managed to send.
async fn huge(status: u16, size: usize, fill: u8, sent: Arc<AtomicUsize>) -> SocketAddr {
    serve(Router::new().fallback(move || {
        let sent = sent.clone();
        async move {
            const CHUNK: usize = 64 * 1024;
            let chunks = size.div_ceil(CHUNK);
            let body = futures::stream::iter(0..chunks).map(move |i| {
                let len = CHUNK.min(size - i * CHUNK);
                sent.fetch_add(len, Ordering::SeqCst);
                // Starts like a customer so a JSON parser would keep going.
                let mut chunk = vec![fill; len];
                if i == 0 && fill == b'a' {
                    chunk[..9].copy_from_slice(br#"{"name":""#);
                }
                Ok::<_, std::io::Error>(axum::body::Bytes::from(chunk))
            });
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(body))
                .unwrap()
        }
    }))
    .await
}

#[tokio::test]
async fn bodies_are_capped_while_they_stream_in() {
    for (status, fill) in [(200u16, b'a'), (500, 0xff), (400, b'x')] {
        let sent = Arc::new(AtomicUsize::new(0));
        let addr = huge(status, 200 << 20, fill, sent.clone()).await;
        let client = Client::builder()
            .api_key(KEY)
            .environment(Environment::custom(format!("http://{addr}/v2")).unwrap())
            .max_response_bytes(1 << 20)
            .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client
            .customers()
            .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::ResponseTooLarge { status: Some(s) } if s == status),
            "{status}: {err:?}"
        );
        assert!(err.to_string().contains("max_response_bytes"), "{err}");
        assert_eq!(err.retry_kind(), None, "the same answer would come again");
        // The server could not push much more than the limit (plus what the
        // socket buffers hold) before the client hung up.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let pushed = sent.load(Ordering::SeqCst);
        assert!(
            pushed < 64 << 20,
            "{status}: the server sent {pushed} bytes"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

/// A declared length within the limit is trusted (hyper reads no more than
/// it), one over the limit is not: that body is counted as it streams in and
/// refused at the limit, like a chunked one.
#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_and_one_within_it_is_read() {
    let customer = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/responses/GetCustomer.json"
    ))
    .unwrap();
    let big = {
        let mut body = customer.clone();
        // Still the same JSON, padded past the limit with whitespace.
        body.extend(std::iter::repeat_n(b' ', 4 << 20));
        body
    };
    for (body, limit, refused) in [(customer.clone(), 1 << 20, false), (big, 1 << 20, true)] {
        let len = body.len();
        let addr = serve(Router::new().fallback(move || {
            let body = body.clone();
            async move {
                Response::builder()
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::CONTENT_LENGTH, body.len())
                    .body(Body::from(body))
                    .unwrap()
            }
        }))
        .await;
        let client = Client::builder()
            .api_key(KEY)
            .environment(Environment::custom(format!("http://{addr}/v2")).unwrap())
            .max_response_bytes(limit)
            .build()
            .unwrap();
        let got = client
            .customers()
            .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
            .await;
        match got {
            Err(Error::ResponseTooLarge { status: Some(200) }) if refused => {}
            Ok(customer) if !refused => assert_eq!(customer.id.as_str(), "7679-YW36"),
            other => panic!("{len} bytes declared, limit {limit}: {other:?}"),
        }
    }
}

/// One transaction as large as the reference allows: 500 details
/// (`transaction_details` maxItems) of 250-character descriptions (maxLength),
/// each character three bytes of UTF-8.
fn largest_transaction(details: usize) -> serde_json::Value {
    let detail = serde_json::json!({
        "object": "transaction_detail", "description": "品".repeat(250),
        "unit_price": 1234567.8901, "quantity": 2147483647, "amount": 2651337637i64,
        "tax_rate_type": "transitional_measures_8", "tax_included_type": "excluded"
    });
    serde_json::json!({
        "object": "transaction", "id": "GY9N-EWNM", "uri": "mfk:transaction:GY9N-EWNM",
        "created_at": "2019-04-01T12:00:00+09:00", "number": "N".repeat(100), "customer_id": "7679-YW36", "destination_id": "WNAV-37R6",
        "date": "2019-04-01", "issue_date": "2019-04-30",
        "due_date": "2019-05-31", "amount": 2651337637i64,
        "transaction_details": vec![detail; details]
    })
}

fn page_of(items: Vec<serde_json::Value>) -> String {
    let n = items.len();
    serde_json::json!({
        "object": "list",
        "items": items,
        "pagination": {"has_next": false, "has_previous": false, "limit": n, "total": n}
    })
    .to_string()
}

#[test]
fn the_default_limit_is_well_above_the_largest_page_the_reference_allows() {
    let one = largest_transaction(500).to_string().len();
    let page = 200 * (one + 1) + 200;
    let limit = mfkessai::ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES;
    assert!(
        page * 5 / 4 < limit,
        "largest page {page} bytes, limit {limit}"
    );
    assert!(limit <= 128 << 20, "and far below hundreds of MB");
}

#[tokio::test]
async fn a_large_legitimate_page_decodes_under_the_default_limit() {
    let page = page_of(vec![largest_transaction(50); 200]);
    let size = page.len();
    assert!(size > 8 << 20, "{size}");
    let addr = serve(Router::new().fallback(move || {
        let page = page.clone();
        async move {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                page,
            )
        }
    }))
    .await;
    let page = client_for(&format!("http://{addr}/v2"))
        .transactions()
        .list()
        .page_size(200)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 200, "a {size}-byte page");
}

#[tokio::test]
async fn an_error_page_that_echoes_the_request_does_not_leak_the_key() {
    let addr = serve(Router::new().fallback(|request: Request| async move {
        let mut echo = String::from("<html><pre>");
        for (name, value) in request.headers() {
            echo.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or_default()));
        }
        echo.push_str("</pre></html>");
        (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            echo,
        )
    }))
    .await;
    let client = client_for(&format!("http://{addr}/v2"));
    let err = client
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap_err();
    let shown = format!("{err} | {err:?}");
    assert!(shown.contains("apikey: [REDACTED]"), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn a_success_that_is_not_json_is_refused() {
    let addr = serve(Router::new().fallback(|| async {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            CUSTOMER,
        )
    }))
    .await;
    let err = client_for(&format!("http://{addr}/v2"))
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.status, Some(200));
            assert!(d.message.contains("content-type"), "{err}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_stalls_after_the_headers_is_bounded_by_the_budget() {
    let addr = serve(Router::new().fallback(|| async {
        let body = futures::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
        Response::builder()
            .status(200)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from_stream(body))
            .unwrap()
    }))
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .environment(Environment::custom(format!("http://{addr}/v2")).unwrap())
        .timeout(Duration::from_millis(400))
        .retry(
            RetryPolicy::default()
                .max_attempts(10)
                .base_delay(Duration::from_millis(1))
                .budget(Duration::from_millis(1_000)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .customers()
        .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout { sent: true }), "{err:?}");
    assert!(
        took >= Duration::from_millis(750),
        "GET retried within the budget: {took:?}"
    );
    assert!(
        took < Duration::from_millis(1_300),
        "the budget bounds the whole call: {took:?}"
    );
    let started = Instant::now();
    let err = client
        .customers()
        .assign_bank_transfer(&mfkessai::ids::CustomerId::from("7679-YW36"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout { sent: true }), "{err:?}");
    assert!(
        took < Duration::from_millis(700),
        "a POST is tried once: {took:?}"
    );
}

/// A list server whose every page says there is more, with the cursor
/// `cursor(n)` on page `n`.
async fn endless(cursor: fn(usize) -> String) -> (SocketAddr, Arc<AtomicUsize>) {
    let pages = Arc::new(AtomicUsize::new(0));
    let counted = pages.clone();
    let addr = serve(Router::new().fallback(move || {
        let pages = counted.clone();
        async move {
            let n = pages.fetch_add(1, Ordering::SeqCst);
            let id = cursor(n);
            let body = serde_json::json!({
                "object": "list",
                "items": [{"object": "customer", "id": id, "uri": format!("mfk:customer:{id}"),
                           "created_at": "2019-04-01T12:00:00+09:00", "name": "n", "number": id}],
                "pagination": {"end": id, "start": id, "has_next": true, "has_previous": true,
                               "limit": 1, "total": 1}
            });
            axum::Json(body)
        }
    }))
    .await;
    (addr, pages)
}

#[tokio::test]
async fn a_stream_that_never_ends_is_capped() {
    let (addr, pages) = endless(|n| format!("ID{n:06}")).await;
    let client = client_for(&format!("http://{addr}/v2"));
    let results: Vec<_> = client
        .customers()
        .list()
        .max_pages(50)
        .stream()
        .collect()
        .await;
    assert_eq!(
        pages.load(Ordering::SeqCst),
        50,
        "exactly the cap, then it stops"
    );
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert!(matches!(last, Error::Pagination { .. }), "{last:?}");
    assert!(last.to_string().contains("cap of 50 pages"), "{last}");
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 50);
}

#[tokio::test]
async fn a_cursor_that_comes_back_ends_the_stream() {
    let (addr, pages) = endless(|n| format!("ID{:06}", n % 3)).await;
    let client = client_for(&format!("http://{addr}/v2"));
    let results: Vec<_> = client.customers().list().stream().collect().await;
    assert_eq!(pages.load(Ordering::SeqCst), 4, "A, B, C, then A again");
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert!(last.to_string().contains("came back"), "{last}");
}

#[tokio::test]
async fn a_success_without_a_body_is_an_error_not_an_empty_object() {
    for status in [200u16, 201] {
        let addr = serve(Router::new().fallback(move || async move {
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::empty())
                .unwrap()
        }))
        .await;
        let client = client_for(&format!("http://{addr}/v2"));
        let err = client
            .customers()
            .get(&mfkessai::ids::CustomerId::from("7679-YW36"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(d) if d.status == Some(status)),
            "{status}: {err:?}"
        );
        let err = client
            .customers()
            .assign_bank_transfer(&mfkessai::ids::CustomerId::from("7679-YW36"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(d) if d.status == Some(status)),
            "{status}: {err:?}"
        );
    }
}

/// `200 {}` (a stub, a proxy's placeholder) is not a customer: the required
/// identity fields are missing, and the error says which, at the root, for a
/// read, a write and a list alike. Nothing is retried.
#[tokio::test]
async fn an_empty_object_is_not_a_success() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let addr = serve(Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{}",
            )
        }
    }))
    .await;
    let client = client_for(&format!("http://{addr}/v2"));
    let [get, post] = get_and_post(&client).await;
    let list = client.customers().list().send().await.map(|_| ());
    for (what, result) in [("get", get), ("post", post), ("list", list)] {
        match result {
            Err(Error::Decode(d)) => {
                assert_eq!(d.status, Some(200), "{what}");
                assert_eq!(d.path, ".", "{what}");
                assert!(d.message.starts_with("missing field `"), "{what}: {d}");
                assert_eq!(d.snippet, "{}", "{what}");
            }
            other => panic!("{what}: expected a decode error, got {other:?}"),
        }
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "a decode error is not retried"
    );
}
