#![cfg(feature = "testing")]
//! FakeKessai: customer examinations, credit facilities, authorizations and
//! payouts, end to end through the facade, and through plain HTTP for the
//! invalid input the facade would refuse before sending.

mod common;

use common::fake::{
    assert_api_error, assert_error, deliveries, ids, raw, raw_text, webhook_sink, TestResult,
};
use std::time::Duration;

use chrono::{DateTime, NaiveDate};
use mfkessai::{
    raw::types::{
        self, AuthorizationStatus, CreditFacilityStatus, CustomerExaminationStatus,
        CustomerExaminationType, PayoutStatus,
    },
    sandbox::Outcome,
    testing::FakeKessai,
    ErrorCode,
};
use serde_json::{json, Value};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The fake starts on 2026-04-01, so the end dates one may ask for are
/// 2026-04-30, 2026-05-31 and 2026-06-30.
const CANDIDATES: &str = "2026-04-30,2026-05-31,2026-06-30";

fn exam_body(customer_id: &str, amount: i64, end_date: &str, remark: Option<&str>) -> Value {
    let mut body = json!({
        "address1": "東京都千代田区1-2-3",
        "address2": "サンプルビル3F",
        "amount": amount,
        "business_description": "クラウド型企業間決済サービス",
        "business_type": "corporate",
        "corporate_number": "1234567890123",
        "customer_id": customer_id,
        "email": "info@example.com",
        "end_date": end_date,
        "representative_name": "代表太郎",
        "tel": "03-1234-5678",
        "website": "https://mfkessai.co.jp",
        "zip_code": "111-1111"
    });
    if let Some(remark) = remark {
        body["remark"] = json!(remark);
    }
    body
}

fn exam(
    customer_id: &str,
    amount: i64,
    end_date: &str,
    outcome: Option<Outcome>,
) -> types::CustomerExaminationPayload {
    serde_json::from_value(exam_body(
        customer_id,
        amount,
        end_date,
        outcome.map(Outcome::as_str),
    ))
    .expect("valid payload")
}

fn authorization(customer_id: &str, amount: i64, number: &str) -> types::AuthorizationPayload {
    types::AuthorizationPayload::new(customer_id, number, amount)
}

/// A customer with a passed manual examination: (customer id, facility id).
async fn customer_with_facility(
    fake: &FakeKessai,
    amount: i64,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let examination = client
        .customer_examinations()
        .create(exam(&customer, amount, "2026-05-31", Some(Outcome::Passed)))
        .await?;
    let page = client
        .credit_facilities()
        .list()
        .customer_examination_id(examination.id)
        .send()
        .await?;
    let facility = page.items[0].id.clone();
    Ok((customer.to_string(), facility.to_string()))
}

// ------------------------------------------------------- examinations

#[tokio::test]
async fn a_passed_manual_examination_grants_a_facility_from_today() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let examination = client
        .customer_examinations()
        .create(exam(
            &customer,
            200_000,
            "2026-05-31",
            Some(Outcome::Passed),
        ))
        .await?;
    let id = examination.id.clone();
    assert_eq!(examination.status, Some(CustomerExaminationStatus::Passed));
    assert_eq!(examination.type_, Some(CustomerExaminationType::Manual));
    assert_eq!(examination.object.as_deref(), Some("customer_examination"));
    assert_eq!(examination.uri, format!("mfk:customer_examination:{id}"));
    assert_eq!(
        Some(examination.customer_id.as_str()),
        Some(customer.as_str())
    );
    assert_eq!(examination.amount, 200_000);
    assert_eq!(examination.end_date, date("2026-05-31"));
    // A manual examination starts on the day it passes: empty here.
    assert_eq!(examination.start_date, None);
    assert_eq!(
        examination.business_type,
        Some(types::BusinessType::Corporate)
    );
    assert_eq!(client.customer_examinations().get(&id).await?, examination);

    let page = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(page.items.len(), 1);
    let facility = &page.items[0];
    let facility_id = facility.id.clone();
    assert_eq!(facility.amount, Some(200_000));
    assert_eq!(facility.balance, Some(200_000));
    assert_eq!(
        facility.customer_examination_id.as_deref(),
        Some(id.as_str())
    );
    assert_eq!(facility.customer_id.as_deref(), Some(customer.as_str()));
    assert_eq!(facility.start_date, Some(date("2026-04-01")));
    assert_eq!(facility.end_date, Some(date("2026-05-31")));
    assert_eq!(facility.status, Some(CreditFacilityStatus::Active));
    assert_eq!(facility.object.as_deref(), Some("credit_facility"));
    assert_eq!(facility.uri, format!("mfk:credit_facility:{facility_id}"));
    assert_eq!(
        &client.credit_facilities().get(&facility_id).await?,
        facility
    );
    Ok(())
}

#[tokio::test]
async fn a_rejected_examination_grants_nothing() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let examination = client
        .customer_examinations()
        .create(exam(
            &customer,
            100_000,
            "2026-04-30",
            Some(Outcome::Rejected),
        ))
        .await?;
    assert_eq!(
        examination.status,
        Some(CustomerExaminationStatus::Rejected)
    );
    let page = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert!(page.items.is_empty());
    // Another examination may follow a decided one.
    let again = client
        .customer_examinations()
        .create(exam(
            &customer,
            100_000,
            "2026-04-30",
            Some(Outcome::Passed),
        ))
        .await?;
    assert_eq!(again.status, Some(CustomerExaminationStatus::Passed));
    Ok(())
}

