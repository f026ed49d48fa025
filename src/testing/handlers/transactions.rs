//! Transactions (取引): `/transactions`.
//!
//! Registration validates the payload as the facade does, then what needs
//! state (the destination, a unique number, usable dates, the credit a
//! transaction inherits), and examines: at once when an authorization, a
//! canceled transaction or the customer's credit facility covers the
//! amount, otherwise as the sandbox's magic descriptions say, or not yet
//! ([`FakeKessai::decide_transaction`]). Billable transactions are grouped
//! into billings (see `billings.rs`).

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    response::Response,
    routing::get,
    Router,
};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::{prelude::ToPrimitive, Decimal};
use serde_json::{Map, Value};

use crate::{
    raw::types,
    resources::transactions::validate_transaction_payload,
    sandbox::Outcome,
    testing::{
        paginate,
        params::{within, Params},
        reply::{self, ok, Failure, Reply},
        server::Shared,
        store::{uri, Store},
        FakeKessai,
    },
    validate, ErrorCode,
};

use super::{
    authorizations,
    billings::{self, id_filter, InvoiceMode},
    credit, destinations,
};

/// Amounts, unit prices and quantities are 32-bit on the server.
const MAX_NUMBER: i64 = i32::MAX as i64;
const MIN_NUMBER: i64 = i32::MIN as i64;

/// The tax rate types a request may use (the empty legacy value is not one).
const TAX_RATE_TYPES: [&str; 6] = [
    "non_taxable",
    "normal_8",
    "normal_10",
    "reduced_8",
    "transitional_measures_8",
    "inapplicable",
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/transactions", get(list).post(create))
        .route("/transactions/{transaction_id}", get(show).delete(cancel))
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_transactions(store, &params))
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| ok(find(store, &id)?))
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| create_transaction(store, &body))
}

async fn cancel(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| cancel_transaction(store, &id))
}

/// The transaction with this id, or the documented 404.
pub(crate) fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::Transaction, Failure> {
    store
        .transactions
        .get(id)
        .ok_or_else(|| Failure::not_found(id))
}

fn list_transactions(store: &Store, params: &Params) -> Reply {
    let number = params.text("number", 100, ErrorCode::InvalidTransactionNumber)?;
    let customer_id = id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let customer_number = params.text("customer_number", 100, ErrorCode::InvalidCustomerNumber)?;
    let billing_id = id_filter(params, "billing_id", ErrorCode::InvalidBillingId, "")?;
    // One status per request: the filter is scalar (reference L4450).
    let status = params.one_of(
        "status",
        &["unexamined", "passed", "rejected", "canceled"],
        ErrorCode::InvalidTransactionStatus,
    )?;
    let billing = params.bool("billing", ErrorCode::InvalidTransactionBilling)?;
    let date_from = params.date("date_from", ErrorCode::InvalidTransactionDateFrom)?;
    let date_to = params.date("date_to", ErrorCode::InvalidTransactionDateTo)?;
    let created_from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let created_to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    let canceled_from = params.datetime("canceled_at_from", ErrorCode::InvalidCanceledAtFrom)?;
    let canceled_to = params.datetime("canceled_at_to", ErrorCode::InvalidCanceledAtTo)?;
    let accepted_from = params.datetime("accepted_at_from", ErrorCode::InvalidAcceptedAtFrom)?;
    let accepted_to = params.datetime("accepted_at_to", ErrorCode::InvalidAcceptedAtTo)?;
    let billing_accepted_from = params.datetime(
        "billing_accepted_at_from",
        ErrorCode::InvalidBillingAcceptedAtFrom,
    )?;
    let billing_accepted_to = params.datetime(
        "billing_accepted_at_to",
        ErrorCode::InvalidBillingAcceptedAtTo,
    )?;
    // The reference has no code of its own for the amount filters; these
    // are transaction amounts, so invalid_transaction_amount (L2754).
    let amount_from = params.amount("amount_from", ErrorCode::InvalidTransactionAmount)?;
    let amount_to = params.amount("amount_to", ErrorCode::InvalidTransactionAmount)?;
    let numbered: Option<Vec<&str>> = customer_number.map(|n| {
        store
            .customers
            .rows()
            .iter()
            .filter(|c| c.number == n)
            .map(|c| c.id.as_str())
            .collect()
    });
    paginate::respond(&store.transactions, params, |t| {
        number.is_none_or(|n| t.number == n)
            && customer_id.is_none_or(|c| t.customer_id.as_deref() == Some(c))
            && numbered
                .as_ref()
                .is_none_or(|ids| t.customer_id.as_deref().is_some_and(|c| ids.contains(&c)))
            && billing_id.is_none_or(|b| t.billing_id.as_deref() == Some(b))
            && status
                .as_deref()
                .is_none_or(|s| t.status.as_ref().is_some_and(|st| st.as_str() == s))
            && billing.is_none_or(|b| t.billing.unwrap_or(false) == b)
            && within(Some(t.date), date_from, date_to)
            && within(Some(t.created_at), created_from, created_to)
            && within(t.canceled_at, canceled_from, canceled_to)
            && within(t.accepted_at, accepted_from, accepted_to)
            && within(t.billing_accepted_at, billing_accepted_from, billing_accepted_to)
            // amount_from is 以上 (inclusive) but amount_to is 未満
            // (exclusive), reference L4461-L4462.
            && amount_from.is_none_or(|f| t.amount.is_some_and(|a| a >= f))
            && amount_to.is_none_or(|to| t.amount.is_some_and(|a| a < to))
    })
}

