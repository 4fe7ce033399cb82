//! The one route table.
//!
//! Public routes come first; everything else under `/v1` sits in the user /
//! invite-code group behind authentication and then authorization
//! (api.md §5.1). Middleware added last runs first, so `authenticate` wraps
//! the ACL.

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::authz::Acl;
use crate::state::AppState;
use crate::v1;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig, state: &AppState) {
    cfg.service(crate::health::live)
        .service(crate::health::ready)
        .service(crate::health::well_known)
        .configure(crate::openapi::configure)
        // Upstream serves signaling at the root; `/v1/signaling` below too.
        .service(v1::start::signaling::ws_service)
        .service(
            web::scope("/v1")
                .service(v1::start::start_invited)
                .service(v1::start::signaling::ws_service)
                .service(v1::start::signaling::get_turn)
                .service(v1::auth::get_login)
                .service(v1::auth::post_login)
                .service(v1::invites::verify::verify_invite_code)
                .service(
                    web::scope("")
                        .wrap(Acl::new(state.authz.clone()))
                        .wrap(from_fn(crate::auth::authenticate))
                        .configure(user_routes)
                        .configure(room_satellite_routes),
                ),
        );
}

/// SIP, streaming targets and start of a room (user group, relative to `/v1`).
fn room_satellite_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(v1::sip::get_room_sip)
        .service(v1::sip::put_room_sip)
        .service(v1::sip::delete_room_sip)
        .service(v1::streaming_targets::get_streaming_targets)
        .service(v1::streaming_targets::post_streaming_target)
        .service(v1::streaming_targets::get_streaming_target)
        .service(v1::streaming_targets::patch_streaming_target)
        .service(v1::streaming_targets::delete_streaming_target)
        .service(v1::start::start);
}

/// Routes of the user / invite-code group, relative to `/v1`.
fn user_routes(cfg: &mut web::ServiceConfig) {
    // `/users/me…` and `/users/find` before `/users/{user_id}`.
    cfg.service(v1::users::get_me)
        .service(v1::users::patch_users_me)
        .service(v1::users::get_me_tariff)
        .service(v1::favorites::add_event_to_favorites)
        .service(v1::favorites::remove_event_from_favorites)
        .service(v1::favorites::get_event_invites_pending)
        .service(v1::users::get_me_assets)
        .service(v1::users::find)
        .service(v1::users::get_user)
        .service(v1::events::new_event)
        .service(v1::events::list::get_events)
        .service(v1::events::get_event)
        .service(v1::events::delete::delete_event_handler)
        .service(v1::events::patch::patch_event)
        .service(v1::events::instances::get_event_instances)
        .service(v1::events::instances::get_event_instance)
        .service(v1::events::instances::patch::patch_event_instance)
        // `/invites/email` before `/invites/{user_id}`.
        .service(v1::events::invites::get_invites_for_event)
        .service(v1::events::invites::create::create_invite_to_event)
        .service(v1::events::invites::update::update_email_invite_to_event)
        .service(v1::events::invites::remove::delete_email_invite_to_event)
        .service(v1::events::invites::update::update_invite_to_event)
        .service(v1::events::invites::remove::delete_invite_to_event)
        .service(v1::events::invites::answer::accept_event_invite)
        .service(v1::events::invites::answer::decline_event_invite)
        .service(v1::rooms::accessible_rooms)
        .service(v1::rooms::new_room)
        .service(v1::rooms::get_room)
        .service(v1::rooms::patch_room)
        .service(v1::rooms::delete::delete_room_handler)
        .service(v1::rooms::event::get_room_tariff)
        .service(v1::rooms::event::get_room_event)
        .service(v1::invites::get_invites)
        .service(v1::invites::add_invite)
        .service(v1::invites::get_invite)
        .service(v1::invites::update_invite)
        .service(v1::invites::delete_invite)
        .service(v1::shared_folder::get_shared_folder_for_event)
        .service(v1::shared_folder::put_shared_folder_for_event)
        .service(v1::shared_folder::delete_shared_folder_for_event);
}
