//! レシピ「与信枠を利用して取引登録を行う」 — registering a transaction
//! within a customer's credit line.
//!
//! A transaction registered while the customer has a credit facility
//! (与信枠) covering it passes its examination at once and takes its
//! amount from the facility's balance. One above the balance is not taken
//! from the balance: it gets the ordinary examination (取引審査), which can
//! take up to two business days. So the recipe checks the balance first.
//!
//! 0. (the recipe assumes it) a customer with a 20,000 yen facility, from a
//!    passed manual examination,
//! 1. find the facility usable today: `credit_facilities().list()` with
//!    `start_date_to(today)` and `end_date_from(today)`, and check that the
//!    transaction fits its balance,
//! 2. register the reference's 5,440 yen transaction
//!    (`transactions().create_idempotent`, computed by
//!    `mfkessai::money::TransactionLines`): passed at once,
//! 3. get the transaction and check the balance went down by its amount,
//! 4. register one above the balance: it is examined as usual
//!    (`__unexamined__` keeps it pending in the sandbox) and the balance
//!    stays as it was.
//!
//! ```sh
//! cargo run --features testing --example recipe_transaction_within_credit            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_transaction_within_credit   # real sandbox
//! ```
//!
//! The example exits with an error when a step does not give what the
//! recipe expects.

#[path = "common/mod.rs"]
mod common;

use common::{describe_facility, describe_transaction, ensure, found, show, BoxError};
use mfkessai::{
    dates, dec,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    types, Decimal,
};

/// The credit line the customer has (the reference's 20,000 yen).
const CREDIT: i64 = 20_000;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;
    let today = session.today();

    // Step 0. The customer and its credit line, as in the recipe
    // 一時的な与信枠取得・増枠を行う.
    let created = client
        .customers()
        .create_idempotent(common::sample_customer(session.number("CREDIT")))
        .await?;
    let customer_id = created.customer.id;
    let destination_id = created.destination.id;
    let examinations = client.customer_examinations();
    let applied = examinations
        .create(
            common::sample_examination(&customer_id, CREDIT, dates::month_end(today, 1))
                .with_outcome(Outcome::Passed),
        )
        .await?;
    let applied_id = applied.id;
    let examination = session
        .wait_for(
            || examinations.get(&applied_id),
            |e| e.status != Some(CustomerExaminationStatus::Unexamined),
        )
        .await?;
    ensure(
        examination.status == Some(CustomerExaminationStatus::Passed),
        format!(
            "the examination is {}, not passed",
            show(&examination.status)
        ),
    )?;
    println!(
        "Step 0. customer {customer_id}, destination {destination_id}, {CREDIT} yen of credit"
    );

    // Step 1. 現在有効な与信枠を確認する: usable today = starts on or
    // before today and ends on or after today (both bounds inclusive).
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(&customer_id)
        .start_date_to(today)
        .end_date_from(today)
        .send()
        .await?;
    let facility = found(
        facilities.items.first(),
        "the customer has no facility usable today",
    )?
    .clone();
    let facility_id = facility.id.clone();
    println!("Step 1. {}", describe_facility(&facility));
    ensure(
        facilities.items.len() == 1,
        format!(
            "{} facilities usable today: periods of one customer never overlap",
            facilities.items.len()
        ),
    )?;
    let lines = common::sample_lines(None)?;
    let balance = facility.balance.unwrap_or(0);
    ensure(
        lines.amount <= balance,
        format!(
            "{} yen does not fit the balance of {balance} yen",
            lines.amount
        ),
    )?;
    println!(
        "        {} yen fits the balance of {balance} yen",
        lines.amount
    );

    // Step 2. 取引を登録する: within the balance, so passed at once, with
    // no magic string. create_idempotent can be retried safely.
    let payload = common::transaction(
        &destination_id,
        session.number("CREDIT-TX1"),
        today,
        dates::month_end(today, 1),
        lines,
    );
    let registered = client.transactions().create_idempotent(payload).await?;
    let transaction_id = registered.id.clone();
    println!("Step 2. {}", describe_transaction(&registered));
    ensure(
        registered.status == Some(TransactionStatus::Passed),
        format!(
            "a transaction within the credit line is {}, not passed at once",
            show(&registered.status)
        ),
    )?;
    ensure(
        registered.amount == Some(5_440),
        format!(
            "the amount is {}, not the reference's 5440",
            show(&registered.amount)
        ),
    )?;

    // Step 3. 取引を確認する, and the balance it used.
    let transaction = client.transactions().get(&transaction_id).await?;
    println!("Step 3. {}", describe_transaction(&transaction));
    ensure(
        transaction.status == Some(TransactionStatus::Passed),
        format!("the transaction is now {}", show(&transaction.status)),
    )?;
    let after = client.credit_facilities().get(&facility_id).await?;
    println!("        {}", describe_facility(&after));
    let left = balance - 5_440;
    ensure(
        after.balance == Some(left),
        format!("the balance is {}, not {left}", show(&after.balance)),
    )?;

    // Step 4. Above the balance: no balance is used and the transaction is
    // examined as usual (即時〜2営業日). `__unexamined__` keeps it pending in
    // the sandbox, as a real examination would be for a while.
    let above = TransactionLines::new()
        .line(Line::excluded(
            "初期費用",
            Decimal::from(left),
            dec!(1),
            TaxRateType::Normal10,
        ))
        .compute()?;
    let mut payload: types::TransactionPayload = common::transaction(
        &destination_id,
        session.number("CREDIT-TX2"),
        today,
        dates::month_end(today, 1),
        above,
    );
    payload.set_outcome(Outcome::Unexamined);
    let pending = client.transactions().create_idempotent(payload).await?;
    println!(
        "Step 4. {} yen > {left} yen left: {}",
        show(&pending.amount),
        describe_transaction(&pending)
    );
    ensure(
        pending.status == Some(TransactionStatus::Unexamined),
        format!(
            "a transaction above the balance is {}, not under examination",
            show(&pending.status)
        ),
    )?;
    let unchanged = client.credit_facilities().get(&facility_id).await?;
    println!("        {}", describe_facility(&unchanged));
    ensure(
        unchanged.balance == Some(left),
        format!(
            "the balance moved to {} for a transaction it does not cover",
            show(&unchanged.balance)
        ),
    )?;
    println!("Done.");
    Ok(())
}
