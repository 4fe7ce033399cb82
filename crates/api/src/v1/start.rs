//! Starting a meeting: `POST /v1/rooms/{id}/start` (registered users) and
//! `POST /v1/rooms/{id}/start_invited` (invite-code guests) hand out a
//! signaling ticket (api.md §7.3, rules.md §12, [`crate::ticket`]).
//!
//! What is checked here is the database part: the ACL (start), the invite
//! code and the room password (start_invited), and breakout rooms, which
//! Conclave never has. The waiting room, participant limits and module
//! features are signaling behaviour (rules.md §8.2, §12.2): the ticket
//! carries the role that signaling needs to apply them.

pub mod signaling;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::models::invite::Invite;
use conclave_db::models::room::Room;
use conclave_domain::ids::RoomId;
use conclave_domain::invite::code::{
    InviteCode, RoomInviteCode, StartInvitedRefusal, check_start_invited,
};
use conclave_domain::room::{Joiner, RoomPassword, meeting_role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthenticatedUser;
use crate::error::{ApiError, ValidationEntry};
use crate::state::AppState;
use crate::ticket::{Participant, Role};

/// The body of `POST /rooms/{id}/start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PostRoomsStartRequestBody {
    /// A breakout room to join (Conclave has none: 400 `no_breakout_rooms`).
    #[serde(default)]
    pub breakout_room: Option<Uuid>,
    /// The resumption token of an earlier start, to keep the participant id.
    #[serde(default)]
    pub resumption: Option<String>,
}

/// The body of `POST /rooms/{id}/start_invited`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PostRoomsStartInvitedRequestBody {
    /// The invite code; a text that is not a UUID is 422.
    pub invite_code: String,
    /// The room password, if the room has one (1..=255 bytes).
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 255)]
    pub password: Option<RoomPassword>,
    /// A breakout room to join (Conclave has none: 400 `no_breakout_rooms`).
    #[serde(default)]
    pub breakout_room: Option<Uuid>,
    /// The resumption token of an earlier start, to keep the participant id.
    #[serde(default)]
    pub resumption: Option<String>,
}

/// The answer of both start endpoints (`RoomsStartResponseBody`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoomsStartResponseBody {
    /// The signaling ticket (short-lived).
    pub ticket: String,
    /// The resumption token for a later start.
    pub resumption: String,
}

/// A ticket for a registered user with room read.
#[utoipa::path(
    tag = "rooms",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    request_body = PostRoomsStartRequestBody,
    responses(
        (status = 200, body = RoomsStartResponseBody),
        (status = 400, description = "`no_breakout_rooms`"),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[post("/rooms/{room_id}/start")]
pub async fn start(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<RoomId>,
    body: web::Json<PostRoomsStartRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    refuse_breakout_room(body.breakout_room)?;
    let role = registered_role(&mut conn, &room, &me).await?;
    let participant = Participant::User {
        id: me.user.id.into(),
    };
    answer(&state, &room, participant, role, body.resumption.as_deref())
}

/// A ticket for a guest holding a valid invite code of the room.
#[utoipa::path(
    tag = "rooms",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    request_body = PostRoomsStartInvitedRequestBody,
    responses(
        (status = 200, body = RoomsStartResponseBody),
        (status = 400, description = "Room id mismatch, `no_breakout_rooms`, bad JSON"),
        (status = 401, description = "`wrong_room_password`"),
        (status = 404, description = "Unknown, inactive or expired invite code"),
        (status = 422, description = "The invite code is not a UUID"),
    ),
    security(()),
)]
#[post("/rooms/{room_id}/start_invited")]
pub async fn start_invited(
    state: web::Data<AppState>,
    path: web::Path<RoomId>,
    body: web::Json<PostRoomsStartInvitedRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code: InviteCode = body
        .invite_code
        .parse()
        .map_err(|_| bad_invite_code_format())?;
    let mut conn = state.conn().await?;
    let room = check_guest(&mut conn, path.into_inner(), code, body.password.as_ref()).await?;
    refuse_breakout_room(body.breakout_room)?;
    let participant = Participant::Guest {
        invite_code: code.id().into(),
    };
    answer(
        &state,
        &room,
        participant,
        Role::Guest,
        body.resumption.as_deref(),
    )
}

/// The guest checks in order: a valid code, of this room, and the
/// room password. Returns the room.
async fn check_guest(
    conn: &mut DbConnection,
    requested: RoomId,
    code: InviteCode,
    password: Option<&RoomPassword>,
) -> Result<Room, ApiError> {
    let invite = Invite::find(conn, code.id()).await?;
    let room = match &invite {
        Some(invite) if invite.room == requested => Room::find(conn, invite.room).await?,
        _ => None,
    };
    let stored = match room.as_ref().and_then(|r| r.password.clone()) {
        Some(text) => Some(RoomPassword::try_from(text).map_err(ApiError::internal)?),
        None => None,
    };
    let row = invite.map(|i| RoomInviteCode {
        id: i.id,
        room: i.room,
        active: i.active,
        expiration: i.expiration,
        updated_at: i.updated_at,
    });
    check_start_invited(
        row.as_ref(),
        requested,
        stored.as_ref(),
        password.map(RoomPassword::as_str),
        chrono::Utc::now(),
    )
    .map_err(refusal_error)?;
    room.ok_or_else(ApiError::not_found)
}

fn refusal_error(refusal: StartInvitedRefusal) -> ApiError {
    match refusal {
        StartInvitedRefusal::NotFound => ApiError::not_found(),
        StartInvitedRefusal::RoomMismatch => ApiError::bad_request("Room id mismatch"),
        StartInvitedRefusal::WrongPassword(wrong) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_room_password",
            wrong.to_string(),
        ),
    }
}

/// 422 with the `invite_code` entry (api.md §7.3).
fn bad_invite_code_format() -> ApiError {
    ApiError::validation(vec![ValidationEntry {
        field: Some("invite_code".into()),
        code: "invalid_value".into(),
        message: Some("Bad invite code format".into()),
    }])
}

/// Conclave never has an active breakout configuration.
fn refuse_breakout_room(breakout_room: Option<Uuid>) -> Result<(), ApiError> {
    match breakout_room {
        None => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no_breakout_rooms",
            "The requested room has no breakout rooms",
        )),
    }
}

/// The meeting role of a registered user (rules.md §12.4): the creator
/// moderates; an invitee of the room's event has the invite's role,
/// whatever its status; anyone else is a user.
async fn registered_role(
    conn: &mut DbConnection,
    room: &Room,
    me: &AuthenticatedUser,
) -> Result<Role, ApiError> {
    let is_room_creator = room.created_by == me.user.id;
    let invite_role = match Event::find_by_room(conn, room.id).await? {
        Some(event) if !is_room_creator => EventInvite::find_for(conn, event.id, me.user.id)
            .await?
            .map(|invite| invite.role),
        _ => None,
    };
    Ok(meeting_role(Joiner::Registered {
        is_room_creator,
        invite_role,
    })
    .into())
}

fn answer(
    state: &AppState,
    room: &Room,
    participant: Participant,
    role: Role,
    resumption: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let now = chrono::Utc::now().timestamp();
    let issued = state
        .tickets
        .issue(room.id.into(), participant, role, resumption, now)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().json(RoomsStartResponseBody {
        ticket: issued.ticket,
        resumption: issued.resumption,
    }))
}
