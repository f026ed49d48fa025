//! レシピ「顧客番号を利用して取引登録をする」 — registering a transaction
//! from a customer number.
//!
//! A transaction is billed to a destination (請求先). A seller who keeps
//! only its own customer numbers (顧客番号), not Kessai's destination ids,
//! looks the destinations up by number: they come newest first, so the
//! first one is the latest.
//!
//! 0. (the recipe assumes it) a customer with the number, and a second,
//!    newer destination (`client.destinations().create_or_get`),
//! 1. `destinations().list().customer_number(..)`: the customer's
//!    destinations, newest first; take the first,
//! 2. register the reference's 5,440 yen transaction to it
//!    (`transactions().create_idempotent`),
//! 3. send the same registration again, as after a timeout: the same
//!    transaction comes back, nothing is registered twice.
//!
//! The customer has no credit line here, so the transaction is examined on
//! its own; the sandbox magic string `__passed__` in every detail
//! description (`mfkessai::sandbox::WithOutcome`) makes it pass.
//!
//! ```sh
//! cargo run --features testing --example recipe_transaction_by_customer_number            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_transaction_by_customer_number   # real sandbox
//! ```
//!
//! The example exits with an error when a step does not give what the
//! recipe expects.

#[path = "common/mod.rs"]
mod common;

use common::{describe_transaction, ensure, found, show, BoxError};
use mfkessai::{
    dates,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    types,
};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;
    let today = session.today();
    let customer_number = session.number("BYNUMBER");

    // Step 0. The customer (with its first destination) and a newer
    // destination, the head office's accounting team.
    let created = client
        .customers()
        .create_idempotent(common::sample_customer(customer_number.clone()))
        .await?;
    let customer_id = created.customer.id;
    let first_destination = created.destination.id;
    let sample = common::sample_destination();
    let newer = client
        .destinations()
        .create_or_get(
            types::DestinationPayload::new(
                &customer_id,
                "head-office@example.com",
                sample.tel,
                "222-2222",
                "東京都港区4-5-6",
            )
            .address2("本社ビル10F")
            .department("本社経理部")
            .name("請求 花子")
            .name_kana("セイキュウ ハナコ"),
        )
        .await?;
    let newer_destination = newer.id;
    println!(
        "Step 0. customer {customer_id} ({customer_number}): destinations {first_destination}, \
         then {newer_destination}"
    );

    // Step 1. 顧客に紐づく請求先取得: by customer number, newest first.
    let destinations = client
        .destinations()
        .list()
        .customer_number(customer_number.clone())
        .send()
        .await?;
    println!(
        "Step 1. {} destination(s) of customer number {customer_number}:",
        destinations.items.len()
    );
    for d in &destinations.items {
        println!(
            "        destination {}: {} {}, {}, created {}",
            d.id,
            show(&d.department),
            show(&d.name),
            d.email,
            d.created_at
        );
    }
    let chosen = found(
        destinations.items.first(),
        "the customer number has no destination",
    )?;
    let destination_id = chosen.id.clone();
    ensure(
        destinations.items.len() == 2,
        format!(
            "{} destinations, not the 2 registered",
            destinations.items.len()
        ),
    )?;
    ensure(
        destinations
            .items
            .iter()
            .all(|d| d.customer_id == customer_id),
        "a destination of another customer is listed",
    )?;
    ensure(
        destination_id == newer_destination,
        format!("the first destination is {destination_id}, not the newest {newer_destination}"),
    )?;
    ensure(
        destinations
            .items
            .windows(2)
            .all(|pair| pair[0].created_at >= pair[1].created_at),
        "the destinations are not newest first",
    )?;
    println!("        using the newest: {destination_id}");

    // Step 2. 取引登録, to the chosen destination.
    let payload = common::transaction(
        &destination_id,
        session.number("BYNUMBER-TX"),
        today,
        dates::month_end(today, 1),
        common::sample_lines(None)?,
    )
    .with_outcome(Outcome::Passed);
    let transaction = client
        .transactions()
        .create_idempotent(payload.clone())
        .await?;
    println!("Step 2. {}", describe_transaction(&transaction));
    ensure(
        transaction.status == Some(TransactionStatus::Passed),
        format!(
            "the transaction is {}, not passed",
            show(&transaction.status)
        ),
    )?;
    ensure(
        transaction.destination_id == destination_id
            && transaction.customer_id.as_ref() == Some(&customer_id),
        "the transaction is not billed to the chosen destination",
    )?;

    // Step 3. The same registration again (a retry after a timeout, say):
    // create_idempotent finds the transaction by its number.
    let again = client.transactions().create_idempotent(payload).await?;
    let listed = client
        .transactions()
        .list()
        .customer_number(customer_number.clone())
        .send()
        .await?;
    println!(
        "Step 3. sent again: transaction {}; the customer has {} transaction(s)",
        again.id,
        listed.items.len()
    );
    ensure(
        again.id == transaction.id && listed.items.len() == 1,
        "sending the same transaction again registered a second one",
    )?;
    println!("Done.");
    Ok(())
}
