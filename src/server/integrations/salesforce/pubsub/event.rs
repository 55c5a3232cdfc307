//! The `OrderProvisionRequested__e` platform event: its Avro schema (reference §0) and the
//! typed [`ProvisionRequested`] codec over raw Avro datums (no container header, §1.6).
//!
//! Fields are read and written **by name** through whatever writer schema an event names, so
//! a schema that gained a field (a new schema id, §1.5 "schema evolution") still decodes, and
//! the simulator can publish with an evolved schema. Unknown fields must be nullable unions
//! (as every custom platform-event field is): they are written as null.

use anyhow::{Context, anyhow, bail};
use apache_avro::Schema;
use apache_avro::types::Value;

/// The topic the portal subscribes to.
pub const TOPIC: &str = "/event/OrderProvisionRequested__e";

/// The event's schema as Salesforce serves it (reference §0; schema id
/// `qAZU0hHax7ZKzpJYaguztA`).
pub const SCHEMA_JSON: &str = r#"{"name":"OrderProvisionRequested__e","namespace":"com.sforce.eventbus","type":"record","fields":[{"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"},{"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"},{"name":"OrderId__c","type":["null","string"],"doc":"Data:Text","default":null},{"name":"IdemKey__c","type":["null","string"],"doc":"Data:Text","default":null}]}"#;

/// One order-provision request, as the portal acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionRequested {
    /// `ProducerEvent.id` (a publisher-given id or a system GUID).
    pub event_id: String,
    /// `OrderId__c`: the approved Order.
    pub order_id: Option<String>,
    /// `IdemKey__c`: stable per approval; delivery is at-least-once, so dedupe on it.
    pub idem_key: Option<String>,
    /// `CreatedDate`, epoch **milliseconds**.
    pub created_ms: i64,
    /// `CreatedById`: the user who published.
    pub created_by: String,
}

/// The fields of a record schema, or an error for any other schema.
fn record_fields(schema: &Schema) -> anyhow::Result<&[apache_avro::schema::RecordField]> {
    match schema {
        Schema::Record(record) => Ok(&record.fields),
        _ => bail!("the event schema is not a record"),
    }
}

/// `Some(text)` / `None` as a value of a `["null","string"]`-like union.
fn nullable_string(field: &str, schema: &Schema, text: Option<&str>) -> anyhow::Result<Value> {
    let Schema::Union(union) = schema else {
        return match text {
            Some(t) if *schema == Schema::String => Ok(Value::String(t.to_owned())),
            _ => bail!("field {field} is neither a string nor a nullable union"),
        };
    };
    let branch = |wanted: &Schema| {
        union
            .variants()
            .iter()
            .position(|v| v == wanted)
            .and_then(|i| u32::try_from(i).ok())
            .ok_or_else(|| anyhow!("field {field}: the union has no {wanted:?} branch"))
    };
    Ok(match text {
        Some(t) => Value::Union(
            branch(&Schema::String)?,
            Box::new(Value::String(t.to_owned())),
        ),
        None => Value::Union(branch(&Schema::Null)?, Box::new(Value::Null)),
    })
}

/// Encodes the event's payload with `schema` (the topic's current writer schema).
pub fn encode(schema: &Schema, event: &ProvisionRequested) -> anyhow::Result<Vec<u8>> {
    let mut record = Vec::new();
    for field in record_fields(schema)? {
        let value = match field.name.as_str() {
            "CreatedDate" => Value::Long(event.created_ms),
            "CreatedById" => Value::String(event.created_by.clone()),
            "OrderId__c" => nullable_string(&field.name, &field.schema, event.order_id.as_deref())?,
            "IdemKey__c" => nullable_string(&field.name, &field.schema, event.idem_key.as_deref())?,
            other => nullable_string(other, &field.schema, None)?,
        };
        record.push((field.name.clone(), value));
    }
    apache_avro::to_avro_datum(schema, Value::Record(record)).context("Avro encoding failed")
}

