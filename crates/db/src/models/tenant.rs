//! `tenants`: one row per OIDC tenant.

use chrono::{DateTime, Utc};
use conclave_domain::ids::TenantId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::tenants;
use crate::{DbConnection, Result};

/// The `oidc_tenant_id` of the tenant seeded by the migrations (schema.md §8).
pub const DEFAULT_OIDC_TENANT_ID: &str = "OpenTalkDefaultTenant";

/// A row of `tenants`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct Tenant {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: TenantId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The tenant id from the identity provider.
    pub oidc_tenant_id: String,
}

/// Insert form of [`Tenant`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant {
    /// The tenant id from the identity provider.
    pub oidc_tenant_id: String,
}

impl Tenant {
    /// Looks a tenant up by its primary key.
    pub async fn get(conn: &mut DbConnection, id: TenantId) -> Result<Tenant> {
        Ok(tenants::table
            .find(Uuid::from(id))
            .select(Tenant::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a tenant up by the identity provider's tenant id.
    pub async fn find_by_oidc_tenant_id(
        conn: &mut DbConnection,
        oidc_tenant_id: &str,
    ) -> Result<Option<Tenant>> {
        Ok(tenants::table
            .filter(tenants::oidc_tenant_id.eq(oidc_tenant_id))
            .select(Tenant::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Returns the tenant with this identity-provider id, creating it if it is
    /// missing (login creates tenants on demand, rules.md §20.3).
    ///
    /// `ON CONFLICT DO NOTHING` followed by a read keeps two concurrent logins
    /// of a new tenant from failing on the unique key.
    pub async fn get_or_create_by_oidc_tenant_id(
        conn: &mut DbConnection,
        oidc_tenant_id: &str,
    ) -> Result<Tenant> {
        let inserted = diesel::insert_into(tenants::table)
            .values(tenants::oidc_tenant_id.eq(oidc_tenant_id))
            .on_conflict(tenants::oidc_tenant_id)
            .do_nothing()
            .returning(Tenant::as_select())
            .get_result(conn)
            .await
            .optional()?;
        match inserted {
            Some(tenant) => Ok(tenant),
            None => Ok(tenants::table
                .filter(tenants::oidc_tenant_id.eq(oidc_tenant_id))
                .select(Tenant::as_select())
                .first(conn)
                .await?),
        }
    }

    /// Every tenant, oldest first.
    pub async fn list_all(conn: &mut DbConnection) -> Result<Vec<Tenant>> {
        Ok(tenants::table
            .order((tenants::created_at, tenants::id))
            .select(Tenant::as_select())
            .load(conn)
            .await?)
    }

    /// Deletes the tenant; refused with `ForeignKeyViolation` while rows refer to it.
    pub async fn delete(conn: &mut DbConnection, id: TenantId) -> Result<()> {
        let deleted = diesel::delete(tenants::table.find(Uuid::from(id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewTenant {
    /// Inserts the tenant.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Tenant> {
        Ok(diesel::insert_into(tenants::table)
            .values(self)
            .returning(Tenant::as_select())
            .get_result(conn)
            .await?)
    }
}
