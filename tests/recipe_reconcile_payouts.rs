//! The payout reconciliation recipe (examples/reconcile_payouts.rs) on the
//! fake: what it matches, the CSVs it writes, and that it fails when its
//! totals do not add up.
#![cfg(feature = "testing")]

#[allow(dead_code)]
#[path = "../examples/reconcile_payouts.rs"]
mod recipe;

/// The recipe runs on the fake unless MFKESSAI_API_KEY is set (the sandbox
/// has no payouts to reconcile).
fn offline() {
    std::env::remove_var("MFKESSAI_API_KEY");
}

fn args(out: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--out".to_string(), out.display().to_string()];
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn out_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mfkessai-recipe-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn the_sample_month_matches_four_rows_and_explains_four() {
    offline();
    let out = out_dir("sample");
    let summary = recipe::run(args(&out, &[]))
        .await
        .expect("the totals add up");
    assert_eq!(
        (summary.payouts, summary.matched, summary.unmatched),
        (2, 4, 4)
    );

    let report = std::fs::read_to_string(&summary.report).unwrap();
    let mut reader = csv::Reader::from_reader(report.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), summary.rows);
    let reasons: Vec<&str> = rows.iter().map(|r| &r[14]).collect();
    for why in [
        "paid twice",
        "not in the seller's records",
        "refund (返金) of INV-0004",
        "not paid out in this period",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(why)),
            "{why} in {reasons:?}"
        );
    }
    // A customer name with a comma stays one quoted field.
    assert!(report.contains("\"合同会社テスト, 大阪支店\""));

    // The journal's bank lines add up to what the two payouts paid.
    let journal = std::fs::read_to_string(&summary.journal).unwrap();
    let mut reader = csv::Reader::from_reader(journal.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "取引日",
            "借方勘定科目",
            "貸方勘定科目",
            "金額",
            "取引先",
            "摘要"
        ]
    );
    let mut bank = 0i64;
    for entry in reader.records().map(Result::unwrap) {
        let amount: i64 = entry[3].parse().unwrap();
        assert!(amount > 0);
        if &entry[1] == "普通預金" {
            bank += amount;
        }
        if &entry[2] == "普通預金" {
            bank -= amount;
        }
    }
    assert_eq!(bank, 258_500 + 193_820);
    let _ = std::fs::remove_dir_all(out);
}

#[tokio::test]
async fn the_account_mapping_can_be_changed() {
    offline();
    let out = out_dir("accounts");
    let summary = recipe::run(args(
        &out,
        &["--bank-account", "当座預金", "--fee-account", "支払報酬"],
    ))
    .await
    .unwrap();
    let journal = std::fs::read_to_string(&summary.journal).unwrap();
    assert!(journal.contains("当座預金,売掛金,110000"));
    assert!(journal.contains("支払報酬,当座預金,2200"));
    assert!(!journal.contains("普通預金"));
    let _ = std::fs::remove_dir_all(out);
}

#[tokio::test]
async fn without_a_csv_it_joins_to_kessais_own_list() {
    offline();
    let out = out_dir("no-csv");
    let summary = recipe::run(args(&out, &["--no-csv"])).await.unwrap();
    assert_eq!((summary.matched, summary.unmatched), (5, 2));
    let _ = std::fs::remove_dir_all(out);
}

#[tokio::test]
async fn totals_that_do_not_add_up_fail_the_run() {
    // The fake's payouts give the refund's commission back; a run that
    // assumes Kessai keeps it is 440 yen off on the month-end payout.
    offline();
    let out = out_dir("kept");
    let error = recipe::run(args(&out, &["--refund-commission", "kept"]))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("totals check"), "{error}");
    let _ = std::fs::remove_dir_all(out);
}

#[tokio::test]
async fn a_bad_seller_file_is_an_error_with_its_line() {
    offline();
    let out = out_dir("bad");
    std::fs::create_dir_all(&out).unwrap();
    let csv = out.join("seller.csv");
    std::fs::write(&csv, "number,amount,customer\nINV-0001,1100.5,A\n").unwrap();
    let error = recipe::run(args(&out, &["--csv", csv.to_str().unwrap()]))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("line 2"), "{error}");
    assert!(error.to_string().contains("not whole yen"), "{error}");
    let _ = std::fs::remove_dir_all(out);
}
