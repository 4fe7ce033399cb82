//! Structured logging with `tracing`, human-readable or JSON lines.

use tracing_subscriber::EnvFilter;

use crate::config::LoggingSettings;

/// Installs the global subscriber. Calling it twice is harmless (tests start
/// several servers in one process), the second call keeps the first.
pub fn init(settings: &LoggingSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Logs go to stderr, so command output on stdout stays clean.
        .with_writer(std::io::stderr);
    let _ = if settings.json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
