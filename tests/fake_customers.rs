#![cfg(feature = "testing")]
//! FakeKessai: customers (writes), destinations and customer name updates,
//! end to end through the facade, and through plain HTTP for the invalid
//! input the facade would refuse before sending.

mod common;

use common::fake::{assert_api_error, assert_error, raw, raw_text, TestResult};
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use mfkessai::{
    raw::types::{self, BankTransferType, CustomerNameUpdateStatus},
    testing::{FakeKessai, Fault},
    ErrorCode,
};
use serde_json::{json, Value};

fn customer_body(number: &str) -> Value {
    json!({
        "name": "サンプル顧客",
        "number": number,
        "destination": {
            "address1": "東京都千代田区1-2-3",
            "address2": "サンプルビル3F",
            "cc_emails": ["cc1@example.com", "cc2@example.com"],
            "department": "経理部",
            "email": "billing@example.com",
            "name": "担当 太郎",
            "name_kana": "タントウ タロウ",
            "tel": "03-1234-5678",
            "title": "部長",
            "zip_code": "111-1111"
        }
    })
}

fn customer_payload(number: &str) -> types::CustomerPayload {
    serde_json::from_value(customer_body(number)).expect("valid payload")
}

fn destination_body(customer_id: &str) -> Value {
    json!({
        "customer_id": customer_id,
        "address1": "大阪府大阪市北区1-1",
        "address2": "梅田ビル5F",
        "cc_emails": ["a@example.com", "b@example.com"],
        "department": "総務部",
        "email": "osaka@example.com",
        "name": "大阪 花子",
        "name_kana": "オオサカ ハナコ",
        "tel": "06-1234-5678",
        "title": "課長",
        "zip_code": "530-0001"
    })
}

fn destination_payload(customer_id: &str) -> types::DestinationPayload {
    serde_json::from_value(destination_body(customer_id)).expect("valid payload")
}

fn update_body() -> Value {
    json!({
        "address1": "福岡県福岡市中央区2-2",
        "email": "fukuoka@example.com",
        "tel": "092-123-4567",
        "zip_code": "810-0001"
    })
}

// ------------------------------------------------------------- customers

#[tokio::test]
async fn create_customer_returns_the_customer_and_its_first_destination() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let created = client.customers().create(customer_payload("C-1")).await?;
    let customer = created.customer;
    let destination = created.destination;
    let id = customer.id.clone();
    assert_eq!(Some(customer.name.as_str()), Some("サンプル顧客"));
    assert_eq!(Some(customer.number.as_str()), Some("C-1"));
    assert_eq!(Some(customer.object.as_str()), Some("customer"));
    assert_eq!(customer.has_alert, Some(false));
    assert_eq!(customer.uri, format!("mfk:customer:{id}"));
    // No transfer account before one is assigned: only `object`.
    let method = customer.payment_method.clone().expect("payment_method");
    let bank = method.bank_transfer.expect("bank_transfer");
    assert_eq!(Some(bank.object.as_str()), Some("bank_transfer"));
    assert_eq!(bank.account_number, None);
    assert!(method.account_transfer.is_none());

    assert_eq!(Some(destination.customer_id.as_str()), Some(id.as_str()));
    assert_eq!(Some(destination.object.as_str()), Some("destination"));
    assert_eq!(destination.address2.as_deref(), Some("サンプルビル3F"));
    assert_eq!(destination.cc_emails.len(), 2);
    assert_eq!(destination.name_kana.as_deref(), Some("タントウ タロウ"));
    let did = destination.id.clone();
    assert_eq!(destination.uri, format!("mfk:destination:{did}"));

    assert_eq!(client.customers().get(&id).await?, customer);
    assert_eq!(client.destinations().get(&did).await?, destination);
    let page = client.customers().list().number("C-1").send().await?;
    assert_eq!(page.items, vec![customer]);
    Ok(())
}

