//! Payout data in bulk, for tests and the binary's `--seed-payouts`: the
//! sandbox never pays anything out, so a fake with payouts is the only way
//! to exercise reconciliation code before production.

use serde_json::json;

use super::{formats, FakeKessai};
use crate::raw::types;

impl FakeKessai {
    /// Seeds `count` completed payouts (振込), one per month going back from
    /// the month before the fake's clock, newest first. Each pays two
    /// receivables (債権) with a 2% commission; every third one also deducts
    /// a refund (返金). Each payout's `amount` is what its items add up to:
    /// receivables minus commissions minus refunds. Returns the payout ids,
    /// newest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let ids = fake.seed_payouts(3);
    /// let client = fake.client()?;
    /// let page = client.payouts().list().send().await?;
    /// assert_eq!(page.items.len(), 3);
    /// let items = client.payout_transactions().list().payout_id(&ids[0]).send().await?;
    /// assert_eq!(items.items.len(), 2);
    /// # Ok(()) }
    /// ```
    // `.into()` on the ids: a plain String today, the id's newtype once the
    // generated types carry typed ids.
    #[allow(clippy::useless_conversion)]
    pub fn seed_payouts(&self, count: usize) -> Vec<String> {
        let this_month = formats::first_of_month(self.now().date_naive());
        let mut ids = Vec::with_capacity(count);
        // Oldest first, so the list (newest seeded first) is newest first.
        for back in (1..=count).rev() {
            let mut month = this_month;
            for _ in 0..back {
                month = formats::first_of_month(month - chrono::Duration::days(1));
            }
            let payout_date = formats::last_of_month(month);
            let n = back as i64;
            let receivables = [100_000 + 1_000 * n, 50_000];
            let commissions = receivables.map(|a| a / 50);
            let refund = (back % 3 == 0).then_some((5_000i64, 100i64));
            let deducted: i64 = commissions.iter().sum();
            let refunded = refund.map_or(0, |(amount, _)| amount);
            let received: i64 = receivables.iter().sum();
            // The receivables were accepted (債権譲受) on the first of the month.
            let accepted = month
                .and_hms_opt(10, 0, 0)
                .and_then(|t| t.and_local_timezone(self.now().timezone()).single())
                .unwrap_or_else(|| self.now());
            // Struct literals for what the seller sees, JSON for the nested
            // deduction: both stay valid as the generated types evolve.
            // Every part of the documented breakdown, zero where nothing is
            // deducted: seeded data is as complete as the API's.
            let deduction = serde_json::from_value(json!({
                "amount": deducted,
                "canceled_reconciliation_amount": 0,
                "returned_credit_amount": 0,
                "tax_free": {
                    "amount": deducted,
                    "commission_amount": deducted,
                    "early_payout_commission_amount": 0
                },
                "taxable": {
                    "amount": 0,
                    "basic_monthly_charge": 0,
                    "billing_charge": {"amount": 0, "quantity": 0, "unit_price": 0},
                    "convenience_billing": {"charge": 0, "quantity": 0, "unit_price": 0},
                    "posting": {"amount": 0, "quantity": 0, "unit_price": 0}
                },
                "tax": {"amount": 0, "rate_type": "normal_10"},
                "untaxable": {
                    "amount": 0,
                    "revenue_stamp": {"amount": 0, "quantity": 0, "unit_price": 0}
                }
            }))
            .expect("a seeded deduction decodes");
            let id = self.seed_payout(types::Payout {
                amount: Some(received - deducted - refunded),
                collected_amount: Some(received),
                receivables_amount: Some(received),
                deduction: Some(deduction),
                payout_date: Some(payout_date),
                status: Some(types::PayoutStatus::Completed),
                type_: Some(types::PayoutType::Normal),
                ..Default::default()
            });
            for (i, (amount, commission)) in receivables.iter().zip(commissions).enumerate() {
                self.seed_payout_transaction(
                    &id,
                    types::PayoutTransaction {
                        accepted_at: Some(accepted),
                        amount: Some(*amount),
                        // Percent, as the reference's example (2 for 2%).
                        commission_rate: Some(rust_decimal::Decimal::from(2)),
                        commission_amount: Some(commission),
                        early_payout_commission_amount: Some(0),
                        early_payout_commission_rate: Some(rust_decimal::Decimal::ZERO),
                        payout_date: Some(payout_date),
                        standard_payout_date: Some(payout_date),
                        transaction_id: Some(format!("PT{back:04}-{i}").into()),
                        ..Default::default()
                    },
                );
            }
            if let Some((amount, commission)) = refund {
                self.seed_payout_refund(
                    &id,
                    types::PayoutRefund {
                        amount: Some(amount),
                        commission_amount: Some(commission),
                        customer_id: Some(format!("PC{back:04}").into()),
                        transaction_id: Some(format!("PT{back:04}-0").into()),
                        ..Default::default()
                    },
                );
            }
            ids.push(id.to_string());
        }
        ids.reverse();
        ids
    }
}
