//! Listings and safeguarding records as people edit and read them: form fields in, checked
//! records out, and the field-by-field view used for review diffs and the audit log.

use chrono::NaiveDate;
use signpost_model::{
    Access, Activity, AgeRange, Category, Contact, ContactError, Cost, Email, FieldChange, Gender,
    HowToJoin, JoinMethod, Newcomer, Phone, Postcode, Provider, Safeguarding, SafeguardingPolicy,
    Schedule, Venue, Verification, WebUrl,
};

/// A listing as its edit form holds it: text as typed, so a form with mistakes can be shown
/// again exactly as it was sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListingForm {
    pub title: String,
    pub description: String,
    pub categories: Vec<String>,
    pub ages: String,
    pub gender: String,
    pub free: bool,
    /// Pounds, as typed: "2.50".
    pub price: String,
    pub concessions: String,
    pub bursary: bool,
    /// One session per line (see `Schedule::to_lines`).
    pub timetable: String,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_postcode: String,
    pub online: bool,
    pub wheelchair: bool,
    pub send_friendly: bool,
    pub quiet_sessions: bool,
    /// Comma-separated.
    pub languages: String,
    pub join: Vec<String>,
    /// Who a newcomer may come with: `alone`, `friend`, `parent`.
    pub newcomers: Vec<String>,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_url: String,
    pub join_notes: String,
}

fn on(v: &str) -> bool {
    matches!(v, "on" | "true" | "yes" | "1")
}