// ------------------------------------------------------------- registration

fn required() -> [(&'static str, ErrorCode); 7] {
    [
        ("date", ErrorCode::InvalidTransactionDate),
        ("destination_id", ErrorCode::InvalidDestinationId),
        ("due_date", ErrorCode::InvalidTransactionDueDate),
        (
            "invoice_delivery_methods",
            ErrorCode::InvalidTransactionInvoiceDeliveryMethods,
        ),
        ("issue_date", ErrorCode::InvalidTransactionIssueDate),
        ("number", ErrorCode::InvalidTransactionNumber),
        ("transaction_details", ErrorCode::InvalidTransactionDetails),
    ]
}

fn create_transaction(store: &mut Store, body: &[u8]) -> Reply {
    // Required fields first, then the shape of each field with its own code
    // (a generic invalid_json_format would hide which one is wrong), then
    // the exact decode (decimals straight from the text).
    let raw: Value = reply::payload(body, &required())?;
    precheck(&raw)?;
    let payload: types::TransactionPayload = serde_json::from_slice(body).map_err(|e| {
        Failure::bad(
            ErrorCode::InvalidJsonFormat,
            format!("invalid json: {e}"),
            "",
        )
    })?;
    validate_transaction_payload(&payload)?;
    let mode = store.ledger.mode;
    let details = detail_lines(&payload)?;
    let (amount, per_rate) = amounts(&payload, &details, mode)?;

    let destination = destinations::find(store, &payload.destination_id)?;
    let customer_id = destination.customer_id.clone();
    if store
        .transactions
        .rows()
        .iter()
        .any(|t| Some(t.number.as_str()) == Some(payload.number.as_str()))
    {
        // Canceled numbers stay taken (FAQ, reference L1664-L1665).
        return Err(Failure::conflict(
            ErrorCode::InvalidTransactionNumber,
            "a transaction with this number is already registered",
            Some(payload.number.clone()),
        ));
    }
    check_dates(store, &payload)?;
    if let Some(canceled_id) = payload.canceled_transaction_id.as_deref() {
        check_inheritance(store, canceled_id, &customer_id, amount)?;
    }

    let id = store.ids.next();
    let mut transaction = types::Transaction {
        accepted_at: None,
        amount: Some(amount),
        amounts_per_tax_rate_type: per_rate,
        billing: Some(false),
        billing_accepted_at: None,
        // Without one, the seller's setting applies (reference L4419); the
        // fake's seller bills passed transactions only.
        billing_condition: Some(
            payload
                .billing_condition
                .clone()
                .unwrap_or(types::BillingCondition::Passed),
        ),
        billing_id: None,
        canceled_at: None,
        canceled_transaction_id: payload.canceled_transaction_id.clone(),
        created_at: store.clock.now(),
        customer_id: Some(customer_id.clone()),
        date: payload.date,
        destination_id: payload.destination_id.clone(),
        due_date: payload.due_date,
        id: id.clone().into(),
        invoice_delivery_method: payload.invoice_delivery_methods.clone(),
        issue_date: payload.issue_date,
        number: payload.number.clone(),
        object: "transaction".to_string(),
        status: Some(types::TransactionStatus::Unexamined),
        transaction_details: details,
        uri: uri("transaction", &id),
    };
    if billings::would_overflow(store, &transaction, amount) {
        return Err(Failure::bad(
            ErrorCode::InvalidTransactionAmount,
            "the billing this transaction joins would exceed 2,147,483,647 yen",
            amount.to_string(),
        ));
    }

    // Examination. Credit comes first: an authorization, a canceled
    // transaction's credit, or the facility's balance passes at once
    // (reference L1444-L1447); otherwise the magic strings decide.
    let status = if let Some(authorization_id) = payload.authorization_id.as_deref() {
        let facility = authorizations::capture(
            store,
            authorization_id,
            &customer_id,
            amount,
            payload.due_date,
            &id,
        )?;
        store.ledger.credit.insert(id.clone(), (facility, amount));
        types::TransactionStatus::Passed
    } else if payload.canceled_transaction_id.is_some() {
        types::TransactionStatus::Passed
    } else if let Some(facility) = credit::available(store, &customer_id, amount) {
        credit::consume(store, &facility, amount);
        store.ledger.credit.insert(id.clone(), (facility, amount));
        types::TransactionStatus::Passed
    } else {
        match magic(&payload.transaction_details) {
            Some(Outcome::Passed) => types::TransactionStatus::Passed,
            Some(Outcome::Rejected) => types::TransactionStatus::Rejected,
            _ => types::TransactionStatus::Unexamined,
        }
    };
    // Stamped only now, so a failed capture leaves the clock alone.
    let now = store.clock.stamp();
    transaction.created_at = now;
    if status == types::TransactionStatus::Passed {
        transaction.accepted_at = Some(payload.accepted_at.unwrap_or(now));
    }
    transaction.status = Some(status);
    store.transactions.insert(transaction);
    settle(store, &id, now);
    examined(store, &id);
    ok(find(store, &id)?)
}

/// The outcome every detail's description asks for; all must carry the
/// same magic string (reference L5579-L5604), otherwise none applies.
fn magic(details: &[types::TransactionDetailPayload]) -> Option<Outcome> {
    let first = Outcome::from_magic(&details.first()?.description)?;
    details
        .iter()
        .all(|d| Outcome::from_magic(&d.description) == Some(first))
        .then_some(first)
}

fn present<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// A JSON value as the `param` of an error: strings without quotes.
fn text(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

/// The type and format of each field, answered with the field's own code.
fn precheck(raw: &Value) -> Result<(), Failure> {
    let Some(o) = raw.as_object() else {
        return Ok(());
    };
    for (field, code) in [
        ("date", ErrorCode::InvalidTransactionDate),
        ("due_date", ErrorCode::InvalidTransactionDueDate),
        ("issue_date", ErrorCode::InvalidTransactionIssueDate),
    ] {
        if let Some(v) = present(o, field) {
            let date = v
                .as_str()
                .is_some_and(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
            if !date {
                return Err(Failure::bad(
                    code,
                    format!("{field} must be a date like 2019-04-30"),
                    text(v),
                ));
            }
        }
    }
    for (field, code) in [
        ("number", ErrorCode::InvalidTransactionNumber),
        ("destination_id", ErrorCode::InvalidDestinationId),
        ("authorization_id", ErrorCode::InvalidAuthorizationId),
        (
            "canceled_transaction_id",
            ErrorCode::InvalidCanceledTransactionId,
        ),
    ] {
        if let Some(v) = present(o, field).filter(|v| !v.is_string()) {
            return Err(Failure::bad(
                code,
                format!("{field} must be a string"),
                text(v),
            ));
        }
    }
    if let Some(v) = present(o, "amount").filter(|v| !v.is_i64()) {
        return Err(Failure::bad(
            ErrorCode::InvalidTransactionAmount,
            "amount must be an integer",
            text(v),
        ));
    }
    if let Some(v) = present(o, "billing_condition") {
        if !matches!(v.as_str(), Some("all" | "passed")) {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionBillingCondition,
                "billing_condition must be all or passed",
                text(v),
            ));
        }
    }
    if let Some(v) = present(o, "invoice_delivery_methods") {
        let methods_code = ErrorCode::InvalidTransactionInvoiceDeliveryMethods;
        let Some(items) = v.as_array() else {
            return Err(Failure::bad(
                methods_code,
                "invoice_delivery_methods must be an array",
                text(v),
            ));
        };
        if let Some(bad) = items
            .iter()
            .find(|m| !matches!(m.as_str(), Some("posting" | "email")))
        {
            return Err(Failure::bad(
                methods_code,
                "invoice_delivery_methods takes posting and/or email",
                text(bad),
            ));
        }
    }
    if let Some(v) = present(o, "amounts_per_tax_rate_type") {
        precheck_per_rate(v)?;
    }
    if let Some(v) = present(o, "transaction_details") {
        let details_code = || ErrorCode::InvalidTransactionDetails;
        let Some(items) = v.as_array() else {
            return Err(Failure::new(
                axum::http::StatusCode::BAD_REQUEST,
                details_code(),
                "transaction_details must be an array",
                None,
            ));
        };
        for item in items {
            let Some(d) = item.as_object() else {
                return Err(Failure::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    details_code(),
                    "each transaction detail must be an object",
                    None,
                ));
            };
            precheck_detail(d)?;
        }
    }
    Ok(())
}

