//! The simulated org's records, and the rules a write must pass: known and writable fields,
//! required values, types, lengths, email syntax, lookups to existing records, unique values,
//! ids with the object's key prefix. Errors use the real codes and wording
//! (`REQUIRED_FIELD_MISSING`, `STRING_TOO_LONG`, `INVALID_FIELD`, `DUPLICATE_VALUE`…).

use super::errors::{ErrorItem, RestError};
use super::ids;
use super::schema::{FieldDef, FieldType, ObjectDef, Record, Schema};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// `2026-11-21T10:49:00.000+0000`, as the API writes dateTimes.
pub fn format_datetime(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A dateTime as the API accepts it: `…Z`, `…+09:00` or `…+0900`, milliseconds optional.
pub fn parse_datetime(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let (head, tail) = s.split_at_checked(s.len().checked_sub(5)?)?;
    let bytes = tail.as_bytes();
    if matches!(bytes.first(), Some(b'+' | b'-')) && bytes[1..].iter().all(u8::is_ascii_digit) {
        let fixed = format!("{head}{}:{}", &tail[..3], &tail[3..]);
        return OffsetDateTime::parse(&fixed, &Rfc3339).ok();
    }
    None
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).ok()
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
}

/// Every object's records, in insertion order.
#[derive(Debug, Default, Clone)]
pub struct Store {
    tables: HashMap<&'static str, Vec<Record>>,
    next_id: u64,
}

impl Store {
    /// The records of an object.
    pub fn records(&self, object: &str) -> &[Record] {
        self.tables
            .get(object)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// A record by its 18-character id.
    pub fn find(&self, object: &str, id18: &str) -> Option<&Record> {
        self.records(object)
            .iter()
            .find(|r| r.get("Id").and_then(Value::as_str) == Some(id18))
    }

    /// Sets one stored field, bypassing the write rules (roll-ups, simulator operator actions);
    /// false when the record does not exist.
    pub fn set_field(&mut self, object: &str, id18: &str, field: &str, value: Value) -> bool {
        match self.find_mut(object, id18) {
            Some(record) => {
                record.insert(field.to_owned(), value);
                true
            }
            None => false,
        }
    }

    fn find_mut(&mut self, object: &str, id18: &str) -> Option<&mut Record> {
        self.tables
            .get_mut(object)?
            .iter_mut()
            .find(|r| r.get("Id").and_then(Value::as_str) == Some(id18))
    }

    fn fresh_id(&mut self, schema: &Schema, object: &ObjectDef) -> String {
        loop {
            self.next_id += 1;
            let id = ids::generate(object.key_prefix, self.next_id);
            let taken = schema
                .objects
                .iter()
                .any(|o| self.find(o.name, &id).is_some());
            if !taken {
                return id;
            }
        }
    }

    /// Creates a record (the REST rules apply), returning its id.
    pub fn create(
        &mut self,
        schema: &Schema,
        object: &ObjectDef,
        body: &Map<String, Value>,
    ) -> Result<String, RestError> {
        let mut record = Record::new();
        let mut errors = Vec::new();
        for (key, value) in body {
            if key == "attributes" {
                continue;
            }
            if key.eq_ignore_ascii_case("Id") {
                return Err(RestError::new(
                    400,
                    "INVALID_FIELD",
                    "The Id field should not be specified in the sobject data.",
                ));
            }
            let field = known_field(object, key)?;
            if !field.createable {
                errors.push(not_writable(field));
                continue;
            }
            match self.coerce(schema, field, value) {
                Ok(v) => {
                    record.insert(field.name.to_owned(), v);
                }
                Err(e) => errors.push(e),
            }
        }
        let missing: Vec<&str> = object
            .fields
            .iter()
            .filter(|f| f.required && record.get(f.name).is_none_or(Value::is_null))
            .map(|f| f.name)
            .collect();
        if !missing.is_empty() {
            errors.push(ErrorItem {
                message: format!("Required fields are missing: [{}]", missing.join(", ")),
                error_code: "REQUIRED_FIELD_MISSING".into(),
                fields: missing.iter().map(|f| (*f).to_owned()).collect(),
            });
        }
        self.check_unique(object, &record, None, &mut errors);
        if errors.is_empty() {
            errors = super::orders::before_write(self, object, &mut record, None);
        }
        if errors.is_empty() {
            errors = super::cases::before_write(self, object, &mut record, None);
        }
        if !errors.is_empty() {
            return Err(RestError {
                status: 400,
                items: errors,
            });
        }
        let id = self.fresh_id(schema, object);
        let now = Value::String(format_datetime(OffsetDateTime::now_utc()));
        for field in &object.fields {
            record.entry(field.name.to_owned()).or_insert(Value::Null);
        }
        record.insert("Id".into(), Value::String(id.clone()));
        record.insert("IsDeleted".into(), Value::Bool(false));
        for stamp in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
            record.insert(stamp.into(), now.clone());
        }
        if let Some(derive) = object.derive {
            derive(&mut record);
        }
        self.tables
            .entry(object.name)
            .or_default()
            .push(record.clone());
        super::orders::after_write(self, object, &record);
        super::cases::after_write(self, schema, object, &record);
        Ok(id)
    }

