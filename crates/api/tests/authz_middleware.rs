//! The ACL middleware: statuses, bodies and the `/v1` prefix.

use actix_web::body::to_bytes;
use actix_web::dev::Service;
use actix_web::http::{Method, StatusCode, header};
use actix_web::{App, HttpMessage, HttpResponse, test, web};
use conclave_api::authz::{Acl, Authorizer, Subject};
use conclave_api::config::AuthzSettings;
use conclave_db::testing::TestDb;
use conclave_domain::access;
use conclave_domain::ids::{RoomId, UserId};
use serde_json::{Value, json};
use uuid::Uuid;

const SUBJECT_HEADER: &str = "x-test-subject";

/// An app whose every route answers 200 behind the ACL; the subject comes
/// from a test header (standing in for the authentication middleware).
macro_rules! app {
    ($authz:expr) => {
        test::init_service(
            App::new()
                .wrap(Acl::new($authz))
                .wrap_fn(|req, srv| {
                    let subject = req
                        .headers()
                        .get(SUBJECT_HEADER)
                        .and_then(|v| v.to_str().ok());
                    if let Some(subject) = subject.map(str::to_owned) {
                        req.extensions_mut().insert(Subject(subject));
                    }
                    srv.call(req)
                })
                .default_service(web::to(HttpResponse::Ok)),
        )
        .await
    };
}

fn settings() -> AuthzSettings {
    AuthzSettings {
        cache_capacity: 10,
        listen_for_changes: false,
    }
}

/// Sends one request; answers (status, WWW-Authenticate, JSON body or null).
macro_rules! call {
    ($app:expr, $method:expr, $path:expr, $subject:expr) => {{
        let mut req = test::TestRequest::default().method($method).uri($path);
        let subject: Option<&str> = $subject;
        if let Some(subject) = subject {
            req = req.insert_header((SUBJECT_HEADER, subject));
        }
        let res = test::call_service($app, req.to_request()).await;
        let status = res.status();
        let auth = res
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = to_bytes(res.into_body()).await.unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        (status, auth, body)
    }};
}

#[actix_web::test]
async fn answers_401_403_or_passes() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    let user = UserId::from(Uuid::new_v4());
    let room = RoomId::from(Uuid::new_v4());
    authz.apply(&access::create_room(user, room)).await.unwrap();
    let app = app!(authz);
    let owner = format!("user::{user}");
    let stranger = format!("user::{}", Uuid::new_v4());
    let room_path = format!("/v1/rooms/{room}");

    let (status, _, body) = call!(&app, Method::GET, &room_path, Some(&owner));
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    let (status, _, _) = call!(
        &app,
        Method::PATCH,
        &format!("/v2/rooms/{room}"),
        Some(&owner)
    );
    assert_eq!(status, StatusCode::OK, "any /v<digits> prefix is stripped");
    let (status, _, _) = call!(&app, Method::GET, &format!("/rooms/{room}"), Some(&owner));
    assert_eq!(status, StatusCode::OK, "the prefix is optional");

    let forbidden =
        json!({"code": "forbidden", "message": "Access to the requested resource is forbidden"});
    for (method, path, subject) in [
        (Method::GET, room_path.clone(), &stranger),
        (Method::POST, room_path.clone(), &owner),
        (Method::GET, format!("/v1x/rooms/{room}"), &owner),
    ] {
        let (status, _, body) = call!(&app, method.clone(), &path, Some(subject));
        assert_eq!(
            (status, body),
            (StatusCode::FORBIDDEN, forbidden.clone()),
            "{method} {path}"
        );
    }

    let (status, auth, body) = call!(&app, Method::GET, &room_path, None);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    assert_eq!(
        auth.as_deref(),
        Some(
            "Bearer error=\"invalid_token\", error_description=\"The provided access token is invalid\""
        )
    );

    let (status, _, _) = call!(&app, Method::OPTIONS, &room_path, None);
    assert_eq!(status, StatusCode::OK, "OPTIONS always passes");
}

#[actix_web::test]
async fn engine_failures_answer_500() {
    // A pool whose database does not exist: every load fails.
    let url =
        conclave_db::testing::with_database(&conclave_db::testing::server_url(), "no_such_db");
    let pool = conclave_db::build_pool(&url, &conclave_db::PoolConfig::default()).unwrap();
    let app = app!(Authorizer::new(pool, &settings(), &url));
    let (status, _, body) = call!(&app, Method::GET, "/v1/rooms", Some("user::x"));
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], "internal_server_error");
}
