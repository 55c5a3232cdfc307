//! A SOQL builder that cannot be injected into: object and field names are checked against the
//! API-name pattern (and SOQL's reserved words), and every value is a typed [`Literal`] —
//! strings escaped per reference §3.4 (`\\`, `\'`, `\"`, `\n`, `\r`, `\t`, `\b`, `\f`,
//! `\uXXXX` for other control characters; `\%` and `\_` only inside LIKE), ids validated as
//! [`SalesforceId`] and never quoted-through unchecked, numbers, booleans and dates formatted.
//!
//! ```ignore
//! let q = Soql::select(&["Id", "Name"])
//!     .from("Account")
//!     .filter(Condition::eq("WHMCS_Client_Id__c", "1001"))
//!     .order_by("CreatedDate", Direction::Asc)
//!     .limit(2)
//!     .build()?;
//! ```
//!
//! The result is plain SOQL text; URL-encoding it is the client's (separate) job.

use super::id::SalesforceId;
use std::fmt::{self, Write as _};
use time::{Date, OffsetDateTime, UtcOffset};

/// Why a query could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SoqlError {
    /// An object, field or relationship name that is not a plain API name.
    #[error("{0:?} is not a valid SOQL object or field name")]
    Name(String),
    /// `SELECT` with no fields.
    #[error("a SOQL query needs at least one field")]
    NoFields,
    /// `FROM` missing.
    #[error("a SOQL query needs an object (FROM)")]
    NoObject,
    /// `IN ()`, `AND` of nothing, `OR` of nothing.
    #[error("an IN list, AND or OR needs at least one element")]
    Empty,
    /// A decimal literal that is not `-?digits[.digits]`.
    #[error("{0:?} is not a decimal number")]
    Decimal(String),
}

/// A complete, safe SOQL statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soql(String);

impl Soql {
    /// Starts `SELECT fields`.
    pub fn select(fields: &[&str]) -> SelectBuilder {
        SelectBuilder {
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            ..SelectBuilder::default()
        }
    }

    /// The statement text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Soql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Words that cannot be used as a bare field or object name.
const RESERVED: &[&str] = &[
    "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN", "INCLUDES", "LAST",
    "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OFFSET", "OR", "ORDER", "SELECT", "TRUE", "FALSE",
    "WHERE", "WITH", "USING", "FOR", "UPDATE", "TYPEOF",
];

/// One API name: a letter, then letters, digits and underscores (custom names end in `__c`,
/// `__r`), at most 80 characters, not a reserved word.
pub fn is_api_name(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_with_letter
        && name.len() <= 80
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// An sObject name: an API name, or `Order` (a standard object whose name is also a SOQL
/// keyword; Salesforce accepts it after `FROM`).
pub fn is_object_name(name: &str) -> bool {
    is_api_name(name) || name.eq_ignore_ascii_case("Order")
}

/// A field path: API names joined by dots (`Account.Name`), at most 5 relationship hops.
pub fn is_field_path(path: &str) -> bool {
    let segments = path.split('.').count();
    (1..=6).contains(&segments) && path.split('.').all(is_api_name)
}

fn check_path(path: &str) -> Result<(), SoqlError> {
    if is_field_path(path) {
        Ok(())
    } else {
        Err(SoqlError::Name(path.to_owned()))
    }
}

/// Escapes text for a single-quoted SOQL string; `like` also escapes the `%` and `_` wildcards.
pub fn escape_str(text: &str, like: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '%' | '_' if like => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// Text, quoted and escaped.
    Str(String),
    /// A record id (already validated), quoted.
    Id(SalesforceId),
    /// An integer.
    Int(i128),
    /// A decimal number, checked by [`Literal::decimal`].
    Decimal(String),
    /// `true` / `false`.
    Bool(bool),
    /// `YYYY-MM-DD`, unquoted.
    Date(Date),
    /// `YYYY-MM-DDThh:mm:ssZ` (UTC), unquoted.
    DateTime(OffsetDateTime),
    /// `null`.
    Null,
}

impl Literal {
    /// A decimal number such as `1200.50`, checked before it goes anywhere near a query.
    pub fn decimal(text: &str) -> Result<Self, SoqlError> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "1"));
        let ok = |part: &str| {
            !part.is_empty() && part.len() <= 18 && part.bytes().all(|b| b.is_ascii_digit())
        };
        if ok(int) && ok(frac) {
            Ok(Literal::Decimal(text.to_owned()))
        } else {
            Err(SoqlError::Decimal(text.to_owned()))
        }
    }

    fn render(&self, out: &mut String) {
        match self {
            Literal::Str(s) => {
                out.push('\'');
                out.push_str(&escape_str(s, false));
                out.push('\'');
            }
            Literal::Id(id) => {
                out.push('\'');
                out.push_str(id.as_str());
                out.push('\'');
            }
            Literal::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Literal::Decimal(d) => out.push_str(d),
            Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Literal::Date(d) => {
                let _ = write!(
                    out,
                    "{:04}-{:02}-{:02}",
                    d.year(),
                    u8::from(d.month()),
                    d.day()
                );
            }
            Literal::DateTime(t) => {
                let t = t.to_offset(UtcOffset::UTC);
                let _ = write!(
                    out,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                );
            }
            Literal::Null => out.push_str("null"),
        }
    }
}

