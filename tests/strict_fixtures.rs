//! Field names are checked, not assumed: every example of the reference (the
//! 39 answers, the 11 request bodies, the webhook samples) decodes with no
//! key left over, and re-encodes to the same keys.
//!
//! Normal decoding ignores unknown keys (tests/forward_compat.rs); here an
//! ignored key is a misspelt or missing field, and fails naming its path.
//! The other names the reference uses for a property (the overlay's
//! `x-mfkessai-aliases`) count as that property.

mod common;

use std::collections::BTreeMap;

use mfkessai::{types, webhook};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn fixtures(kind: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

fn overlay() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/swagger.overlay.yaml"))
            .expect("swagger.overlay.yaml is readable");
    serde_yaml_ng::from_str(&text).expect("swagger.overlay.yaml parses")
}

/// Other name → the property's own name, from the overlay.
fn aliases() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for action in overlay()["actions"].as_array().expect("actions") {
        let Some(list) = action["update"]["x-mfkessai-aliases"].as_array() else {
            continue;
        };
        let target = action["target"].as_str().expect("target");
        let property = target.rsplit('.').next().expect("a property target");
        for alias in list {
            out.insert(alias.as_str().unwrap().to_string(), property.to_string());
        }
    }
    out
}

/// Decodes `json` as `T`, failing with every key that matched no field.
fn strict<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    let mut unknown = Vec::new();
    let de = &mut serde_json::Deserializer::from_str(json);
    let value: T = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
        .map_err(|e| format!("does not decode: {e}"))?;
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(format!("keys that match no field: {}", unknown.join(", ")))
    }
}

/// The key paths of a JSON value; empty values (`null`, `""`) are left out
/// because the types write an unset `Option` as no key at all.
fn key_paths(
    value: &Value,
    prefix: &str,
    aliases: &BTreeMap<String, String>,
    out: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if v.is_null() || v.as_str() == Some("") {
                    continue;
                }
                let k = aliases.get(k).unwrap_or(k);
                let path = format!("{prefix}.{k}");
                out.push(path.clone());
                key_paths(v, &path, aliases, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), aliases, out);
            }
        }
        _ => {}
    }
}

