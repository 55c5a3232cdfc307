//! Serde helpers for WHMCS's loose typing (reference §1.7), for `#[serde(default,
//! deserialize_with = "de::…")]` on DTO fields:
//!
//! - [`string_or_number`]: `"12"`, `12`, `12.5`, `true`, `null` → a `String`;
//! - [`opt_u32`] / [`opt_id`] / [`u32_or_zero`]: ids and counters sent as ints or strings;
//! - [`boolish`]: `true`, `"true"`, `1`, `"1"`, `"on"` … and their falsy forms;
//! - [`list_or_empty`]: `""`, `null`, `[]`, `{}`, `[[]]`, `{"item": [...]}`, `{"item": {...}}`,
//!   PHP arrays encoded as objects (`{"0": {...}}`) and plain arrays → a `Vec`;
//! - [`zero_date`] / [`zero_datetime`]: `0000-00-00 (00:00:00)`, `""` → `None`.
//!
//! Every helper accepts any JSON value without panicking; only a list whose items do not fit
//! the item type is an error.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime};

/// A scalar as text: strings as they are, numbers in their JSON form, `true` → `"1"`,
/// `false`/`null` → `""` (PHP's string conversion). Arrays and objects become `""`.
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(scalar_text(&Value::deserialize(d)?))
}

/// [`string_or_number`] for an optional field: `null` and `""` → `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = scalar_text(&Value::deserialize(d)?);
    Ok((!text.trim().is_empty()).then_some(text))
}

/// An unsigned integer sent as a number or a numeric string; anything else → `None`.
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(value_u32(&Value::deserialize(d)?))
}

/// An id: like [`opt_u32`], and `0` (WHMCS's "none", e.g. `billingcid: "0"`) → `None`.
pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(value_u32(&Value::deserialize(d)?).filter(|id| *id != 0))
}

/// A counter (`totalresults`, `numreturned`…): like [`opt_u32`], absent or unreadable → 0.
pub fn u32_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(value_u32(&Value::deserialize(d)?).unwrap_or(0))
}

/// A flag in any of WHMCS's spellings. True: `true`, non-zero numbers, `"1"`, `"true"`,
/// `"on"`, `"yes"` (any case). Everything else, including `""` and `null`, is false.
pub fn boolish<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(value_bool(&Value::deserialize(d)?))
}

/// A list in any of WHMCS's shapes (see the module doc).
pub fn list_or_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    list_from_value(Value::deserialize(d)?).map_err(D::Error::custom)
}

/// A date; `0000-00-00`, `""`, `null` and unreadable text → `None`. A datetime's date part
/// is accepted.
pub fn zero_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Ok(parse_date(&scalar_text(&Value::deserialize(d)?)))
}

/// A datetime `YYYY-MM-DD HH:MM:SS` (server local time, no zone); `0000-00-00 00:00:00`,
/// `""`, `null` and unreadable text → `None`. A bare date means midnight.
pub fn zero_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<PrimitiveDateTime>, D::Error> {
    Ok(parse_datetime(&scalar_text(&Value::deserialize(d)?)))
}

/// The text of a scalar JSON value (see [`string_or_number`]).
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => "1".to_owned(),
        Value::Bool(false) | Value::Null | Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// A JSON value as an unsigned 32-bit integer, when it is one (number or numeric string).
pub fn value_u32(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()).or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
                .map(|f| f as u32)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON value as a flag (see [`boolish`]).
pub fn value_bool(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "on" | "yes"
        ),
        _ => false,
    }
}

/// Reads a list in any of WHMCS's shapes (see the module doc).
pub fn list_from_value<T: DeserializeOwned>(value: Value) -> Result<Vec<T>, String> {
    let items = list_items(value);
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| serde_json::from_value(item).map_err(|e| format!("list item {i}: {e}")))
        .collect()
}

