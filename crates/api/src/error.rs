//! The one error type of the HTTP API and its JSON body (api.md §3).
//!
//! Every handler returns `Result<_, ApiError>`. The body is always
//! `{"code", "message", "validation_errors"?}` with `application/json`; a
//! 5xx logs its cause once here and never leaks it to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use conclave_db::DbError;
use serde::Serialize;

/// One entry of `validation_errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationEntry {
    /// The offending field; omitted for struct-level errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `value_required`, `ignored_value`, `invalid_value`, …
    pub code: String,
    /// Optional human-readable text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// Machine-readable code string (api.md §3.3).
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Field-level details; omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub validation_errors: Vec<ValidationEntry>,
}

/// An error answer: status, body and, for 401, the `WWW-Authenticate` text.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status}: {} ({})", body.code, body.message)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    www_authenticate: Option<String>,
}

/// `WWW-Authenticate` descriptions (api.md §3.6).
pub mod auth_text {
    /// An ID token failed verification.
    pub const INVALID_ID_TOKEN: &str = "The provided id token is invalid";
    /// An access token failed verification.
    pub const INVALID_ACCESS_TOKEN: &str = "The provided access token is invalid";
    /// An access token is expired.
    pub const EXPIRED_ACCESS_TOKEN: &str = "The provided access token expired";
    /// The user's session (`id_token_exp`) is over.
    pub const SESSION_EXPIRED: &str = "The user session expired";
}

impl ApiError {
    /// An error with an explicit status, code and message.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                validation_errors: Vec::new(),
            },
            www_authenticate: None,
        }
    }

    /// 400 `bad_request` with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401 with `code` and the `WWW-Authenticate` description.
    pub fn unauthorized(code: &str, message: impl Into<String>, description: &str) -> Self {
        let mut err = Self::new(StatusCode::UNAUTHORIZED, code, message);
        err.www_authenticate = Some(format!(
            "Bearer error=\"invalid_token\", error_description=\"{description}\""
        ));
        err
    }

    /// 403 `forbidden` with the default message.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Access to the requested resource is forbidden",
        )
    }

    /// 404 `not_found` with the default message.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "A requested resource could not be found",
        )
    }

    /// 409 `conflict` with the default message.
    pub fn conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "conflict",
            "The request conflicts with the state of the resource",
        )
    }

    /// 412 `precondition_failed`: an `If-Match` did not match.
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "The resource was changed since the given ETag",
        )
    }

    /// 422 `validation_failed` with entries.
    pub fn validation(entries: Vec<ValidationEntry>) -> Self {
        let mut err = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Some provided values are invalid",
        );
        err.body.validation_errors = entries;
        err
    }

    /// 500 `internal_server_error`; the cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal server error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_server_error",
            "An internal server error occurred",
        )
    }

    /// Replaces the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.body.message = message.into();
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &ErrorBody {
        &self.body
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(value) = self
            .www_authenticate
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            response.insert_header((header::WWW_AUTHENTICATE, value));
        }
        response.json(&self.body)
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ApiError::not_found(),
            DbError::ForeignKeyViolation { .. } => ApiError::conflict(),
            other => ApiError::internal(other),
        }
    }
}

/// Lets handlers run `conn.transaction::<_, ApiError, _>(…)`: diesel's own
/// errors (from BEGIN/COMMIT) map like any database error.
impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        DbError::from(err).into()
    }
}

/// Extractor error handlers, so body, query and path errors carry the JSON
/// body too (api.md §2.2, §3.4).
pub mod extractors {
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
    use actix_web::http::StatusCode;
    use actix_web::{Error, HttpRequest};

    use super::ApiError;

    /// Maps JSON body errors to 400 `invalid_json` and friends.
    pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> Error {
        let code = match &err {
            JsonPayloadError::ContentType => "invalid_content_type",
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                "payload_overflow"
            }
            JsonPayloadError::Deserialize(_) | JsonPayloadError::Serialize(_) => "invalid_json",
            _ => "invalid_payload",
        };
        ApiError::new(StatusCode::BAD_REQUEST, code, err.to_string()).into()
    }

    /// Maps query-string errors to 400 `bad_request` with the parser's text.
    pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> Error {
        ApiError::bad_request(err.to_string()).into()
    }

    /// Maps path errors to 404 `not_found`.
    pub fn path_error(_err: PathError, _req: &HttpRequest) -> Error {
        ApiError::not_found().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn render(err: ApiError) -> (StatusCode, serde_json::Value, Option<String>) {
        let response = err.error_response();
        let status = response.status();
        let auth = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap(), auth)
    }

    #[actix_web::test]
    async fn db_errors_map_to_their_statuses() {
        let cases = [
            (DbError::NotFound, 404, "not_found"),
            (
                DbError::ForeignKeyViolation { constraint: None },
                409,
                "conflict",
            ),
            (
                DbError::UniqueViolation { constraint: None },
                500,
                "internal_server_error",
            ),
            (DbError::PoolTimeout, 500, "internal_server_error"),
        ];
        for (db, status, code) in cases {
            let (got, body, _) = render(db.into()).await;
            assert_eq!(got.as_u16(), status);
            assert_eq!(body["code"], code);
        }
    }

    #[actix_web::test]
    async fn diesel_errors_map_like_db_errors() {
        let (status, body, _) = render(diesel::result::Error::NotFound.into()).await;
        assert_eq!(
            (status.as_u16(), &body["code"]),
            (404, &serde_json::json!("not_found"))
        );
    }

    #[actix_web::test]
    async fn unauthorized_carries_www_authenticate() {
        let err = ApiError::unauthorized("unauthorized", "x", auth_text::SESSION_EXPIRED);
        let (status, body, auth) = render(err).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            serde_json::json!({"code": "unauthorized", "message": "x"})
        );
        assert_eq!(
            auth.as_deref(),
            Some("Bearer error=\"invalid_token\", error_description=\"The user session expired\"")
        );
    }

    #[actix_web::test]
    async fn validation_entries_are_listed_and_empty_lists_omitted() {
        let entry = ValidationEntry {
            field: Some("invite_code".into()),
            code: "invalid_value".into(),
            message: None,
        };
        let (status, body, _) = render(ApiError::validation(vec![entry])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["validation_errors"][0]["field"], "invite_code");
        assert!(body["validation_errors"][0].get("message").is_none());
        let (_, body, _) = render(ApiError::forbidden()).await;
        assert!(body.get("validation_errors").is_none());
    }
}
