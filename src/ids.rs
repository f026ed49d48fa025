//! Typed ids: one newtype per kind of object, so a [`DestinationId`] cannot
//! be passed where a [`CustomerId`] is expected.
//!
//! Ids are issued by Money Forward Kessai (`"WNAV-37R6"`); the SDK never
//! parses them. Each type is serde-transparent (a plain JSON string), prints
//! as the id itself, converts from `String` and `&str`, and is cheap to clone
//! (a reference-counted string). Which property holds which id is recorded in
//! `swagger.overlay.yaml`; the generated types use these.
//!
//! ```
//! use mfkessai::ids::CustomerId;
//! let id: CustomerId = "WNAV-37R6".into();
//! assert_eq!(id.to_string(), "WNAV-37R6");
//! assert_eq!(id, "WNAV-37R6");
//! assert_eq!(serde_json::to_string(&id).unwrap(), r#""WNAV-37R6""#);
//! ```
//!
//! Ids of different kinds do not mix:
//!
//! ```compile_fail
//! # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
//! let destination = mfkessai::ids::DestinationId::from("7679-YW36");
//! let customer = client.customers().get(&destination).await?; // expected `&CustomerId`
//! # Ok(()) }
//! ```
//!
//! ```
//! # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
//! let customer = mfkessai::ids::CustomerId::from("WNAV-37R6");
//! let customer = client.customers().get(&customer).await?;
//! # Ok(()) }
//! ```

use std::{fmt, str::FromStr, sync::Arc};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        ///
        /// A newtype over the id string: serde-transparent, `Display`s as the
        /// id, and cheap to clone.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The id as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        /// The empty id, for building test fixtures with
        /// `..Default::default()`. The server never sends one, and decoding
        /// never falls back to it: a missing id is an error.
        impl Default for $name {
            fn default() -> Self {
                $name(Arc::from(""))
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id.into())
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.into())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.as_str().into())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.to_string()
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(id: &str) -> Result<Self, Self::Err> {
                Ok(id.into())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<&String> for $name {
            fn eq(&self, other: &&String) -> bool {
                *self.0 == ***other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                **self == *other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                *self == *other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                **self == *other.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let id = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name(id.as_ref().into()))
            }
        }
    )*};
}

id_type! {
    /// A customer's id (顧客ID), `Customer.id`.
    CustomerId,
    /// A destination's id (請求先ID), `Destination.id`.
    DestinationId,
    /// A credit examination's id (与信枠審査ID), `CustomerExamination.id`.
    CustomerExaminationId,
    /// A credit facility's id (与信枠ID), `CreditFacility.id`.
    CreditFacilityId,
    /// A transaction's id (取引ID), `Transaction.id`.
    TransactionId,
    /// A billing's id (請求ID), `Billing.id`.
    BillingId,
    /// An invoice's id (請求書ID), `Invoice.id`.
    InvoiceId,
    /// An account transfer notification's id (口座振替通知ID).
    AccountTransferNotificationId,
    /// The id of a document issued for a billing (`Issue.id`, `i/…` or `a/…`).
    IssueId,
    /// A payout's id (振込ID), `Payout.id`.
    PayoutId,
    /// A payout transaction's id (振込取引ID), `PayoutTransaction.id`.
    PayoutTransactionId,
    /// A payout refund's id (返金ID), `PayoutRefund.id`.
    PayoutRefundId,
    /// A customer name update's id (顧客名変更申請ID), `CustomerNameUpdate.id`.
    CustomerNameUpdateId,
    /// An authorization's id (オーソリゼーションID), `Authorization.id`.
    AuthorizationId,
    /// A webhook event's id (`event_id`), the same on every delivery of one event.
    EventId,
}