fn precheck_per_rate(v: &Value) -> Result<(), Failure> {
    let Some(items) = v.as_array() else {
        return Err(Failure::bad(
            ErrorCode::InvalidTransactionAmountsPerTaxRateType,
            "amounts_per_tax_rate_type must be an array",
            text(v),
        ));
    };
    for item in items {
        let Some(entry) = item.as_object() else {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionAmountsPerTaxRateType,
                "each amounts_per_tax_rate_type entry must be an object",
                text(item),
            ));
        };
        match present(entry, "amount") {
            Some(a) if a.is_i64() => {}
            other => {
                return Err(Failure::bad(
                    ErrorCode::InvalidAmountPerTaxRateTypeAmount,
                    "amount must be an integer",
                    other.map(text).unwrap_or_default(),
                ))
            }
        }
        match present(entry, "tax_rate_type") {
            Some(t) if t.as_str().is_some_and(|s| TAX_RATE_TYPES.contains(&s)) => {}
            other => {
                return Err(Failure::bad(
                    ErrorCode::InvalidAmountPerTaxRateTypeTaxRateType,
                    "tax_rate_type is not a tax rate type",
                    other.map(text).unwrap_or_default(),
                ))
            }
        }
    }
    Ok(())
}

fn precheck_detail(d: &Map<String, Value>) -> Result<(), Failure> {
    match present(d, "description") {
        Some(Value::String(_)) => {}
        other => {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionDetailDescription,
                "description is required: 1 to 250 characters",
                other.map(text).unwrap_or_default(),
            ))
        }
    }
    match present(d, "tax_included_type") {
        Some(t) if matches!(t.as_str(), Some("included" | "excluded")) => {}
        other => {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionDetailTaxIncludedType,
                "tax_included_type must be included or excluded",
                other.map(text).unwrap_or_default(),
            ))
        }
    }
    match present(d, "tax_rate_type") {
        Some(t) if t.as_str().is_some_and(|s| TAX_RATE_TYPES.contains(&s)) => {}
        other => {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionDetailTaxRateType,
                "tax_rate_type is not a tax rate type",
                other.map(text).unwrap_or_default(),
            ))
        }
    }
    for (field, code) in [
        ("amount", ErrorCode::InvalidTransactionDetailAmount),
        ("quantity", ErrorCode::InvalidTransactionDetailQuantity),
        ("unit_price", ErrorCode::InvalidTransactionDetailUnitPrice),
    ] {
        if let Some(v) = present(d, field).filter(|v| !v.is_number()) {
            return Err(Failure::bad(
                code.clone(),
                format!("{field} must be a number"),
                text(v),
            ));
        }
        let twin = format!("{field}_str");
        if let Some(v) = present(d, &twin).filter(|v| !v.is_string()) {
            return Err(Failure::bad(
                code,
                format!("{twin} must be a string"),
                text(v),
            ));
        }
    }
    Ok(())
}

