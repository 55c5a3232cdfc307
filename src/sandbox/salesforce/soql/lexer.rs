//! SOQL tokens: identifiers and keywords (case-insensitive), single-quoted strings with the
//! escapes of reference §3.4, numbers, unquoted date and dateTime literals, punctuation and
//! comparison operators. Every token keeps its row and column for error messages.

use super::QueryError;

/// A character of a string literal: `\%` and `\_` stay distinguishable from wildcards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrChar {
    /// A plain character.
    Char(char),
    /// An escaped `%` or `_` (only valid in LIKE).
    EscapedWildcard(char),
}

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Identifier or keyword.
    Ident(String),
    /// A string literal.
    Str(Vec<StrChar>),
    /// A number as written.
    Number(String),
    /// `YYYY-MM-DD`.
    Date(String),
    /// `YYYY-MM-DDThh:mm:ss[.sss](Z|±hh:mm)`.
    DateTime(String),
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `:` (bind variables: Apex only).
    Colon,
    /// `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`
    Op(&'static str),
    /// End of input.
    Eof,
}

impl Tok {
    /// How the token reads in "unexpected token" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) | Tok::Number(s) | Tok::Date(s) | Tok::DateTime(s) => s.clone(),
            Tok::Str(chars) => {
                let text: String = chars
                    .iter()
                    .map(|c| match c {
                        StrChar::Char(c) | StrChar::EscapedWildcard(c) => *c,
                    })
                    .collect();
                format!("'{text}'")
            }
            Tok::Comma => ",".into(),
            Tok::Dot => ".".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Colon => ":".into(),
            Tok::Op(op) => (*op).into(),
            Tok::Eof => "<EOF>".into(),
        }
    }

    /// Whether this is the keyword `kw`.
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(self, Tok::Ident(s) if s.eq_ignore_ascii_case(kw))
    }
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// 1-based row.
    pub row: usize,
    /// 1-based column.
    pub col: usize,
}

struct Cursor<'a> {
    chars: Vec<char>,
    at: usize,
    row: usize,
    col: usize,
    query: &'a str,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.at).copied()?;
        self.at += 1;
        if c == '\n' {
            self.row += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    fn take_while(&mut self, pred: impl Fn(char) -> bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek().filter(|c| pred(*c)) {
            out.push(c);
            self.bump();
        }
        out
    }
    fn error(&self, row: usize, col: usize, text: String) -> QueryError {
        QueryError::malformed(self.query, row, col, text)
    }
}

/// Splits a query into tokens (ending with [`Tok::Eof`]).
pub fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut cur = Cursor {
        chars: query.chars().collect(),
        at: 0,
        row: 1,
        col: 1,
        query,
    };
    let mut out = Vec::new();
    loop {
        cur.take_while(char::is_whitespace);
        let (row, col) = (cur.row, cur.col);
        let Some(c) = cur.peek() else {
            out.push(Token {
                tok: Tok::Eof,
                row,
                col,
            });
            return Ok(out);
        };
        let tok = match c {
            'a'..='z' | 'A'..='Z' | '_' => {
                Tok::Ident(cur.take_while(|c| c.is_ascii_alphanumeric() || c == '_'))
            }
            '0'..='9' => number_or_date(&mut cur, row, col)?,
            '-' if cur.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                cur.bump();
                match number_or_date(&mut cur, row, col)? {
                    Tok::Number(n) => Tok::Number(format!("-{n}")),
                    _ => return Err(cur.error(row, col, "unexpected token: '-'".into())),
                }
            }
            '\'' => {
                cur.bump();
                string(&mut cur, row, col)?
            }
            ',' | '.' | '(' | ')' | ':' => {
                cur.bump();
                match c {
                    ',' => Tok::Comma,
                    '.' => Tok::Dot,
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Colon,
                }
            }
            '=' => {
                cur.bump();
                Tok::Op("=")
            }
            '!' if cur.peek_at(1) == Some('=') => {
                cur.bump();
                cur.bump();
                Tok::Op("!=")
            }
            '<' | '>' => {
                cur.bump();
                match (c, cur.peek()) {
                    ('<', Some('=')) => {
                        cur.bump();
                        Tok::Op("<=")
                    }
                    ('<', Some('>')) => {
                        cur.bump();
                        Tok::Op("!=")
                    }
                    ('>', Some('=')) => {
                        cur.bump();
                        Tok::Op(">=")
                    }
                    ('<', _) => Tok::Op("<"),
                    _ => Tok::Op(">"),
                }
            }
            other => {
                return Err(cur.error(
                    row,
                    col,
                    format!(
                        "line {row}:{} no viable alternative at character '{other}'",
                        col - 1
                    ),
                ));
            }
        };
        out.push(Token { tok, row, col });
    }
}

fn digits(cur: &mut Cursor<'_>) -> String {
    cur.take_while(|c| c.is_ascii_digit())
}

