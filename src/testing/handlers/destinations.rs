//! Destinations (請求先): where a customer's invoices go.

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
        formats::{email_ok, kana_ok, tel_ok, zip_ok},
        paginate,
        params::{within, Params},
        reply::{ok, payload, Failure, Reply},
        server::Shared,
        store::{uri, Store},
    },
    validate::Validate,
    ErrorCode,
};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/destinations", get(list).post(create))
        .route("/destinations/{destination_id}", get(show).put(update))
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    s.with(|store| list_destinations(store, &params))
}

async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    s.with(|store| ok(find(store, &id)?))
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    s.with(|store| create_destination(store, &body))
}

async fn update(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    s.with(|store| update_destination(store, &id, &body))
}

/// The destination with this id, or the documented 404.
pub(crate) fn find<'s>(store: &'s Store, id: &str) -> Result<&'s types::Destination, Failure> {
    store
        .destinations
        .get(id)
        .ok_or_else(|| Failure::not_found(id))
}

fn list_destinations(store: &Store, params: &Params) -> Reply {
    let customer_id =
        super::billings::id_filter(params, "customer_id", ErrorCode::InvalidCustomerId, "")?;
    let from = params.datetime("created_at_from", ErrorCode::InvalidCreatedAtFrom)?;
    let to = params.datetime("created_at_to", ErrorCode::InvalidCreatedAtTo)?;
    // An unknown number matches no customer, hence no destination; with
    // customer_id naming another customer, nothing matches either
    // (GetDestinationsList parameter texts).
    let number_owner: Option<Option<&str>> = params
        .text("customer_number", 100, ErrorCode::InvalidCustomerNumber)?
        .map(|number| {
            store
                .customers
                .rows()
                .iter()
                .find(|c| c.number == number)
                .map(|c| c.id.as_str())
        });
    paginate::respond(&store.destinations, params, |d| {
        let owner = Some(d.customer_id.as_str());
        customer_id.is_none_or(|c| owner == Some(c))
            && number_owner.is_none_or(|n| n.is_some() && owner == n)
            && within(Some(d.created_at), from, to)
    })
}

/// The fields a destination's payloads set, as a `Destination` without id,
/// owner or timestamps. The three payload types (first destination of a
/// customer, new destination, update) carry the same fields.
macro_rules! content_of {
    ($($vis:vis fn $name:ident($payload:ty);)*) => {$(
        $vis fn $name(p: &$payload) -> types::Destination {
            types::Destination {
                address1: p.address1.clone(),
                address2: p.address2.clone(),
                cc_emails: p.cc_emails.clone(),
                department: p.department.clone(),
                email: p.email.clone(),
                name: p.name.clone(),
                name_kana: p.name_kana.clone(),
                tel: p.tel.clone(),
                title: p.title.clone(),
                zip_code: p.zip_code.clone(),
                ..Default::default()
            }
        }
    )*};
}

content_of! {
    pub(crate) fn content_of_customer_payload(types::CustomerPayloadDestination);
    fn content_of_payload(types::DestinationPayload);
    fn content_of_update(types::DestinationUpdatePayload);
}

/// Whether two destinations carry the same information. The reference calls
/// a duplicate "同一の情報をもつ請求先" (release note 2019.11.25, reference
/// lines 2094-2101) and the 409 texts point at address and phone "など"
/// (lines 3746, 3900): the fake compares every field a payload sets, an
/// absent optional field being the same as an empty one, and the cc list
/// regardless of order.
fn same_content(a: &types::Destination, b: &types::Destination) -> bool {
    fn text(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
    let mut cc_a: Vec<&str> = a.cc_emails.iter().map(String::as_str).collect();
    let mut cc_b: Vec<&str> = b.cc_emails.iter().map(String::as_str).collect();
    cc_a.sort_unstable();
    cc_b.sort_unstable();
    a.address1 == b.address1
        && text(&a.address2) == text(&b.address2)
        && cc_a == cc_b
        && text(&a.department) == text(&b.department)
        && a.email == b.email
        && text(&a.name) == text(&b.name)
        && text(&a.name_kana) == text(&b.name_kana)
        && a.tel == b.tel
        && text(&a.title) == text(&b.title)
        && a.zip_code == b.zip_code
}

/// The customer's destination (other than `except`) with the same
/// information as `content`, if any.
fn duplicate_of<'s>(
    store: &'s Store,
    customer_id: &str,
    content: &types::Destination,
    except: Option<&str>,
) -> Option<&'s types::Destination> {
    store.destinations.rows().iter().find(|d| {
        d.customer_id == customer_id && Some(d.id.as_str()) != except && same_content(d, content)
    })
}

