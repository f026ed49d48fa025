//! Cursor pagination as the reference describes it (ページネーション): newest
//! first; `after`/`before` name an existing object and are exclusive;
//! `before` wins when both are given; `limit` 1..=200, default 20; asking
//! past either end is `out_of_range_by_after`/`_before`.

use axum::http::StatusCode;

use super::{
    params::Params,
    reply::{json, Failure, Reply},
    store::{Record, Table},
    wire::Wire,
};
use crate::{raw::types, ErrorCode};

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 200;

/// The cursor and size part of a list request.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    after: Option<String>,
    before: Option<String>,
    limit: usize,
}

impl Cursor {
    pub(crate) fn from_params(params: &Params) -> Result<Self, Failure> {
        let limit = match params.one("limit") {
            None => DEFAULT_LIMIT,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    Failure::bad(
                        ErrorCode::InvalidLimit,
                        "limit must be an integer from 1 to 200",
                        v,
                    )
                })?,
        };
        Ok(Cursor {
            after: params.one("after").map(str::to_string),
            before: params.one("before").map(str::to_string),
            limit,
        })
    }
}

/// One page of the rows of `table` that `keep` accepts.
pub(crate) fn page<T: Record>(
    table: &Table<T>,
    cursor: &Cursor,
    keep: impl Fn(&T) -> bool,
) -> Result<(Vec<T>, types::Pagination), Failure> {
    let rows = table.rows();
    // Indices in creation order; the list shows them from the highest down.
    let picked: Vec<usize> = if let Some(before) = &cursor.before {
        let pos = table.position(before).ok_or_else(|| {
            Failure::bad(
                ErrorCode::InvalidBefore,
                "before must be the id of an existing object",
                before,
            )
        })?;
        let mut newer: Vec<usize> = (pos + 1..rows.len())
            .filter(|&i| keep(&rows[i]))
            .take(cursor.limit)
            .collect();
        if newer.is_empty() {
            return Err(Failure::bad(
                ErrorCode::OutOfRangeByBefore,
                "there are no objects before this one",
                before,
            ));
        }
        newer.reverse();
        newer
    } else if let Some(after) = &cursor.after {
        let pos = table.position(after).ok_or_else(|| {
            Failure::bad(
                ErrorCode::InvalidAfter,
                "after must be the id of an existing object",
                after,
            )
        })?;
        let older: Vec<usize> = (0..pos)
            .rev()
            .filter(|&i| keep(&rows[i]))
            .take(cursor.limit)
            .collect();
        if older.is_empty() {
            return Err(Failure::bad(
                ErrorCode::OutOfRangeByAfter,
                "there are no objects after this one",
                after,
            ));
        }
        older
    } else {
        (0..rows.len())
            .rev()
            .filter(|&i| keep(&rows[i]))
            .take(cursor.limit)
            .collect()
    };

    let (has_next, has_previous) = match (picked.first(), picked.last()) {
        (Some(&newest), Some(&oldest)) => (
            (0..oldest).rev().any(|i| keep(&rows[i])),
            (newest + 1..rows.len()).any(|i| keep(&rows[i])),
        ),
        _ => (false, false),
    };
    let total = rows.iter().filter(|r| keep(r)).count();
    let items: Vec<T> = picked.iter().map(|&i| rows[i].clone()).collect();
    let pagination = types::Pagination {
        start: Some(
            items
                .first()
                .map(|r| r.record_id().to_string())
                .unwrap_or_default(),
        ),
        end: Some(
            items
                .last()
                .map(|r| r.record_id().to_string())
                .unwrap_or_default(),
        ),
        has_next: Some(has_next),
        has_previous: Some(has_previous),
        limit: Some(cursor.limit as i32),
        total: Some(total as i64),
    };
    Ok((items, pagination))
}

/// `{"object": "list", "items": [...], "pagination": {...}}`.
pub(crate) fn list_reply<T: Wire>(items: &[T], pagination: Option<&types::Pagination>) -> Reply {
    let mut body = serde_json::json!({ "object": "list", "items": items.wire() });
    if let Some(pagination) = pagination {
        body["pagination"] = pagination.wire();
    }
    Ok(json(StatusCode::OK, &body))
}

/// Filters, pages and answers in one go: what every list handler ends with.
pub(crate) fn respond<T: Record + Wire>(
    table: &Table<T>,
    params: &Params,
    keep: impl Fn(&T) -> bool,
) -> Reply {
    let cursor = Cursor::from_params(params)?;
    let (items, pagination) = page(table, &cursor, keep)?;
    list_reply(&items, Some(&pagination))
}
