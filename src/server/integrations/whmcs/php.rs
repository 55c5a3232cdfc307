//! PHP's `serialize()` for the arrays WHMCS takes base64-encoded in `configoptions[]` and
//! `customfields[]` (reference `whmcs.md` §1.8), and the matching `unserialize()` the simulator
//! uses to read them back.
//!
//! Only what those parameters carry: arrays whose keys are integers or strings and whose
//! values are integers, strings or nested arrays. String lengths are UTF-8 **byte** counts, and
//! a string key that looks like an integer is written as an integer key, as PHP does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A PHP value of the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhpValue {
    /// `i:<n>;`
    Int(i64),
    /// `s:<bytes>:"<text>";`
    Str(String),
    /// `a:<n>:{<key><value>…}`, in insertion order.
    Array(Vec<(PhpKey, PhpValue)>),
}

/// An array key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PhpKey {
    /// Integer key.
    Int(i64),
    /// String key (never one that PHP would turn into an integer).
    Str(String),
}

impl PhpKey {
    /// A key from text, normalised like PHP: a canonical decimal integer becomes an integer key.
    pub fn from_text(text: &str) -> PhpKey {
        match text.parse::<i64>() {
            Ok(n) if n.to_string() == text => PhpKey::Int(n),
            _ => PhpKey::Str(text.to_owned()),
        }
    }
}

