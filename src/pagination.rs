//! Cursor pagination: one [`Page`], or every item as a [`Stream`].
//!
//! The API pages with cursors (ページネーション): items come newest first,
//! `after=<id>` returns the items after that id and `before=<id>` those
//! before it (both exclusive, `before` winning when both are given), and
//! every list response carries `pagination {start, end, has_next,
//! has_previous, limit, total}`.
//!
//! Every list (`client.customers().list()`, …) is a [`ListRequest`] of its
//! operation ([`ListOperation`], generated for each list of the spec in
//! [`crate::raw::lists`]), with the same methods:
//! [`send`](ListRequest::send) for one page,
//! `pages()`/`stream()` to walk forward (older) following `pagination.end`,
//! `pages_backward()`/`stream_backward()` to walk back (newer) from a cursor
//! following `pagination.start`, `page_size(n)` and `prefetch(k)`. The
//! resource modules add the typed filters of each operation.
//!
//! A stream that fails yields the error and ends. [`Items::resume_cursor`]
//! (or [`Pages::resume_cursor`]) then says where to pick up, so a retry sees
//! every item exactly once:
//!
//! ```no_run
//! use futures::StreamExt;
//! use mfkessai::pagination::Cursor;
//!
//! # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
//! let mut resume: Option<Cursor> = None;
//! loop {
//!     let mut list = client.customers().list();
//!     if let Some(cursor) = resume.take() {
//!         list = list.resume_from(cursor);
//!     }
//!     let mut customers = list.stream();
//!     let mut failed = false;
//!     while let Some(customer) = customers.next().await {
//!         match customer {
//!             Ok(customer) => println!("{:?}", customer.id),
//!             // A list is a GET: resuming is safe after any transient failure.
//!             Err(e) if e.retry_kind().is_some() => { failed = true; break; }
//!             Err(e) => return Err(e),
//!         }
//!     }
//!     if !failed { break; }
//!     resume = customers.resume_cursor();
//! }
//! # Ok(()) }
//! ```

use std::{
    collections::{HashSet, VecDeque},
    fmt,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use futures::{future::BoxFuture, Stream};

use crate::{raw::types, Error, Result};

mod request;
pub use request::{ListOperation, ListRequest};

/// Page size for streams when none is set: the API's maximum, since fewer
/// round trips is faster and costs less of the rate limit.
pub const STREAM_PAGE_SIZE: u32 = 200;

/// The most pages a stream fetches unless told otherwise (`max_pages`): 20
/// million items at 200 a page, more than any real list, yet a bound on a
/// server that keeps handing out fresh cursors.
pub const DEFAULT_MAX_PAGES: u64 = 100_000;

/// One page of a list: its items and where the cursors are.
///
/// ```
/// use mfkessai::Page;
/// let page: Page<String> = Page::from_parts(vec!["a".into(), "b".into()], None);
/// assert_eq!(page.items.len(), 2);
/// assert!(!page.has_next);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, newest first.
    pub items: Vec<T>,
    /// Whether there are items after this page (older ones).
    pub has_next: bool,
    /// Whether there are items before this page (newer ones).
    pub has_previous: bool,
    /// How many items match the filters in all.
    pub total: Option<i64>,
    /// The page size the server used.
    pub limit: Option<i32>,
    start: Option<String>,
    end: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from the `items` and `pagination` of a list response.
    pub fn from_parts(items: Vec<T>, pagination: Option<types::Pagination>) -> Self {
        let p = pagination.unwrap_or_default();
        Page {
            items,
            has_next: p.has_next.unwrap_or(false),
            has_previous: p.has_previous.unwrap_or(false),
            total: p.total,
            limit: p.limit,
            start: p.start.filter(|s| !s.is_empty()),
            end: p.end.filter(|s| !s.is_empty()),
        }
    }

    /// The cursor for the next (older) page: pass it to `starting_after`.
    /// `None` when there is no next page.
    pub fn next_cursor(&self) -> Option<&str> {
        self.end.as_deref().filter(|_| self.has_next)
    }

    /// The cursor for the previous (newer) page: pass it to `starting_before`.
    pub fn prev_cursor(&self) -> Option<&str> {
        self.start.as_deref().filter(|_| self.has_previous)
    }
}

/// Where a list starts: after an id (older items) or before it (newer).
///
/// ```
/// use mfkessai::pagination::Cursor;
/// let saved = Cursor::After("7679-YW36".into());
/// assert_eq!(saved.id(), "7679-YW36");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// `after=<id>`: the items older than this one.
    After(String),
    /// `before=<id>`: the items newer than this one.
    Before(String),
}