#[tokio::test]
async fn create_customer_validates_every_documented_field() -> TestResult {
    let fake = FakeKessai::start().await?;
    let post = |body: Value| {
        let fake = &fake;
        async move { raw(fake, "POST", "/customers", Some(body)).await }
    };

    let mut body = customer_body("V-1");
    body.as_object_mut().unwrap().remove("name");
    assert_error(&post(body).await, 400, "invalid_customer_name", None);

    let mut body = customer_body("V-1");
    body["name"] = json!("あ".repeat(51));
    assert_error(
        &post(body).await,
        400,
        "invalid_customer_name",
        Some(&"あ".repeat(51)),
    );
    let mut body = customer_body("V-1");
    body["name"] = json!("");
    assert_error(&post(body).await, 400, "invalid_customer_name", Some(""));

    let mut body = customer_body("V-1");
    body.as_object_mut().unwrap().remove("number");
    assert_error(&post(body).await, 400, "invalid_customer_number", None);
    let long = "N".repeat(101);
    let mut body = customer_body(&long);
    assert_error(
        &post(body.clone()).await,
        400,
        "invalid_customer_number",
        Some(&long),
    );
    body["number"] = json!("N".repeat(100));
    body["name"] = json!("あ".repeat(50));
    assert_eq!(post(body).await.0, 200, "both upper bounds are allowed");

    let mut body = customer_body("V-2");
    body.as_object_mut().unwrap().remove("destination");
    assert_error(&post(body).await, 400, "invalid_customer_destination", None);
    let mut body = customer_body("V-2");
    body["destination"] = json!("東京都");
    assert_error(&post(body).await, 400, "invalid_customer_destination", None);

    for (field, code) in [
        ("address1", "invalid_destination_address1"),
        ("email", "invalid_destination_email"),
        ("tel", "invalid_destination_tel"),
        ("zip_code", "invalid_destination_zip_code"),
    ] {
        let mut body = customer_body("V-2");
        body["destination"].as_object_mut().unwrap().remove(field);
        assert_error(&post(body).await, 400, code, None);
        let mut body = customer_body("V-2");
        body["destination"][field] = json!("");
        assert_error(&post(body).await, 400, code, Some(""));
    }
    for (field, max, code) in [
        ("address1", 100, "invalid_destination_address1"),
        ("address2", 100, "invalid_destination_address2"),
        ("department", 50, "invalid_destination_department"),
        ("name", 30, "invalid_destination_name"),
        ("name_kana", 60, "invalid_destination_name_kana"),
        ("title", 30, "invalid_destination_title"),
    ] {
        let mut body = customer_body("V-2");
        body["destination"][field] = json!("ア".repeat(max + 1));
        assert_error(&post(body).await, 400, code, Some(&"ア".repeat(max + 1)));
    }
    let mut body = customer_body("V-2");
    body["destination"]["tel"] = json!("0800-123-4567");
    assert_error(
        &post(body).await,
        400,
        "invalid_destination_tel",
        Some("0800-123-4567"),
    );
    let mut body = customer_body("V-2");
    body["destination"]["email"] = json!("nobody");
    assert_error(
        &post(body).await,
        400,
        "invalid_destination_email",
        Some("nobody"),
    );
    let mut body = customer_body("V-2");
    body["destination"]["cc_emails"] = json!(["a@x.jp", "b@x.jp", "c@x.jp", "d@x.jp", "e@x.jp"]);
    assert_error(
        &post(body).await,
        400,
        "invalid_destination_cc_emails",
        Some("5"),
    );

    assert_error(
        &raw_text(&fake, "POST", "/customers", Some("{\"name\":".into())).await,
        400,
        "invalid_json_format",
        None,
    );
    assert_error(&post(json!([1, 2])).await, 400, "invalid_json_format", None);

    // Nothing but the one valid request was created.
    assert_eq!(
        fake.client()?.customers().list().send().await?.total,
        Some(1)
    );
    Ok(())
}

#[tokio::test]
async fn a_taken_number_is_a_conflict_naming_the_existing_customer() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let first = client.customers().create(customer_payload("DUP")).await?;
    let first_id = first.customer.id;
    let e = client
        .customers()
        .create(customer_payload("DUP"))
        .await
        .expect_err("409");
    assert!(e.is_conflict());
    assert_api_error(&e, 409, ErrorCode::AlreadyExists, Some(&first_id));
    assert_eq!(client.customers().list().send().await?.total, Some(1));
    Ok(())
}

#[tokio::test]
async fn create_idempotent_finds_the_customer_an_ambiguous_failure_created() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    fake.inject(Fault::ProcessThenStatus(503), 1);
    let created = client
        .customers()
        .create_idempotent(customer_payload("IDEM-1"))
        .await?;
    let customer = created.customer;
    assert_eq!(Some(customer.number.as_str()), Some("IDEM-1"));
    assert_eq!(created.destination.customer_id, customer.id.clone());
    assert_eq!(client.customers().list().send().await?.total, Some(1));
    Ok(())
}

#[tokio::test]
async fn an_invalid_examination_section_creates_nothing() -> TestResult {
    let fake = FakeKessai::start().await?;
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({ "amount": 150_000_001 });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_amount",
        Some("150000001"),
    );
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({ "amount": -1 });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_amount",
        Some("-1"),
    );
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({
        "examinee": { "zip_code": "111-1111", "address1": "東京都千代田区1-2-3", "email": "e@example.com" }
    });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_tel",
        None,
    );
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({ "corporate_number": "12345" });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_corporate_number",
        Some("12345"),
    );
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({ "business_type": "company" });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_business_type",
        Some("company"),
    );
    let mut body = customer_body("EX-1");
    body["customer_examination"] = json!({ "remark": "x".repeat(501) });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_remark",
        None,
    );
    let (status, list) = raw(&fake, "GET", "/customers", None).await;
    assert_eq!(
        (status, list["pagination"]["total"].clone()),
        (200, json!(0))
    );
    let (_, list) = raw(&fake, "GET", "/destinations", None).await;
    assert_eq!(list["pagination"]["total"], 0);
    Ok(())
}

/// The automatic examinations of a customer, newest first, or `None` while
/// the examinations area answers that it is not implemented.
async fn auto_examinations(
    fake: &FakeKessai,
    body: Value,
) -> Result<
    Option<(
        types::CreateCustomerResponse,
        Vec<types::CustomerExamination>,
    )>,
    Box<dyn std::error::Error>,
