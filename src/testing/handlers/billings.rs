//! Billings (請求): `/billings`, `/billings/qualified` and a billing's issued
//! documents, plus the signed URLs for attachments and downloads.
//!
//! A billing groups the transactions that share a destination, a due date,
//! an issue date and a registration scheme (reference curl-only L1640-L1650,
//! L5017); API v2 always registers with the new scheme, so the fake groups by
//! destination, due date, issue date and the seller's invoice mode. Billings
//! are issued when the clock reaches their issue date (see [`on_clock`]).

use std::{collections::HashMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use chrono::{DateTime, Duration, FixedOffset};
use rust_decimal::{prelude::ToPrimitive, Decimal};

use crate::{
    raw::types,
    testing::{
        paginate,
        params::{within, Params},
        reply::{self, ok, Failure, Reply},
        server::Shared,
        store::{uri, Record, Store},
        FakeKessai,
    },
    ErrorCode,
};

use super::customers;

/// The seller's invoice mode (請求モード), which decides whether a
/// transaction's `amount` and `amounts_per_tax_rate_type` are required, how
/// a billing's amount is computed and which list shows it: `GET /billings`
/// for [`InvoiceMode::Classified`], `GET /billings/qualified` for the two
/// invoice modes (reference curl-only L1862-L1871, L1900-L1905).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum InvoiceMode {
    /// 区分記載請求書モード (the default): `amount` and
    /// `amounts_per_tax_rate_type` are required, a billing's amount is the
    /// sum of its transactions' amounts, and `GET /billings` lists it.
    #[default]
    Classified,
    /// インボイスモード(取引単位): amounts are required as in
    /// [`InvoiceMode::Classified`], but the billing's amount is computed
    /// from the detail lines (one rounding per tax rate) and
    /// `GET /billings/qualified` lists it.
    QualifiedPerTransaction,
    /// インボイスモード(請求単位): amounts are optional, the transaction's
    /// `amount` is computed by Kessai and its `amounts_per_tax_rate_type` is
    /// empty; `GET /billings/qualified` lists the billing.
    QualifiedPerBilling,
}

impl InvoiceMode {
    /// Either invoice mode (インボイスモード).
    ///
    /// ```
    /// use mfkessai::testing::InvoiceMode;
    /// assert!(InvoiceMode::QualifiedPerBilling.is_qualified());
    /// assert!(!InvoiceMode::Classified.is_qualified());
    /// ```
    pub fn is_qualified(self) -> bool {
        !matches!(self, InvoiceMode::Classified)
    }

    /// Whether transactions must carry `amount` and
    /// `amounts_per_tax_rate_type`.
    ///
    /// ```
    /// use mfkessai::testing::InvoiceMode;
    /// assert!(InvoiceMode::QualifiedPerTransaction.requires_amounts());
    /// assert!(!InvoiceMode::QualifiedPerBilling.requires_amounts());
    /// ```
    pub fn requires_amounts(self) -> bool {
        !matches!(self, InvoiceMode::QualifiedPerBilling)
    }
}

/// What the generated types have no field for: the bookkeeping behind
/// transactions and billings. One value lives in [`Store::ledger`].
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    /// The seller's invoice mode for new transactions and billings.
    pub(crate) mode: InvoiceMode,
    /// The mode each billing was created under: a billing keeps its mode
    /// (and its list) when the seller's mode changes.
    pub(crate) billing_modes: HashMap<String, InvoiceMode>,
    /// Transactions that took credit from a facility: id → (facility, yen),
    /// to give it back on cancellation.
    pub(crate) credit: HashMap<String, (String, i64)>,
    /// Billable transactions per billing, kept by [`recompute`].
    pub(crate) members: HashMap<String, usize>,
    /// Yen paid per billing ([`FakeKessai::record_payment`]).
    pub(crate) payments: HashMap<String, i64>,
    /// `POST /billings/{id}/upload_signed_url` answers 403 when set.
    pub(crate) uploads_forbidden: bool,
    /// Signed URLs handed out: token → what it is for.
    pub(crate) signed: HashMap<String, Signed>,
    /// Upload tokens in the order they were handed out.
    pub(crate) upload_tokens: Vec<String>,
}

/// A signed URL the fake handed out.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    billing_id: String,
    expires: DateTime<FixedOffset>,
    upload: bool,
}

