//! レシピ「自動与信枠審査を利用して与信枠を取得する」 — getting a credit
//! line (与信枠) through the automatic credit examination (自動与信枠審査).
//!
//! For sellers using the automatic examination, registering a customer is
//! enough: `POST /customers` with a `customer_examination` section applies
//! for the customer's monthly credit lines, and Kessai applies again every
//! month. The recipe then checks the examinations' results and the credit
//! facilities they granted, which can be smaller than asked for.
//!
//! 1. register the customer with `customer_examination` (`client.customers()`),
//! 2. list the customer's examinations and check their status
//!    (`client.customer_examinations()`),
//! 3. list the customer's credit facilities (`client.credit_facilities()`),
//! 4. on the fake only: let the clock reach the middle of the month, when
//!    next month's examination is applied for automatically.
//!
//! The sandbox magic string `__passed__` in `customer_examination.remark`
//! (`mfkessai::sandbox::WithOutcome`) makes the examination pass.
//!
//! ```sh
//! cargo run --features testing --example recipe_auto_examination            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_auto_examination   # real sandbox
//! ```
//!
//! On the real sandbox the seller must have the automatic examination
//! enabled (ask Kessai); otherwise step 1 is refused. The example exits with
//! an error when a step does not give what the recipe expects.

#[path = "common/mod.rs"]
mod common;

use common::{describe_examination, describe_facility, ensure, found, show, BoxError};
use mfkessai::{
    chrono::Datelike,
    dates,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    types,
};

/// The credit line asked for each month (the reference's 20,000 yen).
const ASKED: i64 = 20_000;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;

    // Step 1. 顧客を登録する: the customer, with what the examination needs.
    // No end_date: automatic examinations grant month-long facilities.
    let customer = common::sample_customer(session.number("AUTO"));
    let customer = customer.customer_examination(
        types::CustomerPayloadCustomerExamination::new()
            .amount(ASKED)
            .business_description("クラウド型企業間決済サービス")
            .business_type(BusinessType::Corporate)
            .corporate_number("1234567890123")
            .representative_name("代表太郎")
            .website("https://mfkessai.co.jp"),
    );
    // In the sandbox the remark decides the result; the reference's remark
    // ("一部上場企業です。") would leave it to a person.
    let customer = customer.with_outcome(Outcome::Passed);
    let created = client.customers().create_idempotent(customer).await?;
    let (customer, destination) = (created.customer, created.destination);
    let customer_id = &customer.id;
    println!(
        "Step 1. customer {customer_id} ({}), destination {}, has_alert {}",
        customer.number,
        destination.id,
        show(&customer.has_alert)
    );

    // Step 2. 与信枠審査のステータスを確認する: the examinations applied
    // for with the registration (one per month Kessai grants up front).
    let examinations = session
        .wait_for(
            || {
                client
                    .customer_examinations()
                    .list()
                    .customer_id(customer_id)
                    .send()
            },
            |page| {
                !page.items.is_empty()
                    && page
                        .items
                        .iter()
                        .all(|e| e.status != Some(CustomerExaminationStatus::Unexamined))
            },
        )
        .await?;
    println!(
        "Step 2. {} examination(s) of the customer:",
        examinations.items.len()
    );
    for e in &examinations.items {
        println!("        {}", describe_examination(e));
    }
    ensure(
        !examinations.items.is_empty(),
        "registering with customer_examination applied for no examination",
    )?;
    for e in &examinations.items {
        ensure(
            e.type_ == Some(CustomerExaminationType::Auto),
            format!("examination {} is not automatic", e.id),
        )?;
        // A rejection would mean: bill through 否決時請求, another payment
        // method, or stop; 取引審査 per transaction stays possible.
        ensure(
            e.status == Some(CustomerExaminationStatus::Passed),
            format!(
                "examination {} is {}, not passed as __passed__ asks",
                e.id,
                show(&e.status)
            ),
        )?;
    }

    // Step 3. 与信枠を確認する: what was actually granted. Kessai may grant
    // less than asked, so check before relying on it.
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(customer_id)
        .send()
        .await?;
    println!(
        "Step 3. {} credit facility(ies) of the customer:",
        facilities.items.len()
    );
    for f in &facilities.items {
        println!("        {}", describe_facility(f));
        if f.amount.is_some_and(|a| a < ASKED) {
            println!("        (granted less than the {ASKED} yen asked for)");
        }
    }
    ensure(
        !facilities.items.is_empty(),
        "the passed examination granted no credit facility",
    )?;
    for f in &facilities.items {
        ensure(
            examinations
                .items
                .iter()
                .any(|e| f.customer_examination_id.as_ref() == Some(&e.id)),
            format!(
                "facility {} comes from examination {}, not one of step 2's",
                f.id,
                show(&f.customer_examination_id)
            ),
        )?;
        ensure(
            f.start_date.is_some_and(|d| d.day() == 1),
            format!(
                "facility {} of an automatic examination starts on {}, not a month's first day",
                f.id,
                show(&f.start_date)
            ),
        )?;
    }

    // Step 4 (fake only). Kessai applies for next month around the middle
    // of this one ("4月中頃に 5/1~5/31・X円の与信枠審査申請を行います").
    let today = session.today();
    let mid_month = today.with_day(20).unwrap_or(today);
    let next_month_start = dates::month_start(today, 1);
    let already = facilities
        .items
        .iter()
        .any(|f| f.start_date == Some(next_month_start));
    if !already
        && mid_month > today
        && session.let_time_pass(mid_month - today, "the monthly automatic application")
    {
        let later = client
            .customer_examinations()
            .list()
            .customer_id(customer_id)
            .send()
            .await?;
        let renewal = found(
            later
                .items
                .iter()
                .find(|e| e.start_date == Some(next_month_start)),
            "no examination was applied for next month",
        )?;
        println!(
            "Step 4. applied for automatically: {}",
            describe_examination(renewal)
        );
        ensure(
            renewal.type_ == Some(CustomerExaminationType::Auto),
            "next month's examination is not automatic",
        )?;
        let next = client
            .credit_facilities()
            .list()
            .customer_examination_id(&renewal.id)
            .send()
            .await?;
        for f in &next.items {
            println!("        {}", describe_facility(f));
        }
        ensure(
            next.items.len() == 1,
            format!(
                "next month's passed examination granted {} facilities, not 1",
                next.items.len()
            ),
        )?;
    }
    println!("Done: the customer has its credit line.");
    Ok(())
}
