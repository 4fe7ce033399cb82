//! The event deleter's database part (rules.md §10.1 step 4).
//!
//! `event_shared_folders`, `module_resources`, `room_assets` and
//! `events.room` do not cascade, so one transaction deletes in the order
//! the foreign keys require; the caller removes external objects and
//! casbin rules with the ids returned here after the commit.

use conclave_domain::ids::{AssetId, EventId, ModuleResourceId, RoomId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use super::Event;
use crate::models::event_shared_folder::EventSharedFolder;
use crate::schema::{
    assets, event_shared_folders, events, module_resources, room_assets, rooms, sip_configs,
};
use crate::{DbConnection, DbError, Result};

/// What the deleter removed, for the follow-up work outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedEvent {
    /// The deleted event.
    pub event: Event,
    /// The deleted room.
    pub room: RoomId,
    /// The deleted shared folder row, if there was one.
    pub shared_folder: Option<EventSharedFolder>,
    /// Deleted module resources (their casbin rules must go, R-27).
    pub module_resources: Vec<ModuleResourceId>,
    /// Deleted assets (their stored objects must go).
    pub assets: Vec<AssetId>,
}

/// What [`Event::delete_cascade_if_folder_unchanged`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteEventOutcome {
    /// Everything was deleted.
    Deleted(Box<DeletedEvent>),
    /// The shared folder row differs from the one the caller saw (it was
    /// created, changed or removed meanwhile); nothing was deleted.
    SharedFolderChanged,
}

impl Event {
    /// Deletes the event, its shared folder row, its room's module
    /// resources, SIP config, assets and the room, in one transaction. The
    /// event's invites, email invites, favourites, exceptions and training
    /// parameters go by cascade, and so do the room's invite codes and
    /// streaming targets. Works whatever the state of the creator.
    pub async fn delete_cascade(conn: &mut DbConnection, id: EventId) -> Result<DeletedEvent> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let event = lock_event(conn, id).await?;
            let shared_folder = lock_shared_folder(conn, id).await?;
            delete_rows(conn, event, shared_folder).await
        })
        .await
    }

    /// Like [`Event::delete_cascade`], but only if the shared folder row is
    /// still exactly `seen` (`None`: there is still none). Detects a folder
    /// that changed after the caller deleted it externally (§10.1 step 4).
    pub async fn delete_cascade_if_folder_unchanged(
        conn: &mut DbConnection,
        id: EventId,
        seen: Option<&EventSharedFolder>,
    ) -> Result<DeleteEventOutcome> {
        let seen = seen.cloned();
        conn.transaction::<_, DbError, _>(async |conn| {
            let event = lock_event(conn, id).await?;
            let shared_folder = lock_shared_folder(conn, id).await?;
            if shared_folder != seen {
                // Nothing has been written, so the empty commit is harmless.
                return Ok(DeleteEventOutcome::SharedFolderChanged);
            }
            let deleted = delete_rows(conn, event, shared_folder).await?;
            Ok(DeleteEventOutcome::Deleted(Box::new(deleted)))
        })
        .await
    }
}

/// Reads and locks the event, so a concurrent update or delete waits.
async fn lock_event(conn: &mut DbConnection, id: EventId) -> Result<Event> {
    Ok(events::table
        .find(Uuid::from(id))
        .select(Event::as_select())
        .for_update()
        .get_result(conn)
        .await?)
}

/// Reads and locks the event's shared folder row, if any.
async fn lock_shared_folder(
    conn: &mut DbConnection,
    id: EventId,
) -> Result<Option<EventSharedFolder>> {
    Ok(event_shared_folders::table
        .find(Uuid::from(id))
        .select(EventSharedFolder::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// The deletes, in foreign-key order.
async fn delete_rows(
    conn: &mut DbConnection,
    event: Event,
    shared_folder: Option<EventSharedFolder>,
) -> Result<DeletedEvent> {
    let event_id = Uuid::from(event.id);
    let room = Uuid::from(event.room);
    diesel::delete(event_shared_folders::table.find(event_id))
        .execute(conn)
        .await?;
    let module_resources: Vec<Uuid> =
        diesel::delete(module_resources::table.filter(module_resources::room_id.eq(room)))
            .returning(module_resources::id)
            .get_results(conn)
            .await?;
    diesel::delete(events::table.find(event_id))
        .execute(conn)
        .await?;
    diesel::delete(sip_configs::table.filter(sip_configs::room.eq(room)))
        .execute(conn)
        .await?;
    let asset_ids: Vec<Uuid> =
        diesel::delete(room_assets::table.filter(room_assets::room_id.eq(room)))
            .returning(room_assets::asset_id)
            .get_results(conn)
            .await?;
    diesel::delete(assets::table.filter(assets::id.eq_any(&asset_ids)))
        .execute(conn)
        .await?;
    diesel::delete(rooms::table.find(room))
        .execute(conn)
        .await?;
    Ok(DeletedEvent {
        room: event.room,
        event,
        shared_folder,
        module_resources: module_resources.into_iter().map(Into::into).collect(),
        assets: asset_ids.into_iter().map(Into::into).collect(),
    })
}
