//! Customers (顧客): `/customers` and its sub-resources.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Router,
};
use chrono::{Duration, NaiveDate};

use super::{customer_examinations, destinations};
use crate::{
    raw::types,
    resources::customer_examinations::validate_examination_payload,
    testing::{
        formats::last_of_month,
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
        .route("/customers", get(list).post(create))
        .route("/customers/{customer_id}", get(show).patch(update))
        .route(
            "/customers/{customer_id}/bank_transfer",
            post(assign_bank_transfer),
        )
        .route(
            "/customers/{customer_id}/account_transfer_request",
            post(request_account_transfer),
        )
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

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| create_customer(store, &body))
}

async fn update(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    s.with(|store| update_customer(store, &id, &body))
}

async fn assign_bank_transfer(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| assign_account(store, &id))
}

async fn request_account_transfer(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    s.with(|store| account_transfer_request(store, &id, &body))
}

/// The customer with this id, or the documented 404.
pub(crate) fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::Customer, Failure> {
    store
        .customers
        .get(id)
        .ok_or_else(|| Failure::not_found(id))
}

/// `bank_transfer` unless an account transfer has been set up.
pub(crate) fn payment_method_name(customer: &types::Customer) -> &'static str {
    match customer
        .payment_method
        .as_ref()
        .and_then(|p| p.account_transfer.as_ref())
    {
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
    let number = params.text("number", 100, ErrorCode::InvalidCustomerNumber)?;
    let methods = params.all_of(
        "payment_method",
        &["bank_transfer", "account_transfer"],
        ErrorCode::InvalidCustomerPaymentMethod,
    )?;
    let has_alert = params.bool("has_alert", ErrorCode::InvalidCustomerHasAlert)?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    paginate::respond(&store.customers, params, |c| {
        number.is_none_or(|n| c.number == n)
            && (ids.is_empty() || ids.iter().any(|id| c.id == id))
            && (methods.is_empty() || methods.iter().any(|m| m == payment_method_name(c)))
            && has_alert.is_none_or(|a| c.has_alert == Some(a))
            && within(Some(c.created_at), from, to)
    })
}

/// A new customer row stamped with the fake's clock. Its bank transfer
/// account is not assigned yet: the reference's tutorial shows a new
/// customer with `payment_method.bank_transfer` holding only `object`
/// (reference lines 103-107).
pub(crate) fn new_customer(store: &mut Store, name: &str, number: &str) -> types::Customer {
    let id = store.ids.next();
    types::Customer {
        created_at: store.clock.stamp(),
        has_alert: Some(false),
        uri: uri("customer", &id),
        id: id.into(),
        name: name.to_string(),
        number: number.to_string(),
        object: "customer".to_string(),
        payment_method: Some(types::PaymentMethod {
            bank_transfer: Some(types::BankTransfer {
                object: "bank_transfer".to_string(),
                ..Default::default()
            }),
            object: "payment_method".to_string(),
            ..Default::default()
        }),
    }
}

/// The id of the customer with this number, if any.
fn with_number<'s>(store: &'s Store, number: &str) -> Option<&'s types::Customer> {
    store.customers.rows().iter().find(|c| c.number == number)
}

/// Checks the required fields of an object nested in the body (the first
/// destination, the examinee) so a missing one gets its own code like the
/// top-level fields do in `reply::payload`. An absent parent is left to the
/// caller; a parent that is not an object gets `not_object`.
pub(crate) fn require_nested(
    body: &[u8],
    path: &[&str],
    not_object: ErrorCode,
    required: &[(&str, ErrorCode)],
) -> Result<(), Failure> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(()); // reply::payload reports the malformed JSON
    };
    let mut node = &value;
    for key in path {
        match node.get(key) {
            Some(next) if !next.is_null() => node = next,
            _ => return Ok(()),
        }
    }
    let Some(object) = node.as_object() else {
        return Err(Failure::bad(
            not_object,
            format!("{} must be an object", path.join(".")),
            "",
        ));
    };
    let mut failure: Option<Failure> = None;
    for (field, code) in required {
        if object.get(*field).is_none_or(|v| v.is_null()) {
            let f = Failure::bad(
                code.clone(),
                format!("{}.{field} is required", path.join(".")),
                "",
            );
            failure = Some(match failure {
                Some(prev) => prev.and(f),
                None => f,
            });
        }
    }
    failure.map_or(Ok(()), Err)
}

/// The amount an automatic examination asks for when the payload gives none
/// (or 0, which "is ignored"): the reference says the seller's flat amount
/// applies then (reference line 479); the fake's seller has this one.
pub(crate) const DEFAULT_AUTO_EXAMINATION_AMOUNT: i64 = 100_000;

