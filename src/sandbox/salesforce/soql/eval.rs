//! Runs a parsed query: resolves every path against the schema (`INVALID_TYPE`,
//! `INVALID_FIELD` with Salesforce's wording), checks each literal against its field's type
//! (`INVALID_QUERY_FILTER_OPERATOR`), then filters, sorts, pages and renders records in the
//! REST shape (`attributes`, nested parent objects, child subquery results).

use super::QueryError;
use super::lexer::StrChar;
use super::parser::{Expr, Item, Lit, LitAt, OrderKey, Path, Query, parse};
use crate::sandbox::salesforce::ids;
use crate::sandbox::salesforce::schema::{FieldDef, FieldType, ObjectDef, Record, Schema};
use crate::sandbox::salesforce::store::{Store, parse_date, parse_datetime};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

/// Salesforce's OFFSET ceiling.
const MAX_OFFSET: u64 = 2000;

/// What the query produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `totalSize`: rows (or the COUNT()).
    pub total: usize,
    /// Rendered records (empty for COUNT()).
    pub records: Vec<Value>,
}

/// Where the query runs.
pub struct Ctx<'a> {
    /// Objects and fields.
    pub schema: &'a Schema,
    /// Records.
    pub store: &'a Store,
    /// API version for `attributes.url` (`v62.0`).
    pub version: &'a str,
}

/// Parses and runs a query.
pub fn run(ctx: &Ctx<'_>, text: &str) -> Result<Output, QueryError> {
    let query = parse(text)?;
    let compiled = compile(ctx, text, &query, None)?;
    Ok(execute(ctx, &compiled))
}

/// A path resolved against the schema.
#[derive(Debug, Clone)]
struct Resolved<'s> {
    /// Reference fields to follow, each with its target object.
    hops: Vec<(&'s FieldDef, &'s ObjectDef)>,
    /// The final field.
    field: &'s FieldDef,
}

#[derive(Debug, Clone)]
enum CLit {
    Null,
    Text(String),
    Id(String),
    Num(f64),
    Bool(bool),
    Date(String),
    DateTime(time::OffsetDateTime),
}

#[derive(Debug, Clone)]
enum Pat {
    Any,
    One,
    Char(char),
}

#[derive(Debug, Clone)]
enum CExpr<'s> {
    And(Vec<CExpr<'s>>),
    Or(Vec<CExpr<'s>>),
    Not(Box<CExpr<'s>>),
    Cmp {
        path: Resolved<'s>,
        op: &'static str,
        value: CLit,
    },
    In {
        path: Resolved<'s>,
        values: Vec<CLit>,
        negated: bool,
    },
    Like {
        path: Resolved<'s>,
        pattern: Vec<Pat>,
    },
}

#[derive(Debug, Clone)]
enum CItem<'s> {
    Field(Resolved<'s>),
    Child {
        name: &'static str,
        field: &'static str,
        query: Box<Compiled<'s>>,
    },
}

#[derive(Debug, Clone)]
struct Compiled<'s> {
    object: &'s ObjectDef,
    count: bool,
    items: Vec<CItem<'s>>,
    filter: Option<CExpr<'s>>,
    order: Vec<(Resolved<'s>, bool, bool)>,
    limit: Option<u64>,
    offset: u64,
}

fn compile<'s>(
    ctx: &Ctx<'s>,
    text: &str,
    q: &Query,
    parent: Option<&'s ObjectDef>,
) -> Result<Compiled<'s>, QueryError> {
    let (row, col) = q.from_at;
    let object = match parent {
        None => {
            ctx.schema.object(&q.from).ok_or_else(|| {
                QueryError::at(
                    "INVALID_TYPE",
                    text,
                    row,
                    col,
                    format!(
                        "sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                        q.from
                    ),
                )
            })?
        }
        Some(parent) => {
            let rel = parent.child(&q.from).ok_or_else(|| {
                QueryError::at(
                    "INVALID_TYPE",
                    text,
                    row,
                    col,
                    format!(
                        "Didn't understand relationship '{}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                        q.from
                    ),
                )
            })?;
            ctx.schema.object(rel.object).ok_or_else(|| {
                QueryError::malformed(text, row, col, "unknown child object".into())
            })?
        }
    };
    let mut count = false;
    let mut items = Vec::new();
    for item in &q.items {
        match item {
            Item::Field(path) => items.push(CItem::Field(resolve(ctx, text, object, path)?)),
            Item::Count { row, col } => {
                if q.items.len() > 1 || parent.is_some() {
                    return Err(QueryError::malformed(
                        text,
                        *row,
                        *col,
                        "COUNT() must be the only element in the SELECT list".into(),
                    ));
                }
                count = true;
            }
            Item::Subquery(sub) => {
                let compiled = compile(ctx, text, sub, Some(object))?;
                let rel = object.child(&sub.from).ok_or_else(|| {
                    QueryError::malformed(text, row, col, "unknown child relationship".into())
                })?;
                items.push(CItem::Child {
                    name: rel.name,
                    field: rel.field,
                    query: Box::new(compiled),
                });
            }
        }
    }
    let filter = match &q.filter {
        Some(e) => Some(compile_expr(ctx, text, object, e)?),
        None => None,
    };
    let order = q
        .order
        .iter()
        .map(
            |OrderKey {
                 path,
                 descending,
                 nulls_last,
             }| {
                resolve(ctx, text, object, path).map(|r| (r, *descending, *nulls_last))
            },
        )
        .collect::<Result<Vec<_>, _>>()?;
    let offset = match q.offset {
        Some((n, row, col)) if n > MAX_OFFSET => {
            return Err(QueryError::at(
                "NUMBER_OUTSIDE_VALID_RANGE",
                text,
                row,
                col,
                format!("Maximum SOQL offset allowed is {MAX_OFFSET}"),
            ));
        }
        Some((n, ..)) => n,
        None => 0,
    };
    Ok(Compiled {
        object,
        count,
        items,
        filter,
        order,
        limit: q.limit,
        offset,
    })
}

