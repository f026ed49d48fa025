//! The documented constraints, checked before a request is sent.
//!
//! Each check answers with the [`ErrorCode`] the server would have used, so
//! code that handles server errors handles these too. Responses are never
//! checked: they decode whatever the server sends.

use std::fmt::{self, Display};

use rust_decimal::Decimal;

use crate::{error::ValidationError, raw::types, Error, ErrorCode};

/// A request payload's documented limits. The impls are generated
/// (`raw::validation`, from the spec's `maxLength`, `minimum`, `maxItems`,
/// enums and `required`, with the error codes of `swagger.overlay.yaml`);
/// the facade calls them before sending and the fake server on receipt.
///
/// ```
/// use mfkessai::{types::CustomerNameUpdatePayload, validate::Validate, ErrorCode};
/// let payload = CustomerNameUpdatePayload::new("W463-AA6V", "株".repeat(51), "社名変更のため");
/// let error = payload.validate().unwrap_err();
/// assert_eq!(error.code(), Some(&ErrorCode::InvalidCustomerNameUpdateName));
/// ```
pub trait Validate {
    /// Checks every documented limit; the first problem is the one reported,
    /// its field named `{prefix}{field}` (`destination.email`).
    fn validate_at(&self, prefix: &str) -> Result<(), Error>;

    /// [`Validate::validate_at`] with no prefix.
    fn validate(&self) -> Result<(), Error> {
        self.validate_at("")
    }
}

/// A field's name under a prefix (`destination.` + `email`), formatted only
/// when a check fails.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a>(pub &'a str, pub &'a str);

impl Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// An array's documented number of elements (`minItems`/`maxItems`); the
/// count is the reported value.
pub fn items(
    code: ErrorCode,
    field: impl Display,
    len: usize,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    if len < min || len > max {
        let range = match (min, max) {
            (0, max) => format!("at most {max}"),
            (min, usize::MAX) => format!("at least {min}"),
            (min, max) => format!("{min}..={max}"),
        };
        return Err(Error::validation(
            Some(code),
            Some(len.to_string()),
            format!("{field} takes {range} elements (got {len})"),
        ));
    }
    Ok(())
}

/// A value of an enum this SDK was not generated with (an `Unknown(..)`):
/// the server would refuse it with the field's code.
pub fn unknown(code: ErrorCode, field: impl Display, value: &str) -> Error {
    Error::validation(
        Some(code),
        Some(value.to_string()),
        format!("{field} must be one of the documented values (got {value:?})"),
    )
}

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
pub fn ids<T>(code: ErrorCode, values: &[T]) -> Result<(), Error> {
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
    field: impl Display,
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
    field: impl Display,
    value: Option<&str>,
    max: usize,
) -> Result<(), Error> {
    value.map_or(Ok(()), |v| length(code, field, v, 0, max))
}

/// A required string must not be blank: the server rejects an empty value
/// with the field's own code.
pub fn required(code: ErrorCode, field: impl Display, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::validation(
            Some(code),
            Some(value.to_string()),
            format!("{field} is required and must not be blank"),
        ));
    }
    Ok(())
}

/// An integer (an amount in yen) within its documented bounds, both inclusive.
pub fn range(
    code: ErrorCode,
    field: impl Display,
    value: i64,
    min: i64,
    max: i64,
) -> Result<(), Error> {
    if value < min || value > max {
        return Err(Error::validation(
            Some(code),
            Some(value.to_string()),
            format!("{field} must be {min}..={max} (got {value})"),
        ));
    }
    Ok(())
}

/// The API's decimals: within the documented bounds (inclusive) and at most
/// four decimal places as sent. The scale is what goes on the wire, so
/// `1.50000` is refused even though `1.5` would pass: call
/// `Decimal::normalize` first to drop trailing zeros.
pub fn decimal(
    code: ErrorCode,
    field: impl Display,
    value: Decimal,
    min: i64,
    max: i64,
) -> Result<(), Error> {
    if value < Decimal::from(min) || value > Decimal::from(max) {
        return Err(Error::validation(
            Some(code),
            Some(value.to_string()),
            format!("{field} must be {min}..={max} (got {value})"),
        ));
    }
    if value.scale() > MAX_DECIMAL_PLACES {
        return Err(Error::validation(
            Some(code),
            Some(value.to_string()),
            format!("{field} takes at most {MAX_DECIMAL_PLACES} decimal places (got {value})"),
        ));
    }
    Ok(())
}

