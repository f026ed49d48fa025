//! Serde adapters used by the generated layer ([`crate::raw`]).
//!
//! They exist because two things about the wire cannot be expressed by
//! derive alone:
//!
//! * **Money and quantities are exact.** The spec's `number` fields (unit
//!   prices, quantities, commission rates) are `rust_decimal::Decimal` in
//!   Rust. `serde_json` would parse a JSON number into `f64` before any
//!   visitor sees it, so these adapters read the number's raw text instead
//!   and write the decimal back as a plain JSON number, never through `f64`.
//! * **`null` is an empty list.** The server may send `"items": null`; every
//!   array field accepts it as empty.
//!
//! It also holds [`RequestDefaults`], the generated client's `inner` value,
//! the hooks progenitor calls around every request: they add the `apikey`
//! header (marked sensitive) and the user agent, cap the response body while
//! it streams in, and trace the wire facts of each attempt. [`Operation`]
//! and [`SendOperation`] are what the generator says about each operation;
//! [`decode`] decodes responses without losing their status.
//!
//! ```
//! use mfkessai::types::TransactionDetail;
//! let d: TransactionDetail =
//!     serde_json::from_str(r#"{"description": "A", "unit_price": 0.1, "quantity": 3}"#).unwrap();
//! assert_eq!(d.unit_price.unwrap().to_string(), "0.1");
//! assert_eq!(
//!     serde_json::to_string(&d).unwrap(),
//!     r#"{"description":"A","quantity":3,"unit_price":0.1}"#
//! );
//! ```

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderValue, USER_AGENT};
use rust_decimal::Decimal;
use serde::{
    de::{DeserializeOwned, Error as _, IntoDeserializer},
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::value::RawValue;

pub(crate) mod de;

/// What every request of a [`crate::raw::Client`] carries: the `apikey`
/// header and the user agent; and what every answer may weigh.
///
/// ```
/// use mfkessai::{wire::RequestDefaults, ApiKey};
/// let defaults = RequestDefaults::new(&ApiKey::new("secret-key"), "my-app/1.0")
///     .unwrap()
///     .with_max_response_bytes(4 << 20);
/// let http = reqwest::Client::builder()
///     // The API documents no redirects; following one would carry the key away.
///     .redirect(reqwest::redirect::Policy::none())
///     .build()
///     .unwrap();
/// let raw = mfkessai::raw::Client::new_with_client(
///     "https://sandbox-api.mfkessai.co.jp/v2",
///     http,
///     defaults,
/// );
/// assert!(!format!("{raw:?}").contains("secret-key"));
/// ```
#[derive(Clone, Debug)]
pub struct RequestDefaults {
    api_key: HeaderValue,
    user_agent: HeaderValue,
    max_response_bytes: usize,
}

impl RequestDefaults {
    /// Builds the defaults; fails if the key or user agent cannot be a header
    /// value (control characters, non-visible ASCII). The error never
    /// contains the key. Response bodies are capped at
    /// [`crate::ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn new(api_key: &crate::ApiKey, user_agent: &str) -> Result<Self, crate::Error> {
        let mut api_key = HeaderValue::from_str(api_key.expose()).map_err(|_| {
            crate::Error::config("the API key contains characters that cannot be sent in a header")
        })?;
        api_key.set_sensitive(true);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            crate::Error::config(format!(
                "user agent `{user_agent}` is not a valid header value"
            ))
        })?;
        Ok(RequestDefaults {
            api_key,
            user_agent,
            max_response_bytes: crate::ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES,
        })
    }

    /// The largest response body to read; a larger one fails while it
    /// streams in, before it is buffered.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }
}

/// progenitor's pre-request hook: authentication and user agent.
pub fn before_send(defaults: &RequestDefaults, request: &mut reqwest::Request) {
    let headers = request.headers_mut();
    headers.insert("apikey", defaults.api_key.clone());
    headers.insert(USER_AGENT, defaults.user_agent.clone());
}

