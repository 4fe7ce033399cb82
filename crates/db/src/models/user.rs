//! `users`: registered accounts, one per (OIDC subject, tenant).

mod search;

use chrono::{DateTime, Utc};
use conclave_domain::ids::{TariffId, TenantId, UserId};
use conclave_domain::tariff::TariffStatus;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::enums::SqlTariffStatus;
use crate::paging::{Page, PageRequest};
use crate::schema::users;
use crate::{DbConnection, Result};

/// A row of `users` (without the legacy `id_serial`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: UserId,
    /// The OIDC subject.
    pub oidc_sub: String,
    /// Lower-case e-mail address (not unique).
    pub email: String,
    /// Title, such as "Dr.".
    pub title: String,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
    /// Expiry of the last ID token, unix seconds.
    pub id_token_exp: i64,
    /// UI language.
    pub language: String,
    /// Display name.
    pub display_name: String,
    /// Dashboard theme.
    pub dashboard_theme: String,
    /// Conference theme.
    pub conference_theme: String,
    /// Phone number in E.164, if known.
    pub phone: Option<String>,
    /// Tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Current tariff.
    #[diesel(deserialize_as = Uuid)]
    pub tariff_id: TariffId,
    /// Which tariff is in effect.
    pub tariff_status: TariffStatus,
    /// When the account was disabled; `None` means active.
    pub disabled_since: Option<DateTime<Utc>>,
    /// Avatar URL from the identity provider.
    pub avatar_url: Option<String>,
}

/// Insert form of [`User`]; the themes take their column defaults.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    /// The OIDC subject.
    pub oidc_sub: String,
    /// Lower-case e-mail address.
    pub email: String,
    /// Title.
    pub title: String,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
    /// Expiry of the ID token, unix seconds.
    pub id_token_exp: i64,
    /// UI language.
    pub language: String,
    /// Display name.
    pub display_name: String,
    /// Phone number.
    pub phone: Option<String>,
    /// Tenant.
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Tariff.
    #[diesel(serialize_as = Uuid)]
    pub tariff_id: TariffId,
    /// Tariff status.
    #[diesel(serialize_as = SqlTariffStatus)]
    pub tariff_status: TariffStatus,
    /// Avatar URL.
    pub avatar_url: Option<String>,
}

/// Changes to a [`User`]: `None` leaves a column unchanged; for nullable
/// columns `Some(None)` sets NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UpdateUser {
    /// New e-mail address (lower-case).
    pub email: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New given name.
    pub firstname: Option<String>,
    /// New family name.
    pub lastname: Option<String>,
    /// New ID token expiry.
    pub id_token_exp: Option<i64>,
    /// New language.
    pub language: Option<String>,
    /// New display name.
    pub display_name: Option<String>,
    /// New dashboard theme.
    pub dashboard_theme: Option<String>,
    /// New conference theme.
    pub conference_theme: Option<String>,
    /// New phone number.
    pub phone: Option<Option<String>>,
    /// New tariff.
    #[diesel(serialize_as = Uuid)]
    pub tariff_id: Option<TariffId>,
    /// New tariff status.
    #[diesel(serialize_as = SqlTariffStatus)]
    pub tariff_status: Option<TariffStatus>,
    /// Disable (`Some(Some(t))`) or re-enable (`Some(None)`) the account.
    pub disabled_since: Option<Option<DateTime<Utc>>>,
    /// New avatar URL.
    pub avatar_url: Option<Option<String>>,
}

impl UpdateUser {
    /// Whether the changeset changes nothing (diesel refuses empty updates).
    fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.title.is_none()
            && self.firstname.is_none()
            && self.lastname.is_none()
            && self.id_token_exp.is_none()
            && self.language.is_none()
            && self.display_name.is_none()
            && self.dashboard_theme.is_none()
            && self.conference_theme.is_none()
            && self.phone.is_none()
            && self.tariff_id.is_none()
            && self.tariff_status.is_none()
            && self.disabled_since.is_none()
            && self.avatar_url.is_none()
    }
}

