//! Payouts (振込), their receivables (債権, `/payout_transactions`) and
//! refunds (返金, `/payout_refunds`): read-only. The sandbox makes no
//! payouts (reference L2209), so these lists stay empty unless a test seeds
//! them with [`FakeKessai::seed_payout`] and friends.

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
        store::{uri, Record, Store, Table},
        FakeKessai,
    },
    ErrorCode,
};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/payouts", get(list_payouts))
        .route("/payouts/{payout_id}", get(show_payout))
        .route("/payout_transactions", get(list_payout_transactions))
        .route(
            "/payout_transactions/{payout_transaction_id}",
            get(show_payout_transaction),
        )
        // No get-by-id for refunds in the reference (SUMMARY 23).
        .route("/payout_refunds", get(list_payout_refunds))
}

async fn list_payouts(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| payouts(store, &params))
}

async fn show_payout(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        ok(store
            .payouts
            .get(&id)
            .ok_or_else(|| Failure::not_found(&id))?)
    })
}

async fn list_payout_transactions(
    State(s): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| {
        let payout_id =
            super::billings::id_filter(&params, "payout_id", ErrorCode::InvalidPayoutId, "")?;
        paginate::respond(&store.payout_transactions, &params, |t| {
            payout_id.is_none_or(|id| t.payout_id.as_deref() == Some(id))
        })
    })
}

async fn show_payout_transaction(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        ok(store
            .payout_transactions
            .get(&id)
            .ok_or_else(|| Failure::not_found(&id))?)
    })
}

async fn list_payout_refunds(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| {
        let payout_id =
            super::billings::id_filter(&params, "payout_id", ErrorCode::InvalidPayoutId, "")?;
        paginate::respond(&store.payout_refunds, &params, |r| {
            payout_id.is_none_or(|id| r.payout_id.as_deref() == Some(id))
        })
    })
}

fn payouts(store: &Store, params: &Params) -> Reply {
    // An array filter with no documented syntax (SUMMARY 6): repeated keys,
    // `status[]` and the comma form are all read.
    let statuses = params.all_of(
        "status",
        &["in_progress", "completed"],
        ErrorCode::InvalidPayoutStatus,
    )?;
    let from = params.date("payout_date_from", ErrorCode::InvalidPayoutDateFrom)?;
    let to = params.date("payout_date_to", ErrorCode::InvalidPayoutDateTo)?;
    paginate::respond(&store.payouts, params, |p| {
        (statuses.is_empty()
            || p.status
                .as_ref()
                .is_some_and(|s| statuses.iter().any(|x| x == s.as_str())))
            && within(p.payout_date, from, to)
    })
}

/// Inserts a seeded row, or replaces the row that has its id, and returns
/// the id. Ids the test leaves out are drawn like the fake's own.
/// An empty id (the `Default`) means "assign one", an empty uri "derive it".
fn fill_identity<I: From<String> + std::ops::Deref<Target = str>>(
    store: &mut Store,
    id: &mut I,
    object_uri: &mut String,
    object: &str,
) {
    if id.is_empty() {
        *id = I::from(store.ids.next());
    }
    if object_uri.is_empty() {
        *object_uri = uri(object, id);
    }
}

fn upsert<T: Record>(
    store: &mut Store,
    table: impl Fn(&mut Store) -> &mut Table<T>,
    row: T,
) -> String {
    let id = row.record_id().to_string();
    match table(store).get_mut(&id) {
        Some(existing) => *existing = row,
        None => table(store).insert(row),
    }
    id
}

impl FakeKessai {
    /// Adds a payout (振込) as if Money Forward Kessai had scheduled it;
    /// missing `id`, `uri` and `object` are filled in (a payout with the
    /// id of an existing one replaces it). Returns the id. Lists show
    /// payouts newest seeded first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::types;
    ///
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let id = fake.seed_payout(types::Payout {
    ///     amount: Some(300_800),
    ///     payout_date: chrono::NaiveDate::from_ymd_opt(2026, 4, 30),
    ///     status: Some(types::PayoutStatus::InProgress),
    ///     ..Default::default()
    /// });
    /// let payout = fake.client()?.payouts().get(&id).await?;
    /// assert_eq!(payout.amount, Some(300_800));
    /// assert_eq!(payout.object.as_deref(), Some("payout"));
    /// # Ok(()) }
    /// ```
    pub fn seed_payout(&self, mut payout: types::Payout) -> crate::ids::PayoutId {
        let mut store = self.shared.store();
        fill_identity(&mut store, &mut payout.id, &mut payout.uri, "payout");
        payout.object.get_or_insert_with(|| "payout".to_string());
        upsert(&mut store, |s| &mut s.payouts, payout).into()
    }

    /// Adds a receivable (債権) to a payout: `payout_id` is set to the given
    /// one, missing `id`, `uri` and `object` are filled in. The payout does
    /// not have to be seeded first. Returns the id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::types;
    ///
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let payout_id = fake.seed_payout(types::Payout::default());
    /// fake.seed_payout_transaction(&payout_id, types::PayoutTransaction {
    ///     amount: Some(10_000),
    ///     transaction_id: Some("GY9N-EWNM".into()),
    ///     ..Default::default()
    /// });
    /// let page = fake.client()?.payout_transactions().list().payout_id(&payout_id).send().await?;
    /// assert_eq!(page.items[0].amount, Some(10_000));
    /// # Ok(()) }
    /// ```
    pub fn seed_payout_transaction(
        &self,
        payout_id: &str,
        mut item: types::PayoutTransaction,
    ) -> crate::ids::PayoutTransactionId {
        let mut store = self.shared.store();
        fill_identity(
            &mut store,
            &mut item.id,
            &mut item.uri,
            "payout_transaction",
        );
        item.object
            .get_or_insert_with(|| "payout_transaction".to_string());
        item.payout_id = Some(payout_id.to_string().into());
        upsert(&mut store, |s| &mut s.payout_transactions, item).into()
    }

    /// Adds a refund (返金) deducted from a payout: `payout_id` is set to the
    /// given one, missing `id`, `uri` and `object` are filled in. The payout
    /// does not have to be seeded first. Returns the id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::types;
    ///
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let payout_id = fake.seed_payout(types::Payout::default());
    /// fake.seed_payout_refund(&payout_id, types::PayoutRefund {
    ///     amount: Some(10_000),
    ///     commission_amount: Some(100),
    ///     ..Default::default()
    /// });
    /// let page = fake.client()?.payout_refunds().list().payout_id(&payout_id).send().await?;
    /// assert_eq!(page.items[0].commission_amount, Some(100));
    /// # Ok(()) }
    /// ```
    pub fn seed_payout_refund(
        &self,
        payout_id: &str,
        mut item: types::PayoutRefund,
    ) -> crate::ids::PayoutRefundId {
        let mut store = self.shared.store();
        fill_identity(&mut store, &mut item.id, &mut item.uri, "payout_refund");
        if item.object.is_empty() {
            item.object = "payout_refund".to_string();
        }
        item.payout_id = Some(payout_id.to_string().into());
        upsert(&mut store, |s| &mut s.payout_refunds, item).into()
    }
}
