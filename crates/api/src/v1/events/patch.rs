//! `PATCH /events/{id}` (rules.md §4.2): absent fields stay unchanged
//! the room is updated with exactly the present room fields,
//! exceptions survive unless the time grid moves them away.
//!
//! Conclave addition: an `If-Match` header makes the patch conditional on
//! the event's [`etag`](super::etag). The check runs under the row locks
//! of the patch transaction, so of many patches sent with the same tag
//! exactly one wins and the others get 412; without `If-Match` nothing
//! changes.

use actix_web::http::header::ETAG;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::{Event, UpdateEvent};
use conclave_db::models::event_exception::EventException as ExceptionRow;
use conclave_db::models::event_training_report::EventTrainingReport;
use conclave_db::models::invite::Invite;
use conclave_db::models::room::{Room, UpdateRoom};
use conclave_db::models::room_streaming_target::{NewRoomStreamingTarget, RoomStreamingTarget};
use conclave_domain::access::create_invite_code;
use conclave_domain::event::{EventTimes, apply_times_patch};
use conclave_domain::exception::surviving_exceptions;
use conclave_domain::ids::{EventId, UserId};
use diesel_async::AsyncConnection;

use super::etag::{IfMatch, event_etag};
use super::folder;
use super::invitees::InviteesQuery;
use super::render::{event_resource, event_times};
use crate::auth::AuthenticatedUser;
use crate::dto::event::EventResource;
use crate::dto::event::patch::PatchEventBody;
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::events::{check_target_count, event_error};

/// Changes an event; an empty body changes nothing and answers 204.
#[utoipa::path(
    tag = "events",
    operation_id = "patch_event",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        ("If-Match" = Option<String>, Header,
            description = "Patch only if the event's current `ETag` is listed, or `*`"),
        InviteesQuery,
    ),
    request_body = PatchEventBody,
    responses(
        (status = 200, body = EventResource, headers(
            ("ETag" = String, description = "The changed event's strong entity tag"))),
        (status = 204, description = "Empty body: nothing changed"),
        (status = 400, description = "Bad JSON, a malformed `If-Match`, or no shared folder configured"),
        (status = 401), (status = 403), (status = 404),
        (status = 412, description = "`precondition_failed`: `If-Match` does not match; nothing changed"),
        (status = 422, description = "`validation_failed` (R-8) or `invalid_event`"),
    ),
)]
#[patch("/events/{event_id}")]
pub async fn patch_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    request: HttpRequest,
    path: web::Path<EventId>,
    query: web::Query<InviteesQuery>,
    body: web::Json<PatchEventBody>,
) -> Result<HttpResponse, ApiError> {
    let max = query.invitees_max.unwrap_or(0);
    let if_match = IfMatch::from_headers(request.headers())?;
    let body = body.into_inner();
    let id = path.into_inner();
    if body.is_empty() {
        return empty_patch(&state, id, if_match.as_ref()).await;
    }
    let mut conn = state.conn().await?;
    let (event, room, invalidation) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            apply(conn, &state, me.user.id, id, &body, if_match.as_ref()).await
        })
        .await?;
    state.authz.invalidate(&invalidation);
    let resource = event_resource(&mut conn, &state, &event, &room, me.user.id, Some(max)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, event_etag(&event, &room)))
        .json(resource))
}

/// An empty body changes nothing (204); an `If-Match` is still evaluated
/// first (RFC 9110 §13.2.2), so a stale tag gets its 412 here too.
async fn empty_patch(
    state: &AppState,
    id: EventId,
    if_match: Option<&IfMatch>,
) -> Result<HttpResponse, ApiError> {
    let Some(if_match) = if_match else {
        return Ok(HttpResponse::NoContent().finish());
    };
    let mut conn = state.conn().await?;
    let (event, room) = Event::get_with_room(&mut conn, id).await?;
    let etag = event_etag(&event, &room);
    if !if_match.matches(&etag) {
        return Err(ApiError::precondition_failed());
    }
    Ok(HttpResponse::NoContent()
        .insert_header((ETAG, etag))
        .finish())
}

