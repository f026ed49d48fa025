//! Customer examinations (与信枠審査): `client.customer_examinations()`.

use chrono::{DateTime, Datelike, FixedOffset};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, ErrorCode, Result,
};

/// The customer examination operations. Get one with
/// [`Client::customer_examinations`].
///
/// An examination is an application for a credit line (与信枠) for one
/// customer; it is decided within two business days and, when passed,
/// yields a credit facility ([`Client::credit_facilities`]).
///
/// ```no_run
/// use mfkessai::types::CustomerExaminationStatus;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let pending = client
///     .customer_examinations()
///     .list()
///     .status(CustomerExaminationStatus::Unexamined)
///     .send()
///     .await?;
/// println!("{} examinations pending", pending.items.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomerExaminations<'a> {
    client: &'a Client,
}

impl Client {
    /// Customer examinations (与信枠審査): applications for a credit line.
    pub fn customer_examinations(&self) -> CustomerExaminations<'_> {
        CustomerExaminations { client: self }
    }
}

impl<'a> CustomerExaminations<'a> {
    /// `GET /customer_examinations`: a filtered list; see
    /// [`ListCustomerExaminations`].
    pub fn list(self) -> ListCustomerExaminations<'a> {
        ListCustomerExaminations::new(self.client)
    }

    /// `POST /customer_examinations`: applies for a credit line. While an
    /// examination of the customer is pending, another answers 409. In the
    /// sandbox, `remark` set to `__passed__`, `__rejected__` or
    /// `__unexamined__` chooses the result.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::CustomerExaminationPayload) -> mfkessai::Result<()> {
    /// let examination = client.customer_examinations().create(payload).await?;
    /// println!("examination {:?}: {:?}", examination.id, examination.status);
    /// # Ok(()) }
    /// ```
    pub async fn create(
        self,
        payload: types::CustomerExaminationPayload,
    ) -> Result<types::CustomerExamination> {
        validate_examination_payload(&payload)?;
        crate::sandbox::refuse_in_production(self.client.environment(), &payload)?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .create_customer_examination()
                    .body(payload.clone())
            })
            .await
    }

    /// `GET /customer_examinations/{customer_examination_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let examination = client.customer_examinations().get(&"WNAV-37R6".into()).await?;
    /// println!("{:?} {:?}", examination.status, examination.amount);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        customer_examination_id: &crate::ids::CustomerExaminationId,
    ) -> Result<types::CustomerExamination> {
        let id = validate::id("customer_examination_id", customer_examination_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_customer_examination()
                    .customer_examination_id(id.clone())
            })
            .await
    }
}

/// What `create` checks before sending and the fake on receipt: the
/// generated limits (`raw::validation`), then the rules the spec cannot
/// express (`end_date` a month end, `corporate_number` 13 digits).
pub(crate) fn validate_examination_payload(p: &types::CustomerExaminationPayload) -> Result<()> {
    p.validate()?;
    // Only month ends can be chosen; which ones (the next three) depends on
    // the server's clock, so that part is left to the server.
    if p.end_date.succ_opt().is_some_and(|next| next.day() != 1) {
        return Err(crate::Error::validation(
            Some(ErrorCode::InvalidCustomerExaminationEndDate),
            Some(p.end_date.to_string()),
            "end_date must be the last day of a month",
        ));
    }
    // An empty corporate_number is how a form says "none"; only a value
    // that is there must be the 13-digit 法人番号.
    if let Some(number) = p.corporate_number.as_deref().filter(|n| !n.is_empty()) {
        if number.len() != 13 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(crate::Error::validation(
                Some(ErrorCode::InvalidCustomerExaminationCorporateNumber),
                Some(number.to_string()),
                "corporate_number must be 13 digits",
            ));
        }
    }
    Ok(())
}

/// `GET /customer_examinations` with filters. Newest first.
///
/// ```no_run
/// use mfkessai::types::CustomerExaminationStatus;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let since = chrono::DateTime::parse_from_rfc3339("2024-04-01T00:00:00+09:00").unwrap();
/// let page = client
///     .customer_examinations()
///     .list()
///     .customer_id("7679-YW36")
///     .status(CustomerExaminationStatus::Passed)
///     .created_at_from(since)
///     .send()
///     .await?;
/// # let _ = page;
/// # Ok(()) }
/// ```
pub type ListCustomerExaminations<'a> = ListRequest<'a, lists::GetCustomerExaminationsList>;

impl<'a> ListCustomerExaminations<'a> {
    /// Only the examinations of this customer.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only the examinations of the customer with this seller-chosen number.
    pub fn customer_number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.customer_number = Some(number.into()))
    }

    /// Only examinations in this state: pending (`Unexamined`), `Passed` or
    /// `Rejected`. One state per request.
    pub fn status(self, status: types::CustomerExaminationStatus) -> Self {
        self.with_params(|p| p.status = Some(status))
    }

    /// Applied for at or after this time (inclusive).
    pub fn created_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_from = Some(at))
    }

    /// Applied for at or before this time (inclusive).
    pub fn created_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_to = Some(at))
    }
}
