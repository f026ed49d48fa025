//! Billings (請求): `client.billings()`.

use chrono::NaiveDate;

use crate::{
    pagination::ListRequest,
    raw::{lists, types},
    validate::{self, Validate},
    Client, ErrorCode, Result,
};

/// The billing operations. Get one with [`Client::billings`].
///
/// A billing groups the transactions that share a destination, due date,
/// issue date and registration method; it is what an invoice (請求書) or an
/// account-transfer notice (口座振替通知書) is issued for. Sellers in
/// invoice mode (インボイスモード, the qualified-invoice system) list theirs
/// with [`Billings::list_qualified`], others with [`Billings::list`].
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let overdue = client.billings().list_qualified().unpaid(true).send().await?;
/// for billing in &overdue.items {
///     println!("{:?} due {:?}: {:?}", billing.id, billing.due_date, billing.unpaid);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Billings<'a> {
    client: &'a Client,
}

impl Client {
    /// Billings (請求): the groups of transactions invoices are issued for.
    pub fn billings(&self) -> Billings<'_> {
        Billings { client: self }
    }
}

impl<'a> Billings<'a> {
    /// `GET /billings`: the billings of the 区分記載請求書 mode (before the
    /// qualified-invoice system); see [`ListBillings`].
    pub fn list(self) -> ListBillings<'a> {
        ListBillings::new(self.client)
    }

    /// `GET /billings/qualified`: the billings of invoice mode
    /// (インボイスモード), including those left with no billable transaction
    /// and those whose transactions are all still under examination; see
    /// [`ListQualifiedBillings`].
    pub fn list_qualified(self) -> ListQualifiedBillings<'a> {
        ListQualifiedBillings::new(self.client)
    }

    /// `GET /billings/{billing_id}`, in any invoice mode.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let billing = client.billings().get(&"7679-YW36".into()).await?;
    /// println!("{:?} yen, {:?}", billing.amount, billing.status);
    /// # Ok(()) }
    /// ```
    pub async fn get(self, billing_id: &crate::ids::BillingId) -> Result<types::Billing> {
        let id = validate::id("billing_id", billing_id.as_str())?;
        self.client
            .call(|| self.client.raw().get_billing().billing_id(id.clone()))
            .await
    }

    /// `POST /billings/{billing_id}/reissue`: issues the billing's invoice or
    /// account-transfer notice again (the same kind as the last one), to the
    /// given destination of the same customer, by post and/or e-mail.
    ///
    /// ```no_run
    /// use mfkessai::types::{InvoiceDeliveryMethod, ReissuingPayload};
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let payload = ReissuingPayload::new("WNAV-37R6", [InvoiceDeliveryMethod::Email]);
    /// let reissued = client.billings().reissue(&"7679-YW36".into(), payload).await?;
    /// println!("{:?}", reissued.type_);
    /// # Ok(()) }
    /// ```
    pub async fn reissue(
        self,
        billing_id: &crate::ids::BillingId,
        payload: types::ReissuingPayload,
    ) -> Result<types::ReissuingResponse> {
        let id = validate::id("billing_id", billing_id.as_str())?;
        check_reissue(&payload)?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .reissue_billing()
                    .billing_id(id.clone())
                    .body(payload.clone())
            })
            .await
    }

    /// `POST /billings/{billing_id}/upload_signed_url`: a short-lived URL to
    /// upload a file attached to the billing (請求付記ファイル). POST the file
    /// to the returned `url` before `expires_at`; that host takes no API
    /// key. Only for sellers the vendor enabled it for (403 otherwise).
    ///
    /// ```no_run
    /// use mfkessai::types::{UploadSignedUrlPayload, UploadSignedUrlPayloadContentType};
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let payload = UploadSignedUrlPayload::new(UploadSignedUrlPayloadContentType::ApplicationPdf);
    /// let target = client.billings().upload_url(&"7679-YW36".into(), payload).await?;
    /// println!("upload to {:?} before {:?}", target.url, target.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn upload_url(
        self,
        billing_id: &crate::ids::BillingId,
        payload: types::UploadSignedUrlPayload,
    ) -> Result<types::UploadSignedUrl> {
        let id = validate::id("billing_id", billing_id.as_str())?;
        self.client
            .call(|| {
                self.client
                    .raw()
                    .create_upload_signed_url()
                    .billing_id(id.clone())
                    .body(payload.clone())
            })
            .await
    }

    /// `GET /billings/{billing_id}/issues`: the invoices and account-transfer
    /// notices issued for the billing. The API returns them all at once (no
    /// pagination), so this returns the items.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// for issue in client.billings().issues(&"7679-YW36".into()).await? {
    ///     println!("{:?} {:?} issued {:?}", issue.id, issue.type_, issue.created_at);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn issues(self, billing_id: &crate::ids::BillingId) -> Result<Vec<types::Issue>> {
        let id = validate::id("billing_id", billing_id.as_str())?;
        let list = self
            .client
            .call(|| {
                self.client
                    .raw()
                    .get_billing_issues_list()
                    .billing_id(id.clone())
            })
            .await?;
        Ok(list.items)
    }

    /// `POST /billings/{billing_id}/issues/{issue_id}/download_signed_url`:
    /// short-lived URLs to download an issued document. `issue_id` is an
    /// [`types::Issue`] id from [`Billings::issues`] as is, with its type
    /// prefix and slash (`i/79NR-AP96` for an invoice, `a/…` for an
    /// account-transfer notice). GET each `signed_url` before `expired_at`;
    /// that host takes no API key.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let billings = client.billings();
    /// for issue in billings.issues(&"7679-YW36".into()).await? {
    ///     for url in billings.download_url(&"7679-YW36".into(), &issue.id).await? {
    ///         println!("{:?}: {:?}", url.type_, url.signed_url);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn download_url(
        self,
        billing_id: &crate::ids::BillingId,
        issue_id: &crate::ids::IssueId,
    ) -> Result<Vec<types::DownloadSignedUrl>> {
        let billing = validate::id("billing_id", billing_id.as_str())?;
        let issue = validate::issue_id(issue_id.as_str())?;
        let list = self
            .client
            .call(|| {
                self.client
                    .raw()
                    .create_download_signed_url()
                    .billing_id(billing.clone())
                    .issue_id(issue.clone())
            })
            .await?;
        Ok(list.items)
    }
}