/// All writes of one PATCH, in one transaction.
async fn apply(
    conn: &mut DbConnection,
    state: &AppState,
    actor: UserId,
    id: EventId,
    body: &PatchEventBody,
    if_match: Option<&IfMatch>,
) -> Result<(Event, Room, Invalidation), ApiError> {
    // Both rows stay locked until the end: concurrent patches of one event
    // run one after the other, so their read-modify-write of the times, the
    // invite-code get-or-create and the `If-Match` check cannot interleave.
    // The room is part of the `ETag`, and the room endpoints change it.
    let (mut event, mut room) = Event::lock_with_room(conn, id).await?;
    // Checked on the locked rows: no other writer can slip in between.
    if if_match.is_some_and(|m| !m.matches(&event_etag(&event, &room))) {
        return Err(ApiError::precondition_failed());
    }
    let current = event_times(&event)?;
    let patched = apply_times_patch(&current, &body.times()).map_err(event_error)?;
    if let Some(targets) = &body.streaming_targets {
        check_target_count(targets.len())?;
    }
    let room_changes = UpdateRoom {
        password: body.password.clone().map(|p| p.map(|p| p.into_inner())),
        waiting_room: body.waiting_room,
        e2e_encryption: body.e2e_encryption,
    };
    if body.password.is_some() || body.waiting_room.is_some() || body.e2e_encryption.is_some() {
        room = Room::update(conn, room.id, room_changes).await?;
    }
    apply_satellites(conn, &event, body).await?;
    if !body.only_room_fields() {
        if current.grid_changed(&patched.times) {
            apply_exception_plan(conn, id, &current, &patched.times).await?;
        }
        let mut changes = UpdateEvent::by(actor);
        changes.title = body.title.as_ref().map(|t| t.as_str().to_owned());
        changes.description = body.description.as_ref().map(|d| d.as_str().to_owned());
        changes.is_adhoc = body.is_adhoc;
        changes.show_meeting_details = body.show_meeting_details;
        if patched.rewrite_columns {
            set_time_columns(&mut changes, &patched.times);
        }
        event = Event::update(conn, id, changes).await?;
    }
    // Every patch makes sure the room has a valid invite code with its
    // guest rules, even with notifications suppressed (rules.md §4.1, R-22).
    let code = Invite::get_first_valid_or_create(conn, room.id, actor).await?;
    let invalidation = apply_change(conn, &create_invite_code(code.id, room.id)).await?;
    // The provider call comes last: every database write that could still
    // fail has succeeded, so a rollback can no longer leave the row
    // pointing at a deleted folder (or a created folder without its row),
    // short of the commit itself failing.
    match body.has_shared_folder {
        Some(true) => folder::ensure_folder(conn, state, id).await?,
        Some(false) => folder::remove_folder(conn, state, id).await?,
        None => {}
    }
    Ok((event, room, invalidation))
}

/// Streaming targets and training parameters (rules.md §4.3); the shared
/// folder is handled last, in [`apply`].
async fn apply_satellites(
    conn: &mut DbConnection,
    event: &Event,
    body: &PatchEventBody,
) -> Result<(), ApiError> {
    if let Some(targets) = &body.streaming_targets {
        let rows = targets
            .iter()
            .map(|t| NewRoomStreamingTarget {
                room_id: event.room,
                name: t.name.clone(),
                kind: t.kind,
                streaming_endpoint: t.streaming_endpoint.clone().into(),
                streaming_key: t.streaming_key.clone(),
                public_url: t.public_url.clone().into(),
            })
            .collect();
        RoomStreamingTarget::replace_for_room(conn, event.room, rows).await?;
    }
    if let Some(report) = body.training_participation_report {
        let existing = EventTrainingReport::find(conn, event.id).await?;
        match (report, existing) {
            (Some(set), _) => {
                set.to_row(event.id).upsert(conn).await?;
            }
            (None, Some(_)) => EventTrainingReport::delete(conn, event.id).await?,
            (None, None) => {}
        }
    }
    Ok(())
}

/// Writes the time columns of `times` into `changes`.
fn set_time_columns(changes: &mut UpdateEvent, times: &EventTimes) {
    let c = times.to_columns();
    changes.is_time_independent = Some(c.is_time_independent);
    changes.is_all_day = Some(c.is_all_day);
    changes.starts_at = Some(c.starts_at);
    changes.starts_at_tz = Some(c.starts_at_tz);
    changes.ends_at = Some(c.ends_at);
    changes.ends_at_tz = Some(c.ends_at_tz);
    changes.duration_secs = Some(c.duration_secs);
    changes.is_recurring = Some(c.is_recurring);
    changes.recurrence_pattern = Some(c.recurrence_pattern);
}

/// Deletes the exceptions the new grid no longer has and moves the kept
/// ones to the new start zone.
async fn apply_exception_plan(
    conn: &mut DbConnection,
    id: EventId,
    old: &EventTimes,
    new: &EventTimes,
) -> Result<(), ApiError> {
    let rows = ExceptionRow::list_for_event(conn, id).await?;
    // A bad stored zone is a 500.
    let exceptions = rows
        .iter()
        .map(ExceptionRow::to_domain)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::internal)?;
    let plan = surviving_exceptions(old, new, &exceptions);
    if !plan.delete.is_empty() {
        ExceptionRow::delete_by_ids(conn, id, &plan.delete).await?;
    }
    if let Some(zone) = plan.rewrite_tz {
        ExceptionRow::set_zone_for_event(conn, id, zone.name()).await?;
    }
    Ok(())
}
