//! `PATCH /events/{id}/instances/{instance_id}` (rules.md §5.6): creates or
//! updates the exception of one occurrence of a series, in one transaction.
//! Missing dates default to that occurrence's own; the event row is
//! never touched (no revision bump, rules.md §4.4).

use actix_web::{HttpResponse, patch, web};
use chrono::{DateTime, Utc};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::Event;
use conclave_db::models::event_exception::NewEventException;
use conclave_db::models::invite::Invite;
use conclave_db::models::room::Room;
use conclave_domain::access::create_invite_code;
use conclave_domain::event::{EventError, EventTimes};
use conclave_domain::exception::{
    ExceptionIndex, ExceptionWrite, InstancePatch, resolve_instance_patch,
};
use conclave_domain::ids::{EventId, UserId};
use conclave_domain::instance::{Instance, InstanceId};
use conclave_domain::time::{DateTimeTz, Tz};
use diesel_async::AsyncConnection;

use super::render::{load_exceptions, render_instances};
use crate::auth::AuthenticatedUser;
use crate::dto::event::instance::{EventInstance, InstanceParams, PatchEventInstanceBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::events::event_error;
use crate::v1::events::render::event_times;

/// What one instance PATCH wrote.
struct Written {
    event: Event,
    room: Room,
    instance: Instance,
    invalidation: Option<Invalidation>,
}

/// Changes or cancels one occurrence of a series; an empty body changes
/// nothing and answers 204.
#[utoipa::path(
    tag = "events",
    operation_id = "patch_event_instance",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        ("instance_id" = String, Path, description = "The instance id, e.g. 20240729T080000Z"),
        InstanceParams,
    ),
    request_body = PatchEventInstanceBody,
    responses(
        (status = 200, body = EventInstance),
        (status = 204, description = "Empty body: nothing changed"),
        (status = 400, description = "Bad JSON"),
        (status = 401), (status = 403),
        (status = 404, description = "No such series, a non-recurring event, or no occurrence"),
        (status = 422, description = "`invalid_event`: date errors"),
    ),
)]
#[patch("/events/{event_id}/instances/{instance_id}")]
pub async fn patch_event_instance(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(EventId, InstanceId)>,
    query: web::Query<InstanceParams>,
    body: web::Json<PatchEventInstanceBody>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner().to_patch();
    if patch.is_empty() {
        return Ok(HttpResponse::NoContent().finish());
    }
    let (event_id, instance_id) = path.into_inner();
    let ensure_code = !query.suppress_email_notification.unwrap_or(false);
    let mut conn = state.conn().await?;
    let written = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let target = (event_id, instance_id);
            apply(conn, me.user.id, target, &patch, ensure_code).await
        })
        .await?;
    if let Some(invalidation) = &written.invalidation {
        state.authz.invalidate(invalidation);
    }
    let max = query.invitees_max.unwrap_or(0);
    let rows = (&written.event, &written.room);
    let mut items = render_instances(
        &mut conn,
        &state,
        rows,
        me.user.id,
        max,
        &[written.instance],
    )
    .await?;
    let item = items.pop().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(item))
}

/// All writes of one instance PATCH.
async fn apply(
    conn: &mut DbConnection,
    actor: UserId,
    (event_id, instance_id): (EventId, InstanceId),
    patch: &InstancePatch,
    ensure_code: bool,
) -> Result<Written, ApiError> {
    // Serializes with event PATCH (which may move the grid) and with other
    // instance PATCHes (whose first write of an exception could collide).
    let (event, room) = Event::lock_with_room(conn, event_id).await?;
    let EventTimes::Recurring(series) = event_times(&event)? else {
        // Exceptions exist only for series (rules.md §5.2).
        return Err(ApiError::not_found());
    };
    let start = instance_id.instant();
    if !series.series.contains(start) {
        return Err(ApiError::not_found());
    }
    let template = series.instance_template();
    // The row to update is the one the instance shows: when rows in
    // several zones share the date, the display ranks them (series zone
    // first, then the newest), so the write must pick the same one.
    let all = load_exceptions(conn, event_id).await?;
    let existing = ExceptionIndex::new(&all, series.series.zone())
        .get(start)
        .cloned();
    let write = resolve_instance_patch(&template, start, existing.as_ref(), patch)
        .map_err(|e| event_error(EventError::from(e)))?;
    // An existing row keeps its zone; a new one gets the series zone.
    let zone = existing.as_ref().map(|e| e.exception_date_tz);
    exception_row(event_id, start, actor, write, zone)
        .upsert(conn)
        .await?;
    let exceptions = load_exceptions(conn, event_id).await?;
    let instance = EventTimes::Recurring(series)
        .instance(instance_id, &exceptions)
        .ok_or_else(ApiError::not_found)?;
    // Unless notifications are suppressed, the room gets a valid invite code
    // with its guest rules, as for event PATCH (rules.md §5.6, R-22).
    let invalidation = if ensure_code {
        let code = Invite::get_first_valid_or_create(conn, room.id, actor).await?;
        Some(apply_change(conn, &create_invite_code(code.id, room.id)).await?)
    } else {
        None
    };
    Ok(Written {
        event,
        room,
        instance,
        invalidation,
    })
}

/// The row an instance PATCH upserts: the resolved kind and only the
/// present overrides; `zone` is the existing row's `exception_date_tz`.
fn exception_row(
    event_id: EventId,
    start: DateTime<Utc>,
    actor: UserId,
    write: ExceptionWrite,
    zone: Option<Tz>,
) -> NewEventException {
    let instant = |at: Option<DateTimeTz>| at.map(|t| t.instant());
    let zone_of = |at: Option<DateTimeTz>| at.map(|t| t.zone_name().to_owned());
    NewEventException {
        event_id,
        exception_date: start,
        exception_date_tz: zone.unwrap_or(write.exception_date_tz).name().to_owned(),
        created_by: actor,
        kind: write.kind,
        title: write.title,
        description: write.description,
        is_all_day: write.is_all_day,
        starts_at: instant(write.starts_at),
        starts_at_tz: zone_of(write.starts_at),
        ends_at: instant(write.ends_at),
        ends_at_tz: zone_of(write.ends_at),
    }
}
