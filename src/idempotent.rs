//! Creating objects that carry a seller-chosen unique `number` without ever
//! creating them twice, and without ever losing one.
//!
//! A POST that timed out, was reset after sending, got a 5xx, or got a 2xx
//! whose body could not be read may or may not have been processed.
//! Retrying it blindly could register a second transaction; giving up could
//! lose one. Because customers, transactions and authorizations have a
//! `number` the seller chooses and the server keeps unique, the ambiguity
//! can be resolved: look the object up by its number, return it if it
//! exists, and create it only if it does not. When even the lookup keeps
//! failing, the caller is told the outcome is unknown
//! ([`Error::OutcomeUnknown`]), never that the create failed.
//!
//! The loop itself is `Client::create_or_find` in `call.rs`, the same
//! retry loop as every call's: the lookup is one more kind of attempt, so
//! attempts, time budget and quota hold for the whole call. This module has
//! the classification and the lookup helpers.

use std::{
    future::Future,
    time::{Duration, Instant},
};

use crate::{
    error::{OutcomeUnknown, RetryKind},
    wire::SendOperation,
    Client, Error, Result,
};

impl Client {
    /// [`Client::create_or_find`] for objects found by listing with a
    /// `number` filter: `lookup(client, number)` fetches the page (with the
    /// non-retrying client it is given), `number_of` reads an item's number.
    pub(crate) async fn create_by_number<B, C, L, LF, N>(
        &self,
        number: &str,
        create: C,
        lookup: L,
        number_of: N,
    ) -> Result<B::Response>
    where
        B: SendOperation,
        B::Response: serde::de::DeserializeOwned,
        C: FnMut() -> B,
        L: Fn(Client, String) -> LF,
        LF: Future<Output = Result<crate::Page<B::Response>>>,
        N: Fn(&B::Response) -> Option<&str>,
    {
        check_number("number", number)?;
        let (lookup, number_of) = (&lookup, &number_of);
        let find = |client: Client| async move {
            let page = lookup(client, number.to_string()).await?;
            Ok(with_number(page.items, number, number_of))
        };
        self.create_or_find(number, create, find).await
    }
}

/// Whether a failed create may have been processed: the server may have
/// done it before the answer was lost (timeout, reset, 5xx), or did it and
/// sent an answer that could not be read (a 2xx that did not decode, or
/// was too large).
pub(crate) fn may_have_been_processed(error: &Error) -> bool {
    if error.retry_kind() == Some(RetryKind::Transient) {
        return true;
    }
    match error {
        Error::Decode(_) | Error::ResponseTooLarge { .. } => error
            .status()
            .is_none_or(|s| (200..300).contains(&s) || s >= 500),
        _ => false,
    }
}

/// A timeout or a connection cut after sending: the server may still be
/// working on the request.
pub(crate) fn still_in_flight(error: &Error) -> bool {
    matches!(
        error,
        Error::Timeout { sent: true }
            | Error::Transport(crate::error::TransportError { sent: true, .. })
    )
}

/// Whether a wait of `wait` still leaves a useful attempt before `deadline`.
pub(crate) fn room_before(deadline: Instant, wait: Duration, attempt_timeout: Duration) -> bool {
    let floor = attempt_timeout.min(Duration::from_secs(1));
    Instant::now() + wait + floor <= deadline
}

pub(crate) fn outcome_unknown(number: &str, create: Error, lookup: Option<Error>) -> Error {
    Error::OutcomeUnknown(Box::new(OutcomeUnknown {
        number: number.to_string(),
        create,
        lookup,
    }))
}

/// The object with this `number` among a page of lookup results, if any.
pub(crate) fn with_number<T>(
    items: Vec<T>,
    number: &str,
    of: impl Fn(&T) -> Option<&str>,
) -> Option<T> {
    items.into_iter().find(|item| of(item) == Some(number))
}

/// A number `create_idempotent` can look up: not empty, and without
/// surrounding whitespace, which the server or a lookup might trim and so
/// never match the number that was sent.
pub(crate) fn check_number(field: &str, number: &str) -> Result<()> {
    if number.trim().is_empty() {
        return Err(Error::validation(
            None,
            Some(number.to_string()),
            format!("{field} is required to create idempotently"),
        ));
    }
    if number.trim() != number {
        return Err(Error::validation(
            None,
            Some(number.to_string()),
            format!("{field} has leading or trailing whitespace; send it trimmed"),
        ));
    }
    Ok(())
}
