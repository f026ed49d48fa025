//! Signature checking: HMAC-SHA256 of the raw body, lowercase hex.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::{SignatureFormatError, WebhookError};
use super::event::Event;
use super::secret::{Secret, SecretSet};

type HmacSha256 = Hmac<Sha256>;

/// Bytes in an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;

/// A body whose signature matched one of the configured secrets.
///
/// Only [`verify`] (and the functions built on it) create one, so holding a
/// `VerifiedPayload` proves the check was done. It owns a copy of the body,
/// so it can be moved to a background task after the request is answered.
///
/// ```
/// use mfkessai::webhook::{self, Event, Secret};
///
/// let body = br#"{"event_id":"GM6Y-9W6V","type":"invoice.issued","invoice_id":"M9R6-MVNV","billing_id":"MW4N-3ANV","created_at":"2019-10-30T10:35:08+09:00"}"#;
/// let signature = webhook::sign_for_test("your secret", body);
///
/// let payload = webhook::verify(&Secret::new("your secret"), body, Some(&signature)).unwrap();
/// assert_eq!(payload.as_bytes(), body);
/// assert!(matches!(payload.parse().unwrap(), Event::InvoiceIssued(_)));
/// ```
#[derive(Clone)]
pub struct VerifiedPayload {
    body: Vec<u8>,
    secret_index: usize,
}

impl VerifiedPayload {
    /// The body, exactly as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body, exactly as received.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// Which secret matched: its index in the [`SecretSet`] given to
    /// [`verify`]. Watch it during a rotation to know when the old secret
    /// can go.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// Decodes the body into an [`Event`].
    ///
    /// Unknown event types are not an error (they become
    /// [`Event::Unknown`]), and unknown properties are ignored. It fails if
    /// the body is empty, not JSON, not an object with a string `type` and a
    /// string `event_id`, or
    /// if an event of a documented type lacks a documented property.
    ///
    /// ```
    /// use mfkessai::webhook::{self, Event, Secret, WebhookError};
    ///
    /// let secret = Secret::new("your secret");
    /// let body = br#"{"event_id":"X","type":"refund.created","amount":1}"#;
    /// let payload = webhook::verify(&secret, body, Some(&webhook::sign_for_test(&secret, body))).unwrap();
    /// match payload.parse().unwrap() {
    ///     Event::Unknown { event_type, event_id, raw } => {
    ///         assert_eq!(event_id, "X");
    ///         assert_eq!(event_type, "refund.created");
    ///         assert_eq!(raw["amount"], 1);
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    ///
    /// let not_json = b"hello";
    /// let payload = webhook::verify(&secret, not_json, Some(&webhook::sign_for_test(&secret, not_json))).unwrap();
    /// assert!(matches!(payload.parse(), Err(WebhookError::NotJson(_))));
    /// ```
    pub fn parse(&self) -> Result<Event, WebhookError> {
        Event::from_body(&self.body)
    }
}

impl fmt::Debug for VerifiedPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedPayload")
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("secret_index", &self.secret_index)
            .finish()
    }
}

/// Checks that `raw_body` was signed by Money Forward Kessai.
///
/// `signature_header` is the value of the `x-mfkessai-signature` header
/// (`None` if the request had none). The body must be the bytes as
/// received, before any JSON parsing: re-serialized JSON would not match.
///
/// The signature is the lowercase hex HMAC-SHA256 of the body keyed with
/// the secret. Each non-empty secret of `secrets` is tried in order and the
/// comparison takes constant time. Surrounding spaces and tabs in the header
/// are ignored; uppercase hex is rejected (see
/// [`SignatureFormatError::Uppercase`]).
///
/// ```
/// use mfkessai::webhook::{self, Secret, WebhookError};
///
/// // The reference's own sample (WebHook > 正当性チェック).
/// let secret = Secret::new("your secret");
/// let signature = "43597a97960d4c05d4c4bc2fe5bf8ffbb7b38d844b2dda9927ca62afe1b0fe0e";
/// assert!(webhook::verify(&secret, b"your request body", Some(signature)).is_ok());
///
/// let err = webhook::verify(&secret, b"your request body!", Some(signature)).unwrap_err();
/// assert!(matches!(err, WebhookError::SignatureMismatch { secrets_tried: 1 }));
/// ```
pub fn verify<S: SecretSet + ?Sized>(
    secrets: &S,
    raw_body: &[u8],
    signature_header: Option<&str>,
) -> Result<VerifiedPayload, WebhookError> {
    verify_bytes(secrets, raw_body, signature_header.map(str::as_bytes))
}

