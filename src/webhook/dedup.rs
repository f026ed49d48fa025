//! [`Deduplicator`]: dropping repeated deliveries of the same event.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Whether an event ID was seen before; see [`Deduplicator::claim`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First time: handle the event.
    First,
    /// Already claimed: answer 2xx and do nothing.
    Duplicate,
}

/// Remembers which events were already received, so repeated deliveries
/// (Kessai delivers at least once) can be answered 2xx without being
/// handled twice.
///
/// Claim the event ID before handing the event off; if handing it off
/// fails and you answer non-2xx so that Kessai retries, [`release`] the
/// ID first, or the retry would be dropped as a duplicate.
///
/// Calls are synchronous because they sit on the request path, which must
/// answer within 10 seconds. For durable idempotency across restarts and
/// instances, also make the work itself idempotent (for example a unique
/// constraint on the event ID where you store its effects); this trait is
/// the cheap first filter.
///
/// [`release`]: Deduplicator::release
///
/// ```
/// use mfkessai::webhook::{Claim, Deduplicator, InMemoryDeduplicator};
///
/// let seen = InMemoryDeduplicator::new();
/// assert_eq!(seen.claim("GM6Y-9W6V"), Claim::First);
/// assert_eq!(seen.claim("GM6Y-9W6V"), Claim::Duplicate);
/// seen.release("GM6Y-9W6V");
/// assert_eq!(seen.claim("GM6Y-9W6V"), Claim::First);
/// ```
pub trait Deduplicator: Send + Sync {
    /// Records `event_id` and says whether it was already recorded.
    fn claim(&self, event_id: &str) -> Claim;

    /// Forgets `event_id`, so its next delivery is [`Claim::First`] again.
    fn release(&self, event_id: &str);
}

impl<T: Deduplicator + ?Sized> Deduplicator for Arc<T> {
    fn claim(&self, event_id: &str) -> Claim {
        (**self).claim(event_id)
    }

    fn release(&self, event_id: &str) {
        (**self).release(event_id)
    }
}

impl<T: Deduplicator + ?Sized> Deduplicator for &T {
    fn claim(&self, event_id: &str) -> Claim {
        (**self).claim(event_id)
    }

    fn release(&self, event_id: &str) {
        (**self).release(event_id)
    }
}

/// A [`Deduplicator`] in process memory, bounded in time and size.
///
/// An ID is remembered for `window` after it is claimed, and at most
/// `capacity` IDs are kept (the oldest go first). The default window is 48
/// hours: Kessai's last retry comes 31 hours after the first attempt, and
/// a margin covers slow deliveries. The default capacity, 100 000 IDs, is a
/// few megabytes.
///
/// Memory is per process: with several instances, or across restarts,
/// repeats can still get through; see [`Deduplicator`].
///
/// ```
/// use std::time::{Duration, Instant};
/// use mfkessai::webhook::{Claim, InMemoryDeduplicator};
///
/// let seen = InMemoryDeduplicator::with_limits(Duration::from_secs(3600), 1000);
/// let t0 = Instant::now();
/// assert_eq!(seen.claim_at("E1", t0), Claim::First);
/// assert_eq!(seen.claim_at("E1", t0 + Duration::from_secs(60)), Claim::Duplicate);
/// assert_eq!(seen.claim_at("E1", t0 + Duration::from_secs(3600)), Claim::First);
/// ```
#[derive(Debug)]
pub struct InMemoryDeduplicator {
    window: Duration,
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Live IDs: when they were claimed, and the generation of their entry
    /// in `order`.
    seen: HashMap<String, (Instant, u64)>,
    /// Claims oldest first. An entry whose generation differs from `seen`'s
    /// is stale (the ID was released, or claimed again later) and is
    /// skipped when popped; generations rather than instants tell them
    /// apart because two claims can share an instant.
    order: VecDeque<(String, u64)>,
    next_generation: u64,
}

