//! Reading and seeding rows directly, for assertions about what the API wrote.

use conclave_db::schema::{
    casbin_rule, event_email_invites, event_invites, events, groups, user_groups, users,
};
use conclave_domain::ids::{EventId, RoomId, TenantId, UserId};
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// The id of the user with `sub` (any tenant, disabled included).
pub async fn user_id_by_sub(conn: &mut AsyncPgConnection, sub: &str) -> Option<UserId> {
    users::table
        .filter(users::oidc_sub.eq(sub))
        .select(users::id)
        .first::<Uuid>(conn)
        .await
        .optional()
        .expect("user query")
        .map(UserId::from)
}

/// The names of the user's groups, sorted.
pub async fn group_names(conn: &mut AsyncPgConnection, user: UserId) -> Vec<String> {
    let mut names: Vec<String> = user_groups::table
        .inner_join(groups::table)
        .filter(user_groups::user_id.eq(Uuid::from(user)))
        .select(groups::name)
        .load(conn)
        .await
        .expect("groups query");
    names.sort();
    names
}

/// The `v1` values of the `g` rows of `subject`, sorted.
pub async fn role_links(conn: &mut AsyncPgConnection, subject: &str) -> Vec<String> {
    let mut roles: Vec<String> = casbin_rule::table
        .filter(casbin_rule::ptype.eq("g"))
        .filter(casbin_rule::v0.eq(subject))
        .select(casbin_rule::v1)
        .load(conn)
        .await
        .expect("casbin query");
    roles.sort();
    roles
}

/// The (`v1`, `v2`) values of the `p` rows of `subject`, sorted.
pub async fn policies(conn: &mut AsyncPgConnection, subject: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = casbin_rule::table
        .filter(casbin_rule::ptype.eq("p"))
        .filter(casbin_rule::v0.eq(subject))
        .select((casbin_rule::v1, casbin_rule::v2))
        .load(conn)
        .await
        .expect("casbin query");
    rows.sort();
    rows
}

/// Inserts a time-independent event in `room` of `tenant`, created by `creator`.
pub async fn insert_event(
    conn: &mut AsyncPgConnection,
    tenant: TenantId,
    room: RoomId,
    creator: UserId,
) -> EventId {
    let id: Uuid = diesel::insert_into(events::table)
        .values((
            events::title.eq("Planning"),
            events::description.eq(""),
            events::room.eq(Uuid::from(room)),
            events::created_by.eq(Uuid::from(creator)),
            events::updated_by.eq(Uuid::from(creator)),
            events::is_time_independent.eq(true),
            events::is_adhoc.eq(false),
            events::tenant_id.eq(Uuid::from(tenant)),
        ))
        .returning(events::id)
        .get_result(conn)
        .await
        .expect("insert event");
    EventId::from(id)
}

/// Inserts a `moderator` email invite for `email` to `event`.
pub async fn insert_email_invite(
    conn: &mut AsyncPgConnection,
    event: EventId,
    email: &str,
    creator: UserId,
) {
    diesel::sql_query(
        "INSERT INTO event_email_invites (event_id, email, created_by, role) \
         VALUES ($1, $2, $3, 'moderator')",
    )
    .bind::<diesel::sql_types::Uuid, _>(Uuid::from(event))
    .bind::<diesel::sql_types::Text, _>(email)
    .bind::<diesel::sql_types::Uuid, _>(Uuid::from(creator))
    .execute(conn)
    .await
    .expect("insert email invite");
}

/// How many email invites remain for `email`.
pub async fn email_invite_count(conn: &mut AsyncPgConnection, email: &str) -> i64 {
    event_email_invites::table
        .filter(event_email_invites::email.eq(email))
        .count()
        .get_result(conn)
        .await
        .expect("count email invites")
}

/// The user invites of `invitee`: (event, created_by, role, status).
pub async fn event_invites_of(
    conn: &mut AsyncPgConnection,
    invitee: UserId,
) -> Vec<(EventId, UserId, String, String)> {
    let rows: Vec<(Uuid, Uuid, InviteRole, EventInviteStatus)> = event_invites::table
        .filter(event_invites::invitee.eq(Uuid::from(invitee)))
        .select((
            event_invites::event_id,
            event_invites::created_by,
            event_invites::role,
            event_invites::status,
        ))
        .load(conn)
        .await
        .expect("event invites query");
    rows.into_iter()
        .map(|(event, by, role, status)| {
            (
                event.into(),
                by.into(),
                role.as_str().to_owned(),
                status.as_str().to_owned(),
            )
        })
        .collect()
}

/// Inserts a room invite code; `expires_in_secs` may be negative (expired).
pub async fn insert_invite_code(
    conn: &mut AsyncPgConnection,
    room: RoomId,
    creator: UserId,
    active: bool,
    expires_in_secs: Option<i64>,
) -> Uuid {
    use conclave_db::schema::invites;
    let expiration = expires_in_secs.map(|s| chrono::Utc::now() + chrono::Duration::seconds(s));
    diesel::insert_into(invites::table)
        .values((
            invites::created_by.eq(Uuid::from(creator)),
            invites::updated_by.eq(Uuid::from(creator)),
            invites::room.eq(Uuid::from(room)),
            invites::active.eq(active),
            invites::expiration.eq(expiration),
        ))
        .returning(invites::id)
        .get_result(conn)
        .await
        .expect("insert invite code")
}

/// Sets the user's `id_token_exp`.
pub async fn set_id_token_exp(conn: &mut AsyncPgConnection, user: UserId, exp: i64) {
    diesel::update(users::table.find(Uuid::from(user)))
        .set(users::id_token_exp.eq(exp))
        .execute(conn)
        .await
        .expect("update id_token_exp");
}
