//! Destinations (請求先): `client.destinations()`.

use chrono::{DateTime, FixedOffset};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, Result,
};

/// The destination operations. Get one with [`Client::destinations`].
///
/// A destination is where a customer's invoices go (address, contact,
/// e-mail); a customer can have several.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client.destinations().list().customer_id("7679-YW36").send().await?;
/// for destination in &page.items {
///     println!("{:?} {:?}", destination.id, destination.email);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Destinations<'a> {
    client: &'a Client,
}

impl Client {
    /// Destinations (請求先): where a customer's invoices are sent.
    pub fn destinations(&self) -> Destinations<'_> {
        Destinations { client: self }
    }
}

impl<'a> Destinations<'a> {
    /// `GET /destinations`: a filtered list; see [`ListDestinations`].
    pub fn list(self) -> ListDestinations<'a> {
        ListDestinations::new(self.client)
    }

    /// `POST /destinations`: adds a destination to a customer. A destination
    /// identical to an existing one answers 409 with the existing id
    /// ([`crate::Error::existing_destination_id`]).
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::DestinationPayload) -> mfkessai::Result<()> {
    /// match client.destinations().create(payload).await {
    ///     Ok(created) => println!("destination {:?}", created.id),
    ///     Err(e) if e.is_conflict() => println!("already there: {:?}", e.existing_destination_id()),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create(self, payload: types::DestinationPayload) -> Result<types::Destination> {
        payload.validate()?;
        self.client
            .call(|| self.client.raw().create_destination().body(payload.clone()))
            .await
    }

    /// Like [`Destinations::create`], but a 409 `already_exists` (the same
    /// destination is already registered for the customer) resolves to the
    /// existing destination, whose id the server puts in `param`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::DestinationPayload) -> mfkessai::Result<()> {
    /// let destination = client.destinations().create_or_get(payload).await?;
    /// println!("{:?}", destination.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_or_get(
        self,
        payload: types::DestinationPayload,
    ) -> Result<types::Destination> {
        match self.create(payload).await {
            Err(e) => match e.existing_destination_id() {
                Some(existing) => self.get(&existing.into()).await,
                None => Err(e),
            },
            created => created,
        }
    }

    /// `GET /destinations/{destination_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let destination = client.destinations().get(&"WNAV-37R6".into()).await?;
    /// println!("{:?} {:?}", destination.name, destination.address1);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        destination_id: &crate::ids::DestinationId,
    ) -> Result<types::Destination> {
        let id = validate::id("destination_id", destination_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_destination()
                    .destination_id(id.clone())
            })
            .await
    }

    /// `PUT /destinations/{destination_id}`: replaces the whole destination,
    /// so send every field, not only the changed ones (an omitted optional
    /// field is cleared).
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let current = client.destinations().get(&"WNAV-37R6".into()).await?;
    /// let mut payload = mfkessai::types::DestinationUpdatePayload::new(
    ///     current.email,
    ///     current.tel,
    ///     current.zip_code,
    ///     current.address1,
    /// )
    /// .department("経理部")
    /// .cc_emails(current.cc_emails);
    /// // Keep the other optional fields as they are (PUT clears what is omitted).
    /// payload.address2 = current.address2;
    /// payload.name = current.name;
    /// payload.name_kana = current.name_kana;
    /// payload.title = current.title;
    /// let updated = client.destinations().update(&"WNAV-37R6".into(), payload).await?;
    /// # let _ = updated;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        self,
        destination_id: &crate::ids::DestinationId,
        payload: types::DestinationUpdatePayload,
    ) -> Result<types::Destination> {
        let id = validate::id("destination_id", destination_id.as_str())?;
        payload.validate()?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .update_destination()
                    .destination_id(id.clone())
                    .body(payload.clone())
            })
            .await
    }
}

/// `GET /destinations` with filters. Newest first.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let page = client
///     .destinations()
///     .list()
///     .customer_number("CUST-0001")
///     .page_size(100)
///     .send()
///     .await?;
/// if let Some(cursor) = page.next_cursor() {
///     let older = client.destinations().list().starting_after(cursor).send().await?;
///     # let _ = older;
/// }
/// # Ok(()) }
/// ```
pub type ListDestinations<'a> = ListRequest<'a, lists::GetDestinationsList>;

impl<'a> ListDestinations<'a> {
    /// Only the destinations of this customer. Combined with
    /// [`ListDestinations::customer_number`] of another customer, nothing
    /// matches.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only the destinations of the customer with this seller-chosen number.
    pub fn customer_number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.customer_number = Some(number.into()))
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
