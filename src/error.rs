//! The one error type of the SDK, with helpers in the style of the AWS SDK.
//!
//! Kinds do not overlap: a problem is found either before sending
//! ([`Error::Config`], [`Error::Validation`]), on the way
//! ([`Error::Transport`], [`Error::Timeout`]), or in the answer
//! ([`Error::Api`], [`Error::RateLimited`], [`Error::Decode`]).

use std::{fmt, time::Duration};

use crate::{ApiKey, ErrorCode};

/// Everything that can go wrong when calling Money Forward Kessai.
///
/// `Display` is one line that says what happened, e.g.
/// `400 invalid_limit: limit must be 1..=200 (param: 500)`.
///
/// ```
/// # async fn run(client: mfkessai::Client) {
/// match client.customers().get(&"7679-YW36".into()).await {
///     Ok(customer) => println!("{:?}", customer.name),
///     Err(e) if e.is_not_found() => println!("no such customer"),
///     Err(e) if e.retry_kind().is_some() => println!("a GET: try again later: {e}"),
///     Err(e) => eprintln!("failed: {e} (code: {:?})", e.code()),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured (missing key, bad base URL, …).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The request breaks a documented constraint; nothing was sent.
    #[error("invalid request: {0}")]
    Validation(ValidationError),
    /// The connection failed or was reset.
    #[error("{0}")]
    Transport(TransportError),
    /// No answer within the configured timeout.
    #[error("timed out{}", if *.sent { " waiting for the response (the request may have been processed)" } else { " before the request was sent" })]
    Timeout {
        /// Whether the request may have reached the server.
        sent: bool,
    },
    /// The server answered with an error status.
    #[error("{0}")]
    Api(ApiError),
    /// 429 Too Many Requests: the request was not processed.
    #[error("429 rate limited{}", match .retry_after { Some(d) => format!(" (retry after {}s)", d.as_secs_f64()), None => String::new() })]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The error list of the body, if it had one.
        errors: Vec<ApiErrorDetail>,
    },
    /// A paginated stream cannot go on: the server said there are more
    /// items but gave a cursor that does not move (or none at all). The
    /// stream ends instead of asking for the same page forever.
    #[error("pagination stopped: {message}")]
    Pagination {
        /// What the server answered.
        message: String,
        /// The cursor that did not move, if there was one.
        cursor: Option<String>,
    },
    /// The answer could not be decoded into the documented type: a property
    /// the API always sends is missing, a value has the wrong type, or a 2xx
    /// came with a `content-type` that is not JSON.
    #[error("{0}")]
    Decode(DecodeError),
    /// The server answered with a redirect, which the client does not
    /// follow: the API documents none, and following one would carry the
    /// `apikey` header to whatever the `Location` names. Nothing was done.
    #[error("{status} redirect not followed{}", match .location { Some(l) => format!(" (location: {l})"), None => String::new() })]
    Redirected {
        /// The 3xx status.
        status: u16,
        /// The `Location` header, with the API key redacted if it was in it.
        location: Option<String>,
    },
    /// The response body was larger than the client's limit
    /// (`ClientBuilder::max_response_bytes`); reading stopped at the limit.
    #[error("the response{} is larger than the client's limit (ClientBuilder::max_response_bytes)", match .status { Some(s) => format!(" ({s})"), None => String::new() })]
    ResponseTooLarge {
        /// The HTTP status of the response, when known.
        status: Option<u16>,
    },
    /// A `create_idempotent` call cannot tell whether the object was created:
    /// the create failed in a way that may have been processed, and looking
    /// the object up by its `number` failed too, within the retry policy.
    /// Reconcile later (look the number up) before creating it again.
    #[error("{0}")]
    OutcomeUnknown(Box<OutcomeUnknown>),
}

/// The details of [`Error::OutcomeUnknown`].
#[derive(Debug)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// The seller-chosen number the object is found by.
    pub number: String,
    /// Why the create itself failed.
    pub create: Error,
    /// Why the last lookup by number failed; `None` when it answered that
    /// the object does not exist yet, but the create may still be running
    /// on the server (it timed out or the connection was cut).
    pub lookup: Option<Error>,
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "outcome unknown: `{}` may or may not have been created ({}); ",
            self.number, self.create
        )?;
        match &self.lookup {
            Some(lookup) => write!(f, "looking it up failed: {lookup}"),
            None => f.write_str("not found yet, but the request may still be running"),
        }
    }
}

impl std::error::Error for OutcomeUnknown {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.create)
    }
}

/// One entry of the error array the API returns (`Errors` in the spec).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// The error code, typed; `None` when the server sent none (its 401s
    /// carry only a message).
    pub code: Option<ErrorCode>,
    /// The server's explanation.
    pub message: String,
    /// The value the error is about (the reference documents it per code).
    pub param: Option<String>,
}

