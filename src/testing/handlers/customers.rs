//! Customers (顧客): `/customers` and its sub-resources.

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
        paginate,
        params::{within, Params},
        reply::{ok, Failure, Reply},
        server::Shared,
        store::{uri, Store},
        FakeKessai,
    },
    ErrorCode,
};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/customers", get(list))
        .route("/customers/{customer_id}", get(show))
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_customers(store, &params))
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        let customer = find(store, &id)?;
        ok(customer)
    })
}

/// The customer with this id, or the documented 404.
pub(crate) fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::Customer, Failure> {
    store.customers.get(id).ok_or_else(|| Failure::not_found(id))
}

/// `bank_transfer` unless an account transfer has been set up.
pub(crate) fn payment_method_name(customer: &types::Customer) -> &'static str {
    match customer.payment_method.as_ref().and_then(|p| p.account_transfer.as_ref()) {
        Some(_) => "account_transfer",
        None => "bank_transfer",
    }
}

fn list_customers(store: &Store, params: &Params) -> Reply {
    let ids = params.all("ids");
    if ids.len() > 200 {
        return Err(Failure::bad(
            ErrorCode::InvalidCustomerIds,
            "ids accepts at most 200 values",
            ids.len().to_string(),
        ));
    }
    let number = params.one("number");
    let methods = params.all_of(
        "payment_method",
        &["bank_transfer", "account_transfer"],
        ErrorCode::InvalidCustomerPaymentMethod,
    )?;
    let has_alert = params.bool("has_alert", ErrorCode::InvalidCustomerHasAlert)?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    paginate::respond(&store.customers, params, |c| {
        number.is_none_or(|n| c.number.as_deref() == Some(n))
            && (ids.is_empty() || ids.iter().any(|id| c.id.as_deref() == Some(id)))
            && (methods.is_empty() || methods.iter().any(|m| m == payment_method_name(c)))
            && has_alert.is_none_or(|a| c.has_alert == Some(a))
            && within(c.created_at, from, to)
    })
}

/// A new customer row stamped with the fake's clock.
pub(crate) fn new_customer(store: &mut Store, name: &str, number: &str) -> types::Customer {
    let id = store.ids.next();
    types::Customer {
        created_at: Some(store.clock.stamp()),
        has_alert: Some(false),
        uri: Some(uri("customer", &id)),
        id: Some(id),
        name: Some(name.to_string()),
        number: Some(number.to_string()),
        object: Some("customer".to_string()),
        payment_method: Some(types::PaymentMethod {
            object: Some("payment_method".to_string()),
            ..Default::default()
        }),
    }
}

impl FakeKessai {
    /// Adds `count` customers named `顧客 N` with numbers `CUSTOMER-N`
    /// (N counting on from the customers already there), each with one
    /// destination, without going through HTTP: fast enough for hundreds of
    /// thousands. Returns their ids, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let ids = fake.seed_customers(250);
    /// let page = fake.client()?.customers().list().send().await?;
    /// assert_eq!(page.total, Some(250));
    /// assert_eq!(page.items[0].id.as_deref(), Some(ids[249].as_str())); // newest first
    /// # Ok(()) }
    /// ```
    pub fn seed_customers(&self, count: usize) -> Vec<String> {
        let mut store = self.shared.store();
        let first = store.customers.len() + 1;
        (first..first + count)
            .map(|n| {
                let customer = new_customer(&mut store, &format!("顧客 {n}"), &format!("CUSTOMER-{n}"));
                let id = customer.id.clone().unwrap_or_default();
                store.customers.insert(customer);
                let destination = super::destinations::seeded_destination(&mut store, &id, n);
                store.destinations.insert(destination);
                id
            })
            .collect()
    }
}
