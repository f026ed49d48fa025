//! Authorizations (オーソリゼーション): `/authorizations`. An authorization
//! holds part of the customer's current credit facility until a transaction
//! captures it ([`capture`]), it is canceled, or it expires.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
    routing::get,
    Router,
};
use chrono::{Datelike, Months, NaiveDate};

use crate::{
    raw::types,
    testing::{
        handlers::credit,
        paginate,
        params::{within, Params},
        reply::{ok, payload, Failure, Reply},
        server::Shared,
        store::{uri, Store},
    },
    ErrorCode,
};

const REQUIRED: &[(&str, ErrorCode)] = &[
    ("amount", ErrorCode::InvalidAuthorizationAmount),
    ("customer_id", ErrorCode::InvalidCustomerId),
    ("number", ErrorCode::InvalidAuthorizationNumber),
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/authorizations", get(list).post(create))
        .route(
            "/authorizations/{authorization_id}",
            get(show).delete(cancel),
        )
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| {
        expire(store);
        list_authorizations(store, &params)
    })
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        expire(store);
        let authorization = store
            .authorizations
            .get(&id)
            .ok_or_else(|| Failure::not_found(&id))?;
        ok(authorization)
    })
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| {
        amount_is_integer(&body)?;
        let p = payload::<types::AuthorizationPayload>(&body, REQUIRED)?;
        let authorization = authorize(store, &p)?;
        ok(&authorization)
    })
}

async fn cancel(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        let authorization = cancel_authorization(store, &id)?;
        ok(&authorization)
    })
}

fn list_authorizations(store: &Store, params: &Params) -> Reply {
    let customer_id =
        super::billings::id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let number = params.text("number", 100, ErrorCode::InvalidAuthorizationNumber)?;
    let status = params.one_of(
        "status",
        &["active", "expired", "captured", "canceled"],
        ErrorCode::InvalidAuthorizationStatus,
    )?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    paginate::respond(&store.authorizations, params, |a| {
        customer_id.is_none_or(|id| a.customer_id == id)
            && number.is_none_or(|n| a.number == n)
            && status
                .as_deref()
                .is_none_or(|s| a.status.as_ref().is_some_and(|st| st.as_str() == s))
            && within(Some(a.created_at), from, to)
    })
}

/// A non-integer `amount` gets `invalid_authorization_amount`, not the
/// decoder's generic `invalid_json_format`.
fn amount_is_integer(body: &[u8]) -> Result<(), Failure> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return Ok(()); // `payload` reports malformed JSON.
    };
    match object.get("amount") {
        Some(amount) if !amount.is_null() && amount.as_i64().is_none() => Err(Failure::bad(
            ErrorCode::InvalidAuthorizationAmount,
            "amount must be an integer",
            match amount {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        )),
        _ => Ok(()),
    }
}

/// How long an authorization can be used, and the latest due date of the
/// transaction that captures it. The reference documents neither; its one
/// example (L6163-L6169) registers on 2019-04-01 and gets 2019-06-16 and
/// 2019-06-30, so: two months and fifteen days, and that month's end.
fn validity(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let expiration = today
        .checked_add_months(Months::new(2))
        .and_then(|d| d.checked_add_days(chrono::Days::new(15)))
        .unwrap_or(today);
    let month_end = expiration
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(expiration);
    (expiration, month_end)
}

