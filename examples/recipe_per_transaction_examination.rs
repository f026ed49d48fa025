//! レシピ「取引登録時に取引単位で審査を行う」 — examining each transaction
//! when it is registered.
//!
//! Without a credit line (与信枠), nothing is examined in advance: every
//! transaction gets its own examination (取引審査) when it is registered,
//! decided at once or within two business days, and it can be rejected
//! after the order was taken. So the seller checks each transaction's
//! result and, for a rejected one, bills it some other way.
//!
//! 1. register the customer without `customer_examination`
//!    (`client.customers()`),
//! 2. register transactions to its destination
//!    (`transactions().create_idempotent`); the sandbox magic strings
//!    (`mfkessai::sandbox::WithOutcome`) choose each result: one passed, one
//!    rejected, one left under examination,
//! 3. get each transaction and act on its status. On the in-process fake
//!    the pending one is then decided as the examiner would
//!    (`FakeKessai::decide_transaction`); on the real sandbox it stays
//!    pending.
//!
//! ```sh
//! cargo run --features testing --example recipe_per_transaction_examination            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_per_transaction_examination   # real sandbox
//! ```
//!
//! The example exits with an error when a step does not give what the
//! recipe expects.

#[path = "common/mod.rs"]
mod common;

use common::{describe_transaction, ensure, show, BoxError};
use mfkessai::{
    dates,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;
    let today = session.today();

    // Step 1. 顧客を登録する, asking for no credit line.
    let created = client
        .customers()
        .create_idempotent(common::sample_customer(session.number("PER-TX")))
        .await?;
    let customer_id = created.customer.id;
    let destination_id = created.destination.id;
    println!("Step 1. customer {customer_id}, destination {destination_id}");
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(&customer_id)
        .send()
        .await?;
    ensure(
        facilities.items.is_empty(),
        "a customer registered without customer_examination has a credit facility",
    )?;

    // Step 2. 取引を登録する: the destination_id from the registration. No
    // credit line, so each is examined on its own.
    let outcomes = [Outcome::Passed, Outcome::Rejected, Outcome::Unexamined];
    let mut registered = Vec::new();
    for outcome in outcomes {
        let payload = common::transaction(
            &destination_id,
            session.number(&format!("PER-TX-{}", outcome.status().to_uppercase())),
            today,
            dates::month_end(today, 1),
            common::sample_lines(None)?,
        )
        .with_outcome(outcome);
        let transaction = client.transactions().create_idempotent(payload).await?;
        println!("Step 2. {outcome}: {}", describe_transaction(&transaction));
        registered.push((outcome, transaction.id));
    }

    // Step 3. 取引を確認する, and what to do about each result.
    let transactions = client.transactions();
    for (outcome, id) in &registered {
        let transaction = session
            .wait_for(
                || transactions.get(id),
                |t| {
                    *outcome == Outcome::Unexamined
                        || t.status != Some(TransactionStatus::Unexamined)
                },
            )
            .await?;
        println!("Step 3. {}", describe_transaction(&transaction));
        ensure(
            transaction
                .status
                .as_ref()
                .is_some_and(|s| s.as_str() == outcome.status()),
            format!(
                "{outcome} gave the status {}, not {}",
                show(&transaction.status),
                outcome.status()
            ),
        )?;
        match transaction.status {
            Some(TransactionStatus::Passed) => {
                ensure(
                    transaction.billing_id.is_some(),
                    "a passed transaction joined no billing",
                )?;
                println!(
                    "        passed: Kessai bills it (billing {})",
                    show(&transaction.billing_id)
                );
            }
            Some(TransactionStatus::Rejected) => {
                println!("        rejected: bill it without Money Forward Kessai");
            }
            _ => {
                println!("        under examination: the result comes within two business days");
                if let Some(fake) = session.fake() {
                    let decided = fake.decide_transaction(id, Outcome::Passed)?;
                    let transaction = client.transactions().get(id).await?;
                    println!(
                        "        (the fake's examiner decided: {})",
                        describe_transaction(&transaction)
                    );
                    ensure(
                        decided.status == Some(TransactionStatus::Passed)
                            && transaction.status == Some(TransactionStatus::Passed)
                            && transaction.billing_id.is_some(),
                        "the decided transaction is not passed and billed",
                    )?;
                }
            }
        }
    }
    println!("Done.");
    Ok(())
}