#[tokio::test]
async fn an_examination_without_magic_waits_for_a_decision_and_announces_it() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    for remark in [None, Some(Outcome::Unexamined)] {
        let other = fake.seed_customers(1).remove(0);
        let pending = client
            .customer_examinations()
            .create(exam(&other, 50_000, "2026-06-30", remark))
            .await?;
        assert_eq!(pending.status, Some(CustomerExaminationStatus::Unexamined));
    }
    let pending = client
        .customer_examinations()
        .create(exam(&customer, 50_000, "2026-06-30", None))
        .await?;
    let id = pending.id.clone();
    assert_eq!(pending.status, Some(CustomerExaminationStatus::Unexamined));
    let page = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert!(page.items.is_empty(), "nothing granted before the decision");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        fake.webhook_deliveries().is_empty(),
        "no event before the decision"
    );

    // Unexamined keeps it pending.
    let same = fake.decide_customer_examination(&id, Outcome::Unexamined)?;
    assert_eq!(same.status, Some(CustomerExaminationStatus::Unexamined));

    fake.advance_clock(chrono::Duration::days(2));
    let decided = fake.decide_customer_examination(&id, Outcome::Passed)?;
    assert_eq!(decided.status, Some(CustomerExaminationStatus::Passed));
    assert_eq!(client.customer_examinations().get(&id).await?, decided);
    let page = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(page.items.len(), 1);
    // The facility starts on the day of the decision.
    assert_eq!(page.items[0].start_date, Some(date("2026-04-03")));
    assert_eq!(page.items[0].end_date, Some(date("2026-06-30")));

    let sent = deliveries(&fake, 1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].event_type, "customer_examination.examined");
    assert_eq!(sent[0].status, Some(200));
    let event: Value = serde_json::from_str(&sent[0].body)?;
    assert_eq!(event["type"], "customer_examination.examined");
    assert_eq!(event["customer_examination_id"], id.as_str());
    assert_eq!(event["customer_id"], customer.as_str());
    assert_eq!(event["result"], "passed");
    assert!(event["event_id"].is_string() && event["created_at"].is_string());

    // A decided examination cannot be decided again; unknown ids are 404.
    let again = fake
        .decide_customer_examination(&id, Outcome::Rejected)
        .expect_err("already decided");
    assert_api_error(
        &again,
        409,
        ErrorCode::InvalidCustomerExaminationStatus,
        Some("passed"),
    );
    let missing = fake
        .decide_customer_examination("NONE-0000", Outcome::Passed)
        .expect_err("unknown");
    assert_api_error(&missing, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn a_magic_decision_announces_the_rejection_too() -> TestResult {
    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        webhook_sink().await?,
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let rejected = client
        .customer_examinations()
        .create(exam(
            &customer,
            50_000,
            "2026-04-30",
            Some(Outcome::Rejected),
        ))
        .await?;
    let sent = deliveries(&fake, 1).await;
    assert_eq!(sent.len(), 1);
    let event: Value = serde_json::from_str(&sent[0].body)?;
    assert_eq!(event["customer_examination_id"], rejected.id.as_str());
    assert_eq!(event["result"], "rejected");
    Ok(())
}

#[tokio::test]
async fn a_pending_examination_blocks_another_with_409() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let pending = client
        .customer_examinations()
        .create(exam(&customer, 50_000, "2026-04-30", None))
        .await?;
    let pending_id = pending.id;
    let e = client
        .customer_examinations()
        .create(exam(&customer, 60_000, "2026-04-30", Some(Outcome::Passed)))
        .await
        .expect_err("pending");
    assert_api_error(&e, 409, ErrorCode::AlreadyExists, Some(&pending_id));
    fake.decide_customer_examination(&pending_id, Outcome::Rejected)?;
    client
        .customer_examinations()
        .create(exam(&customer, 60_000, "2026-04-30", Some(Outcome::Passed)))
        .await?;
    Ok(())
}

