//! Customer examinations (与信枠審査): `/customer_examinations`, the
//! decision that grants a credit facility, and the monthly automatic
//! examinations of sellers who use 与信枠審査.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    response::Response,
    routing::get,
    Router,
};
use chrono::{Datelike, NaiveDate};

use crate::{
    raw::types,
    resources::customer_examinations::validate_examination_payload,
    sandbox::Outcome,
    testing::{
        formats::{email_ok, first_of_month, last_of_month, next_month, tel_ok, zip_ok},
        handlers::credit,
        paginate,
        params::{within, Params},
        reply::{ok, payload, Failure, Reply},
        server::Shared,
        store::{uri, Store},
        FakeKessai,
    },
    ErrorCode,
};

/// The day of the month from which next month's automatic examination is
/// applied for ("4月中頃に 5/1~5/31 … の与信枠審査申請", reference L1473).
const RENEWAL_DAY: u32 = 15;

/// The fields `CustomerExaminationPayload` requires, with their codes.
const REQUIRED: &[(&str, ErrorCode)] = &[
    ("address1", ErrorCode::InvalidCustomerExaminationAddress1),
    ("amount", ErrorCode::InvalidCustomerExaminationAmount),
    ("customer_id", ErrorCode::InvalidCustomerId),
    ("email", ErrorCode::InvalidCustomerExaminationEmail),
    ("end_date", ErrorCode::InvalidCustomerExaminationEndDate),
    ("tel", ErrorCode::InvalidCustomerExaminationTel),
    ("zip_code", ErrorCode::InvalidCustomerExaminationZipCode),
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/customer_examinations", get(list).post(create))
        .route(
            "/customer_examinations/{customer_examination_id}",
            get(show),
        )
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_examinations(store, &params))
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| {
        let examination = store
            .customer_examinations
            .get(&id)
            .ok_or_else(|| Failure::not_found(&id))?;
        ok(examination)
    })
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| {
        typed_fields(&body)?;
        let p = payload::<types::CustomerExaminationPayload>(&body, REQUIRED)?;
        let examination = register(store, &p, types::CustomerExaminationType::Manual)?;
        ok(&examination)
    })
}

fn list_examinations(store: &Store, params: &Params) -> Reply {
    let customer_id =
        super::billings::id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let numbered = params
        .text("customer_number", 100, ErrorCode::InvalidCustomerNumber)?
        .map(|number| customer_ids_with_number(store, number));
    let status = params.one_of(
        "status",
        &["unexamined", "passed", "rejected"],
        ErrorCode::InvalidCustomerExaminationStatus,
    )?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    paginate::respond(&store.customer_examinations, params, |e| {
        let owner = e.customer_id.as_str();
        customer_id.is_none_or(|id| owner == id)
            && numbered
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == owner))
            && status
                .as_deref()
                .is_none_or(|s| e.status.as_ref().is_some_and(|st| st.as_str() == s))
            && within(Some(e.created_at), from, to)
    })
}

/// The ids of the customers whose current `number` is this one (a filter
/// by customer number follows later number changes).
pub(crate) fn customer_ids_with_number(store: &Store, number: &str) -> Vec<String> {
    store
        .customers
        .rows()
        .iter()
        .filter(|c| c.number == number)
        .map(|c| c.id.to_string())
        .collect()
}

/// A wrongly typed `amount` or `end_date` gets its field's code rather than
/// the generic `invalid_json_format` the decoder would give.
fn typed_fields(body: &[u8]) -> Result<(), Failure> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return Ok(()); // `payload` reports malformed JSON.
    };
    if let Some(amount) = object.get("amount").filter(|v| !v.is_null()) {
        if amount.as_i64().is_none() {
            return Err(Failure::bad(
                ErrorCode::InvalidCustomerExaminationAmount,
                "amount must be an integer",
                value_text(amount),
            ));
        }
    }
    if let Some(end) = object.get("end_date").filter(|v| !v.is_null()) {
        let parsed = end
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        if parsed.is_none() {
            return Err(Failure::bad(
                ErrorCode::InvalidCustomerExaminationEndDate,
                "end_date must be a date (YYYY-MM-DD)",
                value_text(end),
            ));
        }
    }
    Ok(())
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The end dates a manual examination may ask for: "直近三ヶ月の月末のみ"
/// (reference L7061), read as this month's end and the next two.
fn end_date_candidates(today: NaiveDate) -> [NaiveDate; 3] {
    let first = last_of_month(today);
    let second = last_of_month(next_month(today));
    let third = last_of_month(next_month(next_month(today)));
    [first, second, third]
}

