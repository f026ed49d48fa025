//! One API call: attempts, retries, tracing, and turning whatever happened
//! into an [`Error`].

use std::time::Instant;

use crate::{
    idempotent::{may_have_been_processed, outcome_unknown, room_before, still_in_flight},
    wire::SendOperation,
};

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::{
    error::{redact, snippet, ApiError, ApiErrorDetail, DecodeError, Error, TransportError},
    raw::{self, types},
    ApiKey, Client,
};

impl Client {
    /// Sends the operation that `attempt` builds until it succeeds, the
    /// error is not retryable for this operation, or the policy says stop.
    /// The operation's metadata (id, method, path template, idempotency)
    /// comes from the builder's type ([`SendOperation::OPERATION`]).
    ///
    /// Every attempt runs in a `mfkessai.request` span (named
    /// `otel.name = "GET /customers/{customer_id}"`, `otel.kind = "client"`
    /// for `tracing-opentelemetry`) carrying our `operation` field and the
    /// OpenTelemetry HTTP client attributes:
    /// `http.request.method`, `url.template`, `http.request.resend_count`
    /// (from the second attempt on) and `error.type` here; `server.address`,
    /// `server.port` and `http.response.status_code` from the client hook
    /// ([`crate::wire`]), which sees the request and the response.
    pub(crate) async fn call<B, F>(&self, mut attempt: F) -> Result<B::Response, Error>
    where
        B: SendOperation,
        B::Response: DeserializeOwned,
        F: FnMut() -> B,
    {
        let mut budget = Budget::new(self);
        loop {
            let error = match self
                .attempt(attempt(), budget.resends, budget.deadline)
                .await
            {
                Ok(value) => return Ok(budget.succeeded(value)),
                Err(e) => e,
            };
            if !budget.retry(&error, B::OPERATION.idempotent).await {
                return Err(error);
            }
            budget.resends += 1;
        }
    }

    /// A create that carries a seller-chosen unique `number`, in one retry
    /// loop: when an attempt fails in a way that may have been processed
    /// (timeout, reset, 5xx, an unreadable 2xx) or with a 409, the next
    /// attempt is `find` (a lookup by the number, given a client that does
    /// not retry on its own), and only a lookup that finds nothing makes the
    /// create safe to send again. Creates and lookups share the call's
    /// attempts, time budget and retry quota; the lookup that resolves the
    /// last ambiguous failure is always made (within the budget), so a call
    /// makes at most `max_attempts + 1` requests.
    ///
    /// Ends with the object (created or found), [`Error::OutcomeUnknown`]
    /// when the lookups could not tell (or a timed-out create may still be
    /// running), or another error, which then means nothing was created.
    pub(crate) async fn create_or_find<B, F, L, LF>(
        &self,
        number: &str,
        mut create: F,
        find: L,
    ) -> Result<B::Response, Error>
    where
        B: SendOperation,
        B::Response: DeserializeOwned,
        F: FnMut() -> B,
        L: Fn(Client) -> LF,
        LF: std::future::Future<Output = Result<Option<B::Response>, Error>>,
    {
        let mut budget = Budget::new(self);
        let lookups = self.with_retry(crate::RetryPolicy::disabled());
        // The failure that may have created the object, while a lookup is due.
        let mut ambiguous: Option<Error> = None;
        loop {
            let Some(cause) = ambiguous.take() else {
                let error = match self
                    .attempt(create(), budget.resends, budget.deadline)
                    .await
                {
                    Ok(value) => return Ok(budget.succeeded(value)),
                    Err(e) => e,
                };
                if may_have_been_processed(&error) || error.is_conflict() {
                    budget.attempts += 1;
                    ambiguous = Some(error);
                } else if budget.retry(&error, false).await {
                    budget.resends += 1;
                } else {
                    return Err(error);
                }
                continue;
            };
            let left = budget.deadline.saturating_duration_since(Instant::now());
            let found = tokio::time::timeout(left, find(lookups.clone()))
                .await
                .unwrap_or(Err(Error::Timeout { sent: true }));
            match found {
                Ok(Some(existing)) => {
                    tracing::debug!(error = %cause, "found the object the failed request created");
                    return Ok(budget.succeeded(existing));
                }
                // A 409 about something other than this number.
                Ok(None) if cause.is_conflict() => return Err(cause),
                // Not there: sending it again cannot duplicate anything (a
                // late first request makes the second one a 409, which finds it).
                Ok(None) if budget.retry(&cause, true).await => budget.resends += 1,
                // A request that timed out or was cut may still be running on
                // the server: one lookup that found nothing proves nothing.
                Ok(None) if still_in_flight(&cause) => {
                    return Err(outcome_unknown(number, cause, None))
                }
                Ok(None) => return Err(cause),
                // A lookup is a GET: anything but a definite refusal may pass.
                Err(lookup)
                    if lookup.retry_kind().is_some() && budget.retry(&lookup, true).await =>
                {
                    ambiguous = Some(cause);
                }
                Err(lookup) => return Err(outcome_unknown(number, cause, Some(lookup))),
            }
        }
    }

