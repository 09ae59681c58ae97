//! The directory as Open Referral UK asks for it: services and services at locations, with
//! ORUK's own filters beside Signpost's search.
//!
//! What the search index runs (text, categories, day, place and radius) goes through
//! [`Directory::search`], so ORUK lists exactly the listings the site shows (live ones: see
//! [`crate::Standing`]). ORUK's other filters ([`ServiceFilters`]) have no index field, so they
//! are judged here over the search's matches, up to [`MAX_SCANNED`] of them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use signpost_model::{Activity, At, Coordinates, Id, Provider, public_uuid, reference_in_uuid};

use crate::{Directory, DirectoryError, SearchParams};

/// The most matches a filtered list looks through: a list with a filter the index does not
/// run is bounded by this.
pub const MAX_SCANNED: usize = 10_000;

/// ORUK's filters that Signpost's index does not run, each as ORUK defines it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceFilters {
    /// A minimum age of at least this, in the years a service is published with
    /// ([`signpost_openreferral::age_years`]); a listing whose ages are not stated has none.
    pub min_age: Option<f64>,
    /// A maximum age at or below this.
    pub max_age: Option<f64>,
    /// A session still to come that starts at or after this (on the search's day, if any).
    pub start_time: Option<NaiveTime>,
    /// A session still to come that ends by this.
    pub end_time: Option<NaiveTime>,
    /// Run by this organisation: its Signpost id or its published UUID.
    pub organization: Option<String>,
    /// Changed at or after this.
    pub modified_after: Option<DateTime<Utc>>,
}

impl ServiceFilters {
    fn any(&self) -> bool {
        *self != ServiceFilters::default()
    }

    fn keeps(&self, search: &SearchParams, a: &Activity, today: chrono::NaiveDate) -> bool {
        if let Some(org) = &self.organization {
            let org = org.trim().to_ascii_lowercase();
            // A UUID carries its organisation's short reference: compare that (cheap) before
            // working the whole UUID out.
            let by_uuid = || {
                reference_in_uuid(&org) == Some(a.provider_id.reference())
                    && public_uuid("organization", a.provider_id.as_str()) == org
            };
            if a.provider_id.as_str() != org && !by_uuid() {
                return false;
            }
        }
        if self
            .modified_after
            .is_some_and(|after| a.last_updated < after)
        {
            return false;
        }
        if self.min_age.is_some() || self.max_age.is_some() {
            let Some(ages) = a.stated_ages() else {
                return false;
            };
            let (min, max) = signpost_openreferral::age_years(ages);
            if self.min_age.is_some_and(|m| min < m) || self.max_age.is_some_and(|m| max > m) {
                return false;
            }
        }
        if self.start_time.is_some() || self.end_time.is_some() {
            return a.schedule.has_session_within(
                today,
                search.filters.day,
                self.start_time,
                self.end_time,
            );
        }
        true
    }
}

/// A page of services or services at locations, and how many there are in all.
#[derive(Debug)]
pub struct ServicePage<T> {
    pub items: Vec<T>,
    pub total: usize,
}

/// A live listing and its provider.
#[derive(Debug)]
pub struct Service {
    pub activity: Activity,
    pub provider: Provider,
}

/// A live listing at one of its places, and its provider.
#[derive(Debug)]
pub struct ServiceAt {
    pub activity: Activity,
    pub provider: Provider,
    pub at: At,
}

impl Directory {
    /// One page (`search.page`, `search.per_page`) of the services a search finds, kept by
    /// `filters`, in the search's order.
    pub fn services(
        &self,
        search: &SearchParams,
        filters: &ServiceFilters,
    ) -> Result<ServicePage<Service>, DirectoryError> {
        let (activities, total) = if filters.any() {
            let today = self.today();
            let all: Vec<Activity> = self
                .every_match(search)?
                .0
                .into_iter()
                .filter(|a| filters.keeps(search, a, today))
                .collect();
            let total = all.len();
            (page_of(all, search), total)
        } else {
            let outcome = self.search(search.clone())?;
            let total = outcome.results.total;
            (listings(outcome), total)
        };
        let providers = self.providers_of(&activities)?;
        let items = activities
            .into_iter()
            .filter_map(|activity| {
                let provider = providers.get(&activity.provider_id)?.clone();
                Some(Service { activity, provider })
            })
            .collect();
        Ok(ServicePage { items, total })
    }

