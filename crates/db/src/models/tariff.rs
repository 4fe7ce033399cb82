//! `tariffs`: quotas and disabled modules and features assigned to users.

use chrono::{DateTime, Utc};
use conclave_domain::ids::{RoomId, TariffId, UserId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::paging::{Page, PageRequest};
use crate::schema::{external_tariffs, rooms, tariffs, users};
use crate::{DbConnection, DbError, Result};

/// The name of the tariff seeded by the migrations (schema.md §8).
pub const DEFAULT_TARIFF_NAME: &str = "OpenTalkDefaultTariff";

/// A row of `tariffs`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tariffs, check_for_backend(diesel::pg::Pg))]
pub struct Tariff {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: TariffId,
    /// Unique name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Flat object of quota name → unsigned integer (schema.md §9.1).
    pub quotas: serde_json::Value,
    /// Disabled module ids.
    pub disabled_modules: Vec<Option<String>>,
    /// Disabled `module::feature` ids.
    pub disabled_features: Vec<Option<String>>,
}

/// Insert form of [`Tariff`]. Validation happens in the domain layer.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tariffs)]
pub struct NewTariff {
    /// Unique name.
    pub name: String,
    /// Quotas object.
    pub quotas: serde_json::Value,
    /// Disabled module ids.
    pub disabled_modules: Vec<String>,
    /// Disabled `module::feature` ids.
    pub disabled_features: Vec<String>,
}

/// Changes to a [`Tariff`]; `None` leaves a column unchanged.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = tariffs)]
pub struct UpdateTariff {
    /// New name.
    pub name: Option<String>,
    /// New quotas object.
    pub quotas: Option<serde_json::Value>,
    /// New disabled module ids.
    pub disabled_modules: Option<Vec<String>>,
    /// New disabled feature ids.
    pub disabled_features: Option<Vec<String>>,
}

impl Tariff {
    /// Looks a tariff up by its primary key.
    pub async fn get(conn: &mut DbConnection, id: TariffId) -> Result<Tariff> {
        Ok(tariffs::table
            .find(Uuid::from(id))
            .select(Tariff::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a tariff up by its unique name.
    pub async fn find_by_name(conn: &mut DbConnection, name: &str) -> Result<Option<Tariff>> {
        Ok(tariffs::table
            .filter(tariffs::name.eq(name))
            .select(Tariff::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks a tariff up by its unique name, or `NotFound`.
    pub async fn get_by_name(conn: &mut DbConnection, name: &str) -> Result<Tariff> {
        Self::find_by_name(conn, name)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// The tariff an external (identity-provider) tariff id maps to.
    pub async fn find_by_external_id(
        conn: &mut DbConnection,
        external_id: &str,
    ) -> Result<Option<Tariff>> {
        Ok(tariffs::table
            .inner_join(external_tariffs::table)
            .filter(external_tariffs::external_id.eq(external_id))
            .select(Tariff::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The current tariff of a user (disabled users included).
    pub async fn get_for_user(conn: &mut DbConnection, user: UserId) -> Result<Tariff> {
        Ok(tariffs::table
            .inner_join(users::table)
            .filter(users::id.eq(Uuid::from(user)))
            .select(Tariff::as_select())
            .first(conn)
            .await?)
    }

    /// A room's tariff: its creator's current tariff. `NotFound` when the room
    /// is missing or its creator is disabled (rules.md §8.5).
    pub async fn get_for_room(conn: &mut DbConnection, room: RoomId) -> Result<Tariff> {
        Ok(tariffs::table
            .inner_join(users::table.inner_join(rooms::table.on(rooms::created_by.eq(users::id))))
            .filter(rooms::id.eq(Uuid::from(room)))
            .filter(users::disabled_since.is_null())
            .select(Tariff::as_select())
            .first(conn)
            .await?)
    }

    /// One page of all tariffs, ordered by name.
    pub async fn list(conn: &mut DbConnection, page: PageRequest) -> Result<Page<Tariff>> {
        let total = tariffs::table.count().get_result(conn).await?;
        let items = tariffs::table
            .order((tariffs::name, tariffs::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Tariff::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// Applies `changes` and bumps `updated_at`.
    pub async fn update(
        conn: &mut DbConnection,
        id: TariffId,
        changes: UpdateTariff,
    ) -> Result<Tariff> {
        Ok(diesel::update(tariffs::table.find(Uuid::from(id)))
            .set((changes, tariffs::updated_at.eq(diesel::dsl::now)))
            .returning(Tariff::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the tariff after its external ids (rules.md §8.6). Refused with
    /// `ForeignKeyViolation` while users still have it; nothing is then removed.
    pub async fn delete(conn: &mut DbConnection, id: TariffId) -> Result<()> {
        let id = Uuid::from(id);
        conn.transaction::<_, DbError, _>(async |conn| {
            diesel::delete(external_tariffs::table.filter(external_tariffs::tariff_id.eq(id)))
                .execute(conn)
                .await?;
            let deleted = diesel::delete(tariffs::table.find(id))
                .execute(conn)
                .await?;
            crate::models::expect_one(deleted)
        })
        .await
    }
}

impl NewTariff {
    /// Inserts the tariff; a taken name gives `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Tariff> {
        Ok(diesel::insert_into(tariffs::table)
            .values(self)
            .returning(Tariff::as_select())
            .get_result(conn)
            .await?)
    }
}
