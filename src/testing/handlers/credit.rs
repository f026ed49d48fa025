//! Credit facilities as a balance: shared by examinations (which grant
//! them), transactions and authorizations (which consume them).

use chrono::NaiveDate;

use crate::{raw::types, testing::store::Store};

/// A facility's status on `today`: before its start date it is `inactive`,
/// after its end date `expired`, `active` in between (both ends included).
pub(crate) fn status_on(facility: &types::CreditFacility, today: NaiveDate) -> types::CreditFacilityStatus {
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
        .and_then(|f| f.id.clone())
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
