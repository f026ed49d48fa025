//! [`receive`]: headers and body in, verified [`Event`] out.

use super::delivery::{Delivery, HeaderSource, SIGNATURE_HEADER};
use super::error::WebhookError;
use super::event::Event;
use super::secret::SecretSet;
use super::signature::verify_bytes;
use crate::ids::EventId;

/// A verified and decoded webhook request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The delivery headers (event ID, retry number).
    pub delivery: Delivery,
    /// The event.
    pub event: Event,
    /// Which secret matched; see
    /// [`VerifiedPayload::secret_index`](super::VerifiedPayload::secret_index).
    pub secret_index: usize,
}

impl Received {
    /// The key to drop repeated deliveries with: the body's `event_id`,
    /// which the signature covers (the `x-mfkessai-event-id` header is not
    /// signed, so it is only compared).
    ///
    /// ```
    /// use mfkessai::webhook::{self, Delivery, Secret};
    ///
    /// let body = br#"{"event_id":"E1","type":"invoice.issued","invoice_id":"I","billing_id":"B","created_at":"2019-10-30T10:35:08+09:00"}"#;
    /// let headers = Delivery::new("E1", 2).headers("your secret", body);
    /// let received = webhook::receive(&Secret::new("your secret"), &headers, body).unwrap();
    /// assert_eq!(received.event_id(), "E1");
    /// ```
    pub fn event_id(&self) -> &EventId {
        self.event.event_id()
    }
}

/// Verifies and decodes a webhook request in one step: reads the
/// signature from `x-mfkessai-signature`, checks it against `raw_body`
/// (see [`verify`](super::verify)), decodes the event (see
/// [`VerifiedPayload::parse`](super::VerifiedPayload::parse)) and reads the
/// [`Delivery`] headers.
///
/// ```
/// use mfkessai::webhook::{self, Delivery, Event, Secret, WebhookError};
///
/// let secret = Secret::new("your secret");
/// let body = br#"{"event_id":"9NV9-PVP6","type":"customer_name_update.examined","customer_name_update_id":"6GV7-PE7N","customer_id":"M9R6-MVNV","result":"rejected","created_at":"2019-10-30T10:20:18+09:00"}"#;
///
/// // In an axum handler, pass the request's `HeaderMap` and `Bytes`.
/// let headers = Delivery::new("9NV9-PVP6", 1).headers(&secret, body);
/// let received = webhook::receive(&secret, &headers, body).unwrap();
/// assert!(received.delivery.is_retry());
/// assert!(matches!(received.event, Event::CustomerNameUpdateExamined(_)));
///
/// let unsigned = [("x-mfkessai-event-id", "9NV9-PVP6")];
/// let err = webhook::receive(&secret, &unsigned, body).unwrap_err();
/// assert!(matches!(err, WebhookError::MissingHeader("x-mfkessai-signature")));
/// ```
pub fn receive<S, H>(secrets: &S, headers: &H, raw_body: &[u8]) -> Result<Received, WebhookError>
where
    S: SecretSet + ?Sized,
    H: HeaderSource + ?Sized,
{
    let payload = verify_bytes(secrets, raw_body, headers.header(SIGNATURE_HEADER))?;
    let event = payload.parse()?;
    let delivery = Delivery::from_headers(headers);
    if let Some(header) = delivery.event_id.as_deref() {
        let body = event.event_id();
        if body != header {
            // The body is what the signature vouches for, so it wins; the
            // mismatch is only worth a look.
            tracing::warn!(
                header_event_id = ?header,
                body_event_id = ?body,
                "`x-mfkessai-event-id` differs from the body's event_id; using the body's"
            );
        }
    }
    Ok(Received {
        delivery,
        event,
        secret_index: payload.secret_index(),
    })
}
