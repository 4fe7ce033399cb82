//! One page of an event's invitees (rules.md §7.11): the registered invites
//! and then the email invites form one sequence, and page p holds items
//! (p−1)·per_page … p·per_page−1 of it. With a status filter other than
//! `pending` the email invites drop out entirely.

use conclave_db::DbConnection;
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::paging::PageRequest;
use conclave_domain::ids::EventId;
use conclave_domain::invite::EventInviteStatus;

use crate::config::Settings;
use crate::dto::event::invite::{
    EmailInvitee, EventInvitee, EventInviteeProfile, RegisteredInvitee,
};
use crate::dto::user::avatar_url;
use crate::error::ApiError;
use crate::v1::rooms::render::Profiles;

/// The invitees of `page` and the total of the filtered concatenation.
pub async fn invitee_page(
    conn: &mut DbConnection,
    settings: &Settings,
    event: EventId,
    status: Option<EventInviteStatus>,
    page: PageRequest,
) -> Result<(Vec<EventInvitee>, i64), ApiError> {
    // The registered list comes first, so its part of the page is always
    // the same page of that list alone.
    let registered = EventInvite::list_for_event(conn, event, status, page).await?;
    let mut out = render_registered(conn, settings, &registered.items).await?;
    if status.is_some_and(|s| s != EventInviteStatus::Pending) {
        return Ok((out, registered.total));
    }
    let need = page.per_page - out.len() as i64;
    let email_offset = page.offset().saturating_sub(registered.total).max(0);
    let email_total = if need > 0 {
        let (emails, total) = email_window(conn, event, email_offset, need).await?;
        out.extend(emails.iter().map(|invite| email_entry(invite, settings)));
        total
    } else {
        EventEmailInvite::count_for_event(conn, event).await?
    };
    Ok((out, registered.total + email_total))
}

/// Email invites `offset .. offset + need` (in list order) and their total.
/// The window is not page-aligned, so it is read as the (at most two)
/// `need`-sized pages that cover it: never more than 2·`need` rows.
async fn email_window(
    conn: &mut DbConnection,
    event: EventId,
    offset: i64,
    need: i64,
) -> Result<(Vec<EventEmailInvite>, i64), ApiError> {
    let window = Window::new(offset, need);
    let first = EventEmailInvite::list_for_event(conn, event, window.page(0)).await?;
    let total = first.total;
    let mut rows = first.items;
    if window.pages == 2 && (rows.len() as i64) == need {
        rows.extend(
            EventEmailInvite::list_for_event(conn, event, window.page(1))
                .await?
                .items,
        );
    }
    let skip = usize::try_from(window.skip).unwrap_or(usize::MAX);
    let take = usize::try_from(need).unwrap_or(usize::MAX);
    Ok((rows.into_iter().skip(skip).take(take).collect(), total))
}

/// Which `size`-sized pages cover the items `offset .. offset + size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    /// The 1-based page holding `offset`.
    first_page: i64,
    /// 1 when the window is page-aligned, else 2.
    pages: i64,
    /// Items of the first page before `offset`.
    skip: i64,
    /// The page size.
    size: i64,
}

impl Window {
    fn new(offset: i64, size: i64) -> Self {
        let size = size.max(1);
        let offset = offset.max(0);
        let skip = offset % size;
        Window {
            first_page: offset / size + 1,
            pages: if skip == 0 { 1 } else { 2 },
            skip,
            size,
        }
    }

    /// The `n`-th (0-based) covering page.
    fn page(&self, n: i64) -> PageRequest {
        PageRequest::new(self.first_page.saturating_add(n), self.size)
    }
}

/// Registered invitees with their public profiles and roles.
async fn render_registered(
    conn: &mut DbConnection,
    settings: &Settings,
    invites: &[EventInvite],
) -> Result<Vec<EventInvitee>, ApiError> {
    let profiles = Profiles::load(conn, settings, invites.iter().map(|i| i.invitee)).await?;
    invites
        .iter()
        .map(|invite| {
            Ok(EventInvitee {
                profile: EventInviteeProfile::Registered(RegisteredInvitee {
                    user: profiles.get(invite.invitee)?,
                    role: invite.role,
                }),
                status: invite.status,
            })
        })
        .collect()
}

/// An email invitee: without a directory every address shows as `email`,
/// always `pending`.
fn email_entry(invite: &EventEmailInvite, settings: &Settings) -> EventInvitee {
    EventInvitee {
        profile: EventInviteeProfile::Email(EmailInvitee {
            email: invite.email.clone(),
            avatar_url: avatar_url(None, &invite.email, settings),
        }),
        status: EventInviteStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn windows_cover_the_requested_items() {
        let check = |offset: i64, size: i64, first_page: i64, pages: i64, skip: i64| {
            let w = Window::new(offset, size);
            assert_eq!(
                (w.first_page, w.pages, w.skip),
                (first_page, pages, skip),
                "{offset}+{size}"
            );
            // The covering pages span offset .. offset + size.
            let start = (w.first_page - 1) * size;
            assert_eq!(start + w.skip, offset);
            assert!(start + w.pages * size >= offset + size);
        };
        check(0, 3, 1, 1, 0);
        check(1, 3, 1, 2, 1);
        check(3, 3, 2, 1, 0);
        check(7, 3, 3, 2, 1);
        check(5, 1, 6, 1, 0);
        check(4, 100, 1, 2, 4);
    }

    #[test]
    fn degenerate_inputs_are_clamped() {
        assert_eq!(Window::new(-4, 0), Window::new(0, 1));
    }
}