/// What the spec says about one operation; the generator emits one constant
/// per operation in [`crate::raw::operations`], and each operation builder
/// names its own through [`SendOperation::OPERATION`].
///
/// ```
/// use mfkessai::raw::operations;
/// let op = operations::GET_CUSTOMER;
/// assert_eq!((op.id, op.method, op.path), ("GetCustomer", "GET", "/customers/{customer_id}"));
/// assert!(op.idempotent);
/// assert!(!operations::CREATE_TRANSACTION.idempotent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (`GetCustomer`).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, relative to the base URL
    /// (`/customers/{customer_id}`); traced as `url.template`.
    pub path: &'static str,
    /// `"{method} {path}"` (`GET /customers/{customer_id}`), the span name
    /// the OpenTelemetry HTTP conventions ask for (traced as `otel.name`).
    pub span_name: &'static str,
    /// Whether sending it twice is harmless: a `GET`, or an operation the
    /// spec marks `x-mfkessai-idempotent`. Only these are resent after a
    /// failure that may have reached the server.
    pub idempotent: bool,
}

/// A generated operation builder (`raw::builder::GetCustomer`, …): which
/// operation it sends, and sending it. Implemented by the generator for
/// every operation; the facade's retry loop takes its metadata from here.
///
/// ```
/// use mfkessai::{raw::builder::GetCustomer, wire::SendOperation};
/// assert_eq!(<GetCustomer<'_> as SendOperation>::OPERATION.path, "/customers/{customer_id}");
/// ```
pub trait SendOperation: Sized {
    /// The decoded success body.
    type Response;
    /// The operation this builder sends.
    const OPERATION: &'static Operation;
    /// Sends the request (the builder's `send()`).
    fn dispatch(
        self,
    ) -> impl std::future::Future<
        Output = Result<
            progenitor_client::ResponseValue<Self::Response>,
            crate::raw::Error<crate::raw::types::Errors>,
        >,
    > + Send;
}

/// Decodes a documented response, as `ResponseValue::from_response` does,
/// except that a body that does not decode comes back as
/// `Error::UnexpectedResponse` with its status, headers and bytes intact
/// (progenitor's `InvalidResponsePayload` keeps only the bytes), so the
/// caller can still tell which status sent it. The generated code calls
/// this for every documented status.
pub async fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<progenitor_client::ResponseValue<T>, crate::raw::Error<E>> {
    let status = response.status();
    // Taken, not cloned: reading the body no longer needs them.
    let headers = std::mem::take(response.headers_mut());
    let bytes = response
        .bytes()
        .await
        .map_err(crate::raw::Error::ResponseBodyError)?;
    match serde_json::from_slice(&bytes) {
        Ok(inner) => Ok(progenitor_client::ResponseValue::new(
            inner, status, headers,
        )),
        Err(_) => {
            let mut again = http::Response::new(reqwest::Body::from(bytes));
            *again.status_mut() = status;
            *again.headers_mut() = headers;
            again.extensions_mut().insert(Undecodable);
            Err(crate::raw::Error::UnexpectedResponse(again.into()))
        }
    }
}

/// Marks a response [`decode`] handed back because its documented status
/// came with a body that did not decode.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Undecodable;

/// A response body that failed while streaming in, with the status it
/// belonged to (reqwest's body errors carry none).
#[derive(Debug)]
pub(crate) struct BodyError {
    pub status: u16,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading the body of a {} response failed", self.status)
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// `application/json`, any `+json` type, or no `content-type` at all.
pub(crate) fn is_json(headers: &reqwest::header::HeaderMap) -> bool {
    let Some(value) = headers.get(reqwest::header::CONTENT_TYPE) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence
            .rsplit_once('+')
            .is_some_and(|(_, suffix)| suffix.eq_ignore_ascii_case("json"))
}

/// Every request of the generated client runs through here, so the body
/// limit holds for the raw layer too. It is also where the wire facts of an
/// attempt are traced: `server.address`, `server.port` and
/// `http.response.status_code` are recorded on the current span (the
/// facade's `mfkessai.request` span, or any span of the caller's that
/// declares those fields).
impl ClientHooks<RequestDefaults> for crate::raw::Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::Span::current();
        if !span.is_disabled() {
            let url = request.url();
            if let Some(host) = url.host_str() {
                span.record("server.address", host);
            }
            if let Some(port) = url.port_or_known_default() {
                span.record("server.port", port);
            }
        }
        let response = self.client().execute(request).await?;
        let status = response.status().as_u16();
        span.record("http.response.status_code", status);
        Ok(limit_body(
            response,
            self.inner().max_response_bytes,
            status,
        ))
    }
}

