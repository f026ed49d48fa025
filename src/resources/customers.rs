//! Customers (顧客): `client.customers()`.

use chrono::{DateTime, FixedOffset};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, ErrorCode, Result,
};

/// The customer operations. Get one with [`Client::customers`].
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.customers().list().has_alert(true).page_size(50).send().await?;
/// for customer in &page.items {
///     println!("{:?} {:?}", customer.id, customer.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Customers<'a> {
    client: &'a Client,
}

impl Client {
    /// Customers (顧客): register, look up, update, and set payment methods.
    pub fn customers(&self) -> Customers<'_> {
        Customers { client: self }
    }
}

impl<'a> Customers<'a> {
    /// `GET /customers`: a filtered list; see [`ListCustomers`].
    pub fn list(self) -> ListCustomers<'a> {
        ListCustomers::new(self.client)
    }

    /// `POST /customers`: registers a customer with its first destination.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::CustomerPayload) -> mfkessai::Result<()> {
    /// let created = client.customers().create(payload).await?;
    /// println!("customer {}, destination {}", created.customer.id, created.destination.id);
    /// # Ok(()) }
    /// ```
    pub async fn create(
        self,
        payload: types::CustomerPayload,
    ) -> Result<types::CreateCustomerResponse> {
        self.check(&payload)?;
        self.client
            .call(|| self.client.raw().create_customer().body(payload.clone()))
            .await
    }

    /// Like [`Customers::create`], but safe to retry: after an ambiguous
    /// failure (timeout, reset, 5xx) or a 409 it looks the customer up by its
    /// `number` and returns it (with its oldest destination, the one created
    /// with it) if it exists, and creates it again only if it does not.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::CustomerPayload) -> mfkessai::Result<()> {
    /// let created = client.customers().create_idempotent(payload).await?;
    /// # let _ = created; Ok(()) }
    /// ```
    pub async fn create_idempotent(
        self,
        payload: types::CustomerPayload,
    ) -> Result<types::CreateCustomerResponse> {
        self.check(&payload)?;
        let number = &payload.number;
        crate::idempotent::check_number("number", number)?;
        self.client
            .create_or_find(
                number,
                || self.client.raw().create_customer().body(payload.clone()),
                |client: Client| async move {
                    let customers = client.customers();
                    let page = customers.list().number(number).page_size(1).send().await?;
                    let Some(customer) = crate::idempotent::with_number(page.items, number, |c| {
                        Some(c.number.as_str())
                    }) else {
                        return Ok(None);
                    };
                    // A customer always has a destination; if none is listed
                    // yet, the lookup has not caught up: the outcome stays
                    // unknown rather than a second creation.
                    let Some(destination) = customers.first_destination(&customer).await? else {
                        return Ok(None);
                    };
                    Ok(Some(types::CreateCustomerResponse {
                        customer,
                        destination,
                    }))
                },
            )
            .await
    }

    /// What `create` checks before sending.
    fn check(self, payload: &types::CustomerPayload) -> Result<()> {
        payload.validate()?;
        crate::sandbox::refuse_in_production(self.client.environment(), payload)
    }

    /// The destination registered with the customer: its oldest. Lists are
    /// newest first, so it is the last item of the whole list, however many
    /// destinations were added since. Only those created within an hour of
    /// the customer are asked for (the first one is stamped a moment after
    /// the customer, in the same request), which is usually a single page.
    async fn first_destination(
        self,
        customer: &types::Customer,
    ) -> Result<Option<types::Destination>> {
        use futures::TryStreamExt;
        let list = self
            .client
            .destinations()
            .list()
            .customer_id(&customer.id)
            .created_at_to(customer.created_at + chrono::Duration::hours(1));
        list.stream()
            .try_fold(None, |_, destination| async move { Ok(Some(destination)) })
            .await
    }

    /// `GET /customers/{customer_id}`.
    pub async fn get(self, customer_id: &crate::ids::CustomerId) -> Result<types::Customer> {
        let id = validate::id("customer_id", customer_id.as_str())?;
        self.client
            .call(|| self.client.raw().get_customer().customer_id(id.clone()))
            .await
    }

    /// `PATCH /customers/{customer_id}`: only `number` can change.
    pub async fn update(
        self,
        customer_id: &crate::ids::CustomerId,
        payload: types::CustomerUpdatePayload,
    ) -> Result<types::Customer> {
        let id = validate::id("customer_id", customer_id.as_str())?;
        payload.validate()?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .update_customer()
                    .customer_id(id.clone())
                    .body(payload.clone())
            })
            .await
    }

    /// `POST /customers/{customer_id}/bank_transfer`: assigns a bank transfer
    /// account (振込先口座) to the customer.
    pub async fn assign_bank_transfer(
        self,
        customer_id: &crate::ids::CustomerId,
    ) -> Result<types::BankTransfer> {
        let id = validate::id("customer_id", customer_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .assign_bank_transfer()
                    .customer_id(id.clone())
            })
            .await
    }

    /// `POST /customers/{customer_id}/account_transfer_request`: asks the
    /// customer to register for account transfer (口座振替). A second request
    /// within an hour answers 409.
    pub async fn request_account_transfer(
        self,
        customer_id: &crate::ids::CustomerId,
        payload: types::AccountTransferRequestPayload,
    ) -> Result<types::AccountTransferRequest> {
        let id = validate::id("customer_id", customer_id.as_str())?;
        payload.validate()?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .request_account_transfer()
                    .customer_id(id.clone())
                    .body(payload.clone())
            })
            .await
    }
}

/// `GET /customers` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let since = chrono::DateTime::parse_from_rfc3339("2024-04-01T00:00:00+09:00").unwrap();
/// let page = client.customers().list().created_at_from(since).page_size(200).send().await?;
/// if let Some(cursor) = page.next_cursor() {
///     let older = client.customers().list().starting_after(cursor).send().await?;
///     # let _ = older;
/// }
/// # Ok(()) }
/// ```
pub type ListCustomers<'a> = ListRequest<'a, lists::GetCustomersList>;

impl<'a> ListCustomers<'a> {
    /// Only the customer with this seller-chosen number.
    pub fn number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.number = Some(number.into()))
    }

    /// Only these customer ids (at most 200).
    pub fn ids<I, S>(self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<crate::ids::CustomerId>,
    {
        let ids: Vec<crate::ids::CustomerId> = ids.into_iter().map(Into::into).collect();
        let checked = validate::ids(ErrorCode::InvalidCustomerIds, &ids);
        let list = self.with_params(|p| p.ids = Some(ids));
        match checked {
            Ok(()) => list,
            Err(e) => list.refuse(e),
        }
    }

    /// Only customers with these payment methods.
    pub fn payment_methods(
        self,
        methods: impl IntoIterator<Item = types::PaymentMethodType>,
    ) -> Self {
        self.with_params(|p| p.payment_method = Some(methods.into_iter().collect::<Vec<_>>()))
    }

    /// Only customers with (or without) an alert (未入金などのアラート).
    pub fn has_alert(self, has_alert: bool) -> Self {
        self.with_params(|p| p.has_alert = Some(has_alert))
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
