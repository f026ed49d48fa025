//! One request type for every list operation: [`ListRequest`], paging over
//! a generated [`ListOperation`].

use std::{fmt, future::Future, sync::Arc};

use serde::de::DeserializeOwned;

use super::{
    Cursor, Fetch, Items, ListItem, ListResponse, Page, PageRequest, Pages, DEFAULT_MAX_PAGES,
    STREAM_PAGE_SIZE,
};
use crate::{error::ValidationError, raw, validate, wire::SendOperation, Client, Error, Result};

/// A list operation of the spec (its 200 answer has `items` and
/// `pagination`): what it lists, the filters it takes, and how one page is
/// requested. The generator implements it for every list operation, on the
/// marker types of [`crate::raw::lists`]; [`ListRequest`] pages with it.
///
/// ```
/// use mfkessai::{pagination::ListOperation, raw::lists::GetCustomersList};
/// let mut params = <GetCustomersList as ListOperation>::Params::default();
/// params.has_alert = Some(true);
/// assert_eq!(format!("{params:?}").contains("has_alert: Some(true)"), true);
/// ```
pub trait ListOperation: Sized + 'static {
    /// The listed object (`types::Customer`, …).
    type Item: ListItem + Send + 'static;
    /// The decoded answer (`types::CustomersList`, …).
    type Response: ListResponse<Item = Self::Item> + DeserializeOwned + Send + 'static;
    /// The filters: one field per query parameter except `after`, `before`
    /// and `limit` (`raw::lists::GetCustomersListParams`, …). Owned, so a
    /// request can be rebuilt for every page and on a spawned task.
    type Params: fmt::Debug + Clone + Default + Send + Sync + 'static;
    /// progenitor's builder of the operation.
    type Builder<'c>: SendOperation<Response = Self::Response> + Send;

    /// The request for one page: the filters and the page's cursor and size
    /// applied to a fresh builder.
    fn request<'c>(
        client: &'c raw::Client,
        params: &Self::Params,
        page: &PageRequest,
    ) -> Self::Builder<'c>;

    /// Fetches one page (with the client's retries) from an owned client and
    /// filters, so it can run on a spawned task.
    fn fetch(
        client: Client,
        params: Arc<Self::Params>,
        page: PageRequest,
    ) -> impl Future<Output = Result<Page<Self::Item>>> + Send + 'static {
        async move {
            let list = client
                .call(|| Self::request(client.raw(), &params, &page))
                .await?;
            Ok(list.into_page())
        }
    }
}

/// A list request: the filters of one list operation, where to start, the
/// page size and how to walk; then one page ([`send`](Self::send)) or a
/// stream of pages or items. `client.customers().list()` and the other
/// `list` methods return one (`ListCustomers` and the other names are
/// aliases), and the resource modules add each operation's typed filters.
///
/// `Debug` shows the filters and options (never the API key).
///
/// ```no_run
/// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
/// let list = client.customers().list().has_alert(true).page_size(50);
/// println!("{list:?}"); // ListRequest { operation: "GetCustomersList", params: … has_alert: Some(true) …
/// let page = list.send().await?;
/// # let _ = page; Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a list request does nothing until `.send()` or `.stream()`"]
pub struct ListRequest<'a, Op: ListOperation> {
    client: &'a Client,
    params: Op::Params,
    after: Option<String>,
    before: Option<String>,
    page_size: Option<i32>,
    prefetch: usize,
    max_pages: u64,
    /// The first invalid setting, refused at `send` or the first poll.
    error: Option<ValidationError>,
}