/// Where the signed URLs point: outside `/v2`, and without the `apikey`
/// check (server.rs), like the reference's upload.mfk.jp and download.mfk.jp
/// hosts.
pub(crate) const SIGNED_PREFIX: &str = "/signed/";

/// How long a signed URL works; the reference gives no figure.
const SIGNED_URL_LIFETIME: i64 = 15 * 60;

/// The largest billing amount (reference curl-only L7267).
const MAX_BILLING_AMOUNT: i64 = i32::MAX as i64;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/billings", get(list_classified))
        .route("/billings/qualified", get(list_qualified))
        .route("/billings/{billing_id}", get(show))
        .route("/billings/{billing_id}/reissue", post(reissue))
        .route("/billings/{billing_id}/upload_signed_url", post(upload_url))
        .route("/billings/{billing_id}/issues", get(issues))
        // `i%2F79NR-AP96` as one segment, and `i/79NR-AP96` as the facade
        // sends it (the reference says the id is used as is, L5460).
        .route(
            "/billings/{billing_id}/issues/{issue_id}/download_signed_url",
            post(download_url),
        )
        .route(
            "/billings/{billing_id}/issues/{kind}/{issue_id}/download_signed_url",
            post(download_url_split),
        )
}

/// The file side of the signed URLs, mounted outside `/v2` by server.rs.
pub(crate) fn signed_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/signed/upload/{token}",
            post(receive_upload).put(receive_upload),
        )
        .route("/signed/download/{token}", get(serve_download))
}

/// Issues billings whose issue date has come, and marks overdue ones unpaid.
pub(crate) fn on_clock(store: &mut Store) {
    let today = store.clock.today();
    let due: Vec<String> = store
        .billings
        .rows()
        .iter()
        .filter(|b| b.status == Some(types::BillingStatus::Scheduled))
        .filter(|b| b.issue_date.is_some_and(|d| d <= today))
        .map(|b| b.record_id().to_string())
        .collect();
    for id in due {
        let members = store.ledger.members.get(&id).copied().unwrap_or(0);
        if members > 0 {
            let kind = document_kind(store, &id);
            issue(store, &id, kind);
        } else if mode_of(store, &id).is_qualified() && !has_pending(store, &id) {
            // Nothing left to bill: invoice mode reports the billing as
            // stopped (請求停止, L5032); only-unexamined ones wait.
            if let Some(b) = store.billings.get_mut(&id) {
                b.status = Some(types::BillingStatus::Stopped);
            }
        }
    }
    let ids: Vec<String> = store
        .billings
        .rows()
        .iter()
        .map(|b| b.record_id().to_string())
        .collect();
    for id in ids {
        refresh_unpaid(store, &id);
    }
}

// ----------------------------------------------------------------- grouping

/// The mode a billing was created under.
pub(crate) fn mode_of(store: &Store, billing_id: &str) -> InvoiceMode {
    store
        .ledger
        .billing_modes
        .get(billing_id)
        .copied()
        .unwrap_or_default()
}

/// The scheduled billing a transaction with this key joins, if one exists.
fn open_billing(store: &Store, t: &types::Transaction, mode: InvoiceMode) -> Option<String> {
    store
        .billings
        .rows()
        .iter()
        .rev()
        .find(|b| {
            b.status == Some(types::BillingStatus::Scheduled)
                && b.destination_id.as_ref() == Some(&t.destination_id)
                && b.due_date == Some(t.due_date)
                && b.issue_date == Some(t.issue_date)
                && mode_of(store, b.record_id()) == mode
        })
        .map(|b| b.id.to_string())
}

/// The amount of the billing a new transaction would join: the reference
/// caps a billing at 2,147,483,647 yen (L7267).
pub(crate) fn would_overflow(store: &Store, t: &types::Transaction, amount: i64) -> bool {
    let current = open_billing(store, t, store.ledger.mode)
        .and_then(|id| store.billings.get(&id))
        .and_then(|b| b.amount)
        .unwrap_or(0);
    current.saturating_add(amount) > MAX_BILLING_AMOUNT
}

