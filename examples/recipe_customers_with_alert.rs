//! レシピ「アラートを持つ顧客に対して情報を集める」 — gathering
//! information about customers with an alert.
//!
//! With the automatic credit examination, a customer whose monthly credit
//! line cannot be renewed (unpaid invoices, for instance) gets an alert:
//! `customer.has_alert` becomes `true`. The facilities already granted stay
//! usable; only the next ones stop. The recipe finds those customers and
//! their unpaid billings (未入金の請求): comparing `due_date` with
//! `unpaid` tells how late and how much is missing.
//!
//! 1. list the customers with an alert: `customers().list().has_alert(true)`,
//!    walked with `.stream()` (every page),
//! 2. for each, list its unpaid billings:
//!    `billings().list().customer_id(..).unpaid(true)` (and
//!    `list_qualified()`, where sellers in invoice mode find theirs).
//!
//! On the in-process fake the recipe first makes such a customer: a
//! 5,440 yen transaction, the clock moved past its due date, 2,000 yen paid,
//! and the alert raised (`FakeKessai::record_payment`,
//! `FakeKessai::set_customer_alert`), plus a customer without an alert. On
//! the real sandbox it reports what is there, possibly nothing.
//!
//! ```sh
//! cargo run --features testing --example recipe_customers_with_alert            # in-process fake
//! MFKESSAI_API_KEY=... cargo run --features testing --example recipe_customers_with_alert   # real sandbox
//! ```
//!
//! The example exits with an error when a step does not give what the
//! recipe expects.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashSet;

use common::{ensure, show, BoxError, Session};
use futures::TryStreamExt;
use mfkessai::{
    chrono::Duration,
    dates,
    prelude::*,
    sandbox::{Outcome, WithOutcome},
    types,
};

/// On the real sandbox, how many alert customers to look into.
const AT_MOST: usize = 20;
/// What the fake's customer paid of its 5,440 yen billing.
const PAID: i64 = 2_000;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let session = common::connect().await?;
    let client = &session.client;

    // Only the fake can make a customer fall behind on purpose.
    let expected = prepare_on_fake(&session).await?;

    // Step 1. アラートありの顧客を確認: has_alert=true, every page.
    let alerted: Vec<types::Customer> = client
        .customers()
        .list()
        .has_alert(true)
        .page_size(100)
        .stream()
        .try_collect()
        .await?;
    println!("Step 1. {} customer(s) with an alert:", alerted.len());
    for c in &alerted {
        println!(
            "        customer {} ({} / {}), has_alert {}",
            c.id,
            c.number,
            c.name,
            show(&c.has_alert)
        );
    }
    ensure(
        alerted.iter().all(|c| c.has_alert == Some(true)),
        "has_alert=true returned a customer without an alert",
    )?;
    if let Some(expected) = &expected {
        let ids: HashSet<_> = alerted.iter().map(|c| &c.id).collect();
        ensure(
            ids.contains(&expected.alerted),
            format!("customer {} with an alert is not listed", expected.alerted),
        )?;
        ensure(
            !ids.contains(&expected.fine),
            format!("customer {} without an alert is listed", expected.fine),
        )?;
    }
    if alerted.is_empty() {
        println!("No customer has an alert: nothing to look into.");
        return Ok(());
    }

    // Step 2. アラートありの顧客に未入金の請求がないか確認.
    let today = session.today();
    println!("Step 2. unpaid billings (today is {today}):");
    for customer in alerted.iter().take(AT_MOST) {
        let customer_id = &customer.id;
        let mut unpaid = client
            .billings()
            .list()
            .customer_id(customer_id)
            .unpaid(true)
            .send()
            .await?
            .items;
        // Sellers in invoice mode (インボイスモード) have theirs here.
        unpaid.extend(
            client
                .billings()
                .list_qualified()
                .customer_id(customer_id)
                .unpaid(true)
                .send()
                .await?
                .items,
        );
        if unpaid.is_empty() {
            println!("        customer {customer_id}: no unpaid billing");
        }
        for b in &unpaid {
            let late = b.due_date.map(|due| (today - due).num_days());
            let missing = b.unpaid.as_ref().and_then(|u| u.shortage_amount);
            let as_of = b.unpaid.as_ref().and_then(|u| u.updated_date);
            println!(
                "        customer {customer_id}: billing {} of {} yen due {} ({} days late), \
                 {} yen missing as of {}",
                b.id,
                show(&b.amount),
                show(&b.due_date),
                show(&late),
                show(&missing),
                show(&as_of)
            );
            ensure(
                b.unpaid.is_some(),
                format!("billing {} is listed as unpaid without `unpaid`", b.id),
            )?;
        }
        if let Some(expected) = expected.as_ref().filter(|e| &e.alerted == customer_id) {
            let [billing] = unpaid.as_slice() else {
                return Err(format!("expected billing {} alone", expected.billing).into());
            };
            ensure(
                billing.id == expected.billing,
                format!("expected billing {} alone", expected.billing),
            )?;
            ensure(
                billing.unpaid.as_ref().and_then(|u| u.shortage_amount) == Some(expected.missing),
                format!("expected {} yen missing", expected.missing),
            )?;
            ensure(
                billing.due_date.is_some_and(|due| due < today),
                "the unpaid billing is not past its due date",
            )?;
        }
    }
    if alerted.len() > AT_MOST {
        println!(
            "        (the other {} are left out)",
            alerted.len() - AT_MOST
        );
    }
    println!("Done.");
    Ok(())
}

/// What the fake was prepared with.
struct Expected {
    alerted: CustomerId,
    fine: CustomerId,
    billing: BillingId,
    missing: i64,
}

/// On the fake: a customer behind on a payment, with an alert, and one in
/// good standing. `None` on the real sandbox.
async fn prepare_on_fake(session: &Session) -> Result<Option<Expected>, BoxError> {
    let Some(fake) = session.fake() else {
        return Ok(None);
    };
    let client = &session.client;
    let today = session.today();
    println!("Preparing the fake: a customer who has not paid, and one who is fine.");
    let mut ids = Vec::new();
    for kind in ["ALERT", "FINE"] {
        let created = client
            .customers()
            .create_idempotent(common::sample_customer(session.number(kind)))
            .await?;
        ids.push((created.customer.id, created.destination.id));
    }
    let (alerted, destination_id) = ids.remove(0);
    let (fine, _) = ids.remove(0);

    // A passed transaction due at the end of this month.
    let due = dates::month_end(today, 0);
    let payload = common::transaction(
        &destination_id,
        session.number("ALERT-TX"),
        today,
        due,
        common::sample_lines(None)?,
    )
    .with_outcome(Outcome::Passed);
    let transaction = client.transactions().create_idempotent(payload).await?;
    ensure(
        transaction.status == Some(TransactionStatus::Passed),
        format!("the setup transaction is {}", show(&transaction.status)),
    )?;
    let (Some(billing), Some(amount)) = (transaction.billing_id, transaction.amount) else {
        return Err("the passed transaction joined no billing".into());
    };
    // Past the due date, with only part paid; the real service would then
    // refuse the next monthly credit line and raise the alert.
    session.let_time_pass((due - today) + Duration::days(3), "past the due date");
    fake.record_payment(&billing, PAID)?;
    fake.set_customer_alert(&alerted, true)?;
    println!(
        "        customer {alerted}: billing {billing} of {amount} yen, {PAID} yen paid, alert raised"
    );
    println!("        customer {fine}: nothing owed, no alert");
    Ok(Some(Expected {
        alerted,
        fine,
        billing,
        missing: amount - PAID,
    }))
}
