//! SOQL grammar (the supported subset) into an AST:
//!
//! ```text
//! query   := SELECT item (',' item)* FROM name [WHERE expr] [ORDER BY key (',' key)*]
//!            [LIMIT n] [OFFSET n]
//! item    := path | COUNT '(' ')' | '(' query ')'
//! expr    := term (AND term)* | term (OR term)*
//! term    := NOT term | '(' expr ')' | path op literal | path [NOT] IN '(' literal,… ')'
//!          | path LIKE string
//! key     := path [ASC|DESC] [NULLS (FIRST|LAST)]
//! ```

use super::QueryError;
use super::lexer::{StrChar, Tok, Token, lex};

/// Words that cannot be field or object names.
const RESERVED: &[&str] = &[
    "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN", "INCLUDES", "LAST",
    "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OFFSET", "OR", "ORDER", "SELECT", "TRUE", "FALSE",
    "WHERE", "WITH", "USING", "FOR", "UPDATE", "TYPEOF", "BY",
];

/// A dotted field path and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Segments as written.
    pub segments: Vec<String>,
    /// Row.
    pub row: usize,
    /// Column.
    pub col: usize,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `'text'`
    Str(Vec<StrChar>),
    /// `12`, `-1.5`
    Number(String),
    /// `2026-01-02`
    Date(String),
    /// `2026-01-02T03:04:05Z`
    DateTime(String),
    /// `true` / `false`
    Bool(bool),
    /// `null`
    Null,
    /// A date literal such as `TODAY` (not supported by the simulator).
    Named(String),
}

/// A literal and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct LitAt {
    /// The value.
    pub lit: Lit,
    /// Row.
    pub row: usize,
    /// Column.
    pub col: usize,
}

/// A WHERE expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All.
    And(Vec<Expr>),
    /// Any.
    Or(Vec<Expr>),
    /// Not.
    Not(Box<Expr>),
    /// `path op value`
    Cmp {
        /// Field.
        path: Path,
        /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
        op: &'static str,
        /// Value.
        value: LitAt,
    },
    /// `path [NOT] IN (…)`
    In {
        /// Field.
        path: Path,
        /// Values.
        values: Vec<LitAt>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `path LIKE 'pattern'`
    Like {
        /// Field.
        path: Path,
        /// Pattern.
        pattern: LitAt,
    },
}

/// A SELECT list element.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A field path.
    Field(Path),
    /// `COUNT()`
    Count {
        /// Row.
        row: usize,
        /// Column.
        col: usize,
    },
    /// A child subquery.
    Subquery(Box<Query>),
}

