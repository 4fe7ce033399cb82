//! `POST /events/{id}/invites`: invite a user or an address (rules.md §7.4,
//! §7.5). The plan comes from the domain (`plan_user_invite`,
//! `plan_email_invite`); this file looks up what the plan needs and writes
//! the row, the access rules and, for an external address, a room invite
//! code, in one transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::Event;
use conclave_db::models::event_email_invite::NewEventEmailInvite;
use conclave_db::models::event_invite::{InviteInsert, NewEventInvite};
use conclave_db::models::invite::NewInvite;
use conclave_db::models::user::User;
use conclave_domain::access::{create_invite_code, invite_user};
use conclave_domain::ids::{EventId, UserId};
use conclave_domain::invite::EmailInviteRole;
use conclave_domain::invite::answer::{UserInvitePlan, plan_user_invite};
use conclave_domain::invite::email::{
    EmailInviteFollowUp, EmailInvitePlan, EmailLookup, plan_email_invite,
};
use diesel_async::AsyncConnection;

use crate::auth::AuthenticatedUser;
use crate::dto::event::EventResource;
use crate::dto::event::invite::{NotificationQuery, PostEventInviteBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::events::render;

/// Invites a registered user (`{invitee, role?}`) or an address
/// (`{email, role?}`). 201 with the event when a row was created; 204 when
/// the person was already invited or created the event.
#[utoipa::path(
    tag = "events",
    operation_id = "create_invite_to_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), NotificationQuery),
    request_body = PostEventInviteBody,
    responses(
        (status = 201, body = Vec<EventResource>, description = "Invited"),
        (status = 204, description = "Already invited, or the event's creator"),
        (status = 400, description = "Bad JSON, address or role"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or the invitee is no active user of its tenant"),
        (status = 409, description = "`unknown_email`: external addresses are not allowed"),
    ),
)]
#[post("/events/{event_id}/invites")]
pub async fn create_invite_to_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<NotificationQuery>,
    body: web::Json<PostEventInviteBody>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let (event, room) = Event::get_with_room(&mut conn, path.into_inner()).await?;
    let plan = plan(
        &mut conn,
        &state,
        &me,
        &event,
        query.suppressed(),
        body.into_inner(),
    )
    .await?;
    let outcome = conn
        .transaction::<_, ApiError, _>(async |conn| execute(conn, &me, &event, &plan).await)
        .await?;
    let Some(invalidation) = outcome else {
        return Ok(HttpResponse::NoContent().finish());
    };
    state.authz.invalidate(&invalidation);
    let resource =
        render::event_resource(&mut conn, &state, &event, &room, me.user.id, Some(0)).await?;
    Ok(HttpResponse::Created().json([resource]))
}

/// What the request asks for, resolved by the domain's planners.
enum Plan {
    /// A user invite (direct, or an address of an active user).
    User(UserInvitePlan),
    /// An email invite of `email`.
    Email {
        email: String,
        role: EmailInviteRole,
        follow_up: EmailInviteFollowUp,
    },
}

/// Looks up what the planners need and plans the invite.
async fn plan(
    conn: &mut DbConnection,
    state: &AppState,
    me: &AuthenticatedUser,
    event: &Event,
    suppressed: bool,
    body: PostEventInviteBody,
) -> Result<Plan, ApiError> {
    let (email, role) = match body {
        PostEventInviteBody::User { invitee, role } => {
            // Only active users of the event's tenant can be invited (404).
            User::get_active_in_tenant(conn, event.tenant_id, invitee).await?;
            let plan = plan_user_invite(event.id, event.created_by, invitee, role, me.user.id);
            return Ok(Plan::User(plan));
        }
        PostEventInviteBody::Email { email, role } => (email, role),
    };
    let active_user = User::find_active_by_email(conn, me.tenant.id, email.as_str())
        .await?
        .map(|user| user.id);
    let lookup = EmailLookup {
        active_user,
        // Conclave has no external user directory (rules.md §7.5).
        directory_knows: false,
        allow_external: state.settings.endpoints.event_invite_external_email_address,
        notifications_suppressed: suppressed,
    };
    match plan_email_invite(event.id, event.created_by, me.user.id, role, lookup) {
        EmailInvitePlan::User(plan) => Ok(Plan::User(plan)),
        EmailInvitePlan::Email { role, follow_up } => Ok(Plan::Email {
            email: email.into_inner(),
            role,
            follow_up,
        }),
        EmailInvitePlan::UnknownEmail => Err(unknown_email()),
    }
}

/// Writes what `plan` says; `None` when nothing was stored (204).
async fn execute(
    conn: &mut DbConnection,
    me: &AuthenticatedUser,
    event: &Event,
    plan: &Plan,
) -> Result<Option<Invalidation>, ApiError> {
    match plan {
        Plan::User(UserInvitePlan::InviteeIsCreator) => Ok(None),
        Plan::User(UserInvitePlan::Insert(new)) => {
            let row = NewEventInvite {
                event_id: new.event_id,
                invitee: new.invitee,
                created_by: new.created_by,
                created_at: new.created_at,
                status: new.status,
                role: new.role,
            };
            match row.insert_if_absent(conn).await? {
                InviteInsert::AlreadyExists => Ok(None),
                InviteInsert::Inserted(invite) => {
                    log_mail("registered invite", event.id, Some(invite.invitee));
                    let change = invite_user(invite.invitee, event.id, event.room);
                    Ok(Some(apply_change(conn, &change).await?))
                }
            }
        }
        Plan::Email {
            email,
            role,
            follow_up,
        } => insert_email_invite(conn, me.user.id, event, email, *role, *follow_up).await,
    }
}

/// Stores an email invite; a new one gets its follow-up (rules.md §7.5): a
/// new active, non-expiring room invite code with its guest rules.
async fn insert_email_invite(
    conn: &mut DbConnection,
    actor: UserId,
    event: &Event,
    email: &str,
    role: EmailInviteRole,
    follow_up: EmailInviteFollowUp,
) -> Result<Option<Invalidation>, ApiError> {
    let row = NewEventEmailInvite {
        event_id: event.id,
        email: email.to_owned(),
        created_by: actor,
        role,
    };
    if let InviteInsert::AlreadyExists = row.insert_if_absent(conn).await? {
        return Ok(None);
    }
    match follow_up {
        EmailInviteFollowUp::UnregisteredMail => {
            log_mail("unregistered invite", event.id, None);
            Ok(Some(Invalidation::default()))
        }
        EmailInviteFollowUp::RoomCode { send_mail } => {
            let code = NewInvite {
                created_by: actor,
                room: event.room,
                expiration: None,
            }
            .insert(conn)
            .await?;
            if send_mail {
                log_mail("external invite", event.id, None);
            }
            let change = create_invite_code(code.id, event.room);
            Ok(Some(apply_change(conn, &change).await?))
        }
    }
}

/// Conclave has no mail provider; the decision to send is logged instead
/// (without the address: logs should not collect personal data).
fn log_mail(kind: &str, event: EventId, user: Option<UserId>) {
    tracing::info!(kind, event = %event, user = ?user, "invite mail not sent: no mail provider");
}

/// 409 `unknown_email` (api.md §3.3).
fn unknown_email() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "unknown_email",
        "Only emails registered with the systems are allowed to be used for invites",
    )
}
