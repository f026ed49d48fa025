//! Customer name updates (顧客名変更申請): `client.customer_name_updates()`.

use chrono::{DateTime, FixedOffset};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, Result,
};

/// The customer name update operations. Get one with
/// [`Client::customer_name_updates`].
///
/// A customer's name cannot be edited directly: a change is requested, then
/// examined (usually within two business days), and the name changes when
/// it passes.
///
/// ```no_run
/// use mfkessai::types::CustomerNameUpdateStatus;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let pending = client
///     .customer_name_updates()
///     .list()
///     .status(CustomerNameUpdateStatus::Unexamined)
///     .send()
///     .await?;
/// for request in &pending.items {
///     println!("{:?} -> {:?}", request.customer_id, request.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomerNameUpdates<'a> {
    client: &'a Client,
}

impl Client {
    /// Customer name updates (顧客名変更申請): requests to rename a customer.
    pub fn customer_name_updates(&self) -> CustomerNameUpdates<'_> {
        CustomerNameUpdates { client: self }
    }
}

impl<'a> CustomerNameUpdates<'a> {
    /// `GET /customer_name_updates`: a filtered list; see
    /// [`ListCustomerNameUpdates`].
    pub fn list(self) -> ListCustomerNameUpdates<'a> {
        ListCustomerNameUpdates::new(self.client)
    }

    /// `POST /customer_name_updates`: requests a new name for a customer.
    /// While a request for the customer is under examination, another
    /// answers 409.
    ///
    /// ```no_run
    /// use mfkessai::types::CustomerNameUpdatePayload;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let payload =
    ///     CustomerNameUpdatePayload::new("W463-AA6V", "マネーフォワードケッサイ株式会社", "社名変更のため");
    /// let request = client.customer_name_updates().create(payload).await?;
    /// println!("{} is {:?}", request.id, request.status);
    /// # Ok(()) }
    /// ```
    pub async fn create(
        self,
        payload: types::CustomerNameUpdatePayload,
    ) -> Result<types::CustomerNameUpdate> {
        payload.validate()?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .create_customer_name_update()
                    .body(payload.clone())
            })
            .await
    }

    /// `GET /customer_name_updates/{customer_name_update_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let request = client.customer_name_updates().get(&"WNAV-37R6".into()).await?;
    /// println!("{:?}", request.status);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        customer_name_update_id: &crate::ids::CustomerNameUpdateId,
    ) -> Result<types::CustomerNameUpdate> {
        let id = validate::id("customer_name_update_id", customer_name_update_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_customer_name_update()
                    .customer_name_update_id(id.clone())
            })
            .await
    }

    /// `DELETE /customer_name_updates/{customer_name_update_id}`: withdraws a
    /// request still under examination and returns it. One already examined
    /// or canceled answers 409.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let withdrawn = client.customer_name_updates().cancel(&"WNAV-37R6".into()).await?;
    /// println!("{:?}", withdrawn.status);
    /// # Ok(()) }
    /// ```
    pub async fn cancel(
        self,
        customer_name_update_id: &crate::ids::CustomerNameUpdateId,
    ) -> Result<types::CustomerNameUpdate> {
        let id = validate::id("customer_name_update_id", customer_name_update_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .cancel_customer_name_update()
                    .customer_name_update_id(id.clone())
            })
            .await
    }
}

/// `GET /customer_name_updates` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client
///     .customer_name_updates()
///     .list()
///     .customer_id("W463-AA6V")
///     .page_size(10)
///     .send()
///     .await?;
/// # let _ = page;
/// # Ok(()) }
/// ```
pub type ListCustomerNameUpdates<'a> = ListRequest<'a, lists::GetCustomerNameUpdatesList>;

impl<'a> ListCustomerNameUpdates<'a> {
    /// Only the requests for this customer.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only requests in this state: under examination (`Unexamined`),
    /// `Passed` or `Rejected`. One state per request; canceled requests
    /// cannot be filtered for.
    pub fn status(self, status: types::CustomerNameUpdateStatus) -> Self {
        self.with_params(|p| p.status = Some(status))
    }

    /// Requested at or after this time (inclusive).
    pub fn created_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_from = Some(at))
    }

    /// Requested at or before this time (inclusive).
    pub fn created_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_to = Some(at))
    }
}