#[tokio::test]
async fn examination_validation_errors() -> TestResult {
    let fake = FakeKessai::start().await?;
    let customer = fake.seed_customers(1).remove(0);
    let post = |body: Value| {
        let fake = &fake;
        async move { raw(fake, "POST", "/customer_examinations", Some(body)).await }
    };

    // Required fields, each with its own code.
    for (field, code) in [
        ("address1", "invalid_customer_examination_address1"),
        ("amount", "invalid_customer_examination_amount"),
        ("customer_id", "invalid_customer_id"),
        ("email", "invalid_customer_examination_email"),
        ("end_date", "invalid_customer_examination_end_date"),
        ("tel", "invalid_customer_examination_tel"),
        ("zip_code", "invalid_customer_examination_zip_code"),
    ] {
        let mut body = exam_body(&customer, 100_000, "2026-04-30", None);
        body.as_object_mut().expect("object").remove(field);
        assert_error(&post(body).await, 400, code, None);
    }

    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "amount",
            json!(0),
            "invalid_customer_examination_amount",
            "0",
        ),
        (
            "amount",
            json!(150_000_001),
            "invalid_customer_examination_amount",
            "150000001",
        ),
        (
            "amount",
            json!("many"),
            "invalid_customer_examination_amount",
            "many",
        ),
        (
            "end_date",
            json!("2026-05-15"),
            "invalid_customer_examination_end_date",
            CANDIDATES,
        ),
        (
            "end_date",
            json!("2026-07-31"),
            "invalid_customer_examination_end_date",
            CANDIDATES,
        ),
        (
            "end_date",
            json!("2026-03-31"),
            "invalid_customer_examination_end_date",
            CANDIDATES,
        ),
        (
            "end_date",
            json!("someday"),
            "invalid_customer_examination_end_date",
            "someday",
        ),
        (
            "business_type",
            json!("partnership"),
            "invalid_customer_examination_business_type",
            "partnership",
        ),
        (
            "email",
            json!("not-an-address"),
            "invalid_customer_examination_email",
            "not-an-address",
        ),
        (
            "tel",
            json!("0570-123-456"),
            "invalid_customer_examination_tel",
            "0570-123-456",
        ),
        (
            "tel",
            json!("03-1234"),
            "invalid_customer_examination_tel",
            "03-1234",
        ),
        (
            "zip_code",
            json!("12-345"),
            "invalid_customer_examination_zip_code",
            "12-345",
        ),
        (
            "corporate_number",
            json!("123"),
            "invalid_customer_examination_corporate_number",
            "123",
        ),
        (
            "address1",
            json!("あ".repeat(101)),
            "invalid_customer_examination_address1",
            "",
        ),
        (
            "address2",
            json!("あ".repeat(101)),
            "invalid_customer_examination_address2",
            "",
        ),
        (
            "business_description",
            json!("あ".repeat(501)),
            "invalid_customer_examination_business_description",
            "",
        ),
        (
            "remark",
            json!("あ".repeat(501)),
            "invalid_customer_examination_remark",
            "",
        ),
        (
            "representative_name",
            json!("あ".repeat(31)),
            "invalid_customer_examination_representative_name",
            "",
        ),
        (
            "website",
            json!("a".repeat(501)),
            "invalid_customer_examination_website",
            "",
        ),
    ];
    for (field, value, code, param) in cases {
        let mut body = exam_body(&customer, 100_000, "2026-04-30", None);
        body[field] = value;
        let got = post(body).await;
        let param = (!param.is_empty()).then_some(param);
        assert_error(&got, 400, code, param);
    }
    // Every accepted end date works; the documented empty business_type too.
    for end in CANDIDATES.split(',') {
        let other = fake.seed_customers(1).remove(0);
        let mut body = exam_body(&other, 100_000, end, Some("__rejected__"));
        body["business_type"] = json!("");
        let got = post(body).await;
        assert_eq!(got.0, 200, "{end}: {}", got.1);
    }

    let got = post(exam_body("NONE-0000", 100_000, "2026-04-30", None)).await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    let got = raw_text(&fake, "POST", "/customer_examinations", Some("{".into())).await;
    assert_error(&got, 400, "invalid_json_format", None);
    // Nothing was registered by the refused requests.
    let (_, list) = raw(
        &fake,
        "GET",
        &format!("/customer_examinations?customer_id={customer}"),
        None,
    )
    .await;
    assert_eq!(ids(&list).len(), 0);
    Ok(())
}

#[tokio::test]
async fn an_increase_overwrites_the_current_facility_and_carries_its_usage() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, old) = customer_with_facility(&fake, 100_000).await?;
    client
        .authorizations()
        .create(authorization(&customer, 30_000, "AUTH-1"))
        .await?;
    assert_eq!(
        client
            .credit_facilities()
            .get(&mfkessai::ids::CreditFacilityId::from(&old))
            .await?
            .balance,
        Some(70_000)
    );

    // The new amount must exceed the current balance; param is the balance.
    let e = client
        .customer_examinations()
        .create(exam(&customer, 70_000, "2026-06-30", Some(Outcome::Passed)))
        .await
        .expect_err("not above the balance");
    assert_api_error(
        &e,
        400,
        ErrorCode::InvalidCustomerExaminationAmountWithBalance,
        Some("70000"),
    );

    let increase = client
        .customer_examinations()
        .create(exam(
            &customer,
            200_000,
            "2026-06-30",
            Some(Outcome::Passed),
        ))
        .await?;
    let page = client
        .credit_facilities()
        .list()
        .customer_examination_id(increase.id.clone())
        .send()
        .await?;
    let new = &page.items[0];
    assert_eq!(new.amount, Some(200_000));
    assert_eq!(new.balance, Some(170_000), "the 30,000 used carries over");
    assert_eq!(new.start_date, Some(date("2026-04-01")));
    assert_eq!(new.end_date, Some(date("2026-06-30")));
    assert_eq!(new.status, Some(CreditFacilityStatus::Active));

    // The old one can no longer be used: it ended the day before.
    let old = client
        .credit_facilities()
        .get(&mfkessai::ids::CreditFacilityId::from(&old))
        .await?;
    assert_eq!(old.status, Some(CreditFacilityStatus::Expired));
    assert_eq!(old.end_date, Some(date("2026-03-31")));
    let active = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .status([CreditFacilityStatus::Active])
        .send()
        .await?;
    assert_eq!(active.items.len(), 1, "one active facility at a time");
    assert_eq!(active.items[0].id, new.id);
    // New authorizations take from the new facility.
    let a = client
        .authorizations()
        .create(authorization(&customer, 170_000, "AUTH-2"))
        .await?;
    assert_eq!(a.credit_facility_id, Some(new.id.clone()));
    Ok(())
}

