//! Pure conversions between WHMCS's shapes and the portal's: raw DTO → model (with the
//! checks that make a record usable) and domain → request parameters. No I/O; never panics.
//!
//! Name order: WHMCS `firstname` holds the **given** name (名), `lastname` the **family**
//! name (姓). Address: `address1` = street and number, `address2` = building and room,
//! `city`, `state` = prefecture, `postcode`, `country` = `JP`, `phonenumber`. Kana readings
//! have no standard WHMCS field and are not sent.

pub mod billing;

use super::client::Params;
use super::dto::{RawClient, RawClientSummary, RawUser, ValidateLoginResponse};
use super::error::WhmcsError;
use super::model::{
    ClientAccess, ClientDetails, ClientStatus, ClientSummary, ClientUser, UserAccess,
    ValidatedLogin,
};
use crate::domain::common::lang::Lang;
use crate::domain::common::money::{Currency, Money};
use crate::domain::customer::{
    Address, PersonName, Profile, normalize_phone, normalize_postal_code,
};

/// Reads a client status (case-insensitive).
pub fn client_status(text: &str) -> Option<ClientStatus> {
    match text.trim().to_ascii_lowercase().as_str() {
        "active" => Some(ClientStatus::Active),
        "inactive" => Some(ClientStatus::Inactive),
        "closed" => Some(ClientStatus::Closed),
        _ => None,
    }
}

/// The WHMCS language name for a portal language (`language` on AddClient / UpdateClient).
pub fn language_param(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "japanese",
        Lang::En => "english",
    }
}

/// A WHMCS language name as a portal language; `""` (system default) and others → `None`.
pub fn language(text: &str) -> Option<Lang> {
    match text.trim().to_ascii_lowercase().as_str() {
        "japanese" => Some(Lang::Ja),
        "english" => Some(Lang::En),
        other => Lang::parse(other).filter(|_| other.len() <= 5),
    }
}

/// Parses a WHMCS decimal amount (`"1500.00"`, `"-1.00"`, `"15.95"`) in a known currency to
/// exact minor units. `None` when it is not a plain decimal, would lose precision (a yen
/// amount with non-zero cents), or the currency is unknown.
pub fn parse_money(text: &str, currency_code: &str) -> Option<Money> {
    let currency = Currency::parse(currency_code)?;
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !plain(fraction) {
        return None;
    }
    let exponent = usize::try_from(currency.exponent()).ok()?;
    let (kept, dropped) = fraction.split_at(fraction.len().min(exponent));
    if dropped.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut minor: i64 = whole.parse().ok()?;
    for i in 0..exponent {
        let digit = kept.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        minor = minor.checked_mul(10)?.checked_add(digit)?;
    }
    Some(Money::from_minor(
        if negative { -minor } else { minor },
        currency,
    ))
}

fn clean(text: &str) -> String {
    text.trim().to_owned()
}

/// The portal's phone format when the number is a plausible Japanese one (also when WHMCS
/// stored it without its leading 0 next to `phonecc` 81); otherwise the text as stored.
fn phone(number: &str, calling_code: &str) -> String {
    normalize_phone(number)
        .or_else(|| {
            (calling_code.trim() == "81")
                .then(|| normalize_phone(&format!("+81{}", number.trim())))
                .flatten()
        })
        .unwrap_or_else(|| clean(number))
}

fn profile(raw: &RawClient) -> Profile {
    let country = [&raw.countrycode, &raw.country]
        .into_iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| "JP".to_owned());
    Profile {
        name: PersonName {
            family: clean(&raw.lastname),
            given: clean(&raw.firstname),
            family_kana: None,
            given_kana: None,
        },
        email: clean(&raw.email),
        phone: phone(&raw.phonenumber, &raw.phonecc),
        address: Address {
            postal_code: normalize_postal_code(&raw.postcode)
                .unwrap_or_else(|| clean(&raw.postcode)),
            prefecture: if raw.state.trim().is_empty() {
                clean(&raw.fullstate)
            } else {
                clean(&raw.state)
            },
            city: clean(&raw.city),
            street: clean(&raw.address1),
            building: clean(&raw.address2),
            country,
        },
    }
}

