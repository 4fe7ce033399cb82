//! `event_email_invites`: invitations addressed to an email address without
//! a user account yet (rules.md §7.5, §7.8).

use chrono::{DateTime, Utc};
use conclave_domain::ids::{EventId, RoomId, TenantId, UserId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::enums::{EmailInviteRole, EventInviteStatus, InviteRole, SqlEmailInviteRole};
use crate::models::event_invite::{InviteInsert, NewEventInvite};
use crate::paging::{Page, PageRequest};
use crate::schema::{event_email_invites, event_invites, events};
use crate::{DbConnection, DbError, Result};

/// A row of `event_email_invites`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = event_email_invites, check_for_backend(diesel::pg::Pg))]
pub struct EventEmailInvite {
    /// The event.
    #[diesel(deserialize_as = Uuid)]
    pub event_id: EventId,
    /// The lower-cased address (`check_email_lowercase`).
    pub email: String,
    /// Who invited.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The meeting role.
    pub role: EmailInviteRole,
}

/// Insert form of [`EventEmailInvite`]. The address must already be lower
/// case; anything else is a `CheckViolation`.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = event_email_invites)]
pub struct NewEventEmailInvite {
    /// The event.
    #[diesel(serialize_as = Uuid)]
    pub event_id: EventId,
    /// The lower-cased address.
    pub email: String,
    /// Who invited.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// The meeting role.
    #[diesel(serialize_as = SqlEmailInviteRole)]
    pub role: EmailInviteRole,
}

/// An email invite that [`EventEmailInvite::convert_to_user_invites`] turned
/// into a user invite; the caller grants access to the event and room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertedInvite {
    /// The event.
    pub event_id: EventId,
    /// The event's room.
    pub room: RoomId,
}

/// Rows of one event and address.
#[diesel::dsl::auto_type]
fn of<'a>(event_id: Uuid, email: &'a str) -> _ {
    event_email_invites::table
        .filter(event_email_invites::event_id.eq(event_id))
        .filter(event_email_invites::email.eq(email))
}

