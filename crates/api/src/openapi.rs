//! The generated OpenAPI document (`/v1/openapi.json`) and Swagger UI
//! (`/swagger/`), served from the vendored UI so it works offline.

use actix_web::web;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

/// Conclave's OpenAPI document, built from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Conclave", description = "OpenTalk v0.29.6-compatible control plane API"),
    servers((url = "/v1")),
    paths(
        crate::v1::auth::get_login,
        crate::v1::auth::post_login,
        crate::v1::users::get_me,
        crate::v1::events::new_event,
        crate::v1::events::get_event,
        crate::v1::events::list::get_events,
        crate::v1::events::delete::delete_event_handler,
        crate::v1::events::patch::patch_event,
        crate::v1::events::instances::get_event_instances,
        crate::v1::events::instances::get_event_instance,
        crate::v1::events::instances::patch::patch_event_instance,
        crate::v1::events::invites::get_invites_for_event,
        crate::v1::events::invites::create::create_invite_to_event,
        crate::v1::events::invites::update::update_invite_to_event,
        crate::v1::events::invites::update::update_email_invite_to_event,
        crate::v1::events::invites::remove::delete_invite_to_event,
        crate::v1::events::invites::remove::delete_email_invite_to_event,
        crate::v1::events::invites::answer::accept_event_invite,
        crate::v1::events::invites::answer::decline_event_invite,
        crate::v1::users::patch_users_me,
        crate::v1::users::get_me_tariff,
        crate::v1::users::get_me_assets,
        crate::v1::users::find,
        crate::v1::users::get_user,
        crate::v1::favorites::add_event_to_favorites,
        crate::v1::favorites::remove_event_from_favorites,
        crate::v1::favorites::get_event_invites_pending,
        crate::v1::shared_folder::get_shared_folder_for_event,
        crate::v1::shared_folder::put_shared_folder_for_event,
        crate::v1::shared_folder::delete_shared_folder_for_event,
        crate::v1::sip::get_room_sip,
        crate::v1::sip::put_room_sip,
        crate::v1::sip::delete_room_sip,
        crate::v1::streaming_targets::get_streaming_targets,
        crate::v1::streaming_targets::post_streaming_target,
        crate::v1::streaming_targets::get_streaming_target,
        crate::v1::streaming_targets::patch_streaming_target,
        crate::v1::streaming_targets::delete_streaming_target,
        crate::v1::start::start,
        crate::v1::start::start_invited,
        crate::v1::start::signaling::ws_service,
        crate::v1::start::signaling::get_turn,
        crate::v1::rooms::accessible_rooms,
        crate::v1::rooms::new_room,
        crate::v1::rooms::get_room,
        crate::v1::rooms::patch_room,
        crate::v1::rooms::delete::delete_room_handler,
        crate::v1::rooms::event::get_room_tariff,
        crate::v1::rooms::event::get_room_event,
        crate::v1::invites::get_invites,
        crate::v1::invites::add_invite,
        crate::v1::invites::get_invite,
        crate::v1::invites::update_invite,
        crate::v1::invites::delete_invite,
        crate::v1::invites::verify::verify_invite_code,
    ),
    tags((name = "auth"), (name = "users"), (name = "rooms"), (name = "invites")),
)]
pub struct ApiDoc;

/// The document as JSON value (used by the contract test and `xtask`).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Registers the document and the UI unless `endpoints.disable_openapi`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/v1/openapi.json").route(web::get().to(
        |state: web::Data<AppState>| async move {
            if state.settings.endpoints.disable_openapi {
                return actix_web::HttpResponse::NotFound().finish();
            }
            actix_web::HttpResponse::Ok().json(document())
        },
    )))
    .service(SwaggerUi::new("/swagger/{_:.*}").url("/v1/openapi.json", document()));
}
