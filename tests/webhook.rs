//! `mfkessai::webhook`: signatures, events, delivery headers, deduplication,
//! and the example receiver end to end.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use mfkessai::webhook::{
    self, Claim, Deduplicator, Delivery, Event, ExaminationResult, HeaderSource,
    InMemoryDeduplicator, Secret, SignatureFormatError, WebhookError,
};
use proptest::prelude::*;
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "../examples/webhook_receiver.rs"]
mod receiver;

const SIGNATURE_SAMPLE: &str = include_str!("fixtures/webhooks/signature_sample.json");
const CUSTOMER_EXAMINATION: &str =
    include_str!("fixtures/webhooks/customer_examination.examined.json");
const TRANSACTION: &str = include_str!("fixtures/webhooks/transaction.examined.json");
const INVOICE: &str = include_str!("fixtures/webhooks/invoice.issued.json");
const CUSTOMER_NAME_UPDATE: &str =
    include_str!("fixtures/webhooks/customer_name_update.examined.json");

const SECRET: &str = "your secret";

/// (secret, body, signature) of the reference's 正当性チェック sample.
fn reference_vector() -> (String, String, String) {
    let v: Value = serde_json::from_str(SIGNATURE_SAMPLE).unwrap();
    let field = |k: &str| v[k].as_str().unwrap().to_owned();
    (field("secret"), field("body"), field("signature"))
}

fn secret() -> Secret {
    Secret::new(SECRET)
}

/// Verifies and parses `body` as Kessai would have signed it.
fn signed_event(body: &str) -> Result<Event, WebhookError> {
    let signature = webhook::sign_for_test(SECRET, body.as_bytes());
    webhook::verify_and_parse(&secret(), body.as_bytes(), Some(&signature))
}

fn jst(s: &str) -> DateTime<FixedOffset> {
    let t = DateTime::parse_from_rfc3339(s).unwrap();
    assert_eq!(t.offset().local_minus_utc(), 9 * 3600);
    t
}

// ---------------------------------------------------------------- signatures

#[test]
fn reference_sample_is_a_test_vector() {
    let (secret, body, signature) = reference_vector();
    assert_eq!(
        signature,
        "43597a97960d4c05d4c4bc2fe5bf8ffbb7b38d844b2dda9927ca62afe1b0fe0e"
    );
    assert_eq!(
        webhook::sign_for_test(secret.as_str(), body.as_bytes()),
        signature
    );
    let payload = webhook::verify(&Secret::new(secret), body.as_bytes(), Some(&signature)).unwrap();
    assert_eq!(payload.as_bytes(), body.as_bytes());
    assert_eq!(payload.secret_index(), 0);
    // The sample body is not an event.
    assert!(matches!(payload.parse(), Err(WebhookError::NotJson(_))));
}

#[test]
fn tampered_body_is_a_mismatch() {
    let (secret, body, signature) = reference_vector();
    let secret = Secret::new(secret);
    for tampered in [
        format!("{body} "),
        body.to_uppercase(),
        body[..body.len() - 1].to_owned(),
        format!(" {body}"),
    ] {
        let err = webhook::verify(&secret, tampered.as_bytes(), Some(&signature)).unwrap_err();
        assert!(
            matches!(err, WebhookError::SignatureMismatch { secrets_tried: 1 }),
            "{tampered:?}: {err:?}"
        );
    }
}

#[test]
fn wrong_secret_is_a_mismatch() {
    let (_, body, signature) = reference_vector();
    for wrong in ["your secret ", "Your secret", "your secre", "x"] {
        let err =
            webhook::verify(&Secret::new(wrong), body.as_bytes(), Some(&signature)).unwrap_err();
        assert!(
            matches!(err, WebhookError::SignatureMismatch { .. }),
            "{wrong}"
        );
    }
}

