//! Test controls shared by the Rust handle and the admin HTTP API: seeding, timestamps and late
//! visibility of records, field-level security, token revocation and expiry, moving the instance,
//! the clock, log resets.

use super::clock;
use super::faults::FaultRule;
use super::state::Fake;
use super::value::Value;
use serde::Deserialize;

/// Changes to a record's system timestamps and visibility. Times are epoch milliseconds.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordChange {
    #[serde(default, rename = "CreatedDate", deserialize_with = "time_opt")]
    pub created_date: Option<i64>,
    #[serde(default, rename = "LastModifiedDate", deserialize_with = "time_opt")]
    pub last_modified_date: Option<i64>,
    #[serde(default, rename = "SystemModstamp", deserialize_with = "time_opt")]
    pub system_modstamp: Option<i64>,
    /// Set SystemModstamp to now, as a system process would (LastModifiedDate unchanged).
    #[serde(default)]
    pub bump_system_modstamp: bool,
    /// Hide the record from queries and reads until this time.
    #[serde(default, deserialize_with = "time_opt")]
    pub visible_at: Option<i64>,
}

/// Accepts epoch milliseconds or a dateTime string.
fn time_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("time must be an integer of epoch ms")),
        serde_json::Value::String(s) => clock::parse_datetime(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("bad dateTime '{s}'"))),
        _ => Err(serde::de::Error::custom(
            "time must be epoch ms or a dateTime string",
        )),
    }
}

impl Fake {
    /// Sets the number of seeded records of an object.
    pub fn seed(&self, object: &str, count: u64) -> Result<(), String> {
        self.store
            .write()
            .seed(object, count)
            .map(|_| ())
            .ok_or_else(|| format!("unknown object '{object}'"))
    }

    /// Applies a [`RecordChange`] to the record with `id`.
    pub fn change_record(&self, id: &str, change: &RecordChange) -> Result<(), String> {
        let now = self.now();
        let mut store = self.store.write();
        let (t, n) = store
            .locate(id)
            .ok_or_else(|| format!("no record '{id}'"))?;
        let def = &store.get(t).def;
        let stamps: Vec<(usize, i64)> = [
            ("CreatedDate", change.created_date),
            ("LastModifiedDate", change.last_modified_date),
            (
                "SystemModstamp",
                change
                    .system_modstamp
                    .or(change.bump_system_modstamp.then_some(now)),
            ),
        ]
        .into_iter()
        .filter_map(|(name, at)| Some((def.system(name)?, at?)))
        .collect();
        let row = store
            .materialize(t, n)
            .ok_or_else(|| format!("no record '{id}'"))?;
        for (i, at) in stamps {
            row.values[i] = Value::DateTime(at - at.rem_euclid(1000));
        }
        if change.visible_at.is_some() {
            row.visible_at = change.visible_at;
        }
        Ok(())
    }

    /// Hides or shows `Object.Field` (field-level security).
    pub fn set_field_hidden(&self, field: &str, hidden: bool) -> Result<(), String> {
        self.store.write().set_hidden(field, hidden)
    }

    /// Revokes every access token (REST then answers 401 `INVALID_SESSION_ID`).
    pub fn revoke_access_tokens(&self) {
        self.tokens.lock().revoke_all_access();
    }

    /// Revokes one access or refresh token (a refresh token takes its sessions along).
    pub fn revoke_token(&self, token: &str) -> bool {
        self.tokens.lock().revoke(token)
    }

    /// Expires every current session now.
    pub fn expire_all_sessions(&self) {
        self.tokens.lock().expire_all(self.now());
    }

    /// Makes token responses from now on name `url` as the org's instance, as Salesforce does
    /// when an org moves. REST answers on the instance listener whatever the host name, so an
    /// alias of it (`http://localhost:PORT`) is a working new instance.
    pub fn move_instance(&self, url: &str) {
        *self.moved_instance_url.lock() = Some(url.to_owned());
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: FaultRule) {
        self.faults.lock().add(rule);
    }

    /// Clears the request log and the counters.
    pub fn reset_log(&self) {
        self.log.lock().clear();
        *self.counters.lock() = Default::default();
    }
}