> {
    let (status, created) = raw(fake, "POST", "/customers", Some(body)).await;
    if status == 400 && created[0]["message"] == "examinations are not implemented yet" {
        // The refused request must have left nothing behind.
        let (_, list) = raw(fake, "GET", "/customers", None).await;
        assert_eq!(list["pagination"]["total"], 0);
        eprintln!("skipped: customer examinations are not implemented yet");
        return Ok(None);
    }
    assert_eq!(status, 200, "{created}");
    let created: types::CreateCustomerResponse = serde_json::from_value(created)?;
    let customer_id = created.customer.id.clone();
    let (status, list) = raw(
        fake,
        "GET",
        &format!("/customer_examinations?customer_id={customer_id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let list: types::CustomerExaminationsList = serde_json::from_value(list)?;
    Ok(Some((created, list.items)))
}

#[tokio::test]
async fn the_examination_section_requests_an_automatic_examination() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let mut body = customer_body("AUTO-1");
    body["customer_examination"] = json!({
        "amount": 20000,
        "initial_amount": 50000,
        "business_type": "corporate",
        "corporate_number": "1234567890123",
        "remark": "__passed__",
        "representative_name": "代表太郎",
        "examinee": {
            "zip_code": "222-2222",
            "address1": "神奈川県横浜市1-1",
            "email": "examinee@example.com",
            "tel": "045-123-4567"
        }
    });
    let Some((created, examinations)) = auto_examinations(&fake, body).await? else {
        return Ok(());
    };
    let customer = created.customer;
    assert_eq!(examinations.len(), 1, "{examinations:?}");
    let examination = &examinations[0];
    assert_eq!(
        examination.type_,
        Some(types::CustomerExaminationType::Auto)
    );
    assert_eq!(
        examination.status,
        Some(types::CustomerExaminationStatus::Passed)
    );
    assert_eq!(examination.amount, 20000);
    assert_eq!(Some(examination.zip_code.as_str()), Some("222-2222"));
    assert_eq!(
        Some(examination.email.as_str()),
        Some("examinee@example.com")
    );
    assert_eq!(examination.representative_name.as_deref(), Some("代表太郎"));
    // This month's facility: 2026-04-01 to 2026-04-30 on the fake's clock.
    assert_eq!(
        examination.start_date,
        chrono::NaiveDate::from_ymd_opt(2026, 4, 1)
    );
    assert_eq!(
        Some(examination.end_date),
        chrono::NaiveDate::from_ymd_opt(2026, 4, 30)
    );
    // The response shows the customer as it is after the examination.
    assert_eq!(client.customers().get(&customer.id).await?, customer);

    // No examinee: the first destination's contact; no amount (or 0): the
    // seller's flat amount.
    let mut body = customer_body("AUTO-2");
    body["customer_examination"] = json!({ "amount": 0, "remark": "__unexamined__" });
    let Some((_, examinations)) = auto_examinations(&fake, body).await? else {
        return Ok(());
    };
    let examination = &examinations[0];
    assert_eq!(
        examination.status,
        Some(types::CustomerExaminationStatus::Unexamined)
    );
    assert_eq!(examination.amount, 100_000);
    assert_eq!(Some(examination.zip_code.as_str()), Some("111-1111"));
    assert_eq!(
        Some(examination.email.as_str()),
        Some("billing@example.com")
    );
    assert_eq!(Some(examination.tel.as_str()), Some("03-1234-5678"));
    assert_eq!(examination.address2.as_deref(), Some("サンプルビル3F"));

    // Refused by the examination after the customer was stored: rolled back.
    let mut body = customer_body("AUTO-3");
    body["customer_examination"] = json!({
        "examinee": {
            "zip_code": "222-2222",
            "address1": "神奈川県横浜市1-1",
            "email": "nobody",
            "tel": "045-123-4567"
        }
    });
    assert_error(
        &raw(&fake, "POST", "/customers", Some(body)).await,
        400,
        "invalid_customer_examination_email",
        Some("nobody"),
    );
    assert!(client
        .customers()
        .list()
        .number("AUTO-3")
        .send()
        .await?
        .items
        .is_empty());
    assert_eq!(client.customers().list().send().await?.total, Some(2));
    assert_eq!(client.destinations().list().send().await?.total, Some(2));
    // The number is free again.
    let mut body = customer_body("AUTO-3");
    body["customer_examination"] = json!({ "remark": "__rejected__" });
    let Some((created, examinations)) = auto_examinations(&fake, body).await? else {
        return Ok(());
    };
    assert_eq!(
        examinations[0].status,
        Some(types::CustomerExaminationStatus::Rejected)
    );
    let customer = created.customer;
    assert_eq!(client.customers().get(&customer.id).await?, customer);
    Ok(())
}

#[tokio::test]
async fn update_customer_changes_only_the_number() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(2);
    let updated = client
        .customers()
        .update(&ids[0], types::CustomerUpdatePayload::new().number("NEW-1"))
        .await?;
    assert_eq!(Some(updated.number.as_str()), Some("NEW-1"));
    assert_eq!(Some(updated.name.as_str()), Some("顧客 1"));
    assert_eq!(client.customers().get(&ids[0]).await?, updated);

    // Absent or empty: not updated. Other fields are not updatable.
    let path = format!("/customers/{}", ids[0]);
    let (status, body) = raw(
        &fake,
        "PATCH",
        &path,
        Some(json!({ "number": "", "name": "x" })),
    )
    .await;
    assert_eq!(
        (status, body["number"].clone(), body["name"].clone()),
        (200, json!("NEW-1"), json!("顧客 1"))
    );
    let (status, body) = raw(&fake, "PATCH", &path, Some(json!({}))).await;
    assert_eq!((status, body["number"].clone()), (200, json!("NEW-1")));
    // Its own number again is fine.
    let (status, _) = raw(&fake, "PATCH", &path, Some(json!({ "number": "NEW-1" }))).await;
    assert_eq!(status, 200);

    let long = "9".repeat(101);
    assert_error(
        &raw(&fake, "PATCH", &path, Some(json!({ "number": long }))).await,
        400,
        "invalid_customer_number",
        Some(&long),
    );
    assert_error(
        &raw(
            &fake,
            "PATCH",
            &path,
            Some(json!({ "number": "CUSTOMER-2" })),
        )
        .await,
        400,
        "invalid_customer_number",
        Some("CUSTOMER-2"),
    );
    assert_error(
        &raw(&fake, "PATCH", &path, Some(json!({ "number": 12 }))).await,
        400,
        "invalid_json_format",
        None,
    );
    let e = client
        .customers()
        .update(
            &mfkessai::ids::CustomerId::from("NONE-0000"),
            types::CustomerUpdatePayload::default(),
        )
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn bank_transfer_accounts_are_assigned_once() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(3);
    let account = client.customers().assign_bank_transfer(&ids[0]).await?;
    assert_eq!(Some(account.object.as_str()), Some("bank_transfer"));
    assert_eq!(account.type_, Some(BankTransferType::Current));
    // Half-width, as banks write it; the reference's `マネ-フオワ-ドケツサイ(カ`
    // is its width-normalised rendering (see the fake's fake_account).
    assert_eq!(account.holder_name.as_deref(), Some("ﾏﾈ-ﾌｵﾜ-ﾄﾞｹﾂｻｲ(ｶ"));
    assert!(account
        .account_number
        .as_deref()
        .is_some_and(|n| n.len() == 8));
    assert!(account.bank_code.is_some() && account.branch_code.is_some());
    let customer = client.customers().get(&ids[0]).await?;
    assert_eq!(
        customer.payment_method.and_then(|p| p.bank_transfer),
        Some(account.clone())
    );

    let e = client
        .customers()
        .assign_bank_transfer(&ids[0])
        .await
        .expect_err("409");
    assert!(e.is_conflict(), "{e}");

    let other = client.customers().assign_bank_transfer(&ids[1]).await?;
    assert_ne!(other.account_number, account.account_number);

    fake.set_account_transfer(&ids[2])?;
    let e = client
        .customers()
        .assign_bank_transfer(&ids[2])
        .await
        .expect_err("409");
    assert!(e.is_conflict(), "{e}");

    let e = client
        .customers()
        .assign_bank_transfer(&mfkessai::ids::CustomerId::from("NONE-0000"))
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

fn account_transfer_payload() -> types::AccountTransferRequestPayload {
    serde_json::from_value(json!({
        "zip_code": "111-1111",
        "address1": "東京都千代田区1-2-3",
        "address2": "サンプルビル3F",
        "department": "経理部",
        "title": "部長",
        "name": "担当 太郎",
        "tel": "03-1234-5678",
        "email": "billing@example.com"
    }))
    .expect("valid payload")
}

#[tokio::test]
async fn account_transfer_requests_echo_the_address_once_an_hour() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(2);
    let request = client
        .customers()
        .request_account_transfer(&ids[0], account_transfer_payload())
        .await?;
    assert_eq!(
        Some(request.object.as_str()),
        Some("account_transfer_request")
    );
    assert_eq!(Some(request.zip_code.as_str()), Some("111-1111"));
    assert_eq!(request.address2.as_deref(), Some("サンプルビル3F"));
    assert_eq!(Some(request.email.as_str()), Some("billing@example.com"));
    assert_eq!(request.name.as_deref(), Some("担当 太郎"));

    // Within the hour: 409, for this customer only.
    fake.advance_clock(chrono::Duration::seconds(3599));
    let e = client
        .customers()
        .request_account_transfer(&ids[0], account_transfer_payload())
        .await
        .expect_err("409");
    assert!(e.is_conflict(), "{e}");
    client
        .customers()
        .request_account_transfer(&ids[1], account_transfer_payload())
        .await?;
    // One hour after the first: allowed again.
    fake.advance_clock(chrono::Duration::seconds(1));
    client
        .customers()
        .request_account_transfer(&ids[0], account_transfer_payload())
        .await?;

    let e = client
        .customers()
        .request_account_transfer(
            &mfkessai::ids::CustomerId::from("NONE-0000"),
            account_transfer_payload(),
        )
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));

    // A customer already on account transfer: the request is unavailable.
    fake.set_account_transfer(&ids[1])?;
    fake.advance_clock(chrono::Duration::hours(2));
    let e = client
        .customers()
        .request_account_transfer(&ids[1], account_transfer_payload())
        .await
        .expect_err("412");
    assert_eq!(e.status(), Some(412), "{e}");
    Ok(())
}