/// 409 `already_exists` with the registered destination's id in `param`
/// (release note 2020.04.21, reference lines 2043-2049; example at 1786).
fn conflict(existing: &types::Destination) -> Failure {
    Failure::conflict(
        ErrorCode::AlreadyExists,
        "destination already exists",
        Some(existing.id.to_string()),
    )
}

/// Stores a new destination of `customer_id` with the fields of `content`.
pub(crate) fn insert(
    store: &mut Store,
    customer_id: &str,
    content: types::Destination,
) -> types::Destination {
    let id = store.ids.next();
    let destination = types::Destination {
        created_at: store.clock.stamp(),
        customer_id: customer_id.to_string().into(),
        object: "destination".to_string(),
        uri: uri("destination", &id),
        id: id.into(),
        ..content
    };
    store.destinations.insert(destination.clone());
    destination
}

/// The format rules of a destination's fields that the lengths checked by
/// `validate` leave out: e-mail addresses, phone number, postal code and
/// katakana, each with its field's code and the value as `param`.
pub(crate) fn check_formats(d: &types::Destination) -> Result<(), Failure> {
    let bad = |code: ErrorCode, what: &str, value: &str| {
        Err(Failure::bad(code, format!("{what} is not valid"), value))
    };
    if let Some(email) = Some(d.email.as_str()).filter(|e| !email_ok(e)) {
        return bad(ErrorCode::InvalidDestinationEmail, "email", email);
    }
    if let Some(cc) = d.cc_emails.iter().find(|e| !email_ok(e)) {
        return bad(ErrorCode::InvalidDestinationCcEmails, "cc_emails", cc);
    }
    if let Some(tel) = Some(d.tel.as_str()).filter(|t| !tel_ok(t)) {
        return bad(ErrorCode::InvalidDestinationTel, "tel", tel);
    }
    if let Some(zip) = Some(d.zip_code.as_str()).filter(|z| !zip_ok(z)) {
        return bad(ErrorCode::InvalidDestinationZipCode, "zip_code", zip);
    }
    if let Some(kana) = d.name_kana.as_deref().filter(|k| !kana_ok(k)) {
        return bad(ErrorCode::InvalidDestinationNameKana, "name_kana", kana);
    }
    Ok(())
}

const REQUIRED: [(&str, ErrorCode); 4] = [
    ("address1", ErrorCode::InvalidDestinationAddress1),
    ("email", ErrorCode::InvalidDestinationEmail),
    ("tel", ErrorCode::InvalidDestinationTel),
    ("zip_code", ErrorCode::InvalidDestinationZipCode),
];

fn create_destination(store: &mut Store, body: &[u8]) -> Reply {
    let mut required = vec![("customer_id", ErrorCode::InvalidCustomerId)];
    required.extend(REQUIRED.iter().cloned());
    let p: types::DestinationPayload = payload(body, &required)?;
    p.validate()?;
    let content = content_of_payload(&p);
    check_formats(&content)?;
    customers::find(store, &p.customer_id)?;
    if let Some(existing) = duplicate_of(store, &p.customer_id, &content, None) {
        return Err(conflict(existing));
    }
    ok(&insert(store, &p.customer_id, content))
}

fn update_destination(store: &mut Store, id: &str, body: &[u8]) -> Reply {
    let customer_id = find(store, id)?.customer_id.clone();
    let p: types::DestinationUpdatePayload = payload(body, &REQUIRED)?;
    p.validate()?;
    let content = content_of_update(&p);
    check_formats(&content)?;
    if let Some(existing) = duplicate_of(store, &customer_id, &content, Some(id)) {
        return Err(conflict(existing));
    }
    let Some(destination) = store.destinations.get_mut(id) else {
        return Err(Failure::not_found(id));
    };
    // PUT replaces every field a payload sets; an omitted optional one is
    // cleared.
    *destination = types::Destination {
        created_at: destination.created_at,
        customer_id: std::mem::take(&mut destination.customer_id),
        id: std::mem::take(&mut destination.id),
        object: std::mem::take(&mut destination.object),
        uri: std::mem::take(&mut destination.uri),
        ..content
    };
    ok(&*destination)
}

/// The destination [`crate::testing::FakeKessai::seed_customers`] gives
/// each seeded customer.
pub(crate) fn seeded_destination(
    store: &mut Store,
    customer_id: &str,
    n: usize,
) -> types::Destination {
    let id = store.ids.next();
    types::Destination {
        address1: "東京都千代田区1-2-3".to_string(),
        created_at: store.clock.stamp(),
        customer_id: customer_id.to_string().into(),
        email: format!("billing-{n}@example.com"),
        name: Some(format!("担当 {n}")),
        object: "destination".to_string(),
        // Required on creation (DestinationPayload.tel): seeded data is as
        // complete as data created through the API.
        tel: "03-1234-5678".to_string(),
        uri: uri("destination", &id),
        id: id.into(),
        zip_code: "111-1111".to_string(),
        ..Default::default()
    }
}
