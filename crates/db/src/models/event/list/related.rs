//! Batch loaders for what a `GET /events` page renders besides its events:
//! one query per kind of row for all events (or rooms, users) of the page,
//! so a page costs a constant number of round trips.

use conclave_domain::ids::{EventId, EventInviteId, RoomId, UserId};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::enums::{EmailInviteRole, EventInviteStatus, InviteRole};
use crate::models::event_email_invite::EventEmailInvite;
use crate::models::event_invite::EventInvite;
use crate::models::sip_config::SipConfig;
use crate::models::tariff::Tariff;
use crate::schema::{event_email_invites, event_invites, sip_configs, tariffs, users};
use crate::{DbConnection, Result};

/// An invite ranked within its event, with the event's invite count.
#[derive(QueryableByName)]
#[diesel(table_name = event_invites, check_for_backend(diesel::pg::Pg))]
struct RankedInvite {
    id: Uuid,
    event_id: Uuid,
    invitee: Uuid,
    created_by: Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    status: EventInviteStatus,
    role: InviteRole,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// An email invite ranked within its event, with the event's count.
#[derive(QueryableByName)]
#[diesel(table_name = event_email_invites, check_for_backend(diesel::pg::Pg))]
struct RankedEmailInvite {
    event_id: Uuid,
    email: String,
    created_by: Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    role: EmailInviteRole,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

fn uuids<T: Copy + Into<Uuid>>(ids: &[T]) -> Vec<Uuid> {
    ids.iter().copied().map(Into::into).collect()
}

impl EventInvite {
    /// The first `max` invites of each of `events`, in the order of
    /// [`EventInvite::list_for_event`], each with its event's invite count;
    /// grouped by event.
    pub async fn first_per_event(
        conn: &mut DbConnection,
        events: &[EventId],
        max: i64,
    ) -> Result<Vec<(EventInvite, i64)>> {
        let rows: Vec<RankedInvite> = diesel::sql_query(
            "SELECT * FROM (SELECT i.*, \
               row_number() OVER (PARTITION BY i.event_id ORDER BY i.created_at DESC, \
                 i.created_by DESC, i.invitee DESC) AS position, \
               count(*) OVER (PARTITION BY i.event_id) AS total \
             FROM event_invites i WHERE i.event_id = ANY($1)) ranked \
             WHERE position <= $2 ORDER BY event_id, position",
        )
        .bind::<Array<diesel::sql_types::Uuid>, _>(uuids(events))
        .bind::<BigInt, _>(max)
        .load(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let invite = EventInvite {
                    id: EventInviteId::from(row.id),
                    event_id: EventId::from(row.event_id),
                    invitee: UserId::from(row.invitee),
                    created_by: UserId::from(row.created_by),
                    created_at: row.created_at,
                    status: row.status,
                    role: row.role,
                };
                (invite, row.total)
            })
            .collect())
    }
}

impl EventEmailInvite {
    /// The first `max` email invites of each of `events`, in the order of
    /// [`EventEmailInvite::list_for_event`], each with its event's count;
    /// grouped by event.
    pub async fn first_per_event(
        conn: &mut DbConnection,
        events: &[EventId],
        max: i64,
    ) -> Result<Vec<(EventEmailInvite, i64)>> {
        let rows: Vec<RankedEmailInvite> = diesel::sql_query(
            "SELECT * FROM (SELECT i.*, \
               row_number() OVER (PARTITION BY i.event_id ORDER BY i.created_at DESC, \
                 i.created_by DESC, i.email DESC) AS position, \
               count(*) OVER (PARTITION BY i.event_id) AS total \
             FROM event_email_invites i WHERE i.event_id = ANY($1)) ranked \
             WHERE position <= $2 ORDER BY event_id, position",
        )
        .bind::<Array<diesel::sql_types::Uuid>, _>(uuids(events))
        .bind::<BigInt, _>(max)
        .load(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let invite = EventEmailInvite {
                    event_id: EventId::from(row.event_id),
                    email: row.email,
                    created_by: UserId::from(row.created_by),
                    created_at: row.created_at,
                    role: row.role,
                };
                (invite, row.total)
            })
            .collect())
    }
}

impl Tariff {
    /// The current tariffs of `users` (disabled users included), each with
    /// its user.
    pub async fn list_for_users(
        conn: &mut DbConnection,
        users: &[UserId],
    ) -> Result<Vec<(UserId, Tariff)>> {
        let rows: Vec<(Uuid, Tariff)> = tariffs::table
            .inner_join(users::table)
            .filter(users::id.eq_any(uuids(users)))
            .select((users::id, Tariff::as_select()))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(user, tariff)| (UserId::from(user), tariff))
            .collect())
    }
}

impl SipConfig {
    /// The SIP configs of `rooms` (rooms without one are absent).
    pub async fn list_for_rooms(
        conn: &mut DbConnection,
        rooms: &[RoomId],
    ) -> Result<Vec<SipConfig>> {
        Ok(sip_configs::table
            .filter(sip_configs::room.eq_any(uuids(rooms)))
            .select(SipConfig::as_select())
            .load(conn)
            .await?)
    }
}