/// What the facade's validator does not check: the documented formats of
/// `business_type`, `email`, `tel` and `zip_code`.
fn check_formats(p: &types::CustomerExaminationPayload) -> Result<(), Failure> {
    if let Some(types::BusinessType::Unknown(other)) = &p.business_type {
        return Err(Failure::bad(
            ErrorCode::InvalidCustomerExaminationBusinessType,
            "business_type must be corporate, individual or empty",
            other.clone(),
        ));
    }
    if !email_ok(&p.email) {
        return Err(Failure::bad(
            ErrorCode::InvalidCustomerExaminationEmail,
            "email must be an email address",
            p.email.clone(),
        ));
    }
    if !tel_ok(&p.tel) {
        return Err(Failure::bad(
            ErrorCode::InvalidCustomerExaminationTel,
            "tel must be a Japanese phone number (0570 and 0800 numbers are not accepted)",
            p.tel.clone(),
        ));
    }
    if !zip_ok(&p.zip_code) {
        return Err(Failure::bad(
            ErrorCode::InvalidCustomerExaminationZipCode,
            "zip_code must be NNN-NNNN or NNNNNNN",
            p.zip_code.clone(),
        ));
    }
    Ok(())
}

/// Registers an examination, manual (`POST /customer_examinations`) or
/// automatic (the `customer_examination` section of `POST /customers`), and
/// decides it as the sandbox does: a magic `remark` passes or rejects it at
/// once, anything else leaves it `unexamined` until
/// [`FakeKessai::decide_customer_examination`]. CONTRACT between helpers:
/// the customers module calls this with `kind` `Auto`.
///
/// - `Manual`: `end_date` must be one of the next three month ends; a
///   pending examination of the customer answers 409; the amount must be
///   above the balance of the customer's current facility. A pass grants a
///   facility from the day of the decision to `end_date`.
/// - `Auto`: a monthly examination for the month containing `end_date`
///   (any day of it); `start_date` is that month's first day and the
///   facility granted on a pass covers the whole month (reference L596).
pub(crate) fn register(
    store: &mut Store,
    payload: &types::CustomerExaminationPayload,
    kind: types::CustomerExaminationType,
) -> Result<types::CustomerExamination, Failure> {
    let auto = kind == types::CustomerExaminationType::Auto;
    let today = store.clock.today();
    let candidates = end_date_candidates(today);
    let candidate_list = || {
        candidates
            .iter()
            .map(NaiveDate::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    validate_examination_payload(payload).map_err(|e| {
        let failure = Failure::from(e);
        // The reference puts the valid candidates in `param` (L2656).
        if failure.errors.first().and_then(|e| e.code.as_ref())
            == Some(&ErrorCode::InvalidCustomerExaminationEndDate)
            && !auto
        {
            Failure::bad(
                ErrorCode::InvalidCustomerExaminationEndDate,
                "end_date must be one of the next three month ends",
                candidate_list(),
            )
        } else {
            failure
        }
    })?;
    check_formats(payload)?;
    let (start_date, end_date) = if auto {
        (
            Some(first_of_month(payload.end_date)),
            last_of_month(payload.end_date),
        )
    } else {
        if !candidates.contains(&payload.end_date) {
            return Err(Failure::bad(
                ErrorCode::InvalidCustomerExaminationEndDate,
                "end_date must be one of the next three month ends",
                candidate_list(),
            ));
        }
        // A manual examination's start is the day it passes, so it is
        // returned empty (reference L3959).
        (None, payload.end_date)
    };
    let customer_id = payload.customer_id.trim().to_string();
    if store.customers.get(&customer_id).is_none() {
        return Err(Failure::not_found(&customer_id));
    }
    if !auto {
        if let Some(pending) = store.customer_examinations.rows().iter().find(|e| {
            Some(e.customer_id.as_str()) == Some(customer_id.as_str())
                && e.status == Some(types::CustomerExaminationStatus::Unexamined)
        }) {
            // 409 without a documented code (reference L4066); like the
            // destinations' 409 it names the existing object.
            return Err(Failure::conflict(
                ErrorCode::AlreadyExists,
                "an examination of this customer is still being examined",
                Some(pending.id.to_string()),
            ));
        }
        if let Some(balance) = credit::current(store, &customer_id).and_then(|f| f.balance) {
            // The code's text (L2617) rather than the payload's ("not below
            // the current amount", L7047): the amount must exceed the
            // current balance, and `param` is that balance.
            if payload.amount <= balance {
                return Err(Failure::bad(
                    ErrorCode::InvalidCustomerExaminationAmountWithBalance,
                    "amount must be above the balance of the current credit facility",
                    balance.to_string(),
                ));
            }
        }
    }
    let id = store.ids.next();
    let examination = types::CustomerExamination {
        address1: payload.address1.clone(),
        address2: payload.address2.clone(),
        amount: payload.amount,
        business_description: payload.business_description.clone(),
        business_type: payload
            .business_type
            .as_ref()
            .map(|b| types::BusinessType::from(b.as_str())),
        corporate_number: payload.corporate_number.clone(),
        created_at: store.clock.stamp(),
        customer_id: customer_id.into(),
        email: payload.email.clone(),
        end_date,
        object: Some("customer_examination".to_string()),
        remark: payload.remark.clone(),
        representative_name: payload.representative_name.clone(),
        start_date,
        status: Some(types::CustomerExaminationStatus::Unexamined),
        tel: payload.tel.clone(),
        type_: Some(kind),
        uri: uri("customer_examination", &id),
        website: payload.website.clone(),
        zip_code: payload.zip_code.clone(),
        id: id.clone().into(),
    };
    store.customer_examinations.insert(examination.clone());
    // The tutorial's POST with `__passed__` answers `unexamined` (L196)
    // while the text says the facility is there at once (L218): the fake
    // decides at once and answers the decided examination.
    match payload.remark.as_deref().and_then(Outcome::from_magic) {
        Some(outcome @ (Outcome::Passed | Outcome::Rejected)) => decide(store, &id, outcome),
        _ => Ok(examination),
    }
}

/// Decides an `unexamined` examination: a pass grants its facility, and
/// either result is announced by `customer_examination.examined`.
fn decide(
    store: &mut Store,
    id: &str,
    outcome: Outcome,
) -> Result<types::CustomerExamination, Failure> {
    let examination = store
        .customer_examinations
        .get(id)
        .cloned()
        .ok_or_else(|| Failure::not_found(id))?;
    if examination.status != Some(types::CustomerExaminationStatus::Unexamined) {
        return Err(Failure::conflict(
            ErrorCode::InvalidCustomerExaminationStatus,
            "the examination has already been decided",
            examination.status.as_ref().map(|s| s.as_str().to_string()),
        ));
    }
    let status = match outcome {
        Outcome::Passed => types::CustomerExaminationStatus::Passed,
        Outcome::Rejected => types::CustomerExaminationStatus::Rejected,
        _ => return Ok(examination),
    };
    let customer_id = examination.customer_id.clone();
    let auto = examination.type_ == Some(types::CustomerExaminationType::Auto);
    let today = store.clock.today();
    if status == types::CustomerExaminationStatus::Passed {
        let start = examination.start_date.unwrap_or(today);
        let end = examination.end_date;
        let amount = examination.amount;
        credit::grant(store, &customer_id, id, start, end, amount);
        if !auto {
            raise_later_monthly_facilities(store, &customer_id, end, amount);
        }
    }
    // A manual pass clears the customer's alert and an automatic rejection
    // raises it (reference L1476, L1490).
    let alert = match (&status, auto) {
        (types::CustomerExaminationStatus::Passed, false) => Some(false),
        (types::CustomerExaminationStatus::Rejected, true) => Some(true),
        _ => None,
    };
    if let (Some(alert), Some(customer)) = (alert, store.customers.get_mut(&customer_id)) {
        customer.has_alert = Some(alert);
    }
    let decided = store
        .customer_examinations
        .get_mut(id)
        .map(|e| {
            e.status = Some(status.clone());
            e.clone()
        })
        .ok_or_else(|| Failure::not_found(id))?;
    store.emit(
        "customer_examination.examined",
        serde_json::json!({
            "customer_examination_id": id,
            "customer_id": customer_id,
            "result": status.as_str(),
        }),
    );
    Ok(decided)
}

/// "今後有効な与信枠についても増枠された金額が反映されます" (reference L1499):
/// monthly facilities after an increase get the increased amount.
fn raise_later_monthly_facilities(
    store: &mut Store,
    customer_id: &str,
    after: NaiveDate,
    amount: i64,
) {
    let monthly: Vec<String> = store
        .customer_examinations
        .rows()
        .iter()
        .filter(|e| e.type_ == Some(types::CustomerExaminationType::Auto))
        .map(|e| e.id.to_string())
        .collect();
    for f in store.credit_facilities.rows_mut() {
        let later = f.customer_id.as_deref() == Some(customer_id)
            && f.start_date.is_some_and(|s| s > after)
            && !credit::overwritten(f)
            && f.customer_examination_id
                .as_ref()
                .is_some_and(|e| monthly.iter().any(|m| e == m));
        let old = f.amount.unwrap_or(0);
        if later && old < amount {
            f.amount = Some(amount);
            f.balance = Some(f.balance.unwrap_or(0) + amount - old);
        }
    }
}

/// Monthly automatic examinations (与信枠申請(自動), reference L1466-L1476):
/// from the 15th, a customer of automatic examinations without an alert
/// and without a pending examination is examined for next month (and for
/// this month, when the clock jumped past it), unless a facility already
/// covers that month. The amount is the last passed one, so increases
/// carry on; the outcome is the magic string of the customer's last
/// automatic examination, or a pass.
pub(crate) fn on_clock(store: &mut Store) {
    let today = store.clock.today();
    let mut months = vec![first_of_month(today)];
    if today.day() >= RENEWAL_DAY {
        months.push(next_month(today));
    }
    let customers: Vec<String> = store
        .customers
        .rows()
        .iter()
        .filter(|c| c.has_alert != Some(true))
        .map(|c| c.id.to_string())
        .collect();
    for customer_id in customers {
        for &month in &months {
            renew(store, &customer_id, month);
        }
    }
}

fn renew(store: &mut Store, customer_id: &str, month: NaiveDate) {
    let mine = |e: &&types::CustomerExamination| e.customer_id == customer_id;
    let exams = store.customer_examinations.rows();
    let Some(template) = exams
        .iter()
        .rev()
        .filter(mine)
        .find(|e| e.type_ == Some(types::CustomerExaminationType::Auto))
        .cloned()
    else {
        return; // not a customer of automatic examinations
    };
    let pending = exams
        .iter()
        .filter(mine)
        .any(|e| e.status == Some(types::CustomerExaminationStatus::Unexamined));
    let applied = exams
        .iter()
        .filter(mine)
        .any(|e| e.type_ == template.type_ && e.start_date == Some(month));
    let covered = store.credit_facilities.rows().iter().any(|f| {
        f.customer_id.as_deref() == Some(customer_id)
            && !credit::overwritten(f)
            && f.start_date.is_some_and(|s| s <= month)
            && f.end_date.is_some_and(|e| e >= month)
    });
    if pending || applied || covered {
        return;
    }
    let amount = exams
        .iter()
        .rev()
        .filter(mine)
        .find(|e| e.status == Some(types::CustomerExaminationStatus::Passed))
        .map(|e| e.amount)
        .or(Some(template.amount))
        .unwrap_or(0);
    let outcome = template
        .remark
        .as_deref()
        .and_then(Outcome::from_magic)
        .unwrap_or(Outcome::Passed);
    let id = store.ids.next();
    let examination = types::CustomerExamination {
        amount,
        created_at: store.clock.stamp(),
        end_date: last_of_month(month),
        start_date: Some(month),
        status: Some(types::CustomerExaminationStatus::Unexamined),
        uri: uri("customer_examination", &id),
        id: id.clone().into(),
        ..template
    };
    store.customer_examinations.insert(examination);
    if matches!(outcome, Outcome::Passed | Outcome::Rejected) {
        let _ = decide(store, &id, outcome);
    }
}

impl FakeKessai {
    /// Decides an `unexamined` customer examination, as the real examiner
    /// would within two business days: `Passed` grants the credit facility
    /// (from today, or from the month's first day for an automatic one),
    /// `Rejected` grants nothing; both send `customer_examination.examined`.
    /// `Unexamined` changes nothing.
    ///
    /// Fails with a 404 `not_found` error for an unknown id and a 409
    /// `invalid_customer_examination_status` for an examination already
    /// decided.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::{sandbox::Outcome, testing::FakeKessai, types};
    ///
    /// let fake = FakeKessai::start().await?;
    /// let client = fake.client()?;
    /// let customer_id = fake.seed_customers(1).remove(0);
    /// let payload: types::CustomerExaminationPayload = serde_json::from_value(serde_json::json!({
    ///     "customer_id": customer_id, "amount": 100000, "end_date": "2026-05-31",
    ///     "address1": "東京都千代田区1-2-3", "email": "a@example.com",
    ///     "tel": "03-1234-5678", "zip_code": "111-1111"
    /// })).unwrap();
    /// // Without a magic remark the examination waits for a decision.
    /// let pending = client.customer_examinations().create(payload).await?;
    /// let id = pending.id;
    ///
    /// let decided = fake.decide_customer_examination(&id, Outcome::Passed)?;
    /// assert_eq!(decided.status, Some(types::CustomerExaminationStatus::Passed));
    /// let facilities = client.credit_facilities().list().customer_examination_id(&id).send().await?;
    /// assert_eq!(facilities.items[0].balance, Some(100000));
    /// # Ok(()) }
    /// ```
    pub fn decide_customer_examination(
        &self,
        id: &str,
        outcome: Outcome,
    ) -> Result<types::CustomerExamination, crate::Error> {
        self.shared.control(|store| decide(store, id, outcome))
    }
}
