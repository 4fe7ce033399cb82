//! The database look-ups behind every authenticated request.
//!
//! Written here rather than in `conclave-db` because they are shaped by the
//! authentication flow: the happy path is one indexed join.

use chrono::Utc;
use conclave_db::models::tenant::Tenant;
use conclave_db::models::user::User;
use conclave_db::schema::{invites, tenants, users};
use conclave_db::{DbConnection, DbError};
use conclave_domain::ids::InviteCodeId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// The outcome of looking up a token's subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectLookup {
    /// The active user and their tenant.
    Found(Box<(User, Tenant)>),
    /// No tenant has this identity-provider id.
    UnknownTenant,
    /// The tenant exists but has no active user with this subject.
    UnknownSubject,
}

/// Finds the active user with `sub` in the tenant named `oidc_tenant_id`.
pub async fn find_subject(
    conn: &mut DbConnection,
    oidc_tenant_id: &str,
    sub: &str,
) -> Result<SubjectLookup, DbError> {
    let found = users::table
        .inner_join(tenants::table)
        .filter(tenants::oidc_tenant_id.eq(oidc_tenant_id))
        .filter(users::oidc_sub.eq(sub))
        .filter(users::disabled_since.is_null())
        .select((User::as_select(), Tenant::as_select()))
        .first::<(User, Tenant)>(conn)
        .await
        .optional()?;
    if let Some(pair) = found {
        return Ok(SubjectLookup::Found(Box::new(pair)));
    }
    Ok(
        match Tenant::find_by_oidc_tenant_id(conn, oidc_tenant_id).await? {
            Some(_) => SubjectLookup::UnknownSubject,
            None => SubjectLookup::UnknownTenant,
        },
    )
}

/// Whether a room invite code exists, is active and has not expired.
pub async fn invite_code_is_valid(
    conn: &mut DbConnection,
    code: InviteCodeId,
) -> Result<bool, DbError> {
    let now = Utc::now();
    let count: i64 = invites::table
        .filter(invites::id.eq(Uuid::from(code)))
        .filter(invites::active.eq(true))
        .filter(
            invites::expiration
                .is_null()
                .or(invites::expiration.gt(now)),
        )
        .count()
        .get_result(conn)
        .await?;
    Ok(count > 0)
}