fn resolve<'s>(
    ctx: &Ctx<'s>,
    text: &str,
    object: &'s ObjectDef,
    path: &Path,
) -> Result<Resolved<'s>, QueryError> {
    let mut current = object;
    let mut hops = Vec::new();
    let Some((last, relationships)) = path.segments.split_last() else {
        return Err(QueryError::malformed(
            text,
            path.row,
            path.col,
            "empty field".into(),
        ));
    };
    for segment in relationships {
        let target = current
            .relationship(segment)
            .and_then(|field| match field.ty {
                FieldType::Reference { to, .. } => ctx.schema.object(to).map(|t| (field, t)),
                _ => None,
            });
        let Some((field, target)) = target else {
            return Err(QueryError::at(
                "INVALID_FIELD",
                text,
                path.row,
                path.col,
                format!(
                    "Didn't understand relationship '{segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
                ),
            ));
        };
        hops.push((field, target));
        current = target;
    }
    let field = current.field(last).ok_or_else(|| {
        QueryError::at(
            "INVALID_FIELD",
            text,
            path.row,
            path.col,
            format!(
                "No such column '{last}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                current.name
            ),
        )
    })?;
    Ok(Resolved { hops, field })
}

fn plain_text(chars: &[StrChar]) -> Option<String> {
    chars
        .iter()
        .map(|c| match c {
            StrChar::Char(c) => Some(*c),
            StrChar::EscapedWildcard(_) => None,
        })
        .collect()
}