#[test]
fn truncated_or_extended_hex_is_malformed() {
    let (_, body, signature) = reference_vector();
    for (header, found) in [
        (&signature[..63], 63),
        (&signature[..32], 32),
        ("", 0),
        (&format!("{signature}0")[..], 65),
        (&format!("sha256={signature}")[..], 71),
    ] {
        let err = webhook::verify(&secret(), body.as_bytes(), Some(header)).unwrap_err();
        assert!(
            matches!(
                err,
                WebhookError::MalformedSignature(SignatureFormatError::Length { found: f }) if f == found
            ),
            "{header:?}: {err:?}"
        );
    }
}

/// Uppercase is rejected: the reference's check is an exact comparison with
/// a lowercase `hexdigest`, so an uppercase signature is not what Kessai
/// sent. The error says so, so it is easy to diagnose.
#[test]
fn uppercase_hex_is_rejected_with_a_clear_error() {
    let (_, body, signature) = reference_vector();
    let upper = signature.to_uppercase();
    let err = webhook::verify(&secret(), body.as_bytes(), Some(&upper)).unwrap_err();
    assert!(matches!(
        err,
        WebhookError::MalformedSignature(SignatureFormatError::Uppercase { position: 5 })
    ));
    assert!(err.to_string().contains("lowercase"), "{err}");

    let mut mixed = signature.clone().into_bytes();
    let last = mixed.len() - 1;
    mixed[last] = b'E';
    let mixed = String::from_utf8(mixed).unwrap();
    assert!(matches!(
        webhook::verify(&secret(), body.as_bytes(), Some(&mixed)),
        Err(WebhookError::MalformedSignature(
            SignatureFormatError::Uppercase { position: 63 }
        ))
    ));
}

#[test]
fn non_hex_and_non_ascii_are_malformed() {
    let (_, body, signature) = reference_vector();
    let mut bad = signature.clone();
    bad.replace_range(10..11, "g");
    assert!(matches!(
        webhook::verify(&secret(), body.as_bytes(), Some(&bad)),
        Err(WebhookError::MalformedSignature(
            SignatureFormatError::NotHex { position: 10 }
        ))
    ));
    let non_ascii = format!("{}é", &signature[..62]);
    assert_eq!(non_ascii.len(), 64);
    assert!(matches!(
        webhook::verify(&secret(), body.as_bytes(), Some(&non_ascii)),
        Err(WebhookError::MalformedSignature(
            SignatureFormatError::NotHex { position: 62 }
        ))
    ));
}

#[test]
fn surrounding_spaces_in_the_header_are_ignored() {
    let (_, body, signature) = reference_vector();
    let padded = format!(" \t{signature} ");
    assert!(webhook::verify(&secret(), body.as_bytes(), Some(&padded)).is_ok());
}

#[test]
fn missing_header_is_reported() {
    let err = webhook::verify(&secret(), b"{}", None).unwrap_err();
    assert!(matches!(
        err,
        WebhookError::MissingHeader("x-mfkessai-signature")
    ));
    assert_eq!(err.to_string(), "missing `x-mfkessai-signature` header");
}

#[test]
fn empty_body() {
    // A correctly signed empty body is authentic, but it is not an event.
    let signature = webhook::sign_for_test(SECRET, b"");
    let payload = webhook::verify(&secret(), b"", Some(&signature)).unwrap();
    let err = payload.parse().unwrap_err();
    assert!(matches!(err, WebhookError::EmptyBody));
    assert_eq!(err.to_string(), "body is empty");
    // Signed for something else: a mismatch, reported before any parsing.
    let (_, _, other) = reference_vector();
    assert!(matches!(
        webhook::verify(&secret(), b"", Some(&other)),
        Err(WebhookError::SignatureMismatch { .. })
    ));
}

#[test]
fn no_usable_secret_is_a_configuration_error() {
    let (_, body, signature) = reference_vector();
    let none: [Secret; 0] = [];
    assert!(matches!(
        webhook::verify(&none, body.as_bytes(), Some(&signature)),
        Err(WebhookError::NoSecret)
    ));
    // An empty secret (an unset environment variable) must not let anyone
    // who signs with the empty key in.
    let empty = Secret::new("");
    let forged = webhook::sign_for_test("", body.as_bytes());
    assert!(matches!(
        webhook::verify(&empty, body.as_bytes(), Some(&forged)),
        Err(WebhookError::NoSecret)
    ));
    let with_real = vec![Secret::new(""), Secret::new(SECRET)];
    assert!(matches!(
        webhook::verify(&with_real, body.as_bytes(), Some(&forged)),
        Err(WebhookError::SignatureMismatch { secrets_tried: 1 })
    ));
    assert_eq!(
        webhook::verify(&with_real, body.as_bytes(), Some(&signature))
            .unwrap()
            .secret_index(),
        1
    );
}

