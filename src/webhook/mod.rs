//! Receiving Money Forward Kessai webhooks (WebHook in the reference):
//! verify signatures, decode typed events, drop repeated deliveries.
//!
//! Kessai notifies the endpoint configured on the admin screen (開発者向け >
//! WebHook) by HTTP POST of a JSON body. Each request carries:
//!
//! * [`SIGNATURE_HEADER`] `x-mfkessai-signature`: the lowercase hex
//!   HMAC-SHA256 of the raw body, keyed with the endpoint's secret;
//! * [`EVENT_ID_HEADER`] `x-mfkessai-event-id`: the event ID;
//! * [`RETRY_NUMBER_HEADER`] `x-mfkessai-retry-number`: 0 on the first
//!   attempt.
//!
//! Delivery is at least once. A request answered with anything but 2xx, or
//! not answered within 10 seconds, is sent again, identically, up to 5
//! times (1, 2, 4, 8 and 16 hours apart). So an endpoint should verify,
//! drop repeats, hand the work off and answer 2xx quickly.
//!
//! # Steps
//!
//! * [`verify`] checks the signature against one secret or several (for
//!   rotation, see [`SecretSet`]) and returns a [`VerifiedPayload`];
//! * [`VerifiedPayload::parse`] decodes it into an [`Event`], one variant
//!   per documented type plus [`Event::Unknown`];
//! * [`verify_and_parse`] does both; [`receive`] also reads the signature
//!   and the [`Delivery`] headers from a header map;
//! * a [`Deduplicator`] ([`InMemoryDeduplicator`]) drops repeats by event
//!   ID;
//! * [`sign_for_test`] and [`Delivery::headers`] build signed requests for
//!   your tests.
//!
//! Errors ([`WebhookError`]) say what was wrong and never contain a secret.
//!
//! ```
//! use mfkessai::webhook::{self, Claim, Deduplicator, Delivery, Event, InMemoryDeduplicator, Secret};
//!
//! let secret = Secret::new("your secret");
//! let seen = InMemoryDeduplicator::new();
//!
//! // What Kessai sends (built here with the test helpers).
//! let body = br#"{"event_id":"GM6Y-9W6V","type":"invoice.issued","invoice_id":"M9R6-MVNV","billing_id":"MW4N-3ANV","created_at":"2019-10-30T10:35:08+09:00"}"#;
//! let headers = Delivery::new("GM6Y-9W6V", 0).headers(&secret, body);
//!
//! // What the endpoint does.
//! let received = webhook::receive(&secret, &headers, body).expect("reject with 4xx");
//! if seen.claim(received.event_id()) == Claim::First {
//!     match &received.event {
//!         Event::InvoiceIssued(invoice) => assert_eq!(invoice.billing_id, "MW4N-3ANV"),
//!         other => println!("ignoring {}", other.event_type()),
//!     }
//! }
//!
//! // The same request again (a retry) is a duplicate.
//! let again = webhook::receive(&secret, &headers, body).unwrap();
//! assert_eq!(seen.claim(again.event_id()), Claim::Duplicate);
//! ```
//!
//! `examples/webhook_receiver.rs` is a complete axum endpoint.

mod dedup;
mod delivery;
mod error;
mod event;
mod receive;
mod secret;
mod signature;

pub use dedup::{Claim, Deduplicator, InMemoryDeduplicator};
pub use delivery::{
    Delivery, HeaderSource, EVENT_ID_HEADER, RETRY_NUMBER_HEADER, SIGNATURE_HEADER,
};
pub use error::{SignatureFormatError, WebhookError};
pub use event::{
    CustomerExaminationExamined, CustomerNameUpdateExamined, Event, ExaminationResult,
    InvoiceIssued, TransactionExamined,
};
pub use receive::{receive, Received};
pub use secret::{Secret, SecretSet};
pub use signature::{sign_for_test, verify, verify_and_parse, VerifiedPayload};