#[tokio::test]
async fn account_transfer_requests_are_validated() -> TestResult {
    let fake = FakeKessai::start().await?;
    let id = fake.seed_customers(1).remove(0);
    let path = format!("/customers/{id}/account_transfer_request");
    let base = serde_json::to_value(account_transfer_payload())?;
    for (field, code) in [
        ("zip_code", "invalid_destination_zip_code"),
        ("address1", "invalid_destination_address1"),
        ("tel", "invalid_destination_tel"),
        ("email", "invalid_destination_email"),
    ] {
        let mut body = base.clone();
        body.as_object_mut().unwrap().remove(field);
        assert_error(
            &raw(&fake, "POST", &path, Some(body)).await,
            400,
            code,
            None,
        );
        let mut body = base.clone();
        body[field] = json!("");
        assert_error(
            &raw(&fake, "POST", &path, Some(body)).await,
            400,
            code,
            Some(""),
        );
    }
    for (field, value, code) in [
        ("tel", "0570-123-456", "invalid_destination_tel"),
        ("zip_code", "11-11111", "invalid_destination_zip_code"),
        ("email", "billing", "invalid_destination_email"),
    ] {
        let mut body = base.clone();
        body[field] = json!(value);
        assert_error(
            &raw(&fake, "POST", &path, Some(body)).await,
            400,
            code,
            Some(value),
        );
    }
    for (field, max, code) in [
        ("address1", 100, "invalid_destination_address1"),
        ("address2", 100, "invalid_destination_address2"),
        ("department", 50, "invalid_destination_department"),
        ("title", 30, "invalid_destination_title"),
        ("name", 30, "invalid_destination_name"),
    ] {
        let mut body = base.clone();
        body[field] = json!("x".repeat(max + 1));
        assert_error(
            &raw(&fake, "POST", &path, Some(body)).await,
            400,
            code,
            None,
        );
        let mut body = base.clone();
        body[field] = json!("x".repeat(max));
        let got = raw(&fake, "POST", &path, Some(body)).await;
        // Valid: either accepted or (after the first success) throttled.
        assert!(got.0 == 200 || got.0 == 409, "{got:?}");
    }
    Ok(())
}