impl Cursor {
    /// The object id the cursor points at.
    pub fn id(&self) -> &str {
        match self {
            Cursor::After(id) | Cursor::Before(id) => id,
        }
    }
}

/// A generated list response (`CustomersList`, …) seen as a page.
pub trait ListResponse {
    /// The item type.
    type Item: ListItem;
    /// Splits the response into a [`Page`].
    fn into_page(self) -> Page<Self::Item>;
}

/// An item of a paginated list: its id is the cursor next to it.
pub trait ListItem {
    /// The item's id.
    fn cursor_id(&self) -> Option<&str>;
}

/// What one page request carries besides the filters: the cursor and the
/// page size, which [`ListRequest`] and its streams set and
/// [`ListOperation::request`] applies.
///
/// ```
/// use mfkessai::pagination::PageRequest;
/// let first = PageRequest { after: None, before: None, limit: Some(200) };
/// assert_eq!(first.limit, Some(200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// `after` to send, if any.
    pub after: Option<String>,
    /// `before` to send, if any (the server prefers it over `after`).
    pub before: Option<String>,
    /// The `limit` to send, if any.
    pub limit: Option<i32>,
}

/// Fetches one page of a list request's filters (see
/// [`ListOperation::fetch`]), with the operation erased so that [`Pages`]
/// depends on the item type only; owned, so prefetching can run it on a
/// spawned task.
pub(crate) type Fetch<T> =
    Arc<dyn Fn(PageRequest) -> BoxFuture<'static, Result<Page<T>>> + Send + Sync>;

/// The direction a stream walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Toward older items, with `after = pagination.end`.
    Forward,
    /// Toward newer items, with `before = pagination.start`.
    Backward,
}

/// The cursor bookkeeping of a walk, shared by the inline and the
/// prefetching drivers.
#[derive(Debug)]
struct Walk {
    direction: Direction,
    limit: i32,
    /// The cursor of the next request; `None` before the first request
    /// means "from the top".
    next: Option<String>,
    started: bool,
    finished: bool,
    /// Every cursor followed so far: one coming back means the server is
    /// going round in circles.
    seen: HashSet<String>,
    pages: u64,
    max_pages: u64,
    /// Why the walk ended early after delivering its last page (the page
    /// cap), to yield once that page has gone out.
    stopped: Option<Error>,
}

impl Walk {
    fn new(direction: Direction, limit: i32, start: Option<String>, max_pages: u64) -> Self {
        Walk {
            direction,
            limit,
            seen: start.iter().cloned().collect(),
            next: start,
            started: false,
            finished: false,
            pages: 0,
            max_pages,
            stopped: None,
        }
    }

    fn request(&self) -> Option<PageRequest> {
        if self.finished {
            return None;
        }
        let (after, before) = match self.direction {
            Direction::Forward => (self.next.clone(), None),
            Direction::Backward => (None, self.next.clone()),
        };
        Some(PageRequest {
            after,
            before,
            limit: Some(self.limit),
        })
    }

    /// Whether `error` only says the starting cursor is the last item in
    /// the walk's direction (`out_of_range_by_after`/`_before` on the first
    /// request): then the walk is simply empty. Later pages never ask past
    /// the end, so there it stays an error.
    fn is_empty_start(&self, error: &Error) -> bool {
        let edge = match self.direction {
            Direction::Forward => crate::ErrorCode::OutOfRangeByAfter,
            Direction::Backward => crate::ErrorCode::OutOfRangeByBefore,
        };
        !self.started && self.next.is_some() && error.code() == Some(&edge)
    }