impl<Op: ListOperation> fmt::Debug for ListRequest<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListRequest")
            .field(
                "operation",
                &<Op::Builder<'static> as SendOperation>::OPERATION.id,
            )
            .field("params", &self.params)
            .field("after", &self.after)
            .field("before", &self.before)
            .field("page_size", &self.page_size)
            .field("prefetch", &self.prefetch)
            .field("max_pages", &self.max_pages)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<'a, Op: ListOperation> ListRequest<'a, Op> {
    pub(crate) fn new(client: &'a Client) -> Self {
        ListRequest {
            client,
            params: Op::Params::default(),
            after: None,
            before: None,
            page_size: None,
            prefetch: 0,
            max_pages: DEFAULT_MAX_PAGES,
            error: None,
        }
    }

    /// Sets filters on the generated parameter struct itself: any query
    /// parameter of the spec, as the raw layer takes it, without the checks
    /// of the typed setters.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let page = client.customers().list().with_params(|p| p.has_alert = Some(true)).send().await?;
    /// # let _ = page; Ok(()) }
    /// ```
    pub fn with_params(mut self, set: impl FnOnce(&mut Op::Params)) -> Self {
        set(&mut self.params);
        self
    }

    /// Keeps `error` (a validation error) to refuse the request with, unless
    /// an earlier one is kept already.
    pub(crate) fn refuse(mut self, error: Error) -> Self {
        validate::keep_first(&mut self.error, error);
        self
    }

    /// Items after this id (exclusive): the next, older page. Where
    /// [`stream`](Self::stream) and [`pages`](Self::pages) start.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let older = client.customers().list().starting_after("7679-YW36").send().await?;
    /// # let _ = older; Ok(()) }
    /// ```
    pub fn starting_after(mut self, cursor: impl Into<String>) -> Self {
        self.after = Some(cursor.into());
        self
    }

    /// Items before this id (exclusive): the previous, newer page. Wins over
    /// [`starting_after`](Self::starting_after) in `send` when both are set,
    /// as on the server. Where [`stream_backward`](Self::stream_backward) and
    /// [`pages_backward`](Self::pages_backward) start.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let newer = client.customers().list().starting_before("7679-YW36").send().await?;
    /// # let _ = newer; Ok(()) }
    /// ```
    pub fn starting_before(mut self, cursor: impl Into<String>) -> Self {
        self.before = Some(cursor.into());
        self
    }

    /// Starts where a stream that stopped said to resume
    /// ([`Items::resume_cursor`]); see [`crate::pagination`].
    ///
    /// ```no_run
    /// use mfkessai::pagination::Cursor;
    /// # fn run(client: mfkessai::Client) {
    /// let rest = client.customers().list().resume_from(Cursor::After("7679-YW36".into())).stream();
    /// # let _ = rest; }
    /// ```
    pub fn resume_from(self, cursor: Cursor) -> Self {
        match cursor {
            Cursor::After(id) => self.starting_after(id),
            Cursor::Before(id) => self.starting_before(id),
        }
    }

    /// Items per page, 1..=200. The server's default is 20 for
    /// [`send`](Self::send); streams default to 200, the maximum,
    /// since fewer round trips is faster. An invalid size is refused
    /// before any request.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let page = client.customers().list().page_size(50).send().await?;
    /// assert!(page.items.len() <= 50);
    /// # Ok(()) }
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        match validate::limit(size) {
            Ok(limit) => self.page_size = Some(limit),
            Err(e) => validate::keep_first(&mut self.error, e),
        }
        self
    }

    /// Lets a stream fetch up to `pages` pages ahead, on a spawned
    /// tokio task, while the consumer works on the current one.
    ///
    /// The default is 0 (no prefetch): a prefetched page the consumer
    /// never reads (it stops early, fails, or `take(n)` is enough) is
    /// a wasted request against the rate limit, and a consumer that
    /// does little per item is not waiting on anything a prefetch
    /// would hide. Set it to 1 when each page's work takes about as
    /// long as a request; more rarely helps, since pages come one
    /// after another (each cursor is in the previous answer).
    /// Without a tokio runtime the stream does not prefetch.
    ///
    /// ```no_run
    /// # fn run(client: mfkessai::Client) {
    /// let transactions = client.transactions().list().prefetch(1).stream();
    /// # let _ = transactions; }
    /// ```
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages;
        self
    }

    /// The most pages a stream fetches (default [`DEFAULT_MAX_PAGES`]).
    /// A walk that reaches it ends with
    /// [`Error::Pagination`], whose cursor
    /// resumes it, instead of following a server that hands out new
    /// cursors forever. A cursor that comes back (a cycle) ends the
    /// stream the same way, whatever the cap.
    ///
    /// ```no_run
    /// # fn run(client: mfkessai::Client) {
    /// // At most 10 pages of 200.
    /// let first_2000 = client.customers().list().max_pages(10).stream();
    /// # let _ = first_2000; }
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Fetches one page.
    ///
    /// ```no_run
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let page = client.payouts().list().send().await?;
    /// println!("{} of {:?}, more: {}", page.items.len(), page.total, page.has_next);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Page<Op::Item>> {
        if let Some(e) = self.error {
            return Err(Error::Validation(e));
        }
        let page = PageRequest {
            after: self.after,
            before: self.before,
            limit: self.page_size,
        };
        Op::fetch(self.client.clone(), Arc::new(self.params), page).await
    }

    /// Every page from [`starting_after`](Self::starting_after) (or
    /// the newest) to the oldest, following `pagination.end`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let mut pages = client.customers().list().pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} customers", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Pages<Op::Item> {
        self.walk(true)
    }

    /// Every item from [`starting_after`](Self::starting_after) (or
    /// the newest) to the oldest, newest first.
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let mut stream = client.customers().list().stream();
    /// while let Some(customer) = stream.next().await {
    ///     let customer = customer?;
    ///     println!("{:?}", customer.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> Items<Op::Item> {
        Items::new(self.pages())
    }

    /// Every page newer than [`starting_before`](Self::starting_before)
    /// (required), following `pagination.start`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let mut pages = client.customers().list().starting_before("7679-YW36").pages_backward();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} newer customers", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages_backward(self) -> Pages<Op::Item> {
        self.walk(false)
    }

    /// Every item newer than [`starting_before`](Self::starting_before)
    /// (required), nearest first: the mirror of
    /// [`stream`](Self::stream).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: mfkessai::Client) -> mfkessai::Result<()> {
    /// let newer: Vec<_> = client
    ///     .customers()
    ///     .list()
    ///     .starting_before("7679-YW36")
    ///     .stream_backward()
    ///     .try_collect()
    ///     .await?;
    /// # let _ = newer; Ok(()) }
    /// ```
    pub fn stream_backward(self) -> Items<Op::Item> {
        Items::new(self.pages_backward())
    }

    fn walk(self, forward: bool) -> Pages<Op::Item> {
        if let Some(e) = self.error {
            return Pages::failed(Error::Validation(e), forward);
        }
        let start = if forward {
            if self.before.is_some() {
                return Pages::failed(
                    Error::validation(
                        None,
                        self.before.clone(),
                        "starting_before is where backward streams start; forward streams start at starting_after",
                    ),
                    forward,
                );
            }
            self.after.clone()
        } else {
            match self.before.clone() {
                Some(before) => Some(before),
                None => {
                    return Pages::failed(
                        Error::validation(
                            None,
                            self.after.clone(),
                            "a backward stream needs starting_before(cursor): the newest items have nothing before them",
                        ),
                        forward,
                    )
                }
            }
        };
        let limit = self.page_size.unwrap_or(STREAM_PAGE_SIZE as i32);
        let client = self.client.clone();
        let params = Arc::new(self.params);
        let fetch: Fetch<Op::Item> =
            Arc::new(move |page| Box::pin(Op::fetch(client.clone(), params.clone(), page)));
        Pages::new(fetch, forward, start, limit, self.prefetch, self.max_pages)
    }
}
