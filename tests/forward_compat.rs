//! The vendor promises new properties and values; responses must still decode.

use mfkessai::raw::types::{
    Customer, TaxIncludedType, TaxRateType, Transaction, TransactionStatus, TransactionsList,
};

#[test]
fn unknown_properties_are_ignored() {
    let c: Customer = serde_json::from_str(
        r#"{"id": "7679-YW36", "name": "株式会社ABC", "brand_new_field": {"nested": [1, 2]}, "another": null}"#,
    )
    .unwrap();
    assert_eq!(c.id.as_deref(), Some("7679-YW36"));
}

#[test]
fn unknown_enum_values_are_kept_not_rejected() {
    let t: Transaction =
        serde_json::from_str(r#"{"id": "X", "status": "under_review_by_new_process"}"#).unwrap();
    let status = t.status.unwrap();
    assert_eq!(
        status,
        TransactionStatus::Unknown("under_review_by_new_process".into())
    );
    assert!(!status.is_known());
    // and it is written back exactly as received
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        "under_review_by_new_process"
    );
    let known: TransactionStatus = serde_json::from_str(r#""passed""#).unwrap();
    assert_eq!(known, TransactionStatus::Passed);
    assert_eq!(known.as_str(), "passed");
}

#[test]
fn empty_string_enums_decode() {
    // The reference says tax_rate_type / tax_included_type may come back empty
    // for transactions registered in the old format.
    let t: Transaction = serde_json::from_str(
        r#"{"transaction_details": [{"description": "x", "tax_rate_type": "", "tax_included_type": ""}]}"#,
    )
    .unwrap();
    let d = &t.transaction_details[0];
    assert_eq!(d.tax_rate_type, Some(TaxRateType::Empty));
    assert_eq!(d.tax_included_type, Some(TaxIncludedType::Empty));
}

#[test]
fn null_optional_arrays_decode_as_empty() {
    let list: TransactionsList =
        serde_json::from_str(r#"{"object": "list", "items": null, "pagination": null}"#).unwrap();
    assert!(list.items.is_empty());
    let t: Transaction = serde_json::from_str(
        r#"{"id": "X", "transaction_details": null, "amounts_per_tax_rate_type": null}"#,
    )
    .unwrap();
    assert!(t.transaction_details.is_empty());
}

#[test]
fn empty_or_null_dates_decode_as_none() {
    let t: Transaction =
        serde_json::from_str(r#"{"id": "X", "canceled_at": "", "billing_accepted_at": null}"#)
            .unwrap();
    assert!(t.canceled_at.is_none());
    assert!(t.billing_accepted_at.is_none());
}