fn compile_lit(text: &str, field: &FieldDef, value: &LitAt) -> Result<CLit, QueryError> {
    let filter_error = |quoted: bool| {
        QueryError::at(
            "INVALID_QUERY_FILTER_OPERATOR",
            text,
            value.row,
            value.col,
            format!(
                "value of filter criterion for field '{}' must be of type {} and should {}be enclosed in quotes",
                field.name,
                field.ty.soql_name(),
                if quoted { "" } else { "not " }
            ),
        )
    };
    let s = match &value.lit {
        Lit::Null => return Ok(CLit::Null),
        Lit::Named(name) => {
            return Err(QueryError::malformed(
                text,
                value.row,
                value.col,
                format!(
                    "unexpected token: {name} (date literals are not supported by the sandbox)"
                ),
            ));
        }
        Lit::Str(chars) => Some(plain_text(chars).ok_or_else(|| {
            QueryError::malformed(
                text,
                value.row,
                value.col,
                "Invalid string literal: \\% and \\_ are only allowed in LIKE".into(),
            )
        })?),
        _ => None,
    };
    match field.ty {
        FieldType::Id | FieldType::Reference { .. } => {
            let s = s.ok_or_else(|| filter_error(true))?;
            ids::normalize(&s).map(CLit::Id).ok_or_else(|| {
                QueryError::at(
                    "INVALID_QUERY_FILTER_OPERATOR",
                    text,
                    value.row,
                    value.col,
                    format!("invalid ID field: {s}"),
                )
            })
        }
        ty if ty.is_text() => s
            .map(|s| CLit::Text(s.to_lowercase()))
            .ok_or_else(|| filter_error(true)),
        FieldType::Boolean => match value.lit {
            Lit::Bool(b) => Ok(CLit::Bool(b)),
            _ => Err(filter_error(false)),
        },
        FieldType::Double | FieldType::Currency => match &value.lit {
            Lit::Number(n) => n
                .parse::<f64>()
                .map(CLit::Num)
                .map_err(|_| filter_error(false)),
            _ => Err(filter_error(false)),
        },
        FieldType::Date => match &value.lit {
            Lit::Date(d) if parse_date(d).is_some() => Ok(CLit::Date(d.clone())),
            _ => Err(filter_error(false)),
        },
        FieldType::DateTime => match &value.lit {
            Lit::DateTime(d) => parse_datetime(d).map(CLit::DateTime).ok_or_else(|| {
                QueryError::malformed(
                    text,
                    value.row,
                    value.col,
                    format!(
                        "line {}:{} no viable alternative at character '{d}'",
                        value.row, value.col
                    ),
                )
            }),
            _ => Err(filter_error(false)),
        },
        _ => Err(filter_error(false)),
    }
}

fn compile_expr<'s>(
    ctx: &Ctx<'s>,
    text: &str,
    object: &'s ObjectDef,
    e: &Expr,
) -> Result<CExpr<'s>, QueryError> {
    Ok(match e {
        Expr::And(list) => CExpr::And(
            list.iter()
                .map(|e| compile_expr(ctx, text, object, e))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Or(list) => CExpr::Or(
            list.iter()
                .map(|e| compile_expr(ctx, text, object, e))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Not(inner) => CExpr::Not(Box::new(compile_expr(ctx, text, object, inner)?)),
        Expr::Cmp { path, op, value } => {
            let path = resolve(ctx, text, object, path)?;
            let value = compile_lit(text, path.field, value)?;
            CExpr::Cmp { path, op, value }
        }
        Expr::In {
            path,
            values,
            negated,
        } => {
            let path = resolve(ctx, text, object, path)?;
            let values = values
                .iter()
                .map(|v| compile_lit(text, path.field, v))
                .collect::<Result<_, _>>()?;
            CExpr::In {
                path,
                values,
                negated: *negated,
            }
        }
        Expr::Like { path: p, pattern } => {
            let path = resolve(ctx, text, object, p)?;
            if !path.field.ty.is_text() {
                return Err(QueryError::at(
                    "INVALID_QUERY_FILTER_OPERATOR",
                    text,
                    p.row,
                    p.col,
                    format!("invalid operator on {} field", path.field.ty.soql_name()),
                ));
            }
            let Lit::Str(chars) = &pattern.lit else {
                return Err(QueryError::malformed(
                    text,
                    pattern.row,
                    pattern.col,
                    "LIKE requires a string value".into(),
                ));
            };
            let pattern = chars
                .iter()
                .flat_map(|c| match c {
                    StrChar::Char('%') => vec![Pat::Any],
                    StrChar::Char('_') => vec![Pat::One],
                    StrChar::Char(c) | StrChar::EscapedWildcard(c) => {
                        c.to_lowercase().map(Pat::Char).collect()
                    }
                })
                .collect();
            CExpr::Like { path, pattern }
        }
    })
}

/// The value at the end of a path, `None` for null (or a missing parent).
fn value_at<'r>(store: &'r Store, record: &'r Record, path: &Resolved<'_>) -> Option<&'r Value> {
    let mut current = record;
    for (field, target) in &path.hops {
        let id = current.get(field.name)?.as_str()?;
        current = store.find(target.name, id)?;
    }
    current.get(path.field.name).filter(|v| !v.is_null())
}

