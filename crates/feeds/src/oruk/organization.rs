//! The organisation a service names: its name, contact details and identifiers (Companies House and the UK charity registers).

use super::*;

pub(super) fn read_organization(service: &Value) -> Result<ProviderDraft, String> {
    let org = service.get("organization").filter(|o| o.is_object());
    let name = org
        .and_then(|o| str_at(o, "name"))
        .map(text::line)
        .unwrap_or_default();
    if name.is_empty() {
        // Without a name the ingester cannot match or create the provider, and Signpost never
        // lists an activity without saying who runs it.
        return Err(
            "has no organization name (the service must include its organization)".to_owned(),
        );
    }
    let facts = org.and_then(SignpostFacts::of);
    let mut provider = ProviderDraft {
        source_id: facts
            .as_ref()
            .and_then(SignpostFacts::carried_id)
            .or_else(|| org.and_then(|o| id_text(o.get("id"))))
            .or_else(|| id_text(service.get("organization_id"))),
        name,
        ..ProviderDraft::default()
    };
    let Some(org) = org else {
        return Ok(provider);
    };
    provider.description = str_at(org, "description")
        .map(text::plain)
        .unwrap_or_default();
    provider.website = ["website", "url"]
        .iter()
        .find_map(|k| str_at(org, k).and_then(web_address));
    provider.email = str_at(org, "email").and_then(email_address);
    provider.phone = phones_in(org).into_iter().next();
    for ident in items(org, &["organization_identifiers"]) {
        let scheme = str_at(ident, "identifier_scheme")
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase();
        let Some(value) = id_text(ident.get("identifier")) else {
            continue;
        };
        // org-id.guide schemes: Companies House, and the three UK charity registers.
        match scheme.as_str() {
            "GB-COH" => provider.company_number = provider.company_number.or(Some(value)),
            "GB-CHC" | "GB-SC" | "GB-NIC" => {
                provider.charity_number = provider.charity_number.or(Some(value))
            }
            _ => {}
        }
    }
    if let Some(facts) = facts {
        facts.apply_to_provider(org, &mut provider);
    }
    Ok(provider)
}