/// `serialize($value)`.
pub fn serialize(value: &PhpValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// `base64_encode(serialize($value))`, what the API parameters carry.
pub fn serialize_base64(value: &PhpValue) -> String {
    STANDARD.encode(serialize(value))
}

fn write_str(out: &mut String, text: &str) {
    out.push_str(&format!("s:{}:\"{text}\";", text.len()));
}

fn write_value(out: &mut String, value: &PhpValue) {
    match value {
        PhpValue::Int(n) => out.push_str(&format!("i:{n};")),
        PhpValue::Str(s) => write_str(out, s),
        PhpValue::Array(items) => {
            out.push_str(&format!("a:{}:{{", items.len()));
            for (key, item) in items {
                match key {
                    PhpKey::Int(n) => out.push_str(&format!("i:{n};")),
                    PhpKey::Str(s) => write_str(out, s),
                }
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// Why a serialized text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed serialized data at byte {0}")]
pub struct UnserializeError(pub usize);

/// `unserialize(base64_decode($text))`, refusing anything malformed or outside the subset.
pub fn unserialize_base64(text: &str) -> Result<PhpValue, UnserializeError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| UnserializeError(0))?;
    unserialize(&bytes)
}

/// `unserialize($bytes)` for the supported subset; trailing bytes are an error.
pub fn unserialize(bytes: &[u8]) -> Result<PhpValue, UnserializeError> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    if reader.at != bytes.len() {
        return Err(UnserializeError(reader.at));
    }
    Ok(value)
}

/// Nesting deeper than this is refused (the parameters nest two levels at most).
const MAX_DEPTH: usize = 8;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn fail<T>(&self) -> Result<T, UnserializeError> {
        Err(UnserializeError(self.at))
    }

    fn expect(&mut self, byte: u8) -> Result<(), UnserializeError> {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            self.fail()
        }
    }

    /// Digits (with an optional leading `-`) up to `end`, which is consumed.
    fn number(&mut self, end: u8) -> Result<i64, UnserializeError> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|b| *b != end) {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at])
            .map_err(|_| UnserializeError(start))?;
        let valid = !text.is_empty()
            && text
                .strip_prefix('-')
                .unwrap_or(text)
                .bytes()
                .all(|b| b.is_ascii_digit());
        if !valid {
            return Err(UnserializeError(start));
        }
        let n = text.parse().map_err(|_| UnserializeError(start))?;
        self.expect(end)?;
        Ok(n)
    }

    fn string_body(&mut self) -> Result<String, UnserializeError> {
        let len = usize::try_from(self.number(b':')?).map_err(|_| UnserializeError(self.at))?;
        self.expect(b'"')?;
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(UnserializeError(self.at))?;
        let text = std::str::from_utf8(&self.bytes[self.at..end])
            .map_err(|_| UnserializeError(self.at))?
            .to_owned();
        self.at = end;
        self.expect(b'"')?;
        self.expect(b';')?;
        Ok(text)
    }

    fn value(&mut self, depth: usize) -> Result<PhpValue, UnserializeError> {
        let tag = *self.bytes.get(self.at).ok_or(UnserializeError(self.at))?;
        self.at += 1;
        self.expect(b':')?;
        match tag {
            b'i' => Ok(PhpValue::Int(self.number(b';')?)),
            b's' => Ok(PhpValue::Str(self.string_body()?)),
            b'a' if depth < MAX_DEPTH => {
                let count =
                    usize::try_from(self.number(b':')?).map_err(|_| UnserializeError(self.at))?;
                self.expect(b'{')?;
                let mut items = Vec::new();
                for _ in 0..count {
                    let key = match self.value(depth + 1)? {
                        PhpValue::Int(n) => PhpKey::Int(n),
                        PhpValue::Str(s) => PhpKey::Str(s),
                        PhpValue::Array(_) => return self.fail(),
                    };
                    let value = self.value(depth + 1)?;
                    items.push((key, value));
                }
                self.expect(b'}')?;
                Ok(PhpValue::Array(items))
            }
            _ => self.fail(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn int_map(pairs: &[(i64, PhpValue)]) -> PhpValue {
        PhpValue::Array(
            pairs
                .iter()
                .map(|(k, v)| (PhpKey::Int(*k), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn the_reference_worked_examples_encode_exactly() {
        let one = int_map(&[(1, PhpValue::Int(999))]);
        assert_eq!(serialize(&one), "a:1:{i:1;i:999;}");
        assert_eq!(serialize_base64(&one), "YToxOntpOjE7aTo5OTk7fQ==");
        let google = int_map(&[(1, PhpValue::Str("Google".into()))]);
        assert_eq!(
            serialize_base64(&google),
            "YToxOntpOjE7czo2OiJHb29nbGUiO30="
        );
        let nested = int_map(&[
            (4, PhpValue::Int(12)),
            (
                7,
                PhpValue::Array(vec![
                    (PhpKey::Str("optionid".into()), PhpValue::Int(21)),
                    (PhpKey::Str("qty".into()), PhpValue::Int(3)),
                ]),
            ),
        ]);
        assert_eq!(
            serialize_base64(&nested),
            "YToyOntpOjQ7aToxMjtpOjc7YToyOntzOjg6Im9wdGlvbmlkIjtpOjIxO3M6MzoicXR5IjtpOjM7fX0="
        );
        assert_eq!(
            unserialize_base64(
                "YToyOntpOjQ7aToxMjtpOjc7YToyOntzOjg6Im9wdGlvbmlkIjtpOjIxO3M6MzoicXR5IjtpOjM7fX0="
            ),
            Ok(nested)
        );
    }

    #[test]
    fn string_lengths_are_utf8_bytes() {
        let v = PhpValue::Str("光".into());
        assert_eq!(serialize(&v), "s:3:\"光\";");
        assert_eq!(unserialize(serialize(&v).as_bytes()), Ok(v));
    }

    #[test]
    fn integer_looking_keys_become_integers() {
        assert_eq!(PhpKey::from_text("12"), PhpKey::Int(12));
        assert_eq!(PhpKey::from_text("012"), PhpKey::Str("012".into()));
        assert_eq!(PhpKey::from_text("Data GB"), PhpKey::Str("Data GB".into()));
    }

    #[test]
    fn malformed_input_is_refused() {
        for bad in [
            "",
            "a:1:{i:1;}",
            "a:1:{i:1;i:2;",
            "s:5:\"abc\";",
            "i:;",
            "i:1;junk",
            "b:1;",
            "a:1:{a:0:{}i:1;}",
        ] {
            assert!(unserialize(bad.as_bytes()).is_err(), "{bad}");
        }
        assert!(unserialize_base64("not base64!").is_err());
    }

    fn php_value() -> impl Strategy<Value = PhpValue> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(PhpValue::Int),
            ".{0,12}".prop_map(PhpValue::Str),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            proptest::collection::vec(
                (
                    prop_oneof![
                        any::<i64>().prop_map(PhpKey::Int),
                        "[a-z]{1,6}".prop_map(PhpKey::Str)
                    ],
                    inner,
                ),
                0..4,
            )
            .prop_map(PhpValue::Array)
        })
    }

    proptest! {
        #[test]
        fn round_trips(value in php_value()) {
            prop_assert_eq!(unserialize(serialize(&value).as_bytes()), Ok(value));
        }

        #[test]
        fn unserialize_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = unserialize(&bytes);
        }
    }
}