    /// One page of the places the services a search finds are delivered at, kept by
    /// `filters`. Near a place, only venues within the radius, nearest first (online ones
    /// are at no distance from anywhere, so they are left out); otherwise every venue of every
    /// listing and a place for each online one, in the search's order.
    pub fn service_places(
        &self,
        search: &SearchParams,
        filters: &ServiceFilters,
    ) -> Result<ServicePage<ServiceAt>, DirectoryError> {
        let today = self.today();
        let (activities, centre) = self.every_match(search)?;
        let kept: Vec<Activity> = activities
            .into_iter()
            .filter(|a| filters.keeps(search, a, today))
            .collect();
        let mut places: Vec<(f64, usize, At)> = Vec::new();
        for (n, a) in kept.iter().enumerate() {
            for at in At::all(a) {
                match (at, centre) {
                    (At::Venue(i), Some((centre, radius))) => {
                        let km = a.venues[i].coordinates.distance_km(centre);
                        if km <= radius {
                            places.push((km, n, at));
                        }
                    }
                    (At::Online, Some(_)) => {}
                    (_, None) => places.push((0.0, n, at)),
                }
            }
        }
        places.sort_by(|x, y| x.0.total_cmp(&y.0));
        let total = places.len();
        let places = page_of(places, search);
        let chosen: Vec<Activity> = places.iter().map(|(_, n, _)| kept[*n].clone()).collect();
        let providers = self.providers_of(&chosen)?;
        let items = places
            .into_iter()
            .zip(chosen)
            .filter_map(|((_, _, at), activity)| {
                let provider = providers.get(&activity.provider_id)?.clone();
                Some(ServiceAt {
                    activity,
                    provider,
                    at,
                })
            })
            .collect();
        Ok(ServicePage { items, total })
    }

    /// Every match of a search (up to [`MAX_SCANNED`]), in the search's order, with the
    /// place it was centred on and the radius.
    #[allow(clippy::type_complexity)]
    fn every_match(
        &self,
        search: &SearchParams,
    ) -> Result<(Vec<Activity>, Option<(Coordinates, f64)>), DirectoryError> {
        // One search for the whole window: each search ranks every match, so paging through
        // them would repeat that work once per page.
        let outcome = self.search(SearchParams {
            page: 1,
            per_page: MAX_SCANNED,
            ..search.clone()
        })?;
        let centre = outcome
            .located
            .as_ref()
            .zip(outcome.radius_km)
            .map(|(l, r)| (l.coordinates, r));
        Ok((listings(outcome), centre))
    }

    /// The providers of some activities (the index holds only their names).
    fn providers_of(
        &self,
        activities: &[Activity],
    ) -> Result<HashMap<Id, Provider>, DirectoryError> {
        let mut out = HashMap::new();
        for a in activities {
            if !out.contains_key(&a.provider_id)
                && let Some(p) = self.store.provider(&a.provider_id)?
            {
                out.insert(a.provider_id.clone(), p);
            }
        }
        Ok(out)
    }
}

/// The listings a search found, in its order.
fn listings(outcome: crate::SearchOutcome) -> Vec<Activity> {
    outcome
        .results
        .hits
        .into_iter()
        .map(|h| h.item.activity)
        .collect()
}

fn page_of<T>(all: Vec<T>, search: &SearchParams) -> Vec<T> {
    all.into_iter()
        .skip((search.page.max(1) - 1).saturating_mul(search.per_page))
        .take(search.per_page)
        .collect()
}