fn authorize(
    store: &mut Store,
    p: &types::AuthorizationPayload,
) -> Result<types::Authorization, Failure> {
    crate::resources::authorizations::check(p)?;
    let customer_id = p.customer_id.trim();
    if store.customers.get(customer_id).is_none() {
        return Err(Failure::not_found(customer_id));
    }
    if let Some(existing) = store
        .authorizations
        .rows()
        .iter()
        .find(|a| Some(a.number.as_str()) == Some(p.number.as_str()))
    {
        // The 409 has no documented code (reference L6300); like the
        // destinations' 409 it names the existing object.
        return Err(Failure::conflict(
            ErrorCode::AlreadyExists,
            "an authorization with this number already exists",
            Some(existing.id.to_string()),
        ));
    }
    let Some(facility_id) = credit::available(store, customer_id, p.amount) else {
        return Err(Failure::bad(
            ErrorCode::InvalidAuthorizationCreditFacilityBalanceShortage,
            "the customer's current credit facility does not have this much left",
            p.amount.to_string(),
        ));
    };
    credit::consume(store, &facility_id, p.amount);
    let (expiration_date, max_due_date) = validity(store.clock.today());
    let id = store.ids.next();
    let authorization = types::Authorization {
        amount: p.amount,
        canceled_at: None,
        created_at: store.clock.stamp(),
        credit_facility_id: Some(facility_id.into()),
        customer_id: customer_id.to_string().into(),
        expiration_date: Some(expiration_date),
        max_due_date: Some(max_due_date),
        number: p.number.clone(),
        object: "authorization".to_string(),
        status: Some(types::AuthorizationStatus::Active),
        transaction_id: None,
        uri: uri("authorization", &id),
        id: id.into(),
    };
    store.authorizations.insert(authorization.clone());
    Ok(authorization)
}

/// Whether the authorization is past its expiration date, whatever its
/// stored status says (the clock also moves a second per created object).
fn lapsed(a: &types::Authorization, today: NaiveDate) -> bool {
    a.expiration_date.is_some_and(|d| today > d)
}

/// The documented reason an authorization cannot be used or canceled, with
/// its code (`param` is the authorization id), or `None` if it is active.
fn unusable(a: &types::Authorization, today: NaiveDate) -> Option<(ErrorCode, &'static str)> {
    match a.status.as_ref() {
        Some(types::AuthorizationStatus::Canceled) => Some((
            ErrorCode::InvalidAuthorizationCanceled,
            "the authorization has been canceled",
        )),
        Some(types::AuthorizationStatus::Captured) => Some((
            ErrorCode::InvalidAuthorizationCaptured,
            "the authorization has already been used by a transaction",
        )),
        Some(types::AuthorizationStatus::Expired) => Some((
            ErrorCode::InvalidAuthorizationExpired,
            "the authorization has expired",
        )),
        Some(types::AuthorizationStatus::Active) if lapsed(a, today) => Some((
            ErrorCode::InvalidAuthorizationExpired,
            "the authorization has expired",
        )),
        Some(types::AuthorizationStatus::Active) => None,
        _ => Some((
            ErrorCode::InvalidAuthorizationNotAvailable,
            "the authorization cannot be used",
        )),
    }
}

/// `DELETE /authorizations/{id}`: only an active one can be canceled; its
/// amount goes back to the facility. The others answer 409 with the code
/// that says why (an unknown id answers 404, which the reference leaves
/// undocumented for this operation: L6438).
fn cancel_authorization(store: &mut Store, id: &str) -> Result<types::Authorization, Failure> {
    expire(store);
    let today = store.clock.today();
    let now = store.clock.now();
    let authorization = store
        .authorizations
        .get_mut(id)
        .ok_or_else(|| Failure::not_found(id))?;
    if let Some((code, message)) = unusable(authorization, today) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            code,
            message,
            Some(id.to_string()),
        ));
    }
    authorization.status = Some(types::AuthorizationStatus::Canceled);
    authorization.canceled_at = Some(now);
    let canceled = authorization.clone();
    if let Some(facility_id) = canceled.credit_facility_id.as_deref() {
        credit::release(store, facility_id, canceled.amount);
    }
    Ok(canceled)
}