#[test]
fn several_secrets_for_rotation() {
    let body = INVOICE.as_bytes();
    let old = Secret::new("old-Secret-1");
    let new = Secret::new("new-Secret-2");
    let both = [old.clone(), new.clone()];
    let by_old = webhook::sign_for_test(&old, body);
    let by_new = webhook::sign_for_test(&new, body);
    assert_eq!(
        webhook::verify(&both, body, Some(&by_old))
            .unwrap()
            .secret_index(),
        0
    );
    assert_eq!(
        webhook::verify(&both, body, Some(&by_new))
            .unwrap()
            .secret_index(),
        1
    );
    assert_eq!(
        webhook::verify(&both[..], body, Some(&by_new))
            .unwrap()
            .secret_index(),
        1
    );
    let by_other = webhook::sign_for_test("another-Secret-3", body);
    assert!(matches!(
        webhook::verify(&both, body, Some(&by_other)),
        Err(WebhookError::SignatureMismatch { secrets_tried: 2 })
    ));
}

#[test]
fn secrets_never_appear_in_debug_display_or_errors() {
    let secret_text = "s3cr3t-Webhook-Key";
    let secret = Secret::new(secret_text);
    assert_eq!(format!("{secret:?}"), "Secret(****)");
    assert_eq!(format!("{:?}", vec![secret.clone()]), "[Secret(****)]");

    let body = br#"{"event_id":"E","type":"invoice.issued"}"#;
    let good = webhook::sign_for_test(&secret, body);
    let mut outputs = Vec::new();
    let mut record = |r: Result<Event, WebhookError>| match r {
        Ok(e) => outputs.push(format!("{e:?}")),
        Err(e) => outputs.push(format!("{e} / {e:?}")),
    };
    record(webhook::verify_and_parse(&secret, body, Some(&good))); // InvalidEvent
    record(webhook::verify_and_parse(&secret, b"x", Some(&good))); // mismatch
    record(webhook::verify_and_parse(&secret, body, Some("zz"))); // malformed
    record(webhook::verify_and_parse(&secret, body, None)); // missing
    record(webhook::verify_and_parse(&Secret::new(""), body, None)); // no secret
    let not_json = b"secret?";
    let sig = webhook::sign_for_test(&secret, not_json);
    record(webhook::verify_and_parse(&secret, not_json, Some(&sig))); // not JSON
    let payload = webhook::verify(&secret, body, Some(&good)).unwrap();
    outputs.push(format!("{payload:?}"));
    let headers = Delivery::new("E", 0).headers(&secret, body);
    outputs.push(format!("{:?}", webhook::receive(&secret, &headers, body)));
    assert_eq!(outputs.len(), 8);
    for out in &outputs {
        assert!(!out.contains(secret_text), "{out}");
        assert!(!out.contains(&good), "signature echoed: {out}");
    }
}

// -------------------------------------------------------------------- events

#[test]
fn customer_examination_examined_from_the_reference() {
    let Event::CustomerExaminationExamined(e) = signed_event(CUSTOMER_EXAMINATION).unwrap() else {
        panic!("wrong variant");
    };
    assert_eq!(e.event_id, "9NV9-PVP6");
    assert_eq!(e.customer_examination_id, "6GV7-PE7N");
    assert_eq!(e.customer_id, "M9R6-MVNV");
    assert_eq!(e.result, ExaminationResult::Passed);
    assert_eq!(e.created_at, jst("2019-10-30T10:20:18+09:00"));
}

