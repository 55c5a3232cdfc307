//! Salesforce's Pub/Sub `schema_id`: MD5 of the schema's Avro Parsing Canonical Form,
//! base64url without padding (22 characters). Because the canonical form drops `doc` and
//! `default`, those never change an id; adding a field does.

use apache_avro::Schema;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use md5::{Digest, Md5};

/// The schema id of a parsed schema.
pub fn of_schema(schema: &Schema) -> String {
    // Computed here rather than with `Schema::fingerprint` so the digest crate's version is
    // ours to choose; the golden ids below pin the result either way.
    URL_SAFE_NO_PAD.encode(Md5::digest(schema.canonical_form().as_bytes()))
}

/// The schema id of a schema given as JSON.
pub fn of_json(json: &str) -> Result<String, apache_avro::Error> {
    Schema::parse_str(json).map(|s| of_schema(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A platform event schema with the standard fields and `Message__c` (the shape of the
    /// real `Test_Event__e` and `CM_Test_Event_Two__e`, reference §0).
    fn message_event(name: &str) -> String {
        format!(
            r#"{{"name":"{name}","namespace":"com.sforce.eventbus","type":"record",
            "fields":[{{"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"}},
            {{"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"}},
            {{"name":"Message__c","type":["null","string"],"doc":"Data:Text","default":null}}]}}"#
        )
    }

    #[test]
    fn golden_ids_of_captured_schemas() {
        assert_eq!(
            of_json(&message_event("Test_Event__e")).ok().as_deref(),
            Some("6L0yfG1TjHj3IeYaje5uZQ")
        );
        assert_eq!(
            of_json(&message_event("CM_Test_Event_Two__e"))
                .ok()
                .as_deref(),
            Some("K98aAtiNFBjA-PJlcvaQ2g")
        );
    }

    /// `Low_Ink__e`, the REST eventschema doc's example (v42), reconstructed from its fields
    /// (Printer_Model__c, Serial_Number__c Text; Ink_Percentage__c Number) — the id matches the
    /// doc's, which confirms the field order and types.
    #[test]
    fn golden_id_of_the_low_ink_doc_example() {
        let json = r#"{"name":"Low_Ink__e","namespace":"com.sforce.eventbus","type":"record",
            "fields":[{"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"},
            {"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"},
            {"name":"Printer_Model__c","type":["null","string"],"doc":"Data:Text","default":null},
            {"name":"Serial_Number__c","type":["null","string"],"doc":"Data:Text","default":null},
            {"name":"Ink_Percentage__c","type":["null","double"],"doc":"Data:Double","default":null}]}"#;
        assert_eq!(
            of_json(json).ok().as_deref(),
            Some("5E5OtZj5_Gm6Vax9XMXH9A")
        );
    }

    #[test]
    fn golden_id_of_our_event_and_its_canonical_form() {
        let schema =
            Schema::parse_str(crate::server::integrations::salesforce::pubsub::event::SCHEMA_JSON)
                .expect("schema parses");
        assert_eq!(
            schema.canonical_form(),
            r#"{"name":"com.sforce.eventbus.OrderProvisionRequested__e","type":"record","fields":[{"name":"CreatedDate","type":"long"},{"name":"CreatedById","type":"string"},{"name":"OrderId__c","type":["null","string"]},{"name":"IdemKey__c","type":["null","string"]}]}"#
        );
        assert_eq!(of_schema(&schema), "qAZU0hHax7ZKzpJYaguztA");
    }

    #[test]
    fn doc_and_default_do_not_change_the_id_but_a_field_does() {
        let plain = r#"{"name":"Test_Event__e","namespace":"com.sforce.eventbus","type":"record",
            "fields":[{"name":"CreatedDate","type":"long"},{"name":"CreatedById","type":"string"},
            {"name":"Message__c","type":["null","string"]}]}"#;
        assert_eq!(
            of_json(plain).ok().as_deref(),
            Some("6L0yfG1TjHj3IeYaje5uZQ")
        );
        let more = plain.replace(
            r#"{"name":"Message__c""#,
            r#"{"name":"Extra__c","type":["null","string"]},{"name":"Message__c""#,
        );
        assert_ne!(
            of_json(&more).ok().as_deref(),
            Some("6L0yfG1TjHj3IeYaje5uZQ")
        );
    }
}
