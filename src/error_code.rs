//! Typed error codes returned by the Money Forward Kessai API v2.
//!
//! When a request fails with a 4xx status, the API returns a JSON array of error objects,
//! each with a `code` string (for example `invalid_limit`), a human-readable `message`, and
//! an optional `param` holding the value the error concerns. [`ErrorCode`] is the typed
//! form of that `code` string.
//!
//! # Known and unknown codes
//!
//! [`ErrorCode`] has one variant per code the SDK knows: the 135 codes of the reference's
//! error-code list, in the reference's order, followed by three codes that the reference
//! uses elsewhere but does not list (`already_exists`, `invalid_parameter` and
//! `out_of_range`). [`ErrorCode::KNOWN`] lists them all in that order.
//!
//! Any other string becomes [`ErrorCode::Unknown`], which keeps the wire string unchanged,
//! so parsing never fails and a code added by the API later still reaches the caller.
//! The enum is `#[non_exhaustive]`: new variants may be added in minor releases, and a
//! code that is `Unknown` today may get its own variant later. If you need to compare
//! against such a code, compare [`ErrorCode::as_str`] instead of matching on `Unknown`.
//! The code `invalid_canceled_transaction_not_related_to_credit_facility` was removed
//! from the API (release note 2022.08.10), so it has no variant.
//!
//! # Documentation of each variant
//!
//! Each variant's documentation gives the wire string, its meaning (translated from the
//! Japanese reference), the HTTP status and what the error's `param` field holds. The
//! reference only says that the listed codes come with 4xx responses; it does not give a
//! status for each code unless stated otherwise.
//!
//! # Conversions
//!
//! - Parsing: [`str::parse`] (infallible), [`From<&str>`] and [`From<String>`].
//! - Formatting: [`ErrorCode::as_str`] and [`Display`](std::fmt::Display) give the wire string.
//! - Serde: serialized and deserialized as the wire string.

