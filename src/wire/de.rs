//! What the generated `Deserialize` impls of [`crate::raw::types`] call.
//!
//! The generator writes those impls itself instead of deriving them
//! (`codegen/src/decoders.rs` says why: serde's derive was a third of this
//! crate's compile time). Each impl is a `visit_map` with one match arm per
//! property, and every arm is one call to a function here, named after the
//! field's adapter in [`crate::wire`]: [`plain`], [`empty_as_none`],
//! [`null_as_empty`], [`decimal`] or [`decimal_opt`]. The rules are serde
//! derive's: unknown properties are skipped, a property given twice is an
//! error, an absent `Option` is `None`, an absent list is empty, and an
//! absent required property is `missing field`.

use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A property name, borrowed from the input when it can be.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// Fills `slot` with the next value, read through `seed`; a second value
/// for the same property is serde's `duplicate field` error.
fn once<'de, A, S>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &'static str,
    seed: S,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

/// A property decoded as its type decodes itself.
pub(crate) fn plain<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    once(map, slot, name, PhantomData::<T>)
}

/// An `Option` property: `null` and `""` are `None` ([`super::empty_as_none`]).
pub(crate) fn empty_as_none<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    once(map, slot, name, EmptyAsNone(PhantomData))
}

/// A list property: `null` is empty ([`super::null_as_empty`]).
pub(crate) fn null_as_empty<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    once(map, slot, name, NullAsEmpty(PhantomData))
}

/// An exact decimal ([`super::decimal`]).
// The generator calls it for a required `number` property; today's spec has none.
#[allow(dead_code)]
pub(crate) fn decimal<'de, A>(
    map: &mut A,
    slot: &mut Option<Decimal>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
{
    once(map, slot, name, Exact)
}

/// An optional exact decimal ([`super::decimal_opt`]).
pub(crate) fn decimal_opt<'de, A>(
    map: &mut A,
    slot: &mut Option<Option<Decimal>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
{
    once(map, slot, name, ExactOpt)
}

/// Reads and drops the value of a property this version does not know.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a required property, or serde's `missing field` error.
pub(crate) fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// [`super::empty_as_none`] as a seed, for `next_value_seed`.
struct EmptyAsNone<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for EmptyAsNone<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        super::empty_as_none(d)
    }
}

/// [`super::null_as_empty`] as a seed.
struct NullAsEmpty<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NullAsEmpty<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        super::null_as_empty(d)
    }
}

/// [`super::decimal`] as a seed.
#[allow(dead_code)]
struct Exact;

impl<'de> DeserializeSeed<'de> for Exact {
    type Value = Decimal;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        super::decimal::deserialize(d)
    }
}

/// [`super::decimal_opt`] as a seed.
struct ExactOpt;

impl<'de> DeserializeSeed<'de> for ExactOpt {
    type Value = Option<Decimal>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Decimal>, D::Error> {
        super::decimal_opt::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use crate::raw::types::{Customer, CustomersList, Pagination};

    const CUSTOMER: &str = r#"{"created_at": "2019-04-01T10:36:43+09:00", "id": "WNAV-37R6",
        "name": "A", "number": "N-1", "object": "customer", "uri": "mfk:customer:WNAV-37R6"}"#;

    fn with(extra: &str) -> String {
        CUSTOMER.replacen('{', &format!("{{{extra}"), 1)
    }

    #[test]
    fn decodes_as_the_derive_did() {
        let c: Customer = serde_json::from_str(CUSTOMER).unwrap();
        assert_eq!(
            (c.id.as_str(), c.name.as_str(), c.has_alert),
            ("WNAV-37R6", "A", None)
        );
        // Unknown properties are skipped, whatever they hold.
        let c: Customer = serde_json::from_str(&with(r#""new": {"a": [1, null]}, "#)).unwrap();
        assert_eq!(c.number, "N-1");
        // "" and null are None; a present value is Some.
        let c: Customer = serde_json::from_str(&with(r#""has_alert": "", "#)).unwrap();
        assert_eq!(c.has_alert, None);
        let c: Customer = serde_json::from_str(&with(r#""has_alert": true, "#)).unwrap();
        assert_eq!(c.has_alert, Some(true));
        // A name with an escape is not borrowed from the input, and still matches.
        let c: Customer = serde_json::from_str(&with(r#""has_\u0061lert": true, "#)).unwrap();
        assert_eq!(c.has_alert, Some(true));
    }

    #[test]
    fn refuses_what_the_derive_refused() {
        let err = |body: &str| {
            serde_json::from_str::<Customer>(body)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&with(r#""id": "X", "#)).starts_with("duplicate field `id`"));
        assert!(err(r#"{"id": "WNAV-37R6"}"#).starts_with("missing field `created_at`"));
        assert!(err(&with(r#""has_alert": 1, "#)).contains("expected a boolean"));
        assert!(err(r#"["WNAV-37R6"]"#).contains("expected struct Customer"));
    }

    #[test]
    fn lists_take_null_and_absence_as_empty() {
        for body in [
            r#"{"object": "list", "items": null}"#,
            r#"{"object": "list"}"#,
        ] {
            let list: CustomersList = serde_json::from_str(body).unwrap();
            assert!(list.items.is_empty(), "{body}");
            assert_eq!(list.pagination, None::<Pagination>);
        }
    }

    #[test]
    fn other_names_of_a_property_decode_and_count_as_the_same_one() {
        use crate::raw::types::DeductionTaxFree;
        // The reference spells it `commission_amout` once; both spellings decode.
        let d: DeductionTaxFree = serde_json::from_str(r#"{"commission_amout": 5}"#).unwrap();
        assert_eq!(d.commission_amount, Some(5));
        let both = r#"{"commission_amount": 5, "commission_amout": 5}"#;
        let err = serde_json::from_str::<DeductionTaxFree>(both).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("duplicate field `commission_amount`"));
    }
}