/// Decodes a payload written with `schema` (the schema named by the event's own schema id).
/// Trailing bytes are an error: they mean the payload was written with another schema.
pub fn decode(
    schema: &Schema,
    event_id: &str,
    payload: &[u8],
) -> anyhow::Result<ProvisionRequested> {
    let mut reader = payload;
    let value = apache_avro::from_avro_datum(schema, &mut reader, None)
        .context("the payload is not a datum of its schema")?;
    if !reader.is_empty() {
        bail!(
            "{} trailing bytes after the datum (written with another schema?)",
            reader.len()
        );
    }
    let Value::Record(fields) = value else {
        bail!("the payload is not a record");
    };
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let created_ms = match field("CreatedDate") {
        Some(Value::Long(ms)) => *ms,
        Some(Value::Int(ms)) => i64::from(*ms),
        _ => bail!("CreatedDate is missing or not a long"),
    };
    let created_by = match field("CreatedById").map(unwrap_union) {
        Some(Value::String(id)) => id.clone(),
        _ => bail!("CreatedById is missing or not a string"),
    };
    let text = |name: &str| -> anyhow::Result<Option<String>> {
        match field(name).map(unwrap_union) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => bail!("{name} is not text: {other:?}"),
        }
    };
    Ok(ProvisionRequested {
        event_id: event_id.to_owned(),
        order_id: text("OrderId__c")?,
        idem_key: text("IdemKey__c")?,
        created_ms,
        created_by,
    })
}

fn unwrap_union(value: &Value) -> &Value {
    match value {
        Value::Union(_, inner) => inner,
        other => other,
    }
}

/// The event's schema, parsed.
pub fn schema() -> anyhow::Result<Schema> {
    Schema::parse_str(SCHEMA_JSON).context("the OrderProvisionRequested__e schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN_HEX: &str = "a2e7f9b5a96724303035666a3030303030394463564a414130022438303178783030303030303030303141414100";

    fn golden_event() -> ProvisionRequested {
        ProvisionRequested {
            event_id: "e-1".into(),
            order_id: Some("801xx0000000001AAA".into()),
            idem_key: None,
            created_ms: 1_775_086_025_169,
            created_by: "005fj000009DcVJAA0".into(),
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
            .collect()
    }

    #[test]
    fn the_golden_datum_encodes_to_the_46_reference_bytes() {
        let bytes = encode(&schema().expect("schema"), &golden_event()).expect("encodes");
        assert_eq!(bytes.len(), 46);
        assert_eq!(hex(&bytes), GOLDEN_HEX);
    }

    #[test]
    fn the_golden_bytes_decode_to_the_event() {
        let event = decode(&schema().expect("schema"), "e-1", &unhex(GOLDEN_HEX)).expect("decodes");
        assert_eq!(event, golden_event());
    }

    #[test]
    fn an_evolved_schema_decodes_by_name_and_the_old_one_refuses_its_bytes() {
        let evolved_json = SCHEMA_JSON.replace(
            r#"{"name":"IdemKey__c""#,
            r#"{"name":"Note__c","type":["null","string"],"default":null},{"name":"IdemKey__c""#,
        );
        let evolved = Schema::parse_str(&evolved_json).expect("evolved schema");
        let mut event = golden_event();
        event.idem_key = Some("801xx0000000001AAA:1775086025169".into());
        let bytes = encode(&evolved, &event).expect("encodes");
        assert_eq!(decode(&evolved, "e-1", &bytes).expect("decodes"), event);
        // Node issue #16: decoding with a cached old schema fails instead of misreading.
        assert!(decode(&schema().expect("schema"), "e-1", &bytes).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let schema = schema().expect("schema");
        assert!(decode(&schema, "x", &[0xff, 0xff, 0xff]).is_err());
        assert!(decode(&schema, "x", &[]).is_err());
    }
}
