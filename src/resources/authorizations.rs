//! Authorizations (オーソリゼーション): `client.authorizations()`.

use chrono::{DateTime, FixedOffset};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, Result,
};

/// The authorization operations. Get one with [`Client::authorizations`].
///
/// An authorization reserves part of a customer's credit facility ahead of
/// a sale; a transaction registered later with its `authorization_id` (by
/// its `expiration_date`, due no later than its `max_due_date`) uses the
/// reservation instead of a new examination.
///
/// ```no_run
/// use mfkessai::types::AuthorizationStatus;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let active = client
///     .authorizations()
///     .list()
///     .customer_id("W463-AA6V")
///     .status(AuthorizationStatus::Active)
///     .send()
///     .await?;
/// for a in &active.items {
///     println!("{:?}: {:?} yen until {:?}", a.id, a.amount, a.expiration_date);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Authorizations<'a> {
    client: &'a Client,
}

impl Client {
    /// Authorizations (オーソリゼーション): credit reserved ahead of a sale.
    pub fn authorizations(&self) -> Authorizations<'_> {
        Authorizations { client: self }
    }
}

impl<'a> Authorizations<'a> {
    /// `GET /authorizations`: a filtered list; see [`ListAuthorizations`].
    pub fn list(self) -> ListAuthorizations<'a> {
        ListAuthorizations::new(self.client)
    }

    /// `POST /authorizations`: reserves `amount` yen (tax included) of the
    /// customer's credit facility. A `number` already used answers 409.
    ///
    /// ```no_run
    /// use mfkessai::types::AuthorizationPayload;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let payload = AuthorizationPayload::new("W463-AA6V", "AUTH-0001", 10_000);
    /// let authorization = client.authorizations().create(payload).await?;
    /// println!("{:?} until {:?}", authorization.id, authorization.expiration_date);
    /// # Ok(()) }
    /// ```
    pub async fn create(
        self,
        payload: types::AuthorizationPayload,
    ) -> Result<types::Authorization> {
        check(&payload)?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .create_authorization()
                    .body(payload.clone())
            })
            .await
    }

    /// Like [`Authorizations::create`], but safe to retry: after an
    /// ambiguous failure (timeout, reset, 5xx) or a 409 it looks the
    /// authorization up by its `number`, returns it if it exists, and creates
    /// it again only if it does not.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::AuthorizationPayload) -> mfkessai::Result<()> {
    /// let authorization = client.authorizations().create_idempotent(payload).await?;
    /// # let _ = authorization; Ok(()) }
    /// ```
    pub async fn create_idempotent(
        self,
        payload: types::AuthorizationPayload,
    ) -> Result<types::Authorization> {
        check(&payload)?;
        self.client
            .create_by_number(
                &payload.number,
                || {
                    self.client
                        .raw()
                        .create_authorization()
                        .body(payload.clone())
                },
                |client, number| async move {
                    let list = client.authorizations().list().number(number).page_size(1);
                    list.send().await
                },
                |found| Some(found.number.as_str()),
            )
            .await
    }

    /// `GET /authorizations/{authorization_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let authorization = client.authorizations().get(&"WNAV-37R6".into()).await?;
    /// println!("{:?}, used by {:?}", authorization.status, authorization.transaction_id);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        authorization_id: &crate::ids::AuthorizationId,
    ) -> Result<types::Authorization> {
        let id = validate::id("authorization_id", authorization_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_authorization()
                    .authorization_id(id.clone())
            })
            .await
    }

    /// `DELETE /authorizations/{authorization_id}`: releases the reserved
    /// credit and returns the canceled authorization. One that cannot be
    /// canceled any more (e.g. already used by a transaction) answers 409.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let canceled = client.authorizations().cancel(&"WNAV-37R6".into()).await?;
    /// println!("canceled at {:?}", canceled.canceled_at);
    /// # Ok(()) }
    /// ```
    pub async fn cancel(
        self,
        authorization_id: &crate::ids::AuthorizationId,
    ) -> Result<types::Authorization> {
        let id = validate::id("authorization_id", authorization_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .cancel_authorization()
                    .authorization_id(id.clone())
            })
            .await
    }
}

/// `GET /authorizations` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.authorizations().list().number("AUTH-0001").send().await?;
/// let found = page.items.first();
/// # let _ = found;
/// # Ok(()) }
/// ```
pub type ListAuthorizations<'a> = ListRequest<'a, lists::GetAuthorizationsList>;

impl<'a> ListAuthorizations<'a> {
    /// Only the authorizations of this customer.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only the authorization with this seller-chosen number.
    pub fn number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.number = Some(number.into()))
    }

    /// Only authorizations in this state: `Active`, `Expired`, `Captured`
    /// (used by a transaction) or `Canceled`. One state per request.
    pub fn status(self, status: types::AuthorizationStatus) -> Self {
        self.with_params(|p| p.status = Some(status))
    }

    /// Created at or after this time (inclusive).
    pub fn created_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_from = Some(at))
    }

    /// Created at or before this time (inclusive).
    pub fn created_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_to = Some(at))
    }
}

/// What `create` checks before sending, and what the fake checks on receipt
/// (one definition for both).
pub(crate) fn check(p: &types::AuthorizationPayload) -> Result<()> {
    p.validate()
}
