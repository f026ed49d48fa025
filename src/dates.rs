//! Calendar helpers for the dates the API asks for.
//!
//! Credit examinations end on a month's last day (`end_date`), and due dates
//! are commonly the end of a following month. `chrono` has no "end of
//! month" helper, so every caller used to write one.
//!
//! ```
//! use chrono::NaiveDate;
//! use mfkessai::dates;
//!
//! let day = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
//! assert_eq!(dates::month_end(day, 0), NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
//! assert_eq!(dates::month_end(day, 1), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
//! assert_eq!(dates::month_start(day, 2), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
//! ```

use chrono::{Datelike, Months, NaiveDate};

/// The first day of the month `months` after the month of `date`
/// (`0`: this month). Saturates at chrono's last representable month.
pub fn month_start(date: NaiveDate, months: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(months))
        .unwrap_or(first)
}

/// The last day of the month `months` after the month of `date`
/// (`0`: this month's last day). Saturates at chrono's last representable
/// month.
pub fn month_end(date: NaiveDate, months: u32) -> NaiveDate {
    let start = month_start(date, months);
    start
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn month_ends_across_years_and_leap_days() {
        assert_eq!(month_end(day(2024, 12, 15), 1), day(2025, 1, 31));
        assert_eq!(month_end(day(2023, 1, 31), 1), day(2023, 2, 28));
        assert_eq!(month_end(day(2024, 1, 1), 1), day(2024, 2, 29));
        assert_eq!(month_end(day(2024, 4, 30), 0), day(2024, 4, 30));
        assert_eq!(month_start(day(2024, 11, 30), 3), day(2025, 2, 1));
        // Near chrono's end, saturate rather than panic.
        assert!(month_end(NaiveDate::MAX, 5) <= NaiveDate::MAX);
    }
}
