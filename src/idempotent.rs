//! Creating objects that carry a seller-chosen unique `number` without ever
//! creating them twice.
//!
//! A POST that timed out, was reset after sending, or got a 5xx may or may
//! not have been processed. Retrying it blindly could register a second
//! transaction; giving up could lose one. Because customers, transactions
//! and authorizations have a `number` the seller chooses and the server keeps
//! unique, the ambiguity can be resolved: look the object up by its number,
//! return it if it exists, and create it only if it does not.

use std::{future::Future, time::Instant};

use crate::{error::RetryKind, Client, Error, Result};

impl Client {
    /// Runs `create`; on an ambiguous failure or a 409, asks `find` whether
    /// the object exists and returns it, otherwise creates again, within the
    /// client's retry policy (attempts and time budget).
    pub(crate) async fn create_or_find<T, C, CF, F, FF>(&self, create: C, find: F) -> Result<T>
    where
        C: Fn() -> CF,
        CF: Future<Output = Result<T>>,
        F: Fn() -> FF,
        FF: Future<Output = Result<Option<T>>>,
    {
        let policy = self.retry_policy().clone();
        let started = Instant::now();
        let mut attempt = 1u32;
        loop {
            let error = match create().await {
                Ok(created) => return Ok(created),
                Err(e) => e,
            };
            let ambiguous = error.retry_kind() == Some(RetryKind::Transient);
            if !(ambiguous || error.is_conflict()) {
                return Err(error);
            }
            // The first request may have been processed (or, on a 409, an
            // earlier one was): the number tells.
            if let Some(existing) = find().await? {
                tracing::debug!(error = %error, "found the object the failed request created");
                return Ok(existing);
            }
            if error.is_conflict() {
                return Err(error);
            }
            // Not there: the request was not processed, so sending it again
            // cannot duplicate anything. Lookup made this safe to treat as idempotent.
            match policy.next_wait(attempt, &error, true, started.elapsed()) {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return Err(error),
            }
        }
    }
}

impl Client {
    /// [`Client::create_or_find`] for objects found by listing with a
    /// `number` filter: `lookup(number)` fetches the page, `number_of` reads
    /// an item's number.
    pub(crate) async fn create_by_number<T, C, CF, L, LF, N>(
        &self,
        number: &str,
        create: C,
        lookup: L,
        number_of: N,
    ) -> Result<T>
    where
        C: Fn() -> CF,
        CF: Future<Output = Result<T>>,
        L: Fn(String) -> LF,
        LF: Future<Output = Result<crate::Page<T>>>,
        N: Fn(&T) -> Option<&str>,
    {
        let number = number.trim();
        if number.is_empty() {
            return Err(needs_number("number"));
        }
        let find = || async {
            let page = lookup(number.to_string()).await?;
            Ok(with_number(page.items, number, &number_of))
        };
        self.create_or_find(create, find).await
    }
}

/// The object with this `number` among a page of lookup results, if any.
pub(crate) fn with_number<T>(
    items: Vec<T>,
    number: &str,
    of: impl Fn(&T) -> Option<&str>,
) -> Option<T> {
    items.into_iter().find(|item| of(item) == Some(number))
}

/// The error for `create_idempotent` when the payload has no usable number.
pub(crate) fn needs_number(field: &str) -> Error {
    Error::validation(
        None,
        None,
        format!("{field} is required to create idempotently"),
    )
}