/// Wraps the body so that reading more than `limit` bytes fails as it
/// streams in (a `content-length` is not trusted, and chunked bodies have
/// none). Body errors surface as a [`BodyError`] naming the status, whose
/// source is [`http_body_util::LengthLimitError`] when the limit was hit.
fn limit_body(response: reqwest::Response, limit: usize, status: u16) -> reqwest::Response {
    use http_body_util::BodyExt;
    use reqwest::ResponseBuilderExt;
    // A declared length within the limit bounds the body by itself: hyper
    // reads exactly that many bytes on HTTP/1.1 and h2 refuses DATA beyond
    // it, so only bodies without one (chunked) or over it need counting.
    // Most answers take this way, which spares every call the conversion.
    if response.content_length().is_some_and(|n| n <= limit as u64) {
        return response;
    }
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    // The conversion drops the URL; put it back for error messages.
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let body = http_body_util::Limited::new(body, limit)
        .map_err(move |source| BodyError { status, source });
    let body = reqwest::Body::wrap(body);
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Whether a body error is the response limit being hit.
pub(crate) fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        next = e.source();
    }
    false
}

/// The status of the response whose body failed, when the error is one.
pub(crate) fn body_status(error: &(dyn std::error::Error + 'static)) -> Option<u16> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(body) = e.downcast_ref::<BodyError>() {
            return Some(body.status);
        }
        next = e.source();
    }
    None
}

/// Parses the text of a JSON number (or a JSON string holding one) exactly.
fn parse_decimal(raw: &str) -> Result<Decimal, String> {
    let text = raw.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    Decimal::from_str_exact(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|e| format!("`{}` is not a decimal number: {e}", shorten(text)))
}

/// The start of a value for an error message: whatever a server sends, a
/// message stays one short line.
fn shorten(text: &str) -> String {
    const KEEP: usize = 40;
    match text.char_indices().nth(KEEP) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
    }
}

/// A Decimal's Display is a valid JSON number (optional `-`, digits, optional
/// fraction, never an exponent), so this only fails if that ever changes.
fn to_raw(value: &Decimal) -> Result<Box<RawValue>, String> {
    RawValue::from_string(value.to_string()).map_err(|e| format!("decimal {value}: {e}"))
}

/// `#[serde(with = "decimal")]` for a required `Decimal`.
pub mod decimal {
    use super::*;

    /// Writes the decimal as a JSON number with all its digits.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        to_raw(value)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    /// Reads a JSON number (or numeric string) without passing through `f64`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        parse_decimal(raw.get()).map_err(D::Error::custom)
    }
}

/// `#[serde(with = "decimal_opt")]` for an optional `Decimal`; `null` is `None`.
pub mod decimal_opt {
    use super::*;

    /// Writes `Some` as an exact JSON number and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        let raw = value.as_ref().map(to_raw).transpose();
        raw.map_err(serde::ser::Error::custom)?.serialize(s)
    }

    /// Reads `null` as `None` and a number without passing through `f64`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let raw = Option::<Box<RawValue>>::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(r) if matches!(r.get().trim(), "null" | "\"\"") => Ok(None),
            Some(r) => parse_decimal(r.get()).map(Some).map_err(D::Error::custom),
        }
    }
}

/// `#[serde(deserialize_with = "null_as_empty")]`: an explicit `null` array is empty.
pub fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An optional value: `null`, absence and `""` are all `None`.
///
/// The reference sends `""` for values that are not set (`"start_date": ""`)
/// where other answers send `null`; user code should not have to care which.
/// The value is forwarded to `T` as it arrives, without buffering, so a wrong
/// type still fails with the path of the field.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_option(EmptyAsNone(std::marker::PhantomData))
}