fn keys(value: &Value, aliases: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    key_paths(value, "", aliases, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Strict decoding, then the re-encoded value must have the same keys.
fn check<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let aliases = aliases();
    let decoded: T = strict(json)?;
    let original: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let again = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let (before, after) = (keys(&original, &aliases), keys(&again, &aliases));
    if before == after {
        return Ok(());
    }
    let lost: Vec<&String> = before.iter().filter(|k| !after.contains(k)).collect();
    let added: Vec<&String> = after.iter().filter(|k| !before.contains(k)).collect();
    Err(format!("re-encoding lost {lost:?} and added {added:?}"))
}

macro_rules! by_name {
    ($name:expr, $json:expr, [$($ty:ident),* $(,)?]) => {
        match $name {
            $(stringify!($ty) => check::<types::$ty>($json),)*
            other => Err(format!("no type `{other}` in the list; add it")),
        }
    };
}

#[test]
fn every_response_example_decodes_strictly_and_round_trips() {
    let mut failures = Vec::new();
    let ops = common::operations();
    assert_eq!(ops.len(), 39);
    for (id, _, _, schema) in &ops {
        let json = std::fs::read_to_string(fixtures("responses").join(format!("{id}.json")))
            .expect("a fixture per operation");
        let result = by_name!(
            schema.replace("URL", "Url").as_str(),
            &json,
            [
                CustomersList,
                CreateCustomerResponse,
                Customer,
                BankTransfer,
                AccountTransferRequest,
                DestinationsList,
                Destination,
                CustomerExaminationsList,
                CustomerExamination,
                CreditFacilitiesList,
                CreditFacility,
                TransactionsList,
                Transaction,
                BillingsList,
                Billing,
                ReissuingResponse,
                UploadSignedUrl,
                IssuesList,
                DownloadSignedUrlList,
                PayoutsList,
                Payout,
                PayoutTransactionsList,
                PayoutTransaction,
                PayoutRefundsList,
                CustomerNameUpdatesList,
                CustomerNameUpdate,
                AuthorizationsList,
                Authorization,
            ]
        );
        if let Err(e) = result {
            failures.push(format!("{id} ({schema}): {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_request_example_decodes_strictly_and_round_trips() {
    let cases = [
        ("CreateAuthorization", "AuthorizationPayload"),
        ("CreateCustomer", "CustomerPayload"),
        ("CreateCustomerExamination", "CustomerExaminationPayload"),
        ("CreateCustomerNameUpdate", "CustomerNameUpdatePayload"),
        ("CreateDestination", "DestinationPayload"),
        ("CreateTransaction", "TransactionPayload"),
        ("CreateUploadSignedUrl", "UploadSignedUrlPayload"),
        ("ReissueBilling", "ReissuingPayload"),
        ("RequestAccountTransfer", "AccountTransferRequestPayload"),
        ("UpdateCustomer", "CustomerUpdatePayload"),
        ("UpdateDestination", "DestinationUpdatePayload"),
    ];
    let mut failures = Vec::new();
    for (file, ty) in cases {
        let json = std::fs::read_to_string(fixtures("requests").join(format!("{file}.json")))
            .expect("a request fixture");
        let result = by_name!(
            ty,
            &json,
            [
                AuthorizationPayload,
                CustomerPayload,
                CustomerExaminationPayload,
                CustomerNameUpdatePayload,
                DestinationPayload,
                TransactionPayload,
                UploadSignedUrlPayload,
                ReissuingPayload,
                AccountTransferRequestPayload,
                CustomerUpdatePayload,
                DestinationUpdatePayload,
            ]
        );
        if let Err(e) = result {
            failures.push(format!("{file} ({ty}): {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_webhook_example_decodes_strictly_and_round_trips() {
    use webhook::{
        CustomerExaminationExamined, CustomerNameUpdateExamined, InvoiceIssued, TransactionExamined,
    };
    let mut failures = Vec::new();
    for (file, check) in [
        (
            "customer_examination.examined",
            check::<CustomerExaminationExamined> as fn(&str) -> _,
        ),
        ("transaction.examined", check::<TransactionExamined>),
        ("invoice.issued", check::<InvoiceIssued>),
        (
            "customer_name_update.examined",
            check::<CustomerNameUpdateExamined>,
        ),
    ] {
        let text = std::fs::read_to_string(fixtures("webhooks").join(format!("{file}.json")))
            .expect("a webhook fixture");
        // `type` chooses the event; the event's own fields are the rest.
        let mut value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["type"], file);
        value.as_object_mut().unwrap().remove("type");
        if let Err(e) = check(&value.to_string()) {
            failures.push(format!("{file}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn strict_decoding_names_a_misspelt_key() {
    let json = std::fs::read_to_string(fixtures("responses").join("GetCustomer.json")).unwrap();
    let misspelt = json
        .replace("\"number\"", "\"numbr\"")
        .replace("\"has_alert\"", "\"has_alrt\"");
    let err = strict::<types::Customer>(&misspelt).unwrap_err();
    assert!(err.contains("missing field `number`"), "{err}");
    let optional_misspelt = json.replace("\"has_alert\"", "\"has_alrt\"");
    let err = strict::<types::Customer>(&optional_misspelt).unwrap_err();
    assert_eq!(err, "keys that match no field: has_alrt");
}

/// (schema, property) for every property the overlay requires.
fn required_list() -> Vec<(String, String)> {
    let swagger = common::swagger();
    let defs = swagger["definitions"].as_object().unwrap();
    let mut out = Vec::new();
    for action in overlay()["actions"].as_array().unwrap() {
        let Some(required) = action["update"]["required"].as_array() else {
            continue;
        };
        let target = action["target"].as_str().unwrap();
        let schemas: Vec<String> = match target.strip_prefix("$.definitions.") {
            Some(name) => vec![name.to_string()],
            // The list wrappers: every object with `items` and `object`.
            None => defs
                .iter()
                .filter(|(_, s)| {
                    s["properties"].get("items").is_some()
                        && s["properties"].get("object").is_some()
                })
                .map(|(n, _)| n.clone())
                .collect(),
        };
        for schema in schemas {
            for r in required {
                out.push((schema.clone(), r.as_str().unwrap().to_string()));
            }
        }
    }
    out
}

#[test]
fn no_required_property_is_an_option() {
    let rust =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/raw.rs")).unwrap();
    let list = required_list();
    assert!(
        list.len() > 80,
        "the overlay lists {} properties",
        list.len()
    );
    let mut wrong = Vec::new();
    for (schema, property) in &list {
        let name = schema.replace("URL", "Url");
        let Some(start) = rust.find(&format!("pub struct {name} {{")) else {
            wrong.push(format!("{schema}: no struct"));
            continue;
        };
        let body = &rust[start..start + rust[start..].find("\n    }").unwrap()];
        let field = if property == "type" {
            "type_"
        } else {
            property
        };
        match body.find(&format!("pub {field}: ")) {
            None => wrong.push(format!("{schema}.{property}: no field")),
            Some(at) if body[at..].lines().next().unwrap().contains("Option<") => {
                wrong.push(format!("{schema}.{property} is an Option"))
            }
            Some(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn decoded_examples_keep_offsets_and_exact_numbers() {
    let json = std::fs::read_to_string(fixtures("responses").join("GetTransaction.json")).unwrap();
    let t: types::Transaction = serde_json::from_str(&json).unwrap();
    let created = t.created_at;
    assert_eq!(
        created.offset().local_minus_utc(),
        9 * 3600,
        "+09:00 is kept"
    );
    let detail = t
        .transaction_details
        .first()
        .expect("the example has details");
    assert!(detail.unit_price.is_some());
    // Re-encoding writes the same JSON numbers back.
    let again = serde_json::to_value(&t).unwrap();
    let original: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        again["transaction_details"][0]["unit_price"],
        original["transaction_details"][0]["unit_price"]
    );
    assert_eq!(again["created_at"], original["created_at"]);
}
