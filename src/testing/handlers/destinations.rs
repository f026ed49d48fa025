//! TODO(helper): routes and behaviour of this area.

use std::sync::Arc;

use axum::Router;

use crate::testing::{server::Shared, store::Store};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
}

pub(crate) fn on_clock(_store: &mut Store) {}

/// The destination [`crate::testing::FakeKessai::seed_customers`] gives
/// each seeded customer.
pub(crate) fn seeded_destination(store: &mut Store, customer_id: &str, n: usize) -> crate::raw::types::Destination {
    let id = store.ids.next();
    crate::raw::types::Destination {
        address1: Some("東京都千代田区1-2-3".to_string()),
        created_at: Some(store.clock.stamp()),
        customer_id: Some(customer_id.to_string()),
        email: Some(format!("billing-{n}@example.com")),
        name: Some(format!("担当 {n}")),
        object: Some("destination".to_string()),
        uri: Some(crate::testing::store::uri("destination", &id)),
        id: Some(id),
        zip_code: Some("111-1111".to_string()),
        ..Default::default()
    }
}
