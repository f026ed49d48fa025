//! Credit facilities (与信枠): `/credit_facilities`, read-only. Passed
//! examinations grant them (`customer_examinations`), the balance lives in
//! `credit`.

use std::sync::Arc;

use axum::{
    extract::{Path, RawQuery, State},
    response::Response,
    routing::get,
    Router,
};

use crate::{
    raw::types,
    testing::{
        handlers::{credit, customer_examinations::customer_ids_with_number},
        paginate,
        params::{within, Params},
        reply::{ok, Failure, Reply},
        server::Shared,
        store::Store,
    },
    ErrorCode,
};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/credit_facilities", get(list))
        .route("/credit_facilities/{credit_facility_id}", get(show))
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| {
        // The status is a function of the clock; make sure the rows agree
        // with today even if the clock crossed midnight by stamping objects.
        credit::refresh_statuses(store);
        list_facilities(store, &params)
    })
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        credit::refresh_statuses(store);
        let facility = store
            .credit_facilities
            .get(&id)
            .ok_or_else(|| Failure::not_found(&id))?;
        ok(facility)
    })
}

fn list_facilities(store: &Store, params: &Params) -> Reply {
    let customer_id =
        super::billings::id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let numbered = params
        .text("customer_number", 100, ErrorCode::InvalidCustomerNumber)?
        .map(|number| customer_ids_with_number(store, number));
    let examination_id = super::billings::id_filter(
        params,
        "customer_examination_id",
        ErrorCode::InvalidCustomerExaminationId,
        "",
    )?;
    // Repeated keys and the comma form are both documented (reference L4259).
    let statuses = params.all_of(
        "status",
        &["expired", "active", "inactive"],
        ErrorCode::InvalidCreditFacilityStatus,
    )?;
    let start_from = params.date(
        "start_date_from",
        ErrorCode::InvalidCreditFacilityStartDateFrom,
    )?;
    let start_to = params.date("start_date_to", ErrorCode::InvalidCreditFacilityStartDateTo)?;
    let end_from = params.date("end_date_from", ErrorCode::InvalidCreditFacilityEndDateFrom)?;
    let end_to = params.date("end_date_to", ErrorCode::InvalidCreditFacilityEndDateTo)?;
    paginate::respond(
        &store.credit_facilities,
        params,
        |f: &types::CreditFacility| {
            let owner = f.customer_id.as_deref().unwrap_or("");
            customer_id.is_none_or(|id| owner == id)
                && numbered
                    .as_ref()
                    .is_none_or(|ids| ids.iter().any(|id| id == owner))
                && examination_id.is_none_or(|id| f.customer_examination_id.as_deref() == Some(id))
                && (statuses.is_empty()
                    || f.status
                        .as_ref()
                        .is_some_and(|s| statuses.iter().any(|x| x == s.as_str())))
                && within(f.start_date, start_from, start_to)
                && within(f.end_date, end_from, end_to)
        },
    )
}
