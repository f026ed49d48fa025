//! レシピ「一時的な与信枠取得・増枠を行う」 — getting a temporary credit
//! line, then raising it (増枠).
//!
//! For a one-off need such as an initial fee, the seller applies for a
//! credit line by hand (手動与信枠審査申請) with `POST
//! /customer_examinations`, choosing the amount and the last day
//! (`end_date`, a month end). Once passed, the facility starts on the day it
//! passed. Applying again for a period that already has a facility is an
//! increase: the new facility replaces the old one, which can no longer be
//! used.
//!
//! 0. (the recipe assumes it) register the customer (`client.customers()`),
//! 1. apply for 20,000 yen until the end of next month
//!    (`client.customer_examinations().create`),
//! 2. get the examination and check its status,
//! 3. list the facility it granted (`credit_facilities().list()
//!    .customer_examination_id(..)`), starting today,
//! 4. apply again for 50,000 yen for the same period (増枠), and check that
//!    the new facility replaced the old one.
//!
//! The sandbox magic string `__passed__` in `remark`
//! (`mfkessai::sandbox::WithOutcome`) makes each examination pass.
//!
//! ```sh
//! cargo run --features testing --example recipe_temporary_credit            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_temporary_credit   # real sandbox
//! ```
//!
//! While an examination of the customer is still pending (`unexamined`),
//! another one is refused with 409. The example exits with an error when a
//! step does not give what the recipe expects.

#[path = "common/mod.rs"]
mod common;

use common::{describe_examination, describe_facility, ensure, found, show, BoxError};
use mfkessai::{
    dates,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
};

/// The first credit line asked for, then the increased one.
const FIRST: i64 = 20_000;
const INCREASED: i64 = 50_000;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;
    let examinations = client.customer_examinations();
    let today = session.today();

    // The recipe starts from a registered customer.
    let created = client
        .customers()
        .create_idempotent(common::sample_customer(session.number("TEMPORARY")))
        .await?;
    let customer_id = created.customer.id;
    println!("Step 0. customer {customer_id}");

    // Step 1. 与信枠審査登録をする: until the end of next month (end_date
    // must be one of the next three month ends).
    let end_date = dates::month_end(today, 1);
    let payload =
        common::sample_examination(&customer_id, FIRST, end_date).with_outcome(Outcome::Passed);
    let applied = examinations.create(payload).await?;
    let examination_id = applied.id.clone();
    println!("Step 1. applied: {}", describe_examination(&applied));
    ensure(
        applied.type_.is_none() || applied.type_ == Some(CustomerExaminationType::Manual),
        format!(
            "a hand-made application is {}, not manual",
            show(&applied.type_)
        ),
    )?;

    // Step 2. 与信枠審査のステータスを確認する.
    let examination = session
        .wait_for(
            || examinations.get(&examination_id),
            |e| e.status != Some(CustomerExaminationStatus::Unexamined),
        )
        .await?;
    println!("Step 2. {}", describe_examination(&examination));
    ensure(
        examination.status == Some(CustomerExaminationStatus::Passed),
        format!(
            "the examination is {}, not passed",
            show(&examination.status)
        ),
    )?;

    // Step 3. 与信枠を確認する: the facility of this examination. A manual
    // one starts on the day it passed.
    let facilities = client
        .credit_facilities()
        .list()
        .customer_examination_id(&examination_id)
        .send()
        .await?;
    let first = found(
        facilities.items.first(),
        "the passed examination granted no credit facility",
    )?
    .clone();
    println!("Step 3. {}", describe_facility(&first));
    ensure(
        facilities.items.len() == 1,
        format!("{} facilities for one examination", facilities.items.len()),
    )?;
    ensure(
        first.start_date == Some(today) && first.end_date == Some(end_date),
        format!(
            "the facility runs {} .. {}, not {today} .. {end_date}",
            show(&first.start_date),
            show(&first.end_date)
        ),
    )?;
    ensure(
        first.status == Some(CreditFacilityStatus::Active),
        format!("the facility is {}, not active", show(&first.status)),
    )?;
    if first.amount.is_some_and(|a| a < FIRST) {
        println!("        (granted less than the {FIRST} yen asked for)");
    }

    // Step 4. 増枠: an application for a period that already has a
    // facility. Passed, its facility replaces the old one.
    let payload =
        common::sample_examination(&customer_id, INCREASED, end_date).with_outcome(Outcome::Passed);
    let increase = examinations.create(payload).await?;
    let increase_id = increase.id.clone();
    let increase = session
        .wait_for(
            || examinations.get(&increase_id),
            |e| e.status != Some(CustomerExaminationStatus::Unexamined),
        )
        .await?;
    println!("Step 4. increase: {}", describe_examination(&increase));
    ensure(
        increase.status == Some(CustomerExaminationStatus::Passed),
        format!("the increase is {}, not passed", show(&increase.status)),
    )?;
    let all = client
        .credit_facilities()
        .list()
        .customer_id(&customer_id)
        .send()
        .await?;
    for f in &all.items {
        println!("        {}", describe_facility(f));
    }
    // Usable today: the one facility whose period contains today.
    let usable = client
        .credit_facilities()
        .list()
        .customer_id(&customer_id)
        .start_date_to(today)
        .end_date_from(today)
        .send()
        .await?;
    let current = found(
        usable.items.first(),
        "no facility is usable after the increase",
    )?;
    println!("        usable today: {}", current.id);
    ensure(
        usable.items.len() == 1,
        format!(
            "{} facilities usable today, not exactly 1",
            usable.items.len()
        ),
    )?;
    ensure(
        current.customer_examination_id.as_ref() == Some(&increase_id),
        format!(
            "the usable facility comes from examination {}, not the increase {increase_id}",
            show(&current.customer_examination_id)
        ),
    )?;
    ensure(
        current.amount == Some(increase.amount) && current.end_date == Some(end_date),
        format!(
            "the usable facility is {} yen until {}",
            show(&current.amount),
            show(&current.end_date)
        ),
    )?;
    let replaced = found(
        all.items.iter().find(|f| f.id == first.id),
        "the first facility disappeared",
    )?;
    ensure(
        replaced.status != Some(CreditFacilityStatus::Active),
        "the replaced facility is still active",
    )?;
    println!(
        "Done: the credit line was raised to {} yen.",
        show(&current.amount)
    );
    Ok(())
}
