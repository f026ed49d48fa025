//! Transactions (取引): `client.transactions()`.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, ErrorCode, Result,
};

/// The transaction operations. Get one with [`Client::transactions`].
///
/// A transaction is a sale to a customer, billed to one of its
/// destinations. It is examined (at once when it fits the customer's credit
/// facility), then grouped with others into a billing.
///
/// ```no_run
/// use mfkessai::types::TransactionStatus;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let rejected = client
///     .transactions()
///     .list()
///     .status(TransactionStatus::Rejected)
///     .send()
///     .await?;
/// for t in &rejected.items {
///     println!("{:?} {:?} {:?}", t.id, t.number, t.amount);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    client: &'a Client,
}

impl Client {
    /// Transactions (取引): register, look up and cancel sales.
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions { client: self }
    }
}

impl<'a> Transactions<'a> {
    /// `GET /transactions`: a filtered list; see [`ListTransactions`].
    pub fn list(self) -> ListTransactions<'a> {
        ListTransactions::new(self.client)
    }

    /// `POST /transactions`: registers a transaction. A `number` already used
    /// answers 409. In the sandbox, every detail `description` set to
    /// `__passed__`, `__rejected__` or `__unexamined__` chooses the result.
    ///
    /// Like every write, it is not resent once it may have reached the
    /// server. When the outcome is unknown (a timeout, a reset), look the
    /// transaction up with `list().number(..)` before sending it again.
    ///
    /// ```no_run
    /// use mfkessai::dec;
    /// use mfkessai::types::{
    ///     InvoiceDeliveryMethod, TaxIncludedType, TaxRateType, TransactionDetailPayload,
    ///     TransactionPayload,
    /// };
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let day = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d).unwrap();
    /// let detail =
    ///     TransactionDetailPayload::new("商品A", TaxIncludedType::Excluded, TaxRateType::Normal10)
    ///         .quantity(dec!(3))
    ///         .unit_price(dec!(1000))
    ///         .amount(dec!(3000));
    /// // Required fields are arguments; `money::TransactionLines` computes
    /// // details and amounts for you (see `TransactionPayload::with_lines`).
    /// let payload = TransactionPayload::new(
    ///     "TX-2024-0001",
    ///     "WNAV-37R6",
    ///     day(4, 10),
    ///     day(4, 20),
    ///     day(5, 31),
    ///     [InvoiceDeliveryMethod::Email],
    ///     [detail],
    /// )
    /// .amount(3300);
    /// let transaction = client.transactions().create(payload).await?;
    /// println!("{} is {:?}", transaction.id, transaction.status);
    /// # Ok(()) }
    /// ```
    pub async fn create(self, payload: types::TransactionPayload) -> Result<types::Transaction> {
        self.check(&payload)?;
        self.client
            .call(|| self.client.raw().create_transaction().body(payload.clone()))
            .await
    }

    /// Like [`Transactions::create`], but safe to retry: after a timeout, a
    /// reset or a 5xx (the request may have been processed) or a 409, it
    /// looks the transaction up by its `number` and returns it if it exists,
    /// and sends the creation again only if it does not. So a transaction is
    /// never registered twice, and never lost to an ambiguous failure.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client, payload: mfkessai::types::TransactionPayload) -> mfkessai::Result<()> {
    /// let transaction = client.transactions().create_idempotent(payload).await?;
    /// # let _ = transaction; Ok(()) }
    /// ```
    pub async fn create_idempotent(
        self,
        payload: types::TransactionPayload,
    ) -> Result<types::Transaction> {
        self.check(&payload)?;
        self.client
            .create_by_number(
                &payload.number,
                || self.client.raw().create_transaction().body(payload.clone()),
                |client, number| async move {
                    let list = client.transactions().list().number(number).page_size(1);
                    list.send().await
                },
                |found| Some(found.number.as_str()),
            )
            .await
    }

    /// What `create` checks before sending.
    fn check(self, payload: &types::TransactionPayload) -> Result<()> {
        validate_transaction_payload(payload)?;
        crate::sandbox::refuse_in_production(self.client.environment(), payload)
    }

    /// `GET /transactions/{transaction_id}`.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let transaction = client.transactions().get(&"GY9N-EWNM".into()).await?;
    /// println!("{:?}, billing {:?}", transaction.status, transaction.billing_id);
    /// # Ok(()) }
    /// ```
    pub async fn get(
        self,
        transaction_id: &crate::ids::TransactionId,
    ) -> Result<types::Transaction> {
        let id = validate::id("transaction_id", transaction_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .get_transaction()
                    .transaction_id(id.clone())
            })
            .await
    }

    /// `DELETE /transactions/{transaction_id}`: cancels the transaction and
    /// returns it. Some states cannot be canceled
    /// ([`ErrorCode::NotCancelableTransactionStatus`]); a transaction already
    /// canceled answers 409.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// match client.transactions().cancel(&"GY9N-EWNM".into()).await {
    ///     Ok(t) => println!("canceled at {:?}", t.canceled_at),
    ///     Err(e) if e.is_conflict() => println!("was already canceled"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn cancel(
        self,
        transaction_id: &crate::ids::TransactionId,
    ) -> Result<types::Transaction> {
        let id = validate::id("transaction_id", transaction_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .cancel_transaction()
                    .transaction_id(id.clone())
            })
            .await
    }
}

