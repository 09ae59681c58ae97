//! Providers: fictional clubs, charities and groups in real towns, with every safeguarding
//! state the model has.

use chrono::{Days, Months, NaiveDate};
use signpost_model::{
    Category, Email, Id, Phone, Provider, Safeguarding, SafeguardingPolicy, Verification,
    VerificationCheck, WebUrl,
};

use crate::place::{initial_and_surname, landline, mobile, postcode};
use crate::rng::{Rand, Stream};
use crate::towns::Town;
use crate::words::{LOCALES, blurb, capitalise, lexicon};
use crate::{SYNTH_TODAY, Synth};

/// What an activity needs to know of its provider: cheap to make on its own.
pub(crate) struct Core {
    pub id: Id,
    pub name: String,
    pub town: &'static Town,
    pub category: Category,
    /// `example.org` or `example.com` host for the provider's website and emails.
    pub domain: String,
}

/// Categories whose providers are usually named after what they do ("Leeds Netball Club").
fn named_for_activity(c: Category) -> bool {
    matches!(
        c,
        Category::Sport
            | Category::ArtsCrafts
            | Category::Music
            | Category::DanceDrama
            | Category::Outdoors
            | Category::SkillsLearning
    )
}

/// How common each kind of provider is, in `Category::ALL` order.
const CATEGORY_WEIGHTS: [u32; 16] = [24, 9, 8, 8, 6, 10, 6, 4, 2, 3, 4, 3, 6, 3, 8, 5];

impl Synth {
    pub(crate) fn core(&self, j: usize) -> Core {
        let mut rng = Rand::new(self.seed, Stream::ProviderCore, j as u64);
        let town = self.town(&mut rng);
        let category = Category::ALL[rng.weighted(&CATEGORY_WEIGHTS)];
        let lex = lexicon(category);
        let org = *rng.pick(lex.org);
        let place = if rng.chance(0.5) {
            town.name
        } else {
            *rng.pick(LOCALES)
        };
        let name = if named_for_activity(category) && rng.chance(0.6) {
            let activity: &&str = rng.pick_skewed(lex.activities);
            let activity = capitalise(activity);
            let kind = rng.pick(&["Club", "Club", "Club", "Academy", "Project"]);
            format!("{place} {activity} {kind}")
        } else {
            format!("{place} {org}")
        };
        let id = Id::slugged(&name, "provider", &format!("p{j}"));
        let tld = if rng.chance(0.7) { "org" } else { "com" };
        let domain = format!("{id}.example.{tld}");
        Core {
            id,
            name,
            town,
            category,
            domain,
        }
    }

    pub(crate) fn make_provider(&self, j: usize) -> Provider {
        let core = self.core(j);
        let mut rng = Rand::new(self.seed, Stream::Provider, j as u64);
        let description = format!(
            "{} {} {} for children and young people in and around {}.",
            core.name,
            rng.pick(&["runs", "offers", "organises"]),
            blurb(core.category),
            core.town.name
        );
        let mut p = Provider::named(core.id.clone(), core.name.clone());
        p.description = description;
        p.website = rng
            .chance(0.85)
            .then(|| format!("https://{}/", core.domain))
            .map(|u| WebUrl::parse(&u).expect("made-up addresses are valid"));
        p.email = rng
            .chance(0.9)
            .then(|| {
                format!(
                    "{}@{}",
                    rng.pick(&["hello", "info", "contact", "admin"]),
                    core.domain
                )
            })
            .map(|e| Email::parse(&e).expect("made-up emails are valid"));
        p.phone = rng
            .chance(0.7)
            .then(|| {
                if rng.chance(0.7) {
                    landline(&mut rng, core.town)
                } else {
                    mobile(&mut rng)
                }
            })
            .map(|n| Phone::parse(&n).expect("made-up numbers are valid"));
        // Numbers starting 99: neither regulator has issued any.
        p.charity_number = rng
            .chance(0.4)
            .then(|| format!("99{:05}", rng.below(100_000)));
        p.company_number = rng
            .chance(0.2)
            .then(|| format!("99{:06}", rng.below(1_000_000)));
        p.postcode = rng.chance(0.6).then(|| postcode(&mut rng, core.town));
        let (safeguarding, verification) = safeguarding(&mut rng, core.town);
        p.trusted = matches!(&verification, Verification::Verified(c) if c.expires_on >= SYNTH_TODAY)
            && rng.chance(0.25);
        p.safeguarding = safeguarding;
        p.verification = verification;
        p
    }
}

