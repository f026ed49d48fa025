//! Filling a transaction's amounts correctly.
//!
//! The reference (税計算について, 税込金額の整合性確認) checks every
//! transaction on registration: for each tax rate type, the tax-included
//! total of the detail lines (`unit_price × quantity`, times `1 + rate` when
//! the line is tax-excluded) must differ from that type's entry in
//! `amounts_per_tax_rate_type` by less than 1 yen, and `amount` is the
//! tax-included total of the transaction. The seller rounds the per-type
//! totals to whole yen "by any method"; [`Rounding`] names the three usual
//! ones. Tax itself is computed by Kessai per billing, not per transaction.
//!
//! ```
//! use mfkessai::money::{Line, TransactionLines};
//! use mfkessai::{dec, types::TaxRateType};
//!
//! let computed = TransactionLines::new()
//!     .line(Line::excluded("商品A", dec!(1000), dec!(3), TaxRateType::Normal10))
//!     .line(Line::included("軽減税率の商品B", dec!(1080), dec!(1), TaxRateType::Reduced8))
//!     .compute()
//!     .unwrap();
//! assert_eq!(computed.amount, 3300 + 1080);
//! assert_eq!(computed.amounts_per_tax_rate_type.len(), 2);
//! ```

use rust_decimal::{Decimal, RoundingStrategy};

use crate::{
    raw::types::{
        AmountPerTaxRateType, InvoiceDeliveryMethod, TaxIncludedType, TaxRateType,
        TransactionDetailPayload, TransactionPayload,
    },
    Error, ErrorCode, Result,
};

/// How per-type tax-included totals are rounded to whole yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Rounding {
    /// 切り捨て: toward zero (the default; the most common setting).
    #[default]
    Truncate,
    /// 四捨五入: half away from zero.
    HalfUp,
    /// 切り上げ: away from zero.
    Up,
}

impl Rounding {
    fn apply(self, value: Decimal) -> Decimal {
        let strategy = match self {
            Rounding::Truncate => RoundingStrategy::ToZero,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        };
        value.round_dp_with_strategy(0, strategy)
    }
}

/// The consumption tax rate of a tax rate type, or `None` for a type the
/// SDK cannot compute with (unknown, or the empty legacy value).
pub fn tax_rate(kind: &TaxRateType) -> Option<Decimal> {
    match kind {
        TaxRateType::NonTaxable | TaxRateType::Inapplicable => Some(Decimal::ZERO),
        TaxRateType::Normal8 | TaxRateType::Reduced8 | TaxRateType::TransitionalMeasures8 => {
            Some(Decimal::new(8, 2))
        }
        TaxRateType::Normal10 => Some(Decimal::new(10, 2)),
        _ => None,
    }
}

/// One detail line (取引明細) of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    description: String,
    unit_price: Decimal,
    quantity: Decimal,
    tax_rate_type: TaxRateType,
    tax_included: bool,
}

impl Line {
    /// A line whose unit price excludes tax (税抜).
    pub fn excluded(
        description: impl Into<String>,
        unit_price: Decimal,
        quantity: Decimal,
        tax_rate_type: TaxRateType,
    ) -> Self {
        Line {
            description: description.into(),
            unit_price,
            quantity,
            tax_rate_type,
            tax_included: false,
        }
    }

    /// A line whose unit price includes tax (税込).
    pub fn included(
        description: impl Into<String>,
        unit_price: Decimal,
        quantity: Decimal,
        tax_rate_type: TaxRateType,
    ) -> Self {
        Line {
            description: description.into(),
            unit_price,
            quantity,
            tax_rate_type,
            tax_included: true,
        }
    }

    fn subtotal(&self) -> Decimal {
        self.unit_price * self.quantity
    }
}

/// The amounts of a transaction, computed from its lines.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ComputedAmounts {
    /// The detail lines, with `amount` = `unit_price × quantity`.
    pub transaction_details: Vec<TransactionDetailPayload>,
    /// Rounded tax-included total per tax rate type, in first-use order.
    pub amounts_per_tax_rate_type: Vec<AmountPerTaxRateType>,
    /// The tax-included total: the sum of `amounts_per_tax_rate_type`.
    pub amount: i64,
}

