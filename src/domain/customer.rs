//! The customer as the portal knows them: name (Japanese order, with reading), contact details
//! and postal address, with the validation both the browser form and the server run.
//!
//! Providers store these differently (WHMCS `firstname`/`lastname`/`postcode`, Salesforce
//! `FirstName`/`LastName`/`MailingPostalCode`); their mappers convert to and from these types.

use crate::domain::common::lang::Lang;
use crate::error::{FieldError, FieldProblem};
use serde::{Deserialize, Serialize};

/// A person's name. Japanese records keep the family name first; the reading (furigana, in
/// katakana) is optional because not every customer's name is Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PersonName {
    /// Family name (姓).
    pub family: String,
    /// Given name (名).
    pub given: String,
    /// Family name reading (セイ).
    #[serde(default)]
    pub family_kana: Option<String>,
    /// Given name reading (メイ).
    #[serde(default)]
    pub given_kana: Option<String>,
}

impl PersonName {
    /// The name as the reader's language writes it: `山田 花子` in Japanese, `Hanako Yamada`
    /// in English.
    pub fn display(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!("{} {}", self.family, self.given),
            Lang::En => format!("{} {}", self.given, self.family),
        }
    }
}

/// A Japanese postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    /// `123-4567`.
    pub postal_code: String,
    /// Prefecture (都道府県), e.g. `東京都`.
    pub prefecture: String,
    /// City, ward, town (市区町村).
    pub city: String,
    /// Street and number (番地).
    pub street: String,
    /// Building and room, optional.
    #[serde(default)]
    pub building: String,
    /// ISO 3166-1 alpha-2; `JP` for every customer we serve.
    pub country: String,
}

/// Everything the profile page shows and edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Profile {
    /// Name.
    pub name: PersonName,
    /// Sign-in and contact email.
    pub email: String,
    /// Phone, normalised to `090-1234-5678` style when it is a Japanese number.
    pub phone: String,
    /// Postal address.
    pub address: Address,
}

/// The 47 prefectures, in the JIS X 0401 order used by every Japanese address form.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// Converts full-width digits and hyphen-like characters to ASCII, drops spaces.
fn ascii_digits(input: &str) -> String {
    input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ー' | '－' | '‐' | '−' | '–' | '—' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect()
}

/// Normalises a Japanese postal code (`1500041`, `150-0041`, `１５０－００４１`, `〒150-0041`)
/// to `150-0041`; `None` if it is not one.
pub fn normalize_postal_code(input: &str) -> Option<String> {
    let ascii = ascii_digits(input);
    let digits: String = ascii.trim_start_matches('〒').replace('-', "");
    if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("{}-{}", &digits[..3], &digits[3..]))
    } else {
        None
    }
}

/// Normalises a phone number: Japanese numbers (10–11 digits starting with 0, or +81) keep
/// their digits with hyphens as written or inserted for mobiles; `None` if implausible.
pub fn normalize_phone(input: &str) -> Option<String> {
    let ascii = ascii_digits(input);
    let national = match ascii.strip_prefix("+81") {
        Some(rest) => format!("0{}", rest.trim_start_matches('-')),
        None => ascii,
    };
    if !national
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '(' || c == ')')
    {
        return None;
    }
    let digits: String = national.chars().filter(char::is_ascii_digit).collect();
    if !(digits.starts_with('0') && (10..=11).contains(&digits.len())) {
        return None;
    }
    if national.contains('-') {
        return Some(national.replace(['(', ')'], "-").replace("--", "-"));
    }
    // Mobile and IP numbers (070/080/090/050) are 3-4-4; landlines keep digits only because
    // their area codes vary in length.
    if digits.len() == 11 {
        Some(format!(
            "{}-{}-{}",
            &digits[..3],
            &digits[3..7],
            &digits[7..]
        ))
    } else {
        Some(digits)
    }
}

/// A plausible email address (one `@`, a dot in the domain, no spaces, ≤ 254 characters).
/// The real check is the verification mail.
pub fn is_plausible_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Lower-cases and trims an email for lookups and uniqueness.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn push(errors: &mut Vec<FieldError>, field: &str, problem: FieldProblem) {
    errors.push(FieldError {
        field: field.to_owned(),
        problem,
    });
}

fn require(errors: &mut Vec<FieldError>, field: &str, value: &str, max: u32) {
    let len = value.trim().chars().count();
    if len == 0 {
        push(errors, field, FieldProblem::Required);
    } else if len > max as usize {
        push(errors, field, FieldProblem::TooLong { max });
    }
}

