//! Instances of an event series and their exceptions (rules.md §5, api.md §7.9).
//!
//! * this file: `GET /events/{id}/instances` and `GET …/instances/{instance_id}`;
//! * [`patch`]: `PATCH …/instances/{instance_id}` (creates or updates an exception);
//! * [`render`]: the `EventInstance` resource.
//!
//! A single time-dependent event has exactly one instance, its own start
//! (api.md A-12); a time-independent one has none (404).

pub mod patch;
pub mod render;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_domain::cursor::PageCursor;
use conclave_domain::event::EventTimes;
use conclave_domain::exception::EventException;
use conclave_domain::ids::EventId;
use conclave_domain::instance::{InstanceId, InstanceQuery};
use conclave_domain::recurrence::TimeWindow;

use crate::auth::AuthenticatedUser;
use crate::dto::event::instance::{EventInstance, InstanceParams, InstancesParams};
use crate::error::ApiError;
use crate::pagination::{CursorQuery, after_link};
use crate::state::AppState;
use crate::v1::events::render::event_times;
use render::{load_exceptions, render_instances};

/// The first page and the page size of an instance listing: `after` holds
/// the 1-based page number (api.md §4.3); page 0 or an undecodable cursor
/// is a 400.
fn page_of(params: &InstancesParams) -> Result<(u64, usize), ApiError> {
    let page = match &params.after {
        None => 1,
        Some(token) => PageCursor::decode(token)
            .ok()
            .map(|c| c.0)
            .filter(|&page| page >= 1)
            .ok_or_else(|| ApiError::bad_request("Invalid cursor"))?,
    };
    let per_page = CursorQuery {
        per_page: params.per_page,
        after: None,
    }
    .per_page();
    // Clamped into 1..=100, so the conversion cannot fail.
    Ok((page, usize::try_from(per_page).unwrap_or(1)))
}

/// The event's exceptions, loaded only for a series (single events have none).
async fn exceptions_of(
    conn: &mut DbConnection,
    event: &Event,
    times: &EventTimes,
) -> Result<Vec<EventException>, ApiError> {
    if times.is_recurring() {
        load_exceptions(conn, event.id).await
    } else {
        Ok(Vec::new())
    }
}

/// Lists the occurrences of an event that overlap `time_min`..`time_max`
/// (inclusive, on the effective times), by original start, page-numbered
/// through `rel="after"` links. Cancelled occurrences are
/// listed with `status: "cancelled"` (rules.md §5.3).
#[utoipa::path(
    tag = "events",
    operation_id = "get_event_instances",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), InstancesParams),
    responses(
        (status = 200, body = Vec<EventInstance>, headers(("link" = String))),
        (status = 400, description = "Bad query value or cursor"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or a time-independent one"),
    ),
)]
#[get("/events/{event_id}/instances")]
pub async fn get_event_instances(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<InstancesParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner();
    let (page, per_page) = page_of(&params)?;
    let skip = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(per_page);
    let mut conn = state.conn().await?;
    let (event, room) = Event::get_with_room(&mut conn, path.into_inner()).await?;
    let times = event_times(&event)?;
    if times.is_time_independent() {
        return Err(ApiError::not_found());
    }
    let exceptions = exceptions_of(&mut conn, &event, &times).await?;
    let listing = InstanceQuery {
        window: TimeWindow::new(params.time_min, params.time_max),
        now: Utc::now(),
        skip,
        take: per_page,
    };
    let instances = times
        .instances(&exceptions, &listing)
        .ok_or_else(ApiError::not_found)?;
    let max = params.invitees_max.unwrap_or(0);
    let items = render_instances(
        &mut conn,
        &state,
        (&event, &room),
        me.user.id,
        max,
        &instances,
    )
    .await?;
    let mut response = HttpResponse::Ok();
    if !items.is_empty() {
        let next = PageCursor(page.saturating_add(1)).encode();
        response.insert_header(("Link", after_link(&req, &next)));
    }
    Ok(response.json(items))
}

/// One occurrence with its exception applied. The id is accepted as
/// `YYYYMMDDTHHMMSSZ`, `YYYYMMDDTHHMMSS±hhmm` or RFC 3339; one that
/// parses in none of them, or is no occurrence, is a 404.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event_instance",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        ("instance_id" = String, Path, description = "The instance id, e.g. 20240729T080000Z"),
        InstanceParams,
    ),
    responses(
        (status = 200, body = EventInstance),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or the id is no occurrence of it"),
    ),
)]
#[get("/events/{event_id}/instances/{instance_id}")]
pub async fn get_event_instance(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(EventId, InstanceId)>,
    query: web::Query<InstanceParams>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, instance_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let (event, room) = Event::get_with_room(&mut conn, event_id).await?;
    let times = event_times(&event)?;
    let exceptions = exceptions_of(&mut conn, &event, &times).await?;
    let instance = times
        .instance(instance_id, &exceptions)
        .ok_or_else(ApiError::not_found)?;
    let max = query.invitees_max.unwrap_or(0);
    let mut items = render_instances(
        &mut conn,
        &state,
        (&event, &room),
        me.user.id,
        max,
        &[instance],
    )
    .await?;
    let item = items.pop().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(per_page: Option<i64>, after: Option<&str>, expected: Option<(u64, usize)>) {
        let params = InstancesParams {
            per_page,
            after: after.map(str::to_owned),
            ..InstancesParams::default()
        };
        assert_eq!(page_of(&params).ok(), expected, "{per_page:?} {after:?}");
    }

    #[test]
    fn page_cursor_and_size() {
        check(None, None, Some((1, 30)));
        check(Some(0), None, Some((1, 1)));
        check(Some(1000), None, Some((1, 100)));
        // `BAAAAAAAAAA` is page 4 (api.md §4.3).
        check(Some(5), Some("BAAAAAAAAAA"), Some((4, 5)));
        check(None, Some(&PageCursor(2).encode()), Some((2, 30)));
        check(None, Some(&PageCursor(0).encode()), None);
        check(None, Some("not a cursor"), None);
        check(None, Some(""), None);
    }
}
