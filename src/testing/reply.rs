//! How the fake answers: JSON bodies, and failures as the API's error array.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{de::DeserializeOwned, Serialize};

use super::wire::Wire;
use crate::{raw::types, ErrorCode};

/// A failed request: the status and the `[{code, message, param}]` body.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) errors: Vec<types::Error>,
}

/// What a handler returns.
pub(crate) type Reply = Result<Response, Failure>;

impl Failure {
    pub(crate) fn new(
        status: StatusCode,
        code: ErrorCode,
        message: impl Into<String>,
        param: Option<String>,
    ) -> Self {
        Failure {
            status,
            errors: vec![types::Error {
                code: Some(code),
                message: Some(message.into()),
                param,
                type_: None,
            }],
        }
    }

    /// 400 with one error.
    pub(crate) fn bad(
        code: ErrorCode,
        message: impl Into<String>,
        param: impl Into<String>,
    ) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, code, message, Some(param.into()))
    }

    /// 404 `not_found` naming the id.
    pub(crate) fn not_found(id: &str) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "resource not found",
            Some(id.to_string()),
        )
    }

    /// 409 with one error.
    pub(crate) fn conflict(
        code: ErrorCode,
        message: impl Into<String>,
        param: Option<String>,
    ) -> Self {
        Failure::new(StatusCode::CONFLICT, code, message, param)
    }

    /// What a test-control method returns for it: the same status, codes
    /// and params the HTTP side would have answered.
    pub(crate) fn into_error(self) -> crate::Error {
        crate::Error::Api(crate::ApiError {
            status: self.status.as_u16(),
            errors: self.errors.into_iter().map(Into::into).collect(),
            body_snippet: None,
        })
    }

    /// Adds the errors of another failure (several invalid fields at once).
    pub(crate) fn and(mut self, other: Failure) -> Self {
        self.errors.extend(other.errors);
        self
    }
}

impl From<crate::Error> for Failure {
    /// The facade's own validation uses the server's codes and params, so
    /// the fake answers a request that breaks them exactly as the facade
    /// would have refused it.
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Validation(v) => Failure::new(
                StatusCode::BAD_REQUEST,
                v.code.unwrap_or(ErrorCode::InvalidJsonFormat),
                v.message,
                Some(v.param.unwrap_or_default()),
            ),
            other => Failure::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidJsonFormat,
                other.to_string(),
                None,
            ),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        json(self.status, &self.errors)
    }
}

/// A JSON response with the given status.
pub(crate) fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// 200 with the object, written as the API writes it (see wire.rs).
pub(crate) fn ok<T: Wire + ?Sized>(body: &T) -> Reply {
    Ok(json(StatusCode::OK, &body.wire()))
}

/// Decodes a request body into a generated payload type. Fields the reference
/// marks required are checked first so a missing one gets its own code and
/// param instead of a generic `invalid_json_format`.
pub(crate) fn payload<T: DeserializeOwned>(
    body: &[u8],
    required: &[(&str, ErrorCode)],
) -> Result<T, Failure> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Failure::bad(
            ErrorCode::InvalidJsonFormat,
            format!("invalid json: {e}"),
            "",
        )
    })?;
    let Some(object) = value.as_object() else {
        return Err(Failure::bad(
            ErrorCode::InvalidJsonFormat,
            "the body must be a JSON object",
            "",
        ));
    };
    let mut failure: Option<Failure> = None;
    for (field, code) in required {
        if object.get(*field).is_none_or(|v| v.is_null()) {
            let f = Failure::bad(code.clone(), format!("{field} is required"), "");
            failure = Some(match failure {
                Some(prev) => prev.and(f),
                None => f,
            });
        }
    }
    if let Some(f) = failure {
        return Err(f);
    }
    serde_json::from_value(value).map_err(|e| {
        Failure::bad(
            ErrorCode::InvalidJsonFormat,
            format!("invalid json: {e}"),
            "",
        )
    })
}
