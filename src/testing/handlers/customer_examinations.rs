//! TODO(helper): routes and behaviour of this area.

use std::sync::Arc;

use axum::Router;

use crate::testing::{server::Shared, store::Store};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
}

pub(crate) fn on_clock(_store: &mut Store) {}

/// Registers an examination, manual (`POST /customer_examinations`) or
/// automatic (the `customer_examination` section of `POST /customers`), and
/// decides it as the sandbox does. CONTRACT between helpers: the customers
/// module calls this; the examinations module implements it.
pub(crate) fn register(
    _store: &mut Store,
    _payload: &crate::raw::types::CustomerExaminationPayload,
    _kind: crate::raw::types::CustomerExaminationType,
) -> Result<crate::raw::types::CustomerExamination, crate::testing::reply::Failure> {
    Err(crate::testing::reply::Failure::bad(
        crate::ErrorCode::InvalidParameter,
        "examinations are not implemented yet",
        "",
    ))
}