/// A detail number: the `_str` twin wins when set (reference L7308). Its
/// limits are the number's, checked with the generated validation.
fn detail_number(
    field: &str,
    code: ErrorCode,
    number: Option<Decimal>,
    text: Option<&str>,
) -> Result<Option<Decimal>, Failure> {
    let Some(text) = text else {
        return Ok(number);
    };
    let value: Decimal = text.trim().parse().map_err(|_| {
        Failure::bad(
            code.clone(),
            format!("{field}_str must be a decimal number"),
            text,
        )
    })?;
    Ok(Some(value))
}

/// The detail lines as the API returns them. A line's `amount` is
/// `unit_price × quantity` or its tax-included value (reference L7280,
/// L2802-L2804); without one it is computed.
fn detail_lines(
    payload: &types::TransactionPayload,
) -> Result<Vec<types::TransactionDetail>, Failure> {
    let mut lines = Vec::with_capacity(payload.transaction_details.len());
    for d in &payload.transaction_details {
        let amount = detail_number(
            "amount",
            ErrorCode::InvalidTransactionDetailAmount,
            d.amount,
            d.amount_str.as_deref(),
        )?;
        // Quantities are 0 and up: the spec's minimum, checked below.
        let quantity = detail_number(
            "quantity",
            ErrorCode::InvalidTransactionDetailQuantity,
            d.quantity,
            d.quantity_str.as_deref(),
        )?;
        let unit_price = detail_number(
            "unit_price",
            ErrorCode::InvalidTransactionDetailUnitPrice,
            d.unit_price,
            d.unit_price_str.as_deref(),
        )?;
        // What the `_str` twins say has the limits of the numbers.
        let mut as_numbers = d.clone();
        as_numbers.amount = amount;
        as_numbers.quantity = quantity;
        as_numbers.unit_price = unit_price;
        as_numbers.amount_str = None;
        as_numbers.quantity_str = None;
        as_numbers.unit_price_str = None;
        crate::validate::Validate::validate(&as_numbers)?;
        let rate = crate::money::tax_rate(&d.tax_rate_type).unwrap_or_default();
        let product = unit_price.zip(quantity).and_then(|(p, q)| p.checked_mul(q));
        let subtotal = match (amount, product) {
            (Some(a), Some(p)) => {
                let with_tax = p * (Decimal::ONE + rate);
                if a != p && (a - with_tax).abs() >= Decimal::ONE {
                    return Err(Failure::bad(
                        ErrorCode::InvalidTransactionDetailAmount,
                        "amount must be unit_price × quantity (or that amount with tax)",
                        a.to_string(),
                    ));
                }
                a
            }
            (Some(a), None) => a,
            (None, Some(p)) => {
                validate::decimal(
                    ErrorCode::InvalidTransactionDetailAmount,
                    "amount",
                    p.round_dp(4),
                    MIN_NUMBER,
                    MAX_NUMBER,
                )?;
                p.round_dp(4)
            }
            (None, None) => {
                return Err(Failure::bad(
                    ErrorCode::InvalidTransactionDetailAmount,
                    "a detail needs amount, or unit_price and quantity",
                    "",
                ))
            }
        };
        // The reference's responses carry a return's minus sign on the
        // quantity, not the unit price: request L263-L270 (quantity 1,
        // unit_price -1000) comes back as L319-L325 (quantity -1,
        // unit_price 1000). Done the same way here.
        let (unit_price, quantity) = match (unit_price, quantity) {
            (Some(p), Some(q)) if p.is_sign_negative() && !p.is_zero() && !q.is_zero() => {
                (Some(-p), Some(-q))
            }
            other => other,
        };
        lines.push(types::TransactionDetail {
            amount: Some(subtotal.normalize()),
            description: d.description.clone(),
            object: Some("transaction_detail".to_string()),
            quantity: quantity.map(|q| q.normalize()),
            tax_included_type: Some(d.tax_included_type.clone()),
            tax_rate_type: Some(d.tax_rate_type.clone()),
            unit_price: unit_price.map(|p| p.normalize()),
        });
    }
    Ok(lines)
}