/// A transaction registered with `authorization_id` captures the
/// authorization: it must be active, unexpired, of the same customer, for
/// at most its amount and due no later than its `max_due_date` (each
/// failure is a 400 with the documented code and the id as `param`).
/// The authorization becomes `captured` and names the transaction; the part
/// of its amount the transaction does not use goes back to the facility.
/// Returns the facility the transaction is charged to, which the caller
/// must NOT consume again. CONTRACT with the transactions module.
pub(crate) fn capture(
    store: &mut Store,
    authorization_id: &str,
    customer_id: &str,
    amount: i64,
    due_date: NaiveDate,
    transaction_id: &str,
) -> Result<String, Failure> {
    expire(store);
    let today = store.clock.today();
    let bad = |code: ErrorCode, message: &str| Failure::bad(code, message, authorization_id);
    let Some(authorization) = store.authorizations.get(authorization_id) else {
        return Err(bad(
            ErrorCode::InvalidAuthorizationNotFound,
            "no authorization has this id",
        ));
    };
    if let Some((code, message)) = unusable(authorization, today) {
        return Err(bad(code, message));
    }
    if authorization.customer_id != customer_id {
        return Err(bad(
            ErrorCode::InvalidAuthorizationNotMatched,
            "the authorization belongs to another customer than the destination",
        ));
    }
    let held = authorization.amount;
    if amount > held {
        return Err(bad(
            ErrorCode::InvalidAuthorizationOverAmount,
            "amount is above the authorization's amount",
        ));
    }
    if authorization.max_due_date.is_some_and(|max| due_date > max) {
        return Err(bad(
            ErrorCode::InvalidAuthorizationOverDueDate,
            "due_date is after the authorization's max_due_date",
        ));
    }
    let facility_id = authorization.credit_facility_id.clone().unwrap_or_default();
    if let Some(a) = store.authorizations.get_mut(authorization_id) {
        a.status = Some(types::AuthorizationStatus::Captured);
        a.transaction_id = Some(transaction_id.to_string().into());
    }
    // The balance is what transactions took (reference L4233): keep the
    // transaction's amount, give back the rest of the reservation.
    if amount < held {
        credit::release(store, &facility_id, held - amount);
    }
    Ok(facility_id.to_string())
}

/// Active authorizations past their expiration date expire and give their
/// amount back to the facility.
fn expire(store: &mut Store) {
    let today = store.clock.today();
    let mut released = Vec::new();
    for a in store.authorizations.rows_mut() {
        if a.status == Some(types::AuthorizationStatus::Active) && lapsed(a, today) {
            a.status = Some(types::AuthorizationStatus::Expired);
            if let Some(facility_id) = a.credit_facility_id.clone() {
                released.push((facility_id, a.amount));
            }
        }
    }
    for (facility_id, amount) in released {
        credit::release(store, &facility_id, amount);
    }
}

