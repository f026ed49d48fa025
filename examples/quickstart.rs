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

use mfkessai::{
    dates, dec,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    testing::FakeKessai,
    types::{
        CustomerExaminationPayload, CustomerPayload, CustomerPayloadDestination, TransactionPayload,
    },
};

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
            (client, mfkessai::chrono::Local::now().date_naive(), None)
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
        + &mfkessai::chrono::Utc::now()
            .timestamp_subsec_micros()
            .to_string();

    // 1. Customer (顧客) with its first billing destination (請求先): the
    //    required fields are the constructors' arguments.
    let customer = CustomerPayload::new(
        "サンプル顧客",
        format!("CUSTOMER-{run}"),
        CustomerPayloadDestination::new(
            "billing@example.com",
            "03-1234-5678",
            "111-1111",
            "東京都千代田区1-2-3",
        )
        .name("担当 太郎")
        .department("経理部")
        .address2("サンプルビル3F"),
    );
    let created = client.customers().create(customer).await?;
    let (customer, destination) = (created.customer, created.destination);
    println!(
        "1. customer {} ({}), destination {}",
        customer.id, customer.name, destination.id
    );

    // 2. Credit examination (与信枠審査). In the sandbox, the magic remark
    //    `__passed__` makes it pass (the client refuses it in production).
    let examination = CustomerExaminationPayload::new(
        &customer.id,
        300_000,
        dates::month_end(today, 2),
        "billing@example.com",
        "03-1234-5678",
        "111-1111",
        "東京都千代田区1-2-3",
    )
    .business_type(BusinessType::Corporate)
    .with_outcome(Outcome::Passed);
    let examination = client.customer_examinations().create(examination).await?;
    println!(
        "2. examination {}: {} yen until {}, {}",
        examination.id,
        examination.amount,
        examination.end_date,
        describe(&examination.status)
    );

    // 3. The credit facility (与信枠) the examination granted.
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(&customer.id)
        .send()
        .await?;
    for f in &facilities.items {
        println!(
            "3. credit facility {}: {} yen, {} .. {}",
            f.id,
            describe(&f.amount),
            describe(&f.start_date),
            describe(&f.end_date)
        );
    }

    // 4. A transaction (取引): 3 × 1,000 yen + 10% tax. `TransactionLines`
    //    computes the details, the per-tax-rate totals and the amount the
    //    way Kessai checks them; the payload takes them as they are. With
    //    the facility, it passes at once.
    let lines = TransactionLines::new()
        .line(Line::excluded(
            "クラウド会計 月額利用料",
            dec!(1000),
            dec!(3),
            TaxRateType::Normal10,
        ))
        .compute()?;
    let transaction = TransactionPayload::with_lines(
        format!("TX-{run}"),
        &destination.id,
        today,
        today,
        dates::month_end(today, 1),
        [InvoiceDeliveryMethod::Email],
        lines,
    );
    let transaction = client.transactions().create_idempotent(transaction).await?;
    println!(
        "4. transaction {} ({}): {} yen, {}",
        transaction.id,
        transaction.number,
        describe(&transaction.amount),
        describe(&transaction.status)
    );

    // 5. The billing (請求) the transaction was grouped into.
    let Some(billing_id) = &transaction.billing_id else {
        return Err("the transaction has no billing yet".into());
    };
    let billing = client.billings().get(billing_id).await?;
    println!(
        "5. billing {}: {} yen due {}, {}",
        billing.id,
        describe(&billing.amount),
        describe(&billing.due_date),
        describe(&billing.status)
    );
    println!("Done.");
    Ok(())
}

/// A value the server fills in as it goes (an amount once computed, a
/// status once examined), or `-` before it does.
fn describe<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}