crate::open_enum::open_enum! {
    /// An error code returned by the Money Forward Kessai API (the `code` field of an
    /// error object).
    ///
    /// Each known code has its own variant; any other string is kept in
    /// [`ErrorCode::Unknown`]. See the [module documentation](self) for details.
    /// [`ErrorCode::KNOWN`] lists the known codes in the reference's order: the 135
    /// listed codes, then `already_exists`, `invalid_parameter` and `out_of_range`.
    ///
    /// # Example
    ///
    /// ```
    /// use mfkessai::ErrorCode;
    ///
    /// let c: ErrorCode = "invalid_limit".parse().unwrap();
    /// assert_eq!(c, ErrorCode::InvalidLimit);
    /// assert_eq!(c.as_str(), "invalid_limit");
    ///
    /// let new: ErrorCode = "some_future_code".parse().unwrap();
    /// assert_eq!(new, ErrorCode::Unknown("some_future_code".to_owned()));
    /// assert!(!new.is_known());
    /// ```
    pub enum ErrorCode {
    /// `unavailable_seller`: The service is currently unavailable ("現在ご利用できません"); the name
    /// suggests the seller's account cannot use the API at the moment.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    UnavailableSeller => "unavailable_seller",

    /// `seller_setting_required`: The seller's initial setup is incomplete; contact your
    /// Money Forward Kessai representative.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    SellerSettingRequired => "seller_setting_required",

    /// `not_found`: The specified object was not found.
    ///
    /// - HTTP status: 4xx, not tied to a specific status by the reference (the status
    ///   table's 404 Not Found row, "the specified resource does not exist", matches).
    /// - `param`: the ID of the specified resource.
    NotFound => "not_found",

    /// `request_canceled`: The request was canceled; processing may not have completed
    /// normally.
    ///
    /// - HTTP status: 4xx, not tied to a specific status by the reference (the status
    ///   table's 499 Client Canceled row, "the client closed the connection", may be
    ///   related).
    /// - `param`: none (the reference gives `-`).
    RequestCanceled => "request_canceled",

    /// `invalid_json_format`: The JSON in the POST body is malformed.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    InvalidJsonFormat => "invalid_json_format",

    /// `invalid_after`: The pagination `after` value is invalid; `after` must be the ID of
    /// an existing resource.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `after` value that was sent.
    InvalidAfter => "invalid_after",

    /// `invalid_before`: The pagination `before` value is invalid; `before` must be the ID
    /// of an existing resource.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `before` value that was sent.
    InvalidBefore => "invalid_before",

    /// `invalid_limit`: The pagination `limit` value is invalid; it must be an integer from
    /// 1 to 200.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `limit` value that was sent.
    InvalidLimit => "invalid_limit",

    /// `out_of_range_by_after`: The pagination `after` value points outside the available
    /// range (for example, asking for the page after the last one).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `after` value that was sent.
    OutOfRangeByAfter => "out_of_range_by_after",

    /// `out_of_range_by_before`: The pagination `before` value points outside the available
    /// range.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `before` value that was sent.
    OutOfRangeByBefore => "out_of_range_by_before",

    /// `invalid_amount_per_tax_rate_type_amount`: The per-tax-rate-type total `amount` (in
    /// `amounts_per_tax_rate_type`) is invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidAmountPerTaxRateTypeAmount => "invalid_amount_per_tax_rate_type_amount",

    /// `invalid_amount_per_tax_rate_type_tax_rate_type`: The `tax_rate_type` (in
    /// `amounts_per_tax_rate_type`) is invalid. Also check that a transaction detail with
    /// that tax rate type exists.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `tax_rate_type` value that was sent.
    InvalidAmountPerTaxRateTypeTaxRateType => "invalid_amount_per_tax_rate_type_tax_rate_type",

    /// `invalid_created_at_from`: The format or value of `created_at_from` is invalid
    /// (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `created_at_from` value that was sent.
    InvalidCreatedAtFrom => "invalid_created_at_from",

    /// `invalid_created_at_to`: The format or value of `created_at_to` is invalid (expected
    /// an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `created_at_to` value that was sent.
    InvalidCreatedAtTo => "invalid_created_at_to",

    /// `invalid_canceled_at_from`: The format or value of `canceled_at_from` is invalid
    /// (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_at_from` value that was sent.
    InvalidCanceledAtFrom => "invalid_canceled_at_from",

    /// `invalid_canceled_at_to`: The format or value of `canceled_at_to` is invalid
    /// (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_at_to` value that was sent.
    InvalidCanceledAtTo => "invalid_canceled_at_to",

    /// `invalid_accepted_at_from`: The format or value of `accepted_at_from` is invalid
    /// (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `accepted_at_from` value that was sent.
    InvalidAcceptedAtFrom => "invalid_accepted_at_from",

    /// `invalid_accepted_at_to`: The format or value of `accepted_at_to` is invalid
    /// (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `accepted_at_to` value that was sent.
    InvalidAcceptedAtTo => "invalid_accepted_at_to",

    /// `invalid_account_transfer_notification_id`: The format or value of
    /// `account_transfer_notification_id` is invalid (example: `GY9N-EWNM`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `account_transfer_notification_id` value that was sent.
    InvalidAccountTransferNotificationId => "invalid_account_transfer_notification_id",

    /// `invalid_authorization_amount`: The format or value of the authorization `amount` is
    /// invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidAuthorizationAmount => "invalid_authorization_amount",

    /// `invalid_authorization_canceled`: The specified authorization has been canceled and
    /// cannot be used.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationCanceled => "invalid_authorization_canceled",

    /// `invalid_authorization_captured`: The specified authorization has already been
    /// captured and cannot be used.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationCaptured => "invalid_authorization_captured",

    /// `invalid_authorization_credit_facility_balance_shortage`: The authorization cannot
    /// be created because the remaining credit facility balance is insufficient.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidAuthorizationCreditFacilityBalanceShortage => "invalid_authorization_credit_facility_balance_shortage",

    /// `invalid_authorization_expired`: The specified authorization has expired and cannot
    /// be used.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationExpired => "invalid_authorization_expired",

    /// `invalid_authorization_id`: The format or value of `authorization_id` is invalid
    /// (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationId => "invalid_authorization_id",

    /// `invalid_authorization_not_available`: The specified authorization cannot be used.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationNotAvailable => "invalid_authorization_not_available",

    /// `invalid_authorization_not_found`: The specified authorization was not found.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationNotFound => "invalid_authorization_not_found",

    /// `invalid_authorization_not_matched`: The customers of the specified
    /// `authorization_id` and `destination_id` do not match.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationNotMatched => "invalid_authorization_not_matched",

    /// `invalid_authorization_number`: The format or value of the authorization `number` is
    /// invalid; it must be at most 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `number` value that was sent.
    InvalidAuthorizationNumber => "invalid_authorization_number",

    /// `invalid_authorization_over_amount`: The specified `amount` exceeds the
    /// authorization's amount.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationOverAmount => "invalid_authorization_over_amount",

    /// `invalid_authorization_over_due_date`: The specified `due_date` is later than the
    /// authorization's `max_due_date`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `authorization_id` value that was sent.
    InvalidAuthorizationOverDueDate => "invalid_authorization_over_due_date",

    /// `invalid_authorization_status`: The format or value of the authorization `status`
    /// filter is invalid; use one of `active`, `expired`, `captured`, `canceled`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidAuthorizationStatus => "invalid_authorization_status",

    /// `invalid_billing_accepted_at_from`: The format or value of
    /// `billing_accepted_at_from` is invalid (expected an RFC 3339 date-time, e.g.
    /// `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_accepted_at_from` value that was sent.
    InvalidBillingAcceptedAtFrom => "invalid_billing_accepted_at_from",

    /// `invalid_billing_accepted_at_to`: The format or value of `billing_accepted_at_to` is
    /// invalid (expected an RFC 3339 date-time, e.g. `2019-04-02T07:00:00+09:00`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_accepted_at_to` value that was sent.
    InvalidBillingAcceptedAtTo => "invalid_billing_accepted_at_to",

    /// `invalid_canceled_transaction_already_used`: The specified canceled transaction
    /// (`canceled_transaction_id`) has already been used.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionAlreadyUsed => "invalid_canceled_transaction_already_used",

    /// `invalid_canceled_transaction_canceled_in_effective_period`: The specified canceled
    /// transaction (`canceled_transaction_id`) was canceled within the validity period of
    /// the credit facility it consumed.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionCanceledInEffectivePeriod => "invalid_canceled_transaction_canceled_in_effective_period",

    /// `invalid_canceled_transaction_customer_not_matched`: The customer of the specified
    /// canceled transaction (`canceled_transaction_id`) does not match the customer of the
    /// new transaction.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionCustomerNotMatched => "invalid_canceled_transaction_customer_not_matched",

    /// `invalid_canceled_transaction_expired`: The specified canceled transaction
    /// (`canceled_transaction_id`) has expired.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionExpired => "invalid_canceled_transaction_expired",

    /// `invalid_canceled_transaction_id`: The format or value of `canceled_transaction_id`
    /// is invalid (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionId => "invalid_canceled_transaction_id",

    /// `invalid_canceled_transaction_inherited`: The specified canceled transaction
    /// (`canceled_transaction_id`) was itself registered using the credit of another
    /// canceled transaction.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionInherited => "invalid_canceled_transaction_inherited",

    /// `invalid_canceled_transaction_not_found`: The specified canceled transaction
    /// (`canceled_transaction_id`) was not found.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionNotFound => "invalid_canceled_transaction_not_found",

    /// `invalid_canceled_transaction_not_accepted`: The receivable of the specified
    /// canceled transaction (`canceled_transaction_id`) was never assigned (the transaction
    /// was never accepted).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionNotAccepted => "invalid_canceled_transaction_not_accepted",

    /// `invalid_canceled_transaction_not_available`: Registering a transaction that reuses
    /// a canceled transaction is not available.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionNotAvailable => "invalid_canceled_transaction_not_available",

    /// `invalid_canceled_transaction_not_canceled`: The transaction given as
    /// `canceled_transaction_id` has not been canceled.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    InvalidCanceledTransactionNotCanceled => "invalid_canceled_transaction_not_canceled",

    /// `invalid_canceled_transaction_over_amount`: The amount exceeds the amount of the
    /// specified canceled transaction (`canceled_transaction_id`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `canceled_transaction_id` value that was sent.
    /// - Note: The reference's text reads "customer name `canceled_transaction_id`", an
    ///   evident slip.
    InvalidCanceledTransactionOverAmount => "invalid_canceled_transaction_over_amount",

    /// `invalid_customer_name`: The customer name `name` is invalid; it must be a string of
    /// 1 to 50 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `name` value that was sent.
    InvalidCustomerName => "invalid_customer_name",

    /// `invalid_customer_number`: The customer number `number` is invalid; it must be a
    /// string of at most 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `number` value that was sent.
    InvalidCustomerNumber => "invalid_customer_number",

    /// `invalid_customer_destination`: The billing destination information `destination` is
    /// invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    InvalidCustomerDestination => "invalid_customer_destination",

    /// `invalid_customer_has_alert`: The `has_alert` value is invalid; use `true` (has an
    /// alert) or `false` (no alert).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `has_alert` value that was sent.
    InvalidCustomerHasAlert => "invalid_customer_has_alert",

    /// `invalid_customer_id`: The format or value of `customer_id` is invalid (example:
    /// `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `customer_id` value that was sent.
    InvalidCustomerId => "invalid_customer_id",

    /// `invalid_customer_ids`: More customer IDs were specified than allowed; specify at
    /// most 200 IDs at once.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `ids` value that was sent.
    /// - Note: The reference's text says `customer_id`, but `param` is documented as `ids`.
    InvalidCustomerIds => "invalid_customer_ids",

    /// `invalid_customer_payment_method`: The payment method `payment_method` is invalid;
    /// use `account_transfer` (direct debit) or `bank_transfer`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `payment_method` value that was sent.
    InvalidCustomerPaymentMethod => "invalid_customer_payment_method",

    /// `invalid_destination_address1`: The destination `address1` is invalid; it must be a
    /// string of 1 to 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `address1` value that was sent.
    InvalidDestinationAddress1 => "invalid_destination_address1",

    /// `invalid_destination_address2`: The destination `address2` is invalid; it must be a
    /// string of at most 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `address2` value that was sent.
    /// - Note: The reference's text names `address1` here, an evident copy error; `param`
    ///   is `address2`.
    InvalidDestinationAddress2 => "invalid_destination_address2",

    /// `invalid_destination_cc_emails`: The `cc_emails` value is invalid; each entry must
    /// be an email address, and at most 4 entries are allowed.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `cc_emails` value that was sent.
    InvalidDestinationCcEmails => "invalid_destination_cc_emails",

    /// `invalid_destination_department`: The `department` value is invalid; it must be a
    /// string of at most 50 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `department` value that was sent.
    InvalidDestinationDepartment => "invalid_destination_department",

    /// `invalid_destination_email`: The destination `email` is invalid; it must be an email
    /// address.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `email` value that was sent.
    InvalidDestinationEmail => "invalid_destination_email",

    /// `invalid_destination_id`: The format or value of `destination_id` is invalid
    /// (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `destination_id` value that was sent.
    InvalidDestinationId => "invalid_destination_id",

    /// `invalid_destination_name`: The destination contact `name` is invalid; it must be a
    /// string of at most 30 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `name` value that was sent.
    InvalidDestinationName => "invalid_destination_name",

    /// `invalid_destination_name_kana`: The `name_kana` value is invalid; it must be at
    /// most 60 katakana characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `name_kana` value that was sent.
    InvalidDestinationNameKana => "invalid_destination_name_kana",

    /// `invalid_destination_tel`: The destination `tel` is invalid; it must be a valid
    /// phone number.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `tel` value that was sent.
    InvalidDestinationTel => "invalid_destination_tel",

    /// `invalid_destination_title`: The `title` value is invalid; it must be a string of at
    /// most 30 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `title` value that was sent.
    InvalidDestinationTitle => "invalid_destination_title",

    /// `invalid_destination_zip_code`: The destination `zip_code` is invalid; it must be a
    /// valid postal code.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `zip_code` value that was sent.
    InvalidDestinationZipCode => "invalid_destination_zip_code",

    /// `invalid_customer_examination_amount`: The examination `amount` is invalid; it must
    /// be at most JPY 150,000,000 and at least the credit balance currently in effect.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidCustomerExaminationAmount => "invalid_customer_examination_amount",

    /// `invalid_customer_examination_amount_with_balance`: The examination `amount` is not
    /// greater than the credit balance currently in effect; it must be at most JPY
    /// 150,000,000 and greater than that balance.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the credit balance currently in effect (`balance`), not the value that
    ///   was sent.
    InvalidCustomerExaminationAmountWithBalance => "invalid_customer_examination_amount_with_balance",

    /// `invalid_customer_examination_business_description`: The `business_description`
    /// value is invalid; it must be at most 500 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `business_description` value that was sent.
    InvalidCustomerExaminationBusinessDescription => "invalid_customer_examination_business_description",

    /// `invalid_customer_examination_business_type`: The `business_type` value is invalid;
    /// use `individual` (sole proprietor) or `corporate`, or leave it empty if unknown.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `business_type` value that was sent.
    InvalidCustomerExaminationBusinessType => "invalid_customer_examination_business_type",

    /// `invalid_customer_examination_address1`: The examination `address1` is invalid; it
    /// must be a string of 1 to 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `address1` value that was sent.
    InvalidCustomerExaminationAddress1 => "invalid_customer_examination_address1",

    /// `invalid_customer_examination_address2`: The examination `address2` is invalid; it
    /// must be a string of at most 100 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `address2` value that was sent.
    /// - Note: The reference's text names `address1` here, an evident copy error; `param`
    ///   is `address2`.
    InvalidCustomerExaminationAddress2 => "invalid_customer_examination_address2",

    /// `invalid_customer_examination_corporate_number`: The `corporate_number` value is
    /// invalid; it must be 13 digits, sent as a string.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `corporate_number` value that was sent.
    InvalidCustomerExaminationCorporateNumber => "invalid_customer_examination_corporate_number",

    /// `invalid_customer_examination_email`: The examination `email` is invalid; it must be
    /// an email address.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `email` value that was sent.
    InvalidCustomerExaminationEmail => "invalid_customer_examination_email",

    /// `invalid_customer_examination_end_date`: The `end_date` value is invalid; it must be
    /// an available date (example: `2019-04-30`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: a list of valid candidate dates.
    InvalidCustomerExaminationEndDate => "invalid_customer_examination_end_date",

    /// `invalid_customer_examination_id`: The format or value of `customer_examination_id`
    /// is invalid (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `customer_examination_id` value that was sent.
    InvalidCustomerExaminationId => "invalid_customer_examination_id",

    /// `invalid_customer_examination_remark`: The `remark` value is invalid; it must be at
    /// most 500 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `remark` value that was sent.
    InvalidCustomerExaminationRemark => "invalid_customer_examination_remark",

    /// `invalid_customer_examination_representative_name`: The `representative_name` value
    /// is invalid; it must be at most 30 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `representative_name` value that was sent.
    InvalidCustomerExaminationRepresentativeName => "invalid_customer_examination_representative_name",

    /// `invalid_customer_examination_status`: The examination `status` filter is invalid;
    /// use `unexamined` (not yet examined), `passed` or `rejected`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidCustomerExaminationStatus => "invalid_customer_examination_status",

    /// `invalid_customer_examination_tel`: The examination `tel` is invalid; it must be a
    /// valid phone number.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `tel` value that was sent.
    InvalidCustomerExaminationTel => "invalid_customer_examination_tel",

    /// `invalid_customer_examination_website`: The `website` value is invalid; it must be a
    /// valid URL of at most 500 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `website` value that was sent.
    InvalidCustomerExaminationWebsite => "invalid_customer_examination_website",

    /// `invalid_customer_examination_zip_code`: The examination `zip_code` is invalid; it
    /// must be a valid postal code.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `zip_code` value that was sent.
    InvalidCustomerExaminationZipCode => "invalid_customer_examination_zip_code",

    /// `invalid_credit_facility_status`: The format or value of the credit facility
    /// `status` filter is invalid; use `expired`, `active` or `inactive`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidCreditFacilityStatus => "invalid_credit_facility_status",

    /// `invalid_credit_facility_end_date_from`: The format or value of `end_date_from` is
    /// invalid (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `end_date_from` value that was sent.
    InvalidCreditFacilityEndDateFrom => "invalid_credit_facility_end_date_from",

    /// `invalid_credit_facility_end_date_to`: The format or value of `end_date_to` is
    /// invalid (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `end_date_to` value that was sent.
    InvalidCreditFacilityEndDateTo => "invalid_credit_facility_end_date_to",

    /// `invalid_credit_facility_id`: The format or value of `credit_facility_id` is invalid
    /// (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `credit_facility_id` value that was sent.
    InvalidCreditFacilityId => "invalid_credit_facility_id",

    /// `invalid_credit_facility_start_date_from`: The format or value of `start_date_from`
    /// is invalid (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `start_date_from` value that was sent.
    InvalidCreditFacilityStartDateFrom => "invalid_credit_facility_start_date_from",

    /// `invalid_credit_facility_start_date_to`: The format or value of `start_date_to` is
    /// invalid (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `start_date_to` value that was sent.
    InvalidCreditFacilityStartDateTo => "invalid_credit_facility_start_date_to",

    /// `invalid_transaction_amount`: The transaction `amount` is invalid; it must be
    /// between JPY 1 and 2,147,483,647.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidTransactionAmount => "invalid_transaction_amount",

    /// `invalid_customer_name_update_name`: The new customer `name` in a name-change
    /// request is invalid; it must be a string of at most 50 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `name` value that was sent.
    InvalidCustomerNameUpdateName => "invalid_customer_name_update_name",

    /// `invalid_customer_name_update_reason`: The `reason` value is invalid; it must be a
    /// string of at most 500 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `reason` value that was sent.
    InvalidCustomerNameUpdateReason => "invalid_customer_name_update_reason",

    /// `invalid_customer_name_update_under_examination`: The specified customer
    /// (`customer_id`) already has a customer-name change request under examination.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `customer_id` value that was sent.
    InvalidCustomerNameUpdateUnderExamination => "invalid_customer_name_update_under_examination",

    /// `invalid_customer_name_update_id`: The format or value of `customer_name_update_id`
    /// is invalid (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `customer_name_update_id` value that was sent.
    InvalidCustomerNameUpdateId => "invalid_customer_name_update_id",

    /// `invalid_customer_name_update_not_found`: The specified customer-name change request
    /// was not found.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `customer_name_update_id` value that was sent.
    InvalidCustomerNameUpdateNotFound => "invalid_customer_name_update_not_found",

    /// `invalid_customer_name_update_status`: The format or value of the name-change
    /// `status` filter is invalid; use `unexamined`, `passed` or `rejected`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidCustomerNameUpdateStatus => "invalid_customer_name_update_status",

    /// `invalid_invoice_id`: The format or value of `invoice_id` is invalid (example:
    /// `GY9N-EWNM`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `invoice_id` value that was sent.
    InvalidInvoiceId => "invalid_invoice_id",

    /// `invalid_transaction_amounts_per_tax_rate_type`: The `amounts_per_tax_rate_type`
    /// value is invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amounts_per_tax_rate_type` value that was sent.
    InvalidTransactionAmountsPerTaxRateType => "invalid_transaction_amounts_per_tax_rate_type",

    /// `invalid_transaction_billing`: The `billing` filter is invalid; use `true` (subject
    /// to billing) or `false` (not subject to billing).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing` value that was sent.
    InvalidTransactionBilling => "invalid_transaction_billing",

    /// `invalid_transaction_billing_condition`: The `billing_condition` value is invalid;
    /// use `all` (bill regardless of the examination result) or `passed` (bill only
    /// transactions that passed examination).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_condition` value that was sent.
    InvalidTransactionBillingCondition => "invalid_transaction_billing_condition",

    /// `invalid_transaction_details`: The transaction details value is invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    /// - Note: The reference calls the field `details`; the payload field is
    ///   `transaction_details`.
    InvalidTransactionDetails => "invalid_transaction_details",

    /// `invalid_transaction_details_amount_total`: The sum of the transaction details'
    /// subtotals is less than 1.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: none (the reference gives `-`).
    InvalidTransactionDetailsAmountTotal => "invalid_transaction_details_amount_total",

    /// `invalid_transaction_detail_amount`: A detail `amount` is invalid; it must be
    /// between -2147483648 and 2147483647 with at most 4 decimal places, and equal unit
    /// price × quantity.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `amount` value that was sent.
    InvalidTransactionDetailAmount => "invalid_transaction_detail_amount",

    /// `invalid_transaction_detail_description`: A detail `description` is invalid; it must
    /// be a string of 1 to 250 characters.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `description` value that was sent.
    InvalidTransactionDetailDescription => "invalid_transaction_detail_description",

    /// `invalid_transaction_detail_quantity`: A detail `quantity` is invalid; it must be
    /// between 0 and 2147483647 with at most 4 decimal places.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `quantity` value that was sent.
    /// - Note: The schema's minimum for `quantity` is -2147483648 and the examples use
    ///   negative quantities, so the documented lower bound of 0 may be stale.
    InvalidTransactionDetailQuantity => "invalid_transaction_detail_quantity",

    /// `invalid_transaction_detail_tax_included_type`: A detail `tax_included_type` is
    /// invalid; use `included` (tax included) or `excluded` (tax excluded).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `tax_included_type` value that was sent.
    InvalidTransactionDetailTaxIncludedType => "invalid_transaction_detail_tax_included_type",

    /// `invalid_transaction_detail_tax_rate_type`: A detail `tax_rate_type` is invalid; use
    /// one of `non_taxable` (tax exempt), `normal_8` (8%), `normal_10` (10%), `reduced_8`
    /// (reduced 8%), `transitional_measures_8` (transitional 8%) or `inapplicable` (out of
    /// scope).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `tax_rate_type` value that was sent.
    InvalidTransactionDetailTaxRateType => "invalid_transaction_detail_tax_rate_type",

    /// `invalid_transaction_detail_unit_price`: A detail `unit_price` is invalid; it must
    /// be between -2147483648 and 2147483647 with at most 4 decimal places.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `unit_price` value that was sent.
    InvalidTransactionDetailUnitPrice => "invalid_transaction_detail_unit_price",

    /// `invalid_transaction_date`: The format or value of `date` is invalid (expected a
    /// date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `date` value that was sent.
    InvalidTransactionDate => "invalid_transaction_date",

    /// `invalid_transaction_date_from`: The format or value of `date_from` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `date_from` value that was sent.
    InvalidTransactionDateFrom => "invalid_transaction_date_from",

    /// `invalid_transaction_date_to`: The format or value of `date_to` is invalid (expected
    /// a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `date_to` value that was sent.
    InvalidTransactionDateTo => "invalid_transaction_date_to",

    /// `invalid_transaction_due_date`: The format or value of `due_date` is invalid; it
    /// must be an available date (example: `2019-04-30`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `due_date` value that was sent.
    InvalidTransactionDueDate => "invalid_transaction_due_date",

    /// `invalid_transaction_duplicate_invoice_delivery_method`: `invoice_delivery_methods`
    /// contains the same delivery method more than once.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the duplicated delivery method.
    InvalidTransactionDuplicateInvoiceDeliveryMethod => "invalid_transaction_duplicate_invoice_delivery_method",

    /// `invalid_transaction_invoice_delivery_methods`: The `invoice_delivery_methods` value
    /// is invalid.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `invoice_delivery_methods` value that was sent.
    InvalidTransactionInvoiceDeliveryMethods => "invalid_transaction_invoice_delivery_methods",

    /// `invalid_transaction_issue_date`: The format or value of `issue_date` is invalid; it
    /// must be an available date (example: `2019-04-30`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `issue_date` value that was sent.
    InvalidTransactionIssueDate => "invalid_transaction_issue_date",

    /// `invalid_transaction_id`: The format or value of `transaction_id` is invalid
    /// (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `transaction_id` value that was sent.
    InvalidTransactionId => "invalid_transaction_id",

    /// `invalid_transaction_multiple_inheritable_options`: `authorization_id` and
    /// `canceled_transaction_id` cannot be specified together.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: documented as the `number` value that was sent.
    /// - Note: That `param` description looks like a copy error (neither conflicting field
    ///   is `number`); do not rely on its content.
    InvalidTransactionMultipleInheritableOptions => "invalid_transaction_multiple_inheritable_options",

    /// `invalid_transaction_number`: The transaction `number` is invalid; it must be a
    /// string of 1 to 100 characters that no other transaction uses.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `number` value that was sent.
    InvalidTransactionNumber => "invalid_transaction_number",

    /// `invalid_transaction_status`: The transaction `status` filter is invalid; use
    /// `unexamined` (under examination), `passed`, `rejected` or `canceled`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidTransactionStatus => "invalid_transaction_status",

    /// `not_cancelable_transaction_status`: The specified transaction is in a state that
    /// cannot be canceled.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `transaction_id` that was sent.
    NotCancelableTransactionStatus => "not_cancelable_transaction_status",

    /// `invalid_billing_due_date_from`: The format or value of `due_date_from` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `due_date_from` value that was sent.
    InvalidBillingDueDateFrom => "invalid_billing_due_date_from",

    /// `invalid_billing_due_date_to`: The format or value of `due_date_to` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `due_date_to` value that was sent.
    InvalidBillingDueDateTo => "invalid_billing_due_date_to",

    /// `invalid_billing_id`: The format or value of `billing_id` is invalid (example:
    /// `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_id` value that was sent.
    InvalidBillingId => "invalid_billing_id",

    /// `invalid_billing_issue_date_from`: The format or value of `issue_date_from` is
    /// invalid (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `issue_date_from` value that was sent.
    InvalidBillingIssueDateFrom => "invalid_billing_issue_date_from",

    /// `invalid_billing_issue_date_to`: The format or value of `issue_date_to` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `issue_date_to` value that was sent.
    InvalidBillingIssueDateTo => "invalid_billing_issue_date_to",

    /// `invalid_billing_unpaid`: The `unpaid` filter is invalid; use `true` (has an unpaid
    /// amount) or `false` (nothing unpaid).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `unpaid` value that was sent.
    InvalidBillingUnpaid => "invalid_billing_unpaid",

    /// `invalid_billing_status`: The billing `status` filter is invalid; use `scheduled`,
    /// `invoice_issued` or `account_transfer_notified`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidBillingStatus => "invalid_billing_status",

    /// `invalid_payout_date_from`: The format or value of `payout_date_from` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `payout_date_from` value that was sent.
    InvalidPayoutDateFrom => "invalid_payout_date_from",

    /// `invalid_payout_date_to`: The format or value of `payout_date_to` is invalid
    /// (expected a date, e.g. `2019-04-02`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `payout_date_to` value that was sent.
    InvalidPayoutDateTo => "invalid_payout_date_to",

    /// `invalid_payout_id`: The format or value of `payout_id` is invalid (example:
    /// `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `payout_id` value that was sent.
    InvalidPayoutId => "invalid_payout_id",

    /// `invalid_payout_status`: The payout `status` filter is invalid; use `in_progress`
    /// (transfer in progress) or `completed`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `status` value that was sent.
    InvalidPayoutStatus => "invalid_payout_status",

    /// `invalid_payout_transaction_id`: The format or value of `payout_transaction_id` is
    /// invalid (example: `9R6M-VMAN`).
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `payout_transaction_id` value that was sent.
    InvalidPayoutTransactionId => "invalid_payout_transaction_id",

    /// `invalid_reissuing_billing_canceled`: The billing to reissue (`billing_id`) has been
    /// canceled.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_id` value that was sent.
    InvalidReissuingBillingCanceled => "invalid_reissuing_billing_canceled",

    /// `invalid_reissuing_billing_not_issued`: The billing to reissue (`billing_id`) has
    /// not been issued; specify a billing whose invoice, or direct-debit notice and
    /// invoice, has already been issued.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_id` value that was sent.
    InvalidReissuingBillingNotIssued => "invalid_reissuing_billing_not_issued",

    /// `invalid_reissuing_payload_customer_not_matched`: The reissue `destination_id` is
    /// invalid; it must be a destination of the customer linked to the specified
    /// `billing_id`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `destination_id` value that was sent.
    InvalidReissuingPayloadCustomerNotMatched => "invalid_reissuing_payload_customer_not_matched",

    /// `invalid_reissuing_payload_destination_not_found`: The reissue `destination_id` was
    /// not found.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `destination_id` value that was sent.
    InvalidReissuingPayloadDestinationNotFound => "invalid_reissuing_payload_destination_not_found",

    /// `invalid_reissuing_payload_duplicated_invoice_delivery_methods`: The reissue
    /// `invoice_delivery_methods` contains duplicates; choose from `posting` (mail) and
    /// `email` without repeating a value.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `invoice_delivery_methods` value that was sent.
    InvalidReissuingPayloadDuplicatedInvoiceDeliveryMethods => "invalid_reissuing_payload_duplicated_invoice_delivery_methods",

    /// `invalid_reissuing_payload_invoice_delivery_methods`: The format or value of the
    /// reissue `invoice_delivery_methods` is invalid; choose from `posting` (mail) and
    /// `email`.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `invoice_delivery_methods` value that was sent.
    InvalidReissuingPayloadInvoiceDeliveryMethods => "invalid_reissuing_payload_invoice_delivery_methods",

    /// `invalid_reissuing_unavailable`: The specified billing (`billing_id`) is being
    /// issued or cannot be reissued.
    ///
    /// - HTTP status: 4xx, not further specified.
    /// - `param`: the `billing_id` value that was sent.
    InvalidReissuingUnavailable => "invalid_reissuing_unavailable",

    /// `already_exists`: The resource to create already exists. Not in the reference's code
    /// list; documented for `POST /v2/destinations` when the same destination is already
    /// registered (v1-to-v2 migration guide and the 2020.04.21 release note).
    ///
    /// - HTTP status: 409 Conflict.
    /// - `param`: the ID of the already registered destination (since 2020.04.21).
    AlreadyExists => "already_exists",

    /// `invalid_parameter`: A parameter is invalid. Not in the reference's code list; it
    /// appears only in the generic error-response example (message `parameter must be a
    /// valid one.`).
    ///
    /// - HTTP status: not documented (the example sits under 4xx errors).
    /// - `param`: not documented (the example shows an ID, `9R6M-VMAN`).
    InvalidParameter => "invalid_parameter",

    /// `out_of_range`: Pagination pointed outside the available range. Not in the
    /// reference's code list; the pagination section says repeating a request when
    /// `pagination.has_next` is `false` returns it, while the list only has
    /// [`OutOfRangeByAfter`](ErrorCode::OutOfRangeByAfter) and
    /// [`OutOfRangeByBefore`](ErrorCode::OutOfRangeByBefore).
    ///
    /// - HTTP status: not documented.
    /// - `param`: not documented.
    OutOfRange => "out_of_range",
    }
    unknown = "A code this version of the SDK does not know, holding the wire string unchanged. \
        Parsing only produces this variant for strings that match no other variant; an \
        `Unknown` built by hand from a known string (for example `Unknown(\"not_found\".into())`) \
        is not equal to the matching variant.";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn known_count_and_distinct_wire_strings() {
        assert_eq!(ErrorCode::KNOWN.len(), 138);
        let wires: HashSet<&str> = ErrorCode::KNOWN.iter().map(ErrorCode::as_str).collect();
        assert_eq!(
            wires.len(),
            ErrorCode::KNOWN.len(),
            "duplicate wire strings"
        );
        let variants: HashSet<&ErrorCode> = ErrorCode::KNOWN.iter().collect();
        assert_eq!(variants.len(), ErrorCode::KNOWN.len(), "duplicate variants");
        assert!(ErrorCode::KNOWN.iter().all(ErrorCode::is_known));
    }

    #[test]
    fn wire_strings_are_snake_case_of_variant_names() {
        for code in ErrorCode::KNOWN {
            let wire = code.as_str();
            let camel: String = wire
                .split('_')
                .map(|part| {
                    let mut chars = part.chars();
                    let first = chars.next().expect("empty segment in wire string");
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
                .collect();
            assert_eq!(format!("{code:?}"), camel);
        }
    }

    #[test]
    fn known_codes_round_trip_through_strings() {
        for code in ErrorCode::KNOWN {
            let wire = code.as_str();
            assert_eq!(&wire.parse::<ErrorCode>().unwrap(), code);
            assert_eq!(&ErrorCode::from(wire), code);
            assert_eq!(&ErrorCode::from(wire.to_owned()), code);
            assert_eq!(code.to_string(), wire);
        }
    }

    #[test]
    fn known_codes_round_trip_through_serde_json() {
        for code in ErrorCode::KNOWN {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(&serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
            let value = serde_json::Value::String(code.as_str().to_owned());
            assert_eq!(&serde_json::from_value::<ErrorCode>(value).unwrap(), code);
        }
    }

    #[test]
    fn unknown_code_round_trips() {
        let wire = "some_code_added_later";
        let code: ErrorCode = wire.parse().unwrap();
        assert_eq!(code, ErrorCode::Unknown(wire.to_owned()));
        assert!(!code.is_known());
        assert_eq!(code.as_str(), wire);
        assert_eq!(code.to_string(), wire);
        assert_eq!(ErrorCode::from(wire.to_owned()), code);

        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"some_code_added_later\"");
        assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);

        // Matching is exact: case and surrounding whitespace are not normalized.
        assert!(!ErrorCode::from("Invalid_Limit").is_known());
        assert!(!ErrorCode::from(" invalid_limit").is_known());
        assert!(!ErrorCode::from("").is_known());
    }

    #[test]
    fn deserializes_inside_an_error_object() {
        #[derive(serde::Deserialize)]
        struct Error {
            code: ErrorCode,
            param: Option<String>,
        }
        let errors: Vec<Error> = serde_json::from_str(
            r#"[
                {"code": "invalid_after", "message": "bad", "param": "9R6M-VMAN"},
                {"code": "brand_new_code", "message": "?"}
            ]"#,
        )
        .unwrap();
        assert_eq!(errors[0].code, ErrorCode::InvalidAfter);
        assert_eq!(errors[0].param.as_deref(), Some("9R6M-VMAN"));
        assert_eq!(
            errors[1].code,
            ErrorCode::Unknown("brand_new_code".to_owned())
        );
        assert!(serde_json::from_str::<ErrorCode>("42").is_err());
    }

    /// Checks the code list extracted from the reference's code table, committed as
    /// `tests/fixtures/error_codes.json`.
    #[test]
    fn every_code_in_reference_index_is_known() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/error_codes.json");
        let text = std::fs::read_to_string(&path).expect("the committed fixture is readable");
        let index: serde_json::Value = serde_json::from_str(&text).unwrap();
        let listed: Vec<&str> = index["error_codes"]
            .as_array()
            .expect("error_codes array")
            .iter()
            .map(|entry| entry["code"].as_str().expect("code string"))
            .collect();
        assert!(!listed.is_empty());
        for wire in &listed {
            assert!(ErrorCode::from(*wire).is_known(), "unknown code {wire}");
        }
        // KNOWN keeps the reference's order for the listed codes.
        let known_listed: Vec<&str> = ErrorCode::KNOWN
            .iter()
            .map(ErrorCode::as_str)
            .filter(|wire| listed.contains(wire))
            .collect();
        assert_eq!(known_listed, listed);
    }
}