/// Puts the transaction into the scheduled billing of its key, creating the
/// billing if there is none, and returns the billing's id.
pub(crate) fn join(store: &mut Store, transaction_id: &str) -> Option<String> {
    let t = store.transactions.get(transaction_id)?.clone();
    let mode = store.ledger.mode;
    let id = match open_billing(store, &t, mode) {
        Some(id) => id,
        None => {
            let id = store.ids.next();
            let billing = types::Billing {
                customer_id: t.customer_id.clone(),
                destination_id: Some(t.destination_id.clone()),
                due_date: Some(t.due_date),
                issue_date: Some(t.issue_date),
                object: "billing".to_string(),
                status: Some(types::BillingStatus::Scheduled),
                uri: uri("billing", &id),
                id: id.clone().into(),
                ..Default::default()
            };
            store.billings.insert(billing);
            store.ledger.billing_modes.insert(id.clone(), mode);
            id
        }
    };
    if let Some(t) = store.transactions.get_mut(transaction_id) {
        t.billing_id = Some(id.clone().into());
    }
    Some(id)
}

/// Brings a billing in line with its transactions: billable count, amount,
/// per-rate totals, delivery methods and unpaid state.
///
/// 区分記載請求書モード sums the transactions' amounts; invoice mode computes
/// the amount from every detail line with one rounding (down) per tax rate
/// and counts transactions still under examination (reference L5022).
pub(crate) fn recompute(store: &mut Store, billing_id: &str) {
    let mode = mode_of(store, billing_id);
    let mut members = 0usize;
    let mut summed = 0i64;
    let mut declared: Vec<(types::TaxRateType, i64)> = Vec::new();
    let mut computed: Vec<(types::TaxRateType, Decimal)> = Vec::new();
    let (mut posting, mut email) = (false, false);
    for t in store.transactions.rows() {
        if t.billing_id.as_deref() != Some(billing_id) {
            continue;
        }
        let billed = t.billing == Some(true);
        let pending = mode.is_qualified() && is_pending(t);
        if !billed && !pending {
            continue;
        }
        if billed {
            members += 1;
        }
        for m in &t.invoice_delivery_method {
            match m {
                types::InvoiceDeliveryMethod::Posting => posting = true,
                types::InvoiceDeliveryMethod::Email => email = true,
                _ => {}
            }
        }
        if mode.is_qualified() {
            for d in &t.transaction_details {
                let kind = d.tax_rate_type.clone().unwrap_or(types::TaxRateType::Empty);
                let included = tax_included(d);
                match computed.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, sum)) => *sum += included,
                    None => computed.push((kind, included)),
                }
            }
        } else {
            summed = summed.saturating_add(t.amount.unwrap_or(0));
            for a in &t.amounts_per_tax_rate_type {
                match declared.iter_mut().find(|(k, _)| *k == a.tax_rate_type) {
                    Some((_, sum)) => *sum += a.amount,
                    None => declared.push((a.tax_rate_type.clone(), a.amount)),
                }
            }
        }
    }
    if mode.is_qualified() {
        declared = computed
            .into_iter()
            .map(|(k, total)| (k, total.trunc().to_i64().unwrap_or(0)))
            .collect();
        summed = declared.iter().map(|(_, a)| a).sum();
    }
    let methods: Vec<types::InvoiceDeliveryMethod> = [
        (posting, types::InvoiceDeliveryMethod::Posting),
        (email, types::InvoiceDeliveryMethod::Email),
    ]
    .into_iter()
    .filter_map(|(used, m)| used.then_some(m))
    .collect();
    if let Some(b) = store.billings.get_mut(billing_id) {
        b.amount = Some(summed);
        b.amounts_per_tax_rate_type = declared
            .into_iter()
            .map(|(tax_rate_type, amount)| types::AmountPerTaxRateType {
                amount,
                tax_rate_type,
            })
            .collect();
        if !methods.is_empty() {
            b.invoice_delivery_method = methods;
        }
    }
    store.ledger.members.insert(billing_id.to_string(), members);
    refresh_unpaid(store, billing_id);
}

/// Under examination and not billed yet: counted by invoice-mode billings.
fn is_pending(t: &types::Transaction) -> bool {
    t.billing != Some(true) && t.status == Some(types::TransactionStatus::Unexamined)
}

fn has_pending(store: &Store, billing_id: &str) -> bool {
    store
        .transactions
        .rows()
        .iter()
        .any(|t| t.billing_id.as_deref() == Some(billing_id) && is_pending(t))
}

