//! Sending one API request in a test and reading its answer: the
//! credentials ([`Auth`]), the one request helper ([`call_with`], with the
//! shorthands [`call`] and [`call_json`]) and the answer ([`Reply`]).

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::TestApp;
use conclave_domain::ids::InviteCodeId;

/// The credentials of a request.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No `Authorization` header.
    Anonymous,
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: InviteCode <uuid>`.
    InviteCode(InviteCodeId),
    /// `Authorization: InviteCode <text>`, for codes read from a response
    /// body (or deliberately malformed ones).
    Invite(&'a str),
    /// A literal `Authorization` header value (for malformed headers).
    Raw(&'a str),
}

impl Auth<'_> {
    /// The `Authorization` header value, if any.
    pub fn header(&self) -> Option<String> {
        match self {
            Auth::Anonymous => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::InviteCode(code) => Some(format!("InviteCode {code}")),
            Auth::Invite(code) => Some(format!("InviteCode {code}")),
            Auth::Raw(value) => Some((*value).to_owned()),
        }
    }
}

/// An answer: status, headers, the raw body text and the body as JSON.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body text.
    pub text: String,
    /// The body as JSON, `Null` when it is empty or not JSON.
    pub body: Value,
    /// The body as JSON, `None` when it is empty or not JSON (the form the
    /// authorization matrices read).
    pub json: Option<Value>,
    /// The `WWW-Authenticate` header, if any.
    pub www_authenticate: Option<String>,
}

impl Reply {
    /// The value of header `name`, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Link` header (empty string when absent).
    pub fn link(&self) -> &str {
        self.header("link").unwrap_or("")
    }

    /// The `ETag` header, if any.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The error `code` of the body, if any.
    pub fn code(&self) -> Option<&str> {
        self.body["code"].as_str()
    }

    /// `(status, code)`, for error assertions.
    pub fn error(&self) -> (StatusCode, Option<&str>) {
        (self.status, self.code())
    }

    /// `(status as a number, code)`, for compact error assertions.
    pub fn answer(&self) -> (u16, Option<&str>) {
        (self.status.as_u16(), self.code())
    }
}

impl TestApp {
    /// The absolute URL of `/v1{path}`.
    pub fn v1(&self, path: &str) -> String {
        format!("{}/v1{path}", self.url)
    }
}

/// Sends `method url` (absolute) with `auth`, extra `headers` and an
/// optional raw body (sent as `application/json`, so malformed JSON can be
/// tested too). Every other request helper ends here.
pub async fn call_with(
    app: &TestApp,
    method: Method,
    url: &str,
    auth: Auth<'_>,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Reply {
    let mut request = app.client.request(method, url);
    if let Some(value) = auth.header() {
        request = request.header("authorization", value);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json: Option<Value> = serde_json::from_str(&text).ok();
    Reply {
        status,
        www_authenticate: headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        headers,
        text,
        body: json.clone().unwrap_or(Value::Null),
        json,
    }
}

/// Sends `method /v1{path}` with `auth` and an optional raw JSON body.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    body: Option<&str>,
) -> Reply {
    call_with(app, method, &app.v1(path), auth, &[], body).await
}

/// Sends `method /v1{path}` with `auth` and an optional JSON value body.
pub async fn call_json(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    body: Option<&Value>,
) -> Reply {
    let text = body.map(Value::to_string);
    call(app, method, path, auth, text.as_deref()).await
}

/// The string field `field` of a resource (typically an id); panics when
/// it is missing or not a string.
pub fn id(resource: &Value, field: &str) -> String {
    resource[field].as_str().expect("id field").to_owned()
}

/// An empty JSON object body.
pub fn empty() -> Value {
    json!({})
}

/// The URL inside a `Link` value `<…>; rel="after"`; panics (failing the
/// test) when the value has another shape.
pub fn after_url(link: &str) -> String {
    assert!(link.ends_with("rel=\"after\""), "{link}");
    let start = link.find('<').expect("<") + 1;
    let end = link.find('>').expect(">");
    link[start..end].to_owned()
}
