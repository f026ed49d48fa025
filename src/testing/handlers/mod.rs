//! One module per area of the API; each owns its routes.

use std::sync::Arc;

use axum::Router;

use super::{server::Shared, store::Store};

pub(crate) mod authorizations;
pub(crate) mod billings;
pub(crate) mod credit;
pub(crate) mod credit_facilities;
pub(crate) mod customer_examinations;
pub(crate) mod customer_name_updates;
pub(crate) mod customers;
pub(crate) mod destinations;
pub(crate) mod payouts;
pub(crate) mod transactions;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .merge(customers::routes())
        .merge(destinations::routes())
        .merge(customer_examinations::routes())
        .merge(credit_facilities::routes())
        .merge(transactions::routes())
        .merge(billings::routes())
        .merge(payouts::routes())
        .merge(customer_name_updates::routes())
        .merge(authorizations::routes())
}

/// What the passing of time does, after [`super::FakeKessai::advance_clock`].
/// Transactions and name updates do not move with time: without a magic
/// string they wait for the test to decide them.
pub(crate) fn on_clock(store: &mut Store) {
    credit::refresh_statuses(store);
    customer_examinations::on_clock(store);
    authorizations::on_clock(store);
    billings::on_clock(store);
}
