//! Events: `/v1/events` and `/v1/events/{id}` (api.md §7.8).
//!
//! * this file: create and get;
//! * [`delete`]: the event deleter (rules.md §10.1, R-27);
//! * [`etag`]: `ETag` / `If-Match` from the event's revision (optimistic concurrency);
//! * [`folder`]: the shared folder through the provider port (rules.md §16);
//! * [`instances`]: `/events/{id}/instances…` (rules.md §5);
//! * [`invitees`]: the invitee list of the resource (rules.md §6.4);
//! * [`invites`]: `/events/{id}/invites…` and `/events/{id}/invite` (rules.md §7);
//! * [`patch`]: `PATCH /events/{id}` (rules.md §4.2);
//! * [`render`]: the event resource built from the rows.

pub mod delete;
pub mod etag;
pub mod folder;
pub mod instances;
pub mod invitees;
pub mod invites;
pub mod list;
pub mod patch;
pub mod render;

use actix_web::http::StatusCode;
use actix_web::http::header::ETAG;
use actix_web::{HttpResponse, get, post, web};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::{Event, NewEvent};
use conclave_db::models::room::{NewRoom, Room};
use conclave_db::models::room_streaming_target::{MAX_TARGETS_PER_ROOM, NewRoomStreamingTarget};
use conclave_domain::access::create_event;
use conclave_domain::event::{EventError, EventTimes, validate_new_event};
use conclave_domain::ids::EventId;
use conclave_domain::sip::SipPassword;
use diesel_async::AsyncConnection;

use crate::auth::AuthenticatedUser;
use crate::dto::event::EventResource;
use crate::dto::event::body::PostEventsBody;
use crate::error::{ApiError, ValidationEntry};
use crate::state::AppState;
use crate::v1::rooms::call_in::insert_sip_config;
use invitees::InviteesQuery;

/// Maps a domain validation error to its HTTP answer (api.md §3.3).
pub fn event_error(err: EventError) -> ApiError {
    match err {
        EventError::BadRequest(_) => ApiError::bad_request(err.message()),
        EventError::InvalidJson(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", err.message())
        }
        EventError::InvalidEvent(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_event",
            err.message(),
        ),
        EventError::ValidationFailed(entries) => ApiError::validation(
            entries
                .into_iter()
                .map(|e| ValidationEntry {
                    field: Some(e.field.to_owned()),
                    code: e.code.as_str().to_owned(),
                    message: e.message.map(str::to_owned),
                })
                .collect(),
        ),
    }
}

/// Refuses more streaming targets than a room may hold, as the room
/// endpoints do (400 `bad_request`), instead of failing in the database.
pub fn check_target_count(count: usize) -> Result<(), ApiError> {
    if i64::try_from(count).unwrap_or(i64::MAX) > MAX_TARGETS_PER_ROOM {
        return Err(ApiError::bad_request(format!(
            "A room can have at most {MAX_TARGETS_PER_ROOM} streaming targets"
        )));
    }
    Ok(())
}

/// Creates an event with its own room, SIP config, streaming targets and
/// training parameters, and the creator's access rules, in one transaction.
#[utoipa::path(
    tag = "events",
    operation_id = "new_event",
    request_body = PostEventsBody,
    responses(
        (status = 201, body = EventResource, headers(
            ("ETag" = String, description = "The event's strong entity tag, for `If-Match`"))),
        (status = 400, description = "Wrong shape, bad JSON, or no shared folder configured"),
        (status = 401),
        (status = 422, description = "`invalid_event`: date or recurrence errors"),
    ),
)]
#[post("/events")]
pub async fn new_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    body: web::Json<PostEventsBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let times = validate_new_event(&body.times()).map_err(event_error)?;
    check_target_count(body.streaming_targets.len())?;
    if body.has_shared_folder {
        // Refuse before writing anything when there is no provider.
        folder::provider(&state)?;
    }
    let mut conn = state.conn().await?;
    let (event, room, invalidation) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let rows = insert_rows(conn, &me, &body, &times).await?;
            if body.has_shared_folder {
                folder::ensure_folder(conn, &state, rows.0.id).await?;
            }
            Ok(rows)
        })
        .await?;
    state.authz.invalidate(&invalidation);
    let resource =
        render::event_resource(&mut conn, &state, &event, &room, me.user.id, None).await?;
    Ok(HttpResponse::Created()
        .insert_header((ETAG, etag::event_etag(&event, &room)))
        .json(resource))
}

/// The writes of `POST /events` (api.md §7.8 "Tables").
async fn insert_rows(
    conn: &mut DbConnection,
    me: &AuthenticatedUser,
    body: &PostEventsBody,
    times: &EventTimes,
) -> Result<(Event, Room, Invalidation), ApiError> {
    let room = NewRoom {
        created_by: me.user.id,
        password: body.password.clone().map(|p| p.into_inner()),
        waiting_room: body.waiting_room,
        tenant_id: me.tenant.id,
        e2e_encryption: body.e2e_encryption,
    }
    .insert(conn)
    .await?;
    // Always, even for e2e rooms and without a feature check (rules.md §13).
    insert_sip_config(conn, room.id, SipPassword::generate(), false).await?;
    let columns = times.to_columns();
    let event = NewEvent {
        title: body.title.as_str().to_owned(),
        description: body.description.as_str().to_owned(),
        room: room.id,
        created_by: me.user.id,
        updated_by: me.user.id,
        is_time_independent: columns.is_time_independent,
        is_all_day: columns.is_all_day,
        starts_at: columns.starts_at,
        starts_at_tz: columns.starts_at_tz,
        ends_at: columns.ends_at,
        ends_at_tz: columns.ends_at_tz,
        duration_secs: columns.duration_secs,
        is_recurring: columns.is_recurring,
        recurrence_pattern: columns.recurrence_pattern,
        is_adhoc: body.is_adhoc,
        tenant_id: me.tenant.id,
        show_meeting_details: body.show_meeting_details,
    }
    .insert(conn)
    .await?;
    for target in &body.streaming_targets {
        NewRoomStreamingTarget {
            room_id: room.id,
            name: target.name.clone(),
            kind: target.kind,
            streaming_endpoint: target.streaming_endpoint.clone().into(),
            streaming_key: target.streaming_key.clone(),
            public_url: target.public_url.clone().into(),
        }
        .insert(conn)
        .await?;
    }
    if let Some(report) = body.training_participation_report {
        report.to_row(event.id).insert_if_absent(conn).await?;
    }
    let invalidation = apply_change(conn, &create_event(me.user.id, event.id, room.id)).await?;
    Ok((event, room, invalidation))
}

/// One event as the caller sees it, with streaming targets and training
/// parameters, and at most `invitees_max` invitees (default 0).
#[utoipa::path(
    tag = "events",
    operation_id = "get_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), InviteesQuery),
    responses(
        (status = 200, body = EventResource, headers(
            ("ETag" = String, description = "The event's strong entity tag, for `If-Match`"))),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or its creator is disabled"),
    ),
)]
#[get("/events/{event_id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<InviteesQuery>,
) -> Result<HttpResponse, ApiError> {
    let max = query.invitees_max.unwrap_or(0);
    let mut conn = state.conn().await?;
    let (event, room) = Event::get_with_room(&mut conn, path.into_inner()).await?;
    let resource =
        render::event_resource(&mut conn, &state, &event, &room, me.user.id, Some(max)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, etag::event_etag(&event, &room)))
        .json(resource))
}