impl Profile {
    /// Trims and normalises every field, returning the first error per field.
    pub fn validated(mut self) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        require(&mut errors, "family_name", &self.name.family, 80);
        require(&mut errors, "given_name", &self.name.given, 40);
        self.name.family = self.name.family.trim().to_owned();
        self.name.given = self.name.given.trim().to_owned();
        for kana in [&mut self.name.family_kana, &mut self.name.given_kana] {
            *kana = kana
                .take()
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty());
        }
        self.email = normalize_email(&self.email);
        if !is_plausible_email(&self.email) {
            push(&mut errors, "email", FieldProblem::Invalid);
        }
        match normalize_phone(&self.phone) {
            Some(phone) => self.phone = phone,
            None => push(&mut errors, "phone", FieldProblem::Invalid),
        }
        match normalize_postal_code(&self.address.postal_code) {
            Some(code) => self.address.postal_code = code,
            None => push(&mut errors, "postal_code", FieldProblem::Invalid),
        }
        self.address.prefecture = self.address.prefecture.trim().to_owned();
        if !PREFECTURES.contains(&self.address.prefecture.as_str()) {
            push(&mut errors, "prefecture", FieldProblem::Invalid);
        }
        require(&mut errors, "city", &self.address.city, 40);
        require(&mut errors, "street", &self.address.street, 120);
        self.address.city = self.address.city.trim().to_owned();
        self.address.street = self.address.street.trim().to_owned();
        self.address.building = self.address.building.trim().to_owned();
        if self.address.building.chars().count() > 120 {
            push(&mut errors, "building", FieldProblem::TooLong { max: 120 });
        }
        self.address.country = "JP".into();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn postal_codes_in_every_common_spelling() {
        for input in [
            "1500041",
            "150-0041",
            "１５０－００４１",
            "〒150-0041",
            " 150 0041 ",
        ] {
            assert_eq!(
                normalize_postal_code(input).as_deref(),
                Some("150-0041"),
                "{input}"
            );
        }
        for bad in ["", "150-004", "15000411", "abc-defg", "150-00４a"] {
            assert_eq!(normalize_postal_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(
            normalize_phone("09012345678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("０９０－１２３４－５６７８").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("+81 90-1234-5678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("03-1234-5678").as_deref(),
            Some("03-1234-5678")
        );
        assert_eq!(normalize_phone("0312345678").as_deref(), Some("0312345678"));
        for bad in ["", "12345", "090-1234-567a", "+1 555 0100", "090123456789"] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_follow_the_readers_order() {
        let name = PersonName {
            family: "山田".into(),
            given: "花子".into(),
            ..Default::default()
        };
        assert_eq!(name.display(Lang::Ja), "山田 花子");
        assert_eq!(name.display(Lang::En), "花子 山田");
    }

    fn valid() -> Profile {
        Profile {
            name: PersonName {
                family: " 山田 ".into(),
                given: "花子".into(),
                family_kana: Some(" ".into()),
                given_kana: Some("ハナコ".into()),
            },
            email: " Hanako@Example.JP ".into(),
            phone: "09012345678".into(),
            address: Address {
                postal_code: "1500041".into(),
                prefecture: "東京都".into(),
                city: "渋谷区".into(),
                street: "神南1-2-3".into(),
                building: String::new(),
                country: "xx".into(),
            },
        }
    }

    #[test]
    fn a_profile_is_normalised() {
        let p = valid().validated().expect("valid");
        assert_eq!(p.name.family, "山田");
        assert_eq!(p.name.family_kana, None);
        assert_eq!(p.email, "hanako@example.jp");
        assert_eq!(p.phone, "090-1234-5678");
        assert_eq!(p.address.postal_code, "150-0041");
        assert_eq!(p.address.country, "JP");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut p = valid();
        p.name.given = " ".into();
        p.email = "not-an-email".into();
        p.address.prefecture = "Tokyo".into();
        p.address.postal_code = "12".into();
        let errors = p.validated().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["given_name", "email", "postal_code", "prefecture"]);
    }

    proptest! {
        #[test]
        fn normalisers_never_panic(s in ".{0,40}") {
            let _ = normalize_postal_code(&s);
            let _ = normalize_phone(&s);
            let _ = is_plausible_email(&s);
        }
    }
}