    /// Moves the cursor past `page`. Fails when the server says there is
    /// more but the cursor would not move, which would loop forever.
    fn advance<T>(&mut self, page: &Page<T>) -> Result<()> {
        self.started = true;
        self.pages += 1;
        let (more, cursor) = match self.direction {
            Direction::Forward => (page.has_next, page.end.as_deref()),
            Direction::Backward => (page.has_previous, page.start.as_deref()),
        };
        if !more {
            self.finished = true;
            return Ok(());
        }
        if self.pages >= self.max_pages {
            // This page still goes out; the error follows it, and its cursor
            // resumes the walk.
            self.finished = true;
            self.stopped = Some(Error::Pagination {
                message: format!(
                    "the stream reached its cap of {} pages (raise it with max_pages)",
                    self.max_pages
                ),
                cursor: cursor.map(str::to_string),
            });
            return Ok(());
        }
        match cursor {
            Some(c) if self.seen.contains(c) && Some(c) != self.next.as_deref() => {
                self.finished = true;
                Err(Error::Pagination {
                    message: format!("the server's cursor came back to {c}, an earlier page"),
                    cursor: Some(c.to_string()),
                })
            }
            Some(c) if Some(c) != self.next.as_deref() => {
                self.seen.insert(c.to_string());
                self.next = Some(c.to_string());
                Ok(())
            }
            stuck => {
                self.finished = true;
                Err(Error::Pagination {
                    message: match stuck {
                        Some(c) => format!(
                            "the server says there are more items but its cursor is still {c}"
                        ),
                        None => "the server says there are more items but gave no cursor".into(),
                    },
                    cursor: stuck.map(str::to_string),
                })
            }
        }
    }
}

// Neither stream is ever pinned structurally: the futures they hold are boxed.
impl<T> Unpin for Pages<T> {}
impl<T> Unpin for Items<T> {}

/// How pages are fetched: in the consumer's task, one at a time, or by a
/// spawned task that stays up to `k` pages ahead.
enum Driver<T> {
    Inline {
        fetch: Fetch<T>,
        walk: Walk,
        in_flight: Option<BoxFuture<'static, Result<Page<T>>>>,
    },
    Prefetch {
        pages: tokio::sync::mpsc::Receiver<Result<Page<T>>>,
        task: tokio::task::JoinHandle<()>,
    },
    /// Refused before any request (an invalid builder): yields the error.
    Failed(Option<Error>),
    Done,
}

/// A stream of pages; see [`crate::pagination`]. Ends after the last page,
/// or after yielding the first error.
///
/// ```no_run
/// use futures::TryStreamExt;
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let mut pages = client.transactions().list().page_size(100).pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} of {:?}", page.items.len(), page.total);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    driver: Driver<T>,
    direction: Direction,
    /// Where the walk started, for `resume_cursor` before any page arrives.
    start: Option<String>,
    /// The cursor past the last page yielded.
    resume: Option<String>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("direction", &self.direction)
            .field("resume", &self.resume)
            .finish_non_exhaustive()
    }
}

impl<T> Drop for Pages<T> {
    fn drop(&mut self) {
        // A prefetch nobody will read is a wasted request: stop it.
        if let Driver::Prefetch { task, .. } = &self.driver {
            task.abort();
        }
    }
}

impl<T: Send + 'static> Pages<T> {
    pub(crate) fn new(
        fetch: Fetch<T>,
        forward: bool,
        start: Option<String>,
        limit: i32,
        prefetch: usize,
        max_pages: u64,
    ) -> Self {
        let direction = if forward {
            Direction::Forward
        } else {
            Direction::Backward
        };
        let walk = Walk::new(direction, limit, start.clone(), max_pages);
        let driver = match tokio::runtime::Handle::try_current() {
            // Prefetching needs a task to run in; without a tokio runtime
            // the stream still works, one page at a time.
            Ok(runtime) if prefetch > 0 => {
                let (tx, rx) = tokio::sync::mpsc::channel(prefetch);
                let task = runtime.spawn(prefetch_pages(fetch, walk, tx));
                Driver::Prefetch { pages: rx, task }
            }
            _ => Driver::Inline {
                fetch,
                walk,
                in_flight: None,
            },
        };
        Pages {
            driver,
            direction,
            start,
            resume: None,
        }
    }

    /// A stream that yields `error` and ends, without any request.
    pub(crate) fn failed(error: Error, forward: bool) -> Self {
        Pages {
            driver: Driver::Failed(Some(error)),
            direction: if forward {
                Direction::Forward
            } else {
                Direction::Backward
            },
            start: None,
            resume: None,
        }
    }
}

impl<T> Pages<T> {
    /// Where to pick the walk up after an error (or after stopping early):
    /// past the last page yielded, or where the walk started. `None` means
    /// from the top of the list. Pass it to the builder's `resume_from`.
    pub fn resume_cursor(&self) -> Option<Cursor> {
        let id = self.resume.clone().or_else(|| self.start.clone())?;
        Some(match self.direction {
            Direction::Forward => Cursor::After(id),
            Direction::Backward => Cursor::Before(id),
        })
    }

    fn note_yielded(&mut self, page: &Page<T>) {
        let edge = match self.direction {
            Direction::Forward => page.end.clone(),
            Direction::Backward => page.start.clone(),
        };
        if edge.is_some() {
            self.resume = edge;
        }
    }
}

