//! `event_shared_folders`: the external (Nextcloud) folder of an event
//! (rules.md §16). The foreign key does not cascade: deleters remove the row
//! explicitly (see `Event::delete_cascade`).

use chrono::{DateTime, Utc};
use conclave_domain::ids::EventId;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::event_shared_folders;
use crate::{DbConnection, DbError, Result};

/// A row of `event_shared_folders`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_shared_folders, primary_key(event_id))]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct EventSharedFolder {
    /// The event (primary key).
    #[diesel(deserialize_as = Uuid)]
    pub event_id: EventId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Folder path at the provider.
    pub path: String,
    /// Provider id of the read-write share.
    pub write_share_id: String,
    /// Public URL of the read-write share.
    pub write_url: String,
    /// Password of the read-write share.
    pub write_password: String,
    /// Provider id of the read-only share.
    pub read_share_id: String,
    /// Public URL of the read-only share.
    pub read_url: String,
    /// Password of the read-only share.
    pub read_password: String,
}

/// Insert form of [`EventSharedFolder`].
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = event_shared_folders)]
pub struct NewEventSharedFolder {
    /// The event.
    #[diesel(serialize_as = Uuid)]
    pub event_id: EventId,
    /// Folder path at the provider.
    pub path: String,
    /// Provider id of the read-write share.
    pub write_share_id: String,
    /// Public URL of the read-write share.
    pub write_url: String,
    /// Password of the read-write share.
    pub write_password: String,
    /// Provider id of the read-only share.
    pub read_share_id: String,
    /// Public URL of the read-only share.
    pub read_url: String,
    /// Password of the read-only share.
    pub read_password: String,
}

/// What [`NewEventSharedFolder::insert_if_absent`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedFolderInsert {
    /// The row was inserted.
    Inserted(EventSharedFolder),
    /// The event already had a folder; it is returned unchanged.
    AlreadyExists(EventSharedFolder),
}

impl EventSharedFolder {
    /// The event's folder, or `NotFound`.
    pub async fn get(conn: &mut DbConnection, event_id: EventId) -> Result<EventSharedFolder> {
        EventSharedFolder::find(conn, event_id)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// The event's folder, if any.
    pub async fn find(
        conn: &mut DbConnection,
        event_id: EventId,
    ) -> Result<Option<EventSharedFolder>> {
        Ok(event_shared_folders::table
            .find(Uuid::from(event_id))
            .select(EventSharedFolder::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The folders of several events (for a listing page).
    pub async fn list_for_events(
        conn: &mut DbConnection,
        event_ids: &[EventId],
    ) -> Result<Vec<EventSharedFolder>> {
        let ids: Vec<Uuid> = event_ids.iter().copied().map(Uuid::from).collect();
        Ok(event_shared_folders::table
            .filter(event_shared_folders::event_id.eq_any(ids))
            .select(EventSharedFolder::as_select())
            .load(conn)
            .await?)
    }

    /// Deletes the event's folder row, or `NotFound`.
    pub async fn delete(conn: &mut DbConnection, event_id: EventId) -> Result<()> {
        let deleted = diesel::delete(event_shared_folders::table.find(Uuid::from(event_id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewEventSharedFolder {
    /// Inserts the folder; a second one for the event is a `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<EventSharedFolder> {
        Ok(diesel::insert_into(event_shared_folders::table)
            .values(self)
            .returning(EventSharedFolder::as_select())
            .get_result(conn)
            .await?)
    }

    /// Inserts the folder unless the event has one; creation is idempotent
    /// (rules.md §16), so an existing row is returned unchanged.
    pub async fn insert_if_absent(self, conn: &mut DbConnection) -> Result<SharedFolderInsert> {
        let event_id = self.event_id;
        let inserted = diesel::insert_into(event_shared_folders::table)
            .values(self)
            .on_conflict_do_nothing()
            .returning(EventSharedFolder::as_select())
            .get_result(conn)
            .await
            .optional()?;
        Ok(match inserted {
            Some(row) => SharedFolderInsert::Inserted(row),
            None => {
                SharedFolderInsert::AlreadyExists(EventSharedFolder::get(conn, event_id).await?)
            }
        })
    }

    /// Inserts the folder or replaces every value of the existing one,
    /// setting `updated_at = now()`.
    pub async fn upsert(self, conn: &mut DbConnection) -> Result<EventSharedFolder> {
        use event_shared_folders::dsl as f;
        Ok(diesel::insert_into(event_shared_folders::table)
            .values(self)
            .on_conflict(f::event_id)
            .do_update()
            .set((
                f::updated_at.eq(diesel::dsl::now),
                f::path.eq(excluded(f::path)),
                f::write_share_id.eq(excluded(f::write_share_id)),
                f::write_url.eq(excluded(f::write_url)),
                f::write_password.eq(excluded(f::write_password)),
                f::read_share_id.eq(excluded(f::read_share_id)),
                f::read_url.eq(excluded(f::read_url)),
                f::read_password.eq(excluded(f::read_password)),
            ))
            .returning(EventSharedFolder::as_select())
            .get_result(conn)
            .await?)
    }
}
