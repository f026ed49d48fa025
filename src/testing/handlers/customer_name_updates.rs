//! Customer name updates (顧客名変更申請): requests to rename a customer.
//! The sandbox has no magic string for them, so they stay `unexamined`
//! until a test decides them with
//! [`FakeKessai::decide_customer_name_update`].

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    response::Response,
    routing::get,
    Router,
};

use super::customers;
use crate::{
    raw::types,
    testing::{
        paginate,
        params::{within, Params},
        reply::{ok, payload, Failure, Reply},
        server::Shared,
        store::{uri, Store},
        FakeKessai,
    },
    validate::Validate,
    ErrorCode,
};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/customer_name_updates", get(list).post(create))
        .route(
            "/customer_name_updates/{customer_name_update_id}",
            get(show).delete(cancel),
        )
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_updates(store, &params))
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| ok(find(store, &id)?))
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| create_update(store, &body))
}

async fn cancel(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| cancel_update(store, &id))
}

/// The request with this id, or the 404 every path id gets (the code list
/// also has `invalid_customer_name_update_not_found`; the fake keeps the
/// generic `not_found` all lookups by path use).
fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::CustomerNameUpdate, Failure> {
    store
        .customer_name_updates
        .get(id)
        .ok_or_else(|| Failure::not_found(id))
}

fn list_updates(store: &Store, params: &Params) -> Reply {
    let customer_id =
        super::billings::id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    // Only three states can be asked for; `canceled` is not one of them
    // (GetCustomerNameUpdatesList `status` text).
    let status = params.one_of(
        "status",
        &["unexamined", "passed", "rejected"],
        ErrorCode::InvalidCustomerNameUpdateStatus,
    )?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    paginate::respond(&store.customer_name_updates, params, |u| {
        customer_id.is_none_or(|c| u.customer_id == c)
            && status
                .as_deref()
                .is_none_or(|s| u.status.as_ref().is_some_and(|us| us.to_string() == s))
            && within(Some(u.created_at), from, to)
    })
}

fn under_examination(store: &Store, customer_id: &str) -> bool {
    store.customer_name_updates.rows().iter().any(|u| {
        u.customer_id == customer_id
            && u.status == Some(types::CustomerNameUpdateStatus::Unexamined)
    })
}

fn create_update(store: &mut Store, body: &[u8]) -> Reply {
    let p: types::CustomerNameUpdatePayload = payload(
        body,
        &[
            ("customer_id", ErrorCode::InvalidCustomerId),
            ("name", ErrorCode::InvalidCustomerNameUpdateName),
            ("reason", ErrorCode::InvalidCustomerNameUpdateReason),
        ],
    )?;
    p.validate()?;
    customers::find(store, &p.customer_id)?;
    if under_examination(store, &p.customer_id) {
        return Err(Failure::conflict(
            ErrorCode::InvalidCustomerNameUpdateUnderExamination,
            "a name update for this customer is under examination",
            Some(p.customer_id.to_string()),
        ));
    }
    let id = store.ids.next();
    let update = types::CustomerNameUpdate {
        created_at: store.clock.stamp(),
        customer_id: p.customer_id,
        name: p.name,
        object: "customer_name_update".to_string(),
        reason: p.reason,
        status: Some(types::CustomerNameUpdateStatus::Unexamined),
        uri: uri("customer_name_update", &id),
        id: id.into(),
    };
    store.customer_name_updates.insert(update.clone());
    ok(&update)
}

/// 409 for a request that is no longer under examination. The reference
/// gives the status (DELETE 409 text) but no code; the fake uses the
/// request id's own code with the id as `param`.
fn not_unexamined(update: &types::CustomerNameUpdate, id: &str) -> Failure {
    let status = update
        .status
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    Failure::conflict(
        ErrorCode::InvalidCustomerNameUpdateId,
        format!("the customer name update is already {status}"),
        Some(id.to_string()),
    )
}

fn cancel_update(store: &mut Store, id: &str) -> Reply {
    let update = find(store, id)?;
    if update.status != Some(types::CustomerNameUpdateStatus::Unexamined) {
        return Err(not_unexamined(update, id));
    }
    let Some(update) = store.customer_name_updates.get_mut(id) else {
        return Err(Failure::not_found(id));
    };
    update.status = Some(types::CustomerNameUpdateStatus::Canceled);
    ok(&*update)
}

/// Passes or rejects an unexamined request; on a pass the customer takes
/// the new name. Emits `customer_name_update.examined`.
fn decide(store: &mut Store, id: &str, passed: bool) -> Result<types::CustomerNameUpdate, Failure> {
    let update = find(store, id)?;
    if update.status != Some(types::CustomerNameUpdateStatus::Unexamined) {
        return Err(not_unexamined(update, id));
    }
    let (result, status) = if passed {
        ("passed", types::CustomerNameUpdateStatus::Passed)
    } else {
        ("rejected", types::CustomerNameUpdateStatus::Rejected)
    };
    let Some(update) = store.customer_name_updates.get_mut(id) else {
        return Err(Failure::not_found(id));
    };
    update.status = Some(status);
    let update = update.clone();
    let customer_id = update.customer_id.clone();
    if passed {
        if let Some(customer) = store.customers.get_mut(&customer_id) {
            customer.name = update.name.clone();
        }
    }
    store.emit(
        "customer_name_update.examined",
        serde_json::json!({
            "customer_name_update_id": id,
            "customer_id": customer_id,
            "result": result,
        }),
    );
    Ok(update)
}

impl FakeKessai {
    /// Decides a customer name update still under examination, as the
    /// service's examiners would: `passed` renames the customer, otherwise
    /// the request is `rejected`. Either way `customer_name_update.examined`
    /// is delivered when webhooks are on. A missing request is a 404
    /// [`crate::Error::Api`]; one already decided or canceled a 409.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::types::{CustomerNameUpdatePayload, CustomerNameUpdateStatus};
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let client = fake.client()?;
    /// let customer_id = fake.seed_customers(1).remove(0);
    /// let request = client
    ///     .customer_name_updates()
    ///     .create(CustomerNameUpdatePayload::new(&customer_id, "新社名株式会社", "社名変更のため"))
    ///     .await?;
    /// let id = request.id;
    /// let decided = fake.decide_customer_name_update(&id, true)?;
    /// assert_eq!(decided.status, Some(CustomerNameUpdateStatus::Passed));
    /// let customer = client.customers().get(&customer_id).await?;
    /// assert_eq!(customer.name, "新社名株式会社");
    /// # Ok(()) }
    /// ```
    pub fn decide_customer_name_update(
        &self,
        id: &str,
        passed: bool,
    ) -> Result<types::CustomerNameUpdate, crate::Error> {
        self.shared.control(|store| decide(store, id, passed))
    }
}