// ---------------------------------------------------------- destinations

#[tokio::test]
async fn destinations_are_added_and_duplicates_name_the_existing_one() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(2);
    let created = client
        .destinations()
        .create(destination_payload(&ids[0]))
        .await?;
    let id = created.id.clone();
    assert_eq!(Some(created.customer_id.as_str()), Some(ids[0].as_str()));
    assert_eq!(Some(created.object.as_str()), Some("destination"));
    assert_eq!(created.title.as_deref(), Some("課長"));
    assert_eq!(created.uri, format!("mfk:destination:{id}"));
    assert_eq!(client.destinations().get(&id).await?, created);

    // The same information again: 409 already_exists with the existing id.
    let e = client
        .destinations()
        .create(destination_payload(&ids[0]))
        .await
        .expect_err("409");
    assert_api_error(&e, 409, ErrorCode::AlreadyExists, Some(&id));
    assert_eq!(e.existing_destination_id(), Some(id.as_str()));
    assert_eq!(
        client
            .destinations()
            .create_or_get(destination_payload(&ids[0]))
            .await?,
        created
    );
    // The cc list in another order is the same information.
    let mut body = destination_body(&ids[0]);
    body["cc_emails"] = json!(["b@example.com", "a@example.com"]);
    assert_error(
        &raw(&fake, "POST", "/destinations", Some(body)).await,
        409,
        "already_exists",
        Some(&id),
    );
    // One field different: a new destination; the same one for another
    // customer: a new destination too.
    let mut other = destination_payload(&ids[0]);
    other.name = Some("大阪 次郎".into());
    let second = client.destinations().create(other).await?;
    assert_ne!(second.id, created.id);
    client
        .destinations()
        .create(destination_payload(&ids[1]))
        .await?;
    // An absent optional field equals an empty one.
    let mut sparse = destination_payload(&ids[1]);
    sparse.title = None;
    let sparse_created = client.destinations().create(sparse).await?;
    let mut body = destination_body(&ids[1]);
    body["title"] = json!("");
    assert_error(
        &raw(&fake, "POST", "/destinations", Some(body)).await,
        409,
        "already_exists",
        Some(sparse_created.id.as_str()),
    );

    let e = client
        .destinations()
        .create(destination_payload("NONE-0000"))
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    let e = client
        .destinations()
        .get(&mfkessai::ids::DestinationId::from("NONE-0000"))
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn create_destination_validates_every_documented_field() -> TestResult {
    let fake = FakeKessai::start().await?;
    let customer = fake.seed_customers(1).remove(0);
    let base = destination_body(&customer);
    for (field, code) in [
        ("customer_id", "invalid_customer_id"),
        ("address1", "invalid_destination_address1"),
        ("email", "invalid_destination_email"),
        ("tel", "invalid_destination_tel"),
        ("zip_code", "invalid_destination_zip_code"),
    ] {
        let mut body = base.clone();
        body.as_object_mut().unwrap().remove(field);
        assert_error(
            &raw(&fake, "POST", "/destinations", Some(body)).await,
            400,
            code,
            None,
        );
        let mut body = base.clone();
        body[field] = json!("");
        assert_error(
            &raw(&fake, "POST", "/destinations", Some(body)).await,
            400,
            code,
            Some(""),
        );
    }
    for (field, max, code) in [
        ("address1", 100, "invalid_destination_address1"),
        ("address2", 100, "invalid_destination_address2"),
        ("department", 50, "invalid_destination_department"),
        ("name", 30, "invalid_destination_name"),
        ("name_kana", 60, "invalid_destination_name_kana"),
        ("title", 30, "invalid_destination_title"),
        ("email", 255, "invalid_destination_email"),
    ] {
        let mut body = base.clone();
        body[field] = json!("x".repeat(max + 1));
        assert_error(
            &raw(&fake, "POST", "/destinations", Some(body)).await,
            400,
            code,
            Some(&"x".repeat(max + 1)),
        );
    }
    for (field, value, code) in [
        (
            "email",
            json!("billing.example.com"),
            "invalid_destination_email",
        ),
        (
            "email",
            json!("billing@localhost"),
            "invalid_destination_email",
        ),
        (
            "cc_emails",
            json!(["ok@example.com", "ng"]),
            "invalid_destination_cc_emails",
        ),
        ("tel", json!("0570-123-456"), "invalid_destination_tel"),
        ("tel", json!("0800-123-4567"), "invalid_destination_tel"),
        ("tel", json!("03-1234"), "invalid_destination_tel"),
        ("tel", json!("03--1234-5678"), "invalid_destination_tel"),
        ("zip_code", json!("111-111"), "invalid_destination_zip_code"),
        (
            "zip_code",
            json!("1111-111"),
            "invalid_destination_zip_code",
        ),
        (
            "name_kana",
            json!("たんとう たろう"),
            "invalid_destination_name_kana",
        ),
    ] {
        let mut body = base.clone();
        let param = match &value {
            Value::Array(items) => items[1].as_str().unwrap_or("").to_string(),
            other => other.as_str().unwrap_or("").to_string(),
        };
        body[field] = value;
        assert_error(
            &raw(&fake, "POST", "/destinations", Some(body)).await,
            400,
            code,
            Some(&param),
        );
    }
    // The other accepted forms: no hyphens, 11 digits, full-width space.
    let mut body = base.clone();
    body["tel"] = json!("09012345678");
    body["zip_code"] = json!("5300001");
    body["name_kana"] = json!("オオサカ\u{3000}ハナコ");
    assert_eq!(raw(&fake, "POST", "/destinations", Some(body)).await.0, 200);
    // Formats are checked before the customer is looked up.
    let mut body = destination_body("NONE-0000");
    body["tel"] = json!("0570-123-456");
    assert_error(
        &raw(&fake, "POST", "/destinations", Some(body)).await,
        400,
        "invalid_destination_tel",
        Some("0570-123-456"),
    );

    let mut body = base.clone();
    body["cc_emails"] = json!(["1@x.jp", "2@x.jp", "3@x.jp", "4@x.jp", "5@x.jp"]);
    assert_error(
        &raw(&fake, "POST", "/destinations", Some(body)).await,
        400,
        "invalid_destination_cc_emails",
        Some("5"),
    );
    let mut body = base.clone();
    body["cc_emails"] = json!(["1@x.jp", "2@x.jp", "3@x.jp", "4@x.jp"]);
    assert_eq!(raw(&fake, "POST", "/destinations", Some(body)).await.0, 200);
    Ok(())
}

