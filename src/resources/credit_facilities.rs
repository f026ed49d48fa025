//! Credit facilities (与信枠): `client.credit_facilities()`.

use chrono::NaiveDate;

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self},
    Client, Result,
};

/// The credit facility operations. Get one with
/// [`Client::credit_facilities`].
///
/// A credit facility is a customer's credit line: transactions within its
/// balance and its period are registered without an examination. Facilities
/// are granted by examinations, so they are only read here.
///
/// ```no_run
/// use mfkessai::types::CreditFacilityStatus as Status;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client
///     .credit_facilities()
///     .list()
///     .customer_id("7679-YW36")
///     .status([Status::Active])
///     .send()
///     .await?;
/// for facility in &page.items {
///     println!("{:?}: {:?} left", facility.id, facility.balance);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CreditFacilities<'a> {
    client: &'a Client,
}

impl Client {
    /// Credit facilities (与信枠): the credit lines granted to customers.
    pub fn credit_facilities(&self) -> CreditFacilities<'_> {
        CreditFacilities { client: self }
    }
}

impl<'a> CreditFacilities<'a> {
    /// `GET /credit_facilities`: a filtered list; see
    /// [`ListCreditFacilities`].
    pub fn list(self) -> ListCreditFacilities<'a> {
        ListCreditFacilities::new(self.client)
    }

    /// `GET /credit_facilities/{credit_facility_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let facility = client.credit_facilities().get(&"Y69N-PWRN".into()).await?;
    /// println!("{:?} of {:?}, until {:?}", facility.balance, facility.amount, facility.end_date);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        credit_facility_id: &crate::ids::CreditFacilityId,
    ) -> Result<types::CreditFacility> {
        let id = validate::id("credit_facility_id", credit_facility_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_credit_facility()
                    .credit_facility_id(id.clone())
            })
            .await
    }
}

/// `GET /credit_facilities` with filters. Newest first.
///
/// The date filters bound the facility's period of use: `start_date_*` its
/// first day, `end_date_*` its last day.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// // Facilities still usable on 2024-06-30.
/// let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
/// let page = client
///     .credit_facilities()
///     .list()
///     .start_date_to(day)
///     .end_date_from(day)
///     .page_size(200)
///     .send()
///     .await?;
/// # let _ = page;
/// # Ok(()) }
/// ```
pub type ListCreditFacilities<'a> = ListRequest<'a, lists::GetCreditFacilitiesList>;

impl<'a> ListCreditFacilities<'a> {
    /// Only the facilities of this customer.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only the facilities of the customer with this seller-chosen number.
    pub fn customer_number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.customer_number = Some(number.into()))
    }

    /// Only the facility granted by this examination.
    pub fn customer_examination_id(
        self,
        examination_id: impl Into<crate::ids::CustomerExaminationId>,
    ) -> Self {
        self.with_params(|p| p.customer_examination_id = Some(examination_id.into()))
    }

    /// Only facilities in one of these states: `Active` (in use),
    /// `Inactive` (not yet in use) or `Expired`.
    pub fn status(self, statuses: impl IntoIterator<Item = types::CreditFacilityStatus>) -> Self {
        self.with_params(|p| p.status = Some(statuses.into_iter().collect::<Vec<_>>()))
    }

    /// Period starting on or after this date (inclusive).
    pub fn start_date_from(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.start_date_from = Some(date))
    }

    /// Period starting on or before this date (inclusive).
    pub fn start_date_to(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.start_date_to = Some(date))
    }

    /// Period ending on or after this date (inclusive).
    pub fn end_date_from(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.end_date_from = Some(date))
    }

    /// Period ending on or before this date (inclusive).
    pub fn end_date_to(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.end_date_to = Some(date))
    }
}
