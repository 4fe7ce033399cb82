//! Rendering rows with the public profiles of the users they name, loading
//! every profile of a list with one query.

use std::collections::HashMap;

use conclave_db::DbConnection;
use conclave_db::models::room::Room;
use conclave_db::models::user::User;
use conclave_domain::ids::UserId;

use crate::config::Settings;
use crate::dto::room::RoomResource;
use crate::dto::user::PublicUserProfile;
use crate::error::ApiError;

/// The public profiles of `ids` (disabled users included: a room or code
/// keeps showing who made it).
pub struct Profiles(HashMap<UserId, PublicUserProfile>);

impl Profiles {
    /// Loads the profiles of `ids` with one query.
    pub async fn load(
        conn: &mut DbConnection,
        settings: &Settings,
        ids: impl IntoIterator<Item = UserId>,
    ) -> Result<Self, ApiError> {
        let mut ids: Vec<UserId> = ids.into_iter().collect();
        ids.sort();
        ids.dedup();
        let users = User::list_by_ids(conn, &ids).await?;
        Ok(Self(
            users
                .iter()
                .map(|user| (user.id, PublicUserProfile::of(user, settings)))
                .collect(),
        ))
    }

    /// The profile of `id`. Foreign keys guarantee it was loaded, so a gap
    /// is an internal error rather than a client one.
    pub fn get(&self, id: UserId) -> Result<PublicUserProfile, ApiError> {
        self.0
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::internal(format!("profile of user {id} missing")))
    }
}

/// Renders rooms with their creators' profiles, keeping the given order.
pub async fn room_resources(
    conn: &mut DbConnection,
    settings: &Settings,
    rooms: &[Room],
) -> Result<Vec<RoomResource>, ApiError> {
    let profiles = Profiles::load(conn, settings, rooms.iter().map(|r| r.created_by)).await?;
    rooms
        .iter()
        .map(|room| Ok(RoomResource::of(room, profiles.get(room.created_by)?)))
        .collect()
}

/// Renders one room with its creator's profile.
pub async fn room_resource(
    conn: &mut DbConnection,
    settings: &Settings,
    room: &Room,
) -> Result<RoomResource, ApiError> {
    let creator = User::get(conn, room.created_by).await?;
    Ok(RoomResource::of(
        room,
        PublicUserProfile::of(&creator, settings),
    ))
}