#[test]
fn transaction_examined_from_the_reference() {
    let Event::TransactionExamined(e) = signed_event(TRANSACTION).unwrap() else {
        panic!("wrong variant");
    };
    assert_eq!(e.event_id, "GM6Y-9W6V");
    assert_eq!(e.transaction_id, "6E9E-P436");
    assert_eq!(e.transaction_number, "transaction-00001");
    assert_eq!(e.result, ExaminationResult::Passed);
    assert_eq!(e.created_at, jst("2019-10-30T10:35:08+09:00"));
}

#[test]
fn invoice_issued_from_the_reference() {
    let Event::InvoiceIssued(e) = signed_event(INVOICE).unwrap() else {
        panic!("wrong variant");
    };
    assert_eq!(e.event_id, "GM6Y-9W6V");
    assert_eq!(e.invoice_id, "M9R6-MVNV");
    assert_eq!(e.billing_id, "MW4N-3ANV");
    assert_eq!(e.created_at, jst("2019-10-30T10:35:08+09:00"));
}

#[test]
fn customer_name_update_examined_from_the_reference() {
    let Event::CustomerNameUpdateExamined(e) = signed_event(CUSTOMER_NAME_UPDATE).unwrap() else {
        panic!("wrong variant");
    };
    assert_eq!(e.event_id, "9NV9-PVP6");
    assert_eq!(e.customer_name_update_id, "6GV7-PE7N");
    assert_eq!(e.customer_id, "M9R6-MVNV");
    assert_eq!(e.result, ExaminationResult::Passed);
    assert_eq!(e.created_at, jst("2019-10-30T10:20:18+09:00"));
}

#[test]
fn accessors_and_serialization_round_trip_for_every_sample() {
    for (sample, ty) in [
        (CUSTOMER_EXAMINATION, "customer_examination.examined"),
        (TRANSACTION, "transaction.examined"),
        (INVOICE, "invoice.issued"),
        (CUSTOMER_NAME_UPDATE, "customer_name_update.examined"),
    ] {
        let wire: Value = serde_json::from_str(sample).unwrap();
        let event = signed_event(sample).unwrap();
        assert_eq!(event.event_type(), ty);
        assert_eq!(event.event_id(), wire["event_id"].as_str().unwrap());
        assert_eq!(
            event.created_at().unwrap().to_rfc3339(),
            wire["created_at"].as_str().unwrap()
        );
        // Serializing gives back the body Kessai sent (useful to fakes).
        assert_eq!(serde_json::to_value(&event).unwrap(), wire, "{ty}");
        assert_eq!(serde_json::from_value::<Event>(wire).unwrap(), event);
    }
}

#[test]
fn rejected_and_unknown_results() {
    let rejected = TRANSACTION.replace("\"passed\"", "\"rejected\"");
    let Event::TransactionExamined(e) = signed_event(&rejected).unwrap() else {
        panic!()
    };
    assert_eq!(e.result, ExaminationResult::Rejected);
    let pending = CUSTOMER_EXAMINATION.replace("\"passed\"", "\"on_hold\"");
    let Event::CustomerExaminationExamined(e) = signed_event(&pending).unwrap() else {
        panic!()
    };
    assert_eq!(e.result, ExaminationResult::Unknown("on_hold".into()));
    assert_eq!(e.result.to_string(), "on_hold");
}