/// The transaction's `amount` and `amounts_per_tax_rate_type`, checked as
/// the reference's 税込金額の整合性確認 describes (L1577-L1585): per tax
/// rate type, the details' tax-included total within 1 yen of the given
/// total, and `amount` their sum. インボイスモード(請求単位) computes the
/// amount and returns no per-rate totals (L4415-L4416).
fn amounts(
    payload: &types::TransactionPayload,
    details: &[types::TransactionDetail],
    mode: InvoiceMode,
) -> Result<(i64, Vec<types::AmountPerTaxRateType>), Failure> {
    let subtotal: Decimal = details.iter().filter_map(|d| d.amount).sum();
    if subtotal < Decimal::ONE {
        return Err(Failure::new(
            axum::http::StatusCode::BAD_REQUEST,
            ErrorCode::InvalidTransactionDetailsAmountTotal,
            "the details' subtotals add up to less than 1",
            None,
        ));
    }
    if mode.requires_amounts() {
        if payload.amount.is_none() {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionAmount,
                "amount is required in this invoice mode",
                "",
            ));
        }
        if payload.amounts_per_tax_rate_type.is_empty() {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionAmountsPerTaxRateType,
                "amounts_per_tax_rate_type is required in this invoice mode",
                "",
            ));
        }
    }
    let per_rate = &payload.amounts_per_tax_rate_type;
    for (i, entry) in per_rate.iter().enumerate() {
        let kind = &entry.tax_rate_type;
        if per_rate[..i].iter().any(|e| e.tax_rate_type == *kind) {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionAmountsPerTaxRateType,
                format!("amounts_per_tax_rate_type lists {kind} twice"),
                kind.to_string(),
            ));
        }
        if !details
            .iter()
            .any(|d| d.tax_rate_type.as_ref() == Some(kind))
        {
            return Err(Failure::bad(
                ErrorCode::InvalidAmountPerTaxRateTypeTaxRateType,
                format!("no detail has the tax rate type {kind}"),
                kind.to_string(),
            ));
        }
    }
    if !per_rate.is_empty() {
        let mut normalized = payload.clone();
        for (d, line) in normalized.transaction_details.iter_mut().zip(details) {
            d.amount = line.amount;
            d.amount_str = None;
        }
        crate::money::check_consistency(&normalized)?;
    }
    let mut totals: Vec<(types::TaxRateType, Decimal)> = Vec::new();
    for d in details {
        let kind = d.tax_rate_type.clone().unwrap_or(types::TaxRateType::Empty);
        let included = billings::tax_included(d);
        match totals.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, sum)) => *sum += included,
            None => totals.push((kind, included)),
        }
    }
    let computed: i64 = totals
        .iter()
        .map(|(_, t)| t.trunc().to_i64().unwrap_or(i64::MAX))
        .fold(0i64, i64::saturating_add);
    if mode == InvoiceMode::QualifiedPerBilling {
        if !(1..=MAX_NUMBER).contains(&computed) {
            return Err(Failure::bad(
                ErrorCode::InvalidTransactionAmount,
                "the details add up to an amount outside 1..=2,147,483,647",
                computed.to_string(),
            ));
        }
        return Ok((computed, Vec::new()));
    }
    Ok((payload.amount.unwrap_or(computed), per_rate.clone()))
}

