//! What the fake writes on the wire for each object it answers with.
//!
//! The generated types leave out `None` fields and empty arrays when they
//! serialize (right for request bodies). The API's answers are fuller: its
//! examples show every property, and the reference says which ones come back
//! empty. Each answered type below lists **every** field of its generated
//! struct with what an empty one becomes, and the list destructures the
//! struct without `..`, so a field added to the spec is a compile error here
//! until someone decides how the fake sends it.
//!
//! The rules, from the reference:
//!
//! * `keep`: sent as it is; a field the fake has no value for is left out.
//!   Identity and supplied fields (always set), and what the server computes
//!   in some states only (amounts, later dates, `Billing.unpaid`: 支払期限後未入金
//!   がある場合のみ返却されます).
//! * `empty`: a string whose empty value is `""`. The reference writes empty
//!   values that way (`"start_date": ""`, curl-only file line 635; 未割当の場合は
//!   空で返却されます for the bank-transfer fields; 空になります for
//!   `canceled_at`, `canceled_transaction_id`, …), and a seller's optional text
//!   that was not given comes back as the empty string it is.
//! * `list`: an array, `[]` when empty.
//! * `null`: an object documented as nullable that this record does not have
//!   (the payment method a customer does not use).
//!
//! Nested objects go through their own list (`wire` or `one` after the rule).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::raw::types;

/// An answered object as the API writes it.
pub(crate) trait Wire {
    /// The JSON the fake sends.
    fn wire(&self) -> Value;
}

impl<T: Wire> Wire for [T] {
    fn wire(&self) -> Value {
        Value::Array(self.iter().map(Wire::wire).collect())
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn wire(&self) -> Value {
        self.as_slice().wire()
    }
}

impl<T: Wire + ?Sized> Wire for &T {
    fn wire(&self) -> Value {
        (**self).wire()
    }
}

/// A field holding an optional nested object (or a list of them).
trait Nested {
    fn nested(&self) -> Option<Value>;
}

/// How a nested field is written: `wire` (optional object, list), `one`
/// (a required object).
mod nested {
    use serde_json::Value;

    use super::{Nested, Wire};

    pub(super) fn wire<N: Nested>(field: &N) -> Option<Value> {
        field.nested()
    }

    pub(super) fn one<T: Wire>(field: &T) -> Option<Value> {
        Some(field.wire())
    }
}

impl<T: Wire> Nested for Option<T> {
    fn nested(&self) -> Option<Value> {
        self.as_ref().map(Wire::wire)
    }
}

impl<T: Wire> Nested for Vec<T> {
    fn nested(&self) -> Option<Value> {
        Some(self.wire())
    }
}

/// The fields the generated `Serialize` writes (formats as the spec has them).
fn serialized<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The JSON name of a generated field (`type_` is `type`).
fn json_name(field: &str) -> &str {
    field.strip_suffix('_').unwrap_or(field)
}

/// What an empty field becomes; see the module docs.
mod rule {
    use serde_json::{Map, Value};

    pub(super) fn keep(_: &mut Map<String, Value>, _: &str) {}

    pub(super) fn empty(map: &mut Map<String, Value>, name: &str) {
        map.entry(name)
            .or_insert_with(|| Value::String(String::new()));
    }

    pub(super) fn list(map: &mut Map<String, Value>, name: &str) {
        map.entry(name).or_insert_with(|| Value::Array(Vec::new()));
    }

