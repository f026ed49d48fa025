//! The `mfkessai-fake` binary: starts, prints where it listens, serves the
//! API to any HTTP client.
#![cfg(feature = "testing")]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

#[tokio::test]
async fn the_binary_serves_seeded_customers_to_plain_http() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfkessai-fake"))
        .args([
            "--port",
            "0",
            "--seed-customers",
            "5",
            "--api-key",
            "bin-key",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut first = String::new();
    // Only the first line is read; the binary must not mind the rest going
    // nowhere (it used to panic on the closed pipe).
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("mfkessai-fake listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();

    let http = reqwest::Client::new();
    let response = http
        .get(format!("{url}/customers?limit=2"))
        .header("apikey", "bin-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["object"], "list");
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    assert_eq!(body["pagination"]["total"], 5);
    assert_eq!(body["pagination"]["has_next"], true);

    let unauthorised = http.get(format!("{url}/customers")).send().await.unwrap();
    assert_eq!(unauthorised.status(), 401);
    assert!(child.try_wait().unwrap().is_none(), "still serving");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_options_exit_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_mfkessai-fake"))
        .args(["--port", "not-a-port"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("USAGE"));
}
