//! Deterministic seeded records. A seeded record is never stored: each field is computed from the
//! object, the field and the record's number, so a million seeded Accounts cost no memory until a
//! client changes one of them (then the store keeps that record in full).

use super::clock::DAY_MS;
use super::ids;
use super::schema::{Field, FieldType, ObjectDef};
use super::value::Value;

/// When seeded record 0 was created; record `n` was created `n` minutes later.
pub const SEED_EPOCH_MS: i64 = 1_704_067_200_000; // 2024-01-01T00:00:00Z
/// How long after its creation a seeded record was last modified.
const MODIFIED_AFTER_MS: i64 = 3_600_000;

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dev", "Emma", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kira", "Luis",
    "Mara", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
];
const LAST: &[&str] = &[
    "Lovelace", "Okafor", "Martin", "Patel", "Schmidt", "Adeyemi", "Hopper", "Tanaka", "Silva",
    "Berg", "Novak", "Garcia", "Khan", "Larsen", "Ivanova", "Rao", "Byrne", "Costa", "Lee", "Aziz",
];
const CITIES: &[&str] = &[
    "San Francisco",
    "London",
    "Berlin",
    "Tokyo",
    "Lagos",
    "Denver",
];

/// What seeded values need to know about the rest of the org.
pub trait SeedContext {
    /// Id of the user who owns, created and modified seeded records.
    fn default_user_id(&self) -> &str;
    /// Key prefix and seeded count of an object, by canonical name.
    fn seeded(&self, object: &str) -> Option<(&str, u64)>;
}

/// Creation time of seeded record `n`.
pub fn created_ms(n: u64) -> i64 {
    SEED_EPOCH_MS + (n as i64).saturating_mul(60_000)
}

fn mix(n: u64, salt: &str) -> u64 {
    // splitmix64 over the record number and the field name.
    let mut z = salt.bytes().fold(n ^ 0x9E37_79B9_7F4A_7C15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<'a>(list: &[&'a str], n: u64, salt: &str) -> &'a str {
    list[(mix(n, salt) % list.len() as u64) as usize]
}

fn person(n: u64) -> (&'static str, &'static str) {
    (pick(FIRST, n, "first"), pick(LAST, n, "last"))
}

/// The value of field `idx` of seeded record `n` of `def`.
pub fn value(def: &ObjectDef, idx: usize, n: u64, ctx: &dyn SeedContext) -> Value {
    let field = &def.fields[idx];
    let created = created_ms(n);
    let (first, last) = person(n);
    let seq = n + 1;
    match field.name.as_str() {
        "Id" => return Value::Str(ids::make(&def.key_prefix, n)),
        "IsDeleted" => return Value::Bool(false),
        "OwnerId" | "CreatedById" | "LastModifiedById" => {
            return Value::Str(ctx.default_user_id().to_string());
        }
        "CreatedDate" => return Value::DateTime(created),
        "LastModifiedDate" | "SystemModstamp" => {
            return Value::DateTime(created + MODIFIED_AFTER_MS);
        }
        "FirstName" => return Value::Str(first.into()),
        "LastName" => return Value::Str(last.into()),
        "Name" if def.field("FirstName").is_some() => return Value::Str(format!("{first} {last}")),
        "Name" => return Value::Str(format!("{} {seq:06}", def.label)),
        "Company" => return Value::Str(format!("{last} Holdings {seq}")),
        "CaseNumber" => return Value::Str(format!("{seq:08}")),
        "Username" => return Value::Str(format!("user{seq}@seed.example.com")),
        "Alias" => return Value::Str(format!("u{seq}")),
        "IsActive" => return Value::Bool(true),
        "External_Id__c" => return Value::Str(format!("{}-{seq:06}", def.key_prefix)),
        "ParentId" if field.reference_to.first().is_some_and(|t| *t == def.name) => {
            return Value::Null;
        }
        _ => {}
    }
    generic(def, field, n, ctx, (first, last))
}

fn generic(
    def: &ObjectDef,
    field: &Field,
    n: u64,
    ctx: &dyn SeedContext,
    (first, last): (&str, &str),
) -> Value {
    let h = mix(n, &field.name);
    match field.kind {
        FieldType::Id => Value::Str(ids::make(&def.key_prefix, n)),
        FieldType::Boolean => Value::Bool(field.createable && h.is_multiple_of(3)),
        FieldType::Int => Value::Int((h % 10_000) as i64),
        FieldType::Double | FieldType::Currency => Value::Num((h % 10_000_000) as f64 / 100.0),
        FieldType::Percent => Value::Num((h % 11 * 10) as f64),
        FieldType::Date => Value::Date(created_ms(n).div_euclid(DAY_MS) + (h % 365) as i64),
        FieldType::DateTime => Value::DateTime(created_ms(n)),
        FieldType::Picklist | FieldType::MultiPicklist => field
            .picklist
            .get((h % field.picklist.len().max(1) as u64) as usize)
            .map_or(Value::Null, |v| Value::Str(v.clone())),
        FieldType::Reference => field
            .reference_to
            .iter()
            .find_map(|target| ctx.seeded(target).filter(|(_, count)| *count > 0))
            .map_or(Value::Null, |(prefix, count)| {
                Value::Str(ids::make(prefix, n % count))
            }),
        FieldType::Email => Value::Str(format!(
            "{}.{}{n}@example.com",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase()
        )),
        FieldType::Phone => Value::Str(format!("+1 415 555 {:04}", h % 10_000)),
        FieldType::Url => Value::Str(format!("https://www.example{n}.com")),
        FieldType::Base64 => Value::Null,
        FieldType::TextArea if h.is_multiple_of(2) => Value::Null,
        FieldType::TextArea => Value::Str(format!("{} {} record {n}.", def.label, field.label)),
        FieldType::String if field.label.contains("City") => {
            Value::Str(pick(CITIES, n, "city").into())
        }
        FieldType::String => Value::Str(format!("{} {}", field.label, n + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::schema::standard_objects;

    struct Ctx;
    impl SeedContext for Ctx {
        fn default_user_id(&self) -> &str {
            "005Fk0000000000AAA"
        }
        fn seeded(&self, object: &str) -> Option<(&str, u64)> {
            (object == "Account").then_some(("001", 10))
        }
    }

    #[test]
    fn seeded_values_are_deterministic() {
        let objects = standard_objects();
        let contact = objects.iter().find(|o| o.name == "Contact").unwrap();
        let (account, _) = contact.field("AccountId").unwrap();
        let a = value(contact, account, 13, &Ctx);
        assert_eq!(a, value(contact, account, 13, &Ctx));
        assert_eq!(a, Value::Str(ids::make("001", 3)));
        assert_eq!(
            crate::fake::clock::format_datetime(created_ms(0)),
            "2024-01-01T00:00:00.000+0000"
        );
    }
}