#[tokio::test]
async fn examination_list_filters() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customers = fake.seed_customers(2);
    let (a, b) = (&customers[0], &customers[1]);
    let passed = client
        .customer_examinations()
        .create(exam(a, 10_000, "2026-04-30", Some(Outcome::Passed)))
        .await?;
    let rejected = client
        .customer_examinations()
        .create(exam(b, 10_000, "2026-04-30", Some(Outcome::Rejected)))
        .await?;
    let pending = client
        .customer_examinations()
        .create(exam(b, 10_000, "2026-04-30", None))
        .await?;
    let id = |e: &types::CustomerExamination| e.id.clone();

    let all = client.customer_examinations().list().send().await?;
    assert_eq!(
        all.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&pending), id(&rejected), id(&passed)],
        "newest first"
    );
    let of_b = client
        .customer_examinations()
        .list()
        .customer_id(b)
        .send()
        .await?;
    assert_eq!(
        of_b.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&pending), id(&rejected)]
    );
    let by_number = client
        .customer_examinations()
        .list()
        .customer_number("CUSTOMER-1")
        .send()
        .await?;
    assert_eq!(
        by_number.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&passed)]
    );
    for (status, expected) in [
        (CustomerExaminationStatus::Passed, &passed),
        (CustomerExaminationStatus::Rejected, &rejected),
        (CustomerExaminationStatus::Unexamined, &pending),
    ] {
        let page = client
            .customer_examinations()
            .list()
            .status(status)
            .send()
            .await?;
        assert_eq!(
            page.items.iter().map(id).collect::<Vec<_>>(),
            vec![id(expected)]
        );
    }
    // created_at bounds are inclusive.
    let at = rejected.created_at;
    let from = client
        .customer_examinations()
        .list()
        .created_at_from(at)
        .send()
        .await?;
    assert_eq!(
        from.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&pending), id(&rejected)]
    );
    let to = client
        .customer_examinations()
        .list()
        .created_at_to(at)
        .send()
        .await?;
    assert_eq!(
        to.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&rejected), id(&passed)]
    );
    let both = client
        .customer_examinations()
        .list()
        .created_at_from(at)
        .created_at_to(at)
        .send()
        .await?;
    assert_eq!(
        both.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&rejected)]
    );

    assert_error(
        &raw(&fake, "GET", "/customer_examinations?status=approved", None).await,
        400,
        "invalid_customer_examination_status",
        Some("approved"),
    );
    assert_error(
        &raw(
            &fake,
            "GET",
            "/customer_examinations?created_at_from=yesterday",
            None,
        )
        .await,
        400,
        "invalid_created_at_from",
        Some("yesterday"),
    );
    assert_error(
        &raw(
            &fake,
            "GET",
            "/customer_examinations?created_at_to=2026-04-01",
            None,
        )
        .await,
        400,
        "invalid_created_at_to",
        Some("2026-04-01"),
    );
    let got = raw(&fake, "GET", "/customer_examinations/NONE-0000", None).await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    let e = client
        .customer_examinations()
        .get(&"NONE-0000".into())
        .await
        .expect_err("404");
    assert!(e.is_not_found());
    Ok(())
}

// ------------------------------------------------- automatic examinations

#[tokio::test]
async fn automatic_examinations_grant_monthly_facilities_and_renew_from_the_15th() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer_body = json!({
        "name": "自動審査の顧客",
        "number": "AUTO-1",
        "destination": {
            "address1": "東京都千代田区1-2-3",
            "email": "billing@example.com",
            "name": "担当 太郎",
            "tel": "03-1234-5678",
            "zip_code": "111-1111"
        },
        "customer_examination": { "amount": 50000, "remark": "__passed__" }
    });
    let (status, created) = raw(&fake, "POST", "/customers", Some(customer_body)).await;
    assert_eq!(status, 200, "{created}");
    let customer = created["customer"]["id"].as_str().expect("id").to_string();

    let exams = client
        .customer_examinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(exams.items.len(), 1);
    let first = &exams.items[0];
    assert_eq!(first.type_, Some(CustomerExaminationType::Auto));
    assert_eq!(first.status, Some(CustomerExaminationStatus::Passed));
    assert_eq!(first.start_date, Some(date("2026-04-01")));
    assert_eq!(first.end_date, date("2026-04-30"));
    let facilities = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(facilities.items.len(), 1);
    assert_eq!(facilities.items[0].start_date, Some(date("2026-04-01")));
    assert_eq!(facilities.items[0].balance, Some(50_000));

    // Before the 15th nothing happens; from the 15th, May is examined.
    fake.advance_clock(chrono::Duration::days(13));
    let exams = client
        .customer_examinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(exams.items.len(), 1, "2026-04-14: no renewal yet");
    fake.advance_clock(chrono::Duration::days(1));
    let exams = client
        .customer_examinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(exams.items.len(), 2, "2026-04-15: May is examined");
    assert_eq!(exams.items[0].start_date, Some(date("2026-05-01")));
    assert_eq!(exams.items[0].end_date, date("2026-05-31"));
    let may = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .status([CreditFacilityStatus::Inactive])
        .send()
        .await?;
    assert_eq!(may.items.len(), 1);
    assert_eq!(may.items[0].start_date, Some(date("2026-05-01")));
    // Moving on again changes nothing until the month turns.
    fake.advance_clock(chrono::Duration::days(1));
    let exams = client
        .customer_examinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(exams.items.len(), 2);

    fake.advance_clock(chrono::Duration::days(16)); // 2026-05-02
    let statuses: Vec<_> = client
        .credit_facilities()
        .list()
        .customer_id(&customer)
        .send()
        .await?
        .items
        .into_iter()
        .map(|f| f.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some(CreditFacilityStatus::Active),
            Some(CreditFacilityStatus::Expired)
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_rejected_automatic_examination_raises_the_alert_and_stops_renewals() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let body = json!({
        "name": "否決の顧客",
        "number": "AUTO-2",
        "destination": {
            "address1": "東京都千代田区1-2-3",
            "email": "billing@example.com",
            "name": "担当 太郎",
            "tel": "03-1234-5678",
            "zip_code": "111-1111"
        },
        "customer_examination": { "amount": 50000, "remark": "__rejected__" }
    });
    let (status, created) = raw(&fake, "POST", "/customers", Some(body)).await;
    assert_eq!(status, 200, "{created}");
    let customer = created["customer"]["id"].as_str().expect("id").to_string();
    assert_eq!(
        client
            .customers()
            .get(&mfkessai::ids::CustomerId::from(&customer))
            .await?
            .has_alert,
        Some(true)
    );
    fake.advance_clock(chrono::Duration::days(20));
    let exams = client
        .customer_examinations()
        .list()
        .customer_id(&customer)
        .send()
        .await?;
    assert_eq!(exams.items.len(), 1, "no renewal for an alerted customer");

    // A passed manual examination clears the alert (reference L1490).
    client
        .customer_examinations()
        .create(exam(&customer, 80_000, "2026-04-30", Some(Outcome::Passed)))
        .await?;
    assert_eq!(
        client
            .customers()
            .get(&mfkessai::ids::CustomerId::from(&customer))
            .await?
            .has_alert,
        Some(false)
    );
    Ok(())
}