/// Dates must be usable (reference L2837-L2852; the tutorial asks for
/// "現在時点で指定可能な日付", L332): no invoice issued in the past, and no
/// due date before the invoice.
fn check_dates(store: &Store, payload: &types::TransactionPayload) -> Result<(), Failure> {
    if payload.issue_date < store.clock.today() {
        return Err(Failure::bad(
            ErrorCode::InvalidTransactionIssueDate,
            "issue_date must be today or later",
            payload.issue_date.to_string(),
        ));
    }
    if payload.due_date < payload.issue_date {
        return Err(Failure::bad(
            ErrorCode::InvalidTransactionDueDate,
            "due_date must not be before issue_date",
            payload.due_date.to_string(),
        ));
    }
    Ok(())
}

/// Whether a canceled transaction's credit can be reused (reference
/// L2466-L2511). Its credit is free only when it was canceled after the
/// facility it used had ended: canceled earlier, the credit went back to
/// that facility.
fn check_inheritance(
    store: &Store,
    canceled_id: &str,
    customer_id: &str,
    amount: i64,
) -> Result<(), Failure> {
    let bad = |code: ErrorCode, message: &str| Failure::bad(code, message, canceled_id);
    let Some(canceled) = store.transactions.get(canceled_id) else {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionNotFound,
            "no transaction has this id",
        ));
    };
    if canceled.status != Some(types::TransactionStatus::Canceled) {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionNotCanceled,
            "the transaction is not canceled",
        ));
    }
    if canceled.customer_id.as_deref() != Some(customer_id) {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionCustomerNotMatched,
            "the canceled transaction belongs to another customer",
        ));
    }
    if canceled.canceled_transaction_id.is_some() {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionInherited,
            "the canceled transaction itself used another one's credit",
        ));
    }
    if canceled.accepted_at.is_none() {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionNotAccepted,
            "the canceled transaction's receivable was never taken over",
        ));
    }
    if store
        .transactions
        .rows()
        .iter()
        .any(|t| t.canceled_transaction_id.as_deref() == Some(canceled_id))
    {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionAlreadyUsed,
            "the canceled transaction's credit is already used",
        ));
    }
    let facility_end = store
        .ledger
        .credit
        .get(canceled_id)
        .and_then(|(facility, _)| store.credit_facilities.get(facility))
        .and_then(|f| f.end_date);
    let canceled_on = canceled.canceled_at.map(|at| at.date_naive());
    if let (Some(end), Some(on)) = (facility_end, canceled_on) {
        if on <= end {
            return Err(bad(
                ErrorCode::InvalidCanceledTransactionCanceledInEffectivePeriod,
                "canceled while its credit facility was in effect: the credit went back to it",
            ));
        }
    }
    if amount > canceled.amount.unwrap_or(0) {
        return Err(bad(
            ErrorCode::InvalidCanceledTransactionOverAmount,
            "amount is above the canceled transaction's amount",
        ));
    }
    Ok(())
}

