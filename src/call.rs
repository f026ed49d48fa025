//! One API call: attempts, retries, tracing, and turning whatever happened
//! into an [`Error`].

use std::{cell::Cell, future::Future, time::Instant};

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::{
    error::{snippet, ApiError, ApiErrorDetail, DecodeError, Error, TransportError},
    raw::{self, types},
    wire::LAST_STATUS,
    Client,
};

/// What the retry logic needs to know about an operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    /// The spec's operationId, used in tracing.
    pub id: &'static str,
    /// Whether sending it twice is harmless (GET, and nothing else).
    pub idempotent: bool,
}

impl Operation {
    pub(crate) const fn read(id: &'static str) -> Self {
        Operation {
            id,
            idempotent: true,
        }
    }

    pub(crate) const fn write(id: &'static str) -> Self {
        Operation {
            id,
            idempotent: false,
        }
    }
}

type RawResult<T> = Result<ResponseValue<T>, raw::Error<types::Errors>>;

impl Client {
    /// Runs `attempt` until it succeeds, the error is not retryable for this
    /// operation, or the policy says stop.
    pub(crate) async fn call<T, F, Fut>(&self, op: Operation, mut attempt: F) -> Result<T, Error>
    where
        T: DeserializeOwned,
        F: FnMut() -> Fut,
        Fut: Future<Output = RawResult<T>>,
    {
        let policy = self.retry_policy();
        let started = Instant::now();
        let mut number = 1u32;
        loop {
            let span = tracing::debug_span!(
                "mfkessai.request",
                operation = op.id,
                attempt = number,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let (result, status) = LAST_STATUS
                .scope(Cell::new(None), async {
                    let result = attempt().await;
                    (result, LAST_STATUS.with(Cell::get))
                })
                .instrument(span.clone())
                .await;
            if let Some(status) = status {
                span.record("status", status);
            }
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let error = match result {
                Ok(value) => return Ok(value.into_inner()),
                Err(e) => into_error::<T>(e, status).await,
            };
            let error = match error {
                Recovered::Value(v) => return Ok(v),
                Recovered::Error(e) => e,
            };
            match policy.next_wait(number, &error, op.idempotent, started.elapsed()) {
                Some(wait) => {
                    tracing::debug!(
                        parent: &span,
                        error = %error,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    number += 1;
                }
                None => return Err(error),
            }
        }
    }
}

/// An "error" from progenitor that is really a success it did not expect
/// (a 2xx status the spec does not list) is decoded, not reported.
enum Recovered<T> {
    Value(T),
    Error(Error),
}

async fn into_error<T: DeserializeOwned>(
    error: raw::Error<types::Errors>,
    status: Option<u16>,
) -> Recovered<T> {
    let error = match error {
        raw::Error::InvalidRequest(message) => Error::validation(None, None, message),
        raw::Error::CommunicationError(e) | raw::Error::InvalidUpgrade(e) => from_reqwest(e, false),
        raw::Error::ResponseBodyError(e) => from_reqwest(e, true),
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
        raw::Error::InvalidResponsePayload(bytes, _) => {
            Error::Decode(decode_error::<T>(&bytes, status))
        }
        raw::Error::UnexpectedResponse(response) => return from_unexpected::<T>(response).await,
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

async fn from_unexpected<T: DeserializeOwned>(response: reqwest::Response) -> Recovered<T> {
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers());
    let bytes = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return Recovered::Error(from_reqwest(e, true)),
    };
    if (200..300).contains(&status) {
        return match serde_json::from_slice::<T>(&bytes) {
            Ok(v) => Recovered::Value(v),
            Err(_) => Recovered::Error(Error::Decode(decode_error::<T>(&bytes, Some(status)))),
        };
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
            let body = snippet(&bytes, DecodeError::SNIPPET_LIMIT);
            api_error(status, Vec::new(), Some(body), retry_after)
        }
    };
    Recovered::Error(error)
}

/// Decodes again, this time tracking the path, to say where it failed.
fn decode_error<T: DeserializeOwned>(bytes: &[u8], status: Option<u16>) -> DecodeError {
    let failing = |path: String, message: String| DecodeError {
        status,
        path,
        message,
        snippet: snippet(bytes, DecodeError::SNIPPET_LIMIT),
    };
    let is_error_status = status.is_some_and(|s| s >= 400);
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let outcome = if is_error_status {
        serde_path_to_error::deserialize::<_, types::Errors>(de).map(|_| ())
    } else {
        serde_path_to_error::deserialize::<_, T>(de).map(|_| ())
    };
    match outcome {
        Err(e) => failing(e.path().to_string(), e.inner().to_string()),
        Ok(()) => failing(
            ".".into(),
            "the body does not match the documented type".into(),
        ),
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
        let body = br#"{"items": [{"id": "A"}, {"id": 5}]}"#;
        let e = decode_error::<types::CustomersList>(body, Some(200));
        assert_eq!(e.path, "items[1].id");
        assert_eq!(e.status, Some(200));
        assert!(e.snippet.starts_with("{\"items\""));
    }
}
