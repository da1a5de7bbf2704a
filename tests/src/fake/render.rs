//! Records as JSON, written straight from the store in SELECT (or describe) order:
//! `{"attributes": {"type", "url"}, "Field": value, "Relationship": {...} | null}`.
//! Serialising through `serde::Serialize` avoids building intermediate JSON trees, which keeps large
//! query pages cheap.

use super::error::ApiError;
use super::schema::FieldType;
use super::store::{RowRef, Store};
use super::value::Value;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One output column of a record.
#[derive(Clone, Debug)]
pub enum Item {
    /// A field of the record: canonical name and index in the table it was resolved on.
    Field { name: String, idx: usize },
    /// A parent record through a reference field, rendered as a nested record.
    Relation {
        name: String,
        ref_idx: usize,
        /// The table the nested items were resolved on (a polymorphic reference may point elsewhere).
        target: usize,
        items: Vec<Item>,
    },
}

/// Where to find field `idx` (resolved on table `expected`) in a record of table `actual`.
pub fn field_index(store: &Store, expected: usize, actual: usize, idx: usize) -> Option<usize> {
    if expected == actual {
        return Some(idx);
    }
    let name = &store.get(expected).def.fields[idx].name;
    store.get(actual).def.field(name).map(|(i, _)| i)
}

/// How to render records of one table: which items, for which API version, at what time.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub store: &'a Store,
    pub table: usize,
    /// The table `items` were resolved on.
    pub resolved_on: usize,
    pub items: &'a [Item],
    pub version: &'a str,
    pub now: i64,
}

impl<'a> View<'a> {
    /// A view of `table` with items resolved on it.
    pub fn new(
        store: &'a Store,
        table: usize,
        items: &'a [Item],
        version: &'a str,
        now: i64,
    ) -> Self {
        View {
            store,
            table,
            resolved_on: table,
            items,
            version,
            now,
        }
    }

    /// One record of the view.
    pub fn record(self, row: RowRef<'a>) -> RecordJson<'a> {
        RecordJson { view: self, row }
    }
}

/// A record to serialise.
pub struct RecordJson<'a> {
    pub view: View<'a>,
    pub row: RowRef<'a>,
}

/// The `attributes` block.
pub struct Attributes<'a> {
    pub object: &'a str,
    pub url: Option<String>,
}

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", self.object)?;
        if let Some(url) = &self.url {
            map.serialize_entry("url", url)?;
        }
        map.end()
    }
}

/// The REST url of a record.
pub fn record_url(version: &str, object: &str, id: &str) -> String {
    format!("/services/data/v{version}/sobjects/{object}/{id}")
}

impl Serialize for RecordJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.view;
        let store = view.store;
        let def = &store.get(view.table).def;
        let id = self.row.get(store, 0);
        let id = id.as_str().unwrap_or_default();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(
            "attributes",
            &Attributes {
                object: &def.name,
                url: Some(record_url(view.version, &def.name, id)),
            },
        )?;
        for item in view.items {
            match item {
                Item::Field { name, idx } => {
                    let value = field_index(store, view.resolved_on, view.table, *idx)
                        .map(|i| (i, self.row.get(store, i)));
                    match value {
                        Some((i, v))
                            if def.fields[i].kind == FieldType::Base64 && *v != Value::Null =>
                        {
                            let url = format!(
                                "{}/{}",
                                record_url(view.version, &def.name, id),
                                def.fields[i].name
                            );
                            map.serialize_entry(name, &url)?;
                        }
                        Some((_, v)) => map.serialize_entry(name, v.as_ref())?,
                        None => map.serialize_entry(name, &Value::Null)?,
                    }
                }
                Item::Relation {
                    name,
                    ref_idx,
                    target,
                    items,
                } => {
                    let parent = field_index(store, view.resolved_on, view.table, *ref_idx)
                        .map(|i| self.row.get(store, i))
                        .and_then(|v| v.as_str().and_then(|pid| store.record(pid, view.now)));
                    match parent {
                        Some((t, _, row)) => map.serialize_entry(
                            name,
                            &View {
                                table: t,
                                resolved_on: *target,
                                items,
                                ..view
                            }
                            .record(row),
                        )?,
                        None => map.serialize_entry(name, &Value::Null)?,
                    }
                }
            }
        }
        map.end()
    }
}

/// A list of records of one view, by record number (records that vanished are skipped).
pub struct RecordsJson<'a> {
    pub view: View<'a>,
    pub numbers: &'a [u64],
}

impl Serialize for RecordsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let table = self.view.store.get(self.view.table);
        let mut seq = s.serialize_seq(Some(self.numbers.len()))?;
        for &n in self.numbers {
            if let Some(row) = table.row(n, self.view.now) {
                seq.serialize_element(&self.view.record(row))?;
            }
        }
        seq.end()
    }
}

/// Items for every visible field of a table, in describe order.
pub fn all_fields(store: &Store, table: usize) -> Vec<Item> {
    let def = &store.get(table).def;
    def.visible()
        .map(|idx| Item::Field {
            name: def.fields[idx].name.clone(),
            idx,
        })
        .collect()
}

/// Items for a `fields=A,B` parameter.
pub fn named_fields(store: &Store, t: usize, list: &str) -> Result<Vec<Item>, ApiError> {
    let def = &store.get(t).def;
    list.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            def.field(f)
                .map(|(idx, field)| Item::Field { name: field.name.clone(), idx })
                .ok_or_else(|| {
                    ApiError::bad(
                        "INVALID_FIELD",
                        format!(
                            "No such column '{f}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                            def.name
                        ),
                    )
                })
        })
        .collect()
}
