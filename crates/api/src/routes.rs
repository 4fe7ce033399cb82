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
        .service(
            web::scope("/v1")
                .service(v1::auth::get_login)
                .service(v1::auth::post_login)
                .service(
                    web::scope("")
                        .wrap(Acl::new(state.authz.clone()))
                        .wrap(from_fn(crate::auth::authenticate))
                        .configure(user_routes),
                ),
        );
}

/// Routes of the user / invite-code group, relative to `/v1`.
fn user_routes(cfg: &mut web::ServiceConfig) {
    // `/users/me…` and `/users/find` before `/users/{user_id}`.
    cfg.service(v1::users::get_me)
        .service(v1::users::patch_users_me)
        .service(v1::users::get_me_tariff)
        .service(v1::users::find)
        .service(v1::users::get_user);
}