    pub(super) fn null(map: &mut Map<String, Value>, name: &str) {
        map.entry(name).or_insert(Value::Null);
    }
}

macro_rules! wire {
    ($($ty:ident { $($field:ident : $rule:ident $($nested:ident)?),* $(,)? })*) => {$(
        impl Wire for types::$ty {
            fn wire(&self) -> Value {
                let types::$ty { $($field),* } = self;
                let mut map = serialized(self);
                $(
                    let name = json_name(stringify!($field));
                    $(
                        match nested::$nested($field) {
                            Some(value) => { map.insert(name.to_string(), value); }
                            None => { map.remove(name); }
                        }
                    )?
                    let _ = $field;
                    rule::$rule(&mut map, name);
                )*
                Value::Object(map)
            }
        }
    )*};
}

wire! {
    Customer {
        created_at: keep, has_alert: keep, id: keep, name: keep, number: keep, object: keep,
        payment_method: keep wire, uri: keep,
    }
    PaymentMethod {
        account_transfer: null wire, bank_transfer: null wire, object: keep,
    }
    AccountTransfer { object: keep }
    // 初回請求前は振込先口座が未割当のため、object 以外は空で返却されます。
    BankTransfer {
        account_number: empty, bank_code: empty, bank_name: empty, bank_name_kana: empty,
        branch_code: empty, branch_name: empty, branch_name_kana: empty, holder_name: empty,
        object: keep, type_: empty,
    }
    Destination {
        address1: keep, address2: empty, cc_emails: list, created_at: keep, customer_id: keep,
        department: empty, email: keep, id: keep, name: empty, name_kana: empty, object: keep,
        tel: keep, title: empty, uri: keep, zip_code: keep,
    }
    CreateCustomerResponse { customer: keep one, destination: keep one }
    AccountTransferRequest {
        address1: keep, address2: empty, department: empty, email: keep, name: empty,
        object: keep, tel: keep, title: empty, zip_code: keep,
    }
    // start_date: 手動での申請の場合、審査通過日となるため空で返却されます。
    CustomerExamination {
        address1: keep, address2: empty, amount: keep, business_description: empty,
        business_type: empty, corporate_number: empty, created_at: keep, customer_id: keep,
        email: keep, end_date: keep, id: keep, object: keep, remark: empty,
        representative_name: empty, start_date: empty, status: keep, tel: keep, type_: keep,
        uri: keep, website: empty, zip_code: keep,
    }
    CreditFacility {
        amount: keep, balance: keep, customer_id: keep, customer_examination_id: keep,
        end_date: keep, id: keep, object: keep, start_date: keep, status: keep, uri: keep,
    }
    // billing_accepted_at: 請求対象でない場合は空になります; canceled_at: 未キャンセル
    // の場合は空になります; canceled_transaction_id: 利用していない場合は空になります。
    Transaction {
        accepted_at: keep, amount: keep, amounts_per_tax_rate_type: list wire, billing: keep,
        billing_accepted_at: empty, billing_condition: keep, billing_id: empty, canceled_at: empty,
        canceled_transaction_id: empty, created_at: keep, customer_id: keep, date: keep,
        destination_id: keep, due_date: keep, id: keep, invoice_delivery_method: list,
        issue_date: keep, number: keep, object: keep, status: keep,
        transaction_details: list wire, uri: keep,
    }
    // tax_rate_type / tax_included_type: 返り値が空の場合は旧形式での登録時に指定されなかった.
    TransactionDetail {
        amount: keep, description: keep, object: keep, quantity: keep, tax_included_type: empty,
        tax_rate_type: empty, unit_price: keep,
    }
    AmountPerTaxRateType { amount: keep, tax_rate_type: keep }
    // unpaid: 支払期限後未入金がある場合のみ返却されます (left out otherwise).
    Billing {
        account_transfer_notification_ids: list, amount: keep, amounts_per_tax_rate_type: list wire,
        customer_id: keep, destination_id: keep, due_date: keep, id: keep,
        invoice_delivery_method: list, invoice_ids: list, issue_date: keep, object: keep,
        status: keep, unpaid: keep wire, uri: keep,
    }
    BillingUnpaid { shortage_amount: keep, updated_date: keep }
    Payout {
        amount: keep, collected_amount: keep, deduction: keep wire, id: keep, object: keep,
        payout_date: keep, receivables_amount: keep, status: keep, type_: keep, uri: keep,
    }
    Deduction {
        amount: keep, canceled_reconciliation_amount: keep, returned_credit_amount: keep,
        tax: keep wire, tax_free: keep wire, taxable: keep wire, untaxable: keep wire,
    }
    DeductionTax { amount: keep, rate_type: keep }
    DeductionTaxFree { amount: keep, commission_amount: keep, early_payout_commission_amount: keep }
    DeductionTaxable {
        amount: keep, basic_monthly_charge: keep, billing_charge: keep wire,
        convenience_billing: keep wire, posting: keep wire,
    }
    DeductionTaxableConvenienceBilling { charge: keep, quantity: keep, unit_price: keep }
    DeductionTaxableBillingCharge { amount: keep, quantity: keep, unit_price: keep }
    DeductionTaxablePosting { amount: keep, quantity: keep, unit_price: keep }
    DeductionUntaxable { amount: keep, revenue_stamp: keep wire }
    DeductionUntaxableRevenueStamp { amount: keep, quantity: keep, unit_price: keep }
    PayoutTransaction {
        accepted_at: keep, amount: keep, commission_amount: keep, commission_rate: keep,
        early_payout_commission_amount: keep, early_payout_commission_rate: keep, id: keep,
        object: keep, payout_date: keep, payout_id: keep, standard_payout_date: keep,
        transaction_id: keep, uri: keep,
    }
    PayoutRefund {
        amount: keep, commission_amount: keep, customer_id: keep, id: keep, object: keep,
        payout_id: keep, transaction_id: keep, uri: keep,
    }
    // canceled_at: 未キャンセルの場合は空になります; transaction_id: 空の場合は…取引登録が
    // まだされていないことを示します。
    Authorization {
        amount: keep, canceled_at: empty, created_at: keep, credit_facility_id: keep,
        customer_id: keep, expiration_date: keep, id: keep, max_due_date: keep, number: keep,
        object: keep, status: keep, transaction_id: empty, uri: keep,
    }
    CustomerNameUpdate {
        created_at: keep, customer_id: keep, id: keep, name: keep, object: keep, reason: keep,
        status: keep, uri: keep,
    }
    Invoice {
        amount: keep, billing_date: keep, billing_id: keep, created_at: keep, destination_id: keep,
        id: keep, invoice_delivery_methods: list, object: keep, uri: keep,
    }
    AccountTransferNotification {
        account_transfer_date: keep, amount: keep, billing_id: keep, created_at: keep,
        destination_id: keep, id: keep, invoice_delivery_methods: list, object: keep, uri: keep,
    }
    // The object of the other type is left out: (typeがinvoiceの場合) / (typeが
    // account_transfer_notificationの場合).
    ReissuingResponse {
        account_transfer_notification: keep wire, invoice: keep wire, type_: keep,
    }
    UploadSignedUrl { expires_at: keep, url: keep }
    DownloadSignedUrl { expired_at: keep, signed_url: keep, type_: keep }
    DownloadSignedUrlList { items: list wire, object: keep }
    Issue { created_at: keep, id: keep, type_: keep }
    IssuesList { items: list wire, object: keep }
    Pagination {
        end: keep, has_next: keep, has_previous: keep, limit: keep, start: keep, total: keep,
    }
}