impl InMemoryDeduplicator {
    /// How long an ID is remembered by default: 48 hours.
    pub const DEFAULT_WINDOW: Duration = Duration::from_secs(48 * 3600);
    /// How many IDs are remembered at most by default.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// With [`DEFAULT_WINDOW`](Self::DEFAULT_WINDOW) and
    /// [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY).
    ///
    /// ```
    /// use mfkessai::webhook::InMemoryDeduplicator;
    /// assert!(InMemoryDeduplicator::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::with_limits(Self::DEFAULT_WINDOW, Self::DEFAULT_CAPACITY)
    }

    /// Remembers each ID for `window`, and at most `capacity` IDs (at
    /// least 1). Released IDs count towards `capacity` until they would
    /// have aged out or been evicted.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mfkessai::webhook::{Claim, Deduplicator, InMemoryDeduplicator};
    ///
    /// let seen = InMemoryDeduplicator::with_limits(Duration::from_secs(3600), 2);
    /// seen.claim("a");
    /// seen.claim("b");
    /// seen.claim("c"); // evicts "a"
    /// assert_eq!(seen.len(), 2);
    /// assert_eq!(seen.claim("a"), Claim::First);
    /// ```
    pub fn with_limits(window: Duration, capacity: usize) -> Self {
        InMemoryDeduplicator {
            window,
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// [`Deduplicator::claim`] at a given time, for tests. `now` must not
    /// go backwards between calls (`Instant::now()` does not).
    ///
    /// ```
    /// use std::time::Instant;
    /// use mfkessai::webhook::{Claim, InMemoryDeduplicator};
    ///
    /// let seen = InMemoryDeduplicator::new();
    /// assert_eq!(seen.claim_at("E1", Instant::now()), Claim::First);
    /// ```
    pub fn claim_at(&self, event_id: &str, now: Instant) -> Claim {
        let mut state = self.lock();
        state.evict_expired(now, self.window);
        if let Some(&(at, _)) = state.seen.get(event_id) {
            if now.saturating_duration_since(at) < self.window {
                return Claim::Duplicate;
            }
        }
        let generation = state.next_generation;
        state.next_generation += 1;
        state.seen.insert(event_id.to_owned(), (now, generation));
        state.order.push_back((event_id.to_owned(), generation));
        while state.order.len() > self.capacity {
            state.pop_oldest();
        }
        Claim::First
    }

    /// How many IDs are remembered.
    ///
    /// ```
    /// use mfkessai::webhook::{Deduplicator, InMemoryDeduplicator};
    /// let seen = InMemoryDeduplicator::new();
    /// seen.claim("E1");
    /// assert_eq!(seen.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// Whether no ID is remembered.
    ///
    /// ```
    /// use mfkessai::webhook::InMemoryDeduplicator;
    /// assert!(InMemoryDeduplicator::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held except allocation failure,
        // and the state stays consistent even then, so a poisoned lock is
        // still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for InMemoryDeduplicator {
    fn default() -> Self {
        Self::new()
    }
}

impl Deduplicator for InMemoryDeduplicator {
    fn claim(&self, event_id: &str) -> Claim {
        self.claim_at(event_id, Instant::now())
    }

    fn release(&self, event_id: &str) {
        self.lock().seen.remove(event_id);
    }
}

impl State {
    fn pop_oldest(&mut self) {
        if let Some((id, generation)) = self.order.pop_front() {
            if self.seen.get(&id).is_some_and(|&(_, g)| g == generation) {
                self.seen.remove(&id);
            }
        }
    }

    fn evict_expired(&mut self, now: Instant, window: Duration) {
        while let Some((id, generation)) = self.order.front() {
            let expired_or_stale = match self.seen.get(id) {
                Some(&(at, g)) if g == *generation => now.saturating_duration_since(at) >= window,
                _ => true,
            };
            if !expired_or_stale {
                break;
            }
            self.pop_oldest();
        }
    }
}
