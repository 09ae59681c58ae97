//! The one web error type. Person-fixable problems become 4xx with a clear message; anything
//! else is logged in full and shown only as "something went wrong".

use signpost_accounts::AccountError;
use signpost_directory::{DirectoryError, ParamError};
use signpost_editorial::DeskError;

#[derive(Debug)]
pub enum WebError {
    BadRequest(ParamError),
    /// Input the person can fix, in words for them.
    Invalid(Vec<String>),
    Forbidden,
    NotFound,
    /// Someone else got there first.
    Conflict(String),
    /// Too many attempts; the message says how long to wait.
    TooMany(String),
    Internal(String),
}

impl From<signpost_directory::ParamError> for WebError {
    fn from(e: signpost_directory::ParamError) -> Self {
        WebError::BadRequest(e)
    }
}

impl From<DirectoryError> for WebError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Param(p) => WebError::BadRequest(p),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<AccountError> for WebError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Password(m) | AccountError::Input(m) => WebError::Invalid(vec![m]),
            e @ (AccountError::BadLogin | AccountError::LinkInvalid) => {
                WebError::Invalid(vec![e.to_string()])
            }
            e @ AccountError::Throttled { .. } => WebError::TooMany(e.to_string()),
            AccountError::Conflict(m) => WebError::Conflict(m),
            AccountError::Store(e) => WebError::Internal(e.to_string()),
        }
    }
}

impl From<DeskError> for WebError {
    fn from(e: DeskError) -> Self {
        match e {
            DeskError::Forbidden => WebError::Forbidden,
            DeskError::NotFound => WebError::NotFound,
            DeskError::Invalid(p) => WebError::Invalid(p),
            DeskError::Conflict(m) => WebError::Conflict(m),
            DeskError::Directory(DirectoryError::Invalid(p)) => WebError::Invalid(p),
            DeskError::Directory(e) => e.into(),
            DeskError::Accounts(e) => e.into(),
            DeskError::Io(e) => WebError::Internal(e.to_string()),
        }
    }
}

impl WebError {
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            WebError::BadRequest(_) | WebError::Invalid(_) => StatusCode::BAD_REQUEST,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}
