//! One handle per object of the API, reached from [`crate::Client`]
//! (`client.customers()`, …). Each exposes every operation of its object
//! with typed parameters and results; list operations return a
//! [`ListRequest`](crate::pagination::ListRequest) with typed filters.

pub mod authorizations;
pub mod billings;
pub mod credit_facilities;
pub mod customer_examinations;
pub mod customer_name_updates;
pub mod customers;
pub mod destinations;
pub mod payout_refunds;
pub mod payout_transactions;
pub mod payouts;
pub mod transactions;

pub use authorizations::{Authorizations, ListAuthorizations};
pub use billings::{Billings, ListBillings, ListQualifiedBillings};
pub use credit_facilities::{CreditFacilities, ListCreditFacilities};
pub use customer_examinations::{CustomerExaminations, ListCustomerExaminations};
pub use customer_name_updates::{CustomerNameUpdates, ListCustomerNameUpdates};
pub use customers::{Customers, ListCustomers};
pub use destinations::{Destinations, ListDestinations};
pub use payout_refunds::{ListPayoutRefunds, PayoutRefunds};
pub use payout_transactions::{ListPayoutTransactions, PayoutTransactions};
pub use payouts::{ListPayouts, Payouts};
pub use transactions::{ListTransactions, Transactions};
