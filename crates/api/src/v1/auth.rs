//! `GET` and `POST /v1/auth/login` (api.md §5.3, §5.4, §7.1). Both public.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use crate::auth::provision;
use crate::auth::verify::TokenError;
use crate::error::{ApiError, auth_text};
use crate::state::AppState;

/// Body of `POST /v1/auth/login`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// The OIDC ID token.
    pub id_token: String,
}

/// `GET /v1/auth/login`: which OIDC provider the frontend should use.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = r#"`{"oidc": {"name": "default", "url": "…"}}`"#)),
)]
#[get("/auth/login")]
pub async fn get_login(state: web::Data<AppState>) -> HttpResponse {
    let oidc = &state.settings.oidc;
    let url = oidc
        .frontend_authority
        .as_ref()
        .or(oidc.authority.as_ref())
        .cloned()
        .unwrap_or_default();
    HttpResponse::Ok().json(serde_json::json!({"oidc": {"name": "default", "url": url}}))
}

/// `POST /v1/auth/login`: verifies the ID token and provisions the user.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = r#"`{"permissions": []}`"#),
        (status = 400, description = "`invalid_claims`"),
        (status = 401, description = "Invalid or expired ID token"),
        (status = 403, description = "The user account is disabled"),
        (status = 500, description = "`invalid_tariff_id` or `invalid_configuration`"),
    ),
)]
#[post("/auth/login")]
pub async fn post_login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let claims = state
        .auth
        .verify_id_token(&body.id_token)
        .await
        .map_err(id_token_error)?;
    let outcome = provision::login(&state, &claims).await?;
    if outcome.created {
        tracing::info!(user = %outcome.user.id, "user created at first login");
    }
    // Other instances hear the rule writer's NOTIFY; this one drops its own
    // stale entries at once, also when the listener is switched off.
    state.authz.invalidate(&outcome.invalidation);
    tracing::debug!(
        changed = outcome.invalidation.subjects.len(),
        "login rules written"
    );
    Ok(HttpResponse::Ok().json(serde_json::json!({"permissions": []})))
}

fn id_token_error(err: TokenError) -> ApiError {
    match err {
        TokenError::Expired => ApiError::unauthorized(
            "unauthorized",
            "The provided id token expired",
            auth_text::SESSION_EXPIRED,
        ),
        TokenError::Invalid(_) => ApiError::unauthorized(
            "unauthorized",
            auth_text::INVALID_ID_TOKEN,
            auth_text::INVALID_ID_TOKEN,
        ),
        TokenError::Claims(_) => {
            provision::invalid_claims("some required attributes are missing or malformed")
        }
        TokenError::KeysUnavailable(cause) => ApiError::internal(cause),
    }
}