pub(crate) fn on_clock(store: &mut Store) {
    expire(store);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::handlers::customers::new_customer;

    /// A store on 2026-04-01 with two customers, the first with a facility
    /// of 100,000 and an authorization of 40,000 on it.
    fn setup() -> (Store, String, String, String) {
        let start = chrono::DateTime::parse_from_rfc3339("2026-04-01T10:00:00+09:00").unwrap();
        let mut store = Store::new(1, start);
        let mut customer = |n: usize| {
            let c = new_customer(&mut store, "顧客", &format!("C-{n}"));
            let id = c.id.to_string();
            store.customers.insert(c);
            id
        };
        let (a, b) = (customer(1), customer(2));
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let facility = credit::grant(
            &mut store,
            &a,
            "EXAM-0001",
            day("2026-04-01"),
            day("2026-05-31"),
            100_000,
        );
        let payload = types::AuthorizationPayload {
            amount: 40_000,
            customer_id: a.clone().into(),
            number: "AUTH-1".into(),
        };
        let authorization = authorize(&mut store, &payload).unwrap().id.to_string();
        assert_eq!(
            store.credit_facilities.get(&facility).unwrap().balance,
            Some(60_000)
        );
        (store, authorization, a, b)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[track_caller]
    fn assert_code(result: Result<String, Failure>, code: ErrorCode, param: &str) {
        let failure = result.unwrap_err();
        assert_eq!(failure.status, StatusCode::BAD_REQUEST);
        assert_eq!(failure.errors[0].code.as_ref(), Some(&code));
        assert_eq!(failure.errors[0].param.as_deref(), Some(param));
    }

    #[test]
    fn capture_marks_captured_and_gives_back_the_unused_part() {
        let (mut store, id, a, _) = setup();
        let facility =
            capture(&mut store, &id, &a, 30_000, day("2026-06-30"), "TRAN-0001").unwrap();
        let captured = store.authorizations.get(&id).unwrap();
        assert_eq!(captured.status, Some(types::AuthorizationStatus::Captured));
        assert_eq!(captured.transaction_id.as_deref(), Some("TRAN-0001"));
        assert_eq!(
            captured.credit_facility_id.as_deref(),
            Some(facility.as_str())
        );
        // 100,000 - 30,000 used by the transaction.
        assert_eq!(
            store.credit_facilities.get(&facility).unwrap().balance,
            Some(70_000)
        );
        assert_code(
            capture(&mut store, &id, &a, 1, day("2026-04-30"), "TRAN-0002"),
            ErrorCode::InvalidAuthorizationCaptured,
            &id,
        );
        // A captured authorization cannot be canceled.
        let failure = cancel_authorization(&mut store, &id).unwrap_err();
        assert_eq!(failure.status, StatusCode::CONFLICT);
        assert_eq!(
            failure.errors[0].code.as_ref(),
            Some(&ErrorCode::InvalidAuthorizationCaptured)
        );
    }

    #[test]
    fn capture_checks_each_documented_rule() {
        let (mut store, id, a, b) = setup();
        let due = day("2026-06-30");
        assert_code(
            capture(&mut store, "NONE-0000", &a, 1, due, "T"),
            ErrorCode::InvalidAuthorizationNotFound,
            "NONE-0000",
        );
        assert_code(
            capture(&mut store, &id, &b, 1, due, "T"),
            ErrorCode::InvalidAuthorizationNotMatched,
            &id,
        );
        assert_code(
            capture(&mut store, &id, &a, 40_001, due, "T"),
            ErrorCode::InvalidAuthorizationOverAmount,
            &id,
        );
        assert_code(
            capture(&mut store, &id, &a, 40_000, day("2026-07-01"), "T"),
            ErrorCode::InvalidAuthorizationOverDueDate,
            &id,
        );
        // Nothing changed by the refused captures.
        assert_eq!(
            store.authorizations.get(&id).unwrap().status,
            Some(types::AuthorizationStatus::Active)
        );
        cancel_authorization(&mut store, &id).unwrap();
        assert_code(
            capture(&mut store, &id, &a, 1, due, "T"),
            ErrorCode::InvalidAuthorizationCanceled,
            &id,
        );
    }

    #[test]
    fn capture_refuses_an_expired_authorization_even_before_the_clock_hook() {
        let (mut store, id, a, _) = setup();
        // Moved without `on_clock`: the expiry is still noticed.
        store.clock.advance(chrono::Duration::days(77));
        assert_code(
            capture(&mut store, &id, &a, 1, day("2026-06-30"), "T"),
            ErrorCode::InvalidAuthorizationExpired,
            &id,
        );
        assert_eq!(
            store.authorizations.get(&id).unwrap().status,
            Some(types::AuthorizationStatus::Expired)
        );
    }

    #[test]
    fn validity_follows_the_reference_example() {
        assert_eq!(
            validity(day("2019-04-01")),
            (day("2019-06-16"), day("2019-06-30"))
        );
        // Month ends clamp: 12-31 + 2 months = 02-28, + 15 days.
        assert_eq!(
            validity(day("2025-12-31")),
            (day("2026-03-15"), day("2026-03-31"))
        );
    }
}
