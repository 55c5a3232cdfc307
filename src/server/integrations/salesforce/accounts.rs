//! The Account and Contact operations sign-up, account linking and the profile page use. An
//! Account is found by the WHMCS client id kept in a configurable custom field
//! (`whmcs_client_id_field`, a Text external id, default `WHMCS_Client_Id__c`); the customer's
//! name, contact details and address live on the Contact (see [`super::map`]).

use super::client::SalesforceClient;
use super::dto::{ContactRaw, IdRecord};
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::map::{ContactFieldNames, contact_to_profile, profile_to_contact};
use super::soql::{Condition, Direction, Soql, is_api_name};
use crate::domain::customer::{Profile, normalize_email};
use crate::server::config::SalesforceSettings;
use serde_json::{Value, json};

/// Account key prefix.
pub const ACCOUNT_PREFIX: &str = "001";
/// Contact key prefix.
pub const CONTACT_PREFIX: &str = "003";

/// Account/Contact service.
#[derive(Clone)]
pub struct SalesforceAccounts {
    client: SalesforceClient,
    whmcs_field: String,
    contact_fields: ContactFieldNames,
}

fn optional_field(name: &str, key: &str) -> anyhow::Result<Option<String>> {
    let name = name.trim();
    if name.is_empty() {
        Ok(None)
    } else if is_api_name(name) {
        Ok(Some(name.to_owned()))
    } else {
        Err(anyhow::anyhow!(
            "salesforce.{key} {name:?} is not a field API name"
        ))
    }
}

fn id_of(record: IdRecord) -> Result<SalesforceId, SalesforceError> {
    SalesforceId::parse(&record.id)
        .map_err(|_| SalesforceError::Decode("a queried Id is not a record id".into()))
}

impl SalesforceAccounts {
    /// The service over `client`, with the field names from `[salesforce]` (checked here).
    pub fn new(client: SalesforceClient, settings: &SalesforceSettings) -> anyhow::Result<Self> {
        let whmcs_field = optional_field(&settings.whmcs_client_id_field, "whmcs_client_id_field")?
            .unwrap_or_else(|| "WHMCS_Client_Id__c".to_owned());
        Ok(SalesforceAccounts {
            client,
            whmcs_field,
            contact_fields: ContactFieldNames {
                family_kana: optional_field(
                    &settings.contact_family_kana_field,
                    "contact_family_kana_field",
                )?,
                given_kana: optional_field(
                    &settings.contact_given_kana_field,
                    "contact_given_kana_field",
                )?,
            },
        })
    }

    /// The client underneath.
    pub fn client(&self) -> &SalesforceClient {
        &self.client
    }

    /// The Account holding this WHMCS client id (the oldest, if several do).
    pub async fn find_account_by_whmcs_client(
        &self,
        whmcs_client_id: u32,
    ) -> Result<Option<SalesforceId>, SalesforceError> {
        let soql = Soql::select(&["Id"])
            .from("Account")
            .filter(Condition::eq(
                &self.whmcs_field,
                whmcs_client_id.to_string(),
            ))
            .order_by("CreatedDate", Direction::Asc)
            .limit(2)
            .build()?;
        let rows: Vec<IdRecord> = self.client.query(&soql).await?;
        if rows.len() > 1 {
            tracing::warn!(
                whmcs_client_id,
                "several Salesforce Accounts carry this WHMCS client id; using the oldest"
            );
        }
        rows.into_iter().next().map(id_of).transpose()
    }

    /// Creates the Account for a WHMCS client. If one already exists for that id (the field
    /// is unique: `DUPLICATE_VALUE`, e.g. a retried sign-up), returns the existing one.
    pub async fn create_account(
        &self,
        name: &str,
        whmcs_client_id: u32,
    ) -> Result<SalesforceId, SalesforceError> {
        let mut fields = serde_json::Map::new();
        fields.insert("Name".into(), Value::String(name.trim().to_owned()));
        fields.insert(
            self.whmcs_field.clone(),
            Value::String(whmcs_client_id.to_string()),
        );
        match self.client.create("Account", &Value::Object(fields)).await {
            Err(SalesforceError::Validation {
                code,
                message,
                fields,
            }) if code == "DUPLICATE_VALUE" => {
                match self.find_account_by_whmcs_client(whmcs_client_id).await? {
                    Some(existing) => Ok(existing),
                    None => Err(SalesforceError::Validation {
                        code,
                        message,
                        fields,
                    }),
                }
            }
            other => other,
        }
    }

    /// The Account's Contact with this email (case-insensitive), if any.
    pub async fn find_contact(
        &self,
        account_id: &SalesforceId,
        email: &str,
    ) -> Result<Option<SalesforceId>, SalesforceError> {
        let email = normalize_email(email);
        if email.is_empty() {
            return Ok(None);
        }
        let soql = Soql::select(&["Id"])
            .from("Contact")
            .filter(Condition::eq("AccountId", account_id))
            .filter(Condition::eq("Email", email))
            .order_by("CreatedDate", Direction::Asc)
            .limit(1)
            .build()?;
        let rows: Vec<IdRecord> = self.client.query(&soql).await?;
        rows.into_iter().next().map(id_of).transpose()
    }

    /// Creates the Contact for a profile under an Account.
    pub async fn create_contact(
        &self,
        account_id: &SalesforceId,
        profile: &Profile,
    ) -> Result<SalesforceId, SalesforceError> {
        let mut fields = profile_to_contact(profile, &self.contact_fields);
        fields.insert("AccountId".into(), json!(account_id.as_str()));
        self.client.create("Contact", &Value::Object(fields)).await
    }

    /// Writes a profile over a Contact (every mapped field; empty ones are cleared).
    pub async fn update_contact(
        &self,
        contact_id: &SalesforceId,
        profile: &Profile,
    ) -> Result<(), SalesforceError> {
        let fields = profile_to_contact(profile, &self.contact_fields);
        self.client
            .update("Contact", contact_id, &Value::Object(fields))
            .await
    }

    /// A Contact as the portal's profile.
    pub async fn contact_profile(
        &self,
        contact_id: &SalesforceId,
    ) -> Result<Profile, SalesforceError> {
        let fields = self.contact_fields.select_list();
        let raw: ContactRaw = self.client.get("Contact", contact_id, &fields).await?;
        contact_to_profile(&raw, &self.contact_fields)
            .map_err(|e| SalesforceError::Decode(format!("Contact: {e}")))
    }
}
