//! Payout transactions (債権): `client.payout_transactions()`.

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self},
    Client, Result,
};

/// The payout transaction operations. Get one with
/// [`Client::payout_transactions`].
///
/// A payout transaction is a receivable (債権) paid out to the seller in a
/// payout: the transaction's amount, the commission withheld, and when.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.payout_transactions().list().payout_id("7679-YW36").send().await?;
/// for receivable in &page.items {
///     println!("{:?}: {:?} yen, commission {:?}", receivable.transaction_id, receivable.amount, receivable.commission_amount);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PayoutTransactions<'a> {
    client: &'a Client,
}

impl Client {
    /// Payout transactions (債権): the receivables paid out in payouts.
    pub fn payout_transactions(&self) -> PayoutTransactions<'_> {
        PayoutTransactions { client: self }
    }
}

impl<'a> PayoutTransactions<'a> {
    /// `GET /payout_transactions`: a filtered list; see
    /// [`ListPayoutTransactions`].
    pub fn list(self) -> ListPayoutTransactions<'a> {
        ListPayoutTransactions::new(self.client)
    }

    /// `GET /payout_transactions/{payout_transaction_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let receivable = client.payout_transactions().get(&"7679-YW36".into()).await?;
    /// println!("{:?} paid out on {:?}", receivable.amount, receivable.payout_date);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        payout_transaction_id: &crate::ids::PayoutTransactionId,
    ) -> Result<types::PayoutTransaction> {
        let id = validate::id("payout_transaction_id", payout_transaction_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_payout_transaction()
                    .payout_transaction_id(id.clone())
            })
            .await
    }
}

/// `GET /payout_transactions` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let mut page = client.payout_transactions().list().payout_id("7679-YW36").page_size(200).send().await?;
/// let mut all = std::mem::take(&mut page.items);
/// while let Some(cursor) = page.next_cursor().map(str::to_owned) {
///     page = client.payout_transactions().list().payout_id("7679-YW36").page_size(200).starting_after(cursor).send().await?;
///     all.append(&mut page.items);
/// }
/// # let _ = all;
/// # Ok(()) }
/// ```
pub type ListPayoutTransactions<'a> = ListRequest<'a, lists::GetPayoutTransactionsList>;

impl<'a> ListPayoutTransactions<'a> {
    /// Only the receivables paid out in this payout.
    pub fn payout_id(self, payout_id: impl Into<crate::ids::PayoutId>) -> Self {
        self.with_params(|p| p.payout_id = Some(payout_id.into()))
    }
}
