//! `groups`: OIDC groups, created per tenant by name at login.

use conclave_domain::ids::{GroupId, TenantId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::{groups, user_groups};
use crate::{DbConnection, Result};

/// A row of `groups` (without the legacy `id_serial`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = groups, check_for_backend(diesel::pg::Pg))]
pub struct Group {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: GroupId,
    /// Group name from the token's group claim.
    pub name: String,
    /// Tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
}

/// Insert form of [`Group`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = groups)]
pub struct NewGroup {
    /// Group name.
    pub name: String,
    /// Tenant.
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
}

impl Group {
    /// Looks a group up by id.
    pub async fn get(conn: &mut DbConnection, id: GroupId) -> Result<Group> {
        Ok(groups::table
            .find(Uuid::from(id))
            .select(Group::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a group up by (tenant, name).
    pub async fn find_by_name(
        conn: &mut DbConnection,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Group>> {
        Ok(groups::table
            .filter(groups::tenant_id.eq(Uuid::from(tenant)))
            .filter(groups::name.eq(name))
            .select(Group::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Returns the groups of `tenant` with these names, creating the missing
    /// ones, in the order of `names` (duplicates collapsed).
    ///
    /// The insert skips names that exist (or are inserted concurrently) via
    /// `ON CONFLICT DO NOTHING`; the following read returns all of them.
    pub async fn get_or_create_many(
        conn: &mut DbConnection,
        tenant: TenantId,
        names: &[String],
    ) -> Result<Vec<Group>> {
        let mut unique: Vec<&String> = Vec::with_capacity(names.len());
        for name in names {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        if unique.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<NewGroup> = unique
            .iter()
            .map(|name| NewGroup {
                name: (*name).clone(),
                tenant_id: tenant,
            })
            .collect();
        diesel::insert_into(groups::table)
            .values(rows)
            .on_conflict((groups::tenant_id, groups::name))
            .do_nothing()
            .execute(conn)
            .await?;
        let found: Vec<Group> = groups::table
            .filter(groups::tenant_id.eq(Uuid::from(tenant)))
            .filter(groups::name.eq_any(&unique))
            .select(Group::as_select())
            .load(conn)
            .await?;
        Ok(unique
            .iter()
            .filter_map(|name| found.iter().find(|g| &&g.name == name).cloned())
            .collect())
    }

    /// Returns the group of `tenant` named `name`, creating it if missing.
    pub async fn get_or_create(
        conn: &mut DbConnection,
        tenant: TenantId,
        name: &str,
    ) -> Result<Group> {
        let mut groups = Self::get_or_create_many(conn, tenant, &[name.to_owned()]).await?;
        groups.pop().ok_or(crate::DbError::NotFound)
    }

    /// The groups a user belongs to, ordered by `id_serial` as upstream does.
    pub async fn list_for_user(conn: &mut DbConnection, user: UserId) -> Result<Vec<Group>> {
        Ok(groups::table
            .inner_join(user_groups::table)
            .filter(user_groups::user_id.eq(Uuid::from(user)))
            .order(groups::id_serial)
            .select(Group::as_select())
            .load(conn)
            .await?)
    }

    /// Deletes the group; refused with `ForeignKeyViolation` while it has members.
    pub async fn delete(conn: &mut DbConnection, id: GroupId) -> Result<()> {
        let deleted = diesel::delete(groups::table.find(Uuid::from(id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewGroup {
    /// Inserts the group; an existing (tenant, name) gives `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Group> {
        Ok(diesel::insert_into(groups::table)
            .values(self)
            .returning(Group::as_select())
            .get_result(conn)
            .await?)
    }
}
