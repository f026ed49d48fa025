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
//! and the two hooks progenitor calls around every request: they add the
//! `apikey` header (marked sensitive) and the user agent, and let the facade
//! observe the HTTP status of each attempt.
//!
//! ```
//! use mfkessai::raw::types::TransactionDetail;
//! let d: TransactionDetail = serde_json::from_str(r#"{"unit_price": 0.1, "quantity": 3}"#).unwrap();
//! assert_eq!(d.unit_price.unwrap().to_string(), "0.1");
//! assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"quantity":3,"unit_price":0.1}"#);
//! ```

use std::cell::Cell;

use reqwest::header::{HeaderValue, USER_AGENT};
use rust_decimal::Decimal;
use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// What every request of a [`crate::raw::Client`] carries: the `apikey`
/// header and the user agent.
///
/// ```
/// use mfkessai::{wire::RequestDefaults, ApiKey};
/// let defaults = RequestDefaults::new(&ApiKey::new("secret-key"), "my-app/1.0").unwrap();
/// let raw = mfkessai::raw::Client::new_with_client(
///     "https://sandbox-api.mfkessai.co.jp/v2",
///     reqwest::Client::new(),
///     defaults,
/// );
/// assert!(!format!("{raw:?}").contains("secret-key"));
/// ```
#[derive(Clone, Debug)]
pub struct RequestDefaults {
    api_key: HeaderValue,
    user_agent: HeaderValue,
}

impl RequestDefaults {
    /// Builds the defaults; fails if the key or user agent cannot be a header
    /// value (control characters, non-visible ASCII). The error never
    /// contains the key.
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
        })
    }
}

/// progenitor's pre-request hook: authentication and user agent.
pub fn before_send(defaults: &RequestDefaults, request: &mut reqwest::Request) {
    let headers = request.headers_mut();
    headers.insert("apikey", defaults.api_key.clone());
    headers.insert(USER_AGENT, defaults.user_agent.clone());
}

tokio::task_local! {
    /// Set by the facade around each attempt; the post hook writes the HTTP
    /// status into it so errors that progenitor reports without a status
    /// (an undecodable body) can still say which status came back.
    pub(crate) static LAST_STATUS: Cell<Option<u16>>;
}

/// progenitor's post-response hook: records the status of the attempt.
pub fn after_receive(
    _defaults: &RequestDefaults,
    result: &Result<reqwest::Response, reqwest::Error>,
) {
    if let Ok(response) = result {
        let status = response.status().as_u16();
        let _ = LAST_STATUS.try_with(|cell| cell.set(Some(status)));
    }
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
        .map_err(|e| format!("`{text}` is not a decimal number: {e}"))
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
            Some(r) if r.get().trim() == "null" => Ok(None),
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

/// `#[serde(deserialize_with = "empty_as_none")]`: `""`, `null` or absent
/// is `None`; anything else must parse as `T` from its string form.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::IntoDeserializer;
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => T::deserialize(s.into_deserializer()).map(Some),
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
}
