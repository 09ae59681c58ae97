//! Signpost's own attributes: what another Signpost (an export, an `/oruk/` API) says exactly, read instead of guessed.

use super::*;

/// The `signpost:*` attributes and `signpost-category:*` terms on one service or organisation.
pub(super) struct SignpostFacts {
    values: Vec<(Field, String)>,
    categories: Vec<Category>,
}

impl SignpostFacts {
    /// `None` when the object carries no Signpost attribute: it is read like any other.
    pub(super) fn of(v: &Value) -> Option<SignpostFacts> {
        let mut facts = SignpostFacts {
            values: Vec::new(),
            categories: Vec::new(),
        };
        let mut any = false;
        for attribute in items(v, &["attributes"]) {
            // Signpost's term is named by its code (its id is a UUID); files written before
            // ids were UUIDs named it by the id.
            let term = attribute.get("taxonomy_term");
            let term_id = term
                .and_then(|t| id_text(t.get("code")))
                .or_else(|| term.and_then(|t| id_text(t.get("id"))))
                .or_else(|| id_text(attribute.get("taxonomy_term_id")));
            // A term named only by its UUID (a re-publisher dropped the code) is one of
            // Signpost's when the UUID is: they are derived, so the same everywhere.
            let term_id = term_id.map(|id| {
                if is_uuid(&id) {
                    signpost_openreferral::taxonomy_term(&id)
                        .and_then(|t| t["code"].as_str().map(str::to_owned))
                        .unwrap_or(id)
                } else {
                    id
                }
            });
            let Some(term_id) = term_id else {
                continue;
            };
            if let Some(field) = Field::from_term_id(&term_id) {
                any = true;
                let value = match attribute.get("value") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => continue,
                };
                facts.values.push((field, value));
            } else if term_id.starts_with(CATEGORY_TERM_PREFIX) {
                any = true;
                if let Some(c) = category_for_term(&term_id)
                    && !facts.categories.contains(&c)
                {
                    facts.categories.push(c);
                }
            }
        }
        any.then_some(facts)
    }

    /// The Signpost id of what these facts describe: `signpost:id`, or in a file written
    /// before ids were UUIDs, the record's own id (`record_id`) when it is a Signpost id.
    /// The Signpost id the record carries in its `signpost:id` attribute, as written.
    pub(super) fn carried_id(&self) -> Option<String> {
        self.first(Field::Id)
            .map(text::line)
            .filter(|id| !id.is_empty())
    }

    pub(super) fn signpost_id(&self, record_id: &str) -> Option<Id> {
        match self.first(Field::Id) {
            Some(id) => Id::parse(id.trim()).ok(),
            None if !is_uuid(record_id) => Id::parse(record_id).ok(),
            None => None,
        }
    }

    /// Every value of a field, as given (callers pass them through [`text`]).
    fn all(&self, field: Field) -> impl Iterator<Item = &str> {
        self.values
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn first(&self, field: Field) -> Option<&str> {
        self.all(field).next()
    }

    /// A yes/no field: present (and not "false") means yes.
    fn yes(&self, field: Field) -> bool {
        self.all(field)
            .any(|v| !v.trim().eq_ignore_ascii_case("false"))
    }

    /// One-line values of a field, cleaned.
    fn lines(&self, field: Field) -> Vec<String> {
        self.all(field)
            .map(text::line)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Replaces what was guessed from the service's ORUK fields with what Signpost said.
    pub(super) fn apply(&self, service: &Value, a: &mut ActivityDraft) {
        if !self.categories.is_empty() {
            a.categories.clone_from(&self.categories);
        }
        a.terms = self.lines(Field::Term);
        if self.yes(Field::AgeNotStated) {
            a.ages = None;
        } else if let Some(ages) = self
            .first(Field::Ages)
            .and_then(|t| AgeRange::parse(&text::line(t)).ok())
        {
            a.ages = Some(ages);
        }
        if let Some(g) = self.first(Field::Gender).and_then(Gender::parse) {
            a.gender = g;
        }
        a.join.methods = Vec::new();
        for m in self.all(Field::Join).filter_map(JoinMethod::parse) {
            if !a.join.methods.contains(&m) {
                a.join.methods.push(m);
            }
        }
        a.join.newcomers = Vec::new();
        for n in self.all(Field::Newcomers).filter_map(Newcomer::parse) {
            if !a.join.newcomers.contains(&n) {
                a.join.newcomers.push(n);
            }
        }
        let needs: Vec<String> = self
            .lines(Field::Access)
            .into_iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        let need = |names: &[&str]| needs.iter().any(|n| names.contains(&n.as_str()));
        let mut languages = Vec::new();
        for l in items(service, &["languages"]) {
            let name = match l {
                Value::String(s) => Some(s.as_str()),
                _ => str_at(l, "name"),
            };
            if let Some(name) = name.map(text::line).filter(|n| !n.is_empty()) {
                push_unique_ci(&mut languages, name);
            }
        }
        a.access = Access {
            wheelchair: need(&["wheelchair"]),
            send_friendly: need(&["send", "send-friendly"]),
            quiet_sessions: need(&["quiet", "quiet-sessions"]),
            languages,
        };
        // The timetable in Signpost's own words says what ORUK schedules cannot (term time,
        // exception dates); one that cannot be read leaves the ORUK schedules' reading.
        if let Some(lines) = self.first(Field::Schedule)
            && let Ok(schedule) = Schedule::parse_lines(&text::plain(lines))
        {
            a.schedule = schedule;
        }
        // How to join, in words: the schedules are all weekly, so nothing was added to it.
        a.join.notes = str_at(service, "application_process")
            .map(text::plain)
            .unwrap_or_default();
        a.online = self.yes(Field::Online);
        let amounts: Vec<u32> = items(service, &["cost_options"])
            .filter_map(|o| amount_pence(o.get("amount")))
            .collect();
        let free = amounts.contains(&0);
        a.cost = Cost {
            free,
            price_pence: if free {
                None
            } else {
                amounts.into_iter().find(|p| *p > 0)
            },
            concessions: self
                .first(Field::Concessions)
                .map(text::plain)
                .filter(|c| !c.is_empty()),
            bursary: self.yes(Field::Bursary),
        };
        a.confirmed = date_at(service, "assured_date");
    }

    /// The organisation's Signpost id, and from an export its postcode and its safeguarding
    /// record and check (used only under `--keep-checks`).
    pub(super) fn apply_to_provider(&self, org: &Value, p: &mut ProviderDraft) {
        p.signpost_id = self.signpost_id(&id_text(org.get("id")).unwrap_or_default());
        if p.postcode.is_none() {
            p.postcode = self
                .first(Field::Postcode)
                .and_then(|pc| Postcode::parse(&text::line(pc)).ok());
        }
        p.safeguarding = self
            .first(Field::SafeguardingRecord)
            .and_then(|json| serde_json::from_str::<Safeguarding>(json).ok())
            .map(|mut s| {
                s.designated_lead_role = s
                    .designated_lead_role
                    .map(|r| text::line(&r))
                    .filter(|r| !r.is_empty());
                s
            });
        p.verification = self
            .first(Field::VerificationRecord)
            .and_then(|json| serde_json::from_str::<Verification>(json).ok())
            .and_then(|v| match v {
                Verification::Verified(c) => VerificationCheck::new(
                    text::line(&c.checked_by),
                    text::line(&c.on_behalf_of),
                    c.checked_on,
                    text::plain(&c.evidence),
                    Some(c.expires_on),
                )
                .ok()
                .map(Verification::Verified),
                other => Some(other),
            });
    }
}
