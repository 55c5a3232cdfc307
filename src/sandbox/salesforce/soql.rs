//! The simulator's SOQL engine: a [`lexer`], a recursive-descent [`parser`] producing an AST,
//! and an [`eval`]uator that resolves field paths against the data-driven schema, type-checks
//! literals and runs the query over the store.
//!
//! Supported: `SELECT` field lists with relationship paths (`Account.Name`), `COUNT()`, one
//! level of child subquery (`(SELECT Id FROM Contacts)`); `WHERE` with `= != <> < <= > >=`,
//! `IN`, `NOT IN`, `LIKE`, `AND`, `OR`, `NOT`, parentheses (mixing AND and OR without them is
//! refused, as Salesforce does); `ORDER BY … ASC|DESC NULLS FIRST|LAST`; `LIMIT`; `OFFSET`
//! (≤ 2000). Text comparisons are case-insensitive; ids compare in their 18-character form.
//! Not supported (refused with `MALFORMED_QUERY`): aggregates other than `COUNT()`,
//! `GROUP BY`, semi-joins, date literals such as `TODAY`, `TYPEOF`, `WITH`, `FOR`.

pub mod eval;
pub mod lexer;
pub mod parser;

use super::errors::RestError;

/// A query refused with Salesforce's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// `MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`, `INVALID_QUERY_FILTER_OPERATOR`…
    pub code: &'static str,
    /// The message, with the query line and a caret as Salesforce writes it.
    pub message: String,
}

impl QueryError {
    /// An error at a position: `\n<line>\n   ^\nERROR at Row:r:Column:c\n<text>`.
    pub fn at(code: &'static str, query: &str, row: usize, col: usize, text: String) -> Self {
        let line = query.lines().nth(row.saturating_sub(1)).unwrap_or_default();
        let caret = format!("{}^", " ".repeat(col.saturating_sub(1)));
        QueryError {
            code,
            message: format!("\n{line}\n{caret}\nERROR at Row:{row}:Column:{col}\n{text}"),
        }
    }

    /// `MALFORMED_QUERY` at a position.
    pub fn malformed(query: &str, row: usize, col: usize, text: String) -> Self {
        Self::at("MALFORMED_QUERY", query, row, col, text)
    }
}

impl From<QueryError> for RestError {
    fn from(err: QueryError) -> Self {
        RestError::new(400, err.code, err.message)
    }
}