impl ApiErrorDetail {
    /// Builds a detail; used by the fake server and by tests.
    pub fn new(code: ErrorCode, message: impl Into<String>, param: Option<String>) -> Self {
        ApiErrorDetail {
            code: Some(code),
            message: message.into(),
            param,
        }
    }
}

impl fmt::Display for ApiErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(param) = &self.param {
            write!(f, " (param: {param})")?;
        }
        Ok(())
    }
}

impl From<crate::raw::types::Error> for ApiErrorDetail {
    fn from(e: crate::raw::types::Error) -> Self {
        ApiErrorDetail {
            code: e.code.filter(|c| !c.as_str().trim().is_empty()),
            message: e.message.unwrap_or_default(),
            param: e.param,
        }
    }
}

/// An error status from the API, with everything the body said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The documented error array; empty when the body was something else.
    pub errors: Vec<ApiErrorDetail>,
    /// The start of the body when it was not the documented error array.
    pub body_snippet: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        match self.errors.split_first() {
            Some((first, rest)) => {
                write!(f, " {first}")?;
                if !rest.is_empty() {
                    write!(f, " (and {} more: ", rest.len())?;
                    let codes: Vec<&str> = rest
                        .iter()
                        .map(|d| d.code.as_ref().map_or("(no code)", ErrorCode::as_str))
                        .collect();
                    write!(f, "{})", codes.join(", "))?;
                }
            }
            None => {
                write!(f, " {}", status_text(self.status))?;
                if let Some(body) = self.body_snippet.as_deref().filter(|b| !b.is_empty()) {
                    write!(f, ": {body}")?;
                }
            }
        }
        Ok(())
    }
}

fn status_text(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or(match status {
            499 => "Client Canceled",
            _ => "error status",
        })
}

/// A documented constraint the request breaks, found before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The code the server would have answered with, when there is one.
    pub code: Option<ErrorCode>,
    /// The offending value, as the server would put it in `param`.
    pub param: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(param) = &self.param {
            write!(f, " (param: {param})")?;
        }
        Ok(())
    }
}

/// A connection-level failure.
#[derive(Debug, thiserror::Error)]
#[error("transport error {}: {source}", if *.sent { "after the request was sent" } else { "before the request was sent" })]
#[non_exhaustive]
pub struct TransportError {
    /// Whether the request may have reached the server. `false` means it
    /// certainly did not (the connection was never established).
    pub sent: bool,
    /// The underlying error.
    #[source]
    pub source: reqwest::Error,
}

/// A response body that does not match the documented type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status of the response, when known.
    pub status: Option<u16>,
    /// Where in the JSON decoding failed, e.g. `items[3].amount`.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The first bytes of the body (at most [`DecodeError::SNIPPET_LIMIT`]).
    pub snippet: String,
}

impl DecodeError {
    /// How much of the body a decode error keeps.
    pub const SNIPPET_LIMIT: usize = 512;
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot decode the response")?;
        if let Some(status) = self.status {
            write!(f, " ({status})")?;
        }
        write!(f, " at `{}`: {}", self.path, self.message)
    }
}

/// The start of a body for an error message: at most `limit` bytes, cut on
/// a character boundary, with the API key redacted. Only the first bytes are
/// converted, so a huge body costs nothing; the window is longer than the
/// limit by the key's length, so a key that starts inside the snippet is
/// redacted whole.
pub(crate) fn snippet(body: &[u8], limit: usize, key: &ApiKey) -> String {
    let window = &body[..body.len().min(limit.saturating_add(key.expose().len()))];
    let text = redact(&String::from_utf8_lossy(window), key);
    if text.len() <= limit && window.len() == body.len() {
        return text;
    }
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// `text` with every occurrence of the key replaced: servers and proxies
/// sometimes echo the request's headers into an error page.
pub(crate) fn redact(text: &str, key: &ApiKey) -> String {
    let key = key.expose();
    if key.is_empty() {
        return text.to_string();
    }
    text.replace(key, "[REDACTED]")
}

/// Why an error may be worth retrying, in the spirit of the AWS SDK's
/// `retryable_error_kind()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// 429: the server did not process the request. Safe for every method.
    Throttling,
    /// The connection failed before the request was sent. Safe for every method.
    NotSent,
    /// A 5xx, a timeout or a reset after sending: the request may have been
    /// processed, so only idempotent requests are retried.
    Transient,
}

impl Error {
    /// A configuration error with the given message.
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// A validation error carrying the code the server would answer with.
    pub(crate) fn validation(
        code: Option<ErrorCode>,
        param: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Validation(ValidationError {
            code,
            param,
            message: message.into(),
        })
    }

