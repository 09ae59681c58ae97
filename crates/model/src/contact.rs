//! Ways to get in touch: a web address, an email address, a phone number.
//!
//! Each is parsed once, where it comes in (a feed, a file, a form), by the one set of rules
//! here; everything after that (the store, the pages, the APIs, exports) trusts it. What a
//! source writes loosely is tidied rather than refused where the meaning is plain:
//! `www.example.org` becomes `https://www.example.org`, `mailto:` and `tel:` are dropped.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why a contact detail was refused, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("'{0}' is not a web address: give one like https://example.org")]
    WebUrl(String),
    #[error("'{0}' is not an email address: give one like name@example.org")]
    Email(String),
    #[error("'{0}' is not a phone number: give one with its area code, like 01632 960123")]
    Phone(String),
}

/// Characters no contact detail may hold: they break links and markup, or hide text.
fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '<' | '>' | '"' | '\\' | '`')
}

/// `s` without `prefix` in front, in any case (`mailto:`, `tel:`).
fn without_prefix<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map_or(s, |_| &s[prefix.len()..])
}

/// A domain name: letters, digits, dots and dashes, with a dot inside and none at either end
/// or doubled. Nothing that would add to a link (`?subject=`, `@`, quotes).
fn is_domain(host: &str) -> bool {
    host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.contains("..")
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

fn shown(s: &str) -> String {
    s.chars().take(60).collect()
}

/// A web address people can follow: `http` or `https` (never `javascript:` or `data:`), to
/// a host with a dot in its name (or `localhost`), with no spaces. A bare `example.org/x` gets
/// `https://`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(s: &str) -> Result<WebUrl, ContactError> {
        let s = s.trim();
        let refuse = || ContactError::WebUrl(shown(s));
        if s.is_empty() || s.len() > 2000 || s.chars().any(|c| c.is_whitespace() || forbidden(c)) {
            return Err(refuse());
        }
        let lower = s.to_ascii_lowercase();
        let bare = !(lower.starts_with("https://") || lower.starts_with("http://"));
        let url = if !bare {
            s.to_owned()
        } else if !lower.contains(':') {
            format!("https://{s}")
        } else {
            return Err(refuse());
        };
        let authority = url
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default())
            .unwrap_or_default();
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => authority,
        };
        // Letters, digits, dots and dashes only: no user:password@ in front (it hides where
        // a link really goes), nothing a link could be broken with.
        let host_ok = is_domain(host) || host == "localhost";
        // Written without http(s)://, it must end in a real-looking domain ("club.org", not
        // "1.5" or "N.A").
        let domain_ok = !bare
            || host
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
        if host_ok && domain_ok {
            Ok(WebUrl(url))
        } else {
            Err(refuse())
        }
    }
}

/// An email address: something before one `@`, a domain with a dot after it, no spaces.
/// `mailto:` in front is dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, ContactError> {
        let s = s.trim();
        let refuse = || ContactError::Email(shown(s));
        let address = without_prefix(s, "mailto:").trim();
        let Some((local, domain)) = address.split_once('@') else {
            return Err(refuse());
        };
        let ok = !local.is_empty()
            && address.len() <= 254
            && is_domain(domain)
            && !local
                .chars()
                .any(|c| c.is_whitespace() || forbidden(c) || matches!(c, ',' | ';' | '?'));
        if ok {
            Ok(Email(address.to_owned()))
        } else {
            Err(refuse())
        }
    }
}

/// A phone number as people write it (`01632 960123`, `+44 (0)1632 960123`, `0800 123 4567
/// ext 2`): at least six digits, starting with a digit, `+` or `(`. `tel:` and quotes around
/// it are dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, ContactError> {
        let trimmed = s.trim();
        let refuse = || ContactError::Phone(shown(trimmed));
        let number = without_prefix(trimmed, "tel:")
            .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
        // A short label before it ("Call", "Tel.", "Mobile:", "T:") is not part of it.
        let number = match number.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
            Some(at)
                if at <= 12
                    && number[..at]
                        .chars()
                        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | ':')) =>
            {
                &number[at..]
            }
            _ => number,
        };
        let number = number.split_whitespace().collect::<Vec<_>>().join(" ");
        let ok = number.chars().filter(char::is_ascii_digit).count() >= 6
            && number.len() <= 50
            && number
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '(')
            && !number.chars().any(forbidden);
        if ok { Ok(Phone(number)) } else { Err(refuse()) }
    }

    /// The number for a `tel:` link: its digits, with a leading `+` kept. Words after the
    /// number ("ext 2") are left out.
    pub fn dial(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.0.chars().enumerate() {
            if c.is_ascii_digit() || (i == 0 && c == '+') {
                out.push(c);
            } else if c.is_alphabetic() {
                break;
            }
        }
        out
    }
}