    /// One attempt of an operation, in its `mfkessai.request` span.
    async fn attempt<B>(
        &self,
        builder: B,
        resends: u32,
        deadline: Instant,
    ) -> Result<B::Response, Error>
    where
        B: SendOperation,
        B::Response: DeserializeOwned,
    {
        let op = B::OPERATION;
        let span = tracing::debug_span!(
            "mfkessai.request",
            otel.name = op.span_name,
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            operation = op.id,
            http.request.method = op.method,
            url.template = op.path,
            server.address = tracing::field::Empty,
            server.port = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        if resends > 0 {
            span.record("http.request.resend_count", resends);
        }
        let attempt_started = Instant::now();
        // The budget bounds the whole call: the last attempt gets only what
        // is left of it, never a full timeout. An attempt with a full timeout
        // left needs no timer of its own: the reqwest client's timeout (the
        // same length, set by the builder) covers the request and the body.
        let left = deadline.saturating_duration_since(attempt_started);
        let sending = builder.dispatch().instrument(span.clone());
        let result = if left < self.attempt_timeout() {
            tokio::time::timeout(left, sending).await.ok()
        } else {
            Some(sending.await)
        };
        span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
        let key = self.api_key();
        let error = match result {
            // Dropping the attempt cancels it; it may have been sent.
            None => Error::Timeout { sent: true },
            Some(Ok(value)) => match not_json(value.status().as_u16(), value.headers()) {
                None => return Ok(value.into_inner()),
                Some(e) => e,
            },
            Some(Err(e)) => match into_error(e, key).await {
                Recovered::Body { bytes, status } => {
                    match serde_json::from_slice::<B::Response>(&bytes) {
                        Ok(v) => return Ok(v),
                        Err(e) => Error::Decode(decode_error(&bytes, &e, Some(status), key)),
                    }
                }
                Recovered::Error(e) => e,
            },
        };
        record_error_type(&span, &error);
        Err(error)
    }
}

/// The attempts, time and quota one call has spent.
struct Budget<'c> {
    client: &'c Client,
    started: Instant,
    deadline: Instant,
    /// Requests made so far, the current one included.
    attempts: u32,
    /// How many times the operation itself was sent again.
    resends: u32,
    /// Quota tokens this call's retries took.
    spent: u32,
}

impl<'c> Budget<'c> {
    fn new(client: &'c Client) -> Self {
        let started = Instant::now();
        Budget {
            client,
            started,
            deadline: started + client.retry_policy().time_budget(),
            attempts: 1,
            resends: 0,
            spent: 0,
        }
    }

    /// A success puts back what the call's retries took from the quota.
    fn succeeded<T>(&self, value: T) -> T {
        self.client.retry_quota().release(self.spent);
        value
    }

