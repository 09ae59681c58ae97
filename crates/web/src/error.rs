//! The one web error type. Person-fixable problems become 4xx with a clear message; anything
//! else is logged in full and shown only as "something went wrong".

use signpost_directory::{DirectoryError, ParamError};

#[derive(Debug)]
pub enum WebError {
    BadRequest(ParamError),
    NotFound,
    Internal(String),
}

impl From<DirectoryError> for WebError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Param(p) => WebError::BadRequest(p),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}