/// A detail line's amount with tax: tax-excluded lines get their rate added.
pub(crate) fn tax_included(d: &types::TransactionDetail) -> Decimal {
    let amount = d.amount.unwrap_or_default();
    let rate = d
        .tax_rate_type
        .as_ref()
        .and_then(crate::money::tax_rate)
        .unwrap_or_default();
    match d.tax_included_type {
        Some(types::TaxIncludedType::Excluded) => amount * (Decimal::ONE + rate),
        _ => amount,
    }
}

/// `unpaid` is set only when an issued billing is past its due date with
/// money still missing (reference L5034-L5036); `updated_date` is the day
/// the fake last looked at the payments.
fn refresh_unpaid(store: &mut Store, billing_id: &str) {
    let today = store.clock.today();
    let paid = store.ledger.payments.get(billing_id).copied().unwrap_or(0);
    if let Some(b) = store.billings.get_mut(billing_id) {
        let issued = matches!(
            b.status,
            Some(
                types::BillingStatus::InvoiceIssued | types::BillingStatus::AccountTransferNotified
            )
        );
        let overdue = b.due_date.is_some_and(|due| today > due);
        let shortage = b.amount.unwrap_or(0) - paid;
        b.unpaid = (issued && overdue && shortage > 0).then_some(types::BillingUnpaid {
            shortage_amount: Some(shortage),
            updated_date: Some(today),
        });
    }
}

/// Customers paying by account transfer get an account-transfer notice
/// (口座振替通知書), everyone else an invoice (請求書).
fn document_kind(store: &Store, billing_id: &str) -> types::IssueType {
    let by_transfer = store
        .billings
        .get(billing_id)
        .and_then(|b| b.customer_id.as_deref())
        .and_then(|c| store.customers.get(c))
        .is_some_and(|c| customers::payment_method_name(c) == "account_transfer");
    if by_transfer {
        types::IssueType::AccountTransferNotification
    } else {
        types::IssueType::Invoice
    }
}

/// Issues a document for the billing and returns its id (without the
/// `i/`/`a/` prefix the issue id carries). Invoices send `invoice.issued`;
/// account-transfer notices do not (reference L6519).
fn issue(store: &mut Store, billing_id: &str, kind: types::IssueType) -> String {
    let document_id = store.ids.next();
    let now = store.clock.now();
    let invoice = kind == types::IssueType::Invoice;
    let prefix = if invoice { "i" } else { "a" };
    store
        .billing_issues
        .entry(billing_id.to_string())
        .or_default()
        .push(types::Issue {
            created_at: now,
            id: format!("{prefix}/{document_id}").into(),
            type_: Some(kind),
        });
    if let Some(b) = store.billings.get_mut(billing_id) {
        if invoice {
            b.invoice_ids.push(document_id.clone().into());
            if b.status == Some(types::BillingStatus::Scheduled) {
                b.status = Some(types::BillingStatus::InvoiceIssued);
            }
        } else {
            b.account_transfer_notification_ids
                .push(document_id.clone().into());
            if b.status == Some(types::BillingStatus::Scheduled) {
                b.status = Some(types::BillingStatus::AccountTransferNotified);
            }
        }
    }
    if invoice {
        store.emit(
            "invoice.issued",
            serde_json::json!({ "invoice_id": document_id, "billing_id": billing_id }),
        );
    }
    refresh_unpaid(store, billing_id);
    document_id
}

fn is_issued(store: &Store, billing_id: &str) -> bool {
    store
        .billing_issues
        .get(billing_id)
        .is_some_and(|issues| !issues.is_empty())
}

/// 区分記載請求書モード shows only billings with something to bill (or
/// already issued); invoice mode shows every billing, even empty or only
/// under examination (reference L5130, L5216).
fn visible(store: &Store, b: &types::Billing) -> bool {
    let id = b.record_id();
    mode_of(store, id).is_qualified()
        || store.ledger.members.get(id).copied().unwrap_or(0) > 0
        || is_issued(store, id)
}

/// The billing with this id, or the documented 404.
pub(crate) fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::Billing, Failure> {
    store
        .billings
        .get(id)
        .filter(|b| visible(store, b))
        .ok_or_else(|| Failure::not_found(id))
}

// --------------------------------------------------------------------- HTTP

async fn list_classified(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_billings(store, &params, query.as_deref(), false))
}

