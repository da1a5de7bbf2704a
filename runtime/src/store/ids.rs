//! Credential ids: n8n's are kept as they are, new ones are generated like n8n's.
//!
//! An id is 1 to 64 ASCII letters, digits, '-' or '_'. That covers n8n's 16-character ids
//! (`sfGoldenJwt00001`), older numeric ones and UUIDs, and keeps ':' out, which the associated
//! data of the cipher relies on.

use rand::Rng;
use rand::distr::Alphanumeric;

use super::error::StoreError;

const GENERATED_LEN: usize = 16;
const MAX_LEN: usize = 64;

/// `id` if given and valid, else a new random one.
pub(crate) fn id_or_new(id: Option<String>) -> Result<String, StoreError> {
    match id {
        Some(id) if is_valid(&id) => Ok(id),
        Some(id) => Err(StoreError::InvalidId { id }),
        None => Ok(generate()),
    }
}

fn is_valid(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new 16-character alphanumeric id, as n8n makes them.
fn generate() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(GENERATED_LEN)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_n8n_ids_and_refuses_others() {
        for id in [
            "sfGoldenJwt00001",
            "42",
            "0b6c3a1e-5f1d-4c2e-9a7b-1f2e3d4c5b6a",
        ] {
            assert_eq!(id_or_new(Some(id.to_owned())).unwrap(), id);
        }
        for id in ["", "a:b", "with space", &"x".repeat(65)] {
            assert!(matches!(
                id_or_new(Some(id.to_owned())),
                Err(StoreError::InvalidId { .. })
            ));
        }
    }

    #[test]
    fn generates_valid_distinct_ids() {
        let (a, b) = (id_or_new(None).unwrap(), id_or_new(None).unwrap());
        assert_eq!(a.len(), GENERATED_LEN);
        assert!(is_valid(&a));
        assert_ne!(a, b);
    }
}
