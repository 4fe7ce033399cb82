//! Rendering a whole `GET /events` page from rows loaded once per page: one
//! query per kind (exceptions, invites, email invites, profiles, shared
//! folders, and with call-in configured tariffs and SIP configs), instead of
//! several per listed event.

use std::collections::HashMap;

use conclave_db::DbConnection;
use conclave_db::models::event::EventListEntry;
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::event_exception::EventException;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::models::event_shared_folder::EventSharedFolder;
use conclave_db::models::sip_config::SipConfig;
use conclave_db::models::tariff::Tariff;
use conclave_domain::ids::{EventId, RoomId, UserId};
use serde_json::{Value, json};

use super::exception::{self, EventOrException};
use crate::dto::room::CallInInfo;
use crate::dto::user::avatar_url;
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::events::render::{EventParts, assemble};
use crate::v1::rooms::call_in::require_call_in;
use crate::v1::rooms::render::Profiles;

/// The rendered invitees of one event and whether more exist.
type Invitees = (Vec<Value>, bool);

/// Everything a page renders besides its entries, keyed for lookup.
struct PageRows {
    profiles: Profiles,
    invitees: HashMap<EventId, Invitees>,
    folders: HashMap<EventId, EventSharedFolder>,
    call_in: HashMap<RoomId, CallInInfo>,
    exceptions: HashMap<EventId, Vec<EventException>>,
}

/// The list items of one page: each event, a series followed by its
/// exceptions.
pub async fn render_items(
    conn: &mut DbConnection,
    state: &AppState,
    entries: &[EventListEntry],
    viewer: UserId,
    invitees_max: u32,
) -> Result<Vec<EventOrException>, ApiError> {
    let mut rows = load(conn, state, entries, invitees_max).await?;
    let mut items = Vec::with_capacity(entries.len());
    for entry in entries {
        let event = &entry.event;
        let (invitees, invitees_truncated) = rows
            .invitees
            .remove(&event.id)
            .unwrap_or_else(|| (Vec::new(), invitees_max == 0));
        let parts = EventParts {
            created_by: rows.profiles.get(event.created_by)?,
            updated_by: rows.profiles.get(event.updated_by)?,
            invitees,
            invitees_truncated,
            invite_status: entry.effective_invite_status().as_str(),
            is_favorite: entry.is_favorite,
            shared_folder: rows.folders.remove(&event.id),
            call_in: rows.call_in.get(&entry.room.id).cloned(),
            // List items never carry these (api.md §6.2).
            streaming_targets: Vec::new(),
            training: None,
        };
        let resource = assemble(event, &entry.room, viewer, parts)?;
        let mut rendered = Vec::new();
        for row in rows.exceptions.get(&event.id).into_iter().flatten() {
            let item = exception::render(&rows.profiles, &resource, row)?;
            rendered.push(EventOrException::Exception(Box::new(item)));
        }
        items.push(EventOrException::Event(Box::new(resource)));
        items.extend(rendered);
    }
    Ok(items)
}

/// Loads the page's related rows with a fixed number of queries.
async fn load(
    conn: &mut DbConnection,
    state: &AppState,
    entries: &[EventListEntry],
    invitees_max: u32,
) -> Result<PageRows, ApiError> {
    let ids: Vec<EventId> = entries.iter().map(|entry| entry.event.id).collect();
    let series: Vec<EventId> = entries
        .iter()
        .filter(|entry| entry.event.is_recurring == Some(true))
        .map(|entry| entry.event.id)
        .collect();
    let exceptions = exception::load(conn, &series).await?;
    let max = i64::from(invitees_max);
    let (registered, emails) = if max == 0 || ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            EventInvite::first_per_event(conn, &ids, max).await?,
            EventEmailInvite::first_per_event(conn, &ids, max).await?,
        )
    };
    let users = entries
        .iter()
        .flat_map(|entry| [entry.event.created_by, entry.event.updated_by])
        .chain(exceptions.values().flatten().map(|row| row.created_by))
        .chain(registered.iter().map(|(invite, _)| invite.invitee));
    let profiles = Profiles::load(conn, &state.settings, users).await?;
    let invitees = render_invitees(state, &profiles, registered, emails, max)?;
    let folders = if ids.is_empty() {
        HashMap::new()
    } else {
        EventSharedFolder::list_for_events(conn, &ids)
            .await?
            .into_iter()
            .map(|row| (row.event_id, row))
            .collect()
    };
    Ok(PageRows {
        profiles,
        invitees,
        folders,
        call_in: call_in(conn, state, entries).await?,
        exceptions,
    })
}

