//! The vendor promises new properties and values; responses must still decode.
//! Each test starts from the reference's own example
//! (tests/fixtures/responses) and changes one thing.

use mfkessai::types::{
    Customer, TaxIncludedType, TaxRateType, Transaction, TransactionStatus, TransactionsList,
};
use serde_json::{json, Value};

fn fixture(operation: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/responses/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn transaction(change: impl FnOnce(&mut Value)) -> Transaction {
    let mut t = fixture("GetTransaction");
    change(&mut t);
    serde_json::from_value(t).unwrap()
}

#[test]
fn unknown_properties_are_ignored() {
    let mut c = fixture("GetCustomer");
    c["brand_new_field"] = json!({"nested": [1, 2]});
    c["another"] = Value::Null;
    let c: Customer = serde_json::from_value(c).unwrap();
    assert_eq!(c.id, "7679-YW36");
}

#[test]
fn unknown_enum_values_are_kept_not_rejected() {
    let t = transaction(|t| t["status"] = json!("under_review_by_new_process"));
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
    assert_eq!(known.to_string(), "passed");
}

#[test]
fn empty_string_enums_decode() {
    // The reference says tax_rate_type / tax_included_type may come back empty
    // for transactions registered in the old format.
    let t = transaction(|t| {
        t["transaction_details"][0]["tax_rate_type"] = json!("");
        t["transaction_details"][0]["tax_included_type"] = json!("");
    });
    let d = &t.transaction_details[0];
    assert_eq!(d.tax_rate_type, None);
    assert_eq!(d.tax_included_type, None);
    // As a value of its own (a payload's field), "" is the documented `Empty`.
    assert_eq!(
        serde_json::from_str::<TaxRateType>(r#""""#).unwrap(),
        TaxRateType::Empty
    );
    assert_eq!(
        serde_json::from_str::<TaxIncludedType>(r#""""#).unwrap(),
        TaxIncludedType::Empty
    );
}

#[test]
fn null_optional_arrays_decode_as_empty() {
    let list: TransactionsList =
        serde_json::from_str(r#"{"object": "list", "items": null, "pagination": null}"#).unwrap();
    assert!(list.items.is_empty());
    let t = transaction(|t| {
        t["transaction_details"] = Value::Null;
        t["amounts_per_tax_rate_type"] = Value::Null;
    });
    assert!(t.transaction_details.is_empty());
}

#[test]
fn empty_or_null_optional_values_decode_as_none() {
    let t = transaction(|t| {
        t["canceled_at"] = json!("");
        t["billing_accepted_at"] = Value::Null;
        t["billing_id"] = json!("");
        t["amount"] = json!("");
        t["status"] = json!("");
    });
    assert!(t.canceled_at.is_none());
    assert!(t.billing_accepted_at.is_none());
    assert!(t.billing_id.is_none());
    assert!(t.amount.is_none());
    assert!(t.status.is_none());
}

#[test]
fn a_missing_required_property_is_an_error_naming_its_path() {
    let mut list = json!({"object": "list", "items": [fixture("GetTransaction")]});
    list["items"][0].as_object_mut().unwrap().remove("number");
    let text = list.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, TransactionsList>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "items[0]");
    assert!(
        err.inner().to_string().contains("missing field `number`"),
        "{err}"
    );
    // A wrong type is named at the field, and never becomes a default.
    let mut t = fixture("GetTransaction");
    t["amount"] = json!("a lot");
    let text = t.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Transaction>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "amount");
}

#[test]
fn both_names_of_invoice_delivery_methods_decode() {
    let singular = transaction(|_| {});
    let plural = transaction(|t| {
        let v = t
            .as_object_mut()
            .unwrap()
            .remove("invoice_delivery_method")
            .unwrap();
        t["invoice_delivery_methods"] = v;
    });
    assert!(!singular.invoice_delivery_method.is_empty());
    assert_eq!(
        singular.invoice_delivery_method,
        plural.invoice_delivery_method
    );
}