macro_rules! as_text {
    ($($t:ident),*) => {$(
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Read as the text it is (already checked).
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }

        impl std::str::FromStr for $t {
            type Err = ContactError;
            fn from_str(s: &str) -> Result<Self, ContactError> {
                $t::parse(s)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $t::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

as_text!(WebUrl, Email, Phone);

/// For `#[serde(deserialize_with)]` on a provider's stored contact details: a value written
/// before these rules existed that they refuse reads as absent, so the record keeps loading.
/// (Providers' details only ever came from feeds and files, checked by much the same rules;
/// a listing's, which the provider form kept as typed, move into its notes instead: see
/// `HowToJoin`.)
pub fn stored<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    let raw = Option::<String>::deserialize(d)?;
    Ok(raw.and_then(|s| s.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        for (given, kept) in [
            (
                "https://club.example.org/girls?x=1",
                "https://club.example.org/girls?x=1",
            ),
            (" http://club.example.org ", "http://club.example.org"),
            ("www.example.org", "https://www.example.org"),
            ("example.org/join", "https://example.org/join"),
            ("HTTPS://Example.org", "HTTPS://Example.org"),
            ("http://localhost:8080/x", "http://localhost:8080/x"),
            ("http://127.0.0.1:8080/feed", "http://127.0.0.1:8080/feed"),
            ("club.org.uk/join", "https://club.org.uk/join"),
        ] {
            assert_eq!(WebUrl::parse(given).unwrap().as_str(), kept, "{given}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "data:text/html,hi",
            "mailto:a@b.org",
            "not a url",
            "https://",
            "https://nodot",
            "https://user:pw@evil.example/",
            "https://a.example/<script>",
            ".example.org",
            "ftp://example.org",
            "St.Mary's",
            "N.A",
            "1.5",
            "https://example.org:80x/",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            Email::parse(" jo@club.example.org ").unwrap().as_str(),
            "jo@club.example.org"
        );
        assert_eq!(
            Email::parse("mailto:jo@club.org").unwrap().as_str(),
            "jo@club.org"
        );
        assert_eq!(
            Email::parse("Mailto:jo@club.org").unwrap().as_str(),
            "jo@club.org"
        );
        assert_eq!(
            Email::parse("sean.o'brien@club.org").unwrap().as_str(),
            "sean.o'brien@club.org"
        );
        for bad in [
            "",
            "nobody",
            "jo@club",
            "@club.org",
            "jo@.org",
            "jo@club.org.",
            "jo@@club.org",
            "jo smith@club.org",
            "jo@club.org, al@club.org",
            "<jo@club.org>",
            "jo@club..org",
            "jo@club.org?subject=hello",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers() {
        for (given, kept, dial) in [
            ("01632 960123", "01632 960123", "01632960123"),
            ("\"+44 1632 960123\"", "+44 1632 960123", "+441632960123"),
            ("tel:01632960123", "01632960123", "01632960123"),
            ("Tel: 01632 960123", "01632 960123", "01632960123"),
            ("(01632) 960123", "(01632) 960123", "01632960123"),
            ("0800 123 4567 ext 2", "0800 123 4567 ext 2", "08001234567"),
            ("01632  960123", "01632 960123", "01632960123"),
            ("Call 01632 960123", "01632 960123", "01632960123"),
            ("Tel. 01632 960123", "01632 960123", "01632960123"),
            ("Mobile: 07700 900123", "07700 900123", "07700900123"),
        ] {
            let p = Phone::parse(given).unwrap();
            assert_eq!((p.as_str(), p.dial().as_str()), (kept, dial), "{given}");
        }
        for bad in [
            "",
            "call us",
            "12345",
            "ring the office on weekdays 01632 960123",
            "01632 <b>960123</b>",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_are_refused_with_a_message_and_stored_values_that_fail_read_as_absent() {
        let err = serde_json::from_str::<Email>("\"nobody\"").unwrap_err();
        assert!(err.to_string().contains("not an email address"), "{err}");
        #[derive(Deserialize)]
        struct Old {
            #[serde(default, deserialize_with = "stored")]
            email: Option<Email>,
        }
        let old: Old = serde_json::from_str(r#"{"email": "jo at club"}"#).unwrap();
        assert_eq!(old.email, None);
        let old: Old = serde_json::from_str(r#"{"email": "jo@club.org"}"#).unwrap();
        assert_eq!(old.email.unwrap().as_str(), "jo@club.org");
        let json = serde_json::to_string(&WebUrl::parse("club.org").unwrap()).unwrap();
        assert_eq!(json, "\"https://club.org\"");
    }
}