// -------------------------------------------------------- credit facilities

#[tokio::test]
async fn credit_facility_list_filters() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (a, fa) = customer_with_facility(&fake, 10_000).await?; // 04-01..05-31
                                                                // b's facility starts two days later and ends 06-30.
    let b = fake.seed_customers(1).remove(0);
    fake.advance_clock(chrono::Duration::days(2));
    let exam_b = client
        .customer_examinations()
        .create(exam(&b, 20_000, "2026-06-30", Some(Outcome::Passed)))
        .await?;
    let fb = client
        .credit_facilities()
        .list()
        .customer_id(&b)
        .send()
        .await?
        .items[0]
        .id
        .clone();
    let list = |query: String| {
        let fake = &fake;
        async move {
            let got = raw(fake, "GET", &format!("/credit_facilities{query}"), None).await;
            assert_eq!(got.0, 200, "{query}: {}", got.1);
            ids(&got.1)
        }
    };
    assert_eq!(
        list(String::new()).await,
        vec![fb.clone(), fa.clone().into()]
    );
    assert_eq!(list(format!("?customer_id={a}")).await, vec![fa.clone()]);
    assert_eq!(list(format!("?customer_id={b}")).await, vec![fb.clone()]);
    let number_b = client.customers().get(&b).await?.number;
    assert_eq!(
        list(format!("?customer_number={number_b}")).await,
        vec![fb.clone()]
    );
    let exam_b = exam_b.id;
    assert_eq!(
        list(format!("?customer_examination_id={exam_b}")).await,
        vec![fb.clone()]
    );
    // Date bounds are inclusive.
    assert_eq!(
        list("?start_date_from=2026-04-03".into()).await,
        vec![fb.clone()]
    );
    assert_eq!(
        list("?start_date_from=2026-04-04".into()).await,
        Vec::<String>::new()
    );
    assert_eq!(
        list("?start_date_to=2026-04-01".into()).await,
        vec![fa.clone()]
    );
    assert_eq!(
        list("?start_date_to=2026-04-03".into()).await,
        vec![fb.clone(), fa.clone().into()]
    );
    assert_eq!(
        list("?end_date_from=2026-06-30".into()).await,
        vec![fb.clone()]
    );
    assert_eq!(
        list("?end_date_to=2026-05-31".into()).await,
        vec![fa.clone()]
    );
    assert_eq!(
        list("?end_date_to=2026-05-30".into()).await,
        Vec::<String>::new()
    );
    // Facilities in effect on a day (the tutorial's query, L747).
    assert_eq!(
        list("?start_date_to=2026-06-15&end_date_from=2026-06-15".into()).await,
        vec![fb.clone()]
    );

    // Status follows the clock; repeated keys and the comma form both work.
    fake.advance_clock(chrono::Duration::days(60)); // 2026-06-02
    assert_eq!(list("?status=active".into()).await, vec![fb.clone()]);
    assert_eq!(list("?status=expired".into()).await, vec![fa.clone()]);
    assert_eq!(list("?status=inactive".into()).await, Vec::<String>::new());
    assert_eq!(
        list("?status=expired&status=active".into()).await,
        vec![fb.clone(), fa.clone().into()]
    );
    assert_eq!(
        list("?status=expired,active".into()).await,
        vec![fb.clone(), fa.clone().into()]
    );
    let facade = client
        .credit_facilities()
        .list()
        .status([CreditFacilityStatus::Expired])
        .send()
        .await?;
    assert_eq!(facade.items.len(), 1);
    assert_eq!(facade.items[0].status, Some(CreditFacilityStatus::Expired));

    for (query, code, param) in [
        ("status=closed", "invalid_credit_facility_status", "closed"),
        (
            "status=active,closed",
            "invalid_credit_facility_status",
            "closed",
        ),
        (
            "start_date_from=04-01",
            "invalid_credit_facility_start_date_from",
            "04-01",
        ),
        (
            "start_date_to=2026-13-01",
            "invalid_credit_facility_start_date_to",
            "2026-13-01",
        ),
        (
            "end_date_from=x",
            "invalid_credit_facility_end_date_from",
            "x",
        ),
        (
            "end_date_to=2026-04-31",
            "invalid_credit_facility_end_date_to",
            "2026-04-31",
        ),
    ] {
        let got = raw(&fake, "GET", &format!("/credit_facilities?{query}"), None).await;
        assert_error(&got, 400, code, Some(param));
    }
    let got = raw(&fake, "GET", "/credit_facilities/NONE-0000", None).await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    Ok(())
}

