//! `module_resources`: free-form JSON state of meeting modules, addressed by
//! room, namespace and optional tag, and patched with RFC 6902 operations.

mod filter;
mod patch;

pub use filter::ModuleResourceFilter;
pub use patch::{JsonPatchError, JsonPatchErrorCode};

use chrono::{DateTime, Utc};
use conclave_domain::ids::{ModuleResourceId, RoomId, TenantId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::module_resources;
use crate::{DbConnection, DbError, Result};

/// A row of `module_resources`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = module_resources, check_for_backend(diesel::pg::Pg))]
pub struct ModuleResource {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: ModuleResourceId,
    /// Tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// The room.
    #[diesel(deserialize_as = Uuid)]
    pub room_id: RoomId,
    /// Creator.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change (patches do not touch it, as upstream).
    pub updated_at: DateTime<Utc>,
    /// Module name.
    pub namespace: String,
    /// Optional tag within the namespace.
    pub tag: Option<String>,
    /// The module's JSON document.
    pub data: serde_json::Value,
}

/// Insert form of [`ModuleResource`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = module_resources)]
pub struct NewModuleResource {
    /// Tenant.
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// The room.
    #[diesel(serialize_as = Uuid)]
    pub room_id: RoomId,
    /// Creator.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// Module name (≤ 255 characters).
    pub namespace: String,
    /// Optional tag (≤ 255 characters).
    pub tag: Option<String>,
    /// Initial document.
    pub data: serde_json::Value,
}

/// Errors of the module-resource queries.
#[derive(Debug, thiserror::Error)]
pub enum ModuleResourceError {
    /// A filter without any criterion would address every row.
    #[error("Empty module resource filter is prohibited")]
    EmptyFilter,
    /// A JSON-patch operation failed; nothing was changed.
    #[error(transparent)]
    Patch(#[from] JsonPatchError),
    /// Any other database error.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ModuleResourceError {
    fn from(err: diesel::result::Error) -> Self {
        match JsonPatchError::from_diesel(&err) {
            Some(patch) => ModuleResourceError::Patch(patch),
            None => ModuleResourceError::Db(DbError::from(err)),
        }
    }
}

impl NewModuleResource {
    /// Inserts the resource.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<ModuleResource> {
        Ok(diesel::insert_into(module_resources::table)
            .values(self)
            .returning(ModuleResource::as_select())
            .get_result(conn)
            .await?)
    }
}

impl ModuleResource {
    /// The ids of a room's resources (for policy removal).
    pub async fn list_ids_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Vec<ModuleResourceId>> {
        let ids: Vec<Uuid> = module_resources::table
            .filter(module_resources::room_id.eq(Uuid::from(room)))
            .order((module_resources::created_at, module_resources::id))
            .select(module_resources::id)
            .load(conn)
            .await?;
        Ok(ids.into_iter().map(ModuleResourceId::from).collect())
    }

    /// Deletes every resource of a room (room and event deletion) and
    /// returns their ids.
    pub async fn delete_all_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Vec<ModuleResourceId>> {
        let ids: Vec<Uuid> = diesel::delete(
            module_resources::table.filter(module_resources::room_id.eq(Uuid::from(room))),
        )
        .returning(module_resources::id)
        .get_results(conn)
        .await?;
        Ok(ids.into_iter().map(ModuleResourceId::from).collect())
    }
}