/// The `customer_examination` section of `POST /customers` as the payload
/// of the automatic examination: the examinee's contact details, or the
/// first destination's when there is no examinee; the current month as the
/// period, since automatic examinations grant monthly facilities and need no
/// `end_date` (reference line 474 and the CustomerExamination
/// `start_date` text).
fn auto_examination_payload(
    section: &types::CustomerPayloadCustomerExamination,
    destination: &types::CustomerPayloadDestination,
    customer_id: &str,
    today: NaiveDate,
) -> types::CustomerExaminationPayload {
    let (address1, address2, email, tel, zip_code) = match &section.examinee {
        Some(e) => (
            e.address1.clone(),
            e.address2.clone(),
            e.email.clone(),
            e.tel.clone(),
            e.zip_code.clone(),
        ),
        None => (
            destination.address1.clone(),
            destination.address2.clone(),
            destination.email.clone(),
            destination.tel.clone(),
            destination.zip_code.clone(),
        ),
    };
    types::CustomerExaminationPayload {
        address1,
        address2,
        amount: match section.amount {
            None | Some(0) => DEFAULT_AUTO_EXAMINATION_AMOUNT,
            Some(amount) => amount,
        },
        business_description: section.business_description.clone(),
        business_type: section
            .business_type
            .as_ref()
            .map(|t| types::BusinessType::from(t.to_string().as_str())),
        corporate_number: section.corporate_number.clone(),
        customer_id: customer_id.to_string().into(),
        email,
        end_date: last_of_month(today),
        remark: section.remark.clone(),
        representative_name: section.representative_name.clone(),
        tel,
        website: section.website.clone(),
        zip_code,
    }
}

/// What the examination section must satisfy before anything is created:
/// its own limits were checked with the customer payload's; the examination
/// it makes must pass what `POST /customer_examinations` checks. The
/// reference does not say what happens to a customer whose examination
/// section is invalid, so the fake refuses the whole request with the
/// examination's own codes and creates nothing (one atomic request).
fn check_examination_section(
    examination: &types::CustomerExaminationPayload,
) -> Result<(), Failure> {
    validate_examination_payload(examination)?;
    Ok(())
}

fn create_customer(store: &mut Store, body: &[u8]) -> Reply {
    require_nested(
        body,
        &["destination"],
        ErrorCode::InvalidCustomerDestination,
        &[
            ("address1", ErrorCode::InvalidDestinationAddress1),
            ("email", ErrorCode::InvalidDestinationEmail),
            ("tel", ErrorCode::InvalidDestinationTel),
            ("zip_code", ErrorCode::InvalidDestinationZipCode),
        ],
    )?;
    // "指定する場合はaddress2以外は必須項目となります" (CustomerPayload table).
    require_nested(
        body,
        &["customer_examination", "examinee"],
        ErrorCode::InvalidJsonFormat,
        &[
            ("zip_code", ErrorCode::InvalidCustomerExaminationZipCode),
            ("address1", ErrorCode::InvalidCustomerExaminationAddress1),
            ("email", ErrorCode::InvalidCustomerExaminationEmail),
            ("tel", ErrorCode::InvalidCustomerExaminationTel),
        ],
    )?;
    let p: types::CustomerPayload = payload(
        body,
        &[
            ("name", ErrorCode::InvalidCustomerName),
            ("number", ErrorCode::InvalidCustomerNumber),
            ("destination", ErrorCode::InvalidCustomerDestination),
        ],
    )?;
    p.validate()?;
    let first_destination = destinations::content_of_customer_payload(&p.destination);
    destinations::check_formats(&first_destination)?;
    let today = store.clock.today();
    let examination = match &p.customer_examination {
        Some(section) => {
            // The customer id is not drawn yet; the checks only need one.
            let examination = auto_examination_payload(section, &p.destination, "0000-0000", today);
            check_examination_section(&examination)?;
            Some(examination)
        }
        None => None,
    };
    // The 409 names number first (CreateCustomer 409 text, reference line
    // 3326); its code is not documented, so the fake answers like
    // POST /destinations does: `already_exists` with the existing id.
    if let Some(existing) = with_number(store, &p.number) {
        return Err(Failure::conflict(
            ErrorCode::AlreadyExists,
            "customer already exists",
            Some(existing.id.to_string()),
        ));
    }

    let customer = new_customer(store, &p.name, &p.number);
    let customer_id = customer.id.clone();
    store.customers.insert(customer);
    let destination = destinations::insert(store, &customer_id, first_destination);
    if let Some(mut examination) = examination {
        examination.customer_id = customer_id.clone();
        if let Err(failure) = customer_examinations::register(
            store,
            &examination,
            types::CustomerExaminationType::Auto,
        ) {
            // Nothing of a refused request stays behind.
            store.destinations.pop();
            store.customers.pop();
            return Err(failure);
        }
    }
    let customer = find(store, &customer_id)?.clone();
    ok(&types::CreateCustomerResponse {
        customer,
        destination,
    })
}