#[tokio::test]
async fn update_destination_replaces_every_field() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let created = client
        .destinations()
        .create(destination_payload(&customer))
        .await?;
    let id = created.id.clone();
    let payload: types::DestinationUpdatePayload = serde_json::from_value(update_body())?;
    let updated = client.destinations().update(&id, payload.clone()).await?;
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.customer_id, created.customer_id);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(updated.uri, created.uri);
    assert_eq!(
        Some(updated.address1.as_str()),
        Some("福岡県福岡市中央区2-2")
    );
    assert_eq!(Some(updated.email.as_str()), Some("fukuoka@example.com"));
    // Omitted optional fields are cleared.
    assert_eq!(updated.address2, None);
    assert_eq!(updated.name, None);
    assert!(updated.cc_emails.is_empty());
    assert_eq!(client.destinations().get(&id).await?, updated);
    // The same content again (itself): fine.
    assert_eq!(client.destinations().update(&id, payload).await?, updated);

    // Making it identical to another destination of the customer: 409 with
    // that one's id.
    let other = client
        .destinations()
        .create(destination_payload(&customer))
        .await?;
    let other_id = other.id.clone();
    let mut body = destination_body(&customer);
    body.as_object_mut().unwrap().remove("customer_id");
    assert_error(
        &raw(&fake, "PUT", &format!("/destinations/{id}"), Some(body)).await,
        409,
        "already_exists",
        Some(&other_id),
    );

    let mut body = update_body();
    body.as_object_mut().unwrap().remove("email");
    assert_error(
        &raw(&fake, "PUT", &format!("/destinations/{id}"), Some(body)).await,
        400,
        "invalid_destination_email",
        None,
    );
    let mut body = update_body();
    body["zip_code"] = json!("810");
    assert_error(
        &raw(&fake, "PUT", &format!("/destinations/{id}"), Some(body)).await,
        400,
        "invalid_destination_zip_code",
        Some("810"),
    );
    let mut body = update_body();
    body["name"] = json!("x".repeat(31));
    assert_error(
        &raw(&fake, "PUT", &format!("/destinations/{id}"), Some(body)).await,
        400,
        "invalid_destination_name",
        None,
    );
    assert_error(
        &raw(&fake, "PUT", "/destinations/NONE-0000", Some(update_body())).await,
        404,
        "not_found",
        Some("NONE-0000"),
    );
    Ok(())
}

#[tokio::test]
async fn destinations_filter_by_customer_and_creation_time() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(3);
    let extra = client
        .destinations()
        .create(destination_payload(&ids[0]))
        .await?;
    let all = client.destinations().list().send().await?;
    assert_eq!(all.total, Some(4));
    assert_eq!(all.items[0], extra, "newest first");

    let mine = client
        .destinations()
        .list()
        .customer_id(&ids[0])
        .send()
        .await?;
    assert_eq!(mine.total, Some(2));
    assert!(mine
        .items
        .iter()
        .all(|d| Some(d.customer_id.as_str()) == Some(ids[0].as_str())));
    let by_number = client
        .destinations()
        .list()
        .customer_number("CUSTOMER-1")
        .send()
        .await?;
    assert_eq!(by_number.items, mine.items);
    let mismatched = client
        .destinations()
        .list()
        .customer_id(&ids[1])
        .customer_number("CUSTOMER-1")
        .send()
        .await?;
    assert_eq!(mismatched.total, Some(0));
    let unknown = client
        .destinations()
        .list()
        .customer_number("NO-SUCH")
        .send()
        .await?;
    assert_eq!(unknown.total, Some(0));

    // Both bounds are inclusive.
    let middle = all.items[2].created_at;
    let from = client
        .destinations()
        .list()
        .created_at_from(middle)
        .send()
        .await?;
    assert_eq!(from.total, Some(3));
    let to = client
        .destinations()
        .list()
        .created_at_to(middle)
        .send()
        .await?;
    assert_eq!(to.total, Some(2));
    let exactly = client
        .destinations()
        .list()
        .created_at_from(middle)
        .created_at_to(middle)
        .send()
        .await?;
    assert_eq!(exactly.items, vec![all.items[2].clone()]);

    assert_error(
        &raw(
            &fake,
            "GET",
            "/destinations?created_at_from=yesterday",
            None,
        )
        .await,
        400,
        "invalid_created_at_from",
        Some("yesterday"),
    );
    assert_error(
        &raw(&fake, "GET", "/destinations?created_at_to=2026-13-01", None).await,
        400,
        "invalid_created_at_to",
        Some("2026-13-01"),
    );
    assert_error(
        &raw(&fake, "GET", "/destinations?limit=201", None).await,
        400,
        "invalid_limit",
        Some("201"),
    );
    let page = client.destinations().list().page_size(3).send().await?;
    let next = client
        .destinations()
        .list()
        .starting_after(page.next_cursor().expect("more"))
        .send()
        .await?;
    assert_eq!(next.items, vec![all.items[3].clone()]);
    Ok(())
}