/// What `create` checks before sending and the fake on receipt: the
/// generated limits (`raw::validation`), then the rules the spec cannot
/// express (no blank tax enum, `authorization_id` xor
/// `canceled_transaction_id`, no delivery method twice). Sums (details against `amounts_per_tax_rate_type`
/// against `amount`) depend on the tax rounding the server applies, so they
/// are left to it.
pub(crate) fn validate_transaction_payload(p: &types::TransactionPayload) -> Result<()> {
    p.validate()?;
    for (i, a) in p.amounts_per_tax_rate_type.iter().enumerate() {
        if a.tax_rate_type == types::TaxRateType::Empty {
            return Err(blank_enum(
                ErrorCode::InvalidAmountPerTaxRateTypeTaxRateType,
                &format!("amounts_per_tax_rate_type[{i}].tax_rate_type"),
            ));
        }
    }
    if p.authorization_id.is_some() && p.canceled_transaction_id.is_some() {
        // The reference documents `param` as the transaction number here.
        return Err(crate::Error::validation(
            Some(ErrorCode::InvalidTransactionMultipleInheritableOptions),
            Some(p.number.clone()),
            "authorization_id and canceled_transaction_id cannot be used together",
        ));
    }
    validate::distinct_delivery_methods(
        ErrorCode::InvalidTransactionDuplicateInvoiceDeliveryMethod,
        &p.invoice_delivery_methods,
    )?;
    for (i, d) in p.transaction_details.iter().enumerate() {
        validate_detail(&format!("transaction_details[{i}]"), d)?;
    }
    Ok(())
}

/// A detail line's rule the spec cannot express: `""` exists in these enums
/// only so old transactions decode; the server refuses it in a request. The
/// limits are the generated ones (`TransactionPayload::validate` checks every
/// line).
pub(crate) fn validate_detail(field: &str, d: &types::TransactionDetailPayload) -> Result<()> {
    if d.tax_included_type == types::TaxIncludedType::Empty {
        return Err(blank_enum(
            ErrorCode::InvalidTransactionDetailTaxIncludedType,
            &format!("{field}.tax_included_type"),
        ));
    }
    if d.tax_rate_type == types::TaxRateType::Empty {
        return Err(blank_enum(
            ErrorCode::InvalidTransactionDetailTaxRateType,
            &format!("{field}.tax_rate_type"),
        ));
    }
    Ok(())
}

fn blank_enum(code: ErrorCode, field: &str) -> crate::Error {
    crate::Error::validation(
        Some(code),
        Some(String::new()),
        format!("{field} must be set: the empty value only appears in old records"),
    )
}

