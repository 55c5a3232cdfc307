//! Pure conversions between Salesforce Contact fields and the portal's [`Profile`]:
//!
//! | Profile | Contact |
//! |---|---|
//! | `name.family` / `name.given` | `LastName` / `FirstName` |
//! | `name.family_kana` / `name.given_kana` | configurable reading fields (optional) |
//! | `email`, `phone` | `Email`, `Phone` |
//! | `address.postal_code`, `prefecture`, `city` | `MailingPostalCode`, `MailingState`, `MailingCity` |
//! | `address.street` + `building` | `MailingStreet` (two lines) |
//! | `address.country` | `MailingCountry` (ISO code; `Japan`/`日本` read as `JP`) |
//!
//! Reading never panics and is lenient (missing fields become empty); only a Contact without a
//! `LastName`, which Salesforce itself cannot store, is refused. Portal validation of the
//! result (`Profile::validated`) is the caller's business.

use super::dto::{ContactRaw, loose_text};
use crate::domain::customer::{Address, PersonName, Profile};
use serde_json::{Map, Value};

/// The configurable Contact fields (API names, already checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFieldNames {
    /// Family-name reading field, if the org keeps readings.
    pub family_kana: Option<String>,
    /// Given-name reading field.
    pub given_kana: Option<String>,
}

impl ContactFieldNames {
    /// The fields to read for [`contact_to_profile`].
    pub fn select_list(&self) -> Vec<&str> {
        let mut fields = vec![
            "Id",
            "AccountId",
            "FirstName",
            "LastName",
            "Email",
            "Phone",
            "MailingStreet",
            "MailingCity",
            "MailingState",
            "MailingPostalCode",
            "MailingCountry",
        ];
        fields.extend(self.family_kana.as_deref());
        fields.extend(self.given_kana.as_deref());
        fields
    }
}

/// Why a Contact cannot be a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// No `LastName`.
    #[error("the Salesforce Contact has no LastName")]
    MissingLastName,
}

