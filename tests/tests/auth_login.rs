//! `POST /v1/auth/login` end to end: real server, real JWTs, real database
//! (api.md §5.4, rules.md §20.3, §8.4, §7.8, §11.3).

use conclave_api::config::TenantAssignment;
use conclave_db::models::tenant::Tenant;
use conclave_db::models::user::User;
use conclave_db::testing::fixtures;
use conclave_domain::tariff::TariffStatus;
use conclave_e2e::rows;
use conclave_e2e::{spawn_app, spawn_app_with, user_by_sub};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn expect_status(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.expect("JSON body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_login_names_the_provider() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/v1/auth/login", app.url))
        .send()
        .await
        .unwrap();
    let body = expect_status(response, StatusCode::OK).await;
    assert_eq!(
        body,
        json!({"oidc": {"name": "default", "url": app.issuer.url}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_creates_the_user_with_groups_and_role() {
    let app = spawn_app().await;
    let claims = app
        .issuer
        .claims("alice")
        .with("email", "Alice@Example.ORG")
        .with("picture", "https://img.example.org/alice.png")
        .with("x_grp", json!(["staff", "admins", "staff"]));
    let exp = claims.0["exp"].as_i64().unwrap();
    let body = expect_status(app.login(&app.issuer.sign(&claims)).await, StatusCode::OK).await;
    assert_eq!(body, json!({"permissions": []}));

    let user = user_by_sub(&app, "alice").await;
    let mut conn = app.db.connect().await;
    let tenant = fixtures::default_tenant(&mut conn).await;
    let tariff = fixtures::default_tariff(&mut conn).await;
    assert_eq!(user.email, "alice@example.org");
    assert_eq!(
        (user.firstname.as_str(), user.lastname.as_str()),
        ("Given alice", "Family")
    );
    assert_eq!(user.display_name, "Given alice Family");
    assert_eq!(
        user.avatar_url.as_deref(),
        Some("https://img.example.org/alice.png")
    );
    assert_eq!((user.title.as_str(), user.language.as_str()), ("", "en-US"));
    assert_eq!(user.phone, None, "no call-in configured");
    assert_eq!(user.id_token_exp, exp);
    assert_eq!((user.tenant_id, user.tariff_id), (tenant.id, tariff.id));
    assert_eq!(user.tariff_status, TariffStatus::Default);
    assert_eq!(
        rows::group_names(&mut conn, user.id).await,
        ["admins", "staff"]
    );
    let links = rows::role_links(&mut conn, &format!("user::{}", user.id)).await;
    assert_eq!(links.len(), 3, "{links:?}");
    assert!(links.contains(&"role::user".to_owned()));
    assert_eq!(links.iter().filter(|l| l.starts_with("group::")).count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_logins_update_fields_and_synchronise_groups() {
    let app = spawn_app().await;
    let first = app.issuer.claims("bob").with("x_grp", json!(["a", "b"]));
    expect_status(app.login(&app.issuer.sign(&first)).await, StatusCode::OK).await;
    let created = user_by_sub(&app, "bob").await;

    let second = app
        .issuer
        .claims("bob")
        .with("email", "Robert@Example.org")
        .with("given_name", "Robert")
        .with("nickname", "Bobby")
        .with("exp", created.id_token_exp + 600)
        .with("x_grp", json!(["b", "c"]));
    expect_status(app.login(&app.issuer.sign(&second)).await, StatusCode::OK).await;
    let user = user_by_sub(&app, "bob").await;
    assert_eq!(user.id, created.id, "same account");
    assert_eq!(
        (user.email.as_str(), user.firstname.as_str()),
        ("robert@example.org", "Robert")
    );
    assert_eq!(
        user.display_name, created.display_name,
        "custom display names are kept"
    );
    assert_eq!(user.id_token_exp, created.id_token_exp + 600);

    let mut conn = app.db.connect().await;
    assert_eq!(rows::group_names(&mut conn, user.id).await, ["b", "c"]);
    let links = rows::role_links(&mut conn, &format!("user::{}", user.id)).await;
    assert_eq!(links.len(), 3, "role::user plus two groups: {links:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_name_follows_the_token_when_custom_names_are_disallowed() {
    let app = spawn_app_with(|s| s.endpoints.disallow_custom_display_name = true).await;
    expect_status(app.login(&app.issuer.token("carol")).await, StatusCode::OK).await;
    let claims = app
        .issuer
        .claims("carol")
        .with("nickname", "  Caro   Line ");
    expect_status(app.login(&app.issuer.sign(&claims)).await, StatusCode::OK).await;
    assert_eq!(user_by_sub(&app, "carol").await.display_name, "Caro Line");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_come_from_the_claim_under_external_assignment() {
    let app = spawn_app_with(|s| s.tenants.assignment = TenantAssignment::ByExternalTenantId).await;
    let claims = app.issuer.claims("dave").with("tenant_id", "acme");
    expect_status(app.login(&app.issuer.sign(&claims)).await, StatusCode::OK).await;
    let mut conn = app.db.connect().await;
    let acme = Tenant::find_by_oidc_tenant_id(&mut conn, "acme")
        .await
        .unwrap();
    let acme = acme.expect("tenant created on demand");
    assert_eq!(user_by_sub(&app, "dave").await.tenant_id, acme.id);

    let body = expect_status(
        app.login(&app.issuer.token("erin")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["code"], "invalid_claims");
    assert!(rows::user_id_by_sub(&mut conn, "erin").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_invite_becomes_a_user_invite_at_first_login() {
    let app = spawn_app().await;
    let mut conn = app.db.connect().await;
    let inviter = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &inviter).await;
    let event = rows::insert_event(&mut conn, inviter.tenant_id, room.id, inviter.id).await;
    rows::insert_email_invite(&mut conn, event, "newbie@example.org", inviter.id).await;

    let claims = app
        .issuer
        .claims("newbie")
        .with("email", "NewBie@example.org");
    expect_status(app.login(&app.issuer.sign(&claims)).await, StatusCode::OK).await;
    let user = user_by_sub(&app, "newbie").await;
    assert_eq!(
        rows::email_invite_count(&mut conn, "newbie@example.org").await,
        0
    );
    let invites = rows::event_invites_of(&mut conn, user.id).await;
    assert_eq!(
        invites,
        [(
            event,
            inviter.id,
            "moderator".to_owned(),
            "pending".to_owned()
        )]
    );
    let policies = rows::policies(&mut conn, &format!("user::{}", user.id)).await;
    for expected in [
        (format!("/events/{event}"), "GET"),
        (format!("/events/{event}/invite"), "PATCH|DELETE"),
        (format!("/rooms/{}", room.id), "GET"),
        (format!("/rooms/{}/start", room.id), "POST"),
    ] {
        assert!(
            policies.contains(&(expected.0.clone(), expected.1.to_owned())),
            "{expected:?} missing from {policies:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_user_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let first = app.issuer.claims("frank").with("x_grp", json!(["a"]));
    expect_status(app.login(&app.issuer.sign(&first)).await, StatusCode::OK).await;
    let mut conn = app.db.connect().await;
    let before = user_by_sub(&app, "frank").await;
    User::disable(&mut conn, before.id, chrono::Utc::now())
        .await
        .unwrap();

    let second = app
        .issuer
        .claims("frank")
        .with("given_name", "Changed")
        .with("exp", before.id_token_exp + 900)
        .with("x_grp", json!(["z"]));
    let body = expect_status(
        app.login(&app.issuer.sign(&second)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        body,
        json!({"code": "forbidden", "message": "The user account is disabled"})
    );
    let after = user_by_sub(&app, "frank").await;
    assert_eq!(
        (after.firstname, after.id_token_exp),
        (before.firstname, before.id_token_exp)
    );
    assert_eq!(rows::group_names(&mut conn, before.id).await, ["a"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_id_tokens_are_refused_with_their_codes() {
    let app = spawn_app().await;
    let now = conclave_e2e::now();
    let expired = app
        .issuer
        .claims("gina")
        .with("exp", now - 600)
        .with("iat", now - 4000);
    let response = app.login(&app.issuer.sign(&expired)).await;
    let www = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(www.contains("The user session expired"), "{www}");
    assert_eq!(
        expect_status(response, StatusCode::UNAUTHORIZED).await["code"],
        "unauthorized"
    );

    let forged = conclave_e2e::forged::bad_signature(&app.issuer, &app.issuer.claims("gina"));
    let response = app.login(&forged).await;
    let www = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(www.contains("The provided id token is invalid"), "{www}");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let missing = app.issuer.claims("gina").without("email");
    let body = expect_status(
        app.login(&app.issuer.sign(&missing)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["code"], "invalid_claims");
    let mut conn = app.db.connect().await;
    assert!(rows::user_id_by_sub(&mut conn, "gina").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_tokens_are_accepted_only_in_dev_mode() {
    use conclave_api::auth::{DevUser, mint_dev_token};
    use conclave_api::config::DevSettings;
    let dev = DevSettings {
        enabled: true,
        ..DevSettings::default()
    };
    let token = mint_dev_token(&dev, &DevUser::named("zoe")).unwrap();

    let normal = spawn_app().await;
    assert_eq!(
        normal.login(&token).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let app = spawn_app_with(|s| s.dev = dev.clone()).await;
    expect_status(app.login(&token).await, StatusCode::OK).await;
    assert_eq!(user_by_sub(&app, "zoe").await.email, "zoe@example.org");
    let response = app.whoami(Some(&format!("Bearer {token}"))).await;
    assert_eq!(response.status(), StatusCode::OK, "also an access token");
    expect_status(app.login(&app.issuer.token("yan")).await, StatusCode::OK).await;
}
