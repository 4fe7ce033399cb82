//! Multi-instance cache invalidation over PostgreSQL `LISTEN`/`NOTIFY`.
//!
//! Every rule write sends `NOTIFY conclave_casbin, '<subject or *>'` in its
//! transaction (`conclave_db::authz::apply_change`). Each instance keeps one
//! dedicated connection listening on that channel and drops the named
//! subjects from its cache; notifications arrive within milliseconds of the
//! commit.
//!
//! Notifications sent while the connection is down are lost, so the cache
//! is switched off (and emptied) whenever the listener is not connected and
//! switched on, empty, after `LISTEN` succeeded again. A silent connection
//! is probed with `SELECT 1` every [`PING_INTERVAL`].

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use conclave_db::authz::{NOTIFY_ALL, NOTIFY_CHANNEL};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::authz::cache::RuleCache;

/// How long the listener waits for a notification before probing the
/// connection.
pub const PING_INTERVAL: Duration = Duration::from_secs(30);

/// How long a probe or a connection attempt may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Reconnection delays grow from the first to the last value.
const RETRY_DELAYS: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(5));

/// The running listener task; dropping it stops the task.
pub struct Listener {
    task: JoinHandle<()>,
    connected: watch::Receiver<bool>,
}

impl Listener {
    /// Whether the listener is connected and listening now.
    pub fn is_connected(&self) -> bool {
        *self.connected.borrow()
    }

    /// Waits until the listener is connected; false after `timeout`.
    pub async fn wait_connected(&self, timeout: Duration) -> bool {
        let mut connected = self.connected.clone();
        tokio::time::timeout(timeout, connected.wait_for(|c| *c))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts listening on a connection of its own to `url`.
pub fn spawn(url: String, cache: Arc<RuleCache>) -> Listener {
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(run(url, cache, tx));
    Listener {
        task,
        connected: rx,
    }
}

async fn run(url: String, cache: Arc<RuleCache>, connected: watch::Sender<bool>) {
    let mut delay = RETRY_DELAYS.0;
    loop {
        let Err(ListenError {
            was_connected,
            message,
        }) = listen(&url, &cache, &connected).await;
        cache.set_enabled(false);
        connected.send_replace(false);
        if was_connected {
            delay = RETRY_DELAYS.0;
        }
        tracing::warn!(%message, "authorization change listener disconnected; cache off");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(RETRY_DELAYS.1);
    }
}

struct ListenError {
    was_connected: bool,
    message: String,
}

fn failed(was_connected: bool) -> impl Fn(String) -> ListenError {
    move |message| ListenError {
        was_connected,
        message,
    }
}

/// One connection's life: connect, `LISTEN`, enable the cache, then apply
/// notifications until the connection fails (it never ends otherwise).
async fn listen(
    url: &str,
    cache: &RuleCache,
    connected: &watch::Sender<bool>,
) -> Result<std::convert::Infallible, ListenError> {
    let connect = tokio::time::timeout(PROBE_TIMEOUT, AsyncPgConnection::establish(url)).await;
    let mut conn = match connect {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => return Err(failed(false)(e.to_string())),
        Err(_) => return Err(failed(false)("connection timed out".into())),
    };
    diesel::sql_query(format!("LISTEN {NOTIFY_CHANNEL}"))
        .execute(&mut conn)
        .await
        .map_err(|e| failed(false)(e.to_string()))?;
    // Changes committed from now on are notified; everything cached before
    // is gone (set_enabled empties the cache).
    cache.set_enabled(true);
    connected.send_replace(true);
    tracing::info!("listening for authorization changes");
    loop {
        let next = {
            let mut stream = pin!(conn.notifications_stream());
            tokio::time::timeout(PING_INTERVAL, stream.next()).await
        };
        match next {
            Ok(Some(Ok(notification))) if notification.channel == NOTIFY_CHANNEL => {
                apply_notification(cache, &notification.payload);
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(e))) => return Err(failed(true)(e.to_string())),
            Ok(None) => return Err(failed(true)("notification stream ended".into())),
            Err(_) => probe(&mut conn).await.map_err(failed(true))?,
        }
    }
}

async fn probe(conn: &mut AsyncPgConnection) -> Result<(), String> {
    match tokio::time::timeout(PROBE_TIMEOUT, diesel::sql_query("SELECT 1").execute(conn)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("probe timed out".into()),
    }
}

/// Applies one payload: a subject, or `*` for everything.
pub fn apply_notification(cache: &RuleCache, payload: &str) {
    if payload == NOTIFY_ALL {
        cache.clear();
    } else {
        cache.invalidate([payload]);
    }
}
