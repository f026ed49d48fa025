//! The documented constraints, checked before a request is sent.
//!
//! Each check answers with the [`ErrorCode`] the server would have used, so
//! code that handles server errors handles these too. Responses are never
//! checked: they decode whatever the server sends.

use rust_decimal::Decimal;

use crate::{error::ValidationError, raw::types, Error, ErrorCode};

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

/// A required string must not be blank: the server rejects an empty value
/// with the field's own code.
pub fn required(code: ErrorCode, field: &str, value: &str) -> Result<(), Error> {
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
pub fn range(code: ErrorCode, field: &str, value: i64, min: i64, max: i64) -> Result<(), Error> {
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
    field: &str,
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

/// `invoice_delivery_methods`: one or two methods, none twice. The codes
/// differ between transactions and reissues, so the caller names them.
pub fn delivery_methods(
    invalid: ErrorCode,
    duplicated: ErrorCode,
    methods: &[types::InvoiceDeliveryMethod],
) -> Result<(), Error> {
    if methods.is_empty() || methods.len() > 2 {
        return Err(Error::validation(
            Some(invalid),
            Some(joined(methods)),
            format!(
                "invoice_delivery_methods takes 1 or 2 of posting, email (got {})",
                methods.len()
            ),
        ));
    }
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

fn joined(methods: &[types::InvoiceDeliveryMethod]) -> String {
    methods
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The documented constraints of a `DestinationPayload` (`POST /destinations`).
pub fn destination_payload(p: &types::DestinationPayload) -> Result<(), Error> {
    required(ErrorCode::InvalidCustomerId, "customer_id", &p.customer_id)?;
    destination_fields(
        "",
        &DestinationFields {
            address1: &p.address1,
            address2: p.address2.as_deref(),
            cc_emails: &p.cc_emails,
            department: p.department.as_deref(),
            email: &p.email,
            name: p.name.as_deref(),
            name_kana: p.name_kana.as_deref(),
            tel: &p.tel,
            title: p.title.as_deref(),
            zip_code: &p.zip_code,
        },
    )
}

/// The documented constraints of a `DestinationUpdatePayload`
/// (`PUT /destinations/{id}`, a full replacement).
pub fn destination_update_payload(p: &types::DestinationUpdatePayload) -> Result<(), Error> {
    destination_fields(
        "",
        &DestinationFields {
            address1: &p.address1,
            address2: p.address2.as_deref(),
            cc_emails: &p.cc_emails,
            department: p.department.as_deref(),
            email: &p.email,
            name: p.name.as_deref(),
            name_kana: p.name_kana.as_deref(),
            tel: &p.tel,
            title: p.title.as_deref(),
            zip_code: &p.zip_code,
        },
    )
}

/// The documented constraints of the first destination registered with a
/// customer (`CustomerPayload.destination`); fields are reported as
/// `destination.<name>`.
pub fn customer_destination(p: &types::CustomerPayloadDestination) -> Result<(), Error> {
    destination_fields(
        "destination.",
        &DestinationFields {
            address1: &p.address1,
            address2: p.address2.as_deref(),
            cc_emails: &p.cc_emails,
            department: p.department.as_deref(),
            email: &p.email,
            name: p.name.as_deref(),
            name_kana: p.name_kana.as_deref(),
            tel: &p.tel,
            title: p.title.as_deref(),
            zip_code: &p.zip_code,
        },
    )
}

/// The spec has three destination payloads with the same fields and no
/// common type; this is the view the one check works on.
struct DestinationFields<'a> {
    address1: &'a str,
    address2: Option<&'a str>,
    cc_emails: &'a [String],
    department: Option<&'a str>,
    email: &'a str,
    name: Option<&'a str>,
    name_kana: Option<&'a str>,
    tel: &'a str,
    title: Option<&'a str>,
    zip_code: &'a str,
}

/// `Email` in the spec: at most this many characters.
pub const MAX_EMAIL_LENGTH: usize = 255;
/// At most this many `cc_emails` per destination.
pub const MAX_CC_EMAILS: usize = 4;

fn destination_fields(prefix: &str, d: &DestinationFields<'_>) -> Result<(), Error> {
    let f = |name: &str| format!("{prefix}{name}");
    length(
        ErrorCode::InvalidDestinationAddress1,
        &f("address1"),
        d.address1,
        1,
        100,
    )?;
    opt_length(
        ErrorCode::InvalidDestinationAddress2,
        &f("address2"),
        d.address2,
        100,
    )?;
    required(ErrorCode::InvalidDestinationEmail, &f("email"), d.email)?;
    length(
        ErrorCode::InvalidDestinationEmail,
        &f("email"),
        d.email,
        0,
        MAX_EMAIL_LENGTH,
    )?;
    if d.cc_emails.len() > MAX_CC_EMAILS {
        return Err(Error::validation(
            Some(ErrorCode::InvalidDestinationCcEmails),
            Some(d.cc_emails.len().to_string()),
            format!(
                "{} takes at most {MAX_CC_EMAILS} addresses (got {})",
                f("cc_emails"),
                d.cc_emails.len()
            ),
        ));
    }
    for cc in d.cc_emails {
        required(ErrorCode::InvalidDestinationCcEmails, &f("cc_emails"), cc)?;
        length(
            ErrorCode::InvalidDestinationCcEmails,
            &f("cc_emails"),
            cc,
            0,
            MAX_EMAIL_LENGTH,
        )?;
    }
    opt_length(
        ErrorCode::InvalidDestinationDepartment,
        &f("department"),
        d.department,
        50,
    )?;
    opt_length(ErrorCode::InvalidDestinationName, &f("name"), d.name, 30)?;
    opt_length(
        ErrorCode::InvalidDestinationNameKana,
        &f("name_kana"),
        d.name_kana,
        60,
    )?;
    opt_length(ErrorCode::InvalidDestinationTitle, &f("title"), d.title, 30)?;
    required(ErrorCode::InvalidDestinationTel, &f("tel"), d.tel)?;
    required(
        ErrorCode::InvalidDestinationZipCode,
        &f("zip_code"),
        d.zip_code,
    )
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
    fn delivery_methods_are_one_or_two_distinct() {
        use types::InvoiceDeliveryMethod::{Email, Posting};
        let invalid = ErrorCode::InvalidTransactionInvoiceDeliveryMethods;
        let twice = ErrorCode::InvalidTransactionDuplicateInvoiceDeliveryMethod;
        assert!(delivery_methods(invalid.clone(), twice.clone(), &[Posting, Email]).is_ok());
        let e = delivery_methods(invalid.clone(), twice.clone(), &[]).unwrap_err();
        assert_eq!(e.code(), Some(&invalid));
        let e = delivery_methods(invalid.clone(), twice.clone(), &[Email, Email]).unwrap_err();
        assert_eq!((e.code(), e.param()), (Some(&twice), Some("email")));
        let e = delivery_methods(invalid.clone(), twice, &[Email, Posting, Email]).unwrap_err();
        assert_eq!(e.code(), Some(&invalid));
    }

    #[test]
    fn required_means_not_blank() {
        assert!(required(ErrorCode::InvalidCustomerId, "customer_id", "7679-YW36").is_ok());
        assert!(required(ErrorCode::InvalidCustomerId, "customer_id", " ").is_err());
        assert!(range(ErrorCode::InvalidAuthorizationAmount, "amount", 0, 1, 5).is_err());
        assert!(range(ErrorCode::InvalidAuthorizationAmount, "amount", 5, 1, 5).is_ok());
    }
}
