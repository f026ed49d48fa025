//! The documented limits of every request payload, one row per validated
//! field: the facade refuses the value before sending, with the field's
//! code and the value as `param`; the fake server refuses the same input
//! with the same code (both call the generated `raw::validation`).

#[cfg(feature = "testing")]
mod common;

use mfkessai::{raw::types, Client, Environment, Error, ErrorCode};
use serde_json::{json, Value};
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

/// One field's limit: the operation's documented request (tests/fixtures),
/// the JSON pointer of the field, a value outside the limit, the code.
struct Row {
    op: &'static str,
    pointer: &'static str,
    value: Value,
    code: ErrorCode,
}

fn row(op: &'static str, pointer: &'static str, value: Value, code: ErrorCode) -> Row {
    Row {
        op,
        pointer,
        value,
        code,
    }
}

fn chars(n: usize) -> Value {
    Value::String("あ".repeat(n))
}

fn emails(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!(format!("cc{i}@example.com")))
            .collect(),
    )
}

fn rows() -> Vec<Row> {
    use ErrorCode as E;
    let details = |n: usize| {
        Value::Array(
            (0..n)
                .map(|_| json!({"amount": 1, "description": "x", "tax_included_type": "excluded", "tax_rate_type": "normal_10"}))
                .collect(),
        )
    };
    vec![
        // POST /customers
        row("CreateCustomer", "/name", chars(51), E::InvalidCustomerName),
        row(
            "CreateCustomer",
            "/name",
            json!(" "),
            E::InvalidCustomerName,
        ),
        row(
            "CreateCustomer",
            "/number",
            chars(101),
            E::InvalidCustomerNumber,
        ),
        row(
            "CreateCustomer",
            "/destination/address1",
            chars(101),
            E::InvalidDestinationAddress1,
        ),
        row(
            "CreateCustomer",
            "/destination/address2",
            chars(101),
            E::InvalidDestinationAddress2,
        ),
        row(
            "CreateCustomer",
            "/destination/cc_emails",
            emails(5),
            E::InvalidDestinationCcEmails,
        ),
        row(
            "CreateCustomer",
            "/destination/cc_emails/1",
            chars(256),
            E::InvalidDestinationCcEmails,
        ),
        row(
            "CreateCustomer",
            "/destination/department",
            chars(51),
            E::InvalidDestinationDepartment,
        ),
        row(
            "CreateCustomer",
            "/destination/email",
            chars(256),
            E::InvalidDestinationEmail,
        ),
        row(
            "CreateCustomer",
            "/destination/name",
            chars(31),
            E::InvalidDestinationName,
        ),
        row(
            "CreateCustomer",
            "/destination/name_kana",
            chars(61),
            E::InvalidDestinationNameKana,
        ),
        row(
            "CreateCustomer",
            "/destination/tel",
            json!(" "),
            E::InvalidDestinationTel,
        ),
        row(
            "CreateCustomer",
            "/destination/title",
            chars(31),
            E::InvalidDestinationTitle,
        ),
        row(
            "CreateCustomer",
            "/destination/zip_code",
            json!(" "),
            E::InvalidDestinationZipCode,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/amount",
            json!(150_000_001),
            E::InvalidCustomerExaminationAmount,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/initial_amount",
            json!(-1),
            E::InvalidCustomerExaminationAmount,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/business_description",
            chars(501),
            E::InvalidCustomerExaminationBusinessDescription,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/business_type",
            json!("sole"),
            E::InvalidCustomerExaminationBusinessType,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/remark",
            chars(501),
            E::InvalidCustomerExaminationRemark,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/representative_name",
            chars(31),
            E::InvalidCustomerExaminationRepresentativeName,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/website",
            chars(501),
            E::InvalidCustomerExaminationWebsite,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/examinee/zip_code",
            json!(" "),
            E::InvalidCustomerExaminationZipCode,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/examinee/address1",
            chars(101),
            E::InvalidCustomerExaminationAddress1,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/examinee/address2",
            chars(101),
            E::InvalidCustomerExaminationAddress2,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/examinee/email",
            chars(256),
            E::InvalidCustomerExaminationEmail,
        ),
        row(
            "CreateCustomer",
            "/customer_examination/examinee/tel",
            json!(" "),
            E::InvalidCustomerExaminationTel,
        ),
        // PATCH /customers/{id}
        row(
            "UpdateCustomer",
            "/number",
            chars(101),
            E::InvalidCustomerNumber,
        ),
        // POST /customers/{id}/account_transfer_request
        row(
            "RequestAccountTransfer",
            "/zip_code",
            json!(" "),
            E::InvalidDestinationZipCode,
        ),
        row(
            "RequestAccountTransfer",
            "/address1",
            chars(101),
            E::InvalidDestinationAddress1,
        ),
        row(
            "RequestAccountTransfer",
            "/address2",
            chars(101),
            E::InvalidDestinationAddress2,
        ),
        row(
            "RequestAccountTransfer",
            "/department",
            chars(51),
            E::InvalidDestinationDepartment,
        ),
        row(
            "RequestAccountTransfer",
            "/title",
            chars(31),
            E::InvalidDestinationTitle,
        ),
        row(
            "RequestAccountTransfer",
            "/name",
            chars(31),
            E::InvalidDestinationName,
        ),
        row(
            "RequestAccountTransfer",
            "/tel",
            json!(" "),
            E::InvalidDestinationTel,
        ),
        row(
            "RequestAccountTransfer",
            "/email",
            chars(256),
            E::InvalidDestinationEmail,
        ),
        // POST /destinations, PUT /destinations/{id}
        row(
            "CreateDestination",
            "/customer_id",
            json!(" "),
            E::InvalidCustomerId,
        ),
        row(
            "CreateDestination",
            "/address1",
            chars(101),
            E::InvalidDestinationAddress1,
        ),
        row(
            "CreateDestination",
            "/address2",
            chars(101),
            E::InvalidDestinationAddress2,
        ),
        row(
            "CreateDestination",
            "/cc_emails",
            emails(5),
            E::InvalidDestinationCcEmails,
        ),
        row(
            "CreateDestination",
            "/department",
            chars(51),
            E::InvalidDestinationDepartment,
        ),
        row(
            "CreateDestination",
            "/email",
            chars(256),
            E::InvalidDestinationEmail,
        ),
        row(
            "CreateDestination",
            "/name",
            chars(31),
            E::InvalidDestinationName,
        ),
        row(
            "CreateDestination",
            "/name_kana",
            chars(61),
            E::InvalidDestinationNameKana,
        ),
        row(
            "CreateDestination",
            "/tel",
            json!(" "),
            E::InvalidDestinationTel,
        ),
        row(
            "CreateDestination",
            "/title",
            chars(31),
            E::InvalidDestinationTitle,
        ),
        row(
            "CreateDestination",
            "/zip_code",
            json!(" "),
            E::InvalidDestinationZipCode,
        ),
        row(
            "UpdateDestination",
            "/address1",
            chars(101),
            E::InvalidDestinationAddress1,
        ),
        row(
            "UpdateDestination",
            "/address2",
            chars(101),
            E::InvalidDestinationAddress2,
        ),
        row(
            "UpdateDestination",
            "/cc_emails",
            emails(5),
            E::InvalidDestinationCcEmails,
        ),
        row(
            "UpdateDestination",
            "/department",
            chars(51),
            E::InvalidDestinationDepartment,
        ),
        row(
            "UpdateDestination",
            "/email",
            chars(256),
            E::InvalidDestinationEmail,
        ),
        row(
            "UpdateDestination",
            "/name",
            chars(31),
            E::InvalidDestinationName,
        ),
        row(
            "UpdateDestination",
            "/name_kana",
            chars(61),
            E::InvalidDestinationNameKana,
        ),
        row(
            "UpdateDestination",
            "/tel",
            json!(" "),
            E::InvalidDestinationTel,
        ),
        row(
            "UpdateDestination",
            "/title",
            chars(31),
            E::InvalidDestinationTitle,
        ),
        row(
            "UpdateDestination",
            "/zip_code",
            json!(" "),
            E::InvalidDestinationZipCode,
        ),
        // POST /customer_examinations
        row(
            "CreateCustomerExamination",
            "/customer_id",
            json!(" "),
            E::InvalidCustomerId,
        ),
        row(
            "CreateCustomerExamination",
            "/amount",
            json!(0),
            E::InvalidCustomerExaminationAmount,
        ),
        row(
            "CreateCustomerExamination",
            "/amount",
            json!(150_000_001),
            E::InvalidCustomerExaminationAmount,
        ),
        row(
            "CreateCustomerExamination",
            "/address1",
            chars(101),
            E::InvalidCustomerExaminationAddress1,
        ),
        row(
            "CreateCustomerExamination",
            "/address2",
            chars(101),
            E::InvalidCustomerExaminationAddress2,
        ),
        row(
            "CreateCustomerExamination",
            "/business_description",
            chars(501),
            E::InvalidCustomerExaminationBusinessDescription,
        ),
        row(
            "CreateCustomerExamination",
            "/business_type",
            json!("sole"),
            E::InvalidCustomerExaminationBusinessType,
        ),
        row(
            "CreateCustomerExamination",
            "/email",
            chars(256),
            E::InvalidCustomerExaminationEmail,
        ),
        row(
            "CreateCustomerExamination",
            "/remark",
            chars(501),
            E::InvalidCustomerExaminationRemark,
        ),
        row(
            "CreateCustomerExamination",
            "/representative_name",
            chars(31),
            E::InvalidCustomerExaminationRepresentativeName,
        ),
        row(
            "CreateCustomerExamination",
            "/tel",
            json!(" "),
            E::InvalidCustomerExaminationTel,
        ),
        row(
            "CreateCustomerExamination",
            "/website",
            chars(501),
            E::InvalidCustomerExaminationWebsite,
        ),
        row(
            "CreateCustomerExamination",
            "/zip_code",
            json!(" "),
            E::InvalidCustomerExaminationZipCode,
        ),
        // POST /transactions
        row(
            "CreateTransaction",
            "/number",
            chars(101),
            E::InvalidTransactionNumber,
        ),
        row(
            "CreateTransaction",
            "/destination_id",
            json!(" "),
            E::InvalidDestinationId,
        ),
        row(
            "CreateTransaction",
            "/amount",
            json!(0),
            E::InvalidTransactionAmount,
        ),
        row(
            "CreateTransaction",
            "/amount",
            json!(2_147_483_648_i64),
            E::InvalidTransactionAmount,
        ),
        row(
            "CreateTransaction",
            "/amounts_per_tax_rate_type/1/amount",
            json!(2_147_483_648_i64),
            E::InvalidAmountPerTaxRateTypeAmount,
        ),
        row(
            "CreateTransaction",
            "/amounts_per_tax_rate_type/1/tax_rate_type",
            json!("normal_12"),
            E::InvalidAmountPerTaxRateTypeTaxRateType,
        ),
        row(
            "CreateTransaction",
            "/billing_condition",
            json!("sometimes"),
            E::InvalidTransactionBillingCondition,
        ),
        row(
            "CreateTransaction",
            "/invoice_delivery_methods",
            json!([]),
            E::InvalidTransactionInvoiceDeliveryMethods,
        ),
        row(
            "CreateTransaction",
            "/invoice_delivery_methods",
            json!(["posting", "email", "fax"]),
            E::InvalidTransactionInvoiceDeliveryMethods,
        ),
        row(
            "CreateTransaction",
            "/invoice_delivery_methods/1",
            json!("fax"),
            E::InvalidTransactionInvoiceDeliveryMethods,
        ),
        row(
            "CreateTransaction",
            "/transaction_details",
            json!([]),
            E::InvalidTransactionDetails,
        ),
        row(
            "CreateTransaction",
            "/transaction_details",
            details(501),
            E::InvalidTransactionDetails,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/description",
            chars(251),
            E::InvalidTransactionDetailDescription,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/amount",
            json!(1.00001),
            E::InvalidTransactionDetailAmount,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/amount_str",
            json!("12345678901234567"),
            E::InvalidTransactionDetailAmount,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/quantity",
            json!(-1),
            E::InvalidTransactionDetailQuantity,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/quantity_str",
            json!("12345678901234567"),
            E::InvalidTransactionDetailQuantity,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/unit_price",
            json!(2_147_483_648_i64),
            E::InvalidTransactionDetailUnitPrice,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/unit_price_str",
            json!("12345678901234567"),
            E::InvalidTransactionDetailUnitPrice,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/tax_included_type",
            json!("both"),
            E::InvalidTransactionDetailTaxIncludedType,
        ),
        row(
            "CreateTransaction",
            "/transaction_details/1/tax_rate_type",
            json!("normal_12"),
            E::InvalidTransactionDetailTaxRateType,
        ),
        // POST /billings/{id}/reissue
        row(
            "ReissueBilling",
            "/destination_id",
            json!(" "),
            E::InvalidDestinationId,
        ),
        row(
            "ReissueBilling",
            "/invoice_delivery_methods",
            json!([]),
            E::InvalidReissuingPayloadInvoiceDeliveryMethods,
        ),
        row(
            "ReissueBilling",
            "/invoice_delivery_methods/0",
            json!("fax"),
            E::InvalidReissuingPayloadInvoiceDeliveryMethods,
        ),
        // POST /customer_name_updates
        row(
            "CreateCustomerNameUpdate",
            "/customer_id",
            json!(" "),
            E::InvalidCustomerId,
        ),
        row(
            "CreateCustomerNameUpdate",
            "/name",
            chars(51),
            E::InvalidCustomerNameUpdateName,
        ),
        row(
            "CreateCustomerNameUpdate",
            "/reason",
            chars(501),
            E::InvalidCustomerNameUpdateReason,
        ),
        // POST /authorizations
        row(
            "CreateAuthorization",
            "/amount",
            json!(0),
            E::InvalidAuthorizationAmount,
        ),
        row(
            "CreateAuthorization",
            "/customer_id",
            json!(" "),
            E::InvalidCustomerId,
        ),
        row(
            "CreateAuthorization",
            "/number",
            chars(101),
            E::InvalidAuthorizationNumber,
        ),
    ]
}

