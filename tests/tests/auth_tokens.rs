//! The authentication middleware end to end (api.md §5.1, §5.6, §5.7): real
//! JWTs from the fake issuer, the real middleware and database, through the
//! probe route `GET /v1/whoami`.

use conclave_api::config::TenantAssignment;
use conclave_db::testing::fixtures;
use conclave_e2e::{
    Auth, Reply, SigningKey, TestApp, call_with, forged, now, rows, spawn_app, spawn_app_with,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Status, body and the `WWW-Authenticate` header (empty when absent) of
/// a call to the probe's `GET /v1/whoami`.
async fn call(app: &TestApp, authorization: Option<&str>) -> (StatusCode, Value, String) {
    let url = format!("{}/v1/whoami", app.probe_url);
    let auth = authorization.map_or(Auth::Anonymous, Auth::Raw);
    let reply = call_with(app, Method::GET, &url, auth, &[], None).await;
    let www = reply.www_authenticate.unwrap_or_default();
    (reply.status, reply.body, www)
}

async fn bearer(app: &TestApp, token: &str) -> (StatusCode, Value, String) {
    call(app, Some(&format!("Bearer {token}"))).await
}

/// Logs `sub` in and returns its casbin subject.
async fn logged_in(app: &TestApp, sub: &str) -> String {
    assert_eq!(
        app.login(&app.issuer.token(sub)).await.status(),
        StatusCode::OK
    );
    let mut conn = app.db.connect().await;
    format!(
        "user::{}",
        rows::user_id_by_sub(&mut conn, sub).await.unwrap()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_access_token_identifies_the_user() {
    let app = spawn_app().await;
    let subject = logged_in(&app, "alice").await;
    let (status, body, _) = bearer(&app, &app.issuer.token("alice")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"subject": subject}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_invalid_tokens_are_refused() {
    let app = spawn_app().await;
    logged_in(&app, "bob").await;
    let issuer = &app.issuer;
    let claims = issuer.claims("bob");
    let now = now();
    let invalid = "The provided access token is invalid";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "bad signature",
            forged::bad_signature(issuer, &claims),
            invalid,
        ),
        ("alg none", forged::alg_none(issuer, &claims), invalid),
        (
            "HS256 with the public key",
            forged::hs256_with_public_key(issuer, &claims),
            invalid,
        ),
        ("unknown kid", forged::unknown_kid(&claims), invalid),
        (
            "malformed header",
            forged::malformed_header(issuer, &claims),
            invalid,
        ),
        ("not a JWT", "abc".to_owned(), invalid),
        (
            "wrong iss",
            issuer.sign(&claims.clone().with("iss", "https://evil.example")),
            invalid,
        ),
        (
            "missing claim",
            issuer.sign(&claims.clone().without("given_name")),
            invalid,
        ),
        (
            "not yet valid",
            issuer.sign(&claims.clone().with("nbf", now + 600)),
            invalid,
        ),
        (
            "expired",
            issuer.sign(
                &claims
                    .clone()
                    .with("exp", now - 600)
                    .with("iat", now - 4000),
            ),
            "The provided access token expired",
        ),
    ];
    for (name, token, text) in cases {
        let (status, body, www) = bearer(&app, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(body["code"], "unauthorized", "{name}");
        assert!(www.contains(text), "{name}: {www}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unparseable_or_missing_headers_are_refused() {
    let app = spawn_app().await;
    for header in [
        None,
        Some("Basic dXNlcjpwdw=="),
        Some("Bearer"),
        Some("InviteCode 42"),
    ] {
        let (status, body, www) = call(&app, header).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{header:?}");
        assert_eq!(
            body["message"], "Unable to parse access token or invite code",
            "{header:?}"
        );
        assert!(
            www.starts_with("Bearer error=\"invalid_token\""),
            "{header:?}: {www}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audience_is_checked_only_when_configured() {
    let app = spawn_app_with(|s| s.oidc.audience = Some("conclave".into())).await;
    let subject = logged_in(&app, "carl").await;
    let claims = app.issuer.claims("carl");
    let right = app.issuer.sign(&claims.clone().with("aud", "conclave"));
    assert_eq!(bearer(&app, &right).await.1, json!({"subject": subject}));
    let wrong = app.issuer.sign(&claims.clone().with("aud", "someone-else"));
    assert_eq!(bearer(&app, &wrong).await.0, StatusCode::UNAUTHORIZED);

    let unconfigured = spawn_app().await;
    logged_in(&unconfigured, "carl").await;
    let any = unconfigured
        .issuer
        .sign(&unconfigured.issuer.claims("carl").with("aud", "x"));
    assert_eq!(bearer(&unconfigured, &any).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_needs_a_new_login_and_is_not_cached() {
    let app = spawn_app().await;
    logged_in(&app, "dora").await;
    let token = app.issuer.token("dora");
    assert_eq!(
        bearer(&app, &token).await.0,
        StatusCode::OK,
        "cached as valid"
    );
    let mut conn = app.db.connect().await;
    let user = rows::user_id_by_sub(&mut conn, "dora").await.unwrap();
    rows::set_id_token_exp(&mut conn, user, now() - 1).await;

    let (status, body, www) = bearer(&app, &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "The session for this user has expired");
    assert!(www.contains("The user session expired"), "{www}");

    assert_eq!(
        app.login(&app.issuer.token("dora")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        bearer(&app, &token).await.0,
        StatusCode::OK,
        "the same token works again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_subjects_tenants_and_disabled_users_get_401() {
    let app = spawn_app().await;
    let (status, body, _) = bearer(&app, &app.issuer.token("nobody")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unknown_sub"))
    );

    logged_in(&app, "ed").await;
    let mut conn = app.db.connect().await;
    let user = rows::user_id_by_sub(&mut conn, "ed").await.unwrap();
    conclave_db::models::user::User::disable(&mut conn, user, chrono::Utc::now())
        .await
        .unwrap();
    let (status, body, _) = bearer(&app, &app.issuer.token("ed")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unknown_sub"))
    );

    let by_claim =
        spawn_app_with(|s| s.tenants.assignment = TenantAssignment::ByExternalTenantId).await;
    let claims = by_claim
        .issuer
        .claims("fay")
        .with("tenant_id", "unknown-co");
    let (status, body, _) = bearer(&by_claim, &by_claim.issuer.sign(&claims)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unknown_tenant_id");
    let (_, body, _) = bearer(&by_claim, &by_claim.issuer.token("fay")).await;
    assert_eq!(body["code"], "invalid_token", "tenant claim missing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_codes_must_exist_be_active_and_unexpired() {
    let app = spawn_app().await;
    let mut conn = app.db.connect().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let cases = [
        (true, None, StatusCode::OK),
        (true, Some(3600), StatusCode::OK),
        (true, Some(-60), StatusCode::FORBIDDEN),
        (false, None, StatusCode::FORBIDDEN),
    ];
    for (active, expires, expected) in cases {
        let code = rows::insert_invite_code(&mut conn, room.id, owner.id, active, expires).await;
        let (status, body, _) = call(&app, Some(&format!("InviteCode {code}"))).await;
        assert_eq!(status, expected, "active={active} expires={expires:?}");
        if expected == StatusCode::OK {
            assert_eq!(body, json!({"subject": format!("invite::{code}")}));
        } else {
            assert_eq!(body["code"], "forbidden");
        }
    }
    let unknown = uuid::Uuid::new_v4();
    let (status, _, _) = call(&app, Some(&format!("InviteCode {unknown}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_keys_are_fetched_once_per_refresh_interval() {
    let app = spawn_app().await;
    logged_in(&app, "gus").await;
    let fetches = app.issuer.jwks_fetches();
    let claims = app.issuer.claims("gus");
    // Unknown kids within the interval do not reach the provider again.
    for _ in 0..3 {
        assert_eq!(
            bearer(&app, &forged::unknown_kid(&claims)).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    assert!(app.issuer.jwks_fetches() <= fetches + 1, "throttled");

    let rotated = SigningKey::from_pem("issuer-key-2", conclave_e2e::issuer::OTHER_KEY_PEM);
    app.issuer.publish(&rotated);
    tokio::time::sleep(conclave_api::auth::jwks::REFRESH_INTERVAL).await;
    let (status, _, _) = bearer(&app, &rotated.sign(&claims)).await;
    assert_eq!(status, StatusCode::OK, "the new kid triggers a refresh");
}

/// `GET /v1/users/me` on the real server with a literal `Authorization`.
async fn me(app: &TestApp, authorization: Option<String>) -> Reply {
    let auth = authorization.as_deref().map_or(Auth::Anonymous, Auth::Raw);
    conclave_e2e::call(app, Method::GET, "/users/me", auth, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_users_me_route_is_behind_authentication() {
    let app = spawn_app().await;
    logged_in(&app, "hal").await;
    let token = app.issuer.token("hal");
    let ok = me(&app, Some(format!("Bearer {token}"))).await;
    assert_eq!(ok.status, StatusCode::OK);
    let body = ok.body;
    assert_eq!(body["email"], "hal@example.org");

    let claims = app.issuer.claims("hal");
    for (name, authorization) in [
        ("missing header", None),
        (
            "alg none",
            Some(format!("Bearer {}", forged::alg_none(&app.issuer, &claims))),
        ),
        (
            "bad signature",
            Some(format!(
                "Bearer {}",
                forged::bad_signature(&app.issuer, &claims)
            )),
        ),
        (
            "unknown subject",
            Some(format!("Bearer {}", app.issuer.token("stranger"))),
        ),
    ] {
        let reply = me(&app, authorization).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{name}");
        assert!(reply.headers.contains_key("www-authenticate"), "{name}");
    }
}