/// `GetClientsDetails` → [`ClientDetails`]. Requires an id and a known status.
pub fn client_details(raw: &RawClient) -> Result<ClientDetails, WhmcsError> {
    let id = raw
        .any_id()
        .ok_or_else(|| WhmcsError::Decode("client details without a client id".into()))?;
    let status = client_status(&raw.status)
        .ok_or_else(|| WhmcsError::Decode(format!("client {id} has an unknown status")))?;
    let currency_code =
        Some(raw.currency_code.trim().to_ascii_uppercase()).filter(|c| !c.is_empty());
    let credit = currency_code
        .as_deref()
        .and_then(|code| parse_money(&raw.credit, code));
    let users = raw
        .users
        .iter()
        .filter_map(|u| {
            Some(ClientUser {
                id: u.id?,
                name: clean(&u.name),
                email: clean(&u.email),
                is_owner: u.is_owner,
            })
        })
        .collect::<Vec<_>>();
    let owner_user_id = raw
        .owner_user_id
        .or_else(|| users.iter().find(|u| u.is_owner).map(|u| u.id));
    Ok(ClientDetails {
        id,
        owner_user_id,
        profile: profile(raw),
        company: clean(&raw.companyname),
        status,
        currency_id: raw.currency,
        currency_code,
        credit,
        language: language(&raw.language),
        allow_sso: raw.allow_single_sign_on,
        users,
    })
}

/// A `GetClients` entry → [`ClientSummary`]. Requires an id and a known status.
pub fn client_summary(raw: &RawClientSummary) -> Result<ClientSummary, WhmcsError> {
    let id = raw
        .id
        .ok_or_else(|| WhmcsError::Decode("client list entry without an id".into()))?;
    let status = client_status(&raw.status)
        .ok_or_else(|| WhmcsError::Decode(format!("client {id} has an unknown status")))?;
    Ok(ClientSummary {
        id,
        name: PersonName {
            family: clean(&raw.lastname),
            given: clean(&raw.firstname),
            family_kana: None,
            given_kana: None,
        },
        company: clean(&raw.companyname),
        email: clean(&raw.email),
        status,
        created: raw.datecreated,
    })
}

/// `ValidateLogin` → [`ValidatedLogin`]. Requires a user id.
pub fn validated_login(raw: &ValidateLoginResponse) -> Result<ValidatedLogin, WhmcsError> {
    let user_id = raw
        .userid
        .ok_or_else(|| WhmcsError::Decode("ValidateLogin succeeded without a userid".into()))?;
    Ok(ValidatedLogin {
        user_id,
        two_factor: raw.two_factor_enabled || raw.passwordhash.is_none(),
    })
}

/// A `GetUsers` entry → [`UserAccess`]; entries without a user id are skipped by the caller
/// (`None`), client links without an id are dropped.
pub fn user_access(raw: &RawUser) -> Option<UserAccess> {
    Some(UserAccess {
        user_id: raw.id?,
        email: clean(&raw.email),
        clients: raw
            .clients
            .iter()
            .filter_map(|c| {
                Some(ClientAccess {
                    client_id: c.id?,
                    is_owner: c.is_owner,
                })
            })
            .collect(),
    })
}

