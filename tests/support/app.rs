//! `spawn_app()`: the real server on port 0 over a fresh test database,
//! trusting a fake OIDC issuer.

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use conclave_api::auth::Identity;
use conclave_api::server::{RunningServer, build_state, start};
use conclave_api::{AppState, Settings};
use conclave_db::testing::TestDb;
use serde_json::json;

use crate::issuer::FakeIssuer;

/// A running server with its database, issuer and an HTTP client.
pub struct TestApp {
    /// Base URL of the real server, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// Base URL of the probe server: the same state, one route
    /// `GET /v1/whoami` behind the authentication middleware, answering
    /// `{"subject": "<casbin subject>"}`.
    pub probe_url: String,
    /// HTTP client.
    pub client: reqwest::Client,
    /// The fake identity provider the server trusts.
    pub issuer: FakeIssuer,
    /// The server's state (settings, pool, authenticator).
    pub state: AppState,
    /// The test database (dropped with the app).
    pub db: TestDb,
    server: RunningServer,
    probe: actix_web::dev::ServerHandle,
}

/// Settings for a test server: the database at `db_url`, the issuer at
/// `issuer_url`, port 0, one worker, everything else at its defaults.
pub fn test_settings(db_url: &str, issuer_url: &str) -> Settings {
    serde_json::from_value(json!({
        "database": {"url": db_url, "max_connections": 4},
        "http": {"port": 0, "workers": 1, "shutdown_timeout_secs": 1},
        "oidc": {"authority": issuer_url},
        "authz": {"listen_for_changes": false},
    }))
    .expect("test settings")
}

/// Starts the app with default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after `configure` adjusted the settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with_state(configure, |_| {}).await
}

/// Starts the app after `configure` adjusted the settings and `adjust`
/// the built state (for example to plug in a fake external provider).
pub async fn spawn_app_with_state(
    configure: impl FnOnce(&mut Settings),
    adjust: impl FnOnce(&mut AppState),
) -> TestApp {
    let issuer = FakeIssuer::start().await;
    let db = TestDb::new().await;
    let mut settings = test_settings(db.url(), &issuer.url);
    configure(&mut settings);
    let mut state = build_state(settings).await.expect("build state");
    adjust(&mut state);
    let server = start(state.clone()).await.expect("start server");
    let (probe, probe_url) = start_probe(state.clone()).expect("start probe");
    TestApp {
        url: format!("http://{}", server.addr),
        probe_url,
        client: reqwest::Client::new(),
        issuer,
        state,
        db,
        server,
        probe,
    }
}

async fn whoami(identity: Identity) -> HttpResponse {
    HttpResponse::Ok().json(json!({"subject": identity.casbin_subject()}))
}

fn start_probe(state: AppState) -> std::io::Result<(actix_web::dev::ServerHandle, String)> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).service(
            web::scope("/v1")
                .wrap(from_fn(conclave_api::auth::authenticate))
                .route("/whoami", web::get().to(whoami)),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))?;
    let addr = server.addrs()[0];
    let server = server.shutdown_timeout(1).run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok((handle, format!("http://{addr}")))
}

impl TestApp {
    /// `POST /v1/auth/login` with `id_token`.
    pub async fn login(&self, id_token: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/auth/login", self.url))
            .json(&json!({"id_token": id_token}))
            .send()
            .await
            .expect("login request")
    }

    /// `GET /v1/whoami` on the probe with an `Authorization` header value.
    pub async fn whoami(&self, authorization: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}/v1/whoami", self.probe_url));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.send().await.expect("whoami request")
    }

    /// Stops both servers.
    pub async fn stop(self) {
        self.probe.stop(true).await;
        self.server.stop().await;
    }
}
