//! `GET /events`: the caller's events, keyset-paged (api.md §7.8, rules.md §6).
//!
//! The query is parsed from the raw query string because `invite_status`
//! may be repeated as well as comma-separated, which `web::Query`
//! cannot express.

pub mod exception;
mod page;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use conclave_db::enums::EventInviteStatus;
use conclave_db::models::event::{Event, EventCursor, EventListFilter, EventListQuery};
use conclave_domain::cursor::EventCursor as Token;

use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::pagination::{CursorQuery, after_link};
use crate::state::AppState;

/// Everything `GET /events` reads from its query string.
#[derive(Debug, Default)]
struct ListParams {
    filter: EventListFilter,
    invitees_max: u32,
    page: CursorQuery,
}

/// Lists the events the caller created or is invited to (declined invites
/// included, rules.md §6.1), ordered by start, then creation, then id; each series is
/// followed by all its exceptions (rules.md §5.7).
#[utoipa::path(
    tag = "events",
    operation_id = "get_events",
    params(
        ("time_min" = Option<String>, Query, description = "Only events ending at or after (RFC 3339)"),
        ("time_max" = Option<String>, Query, description = "Only events starting at or before (RFC 3339)"),
        ("created_before" = Option<String>, Query, description = "Only events created at or before"),
        ("created_after" = Option<String>, Query, description = "Only events created at or after"),
        ("favorites" = Option<bool>, Query, description = "Only favourites"),
        ("invite_status" = Option<String>, Query, description = "Comma-separated or repeated statuses"),
        ("adhoc" = Option<bool>, Query, description = "Only (non-)ad-hoc events"),
        ("time_independent" = Option<bool>, Query, description = "Only (non-)time-independent events"),
        ("invitees_max" = Option<u32>, Query, description = "Invitees per event (default 0)"),
        ("per_page" = Option<i64>, Query, description = "Page size, clamped to 1..=100"),
        ("after" = Option<String>, Query, description = "Opaque cursor of the previous page"),
    ),
    responses(
        (status = 200, body = Vec<exception::EventOrException>, headers(("link" = String))),
        (status = 400, description = "Bad query value or cursor"),
        (status = 401),
    ),
)]
#[get("/events")]
pub async fn get_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: AuthenticatedUser,
) -> Result<HttpResponse, ApiError> {
    let params = parse_params(req.query_string())?;
    let after = match &params.page.after {
        None => None,
        Some(token) => {
            let token =
                Token::decode(token).map_err(|_| ApiError::bad_request("Invalid cursor"))?;
            Some(EventCursor {
                id: token.event_id,
                created_at: token.created_at,
                starts_at: token.starts_at,
            })
        }
    };
    let query = EventListQuery {
        user: me.user.id,
        tenant: me.tenant.id,
        filter: params.filter,
        after,
        limit: params.page.per_page(),
    };
    let mut conn = state.conn().await?;
    let entries = Event::list_for_user(&mut conn, &query).await?;
    let items =
        page::render_items(&mut conn, &state, &entries, me.user.id, params.invitees_max).await?;
    let mut response = HttpResponse::Ok();
    if let Some(last) = entries.last() {
        // The key that chose the page, not the re-read row.
        let token = Token {
            event_id: last.key.id,
            created_at: last.key.created_at,
            starts_at: last.key.starts_at,
        };
        response.insert_header(("Link", after_link(&req, &token.encode())));
    }
    Ok(response.json(items))
}

/// Parses the query string; any unknown value of a known key is a 400.
fn parse_params(query: &str) -> Result<ListParams, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|_| ApiError::bad_request("Malformed query string"))?;
    let mut params = ListParams::default();
    for (key, value) in pairs {
        let filter = &mut params.filter;
        match key.as_str() {
            "time_min" => filter.time_min = Some(time(&key, &value)?),
            "time_max" => filter.time_max = Some(time(&key, &value)?),
            "created_before" => filter.created_before = Some(time(&key, &value)?),
            "created_after" => filter.created_after = Some(time(&key, &value)?),
            "favorites" => filter.favorites = flag(&key, &value)?,
            "adhoc" => filter.adhoc = Some(flag(&key, &value)?),
            "time_independent" => filter.time_independent = Some(flag(&key, &value)?),
            "invite_status" => {
                for part in value.split(',').filter(|part| !part.is_empty()) {
                    let status: EventInviteStatus = part.parse().map_err(|_| invalid(&key))?;
                    if !filter.invite_status.contains(&status) {
                        filter.invite_status.push(status);
                    }
                }
            }
            "invitees_max" => params.invitees_max = value.parse().map_err(|_| invalid(&key))?,
            "per_page" => params.page.per_page = Some(value.parse().map_err(|_| invalid(&key))?),
            "after" => params.page.after = Some(value),
            _ => {}
        }
    }
    Ok(params)
}

fn invalid(key: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid value for `{key}`"))
}

fn time(key: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| invalid(key))
}

fn flag(key: &str, value: &str) -> Result<bool, ApiError> {
    value.parse().map_err(|_| invalid(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, ok: bool) {
        assert_eq!(parse_params(query).is_ok(), ok, "{query}");
    }

    #[test]
    fn bad_values_are_refused() {
        check("", true);
        check("time_min=2026-01-01T00:00:00Z&favorites=true", true);
        check("time_min=yesterday", false);
        check("favorites=yes", false);
        check("invite_status=pending,bogus", false);
        check("invitees_max=-1", false);
        check("per_page=x", false);
    }

    #[test]
    fn invite_status_accepts_both_encodings() {
        let commas = parse_params("invite_status=pending,accepted").unwrap();
        let repeated = parse_params("invite_status=pending&invite_status=accepted").unwrap();
        assert_eq!(commas.filter.invite_status, repeated.filter.invite_status);
        assert_eq!(
            commas.filter.invite_status,
            vec![EventInviteStatus::Pending, EventInviteStatus::Accepted]
        );
    }
}