// ------------------------------------------------ customer name updates

fn name_update(customer_id: &str, name: &str) -> types::CustomerNameUpdatePayload {
    types::CustomerNameUpdatePayload::new(customer_id, name, "社名変更のため")
}

#[tokio::test]
async fn name_updates_wait_for_a_decision() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(2);
    let request = client
        .customer_name_updates()
        .create(name_update(&ids[0], "新社名株式会社"))
        .await?;
    let id = request.id.clone();
    assert_eq!(request.status, Some(CustomerNameUpdateStatus::Unexamined));
    assert_eq!(Some(request.object.as_str()), Some("customer_name_update"));
    assert_eq!(Some(request.name.as_str()), Some("新社名株式会社"));
    assert_eq!(Some(request.reason.as_str()), Some("社名変更のため"));
    assert_eq!(request.uri, format!("mfk:customer_name_update:{id}"));
    assert_eq!(client.customer_name_updates().get(&id).await?, request);
    // Time alone decides nothing.
    fake.advance_clock(chrono::Duration::days(10));
    assert_eq!(client.customer_name_updates().get(&id).await?, request);

    // One under examination per customer.
    let e = client
        .customer_name_updates()
        .create(name_update(&ids[0], "別名株式会社"))
        .await
        .expect_err("409");
    assert_api_error(
        &e,
        409,
        ErrorCode::InvalidCustomerNameUpdateUnderExamination,
        Some(&ids[0]),
    );
    client
        .customer_name_updates()
        .create(name_update(&ids[1], "他社株式会社"))
        .await?;

    let decided = fake.decide_customer_name_update(&id, true)?;
    assert_eq!(decided.status, Some(CustomerNameUpdateStatus::Passed));
    assert_eq!(client.customer_name_updates().get(&id).await?, decided);
    let customer = client.customers().get(&ids[0]).await?;
    assert_eq!(Some(customer.name.as_str()), Some("新社名株式会社"));

    // Decided: cannot be canceled or decided again; a new request is fine.
    let e = client
        .customer_name_updates()
        .cancel(&id)
        .await
        .expect_err("409");
    assert!(e.is_conflict(), "{e}");
    let e = fake
        .decide_customer_name_update(&id, false)
        .expect_err("409");
    assert_eq!(e.status(), Some(409));
    let again = client
        .customer_name_updates()
        .create(name_update(&ids[0], "再変更株式会社"))
        .await?;
    let rejected = fake.decide_customer_name_update(again.id.as_str(), false)?;
    assert_eq!(rejected.status, Some(CustomerNameUpdateStatus::Rejected));
    let customer = client.customers().get(&ids[0]).await?;
    assert_eq!(
        Some(customer.name.as_str()),
        Some("新社名株式会社"),
        "a rejection renames nothing"
    );

    let e = fake
        .decide_customer_name_update("NONE-0000", true)
        .expect_err("404");
    assert!(e.is_not_found(), "{e}");
    assert_eq!(e.param(), Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn name_updates_can_be_canceled_while_unexamined() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let request = client
        .customer_name_updates()
        .create(name_update(&customer, "新社名株式会社"))
        .await?;
    let id = request.id.clone();
    let canceled = client.customer_name_updates().cancel(&id).await?;
    assert_eq!(canceled.status, Some(CustomerNameUpdateStatus::Canceled));
    assert_eq!(canceled.id, request.id);
    assert_eq!(client.customer_name_updates().get(&id).await?, canceled);
    let e = client
        .customer_name_updates()
        .cancel(&id)
        .await
        .expect_err("409");
    assert!(e.is_conflict(), "{e}");
    assert_eq!(e.param(), Some(id.as_str()));
    let e = fake
        .decide_customer_name_update(&id, true)
        .expect_err("409");
    assert_eq!(e.status(), Some(409));
    assert_eq!(
        Some(client.customers().get(&customer).await?.name.as_str()),
        Some("顧客 1")
    );
    // Canceled is no longer under examination.
    client
        .customer_name_updates()
        .create(name_update(&customer, "次の社名株式会社"))
        .await?;

    let e = client
        .customer_name_updates()
        .cancel(&mfkessai::ids::CustomerNameUpdateId::from("NONE-0000"))
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    let e = client
        .customer_name_updates()
        .get(&mfkessai::ids::CustomerNameUpdateId::from("NONE-0000"))
        .await
        .expect_err("404");
    assert_api_error(&e, 404, ErrorCode::NotFound, Some("NONE-0000"));
    Ok(())
}