#[test]
fn unknown_event_types_are_kept_whole() {
    let body = json!({
        "event_id": "NEW1-EVNT",
        "type": "billing.paid",
        "billing_id": "MW4N-3ANV",
        "amount": 1200,
        "created_at": "2030-01-02T03:04:05+09:00"
    })
    .to_string();
    let event = signed_event(&body).unwrap();
    assert_eq!(event.event_type(), "billing.paid");
    assert_eq!(event.event_id(), "NEW1-EVNT");
    assert_eq!(event.created_at(), Some(jst("2030-01-02T03:04:05+09:00")));
    let Event::Unknown {
        event_type,
        event_id,
        raw,
    } = &event
    else {
        panic!()
    };
    assert_eq!(event_type, "billing.paid");
    assert_eq!(event_id, "NEW1-EVNT");
    assert_eq!(raw["amount"], 1200);
    assert_eq!(serde_json::to_string(&event).unwrap(), body);

    // With nothing but a type and an id; without the id, which the reference
    // gives every event, it is not an event.
    let bare = signed_event(r#"{"type":"x","event_id":"E"}"#).unwrap();
    assert_eq!((bare.event_id().as_str(), bare.created_at()), ("E", None));
    for (body, why) in [
        (r#"{"type":"x"}"#, "no `event_id` property"),
        (r#"{"type":"x","event_id":7}"#, "`event_id` is not a string"),
    ] {
        match signed_event(body) {
            Err(WebhookError::NotAnEvent(reason)) => assert_eq!(reason, why),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn unknown_properties_are_ignored() {
    let mut wire: Value = serde_json::from_str(INVOICE).unwrap();
    wire["invoice_pdf_url"] = json!("https://example.com/x.pdf");
    wire["nested"] = json!({"a": [1, 2, 3]});
    let Event::InvoiceIssued(e) = signed_event(&wire.to_string()).unwrap() else {
        panic!()
    };
    assert_eq!(e.billing_id, "MW4N-3ANV");
}

#[test]
fn bodies_that_are_not_events() {
    type Check = fn(&WebhookError) -> bool;
    let cases: [(&str, Check); 6] = [
        ("your request body", |e| {
            matches!(e, WebhookError::NotJson(_))
        }),
        ("   ", |e| matches!(e, WebhookError::NotJson(_))),
        ("[1,2]", |e| matches!(e, WebhookError::NotAnEvent(_))),
        ("\"invoice.issued\"", |e| {
            matches!(e, WebhookError::NotAnEvent(_))
        }),
        (r#"{"event_id":"E"}"#, |e| {
            matches!(e, WebhookError::NotAnEvent("no `type` property"))
        }),
        (r#"{"type":7}"#, |e| {
            matches!(e, WebhookError::NotAnEvent("`type` is not a string"))
        }),
    ];
    for (body, check) in cases {
        let err = signed_event(body).unwrap_err();
        assert!(check(&err), "{body}: {err:?}");
    }
}

#[test]
fn a_documented_event_missing_a_property_names_it() {
    let mut wire: Value = serde_json::from_str(TRANSACTION).unwrap();
    wire.as_object_mut().unwrap().remove("transaction_number");
    let err = signed_event(&wire.to_string()).unwrap_err();
    let WebhookError::InvalidEvent { event_type, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(event_type, "transaction.examined");
    assert!(err.to_string().contains("transaction_number"), "{err}");

    let bad_date = INVOICE.replace("2019-10-30T10:35:08+09:00", "2019-10-30");
    assert!(matches!(
        signed_event(&bad_date),
        Err(WebhookError::InvalidEvent { .. })
    ));
}

// ------------------------------------------------------------------ delivery

#[test]
fn delivery_headers_from_an_axum_header_map() {
    let body = INVOICE.as_bytes();
    let mut headers = axum::http::HeaderMap::new();
    for (name, value) in Delivery::new("GM6Y-9W6V", 2).headers(SECRET, body) {
        headers.insert(name, value.parse().unwrap());
    }
    assert_eq!(headers.len(), 3);
    let received = webhook::receive(&secret(), &headers, body).unwrap();
    assert_eq!(received.delivery.event_id.as_deref(), Some("GM6Y-9W6V"));
    assert_eq!(received.delivery.retry_number, Some(2));
    assert!(received.delivery.is_retry());
    assert_eq!(received.event_id(), "GM6Y-9W6V");
    assert!(matches!(received.event, Event::InvoiceIssued(_)));
}

#[test]
fn delivery_headers_are_advisory() {
    // Malformed or absent metadata does not reject an authentic body.
    let body = INVOICE.as_bytes();
    let signature = webhook::sign_for_test(SECRET, body);
    let headers = [
        ("X-MFKESSAI-SIGNATURE", signature.as_str()),
        ("x-mfkessai-retry-number", "-1"),
    ];
    let received = webhook::receive(&secret(), &headers, body).unwrap();
    assert_eq!(received.delivery, Delivery::default());
    assert_eq!(received.event_id(), "GM6Y-9W6V");

    let non_utf8: Vec<(&str, Vec<u8>)> = vec![
        ("x-mfkessai-signature", signature.clone().into_bytes()),
        ("x-mfkessai-event-id", vec![0xff, 0xfe]),
        ("x-mfkessai-retry-number", b" 5 ".to_vec()),
    ];
    let received = webhook::receive(&secret(), &non_utf8, body).unwrap();
    assert_eq!(received.delivery.event_id, None);
    assert_eq!(received.delivery.retry_number, Some(5));
}

#[test]
fn receive_reports_a_non_utf8_signature_as_malformed() {
    let headers: [(&str, &[u8]); 1] = [("x-mfkessai-signature", &[0xff; 64])];
    assert!(matches!(
        webhook::receive(&secret(), &headers, b"{}"),
        Err(WebhookError::MalformedSignature(
            SignatureFormatError::NotHex { position: 0 }
        ))
    ));
    let none: [(&str, &str); 0] = [];
    assert_eq!(none.header("x-mfkessai-signature"), None);
}

#[test]
fn the_body_event_id_wins_over_the_header() {
    // The header is not signed: keying deduplication on it would let anyone
    // replay a captured body under a fresh header.
    let body = INVOICE.as_bytes();
    let headers = Delivery::new("SOMETHING-ELSE", 0).headers(SECRET, body);
    let received = webhook::receive(&secret(), &headers, body).unwrap();
    assert_eq!(received.event_id(), "GM6Y-9W6V");

    // A body without one is refused, whatever the header says.
    let bare = br#"{"type":"x"}"#;
    let headers = Delivery::new("FROM-HEADER", 0).headers(SECRET, bare);
    assert!(matches!(
        webhook::receive(&secret(), &headers, bare),
        Err(WebhookError::NotAnEvent(_))
    ));
}

// ------------------------------------------------------------- deduplication

#[test]
fn retries_of_one_event_are_dropped() {
    let seen = InMemoryDeduplicator::new();
    let body = TRANSACTION.as_bytes();
    let mut handled = 0;
    // The first attempt and the 5 retries the reference allows.
    for retry in 0..=5 {
        let headers = Delivery::new("GM6Y-9W6V", retry).headers(SECRET, body);
        let received = webhook::receive(&secret(), &headers, body).unwrap();
        assert_eq!(received.delivery.is_retry(), retry > 0);
        if seen.claim(received.event_id()) == Claim::First {
            handled += 1;
        }
    }
    assert_eq!(handled, 1);
    // Another event still gets through.
    assert_eq!(seen.claim("9NV9-PVP6"), Claim::First);
    assert_eq!(seen.len(), 2);
}

#[test]
fn retries_over_31_hours_fall_in_the_default_window() {
    let seen = InMemoryDeduplicator::new();
    let t0 = Instant::now();
    assert_eq!(seen.claim_at("E", t0), Claim::First);
    // Retry schedule: 1, 3, 7, 15 and 31 hours after the first attempt.
    for hours in [1, 3, 7, 15, 31] {
        let t = t0 + Duration::from_secs(hours * 3600);
        assert_eq!(seen.claim_at("E", t), Claim::Duplicate, "{hours}h");
    }
    let later = t0 + InMemoryDeduplicator::DEFAULT_WINDOW;
    assert_eq!(seen.claim_at("E", later), Claim::First);
}

#[test]
fn the_window_expires_and_frees_memory() {
    let seen = InMemoryDeduplicator::with_limits(Duration::from_secs(10), 100);
    let t0 = Instant::now();
    for i in 0..50 {
        seen.claim_at(&format!("E{i}"), t0);
    }
    assert_eq!(seen.len(), 50);
    assert_eq!(
        seen.claim_at("E0", t0 + Duration::from_secs(9)),
        Claim::Duplicate
    );
    assert_eq!(
        seen.claim_at("new", t0 + Duration::from_secs(10)),
        Claim::First
    );
    assert_eq!(seen.len(), 1);
}

#[test]
fn capacity_bounds_memory_oldest_first() {
    let seen = InMemoryDeduplicator::with_limits(Duration::from_secs(3600), 3);
    let t0 = Instant::now();
    for id in ["a", "b", "c", "d"] {
        assert_eq!(seen.claim_at(id, t0), Claim::First);
    }
    assert_eq!(seen.len(), 3);
    assert_eq!(seen.claim_at("d", t0), Claim::Duplicate);
    assert_eq!(seen.claim_at("b", t0), Claim::Duplicate);
    assert_eq!(seen.claim_at("a", t0), Claim::First); // evicted, so new again
    assert_eq!(seen.len(), 3);

    // Zero is treated as one.
    let tiny = InMemoryDeduplicator::with_limits(Duration::from_secs(3600), 0);
    tiny.claim("x");
    assert_eq!(tiny.claim("x"), Claim::Duplicate);
    tiny.claim("y");
    assert_eq!(tiny.len(), 1);
}

#[test]
fn release_lets_the_retry_through() {
    let seen = InMemoryDeduplicator::with_limits(Duration::from_secs(3600), 2);
    let t0 = Instant::now();
    assert_eq!(seen.claim_at("E", t0), Claim::First);
    seen.release("E");
    seen.release("never-claimed");
    assert!(seen.is_empty());
    assert_eq!(seen.claim_at("E", t0), Claim::First);
    assert_eq!(seen.claim_at("E", t0), Claim::Duplicate);
    // The stale entry left by the release is evicted before the live one.
    assert_eq!(seen.claim_at("F", t0), Claim::First);
    assert_eq!(seen.claim_at("E", t0), Claim::Duplicate);
    assert_eq!(seen.claim_at("F", t0), Claim::Duplicate);
}

#[test]
fn concurrent_deliveries_are_claimed_once() {
    let seen: Arc<dyn Deduplicator> = Arc::new(InMemoryDeduplicator::new());
    let firsts: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let seen = Arc::clone(&seen);
                s.spawn(move || {
                    (0..100)
                        .filter(|i| seen.claim(&format!("E{i}")) == Claim::First)
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(firsts, 100);
}

// -------------------------------------------------------------- no panics

fn known_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("customer_examination.examined".to_owned()),
        Just("transaction.examined".to_owned()),
        Just("invoice.issued".to_owned()),
        Just("customer_name_update.examined".to_owned()),
        "[a-z._]{0,12}",
    ]
}

/// Objects that look like events, with properties of random types, so
/// decoding goes past the JSON syntax into every typed path.
fn event_like_body() -> impl Strategy<Value = Vec<u8>> {
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,8}".prop_map(Value::from),
        Just(json!("2019-10-30T10:20:18+09:00")),
        Just(json!("passed")),
    ];
    let names = prop_oneof![
        Just("event_id"),
        Just("customer_examination_id"),
        Just("customer_id"),
        Just("transaction_id"),
        Just("transaction_number"),
        Just("invoice_id"),
        Just("billing_id"),
        Just("customer_name_update_id"),
        Just("result"),
        Just("created_at"),
        Just("other"),
    ];
    (
        known_type(),
        proptest::collection::vec((names, scalar), 0..10),
    )
        .prop_map(|(ty, props)| {
            let mut object = serde_json::Map::new();
            object.insert("type".into(), Value::from(ty));
            for (name, value) in props {
                object.insert(name.into(), value);
            }
            Value::Object(object).to_string().into_bytes()
        })
}

proptest! {
    #[test]
    fn verify_and_parse_never_panic_on_arbitrary_input(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        header in proptest::option::of(".{0,80}"),
        secrets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..3),
    ) {
        let secrets: Vec<Secret> = secrets.into_iter().map(Secret::new).collect();
        let _ = webhook::verify(&secrets, &body, header.as_deref()).map(|p| p.parse());
        let _ = webhook::verify_and_parse(&secrets, &body, header.as_deref());
        let headers = [("x-mfkessai-signature", header.unwrap_or_default())];
        let _ = webhook::receive(&secrets, &headers, &body);
    }

    #[test]
    fn correctly_signed_arbitrary_bodies_verify_and_parse_without_panic(
        body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..512), event_like_body()],
        secret in proptest::collection::vec(any::<u8>(), 1..80),
        retry in any::<u32>(),
        event_id in ".{0,20}",
    ) {
        let secret = Secret::new(secret);
        let signature = webhook::sign_for_test(&secret, &body);
        let payload = webhook::verify(&secret, &body, Some(&signature)).unwrap();
        prop_assert_eq!(payload.as_bytes(), &body[..]);
        let parsed = payload.parse();
        let headers = Delivery::new(event_id, retry).headers(&secret, &body);
        let received = webhook::receive(&secret, &headers, &body);
        prop_assert_eq!(parsed.is_ok(), received.is_ok());
    }

    #[test]
    fn any_single_bit_flip_is_detected(
        body in proptest::collection::vec(any::<u8>(), 1..256),
        bit in any::<usize>(),
    ) {
        let signature = webhook::sign_for_test(SECRET, &body);
        let mut tampered = body.clone();
        let bit = bit % (body.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        let verified = webhook::verify(&secret(), &tampered, Some(&signature));
        prop_assert!(
            matches!(verified, Err(WebhookError::SignatureMismatch { .. })),
            "bit flip accepted"
        );
    }
}

// ---------------------------------------------------------------- end to end

#[tokio::test]
async fn the_example_receiver_verifies_deduplicates_and_hands_off() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            receiver::app(vec![Secret::new("old"), secret()], tx),
        )
        .await
    });

    let body = CUSTOMER_NAME_UPDATE.as_bytes();
    let first = Delivery::new("9NV9-PVP6", 0).headers(SECRET, body);
    let retry = Delivery::new("9NV9-PVP6", 1).headers(SECRET, body);
    assert_eq!(
        receiver::post_webhook(addr, &first, body).await.unwrap(),
        200
    );
    assert_eq!(
        receiver::post_webhook(addr, &retry, body).await.unwrap(),
        200
    );
    let forged = Delivery::new("9NV9-PVP6", 0).headers("guess", body);
    assert_eq!(
        receiver::post_webhook(addr, &forged, body).await.unwrap(),
        401
    );
    let authentic_but_not_json = b"not json";
    let headers = Delivery::new("Z", 0).headers(SECRET, authentic_but_not_json);
    assert_eq!(
        receiver::post_webhook(addr, &headers, authentic_but_not_json)
            .await
            .unwrap(),
        500
    );

    let Some(Event::CustomerNameUpdateExamined(e)) = rx.recv().await else {
        panic!()
    };
    assert_eq!(e.customer_name_update_id, "6GV7-PE7N");
    assert!(rx.try_recv().is_err(), "the retry must not be handed off");
    server.abort();
}

#[tokio::test]
async fn the_example_receiver_asks_for_a_retry_when_the_queue_is_full() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server =
        tokio::spawn(async move { axum::serve(listener, receiver::app(vec![secret()], tx)).await });

    let a = INVOICE.as_bytes();
    let b = TRANSACTION.replace("GM6Y-9W6V", "OTHER-ID");
    let b = b.as_bytes();
    let signed = |body: &[u8], retry| Delivery::new("-", retry).headers(SECRET, body);
    assert_eq!(
        receiver::post_webhook(addr, &signed(a, 0), a)
            .await
            .unwrap(),
        200
    );
    assert_eq!(
        receiver::post_webhook(addr, &signed(b, 0), b)
            .await
            .unwrap(),
        503
    );
    // The worker catches up; Kessai's retry must be handled, not dropped.
    assert!(rx.recv().await.is_some());
    assert_eq!(
        receiver::post_webhook(addr, &signed(b, 1), b)
            .await
            .unwrap(),
        200
    );
    let Some(Event::TransactionExamined(t)) = rx.recv().await else {
        panic!()
    };
    assert_eq!(t.event_id, "OTHER-ID");
    server.abort();
}