fn days_ago(n: u32) -> NaiveDate {
    SYNTH_TODAY - Days::new(u64::from(n))
}

fn days_ahead(n: u32) -> NaiveDate {
    SYNTH_TODAY + Days::new(u64::from(n))
}

const LEAD_ROLES: &[&str] = &[
    "Designated Safeguarding Lead",
    "Club Welfare Officer",
    "Welfare Officer",
    "Project Manager (Safeguarding Lead)",
    "Head Coach and Welfare Lead",
    "Youth Work Manager",
];

const CHECKER_ROLES: &[&str] = &[
    "link worker",
    "social prescribing link worker",
    "community navigator",
    "youth link worker",
    "community connector",
];

const BODIES: &[&str] = &[
    "Social Prescribing Partnership",
    "Youth Link Workers",
    "Community Connectors",
    "Youth Partnership",
];

fn month_year(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

/// A declared record, filled in the way providers do: mostly complete, sometimes not.
fn declared(rng: &mut Rand) -> Safeguarding {
    Safeguarding {
        policy: rng.chance(0.9).then(|| SafeguardingPolicy {
            last_reviewed: rng.chance(0.85).then(|| days_ago(rng.between(20, 540))),
        }),
        designated_lead_role: rng.chance(0.9).then(|| (*rng.pick(LEAD_ROLES)).to_owned()),
        enhanced_dbs: rng.chance(0.9),
        insurance_expires: rng.chance(0.9).then(|| {
            if rng.chance(0.06) {
                days_ago(rng.between(1, 120))
            } else {
                days_ahead(rng.between(10, 400))
            }
        }),
        first_aid: rng.chance(0.85),
    }
}

/// About 45% verified in the last eleven months (a few about to expire), 10% verified more
/// than a year ago (so now expired), 25% self-declared and 20% not checked: the sample's mix.
fn safeguarding(rng: &mut Rand, town: &Town) -> (Safeguarding, Verification) {
    let r = rng.unit();
    if r < 0.55 {
        let expired = r >= 0.45;
        let checked_on = if expired {
            days_ago(rng.between(370, 900))
        } else if rng.chance(0.06) {
            days_ago(rng.between(340, 364))
        } else {
            days_ago(rng.between(3, 330))
        };
        let expires_on = if !expired && rng.chance(0.15) {
            checked_on.checked_add_months(Months::new(24))
        } else {
            None
        };
        let record = declared(rng);
        let staff = rng.between(2, 14);
        let mut evidence = format!(
            "Safeguarding policy seen; enhanced DBS certificates for {staff} staff and volunteers"
        );
        if let Some(d) = record.insurance_expires {
            evidence.push_str(&format!(
                "; public liability insurance schedule to {}",
                month_year(d)
            ));
        }
        evidence.push('.');
        let check = VerificationCheck::new(
            format!("{}, {}", initial_and_surname(rng), rng.pick(CHECKER_ROLES)),
            format!("{} {}", town.name, rng.pick(BODIES)),
            checked_on,
            evidence,
            expires_on,
        )
        .expect("an expiry after the check");
        (record, Verification::Verified(check))
    } else if r < 0.8 {
        let declared_on = rng.chance(0.85).then(|| days_ago(rng.between(5, 700)));
        (declared(rng), Verification::SelfDeclared { declared_on })
    } else {
        let record = if rng.chance(0.3) {
            Safeguarding {
                designated_lead_role: Some((*rng.pick(LEAD_ROLES)).to_owned()),
                ..Safeguarding::default()
            }
        } else {
            Safeguarding::default()
        };
        (record, Verification::NotChecked)
    }
}