fn compare(actual: &Value, lit: &CLit) -> Option<Ordering> {
    match (actual, lit) {
        (Value::String(s), CLit::Text(t)) => Some(s.to_lowercase().cmp(t)),
        (Value::String(s), CLit::Id(id)) => Some(s.as_str().cmp(id.as_str())),
        (Value::String(s), CLit::Date(d)) => Some(s.as_str().cmp(d.as_str())),
        (Value::String(s), CLit::DateTime(t)) => parse_datetime(s).map(|v| v.cmp(t)),
        (Value::Number(n), CLit::Num(x)) => n.as_f64().and_then(|v| v.partial_cmp(x)),
        (Value::Bool(b), CLit::Bool(x)) => Some(b.cmp(x)),
        _ => None,
    }
}

fn cmp_matches(op: &str, actual: Option<&Value>, lit: &CLit) -> bool {
    match (actual, lit) {
        (None, CLit::Null) => op == "=",
        (Some(_), CLit::Null) => op == "!=",
        (None, _) => op == "!=",
        (Some(v), lit) => match compare(v, lit) {
            Some(ord) => match op {
                "=" => ord == Ordering::Equal,
                "!=" => ord != Ordering::Equal,
                "<" => ord == Ordering::Less,
                "<=" => ord != Ordering::Greater,
                ">" => ord == Ordering::Greater,
                ">=" => ord != Ordering::Less,
                _ => false,
            },
            None => op == "!=",
        },
    }
}

fn like(text: &str, pattern: &[Pat]) -> bool {
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    // dp[j]: pattern[..i] matches text[..j].
    let mut dp = vec![false; text.len() + 1];
    dp[0] = true;
    for p in pattern {
        let mut next = vec![false; text.len() + 1];
        match p {
            Pat::Any => {
                let mut seen = false;
                for j in 0..=text.len() {
                    seen |= dp[j];
                    next[j] = seen;
                }
            }
            Pat::One => {
                next[1..].copy_from_slice(&dp[..text.len()]);
            }
            Pat::Char(c) => {
                for j in 1..=text.len() {
                    next[j] = dp[j - 1] && text[j - 1] == *c;
                }
            }
        }
        dp = next;
    }
    dp[text.len()]
}

fn matches(store: &Store, record: &Record, e: &CExpr<'_>) -> bool {
    match e {
        CExpr::And(list) => list.iter().all(|e| matches(store, record, e)),
        CExpr::Or(list) => list.iter().any(|e| matches(store, record, e)),
        CExpr::Not(inner) => !matches(store, record, inner),
        CExpr::Cmp { path, op, value } => cmp_matches(op, value_at(store, record, path), value),
        CExpr::In {
            path,
            values,
            negated,
        } => {
            let actual = value_at(store, record, path);
            let found = values.iter().any(|v| cmp_matches("=", actual, v));
            found != *negated
        }
        CExpr::Like { path, pattern } => value_at(store, record, path)
            .and_then(Value::as_str)
            .is_some_and(|s| like(s, pattern)),
    }
}