impl From<&str> for Literal {
    fn from(s: &str) -> Self {
        Literal::Str(s.to_owned())
    }
}
impl From<String> for Literal {
    fn from(s: String) -> Self {
        Literal::Str(s)
    }
}
impl From<&String> for Literal {
    fn from(s: &String) -> Self {
        Literal::Str(s.clone())
    }
}
impl From<SalesforceId> for Literal {
    fn from(id: SalesforceId) -> Self {
        Literal::Id(id)
    }
}
impl From<&SalesforceId> for Literal {
    fn from(id: &SalesforceId) -> Self {
        Literal::Id(id.clone())
    }
}
impl From<bool> for Literal {
    fn from(b: bool) -> Self {
        Literal::Bool(b)
    }
}
impl From<Date> for Literal {
    fn from(d: Date) -> Self {
        Literal::Date(d)
    }
}
impl From<OffsetDateTime> for Literal {
    fn from(t: OffsetDateTime) -> Self {
        Literal::DateTime(t)
    }
}
macro_rules! int_literal {
    ($($t:ty),*) => {$(
        impl From<$t> for Literal {
            fn from(n: $t) -> Self {
                Literal::Int(i128::from(n))
            }
        }
    )*};
}
int_literal!(i32, i64, u32, u64);

/// A LIKE pattern, already escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Like(String);

