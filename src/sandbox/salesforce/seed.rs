//! Seeds the org from the sandbox seed: an Account (with the WHMCS client id) and a Contact
//! for every demo customer that has Salesforce ids; customers without them (kenji) are left
//! for the sign-up journey to create.

use super::schema::{Record, Schema, WHMCS_CLIENT_ID_FIELD, product_fields};
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
    seed_catalog(schema, &mut store);
    store
}

/// One catalog product: SKU, Japanese name, English name, family, item class, cycle, price (yen,
/// tax excluded), WHMCS product id, Freebit plan code, config options, activation SKU.
struct Item {
    sku: &'static str,
    ja: &'static str,
    en: &'static str,
    family: &'static str,
    class: &'static str,
    price: u32,
    whmcs: u32,
    freebit: Option<&'static str>,
    options: &'static str,
    activation: Option<&'static str>,
}

const fn item(
    sku: &'static str,
    ja: &'static str,
    en: &'static str,
    family: &'static str,
    class: &'static str,
    price: u32,
    whmcs: u32,
) -> Item {
    Item {
        sku,
        ja,
        en,
        family,
        class,
        price,
        whmcs,
        freebit: None,
        options: "",
        activation: None,
    }
}

const fn plan(base: Item, activation: &'static str, options: &'static str) -> Item {
    Item {
        activation: Some(activation),
        options,
        ..base
    }
}

const fn sim(base: Item, code: &'static str, options: &'static str) -> Item {
    Item {
        freebit: Some(code),
        activation: Some("SIM-ACT"),
        options,
        ..base
    }
}

/// The portal's catalog (prices in yen, tax excluded).
const CATALOG: &[Item] = &[
    plan(
        item(
            "FIB-1G",
            "光ファイバー 1ギガ",
            "Fibre 1 Gbps",
            "Fibre",
            "Service",
            4_800,
            101,
        ),
        "FIB-ACT",
        r#"{"Line speed":"1G"}"#,
    ),
    plan(
        item(
            "FIB-10G",
            "光ファイバー 10ギガ",
            "Fibre 10 Gbps",
            "Fibre",
            "Service",
            6_300,
            102,
        ),
        "FIB-ACT",
        r#"{"Line speed":"10G"}"#,
    ),
    item(
        "FIB-ACT",
        "光回線 開通工事・事務手数料",
        "Fibre installation and activation fee",
        "Fibre",
        "Activation",
        22_000,
        109,
    ),
    sim(
        item(
            "SIM-D-3G",
            "データSIM 3GB",
            "Data SIM 3 GB",
            "SIM",
            "Service",
            900,
            201,
        ),
        "PLAN-D03",
        r#"{"Voice":"No","Data GB":"3"}"#,
    ),
    sim(
        item(
            "SIM-D-10G",
            "データSIM 10GB",
            "Data SIM 10 GB",
            "SIM",
            "Service",
            1_600,
            202,
        ),
        "PLAN-D10",
        r#"{"Voice":"No","Data GB":"10"}"#,
    ),
    sim(
        item(
            "SIM-D-20G",
            "データSIM 20GB",
            "Data SIM 20 GB",
            "SIM",
            "Service",
            2_300,
            203,
        ),
        "PLAN-D20",
        r#"{"Voice":"No","Data GB":"20"}"#,
    ),
    sim(
        item(
            "SIM-D-50G",
            "データSIM 50GB",
            "Data SIM 50 GB",
            "SIM",
            "Service",
            3_900,
            204,
        ),
        "PLAN-D50",
        r#"{"Voice":"No","Data GB":"50"}"#,
    ),
    sim(
        item(
            "SIM-V-3G",
            "音声通話SIM 3GB",
            "Voice + data SIM 3 GB",
            "SIM",
            "Service",
            1_400,
            211,
        ),
        "PLAN-V03",
        r#"{"Voice":"Yes","Data GB":"3"}"#,
    ),
    sim(
        item(
            "SIM-V-10G",
            "音声通話SIM 10GB",
            "Voice + data SIM 10 GB",
            "SIM",
            "Service",
            2_100,
            212,
        ),
        "PLAN-V10",
        r#"{"Voice":"Yes","Data GB":"10"}"#,
    ),
    sim(
        item(
            "SIM-V-20G",
            "音声通話SIM 20GB",
            "Voice + data SIM 20 GB",
            "SIM",
            "Service",
            2_800,
            213,
        ),
        "PLAN-V20",
        r#"{"Voice":"Yes","Data GB":"20"}"#,
    ),
    sim(
        item(
            "SIM-V-50G",
            "音声通話SIM 50GB",
            "Voice + data SIM 50 GB",
            "SIM",
            "Service",
            4_400,
            214,
        ),
        "PLAN-V50",
        r#"{"Voice":"Yes","Data GB":"50"}"#,
    ),
    item(
        "SIM-ACT",
        "SIMカード発行・登録事務手数料",
        "SIM card issue and activation fee",
        "SIM",
        "Activation",
        3_300,
        219,
    ),
    item(
        "OPT-ROUTER",
        "Wi-Fiルーター レンタル",
        "Wi-Fi router rental",
        "Option",
        "Option",
        550,
        301,
    ),
    item(
        "OPT-FIXIP",
        "固定IPアドレス（1個）",
        "Fixed IP address (1)",
        "Option",
        "Option",
        880,
        302,
    ),
];

