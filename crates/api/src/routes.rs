//! The one route table.

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(crate::health::live)
        .service(crate::health::ready)
        .service(crate::health::well_known);
}
