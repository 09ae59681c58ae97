//! People who sign in, and what they may do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Id;

/// What an account may do. One role per account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Keeps one organisation's listings and safeguarding record.
    Provider,
    /// A link worker or council officer: reviews changes and checks safeguarding.
    Checker,
    /// Manages organisations and accounts.
    Admin,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Provider, Role::Checker, Role::Admin];

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "provider" | "provider-editor" | "editor" => Some(Role::Provider),
            "checker" => Some(Role::Checker),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Provider => "provider",
            Role::Checker => "checker",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Provider => "Provider editor",
            Role::Checker => "Checker",
            Role::Admin => "Administrator",
        }
    }
}

/// A stored account id.
pub type UserId = i64;

/// An account. The password hash is never part of it: it stays in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// Kept lower case; unique.
    pub email: String,
    pub name: String,
    pub role: Role,
    /// For provider editors: the one organisation they keep.
    pub provider_id: Option<Id>,
    /// For checkers: the organisation they check for ("Hull Social Prescribing Service"),
    /// recorded on every verification they make.
    pub organisation: Option<String>,
    pub disabled: bool,
    /// False until the invite link has been used to set a password.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// Whether this account may act for `provider`.
    pub fn edits(&self, provider: &Id) -> bool {
        !self.disabled && self.role == Role::Provider && self.provider_id.as_ref() == Some(provider)
    }

    pub fn is(&self, role: Role) -> bool {
        !self.disabled && self.role == role
    }
}

/// What a new account starts with.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub provider_id: Option<Id>,
    pub organisation: Option<String>,
}

/// What a one-time link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    Invite,
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }
}