/// The invitees of every event with any: registered invites first, then
/// as many email invites as still fit under `max` (as `invitees::load`).
fn render_invitees(
    state: &AppState,
    profiles: &Profiles,
    registered: Vec<(EventInvite, i64)>,
    emails: Vec<(EventEmailInvite, i64)>,
    max: i64,
) -> Result<HashMap<EventId, Invitees>, ApiError> {
    let mut out: HashMap<EventId, (Vec<Value>, i64)> = HashMap::new();
    for (invite, total) in registered {
        let mut profile =
            serde_json::to_value(profiles.get(invite.invitee)?).map_err(ApiError::internal)?;
        profile["kind"] = json!("registered");
        profile["role"] = json!(invite.role.as_str());
        let slot = out.entry(invite.event_id).or_default();
        slot.0
            .push(json!({"profile": profile, "status": invite.status.as_str()}));
        slot.1 = total;
    }
    let mut email_totals: HashMap<EventId, i64> = HashMap::new();
    for (invite, total) in emails {
        email_totals.insert(invite.event_id, total);
        let slot = out.entry(invite.event_id).or_default();
        if (slot.0.len() as i64) < max {
            let profile = json!({
                "kind": "email",
                "email": invite.email,
                "avatar_url": avatar_url(None, &invite.email, &state.settings),
            });
            slot.0
                .push(json!({"profile": profile, "status": "pending"}));
        }
    }
    Ok(out
        .into_iter()
        .map(|(event, (list, registered_total))| {
            let total = registered_total + email_totals.get(&event).copied().unwrap_or(0);
            let truncated = total > list.len() as i64;
            (event, (list, truncated))
        })
        .collect())
}

/// The call-in data of the page's rooms, with the rules of
/// `rooms::call_in::call_in_info`: configured, not end-to-end encrypted,
/// allowed by the creator's tariff, and a SIP config present.
async fn call_in(
    conn: &mut DbConnection,
    state: &AppState,
    entries: &[EventListEntry],
) -> Result<HashMap<RoomId, CallInInfo>, ApiError> {
    let Some(settings) = &state.settings.call_in else {
        return Ok(HashMap::new());
    };
    let rooms: Vec<_> = entries
        .iter()
        .map(|entry| &entry.room)
        .filter(|room| !room.e2e_encryption)
        .collect();
    if rooms.is_empty() {
        return Ok(HashMap::new());
    }
    let creators: Vec<UserId> = rooms.iter().map(|room| room.created_by).collect();
    let allowed: HashMap<UserId, bool> = Tariff::list_for_users(conn, &creators)
        .await?
        .into_iter()
        .map(|(user, tariff)| (user, require_call_in(state, &tariff).is_ok()))
        .collect();
    let ids: Vec<RoomId> = rooms.iter().map(|room| room.id).collect();
    let sips: HashMap<RoomId, SipConfig> = SipConfig::list_for_rooms(conn, &ids)
        .await?
        .into_iter()
        .map(|sip| (sip.room, sip))
        .collect();
    Ok(rooms
        .into_iter()
        .filter(|room| allowed.get(&room.created_by).copied().unwrap_or(false))
        .filter_map(|room| {
            let sip = sips.get(&room.id)?;
            let info = CallInInfo {
                tel: settings.tel.clone(),
                id: sip.sip_id.clone(),
                password: sip.password.clone(),
            };
            Some((room.id, info))
        })
        .collect())
}