    /// Seeds a record as-is (system fields filled in); the id must be valid and unused.
    pub fn insert_seed(&mut self, object: &ObjectDef, mut record: Record) -> bool {
        let Some(id) = record
            .get("Id")
            .and_then(Value::as_str)
            .and_then(ids::normalize)
        else {
            return false;
        };
        if self.find(object.name, &id).is_some() {
            return false;
        }
        let now = Value::String(format_datetime(OffsetDateTime::now_utc()));
        for field in &object.fields {
            record.entry(field.name.to_owned()).or_insert(Value::Null);
        }
        record.insert("Id".into(), Value::String(id));
        record.insert("IsDeleted".into(), Value::Bool(false));
        for stamp in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
            record.insert(stamp.into(), now.clone());
        }
        if let Some(derive) = object.derive {
            derive(&mut record);
        }
        self.tables.entry(object.name).or_default().push(record);
        true
    }

    /// Updates the given fields of a record (the REST rules apply).
    pub fn update(
        &mut self,
        schema: &Schema,
        object: &ObjectDef,
        id18: &str,
        body: &Map<String, Value>,
    ) -> Result<(), RestError> {
        let Some(existing) = self.find(object.name, id18) else {
            return Err(RestError::not_found());
        };
        let mut updated = existing.clone();
        let mut errors = Vec::new();
        for (key, value) in body {
            if key == "attributes" {
                continue;
            }
            if key.eq_ignore_ascii_case("Id") {
                if value.as_str().and_then(ids::normalize).as_deref() == Some(id18) {
                    continue;
                }
                return Err(RestError::new(
                    400,
                    "INVALID_FIELD",
                    "The Id field should not be specified in the sobject data.",
                ));
            }
            let field = known_field(object, key)?;
            if !field.updateable {
                errors.push(not_writable(field));
                continue;
            }
            match self.coerce(schema, field, value) {
                Ok(v) if v.is_null() && field.required => errors.push(ErrorItem {
                    message: format!("Required fields are missing: [{}]", field.name),
                    error_code: "REQUIRED_FIELD_MISSING".into(),
                    fields: vec![field.name.to_owned()],
                }),
                Ok(v) => {
                    updated.insert(field.name.to_owned(), v);
                }
                Err(e) => errors.push(e),
            }
        }
        self.check_unique(object, &updated, Some(id18), &mut errors);
        if errors.is_empty() {
            let old = existing.clone();
            errors = super::orders::before_write(self, object, &mut updated, Some(&old));
            if errors.is_empty() {
                errors = super::cases::before_write(self, object, &mut updated, Some(&old));
            }
        }
        if !errors.is_empty() {
            return Err(RestError {
                status: 400,
                items: errors,
            });
        }
        let now = Value::String(format_datetime(OffsetDateTime::now_utc()));
        updated.insert("LastModifiedDate".into(), now.clone());
        updated.insert("SystemModstamp".into(), now);
        if let Some(derive) = object.derive {
            derive(&mut updated);
        }
        if let Some(slot) = self.find_mut(object.name, id18) {
            *slot = updated.clone();
        }
        super::orders::after_write(self, object, &updated);
        Ok(())
    }

    fn check_unique(
        &self,
        object: &ObjectDef,
        record: &Record,
        own_id: Option<&str>,
        errors: &mut Vec<ErrorItem>,
    ) {
        for field in object.fields.iter().filter(|f| f.unique) {
            let Some(value) = record.get(field.name).and_then(Value::as_str) else {
                continue;
            };
            let clash = self.records(object.name).iter().find(|other| {
                other.get("Id").and_then(Value::as_str) != own_id
                    && other
                        .get(field.name)
                        .and_then(Value::as_str)
                        .is_some_and(|v| v.eq_ignore_ascii_case(value))
            });
            if let Some(other) = clash {
                let other_id = other.get("Id").and_then(Value::as_str).unwrap_or_default();
                errors.push(ErrorItem {
                    message: format!(
                        "duplicate value found: {} duplicates value on record with id: {other_id}",
                        field.name
                    ),
                    error_code: "DUPLICATE_VALUE".into(),
                    fields: vec![field.name.to_owned()],
                });
            }
        }
    }

    /// A submitted value in the field's stored form.
    fn coerce(&self, schema: &Schema, field: &FieldDef, value: &Value) -> Result<Value, ErrorItem> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        let json_error = || ErrorItem {
            message: format!(
                "Cannot deserialize instance of {} from {} value {} or request may be missing a required field",
                field.ty.soql_name(),
                json_kind(value),
                value
            ),
            error_code: "JSON_PARSER_ERROR".into(),
            fields: Vec::new(),
        };
        let with_fields = |code: &str, message: String| ErrorItem {
            message,
            error_code: code.to_owned(),
            fields: vec![field.name.to_owned()],
        };
        match field.ty {
            FieldType::Id => Err(not_writable(field)),
            FieldType::Text(_)
            | FieldType::TextArea(_)
            | FieldType::Email
            | FieldType::Phone
            | FieldType::Picklist(_) => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return Err(json_error()),
                };
                if text.is_empty() {
                    return Ok(Value::Null);
                }
                let max = match field.ty {
                    FieldType::Text(n) | FieldType::TextArea(n) => n,
                    FieldType::Email => 80,
                    FieldType::Phone => 40,
                    _ => 255,
                };
                if text.chars().count() > max {
                    return Err(with_fields(
                        "STRING_TOO_LONG",
                        format!(
                            "{}: data value too large: {text} (max length={max})",
                            field.label
                        ),
                    ));
                }
                if field.ty == FieldType::Email && !plausible_email(&text) {
                    return Err(with_fields(
                        "INVALID_EMAIL_ADDRESS",
                        format!("{}: invalid email address: {text}", field.label),
                    ));
                }
                if let FieldType::Picklist(values) = field.ty
                    && !values.iter().any(|v| *v == text)
                {
                    return Err(with_fields(
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        format!(
                            "{}: bad value for restricted picklist field: {text}",
                            field.label
                        ),
                    ));
                }
                Ok(Value::String(text))
            }
            FieldType::Boolean => match value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                _ => Err(json_error()),
            },
            FieldType::Double | FieldType::Currency => {
                let n = match value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                n.filter(|f| f.is_finite())
                    .and_then(Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(json_error)
            }
            FieldType::Date => value
                .as_str()
                .and_then(parse_date)
                .map(|_| value.clone())
                .ok_or_else(json_error),
            FieldType::DateTime => value
                .as_str()
                .and_then(parse_datetime)
                .map(|t| Value::String(format_datetime(t)))
                .ok_or_else(json_error),
            FieldType::Reference { to, .. } => {
                let text = value.as_str().ok_or_else(json_error)?;
                let bad_type = || {
                    with_fields(
                        "MALFORMED_ID",
                        format!("{}: id value of incorrect type: {text}", field.label),
                    )
                };
                let id = ids::normalize(text).ok_or_else(bad_type)?;
                let target = schema.object(to).ok_or_else(bad_type)?;
                if !id.starts_with(target.key_prefix) {
                    return Err(bad_type());
                }
                if self.find(target.name, &id).is_none() {
                    return Err(with_fields(
                        "INVALID_CROSS_REFERENCE_KEY",
                        "invalid cross reference id".to_owned(),
                    ));
                }
                Ok(Value::String(id))
            }
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn known_field<'a>(object: &'a ObjectDef, key: &str) -> Result<&'a FieldDef, RestError> {
    object.field(key).ok_or_else(|| {
        RestError::new(
            400,
            "INVALID_FIELD",
            format!("No such column '{key}' on sobject of type {}", object.name),
        )
    })
}

