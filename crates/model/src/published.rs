//! How Signpost names its records to the outside world.
//!
//! Inside Signpost a listing or an organisation is known by its [`Id`], a readable slug that
//! is also its address (`/activities/girls-football`). Open Referral UK 3.0 asks every record
//! to have a UUID, so records Signpost publishes there carry [`public_uuid`], computed from the
//! record's table and Signpost name: the same for the same record forever, on every Signpost,
//! with nothing stored.
//!
//! The layout (RFC 9562 version 8, "custom"): the first 88 bits are the SHA-1 name-based
//! UUID (version 5) of `{table}/{name}` under Signpost's namespace, with its variant bits;
//! the version nibble says 8; the last 40 bits are the short reference
//! ([`Id::reference`]) of the record's owner. Services, organisations, taxonomies and terms
//! own themselves; a service at a location and everything nested in a service (schedules,
//! locations, costs) are owned by the service, everything nested in an organisation by the
//! organisation. So a service's or service-at-location's UUID leads back to its listing
//! through the reference the search index already keeps ([`reference_in_uuid`]), and the
//! whole UUID is then compared.
//!
//! Services, organisations and terms keep their UUID as long as they keep their Signpost
//! id. Nested records are named by position in their listing (`girls-football--at-2` is its
//! second place), so removing or reordering venues gives the places after it other UUIDs.

use uuid::Uuid;

use crate::id::{REFERENCE_MASK, reference_bits, reference_of_bits};
use crate::{Activity, Id};

/// Signpost's UUID namespace. Never change it: every published UUID is derived from it.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2a3e_9b4d_4e57_8a60_3c1d_5e2f_7a91);

/// The UUID published for the record called `name` in `table` (an ORUK table name such as
/// `service`, `organization`, `taxonomy_term`) that owns itself: services, organisations,
/// taxonomies and terms. The table is part of the name, so a service and an organisation
/// with the same slug never share a UUID.
pub fn public_uuid(table: &str, name: &str) -> String {
    owned_uuid(table, name, name)
}

/// The UUID published for the record called `name` in `table`, owned by the record called
/// `owner` (a service at a location, a schedule or a location is owned by its service; see
/// the module docs): the owner's short reference goes in its last 40 bits.
pub fn owned_uuid(table: &str, name: &str, owner: &str) -> String {
    let mut key = String::with_capacity(table.len() + 1 + name.len());
    key.push_str(table);
    key.push('/');
    key.push_str(name);
    let mut bytes = *Uuid::new_v5(&NAMESPACE, key.as_bytes()).as_bytes();
    bytes[11..].copy_from_slice(&reference_bits(owner).to_be_bytes()[3..]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    Uuid::from_bytes(bytes).hyphenated().to_string()
}

/// The short reference ([`Id::reference`]) of the record a published UUID belongs to, or
/// `None` when `uuid` is not a UUID. Any UUID gives one: whoever looks it up compares the
/// whole UUID with the candidates'.
pub fn reference_in_uuid(uuid: &str) -> Option<String> {
    if !is_uuid(uuid) {
        return None;
    }
    let bytes = Uuid::try_parse(uuid).ok()?.into_bytes();
    let mut tail = [0u8; 8];
    tail[3..].copy_from_slice(&bytes[11..]);
    Some(reference_of_bits(u64::from_be_bytes(tail) & REFERENCE_MASK))
}

/// Whether `s` is a UUID in its usual hyphenated form (any case, any version).
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && Uuid::try_parse(s).is_ok()
}

/// Where an activity is delivered: one of its venues (0-based), or online. Open Referral
/// calls an activity at one of these places a "service at location".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Venue(usize),
    Online,
}

impl At {
    /// Every place an activity is delivered: its venues in order, then online.
    pub fn all(activity: &Activity) -> Vec<At> {
        let mut out: Vec<At> = (0..activity.venues.len()).map(At::Venue).collect();
        if activity.online {
            out.push(At::Online);
        }
        out
    }

    /// The service-at-location's Signpost name: `{activity}--at-1`, `{activity}--at-online`.
    pub fn id(self, activity: &Id) -> String {
        match self {
            At::Venue(i) => format!("{activity}--at-{}", i + 1),
            At::Online => format!("{activity}--at-online"),
        }
    }

