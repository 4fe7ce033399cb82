//! Who a request acts for: the value the authentication middleware puts into
//! the request extensions, read by the ACL middleware and by handlers.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use conclave_db::models::tenant::Tenant;
use conclave_db::models::user::User;
use conclave_domain::ids::InviteCodeId;

use crate::error::{ApiError, auth_text};

/// An authenticated registered user with their tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedUser {
    /// The active user row, read for this request.
    pub user: User,
    /// The user's tenant.
    pub tenant: Tenant,
}

/// The caller of a request in the user / invite-code route group (api.md §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// `Authorization: Bearer <access token>` of an active user (boxed: the
    /// rows are large and the enum travels through request extensions).
    User(Box<AuthenticatedUser>),
    /// `Authorization: InviteCode <uuid>` of an active, unexpired room invite code.
    InviteCode(InviteCodeId),
}

impl Identity {
    /// The casbin subject: `user::<uuid>` or `invite::<uuid>`.
    pub fn casbin_subject(&self) -> String {
        match self {
            Identity::User(auth) => format!("user::{}", auth.user.id),
            Identity::InviteCode(code) => format!("invite::{code}"),
        }
    }

    /// The user, if the caller is one.
    pub fn user(&self) -> Option<&AuthenticatedUser> {
        match self {
            Identity::User(auth) => Some(auth),
            Identity::InviteCode(_) => None,
        }
    }
}

fn missing_identity() -> ApiError {
    ApiError::unauthorized(
        "unauthorized",
        "Unable to parse access token or invite code",
        auth_text::INVALID_ACCESS_TOKEN,
    )
}

/// Handlers take `Identity` as an argument; it is only present behind the
/// authentication middleware, so its absence is a routing error answered 401.
impl FromRequest for Identity {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Identity>()
                .cloned()
                .ok_or_else(missing_identity),
        )
    }
}

/// Handlers for registered users only take `AuthenticatedUser`; an
/// invite-code caller gets 403, like an ACL denial.
impl FromRequest for AuthenticatedUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.extensions().get::<Identity>() {
            Some(Identity::User(auth)) => Ok(auth.as_ref().clone()),
            Some(Identity::InviteCode(_)) => Err(ApiError::forbidden()),
            None => Err(missing_identity()),
        };
        ready(result)
    }
}
