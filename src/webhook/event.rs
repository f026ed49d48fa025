//! [`Event`]: the typed webhook payloads of the reference (WebHook section).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::WebhookError;
use crate::ids::{
    BillingId, CustomerExaminationId, CustomerId, CustomerNameUpdateId, EventId, InvoiceId,
    TransactionId,
};

/// A webhook event, decoded from a verified body.
///
/// One variant per event type documented by the reference, and
/// [`Event::Unknown`] for any other type, so a type added by Kessai later
/// never makes decoding fail. The enum is `#[non_exhaustive]`: a type that
/// is `Unknown` today may get its own variant in a minor release, so match
/// with a `_` arm, and compare [`Event::event_type`] rather than matching on
/// `Unknown` if you handle a type the SDK does not know yet.
///
/// Decoding ignores unknown properties; dates keep their UTC offset.
///
/// ```
/// use mfkessai::webhook::{self, Event, ExaminationResult, Secret};
///
/// let body = br#"{
///   "event_id": "9NV9-PVP6",
///   "type": "customer_examination.examined",
///   "customer_examination_id": "6GV7-PE7N",
///   "customer_id": "M9R6-MVNV",
///   "result": "passed",
///   "created_at": "2019-10-30T10:20:18+09:00"
/// }"#;
/// let signature = webhook::sign_for_test("your secret", body);
/// let event = webhook::verify_and_parse(&Secret::new("your secret"), body, Some(&signature)).unwrap();
///
/// assert_eq!(event.event_id(), "9NV9-PVP6");
/// match event {
///     Event::CustomerExaminationExamined(e) => {
///         assert_eq!(e.customer_id, "M9R6-MVNV");
///         assert_eq!(e.result, ExaminationResult::Passed);
///         assert_eq!(e.created_at.to_rfc3339(), "2019-10-30T10:20:18+09:00");
///     }
///     Event::TransactionExamined(_) | Event::InvoiceIssued(_) => {}
///     other => println!("not handled: {}", other.event_type()),
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `customer_examination.examined` (与信枠審査完了イベント): a credit
    /// examination finished.
    CustomerExaminationExamined(CustomerExaminationExamined),
    /// `transaction.examined` (取引審査完了イベント): a transaction
    /// examination finished.
    TransactionExamined(TransactionExamined),
    /// `invoice.issued` (請求書発行イベント): an invoice was issued.
    InvoiceIssued(InvoiceIssued),
    /// `customer_name_update.examined` (顧客名変更申請完了イベント): a
    /// customer name change request was examined.
    CustomerNameUpdateExamined(CustomerNameUpdateExamined),
    /// An event type this version of the SDK does not know.
    Unknown {
        /// The `type` property.
        event_type: String,
        /// The `event_id` property, which every event has.
        event_id: EventId,
        /// The whole body, `type` and `event_id` included.
        raw: Value,
    },
}

impl Event {
    /// The `type` property, for example `"invoice.issued"`.
    ///
    /// ```
    /// use mfkessai::webhook::Event;
    /// let e: Event = serde_json::from_str(r#"{"type":"x.y","event_id":"E"}"#).unwrap();
    /// assert_eq!(e.event_type(), "x.y");
    /// ```
    pub fn event_type(&self) -> &str {
        match self {
            Event::CustomerExaminationExamined(_) => CustomerExaminationExamined::TYPE,
            Event::TransactionExamined(_) => TransactionExamined::TYPE,
            Event::InvoiceIssued(_) => InvoiceIssued::TYPE,
            Event::CustomerNameUpdateExamined(_) => CustomerNameUpdateExamined::TYPE,
            Event::Unknown { event_type, .. } => event_type,
        }
    }