#[tokio::test]
async fn create_name_update_validates_its_fields() -> TestResult {
    let fake = FakeKessai::start().await?;
    let customer = fake.seed_customers(1).remove(0);
    let base = json!({ "customer_id": customer, "name": "新社名", "reason": "社名変更のため" });
    for (field, code) in [
        ("customer_id", "invalid_customer_id"),
        ("name", "invalid_customer_name_update_name"),
        ("reason", "invalid_customer_name_update_reason"),
    ] {
        let mut body = base.clone();
        body.as_object_mut().unwrap().remove(field);
        assert_error(
            &raw(&fake, "POST", "/customer_name_updates", Some(body)).await,
            400,
            code,
            None,
        );
        let mut body = base.clone();
        body[field] = json!("");
        assert_error(
            &raw(&fake, "POST", "/customer_name_updates", Some(body)).await,
            400,
            code,
            Some(""),
        );
    }
    let mut body = base.clone();
    body["name"] = json!("名".repeat(51));
    assert_error(
        &raw(&fake, "POST", "/customer_name_updates", Some(body)).await,
        400,
        "invalid_customer_name_update_name",
        Some(&"名".repeat(51)),
    );
    let mut body = base.clone();
    body["reason"] = json!("理".repeat(501));
    assert_error(
        &raw(&fake, "POST", "/customer_name_updates", Some(body)).await,
        400,
        "invalid_customer_name_update_reason",
        None,
    );
    let mut body = base.clone();
    body["customer_id"] = json!("NONE-0000");
    assert_error(
        &raw(&fake, "POST", "/customer_name_updates", Some(body)).await,
        404,
        "not_found",
        Some("NONE-0000"),
    );
    let mut body = base.clone();
    body["name"] = json!("名".repeat(50));
    body["reason"] = json!("理".repeat(500));
    assert_eq!(
        raw(&fake, "POST", "/customer_name_updates", Some(body))
            .await
            .0,
        200,
        "both upper bounds are allowed"
    );
    Ok(())
}

#[tokio::test]
async fn name_updates_filter_by_customer_status_and_time() -> TestResult {
    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let ids = fake.seed_customers(3);
    let mut made = Vec::new();
    for id in &ids {
        let r = client
            .customer_name_updates()
            .create(name_update(id, "新社名株式会社"))
            .await?;
        made.push(r.id);
    }
    fake.decide_customer_name_update(&made[0], true)?;
    fake.decide_customer_name_update(&made[1], false)?;

    let all = client.customer_name_updates().list().send().await?;
    assert_eq!(all.total, Some(3));
    assert_eq!(
        Some(all.items[0].id.as_str()),
        Some(made[2].as_str()),
        "newest first"
    );
    let mine = client
        .customer_name_updates()
        .list()
        .customer_id(&ids[1])
        .send()
        .await?;
    assert_eq!(mine.items.len(), 1);
    assert_eq!(Some(mine.items[0].id.as_str()), Some(made[1].as_str()));
    for (status, expected) in [
        (CustomerNameUpdateStatus::Passed, &made[0]),
        (CustomerNameUpdateStatus::Rejected, &made[1]),
        (CustomerNameUpdateStatus::Unexamined, &made[2]),
    ] {
        let page = client
            .customer_name_updates()
            .list()
            .status(status)
            .send()
            .await?;
        assert_eq!(page.items.len(), 1);
        assert_eq!(Some(page.items[0].id.as_str()), Some(expected.as_str()));
    }
    client.customer_name_updates().cancel(&made[2]).await?;
    let unexamined = client
        .customer_name_updates()
        .list()
        .status(CustomerNameUpdateStatus::Unexamined)
        .send()
        .await?;
    assert_eq!(unexamined.total, Some(0));
    assert_error(
        &raw(&fake, "GET", "/customer_name_updates?status=canceled", None).await,
        400,
        "invalid_customer_name_update_status",
        Some("canceled"),
    );

    let middle = all.items[1].created_at;
    let from = client
        .customer_name_updates()
        .list()
        .created_at_from(middle)
        .send()
        .await?;
    assert_eq!(from.total, Some(2));
    let to = client
        .customer_name_updates()
        .list()
        .created_at_to(middle)
        .send()
        .await?;
    assert_eq!(to.total, Some(2));
    assert_error(
        &raw(
            &fake,
            "GET",
            "/customer_name_updates?created_at_to=soon",
            None,
        )
        .await,
        400,
        "invalid_created_at_to",
        Some("soon"),
    );
    Ok(())
}

#[tokio::test]
async fn a_decision_delivers_customer_name_update_examined() -> TestResult {
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(body);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    let fake = FakeKessai::start().await?;
    fake.deliver_webhooks(
        format!("http://{addr}/hook"),
        "whsec-test",
        Duration::from_millis(10),
    );
    let client = fake.client()?;
    let customer = fake.seed_customers(1).remove(0);
    let request = client
        .customer_name_updates()
        .create(name_update(&customer, "新社名株式会社"))
        .await?;
    let id = request.id;
    assert!(
        fake.webhook_deliveries().is_empty(),
        "creating sends nothing"
    );
    fake.decide_customer_name_update(&id, true)?;

    let mut waited = 0;
    while received.lock().unwrap().is_empty() && waited < 200 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    let bodies = received.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let event: Value = serde_json::from_str(&bodies[0])?;
    assert_eq!(event["type"], "customer_name_update.examined");
    assert_eq!(event["customer_name_update_id"], id.as_str());
    assert_eq!(event["customer_id"], customer.as_str());
    assert_eq!(event["result"], "passed");
    assert!(event["event_id"].is_string() && event["created_at"].is_string());
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].event_type, "customer_name_update.examined");
    assert_eq!(deliveries[0].status, Some(200));
    Ok(())
}