struct EmptyAsNone<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for EmptyAsNone<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value, null or \"\"")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        d.deserialize_any(EmptyAsNoneValue(std::marker::PhantomData))
    }
}

/// The non-null value: `""` (or blanks) is `None`, anything else goes to `T`.
struct EmptyAsNoneValue<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for EmptyAsNoneValue<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value, null or \"\"")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(serde::de::value::BorrowedStrDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Some)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Money {
        #[serde(with = "decimal")]
        exact: Decimal,
        #[serde(with = "decimal_opt", default)]
        maybe: Option<Decimal>,
        #[serde(deserialize_with = "null_as_empty", default)]
        list: Vec<u8>,
    }

    #[test]
    fn decimals_do_not_pass_through_f64() {
        // 0.1 + 0.2 style values and more digits than f64 can hold.
        let m: Money = serde_json::from_str(
            r#"{"exact": 12345678901234567.8901, "maybe": 0.3, "list": null}"#,
        )
        .unwrap();
        assert_eq!(m.exact.to_string(), "12345678901234567.8901");
        assert_eq!(m.maybe.unwrap().to_string(), "0.3");
        assert!(m.list.is_empty());
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"exact":12345678901234567.8901,"maybe":0.3,"list":[]}"#
        );
    }

    #[test]
    fn accepts_numeric_strings_exponents_and_null() {
        let m: Money = serde_json::from_str(r#"{"exact": "-1000", "maybe": null}"#).unwrap();
        assert_eq!(m.exact, Decimal::from(-1000));
        assert_eq!(m.maybe, None);
        let m: Money = serde_json::from_str(r#"{"exact": 1.5e3}"#).unwrap();
        assert_eq!(m.exact, Decimal::from(1500));
    }

    #[test]
    fn empty_dates_are_none() {
        #[derive(Deserialize)]
        struct D {
            #[serde(deserialize_with = "empty_as_none", default)]
            at: Option<chrono::DateTime<chrono::FixedOffset>>,
        }
        let d: D = serde_json::from_str(r#"{"at": ""}"#).unwrap();
        assert!(d.at.is_none());
        let d: D = serde_json::from_str(r#"{"at": null}"#).unwrap();
        assert!(d.at.is_none());
        let d: D = serde_json::from_str(r#"{}"#).unwrap();
        assert!(d.at.is_none());
        let d: D = serde_json::from_str(r#"{"at": "2019-04-01T12:00:00+09:00"}"#).unwrap();
        assert_eq!(d.at.unwrap().to_rfc3339(), "2019-04-01T12:00:00+09:00");
        assert!(serde_json::from_str::<D>(r#"{"at": "yesterday"}"#).is_err());
    }

    #[test]
    fn rejects_non_numbers_with_a_message() {
        let err = serde_json::from_str::<Money>(r#"{"exact": "abc"}"#).unwrap_err();
        assert!(
            err.to_string().contains("`abc` is not a decimal number"),
            "{err}"
        );
        assert!(serde_json::from_str::<Money>(r#"{"exact": true}"#).is_err());
    }

    #[test]
    fn a_huge_bad_number_gives_a_short_message() {
        let body = format!(r#"{{"exact": "{}x"}}"#, "9".repeat(200_000));
        let err = serde_json::from_str::<Money>(&body)
            .unwrap_err()
            .to_string();
        assert!(err.len() < 200, "{} characters", err.len());
        assert!(err.contains("200001 bytes"), "{err}");
    }

    #[test]
    fn json_content_types() {
        let mut h = reqwest::header::HeaderMap::new();
        assert!(is_json(&h), "absent");
        for (value, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/problem+json", true),
            ("text/html; charset=utf-8", false),
            ("text/plain", false),
            ("application/jsonx", false),
        ] {
            h.insert("content-type", value.parse().unwrap());
            assert_eq!(is_json(&h), json, "{value}");
        }
    }
}