    /// Whether to make another attempt after `error`; if so, waits first.
    async fn retry(&mut self, error: &Error, idempotent: bool) -> bool {
        let client = self.client;
        let next = client
            .retry_policy()
            .next_wait(self.attempts, error, idempotent, self.started.elapsed())
            // A retry cut off after a few milliseconds would only turn a
            // clean failure into an ambiguous timeout.
            .filter(|wait| room_before(self.deadline, *wait, client.attempt_timeout()))
            // While most attempts fail, the client's shared quota runs dry
            // and calls stop retrying.
            .and_then(|wait| Some((wait, client.retry_quota().acquire(error)?)));
        let Some((wait, cost)) = next else {
            return false;
        };
        self.spent += cost;
        tracing::debug!(error = %error, wait_ms = wait.as_millis() as u64, "retrying");
        tokio::time::sleep(wait).await;
        self.attempts += 1;
        true
    }
}

/// `error.type`: the status code for an answer the server refused (as the
/// OpenTelemetry conventions ask), otherwise a short name of what failed.
fn record_error_type(span: &tracing::Span, error: &Error) {
    if span.is_disabled() {
        return;
    }
    span.record("otel.status_code", "ERROR");
    let name = match error {
        Error::Api(ApiError { status, .. }) | Error::Redirected { status, .. } => {
            span.record("error.type", tracing::field::display(status));
            return;
        }
        Error::RateLimited { .. } => "429",
        Error::Timeout { .. } => "timeout",
        Error::Transport(_) => "transport",
        Error::Decode(_) => "decode",
        Error::ResponseTooLarge { .. } => "response_too_large",
        Error::Validation(_) => "validation",
        Error::Config { .. } => "config",
        _ => "_OTHER",
    };
    span.record("error.type", name);
}

/// An "error" from progenitor that is really a success it did not expect
/// (a 2xx status the spec does not list) is decoded, not reported. Only that
/// decode depends on the answer's type; what comes before is compiled once,
/// not once per operation.
enum Recovered {
    Body { bytes: Vec<u8>, status: u16 },
    Error(Error),
}

/// A 2xx whose `content-type` says it is not JSON came from something other
/// than the API (a captive portal, a misrouted proxy): it is refused even if
/// its body happens to decode.
fn not_json(status: u16, headers: &reqwest::header::HeaderMap) -> Option<Error> {
    if crate::wire::is_json(headers) {
        return None;
    }
    Some(Error::Decode(DecodeError {
        status: Some(status),
        path: ".".into(),
        message: "the response's content-type is not JSON".into(),
        snippet: String::new(),
    }))
}

async fn into_error(error: raw::Error<types::Errors>, key: &ApiKey) -> Recovered {
    let error = match error {
        raw::Error::InvalidRequest(message) => Error::validation(None, None, message),
        raw::Error::CommunicationError(e) | raw::Error::InvalidUpgrade(e) => from_reqwest(e, false),
        raw::Error::ResponseBodyError(e) => {
            let status = crate::wire::body_status(&e);
            body_error(e, status)
        }
        raw::Error::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let retry_after = retry_after(value.headers());
            let errors = value
                .into_inner()
                .0
                .into_iter()
                .map(ApiErrorDetail::from)
                .collect();
            api_error(status, errors, None, retry_after)
        }
        // `wire::decode` hands undecodable bodies back as unexpected
        // responses, status included; progenitor's own decoder is not used.
        raw::Error::InvalidResponsePayload(bytes, e) => {
            Error::Decode(decode_error(&bytes, &e, None, key))
        }
        raw::Error::UnexpectedResponse(response) => return from_unexpected(response, key).await,
        raw::Error::Custom(message) => Error::config(message),
    };
    Recovered::Error(error)
}

fn from_reqwest(e: reqwest::Error, body_started: bool) -> Error {
    // A connect error means no byte of the request left this machine.
    let sent = body_started || !e.is_connect();
    if e.is_timeout() {
        Error::Timeout { sent }
    } else {
        Error::Transport(TransportError {
            sent,
            source: e.without_url(),
        })
    }
}