fn fixture(name: &str) -> Value {
    let file = format!(
        "{}/tests/fixtures/requests/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    // The stored fixtures lost their addresses to an obfuscator.
    let text = std::fs::read_to_string(file)
        .unwrap()
        .replace("[email protected]", "billing@example.com");
    let mut body: Value = serde_json::from_str(&text).unwrap();
    if name == "CreateTransaction" {
        // The fixture sets both; the two together are a rule of their own.
        body.as_object_mut()
            .unwrap()
            .remove("canceled_transaction_id");
    }
    body
}

/// The row's request body: the fixture with the field set to the value.
fn body(row: &Row) -> Value {
    let mut body = fixture(row.op);
    let (parent, key) = row.pointer.rsplit_once('/').unwrap();
    let parent = body
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{}: no {parent}", row.op));
    match parent {
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = row.value.clone(),
        Value::Object(map) => {
            map.insert(key.to_string(), row.value.clone());
        }
        _ => panic!("{}{}: not in an object or array", row.op, row.pointer),
    }
    body
}

/// The `param` the error reports: the value, or an array's length.
fn param(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.len().to_string(),
        other => other.to_string(),
    }
}

/// The field as the error message names it (`destination.cc_emails[1]`).
fn field(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.trim_start_matches('/').split('/') {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

fn decode<T: serde::de::DeserializeOwned>(row: &Row, body: Value) -> T {
    serde_json::from_value(body).unwrap_or_else(|e| panic!("{}{}: {e}", row.op, row.pointer))
}

/// Sends the row's request through the facade.
async fn facade(client: &Client, row: &Row, body: Value) -> mfkessai::Result<()> {
    let customer = "7679-YW36".into();
    match row.op {
        "CreateCustomer" => client.customers().create(decode(row, body)).await.map(drop),
        "UpdateCustomer" => client
            .customers()
            .update(&customer, decode(row, body))
            .await
            .map(drop),
        "RequestAccountTransfer" => client
            .customers()
            .request_account_transfer(&customer, decode(row, body))
            .await
            .map(drop),
        "CreateDestination" => client
            .destinations()
            .create(decode(row, body))
            .await
            .map(drop),
        "UpdateDestination" => client
            .destinations()
            .update(&"WNAV-37R6".into(), decode(row, body))
            .await
            .map(drop),
        "CreateCustomerExamination" => client
            .customer_examinations()
            .create(decode(row, body))
            .await
            .map(drop),
        "CreateTransaction" => client
            .transactions()
            .create(decode(row, body))
            .await
            .map(drop),
        "ReissueBilling" => client
            .billings()
            .reissue(&"GY9N-EWNM".into(), decode(row, body))
            .await
            .map(drop),
        "CreateCustomerNameUpdate" => client
            .customer_name_updates()
            .create(decode(row, body))
            .await
            .map(drop),
        "CreateAuthorization" => client
            .authorizations()
            .create(decode(row, body))
            .await
            .map(drop),
        other => panic!("no facade call for {other}"),
    }
}

#[tokio::test]
async fn the_facade_refuses_every_documented_limit_with_its_code() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("k")
        .environment(Environment::custom(format!("{}/v2", server.uri())).unwrap())
        .build()
        .unwrap();
    // The documented requests themselves pass.
    let mut ops: Vec<&str> = rows().iter().map(|r| r.op).collect();
    ops.dedup();
    for op in &ops {
        let row = row(op, "/", Value::Null, ErrorCode::InvalidLimit);
        let payload = fixture(op);
        match *op {
            "CreateCustomer" => decode::<types::CustomerPayload>(&row, payload).validate(),
            "UpdateCustomer" => decode::<types::CustomerUpdatePayload>(&row, payload).validate(),
            "RequestAccountTransfer" => {
                decode::<types::AccountTransferRequestPayload>(&row, payload).validate()
            }
            "CreateDestination" => decode::<types::DestinationPayload>(&row, payload).validate(),
            "UpdateDestination" => {
                decode::<types::DestinationUpdatePayload>(&row, payload).validate()
            }
            "CreateCustomerExamination" => {
                decode::<types::CustomerExaminationPayload>(&row, payload).validate()
            }
            "CreateTransaction" => decode::<types::TransactionPayload>(&row, payload).validate(),
            "ReissueBilling" => decode::<types::ReissuingPayload>(&row, payload).validate(),
            "CreateCustomerNameUpdate" => {
                decode::<types::CustomerNameUpdatePayload>(&row, payload).validate()
            }
            "CreateAuthorization" => {
                decode::<types::AuthorizationPayload>(&row, payload).validate()
            }
            other => panic!("{other}"),
        }
        .unwrap_or_else(|e| panic!("{op}: the documented request is refused: {e}"));
    }
    for row in rows() {
        let what = format!("{}{} = {}", row.op, row.pointer, param(&row.value));
        let error = facade(&client, &row, body(&row))
            .await
            .expect_err(&format!("{what}: must be refused"));
        assert!(matches!(error, Error::Validation(_)), "{what}: {error:?}");
        assert_eq!(error.code(), Some(&row.code), "{what}: {error}");
        assert_eq!(
            error.param(),
            Some(param(&row.value).as_str()),
            "{what}: {error}"
        );
        assert!(
            error.to_string().contains(&field(row.pointer)),
            "{what}: the message names the field: {error}"
        );
    }
    server.verify().await;
}

#[test]
fn characters_are_counted_not_bytes_and_zero_examination_amounts_mean_not_given() {
    let mut name: types::CustomerNameUpdatePayload =
        serde_json::from_value(fixture("CreateCustomerNameUpdate")).unwrap();
    name.name = "あ".repeat(50);
    assert!(
        name.validate().is_ok(),
        "50 characters (150 bytes) is the limit"
    );
    // 0円を指定した場合は無視されます (reference L6697-L6699).
    let mut customer: types::CustomerPayload =
        serde_json::from_value(fixture("CreateCustomer")).unwrap();
    let section = customer.customer_examination.as_mut().unwrap();
    section.amount = Some(0);
    section.initial_amount = Some(0);
    assert!(customer.validate().is_ok());
    // An empty number leaves PATCH's number as it is (reference L6730).
    let mut update: types::CustomerUpdatePayload = serde_json::from_value(json!({})).unwrap();
    update.number = Some(String::new());
    assert!(update.validate().is_ok());
    // A blank optional id decodes as absent, so only code can send one.
    let mut transaction: types::TransactionPayload =
        serde_json::from_value(fixture("CreateTransaction")).unwrap();
    transaction.authorization_id = Some(" ".into());
    let error = transaction.validate().unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidAuthorizationId));
}