/// The AddClient / UpdateClient fields for a profile (see the module doc for the mapping).
pub fn profile_params(profile: &Profile) -> Params {
    let country = profile.address.country.trim();
    Params::new()
        .with("firstname", profile.name.given.trim())
        .with("lastname", profile.name.family.trim())
        .with("email", profile.email.trim())
        .with("address1", profile.address.street.trim())
        .with("address2", profile.address.building.trim())
        .with("city", profile.address.city.trim())
        .with("state", profile.address.prefecture.trim())
        .with("postcode", profile.address.postal_code.trim())
        .with("country", if country.is_empty() { "JP" } else { country })
        .with("phonenumber", profile.phone.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The reference sheet's GetClientsDetails fields (§2.1), 8.x typing, with a Japanese
    /// customer's values — and the deprecated top-level copy.
    fn details_fixture() -> Value {
        let client = json!({
            "client_id": 1001, "owner_user_id": 1, "userid": 1001, "id": 1001,
            "uuid": "6f1f7d3c-0000-4000-8000-000000001001",
            "firstname": "花子", "lastname": "山田", "fullname": "花子 山田",
            "companyname": "", "email": "hanako@example.jp",
            "address1": "神南1-2-3", "address2": "サンプルマンション405", "city": "渋谷区",
            "fullstate": "東京都", "state": "東京都", "statecode": "東京都",
            "postcode": "150-0041", "countrycode": "JP", "country": "JP",
            "countryname": "Japan", "phonecc": 81, "phonenumber": "090-1234-5678",
            "phonenumberformatted": "+81.9012345678", "telephoneNumber": "+81.9012345678",
            "tax_id": "", "email_preferences": { "general": "1", "invoice": "1" },
            "billingcid": 0, "notes": "", "currency": 1, "currency_code": "JPY",
            "defaultgateway": "", "groupid": 0, "status": "Active", "credit": "1500.00",
            "taxexempt": false, "allowSingleSignOn": 1, "email_verified": false,
            "language": "japanese",
            "lastlogin": "Date: 03/10/2016 10:26<br>IP Address:<br>Host:",
            "customfields": [],
            "users": { "user": [ { "id": 1, "name": "花子 山田", "email": "hanako@example.jp", "is_owner": true } ] }
        });
        let mut response = client.clone();
        if let Value::Object(map) = &mut response {
            map.insert("result".into(), json!("success"));
            map.insert("client".into(), client);
        }
        response
    }

    #[test]
    fn client_details_from_the_reference_shape() {
        let raw = RawClient::from_details_response(details_fixture()).expect("reads");
        let details = client_details(&raw).expect("maps");
        assert_eq!(details.id, 1001);
        assert_eq!(details.owner_user_id, Some(1));
        assert_eq!(details.profile.name.family, "山田");
        assert_eq!(details.profile.name.given, "花子");
        assert_eq!(details.profile.address.street, "神南1-2-3");
        assert_eq!(details.profile.address.building, "サンプルマンション405");
        assert_eq!(details.profile.address.prefecture, "東京都");
        assert_eq!(details.profile.address.postal_code, "150-0041");
        assert_eq!(details.profile.address.country, "JP");
        assert_eq!(details.profile.phone, "090-1234-5678");
        assert_eq!(details.status, ClientStatus::Active);
        assert_eq!(details.currency_code.as_deref(), Some("JPY"));
        assert_eq!(details.credit, Some(Money::yen(1500)));
        assert_eq!(details.language, Some(Lang::Ja));
        assert!(details.allow_sso);
        assert_eq!(details.users.len(), 1);
        assert!(details.users[0].is_owner);
    }

    #[test]
    fn legacy_all_strings_top_level_only() {
        // The docs' older example: everything a string, only at the top level.
        let response = json!({
            "result": "success", "userid": "1", "id": "1", "firstname": "Test",
            "lastname": "Client", "email": "test-client@example.com",
            "address1": "123 Test Street", "city": "Test", "state": "Tester",
            "postcode": "TE5 5ST", "countrycode": "GB", "phonenumber": "01234567890",
            "phonecc": "44", "currency": "1", "status": "Active", "credit": "0.00",
            "allowSingleSignOn": "1", "language": "", "currency_code": "USD"
        });
        let raw = RawClient::from_details_response(response).expect("reads");
        let details = client_details(&raw).expect("maps");
        assert_eq!(details.id, 1);
        assert_eq!(details.owner_user_id, None);
        assert_eq!(details.profile.address.postal_code, "TE5 5ST");
        assert_eq!(details.profile.address.country, "GB");
        assert_eq!(details.currency_id, Some(1));
        assert_eq!(details.credit, Some(Money::from_minor(0, Currency::Usd)));
        assert_eq!(details.language, None);
    }

    #[test]
    fn a_phone_stored_without_its_trunk_zero() {
        assert_eq!(phone("9012345678", "81"), "090-1234-5678");
        assert_eq!(phone("+1 555 0100", "1"), "+1 555 0100");
    }

    #[test]
    fn records_without_id_or_status_are_refused() {
        let mut raw = RawClient::from_details_response(details_fixture()).expect("reads");
        raw.status = "Frozen".into();
        assert_eq!(client_details(&raw).map_err(|e| e.kind()), Err("decode"));
        let raw = RawClient::from_details_response(json!({ "result": "success" })).expect("reads");
        assert_eq!(client_details(&raw).map_err(|e| e.kind()), Err("decode"));
    }

    #[test]
    fn get_clients_all_strings_example() {
        // The docs' GetClients example shape (every scalar a string), un-flattened.
        let response: super::super::dto::GetClientsResponse = serde_json::from_value(json!({
            "result": "success", "totalresults": "2", "startnumber": "0", "numreturned": "2",
            "clients": { "client": [
                { "id": "1", "firstname": "Price", "lastname": "Beier", "companyname": "",
                  "email": "cecelia99@example.com", "datecreated": "2016-01-01", "groupid": "0", "status": "Active" },
                { "id": "2", "firstname": "Angelica", "lastname": "Mohr", "companyname": "",
                  "email": "price.ima@example.com", "datecreated": "0000-00-00", "groupid": "0", "status": "Inactive" }
            ] }
        }))
        .expect("reads");
        assert_eq!(response.totalresults, 2);
        let summaries: Vec<_> = response
            .clients
            .iter()
            .map(client_summary)
            .collect::<Result<_, _>>()
            .expect("maps");
        assert_eq!(summaries[0].name.family, "Beier");
        assert_eq!(
            summaries[0].created.map(|d| d.to_string()).as_deref(),
            Some("2016-01-01")
        );
        assert_eq!(summaries[1].status, ClientStatus::Inactive);
        assert_eq!(summaries[1].created, None);
    }

    #[test]
    fn validate_login_and_get_users_examples() {
        let login: ValidateLoginResponse = serde_json::from_value(json!({
            "result": "success", "userid": "1",
            "passwordhash": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "twoFactorEnabled": "false"
        }))
        .expect("reads");
        assert_eq!(
            validated_login(&login).expect("maps"),
            ValidatedLogin {
                user_id: 1,
                two_factor: false
            }
        );
        let two_factor: ValidateLoginResponse = serde_json::from_value(json!({
            "result": "success", "userid": 5, "twoFactorEnabled": "true"
        }))
        .expect("reads");
        assert!(validated_login(&two_factor).expect("maps").two_factor);

        let users: super::super::dto::GetUsersResponse = serde_json::from_value(json!({
            "result": "success", "totalresults": 1, "startnumber": 0, "numreturned": 1,
            "users": [ { "id": 1, "firstname": "John", "lastname": "Smith",
                "email": "john.smith@example.net", "datecreated": "2020-12-15 15:29:49",
                "validationdata": "", "clients": [ { "id": 1, "isOwner": true }, { "id": 7, "isOwner": false } ] } ]
        }))
        .expect("reads");
        let access = user_access(&users.users[0]).expect("maps");
        assert_eq!(access.user_id, 1);
        assert_eq!(
            access.clients,
            [
                ClientAccess {
                    client_id: 1,
                    is_owner: true
                },
                ClientAccess {
                    client_id: 7,
                    is_owner: false
                }
            ]
        );
    }

    #[test]
    fn profile_to_params_in_japanese_order() {
        let profile = Profile {
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
                country: String::new(),
            },
        };
        let params = profile_params(&profile);
        assert_eq!(params.get("firstname"), Some("花子"));
        assert_eq!(params.get("lastname"), Some("山田"));
        assert_eq!(params.get("address1"), Some("神南1-2-3"));
        assert_eq!(params.get("address2"), Some("サンプルマンション405"));
        assert_eq!(params.get("state"), Some("東京都"));
        assert_eq!(params.get("postcode"), Some("150-0041"));
        assert_eq!(params.get("country"), Some("JP"));
        assert_eq!(params.get("phonenumber"), Some("090-1234-5678"));
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(parse_money("1500.00", "JPY"), Some(Money::yen(1500)));
        assert_eq!(parse_money("1500", "jpy"), Some(Money::yen(1500)));
        assert_eq!(
            parse_money("15.95", "USD"),
            Some(Money::from_minor(1595, Currency::Usd))
        );
        assert_eq!(
            parse_money("15.9", "USD"),
            Some(Money::from_minor(1590, Currency::Usd))
        );
        assert_eq!(
            parse_money("-1.00", "USD"),
            Some(Money::from_minor(-100, Currency::Usd))
        );
        for bad in [
            "",
            "abc",
            "1.5",
            "1,500.00",
            "$15.95",
            ".5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_money(bad, "JPY"), None, "{bad}");
        }
        assert_eq!(parse_money("1.00", "EUR"), None);
    }

    #[test]
    fn languages() {
        assert_eq!(language("Japanese"), Some(Lang::Ja));
        assert_eq!(language("english"), Some(Lang::En));
        assert_eq!(language(""), None);
        assert_eq!(language("french"), None);
        assert_eq!(language_param(Lang::Ja), "japanese");
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            ".{0,16}".prop_map(Value::String),
            Just(json!("Active")),
            Just(json!("0000-00-00")),
        ];
        leaf.prop_recursive(3, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("id".to_owned()),
                        Just("client".to_owned()),
                        Just("users".to_owned()),
                        Just("status".to_owned()),
                        Just("clients".to_owned()),
                        Just("user".to_owned()),
                        Just("credit".to_owned()),
                        Just("currency_code".to_owned()),
                        Just("phonenumber".to_owned()),
                        Just("postcode".to_owned()),
                        "[a-z]{1,6}"
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn mappers_never_panic(v in arb_json(), money in ".{0,24}", code in "[A-Za-z]{0,4}") {
            if let Ok(raw) = RawClient::from_details_response(v.clone()) {
                let _ = client_details(&raw);
            }
            if let Ok(raw) = serde_json::from_value::<RawClientSummary>(v.clone()) {
                let _ = client_summary(&raw);
            }
            if let Ok(raw) = serde_json::from_value::<ValidateLoginResponse>(v.clone()) {
                let _ = validated_login(&raw);
            }
            if let Ok(raw) = serde_json::from_value::<RawUser>(v) {
                let _ = user_access(&raw);
            }
            let _ = parse_money(&money, &code);
            let _ = phone(&money, "81");
        }

        #[test]
        fn profile_params_never_panic(given in ".{0,20}", family in ".{0,20}", street in ".{0,30}") {
            let mut profile = Profile::default();
            profile.name.given = given;
            profile.name.family = family;
            profile.address.street = street;
            let _ = profile_params(&profile);
        }
    }
}