/// Brings a transaction's billing side in line with its status: billable
/// (請求対象) when passed, or whatever the result with `billing_condition:
/// all`; grouped into a billing once billable, or at once in invoice mode,
/// whose billings include transactions under examination (reference L5022).
fn settle(store: &mut Store, id: &str, at: DateTime<FixedOffset>) {
    let invoice_mode = store.ledger.mode.is_qualified();
    let Some(t) = store.transactions.get_mut(id) else {
        return;
    };
    let bill_all = t.billing_condition == Some(types::BillingCondition::All);
    let billed = match t.status {
        Some(types::TransactionStatus::Passed) => true,
        Some(types::TransactionStatus::Unexamined | types::TransactionStatus::Rejected) => bill_all,
        _ => false,
    };
    let grouped =
        billed || (invoice_mode && t.status == Some(types::TransactionStatus::Unexamined));
    t.billing = Some(billed);
    if billed && t.billing_accepted_at.is_none() {
        t.billing_accepted_at = Some(at);
    }
    let billing_id = match t.billing_id.clone() {
        Some(b) => Some(b.to_string()),
        None if grouped => billings::join(store, id),
        None => None,
    };
    if let Some(b) = billing_id {
        billings::recompute(store, &b);
    }
}

/// `transaction.examined` once a result is in.
fn examined(store: &mut Store, id: &str) {
    let Some(t) = store.transactions.get(id) else {
        return;
    };
    let result = match t.status {
        Some(types::TransactionStatus::Passed) => "passed",
        Some(types::TransactionStatus::Rejected) => "rejected",
        _ => return,
    };
    let data = serde_json::json!({
        "transaction_id": id,
        "transaction_number": t.number,
        "result": result,
    });
    store.emit("transaction.examined", data);
}

// ------------------------------------------------------------ cancellation