/// The prefetching driver: fetch, hand over, repeat. A slot in the channel
/// is reserved before each request, so no more than `k` pages are ever
/// fetched ahead of the consumer.
async fn prefetch_pages<T>(
    fetch: Fetch<T>,
    mut walk: Walk,
    tx: tokio::sync::mpsc::Sender<Result<Page<T>>>,
) {
    while let Some(request) = walk.request() {
        let Ok(permit) = tx.reserve().await else {
            return;
        };
        match fetch(request).await {
            Ok(page) => match walk.advance(&page) {
                Ok(()) => {
                    permit.send(Ok(page));
                    if let Some(stopped) = walk.stopped.take() {
                        if let Ok(permit) = tx.reserve().await {
                            permit.send(Err(stopped));
                        }
                        return;
                    }
                }
                Err(stuck) => {
                    permit.send(Err(stuck));
                    return;
                }
            },
            Err(e) if walk.is_empty_start(&e) => return,
            Err(e) => {
                permit.send(Err(e));
                return;
            }
        }
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let polled = match &mut this.driver {
            Driver::Done => return Poll::Ready(None),
            Driver::Failed(error) => error.take().map(Err),
            Driver::Prefetch { pages, .. } => match pages.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(item) => item,
            },
            Driver::Inline {
                fetch,
                walk,
                in_flight,
            } => {
                if in_flight.is_none() {
                    match walk.request() {
                        Some(request) => *in_flight = Some(fetch(request)),
                        None => {
                            let stopped = walk.stopped.take();
                            this.driver = Driver::Done;
                            return Poll::Ready(stopped.map(Err));
                        }
                    }
                }
                let Some(future) = in_flight.as_mut() else {
                    return Poll::Ready(None);
                };
                match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => {
                        *in_flight = None;
                        match result {
                            Err(e) if walk.is_empty_start(&e) => None,
                            result => {
                                Some(result.and_then(|page| walk.advance(&page).map(|()| page)))
                            }
                        }
                    }
                }
            }
        };
        match polled {
            Some(Ok(page)) => {
                this.note_yielded(&page);
                Poll::Ready(Some(Ok(page)))
            }
            Some(Err(e)) => {
                // An error ends the stream; resume_cursor says where.
                if let Driver::Prefetch { task, .. } = &this.driver {
                    task.abort();
                }
                this.driver = Driver::Done;
                Poll::Ready(Some(Err(e)))
            }
            None => {
                this.driver = Driver::Done;
                Poll::Ready(None)
            }
        }
    }
}

/// A stream of items, page after page; see [`crate::pagination`].
///
/// Forward streams yield items newest first, as the API lists them.
/// Backward streams yield the mirror order: the item right before the
/// starting cursor first, then ever newer ones.
///
/// ```no_run
/// use futures::StreamExt;
/// # async fn run(client: mfkessai::Client, saved_id: String) -> mfkessai::Result<()> {
/// // Everything registered after a customer we saw last time, oldest first.
/// let mut newer = client.customers().list().starting_before(saved_id).stream_backward();
/// while let Some(customer) = newer.next().await {
///     println!("{:?}", customer?.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
    /// The id of the last item yielded.
    last: Option<String>,
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("last", &self.last)
            .finish()
    }
}

impl<T> Items<T> {
    pub(crate) fn new(pages: Pages<T>) -> Self {
        Items {
            pages,
            buffer: VecDeque::new(),
            last: None,
        }
    }

    /// Where to pick up so that the next stream starts right after the last
    /// item this one yielded (or where it started, if it yielded none).
    /// `None` means from the top of the list. Pass it to the builder's
    /// `resume_from`.
    pub fn resume_cursor(&self) -> Option<Cursor> {
        match &self.last {
            Some(id) => Some(match self.pages.direction {
                Direction::Forward => Cursor::After(id.clone()),
                Direction::Backward => Cursor::Before(id.clone()),
            }),
            None => self
                .pages
                .start
                .clone()
                .map(|id| match self.pages.direction {
                    Direction::Forward => Cursor::After(id),
                    Direction::Backward => Cursor::Before(id),
                }),
        }
    }
}

impl<T: ListItem> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                if let Some(id) = item.cursor_id() {
                    this.last = Some(id.to_string());
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    this.buffer = page.items.into();
                    if this.pages.direction == Direction::Backward {
                        this.buffer.make_contiguous().reverse();
                    }
                }
            }
        }
    }
}