    /// The first error code: from the server, or the one validation used.
    /// `None` when there is none (a 401 carries only a message).
    ///
    /// ```
    /// # async fn run(client: mfkessai::Client) {
    /// use mfkessai::ErrorCode;
    /// # let err = client.customers().list().page_size(0).send().await.unwrap_err();
    /// assert_eq!(err.code(), Some(&ErrorCode::InvalidLimit));
    /// # }
    /// ```
    pub fn code(&self) -> Option<&ErrorCode> {
        self.codes().next()
    }

    /// Every error code, in the server's order (the API may return several).
    ///
    /// ```
    /// # fn check(err: &mfkessai::Error) {
    /// use mfkessai::ErrorCode;
    /// if err.codes().any(|c| *c == ErrorCode::InvalidTransactionAmount) { /* fix the amount */ }
    /// # }
    /// ```
    pub fn codes(&self) -> impl Iterator<Item = &ErrorCode> + '_ {
        let validation = match self {
            Error::Validation(v) => v.code.as_ref(),
            _ => None,
        };
        validation
            .into_iter()
            .chain(self.details().iter().filter_map(|d| d.code.as_ref()))
    }

    /// Whether any of the codes is `code`.
    ///
    /// ```
    /// # fn check(err: &mfkessai::Error) -> bool {
    /// err.has_code(&mfkessai::ErrorCode::InvalidTransactionAmount)
    /// # }
    /// ```
    pub fn has_code(&self, code: &ErrorCode) -> bool {
        self.codes().any(|c| c == code)
    }

    /// Every `{code, message, param}` the server returned; empty for errors
    /// that are not answers.
    pub fn details(&self) -> &[ApiErrorDetail] {
        match self {
            Error::Api(api) => &api.errors,
            Error::RateLimited { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::RateLimited { .. } => Some(429),
            Error::Decode(d) => d.status,
            Error::Redirected { status, .. } => Some(*status),
            Error::ResponseTooLarge { status } => *status,
            _ => None,
        }
    }

    /// The `param` of the first error: the value the error is about.
    pub fn param(&self) -> Option<&str> {
        match self {
            Error::Validation(v) => v.param.as_deref(),
            _ => self.details().first().and_then(|d| d.param.as_deref()),
        }
    }

    /// 404: the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// 409: the resource already exists, or the request conflicts with its
    /// state (e.g. an account transfer request within an hour).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// 429: too many requests.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// The request breaks a documented constraint: found before sending
    /// ([`Error::Validation`]) or answered 400 by the server.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation(_)) || self.status() == Some(400)
    }

    /// A `create_idempotent` call cannot tell whether the object exists; see
    /// [`Error::OutcomeUnknown`].
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown(_))
    }

    /// Whether the request certainly was not processed, so sending it again
    /// is safe whatever its method: a 429, or a connection that failed before
    /// anything was sent. A 5xx or a timeout is not: the request may have
    /// been processed; see [`Error::retry_kind`] (a `GET` may still be
    /// retried after those).
    ///
    /// ```
    /// use mfkessai::Error;
    /// assert!(Error::Timeout { sent: false }.is_safe_to_retry());
    /// assert!(!Error::Timeout { sent: true }.is_safe_to_retry());
    /// ```
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(
            self.retry_kind(),
            Some(RetryKind::Throttling | RetryKind::NotSent)
        )
    }

    /// Why a retry may help, or `None` when it will not.
    pub fn retry_kind(&self) -> Option<RetryKind> {
        match self {
            Error::RateLimited { .. } => Some(RetryKind::Throttling),
            Error::Transport(t) if !t.sent => Some(RetryKind::NotSent),
            Error::Timeout { sent: false } => Some(RetryKind::NotSent),
            Error::Transport(_) | Error::Timeout { .. } => Some(RetryKind::Transient),
            Error::Api(api) if api.status >= 500 => Some(RetryKind::Transient),
            _ => None,
        }
    }

    /// The server's `Retry-After` on a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// For a 409 `already_exists` on destinations: the id of the existing
    /// destination, which the reference puts in `param`.
    pub fn existing_destination_id(&self) -> Option<&str> {
        self.details()
            .iter()
            .find(|d| d.code == Some(ErrorCode::AlreadyExists))
            .filter(|_| self.is_conflict())
            .and_then(|d| d.param.as_deref())
    }
}