async fn list_qualified(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_billings(store, &params, query.as_deref(), true))
}

/// Ids look like `7679-YW36`; filters answer anything else with their
/// `invalid_*` code ("形式または値が不正です。例:9R6M-VMAN").
pub(crate) fn looks_like_id(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 9
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 {
                *b == b'-'
            } else {
                b.is_ascii_digit() || b.is_ascii_uppercase()
            }
        })
}

/// An id filter, answered with `code` when malformed. `prefix` is the issue
/// prefix (`i/`, `a/`) the value may carry, as `Issue.id` does.
pub(crate) fn id_filter<'p>(
    params: &'p Params,
    key: &str,
    code: ErrorCode,
    prefix: &str,
) -> Result<Option<&'p str>, Failure> {
    match params.one(key) {
        None => Ok(None),
        Some(v) => {
            let bare = v.strip_prefix(prefix).unwrap_or(v);
            if looks_like_id(bare) {
                Ok(Some(bare))
            } else {
                Err(Failure::bad(
                    code,
                    format!("{key} must be an id like 9R6M-VMAN"),
                    v,
                ))
            }
        }
    }
}

/// `unpaid=` (empty) counts as `false` (reference L5056).
fn unpaid_filter(params: &Params, query: Option<&str>) -> Result<Option<bool>, Failure> {
    if params.one("unpaid") == Some("") {
        return Ok(Some(false));
    }
    if let Some(value) = params.bool("unpaid", ErrorCode::InvalidBillingUnpaid)? {
        return Ok(Some(value));
    }
    let empty = query.is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "unpaid" && v.is_empty())
    });
    Ok(empty.then_some(false))
}

fn list_billings(store: &Store, params: &Params, query: Option<&str>, qualified: bool) -> Reply {
    let customer_id = id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let customer_number = params.text("customer_number", 100, ErrorCode::InvalidCustomerNumber)?;
    // `stopped` is not a filter value (reference L5053, L2931-L2936).
    let statuses = params.all_of(
        "status",
        &["scheduled", "invoice_issued", "account_transfer_notified"],
        ErrorCode::InvalidBillingStatus,
    )?;
    let due_from = params.date("due_date_from", ErrorCode::InvalidBillingDueDateFrom)?;
    let due_to = params.date("due_date_to", ErrorCode::InvalidBillingDueDateTo)?;
    let issue_from = params.date("issue_date_from", ErrorCode::InvalidBillingIssueDateFrom)?;
    let issue_to = params.date("issue_date_to", ErrorCode::InvalidBillingIssueDateTo)?;
    let unpaid = unpaid_filter(params, query)?;
    let invoice_id = id_filter(params, "invoice_id", ErrorCode::InvalidInvoiceId, "i/")?;
    let notification_id = id_filter(
        params,
        "account_transfer_notification_id",
        ErrorCode::InvalidAccountTransferNotificationId,
        "a/",
    )?;
    let numbered: Option<Vec<&str>> = customer_number.map(|n| {
        store
            .customers
            .rows()
            .iter()
            .filter(|c| c.number == n)
            .map(|c| c.record_id())
            .collect()
    });
    paginate::respond(&store.billings, params, |b| {
        mode_of(store, b.record_id()).is_qualified() == qualified
            && visible(store, b)
            && customer_id.is_none_or(|c| b.customer_id.as_deref() == Some(c))
            && numbered
                .as_ref()
                .is_none_or(|ids| b.customer_id.as_deref().is_some_and(|c| ids.contains(&c)))
            && (statuses.is_empty()
                || b.status
                    .as_ref()
                    .is_some_and(|st| statuses.iter().any(|s| s == st.as_str())))
            && within(b.due_date, due_from, due_to)
            && within(b.issue_date, issue_from, issue_to)
            && unpaid.is_none_or(|u| b.unpaid.is_some() == u)
            && invoice_id.is_none_or(|i| b.invoice_ids.iter().any(|x| x == i))
            && notification_id
                .is_none_or(|i| b.account_transfer_notification_ids.iter().any(|x| x == i))
    })
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| ok(find(store, &id)?))
}

async fn issues(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        find(store, &id)?;
        let items = store.billing_issues.get(&id).cloned().unwrap_or_default();
        paginate::list_reply(&items, None)
    })
}