// ----------------------------------------------------------- authorizations

#[tokio::test]
async fn an_authorization_holds_credit_until_canceled() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, facility) = customer_with_facility(&fake, 100_000).await?;
    let created = client
        .authorizations()
        .create(authorization(&customer, 40_000, "AUTHORIZATION001"))
        .await?;
    let id = created.id.clone();
    assert_eq!(created.amount, 40_000);
    assert_eq!(Some(created.customer_id.as_str()), Some(customer.as_str()));
    assert_eq!(Some(created.number.as_str()), Some("AUTHORIZATION001"));
    assert_eq!(created.status, Some(AuthorizationStatus::Active));
    assert_eq!(
        created.credit_facility_id.as_deref(),
        Some(facility.as_str())
    );
    assert_eq!(Some(created.object.as_str()), Some("authorization"));
    assert_eq!(created.uri, format!("mfk:authorization:{id}"));
    // As in the reference's example: 2019-04-01 → 06-16 and 06-30.
    assert_eq!(created.expiration_date, Some(date("2026-06-16")));
    assert_eq!(created.max_due_date, Some(date("2026-06-30")));
    assert_eq!(created.canceled_at, None);
    assert_eq!(created.transaction_id, None);
    assert_eq!(
        client
            .credit_facilities()
            .get(&mfkessai::ids::CreditFacilityId::from(&facility))
            .await?
            .balance,
        Some(60_000)
    );
    assert_eq!(client.authorizations().get(&id).await?, created);

    let canceled = client.authorizations().cancel(&id).await?;
    assert_eq!(canceled.status, Some(AuthorizationStatus::Canceled));
    assert_eq!(canceled.canceled_at, Some(fake.now()));
    assert_eq!(
        client
            .credit_facilities()
            .get(&mfkessai::ids::CreditFacilityId::from(&facility))
            .await?
            .balance,
        Some(100_000)
    );
    assert_eq!(client.authorizations().get(&id).await?, canceled);

    let e = client
        .authorizations()
        .cancel(&id)
        .await
        .expect_err("twice");
    assert_api_error(&e, 409, ErrorCode::InvalidAuthorizationCanceled, Some(&id));
    let got = raw(&fake, "DELETE", "/authorizations/NONE-0000", None).await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    let got = raw(&fake, "GET", "/authorizations/NONE-0000", None).await;
    assert_error(&got, 404, "not_found", Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn authorization_errors() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let bare = fake.seed_customers(1).remove(0);
    let e = client
        .authorizations()
        .create(authorization(&bare, 1_000, "A-0"))
        .await
        .expect_err("no facility");
    assert_api_error(
        &e,
        400,
        ErrorCode::InvalidAuthorizationCreditFacilityBalanceShortage,
        Some("1000"),
    );

    let (customer, facility) = customer_with_facility(&fake, 50_000).await?;
    let e = client
        .authorizations()
        .create(authorization(&customer, 50_001, "A-1"))
        .await
        .expect_err("over the balance");
    assert_api_error(
        &e,
        400,
        ErrorCode::InvalidAuthorizationCreditFacilityBalanceShortage,
        Some("50001"),
    );
    let first = client
        .authorizations()
        .create(authorization(&customer, 50_000, "A-1"))
        .await?;
    assert_eq!(
        client
            .credit_facilities()
            .get(&mfkessai::ids::CreditFacilityId::from(&facility))
            .await?
            .balance,
        Some(0)
    );
    let e = client
        .authorizations()
        .create(authorization(&customer, 1, "A-1"))
        .await
        .expect_err("number taken");
    assert_api_error(&e, 409, ErrorCode::AlreadyExists, Some(first.id.as_str()));
    let e = client
        .authorizations()
        .create(authorization("NONE-0000", 1, "A-2"))
        .await
        .expect_err("no customer");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));

    let post = |body: Value| {
        let fake = &fake;
        async move { raw(fake, "POST", "/authorizations", Some(body)).await }
    };
    let c = customer.as_str();
    for (body, code, param) in [
        (
            json!({"amount": 0, "customer_id": c, "number": "X"}),
            "invalid_authorization_amount",
            Some("0"),
        ),
        (
            json!({"amount": 2_147_483_648_i64, "customer_id": c, "number": "X"}),
            "invalid_authorization_amount",
            Some("2147483648"),
        ),
        (
            json!({"amount": "ten", "customer_id": c, "number": "X"}),
            "invalid_authorization_amount",
            Some("ten"),
        ),
        (
            json!({"customer_id": c, "number": "X"}),
            "invalid_authorization_amount",
            None,
        ),
        (
            json!({"amount": 1, "number": "X"}),
            "invalid_customer_id",
            None,
        ),
        (
            json!({"amount": 1, "customer_id": "", "number": "X"}),
            "invalid_customer_id",
            Some(""),
        ),
        (
            json!({"amount": 1, "customer_id": c}),
            "invalid_authorization_number",
            None,
        ),
        (
            json!({"amount": 1, "customer_id": c, "number": ""}),
            "invalid_authorization_number",
            Some(""),
        ),
        (
            json!({"amount": 1, "customer_id": c, "number": "n".repeat(101)}),
            "invalid_authorization_number",
            None,
        ),
    ] {
        assert_error(&post(body).await, 400, code, param);
    }
    let got = raw_text(&fake, "POST", "/authorizations", Some("[]".into())).await;
    assert_error(&got, 400, "invalid_json_format", None);
    Ok(())
}

