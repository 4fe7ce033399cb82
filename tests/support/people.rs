//! Logged-in people: [`Person`] (token, user id, tenant) and the ways to
//! log someone in through `POST /v1/auth/login`.

use conclave_db::models::user::User;
use conclave_domain::ids::{TenantId, UserId};
use reqwest::StatusCode;

use crate::http::Auth;
use crate::tokens::TokenClaims;
use crate::{TestApp, rows};

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct Person {
    /// Access token (also the ID token it logged in with).
    pub token: String,
    /// The user's id.
    pub id: UserId,
    /// The user's tenant.
    pub tenant: TenantId,
}

impl Person {
    /// The person's bearer credentials.
    pub fn auth(&self) -> Auth<'_> {
        Auth::Bearer(&self.token)
    }

    /// `(token, id)`, for suites that keep them in separate variables.
    pub fn into_parts(self) -> (String, UserId) {
        (self.token, self.id)
    }
}

/// Logs `sub` in with the issuer's default claims; asserts 200.
pub async fn login(app: &TestApp, sub: &str) -> Person {
    login_with(app, sub, app.issuer.claims(sub)).await
}

/// Logs `sub` in tenant `tenant` (by the `tenant_id` claim); asserts 200.
pub async fn person(app: &TestApp, sub: &str, tenant: &str) -> Person {
    login_with(app, sub, app.issuer.claims(sub).with("tenant_id", tenant)).await
}

/// Logs `sub` in with a token signed from `claims`; asserts 200 and reads
/// the user's id and tenant from the database.
pub async fn login_with(app: &TestApp, sub: &str, claims: TokenClaims) -> Person {
    let token = app.issuer.sign(&claims);
    let status = app.login(&token).await.status();
    assert_eq!(status, StatusCode::OK, "login {sub}");
    let mut conn = app.db.connect().await;
    let id = rows::user_id_by_sub(&mut conn, sub)
        .await
        .expect("logged-in user");
    let user = User::get(&mut conn, id).await.expect("user row");
    Person {
        token,
        id,
        tenant: user.tenant_id,
    }
}

/// The user row of `sub`; panics when there is none.
pub async fn user_by_sub(app: &TestApp, sub: &str) -> User {
    let mut conn = app.db.connect().await;
    let id = rows::user_id_by_sub(&mut conn, sub)
        .await
        .expect("user exists");
    User::get(&mut conn, id).await.expect("user row")
}