async fn reissue(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    s.with(|store| reissue_billing(store, &id, &body))
}

fn reissue_billing(store: &mut Store, id: &str, body: &[u8]) -> Reply {
    let billing = find(store, id)?.clone();
    let payload: types::ReissuingPayload = reply::payload(
        body,
        &[
            ("destination_id", ErrorCode::InvalidDestinationId),
            (
                "invoice_delivery_methods",
                ErrorCode::InvalidReissuingPayloadInvoiceDeliveryMethods,
            ),
        ],
    )?;
    crate::resources::billings::check_reissue(&payload)?;
    let Some(last) = store.billing_issues.get(id).and_then(|v| v.last()).cloned() else {
        return Err(Failure::bad(
            ErrorCode::InvalidReissuingBillingNotIssued,
            "the billing has not been issued yet",
            id,
        ));
    };
    // Invoice mode reissues a billing left with nothing to bill as a 0-yen
    // 適格返還請求書 (reference L5300); the classified mode refuses it.
    let members = store.ledger.members.get(id).copied().unwrap_or(0);
    if members == 0 && !mode_of(store, id).is_qualified() {
        return Err(Failure::bad(
            ErrorCode::InvalidReissuingBillingCanceled,
            "every transaction of the billing is canceled",
            id,
        ));
    }
    let destination_id = payload.destination_id.trim().to_string();
    let Some(destination) = store.destinations.get(&destination_id) else {
        return Err(Failure::bad(
            ErrorCode::InvalidReissuingPayloadDestinationNotFound,
            "no such destination",
            destination_id,
        ));
    };
    if Some(&destination.customer_id) != billing.customer_id.as_ref() {
        return Err(Failure::bad(
            ErrorCode::InvalidReissuingPayloadCustomerNotMatched,
            "the destination belongs to another customer than the billing",
            destination_id,
        ));
    }
    let kind = last.type_.unwrap_or(types::IssueType::Invoice);
    let document_id = issue(store, id, kind.clone());
    let created_at = store.clock.now();
    let methods = payload.invoice_delivery_methods;
    let response = if kind == types::IssueType::AccountTransferNotification {
        types::ReissuingResponse {
            account_transfer_notification: Some(types::AccountTransferNotification {
                account_transfer_date: billing.due_date,
                amount: billing.amount,
                billing_id: Some(id.to_string().into()),
                created_at,
                destination_id: Some(destination_id.into()),
                uri: uri("account_transfer_notification", &document_id),
                id: document_id.into(),
                invoice_delivery_methods: methods,
                object: "account_transfer_notification".to_string(),
            }),
            invoice: None,
            type_: Some(types::ReissuingResponseType::AccountTransferNotification),
        }
    } else {
        types::ReissuingResponse {
            account_transfer_notification: None,
            invoice: Some(types::Invoice {
                amount: billing.amount,
                billing_date: billing.issue_date,
                billing_id: Some(id.to_string().into()),
                created_at,
                destination_id: Some(destination_id.into()),
                uri: uri("invoice", &document_id),
                id: document_id.into(),
                invoice_delivery_methods: methods,
                object: "invoice".to_string(),
            }),
            type_: Some(types::ReissuingResponseType::Invoice),
        }
    };
    ok(&response)
}

/// `http://127.0.0.1:port`, the fake's own origin (the base URL without
/// `/v2`), for the signed URLs.
fn origin(s: &Shared) -> String {
    s.base_url.trim_end_matches("/v2").to_string()
}

async fn upload_url(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let origin = origin(&s);
    s.with(|store| {
        if store.ledger.uploads_forbidden {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                ErrorCode::SellerSettingRequired,
                "this endpoint needs to be enabled for the seller first",
                None,
            ));
        }
        find(store, &id)?;
        let payload: types::UploadSignedUrlPayload =
            reply::payload(&body, &[("content_type", ErrorCode::InvalidParameter)])?;
        if !payload.content_type.is_known() {
            return Err(Failure::bad(
                ErrorCode::InvalidParameter,
                "content_type must be application/pdf, application/json, text/csv or text/plain",
                payload.content_type.to_string(),
            ));
        }
        let (token, expires) = sign(store, &id, true);
        store.ledger.upload_tokens.push(token.clone());
        ok(&types::UploadSignedUrl {
            expires_at: Some(expires),
            url: Some(format!("{origin}{SIGNED_PREFIX}upload/{token}")),
        })
    })
}