    /// The `event_id` property: unique per event and the same on every
    /// retry, so it is the key to drop repeated deliveries with. The
    /// reference gives every event one (イベントIDです。全てのイベントで一意に
    /// なります), so a body without it is not an event.
    ///
    /// Prefer it to the `x-mfkessai-event-id` header: it is covered by the
    /// signature, the header is not.
    ///
    /// ```
    /// use mfkessai::webhook::Event;
    /// let e: Event = serde_json::from_str(r#"{"type":"x.y","event_id":"E"}"#).unwrap();
    /// assert_eq!(e.event_id(), "E");
    /// assert!(serde_json::from_str::<Event>(r#"{"type":"x.y"}"#).is_err());
    /// ```
    pub fn event_id(&self) -> &EventId {
        match self {
            Event::CustomerExaminationExamined(e) => &e.event_id,
            Event::TransactionExamined(e) => &e.event_id,
            Event::InvoiceIssued(e) => &e.event_id,
            Event::CustomerNameUpdateExamined(e) => &e.event_id,
            Event::Unknown { event_id, .. } => event_id,
        }
    }

    /// When the event happened (`created_at`). `None` only for an
    /// [`Event::Unknown`] without a valid RFC 3339 `created_at`.
    ///
    /// ```
    /// use mfkessai::webhook::Event;
    /// let e: Event = serde_json::from_str(
    ///     r#"{"type":"x.y","event_id":"E","created_at":"2019-10-30T10:35:08+09:00"}"#,
    /// ).unwrap();
    /// assert_eq!(e.created_at().unwrap().offset().local_minus_utc(), 9 * 3600);
    /// ```
    pub fn created_at(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Event::CustomerExaminationExamined(e) => Some(e.created_at),
            Event::TransactionExamined(e) => Some(e.created_at),
            Event::InvoiceIssued(e) => Some(e.created_at),
            Event::CustomerNameUpdateExamined(e) => Some(e.created_at),
            Event::Unknown { raw, .. } => raw
                .get("created_at")
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok()),
        }
    }

    pub(crate) fn from_body(body: &[u8]) -> Result<Event, WebhookError> {
        if body.is_empty() {
            return Err(WebhookError::EmptyBody);
        }
        let value: Value = serde_json::from_slice(body).map_err(WebhookError::NotJson)?;
        Event::from_value(value)
    }

    fn from_value(value: Value) -> Result<Event, WebhookError> {
        let Value::Object(object) = value else {
            return Err(WebhookError::NotAnEvent("not a JSON object"));
        };
        let event_type = match object.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(WebhookError::NotAnEvent("`type` is not a string")),
            None => return Err(WebhookError::NotAnEvent("no `type` property")),
        };
        let event_id = match object.get("event_id") {
            Some(Value::String(id)) => EventId::from(id.as_str()),
            Some(_) => return Err(WebhookError::NotAnEvent("`event_id` is not a string")),
            None => return Err(WebhookError::NotAnEvent("no `event_id` property")),
        };
        let raw = Value::Object(object);
        fn typed<T: serde::de::DeserializeOwned>(
            raw: Value,
            event_type: &str,
        ) -> Result<T, WebhookError> {
            serde_json::from_value(raw).map_err(|error| WebhookError::InvalidEvent {
                event_type: event_type.to_owned(),
                error,
            })
        }
        Ok(match event_type.as_str() {
            CustomerExaminationExamined::TYPE => {
                Event::CustomerExaminationExamined(typed(raw, &event_type)?)
            }
            TransactionExamined::TYPE => Event::TransactionExamined(typed(raw, &event_type)?),
            InvoiceIssued::TYPE => Event::InvoiceIssued(typed(raw, &event_type)?),
            CustomerNameUpdateExamined::TYPE => {
                Event::CustomerNameUpdateExamined(typed(raw, &event_type)?)
            }
            _ => Event::Unknown {
                event_type,
                event_id,
                raw,
            },
        })
    }
}

/// Serializes to the body Kessai sends: the event's properties plus `type`.
impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn with_type<S: serde::Serializer, T: Serialize>(
            payload: &T,
            event_type: &str,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            let mut object =
                match serde_json::to_value(payload).map_err(serde::ser::Error::custom)? {
                    Value::Object(object) => object,
                    _ => Map::new(),
                };
            object.insert("type".to_owned(), Value::String(event_type.to_owned()));
            object.serialize(serializer)
        }
        match self {
            Event::CustomerExaminationExamined(e) => with_type(e, self.event_type(), serializer),
            Event::TransactionExamined(e) => with_type(e, self.event_type(), serializer),
            Event::InvoiceIssued(e) => with_type(e, self.event_type(), serializer),
            Event::CustomerNameUpdateExamined(e) => with_type(e, self.event_type(), serializer),
            Event::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}

