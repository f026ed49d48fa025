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

use std::{
    future::Future,
    time::{Duration, Instant},
};

use crate::{
    error::{OutcomeUnknown, RetryKind},
    Client, Error, Result,
};

tokio::task_local! {
    /// When the whole `create_idempotent` call must be over. Every request
    /// it makes (creates and lookups, each with its own retries) stops at
    /// it, so the retry budget holds for the whole call.
    pub(crate) static DEADLINE: Instant;
}

impl Client {
    /// Runs `create`; on an ambiguous failure or a 409, asks `find` whether
    /// the object numbered `number` exists and returns it, otherwise creates
    /// again, within the client's retry policy (attempts and time budget).
    pub(crate) async fn create_or_find<T, C, CF, F, FF>(
        &self,
        number: &str,
        create: C,
        find: F,
    ) -> Result<T>
    where
        C: Fn() -> CF,
        CF: Future<Output = Result<T>>,
        F: Fn() -> FF,
        FF: Future<Output = Result<Option<T>>>,
    {
        let started = Instant::now();
        let deadline = started + self.retry_policy().time_budget();
        DEADLINE
            .scope(
                deadline,
                self.create_or_find_until(number, started, deadline, create, find),
            )
            .await
    }

    async fn create_or_find_until<T, C, CF, F, FF>(
        &self,
        number: &str,
        started: Instant,
        deadline: Instant,
        create: C,
        find: F,
    ) -> Result<T>
    where
        C: Fn() -> CF,
        CF: Future<Output = Result<T>>,
        F: Fn() -> FF,
        FF: Future<Output = Result<Option<T>>>,
    {
        let policy = self.retry_policy().clone();
        let mut attempt = 1u32;
        loop {
            let error = match create().await {
                Ok(created) => return Ok(created),
                Err(e) => e,
            };
            let ambiguous = may_have_been_processed(&error);
            if !(ambiguous || error.is_conflict()) {
                return Err(error);
            }
            // The request may have been processed (or, on a 409, an earlier
            // one was): the number tells.
            let found = match self.find_until(&find, deadline).await {
                Ok(found) => found,
                Err(lookup) => {
                    return Err(outcome_unknown(number, error, Some(lookup)));
                }
            };
            if let Some(existing) = found {
                tracing::debug!(error = %error, "found the object the failed request created");
                return Ok(existing);
            }
            if error.is_conflict() {
                // A 409 about something other than this number.
                return Err(error);
            }
            // Not there: sending it again cannot duplicate anything (a late
            // first request makes the second one a 409, which finds it).
            let next = policy
                .next_wait(attempt, &error, true, started.elapsed())
                .filter(|wait| room_before(deadline, *wait, self.attempt_timeout()))
                .filter(|_| self.retry_quota().acquire(&error).is_some());
            match next {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                // A request that timed out or was cut may still be running
                // on the server: one lookup that found nothing proves nothing.
                None if still_in_flight(&error) => {
                    return Err(outcome_unknown(number, error, None));
                }
                None => return Err(error),
            }
        }
    }

    /// `find`, tried again after failures until it answers or the deadline
    /// leaves no room.
    async fn find_until<T, F, FF>(&self, find: &F, deadline: Instant) -> Result<Option<T>>
    where
        F: Fn() -> FF,
        FF: Future<Output = Result<Option<T>>>,
    {
        let policy = self.retry_policy();
        let mut attempt = 1u32;
        loop {
            let error = match find().await {
                Ok(found) => return Ok(found),
                Err(e) => e,
            };
            // A lookup is a GET: anything but a definite refusal may pass.
            if error.retry_kind().is_none() {
                return Err(error);
            }
            attempt += 1;
            let wait = policy.delay_before(attempt, &error);
            if !room_before(deadline, wait, self.attempt_timeout())
                || self.retry_quota().acquire(&error).is_none()
            {
                return Err(error);
            }
            tokio::time::sleep(wait).await;
        }
    }

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
        check_number("number", number)?;
        let find = || async {
            let page = lookup(number.to_string()).await?;
            Ok(with_number(page.items, number, &number_of))
        };
        self.create_or_find(number, create, find).await
    }
}

/// Whether a failed create may have been processed: the server may have
/// done it before the answer was lost (timeout, reset, 5xx), or did it and
/// sent an answer that could not be read (a 2xx that did not decode, or
/// was too large).
fn may_have_been_processed(error: &Error) -> bool {
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
fn still_in_flight(error: &Error) -> bool {
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

fn outcome_unknown(number: &str, create: Error, lookup: Option<Error>) -> Error {
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