/// Cancels a transaction. The reference has no deadline (FAQ L1666-L1667)
/// and cancels after an invoice or a payout too (L1640, L1662); a canceled
/// transaction answers 409, and a rejected one that is not billed has
/// nothing to cancel (400 not_cancelable_transaction_status). The credit it
/// took goes back to its facility while that facility is in effect.
fn cancel_transaction(store: &mut Store, id: &str) -> Reply {
    let t = find(store, id)?.clone();
    match t.status {
        Some(types::TransactionStatus::Canceled) => {
            return Err(Failure::conflict(
                ErrorCode::NotCancelableTransactionStatus,
                "the transaction is already canceled",
                Some(id.to_string()),
            ))
        }
        Some(types::TransactionStatus::Rejected) if t.billing != Some(true) => {
            return Err(Failure::bad(
                ErrorCode::NotCancelableTransactionStatus,
                "a rejected transaction that is not billed cannot be canceled",
                id,
            ))
        }
        _ => {}
    }
    let now = store.clock.now();
    let today = store.clock.today();
    if let Some(t) = store.transactions.get_mut(id) {
        t.status = Some(types::TransactionStatus::Canceled);
        t.canceled_at = Some(now);
        t.billing = Some(false);
    }
    if let Some((facility, amount)) = store.ledger.credit.get(id).cloned() {
        let in_effect = store
            .credit_facilities
            .get(&facility)
            .is_some_and(|f| f.end_date.is_none_or(|end| today <= end));
        if in_effect {
            credit::release(store, &facility, amount);
        }
    }
    if let Some(b) = t.billing_id.as_deref() {
        billings::recompute(store, b);
    }
    ok(find(store, id)?)
}

// ------------------------------------------------------------ test control

/// Decides an examination waiting without a magic string.
fn decide(store: &mut Store, id: &str, outcome: Outcome) -> Result<types::Transaction, Failure> {
    let t = find(store, id)?;
    if t.status != Some(types::TransactionStatus::Unexamined) {
        return Err(Failure::conflict(
            ErrorCode::InvalidTransactionStatus,
            "only a transaction under examination can be decided",
            Some(id.to_string()),
        ));
    }
    let now = store.clock.now();
    let status = match outcome {
        Outcome::Passed => types::TransactionStatus::Passed,
        Outcome::Rejected => types::TransactionStatus::Rejected,
        Outcome::Unexamined => return Ok(t.clone()),
    };
    if let Some(t) = store.transactions.get_mut(id) {
        if status == types::TransactionStatus::Passed {
            t.accepted_at = Some(now);
        }
        t.status = Some(status);
    }
    settle(store, id, now);
    examined(store, id);
    find(store, id).cloned()
}

impl FakeKessai {
    /// Decides the examination of a transaction registered without a magic
    /// string (it stays `unexamined` until then): `Passed` makes it billable
    /// and groups it into a billing, `Rejected` bills it only with
    /// `billing_condition: all`. Sends `transaction.examined`. A transaction
    /// already decided answers 409, an unknown id 404.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::{sandbox::Outcome, types::TransactionStatus};
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let client = fake.client()?;
    /// let customer_id = fake.seed_customers(1).remove(0);
    /// let destinations = client.destinations().list().customer_id(&customer_id).send().await?;
    /// let today = fake.now().date_naive();
    /// let payload = serde_json::from_value(serde_json::json!({
    ///     "number": "TX-1", "destination_id": destinations.items[0].id, "date": today,
    ///     "issue_date": today, "due_date": today + chrono::Duration::days(30),
    ///     "amount": 1100, "invoice_delivery_methods": ["email"],
    ///     "amounts_per_tax_rate_type": [{"amount": 1100, "tax_rate_type": "normal_10"}],
    ///     "transaction_details": [{"description": "商品A", "amount": 1000,
    ///         "unit_price": 1000, "quantity": 1,
    ///         "tax_included_type": "excluded", "tax_rate_type": "normal_10"}],
    /// })).unwrap();
    /// let pending = client.transactions().create(payload).await?;
    /// assert_eq!(pending.status, Some(TransactionStatus::Unexamined));
    /// let id = pending.id;
    /// let passed = fake.decide_transaction(&id, Outcome::Passed)?;
    /// assert_eq!(passed.status, Some(TransactionStatus::Passed));
    /// assert!(passed.billing_id.is_some());
    /// # Ok(()) }
    /// ```
    pub fn decide_transaction(
        &self,
        transaction_id: &str,
        outcome: Outcome,
    ) -> Result<types::Transaction, crate::Error> {
        self.shared
            .control(|store| decide(store, transaction_id, outcome))
    }
}
