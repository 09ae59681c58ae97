//! Accounts for the people who keep Signpost current: provider editors, checkers and admins.
//!
//! Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes); hashing is slow
//! on purpose, so every call that hashes or verifies blocks and must be run off the async
//! workers. Sessions and one-time links are random 256-bit tokens of which only a hash is
//! stored. Failed sign-ins are throttled per account and per address.
//!
//! Nothing here knows about HTTP.

mod throttle;

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use chrono::{DateTime, Duration, Utc};
use signpost_model::{NewUser, Role, TokenPurpose, User, UserId};
use signpost_store::{AccountStore, SessionRecord, StoreError};

pub use throttle::{RateLimit, Throttle, address_key};

/// Where "now" comes from; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A password that breaks the rules; the message says which.
    #[error("{0}")]
    Password(String),
    #[error("that email and password do not match an account")]
    BadLogin,
    #[error("too many failed sign-ins: wait {minutes} minutes and try again")]
    Throttled { minutes: i64 },
    #[error("this link has expired or has already been used: ask for a new one")]
    LinkInvalid,
    /// Something the person typed that cannot be used; the message says why.
    #[error("{0}")]
    Input(String),
    /// Someone else changed the same thing first (an email already taken, say).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => AccountError::Conflict(m),
            e => AccountError::Store(e),
        }
    }
}

/// How long things last.
#[derive(Clone, Copy, Debug)]
pub struct AccountSettings {
    pub session: Duration,
    pub invite: Duration,
    pub reset: Duration,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings {
            session: Duration::hours(12),
            invite: Duration::days(7),
            reset: Duration::hours(24),
        }
    }
}

/// A new session: the token goes in the cookie, the CSRF token in every form.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a password cannot be used, in words for the person choosing it.
pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "choose a password of at least {MIN_PASSWORD_CHARS} characters (three or four \
             unrelated words work well)"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(format!(
            "choose a password of at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) {
        return Some("choose a password that is not one character repeated".to_owned());
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if lower == email.to_lowercase() || (local.len() >= 4 && lower.contains(&local)) {
        return Some("choose a password that does not contain your email address".to_owned());
    }
    const COMMON: &[&str] = &[
        "password",
        "123456789",
        "qwertyuiop",
        "letmein",
        "iloveyou",
        "welcome",
        "football",
        "signpost",
        "abcdefghij",
        "passw0rd",
    ];
    if COMMON.iter().any(|c| lower.contains(c)) {
        return Some(
            "that password is too easy to guess: avoid common words like \"password\" or \
             \"123456789\""
                .to_owned(),
        );
    }
    None
}

/// Hashes a password with argon2id and a random salt. Slow on purpose: call it off the async
/// workers.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    fill_random(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| AccountError::Input(format!("could not make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Input(format!("could not hash the password: {e}")))
}

/// Whether `password` matches a stored hash. Slow on purpose: call it off the async workers.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn fill_random(buf: &mut [u8]) {
    // The OS random source failing is not something to carry on from.
    #[allow(clippy::expect_used)]
    getrandom::fill(buf).expect("the operating system's random source failed");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random 256-bit token, as 64 hex characters.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    fill_random(&mut buf);
    hex(&buf)
}

/// What is stored for a token: its BLAKE2b-256 hash.
pub fn token_hash(token: &str) -> String {
    hex(&Blake2b::<U32>::digest(token.as_bytes()))
}

/// A keyed hash (BLAKE2b is safe to key by prefixing): for tokens the server signs and later
/// checks, such as the time a form was shown.
pub fn keyed_hash(key: &str, message: &str) -> String {
    let mut h = Blake2b::<U32>::new();
    h.update((key.len() as u64).to_le_bytes());
    h.update(key.as_bytes());
    h.update(message.as_bytes());
    hex(&h.finalize())
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub struct Accounts {
    store: Arc<dyn AccountStore>,
    clock: Clock,
    settings: AccountSettings,
    throttle: Mutex<Throttle>,
    /// Verified against when the email is unknown, so an unknown email takes as long as a
    /// wrong password.
    dummy_hash: String,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Accounts")
    }
}

fn check_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(email)
    } else {
        Err(AccountError::Input(format!(
            "'{}' is not an email address",
            email.chars().take(60).collect::<String>()
        )))
    }
}

