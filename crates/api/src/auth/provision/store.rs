//! The login's writes to `groups`, `user_groups`, `event_invites` and
//! `event_email_invites` (rules.md §7.8, §20.3 step 7).
//!
//! Written here because the table models had no such queries when the
//! login was built; each runs inside the login transaction.

use chrono::{DateTime, Utc};
use conclave_db::enums::{SqlEventInviteStatus, SqlInviteRole};
use conclave_db::schema::{event_email_invites, event_invites, events, groups, user_groups};
use conclave_db::{DbConnection, DbError};
use conclave_domain::ids::{EventId, GroupId, RoomId, TenantId, UserId};
use conclave_domain::invite::{EmailInviteRole, EventInviteStatus, InviteRole};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// The ids of the groups named `names` in `tenant`, creating missing ones.
/// Duplicate names yield one id.
pub async fn get_or_create_groups(
    conn: &mut DbConnection,
    tenant: TenantId,
    names: &[String],
) -> Result<Vec<GroupId>, DbError> {
    let mut unique: Vec<&String> = names.iter().collect();
    unique.sort();
    unique.dedup();
    if unique.is_empty() {
        return Ok(Vec::new());
    }
    let tenant = Uuid::from(tenant);
    let rows: Vec<_> = unique
        .iter()
        .map(|name| (groups::tenant_id.eq(tenant), groups::name.eq(name.as_str())))
        .collect();
    // The no-op update makes RETURNING yield existing rows too, in one statement.
    let ids: Vec<Uuid> = diesel::insert_into(groups::table)
        .values(rows)
        .on_conflict((groups::tenant_id, groups::name))
        .do_update()
        .set(groups::name.eq(excluded(groups::name)))
        .returning(groups::id)
        .get_results(conn)
        .await?;
    Ok(ids.into_iter().map(GroupId::from).collect())
}

/// The groups the user is a member of now.
pub async fn user_group_ids(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Vec<GroupId>, DbError> {
    let ids: Vec<Uuid> = user_groups::table
        .filter(user_groups::user_id.eq(Uuid::from(user)))
        .select(user_groups::group_id)
        .load(conn)
        .await?;
    Ok(ids.into_iter().map(GroupId::from).collect())
}

/// Makes the user's memberships exactly `wanted`, given the `current` ones.
pub async fn sync_user_groups(
    conn: &mut DbConnection,
    user: UserId,
    current: &[GroupId],
    wanted: &[GroupId],
) -> Result<(), DbError> {
    let user = Uuid::from(user);
    let removed: Vec<Uuid> = current
        .iter()
        .filter(|g| !wanted.contains(g))
        .map(|g| Uuid::from(*g))
        .collect();
    if !removed.is_empty() {
        diesel::delete(user_groups::table)
            .filter(user_groups::user_id.eq(user))
            .filter(user_groups::group_id.eq_any(removed))
            .execute(conn)
            .await?;
    }
    let added: Vec<_> = wanted
        .iter()
        .filter(|g| !current.contains(g))
        .map(|g| {
            (
                user_groups::user_id.eq(user),
                user_groups::group_id.eq(Uuid::from(*g)),
            )
        })
        .collect();
    if !added.is_empty() {
        diesel::insert_into(user_groups::table)
            .values(added)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Turns the email invites for `email` on events of `tenant` into user
/// invites of `user` (rules.md §7.8): mapped role, original creator and
/// time, status `pending`, "on conflict do nothing"; then deletes them.
/// Returns the (event, room) pairs, for the invitee grants.
pub async fn migrate_email_invites(
    conn: &mut DbConnection,
    tenant: TenantId,
    email: &str,
    user: UserId,
) -> Result<Vec<(EventId, RoomId)>, DbError> {
    let found: Vec<(Uuid, Uuid, DateTime<Utc>, EmailInviteRole, Uuid)> = event_email_invites::table
        .inner_join(events::table)
        .filter(event_email_invites::email.eq(email))
        .filter(events::tenant_id.eq(Uuid::from(tenant)))
        .select((
            event_email_invites::event_id,
            event_email_invites::created_by,
            event_email_invites::created_at,
            event_email_invites::role,
            events::room,
        ))
        .load(conn)
        .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let invitee = Uuid::from(user);
    let rows: Vec<_> = found
        .iter()
        .map(|(event, created_by, created_at, role, _)| {
            (
                event_invites::event_id.eq(*event),
                event_invites::invitee.eq(invitee),
                event_invites::created_by.eq(*created_by),
                event_invites::created_at.eq(*created_at),
                event_invites::status.eq(SqlEventInviteStatus(EventInviteStatus::Pending)),
                event_invites::role.eq(SqlInviteRole(InviteRole::from(*role))),
            )
        })
        .collect();
    diesel::insert_into(event_invites::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    let event_ids: Vec<Uuid> = found.iter().map(|row| row.0).collect();
    diesel::delete(event_email_invites::table)
        .filter(event_email_invites::email.eq(email))
        .filter(event_email_invites::event_id.eq_any(event_ids))
        .execute(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|(event, _, _, _, room)| (EventId::from(event), RoomId::from(room)))
        .collect())
}
