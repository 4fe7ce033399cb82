//! Call-in pieces shared by room creation, the SIP endpoints and the event
//! info: the `core::call_in` feature check (rules.md §8.3), inserting a SIP
//! config with a fresh unique call-in id (rules.md §13) and the call-in data
//! of meeting details (rules.md §19).

use actix_web::http::StatusCode;
use conclave_db::DbConnection;
use conclave_db::models::room::Room;
use conclave_db::models::sip_config::{NewSipConfig, SipConfig, SipConfigInsert};
use conclave_db::models::tariff::Tariff;
use conclave_domain::ids::RoomId;
use conclave_domain::sip::{SIP_ID_ATTEMPTS, SipId, SipPassword};
use conclave_domain::tariff::feature::{QualifiedFeature, read_disabled_features};
use conclave_domain::tariff::resource::{FeatureDenied, require_feature};

use crate::dto::room::CallInInfo;
use crate::error::ApiError;
use crate::state::AppState;

/// `require_feature(core::call_in)` against the global setting and `tariff`
/// (the room creator's): 403 `feature_disabled` or
/// `feature_disabled_by_tariff`.
pub fn require_call_in(state: &AppState, tariff: &Tariff) -> Result<(), ApiError> {
    let tariff_disabled = read_disabled_features(&tariff.disabled_features);
    require_feature(
        &QualifiedFeature::call_in(),
        &state.global_disabled_features,
        &tariff_disabled,
    )
    .map_err(|denied| {
        let code = match &denied {
            FeatureDenied::Disabled(_) => "feature_disabled",
            FeatureDenied::DisabledByTariff(_) => "feature_disabled_by_tariff",
        };
        ApiError::new(StatusCode::FORBIDDEN, code, denied.to_string())
    })
}

/// Inserts the room's SIP config with a random call-in id, regenerating the
/// id when another room holds it, at most [`SIP_ID_ATTEMPTS`] times; then
/// 500. Each attempt runs in a nested transaction, so the caller's
/// transaction stays usable.
pub async fn insert_sip_config(
    conn: &mut DbConnection,
    room: RoomId,
    password: SipPassword,
    enable_lobby: bool,
) -> Result<SipConfig, ApiError> {
    for _ in 0..SIP_ID_ATTEMPTS {
        let new = NewSipConfig {
            room,
            sip_id: SipId::generate().into(),
            password: password.clone().into(),
            enable_lobby,
        };
        match new.insert(conn).await? {
            SipConfigInsert::Inserted(config) => return Ok(config),
            SipConfigInsert::SipIdTaken => continue,
            SipConfigInsert::RoomHasConfig => {
                return Err(ApiError::internal(format!(
                    "room {room} already has a SIP config"
                )));
            }
        }
    }
    Err(ApiError::internal(format!(
        "no free call-in id for room {room} after {SIP_ID_ATTEMPTS} attempts"
    )))
}

/// The call-in data shown for `room`, present only if call-in is configured
/// (the number comes from there), the room is not end-to-end encrypted, the
/// creator's tariff allows `core::call_in` and the room has a SIP config.
pub async fn call_in_info(
    conn: &mut DbConnection,
    state: &AppState,
    room: &Room,
) -> Result<Option<CallInInfo>, ApiError> {
    let Some(settings) = &state.settings.call_in else {
        return Ok(None);
    };
    if room.e2e_encryption {
        return Ok(None);
    }
    let tariff = Tariff::get_for_user(conn, room.created_by).await?;
    if require_call_in(state, &tariff).is_err() {
        return Ok(None);
    }
    let Some(sip) = SipConfig::find_for_room(conn, room.id).await? else {
        return Ok(None);
    };
    Ok(Some(CallInInfo {
        tel: settings.tel.clone(),
        id: sip.sip_id,
        password: sip.password,
    }))
}