impl Like {
    /// Matches exactly this text (wildcards in it are literal); case-insensitive like `=`.
    pub fn exact(text: &str) -> Self {
        Like(escape_str(text, true))
    }
    /// Text starting with this.
    pub fn starts_with(text: &str) -> Self {
        Like(format!("{}%", escape_str(text, true)))
    }
    /// Text ending with this.
    pub fn ends_with(text: &str) -> Self {
        Like(format!("%{}", escape_str(text, true)))
    }
    /// Text containing this.
    pub fn contains(text: &str) -> Self {
        Like(format!("%{}%", escape_str(text, true)))
    }
    /// A pattern whose `%` and `_` are wildcards (for trusted, constant patterns); quotes and
    /// backslashes are still escaped.
    pub fn pattern(pattern: &str) -> Self {
        Like(escape_str(pattern, false))
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A WHERE condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `field op value`
    Cmp {
        /// Field path.
        field: String,
        /// Operator.
        op: CmpOp,
        /// Value.
        value: Literal,
    },
    /// `field [NOT] IN (values)`
    In {
        /// Field path.
        field: String,
        /// Values.
        values: Vec<Literal>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `field LIKE 'pattern'`
    Like {
        /// Field path.
        field: String,
        /// Pattern.
        pattern: Like,
    },
    /// All of these.
    And(Vec<Condition>),
    /// Any of these.
    Or(Vec<Condition>),
    /// `NOT (…)`
    Not(Box<Condition>),
}

impl Condition {
    fn cmp(field: &str, op: CmpOp, value: impl Into<Literal>) -> Self {
        Condition::Cmp {
            field: field.to_owned(),
            op,
            value: value.into(),
        }
    }
    /// `field = value`
    pub fn eq(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Eq, value)
    }
    /// `field != value`
    pub fn ne(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Ne, value)
    }
    /// `field < value`
    pub fn lt(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Lt, value)
    }
    /// `field <= value`
    pub fn le(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Le, value)
    }
    /// `field > value`
    pub fn gt(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Gt, value)
    }
    /// `field >= value`
    pub fn ge(field: &str, value: impl Into<Literal>) -> Self {
        Self::cmp(field, CmpOp::Ge, value)
    }
    /// `field IN (values)`
    pub fn is_in<L: Into<Literal>>(field: &str, values: impl IntoIterator<Item = L>) -> Self {
        Condition::In {
            field: field.to_owned(),
            values: values.into_iter().map(Into::into).collect(),
            negated: false,
        }
    }
    /// `field NOT IN (values)`
    pub fn not_in<L: Into<Literal>>(field: &str, values: impl IntoIterator<Item = L>) -> Self {
        Condition::In {
            field: field.to_owned(),
            values: values.into_iter().map(Into::into).collect(),
            negated: true,
        }
    }
    /// `field LIKE pattern`
    pub fn like(field: &str, pattern: Like) -> Self {
        Condition::Like {
            field: field.to_owned(),
            pattern,
        }
    }
    /// All of these conditions.
    pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition::And(conditions.into_iter().collect())
    }
    /// Any of these conditions.
    pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition::Or(conditions.into_iter().collect())
    }
    /// `self AND other`
    pub fn and(self, other: Condition) -> Self {
        match self {
            Condition::And(mut list) => {
                list.push(other);
                Condition::And(list)
            }
            first => Condition::And(vec![first, other]),
        }
    }
    /// `self OR other`
    pub fn or(self, other: Condition) -> Self {
        match self {
            Condition::Or(mut list) => {
                list.push(other);
                Condition::Or(list)
            }
            first => Condition::Or(vec![first, other]),
        }
    }
    /// `NOT (self)`
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Condition::Not(Box::new(self))
    }

    fn render(&self, out: &mut String) -> Result<(), SoqlError> {
        match self {
            Condition::Cmp { field, op, value } => {
                check_path(field)?;
                out.push_str(field);
                out.push(' ');
                out.push_str(op.as_str());
                out.push(' ');
                value.render(out);
            }
            Condition::In {
                field,
                values,
                negated,
            } => {
                check_path(field)?;
                if values.is_empty() {
                    return Err(SoqlError::Empty);
                }
                out.push_str(field);
                out.push_str(if *negated { " NOT IN (" } else { " IN (" });
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.render(out);
                }
                out.push(')');
            }
            Condition::Like { field, pattern } => {
                check_path(field)?;
                out.push_str(field);
                out.push_str(" LIKE '");
                out.push_str(&pattern.0);
                out.push('\'');
            }
            Condition::And(list) | Condition::Or(list) => {
                if list.is_empty() {
                    return Err(SoqlError::Empty);
                }
                let joiner = if matches!(self, Condition::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(joiner);
                    }
                    c.render_operand(out)?;
                }
            }
            Condition::Not(inner) => {
                out.push_str("NOT ");
                inner.render_operand(out)?;
            }
        }
        Ok(())
    }

    /// Renders as an operand of AND/OR/NOT: compound conditions get parentheses (SOQL refuses
    /// mixed AND/OR without them).
    fn render_operand(&self, out: &mut String) -> Result<(), SoqlError> {
        match self {
            Condition::And(list) | Condition::Or(list) if list.len() == 1 => {
                list[0].render_operand(out)
            }
            Condition::And(_) | Condition::Or(_) | Condition::Not(_) => {
                out.push('(');
                self.render(out)?;
                out.push(')');
                Ok(())
            }
            _ => self.render(out),
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `ASC`
    Asc,
    /// `DESC`
    Desc,
}

/// Where nulls sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// `NULLS FIRST`
    First,
    /// `NULLS LAST`
    Last,
}

