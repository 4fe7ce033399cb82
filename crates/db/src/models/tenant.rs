//! `tenants`: one row per OIDC tenant.

use chrono::{DateTime, Utc};
use conclave_domain::ids::TenantId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::tenants;
use crate::{DbConnection, Result};

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
