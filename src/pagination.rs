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