fn list_items(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.into_iter().filter(|v| !is_empty(v)).collect(),
        Value::Object(map) => {
            if looks_like_list(&map) {
                // A PHP array with non-sequential keys: `{"0": {...}, "3": {...}}`.
                return map.into_iter().map(|(_, v)| v).collect();
            }
            let wrapped = map.len() == 1
                && map
                    .values()
                    .all(|v| v.is_array() || v.is_object() || is_empty(v));
            if !wrapped {
                // `{}` or a single item.
                return if map.is_empty() {
                    Vec::new()
                } else {
                    vec![Value::Object(map)]
                };
            }
            // A wrapper: `{"invoice": [...]}`, `{"invoice": {...}}`, `{"invoice": ""}`.
            match map.into_iter().next().map(|(_, v)| v) {
                Some(Value::Array(items)) => list_items(Value::Array(items)),
                Some(Value::Object(inner)) if looks_like_list(&inner) => {
                    list_items(Value::Object(inner))
                }
                Some(Value::Object(inner)) if !inner.is_empty() => vec![Value::Object(inner)],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Array(a) => a.iter().all(is_empty),
        Value::Object(m) => m.is_empty(),
        Value::Number(_) => false,
    }
}

fn looks_like_list(map: &serde_json::Map<String, Value>) -> bool {
    !map.is_empty()
        && map
            .iter()
            .all(|(k, v)| k.bytes().all(|b| b.is_ascii_digit()) && v.is_object())
}

/// Parses `YYYY-MM-DD` (or the date part of a datetime); zero and bad dates → `None`.
pub fn parse_date(text: &str) -> Option<Date> {
    let date = text.trim().get(..10)?;
    Date::parse(date, format_description!("[year]-[month]-[day]")).ok()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (or a bare date, as midnight); zero and bad → `None`.
pub fn parse_datetime(text: &str) -> Option<PrimitiveDateTime> {
    let text = text.trim();
    if text.len() == 10 {
        return parse_date(text).map(|d| d.midnight());
    }
    PrimitiveDateTime::parse(
        text,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(default, deserialize_with = "opt_id")]
        id: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct Shape {
        #[serde(default, deserialize_with = "string_or_number")]
        text: String,
        #[serde(default, deserialize_with = "opt_u32")]
        number: Option<u32>,
        #[serde(default, deserialize_with = "u32_or_zero")]
        count: u32,
        #[serde(default, deserialize_with = "boolish")]
        flag: bool,
        #[serde(default, deserialize_with = "list_or_empty")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "zero_date")]
        date: Option<Date>,
        #[serde(default, deserialize_with = "zero_datetime")]
        at: Option<PrimitiveDateTime>,
    }

    fn shape(value: Value) -> Shape {
        serde_json::from_value(value).expect("tolerated")
    }

    #[test]
    fn numbers_as_strings_or_numbers() {
        for v in [json!("17"), json!(17), json!(" 17 "), json!(17.0)] {
            assert_eq!(
                shape(json!({ "number": v.clone() })).number,
                Some(17),
                "{v}"
            );
            assert_eq!(shape(json!({ "count": v })).count, 17);
        }
        for v in [json!(""), json!(null), json!("abc"), json!(-1), json!([1])] {
            assert_eq!(shape(json!({ "number": v.clone() })).number, None, "{v}");
        }
        assert_eq!(shape(json!({})).count, 0);
        assert_eq!(shape(json!({ "text": 15.95 })).text, "15.95");
        assert_eq!(shape(json!({ "text": "15.95" })).text, "15.95");
        assert_eq!(shape(json!({ "text": null })).text, "");
    }

    #[test]
    fn booleans_in_every_spelling() {
        for v in [
            json!(true),
            json!("true"),
            json!(1),
            json!("1"),
            json!("on"),
            json!("TRUE"),
        ] {
            assert!(shape(json!({ "flag": v.clone() })).flag, "{v}");
        }
        for v in [
            json!(false),
            json!("false"),
            json!(0),
            json!("0"),
            json!(""),
            json!(null),
            json!("off"),
        ] {
            assert!(!shape(json!({ "flag": v.clone() })).flag, "{v}");
        }
    }

    #[test]
    fn lists_in_every_shape() {
        let one = |v: Value| shape(json!({ "items": v })).items;
        let expected = vec![Item { id: Some(1) }, Item { id: Some(2) }];
        assert_eq!(
            one(json!({ "invoice": [{ "id": 1 }, { "id": "2" }] })),
            expected
        );
        assert_eq!(one(json!([{ "id": 1 }, { "id": "2" }])), expected);
        assert_eq!(one(json!({ "0": { "id": 1 }, "5": { "id": 2 } })), expected);
        assert_eq!(
            one(json!({ "invoice": { "id": 1 } })),
            vec![Item { id: Some(1) }]
        );
        assert_eq!(one(json!({ "id": 1 })), vec![Item { id: Some(1) }]);
        for empty in [
            json!(""),
            json!(null),
            json!([]),
            json!({}),
            json!([[]]),
            json!({ "invoice": [] }),
            json!({ "invoice": "" }),
        ] {
            assert!(one(empty.clone()).is_empty(), "{empty}");
        }
        assert!(shape(json!({})).items.is_empty());
        assert!(serde_json::from_value::<Shape>(json!({ "items": [1, 2] })).is_err());
    }

    #[test]
    fn zero_dates_are_none() {
        let s = shape(json!({ "date": "0000-00-00", "at": "0000-00-00 00:00:00" }));
        assert_eq!((s.date, s.at), (None, None));
        let s = shape(json!({ "date": "2026-03-08", "at": "2026-03-01 00:05:12" }));
        assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("2026-03-08"));
        assert_eq!(
            s.at.map(|d| d.to_string()).as_deref(),
            Some("2026-03-01 0:05:12.0")
        );
        let s = shape(json!({ "date": "2026-03-01 00:05:12", "at": "2026-03-01" }));
        assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("2026-03-01"));
        assert!(s.at.is_some());
        let s = shape(json!({ "date": "03/10/2016", "at": 5 }));
        assert_eq!((s.date, s.at), (None, None));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            ".{0,12}".prop_map(Value::String),
            Just(json!("0000-00-00")),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z0-9]{1,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn helpers_never_panic(v in arb_json()) {
            let _ = serde_json::from_value::<Shape>(json!({
                "text": v.clone(), "number": v.clone(), "count": v.clone(), "flag": v.clone(),
                "items": v.clone(), "date": v.clone(), "at": v
            }));
        }
    }
}