impl TransactionPayload {
    /// A payload whose `transaction_details`, `amounts_per_tax_rate_type`
    /// and `amount` are the computed `lines`; the other required fields are
    /// the arguments of [`TransactionPayload::new`].
    ///
    /// ```
    /// use mfkessai::money::{Line, TransactionLines};
    /// use mfkessai::types::{InvoiceDeliveryMethod, TaxRateType, TransactionPayload};
    /// use mfkessai::{dates, dec};
    ///
    /// # fn main() -> mfkessai::Result<()> {
    /// let today = chrono::NaiveDate::from_ymd_opt(2024, 4, 10).unwrap();
    /// let lines = TransactionLines::new()
    ///     .line(Line::excluded("商品A", dec!(1000), dec!(3), TaxRateType::Normal10))
    ///     .compute()?;
    /// let payload = TransactionPayload::with_lines(
    ///     "TX-2024-0001",
    ///     "WNAV-37R6",
    ///     today,
    ///     today,
    ///     dates::month_end(today, 1),
    ///     [InvoiceDeliveryMethod::Email],
    ///     lines,
    /// );
    /// assert_eq!(payload.amount, Some(3300));
    /// # Ok(()) }
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn with_lines(
        number: impl Into<String>,
        destination_id: impl Into<crate::ids::DestinationId>,
        date: chrono::NaiveDate,
        issue_date: chrono::NaiveDate,
        due_date: chrono::NaiveDate,
        invoice_delivery_methods: impl IntoIterator<Item = impl Into<InvoiceDeliveryMethod>>,
        lines: ComputedAmounts,
    ) -> Self {
        TransactionPayload::new(
            number,
            destination_id,
            date,
            issue_date,
            due_date,
            invoice_delivery_methods,
            lines.transaction_details,
        )
        .amounts_per_tax_rate_type(lines.amounts_per_tax_rate_type)
        .amount(lines.amount)
    }
}

/// Builds consistent `transaction_details`, `amounts_per_tax_rate_type` and
/// `amount` from detail lines. See the [module docs](self).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionLines {
    lines: Vec<Line>,
    rounding: Rounding,
}

impl TransactionLines {
    /// No lines yet, [`Rounding::Truncate`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a line.
    pub fn line(mut self, line: Line) -> Self {
        self.lines.push(line);
        self
    }

    /// How per-type totals are rounded (your seller setting).
    pub fn rounding(mut self, rounding: Rounding) -> Self {
        self.rounding = rounding;
        self
    }

    /// Computes the amounts; refuses lines the API would refuse.
    pub fn compute(&self) -> Result<ComputedAmounts> {
        if self.lines.is_empty() {
            return Err(Error::validation(
                Some(ErrorCode::InvalidTransactionDetails),
                None,
                "a transaction needs at least one detail line",
            ));
        }
        let mut totals: Vec<(TaxRateType, Decimal)> = Vec::new();
        let mut details = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            let subtotal = line.subtotal();
            let mut detail = TransactionDetailPayload {
                amount: None,
                amount_str: None,
                description: line.description.clone(),
                quantity: Some(line.quantity.normalize()),
                quantity_str: None,
                tax_included_type: if line.tax_included {
                    TaxIncludedType::Included
                } else {
                    TaxIncludedType::Excluded
                },
                tax_rate_type: line.tax_rate_type.clone(),
                unit_price: Some(line.unit_price.normalize()),
                unit_price_str: None,
            };
            // The line's limits are the detail's (generated from the spec),
            // checked on what the caller gave; the amount is computed.
            crate::validate::Validate::validate(&detail)?;
            detail.amount = Some(subtotal.normalize());
            let rate =
                tax_rate(&line.tax_rate_type).ok_or_else(|| unknown_rate(&line.tax_rate_type))?;
            let included = if line.tax_included {
                subtotal
            } else {
                subtotal * (Decimal::ONE + rate)
            };
            match totals.iter_mut().find(|(k, _)| *k == line.tax_rate_type) {
                Some((_, sum)) => *sum += included,
                None => totals.push((line.tax_rate_type.clone(), included)),
            }
            details.push(detail);
        }
        let mut amount = 0i64;
        let mut per_type = Vec::with_capacity(totals.len());
        for (kind, total) in totals {
            let rounded = to_yen(self.rounding.apply(total))?;
            amount = amount.checked_add(rounded).ok_or_else(overflow)?;
            per_type.push(AmountPerTaxRateType {
                amount: rounded,
                tax_rate_type: kind,
            });
        }
        Ok(ComputedAmounts {
            transaction_details: details,
            amounts_per_tax_rate_type: per_type,
            amount,
        })
    }
}

