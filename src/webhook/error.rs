//! [`WebhookError`]: what was wrong with a delivery, without echoing secrets.

use std::fmt;

use super::delivery::SIGNATURE_HEADER;

/// Why a webhook delivery was not accepted.
///
/// Each message names the header or property at fault. None contains a
/// secret, and none contains the signature header's value: the header is
/// attacker-controlled and a few positions and lengths are enough to
/// diagnose it.
///
/// ```
/// use mfkessai::webhook::{self, Secret, WebhookError};
///
/// let secret = Secret::new("your secret");
/// let err = webhook::verify(&secret, b"{}", None).unwrap_err();
/// assert!(matches!(err, WebhookError::MissingHeader("x-mfkessai-signature")));
/// assert_eq!(err.to_string(), "missing `x-mfkessai-signature` header");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// No secret to verify with: the set is empty or every secret in it is
    /// empty. Empty secrets are skipped so that an unset environment
    /// variable cannot make forged deliveries pass.
    NoSecret,
    /// A header the operation needs is absent (the value is its name).
    MissingHeader(&'static str),
    /// The `x-mfkessai-signature` header is not 64 lowercase hex digits.
    MalformedSignature(SignatureFormatError),
    /// The signature is well formed but the body was not signed with any of
    /// the configured secrets: the body was altered, the secret is wrong,
    /// or the request does not come from Money Forward Kessai.
    SignatureMismatch {
        /// How many (non-empty) secrets were tried.
        secrets_tried: usize,
    },
    /// The body is empty (Kessai always sends a JSON object).
    EmptyBody,
    /// The body is not valid JSON.
    NotJson(serde_json::Error),
    /// The body is JSON but not an event: not an object, or no string
    /// `type` property.
    NotAnEvent(&'static str),
    /// The body is an event of a documented type, but a documented property
    /// is missing or has the wrong type.
    InvalidEvent {
        /// The event's `type`.
        event_type: String,
        /// What `serde_json` found wrong (names the property).
        error: serde_json::Error,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::NoSecret => {
                f.write_str("no webhook secret configured (empty secrets are ignored)")
            }
            WebhookError::MissingHeader(name) => write!(f, "missing `{name}` header"),
            WebhookError::MalformedSignature(why) => {
                write!(f, "malformed `{SIGNATURE_HEADER}` header: {why}")
            }
            WebhookError::SignatureMismatch { secrets_tried } => write!(
                f,
                "signature mismatch: the body was not signed with any of the \
                 {secrets_tried} configured secret(s)"
            ),
            WebhookError::EmptyBody => f.write_str("body is empty"),
            WebhookError::NotJson(e) => write!(f, "body is not JSON: {e}"),
            WebhookError::NotAnEvent(why) => write!(f, "body is not a webhook event: {why}"),
            WebhookError::InvalidEvent { event_type, error } => {
                write!(f, "malformed `{event_type}` event: {error}")
            }
        }
    }
}

// The serde_json detail is part of the message (so `{err}` alone says what
// was wrong), so it is not also reported as `source()`: error reporters that
// walk the chain would print it twice.
impl std::error::Error for WebhookError {}

/// What is wrong with the `x-mfkessai-signature` header's format.
///
/// Positions count bytes of the header value after surrounding spaces and
/// tabs are removed, starting at 0.
///
/// ```
/// use mfkessai::webhook::{self, Secret, SignatureFormatError, WebhookError};
///
/// let err = webhook::verify(&Secret::new("your secret"), b"", Some("abc")).unwrap_err();
/// assert!(matches!(
///     err,
///     WebhookError::MalformedSignature(SignatureFormatError::Length { found: 3 })
/// ));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// Not 64 bytes long (an HMAC-SHA256 is 32 bytes, 64 hex digits).
    Length {
        /// The length found, in bytes.
        found: usize,
    },
    /// A byte that is not a hex digit.
    NotHex {
        /// Where it is.
        position: usize,
    },
    /// An uppercase hex digit. Kessai sends lowercase hex and the
    /// reference's check is an exact string comparison, so an uppercase
    /// signature did not come unaltered from Kessai.
    Uppercase {
        /// Where the first one is.
        position: usize,
    },
}

impl fmt::Display for SignatureFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureFormatError::Length { found } => write!(
                f,
                "expected 64 hex digits (HMAC-SHA256), found {found} bytes"
            ),
            SignatureFormatError::NotHex { position } => {
                write!(f, "byte {position} is not a hex digit")
            }
            SignatureFormatError::Uppercase { position } => write!(
                f,
                "byte {position} is an uppercase hex digit; Kessai signs with lowercase hex"
            ),
        }
    }
}

impl std::error::Error for SignatureFormatError {}