impl ListingForm {
    /// Reads posted form fields. Unknown fields are ignored (the CSRF token, the button).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = ListingForm::default();
        for (k, v) in pairs {
            let v = v.replace("\r\n", "\n");
            match k.as_str() {
                "title" => f.title = v,
                "description" => f.description = v,
                "category" => f.categories.push(v),
                "ages" => f.ages = v,
                "gender" => f.gender = v,
                "free" => f.free = on(&v),
                "price" => f.price = v,
                "concessions" => f.concessions = v,
                "bursary" => f.bursary = on(&v),
                "timetable" => f.timetable = v,
                "venue_name" => f.venue_name = v,
                "venue_address" => f.venue_address = v,
                "venue_postcode" => f.venue_postcode = v,
                "online" => f.online = on(&v),
                "wheelchair" => f.wheelchair = on(&v),
                "send_friendly" => f.send_friendly = on(&v),
                "quiet_sessions" => f.quiet_sessions = on(&v),
                "languages" => f.languages = v,
                "join" => f.join.push(v),
                "newcomers" => f.newcomers.push(v),
                "contact_email" => f.contact_email = v,
                "contact_phone" => f.contact_phone = v,
                "contact_url" => f.contact_url = v,
                "join_notes" => f.join_notes = v,
                _ => {}
            }
        }
        f
    }

    pub fn from_activity(a: &Activity) -> Self {
        let venue = a.venues.first();
        ListingForm {
            title: a.title.clone(),
            description: a.description.clone(),
            categories: a.categories.iter().map(|c| c.slug().to_owned()).collect(),
            // An imported listing with no ages asks the provider to give them.
            ages: if a.age_not_stated {
                String::new()
            } else {
                a.ages.to_string()
            },
            gender: a.gender.as_str().to_owned(),
            free: a.cost.free,
            price: a
                .cost
                .price_pence
                .map(|p| format!("{}.{:02}", p / 100, p % 100))
                .unwrap_or_default(),
            concessions: a.cost.concessions.clone().unwrap_or_default(),
            bursary: a.cost.bursary,
            timetable: a.schedule.to_lines(),
            venue_name: venue.map(|v| v.name.clone()).unwrap_or_default(),
            venue_address: venue.map(|v| v.address.clone()).unwrap_or_default(),
            venue_postcode: venue
                .and_then(|v| v.postcode.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default(),
            online: a.online,
            wheelchair: a.access.wheelchair,
            send_friendly: a.access.send_friendly,
            quiet_sessions: a.access.quiet_sessions,
            languages: a.access.languages.join(", "),
            join: a
                .join
                .methods
                .iter()
                .map(|m| m.as_str().to_owned())
                .collect(),
            newcomers: a
                .join
                .newcomers
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect(),
            contact_email: a
                .join
                .contact
                .email
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
            contact_phone: a
                .join
                .contact
                .phone
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
            contact_url: a.join.contact.url.as_deref().unwrap_or_default().to_owned(),
            join_notes: a.join.notes.clone(),
        }
    }

    /// Applies the form to `base` (the listing as it is, or a new one), returning every
    /// problem at once. `locate` finds a venue postcode's coordinates. Venues after the
    /// first are kept as they were: the form edits the main venue.
    pub fn apply(
        &self,
        mut base: Activity,
        locate: impl Fn(&Postcode) -> Option<signpost_model::Coordinates>,
    ) -> Result<Activity, Vec<String>> {
        let mut problems = Vec::new();
        let text = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        base.title = self.title.trim().to_owned();
        base.description = self.description.trim().to_owned();
        base.categories.clear();
        for c in &self.categories {
            match Category::parse(c) {
                Ok(c) if !base.categories.contains(&c) => base.categories.push(c),
                Ok(_) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
        match AgeRange::parse(self.ages.trim()) {
            Ok(a) => {
                base.ages = a;
                base.age_not_stated = false;
            }
            Err(e) => problems.push(format!("ages: {e}")),
        }
        match Gender::parse(&self.gender) {
            Some(g) => base.gender = g,
            None if self.gender.trim().is_empty() => base.gender = Gender::Mixed,
            None => problems.push("who can come: choose everyone, girls or boys".to_owned()),
        }
        let price = match self.price.trim().trim_start_matches('£') {
            "" => None,
            p => match p.parse::<f64>() {
                Ok(x) if (0.0..=1000.0).contains(&x) => Some((x * 100.0).round() as u32),
                _ => {
                    problems.push(format!(
                        "price: '{}' is not an amount in pounds, e.g. 2.50",
                        p.chars().take(20).collect::<String>()
                    ));
                    None
                }
            },
        };
        base.cost = Cost {
            free: self.free,
            price_pence: if self.free { None } else { price },
            concessions: text(&self.concessions),
            bursary: self.bursary,
        };
        match Schedule::parse_lines(&self.timetable) {
            Ok(s) => base.schedule = s,
            Err(p) => problems.extend(p),
        }
        base.online = self.online;
        let others: Vec<Venue> = base.venues.iter().skip(1).cloned().collect();
        let before = base.venues.first().cloned();
        base.venues.clear();
        let venue_given = [&self.venue_name, &self.venue_address, &self.venue_postcode]
            .iter()
            .any(|s| !s.trim().is_empty());
        if venue_given {
            let name = self.venue_name.trim();
            if name.is_empty() {
                problems.push("venue: give the venue's name".to_owned());
            }
            // A postcode the person left as it was keeps the venue's exact position: the
            // postcode table may only know the district's centre, a kilometre away.
            let kept = |pc: &Postcode| {
                before
                    .as_ref()
                    .filter(|v| v.postcode.as_ref() == Some(pc))
                    .map(|v| v.coordinates)
            };
            match Postcode::parse(&self.venue_postcode) {
                Ok(pc) => match kept(&pc).or_else(|| locate(&pc)) {
                    Some(c) => base.venues.push(Venue {
                        name: name.to_owned(),
                        address: self.venue_address.trim().to_owned(),
                        postcode: Some(pc),
                        coordinates: c,
                    }),
                    None => problems.push(format!(
                        "venue postcode: we cannot find where {pc} is; check it, or ask us to \
                         add it"
                    )),
                },
                Err(e) => problems.push(format!("venue postcode: {e}")),
            }
        }
        base.venues.extend(others);
        base.access = Access {
            wheelchair: self.wheelchair,
            send_friendly: self.send_friendly,
            quiet_sessions: self.quiet_sessions,
            languages: self
                .languages
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        let mut methods = Vec::new();
        for m in &self.join {
            match JoinMethod::parse(m) {
                Some(m) if !methods.contains(&m) => methods.push(m),
                Some(_) => {}
                None => problems.push(format!("'{m}' is not a way to join")),
            }
        }
        let mut newcomers = Vec::new();
        for n in &self.newcomers {
            match Newcomer::parse(n) {
                Some(n) if !newcomers.contains(&n) => newcomers.push(n),
                Some(_) => {}
                None => problems.push(format!("'{n}' is not a way to come the first time")),
            }
        }
        // Each contact detail by the one rule (signpost_model's contact types).
        let email = detail(
            "contact email",
            &self.contact_email,
            Email::parse,
            &mut problems,
        );
        let phone = detail(
            "contact phone",
            &self.contact_phone,
            Phone::parse,
            &mut problems,
        );
        let url = detail("website", &self.contact_url, WebUrl::parse, &mut problems);
        let methods = keep_order(methods, &base.join.methods);
        let newcomers = keep_order(newcomers, &base.join.newcomers);
        base.join = HowToJoin {
            methods,
            newcomers,
            contact: Contact {
                name: base.join.contact.name.take(),
                email,
                phone,
                url,
            },
            notes: self.join_notes.trim().to_owned(),
        };
        for (field, value, max) in [
            ("concessions", &self.concessions, 300),
            ("languages", &self.languages, 300),
            ("venue name", &self.venue_name, 200),
            ("venue address", &self.venue_address, 300),
            ("contact email", &self.contact_email, 254),
            ("contact phone", &self.contact_phone, 50),
            ("website", &self.contact_url, 500),
            ("how to join notes", &self.join_notes, 2000),
            ("timetable", &self.timetable, 5000),
        ] {
            if value.chars().count() > max {
                problems.push(format!("{field} is too long (at most {max} characters)"));
            }
        }
        problems.extend(base.problems());
        if problems.is_empty() {
            Ok(base)
        } else {
            Err(problems)
        }
    }
}

/// A safeguarding declaration as its form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SafeguardingForm {
    pub has_policy: bool,
    pub policy_reviewed: String,
    pub lead_role: String,
    pub enhanced_dbs: bool,
    pub insurance_expires: String,
    pub first_aid: bool,
}

fn optional_date(field: &str, s: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s.parse() {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(format!(
                "{field}: '{}' is not a date; write it as YYYY-MM-DD",
                s.chars().take(20).collect::<String>()
            ));
            None
        }
    }
}

impl SafeguardingForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = SafeguardingForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "has_policy" => f.has_policy = on(v),
                "policy_reviewed" => f.policy_reviewed = v.clone(),
                "lead_role" => f.lead_role = v.clone(),
                "enhanced_dbs" => f.enhanced_dbs = on(v),
                "insurance_expires" => f.insurance_expires = v.clone(),
                "first_aid" => f.first_aid = on(v),
                _ => {}
            }
        }
        f
    }

    pub fn from_record(s: &Safeguarding) -> Self {
        SafeguardingForm {
            has_policy: s.policy.is_some(),
            policy_reviewed: s
                .policy
                .as_ref()
                .and_then(|p| p.last_reviewed)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            lead_role: s.designated_lead_role.clone().unwrap_or_default(),
            enhanced_dbs: s.enhanced_dbs,
            insurance_expires: s
                .insurance_expires
                .map(|d| d.to_string())
                .unwrap_or_default(),
            first_aid: s.first_aid,
        }
    }

    pub fn to_record(&self) -> Result<Safeguarding, Vec<String>> {
        let mut problems = Vec::new();
        let reviewed = optional_date("policy last reviewed", &self.policy_reviewed, &mut problems);
        let insurance = optional_date("insurance expiry", &self.insurance_expires, &mut problems);
        let lead = self.lead_role.trim();
        if lead.chars().count() > 100 {
            problems.push("safeguarding lead: at most 100 characters".to_owned());
        }
        if lead.contains('@') || lead.chars().filter(char::is_ascii_digit).count() >= 6 {
            problems.push(
                "safeguarding lead: give the role (e.g. \"Club Welfare Officer\"), not a \
                 person's email or phone number: this is shown publicly"
                    .to_owned(),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Safeguarding {
            policy: (self.has_policy || reviewed.is_some()).then_some(SafeguardingPolicy {
                last_reviewed: reviewed,
            }),
            designated_lead_role: (!lead.is_empty()).then(|| lead.to_owned()),
            enhanced_dbs: self.enhanced_dbs,
            insurance_expires: insurance,
            first_aid: self.first_aid,
        })
    }
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_owned()
}

