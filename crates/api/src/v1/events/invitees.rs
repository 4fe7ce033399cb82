//! The invitee list of an event resource (rules.md §6.4): at most
//! `invitees_max` entries, registered invites first (newest first), then
//! email invites, whose status is always `pending`.

use conclave_db::DbConnection;
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::paging::PageRequest;
use conclave_domain::ids::EventId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::Settings;
use crate::dto::user::avatar_url;
use crate::error::ApiError;
use crate::v1::rooms::render::Profiles;

/// The `invitees_max` query parameter of the single-event endpoints.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InviteesQuery {
    /// How many invitees to list (default 0: none, and `invitees_truncated`).
    pub invitees_max: Option<u32>,
}

/// The invitees of `event` (at most `max`) and whether more exist. With
/// `max` 0 nothing is loaded and the list counts as truncated.
pub async fn load(
    conn: &mut DbConnection,
    settings: &Settings,
    event: EventId,
    max: u32,
) -> Result<(Vec<Value>, bool), ApiError> {
    if max == 0 {
        return Ok((Vec::new(), true));
    }
    let max = i64::from(max);
    let registered =
        EventInvite::list_for_event(conn, event, None, PageRequest::new(1, max)).await?;
    let profiles =
        Profiles::load(conn, settings, registered.items.iter().map(|i| i.invitee)).await?;
    let mut out = Vec::new();
    for invite in &registered.items {
        let mut profile =
            serde_json::to_value(profiles.get(invite.invitee)?).map_err(ApiError::internal)?;
        profile["kind"] = json!("registered");
        profile["role"] = json!(invite.role.as_str());
        out.push(json!({"profile": profile, "status": invite.status.as_str()}));
    }
    let remaining = max - registered.items.len() as i64;
    let email_total = if remaining > 0 {
        let emails =
            EventEmailInvite::list_for_event(conn, event, PageRequest::new(1, remaining)).await?;
        for invite in &emails.items {
            let profile = json!({
                "kind": "email",
                "email": invite.email,
                "avatar_url": avatar_url(None, &invite.email, settings),
            });
            out.push(json!({"profile": profile, "status": "pending"}));
        }
        emails.total
    } else {
        EventEmailInvite::count_for_event(conn, event).await?
    };
    let truncated = registered.total + email_total > out.len() as i64;
    Ok((out, truncated))
}