impl User {
    /// Looks a user up by id, disabled users included.
    pub async fn get(conn: &mut DbConnection, id: UserId) -> Result<User> {
        Ok(users::table
            .find(Uuid::from(id))
            .select(User::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks an active (not disabled) user up by id.
    pub async fn get_active(conn: &mut DbConnection, id: UserId) -> Result<User> {
        Ok(users::table
            .find(Uuid::from(id))
            .filter(users::disabled_since.is_null())
            .select(User::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks an active user of `tenant` up by id (`GET /users/{id}`).
    pub async fn get_active_in_tenant(
        conn: &mut DbConnection,
        tenant: TenantId,
        id: UserId,
    ) -> Result<User> {
        Ok(users::table
            .find(Uuid::from(id))
            .filter(users::tenant_id.eq(Uuid::from(tenant)))
            .filter(users::disabled_since.is_null())
            .select(User::as_select())
            .get_result(conn)
            .await?)
    }

    /// The users with these ids (any order, unknown ids skipped).
    pub async fn list_by_ids(conn: &mut DbConnection, ids: &[UserId]) -> Result<Vec<User>> {
        let ids: Vec<Uuid> = ids.iter().copied().map(Uuid::from).collect();
        Ok(users::table
            .filter(users::id.eq_any(ids))
            .select(User::as_select())
            .load(conn)
            .await?)
    }

    /// Looks a user up by OIDC subject within a tenant, **disabled users
    /// included**, so that login can refuse them (rules.md §20.1, R-32).
    pub async fn find_by_oidc_sub(
        conn: &mut DbConnection,
        tenant: TenantId,
        oidc_sub: &str,
    ) -> Result<Option<User>> {
        Ok(users::table
            .filter(users::tenant_id.eq(Uuid::from(tenant)))
            .filter(users::oidc_sub.eq(oidc_sub))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks an active user up by OIDC subject within a tenant.
    pub async fn find_active_by_oidc_sub(
        conn: &mut DbConnection,
        tenant: TenantId,
        oidc_sub: &str,
    ) -> Result<Option<User>> {
        Ok(Self::find_by_oidc_sub(conn, tenant, oidc_sub)
            .await?
            .filter(|user| user.disabled_since.is_none()))
    }

    /// The oldest active user of `tenant` with this e-mail address (compared
    /// lower-cased; addresses are not unique).
    pub async fn find_active_by_email(
        conn: &mut DbConnection,
        tenant: TenantId,
        email: &str,
    ) -> Result<Option<User>> {
        Ok(users::table
            .filter(users::tenant_id.eq(Uuid::from(tenant)))
            .filter(users::email.eq(email.to_lowercase()))
            .filter(users::disabled_since.is_null())
            .order(users::id_serial)
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The active users of `tenant` whose address is among `emails`
    /// (compared lower-cased).
    pub async fn list_active_by_emails(
        conn: &mut DbConnection,
        tenant: TenantId,
        emails: &[String],
    ) -> Result<Vec<User>> {
        let emails: Vec<String> = emails.iter().map(|e| e.to_lowercase()).collect();
        Ok(users::table
            .filter(users::tenant_id.eq(Uuid::from(tenant)))
            .filter(users::email.eq_any(emails))
            .filter(users::disabled_since.is_null())
            .order(users::id_serial)
            .select(User::as_select())
            .load(conn)
            .await?)
    }

    /// One page of all users (disabled ones included), oldest first; for jobs.
    pub async fn list(conn: &mut DbConnection, page: PageRequest) -> Result<Page<User>> {
        let total = users::table.count().get_result(conn).await?;
        let items = users::table
            .order(users::id_serial)
            .offset(page.offset())
            .limit(page.limit())
            .select(User::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// Applies `changes`; an empty changeset just returns the row.
    pub async fn update(conn: &mut DbConnection, id: UserId, changes: UpdateUser) -> Result<User> {
        if changes.is_empty() {
            return Self::get(conn, id).await;
        }
        Ok(diesel::update(users::table.find(Uuid::from(id)))
            .set(changes)
            .returning(User::as_select())
            .get_result(conn)
            .await?)
    }

    /// Marks the user disabled since `at` (keycloak account sync).
    pub async fn disable(conn: &mut DbConnection, id: UserId, at: DateTime<Utc>) -> Result<User> {
        let changes = UpdateUser {
            disabled_since: Some(Some(at)),
            ..UpdateUser::default()
        };
        Self::update(conn, id, changes).await
    }

    /// Clears `disabled_since`.
    pub async fn enable(conn: &mut DbConnection, id: UserId) -> Result<User> {
        let changes = UpdateUser {
            disabled_since: Some(None),
            ..UpdateUser::default()
        };
        Self::update(conn, id, changes).await
    }

    /// Deletes the user; refused with `ForeignKeyViolation` while rows refer to it.
    pub async fn delete(conn: &mut DbConnection, id: UserId) -> Result<()> {
        let deleted = diesel::delete(users::table.find(Uuid::from(id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewUser {
    /// Inserts the user; an existing (`oidc_sub`, `tenant_id`) gives
    /// `UniqueViolation`, an upper-case e-mail `CheckViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<User> {
        Ok(diesel::insert_into(users::table)
            .values(self)
            .returning(User::as_select())
            .get_result(conn)
            .await?)
    }
}