fn update_customer(store: &mut Store, id: &str, body: &[u8]) -> Reply {
    find(store, id)?;
    let p: types::CustomerUpdatePayload = payload(body, &[])?;
    p.validate()?;
    // "指定がないか空文字の場合は更新されません" (CustomerUpdatePayload table).
    if let Some(number) = p.number.as_deref().filter(|n| !n.is_empty()) {
        // Numbers are unique among the seller's customers, but PATCH
        // documents no 409 (reference lines 3431-3435): a taken number is an
        // invalid value, 400 `invalid_customer_number`.
        if with_number(store, number).is_some_and(|c| c.id != id) {
            return Err(Failure::bad(
                ErrorCode::InvalidCustomerNumber,
                "number is already used by another customer",
                number,
            ));
        }
        if let Some(customer) = store.customers.get_mut(id) {
            customer.number = number.to_string();
        }
    }
    ok(find(store, id)?)
}

/// The holder of every account the fake assigns, in half-width katakana
/// (see `fake_account`).
pub(crate) const HOLDER_NAME: &str = "ﾏﾈ-ﾌｵﾜ-ﾄﾞｹﾂｻｲ(ｶ";

/// The account a customer gets: the documented sample's bank and holder
/// (reference lines 3462-3471), with an account number of its own.
fn fake_account(serial: usize) -> types::BankTransfer {
    types::BankTransfer {
        account_number: Some(format!("{:08}", 10_000_000 + serial % 90_000_000)),
        bank_code: Some("0001".to_string()),
        bank_name: Some("MFKESSAI銀行".to_string()),
        bank_name_kana: Some("エムエフケツサイ".to_string()),
        branch_code: Some("001".to_string()),
        branch_name: Some("大手町支店".to_string()),
        branch_name_kana: Some("オオテマチ".to_string()),
        // Half-width, as banks write account names (全銀 / Zengin data carries
        // 口座名義 in half-width katakana, without small kana). The reference
        // renders it `マネ-フオワ-ドケツサイ(カ` (lines 3106, 3162, 3293): full-width
        // kana but an ASCII `-` and `(`, and no small kana (フオワ, ケツサイ), which
        // is exactly what width normalisation (NFKC) makes of the half-width
        // `ﾏﾈ-ﾌｵﾜ-ﾄﾞｹﾂｻｲ(ｶ`; a name typed full-width would read マネーフォワード
        // ケッサイ（カ. So the fake sends what a bank transfer shows, and a client that
        // matches names must normalise widths (NFKC) either way. The kana
        // readings of bank and branch (フリガナ) stay as the reference shows them.
        holder_name: Some(HOLDER_NAME.to_string()),
        object: "bank_transfer".to_string(),
        type_: Some(types::BankTransferType::Current),
    }
}

fn has_account(customer: &types::Customer) -> bool {
    customer
        .payment_method
        .as_ref()
        .and_then(|p| p.bank_transfer.as_ref())
        .and_then(|b| b.account_number.as_deref())
        .is_some_and(|n| !n.is_empty())
}

fn assign_account(store: &mut Store, id: &str) -> Reply {
    let customer = find(store, id)?;
    if has_account(customer) {
        return Err(Failure::conflict(
            ErrorCode::AlreadyExists,
            "a bank transfer account is already assigned to this customer",
            Some(id.to_string()),
        ));
    }
    // Only bank-transfer customers have a transfer account (BankTransfer
    // object text); the reference has no status for the others, so the fake
    // uses this operation's only conflict status.
    if payment_method_name(customer) == "account_transfer" {
        return Err(Failure::conflict(
            ErrorCode::AlreadyExists,
            "the customer pays by account transfer",
            Some(id.to_string()),
        ));
    }
    let serial = store
        .customers
        .rows()
        .iter()
        .filter(|c| has_account(c))
        .count()
        + 1;
    let account = fake_account(serial);
    if let Some(customer) = store.customers.get_mut(id) {
        customer
            .payment_method
            .get_or_insert_with(|| types::PaymentMethod {
                object: "payment_method".to_string(),
                ..Default::default()
            })
            .bank_transfer = Some(account.clone());
    }
    ok(&account)
}

/// How long a customer must wait between two account transfer requests.
const ACCOUNT_TRANSFER_REQUEST_INTERVAL: i64 = 60 * 60;

