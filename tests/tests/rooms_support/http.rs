//! Helpers shared by the room suites (`rooms*.rs`, `room_invites.rs`):
//! logging people in, calling the API with a bearer token or an invite
//! code, and reading what the API wrote.

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_domain::access::{AccessChange, Policy};
use conclave_domain::ids::UserId;
use conclave_e2e::{TestApp, rows};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No `Authorization` header.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: InviteCode <code>`.
    Invite(&'a str),
}

/// A response: status, JSON body (`Null` when empty or not JSON), headers.
#[derive(Debug)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The parsed body.
    pub body: Value,
    /// The headers.
    pub headers: HeaderMap,
}

impl Reply {
    /// `(status, body["code"])`, for error assertions.
    pub fn error(&self) -> (StatusCode, Option<&str>) {
        (self.status, self.body["code"].as_str())
    }

    /// The `Link` header (empty string when absent).
    pub fn link(&self) -> &str {
        self.headers
            .get("link")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A logged-in person.
pub struct Person {
    /// The access token.
    pub token: String,
    /// The user id.
    pub id: UserId,
}

impl Person {
    /// As bearer auth.
    pub fn auth(&self) -> Auth<'_> {
        Auth::Bearer(&self.token)
    }
}

/// Logs `sub` in and returns the token and the user id.
pub async fn login(app: &TestApp, sub: &str) -> Person {
    let token = app.issuer.token(sub);
    assert_eq!(
        app.login(&token).await.status(),
        StatusCode::OK,
        "login {sub}"
    );
    let mut conn = app.db.connect().await;
    let id = rows::user_id_by_sub(&mut conn, sub)
        .await
        .expect("user row");
    Person { token, id }
}

/// Calls `/v1{path}` with a raw body (sent as `application/json`).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    body: Option<&str>,
) -> Reply {
    let authorization = match auth {
        Auth::None => None,
        Auth::Bearer(token) => Some(format!("Bearer {token}")),
        Auth::Invite(code) => Some(format!("InviteCode {code}")),
    };
    let response = app.send(method, path, authorization, body).await;
    Reply {
        status: response.status,
        body: response.body,
        headers: response.headers,
    }
}

/// `POST /rooms` with `body`; asserts 201 and returns the room resource.
pub async fn create_room(app: &TestApp, who: &Person, body: Value) -> Value {
    let reply = call(
        app,
        Method::POST,
        "/rooms",
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

/// `POST /rooms/{room}/invites` with `body`; asserts 200 and returns the code.
pub async fn create_invite(app: &TestApp, who: &Person, room: &str, body: Value) -> Value {
    let path = format!("/rooms/{room}/invites");
    let reply = call(
        app,
        Method::POST,
        &path,
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// A room id (or other string field) of a resource.
pub fn id(resource: &Value, field: &str) -> String {
    resource[field].as_str().expect("id field").to_owned()
}

/// Grants `policies` through the server's own authorizer (rules and cache).
pub async fn grant(app: &TestApp, policies: Vec<Policy>) {
    let change = AccessChange {
        grants: policies,
        ..AccessChange::default()
    };
    app.state.authz.apply(&change).await.expect("grant");
}

/// Runs a statement with one text parameter (for seeding and counting).
pub async fn execute(app: &TestApp, sql: &str, param: &str) -> usize {
    let mut conn = app.db.connect().await;
    diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .execute(&mut conn)
        .await
        .expect(sql)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// `SELECT count(*) AS n …` with one text parameter.
pub async fn count(app: &TestApp, sql: &str, param: &str) -> i64 {
    let mut conn = app.db.connect().await;
    let row: Count = diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .get_result(&mut conn)
        .await
        .expect(sql);
    row.n
}

/// How many `casbin_rule` rows mention `needle` in any column.
pub async fn rules_mentioning(app: &TestApp, needle: &str) -> i64 {
    count(
        app,
        "SELECT count(*) AS n FROM casbin_rule WHERE concat_ws(' ', ptype, v0, v1, v2, v3, v4, v5) \
         LIKE '%' || $1 || '%'",
        needle,
    )
    .await
}

/// An empty JSON object body.
pub fn empty() -> Value {
    json!({})
}

/// How many rows `table` has.
pub async fn rows_in(app: &TestApp, table: &str) -> i64 {
    count(
        app,
        &format!("SELECT count(*) AS n FROM {table} WHERE $1 = ''"),
        "",
    )
    .await
}
