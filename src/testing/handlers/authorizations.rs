//! TODO(helper): routes and behaviour of this area.

use std::sync::Arc;

use axum::Router;

use crate::testing::{server::Shared, store::Store};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
}

pub(crate) fn on_clock(_store: &mut Store) {}