/// A fresh token for a signed URL, and when it stops working.
fn sign(store: &mut Store, billing_id: &str, upload: bool) -> (String, DateTime<FixedOffset>) {
    let token = store.ids.token();
    let expires = store.clock.now() + Duration::seconds(SIGNED_URL_LIFETIME);
    store.ledger.signed.insert(
        token.clone(),
        Signed {
            billing_id: billing_id.to_string(),
            expires,
            upload,
        },
    );
    (token, expires)
}

async fn download_url(
    State(s): State<Arc<Shared>>,
    Path((billing_id, issue_id)): Path<(String, String)>,
) -> Response {
    let origin = origin(&s);
    s.with(|store| signed_download(store, &origin, &billing_id, &issue_id))
}

async fn download_url_split(
    State(s): State<Arc<Shared>>,
    Path((billing_id, kind, issue_id)): Path<(String, String, String)>,
) -> Response {
    let origin = origin(&s);
    let issue_id = format!("{kind}/{issue_id}");
    s.with(|store| signed_download(store, &origin, &billing_id, &issue_id))
}

fn signed_download(store: &mut Store, origin: &str, billing_id: &str, issue_id: &str) -> Reply {
    let billing = find(store, billing_id)?.clone();
    let Some(issue) = store
        .billing_issues
        .get(billing_id)
        .and_then(|v| v.iter().find(|i| i.id == issue_id))
        .cloned()
    else {
        return Err(Failure::not_found(issue_id));
    };
    let (token, expires) = sign(store, billing_id, false);
    store
        .files
        .insert(format!("download/{token}"), document_pdf(&billing, &issue));
    paginate::list_reply(
        &[types::DownloadSignedUrl {
            expired_at: Some(expires),
            signed_url: Some(format!("{origin}{SIGNED_PREFIX}download/{token}")),
            type_: Some("pdf".to_string()),
        }],
        None,
    )
}

/// A tiny stand-in for the issued PDF: enough for a test to check what it
/// downloaded.
fn document_pdf(billing: &types::Billing, issue: &types::Issue) -> Vec<u8> {
    format!(
        "%PDF-1.4\n% FakeKessai {} {} for billing {}: {} yen due {}\n%%EOF\n",
        issue
            .type_
            .as_ref()
            .map(|t| t.as_str())
            .unwrap_or("invoice"),
        issue.id.as_str(),
        billing.record_id(),
        billing.amount.unwrap_or(0),
        billing.due_date.map(|d| d.to_string()).unwrap_or_default(),
    )
    .into_bytes()
}

/// The signed URL behind `token`, if it is of the right kind and still good.
fn check_signed(store: &Store, token: &str, upload: bool) -> Result<Signed, Failure> {
    store
        .ledger
        .signed
        .get(token)
        .filter(|s| s.upload == upload && store.clock.now() <= s.expires)
        .cloned()
        .ok_or_else(|| {
            Failure::new(
                StatusCode::FORBIDDEN,
                ErrorCode::InvalidParameter,
                "the signed URL is unknown or has expired",
                None,
            )
        })
}