/// `GET /billings` and `GET /billings/qualified` take the same filters and
/// differ only in the invoice mode they cover (and in the generated types),
/// so one definition serves both list requests.
macro_rules! billing_list {
    (
        $(#[$doc:meta])*
        $name:ident = $op:ident
    ) => {
        $(#[$doc])*
        pub type $name<'a> = ListRequest<'a, lists::$op>;

        impl<'a> $name<'a> {
            /// Only the billings of this customer.
            pub fn customer_id(self, customer_id: impl Into<crate::ids::CustomerId>) -> Self {
                self.with_params(|p| p.customer_id = Some(customer_id.into()))
            }

            /// Only the billings of the customer with this seller-chosen
            /// number.
            pub fn customer_number(self, number: impl Into<String>) -> Self {
                self.with_params(|p| p.customer_number = Some(number.into()))
            }

            /// Only billings in one of these states: `Scheduled` (請求予定),
            /// `InvoiceIssued` (請求書発行済) or `AccountTransferNotified`
            /// (口座振替通知済). Stopped billings (`stopped`) cannot be
            /// filtered for.
            pub fn status(self, statuses: impl IntoIterator<Item = types::BillingStatus>) -> Self {
                self.with_params(|p| p.status = Some(statuses.into_iter().collect::<Vec<_>>()))
            }

            /// Due date on or after this day (inclusive).
            pub fn due_date_from(self, date: NaiveDate) -> Self {
                self.with_params(|p| p.due_date_from = Some(date))
            }

            /// Due date on or before this day (inclusive).
            pub fn due_date_to(self, date: NaiveDate) -> Self {
                self.with_params(|p| p.due_date_to = Some(date))
            }

            /// Invoice issue date on or after this day (inclusive).
            pub fn issue_date_from(self, date: NaiveDate) -> Self {
                self.with_params(|p| p.issue_date_from = Some(date))
            }

            /// Invoice issue date on or before this day (inclusive).
            pub fn issue_date_to(self, date: NaiveDate) -> Self {
                self.with_params(|p| p.issue_date_to = Some(date))
            }

            /// Only billings with (`true`) or without (`false`) an amount
            /// still unpaid after the due date (未入金).
            pub fn unpaid(self, unpaid: bool) -> Self {
                self.with_params(|p| p.unpaid = Some(unpaid))
            }

            /// Only the billing this invoice (請求書) was issued for.
            pub fn invoice_id(self, invoice_id: impl Into<crate::ids::InvoiceId>) -> Self {
                self.with_params(|p| p.invoice_id = Some(invoice_id.into()))
            }

            /// Only the billing this account-transfer notice (口座振替通知書)
            /// was issued for.
            pub fn account_transfer_notification_id(
                self,
                notification_id: impl Into<crate::ids::AccountTransferNotificationId>,
            ) -> Self {
                self.with_params(|p| p.account_transfer_notification_id = Some(notification_id.into()))
            }
        }
    };
}

billing_list! {
    /// `GET /billings` with filters: billings of the 区分記載請求書 mode.
    /// Newest first. Every date bound is inclusive.
    ///
    /// ```no_run
    /// use mfkessai::types::BillingStatus as Status;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let page = client
    ///     .billings()
    ///     .list()
    ///     .status([Status::InvoiceIssued, Status::AccountTransferNotified])
    ///     .due_date_to(chrono::NaiveDate::from_ymd_opt(2024, 4, 30).unwrap())
    ///     .send()
    ///     .await?;
    /// # let _ = page;
    /// # Ok(()) }
    /// ```
    ListBillings = GetBillingsList
}

billing_list! {
    /// `GET /billings/qualified` with filters: billings of invoice mode
    /// (インボイスモード). Newest first. Every date bound is inclusive.
    ///
    /// ```no_run
    /// use mfkessai::types::BillingStatus as Status;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let page = client
    ///     .billings()
    ///     .list_qualified()
    ///     .customer_id("7679-YW36")
    ///     .status([Status::Scheduled])
    ///     .page_size(50)
    ///     .send()
    ///     .await?;
    /// if let Some(cursor) = page.next_cursor() {
    ///     let older = client.billings().list_qualified().starting_after(cursor).send().await?;
    ///     # let _ = older;
    /// }
    /// # Ok(()) }
    /// ```
    ListQualifiedBillings = GetQualifiedBillingsList
}

/// What `reissue` checks before sending and the fake on receipt: the
/// generated limits, then no delivery method twice (which the spec cannot say).
pub(crate) fn check_reissue(p: &types::ReissuingPayload) -> Result<()> {
    p.validate()?;
    validate::distinct_delivery_methods(
        ErrorCode::InvalidReissuingPayloadDuplicatedInvoiceDeliveryMethods,
        &p.invoice_delivery_methods,
    )
}
