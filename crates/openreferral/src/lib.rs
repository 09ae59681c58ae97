//! Signpost's directory as Open Referral UK 3.0 JSON (the UK profile of HSDS 3.0): services,
//! organisations, service-at-locations, taxonomies and the paged envelope.
//!
//! Pure functions from [`signpost_model`] values to [`serde_json::Value`]s: no HTTP, no store.
//! The web crate serves them under `/oruk/`; `signpost export --format oruk` writes them to a
//! file that `signpost import` reads back (see `signpost_feeds::oruk`).
//!
//! # What goes where
//!
//! Everything ORUK has a field for goes in that field: the activity's title, description,
//! contact (`url`, `email`, `contacts`, `phones`), `status` (always `active`: withdrawn and
//! ended listings are not published), `minimum_age`/`maximum_age` (years, fractions for
//! months: 18 months is 1.5), `eligibility_description`, `cost_options` (free is an option of
//! amount 0; a price is in GBP per session; concessions are an `option` of their own),
//! `funding` (a bursary), `application_process` (how to join, in words), `schedules`,
//! `service_at_locations` (a physical location per venue, a virtual one when online),
//! `languages`, location `accessibility`, `assured_date` (when a person last confirmed the
//! listing runs) and `last_modified`. The provider is the `organization`, with its charity and
//! company numbers as `organization_identifiers` (org-id.guide schemes `GB-CHC`, `GB-SC`,
//! `GB-NIC`, `GB-COH`).
//!
//! # Categories: the `signpost-categories` taxonomy
//!
//! Each Signpost category is a taxonomy term with code `signpost-category:{slug}` (for example
//! `signpost-category:sport`) in the taxonomy `signpost-categories`. A service carries its
//! categories as `attributes` whose `taxonomy_term` is that term (`link_type` `category`).
//! The API's `taxonomy_term_id` filter takes the term's UUID, its code or the bare slug.
//!
//! # Everything else: the `signpost` taxonomy
//!
//! What Signpost knows and ORUK has no field for travels as `attributes` under the taxonomy
//! `signpost`. The convention, one line each:
//!
//! - The attribute's `taxonomy_term.code` is `signpost:{field}`, for example
//!   `signpost:gender`; the term says what the field is ([`Field`] lists them all, and
//!   `/oruk/taxonomy_terms?taxonomy_id=signpost` serves them). Readers go by the code: the
//!   term's `id` is a UUID like every other id.
//! - The attribute's `value` holds the fact as text, in Signpost's own spelling: `girls`,
//!   `drop-in`, `2026-11-30`, `11-16`.
//! - A field with several values (`signpost:join`, `signpost:newcomers`, `signpost:access`,
//!   `signpost:term`) is one attribute per value, in order.
//! - A yes/no field (`signpost:online`, `signpost:bursary`, `signpost:enhanced-dbs`, ...) is
//!   present with value `true` when true and absent otherwise.
//! - `link_type` is `signpost`, `link_entity` is `service` or `organization`, and `link_id` is
//!   the id of the service or organisation it describes.
//! - `signpost:id` holds the service's or organisation's Signpost id (its address on the
//!   site), which a re-import reads to keep the same listing.
//! - Facts about the activity hang off the service; facts about the provider (safeguarding)
//!   hang off `organization.attributes`.
//!
//! The timetable in Signpost's own form (`signpost:schedule`, [`Schedule::to_lines`]) is
//! there because ORUK schedules cannot say "term time only" or "not on 25 December"; the
//! ORUK `schedules` say the rest for readers that do not know Signpost.
//!
//! # Public and export output
//!
//! [`Audience::Public`] (the `/oruk/` API) never carries the name of the person who checked a
//! provider's safeguarding: only the organisation they checked for (`signpost:checked-for`),
//! when, until when and what they saw. [`Audience::Export`] (a file for moving a directory)
//! adds `signpost:safeguarding-record` and `signpost:verification-record`, whose values are
//! the compact JSON of [`Safeguarding`] and [`Verification`] exactly as Signpost stores them
//! (the verification names the checker), and the provider's own `signpost:postcode`. Only
//! `signpost import --keep-checks` uses the records.
//!
//! # Ids
//!
//! Every `id` and every reference to one (`service_id`, `organization_id`, `link_id`,
//! `taxonomy_term_id`, ...) is a UUID, as the ORUK 3.0 schema requires: the name-based UUID
//! ([`signpost_model::owned_uuid`]) of the record's table, its Signpost name and its owner.
//! Services and organisations are named by their Signpost ids (`girls-football`,
//! `humber-fc`) and own themselves, terms by their code; nested records are named by their
//! parent's and position (`{service}--venue-1`, `{service}--at-1` for a service at a
//! location, `{service}--schedule-1`, `{organisation}--org-phone`) and owned by their service
//! or organisation. So a service, organisation or term has the same UUID as long as it keeps
//! its Signpost id, on every Signpost (an export imported into an empty Signpost and exported
//! again keeps every UUID); a nested record's UUID changes when its position does (a venue
//! removed before it). Records are built with the names and rewritten in one place on the way
//! out (`ids::publish`). A service's or service-at-location's UUID carries its listing's short
//! reference, so `/oruk/services/{uuid}` is resolved through the search index's references
//! (a listing added in the last two seconds, before the index follows, is found by its
//! Signpost id only); the Signpost id works there too.
//!
//! [`Schedule::to_lines`]: signpost_model::Schedule::to_lines
//! [`Safeguarding`]: signpost_model::Safeguarding
//! [`Verification`]: signpost_model::Verification

mod attributes;
mod ids;
mod page;
mod service;
mod taxonomy;

pub use attributes::Field;
pub use page::page;
pub use service::{
    age_years, export, organization, organization_summary, service, service_as,
    service_at_location, service_at_location_summary, service_summary,
};
pub use signpost_model::At;
pub use taxonomy::{
    CATEGORY_TAXONOMY_ID, CATEGORY_TERM_PREFIX, FIELD_TERM_PREFIX, SIGNPOST_TAXONOMY_ID,
    category_for_term, category_term_id, is_taxonomy, taxonomies, taxonomy, taxonomy_term,
    taxonomy_terms,
};

/// Who the output is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: the `/oruk/` API. Never names the person who checked a provider.
    Public,
    /// A file to move a directory (`signpost export`): adds the full safeguarding record and
    /// check (naming the checker) and the provider's postcode, for `import --keep-checks`.
    Export,
}

/// The ORUK `/` answer: which version and profile this API follows.
pub fn api_info(openapi_url: &str) -> serde_json::Value {
    serde_json::json!({
        "version": "3.0",
        "profile": "https://github.com/openreferral/uk-profile",
        "openapi_url": openapi_url,
    })
}
