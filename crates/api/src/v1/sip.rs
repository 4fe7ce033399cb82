//! SIP dial-in configuration: `/v1/rooms/{id}/sip` (api.md §7.5, rules.md §13).
//!
//! Only the room owner reaches these handlers, through Conclave's `/sip`
//! grant in room write. The guards run in a fixed order: an
//! end-to-end encrypted room first (GET and PUT), then the `core::call_in`
//! feature check.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, put, web};
use conclave_db::DbConnection;
use conclave_db::models::room::Room;
use conclave_db::models::sip_config::{NewSipConfig, SipConfig, SipConfigInsert, UpdateSipConfig};
use conclave_db::models::tariff::Tariff;
use conclave_domain::ids::RoomId;
use conclave_domain::sip::{SIP_ID_ATTEMPTS, SipConfigChange, SipId};
use conclave_domain::tariff::feature::{QualifiedFeature, read_disabled_features};
use conclave_domain::tariff::resource::{FeatureDenied, require_feature};

use crate::auth::AuthenticatedUser;
use crate::dto::sip::{PutSipConfigRequestBody, SipConfigResource};
use crate::error::ApiError;
use crate::state::AppState;

/// "Call-in not available for end-to-end encrypted room", with the status
/// of the operation (404 on GET, 403 on writes).
pub fn e2e_unavailable(status: StatusCode) -> ApiError {
    ApiError::new(
        status,
        "service_unavailable",
        "Call-in not available for end-to-end encrypted room",
    )
}

/// The `core::call_in` check (rules.md §8.3): the global setting first, then
/// the tariff of the room's creator. 403 `feature_disabled` or
/// `feature_disabled_by_tariff`.
pub async fn require_call_in(
    state: &AppState,
    conn: &mut DbConnection,
    room: &Room,
) -> Result<(), ApiError> {
    let tariff = Tariff::get_for_user(conn, room.created_by).await?;
    let by_tariff = read_disabled_features(&tariff.disabled_features);
    require_feature(
        &QualifiedFeature::call_in(),
        &state.global_disabled_features,
        &by_tariff,
    )
    .map_err(|denied| {
        let code = match denied {
            FeatureDenied::Disabled(_) => "feature_disabled",
            FeatureDenied::DisabledByTariff(_) => "feature_disabled_by_tariff",
        };
        ApiError::new(StatusCode::FORBIDDEN, code, denied.to_string())
    })
}

/// The room's SIP configuration.
#[utoipa::path(
    tag = "sip",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    responses(
        (status = 200, body = SipConfigResource),
        (status = 401), (status = 403),
        (status = 404, description = "No config, unknown room, or an e2e room (`service_unavailable`)"),
    ),
)]
#[get("/rooms/{room_id}/sip")]
pub async fn get_room_sip(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    if room.e2e_encryption {
        return Err(e2e_unavailable(StatusCode::NOT_FOUND));
    }
    require_call_in(&state, &mut conn, &room).await?;
    let config = SipConfig::get_for_room(&mut conn, room.id).await?;
    Ok(HttpResponse::Ok().json(SipConfigResource::from(&config)))
}

/// Creates (201) or changes (200) the room's SIP configuration.
#[utoipa::path(
    tag = "sip",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    request_body = PutSipConfigRequestBody,
    responses(
        (status = 200, body = SipConfigResource, description = "Updated"),
        (status = 201, body = SipConfigResource, description = "Created"),
        (status = 400), (status = 401),
        (status = 403, description = "Feature check, or an e2e room (`service_unavailable`)"),
        (status = 404),
    ),
)]
#[put("/rooms/{room_id}/sip")]
pub async fn put_room_sip(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
    body: web::Json<PutSipConfigRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let change = SipConfigChange::new(body.password, body.lobby)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    if room.e2e_encryption {
        return Err(e2e_unavailable(StatusCode::FORBIDDEN));
    }
    require_call_in(&state, &mut conn, &room).await?;
    let (status, config) = create_or_update(&mut conn, room.id, &change).await?;
    Ok(HttpResponse::build(status).json(SipConfigResource::from(&config)))
}

/// Removes the room's SIP configuration (feature check, then delete).
#[utoipa::path(
    tag = "sip",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    responses((status = 204), (status = 401), (status = 403), (status = 404)),
)]
#[delete("/rooms/{room_id}/sip")]
pub async fn delete_room_sip(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    require_call_in(&state, &mut conn, &room).await?;
    SipConfig::delete_for_room(&mut conn, room.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Updates the room's config, or creates one with a fresh call-in id (up to
/// [`SIP_ID_ATTEMPTS`] ids on collisions, then 500).
async fn create_or_update(
    conn: &mut DbConnection,
    room: RoomId,
    change: &SipConfigChange,
) -> Result<(StatusCode, SipConfig), ApiError> {
    let update = || UpdateSipConfig {
        password: change.password.as_ref().map(ToString::to_string),
        enable_lobby: change.lobby,
    };
    if let Some(config) = SipConfig::update_for_room(conn, room, update()).await? {
        return Ok((StatusCode::OK, config));
    }
    let (password, enable_lobby) = change.creation_values(&mut rand::rng());
    for _ in 0..SIP_ID_ATTEMPTS {
        let new = NewSipConfig {
            room,
            sip_id: SipId::generate().to_string(),
            password: password.to_string(),
            enable_lobby,
        };
        match new.insert(conn).await? {
            SipConfigInsert::Inserted(config) => return Ok((StatusCode::CREATED, config)),
            SipConfigInsert::SipIdTaken => continue,
            // A concurrent PUT created it first: apply this change on top.
            SipConfigInsert::RoomHasConfig => {
                let config = SipConfig::update_for_room(conn, room, update()).await?;
                return config
                    .map(|c| (StatusCode::OK, c))
                    .ok_or_else(ApiError::not_found);
            }
        }
    }
    Err(ApiError::internal(format!(
        "no free call-in id after {SIP_ID_ATTEMPTS} attempts"
    )))
}
