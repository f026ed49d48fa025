//! When to try again, and how long to wait.
//!
//! The default never risks duplicating money: a request is retried only when
//! the server certainly did not process it (429, which the reference says
//! was not processed; a connection that failed before anything was sent), or
//! when repeating it is harmless (5xx, timeouts and resets on `GET`).
//! Creating calls that may have been processed are left to the
//! `create_idempotent` methods, which look the object up by its `number`
//! before trying again.

use std::{
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    },
    time::Duration,
};

use crate::error::{Error, RetryKind};

/// How many times to try, for how long, and how to wait in between.
///
/// Backoff is "full jitter" exponential: before retry *n* the client sleeps a
/// random duration in `0..=min(max_delay, base_delay * 2^(n-1))`, or the
/// server's `Retry-After` when it sent one (capped by the time budget).
///
/// ```
/// use std::time::Duration;
/// use mfkessai::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(200))
///     .budget(Duration::from_secs(30));
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
    honor_retry_after: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms base, 5 s cap, 45 s in all, `Retry-After` honoured.
    ///
    /// The budget is three times the client's default attempt timeout (15 s,
    /// [`crate::ClientBuilder::timeout`]), so three slow attempts fit and a
    /// call never runs past 45 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            budget: Duration::from_secs(45),
            honor_retry_after: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Total attempts, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff ceiling; it doubles with every retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff ceiling.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Time allowed for the whole call: all attempts and waits together.
    /// Each attempt's timeout is cut to what is left of the budget, and a
    /// retry is not started when too little is left for it (a second, or
    /// the attempt timeout if shorter); the last error is returned.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Whether to wait what the server's `Retry-After` says (default: yes).
    pub fn honor_retry_after(mut self, honor: bool) -> Self {
        self.honor_retry_after = honor;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured time budget.
    pub fn time_budget(&self) -> Duration {
        self.budget
    }

    /// Whether `error`, from a request that is (or is not) idempotent, may be
    /// retried at all. Independent of attempts, budget and quota.
    ///
    /// ```
    /// use mfkessai::{Error, RetryPolicy};
    /// let timeout = Error::Timeout { sent: true };
    /// assert!(RetryPolicy::allows_retry(&timeout, true), "a GET");
    /// assert!(!RetryPolicy::allows_retry(&timeout, false), "a POST may have been processed");
    /// ```
    pub fn allows_retry(error: &Error, idempotent: bool) -> bool {
        match error.retry_kind() {
            Some(RetryKind::Throttling | RetryKind::NotSent) => true,
            Some(RetryKind::Transient) => idempotent,
            _ => false,
        }
    }

    /// How long to wait before attempt `next_attempt` (2 for the first retry).
    pub fn delay_before(&self, next_attempt: u32, error: &Error) -> Duration {
        if self.honor_retry_after {
            if let Some(after) = error.retry_after() {
                return after;
            }
        }
        let exponent = next_attempt.saturating_sub(2).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The decision for one failed attempt: `Some(wait)` to retry, `None` to
    /// give up. `elapsed` is the time spent so far on this call.
    pub fn next_wait(
        &self,
        attempt: u32,
        error: &Error,
        idempotent: bool,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !Self::allows_retry(error, idempotent) {
            return None;
        }
        let wait = self.delay_before(attempt + 1, error);
        (elapsed.saturating_add(wait) <= self.budget).then_some(wait)
    }
}

/// A retry quota shared by every call of a client (and its clones), in the
/// manner of the AWS SDK's token bucket: each retry spends tokens, each
/// success puts some back. While most recent attempts fail, the bucket runs
/// dry and calls stop retrying, so a struggling server is not hammered by
/// every task at once; as answers come back, retries resume.
///
/// A retry after a 5xx or a reset costs 5 tokens, after a timeout 10 (a
/// timeout ties up a connection for longest); a 429 retry is free, since the
/// server asked for it and says when. A success puts back what its own
/// retries cost, or 1 token when it needed none. The default bucket holds
/// 500 tokens: 100 retries in a row with nothing succeeding.
///
/// ```
/// use mfkessai::{retry::RetryQuota, Client};
/// let quota = RetryQuota::new(100);
/// let client = Client::builder().api_key("k").retry_quota(quota.clone()).build().unwrap();
/// assert_eq!(quota.available(), 100);
/// # let _ = client;
/// let unlimited = RetryQuota::unlimited();
/// # let _ = unlimited;
/// ```
#[derive(Debug, Clone)]
pub struct RetryQuota {
    bucket: Option<Arc<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryQuota {
    /// The default capacity.
    pub const DEFAULT_CAPACITY: u32 = 500;
    /// What a retry after a 5xx or a reset costs.
    pub const RETRY_COST: u32 = 5;
    /// What a retry after a timeout costs.
    pub const TIMEOUT_RETRY_COST: u32 = 10;
    /// What a success without retries puts back.
    pub const SUCCESS_REFUND: u32 = 1;

    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            bucket: Some(Arc::new(Bucket {
                capacity,
                tokens: AtomicU32::new(capacity),
            })),
        }
    }

    /// No quota: retries are bounded by each call's policy only.
    pub fn unlimited() -> Self {
        RetryQuota { bucket: None }
    }

    /// Tokens left (`u32::MAX` when unlimited).
    pub fn available(&self) -> u32 {
        self.bucket
            .as_ref()
            .map_or(u32::MAX, |b| b.tokens.load(Ordering::Relaxed))
    }

    /// Takes the cost of retrying after `error`; `None` when the bucket
    /// cannot pay, and the call should give up with `error`.
    pub(crate) fn acquire(&self, error: &Error) -> Option<u32> {
        let cost = match error.retry_kind() {
            Some(RetryKind::Throttling) => 0,
            _ if matches!(error, Error::Timeout { .. }) => Self::TIMEOUT_RETRY_COST,
            _ => Self::RETRY_COST,
        };
        let Some(bucket) = &self.bucket else {
            return Some(cost);
        };
        bucket
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded after retries that cost `spent` tokens (0: none).
    pub(crate) fn release(&self, spent: u32) {
        let Some(bucket) = &self.bucket else {
            return;
        };
        let refund = if spent == 0 {
            Self::SUCCESS_REFUND
        } else {
            spent
        };
        let _ = bucket
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(refund).min(bucket.capacity))
            });
    }
}

