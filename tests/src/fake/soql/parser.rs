//! SOQL syntax: turns tokens into an unresolved [`Query`]. Names are checked against the schema
//! later (see `compile`), so syntax errors (`MALFORMED_QUERY`) win over name errors as in Salesforce.

use super::SoqlError;
use super::lexer::{Tok, Token, tokenize};

/// A name with the column where it appeared.
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub col: usize,
}

/// One SELECT item.
#[derive(Clone, Debug)]
pub enum SelectItem {
    Field(Name),
    /// `COUNT()` (no field) or `COUNT(field) [alias]`.
    Count(Option<Name>, Option<String>),
    /// `FIELDS(ALL | STANDARD | CUSTOM)`.
    Fields(String, usize),
}

/// A literal in a WHERE clause.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Date(String),
    DateTime(String),
    /// `TODAY`, `LAST_N_DAYS:30`, ...
    Relative(String, Option<i64>),
}

/// A WHERE condition.
#[derive(Clone, Debug)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Compare(Name, &'static str, Literal, usize),
    Like(Name, bool, String),
    In(Name, bool, Vec<(Literal, usize)>),
    Includes(Name, bool, Vec<String>),
}

/// One ORDER BY key.
#[derive(Clone, Debug)]
pub struct OrderKey {
    pub field: Name,
    pub descending: bool,
    pub nulls_first: bool,
}