fn number_or_date(cur: &mut Cursor<'_>, row: usize, col: usize) -> Result<Tok, QueryError> {
    let int = digits(cur);
    if int.len() == 4
        && cur.peek() == Some('-')
        && cur.peek_at(1).is_some_and(|c| c.is_ascii_digit())
    {
        let mut text = int;
        for _ in 0..2 {
            if cur.peek() != Some('-') {
                return Err(cur.error(row, col, format!("invalid date: {text}")));
            }
            cur.bump();
            let part = digits(cur);
            if part.len() != 2 {
                return Err(cur.error(row, col, format!("invalid date: {text}-{part}")));
            }
            text.push('-');
            text.push_str(&part);
        }
        if cur.peek() != Some('T') {
            return Ok(Tok::Date(text));
        }
        // dateTime: THH:MM:SS[.sss](Z|±HH:MM)
        let rest =
            cur.take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '+' | '-'));
        return Ok(Tok::DateTime(format!("{text}{rest}")));
    }
    let mut text = int;
    if cur.peek() == Some('.') && cur.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
        cur.bump();
        text.push('.');
        text.push_str(&digits(cur));
    }
    if cur
        .peek()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        let tail = cur.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        return Err(cur.error(row, col, format!("unexpected token: {text}{tail}")));
    }
    Ok(Tok::Number(text))
}

fn string(cur: &mut Cursor<'_>, row: usize, col: usize) -> Result<Tok, QueryError> {
    let mut out = Vec::new();
    loop {
        let Some(c) = cur.bump() else {
            return Err(cur.error(
                row,
                col,
                "unexpected token: <EOF>: unterminated string".into(),
            ));
        };
        match c {
            '\'' => return Ok(Tok::Str(out)),
            '\\' => {
                let (erow, ecol) = (cur.row, cur.col);
                let e = cur.bump().unwrap_or('\0');
                let plain = match e {
                    'n' | 'N' => Some('\n'),
                    'r' | 'R' => Some('\r'),
                    't' | 'T' => Some('\t'),
                    'b' | 'B' => Some('\u{8}'),
                    'f' | 'F' => Some('\u{c}'),
                    '"' | '\'' | '\\' => Some(e),
                    '%' | '_' => {
                        out.push(StrChar::EscapedWildcard(e));
                        None
                    }
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| cur.bump()).collect();
                        let unit = u32::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|_| hex.len() == 4);
                        match unit.and_then(char::from_u32) {
                            Some(ch) => Some(ch),
                            None => {
                                return Err(cur.error(
                                    erow,
                                    ecol,
                                    format!("Invalid string literal '\\u{hex}'. Illegal unicode escape sequence"),
                                ));
                            }
                        }
                    }
                    other => {
                        return Err(cur.error(
                            erow,
                            ecol,
                            format!("Invalid string literal '\\{other}'. Illegal character sequence '\\{other}' in string literal."),
                        ));
                    }
                };
                if let Some(ch) = plain {
                    out.push(StrChar::Char(ch));
                }
            }
            c => out.push(StrChar::Char(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(q: &str) -> Vec<Tok> {
        lex(q).expect("lexes").into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn a_query_lexes_into_tokens() {
        assert_eq!(
            toks(
                "SELECT Id, Account.Name FROM Contact WHERE Amount__c >= -1.5 AND X <> 'a\\'b\\\\' AND D = 2026-01-02 AND T < 2026-01-02T03:04:05Z"
            ),
            vec![
                Tok::Ident("SELECT".into()),
                Tok::Ident("Id".into()),
                Tok::Comma,
                Tok::Ident("Account".into()),
                Tok::Dot,
                Tok::Ident("Name".into()),
                Tok::Ident("FROM".into()),
                Tok::Ident("Contact".into()),
                Tok::Ident("WHERE".into()),
                Tok::Ident("Amount__c".into()),
                Tok::Op(">="),
                Tok::Number("-1.5".into()),
                Tok::Ident("AND".into()),
                Tok::Ident("X".into()),
                Tok::Op("!="),
                Tok::Str("a'b\\".chars().map(StrChar::Char).collect()),
                Tok::Ident("AND".into()),
                Tok::Ident("D".into()),
                Tok::Op("="),
                Tok::Date("2026-01-02".into()),
                Tok::Ident("AND".into()),
                Tok::Ident("T".into()),
                Tok::Op("<"),
                Tok::DateTime("2026-01-02T03:04:05Z".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn escapes_follow_the_reference() {
        assert_eq!(
            toks(r"'\n\t\u00e9\%\_%'"),
            vec![
                Tok::Str(vec![
                    StrChar::Char('\n'),
                    StrChar::Char('\t'),
                    StrChar::Char('é'),
                    StrChar::EscapedWildcard('%'),
                    StrChar::EscapedWildcard('_'),
                    StrChar::Char('%'),
                ]),
                Tok::Eof
            ]
        );
        for bad in [r"'\q'", "'open", r"'\u12'", "#", "12abc"] {
            let err = lex(bad).expect_err(bad);
            assert_eq!(err.code, "MALFORMED_QUERY", "{bad}");
        }
    }
}
