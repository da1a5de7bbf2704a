//! Salesforce record ids: 15-character case-sensitive ids, their 18-character case-insensitive form
//! (three checksum characters), and the fake's numbering scheme.
//!
//! A fake id is `<key prefix (3)><pod "Fk" (2)><number in base 62 (10)>` plus the checksum. Seeded
//! records use numbers `0..n`; records created through the API use numbers from [`CREATED_BASE`] on,
//! so seeding more records never collides with created ones.

/// First number given to a record created through the API (or from configuration).
pub const CREATED_BASE: u64 = 1_000_000_000_000;

const POD: &str = "Fk";
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The three checksum characters of a 15-character id.
pub fn checksum(id15: &[u8; 15]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (chunk, slot) in id15.chunks(5).zip(out.iter_mut()) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        *slot = CHECKSUM[bits];
    }
    out
}

/// The 18-character id of record `number` of the object with `prefix`.
pub fn make(prefix: &str, number: u64) -> String {
    let mut id = [b'0'; 15];
    id[..3].copy_from_slice(&prefix.as_bytes()[..3]);
    id[3..5].copy_from_slice(POD.as_bytes());
    let mut n = number;
    for slot in id[5..].iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    let sum = checksum(&id);
    let mut s = String::with_capacity(18);
    s.extend(id.iter().map(|&b| b as char));
    s.extend(sum.iter().map(|&b| b as char));
    s
}

/// Normalises an id given by a client (15 or 18 characters) to its 18-character form.
/// Returns `None` when it is not a well-formed id (wrong length, characters, or checksum).
pub fn normalize(id: &str) -> Option<String> {
    let bytes = id.as_bytes();
    if !(bytes.len() == 15 || bytes.len() == 18) || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let mut id15 = [0u8; 15];
    id15.copy_from_slice(&bytes[..15]);
    if bytes.len() == 18 {
        // The checksum restores the case of the first 15 characters, so compare it case-insensitively
        // and rebuild the case-sensitive id from it.
        let given = &bytes[15..];
        for (i, c) in id15.iter_mut().enumerate() {
            let bit = CHECKSUM
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&given[i / 5]))?;
            if c.is_ascii_alphabetic() {
                *c = if bit & (1 << (i % 5)) != 0 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
            }
        }
    }
    let sum = checksum(&id15);
    let mut s: String = id15.iter().map(|&b| b as char).collect();
    s.extend(sum.iter().map(|&b| b as char));
    Some(s)
}

/// Splits a normalised fake id into its key prefix and record number; `None` for ids the fake did not
/// make (other pods or characters outside base 62 order).
pub fn parse(id18: &str) -> Option<(&str, u64)> {
    let bytes = id18.as_bytes();
    if bytes.len() != 18 || &id18[3..5] != POD {
        return None;
    }
    let mut n: u64 = 0;
    for &c in &bytes[5..15] {
        let digit = BASE62.iter().position(|&x| x == c)? as u64;
        n = n.checked_mul(62)?.checked_add(digit)?;
    }
    Some((&id18[..3], n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_the_spec_examples() {
        assert_eq!(normalize("001000000000001").unwrap(), "001000000000001AAA");
        assert_eq!(normalize("0015g00000AbCdE").unwrap(), "0015g00000AbCdEAAV");
        assert_eq!(normalize("00D5g000004XyZa").unwrap(), "00D5g000004XyZaEAK");
    }

    #[test]
    fn eighteen_character_ids_are_case_insensitive() {
        assert_eq!(
            normalize("0015G00000ABCDEAAV").unwrap(),
            "0015g00000AbCdEAAV"
        );
        assert!(normalize("0015g00000AbCdE!!!").is_none());
        assert!(normalize("short").is_none());
    }

    #[test]
    fn made_ids_round_trip() {
        for n in [0, 1, 61, 62, 999_999, CREATED_BASE + 7] {
            let id = make("001", n);
            assert_eq!(id.len(), 18);
            assert_eq!(normalize(&id).as_deref(), Some(id.as_str()));
            assert_eq!(parse(&id), Some(("001", n)));
        }
    }
}