/// A parsed query.
#[derive(Clone, Debug)]
pub struct Query {
    pub select: Vec<SelectItem>,
    pub from: Name,
    pub filter: Option<Cond>,
    pub order: Vec<OrderKey>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

const RESERVED: &[&str] = &[
    "select", "from", "where", "and", "or", "not", "order", "by", "limit", "offset", "like", "in",
    "includes", "excludes", "asc", "desc", "nulls", "group", "having", "with",
];

/// Parses a SOQL query.
pub fn parse(query: &str) -> Result<Query, SoqlError> {
    if query.trim().is_empty() {
        return Err(SoqlError::malformed(
            "A query string has to be specified".into(),
            1,
        ));
    }
    let mut p = Parser {
        toks: tokenize(query)?,
        pos: 0,
    };
    p.keyword("select")?;
    let select = p.select_list()?;
    p.keyword("from")?;
    let from = p.name()?;
    let filter = if p.eat("where") { Some(p.or()?) } else { None };
    let mut order = Vec::new();
    if p.eat("order") {
        p.keyword("by")?;
        loop {
            order.push(p.order_key()?);
            if !p.eat_tok(&Tok::Comma) {
                break;
            }
        }
    }
    let limit = if p.eat("limit") {
        Some(p.count()?)
    } else {
        None
    };
    let offset = if p.eat("offset") {
        Some(p.count()?)
    } else {
        None
    };
    if p.peek().tok != Tok::Eof {
        return Err(p.unexpected());
    }
    Ok(Query {
        select,
        from,
        filter,
        order,
        limit,
        offset,
    })
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn unexpected(&self) -> SoqlError {
        let t = self.peek();
        SoqlError::malformed(format!("unexpected token: '{}'", t.text()), t.col)
    }

    fn eat(&mut self, word: &str) -> bool {
        let hit = self.peek().is(word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat_tok(&mut self, tok: &Tok) -> bool {
        let hit = &self.peek().tok == tok;
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), SoqlError> {
        if self.eat_tok(tok) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn keyword(&mut self, word: &str) -> Result<(), SoqlError> {
        if self.eat(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn name(&mut self) -> Result<Name, SoqlError> {
        match &self.peek().tok {
            Tok::Ident(s) if !RESERVED.contains(&s.to_ascii_lowercase().as_str()) => {
                let t = self.next();
                Ok(Name {
                    text: t.text(),
                    col: t.col,
                })
            }
            _ => Err(self.unexpected()),
        }
    }

    fn count(&mut self) -> Result<u64, SoqlError> {
        match &self.peek().tok {
            Tok::Num(n) => {
                let value = n.parse().map_err(|_| self.unexpected())?;
                self.pos += 1;
                Ok(value)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn select_list(&mut self) -> Result<Vec<SelectItem>, SoqlError> {
        let mut items = Vec::new();
        loop {
            items.push(self.select_item()?);
            if !self.eat_tok(&Tok::Comma) {
                return Ok(items);
            }
        }
    }

    fn select_item(&mut self) -> Result<SelectItem, SoqlError> {
        let is_call = self
            .toks
            .get(self.pos + 1)
            .is_some_and(|t| t.tok == Tok::LParen);
        if is_call && self.peek().is("count") {
            self.pos += 2;
            let field = if self.peek().tok == Tok::RParen {
                None
            } else {
                Some(self.name()?)
            };
            self.expect(&Tok::RParen)?;
            let alias = match &self.peek().tok {
                Tok::Ident(s)
                    if field.is_some() && !RESERVED.contains(&s.to_ascii_lowercase().as_str()) =>
                {
                    Some(self.next().text())
                }
                _ => None,
            };
            return Ok(SelectItem::Count(field, alias));
        }
        if is_call && self.peek().is("fields") {
            self.pos += 2;
            let which = self.name()?;
            self.expect(&Tok::RParen)?;
            return Ok(SelectItem::Fields(
                which.text.to_ascii_uppercase(),
                which.col,
            ));
        }
        Ok(SelectItem::Field(self.name()?))
    }

    fn order_key(&mut self) -> Result<OrderKey, SoqlError> {
        let field = self.name()?;
        let descending = if self.eat("desc") {
            true
        } else {
            self.eat("asc");
            false
        };
        let mut nulls_first = !descending;
        if self.eat("nulls") {
            nulls_first = if self.eat("first") {
                true
            } else {
                self.keyword("last")?;
                false
            };
        }
        Ok(OrderKey {
            field,
            descending,
            nulls_first,
        })
    }

    fn or(&mut self) -> Result<Cond, SoqlError> {
        let mut parts = vec![self.and()?];
        while self.eat("or") {
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Cond, SoqlError> {
        let mut parts = vec![self.unary()?];
        while self.eat("and") {
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Cond, SoqlError> {
        if self.eat("not") {
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if self.eat_tok(&Tok::LParen) {
            let inner = self.or()?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Cond, SoqlError> {
        let field = self.name()?;
        let negated = self.eat("not");
        if self.eat("like") {
            return match self.next() {
                Token {
                    tok: Tok::Str(s), ..
                } => Ok(Cond::Like(field, negated, s)),
                _ => {
                    self.pos -= 1;
                    Err(self.unexpected())
                }
            };
        }
        if self.eat("in") {
            return Ok(Cond::In(field, negated, self.literal_list()?));
        }
        let includes = self.peek().is("includes");
        if includes || self.peek().is("excludes") {
            self.pos += 1;
            let mut values = Vec::new();
            for (lit, col) in self.literal_list()? {
                match lit {
                    Literal::Str(s) => values.push(s),
                    _ => return Err(SoqlError::malformed("unexpected token".into(), col)),
                }
            }
            return Ok(Cond::Includes(field, includes == negated, values));
        }
        if negated {
            return Err(self.unexpected());
        }
        let op = match self.peek().tok {
            Tok::Op(op) => op,
            _ => return Err(self.unexpected()),
        };
        self.pos += 1;
        let col = self.peek().col;
        Ok(Cond::Compare(field, op, self.literal()?, col))
    }

    fn literal_list(&mut self) -> Result<Vec<(Literal, usize)>, SoqlError> {
        self.expect(&Tok::LParen)?;
        let mut out = Vec::new();
        loop {
            let col = self.peek().col;
            out.push((self.literal()?, col));
            if !self.eat_tok(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        Ok(out)
    }

    fn literal(&mut self) -> Result<Literal, SoqlError> {
        let t = self.next();
        Ok(match t.tok {
            Tok::Str(s) => Literal::Str(s),
            Tok::Num(n) => Literal::Num(n),
            Tok::Date(d) => Literal::Date(d),
            Tok::DateTime(d) => Literal::DateTime(d),
            Tok::Ident(word) => match word.to_ascii_lowercase().as_str() {
                "null" => Literal::Null,
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                _ if self.eat_tok(&Tok::Colon) => {
                    let n = self.count()?;
                    Literal::Relative(word.to_ascii_uppercase(), i64::try_from(n).ok())
                }
                _ => Literal::Relative(word.to_ascii_uppercase(), None),
            },
            _ => {
                self.pos -= 1;
                return Err(self.unexpected());
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_generated_shapes() {
        let q = parse(
            "SELECT Id, Account.Name FROM Contact WHERE (Name LIKE 'A%' OR Email != null) AND NOT Id IN ('003') \
             ORDER BY LastModifiedDate DESC NULLS LAST, Id LIMIT 10 OFFSET 5",
        )
        .unwrap();
        assert_eq!(q.select.len(), 2);
        assert_eq!(q.from.text, "Contact");
        assert!(matches!(q.filter, Some(Cond::And(_))));
        assert!(q.order[0].descending && !q.order[0].nulls_first);
        assert_eq!((q.limit, q.offset), (Some(10), Some(5)));
    }

    #[test]
    fn syntax_errors_name_the_token() {
        let err = parse("SELECT  FROM Invoice__c ").unwrap_err();
        assert_eq!(err.code, "MALFORMED_QUERY");
        assert_eq!(err.text, "unexpected token: 'FROM'");
        assert_eq!(err.col, 9);
        assert!(parse("").is_err());
        assert!(parse("SELECT Id FROM Account LIMIT").is_err());
    }
}