/// [`verify`] for a header value that may not be UTF-8 (HTTP header values
/// are bytes).
pub(crate) fn verify_bytes<S: SecretSet + ?Sized>(
    secrets: &S,
    raw_body: &[u8],
    signature_header: Option<&[u8]>,
) -> Result<VerifiedPayload, WebhookError> {
    let secrets = secrets.as_secrets();
    let secrets_tried = secrets.iter().filter(|s| !s.is_empty()).count();
    if secrets_tried == 0 {
        return Err(WebhookError::NoSecret);
    }
    let header = signature_header.ok_or(WebhookError::MissingHeader(
        super::delivery::SIGNATURE_HEADER,
    ))?;
    let tag = decode_hex_tag(header).map_err(WebhookError::MalformedSignature)?;

    // Stopping at the first match only reveals, through timing, which
    // secret matched, which is not secret; each comparison itself is
    // constant-time.
    let secret_index = secrets
        .iter()
        .position(|secret| !secret.is_empty() && mac(secret, raw_body).verify_slice(&tag).is_ok())
        .ok_or(WebhookError::SignatureMismatch { secrets_tried })?;
    Ok(VerifiedPayload {
        body: raw_body.to_vec(),
        secret_index,
    })
}

/// [`verify`] then [`VerifiedPayload::parse`], for when you only need the
/// event.
///
/// ```
/// use mfkessai::webhook::{self, Event, ExaminationResult, Secret};
///
/// let body = br#"{"event_id":"GM6Y-9W6V","type":"transaction.examined","transaction_id":"6E9E-P436","transaction_number":"transaction-00001","result":"passed","created_at":"2019-10-30T10:35:08+09:00"}"#;
/// let signature = webhook::sign_for_test("your secret", body);
///
/// let event = webhook::verify_and_parse(&Secret::new("your secret"), body, Some(&signature)).unwrap();
/// let Event::TransactionExamined(t) = event else { panic!() };
/// assert_eq!(t.result, ExaminationResult::Passed);
/// ```
pub fn verify_and_parse<S: SecretSet + ?Sized>(
    secrets: &S,
    raw_body: &[u8],
    signature_header: Option<&str>,
) -> Result<Event, WebhookError> {
    verify(secrets, raw_body, signature_header)?.parse()
}

/// The `x-mfkessai-signature` value Kessai would send for `body`: the
/// lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
///
/// Receivers never need it; it is for tests that post signed requests to
/// your endpoint (and for fake servers). See also
/// [`Delivery::headers`](super::Delivery::headers), which builds all three
/// headers.
///
/// ```
/// use mfkessai::webhook;
///
/// assert_eq!(
///     webhook::sign_for_test("your secret", b"your request body"),
///     "43597a97960d4c05d4c4bc2fe5bf8ffbb7b38d844b2dda9927ca62afe1b0fe0e",
/// );
/// ```
pub fn sign_for_test(secret: impl Into<Secret>, body: &[u8]) -> String {
    let tag = mac(&secret.into(), body).finalize().into_bytes();
    encode_hex(&tag)
}

fn mac(secret: &Secret, body: &[u8]) -> HmacSha256 {
    // HMAC hashes keys longer than the block size and pads shorter ones, so
    // every key length is valid and this never fails.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret.bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(body);
    mac
}

fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes the header into the 32-byte tag. This need not be constant-time:
/// it reads the attacker-supplied header, not anything derived from the
/// secret.
fn decode_hex_tag(header: &[u8]) -> Result<[u8; TAG_LEN], SignatureFormatError> {
    let hex = trim_ows(header);
    if hex.len() != TAG_LEN * 2 {
        return Err(SignatureFormatError::Length { found: hex.len() });
    }
    let mut tag = [0u8; TAG_LEN];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        let high = nibble(pair[0], 2 * i)?;
        let low = nibble(pair[1], 2 * i + 1)?;
        tag[i] = high << 4 | low;
    }
    Ok(tag)
}

/// Removes the optional whitespace (spaces and tabs) HTTP allows around a
/// field value, in case the server framework kept it.
fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn nibble(c: u8, position: usize) -> Result<u8, SignatureFormatError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Err(SignatureFormatError::Uppercase { position }),
        _ => Err(SignatureFormatError::NotHex { position }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for chunk in bytes.chunks(TAG_LEN) {
            let hex = encode_hex(chunk);
            assert_eq!(decode_hex_tag(hex.as_bytes()).unwrap(), chunk);
        }
    }

    #[test]
    fn decode_reports_where_the_header_is_wrong() {
        let good = "43597a97960d4c05d4c4bc2fe5bf8ffbb7b38d844b2dda9927ca62afe1b0fe0e";
        assert!(decode_hex_tag(format!(" \t{good}\t ").as_bytes()).is_ok());
        let mut bad = good.as_bytes().to_vec();
        bad[7] = b'g';
        assert_eq!(
            decode_hex_tag(&bad),
            Err(SignatureFormatError::NotHex { position: 7 })
        );
        bad[7] = b'B';
        assert_eq!(
            decode_hex_tag(&bad),
            Err(SignatureFormatError::Uppercase { position: 7 })
        );
        assert_eq!(
            decode_hex_tag(&good.as_bytes()[..63]),
            Err(SignatureFormatError::Length { found: 63 })
        );
    }
}
