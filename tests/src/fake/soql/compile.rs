//! Resolves a parsed query against the schema: object and field names (case-insensitive, dotted
//! relationship paths), literal types checked as Salesforce checks them, relative dates turned into
//! ranges. The result is a [`Plan`] that `eval` runs.

use super::SoqlError;
use super::dates;
use super::parser::{Cond, Literal, Name, Query, SelectItem};
use crate::fake::clock::{self, DAY_MS};
use crate::fake::ids;
use crate::fake::render::Item;
use crate::fake::schema::{Field, FieldType};
use crate::fake::store::Store;
use crate::fake::value::Value;

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A resolved field path: reference hops, then a leaf field.
#[derive(Clone, Debug)]
pub struct Path {
    /// `(reference field index, table it was resolved on, target table)` per hop.
    pub hops: Vec<(usize, usize, usize)>,
    /// Leaf field index and the table it was resolved on.
    pub leaf: (usize, usize),
    pub kind: FieldType,
}

/// A resolved WHERE condition.
#[derive(Clone, Debug)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    IsNull(Path, bool),
    Compare(Path, Op, Value),
    /// A relative date literal: the value's position against `[start, end)`.
    Range(Path, Op, Value, Value),
    In(Path, bool, Vec<Value>),
    Like(Path, bool, Vec<char>),
    /// INCLUDES (true) / EXCLUDES (false) on a multi-select picklist.
    Includes(Path, bool, Vec<String>),
}

/// What a query returns.
#[derive(Clone, Debug)]
pub enum Shape {
    Records(Vec<Item>),
    /// `SELECT COUNT() ...`: only `totalSize`.
    Count,
    /// `SELECT COUNT(field) [alias] ...`: one AggregateResult.
    CountField(String),
}

/// A query ready to run.
#[derive(Clone, Debug)]
pub struct Plan {
    pub table: usize,
    pub shape: Shape,
    pub filter: Option<Filter>,
    pub order: Vec<(Path, bool, bool)>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Resolves `query` (whose object must exist in `store`) at time `now`.
pub fn compile(store: &Store, query: &Query, now: i64) -> Result<Plan, SoqlError> {
    let table = store
        .table(&query.from.text)
        .ok_or_else(|| unknown_object(&query.from))?;
    let c = Compiler { store, table, now };
    let shape = c.shape(query)?;
    let filter = query.filter.as_ref().map(|f| c.filter(f)).transpose()?;
    let order = query
        .order
        .iter()
        .map(|k| Ok((c.path(&k.field)?, k.descending, k.nulls_first)))
        .collect::<Result<_, SoqlError>>()?;
    if let Some(offset) = query.offset.filter(|&o| o > 2000) {
        return Err(SoqlError::new(
            "NUMBER_OUTSIDE_VALID_RANGE",
            format!("Maximum SOQL offset allowed is 2000 (got {offset})"),
            1,
        ));
    }
    Ok(Plan {
        table,
        shape,
        filter,
        order,
        limit: query.limit,
        offset: query.offset.unwrap_or(0),
    })
}

/// The INVALID_TYPE error for an unknown object.
pub fn unknown_object(name: &Name) -> SoqlError {
    SoqlError::new(
        "INVALID_TYPE",
        format!(
            "sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            name.text
        ),
        name.col,
    )
}

struct Compiler<'a> {
    store: &'a Store,
    table: usize,
    now: i64,
}

