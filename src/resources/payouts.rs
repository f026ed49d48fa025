//! Payouts (振込): `client.payouts()`.

use chrono::NaiveDate;

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self},
    Client, Result,
};

/// The payout operations. Get one with [`Client::payouts`].
///
/// A payout is a transfer from Money Forward Kessai to the seller, once its
/// amount is settled; its receivables are listed by
/// [`Client::payout_transactions`] and its refunds by
/// [`Client::payout_refunds`].
///
/// ```no_run
/// use mfkessai::types::PayoutStatus as Status;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.payouts().list().status([Status::InProgress]).send().await?;
/// for payout in &page.items {
///     println!("{:?}: {:?} yen on {:?}", payout.id, payout.amount, payout.payout_date);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Payouts<'a> {
    client: &'a Client,
}

impl Client {
    /// Payouts (振込): the transfers Money Forward Kessai makes to the seller.
    pub fn payouts(&self) -> Payouts<'_> {
        Payouts { client: self }
    }
}

impl<'a> Payouts<'a> {
    /// `GET /payouts`: a filtered list; see [`ListPayouts`].
    pub fn list(self) -> ListPayouts<'a> {
        ListPayouts::new(self.client)
    }

    /// `GET /payouts/{payout_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let payout = client.payouts().get(&"7679-YW36".into()).await?;
    /// println!("{:?} yen, deductions {:?}", payout.amount, payout.deduction);
    /// # Ok(()) }
    /// ```
    pub async fn get(self, payout_id: &crate::ids::PayoutId) -> Result<types::Payout> {
        let id = validate::id("payout_id", payout_id.as_str())?;
        self.client
            .call(|| self.client.raw().get_payout().payout_id(id.clone()))
            .await
    }
}

/// `GET /payouts` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client
///     .payouts()
///     .list()
///     .payout_date_from(chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap())
///     .payout_date_to(chrono::NaiveDate::from_ymd_opt(2024, 4, 30).unwrap())
///     .send()
///     .await?;
/// # let _ = page;
/// # Ok(()) }
/// ```
pub type ListPayouts<'a> = ListRequest<'a, lists::GetPayoutsList>;

impl<'a> ListPayouts<'a> {
    /// Only payouts in one of these states: `InProgress` (振込手続中) or
    /// `Completed` (振込完了).
    pub fn status(self, statuses: impl IntoIterator<Item = types::PayoutStatus>) -> Self {
        self.with_params(|p| p.status = Some(statuses.into_iter().collect::<Vec<_>>()))
    }

    /// Scheduled payout date on or after this day (inclusive).
    pub fn payout_date_from(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.payout_date_from = Some(date))
    }

    /// Scheduled payout date on or before this day (inclusive).
    pub fn payout_date_to(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.payout_date_to = Some(date))
    }
}
