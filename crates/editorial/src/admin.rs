//! What admins do: organisations and accounts.

use signpost_accounts::Accounts;
use signpost_model::{Id, NewAudit, NewUser, Provider, Role, User, UserId};
use signpost_store::EditBatch;

use crate::{Desk, DeskError, invalid};

impl Desk {
    fn require_admin(&self, actor: &User) -> Result<(), DeskError> {
        if actor.is(Role::Admin) {
            Ok(())
        } else {
            Err(DeskError::Forbidden)
        }
    }

    /// Every organisation, for admins and checkers.
    pub fn providers(&self, actor: &User) -> Result<Vec<Provider>, DeskError> {
        if !(actor.is(Role::Admin) || actor.is(Role::Checker)) {
            return Err(DeskError::Forbidden);
        }
        let mut all = self.store.providers()?;
        all.sort_by_key(|p| p.name.to_lowercase());
        Ok(all)
    }

    /// Adds an organisation with nothing declared yet.
    pub fn create_provider(
        &self,
        actor: &User,
        id: &str,
        name: &str,
    ) -> Result<Provider, DeskError> {
        self.require_admin(actor)?;
        let name = name.trim();
        let mut problems = Vec::new();
        if name.is_empty() || name.chars().count() > 200 {
            problems.push("give the organisation's name (at most 200 characters)".to_owned());
        }
        let id = match Id::parse(id.trim()) {
            Ok(id) => Some(id),
            Err(e) => {
                problems.push(format!("short name: {e}"));
                None
            }
        };
        if let Some(id) = &id
            && self.store.provider(id)?.is_some()
        {
            problems.push(format!("there is already an organisation called {id}"));
        }
        let Some(id) = id.filter(|_| problems.is_empty()) else {
            return Err(DeskError::Invalid(problems));
        };
        let provider = Provider::named(id.clone(), name);
        let audit = NewAudit {
            at: self.now(),
            actor: Some(actor.id),
            actor_label: crate::actor_label(actor),
            provider_id: id,
            activity_id: None,
            action: "added the organisation".to_owned(),
            fields: Vec::new(),
            note: name.to_owned(),
        };
        self.directory.apply(&EditBatch {
            providers: vec![provider.clone()],
            audit: vec![audit],
            ..Default::default()
        })?;
        Ok(provider)
    }

    pub fn accounts(&self, actor: &User, accounts: &Accounts) -> Result<Vec<User>, DeskError> {
        self.require_admin(actor)?;
        Ok(accounts.users()?)
    }

    /// Invites someone: returns the one-time link's token to send them.
    pub fn invite(
        &self,
        actor: &User,
        accounts: &Accounts,
        new: NewUser,
    ) -> Result<(User, String), DeskError> {
        self.require_admin(actor)?;
        if let Some(p) = &new.provider_id
            && self.store.provider(p)?.is_none()
        {
            return Err(invalid(format!("there is no organisation called {p}")));
        }
        Ok(accounts.invite(new)?)
    }

    /// A new one-time link for an account (a fresh invite, or a password reset).
    pub fn reset_link(
        &self,
        actor: &User,
        accounts: &Accounts,
        user: UserId,
    ) -> Result<(User, String), DeskError> {
        self.require_admin(actor)?;
        let u = accounts.user(user)?.ok_or(DeskError::NotFound)?;
        Ok(accounts.reset_link(&u.email)?)
    }

    /// Changes an account's role and organisation, or disables it (which signs it out).
    pub fn update_account(
        &self,
        actor: &User,
        accounts: &Accounts,
        user: UserId,
        role: Role,
        organisation: &str,
        disabled: bool,
    ) -> Result<User, DeskError> {
        self.require_admin(actor)?;
        let mut u = accounts.user(user)?.ok_or(DeskError::NotFound)?;
        if u.id == actor.id && (disabled || role != Role::Admin) {
            return Err(invalid(
                "you cannot disable your own account or take away your own admin role",
            ));
        }
        let organisation = organisation.trim();
        u.role = role;
        u.disabled = disabled;
        u.provider_id = None;
        u.organisation = None;
        match role {
            Role::Provider => {
                let id = Id::parse(organisation)
                    .map_err(|_| invalid("give the organisation's short name"))?;
                if self.store.provider(&id)?.is_none() {
                    return Err(invalid(format!("there is no organisation called {id}")));
                }
                u.provider_id = Some(id);
            }
            Role::Checker => u.organisation = Some(organisation.to_owned()),
            Role::Admin => {}
        }
        accounts.update_user(&u)?;
        tracing::info!(
            by = actor.id,
            user = u.id,
            role = role.as_str(),
            disabled,
            "account changed"
        );
        Ok(u)
    }
}
