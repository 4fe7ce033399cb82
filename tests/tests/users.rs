//! `/v1/users…` end to end: the real server behind authentication and the
//! ACL, real JWTs and the real database (api.md §7.2).

use conclave_api::config::{TenantAssignment, UsersFindBehavior};
use conclave_e2e::{Auth, TestApp, login_with, rows, spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Logs `sub` in (with extra claims) and returns its access token.
async fn login(app: &TestApp, sub: &str, extra: &[(&str, Value)]) -> String {
    let claims = extra
        .iter()
        .fold(app.issuer.claims(sub), |claims, (name, value)| {
            claims.with(name, value.clone())
        });
    login_with(app, sub, claims).await.token
}

/// The shared request as `(status, body)`, which these tests destructure.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let auth = token.map_or(Auth::Anonymous, Auth::Bearer);
    let reply = conclave_e2e::call(app, method, path, auth, body).await;
    (reply.status, reply.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_returns_the_private_profile() {
    let app = spawn_app().await;
    let token = login(&app, "alice", &[("email", json!("Alice@Example.org"))]).await;
    let (status, me) = call(&app, Method::GET, "/users/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], "alice@example.org");
    assert_eq!(me["firstname"], "Given alice");
    assert_eq!(me["display_name"], "Given alice Family");
    assert_eq!(me["language"], "en-US");
    assert_eq!(me["dashboard_theme"], "system");
    assert_eq!(me["tariff_status"], "default");
    assert_eq!(me["used_storage"], 0);
    // md5("alice@example.org") under the default libravatar base.
    let avatar = format!(
        "https://seccdn.libravatar.org/avatar/{}",
        md5_hex("alice@example.org")
    );
    assert_eq!(me["avatar_url"], avatar);
    let (status, body) = call(&app, Method::GET, "/users/me", None, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let token = login(&app, "ruth", &[]).await;
    let mut seen = std::collections::HashSet::new();
    for (path, token) in [
        ("/v1/users/me", Some(&token)),
        ("/v1/users/me", None),
        ("/v1/nope", None),
    ] {
        let mut request = app.client.get(format!("{}{path}", app.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let id = response
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned());
        let id = id.unwrap_or_else(|| panic!("no x-request-id on {path} ({})", response.status()));
        assert!(seen.insert(id), "request ids are unique");
    }
}

fn md5_hex(text: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_me_changes_only_the_five_settings() {
    let app = spawn_app().await;
    let token = login(&app, "bob", &[]).await;
    let body = r#"{"title":"Dr.","display_name":"Bobby","language":"de-DE","dashboard_theme":"dark","conference_theme":"light"}"#;
    let (status, me) = call(&app, Method::PATCH, "/users/me", Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (
            &me["title"],
            &me["display_name"],
            &me["language"],
            &me["dashboard_theme"],
            &me["conference_theme"]
        ),
        (
            &json!("Dr."),
            &json!("Bobby"),
            &json!("de-DE"),
            &json!("dark"),
            &json!("light")
        )
    );
    let (status, _) = call(&app, Method::PATCH, "/users/me", Some(&token), Some("{}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, me) = call(&app, Method::GET, "/users/me", Some(&token), None).await;
    assert_eq!(
        me["display_name"], "Bobby",
        "an empty patch changes nothing"
    );

    let long_title = format!(r#"{{"title":"{}"}}"#, "é".repeat(128)); // 256 bytes
    let bad: [(&str, &str); 6] = [
        (long_title.as_str(), "invalid_json"),
        (r#"{"language":7}"#, "invalid_json"),
        (r#"{"email":"x@y.z"}"#, "invalid_json"),
        (r#"{"title":"#, "invalid_json"),
        ("[]", "invalid_json"),
        ("null", "invalid_json"),
    ];
    for (body, code) in bad {
        let (status, err) = call(&app, Method::PATCH, "/users/me", Some(&token), Some(body)).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{body}"
        );
    }
    let response = app
        .client
        .patch(format!("{}/v1/users/me", app.url))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let err: Value = response.json().await.unwrap();
    assert_eq!(err["code"], "invalid_content_type");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_name_changes_can_be_prohibited() {
    let app = spawn_app_with(|s| s.endpoints.disallow_custom_display_name = true).await;
    let token = login(&app, "carol", &[]).await;
    let (status, err) = call(
        &app,
        Method::PATCH,
        "/users/me",
        Some(&token),
        Some(r#"{"display_name":"Caz"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["message"], "changing the display name is prohibited");
    // The unchanged name is accepted.
    let same = r#"{"display_name":"Given carol Family","title":"Prof."}"#;
    let (status, me) = call(&app, Method::PATCH, "/users/me", Some(&token), Some(same)).await;
    assert_eq!((status, &me["title"]), (StatusCode::OK, &json!("Prof.")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tariff_lists_quotas_and_enabled_modules() {
    let app =
        spawn_app_with(|s| s.defaults.disabled_features = vec!["recording::stream".into()]).await;
    let token = login(&app, "dave", &[]).await;
    {
        use conclave_db::schema::tariffs;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        let mut conn = app.db.connect().await;
        diesel::update(tariffs::table.filter(tariffs::name.eq("OpenTalkDefaultTariff")))
            .set((
                tariffs::quotas.eq(json!({"max_storage": 5000, "vendor_x": 1})),
                tariffs::disabled_modules.eq(vec!["whiteboard"]),
                tariffs::disabled_features.eq(vec!["call_in"]),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let (status, tariff) = call(&app, Method::GET, "/users/me/tariff", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{tariff}");
    assert_eq!(tariff["name"], "OpenTalkDefaultTariff");
    assert_eq!(
        tariff["quotas"],
        json!({"max_storage": 5000, "vendor_x": 1})
    );
    let modules = tariff["modules"].as_object().unwrap();
    assert!(!modules.contains_key("whiteboard"));
    assert_eq!(
        modules["core"],
        json!({"features": []}),
        "bare call_in means core::call_in"
    );
    assert_eq!(
        modules["recording"],
        json!({"features": ["record"]}),
        "globally disabled stream"
    );
    assert_eq!(modules["chat"], json!({"features": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_is_off_by_default_and_searches_the_own_tenant() {
    let app = spawn_app().await;
    let token = login(&app, "erin", &[]).await;
    let (status, _) = call(&app, Method::GET, "/users/find?q=eri", Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "disabled by default");

    let app = spawn_app_with(|s| {
        s.user_search.users_find_behavior = UsersFindBehavior::FromDatabase;
        s.tenants.assignment = TenantAssignment::ByExternalTenantId;
    })
    .await;
    let token = login(
        &app,
        "frank",
        &[
            ("tenant_id", json!("t1")),
            ("family_name", json!("Lazarus")),
        ],
    )
    .await;
    login(
        &app,
        "grace",
        &[
            ("tenant_id", json!("t1")),
            ("family_name", json!("Lasarus")),
        ],
    )
    .await;
    login(
        &app,
        "heidi",
        &[
            ("tenant_id", json!("t2")),
            ("family_name", json!("Lazarus")),
        ],
    )
    .await;

    // A substring match, and a soundex match within a small edit distance.
    for (query, expected) in [
        ("lazarus", "Given frank"),
        ("Given%20grace%20Lazarus", "Given grace"),
    ] {
        let path = format!("/users/find?q={query}");
        let (status, found) = call(&app, Method::GET, &path, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{found}");
        let entries = found.as_array().unwrap();
        let names: Vec<&str> = entries
            .iter()
            .map(|e| e["firstname"].as_str().unwrap())
            .collect();
        assert!(names.contains(&expected), "{query}: {names:?}");
        assert!(
            !names.contains(&"Given heidi"),
            "other tenants are never found: {names:?}"
        );
        assert!(entries.iter().all(|e| e["kind"] == "registered"));
    }

    let (status, err) = call(&app, Method::GET, "/users/find?q=la", Some(&token), None).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("query_too_short"))
    );
    let (status, err) = call(&app, Method::GET, "/users/find", Some(&token), None).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_profiles_need_a_grant_and_stay_in_the_tenant() {
    let app = spawn_app_with(|s| s.tenants.assignment = TenantAssignment::ByExternalTenantId).await;
    let token = login(&app, "ivan", &[("tenant_id", json!("t1"))]).await;
    login(&app, "judy", &[("tenant_id", json!("t1"))]).await;
    login(&app, "mallory", &[("tenant_id", json!("t2"))]).await;
    let mut conn = app.db.connect().await;
    let ivan = rows::user_id_by_sub(&mut conn, "ivan").await.unwrap();
    let judy = rows::user_id_by_sub(&mut conn, "judy").await.unwrap();
    let mallory = rows::user_id_by_sub(&mut conn, "mallory").await.unwrap();

    // No default rule grants /users/{id} (api.md §7.2): the ACL answers 403.
    let (status, err) = call(
        &app,
        Method::GET,
        &format!("/users/{judy}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );

    app.state
        .authz
        .apply(&conclave_domain::access::AccessChange {
            grants: vec![conclave_domain::access::Policy::new(
                conclave_domain::access::Subject::User(ivan),
                "/users/*",
                &[conclave_domain::access::Action::Get],
            )],
            ..Default::default()
        })
        .await
        .unwrap();
    let (status, judy_profile) = call(
        &app,
        Method::GET,
        &format!("/users/{judy}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{judy_profile}");
    assert_eq!(judy_profile["id"], judy.to_string());
    assert!(
        judy_profile.get("language").is_none(),
        "public profile only"
    );
    let (status, _) = call(
        &app,
        Method::GET,
        &format!("/users/{mallory}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "other tenant");
    let (status, err) = call(&app, Method::GET, "/users/not-a-uuid", Some(&token), None).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}
