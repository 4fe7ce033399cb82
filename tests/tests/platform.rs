//! The server platform end to end: health probes, metrics, the OpenAPI
//! document and Swagger UI, CORS, request size limits and API discovery.

use conclave_e2e::{spawn_app, spawn_app_with};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_database() {
    let app = spawn_app().await;
    let get = |path: &'static str| app.client.get(format!("{}{path}", app.url)).send();
    assert_eq!(get("/health/live").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get("/health/ready").await.unwrap().status(), StatusCode::OK);

    // Take the database away under the running server.
    let mut admin = AsyncPgConnection::establish(&conclave_db::testing::server_url())
        .await
        .unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", app.db.name()))
        .await
        .unwrap();
    let ready = get("/health/ready").await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get("/health/live").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_label_route_patterns_and_report_the_pool() {
    let app = spawn_app().await;
    let user = uuid::Uuid::new_v4();
    for path in [
        format!("/v1/users/{user}"),
        "/no/such/path/12345".to_owned(),
    ] {
        app.client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
    }
    let metrics = app
        .client
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("conclave_http_requests_total"), "{text}");
    assert!(text.contains("conclave_db_pool_max_size 4"), "{text}");
    assert!(
        !text.contains(&user.to_string()),
        "ids never become label values"
    );
    assert!(
        !text.contains("/no/such/path"),
        "unmatched paths are masked"
    );
    assert!(text.contains("UNKNOWN"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_and_swagger_are_served_unless_disabled() {
    let app = spawn_app().await;
    let doc = app
        .client
        .get(format!("{}/v1/openapi.json", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), StatusCode::OK);
    let doc: Value = doc.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/users/me"]["get"].is_object());
    let ui = app
        .client
        .get(format!("{}/swagger/", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(
        ui.text().await.unwrap().contains("swagger"),
        "the vendored UI is served"
    );

    let app = spawn_app_with(|s| s.endpoints.disable_openapi = true).await;
    let doc = app
        .client
        .get(format!("{}/v1/openapi.json", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_preflight_allows_any_origin() {
    let app = spawn_app().await;
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/v1/users/me", app.url))
        .header("origin", "https://meet.example.com")
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let allow = response
        .headers()
        .get("access-control-allow-origin")
        .unwrap();
    assert_eq!(allow, "*");
    let methods = response
        .headers()
        .get("access-control-allow-methods")
        .unwrap();
    assert!(methods.to_str().unwrap().contains("PATCH"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_before_parsing() {
    let app = spawn_app().await;
    let token = app.issuer.token("olga");
    assert_eq!(app.login(&token).await.status(), StatusCode::OK);
    let body = format!(r#"{{"title":"{}"}}"#, "x".repeat(300 * 1024));
    let response = app
        .client
        .patch(format!("{}/v1/users/me", app.url))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let err: Value = response.json().await.unwrap();
    assert_eq!(err["code"], "payload_overflow");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_discovery_names_v1() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/.well-known/opentalk/api", app.url))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"opentalk_api": {"v1": {"base_url": "v1"}}})
    );
}