fn not_writable(field: &FieldDef) -> ErrorItem {
    ErrorItem {
        message: format!(
            "Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
            field.name
        ),
        error_code: "INVALID_FIELD_FOR_INSERT_UPDATE".into(),
        fields: vec![field.name.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn setup() -> (Schema, Store, String) {
        let schema = Schema::standard();
        let mut store = Store::default();
        let account = schema.object("Account").expect("Account").clone();
        let id = store
            .create(
                &schema,
                &account,
                json!({"Name": "Acme", "WHMCS_Client_Id__c": "7"})
                    .as_object()
                    .expect("obj"),
            )
            .expect("created");
        (schema, store, id)
    }

    #[test]
    fn creates_fill_system_fields_and_derived_names() {
        let (schema, mut store, account_id) = setup();
        assert!(account_id.starts_with("001"));
        assert_eq!(
            ids::normalize(&account_id).as_deref(),
            Some(account_id.as_str())
        );
        let contact = schema.object("Contact").expect("Contact").clone();
        let body = json!({"attributes": {"type": "Contact"}, "lastname": "山田", "FirstName": "花子", "AccountId": &account_id[..15]});
        let id = store
            .create(&schema, &contact, body.as_object().expect("obj"))
            .expect("created");
        let record = store.find("Contact", &id).expect("stored");
        assert_eq!(record["Name"], "花子 山田");
        assert_eq!(record["AccountId"], account_id.as_str());
        assert!(
            record["CreatedDate"]
                .as_str()
                .is_some_and(|s| s.ends_with(".000+0000") || s.ends_with("+0000"))
        );
        assert_eq!(record["Email"], Value::Null);
    }

    #[test]
    fn write_rules_use_the_real_codes() {
        let (schema, mut store, account_id) = setup();
        let contact = schema.object("Contact").expect("Contact").clone();
        let account = schema.object("Account").expect("Account").clone();
        let code =
            |r: Result<String, RestError>| r.err().map(|e| e.code().to_owned()).unwrap_or_default();
        let mut create = |body: Value, object: &ObjectDef| {
            store.create(&schema, object, body.as_object().expect("obj"))
        };
        assert_eq!(
            code(create(json!({"FirstName": "x"}), &contact)),
            "REQUIRED_FIELD_MISSING"
        );
        assert_eq!(
            code(create(json!({"LastName": "x", "Nope__c": 1}), &contact)),
            "INVALID_FIELD"
        );
        assert_eq!(
            code(create(json!({"LastName": "x", "Id": account_id}), &contact)),
            "INVALID_FIELD"
        );
        assert_eq!(
            code(create(json!({"LastName": "x", "Name": "y"}), &contact)),
            "INVALID_FIELD_FOR_INSERT_UPDATE"
        );
        assert_eq!(
            code(create(json!({"LastName": "x".repeat(81)}), &contact)),
            "STRING_TOO_LONG"
        );
        assert_eq!(
            code(create(json!({"LastName": "x", "Email": "nope"}), &contact)),
            "INVALID_EMAIL_ADDRESS"
        );
        assert_eq!(
            code(create(
                json!({"LastName": "x", "AccountId": "003J50000000001"}),
                &contact
            )),
            "MALFORMED_ID"
        );
        assert_eq!(
            code(create(
                json!({"LastName": "x", "AccountId": "001J5000000000Z"}),
                &contact
            )),
            "INVALID_CROSS_REFERENCE_KEY"
        );
        assert_eq!(
            code(create(
                json!({"LastName": "x", "HasOptedOutOfEmail": "maybe"}),
                &contact
            )),
            "JSON_PARSER_ERROR"
        );
        assert_eq!(
            code(create(
                json!({"Name": "Other", "WHMCS_Client_Id__c": "7"}),
                &account
            )),
            "DUPLICATE_VALUE"
        );
        assert_eq!(
            code(create(json!({"Name": "Other", "Type": "Nope"}), &account)),
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
        );
    }

    #[test]
    fn updates_change_only_what_is_sent() {
        let (schema, mut store, account_id) = setup();
        let account = schema.object("Account").expect("Account").clone();
        store
            .update(
                &schema,
                &account,
                &account_id,
                json!({"Phone": "03-1111-2222"}).as_object().expect("obj"),
            )
            .expect("updated");
        let record = store.find("Account", &account_id).expect("stored");
        assert_eq!(record["Name"], "Acme");
        assert_eq!(record["Phone"], "03-1111-2222");
        let err = store
            .update(
                &schema,
                &account,
                &account_id,
                json!({"Name": null}).as_object().expect("obj"),
            )
            .expect_err("required");
        assert_eq!(err.code(), "REQUIRED_FIELD_MISSING");
        let err = store
            .update(
                &schema,
                &account,
                "001J5000000000ZIAA",
                json!({}).as_object().expect("obj"),
            )
            .expect_err("missing");
        assert_eq!(err.status, 404);
    }

    #[test]
    fn datetimes_parse_in_every_accepted_form() {
        for s in [
            "2026-11-21T10:49:00Z",
            "2026-11-21T19:49:00.000+09:00",
            "2026-11-21T10:49:00.000+0000",
        ] {
            let t = parse_datetime(s).expect(s);
            assert_eq!(format_datetime(t), "2026-11-21T10:49:00.000+0000");
        }
        assert!(parse_datetime("2026-11-21").is_none());
        assert!(parse_datetime("").is_none());
        assert!(parse_date("2026-02-30").is_none());
    }
}