/// Decimals carry at most this many digits after the point.
pub const MAX_DECIMAL_PLACES: u32 = 4;

/// An `issue_id` (`Issue.id`) is a one-letter type prefix, `/`, and an id:
/// `i/79NR-AP96` for an invoice, `a/…` for an account-transfer notice. The
/// `/` goes into the path as is, so this is the one path id that may hold
/// one; everything that could move the request elsewhere (`..`, a second
/// `/`, `?`, `#`) is refused.
pub fn issue_id(value: &str) -> Result<String, Error> {
    let v = value.trim();
    let well_formed = match v.split_once('/') {
        Some((prefix, rest)) => {
            prefix.len() == 1
                && prefix.bytes().all(|b| b.is_ascii_alphabetic())
                && !rest.is_empty()
                && rest != "."
                && !rest.contains(['/', '?', '#'])
                && !rest.contains("..")
        }
        None => false,
    };
    if !well_formed {
        return Err(Error::validation(
            None,
            Some(value.to_string()),
            "issue_id must be a type letter, `/` and an id (like `i/79NR-AP96`), \
             without `..`, `?`, `#` or another `/`",
        ));
    }
    Ok(v.to_string())
}

/// `invoice_delivery_methods` lists no method twice (their number is the
/// spec's `minItems`/`maxItems`, checked by the generated validation). The
/// code differs between transactions and reissues, so the caller names it.
pub fn distinct_delivery_methods(
    duplicated: ErrorCode,
    methods: &[types::InvoiceDeliveryMethod],
) -> Result<(), Error> {
    if let Some(twice) = methods
        .iter()
        .enumerate()
        .find_map(|(i, m)| methods[..i].contains(m).then_some(m))
    {
        return Err(Error::validation(
            Some(duplicated),
            Some(twice.to_string()),
            format!("invoice_delivery_methods lists {twice} twice"),
        ));
    }
    Ok(())
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

#[cfg(test)]
mod payload_check_tests {
    use super::*;

    #[test]
    fn issue_ids_keep_one_slash_and_nothing_that_moves_the_path() {
        assert_eq!(issue_id(" i/79NR-AP96 ").unwrap(), "i/79NR-AP96");
        assert_eq!(issue_id("a/GY9N-EWNM").unwrap(), "a/GY9N-EWNM");
        for bad in [
            "79NR-AP96",
            "i/",
            "ia/x",
            "i/x/y",
            "i/..",
            "i/.",
            "i/x?y",
            "i/x#y",
        ] {
            assert!(issue_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn decimals_take_four_places_as_sent() {
        let code = || ErrorCode::InvalidTransactionDetailAmount;
        assert!(decimal(code(), "amount", "1.2345".parse().unwrap(), 0, 10).is_ok());
        assert!(decimal(code(), "amount", "1.23456".parse().unwrap(), 0, 10).is_err());
        assert!(decimal(code(), "amount", "1.50000".parse().unwrap(), 0, 10).is_err());
        let normalized = "1.50000".parse::<Decimal>().unwrap().normalize();
        assert!(decimal(code(), "amount", normalized, 0, 10).is_ok());
        assert!(decimal(code(), "amount", Decimal::from(-1), 0, 10).is_err());
    }

    #[test]
    fn delivery_methods_are_distinct() {
        use types::InvoiceDeliveryMethod::{Email, Posting};
        let twice = ErrorCode::InvalidTransactionDuplicateInvoiceDeliveryMethod;
        assert!(distinct_delivery_methods(twice.clone(), &[Posting, Email]).is_ok());
        let e = distinct_delivery_methods(twice.clone(), &[Email, Email]).unwrap_err();
        assert_eq!((e.code(), e.param()), (Some(&twice), Some("email")));
    }

    #[test]
    fn required_means_not_blank() {
        assert!(required(ErrorCode::InvalidCustomerId, "customer_id", "7679-YW36").is_ok());
        assert!(required(ErrorCode::InvalidCustomerId, "customer_id", " ").is_err());
        assert!(range(ErrorCode::InvalidAuthorizationAmount, "amount", 0, 1, 5).is_err());
        assert!(range(ErrorCode::InvalidAuthorizationAmount, "amount", 5, 1, 5).is_ok());
    }
}
