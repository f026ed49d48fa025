//! Payout refunds (返金): `client.payout_refunds()`.

use crate::{pagination::ListRequest, raw::lists, Client};

/// The payout refund operations. Get one with [`Client::payout_refunds`].
///
/// A refund (返金) arises when a transaction is canceled after the amount
/// of the payout that included it was settled. The API only lists refunds;
/// there is no lookup by id.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.payout_refunds().list().payout_id("7679-YW36").send().await?;
/// for refund in &page.items {
///     println!("{:?}: {:?} yen for {:?}", refund.id, refund.amount, refund.transaction_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PayoutRefunds<'a> {
    client: &'a Client,
}

impl Client {
    /// Payout refunds (返金): for transactions canceled after their payout
    /// amount was settled.
    pub fn payout_refunds(&self) -> PayoutRefunds<'_> {
        PayoutRefunds { client: self }
    }
}

impl<'a> PayoutRefunds<'a> {
    /// `GET /payout_refunds`: a filtered list; see [`ListPayoutRefunds`].
    pub fn list(self) -> ListPayoutRefunds<'a> {
        ListPayoutRefunds::new(self.client)
    }
}

/// `GET /payout_refunds` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.payout_refunds().list().page_size(200).send().await?;
/// if let Some(cursor) = page.next_cursor() {
///     let older = client.payout_refunds().list().starting_after(cursor).send().await?;
///     # let _ = older;
/// }
/// # Ok(()) }
/// ```
pub type ListPayoutRefunds<'a> = ListRequest<'a, lists::GetPayoutRefundsList>;

impl<'a> ListPayoutRefunds<'a> {
    /// Only the refunds included in this payout.
    pub fn payout_id(self, payout_id: impl Into<crate::ids::PayoutId>) -> Self {
        self.with_params(|p| p.payout_id = Some(payout_id.into()))
    }
}