fn unknown_rate(kind: &TaxRateType) -> Error {
    Error::validation(
        Some(ErrorCode::InvalidTransactionDetailTaxRateType),
        Some(kind.to_string()),
        "the tax rate of this tax rate type is unknown to the SDK",
    )
}

fn to_yen(value: Decimal) -> Result<i64> {
    i64::try_from(value).map_err(|_| overflow())
}

fn overflow() -> Error {
    Error::validation(
        Some(ErrorCode::InvalidTransactionAmount),
        None,
        "the amounts do not fit in yen as i64",
    )
}

/// Checks a payload filled by hand against the reference's rule: for every
/// tax rate type, `amounts_per_tax_rate_type` within 1 yen of the details'
/// tax-included total, every type used by a detail listed, and `amount`
/// equal to their sum. Payloads without `amounts_per_tax_rate_type` (billing
/// invoice mode) pass.
///
/// ```
/// # use mfkessai::money::{check_consistency, Line, TransactionLines};
/// # use mfkessai::types::{InvoiceDeliveryMethod, TaxRateType, TransactionPayload};
/// # use mfkessai::dec;
/// # let day = chrono::NaiveDate::from_ymd_opt(2019, 4, 10).unwrap();
/// let lines = TransactionLines::new()
///     .line(Line::excluded("A", dec!(999), dec!(1), TaxRateType::Normal10))
///     .compute()
///     .unwrap();
/// let mut payload = TransactionPayload::with_lines(
///     "T-1", "WNAV-37R6", day, day, day, [InvoiceDeliveryMethod::Email], lines,
/// );
/// assert!(check_consistency(&payload).is_ok());
/// payload.amounts_per_tax_rate_type[0].amount += 1;
/// assert!(check_consistency(&payload).is_err());
/// ```
pub fn check_consistency(payload: &TransactionPayload) -> Result<()> {
    if payload.amounts_per_tax_rate_type.is_empty() {
        return Ok(());
    }
    let mut expected: Vec<(TaxRateType, Decimal)> = Vec::new();
    for d in &payload.transaction_details {
        let rate = tax_rate(&d.tax_rate_type).ok_or_else(|| unknown_rate(&d.tax_rate_type))?;
        let subtotal = match (d.amount, d.unit_price, d.quantity) {
            (Some(amount), _, _) => amount,
            (None, Some(price), Some(quantity)) => price * quantity,
            _ => continue,
        };
        let included = if d.tax_included_type == TaxIncludedType::Excluded {
            subtotal * (Decimal::ONE + rate)
        } else {
            subtotal
        };
        match expected.iter_mut().find(|(k, _)| *k == d.tax_rate_type) {
            Some((_, sum)) => *sum += included,
            None => expected.push((d.tax_rate_type.clone(), included)),
        }
    }
    for (kind, total) in &expected {
        let given = payload
            .amounts_per_tax_rate_type
            .iter()
            .find(|a| a.tax_rate_type == *kind);
        let Some(given) = given else {
            return Err(Error::validation(
                Some(ErrorCode::InvalidTransactionAmountsPerTaxRateType),
                Some(kind.to_string()),
                format!("amounts_per_tax_rate_type has no entry for {kind}"),
            ));
        };
        if (Decimal::from(given.amount) - total).abs() >= Decimal::ONE {
            return Err(Error::validation(
                Some(ErrorCode::InvalidAmountPerTaxRateTypeAmount),
                Some(given.amount.to_string()),
                format!(
                    "{kind}: {} differs from the details' tax-included total {} by 1 yen or more",
                    given.amount,
                    total.normalize()
                ),
            ));
        }
    }
    let sum: i64 = payload
        .amounts_per_tax_rate_type
        .iter()
        .map(|a| a.amount)
        .sum();
    if let Some(amount) = payload.amount {
        if amount != sum {
            return Err(Error::validation(
                Some(ErrorCode::InvalidTransactionAmount),
                Some(amount.to_string()),
                format!("amount must be the sum of amounts_per_tax_rate_type ({sum})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn excluded_lines_get_tax_and_rounding_is_per_type() {
        // 333 × 3 = 999 excluded at 10% → 1098.9 → 1098 truncated, 1099 half-up.
        let lines =
            TransactionLines::new().line(Line::excluded("A", d(333), d(3), TaxRateType::Normal10));
        let c = lines.clone().compute().unwrap();
        assert_eq!(c.amounts_per_tax_rate_type[0].amount, 1098);
        assert_eq!(c.amount, 1098);
        assert_eq!(c.transaction_details[0].amount, Some(d(999)));
        assert_eq!(
            lines
                .clone()
                .rounding(Rounding::HalfUp)
                .compute()
                .unwrap()
                .amount,
            1099
        );
        assert_eq!(lines.rounding(Rounding::Up).compute().unwrap().amount, 1099);
    }

    #[test]
    fn mixed_types_and_discount_lines() {
        let c = TransactionLines::new()
            .line(Line::excluded("A", d(1000), d(3), TaxRateType::Normal10))
            .line(Line::included("B", d(1080), d(1), TaxRateType::Reduced8))
            .line(Line::excluded(
                "値引き",
                d(-1000),
                d(1),
                TaxRateType::Normal10,
            ))
            .line(Line::included(
                "C",
                Decimal::new(15, 1),
                d(2),
                TaxRateType::NonTaxable,
            ))
            .compute()
            .unwrap();
        let by = |k: TaxRateType| {
            c.amounts_per_tax_rate_type
                .iter()
                .find(|a| a.tax_rate_type == k)
                .unwrap()
                .amount
        };
        assert_eq!(by(TaxRateType::Normal10), 2200);
        assert_eq!(by(TaxRateType::Reduced8), 1080);
        assert_eq!(by(TaxRateType::NonTaxable), 3);
        assert_eq!(c.amount, 2200 + 1080 + 3);
    }

    #[test]
    fn refuses_what_the_api_would_refuse() {
        assert_eq!(
            TransactionLines::new().compute().unwrap_err().code(),
            Some(&ErrorCode::InvalidTransactionDetails)
        );
        let e = TransactionLines::new()
            .line(Line::excluded(
                "A",
                Decimal::new(123456, 5),
                d(1),
                TaxRateType::Normal10,
            ))
            .compute()
            .unwrap_err();
        assert_eq!(
            e.code(),
            Some(&ErrorCode::InvalidTransactionDetailUnitPrice)
        );
        let e = TransactionLines::new()
            .line(Line::excluded(
                "A",
                d(1),
                d(1),
                TaxRateType::Unknown("normal_12".into()),
            ))
            .compute()
            .unwrap_err();
        assert_eq!(
            e.code(),
            Some(&ErrorCode::InvalidTransactionDetailTaxRateType)
        );
        let e = TransactionLines::new()
            .line(Line::excluded("", d(1), d(1), TaxRateType::Normal10))
            .compute()
            .unwrap_err();
        assert_eq!(
            e.code(),
            Some(&ErrorCode::InvalidTransactionDetailDescription)
        );
    }
}
