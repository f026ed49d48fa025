//! One handle per object of the API, reached from [`crate::Client`]
//! (`client.customers()`, …). Each exposes every operation of its object
//! with typed parameters and results; list operations return builders.

pub mod customers;

pub use customers::{Customers, ListCustomers};
