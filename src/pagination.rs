//! One page of a cursor-paginated list.
//!
//! The API pages with cursors: items come newest first, `after=<id>` returns
//! the items after that id and `before=<id>` those before it (both
//! exclusive), and every list response carries `pagination`.

use crate::raw::types;

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

/// A generated list response (`CustomersList`, …) seen as a page.
pub trait ListResponse {
    /// The item type.
    type Item;
    /// Splits the response into a [`Page`].
    fn into_page(self) -> Page<Self::Item>;
}

/// One line per list type: a list added to the spec joins here.
macro_rules! list_responses {
    ($($list:ident => $item:ident),* $(,)?) => {$(
        impl ListResponse for types::$list {
            type Item = types::$item;
            fn into_page(self) -> Page<types::$item> {
                Page::from_parts(self.items, self.pagination)
            }
        }
    )*};
}

list_responses! {
    CustomersList => Customer,
    DestinationsList => Destination,
    CustomerExaminationsList => CustomerExamination,
    CreditFacilitiesList => CreditFacility,
    TransactionsList => Transaction,
    BillingsList => Billing,
    PayoutsList => Payout,
    PayoutTransactionsList => PayoutTransaction,
    PayoutRefundsList => PayoutRefund,
    CustomerNameUpdatesList => CustomerNameUpdate,
    AuthorizationsList => Authorization,
}

/// Declares a list builder: the struct wrapping the generated list builder,
/// and the parts every list shares (cursors, page size, `send`). The
/// resource module adds the filters of its operation in its own `impl`.
///
/// The operation is written out as `Operation::read("<operationId>")` at the
/// call site so the facade coverage test finds it where the list is defined.
macro_rules! list_builder {
    (
        $(#[$doc:meta])*
        $name:ident($raw:ident) -> $item:ty, $operation:expr
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[must_use = "a list request does nothing until `.send()`"]
        pub struct $name<'a> {
            client: &'a $crate::Client,
            raw: $crate::raw::builder::$raw<'a>,
            error: Option<$crate::error::ValidationError>,
        }

        impl<'a> $name<'a> {
            /// Items after this id (exclusive): the next, older page.
            pub fn starting_after(mut self, cursor: impl Into<String>) -> Self {
                self.raw = self.raw.after(cursor.into());
                self
            }

            #[doc = concat!(
                "Items before this id (exclusive): the previous, newer page. Wins over [`",
                stringify!($name),
                "::starting_after`] when both are set, as on the server."
            )]
            pub fn starting_before(mut self, cursor: impl Into<String>) -> Self {
                self.raw = self.raw.before(cursor.into());
                self
            }

            /// Items per page, 1..=200 (server default 20).
            pub fn page_size(mut self, size: u32) -> Self {
                match $crate::validate::limit(size) {
                    Ok(limit) => self.raw = self.raw.limit(limit),
                    Err(e) => $crate::validate::keep_first(&mut self.error, e),
                }
                self
            }

            /// Fetches one page.
            pub async fn send(self) -> $crate::Result<$crate::Page<$item>> {
                if let Some(e) = self.error {
                    return Err($crate::Error::Validation(e));
                }
                let raw = self.raw;
                let list = self.client.call($operation, || raw.clone().send()).await?;
                Ok($crate::pagination::ListResponse::into_page(list))
            }
        }
    };
}
pub(crate) use list_builder;