impl Default for RetryQuota {
    /// [`RetryQuota::DEFAULT_CAPACITY`] tokens.
    fn default() -> Self {
        RetryQuota::new(Self::DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(after: Option<u64>) -> Error {
        Error::RateLimited {
            retry_after: after.map(Duration::from_secs),
            errors: vec![],
        }
    }

    fn server_error() -> Error {
        Error::Api(crate::error::ApiError {
            status: 503,
            errors: vec![],
            body_snippet: None,
        })
    }

    #[test]
    fn full_jitter_stays_within_the_exponential_ceiling() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..500 {
            assert!(p.delay_before(2, &server_error()) <= Duration::from_millis(100));
            assert!(p.delay_before(3, &server_error()) <= Duration::from_millis(200));
            assert!(p.delay_before(4, &server_error()) <= Duration::from_millis(350));
            assert!(p.delay_before(40, &server_error()) <= Duration::from_millis(350));
        }
        // Jitter really spreads: not every draw is the ceiling.
        let draws: std::collections::HashSet<Duration> = (0..50)
            .map(|_| p.delay_before(3, &server_error()))
            .collect();
        assert!(draws.len() > 10);
    }

    #[test]
    fn retry_after_wins_when_honoured() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_before(2, &limited(Some(3))), Duration::from_secs(3));
        let p = p
            .honor_retry_after(false)
            .max_delay(Duration::from_millis(10));
        assert!(p.delay_before(2, &limited(Some(3))) <= Duration::from_millis(10));
    }

    #[test]
    fn money_is_never_retried_after_it_may_have_been_processed() {
        let p = RetryPolicy::default();
        let elapsed = Duration::ZERO;
        assert!(
            p.next_wait(1, &limited(None), false, elapsed).is_some(),
            "429 was not processed"
        );
        assert!(
            p.next_wait(1, &server_error(), true, elapsed).is_some(),
            "GET 5xx"
        );
        assert!(
            p.next_wait(1, &server_error(), false, elapsed).is_none(),
            "POST 5xx"
        );
        assert!(p
            .next_wait(1, &Error::Timeout { sent: true }, false, elapsed)
            .is_none());
        assert!(p
            .next_wait(1, &Error::Timeout { sent: false }, false, elapsed)
            .is_some());
    }

    #[test]
    fn the_quota_drains_on_failures_and_refills_on_successes() {
        let quota = RetryQuota::new(12);
        assert_eq!(quota.acquire(&server_error()), Some(5));
        assert_eq!(quota.acquire(&server_error()), Some(5));
        assert_eq!(quota.acquire(&server_error()), None, "2 tokens left");
        assert_eq!(quota.acquire(&limited(None)), Some(0), "429s are free");
        assert_eq!(quota.acquire(&Error::Timeout { sent: true }), None);
        quota.release(5);
        assert_eq!(quota.available(), 7);
        quota.release(0);
        assert_eq!(quota.available(), 8);
        for _ in 0..100 {
            quota.release(5);
        }
        assert_eq!(quota.available(), 12, "never above capacity");
        let unlimited = RetryQuota::unlimited();
        for _ in 0..1000 {
            assert!(unlimited.acquire(&server_error()).is_some());
        }
    }

    #[test]
    fn attempts_and_budget_bound_the_retries() {
        let p = RetryPolicy::default().max_attempts(2);
        assert!(p
            .next_wait(1, &limited(None), true, Duration::ZERO)
            .is_some());
        assert!(p
            .next_wait(2, &limited(None), true, Duration::ZERO)
            .is_none());
        let p = RetryPolicy::default().budget(Duration::from_secs(5));
        assert!(
            p.next_wait(1, &limited(Some(10)), true, Duration::ZERO)
                .is_none(),
            "wait past the budget"
        );
        assert!(RetryPolicy::disabled()
            .next_wait(1, &limited(None), true, Duration::ZERO)
            .is_none());
    }
}
