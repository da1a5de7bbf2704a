//! The org's records. Each object is a [`Table`]: `seeded` records numbered `0..seeded` that are
//! computed on demand (see `seed`), plus the records that were created or changed, kept in full.
//! Records are addressed by `(table index, record number)`; ids encode both (see `ids`).

use super::config::FakeConfig;
use super::ids::{self, CREATED_BASE};
use super::schema::{self, Field, FieldType, ObjectDef};
use super::seed::{self, SeedContext};
use super::value::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Fields every object has, at fixed positions (see `schema::AUDIT`).
pub const ID: usize = 0;
pub const IS_DELETED: usize = 1;

const RECENT: usize = 5;

/// A record kept in full.
#[derive(Clone, Debug)]
pub struct Row {
    /// One value per field of the object, in describe order.
    pub values: Vec<Value>,
    /// Epoch ms before which queries and reads do not see the record (late visibility).
    pub visible_at: Option<i64>,
}

/// All records of one object.
#[derive(Debug)]
pub struct Table {
    pub def: ObjectDef,
    pub seeded: u64,
    rows: BTreeMap<u64, Row>,
    next_created: u64,
    recent: VecDeque<u64>,
}

/// A record, seeded or stored.
#[derive(Clone, Copy)]
pub enum RowRef<'a> {
    Seeded(&'a Table, u64),
    Stored(&'a Row),
}

impl<'a> RowRef<'a> {
    /// The value of field `idx`.
    pub fn get(self, store: &Store, idx: usize) -> Cow<'a, Value> {
        match self {
            RowRef::Stored(row) => Cow::Borrowed(&row.values[idx]),
            RowRef::Seeded(table, n) => Cow::Owned(seed::value(&table.def, idx, n, store)),
        }
    }

    /// Whether the record is deleted (in the recycle bin).
    pub fn is_deleted(self) -> bool {
        matches!(self, RowRef::Stored(row) if row.values[IS_DELETED] == Value::Bool(true))
    }

    fn visible(self, now: i64) -> bool {
        match self {
            RowRef::Stored(row) => row.visible_at.is_none_or(|at| at <= now),
            RowRef::Seeded(..) => true,
        }
    }
}

impl Table {
    fn new(def: ObjectDef) -> Table {
        Table {
            def,
            seeded: 0,
            rows: BTreeMap::new(),
            next_created: CREATED_BASE,
            recent: VecDeque::new(),
        }
    }

    /// Record `n`, if it exists and is visible at `now` (deleted records included).
    pub fn row(&self, n: u64, now: i64) -> Option<RowRef<'_>> {
        let row = match self.rows.get(&n) {
            Some(row) => RowRef::Stored(row),
            None if n < self.seeded => RowRef::Seeded(self, n),
            None => return None,
        };
        row.visible(now).then_some(row)
    }

    /// Numbers of all records in id order (visibility not applied).
    pub fn numbers(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.seeded).chain(self.rows.range(self.seeded..).map(|(n, _)| *n))
    }

    /// Recently created, read or changed records, newest first.
    pub fn recent(&self) -> impl Iterator<Item = u64> + '_ {
        self.recent.iter().copied()
    }

    /// Remembers `n` as recently used.
    pub fn touch(&mut self, n: u64) {
        self.recent.retain(|&m| m != n);
        self.recent.push_front(n);
        self.recent.truncate(RECENT);
    }
}

/// All objects of the org.
#[derive(Debug)]
pub struct Store {
    tables: Vec<Table>,
    by_lower: HashMap<String, usize>,
    by_prefix: HashMap<String, usize>,
    /// Extra fields from configuration, by lower-case object name.
    extra_fields: HashMap<String, Vec<Field>>,
    default_user: String,
    next_custom_prefix: u32,
}

impl SeedContext for Store {
    fn default_user_id(&self) -> &str {
        &self.default_user
    }

    fn seeded(&self, object: &str) -> Option<(&str, u64)> {
        let t = &self.tables[*self.by_lower.get(&object.to_ascii_lowercase())?];
        Some((&t.def.key_prefix, t.seeded))
    }
}

/// Default seed counts for offline dry runs.
const DEFAULT_SEED: &[(&str, u64)] = &[
    ("Account", 5),
    ("Contact", 6),
    ("Lead", 4),
    ("Opportunity", 3),
    ("Case", 3),
    ("Task", 3),
    ("User", 2),
    ("Campaign", 2),
];

