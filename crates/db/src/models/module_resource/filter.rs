//! Filtered get, patch and delete of module resources (rules.md §18).

use conclave_domain::ids::{ModuleResourceId, UserId};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Jsonb;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use super::{ModuleResource, ModuleResourceError};
use crate::DbConnection;
use crate::schema::module_resources;

define_sql_function! {
    /// Applies an RFC 6902 changeset (schema.md §7.3).
    fn ot_patch_json(target: Jsonb, changeset: Jsonb) -> Jsonb;
}

/// Criteria that select module resources; set ones combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleResourceFilter {
    /// The resource id.
    pub id: Option<ModuleResourceId>,
    /// The namespace.
    pub namespace: Option<String>,
    /// The creator.
    pub created_by: Option<UserId>,
    /// The tag (matches only non-NULL equal tags).
    pub tag: Option<String>,
    /// JSONB containment: the data contains this value.
    pub json: Option<serde_json::Value>,
}

type Boxed<'a> = module_resources::BoxedQuery<'a, Pg>;

impl ModuleResourceFilter {
    fn is_empty(&self) -> bool {
        self.id.is_none()
            && self.namespace.is_none()
            && self.created_by.is_none()
            && self.tag.is_none()
            && self.json.is_none()
    }

    /// The filtered query, or [`ModuleResourceError::EmptyFilter`].
    fn query(&self) -> Result<Boxed<'static>, ModuleResourceError> {
        if self.is_empty() {
            return Err(ModuleResourceError::EmptyFilter);
        }
        let mut query = module_resources::table.into_boxed();
        if let Some(id) = self.id {
            query = query.filter(module_resources::id.eq(Uuid::from(id)));
        }
        if let Some(namespace) = &self.namespace {
            query = query.filter(module_resources::namespace.eq(namespace.clone()));
        }
        if let Some(created_by) = self.created_by {
            query = query.filter(module_resources::created_by.eq(Uuid::from(created_by)));
        }
        if let Some(tag) = &self.tag {
            query = query.filter(module_resources::tag.eq(tag.clone()));
        }
        if let Some(json) = &self.json {
            query = query.filter(module_resources::data.contains(json.clone()));
        }
        Ok(query.order((module_resources::created_at, module_resources::id)))
    }
}

impl ModuleResource {
    /// All resources matching `filter`, oldest first.
    pub async fn get(
        conn: &mut DbConnection,
        filter: &ModuleResourceFilter,
    ) -> Result<Vec<ModuleResource>, ModuleResourceError> {
        Ok(filter
            .query()?
            .select(ModuleResource::as_select())
            .load(conn)
            .await?)
    }

    /// Applies the RFC 6902 `changeset` to the data of every resource that
    /// matches `filter` and returns the oldest of them, `None` if nothing
    /// matched. `updated_at` is left alone (rules.md §18).
    ///
    /// Runs in a transaction (a savepoint inside an outer one), so a failing
    /// operation leaves every row unchanged and the connection usable.
    pub async fn patch(
        conn: &mut DbConnection,
        filter: &ModuleResourceFilter,
        changeset: &serde_json::Value,
    ) -> Result<Option<ModuleResource>, ModuleResourceError> {
        let query = filter.query()?;
        let changeset = changeset.clone();
        conn.transaction::<_, ModuleResourceError, _>(async |conn| {
            let ids: Vec<Uuid> = query.select(module_resources::id).load(conn).await?;
            let Some(first) = <[Uuid]>::first(&ids).copied() else {
                return Ok(None);
            };
            let updated: Vec<ModuleResource> =
                diesel::update(module_resources::table.filter(module_resources::id.eq_any(&ids)))
                    .set(
                        module_resources::data.eq(ot_patch_json(module_resources::data, changeset)),
                    )
                    .returning(ModuleResource::as_select())
                    .get_results(conn)
                    .await?;
            Ok(updated.into_iter().find(|row| Uuid::from(row.id) == first))
        })
        .await
    }

    /// Deletes every resource that matches `filter` and returns their ids.
    pub async fn delete(
        conn: &mut DbConnection,
        filter: &ModuleResourceFilter,
    ) -> Result<Vec<ModuleResourceId>, ModuleResourceError> {
        let query = filter.query()?;
        conn.transaction::<_, ModuleResourceError, _>(async |conn| {
            let ids: Vec<Uuid> = query.select(module_resources::id).load(conn).await?;
            diesel::delete(module_resources::table.filter(module_resources::id.eq_any(&ids)))
                .execute(conn)
                .await?;
            Ok(ids.into_iter().map(ModuleResourceId::from).collect())
        })
        .await
    }
}
