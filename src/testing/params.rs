//! Query strings as the API reads them: repeated keys for multi-value
//! filters (`ids=A&ids=B`), and typed getters that answer a malformed value
//! with the filter's documented error code.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::reply::Failure;
use crate::ErrorCode;

/// The decoded query pairs, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub(crate) fn parse(query: Option<&str>) -> Self {
        let pairs = query
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Params { pairs }
    }

    /// The first value of `key`, if given, empty or not: a present but
    /// empty filter (`payout_date_to=`) is not an absent one, and the typed
    /// getters below refuse it with the filter's code, as the API does.
    pub(crate) fn one(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A text filter (`number`, `customer_number`): 1 to `max` characters,
    /// checked as the facade checks the same field (`validate::length`), with
    /// the field's code.
    pub(crate) fn text(
        &self,
        key: &str,
        max: usize,
        code: ErrorCode,
    ) -> Result<Option<&str>, Failure> {
        match self.one(key) {
            None => Ok(None),
            Some(v) => {
                crate::validate::length(code, key, v, 1, max)?;
                Ok(Some(v))
            }
        }
    }

    /// Every value of `key` (also `key[]` and comma-separated lists).
    pub(crate) fn all(&self, key: &str) -> Vec<String> {
        let bracketed = format!("{key}[]");
        self.pairs
            .iter()
            .filter(|(k, _)| k == key || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A `true`/`false` filter.
    pub(crate) fn bool(&self, key: &str, code: ErrorCode) -> Result<Option<bool>, Failure> {
        match self.one(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(Failure::bad(
                code,
                format!("{key} must be true or false"),
                other,
            )),
        }
    }

    /// An RFC 3339 date-time filter (`2019-04-01T10:36:43+09:00`).
    pub(crate) fn datetime(
        &self,
        key: &str,
        code: ErrorCode,
    ) -> Result<Option<DateTime<FixedOffset>>, Failure> {
        self.one(key)
            .map(|v| {
                DateTime::parse_from_rfc3339(v).map_err(|_| {
                    Failure::bad(code, format!("{key} must be an RFC 3339 date-time"), v)
                })
            })
            .transpose()
    }

    /// A `YYYY-MM-DD` filter.
    pub(crate) fn date(&self, key: &str, code: ErrorCode) -> Result<Option<NaiveDate>, Failure> {
        self.one(key)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| Failure::bad(code, format!("{key} must be YYYY-MM-DD"), v))
            })
            .transpose()
    }

    /// A non-negative integer filter (amounts).
    pub(crate) fn amount(&self, key: &str, code: ErrorCode) -> Result<Option<i64>, Failure> {
        self.one(key)
            .map(|v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| Failure::bad(code, format!("{key} must be an integer >= 0"), v))
            })
            .transpose()
    }

    /// A value that must be one of `allowed` (status filters).
    pub(crate) fn one_of(
        &self,
        key: &str,
        allowed: &[&str],
        code: ErrorCode,
    ) -> Result<Option<String>, Failure> {
        match self.one(key) {
            Some(v) if !allowed.contains(&v) => Err(Failure::bad(
                code,
                format!("{key} must be one of {}", allowed.join(", ")),
                v,
            )),
            other => Ok(other.map(str::to_string)),
        }
    }

    /// Several values that must each be one of `allowed`.
    pub(crate) fn all_of(
        &self,
        key: &str,
        allowed: &[&str],
        code: ErrorCode,
    ) -> Result<Vec<String>, Failure> {
        let values = self.all(key);
        // `status=` (present, empty) names no allowed value.
        let empty = self.pairs.iter().any(|(k, v)| k == key && v.is_empty());
        if empty {
            return Err(Failure::bad(
                code,
                format!("{key} must be one of {}", allowed.join(", ")),
                "",
            ));
        }
        if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
            return Err(Failure::bad(
                code,
                format!("{key} must be one of {}", allowed.join(", ")),
                bad.clone(),
            ));
        }
        Ok(values)
    }
}

/// Inclusive lower and upper bounds, as most range filters are
/// (`*_from` ≤ value ≤ `*_to`); `amount_to` is the one exclusive bound and
/// its handler says so.
pub(crate) fn within<T: PartialOrd>(value: Option<T>, from: Option<T>, to: Option<T>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(value) = value else { return false };
    from.is_none_or(|f| value >= f) && to.is_none_or(|t| value <= t)
}
