//! Stable, URL-safe identifiers for providers and activities.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable identifier: 1 to 80 characters of lowercase ASCII letters, digits and `-`.
///
/// Ids appear in URLs (`/activities/{id}`) and in imported files, so they are restricted to a
/// set that needs no escaping anywhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a valid id: use 1 to 80 lowercase letters, digits and dashes")]
pub struct IdError(pub String);

impl Id {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 80
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            let shown: String = s.chars().take(40).collect();
            Err(IdError(shown))
        }
    }

    /// An id made readable from words: "Girls' Football (U13s)" with suffix "3f2a" becomes
    /// `girls-football-u13s-3f2a`. The suffix keeps it unique; `fallback` stands in for words
    /// with no usable letters.
    pub fn slugged(words: &str, fallback: &str, suffix: &str) -> Id {
        let mut slug = String::new();
        for c in words.to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
            if slug.len() >= 50 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = if slug.is_empty() { fallback } else { slug };
        let suffix: String = suffix
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(20)
            .collect();
        let text = if suffix.is_empty() {
            slug.to_owned()
        } else {
            format!("{slug}-{suffix}")
        };
        Id(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A short reference for the listing with this id, easy to read out or type from paper:
    /// 8 characters of Crockford base32 (no I, L, O or U) from a hash of the id. Different
    /// ids can share one (about one pair in a million listings), so whoever resolves a
    /// reference must expect more than one answer.
    pub fn reference(&self) -> String {
        reference_of_bits(reference_bits(&self.0))
    }
}

/// The 40 bits of the hash of `name` that its short reference spells out.
pub(crate) fn reference_bits(name: &str) -> u64 {
    fnv1a(name.as_bytes()) & REFERENCE_MASK
}

/// The short reference these 40 bits spell, 5 bits a character, lowest first.
pub(crate) fn reference_of_bits(bits: u64) -> String {
    (0..8)
        .map(|i| {
            char::from(REFERENCE_ALPHABET[usize::try_from((bits >> (i * 5)) & 31).unwrap_or(0)])
        })
        .collect()
}

pub(crate) const REFERENCE_MASK: u64 = (1 << 40) - 1;

/// Crockford base32: digits and capitals without I, L, O and U, which are easy to misread.
const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Reads a reference as a person typed it: any case, with spaces or dashes, and the letters
/// Crockford base32 reads as digits (O as 0; I and L as 1). `None` if it cannot be one.
pub fn parse_reference(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == 8 && code.bytes().all(|b| REFERENCE_ALPHABET.contains(&b))).then_some(code)
}

/// FNV-1a, 64 bits: a cheap, stable hash of an id (not for anything an attacker chooses to
/// collide with where that matters).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl TryFrom<String> for Id {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Id::parse(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_stable_and_read_forgivingly() {
        let id = Id::parse("saturday-football-for-girls").unwrap();
        let r = id.reference();
        assert_eq!(r.len(), 8);
        assert_eq!(r, id.reference());
        assert_ne!(
            r,
            Id::parse("saturday-football-for-boys").unwrap().reference()
        );
        assert_eq!(parse_reference(&r.to_lowercase()), Some(r.clone()));
        let spaced = format!("{} {}", &r[..4], &r[4..]);
        assert_eq!(parse_reference(&spaced), Some(r));
        assert_eq!(parse_reference("oil1-0000"), Some("01110000".to_owned()));
        assert_eq!(parse_reference("short"), None);
        assert_eq!(parse_reference("far-too-long-to-be-one"), None);
        assert_eq!(parse_reference("UUUUUUUU"), None);
    }

    #[test]
    fn slugged_ids_are_valid_and_readable() {
        let id = Id::slugged("Girls' Football (U13s)", "listing", "3F2A");
        assert_eq!(id.as_str(), "girls-football-u13s-3f2a");
        assert_eq!(Id::slugged("!!!", "listing", "").as_str(), "listing");
        let long = Id::slugged(&"a ".repeat(100), "x", "abcdefabcdefabcdefabcdef");
        assert!(Id::parse(long.as_str()).is_ok());
    }

    #[test]
    fn accepts_slugs_and_rejects_everything_else() {
        assert!(Id::parse("hull-youth-football-1").is_ok());
        for bad in ["", "Has-Caps", "a b", "../etc", "é", &"x".repeat(81)] {
            assert!(Id::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
