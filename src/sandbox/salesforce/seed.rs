//! Seeds the org from the sandbox seed: an Account (with the WHMCS client id) and a Contact
//! for every demo customer that has Salesforce ids; customers without them (kenji) are left
//! for the sign-up journey to create.

use super::schema::{Record, Schema, WHMCS_CLIENT_ID_FIELD};
use super::store::Store;
use crate::sandbox::SeedData;
use serde_json::{Value, json};

fn text(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Null
    } else {
        Value::String(s.trim().to_owned())
    }
}

fn record(value: Value) -> Record {
    match value {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

/// A fresh store holding the seed's Accounts and Contacts.
pub fn seeded_store(schema: &Schema, seed: &SeedData) -> Store {
    let mut store = Store::default();
    let (Some(account), Some(contact)) = (schema.object("Account"), schema.object("Contact"))
    else {
        return store;
    };
    for c in &seed.customers {
        let Some(account_id) = c.salesforce_account_id.as_deref() else {
            continue;
        };
        let name = if c.locale.starts_with("ja") {
            format!("{} {}", c.name.family, c.name.given)
        } else {
            format!("{} {}", c.name.given, c.name.family)
        };
        let street = if c.building.trim().is_empty() {
            c.street.clone()
        } else {
            format!("{}\n{}", c.street, c.building)
        };
        let inserted = store.insert_seed(
            account,
            record(json!({
                "Id": account_id,
                "Name": name,
                "Phone": text(&c.phone),
                "BillingStreet": text(&street),
                "BillingCity": text(&c.city),
                "BillingState": text(&c.prefecture),
                "BillingPostalCode": text(&c.postal_code),
                "BillingCountry": "JP",
                "Type": "Customer - Direct",
                WHMCS_CLIENT_ID_FIELD: c.whmcs_client_id.to_string(),
            })),
        );
        if !inserted {
            tracing::warn!(customer = %c.key, "seed Salesforce Account id is invalid or taken; skipped");
            continue;
        }
        let Some(contact_id) = c.salesforce_contact_id.as_deref() else {
            continue;
        };
        let Some(account_id18) = super::ids::normalize(account_id) else {
            continue;
        };
        let inserted = store.insert_seed(
            contact,
            record(json!({
                "Id": contact_id,
                "AccountId": account_id18,
                "FirstName": text(&c.name.given),
                "LastName": c.name.family,
                "FirstNameKana__c": text(c.name.given_kana.as_deref().unwrap_or_default()),
                "LastNameKana__c": text(c.name.family_kana.as_deref().unwrap_or_default()),
                "Email": c.email,
                "Phone": text(&c.phone),
                "MailingStreet": text(&street),
                "MailingCity": text(&c.city),
                "MailingState": text(&c.prefecture),
                "MailingPostalCode": text(&c.postal_code),
                "MailingCountry": "JP",
            })),
        );
        if !inserted {
            tracing::warn!(customer = %c.key, "seed Salesforce Contact id is invalid or taken; skipped");
        }
    }
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_seed_loads_two_accounts_and_contacts() {
        let seed = SeedData::built_in().expect("seed");
        let store = seeded_store(&Schema::standard(), &seed);
        assert_eq!(store.records("Account").len(), 2);
        assert_eq!(store.records("Contact").len(), 2);
        let hanako = store.find("Contact", "003J5000004HanAIAS").expect("hanako");
        assert_eq!(hanako["Name"], "花子 山田");
        assert_eq!(hanako["MailingStreet"], "神南1-2-3\nサンプルマンション405");
        let account = store
            .find("Account", "001J5000003HanAIAS")
            .expect("account");
        assert_eq!(account[WHMCS_CLIENT_ID_FIELD], "1001");
        assert_eq!(account["Name"], "山田 花子");
    }
}
