//! Liveness and readiness probes, and the API discovery document.

use actix_web::{HttpResponse, get, web};
use diesel_async::SimpleAsyncConnection;

use crate::state::AppState;

/// `GET /health/live`: the process answers.
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// `GET /health/ready`: the database is reachable.
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let reachable = match conclave_db::pool::get(&state.pool).await {
        Ok(mut conn) => conn.batch_execute("SELECT 1").await.is_ok(),
        Err(_) => false,
    };
    if reachable {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "unavailable", "database": "unreachable"}))
    }
}

/// `GET /.well-known/opentalk/api` (api.md §8).
#[get("/.well-known/opentalk/api")]
pub async fn well_known() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"opentalk_api": {"v1": {"base_url": "v1"}}}))
}