async fn receive_upload(
    State(s): State<Arc<Shared>>,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    s.with(|store| {
        check_signed(store, &token, true)?;
        store.files.insert(format!("upload/{token}"), body.to_vec());
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

async fn serve_download(State(s): State<Arc<Shared>>, Path(token): Path<String>) -> Response {
    s.with(|store| {
        check_signed(store, &token, false)?;
        let bytes = store
            .files
            .get(&format!("download/{token}"))
            .cloned()
            .unwrap_or_default();
        let mut response = (StatusCode::OK, bytes).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        );
        Ok(response)
    })
}

// ----------------------------------------------------------- test control

impl FakeKessai {
    /// Switches the seller's invoice mode (請求モード) for the transactions
    /// registered from now on. Billings keep the mode they were created in.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::testing::{FakeKessai, InvoiceMode};
    /// let fake = FakeKessai::start().await?;
    /// fake.set_invoice_mode(InvoiceMode::QualifiedPerBilling);
    /// assert_eq!(fake.invoice_mode(), InvoiceMode::QualifiedPerBilling);
    /// # Ok(()) }
    /// ```
    pub fn set_invoice_mode(&self, mode: InvoiceMode) {
        self.shared.store().ledger.mode = mode;
    }

    /// The seller's invoice mode; [`InvoiceMode::Classified`] unless
    /// [`FakeKessai::set_invoice_mode`] changed it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// assert_eq!(fake.invoice_mode(), mfkessai::testing::InvoiceMode::Classified);
    /// # Ok(()) }
    /// ```
    pub fn invoice_mode(&self) -> InvoiceMode {
        self.shared.store().ledger.mode
    }

    /// Records that the customer paid `yen` toward a billing (入金). A
    /// billing issued and past its due date shows what is still missing in
    /// `unpaid` until it is paid in full. Returns the billing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::money::{Line, TransactionLines};
    /// use mfkessai::types::{InvoiceDeliveryMethod, TaxRateType, TransactionPayload};
    /// use mfkessai::{dec, sandbox::{Outcome, WithOutcome}};
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let client = fake.client()?;
    /// let customer_id = fake.seed_customers(1).remove(0);
    /// let destinations = client.destinations().list().customer_id(&customer_id).send().await?;
    /// let today = fake.now().date_naive();
    /// let lines = TransactionLines::new()
    ///     .line(Line::excluded("商品", dec!(1000), dec!(1), TaxRateType::Normal10))
    ///     .compute()?;
    /// let payload = TransactionPayload::with_lines(
    ///     "TX-1",
    ///     &destinations.items[0].id,
    ///     today,
    ///     today,
    ///     today + chrono::Duration::days(30),
    ///     [InvoiceDeliveryMethod::Email],
    ///     lines,
    /// )
    /// .with_outcome(Outcome::Passed);
    /// let transaction = client.transactions().create(payload).await?;
    /// let billing_id = transaction.billing_id.expect("a passed transaction is billed");
    /// fake.advance_clock(chrono::Duration::days(31)); // issued, then overdue
    /// let billing = client.billings().get(&billing_id).await?;
    /// assert_eq!(billing.unpaid.and_then(|u| u.shortage_amount), Some(1100));
    /// let billing = fake.record_payment(&billing_id, 1100)?;
    /// assert!(billing.unpaid.is_none());
    /// # Ok(()) }
    /// ```
    pub fn record_payment(
        &self,
        billing_id: &str,
        yen: i64,
    ) -> Result<types::Billing, crate::Error> {
        let mut store = self.shared.store();
        find(&store, billing_id).map_err(Failure::into_error)?;
        if yen <= 0 {
            return Err(crate::Error::validation(
                None,
                Some(yen.to_string()),
                "a payment is a positive number of yen",
            ));
        }
        let paid = store
            .ledger
            .payments
            .entry(billing_id.to_string())
            .or_insert(0);
        *paid = paid.saturating_add(yen);
        refresh_unpaid(&mut store, billing_id);
        find(&store, billing_id)
            .cloned()
            .map_err(Failure::into_error)
    }

    /// Whether `POST /billings/{id}/upload_signed_url` is enabled for the
    /// seller (it is by default). The reference restricts the endpoint to
    /// sellers set up for it and answers the others 403.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// fake.allow_billing_uploads(false);
    /// let payload = serde_json::from_value(serde_json::json!({"content_type": "application/pdf"})).unwrap();
    /// let error = fake.client()?.billings().upload_url(&"7679-YW36".into(), payload).await.unwrap_err();
    /// assert_eq!(error.status(), Some(403));
    /// # Ok(()) }
    /// ```
    pub fn allow_billing_uploads(&self, allowed: bool) {
        self.shared.store().ledger.uploads_forbidden = !allowed;
    }

    /// The files uploaded to a billing's signed upload URLs, in the order
    /// the URLs were handed out.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// assert!(fake.uploaded_files("7679-YW36").is_empty());
    /// # Ok(()) }
    /// ```
    pub fn uploaded_files(&self, billing_id: &str) -> Vec<Vec<u8>> {
        let store = self.shared.store();
        store
            .ledger
            .upload_tokens
            .iter()
            .filter(|t| {
                store
                    .ledger
                    .signed
                    .get(*t)
                    .is_some_and(|s| s.billing_id == billing_id)
            })
            .filter_map(|t| store.files.get(&format!("upload/{t}")).cloned())
            .collect()
    }
}