/// A listing, field by field, as people read it.
pub fn listing_fields(a: &Activity) -> Vec<(&'static str, String)> {
    let f = ListingForm::from_activity(a);
    let venues: Vec<String> = a
        .venues
        .iter()
        .map(|v| {
            let pc = v
                .postcode
                .as_ref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default();
            // The position too: a checker must see a venue that moves, even when its
            // words do not change.
            format!(
                "{}, {}{pc} (map position {:.5}, {:.5})",
                v.name,
                v.address,
                v.coordinates.lat(),
                v.coordinates.lon()
            )
        })
        .collect();
    vec![
        ("Title", f.title),
        ("Description", f.description),
        ("Categories", f.categories.join(", ")),
        ("Ages", a.ages.label()),
        ("Who can come", a.gender.label().to_owned()),
        ("Cost", a.cost.label()),
        ("Concessions", f.concessions),
        ("Bursary or funding", yes_no(a.cost.bursary)),
        ("Timetable", f.timetable),
        ("Venues", venues.join("\n")),
        ("Online", yes_no(a.online)),
        ("Wheelchair accessible", yes_no(a.access.wheelchair)),
        ("SEND friendly", yes_no(a.access.send_friendly)),
        ("Quiet sessions", yes_no(a.access.quiet_sessions)),
        ("Languages", f.languages),
        (
            "How to join",
            a.join
                .methods
                .iter()
                .map(|m| m.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "First visit",
            a.join
                .newcomers
                .iter()
                .map(|n| n.label())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("Contact email", f.contact_email),
        ("Contact phone", f.contact_phone),
        ("Website", f.contact_url),
        ("Joining notes", f.join_notes),
        (
            "Last confirmed as running",
            a.last_confirmed.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("Withdrawn", yes_no(a.withdrawn)),
    ]
}

/// A provider's safeguarding record and its check, field by field.
pub fn safeguarding_fields(s: &Safeguarding, v: &Verification) -> Vec<(&'static str, String)> {
    let f = SafeguardingForm::from_record(s);
    let check = v.check();
    let status = match v {
        Verification::NotChecked => "Not checked",
        Verification::SelfDeclared { .. } => "Self-declared",
        Verification::Verified(_) => "Verified",
    };
    vec![
        ("Safeguarding policy", yes_no(f.has_policy)),
        ("Policy last reviewed", f.policy_reviewed),
        ("Safeguarding lead", f.lead_role),
        ("Enhanced DBS checks", yes_no(s.enhanced_dbs)),
        ("Insurance expires", f.insurance_expires),
        ("First aider at sessions", yes_no(s.first_aid)),
        ("Status", status.to_owned()),
        (
            "Checked by",
            check.map(|c| c.checked_by.clone()).unwrap_or_default(),
        ),
        (
            "Checked for",
            check.map(|c| c.on_behalf_of.clone()).unwrap_or_default(),
        ),
        (
            "Evidence seen",
            check.map(|c| c.evidence.clone()).unwrap_or_default(),
        ),
        (
            "Check expires",
            check.map(|c| c.expires_on.to_string()).unwrap_or_default(),
        ),
    ]
}

pub fn provider_fields(p: &Provider) -> Vec<(&'static str, String)> {
    let mut out = vec![("Name", p.name.clone()), ("Trusted", yes_no(p.trusted))];
    out.extend(safeguarding_fields(&p.safeguarding, &p.verification));
    out
}

/// The fields that differ between two field lists (same labels in the same order).
pub fn diff(
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> Vec<FieldChange> {
    after
        .iter()
        .map(|(field, now)| {
            let was = before
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            (field, was, now)
        })
        .filter(|(_, was, now)| was != now)
        .map(|(field, was, now)| FieldChange {
            field: (*field).to_owned(),
            before: was.to_owned(),
            after: now.clone(),
        })
        .collect()
}

/// A contact detail from the form, read by its type's rule; a refusal is added to `problems`
/// with what to do. Empty is none.
fn detail<T>(
    label: &str,
    value: &str,
    parse: fn(&str) -> Result<T, ContactError>,
    problems: &mut Vec<String>,
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    parse(value)
        .map_err(|e| problems.push(format!("{label}: {e}")))
        .ok()
}

/// The person's choices, in the order the listing had them when they are the same choices:
/// a form's boxes come back in the form's own order, which is no change of theirs.
fn keep_order<T: PartialEq + Clone>(chosen: Vec<T>, before: &[T]) -> Vec<T> {
    if chosen.len() == before.len() && chosen.iter().all(|c| before.contains(c)) {
        before.to_vec()
    } else {
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signpost_model::fixture;

    #[test]
    fn ticking_the_same_ways_to_join_in_the_forms_order_changes_nothing() {
        let mut a = fixture::activity("a1", "p1", "Football");
        a.join.methods = vec![JoinMethod::SelfReferral, JoinMethod::DropIn];
        let mut form = ListingForm::from_activity(&a);
        form.join = vec!["drop-in".into(), "self-referral".into()];
        let back = form
            .apply(a.clone(), |_| a.venues.first().map(|v| v.coordinates))
            .unwrap();
        assert_eq!(diff(&listing_fields(&a), &listing_fields(&back)), vec![]);
        // A real change still shows.
        let mut form = ListingForm::from_activity(&a);
        form.join = vec!["drop-in".into()];
        let back = form.apply(a.clone(), |_| None).unwrap();
        assert_eq!(back.join.methods, vec![JoinMethod::DropIn]);
    }

    #[test]
    fn a_form_round_trips_a_listing() {
        let a = fixture::activity("a1", "p1", "Football");
        let form = ListingForm::from_activity(&a);
        let back = form
            .apply(a.clone(), |_| a.venues.first().map(|v| v.coordinates))
            .unwrap();
        assert_eq!(listing_fields(&back), listing_fields(&a));
    }

    #[test]
    fn form_mistakes_are_all_reported() {
        let a = fixture::activity("a1", "p1", "Football");
        let mut form = ListingForm::from_activity(&a);
        form.title = " ".into();
        form.ages = "16-11".into();
        form.price = "lots".into();
        form.free = false;
        form.timetable = "someday 10:00-11:00".into();
        let err = form.apply(a, |_| None).unwrap_err();
        assert!(err.len() >= 4, "{err:?}");
    }

    #[test]
    fn contact_details_are_read_by_the_same_rules_as_imports() {
        let a = fixture::activity("a1", "p1", "Football");
        let mut form = ListingForm::from_activity(&a);
        form.contact_email = "jo at the club".into();
        form.contact_phone = "ring the office".into();
        form.contact_url = "javascript:alert(1)".into();
        let err = form.apply(a.clone(), |_| None).unwrap_err();
        assert_eq!(
            err,
            vec![
                "contact email: 'jo at the club' is not an email address: give one like name@example.org",
                "contact phone: 'ring the office' is not a phone number: give one with its area code, like 01632 960123",
                "website: 'javascript:alert(1)' is not a web address: give one like https://example.org",
            ]
        );
        // Written loosely but plainly meant: tidied, as an import would.
        let mut form = ListingForm::from_activity(&a);
        form.contact_email = " mailto:jo@club.example.org ".into();
        form.contact_phone = "tel:01632 960123".into();
        form.contact_url = "www.club.example.org".into();
        let back = form.apply(a, |_| None).unwrap();
        let c = &back.join.contact;
        assert_eq!(c.email.as_deref(), Some("jo@club.example.org"));
        assert_eq!(c.phone.as_deref(), Some("01632 960123"));
        assert_eq!(c.url.as_deref(), Some("https://www.club.example.org"));
    }

    #[test]
    fn diff_names_only_changed_fields() {
        let a = fixture::activity("a1", "p1", "Football");
        let mut b = a.clone();
        b.title = "New title".into();
        let d = diff(&listing_fields(&a), &listing_fields(&b));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "Title");
        assert_eq!(d[0].after, "New title");
    }
}