impl Store {
    /// A store for `config`: schema, configured users, and seeds.
    pub fn new(config: &FakeConfig, now: i64) -> Result<Store, String> {
        let mut store = Store {
            tables: Vec::new(),
            by_lower: HashMap::new(),
            by_prefix: HashMap::new(),
            extra_fields: HashMap::new(),
            default_user: ids::make("005", CREATED_BASE),
            next_custom_prefix: 0,
        };
        for def in schema::standard_objects() {
            store.add_table(def);
        }
        for spec in &config.custom_fields {
            let (object, field) = spec
                .split_once('.')
                .ok_or_else(|| format!("custom field '{spec}' is not Object.Field;type"))?;
            let field = Field::parse(field)?;
            store
                .extra_fields
                .entry(object.to_ascii_lowercase())
                .or_default()
                .push(field.clone());
            if let Some(t) = store.ensure_object(object) {
                store.tables[t].def.add_field(field);
            }
        }
        for spec in &config.hidden_fields {
            store.set_hidden(spec, true)?;
        }
        let users = store.table("User").ok_or("no User object")?;
        for user in &config.users {
            let values = [
                ("Username", &user.username),
                ("FirstName", &user.first_name),
                ("LastName", &user.last_name),
                ("Email", &user.email),
                ("Alias", &user.first_name),
            ]
            .iter()
            .filter_map(|(name, text)| {
                let (i, _) = store.tables[users].def.field(name)?;
                Some((i, Value::Str((*text).clone())))
            })
            .chain(
                store.tables[users]
                    .def
                    .field("IsActive")
                    .map(|(i, _)| (i, Value::Bool(user.active))),
            )
            .collect();
            store.insert(users, values, now);
        }
        let defaults = if config.default_seed {
            DEFAULT_SEED
        } else {
            &[]
        };
        for (object, count) in defaults
            .iter()
            .map(|(o, c)| (o.to_string(), *c))
            .chain(config.seeds.clone())
        {
            let t = store
                .ensure_object(&object)
                .ok_or_else(|| format!("cannot seed unknown object '{object}'"))?;
            store.tables[t].seeded = count;
        }
        Ok(store)
    }

    fn add_table(&mut self, def: ObjectDef) -> usize {
        let i = self.tables.len();
        self.by_lower.insert(def.name.to_ascii_lowercase(), i);
        self.by_prefix.insert(def.key_prefix.clone(), i);
        self.tables.push(Table::new(def));
        i
    }

    /// An existing object by case-insensitive name.
    pub fn table(&self, name: &str) -> Option<usize> {
        self.by_lower.get(&name.to_ascii_lowercase()).copied()
    }

    /// An object by name, creating a generic custom object for unknown `X__c` names.
    pub fn ensure_object(&mut self, name: &str) -> Option<usize> {
        if let Some(t) = self.table(name) {
            return Some(t);
        }
        if !schema::is_custom_name(name) {
            return None;
        }
        const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let k = self.next_custom_prefix as usize;
        self.next_custom_prefix += 1;
        let prefix = format!(
            "a{}{}",
            DIGITS[(k / 36) % 36] as char,
            DIGITS[k % 36] as char
        );
        let mut def = schema::custom_object(name, &prefix);
        for field in self
            .extra_fields
            .get(&name.to_ascii_lowercase())
            .into_iter()
            .flatten()
        {
            def.add_field(field.clone());
        }
        Some(self.add_table(def))
    }

    /// Hides (or shows) `Object.Field` through field-level security.
    pub fn set_hidden(&mut self, spec: &str, hidden: bool) -> Result<(), String> {
        let (object, field) = spec
            .split_once('.')
            .ok_or_else(|| format!("'{spec}' is not Object.Field"))?;
        let t = self
            .ensure_object(object)
            .ok_or_else(|| format!("unknown object '{object}'"))?;
        let def = &mut self.tables[t].def;
        let i = def
            .system(field)
            .filter(|&i| i != ID)
            .ok_or_else(|| format!("unknown field '{spec}'"))?;
        def.hidden[i] = hidden;
        Ok(())
    }

    pub fn get(&self, t: usize) -> &Table {
        &self.tables[t]
    }

    pub fn get_mut(&mut self, t: usize) -> &mut Table {
        &mut self.tables[t]
    }

    /// All tables, in a stable order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Sets the number of seeded records of an object.
    pub fn seed(&mut self, object: &str, count: u64) -> Option<usize> {
        let t = self.ensure_object(object)?;
        self.tables[t].seeded = count;
        Some(t)
    }

    /// The table and number of a record id (15 or 18 characters); `None` for ids of no record.
    pub fn locate(&self, id: &str) -> Option<(usize, u64)> {
        let id = ids::normalize(id)?;
        let (prefix, n) = ids::parse(&id)?;
        let t = *self.by_prefix.get(prefix)?;
        let table = &self.tables[t];
        (n < table.seeded || table.rows.contains_key(&n)).then_some((t, n))
    }

