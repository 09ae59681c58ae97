//! Wire-format views for the JSON API, kept apart from the model so the stored shape can change
//! without breaking the contract. Private details (who at the checking body did the check) stay
//! out.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use signpost_directory::Hit;
use signpost_directory::{ActivityPage, Location, ProviderPage, SearchOutcome};
use signpost_model::{Activity, Occurrence, Provider, SafeguardingStatus, Venue, weekday_name};

use crate::format::{km, pounds};

#[derive(Serialize)]
pub struct ProviderRef {
    pub id: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct SessionView {
    pub date: NaiveDate,
    pub day: &'static str,
    pub start: String,
    pub end: String,
}

impl From<&Occurrence> for SessionView {
    fn from(o: &Occurrence) -> Self {
        use chrono::Datelike;
        SessionView {
            date: o.date,
            day: weekday_name(o.date.weekday()),
            start: o.start.to_string(),
            end: o.end.to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct VenueView {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    pub postcode: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub map_url: String,
}

impl From<&Venue> for VenueView {
    fn from(v: &Venue) -> Self {
        VenueView {
            name: v.name.clone(),
            address: v.address.clone(),
            postcode: v.postcode.as_ref().map(|p| p.to_string()),
            lat: v.coordinates.lat(),
            lon: v.coordinates.lon(),
            map_url: v.map_url(),
        }
    }
}

#[derive(Serialize)]
pub struct ResultView {
    pub id: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub provider: ProviderRef,
    pub categories: Vec<&'static str>,
    /// Null when the listing's source did not state ages.
    pub age_min: Option<u16>,
    pub age_max: Option<u16>,
    pub ages: String,
    pub gender: &'static str,
    pub free: bool,
    pub price: Option<f64>,
    pub distance_km: Option<f64>,
    pub next_session: Option<SessionView>,
    pub safeguarding: &'static str,
    pub online: bool,
    pub venues: Vec<VenueView>,
    pub last_confirmed: Option<NaiveDate>,
    /// Not confirmed as running for a long time.
    pub may_be_out_of_date: bool,
}

fn summary(text: &str) -> String {
    crate::format::cut_at_word(text, 200, &[])
}

impl From<&Hit> for ResultView {
    fn from(h: &Hit) -> Self {
        let a = &h.item.activity;
        ResultView {
            id: a.id.to_string(),
            url: format!("/activities/{}", a.id),
            title: a.title.clone(),
            summary: summary(&a.description),
            provider: ProviderRef {
                id: h.item.provider.id.to_string(),
                name: h.item.provider.name.clone(),
            },
            categories: a.categories.iter().map(|c| c.slug()).collect(),
            age_min: a.stated_ages().map(|r| r.min_years()),
            age_max: a.stated_ages().map(|r| r.max_years()),
            ages: a.ages_label(),
            gender: a.gender.as_str(),
            free: a.cost.free,
            price: a.cost.price_pence.filter(|_| !a.cost.free).map(pounds),
            distance_km: h.distance_km.map(km),
            next_session: h.next_session.as_ref().map(SessionView::from),
            safeguarding: h.safeguarding.as_str(),
            online: a.online,
            venues: a.venues.iter().map(VenueView::from).collect(),
            last_confirmed: a.last_confirmed,
            may_be_out_of_date: h.stale,
        }
    }
}

#[derive(Serialize)]
pub struct LocationView {
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    /// False when a full postcode was not known and its district was used.
    pub exact: bool,
}

#[derive(Serialize)]
pub struct FacetsView {
    pub category: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
pub struct SearchView {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub results: Vec<ResultView>,
    pub facets: FacetsView,
    pub location: Option<LocationView>,
}

impl From<&SearchOutcome> for SearchView {
    fn from(o: &SearchOutcome) -> Self {
        SearchView {
            total: o.results.total,
            page: o.params.page,
            per_page: o.params.per_page,
            results: o.results.hits.iter().map(ResultView::from).collect(),
            facets: FacetsView {
                category: o
                    .results
                    .category_counts
                    .iter()
                    .map(|(c, n)| (c.slug(), *n))
                    .collect(),
            },
            location: o.located.as_ref().map(|l: &Location| LocationView {
                label: l.label.clone(),
                lat: l.coordinates.lat(),
                lon: l.coordinates.lon(),
                radius_km: o
                    .radius_km
                    .unwrap_or(signpost_directory::params::DEFAULT_RADIUS_KM),
                exact: l.exact,
            }),
        }
    }
}

#[derive(Serialize)]
pub struct CheckView {
    pub on_behalf_of: String,
    pub checked_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub evidence: String,
}

#[derive(Serialize)]
pub struct SafeguardingView {
    pub status: &'static str,
    pub written_policy: bool,
    pub policy_last_reviewed: Option<NaiveDate>,
    pub designated_lead_role: Option<String>,
    pub enhanced_dbs: bool,
    pub insurance_expires: Option<NaiveDate>,
    pub insurance_in_date: bool,
    pub first_aid: bool,
    pub check: Option<CheckView>,
}

impl SafeguardingView {
    pub fn new(p: &Provider, status: SafeguardingStatus, today: NaiveDate) -> Self {
        let s = &p.safeguarding;
        SafeguardingView {
            status: status.as_str(),
            written_policy: s.policy.is_some(),
            policy_last_reviewed: s.policy.as_ref().and_then(|p| p.last_reviewed),
            designated_lead_role: s.designated_lead_role.clone(),
            enhanced_dbs: s.enhanced_dbs,
            insurance_expires: s.insurance_expires,
            insurance_in_date: s.insured_on(today),
            first_aid: s.first_aid,
            check: p.verification.check().map(|c| CheckView {
                on_behalf_of: c.on_behalf_of.clone(),
                checked_on: c.checked_on,
                expires_on: c.expires_on,
                evidence: c.evidence.clone(),
            }),
        }
    }
}

#[derive(Serialize)]
pub struct ProviderView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub charity_number: Option<String>,
    pub company_number: Option<String>,
    pub safeguarding: SafeguardingView,
}

impl ProviderView {
    pub fn new(p: &Provider, status: SafeguardingStatus, today: NaiveDate) -> Self {
        ProviderView {
            id: p.id.to_string(),
            name: p.name.clone(),
            description: p.description.clone(),
            website: p.website.as_deref().map(str::to_owned),
            email: p.email.as_deref().map(str::to_owned),
            phone: p.phone.as_deref().map(str::to_owned),
            charity_number: p.charity_number.clone(),
            company_number: p.company_number.clone(),
            safeguarding: SafeguardingView::new(p, status, today),
        }
    }
}

/// One entry of a listing's timetable: weekly (`repeats: "weekly"`) or a single date.
#[derive(Serialize)]
pub struct TimetableView {
    pub repeats: &'static str,
    pub day: &'static str,
    pub start: String,
    pub end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

pub fn timetable(a: &Activity) -> Vec<TimetableView> {
    use chrono::Datelike;
    use signpost_model::TermPattern;
    let mut out: Vec<TimetableView> = a
        .schedule
        .weekly
        .iter()
        .map(|w| TimetableView {
            repeats: "weekly",
            day: weekday_name(w.day),
            start: w.start.to_string(),
            end: w.end.to_string(),
            date: None,
            term: Some(match w.term {
                TermPattern::AllYear => "all-year",
                TermPattern::TermTime => "term-time",
                TermPattern::SchoolHolidays => "school-holidays",
            }),
            valid_from: w.valid_from,
            valid_to: w.valid_to,
        })
        .collect();
    out.extend(a.schedule.dated.iter().map(|d| TimetableView {
        repeats: "once",
        day: weekday_name(d.date.weekday()),
        start: d.start.to_string(),
        end: d.end.to_string(),
        date: Some(d.date),
        term: None,
        valid_from: None,
        valid_to: None,
    }));
    out
}

#[derive(Serialize)]
pub struct CostView {
    pub free: bool,
    pub price: Option<f64>,
    pub concessions: Option<String>,
    pub bursary: bool,
}

#[derive(Serialize)]
pub struct ActivityView {
    pub id: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub provider: ProviderView,
    pub categories: Vec<&'static str>,
    /// Null when the listing's source did not state ages.
    pub age_min: Option<u16>,
    pub age_max: Option<u16>,
    pub age_min_months: Option<u16>,
    pub age_max_months: Option<u16>,
    pub ages: String,
    pub gender: &'static str,
    pub free: bool,
    pub price: Option<f64>,
    pub cost: CostView,
    pub sessions: Vec<TimetableView>,
    pub exceptions: Vec<NaiveDate>,
    pub next_session: Option<SessionView>,
    pub ended: bool,
    pub venues: Vec<VenueView>,
    pub online: bool,
    pub access: signpost_model::Access,
    pub join: signpost_model::HowToJoin,
    pub last_updated: DateTime<Utc>,
    pub last_confirmed: Option<NaiveDate>,
    pub may_be_out_of_date: bool,
    pub withdrawn: bool,
}

impl ActivityView {
    pub fn new(page: &ActivityPage, today: NaiveDate) -> Self {
        let a = &page.activity;
        let price = a.cost.price_pence.filter(|_| !a.cost.free).map(pounds);
        ActivityView {
            id: a.id.to_string(),
            url: format!("/activities/{}", a.id),
            title: a.title.clone(),
            description: a.description.clone(),
            provider: ProviderView::new(&page.provider, page.safeguarding, today),
            categories: a.categories.iter().map(|c| c.slug()).collect(),
            age_min: a.stated_ages().map(|r| r.min_years()),
            age_max: a.stated_ages().map(|r| r.max_years()),
            age_min_months: a.stated_ages().map(|r| r.min_months()),
            age_max_months: a.stated_ages().map(|r| r.max_months()),
            ages: a.ages_label(),
            gender: a.gender.as_str(),
            free: a.cost.free,
            price,
            cost: CostView {
                free: a.cost.free,
                price,
                concessions: a.cost.concessions.clone(),
                bursary: a.cost.bursary,
            },
            sessions: timetable(a),
            exceptions: a.schedule.exceptions.clone(),
            next_session: page.next_session.as_ref().map(SessionView::from),
            ended: page.ended,
            venues: a.venues.iter().map(VenueView::from).collect(),
            online: a.online,
            access: a.access.clone(),
            join: a.join.clone(),
            last_updated: a.last_updated,
            last_confirmed: a.last_confirmed,
            may_be_out_of_date: page.stale,
            withdrawn: a.withdrawn,
        }
    }
}

#[derive(Serialize)]
pub struct ProviderPageView {
    #[serde(flatten)]
    pub provider: ProviderView,
    pub activities: Vec<ProviderActivityView>,
}

#[derive(Serialize)]
pub struct ProviderActivityView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub ended: bool,
}

impl ProviderPageView {
    pub fn new(page: &ProviderPage, today: NaiveDate) -> Self {
        ProviderPageView {
            provider: ProviderView::new(&page.provider, page.safeguarding, today),
            activities: page
                .activities
                .iter()
                .map(|(a, ended)| ProviderActivityView {
                    id: a.id.to_string(),
                    title: a.title.clone(),
                    url: format!("/activities/{}", a.id),
                    ended: *ended,
                })
                .collect(),
        }
    }
}