impl Compiler<'_> {
    fn shape(&self, query: &Query) -> Result<Shape, SoqlError> {
        if let [SelectItem::Count(field, alias)] = query.select.as_slice() {
            return Ok(match field {
                None => Shape::Count,
                Some(name) => {
                    self.path(name)?;
                    Shape::CountField(alias.clone().unwrap_or_else(|| "expr0".into()))
                }
            });
        }
        let mut items: Vec<Item> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for item in &query.select {
            let names: Vec<Name> = match item {
                SelectItem::Field(name) => vec![name.clone()],
                SelectItem::Count(_, _) => {
                    return Err(SoqlError::malformed(
                        "Field must be grouped or aggregated: COUNT".into(),
                        query.from.col,
                    ));
                }
                SelectItem::Fields(which, col) => self.fields_macro(which, *col, query.limit)?,
            };
            for name in names {
                let key = name.text.to_ascii_lowercase();
                if seen.contains(&key) {
                    return Err(SoqlError::malformed(
                        format!("duplicate field selected: {}", name.text),
                        name.col,
                    ));
                }
                seen.push(key);
                let path = self.path(&name)?;
                insert_item(self.store, &mut items, &path);
            }
        }
        Ok(Shape::Records(items))
    }

    fn fields_macro(
        &self,
        which: &str,
        col: usize,
        limit: Option<u64>,
    ) -> Result<Vec<Name>, SoqlError> {
        if which != "STANDARD" && limit.is_none_or(|l| l > 200) {
            return Err(SoqlError::malformed(
                "The SOQL FIELDS function must have a LIMIT of at most 200".into(),
                col,
            ));
        }
        let def = &self.store.get(self.table).def;
        Ok(def
            .visible()
            .map(|i| &def.fields[i])
            .filter(|f| match which {
                "CUSTOM" => f.custom,
                "STANDARD" => !f.custom,
                _ => true,
            })
            .map(|f| Name {
                text: f.name.clone(),
                col,
            })
            .collect())
    }

    /// Resolves `Account.Owner.Name` style paths; a leading object name (`Account.Name` on Account)
    /// is allowed.
    fn path(&self, name: &Name) -> Result<Path, SoqlError> {
        let mut parts: Vec<&str> = name.text.split('.').collect();
        let own = &self.store.get(self.table).def;
        if parts.len() > 1
            && parts[0].eq_ignore_ascii_case(&own.name)
            && own.relationship(parts[0]).is_none()
        {
            parts.remove(0);
        }
        let mut table = self.table;
        let mut hops = Vec::new();
        let (leaf, rels) = parts
            .split_last()
            .ok_or_else(|| SoqlError::malformed("unexpected token".into(), name.col))?;
        for rel in rels {
            let def = &self.store.get(table).def;
            let (idx, field) = def.relationship(rel).ok_or_else(|| {
                SoqlError::new(
                    "INVALID_FIELD",
                    format!(
                        "Didn't understand relationship '{rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
                    ),
                    name.col,
                )
            })?;
            let target = field
                .reference_to
                .iter()
                .find_map(|t| self.store.table(t))
                .ok_or_else(|| {
                    SoqlError::new(
                        "INVALID_FIELD",
                        format!("No such relation '{rel}'"),
                        name.col,
                    )
                })?;
            hops.push((idx, table, target));
            table = target;
        }
        let def = &self.store.get(table).def;
        let (idx, field) = def.field(leaf).ok_or_else(|| {
            SoqlError::new(
                "INVALID_FIELD",
                format!(
                    "No such column '{leaf}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                    def.name
                ),
                name.col,
            )
        })?;
        Ok(Path {
            hops,
            leaf: (idx, table),
            kind: field.kind,
        })
    }

    fn leaf_field(&self, path: &Path) -> &Field {
        &self.store.get(path.leaf.1).def.fields[path.leaf.0]
    }

    fn filter(&self, cond: &Cond) -> Result<Filter, SoqlError> {
        Ok(match cond {
            Cond::And(parts) => Filter::And(
                parts
                    .iter()
                    .map(|p| self.filter(p))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Or(parts) => Filter::Or(
                parts
                    .iter()
                    .map(|p| self.filter(p))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(inner) => Filter::Not(Box::new(self.filter(inner)?)),
            Cond::Compare(name, op, lit, col) => {
                let path = self.filterable(name)?;
                let op = match *op {
                    "=" => Op::Eq,
                    "!=" | "<>" => Op::Ne,
                    "<" => Op::Lt,
                    "<=" => Op::Le,
                    ">" => Op::Gt,
                    _ => Op::Ge,
                };
                match lit {
                    Literal::Null if matches!(op, Op::Eq | Op::Ne) => {
                        Filter::IsNull(path, op == Op::Eq)
                    }
                    Literal::Relative(word, n) => {
                        let (start, end) = self.relative(&path, word, *n, *col)?;
                        Filter::Range(path, op, start, end)
                    }
                    _ => {
                        let value = self.typed(&path, lit, *col)?;
                        Filter::Compare(path, op, value)
                    }
                }
            }
            Cond::Like(name, negated, pattern) => {
                let path = self.filterable(name)?;
                if !path.kind.is_text() {
                    return Err(SoqlError::new(
                        "INVALID_FIELD",
                        format!(
                            "Invalid operator on {} field",
                            self.leaf_field(&path).kind.name()
                        ),
                        name.col,
                    ));
                }
                Filter::Like(path, *negated, pattern.to_lowercase().chars().collect())
            }
            Cond::In(name, negated, list) => {
                let path = self.filterable(name)?;
                let values = list
                    .iter()
                    .map(|(lit, col)| self.typed(&path, lit, *col))
                    .collect::<Result<_, _>>()?;
                Filter::In(path, *negated, values)
            }
            Cond::Includes(name, includes, values) => {
                let path = self.filterable(name)?;
                if path.kind != FieldType::MultiPicklist {
                    return Err(SoqlError::new(
                        "INVALID_FIELD",
                        "includes or excludes operator only valid on multipicklist field".into(),
                        name.col,
                    ));
                }
                Filter::Includes(
                    path,
                    *includes,
                    values.iter().map(|v| v.to_lowercase()).collect(),
                )
            }
        })
    }

    fn filterable(&self, name: &Name) -> Result<Path, SoqlError> {
        let path = self.path(name)?;
        let field = self.leaf_field(&path);
        if !field.filterable() {
            return Err(SoqlError::new(
                "INVALID_FIELD",
                format!("field '{}' can not be filtered in a query call", field.name),
                name.col,
            ));
        }
        Ok(path)
    }

    fn relative(
        &self,
        path: &Path,
        word: &str,
        n: Option<i64>,
        col: usize,
    ) -> Result<(Value, Value), SoqlError> {
        let today = self.now.div_euclid(DAY_MS);
        let (start, end) = dates::range(word, n, today)
            .ok_or_else(|| SoqlError::malformed(format!("unexpected token: '{word}'"), col))?;
        match path.kind {
            FieldType::Date => Ok((Value::Date(start), Value::Date(end))),
            FieldType::DateTime => Ok((
                Value::DateTime(start * DAY_MS),
                Value::DateTime(end * DAY_MS),
            )),
            _ => Err(self.type_error(path, col, false)),
        }
    }

    /// Checks a literal against the field type and converts it.
    fn typed(&self, path: &Path, lit: &Literal, col: usize) -> Result<Value, SoqlError> {
        let kind = path.kind;
        let quoted = matches!(lit, Literal::Str(_));
        let value = match (lit, kind) {
            (Literal::Null, _) => Some(Value::Null),
            (Literal::Str(s), FieldType::Id | FieldType::Reference) => {
                if s.is_empty() {
                    Some(Value::Str(String::new()))
                } else {
                    let id = ids::normalize(s).ok_or_else(|| {
                        SoqlError::new(
                            "INVALID_QUERY_FILTER_OPERATOR",
                            format!("invalid ID field: {s}"),
                            col,
                        )
                    })?;
                    Some(Value::Str(id))
                }
            }
            (Literal::Str(s), k) if k.is_text() => Some(Value::Str(s.clone())),
            (Literal::Num(n), FieldType::Int) => n.parse::<i64>().ok().map(Value::Int),
            (Literal::Num(n), k) if k.is_number() => n.parse::<f64>().ok().map(Value::Num),
            (Literal::Bool(b), FieldType::Boolean) => Some(Value::Bool(*b)),
            (Literal::Date(d), FieldType::Date) => clock::parse_date(d).map(Value::Date),
            (Literal::DateTime(d), FieldType::DateTime) => Some(Value::DateTime(
                clock::parse_datetime(d).ok_or_else(|| {
                    SoqlError::malformed(
                        format!("line 1:{col} no viable alternative at character ' '"),
                        col,
                    )
                })?,
            )),
            _ => None,
        };
        value.ok_or_else(|| self.type_error(path, col, quoted))
    }

    fn type_error(&self, path: &Path, col: usize, quoted: bool) -> SoqlError {
        let field = self.leaf_field(path);
        let word = match field.kind {
            FieldType::Int => "int",
            FieldType::Double | FieldType::Currency | FieldType::Percent => "double",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::DateTime => "dateTime",
            FieldType::Id | FieldType::Reference => "id",
            _ => "string",
        };
        let hint = if field.kind.is_text() {
            " and should be enclosed in quotes"
        } else if quoted {
            " and should not be enclosed in quotes"
        } else {
            ""
        };
        SoqlError::new(
            "INVALID_FIELD",
            format!(
                "value of filter criterion for field '{}' must be of type {word}{hint}",
                field.name
            ),
            col,
        )
    }
}

/// Adds a selected path to the render tree, merging relationships that share a prefix.
fn insert_item(store: &Store, items: &mut Vec<Item>, path: &Path) {
    let mut level = items;
    for &(ref_idx, on, target) in &path.hops {
        let rel = store.get(on).def.fields[ref_idx]
            .relationship_name
            .clone()
            .unwrap_or_default();
        let pos = level
            .iter()
            .position(|i| matches!(i, Item::Relation { name, .. } if *name == rel))
            .unwrap_or_else(|| {
                level.push(Item::Relation {
                    name: rel,
                    ref_idx,
                    target,
                    items: Vec::new(),
                });
                level.len() - 1
            });
        let Item::Relation { items, .. } = &mut level[pos] else {
            return;
        };
        level = items;
    }
    let (idx, on) = path.leaf;
    level.push(Item::Field {
        name: store.get(on).def.fields[idx].name.clone(),
        idx,
    });
}
