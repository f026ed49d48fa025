//! [`Delivery`]: the `x-mfkessai-*` headers of a webhook request.

use super::secret::Secret;
use super::signature::sign_for_test;

/// Header carrying the lowercase hex HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "x-mfkessai-signature";
/// Header carrying the event ID (the same as the body's `event_id`).
pub const EVENT_ID_HEADER: &str = "x-mfkessai-event-id";
/// Header carrying the retry number: 0 on the first attempt.
pub const RETRY_NUMBER_HEADER: &str = "x-mfkessai-retry-number";

/// Where request headers are read from.
///
/// Implemented for `http::HeaderMap` (re-exported as
/// `reqwest::header::HeaderMap`; it is also axum's and hyper's `HeaderMap`)
/// and for lists of `(name, value)` pairs, whose names are compared
/// case-insensitively. For another framework, implement it in a few lines.
///
/// ```
/// use mfkessai::webhook::{Delivery, HeaderSource};
///
/// let headers = [("X-MFKessai-Retry-Number", "2")];
/// assert_eq!(headers.header("x-mfkessai-retry-number"), Some(&b"2"[..]));
/// assert_eq!(Delivery::from_headers(&headers).retry_number, Some(2));
/// ```
pub trait HeaderSource {
    /// The value of the first header called `name` (lowercase), if any.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl HeaderSource for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(|v| v.as_bytes())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderSource for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> HeaderSource for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderSource for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

/// The delivery metadata Kessai sends with every webhook request: which
/// event it is and how many times it was already tried.
///
/// Delivery is at least once: when an endpoint answers anything but 2xx,
/// or takes 10 seconds or more, Kessai sends exactly the same request again
/// (1, 2, 4, 8 and 16 hours later, at most 5 retries), so the same event
/// can arrive several times. See [`Deduplicator`](super::Deduplicator).
///
/// These headers are **not** covered by the signature. Reading them never
/// fails: an absent or unreadable header is `None` (and logged), because
/// rejecting an authentic body over an advisory header would only make
/// Kessai retry it.
///
/// ```
/// use mfkessai::webhook::Delivery;
///
/// let headers = [("x-mfkessai-event-id", "9NV9-PVP6"), ("x-mfkessai-retry-number", "0")];
/// let delivery = Delivery::from_headers(&headers);
/// assert_eq!(delivery.event_id.as_deref(), Some("9NV9-PVP6"));
/// assert_eq!(delivery.retry_number, Some(0));
/// assert!(!delivery.is_retry());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// `x-mfkessai-event-id`. Unsigned: to drop repeats, prefer the body's
    /// [`Event::event_id`](super::Event::event_id).
    pub event_id: Option<String>,
    /// `x-mfkessai-retry-number`: 0 on the first attempt, then 1 to 5.
    pub retry_number: Option<u32>,
}

impl Delivery {
    /// A delivery of `event_id`, attempt `retry_number` (0 for the first),
    /// for tests and fake servers that send webhooks; see
    /// [`Delivery::headers`].
    ///
    /// ```
    /// use mfkessai::webhook::Delivery;
    /// assert!(Delivery::new("GM6Y-9W6V", 3).is_retry());
    /// ```
    pub fn new(event_id: impl Into<String>, retry_number: u32) -> Self {
        Delivery {
            event_id: Some(event_id.into()),
            retry_number: Some(retry_number),
        }
    }

    /// Reads the `x-mfkessai-event-id` and `x-mfkessai-retry-number`
    /// headers.
    ///
    /// ```
    /// use mfkessai::webhook::Delivery;
    ///
    /// let mut headers = reqwest::header::HeaderMap::new();
    /// headers.insert("x-mfkessai-retry-number", "1".parse().unwrap());
    /// let delivery = Delivery::from_headers(&headers);
    /// assert_eq!(delivery.retry_number, Some(1));
    /// assert_eq!(delivery.event_id, None);
    /// ```
    pub fn from_headers<H: HeaderSource + ?Sized>(headers: &H) -> Self {
        let event_id = headers.header(EVENT_ID_HEADER).and_then(|v| {
            let id = std::str::from_utf8(v).ok().map(str::trim);
            if id.is_none() {
                tracing::warn!("ignoring `{EVENT_ID_HEADER}` header: not UTF-8");
            }
            id.map(str::to_owned)
        });
        let retry_number = headers.header(RETRY_NUMBER_HEADER).and_then(|v| {
            let n = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok());
            if n.is_none() {
                tracing::warn!(
                    "ignoring `{RETRY_NUMBER_HEADER}` header: not a non-negative integer"
                );
            }
            n
        });
        Delivery {
            event_id,
            retry_number,
        }
    }

    /// Whether this is a retry (retry number 1 or more): the event may
    /// already have been handled.
    ///
    /// ```
    /// use mfkessai::webhook::Delivery;
    /// assert!(!Delivery::new("E", 0).is_retry());
    /// assert!(!Delivery::default().is_retry());
    /// ```
    pub fn is_retry(&self) -> bool {
        self.retry_number.is_some_and(|n| n > 0)
    }

    /// The headers Kessai would send with `body` for this delivery:
    /// `x-mfkessai-signature` (signed with `secret`), then
    /// `x-mfkessai-event-id` and `x-mfkessai-retry-number` when set.
    ///
    /// For your tests and for fake servers; receivers read headers with
    /// [`Delivery::from_headers`].
    ///
    /// ```
    /// use mfkessai::webhook::{self, Delivery, Secret};
    ///
    /// let body = br#"{"event_id":"E1","type":"x.y"}"#;
    /// let headers = Delivery::new("E1", 0).headers("your secret", body);
    /// assert_eq!(headers[0].0, "x-mfkessai-signature");
    ///
    /// let (delivery, event) = webhook::receive(&Secret::new("your secret"), &headers, body)
    ///     .map(|r| (r.delivery, r.event))
    ///     .unwrap();
    /// assert_eq!(delivery, Delivery::new("E1", 0));
    /// assert_eq!(event.event_type(), "x.y");
    /// ```
    pub fn headers(&self, secret: impl Into<Secret>, body: &[u8]) -> Vec<(&'static str, String)> {
        let mut headers = vec![(SIGNATURE_HEADER, sign_for_test(secret, body))];
        if let Some(id) = &self.event_id {
            headers.push((EVENT_ID_HEADER, id.clone()));
        }
        if let Some(n) = self.retry_number {
            headers.push((RETRY_NUMBER_HEADER, n.to_string()));
        }
        headers
    }
}
