//! `POST /v1/invite/verify` (public): is this invite code usable, and does
//! its room need a password? (api.md §7.4, R-21, A-8)

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use conclave_db::models::invite::Invite;
use conclave_db::models::room::Room;
use conclave_domain::invite::code::{BadInviteCodeFormat, InviteCode, is_valid};

use crate::dto::invite::{PostInviteVerifyRequestBody, PostInviteVerifyResponseBody};
use crate::error::{ApiError, ValidationEntry};
use crate::state::AppState;

/// Answers the room and whether it has a password for a valid code (active,
/// not expired); any other code is 404, so existence is not revealed. A
/// code that is not a UUID is 422 with an `invalid_value` entry.
#[utoipa::path(
    tag = "invites",
    operation_id = "verify_invite_code",
    request_body = PostInviteVerifyRequestBody,
    responses(
        (status = 200, body = PostInviteVerifyResponseBody),
        (status = 400), (status = 404),
        (status = 422, description = "The invite code is not a UUID"),
    ),
    security(()),
)]
#[post("/invite/verify")]
pub async fn verify_invite_code(
    state: web::Data<AppState>,
    body: web::Json<PostInviteVerifyRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let code: InviteCode = body.invite_code.parse().map_err(bad_format)?;
    let mut conn = state.conn().await?;
    let invite = Invite::find(&mut conn, code.id())
        .await?
        .filter(|invite| is_valid(invite.active, invite.expiration, Utc::now()))
        .ok_or_else(ApiError::not_found)?;
    let room = Room::get(&mut conn, invite.room).await?;
    Ok(HttpResponse::Ok().json(PostInviteVerifyResponseBody {
        room_id: room.id,
        password_required: room.password.is_some(),
    }))
}

/// The 422 of a malformed code, shared with `start_invited`.
pub fn bad_format(err: BadInviteCodeFormat) -> ApiError {
    ApiError::validation(vec![ValidationEntry {
        field: Some("invite_code".to_owned()),
        code: "invalid_value".to_owned(),
        message: Some(err.to_string()),
    }])
}
