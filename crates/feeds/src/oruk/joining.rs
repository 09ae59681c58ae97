//! Joining: how to join, who to contact, and when the source last changed the service.

use super::*;

pub(super) fn read_join_methods(service: &Value) -> Vec<JoinMethod> {
    let mut out = Vec::new();
    let Some(access) = str_at(service, "attending_access") else {
        return out;
    };
    for part in access.split([',', ';', '/']) {
        let part = part.trim().to_lowercase();
        let method = if part.contains("self") && part.contains("referral") {
            Some(JoinMethod::SelfReferral)
        } else if part.contains("referral") {
            Some(JoinMethod::ProfessionalReferral)
        } else if part.contains("appointment") || part.contains("booking") {
            Some(JoinMethod::Booking)
        } else if part.contains("drop") {
            Some(JoinMethod::DropIn)
        } else if part.contains("membership") {
            // Joining a membership service starts with getting in touch yourself.
            Some(JoinMethod::SelfReferral)
        } else {
            None
        };
        if let Some(m) = method
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    out
}

pub(super) fn read_contact(service: &Value, sals: &[&Value]) -> Contact {
    let mut contacts: Vec<&Value> = items(service, &["contacts"]).collect();
    for sal in sals {
        contacts.extend(items(sal, &["contacts"]));
    }
    let name = contacts
        .iter()
        .find_map(|c| str_at(c, "name").map(text::line).filter(|n| !n.is_empty()));
    let email = contacts
        .iter()
        .find_map(|c| str_at(c, "email").and_then(email_address))
        .or_else(|| str_at(service, "email").and_then(email_address));
    let mut phones: Vec<Phone> = phones_in(service);
    for c in &contacts {
        phones.extend(phones_in(c));
    }
    for sal in sals {
        phones.extend(phones_in(sal));
    }
    Contact {
        name,
        email,
        phone: phones.into_iter().next(),
        url: str_at(service, "url").and_then(web_address),
    }
}

/// Phone numbers on an object: 3.0/1.0 `phones[].number`.
pub(super) fn phones_in(v: &Value) -> Vec<Phone> {
    items(v, &["phones"])
        .filter_map(|p| match p {
            Value::String(s) => phone_number(s),
            _ => str_at(p, "number").and_then(phone_number),
        })
        .collect()
}

/// When the source last changed the service: 3.0 `last_modified`, else 1.0 `assured_date`
/// (the day a person last checked it, the nearest thing 1.0 has).
pub(super) fn read_updated(service: &Value) -> Option<DateTime<Utc>> {
    if let Some(s) = str_at(service, "last_modified") {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(t.with_timezone(&Utc));
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            return Some(t.and_utc());
        }
    }
    ["last_modified", "assured_date"]
        .iter()
        .find_map(|k| date_at(service, k))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}