#[tokio::test]
async fn authorizations_expire_with_the_clock_and_give_the_credit_back() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (customer, facility) = customer_with_facility(&fake, 100_000).await?;
    let held = client
        .authorizations()
        .create(authorization(&customer, 25_000, "EXP-1"))
        .await?;
    let id = held.id.clone();
    // Still usable on its expiration date (inclusive)…
    fake.advance_clock(chrono::Duration::days(76)); // 2026-06-16
    assert_eq!(
        client.authorizations().get(&id).await?.status,
        Some(AuthorizationStatus::Active)
    );
    // …expired the day after, and the amount is back.
    fake.advance_clock(chrono::Duration::days(1));
    let expired = client.authorizations().get(&id).await?;
    assert_eq!(expired.status, Some(AuthorizationStatus::Expired));
    assert_eq!(
        client
            .credit_facilities()
            .get(&mfkessai::ids::CreditFacilityId::from(&facility))
            .await?
            .balance,
        Some(100_000)
    );
    let e = client
        .authorizations()
        .cancel(&id)
        .await
        .expect_err("expired");
    assert_api_error(&e, 409, ErrorCode::InvalidAuthorizationExpired, Some(&id));
    Ok(())
}

#[tokio::test]
async fn authorization_list_filters() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let (a, _) = customer_with_facility(&fake, 100_000).await?;
    let (b, _) = customer_with_facility(&fake, 100_000).await?;
    let a1 = client
        .authorizations()
        .create(authorization(&a, 1_000, "N-1"))
        .await?;
    let b1 = client
        .authorizations()
        .create(authorization(&b, 1_000, "N-2"))
        .await?;
    let a2 = client
        .authorizations()
        .create(authorization(&a, 1_000, "N-3"))
        .await?;
    let id = |x: &types::Authorization| x.id.clone();
    client.authorizations().cancel(&id(&a2)).await?;

    let all = client.authorizations().list().send().await?;
    assert_eq!(
        all.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&a2), id(&b1), id(&a1)]
    );
    let of_a = client
        .authorizations()
        .list()
        .customer_id(&a)
        .send()
        .await?;
    assert_eq!(
        of_a.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&a2), id(&a1)]
    );
    let numbered = client.authorizations().list().number("N-2").send().await?;
    assert_eq!(
        numbered.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&b1)]
    );
    let canceled = client
        .authorizations()
        .list()
        .status(AuthorizationStatus::Canceled)
        .send()
        .await?;
    assert_eq!(
        canceled.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&a2)]
    );
    let active = client
        .authorizations()
        .list()
        .status(AuthorizationStatus::Active)
        .send()
        .await?;
    assert_eq!(
        active.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&b1), id(&a1)]
    );
    let at = b1.created_at;
    let from = client
        .authorizations()
        .list()
        .created_at_from(at)
        .send()
        .await?;
    assert_eq!(
        from.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&a2), id(&b1)]
    );
    let to = client
        .authorizations()
        .list()
        .created_at_to(at)
        .send()
        .await?;
    assert_eq!(
        to.items.iter().map(id).collect::<Vec<_>>(),
        vec![id(&b1), id(&a1)]
    );

    assert_error(
        &raw(&fake, "GET", "/authorizations?status=open", None).await,
        400,
        "invalid_authorization_status",
        Some("open"),
    );
    assert_error(
        &raw(&fake, "GET", "/authorizations?created_at_from=now", None).await,
        400,
        "invalid_created_at_from",
        Some("now"),
    );
    let encoded = format!(
        "/authorizations?created_at_to={}",
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00+09:00")?
            .to_rfc3339()
            .replace('+', "%2B")
    );
    let (status, body) = raw(&fake, "GET", &encoded, None).await;
    assert_eq!((status, ids(&body).len()), (200, 0));
    Ok(())
}

// ------------------------------------------------------------------ payouts

#[tokio::test]
async fn payouts_are_empty_until_seeded() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    assert!(client.payouts().list().send().await?.items.is_empty());
    assert!(client
        .payout_transactions()
        .list()
        .send()
        .await?
        .items
        .is_empty());
    assert!(client
        .payout_refunds()
        .list()
        .send()
        .await?
        .items
        .is_empty());
    Ok(())
}