/// Deserializes like [`VerifiedPayload::parse`](super::VerifiedPayload::parse),
/// for events you stored yourself. Never use it on a request body that has
/// not been through [`verify`](super::verify).
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Event::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// `customer_examination.examined`: a credit examination (与信枠審査)
/// finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerExaminationExamined {
    /// Event ID, unique across all events.
    pub event_id: EventId,
    /// The credit examination (与信枠審査ID).
    pub customer_examination_id: CustomerExaminationId,
    /// The examined customer (顧客ID).
    pub customer_id: CustomerId,
    /// Passed or rejected.
    pub result: ExaminationResult,
    /// When the event happened.
    pub created_at: DateTime<FixedOffset>,
}

impl CustomerExaminationExamined {
    /// The event's `type`.
    pub const TYPE: &'static str = "customer_examination.examined";
}

/// `transaction.examined`: a transaction examination (取引審査) finished.
///
/// The ids are typed like the API's, so an event leads straight to its object:
///
/// ```no_run
/// # async fn run(client: mfkessai::Client, event: mfkessai::webhook::TransactionExamined)
/// # -> mfkessai::Result<()> {
/// let transaction = client.transactions().get(&event.transaction_id).await?;
/// println!("{} is {}", transaction.number, event.result);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransactionExamined {
    /// Event ID, unique across all events.
    pub event_id: EventId,
    /// The transaction (取引ID).
    pub transaction_id: TransactionId,
    /// The transaction's number (取引番号), the seller's own identifier.
    pub transaction_number: String,
    /// Passed or rejected.
    pub result: ExaminationResult,
    /// When the event happened.
    pub created_at: DateTime<FixedOffset>,
}

impl TransactionExamined {
    /// The event's `type`.
    pub const TYPE: &'static str = "transaction.examined";
}

/// `invoice.issued`: an invoice (請求書) was issued.
///
/// Per the reference, direct-debit notices (口座振替通知書) do not produce
/// this event, and the issue date is not the date the customer received
/// the invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InvoiceIssued {
    /// Event ID, unique across all events.
    pub event_id: EventId,
    /// The invoice (請求書ID). Not the billing ID: a billing can have
    /// several invoices when it is reissued.
    pub invoice_id: InvoiceId,
    /// The billing (請求ID) the invoice is for.
    pub billing_id: BillingId,
    /// When the event happened.
    pub created_at: DateTime<FixedOffset>,
}

impl InvoiceIssued {
    /// The event's `type`.
    pub const TYPE: &'static str = "invoice.issued";
}

/// `customer_name_update.examined`: a customer name change request
/// (顧客名変更申請) was examined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerNameUpdateExamined {
    /// Event ID, unique across all events.
    pub event_id: EventId,
    /// The name change request (顧客名変更申請ID).
    pub customer_name_update_id: CustomerNameUpdateId,
    /// The customer whose name change was requested (顧客ID).
    pub customer_id: CustomerId,
    /// Passed or rejected.
    pub result: ExaminationResult,
    /// When the event happened.
    pub created_at: DateTime<FixedOffset>,
}

impl CustomerNameUpdateExamined {
    /// The event's `type`.
    pub const TYPE: &'static str = "customer_name_update.examined";
}

crate::open_enum::open_enum! {
    /// The `result` of an examination event: `passed` (通過) or `rejected`
    /// (否決).
    ///
    /// Any other string is kept in [`ExaminationResult::Unknown`], so a new
    /// result never makes decoding fail.
    ///
    /// ```
    /// use mfkessai::webhook::ExaminationResult;
    ///
    /// assert_eq!(ExaminationResult::from("rejected"), ExaminationResult::Rejected);
    /// assert_eq!(ExaminationResult::from("on_hold").as_str(), "on_hold");
    /// ```
    pub enum ExaminationResult {
        /// `passed`: the examination passed.
        Passed => "passed",
        /// `rejected`: the examination was rejected.
        Rejected => "rejected",
    }
    unknown = "A result this version of the SDK does not know, unchanged.";
}