/// An ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderKey {
    /// Field.
    pub path: Path,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS LAST` (default: nulls first).
    pub nulls_last: bool,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// SELECT list.
    pub items: Vec<Item>,
    /// FROM (object, or child relationship in a subquery).
    pub from: String,
    /// Where FROM's name is.
    pub from_at: (usize, usize),
    /// WHERE.
    pub filter: Option<Expr>,
    /// ORDER BY.
    pub order: Vec<OrderKey>,
    /// LIMIT.
    pub limit: Option<u64>,
    /// OFFSET and its position.
    pub offset: Option<(u64, usize, usize)>,
}

struct Parser<'a> {
    query: &'a str,
    tokens: Vec<Token>,
    at: usize,
}

/// Parses a whole query.
pub fn parse(query: &str) -> Result<Query, QueryError> {
    let tokens = lex(query)?;
    let mut p = Parser {
        query,
        tokens,
        at: 0,
    };
    let q = p.query(true)?;
    p.expect_eof()?;
    Ok(q)
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `at` never passes it.
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.tokens[(self.at + n).min(self.tokens.len() - 1)].tok
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if t.tok != Tok::Eof {
            self.at += 1;
        }
        t
    }

    fn unexpected(&self, t: &Token) -> QueryError {
        QueryError::malformed(
            self.query,
            t.row,
            t.col,
            format!("unexpected token: {}", t.tok.describe()),
        )
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), QueryError> {
        let t = self.next();
        if t.tok.is_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected(&t))
        }
    }

    fn expect(&mut self, tok: Tok) -> Result<(), QueryError> {
        let t = self.next();
        if t.tok == tok {
            Ok(())
        } else {
            Err(self.unexpected(&t))
        }
    }

    fn expect_eof(&mut self) -> Result<(), QueryError> {
        let t = self.peek().clone();
        if t.tok == Tok::Eof {
            Ok(())
        } else {
            Err(self.unexpected(&t))
        }
    }

    fn name(&mut self) -> Result<(String, usize, usize), QueryError> {
        let t = self.next();
        match &t.tok {
            Tok::Ident(s) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) => {
                Ok((s.clone(), t.row, t.col))
            }
            _ => Err(self.unexpected(&t)),
        }
    }

    /// The name after FROM: `Order` is a keyword but also a standard object.
    fn object_name(&mut self) -> Result<(String, usize, usize), QueryError> {
        if let Tok::Ident(s) = &self.peek().tok
            && s.eq_ignore_ascii_case("Order")
        {
            let t = self.next();
            if let Tok::Ident(s) = &t.tok {
                return Ok((s.clone(), t.row, t.col));
            }
        }
        self.name()
    }

    fn path(&mut self) -> Result<Path, QueryError> {
        let (first, row, col) = self.name()?;
        let mut segments = vec![first];
        while self.peek().tok == Tok::Dot {
            self.next();
            segments.push(self.name()?.0);
        }
        Ok(Path { segments, row, col })
    }

    fn query(&mut self, top: bool) -> Result<Query, QueryError> {
        self.expect_kw("SELECT")?;
        let mut items = Vec::new();
        loop {
            items.push(self.item(top)?);
            if self.peek().tok == Tok::Comma {
                self.next();
            } else {
                break;
            }
        }
        self.expect_kw("FROM")?;
        let (from, row, col) = self.object_name()?;
        let mut q = Query {
            items,
            from,
            from_at: (row, col),
            filter: None,
            order: Vec::new(),
            limit: None,
            offset: None,
        };
        if self.peek().tok.is_kw("WHERE") {
            self.next();
            q.filter = Some(self.expr()?);
        }
        if self.peek().tok.is_kw("ORDER") {
            self.next();
            self.expect_kw("BY")?;
            loop {
                q.order.push(self.order_key()?);
                if self.peek().tok == Tok::Comma {
                    self.next();
                } else {
                    break;
                }
            }
        }
        if self.peek().tok.is_kw("LIMIT") {
            self.next();
            q.limit = Some(self.count()?.0);
        }
        if self.peek().tok.is_kw("OFFSET") {
            self.next();
            q.offset = Some(self.count()?);
        }
        Ok(q)
    }

    fn count(&mut self) -> Result<(u64, usize, usize), QueryError> {
        let t = self.next();
        match &t.tok {
            Tok::Number(n) => n
                .parse::<u64>()
                .map(|v| (v, t.row, t.col))
                .map_err(|_| self.unexpected(&t)),
            _ => Err(self.unexpected(&t)),
        }
    }

    fn item(&mut self, top: bool) -> Result<Item, QueryError> {
        let t = self.peek().clone();
        if t.tok == Tok::LParen {
            if !top {
                return Err(self.unexpected(&t));
            }
            self.next();
            let sub = self.query(false)?;
            self.expect(Tok::RParen)?;
            return Ok(Item::Subquery(Box::new(sub)));
        }
        if t.tok.is_kw("COUNT") && *self.peek_at(1) == Tok::LParen {
            self.next();
            self.next();
            self.expect(Tok::RParen)?;
            return Ok(Item::Count {
                row: t.row,
                col: t.col,
            });
        }
        Ok(Item::Field(self.path()?))
    }

    fn order_key(&mut self) -> Result<OrderKey, QueryError> {
        let path = self.path()?;
        let mut descending = false;
        if self.peek().tok.is_kw("ASC") {
            self.next();
        } else if self.peek().tok.is_kw("DESC") {
            self.next();
            descending = true;
        }
        let mut nulls_last = false;
        if self.peek().tok.is_kw("NULLS") {
            self.next();
            let t = self.next();
            if t.tok.is_kw("LAST") {
                nulls_last = true;
            } else if !t.tok.is_kw("FIRST") {
                return Err(self.unexpected(&t));
            }
        }
        Ok(OrderKey {
            path,
            descending,
            nulls_last,
        })
    }

    fn expr(&mut self) -> Result<Expr, QueryError> {
        let first = self.term()?;
        let mut terms = vec![first];
        let mut joiner: Option<&'static str> = None;
        loop {
            let t = self.peek().clone();
            let op = if t.tok.is_kw("AND") {
                "AND"
            } else if t.tok.is_kw("OR") {
                "OR"
            } else {
                break;
            };
            if joiner.is_some_and(|j| j != op) {
                return Err(self.unexpected(&t));
            }
            joiner = Some(op);
            self.next();
            terms.push(self.term()?);
        }
        Ok(match joiner {
            None => terms.pop().unwrap_or(Expr::And(Vec::new())),
            Some("AND") => Expr::And(terms),
            Some(_) => Expr::Or(terms),
        })
    }

    fn term(&mut self) -> Result<Expr, QueryError> {
        let t = self.peek().clone();
        if t.tok.is_kw("NOT") {
            self.next();
            return Ok(Expr::Not(Box::new(self.term()?)));
        }
        if t.tok == Tok::LParen {
            self.next();
            let e = self.expr()?;
            self.expect(Tok::RParen)?;
            return Ok(e);
        }
        let path = self.path()?;
        let t = self.next();
        match &t.tok {
            Tok::Op(op) => Ok(Expr::Cmp {
                path,
                op,
                value: self.literal()?,
            }),
            Tok::Ident(_) if t.tok.is_kw("IN") => Ok(Expr::In {
                path,
                values: self.list()?,
                negated: false,
            }),
            Tok::Ident(_) if t.tok.is_kw("NOT") => {
                self.expect_kw("IN")?;
                Ok(Expr::In {
                    path,
                    values: self.list()?,
                    negated: true,
                })
            }
            Tok::Ident(_) if t.tok.is_kw("LIKE") => {
                let pattern = self.literal()?;
                if !matches!(pattern.lit, Lit::Str(_)) {
                    return Err(QueryError::malformed(
                        self.query,
                        pattern.row,
                        pattern.col,
                        "LIKE requires a string value".into(),
                    ));
                }
                Ok(Expr::Like { path, pattern })
            }
            _ => Err(self.unexpected(&t)),
        }
    }

    fn list(&mut self) -> Result<Vec<LitAt>, QueryError> {
        self.expect(Tok::LParen)?;
        if self.peek().tok.is_kw("SELECT") {
            let t = self.peek().clone();
            return Err(QueryError::malformed(
                self.query,
                t.row,
                t.col,
                "semi-join subqueries are not supported by the sandbox".into(),
            ));
        }
        let mut values = vec![self.literal()?];
        while self.peek().tok == Tok::Comma {
            self.next();
            values.push(self.literal()?);
        }
        self.expect(Tok::RParen)?;
        Ok(values)
    }

    fn literal(&mut self) -> Result<LitAt, QueryError> {
        let t = self.next();
        let lit = match &t.tok {
            Tok::Str(s) => Lit::Str(s.clone()),
            Tok::Number(n) => Lit::Number(n.clone()),
            Tok::Date(d) => Lit::Date(d.clone()),
            Tok::DateTime(d) => Lit::DateTime(d.clone()),
            Tok::Ident(s) if s.eq_ignore_ascii_case("true") => Lit::Bool(true),
            Tok::Ident(s) if s.eq_ignore_ascii_case("false") => Lit::Bool(false),
            Tok::Ident(s) if s.eq_ignore_ascii_case("null") => Lit::Null,
            Tok::Ident(s) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) => {
                Lit::Named(s.clone())
            }
            _ => return Err(self.unexpected(&t)),
        };
        Ok(LitAt {
            lit,
            row: t.row,
            col: t.col,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_full_query_parses() {
        let q = parse(
            "select Id, Account.Name, (SELECT Id FROM Contacts) FROM Account \
             WHERE (Name = 'a' OR Name LIKE 'b%') AND NOT Phone = null AND Id NOT IN ('x') \
             ORDER BY Name DESC NULLS LAST, Id LIMIT 5 OFFSET 10",
        )
        .expect("parses");
        assert_eq!(q.from, "Account");
        assert_eq!(q.items.len(), 3);
        assert!(matches!(&q.items[1], Item::Field(p) if p.segments == path(&["Account", "Name"])));
        assert!(matches!(&q.items[2], Item::Subquery(s) if s.from == "Contacts"));
        let Some(Expr::And(terms)) = &q.filter else {
            panic!("AND expected: {:?}", q.filter);
        };
        assert_eq!(terms.len(), 3);
        assert!(matches!(&terms[0], Expr::Or(v) if v.len() == 2));
        assert!(matches!(&terms[1], Expr::Not(_)));
        assert!(matches!(&terms[2], Expr::In { negated: true, .. }));
        assert_eq!(q.order.len(), 2);
        assert!(q.order[0].descending && q.order[0].nulls_last);
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.offset.map(|o| o.0), Some(10));
    }

    #[test]
    fn bad_queries_are_malformed_with_a_position() {
        for (q, col) in [
            (
                "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Id = 'c'",
                56,
            ),
            ("SELECT Id FROM Account WHERE", 29),
            ("SELECT FROM Account", 8),
            ("SELECT Id Account", 11),
            ("SELECT Id FROM Account LIMIT x", 30),
            ("SELECT Id FROM Account GROUP BY Name", 24),
            (
                "SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Contact)",
                37,
            ),
            ("SELECT Id FROM Account WHERE Name = :name", 37),
            (
                "SELECT Id, (SELECT Id, (SELECT Id FROM X) FROM Y) FROM Account",
                24,
            ),
        ] {
            let err = parse(q).expect_err(q);
            assert_eq!(err.code, "MALFORMED_QUERY", "{q}");
            assert!(
                err.message
                    .contains(&format!("ERROR at Row:1:Column:{col}\n")),
                "{q}: {}",
                err.message
            );
        }
    }

    #[test]
    fn an_injection_attempt_in_a_quoted_literal_stays_a_literal() {
        let q = parse(r"SELECT Id FROM Account WHERE Name = 'x\' OR Name != \''").expect("parses");
        let Some(Expr::Cmp { value, .. }) = q.filter else {
            panic!("one comparison expected");
        };
        let Lit::Str(chars) = value.lit else {
            panic!("a string literal expected");
        };
        let text: String = chars
            .iter()
            .map(|c| match c {
                StrChar::Char(c) | StrChar::EscapedWildcard(c) => *c,
            })
            .collect();
        assert_eq!(text, "x' OR Name != '");
        // Unescaped, the same text would have widened the query: what the client's escaping
        // prevents.
        let widened =
            parse("SELECT Id FROM Account WHERE Name = 'x' OR Name != ''").expect("parses");
        assert!(matches!(widened.filter, Some(Expr::Or(_))));
    }
}
