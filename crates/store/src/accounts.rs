//! Accounts, sessions and one-time links: the storage side. Password hashing, throttling and
//! the rules live in `signpost-accounts`; this only keeps the rows.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use signpost_model::{Id, NewUser, Role, TokenPurpose, User, UserId};

use crate::sqlite::SqliteStore;
use crate::{StoreError, time_from, time_to};

/// A signed-in session. Only a hash of the cookie's token is stored, so a copy of the
/// database does not let anyone sign in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: UserId,
    /// The session's anti-forgery token, put in every form.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Where accounts live. Every method is one transaction.
pub trait AccountStore: Send + Sync {
    /// Fails with [`StoreError::Conflict`] when the email is taken.
    fn create_user(&self, user: &NewUser, at: DateTime<Utc>) -> Result<User, StoreError>;
    fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    /// `email` is compared case-insensitively.
    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Saves name, role, organisation and `disabled`. Disabling ends every session.
    fn update_user(&self, user: &User) -> Result<(), StoreError>;
    fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError>;

    fn add_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
    fn end_sessions_of(&self, user: UserId) -> Result<(), StoreError>;

    /// Stores a one-time link's token hash.
    fn add_token(
        &self,
        token_hash: &str,
        user: UserId,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Whose unused, unexpired link this is.
    fn token_user(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError>;
    /// Uses a link to set a password, all in one transaction: the link and any other
    /// outstanding links for the account stop working, and every existing session ends.
    /// `None` when the link is unknown, used or expired.
    fn redeem_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<UserId>, StoreError>;
}

const USER_COLUMNS: &str = "id, email, name, role, provider_id, organisation, disabled, \
                            password_hash IS NOT NULL, created_at";

fn user_from(r: &Row<'_>) -> rusqlite::Result<(User, String, String)> {
    let role: String = r.get(3)?;
    let provider: Option<String> = r.get(4)?;
    let created: String = r.get(8)?;
    Ok((
        User {
            id: r.get(0)?,
            email: r.get(1)?,
            name: r.get(2)?,
            role: Role::Provider,
            provider_id: provider.and_then(|p| Id::parse(&p).ok()),
            organisation: r.get(5)?,
            disabled: r.get(6)?,
            active: r.get(7)?,
            created_at: DateTime::<Utc>::MIN_UTC,
        },
        role,
        created,
    ))
}

fn finish_user((mut user, role, created): (User, String, String)) -> Result<User, StoreError> {
    user.role = Role::parse(&role)
        .ok_or_else(|| StoreError::Corrupt(format!("user {}", user.id), format!("role {role}")))?;
    user.created_at = time_from(&created)?;
    Ok(user)
}

impl AccountStore for SqliteStore {
    fn create_user(&self, user: &NewUser, at: DateTime<Utc>) -> Result<User, StoreError> {
        let email = user.email.trim().to_lowercase();
        let conn = self.conn();
        let taken: Option<i64> = conn
            .query_row("SELECT id FROM users WHERE email = ?1", [&email], |r| {
                r.get(0)
            })
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "there is already an account for {email}"
            )));
        }
        conn.execute(
            "INSERT INTO users (email, name, role, provider_id, organisation, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                email,
                user.name,
                user.role.as_str(),
                user.provider_id.as_ref().map(Id::as_str),
                user.organisation,
                time_to(at)
            ],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Conflict("that organisation is not in the directory".to_owned())
            }
            e => e.into(),
        })?;
        let id = conn.last_insert_rowid();
        drop(conn);
        self.user(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("user {id}"), "vanished".into()))
    }

    fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let conn = self.conn();
        let row = conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                [id],
                user_from,
            )
            .optional()?;
        row.map(finish_user).transpose()
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let conn = self.conn();
        let row = conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"),
                [email.trim().to_lowercase()],
                user_from,
            )
            .optional()?;
        row.map(finish_user).transpose()
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY role, email"
        ))?;
        let rows = stmt.query_map([], user_from)?;
        rows.map(|r| finish_user(r?)).collect()
    }

    fn update_user(&self, user: &User) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE users SET name = ?2, role = ?3, provider_id = ?4, organisation = ?5,
                 disabled = ?6 WHERE id = ?1",
            params![
                user.id,
                user.name,
                user.role.as_str(),
                user.provider_id.as_ref().map(Id::as_str),
                user.organisation,
                user.disabled
            ],
        )?;
        if user.disabled {
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        let hash: Option<Option<String>> = conn
            .query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(hash.flatten())
    }

    fn add_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                s.token_hash,
                s.user_id,
                s.csrf,
                time_to(s.created_at),
                time_to(s.expires_at)
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let conn = self.conn();
        let row: Option<(UserId, String, String, String)> = conn
            .query_row(
                "SELECT user_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = ?1",
                [token_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(user_id, csrf, created, expires)| {
            Ok(SessionRecord {
                token_hash: token_hash.to_owned(),
                user_id,
                csrf,
                created_at: time_from(&created)?,
                expires_at: time_from(&expires)?,
            })
        })
        .transpose()
    }

    fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn end_sessions_of(&self, user: UserId) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
        Ok(())
    }

    fn add_token(
        &self,
        token_hash: &str,
        user: UserId,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO tokens (token_hash, user_id, purpose, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user, purpose.as_str(), time_to(expires_at)],
        )?;
        Ok(())
    }

    fn token_user(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        let conn = self.conn();
        valid_token(&conn, token_hash, purpose, now)
    }

    fn redeem_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let Some(user) = valid_token(&tx, token_hash, purpose, now)? else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user, password_hash],
        )?;
        tx.execute(
            "UPDATE tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL",
            params![user, time_to(now)],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
        tx.commit()?;
        Ok(Some(user))
    }
}

fn valid_token(
    conn: &rusqlite::Connection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    let row: Option<(UserId, String)> = conn
        .query_row(
            "SELECT t.user_id, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?1 AND t.purpose = ?2 AND t.used_at IS NULL
                 AND u.disabled = 0",
            params![token_hash, purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((user, expires)) if time_from(&expires)? > now => Ok(Some(user)),
        _ => Ok(None),
    }
}
