//! Sending one API request in a test: the request building that every suite
//! needs, so suite helpers only adapt it to their own vocabulary.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::TestApp;

/// A response: status, headers, and the JSON body (`Null` when the body is
/// empty or not JSON).
#[derive(Debug)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The parsed body.
    pub body: Value,
}

impl TestApp {
    /// Sends `method /v1{path}` with an optional `Authorization` header value
    /// and an optional raw JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        authorization: Option<String>,
        body: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}/v1{path}", self.url));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
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
        Response {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }
}
