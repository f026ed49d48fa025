//! The fake Kessai server as a standalone process, for curl and for
//! integrations written in other languages.
//!
//! ```text
//! cargo run --features testing --bin mfkessai-fake -- --port 8080
//! curl -H 'apikey: fake-kessai-api-key' http://127.0.0.1:8080/v2/customers
//! ```

use std::{io::Write, net::SocketAddr, process::ExitCode, time::Duration};

use mfkessai::testing::{FakeKessai, DEFAULT_API_KEY};

const USAGE: &str = "\
mfkessai-fake: an in-memory fake of the Money Forward Kessai API v2

USAGE:
    mfkessai-fake [OPTIONS]

OPTIONS:
    --port <PORT>             port to listen on (default 8080; 0 picks a free one)
    --host <ADDR>             address to listen on (default 127.0.0.1)
    --api-key <KEY>           the apikey header value to accept (default fake-kessai-api-key)
    --seed <N>                seed for the generated ids (default 1)
    --seed-customers <N>      start with N customers, each with one destination
    --seed-payouts <N>        start with N monthly payouts, with their receivables and refunds
    --control                 serve the test-control API under /_fake/ (clock, seeding,
                              decisions, payments, faults, request log, webhooks)
    --webhook-url <URL>       post webhook events to URL ...
    --webhook-secret <SECRET> ... signed with SECRET (required with --webhook-url)
    -h, --help                print this help
";

#[derive(Debug)]
struct Options {
    addr: SocketAddr,
    api_key: String,
    seed: u64,
    customers: usize,
    payouts: usize,
    control: bool,
    webhook: Option<(String, String)>,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 8080;
    let mut api_key = DEFAULT_API_KEY.to_string();
    let mut seed = 1u64;
    let mut customers = 0usize;
    let mut payouts = 0usize;
    let mut control = false;
    let mut webhook_url = None;
    let mut webhook_secret = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value("--port")?;
                port = v
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--host" => host = value("--host")?,
            "--api-key" => api_key = value("--api-key")?,
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "--seed-customers" => {
                let v = value("--seed-customers")?;
                customers = v
                    .parse()
                    .map_err(|_| format!("--seed-customers: not a number: {v}"))?;
            }
            "--seed-payouts" => {
                let v = value("--seed-payouts")?;
                payouts = v
                    .parse()
                    .map_err(|_| format!("--seed-payouts: not a number: {v}"))?;
            }
            "--control" => control = true,
            "--webhook-url" => webhook_url = Some(value("--webhook-url")?),
            "--webhook-secret" => webhook_secret = Some(value("--webhook-secret")?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .map_err(|_| format!("--host: not an IP address: {host}"))?;
    let webhook = match (webhook_url, webhook_secret) {
        (Some(url), Some(secret)) => Some((url, secret)),
        (None, None) => None,
        _ => return Err("--webhook-url and --webhook-secret go together".into()),
    };
    Ok(Some(Options {
        addr,
        api_key,
        seed,
        customers,
        payouts,
        control,
        webhook,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("mfkessai-fake: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let fake = match FakeKessai::builder()
        .listen(options.addr)
        .seed(options.seed)
        .api_key(options.api_key)
        .control(options.control)
        .start()
        .await
    {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("mfkessai-fake: {e}");
            return ExitCode::FAILURE;
        }
    };
    if options.customers > 0 {
        fake.seed_customers(options.customers);
    }
    if options.payouts > 0 {
        fake.seed_payouts(options.payouts);
    }
    if let Some((url, secret)) = options.webhook {
        fake.deliver_webhooks(url, secret, Duration::from_secs(1));
    }
    // Whoever started us may stop reading stdout (a test that only wants the
    // first line): a closed pipe is not a reason to stop serving.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "mfkessai-fake listening on {}", fake.base_url());
    let _ = writeln!(out, "apikey: {}", fake.api_key());
    let _ = writeln!(
        out,
        "try: curl -H 'apikey: {}' {}/customers",
        fake.api_key(),
        fake.base_url()
    );
    if options.control {
        let _ = writeln!(
            out,
            "control: curl -H 'apikey: {}' http://{}/_fake/clock",
            fake.api_key(),
            fake.local_addr()
        );
    }
    let _ = out.flush();
    drop(out);
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_options() {
        let o = parse(args("--port 0 --seed 9 --seed-customers 5 --api-key k"))
            .unwrap()
            .unwrap();
        assert_eq!(o.addr.port(), 0);
        assert_eq!((o.seed, o.customers, o.api_key.as_str()), (9, 5, "k"));
        assert!(!o.control);
        let o = parse(args("--control --seed-payouts 3")).unwrap().unwrap();
        assert!(o.control);
        assert_eq!(o.payouts, 3);
        assert!(parse(args("--help")).unwrap().is_none());
    }

    #[test]
    fn refuses_bad_options() {
        assert!(parse(args("--port x")).is_err());
        assert!(parse(args("--port")).is_err());
        assert!(parse(args("--seed-payouts many")).is_err());
        assert!(parse(args("--bogus")).is_err());
        assert!(parse(args("--webhook-url http://x")).is_err());
        assert!(parse(args("--host nowhere")).is_err());
    }
}
