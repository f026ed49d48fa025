//! Payout refunds (返金): `client.payout_refunds()`.

use crate::{
    call::Operation,
    error::ValidationError,
    pagination::{ListResponse, Page},
    raw::{builder, types},
    validate::{self, keep_first},
    Client, Result,
};

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
    pub fn list(&self) -> ListPayoutRefunds<'a> {
        ListPayoutRefunds {
            client: self.client,
            raw: self.client.raw().get_payout_refunds_list(),
            error: None,
        }
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
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until `.send()`"]
pub struct ListPayoutRefunds<'a> {
    client: &'a Client,
    raw: builder::GetPayoutRefundsList<'a>,
    error: Option<ValidationError>,
}

impl<'a> ListPayoutRefunds<'a> {
    /// Only the refunds included in this payout.
    pub fn payout_id(mut self, payout_id: impl Into<String>) -> Self {
        self.raw = self.raw.payout_id(payout_id.into());
        self
    }

    /// Items after this id (exclusive): the next, older page.
    pub fn starting_after(mut self, cursor: impl Into<String>) -> Self {
        self.raw = self.raw.after(cursor.into());
        self
    }

    /// Items before this id (exclusive): the previous, newer page. Wins over
    /// [`ListPayoutRefunds::starting_after`] when both are set, as on the
    /// server.
    pub fn starting_before(mut self, cursor: impl Into<String>) -> Self {
        self.raw = self.raw.before(cursor.into());
        self
    }

    /// Items per page, 1..=200 (server default 20).
    pub fn page_size(mut self, size: u32) -> Self {
        match validate::limit(size) {
            Ok(limit) => self.raw = self.raw.limit(limit),
            Err(e) => keep_first(&mut self.error, e),
        }
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<types::PayoutRefund>> {
        if let Some(e) = self.error {
            return Err(crate::Error::Validation(e));
        }
        let raw = self.raw;
        let list = self
            .client
            .call(Operation::read("GetPayoutRefundsList"), || {
                raw.clone().send()
            })
            .await?;
        Ok(list.into_page())
    }
}