impl Accounts {
    /// Blocks briefly (it hashes once, to have something to compare unknown emails with).
    pub fn new(store: Arc<dyn AccountStore>, clock: Clock) -> Self {
        Accounts {
            store,
            clock,
            settings: AccountSettings::default(),
            throttle: Mutex::new(Throttle::default()),
            dummy_hash: hash_password("not a real password, never matches").unwrap_or_default(),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn throttle(&self) -> std::sync::MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Creates an account that cannot sign in until its invite link is used. Returns the
    /// link's token.
    pub fn invite(&self, new: NewUser) -> Result<(User, String), AccountError> {
        let email = check_email(&new.email)?;
        let name = new.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AccountError::Input(
                "give the person's name (at most 100 characters)".to_owned(),
            ));
        }
        match new.role {
            Role::Provider if new.provider_id.is_none() => {
                return Err(AccountError::Input(
                    "a provider editor needs an organisation (--org)".to_owned(),
                ));
            }
            Role::Checker
                if new
                    .organisation
                    .as_deref()
                    .is_none_or(|o| o.trim().is_empty()) =>
            {
                return Err(AccountError::Input(
                    "a checker needs the organisation they check for (--org)".to_owned(),
                ));
            }
            _ => {}
        }
        let new = NewUser {
            email,
            name,
            provider_id: new.provider_id.filter(|_| new.role == Role::Provider),
            organisation: new.organisation.filter(|_| new.role == Role::Checker),
            ..new
        };
        let user = self.store.create_user(&new, self.now())?;
        let token = self.link(user.id, TokenPurpose::Invite)?;
        Ok((user, token))
    }

    /// A one-time password-reset link for an existing account.
    pub fn reset_link(&self, email: &str) -> Result<(User, String), AccountError> {
        let user = self
            .store
            .user_by_email(email)?
            .ok_or_else(|| AccountError::Input(format!("there is no account for {email}")))?;
        if user.disabled {
            return Err(AccountError::Input(format!(
                "the account for {email} is disabled"
            )));
        }
        // An invite not yet taken up gets a fresh invite, which lasts longer.
        let purpose = if user.active {
            TokenPurpose::Reset
        } else {
            TokenPurpose::Invite
        };
        let token = self.link(user.id, purpose)?;
        Ok((user, token))
    }

    fn link(&self, user: UserId, purpose: TokenPurpose) -> Result<String, AccountError> {
        let token = random_token();
        let lasts = match purpose {
            TokenPurpose::Invite => self.settings.invite,
            TokenPurpose::Reset => self.settings.reset,
        };
        self.store
            .add_token(&token_hash(&token), user, purpose, self.now() + lasts)?;
        Ok(token)
    }

    /// Whose link this is, if it can still be used (either purpose).
    pub fn link_user(&self, token: &str) -> Result<Option<(User, TokenPurpose)>, AccountError> {
        let hash = token_hash(token);
        for purpose in [TokenPurpose::Invite, TokenPurpose::Reset] {
            if let Some(id) = self.store.token_user(&hash, purpose, self.now())? {
                return Ok(self.store.user(id)?.map(|u| (u, purpose)));
            }
        }
        Ok(None)
    }

    /// Uses a one-time link to set a password. Every earlier session of the account ends.
    /// Blocks while hashing.
    pub fn set_password(&self, token: &str, password: &str) -> Result<User, AccountError> {
        let (user, purpose) = self.link_user(token)?.ok_or(AccountError::LinkInvalid)?;
        if let Some(problem) = password_problem(password, &user.email) {
            return Err(AccountError::Password(problem));
        }
        let hash = hash_password(password)?;
        let id = self
            .store
            .redeem_token(&token_hash(token), purpose, self.now(), &hash)?
            .ok_or(AccountError::LinkInvalid)?;
        Ok(self.store.user(id)?.unwrap_or(user))
    }