    /// Reads a service-at-location name back into the activity id and the place.
    pub fn parse(id: &str) -> Option<(Id, At)> {
        let (activity, at) = id.rsplit_once("--at-")?;
        let at = match at {
            "online" => At::Online,
            n if !n.starts_with('0') => At::Venue(n.parse::<usize>().ok()?.checked_sub(1)?),
            _ => return None,
        };
        Some((Id::parse(activity).ok()?, at))
    }

    /// Whether the activity is delivered here.
    pub fn is_in(self, activity: &Activity) -> bool {
        match self {
            At::Venue(i) => i < activity.venues.len(),
            At::Online => activity.online,
        }
    }
}

/// The published UUIDs of an activity: the service's, then each place's, each with the place
/// it names (`None` for the service itself).
pub fn activity_uuids(activity: &Activity) -> Vec<(String, Option<At>)> {
    let id = activity.id.as_str();
    let mut out = vec![(public_uuid("service", id), None)];
    out.extend(At::all(activity).into_iter().map(|at| {
        let name = at.id(&activity.id);
        (owned_uuid("service_at_location", &name, id), Some(at))
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::activity;

    #[test]
    fn the_same_record_always_has_the_same_uuid_and_tables_never_share_one() {
        let a = public_uuid("service", "girls-football");
        assert_eq!(a, public_uuid("service", "girls-football"));
        // Fixed forever: an ORUK consumer may have stored it. The first 88 bits are Python's
        // uuid5(UUID("6f1c2a3e-9b4d-4e57-8a60-3c1d5e2f7a91"), "service/girls-football"),
        // 9f995d48-24c1-58bc-b38b-a0e7f49fd134, with the version nibble made 8; the last 40 bits
        // are FNV-1a of "girls-football" (b3d3bcdff2), its reference.
        assert_eq!(&a[..26], "9f995d48-24c1-88bc-b38b-a0");
        assert_eq!(a, FIXED);
        assert!(is_uuid(&a));
        assert_eq!(&a[14..15], "8", "a version 8 (custom) UUID");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "RFC variant");
        assert_ne!(a, public_uuid("organization", "girls-football"));
        assert_ne!(a, public_uuid("service", "girls-football-2"));
    }

    const FIXED: &str = "9f995d48-24c1-88bc-b38b-a0b3d3bcdff2";

    #[test]
    fn a_uuid_leads_back_to_its_listings_reference() {
        let id = Id::parse("girls-football").unwrap();
        for (table, name) in [
            ("service", "girls-football".to_owned()),
            ("service_at_location", At::Online.id(&id)),
            ("schedule", "girls-football--schedule-2".to_owned()),
        ] {
            let uuid = owned_uuid(table, &name, id.as_str());
            assert_eq!(reference_in_uuid(&uuid), Some(id.reference()), "{name}");
            let upper = uuid.to_ascii_uppercase();
            assert_eq!(reference_in_uuid(&upper), Some(id.reference()));
        }
        assert!(reference_in_uuid("00000000-0000-0000-0000-000000000000").is_some());
        assert_eq!(reference_in_uuid("girls-football"), None);
    }

    #[test]
    fn an_id_with_a_double_dash_still_owns_its_places() {
        let mut a = activity("club--juniors", "humber-fc", "Club");
        a.online = true;
        for (uuid, _) in activity_uuids(&a) {
            assert_eq!(reference_in_uuid(&uuid), Some(a.id.reference()));
        }
    }

    #[test]
    fn uuids_are_told_from_slugs() {
        assert!(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
        assert!(!is_uuid("girls-football"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(!is_uuid("{123e4567-e89b-12d3-a456-426614174000}"));
    }

    #[test]
    fn every_place_of_an_activity_has_its_own_uuid() {
        let mut a = activity("club", "humber-fc", "Club");
        a.online = true;
        let uuids = activity_uuids(&a);
        assert_eq!(uuids.len(), 1 + a.venues.len() + 1);
        assert_eq!(uuids[0].1, None);
        assert_eq!(uuids.last().unwrap().1, Some(At::Online));
        let mut all: Vec<&str> = uuids.iter().map(|(u, _)| u.as_str()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), uuids.len());
    }

    #[test]
    fn place_names_read_back() {
        let id = Id::parse("club").unwrap();
        for at in [At::Venue(0), At::Venue(11), At::Online] {
            assert_eq!(At::parse(&at.id(&id)), Some((id.clone(), at)));
        }
        assert_eq!(At::parse("club--at-0"), None);
        assert_eq!(At::parse("club--at-01"), None);
        assert_eq!(At::parse("club"), None);
    }
}