/// The result type of the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str, message: &str, param: Option<&str>) -> Error {
        Error::Api(ApiError {
            status,
            errors: vec![ApiErrorDetail::new(
                code.into(),
                message,
                param.map(String::from),
            )],
            body_snippet: None,
        })
    }

    #[test]
    fn display_is_one_informative_line() {
        let e = api(400, "invalid_limit", "limit must be 1..=200", Some("500"));
        assert_eq!(
            e.to_string(),
            "400 invalid_limit: limit must be 1..=200 (param: 500)"
        );
        let e = Error::Api(ApiError {
            status: 503,
            errors: vec![],
            body_snippet: Some("<html>down</html>".into()),
        });
        assert_eq!(e.to_string(), "503 Service Unavailable: <html>down</html>");
        let e = Error::Api(ApiError {
            status: 499,
            errors: vec![],
            body_snippet: None,
        });
        assert_eq!(e.to_string(), "499 Client Canceled");
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(2)),
            errors: vec![],
        };
        assert_eq!(e.to_string(), "429 rate limited (retry after 2s)");
        let e = Error::validation(
            Some(ErrorCode::InvalidLimit),
            Some("0".into()),
            "limit must be 1..=200",
        );
        assert_eq!(
            e.to_string(),
            "invalid request: invalid_limit: limit must be 1..=200 (param: 0)"
        );
    }

    #[test]
    fn several_errors_are_all_kept_and_counted() {
        let e = Error::Api(ApiError {
            status: 400,
            errors: vec![
                ApiErrorDetail::new(ErrorCode::InvalidLimit, "bad limit", None),
                ApiErrorDetail::new(ErrorCode::InvalidAfter, "bad after", Some("x".into())),
            ],
            body_snippet: None,
        });
        assert_eq!(
            e.codes().collect::<Vec<_>>(),
            vec![&ErrorCode::InvalidLimit, &ErrorCode::InvalidAfter]
        );
        assert!(e.has_code(&ErrorCode::InvalidAfter));
        assert!(!e.has_code(&ErrorCode::InvalidTransactionAmount));
        assert_eq!(
            e.to_string(),
            "400 invalid_limit: bad limit (and 1 more: invalid_after)"
        );
    }

    #[test]
    fn helpers_classify() {
        let conflict = api(409, "already_exists", "exists", Some("WNAV-37R6"));
        assert!(conflict.is_conflict());
        assert_eq!(conflict.existing_destination_id(), Some("WNAV-37R6"));
        assert_eq!(conflict.retry_kind(), None);
        assert!(api(404, "not_found", "nope", None).is_not_found());
        assert_eq!(
            api(502, "x", "y", None).retry_kind(),
            Some(RetryKind::Transient)
        );
        let limited = Error::RateLimited {
            retry_after: None,
            errors: vec![],
        };
        assert!(limited.is_rate_limited() && limited.is_safe_to_retry());
        assert_eq!(limited.status(), Some(429));
        assert_eq!(
            Error::Timeout { sent: false }.retry_kind(),
            Some(RetryKind::NotSent)
        );
        assert_eq!(
            Error::Timeout { sent: true }.retry_kind(),
            Some(RetryKind::Transient)
        );
    }

    #[test]
    fn snippets_are_bounded_on_char_boundaries() {
        let key = ApiKey::new("k3y");
        let body = "あ".repeat(400);
        let s = snippet(body.as_bytes(), 10, &key);
        assert_eq!(s, "あああ…");
        assert_eq!(snippet(b"short", 10, &key), "short");
    }

    #[test]
    fn snippets_never_carry_the_key() {
        let key = ApiKey::new("sk_live_0123456789");
        let body = b"<html>GET /v2/customers\r\napikey: sk_live_0123456789\r\n</html>";
        let s = snippet(body, 512, &key);
        assert!(!s.contains("sk_live"), "{s}");
        assert!(s.contains("apikey: [REDACTED]"), "{s}");
        // A key that starts inside the snippet and runs past its end.
        let mut body = vec![b'x'; 500];
        body.extend_from_slice(b"sk_live_0123456789 and more");
        let s = snippet(&body, 505, &key);
        assert!(!s.contains("sk_live"), "{s}");
        assert!(!s.contains("sk_l"), "{s}");
    }

    #[test]
    fn huge_invalid_utf8_bodies_are_cut_before_conversion() {
        let key = ApiKey::new("k");
        let body = vec![0xffu8; 50 << 20];
        let s = snippet(&body, DecodeError::SNIPPET_LIMIT, &key);
        assert!(s.len() <= DecodeError::SNIPPET_LIMIT + 4, "{}", s.len());
    }

    #[test]
    fn an_error_without_a_code_has_none() {
        let e = Error::Api(ApiError {
            status: 401,
            errors: vec![ApiErrorDetail::from(
                serde_json::from_str::<crate::raw::types::Error>(
                    r#"{"code": "", "message": "apikey is missing or invalid"}"#,
                )
                .unwrap(),
            )],
            body_snippet: None,
        });
        assert_eq!(e.code(), None);
        assert_eq!(e.codes().count(), 0);
        assert_eq!(e.to_string(), "401 apikey is missing or invalid");
        assert!(!e.is_validation());
        assert!(api(400, "invalid_transaction_amount", "bad", None).is_validation());
    }
}