/// Products that exist in the org but are not sold in the portal (for the catalog filters).
const HIDDEN: &[(&str, &str, bool, bool)] = &[
    // SKU, name, active, portal catalog
    (
        "OPT-ADSL-LEGACY",
        "ADSL モデム レンタル（販売終了）",
        false,
        true,
    ),
    ("SVC-ONSITE", "訪問設定サポート（店舗専用）", true, false),
];

/// Product ids are `01tJ5…` numbered from 1001 in [`CATALOG`] order, then [`HIDDEN`]; the
/// standard price book is the 1st `01s` id, the portal price book the 2nd; standard entries are
/// `01u` from 1001, portal entries `01u` from 2001, in the same order.
pub fn product_id(index: usize) -> String {
    super::ids::generate("01t", 1001 + index as u64)
}

/// The standard price book's id.
pub fn standard_pricebook_id() -> String {
    super::ids::generate("01s", 1)
}

/// The portal price book's id (named `Portal`).
pub fn portal_pricebook_id() -> String {
    super::ids::generate("01s", 2)
}

fn seed_catalog(schema: &Schema, store: &mut Store) {
    let (Some(product), Some(book), Some(entry)) = (
        schema.object("Product2"),
        schema.object("Pricebook2"),
        schema.object("PricebookEntry"),
    ) else {
        return;
    };
    let standard = standard_pricebook_id();
    let portal = portal_pricebook_id();
    store.insert_seed(
        book,
        record(json!({"Id": standard, "Name": "Standard Price Book", "IsActive": true, "IsStandard": true})),
    );
    store.insert_seed(
        book,
        record(json!({"Id": portal, "Name": "Portal", "Description": "Prices shown in the customer portal (yen, tax excluded)", "IsActive": true, "IsStandard": false})),
    );
    let sku_index = |sku: &str| CATALOG.iter().position(|i| i.sku == sku);
    let add_entry = |store: &mut Store,
                     n: u64,
                     book: &str,
                     product: &str,
                     sku: &str,
                     name: &str,
                     price: u32,
                     active: bool| {
        store.insert_seed(
            entry,
            record(json!({
                "Id": super::ids::generate("01u", n),
                "Pricebook2Id": book,
                "Product2Id": product,
                "Name": name,
                "ProductCode": sku,
                "UnitPrice": f64::from(price),
                "IsActive": active,
                "UseStandardPrice": false,
            })),
        );
    };
    for (i, it) in CATALOG.iter().enumerate() {
        let id = product_id(i);
        let activation = it.activation.and_then(sku_index).map(product_id);
        store.insert_seed(
            product,
            record(json!({
                "Id": id,
                "Name": it.ja,
                "ProductCode": it.sku,
                "StockKeepingUnit": it.sku,
                "Family": it.family,
                "IsActive": true,
                product_fields::PORTAL_CATALOG: true,
                product_fields::NAME_EN: it.en,
                product_fields::WHMCS_PRODUCT_ID: it.whmcs.to_string(),
                product_fields::BILLING_CYCLE: if it.class == "Activation" { "Onetime" } else { "Monthly" },
                product_fields::ITEM_CLASS: it.class,
                product_fields::CONFIG_OPTIONS: text(it.options),
                product_fields::FREEBIT_PLAN_CODE: it.freebit,
                product_fields::ACTIVATION_PRODUCT: activation,
            })),
        );
        let n = i as u64;
        add_entry(
            store,
            1001 + n,
            &standard,
            &id,
            it.sku,
            it.ja,
            it.price,
            true,
        );
        add_entry(store, 2001 + n, &portal, &id, it.sku, it.ja, it.price, true);
    }
    for (j, (sku, name, active, portal_flag)) in HIDDEN.iter().enumerate() {
        let i = CATALOG.len() + j;
        let id = product_id(i);
        store.insert_seed(
            product,
            record(json!({
                "Id": id,
                "Name": name,
                "ProductCode": sku,
                "StockKeepingUnit": sku,
                "Family": "Option",
                "IsActive": active,
                product_fields::PORTAL_CATALOG: portal_flag,
                product_fields::BILLING_CYCLE: "Monthly",
                product_fields::ITEM_CLASS: "Option",
            })),
        );
        let n = i as u64;
        add_entry(store, 1001 + n, &standard, &id, sku, name, 1_000, true);
        add_entry(store, 2001 + n, &portal, &id, sku, name, 1_000, *active);
    }
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
        assert_eq!(
            store.records("Product2").len(),
            CATALOG.len() + HIDDEN.len()
        );
        assert_eq!(store.records("Pricebook2").len(), 2);
        assert_eq!(
            store.records("PricebookEntry").len(),
            2 * (CATALOG.len() + HIDDEN.len())
        );
        let fibre = store.find("Product2", &product_id(0)).expect("fibre");
        assert_eq!(
            fibre[product_fields::ACTIVATION_PRODUCT],
            product_id(2).as_str()
        );
    }
}