fn account_transfer_request(store: &mut Store, id: &str, body: &[u8]) -> Reply {
    let customer = find(store, id)?;
    let already_account_transfer = payment_method_name(customer) == "account_transfer";
    // The reference lists no codes of its own for this payload; its fields
    // are a destination's (same types and limits), so their codes are used.
    let p: types::AccountTransferRequestPayload = payload(
        body,
        &[
            ("zip_code", ErrorCode::InvalidDestinationZipCode),
            ("address1", ErrorCode::InvalidDestinationAddress1),
            ("tel", ErrorCode::InvalidDestinationTel),
            ("email", ErrorCode::InvalidDestinationEmail),
        ],
    )?;
    p.validate()?;
    destinations::check_formats(&types::Destination {
        email: p.email.clone(),
        tel: p.tel.clone(),
        zip_code: p.zip_code.clone(),
        ..Default::default()
    })?;
    // 412 "口座振替依頼の申請が現在利用できない" (reference line 3553) gives no
    // condition; the fake's one is a customer who already pays by account
    // transfer, for whom a request has nothing left to set up.
    if already_account_transfer {
        return Err(Failure::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::InvalidCustomerPaymentMethod,
            "account transfer requests are not available: the customer already pays by account transfer",
            Some(id.to_string()),
        ));
    }
    // 409 while less than an hour has passed since the last request
    // (reference line 3552): exactly one hour later is allowed again.
    let now = store.clock.now();
    if let Some(last) = store.account_transfer_requests.get(id) {
        if now - *last < Duration::seconds(ACCOUNT_TRANSFER_REQUEST_INTERVAL) {
            return Err(Failure::conflict(
                ErrorCode::AlreadyExists,
                "an account transfer request was made for this customer less than an hour ago",
                Some(id.to_string()),
            ));
        }
    }
    store.account_transfer_requests.insert(id.to_string(), now);
    ok(&types::AccountTransferRequest {
        address1: p.address1,
        address2: p.address2,
        department: p.department,
        email: p.email,
        name: p.name,
        object: "account_transfer_request".to_string(),
        tel: p.tel,
        title: p.title,
        zip_code: p.zip_code,
    })
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
    /// assert_eq!(page.items[0].id, ids[249]); // newest first
    /// # Ok(()) }
    /// ```
    pub fn seed_customers(&self, count: usize) -> Vec<crate::ids::CustomerId> {
        let mut store = self.shared.store();
        let first = store.customers.len() + 1;
        (first..first + count)
            .map(|n| {
                let customer =
                    new_customer(&mut store, &format!("顧客 {n}"), &format!("CUSTOMER-{n}"));
                let id = customer.id.clone();
                store.customers.insert(customer);
                let destination = super::destinations::seeded_destination(&mut store, &id, n);
                store.destinations.insert(destination);
                id
            })
            .collect()
    }

    /// Switches a customer to account transfer (口座振替), as if the paper
    /// procedure that follows an account transfer request had completed:
    /// `payment_method` then holds `account_transfer` instead of
    /// `bank_transfer`. A missing customer is a 404 [`crate::Error::Api`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// use mfkessai::types::PaymentMethodType;
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let ids = fake.seed_customers(2);
    /// fake.set_account_transfer(&ids[0])?;
    /// let page = fake
    ///     .client()?
    ///     .customers()
    ///     .list()
    ///     .payment_methods([PaymentMethodType::AccountTransfer])
    ///     .send()
    ///     .await?;
    /// assert_eq!(page.items.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn set_account_transfer(&self, customer_id: &str) -> Result<types::Customer, crate::Error> {
        let mut store = self.shared.store();
        let customer = store
            .customers
            .get_mut(customer_id)
            .ok_or_else(|| Failure::not_found(customer_id).into_error())?;
        customer.payment_method = Some(types::PaymentMethod {
            account_transfer: Some(types::AccountTransfer {
                object: "account_transfer".to_string(),
            }),
            bank_transfer: None,
            object: "payment_method".to_string(),
        });
        Ok(customer.clone())
    }

    /// Sets a customer's alert flag (`has_alert`, raised by the real
    /// service on unpaid invoices). A missing customer is a 404
    /// [`crate::Error::Api`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> mfkessai::Result<()> {
    /// let fake = mfkessai::testing::FakeKessai::start().await?;
    /// let ids = fake.seed_customers(3);
    /// fake.set_customer_alert(&ids[1], true)?;
    /// let page = fake.client()?.customers().list().has_alert(true).send().await?;
    /// assert_eq!(page.items[0].id, ids[1]);
    /// # Ok(()) }
    /// ```
    pub fn set_customer_alert(
        &self,
        customer_id: &str,
        has_alert: bool,
    ) -> Result<types::Customer, crate::Error> {
        let mut store = self.shared.store();
        let customer = store
            .customers
            .get_mut(customer_id)
            .ok_or_else(|| Failure::not_found(customer_id).into_error())?;
        customer.has_alert = Some(has_alert);
        Ok(customer.clone())
    }
}
