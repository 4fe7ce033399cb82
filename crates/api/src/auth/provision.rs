//! The login transaction of `POST /v1/auth/login` (api.md §5.4, rules.md
//! §20.3, §8.4, §7.8, §11.3): tenant, tariff, user, email invites, groups
//! and casbin `g`/`p` rows, all in one transaction (the table models run
//! their own steps as savepoints inside it).

pub mod fields;
pub mod phone;

use actix_web::http::StatusCode;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::group::Group;
use conclave_db::models::tariff::Tariff;
use conclave_db::models::tenant::Tenant;
use conclave_db::models::user::User;
use conclave_db::models::user_group::UserGroup;
use conclave_db::{DbConnection, DbError};
use conclave_domain::access::{self, AccessChange};
use conclave_domain::ids::TariffId;
use conclave_domain::tariff::assign::{self, LoginTariff, TariffLookup, resolve_login_tariff};
use diesel_async::AsyncConnection;

use crate::auth::claims::Claims;
use crate::auth::provision::fields::{Assignment, Profile, new_user, update_user};
use crate::config::{Settings, TariffAssignment, TenantAssignment};
use crate::error::ApiError;
use crate::state::AppState;

/// What a successful login did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    /// The user row after the login.
    pub user: User,
    /// Whether the account was created by this login.
    pub created: bool,
    /// The casbin subjects whose rules changed (for cache invalidation).
    pub invalidation: Invalidation,
}

/// 400 `invalid_claims` with a message.
pub fn invalid_claims(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_claims", message)
}

/// The identity-provider tenant id a login (or access token) belongs to.
pub fn tenant_name<'a>(settings: &'a Settings, claims: &'a Claims) -> Result<&'a str, ApiError> {
    match settings.tenants.assignment {
        TenantAssignment::Static => Ok(&settings.tenants.static_tenant_id),
        TenantAssignment::ByExternalTenantId => claims
            .tenant_id
            .as_deref()
            .ok_or_else(|| invalid_claims("tenant_id missing in id_token claims")),
    }
}

/// Resolves tariff and status from settings and claims (rules.md §8.4).
pub fn login_tariff(settings: &Settings, claims: &Claims) -> Result<LoginTariff, ApiError> {
    let tariffs = &settings.tariffs;
    let assignment = match tariffs.assignment {
        TariffAssignment::Static => assign::TariffAssignment::Static {
            tariff_name: tariffs.static_tariff_name.clone(),
        },
        TariffAssignment::ByExternalTariffId => assign::TariffAssignment::ByExternalTariffId,
    };
    let mapping = tariffs
        .status_mapping
        .as_ref()
        .map(|m| assign::StatusMapping {
            downgraded_tariff_name: m.downgraded_tariff_name.clone(),
            default: m.default.clone(),
            paid: m.paid.clone(),
            downgraded: m.downgraded.clone(),
        });
    let plan = resolve_login_tariff(
        &assignment,
        mapping.as_ref(),
        claims.tariff_id.as_deref(),
        claims.tariff_status.as_deref(),
    )
    .map_err(|missing| invalid_claims(missing.to_string()))?;
    if let Some(value) = &plan.unknown_status {
        tracing::error!(tariff_status = %value, "unmapped tariff_status claim, using default");
    }
    Ok(plan)
}

/// Runs the login for verified ID-token `claims`.
pub async fn login(state: &AppState, claims: &Claims) -> Result<LoginOutcome, ApiError> {
    let settings = state.settings.clone();
    let tenant = tenant_name(&settings, claims)?.to_owned();
    let plan = login_tariff(&settings, claims)?;
    let profile = Profile::from_claims(claims, &settings);
    let mut conn = state.conn().await?;
    let outcome = conn
        .transaction::<_, TxError, _>(async |conn| {
            provision(conn, &settings, claims, &tenant, &plan, profile)
                .await
                .map_err(TxError)
        })
        .await
        .map_err(|TxError(err)| err)?;
    Ok(outcome)
}

/// The transaction's error: an API error, or a database error diesel raises.
struct TxError(ApiError);

impl From<diesel::result::Error> for TxError {
    fn from(err: diesel::result::Error) -> Self {
        TxError(DbError::from(err).into())
    }
}

async fn provision(
    conn: &mut DbConnection,
    settings: &Settings,
    claims: &Claims,
    tenant_name: &str,
    plan: &LoginTariff,
    profile: Profile,
) -> Result<LoginOutcome, ApiError> {
    let tenant = Tenant::get_or_create_by_oidc_tenant_id(conn, tenant_name).await?;
    let tariff = load_tariff(conn, plan).await?;
    let assignment = Assignment {
        tenant: tenant.id,
        tariff,
        status: plan.status,
    };
    let existing = User::find_by_oidc_sub(conn, tenant.id, &claims.sub).await?;
    let mut change = AccessChange::default();
    let (user, created) = match existing {
        Some(user) if user.disabled_since.is_some() => {
            return Err(ApiError::forbidden().with_message("The user account is disabled"));
        }
        Some(user) => {
            let changes = update_user(
                &user,
                profile,
                assignment,
                claims.exp,
                settings.endpoints.disallow_custom_display_name,
            );
            (User::update(conn, user.id, changes).await?, false)
        }
        None => {
            let language = &settings.defaults.user_language;
            let user = new_user(&claims.sub, profile, assignment, claims.exp, language)
                .insert(conn)
                .await?;
            extend(&mut change, access::first_login(user.id));
            let invites =
                EventEmailInvite::convert_to_user_invites(conn, &user.email, user.id, tenant.id)
                    .await?;
            for invite in invites {
                extend(
                    &mut change,
                    access::invite_user(user.id, invite.event_id, invite.room),
                );
            }
            (user, true)
        }
    };
    let groups = Group::get_or_create_many(conn, tenant.id, &claims.x_grp).await?;
    let wanted: Vec<_> = groups.iter().map(|g| g.id).collect();
    let sync = UserGroup::sync_for_user(conn, user.id, &wanted).await?;
    // The casbin links follow the membership change exactly: links for the
    // added groups, revocations for the removed ones.
    extend(
        &mut change,
        access::sync_groups(user.id, &sync.removed, &sync.added),
    );
    let invalidation = apply_change(conn, &change).await?;
    Ok(LoginOutcome {
        user,
        created,
        invalidation,
    })
}

/// Appends `more` to `change`. Grants of several invites are not merged per
/// resource, because each invite's resources are distinct (one event/room).
fn extend(change: &mut AccessChange, more: AccessChange) {
    change.revokes.extend(more.revokes);
    change.links.extend(more.links);
    change.grants.extend(more.grants);
}

async fn load_tariff(conn: &mut DbConnection, plan: &LoginTariff) -> Result<TariffId, ApiError> {
    let assigned = match &plan.assigned {
        TariffLookup::ByName(name) => Tariff::find_by_name(conn, name).await?,
        TariffLookup::ByExternalId(id) => {
            let found = Tariff::find_by_external_id(conn, id).await?;
            Some(found.ok_or_else(|| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "invalid_tariff_id",
                    "JWT contained unknown tariff_id",
                )
            })?)
        }
    };
    let invalid_configuration = || {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "invalid_configuration",
            "The configured tariff cannot be loaded",
        )
    };
    let assigned = assigned.ok_or_else(invalid_configuration)?;
    match &plan.downgrade_to {
        None => Ok(assigned.id),
        Some(name) => Ok(Tariff::find_by_name(conn, name)
            .await?
            .ok_or_else(invalid_configuration)?
            .id),
    }
}
