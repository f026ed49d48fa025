//! Field formats and calendar arithmetic the handlers share: the documented
//! shapes of e-mail addresses, phone numbers, postal codes and katakana
//! that plain length checks leave out, and month boundaries.

use chrono::NaiveDate;

/// `email`: something before one `@`, a dotted domain after it.
pub(crate) fn email_ok(email: &str) -> bool {
    email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    })
}

/// `Tel`: hyphens optional (not leading, trailing or doubled), 10 or 11
/// digits from 0, and not the forms the reference refuses (0570, 0800).
pub(crate) fn tel_ok(tel: &str) -> bool {
    let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
    tel.chars().all(|c| c.is_ascii_digit() || c == '-')
        && !tel.starts_with('-')
        && !tel.ends_with('-')
        && !tel.contains("--")
        && (10..=11).contains(&digits.len())
        && digits.starts_with('0')
        && !digits.starts_with("0570")
        && !digits.starts_with("0800")
}

/// `ZipCode`: seven digits, with or without the hyphen after the third.
pub(crate) fn zip_ok(zip: &str) -> bool {
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match zip.split_once('-') {
        Some((head, tail)) => head.len() == 3 && tail.len() == 4 && digits(head) && digits(tail),
        None => zip.len() == 7 && digits(zip),
    }
}

/// `name_kana`: full-width katakana (spaces between names allowed).
pub(crate) fn kana_ok(kana: &str) -> bool {
    kana.chars()
        .all(|c| ('\u{30A1}'..='\u{30FF}').contains(&c) || c == ' ' || c == '\u{3000}')
}

/// The first day of `date`'s month.
pub(crate) fn first_of_month(date: NaiveDate) -> NaiveDate {
    crate::dates::month_start(date, 0)
}

/// The first day of the month after `date`'s.
pub(crate) fn next_month(date: NaiveDate) -> NaiveDate {
    crate::dates::month_start(date, 1)
}

/// The last day of `date`'s month.
pub(crate) fn last_of_month(date: NaiveDate) -> NaiveDate {
    crate::dates::month_end(date, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(email_ok("a@example.com") && !email_ok("a@b") && !email_ok("@x.y"));
        assert!(tel_ok("03-1234-5678") && tel_ok("09012345678"));
        assert!(!tel_ok("0570-00-0000") && !tel_ok("3-1234-5678") && !tel_ok("03--1234-5678"));
        assert!(
            zip_ok("111-1111") && zip_ok("1111111") && !zip_ok("11-11111") && !zip_ok("111-111")
        );
        assert!(kana_ok("タントウ タロウ") && !kana_ok("たんとう"));
    }

    #[test]
    fn months() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(last_of_month(d("2028-02-10")), d("2028-02-29"));
        assert_eq!(last_of_month(d("2026-12-31")), d("2026-12-31"));
        assert_eq!(next_month(d("2026-12-05")), d("2027-01-01"));
        assert_eq!(first_of_month(d("2026-04-30")), d("2026-04-01"));
    }
}