use mfkessai::validate::Validate;

/// One field per payload through the fake's HTTP surface: the same code
/// and param the facade reports for the same input.
#[cfg(feature = "testing")]
#[tokio::test]
async fn the_fake_refuses_what_the_facade_refuses_with_the_same_code(
) -> Result<(), Box<dyn std::error::Error>> {
    use common::fake::raw;
    use mfkessai::testing::FakeKessai;

    let fake = FakeKessai::start().await?;
    let client = fake.client()?;
    let created = client
        .customers()
        .create(serde_json::from_value({
            let mut b = fixture("CreateCustomer");
            b.as_object_mut().unwrap().remove("customer_examination");
            b
        })?)
        .await?;
    let customer = created.customer.id.to_string();
    let destination = created.destination.id.to_string();
    let picks: [(&str, &str, &str); 9] = [
        ("CreateCustomer", "/destination/name_kana", "/customers"),
        ("UpdateCustomer", "/number", "/customers/{customer}"),
        (
            "RequestAccountTransfer",
            "/address1",
            "/customers/{customer}/account_transfer_request",
        ),
        ("CreateDestination", "/cc_emails", "/destinations"),
        ("UpdateDestination", "/title", "/destinations/{destination}"),
        (
            "CreateCustomerExamination",
            "/website",
            "/customer_examinations",
        ),
        (
            "CreateTransaction",
            "/transaction_details/1/description",
            "/transactions",
        ),
        (
            "CreateCustomerNameUpdate",
            "/reason",
            "/customer_name_updates",
        ),
        ("CreateAuthorization", "/number", "/authorizations"),
    ];
    let all = rows();
    for (op, pointer, path) in picks {
        let row = all
            .iter()
            .find(|r| r.op == op && r.pointer == pointer)
            .unwrap_or_else(|| panic!("no row {op}{pointer}"));
        let mut body = body(row);
        for id in ["/customer_id", "/destination_id"] {
            if let Some(v) = body.pointer_mut(id) {
                *v = json!(if id == "/customer_id" {
                    &customer
                } else {
                    &destination
                });
            }
        }
        let method = match op {
            "UpdateCustomer" => "PATCH",
            "UpdateDestination" => "PUT",
            _ => "POST",
        };
        let path = path
            .replace("{customer}", &customer)
            .replace("{destination}", &destination);
        let answer = raw(&fake, method, &path, Some(body)).await;
        let what = format!("{op}{pointer}");
        assert_eq!(answer.0, 400, "{what}: {}", answer.1);
        assert_eq!(
            answer.1[0]["code"],
            row.code.as_str(),
            "{what}: {}",
            answer.1
        );
        assert_eq!(
            answer.1[0]["param"],
            param(&row.value),
            "{what}: {}",
            answer.1
        );
    }
    Ok(())
}
