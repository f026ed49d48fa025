//! The reference's 利用を開始する flow: customer → credit examination →
//! credit facility → transaction → billing, printing each step.
//!
//! ```sh
//! cargo run --features testing --example quickstart                       # offline, on the fake server
//! MFKESSAI_API_KEY=... cargo run --features testing --example quickstart  # the real sandbox
//! ```
//!
//! Offline, it starts `mfkessai::testing::FakeKessai` in this process: an
//! in-memory Kessai that validates, examines (the sandbox's magic strings
//! decide), grants credit and groups transactions into billings as the
//! reference describes. The whole SDK path (validation, HTTP, retries,
//! decoding) runs for real on 127.0.0.1.

use std::error::Error as StdError;

use chrono::{Datelike, Duration, NaiveDate};
use mfkessai::{
    money::{Line, TransactionLines},
    raw::types::{self, TaxRateType},
    sandbox::{Outcome, WithOutcome},
    testing::FakeKessai,
    Client, Environment,
};
use rust_decimal::Decimal;

type BoxError = Box<dyn StdError + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Keep the fake (if any) alive until the end: dropping it stops it.
    let (client, today, _fake) = match std::env::var("MFKESSAI_API_KEY") {
        Ok(key) if !key.trim().is_empty() => {
            println!("Using the Money Forward Kessai sandbox.");
            let client = Client::builder()
                .api_key(key)
                .environment(Environment::Sandbox)
                .build()?;
            (client, chrono::Local::now().date_naive(), None)
        }
        _ => {
            let fake = FakeKessai::start().await?;
            println!(
                "MFKESSAI_API_KEY is not set: using the fake Kessai server at {}.",
                fake.base_url()
            );
            (fake.client()?, fake.now().date_naive(), Some(fake))
        }
    };
    let run = today.format("%Y%m%d").to_string()
        + &chrono::Utc::now().timestamp_subsec_micros().to_string();

    // 1. Customer (顧客) with its first billing destination (請求先).
    let customer = types::CustomerPayload::builder()
        .name("サンプル顧客")
        .number(format!("CUSTOMER-{run}"))
        .destination(
            types::CustomerPayloadDestination::builder()
                .name(Some("担当 太郎".to_string()))
                .department(Some("経理部".to_string()))
                .email("billing@example.com")
                .tel("03-1234-5678")
                .zip_code("111-1111")
                .address1("東京都千代田区1-2-3")
                .address2(Some("サンプルビル3F".to_string())),
        )
        .try_into()?;
    let created = client.customers().create(customer).await?;
    let customer = created.customer.ok_or("the response has no customer")?;
    let destination = created
        .destination
        .ok_or("the response has no destination")?;
    let customer_id = customer.id.clone().unwrap_or_default();
    let destination_id = destination.id.clone().unwrap_or_default();
    println!(
        "1. customer {customer_id} ({:?}), destination {destination_id}",
        customer.name
    );

    // 2. Credit examination (与信枠審査). In the sandbox, the magic remark
    //    `__passed__` makes it pass (the client refuses it in production).
    let examination: types::CustomerExaminationPayload =
        types::CustomerExaminationPayload::builder()
            .customer_id(customer_id.clone())
            .amount(300_000)
            .end_date(month_end(today, 2))
            .business_type(Some(
                types::CustomerExaminationPayloadBusinessType::Corporate,
            ))
            .email("billing@example.com")
            .tel("03-1234-5678")
            .zip_code("111-1111")
            .address1("東京都千代田区1-2-3")
            .try_into()?;
    let examination = examination.with_outcome(Outcome::Passed);
    let examination = client.customer_examinations().create(examination).await?;
    println!(
        "2. examination {:?}: status {:?}",
        examination.id,
        examination.status.as_ref().map(|s| s.as_str())
    );

    // 3. The credit facility (与信枠) the examination granted.
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(customer_id.clone())
        .send()
        .await?;
    for f in &facilities.items {
        println!(
            "3. credit facility {:?}: {:?} yen, {:?} .. {:?}",
            f.id, f.amount, f.start_date, f.end_date
        );
    }

    // 4. A transaction (取引): 3 × 1,000 yen + 10% tax. `TransactionLines`
    //    computes the details, the per-tax-rate totals and the amount the
    //    way Kessai checks them. With the facility, it passes at once.
    let computed = TransactionLines::new()
        .line(Line::excluded(
            "クラウド会計 月額利用料",
            Decimal::from(1000),
            Decimal::from(3),
            TaxRateType::Normal10,
        ))
        .compute()?;
    let mut transaction: types::TransactionPayload = types::TransactionPayload::builder()
        .destination_id(destination_id)
        .number(format!("TX-{run}"))
        .date(today)
        .issue_date(today)
        .due_date(month_end(today, 1))
        .transaction_details(Vec::new())
        .invoice_delivery_methods(vec![types::InvoiceDeliveryMethod::Email])
        .try_into()?;
    computed.apply_to(&mut transaction);
    let transaction = client.transactions().create_idempotent(transaction).await?;
    println!(
        "4. transaction {:?}: {:?} yen, status {:?}",
        transaction.id,
        transaction.amount,
        transaction.status.as_ref().map(|s| s.as_str())
    );

    // 5. The billing (請求) the transaction was grouped into.
    let billing_id = transaction
        .billing_id
        .clone()
        .ok_or("the transaction has no billing yet")?;
    let billing = client.billings().get(&billing_id).await?;
    println!(
        "5. billing {billing_id}: {:?} yen due {:?}, status {:?}",
        billing.amount,
        billing.due_date,
        billing.status.as_ref().map(|s| s.as_str())
    );
    println!("Done.");
    Ok(())
}

/// The last day of the month `months` after `date`'s month.
fn month_end(date: NaiveDate, months: u32) -> NaiveDate {
    let first = date.with_day(1).expect("day 1 exists");
    let next = first
        .checked_add_months(chrono::Months::new(months + 1))
        .expect("within chrono's range");
    next - Duration::days(1)
}