    /// A record by id, if visible at `now` (deleted ones included).
    pub fn record(&self, id: &str, now: i64) -> Option<(usize, u64, RowRef<'_>)> {
        let (t, n) = self.locate(id)?;
        Some((t, n, self.tables[t].row(n, now)?))
    }

    /// Creates a record from `(field index, value)` pairs and returns its number.
    pub fn insert(&mut self, t: usize, values: Vec<(usize, Value)>, now: i64) -> u64 {
        let now = now - now.rem_euclid(1000);
        let user = self.default_user.clone();
        let table = &mut self.tables[t];
        let n = table.next_created;
        table.next_created += 1;
        let def = &table.def;
        let mut row: Vec<Value> = def
            .fields
            .iter()
            .map(|f| initial_value(f, &user, now))
            .collect();
        row[ID] = Value::Str(ids::make(&def.key_prefix, n));
        if let Some(i) = def.system("CaseNumber") {
            row[i] = Value::Str(format!("{:08}", n - CREATED_BASE + 1001));
        }
        for (i, v) in values {
            row[i] = v;
        }
        derive(def, &mut row);
        table.rows.insert(
            n,
            Row {
                values: row,
                visible_at: None,
            },
        );
        table.touch(n);
        n
    }

    /// Makes record `n` a stored one (copying a seeded record's values) and returns it.
    pub fn materialize(&mut self, t: usize, n: u64) -> Option<&mut Row> {
        let table = &self.tables[t];
        if !table.rows.contains_key(&n) {
            if n >= table.seeded {
                return None;
            }
            let values = (0..table.def.fields.len())
                .map(|i| seed::value(&table.def, i, n, self))
                .collect();
            self.tables[t].rows.insert(
                n,
                Row {
                    values,
                    visible_at: None,
                },
            );
        }
        self.tables[t].rows.get_mut(&n)
    }

    /// Applies a user's change to record `n`: values, then LastModifiedDate and SystemModstamp.
    pub fn update(&mut self, t: usize, n: u64, values: Vec<(usize, Value)>, now: i64) {
        let now = now - now.rem_euclid(1000);
        let Some(row) = self.materialize(t, n) else {
            return;
        };
        for (i, v) in values {
            row.values[i] = v;
        }
        let mut values = std::mem::take(&mut row.values);
        let table = &mut self.tables[t];
        derive(&table.def, &mut values);
        for name in ["LastModifiedDate", "SystemModstamp"] {
            if let Some(i) = table.def.system(name) {
                values[i] = Value::DateTime(now);
            }
        }
        if let Some(row) = table.rows.get_mut(&n) {
            row.values = values;
        }
        table.touch(n);
    }

    /// Moves record `n` to the recycle bin (queryAll still sees it).
    pub fn delete(&mut self, t: usize, n: u64, now: i64) {
        let stamp = self.tables[t].def.system("SystemModstamp");
        if let Some(row) = self.materialize(t, n) {
            row.values[IS_DELETED] = Value::Bool(true);
            if let Some(i) = stamp {
                row.values[i] = Value::DateTime(now - now.rem_euclid(1000));
            }
        }
        self.tables[t].recent.retain(|&m| m != n);
    }

    /// Numbers of live records whose field `idx` equals `value` (case-insensitively for text).
    pub fn find(&self, t: usize, idx: usize, value: &Value, now: i64) -> Vec<u64> {
        let table = &self.tables[t];
        table
            .numbers()
            .filter_map(|n| table.row(n, now).map(|r| (n, r)))
            .filter(|(_, r)| !r.is_deleted())
            .filter(|(_, r)| r.get(self, idx).compare(value) == Some(std::cmp::Ordering::Equal))
            .map(|(n, _)| n)
            .collect()
    }
}

fn initial_value(field: &Field, user: &str, now: i64) -> Value {
    match field.name.as_str() {
        "IsDeleted" => Value::Bool(false),
        "OwnerId" | "CreatedById" | "LastModifiedById" => Value::Str(user.to_string()),
        "CreatedDate" | "LastModifiedDate" | "SystemModstamp" => Value::DateTime(now),
        "Status" | "Priority" | "ContentLocation" => field
            .picklist
            .first()
            .map_or(Value::Null, |v| Value::Str(v.clone())),
        "IsActive" => Value::Bool(true),
        _ if field.kind == FieldType::Boolean => Value::Bool(false),
        _ => Value::Null,
    }
}

/// Recomputes derived fields: a person's `Name` from `FirstName` and `LastName`.
fn derive(def: &ObjectDef, row: &mut [Value]) {
    let (Some(name), Some(first), Some(last)) = (
        def.system("Name"),
        def.system("FirstName"),
        def.system("LastName"),
    ) else {
        return;
    };
    let full: Vec<&str> = [&row[first], &row[last]]
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    row[name] = Value::Str(full.join(" "));
}
