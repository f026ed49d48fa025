//! Credit facilities as a balance: shared by examinations (which grant
//! them), transactions and authorizations (which consume them).

use chrono::NaiveDate;

use crate::{raw::types, testing::store::Store};

/// A facility's status on `today`: before its start date it is `inactive`,
/// after its end date `expired`, `active` in between (both ends included).
pub(crate) fn status_on(
    facility: &types::CreditFacility,
    today: NaiveDate,
) -> types::CreditFacilityStatus {
    match (facility.start_date, facility.end_date) {
        (Some(start), _) if today < start => types::CreditFacilityStatus::Inactive,
        (_, Some(end)) if today > end => types::CreditFacilityStatus::Expired,
        _ => types::CreditFacilityStatus::Active,
    }
}

/// Recomputes every facility's status from the clock.
pub(crate) fn refresh_statuses(store: &mut Store) {
    let today = store.clock.today();
    for facility in store.credit_facilities.rows_mut() {
        facility.status = Some(status_on(facility, today));
    }
}

/// The id of the customer's facility active today with at least `amount`
/// left, the newest first.
pub(crate) fn available(store: &Store, customer_id: &str, amount: i64) -> Option<String> {
    let today = store.clock.today();
    store
        .credit_facilities
        .rows()
        .iter()
        .rev()
        .find(|f| {
            f.customer_id.as_deref() == Some(customer_id)
                && status_on(f, today) == types::CreditFacilityStatus::Active
                && f.balance.unwrap_or(0) >= amount
        })
        .map(|f| f.id.to_string())
}

/// Takes `amount` from the facility's balance.
pub(crate) fn consume(store: &mut Store, facility_id: &str, amount: i64) {
    if let Some(f) = store.credit_facilities.get_mut(facility_id) {
        f.balance = Some(f.balance.unwrap_or(0) - amount);
    }
}

/// Gives `amount` back to the facility (a canceled transaction or
/// authorization), never above the facility's amount.
pub(crate) fn release(store: &mut Store, facility_id: &str, amount: i64) {
    if let Some(f) = store.credit_facilities.get_mut(facility_id) {
        let cap = f.amount.unwrap_or(i64::MAX);
        f.balance = Some((f.balance.unwrap_or(0) + amount).min(cap));
    }
}

/// The customer's facility active today, if any (periods never overlap, so
/// there is at most one: reference L1451).
pub(crate) fn current<'s>(
    store: &'s Store,
    customer_id: &str,
) -> Option<&'s types::CreditFacility> {
    let today = store.clock.today();
    store.credit_facilities.rows().iter().rev().find(|f| {
        f.customer_id.as_deref() == Some(customer_id)
            && status_on(f, today) == types::CreditFacilityStatus::Active
    })
}

/// Whether a facility was overwritten by a later one. An overwritten
/// facility keeps its row but ends the day before it starts, so it is never
/// active again.
pub(crate) fn overwritten(facility: &types::CreditFacility) -> bool {
    matches!((facility.start_date, facility.end_date), (Some(s), Some(e)) if e < s)
}

/// Grants the customer a facility from `start` to `end` for `amount`, as a
/// passed examination does, and returns its id.
///
/// Facilities of the same customer whose period overlaps are overwritten
/// and can no longer be used (reference L645, L1498): they now end the day
/// before `start`, so the reference's own query for the facility valid
/// today (`start_date_to=today&end_date_from=today`, recipe 与信枠を利用して
/// 取引登録を行う) finds only the new one. When both start the same day the
/// old one's period is empty (end before start) and it is `expired`. What was used of them carries over, so an increase
/// (増枠) adds credit instead of handing out a fresh balance.
pub(crate) fn grant(
    store: &mut Store,
    customer_id: &str,
    examination_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    amount: i64,
) -> String {
    let cut = start.pred_opt().unwrap_or(start);
    let mut used = 0;
    for f in store.credit_facilities.rows_mut() {
        let overlaps = !overwritten(f)
            && f.customer_id.as_deref() == Some(customer_id)
            && f.start_date.is_some_and(|s| s <= end)
            && f.end_date.is_some_and(|e| e >= start);
        if overlaps {
            used += (f.amount.unwrap_or(0) - f.balance.unwrap_or(0)).max(0);
            f.end_date = Some(cut);
        }
    }
    let id = store.ids.next();
    let mut facility = types::CreditFacility {
        amount: Some(amount),
        balance: Some((amount - used).max(0)),
        customer_examination_id: Some(examination_id.to_string().into()),
        customer_id: Some(customer_id.to_string().into()),
        end_date: Some(end),
        object: Some("credit_facility".to_string()),
        start_date: Some(start),
        status: None,
        uri: crate::testing::store::uri("credit_facility", &id),
        id: id.clone().into(),
    };
    facility.status = Some(status_on(&facility, store.clock.today()));
    store.credit_facilities.insert(facility);
    refresh_statuses(store);
    id
}
