//! The documented constraints, checked before a request is sent.
//!
//! Each check answers with the [`ErrorCode`] the server would have used, so
//! code that handles server errors handles these too. Responses are never
//! checked: they decode whatever the server sends.

use crate::{error::ValidationError, Error, ErrorCode};

/// Builders check each setter as it is called but report at `send()`; the
/// first problem is the one reported.
pub(crate) fn keep_first(slot: &mut Option<ValidationError>, error: Error) {
    if let Error::Validation(v) = error {
        slot.get_or_insert(v);
    }
}

/// The documented page-size range.
pub const LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=200;
/// At most this many ids per `ids` filter.
pub const MAX_IDS: usize = 200;

/// `limit` must be 1..=200.
pub fn limit(value: u32) -> Result<i32, Error> {
    if LIMIT_RANGE.contains(&value) {
        Ok(value as i32)
    } else {
        Err(Error::validation(
            Some(ErrorCode::InvalidLimit),
            Some(value.to_string()),
            "limit must be 1..=200",
        ))
    }
}

/// A path id must be non-empty and a single path segment.
pub fn id(name: &str, value: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty()
        || v.contains('/')
        || v.contains('?')
        || v.contains('#')
        || v == "."
        || v == ".."
    {
        return Err(Error::validation(
            None,
            Some(value.to_string()),
            format!("{name} must be a non-empty id without `/`, `?` or `#`"),
        ));
    }
    Ok(v.to_string())
}

/// `ids` filters take at most 200 ids.
pub fn ids(code: ErrorCode, values: &[String]) -> Result<(), Error> {
    if values.len() > MAX_IDS {
        return Err(Error::validation(
            Some(code),
            Some(values.len().to_string()),
            format!("at most {MAX_IDS} ids per request"),
        ));
    }
    Ok(())
}

/// A string field's documented length, counted in characters.
pub fn length(
    code: ErrorCode,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    let n = value.chars().count();
    if n < min || n > max {
        let range = if min == 0 {
            format!("at most {max}")
        } else {
            format!("{min}..={max}")
        };
        return Err(Error::validation(
            Some(code),
            Some(value.to_string()),
            format!("{field} must be {range} characters (got {n})"),
        ));
    }
    Ok(())
}

/// Like [`length`] for an optional field.
pub fn opt_length(
    code: ErrorCode,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<(), Error> {
    value.map_or(Ok(()), |v| length(code, field, v, 0, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(limit(1).unwrap(), 1);
        assert_eq!(limit(200).unwrap(), 200);
        let e = limit(0).unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::InvalidLimit));
        assert_eq!(e.param(), Some("0"));
        assert!(limit(201).is_err());
    }

    #[test]
    fn ids_and_lengths() {
        assert!(id("customer_id", "7679-YW36").is_ok());
        assert!(id("customer_id", "").is_err());
        assert!(id("customer_id", "../billings").is_err());
        let many: Vec<String> = (0..201).map(|i| i.to_string()).collect();
        assert_eq!(
            ids(ErrorCode::InvalidCustomerIds, &many)
                .unwrap_err()
                .code(),
            Some(&ErrorCode::InvalidCustomerIds)
        );
        assert!(length(ErrorCode::InvalidCustomerName, "name", "株式会社", 1, 4).is_ok());
        assert!(length(ErrorCode::InvalidCustomerName, "name", "株式会社A", 1, 4).is_err());
        assert!(length(ErrorCode::InvalidCustomerName, "name", "", 1, 4).is_err());
    }
}
