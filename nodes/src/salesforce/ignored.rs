//! Collection keys that send nothing (n8n-compat §7 W1): a key the operation has no Salesforce
//! field for (a typo, opportunity `phone`, a create-only key in `updateFields`) or a custom-field
//! entry without a field name. n8n drops them silently; weft drops them too, so the output is the
//! same, but warns on stderr, once per key and node run.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

/// The keys one node run has already warned about.
#[derive(Default)]
pub struct IgnoredKeys {
    reported: Mutex<BTreeSet<String>>,
}

impl IgnoredKeys {
    /// Warns about each key of `collection` in `keys` not reported before in this run.
    pub fn report(&self, node: &str, collection: &str, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        let mut reported = self.reported.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys {
            let path = format!("{collection}.{key}");
            if reported.insert(path.clone()) {
                tracing::warn!(
                    "node \"{node}\": {path} sends nothing to Salesforce and is ignored, as n8n ignores it (hint: {})",
                    hint(&key)
                );
            }
        }
    }
}

fn hint(key: &str) -> &'static str {
    if key.starts_with("customFieldsUi") {
        "give the custom field entry a Field Name or ID (fieldId)"
    } else {
        "this operation has no Salesforce field for the key; compare it with the options in schemas/nodes/n8n-nodes-base.salesforce@<typeVersion>.schema.json, and put other fields under customFieldsUi"
    }
}