#[tokio::test]
async fn seeded_payouts_list_and_get_with_filters() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let payout = |day: &str, status: PayoutStatus| types::Payout {
        amount: Some(300_800),
        payout_date: Some(date(day)),
        status: Some(status),
        type_: Some(types::PayoutType::Normal),
        ..Default::default()
    };
    let p1 = fake.seed_payout(payout("2026-04-10", PayoutStatus::Completed));
    let p2 = fake.seed_payout(payout("2026-04-20", PayoutStatus::Completed));
    let p3 = fake.seed_payout(types::Payout {
        id: "7679-YW36".into(),
        ..payout("2026-04-30", PayoutStatus::InProgress)
    });
    assert_eq!(p3, "7679-YW36");

    let got = client
        .payouts()
        .get(&mfkessai::ids::PayoutId::from(&p1))
        .await?;
    assert_eq!(Some(got.id.as_str()), Some(p1.as_str()));
    assert_eq!(got.object.as_deref(), Some("payout"));
    assert_eq!(got.uri, format!("mfk:payout:{p1}"));
    assert_eq!(got.amount, Some(300_800));
    let e = client
        .payouts()
        .get(&"NONE-0000".into())
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));

    let list = |query: &'static str| {
        let fake = &fake;
        async move {
            let got = raw(fake, "GET", &format!("/payouts{query}"), None).await;
            assert_eq!(got.0, 200, "{query}: {}", got.1);
            ids(&got.1)
        }
    };
    assert_eq!(list("").await, vec![p3.clone(), p2.clone(), p1.clone()]);
    assert_eq!(list("?status=in_progress").await, vec![p3.clone()]);
    assert_eq!(
        list("?status=completed").await,
        vec![p2.clone(), p1.clone()]
    );
    assert_eq!(
        list("?status=completed&status=in_progress").await,
        vec![p3.clone(), p2.clone(), p1.clone()]
    );
    assert_eq!(
        list("?payout_date_from=2026-04-20").await,
        vec![p3.clone(), p2.clone()]
    );
    assert_eq!(
        list("?payout_date_to=2026-04-20").await,
        vec![p2.clone(), p1.clone()]
    );
    assert_eq!(
        list("?payout_date_from=2026-04-11&payout_date_to=2026-04-29").await,
        vec![p2.clone()]
    );
    let facade = client
        .payouts()
        .list()
        .status([PayoutStatus::InProgress, PayoutStatus::Completed])
        .payout_date_from(date("2026-04-10"))
        .payout_date_to(date("2026-04-10"))
        .send()
        .await?;
    assert_eq!(facade.items.len(), 1);
    assert_eq!(Some(facade.items[0].id.as_str()), Some(p1.as_str()));
    for (query, code, param) in [
        ("status=paid", "invalid_payout_status", "paid"),
        (
            "payout_date_from=April",
            "invalid_payout_date_from",
            "April",
        ),
        (
            "payout_date_to=2026/04/01",
            "invalid_payout_date_to",
            "2026/04/01",
        ),
    ] {
        let got = raw(&fake, "GET", &format!("/payouts?{query}"), None).await;
        assert_error(&got, 400, code, Some(param));
    }

    // Seeding the same id again replaces the payout.
    fake.seed_payout(types::Payout {
        id: p3.clone(),
        ..payout("2026-04-30", PayoutStatus::Completed)
    });
    assert_eq!(
        client
            .payouts()
            .get(&mfkessai::ids::PayoutId::from(&p3))
            .await?
            .status,
        Some(PayoutStatus::Completed)
    );
    assert_eq!(list("").await.len(), 3);
    Ok(())
}

#[tokio::test]
async fn seeded_payout_transactions_and_refunds() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let p1 = fake.seed_payout(types::Payout::default());
    let p2 = fake.seed_payout(types::Payout::default());
    let t1 = fake.seed_payout_transaction(
        &p1,
        types::PayoutTransaction {
            amount: Some(10_000),
            commission_amount: Some(200),
            transaction_id: Some("GY9N-EWNM".into()),
            payout_id: Some("ignored".into()),
            ..Default::default()
        },
    );
    let t2 = fake.seed_payout_transaction(&p2, types::PayoutTransaction::default());
    let got = client
        .payout_transactions()
        .get(&mfkessai::ids::PayoutTransactionId::from(&t1))
        .await?;
    assert_eq!(got.payout_id.as_deref(), Some(p1.as_str()));
    assert_eq!(got.object.as_deref(), Some("payout_transaction"));
    assert_eq!(got.uri, format!("mfk:payout_transaction:{t1}"));
    assert_eq!(got.amount, Some(10_000));
    let e = client
        .payout_transactions()
        .get(&"NONE-0000".into())
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    let all = client.payout_transactions().list().send().await?;
    assert_eq!(all.items.len(), 2);
    assert_eq!(Some(all.items[0].id.as_str()), Some(t2.as_str()));
    let of_p1 = client
        .payout_transactions()
        .list()
        .payout_id(&p1)
        .send()
        .await?;
    assert_eq!(of_p1.items.len(), 1);
    assert_eq!(Some(of_p1.items[0].id.as_str()), Some(t1.as_str()));

    let r1 = fake.seed_payout_refund(
        &p2,
        types::PayoutRefund {
            amount: Some(10_000),
            commission_amount: Some(100),
            customer_id: Some("W463-AA6V".into()),
            ..Default::default()
        },
    );
    fake.seed_payout_refund(&p1, types::PayoutRefund::default());
    let of_p2 = client.payout_refunds().list().payout_id(&p2).send().await?;
    assert_eq!(of_p2.items.len(), 1);
    let refund = &of_p2.items[0];
    assert_eq!(Some(refund.id.as_str()), Some(r1.as_str()));
    assert_eq!(Some(refund.object.as_str()), Some("payout_refund"));
    assert_eq!(refund.uri, format!("mfk:payout_refund:{r1}"));
    assert_eq!(refund.commission_amount, Some(100));
    assert_eq!(client.payout_refunds().list().send().await?.items.len(), 2);
    let empty = client
        .payout_refunds()
        .list()
        .payout_id("NONE-0000")
        .send()
        .await?;
    assert!(empty.items.is_empty());
    // Refunds have no get-by-id operation.
    let got = raw(&fake, "GET", &format!("/payout_refunds/{r1}"), None).await;
    assert_eq!(got.0, 404);
    Ok(())
}
