//! The authentication middleware of the user / invite-code route group
//! (api.md §5.1, §5.6, §5.7).
//!
//! Wire it with `actix_web::middleware::from_fn(crate::auth::authenticate)`
//! on the scope; it must run *before* the ACL, i.e. be the outer `.wrap`.
//! On success it inserts an [`Identity`] into the request extensions.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use conclave_domain::ids::InviteCodeId;
use uuid::Uuid;

use crate::auth::identity::{AuthenticatedUser, Identity};
use crate::auth::lookup::{SubjectLookup, find_subject, invite_code_is_valid};
use crate::auth::verify::TokenError;
use crate::config::TenantAssignment;
use crate::error::{ApiError, auth_text};
use crate::state::AppState;

/// What the `Authorization` header carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Bearer <token>`.
    Bearer(String),
    /// `InviteCode <uuid>`.
    InviteCode(InviteCodeId),
}

fn unparseable() -> ApiError {
    ApiError::unauthorized(
        "unauthorized",
        "Unable to parse access token or invite code",
        auth_text::INVALID_ACCESS_TOKEN,
    )
}

/// Parses the header: a value starting with `B` must be `Bearer <token>`,
/// one starting with `I` must be `InviteCode <uuid>`; anything else, or
/// nothing, is refused with 401.
pub fn parse_authorization(value: Option<&str>) -> Result<Credentials, ApiError> {
    let value = value.ok_or_else(unparseable)?;
    let (scheme, rest) = value.split_once(' ').ok_or_else(unparseable)?;
    let rest = rest.trim();
    match value.as_bytes().first() {
        Some(b'B') if scheme == "Bearer" && !rest.is_empty() && !rest.contains(' ') => {
            Ok(Credentials::Bearer(rest.to_owned()))
        }
        Some(b'I') if scheme == "InviteCode" => Uuid::parse_str(rest)
            .map(|id| Credentials::InviteCode(id.into()))
            .map_err(|_| unparseable()),
        _ => Err(unparseable()),
    }
}

/// The middleware function: authenticates, then calls the next service.
/// A refusal is answered as a response (not an `Err`), so the outer
/// middleware still sees it and adds, for example, the request id.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    match identify(&req).await {
        Ok(identity) => {
            req.extensions_mut().insert(identity);
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

/// Who the `Authorization` header names, checked against the database.
async fn identify(req: &ServiceRequest) -> Result<Identity, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("AppState missing"))?;
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    Ok(match parse_authorization(header)? {
        Credentials::Bearer(token) => {
            Identity::User(Box::new(authenticate_bearer(&state, &token).await?))
        }
        Credentials::InviteCode(code) => {
            let mut conn = state.conn().await?;
            if !invite_code_is_valid(&mut conn, code)
                .await
                .map_err(ApiError::from)?
            {
                return Err(ApiError::forbidden());
            }
            Identity::InviteCode(code)
        }
    })
}

/// Verifies an access token and loads its active user (§5.6 steps 1–6).
pub async fn authenticate_bearer(
    state: &AppState,
    token: &str,
) -> Result<AuthenticatedUser, ApiError> {
    let claims = state
        .auth
        .verify_access_token(token)
        .await
        .map_err(access_token_error)?;
    let tenant_claim = match state.settings.tenants.assignment {
        TenantAssignment::Static => Some(state.settings.tenants.static_tenant_id.as_str()),
        TenantAssignment::ByExternalTenantId => claims.tenant_id.as_deref(),
    };
    let Some(tenant_claim) = tenant_claim else {
        return Err(ApiError::unauthorized(
            "invalid_token",
            "tenant_id missing in access token",
            auth_text::INVALID_ACCESS_TOKEN,
        ));
    };
    let mut conn = state.conn().await?;
    let (user, tenant) = match find_subject(&mut conn, tenant_claim, &claims.sub).await? {
        SubjectLookup::Found(pair) => *pair,
        SubjectLookup::UnknownTenant => {
            return Err(ApiError::unauthorized(
                "unknown_tenant_id",
                "Unknown tenant_id in access token. Please login first!",
                auth_text::INVALID_ACCESS_TOKEN,
            ));
        }
        SubjectLookup::UnknownSubject => {
            return Err(ApiError::unauthorized(
                "unknown_sub",
                "Unknown subject in access token. Please login first!",
                auth_text::INVALID_ACCESS_TOKEN,
            ));
        }
    };
    if chrono::Utc::now().timestamp() > user.id_token_exp {
        return Err(ApiError::unauthorized(
            "unauthorized",
            "The session for this user has expired",
            auth_text::SESSION_EXPIRED,
        ));
    }
    Ok(AuthenticatedUser { user, tenant })
}

fn access_token_error(err: TokenError) -> ApiError {
    match err {
        TokenError::Expired => ApiError::unauthorized(
            "unauthorized",
            auth_text::EXPIRED_ACCESS_TOKEN,
            auth_text::EXPIRED_ACCESS_TOKEN,
        ),
        TokenError::KeysUnavailable(cause) => ApiError::internal(cause),
        TokenError::Invalid(_) | TokenError::Claims(_) => ApiError::unauthorized(
            "unauthorized",
            auth_text::INVALID_ACCESS_TOKEN,
            auth_text::INVALID_ACCESS_TOKEN,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_headers_parse_by_first_letter() {
        let code = "3079670b-2bad-4023-bf16-95993f462530";
        let check = |value: Option<&str>, expected: Option<Credentials>| {
            assert_eq!(parse_authorization(value).ok(), expected, "{value:?}");
        };
        check(
            Some("Bearer abc.def.ghi"),
            Some(Credentials::Bearer("abc.def.ghi".into())),
        );
        check(
            Some(&format!("InviteCode {code}")),
            Some(Credentials::InviteCode(
                Uuid::parse_str(code).unwrap().into(),
            )),
        );
        check(None, None);
        check(Some(""), None);
        check(Some("Bearer"), None);
        check(Some("Bearer "), None);
        check(Some("Bearer a b"), None);
        check(Some("Basic dXNlcjpwdw=="), None);
        check(Some("InviteCode not-a-uuid"), None);
        check(
            Some(&format!("Bearer {code}")),
            Some(Credentials::Bearer(code.into())),
        );
        check(Some(&format!("invitecode {code}")), None);
        check(Some("Token abc"), None);
    }

    #[test]
    fn unparseable_headers_answer_401_with_www_authenticate() {
        let err = parse_authorization(Some("Digest x")).unwrap_err();
        assert_eq!(err.status().as_u16(), 401);
        assert_eq!(
            err.body().message,
            "Unable to parse access token or invite code"
        );
    }
}