/// `GET /transactions` with filters. Newest first.
///
/// Every `*_from`/`*_to` bound is inclusive except
/// [`ListTransactions::amount_to`], which is exclusive.
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// // Transactions of April 2024 from 10,000 yen up to (not including) 50,000 yen.
/// let page = client
///     .transactions()
///     .list()
///     .date_from(chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap())
///     .date_to(chrono::NaiveDate::from_ymd_opt(2024, 4, 30).unwrap())
///     .amount_from(10_000)
///     .amount_to(50_000)
///     .page_size(200)
///     .send()
///     .await?;
/// if let Some(cursor) = page.next_cursor() {
///     let older = client.transactions().list().starting_after(cursor).send().await?;
///     # let _ = older;
/// }
/// # Ok(()) }
/// ```
pub type ListTransactions<'a> = ListRequest<'a, lists::GetTransactionsList>;

impl<'a> ListTransactions<'a> {
    /// Only the transaction with this seller-chosen number.
    pub fn number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.number = Some(number.into()))
    }

    /// Only the transactions of this customer.
    pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
        self.with_params(|p| p.customer_id = Some(customer_id.into()))
    }

    /// Only the transactions of the customer with this seller-chosen number.
    pub fn customer_number(self, number: impl Into<String>) -> Self {
        self.with_params(|p| p.customer_number = Some(number.into()))
    }

    /// Only the transactions grouped into this billing.
    pub fn billing_id(self, billing_id: impl Into<crate::ids::BillingId>) -> Self {
        self.with_params(|p| p.billing_id = Some(billing_id.into()))
    }

    /// Only transactions in this state: under examination (`Unexamined`),
    /// `Passed`, `Rejected` or `Canceled`. One state per request.
    pub fn status(self, status: types::TransactionStatus) -> Self {
        self.with_params(|p| p.status = Some(status))
    }

    /// Only transactions that are (`true`) or are not (`false`) billed
    /// (請求対象).
    pub fn billing(self, billed: bool) -> Self {
        self.with_params(|p| p.billing = Some(billed))
    }

    /// Transaction date on or after this day (inclusive).
    pub fn date_from(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.date_from = Some(date))
    }

    /// Transaction date on or before this day (inclusive).
    pub fn date_to(self, date: NaiveDate) -> Self {
        self.with_params(|p| p.date_to = Some(date))
    }

    /// Registered at or after this time (inclusive).
    pub fn created_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_from = Some(at))
    }

    /// Registered at or before this time (inclusive).
    pub fn created_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.created_at_to = Some(at))
    }

    /// Canceled at or after this time (inclusive).
    pub fn canceled_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.canceled_at_from = Some(at))
    }

    /// Canceled at or before this time (inclusive).
    pub fn canceled_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.canceled_at_to = Some(at))
    }

    /// Receivable taken over by Money Forward Kessai (債権譲受) at or after
    /// this time (inclusive).
    pub fn accepted_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.accepted_at_from = Some(at))
    }

    /// Receivable taken over (債権譲受) at or before this time (inclusive).
    pub fn accepted_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.accepted_at_to = Some(at))
    }

    /// Billing request received (請求依頼受領) at or after this time
    /// (inclusive).
    pub fn billing_accepted_at_from(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.billing_accepted_at_from = Some(at))
    }

    /// Billing request received (請求依頼受領) at or before this time
    /// (inclusive).
    pub fn billing_accepted_at_to(self, at: DateTime<FixedOffset>) -> Self {
        self.with_params(|p| p.billing_accepted_at_to = Some(at))
    }

    /// Amount (tax included) of at least this many yen (inclusive:
    /// `amount >= amount_from`).
    pub fn amount_from(self, yen: i64) -> Self {
        self.with_params(|p| p.amount_from = Some(yen))
    }

    /// Amount (tax included) below this many yen (**exclusive**:
    /// `amount < amount_to`). Unlike every other `*_to` filter, a
    /// transaction of exactly this amount is not returned.
    pub fn amount_to(self, yen: i64) -> Self {
        self.with_params(|p| p.amount_to = Some(yen))
    }
}