/// A `SELECT` being built; names are checked and the text produced by [`SelectBuilder::build`].
#[derive(Debug, Clone, Default)]
pub struct SelectBuilder {
    fields: Vec<String>,
    children: Vec<SelectBuilder>,
    object: String,
    condition: Option<Condition>,
    order: Vec<(String, Direction, Option<Nulls>)>,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl SelectBuilder {
    /// `FROM object` (for a child subquery: the child relationship name, e.g. `Contacts`).
    pub fn from(mut self, object: &str) -> Self {
        object.clone_into(&mut self.object);
        self
    }

    /// Adds a child subquery `(SELECT … FROM ChildRelationship …)` to the field list.
    pub fn child(mut self, subquery: SelectBuilder) -> Self {
        self.children.push(subquery);
        self
    }

    /// `WHERE condition` (a second call ANDs onto the first).
    pub fn filter(mut self, condition: Condition) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// `ORDER BY field direction` (repeatable).
    pub fn order_by(mut self, field: &str, direction: Direction) -> Self {
        self.order.push((field.to_owned(), direction, None));
        self
    }

    /// `ORDER BY field direction NULLS FIRST|LAST`.
    pub fn order_by_nulls(mut self, field: &str, direction: Direction, nulls: Nulls) -> Self {
        self.order.push((field.to_owned(), direction, Some(nulls)));
        self
    }

    /// `LIMIT n`
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n` (Salesforce allows at most 2000).
    pub fn offset(mut self, n: u32) -> Self {
        self.offset = Some(n);
        self
    }

    /// The statement, or the first problem found.
    pub fn build(&self) -> Result<Soql, SoqlError> {
        let mut out = String::with_capacity(128);
        self.render(&mut out)?;
        Ok(Soql(out))
    }

    fn render(&self, out: &mut String) -> Result<(), SoqlError> {
        if self.fields.is_empty() && self.children.is_empty() {
            return Err(SoqlError::NoFields);
        }
        if self.object.is_empty() {
            return Err(SoqlError::NoObject);
        }
        if !is_object_name(&self.object) {
            return Err(SoqlError::Name(self.object.clone()));
        }
        out.push_str("SELECT ");
        let mut first = true;
        for field in &self.fields {
            check_path(field)?;
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(field);
        }
        for child in &self.children {
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push('(');
            child.render(out)?;
            out.push(')');
        }
        out.push_str(" FROM ");
        out.push_str(&self.object);
        if let Some(condition) = &self.condition {
            out.push_str(" WHERE ");
            condition.render(out)?;
        }
        for (i, (field, direction, nulls)) in self.order.iter().enumerate() {
            check_path(field)?;
            out.push_str(if i == 0 { " ORDER BY " } else { ", " });
            out.push_str(field);
            out.push_str(match direction {
                Direction::Asc => " ASC",
                Direction::Desc => " DESC",
            });
            match nulls {
                Some(Nulls::First) => out.push_str(" NULLS FIRST"),
                Some(Nulls::Last) => out.push_str(" NULLS LAST"),
                None => {}
            }
        }
        if let Some(n) = self.limit {
            let _ = write!(out, " LIMIT {n}");
        }
        if let Some(n) = self.offset {
            let _ = write!(out, " OFFSET {n}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_full_query_renders_in_clause_order() {
        let id = SalesforceId::parse("001M000000qfPyS").expect("id");
        let q = Soql::select(&["Id", "Name", "Account.Name"])
            .from("Contact")
            .filter(Condition::eq("AccountId", &id))
            .filter(Condition::any([
                Condition::eq("Email", "a@b.jp"),
                Condition::is_in("LastName", ["山田", "O'Brien"]),
            ]))
            .filter(Condition::gt(
                "CreatedDate",
                time::macros::datetime!(2026-01-02 03:04:05 +09:00),
            ))
            .filter(Condition::le(
                "Birthdate",
                time::macros::date!(1999 - 01 - 01),
            ))
            .filter(Condition::ne(
                "Amount__c",
                Literal::decimal("-12.50").expect("decimal"),
            ))
            .filter(Condition::eq("IsActive__c", true).not())
            .order_by("LastName", Direction::Asc)
            .order_by_nulls("CreatedDate", Direction::Desc, Nulls::Last)
            .limit(10)
            .offset(20)
            .build()
            .expect("valid");
        assert_eq!(
            q.as_str(),
            "SELECT Id, Name, Account.Name FROM Contact WHERE AccountId = '001M000000qfPySIAU' \
             AND (Email = 'a@b.jp' OR LastName IN ('山田', 'O\\'Brien')) \
             AND CreatedDate > 2026-01-01T18:04:05Z AND Birthdate <= 1999-01-01 \
             AND Amount__c != -12.50 AND (NOT IsActive__c = true) \
             ORDER BY LastName ASC, CreatedDate DESC NULLS LAST LIMIT 10 OFFSET 20"
        );
    }

    #[test]
    fn child_subqueries_render_inside_the_field_list() {
        let q = Soql::select(&["Id"])
            .from("Account")
            .child(
                Soql::select(&["Id", "LastName"])
                    .from("Contacts")
                    .order_by("LastName", Direction::Asc),
            )
            .build()
            .expect("valid");
        assert_eq!(
            q.as_str(),
            "SELECT Id, (SELECT Id, LastName FROM Contacts ORDER BY LastName ASC) FROM Account"
        );
    }

    #[test]
    fn injection_attempts_stay_one_literal() {
        let q = Soql::select(&["Id"])
            .from("Account")
            .filter(Condition::eq("Name", "x' OR Name != '"))
            .build()
            .expect("valid");
        assert_eq!(
            q.as_str(),
            "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\''"
        );
        let q = Soql::select(&["Id"])
            .from("Account")
            .filter(Condition::eq("Name", "\\' OR Id != null --"))
            .build()
            .expect("valid");
        assert_eq!(
            q.as_str(),
            "SELECT Id FROM Account WHERE Name = '\\\\\\' OR Id != null --'"
        );
        let q = Soql::select(&["Id"])
            .from("Contact")
            .filter(Condition::like("Email", Like::contains("50%_off\n")))
            .build()
            .expect("valid");
        assert_eq!(
            q.as_str(),
            "SELECT Id FROM Contact WHERE Email LIKE '%50\\%\\_off\\n%'"
        );
    }

    #[test]
    fn names_are_checked() {
        for bad in [
            "Name = 'x' OR Id",
            "Name--",
            "1Name",
            "",
            "Na me",
            "Account..Name",
            "FROM",
            "Name'",
            "名前",
        ] {
            let field = Soql::select(&[bad]).from("Account").build();
            assert_eq!(field, Err(SoqlError::Name(bad.to_owned())), "{bad}");
            let object = Soql::select(&["Id"]).from(bad).build();
            assert!(object.is_err(), "{bad}");
            let filter = Soql::select(&["Id"])
                .from("Account")
                .filter(Condition::eq(bad, 1))
                .build();
            assert!(filter.is_err(), "{bad}");
        }
        assert_eq!(
            Soql::select(&[]).from("Account").build(),
            Err(SoqlError::NoFields)
        );
        assert_eq!(Soql::select(&["Id"]).build(), Err(SoqlError::NoObject));
        let empty_in: Vec<&str> = Vec::new();
        assert_eq!(
            Soql::select(&["Id"])
                .from("Account")
                .filter(Condition::is_in("Id", empty_in))
                .build(),
            Err(SoqlError::Empty)
        );
        assert!(Literal::decimal("1e5").is_err());
        assert!(Literal::decimal("1.").is_err());
        assert!(Literal::decimal("1 OR 1").is_err());
        assert!(Literal::decimal("12").is_ok());
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape_str("a\"b\r\t\u{8}\u{c}\u{0}\u{1b}", false),
            "a\\\"b\\r\\t\\b\\f\\u0000\\u001b"
        );
        assert_eq!(escape_str("50%_", false), "50%_");
    }

    /// Reads a rendered string literal back the way a SOQL lexer does: returns its content and
    /// what follows the closing quote.
    fn unquote(rest: &str) -> Option<(String, &str)> {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => return Some((out, &rest[i + 1..])),
                '\\' => {
                    let (_, e) = chars.next()?;
                    match e {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex: String = (0..4)
                                .filter_map(|_| chars.next().map(|(_, h)| h))
                                .collect();
                            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
        None
    }

    proptest! {
        #[test]
        fn any_text_is_one_literal_that_reads_back(text in "\\PC{0,30}|[\\x00-\\x7f]{0,30}") {
            let q = Soql::select(&["Id"])
                .from("Account")
                .filter(Condition::eq("Name", text.as_str()))
                .limit(1)
                .build()
                .expect("valid");
            let prefix = "SELECT Id FROM Account WHERE Name = '";
            prop_assert!(q.as_str().starts_with(prefix));
            let (content, tail) = unquote(&q.as_str()[prefix.len()..]).expect("closed literal");
            prop_assert_eq!(content, text);
            prop_assert_eq!(tail, " LIMIT 1");
        }

        #[test]
        fn building_never_panics(field in ".{0,20}", value in ".{0,20}") {
            let _ = Soql::select(&[field.as_str()])
                .from(&field)
                .filter(Condition::like(&field, Like::starts_with(&value)))
                .order_by(&field, Direction::Desc)
                .build();
            let _ = Literal::decimal(&value);
        }
    }
}