/// Reading the body failed: the size limit, or the connection.
fn body_error(e: reqwest::Error, status: Option<u16>) -> Error {
    if crate::wire::is_too_large(&e) {
        Error::ResponseTooLarge { status }
    } else {
        from_reqwest(e, true)
    }
}

fn api_error(
    status: u16,
    errors: Vec<ApiErrorDetail>,
    body_snippet: Option<String>,
    retry_after: Option<std::time::Duration>,
) -> Error {
    if status == 429 {
        Error::RateLimited {
            retry_after,
            errors,
        }
    } else {
        Error::Api(ApiError {
            status,
            errors,
            body_snippet,
        })
    }
}

async fn from_unexpected(response: reqwest::Response, key: &ApiKey) -> Recovered {
    let status = response.status().as_u16();
    let undecodable = response
        .extensions()
        .get::<crate::wire::Undecodable>()
        .is_some();
    let not_json = not_json(status, response.headers());
    let retry_after = retry_after(response.headers());
    if (300..400).contains(&status) {
        // Not followed (the client's redirect policy follows none): the API
        // documents no redirects, and the key must not go where one points.
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|l| redact(&String::from_utf8_lossy(l.as_bytes()), key));
        return Recovered::Error(Error::Redirected { status, location });
    }
    let bytes = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return Recovered::Error(body_error(e, Some(status))),
    };
    if (200..300).contains(&status) {
        if let Some(e) = not_json {
            return Recovered::Error(e);
        }
        return Recovered::Body {
            bytes: bytes.to_vec(),
            status,
        };
    }
    if undecodable {
        // A documented error status whose body is not the documented array.
        if let Err(e) = serde_json::from_slice::<types::Errors>(&bytes) {
            return Recovered::Error(Error::Decode(decode_error(&bytes, &e, Some(status), key)));
        }
    }
    // 401, 405, 412, 429, 499, 5xx: the documented error array when the body
    // is one, otherwise the status with the start of the body.
    let error = match serde_json::from_slice::<types::Errors>(&bytes) {
        Ok(list) if !list.0.is_empty() => api_error(
            status,
            list.0.into_iter().map(ApiErrorDetail::from).collect(),
            None,
            retry_after,
        ),
        _ => {
            let body = snippet(&bytes, DecodeError::SNIPPET_LIMIT, key);
            api_error(status, Vec::new(), Some(body), retry_after)
        }
    };
    Recovered::Error(error)
}

/// A decode failure as the user sees it: where (from the error's position, see
/// `json_path`), what serde said, and the start of the body, all cut and with
/// the key redacted, since the server chose them.
fn decode_error(
    bytes: &[u8],
    error: &serde_json::Error,
    status: Option<u16>,
    key: &ApiKey,
) -> DecodeError {
    let path = crate::json_path::path_at(bytes, error);
    DecodeError {
        status,
        path: snippet(path.as_bytes(), DecodeError::SNIPPET_LIMIT, key),
        message: snippet(
            error.to_string().as_bytes(),
            DecodeError::SNIPPET_LIMIT,
            key,
        ),
        snippet: snippet(bytes, DecodeError::SNIPPET_LIMIT, key),
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(std::time::Duration::from_secs(7)));
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&h),
            Some(std::time::Duration::ZERO),
            "a past date means now"
        );
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn decode_errors_name_the_path_and_keep_the_status() {
        let body = br#"{"items": [], "object": "list", "pagination": {"total": "many"}}"#;
        let error = serde_json::from_slice::<types::CustomersList>(body).unwrap_err();
        let e = decode_error(body, &error, Some(200), &ApiKey::new("k"));
        assert_eq!(e.path, "pagination.total");
        assert_eq!(e.status, Some(200));
        assert!(e.snippet.starts_with("{\"items\""));
    }
}