    /// Signs in. Blocks while verifying the password. Too many failures for the account from
    /// this address, from the address, or for the account from everywhere (a much higher
    /// ceiling) are refused without checking the password (see [`throttle::Throttle`]).
    pub fn login(
        &self,
        email: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<(User, NewSession), AccountError> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let account_key = format!("account:{email}");
        let address_key = format!("address:{}", throttle::address_key(address));
        if let Some(wait) = self.throttle().blocked(&account_key, &address_key, now) {
            return Err(AccountError::Throttled {
                minutes: (wait.num_seconds() + 59) / 60,
            });
        }
        let user = self.store.user_by_email(&email)?;
        let hash = match &user {
            Some(u) => self.store.password_hash(u.id)?,
            None => None,
        };
        let matched = verify_password(password, hash.as_deref().unwrap_or(&self.dummy_hash))
            && hash.is_some();
        let user = match user {
            Some(u) if matched && !u.disabled => u,
            _ => {
                self.throttle().failed(&account_key, &address_key, now);
                return Err(AccountError::BadLogin);
            }
        };
        self.throttle().succeeded(&account_key, &address_key);
        let session = NewSession {
            token: random_token(),
            csrf: random_token(),
            expires_at: now + self.settings.session,
        };
        self.store.add_session(&SessionRecord {
            token_hash: token_hash(&session.token),
            user_id: user.id,
            csrf: session.csrf.clone(),
            created_at: now,
            expires_at: session.expires_at,
        })?;
        Ok((user, session))
    }

    /// The signed-in account behind a session cookie, with the session's CSRF token. An
    /// expired session is ended; a disabled account has none.
    pub fn session(&self, token: &str) -> Result<Option<(User, String)>, AccountError> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash)? else {
            return Ok(None);
        };
        if session.expires_at <= self.now() {
            self.store.end_session(&hash)?;
            return Ok(None);
        }
        match self.store.user(session.user_id)? {
            Some(user) if !user.disabled => Ok(Some((user, session.csrf))),
            _ => Ok(None),
        }
    }

    pub fn logout(&self, token: &str) -> Result<(), AccountError> {
        Ok(self.store.end_session(&token_hash(token))?)
    }

    pub fn users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.store.users()?)
    }

    pub fn user(&self, id: UserId) -> Result<Option<User>, AccountError> {
        Ok(self.store.user(id)?)
    }

    /// Saves an account's role, organisation and whether it is disabled (which signs it out
    /// everywhere).
    pub fn update_user(&self, user: &User) -> Result<(), AccountError> {
        if user.role == Role::Provider && user.provider_id.is_none() {
            return Err(AccountError::Input(
                "a provider editor needs an organisation".to_owned(),
            ));
        }
        if user.role == Role::Checker && user.organisation.as_deref().is_none_or(str::is_empty) {
            return Err(AccountError::Input(
                "a checker needs the organisation they check for".to_owned(),
            ));
        }
        Ok(self.store.update_user(user)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signpost_store::SqliteStore;

    fn accounts() -> Accounts {
        let store = Arc::new(SqliteStore::open_in_memory().unwrap());
        let now = "2026-11-21T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        Accounts::new(store, Arc::new(move || now))
    }

    #[test]
    fn passwords_are_argon2id_and_salted() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b);
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
    }

    #[test]
    fn password_rules_explain_themselves() {
        assert!(
            password_problem("short", "a@b.org")
                .unwrap()
                .contains("at least 10")
        );
        assert!(password_problem("aaaaaaaaaaaa", "a@b.org").is_some());
        assert!(
            password_problem("my password 1", "a@b.org")
                .unwrap()
                .contains("guess")
        );
        assert!(password_problem("sam.lee-is-me", "sam.lee@x.org").is_some());
        assert_eq!(password_problem("plum tractor winter", "sam@x.org"), None);
    }

    #[test]
    fn an_invite_link_works_once_and_then_signs_in() {
        let acc = accounts();
        let (user, token) = acc
            .invite(NewUser {
                email: "Checker@Example.org ".into(),
                name: "Jo Checker".into(),
                role: Role::Checker,
                provider_id: None,
                organisation: Some("Hull SPS".into()),
            })
            .unwrap();
        assert_eq!(user.email, "checker@example.org");
        assert!(!user.active);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(matches!(
            acc.login("checker@example.org", "plum tractor winter", ip),
            Err(AccountError::BadLogin)
        ));
        assert!(matches!(
            acc.set_password(&token, "short"),
            Err(AccountError::Password(_))
        ));
        acc.set_password(&token, "plum tractor winter").unwrap();
        assert!(matches!(
            acc.set_password(&token, "another good phrase"),
            Err(AccountError::LinkInvalid)
        ));
        let (u, session) = acc
            .login("CHECKER@example.org", "plum tractor winter", ip)
            .unwrap();
        assert_eq!(u.id, user.id);
        assert!(acc.session(&session.token).unwrap().is_some());
        acc.logout(&session.token).unwrap();
        assert!(acc.session(&session.token).unwrap().is_none());
    }
}
