//! The out-of-scope meeting endpoints (api.md §7.13): the signaling
//! websocket and the deprecated TURN list. Conclave answers them without
//! serving a websocket or TURN credentials.

use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, HeaderMap, SEC_WEBSOCKET_PROTOCOL, UPGRADE};
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::lookup::invite_code_is_valid;
use crate::auth::middleware::{Credentials, authenticate_bearer, parse_authorization};
use crate::error::{ApiError, auth_text};
use crate::state::AppState;

/// The signaling sub-protocol clients announce.
pub const SIGNALING_PROTOCOL: &str = "opentalk-signaling-json-v1.0";

/// Whether the request is a websocket upgrade that announces the signaling
/// protocol and carries a `ticket#…` entry.
fn is_signaling_upgrade(headers: &HeaderMap) -> bool {
    let upgrade = headers
        .get(UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("websocket"));
    let protocols: Vec<&str> = headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    upgrade
        && protocols.contains(&SIGNALING_PROTOCOL)
        && protocols
            .iter()
            .any(|p| p.len() > "ticket#".len() && p.starts_with("ticket#"))
}

/// The meeting websocket. Served at `/signaling` and `/v1/signaling`: a
/// request that is no signaling upgrade is 400, any other is 503, since
/// this server runs no signaling. No database access.
#[utoipa::path(
    tag = "signaling",
    responses(
        (status = 400, description = "No websocket upgrade or no signaling protocol header"),
        (status = 503, description = "Signaling is not available on this server"),
    ),
    security(()),
)]
#[get("/signaling")]
pub async fn ws_service(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if !is_signaling_upgrade(req.headers()) {
        return Err(ApiError::bad_request(
            "Expected a websocket upgrade with the signaling protocol and a ticket",
        ));
    }
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
        "Signaling is not available on this server",
    ))
}

/// TURN servers (deprecated). It checks the credentials itself, outside the
/// ACL: a valid access token or invite code gets 204, as no TURN servers are
/// configured; anything else 401.
#[utoipa::path(
    tag = "signaling",
    responses(
        (status = 204, description = "No TURN servers have been configured"),
        (status = 401),
    ),
)]
#[get("/turn")]
pub async fn get_turn(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match parse_authorization(header)? {
        Credentials::Bearer(token) => {
            authenticate_bearer(&state, &token).await?;
        }
        Credentials::InviteCode(code) => {
            let mut conn = state.conn().await?;
            if !invite_code_is_valid(&mut conn, code).await? {
                return Err(ApiError::unauthorized(
                    "unauthorized",
                    "The invite code is not valid",
                    auth_text::INVALID_ACCESS_TOKEN,
                ));
            }
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_signaling_upgrades_with_a_ticket_pass() {
        let check = |headers: &[(&str, &str)], want: bool| {
            let req = headers
                .iter()
                .fold(TestRequest::get(), |r, h| r.append_header(*h))
                .to_http_request();
            assert_eq!(is_signaling_upgrade(req.headers()), want, "{headers:?}");
        };
        let proto = "opentalk-signaling-json-v1.0, ticket#abc";
        check(
            &[("upgrade", "websocket"), ("sec-websocket-protocol", proto)],
            true,
        );
        check(
            &[("upgrade", "WebSocket"), ("sec-websocket-protocol", proto)],
            true,
        );
        check(&[("sec-websocket-protocol", proto)], false);
        check(&[("upgrade", "websocket")], false);
        check(
            &[
                ("upgrade", "websocket"),
                ("sec-websocket-protocol", "opentalk-signaling-json-v1.0"),
            ],
            false,
        );
        check(
            &[
                ("upgrade", "websocket"),
                ("sec-websocket-protocol", "ticket#abc"),
            ],
            false,
        );
        check(
            &[
                ("upgrade", "websocket"),
                (
                    "sec-websocket-protocol",
                    "opentalk-signaling-json-v1.0, ticket#",
                ),
            ],
            false,
        );
        check(
            &[("upgrade", "h2c"), ("sec-websocket-protocol", proto)],
            false,
        );
    }
}
