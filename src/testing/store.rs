//! The fake's in-memory state: one table per object, a seeded id generator
//! and a clock that only moves when a test moves it (plus one second per
//! created object, so `created_at` orders like the creation order).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};

use crate::raw::types;

/// An object stored in a [`Table`]: everything the generated types share.
pub(crate) trait Record: Clone {
    fn record_id(&self) -> &str;
}

macro_rules! records {
    ($($ty:ident),* $(,)?) => {$(
        impl Record for types::$ty {
            fn record_id(&self) -> &str {
                self.id.as_str()
            }
        }
    )*};
}

records!(
    Customer,
    Destination,
    CustomerExamination,
    CreditFacility,
    Transaction,
    Billing,
    Payout,
    PayoutTransaction,
    PayoutRefund,
    CustomerNameUpdate,
    Authorization,
);

/// Rows in creation order (oldest first) with an index by id. Lists read it
/// backwards, since the API returns the newest first.
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    rows: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Record> Table<T> {
    pub(crate) fn insert(&mut self, row: T) {
        self.index
            .insert(row.record_id().to_string(), self.rows.len());
        self.rows.push(row);
    }

    /// Takes back the newest row: a request that inserted it and then
    /// failed must leave nothing behind.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let row = self.rows.pop()?;
        self.index.remove(row.record_id());
        Some(row)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).map(|&i| &self.rows[i])
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.index.get(id).map(|&i| &mut self.rows[i])
    }

    /// Position in creation order, for cursors.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Oldest first.
    pub(crate) fn rows(&self) -> &[T] {
        &self.rows
    }

    pub(crate) fn rows_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.iter_mut()
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// Ids in the reference's style (`7679-YW36`), drawn from a seeded generator
/// so a run is repeatable, and never handed out twice.
#[derive(Debug)]
pub(crate) struct IdGen {
    rng: fastrand::Rng,
    used: HashSet<String>,
}

const ID_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUVWXY";

impl IdGen {
    pub(crate) fn new(seed: u64) -> Self {
        IdGen {
            rng: fastrand::Rng::with_seed(seed),
            used: HashSet::new(),
        }
    }

    pub(crate) fn next(&mut self) -> String {
        loop {
            let mut id = String::with_capacity(9);
            for i in 0..8 {
                if i == 4 {
                    id.push('-');
                }
                id.push(ID_ALPHABET[self.rng.usize(..ID_ALPHABET.len())] as char);
            }
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }

    /// A random token for signed URLs and the like.
    pub(crate) fn token(&mut self) -> String {
        (0..32)
            .map(|_| ID_ALPHABET[self.rng.usize(..ID_ALPHABET.len())] as char)
            .collect()
    }
}

/// The fake's notion of now, in JST like the API's timestamps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    now: DateTime<FixedOffset>,
}

impl Clock {
    pub(crate) fn new(start: DateTime<FixedOffset>) -> Self {
        Clock { now: start }
    }

    pub(crate) fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The time to stamp on a new object; moves the clock one second on so
    /// later objects sort after it.
    pub(crate) fn stamp(&mut self) -> DateTime<FixedOffset> {
        let now = self.now;
        self.now += Duration::seconds(1);
        now
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.now += by;
    }
}

/// Everything the fake knows. Handlers lock it for the length of one request
/// (no `.await` while locked), which makes each request atomic.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) clock: Clock,
    pub(crate) ids: IdGen,
    pub(crate) customers: Table<types::Customer>,
    pub(crate) destinations: Table<types::Destination>,
    pub(crate) customer_examinations: Table<types::CustomerExamination>,
    pub(crate) credit_facilities: Table<types::CreditFacility>,
    pub(crate) transactions: Table<types::Transaction>,
    pub(crate) billings: Table<types::Billing>,
    pub(crate) payouts: Table<types::Payout>,
    pub(crate) payout_transactions: Table<types::PayoutTransaction>,
    pub(crate) payout_refunds: Table<types::PayoutRefund>,
    pub(crate) customer_name_updates: Table<types::CustomerNameUpdate>,
    pub(crate) authorizations: Table<types::Authorization>,
    /// Per billing: its issues (請求書発行履歴), newest last.
    pub(crate) billing_issues: HashMap<String, Vec<types::Issue>>,
    /// Last account transfer request per customer, for the one-hour 409.
    pub(crate) account_transfer_requests: HashMap<String, DateTime<FixedOffset>>,
    /// Files behind the signed URLs the fake hands out: token → bytes.
    pub(crate) files: HashMap<String, Vec<u8>>,
    /// Webhook events waiting to be delivered: (event type, data object).
    pub(crate) outbox: Vec<(String, serde_json::Value)>,
    /// Transactions' and billings' bookkeeping the generated types have no
    /// field for (credit taken, payments, invoice mode, signed URLs).
    pub(crate) ledger: super::handlers::billings::Ledger,
}

impl Store {
    pub(crate) fn new(seed: u64, start: DateTime<FixedOffset>) -> Self {
        Store {
            clock: Clock::new(start),
            ids: IdGen::new(seed),
            customers: Table::default(),
            destinations: Table::default(),
            customer_examinations: Table::default(),
            credit_facilities: Table::default(),
            transactions: Table::default(),
            billings: Table::default(),
            payouts: Table::default(),
            payout_transactions: Table::default(),
            payout_refunds: Table::default(),
            customer_name_updates: Table::default(),
            authorizations: Table::default(),
            billing_issues: HashMap::new(),
            account_transfer_requests: HashMap::new(),
            files: HashMap::new(),
            outbox: Vec::new(),
            ledger: Default::default(),
        }
    }

    /// Queues a webhook event; it is sent after the request that caused it.
    pub(crate) fn emit(&mut self, event_type: &str, data: serde_json::Value) {
        self.outbox.push((event_type.to_string(), data));
    }
}

/// `mfk:<object>:<id>`, the reference's `uri` format.
pub(crate) fn uri(object: &str, id: &str) -> String {
    format!("mfk:{object}:{id}")
}