fn sort_cmp(ty: FieldType, a: Option<&Value>, b: Option<&Value>, nulls_last: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => {
            if nulls_last {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(_), None) => {
            if nulls_last {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(a), Some(b)) => match (a, b) {
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .zip(y.as_f64())
                .and_then(|(x, y)| x.partial_cmp(&y))
                .unwrap_or(Ordering::Equal),
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            (Value::String(x), Value::String(y)) if ty.is_text() => {
                x.to_lowercase().cmp(&y.to_lowercase())
            }
            (Value::String(x), Value::String(y)) => x.cmp(y),
            _ => Ordering::Equal,
        },
    }
}

fn execute(ctx: &Ctx<'_>, q: &Compiled<'_>) -> Output {
    let rows: Vec<&Record> = ctx.store.records(q.object.name).iter().collect();
    run_on(ctx, q, rows)
}

fn run_on<'r>(ctx: &Ctx<'r>, q: &Compiled<'_>, rows: Vec<&'r Record>) -> Output {
    let mut rows: Vec<&Record> = rows
        .into_iter()
        .filter(|r| q.filter.as_ref().is_none_or(|f| matches(ctx.store, r, f)))
        .collect();
    if !q.order.is_empty() {
        rows.sort_by(|a, b| {
            q.order
                .iter()
                .map(|(path, descending, nulls_last)| {
                    let ord = sort_cmp(
                        path.field.ty,
                        value_at(ctx.store, a, path),
                        value_at(ctx.store, b, path),
                        *nulls_last != *descending,
                    );
                    if *descending { ord.reverse() } else { ord }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }
    let offset = usize::try_from(q.offset).unwrap_or(usize::MAX);
    let limit = q
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let rows: Vec<&Record> = rows.into_iter().skip(offset).take(limit).collect();
    if q.count {
        return Output {
            total: rows.len(),
            records: Vec::new(),
        };
    }
    let records: Vec<Value> = rows.iter().map(|r| render(ctx, q, r)).collect();
    Output {
        total: records.len(),
        records,
    }
}

fn attributes(ctx: &Ctx<'_>, object: &str, record: &Record) -> Value {
    let id = record.get("Id").and_then(Value::as_str).unwrap_or_default();
    json!({
        "type": object,
        "url": format!("/services/data/{}/sobjects/{object}/{id}", ctx.version),
    })
}

fn render(ctx: &Ctx<'_>, q: &Compiled<'_>, record: &Record) -> Value {
    let mut out = Map::new();
    out.insert("attributes".into(), attributes(ctx, q.object.name, record));
    for item in &q.items {
        match item {
            CItem::Field(path) => put_path(ctx, &mut out, record, &path.hops, path.field),
            CItem::Child { name, field, query } => {
                let id = record.get("Id").and_then(Value::as_str).unwrap_or_default();
                let children: Vec<&Record> = ctx
                    .store
                    .records(query.object.name)
                    .iter()
                    .filter(|c| c.get(*field).and_then(Value::as_str) == Some(id))
                    .collect();
                let result = run_on(ctx, query, children);
                let value = if result.records.is_empty() {
                    Value::Null
                } else {
                    json!({"totalSize": result.total, "done": true, "records": result.records})
                };
                out.insert((*name).to_owned(), value);
            }
        }
    }
    Value::Object(out)
}

/// Writes `hops…field` of `record` into `out`, nesting parent objects under their relationship
/// names (null when the parent is missing).
fn put_path(
    ctx: &Ctx<'_>,
    out: &mut Map<String, Value>,
    record: &Record,
    hops: &[(&FieldDef, &ObjectDef)],
    field: &FieldDef,
) {
    let Some(((reference, target), rest)) = hops.split_first() else {
        out.insert(
            field.name.to_owned(),
            record.get(field.name).cloned().unwrap_or(Value::Null),
        );
        return;
    };
    let FieldType::Reference { relationship, .. } = reference.ty else {
        return;
    };
    let parent = record
        .get(reference.name)
        .and_then(Value::as_str)
        .and_then(|id| ctx.store.find(target.name, id));
    let Some(parent) = parent else {
        out.entry(relationship.to_owned()).or_insert(Value::Null);
        return;
    };
    let slot = out.entry(relationship.to_owned()).or_insert(Value::Null);
    if !slot.is_object() {
        let mut nested = Map::new();
        nested.insert("attributes".into(), attributes(ctx, target.name, parent));
        *slot = Value::Object(nested);
    }
    if let Value::Object(nested) = slot {
        put_path(ctx, nested, parent, rest, field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (Schema, Store) {
        let schema = Schema::standard();
        let mut store = Store::default();
        let account = schema.object("Account").expect("Account").clone();
        let contact = schema.object("Contact").expect("Contact").clone();
        let mut add = |object: &ObjectDef, body: Value| {
            store
                .create(&schema, object, body.as_object().expect("object"))
                .expect("created")
        };
        let acme = add(&account, json!({"Name": "Acme", "WHMCS_Client_Id__c": "1"}));
        let globex = add(
            &account,
            json!({"Name": "Globex", "WHMCS_Client_Id__c": "2", "Phone": "03-0000-0000"}),
        );
        add(
            &contact,
            json!({"LastName": "山田", "FirstName": "花子", "AccountId": acme, "Email": "hanako@example.jp"}),
        );
        add(
            &contact,
            json!({"LastName": "Morgan", "FirstName": "Alex", "AccountId": globex, "Email": "alex@example.com"}),
        );
        add(
            &contact,
            json!({"LastName": "O'Brien", "Email": "50%_off@example.com"}),
        );
        (schema, store)
    }

    fn query(schema: &Schema, store: &Store, q: &str) -> Result<Output, QueryError> {
        run(
            &Ctx {
                schema,
                store,
                version: "v62.0",
            },
            q,
        )
    }

    fn names(out: &Output) -> Vec<String> {
        out.records
            .iter()
            .map(|r| {
                r["LastName"]
                    .as_str()
                    .or(r["Name"].as_str())
                    .unwrap_or("?")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn filters_sort_and_page() {
        let (schema, store) = fixture();
        let q = |text: &str| names(&query(&schema, &store, text).expect(text));
        assert_eq!(
            q("SELECT LastName FROM Contact ORDER BY LastName"),
            ["Morgan", "O'Brien", "山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact ORDER BY LastName DESC LIMIT 1"),
            ["山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact ORDER BY LastName LIMIT 1 OFFSET 1"),
            ["O'Brien"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE email = 'HANAKO@example.jp'"),
            ["山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'"),
            ["O'Brien"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE Email LIKE '%\\%\\_off%'"),
            ["O'Brien"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE Email LIKE '%a_e%' ORDER BY LastName"),
            ["Morgan"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE AccountId = null"),
            ["O'Brien"]
        );
        assert_eq!(
            q(
                "SELECT LastName FROM Contact WHERE AccountId != null AND (FirstName = 'Alex' OR LastName IN ('山田', 'x')) ORDER BY LastName"
            ),
            ["Morgan", "山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE NOT LastName LIKE 'm%' ORDER BY LastName"),
            ["O'Brien", "山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE LastName NOT IN ('Morgan') ORDER BY LastName"),
            ["O'Brien", "山田"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact WHERE Account.Name = 'globex'"),
            ["Morgan"]
        );
        assert_eq!(
            q("SELECT Name FROM Account WHERE Phone != null"),
            ["Globex"]
        );
        assert_eq!(
            q(
                "SELECT LastName FROM Contact WHERE CreatedDate > 2000-01-01T00:00:00Z AND Name = 'x'"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            q("SELECT LastName FROM Contact ORDER BY Account.Name NULLS LAST, LastName"),
            ["山田", "Morgan", "O'Brien"]
        );
        assert_eq!(
            q("SELECT LastName FROM Contact ORDER BY Account.Name, LastName"),
            ["O'Brien", "山田", "Morgan"]
        );
        let count = query(
            &schema,
            &store,
            "SELECT COUNT() FROM Contact WHERE AccountId != null",
        )
        .expect("count");
        assert_eq!((count.total, count.records.len()), (2, 0));
    }

    #[test]
    fn records_render_in_the_rest_shape() {
        let (schema, store) = fixture();
        let out = query(
            &schema,
            &store,
            "SELECT Id, Account.Name, Account.Phone, LastName FROM Contact ORDER BY LastName",
        )
        .expect("runs");
        let first = &out.records[0];
        assert_eq!(first["attributes"]["type"], "Contact");
        let id = first["Id"].as_str().expect("id");
        assert_eq!(
            first["attributes"]["url"],
            format!("/services/data/v62.0/sobjects/Contact/{id}")
        );
        assert_eq!(first["Account"]["attributes"]["type"], "Account");
        assert_eq!(first["Account"]["Name"], "Globex");
        assert_eq!(first["Account"]["Phone"], "03-0000-0000");
        assert_eq!(out.records[1]["Account"], Value::Null);
        let out = query(&schema, &store, "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name").expect("runs");
        assert_eq!(out.records[0]["Contacts"]["totalSize"], 1);
        assert_eq!(out.records[0]["Contacts"]["records"][0]["LastName"], "山田");
        assert_eq!(
            out.records[0]["Contacts"]["records"][0]["attributes"]["type"],
            "Contact"
        );
    }

    #[test]
    fn bad_names_and_types_use_salesforce_codes() {
        let (schema, store) = fixture();
        let code = |text: &str| {
            query(&schema, &store, text)
                .err()
                .map(|e| e.code)
                .unwrap_or("ok")
        };
        assert_eq!(code("SELECT Nope FROM Contact"), "INVALID_FIELD");
        assert_eq!(code("SELECT Owner.Name FROM Contact"), "INVALID_FIELD");
        assert_eq!(code("SELECT Id FROM Nope__c"), "INVALID_TYPE");
        assert_eq!(
            code("SELECT Id, (SELECT Id FROM Nopes) FROM Account"),
            "INVALID_TYPE"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE LastName = 5"),
            "INVALID_QUERY_FILTER_OPERATOR"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE HasOptedOutOfEmail = 'true'"),
            "INVALID_QUERY_FILTER_OPERATOR"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE AccountId = 'x'"),
            "INVALID_QUERY_FILTER_OPERATOR"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE AccountId LIKE 'x%'"),
            "INVALID_QUERY_FILTER_OPERATOR"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE Birthdate = 2026-01-01T00:00:00Z"),
            "INVALID_QUERY_FILTER_OPERATOR"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE CreatedDate = TODAY"),
            "MALFORMED_QUERY"
        );
        assert_eq!(
            code("SELECT Id FROM Contact WHERE LastName = 'a\\%'"),
            "MALFORMED_QUERY"
        );
        assert_eq!(
            code("SELECT Id FROM Contact OFFSET 2001"),
            "NUMBER_OUTSIDE_VALID_RANGE"
        );
        assert_eq!(code("SELECT Id, COUNT() FROM Contact"), "MALFORMED_QUERY");
        let err = query(&schema, &store, "SELECT Nope FROM Contact").expect_err("invalid");
        assert!(
            err.message
                .contains("No such column 'Nope' on entity 'Contact'"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("ERROR at Row:1:Column:8"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_escaped_injection_matches_nothing() {
        let (schema, store) = fixture();
        let out = query(
            &schema,
            &store,
            "SELECT Id FROM Contact WHERE LastName = 'x\\' OR LastName != \\''",
        )
        .expect("runs");
        assert_eq!(out.total, 0);
        let out = query(
            &schema,
            &store,
            "SELECT Id FROM Contact WHERE LastName = 'x' OR LastName != ''",
        )
        .expect("runs");
        assert_eq!(out.total, 3, "unescaped, the same text widens the query");
    }

    #[test]
    fn like_matching() {
        let pat = |s: &str| -> Vec<Pat> {
            s.chars()
                .map(|c| match c {
                    '%' => Pat::Any,
                    '_' => Pat::One,
                    c => Pat::Char(c),
                })
                .collect()
        };
        assert!(like("Hanako", &pat("h%o")));
        assert!(like("Hanako", &pat("%")));
        assert!(like("", &pat("%")));
        assert!(!like("", &pat("_")));
        assert!(like("abc", &pat("a_c")));
        assert!(!like("abcd", &pat("a_c")));
        assert!(like("山田花子", &pat("山田%")));
    }

    proptest::proptest! {
        #[test]
        fn any_query_text_never_panics(text in "\\PC{0,80}") {
            let (schema, store) = fixture();
            let _ = query(&schema, &store, &text);
        }

        #[test]
        fn query_like_texts_never_panic(
            field in "(Id|LastName|Account\\.Name|Nope|AccountId|CreatedDate|Birthdate)",
            op in "(=|!=|<|>=|LIKE|IN|NOT IN)",
            value in "('[a-z%_\\\\']{0,6}'|[0-9.\\-]{1,6}|null|true|\\([^)]{0,8}\\)|2026-0[0-9]-[0-9]{2}(T00:00:00Z)?)",
            tail in "( AND Id != null| OR|\\)| ORDER BY LastName DESC NULLS LAST| LIMIT 1 OFFSET 1|)",
        ) {
            let (schema, store) = fixture();
            let _ = query(&schema, &store, &format!("SELECT Id, {field} FROM Contact WHERE {field} {op} {value}{tail}"));
        }
    }
}