fn text(value: &Option<String>) -> String {
    value
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

fn extra_text(raw: &ContactRaw, field: Option<&str>) -> Option<String> {
    let value = raw.extra.get(field?)?;
    loose_text(value).filter(|s| !s.is_empty())
}

/// `street` and `building` as one `MailingStreet` (building on the second line).
pub fn join_street(street: &str, building: &str) -> String {
    let (street, building) = (street.trim(), building.trim());
    if building.is_empty() {
        street.to_owned()
    } else {
        format!("{street}\n{building}")
    }
}

/// `MailingStreet` back into street and building: the first line, then the rest joined by
/// spaces.
pub fn split_street(lines: &str) -> (String, String) {
    let mut parts = lines
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let street = parts.next().unwrap_or_default().to_owned();
    let building = parts.collect::<Vec<_>>().join(" ");
    (street, building)
}

/// A country as the portal keeps it (ISO alpha-2).
fn country_code(country: &str) -> String {
    let c = country.trim();
    match c.to_ascii_lowercase().as_str() {
        "" | "jp" | "jpn" | "japan" | "日本" | "日本国" => "JP".to_owned(),
        _ if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        _ => c.to_owned(),
    }
}

/// A Contact as the portal's profile.
pub fn contact_to_profile(
    raw: &ContactRaw,
    names: &ContactFieldNames,
) -> Result<Profile, MapError> {
    let family = text(&raw.last_name);
    if family.is_empty() {
        return Err(MapError::MissingLastName);
    }
    let (street, building) = split_street(raw.mailing_street.as_deref().unwrap_or_default());
    Ok(Profile {
        name: PersonName {
            family,
            given: text(&raw.first_name),
            family_kana: extra_text(raw, names.family_kana.as_deref()),
            given_kana: extra_text(raw, names.given_kana.as_deref()),
        },
        email: text(&raw.email),
        phone: text(&raw.phone),
        address: Address {
            postal_code: text(&raw.mailing_postal_code),
            prefecture: text(&raw.mailing_state),
            city: text(&raw.mailing_city),
            street,
            building,
            country: country_code(raw.mailing_country.as_deref().unwrap_or_default()),
        },
    })
}

/// The Contact fields for a profile (create or full update). Empty optional values are sent as
/// `null` so an update clears them.
pub fn profile_to_contact(profile: &Profile, names: &ContactFieldNames) -> Map<String, Value> {
    fn put(map: &mut Map<String, Value>, field: &str, value: &str) {
        let value = value.trim();
        map.insert(
            field.to_owned(),
            if value.is_empty() {
                Value::Null
            } else {
                Value::String(value.to_owned())
            },
        );
    }
    let mut map = Map::new();
    put(&mut map, "LastName", &profile.name.family);
    put(&mut map, "FirstName", &profile.name.given);
    if let Some(field) = &names.family_kana {
        put(
            &mut map,
            field,
            profile.name.family_kana.as_deref().unwrap_or_default(),
        );
    }
    if let Some(field) = &names.given_kana {
        put(
            &mut map,
            field,
            profile.name.given_kana.as_deref().unwrap_or_default(),
        );
    }
    put(&mut map, "Email", &profile.email);
    put(&mut map, "Phone", &profile.phone);
    put(&mut map, "MailingPostalCode", &profile.address.postal_code);
    put(&mut map, "MailingState", &profile.address.prefecture);
    put(&mut map, "MailingCity", &profile.address.city);
    put(
        &mut map,
        "MailingStreet",
        &join_street(&profile.address.street, &profile.address.building),
    );
    put(
        &mut map,
        "MailingCountry",
        &country_code(&profile.address.country),
    );
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names() -> ContactFieldNames {
        ContactFieldNames {
            family_kana: Some("LastNameKana__c".into()),
            given_kana: Some("FirstNameKana__c".into()),
        }
    }

    fn hanako() -> Profile {
        Profile {
            name: PersonName {
                family: "山田".into(),
                given: "花子".into(),
                family_kana: Some("ヤマダ".into()),
                given_kana: Some("ハナコ".into()),
            },
            email: "hanako@example.jp".into(),
            phone: "090-1234-5678".into(),
            address: Address {
                postal_code: "150-0041".into(),
                prefecture: "東京都".into(),
                city: "渋谷区".into(),
                street: "神南1-2-3".into(),
                building: "サンプルマンション405".into(),
                country: "JP".into(),
            },
        }
    }

    #[test]
    fn a_salesforce_contact_fixture_maps_to_a_profile() {
        let raw: ContactRaw = serde_json::from_str(
            r#"{
              "attributes": {"type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003J5000004HanAIAS"},
              "Id": "003J5000004HanAIAS", "AccountId": "001J5000003HanAIAS",
              "FirstName": "花子", "LastName": "山田",
              "LastNameKana__c": "ヤマダ", "FirstNameKana__c": "ハナコ",
              "Email": "hanako@example.jp", "Phone": "090-1234-5678",
              "MailingStreet": "神南1-2-3\nサンプルマンション405", "MailingCity": "渋谷区",
              "MailingState": "東京都", "MailingPostalCode": "150-0041", "MailingCountry": "Japan"
            }"#,
        )
        .expect("fixture");
        assert_eq!(contact_to_profile(&raw, &names()), Ok(hanako()));
    }

    #[test]
    fn a_sparse_contact_maps_leniently() {
        let raw: ContactRaw =
            serde_json::from_str(r#"{"LastName":"Morgan","FirstName":null,"MailingStreet":"  1-2-3 \r\n\r\n Bldg  \n 5F "}"#)
                .expect("fixture");
        let p = contact_to_profile(&raw, &ContactFieldNames::default()).expect("maps");
        assert_eq!(p.name.family, "Morgan");
        assert_eq!(p.name.given, "");
        assert_eq!(p.name.family_kana, None);
        assert_eq!(p.address.street, "1-2-3");
        assert_eq!(p.address.building, "Bldg 5F");
        assert_eq!(p.address.country, "JP");
        let raw: ContactRaw = serde_json::from_str(r#"{"LastName":"  "}"#).expect("fixture");
        assert_eq!(
            contact_to_profile(&raw, &names()),
            Err(MapError::MissingLastName)
        );
    }

    #[test]
    fn a_profile_maps_to_contact_fields_and_back() {
        let fields = profile_to_contact(&hanako(), &names());
        assert_eq!(fields["LastName"], "山田");
        assert_eq!(fields["FirstNameKana__c"], "ハナコ");
        assert_eq!(fields["MailingStreet"], "神南1-2-3\nサンプルマンション405");
        assert_eq!(fields["MailingCountry"], "JP");
        let raw: ContactRaw = serde_json::from_value(Value::Object(fields)).expect("decodes");
        assert_eq!(contact_to_profile(&raw, &names()), Ok(hanako()));

        let mut no_building = hanako();
        no_building.address.building.clear();
        no_building.name.given_kana = None;
        let fields = profile_to_contact(&no_building, &names());
        assert_eq!(fields["MailingStreet"], "神南1-2-3");
        assert_eq!(fields["FirstNameKana__c"], Value::Null);
        assert!(
            !profile_to_contact(&hanako(), &ContactFieldNames::default())
                .contains_key("LastNameKana__c")
        );
    }

    proptest! {
        #[test]
        fn mapping_never_panics(
            last in proptest::option::of(".{0,20}"),
            first in proptest::option::of(".{0,20}"),
            street in proptest::option::of("[\\PC\n\r]{0,30}"),
            country in proptest::option::of(".{0,6}"),
            kana in any::<Option<i64>>(),
        ) {
            let mut raw = ContactRaw {
                last_name: last,
                first_name: first,
                mailing_street: street,
                mailing_country: country,
                ..ContactRaw::default()
            };
            if let Some(k) = kana {
                raw.extra.insert("LastNameKana__c".into(), Value::from(k));
            }
            if let Ok(profile) = contact_to_profile(&raw, &names()) {
                let _ = profile_to_contact(&profile, &names());
            }
        }
    }
}
