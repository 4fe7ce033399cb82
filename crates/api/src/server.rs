//! Building and running the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::{ServerHandle, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpMessage, HttpServer, web};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;
use crate::error::extractors;
use crate::state::AppState;

/// A running server: its bound address and a handle to stop it.
pub struct RunningServer {
    /// The address it listens on (useful with port 0).
    pub addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops gracefully, finishing in-flight requests, and waits for the end.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }

    /// Waits until the server ends (for example on Ctrl-C).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Builds the state from settings: pool, and optional migrations.
pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    if settings.database.migrate_on_start {
        conclave_db::migrate(&settings.database.url).await?;
    }
    let pool_config = conclave_db::PoolConfig {
        max_size: settings.database.max_connections,
        wait_timeout: Duration::from_secs(settings.database.pool_timeout_secs),
        ..conclave_db::PoolConfig::default()
    };
    let pool = conclave_db::build_pool(&settings.database.url, &pool_config)?;
    let auth = Arc::new(crate::auth::Authenticator::from_settings(&settings)?);
    auth.warm_up().await;
    let authz =
        crate::authz::Authorizer::new(pool.clone(), &settings.authz, &settings.database.url);
    // Every start makes sure role::user's default rules exist (rules.md §11.3).
    authz
        .install_default_rules()
        .await
        .map_err(|e| anyhow::anyhow!("cannot install the default access rules: {e}"))?;
    let modules = Arc::new(settings.module_catalogue()?);
    let global_disabled_features = Arc::new(settings.global_disabled_features()?);
    let tickets = Arc::new(crate::ticket::TicketIssuer::from_settings(
        &settings.signaling,
    ));
    Ok(AppState {
        settings: Arc::new(settings),
        pool,
        auth,
        authz,
        modules,
        global_disabled_features,
        tickets,
        // No provider adapter exists yet (docs/configuration.md).
        shared_folders: None,
    })
}

/// Starts serving on the configured address and returns at once.
pub async fn start(state: AppState) -> anyhow::Result<RunningServer> {
    let http = state.settings.http.clone();
    let listener = TcpListener::bind((http.addr, http.port))?;
    let addr = listener.local_addr()?;
    let metrics = crate::metrics::build(state.pool.clone())?;
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let settings = data.settings.clone();
        let state = data.clone();
        App::new()
            .app_data(data.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(settings.http.json_body_limit)
                    .error_handler(extractors::json_error),
            )
            .app_data(web::QueryConfig::default().error_handler(extractors::query_error))
            .app_data(web::PathConfig::default().error_handler(extractors::path_error))
            .wrap(metrics.clone())
            .wrap(cors(&settings.http.cors_allowed_origins))
            .wrap_fn(|req, srv| {
                // Inside TracingLogger, which assigns the id: echo it on every
                // response, errors of inner middleware (401, 403) included.
                // Inner middleware answers errors as responses, not `Err`.
                let id = req.extensions().get::<RequestId>().map(ToString::to_string);
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), value);
                    }
                    Ok::<_, actix_web::Error>(res)
                }
            })
            .wrap(TracingLogger::default())
            .configure(|cfg| crate::routes::configure(cfg, &state))
    })
    .listen(listener)?
    .shutdown_timeout(http.shutdown_timeout_secs);
    if http.workers > 0 {
        server = server.workers(http.workers);
    }
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    tracing::info!(%addr, "conclave listening");
    Ok(RunningServer { addr, handle, task })
}

fn cors(origins: &[String]) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::AUTHORIZATION,
        ])
        .expose_headers(["link", "x-request-id"]);
    if origins.is_empty() {
        // Upstream answers any origin.
        cors.send_wildcard().allow_any_origin()
    } else {
        origins
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin))
    }
}