impl EventEmailInvite {
    /// The invite of `email` to the event, if any.
    pub async fn find(
        conn: &mut DbConnection,
        event_id: EventId,
        email: &str,
    ) -> Result<Option<EventEmailInvite>> {
        Ok(of(event_id.into(), email)
            .select(EventEmailInvite::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The invite of `email` to the event, or `NotFound`.
    pub async fn get(
        conn: &mut DbConnection,
        event_id: EventId,
        email: &str,
    ) -> Result<EventEmailInvite> {
        EventEmailInvite::find(conn, event_id, email)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// One page of the event's email invites, ordered by `created_at`,
    /// `created_by`, `email`, all descending (rules.md §7.11).
    pub async fn list_for_event(
        conn: &mut DbConnection,
        event_id: EventId,
        page: PageRequest,
    ) -> Result<Page<EventEmailInvite>> {
        let items = event_email_invites::table
            .filter(event_email_invites::event_id.eq(Uuid::from(event_id)))
            .select(EventEmailInvite::as_select())
            .order((
                event_email_invites::created_at.desc(),
                event_email_invites::created_by.desc(),
                event_email_invites::email.desc(),
            ))
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let total = EventEmailInvite::count_for_event(conn, event_id).await?;
        Ok(Page { items, total })
    }

    /// The number of the event's email invites.
    pub async fn count_for_event(conn: &mut DbConnection, event_id: EventId) -> Result<i64> {
        Ok(event_email_invites::table
            .filter(event_email_invites::event_id.eq(Uuid::from(event_id)))
            .count()
            .get_result(conn)
            .await?)
    }

    /// The email invites of `email` (lower-cased here) to events of the
    /// tenant, oldest first.
    pub async fn list_by_email_in_tenant(
        conn: &mut DbConnection,
        email: &str,
        tenant: TenantId,
    ) -> Result<Vec<EventEmailInvite>> {
        Ok(event_email_invites::table
            .inner_join(events::table)
            .filter(event_email_invites::email.eq(email.to_lowercase()))
            .filter(events::tenant_id.eq(Uuid::from(tenant)))
            .select(EventEmailInvite::as_select())
            .order((
                event_email_invites::created_at.asc(),
                event_email_invites::event_id.asc(),
            ))
            .load(conn)
            .await?)
    }

    /// Changes the role of the invite, or `NotFound`.
    pub async fn update_role(
        conn: &mut DbConnection,
        event_id: EventId,
        email: &str,
        role: EmailInviteRole,
    ) -> Result<EventEmailInvite> {
        Ok(diesel::update(of(event_id.into(), email))
            .set(event_email_invites::role.eq(SqlEmailInviteRole(role)))
            .returning(EventEmailInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the invite and returns it, or `NotFound`.
    pub async fn delete(
        conn: &mut DbConnection,
        event_id: EventId,
        email: &str,
    ) -> Result<EventEmailInvite> {
        Ok(diesel::delete(of(event_id.into(), email))
            .returning(EventEmailInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// At a user's first login (rules.md §7.8), in one transaction: turns
    /// every email invite of `email` to an event of `tenant` into a pending
    /// user invite of `user` (role mapped, original creator and time kept,
    /// existing user invites left alone) and deletes the email invites.
    pub async fn convert_to_user_invites(
        conn: &mut DbConnection,
        email: &str,
        user: UserId,
        tenant: TenantId,
    ) -> Result<Vec<ConvertedInvite>> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let invites: Vec<(EventEmailInvite, Uuid)> = event_email_invites::table
                .inner_join(events::table)
                .filter(event_email_invites::email.eq(email.to_lowercase()))
                .filter(events::tenant_id.eq(Uuid::from(tenant)))
                .select((EventEmailInvite::as_select(), events::room))
                .for_update()
                .load(conn)
                .await?;
            if invites.is_empty() {
                return Ok(Vec::new());
            }
            let new_invites: Vec<NewEventInvite> = invites
                .iter()
                .map(|(invite, _)| NewEventInvite {
                    event_id: invite.event_id,
                    invitee: user,
                    created_by: invite.created_by,
                    created_at: Some(invite.created_at),
                    status: EventInviteStatus::Pending,
                    role: InviteRole::from(invite.role),
                })
                .collect();
            diesel::insert_into(event_invites::table)
                .values(new_invites)
                .on_conflict((event_invites::event_id, event_invites::invitee))
                .do_nothing()
                .execute(conn)
                .await?;
            let event_ids: Vec<Uuid> = invites.iter().map(|(i, _)| i.event_id.into()).collect();
            diesel::delete(
                event_email_invites::table
                    .filter(event_email_invites::email.eq(email.to_lowercase()))
                    .filter(event_email_invites::event_id.eq_any(event_ids)),
            )
            .execute(conn)
            .await?;
            Ok(invites
                .into_iter()
                .map(|(invite, room)| ConvertedInvite {
                    event_id: invite.event_id,
                    room: room.into(),
                })
                .collect())
        })
        .await
    }
}

impl NewEventEmailInvite {
    /// Inserts the invite; a second one for the same (event, email) is a
    /// `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<EventEmailInvite> {
        Ok(diesel::insert_into(event_email_invites::table)
            .values(self)
            .returning(EventEmailInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Inserts the invite unless the address is already invited (204).
    pub async fn insert_if_absent(
        self,
        conn: &mut DbConnection,
    ) -> Result<InviteInsert<EventEmailInvite>> {
        let inserted = diesel::insert_into(event_email_invites::table)
            .values(self)
            .on_conflict_do_nothing()
            .returning(EventEmailInvite::as_select())
            .get_result(conn)
            .await
            .optional()?;
        Ok(inserted.map_or(InviteInsert::AlreadyExists, InviteInsert::Inserted))
    }
}
