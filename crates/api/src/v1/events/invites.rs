//! Event invitations: `/events/{id}/invites…` and `/events/{id}/invite` (rules.md §7, api.md §7.10).
//!
//! * this file: `GET /events/{id}/invites`, the paged invitee list;
//! * [`list`]: paging over registered invites followed by email invites;
//! * [`create`]: `POST /events/{id}/invites` for a user or an address;
//! * [`update`]: role changes by the event creator;
//! * [`remove`]: uninviting by user id or address;
//! * [`answer`]: the invitee's own accept and decline.
//!
//! Conclave has no mail provider: where upstream sends an invite or
//! uninvite mail, the decision is only logged (rules.md §21).

pub mod answer;
pub mod create;
pub mod list;
pub mod remove;
pub mod update;

use actix_web::{HttpRequest, HttpResponse, get, web};
use conclave_db::models::event::Event;
use conclave_domain::ids::EventId;

use crate::auth::AuthenticatedUser;
use crate::dto::event::invite::{EventInvitee, ListInvitesQuery};
use crate::error::ApiError;
use crate::pagination::{PageQuery, page_links};
use crate::state::AppState;

/// The event's invitees: registered invites first (newest first), then
/// email invites, paged over that concatenation; the status filter applies
/// to both lists, email invitees counting as `pending`.
#[utoipa::path(
    tag = "events",
    operation_id = "get_invites_for_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), ListInvitesQuery),
    responses(
        (status = 200, body = Vec<EventInvitee>, headers(("link" = String))),
        (status = 400, description = "Bad paging or status"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or its creator is disabled"),
    ),
)]
#[get("/events/{event_id}/invites")]
pub async fn get_invites_for_event(
    req: HttpRequest,
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<ListInvitesQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageQuery {
        per_page: query.per_page,
        page: query.page,
    }
    .request()?;
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, path.into_inner()).await?;
    let (items, total) =
        list::invitee_page(&mut conn, &state.settings, event.id, query.status, page).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("link", page_links(&req, page.page, page.per_page, total)))
        .json(items))
}
